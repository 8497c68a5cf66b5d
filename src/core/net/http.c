/*
 * http.c - see http.h: libcurl's multi interface on the sockets it asks
 * for (CURLMOPT_SOCKETFUNCTION), every wait a cs_deadline_poll() for the
 * smaller of libcurl's timer and the deadline; names resolved with
 * cs_net_resolve (c-ares, inside the deadline) and handed to libcurl
 * with CURLOPT_RESOLVE, so that libcurl never resolves (its threaded
 * resolver cannot be abandoned at a deadline); redirects followed here.
 */
#include "net/http.h"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <errno.h>
#include <netdb.h>
#include <poll.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cs_config.h"
#include "net/net.h"

#define HTTP_MAX_SOCKETS 8 /* one transfer: a connection or two (happy
			      eyeballs), a resolver's socket */

struct sock {
	curl_socket_t fd;
	int what; /* CURL_POLL_IN, _OUT, _INOUT */
};

struct xfer {
	struct sock s[HTTP_MAX_SOCKETS];
	size_t n;
	long timer_ms;      /* libcurl's timer, -1 none */
	unsigned char *buf; /* the body so far */
	size_t len, cap, max;
	bool over;          /* the body passed max */
	bool nomem;
};

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;
static CURLcode curl_init_rc = CURLE_FAILED_INIT;

static void init_curl(void)
{
	curl_init_rc = curl_global_init(CURL_GLOBAL_DEFAULT);
}

static int sock_cb(CURL *e, curl_socket_t fd, int what, void *userp,
		   void *socketp)
{
	struct xfer *x = userp;
	size_t i;

	(void)e;
	(void)socketp;
	for (i = 0; i < x->n && x->s[i].fd != fd; i++)
		;
	if (what == CURL_POLL_REMOVE) {
		if (i < x->n)
			x->s[i] = x->s[--x->n];
		return 0;
	}
	if (i == x->n) {
		if (x->n == HTTP_MAX_SOCKETS)
			return -1;
		x->n++;
	}
	x->s[i].fd = fd;
	x->s[i].what = what;
	return 0;
}

static int timer_cb(CURLM *m, long timeout_ms, void *userp)
{
	struct xfer *x = userp;

	(void)m;
	x->timer_ms = timeout_ms;
	return 0;
}

/* The cap is enforced here: returning less than given stops the
 * transfer (CURLE_WRITE_ERROR), whatever Content-Length said. */
static size_t write_cb(char *p, size_t size, size_t nmemb, void *userp)
{
	struct xfer *x = userp;
	size_t n = size * nmemb;

	if (n > x->max - x->len) {
		x->over = true;
		return 0;
	}
	if (x->len + n > x->cap) {
		size_t ncap = x->cap ? x->cap * 2 : 16384;
		unsigned char *nb;

		while (ncap < x->len + n)
			ncap *= 2;
		if (ncap > x->max)
			ncap = x->max;
		nb = realloc(x->buf, ncap);
		if (!nb) {
			x->nomem = true;
			return 0;
		}
		x->buf = nb;
		x->cap = ncap;
	}
	memcpy(x->buf + x->len, p, n);
	x->len += n;
	return n;
}

static void cap_words(size_t cap, char *out, size_t outsz)
{
	if (cap % (1024 * 1024) == 0)
		snprintf(out, outsz, "%zu MiB", cap / (1024 * 1024));
	else if (cap % 1024 == 0)
		snprintf(out, outsz, "%zu KiB", cap / 1024);
	else
		snprintf(out, outsz, "%zu bytes", cap);
}

/* Scheme, host and port of url; http and https only. */
static int split_url(const char *url, char *host, size_t hostsz,
		     unsigned *port, struct cs_error *err)
{
	CURLU *u = curl_url();
	char *scheme = NULL, *h = NULL, *p = NULL;
	int rc = -1;

	if (!u)
		return cs_error_setx(err, CS_E_NOMEM, "out of memory");
	if (strlen(url) >= CS_HTTP_MAX_URL) {
		cs_error_setx(err, CS_E_LIMIT, "a URL of %zu bytes is longer "
			      "than %d", strlen(url), CS_HTTP_MAX_URL - 1);
		goto out;
	}
	if (curl_url_set(u, CURLUPART_URL, url, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK) {
		cs_error_setx(err, CS_E_USAGE, "%s: not a URL", url);
		goto out;
	}
	if (strcasecmp(scheme, "http") && strcasecmp(scheme, "https")) {
		cs_error_setx(err, CS_E_USAGE, "%s: only http and https URLs "
			      "are fetched, not %s", url, scheme);
		goto out;
	}
	if (curl_url_get(u, CURLUPART_HOST, &h, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_PORT, &p, CURLU_DEFAULT_PORT) !=
		    CURLUE_OK) {
		cs_error_setx(err, CS_E_USAGE, "%s: no host", url);
		goto out;
	}
	/* an IPv6 literal comes in brackets */
	if (h[0] == '[' && h[strlen(h) - 1] == ']')
		snprintf(host, hostsz, "%.*s", (int)strlen(h) - 2, h + 1);
	else
		snprintf(host, hostsz, "%s", h);
	*port = (unsigned)strtoul(p, NULL, 10);
	rc = 0;
out:
	curl_free(scheme);
	curl_free(h);
	curl_free(p);
	curl_url_cleanup(u);
	return rc;
}

/* "HOST:PORT:ADDR,ADDR" for CURLOPT_RESOLVE, resolved inside dl, into
 * *l (NULL for an IP literal: nothing to resolve). */
static int resolve(const char *url, const char *dns_servers,
		   const struct cs_deadline *dl, struct curl_slist **l,
		   struct cs_error *err)
{
	struct cs_net_target t;
	struct cs_net_addrlist al = {NULL, 0};
	char line[CS_NET_MAX_HOST + 16 + CS_NET_MAX_ADDRS * 48];
	size_t i, o;
	unsigned char b[16];

	*l = NULL;
	memset(&t, 0, sizeof(t));
	if (split_url(url, t.host, sizeof(t.host), &t.port, err) < 0)
		return -1;
	t.port_given = true;
	t.is_ip = inet_pton(AF_INET, t.host, b) == 1 ||
		  inet_pton(AF_INET6, t.host, b) == 1;
	if (t.is_ip)
		return 0;
	if (cs_net_resolve(&t, dns_servers, dl, NULL, &al, err) < 0)
		return -1;
	o = (size_t)snprintf(line, sizeof(line), "%s:%u:", t.host, t.port);
	for (i = 0; i < al.n && o + 50 < sizeof(line); i++) {
		char a[INET6_ADDRSTRLEN];

		if (getnameinfo((struct sockaddr *)&al.v[i].sa, al.v[i].len,
				a, sizeof(a), NULL, 0, NI_NUMERICHOST) != 0)
			continue;
		o += (size_t)snprintf(line + o, sizeof(line) - o,
				      strchr(a, ':') ? "%s[%s]" : "%s%s",
				      o > 0 && line[o - 1] != ':' ? "," : "",
				      a);
	}
	cs_net_addrlist_free(&al);
	*l = curl_slist_append(NULL, line);
	if (!*l)
		return cs_error_setx(err, CS_E_NOMEM, "out of memory");
	return 0;
}

/* Run e on a multi handle until done or dl.  Returns the CURLcode, or
 * -1 with *err (deadline, poll failure). */
static int drive(CURL *e, struct xfer *x, const struct cs_deadline *dl,
		 const char *url, CURLcode *res, struct cs_error *err)
{
	CURLM *m = curl_multi_init();
	int running = 1, rc = -1;

	if (!m)
		return cs_error_setx(err, CS_E_NOMEM, "out of memory");
	curl_multi_setopt(m, CURLMOPT_SOCKETFUNCTION, sock_cb);
	curl_multi_setopt(m, CURLMOPT_SOCKETDATA, x);
	curl_multi_setopt(m, CURLMOPT_TIMERFUNCTION, timer_cb);
	curl_multi_setopt(m, CURLMOPT_TIMERDATA, x);
	x->timer_ms = -1;
	if (curl_multi_add_handle(m, e) != CURLM_OK) {
		curl_multi_cleanup(m);
		return cs_error_setx(err, CS_E_INTERNAL, "libcurl refused "
				     "the transfer");
	}
	curl_multi_socket_action(m, CURL_SOCKET_TIMEOUT, 0, &running);
	for (;;) {
		struct pollfd fds[HTTP_MAX_SOCKETS];
		CURLMsg *msg;
		int left, wait, n, q;
		size_t i;

		while ((msg = curl_multi_info_read(m, &q)) != NULL)
			if (msg->msg == CURLMSG_DONE && msg->easy_handle == e) {
				*res = msg->data.result;
				rc = 0;
				goto out;
			}
		if (!running) {
			*res = CURLE_RECV_ERROR;
			rc = 0;
			goto out;
		}
		left = cs_deadline_left(dl);
		if (left <= 0) {
			cs_error_setx(err, CS_E_TIMEOUT, "%s: timed out", url);
			goto out;
		}
		wait = x->timer_ms >= 0 && x->timer_ms < left ?
		       (int)x->timer_ms : left;
		for (i = 0; i < x->n; i++) {
			fds[i].fd = x->s[i].fd;
			fds[i].events =
				(x->s[i].what & CURL_POLL_IN ? POLLIN : 0) |
				(x->s[i].what & CURL_POLL_OUT ? POLLOUT : 0);
			fds[i].revents = 0;
		}
		n = cs_deadline_poll(dl, fds, (nfds_t)x->n, wait);
		if (n < 0 && errno != EINTR) {
			cs_error_set(err, CS_E_NET, "%s: poll", url);
			goto out;
		}
		if (n <= 0) {
			curl_multi_socket_action(m, CURL_SOCKET_TIMEOUT, 0,
						 &running);
			continue;
		}
		/* x->s changes under socket_action: act on a copy */
		{
			struct pollfd ready[HTTP_MAX_SOCKETS];
			size_t k = 0, nf = x->n;

			for (i = 0; i < nf; i++)
				if (fds[i].revents)
					ready[k++] = fds[i];
			for (i = 0; i < k; i++) {
				int ev = 0;

				if (ready[i].revents & (POLLIN | POLLHUP))
					ev |= CURL_CSELECT_IN;
				if (ready[i].revents & POLLOUT)
					ev |= CURL_CSELECT_OUT;
				if (ready[i].revents & (POLLERR | POLLNVAL))
					ev |= CURL_CSELECT_ERR;
				curl_multi_socket_action(m, ready[i].fd, ev,
							 &running);
			}
		}
	}
out:
	curl_multi_remove_handle(m, e);
	curl_multi_cleanup(m);
	return rc;
}

/* One request to url, no redirect followed.  *status and, for a
 * redirect, *next (owned) are set. */
static int one(const struct cs_http_req *rq, const char *url,
	       const struct cs_deadline *dl, struct xfer *x, long *status,
	       char **next, struct cs_error *err)
{
	struct curl_slist *res_list = NULL, *hdrs = NULL;
	char ctype[128], capw[32], ebuf[CURL_ERROR_SIZE];
	CURLcode cc = CURLE_OK;
	CURL *e;
	char *loc = NULL;
	int rc = -1, left;

	*status = 0;
	*next = NULL;
	/* no time left: no connection started (a server that serves one
	 * connection at a time would wait for a request that never comes) */
	if (cs_deadline_left(dl) <= 0)
		return cs_error_setx(err, CS_E_TIMEOUT, "%s: timed out before "
				     "it was asked", rq->name ? rq->name : url);
	if (resolve(url, rq->dns_servers, dl, &res_list, err) < 0)
		return -1;
	e = curl_easy_init();
	if (!e) {
		curl_slist_free_all(res_list);
		return cs_error_setx(err, CS_E_NOMEM, "out of memory");
	}
	left = cs_deadline_left(dl);
	ebuf[0] = '\0';
	curl_easy_setopt(e, CURLOPT_URL, url);
	curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(e, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(e, CURLOPT_PROXY, "");
	curl_easy_setopt(e, CURLOPT_NETRC, (long)CURL_NETRC_IGNORED);
	curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
	if (res_list)
		curl_easy_setopt(e, CURLOPT_RESOLVE, res_list);
	curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, (long)(left > 0 ? left : 1));
	curl_easy_setopt(e, CURLOPT_MAXFILESIZE_LARGE,
			 (curl_off_t)rq->max_bytes);
	curl_easy_setopt(e, CURLOPT_HTTP_CONTENT_DECODING, 0L);
	curl_easy_setopt(e, CURLOPT_USERAGENT, "certscope/" CS_VERSION);
	curl_easy_setopt(e, CURLOPT_ERRORBUFFER, ebuf);
	curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, write_cb);
	curl_easy_setopt(e, CURLOPT_WRITEDATA, x);
	if (rq->post) {
		snprintf(ctype, sizeof(ctype), "Content-Type: %s",
			 rq->content_type ? rq->content_type
					  : "application/octet-stream");
		hdrs = curl_slist_append(NULL, ctype);
		if (!hdrs) {
			cs_error_setx(err, CS_E_NOMEM, "out of memory");
			goto out;
		}
		curl_easy_setopt(e, CURLOPT_HTTPHEADER, hdrs);
		curl_easy_setopt(e, CURLOPT_POSTFIELDS, rq->post);
		curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE,
				 (curl_off_t)rq->post_len);
	}
	/* messages name the URL asked, or what the caller calls it */
	if (rq->name && !strcmp(url, rq->url))
		url = rq->name;
	if (drive(e, x, dl, url, &cc, err) < 0)
		goto out;
	cap_words(rq->max_bytes, capw, sizeof(capw));
	if (x->over || cc == CURLE_FILESIZE_EXCEEDED) {
		cs_error_setx(err, CS_E_LIMIT, "%s: the answer is larger than "
			      "the cap of %s", url, capw);
		goto out;
	}
	if (x->nomem) {
		cs_error_setx(err, CS_E_NOMEM, "out of memory");
		goto out;
	}
	if (cc == CURLE_OPERATION_TIMEDOUT) {
		cs_error_setx(err, CS_E_TIMEOUT, "%s: timed out", url);
		goto out;
	}
	if (cc != CURLE_OK) {
		cs_error_setx(err, CS_E_NET, "%s: %s", url,
			      ebuf[0] ? ebuf : curl_easy_strerror(cc));
		goto out;
	}
	curl_easy_getinfo(e, CURLINFO_RESPONSE_CODE, status);
	if (*status >= 300 && *status < 400 &&
	    curl_easy_getinfo(e, CURLINFO_REDIRECT_URL, &loc) == CURLE_OK &&
	    loc) {
		*next = strdup(loc);
		if (!*next) {
			cs_error_setx(err, CS_E_NOMEM, "out of memory");
			goto out;
		}
	}
	rc = 0;
out:
	curl_easy_cleanup(e);
	curl_slist_free_all(res_list);
	curl_slist_free_all(hdrs);
	return rc;
}

/* see http.h */
int cs_http_fetch(const struct cs_http_req *rq, const struct cs_deadline *dl,
		  struct cs_http_resp *out, struct cs_error *err)
{
	struct xfer x;
	char *url, *next = NULL;
	char host[CS_NET_MAX_HOST + 1];
	unsigned port, hops;
	long status = 0;

	memset(out, 0, sizeof(*out));
	pthread_once(&curl_once, init_curl);
	if (curl_init_rc != CURLE_OK)
		return cs_error_setx(err, CS_E_INTERNAL, "libcurl could not "
				     "start");
	if (split_url(rq->url, host, sizeof(host), &port, err) < 0)
		return -1;
	url = strdup(rq->url);
	if (!url)
		return cs_error_setx(err, CS_E_NOMEM, "out of memory");
	for (hops = 0;; hops++) {
		memset(&x, 0, sizeof(x));
		x.max = rq->max_bytes;
		if (one(rq, url, dl, &x, &status, &next, err) < 0)
			goto fail;
		if (!next)
			break;
		free(x.buf);
		if (hops == CS_HTTP_MAX_REDIRECTS) {
			cs_error_setx(err, CS_E_LIMIT, "%s: more than %d "
				      "redirects (a loop?), the last to %s",
				      rq->name ? rq->name : rq->url,
				      CS_HTTP_MAX_REDIRECTS, next);
			free(next);
			free(url);
			return -1;
		}
		if (split_url(next, host, sizeof(host), &port, err) < 0) {
			char why[sizeof(err->msg)];

			snprintf(why, sizeof(why), "%s", err->msg);
			cs_error_setx(err, err->code, "%s: redirected to %s",
				      url, why);
			free(next);
			free(url);
			return -1;
		}
		free(url);
		url = next;
		next = NULL;
	}
	if (status != 200) {
		cs_error_setx(err, CS_E_NET, "%s: HTTP status %ld",
			      rq->name && !strcmp(url, rq->url) ? rq->name : url,
			      status);
		goto fail;
	}
	out->body = x.buf;
	out->len = x.len;
	snprintf(out->url, sizeof(out->url), "%s", url);
	free(url);
	return 0;
fail:
	free(x.buf);
	free(url);
	return -1;
}

/* see http.h */
void cs_http_resp_free(struct cs_http_resp *r)
{
	if (!r)
		return;
	free(r->body);
	memset(r, 0, sizeof(*r));
}
