/*
 * rules.c - RFC 5280 checks on one certificate of a path: validity at
 * the validation time (4.1.2.5), signature and key algorithms (with the
 * minimum key sizes of the CA/B BR 6.1.5), extensions that must decode
 * and critical extensions that must be understood (4.2), the serial
 * number (4.1.2.2), and what an issuer must be (6.1.4): a v3 CA with
 * keyCertSign, within its pathLenConstraint, and whose EKU and name
 * constraints allow what is below it.
 *
 * Does not: apply the certificate profile or check the leaf's purpose
 * and names (webpki.c), check revocation (revoke.c), or weigh findings
 * into a verdict (verify.c).
 */
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>
#include <gnutls/x509-ext.h>

#include "x509/names.h"
#include "x509/nc.h"
#include "path/verify_int.h"

#define SECS_PER_DAY 86400

/* Minimum key sizes (CA/B Forum BR 6.1.5). */
#define MIN_RSA_BITS 2048
#define MIN_EC_BITS  256

/* RFC 5280 4.1.2.2: at most 20 octets of serial number. */
#define MAX_SERIAL_OCTETS 20

static long days_between(cs_time_t a, cs_time_t b)
{
	return (long)((b - a) / SECS_PER_DAY);
}

/* ---- checks on one certificate ------------------------------------- */

void cs_check_time(struct cs_flist *l, const struct cs_cand *c, int i,
		   cs_time_t at, bool anchor)
{
	const struct cs_cert_model *m = &c->m;
	char d1[32], d2[32], fix[256];
	bool inverted = m->not_before != CS_TIME_NONE &&
			m->not_after != CS_TIME_NONE &&
			m->not_after < m->not_before;

	cs_date_str(at, d2, sizeof(d2));
	snprintf(fix, sizeof(fix), "%s",
		 anchor ? "Replace this root in the trust store with its "
			  "current version, or use a path to a current root."
			: "Renew it and install the new certificate.");
	if (inverted) {
		cs_date_str(m->not_before, d1, sizeof(d1));
		cs_flist_add(l,
			     at < m->not_before ? "not-yet-valid" : "expired",
			     i, c, "Reissue it with a correct validity period.",
			     "'%s' can never be valid: its validity period is "
			     "inverted (notAfter is before notBefore %s).",
			     cs_name_of(c), d1);
		return;
	}
	if (m->not_after != CS_TIME_NONE && at > m->not_after) {
		cs_date_str(m->not_after, d1, sizeof(d1));
		cs_flist_add(l, "expired", i, c, fix,
			     "%s'%s' expired on %s (%ld days before %s).",
			     anchor ? "The trusted root " : "", cs_name_of(c),
			     d1, days_between(m->not_after, at), d2);
	}
	if (m->not_before != CS_TIME_NONE && at < m->not_before) {
		cs_date_str(m->not_before, d1, sizeof(d1));
		cs_flist_add(l, "not-yet-valid", i, c,
			     anchor ? fix
				    : "Check the clock of the machine that "
				      "issued it or wait until it becomes "
				      "valid.",
			     "'%s' is not valid before %s (%ld days after %s).",
			     cs_name_of(c), d1, days_between(at, m->not_before),
			     d2);
	}
	if (m->not_after == CS_TIME_NONE || m->not_before == CS_TIME_NONE)
		cs_flist_add(l, "expired", i, c, "Reissue it.",
			     "'%s' has a validity period that cannot be read.",
			     cs_name_of(c));
}

static bool weak_hash(int sign)
{
	gnutls_digest_algorithm_t h =
		gnutls_sign_get_hash_algorithm((gnutls_sign_algorithm_t)sign);

	return h == GNUTLS_DIG_MD5 || h == GNUTLS_DIG_SHA1 ||
	       h == GNUTLS_DIG_MD2;
}

void cs_check_algs(struct cs_flist *l, const struct cs_cand *c, int i,
		   bool check_sig)
{
	const struct cs_cert_model *m = &c->m;

	if (check_sig && weak_hash(m->gnutls_sign))
		cs_flist_add(l, "weak-signature", i, c,
			     "Reissue it with a SHA-256 (or stronger) "
			     "signature.",
			     "'%s' is signed with %s, which is no longer "
			     "accepted: collisions can be forged.",
			     cs_name_of(c), m->sig_alg);
	if (strcmp(m->key_alg, "RSA") == 0 && m->key_bits < MIN_RSA_BITS)
		cs_flist_add(l, "weak-key", i, c,
			     "Generate a new key of at least 2048 bits and "
			     "reissue.",
			     "'%s' has a %u-bit RSA key; at least %d bits are "
			     "required.", cs_name_of(c), m->key_bits,
			     MIN_RSA_BITS);
	else if (strcmp(m->key_alg, "DSA") == 0)
		cs_flist_add(l, "weak-key", i, c,
			     "Use an RSA (2048+ bits), ECDSA or Ed25519 key.",
			     "'%s' has a DSA key, which clients no longer "
			     "accept.", cs_name_of(c));
	else if (strcmp(m->key_alg, "ECDSA") == 0 &&
		 m->key_bits < MIN_EC_BITS)
		cs_flist_add(l, "weak-key", i, c,
			     "Use a P-256 or larger curve.",
			     "'%s' has a %u-bit EC key; at least %d bits are "
			     "required.", cs_name_of(c), m->key_bits,
			     MIN_EC_BITS);
}

/* ---- extensions that must decode ----------------------------------- */

static bool dec_bc(const gnutls_datum_t *d)
{
	unsigned ca = 0;
	int pl = 0;

	return gnutls_x509_ext_import_basic_constraints(d, &ca, &pl) >= 0;
}

static bool dec_ku(const gnutls_datum_t *d)
{
	unsigned ku = 0;

	return gnutls_x509_ext_import_key_usage(d, &ku) >= 0;
}

static bool dec_eku(const gnutls_datum_t *d)
{
	gnutls_x509_key_purposes_t p;
	bool ok;

	if (gnutls_x509_key_purpose_init(&p) < 0)
		return false;
	ok = gnutls_x509_ext_import_key_purposes(d, p, 0) >= 0;
	gnutls_x509_key_purpose_deinit(p);
	return ok;
}

static bool dec_san(const gnutls_datum_t *d)
{
	gnutls_subject_alt_names_t n;
	bool ok;

	if (gnutls_subject_alt_names_init(&n) < 0)
		return false;
	ok = gnutls_x509_ext_import_subject_alt_names(d, n, 0) >= 0;
	gnutls_subject_alt_names_deinit(n);
	return ok;
}

static bool dec_aki(const gnutls_datum_t *d)
{
	gnutls_x509_aki_t a;
	bool ok;

	if (gnutls_x509_aki_init(&a) < 0)
		return false;
	ok = gnutls_x509_ext_import_authority_key_id(d, a, 0) >= 0;
	gnutls_x509_aki_deinit(a);
	return ok;
}

static bool dec_ski(const gnutls_datum_t *d)
{
	gnutls_datum_t id = {NULL, 0};
	bool ok = gnutls_x509_ext_import_subject_key_id(d, &id) >= 0;

	gnutls_free(id.data);
	return ok;
}

static bool dec_policies(const gnutls_datum_t *d)
{
	gnutls_x509_policies_t p;
	bool ok;

	if (gnutls_x509_policies_init(&p) < 0)
		return false;
	ok = gnutls_x509_ext_import_policies(d, p, 0) >= 0;
	gnutls_x509_policies_deinit(p);
	return ok;
}

static bool dec_crldp(const gnutls_datum_t *d)
{
	gnutls_x509_crl_dist_points_t p;
	bool ok;

	if (gnutls_x509_crl_dist_points_init(&p) < 0)
		return false;
	ok = gnutls_x509_ext_import_crl_dist_points(d, p, 0) >= 0;
	gnutls_x509_crl_dist_points_deinit(p);
	return ok;
}

static bool dec_aia(const gnutls_datum_t *d)
{
	gnutls_x509_aia_t a;
	bool ok;

	if (gnutls_x509_aia_init(&a) < 0)
		return false;
	ok = gnutls_x509_ext_import_aia(d, a, 0) >= 0;
	gnutls_x509_aia_deinit(a);
	return ok;
}

static bool dec_iap(const gnutls_datum_t *d)
{
	unsigned skip = 0;

	return gnutls_x509_ext_import_inhibit_anypolicy(d, &skip) >= 0;
}

/* The extensions whose content decides the verdict or that RFC 5280 4.2
 * defines; a value that does not decode is not "absent" (limbo
 * rfc5280::san::malformed, webpki::malformed-aia).  Name constraints are
 * checked by cs_nc_malformed (x509/nc.c). */
static const struct {
	const char *oid;
	const char *name;
	bool (*decodes)(const gnutls_datum_t *d);
} ext_decoders[] = {
	{"2.5.29.19", "basic constraints", dec_bc},
	{"2.5.29.15", "key usage", dec_ku},
	{"2.5.29.37", "extended key usage", dec_eku},
	{"2.5.29.17", "subject alternative name", dec_san},
	{"2.5.29.18", "issuer alternative name", dec_san},
	{"2.5.29.35", "authority key identifier", dec_aki},
	{"2.5.29.14", "subject key identifier", dec_ski},
	{"2.5.29.32", "certificate policies", dec_policies},
	{"2.5.29.31", "CRL distribution points", dec_crldp},
	{"1.3.6.1.5.5.7.1.1", "authority information access", dec_aia},
	{"2.5.29.54", "inhibit anyPolicy", dec_iap},
};

struct decodes {
	struct cs_flist *l;
	const struct cs_cand *c;
	int i;
	bool all; /* every extension so far decodes */
};

/* cs_model_ext_fn: does the extension with this OID decode, if it has a
 * decoder?  A bad-extension finding in x->l when not (x->l NULL: the
 * answer only, and the walk stops). */
static bool decode_one(const char *oid, const unsigned char *value,
		       size_t len, bool critical, void *ctx)
{
	struct decodes *x = ctx;
	gnutls_datum_t d = {(unsigned char *)value, (unsigned)len};
	size_t k;

	(void)critical;
	for (k = 0; k < sizeof(ext_decoders) / sizeof(ext_decoders[0]); k++)
		if (strcmp(oid, ext_decoders[k].oid) == 0)
			break;
	if (k == sizeof(ext_decoders) / sizeof(ext_decoders[0]) ||
	    (value != NULL && len <= UINT_MAX && ext_decoders[k].decodes(&d)))
		return true;
	x->all = false;
	if (x->l != NULL)
		cs_flist_add(x->l, "bad-extension", x->i, x->c,
			     "Reissue it with a well-formed extension.",
			     "'%s' has a %s extension whose value does not "
			     "decode (RFC 5280 4.2); it cannot be treated as "
			     "absent.", cs_name_of(x->c), ext_decoders[k].name);
	return x->l != NULL;
}

/* Do the extensions with a decoder decode?  Each that does not is a
 * finding in l; with l NULL the answer only (false at the first).  Read
 * from the DER (x509/model.h) when it is plain, else from GnuTLS. */
static bool check_decodes(struct cs_flist *l, const struct cs_cand *c, int i)
{
	struct decodes x = {l, c, i, true};
	char oid[MAX_OID_TEXT];
	unsigned idx, crit;

	if (cs_model_ext_each(c->der, c->der_len, decode_one, &x) == 1)
		return x.all;
	for (idx = 0; x.all || l != NULL; idx++) {
		size_t osz = sizeof(oid);
		gnutls_datum_t d = {NULL, 0};
		int ret = gnutls_x509_crt_get_extension_info(c->crt, idx, oid,
							     &osz, &crit);

		if (ret == GNUTLS_E_SHORT_MEMORY_BUFFER)
			continue;
		if (ret < 0)
			break;
		if (gnutls_x509_crt_get_extension_data2(c->crt, idx, &d) < 0)
			d.data = NULL;
		(void)decode_one(oid, d.data, d.size, crit != 0, &x);
		gnutls_free(d.data);
	}
	return x.all;
}

/* see verify_int.h */
bool cs_exts_decode(const struct cs_cand *c)
{
	return check_decodes(NULL, c, -1);
}

void cs_check_extensions(struct cs_flist *l, const struct cs_cand *c, int i)
{
	size_t k;

	/* known when c was added: no bad-extension to report */
	if (!c->exts_decode)
		check_decodes(l, c, i);

	for (k = 0; k < c->m.n_exts; k++)
		if (c->m.exts[k].critical && !c->m.exts[k].known)
			cs_flist_add(l, "unknown-critical-extension", i, c,
				     "Reissue it without that extension, or "
				     "mark it non-critical.",
				     "'%s' has a critical extension %s that is "
				     "not understood; RFC 5280 4.2 requires "
				     "rejecting it.", cs_name_of(c),
				     c->m.exts[k].oid);
}

/* RFC 5280 4.1.2.2 and CA/B BR 7.1: positive, at most 20 octets. */
void cs_check_serial(struct cs_flist *l, const struct cs_cand *c, int i)
{
	size_t k, nz = 0;

	for (k = 0; c->m.serial_hex != NULL && c->m.serial_hex[k]; k++)
		if (c->m.serial_hex[k] != '0' && c->m.serial_hex[k] != ':')
			nz++;
	if (c->m.serial_hex != NULL && nz == 0)
		cs_flist_add(l, "bad-serial", i, c,
			     "Reissue it with a positive serial.",
			     "'%s' has serial number zero; RFC 5280 4.1.2.2 "
			     "requires a positive integer.", cs_name_of(c));
	else if (c->m.serial_negative)
		cs_flist_add(l, "bad-serial", i, c,
			     "Reissue it with a positive serial.",
			     "'%s' has a negative serial number; RFC 5280 "
			     "4.1.2.2 requires a positive integer.",
			     cs_name_of(c));
	else if (c->m.serial_len > MAX_SERIAL_OCTETS)
		cs_flist_add(l, "bad-serial", i, c,
			     "Reissue it with a serial of at most 20 octets.",
			     "'%s' has a serial number of %zu octets; RFC 5280 "
			     "4.1.2.2 allows at most 20.", cs_name_of(c),
			     c->m.serial_len);
}

/* ---- what an issuer must be (RFC 5280 6.1.4) ----------------------- */

/* Name constraint checking is names x constraints comparisons; like Go
 * and rustls, refuse beyond a budget rather than spend quadratic time on
 * a hostile certificate (limbo pathological::nc-dos).  The cost of one
 * pair, saturated at MAX_NC_CHECKS + 1. */
static size_t nc_cost(const struct cs_cert_model *ca,
		      const struct cs_cert_model *cert)
{
	size_t cons = ca->nc_permitted.n + ca->nc_excluded.n;
	size_t names = cert->sans.n + 2; /* + the subject DN and CN */

	if (cons != 0 && names > MAX_NC_CHECKS / cons)
		return MAX_NC_CHECKS + 1;
	return cons * names;
}

/* Checks that concern an issuer (a CA certificate) at position i. */
void cs_check_issuer(struct cs_flist *l, struct cs_pool *p,
		     const struct cs_path *path, size_t i,
		     const struct cs_verify_opts *o, size_t *nc_left)
{
	const struct cs_cand *c = &p->v[path->idx[i]];
	const struct cs_cand *below = &p->v[path->idx[i - 1]];
	const struct cs_cert_model *m = &c->m;
	bool anchor = path->anchored && i == path->n - 1;
	const char *poid = cs_purpose_oid(o);
	char eku[256];
	size_t j, below_ca = 0;

	if (m->version < 3 && !anchor) {
		cs_flist_add(l, "not-a-ca", (int)i, c,
			     "Reissue the CA certificate as X.509 v3 with "
			     "basicConstraints CA:TRUE.",
			     "'%s' is a version %u certificate and cannot be a "
			     "CA (RFC 5280 6.1.4 (k)), but it issued '%s'.",
			     cs_name_of(c), m->version, cs_name_of(below));
	} else if (m->version >= 3 &&
		   (!m->has_basic_constraints || !m->is_ca)) {
		cs_flist_add(l, "not-a-ca", (int)i, c,
			     "Reissue the certificate below it from a real CA "
			     "certificate.",
			     "'%s' is not a CA (%s) but issued '%s'.",
			     cs_name_of(c),
			     m->has_basic_constraints
				     ? "basicConstraints CA:FALSE"
				     : "no basicConstraints",
			     cs_name_of(below));
	}
	if (m->has_key_usage && !(m->key_usage & CS_KU_KEY_CERT_SIGN))
		cs_flist_add(l, "bad-key-usage", (int)i, c,
			     "Reissue the CA certificate with keyCertSign in "
			     "its key usage.",
			     "'%s' issued '%s' but its key usage does not "
			     "include keyCertSign (RFC 5280 4.2.1.3).",
			     cs_name_of(c), cs_name_of(below));
	/* RFC 5280 4.2.1.9: pathLenConstraint counts the non-self-issued
	 * intermediates that may follow it, the leaf not included. */
	for (j = 1; j < i; j++)
		if (!p->v[path->idx[j]].m.self_issued)
			below_ca++;
	if (m->is_ca && m->path_len >= 0 && below_ca > (size_t)m->path_len)
		cs_flist_add(l, "pathlen-exceeded", (int)i, c,
			     "Issue the leaf from a CA closer to this one, or "
			     "raise the path length when reissuing it.",
			     "'%s' allows %d intermediate CA%s below it "
			     "(pathLenConstraint %d) but the path has %zu.",
			     cs_name_of(c), m->path_len,
			     m->path_len == 1 ? "" : "s", m->path_len,
			     below_ca);
	/* EKU on CA certificates constrains the leaf's purposes (the Web
	 * PKI reading, also GnuTLS's and Mozilla's). */
	if (!anchor && m->has_eku && poid != NULL && !cs_has_eku(m, poid) &&
	    !cs_has_eku(m, OID_ANY_EKU)) {
		cs_eku_list(m, eku, sizeof(eku));
		cs_flist_add(l, "eku-mismatch", (int)i, c,
			     "Use an intermediate whose extended key usage "
			     "includes the purpose.",
			     "The intermediate '%s' allows only %s, not %s.",
			     cs_name_of(c), eku, cs_purpose_word(poid));
	}
	/* RFC 5280 4.2.1.10 and 6.1.3 (b): names of every certificate
	 * below, except self-issued intermediates. */
	if (m->has_name_constraints) {
		for (j = 0; j < i; j++) {
			const struct cs_cand *d = &p->v[path->idx[j]];
			const char *dn_why;
			char why[512];

			if (j > 0 && d->m.self_issued)
				continue;
			size_t cost = nc_cost(m, &d->m);

			if (cost > MAX_NC_CHECKS) {
				cs_flist_add(l, "name-constraint-violation",
					     (int)j, d,
					     "Reissue with fewer names or "
					     "constraints.",
					     "'%s' has too many names to check "
					     "against the %zu name constraints "
					     "of '%s' (more than %lu "
					     "comparisons).", cs_name_of(d),
					     m->nc_permitted.n +
					     m->nc_excluded.n, cs_name_of(c),
					     (unsigned long)MAX_NC_CHECKS);
				continue;
			}
			/* Unchecked is not allowed: fail closed. */
			if (cost > *nc_left) {
				*nc_left = 0;
				cs_flist_add(l, "name-constraint-violation",
					     (int)j, d,
					     "Remove unrelated certificates "
					     "from the input and the "
					     "--untrusted files.",
					     "The names of '%s' were not "
					     "checked against the name "
					     "constraints of '%s': this "
					     "verification spent its budget of "
					     "%lu name comparisons on other "
					     "paths.", cs_name_of(d),
					     cs_name_of(c),
					     (unsigned long)MAX_NC_TOTAL);
				continue;
			}
			*nc_left -= cost;
			dn_why = cs_nc_dn_violation(c->crt, d->crt, &d->subj);
			if (dn_why != NULL)
				cs_flist_add(l, "name-constraint-violation",
					     (int)j, d,
					     "Request the certificate under a "
					     "CA whose name constraints allow "
					     "its names.",
					     "'%s' violates the name "
					     "constraints of '%s': %s.",
					     cs_name_of(d), cs_name_of(c),
					     dn_why);
			why[0] = '\0';
			if (dn_why == NULL &&
			    (cs_nc_foreign_violation(c->crt, d->crt, why,
						     sizeof(why)) ||
			     !cs_nc_allows(m, &d->m, why, sizeof(why))))
				cs_flist_add(l, "name-constraint-violation",
					     (int)j, d,
					     "Request the certificate under a "
					     "CA whose name constraints allow "
					     "its names.",
					     "'%s' violates the name "
					     "constraints of '%s': %s.",
					     cs_name_of(d), cs_name_of(c),
					     why[0] ? why
						    : "a name is not allowed");
		}
	}
}
