/*
 * chain.h - internal to path/: the candidate pool (input, untrusted pool
 * and the trust anchors looked up so far) and the bounded depth-first
 * search over issuer candidates (RFC 4158).  verify.c fills the pool
 * and runs the search; the checks it runs (verify_int.h: rules.c,
 * webpki.c, revoke.c, findlist.c) read the candidates and paths.
 *
 * Candidates are addressed by index because the pool grows (anchors are
 * added when the trust store returns them) and its array moves.
 *
 * Does not: judge a path.  The search calls back a scoring function for
 * every path it completes (or cannot extend) and keeps the best one.
 */
#ifndef CS_CHAIN_H
#define CS_CHAIN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <gnutls/x509.h>

#include "error.h"
#include "input/load.h"
#include "x509/model.h"
#include "path/trust.h"
#include "path/vcache.h"

#define CS_NO_ITEM SIZE_MAX

/* Longest path the search builds: the depth limit plus the anchor plus
 * one element beyond the limit so depth-exceeded can be reported. */
#define CS_CHAIN_MAX_LEN 64

/* Anchors asked from the trust store per certificate. */
#define CS_CHAIN_MAX_ANCHORS 16

/* Signature work one search may do while ranking issuer candidates, in
 * units of one P-256 (or RSA up to 4,096 bits) verification.  Every
 * same-named candidate is checked at every step, so a pool of look-alikes
 * that sign each other would otherwise cost candidates x depth public-key
 * operations.  8,192 units are 1.4 s on one core; a slower key counts
 * more (sig_cost in chain.c), so P-521 look-alikes stop at 1,638 checks
 * rather than taking 7 s. */
#define CS_CHAIN_MAX_SIG_CHECKS 8192

enum cs_cand_src {
	CS_CAND_INPUT = 0, /* the input being verified */
	CS_CAND_POOL,      /* an --untrusted file */
	CS_CAND_TRUST,     /* a trust store anchor */
};

struct cs_cand {
	gnutls_x509_crt_t crt;          /* borrowed (item or trust store) */
	struct cs_cert_model m;         /* owned until moved to a result */
	gnutls_datum_t subj, iss;       /* owned raw DNs (gnutls_free) */
	unsigned char *der;             /* owned copy of the encoding */
	size_t der_len;
	size_t tbs_off, tbs_len;        /* tbsCertificate TLV within der */
	gnutls_pubkey_t pub;            /* owned, imported when first used;
					   NULL if not yet or unusable */
	bool pub_tried;
	const struct cs_origin *origin; /* borrowed; NULL for anchors */
	size_t item;                    /* index in its list, or CS_NO_ITEM */
	enum cs_cand_src src;
	bool in_trust;  /* not from the store but an anchor all the same
			   (same DER, or same subject and key) */
	size_t dup_of;  /* first candidate with the same DER (itself if
			   none): duplicates are never tried twice */
	bool exts_decode; /* every extension with a decoder decodes
			     (found when added, or from the run's cache):
			     cs_check_extensions need not decode them on
			     each path scored */
};

struct cs_pool {
	struct cs_cand *v; /* owned array */
	size_t n, cap;
	const struct cs_trust *trust; /* borrowed, may be NULL */
	struct cs_vcache *cache; /* the store's (vcache.h), may be NULL */
};

void cs_pool_init(struct cs_pool *p, const struct cs_trust *trust);
void cs_pool_free(struct cs_pool *p);

/*
 * Add one certificate.  der may be NULL (then it is re-encoded).  The
 * model of a CA or self-issued certificate is built once per run and
 * copied from p's cache after that (vcache.h).
 * Returns the new index, or -1 with *err (out of memory, or a
 * certificate the model cannot describe: CS_E_PARSE).
 */
CS_MUST_CHECK long cs_pool_add(struct cs_pool *p, gnutls_x509_crt_t crt,
			       const unsigned char *der, size_t der_len,
			       const struct cs_origin *origin, size_t item,
			       enum cs_cand_src src, struct cs_error *err);

/* Does issuer's key verify child's signature?  The signature algorithm
 * strength is not judged here (weak-signature is verify's finding).  A
 * verdict is asked once per run: p's cache keeps it (vcache.h). */
bool cs_chain_sig_ok(const struct cs_pool *p, const struct cs_cand *child,
		     const struct cs_cand *issuer);

/* Do the two candidates have the same subject and the same key? */
bool cs_chain_same_identity(const struct cs_cand *a, const struct cs_cand *b);

struct cs_path {
	size_t idx[CS_CHAIN_MAX_LEN];   /* candidate indices, leaf first */
	bool sig_ok[CS_CHAIN_MAX_LEN];  /* idx[i] verifies under idx[i+1] */
	size_t n;
	bool anchored;                  /* the last element is an anchor */
};

/*
 * Score a complete or dead-end path: lower is better.  Set *stop when
 * the path is good enough to stop searching.  Returns -1 on out of
 * memory (the search stops and fails).
 */
typedef long (*cs_path_score_fn)(void *ctx, const struct cs_path *path,
				 bool *stop);

struct cs_search {
	unsigned max_depth;   /* non-anchor certificates allowed, self-issued
				 intermediates not counted (cs_path_depth) */
	size_t budget;        /* candidates tried at most */
	size_t sig_budget;    /* signature work at most (units as for
				 CS_CHAIN_MAX_SIG_CHECKS); 0 = that */
	cs_path_score_fn score;
	void *ctx;
	/* out */
	struct cs_path best;
	long best_score;      /* LONG_MAX if no path was scored */
	size_t tried;
	size_t sig_checks;    /* signature verifications made */
	size_t sig_work;      /* their cost in budget units */
	bool limit_hit;       /* a budget ran out before a good path */
};

/* The depth --max-depth limits of the first k certificates of path:
 * the leaf and the intermediates that are not self-issued (RFC 5280
 * 6.1.4 (l), as pathLenConstraint counts them). */
size_t cs_path_depth(const struct cs_pool *p, const struct cs_path *path,
		     size_t k);

/* Search from candidate leaf.  Returns 0, or -1 with *err. */
CS_MUST_CHECK int cs_chain_search(struct cs_pool *p, size_t leaf,
				  struct cs_search *s, struct cs_error *err);

/* Is candidate a (from the store, or a copy of an anchor)? */
bool cs_cand_is_anchor(const struct cs_cand *c);

#endif
