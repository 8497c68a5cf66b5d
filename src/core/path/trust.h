/*
 * trust.h - trust anchors: the system store, the bundled store, files and
 * directories given with --trust; lookup of candidate issuers by subject
 * name (hashed by GnuTLS's trust list) and key identifier, so a run never
 * verifies against every anchor.
 *
 * Does not: decide whether a chain is valid (chain.h / verify.h do), or
 * honour OpenSSL "TRUSTED CERTIFICATE" trust/reject settings (the
 * certificate is used as an anchor; the aux data is ignored, as GnuTLS
 * does).
 */
#ifndef CS_TRUST_H
#define CS_TRUST_H

#include <stdbool.h>
#include <stddef.h>
#include <gnutls/x509.h>

#include "error.h"
#include "input/load.h"

struct cs_trust; /* opaque */

enum cs_trust_source {
	CS_TRUST_NONE = 0,
	CS_TRUST_FILES,   /* --trust only */
	CS_TRUST_SYSTEM,  /* the system store */
	CS_TRUST_BUNDLED, /* certscope's bundled snapshot */
	CS_TRUST_FILES_AND_SYSTEM,
};

/* New empty store, NULL with *err on failure. */
CS_MUST_CHECK struct cs_trust *cs_trust_new(struct cs_error *err);
void cs_trust_free(struct cs_trust *t);

/* Add every certificate of a PEM/DER file or of every file in a directory
 * (OpenSSL hashed directories included), indexed from its DER and decoded
 * when a lookup needs it, as the system store's.  Load problems of single
 * items are appended to *problems (as error items) when problems is
 * non-NULL; a certificate GnuTLS refuses is among them when it comes
 * before the first one GnuTLS accepts, else it is found on lookup (see
 * cs_trust_late_problems).  Returns -1 only when nothing at all could be
 * read from path, or GnuTLS refuses every certificate in it. */
CS_MUST_CHECK int cs_trust_add_path(struct cs_trust *t, const char *path,
				    struct cs_itemlist *problems,
				    struct cs_error *err);

/* Add the system store.  Returns the number added (0 = no system store),
 * -1 on error. */
CS_MUST_CHECK int cs_trust_add_system(struct cs_trust *t, struct cs_error *err);

/* Add the bundled store from file (CS_BUNDLED_TRUST or the source tree's
 * copy).  Returns number added or -1. */
CS_MUST_CHECK int cs_trust_add_bundled(struct cs_trust *t, const char *file,
				       struct cs_error *err);

/* Anchors in the store: every distinct certificate indexed, less those
 * GnuTLS has refused so far (an anchor is decoded when first looked up). */
/* The bundled snapshot where it is: the installed one, else the source
 * tree's (a build run in place).  Returns as cs_trust_add_bundled(). */
CS_MUST_CHECK int cs_trust_add_bundled_default(struct cs_trust *t,
					       struct cs_error *err);

size_t cs_trust_count(const struct cs_trust *t);

/* The certificates of --trust paths that GnuTLS refused when a lookup
 * first decoded them (cs_trust_add_path decodes a path's certificates
 * only until one is accepted): one error item each, with the origin and
 * the message the loader gives such an item, in the order found.  For
 * the caller to report after its lookups as it reports the problems of
 * cs_trust_add_path.  Borrowed: valid while t lives, grows with lookups. */
const struct cs_itemlist *cs_trust_late_problems(const struct cs_trust *t);
void cs_trust_set_source(struct cs_trust *t, enum cs_trust_source s);
enum cs_trust_source cs_trust_source(const struct cs_trust *t);
/* "--trust files", "system store", "bundled store (...)", ... */
const char *cs_trust_source_name(const struct cs_trust *t);

/* Anchors whose subject equals cert's issuer (byte compare of DNs), up to
 * max, written to out (borrowed: valid while t lives).  Returns count. */
size_t cs_trust_find_issuers(const struct cs_trust *t, gnutls_x509_crt_t cert,
			     gnutls_x509_crt_t *out, size_t max);

/* The same, with cert's authorityKeyIdentifier keyIdentifier given
 * (aki_len bytes; 0: none, as when cert has none) rather than decoded
 * from cert again: for a caller that has it in cert's model. */
size_t cs_trust_find_issuers_aki(const struct cs_trust *t,
				 gnutls_x509_crt_t cert,
				 const unsigned char *aki, size_t aki_len,
				 gnutls_x509_crt_t *out, size_t max);

/* Is this exact certificate (same DER) an anchor? */
bool cs_trust_contains(const struct cs_trust *t, gnutls_x509_crt_t cert);

/* Is there an anchor with the same subject and public key as cert
 * (a re-issued or cross-signed copy of an anchor)? */
bool cs_trust_contains_key(const struct cs_trust *t, gnutls_x509_crt_t cert);

#endif
