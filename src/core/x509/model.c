/*
 * model.c - extract the fields a person asks about from a parsed
 * certificate into struct cs_cert_model (see model.h).
 *
 * This is the only file that calls the gnutls_x509_crt_get_* getters.
 * Every getter may fail on a hostile certificate: an optional field that
 * cannot be read is left empty and the model is still built.  Variable
 * length values are read with the size-query pattern (first call with a
 * NULL buffer, then allocate) or with datum-returning variants, never
 * into a guessed fixed-size buffer.
 *
 * The serial number and the Validity times are read from the raw DER with
 * the bounded TLV reader of input/der.h, because GnuTLS hides what we
 * need to report: UTCTime "50" (= 1950, RFC 5280 4.1.2.5.1) comes back
 * as 0, and non-minimal encodings are accepted silently.
 *
 * Does not: decide trust, check validity at a time, match names, or
 * escape strings for output (the report layer does).
 */
#include <arpa/inet.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gnutls/abstract.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509-ext.h>
#include <gnutls/x509.h>

#include "input/der.h"
#include "x509/model.h"

/* Entries read from one list-valued extension (SANs, EKUs, policies,
 * URLs, constraints, SCTs, extensions).  The loader refuses certificates
 * of more than CS_MAX_CERT_ELEMENTS DER elements, so for what it loads no
 * list reaches this and nothing is left out unsaid; it bounds the loops
 * for certificates from elsewhere (trust stores). */
#define CS_MODEL_MAX_LIST 16384
/* Longest raw Validity string we keep (the field is char[32]). */
#define CS_TIME_RAW_MAX 31
/* RFC 5280 4.1.2.2: serial numbers are at most 20 octets. */
#define CS_SERIAL_MAX_OCTETS 20
/* RFC 5280 4.1.2.5: dates through 2049 must be UTCTime. */
#define CS_UTCTIME_LAST_YEAR 2049
/* SCT log ids are SHA-256 hashes (RFC 6962 3.2). */
#define CS_SCT_LOGID_LEN 32

#define OID_SAN "2.5.29.17"
#define OID_KU "2.5.29.15"
#define OID_BC "2.5.29.19"
#define OID_EKU "2.5.29.37"
#define OID_SKI "2.5.29.14"
#define OID_AKI "2.5.29.35"
#define OID_CRLDP "2.5.29.31"
#define OID_POLICIES "2.5.29.32"
#define OID_NC "2.5.29.30"
#define OID_AIA "1.3.6.1.5.5.7.1.1"
#define OID_SCT "1.3.6.1.4.1.11129.2.4.2"
#define OID_AD_OCSP "1.3.6.1.5.5.7.48.1"
#define OID_AD_CAISSUERS "1.3.6.1.5.5.7.48.2"

/* Extensions whose content the model decodes into its fields. */
static const char *const known_ext_oids[] = {
	OID_SAN, OID_KU,	 OID_BC,  OID_EKU, OID_SKI, OID_AKI,
	OID_CRLDP, OID_POLICIES, OID_NC, OID_AIA, OID_SCT,
};

/* ---- small owned-memory helpers ------------------------------------ */

/* Copy len bytes into a new NUL-terminated heap string.  NULL on ENOMEM. */
static char *memdup_str(const void *p, size_t len)
{
	char *s = malloc(len + 1);

	if (s == NULL)
		return NULL;
	if (len > 0)
		memcpy(s, p, len);
	s[len] = '\0';
	return s;
}

/* Append an owned string (taken on success and on failure). */
static int strlist_take(struct cs_strlist *l, char *s)
{
	char **v;

	if (s == NULL)
		return -1;
	if (l->n >= CS_MODEL_MAX_LIST) {
		free(s);
		return 0;
	}
	if ((l->n & (l->n - 1)) == 0) { /* doubling, as namelist_take */
		v = realloc(l->v, (l->n ? 2 * l->n : 1) * sizeof(*v));
		if (v == NULL) {
			free(s);
			return -1;
		}
		l->v = v;
	}
	l->v[l->n++] = s;
	return 0;
}

static int strlist_add(struct cs_strlist *l, const void *p, size_t len)
{
	return strlist_take(l, memdup_str(p, len));
}

static void strlist_free(struct cs_strlist *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

/* Append *nm to l; l takes nm->value (also on failure). */
static int namelist_take(struct cs_namelist *l, struct cs_name *nm)
{
	struct cs_name *v;

	if (nm->value == NULL)
		return -1;
	if (l->n >= CS_MODEL_MAX_LIST) {
		free(nm->value);
		return 0;
	}
	/* Capacity is the next power of two >= n (the struct has no
	 * capacity field): grow by doubling when n reaches one, so a list
	 * of N names costs log N reallocations, not N. */
	if ((l->n & (l->n - 1)) == 0) {
		v = realloc(l->v, (l->n ? 2 * l->n : 1) * sizeof(*v));
		if (v == NULL) {
			free(nm->value);
			return -1;
		}
		l->v = v;
	}
	l->v[l->n++] = *nm;
	return 0;
}

static void namelist_free(struct cs_namelist *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i].value);
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

static int warn(struct cs_cert_model *m, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Add one warning sentence.  -1 only on ENOMEM. */
static int warn(struct cs_cert_model *m, const char *fmt, ...)
{
	char buf[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	return strlist_add(&m->warnings, buf, strlen(buf));
}

/* Standard base64 (RFC 4648 4) of len bytes into out; truncates at a
 * 4-character boundary if out is too small. */
static void base64(char *out, size_t outsz, const unsigned char *p,
		   size_t len)
{
	static const char tab[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
				  "abcdefghijklmnopqrstuvwxyz0123456789+/";
	size_t o = 0;

	if (outsz == 0)
		return;
	for (size_t i = 0; i < len && o + 4 < outsz; i += 3) {
		unsigned v = (unsigned)p[i] << 16;

		if (i + 1 < len)
			v |= (unsigned)p[i + 1] << 8;
		if (i + 2 < len)
			v |= p[i + 2];
		out[o++] = tab[(v >> 18) & 63];
		out[o++] = tab[(v >> 12) & 63];
		out[o++] = i + 1 < len ? tab[(v >> 6) & 63] : '=';
		out[o++] = i + 2 < len ? tab[v & 63] : '=';
	}
	out[o] = '\0';
}

/* Bounded copy of a datum into a fixed char array, NUL-terminated. */
static void copy_fixed(char *out, size_t outsz, const void *p, size_t len)
{
	if (len >= outsz)
		len = outsz - 1;
	memcpy(out, p, len);
	out[len] = '\0';
}

/* ---- raw DER fields ------------------------------------------------ */

/* What the raw walk found; all pointers borrow the caller's DER. */
struct raw_cert {
	struct cs_tlv outer, tbs, serial, not_before, not_after;
	const unsigned char *tbs_der; /* whole tbsCertificate TLV */
	size_t tbs_der_len;
	const unsigned char *sig; /* signature BIT STRING content */
	size_t sig_len;
	bool have_validity, have_sig;
};

/* Certificate ::= SEQUENCE { tbsCertificate, signatureAlgorithm,
 * signatureValue } and TBSCertificate ::= SEQUENCE { [0] version
 * OPTIONAL, serialNumber, signature, issuer, validity, ... }
 * (RFC 5280 4.1).  Returns -1 if the serial cannot be located. */
static int raw_walk(const unsigned char *der, size_t der_len,
		    struct raw_cert *r)
{
	struct cs_tlv t, validity;
	size_t opos = 0, tpos = 0, vpos = 0;

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

	/* signature AlgorithmIdentifier, issuer Name, then Validity */
	for (int i = 0; i < 2; i++)
		if (!cs_der_child(r->tbs.val, r->tbs.len, &tpos, &t) ||
		    t.tag != 0x30)
			goto sig;
	if (!cs_der_child(r->tbs.val, r->tbs.len, &tpos, &validity) ||
	    validity.tag != 0x30)
		goto sig;
	if (!cs_der_child(validity.val, validity.len, &vpos,
			  &r->not_before) ||
	    !cs_der_child(validity.val, validity.len, &vpos, &r->not_after))
		goto sig;
	r->have_validity = true;
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

	copy_fixed(raw, CS_TIME_RAW_MAX + 1, s, n);
	*is_utc = utc;
	if (t->tag != 0x17 && t->tag != 0x18) {
		rc = warn(m, "%s is neither a UTCTime nor a GeneralizedTime "
			     "(tag 0x%02x); RFC 5280 4.1.2.5", which, t->tag);
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
		rc = warn(m, "%s is a UTCTime without seconds; RFC 5280 "
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
		rc = warn(m, "%s has fractional seconds; RFC 5280 4.1.2.5.2 "
			     "forbids them", which);
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
		rc = warn(m, "%s has a time-zone offset; RFC 5280 4.1.2.5 "
			     "requires UTC with a final Z", which);
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
		rc = warn(m, "%s has second 60 (a leap second); X.509 times "
			     "are UTC without leap seconds", which);
		if (rc < 0)
			goto bad;
	}
	if (!utc && y <= CS_UTCTIME_LAST_YEAR) {
		rc = warn(m, "%s uses GeneralizedTime for a date before 2050 "
			     "(year %d); RFC 5280 4.1.2.5 requires UTCTime",
			  which, y);
		if (rc < 0)
			goto bad;
	}
	v = cs_time_from_civil(y, mo, d, h, mi, sec);
	return v - (cs_time_t)offset * 60;
invalid:
	rc = warn(m, "%s is not a valid %s; RFC 5280 4.1.2.5", which,
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
		return warn(m, "the serial number is an empty INTEGER; DER "
			       "(X.690 8.3.1) and RFC 5280 4.1.2.2 forbid it");
	m->serial_negative = (p[0] & 0x80) != 0;
	for (size_t i = 0; i < n; i++)
		zero = zero && p[i] == 0;
	/* RFC 5280 4.1.2.2: "a positive integer", at most 20 octets. */
	if (zero && warn(m, "the serial number is zero; RFC 5280 4.1.2.2 "
			    "requires a positive integer") < 0)
		return -1;
	if (m->serial_negative &&
	    warn(m, "the serial number is negative; RFC 5280 4.1.2.2 "
		    "requires a positive integer") < 0)
		return -1;
	if (n > CS_SERIAL_MAX_OCTETS &&
	    warn(m, "the serial number is %zu bytes long; RFC 5280 4.1.2.2 "
		    "allows at most %d", n, CS_SERIAL_MAX_OCTETS) < 0)
		return -1;
	/* X.690 8.3.2: the first nine bits must not be all 0 or all 1. */
	if (n >= 2 && ((p[0] == 0x00 && !(p[1] & 0x80)) ||
		       (p[0] == 0xff && (p[1] & 0x80))) &&
	    warn(m, "the serial number is not minimally encoded (leading "
		    "%02X byte); DER requires the minimal form", p[0]) < 0)
		return -1;
	return 0;
}

static int read_raw_fields(struct cs_cert_model *m, const struct raw_cert *r)
{
	int oom = 0;

	if (r->outer.nonminimal &&
	    warn(m, "the outer length is encoded in %u bytes; DER requires "
		    "the minimal form (X.690 10.1)", r->outer.len_octets) < 0)
		return -1;
	if (r->tbs.nonminimal &&
	    warn(m, "the tbsCertificate length is encoded in %u bytes; DER "
		    "requires the minimal form (X.690 10.1)",
		 r->tbs.len_octets) < 0)
		return -1;
	if (read_serial(m, &r->serial) < 0)
		return -1;
	if (!r->have_validity)
		return warn(m, "the Validity field could not be read");
	m->not_before = read_time(m, "notBefore", &r->not_before,
				  m->not_before_raw, &m->not_before_utc, &oom);
	m->not_after = read_time(m, "notAfter", &r->not_after,
				 m->not_after_raw, &m->not_after_utc, &oom);
	if (oom < 0)
		return -1;
	if (m->not_before != CS_TIME_NONE && m->not_after != CS_TIME_NONE &&
	    m->not_after < m->not_before &&
	    warn(m, "the validity period is inverted: notAfter is before "
		    "notBefore, so the certificate is never valid") < 0)
		return -1;
	return 0;
}

/* Owned copy of a GnuTLS DN string; "" when it cannot be read. */
static char *dn_string(gnutls_x509_crt_t crt, bool issuer)
{
	gnutls_datum_t d = {NULL, 0};
	char *s;
	int ret;

	ret = issuer ? gnutls_x509_crt_get_issuer_dn3(crt, &d, 0)
		     : gnutls_x509_crt_get_dn3(crt, &d, 0);
	if (ret < 0)
		return memdup_str("", 0);
	s = memdup_str(d.data, d.size);
	gnutls_free(d.data);
	return s;
}

/* Append code point cp as UTF-8 (RFC 3629) to out at *o. */
static void put_utf8(char *out, size_t *o, uint32_t cp)
{
	if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		cp = 0xfffd; /* not a scalar value: show U+FFFD */
	if (cp < 0x80) {
		out[(*o)++] = (char)cp;
	} else if (cp < 0x800) {
		out[(*o)++] = (char)(0xc0 | cp >> 6);
		out[(*o)++] = (char)(0x80 | (cp & 0x3f));
	} else if (cp < 0x10000) {
		out[(*o)++] = (char)(0xe0 | cp >> 12);
		out[(*o)++] = (char)(0x80 | (cp >> 6 & 0x3f));
		out[(*o)++] = (char)(0x80 | (cp & 0x3f));
	} else {
		out[(*o)++] = (char)(0xf0 | cp >> 18);
		out[(*o)++] = (char)(0x80 | (cp >> 12 & 0x3f));
		out[(*o)++] = (char)(0x80 | (cp >> 6 & 0x3f));
		out[(*o)++] = (char)(0x80 | (cp & 0x3f));
	}
}

/*
 * Decode a DirectoryString (RFC 5280 4.1.2.4) from its DER TLV into an
 * owned string.  The 8-bit types are kept byte for byte, NULs included
 * (GnuTLS would turn a CN with a NUL into "#0c18..." hex, hiding the
 * NUL-prefix attack it is); BMPString and UniversalString become UTF-8.
 * Returns 1 if decoded, 0 if the caller should use GnuTLS's text
 * instead, -1 on ENOMEM.
 */
static int decode_dirstring(const unsigned char *der, size_t der_len,
			    char **out, size_t *out_len)
{
	struct cs_tlv t;
	size_t o = 0;
	char *s;

	if (cs_der_read(der, der_len, &t) != CS_DER_OK ||
	    t.hdr + t.len != der_len)
		return 0;
	switch (t.tag) {
	case 0x0c: /* UTF8String */
	case 0x13: /* PrintableString */
	case 0x14: /* TeletexString */
	case 0x16: /* IA5String */
	case 0x1a: /* VisibleString */
	case 0x12: /* NumericString */
		*out = memdup_str(t.val, t.len);
		*out_len = t.len;
		return *out == NULL ? -1 : 1;
	case 0x1e: /* BMPString: UCS-2 big endian */
		if (t.len % 2 != 0)
			return 0;
		s = malloc(t.len / 2 * 3 + 1);
		if (s == NULL)
			return -1;
		for (size_t i = 0; i < t.len; i += 2)
			put_utf8(s, &o, (uint32_t)t.val[i] << 8 | t.val[i + 1]);
		break;
	case 0x1c: /* UniversalString: UCS-4 big endian */
		if (t.len % 4 != 0)
			return 0;
		s = malloc(t.len + 1);
		if (s == NULL)
			return -1;
		for (size_t i = 0; i < t.len; i += 4)
			put_utf8(s, &o,
				 (uint32_t)t.val[i] << 24 |
					 (uint32_t)t.val[i + 1] << 16 |
					 (uint32_t)t.val[i + 2] << 8 |
					 t.val[i + 3]);
		break;
	default:
		return 0;
	}
	s[o] = '\0';
	*out = s;
	*out_len = o;
	return 1;
}

/* Size-query one DN attribute value; raw selects the DER form. */
static unsigned char *dn_attr(gnutls_x509_crt_t crt, const char *oid,
			      unsigned raw, size_t *len)
{
	unsigned char *buf;
	size_t size = 0;

	if (gnutls_x509_crt_get_dn_by_oid(crt, oid, 0, raw, NULL, &size) !=
		    GNUTLS_E_SHORT_MEMORY_BUFFER ||
	    size == 0)
		return NULL;
	buf = calloc(1, size + 1);
	if (buf == NULL)
		return NULL;
	if (gnutls_x509_crt_get_dn_by_oid(crt, oid, 0, raw, buf, &size) < 0) {
		free(buf);
		return NULL;
	}
	buf[size] = '\0';
	*len = size;
	return buf;
}

/* First CN (RFC 5280 4.1.2.6); may hold a NUL, so keep its length. */
static int read_cn(struct cs_cert_model *m, gnutls_x509_crt_t crt)
{
	unsigned char *der, *txt;
	size_t len = 0;
	int rc = 0;

	der = dn_attr(crt, GNUTLS_OID_X520_COMMON_NAME, 1, &len);
	if (der != NULL) {
		rc = decode_dirstring(der, len, &m->subject_cn,
				      &m->subject_cn_len);
		free(der);
		if (rc != 0)
			return rc < 0 ? -1 : 0;
	}
	/* Not a string type we decode: take GnuTLS's rendering. */
	txt = dn_attr(crt, GNUTLS_OID_X520_COMMON_NAME, 0, &len);
	if (txt != NULL) {
		m->subject_cn = (char *)txt;
		m->subject_cn_len = len;
	}
	return 0;
}

static int read_names(struct cs_cert_model *m, gnutls_x509_crt_t crt)
{
	gnutls_datum_t a = {NULL, 0}, b = {NULL, 0};

	m->subject = dn_string(crt, false);
	m->issuer = dn_string(crt, true);
	if (m->subject == NULL || m->issuer == NULL)
		return -1;

	if (read_cn(m, crt) < 0)
		return -1;

	/* Self-issued compares the encoded names (RFC 5280 6.1: "the same
	 * name"; byte equality is what GnuTLS itself uses). */
	if (gnutls_x509_crt_get_raw_dn(crt, &a) >= 0 &&
	    gnutls_x509_crt_get_raw_issuer_dn(crt, &b) >= 0)
		m->self_issued = a.size == b.size &&
				 memcmp(a.data, b.data, a.size) == 0;
	gnutls_free(a.data);
	gnutls_free(b.data);
	return 0;
}

/* Text for an IP address or an address/mask pair (name constraints). */
static void ip_text(char *out, size_t outsz, const unsigned char *p,
		    size_t len)
{
	size_t alen = len == 8 || len == 32 ? len / 2 : len;
	int af = alen == 4 ? AF_INET : AF_INET6;
	unsigned prefix = 0;
	bool contiguous = true;

	if ((alen != 4 && alen != 16) ||
	    inet_ntop(af, p, out, (socklen_t)outsz) == NULL) {
		cs_hex_colon(out, outsz, p, len);
		return;
	}
	if (alen == len)
		return;
	/* RFC 5280 4.2.1.10: address then mask; show the prefix length. */
	for (size_t i = alen; i < len; i++) {
		for (int bit = 7; bit >= 0; bit--) {
			if (p[i] >> bit & 1) {
				if (!contiguous)
					goto noncontig;
				prefix++;
			} else {
				contiguous = false;
			}
		}
	}
	snprintf(out + strlen(out), outsz - strlen(out), "/%u", prefix);
	return;
noncontig: {
	char mask[64];

	if (inet_ntop(af, p + alen, mask, sizeof(mask)) != NULL)
		snprintf(out + strlen(out), outsz - strlen(out), "/%s",
			 mask);
}
}

/* Build a cs_name from a GnuTLS general name of type gtype.  An IP in a
 * name constraint is address plus mask (RFC 5280 4.2.1.10); in a SAN it
 * is the address alone (4.2.1.6), so other lengths there are shown as
 * hex rather than guessed at. */
static int make_name(struct cs_name *nm, unsigned gtype,
		     const unsigned char *p, size_t len, bool constraint)
{
	char buf[128];

	memset(nm, 0, sizeof(*nm));
	switch (gtype) {
	case GNUTLS_SAN_DNSNAME: nm->type = CS_SAN_DNS; break;
	case GNUTLS_SAN_RFC822NAME: nm->type = CS_SAN_EMAIL; break;
	case GNUTLS_SAN_URI: nm->type = CS_SAN_URI; break;
	case GNUTLS_SAN_DN: nm->type = CS_SAN_DN; break;
	case GNUTLS_SAN_IPADDRESS:
		nm->type = CS_SAN_IP;
		nm->raw_len = len < sizeof(nm->raw) ? len : sizeof(nm->raw);
		memcpy(nm->raw, p, nm->raw_len);
		if (constraint ? len == 8 || len == 32 : len == 4 || len == 16)
			ip_text(buf, sizeof(buf), p, len);
		else
			cs_hex_colon(buf, sizeof(buf), p, len);
		nm->value = memdup_str(buf, strlen(buf));
		nm->len = strlen(buf);
		return nm->value == NULL ? -1 : 0;
	default: nm->type = CS_SAN_OTHER; break;
	}
	nm->value = memdup_str(p, len);
	nm->len = len;
	return nm->value == NULL ? -1 : 0;
}

static int read_sans(struct cs_cert_model *m, gnutls_x509_crt_t crt)
{
	for (unsigned i = 0; i < CS_MODEL_MAX_LIST; i++) {
		unsigned char *buf = NULL;
		struct cs_name nm;
		unsigned type = 0;
		size_t size = 0;
		int ret;

		ret = gnutls_x509_crt_get_subject_alt_name2(crt, i, NULL,
							    &size, &type,
							    NULL);
		if (ret == GNUTLS_E_REQUESTED_DATA_NOT_AVAILABLE)
			break;
		if (ret != GNUTLS_E_SHORT_MEMORY_BUFFER)
			continue; /* this entry is unreadable; try the next */
		buf = malloc(size + 1);
		if (buf == NULL)
			return -1;
		ret = gnutls_x509_crt_get_subject_alt_name2(crt, i, buf,
							    &size, &type,
							    NULL);
		if (ret >= 0 && type == GNUTLS_SAN_OTHERNAME) {
			/* otherName (RFC 5280 4.2.1.6): "OID:hex" */
			char oid[128], *txt;
			size_t osz = sizeof(oid);

			if (gnutls_x509_crt_get_subject_alt_othername_oid(
				    crt, i, oid, &osz) < 0)
				snprintf(oid, sizeof(oid), "?");
			txt = malloc(strlen(oid) + 2 + size * 3 + 1);
			if (txt == NULL) {
				free(buf);
				return -1;
			}
			snprintf(txt, strlen(oid) + 2, "%s:", oid);
			cs_hex_colon(txt + strlen(txt), size * 3 + 1, buf,
				     size);
			memset(&nm, 0, sizeof(nm));
			nm.type = CS_SAN_OTHER;
			nm.value = txt;
			nm.len = strlen(txt);
			free(buf);
			if (namelist_take(&m->sans, &nm) < 0)
				return -1;
			continue;
		}
		if (ret >= 0) {
			ret = make_name(&nm, type, buf, size, false);
			if (ret == 0)
				ret = namelist_take(&m->sans, &nm);
			free(buf);
			if (ret < 0)
				return -1;
			continue;
		}
		free(buf);
	}
	return 0;
}

static const char *curve_name(gnutls_ecc_curve_t c)
{
	switch (c) {
	case GNUTLS_ECC_CURVE_SECP256R1: return "P-256";
	case GNUTLS_ECC_CURVE_SECP384R1: return "P-384";
	case GNUTLS_ECC_CURVE_SECP521R1: return "P-521";
	case GNUTLS_ECC_CURVE_SECP224R1: return "P-224";
	case GNUTLS_ECC_CURVE_SECP192R1: return "P-192";
	case GNUTLS_ECC_CURVE_ED25519: return "Ed25519";
	case GNUTLS_ECC_CURVE_ED448: return "Ed448";
	default: break;
	}
	return gnutls_ecc_curve_get_name(c);
}

static const char *pk_name(int pk)
{
	switch (pk) {
	case GNUTLS_PK_RSA: return "RSA";
	case GNUTLS_PK_RSA_PSS: return "RSA-PSS";
	case GNUTLS_PK_ECDSA: return "ECDSA";
	case GNUTLS_PK_EDDSA_ED25519: return "Ed25519";
	case GNUTLS_PK_EDDSA_ED448: return "Ed448";
	case GNUTLS_PK_DSA: return "DSA";
	default: break;
	}
	return pk > 0 ? gnutls_pk_get_name((gnutls_pk_algorithm_t)pk) : NULL;
}

static void read_key(struct cs_cert_model *m, gnutls_x509_crt_t crt)
{
	unsigned bits = 0;
	const char *name;
	int pk;

	pk = gnutls_x509_crt_get_pk_algorithm(crt, &bits);
	m->gnutls_pk = pk > 0 ? pk : 0;
	name = pk_name(pk);
	snprintf(m->key_alg, sizeof(m->key_alg), "%s",
		 name != NULL ? name : "unknown");
	m->key_bits = pk > 0 ? bits : 0;
	if (pk == GNUTLS_PK_ECDSA) {
		gnutls_ecc_curve_t curve = GNUTLS_ECC_CURVE_INVALID;
		gnutls_datum_t x = {NULL, 0}, y = {NULL, 0};

		if (gnutls_x509_crt_get_pk_ecc_raw(crt, &curve, &x, &y) >= 0) {
			const char *cn = curve_name(curve);

			snprintf(m->key_curve, sizeof(m->key_curve), "%s",
				 cn != NULL ? cn : "");
		}
		gnutls_free(x.data);
		gnutls_free(y.data);
	}
}

static void read_sig(struct cs_cert_model *m, gnutls_x509_crt_t crt)
{
	size_t size = sizeof(m->sig_oid);
	const char *name = NULL;
	int sign;

	if (gnutls_x509_crt_get_signature_oid(crt, m->sig_oid, &size) < 0)
		m->sig_oid[0] = '\0';
	sign = gnutls_x509_crt_get_signature_algorithm(crt);
	m->gnutls_sign = sign > 0 ? sign : 0;
	switch (sign) {
	case GNUTLS_SIGN_EDDSA_ED25519: name = "Ed25519"; break;
	case GNUTLS_SIGN_EDDSA_ED448: name = "Ed448"; break;
	default:
		/* "RSA-SHA256", "ECDSA-SHA384", "RSA-PSS-SHA256", ... */
		if (sign > 0)
			name = gnutls_sign_get_name(
				(gnutls_sign_algorithm_t)sign);
		break;
	}
	snprintf(m->sig_alg, sizeof(m->sig_alg), "%s",
		 name != NULL ? name : "unknown");
}

static void read_digests(struct cs_cert_model *m, gnutls_x509_crt_t crt,
			 const unsigned char *der, size_t der_len)
{
	/* Hashes of the bytes as encoded, what `sha256sum cert.der` gives;
	 * gnutls_x509_crt_get_fingerprint re-encodes the certificate from
	 * its libtasn1 tree for every call (a quarter of `show`'s time on a
	 * bundle), and a re-encoding of a non-DER input is not its bytes. */
	gnutls_datum_t d = {(unsigned char *)der, (unsigned)der_len};
	unsigned char id[64];
	size_t size;

	size = sizeof(m->sha256);
	if (gnutls_fingerprint(GNUTLS_DIG_SHA256, &d, m->sha256, &size) < 0)
		memset(m->sha256, 0, sizeof(m->sha256));
	size = sizeof(m->sha1);
	if (gnutls_fingerprint(GNUTLS_DIG_SHA1, &d, m->sha1, &size) < 0)
		memset(m->sha1, 0, sizeof(m->sha1));
	/* RFC 7469 2.4: pin-sha256 is SHA-256 of the SPKI DER, which is
	 * what GnuTLS's key id is with USE_SHA256. */
	size = sizeof(id);
	if (gnutls_x509_crt_get_key_id(crt, GNUTLS_KEYID_USE_SHA256, id,
				       &size) >= 0 && size == 32)
		base64(m->spki_sha256_b64, sizeof(m->spki_sha256_b64), id,
		       size);
}

/* Self-signed: the certificate's own key verifies its signature over
 * the tbsCertificate bytes exactly as encoded. */
static void read_self_signed(struct cs_cert_model *m, gnutls_x509_crt_t crt,
			     const struct raw_cert *r)
{
	gnutls_pubkey_t pub = NULL;
	gnutls_datum_t tbs, sig;

	if (!m->self_issued || !r->have_sig || m->gnutls_sign == 0)
		return;
	if (gnutls_pubkey_init(&pub) < 0)
		return;
	if (gnutls_pubkey_import_x509(pub, crt, 0) < 0)
		goto out;
	tbs.data = (unsigned char *)r->tbs_der;
	tbs.size = (unsigned)r->tbs_der_len;
	sig.data = (unsigned char *)r->sig;
	sig.size = (unsigned)r->sig_len;
	/* Whether the signature is *strong* is verify's question, not
	 * ours: allow SHA-1 and MD5 here. */
	if (gnutls_pubkey_verify_data2(
		    pub, (gnutls_sign_algorithm_t)m->gnutls_sign,
		    GNUTLS_VERIFY_ALLOW_BROKEN |
			    GNUTLS_VERIFY_ALLOW_SIGN_WITH_SHA1,
		    &tbs, &sig) >= 0)
		m->self_signed = true;
out:
	gnutls_pubkey_deinit(pub);
}

static void read_constraints(struct cs_cert_model *m, gnutls_x509_crt_t crt)
{
	unsigned crit = 0, ca = 0, ku = 0;
	int pathlen = -1, ret;

	ret = gnutls_x509_crt_get_basic_constraints(crt, &crit, &ca,
						    &pathlen);
	m->path_len = -1;
	if (ret >= 0) {
		m->has_basic_constraints = true;
		m->bc_critical = crit != 0;
		m->is_ca = ca != 0;
		m->path_len = pathlen >= 0 ? pathlen : -1;
	}
	crit = 0;
	if (gnutls_x509_crt_get_key_usage(crt, &ku, &crit) >= 0) {
		m->has_key_usage = true;
		m->ku_critical = crit != 0;
		m->key_usage = ku;
	}
}

/* Colon hex of a key identifier into a fixed field. */
static void read_key_ids(struct cs_cert_model *m, gnutls_x509_crt_t crt)
{
	unsigned char *buf;
	size_t size = 0;

	if (gnutls_x509_crt_get_subject_key_id(crt, NULL, &size, NULL) ==
		    GNUTLS_E_SHORT_MEMORY_BUFFER &&
	    (buf = malloc(size + 1)) != NULL) {
		if (gnutls_x509_crt_get_subject_key_id(crt, buf, &size,
						       NULL) >= 0)
			cs_hex_colon(m->ski_hex, sizeof(m->ski_hex), buf,
				     size);
		free(buf);
	}
	size = 0;
	if (gnutls_x509_crt_get_authority_key_id(crt, NULL, &size, NULL) ==
		    GNUTLS_E_SHORT_MEMORY_BUFFER &&
	    (buf = malloc(size + 1)) != NULL) {
		if (gnutls_x509_crt_get_authority_key_id(crt, buf, &size,
							 NULL) >= 0)
			cs_hex_colon(m->aki_hex, sizeof(m->aki_hex), buf,
				     size);
		free(buf);
	}
}

/* The value of the first extension with this OID (gnutls_free it):
 * true when present and readable.  Each list extension is imported once
 * (gnutls_x509_ext_import_*) and then indexed: the per-index getters of
 * gnutls_x509_crt_t decode the whole extension again for every index,
 * which made 4,000 CRL distribution points take minutes. */
static bool ext_get(gnutls_x509_crt_t crt, const char *oid,
		    gnutls_datum_t *ext)
{
	unsigned crit = 0;

	ext->data = NULL;
	ext->size = 0;
	return gnutls_x509_crt_get_extension_by_oid2(crt, oid, 0, ext,
						     &crit) >= 0;
}

/* Entries of the SEQUENCE OF an extension value holds. */
static size_t seq_count(const gnutls_datum_t *ext)
{
	struct cs_tlv outer, t;
	size_t n = 0, pos = 0;

	if (cs_der_read(ext->data, ext->size, &outer) != CS_DER_OK)
		return 0;
	while (cs_der_child(outer.val, outer.len, &pos, &t))
		n++;
	return n;
}

/* GnuTLS 3.7 keeps at most 64 key purposes and 64 policies (its
 * MAX_ENTRIES) and drops the rest without a word; say so. */
static int warn_cut(struct cs_cert_model *m, const gnutls_datum_t *ext,
		    size_t got, const char *ext_name, const char *what)
{
	size_t total = seq_count(ext);

	if (total <= got)
		return 0;
	return warn(m, "the %s extension lists %zu %s; GnuTLS reads only "
		       "the first %zu, so only those are shown and checked",
		    ext_name, total, what, got);
}

static int read_eku(struct cs_cert_model *m, gnutls_x509_crt_t crt)
{
	gnutls_x509_key_purposes_t kp = NULL;
	gnutls_datum_t ext, oid;
	size_t got = 0;
	int rc = 0;

	if (!ext_get(crt, OID_EKU, &ext))
		return 0;
	if (gnutls_x509_key_purpose_init(&kp) < 0) {
		gnutls_free(ext.data);
		return -1;
	}
	if (gnutls_x509_ext_import_key_purposes(&ext, kp, 0) >= 0) {
		for (unsigned i = 0;
		     gnutls_x509_key_purpose_get(kp, i, &oid) >= 0; i++) {
			m->has_eku = true;
			got++;
			if (strlist_add(&m->eku, oid.data,
					strnlen((const char *)oid.data,
						oid.size)) < 0) {
				rc = -1;
				break;
			}
		}
		if (rc == 0)
			rc = warn_cut(m, &ext, got, "extKeyUsage",
				      "key purposes");
	}
	gnutls_x509_key_purpose_deinit(kp);
	gnutls_free(ext.data);
	return rc;
}

static int read_aia(struct cs_cert_model *m, gnutls_x509_crt_t crt)
{
	gnutls_x509_aia_t aia = NULL;
	gnutls_datum_t ext;
	int rc = 0;

	if (!ext_get(crt, OID_AIA, &ext))
		return 0;
	if (gnutls_x509_aia_init(&aia) < 0) {
		gnutls_free(ext.data);
		return -1;
	}
	if (gnutls_x509_ext_import_aia(&ext, aia, 0) < 0)
		goto out;
	for (unsigned i = 0; rc == 0; i++) {
		gnutls_datum_t oid = {NULL, 0}, uri = {NULL, 0}; /* borrowed */
		struct cs_strlist *dst = NULL;
		unsigned type = 0;
		size_t olen;

		if (gnutls_x509_aia_get(aia, i, &oid, &type, &uri) < 0)
			break;
		if (type != GNUTLS_SAN_URI || oid.data == NULL)
			continue; /* location is not a URI */
		/* RFC 5280 4.2.2.1: id-ad-ocsp and id-ad-caIssuers.  The
		 * datum's size may count a terminating NUL, so compare as
		 * bounded strings. */
		olen = strnlen((const char *)oid.data, oid.size);
		if (olen == strlen(OID_AD_OCSP) &&
		    memcmp(oid.data, OID_AD_OCSP, olen) == 0)
			dst = &m->ocsp_urls;
		else if (olen == strlen(OID_AD_CAISSUERS) &&
			 memcmp(oid.data, OID_AD_CAISSUERS, olen) == 0)
			dst = &m->ca_issuer_urls;
		if (dst != NULL)
			rc = strlist_add(dst, uri.data, uri.size);
	}
out:
	gnutls_x509_aia_deinit(aia);
	gnutls_free(ext.data);
	return rc;
}

static int read_crldp(struct cs_cert_model *m, gnutls_x509_crt_t crt)
{
	gnutls_x509_crl_dist_points_t cdp = NULL;
	gnutls_datum_t ext;
	int rc = 0;

	if (!ext_get(crt, OID_CRLDP, &ext))
		return 0;
	if (gnutls_x509_crl_dist_points_init(&cdp) < 0) {
		gnutls_free(ext.data);
		return -1;
	}
	if (gnutls_x509_ext_import_crl_dist_points(&ext, cdp, 0) >= 0) {
		for (unsigned i = 0; rc == 0; i++) {
			gnutls_datum_t uri = {NULL, 0}; /* borrowed */
			unsigned type = 0, reasons = 0;

			if (gnutls_x509_crl_dist_points_get(cdp, i, &type,
							    &uri,
							    &reasons) < 0)
				break;
			/* Only URIs can be fetched (RFC 5280 4.2.1.13). */
			if (type == GNUTLS_SAN_URI)
				rc = strlist_add(&m->crl_urls, uri.data,
						 uri.size);
		}
	}
	gnutls_x509_crl_dist_points_deinit(cdp);
	gnutls_free(ext.data);
	return rc;
}

static int read_policies(struct cs_cert_model *m, gnutls_x509_crt_t crt)
{
	gnutls_x509_policies_t pols = NULL;
	gnutls_datum_t ext;
	size_t got = 0;
	int rc = 0;

	if (!ext_get(crt, OID_POLICIES, &ext))
		return 0;
	if (gnutls_x509_policies_init(&pols) < 0) {
		gnutls_free(ext.data);
		return -1;
	}
	if (gnutls_x509_ext_import_policies(&ext, pols, 0) >= 0) {
		for (unsigned i = 0; rc == 0; i++) {
			struct gnutls_x509_policy_st pol; /* borrowed */

			memset(&pol, 0, sizeof(pol));
			if (gnutls_x509_policies_get(pols, i, &pol) < 0)
				break;
			got++;
			if (pol.oid != NULL)
				rc = strlist_add(&m->policies, pol.oid,
						 strlen(pol.oid));
		}
		if (rc == 0)
			rc = warn_cut(m, &ext, got, "certificatePolicies",
				      "policies");
	}
	gnutls_x509_policies_deinit(pols);
	gnutls_free(ext.data);
	return rc;
}

static int nc_list(struct cs_namelist *dst, gnutls_x509_name_constraints_t nc,
		   bool permitted)
{
	for (unsigned i = 0; i < CS_MODEL_MAX_LIST; i++) {
		gnutls_datum_t name = {NULL, 0}; /* borrowed from nc */
		struct cs_name nm;
		unsigned type = 0;
		int ret;

		ret = permitted ? gnutls_x509_name_constraints_get_permitted(
					  nc, i, &type, &name)
				: gnutls_x509_name_constraints_get_excluded(
					  nc, i, &type, &name);
		if (ret < 0)
			break;
		if (type == GNUTLS_SAN_DN && name.size > 0 &&
		    name.data[0] == 0x30) {
			/* GnuTLS 3.7 hands directoryName subtrees over as
			 * RFC 4514 text; should one come as DER, convert. */
			gnutls_datum_t str = {NULL, 0};

			memset(&nm, 0, sizeof(nm));
			nm.type = CS_SAN_DN;
			if (gnutls_x509_rdn_get2(&name, &str, 0) < 0) {
				nm.value = memdup_str("(undecodable name)", 18);
				nm.len = 18;
			} else {
				nm.value = memdup_str(str.data, str.size);
				nm.len = str.size;
				gnutls_free(str.data);
			}
			if (nm.value == NULL)
				return -1;
		} else if (make_name(&nm, type, name.data, name.size,
				     true) < 0) {
			return -1;
		}
		if (namelist_take(dst, &nm) < 0)
			return -1;
	}
	return 0;
}

/*
 * Find an iPAddress constraint whose length is not 8 or 32 bytes (RFC
 * 5280 4.2.1.10: address and mask).  GnuTLS 3.7.9 leaks memory inside
 * gnutls_x509_ext_import_name_constraints on such input, so we look
 * first and do not hand it over.  Returns true and the length if found;
 * anything we cannot walk is left to GnuTLS to judge.
 */
static bool nc_bad_ip(const unsigned char *p, size_t n, size_t *bad_len)
{
	struct cs_tlv seq, trees, sub, base;
	size_t pos = 0, tpos, bpos;

	if (cs_der_read(p, n, &seq) != CS_DER_OK || seq.tag != 0x30)
		return false;
	/* NameConstraints ::= SEQUENCE { [0] permitted, [1] excluded },
	 * each a SEQUENCE OF GeneralSubtree { base GeneralName, ... } */
	while (cs_der_child(seq.val, seq.len, &pos, &trees)) {
		if (trees.tag != 0xa0 && trees.tag != 0xa1)
			continue;
		tpos = 0;
		while (cs_der_child(trees.val, trees.len, &tpos, &sub)) {
			/* [7] IMPLICIT OCTET STRING iPAddress */
			bpos = 0;
			if (sub.tag == 0x30 &&
			    cs_der_child(sub.val, sub.len, &bpos, &base) &&
			    base.tag == 0x87 && base.len != 8 &&
			    base.len != 32) {
				*bad_len = base.len;
				return true;
			}
		}
		if (tpos < trees.len)
			return false; /* a subtree that cannot be read */
	}
	return false;
}

static int read_name_constraints(struct cs_cert_model *m,
				 gnutls_x509_crt_t crt)
{
	gnutls_x509_name_constraints_t nc = NULL;
	gnutls_datum_t ext = {NULL, 0};
	unsigned crit = 0;
	size_t bad_len = 0;
	int rc = 0;

	if (gnutls_x509_crt_get_extension_by_oid2(crt, OID_NC, 0, &ext,
						  &crit) < 0)
		return 0;
	if (nc_bad_ip(ext.data, ext.size, &bad_len)) {
		gnutls_free(ext.data);
		m->has_name_constraints = true;
		m->nc_critical = crit != 0;
		return warn(m, "the name constraints hold an IP address of "
			       "%zu bytes; RFC 5280 4.2.1.10 requires address "
			       "and mask (8 or 32 bytes), so they were not "
			       "read", bad_len);
	}
	gnutls_free(ext.data);
	if (gnutls_x509_name_constraints_init(&nc) < 0)
		return 0;
	if (gnutls_x509_crt_get_name_constraints(crt, nc, 0, &crit) < 0)
		goto out;
	m->has_name_constraints = true;
	m->nc_critical = crit != 0;
	if (nc_list(&m->nc_permitted, nc, true) < 0 ||
	    nc_list(&m->nc_excluded, nc, false) < 0)
		rc = -1;
out:
	gnutls_x509_name_constraints_deinit(nc);
	return rc;
}

static int read_scts(struct cs_cert_model *m, gnutls_x509_crt_t crt)
{
	gnutls_x509_ct_scts_t scts = NULL;
	gnutls_datum_t ext = {NULL, 0};
	int rc = 0;

	if (gnutls_x509_crt_get_extension_by_oid2(crt, OID_SCT, 0, &ext,
						  NULL) < 0)
		return 0;
	if (gnutls_x509_ext_ct_scts_init(&scts) < 0)
		goto out;
	/* RFC 6962 3.3: an OCTET STRING holding a TLS SignedCertificate-
	 * TimestampList; a malformed list just leaves n_scts at 0. */
	if (gnutls_x509_ext_ct_import_scts(&ext, scts, 0) < 0)
		goto out;
	for (unsigned i = 0; i < CS_MODEL_MAX_LIST; i++) {
		gnutls_datum_t logid = {NULL, 0}, sig = {NULL, 0};
		gnutls_sign_algorithm_t alg;
		unsigned version = 0;
		struct cs_sct *v;
		time_t ts = 0;
		int ret;

		if (gnutls_x509_ct_sct_get_version(scts, i, &version) < 0)
			break;
		ret = gnutls_x509_ct_sct_get(scts, i, &ts, &logid, &alg, &sig);
		if (ret < 0)
			continue;
		v = realloc(m->scts, (m->n_scts + 1) * sizeof(*v));
		if (v == NULL) {
			gnutls_free(logid.data);
			gnutls_free(sig.data);
			rc = -1;
			goto out;
		}
		m->scts = v;
		memset(&v[m->n_scts], 0, sizeof(*v));
		base64(v[m->n_scts].log_id_b64, sizeof(v->log_id_b64),
		       logid.data,
		       logid.size < CS_SCT_LOGID_LEN ? logid.size
						     : CS_SCT_LOGID_LEN);
		/* GnuTLS already divides the millisecond timestamp. */
		v[m->n_scts].timestamp = (cs_time_t)ts;
		v[m->n_scts].version = version;
		m->n_scts++;
		gnutls_free(logid.data);
		gnutls_free(sig.data);
	}
out:
	if (scts != NULL)
		gnutls_x509_ext_ct_scts_deinit(scts);
	gnutls_free(ext.data);
	return rc;
}

static bool oid_known(const char *oid)
{
	for (size_t i = 0;
	     i < sizeof(known_ext_oids) / sizeof(known_ext_oids[0]); i++)
		if (strcmp(oid, known_ext_oids[i]) == 0)
			return true;
	return false;
}

static int read_exts(struct cs_cert_model *m, gnutls_x509_crt_t crt)
{
	for (unsigned i = 0; i < CS_MODEL_MAX_LIST; i++) {
		struct cs_ext e, *v;
		unsigned crit = 0;
		size_t size = 0;
		char *oid;
		int ret;

		ret = gnutls_x509_crt_get_extension_info(crt, i, NULL, &size,
							 &crit);
		if (ret == GNUTLS_E_REQUESTED_DATA_NOT_AVAILABLE)
			break;
		if (ret != GNUTLS_E_SHORT_MEMORY_BUFFER)
			continue;
		oid = calloc(1, size + 1);
		if (oid == NULL)
			return -1;
		ret = gnutls_x509_crt_get_extension_info(crt, i, oid, &size,
							 &crit);
		if (ret < 0) {
			free(oid);
			continue;
		}
		memset(&e, 0, sizeof(e));
		snprintf(e.oid, sizeof(e.oid), "%s", oid);
		free(oid);
		e.critical = crit != 0;
		e.known = oid_known(e.oid);
		v = realloc(m->exts, (m->n_exts + 1) * sizeof(*v));
		if (v == NULL)
			return -1;
		m->exts = v;
		m->exts[m->n_exts++] = e;
	}
	return 0;
}

/* see model.h */
int cs_model_from_crt(struct cs_cert_model *m, gnutls_x509_crt_t crt,
		      const unsigned char *der, size_t der_len,
		      struct cs_error *err)
{
	gnutls_datum_t exported = {NULL, 0};
	struct raw_cert raw;
	int ver;

	if (m == NULL)
		return cs_error_setx(err, CS_E_USAGE,
				     "no model to fill (internal error)");
	memset(m, 0, sizeof(*m));
	if (crt == NULL)
		return cs_error_setx(err, CS_E_USAGE,
				     "no certificate to describe");
	m->not_before = m->not_after = CS_TIME_NONE;
	m->path_len = -1;
	if (der == NULL) {
		int ret = gnutls_x509_crt_export2(crt, GNUTLS_X509_FMT_DER,
						  &exported);

		if (ret < 0)
			return cs_error_setlib(err, CS_E_INTERNAL, ret,
					       "cannot re-encode the "
					       "certificate: %s",
					       gnutls_strerror(ret));
		der = exported.data;
		der_len = exported.size;
	}
	/* GnuTLS parsed these bytes, so the walk failing means they are
	 * not the bytes of this certificate. */
	if (raw_walk(der, der_len, &raw) < 0) {
		cs_error_setx(err, CS_E_PARSE,
			      "cannot find the serial number in the "
			      "certificate's %zu DER bytes", der_len);
		goto fail;
	}

	ver = gnutls_x509_crt_get_version(crt);
	m->version = ver > 0 ? (unsigned)ver : 0;
	if (read_raw_fields(m, &raw) < 0 || read_names(m, crt) < 0 ||
	    read_sans(m, crt) < 0)
		goto nomem;
	read_key(m, crt);
	read_sig(m, crt);
	read_digests(m, crt, der, raw.outer.hdr + raw.outer.len);
	read_self_signed(m, crt, &raw);
	read_constraints(m, crt);
	read_key_ids(m, crt);
	if (read_eku(m, crt) < 0 || read_aia(m, crt) < 0 ||
	    read_crldp(m, crt) < 0 || read_policies(m, crt) < 0 ||
	    read_name_constraints(m, crt) < 0 || read_scts(m, crt) < 0 ||
	    read_exts(m, crt) < 0)
		goto nomem;
	for (size_t i = 0; i < m->n_exts; i++)
		if (strcmp(m->exts[i].oid, OID_EKU) == 0)
			m->has_eku = true;
	/* RFC 5280 4.1.2.9: extensions only in version 3. */
	if (m->version < 3 && m->n_exts > 0 &&
	    warn(m, "a version %u certificate carries %zu extension%s; RFC "
		    "5280 4.1.2.9 allows extensions only in version 3",
		 m->version, m->n_exts, m->n_exts == 1 ? "" : "s") < 0)
		goto nomem;
	gnutls_free(exported.data);
	return 0;
nomem:
	cs_error_setx(err, CS_E_NOMEM,
		      "out of memory while reading the certificate");
fail:
	gnutls_free(exported.data);
	cs_model_free(m);
	return -1;
}

/* see model.h */
void cs_model_free(struct cs_cert_model *m)
{
	if (m == NULL)
		return;
	free(m->subject);
	free(m->issuer);
	free(m->subject_cn);
	free(m->serial_hex);
	namelist_free(&m->sans);
	strlist_free(&m->eku);
	strlist_free(&m->ocsp_urls);
	strlist_free(&m->ca_issuer_urls);
	strlist_free(&m->crl_urls);
	strlist_free(&m->policies);
	namelist_free(&m->nc_permitted);
	namelist_free(&m->nc_excluded);
	free(m->scts);
	free(m->exts);
	strlist_free(&m->warnings);
	memset(m, 0, sizeof(*m));
}
