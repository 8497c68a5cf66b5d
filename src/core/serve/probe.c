/*
 * probe.c - GET /probe?target=T&module=M: the target parsed without
 * touching the disk, held against the allow-list, checked with the
 * module's options within the scrape's deadline, and answered with the
 * check's metrics plus probe_success and probe_duration_seconds.
 *
 * Does not: print, read the clock (the server's callbacks do), or keep
 * anything between probes but the counters (server.c).
 */
#include "serve/server_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cs_config.h"
#include "path/trust.h"
#include "report/check.h"

/* ---- /probe ------------------------------------------------------- */

/* The trust store a module asks for: its files (plus the system store
 * with system_trust), else the system store, else the bundled one. */
static struct cs_trust *module_trust(const struct cs_serve_module *m,
				     struct cs_error *err)
{
	struct cs_trust *t = cs_trust_new(err);
	size_t i;
	int n;

	if (!t)
		return NULL;
	for (i = 0; i < m->n_trust; i++)
		if (cs_trust_add_path(t, m->trust[i], NULL, err) < 0)
			goto fail;
	if (m->n_trust && !m->system_trust)
		return t;
	n = cs_trust_add_system(t, err);
	if (n > 0 || m->n_trust)
		return n < 0 ? (cs_trust_free(t), NULL) : t;
	n = cs_trust_add_bundled_default(t, err);
	if (n >= 0)
		return t;
fail:
	cs_trust_free(t);
	return NULL;
}

static int load_items(struct cs_itemlist *l, char **paths, size_t n,
		      struct cs_error *err)
{
	for (size_t i = 0; i < n; i++)
		if (cs_load_path(l, paths[i], NULL, err) < 0)
			return -1;
	return 0;
}

struct one_target {
	const struct cs_check_target *t;
	bool given;
};

static int next_one(void *ctx, struct cs_check_target *t,
		    struct cs_error *err)
{
	struct one_target *o = ctx;

	(void)err;
	if (o->given)
		return 0;
	o->given = true;
	*t = *o->t;
	return 1;
}

struct probe_sink {
	struct cs_check_report *rep;
	bool success;
	unsigned n;
	enum cs_check_state worst;
	char reason[200];
	struct cs_error err;
	bool failed;
};

static int probe_emit(void *ctx, const struct cs_check_result *r)
{
	struct probe_sink *k = ctx;

	if (k->n++ == 0 || r->state > k->worst)
		snprintf(k->reason, sizeof(k->reason), "%s",
			 r->reason ? r->reason : "");
	k->worst = k->n == 1 ? r->state : CS_CHECK_WORSE(k->worst, r->state);
	k->success = (k->n == 1 || k->success) && r->reached && r->trusted;
	if (cs_check_report_add(k->rep, r, &k->err) < 0) {
		k->failed = true;
		return -1;
	}
	return 0;
}

/* Parse a probe target without touching the file system: an absolute
 * path is a file, anything else an endpoint ("host:port", "smtp://..."). */
static int probe_target(const char *text, const struct cs_serve_module *m,
			struct cs_check_target *t, struct cs_error *err)
{
	char buf[CS_CHECK_MAX_TARGET + 8];

	if (text[0] == '/') {
		memset(t, 0, sizeof(*t));
		if (strlen(text) >= sizeof(t->spec))
			return cs_error_setx(err, CS_E_USAGE,
					     "target too long");
		snprintf(t->spec, sizeof(t->spec), "%s", text);
		t->kind = CS_CHECK_PATH;
		return 0;
	}
	if (strstr(text, "://"))
		snprintf(buf, sizeof(buf), "%s", text);
	else
		snprintf(buf, sizeof(buf), "%s://%s",
			 m->starttls ? cs_starttls_name(m->starttls) : "tls",
			 text);
	if (cs_check_target_parse(buf, 0, t, err) < 0)
		return -1;
	snprintf(t->spec, sizeof(t->spec), "%s", text);
	return 0;
}

enum MHD_Result serve_probe(struct cs_serve *s, struct MHD_Connection *c,
			     const struct cs_query *q)
{
	const struct cs_serve_module *m;
	struct runtime *rt;
	struct cs_check_target t;
	struct cs_check_opts o;
	struct cs_check_report_opts ro;
	struct cs_itemlist untrusted, crls;
	struct probe_sink sink;
	struct one_target one;
	struct cs_error err;
	const char *hdr;
	char why[256], *body = NULL;
	size_t len = 0;
	FILE *f = NULL;
	int64_t t0, timeout;
	double secs;
	enum MHD_Result ret;
	bool busy;

	if (!q->has_target || !q->target[0])
		return serve_respond_text(c, MHD_HTTP_BAD_REQUEST,
				    "missing target parameter\n");
	pthread_mutex_lock(&s->mu);
	rt = s->rt;
	rt->refs++;
	busy = s->in_flight >= rt->cfg.max_probes;
	if (!busy)
		s->in_flight++;
	pthread_mutex_unlock(&s->mu);
	m = cs_serve_config_module(&rt->cfg, q->has_module ? q->module :
				   rt->cfg.modules[0].name);
	if (busy) {
		serve_runtime_put(s, rt);
		return serve_respond_text(c, MHD_HTTP_SERVICE_UNAVAILABLE,
				    "too many probes in flight (%u)\n",
				    rt->cfg.max_probes);
	}
	cs_error_clear(&err);
	if (!m) {
		ret = serve_respond_text(c, MHD_HTTP_BAD_REQUEST,
				   "unknown module '%.60s'\n", q->module);
		goto out_error;
	}
	if (probe_target(q->target, m, &t, &err) < 0) {
		ret = serve_respond_text(c, MHD_HTTP_BAD_REQUEST, "target: %s\n",
				   err.msg);
		goto out_error;
	}
	if (!cs_serve_allowed(&rt->cfg, &t, why, sizeof(why))) {
		pthread_mutex_lock(&s->mu);
		s->refused++;
		pthread_mutex_unlock(&s->mu);
		ret = serve_respond_text(c, MHD_HTTP_FORBIDDEN, "refused: %s\n",
				   why);
		goto out_error;
	}
	timeout = m->timeout_ms;
	hdr = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
					  "X-Prometheus-Scrape-Timeout-Seconds");
	if (hdr) {
		char *end;
		double v = strtod(hdr, &end);

		if (end != hdr && v > 0 && v < 3600)
			timeout = (int64_t)(v * 1000) - SCRAPE_MARGIN_MS;
		if (timeout < MIN_PROBE_MS)
			timeout = MIN_PROBE_MS;
	}
	memset(&o, 0, sizeof(o));
	cs_itemlist_init(&untrusted);
	cs_itemlist_init(&crls);
	memset(&sink, 0, sizeof(sink));
	t0 = s->o.now_ms(s->o.clock_ctx);
	o.trust = module_trust(m, &err);
	if (!o.trust || load_items(&untrusted, m->untrusted, m->n_untrusted,
				   &err) < 0 ||
	    load_items(&crls, m->crl, m->n_crl, &err) < 0 ||
	    (m->purpose && cs_purpose_parse(m->purpose, &o.verify) < 0)) {
		ret = serve_respond_text(c, MHD_HTTP_INTERNAL_SERVER_ERROR,
				   "module '%s': %s\n", m->name,
				   err.msg[0] ? err.msg : "bad purpose");
		cs_trust_free((struct cs_trust *)o.trust);
		cs_itemlist_free(&untrusted);
		cs_itemlist_free(&crls);
		goto out_error;
	}
	o.untrusted = untrusted.n ? &untrusted : NULL;
	o.verify.crls = crls.n ? &crls : NULL;
	o.verify.at = s->o.wall_s ? s->o.wall_s(s->o.clock_ctx) : 0;
	o.verify.max_depth = m->max_depth;
	o.host = m->host;
	o.warn_secs = m->warn_secs;
	o.crit_secs = m->crit_secs;
	o.jobs = 1;
	o.timeout_ms = timeout;
	o.all_addresses = m->all_addresses;
	o.revocation = m->revocation;
	o.rev_sources = m->rev_sources;
	o.fetch_missing = m->fetch_missing;
	o.cache_dir = m->cache_dir;
	o.now = o.verify.at;
	o.net.sni = m->sni;
	o.net.no_sni = m->no_sni;
	o.now_ms = s->o.now_ms;
	o.clock_ctx = s->o.clock_ctx;
	memset(&ro, 0, sizeof(ro));
	ro.format = CS_CHECK_FMT_PROMETHEUS;
	ro.in_memory = true; /* one target: no temporary files per probe */
	ro.at = o.verify.at;
	ro.warn_secs = m->warn_secs;
	ro.crit_secs = m->crit_secs;
	f = open_memstream(&body, &len);
	sink.rep = f ? cs_check_report_new(f, &ro, &err) : NULL;
	one.t = &t;
	one.given = false;
	if (!sink.rep ||
	    cs_check_run(next_one, &one, &o, probe_emit, &sink, &err) < 0 ||
	    cs_check_report_finish(sink.rep, &err) < 0) {
		if (sink.failed)
			err = sink.err;
		cs_check_report_free(sink.rep);
		if (f)
			fclose(f);
		free(body);
		body = NULL;
		ret = serve_respond_text(c, MHD_HTTP_INTERNAL_SERVER_ERROR,
				   "probe failed: %s\n", err.msg);
		cs_trust_free((struct cs_trust *)o.trust);
		cs_itemlist_free(&untrusted);
		cs_itemlist_free(&crls);
		goto out_error;
	}
	cs_check_report_free(sink.rep);
	cs_trust_free((struct cs_trust *)o.trust);
	cs_itemlist_free(&untrusted);
	cs_itemlist_free(&crls);
	secs = (double)(s->o.now_ms(s->o.clock_ctx) - t0) / 1000.0;
	fprintf(f, "# HELP probe_success 1 when the target was reached and "
		"its chain validated\n# TYPE probe_success gauge\n"
		"probe_success %d\n"
		"# HELP probe_duration_seconds How long the probe took\n"
		"# TYPE probe_duration_seconds gauge\n"
		"probe_duration_seconds %.6f\n", sink.success ? 1 : 0, secs);
	if (fclose(f) != 0 || len > MAX_RESPONSE) {
		free(body);
		ret = serve_respond_text(c, MHD_HTTP_INTERNAL_SERVER_ERROR,
				   "probe answer larger than %zu bytes\n",
				   MAX_RESPONSE);
		goto out_error;
	}
	serve_account(s, m->name, sink.success ? 1 : 0, secs, q->target,
		sink.n ? cs_check_state_name(sink.worst) : "none",
		sink.reason);
	ret = serve_respond(c, MHD_HTTP_OK, "text/plain; version=0.0.4; "
		      "charset=utf-8", body, len);
	goto out;
out_error:
	serve_account(s, m ? m->name : "(unknown)", -1, 0, q->target, "refused",
		NULL);
out:
	pthread_mutex_lock(&s->mu);
	s->in_flight--;
	pthread_mutex_unlock(&s->mu);
	serve_runtime_put(s, rt);
	return ret;
}

