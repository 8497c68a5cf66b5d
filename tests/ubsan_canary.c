/*
 * ubsan_canary.c - a deliberate signed-integer overflow.  Built only in
 * sanitizer builds; tests/check_sanitizer_fails.sh runs it and passes
 * only if the run FAILED with a UBSan report, which proves that the
 * project's sanitizer settings (-fno-sanitize-recover=all) turn a report
 * into a failing test instead of a line in a log.
 */
#include <limits.h>
#include <stdio.h>

int main(int argc, char **argv)
{
	volatile int x = INT_MAX - 1 + argc; /* INT_MAX with no arguments */

	(void)argv;
	x = x + 1; /* undefined behaviour: UBSan reports it */
	printf("still running after overflow: %d\n", x);
	return 0;
}
