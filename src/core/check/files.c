/*
 * files.c - file and tree targets: every certificate that issued no other
 * one of the set is a leaf, checked as one target with the certificates
 * that issued others (and --untrusted) as its pool.
 *
 * A tree is read a file at a time (cs_load_each), three times, so that
 * memory does not grow with its size: first every certificate's subject
 * and issuer (as 64-bit hashes of their DER) and position are noted, then
 * the files holding issuers are read for the pool (one copy of each
 * certificate), then each file holding leaves is read again and its leaves
 * checked and handed on.  Standard input cannot be read twice, so "-" is
 * read once and kept.
 *
 * Does not: print, exit, or look at file names (formats by content).
 */
#include "check/check_int.h"
#include "online/online.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <gnutls/gnutls.h>

#include "path/pool.h"

/* ---- one leaf ------------------------------------------------------ */

/* "FILE" or "FILE#N" when the file holds several targets. */
static char *item_name(const struct cs_item *it, bool several)
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

struct run {
	const struct cs_check_opts *o;
	cs_check_emit_fn emit;
	void *ctx;
	bool stop;               /* emit asked to stop */
	bool nomem;
	int64_t t0;
};

static void hand_on(struct run *r, struct cs_check_result *res)
{
	res->duration_ms = r->o->now_ms(r->o->clock_ctx) - r->t0;
	if (!r->stop && r->emit(r->ctx, res) != 0)
		r->stop = true;
	cs_check_result_free(res);
}

/* An item that could not be read: UNKNOWN, naming it. */
static void unreadable(struct run *r, const struct cs_item *it)
{
	struct cs_check_result res;

	check_result_init(&res);
	res.target = item_name(it, it->origin.index > 1);
	if (!res.target || check_set_error(&res, r->o, &it->err) < 0) {
		r->nomem = true;
		cs_check_result_free(&res);
		return;
	}
	hand_on(r, &res);
}

/* Validate one leaf with the pool and hand its result on. */
static void check_leaf(struct run *r, const struct cs_item *leaf,
		       bool several, const struct cs_itemlist *pool)
{
	struct cs_check_result res;
	struct cs_verify_result vr;
	struct cs_verify_opts vo = r->o->verify;
	struct cs_itemlist one;
	struct cs_online ol;
	struct cs_online_opts oo = {.fetch_missing = r->o->fetch_missing,
				    .dns_servers = r->o->dns_servers,
				    .revocation = r->o->revocation,
				    .sources = r->o->rev_sources,
				    .cache_dir = r->o->cache_dir,
				    .now = r->o->now};
	/* a file's fetches have a deadline of their own, on the system's
	 * poll: files are checked outside the endpoints' event loop */
	struct cs_deadline dl = {.now_ms = r->o->now_ms,
				 .ctx = r->o->clock_ctx};
	struct cs_error e;

	cs_online_init(&ol);
	if (r->o->now_ms)
		dl.at_ms = r->o->now_ms(r->o->clock_ctx) + r->o->timeout_ms;
	check_result_init(&res);
	memset(&vr, 0, sizeof(vr));
	cs_error_clear(&e);
	vo.host = r->o->host;
	memset(&one, 0, sizeof(one));
	one.items = (struct cs_item *)leaf; /* borrowed, never freed here */
	one.n = one.cap = 1;
	one.files_read = 1;
	res.target = item_name(leaf, several);
	if (!res.target || (r->o->host && !(res.host = strdup(r->o->host))))
		goto nomem;
	if (cs_online_verify(&one, pool, r->o->trust, &vo, &oo, &dl, &ol, &vr,
			     &e) < 0) {
		if (check_set_error(&res, r->o, &e) < 0)
			goto nomem;
	} else if (cs_check_evaluate(&vr, r->o, &res) < 0) {
		goto nomem;
	}
	cs_verify_result_free(&vr);
	cs_online_free(&ol);
	hand_on(r, &res);
	return;
nomem:
	cs_verify_result_free(&vr);
	cs_online_free(&ol);
	cs_check_result_free(&res);
	r->nomem = true;
}

/* Append src's certificates (borrowed: only the array is dst's). */
static int borrow(struct cs_itemlist *dst, const struct cs_itemlist *src)
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

/* ---- standard input: read once ----------------------------------- */

static int check_loaded(struct run *r, const struct cs_itemlist *list)
{
	struct cs_itemlist pool, issuers;
	size_t *leaves = NULL, nleaves = 0, i, k = 0;
	struct cs_error e;
	int rc = 0;

	cs_itemlist_init(&pool);
	cs_itemlist_init(&issuers);
	for (i = 0; i < list->n && !r->stop; i++)
		if (list->items[i].kind == CS_ITEM_ERROR)
			unreadable(r, &list->items[i]);
	if (cs_pool_leaves(list, &leaves, &nleaves, &e) < 0)
		return -1;
	/* the pool: what is not a leaf (a leaf issues no other leaf) */
	issuers.items = malloc((list->n ? list->n : 1) * sizeof(*issuers.items));
	if (!issuers.items)
		rc = -1;
	for (i = 0; rc == 0 && i < list->n; i++) {
		if (k < nleaves && leaves[k] == i) {
			k++;
			continue;
		}
		issuers.items[issuers.n++] = list->items[i];
	}
	if (rc == 0 && (borrow(&pool, &issuers) < 0 ||
			borrow(&pool, r->o->untrusted) < 0))
		rc = -1;
	for (i = 0; rc == 0 && i < nleaves && !r->stop; i++)
		check_leaf(r, &list->items[leaves[i]], nleaves > 1, &pool);
	free(leaves);
	free(issuers.items);
	free(pool.items);
	return rc;
}

/* ---- a tree, a file at a time -------------------------------------- */

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
	struct run *r;
	struct rec *recs;
	size_t nrecs, caprecs;
	struct file *files;
	size_t nfiles, capfiles;
	size_t skipped;          /* files that held nothing */
	struct cs_itemlist pool; /* owned items */
	uint64_t *pool_der;      /* FNV-1a of each pool item's DER */
	size_t cur;              /* pass 2 and 3: the file being read */
};

static uint64_t fnv(const unsigned char *p, size_t n)
{
	uint64_t h = UINT64_C(14695981039346656037);

	while (n--) {
		h ^= *p++;
		h *= UINT64_C(1099511628211);
	}
	return h;
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

/* Pass 1: note every certificate; say what cannot be read. */
static int note(void *ctx, struct cs_itemlist *items, struct cs_error *err)
{
	struct scan *s = ctx;
	size_t i;
	bool file_added = false;

	s->skipped += items->files_skipped;
	for (i = 0; i < items->n && !s->r->stop; i++) {
		const struct cs_item *it = &items->items[i];

		if (it->kind == CS_ITEM_ERROR) {
			unreadable(s->r, it);
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
	if (s->r->nomem)
		goto nomem;
	return s->r->stop ? cs_error_setx(err, CS_E_INTERNAL, "stopped") : 0;
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

struct leaves_pass {
	struct scan *s;
	const struct cs_itemlist *pool;
};

/* Pass 3: check the leaves of the current file. */
static int check_leaves(void *ctx, struct cs_itemlist *items,
			struct cs_error *err)
{
	struct leaves_pass *p = ctx;
	struct scan *s = p->s;
	bool several = s->files[s->cur].nleaves > 1;

	for (size_t i = 0; i < items->n && !s->r->stop; i++) {
		const struct cs_item *it = &items->items[i];
		const struct rec *c;

		if (it->kind == CS_ITEM_CERT && (c = rec_of(s, it)) &&
		    c->leaf)
			check_leaf(s->r, it, several, p->pool);
	}
	if (s->r->nomem)
		return cs_error_setx(err, CS_E_NOMEM, "out of memory");
	return s->r->stop ? cs_error_setx(err, CS_E_INTERNAL, "stopped") : 0;
}

static int check_tree(struct run *r, const char *path, struct cs_error *err)
{
	struct scan s;
	struct cs_itemlist pool;
	struct leaves_pass lp;
	size_t i;
	int rc;

	memset(&s, 0, sizeof(s));
	cs_itemlist_init(&s.pool);
	cs_itemlist_init(&pool);
	s.r = r;
	rc = cs_load_each(path, &r->o->load, note, &s, err);
	if (rc == 0 && classify(&s) < 0)
		rc = cs_error_setx(err, CS_E_NOMEM, "out of memory");
	if (rc == 0 && s.nrecs == 0 && !r->stop) {
		struct cs_check_result res;
		struct cs_error e;

		check_result_init(&res);
		cs_error_setx(&e, CS_E_EMPTY, "no certificate found in %.200s%s",
			      path, s.skipped ? " (files were skipped)" : "");
		res.target = strdup(path);
		if (!res.target || check_set_error(&res, r->o, &e) < 0)
			rc = cs_error_setx(err, CS_E_NOMEM, "out of memory");
		else
			hand_on(r, &res);
		cs_check_result_free(&res);
	}
	for (i = 0; rc == 0 && i < s.nfiles; i++) {
		if (!s.files[i].issuers)
			continue;
		s.cur = i;
		rc = cs_load_each(s.files[i].path, &r->o->load, take_issuers,
				  &s, err);
	}
	if (rc == 0 && (borrow(&pool, &s.pool) < 0 ||
			borrow(&pool, r->o->untrusted) < 0))
		rc = cs_error_setx(err, CS_E_NOMEM, "out of memory");
	lp.s = &s;
	lp.pool = &pool;
	for (i = 0; rc == 0 && i < s.nfiles && !r->stop; i++) {
		if (!s.files[i].nleaves)
			continue;
		s.cur = i;
		rc = cs_load_each(s.files[i].path, &r->o->load, check_leaves,
				  &lp, err);
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

/* ---- entry ----------------------------------------------------------- */

int check_path(const struct cs_check_target *t,
	       const struct cs_check_opts *o, cs_check_emit_fn emit,
	       void *ctx, struct cs_error *err)
{
	struct run r = {o, emit, ctx, false, false, 0};
	int rc;

	r.t0 = o->now_ms(o->clock_ctx);
	if (!strcmp(t->spec, "-")) {
		struct cs_itemlist list;

		cs_itemlist_init(&list);
		rc = cs_load_path(&list, "-", &o->load, err);
		if (rc == 0 && check_loaded(&r, &list) < 0)
			rc = cs_error_setx(err, CS_E_NOMEM, "out of memory");
		if (rc == 0 && list.n == 0) {
			struct cs_error e;
			struct cs_check_result res;

			check_result_init(&res);
			cs_error_setx(&e, CS_E_EMPTY, "no certificate on "
				      "standard input");
			res.target = strdup("-");
			if (res.target && check_set_error(&res, o, &e) == 0)
				hand_on(&r, &res);
			cs_check_result_free(&res);
		}
		cs_itemlist_free(&list);
	} else {
		rc = check_tree(&r, t->spec, err);
	}
	if (r.nomem)
		return cs_error_setx(err, CS_E_NOMEM, "out of memory");
	if (rc == 0 && r.stop)
		return cs_error_setx(err, CS_E_INTERNAL, "stopped");
	return rc;
}
