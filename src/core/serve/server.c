/* see server.h */
#include "serve/server.h"

#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <gnutls/gnutls.h>
#include <microhttpd.h>

#include "cs_config.h"
#include "escape.h"
#include "path/trust.h"
#include "report/check.h"
#include "serve/query.h"
#include "serve/server_int.h"

static const double buckets[] = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5,
				 1, 2.5, 5, 10, 30};

_Static_assert(sizeof(buckets) / sizeof(buckets[0]) == NBUCKETS,
	       "NBUCKETS is the number of buckets");

static void logf_(struct cs_serve *s, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void logf_(struct cs_serve *s, const char *fmt, ...)
{
	char m[512];
	va_list ap;

	if (!s->o.log)
		return;
	va_start(ap, fmt);
	vsnprintf(m, sizeof(m), fmt, ap);
	va_end(ap);
	s->o.log(s->o.log_ctx, m);
}

static void mhd_log(void *cls, const char *fmt, va_list ap)
{
	struct cs_serve *s = cls;
	char m[512];
	size_t n;

	vsnprintf(m, sizeof(m), fmt, ap);
	n = strlen(m);
	while (n && (m[n - 1] == '\n' || m[n - 1] == '\r'))
		m[--n] = '\0';
	logf_(s, "http: %s", m);
}

void serve_runtime_put(struct cs_serve *s, struct runtime *rt)
{
	bool last;

	if (!rt)
		return;
	pthread_mutex_lock(&s->mu);
	last = --rt->refs == 0;
	pthread_mutex_unlock(&s->mu);
	if (last) {
		cs_serve_config_free(&rt->cfg);
		free(rt);
	}
}

/* ---- responses ---------------------------------------------------- */

enum MHD_Result serve_respond(struct MHD_Connection *c, unsigned status,
			       const char *type, char *body, size_t len)
{
	struct MHD_Response *r;
	enum MHD_Result ret;

	r = MHD_create_response_from_buffer(len, body, MHD_RESPMEM_MUST_FREE);
	if (!r) {
		free(body);
		return MHD_NO;
	}
	MHD_add_response_header(r, "Content-Type", type);
	MHD_add_response_header(r, "Cache-Control", "no-store");
	ret = MHD_queue_response(c, status, r);
	MHD_destroy_response(r);
	return ret;
}

enum MHD_Result serve_respond_text(struct MHD_Connection *c,
				    unsigned status, const char *fmt, ...)
{
	char *body = NULL;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&body, fmt, ap);
	va_end(ap);
	if (n < 0)
		return MHD_NO;
	return serve_respond(c, status, "text/plain; charset=utf-8", body,
		       (size_t)n);
}

/* ---- bookkeeping -------------------------------------------------- */

void serve_account(struct cs_serve *s, const char *module, int result,
		    double secs, const char *target, const char *state,
		    const char *reason)
{
	struct module_stats *m = NULL;
	struct recent *r;
	size_t i;

	pthread_mutex_lock(&s->mu);
	for (i = 0; i < s->nstats; i++)
		if (!strcmp(s->stats[i].name, module))
			m = &s->stats[i];
	if (!m && s->nstats < sizeof(s->stats) / sizeof(s->stats[0])) {
		m = &s->stats[s->nstats++];
		snprintf(m->name, sizeof(m->name), "%s", module);
	}
	if (m)
		*(result > 0 ? &m->success : result == 0 ? &m->failure :
		  &m->error) += 1;
	for (i = 0; i < NBUCKETS && secs > buckets[i]; i++)
		;
	s->hist[i]++;
	s->hist_count++;
	s->hist_sum += secs;
	r = &s->recent[s->recent_next];
	s->recent_next = (s->recent_next + 1) % RECENT;
	if (s->nrecent < RECENT)
		s->nrecent++;
	r->when = s->o.wall_s ? s->o.wall_s(s->o.clock_ctx) : 0;
	snprintf(r->target, sizeof(r->target), "%s", target);
	snprintf(r->module, sizeof(r->module), "%s", module);
	snprintf(r->state, sizeof(r->state), "%s", state);
	snprintf(r->reason, sizeof(r->reason), "%s", reason ? reason : "");
	r->secs = secs;
	pthread_mutex_unlock(&s->mu);
}

/* ---- /metrics ------------------------------------------------------ */

static enum MHD_Result metrics(struct cs_serve *s, struct MHD_Connection *c)
{
	char *body = NULL, *v = NULL;
	size_t len = 0, i;
	uint64_t cum = 0;
	FILE *f = open_memstream(&body, &len);

	if (!f)
		return MHD_NO;
	v = cs_escape(gnutls_check_version(NULL), strlen(
			      gnutls_check_version(NULL)), CS_ESC_LABEL);
	pthread_mutex_lock(&s->mu);
	fprintf(f, "# HELP certscope_exporter_build_info certscope's "
		"version and the GnuTLS it runs on\n"
		"# TYPE certscope_exporter_build_info gauge\n"
		"certscope_exporter_build_info{version=\"%s\",gnutls=\"%s\"} 1\n",
		s->o.version ? s->o.version : "", v ? v : "");
	fprintf(f, "# HELP certscope_exporter_probes_total Probes answered, "
		"by module and result (success: trusted and reached; "
		"failure: checked and not; error: refused or not run)\n"
		"# TYPE certscope_exporter_probes_total counter\n");
	for (i = 0; i < s->nstats; i++) {
		char *m = cs_escape(s->stats[i].name, strlen(s->stats[i].name),
				    CS_ESC_LABEL);
		fprintf(f, "certscope_exporter_probes_total{module=\"%s\","
			"result=\"success\"} %" PRIu64 "\n"
			"certscope_exporter_probes_total{module=\"%s\","
			"result=\"failure\"} %" PRIu64 "\n"
			"certscope_exporter_probes_total{module=\"%s\","
			"result=\"error\"} %" PRIu64 "\n", m ? m : "",
			s->stats[i].success, m ? m : "", s->stats[i].failure,
			m ? m : "", s->stats[i].error);
		free(m);
	}
	fprintf(f, "# HELP certscope_exporter_probe_duration_seconds Time "
		"a probe took\n"
		"# TYPE certscope_exporter_probe_duration_seconds histogram\n");
	for (i = 0; i < NBUCKETS; i++) {
		cum += s->hist[i];
		fprintf(f, "certscope_exporter_probe_duration_seconds_bucket"
			"{le=\"%g\"} %" PRIu64 "\n", buckets[i], cum);
	}
	fprintf(f, "certscope_exporter_probe_duration_seconds_bucket"
		"{le=\"+Inf\"} %" PRIu64 "\n"
		"certscope_exporter_probe_duration_seconds_sum %.6f\n"
		"certscope_exporter_probe_duration_seconds_count %" PRIu64 "\n",
		s->hist_count, s->hist_sum, s->hist_count);
	fprintf(f, "# HELP certscope_exporter_probes_in_flight Probes "
		"running now\n# TYPE certscope_exporter_probes_in_flight "
		"gauge\ncertscope_exporter_probes_in_flight %u\n"
		"# HELP certscope_exporter_refused_total Probe targets "
		"refused by the allow-list\n"
		"# TYPE certscope_exporter_refused_total counter\n"
		"certscope_exporter_refused_total %" PRIu64 "\n"
		"# HELP certscope_exporter_bad_requests_total Requests "
		"answered with 400\n"
		"# TYPE certscope_exporter_bad_requests_total counter\n"
		"certscope_exporter_bad_requests_total %" PRIu64 "\n"
		"# HELP certscope_exporter_config_last_reload_successful 1 "
		"when the last configuration (re)load succeeded\n"
		"# TYPE certscope_exporter_config_last_reload_successful "
		"gauge\ncertscope_exporter_config_last_reload_successful %d\n",
		s->in_flight, s->refused, s->bad_requests,
		s->reload_ok ? 1 : 0);
	pthread_mutex_unlock(&s->mu);
	free(v);
	if (fclose(f) != 0) {
		free(body);
		return MHD_NO;
	}
	return serve_respond(c, MHD_HTTP_OK, "text/plain; version=0.0.4; "
		       "charset=utf-8", body, len);
}

/* ---- / -------------------------------------------------------------- */

/* s made safe for HTML text and attributes. */
static void html(FILE *f, const char *s)
{
	char *e = cs_escape(s, strlen(s), CS_ESC_TEXT);

	for (const char *p = e ? e : ""; *p; p++)
		switch (*p) {
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '&': fputs("&amp;", f); break;
		case '"': fputs("&quot;", f); break;
		case '\'': fputs("&#39;", f); break;
		default: fputc(*p, f);
		}
	free(e);
}

static enum MHD_Result page(struct cs_serve *s, struct MHD_Connection *c)
{
	char *body = NULL, when[32];
	size_t len = 0, i;
	FILE *f = open_memstream(&body, &len);
	struct runtime *rt;

	if (!f)
		return MHD_NO;
	pthread_mutex_lock(&s->mu);
	rt = s->rt;
	fputs("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">"
	      "<title>certscope exporter</title></head><body>\n"
	      "<h1>certscope exporter</h1>\n<p><a href=\"/metrics\">"
	      "Metrics</a> &middot; probe: <code>/probe?target=HOST:PORT"
	      "&amp;module=NAME</code></p>\n<h2>Modules</h2>\n<ul>\n", f);
	for (i = 0; i < rt->cfg.n_modules; i++) {
		const struct cs_serve_module *m = &rt->cfg.modules[i];

		fputs("<li><b>", f);
		html(f, m->name);
		fprintf(f, "</b>: timeout %" PRId64 " s, warn %" PRId64
			" d, crit %" PRId64 " d%s%s</li>\n",
			m->timeout_ms / 1000, m->warn_secs / 86400,
			m->crit_secs / 86400, m->starttls ? ", STARTTLS " : "",
			m->starttls ? cs_starttls_name(m->starttls) : "");
	}
	fprintf(f, "</ul>\n<p>Configuration: ");
	html(f, rt->cfg.path ? rt->cfg.path : "(default: nothing allowed)");
	if (!s->reload_ok) {
		fputs(" &mdash; <b>the last reload failed:</b> ", f);
		html(f, s->reload_why);
	}
	fputs("</p>\n<h2>Last probes</h2>\n<table border=\"1\" "
	      "cellpadding=\"4\">\n<tr><th>time (UTC)</th><th>module</th>"
	      "<th>target</th><th>state</th><th>seconds</th><th>reason</th>"
	      "</tr>\n", f);
	for (i = 0; i < s->nrecent; i++) {
		const struct recent *r =
			&s->recent[(s->recent_next + RECENT - 1 - i) % RECENT];

		cs_time_format(r->when, when, sizeof(when));
		fprintf(f, "<tr><td>%s</td><td>", when);
		html(f, r->module);
		fputs("</td><td>", f);
		html(f, r->target);
		fputs("</td><td>", f);
		html(f, r->state);
		fprintf(f, "</td><td>%.3f</td><td>", r->secs);
		html(f, r->reason);
		fputs("</td></tr>\n", f);
	}
	fputs("</table>\n</body></html>\n", f);
	pthread_mutex_unlock(&s->mu);
	if (fclose(f) != 0) {
		free(body);
		return MHD_NO;
	}
	return serve_respond(c, MHD_HTTP_OK, "text/html; charset=utf-8", body, len);
}

/* ---- dispatch ------------------------------------------------------ */

static void *uri_log(void *cls, const char *uri, struct MHD_Connection *c)
{
	struct request *r = calloc(1, sizeof(*r));

	(void)cls;
	(void)c;
	if (!r)
		return NULL;
	r->len = strlen(uri);
	if (r->len > CS_QUERY_MAX_URI)
		r->too_long = true;
	else
		memcpy(r->uri, uri, r->len + 1);
	return r;
}

static void completed(void *cls, struct MHD_Connection *c, void **con_cls,
		      enum MHD_RequestTerminationCode toe)
{
	(void)cls;
	(void)c;
	(void)toe;
	free(*con_cls);
	*con_cls = NULL;
}

static enum MHD_Result handler(void *cls, struct MHD_Connection *c,
			       const char *url, const char *method,
			       const char *version, const char *upload,
			       size_t *upload_size, void **con_cls)
{
	struct cs_serve *s = cls;
	struct request *r = *con_cls;
	struct cs_query q;
	struct cs_error err;

	(void)url;
	(void)version;
	(void)upload;
	if (*upload_size) {
		*upload_size = 0; /* a body is not read, only refused */
		return MHD_YES;
	}
	if (!r)
		return MHD_NO;
	if (strcmp(method, "GET") && strcmp(method, "HEAD"))
		return serve_respond_text(c, MHD_HTTP_METHOD_NOT_ALLOWED,
				    "only GET\n");
	if (r->too_long ||
	    cs_query_parse(r->uri, r->len, &q, &err) < 0) {
		pthread_mutex_lock(&s->mu);
		s->bad_requests++;
		pthread_mutex_unlock(&s->mu);
		return serve_respond_text(c, r->too_long ? MHD_HTTP_URI_TOO_LONG :
				    MHD_HTTP_BAD_REQUEST, "%s\n", r->too_long ?
				    "request URI too long" : err.msg);
	}
	if (!strcmp(q.path, "/probe"))
		return serve_probe(s, c, &q);
	if (!strcmp(q.path, "/metrics"))
		return metrics(s, c);
	if (!strcmp(q.path, "/"))
		return page(s, c);
	return serve_respond_text(c, MHD_HTTP_NOT_FOUND,
			    "not found: try /probe, /metrics or /\n");
}

/* ---- lifecycle ------------------------------------------------------ */

static int parse_listen(const char *l, struct sockaddr_storage *ss,
			socklen_t *len, struct cs_error *err)
{
	struct cs_net_target t;

	memset(ss, 0, sizeof(*ss));
	if (cs_net_parse_target(l, &t, err) < 0 || !t.is_ip || !t.port_given)
		return cs_error_setx(err, CS_E_USAGE,
				     "--listen takes ADDR:PORT with an IP "
				     "address (127.0.0.1:9219, [::1]:9219), "
				     "not '%.60s'", l);
	if (strchr(t.host, ':')) {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ss;

		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons((uint16_t)t.port);
		inet_pton(AF_INET6, t.host, &s6->sin6_addr);
		*len = sizeof(*s6);
	} else {
		struct sockaddr_in *s4 = (struct sockaddr_in *)ss;

		s4->sin_family = AF_INET;
		s4->sin_port = htons((uint16_t)t.port);
		inet_pton(AF_INET, t.host, &s4->sin_addr);
		*len = sizeof(*s4);
	}
	return 0;
}

struct cs_serve *cs_serve_start(const struct cs_serve_opts *o,
				struct cs_serve_config *cfg,
				struct cs_error *err)
{
	struct cs_serve *s;
	struct sockaddr_storage ss;
	socklen_t sl;
	const union MHD_DaemonInfo *info;
	unsigned flags = MHD_USE_THREAD_PER_CONNECTION |
		MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ITC |
		MHD_USE_ERROR_LOG;

	if (parse_listen(o->listen, &ss, &sl, err) < 0)
		return NULL;
	s = calloc(1, sizeof(*s));
	if (s)
		s->rt = calloc(1, sizeof(*s->rt));
	if (!s || !s->rt) {
		free(s);
		cs_error_setx(err, CS_E_NOMEM, "out of memory");
		return NULL;
	}
	s->o = *o;
	s->rt->cfg = *cfg;
	s->rt->refs = 1;
	memset(cfg, 0, sizeof(*cfg));
	s->reload_ok = true;
	pthread_mutex_init(&s->mu, NULL);
	if (ss.ss_family == AF_INET6)
		flags |= MHD_USE_IPv6;
	s->d = MHD_start_daemon(flags, 0, NULL, NULL, handler, s,
		MHD_OPTION_EXTERNAL_LOGGER, mhd_log, s,
		MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss,
		MHD_OPTION_CONNECTION_LIMIT, (unsigned)CONN_LIMIT,
		MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned)CONN_PER_IP,
		MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)CONN_TIMEOUT_S,
		MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)CONN_MEMORY,
		MHD_OPTION_URI_LOG_CALLBACK, uri_log, s,
		MHD_OPTION_NOTIFY_COMPLETED, completed, s,
		MHD_OPTION_END);
	if (!s->d) {
		cs_error_setx(err, CS_E_NET, "cannot listen on %.60s: %s",
			      o->listen, errno ? strerror(errno) :
			      "address in use or not allowed");
		serve_runtime_put(s, s->rt);
		pthread_mutex_destroy(&s->mu);
		free(s);
		return NULL;
	}
	info = MHD_get_daemon_info(s->d, MHD_DAEMON_INFO_BIND_PORT);
	s->port = info ? info->port : 0;
	(void)sl;
	return s;
}

unsigned cs_serve_port(const struct cs_serve *s)
{
	return s->port;
}

void cs_serve_reload(struct cs_serve *s, struct cs_serve_config *cfg)
{
	struct runtime *rt = calloc(1, sizeof(*rt)), *old;

	if (!rt) {
		cs_serve_reload_failed(s, "out of memory");
		cs_serve_config_free(cfg);
		return;
	}
	rt->cfg = *cfg;
	rt->refs = 1;
	memset(cfg, 0, sizeof(*cfg));
	pthread_mutex_lock(&s->mu);
	old = s->rt;
	s->rt = rt;
	s->reload_ok = true;
	s->reload_why[0] = '\0';
	pthread_mutex_unlock(&s->mu);
	serve_runtime_put(s, old);
}

void cs_serve_reload_failed(struct cs_serve *s, const char *why)
{
	pthread_mutex_lock(&s->mu);
	s->reload_ok = false;
	snprintf(s->reload_why, sizeof(s->reload_why), "%s", why);
	pthread_mutex_unlock(&s->mu);
}

void cs_serve_stop(struct cs_serve *s, int64_t grace_ms)
{
	int64_t end;
	unsigned left;

	if (!s)
		return;
	(void)MHD_quiesce_daemon(s->d);
	end = s->o.now_ms(s->o.clock_ctx) + grace_ms;
	for (;;) {
		pthread_mutex_lock(&s->mu);
		left = s->in_flight;
		pthread_mutex_unlock(&s->mu);
		if (!left || s->o.now_ms(s->o.clock_ctx) >= end)
			break;
		usleep(20 * 1000);
	}
	if (left)
		logf_(s, "stopping with %u probe%s still running", left,
		      left == 1 ? "" : "s");
	MHD_stop_daemon(s->d);
	serve_runtime_put(s, s->rt);
	pthread_mutex_destroy(&s->mu);
	free(s);
}
