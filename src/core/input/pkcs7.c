/*
 * pkcs7.c - RFC 2315 signedData bundles (.p7b/.p7c, PEM "PKCS7"): every
 * certificate and CRL they carry becomes an item, with its offset in the
 * file where the DER sits there verbatim.
 *
 * Does not: check signatures, or read any content but the certificates
 * and CRLs (GnuTLS's gnutls_pkcs7_t does the parsing).
 */
#include "input/load_int.h"

#include <string.h>

#include <gnutls/gnutls.h>
#include <gnutls/pkcs7.h>

/* Where DER from inside a container sits in the file, if it is there
 * verbatim (PKCS#7 certificates are; encrypted PKCS#12 bags are not). */
static struct load_pos inner_pos(const unsigned char *box, size_t box_len,
				 const unsigned char *der, size_t len,
				 const struct load_pos *box_at)
{
	struct load_pos at = *box_at;
	const unsigned char *p;

	if (box_at->line == 0 && len > 0) {
		p = memmem(box, box_len, der, len);
		if (p)
			at.offset += (size_t)(p - box);
	}
	return at;
}

/* see load_int.h */
int load_p7(struct load_ctx *c, const unsigned char *der, size_t len,
	    const struct load_pos *at)
{
	gnutls_pkcs7_t p7 = NULL;
	gnutls_datum_t d = { (unsigned char *)der, (unsigned)len };
	gnutls_datum_t raw;
	struct load_pos in;
	char wbuf[48];
	int r, i, ncrt, ncrl, rc = 0;

	r = gnutls_pkcs7_init(&p7);
	if (r < 0)
		return cs_error_setlib(c->err, CS_E_INTERNAL, r,
				       "gnutls_pkcs7_init: %s",
				       gnutls_strerror(r));
	r = len > UINT32_MAX ? GNUTLS_E_MEMORY_ERROR :
	    gnutls_pkcs7_import(p7, &d, GNUTLS_X509_FMT_DER);
	if (r < 0) {
		rc = load_push_error(c, at, CS_E_PARSE, r,
				     "not a PKCS#7 structure: GnuTLS says: "
				     "%s%s", gnutls_strerror(r),
				     load_where(at, wbuf, sizeof(wbuf)));
		goto out;
	}
	ncrt = gnutls_pkcs7_get_crt_count(p7);
	ncrl = gnutls_pkcs7_get_crl_count(p7);
	if (ncrt < 0)
		ncrt = 0;
	if (ncrl < 0)
		ncrl = 0;
	for (i = 0; i < ncrt && rc == 0; i++) {
		r = gnutls_pkcs7_get_crt_raw2(p7, (unsigned)i, &raw);
		if (r < 0) {
			rc = load_push_error(c, at, CS_E_PARSE, r,
					     "PKCS#7 certificate %d: GnuTLS "
					     "says: %s%s", i + 1,
					     gnutls_strerror(r),
					     load_where(at, wbuf,
							sizeof(wbuf)));
			continue;
		}
		in = inner_pos(der, len, raw.data, raw.size, at);
		rc = load_push_cert(c, raw.data, raw.size, &in);
		gnutls_free(raw.data);
	}
	for (i = 0; i < ncrl && rc == 0; i++) {
		r = gnutls_pkcs7_get_crl_raw2(p7, (unsigned)i, &raw);
		if (r < 0) {
			rc = load_push_error(c, at, CS_E_PARSE, r,
					     "PKCS#7 CRL %d: GnuTLS says: %s%s",
					     i + 1, gnutls_strerror(r),
					     load_where(at, wbuf,
							sizeof(wbuf)));
			continue;
		}
		in = inner_pos(der, len, raw.data, raw.size, at);
		rc = load_push_crl(c, raw.data, raw.size, &in);
		gnutls_free(raw.data);
	}
	if (rc == 0 && ncrt == 0 && ncrl == 0)
		rc = load_push_error(c, at, CS_E_EMPTY, 0,
				     "PKCS#7 structure holds no certificate or "
				     "CRL%s",
				     load_where(at, wbuf, sizeof(wbuf)));
out:
	gnutls_pkcs7_deinit(p7);
	return rc;
}
