/* test_trust.c - the trust store: sources, dedupe, lookup by subject */
#include <errno.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>

#include "cs_config.h"
#include "path/trust.h"

#define MAX_CANDIDATES 8

static char path_buf[PATH_MAX];

/* $CS_TESTCERTS/rel */
static const char *tc(const char *rel)
{
	const char *base = getenv("CS_TESTCERTS");
	snprintf(path_buf, sizeof(path_buf), "%s/%s",
		 base ? base : "testcerts", rel);
	return path_buf;
}

#define assert_cs_ok(rc, err)                                           \
	do {                                                            \
		if ((rc) < 0)                                           \
			fail_msg("failed: %s", (err)->msg);             \
	} while (0)

/* The first certificate of a testcerts file, parsed by GnuTLS alone. */
static gnutls_x509_crt_t load_crt(const char *rel)
{
	gnutls_datum_t d = {NULL, 0};
	gnutls_x509_crt_t crt = NULL;
	gnutls_x509_crt_t *list = NULL;
	unsigned n = 0, i;

	assert_int_equal(gnutls_load_file(tc(rel), &d), 0);
	if (gnutls_x509_crt_list_import2(&list, &n, &d, GNUTLS_X509_FMT_PEM,
					 0) < 0 || n == 0) {
		assert_int_equal(gnutls_x509_crt_init(&crt), 0);
		assert_int_equal(gnutls_x509_crt_import(crt, &d,
					GNUTLS_X509_FMT_DER), 0);
	} else {
		crt = list[0];
		for (i = 1; i < n; i++)
			gnutls_x509_crt_deinit(list[i]);
		gnutls_free(list);
	}
	gnutls_free(d.data);
	return crt;
}

static struct cs_trust *store_of(const char *const *rels)
{
	struct cs_error err;
	struct cs_trust *t = cs_trust_new(&err);

	assert_non_null(t);
	for (; *rels; rels++)
		assert_cs_ok(cs_trust_add_path(t, tc(*rels), NULL, &err),
			     &err);
	return t;
}

/* ---- add_path over every format ---- */

struct add_case {
	const char *paths[4];
	int want_rc;            /* of the last add_path */
	size_t want_count;      /* anchors afterwards */
	size_t want_problems;   /* error items reported */
};

static const struct add_case add_cases[] = {
	/* a PEM bundle of three certificates */
	{.paths = {"pki/fullchain-rsa.pem"}, .want_count = 3},
	/* a DER file */
	{.paths = {"formats/ee-rsa.der"}, .want_count = 1},
	/* PKCS#7 in DER */
	{.paths = {"formats/chain-rsa.p7c"}, .want_count = 2},
	/* OpenSSL TRUSTED CERTIFICATE block: aux data ignored */
	{.paths = {"formats/trusted-cert.pem"}, .want_count = 1},
	/* a directory tree: 4 certificates, 2 non-certificate files */
	{.paths = {"dirtree"}, .want_count = 4},
	/* the same root in three files is one anchor */
	{.paths = {"pki/root-rsa.pem", "pki/fullchain-rsa.pem",
		   "formats/trusted-cert.pem"}, .want_count = 3},
	/* DER and PEM of the same certificate: deduped */
	{.paths = {"formats/ee-rsa.der", "pki/ee-rsa.pem"},
	 .want_count = 1},
	/* good, truncated, good: two anchors and one problem */
	{.paths = {"bad/truncated-in-pem.pem"}, .want_count = 2,
	 .want_problems = 1},
	/* a file that does not exist */
	{.paths = {"pki/no-such-file.pem"}, .want_rc = -1,
	 .want_problems = 1},
	/* a file with no certificate at all */
	{.paths = {"bad/notacert.txt"}, .want_rc = -1, .want_problems = 1},
	/* a CRL is not an anchor */
	{.paths = {"pki/crl-ica-rsa.pem"}, .want_rc = -1},
	/* an unreadable file after a good one keeps the good anchors */
	{.paths = {"pki/root-ec.pem", "bad/empty.pem"}, .want_rc = -1,
	 .want_count = 1, .want_problems = 1},
};

static void test_trust_add_path_table(void **state)
{
	size_t i, k;
	(void)state;

	for (i = 0; i < sizeof(add_cases) / sizeof(*add_cases); i++) {
		const struct add_case *c = &add_cases[i];
		struct cs_itemlist problems;
		struct cs_error err;
		struct cs_trust *t;
		int rc = 0;

		cs_error_clear(&err);
		cs_itemlist_init(&problems);
		t = cs_trust_new(&err);
		assert_non_null(t);
		for (k = 0; k < 4 && c->paths[k]; k++)
			rc = cs_trust_add_path(t, tc(c->paths[k]), &problems,
					       &err);
		if (rc != c->want_rc || cs_trust_count(t) != c->want_count ||
		    cs_itemlist_count(&problems, CS_ITEM_ERROR) !=
			    c->want_problems)
			fail_msg("case %zu (%s): rc %d count %zu problems %zu "
				 "(%s)", i, c->paths[0], rc,
				 cs_trust_count(t),
				 cs_itemlist_count(&problems, CS_ITEM_ERROR),
				 err.msg);
		if (rc < 0)
			assert_true(err.code != CS_E_OK && err.msg[0]);
		cs_itemlist_free(&problems);
		cs_trust_free(t);
	}
}

/* An OpenSSL-style hashed directory: HASH.0 symlinks next to the files
 * they point to, and one HASH.1 regular file copy. */
static void test_trust_hashed_dir(void **state)
{
	char dir[] = "/tmp/cs-trust-XXXXXX", link[PATH_MAX], src[PATH_MAX];
	char cmd[3 * PATH_MAX];
	struct cs_error err;
	struct cs_trust *t;
	gnutls_x509_crt_t ec;
	(void)state;

	assert_non_null(mkdtemp(dir));
	snprintf(src, sizeof(src), "%s", tc("pki/root-rsa.pem"));
	snprintf(link, sizeof(link), "%s/0a1b2c3d.0", dir);
	assert_int_equal(symlink(src, link), 0);
	snprintf(src, sizeof(src), "%s", tc("pki/root-ec.pem"));
	snprintf(link, sizeof(link), "%s/4e5f6a7b.0", dir);
	assert_int_equal(symlink(src, link), 0);
	snprintf(cmd, sizeof(cmd), "cp '%s' '%s/4e5f6a7b.1'", src, dir);
	assert_int_equal(system(cmd), 0);

	t = cs_trust_new(&err);
	assert_non_null(t);
	assert_cs_ok(cs_trust_add_path(t, dir, NULL, &err), &err);
	assert_int_equal(cs_trust_count(t), 2);
	ec = load_crt("pki/root-ec.pem");
	assert_true(cs_trust_contains(t, ec));
	gnutls_x509_crt_deinit(ec);
	cs_trust_free(t);

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
}

/* ---- anchors indexed lazily: one GnuTLS refuses ---- */

/* Append root-ec.pem as PEM with its first UTCTime retagged as an OCTET
 * STRING: the DER walk finds subject and key, GnuTLS refuses it ("Error
 * in DER parsing"), as the loader says when it imports it. */
static void append_refused(FILE *f)
{
	gnutls_x509_crt_t ec = load_crt("pki/root-ec.pem");
	gnutls_datum_t der = {NULL, 0}, pem = {NULL, 0};
	unsigned i;

	assert_int_equal(gnutls_x509_crt_export2(ec, GNUTLS_X509_FMT_DER,
						 &der), 0);
	for (i = 0; i + 1 < der.size; i++)
		if (der.data[i] == 0x17 && der.data[i + 1] == 0x0d)
			break;
	assert_true(i + 1 < der.size);
	der.data[i] = 0x04;
	assert_int_equal(gnutls_pem_base64_encode2("CERTIFICATE", &der, &pem),
			 0);
	assert_int_equal(fwrite(pem.data, 1, pem.size, f), pem.size);
	gnutls_free(pem.data);
	gnutls_free(der.data);
	gnutls_x509_crt_deinit(ec);
}

static void append_file(FILE *f, const char *rel)
{
	gnutls_datum_t d = {NULL, 0};

	assert_int_equal(gnutls_load_file(tc(rel), &d), 0);
	assert_int_equal(fwrite(d.data, 1, d.size, f), d.size);
	gnutls_free(d.data);
}

/* The loader's error item for item index of path (imported on loading). */
static void loader_error(const char *path, size_t index, struct cs_item *out)
{
	struct cs_itemlist list;
	struct cs_error err;
	size_t i;

	cs_itemlist_init(&list);
	assert_int_equal(cs_load_path(&list, path, NULL, &err), 0);
	for (i = 0; i < list.n; i++)
		if (list.items[i].origin.index == index)
			break;
	assert_true(i < list.n);
	assert_int_equal(list.items[i].kind, CS_ITEM_ERROR);
	*out = list.items[i];
	out->origin.path = NULL; /* freed with the list */
	cs_itemlist_free(&list);
}

static void assert_same_error(const struct cs_item *got,
			      const struct cs_item *want, const char *path)
{
	assert_int_equal(got->kind, CS_ITEM_ERROR);
	assert_string_equal(got->err.msg, want->err.msg);
	assert_int_equal(got->err.code, want->err.code);
	assert_int_equal(got->err.lib_code, want->err.lib_code);
	assert_string_equal(got->origin.path, path);
	assert_int_equal(got->origin.index, want->origin.index);
	assert_int_equal(got->origin.line, want->origin.line);
	assert_int_equal(got->origin.offset, want->origin.offset);
	assert_int_equal(got->origin.format, want->origin.format);
}

/*
 * --trust FILE indexes anchors from their DER and decodes them when
 * looked up.  A certificate GnuTLS refuses is never a candidate and is
 * reported with the loader's message and origin: among the problems of
 * cs_trust_add_path when no accepted certificate comes before it (and
 * the path fails when it holds no other), else as a late problem when a
 * lookup decodes it.
 */
static void test_trust_refused_anchor(void **state)
{
	char dir[] = "/tmp/cs-trust-XXXXXX", good_bad[PATH_MAX];
	char bad_good[PATH_MAX], bad_only[PATH_MAX], cmd[PATH_MAX + 16];
	gnutls_x509_crt_t out[MAX_CANDIDATES], ec, rsa;
	struct cs_itemlist problems;
	struct cs_item want;
	struct cs_error err;
	struct cs_trust *t;
	FILE *f;
	(void)state;

	assert_non_null(mkdtemp(dir));
	snprintf(good_bad, sizeof(good_bad), "%s/good-bad.pem", dir);
	snprintf(bad_good, sizeof(bad_good), "%s/bad-good.pem", dir);
	snprintf(bad_only, sizeof(bad_only), "%s/bad-only.pem", dir);
	assert_non_null(f = fopen(good_bad, "w"));
	append_file(f, "pki/root-rsa.pem");
	append_refused(f);
	fclose(f);
	assert_non_null(f = fopen(bad_good, "w"));
	append_refused(f);
	append_file(f, "pki/root-rsa.pem");
	fclose(f);
	assert_non_null(f = fopen(bad_only, "w"));
	append_refused(f);
	fclose(f);
	ec = load_crt("pki/root-ec.pem");
	rsa = load_crt("pki/root-rsa.pem");

	/* good then refused: found when looked up */
	loader_error(good_bad, 2, &want);
	assert_non_null(strstr(want.err.msg, "GnuTLS says"));
	cs_itemlist_init(&problems);
	assert_non_null(t = cs_trust_new(&err));
	assert_cs_ok(cs_trust_add_path(t, good_bad, &problems, &err), &err);
	assert_int_equal(problems.n, 0);
	assert_int_equal(cs_trust_late_problems(t)->n, 0);
	assert_int_equal(cs_trust_count(t), 2); /* not decoded yet */
	assert_false(cs_trust_contains_key(t, ec));
	assert_int_equal(cs_trust_find_issuers(t, ec, out, MAX_CANDIDATES), 0);
	assert_int_equal(cs_trust_count(t), 1);
	assert_int_equal(cs_trust_late_problems(t)->n, 1);
	assert_same_error(&cs_trust_late_problems(t)->items[0], &want,
			  good_bad);
	/* looked up again: reported once */
	assert_false(cs_trust_contains(t, ec));
	assert_int_equal(cs_trust_late_problems(t)->n, 1);
	assert_int_equal(cs_trust_find_issuers(t, rsa, out, MAX_CANDIDATES), 1);
	cs_trust_free(t);

	/* refused then good: a problem of add_path, as on loading */
	loader_error(bad_good, 1, &want);
	assert_non_null(t = cs_trust_new(&err));
	assert_cs_ok(cs_trust_add_path(t, bad_good, &problems, &err), &err);
	assert_int_equal(problems.n, 1);
	assert_same_error(&problems.items[0], &want, bad_good);
	assert_int_equal(cs_trust_count(t), 1);
	assert_int_equal(cs_trust_find_issuers(t, ec, out, MAX_CANDIDATES), 0);
	assert_int_equal(cs_trust_late_problems(t)->n, 0);
	cs_itemlist_free(&problems);
	cs_trust_free(t);

	/* nothing GnuTLS accepts: the path fails with the loader's error */
	loader_error(bad_only, 1, &want);
	assert_non_null(t = cs_trust_new(&err));
	assert_int_equal(cs_trust_add_path(t, bad_only, &problems, &err), -1);
	assert_string_equal(err.msg, want.err.msg);
	assert_int_equal(problems.n, 1);
	assert_same_error(&problems.items[0], &want, bad_only);
	assert_int_equal(cs_trust_count(t), 0);
	cs_itemlist_free(&problems);
	cs_trust_free(t);

	gnutls_x509_crt_deinit(ec);
	gnutls_x509_crt_deinit(rsa);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
}

/* ---- lookup ---- */

struct issuer_case {
	const char *cert;     /* whose issuers are looked up */
	size_t want;          /* anchors returned */
	const char *first;    /* expected first candidate, or NULL */
};

static const char *const cross_store[] = {
	"pki/root-new.pem", "pki/root-new-by-old.pem", "pki/root-old.pem",
	"pki/root-rsa.pem", NULL,
};

static const struct issuer_case issuer_cases[] = {
	/* issued by "New Root": root-new and root-new-by-old share it */
	{.cert = "pki/ica-x.pem", .want = 2},
	/* "Old Root": only root-old in the store */
	{.cert = "pki/root-new-by-old.pem", .want = 1,
	 .first = "pki/root-old.pem"},
	/* an RSA root issues ica-rsa */
	{.cert = "pki/ica-rsa.pem", .want = 1, .first = "pki/root-rsa.pem"},
	/* issued by ica-rsa, which is not an anchor */
	{.cert = "pki/ee-rsa.pem", .want = 0},
	/* issued by the EC intermediate: unrelated to the store */
	{.cert = "pki/ee-unrelated.pem", .want = 0},
	/* a self-signed anchor finds itself */
	{.cert = "pki/root-rsa.pem", .want = 1, .first = "pki/root-rsa.pem"},
};

static void test_trust_find_issuers_table(void **state)
{
	struct cs_trust *t = store_of(cross_store);
	gnutls_x509_crt_t out[MAX_CANDIDATES];
	size_t i, n, k;
	(void)state;

	assert_int_equal(cs_trust_count(t), 4);
	for (i = 0; i < sizeof(issuer_cases) / sizeof(*issuer_cases); i++) {
		const struct issuer_case *c = &issuer_cases[i];
		gnutls_x509_crt_t crt = load_crt(c->cert);
		n = cs_trust_find_issuers(t, crt, out, MAX_CANDIDATES);
		if (n != c->want)
			fail_msg("case %zu (%s): %zu issuers, want %zu", i,
				 c->cert, n, c->want);
		/* every candidate's subject is the certificate's issuer */
		for (k = 0; k < n; k++)
			assert_true(gnutls_x509_crt_check_issuer(crt,
								 out[k]));
		if (c->first) {
			gnutls_x509_crt_t want = load_crt(c->first);
			assert_true(gnutls_x509_crt_equals(out[0], want));
			gnutls_x509_crt_deinit(want);
		}
		gnutls_x509_crt_deinit(crt);
	}
	cs_trust_free(t);
}

static void test_trust_find_issuers_respects_max(void **state)
{
	struct cs_trust *t = store_of(cross_store);
	gnutls_x509_crt_t out[1], ica = load_crt("pki/ica-x.pem");
	(void)state;

	assert_int_equal(cs_trust_find_issuers(t, ica, out, 1), 1);
	assert_int_equal(cs_trust_find_issuers(t, ica, out, 0), 0);
	gnutls_x509_crt_deinit(ica);
	cs_trust_free(t);
}

struct contains_case {
	const char *cert;
	bool want_contains;     /* same DER */
	bool want_contains_key; /* same subject and key */
};

static const struct contains_case contains_cases[] = {
	/* the anchor itself */
	{.cert = "pki/root-new.pem", .want_contains = true,
	 .want_contains_key = true},
	/* the cross-signed copy: same name and key, other issuer */
	{.cert = "pki/root-new-by-old.pem", .want_contains_key = true},
	/* same issuer DN family, different subject */
	{.cert = "pki/root-old.pem"},
	/* the anchor, read from a DER file */
	{.cert = "formats/ee-rsa.der"},
	/* an intermediate under the anchor */
	{.cert = "pki/ica-x.pem"},
};

static void test_trust_contains_table(void **state)
{
	static const char *const store[] = {"pki/root-new.pem", NULL};
	struct cs_trust *t = store_of(store);
	size_t i;
	(void)state;

	for (i = 0; i < sizeof(contains_cases) / sizeof(*contains_cases);
	     i++) {
		const struct contains_case *c = &contains_cases[i];
		gnutls_x509_crt_t crt = load_crt(c->cert);
		if (cs_trust_contains(t, crt) != c->want_contains ||
		    cs_trust_contains_key(t, crt) != c->want_contains_key)
			fail_msg("case %zu (%s)", i, c->cert);
		gnutls_x509_crt_deinit(crt);
	}
	cs_trust_free(t);
}

/* ---- the bundled and the system store ---- */

static size_t count_begin(const char *path)
{
	FILE *f = fopen(path, "r");
	char line[256];
	size_t n = 0;

	assert_non_null(f);
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, "-----BEGIN CERTIFICATE-----", 27))
			n++;
	fclose(f);
	return n;
}

static void test_trust_bundled(void **state)
{
	struct cs_error err;
	struct cs_trust *t = cs_trust_new(&err);
	gnutls_x509_crt_t *list = NULL, out[MAX_CANDIDATES];
	gnutls_datum_t d = {NULL, 0};
	unsigned n = 0, i;
	size_t found;
	int added;
	(void)state;

	assert_non_null(t);
	added = cs_trust_add_bundled(t, CS_SOURCE_TRUST, &err);
	assert_cs_ok(added, &err);
	assert_true(added > 0);
	assert_int_equal((size_t)added, count_begin(CS_SOURCE_TRUST));
	assert_int_equal(cs_trust_count(t), (size_t)added);
	cs_trust_set_source(t, CS_TRUST_BUNDLED);
	assert_int_equal(cs_trust_source(t), CS_TRUST_BUNDLED);
	assert_non_null(strstr(cs_trust_source_name(t), "bundled"));

	/* every bundled root is found as its own issuer (all are
	 * self-issued), parsed lazily on first use */
	assert_int_equal(gnutls_load_file(CS_SOURCE_TRUST, &d), 0);
	assert_int_equal(gnutls_x509_crt_list_import2(&list, &n, &d,
				GNUTLS_X509_FMT_PEM, 0), 0);
	assert_int_equal(n, (unsigned)added);
	for (i = 0; i < n; i++) {
		bool self = false;
		found = cs_trust_find_issuers(t, list[i], out,
					      MAX_CANDIDATES);
		for (size_t k = 0; k < found; k++)
			self = self || gnutls_x509_crt_equals(out[k], list[i]);
		assert_true(self);
		assert_true(cs_trust_contains(t, list[i]));
		gnutls_x509_crt_deinit(list[i]);
	}
	gnutls_free(list);
	gnutls_free(d.data);

	/* adding it again adds nothing */
	assert_int_equal(cs_trust_add_bundled(t, CS_SOURCE_TRUST, &err), 0);
	/* a missing bundle is an error */
	assert_int_equal(cs_trust_add_bundled(t, tc("pki/none.pem"), &err),
			 -1);
	assert_int_equal(err.code, CS_E_IO);
	/* a file without PEM certificates is an error too */
	assert_int_equal(cs_trust_add_bundled(t, tc("formats/ee-rsa.der"),
					      &err), -1);
	cs_trust_free(t);
}

static void test_trust_system(void **state)
{
	struct cs_error err;
	struct cs_trust *t = cs_trust_new(&err);
	int n;
	(void)state;

	assert_non_null(t);
	n = cs_trust_add_system(t, &err);
	assert_cs_ok(n, &err);
	if (n == 0) {
		cs_trust_free(t);
		skip();
	}
	assert_int_equal(cs_trust_count(t), (size_t)n);
	cs_trust_set_source(t, CS_TRUST_SYSTEM);
	assert_non_null(strstr(cs_trust_source_name(t), "system"));
	/* --trust plus --system-trust: the files' anchors stay */
	assert_cs_ok(cs_trust_add_path(t, tc("pki/root-rsa.pem"), NULL,
				       &err), &err);
	assert_int_equal(cs_trust_count(t), (size_t)n + 1);
	cs_trust_free(t);
}

static void test_trust_empty_and_null(void **state)
{
	struct cs_error err;
	struct cs_trust *t = cs_trust_new(&err);
	gnutls_x509_crt_t out[MAX_CANDIDATES], crt = load_crt("pki/ee-rsa.pem");
	(void)state;

	assert_non_null(t);
	assert_int_equal(cs_trust_count(t), 0);
	assert_int_equal(cs_trust_source(t), CS_TRUST_NONE);
	assert_int_equal(cs_trust_find_issuers(t, crt, out, MAX_CANDIDATES),
			 0);
	assert_false(cs_trust_contains(t, crt));
	assert_false(cs_trust_contains_key(t, crt));
	assert_int_equal(cs_trust_find_issuers(t, NULL, out, MAX_CANDIDATES),
			 0);
	gnutls_x509_crt_deinit(crt);
	cs_trust_free(t);
	cs_trust_free(NULL);
}

/* More anchors than buckets: the table grows and finds all of them. */
static void test_trust_many_anchors_rehash(void **state)
{
	struct cs_error err;
	struct cs_trust *t = cs_trust_new(&err);
	int n;
	(void)state;

	assert_non_null(t);
	n = cs_trust_add_bundled(t, CS_SOURCE_TRUST, &err);
	assert_cs_ok(n, &err);
	assert_cs_ok(cs_trust_add_path(t, tc("pki"), NULL, &err), &err);
	assert_true(cs_trust_count(t) > (size_t)n);
	{
		gnutls_x509_crt_t ica = load_crt("pki/ica-rsa.pem"), out[2];
		assert_int_equal(cs_trust_find_issuers(t, ica, out, 2), 1);
		assert_true(cs_trust_contains(t, ica));
		gnutls_x509_crt_deinit(ica);
	}
	cs_trust_free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_trust_add_path_table),
		cmocka_unit_test(test_trust_hashed_dir),
		cmocka_unit_test(test_trust_refused_anchor),
		cmocka_unit_test(test_trust_find_issuers_table),
		cmocka_unit_test(test_trust_find_issuers_respects_max),
		cmocka_unit_test(test_trust_contains_table),
		cmocka_unit_test(test_trust_bundled),
		cmocka_unit_test(test_trust_system),
		cmocka_unit_test(test_trust_empty_and_null),
		cmocka_unit_test(test_trust_many_anchors_rehash),
	};
	int rc;

	gnutls_global_init();
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	gnutls_global_deinit();
	return rc;
}
