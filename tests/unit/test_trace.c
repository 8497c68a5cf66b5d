/*
 * test_trace.c - connect --trace without a network: the bounded recording
 * of net/trace.c (steps, details and values over their limits, the
 * "stopped" step), the reading of our own ClientHello (tls_trace.c) on
 * hand-made messages and every truncation of one, and report/trace.c's
 * lines and JSON on a hand-made trace, hostile bytes included.  The
 * steps of real handshakes are covered by tests/e2e/test_trace.py.
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

#include "net/net_int.h"
#include "report/trace.h"

/* A clock that moves 2 ms each time it is read. */
static int64_t fake_ms(void *ctx)
{
	int64_t *now = ctx;

	*now += 2;
	return *now;
}

static void start(struct cs_net_trace *t, int64_t *now)
{
	struct cs_deadline dl = {.at_ms = 0, .now_ms = fake_ms, .ctx = now};

	*now = 1000;
	cs_net_trace_init(t, &dl);
}

/* The text lines of t, malloc'd. */
static char *lines(const struct cs_net_trace *t)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	assert_int_equal(cs_report_trace_text(f, t, NULL), 0);
	fclose(f);
	return buf;
}

static void test_trace_steps_bounded(void **state)
{
	struct cs_net_trace t;
	int64_t now;
	size_t i;
	char *s;

	(void)state;
	start(&t, &now);
	for (i = 0; i < CS_NET_TRACE_MAX_STEPS + 5; i++)
		cs_net_trace_str(cs_net_trace_add(&t, CS_TRACE_RECEIVED,
						  "SMTP"), "line", "250-x");
	assert_int_equal(t.n, CS_NET_TRACE_MAX_STEPS);
	assert_int_equal(t.dropped, 5);
	assert_int_equal(t.v[0].ms, 2);
	s = lines(&t);
	assert_non_null(strstr(s, "\n           ... 5 more steps not "
				  "recorded (limit 256)\n"));
	free(s);
	/* clear: no steps, the clock goes on from the same start */
	cs_net_trace_clear(&t);
	assert_int_equal(t.n, 0);
	assert_int_equal(t.dropped, 0);
	assert_non_null(cs_net_trace_add(&t, CS_TRACE_LOCAL, "connect"));
	assert_true(t.v[0].ms > 2);
	cs_net_trace_free(&t);
	cs_net_trace_free(NULL);
	/* no trace: nothing, no crash */
	assert_null(cs_net_trace_add(NULL, CS_TRACE_LOCAL, "connect"));
	cs_net_trace_num(NULL, "x", 1);
}

static void test_trace_details_bounded(void **state)
{
	struct cs_net_trace t;
	struct cs_net_trace_step *st;
	char big[500];
	int64_t now;
	unsigned i;
	json_t *j, *d;
	char *s;

	(void)state;
	memset(big, 'y', sizeof(big));
	big[0] = '\x1b'; /* a terminal escape from the server */
	big[1] = '\n';
	start(&t, &now);
	st = cs_net_trace_add(&t, CS_TRACE_RECEIVED, "SMTP");
	cs_net_trace_text(st, "line", big, sizeof(big));
	for (i = 0; i < CS_NET_TRACE_MAX_FIELDS + 3; i++)
		cs_net_trace_num(st, "n", i);
	assert_int_equal(st->nf, CS_NET_TRACE_MAX_FIELDS);
	assert_int_equal(st->more, 4);
	assert_true(st->f[0].cut);
	assert_int_equal(st->f[0].len, CS_NET_TRACE_MAX_VALUE);
	s = lines(&t);
	assert_null(strchr(s, '\x1b'));
	assert_int_equal(strchr(s, '\n') - s, strlen(s) - 1); /* one line */
	assert_non_null(strstr(s, "     2 ms  <- SMTP                "
				  "\\x1b\\nyyy"));
	assert_non_null(strstr(s, "yyy..., n 0, n 1"));
	assert_non_null(strstr(s, " (cut at 120 bytes) (4 more details not "
				  "kept, limit 20)\n"));
	free(s);
	j = cs_report_trace_json(&t, NULL);
	assert_non_null(j);
	d = json_object_get(json_array_get(j, 0), "details");
	assert_int_equal(json_integer_value(json_object_get(d, "cut_at_bytes")),
			 120);
	assert_int_equal(json_integer_value(json_object_get(d,
				"details_not_kept")), 4);
	assert_int_equal(strlen(json_string_value(json_object_get(d, "line"))),
			 CS_NET_TRACE_MAX_VALUE);
	json_decref(j);
	cs_net_trace_free(&t);
}

static void test_trace_stopped(void **state)
{
	struct cs_net_trace t;
	struct cs_error err;
	int64_t now;
	int i;
	char *s;

	(void)state;
	start(&t, &now);
	cs_error_setx(&err, CS_E_NET, "192.0.2.1:443: connection refused");
	cs_net_trace_stop(&t, "192.0.2.1:443", &err);
	/* no connect step said the address: the reason keeps it */
	s = lines(&t);
	assert_string_equal(s, "     2 ms  stopped                "
			    "192.0.2.1:443: connection refused\n");
	free(s);
	cs_net_trace_clear(&t);
	(void)cs_net_trace_add(&t, CS_TRACE_LOCAL, "connect");
	/* 16 steps: the "stopped" step grows the array under them */
	for (i = 0; i < 13; i++)
		(void)cs_net_trace_add(&t, CS_TRACE_RECEIVED, "SMTP");
	(void)cs_net_trace_add(&t, CS_TRACE_SENT, "ClientHello");
	cs_net_trace_alert(&t, CS_TRACE_RECEIVED, 40, true);
	assert_int_equal(t.n, t.cap);
	cs_error_setx(&err, CS_E_NET, "192.0.2.1:443: TLS handshake failure");
	cs_net_trace_stop(&t, "192.0.2.1:443", &err);
	s = lines(&t);
	/* the alert is why, not where */
	assert_non_null(strstr(s, "  <- Alert               handshake_failure "
				  "(40), fatal\n"));
	assert_non_null(strstr(s, "  stopped                after -> "
				  "ClientHello: TLS handshake failure\n"));
	free(s);
	cs_net_trace_free(&t);
}

/* A ClientHello body: version, random, session id, suites, compression,
 * extensions. */
static const unsigned char hello[] = {
	0x03, 0x03,
	/* random */
	1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16,
	17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32,
	0x00,                                     /* session id */
	0x00, 0x06, 0x13, 0x01, 0x13, 0x02, 0x00, 0xff, /* 2 suites, SCSV */
	0x01, 0x00,                               /* null compression */
	0x00, 0x46,                               /* extensions: 70 */
	/* server_name: www.example.test */
	0x00, 0x00, 0x00, 0x15, 0x00, 0x13, 0x00, 0x00, 0x10,
	'w', 'w', 'w', '.', 'e', 'x', 'a', 'm', 'p', 'l', 'e', '.',
	't', 'e', 's', 't',
	/* supported_groups: 3 */
	0x00, 0x0a, 0x00, 0x08, 0x00, 0x06, 0x00, 0x1d, 0x00, 0x17,
	0x00, 0x18,
	/* ALPN: h2, http/1.1 */
	0x00, 0x10, 0x00, 0x0e, 0x00, 0x0c, 0x02, 'h', '2', 0x08,
	'h', 't', 't', 'p', '/', '1', '.', '1',
	/* supported_versions: GREASE, TLS 1.3, TLS 1.2 */
	0x00, 0x2b, 0x00, 0x07, 0x06, 0x0a, 0x0a, 0x03, 0x04, 0x03,
	0x03,
	/* status_request */
	0x00, 0x05, 0x00, 0x00,
};

static void test_trace_client_hello(void **state)
{
	struct cs_net_trace t;
	int64_t now;
	size_t i;
	json_t *j;
	char *s, *d;

	(void)state;
	start(&t, &now);
	cs_net_trace_client_hello(cs_net_trace_add(&t, CS_TRACE_SENT,
						   "ClientHello"),
				  hello, sizeof(hello));
	s = lines(&t);
	assert_string_equal(s, "     2 ms  -> ClientHello         TLS1.3 "
			    "TLS1.2 offered, SNI www.example.test, ALPN "
			    "h2,http/1.1, 3 groups, 2 cipher suites, "
			    "status_request\n");
	free(s);
	j = cs_report_trace_json(&t, NULL);
	d = json_dumps(json_object_get(json_array_get(j, 0), "details"),
		       JSON_COMPACT);
	assert_string_equal(d, "{\"versions\":[\"TLS1.3\",\"TLS1.2\"],"
			    "\"sni\":\"www.example.test\",\"alpn_protocols\":"
			    "[\"h2\",\"http/1.1\"],\"groups\":3,"
			    "\"cipher_suites\":2,\"status_request\":true}");
	free(d);
	json_decref(j);
	/* every truncation reads within its bytes (ASan watches) */
	for (i = 0; i < sizeof(hello); i++) {
		unsigned char *cut = malloc(i ? i : 1);

		assert_non_null(cut);
		memcpy(cut, hello, i);
		cs_net_trace_clear(&t);
		cs_net_trace_client_hello(cs_net_trace_add(&t, CS_TRACE_SENT,
							   "ClientHello"),
					  cut, i);
		free(cut);
	}
	cs_net_trace_free(&t);
}

static void test_trace_resolve_text(void **state)
{
	struct cs_net_trace t;
	struct cs_net_trace_step *st;
	int64_t now;
	char *s;

	(void)state;
	start(&t, &now);
	st = cs_net_trace_add(&t, CS_TRACE_LOCAL, "resolve");
	cs_net_trace_str(st, "host", "www.example.test");
	cs_net_trace_str(st, "how", "dns");
	cs_net_trace_str(st, "addresses", "192.0.2.10");
	cs_net_trace_str(st, "addresses", "2001:db8::10");
	st = cs_net_trace_add(&t, CS_TRACE_LOCAL, "resolve");
	cs_net_trace_str(st, "host", "localhost");
	cs_net_trace_str(st, "how", "localhost");
	cs_net_trace_str(st, "addresses", "::1");
	st = cs_net_trace_add(&t, CS_TRACE_RECEIVED, "Certificate");
	cs_net_trace_num(st, "certificates", 1);
	(void)cs_net_trace_add(&t, CS_TRACE_RECEIVED, "Finished");
	s = lines(&t);
	assert_string_equal(s,
		"     2 ms  resolve                www.example.test -> "
		"192.0.2.10, 2001:db8::10\n"
		"     4 ms  resolve                localhost -> ::1 "
		"(localhost: no lookup, RFC 6761)\n"
		"     6 ms  <- Certificate         1 certificate\n"
		"     8 ms  <- Finished\n");
	free(s);
	cs_net_trace_free(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_trace_steps_bounded),
		cmocka_unit_test(test_trace_details_bounded),
		cmocka_unit_test(test_trace_stopped),
		cmocka_unit_test(test_trace_client_hello),
		cmocka_unit_test(test_trace_resolve_text),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
