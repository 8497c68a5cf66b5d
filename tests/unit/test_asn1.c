/* test_asn1.c - the structural DER dump (src/core/x509/asn1.c) and its
 * text and JSON (src/core/report/asn1.c): expected trees for a
 * certificate, a CRL, an OCSP response and non-PKIX DER, and for
 * malformed input (truncated, length overflow, indefinite length,
 * nesting bomb, trailing garbage, element limit), and PEM unwrapping */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "oid.h"
#include "input/load.h"
#include "report/asn1.h"
#include "x509/asn1.h"

#define BUF(s) (const unsigned char *)(s), sizeof(s) - 1

/* The text dump of LEN bytes at P (caller frees). */
static char *dump_text(const unsigned char *p, size_t len,
		       const struct cs_asn1_opts *o, struct cs_asn1_list *keep)
{
	struct cs_asn1_list l;
	struct cs_error err;
	char *text = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&text, &n);

	assert_non_null(f);
	assert_int_equal(cs_asn1_read(&l, p, len, o, &err), 0);
	assert_int_equal(cs_report_asn1_text(f, &l), 0);
	assert_int_equal(fclose(f), 0);
	if (keep)
		*keep = l;
	else
		cs_asn1_list_free(&l);
	return text;
}

static void expect_tree(const unsigned char *p, size_t len, const char *want)
{
	char *got = dump_text(p, len, NULL, NULL);

	assert_string_equal(got, want);
	free(got);
}

static unsigned char *testcert(const char *rel, size_t *len)
{
	const char *d = getenv("CS_TESTCERTS");
	char path[4096];
	unsigned char *buf;
	struct cs_error err;

	snprintf(path, sizeof(path), "%s/%s", d ? d : "testcerts", rel);
	assert_int_equal(cs_load_read_file(path, 0, &buf, len, &err), 0);
	return buf;
}

/* The text dump of a testcerts file (caller frees). */
static char *testcert_text(const char *rel)
{
	size_t len;
	unsigned char *der = testcert(rel, &len);
	char *got = dump_text(der, len, NULL, NULL);

	free(der);
	return got;
}

/* The first lines of the text dump of a testcerts file. */
static void expect_head(const char *rel, const char *want)
{
	char *got = testcert_text(rel);

	got[strlen(want) < strlen(got) ? strlen(want) : strlen(got)] = '\0';
	assert_string_equal(got, want);
	free(got);
}

/* ---- valid input -------------------------------------------------- */

static void test_asn1_certificate(void **state)
{
	(void)state;
	expect_head("formats/ee-rsa.der",
		"   0 4+925   SEQUENCE Certificate\n"
		"   4 4+645     SEQUENCE tbsCertificate\n"
		"   8 2+3         [0] version\n"
		"  10 2+1           INTEGER: 2\n"
		"  13 2+2         INTEGER serialNumber: 4099\n"
		"  17 2+13        SEQUENCE signature\n"
		"  19 2+9           OBJECT IDENTIFIER algorithm: "
		"1.2.840.113549.1.1.11 (sha256WithRSAEncryption)\n"
		"  30 2+0           NULL parameters\n"
		"  32 2+71        SEQUENCE issuer\n"
		"  34 2+27          SET\n"
		"  36 2+25            SEQUENCE\n"
		"  38 2+3               OBJECT IDENTIFIER type: 2.5.4.10 "
		"(organizationName)\n"
		"  43 2+18              PrintableString value: \"certscope "
		"test PKI\"\n");
}

static void test_asn1_certificate_tail(void **state)
{
	char *got = testcert_text("formats/ee-rsa.der");

	(void)state;
	/* validity, an extension value decoded inside its OCTET STRING */
	assert_non_null(strstr(got, " 107 2+13          UTCTime notBefore: "
			       "2025-01-01T00:00:00Z\n"));
	assert_non_null(strstr(got,
		" 516 2+34              OCTET STRING extnValue "
		"(encapsulates)\n"
		" 518 2+32                SEQUENCE\n"
		" 520 2+16                  [2]: \"www.example.test\"\n"));
	assert_non_null(strstr(got, " 668 4+257     BIT STRING signature: "
			       "45257181024f94f7276a7fc0ea6aa1e38bd070f6823c0a"
			       "927c44a861c6daf669... (256 bytes)\n"));
	assert_null(strstr(got, "error"));
	free(got);
}

static void test_asn1_crl(void **state)
{
	char *got;

	(void)state;
	expect_head("formats/crl-ica-rsa.der",
		"   0 4+472   SEQUENCE CertificateList\n"
		"   4 3+193     SEQUENCE tbsCertList\n"
		"   7 2+1         INTEGER version: 1\n"
		"  10 2+13        SEQUENCE signature\n");
	got = testcert_text("formats/crl-ica-rsa.der");
	assert_non_null(strstr(got,
		" 128 2+21        SEQUENCE revokedCertificates\n"
		" 130 2+19          SEQUENCE\n"
		" 132 2+2             INTEGER userCertificate: 8203\n"
		" 136 2+13            UTCTime revocationDate: "
		"2025-06-01T00:00:00Z\n"
		" 151 2+47        [0] crlExtensions\n"));
	free(got);
}

static void test_asn1_ocsp(void **state)
{
	(void)state;
	/* the BasicOCSPResponse inside responseBytes' OCTET STRING is
	 * labelled too */
	expect_head("ocsp/good.der",
		"   0 4+453   SEQUENCE OCSPResponse\n"
		"   4 2+1       ENUMERATED responseStatus: 0\n"
		"   7 4+446     [0] responseBytes\n"
		"  11 4+442       SEQUENCE\n"
		"  15 2+9           OBJECT IDENTIFIER responseType: "
		"1.3.6.1.5.5.7.48.1.1 (id-pkix-ocsp-basic)\n"
		"  26 4+427         OCTET STRING response (encapsulates)\n"
		"  30 4+423           SEQUENCE BasicOCSPResponse\n"
		"  34 3+144             SEQUENCE tbsResponseData\n"
		"  37 2+22                [2] responderID\n");
}

static void test_asn1_ocsp_certs(void **state)
{
	char *got = testcert_text("ocsp/wrong-signer.der");

	(void)state;
	/* each certificate the response carries is labelled too */
	assert_non_null(strstr(got,
		" 266 4+456             [0] certs\n"
		" 270 4+452               SEQUENCE\n"
		" 274 4+448                 SEQUENCE Certificate\n"
		" 278 4+358                   SEQUENCE tbsCertificate\n"));
	free(got);
}

static void test_asn1_pkcs7(void **state)
{
	char *got = testcert_text("formats/chain-rsa.p7b");

	(void)state;
	/* PEM unwrapped; ContentInfo, the SignedData in its content, and
	 * each certificate of the set */
	assert_non_null(strstr(got,
		"PEM block 'PKCS7' at line 1, 1909 bytes of DER:\n"
		"   0 4+1905  SEQUENCE ContentInfo\n"
		"   4 2+9       OBJECT IDENTIFIER contentType: "
		"1.2.840.113549.1.7.2 (signedData)\n"
		"  15 4+1890    [0] content\n"
		"  19 4+1886      SEQUENCE SignedData\n"));
	assert_non_null(strstr(got, "[0] certificates\n"
			       "  45 4+925           SEQUENCE Certificate\n"));
	free(got);
}

static void test_asn1_not_pkix(void **state)
{
	(void)state;
	/* no labels; a string with a control character escaped; an OCTET
	 * STRING that holds DER is dumped inside; one whose bytes only
	 * look like DER (an EOC inside) stays hex */
	expect_tree(BUF("\x30\x1a\x02\x01\xfb\x0c\x04h\xc3\xa9\n"
			"\x04\x05\x30\x03\x01\x01\xff\x04\x03\x30\x01\x00"
			"\x06\x03\x2b\x06\x01"),
		"   0 2+26    SEQUENCE\n"
		"   2 2+1       INTEGER: -5\n"
		"   5 2+4       UTF8String: \"h\xc3\xa9\\n\"\n"
		"  11 2+5       OCTET STRING (encapsulates)\n"
		"  13 2+3         SEQUENCE\n"
		"  15 2+1           BOOLEAN: true\n"
		"  18 2+3       OCTET STRING: 300100\n"
		"  23 2+3       OBJECT IDENTIFIER: 1.3.6.1\n");
	/* an empty SEQUENCE is no Certificate (libtasn1 would take it) */
	expect_tree(BUF("\x30\x00"), "   0 2+0     SEQUENCE\n");
}

/* ---- malformed input ----------------------------------------------- */

static void test_asn1_truncated(void **state)
{
	(void)state;
	expect_tree(BUF("\x30\x06\x02\x01\x05\x04\x03\x41"),
		"   0 2+6     SEQUENCE\n"
		"   2 2+1       INTEGER: 5\n"
		"error at offset 5: truncated: length says 3 bytes, 1 "
		"present\n");
	expect_tree(BUF("\x30\x82\x01"),
		"error at offset 0: truncated: the length octets run past "
		"the end\n");
}

static void test_asn1_length_overflow(void **state)
{
	(void)state;
	expect_tree(BUF("\x30\x88\xff\xff\xff\xff\xff\xff\xff\xff\x00"),
		"error at offset 0: length overflow: the length octets say "
		"more than 2^64 bytes\n");
	expect_tree(BUF("\x30\x03\x04\x89\x01\x01\x01\x01\x01\x01\x01\x01"
			"\x01"),
		"   0 2+3     SEQUENCE\n"
		"error at offset 2: length overflow: 9 length octets, more "
		"than 8\n");
}

static void test_asn1_indefinite(void **state)
{
	(void)state;
	expect_tree(BUF("\x30\x80\x02\x01\x01\x00\x00"),
		"error at offset 0: indefinite length (BER, which DER "
		"forbids: X.690 10.1)\n");
}

/* N SEQUENCEs nested in one another, long-form lengths. */
static unsigned char *nest(size_t levels, size_t *len)
{
	unsigned char *b = malloc(levels * 5);
	size_t inner = 0;

	assert_non_null(b);
	for (size_t i = levels; i-- > 0;) {
		unsigned char *h = b + i * 5;

		h[0] = 0x30;
		h[1] = 0x83;
		h[2] = (unsigned char)(inner >> 16);
		h[3] = (unsigned char)(inner >> 8);
		h[4] = (unsigned char)inner;
		inner += 5;
	}
	*len = levels * 5;
	return b;
}

static void test_asn1_nesting_bomb(void **state)
{
	struct cs_asn1_list l;
	size_t len;
	unsigned char *b = nest(50000, &len);
	char *got = dump_text(b, len, NULL, &l);

	(void)state;
	/* 32 levels shown, then refused at the 33rd */
	assert_int_equal(l.n, 1);
	assert_int_equal(l.v[0].n, CS_MAX_DER_DEPTH);
	assert_true(l.v[0].fault);
	assert_int_equal(l.v[0].fault_offset, CS_MAX_DER_DEPTH * 5);
	assert_string_equal(l.v[0].reason,
			    "nested deeper than 32 levels (the limit)");
	assert_non_null(strstr(got, "error at offset 160: nested deeper "
			       "than 32 levels (the limit)\n"));
	cs_asn1_list_free(&l);
	free(got);
	free(b);
}

static void test_asn1_trailing_garbage(void **state)
{
	(void)state;
	expect_tree(BUF("\x02\x01\x05\xff"),
		"   0 2+1     INTEGER: 5\n"
		"error at offset 3: after the last complete element: tag "
		"number above 30 (high-tag-number form), which no PKIX "
		"structure uses\n");
	expect_tree(BUF("\x02\x01\x05\x00\x00"),
		"   0 2+1     INTEGER: 5\n"
		"error at offset 3: after the last complete element: "
		"end-of-contents octets (BER indefinite form, or padding), "
		"not DER\n");
	/* two complete elements back to back are both shown */
	expect_tree(BUF("\x02\x01\x05\x05\x00"),
		"   0 2+1     INTEGER: 5\n"
		"   3 2+0     NULL\n");
}

static void test_asn1_element_limit(void **state)
{
	struct cs_asn1_opts o = {.max_elements = 2};
	char *got = dump_text(BUF("\x30\x06\x02\x01\x01\x02\x01\x02"), &o,
			      NULL);

	(void)state;
	assert_string_equal(got, "   0 2+6     SEQUENCE\n"
			    "   2 2+1       INTEGER: 1\n"
			    "error at offset 5: more than 2 elements (the "
			    "limit)\n");
	free(got);
}

static void test_asn1_input_limit(void **state)
{
	/* three blocks: 1 element, 3 elements, 1 element; 3 in all */
	static const char pem[] =
		"-----BEGIN A-----\nAgEF\n-----END A-----\n"
		"-----BEGIN B-----\nMAYCAQECAQI=\n-----END B-----\n"
		"-----BEGIN C-----\nAgEF\n-----END C-----\n";
	struct cs_asn1_opts o = {.max_input_elements = 3};
	char *got = dump_text(BUF(pem), &o, NULL);

	(void)state;
	assert_string_equal(got,
		"PEM block 'A' at line 1, 3 bytes of DER:\n"
		"   0 2+1     INTEGER: 5\n"
		"\n"
		"PEM block 'B' at line 4, 8 bytes of DER:\n"
		"   0 2+6     SEQUENCE\n"
		"   2 2+1       INTEGER: 1\n"
		"error at offset 5: more than 2 elements (left of the input's "
		"limit)\n"
		"\n"
		"error: not dumped: the input's limit of 3 elements is used "
		"up\n");
	free(got);
}

static void test_asn1_empty(void **state)
{
	(void)state;
	expect_tree((const unsigned char *)"", 0,
		    "error at offset 0: empty: no DER element\n");
}

/* ---- PEM ------------------------------------------------------------ */

static void test_asn1_pem_blocks(void **state)
{
	static const char pem[] =
		"prose\n"
		"-----BEGIN THING-----\nAgEF\n-----END THING-----\n"
		"-----BEGIN PRIVATE KEY-----\nAgEF\n-----END PRIVATE KEY-----\n"
		"-----BEGIN OTHER-----\nMAM=\n-----END OTHER-----\n"
		"-----BEGIN BAD-----\nA*EF\n-----END BAD-----\n";

	(void)state;
	expect_tree(BUF(pem),
		"PEM block 'THING' at line 2, 3 bytes of DER:\n"
		"   0 2+1     INTEGER: 5\n"
		"\n"
		"PEM block 'PRIVATE KEY' at line 5: a private key, not dumped "
		"(keys are never printed)\n"
		"\n"
		"PEM block 'OTHER' at line 8, 2 bytes of DER:\n"
		"error at offset 0: truncated: length says 3 bytes, 0 "
		"present\n"
		"\n"
		"error: bad base64 at line 12\n");
}

/* ---- private keys ------------------------------------------------- */

/* An Ed25519 PKCS#8 PrivateKeyInfo whose secret is 32 bytes of 0x11. */
#define ED25519_P8 "\x30\x2e\x02\x01\x00\x30\x05\x06\x03\x2b\x65\x70" \
	"\x04\x22\x04\x20" \
	"\x11\x11\x11\x11\x11\x11\x11\x11\x11\x11\x11\x11\x11\x11\x11\x11" \
	"\x11\x11\x11\x11\x11\x11\x11\x11\x11\x11\x11\x11\x11\x11\x11\x11"

static void test_asn1_der_keys_skipped(void **state)
{
	static const char sec1[] = "\x30\x25\x02\x01\x01\x04\x20"
		"\x22\x22\x22\x22\x22\x22\x22\x22\x22\x22\x22\x22\x22\x22\x22"
		"\x22\x22\x22\x22\x22\x22\x22\x22\x22\x22\x22\x22\x22\x22\x22"
		"\x22\x22";
	struct cs_asn1_list l;
	char *got;

	(void)state;
	/* PKCS#8 (here Ed25519), SEC1 ECPrivateKey, PKCS#1 / DSA shape */
	expect_tree(BUF(ED25519_P8), "a private key, 48 bytes of DER, not "
		    "dumped (keys are never printed)\n");
	expect_tree(BUF(sec1), "a private key, 39 bytes of DER, not dumped "
		    "(keys are never printed)\n");
	expect_tree(BUF("\x30\x12\x02\x01\x00\x02\x01\x05\x02\x01\x07"
			"\x02\x01\x0b\x02\x01\x0d\x02\x01\x11"),
		    "a private key, 20 bytes of DER, not dumped (keys are "
		    "never printed)\n");
	/* inside an encapsulating OCTET STRING (a PKCS#12 keyBag's way):
	 * the whole structure is dropped, not just the key */
	expect_tree(BUF("\x30\x32\x04\x30" ED25519_P8),
		    "a private key, 52 bytes of DER, not dumped (keys are "
		    "never printed)\n");
	/* in a PEM block whatever its label */
	got = dump_text(BUF("-----BEGIN THING-----\n"
			    "MC4CAQAwBQYDK2VwBCIEIBERERERERERERERERERERERERERER"
			    "ERERERERERERERER\n-----END THING-----\n"), NULL, &l);
	assert_string_equal(got, "PEM block 'THING' at line 1: a private "
			    "key, not dumped (keys are never printed)\n");
	assert_int_equal(l.n, 1);
	assert_true(l.v[0].skipped);
	assert_int_equal(l.v[0].n, 0);
	assert_false(l.v[0].fault);
	free(got);
	cs_asn1_list_free(&l);
}

static void test_asn1_key_lookalikes_dumped(void **state)
{
	(void)state;
	/* four INTEGERs after the version: not a key's shape */
	expect_tree(BUF("\x30\x0f\x02\x01\x00\x02\x01\x05\x02\x01\x07"
			"\x02\x01\x0b\x02\x01\x0d"),
		    "   0 2+15    SEQUENCE\n"
		    "   2 2+1       INTEGER: 0\n"
		    "   5 2+1       INTEGER: 5\n"
		    "   8 2+1       INTEGER: 7\n"
		    "  11 2+1       INTEGER: 11\n"
		    "  14 2+1       INTEGER: 13\n");
	/* EncryptedPrivateKeyInfo: no version, nothing in the clear */
	expect_tree(BUF("\x30\x0c\x30\x06\x06\x04\x2a\x03\x04\x05"
			"\x04\x02\xab\xcd"),
		    "   0 2+12    SEQUENCE\n"
		    "   2 2+6       SEQUENCE\n"
		    "   4 2+4         OBJECT IDENTIFIER: 1.2.3.4.5\n"
		    "  10 2+2       OCTET STRING: abcd\n");
}

/* ---- cs_oid_dotted (oid.c, the one OID-to-text of set_oid, altnames,
 * nc and cs_oid_ext_text) ------------------------------------------ */

static void test_oid_dotted(void **state)
{
	char out[32], tiny[4];

	(void)state;
	assert_true(cs_oid_dotted(BUF("\x06\x03\x55\x1d\x11"), out,
				  sizeof(out)));
	assert_string_equal(out, "2.5.29.17");
	/* the tag is not looked at: registeredID [8] reads the same */
	assert_true(cs_oid_dotted(BUF("\x88\x03\x2a\x03\x04"), out,
				  sizeof(out)));
	assert_string_equal(out, "1.2.3.4");
	assert_false(cs_oid_dotted(BUF("\x06\x00"), out, sizeof(out)));
	assert_false(cs_oid_dotted(BUF("\x06\x03\x55\x1d\x11\x00"), out,
				   sizeof(out)));
	/* libtasn1 cuts what does not fit (as every caller had it) */
	assert_true(cs_oid_dotted(BUF("\x06\x03\x55\x1d\x11"), tiny,
				  sizeof(tiny)));
	assert_string_equal(tiny, "2.5");
	assert_false(cs_oid_dotted(NULL, 5, out, sizeof(out)));
}

/* ---- JSON ----------------------------------------------------------- */

static void test_asn1_json(void **state)
{
	struct cs_asn1_list l;
	struct cs_error err;
	json_t *j, *s, *e, *k;

	(void)state;
	assert_int_equal(cs_asn1_read(&l, BUF("\x30\x08\x06\x03\x55\x04\x03"
					      "\x01\x01\x00\x02"), NULL,
				      &err), 0);
	j = cs_report_asn1_json(&l, "in.der");
	assert_non_null(j);
	assert_string_equal(json_string_value(json_object_get(j, "input")),
			    "in.der");
	s = json_array_get(json_object_get(j, "structures"), 0);
	assert_true(json_is_null(json_object_get(s, "pem")));
	e = json_array_get(json_object_get(s, "elements"), 0);
	assert_string_equal(json_string_value(json_object_get(e, "tag")),
			    "SEQUENCE");
	assert_true(json_is_true(json_object_get(e, "constructed")));
	k = json_array_get(json_object_get(e, "children"), 0);
	assert_string_equal(json_string_value(json_object_get(k, "value")),
			    "2.5.4.3");
	assert_string_equal(json_string_value(json_object_get(k,
							       "oid_name")),
			    "commonName");
	assert_int_equal(json_integer_value(json_object_get(k, "offset")), 2);
	k = json_array_get(json_object_get(e, "children"), 1);
	assert_true(json_is_false(json_object_get(k, "value")));
	e = json_object_get(s, "error");
	assert_int_equal(json_integer_value(json_object_get(e, "offset")),
			 10);
	json_decref(j);
	cs_asn1_list_free(&l);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_asn1_certificate),
		cmocka_unit_test(test_asn1_certificate_tail),
		cmocka_unit_test(test_asn1_crl),
		cmocka_unit_test(test_asn1_ocsp),
		cmocka_unit_test(test_asn1_ocsp_certs),
		cmocka_unit_test(test_asn1_pkcs7),
		cmocka_unit_test(test_asn1_not_pkix),
		cmocka_unit_test(test_asn1_truncated),
		cmocka_unit_test(test_asn1_length_overflow),
		cmocka_unit_test(test_asn1_indefinite),
		cmocka_unit_test(test_asn1_nesting_bomb),
		cmocka_unit_test(test_asn1_trailing_garbage),
		cmocka_unit_test(test_asn1_element_limit),
		cmocka_unit_test(test_asn1_input_limit),
		cmocka_unit_test(test_asn1_empty),
		cmocka_unit_test(test_asn1_pem_blocks),
		cmocka_unit_test(test_asn1_der_keys_skipped),
		cmocka_unit_test(test_asn1_key_lookalikes_dumped),
		cmocka_unit_test(test_oid_dotted),
		cmocka_unit_test(test_asn1_json),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
