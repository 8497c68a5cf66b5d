/*
 * fuzz_issuers.c - what a caIssuers URL answers (--fetch-missing): any
 * bytes through the parser of fetched intermediates (DER, PEM or
 * PKCS#7, online.h), then, when it gave certificates, the chain of
 * testcerts/pki/ee-rsa.pem alone built again with them as the pool
 * against root-rsa, as cs_online_verify does after a fetch.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "input/load.h"
#include "online/online.h"
#include "path/trust.h"
#include "path/verify.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct cs_trust *trust;
static struct cs_itemlist leaf;

static void init(void)
{
	struct cs_itemlist problems;
	struct cs_error err;
	char path[4096];

	trust = cs_trust_new(&err);
	if (trust == NULL)
		return;
	cs_itemlist_init(&problems);
	snprintf(path, sizeof(path), "%s/pki/root-rsa.pem", CS_FUZZ_TESTCERTS);
	(void)cs_trust_add_path(trust, path, &problems, &err);
	cs_itemlist_free(&problems);
	cs_itemlist_init(&leaf);
	snprintf(path, sizeof(path), "%s/pki/ee-rsa.pem", CS_FUZZ_TESTCERTS);
	(void)cs_load_path(&leaf, path, NULL, &err);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cs_verify_opts vo = {.at = 1780272000,
				    .host = "www.example.test",
				    .purpose = CS_PURPOSE_SERVER};
	struct cs_verify_result res;
	struct cs_itemlist got;
	struct cs_error err;

	if (trust == NULL)
		init();
	if (trust == NULL || leaf.n == 0)
		return 0;
	cs_itemlist_init(&got);
	memset(&res, 0, sizeof(res));
	if (cs_online_parse_issuers(data, size, "http://ca.example.test/ca",
				    &got, &err) == 0)
		(void)cs_verify_chain(&leaf, &got, trust, &vo, &res, &err);
	cs_verify_result_free(&res);
	cs_itemlist_free(&got);
	return 0;
}
