/*
 * check.h - many targets at once, for cron, Nagios and Prometheus: the
 * state of each target (OK, WARNING, CRITICAL, UNKNOWN, as the Nagios
 * plugin guidelines number them) from the validator's verdict and the
 * earliest notAfter along the validated path.
 *
 * A target is a certificate file, a directory tree (each leaf found in
 * it is a target of its own, the rest of the tree its pool of
 * intermediates), or an endpoint (HOST[:PORT], https://HOST[:PORT],
 * SCHEME://HOST[:PORT] for a STARTTLS protocol).  Endpoints run
 * concurrently (at most opts->jobs in flight) on one event loop: each
 * endpoint's dialogue runs as a coroutine whose every wait is a poll()
 * entry of the one loop (struct cs_deadline's poll hook), so there is no
 * thread or process per target and one silent server costs its own
 * deadline, not the run's.  Results are handed to a callback as each
 * target finishes and are not kept.
 *
 * Does not: print (report/check.c formats results), read the clock
 * (opts carries a clock function), or exit.
 */
#ifndef CS_CHECK_H
#define CS_CHECK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "timeutil.h"
#include "input/load.h"
#include "net/net.h"
#include "path/trust.h"
#include "path/verify.h"

enum cs_check_state {
	CS_CHECK_OK = 0,
	CS_CHECK_WARNING = 1,
	CS_CHECK_CRITICAL = 2,
	CS_CHECK_UNKNOWN = 3,
};

/* "OK", "WARNING", "CRITICAL", "UNKNOWN" */
const char *cs_check_state_name(enum cs_check_state s);

/* The worse of two states, as the exit code ranks them: UNKNOWN (3) >
 * CRITICAL (2) > WARNING (1) > OK (0). */
#define CS_CHECK_WORSE(a, b) ((a) > (b) ? (a) : (b))

#define CS_CHECK_MAX_TARGET 1024 /* bytes in one target line */

enum cs_check_kind {
	CS_CHECK_PATH,     /* a file or directory tree */
	CS_CHECK_ENDPOINT, /* a TLS server */
};

/* One target, with the settings of its --targets line. */
struct cs_check_target {
	char spec[CS_CHECK_MAX_TARGET]; /* as written, e.g. "smtp://mx:25" */
	enum cs_check_kind kind;
	struct cs_net_target net;  /* CS_CHECK_ENDPOINT only */
	char host[CS_NET_MAX_HOST + 1]; /* host=: name to check; "" = the
					  endpoint's host (files: none) */
	char sni[CS_NET_MAX_HOST + 1];  /* sni=: "" = the name checked */
	bool no_sni;               /* no-sni */
	int64_t timeout_ms;        /* timeout=: 0 = the run's */
	size_t line;               /* line in the targets file, 0 = argv */
};

/*
 * Parse one target: "TARGET" or, from a targets file, "TARGET key=value
 * ..." with the keys host=NAME, sni=NAME, no-sni, starttls=PROTO and
 * timeout=DURATION.  TARGET is an endpoint when it has a scheme
 * ("https://", "tls://", "smtp://", ...) or is not an existing path and
 * looks like HOST[:PORT] with no '/'; otherwise a path.  Returns 0, or
 * -1 with CS_E_USAGE naming what is wrong.
 */
CS_MUST_CHECK int cs_check_target_parse(const char *text, size_t line,
					struct cs_check_target *t,
					struct cs_error *err);

/*
 * Split a targets file's line in place: strips the comment ('#' at the
 * start of a word) and surrounding blanks.  Returns the line, or NULL
 * when nothing is left (blank or comment line).
 */
char *cs_check_line_strip(char *line);

/*
 * --shard K/N: true when spec falls in slice k (1..n) of n.  The slice
 * is a stable hash of the target text (FNV-1a, 64 bits), so adding or
 * removing a target moves no other target to another slice.
 */
bool cs_check_in_shard(const char *spec, unsigned k, unsigned n);

/*
 * The targets a run has already been given, so that a target listed twice
 * is checked once: its metrics would otherwise appear twice, which
 * Prometheus refuses.  cs_check_seen_add returns 0 the first time t's text
 * is seen, 1 when it was seen before with the same settings, 2 when with
 * other settings (check then names the later one by its whole line);
 * -1 when out of memory.
 */
struct cs_check_seen;
struct cs_check_seen *cs_check_seen_new(void);
void cs_check_seen_free(struct cs_check_seen *s);
CS_MUST_CHECK int cs_check_seen_add(struct cs_check_seen *s,
				    const struct cs_check_target *t);

/* A certificate of the validated path, as metrics and JSON name it. */
struct cs_check_cert {
	unsigned position;      /* 0 = leaf */
	char *subject, *issuer; /* owned, RFC 4514 */
	char *serial;           /* owned, colon-separated hex */
	cs_time_t not_after;
	bool anchor;
};

struct cs_check_result {
	char *target;           /* owned: the target, or FILE#N for the Nth
				   certificate of a file holding several */
	char *address;          /* owned: endpoint address used, or NULL */
	char *host;             /* owned: name checked, or NULL */
	enum cs_check_state state;
	bool reached;           /* the certificates were read or received */
	bool trusted;           /* the validator's verdict */
	cs_time_t earliest;     /* earliest notAfter along the validated
				   path (CS_TIME_NONE when there is none) */
	int64_t days_left;      /* floor((earliest - at) / 1 day) */
	int position;           /* certificate the state is about, -1 none */
	char *subject;          /* owned: its subject, or NULL */
	char *code;             /* owned: finding code ("expired",
				   "hostname-mismatch", ...), "expires-soon",
				   an error kind ("net", "timeout", "io"),
				   or "ok" */
	char *reason;           /* owned: one sentence */
	struct cs_check_cert *chain; /* owned: the validated path */
	size_t chain_len;
	int64_t duration_ms;
};

void cs_check_result_free(struct cs_check_result *r);

/* Deep copy (for keeping a result past the callback).  0 / -1. */
CS_MUST_CHECK int cs_check_result_copy(struct cs_check_result *dst,
				       const struct cs_check_result *src);

struct cs_check_opts {
	const struct cs_trust *trust;        /* borrowed */
	const struct cs_itemlist *untrusted; /* borrowed, may be NULL */
	struct cs_verify_opts verify;        /* at, purpose, crls; host is
						per target */
	const char *host;        /* --host for every target, or NULL */
	int64_t warn_secs, crit_secs;        /* thresholds */
	bool unreachable_critical;           /* UNKNOWN becomes CRITICAL */
	bool fetch_missing;      /* --fetch-missing (online.h): endpoints in
				    their deadline; files each in a deadline
				    of timeout_ms of their own */
	int revocation;          /* enum cs_revocation_mode (online.h) */
	unsigned rev_sources;    /* CS_REVOCATION_* */
	const char *cache_dir;   /* fetched CRLs, or NULL */
	cs_time_t now;           /* the clock's time, for that cache */
	struct cs_load_opts load;
	/* endpoints */
	unsigned jobs;           /* in flight at once; 0 = 1 */
	int64_t timeout_ms;      /* per target */
	const char *dns_servers; /* or NULL */
	bool all_addresses;      /* check every address, state the worst */
	struct cs_net_opts net;  /* sni, no_sni, alpn, client ... */
	int64_t (*now_ms)(void *ctx); /* monotonic clock */
	void *clock_ctx;
};

/* Called once per result as it completes (in completion order).  A
 * non-zero return stops the run after the targets in flight. */
typedef int (*cs_check_emit_fn)(void *ctx, const struct cs_check_result *r);

/* Where targets come from: returns 1 with *t filled, 0 at the end, -1
 * with *err (which ends the run). */
typedef int (*cs_check_next_fn)(void *ctx, struct cs_check_target *t,
				struct cs_error *err);

/*
 * Check every target next() gives, handing each result to emit.  Path
 * targets are checked at once; endpoints at most opts->jobs at a time.
 * A target's failure is its result (UNKNOWN with the reason), never the
 * run's.  Returns 0, or -1 with *err when next() failed, emit asked to
 * stop, or the loop itself could not run (out of memory).
 */
CS_MUST_CHECK int cs_check_run(cs_check_next_fn next, void *next_ctx,
			       const struct cs_check_opts *opts,
			       cs_check_emit_fn emit, void *emit_ctx,
			       struct cs_error *err);

/*
 * The state of one verify result (pure; exposed for tests): CRITICAL
 * when not trusted (reason: the first error finding), else by the
 * earliest notAfter of the path against the thresholds.  Fills the
 * state, trusted, earliest, days_left, position, subject, code, reason
 * and chain fields of *r.  Returns 0 / -1 (out of memory).
 */
CS_MUST_CHECK int cs_check_evaluate(const struct cs_verify_result *vr,
				    const struct cs_check_opts *opts,
				    struct cs_check_result *r);

#endif
