/*
 * test_report_connect.c - the --all-addresses comparison of connect's
 * report (report/connect.c) on hand-made address summaries: the table,
 * the sentence naming what differs, the address prefix dropped from an
 * error, and the "comparison" object of the JSON document.  The
 * per-address block is covered end to end by tests/e2e/test_connect.py.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <jansson.h>

#include "report/connect.h"

#define NOT_AFTER 1830297599 /* 2027-12-31T23:59:59Z */

static void good(struct cs_connect_summary *s, const char *addr)
{
	memset(s, 0, sizeof(*s));
	snprintf(s->addr, sizeof(s->addr), "%s", addr);
	s->verdict = "trusted";
	snprintf(s->version, sizeof(s->version), "TLS1.3");
	snprintf(s->cipher, sizeof(s->cipher), "TLS_AES_256_GCM_SHA384");
	s->n_certs = 2;
	memset(s->leaf_fp, 0xab, sizeof(s->leaf_fp));
	memset(s->chain_fp, 0xcd, sizeof(s->chain_fp));
	s->leaf_not_after = NOT_AFTER;
	s->ocsp = true;
}

/* The comparison text of n summaries, malloc'd. */
static char *comparison(const struct cs_connect_summary *s, size_t n)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	assert_int_equal(cs_report_connect_comparison_text(f, s, n), 0);
	fclose(f);
	return buf;
}

static void test_addresses_agree(void **state)
{
	struct cs_connect_summary s[2];
	char *t;

	(void)state;
	good(&s[0], "192.0.2.1:443");
	good(&s[1], "192.0.2.22:443");
	t = comparison(s, 2);
	assert_string_equal(t,
		"\nAddresses compared (2):\n"
		"  192.0.2.1:443   trusted      TLS1.3  2 certs  "
		"leaf AB:AB:AB:AB  not after 2027-12-31T23:59:59Z  OCSP stapled\n"
		"  192.0.2.22:443  trusted      TLS1.3  2 certs  "
		"leaf AB:AB:AB:AB  not after 2027-12-31T23:59:59Z  OCSP stapled\n"
		"All 2 addresses agree: same verdict, chain, protocol and "
		"cipher suite.\n");
	free(t);
}

/* What differs is named in one sentence; an address that failed counts
 * for the verdict only, and its reason is shown without the address. */
static void test_addresses_differ(void **state)
{
	struct cs_connect_summary s[3];
	char *t;

	(void)state;
	good(&s[0], "192.0.2.1:443");
	good(&s[1], "192.0.2.2:443");
	s[1].verdict = "rejected";
	s[1].leaf_fp[0] = 0;
	s[1].chain_fp[0] = 0;
	snprintf(s[1].version, sizeof(s[1].version), "TLS1.2");
	s[1].ocsp = false;
	memset(&s[2], 0, sizeof(s[2]));
	snprintf(s[2].addr, sizeof(s[2].addr), "192.0.2.3:443");
	cs_report_connect_summarize_error(&s[2], s[2].addr,
					  "192.0.2.3:443: connection refused");
	assert_string_equal(s[2].verdict, "error");
	assert_string_equal(s[2].error, "connection refused");
	t = comparison(s, 3);
	assert_non_null(strstr(t, "  192.0.2.2:443  NOT TRUSTED  TLS1.2  "
				 "2 certs  leaf 00:AB:AB:AB  not after "
				 "2027-12-31T23:59:59Z\n"));
	assert_non_null(strstr(t, "  192.0.2.3:443  error        "
				 "connection refused\n"));
	assert_non_null(strstr(t, "They differ in the verdict, the leaf "
				 "certificate, the chain sent, the protocol "
				 "version and the stapled OCSP response.\n"));
	free(t);
}

static void test_json_doc_comparison(void **state)
{
	struct cs_connect_summary s[2];
	json_t *results = json_array(), *doc, *c;
	json_error_t jerr;
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	(void)state;
	assert_non_null(f);
	good(&s[0], "192.0.2.1:443");
	good(&s[1], "192.0.2.2:443");
	snprintf(s[1].cipher, sizeof(s[1].cipher), "TLS_AES_128_GCM_SHA256");
	assert_int_equal(cs_report_connect_json_doc(f, "example.test", results,
						    s, 2), 0);
	/* without summaries: no comparison */
	assert_int_equal(cs_report_connect_json_doc(f, "example.test", results,
						    NULL, 0), 0);
	fclose(f);
	json_decref(results); /* borrowed by the documents */
	doc = json_loadb(buf, len, JSON_DISABLE_EOF_CHECK, &jerr);
	assert_non_null(doc);
	assert_string_equal(json_string_value(json_object_get(doc, "target")),
			    "example.test");
	assert_int_equal(json_array_size(json_object_get(doc, "results")), 0);
	c = json_object_get(doc, "comparison");
	assert_int_equal(json_integer_value(json_object_get(c, "addresses")),
			 2);
	assert_true(json_is_false(json_object_get(c, "agree")));
	assert_int_equal(json_array_size(json_object_get(c, "differences")),
			 1);
	assert_string_equal(json_string_value(json_array_get(
		json_object_get(c, "differences"), 0)), "cipher");
	json_decref(doc);
	doc = json_loads(buf + jerr.position, 0, &jerr);
	assert_non_null(doc);
	assert_null(json_object_get(doc, "comparison"));
	json_decref(doc);
	free(buf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_addresses_agree),
		cmocka_unit_test(test_addresses_differ),
		cmocka_unit_test(test_json_doc_comparison),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
