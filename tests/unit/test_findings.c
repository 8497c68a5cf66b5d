/*
 * test_findings.c - the findings table is well-formed and every code is
 * documented in the generated certscope(1) (env CS_MANPAGE).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "findings.h"

/* Codes are stable kebab-case: lower-case letters, digits and '-'. */
static void test_codes_kebab_unique(void **state)
{
	(void)state;
	assert_true(cs_finding_defs_count > 0);
	for (size_t i = 0; i < cs_finding_defs_count; i++) {
		const char *c = cs_finding_defs[i].code;

		assert_non_null(c);
		assert_true(strlen(c) > 0);
		assert_int_equal(strspn(c, "abcdefghijklmnopqrstuvwxyz"
					   "0123456789-"), strlen(c));
		assert_true(c[0] != '-' && c[strlen(c) - 1] != '-');
		assert_non_null(cs_finding_defs[i].summary);
		for (size_t j = i + 1; j < cs_finding_defs_count; j++)
			assert_string_not_equal(c, cs_finding_defs[j].code);
		assert_ptr_equal(cs_finding_lookup(c), &cs_finding_defs[i]);
	}
	assert_null(cs_finding_lookup("no-such-code"));
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t len = 0;

	if (f == NULL)
		return NULL;
	for (;;) {
		char *nb = realloc(buf, len + 65536 + 1);
		size_t n;

		if (nb == NULL)
			break;
		buf = nb;
		n = fread(buf + len, 1, 65536, f);
		len += n;
		if (n == 0)
			break;
	}
	fclose(f);
	if (buf)
		buf[len] = '\0';
	return buf;
}

/* roff escapes '-' as "\-": undo that before searching. */
static void unescape_roff(char *s)
{
	char *o = s;

	for (; *s; s++) {
		if (s[0] == '\\' && s[1] == '-')
			s++;
		*o++ = *s;
	}
	*o = '\0';
}

static void test_man_lists_every_code(void **state)
{
	const char *path = getenv("CS_MANPAGE");
	char *man;

	(void)state;
	if (path == NULL || *path == '\0')
		fail_msg("CS_MANPAGE is not set");
	man = slurp(path);
	if (man == NULL)
		fail_msg("cannot read %s", path);
	unescape_roff(man);
	for (size_t i = 0; i < cs_finding_defs_count; i++) {
		if (strstr(man, cs_finding_defs[i].code) == NULL)
			fail_msg("certscope(1) does not document '%s'",
				 cs_finding_defs[i].code);
	}
	free(man);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_codes_kebab_unique),
		cmocka_unit_test(test_man_lists_every_code),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
