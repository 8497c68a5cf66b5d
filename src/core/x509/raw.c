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
