/*
 * replay.c - runs a fuzz target's LLVMFuzzerTestOneInput over files, so the
 * normal test run (gcc, and the ASan+UBSan build) replays every seed of
 * fuzz/corpus/<target>/ and every regression input of
 * tests/fuzz-regress/<target>/ without libFuzzer.  Arguments are files or
 * directories (read in name order; a missing directory is skipped, so a
 * target without regression inputs needs none).  A crash or sanitizer
 * report fails the test; an unreadable file does too.
 */
#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int replay_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf = NULL;
	size_t len = 0, cap = 0, n;

	if (!f) {
		fprintf(stderr, "%s: %s\n", path, strerror(errno));
		return -1;
	}
	for (;;) {
		if (len == cap) {
			uint8_t *nb;

			cap = cap ? cap * 2 : 65536;
			nb = realloc(buf, cap);
			if (!nb) {
				fclose(f);
				free(buf);
				fprintf(stderr, "%s: out of memory\n", path);
				return -1;
			}
			buf = nb;
		}
		n = fread(buf + len, 1, cap - len, f);
		if (n == 0)
			break;
		len += n;
	}
	if (ferror(f)) {
		fprintf(stderr, "%s: read error\n", path);
		fclose(f);
		free(buf);
		return -1;
	}
	fclose(f);
	LLVMFuzzerTestOneInput(buf, len);
	free(buf);
	return 0;
}

static int visible(const struct dirent *d)
{
	return d->d_name[0] != '.';
}

int main(int argc, char **argv)
{
	long total = 0;
	int bad = 0;

	for (int i = 1; i < argc; i++) {
		struct dirent **names;
		struct stat st;
		int n;

		if (stat(argv[i], &st) < 0) {
			if (errno == ENOENT)
				continue;
			fprintf(stderr, "%s: %s\n", argv[i], strerror(errno));
			bad = 1;
			continue;
		}
		if (!S_ISDIR(st.st_mode)) {
			bad |= replay_file(argv[i]) < 0;
			total++;
			continue;
		}
		n = scandir(argv[i], &names, visible, alphasort);
		if (n < 0) {
			fprintf(stderr, "%s: %s\n", argv[i], strerror(errno));
			bad = 1;
			continue;
		}
		for (int k = 0; k < n; k++) {
			char path[4096];

			snprintf(path, sizeof(path), "%s/%s", argv[i],
				 names[k]->d_name);
			bad |= replay_file(path) < 0;
			total++;
			free(names[k]);
		}
		free(names);
	}
	printf("%ld inputs replayed\n", total);
	return bad ? 1 : 0;
}
