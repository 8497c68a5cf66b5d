/*
 * items.c - the item list: format names, the list itself, and appending
 * items to it (certificates and CRLs imported with GnuTLS, one error item
 * per malformed one) with their origins.
 *
 * Does not: find items in bytes (load.c, pkcs7.c, pkcs12.c do), read
 * files, or decode certificate fields (x509/ does).
 */
#include "input/load_int.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gnutls/gnutls.h>

/* see load.h */
const char *cs_format_name(enum cs_format fmt)
{
	switch (fmt) {
	case CS_FMT_PEM:
		return "PEM";
	case CS_FMT_DER:
		return "DER";
	case CS_FMT_PKCS7:
		return "PKCS#7";
	case CS_FMT_PKCS7_PEM:
		return "PKCS#7 (PEM)";
	case CS_FMT_PKCS12:
		return "PKCS#12";
	case CS_FMT_NET:
		return "TLS";
	case CS_FMT_UNKNOWN:
		break;
	}
	return "unknown";
}

/* see load.h */
void cs_itemlist_init(struct cs_itemlist *list)
{
	memset(list, 0, sizeof(*list));
}

static void item_clear(struct cs_item *it)
{
	if (it->crt)
		gnutls_x509_crt_deinit(it->crt);
	if (it->crl)
		gnutls_x509_crl_deinit(it->crl);
	free(it->der);
	free(it->origin.path);
	memset(it, 0, sizeof(*it));
}

/* see load.h */
void cs_itemlist_free(struct cs_itemlist *list)
{
	size_t i;

	if (!list)
		return;
	for (i = 0; i < list->n; i++)
		item_clear(&list->items[i]);
	free(list->items);
	cs_itemlist_init(list);
}

/* see load.h */
size_t cs_itemlist_count(const struct cs_itemlist *list,
			 enum cs_item_kind kind)
{
	size_t i, n = 0;

	if (!list)
		return 0;
	for (i = 0; i < list->n; i++)
		if (list->items[i].kind == kind)
			n++;
	return n;
}

/* see load_int.h */
void load_ctx_init(struct load_ctx *c, struct cs_itemlist *list,
		   const struct cs_load_opts *opts, const char *name,
		   struct cs_error *err)
{
	memset(c, 0, sizeof(*c));
	c->list = list;
	c->opts = opts;
	c->name = name;
	c->err = err;
	c->max_items = opts && opts->max_items ? opts->max_items : CS_MAX_ITEMS;
}

/*
 * Move *IT into the list (the list owns it afterwards; *it is cleared).
 * FILE_LEVEL errors describe the whole file and get index 0.  On a fatal
 * error the item is freed and -1 returned.
 */
static int push(struct load_ctx *c, struct cs_item *it,
		const struct load_pos *at, int file_level)
{
	struct cs_itemlist *l = c->list;

	if (l->n >= c->max_items) {
		item_clear(it);
		return cs_error_setx(c->err, CS_E_LIMIT,
				     "%s: more than %zu items; the limit is "
				     "%zu items", c->name, c->max_items,
				     c->max_items);
	}
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 16;
		struct cs_item *n;

		if (cap > c->max_items)
			cap = c->max_items;
		n = reallocarray(l->items, cap, sizeof(*n));
		if (!n) {
			item_clear(it);
			return cs_error_set(c->err, CS_E_NOMEM,
					    "cannot grow the item list");
		}
		l->items = n;
		l->cap = cap;
	}
	it->origin.path = strdup(c->name);
	if (!it->origin.path) {
		item_clear(it);
		return cs_error_set(c->err, CS_E_NOMEM, "cannot copy a name");
	}
	it->origin.index = file_level ? 0 : ++c->index;
	it->origin.line = at->line;
	it->origin.offset = at->offset;
	it->origin.format = at->fmt;
	l->items[l->n++] = *it;
	memset(it, 0, sizeof(*it));
	return 0;
}

static int push_errorv(struct load_ctx *c, const struct load_pos *at,
		       int file_level, int code, int lib_code, const char *fmt,
		       va_list ap)
{
	struct cs_item it;
	char msg[sizeof(it.err.msg)];

	memset(&it, 0, sizeof(it));
	it.kind = CS_ITEM_ERROR;
	vsnprintf(msg, sizeof(msg), fmt, ap);
	cs_error_setlib(&it.err, code, lib_code, "%s", msg);
	return push(c, &it, at, file_level);
}

/* see load_int.h */
int load_push_error(struct load_ctx *c, const struct load_pos *at, int code,
		    int lib_code, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = push_errorv(c, at, 0, code, lib_code, fmt, ap);
	va_end(ap);
	return rc;
}

/* see load_int.h */
int load_push_file_error(struct load_ctx *c, int code, int sys_errno,
			 const char *fmt, ...)
{
	struct load_pos at = { 0, 0, CS_FMT_UNKNOWN };
	size_t before = c->list->n;
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = push_errorv(c, &at, 1, code, 0, fmt, ap);
	va_end(ap);
	if (rc == 0 && c->list->n > before)
		c->list->items[before].err.sys_errno = sys_errno;
	return rc;
}

/* see load_int.h */
const char *load_where(const struct load_pos *at, char *buf, size_t size)
{
	if (at->line)
		snprintf(buf, size, " (line %zu)", at->line);
	else if (at->offset)
		snprintf(buf, size, " (offset %zu)", at->offset);
	else
		buf[0] = '\0';
	return buf;
}

static unsigned char *dup_der(const unsigned char *der, size_t len)
{
	unsigned char *p = malloc(len ? len : 1);

	if (p)
		memcpy(p, der, len);
	return p;
}

/* Size and element count: 0, or -1 with *err (an item's error). */
static int cert_check(const unsigned char *der, size_t len,
		      const struct load_pos *at, struct cs_error *err)
{
	char wbuf[48], why[320];

	if (len > UINT32_MAX)
		return cs_error_setx(err, CS_E_LIMIT,
				     "certificate of %zu bytes is too large%s",
				     len, load_where(at, wbuf, sizeof(wbuf)));
	if (cs_cert_check_elements(der, len, why, sizeof(why)) < 0)
		return cs_error_setx(err, CS_E_LIMIT, "%s%s", why,
				     load_where(at, wbuf, sizeof(wbuf)));
	return 0;
}

static int cert_import(gnutls_x509_crt_t *crt, const unsigned char *der,
		       size_t len, const struct load_pos *at,
		       struct cs_error *err)
{
	gnutls_datum_t d = { (unsigned char *)der, (unsigned)len };
	char wbuf[48];
	int r;

	*crt = NULL;
	if (cert_check(der, len, at, err) < 0)
		return -1;
	r = gnutls_x509_crt_init(crt);
	if (r < 0) {
		*crt = NULL;
		cs_error_setlib(err, CS_E_INTERNAL, r,
				"gnutls_x509_crt_init: %s", gnutls_strerror(r));
		return -2;
	}
	r = gnutls_x509_crt_import(*crt, &d, GNUTLS_X509_FMT_DER);
	if (r < 0) {
		gnutls_x509_crt_deinit(*crt);
		*crt = NULL;
		return cs_error_setlib(err, CS_E_PARSE, r,
				       "not a certificate: GnuTLS says: %s%s",
				       gnutls_strerror(r),
				       load_where(at, wbuf, sizeof(wbuf)));
	}
	return 0;
}

/* see load.h */
int cs_cert_import(gnutls_x509_crt_t *crt, const unsigned char *der,
		   size_t len, const struct cs_origin *o, struct cs_error *err)
{
	struct load_pos at = { 0, 0, CS_FMT_UNKNOWN };

	if (o) {
		at.offset = o->offset;
		at.line = o->line;
		at.fmt = o->format;
	}
	return cert_import(crt, der, len, &at, err);
}

/* see load_int.h */
int load_push_cert(struct load_ctx *c, const unsigned char *der, size_t len,
		   const struct load_pos *at)
{
	struct cs_item it;
	struct cs_error e;
	int r;

	memset(&it, 0, sizeof(it));
	if (c->opts && c->opts->defer_import)
		r = cert_check(der, len, at, &e);
	else
		r = cert_import(&it.crt, der, len, at, &e);
	if (r == -2) {
		if (c->err)
			*c->err = e;
		return -1;
	}
	if (r < 0)
		return load_push_error(c, at, e.code, e.lib_code, "%s", e.msg);
	it.kind = CS_ITEM_CERT;
	it.der = dup_der(der, len);
	if (!it.der) {
		item_clear(&it);
		return cs_error_set(c->err, CS_E_NOMEM, "cannot copy DER");
	}
	it.der_len = len;
	return push(c, &it, at, 0);
}

/* see load_int.h */
int load_push_crl(struct load_ctx *c, const unsigned char *der, size_t len,
		  const struct load_pos *at)
{
	struct cs_item it;
	gnutls_datum_t d = { (unsigned char *)der, (unsigned)len };
	char wbuf[48];
	int r;

	memset(&it, 0, sizeof(it));
	if (len > UINT32_MAX)
		return load_push_error(c, at, CS_E_LIMIT, 0,
				       "CRL of %zu bytes is too large%s", len,
				       load_where(at, wbuf, sizeof(wbuf)));
	r = gnutls_x509_crl_init(&it.crl);
	if (r < 0)
		return cs_error_setlib(c->err, CS_E_INTERNAL, r,
				       "gnutls_x509_crl_init: %s",
				       gnutls_strerror(r));
	r = gnutls_x509_crl_import(it.crl, &d, GNUTLS_X509_FMT_DER);
	if (r < 0) {
		item_clear(&it);
		return load_push_error(c, at, CS_E_PARSE, r,
				       "not a CRL: GnuTLS says: %s%s",
				       gnutls_strerror(r),
				       load_where(at, wbuf, sizeof(wbuf)));
	}
	it.kind = CS_ITEM_CRL;
	it.der = dup_der(der, len);
	if (!it.der) {
		item_clear(&it);
		return cs_error_set(c->err, CS_E_NOMEM, "cannot copy DER");
	}
	it.der_len = len;
	return push(c, &it, at, 0);
}
