/*
 * util.c - what the model's files share: owned strings and lists that
 * grow by doubling (bounded by CS_MODEL_MAX_LIST), the warning sentences,
 * base64 and bounded copies.
 *
 * Does not: call GnuTLS or read any certificate field.
 */
#include "x509/model_int.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- small owned-memory helpers ------------------------------------ */

/* Copy len bytes into a new NUL-terminated heap string.  NULL on ENOMEM. */
char *model_memdup(const void *p, size_t len)
{
	char *s = malloc(len + 1);

	if (s == NULL)
		return NULL;
	if (len > 0)
		memcpy(s, p, len);
	s[len] = '\0';
	return s;
}

/* Append an owned string (taken on success and on failure). */
static int strlist_take(struct cs_strlist *l, char *s)
{
	char **v;

	if (s == NULL)
		return -1;
	if (l->n >= CS_MODEL_MAX_LIST) {
		free(s);
		return 0;
	}
	if ((l->n & (l->n - 1)) == 0) { /* doubling, as namelist_take */
		v = realloc(l->v, (l->n ? 2 * l->n : 1) * sizeof(*v));
		if (v == NULL) {
			free(s);
			return -1;
		}
		l->v = v;
	}
	l->v[l->n++] = s;
	return 0;
}

int model_strlist_add(struct cs_strlist *l, const void *p, size_t len)
{
	return strlist_take(l, model_memdup(p, len));
}

void model_strlist_free(struct cs_strlist *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

/* Append *nm to l; l takes nm->value (also on failure). */
int model_namelist_take(struct cs_namelist *l, struct cs_name *nm)
{
	struct cs_name *v;

	if (nm->value == NULL)
		return -1;
	if (l->n >= CS_MODEL_MAX_LIST) {
		free(nm->value);
		return 0;
	}
	/* Capacity is the next power of two >= n (the struct has no
	 * capacity field): grow by doubling when n reaches one, so a list
	 * of N names costs log N reallocations, not N. */
	if ((l->n & (l->n - 1)) == 0) {
		v = realloc(l->v, (l->n ? 2 * l->n : 1) * sizeof(*v));
		if (v == NULL) {
			free(nm->value);
			return -1;
		}
		l->v = v;
	}
	l->v[l->n++] = *nm;
	return 0;
}

void model_namelist_free(struct cs_namelist *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i].value);
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

int model_warn(struct cs_cert_model *m, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Add one warning sentence.  -1 only on ENOMEM. */
int model_warn(struct cs_cert_model *m, const char *fmt, ...)
{
	char buf[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	return model_strlist_add(&m->warnings, buf, strlen(buf));
}

/* Standard base64 (RFC 4648 4) of len bytes into out; truncates at a
 * 4-character boundary if out is too small. */
void model_base64(char *out, size_t outsz, const unsigned char *p,
		  size_t len)
{
	static const char tab[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
				  "abcdefghijklmnopqrstuvwxyz0123456789+/";
	size_t o = 0;

	if (outsz == 0)
		return;
	for (size_t i = 0; i < len && o + 4 < outsz; i += 3) {
		unsigned v = (unsigned)p[i] << 16;

		if (i + 1 < len)
			v |= (unsigned)p[i + 1] << 8;
		if (i + 2 < len)
			v |= p[i + 2];
		out[o++] = tab[(v >> 18) & 63];
		out[o++] = tab[(v >> 12) & 63];
		out[o++] = i + 1 < len ? tab[(v >> 6) & 63] : '=';
		out[o++] = i + 2 < len ? tab[v & 63] : '=';
	}
	out[o] = '\0';
}

/* Bounded copy of a datum into a fixed char array, NUL-terminated. */
void model_copy_fixed(char *out, size_t outsz, const void *p, size_t len)
{
	if (len >= outsz)
		len = outsz - 1;
	memcpy(out, p, len);
	out[len] = '\0';
}
