/*
 * test_report.c - show's text, JSON and PEM output on real test
 * certificates, relative time phrases, and escaping of hostile names.
 * Fixed time: 2026-06-01T00:00:00Z.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "input/load.h"
#include "x509/model.h"
#include "report/jstream.h"
#include "report/show.h"

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
	/* one second past expiry */
	{-1, true, "expired 1 second ago"},
	/* one second short of a day is still hours */
	{DAY - 1, true, "expires in 23 hours"},
	/* one second past a day ago */
	{-DAY - 1, true, "expired 1 day ago"},
	/* start in the future */
	{3LL * DAY, false, "not yet valid, starts in 3 days"},
	/* start one second ahead */
	{1, false, "not yet valid, starts in 1 second"},
	/* start in the past */
	{-2LL * DAY, false, "started 2 days ago"},
	/* start exactly now counts as started */
	{0, false, "started 0 seconds ago"},
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

/* The far ends of int64_t neither overflow nor print garbage. */
static void test_relative_extremes(void **state)
{
	char buf[96];

	(void)state;
	cs_report_relative(INT64_MAX, INT64_MIN + 1, true, buf, sizeof(buf));
	assert_non_null(strstr(buf, "expires in "));
	assert_non_null(strstr(buf, " days"));
	cs_report_relative(INT64_MIN + 1, INT64_MAX, true, buf, sizeof(buf));
	assert_non_null(strstr(buf, "expired "));
	cs_report_relative(CS_TIME_NONE, AT, true, buf, sizeof(buf));
	assert_string_equal(buf, "no date");
	/* a 1-byte buffer still gets its terminator */
	cs_report_relative(AT + DAY, AT, true, buf, 1);
	assert_int_equal(buf[0], '\0');
}

struct expiry_row {
	long long delta;   /* not_after - now */
	long long days;    /* expires_in_days */
	bool expired;
	const char *color; /* colour code around the phrase, NULL: none */
};

static const struct expiry_row expiry_rows[] = {
	/* far ahead: no colour */
	{400LL * DAY, 400, false, NULL},
	/* exactly 30 days: no longer "soon" */
	{30LL * DAY, 30, false, NULL},
	/* one second inside 30 days: yellow */
	{30LL * DAY - 1, 29, false, "\033[33m"},
	/* one second short of a day: day 0 */
	{DAY - 1, 0, false, "\033[33m"},
	/* exactly one day */
	{DAY, 1, false, "\033[33m"},
	/* expiring at this very second counts as expired */
	{0, 0, true, "\033[1;31m"},
	/* one second after expiry: day -1 (rounded down) */
	{-1, -1, true, "\033[1;31m"},
	/* exactly one day after */
	{-DAY, -1, true, "\033[1;31m"},
	/* one second more than a day after */
	{-DAY - 1, -2, true, "\033[1;31m"},
};

/* expires_in_days, expired and the colour of the phrase at day and
 * 30-day boundaries, on a hand-filled model. */
static void test_expiry_boundaries(void **state)
{
	struct cs_report_opts o = {.now = AT, .color = true};
	struct cs_item item = {.kind = CS_ITEM_CERT,
			       .origin = {.path = "hand", .index = 1,
					  .format = CS_FMT_DER}};
	struct cs_cert_model m = {.subject = "CN=hand", .issuer = "CN=ca",
				  .serial_hex = "01", .path_len = -1,
				  .key_alg = "RSA", .key_bits = 2048,
				  .sig_alg = "RSA-SHA256"};

	(void)state;
	for (size_t i = 0; i < sizeof(expiry_rows) / sizeof(*expiry_rows);
	     i++) {
		const struct expiry_row *r = &expiry_rows[i];
		char *buf = NULL, *p;
		size_t len = 0;
		FILE *f;
		json_t *j;

		m.not_before = AT - 400LL * DAY;
		m.not_after = AT + r->delta;
		j = cs_report_cert_json(&item, &m, &o);
		assert_non_null(j);
		if (json_integer_value(json_object_get(j, "expires_in_days"))
		    != r->days)
			fail_msg("row %zu: %lld days, want %lld", i,
				 (long long)json_integer_value(json_object_get(
					 j, "expires_in_days")), r->days);
		assert_int_equal(json_is_true(json_object_get(j, "expired")),
				 r->expired);
		json_decref(j);

		f = open_memstream(&buf, &len);
		assert_non_null(f);
		assert_int_equal(cs_report_cert_text(f, &item, &m, &o), 0);
		fclose(f);
		p = strstr(buf, "\n  valid        ");
		assert_non_null(p);
		p = strchr(p, '(');
		assert_non_null(p);
		if (r->color == NULL) {
			if (strncmp(p, "(expires in", 11) != 0)
				fail_msg("row %zu: '%.40s'", i, p);
		} else if (strncmp(p + 1, r->color, strlen(r->color)) != 0) {
			fail_msg("row %zu: want colour, got '%.40s'", i, p);
		}
		free(buf);
	}
}

/* Not yet valid: the phrase is about the start, in red. */
static void test_text_not_yet_valid(void **state)
{
	struct loaded l;
	char *t;

	(void)state;
	load_first(&l, tc("pki/ee-notyet.pem"));
	t = render(&l, false, true);
	assert_non_null(strstr(t, "(\033[1;31mnot yet valid, starts in "));
	free(t);
	loaded_free(&l);
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

/* The type line and self_signed of show's own model (no self-signature
 * check): "self-issued" from the names and key identifiers, never
 * "self-signed"; JSON self_signed null.  A model from cs_model_from_crt
 * (checked) still says "self-signed". */
static void test_show_model_self_issued(void **state)
{
	static const struct {
		const char *file, *checked, *unchecked;
	} rows[] = {
		{"pki/root-rsa.pem", "root CA (self-signed)",
		 "root CA (self-issued)"},
		{"pki/root-ed25519.pem", "root CA (self-signed)",
		 "root CA (self-issued)"},
		{"pki/ee-selfsigned.pem", "leaf (self-signed)",
		 "leaf (self-issued)"},
		{"pki/ica-pathlen0.pem", "CA, path length 0",
		 "CA, path length 0"},
		{"pki/root-new-by-old.pem", "CA", "CA"},
		{"pki/ee-rsa.pem", "leaf", "leaf"},
	};

	(void)state;
	for (size_t i = 0; i < sizeof(rows) / sizeof(*rows); i++) {
		struct cs_report_opts o = {.now = AT};
		struct cs_error err;
		struct loaded l;
		char want[128], *t;
		json_t *j;

		print_message("# %s\n", rows[i].file);
		load_first(&l, tc(rows[i].file));
		t = render(&l, false, false);
		snprintf(want, sizeof(want), "\n  type         %s\n",
			 rows[i].checked);
		assert_non_null(strstr(t, want));
		free(t);
		cs_model_free(&l.m);
		for (int json = 0; json < 2; json++) {
			o.long_view = !json;
			assert_int_equal(cs_report_cert_model(&l.m, l.item, &o,
							      json, &err), 0);
			assert_false(l.m.self_sig_checked);
			/* --json and --long get every field */
			assert_true(l.m.spki_sha256_b64[0] != '\0');
			cs_model_free(&l.m);
		}
		o.long_view = false;
		assert_int_equal(cs_report_cert_model(&l.m, l.item, &o, false,
						      &err), 0);
		assert_string_equal(l.m.spki_sha256_b64, "");
		t = render(&l, false, false);
		snprintf(want, sizeof(want), "\n  type         %s\n",
			 rows[i].unchecked);
		assert_non_null(strstr(t, want));
		assert_null(strstr(t, "self-signed"));
		free(t);
		j = cs_report_cert_json(l.item, &l.m, &o);
		assert_non_null(j);
		assert_true(json_is_null(json_object_get(j, "self_signed")));
		json_decref(j);
		loaded_free(&l);
	}
}

/* Items loaded with defer_import (no GnuTLS import on loading): show's
 * model decodes each when it is shown, and gives the same text; one
 * GnuTLS refuses fails with the loader's message and position. */
static void test_show_model_deferred_import(void **state)
{
	struct cs_report_opts o = {.now = AT};
	struct cs_load_opts lo = {.defer_import = true};
	struct cs_itemlist list, eager;
	struct cs_cert_model m;
	struct cs_error err, e2;
	unsigned char *bad;
	struct loaded l;
	char *a, *b;
	size_t i, len;
	FILE *f;

	(void)state;
	load_first(&l, tc("pki/chain-rsa.pem"));
	cs_model_free(&l.m);
	assert_int_equal(cs_report_cert_model(&l.m, l.item, &o, false, &err),
			 0);
	a = render(&l, false, false);
	loaded_free(&l);

	cs_itemlist_init(&list);
	assert_int_equal(cs_load_path(&list, tc("pki/chain-rsa.pem"), &lo,
				      &err), 0);
	assert_null(list.items[0].crt);
	assert_int_equal(cs_report_cert_model(&m, &list.items[0], &o, false,
					      &err), 0);
	f = open_memstream(&b, &len);
	assert_non_null(f);
	assert_int_equal(cs_report_cert_text(f, &list.items[0], &m, &o), 0);
	fclose(f);
	assert_string_equal(a, b);
	free(a);
	free(b);
	cs_model_free(&m);

	/* the first UTCTime retagged as an OCTET STRING: GnuTLS refuses */
	len = list.items[0].der_len;
	bad = malloc(len);
	assert_non_null(bad);
	memcpy(bad, list.items[0].der, len);
	for (i = 0; i + 1 < len; i++)
		if (bad[i] == 0x17 && bad[i + 1] == 0x0d)
			break;
	assert_true(i + 1 < len);
	bad[i] = 0x04;
	cs_itemlist_init(&eager);
	assert_int_equal(cs_load_buffer(&eager, bad, len, "bad.der", NULL, 0,
					NULL, &e2), 0);
	assert_int_equal(eager.items[0].kind, CS_ITEM_ERROR);
	cs_itemlist_free(&list);
	assert_int_equal(cs_load_buffer(&list, bad, len, "bad.der", &lo, 0,
					NULL, &err), 0);
	assert_int_equal(list.items[0].kind, CS_ITEM_CERT);
	assert_int_equal(cs_report_cert_model(&m, &list.items[0], &o, true,
					      &err), -1);
	assert_string_equal(err.msg, eager.items[0].err.msg);
	assert_int_equal(err.code, eager.items[0].err.code);
	assert_non_null(strstr(err.msg, "GnuTLS says"));
	cs_model_free(&m);
	cs_itemlist_free(&eager);
	cs_itemlist_free(&list);
	free(bad);
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

/* A NUL inside the CN: visible in text, kept as \u0000 in JSON so the
 * name is not silently cut at the NUL. */
static void test_nul_cn(void **state)
{
	struct cs_report_opts o = {.now = AT};
	struct loaded l;
	char *t, *dump;
	json_t *j;

	(void)state;
	load_first(&l, shared("corpus/certscope-synthetic/cn-with-nul.der"));
	assert_non_null(memchr(l.m.subject_cn, '\0', l.m.subject_cn_len));
	/* RFC 4514 2.4: GnuTLS writes such a value as '#' and the hex of
	 * its DER, so the NUL shows as "00" between "test" and ".evil" */
	t = render(&l, false, false);
	assert_non_null(strstr(t, "\n  subject      CN=#0c"));
	assert_non_null(strstr(t, "74657374002e6576696c"));
	free(t);
	j = cs_report_cert_json(l.item, &l.m, &o);
	assert_non_null(j);
	assert_int_equal(json_string_length(json_object_get(j, "subject_cn")),
			 l.m.subject_cn_len);
	dump = json_dumps(j, JSON_ENSURE_ASCII);
	assert_non_null(dump);
	assert_non_null(strstr(dump, "\\u0000"));
	free(dump);
	json_decref(j);
	loaded_free(&l);
}

/* The CRL block: issuer, updates, revoked count, signature; and its
 * JSON twin. */
static void test_crl(void **state)
{
	struct cs_report_opts o = {.now = AT};
	struct cs_load_opts lo = {0};
	struct cs_itemlist list;
	struct cs_error err;
	const struct cs_item *crl = NULL;
	char *buf = NULL;
	size_t len = 0;
	FILE *f;
	json_t *j;

	(void)state;
	cs_itemlist_init(&list);
	assert_int_equal(cs_load_path(&list, tc("pki/crl-ica-rsa.pem"), &lo,
				      &err), 0);
	for (size_t i = 0; i < list.n; i++)
		if (list.items[i].kind == CS_ITEM_CRL)
			crl = &list.items[i];
	assert_non_null(crl);
	f = open_memstream(&buf, &len);
	assert_non_null(f);
	assert_int_equal(cs_report_crl_text(f, crl, &o), 0);
	fclose(f);
	assert_true(strncmp(buf, "CRL ", 4) == 0);
	assert_non_null(strstr(buf, "\n  issuer       CN=certscope Test "
				    "Intermediate RSA"));
	assert_non_null(strstr(buf, "\n  updated      "));
	assert_non_null(strstr(buf, " UTC, next "));
	assert_non_null(strstr(buf, "\n  revoked      1\n"));
	assert_non_null(strstr(buf, "\n  signature    RSA-SHA256\n"));
	free(buf);
	j = cs_report_crl_json(crl, &o);
	assert_non_null(j);
	assert_int_equal(json_integer_value(json_object_get(j,
				"revoked_count")), 1);
	assert_true(json_is_string(json_object_get(j, "this_update")));
	assert_true(json_is_boolean(json_object_get(j, "stale")));
	json_decref(j);
	cs_itemlist_free(&list);
}

/* An error item: file, index, line and the message, kind named. */
static void test_error_json(void **state)
{
	struct cs_item e = {.kind = CS_ITEM_ERROR,
			    .origin = {.path = "x.pem", .index = 2,
				       .line = 23, .format = CS_FMT_PEM}};
	json_t *j;

	(void)state;
	(void)cs_error_setx(&e.err, CS_E_PARSE, "bad base64");
	j = cs_report_error_json(&e);
	assert_non_null(j);
	assert_string_equal(json_string_value(json_object_get(j, "file")),
			    "x.pem");
	assert_int_equal(json_integer_value(json_object_get(j, "index")), 2);
	assert_int_equal(json_integer_value(json_object_get(j, "line")), 23);
	assert_string_equal(json_string_value(json_object_get(j, "error")),
			    "bad base64");
	assert_true(json_is_string(json_object_get(j, "kind")));
	json_decref(j);
}

/* A 400-byte serial (RFC 5280 4.1.2.2 allows 20) and a 3,000-byte
 * path are shown whole: no fixed buffer cuts them short. */
static void test_text_long_fields(void **state)
{
	enum { SERIAL_BYTES = 400, PATH_LEN = 3000 };
	static char hex[SERIAL_BYTES * 3], path[PATH_LEN + 1],
		    want[PATH_LEN + SERIAL_BYTES * 3 + 64];
	struct loaded l;
	struct cs_item it;
	char *t;

	(void)state;
	load_first(&l, tc("pki/ee-rsa.pem"));
	for (size_t i = 0, o = 0; i < SERIAL_BYTES; i++)
		o += (size_t)snprintf(hex + o, sizeof(hex) - o, "%s%02X",
				      i ? ":" : "", (unsigned)(i & 0xff));
	free(l.m.serial_hex);
	l.m.serial_hex = strdup(hex); /* owned by the model */
	assert_non_null(l.m.serial_hex);
	memset(path, 'd', PATH_LEN);
	path[PATH_LEN] = '\0';
	it = *l.item;
	it.origin.path = path;
	l.item = &it;
	t = render(&l, false, false);
	snprintf(want, sizeof(want), "certificate %s #1 (PEM, line 1)\n",
		 path);
	assert_true(strncmp(t, want, strlen(want)) == 0);
	snprintf(want, sizeof(want), "\n  serial       %s\n", hex);
	assert_non_null(strstr(t, want));
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

/* The document written an element at a time (jstream.h) is byte for
 * byte the one jansson writes whole: empty and nested arrays and
 * objects, strings with newlines, quotes and non-ASCII, a key that needs
 * escaping, and arrays spooled in a temporary file and in memory. */
static void test_jstream_matches_jansson(void **state)
{
	const char *keys[] = {"certificates", "empty", "k\"ey\n", "mem"};
	json_t *elems[4], *doc = json_object();
	struct cs_jarray arr[4];
	char *want = NULL, *got = NULL, *spool_mem = NULL;
	size_t want_len = 0, got_len = 0, spool_len = 0;
	FILE *w = open_memstream(&want, &want_len);
	FILE *g = open_memstream(&got, &got_len);
	FILE *tmp = tmpfile();
	FILE *mem = open_memstream(&spool_mem, &spool_len);

	(void)state;
	assert_non_null(doc);
	assert_non_null(w);
	assert_non_null(g);
	assert_non_null(tmp);
	assert_non_null(mem);
	elems[0] = json_pack("[{s:s,s:{},s:[],s:{s:[i,{s:n}]}},{s:s},i]",
			     "multi", "line\none \"q\" \xc3\xa9\x01", "o",
			     "a", "nest", "x", 1, "y", "s", "");
	elems[1] = json_array();
	elems[2] = json_pack("[s,{s:b}]", "spooled\n", "t", 1);
	elems[3] = json_pack("[{s:[{},{s:[]}]}]", "deep", "z");
	for (size_t i = 0; i < 4; i++) {
		assert_non_null(elems[i]);
		assert_int_equal(json_object_set(doc, keys[i], elems[i]), 0);
	}
	assert_int_equal(json_dumpf(doc, w, JSON_INDENT(2) |
				    JSON_PRESERVE_ORDER | JSON_ENSURE_ASCII),
			 0);
	fputc('\n', w);
	fclose(w);

	cs_jarray_init(&arr[0], g, NULL, NULL);
	cs_jarray_init(&arr[1], g, NULL, NULL);
	cs_jarray_init(&arr[2], tmp, NULL, NULL);
	cs_jarray_init(&arr[3], mem, &spool_mem, &spool_len);
	assert_int_equal(cs_jstream_begin(g, keys[0]), 0);
	/* the spooled arrays are filled first, then the first array */
	for (size_t a = 2; a < 4; a++)
		for (size_t k = 0; k < json_array_size(elems[a]); k++)
			assert_int_equal(cs_jarray_add(&arr[a],
				json_array_get(elems[a], k)), 0);
	for (size_t k = 0; k < json_array_size(elems[0]); k++)
		assert_int_equal(cs_jarray_add(&arr[0],
					       json_array_get(elems[0], k)), 0);
	for (size_t i = 0; i < 4; i++)
		assert_int_equal(cs_jstream_next(g, &arr[i], i + 1 < 4 ?
						 keys[i + 1] : NULL), 0);
	fclose(g);
	assert_string_equal(got, want);
	assert_int_equal(cs_jarray_add(&arr[0], NULL), -1); /* no element */

	fclose(tmp);
	fclose(mem);
	free(spool_mem);
	free(want);
	free(got);
	for (size_t i = 0; i < 4; i++)
		json_decref(elems[i]);
	json_decref(doc);
}

/* An element jansson cannot dump (a string that is not UTF-8, made with
 * the unchecked constructor) writes nothing of itself: the array and the
 * document around it stay valid JSON, and the failure is reported when
 * the array is closed. */
static void test_jstream_failed_element(void **state)
{
	char *got = NULL;
	size_t got_len = 0;
	FILE *g = open_memstream(&got, &got_len);
	struct cs_jarray arr;
	json_t *good = json_pack("{s:i}", "n", 1);
	json_t *bad = json_pack("{s:o}", "s",
				json_stringn_nocheck("\xff\xfe", 2));
	json_t *back;
	json_error_t jerr;

	(void)state;
	assert_non_null(g);
	assert_non_null(good);
	assert_non_null(bad);
	cs_jarray_init(&arr, g, NULL, NULL);
	assert_int_equal(cs_jstream_begin(g, "certificates"), 0);
	assert_int_equal(cs_jarray_add(&arr, good), 0);
	assert_int_equal(cs_jarray_add(&arr, bad), -1);
	assert_true(arr.err);
	assert_int_equal(cs_jarray_add(&arr, good), 0);
	assert_int_equal(arr.n, 2);
	assert_int_equal(cs_jstream_next(g, &arr, NULL), -1);
	fclose(g);
	back = json_loads(got, 0, &jerr);
	assert_non_null(back);
	assert_int_equal(json_array_size(json_object_get(back,
							 "certificates")), 2);
	assert_null(strstr(got, "\"s\""));
	json_decref(back);
	json_decref(good);
	json_decref(bad);
	free(got);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_text_block),
		cmocka_unit_test(test_text_long),
		cmocka_unit_test(test_text_color),
		cmocka_unit_test(test_relative),
		cmocka_unit_test(test_relative_extremes),
		cmocka_unit_test(test_expiry_boundaries),
		cmocka_unit_test(test_text_not_yet_valid),
		cmocka_unit_test(test_json_fields),
		cmocka_unit_test(test_show_model_self_issued),
		cmocka_unit_test(test_show_model_deferred_import),
		cmocka_unit_test(test_nul_cn),
		cmocka_unit_test(test_crl),
		cmocka_unit_test(test_error_json),
		cmocka_unit_test(test_hostile_cn),
		cmocka_unit_test(test_dates_exact),
		cmocka_unit_test(test_text_long_fields),
		cmocka_unit_test(test_pem_roundtrip),
		cmocka_unit_test(test_jstream_matches_jansson),
		cmocka_unit_test(test_jstream_failed_element),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
