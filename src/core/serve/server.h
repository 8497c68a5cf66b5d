/*
 * server.h - the Prometheus exporter behind `certscope serve`: an HTTP
 * server (libmicrohttpd, one thread per connection, bounded) answering
 *
 *   GET /probe?target=T&module=M  the check of one target, in the text
 *                                 exposition format: check's metrics plus
 *                                 probe_success and probe_duration_seconds
 *   GET /metrics                  the exporter's own metrics
 *   GET /                         a short HTML page: modules, last probes
 *
 * Every probe target is held against the configuration's allow-list
 * before any lookup, connection or file access (403 with the reason);
 * bad requests get a 4xx with the reason; at most max_concurrent_probes
 * run at once (503 past that); connections are limited in number, size
 * and time, so a slow or hostile client cannot stall the others.
 *
 * A probe's deadline is Prometheus's X-Prometheus-Scrape-Timeout-Seconds
 * less a margin of 0.5 s (at least 1 s), else the module's timeout.
 * Each probe loads its module's trust store afresh: the store's lazy
 * anchor cache is not shared between threads.
 *
 * Does not: print (messages go to the log callback), read the clock (the
 * callbacks do), handle signals, or exit: the CLI does those.
 */
#ifndef CS_SERVE_SERVER_H
#define CS_SERVE_SERVER_H

#include <stdint.h>

#include "error.h"
#include "serve/config.h"

struct cs_serve_opts {
	const char *listen;             /* "ADDR:PORT", "[V6]:PORT" */
	int64_t (*now_ms)(void *ctx);   /* monotonic */
	int64_t (*wall_s)(void *ctx);   /* Unix seconds, for the page */
	void *clock_ctx;
	void (*log)(void *ctx, const char *msg); /* one line, no newline */
	void *log_ctx;
	const char *version;            /* for build_info */
};

struct cs_serve;

/* Start serving cfg (taken over, freed with the server).  Returns NULL
 * with CS_E_USAGE (bad listen address) or CS_E_NET (cannot listen). */
CS_MUST_CHECK struct cs_serve *cs_serve_start(const struct cs_serve_opts *o,
					      struct cs_serve_config *cfg,
					      struct cs_error *err);

/* The port actually listened on (for --listen 127.0.0.1:0). */
unsigned cs_serve_port(const struct cs_serve *s);

/* Use cfg (taken over) for the probes that start from now on; probes in
 * flight finish with the old one. */
void cs_serve_reload(struct cs_serve *s, struct cs_serve_config *cfg);

/* Note the result of a reload attempt for /metrics and the page. */
void cs_serve_reload_failed(struct cs_serve *s, const char *why);

/* Stop accepting, wait up to grace_ms for the probes in flight, stop,
 * and free everything. */
void cs_serve_stop(struct cs_serve *s, int64_t grace_ms);

#endif
