/*
 * ocsp.h - check a stapled OCSP response (RFC 6960, RFC 6066 section 8)
 * for the leaf a server sent: decode it, find the single response for
 * the leaf's certificate ID, verify the signature (by the issuer, or by a
 * responder the issuer delegated to with id-kp-OCSPSigning, RFC 6960
 * 4.2.2.2), and judge thisUpdate/nextUpdate at a given time.
 *
 * Also the fuzzing entry point for stapled responses: any bytes are
 * accepted and end in a result.
 *
 * cs_ocsp_check_staple turns that check into a finding of a verdict
 * already reached (path/verify.h): the staple is judged for the leaf of
 * the validated path, issued by the next element.
 *
 * Also builds the request a client sends (cs_ocsp_request) and checks
 * fetched responses with the same code (cs_ocsp_check_about).
 *
 * Does not: fetch responses over HTTP (online/ does), read the clock, or
 * print.
 */
#ifndef CS_OCSP_H
#define CS_OCSP_H

#include <stdbool.h>
#include <stddef.h>
#include <gnutls/x509.h>

#include "error.h"
#include "x509/model.h"
#include "path/verify.h"

/* Clock skew allowed between the responder and us, in seconds: a
 * response a few minutes "from the future" is normal. */
#define CS_OCSP_SKEW_SECS 300

enum cs_ocsp_status {
	CS_OCSP_GOOD,
	CS_OCSP_REVOKED,
	CS_OCSP_UNKNOWN,   /* the responder does not know the certificate */
	CS_OCSP_INVALID,   /* the response could not be checked */
};

struct cs_ocsp_result {
	enum cs_ocsp_status status;
	bool signature_ok;       /* signed by the issuer or its delegate */
	bool time_ok;            /* thisUpdate <= at + skew < nextUpdate */
	cs_time_t produced_at, this_update, next_update; /* CS_TIME_NONE */
	cs_time_t revoked_at;    /* CS_OCSP_REVOKED */
	int reason;              /* gnutls_x509_crl_reason_t, revoked */
	const char *code;        /* finding code ("ocsp-revoked", ...), or
				    NULL when good, signed and current */
	char message[512];       /* one plain sentence */
};

/* Check len bytes at der for leaf, issued by issuer (NULL when the
 * issuer is not known: the result is then CS_OCSP_INVALID), at time at.
 * Returns 0 with *r filled, -1 with *err only on allocation failure. */
CS_MUST_CHECK int cs_ocsp_check(const unsigned char *der, size_t len,
				gnutls_x509_crt_t leaf,
				gnutls_x509_crt_t issuer, cs_time_t at,
				struct cs_ocsp_result *r,
				struct cs_error *err);

/* How a response is spoken of, and the nonce sent for it. */
struct cs_ocsp_about {
	const char *what;   /* "The stapled OCSP response", "The OCSP
			       response of http://..." */
	const char *cert;   /* "the server's certificate", "'Example CA'" */
	bool staple;        /* a staple: the server sent it */
	const unsigned char *nonce; /* sent in the request, or NULL */
	size_t nonce_len;
};

/* cs_ocsp_check for any response (a fetched one too): the sentences
 * speak of ab->what and ab->cert, and a nonce in the response must be
 * ab->nonce when one was sent (a response without one is accepted:
 * most responders sign ahead of time). */
CS_MUST_CHECK int cs_ocsp_check_about(const unsigned char *der, size_t len,
				      gnutls_x509_crt_t leaf,
				      gnutls_x509_crt_t issuer, cs_time_t at,
				      const struct cs_ocsp_about *ab,
				      struct cs_ocsp_result *r,
				      struct cs_error *err);

#define CS_OCSP_NONCE_MAX 64

/* A DER OCSP request for cert issued by issuer (SHA-1 certificate ID,
 * a random nonce, RFC 6960 4.1) into *req (gnutls_free it); the nonce
 * into nonce (CS_OCSP_NONCE_MAX bytes), its length in *nonce_len.
 * Returns 0, -1 with *err. */
CS_MUST_CHECK int cs_ocsp_request(gnutls_x509_crt_t cert,
				  gnutls_x509_crt_t issuer,
				  gnutls_datum_t *req, unsigned char *nonce,
				  size_t *nonce_len, struct cs_error *err);

/* "keyCompromise", ... for an RFC 5280 5.3.1 reason code. */
const char *cs_crl_reason_name(int reason);

/* Check len bytes at der as the staple for the leaf of vr's path (its
 * issuer: the next element) at time at, with *ocsp filled as above.  A
 * response that is not good, signed and current adds its finding to vr
 * (with what to change); an error-severity one makes vr untrusted.  No
 * path, no leaf: nothing is checked and *ocsp is left as it was.
 * Returns 0, or -1 with *err on allocation failure. */
CS_MUST_CHECK int cs_ocsp_check_staple(const unsigned char *der, size_t len,
				       cs_time_t at,
				       struct cs_verify_result *vr,
				       struct cs_ocsp_result *ocsp,
				       struct cs_error *err);

/* "good", "revoked", "unknown", "invalid" */
const char *cs_ocsp_status_name(enum cs_ocsp_status s);

#endif
