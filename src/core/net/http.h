/*
 * http.h - one HTTP(S) fetch with libcurl, inside a deadline and a size
 * cap: what revocation and missing intermediates need (RFC 5280 4.2.2.1
 * caIssuers, 4.2.1.13 CRL distribution points, RFC 6960 A.1 OCSP over
 * HTTP).
 *
 * Careful by construction:
 * - the deadline bounds everything (name resolution with c-ares as
 *   net.h does, connect, TLS, the body): libcurl's multi interface is
 *   driven through cs_deadline_poll, so a server that drips, hangs or
 *   never closes costs at most the time left, and check's coroutines
 *   keep working;
 * - the body's cap is enforced in the write callback (libcurl 7.88 does
 *   not stop a body of unknown length by itself): going over it is an
 *   error naming the URL and the cap;
 * - only http and https, for the URL and every redirect; redirects are
 *   followed here, at most CS_HTTP_MAX_REDIRECTS, each target resolved
 *   inside the deadline;
 * - no proxy: the http_proxy, https_proxy, all_proxy and no_proxy
 *   variables are not honoured (CURLOPT_PROXY ""), no .netrc, no
 *   cookies, no content decoding (no decompression bombs).  https uses
 *   libcurl's default CA store.
 *
 * Does not: parse what it fetched (the callers' parsers do), cache, read
 * the clock (the deadline has a clock function), print.
 */
#ifndef CS_HTTP_H
#define CS_HTTP_H

#include <stddef.h>

#include "error.h"
#include "net/starttls.h"

#define CS_HTTP_MAX_REDIRECTS 3
/* The caps of what is fetched (documented in certscope(1)). */
#define CS_HTTP_MAX_OCSP   ((size_t)64 * 1024)        /* an OCSP response */
#define CS_HTTP_MAX_CRL    ((size_t)16 * 1024 * 1024) /* a CRL */
#define CS_HTTP_MAX_ISSUER ((size_t)1024 * 1024)      /* caIssuers */
#define CS_HTTP_MAX_URL    2048

struct cs_http_req {
	const char *url;
	const unsigned char *post;  /* POST this body; NULL: GET */
	size_t post_len;
	const char *content_type;   /* of post ("application/ocsp-request") */
	size_t max_bytes;           /* cap of the response body */
	const char *dns_servers;    /* as cs_net_resolve's, NULL: system */
	const char *name;           /* the URL messages name (an OCSP GET's
				       is long), NULL: url */
};

struct cs_http_resp {
	unsigned char *body;        /* owned */
	size_t len;
	char url[CS_HTTP_MAX_URL];  /* the URL answered, after redirects */
};

/*
 * Fetch rq->url before dl.  Returns 0 with the body of a 200 answer in
 * *out (free with cs_http_resp_free), or -1 with *err: CS_E_TIMEOUT when
 * the deadline passed, CS_E_LIMIT when the body exceeds the cap or the
 * redirects are too many, CS_E_USAGE for a URL that is not http or
 * https (a redirect to one too), CS_E_NET otherwise (resolution,
 * connection, an HTTP status other than 200).  Messages name the URL.
 */
CS_MUST_CHECK int cs_http_fetch(const struct cs_http_req *rq,
				const struct cs_deadline *dl,
				struct cs_http_resp *out,
				struct cs_error *err);

void cs_http_resp_free(struct cs_http_resp *r);

#endif
