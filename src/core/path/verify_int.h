/*
 * verify_int.h - internal to path/: what verify.c shares with the files
 * of its checks: the findings list a path is judged into, the wording
 * its sentences share, and the checks verify.c's check_path runs, in an
 * order that is the order of the findings.  Their definitions are in
 * findlist.c, rules.c, webpki.c and revoke.c.
 *
 * Does not: declare anything for other stages (the API is verify.h).
 */
#ifndef CS_VERIFY_INT_H
#define CS_VERIFY_INT_H

#include <stdbool.h>
#include <stddef.h>

#include "x509/model.h"
#include "path/chain.h"
#include "path/trust.h"
#include "path/verify.h"

/* RFC 5280 4.2.1.12 key purposes. */
#define OID_ANY_EKU   "2.5.29.37.0"
#define OID_KP_SERVER "1.3.6.1.5.5.7.3.1"
#define OID_KP_CLIENT "1.3.6.1.5.5.7.3.2"
#define OID_KP_CODE   "1.3.6.1.5.5.7.3.3"
#define OID_KP_EMAIL  "1.3.6.1.5.5.7.3.4"

/* Name constraint comparisons allowed per certificate pair, and for
 * all the paths one verification scores (about 0.3 s at ~20 ns each):
 * a pool of look-alike constrained CAs cannot multiply the first. */
#define MAX_NC_CHECKS ((size_t)1 << 20)
#define MAX_NC_TOTAL  ((size_t)1 << 24)

#define MAX_OID_TEXT 128 /* dotted OIDs longer than this are not ours */

/* Extensions the checks look at. */
#define OID_AKI "2.5.29.35"
#define OID_SKI "2.5.29.14"
#define OID_SAN "2.5.29.17"
#define OID_BC  "2.5.29.19"
#define OID_AIA "1.3.6.1.5.5.7.1.1"
#define OID_POLICY_CONSTRAINTS "2.5.29.36"
#define OID_INHIBIT_ANY_POLICY "2.5.29.54"
#define OID_NC "2.5.29.30"

struct cs_flist {
	struct cs_finding *v; /* owned */
	size_t n, cap;
	bool nomem;
};

/* ---- findlist.c ---------------------------------------------------- */

void cs_finding_free(struct cs_finding *f);
void cs_flist_free(struct cs_flist *l);

/* Append a finding about c (position cert in the path, -1 and NULL for
 * none); code must be in the table of findings.c, fix may be NULL. */
void cs_flist_add(struct cs_flist *l, const char *code, int cert,
		  const struct cs_cand *c, const char *fix, const char *fmt,
		  ...) __attribute__((format(printf, 6, 7)));

/* The name a person knows a certificate by: its CN, else its DN. */
const char *cs_name_of(const struct cs_cand *c);
/* "2025-01-01" when at midnight, else "2025-01-01T12:00:00Z". */
void cs_date_str(cs_time_t t, char *out, size_t outsz);
/* The key purpose OID the options ask for, NULL for any. */
const char *cs_purpose_oid(const struct cs_verify_opts *o);
/* "serverAuth", ..., or the OID itself. */
const char *cs_purpose_word(const char *oid);
bool cs_has_eku(const struct cs_cert_model *m, const char *oid);
/* The certificate's purposes as words, comma-separated. */
void cs_eku_list(const struct cs_cert_model *m, char *out, size_t outsz);

/* ---- rules.c: RFC 5280 --------------------------------------------- */

void cs_check_time(struct cs_flist *l, const struct cs_cand *c, int i,
		   cs_time_t at, bool anchor);
void cs_check_algs(struct cs_flist *l, const struct cs_cand *c, int i,
		   bool check_sig);
void cs_check_extensions(struct cs_flist *l, const struct cs_cand *c,
			 int i);
/* Every extension cs_check_extensions decodes decodes: it would add no
 * bad-extension finding (chain.c keeps the answer with a model). */
bool cs_exts_decode(const struct cs_cand *c);
void cs_check_serial(struct cs_flist *l, const struct cs_cand *c, int i);
/* What the issuer at position i > 0 must be; *nc_left is what remains
 * of MAX_NC_TOTAL. */
void cs_check_issuer(struct cs_flist *l, struct cs_pool *p,
		     const struct cs_path *path, size_t i,
		     const struct cs_verify_opts *o, size_t *nc_left);

/* ---- webpki.c: the profile and the leaf ---------------------------- */

/* Do the anchors come from a root program (system or bundled store)? */
bool cs_curated_store(const struct cs_trust *t);
void cs_check_profile(struct cs_flist *l, const struct cs_cand *c, int i,
		      bool anchor, bool issuer, bool curated,
		      const struct cs_verify_opts *o);
void cs_check_leaf(struct cs_flist *l, const struct cs_cand *c,
		   const struct cs_verify_opts *o);

/* ---- revoke.c: CRLs ------------------------------------------------ */

/* Revocation of the certificate at position i by the CRLs in o->crls
 * (its issuer is at i + 1). */
void cs_check_crls(struct cs_flist *l, struct cs_pool *p,
		   const struct cs_path *path, size_t i,
		   const struct cs_verify_opts *o);

/* A crl-unused finding for each CRL of o->crls whose issuer issued no
 * certificate of the path (below its anchor): never silently ignored. */
void cs_check_crls_used(struct cs_flist *l, struct cs_pool *p,
			const struct cs_path *path,
			const struct cs_verify_opts *o);

#endif
