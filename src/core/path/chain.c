/*
 * chain.c - candidate pool and bounded path search (RFC 4158).
 *
 * The search is depth-first from the leaf.  At each step the issuer
 * candidates are the trust store's anchors named as the issuer and the
 * pool certificates whose subject is the issuer name (raw DN bytes),
 * ordered so that the likely-good path comes first: signature verifies,
 * anchor, key identifiers agree (RFC 5280 4.2.1.1), and that is all the
 * ordering needs to get the common case right at the first try.
 *
 * Loops (cross-signed pairs issuing each other's names) are cut by never
 * putting the same subject+key twice on one path (RFC 4158 5.2): a cert
 * and its cross-signed copy are the same CA.  The total number of
 * candidates tried is bounded by a budget.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <gnutls/abstract.h>
#include <gnutls/gnutls.h>

#include "input/der.h"
#include "path/chain.h"
#include "path/verify_int.h"

#define POOL_MIN_CAP 16

void cs_pool_init(struct cs_pool *p, const struct cs_trust *trust)
{
	memset(p, 0, sizeof(*p));
	p->trust = trust;
	p->cache = cs_trust_vcache(trust);
}

static void cand_free(struct cs_cand *c)
{
	cs_model_free(&c->m);
	gnutls_free(c->subj.data);
	gnutls_free(c->iss.data);
	free(c->der);
	if (c->pub != NULL)
		gnutls_pubkey_deinit(c->pub);
	memset(c, 0, sizeof(*c));
}

void cs_pool_free(struct cs_pool *p)
{
	size_t i;

	if (p == NULL)
		return;
	for (i = 0; i < p->n; i++)
		cand_free(&p->v[i]);
	free(p->v);
	memset(p, 0, sizeof(*p));
}

/* Certificate ::= SEQUENCE { tbsCertificate, ... } (RFC 5280 4.1):
 * locate the tbsCertificate TLV, which is what the issuer signed. */
static int find_tbs(struct cs_cand *c)
{
	struct cs_tlv cert, tbs;

	if (cs_der_read(c->der, c->der_len, &cert) != CS_DER_OK ||
	    cert.tag != 0x30)
		return -1;
	if (cs_der_read(cert.val, cert.len, &tbs) != CS_DER_OK ||
	    tbs.tag != 0x30)
		return -1;
	c->tbs_off = cert.hdr;
	c->tbs_len = tbs.hdr + tbs.len;
	return 0;
}

/* The model of c: a copy of the one kept for the run, else built (and
 * kept when c may issue others).  0 / -1 with *err. */
static int cand_model(struct cs_vcache *cache, struct cs_cand *c,
		      struct cs_error *err)
{
	gnutls_datum_t d = {c->der, (unsigned)c->der_len};
	unsigned char sha[32];
	size_t sz = sizeof(sha);
	int r = 0;

	if (cache != NULL &&
	    gnutls_fingerprint(GNUTLS_DIG_SHA256, &d, sha, &sz) >= 0)
		r = cs_vcache_model_get(cache, sha, &c->m, &c->exts_decode);
	if (r < 0)
		return cs_error_setx(err, CS_E_NOMEM, "out of memory");
	if (r == 1)
		return 0;
	/* every part, the plain fields read from the DER (the same values
	 * as GnuTLS's getters give, x509/model.h) */
	if (cs_model_build(&c->m, c->crt, c->der, c->der_len,
			   CS_MODEL_ALL | CS_MODEL_FROM_DER, err) < 0)
		return -1;
	/* once per candidate, not once per path scored */
	c->exts_decode = cs_exts_decode(c);
	if (cache != NULL && (c->m.is_ca || c->m.self_issued))
		cs_vcache_model_put(cache, &c->m, c->exts_decode);
	return 0;
}

/* see chain.h */
long cs_pool_add(struct cs_pool *p, gnutls_x509_crt_t crt,
		 const unsigned char *der, size_t der_len,
		 const struct cs_origin *origin, size_t item,
		 enum cs_cand_src src, struct cs_error *err)
{
	struct cs_cand *c;
	gnutls_datum_t d = {NULL, 0};
	size_t i;
	int ret;

	if (p->n == p->cap) {
		size_t cap = p->cap ? p->cap * 2 : POOL_MIN_CAP;
		struct cs_cand *v = realloc(p->v, cap * sizeof(*v));

		if (v == NULL)
			return cs_error_setx(err, CS_E_NOMEM,
					     "out of memory");
		p->v = v;
		p->cap = cap;
	}
	c = &p->v[p->n];
	memset(c, 0, sizeof(*c));
	c->crt = crt;
	c->origin = origin;
	c->item = item;
	c->src = src;
	if (der == NULL) {
		ret = gnutls_x509_crt_export2(crt, GNUTLS_X509_FMT_DER, &d);
		if (ret < 0)
			return cs_error_setlib(err, CS_E_INTERNAL, ret,
					       "cannot encode a certificate: "
					       "%s", gnutls_strerror(ret));
		der = d.data;
		der_len = d.size;
	}
	c->der = malloc(der_len ? der_len : 1);
	if (c->der == NULL) {
		gnutls_free(d.data);
		return cs_error_setx(err, CS_E_NOMEM, "out of memory");
	}
	memcpy(c->der, der, der_len);
	c->der_len = der_len;
	gnutls_free(d.data);
	if (find_tbs(c) < 0) {
		cand_free(c);
		return cs_error_setx(err, CS_E_PARSE,
				     "cannot find the signed part of a "
				     "certificate");
	}
	if (cand_model(p->cache, c, err) < 0) {
		cand_free(c);
		return -1;
	}
	if (gnutls_x509_crt_get_raw_dn(crt, &c->subj) < 0 ||
	    gnutls_x509_crt_get_raw_issuer_dn(crt, &c->iss) < 0) {
		cand_free(c);
		return cs_error_setx(err, CS_E_PARSE,
				     "cannot read the names of '%s'",
				     c->m.subject ? c->m.subject : "?");
	}
	c->dup_of = p->n;
	for (i = 0; i < p->n; i++) {
		if (p->v[i].der_len == c->der_len &&
		    memcmp(p->v[i].der, c->der, c->der_len) == 0) {
			c->dup_of = p->v[i].dup_of;
			break;
		}
	}
	if (src != CS_CAND_TRUST && p->trust != NULL)
		c->in_trust = cs_trust_contains(p->trust, crt) ||
			      cs_trust_contains_key(p->trust, crt);
	return (long)p->n++;
}

bool cs_cand_is_anchor(const struct cs_cand *c)
{
	return c->src == CS_CAND_TRUST || c->in_trust;
}

static bool datum_eq(const gnutls_datum_t *a, const gnutls_datum_t *b)
{
	return a->size == b->size &&
	       (a->size == 0 || memcmp(a->data, b->data, a->size) == 0);
}

/* see chain.h */
bool cs_chain_same_identity(const struct cs_cand *a, const struct cs_cand *b)
{
	return datum_eq(&a->subj, &b->subj) &&
	       strcmp(a->m.spki_sha256_b64, b->m.spki_sha256_b64) == 0 &&
	       a->m.spki_sha256_b64[0] != '\0';
}

static gnutls_pubkey_t cand_pub(struct cs_cand *c)
{
	if (!c->pub_tried) {
		c->pub_tried = true;
		if (gnutls_pubkey_init(&c->pub) < 0) {
			c->pub = NULL;
		} else if (gnutls_pubkey_import_x509(c->pub, c->crt, 0) < 0) {
			gnutls_pubkey_deinit(c->pub);
			c->pub = NULL;
		}
	}
	return c->pub;
}

/* Budget units one verification under issuer's key costs: 1 for P-256,
 * Ed25519 and RSA up to 4,096 bits, more for keys nettle verifies more
 * slowly (P-384 3, P-521 5, RSA 8,192 4, DSA by its modulus). */
static unsigned sig_cost(struct cs_cand *issuer)
{
	gnutls_pubkey_t pub = cand_pub(issuer);
	unsigned bits = 0, k;
	int pk;

	if (pub == NULL)
		return 1; /* no key: no verification either */
	pk = gnutls_pubkey_get_pk_algorithm(pub, &bits);
	switch (pk) {
	case GNUTLS_PK_ECDSA:
		return bits <= 256 ? 1 : bits <= 384 ? 3 : 5;
	case GNUTLS_PK_RSA:
	case GNUTLS_PK_RSA_PSS:
		/* a small public exponent: cost grows with the square */
		k = (bits + 4095) / 4096;
		return k <= 1 ? 1 : k * k;
	case GNUTLS_PK_DSA:
		k = (bits + 1023) / 1024;
		return k * k;
	case GNUTLS_PK_EDDSA_ED448:
		return 2;
	default:
		return 1;
	}
}

/* cs_chain_sig_ok without the cache: the public-key operation. */
static bool sig_verify(const struct cs_cand *child,
		       const struct cs_cand *issuer)
{
	/* The pubkey is a cache; importing it does not change the
	 * candidate's meaning, hence the cast. */
	gnutls_pubkey_t pub = cand_pub((struct cs_cand *)issuer);
	unsigned char sigbuf[2048];
	size_t sigsz = sizeof(sigbuf);
	gnutls_datum_t tbs, sig;
	int algo;

	if (pub == NULL)
		return false;
	algo = gnutls_x509_crt_get_signature_algorithm(child->crt);
	if (algo <= 0 || algo == GNUTLS_SIGN_UNKNOWN)
		return false;
	if (gnutls_x509_crt_get_signature(child->crt, (char *)sigbuf,
					  &sigsz) < 0)
		return false;
	tbs.data = child->der + child->tbs_off;
	tbs.size = (unsigned)child->tbs_len;
	sig.data = sigbuf;
	sig.size = (unsigned)sigsz;
	/* Strength is judged separately (weak-signature), so broken
	 * algorithms are allowed here: the question is only whether this
	 * key made this signature. */
	return gnutls_pubkey_verify_data2(
		       pub, (gnutls_sign_algorithm_t)algo,
		       GNUTLS_VERIFY_ALLOW_BROKEN |
			       GNUTLS_VERIFY_ALLOW_SIGN_WITH_SHA1,
		       &tbs, &sig) >= 0;
}

/* see chain.h */
bool cs_chain_sig_ok(const struct cs_pool *p, const struct cs_cand *child,
		     const struct cs_cand *issuer)
{
	int known = cs_vcache_sig_get(p->cache, issuer->m.sha256,
				      child->m.sha256);
	bool ok;

	if (known >= 0)
		return known == 1;
	ok = sig_verify(child, issuer);
	cs_vcache_sig_put(p->cache, issuer->m.sha256, child->m.sha256, ok);
	return ok;
}

/* ---- search ------------------------------------------------------- */

struct cand_rank {
	size_t idx;
	bool sig_ok;
	int key;  /* lower is tried first */
};

static int rank_cmp(const void *a, const void *b)
{
	const struct cand_rank *x = a, *y = b;

	if (x->key != y->key)
		return x->key < y->key ? -1 : 1;
	return x->idx < y->idx ? -1 : x->idx > y->idx;
}

/* RFC 5280 4.2.1.1: the AKI keyIdentifier names the issuer's SKI.
 * 0 = they agree, 1 = cannot tell, 2 = they disagree. */
static int aki_rank(const struct cs_cand *child, const struct cs_cand *iss)
{
	if (child->m.aki_hex[0] == '\0' || iss->m.ski_hex[0] == '\0')
		return 1;
	return strcmp(child->m.aki_hex, iss->m.ski_hex) == 0 ? 0 : 2;
}

struct walk {
	struct cs_pool *p;
	struct cs_search *s;
	struct cs_path cur;
	bool stop;
	bool failed;
	struct cs_error *err;
};

static void terminal(struct walk *w, bool anchored)
{
	bool stop = false;
	long score;

	w->cur.anchored = anchored;
	score = w->s->score(w->s->ctx, &w->cur, &stop);
	if (score < 0) {
		w->failed = true;
		w->stop = true;
		cs_error_setx(w->err, CS_E_NOMEM, "out of memory");
		return;
	}
	if (score < w->s->best_score) {
		w->s->best_score = score;
		w->s->best = w->cur;
	}
	if (stop)
		w->stop = true;
}

static bool on_path(const struct walk *w, const struct cs_cand *c)
{
	size_t i;

	for (i = 0; i < w->cur.n; i++)
		if (cs_chain_same_identity(&w->p->v[w->cur.idx[i]], c))
			return true;
	return false;
}

/* The keyIdentifier bytes of an "AB:CD:.." string; false unless it is
 * one of at most 41 bytes (longer ones may have been cut short). */
static bool keyid_of_hex(const char *s, unsigned char *out, size_t *len)
{
	static const char digits[] = "0123456789ABCDEF";
	size_t n = strlen(s), i;

	if (n >= 125 || (n > 0 && n % 3 != 2))
		return false;
	for (i = 0, *len = 0; i < n; i += 3) {
		const char *hi = strchr(digits, s[i]);
		const char *lo = s[i + 1] ? strchr(digits, s[i + 1]) : NULL;

		if (!s[i] || !hi || !lo || (s[i + 2] && s[i + 2] != ':'))
			return false;
		out[(*len)++] = (unsigned char)((hi - digits) * 16 +
						(lo - digits));
	}
	return true;
}

/* The trust store's anchors named as c's issuer, best key identifier
 * match first; c's authorityKeyIdentifier from its model when it is
 * there whole (the store would decode it again). */
static size_t find_anchors(const struct cs_trust *t, const struct cs_cand *c,
			   gnutls_x509_crt_t *found)
{
	unsigned char aki[64];
	size_t aki_len = 0;

	if (keyid_of_hex(c->m.aki_hex, aki, &aki_len))
		return cs_trust_find_issuers_aki(t, c->crt, aki, aki_len,
						 found, CS_CHAIN_MAX_ANCHORS);
	return cs_trust_find_issuers(t, c->crt, found, CS_CHAIN_MAX_ANCHORS);
}

/*
 * Collect and rank the issuer candidates of the top of the current path
 * into *outp (owned by the caller, NULL when there are none).  Every
 * candidate whose subject is the top's issuer name is ranked, however
 * many look-alikes come first in the pool; each signature check is
 * charged to the search's signature budget, and when it runs out the
 * search stops (limit_hit) with what was ranked.  Returns the count.
 */
static size_t collect(struct walk *w, struct cand_rank **outp,
		      bool anchors_only)
{
	size_t top = w->cur.idx[w->cur.n - 1];
	gnutls_x509_crt_t found[CS_CHAIN_MAX_ANCHORS];
	struct cand_rank *out = NULL;
	size_t nf = 0, i, j, n = 0, idx[CS_CHAIN_MAX_ANCHORS];

	*outp = NULL;
	if (w->p->trust != NULL)
		nf = find_anchors(w->p->trust, &w->p->v[top], found);
	/* Anchors first: adding one may move the pool array. */
	for (i = 0; i < nf; i++) {
		long k = -1;

		for (j = 0; j < w->p->n; j++)
			if (w->p->v[j].src == CS_CAND_TRUST &&
			    w->p->v[j].crt == found[i]) {
				k = (long)j;
				break;
			}
		if (k < 0) {
			struct cs_error e;

			k = cs_pool_add(w->p, found[i], NULL, 0, NULL,
					CS_NO_ITEM, CS_CAND_TRUST, &e);
			if (k < 0) {
				if (e.code == CS_E_NOMEM) {
					*w->err = e;
					w->failed = true;
					return 0;
				}
				continue; /* an anchor we cannot read */
			}
		}
		idx[n++] = (size_t)k;
	}
	out = calloc(n + (anchors_only ? 0 : w->p->n) + 1, sizeof(*out));
	if (out == NULL) {
		cs_error_setx(w->err, CS_E_NOMEM, "out of memory");
		w->failed = true;
		return 0;
	}
	for (i = 0; i < n; i++)
		out[i].idx = idx[i];
	for (i = 0; i < w->p->n && !anchors_only; i++) {
		const struct cs_cand *c = &w->p->v[i];

		if (c->src == CS_CAND_TRUST || c->dup_of != i)
			continue;
		if (!datum_eq(&c->subj, &w->p->v[top].iss))
			continue;
		out[n++].idx = i;
	}
	for (i = 0, j = 0; i < n; i++) {
		const struct cs_cand *c = &w->p->v[out[i].idx];
		const struct cs_cand *child = &w->p->v[top];
		unsigned cost;

		if (on_path(w, c))
			continue;
		cost = sig_cost(&w->p->v[out[i].idx]);
		if (w->s->sig_work + cost > w->s->sig_budget) {
			w->s->limit_hit = true;
			w->stop = true;
			break;
		}
		w->s->sig_checks++;
		w->s->sig_work += cost;
		out[j].idx = out[i].idx;
		out[j].sig_ok = cs_chain_sig_ok(w->p, child, c);
		/* Signature first, then a store anchor before a copy of
		 * one in the pool (its origin is the store), then AKI. */
		out[j].key = (out[j].sig_ok ? 0 : 16) +
			     (c->src == CS_CAND_TRUST ? 0
			      : c->in_trust	      ? 4
						      : 8) +
			     aki_rank(child, c);
		j++;
	}
	qsort(out, j, sizeof(*out), rank_cmp);
	*outp = out;
	return j;
}

/* see chain.h */
size_t cs_path_depth(const struct cs_pool *p, const struct cs_path *path,
		     size_t k)
{
	size_t i, d = k > 0 ? 1 : 0;

	for (i = 1; i < k && i < path->n; i++)
		if (!p->v[path->idx[i]].m.self_issued)
			d++;
	return d;
}

static void dfs(struct walk *w, size_t idx)
{
	struct cand_rank *cands = NULL; /* owned */
	size_t nc, i, depth;

	w->cur.idx[w->cur.n++] = idx;
	if (cs_cand_is_anchor(&w->p->v[idx])) {
		terminal(w, true);
		goto out;
	}
	/* The leaf and the intermediates on the path so far that are not
	 * self-issued (RFC 5280 6.1.4 (l): a key rollover ICA' -> ICA' is
	 * one); CS_CHAIN_MAX_LEN caps every certificate.  One more than
	 * the limit is built so the finding can say what lies beyond it. */
	depth = cs_path_depth(w->p, &w->cur, w->cur.n);
	nc = collect(w, &cands,
		     depth > w->s->max_depth ||
			     w->cur.n + 1 >= CS_CHAIN_MAX_LEN);
	if (w->failed)
		goto out;
	/* A dead end; or a budget ran out while ranking before any path
	 * was scored: this partial path is then the best there is. */
	if ((nc == 0 && !w->stop) ||
	    (w->stop && w->s->best_score == LONG_MAX)) {
		terminal(w, false);
		goto out;
	}
	for (i = 0; i < nc && !w->stop; i++) {
		if (w->s->tried >= w->s->budget) {
			w->s->limit_hit = true;
			w->stop = true;
			break;
		}
		w->s->tried++;
		w->cur.sig_ok[w->cur.n - 1] = cands[i].sig_ok;
		dfs(w, cands[i].idx);
	}
out:
	free(cands);
	w->cur.n--;
}

/* see chain.h */
int cs_chain_search(struct cs_pool *p, size_t leaf, struct cs_search *s,
		    struct cs_error *err)
{
	struct walk w;

	memset(&w, 0, sizeof(w));
	w.p = p;
	w.s = s;
	w.err = err;
	s->best_score = LONG_MAX;
	s->tried = 0;
	s->sig_checks = 0;
	s->sig_work = 0;
	if (s->sig_budget == 0)
		s->sig_budget = CS_CHAIN_MAX_SIG_CHECKS;
	s->limit_hit = false;
	memset(&s->best, 0, sizeof(s->best));
	if (leaf >= p->n)
		return cs_error_setx(err, CS_E_USAGE, "no leaf to verify");
	dfs(&w, leaf);
	if (w.failed)
		return -1;
	return 0;
}
