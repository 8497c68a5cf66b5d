/*
 * fuzz_verify.c - chain building and every check over a pool of fuzzed
 * certificates against fixed anchors (testcerts/pki/root-*.pem, path
 * from CS_FUZZ_TESTCERTS at build time).  The input is split on a
 * 4-byte separator into up to 8 buffers, each loaded as one input file;
 * the first is the input to verify, the rest the untrusted pool.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "input/load.h"
#include "path/trust.h"
#include "path/verify.h"

#define SEP "\xff\x00\xff\x00"
#define MAX_PARTS 8

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct cs_trust *trust;

static void init_trust(void)
{
	static const char *roots[] = {"root-rsa.pem", "root-ec.pem",
				      "root-ed25519.pem", "root-old.pem",
				      "root-new.pem"};
	struct cs_itemlist problems;
	struct cs_error err;
	char path[4096];

	trust = cs_trust_new(&err);
	if (trust == NULL)
		return;
	for (size_t i = 0; i < sizeof(roots) / sizeof(*roots); i++) {
		cs_itemlist_init(&problems);
		snprintf(path, sizeof(path), "%s/pki/%s", CS_FUZZ_TESTCERTS,
			 roots[i]);
		(void)cs_trust_add_path(trust, path, &problems, &err);
		cs_itemlist_free(&problems);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cs_load_opts lo = {.max_items = 64};
	struct cs_itemlist input, pool;
	struct cs_verify_opts vo = {.at = 1780272000,
				    .host = "www.example.test",
				    .purpose = CS_PURPOSE_SERVER};
	struct cs_verify_result res;
	struct cs_error err;
	const uint8_t *p = data, *end = data + size;
	size_t found;
	int part = 0;

	if (trust == NULL)
		init_trust();
	if (trust == NULL)
		return 0;
	cs_itemlist_init(&input);
	cs_itemlist_init(&pool);
	while (p <= end && part < MAX_PARTS) {
		const uint8_t *q = p;
		size_t n;

		while (q + 4 <= end && memcmp(q, SEP, 4) != 0)
			q++;
		if (q + 4 > end)
			q = end;
		n = (size_t)(q - p);
		(void)cs_load_buffer(part == 0 ? &input : &pool, p, n, "fuzz",
				     &lo, 1, &found, &err);
		part++;
		p = q + 4;
	}
	memset(&res, 0, sizeof(res));
	if (cs_itemlist_count(&input, CS_ITEM_CERT) > 0)
		(void)cs_verify_chain(&input, &pool, trust, &vo, &res, &err);
	cs_verify_result_free(&res);
	cs_itemlist_free(&input);
	cs_itemlist_free(&pool);
	return 0;
}
