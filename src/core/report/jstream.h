/*
 * jstream.h - one JSON document written an element at a time, so that a
 * run over thousands of inputs holds one result at a time and the
 * output is still one valid document.
 *
 * The bytes are exactly those json_dumpf(doc, JSON_INDENT(2) |
 * JSON_PRESERVE_ORDER | JSON_ENSURE_ASCII) and a final newline give for
 * the whole document {"k1": [e, ...], "k2": [...]}: each element is
 * dumped on its own and indented to its depth (a JSON string never holds
 * a raw newline, so every newline of a dump is structure).
 *
 * An array may be written straight to the output or into another stream
 * first (a spool the caller made, e.g. a tmpfile()) and copied in later,
 * for a document whose arrays fill in a different order than they are
 * printed (show: certificates, then CRLs and errors).
 *
 * Does not: open or create files, keep the elements (each is written
 * and left to the caller to json_decref), check the keys.
 */
#ifndef CS_REPORT_JSTREAM_H
#define CS_REPORT_JSTREAM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <jansson.h>

/* One top-level array of the document. */
struct cs_jarray {
	FILE *out;     /* where its elements go (borrowed) */
	size_t n;      /* elements written */
	bool err;      /* a write or dump failed */
	char **mem;    /* out is an open_memstream() spool: its buffer */
	size_t *memlen;
};

/* Start an array whose elements go to out: the document's stream, or a
 * spool readable from its start (tmpfile()).  For a spool made with
 * open_memstream(&mem, &memlen), which cannot be read back, pass the
 * two pointers given to it; else NULL. */
void cs_jarray_init(struct cs_jarray *a, FILE *out, char **mem,
		    size_t *memlen);

/* Write one element (borrowed: the caller decrefs).  v NULL (an
 * allocation that failed) writes nothing and returns -1.  0 / -1. */
int cs_jarray_add(struct cs_jarray *a, json_t *v);

/* Write the document's opening and the first key: `{` and `"key": [`. */
int cs_jstream_begin(FILE *out, const char *first_key);

/* Close the array a that was written to out (a->out is out), or, when
 * a->out is another stream (a spool), copy its bytes to out first; the
 * spool is read from its start and left for the caller to fclose.
 * Then, when next_key is non-NULL, `,` and `"next_key": [` follow;
 * else the document's closing `}` and a newline.  Returns 0, -1 when a
 * write (or an earlier element of a) failed. */
int cs_jstream_next(FILE *out, struct cs_jarray *a, const char *next_key);

#endif
