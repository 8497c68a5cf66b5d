/*
 * asn1.h - `certscope asn1` as a text tree and as JSON (schema in
 * doc/json-schema.md, section "asn1").
 *
 * Text, one line an element:
 *     OFFSET HDR+LEN  <indent>TAG [LABEL][: VALUE]
 * then, after a fault, "error at offset N: REASON".  Strings and any
 * other bytes from the input are escaped (escape.h, CS_ESC_TEXT).
 *
 * Does not: decide anything (the dump is x509/asn1.c's), or exit.
 */
#ifndef CS_REPORT_ASN1_H
#define CS_REPORT_ASN1_H

#include <jansson.h>
#include <stdio.h>

#include "x509/asn1.h"

/* The dumps of one input as text onto OUT; a PEM block is introduced
 * by a line naming its label and line.  Returns 0, -1 when a write
 * failed or memory ran out. */
int cs_report_asn1_text(FILE *out, const struct cs_asn1_list *l);

/* A new JSON object {"input": NAME, "structures": [...]} (caller
 * json_decref()s), NULL on out of memory. */
json_t *cs_report_asn1_json(const struct cs_asn1_list *l, const char *name);

#endif
