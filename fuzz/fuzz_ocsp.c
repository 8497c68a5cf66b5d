/*
 * fuzz_ocsp.c - stapled OCSP response handling (ocsp.h) on any bytes,
 * for pki/ee-rsa.pem issued by pki/ica-rsa.pem.
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
	struct cs_ocsp_result r;
	struct cs_error err;

	if (leaf == NULL) {
		leaf = load("ee-rsa.pem");
		issuer = load("ica-rsa.pem");
	}
	if (leaf == NULL)
		return 0;
	(void)cs_ocsp_check(data, size, leaf, issuer, 1780272000, &r, &err);
	return 0;
}
