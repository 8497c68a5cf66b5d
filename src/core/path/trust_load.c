/*
 * trust_load.c - reading trust anchors: the system store (the usual
 * bundle files, else GnuTLS's system trust, PKCS#11 included), the
 * bundled Mozilla snapshot, and --trust files and directories through the
 * loader; each certificate indexed from its DER (trust.c), decoded by
 * GnuTLS only when a lookup needs it.
 *
 * Does not: look anchors up (trust.c), read the environment, or decide
 * whether an anchor should be trusted for a purpose.
 */
#include "path/trust_int.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <gnutls/gnutls.h>
#include <unistd.h>

#include "cs_config.h"

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
			rc = trust_add_der(t, der, (size_t)dl, 1, NULL, NULL, err);
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
int trust_move_item(struct cs_itemlist *l, struct cs_item *it)
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
 * anchors a lookup needs are decoded (trust_anchor_crt).  The first
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
		r = trust_add_der(t, it->der, it->der_len, 0, crt, &it->origin, err);
		if (r < 0)
			goto out;
	}
	if (problems) {
		for (i = 0; i < list.n; i++) {
			if (list.items[i].kind != CS_ITEM_ERROR)
				continue;
			if (trust_move_item(problems, &list.items[i]) < 0) {
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
			r = trust_add_der(t, der.data, der.size, 0, crt, NULL, err);
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
			trust_update_name(t);
			return n > INT32_MAX ? INT32_MAX : (int)n;
		}
	}
	r = add_system_api(t, err);
	t->system_path[0] = '\0';
	trust_update_name(t);
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
	trust_update_name(t);
	return n > INT32_MAX ? INT32_MAX : (int)n;
}


/* see trust.h */
int cs_trust_add_bundled_default(struct cs_trust *t, struct cs_error *err)
{
	return cs_trust_add_bundled(t, access(CS_BUNDLED_TRUST, R_OK) == 0 ?
				    CS_BUNDLED_TRUST : CS_SOURCE_TRUST, err);
}
