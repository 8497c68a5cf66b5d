/*
 * ocsp.c - see ocsp.h.  GnuTLS decodes and verifies (gnutls/ocsp.h); the
 * order of the checks and the sentences are ours.
 */
#include "path/ocsp.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <gnutls/gnutls.h>
#include <gnutls/ocsp.h>

/* The largest staple we look at: real ones are 1-3 KiB. */
#define CS_OCSP_MAX_BYTES ((size_t)64 * 1024)

const char *cs_ocsp_status_name(enum cs_ocsp_status s)
{
	switch (s) {
	case CS_OCSP_GOOD: return "good";
	case CS_OCSP_REVOKED: return "revoked";
	case CS_OCSP_UNKNOWN: return "unknown";
	case CS_OCSP_INVALID: break;
	}
	return "invalid";
}

static void fmt_time(cs_time_t t, char *out, size_t outsz)
{
	if (t == CS_TIME_NONE)
		snprintf(out, outsz, "(none)");
	else
		cs_time_format(t, out, outsz);
}

static cs_time_t from_time_t(time_t t)
{
	return t == (time_t)-1 ? CS_TIME_NONE : (cs_time_t)t;
}

static void invalid(struct cs_ocsp_result *r, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void invalid(struct cs_ocsp_result *r, const char *fmt, ...)
{
	va_list ap;

	r->status = CS_OCSP_INVALID;
	r->code = "ocsp-unverifiable";
	va_start(ap, fmt);
	vsnprintf(r->message, sizeof(r->message), fmt, ap);
	va_end(ap);
}

/* Index of the single response for leaf, or -1. */
static int find_single(gnutls_ocsp_resp_t resp, gnutls_x509_crt_t leaf)
{
	for (unsigned i = 0; i < 1024; i++) {
		unsigned status;
		time_t tu, nu, rt;
		unsigned reason;
		int ret = gnutls_ocsp_resp_get_single(resp, i, NULL, NULL,
						      NULL, NULL, &status,
						      &tu, &nu, &rt, &reason);

		if (ret < 0)
			return -1;
		if (gnutls_ocsp_resp_check_crt(resp, i, leaf) == 0)
			return (int)i;
	}
	return -1;
}

/* Signed by the issuer itself, or by a certificate in the response that
 * the issuer signed for OCSP signing (GnuTLS checks the EKU). */
static bool signature_ok(gnutls_ocsp_resp_t resp, gnutls_x509_crt_t issuer)
{
	gnutls_x509_trust_list_t tl = NULL;
	unsigned verify = 1;
	bool ok = false;

	if (gnutls_ocsp_resp_verify_direct(resp, issuer, &verify, 0) == 0 &&
	    verify == 0)
		return true;
	if (gnutls_x509_trust_list_init(&tl, 0) < 0)
		return false;
	/* The list only borrows issuer: deinit with all=0 below leaves
	 * the certificates it holds alone. */
	if (gnutls_x509_trust_list_add_cas(tl, &issuer, 1, 0) >= 0) {
		verify = 1;
		if (gnutls_ocsp_resp_verify(resp, tl, &verify,
					    GNUTLS_VERIFY_DISABLE_TIME_CHECKS)
		    == 0 && verify == 0)
			ok = true;
	}
	gnutls_x509_trust_list_deinit(tl, 0);
	return ok;
}

/* see ocsp.h */
int cs_ocsp_check(const unsigned char *der, size_t len,
		  gnutls_x509_crt_t leaf, gnutls_x509_crt_t issuer,
		  cs_time_t at, struct cs_ocsp_result *r,
		  struct cs_error *err)
{
	static const struct cs_ocsp_about staple = {
		.what = "The stapled OCSP response",
		.cert = "the server's certificate",
		.staple = true,
	};

	return cs_ocsp_check_about(der, len, leaf, issuer, at, &staple, r,
				   err);
}

/* The response's nonce against the one sent: 0 when it matches or the
 * response has none (most responders sign ahead of time), -1 when it
 * differs. */
static int nonce_ok(gnutls_ocsp_resp_t resp, const struct cs_ocsp_about *ab)
{
	gnutls_datum_t n = {NULL, 0};
	unsigned critical = 0;
	int ok;

	if (ab->nonce == NULL || ab->nonce_len == 0)
		return 0;
	if (gnutls_ocsp_resp_get_nonce(resp, &critical, &n) < 0)
		return 0;
	ok = n.size == ab->nonce_len &&
	     memcmp(n.data, ab->nonce, ab->nonce_len) == 0;
	gnutls_free(n.data);
	return ok ? 0 : -1;
}

/* see ocsp.h */
int cs_ocsp_check_about(const unsigned char *der, size_t len,
			gnutls_x509_crt_t leaf, gnutls_x509_crt_t issuer,
			cs_time_t at, const struct cs_ocsp_about *ab,
			struct cs_ocsp_result *r, struct cs_error *err)
{
	gnutls_ocsp_resp_t resp = NULL;
	gnutls_datum_t d;
	char a[32], b[32];
	unsigned status = 0, reason = 0;
	time_t tu, nu, rt;
	int idx, ret;

	memset(r, 0, sizeof(*r));
	r->produced_at = r->this_update = r->next_update = CS_TIME_NONE;
	r->revoked_at = CS_TIME_NONE;
	r->status = CS_OCSP_INVALID;
	if (len == 0 || len > CS_OCSP_MAX_BYTES) {
		invalid(r, "%s is %s.", ab->what,
			len ? "larger than 64 KiB" : "empty");
		return 0;
	}
	if (gnutls_ocsp_resp_init(&resp) < 0) {
		cs_error_setx(err, CS_E_NOMEM, "out of memory");
		return -1;
	}
	d.data = (unsigned char *)der;
	d.size = (unsigned)len;
	ret = gnutls_ocsp_resp_import(resp, &d);
	if (ret < 0) {
		invalid(r, "%s cannot be decoded (GnuTLS says: %s).",
			ab->what, gnutls_strerror(ret));
		goto out;
	}
	ret = gnutls_ocsp_resp_get_status(resp);
	if (ret != GNUTLS_OCSP_RESP_SUCCESSFUL) {
		snprintf(a, sizeof(a), "%d", ret);
		invalid(r, "%s is not a successful answer (responseStatus "
			"%s, RFC 6960 4.2.1).", ab->what, a);
		goto out;
	}
	r->produced_at = from_time_t(gnutls_ocsp_resp_get_produced(resp));
	idx = find_single(resp, leaf);
	if (idx < 0) {
		invalid(r, "%s is about another certificate, not about %s.",
			ab->what, ab->cert);
		goto out;
	}
	if (gnutls_ocsp_resp_get_single(resp, (unsigned)idx, NULL, NULL,
					NULL, NULL, &status, &tu, &nu, &rt,
					&reason) < 0) {
		invalid(r, "%s has an unreadable single response.",
			ab->what);
		goto out;
	}
	r->this_update = from_time_t(tu);
	r->next_update = from_time_t(nu);
	if (issuer == NULL) {
		invalid(r, "%s cannot be checked: the issuer of %s is not "
			"known.", ab->what, ab->cert);
		goto out;
	}
	r->signature_ok = signature_ok(resp, issuer);
	if (!r->signature_ok) {
		invalid(r, "%s is not signed by the issuer of %s or a "
			"responder it authorised (RFC 6960 4.2.2.2); its "
			"status is ignored.", ab->what, ab->cert);
		goto out;
	}
	if (nonce_ok(resp, ab) < 0) {
		r->signature_ok = false;
		invalid(r, "%s carries a nonce other than the one sent (a "
			"replayed answer?); its status is ignored.", ab->what);
		goto out;
	}
	switch (status) {
	case GNUTLS_OCSP_CERT_GOOD:
		r->status = CS_OCSP_GOOD;
		break;
	case GNUTLS_OCSP_CERT_REVOKED:
		r->status = CS_OCSP_REVOKED;
		r->revoked_at = from_time_t(rt);
		r->reason = (int)reason;
		break;
	default:
		r->status = CS_OCSP_UNKNOWN;
		break;
	}
	r->time_ok = r->this_update != CS_TIME_NONE &&
		     r->this_update <= at + CS_OCSP_SKEW_SECS &&
		     (r->next_update == CS_TIME_NONE ||
		      r->next_update + CS_OCSP_SKEW_SECS > at);
	fmt_time(r->this_update, a, sizeof(a));
	fmt_time(r->next_update, b, sizeof(b));
	if (r->status == CS_OCSP_REVOKED) {
		char c[32];

		fmt_time(r->revoked_at, c, sizeof(c));
		r->code = "ocsp-revoked";
		if (ab->staple)
			snprintf(r->message, sizeof(r->message),
				 "The server's own stapled OCSP response says "
				 "its certificate was revoked on %s (response "
				 "of %s).", c, a);
		else
			snprintf(r->message, sizeof(r->message),
				 "%s says %s was revoked on %s, reason %s "
				 "(response of %s).", ab->what, ab->cert, c,
				 cs_crl_reason_name(r->reason), a);
	} else if (!r->time_ok) {
		r->code = "ocsp-expired";
		snprintf(r->message, sizeof(r->message),
			 "%s is valid from %s to %s, not at the time of the "
			 "check; the %s a stale response.", ab->what, a, b,
			 ab->staple ? "server staples" : "responder serves");
	} else if (r->status == CS_OCSP_UNKNOWN) {
		r->code = "ocsp-unknown";
		snprintf(r->message, sizeof(r->message),
			 "%s says the responder does not know %s (%s).",
			 ab->what, ab->cert, a);
	} else {
		snprintf(r->message, sizeof(r->message),
			 "%s says good, valid from %s to %s.", ab->what, a, b);
	}
out:
	gnutls_ocsp_resp_deinit(resp);
	return 0;
}

/* see ocsp.h */
const char *cs_crl_reason_name(int reason)
{
	static const char *const names[] = {
		"unspecified", "keyCompromise", "cACompromise",
		"affiliationChanged", "superseded", "cessationOfOperation",
		"certificateHold", "(unused 7)", "removeFromCRL",
		"privilegeWithdrawn", "aACompromise",
	};

	/* gnutls_x509_crl_reason_t is the RFC 5280 5.3.1 number */
	return reason >= 0 && (size_t)reason < sizeof(names) / sizeof(*names)
		       ? names[reason]
		       : "unknown";
}

/* see ocsp.h */
int cs_ocsp_request(gnutls_x509_crt_t cert, gnutls_x509_crt_t issuer,
		    gnutls_datum_t *req, unsigned char *nonce,
		    size_t *nonce_len, struct cs_error *err)
{
	gnutls_ocsp_req_t r = NULL;
	gnutls_datum_t n = {NULL, 0};
	unsigned critical = 0;
	int ret;

	req->data = NULL;
	req->size = 0;
	*nonce_len = 0;
	if (gnutls_ocsp_req_init(&r) < 0)
		return cs_error_setx(err, CS_E_NOMEM, "out of memory");
	/* SHA-1 certificate IDs: what every responder understands (RFC
	 * 5019 2.1.1) */
	ret = gnutls_ocsp_req_add_cert(r, GNUTLS_DIG_SHA1, issuer, cert);
	if (ret >= 0)
		ret = gnutls_ocsp_req_randomize_nonce(r);
	if (ret >= 0)
		ret = gnutls_ocsp_req_get_nonce(r, &critical, &n);
	if (ret >= 0 && n.size <= CS_OCSP_NONCE_MAX) {
		memcpy(nonce, n.data, n.size);
		*nonce_len = n.size;
	}
	gnutls_free(n.data);
	if (ret >= 0)
		ret = gnutls_ocsp_req_export(r, req);
	gnutls_ocsp_req_deinit(r);
	if (ret < 0)
		return cs_error_setx(err, CS_E_INTERNAL, "cannot build an OCSP "
				     "request: %s", gnutls_strerror(ret));
	return 0;
}

/* ---- a staple as a finding of the verdict ------------------------- */

/* The issuer of the leaf: the next element of the validated path. */
static gnutls_x509_crt_t leaf_issuer(const struct cs_verify_result *vr)
{
	return vr->path_len >= 2 ? vr->path[1].crt : NULL;
}

/* see ocsp.h */
int cs_ocsp_check_staple(const unsigned char *der, size_t len, cs_time_t at,
			 struct cs_verify_result *vr,
			 struct cs_ocsp_result *ocsp, struct cs_error *err)
{
	const struct cs_finding_def *def;
	struct cs_finding *nf, *f;
	gnutls_x509_crt_t leaf;

	if (vr->path_len == 0 || vr->path[0].crt == NULL)
		return 0; /* no leaf to speak of: nothing to check */
	leaf = vr->path[0].crt;
	if (cs_ocsp_check(der, len, leaf, leaf_issuer(vr), at, ocsp, err) < 0)
		return -1;
	if (ocsp->code == NULL)
		return 0;
	def = cs_finding_lookup(ocsp->code);
	nf = realloc(vr->findings, (vr->n_findings + 1) * sizeof(*nf));
	if (def == NULL || nf == NULL) {
		cs_error_setx(err, CS_E_NOMEM, "out of memory");
		return -1;
	}
	vr->findings = nf;
	f = &nf[vr->n_findings];
	memset(f, 0, sizeof(*f));
	f->code = def->code;
	f->severity = def->severity;
	f->cert = 0;
	f->subject = vr->path[0].model.subject ?
		     strdup(vr->path[0].model.subject) : NULL;
	f->message = strdup(ocsp->message);
	f->fix = strdup(ocsp->status == CS_OCSP_REVOKED ?
			"Replace the certificate: it is revoked." :
			"Make the server staple a current response signed "
			"by the issuer (or turn stapling off rather than "
			"send a bad one).");
	vr->n_findings++;
	if (f->message == NULL || f->fix == NULL) {
		cs_error_setx(err, CS_E_NOMEM, "out of memory");
		return -1;
	}
	if (def->severity == CS_SEV_ERROR)
		vr->trusted = false;
	return 0;
}
