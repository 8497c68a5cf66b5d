/*
 * test_report.c - show's text, JSON and PEM output on real test
 * certificates, relative time phrases, and escaping of hostile names.
 * Fixed time: 2026-06-01T00:00:00Z.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "load.h"
#include "model.h"
#include "report.h"

#define AT 1780272000 /* 2026-06-01T00:00:00Z */
#define DAY 86400

static char path_buf[4096];

static const char *tc(const char *rel)
{
	const char *base = getenv("CS_TESTCERTS");

	snprintf(path_buf, sizeof(path_buf), "%s/%s",
		 base ? base : "testcerts", rel);
	return path_buf;
}

static const char *shared(const char *rel)
{
	const char *base = getenv("CS_SHARED");

	snprintf(path_buf, sizeof(path_buf), "%s/%s", base ? base : "..",
		 rel);
	return path_buf;
}

struct loaded {
	struct cs_itemlist list;
	struct cs_cert_model m; /* of the first certificate */
	const struct cs_item *item;
};

static void load_first(struct loaded *l, const char *path)
{
	struct cs_load_opts lo = {0};
	struct cs_error err;

	cs_itemlist_init(&l->list);
	memset(&l->m, 0, sizeof(l->m));
	if (cs_load_path(&l->list, path, &lo, &err) < 0)
		fail_msg("%s: %s", path, err.msg);
	l->item = NULL;
	for (size_t i = 0; i < l->list.n; i++)
		if (l->list.items[i].kind == CS_ITEM_CERT) {
			l->item = &l->list.items[i];
			break;
		}
	assert_non_null(l->item);
	assert_int_equal(cs_model_from_crt(&l->m, l->item->crt, l->item->der,
					   l->item->der_len, &err), 0);
}

static void loaded_free(struct loaded *l)
{
	cs_model_free(&l->m);
	cs_itemlist_free(&l->list);
}

/* Render text into a string (caller frees). */
static char *render(const struct loaded *l, bool long_view, bool color)
{
	struct cs_report_opts o = {.color = color, .long_view = long_view,
				   .now = AT};
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	assert_int_equal(cs_report_cert_text(f, l->item, &l->m, &o), 0);
	fclose(f);
	return buf;
}

static void test_text_block(void **state)
{
	struct loaded l;
	char *t;

	(void)state;
	load_first(&l, tc("pki/chain-rsa.pem"));
	t = render(&l, false, false);
	assert_non_null(strstr(t, "chain-rsa.pem #1 (PEM, line 1)\n"));
	assert_non_null(strstr(t, "\n  subject      CN=www.example.test"));
	assert_non_null(strstr(t, "\n  issuer       CN=certscope Test "
				  "Intermediate RSA"));
	assert_non_null(strstr(t, "(expires in 578 days)"));
	assert_non_null(strstr(t, "DNS:www.example.test, DNS:example.test"));
	assert_non_null(strstr(t, "\n  key          RSA 2048 bits\n"));
	assert_non_null(strstr(t, "\n  type         leaf\n"));
	/* the short view has no extension lines and no colour */
	assert_null(strstr(t, "pin-sha256"));
	assert_null(strchr(t, '\033'));
	free(t);
	loaded_free(&l);
}

static void test_text_long(void **state)
{
	struct loaded l;
	char *t;

	(void)state;
	load_first(&l, tc("pki/ee-full.pem"));
	t = render(&l, true, false);
	assert_non_null(strstr(t, "CA:FALSE (critical)"));
	assert_non_null(strstr(t, "digitalSignature"));
	assert_non_null(strstr(t, "serverAuth"));
	assert_non_null(strstr(t, "\n  OCSP         http://"));
	assert_non_null(strstr(t, "\n  CRL          http://"));
	assert_non_null(strstr(t, "\n  SCT          log "));
	assert_non_null(strstr(t, "\n  pin-sha256   "));
	assert_non_null(strstr(t, "\n  sha1         "));
	free(t);
	loaded_free(&l);
}

static void test_text_color(void **state)
{
	struct loaded l;
	char *t;

	(void)state;
	load_first(&l, tc("pki/ee-expired.pem"));
	t = render(&l, false, true);
	/* bold subject, red "expired" */
	assert_non_null(strstr(t, "\033[1mCN="));
	assert_non_null(strstr(t, "\033[1;31mexpired "));
	free(t);
	loaded_free(&l);
}

struct rel_row {
	long long delta; /* t - now */
	bool is_end;
	const char *want;
};

static const struct rel_row rel_rows[] = {
	/* 23 days ahead */
	{23LL * DAY, true, "expires in 23 days"},
	/* 4 days ago */
	{-4LL * DAY, true, "expired 4 days ago"},
	/* exactly one day */
	{DAY, true, "expires in 1 day"},
	/* one second short of two days is still one day */
	{2LL * DAY - 1, true, "expires in 1 day"},
	/* under a day: hours */
	{5LL * 3600, true, "expires in 5 hours"},
	/* under two hours */
	{3600 + 59, true, "expires in 1 hour"},
	/* minutes */
	{-10LL * 60, true, "expired 10 minutes ago"},
	/* seconds */
	{30, true, "expires in 30 seconds"},
	/* exactly now */
	{0, true, "expires now"},
	/* start in the future */
	{3LL * DAY, false, "not valid until in 3 days"},
	/* start in the past */
	{-2LL * DAY, false, "valid since 2 days ago"},
};

static void test_relative(void **state)
{
	char buf[96];

	(void)state;
	for (size_t i = 0; i < sizeof(rel_rows) / sizeof(*rel_rows); i++) {
		cs_report_relative(AT + rel_rows[i].delta, AT,
				   rel_rows[i].is_end, buf, sizeof(buf));
		if (strcmp(buf, rel_rows[i].want) != 0)
			fail_msg("row %zu: '%s', want '%s'", i, buf,
				 rel_rows[i].want);
	}
}

static void test_json_fields(void **state)
{
	struct cs_report_opts o = {.now = AT};
	struct loaded l;
	json_t *j, *v;

	(void)state;
	load_first(&l, tc("pki/ee-full.pem"));
	j = cs_report_cert_json(l.item, &l.m, &o);
	assert_non_null(j);
	assert_string_equal(json_string_value(json_object_get(j,
				"not_after")), "2027-12-31T23:59:59Z");
	assert_int_equal(json_integer_value(json_object_get(j,
				"expires_in_days")), 578);
	assert_true(json_is_false(json_object_get(j, "is_ca")));
	v = json_object_get(j, "origin");
	assert_int_equal(json_integer_value(json_object_get(v, "index")), 1);
	assert_int_equal(json_integer_value(json_object_get(v, "line")), 1);
	assert_string_equal(json_string_value(json_object_get(v, "format")),
			    "PEM");
	v = json_object_get(j, "sans");
	assert_true(json_is_array(v) && json_array_size(v) >= 4);
	assert_string_equal(json_string_value(json_object_get(
		json_array_get(v, 0), "type")), "DNS");
	v = json_object_get(j, "key");
	assert_string_equal(json_string_value(json_object_get(v, "type")),
			    "RSA");
	assert_int_equal(json_integer_value(json_object_get(v, "bits")),
			 2048);
	v = json_object_get(j, "aia");
	assert_int_equal(json_array_size(json_object_get(v, "ocsp")), 1);
	assert_true(json_array_size(json_object_get(j, "scts")) >= 1);
	assert_true(json_array_size(json_object_get(j, "extensions")) >= 8);
	assert_int_equal(strlen(json_string_value(json_object_get(
		json_object_get(j, "fingerprints"), "sha256"))), 95);
	json_decref(j);
	loaded_free(&l);
}

/* A hostile CN: no raw ESC in text; JSON keeps it as data, escaped. */
static void test_hostile_cn(void **state)
{
	struct cs_report_opts o = {.now = AT};
	struct loaded l;
	char *t, *dump;
	json_t *j;

	(void)state;
	load_first(&l, shared("corpus/certscope-synthetic/cn-ansi-escape.der"));
	t = render(&l, true, false);
	assert_null(strchr(t, '\033'));
	assert_null(strchr(t, '\007'));
	assert_non_null(strstr(t, "\\x1b"));
	free(t);
	j = cs_report_cert_json(l.item, &l.m, &o);
	assert_non_null(j);
	dump = json_dumps(j, 0);
	assert_null(strchr(dump, '\033'));
	assert_non_null(strstr(dump, "\\u001B"));
	free(dump);
	json_decref(j);
	loaded_free(&l);

	load_first(&l, shared("corpus/certscope-synthetic/"
			      "cn-bidi-override.der"));
	t = render(&l, false, false);
	assert_null(strstr(t, "\xe2\x80\xae"));
	assert_non_null(strstr(t, "\\u202e"));
	free(t);
	loaded_free(&l);
}

/* UTCTime 50 is 1950 (RFC 5280 4.1.2.5.1), shown exactly. */
static void test_dates_exact(void **state)
{
	struct cs_report_opts o = {.now = AT};
	struct loaded l;
	json_t *j;

	(void)state;
	load_first(&l, shared("corpus/certscope-synthetic/"
			      "utc-50-means-1950.der"));
	j = cs_report_cert_json(l.item, &l.m, &o);
	assert_non_null(j);
	assert_string_equal(json_string_value(json_object_get(j,
				"not_after")), "1950-01-01T00:00:00Z");
	assert_true(json_is_true(json_object_get(j, "expired")));
	json_decref(j);
	loaded_free(&l);
}

/* PEM output re-imports to the same DER. */
static void test_pem_roundtrip(void **state)
{
	struct cs_load_opts lo = {0};
	struct cs_itemlist back;
	struct cs_error err;
	struct loaded l;
	char *buf = NULL;
	size_t len = 0, found = 0;
	FILE *f;

	(void)state;
	load_first(&l, tc("pki/chain-rsa.pem"));
	f = open_memstream(&buf, &len);
	assert_non_null(f);
	for (size_t i = 0; i < l.list.n; i++)
		assert_int_equal(cs_report_pem(f, &l.list.items[i]), 0);
	fclose(f);
	assert_non_null(strstr(buf, "-----BEGIN CERTIFICATE-----\n"));
	cs_itemlist_init(&back);
	assert_int_equal(cs_load_buffer(&back, (unsigned char *)buf, len,
					"mem", &lo, 0, &found, &err), 0);
	assert_int_equal(back.n, l.list.n);
	for (size_t i = 0; i < back.n; i++) {
		assert_int_equal(back.items[i].der_len,
				 l.list.items[i].der_len);
		assert_memory_equal(back.items[i].der, l.list.items[i].der,
				    back.items[i].der_len);
	}
	cs_itemlist_free(&back);
	free(buf);
	loaded_free(&l);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_text_block),
		cmocka_unit_test(test_text_long),
		cmocka_unit_test(test_text_color),
		cmocka_unit_test(test_relative),
		cmocka_unit_test(test_json_fields),
		cmocka_unit_test(test_hostile_cn),
		cmocka_unit_test(test_dates_exact),
		cmocka_unit_test(test_pem_roundtrip),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
