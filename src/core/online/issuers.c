/*
 * issuers.c - see online.h: missing intermediates from caIssuers URLs.
 */
#include "online/online.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "net/http.h"

#define MAX_NOTE 512 /* one failure's words */

struct failure {
	char url[CS_HTTP_MAX_URL];
	char below[256];  /* the certificate whose AIA named it */
	char why[MAX_NOTE];
};

struct state {
	char tried[CS_ONLINE_MAX_FETCHES][CS_HTTP_MAX_URL];
	size_t n_tried;
	struct failure fail[CS_ONLINE_MAX_FETCHES];
	size_t n_fail;
};

void cs_online_init(struct cs_online *ol)
{
	memset(ol, 0, sizeof(*ol));
	cs_itemlist_init(&ol->fetched);
}

void cs_online_free(struct cs_online *ol)
{
	if (!ol)
		return;
	cs_itemlist_free(&ol->fetched);
	free(ol->pool.items); /* shallow: the items belong elsewhere */
	memset(ol, 0, sizeof(*ol));
}

/* see online.h */
const char *cs_online_name(const struct cs_cert_model *m)
{
	if (m->subject_cn && m->subject_cn_len &&
	    strlen(m->subject_cn) == m->subject_cn_len)
		return m->subject_cn;
	return m->subject && m->subject[0] ? m->subject : "(empty subject)";
}

static bool tried(const struct state *st, const char *url)
{
	size_t i;

	for (i = 0; i < st->n_tried; i++)
		if (!strcmp(st->tried[i], url))
			return true;
	return false;
}

/* The first http(s) caIssuers URL of m not tried yet, or NULL. */
static const char *next_url(const struct state *st,
			    const struct cs_cert_model *m)
{
	size_t i;

	for (i = 0; i < m->ca_issuer_urls.n; i++) {
		const char *u = m->ca_issuer_urls.v[i];

		if ((!strncasecmp(u, "http://", 7) ||
		     !strncasecmp(u, "https://", 8)) && !tried(st, u))
			return u;
	}
	return NULL;
}

/* Rebuild ol->pool from untrusted and ol->fetched (shallow copies). */
static int make_pool(const struct cs_itemlist *untrusted,
		     struct cs_online *ol, struct cs_error *err)
{
	size_t nu = untrusted ? untrusted->n : 0, n = nu + ol->fetched.n;
	struct cs_item *v;

	v = realloc(ol->pool.items, (n ? n : 1) * sizeof(*v));
	if (!v)
		return cs_error_setx(err, CS_E_NOMEM, "out of memory");
	if (nu)
		memcpy(v, untrusted->items, nu * sizeof(*v));
	if (ol->fetched.n)
		memcpy(v + nu, ol->fetched.items,
		       ol->fetched.n * sizeof(*v));
	ol->pool.items = v;
	ol->pool.n = ol->pool.cap = n;
	ol->n_untrusted = nu;
	return 0;
}

/* see online.h */
int cs_online_parse_issuers(const unsigned char *data, size_t len,
			    const char *url, struct cs_itemlist *out,
			    struct cs_error *err)
{
	struct cs_itemlist got;
	struct cs_load_opts lo;
	size_t i, taken = 0;
	int rc = -1;

	cs_itemlist_init(&got);
	memset(&lo, 0, sizeof(lo));
	lo.max_items = CS_ONLINE_MAX_CERTS_PER_FETCH;
	lo.max_file_bytes = CS_HTTP_MAX_ISSUER;
	if (cs_load_buffer(&got, data, len, url, &lo, 1, NULL, err) < 0)
		goto out;
	for (i = 0; i < got.n; i++) {
		struct cs_item *it = &got.items[i];
		struct cs_item *v;

		if (it->kind != CS_ITEM_CERT)
			continue;
		v = realloc(out->items, (out->n + 1) * sizeof(*v));
		if (!v) {
			cs_error_setx(err, CS_E_NOMEM, "out of memory");
			goto out;
		}
		out->items = v;
		out->cap = out->n + 1;
		v[out->n++] = *it;
		memset(it, 0, sizeof(*it)); /* moved */
		taken++;
	}
	if (taken == 0) {
		cs_error_setx(err, CS_E_PARSE, "%s: the answer (%zu bytes) "
			      "holds no certificate (DER, PEM or PKCS#7 "
			      "expected)", url, len);
		goto out;
	}
	rc = 0;
out:
	cs_itemlist_free(&got);
	return rc;
}

/* Fetch url and move the certificates it holds into ol->fetched.  0, or
 * -1 with *err saying why (a failure to report, or CS_E_NOMEM). */
static int fetch_into(const char *url, const struct cs_online_opts *oo,
		      const struct cs_deadline *dl, struct cs_online *ol,
		      struct cs_error *err)
{
	struct cs_http_req rq = {.url = url, .max_bytes = CS_HTTP_MAX_ISSUER,
				 .dns_servers = oo->dns_servers};
	struct cs_http_resp resp;
	int rc;

	ol->fetches++;
	if (cs_http_fetch(&rq, dl, &resp, err) < 0)
		return -1;
	rc = cs_online_parse_issuers(resp.body, resp.len, resp.url,
				     &ol->fetched, err);
	cs_http_resp_free(&resp);
	return rc;
}

/* Is origin one of ol->fetched's? */
static bool fetched_origin(const struct cs_online *ol,
			   const struct cs_origin *o)
{
	size_t i;

	for (i = ol->n_untrusted; o && i < ol->pool.n; i++)
		if (&ol->pool.items[i].origin == o)
			return true;
	return false;
}

static int explain(const struct state *st, const struct cs_online *ol,
		   struct cs_verify_result *res, struct cs_error *err)
{
	char fix[1024];
	size_t i;

	for (i = 1; i < res->path_len; i++) {
		const struct cs_path_elem *e = &res->path[i];
		const char *name, *below;

		if (e->is_anchor || !fetched_origin(ol, e->origin))
			continue;
		name = cs_online_name(&e->model);
		below = cs_online_name(&res->path[i - 1].model);
		snprintf(fix, sizeof(fix), "Configure the server to send "
			 "'%s' after '%s' (--write-chain FILE writes the "
			 "whole chain).", name, below);
		if (cs_verify_add_finding(res, "issuer-fetched", (int)i, fix,
					  "'%s' was missing from the chain; "
					  "certscope fetched it from %s, the "
					  "caIssuers URL of '%s'. Clients that "
					  "do not fetch (most) fail: the "
					  "server should send it.", name,
					  e->origin->path, below) < 0)
			return cs_error_setx(err, CS_E_NOMEM, "out of memory");
	}
	for (i = 0; i < st->n_fail; i++) {
		const struct failure *f = &st->fail[i];

		snprintf(fix, sizeof(fix), "Add the issuer of '%s' to the "
			 "chain file (or to --untrusted).", f->below);
		if (cs_verify_add_finding(res, "issuer-fetch-failed", -1, fix,
					  "The issuer of '%s' could not be "
					  "fetched from its caIssuers URL: %s",
					  f->below, f->why) < 0)
			return cs_error_setx(err, CS_E_NOMEM, "out of memory");
	}
	return 0;
}

/* see online.h */
int cs_online_verify(const struct cs_itemlist *input,
		     const struct cs_itemlist *untrusted,
		     const struct cs_trust *trust,
		     const struct cs_verify_opts *vo,
		     const struct cs_online_opts *oo,
		     const struct cs_deadline *dl, struct cs_online *ol,
		     struct cs_verify_result *res, struct cs_error *err)
{
	struct state st;
	int rc = -1;

	memset(&st, 0, sizeof(st));
	if (cs_verify_chain(input, untrusted, trust, vo, res, err) < 0)
		return -1;
	while (oo && oo->fetch_missing && res->path_len > 0 &&
	       !res->path[res->path_len - 1].is_anchor &&
	       st.n_tried < CS_ONLINE_MAX_FETCHES) {
		const struct cs_cert_model *top =
			&res->path[res->path_len - 1].model;
		const char *url = top->self_signed ? NULL : next_url(&st, top);
		struct cs_error fe;

		if (!url)
			break;
		/* a copy: url lives in res, which is rebuilt below */
		snprintf(st.tried[st.n_tried++], CS_HTTP_MAX_URL, "%s", url);
		cs_error_clear(&fe);
		if (fetch_into(url, oo, dl, ol, &fe) < 0) {
			struct failure *f = &st.fail[st.n_fail++];

			if (fe.code == CS_E_NOMEM) {
				*err = fe;
				goto out;
			}
			snprintf(f->url, sizeof(f->url), "%s", url);
			snprintf(f->below, sizeof(f->below), "%s",
				 cs_online_name(top));
			snprintf(f->why, sizeof(f->why), "%s", fe.msg);
			continue;
		}
		/* the path may point into the old pool: free it first */
		cs_verify_result_free(res);
		if (make_pool(untrusted, ol, err) < 0)
			goto out;
		if (cs_verify_chain(input, &ol->pool, trust, vo, res, err) < 0)
			goto out;
	}
	if (explain(&st, ol, res, err) < 0)
		goto out;
	if (cs_online_revocation(res, vo, oo, dl, err) < 0)
		goto out;
	rc = 0;
out:
	return rc;
}
