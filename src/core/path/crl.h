/*
 * crl.h - one CRL about one certificate (RFC 5280 6.3.3), for CRLs that
 * come from elsewhere than --crl: those fetched from distribution points
 * (online/).  The rules are revoke.c's: the CRL's issuer is the
 * certificate's issuer and its signature verifies with the issuer's key;
 * a listed certificate is then revoked whatever else is wrong; a CRL
 * without a cRLNumber or with critical extensions not processed is not
 * relied on; it is current at the validation time.
 *
 * Does not: fetch, cache, or add findings (the caller words them).
 */
#ifndef CS_CRL_H
#define CS_CRL_H

#include <gnutls/x509.h>

#include "timeutil.h"
#include "x509/model.h"

enum cs_crl_status {
	CS_CRL_GOOD,    /* current, usable, does not list it */
	CS_CRL_REVOKED, /* lists it (revoked_at) */
	CS_CRL_STALE,   /* usable but not current at the time (why) */
	CS_CRL_INVALID, /* not the issuer's, or not usable (why) */
};

struct cs_crl_verdict {
	enum cs_crl_status status;
	cs_time_t revoked_at, this_update, next_update; /* or CS_TIME_NONE */
	char why[256];
};

void cs_crl_judge(gnutls_x509_crl_t crl, gnutls_x509_crt_t crt,
		  gnutls_x509_crt_t issuer,
		  const struct cs_cert_model *issuer_model, cs_time_t at,
		  struct cs_crl_verdict *v);

#endif
