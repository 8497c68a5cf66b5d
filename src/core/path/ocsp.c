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

int cs_ocsp_check(const unsigned char *der, size_t len,
		  gnutls_x509_crt_t leaf, gnutls_x509_crt_t issuer,
		  cs_time_t at, struct cs_ocsp_result *r,
		  struct cs_error *err)
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
		invalid(r, "The stapled OCSP response is %s.",
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
		invalid(r, "The stapled OCSP response cannot be decoded "
			"(GnuTLS says: %s).", gnutls_strerror(ret));
		goto out;
	}
	ret = gnutls_ocsp_resp_get_status(resp);
	if (ret != GNUTLS_OCSP_RESP_SUCCESSFUL) {
		snprintf(a, sizeof(a), "%d", ret);
		invalid(r, "The stapled OCSP response is not a successful "
			"answer (responseStatus %s, RFC 6960 4.2.1).", a);
		goto out;
	}
	r->produced_at = from_time_t(gnutls_ocsp_resp_get_produced(resp));
	idx = find_single(resp, leaf);
	if (idx < 0) {
		invalid(r, "The stapled OCSP response is about %s, not about "
			"the server's certificate.", "another certificate");
		goto out;
	}
	if (gnutls_ocsp_resp_get_single(resp, (unsigned)idx, NULL, NULL,
					NULL, NULL, &status, &tu, &nu, &rt,
					&reason) < 0) {
		invalid(r, "The stapled OCSP response has an unreadable %s.",
			"single response");
		goto out;
	}
	r->this_update = from_time_t(tu);
	r->next_update = from_time_t(nu);
	if (issuer == NULL) {
		invalid(r, "The stapled OCSP response cannot be checked: %s.",
			"the issuer of the server's certificate is not known");
		goto out;
	}
	r->signature_ok = signature_ok(resp, issuer);
	if (!r->signature_ok) {
		invalid(r, "The stapled OCSP response is not signed by %s "
			"(RFC 6960 4.2.2.2); its status is ignored.",
			"the issuer of the server's certificate or a "
			"responder it authorised");
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
		snprintf(r->message, sizeof(r->message),
			 "The server's own stapled OCSP response says its "
			 "certificate was revoked on %s (response of %s).",
			 c, a);
	} else if (!r->time_ok) {
		r->code = "ocsp-expired";
		snprintf(r->message, sizeof(r->message),
			 "The stapled OCSP response is valid from %s to %s, "
			 "not at the time of the check; the server staples "
			 "a stale response.", a, b);
	} else if (r->status == CS_OCSP_UNKNOWN) {
		r->code = "ocsp-unknown";
		snprintf(r->message, sizeof(r->message),
			 "The stapled OCSP response says the responder does "
			 "not know the server's certificate (%s).", a);
	} else {
		snprintf(r->message, sizeof(r->message),
			 "The stapled OCSP response says good, valid from %s "
			 "to %s.", a, b);
	}
out:
	gnutls_ocsp_resp_deinit(resp);
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
