/*
 * test_ocsp.c - stapled OCSP responses from testcerts/ocsp/ (made by
 * gen_ocsp.py, listed as [ocsp:NAME] in manifest.ini) checked for
 * pki/ee-rsa.pem issued by pki/ica-rsa.pem at 2026-06-01T00:00:00Z, and
 * the staple as a finding of a verdict (cs_ocsp_check_staple).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <gnutls/gnutls.h>

#include "path/ocsp.h"

#define AT 1780272000 /* 2026-06-01T00:00:00Z */
#define DAY 86400

static const char *tc(const char *rel, char *buf, size_t sz)
{
	const char *base = getenv("CS_TESTCERTS");

	snprintf(buf, sz, "%s/%s", base ? base : "testcerts", rel);
	return buf;
}

static gnutls_x509_crt_t load_crt(const char *rel)
{
	gnutls_x509_crt_t c;
	gnutls_datum_t d;
	char p[4096];

	assert_int_equal(gnutls_load_file(tc(rel, p, sizeof(p)), &d), 0);
	assert_int_equal(gnutls_x509_crt_init(&c), 0);
	assert_int_equal(gnutls_x509_crt_import(c, &d, GNUTLS_X509_FMT_PEM),
			 0);
	gnutls_free(d.data);
	return c;
}

struct ocsp_row {
	const char *file;
	cs_time_t at;
	enum cs_ocsp_status status;
	const char *code; /* NULL: none */
	const char *fragment;
};

static const struct ocsp_row rows[] = {
	/* good and current */
	{"ocsp/good.der", AT, CS_OCSP_GOOD, NULL, "says good"},
	/* good, but checked after nextUpdate (+ skew) */
	{"ocsp/good.der", AT + 7 * DAY, CS_OCSP_GOOD, "ocsp-expired",
	 "not at the time"},
	/* good, checked before thisUpdate - skew */
	{"ocsp/good.der", AT - 2 * DAY, CS_OCSP_GOOD, "ocsp-expired",
	 "valid from 2026-05-31"},
	/* revoked on 2026-05-15 */
	{"ocsp/revoked.der", AT, CS_OCSP_REVOKED, "ocsp-revoked",
	 "revoked on 2026-05-15"},
	/* the responder does not know the certificate */
	{"ocsp/unknown.der", AT, CS_OCSP_UNKNOWN, "ocsp-unknown",
	 "does not know"},
	/* stale response */
	{"ocsp/expired.der", AT, CS_OCSP_GOOD, "ocsp-expired",
	 "2026-05-08"},
	/* signed by an unrelated key */
	{"ocsp/wrong-signer.der", AT, CS_OCSP_INVALID, "ocsp-unverifiable",
	 "not signed by"},
	/* about another certificate */
	{"ocsp/other-cert.der", AT, CS_OCSP_INVALID, "ocsp-unverifiable",
	 "another certificate"},
	/* not DER */
	{"ocsp/garbage.der", AT, CS_OCSP_INVALID, "ocsp-unverifiable",
	 "cannot be decoded"},
};

static void test_ocsp_table(void **state)
{
	gnutls_x509_crt_t leaf = load_crt("pki/ee-rsa.pem");
	gnutls_x509_crt_t issuer = load_crt("pki/ica-rsa.pem");

	(void)state;
	for (size_t i = 0; i < sizeof(rows) / sizeof(*rows); i++) {
		struct cs_ocsp_result r;
		struct cs_error err;
		gnutls_datum_t d;
		char p[4096];

		assert_int_equal(gnutls_load_file(tc(rows[i].file, p,
						     sizeof(p)), &d), 0);
		assert_int_equal(cs_ocsp_check(d.data, d.size, leaf, issuer,
					       rows[i].at, &r, &err), 0);
		gnutls_free(d.data);
		if (r.status != rows[i].status)
			fail_msg("row %zu %s: status %s", i, rows[i].file,
				 cs_ocsp_status_name(r.status));
		if (rows[i].code == NULL)
			assert_null(r.code);
		else if (r.code == NULL || strcmp(r.code, rows[i].code) != 0)
			fail_msg("row %zu %s: code %s", i, rows[i].file,
				 r.code ? r.code : "(none)");
		if (strstr(r.message, rows[i].fragment) == NULL)
			fail_msg("row %zu %s: message '%s'", i, rows[i].file,
				 r.message);
	}
	gnutls_x509_crt_deinit(leaf);
	gnutls_x509_crt_deinit(issuer);
}

/* Without the issuer nothing can be trusted; empty input is invalid. */
static void test_ocsp_no_issuer_or_empty(void **state)
{
	gnutls_x509_crt_t leaf = load_crt("pki/ee-rsa.pem");
	struct cs_ocsp_result r;
	struct cs_error err;
	gnutls_datum_t d;
	char p[4096];

	(void)state;
	assert_int_equal(gnutls_load_file(tc("ocsp/good.der", p, sizeof(p)),
					  &d), 0);
	assert_int_equal(cs_ocsp_check(d.data, d.size, leaf, NULL, AT, &r,
				       &err), 0);
	assert_int_equal(r.status, CS_OCSP_INVALID);
	assert_false(r.signature_ok);
	assert_string_equal(r.code, "ocsp-unverifiable");
	assert_int_equal(cs_ocsp_check(d.data, 0, leaf, leaf, AT, &r, &err),
			 0);
	assert_int_equal(r.status, CS_OCSP_INVALID);
	/* every prefix of a good response ends in a result, never a crash */
	for (unsigned n = 1; n < d.size; n += 7) {
		assert_int_equal(cs_ocsp_check(d.data, n, leaf, leaf, AT, &r,
					       &err), 0);
		assert_int_equal(r.status, CS_OCSP_INVALID);
	}
	gnutls_free(d.data);
	gnutls_x509_crt_deinit(leaf);
}

/* As a finding of a verdict: good and current adds none; revoked adds
 * an error about the leaf with what to change, and the verdict turns;
 * a path without a leaf is left alone. */
static void test_ocsp_staple_finding(void **state)
{
	gnutls_x509_crt_t leaf = load_crt("pki/ee-rsa.pem");
	gnutls_x509_crt_t issuer = load_crt("pki/ica-rsa.pem");
	struct cs_path_elem path[2];
	struct cs_verify_result vr;
	struct cs_ocsp_result r;
	struct cs_error err;
	gnutls_datum_t good, revoked;
	char p[4096], subject[] = "CN=leaf";

	(void)state;
	assert_int_equal(gnutls_load_file(tc("ocsp/good.der", p, sizeof(p)),
					  &good), 0);
	assert_int_equal(gnutls_load_file(tc("ocsp/revoked.der", p,
					     sizeof(p)), &revoked), 0);
	memset(path, 0, sizeof(path));
	path[0].crt = leaf;
	path[0].model.subject = subject;
	path[1].crt = issuer;
	memset(&vr, 0, sizeof(vr));
	vr.trusted = true;
	vr.path = path;
	vr.path_len = 2;
	assert_int_equal(cs_ocsp_check_staple(good.data, good.size, AT, &vr,
					      &r, &err), 0);
	assert_int_equal(r.status, CS_OCSP_GOOD);
	assert_int_equal(vr.n_findings, 0);
	assert_true(vr.trusted);
	assert_int_equal(cs_ocsp_check_staple(revoked.data, revoked.size, AT,
					      &vr, &r, &err), 0);
	assert_int_equal(r.status, CS_OCSP_REVOKED);
	assert_int_equal(vr.n_findings, 1);
	assert_string_equal(vr.findings[0].code, "ocsp-revoked");
	assert_int_equal(vr.findings[0].cert, 0);
	assert_string_equal(vr.findings[0].subject, "CN=leaf");
	assert_non_null(strstr(vr.findings[0].fix, "revoked"));
	assert_false(vr.trusted);
	free(vr.findings[0].subject);
	free(vr.findings[0].message);
	free(vr.findings[0].fix);
	free(vr.findings);
	/* no leaf in the path: nothing to check */
	memset(&vr, 0, sizeof(vr));
	vr.trusted = true;
	assert_int_equal(cs_ocsp_check_staple(revoked.data, revoked.size, AT,
					      &vr, &r, &err), 0);
	assert_int_equal(vr.n_findings, 0);
	assert_true(vr.trusted);
	gnutls_free(good.data);
	gnutls_free(revoked.data);
	gnutls_x509_crt_deinit(leaf);
	gnutls_x509_crt_deinit(issuer);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ocsp_table),
		cmocka_unit_test(test_ocsp_no_issuer_or_empty),
		cmocka_unit_test(test_ocsp_staple_finding),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
