/*
 * server_int.h - what the exporter's files share (server.c: the daemon,
 * dispatch, /metrics, /, lifecycle; probe.c: /probe), not the API.
 */
#ifndef CS_SERVE_SERVER_INT_H
#define CS_SERVE_SERVER_INT_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <microhttpd.h>

#include "serve/config.h"
#include "serve/query.h"
#include "serve/server.h"

#define CONN_LIMIT 256            /* open connections */
#define CONN_PER_IP 64
#define CONN_TIMEOUT_S 10         /* idle or slow client */
#define CONN_MEMORY (32 * 1024)   /* request line and headers */
#define MAX_RESPONSE ((size_t)8 * 1024 * 1024)
#define SCRAPE_MARGIN_MS 500
#define MIN_PROBE_MS 1000
#define RECENT 20                 /* probes listed on the page */

#define NBUCKETS 12               /* the probe-duration histogram */

/* A configuration in use, shared by the probes that started under it. */
struct runtime {
	struct cs_serve_config cfg;
	unsigned refs;
};

struct module_stats {
	char name[72];
	uint64_t success, failure, error;
};

struct recent {
	int64_t when;                 /* Unix seconds */
	char target[160], module[72], state[16], reason[200];
	double secs;
};

struct cs_serve {
	struct cs_serve_opts o;
	struct MHD_Daemon *d;
	unsigned port;
	pthread_mutex_t mu;           /* everything below */
	struct runtime *rt;
	unsigned in_flight;
	struct module_stats stats[CS_SERVE_MAX_MODULES * 2];
	size_t nstats;
	uint64_t hist[NBUCKETS + 1], hist_count;
	double hist_sum;
	struct recent recent[RECENT];
	size_t nrecent, recent_next;
	bool reload_ok;
	char reload_why[200];
	uint64_t refused, bad_requests;
};

struct request {
	char uri[CS_QUERY_MAX_URI + 1];
	size_t len;
	bool too_long;
};

/* A response from body (len bytes, malloc'd, taken over). */
enum MHD_Result serve_respond(struct MHD_Connection *c, unsigned status,
			      const char *type, char *body, size_t len);

/* A text/plain response, printf-formatted. */
enum MHD_Result serve_respond_text(struct MHD_Connection *c,
				   unsigned status, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Count a probe: result 1 success, 0 failure, -1 error (refused or not
 * run); for /metrics and the page. */
void serve_account(struct cs_serve *s, const char *module, int result,
		   double secs, const char *target, const char *state,
		   const char *reason);

/* Drop a reference to a configuration in use; the last frees it. */
void serve_runtime_put(struct cs_serve *s, struct runtime *rt);

/* GET /probe (probe.c). */
enum MHD_Result serve_probe(struct cs_serve *s, struct MHD_Connection *c,
			    const struct cs_query *q);

#endif
