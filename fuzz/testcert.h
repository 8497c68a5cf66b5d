/*
 * testcert.h - for the fuzz targets: one certificate of testcerts/pki/
 * (CS_FUZZ_TESTCERTS at build time), loaded once.
 */
#ifndef CS_FUZZ_TESTCERT_H
#define CS_FUZZ_TESTCERT_H

#include <stdio.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>

/* testcerts/pki/NAME (PEM), or NULL. */
static inline gnutls_x509_crt_t fuzz_testcert(const char *name)
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

#endif
