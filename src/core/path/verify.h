/*
 * verify.h - build the issuer path of one input and check it.
 *
 * The leaf is the certificate of the input that issued none of the
 * others (normally the first; a different order is reported as
 * chain-out-of-order and the real leaf is validated).  The rest of the
 * input and the untrusted pool form an unordered pool.  Paths are built
 * by subject name and key identifiers, bounded in depth and in the number
 * of candidates tried, coping with duplicates, loops and cross-signs; a
 * path that validates is preferred.  Every check runs at opts->at, never
 * at the clock's time.
 *
 * Output: a verdict, the chosen path, and findings: each with a stable
 * code (findings.h), the certificate it concerns, a sentence a person
 * understands and what to change.
 *
 * The path's end of life: valid_until and limited_by, and whether a
 * second validation one second after that date still finds a trusted
 * path (later_until), so that a root renewed in the store is not a
 * false alarm.
 *
 * Does not: fetch anything from the network (AIA, CRL DP, OCSP), print.
 */
#ifndef CS_VERIFY_H
#define CS_VERIFY_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"
#include "findings.h"
#include "input/load.h"
#include "x509/model.h"
#include "path/trust.h"

#define CS_MAX_CHAIN_DEPTH 16       /* default --max-depth */
#define CS_MAX_PATH_CANDIDATES 1000 /* issuer candidates tried per input */

enum cs_purpose {
	CS_PURPOSE_SERVER = 0, /* id-kp-serverAuth (default) */
	CS_PURPOSE_CLIENT,     /* id-kp-clientAuth */
	CS_PURPOSE_EMAIL,      /* id-kp-emailProtection */
	CS_PURPOSE_CODE,       /* id-kp-codeSigning */
	CS_PURPOSE_ANY,        /* no EKU check */
	CS_PURPOSE_OID,        /* purpose_oid */
};

struct cs_verify_opts {
	cs_time_t at;            /* validation time */
	const char *host;        /* DNS name or IP literal, or NULL */
	const char *email;       /* rfc822 address, or NULL */
	enum cs_purpose purpose;
	const char *purpose_oid; /* CS_PURPOSE_OID only */
	unsigned max_depth;      /* 0 = CS_MAX_CHAIN_DEPTH; certificates in
				    the path, anchor and self-issued
				    intermediates excluded */
	const struct cs_itemlist *crls; /* CRL items (borrowed) or NULL */
};

struct cs_finding {
	const char *code;        /* from cs_finding_defs, static */
	enum cs_severity severity;
	int cert;                /* index in path (0 = leaf), -1 = none */
	char *subject;           /* owned: subject of that cert, or NULL */
	char *message;           /* owned: plain sentence */
	char *fix;               /* owned: what to change, or NULL */
};

struct cs_path_elem {
	gnutls_x509_crt_t crt;         /* borrowed from the input, the pool or
					  the trust store */
	struct cs_cert_model model;    /* owned */
	const struct cs_origin *origin;/* borrowed; NULL for trust anchors */
	bool is_anchor;                /* it came from the trust store */
};

struct cs_verify_result {
	bool trusted;            /* the verdict: no CS_SEV_ERROR finding */
	struct cs_path_elem *path; /* owned; leaf first, anchor last */
	size_t path_len;
	struct cs_finding *findings; /* owned */
	size_t n_findings;
	size_t leaf_item;        /* index of the leaf in the input list */
	/* When the path stops validating: the earliest notAfter along a
	 * trusted path, the anchor included, and the certificate that has
	 * it; CS_TIME_NONE and -1 when not trusted (or no date). */
	cs_time_t valid_until;
	int limited_by;          /* index in path */
	/* Another trusted path just after valid_until (a cross-signed or
	 * newer anchor in the store): until when, through which anchor
	 * (owned, its CN or DN); CS_TIME_NONE and NULL when none.
	 * Revocation is not judged at that date (CRLs may have expired). */
	cs_time_t later_until;
	char *later_anchor;
	cs_time_t later_anchor_until; /* that anchor's notAfter */
};

/*
 * Validate one input (its certificates: leaf plus pool) with the extra
 * untrusted pool (may be NULL) against trust.  Fills *res (free with
 * cs_verify_result_free even on failure).  Returns 0 when a verdict was
 * reached (trusted or not), -1 with *err when it could not check (no
 * certificate in input, out of memory).
 */
CS_MUST_CHECK int cs_verify_chain(const struct cs_itemlist *input,
				  const struct cs_itemlist *untrusted,
				  const struct cs_trust *trust,
				  const struct cs_verify_opts *opts,
				  struct cs_verify_result *res,
				  struct cs_error *err);

void cs_verify_result_free(struct cs_verify_result *res);

/* The purpose names, "server", "client", "email", "code", "any", for
 * i = 0, 1, ...; NULL after the last. */
const char *cs_purpose_name(size_t i);

/* Set v->purpose from a purpose name or a dotted OID (at least two arcs,
 * at most 128 characters; v->purpose_oid borrows s).  0, or -1 when s is
 * neither. */
CS_MUST_CHECK int cs_purpose_parse(const char *s, struct cs_verify_opts *v);

/* Append a finding to res, for the stages above that judge what they
 * fetched (code from findings.c; cert an index in res->path or -1; fix
 * may be NULL); an error finding makes res untrusted.  Returns 0, -1
 * when out of memory or the code is unknown. */
int cs_verify_add_finding(struct cs_verify_result *res, const char *code,
			  int cert, const char *fix, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

/* True when res has a finding with this code. */
bool cs_verify_has(const struct cs_verify_result *res, const char *code);

#endif
