/* see check.h (report) */
#include "report/check.h"

#include <inttypes.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "escape.h"

#define SHOW_IN_STATUS 3 /* targets named in the Nagios status line */

enum fam {
	FAM_SUCCESS,
	FAM_STATE,
	FAM_EARLIEST,
	FAM_NOT_AFTER,
	FAM_DURATION,
	FAM_COUNT_
};

static const struct {
	const char *name, *help;
} fams[FAM_COUNT_] = {
	[FAM_SUCCESS] = {"certscope_check_success",
		"1 when the target was read or reached and its chain "
		"validated, else 0"},
	[FAM_STATE] = {"certscope_check_state",
		"State of the target as Nagios numbers it: 0 OK, 1 WARNING, "
		"2 CRITICAL, 3 UNKNOWN"},
	[FAM_EARLIEST] = {"certscope_check_earliest_expiry_timestamp_seconds",
		"Earliest notAfter along the validated path, in Unix "
		"seconds"},
	[FAM_NOT_AFTER] = {"certscope_cert_not_after_timestamp_seconds",
		"notAfter of each certificate of the validated path, in "
		"Unix seconds"},
	[FAM_DURATION] = {"certscope_check_duration_seconds",
		"Time the check of the target took, in seconds"},
};

struct cs_check_report {
	FILE *out;
	struct cs_check_report_opts o;
	struct cs_check_result *held; /* text, nagios: what is printed last */
	size_t nheld, capheld;
	char *perf;                   /* nagios: performance data */
	size_t perflen, perfcap;
	FILE *fam[FAM_COUNT_];        /* prometheus: one spool per family */
	char *mem[FAM_COUNT_];        /* in_memory: the spools' buffers */
	size_t memlen[FAM_COUNT_];
	size_t count[4];              /* per state */
	size_t total;
	enum cs_check_state worst;
};

const char *cs_check_format_name(enum cs_check_format f)
{
	static const char *names[] = {"text", "nagios", "json", "prometheus"};

	return (unsigned)f < 4 ? names[f] : "?";
}

int cs_check_format_lookup(const char *name, enum cs_check_format *out)
{
	for (int i = 0; i < 4; i++)
		if (!strcmp(name, cs_check_format_name(
				    (enum cs_check_format)i))) {
			*out = (enum cs_check_format)i;
			return 0;
		}
	return -1;
}

static int write_error(struct cs_error *err)
{
	return cs_error_set(err, CS_E_IO, "cannot write output");
}

static int nomem(struct cs_error *err)
{
	return cs_error_setx(err, CS_E_NOMEM, "out of memory");
}

struct cs_check_report *cs_check_report_new(FILE *out,
					    const struct cs_check_report_opts *o,
					    struct cs_error *err)
{
	struct cs_check_report *r = calloc(1, sizeof(*r));
	int i;

	if (!r) {
		nomem(err);
		return NULL;
	}
	r->out = out;
	r->o = *o;
	if (o->format == CS_CHECK_FMT_PROMETHEUS)
		for (i = 0; i < FAM_COUNT_; i++) {
			r->fam[i] = o->in_memory ?
				open_memstream(&r->mem[i], &r->memlen[i]) :
				tmpfile();
			if (!r->fam[i]) {
				cs_error_set(err, CS_E_IO, "cannot create a "
					     "temporary file for the metrics");
				cs_check_report_free(r);
				return NULL;
			}
		}
	return r;
}

void cs_check_report_free(struct cs_check_report *r)
{
	size_t i;

	if (!r)
		return;
	for (i = 0; i < r->nheld; i++)
		cs_check_result_free(&r->held[i]);
	free(r->held);
	free(r->perf);
	for (i = 0; i < FAM_COUNT_; i++)
		if (r->fam[i])
			fclose(r->fam[i]);
	for (i = 0; i < FAM_COUNT_; i++)
		free(r->mem[i]);
	free(r);
}

enum cs_check_state cs_check_report_worst(const struct cs_check_report *r)
{
	return r->worst;
}

size_t cs_check_report_count(const struct cs_check_report *r)
{
	return r->total;
}

static char *esc(const char *s, enum cs_escape_mode m)
{
	return cs_escape(s ? s : "", s ? strlen(s) : 0, m);
}

static int hold(struct cs_check_report *r, const struct cs_check_result *res)
{
	if (r->nheld == r->capheld) {
		size_t cap = r->capheld ? r->capheld * 2 : 16;
		struct cs_check_result *v = realloc(r->held,
						    cap * sizeof(*v));
		if (!v)
			return -1;
		r->held = v;
		r->capheld = cap;
	}
	if (cs_check_result_copy(&r->held[r->nheld], res) < 0)
		return -1;
	r->nheld++;
	return 0;
}

/* ---- Nagios performance data -------------------------------------- */

/* 'label'=value;warn;crit;; with the label's quotes doubled and '=' (not
 * allowed in a label) and controls made visible; days, without a unit:
 * the guidelines define none for days. */
static int add_perf(struct cs_check_report *r,
		    const struct cs_check_result *res)
{
	char *label = esc(res->target, CS_ESC_NAGIOS), *q;
	size_t need, i;
	int n;

	if (!label)
		return -1;
	need = strlen(label) * 2 + 96;
	if (r->perflen + need > r->perfcap) {
		size_t cap = (r->perfcap + need) * 2;
		char *p = realloc(r->perf, cap);
		if (!p) {
			free(label);
			return -1;
		}
		r->perf = p;
		r->perfcap = cap;
	}
	q = r->perf + r->perflen;
	if (r->perflen)
		*q++ = ' ';
	*q++ = '\'';
	for (i = 0; label[i]; i++) {
		if (label[i] == '\'')
			*q++ = '\'';
		*q++ = label[i] == '=' ? '_' : label[i];
	}
	*q++ = '\'';
	if (res->reached && res->earliest != CS_TIME_NONE)
		n = snprintf(q, 96, "=%" PRId64 ";%" PRId64 ";%" PRId64 ";;",
			     res->days_left, r->o.warn_secs / 86400,
			     r->o.crit_secs / 86400);
	else
		n = snprintf(q, 96, "=U;%" PRId64 ";%" PRId64 ";;",
			     r->o.warn_secs / 86400, r->o.crit_secs / 86400);
	r->perflen = (size_t)(q - r->perf) + (size_t)n;
	free(label);
	return 0;
}

/* ---- JSON Lines ---------------------------------------------------- */

static json_t *jstr(const char *s)
{
	size_t len;
	char *u;
	json_t *j;

	if (!s)
		return json_null();
	u = cs_escape_utf8(s, strlen(s), &len);
	j = u ? json_stringn(u, len) : NULL;
	free(u);
	return j;
}

static json_t *jtime(cs_time_t t)
{
	char buf[32];

	if (t == CS_TIME_NONE)
		return json_null();
	cs_time_format(t, buf, sizeof(buf));
	return json_string(buf);
}

static json_t *result_json(const struct cs_check_result *res)
{
	json_t *o = json_object(), *chain = json_array();
	size_t i;

	if (!o || !chain) {
		json_decref(o);
		json_decref(chain);
		return NULL;
	}
	for (i = 0; i < res->chain_len; i++) {
		const struct cs_check_cert *c = &res->chain[i];
		json_t *e = json_object();

		if (!e)
			continue;
		json_object_set_new(e, "position",
				    json_integer((json_int_t)c->position));
		json_object_set_new(e, "subject", jstr(c->subject));
		json_object_set_new(e, "issuer", jstr(c->issuer));
		json_object_set_new(e, "serial", jstr(c->serial));
		json_object_set_new(e, "not_after", jtime(c->not_after));
		json_object_set_new(e, "trust_anchor", json_boolean(c->anchor));
		json_array_append_new(chain, e);
	}
	json_object_set_new(o, "target", jstr(res->target));
	json_object_set_new(o, "state",
			    json_string(cs_check_state_name(res->state)));
	json_object_set_new(o, "code", jstr(res->code));
	json_object_set_new(o, "reason", jstr(res->reason));
	json_object_set_new(o, "host", jstr(res->host));
	json_object_set_new(o, "address", jstr(res->address));
	json_object_set_new(o, "reached", json_boolean(res->reached));
	json_object_set_new(o, "trusted", json_boolean(res->trusted));
	json_object_set_new(o, "earliest_not_after", jtime(res->earliest));
	json_object_set_new(o, "days_left",
			    res->earliest == CS_TIME_NONE ? json_null() :
			    json_integer((json_int_t)res->days_left));
	json_object_set_new(o, "position", res->position < 0 ? json_null() :
			    json_integer(res->position));
	json_object_set_new(o, "subject", jstr(res->subject));
	json_object_set_new(o, "duration_ms",
			    json_integer((json_int_t)res->duration_ms));
	json_object_set_new(o, "chain", chain);
	return o;
}

/* ---- Prometheus ---------------------------------------------------- */

static int prom_sample(FILE *f, const char *name, const char *labels,
		       int64_t v)
{
	return fprintf(f, "%s{%s} %" PRId64 "\n", name, labels, v) < 0 ?
		-1 : 0;
}

static int prom_add(struct cs_check_report *r,
		    const struct cs_check_result *res)
{
	char *t = esc(res->target, CS_ESC_LABEL), *lab = NULL;
	size_t i, len;
	int rc = -1;

	if (!t)
		return -1;
	len = strlen(t) + 16;
	lab = malloc(len);
	if (!lab)
		goto out;
	snprintf(lab, len, "target=\"%s\"", t);
	if (prom_sample(r->fam[FAM_SUCCESS], fams[FAM_SUCCESS].name, lab,
			res->reached && res->trusted) < 0 ||
	    prom_sample(r->fam[FAM_STATE], fams[FAM_STATE].name, lab,
			res->state) < 0 ||
	    fprintf(r->fam[FAM_DURATION], "%s{%s} %.3f\n",
		    fams[FAM_DURATION].name, lab,
		    (double)res->duration_ms / 1000.0) < 0)
		goto out;
	if (res->earliest != CS_TIME_NONE &&
	    prom_sample(r->fam[FAM_EARLIEST], fams[FAM_EARLIEST].name, lab,
			(int64_t)res->earliest) < 0)
		goto out;
	for (i = 0; i < res->chain_len; i++) {
		const struct cs_check_cert *c = &res->chain[i];
		char *s = esc(c->subject, CS_ESC_LABEL);
		char *is = esc(c->issuer, CS_ESC_LABEL);
		char *se = esc(c->serial, CS_ESC_LABEL);
		int w = -1;

		if (s && is && se)
			w = fprintf(r->fam[FAM_NOT_AFTER],
				    "%s{%s,position=\"%u\",subject=\"%s\","
				    "issuer=\"%s\",serial=\"%s\"} %" PRId64
				    "\n", fams[FAM_NOT_AFTER].name, lab,
				    c->position, s, is, se,
				    (int64_t)c->not_after);
		free(s);
		free(is);
		free(se);
		if (w < 0)
			goto out;
	}
	rc = 0;
out:
	free(t);
	free(lab);
	return rc;
}

static int prom_finish(struct cs_check_report *r)
{
	char buf[8192];
	size_t n;
	int i;

	for (i = 0; i < FAM_COUNT_; i++) {
		if (fprintf(r->out, "# HELP %s %s\n# TYPE %s gauge\n",
			    fams[i].name, fams[i].help, fams[i].name) < 0 ||
		    fflush(r->fam[i]) != 0 || ferror(r->fam[i]))
			return -1;
		if (r->o.in_memory) {
			/* flushed: mem and memlen are the family's text */
			if (r->memlen[i] &&
			    fwrite(r->mem[i], 1, r->memlen[i], r->out) !=
			    r->memlen[i])
				return -1;
			continue;
		}
		rewind(r->fam[i]);
		while ((n = fread(buf, 1, sizeof(buf), r->fam[i])) > 0)
			if (fwrite(buf, 1, n, r->out) != n)
				return -1;
		if (ferror(r->fam[i]))
			return -1;
	}
	return 0;
}

/* ---- text ---------------------------------------------------------- */

static const char *state_color(enum cs_check_state s)
{
	switch (s) {
	case CS_CHECK_OK: return "\033[32m";
	case CS_CHECK_WARNING: return "\033[33m";
	case CS_CHECK_CRITICAL: return "\033[31m";
	case CS_CHECK_UNKNOWN: break;
	}
	return "\033[35m";
}

/* STATE  TARGET  DAYS  [certificate N (SUBJECT): ]CODE: REASON, DAYS
 * being "21d left", "expired" or "-" when nothing was read. */
static int text_line(FILE *out, const struct cs_check_result *res,
		     bool color, enum cs_escape_mode mode)
{
	char *t = esc(res->target, mode), *s = NULL, *why = NULL;
	char *code = esc(res->code, mode);
	const char *st = cs_check_state_name(res->state);
	int w = -1;

	why = esc(res->reason, mode);
	if (res->position >= 0 && res->subject)
		s = esc(res->subject, mode);
	if (!t || !why || !code || (res->position >= 0 && res->subject && !s))
		goto out;
	if (color)
		w = fprintf(out, "%s%-8s\033[0m ", state_color(res->state), st);
	else
		w = fprintf(out, "%-8s ", st);
	if (w >= 0)
		w = fprintf(out, "%s  ", t);
	if (w >= 0 && res->reached && res->earliest != CS_TIME_NONE &&
	    res->days_left >= 0)
		w = fprintf(out, "%" PRId64 "d left  ", res->days_left);
	else if (w >= 0)
		w = fprintf(out, "%s  ", res->reached &&
			    res->earliest != CS_TIME_NONE ? "expired" : "-");
	if (w >= 0 && s)
		w = fprintf(out, "certificate %d (%s): ", res->position, s);
	if (w >= 0 && strcmp(res->code, "expires-soon") &&
	    strcmp(res->code, "ok"))
		w = fprintf(out, "%s: ", code);
	if (w >= 0)
		w = fprintf(out, "%s\n", why);
out:
	free(t);
	free(s);
	free(why);
	free(code);
	return w < 0 ? -1 : 0;
}

/* Worst first: state, then fewest days left, then the name. */
static int by_worst(const void *a, const void *b)
{
	const struct cs_check_result *x = a, *y = b;

	if (x->state != y->state)
		return x->state > y->state ? -1 : 1;
	if (x->earliest != CS_TIME_NONE && y->earliest != CS_TIME_NONE &&
	    x->earliest != y->earliest)
		return x->earliest < y->earliest ? -1 : 1;
	return strcmp(x->target, y->target);
}

/* ---- Nagios status line -------------------------------------------- */

static int nagios_finish(struct cs_check_report *r)
{
	size_t bad = r->total - r->count[CS_CHECK_OK], i;
	FILE *out = r->out;
	bool first = true;
	char days[32];

	snprintf(days, sizeof(days), "%" PRId64 " days",
		 r->o.warn_secs / 86400);
	if (fprintf(out, "CERTSCOPE %s - ", cs_check_state_name(r->worst)) < 0)
		return -1;
	if (r->total == 0) {
		if (fprintf(out, "no targets") < 0)
			return -1;
	} else if (bad == 0) {
		if (fprintf(out, "%zu target%s OK, none expires within %s",
			    r->total, r->total == 1 ? "" : "s", days) < 0)
			return -1;
	} else {
		/* "1 of 12 targets expire within 30 days", and more kinds
		 * after a comma: "..., 2 could not be checked" */
		static const struct {
			enum cs_check_state s;
			const char *what;
		} kinds[] = {
			{CS_CHECK_CRITICAL, "critical"},
			{CS_CHECK_WARNING, "expire within"},
			{CS_CHECK_UNKNOWN, "could not be checked"},
		};
		for (size_t k = 0; k < 3; k++) {
			size_t n = r->count[kinds[k].s];
			char what[64];

			if (!n)
				continue;
			snprintf(what, sizeof(what), "%s%s%s", kinds[k].what,
				 kinds[k].s == CS_CHECK_WARNING ? " " : "",
				 kinds[k].s == CS_CHECK_WARNING ? days : "");
			if ((first ? fprintf(out, "%zu of %zu targets %s", n,
					     r->total, what) :
			     fprintf(out, ", %zu %s", n, what)) < 0)
				return -1;
			first = false;
		}
		for (i = 0; i < r->nheld && i < SHOW_IN_STATUS; i++) {
			char *t = esc(r->held[i].target, CS_ESC_NAGIOS);
			char *c = esc(r->held[i].code, CS_ESC_NAGIOS);
			int w = -1;

			if (t && c)
				w = !strcmp(r->held[i].code, "expires-soon") ?
					fprintf(out, "%s %s (%" PRId64
						" days left)", i ? "," : ":",
						t, r->held[i].days_left) :
					fprintf(out, "%s %s (%s)", i ? "," :
						":", t, c);
			free(t);
			free(c);
			if (w < 0)
				return -1;
		}
		if (r->nheld > SHOW_IN_STATUS &&
		    fprintf(out, ", ...") < 0)
			return -1;
	}
	if (fprintf(out, " | %s\n", r->perf ? r->perf : "") < 0)
		return -1;
	for (i = 0; i < r->nheld; i++)
		if (text_line(out, &r->held[i], false, CS_ESC_NAGIOS) < 0)
			return -1;
	return 0;
}

/* ---- entry points --------------------------------------------------- */

int cs_check_report_add(struct cs_check_report *r,
			const struct cs_check_result *res,
			struct cs_error *err)
{
	json_t *j;
	int rc;

	r->total++;
	if ((unsigned)res->state < 4)
		r->count[res->state]++;
	r->worst = CS_CHECK_WORSE(r->worst, res->state);
	switch (r->o.format) {
	case CS_CHECK_FMT_TEXT:
		if ((res->state != CS_CHECK_OK || r->o.verbose) &&
		    hold(r, res) < 0)
			return nomem(err);
		return 0;
	case CS_CHECK_FMT_NAGIOS:
		if ((res->state != CS_CHECK_OK && hold(r, res) < 0) ||
		    add_perf(r, res) < 0)
			return nomem(err);
		return 0;
	case CS_CHECK_FMT_JSON:
		j = result_json(res);
		if (!j)
			return nomem(err);
		rc = json_dumpf(j, r->out, JSON_COMPACT) < 0 ||
			fputc('\n', r->out) == EOF;
		json_decref(j);
		/* flushed per line: a reader sees each target as it ends */
		if (rc || fflush(r->out) != 0)
			return write_error(err);
		return 0;
	case CS_CHECK_FMT_PROMETHEUS:
		return prom_add(r, res) < 0 ? write_error(err) : 0;
	}
	return 0;
}

int cs_check_report_finish(struct cs_check_report *r, struct cs_error *err)
{
	size_t i;
	int rc = 0;

	if (r->nheld)
		qsort(r->held, r->nheld, sizeof(*r->held), by_worst);
	switch (r->o.format) {
	case CS_CHECK_FMT_TEXT:
		for (i = 0; i < r->nheld && rc == 0; i++)
			rc = text_line(r->out, &r->held[i], r->o.color,
				       CS_ESC_TEXT);
		break;
	case CS_CHECK_FMT_NAGIOS:
		rc = nagios_finish(r);
		break;
	case CS_CHECK_FMT_JSON:
		break;
	case CS_CHECK_FMT_PROMETHEUS:
		rc = prom_finish(r);
		break;
	}
	if (rc < 0 || fflush(r->out) != 0 || ferror(r->out))
		return write_error(err);
	return 0;
}
