/*
 * webpki.c - the certificate profile and the leaf's purpose.  Profile:
 * what RFC 5280 and the CA/Browser Forum Baseline Requirements state as
 * MUST about how a certificate is made and GnuTLS does not enforce
 * (critical flags, key identifiers, subjects, name constraints, host
 * name syntax), softened to warnings in the roots of a curated store.
 * Leaf: key usage and extended key usage for the purpose (the BR's
 * table of purposes a server certificate must not have), the subject CN
 * against the SAN, the host name and e-mail address asked for.
 *
 * check_profile keeps the RFC 5280 and BR rules in one sequence: the
 * order of the findings is part of the output.
 *
 * Does not: check signatures, validity or what an issuer must be
 * (rules.c), match names against constraints (x509/names.c, x509/nc.c).
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <arpa/inet.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>

#include "input/der.h"
#include "x509/names.h"
#include "x509/nc.h"
#include "path/verify_int.h"

/* Longest CN read as an IP address literal (full IPv6 text is 45). */
#define MAX_IP_TEXT 64

/* ---- the certificate profile --------------------------------------- */

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
	struct cs_tlv aki, e;
	size_t pos = 0;
	bool found = false;

	if (gnutls_x509_crt_get_extension_by_oid2(c->crt, OID_AKI, 0, &d,
						  &crit) < 0)
		return false;
	if (cs_der_read(d.data, d.size, &aki) == CS_DER_OK)
		while (cs_der_child(aki.val, aki.len, &pos, &e))
			if (e.tag == TAG_AKI_ISSUER || e.tag == TAG_AKI_SERIAL)
				found = true;
	gnutls_free(d.data);
	return found;
}

/* RFC 5280 4.2.2.1: AuthorityInfoAccessSyntax is SEQUENCE SIZE (1..MAX). */
static bool aia_empty(const struct cs_cand *c)
{
	gnutls_datum_t d = {NULL, 0};
	unsigned crit = 0;
	struct cs_tlv aia;
	bool empty;

	if (gnutls_x509_crt_get_extension_by_oid2(c->crt, OID_AIA, 0, &d,
						  &crit) < 0)
		return false;
	empty = cs_der_read(d.data, d.size, &aia) != CS_DER_OK ||
		aia.len == 0;
	gnutls_free(d.data);
	return empty;
}

/* RFC 1034 3.5 preferred name syntax (RFC 5280 4.2.1.6), allowing a
 * whole left-most "*" label. */
static bool dns_syntax_ok(const char *v, size_t len)
{
	/* The profile's reading: no '_', outside RFC 1034 3.5, which RFC
	 * 5280 4.2.1.6 requires (matching, x509/names_int.h, tolerates it);
	 * lengths are not checked here, and a root dot is let through. */
	return strlen(v) == len &&
	       cs_names_dns_syntax(v, len, CS_DNS_WILDCARD | CS_DNS_ROOT_DOT);
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
bool cs_curated_store(const struct cs_trust *t)
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
void cs_check_profile(struct cs_flist *l, const struct cs_cand *c, int i,
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
	if (m->self_signed && e != NULL && aki_has_issuer_serial(c))
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
	e = find_ext(m, OID_NC); /* GnuTLS's lookup costs a decode */
	why = e != NULL ? cs_nc_malformed(c->crt) : NULL;
	if (why == NULL && e != NULL && !m->has_name_constraints)
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

/* ---- the leaf: its purpose and names ------------------------------- */

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
 * (homograph risk) that is not in the SAN, or another host of the same
 * registered domain as a SAN name (CN "pay.example.com" beside SAN
 * "www.example.com": a reader takes the certificate for that host;
 * registered_domain says how the domain is approximated).  A CN that simply
 * names something else (private PKIs, "bad.example.com" beside
 * "test.localhost" in BetterTLS's name constraint cases) or a parent
 * domain of a SAN name is not rejected: RFC 5280 allows it.
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

/* The registered domain of a DNS name (len bytes): the public suffix
 * and one label more ("example.co.uk" of "www.example.co.uk"), or NULL
 * when the name is a public suffix itself or holds a NUL.  Without the
 * full Public Suffix List, the suffixes are names.c's: every TLD and a
 * built-in selection of multi-label ones ("co.uk"). */
static const char *registered_domain(const char *v, size_t len)
{
	const char *p = v, *dot;

	if (v == NULL || len == 0 || memchr(v, '\0', len) != NULL ||
	    strlen(v) != len)
		return NULL;
	/* left to right: the first label whose rest is a public suffix
	 * (the longest suffix that applies, as the PSL rules want) */
	while ((dot = strchr(p, '.')) != NULL && dot[1] != '\0') {
		if (dot != p && cs_names_is_public_suffix(dot + 1))
			return p;
		p = dot + 1;
	}
	return NULL;
}

/* Does the CN name another host of the registered domain of the DNS
 * SAN n ("pay.example.com" beside "www.example.com" or beside
 * "example.com")?  Not when it is a parent domain of n ("example.com"
 * beside "www.example.com"), nor when n is a wildcard that covers it
 * (the certificate is valid for it: *covered is set). */
static bool cn_sibling(const struct cs_cert_model *m, const struct cs_name *n,
		       bool *covered)
{
	const char *a = registered_domain(n->value, n->len);
	const char *b = registered_domain(m->subject_cn, m->subject_cn_len);
	size_t cl = m->subject_cn_len;

	if (a == NULL || b == NULL || strcasecmp(a, b) != 0)
		return false;
	if (cs_names_dns_match(n->value, n->len, m->subject_cn)) {
		*covered = true;
		return false;
	}
	/* a parent domain of the SAN name */
	if (n->len > cl + 1 && n->value[n->len - cl - 1] == '.' &&
	    strncasecmp(n->value + n->len - cl, m->subject_cn, cl) == 0)
		return false;
	return true;
}

static void check_cn_in_san(struct cs_flist *l, const struct cs_cand *c)
{
	const struct cs_cert_model *m = &c->m;
	bool case_variant = false, ip_variant = false, sibling = false;
	bool covered = false;
	const char *sib = NULL;
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
		/* every DNS name is asked: a wildcard later in the list
		 * may cover the CN whatever came first */
		if (n->type == CS_SAN_DNS && iplen == 0 &&
		    cn_sibling(m, n, &covered) && sib == NULL)
			sib = n->value;
		if (n->len != m->subject_cn_len)
			continue;
		if (memcmp(n->value, m->subject_cn, n->len) == 0)
			return;
		if (strncasecmp(n->value, m->subject_cn, n->len) == 0)
			case_variant = true;
	}
	sibling = sib != NULL && !covered && !case_variant;
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
	if (sibling) {
		cs_flist_add(l, "cn-not-in-san", 0, c,
			     "Reissue it with a CN that repeats one of its SAN "
			     "names exactly, or without a CN.",
			     "The subject CN '%s' names another host of the "
			     "domain of its subject alternative name '%s', "
			     "for which the certificate is not valid; CA/B BR "
			     "7.1.4.3 requires an exact copy of a SAN name.",
			     m->subject_cn, sib);
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
	/* Without serverAuth the leaf is already an eku-mismatch for that
	 * reason (cs_check_leaf): one finding per reason, and "also
	 * allows" would not be true. */
	if (!cs_has_eku(&c->m, OID_KP_SERVER))
		return;
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

void cs_check_leaf(struct cs_flist *l, const struct cs_cand *c,
		   const struct cs_verify_opts *o)
{
	const struct cs_cert_model *m = &c->m;
	const char *poid = cs_purpose_oid(o);
	char buf[512];
	enum cs_name_result r;

	/* CA/B BR 7.1.2.7.8: a subscriber (server) certificate has cA
	 * FALSE; a CA key serving TLS can also sign certificates for any
	 * name.  RFC 5280 alone would allow it (limbo rfc5280::ca-as-leaf
	 * against webpki::ca-as-leaf); --purpose any accepts it. */
	if (o->purpose == CS_PURPOSE_SERVER && m->is_ca)
		cs_flist_add(l, "ca-as-leaf", 0, c,
			     "Use an end-entity certificate (CA:FALSE) for the "
			     "server.",
			     "'%s' is a CA certificate (basicConstraints "
			     "CA:TRUE) used as a server certificate; CA/B BR "
			     "7.1.2.7.8 requires cA FALSE in a server "
			     "certificate.", cs_name_of(c));
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
	    !(m->key_usage & CS_KU_KEY_CERT_SIGN) &&
	    o->purpose != CS_PURPOSE_SERVER) /* ca-as-leaf said it */
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
