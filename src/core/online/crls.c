/*
 * crls.c - see online.h: CRLs from the distribution points of the
 * path's certificates, kept in a cache directory until their
 * nextUpdate, judged by path/crl.h.
 *
 * The cache: one file per URL, named by the SHA-256 of the URL, holding
 * the CRL's DER.  Written to a temporary file in the same directory and
 * renamed over the name, so that several processes may share it (a
 * reader sees the old or the new file, never half of one).  A file that
 * does not decode as one CRL is removed and the CRL fetched again; a
 * cached CRL is never trusted for what it is: its signature is verified
 * against the issuer at each use, like a fetched one.
 */
#include "online/online.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>
#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>

#include "net/http.h"
#include "path/crl.h"

/* dir/<sha256 of url>.crl into out. */
static int cache_path(const char *dir, const char *url, char *out,
		      size_t outsz)
{
	unsigned char h[32];
	char hex[65];
	size_t i;

	if (gnutls_hash_fast(GNUTLS_DIG_SHA256, url, strlen(url), h) < 0)
		return -1;
	for (i = 0; i < sizeof(h); i++)
		snprintf(hex + 2 * i, 3, "%02x", h[i]);
	return snprintf(out, outsz, "%s/%s.crl", dir, hex) < (int)outsz ? 0
									: -1;
}

/* Decode len bytes as one CRL (DER or PEM) into *crl. */
static int decode(const unsigned char *data, size_t len,
		  gnutls_x509_crl_t *crl)
{
	gnutls_datum_t d = {(unsigned char *)data, (unsigned)len};

	if (len == 0 || len > CS_HTTP_MAX_CRL || gnutls_x509_crl_init(crl) < 0)
		return -1;
	if (gnutls_x509_crl_import(*crl, &d, GNUTLS_X509_FMT_DER) >= 0 ||
	    gnutls_x509_crl_import(*crl, &d, GNUTLS_X509_FMT_PEM) >= 0)
		return 0;
	gnutls_x509_crl_deinit(*crl);
	*crl = NULL;
	return -1;
}

/* see online.h */
int cs_online_parse_crl(const unsigned char *data, size_t len,
			gnutls_x509_crl_t *crl)
{
	return decode(data, len, crl);
}

/* A cached CRL for url still before its nextUpdate at now: 1 with *crl,
 * 0 when there is none (a corrupt or stale file is removed). */
static int cache_get(const char *dir, const char *url, cs_time_t now,
		     gnutls_x509_crl_t *crl)
{
	char path[4096];
	gnutls_datum_t d = {NULL, 0};
	struct stat st;
	time_t nu;
	int fd, rc = 0;

	*crl = NULL;
	if (!dir || cache_path(dir, url, path, sizeof(path)) < 0)
		return 0;
	fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return 0;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || st.st_size <= 0 ||
	    (size_t)st.st_size > CS_HTTP_MAX_CRL)
		goto bad;
	d.data = malloc((size_t)st.st_size);
	if (!d.data || read(fd, d.data, (size_t)st.st_size) != st.st_size)
		goto bad;
	d.size = (unsigned)st.st_size;
	if (decode(d.data, d.size, crl) < 0)
		goto bad;
	nu = gnutls_x509_crl_get_next_update(*crl);
	if (nu == (time_t)-1 || (cs_time_t)nu <= now) {
		gnutls_x509_crl_deinit(*crl);
		*crl = NULL;
		goto bad; /* stale: fetch again */
	}
	rc = 1;
	goto out;
bad:
	(void)unlink(path);
out:
	free(d.data);
	close(fd);
	return rc;
}

/* Keep data for url: a temporary file in dir renamed over its name.
 * Failures are not errors (the cache is an optimisation). */
static void cache_put(const char *dir, const char *url,
		      const unsigned char *data, size_t len)
{
	char path[4096], tmp[4120];
	size_t off = 0;
	int fd;

	if (!dir || cache_path(dir, url, path, sizeof(path)) < 0)
		return;
	if (mkdir(dir, 0700) < 0 && errno != EEXIST)
		return;
	snprintf(tmp, sizeof(tmp), "%s.XXXXXX", path);
	fd = mkstemp(tmp);
	if (fd < 0)
		return;
	while (off < len) {
		ssize_t n = write(fd, data + off, len - off);

		if (n <= 0)
			break;
		off += (size_t)n;
	}
	if (close(fd) < 0 || off < len || rename(tmp, path) < 0)
		(void)unlink(tmp);
}

/* The CRL of url: from the cache, else fetched (and cached).  0 with
 * *crl and *cached, or -1 with *err. */
static int get_crl(const char *url, const struct cs_online_opts *oo,
		   const struct cs_deadline *dl, gnutls_x509_crl_t *crl,
		   bool *cached, struct cs_error *err)
{
	struct cs_http_req rq = {.url = url, .max_bytes = CS_HTTP_MAX_CRL,
				 .dns_servers = oo->dns_servers};
	struct cs_http_resp resp;

	*cached = cache_get(oo->cache_dir, url, oo->now, crl) == 1;
	if (*cached)
		return 0;
	if (cs_http_fetch(&rq, dl, &resp, err) < 0)
		return -1;
	if (decode(resp.body, resp.len, crl) < 0) {
		cs_error_setx(err, CS_E_PARSE, "%s: the answer (%zu bytes) is "
			      "not a CRL", url, resp.len);
		cs_http_resp_free(&resp);
		return -1;
	}
	cache_put(oo->cache_dir, url, resp.body, resp.len);
	cs_http_resp_free(&resp);
	return 0;
}

static int add(struct cs_verify_result *res, const char *code, size_t i,
	       const char *fix, const char *msg, struct cs_error *err)
{
	if (cs_verify_add_finding(res, code, (int)i, fix, "%s", msg) < 0)
		return cs_error_setx(err, CS_E_NOMEM, "out of memory");
	return 0;
}

/* see online.h */
int cs_online_ask_crl(struct cs_verify_result *res, size_t i,
		      const char *url, const struct cs_verify_opts *vo,
		      const struct cs_online_opts *oo,
		      const struct cs_deadline *dl, struct cs_error *err)
{
	const char *name = cs_online_name(&res->path[i].model);
	gnutls_x509_crl_t crl = NULL;
	struct cs_crl_verdict v;
	struct cs_error fe;
	char msg[CS_HTTP_MAX_URL + 1024], d1[32], d2[32];
	char from[CS_HTTP_MAX_URL + 32];
	bool cached = false;
	int rc;

	cs_error_clear(&fe);
	if (get_crl(url, oo, dl, &crl, &cached, &fe) < 0) {
		if (fe.code == CS_E_NOMEM) {
			*err = fe;
			return -1;
		}
		snprintf(msg, sizeof(msg), "CRL: %s", fe.msg);
		return cs_online_unavailable(res, i, oo, msg, err);
	}
	snprintf(from, sizeof(from), "%s%s", url,
		 cached ? " (cached)" : "");
	cs_crl_judge(crl, res->path[i].crt, res->path[i + 1].crt,
		     &res->path[i + 1].model, vo->at, &v);
	gnutls_x509_crl_deinit(crl);
	cs_time_format(v.this_update, d1, sizeof(d1));
	cs_time_format(v.next_update, d2, sizeof(d2));
	switch (v.status) {
	case CS_CRL_GOOD:
		snprintf(msg, sizeof(msg), "The CRL of %s does not list "
			 "'%s' (valid from %s to %s).", from, name, d1, d2);
		return add(res, "crl-good", i, NULL, msg, err);
	case CS_CRL_REVOKED:
		cs_time_format(v.revoked_at, d1, sizeof(d1));
		snprintf(msg, sizeof(msg), "'%s' was revoked on %s (CRL of "
			 "%s).", name, d1, from);
		return add(res, "revoked", i,
			   "Replace it with a new certificate.", msg, err);
	case CS_CRL_STALE:
		snprintf(msg, sizeof(msg), "The CRL of %s cannot tell whether "
			 "'%s' is revoked: %s (valid from %s to %s).", from,
			 name, v.why, d1, d2);
		rc = add(res, v.this_update != CS_TIME_NONE &&
			 vo->at < v.this_update ? "crl-not-yet-valid"
						: "crl-expired",
			 i, "The distribution point serves a stale CRL; ask "
			 "its operator to fix it.", msg, err);
		break;
	case CS_CRL_INVALID:
	default:
		snprintf(msg, sizeof(msg), "The CRL of %s cannot be relied "
			 "on for '%s': %s.", from, name, v.why);
		rc = add(res, "crl-unverifiable", i,
			 "The distribution point serves a CRL that cannot be "
			 "used; ask its operator to fix it.", msg, err);
		break;
	}
	if (rc == 0 && oo->revocation == CS_REVOCATION_HARD)
		rc = cs_online_unavailable(res, i, oo, msg, err);
	return rc;
}
