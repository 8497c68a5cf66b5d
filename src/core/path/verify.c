/*
 * verify.c - choose the leaf, build the best path (chain.c) and check it
 * at opts->at: signatures, algorithms, validity, constraints, names,
 * revocation by the CRLs given.  Every problem is a finding with a code
 * from findings.c, a sentence naming the certificate and a fix.
 *
 * Each complete or dead-end path the search finds is checked in full
 * and scored by its findings (errors weigh most); the search stops at
 * the first path without errors, so a valid path is chosen when one
 * exists within the candidate budget.
 */
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <arpa/inet.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>
#include <gnutls/x509-ext.h>

#include "path/chain.h"
#include "x509/names.h"
#include "path/nc.h"
#include "path/verify.h"
#include "path/verify_int.h"

/* Weights of findings when comparing paths. */
#define SCORE_ERROR   1000L
#define SCORE_WARNING 10L
#define SCORE_INFO    1L
#define SCORE_DEADEND 100000L /* a path that reaches no anchor */

/* Longest CN read as an IP address literal (full IPv6 text is 45). */
#define MAX_IP_TEXT 64

struct vctx {
	struct cs_pool *pool;
	const struct cs_verify_opts *opts;
	unsigned max_depth;
	struct cs_flist best; /* findings of the best path so far */
	long best_score;
	size_t nc_left;       /* of MAX_NC_TOTAL */
	bool nc_spent;        /* nc_left ran out: the search stopped */
};

static long flist_score(const struct cs_flist *l)
{
	long s = 0;
	size_t i;

	for (i = 0; i < l->n; i++)
		s += l->v[i].severity == CS_SEV_ERROR	  ? SCORE_ERROR
		     : l->v[i].severity == CS_SEV_WARNING ? SCORE_WARNING
							  : SCORE_INFO;
	return s;
}

/* The issuer's CN from the issuer DN string (RFC 4514 "CN=x,O=y"). */
static void issuer_name(const struct cs_cand *c, char *out, size_t outsz)
{
	const char *s = c->m.issuer ? c->m.issuer : "";
	const char *p = strstr(s, "CN=");
	size_t n;

	if (p == NULL || (p != s && p[-1] != ',')) {
		snprintf(out, outsz, "%s", s[0] ? s : "(empty issuer)");
		return;
	}
	p += 3;
	for (n = 0; p[n] != '\0' && !(p[n] == ',' && (n == 0 ||
						      p[n - 1] != '\\'));
	     n++)
		;
	snprintf(out, outsz, "%.*s", (int)n, p);
}

static void san_list(const struct cs_cert_model *m, enum cs_san_type t,
		     char *out, size_t outsz)
{
	size_t i, used = 0, k = 0;

	out[0] = '\0';
	for (i = 0; i < m->sans.n && used < outsz; i++) {
		int w;

		if (m->sans.v[i].type != t)
			continue;
		w = snprintf(out + used, outsz - used, "%s'%s'",
			     k++ ? ", " : "", m->sans.v[i].value);
		if (w < 0)
			break;
		used += (size_t)w;
	}
}

/* ---- Web PKI and RFC 5280 encoding rules --------------------------- */

#define OID_AKI "2.5.29.35"
#define OID_SKI "2.5.29.14"
#define OID_SAN "2.5.29.17"
#define OID_BC  "2.5.29.19"
#define OID_AIA "1.3.6.1.5.5.7.1.1"
#define OID_POLICY_CONSTRAINTS "2.5.29.36"
#define OID_INHIBIT_ANY_POLICY "2.5.29.54"
#define OID_NC "2.5.29.30"

/* AKI context tags (RFC 5280 4.2.1.1): [1] authorityCertIssuer,
 * [2] authorityCertSerialNumber. */
#define TAG_AKI_ISSUER 0xa1
#define TAG_AKI_SERIAL 0x82

static const struct cs_ext *find_ext(const struct cs_cert_model *m,
				     const char *oid)
{
	size_t k;

	for (k = 0; k < m->n_exts; k++)
		if (strcmp(m->exts[k].oid, oid) == 0)
			return &m->exts[k];
	return NULL;
}

/* Does the AKI carry authorityCertIssuer or authorityCertSerialNumber? */
static bool aki_has_issuer_serial(const struct cs_cand *c)
{
	gnutls_datum_t d = {NULL, 0};
	unsigned crit = 0;
	size_t h, vlen, off, eh, elen;
	bool found = false;

	if (gnutls_x509_crt_get_extension_by_oid2(c->crt, OID_AKI, 0, &d,
						  &crit) < 0)
		return false;
	h = cs_der_hdr(d.data, d.size, &vlen);
	for (off = h; h != 0 && off < h + vlen; off += eh + elen) {
		eh = cs_der_hdr(d.data + off, h + vlen - off, &elen);
		if (eh == 0)
			break;
		if (d.data[off] == TAG_AKI_ISSUER ||
		    d.data[off] == TAG_AKI_SERIAL)
			found = true;
	}
	gnutls_free(d.data);
	return found;
}

/* RFC 5280 4.2.2.1: AuthorityInfoAccessSyntax is SEQUENCE SIZE (1..MAX). */
static bool aia_empty(const struct cs_cand *c)
{
	gnutls_datum_t d = {NULL, 0};
	unsigned crit = 0;
	size_t vlen = 0;
	bool empty;

	if (gnutls_x509_crt_get_extension_by_oid2(c->crt, OID_AIA, 0, &d,
						  &crit) < 0)
		return false;
	empty = cs_der_hdr(d.data, d.size, &vlen) == 0 || vlen == 0;
	gnutls_free(d.data);
	return empty;
}

/* RFC 1034 3.5 preferred name syntax (RFC 5280 4.2.1.6), allowing a
 * whole left-most "*" label. */
static bool dns_syntax_ok(const char *v, size_t len)
{
	size_t i, lab = 0;

	if (len == 0 || strlen(v) != len)
		return false;
	if (len >= 2 && v[0] == '*' && v[1] == '.') {
		v += 2;
		len -= 2;
	}
	for (i = 0; i < len; i++) {
		char ch = v[i];

		if (ch == '.') {
			if (lab == 0)
				return false;
			lab = 0;
			continue;
		}
		if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
		      (ch >= '0' && ch <= '9') || ch == '-'))
			return false;
		lab++;
	}
	return true;
}

/*
 * A root program (the system's store, the bundled one) accepted its roots
 * knowing their profile: some predate RFC 5280 or the BRs' root profile
 * (no SKI, basicConstraints not critical, issuer and serial in the AKI).
 * In such an anchor those defects are reported as warnings; in an anchor
 * named with --trust they are errors.  Only profile rules are softened,
 * nothing that changes what the root may sign.
 */
static void soften(struct cs_flist *l, size_t from, bool yes)
{
	for (size_t k = from; yes && k < l->n; k++)
		if (l->v[k].severity == CS_SEV_ERROR)
			l->v[k].severity = CS_SEV_WARNING;
}

/* Did the anchor come from the system or the bundled store, rather than
 * from files the user named?  Per store, not per anchor: a store mixing
 * --trust files with the system's counts as curated. */
static bool curated_store(const struct cs_trust *t)
{
	enum cs_trust_source s;

	if (t == NULL)
		return false;
	s = cs_trust_source(t);
	return s == CS_TRUST_SYSTEM || s == CS_TRUST_BUNDLED ||
	       s == CS_TRUST_FILES_AND_SYSTEM;
}

/* Rules of certificate profile that RFC 5280 and the CA/Browser Forum
 * Baseline Requirements state as MUST and GnuTLS does not enforce.
 * Position i, role: leaf (i == 0), CA, anchor; curated: the anchors come
 * from a root program (system or bundled store). */
static void check_profile(struct cs_flist *l, const struct cs_cand *c, int i,
			  bool anchor, bool issuer, bool curated,
			  const struct cs_verify_opts *o)
{
	const struct cs_cert_model *m = &c->m;
	const struct cs_ext *e;
	bool empty_subject = c->subj.size <= 2;
	bool soft = anchor && curated;
	size_t k, j, n0;
	const char *why;

	for (k = 0; k < m->n_exts; k++)
		for (j = k + 1; j < m->n_exts; j++)
			if (strcmp(m->exts[k].oid, m->exts[j].oid) == 0)
				cs_flist_add(l, "bad-extension", i, c,
					     "Reissue it with each extension "
					     "once.",
					     "'%s' has the extension %s twice; "
					     "RFC 5280 4.2 allows one "
					     "instance.", cs_name_of(c),
					     m->exts[k].oid);
	e = find_ext(m, OID_AKI);
	if (e != NULL && e->critical)
		cs_flist_add(l, "bad-extension", i, c,
			     "Reissue it with a non-critical AKI.",
			     "'%s' marks its authority key identifier "
			     "critical; RFC 5280 4.2.1.1 requires it to be "
			     "non-critical.", cs_name_of(c));
	e = find_ext(m, OID_SKI);
	if (e != NULL && e->critical)
		cs_flist_add(l, "bad-extension", i, c,
			     "Reissue it with a non-critical SKI.",
			     "'%s' marks its subject key identifier critical; "
			     "RFC 5280 4.2.1.2 requires it to be non-critical.",
			     cs_name_of(c));
	e = find_ext(m, OID_AIA);
	if (e != NULL && e->critical)
		cs_flist_add(l, "bad-extension", i, c,
			     "Reissue it with a non-critical AIA extension.",
			     "'%s' marks its authority information access "
			     "critical; RFC 5280 4.2.2.1 requires it to be "
			     "non-critical.", cs_name_of(c));
	if (e != NULL && aia_empty(c))
		cs_flist_add(l, "bad-extension", i, c,
			     "Reissue it with a well-formed AIA extension.",
			     "'%s' has an authority information access "
			     "extension without any access description (RFC "
			     "5280 4.2.2.1).", cs_name_of(c));
	/* RFC 5280 4.2.1.11 and 4.2.1.14: "Conforming CAs MUST mark this
	 * extension as critical."  A non-critical copy would let software
	 * that does not process policies ignore the constraint. */
	e = find_ext(m, OID_POLICY_CONSTRAINTS);
	if (e != NULL && !e->critical)
		cs_flist_add(l, "bad-extension", i, c,
			     "Reissue it with policyConstraints marked "
			     "critical.",
			     "'%s' has a non-critical policy constraints "
			     "extension; RFC 5280 4.2.1.11 requires it to be "
			     "critical.", cs_name_of(c));
	e = find_ext(m, OID_INHIBIT_ANY_POLICY);
	if (e != NULL && !e->critical)
		cs_flist_add(l, "bad-extension", i, c,
			     "Reissue it with inhibitAnyPolicy marked "
			     "critical.",
			     "'%s' has a non-critical inhibit anyPolicy "
			     "extension; RFC 5280 4.2.1.14 requires it to be "
			     "critical.", cs_name_of(c));
	e = find_ext(m, OID_SAN);
	if (empty_subject && (e == NULL || !e->critical))
		cs_flist_add(l, "bad-extension", i, c,
			     "Reissue it with a subject, or with a critical "
			     "SAN.",
			     "A certificate (serial %s) has an empty subject "
			     "and %s; RFC 5280 4.2.1.6 requires a critical "
			     "subjectAltName then.",
			     m->serial_hex ? m->serial_hex : "?",
			     e == NULL ? "no subjectAltName"
				       : "a non-critical subjectAltName");
	else if (!empty_subject && e != NULL && e->critical && !anchor)
		cs_flist_add(l, "bad-extension", i, c,
			     "Reissue it with a non-critical SAN.",
			     "'%s' has a subject and a critical "
			     "subjectAltName; CA/B BR 7.1.2.7.12 requires it "
			     "non-critical then.", cs_name_of(c));
	if ((issuer || m->is_ca) && empty_subject)
		cs_flist_add(l, "bad-name", i, c,
			     "Reissue the CA with a subject name.",
			     "A CA certificate (serial %s) has an empty "
			     "subject; RFC 5280 4.1.2.6 requires a CA's "
			     "subject to be non-empty.",
			     m->serial_hex ? m->serial_hex : "?");
	n0 = l->n; /* root profile rules, softened in curated anchors */
	if (m->self_signed && m->aki_hex[0] != '\0' &&
	    m->ski_hex[0] != '\0' && strcmp(m->aki_hex, m->ski_hex) != 0)
		cs_flist_add(l, "bad-extension", i, c,
			     "Reissue the root with matching key identifiers.",
			     "The self-signed '%s' has an authority key "
			     "identifier that differs from its own subject key "
			     "identifier (CA/B BR 7.1.2.1.3).", cs_name_of(c));
	e = find_ext(m, OID_AKI);
	if (m->self_signed && e != NULL && m->aki_hex[0] == '\0')
		cs_flist_add(l, "bad-extension", i, c,
			     "Reissue the root with keyIdentifier in its AKI, "
			     "or without an AKI.",
			     "The self-signed '%s' has an authority key "
			     "identifier without keyIdentifier, which CA/B BR "
			     "7.1.2.1.3 requires.", cs_name_of(c));
	if (m->self_signed && aki_has_issuer_serial(c))
		cs_flist_add(l, "bad-extension", i, c,
			     "Reissue the root with only keyIdentifier in its "
			     "AKI.",
			     "The self-signed '%s' has authorityCertIssuer or "
			     "authorityCertSerialNumber in its authority key "
			     "identifier, which CA/B BR 7.1.2.1.3 forbids.",
			     cs_name_of(c));
	if (!m->self_signed && m->aki_hex[0] == '\0')
		cs_flist_add(l, "missing-aki", i, c,
			     "Reissue it with an authority key identifier.",
			     "'%s' has no authority key identifier; RFC 5280 "
			     "4.2.1.1 requires one in every certificate that "
			     "is not self-signed.", cs_name_of(c));
	soften(l, n0, soft);
	if (strcmp(m->key_alg, "RSA") == 0 && m->key_bits % 8 != 0)
		cs_flist_add(l, "weak-key", i, c,
			     "Generate a key whose size is a multiple of 8 "
			     "bits.",
			     "'%s' has a %u-bit RSA key; CA/B BR 6.1.5 "
			     "requires a modulus size divisible by 8.",
			     cs_name_of(c), m->key_bits);
	if (anchor && m->self_signed && m->has_eku &&
	    o->purpose == CS_PURPOSE_SERVER)
		cs_flist_add(l, "eku-mismatch", i, c,
			     "Use a root without extended key usage.",
			     "The root '%s' has an extended key usage "
			     "extension, which CA/B BR 7.1.2.1.2 forbids in "
			     "roots.", cs_name_of(c));
	/* Whatever the model made of it: an extension GnuTLS would not
	 * decode leaves has_name_constraints false, and must not pass as
	 * no constraints at all. */
	why = cs_nc_malformed(c->crt);
	if (why == NULL && find_ext(m, OID_NC) != NULL &&
	    !m->has_name_constraints)
		why = "it could not be decoded";
	if (why != NULL)
		cs_flist_add(l, "bad-extension", i, c,
			     "Reissue it with well-formed name constraints, or "
			     "without the extension.",
			     "'%s' has a malformed name constraints extension "
			     "(%s); RFC 5280 4.2.1.10 does not allow it, and "
			     "it cannot be enforced as meant.", cs_name_of(c),
			     why);
	if (m->has_name_constraints && !m->nc_critical)
		cs_flist_add(l, "bad-extension", i, c,
			     "Reissue it with the name constraints marked "
			     "critical.",
			     "'%s' has a non-critical name constraints "
			     "extension; RFC 5280 4.2.1.10 requires conforming "
			     "CAs to mark it critical, so that software that "
			     "cannot enforce it rejects the certificate.",
			     cs_name_of(c));
	if (i == 0 && !m->is_ca && m->has_name_constraints)
		cs_flist_add(l, "bad-extension", i, c,
			     "Reissue it without name constraints.",
			     "'%s' is not a CA but has name constraints; RFC "
			     "5280 4.2.1.10 allows them only in CA "
			     "certificates.", cs_name_of(c));
	if (i == 0) {
		for (k = 0; k < m->sans.n; k++)
			if (m->sans.v[k].type == CS_SAN_DNS &&
			    !dns_syntax_ok(m->sans.v[k].value,
					   m->sans.v[k].len))
				cs_flist_add(l, "bad-name", i, c,
					     "Reissue it with valid host "
					     "names.",
					     "'%s' has a DNS name '%s' that is "
					     "not a valid host name (RFC 5280 "
					     "4.2.1.6, RFC 1034 3.5).",
					     cs_name_of(c), m->sans.v[k].value);
	}
	/* RFC 5280 4.2.1.2 and 4.2.1.9 hold for every CA certificate,
	 * roots included (limbo rfc5280::ski::root-missing-ski). */
	if ((issuer || (anchor && m->is_ca)) && m->version >= 3) {
		n0 = l->n;
		e = find_ext(m, OID_BC);
		if (e != NULL && !e->critical && m->is_ca)
			cs_flist_add(l, "bc-not-critical", i, c,
				     "Reissue the CA with basicConstraints "
				     "critical.",
				     "'%s' is a CA whose basicConstraints "
				     "extension is not critical; RFC 5280 "
				     "4.2.1.9 requires it critical.",
				     cs_name_of(c));
		if (m->ski_hex[0] == '\0')
			cs_flist_add(l, "missing-ski", i, c,
				     "Reissue the CA with a subject key "
				     "identifier.",
				     "The CA '%s' has no subject key "
				     "identifier; RFC 5280 4.2.1.2 requires "
				     "one in CA certificates.", cs_name_of(c));
		soften(l, n0, soft);
	}
}

/* Is the name an internationalised one: a non-ASCII byte or an
 * A-label ("xn--") anywhere? */
static bool is_idn(const char *v, size_t len)
{
	size_t k;

	for (k = 0; k < len; k++) {
		if ((unsigned char)v[k] >= 0x80)
			return true;
		if ((k == 0 || v[k - 1] == '.') && len - k >= 4 &&
		    strncasecmp(v + k, "xn--", 4) == 0)
			return true;
	}
	return false;
}

/*
 * CA/B BR 7.1.4.3: a subscriber certificate's CN, if present, is a
 * character-for-character copy of one of its SAN entries.  Clients match
 * SANs only, but people read the CN: enforced where a CN that is not a
 * copy misleads, i.e. it is a case variant of a SAN name, another
 * spelling of a SAN IP address (hex, octal or zero-padded IPv4 as
 * inet_aton reads it, uncompressed or upper-case IPv6: the BR want RFC
 * 3986 3.2.2 and RFC 5952 text), or an internationalised name
 * (homograph risk) that is not in the SAN.  A CN
 * that simply names something else (private PKIs, "bad.example.com" in
 * BetterTLS's name constraint cases) is not rejected: RFC 5280 allows it.
 */
/* Read a CN as an IP address the lenient way old resolvers do: IPv4 in
 * any inet_aton form ("0x7f.1", "127.000.000.001"), or IPv6. */
static bool cn_as_ip(const struct cs_cert_model *m, unsigned char out[16],
		     size_t *len)
{
	struct in_addr a4;

	if (m->subject_cn_len != strlen(m->subject_cn) ||
	    m->subject_cn_len > MAX_IP_TEXT)
		return false;
	if (inet_aton(m->subject_cn, &a4) != 0) {
		memcpy(out, &a4, 4);
		*len = 4;
		return true;
	}
	if (inet_pton(AF_INET6, m->subject_cn, out) == 1) {
		*len = 16;
		return true;
	}
	return false;
}

static void check_cn_in_san(struct cs_flist *l, const struct cs_cand *c)
{
	const struct cs_cert_model *m = &c->m;
	bool case_variant = false, ip_variant = false;
	unsigned char ip[16];
	size_t k, iplen = 0;

	if (m->subject_cn == NULL || m->sans.n == 0)
		return;
	if (!cn_as_ip(m, ip, &iplen))
		iplen = 0;
	for (k = 0; k < m->sans.n; k++) {
		const struct cs_name *n = &m->sans.v[k];

		if (n->type != CS_SAN_DNS && n->type != CS_SAN_IP)
			continue;
		if (n->type == CS_SAN_IP && iplen != 0 &&
		    n->raw_len == iplen && memcmp(n->raw, ip, iplen) == 0)
			ip_variant = true;
		if (n->len != m->subject_cn_len)
			continue;
		if (memcmp(n->value, m->subject_cn, n->len) == 0)
			return;
		if (strncasecmp(n->value, m->subject_cn, n->len) == 0)
			case_variant = true;
	}
	if (ip_variant) {
		cs_flist_add(l, "cn-not-in-san", 0, c,
			     "Reissue it with a CN that repeats one of its SAN "
			     "names exactly, or without a CN.",
			     "The subject CN '%s' spells one of the "
			     "certificate's IP addresses in another form; CA/B "
			     "BR 7.1.4.3 requires an exact copy in RFC 3986 "
			     "3.2.2 or RFC 5952 form.", m->subject_cn);
		return;
	}
	if (!case_variant && !is_idn(m->subject_cn, m->subject_cn_len))
		return;
	cs_flist_add(l, "cn-not-in-san", 0, c,
		     "Reissue it with a CN that repeats one of its SAN names "
		     "exactly, or without a CN.",
		     "The subject CN '%s' is not an exact copy of one of the "
		     "certificate's subject alternative names (%s); CA/B BR "
		     "7.1.4.3 requires one.", m->subject_cn,
		     case_variant ? "it differs in letter case"
				  : "an internationalised name not in the SAN");
}

/* CA/B BR 7.1.2.7.10: purposes a TLS server certificate MUST NOT have
 * beside id-kp-serverAuth (RFC 6962 3.1 reserves the precertificate
 * one for CT signers). */
static const struct {
	const char *oid, *word;
} server_eku_forbidden[] = {
	{OID_KP_CODE, "codeSigning"},
	{OID_KP_EMAIL, "emailProtection"},
	{"1.3.6.1.5.5.7.3.8", "timeStamping"},
	{"1.3.6.1.5.5.7.3.9", "OCSPSigning"},
	{"1.3.6.1.4.1.11129.2.4.4", "the CT precertificate signing purpose"},
};

/* A server leaf's extKeyUsage: not critical (CA/B BR 7.1.2.7.6) and no
 * purpose the BR forbid next to serverAuth. */
static void check_server_eku(struct cs_flist *l, const struct cs_cand *c)
{
	const struct cs_ext *e = find_ext(&c->m, "2.5.29.37");
	size_t k;

	if (e != NULL && e->critical)
		cs_flist_add(l, "bad-extension", 0, c,
			     "Reissue it with extKeyUsage non-critical.",
			     "'%s' marks its extended key usage critical; CA/B "
			     "BR 7.1.2.7.6 requires it non-critical in a "
			     "server certificate.", cs_name_of(c));
	for (k = 0; k < sizeof(server_eku_forbidden) /
			sizeof(server_eku_forbidden[0]); k++)
		if (cs_has_eku(&c->m, server_eku_forbidden[k].oid))
			   cs_flist_add(l, "eku-mismatch", 0, c,
					"Reissue it with serverAuth (and "
					"clientAuth) only.",
					"'%s' also allows %s, which CA/B BR "
					"7.1.2.7.10 forbids in a server "
					"certificate.", cs_name_of(c),
					server_eku_forbidden[k].word);
}

static void check_leaf(struct cs_flist *l, const struct cs_cand *c,
		       const struct cs_verify_opts *o)
{
	const struct cs_cert_model *m = &c->m;
	const char *poid = cs_purpose_oid(o);
	char buf[512];
	enum cs_name_result r;

	if (o->purpose == CS_PURPOSE_SERVER && m->is_ca)
		cs_flist_add(l, "ca-as-leaf", 0, c,
			     "Use an end-entity certificate (CA:FALSE) for the "
			     "server.",
			     "'%s' is a CA certificate (basicConstraints "
			     "CA:TRUE) used as a server certificate.",
			     cs_name_of(c));
	if ((o->purpose == CS_PURPOSE_SERVER ||
	     o->purpose == CS_PURPOSE_CLIENT) && m->has_key_usage &&
	    !(m->key_usage & (CS_KU_DIGITAL_SIGNATURE |
			      CS_KU_KEY_ENCIPHERMENT)))
		cs_flist_add(l, "bad-key-usage", 0, c,
			     "Reissue it with digitalSignature in its key "
			     "usage.",
			     "'%s' has a key usage without digitalSignature or "
			     "keyEncipherment, so it cannot be used for TLS.",
			     cs_name_of(c));
	/* CA/B BR 7.1.2.7.10: a subscriber certificate for a server has
	 * extKeyUsage with id-kp-serverAuth.  RFC 5280 4.2.1.12 alone lets
	 * an absent EKU mean any purpose (limbo's rfc5280:: and webpki::
	 * ee-without-eku conflict); server checks follow the Web PKI. */
	if (o->purpose == CS_PURPOSE_SERVER && !m->has_eku && !m->is_ca)
		cs_flist_add(l, "eku-mismatch", 0, c,
			     "Reissue it with the extended key usage "
			     "serverAuth.",
			     "'%s' has no extended key usage; CA/B BR "
			     "7.1.2.7.10 requires serverAuth in a server "
			     "certificate.", cs_name_of(c));
	if (poid != NULL) {
		if (m->has_eku && !cs_has_eku(m, poid)) {
			cs_eku_list(m, buf, sizeof(buf));
			cs_flist_add(l, "eku-mismatch", 0, c,
				     "Reissue it with the needed extended key "
				     "usage.", "'%s' allows only %s, not %s.",
				     cs_name_of(c), buf[0] ? buf : "nothing",
				     cs_purpose_word(poid));
		} else if (m->has_eku && o->purpose == CS_PURPOSE_SERVER &&
			   cs_has_eku(m, OID_ANY_EKU)) {
			cs_flist_add(l, "eku-mismatch", 0, c,
				     "Reissue it with serverAuth and without "
				     "anyExtendedKeyUsage.",
				     "'%s' has anyExtendedKeyUsage, which CA/B "
				     "BR 7.1.2.7.10 forbids in server "
				     "certificates.", cs_name_of(c));
		}
	}
	if (o->purpose == CS_PURPOSE_SERVER && m->has_eku && !m->is_ca)
		check_server_eku(l, c);
	/* RFC 5280 4.2.1.3: "If the keyCertSign bit is asserted, then the
	 * cA bit in the basic constraints extension MUST also be
	 * asserted." */
	if (!m->is_ca && m->has_key_usage &&
	    (m->key_usage & CS_KU_KEY_CERT_SIGN))
		cs_flist_add(l, "bad-key-usage", 0, c,
			     "Reissue it without keyCertSign in its key usage.",
			     "'%s' is not a CA but its key usage includes "
			     "keyCertSign; RFC 5280 4.2.1.3 allows that bit "
			     "only with basicConstraints CA:TRUE.",
			     cs_name_of(c));
	/* RFC 5280 4.2.1.3/4.2.1.9: keyCertSign goes with cA; a cA
	 * certificate that cannot sign certificates is a subscriber
	 * certificate with a wrong flag (CA/B BR 7.1.2.7.8: cA FALSE). */
	if (m->is_ca && m->has_key_usage &&
	    !(m->key_usage & CS_KU_KEY_CERT_SIGN))
		cs_flist_add(l, "bad-basic-constraints", 0, c,
			     "Reissue it with basicConstraints CA:FALSE.",
			     "'%s' says CA:TRUE but its key usage lacks "
			     "keyCertSign: an end-entity certificate must have "
			     "cA FALSE.", cs_name_of(c));
	if (o->purpose == CS_PURPOSE_SERVER && !m->is_ca)
		check_cn_in_san(l, c);
	if (o->host != NULL) {
		unsigned char ip[16];
		size_t iplen;
		bool is_ip = cs_names_parse_ip(o->host, ip, &iplen);

		r = cs_names_match_host(m, o->host);
		san_list(m, is_ip ? CS_SAN_IP : CS_SAN_DNS, buf, sizeof(buf));
		if (r == CS_NAME_CN_ONLY) {
			cs_flist_add(l, "hostname-mismatch", 0, c,
				     "Reissue it with the name in the subject "
				     "alternative name extension.",
				     "'%s' has no subject alternative name for "
				     "'%s'.", cs_name_of(c), o->host);
			cs_flist_add(l, "cn-only-hostname", 0, c,
				     "Put every host name in the SAN "
				     "extension.",
				     "'%s' is only in the subject CN; browsers "
				     "ignore the CN since 2017 (RFC 6125, CA/B "
				     "BR 7.1.4.3).", o->host);
		} else if (r == CS_NAME_NO_SAN) {
			cs_flist_add(l, "hostname-mismatch", 0, c,
				     "Reissue it with the name in the subject "
				     "alternative name extension.",
				     "'%s' has no %s names in its subject "
				     "alternative name, so it is not valid for "
				     "'%s'.", cs_name_of(c),
				     is_ip ? "IP address" : "DNS", o->host);
		} else if (r != CS_NAME_MATCH) {
			cs_flist_add(l, "hostname-mismatch", 0, c,
				     "Use the certificate made for this host, "
				     "or add the name to it when reissuing.",
				     "'%s' is not valid for '%s'; it names %s.",
				     cs_name_of(c), o->host,
				     buf[0] ? buf : "no such names");
		}
	}
	if (o->email != NULL) {
		r = cs_names_match_email(m, o->email);
		if (r != CS_NAME_MATCH) {
			san_list(m, CS_SAN_EMAIL, buf, sizeof(buf));
			cs_flist_add(l, "email-mismatch", 0, c,
				     "Use the certificate issued for this "
				     "address.",
				     "'%s' is not valid for '%s'; it names %s.",
				     cs_name_of(c), o->email,
				     buf[0] ? buf : "no e-mail address");
		}
	}
}

/* ---- revocation (RFC 5280 6.3) ------------------------------------- */

static bool crl_lists(gnutls_x509_crl_t crl, const struct cs_cand *c,
		      time_t *when)
{
	unsigned char want[64], got[64];
	size_t wlen = sizeof(want), glen;
	gnutls_x509_crl_iter_t it = NULL;
	bool found = false;

	if (gnutls_x509_crt_get_serial(c->crt, want, &wlen) < 0)
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
				const struct cs_cand *iss)
{
	unsigned char num[MAX_CRL_NUMBER + 8];
	size_t nsz = sizeof(num);
	unsigned crit = 0, idx;
	char oid[MAX_OID_TEXT];

	/* RFC 5280 6.3.3 (f): the issuer's key usage, if present,
	 * allows signing CRLs. */
	if (iss->m.has_key_usage && !(iss->m.key_usage & CS_KU_CRL_SIGN))
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
static void check_crls(struct cs_flist *l, struct cs_pool *p,
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
		if (crl_lists(it->crl, c, &when)) {
			cs_date_str((cs_time_t)when, d1, sizeof(d1));
			cs_flist_add(l, "revoked", (int)i, c,
				     "Replace it with a new certificate.",
				     "'%s' (serial %s) was revoked on %s by "
				     "'%s' (CRL %s).", cs_name_of(c),
				     c->m.serial_hex, d1, cs_name_of(iss),
				     path_s);
		}
		why = crl_unusable(it->crl, iss);
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

/* ---- the end of the path ------------------------------------------- */

static void check_top(struct cs_flist *l, struct cs_pool *p,
		      const struct cs_path *path)
{
	size_t top_i = path->n - 1;
	const struct cs_cand *top = &p->v[path->idx[top_i]];
	char iss[256], fix[768];

	if (path->anchored)
		return;
	if (top->m.self_signed && top_i == 0) {
		cs_flist_add(l, "self-signed-leaf", 0, top,
			     "Get a certificate from a CA, or add this exact "
			     "certificate to the trust store if you mean to "
			     "trust it.",
			     "'%s' is self-signed and not in the trust store.",
			     cs_name_of(top));
		return;
	}
	if (top->m.self_signed) {
		cs_flist_add(l, "untrusted-root", (int)top_i, top,
			     "Add the root to the trust store (--trust) if you "
			     "trust it, or get the certificate from a trusted "
			     "CA.",
			     "The path ends at '%s', a self-signed root that "
			     "is not in the trust store.", cs_name_of(top));
		return;
	}
	issuer_name(top, iss, sizeof(iss));
	if (top->m.ca_issuer_urls.n > 0)
		snprintf(fix, sizeof(fix),
			 "Add '%s' to the chain file after '%s' (its AIA "
			 "says it can be downloaded from %s).",
			 iss, cs_name_of(top), top->m.ca_issuer_urls.v[0]);
	else
		snprintf(fix, sizeof(fix),
			 "Add '%s' to the chain file after '%s', or its "
			 "root to the trust store.", iss, cs_name_of(top));
	cs_flist_add(l, "issuer-not-found", (int)top_i, top, fix,
		     "%s'%s' was issued by '%s', which is not in the input and "
		     "not in the trust store.", top_i == 0 ? "The leaf " : "",
		     cs_name_of(top), iss);
}

/* Check one path in full into *l. */
static void check_path(struct cs_flist *l, struct cs_pool *p,
		       const struct cs_path *path,
		       const struct cs_verify_opts *o, unsigned max_depth,
		       size_t *nc_left)
{
	size_t k = path->anchored ? path->n - 1 : path->n;
	size_t i;

	/* A path cut at the depth limit ends below the issuer it did not
	 * follow: "issuer not found" would be false there. */
	if (k > max_depth && !path->anchored &&
	    max_depth == CS_CHAIN_MAX_LEN - 2)
		cs_flist_add(l, "depth-exceeded", (int)k - 1,
			     &p->v[path->idx[k - 1]], "Use a shorter path.",
			     "The path has more than %u intermediate "
			     "certificates between the leaf and a trust "
			     "anchor, the most certscope follows whatever "
			     "--max-depth says; the rest of the chain was not "
			     "followed.", max_depth - 1);
	else if (k > max_depth && !path->anchored)
		cs_flist_add(l, "depth-exceeded", (int)k - 1,
			     &p->v[path->idx[k - 1]],
			     "Use a shorter path, or raise --max-depth.",
			     "The path has more than %u intermediate "
			     "certificates between the leaf and a trust "
			     "anchor, the most allowed (--max-depth, default "
			     "%d); the rest of the chain was not followed.",
			     max_depth - 1, CS_MAX_CHAIN_DEPTH - 1);
	else if (k > max_depth)
		cs_flist_add(l, "depth-exceeded", (int)k - 1,
			     &p->v[path->idx[k - 1]],
			     "Use a shorter path, or raise --max-depth.",
			     "The path has %zu intermediate certificates "
			     "between the leaf and the trust anchor; at most "
			     "%u are allowed.", k - 1, max_depth - 1);
	else
		check_top(l, p, path);
	for (i = 0; i < path->n; i++) {
		const struct cs_cand *c = &p->v[path->idx[i]];
		bool anchor = path->anchored && i == path->n - 1;

		cs_check_time(l, c, (int)i, o->at, anchor);
		if (anchor) {
			/* The anchor's own signature is not checked (RFC
			 * 5280 6.1.1 (d)); its key still signs what is
			 * below it. */
			cs_check_algs(l, c, (int)i, false);
			cs_check_extensions(l, c, (int)i);
			if (i == 0)
				cs_check_serial(l, c, (int)i);
		} else {
			cs_check_algs(l, c, (int)i,
				      !(c->m.self_signed && i == path->n - 1));
			cs_check_extensions(l, c, (int)i);
			cs_check_serial(l, c, (int)i);
		}
		if (i + 1 < path->n && !path->sig_ok[i]) {
			const struct cs_cand *u = &p->v[path->idx[i + 1]];

			cs_flist_add(l, "bad-signature", (int)i, c,
				     "Get the right issuer certificate, or "
				     "reissue this one.",
				     "An issuer candidate '%s' was found for "
				     "'%s' but its key does not verify the "
				     "signature.", cs_name_of(u),
				     cs_name_of(c));
		}
		check_profile(l, c, (int)i, anchor, i > 0,
			      curated_store(p->trust), o);
		if (i > 0)
			cs_check_issuer(l, p, path, i, o, nc_left);
		if (!anchor && i + 1 < path->n && o->crls != NULL)
			check_crls(l, p, path, i, o);
	}
	check_leaf(l, &p->v[path->idx[0]], o);
}

static long score_path(void *ctx, const struct cs_path *path, bool *stop)
{
	struct vctx *v = ctx;
	struct cs_flist l;
	long s;

	memset(&l, 0, sizeof(l));
	check_path(&l, v->pool, path, v->opts, v->max_depth, &v->nc_left);
	if (l.nomem) {
		cs_flist_free(&l);
		return -1;
	}
	s = flist_score(&l) + (path->anchored ? 0 : SCORE_DEADEND);
	if (s < v->best_score) {
		cs_flist_free(&v->best);
		v->best = l;
		v->best_score = s;
	} else {
		cs_flist_free(&l);
	}
	*stop = s < SCORE_ERROR;
	/* No budget left: later paths could only fail unchecked. */
	if (v->nc_left == 0) {
		v->nc_spent = true;
		*stop = true;
	}
	return s;
}

/* ---- leaf selection and presentation findings ---------------------- */

/* Did input candidate a issue some other input candidate? */
static bool issued_other(struct cs_pool *p, const size_t *in, size_t nin,
			 size_t a)
{
	size_t b;

	for (b = 0; b < nin; b++) {
		const struct cs_cand *ca = &p->v[in[a]], *cb = &p->v[in[b]];

		if (b == a || cb->dup_of == ca->dup_of)
			continue;
		if (cs_chain_same_identity(ca, cb))
			continue;
		if (cb->iss.size == ca->subj.size &&
		    memcmp(cb->iss.data, ca->subj.data, ca->subj.size) == 0 &&
		    cs_chain_sig_ok(cb, ca))
			return true;
	}
	return false;
}

static size_t pick_leaf(struct cs_pool *p, const size_t *in, size_t nin)
{
	size_t a;

	for (a = 0; a < nin; a++)
		if (!issued_other(p, in, nin, a))
			return a;
	return 0;
}

static void presentation(struct cs_flist *l, struct cs_pool *p,
			 const size_t *in, size_t nin, size_t leaf,
			 const struct cs_path *best, unsigned max_depth)
{
	/* A path cut at the depth limit: what lies beyond it is needed,
	 * not "unneeded". */
	bool cut = !best->anchored && best->n > max_depth;
	size_t a, j;

	if (leaf != 0) {
		const struct cs_cand *first = &p->v[in[0]];
		const struct cs_cand *lc = &p->v[in[leaf]];

		cs_flist_add(l, "chain-out-of-order", 0, lc,
			     "List the end-entity certificate first, then each "
			     "issuer in order (RFC 8446 4.4.2).",
			     "The input lists '%s' first, but the end-entity "
			     "certificate is '%s' (certificate %zu of the "
			     "input); '%s' is validated.", cs_name_of(first),
			     cs_name_of(lc), leaf + 1, cs_name_of(lc));
	}
	for (a = 0; a < nin; a++) {
		const struct cs_cand *c = &p->v[in[a]];
		bool used = false;

		if (c->dup_of != in[a]) {
			const struct cs_cand *orig = &p->v[c->dup_of];

			cs_flist_add(l, "duplicate-cert", -1, c,
				     "Remove the second copy.",
				     "'%s' appears more than once in the input "
				     "(certificate %zu repeats certificate "
				     "%zu).", cs_name_of(c), a + 1,
				     orig->item != CS_NO_ITEM ? orig->item + 1
							      : 0);
			continue;
		}
		for (j = 0; j < best->n && !used; j++) {
			const struct cs_cand *e = &p->v[best->idx[j]];

			used = e->dup_of == c->dup_of ||
			       memcmp(e->m.sha256, c->m.sha256,
				      sizeof(c->m.sha256)) == 0;
		}
		if (!used && !cut)
			cs_flist_add(l, "unneeded-cert", -1, c,
				     "Remove it from the chain file.",
				     "'%s' (certificate %zu of the input) is "
				     "not part of the path and is not needed.",
				     cs_name_of(c), a + 1);
	}
}

/* ---- entry points -------------------------------------------------- */

static bool has_severity(const struct cs_verify_result *res,
			 enum cs_severity sev)
{
	size_t i;

	for (i = 0; i < res->n_findings; i++)
		if (res->findings[i].severity == sev)
			return true;
	return false;
}

/* see verify.h */
bool cs_verify_has(const struct cs_verify_result *res, const char *code)
{
	size_t i;

	if (res == NULL || code == NULL)
		return false;
	for (i = 0; i < res->n_findings; i++)
		if (strcmp(res->findings[i].code, code) == 0)
			return true;
	return false;
}

/* see verify.h */
void cs_verify_result_free(struct cs_verify_result *res)
{
	size_t i;

	if (res == NULL)
		return;
	for (i = 0; i < res->path_len; i++)
		cs_model_free(&res->path[i].model);
	free(res->path);
	for (i = 0; i < res->n_findings; i++)
		cs_finding_free(&res->findings[i]);
	free(res->findings);
	memset(res, 0, sizeof(*res));
}

static int move_path(struct cs_verify_result *res, struct cs_pool *p,
		     const struct cs_path *best, struct cs_error *err)
{
	size_t i;

	if (best->n == 0)
		return 0;
	res->path = calloc(best->n, sizeof(*res->path));
	if (res->path == NULL)
		return cs_error_setx(err, CS_E_NOMEM, "out of memory");
	for (i = 0; i < best->n; i++) {
		struct cs_cand *c = &p->v[best->idx[i]];
		struct cs_path_elem *e = &res->path[i];

		e->crt = c->crt;
		e->model = c->m; /* moved: the pool no longer owns it */
		memset(&c->m, 0, sizeof(c->m));
		e->origin = c->src == CS_CAND_TRUST ? NULL : c->origin;
		e->is_anchor = best->anchored && i == best->n - 1;
	}
	res->path_len = best->n;
	return 0;
}

static int add_list(struct cs_pool *p, const struct cs_itemlist *list,
		    enum cs_cand_src src, size_t **in, size_t *nin,
		    struct cs_error *err)
{
	size_t i;

	for (i = 0; list != NULL && i < list->n; i++) {
		const struct cs_item *it = &list->items[i];
		struct cs_error e;
		long idx;

		if (it->kind != CS_ITEM_CERT)
			continue;
		idx = cs_pool_add(p, it->crt, it->der, it->der_len,
				  &it->origin, i, src, &e);
		if (idx < 0) {
			if (e.code == CS_E_NOMEM) {
				*err = e;
				return -1;
			}
			continue; /* unreadable: the loader said so */
		}
		if (in != NULL) {
			size_t *v = realloc(*in, (*nin + 1) * sizeof(**in));

			if (v == NULL)
				return cs_error_setx(err, CS_E_NOMEM,
						     "out of memory");
			*in = v;
			(*in)[(*nin)++] = (size_t)idx;
		}
	}
	return 0;
}

/* see verify.h */
int cs_verify_chain(const struct cs_itemlist *input,
		    const struct cs_itemlist *untrusted,
		    const struct cs_trust *trust,
		    const struct cs_verify_opts *opts,
		    struct cs_verify_result *res, struct cs_error *err)
{
	struct cs_pool pool;
	struct cs_search s;
	struct vctx v;
	size_t *in = NULL, nin = 0, leaf;
	int rc = -1;

	memset(res, 0, sizeof(*res));
	memset(&v, 0, sizeof(v));
	cs_pool_init(&pool, trust);
	if (input == NULL || opts == NULL) {
		cs_error_setx(err, CS_E_USAGE, "nothing to verify");
		goto out;
	}
	if (add_list(&pool, input, CS_CAND_INPUT, &in, &nin, err) < 0 ||
	    add_list(&pool, untrusted, CS_CAND_POOL, NULL, NULL, err) < 0)
		goto out;
	if (nin == 0) {
		cs_error_setx(err, CS_E_EMPTY,
			      "the input holds no readable certificate");
		goto out;
	}
	leaf = pick_leaf(&pool, in, nin);
	res->leaf_item = pool.v[in[leaf]].item;

	v.pool = &pool;
	v.opts = opts;
	v.max_depth = opts->max_depth ? opts->max_depth : CS_MAX_CHAIN_DEPTH;
	if (v.max_depth > CS_CHAIN_MAX_LEN - 2)
		v.max_depth = CS_CHAIN_MAX_LEN - 2;
	v.best_score = LONG_MAX;
	v.nc_left = MAX_NC_TOTAL;
	memset(&s, 0, sizeof(s));
	s.max_depth = v.max_depth;
	s.budget = CS_MAX_PATH_CANDIDATES;
	s.score = score_path;
	s.ctx = &v;
	if (cs_chain_search(&pool, in[leaf], &s, err) < 0)
		goto out;
	/* A budget can run out before any path was scored (look-alikes
	 * ranked at the first step): judge the leaf alone, a dead end,
	 * so the verdict never rests on an empty path. */
	if (s.best.n == 0) {
		bool unused;

		s.best.idx[0] = in[leaf];
		s.best.n = 1;
		s.best.anchored = cs_cand_is_anchor(&pool.v[in[leaf]]);
		if (score_path(&v, &s.best, &unused) < 0) {
			cs_error_setx(err, CS_E_NOMEM, "out of memory");
			goto out;
		}
	}
	if (s.limit_hit)
		cs_flist_add(&v.best, "search-limit", -1, NULL,
			     "Remove unrelated certificates from the input and "
			     "the --untrusted files.",
			     "Path building stopped after trying %zu issuer "
			     "candidate%s (%zu signature checks%s); the best "
			     "path found is reported.", s.tried,
			     s.tried == 1 ? "" : "s", s.sig_checks,
			     s.sig_work > s.sig_checks
				     ? ", large keys counting as several"
				     : "");
	else if (v.nc_spent)
		cs_flist_add(&v.best, "search-limit", -1, NULL,
			     "Remove unrelated certificates from the input and "
			     "the --untrusted files.",
			     "Path building stopped after %zu issuer "
			     "candidates: name constraint checks on them used "
			     "the budget of %lu comparisons; the best path "
			     "found is reported.", s.tried,
			     (unsigned long)MAX_NC_TOTAL);
	presentation(&v.best, &pool, in, nin, leaf, &s.best, v.max_depth);
	if (v.best.nomem) {
		cs_error_setx(err, CS_E_NOMEM, "out of memory");
		goto out;
	}
	if (move_path(res, &pool, &s.best, err) < 0)
		goto out;
	res->findings = v.best.v;
	res->n_findings = v.best.n;
	memset(&v.best, 0, sizeof(v.best));
	/* Trusted means a path to an anchor without an error. */
	res->trusted = s.best.anchored && !has_severity(res, CS_SEV_ERROR);
	rc = 0;
out:
	cs_flist_free(&v.best);
	cs_pool_free(&pool);
	free(in);
	return rc;
}
