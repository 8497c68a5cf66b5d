/*
 * vcache.c - see vcache.h.
 *
 * Both tables are direct-mapped: the slot is taken from the key's bytes
 * (SHA-256 output, evenly spread), and an entry answers only when its
 * whole key matches, so a collision costs a recomputation, never a wrong
 * answer.
 */
#include "path/vcache.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct model_slot {
	bool used;
	bool flag;
	struct cs_cert_model m; /* m.sha256 is the key */
};

struct sig_slot {
	bool used;
	bool ok;
	unsigned char issuer[32];
	unsigned char cert[32];
};

struct cs_vcache {
	struct model_slot *models;
	size_t nmodels; /* power of two */
	struct sig_slot *sigs;
	size_t nsigs; /* power of two */
	struct cs_vcache_stats st;
};

static size_t pow2_floor(size_t n)
{
	size_t p = 1;

	while (p <= n / 2)
		p *= 2;
	return p;
}

static uint64_t load64(const unsigned char *p)
{
	uint64_t v = 0;

	for (int i = 0; i < 8; i++)
		v = (v << 8) | p[i];
	return v;
}

static bool is_zero(const unsigned char h[32])
{
	static const unsigned char z[32];

	return memcmp(h, z, 32) == 0;
}

/* see vcache.h */
struct cs_vcache *cs_vcache_new(size_t models, size_t sigs)
{
	struct cs_vcache *c = calloc(1, sizeof(*c));

	if (c == NULL)
		return NULL;
	c->nmodels = pow2_floor(models ? models : 1);
	c->nsigs = pow2_floor(sigs ? sigs : 1);
	c->models = calloc(c->nmodels, sizeof(*c->models));
	c->sigs = calloc(c->nsigs, sizeof(*c->sigs));
	if (c->models == NULL || c->sigs == NULL) {
		cs_vcache_free(c);
		return NULL;
	}
	return c;
}

/* see vcache.h */
void cs_vcache_free(struct cs_vcache *c)
{
	if (c == NULL)
		return;
	for (size_t i = 0; c->models != NULL && i < c->nmodels; i++)
		cs_model_free(&c->models[i].m);
	free(c->models);
	free(c->sigs);
	free(c);
}

static struct model_slot *model_slot(struct cs_vcache *c,
				     const unsigned char sha256[32])
{
	return &c->models[load64(sha256) & (c->nmodels - 1)];
}

/* see vcache.h */
int cs_vcache_model_get(struct cs_vcache *c, const unsigned char sha256[32],
			struct cs_cert_model *out, bool *flag)
{
	struct model_slot *s;

	if (c == NULL)
		return 0;
	s = model_slot(c, sha256);
	if (!s->used || is_zero(sha256) ||
	    memcmp(s->m.sha256, sha256, 32) != 0) {
		c->st.model_misses++;
		return 0;
	}
	if (cs_model_copy(out, &s->m) < 0)
		return -1;
	*flag = s->flag;
	c->st.model_hits++;
	return 1;
}

/* see vcache.h */
void cs_vcache_model_put(struct cs_vcache *c, const struct cs_cert_model *m,
			 bool flag)
{
	struct cs_cert_model copy;
	struct model_slot *s;

	if (c == NULL || is_zero(m->sha256) || cs_model_copy(&copy, m) < 0)
		return;
	s = model_slot(c, m->sha256);
	if (s->used) {
		c->st.model_evictions++;
		cs_model_free(&s->m);
	}
	s->m = copy;
	s->flag = flag;
	s->used = true;
}

static struct sig_slot *sig_slot(struct cs_vcache *c,
				 const unsigned char issuer[32],
				 const unsigned char cert[32])
{
	return &c->sigs[(load64(cert) ^ load64(issuer + 8)) & (c->nsigs - 1)];
}

/* see vcache.h */
int cs_vcache_sig_get(struct cs_vcache *c, const unsigned char issuer[32],
		      const unsigned char cert[32])
{
	struct sig_slot *s;

	if (c == NULL || is_zero(issuer) || is_zero(cert))
		return -1;
	s = sig_slot(c, issuer, cert);
	if (!s->used || memcmp(s->cert, cert, 32) != 0 ||
	    memcmp(s->issuer, issuer, 32) != 0) {
		c->st.sig_misses++;
		return -1;
	}
	c->st.sig_hits++;
	return s->ok ? 1 : 0;
}

/* see vcache.h */
void cs_vcache_sig_put(struct cs_vcache *c, const unsigned char issuer[32],
		       const unsigned char cert[32], bool ok)
{
	struct sig_slot *s;

	if (c == NULL || is_zero(issuer) || is_zero(cert))
		return;
	s = sig_slot(c, issuer, cert);
	if (s->used)
		c->st.sig_evictions++;
	s->used = true;
	s->ok = ok;
	memcpy(s->issuer, issuer, 32);
	memcpy(s->cert, cert, 32);
}

/* see vcache.h */
struct cs_vcache_stats cs_vcache_stats(const struct cs_vcache *c)
{
	struct cs_vcache_stats z = {0};

	return c != NULL ? c->st : z;
}
