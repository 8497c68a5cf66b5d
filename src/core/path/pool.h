/*
 * pool.h - issuing relations inside one set of certificates (a file, a
 * directory tree): which of them are leaves, i.e. issued no other
 * certificate of the set.  An audit of a tree checks each leaf as one
 * chain, with the rest of the tree as its pool of intermediates.
 *
 * Does not: verify signatures (a name match is enough to be an issuer
 * here; the validator judges the path), print.
 */
#ifndef CS_POOL_H
#define CS_POOL_H

#include <stddef.h>

#include "error.h"
#include "input/load.h"

/*
 * Indices (ascending) of the certificate items of l whose subject is not
 * the issuer of another, not self-issued certificate of l.  A
 * self-issued certificate issues only itself, so a lone root or a CA
 * with nothing under it in the set is a leaf too.  *out is malloc'd
 * (NULL when *n is 0).  Returns 0, or -1 with CS_E_NOMEM.
 */
CS_MUST_CHECK int cs_pool_leaves(const struct cs_itemlist *l, size_t **out,
				 size_t *n, struct cs_error *err);

#endif
