/*
 * show.h - `certscope show`: certificates and CRLs as text (show.c), as
 * JSON (show_json.c) and as PEM, always onto a FILE * it is given (the
 * CLI passes stdout; tests pass open_memstream()).
 *
 * Text is for people: short, aligned, colour only when asked.  Every
 * string that came from a certificate goes through escape.h first, so a
 * name can never move the cursor, reorder text, add a line or a Nagios
 * '|'.  JSON (jansson) is for programs: schema in doc/json-schema.md,
 * RFC 3339 UTC times, stable keys.
 *
 * Does not: decide exit codes, read options, or print errors about
 * inputs (the CLI does that on stderr).
 */
#ifndef CS_REPORT_H
#define CS_REPORT_H

#include <stdbool.h>
#include <stdio.h>
#include <jansson.h>

#include "input/load.h"
#include "x509/model.h"

struct cs_report_opts {
	bool color;     /* ANSI colour (the CLI decides: tty, NO_COLOR, --color) */
	bool long_view; /* --long: every extension, SHA-1, SPKI pin */
	cs_time_t now;  /* for "expires in 23 days" */
};

/*
 * The model `show` prints for a certificate item: the parts its view
 * prints (everything for --json and --long, the short view's fields
 * otherwise; see CS_MODEL_DETAILS in model.h), and no self-signature
 * check: that is verify's work, and a public-key operation per root.  The
 * text then says "self-issued" (from the names and the key identifiers)
 * and the JSON gives self_signed as null.  Fields GnuTLS makes costly
 * are read from the DER where they are plain (CS_MODEL_FROM_DER).  An
 * item loaded with defer_import (crt NULL) is decoded here and freed
 * again, so a run holds one decoded certificate at a time; one GnuTLS
 * refuses fails with the loader's message for it.  Returns 0, or -1 with
 * *err (*m left empty, safe to cs_model_free).
 */
CS_MUST_CHECK int cs_report_cert_model(struct cs_cert_model *m,
				       const struct cs_item *item,
				       const struct cs_report_opts *o,
				       bool json, struct cs_error *err);

/* One text block for one certificate.  Returns 0, -1 on write error. */
int cs_report_cert_text(FILE *out, const struct cs_item *item,
			const struct cs_cert_model *m,
			const struct cs_report_opts *o);

/* One text block for a CRL item. */
int cs_report_crl_text(FILE *out, const struct cs_item *item,
		       const struct cs_report_opts *o);

/* A new JSON object for one certificate (caller json_decref()s), NULL on
 * allocation failure. */
json_t *cs_report_cert_json(const struct cs_item *item,
			    const struct cs_cert_model *m,
			    const struct cs_report_opts *o);

/* A new JSON object for one CRL item. */
json_t *cs_report_crl_json(const struct cs_item *item,
			   const struct cs_report_opts *o);

/* A new JSON object {"error": ..., "kind": ..., "origin": {...}} */
json_t *cs_report_error_json(const struct cs_item *item);

/* A JSON string of untrusted bytes (S of LEN, NULL: JSON null): invalid
 * UTF-8 repaired with cs_escape_utf8(), NUL kept as \u0000.  NULL on
 * out of memory. */
json_t *cs_report_json_text(const char *s, size_t len);

/* JSON object for an origin {"file":..., "index":..., "line":..., ...} */
json_t *cs_report_origin_json(const struct cs_origin *o);

/* Write the item's DER as a PEM block (CERTIFICATE or X509 CRL). */
int cs_report_pem(FILE *out, const struct cs_item *item);

/* Human duration relative to now, into out: for an end date "expires in
 * 23 days", "expires now" or "expired 4 days ago"; for a start date "not
 * yet valid, starts in 3 days" or "started 2 years ago". */
void cs_report_relative(cs_time_t t, cs_time_t now, bool is_end, char *out,
			size_t outsz);

#endif
