/*
 * jstream.c - see jstream.h.
 */
#include "report/jstream.h"

#include <stdlib.h>
#include <string.h>

#define JS_FLAGS (JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_ENSURE_ASCII)
#define JS_ELEM_INDENT "    " /* depth 2: document, array, element */

/* An element's dump, indented, collected before any of it is written:
 * a dump that fails half-way writes nothing. */
struct indent {
	char *buf;
	size_t len, cap;
};

static int put(struct indent *in, const char *p, size_t n)
{
	if (in->len + n > in->cap) {
		size_t cap = in->cap ? in->cap : 4096;
		char *b;

		while (cap < in->len + n)
			cap *= 2;
		b = realloc(in->buf, cap);
		if (b == NULL)
			return -1;
		in->buf = b;
		in->cap = cap;
	}
	memcpy(in->buf + in->len, p, n);
	in->len += n;
	return 0;
}

/* json_dump_callback: keep a dump, indenting after each newline. */
static int put_indented(const char *buf, size_t size, void *data)
{
	const char *p = buf, *end = buf + size, *nl;

	while (p < end) {
		nl = memchr(p, '\n', (size_t)(end - p));
		if (nl == NULL)
			return put(data, p, (size_t)(end - p));
		if (put(data, p, (size_t)(nl - p + 1)) < 0 ||
		    put(data, JS_ELEM_INDENT, strlen(JS_ELEM_INDENT)) < 0)
			return -1;
		p = nl + 1;
	}
	return 0;
}

/* see jstream.h */
void cs_jarray_init(struct cs_jarray *a, FILE *out, char **mem,
		    size_t *memlen)
{
	a->out = out;
	a->mem = mem;
	a->memlen = memlen;
	a->n = 0;
	a->err = false;
}

/* see jstream.h */
int cs_jarray_add(struct cs_jarray *a, json_t *v)
{
	struct indent in = {NULL, 0, 0};
	int rc = -1;

	if (v != NULL && json_dump_callback(v, put_indented, &in,
					    JS_FLAGS | JSON_ENCODE_ANY) == 0 &&
	    fputs(a->n ? ",\n" JS_ELEM_INDENT : "\n" JS_ELEM_INDENT,
		  a->out) != EOF &&
	    fwrite(in.buf, 1, in.len, a->out) == in.len) {
		a->n++;
		rc = 0;
	} else {
		a->err = true;
	}
	free(in.buf);
	return rc;
}

static int key(FILE *out, const char *k)
{
	json_t *s = json_string(k);
	int rc = -1;

	/* the key as jansson writes it: quoted and escaped */
	if (s && fputs("\n  ", out) != EOF &&
	    json_dumpf(s, out, JSON_ENCODE_ANY | JS_FLAGS) == 0 &&
	    fputs(": [", out) != EOF)
		rc = 0;
	json_decref(s);
	return rc;
}

/* see jstream.h */
int cs_jstream_begin(FILE *out, const char *first_key)
{
	if (fputc('{', out) == EOF)
		return -1;
	return key(out, first_key);
}

/* Copy a spool's bytes from its start to out. */
static int copy(FILE *out, const struct cs_jarray *a)
{
	FILE *spool = a->out;
	char buf[8192];
	size_t n;

	if (fflush(spool) != 0)
		return -1;
	if (a->mem) /* a memory stream: its buffer is valid after fflush */
		return fwrite(*a->mem, 1, *a->memlen, out) == *a->memlen ?
		       0 : -1;
	if (fseek(spool, 0, SEEK_SET) != 0)
		return -1;
	while ((n = fread(buf, 1, sizeof(buf), spool)) > 0)
		if (fwrite(buf, 1, n, out) != n)
			return -1;
	return ferror(spool) ? -1 : 0;
}

/* see jstream.h */
int cs_jstream_next(FILE *out, struct cs_jarray *a, const char *next_key)
{
	int rc = a->err ? -1 : 0;

	if (a->out != out && copy(out, a) < 0)
		rc = -1;
	if (fputs(a->n ? "\n  ]" : "]", out) == EOF)
		rc = -1;
	if (next_key) {
		if (fputc(',', out) == EOF || key(out, next_key) < 0)
			rc = -1;
	} else if (fputs("\n}\n", out) == EOF) {
		rc = -1;
	}
	return ferror(out) ? -1 : rc;
}
