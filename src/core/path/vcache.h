/*
 * vcache.h - internal to path/: what one run learns once and need not
 * learn again, kept with the trust store (cs_trust_vcache) so that its
 * lifetime is the store's and every stage validating many chains against
 * one store (verify of many files, check, an exporter's probe) shares it.
 *
 * Two bounded tables (direct-mapped: a new entry replaces the one in its
 * slot, so memory stays flat however long the run):
 *   - models of possible issuers (CA and self-issued certificates: trust
 *     anchors, --untrusted and chain-file intermediates), keyed by the
 *     SHA-256 of the certificate's DER, handed out as copies;
 *   - signature verdicts, keyed by the SHA-256 of the issuer's DER (its
 *     key with the exact parameters GnuTLS imports from it) and the
 *     SHA-256 of the signed certificate's whole DER (tbsCertificate,
 *     algorithm and signature): good and bad verdicts alike, so no
 *     check is repeated in a run.
 * A miss only costs the work the cache saves; an entry answers only for
 * exactly its key, so verdicts are the same with or without it.
 *
 * Does not: judge anything, or lock (not thread-safe, like the store).
 */
#ifndef CS_VCACHE_H
#define CS_VCACHE_H

#include <stdbool.h>
#include <stddef.h>

#include "x509/model.h"

#define CS_VCACHE_MODELS 128 /* model slots (power of two) */
#define CS_VCACHE_SIGS 1024  /* signature slots (power of two) */

struct cs_vcache; /* opaque */

struct cs_vcache_stats {
	size_t model_hits, model_misses, model_evictions;
	size_t sig_hits, sig_misses, sig_evictions;
};

/* A cache with these numbers of slots (each rounded down to a power of
 * two, at least 1).  NULL when out of memory. */
struct cs_vcache *cs_vcache_new(size_t models, size_t sigs);
void cs_vcache_free(struct cs_vcache *c);

/* A copy of the model kept for the certificate whose DER has this
 * SHA-256 into *out, and the flag kept with it into *flag: 1 found, 0
 * not kept (or c is NULL), -1 out of memory (*out empty). */
int cs_vcache_model_get(struct cs_vcache *c, const unsigned char sha256[32],
			struct cs_cert_model *out, bool *flag);

/* Keep a copy of m (a model of the whole certificate, cs_model_from_crt)
 * under m->sha256, with a flag the caller computed from the same
 * certificate (chain.c: its extensions all decode).  Out of memory only
 * leaves it out. */
void cs_vcache_model_put(struct cs_vcache *c, const struct cs_cert_model *m,
			 bool flag);

/* The verdict kept for "the key of the certificate whose DER has the
 * SHA-256 issuer made the signature on the certificate whose DER has the
 * SHA-256 cert": 1 it did, 0 it did not, -1 not known (or c is NULL, or
 * a hash is all zero: not computed). */
int cs_vcache_sig_get(struct cs_vcache *c, const unsigned char issuer[32],
		      const unsigned char cert[32]);
void cs_vcache_sig_put(struct cs_vcache *c, const unsigned char issuer[32],
		       const unsigned char cert[32], bool ok);

/* The cache of the trust store t (trust.c): made on first use, freed
 * with the store; NULL when t is NULL or out of memory (then nothing is
 * cached).  The store is logically const: this only fills a cache. */
struct cs_trust;
struct cs_vcache *cs_trust_vcache(const struct cs_trust *t);

/* Counters since cs_vcache_new (the unit tests read them). */
struct cs_vcache_stats cs_vcache_stats(const struct cs_vcache *c);

#endif
