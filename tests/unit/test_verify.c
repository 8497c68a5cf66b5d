/* test_verify.c - path building and checks of verify.c (placeholder) */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>

#include "findings.h"

/* Every code in the table is kebab-case and unique. */
static void test_findings_table(void **state)
{
	size_t i, j;

	(void)state;
	for (i = 0; i < cs_finding_defs_count; i++) {
		const char *c = cs_finding_defs[i].code;

		assert_true(strspn(c, "abcdefghijklmnopqrstuvwxyz-") ==
			    strlen(c));
		for (j = i + 1; j < cs_finding_defs_count; j++)
			assert_string_not_equal(c, cs_finding_defs[j].code);
		assert_ptr_equal(cs_finding_lookup(c), &cs_finding_defs[i]);
	}
	assert_null(cs_finding_lookup("no-such-code"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_findings_table),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
