/* test_load.c - the loader: every format, every error path, origins */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "input/load.h"

#define P12_PASSWORD "test-password" /* testcerts/formats/p12-password.txt */

/* Fail with the loader's message, not just "-1 != 0". */
#define assert_cs_ok(rc, err) \
	do { \
		if ((rc) != 0) \
			fail_msg("unexpected error %d: %s", (err)->code, \
				 (err)->msg); \
	} while (0)

static const char *certs_dir(void)
{
	const char *d = getenv("CS_TESTCERTS");

	return d ? d : "testcerts";
}

static char *tc_path(const char *rel)
{
	static char buf[PATH_MAX];

	snprintf(buf, sizeof(buf), "%s/%s", certs_dir(), rel);
	return buf;
}

/* Whole file into a new buffer (caller frees). */
static unsigned char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	unsigned char *b;
	long n;

	assert_non_null(f);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	n = ftell(f);
	assert_true(n >= 0);
	rewind(f);
	b = malloc((size_t)n + 1);
	assert_non_null(b);
	assert_int_equal(fread(b, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	*len = (size_t)n;
	return b;
}

static void load_ok(struct cs_itemlist *l, const char *rel,
		    const struct cs_load_opts *opts)
{
	struct cs_error err = { 0 };
	int rc;

	cs_itemlist_init(l);
	rc = cs_load_path(l, tc_path(rel), opts, &err);
	assert_cs_ok(rc, &err);
}

/* First error item, or NULL. */
static const struct cs_item *first_error(const struct cs_itemlist *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (l->items[i].kind == CS_ITEM_ERROR)
			return &l->items[i];
	return NULL;
}

/* Every item is well formed: certs/CRLs carry their objects and DER,
 * errors carry a code and a message, every origin a path. */
static void check_items_sane(const struct cs_itemlist *l)
{
	size_t i;

	for (i = 0; i < l->n; i++) {
		const struct cs_item *it = &l->items[i];

		assert_non_null(it->origin.path);
		switch (it->kind) {
		case CS_ITEM_CERT:
			assert_non_null(it->crt);
			assert_null(it->crl);
			assert_non_null(it->der);
			assert_true(it->der_len > 0);
			break;
		case CS_ITEM_CRL:
			assert_non_null(it->crl);
			assert_null(it->crt);
			assert_non_null(it->der);
			break;
		case CS_ITEM_ERROR:
			assert_null(it->crt);
			assert_null(it->crl);
			assert_int_not_equal(it->err.code, CS_E_OK);
			assert_true(strlen(it->err.msg) > 0);
			break;
		default:
			fail_msg("bad item kind %d", (int)it->kind);
		}
	}
}

/* ------------------------------------------------------------------ */

struct file_case {
	const char *file;
	const char *password;
	size_t certs, crls, errors;
	int want_code;        /* code of the first error item */
	const char *want_msg; /* substring of its message */
	enum cs_format fmt;   /* format of the first item, if set */
};

static const struct file_case file_cases[] = {
	/* one PEM certificate */
	{ .file = "pki/ee-rsa.pem", .certs = 1, .fmt = CS_FMT_PEM },
	/* PEM bundle of three */
	{ .file = "pki/fullchain-rsa.pem", .certs = 3 },
	/* CRLF line ends */
	{ .file = "formats/chain-rsa-crlf.pem", .certs = 2 },
	/* UTF-8 BOM before the first block */
	{ .file = "formats/chain-rsa-bom.pem", .certs = 2 },
	/* openssl -text prose before each block */
	{ .file = "formats/chain-rsa-text.pem", .certs = 2 },
	/* TRUSTED CERTIFICATE: the aux trust data after the cert is dropped */
	{ .file = "formats/trusted-cert.pem", .certs = 1 },
	/* X509 CRL block */
	{ .file = "pki/crl-ica-rsa.pem", .crls = 1, .fmt = CS_FMT_PEM },
	/* cert, CRL, key (ignored silently), cert */
	{ .file = "formats/bundle-mixed.pem", .certs = 2, .crls = 1 },
	/* DER certificate */
	{ .file = "formats/ee-rsa.der", .certs = 1, .fmt = CS_FMT_DER },
	/* two DER certificates back to back */
	{ .file = "bad/two-der-concat.der", .certs = 2 },
	/* DER CRL */
	{ .file = "formats/crl-ica-rsa.der", .crls = 1, .fmt = CS_FMT_DER },
	/* PKCS#7 in a PEM block */
	{ .file = "formats/chain-rsa.p7b", .certs = 2,
	  .fmt = CS_FMT_PKCS7_PEM },
	/* PKCS#7 in DER */
	{ .file = "formats/chain-rsa.p7c", .certs = 2, .fmt = CS_FMT_PKCS7 },
	/* PKCS#12, right password: ee and ica, the key bag is ignored */
	{ .file = "formats/ee-rsa.p12", .password = P12_PASSWORD,
	  .certs = 2, .fmt = CS_FMT_PKCS12 },
	/* PKCS#12, wrong password */
	{ .file = "formats/ee-rsa.p12", .password = "wrong-password",
	  .errors = 1, .want_code = CS_E_PASSWORD,
	  .want_msg = "wrong password (MAC verification failed)" },
	/* PKCS#12, no password given */
	{ .file = "formats/ee-rsa.p12", .errors = 1,
	  .want_code = CS_E_PASSWORD,
	  .want_msg = "protected by a password: give it with "
		      "--password-file FILE or CERTSCOPE_PASSWORD" },
	/* PKCS#12 made with an empty password opens without one */
	{ .file = "formats/ee-rsa-nopass.p12", .certs = 2 },
	/* ... and with "" given explicitly */
	{ .file = "formats/ee-rsa-nopass.p12", .password = "", .certs = 2 },
	/* 0-byte file named directly */
	{ .file = "bad/empty.pem", .errors = 1, .want_code = CS_E_EMPTY,
	  .want_msg = "empty file" },
	/* first 120 bytes of a DER cert */
	{ .file = "bad/truncated.der", .errors = 1, .want_code = CS_E_PARSE,
	  .want_msg = "truncated DER: length says " },
	/* DER cert + "GARBAGE\n": cert loads, tail is an error */
	{ .file = "bad/trailing-garbage.der", .certs = 1, .errors = 1,
	  .want_code = CS_E_PARSE,
	  .want_msg = "8 bytes of trailing data after the certificate" },
	/* good, half a cert, good */
	{ .file = "bad/truncated-in-pem.pem", .certs = 2, .errors = 1,
	  .want_code = CS_E_PARSE, .want_msg = "truncated" },
	/* '!' inside the base64 of the middle block */
	{ .file = "bad/bad-base64.pem", .certs = 2, .errors = 1,
	  .want_code = CS_E_PARSE,
	  .want_msg = "bad base64 in PEM block 'CERTIFICATE' (line 28)" },
	/* last block without its END line */
	{ .file = "bad/missing-end.pem", .certs = 1, .errors = 1,
	  .want_code = CS_E_PARSE,
	  .want_msg = "PEM block 'CERTIFICATE' at line 23 has no END line" },
	/* random bytes */
	{ .file = "bad/junk.bin", .errors = 1, .want_code = CS_E_EMPTY,
	  .want_msg = "no certificate or CRL found (not PEM, DER, PKCS#7 "
		      "or PKCS#12)" },
	/* SEQUENCE claiming 2 GiB */
	{ .file = "bad/huge-length.der", .errors = 1,
	  .want_code = CS_E_PARSE,
	  .want_msg = "truncated DER: length says 2147483653 bytes, 13 "
		      "present" },
	/* prose */
	{ .file = "bad/notacert.txt", .errors = 1, .want_code = CS_E_EMPTY,
	  .want_msg = "no certificate or CRL found" },
	/* only a private key: named for what it is, and never shown */
	{ .file = "bad/key-only.pem", .errors = 1, .want_code = CS_E_EMPTY,
	  .want_msg = "a private key, not a certificate; keys are never "
		      "printed" },
	/* does not exist: strerror */
	{ .file = "bad/no-such-file.pem", .errors = 1, .want_code = CS_E_IO,
	  .want_msg = "No such file or directory" },
};

static void test_load_files_table(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(file_cases) / sizeof(file_cases[0]); i++) {
		const struct file_case *tc = &file_cases[i];
		struct cs_load_opts opts = { .password = tc->password };
		struct cs_itemlist l;
		const struct cs_item *e;

		print_message("# %s (password %s)\n", tc->file,
			      tc->password ? tc->password : "none");
		load_ok(&l, tc->file, &opts);
		check_items_sane(&l);
		assert_int_equal(cs_itemlist_count(&l, CS_ITEM_CERT),
				 tc->certs);
		assert_int_equal(cs_itemlist_count(&l, CS_ITEM_CRL), tc->crls);
		assert_int_equal(cs_itemlist_count(&l, CS_ITEM_ERROR),
				 tc->errors);
		e = first_error(&l);
		if (tc->errors) {
			assert_non_null(e);
			assert_int_equal(e->err.code, tc->want_code);
			if (!strstr(e->err.msg, tc->want_msg))
				fail_msg("'%s' lacks '%s'", e->err.msg,
					 tc->want_msg);
		}
		if (tc->fmt != CS_FMT_UNKNOWN)
			assert_int_equal(l.items[0].origin.format, tc->fmt);
		/* files_read counts files that gave at least one item. */
		assert_int_equal(l.files_read,
				 tc->certs + tc->crls > 0 ||
				 (tc->errors && tc->want_code != CS_E_EMPTY &&
				  tc->want_code != CS_E_IO));
		cs_itemlist_free(&l);
		assert_int_equal(l.n, 0);
		assert_null(l.items);
	}
}

/* ------------------------------------------------------------------ */
/* testcerts/manifest.ini [load:NAME] sections, so the data and the
 * loader cannot drift apart. */

struct load_section {
	char name[128], file[256], password[128], password_file[256];
	int has_password;
	long certs, crls, errors, skipped;
};

static void trim(char *s)
{
	size_t n = strlen(s);
	char *p = s;

	while (n > 0 && (s[n - 1] == '\n' || s[n - 1] == '\r' ||
			 s[n - 1] == ' ' || s[n - 1] == '\t'))
		s[--n] = '\0';
	while (*p == ' ' || *p == '\t')
		p++;
	memmove(s, p, strlen(p) + 1);
}

static void run_load_section(const struct load_section *sec)
{
	struct cs_load_opts opts = { 0 };
	struct cs_itemlist l;
	char pw[128] = "";

	if (sec->password_file[0]) {
		size_t len;
		unsigned char *b = slurp(tc_path(sec->password_file), &len);

		snprintf(pw, sizeof(pw), "%.*s", (int)len, (char *)b);
		free(b);
		trim(pw);
		opts.password = pw;
	} else if (sec->has_password) {
		opts.password = sec->password;
	}
	print_message("# [load:%s] %s\n", sec->name, sec->file);
	load_ok(&l, sec->file, &opts);
	check_items_sane(&l);
	assert_int_equal(cs_itemlist_count(&l, CS_ITEM_CERT), sec->certs);
	assert_int_equal(cs_itemlist_count(&l, CS_ITEM_CRL), sec->crls);
	assert_int_equal(cs_itemlist_count(&l, CS_ITEM_ERROR), sec->errors);
	if (sec->skipped >= 0)
		assert_int_equal(l.files_skipped, sec->skipped);
	cs_itemlist_free(&l);
}

static void test_load_manifest(void **state)
{
	FILE *f = fopen(tc_path("manifest.ini"), "r");
	struct load_section sec;
	char line[1024], *eq;
	int in = 0, ran = 0;

	(void)state;
	assert_non_null(f);
	while (fgets(line, sizeof(line), f)) {
		trim(line);
		if (line[0] == '[') {
			if (in) {
				run_load_section(&sec);
				ran++;
			}
			in = strncmp(line, "[load:", 6) == 0;
			memset(&sec, 0, sizeof(sec));
			sec.skipped = -1;
			if (in)
				snprintf(sec.name, sizeof(sec.name), "%.*s",
					 (int)strcspn(line + 6, "]"), line + 6);
			continue;
		}
		if (!in || line[0] == ';' || !(eq = strchr(line, '=')))
			continue;
		*eq++ = '\0';
		trim(line);
		trim(eq);
		if (strcmp(line, "file") == 0)
			snprintf(sec.file, sizeof(sec.file), "%s", eq);
		else if (strcmp(line, "certs") == 0)
			sec.certs = strtol(eq, NULL, 10);
		else if (strcmp(line, "crls") == 0)
			sec.crls = strtol(eq, NULL, 10);
		else if (strcmp(line, "errors") == 0)
			sec.errors = strtol(eq, NULL, 10);
		else if (strcmp(line, "skipped") == 0)
			sec.skipped = strtol(eq, NULL, 10);
		else if (strcmp(line, "password") == 0) {
			snprintf(sec.password, sizeof(sec.password), "%s", eq);
			sec.has_password = 1;
		} else if (strcmp(line, "password_file") == 0)
			snprintf(sec.password_file, sizeof(sec.password_file),
				 "%s", eq);
	}
	if (in) {
		run_load_section(&sec);
		ran++;
	}
	fclose(f);
	/* The manifest has ~25 load sections; none must vanish unseen. */
	assert_true(ran >= 20);
}

/* ------------------------------------------------------------------ */
/* Origins. */

/* 1-based line and offset of every "-----BEGIN CERTIFICATE-----" line,
 * found the simple way (LF files only). */
static size_t begin_lines(const unsigned char *b, size_t len, size_t *lines,
			  size_t *offs, size_t max)
{
	size_t i, line = 1, n = 0;

	for (i = 0; i < len; i++) {
		if ((i == 0 || b[i - 1] == '\n') && n < max &&
		    len - i > 16 && memcmp(b + i, "-----BEGIN CERT", 15) == 0) {
			lines[n] = line;
			offs[n++] = i;
		}
		if (b[i] == '\n')
			line++;
	}
	return n;
}

static void test_load_origin_pem_lines(void **state)
{
	static const char *const files[] = {
		"bad/truncated-in-pem.pem", /* good, truncated, good */
		"bad/bad-base64.pem",       /* good, bad base64, good */
		"formats/chain-rsa-text.pem", /* prose before blocks */
	};
	size_t f, i, len, lines[8], offs[8], n;
	struct cs_itemlist l;
	unsigned char *b;

	(void)state;
	for (f = 0; f < sizeof(files) / sizeof(files[0]); f++) {
		b = slurp(tc_path(files[f]), &len);
		n = begin_lines(b, len, lines, offs, 8);
		load_ok(&l, files[f], NULL);
		assert_int_equal(l.n, n);
		for (i = 0; i < n; i++) {
			const struct cs_origin *o = &l.items[i].origin;

			assert_int_equal(o->index, i + 1);
			assert_int_equal(o->line, lines[i]);
			assert_int_equal(o->offset, offs[i]);
			assert_int_equal(o->format, CS_FMT_PEM);
			assert_string_equal(o->path, tc_path(files[f]));
		}
		cs_itemlist_free(&l);
		free(b);
	}
}

static void test_load_origin_truncated_in_pem(void **state)
{
	struct cs_itemlist l;

	(void)state;
	load_ok(&l, "bad/truncated-in-pem.pem", NULL);
	assert_int_equal(l.n, 3);
	assert_int_equal(l.items[0].kind, CS_ITEM_CERT);
	assert_int_equal(l.items[1].kind, CS_ITEM_ERROR);
	assert_int_equal(l.items[2].kind, CS_ITEM_CERT);
	/* The message names the block's line, as the origin does. */
	{
		char want[64];

		snprintf(want, sizeof(want), "at line %zu:",
			 l.items[1].origin.line);
		assert_non_null(strstr(l.items[1].err.msg, want));
	}
	cs_itemlist_free(&l);
}

static void test_load_origin_der(void **state)
{
	struct cs_itemlist l;
	unsigned char *ee;
	size_t ee_len;

	(void)state;
	ee = slurp(tc_path("formats/ee-rsa.der"), &ee_len);

	load_ok(&l, "bad/two-der-concat.der", NULL);
	assert_int_equal(l.n, 2);
	assert_int_equal(l.items[0].origin.offset, 0);
	assert_int_equal(l.items[1].origin.offset, ee_len);
	assert_int_equal(l.items[1].origin.index, 2);
	assert_int_equal(l.items[1].origin.line, 0);
	assert_int_equal(l.items[0].der_len, ee_len);
	assert_memory_equal(l.items[0].der, ee, ee_len);
	cs_itemlist_free(&l);

	load_ok(&l, "bad/trailing-garbage.der", NULL);
	assert_int_equal(l.n, 2);
	assert_int_equal(l.items[1].kind, CS_ITEM_ERROR);
	assert_int_equal(l.items[1].origin.offset, ee_len);
	{
		char want[64];

		snprintf(want, sizeof(want), "at offset %zu", ee_len);
		assert_non_null(strstr(l.items[1].err.msg, want));
	}
	cs_itemlist_free(&l);
	free(ee);
}

/* Inside a DER PKCS#7 each certificate's offset points at its bytes. */
static void test_load_origin_p7c_offsets(void **state)
{
	struct cs_itemlist l;
	unsigned char *b;
	size_t len, i;

	(void)state;
	b = slurp(tc_path("formats/chain-rsa.p7c"), &len);
	load_ok(&l, "formats/chain-rsa.p7c", NULL);
	assert_int_equal(l.n, 2);
	for (i = 0; i < l.n; i++) {
		const struct cs_item *it = &l.items[i];

		assert_int_equal(it->origin.index, i + 1);
		assert_true(it->origin.offset > 0);
		assert_true(it->origin.offset + it->der_len <= len);
		assert_memory_equal(b + it->origin.offset, it->der,
				    it->der_len);
	}
	cs_itemlist_free(&l);
	free(b);
}

/* The same certificate comes out byte for byte from every container. */
static void test_load_same_der_from_every_format(void **state)
{
	static const struct {
		const char *file;
		const char *password;
	} rows[] = {
		{ "pki/ee-rsa.pem", NULL },            /* PEM */
		{ "formats/chain-rsa-crlf.pem", NULL }, /* CRLF PEM */
		{ "formats/chain-rsa-bom.pem", NULL },  /* BOM PEM */
		{ "formats/chain-rsa-text.pem", NULL }, /* prose PEM */
		{ "formats/chain-rsa.p7b", NULL },      /* PKCS#7 PEM */
		{ "formats/chain-rsa.p7c", NULL },      /* PKCS#7 DER */
		{ "formats/ee-rsa.p12", P12_PASSWORD }, /* PKCS#12 */
	};
	unsigned char *ee;
	size_t ee_len, r, i, hits;

	(void)state;
	ee = slurp(tc_path("formats/ee-rsa.der"), &ee_len);
	for (r = 0; r < sizeof(rows) / sizeof(rows[0]); r++) {
		struct cs_load_opts opts = { .password = rows[r].password };
		struct cs_itemlist l;

		load_ok(&l, rows[r].file, &opts);
		hits = 0;
		for (i = 0; i < l.n; i++)
			if (l.items[i].der_len == ee_len &&
			    memcmp(l.items[i].der, ee, ee_len) == 0)
				hits++;
		if (hits != 1)
			fail_msg("%s: ee-rsa found %zu times", rows[r].file,
				 hits);
		cs_itemlist_free(&l);
	}
	free(ee);
}

/* TRUSTED CERTIFICATE keeps only the first TLV: root-rsa's DER. */
static void test_load_trusted_cert_is_root(void **state)
{
	struct cs_itemlist a, b;

	(void)state;
	load_ok(&a, "formats/trusted-cert.pem", NULL);
	load_ok(&b, "pki/root-rsa.pem", NULL);
	assert_int_equal(a.n, 1);
	assert_int_equal(b.n, 1);
	assert_int_equal(a.items[0].der_len, b.items[0].der_len);
	assert_memory_equal(a.items[0].der, b.items[0].der, b.items[0].der_len);
	cs_itemlist_free(&a);
	cs_itemlist_free(&b);
}

/* Line ends: LF, CRLF and CR-only give the same lines and DER. */
static void test_load_pem_line_ends(void **state)
{
	static const char *const eols[] = { "\n", "\r\n", "\r" };
	unsigned char *lf, *buf;
	size_t lf_len, e, i, k, n;
	struct cs_itemlist ref, l;
	struct cs_error err = { 0 };

	(void)state;
	lf = slurp(tc_path("pki/chain-rsa.pem"), &lf_len);
	load_ok(&ref, "pki/chain-rsa.pem", NULL);
	assert_int_equal(ref.n, 2);
	buf = malloc(lf_len * 2 + 3);
	assert_non_null(buf);
	for (e = 0; e < 3; e++) {
		/* UTF-8 BOM in front as well: line numbers must not move. */
		memcpy(buf, "\xef\xbb\xbf", 3);
		n = 3;
		for (i = 0; i < lf_len; i++) {
			if (lf[i] != '\n') {
				buf[n++] = lf[i];
				continue;
			}
			for (k = 0; eols[e][k]; k++)
				buf[n++] = (unsigned char)eols[e][k];
		}
		cs_itemlist_init(&l);
		assert_cs_ok(cs_load_buffer(&l, buf, n, "mem", NULL, 0, NULL,
					    &err), &err);
		assert_int_equal(l.n, 2);
		for (i = 0; i < 2; i++) {
			assert_int_equal(l.items[i].kind, CS_ITEM_CERT);
			assert_int_equal(l.items[i].origin.line,
					 ref.items[i].origin.line);
			assert_int_equal(l.items[i].der_len,
					 ref.items[i].der_len);
			assert_memory_equal(l.items[i].der, ref.items[i].der,
					    ref.items[i].der_len);
		}
		assert_int_equal(l.items[0].origin.offset, 3);
		cs_itemlist_free(&l);
	}
	free(buf);
	free(lf);
	cs_itemlist_free(&ref);
}

/* ------------------------------------------------------------------ */
/* Buffers: hostile bytes, quiet_empty. */

#define BUF(s) (const unsigned char *)(s), sizeof(s) - 1

struct buf_case {
	const unsigned char *data;
	size_t len;
	int quiet;
	size_t want_found;  /* items appended */
	size_t want_errors;
	int want_code;      /* first error's code */
	const char *want_msg;
};

static const struct buf_case buf_cases[] = {
	/* empty, quiet: nothing appended */
	{ BUF(""), .quiet = 1 },
	/* empty, not quiet: one "empty file" error */
	{ BUF(""), .want_found = 0, .want_errors = 1,
	  .want_code = CS_E_EMPTY, .want_msg = "empty file" },
	/* only a BOM counts as empty */
	{ BUF("\xef\xbb\xbf"), .want_errors = 1, .want_code = CS_E_EMPTY,
	  .want_msg = "empty file" },
	/* prose, quiet: nothing */
	{ BUF("hello\nworld\n"), .quiet = 1 },
	/* a key block alone, quiet: nothing */
	{ BUF("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n"),
	  .quiet = 1 },
	/* 0x84 length of 2 GiB */
	{ BUF("\x30\x84\x7f\xff\xff\xff\x30\x82\x01\x00"), .want_found = 1,
	  .want_errors = 1, .want_code = CS_E_PARSE,
	  .want_msg = "length says 2147483653 bytes, 10 present" },
	/* 8-byte length field near 2^64 must not wrap */
	{ BUF("\x30\x88\xff\xff\xff\xff\xff\xff\xff\xff\x30\x82\x01\x00"),
	  .want_found = 1, .want_errors = 1, .want_code = CS_E_PARSE,
	  .want_msg = "truncated DER" },
	/* BER indefinite length */
	{ BUF("\x30\x80\x30\x80\x00\x00\x00\x00"), .want_found = 1,
	  .want_errors = 1, .want_code = CS_E_PARSE,
	  .want_msg = "indefinite length" },
	/* a complete SEQUENCE that is no certificate: GnuTLS says why */
	{ BUF("\x30\x81\x82\x30\x02\x05\x00\x30\x7c"
	      "\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"
	      "\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"
	      "\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"
	      "\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"
	      "\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"
	      "\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"
	      "\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"
	      "\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"),
	  .want_found = 1, .want_errors = 1, .want_code = CS_E_PARSE,
	  .want_msg = "not a certificate: GnuTLS says: " },
	/* a CSR, a public key, PKCS#8: said for what they are */
	{ BUF("-----BEGIN CERTIFICATE REQUEST-----\nMA==\n"
	      "-----END CERTIFICATE REQUEST-----\n"), .want_errors = 1,
	  .want_code = CS_E_EMPTY,
	  .want_msg = "a certificate signing request (CSR), not a "
		      "certificate" },
	{ BUF("-----BEGIN PUBLIC KEY-----\nMA==\n-----END PUBLIC KEY-----\n"),
	  .want_errors = 1, .want_code = CS_E_EMPTY,
	  .want_msg = "a public key, not a certificate" },
	{ BUF("-----BEGIN ENCRYPTED PRIVATE KEY-----\nMA==\n"
	      "-----END ENCRYPTED PRIVATE KEY-----\n"), .want_errors = 1,
	  .want_code = CS_E_EMPTY, .want_msg = "keys are never printed" },
	/* BEGIN and nothing else */
	{ BUF("-----BEGIN CERTIFICATE-----\n"), .want_found = 1,
	  .want_errors = 1, .want_code = CS_E_PARSE,
	  .want_msg = "PEM block 'CERTIFICATE' at line 1 has no END line" },
	/* BEGIN on line 3, second BEGIN before any END */
	{ BUF("a\nb\n-----BEGIN CERTIFICATE-----\nAAAA\n"
	      "-----BEGIN X509 CRL-----\n"), .want_found = 2,
	  .want_errors = 2, .want_code = CS_E_PARSE,
	  .want_msg = "at line 3 has no END line" },
	/* END with another label */
	{ BUF("-----BEGIN CERTIFICATE-----\nMAA=\n-----END X509 CRL-----\n"),
	  .want_found = 1, .want_errors = 1, .want_code = CS_E_PARSE,
	  .want_msg = "mismatched END line" },
	/* four dashes: malformed BEGIN line */
	{ BUF("-----BEGIN CERTIFICATE----\nMAA=\n-----END CERTIFICATE-----\n"),
	  .want_found = 1, .want_errors = 1, .want_code = CS_E_PARSE,
	  .want_msg = "malformed PEM BEGIN line at line 1" },
	/* NUL inside the label: not a label, not ours */
	{ BUF("-----BEGIN CERT\0IFICATE-----\nMAA=\n"
	      "-----END CERT\0IFICATE-----\n"),
	  .quiet = 1 },
	/* NUL inside the base64 on line 3 */
	{ BUF("x\n-----BEGIN CERTIFICATE-----\nMA\0A\n"
	      "-----END CERTIFICATE-----\n"),
	  .want_found = 1, .want_errors = 1, .want_code = CS_E_PARSE,
	  .want_msg = "bad base64 in PEM block 'CERTIFICATE' (line 3)" },
	/* one base64 symbol left over */
	{ BUF("-----BEGIN CERTIFICATE-----\nMAAAM\n"
	      "-----END CERTIFICATE-----\n"),
	  .want_found = 1, .want_errors = 1, .want_code = CS_E_PARSE,
	  .want_msg = "bad base64" },
	/* padding in the middle */
	{ BUF("-----BEGIN CERTIFICATE-----\nMA==MAAA\n"
	      "-----END CERTIFICATE-----\n"),
	  .want_found = 1, .want_errors = 1, .want_code = CS_E_PARSE,
	  .want_msg = "bad base64" },
	/* empty block */
	{ BUF("-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n"),
	  .want_found = 1, .want_errors = 1, .want_code = CS_E_PARSE,
	  .want_msg = "PEM block 'CERTIFICATE' at line 1 is empty" },
	/* block holding an INTEGER, not a SEQUENCE */
	{ BUF("-----BEGIN CERTIFICATE-----\nAgEB\n-----END CERTIFICATE-----\n"),
	  .want_found = 1, .want_errors = 1, .want_code = CS_E_PARSE,
	  .want_msg = "does not hold a DER SEQUENCE" },
	/* block whose DER claims more than it has */
	{ BUF("-----BEGIN X509 CRL-----\nMIIBAAAA\n-----END X509 CRL-----\n"),
	  .want_found = 1, .want_errors = 1, .want_code = CS_E_PARSE,
	  .want_msg = "truncated DER in PEM block 'X509 CRL' at line 1: "
		      "length says 260 bytes, 6 present" },
	/* PKCS7 block that is not PKCS#7 */
	{ BUF("-----BEGIN PKCS7-----\nMAA=\n-----END PKCS7-----\n"),
	  .want_found = 1, .want_errors = 1, .want_code = CS_E_PARSE,
	  .want_msg = "not a PKCS#7 structure" },
	/* UTF-16 text */
	{ BUF("\xff\xfe-\0-\0"), .want_errors = 1, .want_code = CS_E_EMPTY,
	  .want_msg = "UTF-16" },
};

static void test_load_buffer_table(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(buf_cases) / sizeof(buf_cases[0]); i++) {
		const struct buf_case *tc = &buf_cases[i];
		struct cs_itemlist l;
		struct cs_error err = { 0 };
		const struct cs_item *e;
		size_t found = 99;

		print_message("# buffer case %zu\n", i);
		cs_itemlist_init(&l);
		assert_cs_ok(cs_load_buffer(&l, tc->data, tc->len, "buf",
					    NULL, tc->quiet, &found, &err),
			     &err);
		check_items_sane(&l);
		assert_int_equal(found, tc->want_found);
		assert_int_equal(cs_itemlist_count(&l, CS_ITEM_ERROR),
				 tc->want_errors);
		if (tc->quiet && tc->want_found == 0)
			assert_int_equal(l.n, 0);
		e = first_error(&l);
		if (tc->want_errors) {
			assert_non_null(e);
			assert_int_equal(e->err.code, tc->want_code);
			if (!strstr(e->err.msg, tc->want_msg))
				fail_msg("'%s' lacks '%s'", e->err.msg,
					 tc->want_msg);
			assert_string_equal(e->origin.path, "buf");
		}
		cs_itemlist_free(&l);
	}
}

/* 50,000 nested definite-length SEQUENCEs: no recursion on content. */
static void test_load_deep_nesting(void **state)
{
	enum { DEPTH = 50000 };
	size_t cap = (size_t)DEPTH * 6 + 16, pos = cap, clen = 0, i;
	unsigned char *b = malloc(cap);
	struct cs_itemlist l;
	struct cs_error err = { 0 };

	(void)state;
	assert_non_null(b);
	/* Build inside out: each level wraps the previous one. */
	for (i = 0; i < DEPTH; i++) {
		size_t k = 0, v = clen;

		while (v) {
			b[--pos] = (unsigned char)v;
			v >>= 8;
			k++;
		}
		if (clen < 0x80 && k <= 1) {
			if (k == 0)
				b[--pos] = 0;
		} else {
			b[--pos] = (unsigned char)(0x80 | k);
		}
		b[--pos] = 0x30;
		clen = cap - pos;
	}
	cs_itemlist_init(&l);
	assert_cs_ok(cs_load_buffer(&l, b + pos, clen, "deep", NULL, 0, NULL,
				    &err), &err);
	assert_int_equal(l.n, 1);
	assert_int_equal(l.items[0].kind, CS_ITEM_ERROR);
	cs_itemlist_free(&l);
	free(b);
}

/* Base64 with 64-column lines, for building PEM in memory. */
static size_t b64_encode(const unsigned char *in, size_t len, char *out)
{
	static const char tab[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
				  "abcdefghijklmnopqrstuvwxyz0123456789+/";
	size_t i, n = 0, col = 0;

	for (i = 0; i < len; i += 3) {
		unsigned long v = (unsigned long)in[i] << 16;

		if (i + 1 < len)
			v |= (unsigned long)in[i + 1] << 8;
		if (i + 2 < len)
			v |= in[i + 2];
		out[n++] = tab[(v >> 18) & 63];
		out[n++] = tab[(v >> 12) & 63];
		out[n++] = i + 1 < len ? tab[(v >> 6) & 63] : '=';
		out[n++] = i + 2 < len ? tab[v & 63] : '=';
		if ((col += 4) == 64) {
			out[n++] = '\n';
			col = 0;
		}
	}
	out[n++] = '\n';
	return n;
}

/* One stray byte after a certificate, in DER and inside a PEM block:
 * the certificate loads and the byte is one error naming where. */
static void test_load_trailing_byte(void **state)
{
	static const char head[] = "-----BEGIN CERTIFICATE-----\n";
	static const char tail[] = "-----END CERTIFICATE-----\n";
	struct cs_itemlist l;
	struct cs_error err = { 0 };
	unsigned char *der, *buf;
	size_t len, n;
	char want[96];

	(void)state;
	der = slurp(tc_path("formats/ee-rsa.der"), &len);
	der[len] = '\n'; /* slurp() leaves one spare byte */

	cs_itemlist_init(&l);
	assert_cs_ok(cs_load_buffer(&l, der, len + 1, "der", NULL, 0, NULL,
				    &err), &err);
	assert_int_equal(l.n, 2);
	assert_int_equal(l.items[0].kind, CS_ITEM_CERT);
	snprintf(want, sizeof(want), "1 byte of trailing data after the "
		 "certificate at offset %zu", len);
	assert_string_equal(l.items[1].err.msg, want);
	cs_itemlist_free(&l);

	buf = malloc(len * 2 + 128);
	assert_non_null(buf);
	memcpy(buf, head, sizeof(head) - 1);
	n = sizeof(head) - 1;
	n += b64_encode(der, len + 1, (char *)buf + n);
	memcpy(buf + n, tail, sizeof(tail) - 1);
	n += sizeof(tail) - 1;
	cs_itemlist_init(&l);
	assert_cs_ok(cs_load_buffer(&l, buf, n, "pem", NULL, 0, NULL, &err),
		     &err);
	assert_int_equal(l.n, 2);
	assert_int_equal(l.items[0].kind, CS_ITEM_CERT);
	assert_int_equal(l.items[0].der_len, len);
	assert_memory_equal(l.items[0].der, der, len);
	assert_string_equal(l.items[1].err.msg,
			    "1 byte of trailing data after the certificate "
			    "in PEM block 'CERTIFICATE' at line 1");
	cs_itemlist_free(&l);
	free(buf);
	free(der);
}

/* ------------------------------------------------------------------ */
/* Directories. */

static void test_load_dirtree(void **state)
{
	struct cs_itemlist l;
	size_t i;

	(void)state;
	load_ok(&l, "dirtree", NULL);
	check_items_sane(&l);
	assert_int_equal(cs_itemlist_count(&l, CS_ITEM_CERT), 4);
	assert_int_equal(cs_itemlist_count(&l, CS_ITEM_ERROR), 0);
	assert_int_equal(l.files_read, 3);
	assert_int_equal(l.files_skipped, 2);
	/* Sorted walk: paths never go backwards. */
	for (i = 1; i < l.n; i++)
		assert_true(strcmp(l.items[i - 1].origin.path,
				   l.items[i].origin.path) <= 0);
	/* The DER file in the tree: index 1, DER. */
	for (i = 0; i < l.n; i++)
		if (strstr(l.items[i].origin.path, "ica-rsa.der"))
			assert_int_equal(l.items[i].origin.format, CS_FMT_DER);
	cs_itemlist_free(&l);
}

struct each_seen {
	size_t calls, certs, files_read, files_skipped, stop_after;
	char last[512];
};

static int each_file(void *ctx, struct cs_itemlist *items,
		     struct cs_error *err)
{
	struct each_seen *e = ctx;
	size_t i;

	e->calls++;
	e->files_read += items->files_read;
	e->files_skipped += items->files_skipped;
	e->certs += cs_itemlist_count(items, CS_ITEM_CERT);
	/* one file per call, in the walk's order */
	for (i = 0; i < items->n; i++) {
		assert_string_equal(items->items[i].origin.path,
				    items->items[0].origin.path);
		assert_true(strcmp(e->last, items->items[i].origin.path) <= 0);
	}
	if (items->n)
		snprintf(e->last, sizeof(e->last), "%s",
			 items->items[0].origin.path);
	if (e->stop_after && e->calls == e->stop_after)
		return cs_error_setx(err, CS_E_INTERNAL, "enough");
	return 0;
}

/* A tree a file at a time: the same items as cs_load_path, never more
 * than one file's at once; the callback can stop the walk. */
static void test_load_each(void **state)
{
	struct each_seen e;
	struct cs_error err;

	(void)state;
	memset(&e, 0, sizeof(e));
	assert_int_equal(cs_load_each(tc_path("dirtree"), NULL, each_file, &e,
				      &err), 0);
	assert_int_equal(e.certs, 4);
	assert_int_equal(e.files_read, 3);
	assert_int_equal(e.files_skipped, 2);
	assert_true(e.calls >= 3);
	/* a plain file: one call */
	memset(&e, 0, sizeof(e));
	assert_int_equal(cs_load_each(tc_path("pki/chain-rsa.pem"), NULL,
				      each_file, &e, &err), 0);
	assert_int_equal(e.calls, 1);
	assert_int_equal(e.certs, 2);
	/* stopped by the callback: its error, nothing after */
	memset(&e, 0, sizeof(e));
	e.stop_after = 1;
	assert_int_equal(cs_load_each(tc_path("dirtree"), NULL, each_file, &e,
				      &err), -1);
	assert_string_equal(err.msg, "enough");
	assert_int_equal(e.calls, 1);
}

static void copy_file(const char *from, const char *to)
{
	size_t len;
	unsigned char *b = slurp(from, &len);
	FILE *f = fopen(to, "wb");

	assert_non_null(f);
	assert_int_equal(fwrite(b, 1, len, f), len);
	fclose(f);
	free(b);
}

/* A symlink pointing back up the tree is visited once, not forever;
 * files with nothing are skipped, bad ones are errors. */
static void test_load_dir_symlink_loop(void **state)
{
	char dir[] = "/tmp/cs-test-load-XXXXXX";
	char p[PATH_MAX], q[PATH_MAX];
	struct cs_itemlist l;
	struct cs_error err = { 0 };

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(p, sizeof(p), "%s/sub", dir);
	assert_int_equal(mkdir(p, 0700), 0);
	snprintf(p, sizeof(p), "%s/sub/ee.pem", dir);
	copy_file(tc_path("pki/ee-rsa.pem"), p);
	snprintf(p, sizeof(p), "%s/sub/bad.der", dir);
	copy_file(tc_path("bad/truncated.der"), p);
	snprintf(p, sizeof(p), "%s/junk.bin", dir);
	copy_file(tc_path("bad/junk.bin"), p);
	snprintf(p, sizeof(p), "%s/sub/up", dir);
	assert_int_equal(symlink("..", p), 0);
	snprintf(q, sizeof(q), "%s/self", dir);
	assert_int_equal(symlink(".", q), 0);

	cs_itemlist_init(&l);
	assert_cs_ok(cs_load_path(&l, dir, NULL, &err), &err);
	assert_int_equal(cs_itemlist_count(&l, CS_ITEM_CERT), 1);
	assert_int_equal(cs_itemlist_count(&l, CS_ITEM_ERROR), 1);
	assert_non_null(strstr(first_error(&l)->err.msg, "truncated"));
	assert_int_equal(l.files_skipped, 1);
	cs_itemlist_free(&l);

	unlink(q);
	snprintf(p, sizeof(p), "%s/sub/up", dir);
	unlink(p);
	snprintf(p, sizeof(p), "%s/sub/ee.pem", dir);
	unlink(p);
	snprintf(p, sizeof(p), "%s/sub/bad.der", dir);
	unlink(p);
	snprintf(p, sizeof(p), "%s/junk.bin", dir);
	unlink(p);
	snprintf(p, sizeof(p), "%s/sub", dir);
	rmdir(p);
	rmdir(dir);
}

/* A hashed directory (HASH.0 links beside their targets, the links
 * sorting first or last): every file is read under each name, and once
 * with skip_seen_files, under the first name; defer_import keeps the
 * DER without a GnuTLS import and still checks the element count. */
static void test_load_dir_skip_seen_files(void **state)
{
	/* name, and a testcerts file to copy or a name to link to */
	static const struct {
		const char *name, *copy, *link;
	} files[] = {
		{"ee.pem", "pki/ee-rsa.pem", NULL},
		{"root.pem", "pki/root-rsa.pem", NULL},
		{"0abc.0", NULL, "root.pem"}, /* sorts before its target */
		{"zzz.0", NULL, "ee.pem"},    /* and after */
	};
	char dir[] = "/tmp/cs-test-load-XXXXXX";
	char p[PATH_MAX];
	struct cs_load_opts lo = {0};
	struct cs_itemlist l;
	struct cs_error err = { 0 };

	(void)state;
	assert_non_null(mkdtemp(dir));
	for (size_t i = 0; i < sizeof(files) / sizeof(*files); i++) {
		snprintf(p, sizeof(p), "%s/%s", dir, files[i].name);
		if (files[i].copy)
			copy_file(tc_path(files[i].copy), p);
		else
			assert_int_equal(symlink(files[i].link, p), 0);
	}

	cs_itemlist_init(&l);
	assert_cs_ok(cs_load_path(&l, dir, &lo, &err), &err);
	assert_int_equal(cs_itemlist_count(&l, CS_ITEM_CERT), 4);
	cs_itemlist_free(&l);

	lo.skip_seen_files = true;
	lo.defer_import = true;
	assert_cs_ok(cs_load_path(&l, dir, &lo, &err), &err);
	assert_int_equal(l.n, 2);
	assert_int_equal(cs_itemlist_count(&l, CS_ITEM_CERT), 2);
	assert_non_null(strstr(l.items[0].origin.path, "/0abc.0"));
	assert_non_null(strstr(l.items[1].origin.path, "/ee.pem"));
	for (size_t i = 0; i < l.n; i++) {
		gnutls_x509_crt_t crt;

		assert_null(l.items[i].crt);
		assert_int_equal(cs_cert_import(&crt, l.items[i].der,
						l.items[i].der_len,
						&l.items[i].origin, &err), 0);
		gnutls_x509_crt_deinit(crt);
	}
	cs_itemlist_free(&l);

	for (size_t i = 0; i < sizeof(files) / sizeof(*files); i++) {
		snprintf(p, sizeof(p), "%s/%s", dir, files[i].name);
		unlink(p);
	}
	rmdir(dir);
}

/* ------------------------------------------------------------------ */
/* Limits and stdin. */

static void test_load_file_size_limit(void **state)
{
	struct cs_load_opts opts = { .max_file_bytes = 100 };
	struct cs_itemlist l;
	const struct cs_item *e;
	size_t len;
	unsigned char *b;
	char want[80];

	(void)state;
	b = slurp(tc_path("pki/ee-rsa.pem"), &len);
	free(b);
	load_ok(&l, "pki/ee-rsa.pem", &opts);
	assert_int_equal(l.n, 1);
	e = first_error(&l);
	assert_non_null(e);
	assert_int_equal(e->err.code, CS_E_LIMIT);
	snprintf(want, sizeof(want), "file is %zu bytes; the limit is 100 "
		 "bytes", len);
	assert_string_equal(e->err.msg, want);
	assert_int_equal(e->origin.index, 0);
	cs_itemlist_free(&l);

	/* Exactly at the limit still loads. */
	opts.max_file_bytes = len;
	load_ok(&l, "pki/ee-rsa.pem", &opts);
	assert_int_equal(cs_itemlist_count(&l, CS_ITEM_CERT), 1);
	cs_itemlist_free(&l);
}

static void test_load_items_limit(void **state)
{
	struct cs_load_opts opts = { .max_items = 2 };
	struct cs_itemlist l;
	struct cs_error err = { 0 };

	(void)state;
	cs_itemlist_init(&l);
	assert_int_equal(cs_load_path(&l, tc_path("pki/fullchain-rsa.pem"),
				      &opts, &err), -1);
	assert_int_equal(err.code, CS_E_LIMIT);
	assert_non_null(strstr(err.msg, "the limit is 2 items"));
	/* What fitted stays in the list. */
	assert_int_equal(l.n, 2);
	cs_itemlist_free(&l);

	/* The limit is on the list, across calls. */
	opts.max_items = 3;
	load_ok(&l, "pki/chain-rsa.pem", &opts);
	assert_int_equal(l.n, 2);
	assert_int_equal(cs_load_path(&l, tc_path("pki/chain-rsa.pem"),
				      &opts, &err), -1);
	assert_int_equal(err.code, CS_E_LIMIT);
	assert_int_equal(l.n, 3);
	cs_itemlist_free(&l);
}

/* Run FN with fd 0 replaced by FD. */
static void with_stdin(int fd, const struct cs_load_opts *opts,
		       struct cs_itemlist *l)
{
	struct cs_error err = { 0 };
	int saved = dup(STDIN_FILENO);

	assert_true(saved >= 0);
	assert_true(dup2(fd, STDIN_FILENO) >= 0);
	close(fd);
	cs_itemlist_init(l);
	assert_cs_ok(cs_load_path(l, "-", opts, &err), &err);
	assert_true(dup2(saved, STDIN_FILENO) >= 0);
	close(saved);
}

static void test_load_stdin(void **state)
{
	struct cs_load_opts opts = { .max_file_bytes = 1000 };
	struct cs_itemlist l;
	unsigned char *b;
	size_t len;
	int fds[2];

	(void)state;
	/* A regular file as stdin. */
	with_stdin(open(tc_path("pki/chain-rsa.pem"), O_RDONLY), NULL, &l);
	assert_int_equal(cs_itemlist_count(&l, CS_ITEM_CERT), 2);
	assert_string_equal(l.items[0].origin.path, "-");
	cs_itemlist_free(&l);

	/* A pipe: read to the end, under the limit. */
	b = slurp(tc_path("formats/ee-rsa.der"), &len);
	assert_int_equal(pipe(fds), 0);
	assert_int_equal(write(fds[1], b, len), (ssize_t)len);
	close(fds[1]);
	opts.max_file_bytes = len;
	with_stdin(fds[0], &opts, &l);
	assert_int_equal(cs_itemlist_count(&l, CS_ITEM_CERT), 1);
	cs_itemlist_free(&l);

	/* A pipe over the limit: an error, nothing read past it. */
	assert_int_equal(pipe(fds), 0);
	assert_int_equal(write(fds[1], b, len), (ssize_t)len);
	close(fds[1]);
	opts.max_file_bytes = len - 1;
	with_stdin(fds[0], &opts, &l);
	assert_int_equal(l.n, 1);
	assert_int_equal(l.items[0].err.code, CS_E_LIMIT);
	assert_non_null(strstr(l.items[0].err.msg, "the limit is"));
	cs_itemlist_free(&l);
	free(b);
}

/* ------------------------------------------------------------------ */
/* Small API pieces. */

static void test_load_format_names(void **state)
{
	static const struct {
		enum cs_format fmt;
		const char *name;
	} rows[] = {
		{ CS_FMT_PEM, "PEM" },                /* text */
		{ CS_FMT_DER, "DER" },                /* binary */
		{ CS_FMT_PKCS7, "PKCS#7" },           /* .p7c */
		{ CS_FMT_PKCS7_PEM, "PKCS#7 (PEM)" }, /* .p7b */
		{ CS_FMT_PKCS12, "PKCS#12" },         /* .p12 */
		{ CS_FMT_NET, "TLS" },                /* from a peer */
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
		assert_string_equal(cs_format_name(rows[i].fmt), rows[i].name);
	cs_itemlist_free(NULL);
	assert_int_equal(cs_itemlist_count(NULL, CS_ITEM_CERT), 0);
}

/* ------------------------------------------------------------------ */
/* Every file of the shared hostile corpus: no crash, and each file gives
 * at least one item, each item sane. */

static const char *corpus_dir(void)
{
	static char buf[PATH_MAX];
	const char *s = getenv("CS_SHARED");

	snprintf(buf, sizeof(buf), "%s/corpus", s ? s : "/work/shared");
	return buf;
}

static size_t corpus_walk(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	struct stat st;
	char p[PATH_MAX];
	size_t files = 0;

	assert_non_null(d);
	while ((de = readdir(d)) != NULL) {
		struct cs_itemlist l;
		struct cs_error err = { 0 };

		if (de->d_name[0] == '.')
			continue;
		snprintf(p, sizeof(p), "%s/%s", dir, de->d_name);
		if (lstat(p, &st) < 0)
			continue;
		if (S_ISDIR(st.st_mode)) {
			files += corpus_walk(p);
			continue;
		}
		if (!S_ISREG(st.st_mode))
			continue;
		cs_itemlist_init(&l);
		assert_cs_ok(cs_load_path(&l, p, NULL, &err), &err);
		if (l.n == 0)
			fail_msg("%s: no item at all", p);
		check_items_sane(&l);
		cs_itemlist_free(&l);
		files++;
	}
	closedir(d);
	return files;
}

static void test_load_corpus(void **state)
{
	struct stat st;

	(void)state;
	if (stat(corpus_dir(), &st) < 0 || !S_ISDIR(st.st_mode)) {
		print_message("# no corpus at %s\n", corpus_dir());
		skip();
	}
	/* >= 50: the tests/data copy when the shared corpus is absent */
	assert_true(corpus_walk(corpus_dir()) >= 50);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_load_files_table),
		cmocka_unit_test(test_load_manifest),
		cmocka_unit_test(test_load_origin_pem_lines),
		cmocka_unit_test(test_load_origin_truncated_in_pem),
		cmocka_unit_test(test_load_origin_der),
		cmocka_unit_test(test_load_origin_p7c_offsets),
		cmocka_unit_test(test_load_same_der_from_every_format),
		cmocka_unit_test(test_load_trusted_cert_is_root),
		cmocka_unit_test(test_load_pem_line_ends),
		cmocka_unit_test(test_load_buffer_table),
		cmocka_unit_test(test_load_deep_nesting),
		cmocka_unit_test(test_load_trailing_byte),
		cmocka_unit_test(test_load_dirtree),
		cmocka_unit_test(test_load_each),
		cmocka_unit_test(test_load_dir_symlink_loop),
		cmocka_unit_test(test_load_dir_skip_seen_files),
		cmocka_unit_test(test_load_file_size_limit),
		cmocka_unit_test(test_load_items_limit),
		cmocka_unit_test(test_load_stdin),
		cmocka_unit_test(test_load_format_names),
		cmocka_unit_test(test_load_corpus),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
