/*
 * online.h - validation with what the network adds: intermediates a
 * chain lacks, fetched from the caIssuers URLs of its certificates' AIA
 * (RFC 5280 4.2.2.1) when the chain reaches no anchor (--fetch-missing).
 *
 * The judgement stays in path/ (every verdict is cs_verify_chain's, run
 * again with what was fetched added to the pool) and the bytes come from
 * net/ (cs_http_fetch, inside the caller's deadline and caps); this
 * stage only decides what to fetch next and explains what it fetched.
 *
 * Does not: print, read the clock (the deadline has a clock), or keep
 * anything between calls.
 */
#ifndef CS_ONLINE_H
#define CS_ONLINE_H

#include <stdbool.h>
#include <stddef.h>

#include <gnutls/x509.h>

#include "error.h"
#include "input/load.h"
#include "net/starttls.h"
#include "path/trust.h"
#include "path/verify.h"

/* caIssuers fetches per input (each one climbs one certificate, so this
 * is also the depth), and certificates taken from one answer. */
#define CS_ONLINE_MAX_FETCHES 4
#define CS_ONLINE_MAX_CERTS_PER_FETCH 8

/* What an unreachable, slow or broken revocation source means. */
enum cs_revocation_mode {
	CS_REVOCATION_OFF = 0, /* nothing fetched (the default) */
	CS_REVOCATION_SOFT,    /* a warning finding; the verdict stands */
	CS_REVOCATION_HARD,    /* an error finding: not trusted */
};

/* Sources, as bits. */
#define CS_REVOCATION_OCSP 1u /* the AIA's OCSP responder */
#define CS_REVOCATION_CRL  2u /* the CRL distribution points */

struct cs_online_opts {
	bool fetch_missing;       /* follow caIssuers when no anchor is reached */
	const char *dns_servers;  /* as cs_net_resolve's; NULL: the system's */
	enum cs_revocation_mode revocation;
	unsigned sources;         /* CS_REVOCATION_* bits */
	const char *cache_dir;    /* CRLs kept here; NULL: no cache */
	cs_time_t now;            /* the clock's time: a cached CRL is used
				     until its nextUpdate */
};

/* What the network added; the result's path may borrow from it, so it
 * lives as long as the result. */
struct cs_online {
	struct cs_itemlist fetched; /* certificates, origin.path = the URL */
	size_t fetches;             /* URLs asked */
	/* private: the pool the last validation saw (the --untrusted items
	 * then the fetched ones, shallow copies; the path's origins point
	 * into it) */
	struct cs_itemlist pool;
	size_t n_untrusted;
};

void cs_online_init(struct cs_online *ol);
void cs_online_free(struct cs_online *ol);

/*
 * cs_verify_chain on input with the pool untrusted, then, while the path
 * reaches no anchor and opts allow, the caIssuers URL of its last
 * certificate is fetched before dl (DER, PEM or PKCS#7, at most
 * CS_HTTP_MAX_ISSUER bytes), what it holds added to the pool and the
 * chain built again.  Each certificate of the path that came this way
 * is an issuer-fetched finding naming the URL (the server should send
 * it); each fetch that failed an issuer-fetch-failed finding.  Returns
 * as cs_verify_chain.
 */
CS_MUST_CHECK int cs_online_verify(const struct cs_itemlist *input,
				   const struct cs_itemlist *untrusted,
				   const struct cs_trust *trust,
				   const struct cs_verify_opts *vo,
				   const struct cs_online_opts *oo,
				   const struct cs_deadline *dl,
				   struct cs_online *ol,
				   struct cs_verify_result *res,
				   struct cs_error *err);

/* A caIssuers answer of len bytes from url (DER, PEM or PKCS#7, at most
 * CS_ONLINE_MAX_CERTS_PER_FETCH items): its certificates appended to
 * *out (their origin names url).  Returns 0, -1 with *err when it holds
 * no certificate (CS_E_PARSE) or on allocation failure.  The parser of
 * network input that fuzz/fuzz_issuers.c feeds. */
CS_MUST_CHECK int cs_online_parse_issuers(const unsigned char *data,
					  size_t len, const char *url,
					  struct cs_itemlist *out,
					  struct cs_error *err);

/*
 * Revocation over the network of every certificate of res's path below
 * the anchor (a path that reaches none is not asked about): with
 * CS_REVOCATION_OCSP, its OCSP responder (the AIA's first http URL; a
 * GET when the request is short, else a POST; a random nonce), the
 * answer checked by cs_ocsp_check_about at vo->at: ocsp-good (info),
 * ocsp-revoked (error, with time and reason), ocsp-unknown,
 * ocsp-expired, ocsp-unverifiable (warnings); a source that cannot
 * answer is revocation-unavailable (soft) or revocation-required
 * (hard, which also follows every answer that is not good or revoked);
 * a certificate that names no source asked for is revocation-no-source
 * (info) in both modes.
 * Every fetch before dl.  cs_online_verify calls it last.  Returns 0,
 * -1 with *err on allocation failure.
 */
CS_MUST_CHECK int cs_online_revocation(struct cs_verify_result *res,
				       const struct cs_verify_opts *vo,
				       const struct cs_online_opts *oo,
				       const struct cs_deadline *dl,
				       struct cs_error *err);

/* The name a person knows a certificate by in the findings: its CN,
 * else its DN. */
const char *cs_online_name(const struct cs_cert_model *m);

/* A source could not answer about path element i: revocation-unavailable
 * (soft) or revocation-required (hard) saying why.  0, -1 with *err on
 * allocation failure. */
CS_MUST_CHECK int cs_online_unavailable(struct cs_verify_result *res,
					size_t i,
					const struct cs_online_opts *oo,
					const char *why, struct cs_error *err);

/* Path element i against the CRL at url (crls.c): from the cache in
 * oo->cache_dir while before its nextUpdate at oo->now, else fetched
 * (at most CS_HTTP_MAX_CRL bytes) and cached; judged by path/crl.h at
 * vo->at: crl-good (info), revoked (error), crl-expired,
 * crl-not-yet-valid, crl-unverifiable (warnings; with hard also
 * revocation-required), or no answer (cs_online_unavailable). */
CS_MUST_CHECK int cs_online_ask_crl(struct cs_verify_result *res, size_t i,
				    const char *url,
				    const struct cs_verify_opts *vo,
				    const struct cs_online_opts *oo,
				    const struct cs_deadline *dl,
				    struct cs_error *err);

/* len bytes as one CRL (DER or PEM) into *crl (gnutls_x509_crl_deinit
 * it): 0, -1 when they are not one.  The parser of fetched and cached
 * CRLs, fed by fuzz/fuzz_crl.c. */
int cs_online_parse_crl(const unsigned char *data, size_t len,
			gnutls_x509_crl_t *crl);

#endif
