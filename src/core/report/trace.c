/*
 * trace.c - see trace.h.  One table says how each field reads in a line
 * and whether JSON makes it an array; the few steps that read as a
 * sentence (resolve, stopped) and the Certificate's names are done by
 * hand.
 */
#include "report/trace.h"

#include <stdlib.h>
#include <string.h>

#include "escape.h"
#include "x509/model.h"

#define LABEL_WIDTH 23 /* "<- EncryptedExtensions" and a space */

/* How a field reads: pre VALUE post, after sep (NULL: ", ") unless it is
 * the first; a list's values are joined by join. */
static const struct key_fmt {
	const char *key;
	const char *pre, *post, *sep;
	const char *join; /* non-NULL for a list: JSON makes it an array,
			     even of one value */
	const char *one;  /* post for the number 1, NULL: post */
} key_fmts[] = {
	{"host", "", "", NULL, NULL, NULL},
	{"addresses", "-> ", "", " ", ", ", NULL},
	{"address", "", "", NULL, NULL, NULL},
	{"transport", "(", ")", " ", NULL, NULL},
	{"line", "", "", NULL, NULL, NULL},
	{"data", "", "", NULL, NULL, NULL},
	{"bytes", "(", " bytes)", " ", NULL, " byte)"},
	{"lines_not_shown", "... ", " more lines received, not shown", NULL,
	 NULL, NULL},
	{"limit", "(limit ", ")", " ", NULL, NULL},
	{"versions", "", " offered", NULL, " ", NULL},
	{"sni", "SNI ", "", NULL, NULL, NULL},
	{"alpn_protocols", "ALPN ", "", NULL, ",", NULL},
	{"groups", "", " groups", NULL, NULL, " group"},
	{"cipher_suites", "", " cipher suites", NULL, NULL, " cipher suite"},
	{"status_request", "status_request", "", NULL, NULL, NULL},
	{"version", "", "", NULL, NULL, NULL},
	{"cipher_suite", "", "", NULL, NULL, NULL},
	{"cipher", "cipher ", "", NULL, NULL, NULL},
	{"group", "group ", "", NULL, NULL, NULL},
	{"alpn", "ALPN ", "", NULL, NULL, NULL},
	{"certificates", "", " certificates", NULL, NULL, " certificate"},
	{"ocsp_staple_bytes", "OCSP staple ", " bytes", "; ", NULL, NULL},
	{"key_exchange", "", "", NULL, NULL, NULL},
	{"signature", "", "", NULL, NULL, NULL},
	{"subject", "", "", NULL, NULL, NULL},
	{"empty", "no certificate", "", NULL, NULL, NULL},
	{"type", "type ", "", NULL, NULL, NULL},
	{"alert", "", "", NULL, NULL, NULL},
	{"code", "(", ")", " ", NULL, NULL},
	{"level", "", "", NULL, NULL, NULL},
};

static const struct key_fmt *key_fmt(const char *key)
{
	static const struct key_fmt unknown = {NULL, "", "", NULL, NULL,
					       NULL};
	size_t i;

	for (i = 0; i < sizeof(key_fmts) / sizeof(key_fmts[0]); i++)
		if (!strcmp(key_fmts[i].key, key))
			return &key_fmts[i];
	return &unknown;
}

static const char *dir_arrow(enum cs_net_trace_dir d)
{
	return d == CS_TRACE_SENT ? "-> " : d == CS_TRACE_RECEIVED ? "<- " :
								      "";
}

static const char *dir_name(enum cs_net_trace_dir d)
{
	return d == CS_TRACE_SENT ? "sent" : d == CS_TRACE_RECEIVED ?
					     "received" : "local";
}

/* The first field of st named key, NULL when none. */
static const struct cs_net_trace_field *
field(const struct cs_net_trace_step *st, const char *key)
{
	unsigned i;

	for (i = 0; i < st->nf; i++)
		if (!strcmp(st->f[i].key, key))
			return &st->f[i];
	return NULL;
}

/* The names of the chain's certificates (a CN, else the subject DN),
 * each through put(name, len, ctx); whether the chain is the one the
 * Certificate step counted. */
static bool chain_names(const struct cs_itemlist *chain, long long count,
			void (*put)(const char *, size_t, void *), void *ctx)
{
	size_t i;

	if (!chain || count < 0 || chain->n != (size_t)count)
		return false;
	for (i = 0; i < chain->n; i++) {
		const struct cs_item *it = &chain->items[i];
		struct cs_cert_model m;
		struct cs_error err;

		memset(&m, 0, sizeof(m));
		if (it->kind != CS_ITEM_CERT ||
		    cs_model_build(&m, it->crt, it->der, it->der_len,
				   CS_MODEL_FROM_DER | CS_MODEL_DETAILS,
				   &err) < 0) /* the CN; no self-signature */
			put("(unparsable)", 12, ctx);
		else if (m.subject_cn)
			put(m.subject_cn, m.subject_cn_len, ctx);
		else
			put(m.subject, strlen(m.subject), ctx);
		cs_model_free(&m);
	}
	return true;
}

/* ---- text --------------------------------------------------------- */

struct line {
	FILE *out;
	bool cut;   /* a value was cut at its limit */
	size_t n;   /* names written (chain_names) */
};

static void put_text(FILE *out, const char *s, size_t len)
{
	char *e = cs_escape(s, len, CS_ESC_TEXT);

	fputs(e ? e : "?", out);
	free(e);
}

static void put_value(struct line *l, const struct cs_net_trace_field *f)
{
	if (f->kind == CS_TRACE_NUM)
		fprintf(l->out, "%lld", f->num);
	if (f->kind != CS_TRACE_TEXT)
		return;
	put_text(l->out, f->text, f->len);
	if (f->cut) {
		fputs("...", l->out);
		l->cut = true;
	}
}

static void put_name(const char *s, size_t len, void *ctx)
{
	struct line *l = ctx;

	fputs(l->n++ ? ", " : ": ", l->out);
	put_text(l->out, s, len);
}

/* The fields of st in words, as the table says, but the one named skip
 * (may be NULL). */
static void text_fields(struct line *l, const struct cs_net_trace_step *st,
			const char *skip, const struct cs_itemlist *chain)
{
	const struct cs_net_trace_field *f;
	const struct key_fmt *k;
	const char *sep = "";
	unsigned i;
	bool next_same;

	for (i = 0; i < st->nf; i++) {
		f = &st->f[i];
		if (skip && !strcmp(f->key, skip))
			continue;
		k = key_fmt(f->key);
		if (!k->key) /* a key this table does not know: by name */
			fprintf(l->out, "%s%s%s", sep, f->key,
				f->kind == CS_TRACE_FLAG ? "" : " ");
		else if (k->join && i > 0 && !strcmp(st->f[i - 1].key, f->key))
			fputs(k->join, l->out);
		else
			fprintf(l->out, "%s%s", *sep && k->sep ? k->sep : sep,
				k->pre);
		sep = ", ";
		put_value(l, f);
		next_same = k->join && i + 1 < st->nf &&
			    !strcmp(st->f[i + 1].key, f->key);
		if (next_same || !k->key)
			continue;
		fputs(k->one && f->num == 1 ? k->one : k->post, l->out);
		if (!strcmp(f->key, "certificates")) {
			l->n = 0;
			(void)chain_names(chain, f->num, put_name, l);
		}
	}
}

/* "www.example.test -> 192.0.2.1" and how they were found. */
static void text_resolve(struct line *l, const struct cs_net_trace_step *st)
{
	const struct cs_net_trace_field *how = field(st, "how");

	/* "how" reads as a sentence at the end */
	text_fields(l, st, "how", NULL);
	if (how && !strcmp(how->text, "literal"))
		fputs(" (an IP address: no lookup)", l->out);
	else if (how && !strcmp(how->text, "localhost"))
		fputs(" (localhost: no lookup, RFC 6761)", l->out);
}

/* "after <- ServerHello: the reason". */
static void text_stopped(struct line *l, const struct cs_net_trace_step *st)
{
	const struct cs_net_trace_field *after = field(st, "after");
	const struct cs_net_trace_field *dir = field(st, "after_direction");
	const struct cs_net_trace_field *why = field(st, "reason");

	if (after) {
		fprintf(l->out, "after %s", dir && !strcmp(dir->text, "sent") ?
			"-> " : "<- ");
		put_value(l, after);
		fputs(why ? ": " : "", l->out);
	}
	if (why)
		put_value(l, why);
}

/* One line: time, direction and name, then the details, if any. */
static int text_step(FILE *out, const struct cs_net_trace_step *st,
		     const struct cs_itemlist *chain)
{
	char *d = NULL;
	size_t len = 0;
	struct line l = {open_memstream(&d, &len), false, 0};
	int w;

	if (!l.out)
		return -1;
	if (!strcmp(st->what, "resolve"))
		text_resolve(&l, st);
	else if (!strcmp(st->what, "stopped"))
		text_stopped(&l, st);
	else
		text_fields(&l, st, NULL, chain);
	if (l.cut)
		fprintf(l.out, " (cut at %d bytes)", CS_NET_TRACE_MAX_VALUE);
	if (st->more)
		fprintf(l.out, " (%u more details not kept, limit %d)",
			st->more, CS_NET_TRACE_MAX_FIELDS);
	if (fclose(l.out) != 0) {
		free(d);
		return -1;
	}
	w = fprintf(out, "%6lld ms  %s%s", (long long)st->ms,
		    dir_arrow(st->dir), st->what);
	if (len)
		fprintf(out, "%*s%s", w < 11 + LABEL_WIDTH ?
			11 + LABEL_WIDTH - w : 1, "", d);
	fputc('\n', out);
	free(d);
	return 0;
}

/* see trace.h */
int cs_report_trace_text(FILE *out, const struct cs_net_trace *t,
			 const struct cs_itemlist *chain)
{
	size_t i;

	for (i = 0; i < t->n; i++)
		if (text_step(out, &t->v[i], chain) < 0)
			return -1;
	if (t->dropped)
		fprintf(out, "%*s... %zu more steps not recorded (limit %d)\n",
			11, "", t->dropped, CS_NET_TRACE_MAX_STEPS);
	return ferror(out) ? -1 : 0;
}

/* ---- JSON --------------------------------------------------------- */

static json_t *json_text(const char *s, size_t len)
{
	size_t l = 0;
	char *u = cs_escape_utf8(s, len, &l);
	json_t *j = u ? json_stringn(u, l) : NULL;

	free(u);
	return j;
}

static void put_json_name(const char *s, size_t len, void *ctx)
{
	json_array_append_new(ctx, json_text(s, len));
}

static json_t *json_details(const struct cs_net_trace_step *st,
			    const struct cs_itemlist *chain)
{
	const struct cs_net_trace_field *f;
	json_t *d = json_object(), *v, *a;
	bool cut = false;
	unsigned i;

	for (i = 0; d && i < st->nf; i++) {
		f = &st->f[i];
		v = f->kind == CS_TRACE_NUM ? json_integer(f->num) :
		    f->kind == CS_TRACE_FLAG ? json_true() :
					       json_text(f->text, f->len);
		cut |= f->cut;
		if (!key_fmt(f->key)->join) {
			json_object_set_new(d, f->key, v);
			continue;
		}
		a = json_object_get(d, f->key);
		if (!a) {
			a = json_array();
			json_object_set_new(d, f->key, a);
		}
		json_array_append_new(a, v);
	}
	f = field(st, "certificates");
	a = f ? json_array() : NULL;
	if (d && a && chain_names(chain, f->num, put_json_name, a))
		json_object_set(d, "subjects", a);
	json_decref(a);
	if (d && cut)
		json_object_set_new(d, "cut_at_bytes",
				    json_integer(CS_NET_TRACE_MAX_VALUE));
	if (d && st->more)
		json_object_set_new(d, "details_not_kept",
				    json_integer(st->more));
	return d;
}

/* see trace.h */
json_t *cs_report_trace_json(const struct cs_net_trace *t,
			     const struct cs_itemlist *chain)
{
	const struct cs_net_trace_step *st;
	json_t *arr = json_array();
	size_t i;

	for (i = 0; arr && i < t->n; i++) {
		st = &t->v[i];
		json_array_append_new(arr, json_pack("{s:I,s:s,s:s,s:o*}",
			"time_ms", (json_int_t)st->ms, "direction",
			dir_name(st->dir), "message", st->what, "details",
			json_details(st, chain)));
	}
	if (arr && t->dropped)
		json_array_append_new(arr, json_pack(
			"{s:I,s:s,s:s,s:{s:I,s:i}}", "time_ms",
			(json_int_t)(t->n ? t->v[t->n - 1].ms : 0),
			"direction", "local", "message", "limit", "details",
			"steps_not_recorded", (json_int_t)t->dropped,
			"limit", CS_NET_TRACE_MAX_STEPS));
	return arr;
}
