/*
 * starttls.h - the plaintext dialogues that come before a TLS upgrade
 * (SMTP, IMAP, POP3, FTP, XMPP, LDAP, PostgreSQL, MySQL, NNTP,
 * ManageSieve), one table row per protocol, and the deadline type shared
 * with net.h.
 *
 * Every read waits at most until the deadline; every reply line and the
 * whole dialogue have a byte ceiling.  After the server's "go ahead"
 * reply, any byte the server has already sent is an error: such bytes
 * were written in plaintext before the handshake, and treating them as
 * TLS data is the STARTTLS response-injection bug (CVE-2011-0411,
 * CVE-2021-23214, RFC 3207 section 5 asks for the same care).
 *
 * Does not: authenticate, read the clock (the caller gives a clock
 * function), print, or negotiate anything but the upgrade.
 */
#ifndef CS_STARTTLS_H
#define CS_STARTTLS_H

#include <stdbool.h>
#include <stdint.h>
#include <poll.h>

#include "error.h"

#define CS_STARTTLS_MAX_LINE  4096          /* bytes in one reply line */
#define CS_STARTTLS_MAX_BYTES (64 * 1024)   /* plaintext before upgrade */

/*
 * A monotonic deadline.  now_ms returns milliseconds from any fixed
 * origin; it is supplied by the caller because the core never reads the
 * clock itself (tests pass a fake one).
 */
struct cs_deadline {
	int64_t at_ms;                  /* absolute, in now_ms's units */
	int64_t (*now_ms)(void *ctx);
	void *ctx;                      /* borrowed, passed to now_ms */
	/* Every wait of the net stage goes through this poll(): NULL is
	 * the system's; check's event loop passes one that suspends the
	 * target's coroutine until its loop sees the descriptors ready. */
	int (*poll)(void *pctx, struct pollfd *fds, nfds_t n, int timeout_ms);
	void *pctx;                     /* borrowed, passed to poll */
};

/* Milliseconds left before the deadline, 0 when passed; clamped to
 * INT32_MAX so the result fits poll(). */
int cs_deadline_left(const struct cs_deadline *dl);

/* Wait for fds as poll() does, through dl's poll hook when it has one. */
int cs_deadline_poll(const struct cs_deadline *dl, struct pollfd *fds,
		     nfds_t n, int timeout_ms);

enum cs_starttls {
	CS_STARTTLS_NONE = 0,
	CS_STARTTLS_SMTP,     /* RFC 3207 */
	CS_STARTTLS_IMAP,     /* RFC 3501 section 6.2.1 */
	CS_STARTTLS_POP3,     /* RFC 2595 section 4 (STLS) */
	CS_STARTTLS_FTP,      /* RFC 4217 (AUTH TLS) */
	CS_STARTTLS_XMPP,     /* RFC 6120 section 5 */
	CS_STARTTLS_LDAP,     /* RFC 4511 section 4.14 */
	CS_STARTTLS_POSTGRES, /* PostgreSQL protocol, SSLRequest */
	CS_STARTTLS_MYSQL,    /* MySQL protocol, SSLRequest packet */
	CS_STARTTLS_NNTP,     /* RFC 4642 */
	CS_STARTTLS_SIEVE,    /* RFC 5804 section 2.2 */
	CS_STARTTLS_COUNT_
};

/* "smtp", "imap", ... ("none" for CS_STARTTLS_NONE). */
const char *cs_starttls_name(enum cs_starttls p);

/* Look a protocol name up (lower case, as on the command line).
 * Returns 0 and sets *out, or -1 when unknown. */
int cs_starttls_lookup(const char *name, enum cs_starttls *out);

/* The protocol's usual port (25, 143, ...); 443 for CS_STARTTLS_NONE. */
unsigned cs_starttls_default_port(enum cs_starttls p);

struct cs_net_trace;

/*
 * Speak proto's plaintext dialogue on the connected socket fd (blocking
 * or not: every wait is a poll() bounded by dl) up to the point where the
 * next byte from the server must be TLS.  host (borrowed, may be NULL)
 * names the server where the protocol wants it (XMPP "to").  trace (may
 * be NULL) gets a step for each line sent and received (net/trace.h).
 *
 * Returns 0 when the server agreed to the upgrade and sent nothing more;
 * -1 with *err otherwise: CS_E_TIMEOUT when the deadline passed, CS_E_NET
 * when the server's capabilities (EHLO, CAPABILITY, CAPA, FEAT,
 * CAPABILITIES, the ManageSieve greeting, the XMPP features, MySQL's
 * CLIENT_SSL) did not offer the upgrade
 * (the command is then not sent), the server refused (an XMPP
 * <stream:error> quoted), closed, spoke another protocol, or sent bytes
 * after its "go ahead" (possible injection), CS_E_LIMIT when a reply was
 * too long.  Server text quoted in err->msg is escaped to printable
 * ASCII.
 */
CS_MUST_CHECK int cs_starttls_run(int fd, enum cs_starttls proto,
				  const char *host,
				  const struct cs_deadline *dl,
				  struct cs_net_trace *trace,
				  struct cs_error *err);

#endif
