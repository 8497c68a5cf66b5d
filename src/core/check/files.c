/*
 * files.c - file and tree targets: every certificate that issued no other
 * one of the set is a leaf, checked as one target with the certificates
 * that issued others (and --untrusted) as its pool.
 *
 * A tree is walked by cs_tree_leaves (path/tree.h), a file at a time, so
 * that memory does not grow with its size.  Standard input cannot be
 * read twice, so "-" is read once and kept.
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
#include "path/tree.h"

/* ---- one leaf ------------------------------------------------------ */

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
	res.target = cs_tree_leaf_name(it, it->origin.index > 1);
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
	res.target = cs_tree_leaf_name(leaf, several);
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
	if (rc == 0 && (cs_tree_borrow(&pool, &issuers) < 0 ||
			cs_tree_borrow(&pool, r->o->untrusted) < 0))
		rc = -1;
	for (i = 0; rc == 0 && i < nleaves && !r->stop; i++)
		check_leaf(r, &list->items[leaves[i]], nleaves > 1, &pool);
	free(leaves);
	free(issuers.items);
	free(pool.items);
	return rc;
}

/* ---- a tree, a file at a time -------------------------------------- */

/* The walk goes on while emit wants more and memory lasts. */
static int go_on(const struct run *r, struct cs_error *err)
{
	if (r->nomem)
		return cs_error_setx(err, CS_E_NOMEM, "out of memory");
	return r->stop ? cs_error_setx(err, CS_E_INTERNAL, "stopped") : 0;
}

static int tree_bad(void *ctx, const struct cs_item *it, struct cs_error *err)
{
	struct run *r = ctx;

	unreadable(r, it);
	return go_on(r, err);
}

static int tree_leaf(void *ctx, const struct cs_item *leaf, bool several,
		     const struct cs_itemlist *pool, struct cs_error *err)
{
	struct run *r = ctx;

	check_leaf(r, leaf, several, pool);
	return go_on(r, err);
}

static int check_tree(struct run *r, const char *path, struct cs_error *err)
{
	static const struct cs_tree_fns fns = {tree_bad, tree_leaf};
	struct cs_tree_stats st;
	int rc;

	rc = cs_tree_leaves(path, &r->o->load, r->o->untrusted, &fns, r, &st,
			    err);
	if (rc == 0 && st.certs == 0 && !r->stop) {
		struct cs_check_result res;
		struct cs_error e;

		check_result_init(&res);
		cs_error_setx(&e, CS_E_EMPTY, "no certificate found in %.200s%s",
			      path, st.skipped ? " (files were skipped)" : "");
		res.target = strdup(path);
		if (!res.target || check_set_error(&res, r->o, &e) < 0)
			rc = cs_error_setx(err, CS_E_NOMEM, "out of memory");
		else
			hand_on(r, &res);
		cs_check_result_free(&res);
	}
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
