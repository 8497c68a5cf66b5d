/*
 * fuzz_crl.c - what a CRL distribution point answers, or a cache file
 * holds (--revocation with crl): any bytes through the CRL parser of
 * online/crls.c, then judged for pki/ee-rsa.pem issued by
 * pki/ica-rsa.pem as cs_online_ask_crl does.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <gnutls/gnutls.h>

#include "online/online.h"
#include "path/crl.h"
#include "x509/model.h"
#include "testcert.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static gnutls_x509_crt_t leaf, issuer;
static struct cs_cert_model issuer_model;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	gnutls_x509_crl_t crl = NULL;
	struct cs_crl_verdict v;
	struct cs_error err;

	if (leaf == NULL) {
		gnutls_datum_t der = {NULL, 0};

		leaf = fuzz_testcert("ee-rsa.pem");
		issuer = fuzz_testcert("ica-rsa.pem");
		if (issuer == NULL ||
		    gnutls_x509_crt_export2(issuer, GNUTLS_X509_FMT_DER,
					    &der) < 0)
			return 0;
		if (cs_model_from_crt(&issuer_model, issuer, der.data,
				      der.size, &err) < 0) {
			gnutls_free(der.data);
			return 0;
		}
		gnutls_free(der.data);
	}
	if (leaf == NULL || issuer == NULL)
		return 0;
	if (cs_online_parse_crl(data, size, &crl) == 0) {
		cs_crl_judge(crl, leaf, issuer, &issuer_model, 1780272000, &v);
		gnutls_x509_crl_deinit(crl);
	}
	return 0;
}
