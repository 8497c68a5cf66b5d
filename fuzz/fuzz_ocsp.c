/*
 * fuzz_ocsp.c - OCSP response handling (ocsp.h) on any bytes, for
 * pki/ee-rsa.pem issued by pki/ica-rsa.pem: as a staple, and as the
 * answer of a responder asked with a nonce (--revocation), which is the
 * same parser with the nonce check.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <gnutls/gnutls.h>

#include "path/ocsp.h"
#include "testcert.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static gnutls_x509_crt_t leaf, issuer;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const unsigned char nonce[] = {0x04, 0x10, 'c', 'e', 'r', 't',
					      's', 'c', 'o', 'p', 'e', 'n',
					      'o', 'n', 'c', 'e', '!', '!'};
	static const struct cs_ocsp_about fetched = {
		.what = "The OCSP response of http://ocsp.example.test",
		.cert = "'www.example.test'",
		.nonce = nonce, .nonce_len = sizeof(nonce)};
	struct cs_ocsp_result r;
	struct cs_error err;

	if (leaf == NULL) {
		leaf = fuzz_testcert("ee-rsa.pem");
		issuer = fuzz_testcert("ica-rsa.pem");
	}
	if (leaf == NULL)
		return 0;
	(void)cs_ocsp_check(data, size, leaf, issuer, 1780272000, &r, &err);
	(void)cs_ocsp_check_about(data, size, leaf, issuer, 1780272000,
				  &fetched, &r, &err);
	return 0;
}
