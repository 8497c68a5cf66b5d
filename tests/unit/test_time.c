/* test_time.c - calendar conversion, RFC 3339 formatting, user time
 * parsing and colon hex (src/core/timeutil.c) */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "x509/model.h"

/* The fixed "now" of every time-dependent test: 2026-06-01T00:00:00Z. */
#define NOW ((cs_time_t)1780272000)

struct civil_row {
	int y, mo, d, h, mi, s;
	cs_time_t want;
	const char *want_text;
};

static const struct civil_row civil_rows[] = {
	/* the epoch */
	{.y = 1970, .mo = 1, .d = 1, .want = 0,
	 .want_text = "1970-01-01T00:00:00Z"},
	/* one second before the epoch: floor, not truncation */
	{.y = 1969, .mo = 12, .d = 31, .h = 23, .mi = 59, .s = 59, .want = -1,
	 .want_text = "1969-12-31T23:59:59Z"},
	/* UTCTime "50" per RFC 5280 4.1.2.5.1 */
	{.y = 1950, .mo = 1, .d = 1, .want = -631152000,
	 .want_text = "1950-01-01T00:00:00Z"},
	/* one past the signed 32-bit time_t limit */
	{.y = 2038, .mo = 1, .d = 19, .h = 3, .mi = 14, .s = 8,
	 .want = INT64_C(2147483648), .want_text = "2038-01-19T03:14:08Z"},
	/* last second that must be a UTCTime */
	{.y = 2049, .mo = 12, .d = 31, .h = 23, .mi = 59, .s = 59,
	 .want = INT64_C(2524607999), .want_text = "2049-12-31T23:59:59Z"},
	/* first second that must be a GeneralizedTime */
	{.y = 2050, .mo = 1, .d = 1, .want = INT64_C(2524608000),
	 .want_text = "2050-01-01T00:00:00Z"},
	/* RFC 5280 4.1.2.5 "no well-defined expiration date" */
	{.y = 9999, .mo = 12, .d = 31, .h = 23, .mi = 59, .s = 59,
	 .want = INT64_C(253402300799), .want_text = "9999-12-31T23:59:59Z"},
	/* leap day in a year divisible by 400 */
	{.y = 2000, .mo = 2, .d = 29, .want = 951782400,
	 .want_text = "2000-02-29T00:00:00Z"},
	/* 1900 is not a leap year: Feb 28 is followed by Mar 1 */
	{.y = 1900, .mo = 3, .d = 1, .want = INT64_C(-2203891200),
	 .want_text = "1900-03-01T00:00:00Z"},
	/* last second of a leap year */
	{.y = 2024, .mo = 12, .d = 31, .h = 23, .mi = 59, .s = 59,
	 .want = 1735689599, .want_text = "2024-12-31T23:59:59Z"},
	/* 2100 is not a leap year either */
	{.y = 2100, .mo = 3, .d = 1, .want = INT64_C(4107542400),
	 .want_text = "2100-03-01T00:00:00Z"},
	/* the earliest year the model handles */
	{.y = 0, .mo = 1, .d = 1, .want = INT64_C(-62167219200),
	 .want_text = "0000-01-01T00:00:00Z"},
};

static void test_time_from_civil_and_format(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(civil_rows) / sizeof(civil_rows[0]);
	     i++) {
		const struct civil_row *r = &civil_rows[i];
		char buf[32];

		print_message("# row %zu: %s\n", i, r->want_text);
		assert_int_equal(cs_time_from_civil(r->y, r->mo, r->d, r->h,
						    r->mi, r->s),
				 r->want);
		cs_time_format(r->want, buf, sizeof(buf));
		assert_string_equal(buf, r->want_text);
	}
}

static void test_time_format_short_buffer_and_none(void **state)
{
	char buf[8];

	(void)state;
	memset(buf, 'x', sizeof(buf));
	cs_time_format(0, buf, sizeof(buf));
	assert_int_equal(strlen(buf), sizeof(buf) - 1);
	cs_time_format(CS_TIME_NONE, buf, sizeof(buf));
	assert_string_equal(buf, "(none)");
}

struct parse_row {
	const char *in;
	int want_rc;
	cs_time_t want;
	const char *want_msg; /* substring of the error message */
};

static const struct parse_row parse_rows[] = {
	/* a date alone is midnight UTC */
	{.in = "2027-01-31", .want = 1801353600},
	/* RFC 3339 with Z */
	{.in = "2027-01-31T12:00:00Z", .want = 1801396800},
	/* space instead of T, no Z */
	{.in = "2027-01-31 12:00:00", .want = 1801396800},
	/* T without Z */
	{.in = "2027-01-31T12:00:00", .want = 1801396800},
	/* leap day */
	{.in = "2000-02-29", .want = 951782400},
	/* far future */
	{.in = "9999-12-31T23:59:59Z", .want = INT64_C(253402300799)},
	/* Unix seconds */
	{.in = "@1798675200", .want = 1798675200},
	/* negative Unix seconds */
	{.in = "@-631152000", .want = -631152000},
	/* relative days */
	{.in = "+30d", .want = NOW + 30 * 86400},
	/* relative hours in the past */
	{.in = "-2h", .want = NOW - 2 * 3600},
	/* each unit once */
	{.in = "+1w", .want = NOW + 7 * 86400},
	{.in = "+90m", .want = NOW + 90 * 60},
	{.in = "-45s", .want = NOW - 45},
	/* zero offset is now */
	{.in = "+0d", .want = NOW},
	/* empty string */
	{.in = "", .want_rc = -1, .want_msg = "empty time"},
	/* month 13 */
	{.in = "2027-13-01", .want_rc = -1, .want_msg = "'2027-13-01'"},
	/* Feb 29 in a common year */
	{.in = "2027-02-29", .want_rc = -1, .want_msg = "no such date"},
	/* missing zero padding */
	{.in = "2027-1-31", .want_rc = -1, .want_msg = "'2027-1-31'"},
	/* hour 25 */
	{.in = "2027-01-31T25:00:00Z", .want_rc = -1,
	 .want_msg = "'2027-01-31T25:00:00Z'"},
	/* junk after the date */
	{.in = "2027-01-31Tjunk", .want_rc = -1,
	 .want_msg = "'2027-01-31Tjunk'"},
	/* trailing text after Z */
	{.in = "2027-01-31T12:00:00Zx", .want_rc = -1,
	 .want_msg = "'2027-01-31T12:00:00Zx'"},
	/* unknown unit */
	{.in = "+30x", .want_rc = -1, .want_msg = "'+30x'"},
	/* unit without number */
	{.in = "+d", .want_rc = -1, .want_msg = "'+d'"},
	/* text after the unit */
	{.in = "+3dd", .want_rc = -1, .want_msg = "'+3dd'"},
	/* absurd offset that would overflow */
	{.in = "+99999999999999999999w", .want_rc = -1,
	 .want_msg = "too large"},
	/* '@' without digits */
	{.in = "@", .want_rc = -1, .want_msg = "'@'"},
	/* digits then junk */
	{.in = "@12a", .want_rc = -1, .want_msg = "'@12a'"},
	/* a word */
	{.in = "tomorrow", .want_rc = -1, .want_msg = "'tomorrow'"},
};

static void test_time_parse_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(parse_rows) / sizeof(parse_rows[0]);
	     i++) {
		const struct parse_row *r = &parse_rows[i];
		struct cs_error err;
		cs_time_t t = 12345;
		int rc;

		print_message("# row %zu: '%s'\n", i, r->in);
		cs_error_clear(&err);
		rc = cs_time_parse(r->in, NOW, &t, &err);
		assert_int_equal(rc, r->want_rc);
		if (rc == 0) {
			assert_int_equal(t, r->want);
		} else {
			assert_int_equal(err.code, CS_E_USAGE);
			assert_non_null(strstr(err.msg, r->want_msg));
			assert_int_equal(t, 12345); /* untouched */
		}
	}
}

static void test_time_parse_long_input_is_quoted_bounded(void **state)
{
	char in[600];
	struct cs_error err;
	cs_time_t t;

	(void)state;
	memset(in, 'z', sizeof(in) - 1);
	in[sizeof(in) - 1] = '\0';
	assert_int_equal(cs_time_parse(in, NOW, &t, &err), -1);
	assert_non_null(strstr(err.msg, "..."));
	assert_true(strlen(err.msg) < sizeof(err.msg) - 1);
}

static void test_duration_parse(void **state)
{
	static const struct {
		const char *in;
		int64_t want; /* -1: refused */
		const char *msg;
	} rows[] = {
		{"30d", 30 * 86400, NULL},
		{"12h", 12 * 3600, NULL},
		{"3w", 21 * 86400, NULL},
		{"0s", 0, NULL},
		{"90m", 5400, NULL},
		/* a sign belongs to times, not durations */
		{"+30d", -1, "'+30d'"},
		/* no unit */
		{"30", -1, "unit must be"},
		{"d", -1, "expected a number"},
		{"", -1, "expected a number"},
		{"3dd", -1, "unexpected text"},
		{"99999999999999999999w", -1, "too large"},
	};

	(void)state;
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct cs_error err;
		int64_t v = 777;
		int rc;

		cs_error_clear(&err);
		rc = cs_duration_parse(rows[i].in, &v, &err);
		if (rows[i].want >= 0) {
			assert_int_equal(rc, 0);
			assert_int_equal(v, rows[i].want);
		} else {
			assert_int_equal(rc, -1);
			assert_int_equal(v, 777);
			assert_non_null(strstr(err.msg, "duration"));
			assert_non_null(strstr(err.msg, rows[i].msg));
		}
	}
}

struct hex_row {
	const unsigned char *in;
	size_t len, outsz;
	const char *want;
};

static void test_time_hex_colon(void **state)
{
	static const unsigned char b[] = {0x01, 0xab, 0x00, 0xff};
	static const struct hex_row rows[] = {
		/* empty input */
		{.in = b, .len = 0, .outsz = 8, .want = ""},
		/* one byte, upper case */
		{.in = b + 1, .len = 1, .outsz = 8, .want = "AB"},
		/* four bytes with colons */
		{.in = b, .len = 4, .outsz = 12, .want = "01:AB:00:FF"},
		/* buffer one short: stops at a byte boundary */
		{.in = b, .len = 4, .outsz = 11, .want = "01:AB:00"},
		/* room for the first byte only */
		{.in = b, .len = 4, .outsz = 3, .want = "01"},
		/* no room at all but the NUL */
		{.in = b, .len = 4, .outsz = 1, .want = ""},
	};

	(void)state;
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		char out[16];

		memset(out, 'x', sizeof(out));
		cs_hex_colon(out, rows[i].outsz, rows[i].in, rows[i].len);
		assert_string_equal(out, rows[i].want);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_time_from_civil_and_format),
		cmocka_unit_test(test_time_format_short_buffer_and_none),
		cmocka_unit_test(test_time_parse_table),
		cmocka_unit_test(test_time_parse_long_input_is_quoted_bounded),
		cmocka_unit_test(test_time_hex_colon),
		cmocka_unit_test(test_duration_parse),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
