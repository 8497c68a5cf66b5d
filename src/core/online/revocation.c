/*
 * revocation.c - see online.h: each certificate of the path asked about
 * at its OCSP responder (RFC 6960, over HTTP as its appendix A.1 says),
 * the answer checked by path/ocsp.c exactly as a staple is, every
 * outcome a finding; what an unreachable or broken source means is the
 * mode's (soft: a warning; hard: not trusted).  A certificate without
 * an OCSP responder (or with --revocation-source crl) is looked up in
 * its CRL distribution point (crls.c).
 */
#include "online/online.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <gnutls/gnutls.h>

#include "net/http.h"
#include "path/ocsp.h"

#define GET_MAX 255 /* RFC 5019 5: GET when the encoded request is shorter */

static const char *http_url(const struct cs_strlist *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (!strncasecmp(l->v[i], "http://", 7) ||
		    !strncasecmp(l->v[i], "https://", 8))
			return l->v[i];
	return NULL;
}

/* url + "/" + percent-encoded base64 of der (RFC 6960 A.1), or "" when
 * that is GET_MAX or longer. */
static void get_url(const char *url, const gnutls_datum_t *der, char *out,
		    size_t outsz)
{
	gnutls_datum_t b64 = {NULL, 0};
	size_t o, i, base = strlen(url);

	out[0] = '\0';
	if (gnutls_base64_encode2(der, &b64) < 0)
		return;
	o = (size_t)snprintf(out, outsz, "%s%s", url,
			     base && url[base - 1] == '/' ? "" : "/");
	for (i = 0; i < b64.size && o + 4 < outsz; i++) {
		unsigned char c = b64.data[i];

		if (c == '+' || c == '/' || c == '=')
			o += (size_t)snprintf(out + o, outsz - o, "%%%02X", c);
		else if (c != '\n' && c != '\r')
			out[o++] = (char)c;
	}
	out[o] = '\0';
	if (i < b64.size || o - base >= GET_MAX)
		out[0] = '\0';
	gnutls_free(b64.data);
}

/* see online.h */
int cs_online_unavailable(struct cs_verify_result *res, size_t i,
			  const struct cs_online_opts *oo, const char *why,
			  struct cs_error *err)
{
	const char *name = cs_online_name(&res->path[i].model);
	int rc;

	if (oo->revocation == CS_REVOCATION_HARD)
		rc = cs_verify_add_finding(
			res, "revocation-required", (int)i,
			"Make the revocation source reachable, or use "
			"--revocation soft to accept an unknown status.",
			"Whether '%s' is revoked could not be established "
			"and --revocation hard requires it: %s", name, why);
	else
		rc = cs_verify_add_finding(
			res, "revocation-unavailable", (int)i,
			"Nothing to change in the chain; --revocation hard "
			"would reject it.",
			"Whether '%s' is revoked could not be checked: %s",
			name, why);
	return rc < 0 ? cs_error_setx(err, CS_E_NOMEM, "out of memory") : 0;
}

/* Ask the OCSP responder at url about path element i. */
static int ask_ocsp(struct cs_verify_result *res, size_t i, const char *url,
		    const struct cs_verify_opts *vo,
		    const struct cs_online_opts *oo,
		    const struct cs_deadline *dl, struct cs_error *err)
{
	gnutls_x509_crt_t cert = res->path[i].crt;
	gnutls_x509_crt_t issuer = res->path[i + 1].crt;
	unsigned char nonce[CS_OCSP_NONCE_MAX];
	size_t nonce_len = 0;
	gnutls_datum_t req = {NULL, 0};
	struct cs_http_req rq;
	struct cs_http_resp resp;
	struct cs_ocsp_result r;
	struct cs_ocsp_about ab;
	struct cs_error fe;
	char get[CS_HTTP_MAX_URL], what[CS_HTTP_MAX_URL + 64];
	char cert_words[300];
	const char *fix;
	int rc;

	cs_error_clear(&fe);
	if (cs_ocsp_request(cert, issuer, &req, nonce, &nonce_len, &fe) < 0)
		return cs_online_unavailable(res, i, oo, fe.msg, err);
	get_url(url, &req, get, sizeof(get));
	memset(&rq, 0, sizeof(rq));
	rq.max_bytes = CS_HTTP_MAX_OCSP;
	rq.dns_servers = oo->dns_servers;
	rq.name = url;
	if (get[0]) {
		rq.url = get;
	} else {
		rq.url = url;
		rq.post = req.data;
		rq.post_len = req.size;
		rq.content_type = "application/ocsp-request";
	}
	rc = cs_http_fetch(&rq, dl, &resp, &fe);
	gnutls_free(req.data);
	if (rc < 0) {
		char why[sizeof(fe.msg) + 32];

		if (fe.code == CS_E_NOMEM)
			return cs_error_setx(err, CS_E_NOMEM, "out of memory");
		snprintf(why, sizeof(why), "OCSP: %s", fe.msg);
		return cs_online_unavailable(res, i, oo, why, err);
	}
	snprintf(what, sizeof(what), "The OCSP response of %s", url);
	snprintf(cert_words, sizeof(cert_words), "'%s'",
		 cs_online_name(&res->path[i].model));
	ab = (struct cs_ocsp_about){.what = what, .cert = cert_words,
				    .nonce = nonce, .nonce_len = nonce_len};
	rc = cs_ocsp_check_about(resp.body, resp.len, cert, issuer, vo->at,
				 &ab, &r, err);
	cs_http_resp_free(&resp);
	if (rc < 0)
		return -1;
	if (r.code == NULL)
		rc = cs_verify_add_finding(res, "ocsp-good", (int)i, NULL,
					   "%s", r.message);
	else {
		fix = r.status == CS_OCSP_REVOKED ?
		      "Replace the certificate: it is revoked." :
		      "The responder's answer cannot be relied on; ask its "
		      "operator to fix it.";
		rc = cs_verify_add_finding(res, r.code, (int)i, fix, "%s",
					   r.message);
		/* revoked is an answer; anything else is no answer */
		if (rc == 0 && r.status != CS_OCSP_REVOKED &&
		    oo->revocation == CS_REVOCATION_HARD)
			return cs_online_unavailable(res, i, oo, r.message,
						     err);
	}
	return rc < 0 ? cs_error_setx(err, CS_E_NOMEM, "out of memory") : 0;
}

/* see online.h */
int cs_online_revocation(struct cs_verify_result *res,
			 const struct cs_verify_opts *vo,
			 const struct cs_online_opts *oo,
			 const struct cs_deadline *dl, struct cs_error *err)
{
	size_t i;

	if (!oo || oo->revocation == CS_REVOCATION_OFF || res->path_len < 2 ||
	    !res->path[res->path_len - 1].is_anchor)
		return 0;
	for (i = 0; i + 1 < res->path_len; i++) {
		const struct cs_cert_model *m = &res->path[i].model;
		const char *url = http_url(&m->ocsp_urls);

		if (res->path[i].is_anchor)
			break;
		if ((oo->sources & CS_REVOCATION_OCSP) && url) {
			if (ask_ocsp(res, i, url, vo, oo, dl, err) < 0)
				return -1;
			continue;
		}
		url = http_url(&m->crl_urls);
		if ((oo->sources & CS_REVOCATION_CRL) && url) {
			if (cs_online_ask_crl(res, i, url, vo, oo, dl, err) < 0)
				return -1;
			continue;
		}
		/* nothing to ask: said, not a failure (a certificate may
		 * name no source, e.g. a short-lived one) */
		if (cs_verify_add_finding(
			    res, "revocation-no-source", (int)i, NULL,
			    "'%s' names no %s over http: its revocation was "
			    "not checked.", cs_online_name(m),
			    oo->sources == CS_REVOCATION_OCSP
				    ? "OCSP responder (--revocation-source "
				      "ocsp)"
			    : oo->sources == CS_REVOCATION_CRL
				    ? "CRL distribution point "
				      "(--revocation-source crl)"
				    : "OCSP responder and no CRL distribution "
				      "point") < 0)
			return cs_error_setx(err, CS_E_NOMEM, "out of memory");
	}
	return 0;
}
