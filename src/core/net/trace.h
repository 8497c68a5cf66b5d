/*
 * trace.h - what happened on the wire during `connect --trace`, step by
 * step, recorded by net/ where it happens and shown by report/trace.h:
 * the resolution (resolve.c), the TCP connect and each TLS handshake
 * message either way with what GnuTLS says it carried (tls.c,
 * tls_trace.c), the plaintext lines of a STARTTLS dialogue (starttls.c),
 * the alerts, and where and why it stopped.
 *
 * A step is a time (milliseconds since cs_net_trace_init, read from the
 * deadline's clock), a direction, a name ("resolve", "ClientHello",
 * "SMTP") and fields: key/value pairs, the keys static strings.  Text
 * values are kept as the bytes were (a server's reply, a DNS answer):
 * whoever shows them escapes them.
 *
 * Bounded against a hostile server: at most CS_NET_TRACE_MAX_STEPS
 * steps (the rest counted in `dropped`), CS_NET_TRACE_MAX_FIELDS fields
 * a step (the rest counted in the step's `more`), CS_NET_TRACE_MAX_VALUE
 * bytes a text value (`cut` says one was cut).  The STARTTLS dialogue
 * keeps CS_NET_TRACE_MAX_LINES lines received and counts the rest.
 *
 * Does not: read the clock itself, parse what the peer sent (GnuTLS
 * did; the trace asks GnuTLS's getters), guess what GnuTLS cannot tell,
 * format anything, or print.
 */
#ifndef CS_NET_TRACE_H
#define CS_NET_TRACE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "net/starttls.h"

#define CS_NET_TRACE_MAX_STEPS  256 /* steps kept in one trace */
#define CS_NET_TRACE_MAX_FIELDS 20  /* fields kept in one step */
#define CS_NET_TRACE_MAX_VALUE  120 /* bytes kept of one text value */
#define CS_NET_TRACE_MAX_LINES  24  /* STARTTLS lines received kept */

enum cs_net_trace_dir {
	CS_TRACE_LOCAL = 0, /* resolve, connect, stopped: no message */
	CS_TRACE_SENT,      /* from us to the server */
	CS_TRACE_RECEIVED,  /* from the server */
};

enum cs_net_trace_kind {
	CS_TRACE_TEXT = 0, /* text, len bytes (not NUL-terminated data) */
	CS_TRACE_NUM,      /* num */
	CS_TRACE_FLAG,     /* present: an extension offered */
};

struct cs_net_trace_field {
	const char *key;             /* static: "sni", "version" */
	enum cs_net_trace_kind kind;
	long long num;
	char *text;                  /* owned; NUL-terminated after len */
	size_t len;
	bool cut;                    /* the value was longer: cut at
					CS_NET_TRACE_MAX_VALUE bytes */
};

struct cs_net_trace_step {
	int64_t ms;                  /* since cs_net_trace_init */
	enum cs_net_trace_dir dir;
	const char *what;            /* static: "ClientHello", "resolve" */
	int htype;                   /* TLS handshake type (RFC 8446
					section 4), -1 for other steps */
	struct cs_net_trace_field f[CS_NET_TRACE_MAX_FIELDS];
	unsigned nf;
	unsigned more;               /* fields past CS_NET_TRACE_MAX_FIELDS */
};

struct cs_net_trace {
	int64_t (*now_ms)(void *ctx); /* the deadline's clock */
	void *ctx;                    /* borrowed, passed to now_ms */
	int64_t t0;
	struct cs_net_trace_step *v;  /* owned, n used */
	size_t n, cap;
	size_t dropped;               /* steps past CS_NET_TRACE_MAX_STEPS
					 (or refused for lack of memory) */
};

/* Start an empty trace at the time dl's clock says now (its clock is
 * kept: dl may go away). */
void cs_net_trace_init(struct cs_net_trace *t, const struct cs_deadline *dl);

/* Forget every step (and the dropped count), keep the clock and t0: the
 * next steps' times still count from the start. */
void cs_net_trace_clear(struct cs_net_trace *t);

/* Free what t owns; t is empty afterwards.  NULL is fine. */
void cs_net_trace_free(struct cs_net_trace *t);

/*
 * Append a step named what (static) at the time now, and return it for
 * the fields; NULL when t is NULL, full (counted in t->dropped) or
 * memory runs out.  Every cs_net_trace_* function below takes NULL for
 * the step and then does nothing, so callers need not check.
 */
struct cs_net_trace_step *cs_net_trace_add(struct cs_net_trace *t,
					   enum cs_net_trace_dir dir,
					   const char *what);

/* Add a text field: len bytes at p, cut at CS_NET_TRACE_MAX_VALUE. */
void cs_net_trace_text(struct cs_net_trace_step *st, const char *key,
		       const void *p, size_t len);
/* Add a text field from a NUL-terminated string (NULL: nothing). */
void cs_net_trace_str(struct cs_net_trace_step *st, const char *key,
		      const char *s);
void cs_net_trace_num(struct cs_net_trace_step *st, const char *key,
		      long long num);
void cs_net_trace_flag(struct cs_net_trace_step *st, const char *key);

/*
 * The last step: "stopped", with the reason (err's message, without the
 * "addr: " prefix the net messages start with when addr is given) and
 * "after": the last message either way, when there was one.
 */
void cs_net_trace_stop(struct cs_net_trace *t, const char *addr,
		       const struct cs_error *err);

#endif
