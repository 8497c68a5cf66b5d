/*
 * load.c - detection by content (see load.h): DER and PEM buffers, files
 * and stdin, and cs_load_path(), which hands directories to walk.c.
 *
 * DER buffers are split into their top-level structures and each is
 * classified (certificate, CRL, PKCS#7, PKCS#12) by its first few
 * elements; PEM blocks are found by pem.c and their labels decide.
 *
 * Does not: import anything itself (items.c, pkcs7.c and pkcs12.c do),
 * or decode certificate fields.
 */
#include "input/load_int.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "input/der.h"
#include "input/pem.h"

/* First read chunk for streams (stdin, pipes); doubles up to the limit. */
#define CS_READ_CHUNK       ((size_t)64 * 1024)

/* 1.2.840.113549.1.7.2, id-signedData (RFC 2315 section 14). */
static const unsigned char oid_signed_data[] = {
	0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x02,
};
static const unsigned char utf8_bom[] = { 0xef, 0xbb, 0xbf };

/* ------------------------------------------------------------------ */
/* Telling DER structures apart: a fixed number of levels is looked at,
 * so 50,000 nested SEQUENCEs cost nothing. */

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
static int load_one(struct load_ctx *c, enum der_kind k,
		    const unsigned char *der, size_t len,
		    const struct load_pos *at)
{
	switch (k) {
	case DK_CRL:
		return load_push_crl(c, der, len, at);
	case DK_P7:
		return load_p7(c, der, len, at);
	case DK_P12: {
		struct load_pos p12 = *at;

		p12.fmt = CS_FMT_PKCS12;
		return load_p12(c, der, len, &p12);
	}
	default:
		return load_push_cert(c, der, len, at);
	}
}

/* "7 bytes of trailing data after the certificate at offset 1290" */
static int push_trailing(struct load_ctx *c, const struct load_pos *at,
			 size_t n, const char *after)
{
	return load_push_error(c, at, CS_E_PARSE, 0,
			       "%zu byte%s of trailing data after the %s at "
			       "offset %zu", n, n == 1 ? "" : "s", after,
			       at->offset);
}

static int load_der(struct load_ctx *c, size_t start)
{
	const unsigned char *d = c->data;
	enum der_kind k, prev = DK_CERT;
	struct cs_tlv t;
	struct load_pos at;
	size_t off = start, rest, total;
	int r, rc = 0;

	while (off < c->len && rc == 0) {
		rest = c->len - off;
		at.offset = off;
		at.line = 0;
		at.fmt = CS_FMT_DER;
		r = cs_der_read(d + off, rest, &t);
		if (r == CS_DER_INDEFINITE && off == start)
			return load_push_error(c, &at, CS_E_PARSE, 0,
					       "indefinite length (BER) at "
					       "offset %zu: DER needs definite "
					       "lengths", off);
		if ((r != CS_DER_OK && r != CS_DER_TRUNCATED) ||
		    t.tag != TAG_SEQUENCE) {
			if (off == start)
				return 0;
			return push_trailing(c, &at, rest, kind_name(prev));
		}
		if (r == CS_DER_TRUNCATED) {
			if (off == start)
				return load_push_error(c, &at, CS_E_PARSE, 0,
						       "truncated DER: length "
						       "says %" PRIu64
						       " bytes, %zu present",
						       t.total, rest);
			return load_push_error(c, &at, CS_E_PARSE, 0,
					       "truncated DER at offset %zu: "
					       "length says %" PRIu64 " bytes, "
					       "%zu present", off, t.total,
					       rest);
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

/* PEM blocks that are not certificates but are often mistaken for them:
 * said for what they are when a file holds nothing else (RFC 7468). */
static const struct {
	const char *label;
	const char *what;
} other_labels[] = {
	{ "PRIVATE KEY", "a private key" },
	{ "ENCRYPTED PRIVATE KEY", "a private key" },
	{ "RSA PRIVATE KEY", "a private key" },
	{ "EC PRIVATE KEY", "a private key" },
	{ "DSA PRIVATE KEY", "a private key" },
	{ "OPENSSH PRIVATE KEY", "a private key" },
	{ "PUBLIC KEY", "a public key" },
	{ "RSA PUBLIC KEY", "a public key" },
	{ "CERTIFICATE REQUEST", "a certificate signing request (CSR)" },
	{ "NEW CERTIFICATE REQUEST", "a certificate signing request (CSR)" },
	{ "DH PARAMETERS", "key parameters" },
	{ "EC PARAMETERS", "key parameters" },
	{ "X509 CRL REQUEST", "a CRL request" },
};

static const char *pem_other(const unsigned char *label, size_t len)
{
	size_t i;

	for (i = 0; i < sizeof(other_labels) / sizeof(other_labels[0]); i++)
		if (strlen(other_labels[i].label) == len &&
		    memcmp(other_labels[i].label, label, len) == 0)
			return other_labels[i].what;
	return NULL;
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
static int pem_block_items(struct load_ctx *c, enum pem_kind k,
			   const char *label, const unsigned char *der,
			   size_t len, const struct load_pos *at)
{
	struct cs_tlv t;
	size_t used;
	int r, rc;

	if (len == 0)
		return load_push_error(c, at, CS_E_PARSE, 0,
				       "PEM block '%s' at line %zu is empty",
				       label, at->line);
	r = cs_der_read(der, len, &t);
	if ((r != CS_DER_OK && r != CS_DER_TRUNCATED) ||
	    t.tag != TAG_SEQUENCE)
		return load_push_error(c, at, CS_E_PARSE, 0,
				       "PEM block '%s' at line %zu does not "
				       "hold a DER SEQUENCE", label, at->line);
	if (r == CS_DER_TRUNCATED)
		return load_push_error(c, at, CS_E_PARSE, 0,
				       "truncated DER in PEM block '%s' at "
				       "line %zu: length says %" PRIu64
				       " bytes, %zu present", label, at->line,
				       t.total, len);
	used = t.hdr + t.len;
	switch (k) {
	case PK_CRL:
		rc = load_push_crl(c, der, used, at);
		break;
	case PK_P7:
		return load_p7(c, der, used, at);
	default:
		rc = load_push_cert(c, der, used, at);
		break;
	}
	/* TRUSTED CERTIFICATE is the certificate followed by OpenSSL's
	 * X509_CERT_AUX trust settings: only the first TLV is ours. */
	if (rc == 0 && used < len && k != PK_TRUSTED)
		rc = load_push_error(c, at, CS_E_PARSE, 0,
				     "%zu byte%s of trailing data after the %s "
				     "in PEM block '%s' at line %zu",
				     len - used, len - used == 1 ? "" : "s",
				     k == PK_CRL ? "CRL" : "certificate",
				     label, at->line);
	return rc;
}

static int load_pem(struct load_ctx *c, size_t start)
{
	struct cs_pem_scan s;
	struct cs_pem_block b;
	struct load_pos at;
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
				rc = load_push_error(c, &at, CS_E_PARSE, 0,
						     "malformed PEM BEGIN line "
						     "at line %zu", b.line);
			continue;
		}
		k = pem_kind(c->data + b.label, b.label_len);
		if (k == PK_NONE) {
			/* keys, parameters, ...: not ours, but remembered */
			if (!c->other)
				c->other = pem_other(c->data + b.label,
						     b.label_len);
			continue;
		}
		/* label_ok() allowed only printable ASCII. */
		memcpy(label, c->data + b.label, b.label_len);
		label[b.label_len] = '\0';
		if (k == PK_P7)
			at.fmt = CS_FMT_PKCS7_PEM;
		if (b.status == CS_PEM_NO_END) {
			rc = load_push_error(c, &at, CS_E_PARSE, 0,
					     "PEM block '%s' at line %zu has "
					     "no END line", label, b.line);
			continue;
		}
		if (b.status == CS_PEM_BAD_END) {
			rc = load_push_error(c, &at, CS_E_PARSE, 0,
					     "PEM block '%s' at line %zu has "
					     "a malformed or mismatched END "
					     "line", label, b.line);
			continue;
		}
		der = malloc(cs_pem_decoded_max(b.body_len));
		if (!der)
			return cs_error_set(c->err, CS_E_NOMEM,
					    "cannot decode PEM block");
		if (cs_pem_base64_decode(c->data + b.body, b.body_len, der,
					 &der_len, &bad_at) < 0)
			rc = load_push_error(c, &at, CS_E_PARSE, 0,
					     "bad base64 in PEM block '%s' "
					     "(line %zu)", label,
					     cs_pem_line_at(&s,
							    b.body + bad_at));
		else
			rc = pem_block_items(c, k, label, der, der_len, &at);
		free(der);
		der = NULL;
	}
	return rc;
}

/* ------------------------------------------------------------------ */
/* Buffers: DER first, then PEM. */

/* see load.h */
int cs_load_buffer(struct cs_itemlist *list, const unsigned char *data,
		   size_t len, const char *name,
		   const struct cs_load_opts *opts, int quiet_empty,
		   size_t *found, struct cs_error *err)
{
	static const struct cs_load_opts no_opts;
	struct load_ctx c;
	size_t start = 0, before = list->n;
	int rc;

	if (found)
		*found = 0;
	load_ctx_init(&c, list, opts ? opts : &no_opts, name ? name : "-",
		      err);
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
		return load_push_file_error(&c, CS_E_EMPTY, 0,
					    "empty file");
	if (c.len >= 2 && ((data[0] == 0xff && data[1] == 0xfe) ||
			   (data[0] == 0xfe && data[1] == 0xff)))
		return load_push_file_error(&c, CS_E_EMPTY, 0,
					    "no certificate or CRL found: the "
					    "file is UTF-16 text; convert it "
					    "to UTF-8");
	if (c.other && !strcmp(c.other, "a private key"))
		return load_push_file_error(&c, CS_E_EMPTY, 0,
					    "a private key, not a "
					    "certificate; keys are never "
					    "printed");
	if (c.other)
		return load_push_file_error(&c, CS_E_EMPTY, 0,
					    "%s, not a certificate", c.other);
	return load_push_file_error(&c, CS_E_EMPTY, 0,
				    "no certificate or CRL found (not PEM, "
				    "DER, PKCS#7 or PKCS#12)");
}

/* ------------------------------------------------------------------ */
/* Files and stdin (directory trees: walk.c). */

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

/* see load.h */
int cs_load_read_file(const char *path, size_t max, unsigned char **buf,
		      size_t *len, struct cs_error *err)
{
	struct stat st;
	int fd, r, e;
	int is_stdin = strcmp(path, "-") == 0;

	*buf = NULL;
	*len = 0;
	if (max == 0)
		max = CS_MAX_FILE_BYTES;
	fd = is_stdin ? STDIN_FILENO : open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		e = errno;
		cs_error_setx(err, CS_E_IO, "%s", strerror(e));
		err->sys_errno = e;
		return -1;
	}
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) &&
	    (uintmax_t)st.st_size > max) {
		if (!is_stdin)
			close(fd);
		return cs_error_setx(err, CS_E_LIMIT, "file is %jd bytes; the "
				     "limit is %zu bytes",
				     (intmax_t)st.st_size, max);
	}
	r = read_all(fd, max, buf, len);
	e = errno;
	if (!is_stdin)
		close(fd);
	if (r < 0) {
		cs_error_setx(err, CS_E_IO, "%s", strerror(e));
		err->sys_errno = e;
		return -1;
	}
	if (r > 0)
		return cs_error_setx(err, CS_E_LIMIT, "file is more than %zu "
				     "bytes; the limit is %zu bytes", max,
				     max);
	return 0;
}

/* see load_int.h */
int load_file(struct cs_itemlist *list, const char *path,
	      const struct cs_load_opts *opts, int in_tree,
	      struct cs_error *err)
{
	struct load_ctx c;
	struct cs_error rerr;
	unsigned char *buf = NULL;
	size_t len = 0, found = 0;
	int rc;

	load_ctx_init(&c, list, opts, path, err);
	if (cs_load_read_file(path, max_file_bytes(opts), &buf, &len,
			      &rerr) < 0)
		return load_push_file_error(&c, rerr.code, rerr.sys_errno,
					    "%s", rerr.msg);
	rc = cs_load_buffer(list, buf, len, path, opts, in_tree, &found, err);
	if (rc == 0 && in_tree && found == 0)
		list->files_skipped++;
	free(buf);
	return rc;
}

/* see load.h */
int cs_load_path(struct cs_itemlist *list, const char *path,
		 const struct cs_load_opts *opts, struct cs_error *err)
{
	struct stat st;

	if (strcmp(path, "-") == 0 || stat(path, &st) < 0 ||
	    !S_ISDIR(st.st_mode))
		return load_file(list, path, opts, 0, err);
	return load_dir(list, path, &st, opts, err);
}

/* see load.h */
int cs_load_each(const char *path, const struct cs_load_opts *opts,
		 cs_load_each_fn fn, void *ctx, struct cs_error *err)
{
	struct cs_itemlist list;
	struct stat st;
	int rc;

	cs_itemlist_init(&list);
	if (strcmp(path, "-") == 0 || stat(path, &st) < 0 ||
	    !S_ISDIR(st.st_mode)) {
		rc = load_file(&list, path, opts, 0, err);
		if (rc == 0)
			rc = fn(ctx, &list, err);
	} else {
		rc = load_dir_each(&list, path, &st, opts, fn, ctx, err);
	}
	cs_itemlist_free(&list);
	return rc;
}
