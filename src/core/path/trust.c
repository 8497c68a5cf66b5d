/*
 * trust.c - see trust.h.
 *
 * Anchors live in one array and in a hash table keyed by the raw bytes of
 * their subject Name, so cs_trust_find_issuers() returns every anchor
 * whose subject equals a certificate's issuer (several anchors may share
 * a subject: re-keyed roots, cross-signed copies) without looking at any
 * other anchor.
 *
 * Speed: the system and bundled stores hold ~150 roots, of which a run
 * needs one or two.  Parsing all of them with GnuTLS costs more than the
 * whole rest of a `certscope verify` run, so bundle files are only
 * base64-decoded and walked far enough to find the subject and the
 * SubjectPublicKeyInfo (RFC 5280 4.1); an anchor becomes a
 * gnutls_x509_crt_t the first time it is a candidate issuer.  --trust
 * files and directories go through the loader (every format, its
 * messages) without its GnuTLS import, and are indexed the same way.
 *
 * Does not: use a gnutls_x509_trust_list_t (its get_issuer returns one
 * issuer only, and filling it means parsing every anchor), read the
 * environment, or decide whether an anchor should be trusted for a
 * purpose.
 */
#include "path/trust.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <gnutls/gnutls.h>

#include "input/der.h"
#include "path/trust_int.h"
#include "path/vcache.h"

/* ---- DER walking (RFC 5280 4.1, X.690 8.1; the reader is input/der.h) */

/* Locate subject and SubjectPublicKeyInfo in a Certificate; *cert_len is
 * the length of the Certificate TLV (trailing bytes, e.g. the OpenSSL
 * aux data of a TRUSTED CERTIFICATE, are not part of it).  0 / -1. */
static int der_cert_fields(const unsigned char *p, size_t len,
			   size_t *cert_len, size_t *subj_off,
			   size_t *subj_len, size_t *spki_off,
			   size_t *spki_len, size_t *iss_off,
			   size_t *iss_len)
{
	struct cs_tlv cert, tbs, f;
	size_t pos = 0, off;
	int i;

	if (cs_der_read(p, len, &cert) != CS_DER_OK || cert.tag != 0x30)
		return -1;
	if (!cs_der_child(cert.val, cert.len, &pos, &tbs) || tbs.tag != 0x30)
		return -1;
	pos = 0;
	if (!cs_der_child(tbs.val, tbs.len, &pos, &f))
		return -1;
	if (f.tag == 0xa0 && /* [0] EXPLICIT Version */
	    !cs_der_child(tbs.val, tbs.len, &pos, &f))
		return -1;
	/* serialNumber, signature, issuer, validity, subject, spki */
	for (i = 0; i < 6; i++) {
		if (i > 0 && !cs_der_child(tbs.val, tbs.len, &pos, &f))
			return -1;
		off = (size_t)(f.val - p) - f.hdr; /* of the tag byte */
		if (i == 2) {
			*iss_off = off;
			*iss_len = f.hdr + f.len;
		} else if (i == 4) {
			*subj_off = off;
			*subj_len = f.hdr + f.len;
		} else if (i == 5) {
			*spki_off = off;
			*spki_len = f.hdr + f.len;
		}
		if (i >= 1 && f.tag != 0x30)
			return -1;
	}
	*cert_len = cert.hdr + cert.len;
	return 0;
}

/* FNV-1a, 64 bit: fast and good enough for a table of DNs. */
static uint64_t hash_bytes(const unsigned char *p, size_t len)
{
	uint64_t h = 0xcbf29ce484222325ULL;
	size_t i;

	for (i = 0; i < len; i++) {
		h ^= p[i];
		h *= 0x100000001b3ULL;
	}
	return h;
}

/* ---- the store ---- */

/* see trust.h */
struct cs_trust *cs_trust_new(struct cs_error *err)
{
	struct cs_trust *t = calloc(1, sizeof(*t));
	size_t i;

	if (!t)
		goto nomem;
	t->buckets = malloc(CS_TRUST_MIN_BUCKETS * sizeof(*t->buckets));
	if (!t->buckets)
		goto nomem;
	t->nbuckets = CS_TRUST_MIN_BUCKETS;
	for (i = 0; i < t->nbuckets; i++)
		t->buckets[i] = CS_TRUST_NONE_IDX;
	cs_trust_set_source(t, CS_TRUST_NONE);
	return t;
nomem:
	cs_trust_free(t);
	cs_error_setx(err, CS_E_NOMEM, "out of memory for the trust store");
	return NULL;
}

/* see trust.h */
void cs_trust_free(struct cs_trust *t)
{
	size_t i;

	if (!t)
		return;
	for (i = 0; i < t->n; i++) {
		if (t->a[i].crt)
			gnutls_x509_crt_deinit(t->a[i].crt);
		free(t->a[i].der);
		free(t->a[i].origin.path);
	}
	cs_itemlist_free(&t->late);
	cs_vcache_free(t->vcache);
	free(t->a);
	free(t->buckets);
	free(t);
}

static int rehash(struct cs_trust *t, size_t nbuckets)
{
	size_t *b = malloc(nbuckets * sizeof(*b));
	size_t i, h;

	if (!b)
		return -1;
	for (i = 0; i < nbuckets; i++)
		b[i] = CS_TRUST_NONE_IDX;
	for (i = 0; i < t->n; i++) {
		h = (size_t)(t->a[i].hash & (nbuckets - 1));
		t->a[i].next = b[h];
		b[h] = i;
	}
	free(t->buckets);
	t->buckets = b;
	t->nbuckets = nbuckets;
	return 0;
}

static const unsigned char *subj(const struct cs_anchor *a)
{
	return a->der + a->subj_off;
}

/*
 * Add one certificate.  der (cert_len bytes, the Certificate TLV) is
 * copied when own_der is 0 and taken over when it is 1; crt (may be NULL:
 * parsed later) is always taken over, also on failure and for
 * duplicates; origin (NULL for the system and bundled stores) is copied.
 * Returns 1 added, 0 duplicate or not a certificate, -1 out of memory /
 * limit.
 */
int trust_add_der(struct cs_trust *t, unsigned char *der, size_t len,
		   int own_der, gnutls_x509_crt_t crt,
		   const struct cs_origin *origin, struct cs_error *err)
{
	struct cs_anchor a = {0};
	size_t cert_len, iss_off, iss_len, i;
	int rc = 0;

	if (der_cert_fields(der, len, &cert_len, &a.subj_off, &a.subj_len,
			    &a.spki_off, &a.spki_len, &iss_off,
			    &iss_len) < 0)
		goto out; /* not a certificate: skipped */
	a.der_len = cert_len;
	a.hash = hash_bytes(der + a.subj_off, a.subj_len);

	/* Dedupe identical DER: the same root in two bundles, or a hashed
	 * directory's symlink next to its target. */
	for (i = t->buckets[a.hash & (t->nbuckets - 1)];
	     i != CS_TRUST_NONE_IDX; i = t->a[i].next) {
		if (t->a[i].der_len == cert_len &&
		    !memcmp(t->a[i].der, der, cert_len))
			goto out;
	}
	if (t->n >= CS_TRUST_MAX_ANCHORS) {
		rc = cs_error_setx(err, CS_E_LIMIT,
				   "more than %zu trust anchors",
				   (size_t)CS_TRUST_MAX_ANCHORS);
		goto out;
	}
	if (t->n == t->cap) {
		size_t ncap = t->cap ? t->cap * 2 : 64;
		struct cs_anchor *na = realloc(t->a, ncap * sizeof(*na));
		if (!na)
			goto nomem;
		t->a = na;
		t->cap = ncap;
	}
	if (origin) {
		a.origin = *origin;
		a.origin.path = strdup(origin->path ? origin->path : "");
		if (!a.origin.path)
			goto nomem;
	}
	if (own_der) {
		a.der = der;
		der = NULL;
	} else {
		a.der = malloc(cert_len);
		if (!a.der) {
			free(a.origin.path);
			goto nomem;
		}
		memcpy(a.der, der, cert_len);
	}
	a.crt = crt;
	crt = NULL;
	i = a.hash & (t->nbuckets - 1);
	a.next = t->buckets[i];
	t->a[t->n] = a;
	t->buckets[i] = t->n++;
	rc = 1;
	if (t->n > t->nbuckets && rehash(t, t->nbuckets * 2) < 0)
		goto nomem;
	goto out;
nomem:
	rc = cs_error_setx(err, CS_E_NOMEM,
			   "out of memory for the trust store");
out:
	if (own_der)
		free(der);
	if (crt)
		gnutls_x509_crt_deinit(crt);
	return rc;
}

/* see vcache.h */
struct cs_vcache *cs_trust_vcache(const struct cs_trust *t)
{
	struct cs_trust *tw = (struct cs_trust *)t; /* as trust_anchor_crt */

	if (tw != NULL && tw->vcache == NULL)
		tw->vcache = cs_vcache_new(CS_VCACHE_MODELS, CS_VCACHE_SIGS);
	return tw != NULL ? tw->vcache : NULL;
}

/* see trust.h */
size_t cs_trust_count(const struct cs_trust *t)
{
	return t ? t->n - t->failed : 0;
}

/* see trust.h */
const struct cs_itemlist *cs_trust_late_problems(const struct cs_trust *t)
{
	return &t->late;
}

void trust_update_name(struct cs_trust *t)
{
	const char *sys = t->system_path[0] ? t->system_path : "GnuTLS";

	switch (t->source) {
	case CS_TRUST_FILES:
		snprintf(t->name, sizeof(t->name), "--trust files");
		break;
	case CS_TRUST_SYSTEM:
		snprintf(t->name, sizeof(t->name), "system store (%s)", sys);
		break;
	case CS_TRUST_BUNDLED:
		snprintf(t->name, sizeof(t->name), "bundled store (%s)",
			 t->bundled_path);
		break;
	case CS_TRUST_FILES_AND_SYSTEM:
		snprintf(t->name, sizeof(t->name),
			 "--trust files and system store (%s)", sys);
		break;
	case CS_TRUST_NONE:
	default:
		snprintf(t->name, sizeof(t->name), "no trust store");
		break;
	}
}

/* see trust.h */
void cs_trust_set_source(struct cs_trust *t, enum cs_trust_source s)
{
	t->source = s;
	trust_update_name(t);
}

/* see trust.h */
enum cs_trust_source cs_trust_source(const struct cs_trust *t)
{
	return t->source;
}

/* see trust.h */
const char *cs_trust_source_name(const struct cs_trust *t)
{
	return t->name;
}

/* ---- lookup ---- */

/* Anchor a was refused by GnuTLS on first use: it is no anchor, and one
 * read from a --trust path becomes a late problem with the loader's
 * message (out of memory only loses the report). */
static void anchor_refused(struct cs_trust *t, struct cs_anchor *a,
			   const struct cs_error *e)
{
	struct cs_item it;

	a->parse_failed = 1;
	t->failed++;
	if (!a->origin.path)
		return;
	memset(&it, 0, sizeof(it));
	it.kind = CS_ITEM_ERROR;
	it.err = *e;
	it.origin = a->origin;
	it.origin.path = strdup(a->origin.path);
	if (!it.origin.path || trust_move_item(&t->late, &it) < 0)
		free(it.origin.path);
}

/* The parsed certificate of anchor i, parsing it on first use.  The
 * store is logically const: this only fills a cache (the array itself was
 * allocated non-const, so writing through the cast is defined).  Not
 * thread-safe, like the rest of the store.  NULL if GnuTLS rejects it. */
gnutls_x509_crt_t trust_anchor_crt(const struct cs_trust *t, size_t i)
{
	struct cs_trust *tw = (struct cs_trust *)t;
	struct cs_anchor *a = &tw->a[i];
	struct cs_error e;
	int r;

	if (a->crt || a->parse_failed)
		return a->crt;
	/* the loader's bounds and messages (element count, then GnuTLS) */
	r = cs_cert_import(&a->crt, a->der, a->der_len,
			   a->origin.path ? &a->origin : NULL, &e);
	if (r == -1)
		anchor_refused(tw, a, &e);
	return a->crt;
}

/* The DER of cert (caller gnutls_free()s d->data), and where its issuer,
 * subject and key are.  0 / -1. */
struct cert_view {
	gnutls_datum_t der;
	size_t iss_off, iss_len, subj_off, subj_len, spki_off, spki_len;
};

static int view_cert(gnutls_x509_crt_t cert, struct cert_view *v)
{
	size_t cert_len;

	memset(v, 0, sizeof(*v));
	if (!cert ||
	    gnutls_x509_crt_export2(cert, GNUTLS_X509_FMT_DER, &v->der) < 0)
		return -1;
	if (der_cert_fields(v->der.data, v->der.size, &cert_len,
			    &v->subj_off, &v->subj_len, &v->spki_off,
			    &v->spki_len, &v->iss_off, &v->iss_len) < 0) {
		gnutls_free(v->der.data);
		v->der.data = NULL;
		return -1;
	}
	return 0;
}

/* How well anchor crt matches cert's authorityKeyIdentifier (RFC 5280
 * 4.2.1.1): 0 key ids equal, 1 one of them absent, 2 different. */
static int keyid_rank(gnutls_x509_crt_t anchor, const unsigned char *aki,
		      size_t aki_len)
{
	unsigned char ski[CS_TRUST_KEYID_MAX];
	size_t ski_len = sizeof(ski);

	if (!aki_len)
		return 1;
	if (gnutls_x509_crt_get_subject_key_id(anchor, ski, &ski_len,
					       NULL) < 0)
		return 1;
	return ski_len == aki_len && !memcmp(ski, aki, aki_len) ? 0 : 2;
}

/* see trust.h */
size_t cs_trust_find_issuers(const struct cs_trust *t, gnutls_x509_crt_t cert,
			     gnutls_x509_crt_t *out, size_t max)
{
	unsigned char aki[CS_TRUST_KEYID_MAX];
	size_t aki_len = sizeof(aki);

	if (!t || !out || max == 0)
		return 0;
	if (gnutls_x509_crt_get_authority_key_id(cert, aki, &aki_len,
						 NULL) < 0)
		aki_len = 0;
	return cs_trust_find_issuers_aki(t, cert, aki, aki_len, out, max);
}

/* see trust.h */
size_t cs_trust_find_issuers_aki(const struct cs_trust *t,
				 gnutls_x509_crt_t cert,
				 const unsigned char *aki, size_t aki_len,
				 gnutls_x509_crt_t *out, size_t max)
{
	struct cert_view v;
	size_t i, n = 0;
	const unsigned char *iss;
	uint64_t h;
	int rank;

	if (!t || !out || max == 0 || view_cert(cert, &v) < 0)
		return 0;
	iss = v.der.data + v.iss_off;
	h = hash_bytes(iss, v.iss_len);
	/* Three passes so that anchors whose subjectKeyIdentifier matches
	 * the authorityKeyIdentifier come first when more than max share
	 * the name; every anchor with the name is still returned. */
	for (rank = 0; rank < 3 && n < max; rank++) {
		for (i = t->buckets[h & (t->nbuckets - 1)];
		     i != CS_TRUST_NONE_IDX && n < max; i = t->a[i].next) {
			const struct cs_anchor *a = &t->a[i];
			gnutls_x509_crt_t c;
			if (a->hash != h || a->subj_len != v.iss_len ||
			    memcmp(subj(a), iss, v.iss_len))
				continue;
			c = trust_anchor_crt(t, i);
			if (!c || keyid_rank(c, aki, aki_len) != rank)
				continue;
			out[n++] = c;
		}
	}
	gnutls_free(v.der.data);
	return n;
}

/* Walk the anchors with cert's subject; mode 0: same DER, 1: same SPKI. */
static bool find_same(const struct cs_trust *t, gnutls_x509_crt_t cert,
		      int mode)
{
	struct cert_view v;
	const unsigned char *s;
	bool found = false;
	size_t i;
	uint64_t h;

	if (!t || view_cert(cert, &v) < 0)
		return false;
	s = v.der.data + v.subj_off;
	h = hash_bytes(s, v.subj_len);
	for (i = t->buckets[h & (t->nbuckets - 1)];
	     i != CS_TRUST_NONE_IDX && !found; i = t->a[i].next) {
		const struct cs_anchor *a = &t->a[i];
		if (a->hash != h || a->subj_len != v.subj_len ||
		    memcmp(subj(a), s, v.subj_len))
			continue;
		/* what a --trust path holds is an anchor once GnuTLS has
		 * accepted it, as when the loader imported each one */
		if (a->origin.path && !trust_anchor_crt(t, i))
			continue;
		if (mode == 0)
			found = a->der_len == v.der.size &&
				!memcmp(a->der, v.der.data, a->der_len);
		else
			found = a->spki_len == v.spki_len &&
				!memcmp(a->der + a->spki_off,
					v.der.data + v.spki_off, a->spki_len);
	}
	gnutls_free(v.der.data);
	return found;
}

/* see trust.h */
bool cs_trust_contains(const struct cs_trust *t, gnutls_x509_crt_t cert)
{
	return find_same(t, cert, 0);
}

/* see trust.h */
bool cs_trust_contains_key(const struct cs_trust *t, gnutls_x509_crt_t cert)
{
	return find_same(t, cert, 1);
}
