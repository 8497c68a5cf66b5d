/* see pool.h */
#include "path/pool.h"

#include <stdlib.h>
#include <string.h>
#include <gnutls/gnutls.h>

struct dn {
	const unsigned char *p;
	size_t len;
};

static int dn_cmp(const void *a, const void *b)
{
	const struct dn *x = a, *y = b;
	size_t n = x->len < y->len ? x->len : y->len;
	int c = memcmp(x->p, y->p, n);

	if (c)
		return c;
	return x->len < y->len ? -1 : x->len > y->len;
}

int cs_pool_leaves(const struct cs_itemlist *l, size_t **out, size_t *n,
		   struct cs_error *err)
{
	gnutls_datum_t *subj = NULL, *iss = NULL;
	struct dn *issuers = NULL, key;
	size_t i, ni = 0, k = 0;
	int rc = -1;

	*out = NULL;
	*n = 0;
	if (l->n == 0)
		return 0;
	subj = calloc(l->n, sizeof(*subj));
	iss = calloc(l->n, sizeof(*iss));
	issuers = calloc(l->n, sizeof(*issuers));
	*out = calloc(l->n, sizeof(**out));
	if (!subj || !iss || !issuers || !*out) {
		cs_error_setx(err, CS_E_NOMEM, "out of memory");
		goto done;
	}
	for (i = 0; i < l->n; i++) {
		const struct cs_item *it = &l->items[i];

		if (it->kind != CS_ITEM_CERT ||
		    gnutls_x509_crt_get_raw_dn(it->crt, &subj[i]) < 0 ||
		    gnutls_x509_crt_get_raw_issuer_dn(it->crt, &iss[i]) < 0)
			continue;
		if (subj[i].size == iss[i].size &&
		    !memcmp(subj[i].data, iss[i].data, subj[i].size))
			continue; /* self-issued: issues nothing else */
		issuers[ni].p = iss[i].data;
		issuers[ni++].len = iss[i].size;
	}
	qsort(issuers, ni, sizeof(*issuers), dn_cmp);
	for (i = 0; i < l->n; i++) {
		if (l->items[i].kind != CS_ITEM_CERT || !subj[i].data)
			continue;
		key.p = subj[i].data;
		key.len = subj[i].size;
		if (!ni || !bsearch(&key, issuers, ni, sizeof(*issuers),
				    dn_cmp))
			(*out)[k++] = i;
	}
	*n = k;
	rc = 0;
done:
	for (i = 0; subj && iss && i < l->n; i++) {
		gnutls_free(subj[i].data);
		gnutls_free(iss[i].data);
	}
	free(subj);
	free(iss);
	free(issuers);
	if (rc < 0 || k == 0) {
		free(*out);
		*out = NULL;
	}
	return rc;
}
