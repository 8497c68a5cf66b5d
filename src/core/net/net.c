/* see net.h */
#include "net/net.h"

#include <arpa/inet.h>
#include <ares.h>
#include <errno.h>
#include <fcntl.h>
#include <gnutls/abstract.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

/* First bytes of the server's answer kept to say what it spoke when it
 * was not TLS. */
#define NET_PEEK_BYTES 48
#define NET_MAX_ALPN 8

/* ---- targets ------------------------------------------------------ */

static int parse_port(const char *s, unsigned *out, struct cs_error *err)
{
	unsigned long v = 0;
	const char *p;

	if (!*s)
		return cs_error_setx(err, CS_E_USAGE, "empty port number");
	for (p = s; *p; p++) {
		if (*p < '0' || *p > '9' || v > 65535)
			return cs_error_setx(err, CS_E_USAGE,
					     "bad port number '%.16s'", s);
		v = v * 10 + (unsigned long)(*p - '0');
	}
	if (v < 1 || v > 65535)
		return cs_error_setx(err, CS_E_USAGE,
				     "port %lu out of range 1-65535", v);
	*out = (unsigned)v;
	return 0;
}

static bool is_ip(const char *h)
{
	unsigned char b[16];

	return inet_pton(AF_INET, h, b) == 1 || inet_pton(AF_INET6, h, b) == 1;
}

/* Host names: letters, digits, '-', '_' and '.' (RFC 1123 section 2.1,
 * with '_' as seen in the wild). */
static bool valid_name(const char *h)
{
	const char *p;

	if (!*h || *h == '.' || *h == '-')
		return false;
	for (p = h; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= '0' && *p <= '9') || *p == '-' || *p == '.' ||
		      *p == '_'))
			return false;
	return true;
}

int cs_net_parse_target(const char *s, struct cs_net_target *t,
			struct cs_error *err)
{
	const char *sep, *host, *port = NULL, *colon;
	size_t hl;
	char scheme[16];

	memset(t, 0, sizeof(*t));
	sep = strstr(s, "://");
	if (sep) {
		if ((size_t)(sep - s) >= sizeof(scheme))
			return cs_error_setx(err, CS_E_USAGE,
					     "unknown scheme in '%.40s'", s);
		memcpy(scheme, s, (size_t)(sep - s));
		scheme[sep - s] = '\0';
		if (strcasecmp(scheme, "https") && strcasecmp(scheme, "tls") &&
		    cs_starttls_lookup(scheme, &t->starttls) < 0)
			return cs_error_setx(err, CS_E_USAGE,
					     "unknown scheme '%s' (use a "
					     "STARTTLS protocol or https)",
					     scheme);
		s = sep + 3;
	}
	if (*s == '[') {
		host = s + 1;
		sep = strchr(host, ']');
		if (!sep)
			return cs_error_setx(err, CS_E_USAGE,
					     "missing ']' in '%.60s'", s);
		hl = (size_t)(sep - host);
		if (sep[1] == ':')
			port = sep + 2;
		else if (sep[1] && strcmp(sep + 1, "/"))
			return cs_error_setx(err, CS_E_USAGE,
					     "junk after ']' in '%.60s'", s);
	} else {
		host = s;
		colon = strchr(s, ':');
		if (colon && strchr(colon + 1, ':')) {
			/* bare IPv6 literal, no port possible */
			hl = strlen(s);
		} else if (colon) {
			hl = (size_t)(colon - s);
			port = colon + 1;
		} else {
			hl = strlen(s);
		}
		if (hl > 0 && host[hl - 1] == '/' && !port)
			hl--; /* "smtp://host/" */
	}
	if (hl == 0)
		return cs_error_setx(err, CS_E_USAGE, "empty host name");
	if (hl > CS_NET_MAX_HOST)
		return cs_error_setx(err, CS_E_USAGE,
				     "host name longer than %d bytes",
				     CS_NET_MAX_HOST);
	memcpy(t->host, host, hl);
	t->host[hl] = '\0';
	if (port) {
		char pbuf[16];
		size_t pl = strlen(port);
		if (pl > 0 && port[pl - 1] == '/')
			pl--;
		if (pl >= sizeof(pbuf))
			return cs_error_setx(err, CS_E_USAGE,
					     "bad port number '%.16s'", port);
		memcpy(pbuf, port, pl);
		pbuf[pl] = '\0';
		if (parse_port(pbuf, &t->port, err) < 0)
			return -1;
		t->port_given = true;
	} else {
		t->port = cs_starttls_default_port(t->starttls);
	}
	t->is_ip = is_ip(t->host);
	if (*s == '[' && !(t->is_ip && strchr(t->host, ':')))
		return cs_error_setx(err, CS_E_USAGE,
				     "'%s' in brackets is not an IPv6 address",
				     t->host);
	if (!t->is_ip && !valid_name(t->host))
		return cs_error_setx(err, CS_E_USAGE,
				     "'%.60s' is not a valid host name",
				     t->host);
	return 0;
}

/* ---- resolution --------------------------------------------------- */

static void addr_text(struct cs_net_addr *a)
{
	char ip[INET6_ADDRSTRLEN] = "?";

	if (a->sa.ss_family == AF_INET) {
		const struct sockaddr_in *s4 = (const void *)&a->sa;
		inet_ntop(AF_INET, &s4->sin_addr, ip, sizeof(ip));
		snprintf(a->text, sizeof(a->text), "%s:%u", ip,
			 ntohs(s4->sin_port));
	} else {
		const struct sockaddr_in6 *s6 = (const void *)&a->sa;
		inet_ntop(AF_INET6, &s6->sin6_addr, ip, sizeof(ip));
		snprintf(a->text, sizeof(a->text), "[%s]:%u", ip,
			 ntohs(s6->sin6_port));
	}
}

static int add_addr(struct cs_net_addrlist *l, const struct sockaddr *sa,
		    socklen_t len, struct cs_error *err)
{
	struct cs_net_addr *v;
	size_t i;

	if (l->n >= CS_NET_MAX_ADDRS || len > sizeof(v->sa))
		return 0;
	for (i = 0; i < l->n; i++)
		if (l->v[i].len == len && !memcmp(&l->v[i].sa, sa, len))
			return 0;
	v = realloc(l->v, (l->n + 1) * sizeof(*v));
	if (!v)
		return cs_error_setx(err, CS_E_NOMEM, "out of memory");
	l->v = v;
	memset(&v[l->n], 0, sizeof(v[l->n]));
	memcpy(&v[l->n].sa, sa, len);
	v[l->n].len = len;
	addr_text(&v[l->n]);
	l->n++;
	return 0;
}

static int add_literal(struct cs_net_addrlist *l, const char *ip,
		       unsigned port, struct cs_error *err)
{
	struct sockaddr_in s4;
	struct sockaddr_in6 s6;

	memset(&s4, 0, sizeof(s4));
	memset(&s6, 0, sizeof(s6));
	if (inet_pton(AF_INET, ip, &s4.sin_addr) == 1) {
		s4.sin_family = AF_INET;
		s4.sin_port = htons((uint16_t)port);
		return add_addr(l, (struct sockaddr *)&s4, sizeof(s4), err);
	}
	if (inet_pton(AF_INET6, ip, &s6.sin6_addr) == 1) {
		s6.sin6_family = AF_INET6;
		s6.sin6_port = htons((uint16_t)port);
		return add_addr(l, (struct sockaddr *)&s6, sizeof(s6), err);
	}
	return cs_error_setx(err, CS_E_USAGE, "'%s' is not an IP address",
			     ip);
}

/* State of one c-ares lookup; the callback fills it. */
struct dns_lookup {
	bool done;
	int status;
	struct ares_addrinfo *res;
};

static void dns_done(void *arg, int status, int timeouts,
		     struct ares_addrinfo *res)
{
	struct dns_lookup *q = arg;

	(void)timeouts;
	q->done = true;
	q->status = status;
	q->res = res; /* NULL unless ARES_SUCCESS */
}

/* Whether a non-loopback address of this family is configured: the
 * AI_ADDRCONFIG rule of getaddrinfo (RFC 3493 section 6.1), which
 * c-ares 1.18 does not apply.  Without it, an IPv4-only machine would
 * report every AAAA record as unreachable. */
static bool have_family(int family)
{
	struct ifaddrs *ifa, *i;
	bool have = false;

	if (getifaddrs(&ifa) < 0)
		return true; /* unknown: keep the addresses */
	for (i = ifa; i && !have; i = i->ifa_next) {
		if (!i->ifa_addr || i->ifa_addr->sa_family != family ||
		    (i->ifa_flags & IFF_LOOPBACK))
			continue;
		if (family == AF_INET6 && IN6_IS_ADDR_LINKLOCAL(
			&((struct sockaddr_in6 *)(void *)i->ifa_addr)
				 ->sin6_addr))
			continue;
		have = true;
	}
	freeifaddrs(ifa);
	return have;
}

/* c-ares status codes in words, for "cannot resolve NAME: ..." */
static const char *dns_reason(int status)
{
	switch (status) {
	case ARES_ENOTFOUND:
		return "no such name (NXDOMAIN)";
	case ARES_ENODATA:
		return "the name has no IPv4 or IPv6 address";
	case ARES_ESERVFAIL:
		return "the DNS server failed to answer (SERVFAIL)";
	case ARES_EREFUSED:
		return "the DNS server refused the query";
	case ARES_EFORMERR:
	case ARES_EBADRESP:
		return "the DNS server sent a malformed answer";
	case ARES_ECONNREFUSED:
		/* c-ares' answer too when every server said SERVFAIL or
		 * REFUSED: it tries the next one and reports this */
		return "no DNS server gave an answer (each was unreachable, "
		       "refused the query or failed)";
	case ARES_ETIMEOUT:
		return "no DNS server answered";
	case ARES_EBADNAME:
		return "not a valid host name";
	case ARES_ENOMEM:
		return "out of memory";
	default:
		return ares_strerror(status);
	}
}

/* Run the channel until the lookup is done or the deadline passes.
 * Returns 0, or -1 at the deadline. */
static int dns_wait(ares_channel ch, const struct dns_lookup *q,
		    const struct cs_deadline *dl)
{
	ares_socket_t socks[ARES_GETSOCK_MAXNUM];
	struct pollfd pfd[ARES_GETSOCK_MAXNUM];
	struct timeval tv, *tvp;
	unsigned bits;
	int n, i, left, wait_ms, pr;

	while (!q->done) {
		left = cs_deadline_left(dl);
		if (left <= 0)
			return -1;
		/* bit i: socks[i] readable, bit i + 16: writable (not the
		 * ARES_GETSOCK_* macros: they shift a signed 1 by 31) */
		bits = (unsigned)ares_getsock(ch, socks, ARES_GETSOCK_MAXNUM);
		for (n = 0, i = 0; i < ARES_GETSOCK_MAXNUM; i++) {
			bool rd = bits & (1u << i);
			bool wr = bits & (1u << (i + ARES_GETSOCK_MAXNUM));

			if (!rd && !wr)
				continue;
			pfd[n].fd = socks[i];
			pfd[n].events = (short)((rd ? POLLIN : 0) |
						(wr ? POLLOUT : 0));
			pfd[n].revents = 0;
			n++;
		}
		wait_ms = left;
		tvp = ares_timeout(ch, NULL, &tv);
		if (tvp && tvp->tv_sec * 1000 + tvp->tv_usec / 1000 < wait_ms)
			wait_ms = (int)(tvp->tv_sec * 1000 +
					(tvp->tv_usec + 999) / 1000);
		pr = cs_deadline_poll(dl, pfd, (nfds_t)n, wait_ms);
		if (pr < 0 && errno != EINTR)
			return -1;
		if (pr <= 0) {
			/* c-ares' own retry timer ran out: let it resend */
			ares_process_fd(ch, ARES_SOCKET_BAD, ARES_SOCKET_BAD);
			continue;
		}
		for (i = 0; i < n; i++)
			ares_process_fd(ch,
				pfd[i].revents & (POLLIN | POLLERR | POLLHUP) ?
					pfd[i].fd : ARES_SOCKET_BAD,
				pfd[i].revents & POLLOUT ? pfd[i].fd :
							   ARES_SOCKET_BAD);
	}
	return 0;
}

int cs_net_resolve(const struct cs_net_target *t, const char *dns_servers,
		   const struct cs_deadline *dl, struct cs_net_addrlist *out,
		   struct cs_error *err)
{
	struct ares_options opts;
	struct ares_addrinfo_hints hints;
	struct ares_addrinfo_node *nd;
	struct dns_lookup q = {false, ARES_SUCCESS, NULL};
	ares_channel ch = NULL;
	char port[8], lookups[] = "b";
	bool v4, v6;
	int optmask = 0, a, rc = -1;

	out->v = NULL;
	out->n = 0;
	if (t->is_ip)
		return add_literal(out, t->host, t->port, err);
	if (!strcasecmp(t->host, "localhost") ||
	    !strcasecmp(t->host, "localhost.")) {
		/* RFC 6761 section 6.3: no DNS for localhost */
		if (add_literal(out, "::1", t->port, err) < 0 ||
		    add_literal(out, "127.0.0.1", t->port, err) < 0)
			goto out;
		return 0;
	}
	a = ares_library_init(ARES_LIB_INIT_ALL);
	if (a != ARES_SUCCESS)
		return cs_error_setx(err, CS_E_NET, "%s: cannot start lookup: "
				     "%s", t->host, ares_strerror(a));
	memset(&opts, 0, sizeof(opts));
	if (dns_servers) {
		/* the servers asked for, and nothing else: not /etc/hosts */
		opts.lookups = lookups;
		optmask |= ARES_OPT_LOOKUPS;
	}
	a = ares_init_options(&ch, &opts, optmask);
	if (a != ARES_SUCCESS) {
		cs_error_setx(err, CS_E_NET, "%s: cannot start lookup: %s",
			      t->host, ares_strerror(a));
		ch = NULL;
		goto out;
	}
	if (dns_servers) {
		a = ares_set_servers_ports_csv(ch, dns_servers);
		if (a != ARES_SUCCESS) {
			cs_error_setx(err, CS_E_USAGE, "--dns-servers: '%s' is "
				      "not a list of IP[:PORT] addresses",
				      dns_servers);
			goto out;
		}
	}
	v4 = have_family(AF_INET);
	v6 = have_family(AF_INET6);
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = v4 && !v6 ? AF_INET : v6 && !v4 ? AF_INET6 :
								AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = ARES_AI_NUMERICSERV;
	snprintf(port, sizeof(port), "%u", t->port);
	ares_getaddrinfo(ch, t->host, port, &hints, dns_done, &q);
	if (dns_wait(ch, &q, dl) < 0) {
		cs_error_setx(err, CS_E_TIMEOUT, "timed out resolving %s",
			      t->host);
		goto out;
	}
	if (q.status != ARES_SUCCESS) {
		cs_error_setx(err, q.status == ARES_EBADNAME ? CS_E_USAGE :
				   CS_E_NET, "cannot resolve %s: %s", t->host,
			      dns_reason(q.status));
		goto out;
	}
	/* in c-ares' RFC 6724 order: IPv6 first where it is usable */
	for (nd = q.res ? q.res->nodes : NULL; nd; nd = nd->ai_next)
		if ((nd->ai_family == AF_INET || nd->ai_family == AF_INET6) &&
		    add_addr(out, nd->ai_addr, (socklen_t)nd->ai_addrlen,
			     err) < 0)
			goto out;
	if (out->n == 0) {
		cs_error_setx(err, CS_E_NET, "cannot resolve %s: %s", t->host,
			      dns_reason(ARES_ENODATA));
		goto out;
	}
	rc = 0;
out:
	if (ch)
		ares_destroy(ch); /* ends a lookup still running: q is set */
	if (q.res)
		ares_freeaddrinfo(q.res);
	ares_library_cleanup();
	if (rc < 0)
		cs_net_addrlist_free(out);
	return rc;
}

void cs_net_addrlist_free(struct cs_net_addrlist *l)
{
	if (!l)
		return;
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

/* ---- connect ------------------------------------------------------ */

static int64_t now_ms(const struct cs_deadline *dl)
{
	return dl && dl->now_ms ? dl->now_ms(dl->ctx) : 0;
}

static int net_connect(const struct cs_net_addr *a,
		       const struct cs_deadline *dl, int *fdp,
		       struct cs_error *err)
{
	struct pollfd pfd;
	int fd, rc, left, soerr = 0;
	socklen_t sl = sizeof(soerr);

	*fdp = -1;
	fd = socket(a->sa.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
		    0);
	if (fd < 0)
		return cs_error_set(err, CS_E_NET, "%s: socket", a->text);
	if (connect(fd, (const struct sockaddr *)&a->sa, a->len) == 0)
		goto ok;
	if (errno != EINPROGRESS) {
		cs_error_set(err, CS_E_NET, "%s: cannot connect", a->text);
		goto fail;
	}
	pfd.fd = fd;
	pfd.events = POLLOUT;
	for (;;) {
		left = cs_deadline_left(dl);
		if (left <= 0) {
			cs_error_setx(err, CS_E_TIMEOUT,
				      "%s: timed out connecting", a->text);
			goto fail;
		}
		rc = cs_deadline_poll(dl, &pfd, 1, left);
		if (rc > 0)
			break;
		if (rc < 0 && errno != EINTR) {
			cs_error_set(err, CS_E_NET, "%s: poll", a->text);
			goto fail;
		}
	}
	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &sl) < 0)
		soerr = errno;
	if (soerr) {
		errno = soerr;
		if (soerr == ECONNREFUSED)
			cs_error_setx(err, CS_E_NET,
				      "%s: connection refused", a->text);
		else
			cs_error_set(err, CS_E_NET, "%s: cannot connect",
				     a->text);
		goto fail;
	}
ok:
	*fdp = fd;
	return 0;
fail:
	close(fd);
	return -1;
}

/* ---- TLS ---------------------------------------------------------- */

/* Transport state: the socket, and the first bytes the server sent,
 * to tell "not TLS" apart from a TLS failure. */
struct conn {
	int fd;
	gnutls_session_t s;
	const struct cs_deadline *dl;
	unsigned char first[NET_PEEK_BYTES];
	size_t nfirst;
	size_t total_in;
	int last_errno;
};

static ssize_t conn_pull(gnutls_transport_ptr_t p, void *data, size_t len)
{
	struct conn *c = p;
	ssize_t r = recv(c->fd, data, len, MSG_DONTWAIT);

	if (r < 0) {
		c->last_errno = errno;
		gnutls_transport_set_errno(c->s, errno);
		return -1;
	}
	if (c->nfirst < sizeof(c->first)) {
		size_t k = sizeof(c->first) - c->nfirst;
		if (k > (size_t)r)
			k = (size_t)r;
		memcpy(c->first + c->nfirst, data, k);
		c->nfirst += k;
	}
	c->total_in += (size_t)r;
	return r;
}

static ssize_t conn_push(gnutls_transport_ptr_t p, const void *data,
			 size_t len)
{
	struct conn *c = p;
	ssize_t w = send(c->fd, data, len, MSG_DONTWAIT | MSG_NOSIGNAL);

	if (w < 0) {
		c->last_errno = errno;
		gnutls_transport_set_errno(c->s, errno);
	}
	return w;
}

/* Wait for data, but never past the deadline (GnuTLS calls this under
 * TLS 1.3 and when it has a timeout of its own). */
static int conn_pull_timeout(gnutls_transport_ptr_t p, unsigned int ms)
{
	struct conn *c = p;
	struct pollfd pfd = {.fd = c->fd, .events = POLLIN};
	int left = cs_deadline_left(c->dl);

	if (ms != GNUTLS_INDEFINITE_TIMEOUT && ms < (unsigned)left)
		left = (int)ms;
	return cs_deadline_poll(c->dl, &pfd, 1, left);
}

static const struct {
	int code;
	const char *name;
} alerts[] = {
	{0, "close_notify"},
	{10, "unexpected_message"},
	{20, "bad_record_mac"},
	{22, "record_overflow"},
	{40, "handshake_failure"},
	{42, "bad_certificate"},
	{43, "unsupported_certificate"},
	{44, "certificate_revoked"},
	{45, "certificate_expired"},
	{46, "certificate_unknown"},
	{47, "illegal_parameter"},
	{48, "unknown_ca"},
	{49, "access_denied"},
	{50, "decode_error"},
	{51, "decrypt_error"},
	{70, "protocol_version"},
	{71, "insufficient_security"},
	{80, "internal_error"},
	{86, "inappropriate_fallback"},
	{90, "user_canceled"},
	{109, "missing_extension"},
	{110, "unsupported_extension"},
	{112, "unrecognized_name"},
	{113, "bad_certificate_status_response"},
	{115, "unknown_psk_identity"},
	{116, "certificate_required"},
	{120, "no_application_protocol"},
};

const char *cs_net_alert_name(int alert)
{
	size_t i;

	for (i = 0; i < sizeof(alerts) / sizeof(alerts[0]); i++)
		if (alerts[i].code == alert)
			return alerts[i].name;
	return "unknown alert";
}

static void quote_bytes(char *out, size_t outsz, const unsigned char *p,
			size_t n)
{
	size_t o = 0, i;

	for (i = 0; i < n && o + 5 < outsz; i++) {
		if (p[i] == '\r' || p[i] == '\n')
			break; /* the first line says enough */
		if (p[i] >= 0x20 && p[i] < 0x7f && p[i] != '\\' &&
		    p[i] != '"') {
			out[o++] = (char)p[i];
		} else {
			snprintf(out + o, outsz - o, "\\x%02x", p[i]);
			o += 4;
		}
	}
	out[o] = '\0';
}

/*
 * A TLS server's first byte is a record of type handshake (22) or alert
 * (21) with major version 3 (RFC 8446 section 5.1, RFC 5246 section
 * 6.2.1).  Anything else means the port speaks something else.
 */
static bool looks_like_tls(const struct conn *c)
{
	if (c->nfirst == 0)
		return true; /* nothing seen: not a "not TLS" case */
	if (c->first[0] != 22 && c->first[0] != 21)
		return false;
	return c->nfirst < 2 || c->first[1] == 3;
}

static int handshake_error(struct conn *c, int ret, const char *addr,
			   size_t max_msg, struct cs_error *err)
{
	char q[NET_PEEK_BYTES * 4 + 8];

	if (!looks_like_tls(c)) {
		/* GnuTLS stops after the 5-byte record header: take what
		 * else already arrived, for a readable quote */
		ssize_t r = recv(c->fd, c->first + c->nfirst,
				 sizeof(c->first) - c->nfirst, MSG_DONTWAIT);
		if (r > 0)
			c->nfirst += (size_t)r;
		quote_bytes(q, sizeof(q), c->first, c->nfirst);
		return cs_error_setlib(err, CS_E_NET, ret,
				       "%s: not TLS: the server answered "
				       "\"%s\"", addr, q);
	}
	switch (ret) {
	case GNUTLS_E_FATAL_ALERT_RECEIVED: {
		int a = (int)gnutls_alert_get(c->s);
		return cs_error_setlib(err, CS_E_NET, ret,
				       "%s: TLS handshake failure: the server "
				       "sent alert %s (%d)", addr,
				       cs_net_alert_name(a), a);
	}
	case GNUTLS_E_HANDSHAKE_TOO_LARGE:
	case GNUTLS_E_RECORD_OVERFLOW:
		return cs_error_setlib(err, CS_E_LIMIT, ret,
				       "%s: the server sent a handshake "
				       "message (Certificate) over the limit "
				       "of %zu bytes", addr, max_msg);
	case GNUTLS_E_PREMATURE_TERMINATION:
	case GNUTLS_E_PUSH_ERROR:
	case GNUTLS_E_PULL_ERROR:
		if (c->last_errno == ECONNRESET || c->last_errno == EPIPE)
			return cs_error_setlib(err, CS_E_NET, ret,
					       "%s: connection reset by the "
					       "server during the TLS "
					       "handshake", addr);
		if (ret == GNUTLS_E_PREMATURE_TERMINATION)
			return cs_error_setlib(err, CS_E_NET, ret,
					       "%s: the server closed the "
					       "connection during the TLS "
					       "handshake (after %zu bytes)",
					       addr, c->total_in);
		break;
	default:
		break;
	}
	return cs_error_setlib(err, CS_E_NET, ret,
			       "%s: TLS handshake failure: %s", addr,
			       gnutls_strerror(ret));
}

static int set_alpn(gnutls_session_t s, const char *list,
		    struct cs_error *err)
{
	gnutls_datum_t protos[NET_MAX_ALPN];
	unsigned n = 0;
	const char *p = list, *e;
	int ret;

	while (*p) {
		e = strchr(p, ',');
		if (!e)
			e = p + strlen(p);
		if (e == p || e - p > 255)
			return cs_error_setx(err, CS_E_USAGE,
					     "bad ALPN list '%.60s'", list);
		if (n == NET_MAX_ALPN)
			return cs_error_setx(err, CS_E_USAGE,
					     "more than %d ALPN protocols",
					     NET_MAX_ALPN);
		protos[n].data = (unsigned char *)(uintptr_t)p;
		protos[n].size = (unsigned)(e - p);
		n++;
		p = *e ? e + 1 : e;
	}
	ret = gnutls_alpn_set_protocols(s, protos, n, 0);
	if (ret < 0)
		return cs_error_setlib(err, CS_E_USAGE, ret, "ALPN: %s",
				       gnutls_strerror(ret));
	return 0;
}

/* Append one received certificate as an item; a certificate GnuTLS
 * cannot parse becomes an error item, so the count stays as sent. */
static int add_peer_cert(struct cs_itemlist *l, const gnutls_datum_t *d,
			 const char *addr, size_t index, struct cs_error *err)
{
	struct cs_item *it, *v;
	char why[200];
	int ret;

	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 8;
		v = realloc(l->items, cap * sizeof(*v));
		if (!v)
			return cs_error_setx(err, CS_E_NOMEM, "out of memory");
		l->items = v;
		l->cap = cap;
	}
	it = &l->items[l->n];
	memset(it, 0, sizeof(*it));
	it->origin.path = strdup(addr);
	it->origin.index = index;
	it->origin.format = CS_FMT_NET;
	it->der = malloc(d->size ? d->size : 1);
	if (!it->origin.path || !it->der) {
		free(it->origin.path);
		free(it->der);
		return cs_error_setx(err, CS_E_NOMEM, "out of memory");
	}
	memcpy(it->der, d->data, d->size);
	it->der_len = d->size;
	l->n++;
	it->kind = CS_ITEM_CERT;
	if (cs_cert_check_elements(d->data, d->size, why, sizeof(why)) < 0) {
		it->kind = CS_ITEM_ERROR;
		cs_error_setx(&it->err, CS_E_LIMIT, "certificate %zu sent by "
			      "the server: %s", index, why);
		return 0;
	}
	ret = gnutls_x509_crt_init(&it->crt);
	if (ret == 0)
		ret = gnutls_x509_crt_import(it->crt, d, GNUTLS_X509_FMT_DER);
	if (ret < 0) {
		if (it->crt)
			gnutls_x509_crt_deinit(it->crt);
		it->crt = NULL;
		it->kind = CS_ITEM_ERROR;
		cs_error_setlib(&it->err, CS_E_PARSE, ret,
				"certificate %zu sent by the server cannot "
				"be parsed: %s", index, gnutls_strerror(ret));
	}
	return 0;
}

void cs_net_result_init(struct cs_net_result *r)
{
	memset(r, 0, sizeof(*r));
	cs_itemlist_init(&r->chain);
}

void cs_net_result_free(struct cs_net_result *r)
{
	if (!r)
		return;
	cs_itemlist_free(&r->chain);
	free(r->ocsp);
	cs_net_result_init(r);
}

/* Truncating copy (the fields are for display). */
static void copy_str(char *out, size_t outsz, const char *s)
{
	size_t l = s ? strlen(s) : 0;

	if (l >= outsz)
		l = outsz - 1;
	if (l)
		memcpy(out, s, l);
	out[l] = '\0';
}

/* Fill the negotiated parameters and the chain. */
static int capture(struct conn *c, const struct cs_net_opts *o,
		   struct cs_net_result *res, struct cs_error *err)
{
	const gnutls_datum_t *peers;
	gnutls_datum_t d;
	unsigned n = 0, i, max;
	gnutls_protocol_t ver;

	ver = gnutls_protocol_get_version(c->s);
	copy_str(res->version, sizeof(res->version),
		 gnutls_protocol_get_name(ver));
	copy_str(res->cipher, sizeof(res->cipher),
		 gnutls_ciphersuite_get(c->s));
	if (ver == GNUTLS_TLS1_3)
		copy_str(res->kx, sizeof(res->kx), "ECDHE/DHE (TLS 1.3)");
	else
		copy_str(res->kx, sizeof(res->kx),
			 gnutls_kx_get_name(gnutls_kx_get(c->s)));
	copy_str(res->group, sizeof(res->group),
		 gnutls_group_get_name(gnutls_group_get(c->s)));
	if (gnutls_alpn_get_selected_protocol(c->s, &d) == 0) {
		size_t l = d.size < sizeof(res->alpn) - 1 ?
			d.size : sizeof(res->alpn) - 1;
		char q[sizeof(res->alpn) * 4];
		quote_bytes(q, sizeof(q), d.data, l);
		copy_str(res->alpn, sizeof(res->alpn), q);
	}
	if (o->ocsp && gnutls_ocsp_status_request_get(c->s, &d) == 0 &&
	    d.size > 0) {
		res->ocsp = malloc(d.size);
		if (!res->ocsp)
			return cs_error_setx(err, CS_E_NOMEM, "out of memory");
		memcpy(res->ocsp, d.data, d.size);
		res->ocsp_len = d.size;
	}
	max = o->max_certs ? o->max_certs : CS_NET_MAX_CHAIN_CERTS;
	peers = gnutls_certificate_get_peers(c->s, &n);
	if (!peers || n == 0)
		return cs_error_setx(err, CS_E_NET,
				     "%s: the server sent no certificate",
				     res->addr);
	if (n > max)
		return cs_error_setx(err, CS_E_LIMIT,
				     "%s: the server sent %u certificates; "
				     "certscope accepts at most %u",
				     res->addr, n, max);
	for (i = 0; i < n; i++)
		if (add_peer_cert(&res->chain, &peers[i], res->addr, i + 1,
				  err) < 0)
			return -1;
	return 0;
}

/* ---- client certificate ------------------------------------------- */

struct cs_net_client {
	gnutls_certificate_credentials_t cred; /* answers with the below */
	gnutls_pcert_st *pcerts;               /* the chain, leaf first */
	unsigned n_pcerts;
	gnutls_privkey_t key;
	char *subject;
};

/* What the GnuTLS callbacks of one handshake see (session pointer). */
struct sess_ctx {
	const struct cs_net_client *client;
	bool ticket; /* a NewSessionTicket arrived */
};

/* The server asked for a certificate: send ours whatever CA names or key
 * types it listed, as the user asked for it (GnuTLS's own choice would
 * send nothing when the issuer is not among the names). */
static int client_retrieve(gnutls_session_t s, const gnutls_datum_t *req_ca,
			   int nreqs, const gnutls_pk_algorithm_t *pk_algos,
			   int pk_algos_length, gnutls_pcert_st **pcert,
			   unsigned int *pcert_length, gnutls_privkey_t *key)
{
	const struct sess_ctx *x = gnutls_session_get_ptr(s);

	(void)req_ca;
	(void)nreqs;
	(void)pk_algos;
	(void)pk_algos_length;
	*pcert = NULL;
	*pcert_length = 0;
	*key = NULL;
	if (x && x->client) {
		*pcert = x->client->pcerts;
		*pcert_length = x->client->n_pcerts;
		*key = x->client->key;
	}
	return 0;
}

static int client_file_ok(const char *what, const char *path,
			  struct cs_error *err)
{
	struct stat st;
	FILE *f;

	if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
		return cs_error_setx(err, CS_E_IO, "%s %s: it is a directory",
				     what, path);
	f = fopen(path, "rb");
	if (!f)
		return cs_error_set(err, CS_E_IO, "%s %s", what, path);
	fclose(f);
	return 0;
}

/* GnuTLS's answer about a key or PKCS#12 file, in words. */
static int client_load_error(int ret, const char *cert, const char *key,
			     const char *password, struct cs_error *err)
{
	const char *kf = key ? key : cert;

	switch (ret) {
	case GNUTLS_E_CERTIFICATE_KEY_MISMATCH:
		return cs_error_setlib(err, CS_E_PARSE, ret,
				       "the key in %s does not belong to the "
				       "certificate in %s", kf, cert);
	case GNUTLS_E_DECRYPTION_FAILED:
	case GNUTLS_E_MAC_VERIFY_FAILED:
		return cs_error_setlib(err, CS_E_PASSWORD, ret, password ?
				       "%s: wrong password for the key" :
				       "%s: the key is encrypted: give its "
				       "password with --password-file FILE "
				       "or CERTSCOPE_PASSWORD", kf);
	default:
		if (!key)
			return cs_error_setlib(err, CS_E_PARSE, ret,
					       "--cert %s without --key must be "
					       "a PKCS#12 file holding the "
					       "certificate and its key: %s",
					       cert, gnutls_strerror(ret));
		return cs_error_setlib(err, CS_E_PARSE, ret,
				       "client certificate %s, key %s: %s",
				       cert, key, gnutls_strerror(ret));
	}
}

int cs_net_client_load(const char *cert, const char *key,
		       const char *password, struct cs_net_client **out,
		       struct cs_error *err)
{
	struct cs_net_client *c;
	gnutls_certificate_credentials_t tmp = NULL;
	gnutls_x509_crt_t *crts = NULL;
	gnutls_x509_privkey_t xkey = NULL;
	gnutls_datum_t dn = {NULL, 0};
	unsigned n = 0, i;
	int ret;

	*out = NULL;
	if (client_file_ok("cannot open --cert", cert, err) < 0 ||
	    (key && client_file_ok("cannot open --key", key, err) < 0))
		return -1;
	c = calloc(1, sizeof(*c));
	if (!c)
		return cs_error_setx(err, CS_E_NOMEM, "out of memory");
	/* GnuTLS reads the files and checks that the key fits */
	ret = gnutls_certificate_allocate_credentials(&tmp);
	if (ret < 0) {
		cs_error_setlib(err, CS_E_INTERNAL, ret, "GnuTLS: %s",
				gnutls_strerror(ret));
		goto fail;
	}
	if (!key) {
		ret = gnutls_certificate_set_x509_simple_pkcs12_file(
			tmp, cert, GNUTLS_X509_FMT_DER, password);
		if (ret < 0 && ret != GNUTLS_E_MAC_VERIFY_FAILED &&
		    ret != GNUTLS_E_DECRYPTION_FAILED)
			ret = gnutls_certificate_set_x509_simple_pkcs12_file(
				tmp, cert, GNUTLS_X509_FMT_PEM, password);
		/* no password given: a file made with an empty one
		 * (certtool --empty-password, openssl -passout pass:) */
		if (!password && (ret == GNUTLS_E_MAC_VERIFY_FAILED ||
				  ret == GNUTLS_E_DECRYPTION_FAILED) &&
		    gnutls_certificate_set_x509_simple_pkcs12_file(
			    tmp, cert, GNUTLS_X509_FMT_DER, "") >= 0)
			ret = 0;
	} else {
		ret = gnutls_certificate_set_x509_key_file2(
			tmp, cert, key, GNUTLS_X509_FMT_PEM, password, 0);
		if (ret < 0 && ret != GNUTLS_E_CERTIFICATE_KEY_MISMATCH &&
		    ret != GNUTLS_E_DECRYPTION_FAILED) {
			int r2 = gnutls_certificate_set_x509_key_file2(
				tmp, cert, key, GNUTLS_X509_FMT_DER,
				password, 0);
			if (r2 >= 0 || r2 == GNUTLS_E_CERTIFICATE_KEY_MISMATCH)
				ret = r2;
		}
	}
	if (ret < 0) {
		client_load_error(ret, cert, key, password, err);
		goto fail;
	}
	/* then the chain and key are kept to be sent whatever the server
	 * asks for (client_retrieve) */
	ret = gnutls_certificate_get_x509_crt(tmp, 0, &crts, &n);
	if (ret == 0)
		ret = gnutls_certificate_get_x509_key(tmp, 0, &xkey);
	if (ret == 0 && n == 0)
		ret = GNUTLS_E_NO_CERTIFICATE_FOUND;
	if (ret == 0) {
		c->pcerts = calloc(n, sizeof(*c->pcerts));
		if (!c->pcerts)
			ret = GNUTLS_E_MEMORY_ERROR;
	}
	if (ret == 0)
		ret = gnutls_pcert_import_x509_list(c->pcerts, crts, &n, 0);
	if (ret == 0)
		c->n_pcerts = n;
	if (ret == 0)
		ret = gnutls_privkey_init(&c->key);
	if (ret == 0)
		ret = gnutls_privkey_import_x509(c->key, xkey,
			GNUTLS_PRIVKEY_IMPORT_AUTO_RELEASE);
	if (ret == 0)
		xkey = NULL; /* c->key owns it */
	if (ret == 0)
		ret = gnutls_x509_crt_get_dn3(crts[0], &dn, 0);
	if (ret == 0) {
		c->subject = strndup((const char *)dn.data, dn.size);
		gnutls_free(dn.data);
		if (!c->subject)
			ret = GNUTLS_E_MEMORY_ERROR;
	}
	if (ret == 0)
		ret = gnutls_certificate_allocate_credentials(&c->cred);
	if (ret < 0) {
		cs_error_setlib(err, CS_E_PARSE, ret, "client certificate %s: "
				"%s", cert, gnutls_strerror(ret));
		goto fail;
	}
	gnutls_certificate_set_retrieve_function2(c->cred, client_retrieve);
	for (i = 0; i < n; i++)
		gnutls_x509_crt_deinit(crts[i]);
	gnutls_free(crts);
	gnutls_certificate_free_credentials(tmp);
	*out = c;
	return 0;
fail:
	if (xkey)
		gnutls_x509_privkey_deinit(xkey);
	for (i = 0; crts && i < n; i++)
		gnutls_x509_crt_deinit(crts[i]);
	gnutls_free(crts);
	if (tmp)
		gnutls_certificate_free_credentials(tmp);
	cs_net_client_free(c);
	return -1;
}

const char *cs_net_client_subject(const struct cs_net_client *c)
{
	return c ? c->subject : NULL;
}

void cs_net_client_free(struct cs_net_client *c)
{
	if (!c)
		return;
	unsigned i;

	if (c->cred)
		gnutls_certificate_free_credentials(c->cred);
	for (i = 0; i < c->n_pcerts; i++)
		gnutls_pcert_deinit(&c->pcerts[i]);
	free(c->pcerts);
	if (c->key)
		gnutls_privkey_deinit(c->key);
	free(c->subject);
	free(c);
}

/* Set when a NewSessionTicket arrives: under TLS 1.3 the server sends it
 * only once it accepted the client's Certificate and Finished. */
static int ticket_hook(gnutls_session_t s, unsigned htype, unsigned when,
		       unsigned incoming, const gnutls_datum_t *msg)
{
	struct sess_ctx *x = gnutls_session_get_ptr(s);

	(void)htype;
	(void)when;
	(void)msg;
	if (incoming && x)
		x->ticket = true;
	return 0;
}

/* TLS 1.3 with a CertificateRequest: wait up to ms (within the deadline)
 * for the server's verdict on the client's certificate. */
static int await_client_verdict(struct conn *c, unsigned ms,
				const char *addr, bool sent,
				struct cs_error *err)
{
	const int64_t end = now_ms(c->dl) + ms;
	const struct sess_ctx *x = gnutls_session_get_ptr(c->s);
	unsigned char buf[256];
	struct pollfd pfd;
	int ret, left, a;

	gnutls_handshake_set_hook_function(c->s,
					   GNUTLS_HANDSHAKE_NEW_SESSION_TICKET,
					   GNUTLS_HOOK_POST, ticket_hook);
	while (!x->ticket) {
		ret = (int)gnutls_record_recv(c->s, buf, sizeof(buf));
		/* data, a ticket or a polite close (close_notify): the
		 * server finished its handshake, so it accepted */
		if (ret >= 0 || x->ticket)
			break;
		if (ret == GNUTLS_E_PREMATURE_TERMINATION ||
		    ((ret == GNUTLS_E_PULL_ERROR ||
		      ret == GNUTLS_E_PUSH_ERROR) &&
		     (c->last_errno == ECONNRESET || c->last_errno == EPIPE)))
			return cs_error_setx(err, CS_E_NET, "%s: the server "
					     "dropped the connection right "
					     "after the handshake, without an "
					     "alert: it %s", addr, sent ?
					     "probably refused the client "
					     "certificate" :
					     "had asked for a client "
					     "certificate and none was given "
					     "(--cert, --key)");
		if (ret == GNUTLS_E_FATAL_ALERT_RECEIVED) {
			a = (int)gnutls_alert_get(c->s);
			return cs_error_setlib(err, CS_E_NET, ret,
				"%s: the server refused the client "
				"certificate%s: alert %s (%d)%s", addr,
				sent ? "" : " (none was given)",
				cs_net_alert_name(a), a, sent ? "" :
				"; give one with --cert and --key");
		}
		if (ret != GNUTLS_E_AGAIN && ret != GNUTLS_E_INTERRUPTED &&
		    gnutls_error_is_fatal(ret))
			return cs_error_setlib(err, CS_E_NET, ret,
					       "%s: after the handshake: %s",
					       addr, gnutls_strerror(ret));
		left = (int)(end - now_ms(c->dl));
		if (left > cs_deadline_left(c->dl))
			left = cs_deadline_left(c->dl);
		if (left <= 0)
			break; /* no word from the server: taken as accepted */
		pfd.fd = c->fd;
		pfd.events = POLLIN;
		pfd.revents = 0;
		if (cs_deadline_poll(c->dl, &pfd, 1, left) == 0)
			break;
	}
	gnutls_handshake_set_hook_function(c->s,
					   GNUTLS_HANDSHAKE_NEW_SESSION_TICKET,
					   GNUTLS_HOOK_POST, NULL);
	return 0;
}

int cs_net_handshake(const struct cs_net_target *t,
		     const struct cs_net_addr *addr,
		     const struct cs_net_opts *o,
		     const struct cs_deadline *dl, struct cs_net_result *res,
		     struct cs_error *err)
{
	gnutls_certificate_credentials_t cred = NULL;
	struct sess_ctx sctx = {o->client, false};
	struct conn c;
	struct pollfd pfd;
	const char *sni;
	size_t max_msg;
	int64_t t0;
	int ret, rc = -1, left, fd = -1;

	memset(&c, 0, sizeof(c));
	copy_str(res->addr, sizeof(res->addr), addr->text);
	max_msg = o->max_msg_bytes ? o->max_msg_bytes :
		CS_NET_MAX_CERT_MSG_BYTES;

	t0 = now_ms(dl);
	if (net_connect(addr, dl, &fd, err) < 0)
		goto out;
	res->connect_ms = now_ms(dl) - t0;

	t0 = now_ms(dl);
	if (cs_starttls_run(fd, t->starttls, t->host, dl, err) < 0) {
		/* prefix the address: messages name where it happened */
		char m[sizeof(err->msg)];
		snprintf(m, sizeof(m), "%s", err->msg);
		snprintf(err->msg, sizeof(err->msg), "%.63s: %.190s",
			 addr->text, m);
		goto out;
	}
	res->starttls_ms = now_ms(dl) - t0;

	ret = o->client ? 0 : gnutls_certificate_allocate_credentials(&cred);
	if (ret == 0)
		ret = gnutls_init(&c.s, GNUTLS_CLIENT | GNUTLS_NONBLOCK);
	if (ret == 0)
		ret = o->priority ?
			gnutls_priority_set_direct(c.s, o->priority, NULL) :
			gnutls_set_default_priority(c.s);
	if (ret == 0)
		ret = gnutls_credentials_set(c.s, GNUTLS_CRD_CERTIFICATE,
					     o->client ? o->client->cred : cred);
	if (ret < 0) {
		cs_error_setlib(err, CS_E_INTERNAL, ret, "GnuTLS setup: %s",
				gnutls_strerror(ret));
		goto out;
	}
	/* the Certificate message is the big one; GnuTLS's own default is
	 * lower than ours, so this is the limit that applies */
	gnutls_handshake_set_max_packet_length(c.s, max_msg);

	sni = o->sni ? o->sni : (t->is_ip ? NULL : t->host);
	if (!o->no_sni && sni) {
		ret = gnutls_server_name_set(c.s, GNUTLS_NAME_DNS, sni,
					     strlen(sni));
		if (ret < 0) {
			cs_error_setlib(err, CS_E_USAGE, ret, "SNI '%s': %s",
					sni, gnutls_strerror(ret));
			goto out;
		}
		copy_str(res->sni, sizeof(res->sni), sni);
	}
	if (o->alpn && *o->alpn && set_alpn(c.s, o->alpn, err) < 0)
		goto out;
	if (o->ocsp) {
		ret = gnutls_ocsp_status_request_enable_client(c.s, NULL, 0,
							       NULL);
		if (ret < 0) {
			cs_error_setlib(err, CS_E_INTERNAL, ret, "OCSP: %s",
					gnutls_strerror(ret));
			goto out;
		}
	}
	c.fd = fd;
	c.dl = dl;
	gnutls_transport_set_ptr(c.s, &c);
	gnutls_session_set_ptr(c.s, &sctx);
	gnutls_transport_set_pull_function(c.s, conn_pull);
	gnutls_transport_set_push_function(c.s, conn_push);
	gnutls_transport_set_pull_timeout_function(c.s, conn_pull_timeout);

	t0 = now_ms(dl);
	for (;;) {
		left = cs_deadline_left(dl);
		if (left <= 0) {
			cs_error_setx(err, CS_E_TIMEOUT,
				      "%s: timed out during the TLS handshake "
				      "(%zu bytes received)", addr->text,
				      c.total_in);
			goto out;
		}
		ret = gnutls_handshake(c.s);
		if (ret == 0)
			break;
		if (ret == GNUTLS_E_AGAIN || ret == GNUTLS_E_INTERRUPTED) {
			pfd.fd = fd;
			pfd.events = gnutls_record_get_direction(c.s) ?
				POLLOUT : POLLIN;
			pfd.revents = 0;
			left = cs_deadline_left(dl);
			if (left > 0 && cs_deadline_poll(dl, &pfd, 1, left) < 0 &&
			    errno != EINTR) {
				cs_error_set(err, CS_E_NET, "%s: poll",
					     addr->text);
				goto out;
			}
			continue;
		}
		if (!gnutls_error_is_fatal(ret) && looks_like_tls(&c))
			continue; /* warning alerts: the deadline bounds it */
		handshake_error(&c, ret, addr->text, max_msg, err);
		if (gnutls_certificate_client_get_request_status(c.s)) {
			/* TLS 1.2: the server judges the client's
			 * certificate inside the handshake */
			size_t l = strlen(err->msg);
			snprintf(err->msg + l, sizeof(err->msg) - l, "; it "
				 "had asked for a client certificate and %s",
				 gnutls_certificate_get_ours(c.s) ?
				 "may have refused the one sent" :
				 "none was given (--cert, --key)");
		}
		goto out;
	}
	res->handshake_ms = now_ms(dl) - t0;
	if (capture(&c, o, res, err) < 0)
		goto out;
	res->client_cert_requested =
		gnutls_certificate_client_get_request_status(c.s) != 0;
	res->client_cert_sent = gnutls_certificate_get_ours(c.s) != NULL;
	if (res->client_cert_requested &&
	    gnutls_protocol_get_version(c.s) == GNUTLS_TLS1_3 &&
	    await_client_verdict(&c, o->client_wait_ms ? o->client_wait_ms :
				 CS_NET_CLIENT_WAIT_MS, addr->text,
				 res->client_cert_sent, err) < 0)
		goto out;
	/* a polite close; the answer is not awaited */
	(void)gnutls_bye(c.s, GNUTLS_SHUT_WR);
	rc = 0;
out:
	if (c.s)
		gnutls_deinit(c.s);
	if (cred)
		gnutls_certificate_free_credentials(cred);
	if (fd >= 0)
		close(fd);
	return rc;
}
