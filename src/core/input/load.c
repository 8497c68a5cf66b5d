/* see load.h */
#include "input/load.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gnutls/gnutls.h>
#include <gnutls/pkcs12.h>
#include <gnutls/pkcs7.h>

#include "oid.h"
#include "input/der.h"
#include "input/pem.h"

/* GnuTLS itself stops at 32 elements per bag; bags per PFX are ours. */
#define CS_MAX_P12_BAGS     64
#define CS_MAX_P12_ELEMENTS 64
/* First read chunk for streams (stdin, pipes); doubles up to the limit. */
#define CS_READ_CHUNK       ((size_t)64 * 1024)

/* DER identifier octets (X.690 section 8.1.2). */
#define TAG_INTEGER  0x02
#define TAG_OCTETS   0x04
#define TAG_BITSTR   0x03
#define TAG_OID      0x06
#define TAG_UTCTIME  0x17
#define TAG_GENTIME  0x18
#define TAG_SEQUENCE 0x30
#define TAG_CTX0     0xa0

/* 1.2.840.113549.1.7.2, id-signedData (RFC 2315 section 14). */
static const unsigned char oid_signed_data[] = {
	0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x02,
};
static const unsigned char utf8_bom[] = { 0xef, 0xbb, 0xbf };

const char *cs_format_name(enum cs_format fmt)
{
	switch (fmt) {
	case CS_FMT_PEM:
		return "PEM";
	case CS_FMT_DER:
		return "DER";
	case CS_FMT_PKCS7:
		return "PKCS#7";
	case CS_FMT_PKCS7_PEM:
		return "PKCS#7 (PEM)";
	case CS_FMT_PKCS12:
		return "PKCS#12";
	case CS_FMT_NET:
		return "TLS";
	case CS_FMT_UNKNOWN:
		break;
	}
	return "unknown";
}

void cs_itemlist_init(struct cs_itemlist *list)
{
	memset(list, 0, sizeof(*list));
}

static void item_clear(struct cs_item *it)
{
	if (it->crt)
		gnutls_x509_crt_deinit(it->crt);
	if (it->crl)
		gnutls_x509_crl_deinit(it->crl);
	free(it->der);
	free(it->origin.path);
	memset(it, 0, sizeof(*it));
}

void cs_itemlist_free(struct cs_itemlist *list)
{
	size_t i;

	if (!list)
		return;
	for (i = 0; i < list->n; i++)
		item_clear(&list->items[i]);
	free(list->items);
	cs_itemlist_init(list);
}

size_t cs_itemlist_count(const struct cs_itemlist *list,
			 enum cs_item_kind kind)
{
	size_t i, n = 0;

	if (!list)
		return 0;
	for (i = 0; i < list->n; i++)
		if (list->items[i].kind == kind)
			n++;
	return n;
}

/* ------------------------------------------------------------------ */
/* DER element counting.  cs_der_read() never recurses: the classifier
 * looks at a fixed number of levels, so 50,000 nested SEQUENCEs cost
 * nothing. */

/* Elements (TLVs) in CONTENT[0..clen), constructed ones counted with
 * their contents to a nesting of 32 (libtasn1 stops far earlier; a count
 * is all that is wanted, and the stack stays small).  Bytes that do not
 * parse count as one element: the import will refuse them. */
static uint64_t der_count(const unsigned char *content, size_t clen,
			  unsigned depth)
{
	uint64_t k = 0;
	size_t pos = 0;
	struct cs_tlv t;

	while (pos < clen) {
		if (!cs_der_child(content, clen, &pos, &t))
			return k + 1;
		k++;
		if ((t.tag & 0x20) != 0 && depth < 32)
			k += der_count(t.val, t.len, depth + 1);
	}
	return k;
}

/* Is this an extension GnuTLS decodes (id-ce 2.5.29, id-pe
 * 1.3.6.1.5.5.7.1)?  The value of any other is opaque bytes to it, and
 * counting "elements" in, say, 10 MB of text would be counting noise. */
static bool ext_decoded(const unsigned char *oid, size_t n)
{
	static const unsigned char pe[] = {0x2b, 0x06, 0x01, 0x05, 0x05,
					   0x07, 0x01};

	if (oid == NULL)
		return false;
	return (n >= 3 && oid[0] == 0x55 && oid[1] == 0x1d) ||
	       (n > sizeof(pe) && memcmp(oid, pe, sizeof(pe)) == 0);
}

/* see load.h */
int cs_cert_check_elements(const unsigned char *der, size_t len, char *why,
			   size_t whysz)
{
	static const char *const field[] = {"serial number", "signature "
		"algorithm", "issuer name", "validity", "subject name",
		"public key"};
	struct cs_tlv cert, tbs, f, x, e;
	size_t pos = 0, tpos = 0, xpos, epos, i = 0;
	uint64_t total = 1, part, top = 0;
	char top_what[96] = "the certificate";

	if (cs_der_read(der, len, &cert) != CS_DER_OK ||
	    cert.tag != TAG_SEQUENCE)
		return 0;
	if (!cs_der_child(cert.val, cert.len, &pos, &tbs) ||
	    tbs.tag != TAG_SEQUENCE)
		return 0;
	total++;
	/* tbsCertificate's fields, each counted; extensions one by one */
	while (cs_der_child(tbs.val, tbs.len, &tpos, &f)) {
		if (f.tag == 0xa3) { /* [3] Extensions */
			xpos = 0;
			total++;
			if (!cs_der_child(f.val, f.len, &xpos, &x) ||
			    x.tag != TAG_SEQUENCE) {
				total += der_count(f.val, f.len, 1);
				continue;
			}
			total++;
			xpos = 0;
			while (cs_der_child(x.val, x.len, &xpos, &e)) {
				struct cs_tlv o, oid = {0};

				epos = 0;
				part = 1;
				while (cs_der_child(e.val, e.len, &epos, &o)) {
					part++;
					if (o.tag == TAG_OID && oid.val == NULL)
						oid = o;
					if ((o.tag == TAG_OCTETS &&
					     ext_decoded(oid.val, oid.len)) ||
					    (o.tag & 0x20) != 0)
						part += der_count(o.val, o.len,
								  2);
				}
				total += part;
				if (part > top) {
					top = part;
					cs_oid_ext_text(oid.val ? oid.val -
							oid.hdr : NULL,
							oid.hdr + oid.len,
							top_what,
							sizeof(top_what));
				}
			}
			continue;
		}
		part = 1 + ((f.tag & 0x20) != 0
				    ? der_count(f.val, f.len, 1)
				    : 0);
		total += part;
		if (f.tag != 0xa0 && f.tag != 0xa1 && f.tag != 0xa2) {
			if (part > top && i < sizeof(field) / sizeof(*field)) {
				top = part;
				snprintf(top_what, sizeof(top_what), "the %s",
					 field[i]);
			}
			i++;
		}
	}
	/* signatureAlgorithm and signatureValue */
	while (cs_der_child(cert.val, cert.len, &pos, &f))
		total += 1 + ((f.tag & 0x20) != 0
				      ? der_count(f.val, f.len, 1)
				      : 0);
	if (total <= CS_MAX_CERT_ELEMENTS)
		return 0;
	snprintf(why, whysz,
		 "certificate holds %llu DER elements (%llu in %s), more "
		 "than the %llu certscope decodes (GnuTLS would need about "
		 "%llu MB for it)",
		 (unsigned long long)total, (unsigned long long)top, top_what,
		 (unsigned long long)CS_MAX_CERT_ELEMENTS,
		 (unsigned long long)(total * 750 / 1000000));
	return -1;
}

enum der_kind { DK_OTHER, DK_CERT, DK_CRL, DK_P7, DK_P12 };

/*
 * Tell the outer structures apart without parsing them fully; P holds one
 * complete SEQUENCE of N bytes.
 *  Certificate (RFC 5280 s. 4.1):  SEQ { SEQ tbs, SEQ alg, BIT STRING }
 *    tbs: [0] version?, INTEGER serial, SEQ alg, SEQ issuer, SEQ validity
 *  CertificateList (s. 5.1): same outside;
 *    tbs: INTEGER version?, SEQ alg, SEQ issuer, Time thisUpdate
 *  ContentInfo (RFC 2315 s. 7): SEQ { OID signedData, [0] ... }
 *  PFX (RFC 7292 s. 4): SEQ { INTEGER 3, SEQ authSafe, ... }
 * Anything certificate-shaped that is not clearly a CRL is a certificate,
 * so that GnuTLS gets to say what is wrong with it.
 */
static enum der_kind der_classify(const unsigned char *p, size_t n)
{
	struct cs_tlv o, c, e;
	size_t pos = 0, tpos = 0;

	if (cs_der_read(p, n, &o) != CS_DER_OK || o.tag != TAG_SEQUENCE)
		return DK_OTHER;
	if (!cs_der_child(o.val, o.len, &pos, &c))
		return DK_OTHER;
	if (c.tag == TAG_OID && c.len == sizeof(oid_signed_data) &&
	    memcmp(c.val, oid_signed_data, sizeof(oid_signed_data)) == 0)
		return DK_P7;
	if (c.tag == TAG_INTEGER && c.len == 1 && c.val[0] == 3 &&
	    cs_der_child(o.val, o.len, &pos, &e) && e.tag == TAG_SEQUENCE)
		return DK_P12;
	if (c.tag != TAG_SEQUENCE)
		return DK_OTHER;
	/* c is the tbsCertificate or tbsCertList */
	if (!cs_der_child(c.val, c.len, &tpos, &e) || e.tag == TAG_CTX0)
		return DK_CERT;
	if (e.tag == TAG_INTEGER && !cs_der_child(c.val, c.len, &tpos, &e))
		return DK_CERT;
	/* e is the signature AlgorithmIdentifier; next the issuer Name. */
	if (e.tag != TAG_SEQUENCE || !cs_der_child(c.val, c.len, &tpos, &e) ||
	    e.tag != TAG_SEQUENCE || !cs_der_child(c.val, c.len, &tpos, &e))
		return DK_CERT;
	if (e.tag == TAG_UTCTIME || e.tag == TAG_GENTIME)
		return DK_CRL;
	return DK_CERT;
}

/*
 * Does the data start like a DER structure we might load?  Certificates,
 * CRLs, PKCS#7 and PKCS#12 are SEQUENCEs; all real ones are longer than
 * 127 bytes (long-form length), which text never starts with.
 */
static int der_plausible(const unsigned char *p, size_t n, int long_only)
{
	if (n < 3 || p[0] != TAG_SEQUENCE)
		return 0;
	if (p[1] >= 0x81 && p[1] <= 0x88)
		return 1;
	/* Short form, or BER indefinite length (to say why it fails). */
	return !long_only && p[1] <= 0x80 && p[2] == TAG_SEQUENCE;
}

/* ------------------------------------------------------------------ */
/* Appending items. */

struct pos {
	size_t offset;
	size_t line;
	enum cs_format fmt;
};

struct ctx {
	struct cs_itemlist *list;
	const struct cs_load_opts *opts;
	const char *name;            /* borrowed */
	const unsigned char *data;   /* borrowed */
	size_t len;
	size_t index;                /* items appended for this buffer */
	size_t max_items;
	struct cs_error *err;        /* fatal errors only */
};

static void ctx_init(struct ctx *c, struct cs_itemlist *list,
		     const struct cs_load_opts *opts, const char *name,
		     struct cs_error *err)
{
	memset(c, 0, sizeof(*c));
	c->list = list;
	c->opts = opts;
	c->name = name;
	c->err = err;
	c->max_items = opts && opts->max_items ? opts->max_items : CS_MAX_ITEMS;
}

/*
 * Move *IT into the list (the list owns it afterwards; *it is cleared).
 * FILE_LEVEL errors describe the whole file and get index 0.  On a fatal
 * error the item is freed and -1 returned.
 */
static int push(struct ctx *c, struct cs_item *it, const struct pos *at,
		int file_level)
{
	struct cs_itemlist *l = c->list;

	if (l->n >= c->max_items) {
		item_clear(it);
		return cs_error_setx(c->err, CS_E_LIMIT,
				     "%s: more than %zu items; the limit is "
				     "%zu items", c->name, c->max_items,
				     c->max_items);
	}
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 16;
		struct cs_item *n;

		if (cap > c->max_items)
			cap = c->max_items;
		n = reallocarray(l->items, cap, sizeof(*n));
		if (!n) {
			item_clear(it);
			return cs_error_set(c->err, CS_E_NOMEM,
					    "cannot grow the item list");
		}
		l->items = n;
		l->cap = cap;
	}
	it->origin.path = strdup(c->name);
	if (!it->origin.path) {
		item_clear(it);
		return cs_error_set(c->err, CS_E_NOMEM, "cannot copy a name");
	}
	it->origin.index = file_level ? 0 : ++c->index;
	it->origin.line = at->line;
	it->origin.offset = at->offset;
	it->origin.format = at->fmt;
	l->items[l->n++] = *it;
	memset(it, 0, sizeof(*it));
	return 0;
}

static int push_errorv(struct ctx *c, const struct pos *at, int file_level,
		       int code, int lib_code, const char *fmt, va_list ap)
{
	struct cs_item it;
	char msg[sizeof(it.err.msg)];

	memset(&it, 0, sizeof(it));
	it.kind = CS_ITEM_ERROR;
	vsnprintf(msg, sizeof(msg), fmt, ap);
	cs_error_setlib(&it.err, code, lib_code, "%s", msg);
	return push(c, &it, at, file_level);
}

/* Append one error item for one malformed item. */
__attribute__((format(printf, 5, 6)))
static int push_error(struct ctx *c, const struct pos *at, int code,
		      int lib_code, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = push_errorv(c, at, 0, code, lib_code, fmt, ap);
	va_end(ap);
	return rc;
}

/* Append one error item that describes a whole file. */
__attribute__((format(printf, 4, 5)))
static int push_file_error(struct ctx *c, int code, int sys_errno,
			   const char *fmt, ...)
{
	struct pos at = { 0, 0, CS_FMT_UNKNOWN };
	size_t before = c->list->n;
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = push_errorv(c, &at, 1, code, 0, fmt, ap);
	va_end(ap);
	if (rc == 0 && c->list->n > before)
		c->list->items[before].err.sys_errno = sys_errno;
	return rc;
}

/* " (line N)" / " (offset N)" so messages name the position. */
static const char *where(const struct pos *at, char *buf, size_t size)
{
	if (at->line)
		snprintf(buf, size, " (line %zu)", at->line);
	else if (at->offset)
		snprintf(buf, size, " (offset %zu)", at->offset);
	else
		buf[0] = '\0';
	return buf;
}

static unsigned char *dup_der(const unsigned char *der, size_t len)
{
	unsigned char *p = malloc(len ? len : 1);

	if (p)
		memcpy(p, der, len);
	return p;
}

/* Import one certificate (DER borrowed, copied) and append it. */
static int push_cert(struct ctx *c, const unsigned char *der, size_t len,
		     const struct pos *at)
{
	struct cs_item it;
	gnutls_datum_t d = { (unsigned char *)der, (unsigned)len };
	char wbuf[48], why[320];
	int r;

	memset(&it, 0, sizeof(it));
	if (len > UINT32_MAX)
		return push_error(c, at, CS_E_LIMIT, 0,
				  "certificate of %zu bytes is too large%s",
				  len, where(at, wbuf, sizeof(wbuf)));
	if (cs_cert_check_elements(der, len, why, sizeof(why)) < 0)
		return push_error(c, at, CS_E_LIMIT, 0, "%s%s", why,
				  where(at, wbuf, sizeof(wbuf)));
	r = gnutls_x509_crt_init(&it.crt);
	if (r < 0)
		return cs_error_setlib(c->err, CS_E_INTERNAL, r,
				       "gnutls_x509_crt_init: %s",
				       gnutls_strerror(r));
	r = gnutls_x509_crt_import(it.crt, &d, GNUTLS_X509_FMT_DER);
	if (r < 0) {
		item_clear(&it);
		return push_error(c, at, CS_E_PARSE, r,
				  "not a certificate: GnuTLS says: %s%s",
				  gnutls_strerror(r),
				  where(at, wbuf, sizeof(wbuf)));
	}
	it.kind = CS_ITEM_CERT;
	it.der = dup_der(der, len);
	if (!it.der) {
		item_clear(&it);
		return cs_error_set(c->err, CS_E_NOMEM, "cannot copy DER");
	}
	it.der_len = len;
	return push(c, &it, at, 0);
}

/* Import one CRL (DER borrowed, copied) and append it. */
static int push_crl(struct ctx *c, const unsigned char *der, size_t len,
		    const struct pos *at)
{
	struct cs_item it;
	gnutls_datum_t d = { (unsigned char *)der, (unsigned)len };
	char wbuf[48];
	int r;

	memset(&it, 0, sizeof(it));
	if (len > UINT32_MAX)
		return push_error(c, at, CS_E_LIMIT, 0,
				  "CRL of %zu bytes is too large%s", len,
				  where(at, wbuf, sizeof(wbuf)));
	r = gnutls_x509_crl_init(&it.crl);
	if (r < 0)
		return cs_error_setlib(c->err, CS_E_INTERNAL, r,
				       "gnutls_x509_crl_init: %s",
				       gnutls_strerror(r));
	r = gnutls_x509_crl_import(it.crl, &d, GNUTLS_X509_FMT_DER);
	if (r < 0) {
		item_clear(&it);
		return push_error(c, at, CS_E_PARSE, r,
				  "not a CRL: GnuTLS says: %s%s",
				  gnutls_strerror(r),
				  where(at, wbuf, sizeof(wbuf)));
	}
	it.kind = CS_ITEM_CRL;
	it.der = dup_der(der, len);
	if (!it.der) {
		item_clear(&it);
		return cs_error_set(c->err, CS_E_NOMEM, "cannot copy DER");
	}
	it.der_len = len;
	return push(c, &it, at, 0);
}

/* Where DER from inside a container sits in the file, if it is there
 * verbatim (PKCS#7 certificates are; encrypted PKCS#12 bags are not). */
static struct pos inner_pos(const unsigned char *box, size_t box_len,
			    const unsigned char *der, size_t len,
			    const struct pos *box_at)
{
	struct pos at = *box_at;
	const unsigned char *p;

	if (box_at->line == 0 && len > 0) {
		p = memmem(box, box_len, der, len);
		if (p)
			at.offset += (size_t)(p - box);
	}
	return at;
}

/* RFC 2315 signedData "certs-only" bundles (.p7b/.p7c). */
static int load_p7(struct ctx *c, const unsigned char *der, size_t len,
		   const struct pos *at)
{
	gnutls_pkcs7_t p7 = NULL;
	gnutls_datum_t d = { (unsigned char *)der, (unsigned)len };
	gnutls_datum_t raw;
	struct pos in;
	char wbuf[48];
	int r, i, ncrt, ncrl, rc = 0;

	r = gnutls_pkcs7_init(&p7);
	if (r < 0)
		return cs_error_setlib(c->err, CS_E_INTERNAL, r,
				       "gnutls_pkcs7_init: %s",
				       gnutls_strerror(r));
	r = len > UINT32_MAX ? GNUTLS_E_MEMORY_ERROR :
	    gnutls_pkcs7_import(p7, &d, GNUTLS_X509_FMT_DER);
	if (r < 0) {
		rc = push_error(c, at, CS_E_PARSE, r,
				"not a PKCS#7 structure: GnuTLS says: %s%s",
				gnutls_strerror(r),
				where(at, wbuf, sizeof(wbuf)));
		goto out;
	}
	ncrt = gnutls_pkcs7_get_crt_count(p7);
	ncrl = gnutls_pkcs7_get_crl_count(p7);
	if (ncrt < 0)
		ncrt = 0;
	if (ncrl < 0)
		ncrl = 0;
	for (i = 0; i < ncrt && rc == 0; i++) {
		r = gnutls_pkcs7_get_crt_raw2(p7, (unsigned)i, &raw);
		if (r < 0) {
			rc = push_error(c, at, CS_E_PARSE, r,
					"PKCS#7 certificate %d: GnuTLS says: "
					"%s%s", i + 1, gnutls_strerror(r),
					where(at, wbuf, sizeof(wbuf)));
			continue;
		}
		in = inner_pos(der, len, raw.data, raw.size, at);
		rc = push_cert(c, raw.data, raw.size, &in);
		gnutls_free(raw.data);
	}
	for (i = 0; i < ncrl && rc == 0; i++) {
		r = gnutls_pkcs7_get_crl_raw2(p7, (unsigned)i, &raw);
		if (r < 0) {
			rc = push_error(c, at, CS_E_PARSE, r,
					"PKCS#7 CRL %d: GnuTLS says: %s%s",
					i + 1, gnutls_strerror(r),
					where(at, wbuf, sizeof(wbuf)));
			continue;
		}
		in = inner_pos(der, len, raw.data, raw.size, at);
		rc = push_crl(c, raw.data, raw.size, &in);
		gnutls_free(raw.data);
	}
	if (rc == 0 && ncrt == 0 && ncrl == 0)
		rc = push_error(c, at, CS_E_EMPTY, 0,
				"PKCS#7 structure holds no certificate or "
				"CRL%s", where(at, wbuf, sizeof(wbuf)));
out:
	gnutls_pkcs7_deinit(p7);
	return rc;
}

static const char p12_need_password[] =
	"PKCS#12 file is protected by a password: give it with "
	"--password-file FILE or CERTSCOPE_PASSWORD";

/*
 * Check the PFX MAC (RFC 7292 section 5) and choose the password for the
 * bags.  Returns 0 with *pass set, 1 when an error item was appended, -1
 * on a fatal error.
 */
static int p12_password(struct ctx *c, gnutls_pkcs12_t p12,
			const struct pos *at, const char **pass)
{
	const char *given = c->opts ? c->opts->password : NULL;
	int r;

	*pass = given;
	if (given) {
		r = gnutls_pkcs12_verify_mac(p12, given);
		if (r == GNUTLS_E_MAC_VERIFY_FAILED) {
			if (push_error(c, at, CS_E_PASSWORD, r,
				       "PKCS#12: wrong password (MAC "
				       "verification failed)") < 0)
				return -1;
			return 1;
		}
		/* Other errors: no MAC at all; the bags decide. */
		return 0;
	}
	/* No password given: "" and NULL are the two encodings of "none"
	 * (RFC 7292 appendix B.1); tools use both. */
	r = gnutls_pkcs12_verify_mac(p12, "");
	if (r == 0) {
		*pass = "";
		return 0;
	}
	if (gnutls_pkcs12_verify_mac(p12, NULL) == 0 ||
	    r != GNUTLS_E_MAC_VERIFY_FAILED)
		return 0;
	if (push_error(c, at, CS_E_PASSWORD, r, "%s", p12_need_password) < 0)
		return -1;
	return 1;
}

/*
 * What GnuTLS does not tell: for each unencrypted ContentInfo of the
 * AuthenticatedSafe (GnuTLS's "bags", RFC 7292 s. 4.1), how many SafeBags
 * its SafeContents holds, and how many of them are nested SafeContents
 * (safeContentsBag, s. 4.2.6).  GnuTLS reads at most 32 SafeBags of a
 * SafeContents and never descends into a nested one; both would drop
 * certificates without a word.  Iterative and bounded like the rest of
 * the TLV reader; -1 marks a ContentInfo it cannot count (encrypted, or
 * not DER).
 */
struct p12_survey {
	long bags[CS_MAX_P12_BAGS];
	long nested[CS_MAX_P12_BAGS];
};

static const unsigned char oid_p7_data[] = {
	0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x01};
static const unsigned char oid_safe_contents_bag[] = {
	0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x0c, 0x0a, 0x01, 0x06};

/* The OCTET STRING inside [0] of a data ContentInfo whose content
 * (after the OID) starts at *pos, into *octets; false when not that
 * shape. */
static bool p12_data_octets(const struct cs_tlv *ci, size_t *pos,
			    struct cs_tlv *octets)
{
	struct cs_tlv t;
	size_t ipos = 0;

	return cs_der_child(ci->val, ci->len, pos, &t) && t.tag == TAG_CTX0 &&
	       cs_der_child(t.val, t.len, &ipos, octets) &&
	       octets->tag == TAG_OCTETS;
}

static bool is_oid(const struct cs_tlv *t, const unsigned char *oid,
		   size_t n)
{
	return t->tag == TAG_OID && t->len == n && memcmp(t->val, oid, n) == 0;
}

/* The first TLV inside the contents of an OCTET STRING, if a SEQUENCE. */
static bool octets_seq(const struct cs_tlv *octets, struct cs_tlv *seq)
{
	size_t pos = 0;

	return cs_der_child(octets->val, octets->len, &pos, seq) &&
	       seq->tag == TAG_SEQUENCE;
}

static void p12_survey(const unsigned char *der, size_t len,
		       struct p12_survey *sv)
{
	struct cs_tlv pfx, ci, as, t;
	size_t pos = 0, cpos = 0, apos = 0, i;

	for (i = 0; i < CS_MAX_P12_BAGS; i++)
		sv->bags[i] = sv->nested[i] = -1;
	if (cs_der_read(der, len, &pfx) != CS_DER_OK)
		return;
	/* PFX { version, authSafe ContentInfo { data, [0] OCTETS } } */
	if (!cs_der_child(pfx.val, pfx.len, &pos, &t) ||
	    !cs_der_child(pfx.val, pfx.len, &pos, &ci))
		return;
	if (!cs_der_child(ci.val, ci.len, &cpos, &t) ||
	    !is_oid(&t, oid_p7_data, sizeof(oid_p7_data)))
		return;
	if (!p12_data_octets(&ci, &cpos, &t) || !octets_seq(&t, &as))
		return;
	for (i = 0; i < CS_MAX_P12_BAGS; i++) {
		struct cs_tlv c, sc, bag;
		size_t ipos = 0, spos = 0, bpos;

		if (!cs_der_child(as.val, as.len, &apos, &c))
			break;
		if (!cs_der_child(c.val, c.len, &ipos, &t) ||
		    !is_oid(&t, oid_p7_data, sizeof(oid_p7_data)))
			continue; /* encrypted: counted after decryption */
		if (!p12_data_octets(&c, &ipos, &t) || !octets_seq(&t, &sc))
			continue;
		sv->bags[i] = sv->nested[i] = 0;
		while (cs_der_child(sc.val, sc.len, &spos, &bag)) {
			sv->bags[i]++;
			bpos = 0;
			if (cs_der_child(bag.val, bag.len, &bpos, &t) &&
			    is_oid(&t, oid_safe_contents_bag,
				   sizeof(oid_safe_contents_bag)))
				sv->nested[i]++;
		}
	}
}

/* Append the CERTIFICATE and CRL elements of one (decrypted) bag. */
static int p12_bag_items(struct ctx *c, gnutls_pkcs12_bag_t bag,
			 const struct pos *at)
{
	gnutls_datum_t d;
	int j, n, type, rc = 0;

	n = gnutls_pkcs12_bag_get_count(bag);
	if (n > CS_MAX_P12_ELEMENTS)
		n = CS_MAX_P12_ELEMENTS;
	for (j = 0; j < n && rc == 0; j++) {
		type = gnutls_pkcs12_bag_get_type(bag, (unsigned)j);
		if (type != GNUTLS_BAG_CERTIFICATE && type != GNUTLS_BAG_CRL)
			continue;
		/* d points into the bag: push_* copy it. */
		if (gnutls_pkcs12_bag_get_data(bag, (unsigned)j, &d) < 0)
			continue;
		if (type == GNUTLS_BAG_CERTIFICATE)
			rc = push_cert(c, d.data, d.size, at);
		else
			rc = push_crl(c, d.data, d.size, at);
	}
	return rc;
}

/* Say what bag I (0-based) holds that was not read: elements past
 * GnuTLS's or our limit, and nested SafeContents. */
static int p12_bag_unread(struct ctx *c, gnutls_pkcs12_bag_t bag,
			  const struct pos *at, int i,
			  const struct p12_survey *sv)
{
	int n = gnutls_pkcs12_bag_get_count(bag);

	if (n > CS_MAX_P12_ELEMENTS)
		n = CS_MAX_P12_ELEMENTS;
	if (n < 0)
		n = 0;
	if (sv->nested[i] > 0 &&
	    push_error(c, at, CS_E_UNSUPPORTED, 0,
		       "PKCS#12 bag %d holds %ld nested SafeContents "
		       "(safeContentsBag, RFC 7292 4.2.6), which are not "
		       "read: certificates inside them were not loaded",
		       i + 1, sv->nested[i]) < 0)
		return -1;
	if (sv->bags[i] > n &&
	    push_error(c, at, CS_E_LIMIT, 0,
		       "PKCS#12 bag %d holds %ld elements; only the first %d "
		       "were read (the limit of GnuTLS and certscope), so "
		       "certificates after them were not loaded",
		       i + 1, sv->bags[i], n) < 0)
		return -1;
	return 0;
}

/* RFC 7292 PFX: every CERTIFICATE and CRL bag, decrypting as needed. */
static int load_p12(struct ctx *c, const unsigned char *der, size_t len,
		    const struct pos *at)
{
	gnutls_pkcs12_t p12 = NULL;
	gnutls_pkcs12_bag_t bag = NULL;
	gnutls_datum_t d = { (unsigned char *)der, (unsigned)len };
	const char *pass = NULL;
	struct p12_survey sv;
	size_t before = c->list->n;
	char wbuf[48];
	int r, i, rc = 0;

	r = gnutls_pkcs12_init(&p12);
	if (r < 0)
		return cs_error_setlib(c->err, CS_E_INTERNAL, r,
				       "gnutls_pkcs12_init: %s",
				       gnutls_strerror(r));
	r = len > UINT32_MAX ? GNUTLS_E_MEMORY_ERROR :
	    gnutls_pkcs12_import(p12, &d, GNUTLS_X509_FMT_DER, 0);
	if (r < 0) {
		rc = push_error(c, at, CS_E_PARSE, r,
				"not a PKCS#12 file: GnuTLS says: %s%s",
				gnutls_strerror(r),
				where(at, wbuf, sizeof(wbuf)));
		goto out;
	}
	r = p12_password(c, p12, at, &pass);
	if (r != 0) {
		rc = r < 0 ? -1 : 0;
		goto out;
	}
	p12_survey(der, len, &sv);
	for (i = 0; i < CS_MAX_P12_BAGS && rc == 0; i++) {
		r = gnutls_pkcs12_bag_init(&bag);
		if (r < 0) {
			rc = cs_error_setlib(c->err, CS_E_INTERNAL, r,
					     "gnutls_pkcs12_bag_init: %s",
					     gnutls_strerror(r));
			goto out;
		}
		r = gnutls_pkcs12_get_bag(p12, i, bag);
		if (r == GNUTLS_E_REQUESTED_DATA_NOT_AVAILABLE)
			break;
		if (r < 0) {
			rc = push_error(c, at, CS_E_PARSE, r,
					"PKCS#12 bag %d: GnuTLS says: %s",
					i + 1, gnutls_strerror(r));
			break;
		}
		if (gnutls_pkcs12_bag_get_type(bag, 0) ==
		    GNUTLS_BAG_ENCRYPTED) {
			r = gnutls_pkcs12_bag_decrypt(bag, pass);
			if (r < 0 && !c->opts->password) {
				rc = push_error(c, at, CS_E_PASSWORD, r, "%s",
						p12_need_password);
				break;
			}
			if (r < 0) {
				rc = push_error(c, at, CS_E_PASSWORD, r,
						"PKCS#12: cannot decrypt bag "
						"%d: GnuTLS says: %s", i + 1,
						gnutls_strerror(r));
				gnutls_pkcs12_bag_deinit(bag);
				bag = NULL;
				continue;
			}
		}
		rc = p12_bag_items(c, bag, at);
		if (rc == 0)
			rc = p12_bag_unread(c, bag, at, i, &sv);
		gnutls_pkcs12_bag_deinit(bag);
		bag = NULL;
	}
	if (rc == 0 && i == CS_MAX_P12_BAGS)
		rc = push_error(c, at, CS_E_LIMIT, 0,
				"PKCS#12 file has more than %d bags; the "
				"rest were not read", CS_MAX_P12_BAGS);
	if (rc == 0 && c->list->n == before)
		rc = push_error(c, at, CS_E_EMPTY, 0,
				"PKCS#12 file holds no certificate or CRL: "
				"its %d bag%s only keys or other kinds", i,
				i == 1 ? " holds" : "s hold");
out:
	if (bag)
		gnutls_pkcs12_bag_deinit(bag);
	gnutls_pkcs12_deinit(p12);
	return rc;
}

/* ------------------------------------------------------------------ */
/* DER files: one or more structures back to back. */

static const char *kind_name(enum der_kind k)
{
	switch (k) {
	case DK_CRL:
		return "CRL";
	case DK_P7:
		return "PKCS#7 data";
	case DK_P12:
		return "PKCS#12 data";
	default:
		return "certificate";
	}
}

/* Append the structure of kind K at DER[0..len) with origin AT. */
static int load_one(struct ctx *c, enum der_kind k, const unsigned char *der,
		    size_t len, const struct pos *at)
{
	switch (k) {
	case DK_CRL:
		return push_crl(c, der, len, at);
	case DK_P7:
		return load_p7(c, der, len, at);
	case DK_P12: {
		struct pos p12 = *at;

		p12.fmt = CS_FMT_PKCS12;
		return load_p12(c, der, len, &p12);
	}
	default:
		return push_cert(c, der, len, at);
	}
}

/* "7 bytes of trailing data after the certificate at offset 1290" */
static int push_trailing(struct ctx *c, const struct pos *at, size_t n,
			 const char *after)
{
	return push_error(c, at, CS_E_PARSE, 0,
			  "%zu byte%s of trailing data after the %s at "
			  "offset %zu", n, n == 1 ? "" : "s", after,
			  at->offset);
}

static int load_der(struct ctx *c, size_t start)
{
	const unsigned char *d = c->data;
	enum der_kind k, prev = DK_CERT;
	struct cs_tlv t;
	struct pos at;
	size_t off = start, rest, total;
	int r, rc = 0;

	while (off < c->len && rc == 0) {
		rest = c->len - off;
		at.offset = off;
		at.line = 0;
		at.fmt = CS_FMT_DER;
		r = cs_der_read(d + off, rest, &t);
		if (r == CS_DER_INDEFINITE && off == start)
			return push_error(c, &at, CS_E_PARSE, 0,
					  "indefinite length (BER) at offset "
					  "%zu: DER needs definite lengths",
					  off);
		if ((r != CS_DER_OK && r != CS_DER_TRUNCATED) ||
		    t.tag != TAG_SEQUENCE) {
			if (off == start)
				return 0;
			return push_trailing(c, &at, rest, kind_name(prev));
		}
		if (r == CS_DER_TRUNCATED) {
			if (off == start)
				return push_error(c, &at, CS_E_PARSE, 0,
						  "truncated DER: length says "
						  "%" PRIu64 " bytes, %zu "
						  "present", t.total, rest);
			return push_error(c, &at, CS_E_PARSE, 0,
					  "truncated DER at offset %zu: "
					  "length says %" PRIu64 " bytes, "
					  "%zu present", off, t.total, rest);
		}
		total = t.hdr + t.len;
		k = der_classify(d + off, total);
		if (k == DK_OTHER) {
			if (off == start)
				return 0;
			return push_trailing(c, &at, rest, kind_name(prev));
		}
		if (k == DK_P7)
			at.fmt = CS_FMT_PKCS7;
		rc = load_one(c, k, d + off, total, &at);
		off += total;
		prev = k;
	}
	return rc;
}

/* ------------------------------------------------------------------ */
/* PEM files. */

enum pem_kind { PK_NONE, PK_CERT, PK_TRUSTED, PK_CRL, PK_P7 };

static const struct {
	const char *label;
	enum pem_kind kind;
} pem_labels[] = {
	{ "CERTIFICATE", PK_CERT },
	{ "X509 CERTIFICATE", PK_CERT },       /* pre-RFC 7468 OpenSSL */
	{ "TRUSTED CERTIFICATE", PK_TRUSTED }, /* OpenSSL + aux trust */
	{ "X509 CRL", PK_CRL },                /* RFC 7468 section 6 */
	{ "PKCS7", PK_P7 },                    /* RFC 7468 section 7 */
	{ "PKCS #7 SIGNED DATA", PK_P7 },      /* RFC 7468 section 7 */
	{ "CMS", PK_P7 },                      /* RFC 7468 section 9 */
};

static enum pem_kind pem_kind(const unsigned char *label, size_t len)
{
	size_t i;

	for (i = 0; i < sizeof(pem_labels) / sizeof(pem_labels[0]); i++)
		if (strlen(pem_labels[i].label) == len &&
		    memcmp(pem_labels[i].label, label, len) == 0)
			return pem_labels[i].kind;
	return PK_NONE;
}

/* Does a malformed BEGIN line look like one of ours (worth an error)? */
static int pem_bad_begin_relevant(const unsigned char *text, size_t len)
{
	static const char *const words[] = { "CERTIFICATE", "CRL", "PKCS7" };
	size_t i;

	for (i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (memmem(text, len, words[i], strlen(words[i])))
			return 1;
	return 0;
}

/* One decoded block: check its DER framing, then append what it holds. */
static int pem_block_items(struct ctx *c, enum pem_kind k, const char *label,
			   const unsigned char *der, size_t len,
			   const struct pos *at)
{
	struct cs_tlv t;
	size_t used;
	int r, rc;

	if (len == 0)
		return push_error(c, at, CS_E_PARSE, 0,
				  "PEM block '%s' at line %zu is empty", label,
				  at->line);
	r = cs_der_read(der, len, &t);
	if ((r != CS_DER_OK && r != CS_DER_TRUNCATED) ||
	    t.tag != TAG_SEQUENCE)
		return push_error(c, at, CS_E_PARSE, 0,
				  "PEM block '%s' at line %zu does not hold "
				  "a DER SEQUENCE", label, at->line);
	if (r == CS_DER_TRUNCATED)
		return push_error(c, at, CS_E_PARSE, 0,
				  "truncated DER in PEM block '%s' at line "
				  "%zu: length says %" PRIu64 " bytes, %zu "
				  "present", label, at->line, t.total, len);
	used = t.hdr + t.len;
	switch (k) {
	case PK_CRL:
		rc = push_crl(c, der, used, at);
		break;
	case PK_P7:
		return load_p7(c, der, used, at);
	default:
		rc = push_cert(c, der, used, at);
		break;
	}
	/* TRUSTED CERTIFICATE is the certificate followed by OpenSSL's
	 * X509_CERT_AUX trust settings: only the first TLV is ours. */
	if (rc == 0 && used < len && k != PK_TRUSTED)
		rc = push_error(c, at, CS_E_PARSE, 0,
				"%zu byte%s of trailing data after the %s in "
				"PEM block '%s' at line %zu", len - used,
				len - used == 1 ? "" : "s",
				k == PK_CRL ? "CRL" : "certificate", label,
				at->line);
	return rc;
}

static int load_pem(struct ctx *c, size_t start)
{
	struct cs_pem_scan s;
	struct cs_pem_block b;
	struct pos at;
	char label[CS_PEM_MAX_LABEL + 1];
	unsigned char *der = NULL;
	size_t der_len, bad_at;
	enum pem_kind k;
	int rc = 0;

	cs_pem_scan_init(&s, c->data, c->len, start);
	while (rc == 0 && cs_pem_next(&s, &b)) {
		at.offset = b.begin;
		at.line = b.line;
		at.fmt = CS_FMT_PEM;
		if (b.status == CS_PEM_BAD_BEGIN) {
			if (pem_bad_begin_relevant(c->data + b.label,
						   b.label_len))
				rc = push_error(c, &at, CS_E_PARSE, 0,
						"malformed PEM BEGIN line at "
						"line %zu", b.line);
			continue;
		}
		k = pem_kind(c->data + b.label, b.label_len);
		if (k == PK_NONE)
			continue; /* keys, parameters, ...: not ours */
		/* label_ok() allowed only printable ASCII. */
		memcpy(label, c->data + b.label, b.label_len);
		label[b.label_len] = '\0';
		if (k == PK_P7)
			at.fmt = CS_FMT_PKCS7_PEM;
		if (b.status == CS_PEM_NO_END) {
			rc = push_error(c, &at, CS_E_PARSE, 0,
					"PEM block '%s' at line %zu has no "
					"END line", label, b.line);
			continue;
		}
		if (b.status == CS_PEM_BAD_END) {
			rc = push_error(c, &at, CS_E_PARSE, 0,
					"PEM block '%s' at line %zu has a "
					"malformed or mismatched END line",
					label, b.line);
			continue;
		}
		der = malloc(cs_pem_decoded_max(b.body_len));
		if (!der)
			return cs_error_set(c->err, CS_E_NOMEM,
					    "cannot decode PEM block");
		if (cs_pem_base64_decode(c->data + b.body, b.body_len, der,
					 &der_len, &bad_at) < 0)
			rc = push_error(c, &at, CS_E_PARSE, 0,
					"bad base64 in PEM block '%s' "
					"(line %zu)", label,
					cs_pem_line_at(&s, b.body + bad_at));
		else
			rc = pem_block_items(c, k, label, der, der_len, &at);
		free(der);
		der = NULL;
	}
	return rc;
}

/* ------------------------------------------------------------------ */

int cs_load_buffer(struct cs_itemlist *list, const unsigned char *data,
		   size_t len, const char *name,
		   const struct cs_load_opts *opts, int quiet_empty,
		   size_t *found, struct cs_error *err)
{
	static const struct cs_load_opts no_opts;
	struct ctx c;
	size_t start = 0, before = list->n;
	int rc;

	if (found)
		*found = 0;
	ctx_init(&c, list, opts ? opts : &no_opts, name ? name : "-", err);
	/* NULL data is an empty buffer. */
	c.data = data ? data : utf8_bom;
	c.len = data ? len : 0;
	if (c.len >= sizeof(utf8_bom) &&
	    memcmp(data, utf8_bom, sizeof(utf8_bom)) == 0)
		start = sizeof(utf8_bom);
	/* Content decides, never the name.  A DER structure with a long-form
	 * length cannot be text, even if "-----BEGIN " occurs inside it
	 * (say in a subject name), so it goes first. */
	if (der_plausible(c.data + start, c.len - start, 1))
		rc = load_der(&c, start);
	else if (cs_pem_has_begin(c.data + start, c.len - start))
		rc = load_pem(&c, start);
	else if (der_plausible(c.data + start, c.len - start, 0))
		rc = load_der(&c, start);
	else
		rc = 0;
	if (rc < 0)
		return -1;
	if (list->n > before) {
		list->files_read++;
		if (found)
			*found = list->n - before;
		return 0;
	}
	if (quiet_empty)
		return 0;
	if (c.len == start)
		return push_file_error(&c, CS_E_EMPTY, 0, "empty file");
	if (c.len >= 2 && ((data[0] == 0xff && data[1] == 0xfe) ||
			   (data[0] == 0xfe && data[1] == 0xff)))
		return push_file_error(&c, CS_E_EMPTY, 0,
				       "no certificate or CRL found: the file "
				       "is UTF-16 text; convert it to UTF-8");
	return push_file_error(&c, CS_E_EMPTY, 0,
			       "no certificate or CRL found (not PEM, DER, "
			       "PKCS#7 or PKCS#12)");
}

/* ------------------------------------------------------------------ */
/* Files, stdin and directory trees. */

/*
 * Read FD to the end into a new buffer (*buf owned by the caller).
 * Returns 0, 1 when the data exceeds MAX (nothing returned), or -1 with
 * errno set.
 */
static int read_all(int fd, size_t max, unsigned char **buf, size_t *len)
{
	unsigned char *b = NULL, *nb;
	size_t cap = 0, n = 0;
	ssize_t r;

	*buf = NULL;
	*len = 0;
	for (;;) {
		if (n == cap) {
			size_t ncap = cap ? cap * 2 : CS_READ_CHUNK;

			/* One byte past the limit tells "too big" apart. */
			if (ncap > max + 1)
				ncap = max + 1;
			if (ncap <= cap) {
				free(b);
				return 1;
			}
			nb = realloc(b, ncap);
			if (!nb) {
				free(b);
				errno = ENOMEM;
				return -1;
			}
			b = nb;
			cap = ncap;
		}
		r = read(fd, b + n, cap - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			int e = errno;

			free(b);
			errno = e;
			return -1;
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	*buf = b;
	*len = n;
	return 0;
}

static size_t max_file_bytes(const struct cs_load_opts *opts)
{
	return opts && opts->max_file_bytes ? opts->max_file_bytes :
					      CS_MAX_FILE_BYTES;
}

/*
 * Load one file (or stdin for "-").  IN_TREE: found while walking a
 * directory, so a file with nothing loadable is only counted.
 */
static int load_file(struct cs_itemlist *list, const char *path,
		     const struct cs_load_opts *opts, int in_tree,
		     struct cs_error *err)
{
	struct ctx c;
	struct stat st;
	unsigned char *buf = NULL;
	size_t len = 0, found = 0, max = max_file_bytes(opts);
	int fd, r, e, rc;
	int is_stdin = strcmp(path, "-") == 0;

	ctx_init(&c, list, opts, path, err);
	fd = is_stdin ? STDIN_FILENO : open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		e = errno;
		return push_file_error(&c, CS_E_IO, e, "%s", strerror(e));
	}
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) &&
	    (uintmax_t)st.st_size > max) {
		if (!is_stdin)
			close(fd);
		return push_file_error(&c, CS_E_LIMIT, 0,
				       "file is %jd bytes; the limit is %zu "
				       "bytes", (intmax_t)st.st_size, max);
	}
	r = read_all(fd, max, &buf, &len);
	e = errno;
	if (!is_stdin)
		close(fd);
	if (r < 0)
		return push_file_error(&c, CS_E_IO, e, "%s", strerror(e));
	if (r > 0)
		return push_file_error(&c, CS_E_LIMIT, 0,
				       "file is more than %zu bytes; the limit "
				       "is %zu bytes", max, max);
	rc = cs_load_buffer(list, buf, len, path, opts, in_tree, &found, err);
	if (rc == 0 && in_tree && found == 0)
		list->files_skipped++;
	free(buf);
	return rc;
}

struct devino {
	dev_t dev;
	ino_t ino;
};

struct walk {
	struct cs_itemlist *list;
	const struct cs_load_opts *opts;
	struct cs_error *err;
	size_t files;          /* entries looked at in the whole tree */
	int stop;              /* CS_MAX_DIR_FILES reached */
	struct devino *seen;   /* owned; sorted visited directories */
	size_t nseen, capseen;
};

static int devino_cmp(const struct devino *a, const struct devino *b)
{
	if (a->dev != b->dev)
		return a->dev < b->dev ? -1 : 1;
	if (a->ino != b->ino)
		return a->ino < b->ino ? -1 : 1;
	return 0;
}

/* Record a directory; returns 1 if it was seen before (a symlink loop or
 * a second way in), 0 if new, -1 when out of memory. */
static int seen_add(struct walk *w, const struct stat *st)
{
	struct devino k = { st->st_dev, st->st_ino }, *n;
	size_t lo = 0, hi = w->nseen, mid;
	int cmp;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		cmp = devino_cmp(&k, &w->seen[mid]);
		if (cmp == 0)
			return 1;
		if (cmp < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	if (w->nseen == w->capseen) {
		size_t cap = w->capseen ? w->capseen * 2 : 16;

		n = reallocarray(w->seen, cap, sizeof(*n));
		if (!n)
			return -1;
		w->seen = n;
		w->capseen = cap;
	}
	memmove(&w->seen[lo + 1], &w->seen[lo],
		(w->nseen - lo) * sizeof(*w->seen));
	w->seen[lo] = k;
	w->nseen++;
	return 0;
}

static int name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void free_names(char **names, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

/* Sorted entry names of DIR (without . and ..), owned by the caller. */
static int list_dir(const char *dir, char ***out, size_t *nout)
{
	DIR *d;
	struct dirent *de;
	char **names = NULL, **nn;
	size_t n = 0, cap = 0;
	int e;

	*out = NULL;
	*nout = 0;
	d = opendir(dir);
	if (!d)
		return -1;
	while ((errno = 0, de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0)
			continue;
		if (n == CS_MAX_DIR_FILES)
			break; /* the tree-wide count reports the limit */
		if (n == cap) {
			cap = cap ? cap * 2 : 32;
			nn = reallocarray(names, cap, sizeof(*nn));
			if (!nn)
				goto fail;
			names = nn;
		}
		names[n] = strdup(de->d_name);
		if (!names[n])
			goto fail;
		n++;
	}
	if (errno != 0)
		goto fail;
	closedir(d);
	/* Sorted, so the output does not depend on the file system. */
	if (n > 0)
		qsort(names, n, sizeof(*names), name_cmp);
	*out = names;
	*nout = n;
	return 0;
fail:
	e = errno ? errno : ENOMEM;
	closedir(d);
	free_names(names, n);
	errno = e;
	return -1;
}

static int walk_dir(struct walk *w, const char *dir, const struct stat *dst,
		    int depth);

/* One entry of a directory: recurse, load, or skip. */
static int walk_entry(struct walk *w, const char *path, int depth)
{
	struct ctx c;
	struct stat st;
	int e;

	ctx_init(&c, w->list, w->opts, path, w->err);
	if (++w->files > CS_MAX_DIR_FILES) {
		w->stop = 1;
		return push_file_error(&c, CS_E_LIMIT, 0,
				       "more than %zu files in the tree; the "
				       "rest were not read", CS_MAX_DIR_FILES);
	}
	/* stat(), not lstat(): symbolic links are followed, and seen_add()
	 * keeps a link back up the tree from looping. */
	if (stat(path, &st) < 0) {
		e = errno;
		return push_file_error(&c, CS_E_IO, e, "%s", strerror(e));
	}
	if (S_ISDIR(st.st_mode))
		return walk_dir(w, path, &st, depth + 1);
	if (!S_ISREG(st.st_mode)) {
		/* FIFOs and devices could block or never end. */
		w->list->files_skipped++;
		return 0;
	}
	return load_file(w->list, path, w->opts, 1, w->err);
}

static int walk_dir(struct walk *w, const char *dir, const struct stat *dst,
		    int depth)
{
	struct ctx c;
	char **names = NULL;
	char *path = NULL;
	size_t n = 0, i, dlen = strlen(dir);
	int r, e, rc = 0;

	ctx_init(&c, w->list, w->opts, dir, w->err);
	if (depth > CS_MAX_DIR_DEPTH)
		return push_file_error(&c, CS_E_LIMIT, 0,
				       "directory is more than %d levels deep; "
				       "not descending into it",
				       CS_MAX_DIR_DEPTH);
	r = seen_add(w, dst);
	if (r < 0)
		return cs_error_set(w->err, CS_E_NOMEM, "%s", dir);
	if (r > 0)
		return 0;
	if (list_dir(dir, &names, &n) < 0) {
		e = errno;
		if (e == ENOMEM)
			return cs_error_set(w->err, CS_E_NOMEM, "%s", dir);
		return push_file_error(&c, CS_E_IO, e, "%s", strerror(e));
	}
	while (dlen > 1 && dir[dlen - 1] == '/')
		dlen--;
	for (i = 0; i < n && rc == 0 && !w->stop; i++) {
		if (asprintf(&path, "%.*s/%s", (int)dlen, dir, names[i]) < 0) {
			path = NULL;
			rc = cs_error_set(w->err, CS_E_NOMEM, "%s", dir);
			break;
		}
		rc = walk_entry(w, path, depth);
		free(path);
		path = NULL;
	}
	free_names(names, n);
	return rc;
}

int cs_load_path(struct cs_itemlist *list, const char *path,
		 const struct cs_load_opts *opts, struct cs_error *err)
{
	struct walk w;
	struct stat st;
	int rc;

	if (strcmp(path, "-") == 0 || stat(path, &st) < 0 ||
	    !S_ISDIR(st.st_mode))
		return load_file(list, path, opts, 0, err);
	memset(&w, 0, sizeof(w));
	w.list = list;
	w.opts = opts;
	w.err = err;
	rc = walk_dir(&w, path, &st, 0);
	free(w.seen);
	return rc;
}
