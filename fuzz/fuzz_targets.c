/*
 * fuzz_targets.c - a `check --targets` file: each line stripped of its
 * comment and parsed as "TARGET key=value ...", then sharded.  Lines
 * that name existing paths are classified by stat() only; nothing is
 * opened or connected to.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check/check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf, *line, *save = NULL;
	size_t n = 0;

	if (size > 64 * 1024)
		return 0;
	buf = malloc(size + 1);
	if (!buf)
		return 0;
	memcpy(buf, data, size);
	buf[size] = '\0';
	for (line = strtok_r(buf, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		struct cs_check_target t;
		struct cs_error err;
		char *s = cs_check_line_strip(line);

		if (!s)
			continue;
		if (cs_check_target_parse(s, ++n, &t, &err) == 0)
			(void)cs_check_in_shard(t.spec, 1 + (unsigned)(n % 3),
						3);
	}
	free(buf);
	return 0;
}
