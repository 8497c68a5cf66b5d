/* see asn1.h: the text tree and the JSON of a structural dump */
#include "report/asn1.h"

#include <stdlib.h>
#include <string.h>

#include "escape.h"
#include "report/show.h"

/* Digits of the largest offset, so the columns line up. */
static int offset_width(const struct cs_asn1_dump *d)
{
	int w = 1;

	for (size_t v = d->der_len; v >= 10; v /= 10)
		w++;
	return w < 4 ? 4 : w;
}

/* ": VALUE" of a primitive node; 0, or -1 on a write or memory failure. */
static int text_value(FILE *out, const struct cs_asn1_node *n)
{
	char *e;
	int rc;

	switch (n->vkind) {
	case CS_ASN1_V_NONE:
		return 0;
	case CS_ASN1_V_TEXT:
		e = cs_escape(n->value, n->value_len, CS_ESC_TEXT);
		if (!e)
			return -1;
		rc = fprintf(out, ": \"%s\"%s", e, n->value_cut ? "..." : "");
		free(e);
		return rc < 0 ? -1 : 0;
	case CS_ASN1_V_HEX:
		if (n->unused_bits &&
		    fprintf(out, ": (%u unused bits)", n->unused_bits) < 0)
			return -1;
		if (n->value_len == 0)
			return fputs(n->unused_bits ? "" : ": (empty)", out) ==
			       EOF ? -1 : 0;
		rc = fprintf(out, "%s %s", n->unused_bits ? "" : ":",
			     n->value);
		if (rc >= 0 && n->value_cut)
			rc = fprintf(out, "... (%zu bytes)",
				     n->len - (n->tag == 0x03));
		return rc < 0 ? -1 : 0;
	case CS_ASN1_V_OID:
		rc = n->oid_name ? fprintf(out, ": %s (%s)", n->value,
					   n->oid_name)
				 : fprintf(out, ": %s", n->value);
		return rc < 0 ? -1 : 0;
	default:
		return fprintf(out, ": %s", n->value) < 0 ? -1 : 0;
	}
}

static int text_dump(FILE *out, const struct cs_asn1_dump *d)
{
	int w = offset_width(d);
	char tag[32];

	for (size_t i = 0; i < d->n; i++) {
		const struct cs_asn1_node *n = &d->nodes[i];

		char hl[48];

		snprintf(hl, sizeof(hl), "%zu+%zu", n->hdr, n->len);
		if (fprintf(out, "%*zu %-*s %*s%s", w, n->offset, w + 3, hl,
			    (int)(2 * n->depth), "",
			    cs_asn1_tag_name(n->tag, tag, sizeof(tag))) < 0)
			return -1;
		if (n->label && fprintf(out, " %s", n->label) < 0)
			return -1;
		if (n->encapsulates && fputs(" (encapsulates)", out) == EOF)
			return -1;
		if (text_value(out, n) < 0 || fputc('\n', out) == EOF)
			return -1;
	}
	if (d->fault && fprintf(out, "error at offset %zu: %s\n",
				d->fault_offset, d->reason) < 0)
		return -1;
	return 0;
}

/* see asn1.h */
int cs_report_asn1_text(FILE *out, const struct cs_asn1_list *l)
{
	for (size_t i = 0; i < l->n; i++) {
		const struct cs_asn1_dump *d = &l->v[i];

		if (i > 0 && fputc('\n', out) == EOF)
			return -1;
		if (d->pem && d->skipped) {
			if (fprintf(out, "PEM block '%s' at line %zu: a private "
				    "key, not dumped (keys are never "
				    "printed)\n", d->pem_label,
				    d->pem_line) < 0)
				return -1;
			continue;
		}
		if (d->skipped) {
			if (fprintf(out, "a private key, %zu bytes of DER, not "
				    "dumped (keys are never printed)\n",
				    d->der_len) < 0)
				return -1;
			continue;
		}
		if (d->pem && d->pem_label[0] && d->der_len &&
		    fprintf(out, "PEM block '%s' at line %zu, %zu bytes of "
			    "DER:\n", d->pem_label, d->pem_line,
			    d->der_len) < 0)
			return -1;
		if (d->pem && (!d->pem_label[0] || !d->der_len) && d->fault &&
		    !d->n) {
			/* the block itself is bad: no DER to speak of */
			if (fprintf(out, "error: %s\n", d->reason) < 0)
				return -1;
			continue;
		}
		if (text_dump(out, d) < 0)
			return -1;
	}
	return 0;
}

/* json_object_set_new that remembers a failure instead of leaking. */
static void put(json_t *o, const char *k, json_t *v, int *bad)
{
	if (v == NULL || json_object_set_new(o, k, v) < 0)
		*bad = 1;
}

static json_t *json_value(const struct cs_asn1_node *n)
{
	switch (n->vkind) {
	case CS_ASN1_V_BOOL:
		return json_boolean(n->value[0] == 't');
	case CS_ASN1_V_NUMBER:
		return json_integer((json_int_t)strtoll(n->value, NULL, 10));
	default:
		return cs_report_json_text(n->value, n->value_len);
	}
}

static const char *const vkind_name[] = {
	[CS_ASN1_V_NONE] = NULL, [CS_ASN1_V_BOOL] = "boolean",
	[CS_ASN1_V_NUMBER] = "number", [CS_ASN1_V_HEX] = "hex",
	[CS_ASN1_V_OID] = "oid", [CS_ASN1_V_TIME] = "time",
	[CS_ASN1_V_TEXT] = "text",
};

/* Node *I and its descendants (indices rise; *i ends past them). */
static json_t *json_node(const struct cs_asn1_dump *d, size_t *i)
{
	const struct cs_asn1_node *n = &d->nodes[*i];
	json_t *j = json_object(), *kids = NULL;
	char tag[32];
	int bad = j == NULL;

	if (bad)
		return NULL;
	put(j, "offset", json_integer((json_int_t)n->offset), &bad);
	put(j, "header", json_integer((json_int_t)n->hdr), &bad);
	put(j, "length", json_integer((json_int_t)n->len), &bad);
	put(j, "tag", json_string(cs_asn1_tag_name(n->tag, tag,
						    sizeof(tag))), &bad);
	put(j, "class", json_string(cs_asn1_tag_class(n->tag)), &bad);
	put(j, "number", json_integer(n->tag & 0x1f), &bad);
	put(j, "constructed", json_boolean(n->tag & 0x20), &bad);
	put(j, "label", n->label ? json_string(n->label) : json_null(), &bad);
	if (n->vkind != CS_ASN1_V_NONE) {
		put(j, "value_type", json_string(vkind_name[n->vkind]), &bad);
		put(j, "value", json_value(n), &bad);
		if (n->value_cut)
			put(j, "truncated", json_true(), &bad);
		if (n->tag == 0x03)
			put(j, "unused_bits", json_integer(n->unused_bits),
			    &bad);
		if (n->vkind == CS_ASN1_V_OID)
			put(j, "oid_name", n->oid_name ?
			    json_string(n->oid_name) : json_null(), &bad);
	}
	if (n->encapsulates)
		put(j, "encapsulated", json_true(), &bad);
	(*i)++;
	if ((n->tag & 0x20) || n->encapsulates) {
		kids = json_array();
		if (!kids)
			bad = 1;
		while (!bad && *i < d->n && d->nodes[*i].depth > n->depth)
			if (json_array_append_new(kids, json_node(d, i)) < 0)
				bad = 1;
		put(j, "children", kids, &bad);
	}
	if (bad) {
		json_decref(j);
		return NULL;
	}
	return j;
}

static json_t *json_dump(const struct cs_asn1_dump *d)
{
	json_t *j = json_object(), *els = json_array(), *err = NULL;
	int bad = j == NULL;
	size_t i = 0;

	if (d->pem) {
		json_t *p = json_object();

		if (p) {
			put(p, "label", cs_report_json_text(d->pem_label,
							    strlen(d->pem_label)),
			    &bad);
			put(p, "line", json_integer((json_int_t)d->pem_line),
			    &bad);
		}
		put(j, "pem", p, &bad);
	} else {
		put(j, "pem", json_null(), &bad);
	}
	put(j, "length", json_integer((json_int_t)d->der_len), &bad);
	put(j, "skipped", json_boolean(d->skipped), &bad);
	while (!bad && els && i < d->n)
		if (json_array_append_new(els, json_node(d, &i)) < 0)
			bad = 1;
	put(j, "elements", els, &bad);
	if (d->fault) {
		err = json_object();
		if (err) {
			put(err, "offset", json_integer(
				    (json_int_t)d->fault_offset), &bad);
			put(err, "reason", json_string(d->reason), &bad);
		}
		put(j, "error", err, &bad);
	} else {
		put(j, "error", json_null(), &bad);
	}
	if (bad) {
		json_decref(j);
		return NULL;
	}
	return j;
}

/* see asn1.h */
json_t *cs_report_asn1_json(const struct cs_asn1_list *l, const char *name)
{
	json_t *j = json_object(), *a = json_array();
	int bad = j == NULL;

	put(j, "input", cs_report_json_text(name, strlen(name)), &bad);
	for (size_t i = 0; !bad && a && i < l->n; i++)
		if (json_array_append_new(a, json_dump(&l->v[i])) < 0)
			bad = 1;
	put(j, "structures", a, &bad);
	if (bad) {
		json_decref(j);
		return NULL;
	}
	return j;
}
