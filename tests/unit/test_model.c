/* test_model.c - the certificate model (src/core/model.c) on the test PKI,
 * the synthetic edge cases and the whole shared corpus.
 *
 * Certificates are imported here with gnutls_x509_crt_import from the
 * file bytes, so these tests do not depend on the loader.  Expected
 * digests, serials and times are recomputed through independent GnuTLS
 * calls where possible rather than copied from the model's output. */
#include <dirent.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <cmocka.h>

#include <gnutls/abstract.h>
#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>

#include "x509/model.h"

/* Largest test input we read (the biggest corpus file is ~64 KiB). */
#define TEST_MAX_FILE (4u << 20)

#define assert_cs_ok(rc, err)                                              \
	do {                                                               \
		if ((rc) != 0)                                             \
			fail_msg("core call failed: %s (%s)", (err)->msg, \
				 cs_error_name((err)->code));              \
	} while (0)

/* A certificate and the bytes it came from (DER for .der files). */
struct loaded {
	gnutls_x509_crt_t crt;
	unsigned char *bytes;
	size_t len;
	bool pem;
};

static unsigned char *read_path(const char *path, size_t *len)
{
	unsigned char *buf = NULL;
	struct stat st;
	FILE *f;

	f = fopen(path, "rb");
	if (f == NULL)
		return NULL;
	if (fstat(fileno(f), &st) < 0 || st.st_size > TEST_MAX_FILE)
		goto out;
	buf = malloc((size_t)st.st_size + 1);
	if (buf == NULL)
		goto out;
	*len = fread(buf, 1, (size_t)st.st_size, f);
out:
	fclose(f);
	return buf;
}

/* Full path of a testcerts/ file ($CS_TESTCERTS set by meson). */
static void testcert_path(char *out, size_t outsz, const char *rel)
{
	const char *dir = getenv("CS_TESTCERTS");

	snprintf(out, outsz, "%s/%s", dir != NULL ? dir : "testcerts", rel);
}

/* Directory of the shared corpus, or NULL if it is not on this machine. */
static const char *corpus_dir(char *out, size_t outsz)
{
	const char *shared = getenv("CS_SHARED");
	struct stat st;

	snprintf(out, outsz, "%s/corpus",
		 shared != NULL ? shared : "/work/shared");
	if (stat(out, &st) < 0 || !S_ISDIR(st.st_mode))
		return NULL;
	return out;
}

/* Import a file: 0, or a negative GnuTLS code. */
static int load_path(struct loaded *l, const char *path)
{
	gnutls_datum_t d;
	int ret;

	memset(l, 0, sizeof(*l));
	l->bytes = read_path(path, &l->len);
	if (l->bytes == NULL)
		return GNUTLS_E_FILE_ERROR;
	l->pem = strstr(path, ".pem") != NULL;
	ret = gnutls_x509_crt_init(&l->crt);
	if (ret < 0)
		return ret;
	d.data = l->bytes;
	d.size = (unsigned)l->len;
	return gnutls_x509_crt_import(l->crt, &d,
				      l->pem ? GNUTLS_X509_FMT_PEM
					     : GNUTLS_X509_FMT_DER);
}

static void loaded_free(struct loaded *l)
{
	if (l->crt != NULL)
		gnutls_x509_crt_deinit(l->crt);
	free(l->bytes);
	memset(l, 0, sizeof(*l));
}

/* Load path (testcerts-relative unless absolute) and build its model;
 * fails the test on any error. */
static void model_of(struct cs_cert_model *m, struct loaded *l,
		     const char *rel)
{
	struct cs_error err;
	char path[4096];
	int rc;

	if (rel[0] == '/')
		snprintf(path, sizeof(path), "%s", rel);
	else
		testcert_path(path, sizeof(path), rel);
	rc = load_path(l, path);
	if (rc < 0)
		fail_msg("cannot import %s: %s", path, gnutls_strerror(rc));
	cs_error_clear(&err);
	/* PEM: let the model re-export the DER itself. */
	rc = cs_model_from_crt(m, l->crt, l->pem ? NULL : l->bytes,
			       l->pem ? 0 : l->len, &err);
	assert_cs_ok(rc, &err);
}

static bool has_warning(const struct cs_cert_model *m, const char *sub)
{
	for (size_t i = 0; i < m->warnings.n; i++)
		if (strstr(m->warnings.v[i], sub) != NULL)
			return true;
	return false;
}

static bool strlist_has(const struct cs_strlist *l, const char *s)
{
	for (size_t i = 0; i < l->n; i++)
		if (strcmp(l->v[i], s) == 0)
			return true;
	return false;
}

static const struct cs_name *find_name(const struct cs_namelist *l,
				       enum cs_san_type type, const char *v)
{
	for (size_t i = 0; i < l->n; i++)
		if (l->v[i].type == type && strcmp(l->v[i].value, v) == 0)
			return &l->v[i];
	return NULL;
}

static const struct cs_ext *find_ext(const struct cs_cert_model *m,
				     const char *oid)
{
	for (size_t i = 0; i < m->n_exts; i++)
		if (strcmp(m->exts[i].oid, oid) == 0)
			return &m->exts[i];
	return NULL;
}

static void dump_warnings(const struct cs_cert_model *m)
{
	for (size_t i = 0; i < m->warnings.n; i++)
		print_message("#   warning: %s\n", m->warnings.v[i]);
}

/* ---- ee-full: every field ----------------------------------------- */

static void test_model_ee_full_names_and_serial(void **state)
{
	struct cs_cert_model m;
	struct loaded l;
	unsigned char serial[64];
	size_t serial_len = sizeof(serial);
	char want_hex[200];
	const struct cs_name *n;

	(void)state;
	model_of(&m, &l, "pki/ee-full.pem");
	assert_int_equal(m.version, 3);
	assert_non_null(strstr(m.subject, "CN=www.example.test"));
	assert_non_null(strstr(m.issuer, "CN=certscope Test Intermediate RSA"));
	assert_string_equal(m.subject_cn, "www.example.test");
	assert_int_equal(m.subject_cn_len, strlen("www.example.test"));
	assert_false(m.self_issued);
	assert_false(m.self_signed);

	/* serial: same bytes as GnuTLS's own getter */
	assert_int_equal(gnutls_x509_crt_get_serial(l.crt, serial,
						    &serial_len), 0);
	cs_hex_colon(want_hex, sizeof(want_hex), serial, serial_len);
	assert_string_equal(m.serial_hex, want_hex);
	assert_int_equal(m.serial_len, serial_len);
	assert_false(m.serial_negative);

	/* validity agrees with GnuTLS for dates it can represent */
	assert_int_equal(m.not_before,
			 gnutls_x509_crt_get_activation_time(l.crt));
	assert_int_equal(m.not_after,
			 gnutls_x509_crt_get_expiration_time(l.crt));
	assert_true(m.not_before_utc && m.not_after_utc);
	assert_int_equal(strlen(m.not_after_raw), 13); /* YYMMDDHHMMSSZ */

	/* one SAN of each type the generator put in */
	assert_non_null(find_name(&m.sans, CS_SAN_DNS, "www.example.test"));
	assert_non_null(find_name(&m.sans, CS_SAN_DNS, "example.test"));
	n = find_name(&m.sans, CS_SAN_IP, "192.0.2.10");
	assert_non_null(n);
	assert_int_equal(n->raw_len, 4);
	assert_memory_equal(n->raw, "\xc0\x00\x02\x0a", 4);
	n = find_name(&m.sans, CS_SAN_IP, "2001:db8::10");
	assert_non_null(n);
	assert_int_equal(n->raw_len, 16);
	assert_int_equal(n->raw[15], 0x10);
	n = find_name(&m.sans, CS_SAN_EMAIL, "alice@example.test");
	assert_non_null(n);
	assert_int_equal(n->len, strlen("alice@example.test"));
	assert_non_null(
		find_name(&m.sans, CS_SAN_URI, "https://www.example.test/"));
	assert_int_equal(m.sans.n, 6);
	assert_int_equal(m.warnings.n, 0);

	cs_model_free(&m);
	loaded_free(&l);
}

static void test_model_ee_full_extensions(void **state)
{
	struct cs_cert_model m, ica;
	struct loaded l, li;
	const struct cs_ext *e;

	(void)state;
	model_of(&m, &l, "pki/ee-full.pem");

	assert_true(m.has_basic_constraints);
	assert_true(m.bc_critical);
	assert_false(m.is_ca);
	assert_int_equal(m.path_len, -1);

	assert_true(m.has_key_usage);
	assert_true(m.ku_critical);
	assert_int_equal(m.key_usage,
			 CS_KU_DIGITAL_SIGNATURE | CS_KU_KEY_ENCIPHERMENT);

	assert_true(m.has_eku);
	assert_int_equal(m.eku.n, 2);
	assert_true(strlist_has(&m.eku, "1.3.6.1.5.5.7.3.1")); /* server */
	assert_true(strlist_has(&m.eku, "1.3.6.1.5.5.7.3.2")); /* client */

	assert_true(strlist_has(&m.ocsp_urls, "http://ocsp.example.test"));
	assert_true(strlist_has(&m.ca_issuer_urls,
				"http://ca.example.test/ica.der"));
	assert_true(strlist_has(&m.crl_urls,
				"http://crl.example.test/ica.crl"));
	assert_true(strlist_has(&m.policies, "2.23.140.1.2.1"));

	/* RFC 6962 SCT: version 1, 32-byte log id, 2025-01-01 */
	assert_int_equal(m.n_scts, 1);
	assert_int_equal(m.scts[0].version, 1);
	assert_int_equal(strlen(m.scts[0].log_id_b64), 44);
	assert_int_equal(m.scts[0].timestamp,
			 cs_time_from_civil(2025, 1, 1, 0, 0, 0));

	/* every extension listed, all decoded, criticality kept */
	assert_int_equal(m.n_exts, 10);
	for (size_t i = 0; i < m.n_exts; i++)
		assert_true(m.exts[i].known);
	e = find_ext(&m, "2.5.29.15");
	assert_non_null(e);
	assert_true(e->critical);
	e = find_ext(&m, "1.3.6.1.4.1.11129.2.4.2");
	assert_non_null(e);
	assert_false(e->critical);

	/* AKI of the leaf is the SKI of its issuer */
	assert_int_equal(strlen(m.ski_hex), 20 * 3 - 1);
	model_of(&ica, &li, "pki/ica-rsa.pem");
	assert_string_equal(m.aki_hex, ica.ski_hex);
	assert_string_not_equal(m.ski_hex, ica.ski_hex);

	assert_false(m.has_name_constraints);
	cs_model_free(&ica);
	loaded_free(&li);
	cs_model_free(&m);
	loaded_free(&l);
}

/* SHA-256/SHA-1 over the DER and the SPKI pin, recomputed independently. */
static void test_model_digests_and_pin(void **state)
{
	gnutls_datum_t der = {NULL, 0}, spki = {NULL, 0}, b64 = {NULL, 0};
	unsigned char want256[32], want1[20], spki_hash[32];
	gnutls_pubkey_t pub;
	struct cs_cert_model m;
	struct loaded l;

	(void)state;
	model_of(&m, &l, "pki/ee-rsa.pem");
	assert_int_equal(gnutls_x509_crt_export2(l.crt, GNUTLS_X509_FMT_DER,
						 &der), 0);
	assert_int_equal(gnutls_hash_fast(GNUTLS_DIG_SHA256, der.data,
					  der.size, want256), 0);
	assert_int_equal(gnutls_hash_fast(GNUTLS_DIG_SHA1, der.data, der.size,
					  want1), 0);
	assert_memory_equal(m.sha256, want256, 32);
	assert_memory_equal(m.sha1, want1, 20);

	/* RFC 7469: base64(SHA-256(SubjectPublicKeyInfo DER)) */
	assert_int_equal(gnutls_pubkey_init(&pub), 0);
	assert_int_equal(gnutls_pubkey_import_x509(pub, l.crt, 0), 0);
	assert_int_equal(gnutls_pubkey_export2(pub, GNUTLS_X509_FMT_DER,
					       &spki), 0);
	assert_int_equal(gnutls_hash_fast(GNUTLS_DIG_SHA256, spki.data,
					  spki.size, spki_hash), 0);
	assert_int_equal(gnutls_base64_encode2(&(gnutls_datum_t){
						       spki_hash, 32},
					       &b64), 0);
	assert_int_equal(strlen(m.spki_sha256_b64), b64.size);
	assert_memory_equal(m.spki_sha256_b64, b64.data, b64.size);

	gnutls_free(b64.data);
	gnutls_free(spki.data);
	gnutls_free(der.data);
	gnutls_pubkey_deinit(pub);
	cs_model_free(&m);
	loaded_free(&l);
}

/* ---- key and signature algorithms --------------------------------- */

struct key_row {
	const char *file;
	const char *key_alg;
	unsigned bits;
	const char *curve;
	const char *sig_alg;
	const char *sig_oid;
};

static const struct key_row key_rows[] = {
	/* RSA 2048 signed by the RSA intermediate */
	{.file = "pki/ee-rsa.pem", .key_alg = "RSA", .bits = 2048,
	 .curve = "", .sig_alg = "RSA-SHA256",
	 .sig_oid = "1.2.840.113549.1.1.11"},
	/* ECDSA P-256 */
	{.file = "pki/ee-ec.pem", .key_alg = "ECDSA", .bits = 256,
	 .curve = "P-256", .sig_alg = "ECDSA-SHA256",
	 .sig_oid = "1.2.840.10045.4.3.2"},
	/* Ed25519 (RFC 8410) */
	{.file = "pki/ee-ed25519.pem", .key_alg = "Ed25519", .bits = 256,
	 .curve = "", .sig_alg = "Ed25519", .sig_oid = "1.3.101.112"},
	/* legacy SHA-1 signature */
	{.file = "pki/ee-sha1.pem", .key_alg = "RSA", .bits = 2048,
	 .curve = "", .sig_alg = "RSA-SHA1",
	 .sig_oid = "1.2.840.113549.1.1.5"},
	/* weak key size */
	{.file = "pki/ee-rsa1024.pem", .key_alg = "RSA", .bits = 1024,
	 .curve = "", .sig_alg = "RSA-SHA256",
	 .sig_oid = "1.2.840.113549.1.1.11"},
};

static void test_model_key_types(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(key_rows) / sizeof(key_rows[0]); i++) {
		const struct key_row *r = &key_rows[i];
		struct cs_cert_model m;
		struct loaded l;

		print_message("# row %zu: %s\n", i, r->file);
		model_of(&m, &l, r->file);
		assert_string_equal(m.key_alg, r->key_alg);
		assert_int_equal(m.key_bits, r->bits);
		assert_string_equal(m.key_curve, r->curve);
		assert_string_equal(m.sig_alg, r->sig_alg);
		assert_string_equal(m.sig_oid, r->sig_oid);
		assert_int_equal(m.gnutls_sign,
				 gnutls_x509_crt_get_signature_algorithm(
					 l.crt));
		assert_int_not_equal(m.gnutls_pk, 0);
		cs_model_free(&m);
		loaded_free(&l);
	}
}

/* ---- CA flags, self-signature, path length, name constraints ------- */

struct ca_row {
	const char *file;
	bool is_ca, self_issued, self_signed;
	int path_len;
};

static const struct ca_row ca_rows[] = {
	/* roots of the three key types: CA, self-signed */
	{.file = "pki/root-rsa.pem", .is_ca = true, .self_issued = true,
	 .self_signed = true, .path_len = -1},
	{.file = "pki/root-ec.pem", .is_ca = true, .self_issued = true,
	 .self_signed = true, .path_len = -1},
	{.file = "pki/root-ed25519.pem", .is_ca = true, .self_issued = true,
	 .self_signed = true, .path_len = -1},
	/* intermediate with pathLenConstraint 0 */
	{.file = "pki/ica-pathlen0.pem", .is_ca = true, .path_len = 0},
	/* self-signed end-entity: not a CA, still self-signed */
	{.file = "pki/ee-selfsigned.pem", .self_issued = true,
	 .self_signed = true, .path_len = -1},
	/* ordinary leaf */
	{.file = "pki/ee-rsa.pem", .path_len = -1},
	/* cross-signed root: different issuer, so neither flag */
	{.file = "pki/root-new-by-old.pem", .is_ca = true, .path_len = -1},
};

static void test_model_ca_and_self_signed(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(ca_rows) / sizeof(ca_rows[0]); i++) {
		const struct ca_row *r = &ca_rows[i];
		struct cs_cert_model m;
		struct loaded l;

		print_message("# row %zu: %s\n", i, r->file);
		model_of(&m, &l, r->file);
		assert_true(m.has_basic_constraints);
		assert_int_equal(m.is_ca, r->is_ca);
		assert_int_equal(m.self_issued, r->self_issued);
		assert_int_equal(m.self_signed, r->self_signed);
		assert_int_equal(m.path_len, r->path_len);
		if (r->is_ca)
			assert_true(m.key_usage & CS_KU_KEY_CERT_SIGN);
		cs_model_free(&m);
		loaded_free(&l);
	}
}

/* A self-issued certificate whose signature does not verify is not
 * self-signed: flip one bit of the root's signature. */
static void test_model_broken_self_signature(void **state)
{
	struct cs_cert_model m;
	struct cs_error err;
	gnutls_datum_t der = {NULL, 0};
	gnutls_x509_crt_t bad;
	struct loaded l;

	(void)state;
	model_of(&m, &l, "pki/root-rsa.pem");
	assert_true(m.self_signed);
	cs_model_free(&m);
	assert_int_equal(gnutls_x509_crt_export2(l.crt, GNUTLS_X509_FMT_DER,
						 &der), 0);
	der.data[der.size - 1] ^= 0x01; /* last byte of signatureValue */
	assert_int_equal(gnutls_x509_crt_init(&bad), 0);
	assert_int_equal(gnutls_x509_crt_import(bad, &der,
						GNUTLS_X509_FMT_DER), 0);
	assert_cs_ok(cs_model_from_crt(&m, bad, der.data, der.size, &err),
		     &err);
	assert_true(m.self_issued);
	assert_false(m.self_signed);
	cs_model_free(&m);
	gnutls_x509_crt_deinit(bad);
	gnutls_free(der.data);
	loaded_free(&l);
}

static void test_model_name_constraints(void **state)
{
	struct cs_cert_model m;
	const struct cs_name *n;
	struct loaded l;

	(void)state;
	model_of(&m, &l, "pki/ica-nc.pem");
	assert_true(m.has_name_constraints);
	assert_true(m.nc_critical);
	assert_true(m.is_ca);
	assert_non_null(find_name(&m.nc_permitted, CS_SAN_DNS,
				  "example.test"));
	/* RFC 5280 4.2.1.10: address and mask, 8 bytes for IPv4 */
	n = find_name(&m.nc_permitted, CS_SAN_IP, "127.0.0.0/8");
	assert_non_null(n);
	assert_int_equal(n->raw_len, 8);
	assert_memory_equal(n->raw, "\x7f\x00\x00\x00\xff\x00\x00\x00", 8);
	assert_non_null(find_name(&m.nc_excluded, CS_SAN_DNS,
				  "bad.example.test"));
	assert_null(find_name(&m.nc_excluded, CS_SAN_DNS, "example.test"));
	assert_true(find_ext(&m, "2.5.29.30")->critical);
	cs_model_free(&m);
	loaded_free(&l);
}

/* A directoryName subtree is shown as RFC 4514 text, not dropped. */
static void test_model_dn_name_constraint(void **state)
{
	/* Name ::= SEQUENCE { SET { SEQUENCE { 2.5.4.3, UTF8 "foo" } } } */
	/* NameConstraints { excluded [1] { GeneralSubtree { [4] Name
	 * { SET { SEQUENCE { 2.5.4.3, UTF8 "foo" } } } } } } */
	static const unsigned char ext[] = {
		0x30, 0x16, 0xa1, 0x14, 0x30, 0x12, 0xa4, 0x10,
		0x30, 0x0e, 0x31, 0x0c, 0x30, 0x0a, 0x06, 0x03, 0x55,
		0x04, 0x03, 0x0c, 0x03, 'f', 'o', 'o'};
	gnutls_datum_t der = {NULL, 0};
	gnutls_x509_privkey_t key;
	gnutls_x509_crt_t crt;
	struct cs_cert_model m;
	struct cs_error err;
	unsigned char serial = 7;

	(void)state;
	assert_int_equal(gnutls_x509_privkey_init(&key), 0);
	assert_int_equal(gnutls_x509_privkey_generate(key, GNUTLS_PK_ECDSA,
			 GNUTLS_CURVE_TO_BITS(GNUTLS_ECC_CURVE_SECP256R1), 0),
			 0);
	assert_int_equal(gnutls_x509_crt_init(&crt), 0);
	assert_int_equal(gnutls_x509_crt_set_version(crt, 3), 0);
	assert_int_equal(gnutls_x509_crt_set_serial(crt, &serial, 1), 0);
	assert_int_equal(gnutls_x509_crt_set_dn(crt, "CN=DN CA", NULL), 0);
	assert_int_equal(gnutls_x509_crt_set_key(crt, key), 0);
	assert_int_equal(gnutls_x509_crt_set_activation_time(crt, 0), 0);
	assert_int_equal(gnutls_x509_crt_set_expiration_time(crt, 86400), 0);
	assert_int_equal(gnutls_x509_crt_set_basic_constraints(crt, 1, -1), 0);
	/* (GnuTLS cannot encode a directoryName subtree itself) */
	assert_int_equal(gnutls_x509_crt_set_extension_by_oid(crt,
			 "2.5.29.30", ext, sizeof(ext), 1), 0);
	assert_int_equal(gnutls_x509_crt_sign2(crt, crt, key,
					       GNUTLS_DIG_SHA256, 0), 0);
	assert_int_equal(gnutls_x509_crt_export2(crt, GNUTLS_X509_FMT_DER,
						 &der), 0);
	assert_cs_ok(cs_model_from_crt(&m, crt, der.data, der.size, &err),
		     &err);
	assert_true(m.has_name_constraints);
	assert_int_equal(m.nc_excluded.n, 1);
	assert_non_null(find_name(&m.nc_excluded, CS_SAN_DN, "CN=foo"));
	cs_model_free(&m);
	gnutls_free(der.data);
	gnutls_x509_crt_deinit(crt);
	gnutls_x509_privkey_deinit(key);
}

/* RFC 5280 4.1.2.9: extensions only in v3.  Build a "v1" certificate by
 * removing the [0] version field from ee-rsa's DER (the signature no
 * longer matches, which import does not check). */
static void test_model_v1_with_extensions_rejected(void **state)
{
	static const unsigned char v3[] = {0xa0, 0x03, 0x02, 0x01, 0x02};
	gnutls_datum_t der = {NULL, 0}, v1;
	struct cs_cert_model m;
	gnutls_x509_crt_t crt;
	struct loaded l;
	size_t outer, tbs;
	int rc;

	(void)state;
	model_of(&m, &l, "pki/ee-rsa.pem");
	assert_int_equal(m.version, 3);
	assert_false(has_warning(&m, "version"));
	cs_model_free(&m);
	assert_int_equal(gnutls_x509_crt_export2(l.crt, GNUTLS_X509_FMT_DER,
						 &der), 0);
	/* 30 82 LL LL | 30 82 LL LL | a0 03 02 01 02 | ... */
	assert_true(der.size > 13 && der.data[1] == 0x82 &&
		    der.data[5] == 0x82);
	assert_memory_equal(der.data + 8, v3, sizeof(v3));
	outer = (size_t)der.data[2] << 8 | der.data[3];
	tbs = (size_t)der.data[6] << 8 | der.data[7];
	outer -= sizeof(v3);
	tbs -= sizeof(v3);
	assert_true(tbs >= 256); /* the 2-byte lengths stay minimal */
	memmove(der.data + 8, der.data + 8 + sizeof(v3),
		der.size - 8 - sizeof(v3));
	der.data[2] = (unsigned char)(outer >> 8);
	der.data[3] = (unsigned char)outer;
	der.data[6] = (unsigned char)(tbs >> 8);
	der.data[7] = (unsigned char)tbs;
	v1.data = der.data;
	v1.size = der.size - (unsigned)sizeof(v3);

	/* GnuTLS 3.7.9 refuses it at import, so the model's "version 1
	 * certificate carries extensions" warning cannot be reached
	 * through GnuTLS today.  If a GnuTLS update starts accepting it,
	 * this fails: then assert the warning on the model instead. */
	assert_int_equal(gnutls_x509_crt_init(&crt), 0);
	rc = gnutls_x509_crt_import(crt, &v1, GNUTLS_X509_FMT_DER);
	assert_int_equal(rc, GNUTLS_E_CERTIFICATE_ERROR);
	gnutls_x509_crt_deinit(crt);
	gnutls_free(der.data);
	loaded_free(&l);
}

/* GnuTLS 3.7.9 leaks inside its name-constraints import when an
 * iPAddress constraint is not 8 or 32 bytes; the model must spot it,
 * warn, and not call GnuTLS (LeakSanitizer/valgrind would catch it). */
static void test_model_nc_bad_ip_warns(void **state)
{
	struct cs_cert_model m;
	struct loaded l;
	char dir[4096], path[4200];

	(void)state;
	if (corpus_dir(dir, sizeof(dir)) == NULL)
		skip();
	snprintf(path, sizeof(path),
		 "%s/boringssl-parse-certificate/name_constraints_bad_ip.pem",
		 dir);
	model_of(&m, &l, path);
	dump_warnings(&m);
	assert_true(m.has_name_constraints);
	assert_true(has_warning(&m, "IP address of 0 bytes"));
	assert_int_equal(m.nc_permitted.n, 0);
	assert_int_equal(m.nc_excluded.n, 0);
	cs_model_free(&m);
	loaded_free(&l);
}

/* ---- synthetic edge cases ------------------------------------------ */

#define NO_CHECK INT64_MAX

struct edge_row {
	const char *file;
	cs_time_t want_not_after;   /* NO_CHECK to skip */
	cs_time_t want_not_before;  /* NO_CHECK to skip */
	bool want_utc_after;        /* checked with want_raw_after */
	const char *want_raw_after; /* NULL to skip */
	const char *want_warning;   /* substring; NULL = no warnings */
	int want_serial_len;        /* -1 to skip */
};

static const struct edge_row edge_rows[] = {
	/* control: no warnings */
	{.file = "good.der", .want_not_after = 1893456000,
	 .want_not_before = 1577836800, .want_utc_after = true,
	 .want_raw_after = "300101000000Z", .want_serial_len = -1},
	/* UTCTime 50 is 1950 (GnuTLS says 1970); also inverted */
	{.file = "utc-50-means-1950.der", .want_not_after = -631152000,
	 .want_not_before = NO_CHECK, .want_utc_after = true,
	 .want_raw_after = "500101000000Z",
	 .want_warning = "validity period is inverted",
	 .want_serial_len = -1},
	/* the "no expiry" GeneralizedTime */
	{.file = "gen-99991231235959Z.der",
	 .want_not_after = INT64_C(253402300799), .want_not_before = NO_CHECK,
	 .want_raw_after = "99991231235959Z", .want_serial_len = -1},
	/* last UTCTime year */
	{.file = "utc-2049.der", .want_not_after = INT64_C(2524607999),
	 .want_not_before = NO_CHECK, .want_utc_after = true,
	 .want_raw_after = "491231235959Z", .want_serial_len = -1},
	/* first GeneralizedTime year: conforming */
	{.file = "gen-2050.der", .want_not_after = INT64_C(2524608000),
	 .want_not_before = NO_CHECK, .want_raw_after = "20500101000000Z",
	 .want_serial_len = -1},
	/* GeneralizedTime for 2020 and 2030 */
	{.file = "gen-before-2050.der", .want_not_after = 1893456000,
	 .want_not_before = 1577836800,
	 .want_warning = "GeneralizedTime for a date before 2050",
	 .want_serial_len = -1},
	/* YYMMDDHHMMZ */
	{.file = "utc-no-seconds.der", .want_not_after = 1893456000,
	 .want_not_before = 1577836800, .want_utc_after = true,
	 .want_raw_after = "3001010000Z", .want_warning = "without seconds",
	 .want_serial_len = -1},
	/* second 60 */
	{.file = "utc-leap-second.der", .want_not_after = 1893456000,
	 .want_not_before = NO_CHECK, .want_utc_after = true,
	 .want_warning = "leap second", .want_serial_len = -1},
	/* notAfter < notBefore */
	{.file = "notafter-before-notbefore.der", .want_not_after = 1577836800,
	 .want_not_before = 1893456000, .want_utc_after = true,
	 .want_warning = "validity period is inverted", .want_serial_len = -1},
	/* serial -1 */
	{.file = "serial-negative.der", .want_not_after = NO_CHECK,
	 .want_not_before = NO_CHECK, .want_warning = "negative",
	 .want_serial_len = 1},
	/* serial 0 */
	{.file = "serial-zero.der", .want_not_after = NO_CHECK,
	 .want_not_before = NO_CHECK, .want_warning = "serial number is zero",
	 .want_serial_len = 1},
	/* 21 content bytes */
	{.file = "serial-21-bytes.der", .want_not_after = NO_CHECK,
	 .want_not_before = NO_CHECK, .want_warning = "21 bytes",
	 .want_serial_len = 21},
	/* zero-length INTEGER */
	{.file = "serial-empty.der", .want_not_after = NO_CHECK,
	 .want_not_before = NO_CHECK, .want_warning = "empty INTEGER",
	 .want_serial_len = 0},
	/* 00 01 */
	{.file = "serial-nonminimal.der", .want_not_after = NO_CHECK,
	 .want_not_before = NO_CHECK,
	 .want_warning = "not minimally encoded", .want_serial_len = 2},
	/* outer length in 8 bytes */
	{.file = "length-8-bytes.der", .want_not_after = 1893456000,
	 .want_not_before = NO_CHECK,
	 .want_warning = "the outer length is encoded in 8 bytes; DER "
			 "requires the minimal form",
	 .want_serial_len = -1},
	/* outer length in 3 bytes */
	{.file = "nonminimal-length.der", .want_not_after = 1893456000,
	 .want_not_before = NO_CHECK,
	 .want_warning = "the outer length is encoded in 3 bytes",
	 .want_serial_len = -1},
	/* an unknown critical extension is listed, not decoded */
	{.file = "unknown-critical-ext.der", .want_not_after = 1893456000,
	 .want_not_before = NO_CHECK, .want_serial_len = -1},
};

static void test_model_synthetic_edges(void **state)
{
	char dir[4096];

	(void)state;
	if (corpus_dir(dir, sizeof(dir)) == NULL)
		skip();
	for (size_t i = 0; i < sizeof(edge_rows) / sizeof(edge_rows[0]);
	     i++) {
		const struct edge_row *r = &edge_rows[i];
		struct cs_cert_model m;
		char path[4200];
		struct loaded l;

		print_message("# row %zu: %s\n", i, r->file);
		snprintf(path, sizeof(path), "%s/certscope-synthetic/%s", dir,
			 r->file);
		model_of(&m, &l, path);
		dump_warnings(&m);
		if (r->want_not_after != NO_CHECK)
			assert_int_equal(m.not_after, r->want_not_after);
		if (r->want_not_before != NO_CHECK)
			assert_int_equal(m.not_before, r->want_not_before);
		if (r->want_raw_after != NULL) {
			assert_string_equal(m.not_after_raw,
					    r->want_raw_after);
			assert_int_equal(m.not_after_utc, r->want_utc_after);
		}
		if (r->want_warning != NULL)
			assert_true(has_warning(&m, r->want_warning));
		else
			assert_int_equal(m.warnings.n, 0);
		if (r->want_serial_len >= 0)
			assert_int_equal(m.serial_len,
					 (size_t)r->want_serial_len);
		cs_model_free(&m);
		loaded_free(&l);
	}
}

static void test_model_serial_forms(void **state)
{
	struct cs_cert_model m;
	struct loaded l;
	char dir[4096], path[4200];

	(void)state;
	if (corpus_dir(dir, sizeof(dir)) == NULL)
		skip();
	snprintf(path, sizeof(path), "%s/certscope-synthetic/%s", dir,
		 "serial-negative.der");
	model_of(&m, &l, path);
	assert_true(m.serial_negative);
	assert_string_equal(m.serial_hex, "FF");
	cs_model_free(&m);
	loaded_free(&l);

	snprintf(path, sizeof(path), "%s/certscope-synthetic/%s", dir,
		 "serial-nonminimal.der");
	model_of(&m, &l, path);
	assert_false(m.serial_negative);
	assert_string_equal(m.serial_hex, "00:01"); /* as encoded */
	cs_model_free(&m);
	loaded_free(&l);

	snprintf(path, sizeof(path), "%s/certscope-synthetic/%s", dir,
		 "serial-empty.der");
	model_of(&m, &l, path);
	assert_non_null(m.serial_hex);
	assert_string_equal(m.serial_hex, "");
	cs_model_free(&m);
	loaded_free(&l);
}

/* NUL-prefix attack: the model keeps the whole value and its length. */
static void test_model_nul_in_cn_and_san(void **state)
{
	static const char want[] = "www.bank.test\0.evil.test";
	struct cs_cert_model m;
	struct loaded l;
	char dir[4096], path[4200];

	(void)state;
	if (corpus_dir(dir, sizeof(dir)) == NULL)
		skip();
	snprintf(path, sizeof(path), "%s/certscope-synthetic/cn-with-nul.der",
		 dir);
	model_of(&m, &l, path);
	assert_non_null(m.subject_cn);
	assert_int_equal(m.subject_cn_len, sizeof(want) - 1);
	assert_true(m.subject_cn_len > strlen(m.subject_cn));
	assert_memory_equal(m.subject_cn, want, sizeof(want) - 1);
	cs_model_free(&m);
	loaded_free(&l);

	snprintf(path, sizeof(path),
		 "%s/certscope-synthetic/san-dns-with-nul.der", dir);
	model_of(&m, &l, path);
	assert_int_equal(m.sans.n, 1);
	assert_int_equal(m.sans.v[0].type, CS_SAN_DNS);
	assert_true(m.sans.v[0].len > strlen(m.sans.v[0].value));
	cs_model_free(&m);
	loaded_free(&l);

	/* an empty CN is present but empty, not absent */
	snprintf(path, sizeof(path), "%s/certscope-synthetic/cn-empty.der",
		 dir);
	model_of(&m, &l, path);
	assert_non_null(m.subject_cn);
	assert_int_equal(m.subject_cn_len, 0);
	cs_model_free(&m);
	loaded_free(&l);
}

/* ---- the parts of a model (cs_model_build) ------------------------- */

static void names_same(const struct cs_namelist *a,
		       const struct cs_namelist *b)
{
	assert_int_equal(a->n, b->n);
	for (size_t i = 0; i < a->n; i++) {
		assert_int_equal(a->v[i].type, b->v[i].type);
		assert_int_equal(a->v[i].len, b->v[i].len);
		assert_memory_equal(a->v[i].value, b->v[i].value, a->v[i].len);
		assert_int_equal(a->v[i].raw_len, b->v[i].raw_len);
		assert_memory_equal(a->v[i].raw, b->v[i].raw, a->v[i].raw_len);
	}
}

static void strs_same(const struct cs_strlist *a, const struct cs_strlist *b)
{
	assert_int_equal(a->n, b->n);
	for (size_t i = 0; i < a->n; i++)
		assert_string_equal(a->v[i], b->v[i]);
}

static bool empty_strs(const struct cs_strlist *l)
{
	return l->n == 0 && l->v == NULL;
}

/*
 * part is a model of the same certificate as full (cs_model_from_crt)
 * built with fewer parts: every field it was asked for is the same, the
 * others are empty, and self_signed is false and unchecked unless it was
 * asked for.
 */
static void model_parts_match(const struct cs_cert_model *full,
			      const struct cs_cert_model *part,
			      unsigned parts)
{
	bool details = (parts & CS_MODEL_DETAILS) != 0;

	assert_true(full->self_sig_checked);
	assert_int_equal(part->version, full->version);
	assert_string_equal(part->subject, full->subject);
	assert_string_equal(part->issuer, full->issuer);
	assert_string_equal(part->serial_hex, full->serial_hex);
	assert_int_equal(part->serial_negative, full->serial_negative);
	assert_int_equal(part->serial_len, full->serial_len);
	assert_int_equal(part->not_before, full->not_before);
	assert_int_equal(part->not_after, full->not_after);
	assert_string_equal(part->not_before_raw, full->not_before_raw);
	assert_string_equal(part->not_after_raw, full->not_after_raw);
	assert_int_equal(part->not_before_utc, full->not_before_utc);
	assert_int_equal(part->not_after_utc, full->not_after_utc);
	names_same(&part->sans, &full->sans);
	assert_string_equal(part->key_alg, full->key_alg);
	assert_int_equal(part->key_bits, full->key_bits);
	assert_string_equal(part->key_curve, full->key_curve);
	assert_string_equal(part->sig_alg, full->sig_alg);
	assert_string_equal(part->sig_oid, full->sig_oid);
	assert_int_equal(part->gnutls_sign, full->gnutls_sign);
	assert_int_equal(part->gnutls_pk, full->gnutls_pk);
	assert_memory_equal(part->sha256, full->sha256, 32);
	assert_int_equal(part->self_issued, full->self_issued);
	if (parts & CS_MODEL_SELF_SIG) {
		assert_true(part->self_sig_checked);
		assert_int_equal(part->self_signed, full->self_signed);
	} else {
		assert_false(part->self_sig_checked);
		assert_false(part->self_signed);
	}
	assert_int_equal(part->has_basic_constraints,
			 full->has_basic_constraints);
	assert_int_equal(part->bc_critical, full->bc_critical);
	assert_int_equal(part->is_ca, full->is_ca);
	assert_int_equal(part->path_len, full->path_len);
	assert_string_equal(part->ski_hex, full->ski_hex);
	assert_string_equal(part->aki_hex, full->aki_hex);
	if (!details) {
		static const unsigned char zero[32];

		assert_null(part->subject_cn);
		assert_memory_equal(part->sha1, zero, sizeof(part->sha1));
		assert_string_equal(part->spki_sha256_b64, "");
		assert_false(part->has_key_usage || part->has_eku ||
			     part->has_name_constraints);
		assert_true(empty_strs(&part->eku) &&
			    empty_strs(&part->ocsp_urls) &&
			    empty_strs(&part->ca_issuer_urls) &&
			    empty_strs(&part->crl_urls) &&
			    empty_strs(&part->policies));
		assert_int_equal(part->n_exts + part->n_scts +
					 part->nc_permitted.n +
					 part->nc_excluded.n, 0);
		/* the raw fields' warnings come first in a full model */
		assert_true(part->warnings.n <= full->warnings.n);
		for (size_t i = 0; i < part->warnings.n; i++)
			assert_string_equal(part->warnings.v[i],
					    full->warnings.v[i]);
		return;
	}
	assert_int_equal(part->subject_cn_len, full->subject_cn_len);
	if (full->subject_cn == NULL)
		assert_null(part->subject_cn);
	else
		assert_memory_equal(part->subject_cn, full->subject_cn,
				    full->subject_cn_len);
	assert_memory_equal(part->sha1, full->sha1, 20);
	assert_string_equal(part->spki_sha256_b64, full->spki_sha256_b64);
	assert_int_equal(part->has_key_usage, full->has_key_usage);
	assert_int_equal(part->ku_critical, full->ku_critical);
	assert_int_equal(part->key_usage, full->key_usage);
	assert_int_equal(part->has_eku, full->has_eku);
	strs_same(&part->eku, &full->eku);
	strs_same(&part->ocsp_urls, &full->ocsp_urls);
	strs_same(&part->ca_issuer_urls, &full->ca_issuer_urls);
	strs_same(&part->crl_urls, &full->crl_urls);
	strs_same(&part->policies, &full->policies);
	assert_int_equal(part->has_name_constraints,
			 full->has_name_constraints);
	assert_int_equal(part->nc_critical, full->nc_critical);
	names_same(&part->nc_permitted, &full->nc_permitted);
	names_same(&part->nc_excluded, &full->nc_excluded);
	assert_int_equal(part->n_scts, full->n_scts);
	if (full->n_scts)
		assert_memory_equal(part->scts, full->scts,
				    full->n_scts * sizeof(*full->scts));
	assert_int_equal(part->n_exts, full->n_exts);
	if (full->n_exts)
		assert_memory_equal(part->exts, full->exts,
				    full->n_exts * sizeof(*full->exts));
	strs_same(&part->warnings, &full->warnings);
}

/* cs_model_ext_each hands over the extensions GnuTLS lists, in its
 * order, with the same OID, criticality and value.  Returns 1 when the
 * DER was read, 0 when it was left to GnuTLS (not plain DER). */
struct seen_ext {
	size_t n;
	char oid[32][128];
	bool crit[32];
	gnutls_datum_t val[32];
};

static bool note_ext(const char *oid, const unsigned char *value, size_t len,
		     bool critical, void *ctx)
{
	struct seen_ext *x = ctx;

	if (x->n == 32)
		return false;
	snprintf(x->oid[x->n], sizeof(x->oid[0]), "%s", oid);
	x->crit[x->n] = critical;
	x->val[x->n].data = (unsigned char *)value;
	x->val[x->n].size = (unsigned)len;
	x->n++;
	return true;
}

static int check_ext_each(const struct loaded *l)
{
	gnutls_datum_t der = {NULL, 0};
	struct seen_ext x;
	unsigned idx;
	int rc;

	memset(&x, 0, sizeof(x));
	if (l->pem)
		assert_int_equal(gnutls_x509_crt_export2(l->crt,
					GNUTLS_X509_FMT_DER, &der), 0);
	else
		der = (gnutls_datum_t){l->bytes, (unsigned)l->len};
	rc = cs_model_ext_each(der.data, der.size, note_ext, &x);
	for (idx = 0; rc == 1 && idx < x.n; idx++) {
		char oid[128];
		size_t osz = sizeof(oid);
		unsigned crit = 0;
		gnutls_datum_t v = {NULL, 0};

		assert_int_equal(gnutls_x509_crt_get_extension_info(l->crt,
					idx, oid, &osz, &crit), 0);
		assert_string_equal(oid, x.oid[idx]);
		assert_int_equal(crit != 0, x.crit[idx]);
		assert_int_equal(gnutls_x509_crt_get_extension_data2(l->crt,
					idx, &v), 0);
		assert_int_equal(v.size, x.val[idx].size);
		if (v.size)
			assert_memory_equal(v.data, x.val[idx].data, v.size);
		gnutls_free(v.data);
	}
	if (rc == 1 && x.n < 32) { /* and nothing more */
		char oid[128];
		size_t osz = sizeof(oid);
		unsigned crit = 0;

		assert_int_equal(gnutls_x509_crt_get_extension_info(l->crt,
					x.n, oid, &osz, &crit),
				 GNUTLS_E_REQUESTED_DATA_NOT_AVAILABLE);
	}
	if (l->pem)
		gnutls_free(der.data);
	return rc;
}

/* Build l's model with each combination of parts and compare each with
 * the full one: with CS_MODEL_FROM_DER that compares the names, basic
 * constraints and key identifiers read from the DER with GnuTLS's. */
static void check_parts(const struct loaded *l,
			const struct cs_cert_model *full)
{
	static const unsigned combos[] = {
		0, CS_MODEL_DETAILS, CS_MODEL_SELF_SIG, CS_MODEL_FROM_DER,
		CS_MODEL_FROM_DER | CS_MODEL_DETAILS,
	};

	struct cs_cert_model copy;

	for (size_t i = 0; i < sizeof(combos) / sizeof(*combos); i++) {
		struct cs_cert_model part;
		struct cs_error err;

		cs_error_clear(&err);
		assert_cs_ok(cs_model_build(&part, l->crt,
					    l->pem ? NULL : l->bytes,
					    l->pem ? 0 : l->len, combos[i],
					    &err), &err);
		model_parts_match(full, &part, combos[i]);
		/* a copy (cs_model_copy) is the same and owns its memory */
		assert_int_equal(cs_model_copy(&copy, &part), 0);
		cs_model_free(&part);
		model_parts_match(full, &copy, combos[i]);
		cs_model_free(&copy);
	}
	assert_int_equal(cs_model_copy(&copy, full), 0);
	model_parts_match(full, &copy, CS_MODEL_ALL);
	cs_model_free(&copy);
	(void)check_ext_each(l);
}

/* show's model: no self-signature check (a root stays unchecked), the
 * rest as verify's; a broken self-signature makes no difference to it. */
static void test_model_parts(void **state)
{
	static const char *const files[] = {
		"pki/root-rsa.pem", "pki/root-ec.pem", "pki/root-ed25519.pem",
		"pki/ee-full.pem", "pki/ee-selfsigned.pem", "pki/ee-nc-ok.pem",
		"pki/ica-nc.pem", "pki/root-old-by-new.pem", "pki/ee-badsig.pem",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(files) / sizeof(*files); i++) {
		struct cs_cert_model full;
		struct loaded l;

		print_message("# %s\n", files[i]);
		model_of(&full, &l, files[i]);
		check_parts(&l, &full);
		/* each of these is plain DER: read without GnuTLS */
		assert_int_equal(check_ext_each(&l), 1);
		cs_model_free(&full);
		loaded_free(&l);
	}
}

/* An extension whose criticality is an explicit FALSE (BER, not DER) is
 * left to GnuTLS whole: cs_model_ext_each reads nothing; a truncated
 * certificate is not read either. */
static bool count_ext(const char *oid, const unsigned char *value, size_t len,
		      bool critical, void *ctx)
{
	(void)oid;
	(void)value;
	(void)len;
	(void)critical;
	(*(size_t *)ctx)++;
	return true;
}

static void test_model_ext_each_not_plain(void **state)
{
	struct cs_cert_model m;
	struct loaded l;
	gnutls_datum_t der;
	size_t n = 0, k;

	(void)state;
	model_of(&m, &l, "pki/ee-full.pem");
	assert_true(m.bc_critical);
	assert_int_equal(gnutls_x509_crt_export2(l.crt, GNUTLS_X509_FMT_DER,
						 &der), 0);
	assert_int_equal(cs_model_ext_each(der.data, der.size, count_ext, &n),
			 1);
	assert_int_equal(n, m.n_exts);
	/* the first BOOLEAN TRUE is basic constraints' criticality */
	for (k = 0; k + 2 < der.size; k++)
		if (der.data[k] == 0x01 && der.data[k + 1] == 0x01 &&
		    der.data[k + 2] == 0xff)
			break;
	assert_true(k + 2 < der.size);
	der.data[k + 2] = 0x00;
	n = 0;
	assert_int_equal(cs_model_ext_each(der.data, der.size, count_ext, &n),
			 0);
	assert_int_equal(n, 0);
	der.data[k + 2] = 0xff;
	assert_int_equal(cs_model_ext_each(der.data, k, count_ext, &n), 0);
	assert_int_equal(cs_model_ext_each(NULL, 0, count_ext, &n), 0);
	assert_int_equal(n, 0);
	gnutls_free(der.data);
	cs_model_free(&m);
	loaded_free(&l);
}

/* ---- API edges ----------------------------------------------------- */

static void test_model_der_from_crt_matches_file_der(void **state)
{
	struct cs_cert_model a, b;
	struct cs_error err;
	struct loaded l;
	char path[4096];

	(void)state;
	testcert_path(path, sizeof(path), "formats/ee-rsa.der");
	assert_int_equal(load_path(&l, path), 0);
	assert_cs_ok(cs_model_from_crt(&a, l.crt, l.bytes, l.len, &err), &err);
	assert_cs_ok(cs_model_from_crt(&b, l.crt, NULL, 0, &err), &err);
	assert_string_equal(a.serial_hex, b.serial_hex);
	assert_int_equal(a.not_after, b.not_after);
	assert_string_equal(a.subject, b.subject);
	assert_memory_equal(a.sha256, b.sha256, 32);
	cs_model_free(&a);
	cs_model_free(&b);
	loaded_free(&l);
}

static void test_model_errors_leave_model_empty(void **state)
{
	static const unsigned char junk[] = "not a certificate";
	struct cs_cert_model m, zero;
	struct cs_error err;
	struct loaded l;
	char path[4096];

	(void)state;
	memset(&zero, 0, sizeof(zero));
	cs_model_free(NULL); /* no-op */

	cs_error_clear(&err);
	assert_int_equal(cs_model_from_crt(&m, NULL, NULL, 0, &err), -1);
	assert_int_equal(err.code, CS_E_USAGE);
	cs_model_free(&m);
	assert_memory_equal(&m, &zero, sizeof(m));

	/* bytes that are not this certificate's DER */
	testcert_path(path, sizeof(path), "pki/ee-rsa.pem");
	assert_int_equal(load_path(&l, path), 0);
	cs_error_clear(&err);
	assert_int_equal(cs_model_from_crt(&m, l.crt, junk, sizeof(junk),
					   &err), -1);
	assert_int_equal(err.code, CS_E_PARSE);
	assert_memory_equal(&m, &zero, sizeof(m));
	cs_model_free(&m); /* twice is fine: it was zeroed */
	loaded_free(&l);
}

/* ---- whole corpus: no crash, no leak, model always builds, and the
 * models of fewer parts agree with the full one ---------------------- */

static void sweep_dir(const char *dir, unsigned depth, unsigned *tried,
		      unsigned *modelled)
{
	struct dirent *de;
	DIR *d;

	if (depth > 4 || (d = opendir(dir)) == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		struct cs_cert_model m;
		struct cs_error err;
		char path[4096];
		struct loaded l;
		struct stat st;
		int rc;

		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		if (stat(path, &st) < 0)
			continue;
		if (S_ISDIR(st.st_mode)) {
			sweep_dir(path, depth + 1, tried, modelled);
			continue;
		}
		if (!S_ISREG(st.st_mode) || strstr(de->d_name, ".md") ||
		    strstr(de->d_name, ".txt"))
			continue;
		(*tried)++;
		/* DER files as they are; .pem through GnuTLS's PEM import
		 * (first CERTIFICATE block), the model re-exporting DER. */
		rc = load_path(&l, path);
		if (rc == 0) {
			cs_error_clear(&err);
			rc = cs_model_from_crt(&m, l.crt,
					       l.pem ? NULL : l.bytes,
					       l.pem ? 0 : l.len, &err);
			if (rc != 0)
				fail_msg("%s: GnuTLS imports it but the model "
					 "fails: %s", path, err.msg);
			(*modelled)++;
			assert_non_null(m.subject);
			assert_non_null(m.serial_hex);
			check_parts(&l, &m);
			cs_model_free(&m);
		}
		loaded_free(&l);
	}
	closedir(d);
}

static void test_model_corpus_sweep(void **state)
{
	unsigned tried = 0, modelled = 0;
	char dir[4096];

	(void)state;
	if (corpus_dir(dir, sizeof(dir)) == NULL)
		skip();
	sweep_dir(dir, 0, &tried, &modelled);
	print_message("# corpus: %u files tried, %u modelled\n", tried,
		      modelled);
	/* The full shared corpus has ~1,370 files; the copy in tests/data
	 * (used where the shared folder is absent) has its 55 synthetic
	 * and BoringSSL cases. */
	assert_true(tried >= 50);
	assert_true(modelled >= tried / 8); /* 223 of 1,370; 42 of 55 */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_model_ee_full_names_and_serial),
		cmocka_unit_test(test_model_ee_full_extensions),
		cmocka_unit_test(test_model_digests_and_pin),
		cmocka_unit_test(test_model_key_types),
		cmocka_unit_test(test_model_ca_and_self_signed),
		cmocka_unit_test(test_model_broken_self_signature),
		cmocka_unit_test(test_model_name_constraints),
		cmocka_unit_test(test_model_dn_name_constraint),
		cmocka_unit_test(test_model_v1_with_extensions_rejected),
		cmocka_unit_test(test_model_nc_bad_ip_warns),
		cmocka_unit_test(test_model_synthetic_edges),
		cmocka_unit_test(test_model_serial_forms),
		cmocka_unit_test(test_model_nul_in_cn_and_san),
		cmocka_unit_test(test_model_der_from_crt_matches_file_der),
		cmocka_unit_test(test_model_errors_leave_model_empty),
		cmocka_unit_test(test_model_parts),
		cmocka_unit_test(test_model_ext_each_not_plain),
		cmocka_unit_test(test_model_corpus_sweep),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
