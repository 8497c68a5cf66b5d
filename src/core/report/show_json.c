/*
 * show_json.c - `show` as JSON for programs (schema in
 * doc/json-schema.md, section "show"); see show.h.  What it shares with
 * the text form (show.c) is declared in show_int.h.
 *
 * Every string that came from a certificate passes through
 * cs_escape_utf8() + json_stringn() (escape.h): invalid UTF-8 is
 * repaired, jansson escapes controls, NUL is kept as \u0000.
 *
 * Does not: write anything (the CLI dumps the objects), decide anything.
 */
#include "report/show_int.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "escape.h"
#include "oid.h"

#define R_HEX_MAX 128       /* colon hex of a 32-byte digest + slack */

/* ---- small helpers --------------------------------------------------- */

/* see show.h */
json_t *cs_report_json_text(const char *s, size_t len)
{
	size_t n = 0;
	char *u;
	json_t *j;

	if (s == NULL)
		return json_null();
	u = cs_escape_utf8(s, len, &n);
	if (u == NULL)
		return NULL;
	j = json_stringn(u, n);
	free(u);
	return j;
}

static json_t *jstr(const char *s, size_t len)
{
	return cs_report_json_text(s, len);
}

static json_t *jstr0(const char *s)
{
	return jstr(s, s ? strlen(s) : 0);
}

static json_t *jtime(cs_time_t t)
{
	char buf[R_TIME_MAX];

	if (t == CS_TIME_NONE)
		return json_null();
	cs_time_format(t, buf, sizeof(buf));
	return json_string(buf);
}

/* Floor division, so that 1 second before expiry is day 0 and one second
 * after is day -1. */
static int64_t floor_days(int64_t secs)
{
	int64_t d = secs / R_SECS_PER_DAY;

	if (secs % R_SECS_PER_DAY != 0 && secs < 0)
		d--;
	return d;
}

/* ---- JSON ---------------------------------------------------------- */

/* json_object_set_new that remembers a failure instead of leaking. */
static void jset(json_t *o, const char *k, json_t *v, int *bad)
{
	if (v == NULL || json_object_set_new(o, k, v) < 0)
		*bad = 1;
}

static json_t *jstrlist(const struct cs_strlist *s, bool names)
{
	json_t *a = json_array();

	if (a == NULL)
		return NULL;
	for (size_t i = 0; i < s->n; i++) {
		const char *n = names ? cs_oid_name(s->v[i]) : NULL;

		if (json_array_append_new(a, n ? json_string(n) :
					  jstr0(s->v[i])) < 0) {
			json_decref(a);
			return NULL;
		}
	}
	return a;
}

static json_t *jnames(const struct cs_namelist *nl)
{
	json_t *a = json_array();

	if (a == NULL)
		return NULL;
	for (size_t i = 0; i < nl->n; i++) {
		json_t *o = json_object();
		int bad = 0;

		if (o == NULL) {
			json_decref(a);
			return NULL;
		}
		jset(o, "type",
		     json_string(cs_show_san_type_name(nl->v[i].type)), &bad);
		jset(o, "value", jstr(nl->v[i].value, nl->v[i].len), &bad);
		if (bad || json_array_append_new(a, o) < 0) {
			json_decref(a);
			return NULL;
		}
	}
	return a;
}

/* see show.h */
json_t *cs_report_origin_json(const struct cs_origin *o)
{
	json_t *j = json_object();
	int bad = 0;

	if (j == NULL)
		return NULL;
	jset(j, "file", jstr0(o->path), &bad);
	jset(j, "index", json_integer((json_int_t)o->index), &bad);
	jset(j, "line", o->line ? json_integer((json_int_t)o->line) :
	     json_null(), &bad);
	jset(j, "offset", json_integer((json_int_t)o->offset), &bad);
	jset(j, "format", json_string(cs_format_name(o->format)), &bad);
	if (bad) {
		json_decref(j);
		return NULL;
	}
	return j;
}

static json_t *ku_json(unsigned ku)
{
	json_t *a = json_array();

	for (size_t i = 0; a && i < cs_show_n_ku_names; i++)
		if ((ku & cs_show_ku_names[i].bit) &&
		    json_array_append_new(a, json_string(
				cs_show_ku_names[i].name)) < 0) {
			json_decref(a);
			return NULL;
		}
	return a;
}

/* see show.h */
json_t *cs_report_cert_json(const struct cs_item *item,
			    const struct cs_cert_model *m,
			    const struct cs_report_opts *o)
{
	json_t *j = json_object(), *x;
	char buf[R_HEX_MAX * 2];
	int bad = 0;

	if (j == NULL)
		return NULL;
	jset(j, "origin", cs_report_origin_json(&item->origin), &bad);
	jset(j, "version", json_integer(m->version), &bad);
	jset(j, "subject", jstr0(m->subject), &bad);
	jset(j, "issuer", jstr0(m->issuer), &bad);
	jset(j, "subject_cn", m->subject_cn ?
	     jstr(m->subject_cn, m->subject_cn_len) : json_null(), &bad);
	jset(j, "serial", json_string(m->serial_hex ? m->serial_hex : ""),
	     &bad);
	jset(j, "serial_negative", json_boolean(m->serial_negative), &bad);
	jset(j, "not_before", jtime(m->not_before), &bad);
	jset(j, "not_after", jtime(m->not_after), &bad);
	jset(j, "not_before_raw", jstr0(m->not_before_raw), &bad);
	jset(j, "not_after_raw", jstr0(m->not_after_raw), &bad);
	jset(j, "expires_in_days", m->not_after == CS_TIME_NONE ?
	     json_null() :
	     json_integer((json_int_t)floor_days(
		     cs_show_time_diff(m->not_after, o->now))),
	     &bad);
	jset(j, "expired", json_boolean(m->not_after != CS_TIME_NONE &&
					m->not_after <= o->now), &bad);
	jset(j, "not_yet_valid",
	     json_boolean(m->not_before != CS_TIME_NONE &&
			  m->not_before > o->now), &bad);
	jset(j, "sans", jnames(&m->sans), &bad);

	x = json_object();
	if (x) {
		jset(x, "type", m->key_alg[0] ? json_string(m->key_alg) :
		     json_null(), &bad);
		jset(x, "bits", m->key_bits ? json_integer(m->key_bits) :
		     json_null(), &bad);
		jset(x, "curve", m->key_curve[0] ? json_string(m->key_curve) :
		     json_null(), &bad);
	}
	jset(j, "key", x, &bad);
	jset(j, "signature_algorithm",
	     json_string(m->sig_alg[0] ? m->sig_alg : "unknown"), &bad);
	jset(j, "signature_oid", jstr0(m->sig_oid), &bad);

	x = json_object();
	if (x) {
		cs_hex_colon(buf, sizeof(buf), m->sha256, sizeof(m->sha256));
		jset(x, "sha256", json_string(buf), &bad);
		cs_hex_colon(buf, sizeof(buf), m->sha1, sizeof(m->sha1));
		jset(x, "sha1", json_string(buf), &bad);
	}
	jset(j, "fingerprints", x, &bad);
	jset(j, "spki_sha256", json_string(m->spki_sha256_b64), &bad);
	jset(j, "is_ca", json_boolean(m->is_ca), &bad);
	jset(j, "path_len", m->is_ca && m->path_len >= 0 ?
	     json_integer(m->path_len) : json_null(), &bad);
	jset(j, "self_issued", json_boolean(m->self_issued), &bad);
	/* null: not checked (show leaves that to verify) */
	jset(j, "self_signed", m->self_sig_checked ?
	     json_boolean(m->self_signed) : json_null(), &bad);
	jset(j, "basic_constraints", !m->has_basic_constraints ? json_null() :
	     json_pack("{s:b,s:b}", "ca", m->is_ca, "critical",
		       m->bc_critical), &bad);
	jset(j, "key_usage", m->has_key_usage ? ku_json(m->key_usage) :
	     json_null(), &bad);
	jset(j, "extended_key_usage", m->has_eku ? jstrlist(&m->eku, true) :
	     json_null(), &bad);
	jset(j, "subject_key_id", m->ski_hex[0] ? json_string(m->ski_hex) :
	     json_null(), &bad);
	jset(j, "authority_key_id", m->aki_hex[0] ?
	     json_string(m->aki_hex) : json_null(), &bad);
	x = json_object();
	if (x) {
		jset(x, "ocsp", jstrlist(&m->ocsp_urls, false), &bad);
		jset(x, "ca_issuers", jstrlist(&m->ca_issuer_urls, false),
		     &bad);
	}
	jset(j, "aia", x, &bad);
	jset(j, "crl_distribution_points", jstrlist(&m->crl_urls, false),
	     &bad);
	jset(j, "policies", jstrlist(&m->policies, false), &bad);
	if (m->has_name_constraints) {
		x = json_object();
		if (x) {
			jset(x, "critical", json_boolean(m->nc_critical),
			     &bad);
			jset(x, "permitted", jnames(&m->nc_permitted), &bad);
			jset(x, "excluded", jnames(&m->nc_excluded), &bad);
		}
		jset(j, "name_constraints", x, &bad);
	} else {
		jset(j, "name_constraints", json_null(), &bad);
	}
	x = json_array();
	for (size_t i = 0; x && i < m->n_scts; i++) {
		json_t *s = json_object();

		if (s == NULL || json_array_append_new(x, s) < 0) {
			bad = 1;
			break;
		}
		jset(s, "log_id", json_string(m->scts[i].log_id_b64), &bad);
		jset(s, "timestamp", jtime(m->scts[i].timestamp), &bad);
		jset(s, "version", json_integer(m->scts[i].version), &bad);
	}
	jset(j, "scts", x, &bad);
	x = json_array();
	for (size_t i = 0; x && i < m->n_exts; i++) {
		const char *n = cs_oid_name(m->exts[i].oid);
		json_t *e = json_object();

		if (e == NULL || json_array_append_new(x, e) < 0) {
			bad = 1;
			break;
		}
		jset(e, "oid", jstr0(m->exts[i].oid), &bad);
		jset(e, "name", n ? json_string(n) : json_null(), &bad);
		jset(e, "critical", json_boolean(m->exts[i].critical), &bad);
		jset(e, "decoded", json_boolean(m->exts[i].known), &bad);
	}
	jset(j, "extensions", x, &bad);
	jset(j, "warnings", jstrlist(&m->warnings, false), &bad);
	if (bad) {
		json_decref(j);
		return NULL;
	}
	return j;
}

/* see show.h */
json_t *cs_report_crl_json(const struct cs_item *item,
			   const struct cs_report_opts *o)
{
	struct cs_show_crl ci;
	json_t *j = json_object();
	int bad = 0;

	if (j == NULL)
		return NULL;
	cs_show_crl_info(item, &ci);
	jset(j, "origin", cs_report_origin_json(&item->origin), &bad);
	jset(j, "issuer", ci.issuer ? jstr(ci.issuer, ci.issuer_len) :
	     json_null(), &bad);
	jset(j, "this_update", jtime(ci.this_update), &bad);
	jset(j, "next_update", jtime(ci.next_update), &bad);
	jset(j, "stale", json_boolean(ci.next_update != CS_TIME_NONE &&
				      ci.next_update <= o->now), &bad);
	jset(j, "revoked_count", json_integer(ci.revoked), &bad);
	jset(j, "crl_number", ci.number[0] ? json_string(ci.number) :
	     json_null(), &bad);
	jset(j, "signature_algorithm", json_string(ci.sig), &bad);
	free(ci.issuer);
	if (bad) {
		json_decref(j);
		return NULL;
	}
	return j;
}

/* see show.h */
json_t *cs_report_error_json(const struct cs_item *item)
{
	json_t *j = json_object();
	int bad = 0;

	if (j == NULL)
		return NULL;
	jset(j, "origin", cs_report_origin_json(&item->origin), &bad);
	jset(j, "file", jstr0(item->origin.path), &bad);
	jset(j, "index", json_integer((json_int_t)item->origin.index), &bad);
	jset(j, "line", item->origin.line ?
	     json_integer((json_int_t)item->origin.line) : json_null(), &bad);
	jset(j, "error", jstr0(item->err.msg), &bad);
	jset(j, "kind", json_string(cs_error_name(item->err.code)), &bad);
	if (bad) {
		json_decref(j);
		return NULL;
	}
	return j;
}
