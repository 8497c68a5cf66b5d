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

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static gnutls_x509_crt_t leaf, issuer;

static gnutls_x509_crt_t load(const char *name)
{
	gnutls_x509_crt_t c = NULL;
	gnutls_datum_t d;
	char path[4096];

	snprintf(path, sizeof(path), "%s/pki/%s", CS_FUZZ_TESTCERTS, name);
	if (gnutls_load_file(path, &d) < 0)
		return NULL;
	if (gnutls_x509_crt_init(&c) == 0 &&
	    gnutls_x509_crt_import(c, &d, GNUTLS_X509_FMT_PEM) < 0) {
		gnutls_x509_crt_deinit(c);
		c = NULL;
	}
	gnutls_free(d.data);
	return c;
}

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
		leaf = load("ee-rsa.pem");
		issuer = load("ica-rsa.pem");
	}
	if (leaf == NULL)
		return 0;
	(void)cs_ocsp_check(data, size, leaf, issuer, 1780272000, &r, &err);
	(void)cs_ocsp_check_about(data, size, leaf, issuer, 1780272000,
				  &fetched, &r, &err);
	return 0;
}
