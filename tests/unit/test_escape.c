/*
 * test_escape.c - hostile bytes never pass raw: terminal controls, bidi
 * overrides, invalid UTF-8, NUL; mode-specific '|' and '"'.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "escape.h"

struct esc_row {
	const char *in;
	size_t len; /* 0: strlen(in) */
	enum cs_escape_mode mode;
	const char *want;
};

static const struct esc_row esc_rows[] = {
	/* plain ASCII unchanged */
	{.in = "CN=www.example.com", .want = "CN=www.example.com"},
	/* well-formed UTF-8 (2, 3 and 4 bytes) unchanged */
	{.in = "Caf\xc3\xa9 \xe6\x97\xa5\xe6\x9c\xac \xf0\x9f\x94\x92",
	 .want = "Caf\xc3\xa9 \xe6\x97\xa5\xe6\x9c\xac \xf0\x9f\x94\x92"},
	/* ESC of a CSI colour sequence */
	{.in = "a\x1b[31mred", .want = "a\\x1b[31mred"},
	/* OSC window-title sequence ending in BEL */
	{.in = "\x1b]0;pwned\x07", .want = "\\x1b]0;pwned\\x07"},
	/* newline, carriage return and tab forge lines */
	{.in = "a\nb\rc\td", .want = "a\\nb\\rc\\td"},
	/* NUL inside a name */
	{.in = "evil.com\0.good.com", .len = 18,
	 .want = "evil.com\\x00.good.com"},
	/* DEL */
	{.in = "a\x7f", .want = "a\\x7f"},
	/* C1 CSI (U+009B encoded in UTF-8) */
	{.in = "a\xc2\x9b" "31m", .want = "a\\u009b31m"},
	/* raw 0x9b byte: invalid UTF-8, shown as a byte */
	{.in = "a\x9b" "31m", .want = "a\\x9b31m"},
	/* right-to-left override U+202E */
	{.in = "evil\xe2\x80\xae" "gnp.exe", .want = "evil\\u202egnp.exe"},
	/* first-strong isolate U+2068 and LRM U+200E */
	{.in = "\xe2\x81\xa8x\xe2\x80\x8e", .want = "\\u2068x\\u200e"},
	/* left-to-right isolate U+2066 and pop directional isolate U+2069 */
	{.in = "a\xe2\x81\xa6" "b\xe2\x81\xa9", .want = "a\\u2066b\\u2069"},
	/* Arabic letter mark U+061C is a bidi control too */
	{.in = "x\xd8\x9cy", .want = "x\\u061cy"},
	/* left-to-right embedding U+202A, first of the 202A..E range */
	{.in = "\xe2\x80\xaa", .want = "\\u202a"},
	/* U+2065 (unassigned, next to the isolates) passes unchanged */
	{.in = "\xe2\x81\xa5", .want = "\xe2\x81\xa5"},
	/* C1 NEL U+0085: a line break on some terminals */
	{.in = "a\xc2\x85" "b", .want = "a\\u0085b"},
	/* first non-C1 code point U+00A0 passes */
	{.in = "\xc2\xa0", .want = "\xc2\xa0"},
	/* invalid continuation */
	{.in = "\xc3(", .want = "\\xc3("},
	/* overlong encoding of '/' */
	{.in = "\xc0\xaf", .want = "\\xc0\\xaf"},
	/* lone surrogate U+D800 */
	{.in = "\xed\xa0\x80", .want = "\\xed\\xa0\\x80"},
	/* beyond U+10FFFF */
	{.in = "\xf4\x90\x80\x80", .want = "\\xf4\\x90\\x80\\x80"},
	/* truncated 3-byte sequence at the end */
	{.in = "ab\xe2\x80", .want = "ab\\xe2\\x80"},
	/* backslash doubled so escapes stay unambiguous */
	{.in = "a\\x1b", .want = "a\\\\x1b"},
	/* RFC 4514 escapes of a DN string printed as GnuTLS and openssl
	 * print them, not doubled */
	{.in = "O=The Go Daddy Group\\, Inc.",
	 .want = "O=The Go Daddy Group\\, Inc."},
	/* an escaped backslash stays doubled: every pair of backslashes on
	 * screen is one backslash of the input, whatever follows */
	{.in = "CN=a\\+b\\\\c\\;d", .want = "CN=a\\+b\\\\\\\\c\\;d"},
	/* a backslash before a control: doubled, the control escaped */
	{.in = "a\\\x1b", .want = "a\\\\\\x1b"},
	/* two backslashes before a control: four, then the escape */
	{.in = "a\\\\\x1b", .want = "a\\\\\\\\\\x1b"},
	/* a backslash, then an escaped comma */
	{.in = "a\\\\,", .want = "a\\\\\\,"},
	/* a trailing backslash: doubled */
	{.in = "a\\", .want = "a\\\\"},
	/* not in Nagios or Prometheus modes: doubled there */
	{.in = "a\\,b", .mode = CS_ESC_NAGIOS, .want = "a\\\\,b"},
	{.in = "a\\,b", .mode = CS_ESC_LABEL, .want = "a\\\\,b"},
	/* '|' kept in text mode */
	{.in = "a|b", .want = "a|b"},
	/* '|' escaped for Nagios (it starts the perfdata) */
	{.in = "a|b", .mode = CS_ESC_NAGIOS, .want = "a\\|b"},
	/* '"' escaped in a Prometheus label */
	{.in = "a\"b", .mode = CS_ESC_LABEL, .want = "a\\\"b"},
	/* a Prometheus label still gets newline and backslash escaped */
	{.in = "a\n\\", .mode = CS_ESC_LABEL, .want = "a\\n\\\\"},
	/* Nagios mode escapes controls like text mode */
	{.in = "\x1b|", .mode = CS_ESC_NAGIOS, .want = "\\x1b\\|"},
	/* Prometheus label: only \\, \" and \n are escapes there, so a
	 * control reads as the visible text \x1b (backslash doubled) */
	{.in = "a\x1b\t", .mode = CS_ESC_LABEL, .want = "a\\\\x1b\\\\t"},
	/* a bidi override in a label, likewise */
	{.in = "x\xe2\x80\xaey", .mode = CS_ESC_LABEL,
	 .want = "x\\\\u202ey"},
	/* an invalid byte in a label */
	{.in = "\xff", .mode = CS_ESC_LABEL, .want = "\\\\xff"},
	/* '"' kept in text mode */
	{.in = "a\"b", .want = "a\"b"},
	/* empty input */
	{.in = "", .want = ""},
};

static void test_escape_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(esc_rows) / sizeof(*esc_rows); i++) {
		const struct esc_row *r = &esc_rows[i];
		size_t len = r->len ? r->len : strlen(r->in);
		char *got = cs_escape(r->in, len, r->mode);

		assert_non_null(got);
		if (strcmp(got, r->want) != 0)
			fail_msg("row %zu: got '%s', want '%s'", i, got,
				 r->want);
		free(got);
	}
}

/* Whatever the input, the output has no byte below 0x20, no DEL, and no
 * bidi control. */
static void test_escape_never_raw(void **state)
{
	unsigned char in[256];
	char *got;

	(void)state;
	for (size_t i = 0; i < sizeof(in); i++)
		in[i] = (unsigned char)i;
	got = cs_escape((const char *)in, sizeof(in), CS_ESC_TEXT);
	assert_non_null(got);
	for (const unsigned char *p = (const unsigned char *)got; *p; p++) {
		assert_true(*p >= 0x20);
		assert_true(*p != 0x7f);
		/* every byte >= 0x80 was invalid UTF-8 alone: escaped */
		assert_true(*p < 0x80);
	}
	assert_null(strstr(got, "\xe2\x80\xae"));
	free(got);
}

struct utf8_row {
	const char *in;
	size_t len;
	const char *want;
	size_t want_len;
};

static const struct utf8_row utf8_rows[] = {
	/* valid UTF-8 unchanged */
	{"Caf\xc3\xa9", 5, "Caf\xc3\xa9", 5},
	/* each invalid byte becomes U+FFFD */
	{"a\xff" "b", 3, "a\xef\xbf\xbd" "b", 5},
	/* overlong: both bytes replaced */
	{"\xc0\xaf", 2, "\xef\xbf\xbd\xef\xbf\xbd", 6},
	/* NUL kept (jansson writes \u0000) */
	{"a\0b", 3, "a\0b", 3},
	/* controls kept (jansson escapes them) */
	{"\x1b[0m", 4, "\x1b[0m", 4},
	/* lone surrogate U+D800: three replacement characters */
	{"\xed\xa0\x80", 3,
	 "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd", 9},
	/* beyond U+10FFFF */
	{"\xf4\x90\x80\x80", 4,
	 "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd", 12},
	/* truncated sequence at the end */
	{"ab\xe2\x80", 4, "ab\xef\xbf\xbd\xef\xbf\xbd", 8},
	/* 4-byte sequence and a bidi override kept (valid UTF-8) */
	{"\xf0\x9f\x94\x92\xe2\x80\xae", 7,
	 "\xf0\x9f\x94\x92\xe2\x80\xae", 7},
	/* empty */
	{"", 0, "", 0},
};

static void test_escape_utf8(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(utf8_rows) / sizeof(*utf8_rows); i++) {
		const struct utf8_row *r = &utf8_rows[i];
		size_t n = 0;
		char *got = cs_escape_utf8(r->in, r->len, &n);

		assert_non_null(got);
		assert_int_equal(n, r->want_len);
		assert_memory_equal(got, r->want, n);
		assert_int_equal(got[n], '\0');
		free(got);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_escape_table),
		cmocka_unit_test(test_escape_never_raw),
		cmocka_unit_test(test_escape_utf8),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
