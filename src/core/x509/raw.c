/*
 * raw.c - the fields read from the certificate's raw DER with the bounded
 * TLV reader of input/der.h, because GnuTLS hides what we need to report:
 * the serial number as encoded (zero, negative, over 20 octets, not
 * minimal), the Validity times exactly (UTCTime "50" is 1950, RFC 5280
 * 4.1.2.5.1, where GnuTLS returns 0; every form RFC 5280 forbids is a
 * warning), non-minimal outer lengths, the issuer and subject names as
 * encoded (self-issued), and the tbsCertificate and signature bytes for
 * the self-signed check.
 *
 * Does not: call GnuTLS, or judge the times against a clock.
 */
#include "x509/model_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gnutls/gnutls.h>

/* Longest raw Validity string we keep (the field is char[32]). */
#define CS_TIME_RAW_MAX 31
/* RFC 5280 4.1.2.2: serial numbers are at most 20 octets. */
#define CS_SERIAL_MAX_OCTETS 20
/* RFC 5280 4.1.2.5: dates through 2049 must be UTCTime. */
#define CS_UTCTIME_LAST_YEAR 2049

/* ---- the walk ------------------------------------------------------ */

/* see model_int.h.  Certificate ::= SEQUENCE { tbsCertificate,
 * signatureAlgorithm, signatureValue } and TBSCertificate ::= SEQUENCE {
 * [0] version OPTIONAL, serialNumber, signature, issuer, validity, ... }
 * (RFC 5280 4.1). */
int model_raw_walk(const unsigned char *der, size_t der_len,
		   struct raw_cert *r)
{
	struct cs_tlv t, validity;
	size_t opos = 0, tpos = 0, vpos = 0;
	bool more;

	memset(r, 0, sizeof(*r));
	if (cs_der_read(der, der_len, &r->outer) != CS_DER_OK ||
	    r->outer.tag != 0x30)
		return -1;
	if (!cs_der_child(r->outer.val, r->outer.len, &opos, &r->tbs) ||
	    r->tbs.tag != 0x30)
		return -1;
	r->tbs_der = r->outer.val;
	r->tbs_der_len = r->tbs.hdr + r->tbs.len;

	if (!cs_der_child(r->tbs.val, r->tbs.len, &tpos, &t))
		return -1;
	if (t.tag == 0xa0 && /* [0] EXPLICIT version */
	    !cs_der_child(r->tbs.val, r->tbs.len, &tpos, &t))
		return -1;
	if (t.tag != 0x02)
		return -1;
	r->serial = t;

	/* signature AlgorithmIdentifier, issuer Name, Validity, subject */
	if (!cs_der_child(r->tbs.val, r->tbs.len, &tpos, &t) ||
	    t.tag != 0x30 ||
	    !cs_der_child(r->tbs.val, r->tbs.len, &tpos, &r->issuer) ||
	    r->issuer.tag != 0x30)
		goto sig;
	if (!cs_der_child(r->tbs.val, r->tbs.len, &tpos, &validity) ||
	    validity.tag != 0x30)
		goto sig;
	if (!cs_der_child(validity.val, validity.len, &vpos,
			  &r->not_before) ||
	    !cs_der_child(validity.val, validity.len, &vpos, &r->not_after))
		goto sig;
	r->have_validity = true;
	if (cs_der_child(r->tbs.val, r->tbs.len, &tpos, &r->subject) &&
	    r->subject.tag == 0x30)
		r->have_names = true;
	/* subjectPublicKeyInfo, [1] and [2] unique ids, [3] extensions */
	if (!r->have_names ||
	    !cs_der_child(r->tbs.val, r->tbs.len, &tpos, &r->spki) ||
	    r->spki.tag != 0x30)
		goto sig;
	while ((more = cs_der_child(r->tbs.val, r->tbs.len, &tpos, &t)) &&
	       (t.tag == 0x81 || t.tag == 0xa1 || t.tag == 0x82 ||
		t.tag == 0xa2))
		;
	if (!more) {
		r->have_exts = tpos == r->tbs.len; /* none */
	} else if (t.tag == 0xa3 && tpos == r->tbs.len &&
		   cs_der_read(t.val, t.len, &r->exts) == CS_DER_OK &&
		   r->exts.tag == 0x30 && r->exts.hdr + r->exts.len == t.len) {
		r->have_exts = true;
	}
sig:
	/* signatureAlgorithm, then signatureValue BIT STRING whose first
	 * content octet counts unused bits (X.690 8.6.2). */
	if (!cs_der_child(r->outer.val, r->outer.len, &opos, &t) ||
	    t.tag != 0x30)
		return 0;
	if (!cs_der_child(r->outer.val, r->outer.len, &opos, &t) ||
	    t.tag != 0x03 || t.len < 1 || t.val[0] != 0)
		return 0;
	r->sig = t.val + 1;
	r->sig_len = t.len - 1;
	r->have_sig = true;
	return 0;
}

/* ---- Validity times ------------------------------------------------ */

static int is_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int digits(const unsigned char *p, size_t n, int *out)
{
	int v = 0;

	for (size_t i = 0; i < n; i++) {
		if (p[i] < '0' || p[i] > '9')
			return -1;
		v = v * 10 + (p[i] - '0');
	}
	*out = v;
	return 0;
}

/*
 * Decode a UTCTime (tag 0x17) or GeneralizedTime (0x18) from t into Unix
 * seconds, keeping the raw text and adding a warning for every form RFC
 * 5280 4.1.2.5 forbids.  Returns CS_TIME_NONE if it is not a time at all.
 * -1 in *oom on allocation failure.
 */
static cs_time_t read_time(struct cs_cert_model *m, const char *which,
			   const struct cs_tlv *t, char *raw, bool *is_utc,
			   int *oom)
{
	const unsigned char *s = t->val;
	size_t n = t->len, i;
	int y, mo, d, h, mi, sec = 0, rc = 0;
	int offset = 0; /* minutes east of UTC */
	bool utc = t->tag == 0x17;
	cs_time_t v;

	model_copy_fixed(raw, CS_TIME_RAW_MAX + 1, s, n);
	*is_utc = utc;
	if (t->tag != 0x17 && t->tag != 0x18) {
		rc = model_warn(m, "%s is neither a UTCTime nor a "
				   "GeneralizedTime (tag 0x%02x); RFC 5280 "
				   "4.1.2.5", which, t->tag);
		goto bad;
	}
	if (utc) {
		if (n < 10 || digits(s, 2, &y) < 0)
			goto invalid;
		/* RFC 5280 4.1.2.5.1: YY >= 50 is 19YY, else 20YY. */
		y += y >= 50 ? 1900 : 2000;
		i = 2;
	} else {
		if (n < 14 || digits(s, 4, &y) < 0)
			goto invalid;
		i = 4;
	}
	if (digits(s + i, 2, &mo) < 0 || digits(s + i + 2, 2, &d) < 0 ||
	    digits(s + i + 4, 2, &h) < 0 || digits(s + i + 6, 2, &mi) < 0)
		goto invalid;
	i += 8;
	if (i + 2 <= n && digits(s + i, 2, &sec) == 0) {
		i += 2;
	} else if (utc) {
		rc = model_warn(m, "%s is a UTCTime without seconds; RFC 5280 "
				   "4.1.2.5.1 requires YYMMDDHHMMSSZ", which);
		if (rc < 0)
			goto bad;
	} else {
		goto invalid;
	}
	if (!utc && i < n && (s[i] == '.' || s[i] == ',')) {
		size_t f = i + 1;

		while (f < n && s[f] >= '0' && s[f] <= '9')
			f++;
		if (f == i + 1)
			goto invalid;
		rc = model_warn(m, "%s has fractional seconds; RFC 5280 "
				   "4.1.2.5.2 forbids them", which);
		if (rc < 0)
			goto bad;
		i = f;
	}
	if (i + 1 == n && s[i] == 'Z') {
		/* the required form */
	} else if (i + 5 == n && (s[i] == '+' || s[i] == '-')) {
		int oh, om;

		if (digits(s + i + 1, 2, &oh) < 0 ||
		    digits(s + i + 3, 2, &om) < 0 || oh > 23 || om > 59)
			goto invalid;
		offset = (oh * 60 + om) * (s[i] == '-' ? -1 : 1);
		rc = model_warn(m, "%s has a time-zone offset; RFC 5280 "
				   "4.1.2.5 requires UTC with a final Z",
				which);
		if (rc < 0)
			goto bad;
	} else {
		goto invalid;
	}
	if (mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || sec > 60)
		goto invalid;
	{
		static const int mdays[12] = {31, 28, 31, 30, 31, 30,
					      31, 31, 30, 31, 30, 31};
		int dim = mdays[mo - 1] + (mo == 2 && is_leap(y));

		if (d > dim)
			goto invalid;
	}
	if (sec == 60) {
		rc = model_warn(m, "%s has second 60 (a leap second); X.509 "
				   "times are UTC without leap seconds",
				which);
		if (rc < 0)
			goto bad;
	}
	if (!utc && y <= CS_UTCTIME_LAST_YEAR) {
		rc = model_warn(m, "%s uses GeneralizedTime for a date before "
				   "2050 (year %d); RFC 5280 4.1.2.5 requires "
				   "UTCTime", which, y);
		if (rc < 0)
			goto bad;
	}
	v = cs_time_from_civil(y, mo, d, h, mi, sec);
	return v - (cs_time_t)offset * 60;
invalid:
	rc = model_warn(m, "%s is not a valid %s; RFC 5280 4.1.2.5", which,
			utc ? "UTCTime" : "GeneralizedTime");
bad:
	if (rc < 0)
		*oom = -1;
	return CS_TIME_NONE;
}

/* ---- the fields ---------------------------------------------------- */

static int read_serial(struct cs_cert_model *m, const struct cs_tlv *s)
{
	const unsigned char *p = s->val;
	size_t n = s->len;
	bool zero = true;

	m->serial_len = n;
	m->serial_hex = malloc(n * 3 + 1);
	if (m->serial_hex == NULL)
		return -1;
	cs_hex_colon(m->serial_hex, n * 3 + 1, p, n);
	if (n == 0)
		return model_warn(m, "the serial number is an empty INTEGER; "
				     "DER (X.690 8.3.1) and RFC 5280 4.1.2.2 "
				     "forbid it");
	m->serial_negative = (p[0] & 0x80) != 0;
	for (size_t i = 0; i < n; i++)
		zero = zero && p[i] == 0;
	/* RFC 5280 4.1.2.2: "a positive integer", at most 20 octets. */
	if (zero && model_warn(m, "the serial number is zero; RFC 5280 4.1.2.2 "
				  "requires a positive integer") < 0)
		return -1;
	if (m->serial_negative &&
	    model_warn(m, "the serial number is negative; RFC 5280 4.1.2.2 "
			  "requires a positive integer") < 0)
		return -1;
	if (n > CS_SERIAL_MAX_OCTETS &&
	    model_warn(m, "the serial number is %zu bytes long; RFC 5280 "
			  "4.1.2.2 allows at most %d", n,
		       CS_SERIAL_MAX_OCTETS) < 0)
		return -1;
	/* X.690 8.3.2: the first nine bits must not be all 0 or all 1. */
	if (n >= 2 && ((p[0] == 0x00 && !(p[1] & 0x80)) ||
		       (p[0] == 0xff && (p[1] & 0x80))) &&
	    model_warn(m, "the serial number is not minimally encoded "
			  "(leading %02X byte); DER requires the minimal "
			  "form", p[0]) < 0)
		return -1;
	return 0;
}

/* see model_int.h */
int model_read_raw(struct cs_cert_model *m, const struct raw_cert *r)
{
	int oom = 0;

	if (r->outer.nonminimal &&
	    model_warn(m, "the outer length is encoded in %u bytes; DER "
			  "requires the minimal form (X.690 10.1)",
		       r->outer.len_octets) < 0)
		return -1;
	if (r->tbs.nonminimal &&
	    model_warn(m, "the tbsCertificate length is encoded in %u "
			  "bytes; DER requires the minimal form (X.690 "
			  "10.1)",
		       r->tbs.len_octets) < 0)
		return -1;
	if (read_serial(m, &r->serial) < 0)
		return -1;
	if (!r->have_validity)
		return model_warn(m, "the Validity field could not be read");
	m->not_before = read_time(m, "notBefore", &r->not_before,
				  m->not_before_raw, &m->not_before_utc, &oom);
	m->not_after = read_time(m, "notAfter", &r->not_after,
				 m->not_after_raw, &m->not_after_utc, &oom);
	if (oom < 0)
		return -1;
	if (m->not_before != CS_TIME_NONE && m->not_after != CS_TIME_NONE &&
	    m->not_after < m->not_before &&
	    model_warn(m, "the validity period is inverted: notAfter is before "
			  "notBefore, so the certificate is never valid") < 0)
		return -1;
	return 0;
}

/* ---- names --------------------------------------------------------- */

/*
 * The RFC 4514 string of a Name read from its DER, for the plain names
 * nearly every certificate has: single-valued RDNs of the common
 * attribute types whose values are PrintableString, UTF8String or
 * IA5String of printable ASCII without any character RFC 4514 escapes.
 * For such a name the string is the one gnutls_x509_crt_get_dn3 gives
 * (last RDN first, "," between them, GnuTLS's short names); the unit
 * tests compare the two on the test PKI and the shared corpus.  Every
 * other name is left to GnuTLS, which costs a libtasn1 path lookup per
 * attribute: half of `show`'s model of a root.
 */

/* RDNs read at most; longer names go to GnuTLS. */
#define RAWDN_MAX_RDNS 32

/* Attribute types (the contents of their OBJECT IDENTIFIER) and the
 * names GnuTLS gives them (RFC 4514 3 and RFC 4519). */
static const struct {
	unsigned char oid[10];
	unsigned char len;
	const char *name;
} dn_types[] = {
	{{0x55, 0x04, 0x03}, 3, "CN"},
	{{0x55, 0x04, 0x06}, 3, "C"},
	{{0x55, 0x04, 0x07}, 3, "L"},
	{{0x55, 0x04, 0x08}, 3, "ST"},
	{{0x55, 0x04, 0x0a}, 3, "O"},
	{{0x55, 0x04, 0x0b}, 3, "OU"},
	{{0x55, 0x04, 0x05}, 3, "serialNumber"},
	/* 0.9.2342.19200300.100.1.25 domainComponent */
	{{0x09, 0x92, 0x26, 0x89, 0x93, 0xf2, 0x2c, 0x64, 0x01, 0x19}, 10,
	 "DC"},
};

/* The short name of an attribute type, NULL when not in the table. */
static const char *type_name(const struct cs_tlv *oid)
{
	for (size_t i = 0; i < sizeof(dn_types) / sizeof(*dn_types); i++)
		if (oid->len == dn_types[i].len &&
		    memcmp(oid->val, dn_types[i].oid, oid->len) == 0)
			return dn_types[i].name;
	return NULL;
}

/* A value printed as it is: a string type, not empty, printable ASCII,
 * none of RFC 4514's specials, no space or '#' where they would need an
 * escape. */
static bool plain_value(const struct cs_tlv *v)
{
	if ((v->tag != 0x13 && v->tag != 0x0c && v->tag != 0x16) ||
	    v->len == 0 || v->val[0] == ' ' || v->val[0] == '#' ||
	    v->val[v->len - 1] == ' ')
		return false;
	for (size_t i = 0; i < v->len; i++) {
		unsigned char c = v->val[i];

		if (c < 0x20 || c > 0x7e || strchr(",+\"\\<>;=", c) != NULL)
			return false;
	}
	return true;
}

/* see model_int.h */
int model_raw_dn(const struct cs_tlv *name, char **out)
{
	struct cs_tlv value[RAWDN_MAX_RDNS];
	const char *type[RAWDN_MAX_RDNS];
	size_t n = 0, pos = 0, total = 0, o = 0;
	struct cs_tlv rdn;
	char *s;

	*out = NULL;
	if (name->tag != 0x30)
		return 0;
	while (cs_der_child(name->val, name->len, &pos, &rdn)) {
		struct cs_tlv atv, oid;
		size_t rpos = 0, apos = 0;

		/* RelativeDistinguishedName ::= SET SIZE (1..MAX) OF
		 * AttributeTypeAndValue: one of them, here */
		if (n == RAWDN_MAX_RDNS || rdn.tag != 0x31 ||
		    !cs_der_child(rdn.val, rdn.len, &rpos, &atv) ||
		    rpos != rdn.len || atv.tag != 0x30 ||
		    !cs_der_child(atv.val, atv.len, &apos, &oid) ||
		    oid.tag != 0x06 ||
		    !cs_der_child(atv.val, atv.len, &apos, &value[n]) ||
		    apos != atv.len)
			return 0;
		type[n] = type_name(&oid);
		if (type[n] == NULL || !plain_value(&value[n]))
			return 0;
		total += strlen(type[n]) + 1 + value[n].len + 1;
		n++;
	}
	if (pos != name->len || n == 0)
		return 0;
	s = malloc(total);
	if (s == NULL)
		return -1;
	while (n-- > 0) { /* RFC 4514 2.1: the last RDN first */
		size_t tl = strlen(type[n]);

		memcpy(s + o, type[n], tl);
		o += tl;
		s[o++] = '=';
		memcpy(s + o, value[n].val, value[n].len);
		o += value[n].len;
		s[o++] = n > 0 ? ',' : '\0';
	}
	*out = s;
	return 1;
}

/* ---- extensions ---------------------------------------------------- */

/* see model_int.h */
int model_raw_ext_next(const struct raw_cert *r, size_t *pos,
		       struct cs_tlv *id, struct cs_tlv *value,
		       bool *critical)
{
	struct cs_tlv ext, t;
	size_t epos = 0;

	if (!r->have_exts)
		return -1;
	if (!cs_der_child(r->exts.val, r->exts.len, pos, &ext))
		return *pos == r->exts.len ? 0 : -1;
	/* Extension ::= SEQUENCE { extnID, critical BOOLEAN DEFAULT FALSE,
	 * extnValue OCTET STRING } (RFC 5280 4.1); anything else, or a
	 * criticality DER would not encode, is GnuTLS's to read. */
	if (ext.tag != 0x30 || !cs_der_child(ext.val, ext.len, &epos, id) ||
	    id->tag != 0x06 || !cs_der_child(ext.val, ext.len, &epos, &t))
		return -1;
	*critical = false;
	if (t.tag == 0x01) {
		if (t.len != 1 || t.val[0] != 0xff ||
		    !cs_der_child(ext.val, ext.len, &epos, &t))
			return -1;
		*critical = true;
	}
	if (t.tag != 0x04 || epos != ext.len)
		return -1;
	*value = t;
	return 1;
}

/* see model_int.h */
int model_raw_ext(const struct raw_cert *r, const unsigned char *oid,
		  size_t oid_len, struct cs_tlv *value, bool *critical)
{
	struct cs_tlv id;
	size_t pos = 0;
	int found;

	while ((found = model_raw_ext_next(r, &pos, &id, value,
					   critical)) == 1)
		if (id.len == oid_len && memcmp(id.val, oid, oid_len) == 0)
			return 1;
	return found;
}

/* The one TLV that fills the contents of t, or false. */
static bool only_child(const struct cs_tlv *t, struct cs_tlv *c)
{
	return cs_der_read(t->val, t->len, c) == CS_DER_OK &&
	       c->hdr + c->len == t->len;
}

/* see model_int.h */
bool model_raw_basic_constraints(struct cs_cert_model *m,
				 const struct raw_cert *r)
{
	static const unsigned char oid[] = {0x55, 0x1d, 0x13};
	struct cs_tlv v, seq, t;
	size_t pos = 0;
	bool crit, more, ca = false;
	int path_len = -1;
	int found = model_raw_ext(r, oid, sizeof(oid), &v, &crit);

	if (found <= 0)
		return found == 0; /* absent: nothing to read */
	/* BasicConstraints ::= SEQUENCE { cA BOOLEAN DEFAULT FALSE,
	 * pathLenConstraint INTEGER (0..MAX) OPTIONAL } (4.2.1.9), in DER:
	 * cA only when TRUE; a small minimal pathLen */
	if (!only_child(&v, &seq) || seq.tag != 0x30)
		return false;
	more = cs_der_child(seq.val, seq.len, &pos, &t);
	if (more && t.tag == 0x01) {
		if (t.len != 1 || t.val[0] != 0xff)
			return false;
		ca = true;
		more = cs_der_child(seq.val, seq.len, &pos, &t);
	}
	if (more) {
		if (t.tag != 0x02 || t.len < 1 || t.len > 3 ||
		    t.val[0] & 0x80 || (t.len > 1 && t.val[0] == 0))
			return false;
		path_len = 0;
		for (size_t i = 0; i < t.len; i++)
			path_len = path_len << 8 | t.val[i];
	}
	if (pos != seq.len)
		return false;
	m->has_basic_constraints = true;
	m->bc_critical = crit;
	m->is_ca = ca;
	m->path_len = path_len;
	return true;
}

/* see model_int.h */
bool model_raw_key_ids(struct cs_cert_model *m, const struct raw_cert *r)
{
	static const unsigned char ski_oid[] = {0x55, 0x1d, 0x0e};
	static const unsigned char aki_oid[] = {0x55, 0x1d, 0x23};
	struct cs_tlv ski, aki, v, t;
	size_t pos = 0;
	bool crit;
	int has_ski = model_raw_ext(r, ski_oid, sizeof(ski_oid), &v, &crit);

	/* SubjectKeyIdentifier ::= OCTET STRING (4.2.1.2) */
	if (has_ski < 0 ||
	    (has_ski && (!only_child(&v, &ski) || ski.tag != 0x04 ||
			 ski.len == 0)))
		return false;
	/* AuthorityKeyIdentifier ::= SEQUENCE { keyIdentifier [0]
	 * OPTIONAL, ... } (4.2.1.1): here the key identifier alone */
	int has_aki = model_raw_ext(r, aki_oid, sizeof(aki_oid), &v, &crit);

	if (has_aki < 0 ||
	    (has_aki && (!only_child(&v, &t) || t.tag != 0x30 ||
			 !cs_der_child(t.val, t.len, &pos, &aki) ||
			 aki.tag != 0x80 || aki.len == 0 || pos != t.len)))
		return false;
	if (has_ski)
		cs_hex_colon(m->ski_hex, sizeof(m->ski_hex), ski.val, ski.len);
	if (has_aki)
		cs_hex_colon(m->aki_hex, sizeof(m->aki_hex), aki.val, aki.len);
	return true;
}

/* ---- the key ------------------------------------------------------- */

/* Bits of a positive INTEGER's value (leading zero octets ignored). */
static unsigned int_bits(const struct cs_tlv *t)
{
	size_t i = 0;
	unsigned b;

	while (i < t->len && t->val[i] == 0)
		i++;
	if (i == t->len)
		return 0;
	b = (unsigned)(t->len - i - 1) * 8;
	for (unsigned c = t->val[i]; c; c >>= 1)
		b++;
	return b;
}

/* see model_int.h */
bool model_raw_key(struct cs_cert_model *m, const struct raw_cert *r)
{
	static const unsigned char rsa[] = {0x2a, 0x86, 0x48, 0x86, 0xf7,
					    0x0d, 0x01, 0x01, 0x01};
	static const unsigned char ecpk[] = {0x2a, 0x86, 0x48, 0xce, 0x3d,
					     0x02, 0x01};
	static const unsigned char ed25519[] = {0x2b, 0x65, 0x70};
	static const struct {
		unsigned char oid[8];
		unsigned char len;
		const char *name;
		unsigned bits;
		size_t point; /* uncompressed point: 1 + 2 coordinates */
	} curves[] = {
		{{0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07}, 8,
		 "P-256", 256, 65},
		{{0x2b, 0x81, 0x04, 0x00, 0x22}, 5, "P-384", 384, 97},
		/* GnuTLS counts the 66 octets of a P-521 coordinate */
		{{0x2b, 0x81, 0x04, 0x00, 0x23}, 5, "P-521", 528, 133},
	};
	struct cs_tlv alg, oid, params, key, seq, n, e;
	size_t pos = 0, apos = 0, kpos = 0;
	bool more;

	/* SubjectPublicKeyInfo ::= SEQUENCE { algorithm
	 * AlgorithmIdentifier, subjectPublicKey BIT STRING } (4.1.2.7) */
	if (r->spki.tag != 0x30 ||
	    !cs_der_child(r->spki.val, r->spki.len, &pos, &alg) ||
	    alg.tag != 0x30 ||
	    !cs_der_child(r->spki.val, r->spki.len, &pos, &key) ||
	    pos != r->spki.len || key.tag != 0x03 || key.len < 2 ||
	    key.val[0] != 0 ||
	    !cs_der_child(alg.val, alg.len, &apos, &oid) || oid.tag != 0x06)
		return false;
	more = cs_der_child(alg.val, alg.len, &apos, &params);
	if (apos != alg.len || r->spki.nonminimal || alg.nonminimal ||
	    key.nonminimal || oid.nonminimal ||
	    (more && params.nonminimal))
		return false;
	if (oid.len == sizeof(rsa) && memcmp(oid.val, rsa, oid.len) == 0) {
		/* RFC 3279 2.3.1: NULL parameters, RSAPublicKey ::=
		 * SEQUENCE { modulus INTEGER, publicExponent INTEGER } */
		if (!more || params.tag != 0x05 || params.len != 0 ||
		    cs_der_read(key.val + 1, key.len - 1, &seq) != CS_DER_OK ||
		    seq.tag != 0x30 || seq.hdr + seq.len != key.len - 1 ||
		    !cs_der_child(seq.val, seq.len, &kpos, &n) ||
		    !cs_der_child(seq.val, seq.len, &kpos, &e) ||
		    kpos != seq.len || n.tag != 0x02 || e.tag != 0x02 ||
		    n.len < 2 || n.val[0] & 0x80 || e.len < 1 ||
		    e.val[0] & 0x80 || (n.val[0] == 0 && !(n.val[1] & 0x80)) ||
		    (e.len > 1 && e.val[0] == 0 && !(e.val[1] & 0x80)) ||
		    seq.nonminimal || n.nonminimal || e.nonminimal)
			return false;
		m->gnutls_pk = GNUTLS_PK_RSA;
		snprintf(m->key_alg, sizeof(m->key_alg), "RSA");
		m->key_bits = int_bits(&n);
		return true;
	}
	if (oid.len == sizeof(ecpk) && memcmp(oid.val, ecpk, oid.len) == 0) {
		/* RFC 5480 2.1.1: a namedCurve, an uncompressed point */
		if (!more || params.tag != 0x06)
			return false;
		for (size_t i = 0; i < sizeof(curves) / sizeof(*curves); i++) {
			if (params.len != curves[i].len ||
			    memcmp(params.val, curves[i].oid, params.len) != 0)
				continue;
			if (key.len - 1 != curves[i].point || key.val[1] != 0x04)
				return false;
			m->gnutls_pk = GNUTLS_PK_ECDSA;
			snprintf(m->key_alg, sizeof(m->key_alg), "ECDSA");
			snprintf(m->key_curve, sizeof(m->key_curve), "%s",
				 curves[i].name);
			m->key_bits = curves[i].bits;
			return true;
		}
		return false;
	}
	if (oid.len == sizeof(ed25519) &&
	    memcmp(oid.val, ed25519, oid.len) == 0) {
		/* RFC 8410 3: no parameters, a 32-byte key */
		if (more || key.len - 1 != 32)
			return false;
		m->gnutls_pk = GNUTLS_PK_EDDSA_ED25519;
		snprintf(m->key_alg, sizeof(m->key_alg), "Ed25519");
		m->key_bits = 256;
		return true;
	}
	return false;
}

/* see model_int.h */
int model_raw_first_cn(const struct cs_tlv *name, struct cs_tlv *value)
{
	static const unsigned char cn[] = {0x55, 0x04, 0x03};
	struct cs_tlv rdn, atv, oid, v;
	size_t pos = 0;
	int found = 0;

	if (name->tag != 0x30)
		return -1;
	/* every RDN and attribute in order, as GnuTLS looks: the first CN
	 * of the encoding */
	while (cs_der_child(name->val, name->len, &pos, &rdn)) {
		size_t rpos = 0;

		if (rdn.tag != 0x31)
			return -1;
		while (cs_der_child(rdn.val, rdn.len, &rpos, &atv)) {
			size_t apos = 0;

			if (atv.tag != 0x30 ||
			    !cs_der_child(atv.val, atv.len, &apos, &oid) ||
			    oid.tag != 0x06 ||
			    !cs_der_child(atv.val, atv.len, &apos, &v) ||
			    apos != atv.len)
				return -1;
			if (!found && oid.len == sizeof(cn) &&
			    memcmp(oid.val, cn, sizeof(cn)) == 0) {
				*value = v;
				found = 1;
			}
		}
		if (rpos != rdn.len || rpos == 0)
			return -1;
	}
	return pos == name->len ? found : -1;
}
