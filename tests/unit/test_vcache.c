/*
 * test_vcache.c - the per-run cache of path/ (vcache.h): signature
 * verdicts answer only for exactly their (issuer, certificate) pair, bad
 * verdicts stay bad, eviction loses entries but never gives a wrong
 * answer, models come back as independent copies with their flag;
 * and through cs_verify_chain with one trust store, many inputs get the
 * verdicts they get alone (a bad signature asked again is still bad, a
 * different leaf under the same issuer is still checked).
 */
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "input/load.h"
#include "path/trust.h"
#include "path/vcache.h"
#include "path/verify.h"

#define AT_2026_06_01 ((cs_time_t)1780272000)

static void key(unsigned char out[32], unsigned seed)
{
	/* distinct, non-zero, spread over every byte */
	for (int i = 0; i < 32; i++)
		out[i] = (unsigned char)((seed * 2654435761u) >> (i % 4 * 8)) ^
			 (unsigned char)(i + 1);
}

/* ---- signature verdicts ------------------------------------------- */

static void test_sig_bad_stays_bad(void **state)
{
	struct cs_vcache *c = cs_vcache_new(64, 64);
	unsigned char iss[32], crt[32];

	(void)state;
	assert_non_null(c);
	key(iss, 1);
	key(crt, 2);
	assert_int_equal(cs_vcache_sig_get(c, iss, crt), -1);
	cs_vcache_sig_put(c, iss, crt, false);
	for (int i = 0; i < 3; i++)
		assert_int_equal(cs_vcache_sig_get(c, iss, crt), 0);
	cs_vcache_sig_put(c, iss, crt, true); /* a later verdict replaces */
	assert_int_equal(cs_vcache_sig_get(c, iss, crt), 1);
	assert_int_equal(cs_vcache_stats(c).sig_hits, 4);
	assert_int_equal(cs_vcache_stats(c).sig_misses, 1);
	cs_vcache_free(c);
}

static void test_sig_exact_key(void **state)
{
	struct cs_vcache *c = cs_vcache_new(64, 64);
	unsigned char iss[32], iss2[32], crt[32], crt2[32], zero[32] = {0};

	(void)state;
	assert_non_null(c);
	key(iss, 10);
	key(iss2, 11);
	key(crt, 20);
	key(crt2, 21);
	cs_vcache_sig_put(c, iss, crt, true);
	/* another certificate under the same issuer: not known */
	assert_int_equal(cs_vcache_sig_get(c, iss, crt2), -1);
	/* the same certificate under another issuer key: not known */
	assert_int_equal(cs_vcache_sig_get(c, iss2, crt), -1);
	assert_int_equal(cs_vcache_sig_get(c, iss, crt), 1);
	/* a hash that was not computed (all zero) is never a key */
	cs_vcache_sig_put(c, zero, crt2, true);
	assert_int_equal(cs_vcache_sig_get(c, zero, crt2), -1);
	/* no cache: nothing known, nothing kept, no crash */
	cs_vcache_sig_put(NULL, iss, crt, true);
	assert_int_equal(cs_vcache_sig_get(NULL, iss, crt), -1);
	cs_vcache_free(c);
}

/* Many pairs through a small table: every answer is the verdict that
 * was put, or "not known"; never the other verdict. */
static void test_sig_eviction(void **state)
{
	struct cs_vcache *c = cs_vcache_new(4, 8);
	unsigned char iss[32], crt[32];
	size_t known = 0;

	(void)state;
	assert_non_null(c);
	for (unsigned i = 0; i < 500; i++) {
		key(iss, 1000 + i % 7);
		key(crt, 5000 + i);
		cs_vcache_sig_put(c, iss, crt, (i * 7919) % 3 == 0);
	}
	for (unsigned i = 0; i < 500; i++) {
		int v;

		key(iss, 1000 + i % 7);
		key(crt, 5000 + i);
		v = cs_vcache_sig_get(c, iss, crt);
		if (v >= 0) {
			assert_int_equal(v, (i * 7919) % 3 == 0);
			known++;
		}
		/* the same certificate with another issuer: never answers */
		key(iss, 1000 + (i + 1) % 7);
		assert_int_equal(cs_vcache_sig_get(c, iss, crt), -1);
	}
	assert_true(known <= 8); /* bounded */
	assert_true(known > 0);
	assert_true(cs_vcache_stats(c).sig_evictions >= 500 - 8);
	cs_vcache_free(c);
}

/* ---- models ------------------------------------------------------- */

static void load_rel(struct cs_itemlist *l, const char *rel)
{
	const char *d = getenv("CS_TESTCERTS");
	char path[PATH_MAX];
	struct cs_error err;

	snprintf(path, sizeof(path), "%s/%s", d != NULL ? d : "testcerts",
		 rel);
	if (cs_load_path(l, path, NULL, &err) < 0)
		fail_msg("%s: %s", path, err.msg);
}

/* A model kept and handed back is a copy of the one built (that copies
 * are equal is test_model's check_parts) with the flag kept with it, and
 * owns its memory (freeing the original or the cache leaves it whole). */
static void test_model_copies(void **state)
{
	static const char *const files[] = {
		"pki/root-rsa.pem", "pki/ica-nc.pem", "pki/ee-full.pem",
		"pki/ee-ip.pem",    "pki/ee-email.pem",
	};
	struct cs_vcache *c = cs_vcache_new(2, 2);

	(void)state;
	assert_non_null(c);
	for (size_t f = 0; f < sizeof(files) / sizeof(*files); f++) {
		struct cs_itemlist l;
		struct cs_cert_model m, got, again;
		struct cs_error err;
		bool flag = false;

		cs_itemlist_init(&l);
		load_rel(&l, files[f]);
		assert_int_equal(l.items[0].kind, CS_ITEM_CERT);
		assert_int_equal(cs_model_from_crt(&m, l.items[0].crt,
						   l.items[0].der,
						   l.items[0].der_len, &err),
				 0);
		assert_int_equal(cs_vcache_model_get(c, m.sha256, &got, &flag), 0);
		cs_vcache_model_put(c, &m, f % 2 == 0);
		assert_int_equal(cs_vcache_model_get(c, m.sha256, &got, &flag), 1);
		assert_string_equal(got.subject, m.subject);
		assert_int_equal(got.sans.n, m.sans.n);
		assert_memory_equal(got.sha256, m.sha256, 32);
		assert_int_equal(flag, f % 2 == 0);
		cs_model_free(&m); /* the cache's copy is its own */
		assert_int_equal(cs_vcache_model_get(c, got.sha256, &again, &flag),
				 1);
		assert_string_equal(again.subject, got.subject);
		assert_memory_equal(again.sha256, got.sha256, 32);
		cs_model_free(&again);
		cs_model_free(&got);
		cs_itemlist_free(&l);
	}
	cs_vcache_free(c);
}

/* ---- many inputs against one store -------------------------------- */

struct run {
	const char *leaf;
	bool trusted;
	const char *code; /* a finding it must have, or NULL */
};

static bool verify_one(struct cs_trust *t, const struct cs_itemlist *pool,
		       const struct run *r)
{
	struct cs_verify_opts o = {.at = AT_2026_06_01,
				   .host = "www.example.test"};
	struct cs_verify_result res;
	struct cs_itemlist in;
	struct cs_error err;
	bool trusted;

	cs_itemlist_init(&in);
	load_rel(&in, r->leaf);
	assert_int_equal(cs_verify_chain(&in, pool, t, &o, &res, &err), 0);
	trusted = res.trusted;
	if (trusted != r->trusted)
		fail_msg("%s: trusted %d, expected %d", r->leaf, trusted,
			 r->trusted);
	if (r->code != NULL && !cs_verify_has(&res, r->code))
		fail_msg("%s: no %s finding", r->leaf, r->code);
	if (r->code == NULL && cs_verify_has(&res, "bad-signature"))
		fail_msg("%s: bad-signature", r->leaf);
	cs_verify_result_free(&res);
	cs_itemlist_free(&in);
	return trusted;
}

static void test_many_inputs_one_store(void **state)
{
	/* ee-badsig is ee-rsa with one bit of its signature flipped: the
	 * same tbsCertificate under the same issuer */
	static const struct run runs[] = {
		{"pki/ee-rsa.pem", true, NULL},
		{"pki/ee-badsig.pem", false, "bad-signature"},
		{"pki/ee-badsig.pem", false, "bad-signature"},
		{"pki/ee-rsa.pem", true, NULL},
		{"pki/ee-full.pem", true, NULL},
		{"pki/ee-badsig.pem", false, "bad-signature"},
		{"pki/ee-rsa.pem", true, NULL},
	};
	const char *d = getenv("CS_TESTCERTS");
	char path[PATH_MAX];
	struct cs_itemlist pool;
	struct cs_error err;
	struct cs_trust *t = cs_trust_new(&err);
	struct cs_vcache_stats s0, s1;

	(void)state;
	assert_non_null(t);
	snprintf(path, sizeof(path), "%s/pki/root-rsa.pem",
		 d != NULL ? d : "testcerts");
	assert_true(cs_trust_add_path(t, path, NULL, &err) >= 0);
	cs_itemlist_init(&pool);
	load_rel(&pool, "pki/ica-rsa.pem");
	for (size_t i = 0; i < sizeof(runs) / sizeof(*runs); i++) {
		s0 = cs_vcache_stats(cs_trust_vcache(t));
		verify_one(t, &pool, &runs[i]);
		s1 = cs_vcache_stats(cs_trust_vcache(t));
		if (i == 2 || i == 3) /* asked before: answered, not checked */
			assert_int_equal(s1.sig_misses, s0.sig_misses);
		if (i == 4) /* another leaf of the same issuer: checked */
			assert_true(s1.sig_misses > s0.sig_misses);
		if (i > 0) /* the intermediate and root: modelled once */
			assert_int_equal(s1.model_misses - s0.model_misses,
					 1);
	}
	cs_itemlist_free(&pool);
	cs_trust_free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sig_bad_stays_bad),
		cmocka_unit_test(test_sig_exact_key),
		cmocka_unit_test(test_sig_eviction),
		cmocka_unit_test(test_model_copies),
		cmocka_unit_test(test_many_inputs_one_store),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
