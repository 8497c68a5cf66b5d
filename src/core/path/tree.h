/*
 * tree.h - an audit of a directory tree: every leaf found in it (a
 * certificate that issued no other certificate of the tree) handed on,
 * one at a time, with the tree's certificates that issued others (and
 * any extra pool) as its pool of intermediates.  `check DIR` and
 * `verify DIR` both walk a tree this way.
 *
 * The tree is read a file at a time (cs_load_each), three times, so that
 * memory does not grow with its size: first every certificate's subject
 * and issuer (as 64-bit hashes of their DER) and position are noted,
 * then the files holding issuers are read for the pool (one copy of each
 * certificate), then each file holding leaves is read again and its
 * leaves handed on.
 *
 * Does not: verify anything (the callback does), print, or read standard
 * input (it cannot be read twice: callers load "-" once and use
 * cs_pool_leaves).
 */
#ifndef CS_TREE_H
#define CS_TREE_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"
#include "input/load.h"

struct cs_tree_fns {
	/* An item of the tree that could not be read (CS_ITEM_ERROR), in
	 * reading order, all of them before the first leaf. */
	int (*bad)(void *ctx, const struct cs_item *it, struct cs_error *err);
	/* One leaf (borrowed, freed after the call).  several: its file
	 * holds more than one leaf.  pool: the tree's issuers, then the
	 * extra pool.  In the order of the tree, a file's leaves in the
	 * file's order. */
	int (*leaf)(void *ctx, const struct cs_item *leaf, bool several,
		    const struct cs_itemlist *pool, struct cs_error *err);
};

/* What the walk saw. */
struct cs_tree_stats {
	size_t certs;    /* certificates with names */
	size_t skipped;  /* files that held nothing */
};

/*
 * Walk the tree at path (a file is a tree of one file) as above.  Each
 * callback returns 0 to go on or -1 with *err to stop; that -1 and *err
 * are then returned.  extra (borrowed, may be NULL) joins every leaf's
 * pool.  Returns 0, or -1 with *err (a callback's, an unreadable tree,
 * CS_E_NOMEM).
 */
CS_MUST_CHECK int cs_tree_leaves(const char *path,
				 const struct cs_load_opts *lo,
				 const struct cs_itemlist *extra,
				 const struct cs_tree_fns *fns, void *ctx,
				 struct cs_tree_stats *st,
				 struct cs_error *err);

/* "FILE", or "FILE#N" (N its index in the file) when several: the name
 * of one leaf of a tree in a result.  malloc'd; NULL when out of memory. */
char *cs_tree_leaf_name(const struct cs_item *it, bool several);

/* Append src's certificates to dst, borrowed: only the array is dst's
 * (free dst->items, not the items).  0, -1 when out of memory. */
CS_MUST_CHECK int cs_tree_borrow(struct cs_itemlist *dst,
				 const struct cs_itemlist *src);

#endif
