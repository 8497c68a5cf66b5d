/* see starttls.h */
#include "net/starttls.h"

#include "input/der.h"
#include "net/trace.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/types.h>

/* Bytes of server text quoted in an error message. */
#define QUOTE_MAX 80

/* A buffered reader over the socket.  Nothing is ever read beyond what
 * the buffer can hold, and what is left in it after the final reply is
 * counted as injected bytes, never handed to TLS. */
struct sio {
	int fd;
	const struct cs_deadline *dl;
	const char *proto;        /* "SMTP", for messages */
	unsigned char buf[CS_STARTTLS_MAX_LINE * 2];
	size_t off, len;          /* unread bytes are buf[off..len) */
	size_t total;             /* bytes received so far */
	struct cs_net_trace *trace; /* borrowed, NULL: no trace */
	unsigned lines_in;        /* lines and data received, traced */
	unsigned lines_untraced;  /* ... past CS_NET_TRACE_MAX_LINES */
};

int cs_deadline_left(const struct cs_deadline *dl)
{
	int64_t left;

	if (!dl || !dl->now_ms)
		return 0;
	left = dl->at_ms - dl->now_ms(dl->ctx);
	if (left <= 0)
		return 0;
	if (left > INT32_MAX)
		return INT32_MAX;
	return (int)left;
}

int cs_deadline_poll(const struct cs_deadline *dl, struct pollfd *fds,
		     nfds_t n, int timeout_ms)
{
	if (dl && dl->poll)
		return dl->poll(dl->pctx, fds, n, timeout_ms);
	return poll(fds, n, timeout_ms);
}

/* Printable-ASCII copy of untrusted server bytes for an error message. */
static void quote(char *out, size_t outsz, const unsigned char *p, size_t n)
{
	size_t o = 0, i;

	for (i = 0; i < n && o + 5 < outsz; i++) {
		if (i >= QUOTE_MAX) {
			memcpy(out + o, "...", 3);
			o += 3;
			break;
		}
		if (p[i] >= 0x20 && p[i] < 0x7f && p[i] != '\\') {
			out[o++] = (char)p[i];
		} else {
			snprintf(out + o, outsz - o, "\\x%02x", p[i]);
			o += 4;
		}
	}
	out[o] = '\0';
}

/* Trace n bytes sent or received: a line (without its CR LF) or, for the
 * binary protocols, data.  Lines received past CS_NET_TRACE_MAX_LINES
 * are only counted. */
static void sio_trace(struct sio *s, enum cs_net_trace_dir dir,
		      const void *p, size_t n, bool line)
{
	struct cs_net_trace_step *st;

	if (!s->trace)
		return;
	if (dir == CS_TRACE_RECEIVED &&
	    s->lines_in++ >= CS_NET_TRACE_MAX_LINES) {
		s->lines_untraced++;
		return;
	}
	st = cs_net_trace_add(s->trace, dir, s->proto);
	if (line) {
		cs_net_trace_text(st, "line", p, n);
		return;
	}
	cs_net_trace_text(st, "data", p, n);
	cs_net_trace_num(st, "bytes", (long long)n);
}

/* Wait until fd is ready for events or the deadline passes. */
static int wait_fd(int fd, short events, const struct cs_deadline *dl,
		   const char *what, struct cs_error *err)
{
	struct pollfd pfd = {.fd = fd, .events = events};
	int left, rc;

	for (;;) {
		left = cs_deadline_left(dl);
		if (left <= 0)
			return cs_error_setx(err, CS_E_TIMEOUT,
					     "timed out during the %s dialogue",
					     what);
		rc = cs_deadline_poll(dl, &pfd, 1, left);
		if (rc > 0)
			return 0;
		if (rc == 0)
			continue; /* re-check the deadline */
		if (errno != EINTR)
			return cs_error_set(err, CS_E_NET, "poll");
	}
}

static int sio_fill(struct sio *s, struct cs_error *err)
{
	ssize_t r;

	if (s->off > 0) {
		memmove(s->buf, s->buf + s->off, s->len - s->off);
		s->len -= s->off;
		s->off = 0;
	}
	if (s->len == sizeof(s->buf))
		return cs_error_setx(err, CS_E_LIMIT,
				     "%s reply line longer than %d bytes",
				     s->proto, CS_STARTTLS_MAX_LINE);
	for (;;) {
		if (wait_fd(s->fd, POLLIN, s->dl, s->proto, err) < 0)
			return -1;
		r = recv(s->fd, s->buf + s->len, sizeof(s->buf) - s->len,
			 MSG_DONTWAIT);
		if (r > 0)
			break;
		if (r == 0)
			return cs_error_setx(err, CS_E_NET,
					     "server closed the connection "
					     "during the %s dialogue",
					     s->proto);
		if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
			return cs_error_set(err, CS_E_NET,
					    "%s dialogue: receive", s->proto);
	}
	s->len += (size_t)r;
	s->total += (size_t)r;
	if (s->total > CS_STARTTLS_MAX_BYTES)
		return cs_error_setx(err, CS_E_LIMIT,
				     "server sent more than %d bytes during "
				     "the %s dialogue", CS_STARTTLS_MAX_BYTES,
				     s->proto);
	return 0;
}

/* Next line without its CR LF, NUL-terminated, into line (at least
 * CS_STARTTLS_MAX_LINE + 1 bytes).  *n gets its length. */
static int sio_line(struct sio *s, char *line, size_t *n,
		    struct cs_error *err)
{
	unsigned char *nl;
	size_t l;

	for (;;) {
		nl = memchr(s->buf + s->off, '\n', s->len - s->off);
		if (nl)
			break;
		if (s->len - s->off > CS_STARTTLS_MAX_LINE)
			return cs_error_setx(err, CS_E_LIMIT,
					     "%s reply line longer than %d "
					     "bytes", s->proto,
					     CS_STARTTLS_MAX_LINE);
		if (sio_fill(s, err) < 0)
			return -1;
	}
	l = (size_t)(nl - (s->buf + s->off));
	if (l > CS_STARTTLS_MAX_LINE)
		return cs_error_setx(err, CS_E_LIMIT,
				     "%s reply line longer than %d bytes",
				     s->proto, CS_STARTTLS_MAX_LINE);
	memcpy(line, s->buf + s->off, l);
	s->off += l + 1;
	if (l > 0 && line[l - 1] == '\r')
		l--;
	line[l] = '\0';
	*n = l;
	sio_trace(s, CS_TRACE_RECEIVED, line, l, true);
	return 0;
}

static int sio_read(struct sio *s, unsigned char *out, size_t n,
		    struct cs_error *err)
{
	while (s->len - s->off < n)
		if (sio_fill(s, err) < 0)
			return -1;
	memcpy(out, s->buf + s->off, n);
	s->off += n;
	sio_trace(s, CS_TRACE_RECEIVED, out, n, false);
	return 0;
}

static int sio_write(struct sio *s, const void *data, size_t n,
		     struct cs_error *err)
{
	const unsigned char *p = data;
	ssize_t w;

	if (n >= 2 && p[n - 2] == '\r' && p[n - 1] == '\n')
		sio_trace(s, CS_TRACE_SENT, p, n - 2, true);
	else
		sio_trace(s, CS_TRACE_SENT, p, n, false);
	while (n > 0) {
		if (wait_fd(s->fd, POLLOUT, s->dl, s->proto, err) < 0)
			return -1;
		w = send(s->fd, p, n, MSG_DONTWAIT | MSG_NOSIGNAL);
		if (w < 0) {
			if (errno == EAGAIN || errno == EWOULDBLOCK ||
			    errno == EINTR)
				continue;
			return cs_error_set(err, CS_E_NET, "%s dialogue: send",
					    s->proto);
		}
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

static int sio_puts(struct sio *s, const char *str, struct cs_error *err)
{
	return sio_write(s, str, strlen(str), err);
}

/*
 * The go-ahead has been read: the next byte from the server must be the
 * first byte of its TLS handshake, which it only sends after our
 * ClientHello.  Anything buffered or already waiting in the socket was
 * sent in plaintext before the upgrade and may be an attacker's
 * injection (RFC 3207 section 5, CVE-2011-0411).
 */
static int sio_check_clean(struct sio *s, struct cs_error *err)
{
	unsigned char tmp[4096];
	size_t extra = s->len - s->off;
	ssize_t r;

	r = recv(s->fd, tmp, sizeof(tmp), MSG_PEEK | MSG_DONTWAIT);
	if (r > 0)
		extra += (size_t)r;
	if (extra > 0)
		return cs_error_setx(err, CS_E_NET,
				     "server sent %zu bytes after the STARTTLS "
				     "reply before the TLS handshake (possible "
				     "injection)", extra);
	return 0;
}

static int refused(struct sio *s, const char *line, size_t n,
		   struct cs_error *err)
{
	char q[QUOTE_MAX * 4 + 8];

	quote(q, sizeof(q), (const unsigned char *)line, n);
	return cs_error_setx(err, CS_E_NET,
			     "%s server refused the TLS upgrade: \"%s\"",
			     s->proto, q);
}

/* "an" before an acronym read letter by letter from a vowel sound (an
 * SMTP, an IMAP, an LDAP, an FTP, an NNTP, an XMPP), else "a" (a POP3, a
 * MySQL, a PostgreSQL). */
static const char *article(const char *label)
{
	return strchr("AEFHILMNORSX", label[0]) && label[1] >= 'A' &&
	       label[1] <= 'Z' ? "an" : "a";
}

static int unexpected(struct sio *s, const char *when, const char *line,
		      size_t n, struct cs_error *err)
{
	char q[QUOTE_MAX * 4 + 8];

	quote(q, sizeof(q), (const unsigned char *)line, n);
	return cs_error_setx(err, CS_E_NET,
			     "unexpected %s %s: \"%s\" (not %s %s server?)",
			     s->proto, when, q, article(s->proto), s->proto);
}

/* Is word (case-insensitive) one of the words of line[0..n), words
 * being separated by blanks, '"', '[', ']', '(', ')' and ';'?  Capability
 * lists: IMAP's CAPABILITY, FTP's AUTH mechanisms. */
static bool has_word(const char *line, size_t n, const char *word)
{
	size_t wl = strlen(word), i = 0, j;

	while (i < n) {
		while (i < n && strchr(" \t\"[]();", line[i]))
			i++;
		for (j = i; j < n && !strchr(" \t\"[]();", line[j]); j++)
			;
		if (j - i == wl && !strncasecmp(line + i, word, wl))
			return true;
		i = j;
	}
	return false;
}

/*
 * SMTP/FTP/NNTP style reply: "ddd text", or lines "ddd-text" continued
 * until one starting with "ddd " (RFC 5321 section 4.2.1, RFC 959
 * section 4.2).  Returns the code in *code and the last line in line.
 * With word, *seen tells whether a line of the reply (after its code)
 * has it as its first word: an EHLO keyword (RFC 5321 section 4.1.1.1).
 */
static int read_coded(struct sio *s, int *code, char *line, size_t *n,
		      const char *word, bool *seen, struct cs_error *err)
{
	char first[4];

	if (sio_line(s, line, n, err) < 0)
		return -1;
	if (*n < 3 || line[0] < '1' || line[0] > '5' || line[1] < '0' ||
	    line[1] > '9' || line[2] < '0' || line[2] > '9' ||
	    (*n > 3 && line[3] != ' ' && line[3] != '-'))
		return unexpected(s, "reply", line, *n, err);
	memcpy(first, line, 3);
	first[3] = '\0';
	*code = atoi(first);
	for (;;) {
		if (word && *n > 4 && !memcmp(line, first, 3)) {
			size_t k = 4;
			while (k < *n && line[k] != ' ')
				k++;
			if (k - 4 == strlen(word) &&
			    !strncasecmp(line + 4, word, k - 4))
				*seen = true;
		}
		/* the reply ends at "ddd " (or a bare "ddd") with the same
		 * code; "ddd-" lines and FTP's free text continue it */
		if (!memcmp(line, first, 3) && (*n == 3 || line[3] == ' '))
			break;
		if (sio_line(s, line, n, err) < 0)
			return -1;
	}
	return 0;
}

/* The server's capabilities lack the upgrade: said at once, rather than
 * sending the command anyway and waiting for a refusal or a timeout. */
static int not_offered(struct sio *s, const char *cmd, const char *where,
		       struct cs_error *err)
{
	return cs_error_setx(err, CS_E_NET,
			     "the %s server does not offer %s (%s)", s->proto,
			     cmd, where);
}

/* Ask for the upgrade with cmd: a reply other than go_ok is a refusal,
 * quoted. */
static int coded_upgrade(struct sio *s, const char *cmd, int go_ok,
			 struct cs_error *err)
{
	char line[CS_STARTTLS_MAX_LINE + 1];
	size_t n;
	int code;

	if (sio_puts(s, cmd, err) < 0 ||
	    read_coded(s, &code, line, &n, NULL, NULL, err) < 0)
		return -1;
	if (code != go_ok)
		return refused(s, line, n, err);
	return 0;
}

static int coded_dialogue(struct sio *s, int greet_ok, int greet_ok2,
			  const char *hello, int hello_ok, const char *cmd,
			  int go_ok, struct cs_error *err)
{
	char line[CS_STARTTLS_MAX_LINE + 1];
	size_t n;
	int code;
	bool seen = false;

	if (read_coded(s, &code, line, &n, NULL, NULL, err) < 0)
		return -1;
	if (code != greet_ok && code != greet_ok2)
		return unexpected(s, "greeting", line, n, err);
	if (hello) {
		/* the EHLO reply lists the extensions (RFC 3207 section 4) */
		if (sio_puts(s, hello, err) < 0 ||
		    read_coded(s, &code, line, &n, "STARTTLS", &seen,
			       err) < 0)
			return -1;
		if (code != hello_ok)
			return unexpected(s, "reply to the greeting", line, n,
					  err);
		if (!seen)
			return not_offered(s, "STARTTLS", "its EHLO reply "
					   "does not list it", err);
	}
	return coded_upgrade(s, cmd, go_ok, err);
}

/* A dot-terminated list of capability lines (POP3 CAPA, RFC 2449
 * section 5; NNTP CAPABILITIES, RFC 3977 section 5.2) after its first
 * line: *seen tells whether one line's first word is word. */
static int read_dot_list(struct sio *s, const char *word, bool *seen,
			 struct cs_error *err)
{
	char line[CS_STARTTLS_MAX_LINE + 1];
	size_t n, k;

	for (;;) {
		if (sio_line(s, line, &n, err) < 0)
			return -1;
		if (n == 1 && line[0] == '.')
			return 0;
		for (k = 0; k < n && line[k] != ' '; k++)
			;
		if (k == strlen(word) && !strncasecmp(line, word, k))
			*seen = true;
	}
}

/* RFC 3207 section 4: EHLO, then STARTTLS answered by 220. */
static int do_smtp(struct sio *s, const char *host, struct cs_error *err)
{
	(void)host;
	return coded_dialogue(s, 220, 220, "EHLO certscope.invalid\r\n", 250,
			      "STARTTLS\r\n", 220, err);
}

/* RFC 4217 section 4: AUTH TLS answered by 234, after FEAT (RFC 2389
 * section 3) lists AUTH with TLS among its mechanisms (" AUTH TLS",
 * " AUTH TLS;TLS-C;SSL"); a server without FEAT (500, 502) is asked
 * anyway. */
static int do_ftp(struct sio *s, const char *host, struct cs_error *err)
{
	char line[CS_STARTTLS_MAX_LINE + 1];
	size_t n;
	int code;
	bool seen = false;

	(void)host;
	if (read_coded(s, &code, line, &n, NULL, NULL, err) < 0)
		return -1;
	if (code != 220)
		return unexpected(s, "greeting", line, n, err);
	if (sio_puts(s, "FEAT\r\n", err) < 0 ||
	    sio_line(s, line, &n, err) < 0)
		return -1;
	if (n < 3 || line[0] < '1' || line[0] > '5' || line[1] < '0' ||
	    line[1] > '9' || line[2] < '0' || line[2] > '9')
		return unexpected(s, "reply to FEAT", line, n, err);
	if (n > 3 && line[3] == '-') {
		/* "211-Features:", feature lines (starting with a space),
		 * "211 End" (any other multi-line reply is read past) */
		bool list = !strncmp(line, "211", 3);
		char code3[3];
		memcpy(code3, line, 3);
		for (;;) {
			if (sio_line(s, line, &n, err) < 0)
				return -1;
			if (n >= 3 && !memcmp(line, code3, 3) &&
			    (n == 3 || line[3] == ' '))
				break;
			if (list && n > 6 && !strncasecmp(line, " AUTH ", 6) &&
			    has_word(line + 6, n - 6, "TLS"))
				seen = true;
		}
		if (list && !seen)
			return not_offered(s, "AUTH TLS", "its FEAT reply does "
					   "not list it", err);
	}
	return coded_upgrade(s, "AUTH TLS\r\n", 234, err);
}

/* RFC 4642 section 2.2: greeting 200/201, CAPABILITIES (RFC 3977
 * section 5.2; a server without it answers 500 and is asked anyway),
 * STARTTLS answered by 382. */
static int do_nntp(struct sio *s, const char *host, struct cs_error *err)
{
	char line[CS_STARTTLS_MAX_LINE + 1];
	size_t n;
	int code;
	bool seen = false;

	(void)host;
	if (read_coded(s, &code, line, &n, NULL, NULL, err) < 0)
		return -1;
	if (code != 200 && code != 201)
		return unexpected(s, "greeting", line, n, err);
	if (sio_puts(s, "CAPABILITIES\r\n", err) < 0 ||
	    read_coded(s, &code, line, &n, NULL, NULL, err) < 0)
		return -1;
	if (code == 101) {
		if (read_dot_list(s, "STARTTLS", &seen, err) < 0)
			return -1;
		if (!seen)
			return not_offered(s, "STARTTLS", "its CAPABILITIES "
					   "do not list it", err);
	}
	return coded_upgrade(s, "STARTTLS\r\n", 382, err);
}

static bool starts(const char *line, size_t n, const char *prefix)
{
	size_t l = strlen(prefix);

	return n >= l && !strncasecmp(line, prefix, l);
}

/* The capabilities of an IMAP greeting "* OK [CAPABILITY ...] text"
 * (RFC 3501 section 7.1: resp-text-code right after "OK "), up to the
 * code's ']': false when the greeting has no such code (the words
 * CAPABILITY or STARTTLS in its text are no list). */
static bool imap_code_caps(const char *line, size_t n, const char **caps,
			   size_t *ncaps)
{
	size_t i = 4, j; /* after "* OK" */

	while (i < n && line[i] == ' ')
		i++;
	if (i >= n || line[i] != '[' ||
	    !starts(line + i + 1, n - i - 1, "CAPABILITY "))
		return false;
	i += 1 + strlen("CAPABILITY ");
	for (j = i; j < n && line[j] != ']'; j++)
		;
	if (j >= n)
		return false;
	*caps = line + i;
	*ncaps = j - i;
	return true;
}

/* RFC 3501 sections 6.2.1 and 7.1: the capabilities come in the
 * greeting's [CAPABILITY ...] code (section 7.1) or, asked with a0
 * CAPABILITY, in an untagged "* CAPABILITY" line (section 7.2.1); they
 * must list STARTTLS.  Untagged lines may come before the tagged
 * completion; only "a1 OK" allows the upgrade. */
static int do_imap(struct sio *s, const char *host, struct cs_error *err)
{
	char line[CS_STARTTLS_MAX_LINE + 1];
	const char *caps;
	size_t n, ncaps;
	bool seen = false;

	(void)host;
	if (sio_line(s, line, &n, err) < 0)
		return -1;
	if (!starts(line, n, "* OK"))
		return unexpected(s, "greeting", line, n, err);
	if (imap_code_caps(line, n, &caps, &ncaps)) {
		seen = has_word(caps, ncaps, "STARTTLS");
	} else {
		if (sio_puts(s, "a0 CAPABILITY\r\n", err) < 0)
			return -1;
		for (;;) {
			if (sio_line(s, line, &n, err) < 0)
				return -1;
			if (starts(line, n, "* CAPABILITY ") &&
			    has_word(line, n, "STARTTLS"))
				seen = true;
			if (starts(line, n, "* "))
				continue;
			if (starts(line, n, "a0 OK"))
				break;
			if (starts(line, n, "a0 ")) {
				seen = true; /* no list: ask anyway */
				break;
			}
			return unexpected(s, "reply", line, n, err);
		}
	}
	if (!seen)
		return not_offered(s, "STARTTLS", "its CAPABILITY does not list "
				   "it", err);
	if (sio_puts(s, "a1 STARTTLS\r\n", err) < 0)
		return -1;
	for (;;) {
		if (sio_line(s, line, &n, err) < 0)
			return -1;
		if (starts(line, n, "* "))
			continue;
		if (starts(line, n, "a1 OK"))
			return 0;
		if (starts(line, n, "a1 "))
			return refused(s, line, n, err);
		return unexpected(s, "reply", line, n, err);
	}
}

/* RFC 2595 section 4: STLS answered by +OK, after CAPA (RFC 2449
 * section 5) says STLS is there; a server without CAPA (-ERR) is asked
 * anyway. */
static int do_pop3(struct sio *s, const char *host, struct cs_error *err)
{
	char line[CS_STARTTLS_MAX_LINE + 1];
	size_t n;
	bool seen = false;

	(void)host;
	if (sio_line(s, line, &n, err) < 0)
		return -1;
	if (!starts(line, n, "+OK"))
		return unexpected(s, "greeting", line, n, err);
	if (sio_puts(s, "CAPA\r\n", err) < 0 ||
	    sio_line(s, line, &n, err) < 0)
		return -1;
	if (starts(line, n, "+OK")) {
		if (read_dot_list(s, "STLS", &seen, err) < 0)
			return -1;
		if (!seen)
			return not_offered(s, "STLS", "its CAPA does not list "
					   "it", err);
	} else if (!starts(line, n, "-ERR")) {
		return unexpected(s, "reply", line, n, err);
	}
	if (sio_puts(s, "STLS\r\n", err) < 0 ||
	    sio_line(s, line, &n, err) < 0)
		return -1;
	if (starts(line, n, "+OK"))
		return 0;
	if (starts(line, n, "-ERR"))
		return refused(s, line, n, err);
	return unexpected(s, "reply", line, n, err);
}

/* RFC 5804 sections 1.7 and 2.2: capability lines end with OK; one is
 * "STARTTLS" when the server offers it. */
static int do_sieve(struct sio *s, const char *host, struct cs_error *err)
{
	char line[CS_STARTTLS_MAX_LINE + 1];
	size_t n;
	bool seen = false;

	(void)host;
	for (;;) {
		if (sio_line(s, line, &n, err) < 0)
			return -1;
		if (starts(line, n, "\"")) {
			if (starts(line, n, "\"STARTTLS\""))
				seen = true;
			continue;
		}
		if (starts(line, n, "OK"))
			break;
		return unexpected(s, "greeting", line, n, err);
	}
	if (!seen)
		return not_offered(s, "STARTTLS", "its capabilities do not list "
				   "it", err);
	if (sio_puts(s, "STARTTLS\r\n", err) < 0 ||
	    sio_line(s, line, &n, err) < 0)
		return -1;
	if (starts(line, n, "OK"))
		return 0;
	if (starts(line, n, "NO") || starts(line, n, "BYE"))
		return refused(s, line, n, err);
	return unexpected(s, "reply", line, n, err);
}

/* PostgreSQL SSLRequest: length 8, code 80877103; one byte back, 'S'
 * to proceed, 'N' to refuse (protocol docs, "SSL Session Encryption"). */
static int do_postgres(struct sio *s, const char *host, struct cs_error *err)
{
	static const unsigned char req[8] = {0, 0, 0, 8, 0x04, 0xd2, 0x16,
					     0x2f};
	unsigned char c;

	(void)host;
	if (sio_write(s, req, sizeof(req), err) < 0 ||
	    sio_read(s, &c, 1, err) < 0)
		return -1;
	if (c == 'S')
		return 0;
	if (c == 'N')
		return cs_error_setx(err, CS_E_NET,
				     "PostgreSQL server refused the TLS "
				     "upgrade (answered 'N')");
	return unexpected(s, "reply", (const char *)&c, 1, err);
}

/* MySQL: read the initial handshake packet, require CLIENT_SSL, send an
 * SSLRequest packet; the server answers with its TLS handshake. */
#define MYSQL_CLIENT_LONG_PASSWORD 0x00000001u
#define MYSQL_CLIENT_PROTOCOL_41   0x00000200u
#define MYSQL_CLIENT_SSL           0x00000800u
#define MYSQL_CLIENT_SECURE_CONN   0x00008000u
#define MYSQL_MAX_GREETING         4096
static int do_mysql(struct sio *s, const char *host, struct cs_error *err)
{
	unsigned char hdr[4], pkt[MYSQL_MAX_GREETING], req[36];
	size_t len, i;
	unsigned caps;

	(void)host;
	if (sio_read(s, hdr, 4, err) < 0)
		return -1;
	len = hdr[0] | (size_t)hdr[1] << 8 | (size_t)hdr[2] << 16;
	if (len < 1 || len > sizeof(pkt))
		return cs_error_setx(err, CS_E_NET,
				     "MySQL greeting of %zu bytes (not a MySQL "
				     "server?)", len);
	if (sio_read(s, pkt, len, err) < 0)
		return -1;
	if (pkt[0] == 0xff)
		return unexpected(s, "error packet", (const char *)pkt + 1,
				  len - 1, err);
	if (pkt[0] != 10)
		return cs_error_setx(err, CS_E_NET,
				     "MySQL greeting has protocol version %u, "
				     "not 10", pkt[0]);
	/* version string, then thread id (4), auth data (8), filler (1),
	 * capability flags low 16 bits */
	for (i = 1; i < len && pkt[i]; i++)
		;
	i += 1 + 4 + 8 + 1;
	if (i + 2 > len)
		return cs_error_setx(err, CS_E_NET, "MySQL greeting truncated");
	caps = pkt[i] | (unsigned)pkt[i + 1] << 8;
	if (!(caps & MYSQL_CLIENT_SSL))
		return not_offered(s, "TLS", "CLIENT_SSL is not among the "
				   "capabilities of its greeting", err);
	memset(req, 0, sizeof(req));
	req[0] = 32;          /* payload length */
	req[3] = hdr[3] + 1;  /* sequence id */
	caps = MYSQL_CLIENT_LONG_PASSWORD | MYSQL_CLIENT_PROTOCOL_41 |
	       MYSQL_CLIENT_SSL | MYSQL_CLIENT_SECURE_CONN;
	req[4] = caps & 0xff;
	req[5] = (caps >> 8) & 0xff;
	req[6] = (caps >> 16) & 0xff;
	req[7] = (caps >> 24) & 0xff;
	req[11] = 0x01;       /* max packet size 16 MiB */
	req[12] = 0x21;       /* utf8_general_ci */
	return sio_write(s, req, sizeof(req), err);
}

/* Consume up to and including the first occurrence of needle that ends
 * with '>'; fails on the other needle or on a stream error (RFC 6120
 * section 4.9), *failed_at then the offset in s->buf where the failure
 * was seen.  XML is not parsed, only scanned: this is enough for the
 * fixed elements of RFC 6120 section 5.4.2. */
static int xmpp_wait(struct sio *s, const char *want, const char *fail,
		     bool *failed, size_t *failed_at, struct cs_error *err)
{
	static const char serr[] = "</stream:error";
	unsigned char *p, *gt;
	size_t wl = strlen(want), fl = strlen(fail), off = s->off;

	*failed = false;
	for (;;) {
		p = memmem(s->buf + s->off, s->len - s->off, fail, fl);
		if (!p)
			p = memmem(s->buf + s->off, s->len - s->off, serr,
				   sizeof(serr) - 1);
		if (p) {
			*failed = true;
			*failed_at = s->off;
			s->off = s->len;
			sio_trace(s, CS_TRACE_RECEIVED, s->buf + off,
				  s->off - off, false);
			return 0;
		}
		p = memmem(s->buf + s->off, s->len - s->off, want, wl);
		if (p) {
			gt = memchr(p, '>', (size_t)(s->buf + s->len - p));
			if (gt) {
				s->off = (size_t)(gt + 1 - s->buf);
				sio_trace(s, CS_TRACE_RECEIVED, s->buf + off,
					  s->off - off, false);
				return 0;
			}
		}
		if (sio_fill(s, err) < 0)
			return -1;
		off = s->off; /* sio_fill moved the unread bytes down */
	}
}

/*
 * The stream ended (xmpp_wait failed at from): with a <stream:error>
 * (RFC 6120 section 4.9.3), its condition element's name is quoted
 * ("host-unknown": the domain in to= is not served here) and, for the
 * conditions about the name, how to give another.
 */
static int xmpp_failed(struct sio *s, size_t from, const char *host,
		       const char *what, struct cs_error *err)
{
	static const char tag[] = "<stream:error>";
	const unsigned char *p, *end = s->buf + s->len, *q;
	char cond[QUOTE_MAX * 4 + 8];
	char dom[QUOTE_MAX * 4 + 8];

	p = memmem(s->buf + from, s->len - from, tag, sizeof(tag) - 1);
	if (!p)
		return cs_error_setx(err, CS_E_NET, "XMPP server %s", what);
	p += sizeof(tag) - 1;
	while (p < end && (*p == ' ' || *p == '\t' || *p == '\r' ||
			   *p == '\n'))
		p++;
	if (p < end && *p == '<')
		p++;
	for (q = p; q < end && *q != ' ' && *q != '/' && *q != '>' &&
		    q - p < QUOTE_MAX; q++)
		;
	quote(cond, sizeof(cond), p, (size_t)(q - p));
	quote(dom, sizeof(dom), (const unsigned char *)(host ? host : ""),
	      host ? strlen(host) : 0);
	if ((size_t)(q - p) == 12 && !memcmp(p, "host-unknown", 12))
		return cs_error_setx(err, CS_E_NET,
				     "XMPP server ended the stream: "
				     "<stream:error> host-unknown: it serves "
				     "no domain '%s' (give the XMPP domain "
				     "with --host or --sni)", dom);
	return cs_error_setx(err, CS_E_NET, "XMPP server ended the stream: "
			     "<stream:error> %s", cond);
}

static int do_xmpp(struct sio *s, const char *host, struct cs_error *err)
{
	char hello[512];
	bool failed;
	size_t at = 0;

	snprintf(hello, sizeof(hello),
		 "<?xml version='1.0'?><stream:stream xmlns='jabber:client' "
		 "xmlns:stream='http://etherx.jabber.org/streams' "
		 "to='%s' version='1.0'>", host ? host : "localhost");
	if (sio_puts(s, hello, err) < 0 ||
	    xmpp_wait(s, "</stream:features", "</stream:stream", &failed,
		      &at, err) < 0)
		return -1;
	if (failed)
		return xmpp_failed(s, at, host, "closed the stream before "
				   "offering features", err);
	if (!memmem(s->buf, s->off, "<starttls", 9))
		return not_offered(s, "STARTTLS", "no <starttls/> in its "
				   "features", err);
	if (sio_puts(s, "<starttls xmlns='urn:ietf:params:xml:ns:"
			"xmpp-tls'/>", err) < 0 ||
	    xmpp_wait(s, "<proceed", "<failure", &failed, &at, err) < 0)
		return -1;
	if (failed)
		return memmem(s->buf + at, s->len - at, "<failure", 8) ?
			cs_error_setx(err, CS_E_NET, "XMPP server refused the "
				      "TLS upgrade: <failure/>") :
			xmpp_failed(s, at, host, "closed the stream", err);
	return 0;
}

/* RFC 4511 section 4.14.1: ExtendedRequest with requestName
 * 1.3.6.1.4.1.1466.20037; section 4.12: ExtendedResponse, resultCode 0
 * means success. */
#define LDAP_MAX_RESPONSE 4096
static int do_ldap(struct sio *s, const char *host, struct cs_error *err)
{
	static const unsigned char req[] = {
		0x30, 0x1d, 0x02, 0x01, 0x01, 0x77, 0x18, 0x80, 0x16,
		'1', '.', '3', '.', '6', '.', '1', '.', '4', '.', '1', '.',
		'1', '4', '6', '6', '.', '2', '0', '0', '3', '7'};
	unsigned char hdr[4], body[LDAP_MAX_RESPONSE];
	struct cs_tlv t;
	size_t len = 0, pos;

	(void)host;
	if (sio_write(s, req, sizeof(req), err) < 0 ||
	    sio_read(s, hdr, 2, err) < 0)
		return -1;
	if (hdr[0] != 0x30)
		return unexpected(s, "reply", (const char *)hdr, 2, err);
	if (hdr[1] & 0x80) {
		size_t k = hdr[1] & 0x7f;
		if (k == 0 || k > 2)
			return cs_error_setx(err, CS_E_NET,
					     "LDAP reply has a bad length");
		if (sio_read(s, hdr + 2, k, err) < 0)
			return -1;
	}
	/* the header alone is here: the reply's length from the one DER
	 * reader (its contents are read next) */
	switch (cs_der_read(hdr, 2 + ((hdr[1] & 0x80) ? (hdr[1] & 0x7f) : 0),
			    &t)) {
	case CS_DER_OK:
		len = t.len;
		break;
	case CS_DER_TRUNCATED:
		len = (size_t)(t.total - t.hdr);
		break;
	default:
		return cs_error_setx(err, CS_E_NET,
				     "LDAP reply has a bad length");
	}
	if (len > sizeof(body))
		return cs_error_setx(err, CS_E_LIMIT,
				     "LDAP reply of %zu bytes", len);
	if (sio_read(s, body, len, err) < 0)
		return -1;
	/* messageID INTEGER */
	if (len < 2 || body[0] != 0x02 || (size_t)body[1] + 2 > len)
		goto bad;
	pos = 2 + body[1];
	/* [APPLICATION 24] ExtendedResponse */
	if (pos >= len || body[pos] != 0x78)
		goto bad;
	if (cs_der_read(body + pos, len - pos, &t) != CS_DER_OK)
		goto bad;
	pos += t.hdr;
	if (pos + 3 > len || body[pos] != 0x0a || body[pos + 1] != 1)
		goto bad;
	if (body[pos + 2] != 0)
		return cs_error_setx(err, CS_E_NET,
				     "LDAP server refused the TLS upgrade "
				     "(resultCode %u)", body[pos + 2]);
	return 0;
bad:
	return cs_error_setx(err, CS_E_NET,
			     "LDAP reply is not an ExtendedResponse (not an "
			     "LDAP server?)");
}

struct proto_row {
	const char *name;   /* command-line and URL scheme name */
	const char *label;  /* for messages */
	unsigned port;
	int (*run)(struct sio *s, const char *host, struct cs_error *err);
};

static const struct proto_row protos[CS_STARTTLS_COUNT_] = {
	[CS_STARTTLS_NONE] = {"none", "TLS", 443, NULL},
	[CS_STARTTLS_SMTP] = {"smtp", "SMTP", 25, do_smtp},
	[CS_STARTTLS_IMAP] = {"imap", "IMAP", 143, do_imap},
	[CS_STARTTLS_POP3] = {"pop3", "POP3", 110, do_pop3},
	[CS_STARTTLS_FTP] = {"ftp", "FTP", 21, do_ftp},
	[CS_STARTTLS_XMPP] = {"xmpp", "XMPP", 5222, do_xmpp},
	[CS_STARTTLS_LDAP] = {"ldap", "LDAP", 389, do_ldap},
	[CS_STARTTLS_POSTGRES] = {"postgres", "PostgreSQL", 5432, do_postgres},
	[CS_STARTTLS_MYSQL] = {"mysql", "MySQL", 3306, do_mysql},
	[CS_STARTTLS_NNTP] = {"nntp", "NNTP", 119, do_nntp},
	[CS_STARTTLS_SIEVE] = {"sieve", "ManageSieve", 4190, do_sieve},
};

const char *cs_starttls_name(enum cs_starttls p)
{
	if ((unsigned)p >= CS_STARTTLS_COUNT_)
		return "unknown";
	return protos[p].name;
}

int cs_starttls_lookup(const char *name, enum cs_starttls *out)
{
	size_t i;

	for (i = 1; i < CS_STARTTLS_COUNT_; i++) {
		if (!strcmp(name, protos[i].name)) {
			*out = (enum cs_starttls)i;
			return 0;
		}
	}
	if (!strcmp(name, "postgresql")) {
		*out = CS_STARTTLS_POSTGRES;
		return 0;
	}
	return -1;
}

unsigned cs_starttls_default_port(enum cs_starttls p)
{
	if ((unsigned)p >= CS_STARTTLS_COUNT_)
		return 443;
	return protos[p].port;
}

int cs_starttls_run(int fd, enum cs_starttls proto, const char *host,
		    const struct cs_deadline *dl, struct cs_net_trace *trace,
		    struct cs_error *err)
{
	struct cs_net_trace_step *st;
	struct sio *s;
	int rc;

	if ((unsigned)proto >= CS_STARTTLS_COUNT_)
		return cs_error_setx(err, CS_E_USAGE,
				     "unknown STARTTLS protocol %d", proto);
	if (proto == CS_STARTTLS_NONE)
		return 0;
	s = calloc(1, sizeof(*s));
	if (!s)
		return cs_error_setx(err, CS_E_NOMEM, "out of memory");
	s->fd = fd;
	s->dl = dl;
	s->proto = protos[proto].label;
	s->trace = trace;
	rc = protos[proto].run(s, host, err);
	if (rc == 0)
		rc = sio_check_clean(s, err);
	if (s->lines_untraced) {
		/* a note, not a message: where it stopped is not here */
		st = cs_net_trace_add(trace, CS_TRACE_LOCAL, s->proto);
		cs_net_trace_num(st, "lines_not_shown", s->lines_untraced);
		cs_net_trace_num(st, "limit", CS_NET_TRACE_MAX_LINES);
	}
	free(s);
	return rc;
}
