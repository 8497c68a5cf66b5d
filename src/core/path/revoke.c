/*
 * revoke.c - revocation by the CRLs given with --crl (RFC 5280 6.3): for
 * one certificate of the path, the CRLs that name its issuer, their
 * signature by the issuer's key, whether they can be relied on
 * (cRLSign, a non-critical cRLNumber, no critical extension left
 * unprocessed) and are current at the validation time, and whether they
 * list its serial number.
 *
 * Does not: fetch CRLs (distribution points are not followed), process
 * delta CRLs or issuing distribution points (a CRL that needs them is
 * not used), check OCSP (ocsp.c).
 */
#include <stdio.h>
#include <string.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>

#include "path/crl.h"
#include "path/verify_int.h"

/* ---- revocation (RFC 5280 6.3) ------------------------------------- */

static bool crl_lists(gnutls_x509_crl_t crl, gnutls_x509_crt_t crt,
		      time_t *when)
{
	unsigned char want[64], got[64];
	size_t wlen = sizeof(want), glen;
	gnutls_x509_crl_iter_t it = NULL;
	bool found = false;

	if (gnutls_x509_crt_get_serial(crt, want, &wlen) < 0)
		return false;
	for (;;) {
		glen = sizeof(got);
		if (gnutls_x509_crl_iter_crt_serial(crl, &it, got, &glen,
						    when) < 0)
			break;
		if (glen == wlen && memcmp(got, want, wlen) == 0) {
			found = true;
			break;
		}
	}
	gnutls_x509_crl_iter_deinit(it);
	return found;
}

/* CRL extensions a CRL may mark critical and still be used here: the
 * CRL number, AKI and issuer alternative name (RFC 5280 5.2).  Others
 * (issuingDistributionPoint, deltaCRLIndicator) narrow or change what
 * the CRL covers, which is not processed, so such a CRL is not used. */
#define OID_CRL_NUMBER "2.5.29.20"
#define OID_IAN        "2.5.29.18"
#define MAX_CRL_NUMBER 20 /* octets, RFC 5280 5.2.3 */
#define CRL_SIG_BAD (GNUTLS_CERT_SIGNATURE_FAILURE | \
		     GNUTLS_CERT_SIGNER_NOT_FOUND | \
		     GNUTLS_CERT_SIGNER_NOT_CA)
#define CRL_TIME_BITS (GNUTLS_CERT_REVOCATION_DATA_SUPERSEDED | \
		       GNUTLS_CERT_REVOCATION_DATA_ISSUED_IN_FUTURE)

/* Why the CRL cannot be used for what its issuer signed, or NULL. */
static const char *crl_unusable(gnutls_x509_crl_t crl,
				const struct cs_cert_model *issm)
{
	unsigned char num[MAX_CRL_NUMBER + 8];
	size_t nsz = sizeof(num);
	unsigned crit = 0, idx;
	char oid[MAX_OID_TEXT];

	/* RFC 5280 6.3.3 (f): the issuer's key usage, if present,
	 * allows signing CRLs. */
	if (issm->has_key_usage && !(issm->key_usage & CS_KU_CRL_SIGN))
		return "its issuer's key usage does not include cRLSign "
		       "(RFC 5280 6.3.3 (f))";
	/* RFC 5280 5.2.3: every CRL has a non-critical cRLNumber. */
	if (gnutls_x509_crl_get_number(crl, num, &nsz, &crit) < 0)
		return "it has no CRL number (RFC 5280 5.2.3)";
	if (crit)
		return "its CRL number is marked critical (RFC 5280 5.2.3)";
	for (idx = 0;; idx++) {
		size_t osz = sizeof(oid);
		int ret = gnutls_x509_crl_get_extension_info(crl, idx, oid,
							     &osz, &crit);

		if (ret == GNUTLS_E_SHORT_MEMORY_BUFFER) {
			return "it has a critical extension certscope does "
			       "not process";
		}
		if (ret < 0)
			break;
		if (crit && strcmp(oid, OID_CRL_NUMBER) != 0 &&
		    strcmp(oid, OID_AKI) != 0 && strcmp(oid, OID_IAN) != 0)
			return "it has a critical extension certscope does "
			       "not process (an issuing distribution point "
			       "or delta CRL indicator)";
	}
	return NULL;
}

/*
 * RFC 5280 6.3.3: the CRLs given (--crl) that name c's issuer.  A CRL
 * counts when its signature verifies with the issuer's key (g), it is
 * usable (crl_unusable) and current at the validation time (a).  With
 * --crl the user asked for revocation checking: when CRLs for the issuer
 * were given but none counts, c's status is unknown and the problems
 * are errors; one CRL that counts decides.  A certificate listed in a
 * CRL whose signature verifies is revoked whatever else is wrong with
 * that CRL (revocation is not undone by a CRL going stale).  CRLs of
 * other issuers say nothing about c (limbo crl::certificate-serial-on-
 * crl-different-issuer).
 */
void cs_check_crls(struct cs_flist *l, struct cs_pool *p,
		   const struct cs_path *path, size_t i,
		   const struct cs_verify_opts *o)
{
	const struct cs_cand *c = &p->v[path->idx[i]];
	const struct cs_cand *iss = &p->v[path->idx[i + 1]];
	const unsigned verify_flags = GNUTLS_VERIFY_DISABLE_TIME_CHECKS |
				      GNUTLS_VERIFY_ALLOW_BROKEN |
				      GNUTLS_VERIFY_ALLOW_SIGN_WITH_SHA1;
	size_t k, n0 = l->n;
	bool any = false, good = false;
	char d1[32], d2[32];

	for (k = 0; k < o->crls->n; k++) {
		const struct cs_item *it = &o->crls->items[k];
		const char *path_s = it->origin.path ? it->origin.path : "?";
		gnutls_datum_t dn = {NULL, 0};
		gnutls_x509_crt_t ca = iss->crt;
		unsigned status = 0;
		time_t tu, nu, when = 0;
		const char *why;
		bool same;

		if (it->kind != CS_ITEM_CRL)
			continue;
		if (gnutls_x509_crl_get_raw_issuer_dn(it->crl, &dn) < 0)
			continue;
		same = dn.size == c->iss.size &&
		       memcmp(dn.data, c->iss.data, dn.size) == 0;
		gnutls_free(dn.data);
		if (!same)
			continue;
		any = true;
		/* GnuTLS judges the CRL's dates against the clock even with
		 * time checks off; dates are checked below against the
		 * validation time, so only the signature counts here. */
		if (gnutls_x509_crl_verify(it->crl, &ca, 1, verify_flags,
					   &status) < 0 ||
		    (status & CRL_SIG_BAD) != 0 ||
		    ((status & GNUTLS_CERT_INVALID) != 0 &&
		     (status & CRL_TIME_BITS) == 0)) {
			cs_flist_add(l, "crl-unverifiable", (int)i, c,
				     "Get the CRL from the issuer's "
				     "distribution point.",
				     "A CRL naming '%s' as its issuer does not "
				     "verify with the key of '%s' (from %s), "
				     "so it says nothing about '%s'.",
				     cs_name_of(iss), cs_name_of(iss), path_s,
				     cs_name_of(c));
			continue;
		}
		if (crl_lists(it->crl, c->crt, &when)) {
			cs_date_str((cs_time_t)when, d1, sizeof(d1));
			cs_flist_add(l, "revoked", (int)i, c,
				     "Replace it with a new certificate.",
				     "'%s' (serial %s) was revoked on %s by "
				     "'%s' (CRL %s).", cs_name_of(c),
				     c->m.serial_hex, d1, cs_name_of(iss),
				     path_s);
		}
		why = crl_unusable(it->crl, &iss->m);
		if (why != NULL) {
			cs_flist_add(l, "crl-unverifiable", (int)i, c,
				     "Get a CRL that follows RFC 5280 from the "
				     "issuer.",
				     "The CRL of '%s' (from %s) cannot be "
				     "relied on: %s.", cs_name_of(iss), path_s,
				     why);
			continue;
		}
		tu = gnutls_x509_crl_get_this_update(it->crl);
		nu = gnutls_x509_crl_get_next_update(it->crl);
		if (tu != (time_t)-1 && o->at < (cs_time_t)tu) {
			cs_date_str((cs_time_t)tu, d1, sizeof(d1));
			cs_flist_add(l, "crl-not-yet-valid", (int)i, c,
				     "Check the validation time or get the "
				     "current CRL.",
				     "The CRL of '%s' is dated %s, after the "
				     "validation time.", cs_name_of(iss), d1);
		} else if (nu != (time_t)-1 && o->at >= (cs_time_t)nu) {
			cs_date_str((cs_time_t)nu, d1, sizeof(d1));
			cs_date_str(o->at, d2, sizeof(d2));
			cs_flist_add(l, "crl-expired", (int)i, c,
				     "Download the current CRL from the "
				     "issuer.",
				     "The CRL of '%s' was due to be replaced "
				     "on %s (before %s): it may miss recent "
				     "revocations.", cs_name_of(iss), d1, d2);
		} else {
			good = true;
		}
	}
	/* Status unknown although revocation checking was asked for. */
	for (k = n0; any && !good && k < l->n; k++)
		l->v[k].severity = CS_SEV_ERROR;
}

/* see verify_int.h */
void cs_check_crls_used(struct cs_flist *l, struct cs_pool *p,
			const struct cs_path *path,
			const struct cs_verify_opts *o)
{
	size_t k, i;

	for (k = 0; o->crls != NULL && k < o->crls->n; k++) {
		const struct cs_item *it = &o->crls->items[k];
		gnutls_datum_t dn = {NULL, 0}, name = {NULL, 0};
		bool used = false;

		if (it->kind != CS_ITEM_CRL)
			continue;
		if (gnutls_x509_crl_get_raw_issuer_dn(it->crl, &dn) < 0)
			continue;
		/* a CRL applies to the certificates its issuer issued:
		 * those of the path below the anchor */
		for (i = 0; i + 1 < path->n && !used; i++) {
			const struct cs_cand *c = &p->v[path->idx[i]];

			if (path->anchored && i + 1 == path->n)
				break;
			used = dn.size == c->iss.size &&
			       memcmp(dn.data, c->iss.data, dn.size) == 0;
		}
		gnutls_free(dn.data);
		if (used)
			continue;
		(void)gnutls_x509_crl_get_issuer_dn2(it->crl, &name);
		cs_flist_add(l, "crl-unused", -1, NULL,
			     "Give the CRL of an issuer in the path (the CRL "
			     "of the CA that issued the certificate to check).",
			     "The CRL from %s (item %zu), issued by '%s', "
			     "applies to no certificate of the path: it was "
			     "not used.", it->origin.path ? it->origin.path : "?",
			     it->origin.index,
			     name.data ? (const char *)name.data : "?");
		gnutls_free(name.data);
	}
}

/* see crl.h */
void cs_crl_judge(gnutls_x509_crl_t crl, gnutls_x509_crt_t crt,
		  gnutls_x509_crt_t issuer,
		  const struct cs_cert_model *issuer_model, cs_time_t at,
		  struct cs_crl_verdict *v)
{
	const unsigned verify_flags = GNUTLS_VERIFY_DISABLE_TIME_CHECKS |
				      GNUTLS_VERIFY_ALLOW_BROKEN |
				      GNUTLS_VERIFY_ALLOW_SIGN_WITH_SHA1;
	gnutls_datum_t a = {NULL, 0}, b = {NULL, 0};
	unsigned status = 0;
	time_t tu, nu, when = 0;
	const char *why;
	bool same;

	memset(v, 0, sizeof(*v));
	v->revoked_at = CS_TIME_NONE;
	tu = gnutls_x509_crl_get_this_update(crl);
	nu = gnutls_x509_crl_get_next_update(crl);
	v->this_update = tu == (time_t)-1 ? CS_TIME_NONE : (cs_time_t)tu;
	v->next_update = nu == (time_t)-1 ? CS_TIME_NONE : (cs_time_t)nu;
	same = gnutls_x509_crl_get_raw_issuer_dn(crl, &a) >= 0 &&
	       gnutls_x509_crt_get_raw_issuer_dn(crt, &b) >= 0 &&
	       a.size == b.size && memcmp(a.data, b.data, a.size) == 0;
	gnutls_free(a.data);
	gnutls_free(b.data);
	if (!same) {
		v->status = CS_CRL_INVALID;
		snprintf(v->why, sizeof(v->why), "it is not issued by the "
			 "certificate's issuer (indirect CRLs are not "
			 "processed)");
		return;
	}
	if (gnutls_x509_crl_verify(crl, &issuer, 1, verify_flags,
				   &status) < 0 ||
	    (status & CRL_SIG_BAD) != 0 ||
	    ((status & GNUTLS_CERT_INVALID) != 0 &&
	     (status & CRL_TIME_BITS) == 0)) {
		v->status = CS_CRL_INVALID;
		snprintf(v->why, sizeof(v->why), "it does not verify with "
			 "the issuer's key");
		return;
	}
	/* signed by the issuer: a listed certificate is revoked whatever
	 * else is wrong with the CRL */
	if (crl_lists(crl, crt, &when)) {
		v->status = CS_CRL_REVOKED;
		v->revoked_at = (cs_time_t)when;
		return;
	}
	why = crl_unusable(crl, issuer_model);
	if (why != NULL) {
		v->status = CS_CRL_INVALID;
		snprintf(v->why, sizeof(v->why), "%s", why);
		return;
	}
	if (v->this_update != CS_TIME_NONE && at < v->this_update) {
		v->status = CS_CRL_STALE;
		snprintf(v->why, sizeof(v->why), "it is dated after the "
			 "validation time");
	} else if (v->next_update != CS_TIME_NONE && at >= v->next_update) {
		v->status = CS_CRL_STALE;
		snprintf(v->why, sizeof(v->why), "it was due to be replaced "
			 "before the validation time");
	} else {
		v->status = CS_CRL_GOOD;
	}
}
