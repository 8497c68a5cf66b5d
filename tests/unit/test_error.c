/* test_error.c - the error type: codes, names, messages, errno */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>

#include "error.h"

static void test_error_setx_formats_and_returns_minus_one(void **state)
{
	struct cs_error err;
	(void)state;
	cs_error_clear(&err);
	assert_int_equal(cs_error_setx(&err, CS_E_PARSE,
				       "truncated DER: length says %d bytes, %d present",
				       1342, 120), -1);
	assert_int_equal(err.code, CS_E_PARSE);
	assert_int_equal(err.sys_errno, 0);
	assert_string_equal(err.msg, "truncated DER: length says 1342 bytes, 120 present");
}

static void test_error_set_appends_strerror(void **state)
{
	struct cs_error err;
	(void)state;
	errno = ENOENT;
	assert_int_equal(cs_error_set(&err, CS_E_IO, "cannot open"), -1);
	assert_int_equal(err.sys_errno, ENOENT);
	assert_string_equal(err.msg, "cannot open: No such file or directory");
}

static void test_error_setlib_keeps_library_code(void **state)
{
	struct cs_error err;
	(void)state;
	cs_error_setlib(&err, CS_E_PARSE, -69, "bad %s", "DER");
	assert_int_equal(err.lib_code, -69);
	assert_string_equal(err.msg, "bad DER");
}

static void test_error_message_truncates_safely(void **state)
{
	struct cs_error err;
	char big[1000];
	(void)state;
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = 0;
	cs_error_setx(&err, CS_E_LIMIT, "%s", big);
	assert_int_equal(strlen(err.msg), sizeof(err.msg) - 1);
}

static void test_error_names_are_stable(void **state)
{
	(void)state;
	assert_string_equal(cs_error_name(CS_E_IO), "io");
	assert_string_equal(cs_error_name(CS_E_PARSE), "parse");
	assert_string_equal(cs_error_name(CS_E_LIMIT), "limit");
	assert_string_equal(cs_error_name(CS_E_PASSWORD), "password");
	assert_string_equal(cs_error_name(-1), "unknown");
	assert_string_equal(cs_error_name(CS_E_COUNT_), "unknown");
	/* NULL err is accepted */
	assert_int_equal(cs_error_setx(NULL, CS_E_IO, "x"), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_error_setx_formats_and_returns_minus_one),
		cmocka_unit_test(test_error_set_appends_strerror),
		cmocka_unit_test(test_error_setlib_keeps_library_code),
		cmocka_unit_test(test_error_message_truncates_safely),
		cmocka_unit_test(test_error_names_are_stable),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
