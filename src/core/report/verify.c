/*
 * report_verify.c - see report_verify.h.
 */
#include "report/verify.h"

#include <stdlib.h>
#include <string.h>

#include "escape.h"

#define RV_NAME_COL 39   /* column where "expires" starts in the tree */
#define RV_KEY_COL 73    /* column where the key starts */
#define RV_MIN_GAP 2     /* spaces at least between tree columns */
#define RV_SECS_PER_DAY 86400
#define RV_TIME_MAX 32   /* cs_time_format() output */
#define RV_KEY_MAX 64    /* "ECDSA P-256" */
#define RV_LINE_MAX 256  /* one validity phrase */
#define RV_UNTIL_MAX 1024 /* the valid-until sentence */

#define C_RESET "\033[0m"
#define C_BOLD "\033[1m"
#define C_RED "\033[1;31m"
#define C_GREEN "\033[1;32m"
#define C_YELLOW "\033[33m"
#define C_CYAN "\033[36m"

/* Columns a UTF-8 string takes: one per character, which is right for
 * the escaped names we print (no controls left; wide CJK is rare in
 * certificate names and only shifts the alignment). */
static size_t width(const char *s)
{
	size_t w = 0;

	for (; *s; s++)
		if (((unsigned char)*s & 0xc0) != 0x80)
			w++;
	return w;
}

/* Pad from column used to column col (at least RV_MIN_GAP spaces);
 * returns the column reached. */
static size_t pad(FILE *out, size_t used, size_t col)
{
	size_t n = used + RV_MIN_GAP > col ? RV_MIN_GAP : col - used;

	fprintf(out, "%*s", (int)n, "");
	return used + n;
}

static char *esc_text(const char *s, size_t len)
{
	return cs_escape(s ? s : "", s ? len : 0, CS_ESC_TEXT);
}

/* see report_verify.h */
void cs_report_verify_key(const struct cs_cert_model *m, char *buf,
			  size_t bufsz)
{
	if (!m->key_alg[0])
		snprintf(buf, bufsz, "unknown key");
	else if (m->key_curve[0])
		snprintf(buf, bufsz, "%s %s", m->key_alg, m->key_curve);
	else if (m->key_bits && strcmp(m->key_alg, "Ed25519") &&
		 strcmp(m->key_alg, "Ed448"))
		snprintf(buf, bufsz, "%s %u", m->key_alg, m->key_bits);
	else
		snprintf(buf, bufsz, "%s", m->key_alg);
}

static void date_only(cs_time_t t, char *buf, size_t bufsz)
{
	char full[RV_TIME_MAX];
	char *tpos;

	cs_time_format(t, full, sizeof(full));
	tpos = strchr(full, 'T');
	if (tpos)
		*tpos = '\0';
	snprintf(buf, bufsz, "%s", full);
}

/* Whole days between a and b, rounded towards zero. */
static long long days_between(cs_time_t a, cs_time_t b)
{
	return (long long)((b - a) / RV_SECS_PER_DAY);
}

/* "expires 2027-12-31 (in 578 days)", "expired 2025-01-01 (517 days
 * ago)", "valid from 2030-01-01 (in 1310 days)" relative to at. */
static void validity_phrase(const struct cs_cert_model *m, cs_time_t at,
			    bool relative, char *buf, size_t bufsz)
{
	char d[RV_TIME_MAX];
	long long n;

	if (m->not_before != CS_TIME_NONE && at < m->not_before) {
		date_only(m->not_before, d, sizeof(d));
		n = days_between(at, m->not_before);
		snprintf(buf, bufsz, "valid from %s (in %lld day%s)", d, n,
			 n == 1 ? "" : "s");
	} else if (m->not_after != CS_TIME_NONE && at > m->not_after) {
		date_only(m->not_after, d, sizeof(d));
		n = days_between(m->not_after, at);
		snprintf(buf, bufsz, "expired %s (%lld day%s ago)", d, n,
			 n == 1 ? "" : "s");
	} else if (m->not_after != CS_TIME_NONE) {
		date_only(m->not_after, d, sizeof(d));
		n = days_between(at, m->not_after);
		if (relative)
			snprintf(buf, bufsz, "expires %s (in %lld day%s)", d,
				 n, n == 1 ? "" : "s");
		else
			snprintf(buf, bufsz, "expires %s", d);
	} else {
		snprintf(buf, bufsz, "no expiry date");
	}
}

/* The name shown for a certificate: its CN, else its whole subject. */
static char *display_name(const struct cs_cert_model *m)
{
	if (m->subject_cn && m->subject_cn_len)
		return esc_text(m->subject_cn, m->subject_cn_len);
	return esc_text(m->subject, m->subject ? strlen(m->subject) : 0);
}

static int tree_line(FILE *out, const struct cs_path_elem *e, size_t depth,
		     const struct cs_verify_report_opts *o)
{
	char phrase[RV_LINE_MAX], key[RV_KEY_MAX];
	char *name = display_name(&e->model);
	size_t used = 2;
	bool expired;

	if (!name)
		return -1;
	fputs("  ", out);
	if (depth > 0) {
		fprintf(out, "%*s\u2514\u2500 ", (int)(3 * (depth - 1)), "");
		used += 3 * (depth - 1) + 3;
	}
	fputs(name, out);
	used += width(name);
	if (e->is_anchor) {
		fputs(" (trust anchor)", out);
		used += strlen(" (trust anchor)");
	}
	used = pad(out, used, RV_NAME_COL);
	validity_phrase(&e->model, o->at, depth == 0, phrase,
			sizeof(phrase));
	expired = (e->model.not_after != CS_TIME_NONE &&
		   o->at > e->model.not_after) ||
		  (e->model.not_before != CS_TIME_NONE &&
		   o->at < e->model.not_before);
	if (o->color && expired)
		fprintf(out, C_RED "%s" C_RESET, phrase);
	else
		fputs(phrase, out);
	pad(out, used + width(phrase), RV_KEY_COL);
	cs_report_verify_key(&e->model, key, sizeof(key));
	fprintf(out, "%s\n", key);
	free(name);
	return 0;
}

static const char *sev_color(enum cs_severity s)
{
	switch (s) {
	case CS_SEV_ERROR:
		return C_RED;
	case CS_SEV_WARNING:
		return C_YELLOW;
	case CS_SEV_INFO:
	default:
		return C_CYAN;
	}
}

static int finding_text(FILE *out, const struct cs_finding *f,
			const struct cs_verify_result *res,
			const struct cs_verify_report_opts *o)
{
	const char *sev = cs_severity_name(f->severity);
	char *who = NULL, *msg = NULL, *fix = NULL;
	int rc = -1;

	if (f->cert >= 0 && (size_t)f->cert < res->path_len)
		who = display_name(&res->path[f->cert].model);
	else if (f->subject)
		who = esc_text(f->subject, strlen(f->subject));
	msg = esc_text(f->message, f->message ? strlen(f->message) : 0);
	if (f->fix)
		fix = esc_text(f->fix, strlen(f->fix));
	if (!msg || (f->fix && !fix))
		goto out;
	fputc('\n', out);
	if (o->color)
		fprintf(out, "%s%s" C_RESET "  " C_BOLD "%s" C_RESET,
			sev_color(f->severity), sev, f->code);
	else
		fprintf(out, "%s  %s", sev, f->code);
	if (f->cert >= 0)
		fprintf(out, "  [%d]", f->cert);
	if (who && *who)
		fprintf(out, " %s", who);
	fputc('\n', out);
	if (*msg)
		fprintf(out, "  %s\n", msg);
	if (fix && *fix)
		fprintf(out, "  fix: %s\n", fix);
	rc = 0;
out:
	free(who);
	free(msg);
	free(fix);
	return rc;
}

/* see report_verify.h */
int cs_report_verify_until_text(char *buf, size_t bufsz,
				 const struct cs_verify_result *res)
{
	char d[RV_TIME_MAX], d2[RV_TIME_MAX], d3[RV_TIME_MAX];
	char *name, *anchor = NULL;
	int n;

	if (!res->trusted || res->valid_until == CS_TIME_NONE ||
	    res->limited_by < 0 || (size_t)res->limited_by >= res->path_len)
		return 0;
	name = display_name(&res->path[res->limited_by].model);
	if (res->later_anchor)
		anchor = esc_text(res->later_anchor, strlen(res->later_anchor));
	if (!name || (res->later_anchor && !anchor)) {
		free(name);
		free(anchor);
		return -1;
	}
	date_only(res->valid_until, d, sizeof(d));
	n = snprintf(buf, bufsz, "valid until %s (limited by '%s', "
		     "certificate %d%s)", d, name, res->limited_by,
		     res->path[res->limited_by].is_anchor ? ", the trust anchor"
							  : "");
	if (anchor && n >= 0 && (size_t)n < bufsz) {
		date_only(res->later_until, d2, sizeof(d2));
		if (res->later_anchor_until != CS_TIME_NONE)
			date_only(res->later_anchor_until, d3, sizeof(d3));
		else
			snprintf(d3, sizeof(d3), "never");
		snprintf(buf + n, bufsz - (size_t)n, "; another path, through "
			 "the trust anchor '%s' (expires %s), stays valid "
			 "until %s", anchor, d3, d2);
	}
	free(name);
	free(anchor);
	return 1;
}

/* see report_verify.h */
int cs_report_verify_text(FILE *out, const char *file,
			  const struct cs_verify_result *res,
			  const struct cs_verify_report_opts *o)
{
	char *name = esc_text(file, file ? strlen(file) : 0);
	char until[RV_UNTIL_MAX];
	size_t i;
	int rc = -1;

	if (!name)
		goto out;
	if (o->color)
		fprintf(out, C_BOLD "%s" C_RESET ": %s%s" C_RESET "\n", name,
			res->trusted ? C_GREEN : C_RED,
			res->trusted ? "trusted" : "NOT TRUSTED");
	else
		fprintf(out, "%s: %s\n", name,
			res->trusted ? "trusted" : "NOT TRUSTED");
	for (i = 0; i < res->path_len; i++)
		if (tree_line(out, &res->path[i], i, o) < 0)
			goto out;
	switch (cs_report_verify_until_text(until, sizeof(until), res)) {
	case -1:
		goto out;
	case 1:
		fprintf(out, "  %s\n", until);
		break;
	default:
		break;
	}
	for (i = 0; i < res->n_findings; i++)
		if (finding_text(out, &res->findings[i], res, o) < 0)
			goto out;
	rc = ferror(out) ? -1 : 0;
out:
	free(name);
	return rc;
}

/* see report_verify.h */
int cs_report_verify_chain_pem(FILE *out, const struct cs_verify_result *res)
{
	size_t i, n = 0;

	for (i = 0; i < res->path_len; i++) {
		gnutls_datum_t pem = {NULL, 0};

		if (res->path[i].is_anchor)
			continue;
		if (gnutls_x509_crt_export2(res->path[i].crt,
					    GNUTLS_X509_FMT_PEM, &pem) < 0)
			return -1;
		if (fwrite(pem.data, 1, pem.size, out) != pem.size) {
			gnutls_free(pem.data);
			return -1;
		}
		gnutls_free(pem.data);
		n++;
	}
	return ferror(out) ? -1 : (int)n;
}

/* ---- JSON ---- */

/* A JSON string of len bytes from a certificate: invalid UTF-8 becomes
 * U+FFFD, controls are escaped by jansson.  NULL s gives JSON null. */
static json_t *jstr(const char *s, size_t len)
{
	json_t *j;
	size_t olen;
	char *u;

	if (!s)
		return json_null();
	u = cs_escape_utf8(s, len, &olen);
	if (!u)
		return NULL;
	j = json_stringn(u, olen);
	free(u);
	return j;
}

static json_t *jcstr(const char *s)
{
	return jstr(s, s ? strlen(s) : 0);
}

/* Add key -> v, taking v; a NULL v (allocation failure) fails. */
static int jset(json_t *obj, const char *key, json_t *v)
{
	return v ? json_object_set_new(obj, key, v) : -1;
}

static json_t *path_elem_json(const struct cs_path_elem *e)
{
	char t[RV_TIME_MAX], key[RV_KEY_MAX];
	char hex[2 * sizeof(e->model.sha256) + 1];
	json_t *j = json_object();
	int bad = 0;

	if (!j)
		return NULL;
	cs_hex(hex, sizeof(hex), e->model.sha256, sizeof(e->model.sha256));
	cs_report_verify_key(&e->model, key, sizeof(key));
	bad |= jset(j, "subject", jcstr(e->model.subject));
	bad |= jset(j, "issuer", jcstr(e->model.issuer));
	if (e->model.not_after == CS_TIME_NONE) {
		bad |= jset(j, "not_after", json_null());
	} else {
		cs_time_format(e->model.not_after, t, sizeof(t));
		bad |= jset(j, "not_after", json_string(t));
	}
	bad |= jset(j, "key", json_string(key));
	bad |= jset(j, "anchor", json_boolean(e->is_anchor));
	bad |= jset(j, "sha256", json_string(hex));
	if (bad) {
		json_decref(j);
		return NULL;
	}
	return j;
}

static json_t *finding_json(const struct cs_finding *f)
{
	json_t *j = json_object();
	int bad = 0;

	if (!j)
		return NULL;
	bad |= jset(j, "code", json_string(f->code));
	bad |= jset(j, "severity",
		    json_string(cs_severity_name(f->severity)));
	bad |= jset(j, "cert", f->cert >= 0 ? json_integer(f->cert) :
					      json_null());
	bad |= jset(j, "subject", jcstr(f->subject));
	bad |= jset(j, "message", jcstr(f->message));
	bad |= jset(j, "fix", jcstr(f->fix));
	if (bad) {
		json_decref(j);
		return NULL;
	}
	return j;
}

static json_t *jtime(cs_time_t t)
{
	char buf[RV_TIME_MAX];

	if (t == CS_TIME_NONE)
		return json_null();
	cs_time_format(t, buf, sizeof(buf));
	return json_string(buf);
}

/* {"date", "cert", "subject", "later_path": {"date", "anchor"} | null}
 * or null. */
static json_t *until_json(const struct cs_verify_result *res)
{
	const struct cs_path_elem *e;
	json_t *j, *later = NULL;
	int bad = 0;

	if (!res || !res->trusted || res->valid_until == CS_TIME_NONE ||
	    res->limited_by < 0 || (size_t)res->limited_by >= res->path_len)
		return json_null();
	e = &res->path[res->limited_by];
	j = json_object();
	if (!j)
		return NULL;
	bad |= jset(j, "date", jtime(res->valid_until));
	bad |= jset(j, "cert", json_integer(res->limited_by));
	bad |= jset(j, "subject", jcstr(e->model.subject));
	if (res->later_anchor && res->later_until != CS_TIME_NONE) {
		later = json_object();
		if (!later) {
			json_decref(j);
			return NULL;
		}
		bad |= jset(later, "date", jtime(res->later_until));
		bad |= jset(later, "anchor", jcstr(res->later_anchor));
		bad |= jset(later, "anchor_not_after",
			    jtime(res->later_anchor_until));
	}
	bad |= jset(j, "later_path", later ? later : json_null());
	if (bad) {
		json_decref(j);
		return NULL;
	}
	return j;
}

/* The object of cs_report_verify_json(); with_item adds "item" after
 * "file" (verify's inputs). */
static json_t *verify_json(const char *file, bool with_item, size_t item,
			   const struct cs_verify_result *res,
			   const struct cs_error *error,
			   const struct cs_verify_report_opts *o,
			   json_t *checked)
{
	json_t *j = json_object(), *path = json_array(),
	       *findings = json_array();
	const char *verdict = "error";
	size_t i;
	int bad = 0;

	(void)o;
	if (!j || !path || !findings)
		goto fail;
	if (res) {
		verdict = res->trusted ? "trusted" : "rejected";
		for (i = 0; i < res->path_len; i++)
			bad |= json_array_append_new(path,
				path_elem_json(&res->path[i])) ? 1 : 0;
		for (i = 0; i < res->n_findings; i++)
			bad |= json_array_append_new(findings,
				finding_json(&res->findings[i])) ? 1 : 0;
	}
	bad |= jset(j, "file", jcstr(file));
	if (with_item)
		bad |= jset(j, "item", item ? json_integer((json_int_t)item) :
					      json_null());
	bad |= jset(j, "verdict", json_string(verdict));
	bad |= jset(j, "path", path);
	path = NULL;
	bad |= jset(j, "valid_until", until_json(res));
	bad |= jset(j, "findings", findings);
	findings = NULL;
	bad |= jset(j, "error", !res && error ? jcstr(error->msg) :
						json_null());
	if (checked)
		bad |= json_object_set(j, "checked", checked) ? 1 : 0;
	if (bad)
		goto fail;
	return j;
fail:
	json_decref(path);
	json_decref(findings);
	json_decref(j);
	return NULL;
}

/* see report_verify.h */
json_t *cs_report_verify_json(const char *file,
			      const struct cs_verify_result *res,
			      const struct cs_error *error,
			      const struct cs_verify_report_opts *o)
{
	return verify_json(file, false, 0, res, error, o, NULL);
}

/* see report_verify.h */
json_t *cs_report_verify_input_json(const char *file, size_t item,
				    const struct cs_verify_result *res,
				    const struct cs_error *error,
				    const struct cs_verify_report_opts *o,
				    json_t *checked)
{
	return verify_json(file, true, item, res, error, o, checked);
}

/* see report_verify.h */
json_t *cs_report_checked_json(const struct cs_verify_opts *v,
			       const char *sni, const struct cs_trust *trust)
{
	static const char *const sources[] = {
		[CS_TRUST_NONE] = "none",
		[CS_TRUST_FILES] = "files",
		[CS_TRUST_SYSTEM] = "system",
		[CS_TRUST_BUNDLED] = "bundled",
		[CS_TRUST_FILES_AND_SYSTEM] = "files-and-system",
	};
	enum cs_trust_source src = trust ? cs_trust_source(trust) :
				   CS_TRUST_NONE;
	const char *purpose = v->purpose == CS_PURPOSE_OID ? v->purpose_oid :
			      cs_purpose_name((size_t)v->purpose);
	json_t *j = json_object(), *t = json_object();
	int bad = 0;

	if (!j || !t) {
		json_decref(j);
		json_decref(t);
		return NULL;
	}
	bad |= jset(j, "host", jcstr(v->host));
	bad |= jset(j, "sni", jcstr(sni && *sni ? sni : NULL));
	bad |= jset(j, "purpose", jcstr(purpose));
	bad |= jset(j, "time", jtime(v->at));
	bad |= jset(t, "source", json_string(
		(size_t)src < sizeof(sources) / sizeof(*sources) &&
		sources[src] ? sources[src] : "none"));
	bad |= jset(t, "anchors", json_integer(
		(json_int_t)(trust ? cs_trust_count(trust) : 0)));
	bad |= jset(j, "trust", t);
	if (bad) {
		json_decref(j);
		return NULL;
	}
	return j;
}
