/*
 * trust.c - see trust.h.
 *
 * Anchors live in one array and in a hash table keyed by the raw bytes of
 * their subject Name, so cs_trust_find_issuers() returns every anchor
 * whose subject equals a certificate's issuer (several anchors may share
 * a subject: re-keyed roots, cross-signed copies) without looking at any
 * other anchor.
 *
 * Speed: the system and bundled stores hold ~150 roots, of which a run
 * needs one or two.  Parsing all of them with GnuTLS costs more than the
 * whole rest of a `certscope verify` run, so bundle files are only
 * base64-decoded and walked far enough to find the subject and the
 * SubjectPublicKeyInfo (RFC 5280 4.1); an anchor becomes a
 * gnutls_x509_crt_t the first time it is a candidate issuer.  --trust
 * files and directories go through the loader (every format, its
 * messages) without its GnuTLS import, and are indexed the same way.
 *
 * Does not: use a gnutls_x509_trust_list_t (its get_issuer returns one
 * issuer only, and filling it means parsing every anchor), read the
 * environment, or decide whether an anchor should be trusted for a
 * purpose.
 */
#include "path/trust.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <gnutls/gnutls.h>

#include "input/der.h"

#define CS_TRUST_MIN_BUCKETS ((size_t)256) /* power of two */
#define CS_TRUST_MAX_ANCHORS CS_MAX_ITEMS  /* anchors in one store */
#define CS_TRUST_NAME_MAX 512              /* cs_trust_source_name() */
#define CS_TRUST_PATH_MAX 256              /* remembered store paths */
#define CS_TRUST_NONE_IDX SIZE_MAX         /* end of a bucket chain */
#define CS_TRUST_KEYID_MAX 64              /* SKI / AKI bytes compared */

/*
 * Where GnuTLS looks when built with --with-default-trust-store-file on
 * the common distributions; the Debian path (this project's platform)
 * comes first.  When none of them holds a certificate, the GnuTLS API
 * (gnutls_x509_trust_list_add_system_trust) is asked instead, which also
 * covers PKCS#11 trust modules.
 */
#ifndef CS_SYSTEM_TRUST_FILE
#define CS_SYSTEM_TRUST_FILE "/etc/ssl/certs/ca-certificates.crt"
#endif
static const char *const system_files[] = {
	CS_SYSTEM_TRUST_FILE,
	"/etc/pki/tls/certs/ca-bundle.crt",   /* Fedora, RHEL */
	"/etc/ssl/ca-bundle.pem",             /* openSUSE */
	"/etc/ssl/cert.pem",                  /* Alpine, BSDs */
};

struct cs_anchor {
	unsigned char *der;      /* owned: exactly the Certificate TLV */
	size_t der_len;
	size_t subj_off, subj_len; /* the subject Name TLV inside der */
	size_t spki_off, spki_len; /* the SubjectPublicKeyInfo TLV */
	uint64_t hash;           /* of the subject bytes */
	size_t next;             /* next anchor in the bucket chain */
	gnutls_x509_crt_t crt;   /* owned; NULL until first needed */
	int parse_failed;        /* GnuTLS rejected der: never a candidate */
	struct cs_origin origin; /* --trust paths: where it was read (path
				    owned); system and bundled: path NULL */
};

struct cs_trust {
	struct cs_anchor *a;     /* owned array of n anchors */
	size_t n, cap;
	size_t *buckets;         /* owned; first anchor index or NONE */
	size_t nbuckets;         /* power of two */
	enum cs_trust_source source;
	char system_path[CS_TRUST_PATH_MAX];  /* "" = via the GnuTLS API */
	char bundled_path[CS_TRUST_PATH_MAX];
	char name[CS_TRUST_NAME_MAX];
	size_t failed;           /* anchors GnuTLS refused when looked up */
	struct cs_itemlist late; /* those of them read from --trust paths */
};

/* ---- DER walking (RFC 5280 4.1, X.690 8.1; the reader is input/der.h) */

/* Locate subject and SubjectPublicKeyInfo in a Certificate; *cert_len is
 * the length of the Certificate TLV (trailing bytes, e.g. the OpenSSL
 * aux data of a TRUSTED CERTIFICATE, are not part of it).  0 / -1. */
static int der_cert_fields(const unsigned char *p, size_t len,
			   size_t *cert_len, size_t *subj_off,
			   size_t *subj_len, size_t *spki_off,
			   size_t *spki_len, size_t *iss_off,
			   size_t *iss_len)
{
	struct cs_tlv cert, tbs, f;
	size_t pos = 0, off;
	int i;

	if (cs_der_read(p, len, &cert) != CS_DER_OK || cert.tag != 0x30)
		return -1;
	if (!cs_der_child(cert.val, cert.len, &pos, &tbs) || tbs.tag != 0x30)
		return -1;
	pos = 0;
	if (!cs_der_child(tbs.val, tbs.len, &pos, &f))
		return -1;
	if (f.tag == 0xa0 && /* [0] EXPLICIT Version */
	    !cs_der_child(tbs.val, tbs.len, &pos, &f))
		return -1;
	/* serialNumber, signature, issuer, validity, subject, spki */
	for (i = 0; i < 6; i++) {
		if (i > 0 && !cs_der_child(tbs.val, tbs.len, &pos, &f))
			return -1;
		off = (size_t)(f.val - p) - f.hdr; /* of the tag byte */
		if (i == 2) {
			*iss_off = off;
			*iss_len = f.hdr + f.len;
		} else if (i == 4) {
			*subj_off = off;
			*subj_len = f.hdr + f.len;
		} else if (i == 5) {
			*spki_off = off;
			*spki_len = f.hdr + f.len;
		}
		if (i >= 1 && f.tag != 0x30)
			return -1;
	}
	*cert_len = cert.hdr + cert.len;
	return 0;
}

/* FNV-1a, 64 bit: fast and good enough for a table of DNs. */
static uint64_t hash_bytes(const unsigned char *p, size_t len)
{
	uint64_t h = 0xcbf29ce484222325ULL;
	size_t i;

	for (i = 0; i < len; i++) {
		h ^= p[i];
		h *= 0x100000001b3ULL;
	}
	return h;
}

/* ---- the store ---- */

/* see trust.h */
struct cs_trust *cs_trust_new(struct cs_error *err)
{
	struct cs_trust *t = calloc(1, sizeof(*t));
	size_t i;

	if (!t)
		goto nomem;
	t->buckets = malloc(CS_TRUST_MIN_BUCKETS * sizeof(*t->buckets));
	if (!t->buckets)
		goto nomem;
	t->nbuckets = CS_TRUST_MIN_BUCKETS;
	for (i = 0; i < t->nbuckets; i++)
		t->buckets[i] = CS_TRUST_NONE_IDX;
	cs_trust_set_source(t, CS_TRUST_NONE);
	return t;
nomem:
	cs_trust_free(t);
	cs_error_setx(err, CS_E_NOMEM, "out of memory for the trust store");
	return NULL;
}

/* see trust.h */
void cs_trust_free(struct cs_trust *t)
{
	size_t i;

	if (!t)
		return;
	for (i = 0; i < t->n; i++) {
		if (t->a[i].crt)
			gnutls_x509_crt_deinit(t->a[i].crt);
		free(t->a[i].der);
		free(t->a[i].origin.path);
	}
	cs_itemlist_free(&t->late);
	free(t->a);
	free(t->buckets);
	free(t);
}

static int rehash(struct cs_trust *t, size_t nbuckets)
{
	size_t *b = malloc(nbuckets * sizeof(*b));
	size_t i, h;

	if (!b)
		return -1;
	for (i = 0; i < nbuckets; i++)
		b[i] = CS_TRUST_NONE_IDX;
	for (i = 0; i < t->n; i++) {
		h = (size_t)(t->a[i].hash & (nbuckets - 1));
		t->a[i].next = b[h];
		b[h] = i;
	}
	free(t->buckets);
	t->buckets = b;
	t->nbuckets = nbuckets;
	return 0;
}

static const unsigned char *subj(const struct cs_anchor *a)
{
	return a->der + a->subj_off;
}

/*
 * Add one certificate.  der (cert_len bytes, the Certificate TLV) is
 * copied when own_der is 0 and taken over when it is 1; crt (may be NULL:
 * parsed later) is always taken over, also on failure and for
 * duplicates; origin (NULL for the system and bundled stores) is copied.
 * Returns 1 added, 0 duplicate or not a certificate, -1 out of memory /
 * limit.
 */
static int add_der(struct cs_trust *t, unsigned char *der, size_t len,
		   int own_der, gnutls_x509_crt_t crt,
		   const struct cs_origin *origin, struct cs_error *err)
{
	struct cs_anchor a = {0};
	size_t cert_len, iss_off, iss_len, i;
	int rc = 0;

	if (der_cert_fields(der, len, &cert_len, &a.subj_off, &a.subj_len,
			    &a.spki_off, &a.spki_len, &iss_off,
			    &iss_len) < 0)
		goto out; /* not a certificate: skipped */
	a.der_len = cert_len;
	a.hash = hash_bytes(der + a.subj_off, a.subj_len);

	/* Dedupe identical DER: the same root in two bundles, or a hashed
	 * directory's symlink next to its target. */
	for (i = t->buckets[a.hash & (t->nbuckets - 1)];
	     i != CS_TRUST_NONE_IDX; i = t->a[i].next) {
		if (t->a[i].der_len == cert_len &&
		    !memcmp(t->a[i].der, der, cert_len))
			goto out;
	}
	if (t->n >= CS_TRUST_MAX_ANCHORS) {
		rc = cs_error_setx(err, CS_E_LIMIT,
				   "more than %zu trust anchors",
				   (size_t)CS_TRUST_MAX_ANCHORS);
		goto out;
	}
	if (t->n == t->cap) {
		size_t ncap = t->cap ? t->cap * 2 : 64;
		struct cs_anchor *na = realloc(t->a, ncap * sizeof(*na));
		if (!na)
			goto nomem;
		t->a = na;
		t->cap = ncap;
	}
	if (origin) {
		a.origin = *origin;
		a.origin.path = strdup(origin->path ? origin->path : "");
		if (!a.origin.path)
			goto nomem;
	}
	if (own_der) {
		a.der = der;
		der = NULL;
	} else {
		a.der = malloc(cert_len);
		if (!a.der) {
			free(a.origin.path);
			goto nomem;
		}
		memcpy(a.der, der, cert_len);
	}
	a.crt = crt;
	crt = NULL;
	i = a.hash & (t->nbuckets - 1);
	a.next = t->buckets[i];
	t->a[t->n] = a;
	t->buckets[i] = t->n++;
	rc = 1;
	if (t->n > t->nbuckets && rehash(t, t->nbuckets * 2) < 0)
		goto nomem;
	goto out;
nomem:
	rc = cs_error_setx(err, CS_E_NOMEM,
			   "out of memory for the trust store");
out:
	if (own_der)
		free(der);
	if (crt)
		gnutls_x509_crt_deinit(crt);
	return rc;
}

/* ---- PEM bundles (RFC 7468) for the system and bundled stores ---- */

/* base64 alphabet (RFC 4648 section 4) -> value; 64 = whitespace to
 * skip, 65 = '=' (end), 255 = not base64.  A table because the system
 * bundle is ~200 KB of base64 decoded on every run. */
static unsigned char b64_table[256];

static void b64_init(void)
{
	static const char alpha[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
		"0123456789+/";
	size_t i;

	if (b64_table['A'] == 0 && b64_table['B'] == 1)
		return;
	memset(b64_table, 255, sizeof(b64_table));
	for (i = 0; i < 64; i++)
		b64_table[(unsigned char)alpha[i]] = (unsigned char)i;
	b64_table[' '] = b64_table['\t'] = b64_table['\r'] =
		b64_table['\n'] = 64;
	b64_table['='] = 65;
}

/* Decode base64 in[0..len) into out (>= len * 3 / 4 bytes), skipping
 * whitespace (RFC 7468 section 3).  Returns the decoded length, -1 on a
 * character that is not base64. */
static long b64_decode(const unsigned char *in, size_t len,
		       unsigned char *out)
{
	unsigned acc = 0, bits = 0, v;
	size_t i, o = 0;

	b64_init();
	for (i = 0; i < len; i++) {
		v = b64_table[in[i]];
		if (v >= 64) {
			if (v == 64)
				continue;
			if (v == 65)
				break;
			return -1;
		}
		acc = (acc << 6) | v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			out[o++] = (unsigned char)(acc >> bits);
			acc &= (1u << bits) - 1;
		}
	}
	return (long)o;
}

static const char *const cert_labels[] = {
	"CERTIFICATE-----", "TRUSTED CERTIFICATE-----",
	"X509 CERTIFICATE-----",
};

/* Add every certificate block of a PEM buffer.  Returns the number of
 * anchors added, -1 on out of memory; *blocks counts blocks seen. */
static long add_pem_buffer(struct cs_trust *t, const unsigned char *buf,
			   size_t len, size_t *blocks, struct cs_error *err)
{
	static const char begin[] = "-----BEGIN ";
	static const char end_mark[] = "-----END ";
	const unsigned char *p = buf, *stop = buf + len, *body, *e;
	unsigned char *der = NULL;
	long added = 0, dl;
	size_t k, lab;
	int rc;

	*blocks = 0;
	while (p < stop) {
		p = memmem(p, (size_t)(stop - p), begin, sizeof(begin) - 1);
		if (!p)
			break;
		p += sizeof(begin) - 1;
		lab = 0;
		for (k = 0; k < sizeof(cert_labels) / sizeof(*cert_labels);
		     k++) {
			lab = strlen(cert_labels[k]);
			if ((size_t)(stop - p) >= lab &&
			    !memcmp(p, cert_labels[k], lab))
				break;
			lab = 0;
		}
		if (!lab)
			continue; /* a CRL, a key, ...: not an anchor */
		body = p + lab;
		e = memmem(body, (size_t)(stop - body), end_mark,
			   sizeof(end_mark) - 1);
		if (!e)
			break;
		(*blocks)++;
		der = malloc((size_t)(e - body) / 4 * 3 + 3);
		if (!der)
			return cs_error_setx(err, CS_E_NOMEM,
					     "out of memory for the trust store");
		dl = b64_decode(body, (size_t)(e - body), der);
		if (dl > 0) {
			rc = add_der(t, der, (size_t)dl, 1, NULL, NULL, err);
			der = NULL; /* taken over */
			if (rc < 0)
				return -1;
			added += rc;
		}
		free(der);
		der = NULL;
		p = e;
	}
	return added;
}

/* Read a whole regular file (at most CS_MAX_FILE_BYTES).  0 / -1; a file
 * that does not exist gives -1 with err->sys_errno == ENOENT. */
static int read_file(const char *path, unsigned char **out, size_t *len,
		     struct cs_error *err)
{
	FILE *f = NULL;
	unsigned char *buf = NULL;
	struct stat st;
	size_t n;
	int rc = -1;

	*out = NULL;
	*len = 0;
	f = fopen(path, "rb");
	if (!f) {
		cs_error_set(err, CS_E_IO, "cannot open %s", path);
		goto out;
	}
	if (fstat(fileno(f), &st) < 0) {
		cs_error_set(err, CS_E_IO, "cannot stat %s", path);
		goto out;
	}
	if (!S_ISREG(st.st_mode)) {
		cs_error_setx(err, CS_E_IO, "%s is not a regular file", path);
		goto out;
	}
	if ((uintmax_t)st.st_size > CS_MAX_FILE_BYTES) {
		cs_error_setx(err, CS_E_LIMIT,
			      "%s is larger than %zu bytes", path,
			      CS_MAX_FILE_BYTES);
		goto out;
	}
	buf = malloc((size_t)st.st_size + 1);
	if (!buf) {
		cs_error_setx(err, CS_E_NOMEM, "out of memory reading %s",
			      path);
		goto out;
	}
	n = fread(buf, 1, (size_t)st.st_size, f);
	if (ferror(f)) {
		cs_error_set(err, CS_E_IO, "cannot read %s", path);
		goto out;
	}
	*out = buf;
	*len = n;
	buf = NULL;
	rc = 0;
out:
	free(buf);
	if (f)
		fclose(f);
	return rc;
}

/* Add a PEM bundle file.  Returns anchors added (0: only duplicates),
 * -1 with *err, also when the file holds no certificate block. */
static long add_bundle_file(struct cs_trust *t, const char *path,
			    struct cs_error *err)
{
	unsigned char *buf = NULL;
	size_t len, blocks = 0;
	long n;

	if (read_file(path, &buf, &len, err) < 0)
		return -1;
	n = add_pem_buffer(t, buf, len, &blocks, err);
	free(buf);
	if (n == 0 && blocks == 0)
		return cs_error_setx(err, CS_E_EMPTY,
				     "%s: no PEM certificate found", path);
	return n;
}

static void copy_path(char *dst, const char *src)
{
	snprintf(dst, CS_TRUST_PATH_MAX, "%s", src);
}

/* Move *it to the end of l (l owns it, *it is emptied).  0 / -1. */
static int move_item(struct cs_itemlist *l, struct cs_item *it)
{
	if (l->n == l->cap) {
		size_t ncap = l->cap ? l->cap * 2 : 8;
		struct cs_item *grown = realloc(l->items,
						ncap * sizeof(*grown));

		if (!grown)
			return -1;
		l->items = grown;
		l->cap = ncap;
	}
	/* the item's owned origin path and DER go along */
	l->items[l->n++] = *it;
	/* emptied: a CERT item with NULL pointers */
	memset(it, 0, sizeof(*it));
	return 0;
}

/* Make certificate item *it the error item the loader would have made
 * had it imported it (it did not: cs_load_opts.defer_import). */
static void item_refused(struct cs_item *it, const struct cs_error *e)
{
	free(it->der);
	it->der = NULL;
	it->der_len = 0;
	it->kind = CS_ITEM_ERROR;
	it->err = *e;
}

/*
 * see trust.h.  The files are read with the loader (every format, the
 * same origins, limits and messages), but certificates are indexed from
 * their DER without a GnuTLS import, as the system store's are: a
 * bundle of 145 anchors is only base64-decoded and walked, and only the
 * anchors a lookup needs are decoded (anchor_crt).  The first
 * certificates are decoded here until GnuTLS accepts one, so a path whose
 * certificates GnuTLS all refuses is an error, with every refusal
 * reported in place, as when each was imported on loading.
 */
int cs_trust_add_path(struct cs_trust *t, const char *path,
		      struct cs_itemlist *problems, struct cs_error *err)
{
	/* a hashed directory's HASH.0 links lead to the files beside them:
	 * each is read once (its anchors would be deduplicated anyway) */
	struct cs_load_opts lo = {.defer_import = true,
				  .skip_seen_files = true};
	struct cs_itemlist list;
	struct cs_error first_err, e;
	size_t i, certs = 0;
	bool accepted = false;
	int rc = -1, r;

	cs_error_clear(&first_err);
	cs_itemlist_init(&list);
	if (cs_load_path(&list, path, &lo, err) < 0)
		goto out;
	for (i = 0; i < list.n; i++) {
		struct cs_item *it = &list.items[i];
		gnutls_x509_crt_t crt = NULL;

		if (it->kind == CS_ITEM_CERT && it->der && !accepted) {
			r = cs_cert_import(&crt, it->der, it->der_len,
					   &it->origin, &e);
			if (r == -2) {
				*err = e;
				goto out;
			}
			if (r < 0)
				item_refused(it, &e);
			else
				accepted = true;
		}
		if (it->kind == CS_ITEM_ERROR && first_err.code == CS_E_OK)
			first_err = it->err;
		if (it->kind != CS_ITEM_CERT || !it->der)
			continue;
		certs++;
		/* The DER is copied (the loader's buffer may hold trailing
		 * aux data); the one decoded certificate is taken over. */
		r = add_der(t, it->der, it->der_len, 0, crt, &it->origin, err);
		if (r < 0)
			goto out;
	}
	if (problems) {
		for (i = 0; i < list.n; i++) {
			if (list.items[i].kind != CS_ITEM_ERROR)
				continue;
			if (move_item(problems, &list.items[i]) < 0) {
				cs_error_setx(err, CS_E_NOMEM,
					      "out of memory");
				goto out;
			}
		}
	}
	if (certs == 0) {
		if (first_err.code != CS_E_OK)
			*err = first_err;
		else
			cs_error_setx(err, CS_E_EMPTY,
				      "%s: no certificate found", path);
		goto out;
	}
	rc = 0;
out:
	cs_itemlist_free(&list);
	return rc;
}

/* Ask GnuTLS for its system trust (it may be a PKCS#11 module or a
 * directory) and copy out every CA.  Returns anchors added or -1. */
static int add_system_api(struct cs_trust *t, struct cs_error *err)
{
	gnutls_x509_trust_list_t tl = NULL;
	gnutls_x509_trust_list_iter_t iter = NULL;
	gnutls_x509_crt_t crt = NULL;
	gnutls_datum_t der = {NULL, 0};
	int rc = -1, r, added = 0;

	r = gnutls_x509_trust_list_init(&tl, 0);
	if (r < 0) {
		cs_error_setlib(err, CS_E_INTERNAL, r,
				"cannot create a trust list: %s",
				gnutls_strerror(r));
		goto out;
	}
	r = gnutls_x509_trust_list_add_system_trust(tl, 0, 0);
	if (r <= 0) {
		rc = 0; /* no system store */
		goto out;
	}
	while (gnutls_x509_trust_list_iter_get_ca(tl, &iter, &crt) == 0) {
		r = gnutls_x509_crt_export2(crt, GNUTLS_X509_FMT_DER, &der);
		if (r >= 0) {
			r = add_der(t, der.data, der.size, 0, crt, NULL, err);
			crt = NULL; /* taken over */
			if (r < 0)
				goto out;
			added += r;
		}
		gnutls_free(der.data);
		der.data = NULL;
		if (crt)
			gnutls_x509_crt_deinit(crt);
		crt = NULL;
	}
	rc = added;
out:
	gnutls_x509_trust_list_iter_deinit(iter);
	gnutls_free(der.data);
	if (tl)
		gnutls_x509_trust_list_deinit(tl, 1);
	return rc;
}

static void update_name(struct cs_trust *t);

/* see trust.h */
int cs_trust_add_system(struct cs_trust *t, struct cs_error *err)
{
	struct cs_error e2;
	size_t i;
	long n;
	int r;

	for (i = 0; i < sizeof(system_files) / sizeof(*system_files); i++) {
		cs_error_clear(&e2);
		n = add_bundle_file(t, system_files[i], &e2);
		if (n < 0 && e2.code == CS_E_NOMEM) {
			*err = e2;
			return -1;
		}
		if (n >= 0) {
			copy_path(t->system_path, system_files[i]);
			update_name(t);
			return n > INT32_MAX ? INT32_MAX : (int)n;
		}
	}
	r = add_system_api(t, err);
	t->system_path[0] = '\0';
	update_name(t);
	return r;
}

/* see trust.h */
int cs_trust_add_bundled(struct cs_trust *t, const char *file,
			 struct cs_error *err)
{
	long n = add_bundle_file(t, file, err);

	if (n < 0)
		return -1;
	copy_path(t->bundled_path, file);
	update_name(t);
	return n > INT32_MAX ? INT32_MAX : (int)n;
}

/* see trust.h */
size_t cs_trust_count(const struct cs_trust *t)
{
	return t ? t->n - t->failed : 0;
}

/* see trust.h */
const struct cs_itemlist *cs_trust_late_problems(const struct cs_trust *t)
{
	return &t->late;
}

static void update_name(struct cs_trust *t)
{
	const char *sys = t->system_path[0] ? t->system_path : "GnuTLS";

	switch (t->source) {
	case CS_TRUST_FILES:
		snprintf(t->name, sizeof(t->name), "--trust files");
		break;
	case CS_TRUST_SYSTEM:
		snprintf(t->name, sizeof(t->name), "system store (%s)", sys);
		break;
	case CS_TRUST_BUNDLED:
		snprintf(t->name, sizeof(t->name), "bundled store (%s)",
			 t->bundled_path);
		break;
	case CS_TRUST_FILES_AND_SYSTEM:
		snprintf(t->name, sizeof(t->name),
			 "--trust files and system store (%s)", sys);
		break;
	case CS_TRUST_NONE:
	default:
		snprintf(t->name, sizeof(t->name), "no trust store");
		break;
	}
}

/* see trust.h */
void cs_trust_set_source(struct cs_trust *t, enum cs_trust_source s)
{
	t->source = s;
	update_name(t);
}

/* see trust.h */
enum cs_trust_source cs_trust_source(const struct cs_trust *t)
{
	return t->source;
}

/* see trust.h */
const char *cs_trust_source_name(const struct cs_trust *t)
{
	return t->name;
}

/* ---- lookup ---- */

/* Anchor a was refused by GnuTLS on first use: it is no anchor, and one
 * read from a --trust path becomes a late problem with the loader's
 * message (out of memory only loses the report). */
static void anchor_refused(struct cs_trust *t, struct cs_anchor *a,
			   const struct cs_error *e)
{
	struct cs_item it;

	a->parse_failed = 1;
	t->failed++;
	if (!a->origin.path)
		return;
	memset(&it, 0, sizeof(it));
	it.kind = CS_ITEM_ERROR;
	it.err = *e;
	it.origin = a->origin;
	it.origin.path = strdup(a->origin.path);
	if (!it.origin.path || move_item(&t->late, &it) < 0)
		free(it.origin.path);
}

/* The parsed certificate of anchor i, parsing it on first use.  The
 * store is logically const: this only fills a cache (the array itself was
 * allocated non-const, so writing through the cast is defined).  Not
 * thread-safe, like the rest of the store.  NULL if GnuTLS rejects it. */
static gnutls_x509_crt_t anchor_crt(const struct cs_trust *t, size_t i)
{
	struct cs_trust *tw = (struct cs_trust *)t;
	struct cs_anchor *a = &tw->a[i];
	struct cs_error e;
	int r;

	if (a->crt || a->parse_failed)
		return a->crt;
	/* the loader's bounds and messages (element count, then GnuTLS) */
	r = cs_cert_import(&a->crt, a->der, a->der_len,
			   a->origin.path ? &a->origin : NULL, &e);
	if (r == -1)
		anchor_refused(tw, a, &e);
	return a->crt;
}

/* The DER of cert (caller gnutls_free()s d->data), and where its issuer,
 * subject and key are.  0 / -1. */
struct cert_view {
	gnutls_datum_t der;
	size_t iss_off, iss_len, subj_off, subj_len, spki_off, spki_len;
};

static int view_cert(gnutls_x509_crt_t cert, struct cert_view *v)
{
	size_t cert_len;

	memset(v, 0, sizeof(*v));
	if (!cert ||
	    gnutls_x509_crt_export2(cert, GNUTLS_X509_FMT_DER, &v->der) < 0)
		return -1;
	if (der_cert_fields(v->der.data, v->der.size, &cert_len,
			    &v->subj_off, &v->subj_len, &v->spki_off,
			    &v->spki_len, &v->iss_off, &v->iss_len) < 0) {
		gnutls_free(v->der.data);
		v->der.data = NULL;
		return -1;
	}
	return 0;
}

/* How well anchor crt matches cert's authorityKeyIdentifier (RFC 5280
 * 4.2.1.1): 0 key ids equal, 1 one of them absent, 2 different. */
static int keyid_rank(gnutls_x509_crt_t anchor, const unsigned char *aki,
		      size_t aki_len)
{
	unsigned char ski[CS_TRUST_KEYID_MAX];
	size_t ski_len = sizeof(ski);

	if (!aki_len)
		return 1;
	if (gnutls_x509_crt_get_subject_key_id(anchor, ski, &ski_len,
					       NULL) < 0)
		return 1;
	return ski_len == aki_len && !memcmp(ski, aki, aki_len) ? 0 : 2;
}

/* see trust.h */
size_t cs_trust_find_issuers(const struct cs_trust *t, gnutls_x509_crt_t cert,
			     gnutls_x509_crt_t *out, size_t max)
{
	struct cert_view v;
	unsigned char aki[CS_TRUST_KEYID_MAX];
	size_t aki_len = sizeof(aki), i, n = 0;
	const unsigned char *iss;
	uint64_t h;
	int rank;

	if (!t || !out || max == 0 || view_cert(cert, &v) < 0)
		return 0;
	if (gnutls_x509_crt_get_authority_key_id(cert, aki, &aki_len,
						 NULL) < 0)
		aki_len = 0;
	iss = v.der.data + v.iss_off;
	h = hash_bytes(iss, v.iss_len);
	/* Three passes so that anchors whose subjectKeyIdentifier matches
	 * the authorityKeyIdentifier come first when more than max share
	 * the name; every anchor with the name is still returned. */
	for (rank = 0; rank < 3 && n < max; rank++) {
		for (i = t->buckets[h & (t->nbuckets - 1)];
		     i != CS_TRUST_NONE_IDX && n < max; i = t->a[i].next) {
			const struct cs_anchor *a = &t->a[i];
			gnutls_x509_crt_t c;
			if (a->hash != h || a->subj_len != v.iss_len ||
			    memcmp(subj(a), iss, v.iss_len))
				continue;
			c = anchor_crt(t, i);
			if (!c || keyid_rank(c, aki, aki_len) != rank)
				continue;
			out[n++] = c;
		}
	}
	gnutls_free(v.der.data);
	return n;
}

/* Walk the anchors with cert's subject; mode 0: same DER, 1: same SPKI. */
static bool find_same(const struct cs_trust *t, gnutls_x509_crt_t cert,
		      int mode)
{
	struct cert_view v;
	const unsigned char *s;
	bool found = false;
	size_t i;
	uint64_t h;

	if (!t || view_cert(cert, &v) < 0)
		return false;
	s = v.der.data + v.subj_off;
	h = hash_bytes(s, v.subj_len);
	for (i = t->buckets[h & (t->nbuckets - 1)];
	     i != CS_TRUST_NONE_IDX && !found; i = t->a[i].next) {
		const struct cs_anchor *a = &t->a[i];
		if (a->hash != h || a->subj_len != v.subj_len ||
		    memcmp(subj(a), s, v.subj_len))
			continue;
		/* what a --trust path holds is an anchor once GnuTLS has
		 * accepted it, as when the loader imported each one */
		if (a->origin.path && !anchor_crt(t, i))
			continue;
		if (mode == 0)
			found = a->der_len == v.der.size &&
				!memcmp(a->der, v.der.data, a->der_len);
		else
			found = a->spki_len == v.spki_len &&
				!memcmp(a->der + a->spki_off,
					v.der.data + v.spki_off, a->spki_len);
	}
	gnutls_free(v.der.data);
	return found;
}

/* see trust.h */
bool cs_trust_contains(const struct cs_trust *t, gnutls_x509_crt_t cert)
{
	return find_same(t, cert, 0);
}

/* see trust.h */
bool cs_trust_contains_key(const struct cs_trust *t, gnutls_x509_crt_t cert)
{
	return find_same(t, cert, 1);
}
