/*
 * tree.c - see tree.h.  (Moved here from check/files.c so that `verify
 * DIR` walks a tree as `check DIR` does.)
 */
#include "path/tree.h"
#include "hash.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <gnutls/gnutls.h>

/* see tree.h */
char *cs_tree_leaf_name(const struct cs_item *it, bool several)
{
	size_t len = strlen(it->origin.path) + 24;
	char *s = malloc(len);

	if (!s)
		return NULL;
	if (several)
		snprintf(s, len, "%s#%zu", it->origin.path, it->origin.index);
	else
		snprintf(s, len, "%s", it->origin.path);
	return s;
}

/* see tree.h */
int cs_tree_borrow(struct cs_itemlist *dst, const struct cs_itemlist *src)
{
	struct cs_item *v;
	size_t i;

	if (!src || !src->n)
		return 0;
	v = realloc(dst->items, (dst->n + src->n) * sizeof(*v));
	if (!v)
		return -1;
	dst->items = v;
	for (i = 0; i < src->n; i++)
		if (src->items[i].kind == CS_ITEM_CERT)
			v[dst->n++] = src->items[i];
	dst->cap = dst->n;
	return 0;
}

struct rec {
	uint64_t subj, iss;      /* FNV-1a of the raw subject and issuer */
	size_t file;             /* in files[] */
	size_t index;            /* origin.index in that file */
	bool self_issued, leaf;
};

struct file {
	char *path;
	size_t first, end;       /* its records */
	size_t nleaves;
	bool issuers;            /* holds a certificate that issued others */
};

struct scan {
	const struct cs_tree_fns *fns;
	void *ctx;
	struct rec *recs;
	size_t nrecs, caprecs;
	struct file *files;
	size_t nfiles, capfiles;
	size_t skipped;          /* files that held nothing */
	struct cs_itemlist pool; /* owned items */
	uint64_t *pool_der;      /* FNV-1a of each pool item's DER */
	const struct cs_itemlist *leaf_pool; /* pass 3 */
	size_t cur;              /* pass 2 and 3: the file being read */
};

static uint64_t fnv(const unsigned char *p, size_t n)
{
	return cs_fnv64(CS_FNV64_BASIS, p, n);
}

static int add_file(struct scan *s, const char *path)
{
	if (s->nfiles == s->capfiles) {
		size_t cap = s->capfiles ? s->capfiles * 2 : 64;
		struct file *v = realloc(s->files, cap * sizeof(*v));

		if (!v)
			return -1;
		s->files = v;
		s->capfiles = cap;
	}
	memset(&s->files[s->nfiles], 0, sizeof(*s->files));
	s->files[s->nfiles].path = strdup(path);
	if (!s->files[s->nfiles].path)
		return -1;
	s->files[s->nfiles].first = s->files[s->nfiles].end = s->nrecs;
	s->nfiles++;
	return 0;
}

static int add_rec(struct scan *s, const struct cs_item *it)
{
	gnutls_datum_t subj = {NULL, 0}, iss = {NULL, 0};
	struct rec *c;

	if (s->nrecs == s->caprecs) {
		size_t cap = s->caprecs ? s->caprecs * 2 : 256;
		struct rec *v = realloc(s->recs, cap * sizeof(*v));

		if (!v)
			return -1;
		s->recs = v;
		s->caprecs = cap;
	}
	if (gnutls_x509_crt_get_raw_dn(it->crt, &subj) < 0 ||
	    gnutls_x509_crt_get_raw_issuer_dn(it->crt, &iss) < 0) {
		gnutls_free(subj.data);
		return 0; /* no names: neither leaf nor issuer of anything */
	}
	c = &s->recs[s->nrecs++];
	c->subj = fnv(subj.data, subj.size);
	c->iss = fnv(iss.data, iss.size);
	c->self_issued = subj.size == iss.size &&
		!memcmp(subj.data, iss.data, subj.size);
	c->file = s->nfiles - 1;
	c->index = it->origin.index;
	c->leaf = false;
	s->files[c->file].end = s->nrecs;
	gnutls_free(subj.data);
	gnutls_free(iss.data);
	return 0;
}

/* Pass 1: note every certificate; hand on what cannot be read. */
static int note(void *ctx, struct cs_itemlist *items, struct cs_error *err)
{
	struct scan *s = ctx;
	size_t i;
	bool file_added = false;

	s->skipped += items->files_skipped;
	for (i = 0; i < items->n; i++) {
		const struct cs_item *it = &items->items[i];

		if (it->kind == CS_ITEM_ERROR) {
			if (s->fns->bad && s->fns->bad(s->ctx, it, err) < 0)
				return -1;
			continue;
		}
		if (it->kind != CS_ITEM_CERT)
			continue;
		if (!file_added && add_file(s, it->origin.path) < 0)
			goto nomem;
		file_added = true;
		if (add_rec(s, it) < 0)
			goto nomem;
	}
	return 0;
nomem:
	return cs_error_setx(err, CS_E_NOMEM, "out of memory");
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* Which certificates are leaves: those whose subject is no other's
 * issuer (a self-issued certificate issues only itself). */
static int classify(struct scan *s)
{
	uint64_t *iss = malloc((s->nrecs ? s->nrecs : 1) * sizeof(*iss));
	size_t n = 0, i;

	if (!iss)
		return -1;
	for (i = 0; i < s->nrecs; i++)
		if (!s->recs[i].self_issued)
			iss[n++] = s->recs[i].iss;
	qsort(iss, n, sizeof(*iss), cmp_u64);
	for (i = 0; i < s->nrecs; i++) {
		struct rec *c = &s->recs[i];

		c->leaf = !n || !bsearch(&c->subj, iss, n, sizeof(*iss),
					 cmp_u64);
		if (c->leaf)
			s->files[c->file].nleaves++;
		else
			s->files[c->file].issuers = true;
	}
	free(iss);
	return 0;
}

/* The record of the current file for an item, or NULL. */
static const struct rec *rec_of(const struct scan *s, const struct cs_item *it)
{
	const struct file *f = &s->files[s->cur];

	for (size_t i = f->first; i < f->end; i++)
		if (s->recs[i].index == it->origin.index)
			return &s->recs[i];
	return NULL;
}

/* Pass 2: move the issuers of the current file into the pool, each
 * certificate once. */
static int take_issuers(void *ctx, struct cs_itemlist *items,
			struct cs_error *err)
{
	struct scan *s = ctx;

	for (size_t i = 0; i < items->n; i++) {
		struct cs_item *it = &items->items[i];
		const struct rec *c;
		uint64_t h;
		size_t k;

		if (it->kind != CS_ITEM_CERT || !(c = rec_of(s, it)) ||
		    c->leaf)
			continue;
		h = fnv(it->der, it->der_len);
		for (k = 0; k < s->pool.n; k++)
			if (s->pool_der[k] == h &&
			    s->pool.items[k].der_len == it->der_len &&
			    !memcmp(s->pool.items[k].der, it->der, it->der_len))
				break;
		if (k < s->pool.n)
			continue;
		if (s->pool.n == s->pool.cap) {
			size_t cap = s->pool.cap ? s->pool.cap * 2 : 16;
			struct cs_item *v = realloc(s->pool.items,
						    cap * sizeof(*v));
			uint64_t *d = realloc(s->pool_der, cap * sizeof(*d));

			if (v)
				s->pool.items = v;
			if (d)
				s->pool_der = d;
			if (!v || !d)
				return cs_error_setx(err, CS_E_NOMEM,
						     "out of memory");
			s->pool.cap = cap;
		}
		s->pool_der[s->pool.n] = h;
		s->pool.items[s->pool.n++] = *it;
		memset(it, 0, sizeof(*it)); /* moved: not freed with items */
		it->kind = CS_ITEM_ERROR;
	}
	return 0;
}

/* Pass 3: hand on the leaves of the current file. */
static int hand_leaves(void *ctx, struct cs_itemlist *items,
		       struct cs_error *err)
{
	struct scan *s = ctx;
	bool several = s->files[s->cur].nleaves > 1;

	for (size_t i = 0; i < items->n; i++) {
		const struct cs_item *it = &items->items[i];
		const struct rec *c;

		if (it->kind == CS_ITEM_CERT && (c = rec_of(s, it)) &&
		    c->leaf &&
		    s->fns->leaf(s->ctx, it, several, s->leaf_pool, err) < 0)
			return -1;
	}
	return 0;
}

/* see tree.h */
int cs_tree_leaves(const char *path, const struct cs_load_opts *lo,
		   const struct cs_itemlist *extra,
		   const struct cs_tree_fns *fns, void *ctx,
		   struct cs_tree_stats *st, struct cs_error *err)
{
	struct scan s;
	struct cs_itemlist pool;
	size_t i;
	int rc;

	memset(&s, 0, sizeof(s));
	cs_itemlist_init(&s.pool);
	cs_itemlist_init(&pool);
	s.fns = fns;
	s.ctx = ctx;
	rc = cs_load_each(path, lo, note, &s, err);
	if (rc == 0 && classify(&s) < 0)
		rc = cs_error_setx(err, CS_E_NOMEM, "out of memory");
	for (i = 0; rc == 0 && i < s.nfiles; i++) {
		if (!s.files[i].issuers)
			continue;
		s.cur = i;
		rc = cs_load_each(s.files[i].path, lo, take_issuers, &s, err);
	}
	if (rc == 0 && (cs_tree_borrow(&pool, &s.pool) < 0 ||
			cs_tree_borrow(&pool, extra) < 0))
		rc = cs_error_setx(err, CS_E_NOMEM, "out of memory");
	s.leaf_pool = &pool;
	for (i = 0; rc == 0 && i < s.nfiles; i++) {
		if (!s.files[i].nleaves)
			continue;
		s.cur = i;
		rc = cs_load_each(s.files[i].path, lo, hand_leaves, &s, err);
	}
	if (st) {
		st->certs = s.nrecs;
		st->skipped = s.skipped;
	}
	for (i = 0; i < s.nfiles; i++)
		free(s.files[i].path);
	free(s.files);
	free(s.recs);
	free(s.pool_der);
	free(pool.items);
	cs_itemlist_free(&s.pool);
	return rc;
}
