/*
 * verify.c - choose the leaf, build the best path (chain.c) and check it
 * at opts->at: check_path runs the RFC 5280 rules (rules.c), the
 * certificate profile and the leaf's purpose and names (webpki.c) and
 * revocation by the CRLs given (revoke.c) on each certificate, and says
 * why a path ends where it does (untrusted root, issuer not found,
 * depth).  Every problem is a finding with a code from findings.c, a
 * sentence naming the certificate and a fix (findlist.c).
 *
 * Each complete or dead-end path the search finds is checked in full
 * and scored by its findings (errors weigh most); the search stops at
 * the first path without errors, so a valid path is chosen when one
 * exists within the candidate budget.  The input's order, duplicates
 * and certificates the path does not use are reported last.
 *
 * Does not: decide what is wrong with one certificate (the files above),
 * fetch or print anything.
 */
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "path/chain.h"
#include "path/verify.h"
#include "path/verify_int.h"

/* Weights of findings when comparing paths. */
#define SCORE_ERROR   1000L
#define SCORE_WARNING 10L
#define SCORE_INFO    1L
#define SCORE_DEADEND 100000L /* a path that reaches no anchor */

struct vctx {
	struct cs_pool *pool;
	const struct cs_verify_opts *opts;
	unsigned max_depth;
	struct cs_flist best; /* findings of the best path so far */
	long best_score;
	size_t nc_left;       /* of MAX_NC_TOTAL */
	bool nc_spent;        /* nc_left ran out: the search stopped */
};

static long flist_score(const struct cs_flist *l)
{
	long s = 0;
	size_t i;

	for (i = 0; i < l->n; i++)
		s += l->v[i].severity == CS_SEV_ERROR	  ? SCORE_ERROR
		     : l->v[i].severity == CS_SEV_WARNING ? SCORE_WARNING
							  : SCORE_INFO;
	return s;
}

/* The issuer's CN from the issuer DN string (RFC 4514 "CN=x,O=y"). */
static void issuer_name(const struct cs_cand *c, char *out, size_t outsz)
{
	const char *s = c->m.issuer ? c->m.issuer : "";
	const char *p = strstr(s, "CN=");
	size_t n;

	if (p == NULL || (p != s && p[-1] != ',')) {
		snprintf(out, outsz, "%s", s[0] ? s : "(empty issuer)");
		return;
	}
	p += 3;
	for (n = 0; p[n] != '\0' && !(p[n] == ',' && (n == 0 ||
						      p[n - 1] != '\\'));
	     n++)
		;
	snprintf(out, outsz, "%.*s", (int)n, p);
}

/* ---- the end of the path ------------------------------------------- */

/* A dead end whose top was issued by a name already on the path: the
 * certificates given issue each other in a loop (the search never puts
 * one CA twice on a path, chain.c) and none of them leads out of it to
 * an anchor.  Says so with the loop's names; false when it is not. */
static bool check_loop(struct cs_flist *l, struct cs_pool *p,
		       const struct cs_path *path)
{
	size_t top_i = path->n - 1, j, o = 0;
	const struct cs_cand *top = &p->v[path->idx[top_i]];
	char loop[512];

	for (j = 0; j < top_i; j++) {
		const struct cs_cand *c = &p->v[path->idx[j]];

		if (c->subj.size != top->iss.size ||
		    memcmp(c->subj.data, top->iss.data, c->subj.size) != 0)
			continue;
		/* the issuer by key: the AKI names it (RFC 5280 4.2.1.1),
		 * else its key verifies the signature */
		if (top->m.aki_hex[0] != '\0' && c->m.ski_hex[0] != '\0'
			    ? strcmp(top->m.aki_hex, c->m.ski_hex) == 0
			    : cs_chain_sig_ok(p, top, c))
			break;
	}
	if (j >= top_i)
		return false;
	loop[0] = '\0';
	for (size_t i = j; i <= top_i && o < sizeof(loop); i++) {
		int w = snprintf(loop + o, sizeof(loop) - o, "'%s' -> ",
				 cs_name_of(&p->v[path->idx[i]]));

		if (w < 0)
			break;
		o += (size_t)w;
	}
	if (o < sizeof(loop))
		snprintf(loop + o, sizeof(loop) - o, "'%s'",
			 cs_name_of(&p->v[path->idx[j]]));
	cs_flist_add(l, "issuer-not-found", (int)top_i, top,
		     "Add the certificate that links these CAs to a trusted "
		     "root (one issued by the root, or a cross-certificate), "
		     "or that root to the trust store.",
		     "The certificates given issue each other in a loop (%s) "
		     "and none of them was issued by a trust anchor or by "
		     "another certificate given, so no path leaves the loop "
		     "to a trust anchor.", loop);
	return true;
}

static void check_top(struct cs_flist *l, struct cs_pool *p,
		      const struct cs_path *path)
{
	size_t top_i = path->n - 1;
	const struct cs_cand *top = &p->v[path->idx[top_i]];
	char iss[256], fix[768];

	if (path->anchored)
		return;
	if (top->m.self_signed && top_i == 0) {
		cs_flist_add(l, "self-signed-leaf", 0, top,
			     "Get a certificate from a CA, or add this exact "
			     "certificate to the trust store if you mean to "
			     "trust it.",
			     "'%s' is self-signed and not in the trust store.",
			     cs_name_of(top));
		return;
	}
	if (top->m.self_signed) {
		cs_flist_add(l, "untrusted-root", (int)top_i, top,
			     "Add the root to the trust store (--trust) if you "
			     "trust it, or get the certificate from a trusted "
			     "CA.",
			     "The path ends at '%s', a self-signed root that "
			     "is not in the trust store.", cs_name_of(top));
		return;
	}
	issuer_name(top, iss, sizeof(iss));
	if (check_loop(l, p, path))
		return;
	if (top->m.ca_issuer_urls.n > 0)
		snprintf(fix, sizeof(fix),
			 "Add '%s' to the chain file after '%s' (its AIA "
			 "says it can be downloaded from %s; --fetch-missing "
			 "--write-chain FILE fetches it and writes the whole "
			 "chain).",
			 iss, cs_name_of(top), top->m.ca_issuer_urls.v[0]);
	else
		snprintf(fix, sizeof(fix),
			 "Add '%s' to the chain file after '%s' (with it in "
			 "--untrusted, --write-chain FILE writes the whole "
			 "chain), or its root to the trust store.", iss,
			 cs_name_of(top));
	cs_flist_add(l, "issuer-not-found", (int)top_i, top, fix,
		     "%s'%s' was issued by '%s', which is not in the input and "
		     "not in the trust store.", top_i == 0 ? "The leaf " : "",
		     cs_name_of(top), iss);
}

/* Check one path in full into *l. */
static void check_path(struct cs_flist *l, struct cs_pool *p,
		       const struct cs_path *path,
		       const struct cs_verify_opts *o, unsigned max_depth,
		       size_t *nc_left)
{
	size_t k = path->anchored ? path->n - 1 : path->n;
	size_t d = cs_path_depth(p, path, k); /* self-issued not counted */
	size_t i;

	/* A path cut at the depth limit ends below the issuer it did not
	 * follow: "issuer not found" would be false there.  The search
	 * follows at most CS_CHAIN_MAX_LEN certificates, self-issued ones
	 * included, whatever --max-depth says. */
	if (!path->anchored && path->n >= CS_CHAIN_MAX_LEN - 1)
		cs_flist_add(l, "depth-exceeded", (int)k - 1,
			     &p->v[path->idx[k - 1]], "Use a shorter path.",
			     "The path has more than %d intermediate "
			     "certificates between the leaf and a trust "
			     "anchor, the most certscope follows whatever "
			     "--max-depth says; the rest of the chain was not "
			     "followed.", CS_CHAIN_MAX_LEN - 3);
	else if (d > max_depth && !path->anchored)
		cs_flist_add(l, "depth-exceeded", (int)k - 1,
			     &p->v[path->idx[k - 1]],
			     "Use a shorter path, or raise --max-depth.",
			     "The path has more than %u intermediate "
			     "certificates between the leaf and a trust "
			     "anchor, the most allowed (--max-depth, default "
			     "%d); the rest of the chain was not followed.",
			     max_depth - 1, CS_MAX_CHAIN_DEPTH - 1);
	else if (d > max_depth)
		cs_flist_add(l, "depth-exceeded", (int)k - 1,
			     &p->v[path->idx[k - 1]],
			     "Use a shorter path, or raise --max-depth.",
			     "The path has %zu intermediate certificates "
			     "between the leaf and the trust anchor%s; at most "
			     "%u are allowed.", d - 1,
			     d < k ? " (self-issued ones, key rollovers, not "
				     "counted)" : "", max_depth - 1);
	else
		check_top(l, p, path);
	for (i = 0; i < path->n; i++) {
		const struct cs_cand *c = &p->v[path->idx[i]];
		bool anchor = path->anchored && i == path->n - 1;

		cs_check_time(l, c, (int)i, o->at, anchor);
		if (anchor) {
			/* The anchor's own signature is not checked (RFC
			 * 5280 6.1.1 (d)); its key still signs what is
			 * below it. */
			cs_check_algs(l, c, (int)i, false);
			cs_check_extensions(l, c, (int)i);
			if (i == 0)
				cs_check_serial(l, c, (int)i);
		} else {
			cs_check_algs(l, c, (int)i,
				      !(c->m.self_signed && i == path->n - 1));
			cs_check_extensions(l, c, (int)i);
			cs_check_serial(l, c, (int)i);
		}
		if (i + 1 < path->n && !path->sig_ok[i]) {
			const struct cs_cand *u = &p->v[path->idx[i + 1]];

			cs_flist_add(l, "bad-signature", (int)i, c,
				     "Get the right issuer certificate, or "
				     "reissue this one.",
				     "An issuer candidate '%s' was found for "
				     "'%s' but its key does not verify the "
				     "signature.", cs_name_of(u),
				     cs_name_of(c));
		}
		cs_check_profile(l, c, (int)i, anchor, i > 0,
				 cs_curated_store(p->trust), o);
		if (i > 0)
			cs_check_issuer(l, p, path, i, o, nc_left);
		if (!anchor && i + 1 < path->n && o->crls != NULL)
			cs_check_crls(l, p, path, i, o);
	}
	cs_check_leaf(l, &p->v[path->idx[0]], o);
}

static long score_path(void *ctx, const struct cs_path *path, bool *stop)
{
	struct vctx *v = ctx;
	struct cs_flist l;
	long s;

	memset(&l, 0, sizeof(l));
	check_path(&l, v->pool, path, v->opts, v->max_depth, &v->nc_left);
	if (l.nomem) {
		cs_flist_free(&l);
		return -1;
	}
	s = flist_score(&l) + (path->anchored ? 0 : SCORE_DEADEND);
	if (s < v->best_score) {
		cs_flist_free(&v->best);
		v->best = l;
		v->best_score = s;
	} else {
		cs_flist_free(&l);
	}
	*stop = s < SCORE_ERROR;
	/* No budget left: later paths could only fail unchecked. */
	if (v->nc_left == 0) {
		v->nc_spent = true;
		*stop = true;
	}
	return s;
}

/* ---- leaf selection and presentation findings ---------------------- */

/* Did input candidate a issue some other input candidate? */
static bool issued_other(struct cs_pool *p, const size_t *in, size_t nin,
			 size_t a)
{
	size_t b;

	for (b = 0; b < nin; b++) {
		const struct cs_cand *ca = &p->v[in[a]], *cb = &p->v[in[b]];

		if (b == a || cb->dup_of == ca->dup_of)
			continue;
		if (cs_chain_same_identity(ca, cb))
			continue;
		if (cb->iss.size == ca->subj.size &&
		    memcmp(cb->iss.data, ca->subj.data, ca->subj.size) == 0 &&
		    cs_chain_sig_ok(p, cb, ca))
			return true;
	}
	return false;
}

static size_t pick_leaf(struct cs_pool *p, const size_t *in, size_t nin)
{
	size_t a;

	for (a = 0; a < nin; a++)
		if (!issued_other(p, in, nin, a))
			return a;
	return 0;
}

static void presentation(struct cs_flist *l, struct cs_pool *p,
			 const size_t *in, size_t nin, size_t leaf,
			 const struct cs_path *best, unsigned max_depth)
{
	/* A path cut at the depth limit: what lies beyond it is needed,
	 * not "unneeded". */
	bool cut = !best->anchored &&
		   (cs_path_depth(p, best, best->n) > max_depth ||
		    best->n >= CS_CHAIN_MAX_LEN - 1);
	size_t a, j;

	if (leaf != 0) {
		const struct cs_cand *first = &p->v[in[0]];
		const struct cs_cand *lc = &p->v[in[leaf]];

		cs_flist_add(l, "chain-out-of-order", 0, lc,
			     "List the end-entity certificate first, then each "
			     "issuer in order (RFC 8446 4.4.2); --write-chain "
			     "FILE writes the chain in that order.",
			     "The input lists '%s' first, but the end-entity "
			     "certificate is '%s' (certificate %zu of the "
			     "input); '%s' is validated.", cs_name_of(first),
			     cs_name_of(lc), leaf + 1, cs_name_of(lc));
	}
	for (a = 0; a < nin; a++) {
		const struct cs_cand *c = &p->v[in[a]];
		bool used = false;

		if (c->dup_of != in[a]) {
			const struct cs_cand *orig = &p->v[c->dup_of];

			cs_flist_add(l, "duplicate-cert", -1, c,
				     "Remove the second copy (--write-chain "
				     "FILE writes the chain without it).",
				     "'%s' appears more than once in the input "
				     "(certificate %zu repeats certificate "
				     "%zu).", cs_name_of(c), a + 1,
				     orig->item != CS_NO_ITEM ? orig->item + 1
							      : 0);
			continue;
		}
		for (j = 0; j < best->n && !used; j++) {
			const struct cs_cand *e = &p->v[best->idx[j]];

			used = e->dup_of == c->dup_of ||
			       memcmp(e->m.sha256, c->m.sha256,
				      sizeof(c->m.sha256)) == 0;
		}
		if (!used && !cut)
			cs_flist_add(l, "unneeded-cert", -1, c,
				     "Remove it from the chain file "
				     "(--write-chain FILE writes the chain "
				     "without it).",
				     "'%s' (certificate %zu of the input) is "
				     "not part of the path and is not needed.",
				     cs_name_of(c), a + 1);
	}
}

/* ---- entry points -------------------------------------------------- */

static bool has_severity(const struct cs_verify_result *res,
			 enum cs_severity sev)
{
	size_t i;

	for (i = 0; i < res->n_findings; i++)
		if (res->findings[i].severity == sev)
			return true;
	return false;
}

/* see verify.h */
bool cs_verify_has(const struct cs_verify_result *res, const char *code)
{
	size_t i;

	if (res == NULL || code == NULL)
		return false;
	for (i = 0; i < res->n_findings; i++)
		if (strcmp(res->findings[i].code, code) == 0)
			return true;
	return false;
}

/* see verify.h */
int cs_verify_add_finding(struct cs_verify_result *res, const char *code,
			  int cert, const char *fix, const char *fmt, ...)
{
	const struct cs_finding_def *def = cs_finding_lookup(code);
	struct cs_finding *v, *f;
	char msg[1024];
	va_list ap;

	if (def == NULL)
		return -1;
	v = realloc(res->findings, (res->n_findings + 1) * sizeof(*v));
	if (v == NULL)
		return -1;
	res->findings = v;
	f = &v[res->n_findings];
	memset(f, 0, sizeof(*f));
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	f->code = def->code;
	f->severity = def->severity;
	f->cert = cert >= 0 && (size_t)cert < res->path_len ? cert : -1;
	if (f->cert >= 0 && res->path[cert].model.subject != NULL)
		f->subject = strdup(res->path[cert].model.subject);
	f->message = strdup(msg);
	f->fix = fix != NULL ? strdup(fix) : NULL;
	if (f->message == NULL || (fix != NULL && f->fix == NULL) ||
	    (f->cert >= 0 && res->path[cert].model.subject != NULL &&
	     f->subject == NULL)) {
		cs_finding_free(f);
		return -1;
	}
	res->n_findings++;
	if (def->severity == CS_SEV_ERROR) {
		res->trusted = false;
		res->valid_until = CS_TIME_NONE;
		res->limited_by = -1;
		res->later_until = CS_TIME_NONE;
		free(res->later_anchor);
		res->later_anchor = NULL;
	}
	return 0;
}

/* see verify.h */
void cs_verify_result_free(struct cs_verify_result *res)
{
	size_t i;

	if (res == NULL)
		return;
	for (i = 0; i < res->path_len; i++)
		cs_model_free(&res->path[i].model);
	free(res->path);
	for (i = 0; i < res->n_findings; i++)
		cs_finding_free(&res->findings[i]);
	free(res->findings);
	free(res->later_anchor);
	memset(res, 0, sizeof(*res));
	res->valid_until = CS_TIME_NONE;
	res->later_until = CS_TIME_NONE;
	res->later_anchor_until = CS_TIME_NONE;
	res->limited_by = -1;
}

static int move_path(struct cs_verify_result *res, struct cs_pool *p,
		     const struct cs_path *best, struct cs_error *err)
{
	size_t i;

	if (best->n == 0)
		return 0;
	res->path = calloc(best->n, sizeof(*res->path));
	if (res->path == NULL)
		return cs_error_setx(err, CS_E_NOMEM, "out of memory");
	for (i = 0; i < best->n; i++) {
		struct cs_cand *c = &p->v[best->idx[i]];
		struct cs_path_elem *e = &res->path[i];

		e->crt = c->crt;
		e->model = c->m; /* moved: the pool no longer owns it */
		memset(&c->m, 0, sizeof(c->m));
		e->origin = c->src == CS_CAND_TRUST ? NULL : c->origin;
		e->is_anchor = best->anchored && i == best->n - 1;
	}
	res->path_len = best->n;
	return 0;
}

static int add_list(struct cs_pool *p, const struct cs_itemlist *list,
		    enum cs_cand_src src, size_t **in, size_t *nin,
		    struct cs_error *err)
{
	size_t i;

	for (i = 0; list != NULL && i < list->n; i++) {
		const struct cs_item *it = &list->items[i];
		struct cs_error e;
		long idx;

		if (it->kind != CS_ITEM_CERT)
			continue;
		idx = cs_pool_add(p, it->crt, it->der, it->der_len,
				  &it->origin, i, src, &e);
		if (idx < 0) {
			if (e.code == CS_E_NOMEM) {
				*err = e;
				return -1;
			}
			continue; /* unreadable: the loader said so */
		}
		if (in != NULL) {
			size_t *v = realloc(*in, (*nin + 1) * sizeof(**in));

			if (v == NULL)
				return cs_error_setx(err, CS_E_NOMEM,
						     "out of memory");
			*in = v;
			(*in)[(*nin)++] = (size_t)idx;
		}
	}
	return 0;
}

/* The earliest notAfter of a trusted path, the anchor included: a root
 * that expires first ends the path's life too. */
static void path_until(struct cs_verify_result *res)
{
	size_t i;

	res->valid_until = CS_TIME_NONE;
	res->limited_by = -1;
	if (!res->trusted)
		return;
	for (i = 0; i < res->path_len; i++) {
		cs_time_t na = res->path[i].model.not_after;

		if (na == CS_TIME_NONE)
			continue;
		if (res->valid_until == CS_TIME_NONE || na < res->valid_until) {
			res->valid_until = na;
			res->limited_by = (int)i;
		}
	}
}

static const char *model_name(const struct cs_cert_model *m)
{
	if (m->subject_cn != NULL && m->subject_cn_len > 0)
		return m->subject_cn;
	return m->subject != NULL ? m->subject : "";
}

static int verify_at(const struct cs_itemlist *input,
		     const struct cs_itemlist *untrusted,
		     const struct cs_trust *trust,
		     const struct cs_verify_opts *opts,
		     struct cs_verify_result *res, struct cs_error *err,
		     bool look_later);

/* A path limited by an issuer (not the leaf) may be replaced by another
 * once that issuer expires: validate again one second later, without
 * the CRLs (revocation is judged at opts->at, not then). */
static int look_later(const struct cs_itemlist *input,
		      const struct cs_itemlist *untrusted,
		      const struct cs_trust *trust,
		      const struct cs_verify_opts *opts,
		      struct cs_verify_result *res, struct cs_error *err)
{
	struct cs_verify_opts later = *opts;
	struct cs_verify_result r2;
	struct cs_error e2;
	int rc = 0;

	if (res->limited_by <= 0 || res->valid_until == CS_TIME_NONE ||
	    res->valid_until == INT64_MAX)
		return 0;
	later.at = res->valid_until + 1;
	later.crls = NULL;
	if (verify_at(input, untrusted, trust, &later, &r2, &e2, false) < 0) {
		cs_verify_result_free(&r2);
		if (e2.code == CS_E_NOMEM) {
			*err = e2;
			return -1;
		}
		return 0;
	}
	if (r2.trusted && r2.path_len > 0 && r2.valid_until != CS_TIME_NONE &&
	    r2.valid_until > res->valid_until) {
		res->later_anchor =
			strdup(model_name(&r2.path[r2.path_len - 1].model));
		if (res->later_anchor == NULL)
			rc = cs_error_setx(err, CS_E_NOMEM, "out of memory");
		else
			res->later_until = r2.valid_until;
		res->later_anchor_until =
			r2.path[r2.path_len - 1].model.not_after;
	}
	cs_verify_result_free(&r2);
	return rc;
}

/* see verify.h */
int cs_verify_chain(const struct cs_itemlist *input,
		    const struct cs_itemlist *untrusted,
		    const struct cs_trust *trust,
		    const struct cs_verify_opts *opts,
		    struct cs_verify_result *res, struct cs_error *err)
{
	return verify_at(input, untrusted, trust, opts, res, err, true);
}

static int verify_at(const struct cs_itemlist *input,
		     const struct cs_itemlist *untrusted,
		     const struct cs_trust *trust,
		     const struct cs_verify_opts *opts,
		     struct cs_verify_result *res, struct cs_error *err,
		     bool later)
{
	struct cs_pool pool;
	struct cs_search s;
	struct vctx v;
	size_t *in = NULL, nin = 0, leaf;
	int rc = -1;

	memset(res, 0, sizeof(*res));
	res->valid_until = CS_TIME_NONE;
	res->later_until = CS_TIME_NONE;
	res->later_anchor_until = CS_TIME_NONE;
	res->limited_by = -1;
	memset(&v, 0, sizeof(v));
	cs_pool_init(&pool, trust);
	if (input == NULL || opts == NULL) {
		cs_error_setx(err, CS_E_USAGE, "nothing to verify");
		goto out;
	}
	if (add_list(&pool, input, CS_CAND_INPUT, &in, &nin, err) < 0 ||
	    add_list(&pool, untrusted, CS_CAND_POOL, NULL, NULL, err) < 0)
		goto out;
	if (nin == 0) {
		cs_error_setx(err, CS_E_EMPTY,
			      "the input holds no readable certificate");
		goto out;
	}
	leaf = pick_leaf(&pool, in, nin);
	res->leaf_item = pool.v[in[leaf]].item;

	v.pool = &pool;
	v.opts = opts;
	v.max_depth = opts->max_depth ? opts->max_depth : CS_MAX_CHAIN_DEPTH;
	if (v.max_depth > CS_CHAIN_MAX_LEN - 2)
		v.max_depth = CS_CHAIN_MAX_LEN - 2;
	v.best_score = LONG_MAX;
	v.nc_left = MAX_NC_TOTAL;
	memset(&s, 0, sizeof(s));
	s.max_depth = v.max_depth;
	s.budget = CS_MAX_PATH_CANDIDATES;
	s.score = score_path;
	s.ctx = &v;
	if (cs_chain_search(&pool, in[leaf], &s, err) < 0)
		goto out;
	/* A budget can run out before any path was scored (look-alikes
	 * ranked at the first step): judge the leaf alone, a dead end,
	 * so the verdict never rests on an empty path. */
	if (s.best.n == 0) {
		bool unused;

		s.best.idx[0] = in[leaf];
		s.best.n = 1;
		s.best.anchored = cs_cand_is_anchor(&pool.v[in[leaf]]);
		if (score_path(&v, &s.best, &unused) < 0) {
			cs_error_setx(err, CS_E_NOMEM, "out of memory");
			goto out;
		}
	}
	if (s.limit_hit)
		cs_flist_add(&v.best, "search-limit", -1, NULL,
			     "Remove unrelated certificates from the input and "
			     "the --untrusted files.",
			     "Path building stopped after trying %zu issuer "
			     "candidate%s (%zu signature checks%s); the best "
			     "path found is reported.", s.tried,
			     s.tried == 1 ? "" : "s", s.sig_checks,
			     s.sig_work > s.sig_checks
				     ? ", large keys counting as several"
				     : "");
	else if (v.nc_spent)
		cs_flist_add(&v.best, "search-limit", -1, NULL,
			     "Remove unrelated certificates from the input and "
			     "the --untrusted files.",
			     "Path building stopped after %zu issuer "
			     "candidates: name constraint checks on them used "
			     "the budget of %lu comparisons; the best path "
			     "found is reported.", s.tried,
			     (unsigned long)MAX_NC_TOTAL);
	presentation(&v.best, &pool, in, nin, leaf, &s.best, v.max_depth);
	if (opts->crls != NULL)
		cs_check_crls_used(&v.best, &pool, &s.best, opts);
	if (v.best.nomem) {
		cs_error_setx(err, CS_E_NOMEM, "out of memory");
		goto out;
	}
	if (move_path(res, &pool, &s.best, err) < 0)
		goto out;
	res->findings = v.best.v;
	res->n_findings = v.best.n;
	memset(&v.best, 0, sizeof(v.best));
	/* Trusted means a path to an anchor without an error. */
	res->trusted = s.best.anchored && !has_severity(res, CS_SEV_ERROR);
	path_until(res);
	rc = 0;
out:
	cs_flist_free(&v.best);
	cs_pool_free(&pool);
	free(in);
	/* after the pool is freed: the second search builds its own */
	if (rc == 0 && later &&
	    look_later(input, untrusted, trust, opts, res, err) < 0)
		rc = -1;
	return rc;
}

/* ---- purposes by name ------------------------------------------------ */

#define PURPOSE_MAX_OID 128 /* longest dotted OID accepted */

static const struct {
	const char *name;
	enum cs_purpose p;
} purposes[] = {
	{"server", CS_PURPOSE_SERVER}, {"client", CS_PURPOSE_CLIENT},
	{"email", CS_PURPOSE_EMAIL},   {"code", CS_PURPOSE_CODE},
	{"any", CS_PURPOSE_ANY},
};

/* see verify.h */
const char *cs_purpose_name(size_t i)
{
	return i < sizeof(purposes) / sizeof(*purposes) ? purposes[i].name :
							  NULL;
}

/* A dotted OID: digits separated by single dots, at least two arcs. */
static bool is_dotted_oid(const char *s)
{
	size_t dots = 0, len = strlen(s);
	const char *p;

	if (len == 0 || len > PURPOSE_MAX_OID || s[0] == '.' ||
	    s[len - 1] == '.')
		return false;
	for (p = s; *p; p++) {
		if (*p == '.') {
			if (p[1] == '.')
				return false;
			dots++;
		} else if (*p < '0' || *p > '9') {
			return false;
		}
	}
	return dots >= 1;
}

/* see verify.h */
int cs_purpose_parse(const char *s, struct cs_verify_opts *v)
{
	size_t i;

	for (i = 0; i < sizeof(purposes) / sizeof(*purposes); i++) {
		if (!strcmp(s, purposes[i].name)) {
			v->purpose = purposes[i].p;
			v->purpose_oid = NULL;
			return 0;
		}
	}
	if (!is_dotted_oid(s))
		return -1;
	v->purpose = CS_PURPOSE_OID;
	v->purpose_oid = s;
	return 0;
}
