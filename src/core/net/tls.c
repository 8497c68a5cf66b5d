/*
 * tls.c - one connection: a non-blocking connect, the STARTTLS dialogue
 * (starttls.c), the GnuTLS handshake over our own transport functions
 * (every wait a poll() bounded by the deadline, the server's first bytes
 * kept to say what it spoke when it was not TLS), failures in words
 * (alert names, limits, resets), the capture of what the server sent
 * (parameters, the chain as items exactly as sent, the OCSP staple), and
 * under TLS 1.3 the wait for the server's verdict on a client
 * certificate.  See cs_net_handshake in net.h.
 *
 * Does not: load the client certificate (clientcert.c), resolve names
 * (resolve.c), judge the chain or the staple (path/), or print.
 */
#include "net/net_int.h"

#include <errno.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

/* First bytes of the server's answer kept to say what it spoke when it
 * was not TLS. */
#define NET_PEEK_BYTES 48
#define NET_MAX_ALPN 8
/* The longest record (header excluded) a peer may send: 2^14 bytes of
 * data plus the expansion of the protection (RFC 5246 section 6.2.3,
 * RFC 8446 section 5.2). */
#define NET_MAX_RECORD_PLAIN 16384
#define NET_MAX_RECORD_TLS12 (16384 + 2048)
#define NET_MAX_RECORD_TLS13 (16384 + 256)

/* ---- connect ------------------------------------------------------ */

static int64_t now_ms(const struct cs_deadline *dl)
{
	return dl && dl->now_ms ? dl->now_ms(dl->ctx) : 0;
}

static int net_connect(const struct cs_net_addr *a,
		       const struct cs_deadline *dl, int *fdp,
		       struct cs_error *err)
{
	struct pollfd pfd;
	int fd, rc, left, soerr = 0, one = 1;
	socklen_t sl = sizeof(soerr);

	*fdp = -1;
	fd = socket(a->sa.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
		    0);
	if (fd < 0)
		return cs_error_set(err, CS_E_NET, "%s: socket", a->text);
	/* GnuTLS writes each record of a flight with its own send(): with
	 * Nagle's algorithm the second one waits for the server's delayed
	 * ACK of the first (about 40 ms on Linux; a TLS 1.2 client's
	 * ClientKeyExchange, ChangeCipherSpec and Finished, a TLS 1.3
	 * client's Certificate and Finished).  A failure only costs time. */
	(void)setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	if (connect(fd, (const struct sockaddr *)&a->sa, a->len) == 0)
		goto ok;
	if (errno != EINPROGRESS) {
		cs_error_set(err, CS_E_NET, "%s: cannot connect", a->text);
		goto fail;
	}
	pfd.fd = fd;
	pfd.events = POLLOUT;
	for (;;) {
		left = cs_deadline_left(dl);
		if (left <= 0) {
			cs_error_setx(err, CS_E_TIMEOUT,
				      "%s: timed out connecting", a->text);
			goto fail;
		}
		rc = cs_deadline_poll(dl, &pfd, 1, left);
		if (rc > 0)
			break;
		if (rc < 0 && errno != EINTR) {
			cs_error_set(err, CS_E_NET, "%s: poll", a->text);
			goto fail;
		}
	}
	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &sl) < 0)
		soerr = errno;
	if (soerr) {
		errno = soerr;
		if (soerr == ECONNREFUSED)
			cs_error_setx(err, CS_E_NET,
				      "%s: connection refused", a->text);
		else
			cs_error_set(err, CS_E_NET, "%s: cannot connect",
				     a->text);
		goto fail;
	}
ok:
	*fdp = fd;
	return 0;
fail:
	close(fd);
	return -1;
}

/* ---- TLS ---------------------------------------------------------- */

/* Transport state: the socket, and the first bytes the server sent,
 * to tell "not TLS" apart from a TLS failure. */
struct conn {
	int fd;
	gnutls_session_t s;
	const struct cs_deadline *dl;
	unsigned char first[NET_PEEK_BYTES];
	size_t nfirst;
	size_t total_in;
	int last_errno;
	/* the record layer as received, to name a record's claimed length
	 * (RFC 8446 section 5.1): the header being read, the bytes left in
	 * the current record, whether the server's ChangeCipherSpec came
	 * (what follows it is encrypted); the first record over its limit:
	 * its length, the limit, which one ("an unencrypted", ...) */
	unsigned char rec_hdr[5];
	size_t rec_nhdr, rec_left;
	bool rec_ccs;
	size_t rec_over_len;
	unsigned rec_over_limit;
	const char *rec_over_what;
};

/* The most a record of content type type may claim: 2^14 before
 * encryption in either version (RFC 5246 section 6.2.1, RFC 8446
 * section 5.1), then 2^14 + 2048 under TLS 1.2 and before (RFC 5246
 * section 6.2.3), 2^14 + 256 under TLS 1.3 (RFC 8446 section 5.2). */
static unsigned record_limit(struct conn *c, unsigned type,
			     const char **what)
{
	if (type != 23 && !c->rec_ccs) {
		*what = "an unencrypted";
		return NET_MAX_RECORD_PLAIN;
	}
	if (gnutls_protocol_get_version(c->s) == GNUTLS_TLS1_3) {
		*what = "an encrypted TLS 1.3";
		return NET_MAX_RECORD_TLS13;
	}
	*what = "an encrypted TLS 1.2";
	return NET_MAX_RECORD_TLS12;
}

/* Follow the record boundaries in n bytes received. */
static void track_records(struct conn *c, const unsigned char *p, size_t n)
{
	size_t k, len;

	while (n > 0) {
		if (c->rec_left > 0) {
			k = n < c->rec_left ? n : c->rec_left;
			c->rec_left -= k;
			p += k;
			n -= k;
			continue;
		}
		c->rec_hdr[c->rec_nhdr++] = *p++;
		n--;
		if (c->rec_nhdr < sizeof(c->rec_hdr))
			continue;
		len = (size_t)c->rec_hdr[3] << 8 | c->rec_hdr[4];
		if (!c->rec_over_len) {
			const char *what;
			unsigned lim = record_limit(c, c->rec_hdr[0], &what);
			if (len > lim) {
				c->rec_over_len = len;
				c->rec_over_limit = lim;
				c->rec_over_what = what;
			}
		}
		if (c->rec_hdr[0] == 20)
			c->rec_ccs = true;
		c->rec_left = len;
		c->rec_nhdr = 0;
	}
}

static ssize_t conn_pull(gnutls_transport_ptr_t p, void *data, size_t len)
{
	struct conn *c = p;
	ssize_t r = recv(c->fd, data, len, MSG_DONTWAIT);

	if (r < 0) {
		c->last_errno = errno;
		gnutls_transport_set_errno(c->s, errno);
		return -1;
	}
	if (c->nfirst < sizeof(c->first)) {
		size_t k = sizeof(c->first) - c->nfirst;
		if (k > (size_t)r)
			k = (size_t)r;
		memcpy(c->first + c->nfirst, data, k);
		c->nfirst += k;
	}
	c->total_in += (size_t)r;
	track_records(c, data, (size_t)r);
	return r;
}

static ssize_t conn_push(gnutls_transport_ptr_t p, const void *data,
			 size_t len)
{
	struct conn *c = p;
	ssize_t w = send(c->fd, data, len, MSG_DONTWAIT | MSG_NOSIGNAL);

	if (w < 0) {
		c->last_errno = errno;
		gnutls_transport_set_errno(c->s, errno);
	}
	return w;
}

/* Wait for data, but never past the deadline (GnuTLS calls this under
 * TLS 1.3 and when it has a timeout of its own). */
static int conn_pull_timeout(gnutls_transport_ptr_t p, unsigned int ms)
{
	struct conn *c = p;
	struct pollfd pfd = {.fd = c->fd, .events = POLLIN};
	int left = cs_deadline_left(c->dl);

	if (ms != GNUTLS_INDEFINITE_TIMEOUT && ms < (unsigned)left)
		left = (int)ms;
	return cs_deadline_poll(c->dl, &pfd, 1, left);
}

static const struct {
	int code;
	const char *name;
} alerts[] = {
	{0, "close_notify"},
	{10, "unexpected_message"},
	{20, "bad_record_mac"},
	{22, "record_overflow"},
	{40, "handshake_failure"},
	{42, "bad_certificate"},
	{43, "unsupported_certificate"},
	{44, "certificate_revoked"},
	{45, "certificate_expired"},
	{46, "certificate_unknown"},
	{47, "illegal_parameter"},
	{48, "unknown_ca"},
	{49, "access_denied"},
	{50, "decode_error"},
	{51, "decrypt_error"},
	{70, "protocol_version"},
	{71, "insufficient_security"},
	{80, "internal_error"},
	{86, "inappropriate_fallback"},
	{90, "user_canceled"},
	{109, "missing_extension"},
	{110, "unsupported_extension"},
	{112, "unrecognized_name"},
	{113, "bad_certificate_status_response"},
	{115, "unknown_psk_identity"},
	{116, "certificate_required"},
	{120, "no_application_protocol"},
};

const char *cs_net_alert_name(int alert)
{
	size_t i;

	for (i = 0; i < sizeof(alerts) / sizeof(alerts[0]); i++)
		if (alerts[i].code == alert)
			return alerts[i].name;
	return "unknown alert";
}

static void quote_bytes(char *out, size_t outsz, const unsigned char *p,
			size_t n)
{
	size_t o = 0, i;

	for (i = 0; i < n && o + 5 < outsz; i++) {
		if (p[i] == '\r' || p[i] == '\n')
			break; /* the first line says enough */
		if (p[i] >= 0x20 && p[i] < 0x7f && p[i] != '\\' &&
		    p[i] != '"') {
			out[o++] = (char)p[i];
		} else {
			snprintf(out + o, outsz - o, "\\x%02x", p[i]);
			o += 4;
		}
	}
	out[o] = '\0';
}

/*
 * A TLS server's first byte is a record of type handshake (22) or alert
 * (21) with major version 3 (RFC 8446 section 5.1, RFC 5246 section
 * 6.2.1).  Anything else means the port speaks something else.
 */
static bool looks_like_tls(const struct conn *c)
{
	if (c->nfirst == 0)
		return true; /* nothing seen: not a "not TLS" case */
	if (c->first[0] != 22 && c->first[0] != 21)
		return false;
	return c->nfirst < 2 || c->first[1] == 3;
}

static int handshake_error(struct conn *c, int ret, const char *addr,
			   size_t max_msg, struct cs_error *err)
{
	char q[NET_PEEK_BYTES * 4 + 8];

	if (!looks_like_tls(c)) {
		/* GnuTLS stops after the 5-byte record header: take what
		 * else already arrived, for a readable quote */
		ssize_t r = recv(c->fd, c->first + c->nfirst,
				 sizeof(c->first) - c->nfirst, MSG_DONTWAIT);
		if (r > 0)
			c->nfirst += (size_t)r;
		quote_bytes(q, sizeof(q), c->first, c->nfirst);
		return cs_error_setlib(err, CS_E_NET, ret,
				       "%s: not TLS: the server answered "
				       "\"%s\"", addr, q);
	}
	switch (ret) {
	case GNUTLS_E_FATAL_ALERT_RECEIVED: {
		int a = (int)gnutls_alert_get(c->s);
		return cs_error_setlib(err, CS_E_NET, ret,
				       "%s: TLS handshake failure: the server "
				       "sent alert %s (%d)", addr,
				       cs_net_alert_name(a), a);
	}
	case GNUTLS_E_RECORD_OVERFLOW:
		/* the record layer, not our limit: the limit that applied
		 * to the record (record_limit), and only that one */
		if (c->rec_over_len)
			return cs_error_setlib(err, CS_E_NET, ret,
				"%s: the server sent an invalid TLS record: "
				"its header claims %zu bytes, more than %s "
				"record may carry (%u)", addr, c->rec_over_len,
				c->rec_over_what, c->rec_over_limit);
		return cs_error_setlib(err, CS_E_NET, ret,
				       "%s: the server sent an invalid TLS "
				       "record: more than the 16384 bytes of "
				       "data a record may carry", addr);
	case GNUTLS_E_HANDSHAKE_TOO_LARGE:
		return cs_error_setlib(err, CS_E_LIMIT, ret,
				       "%s: the server sent a handshake "
				       "message (Certificate) over the limit "
				       "of %zu bytes", addr, max_msg);
	case GNUTLS_E_PREMATURE_TERMINATION:
	case GNUTLS_E_PUSH_ERROR:
	case GNUTLS_E_PULL_ERROR:
		if (c->last_errno == ECONNRESET || c->last_errno == EPIPE)
			return cs_error_setlib(err, CS_E_NET, ret,
					       "%s: connection reset by the "
					       "server during the TLS "
					       "handshake", addr);
		if (ret == GNUTLS_E_PREMATURE_TERMINATION)
			return cs_error_setlib(err, CS_E_NET, ret,
					       "%s: the server closed the "
					       "connection during the TLS "
					       "handshake (after %zu bytes)",
					       addr, c->total_in);
		break;
	default:
		break;
	}
	return cs_error_setlib(err, CS_E_NET, ret,
			       "%s: TLS handshake failure: %s", addr,
			       gnutls_strerror(ret));
}

static int set_alpn(gnutls_session_t s, const char *list,
		    struct cs_error *err)
{
	gnutls_datum_t protos[NET_MAX_ALPN];
	unsigned n = 0;
	const char *p = list, *e;
	int ret;

	while (*p) {
		e = strchr(p, ',');
		if (!e)
			e = p + strlen(p);
		if (e == p || e - p > 255)
			return cs_error_setx(err, CS_E_USAGE,
					     "bad ALPN list '%.60s'", list);
		if (n == NET_MAX_ALPN)
			return cs_error_setx(err, CS_E_USAGE,
					     "more than %d ALPN protocols",
					     NET_MAX_ALPN);
		protos[n].data = (unsigned char *)(uintptr_t)p;
		protos[n].size = (unsigned)(e - p);
		n++;
		p = *e ? e + 1 : e;
	}
	ret = gnutls_alpn_set_protocols(s, protos, n, 0);
	if (ret < 0)
		return cs_error_setlib(err, CS_E_USAGE, ret, "ALPN: %s",
				       gnutls_strerror(ret));
	return 0;
}

/* Append one received certificate as an item; a certificate GnuTLS
 * cannot parse becomes an error item, so the count stays as sent. */
static int add_peer_cert(struct cs_itemlist *l, const gnutls_datum_t *d,
			 const char *addr, size_t index, struct cs_error *err)
{
	struct cs_item *it, *v;
	char why[200];
	int ret;

	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 8;
		v = realloc(l->items, cap * sizeof(*v));
		if (!v)
			return cs_error_setx(err, CS_E_NOMEM, "out of memory");
		l->items = v;
		l->cap = cap;
	}
	it = &l->items[l->n];
	memset(it, 0, sizeof(*it));
	it->origin.path = strdup(addr);
	it->origin.index = index;
	it->origin.format = CS_FMT_NET;
	it->der = malloc(d->size ? d->size : 1);
	if (!it->origin.path || !it->der) {
		free(it->origin.path);
		free(it->der);
		return cs_error_setx(err, CS_E_NOMEM, "out of memory");
	}
	memcpy(it->der, d->data, d->size);
	it->der_len = d->size;
	l->n++;
	it->kind = CS_ITEM_CERT;
	if (cs_cert_check_elements(d->data, d->size, why, sizeof(why)) < 0) {
		it->kind = CS_ITEM_ERROR;
		cs_error_setx(&it->err, CS_E_LIMIT, "certificate %zu sent by "
			      "the server: %s", index, why);
		return 0;
	}
	ret = gnutls_x509_crt_init(&it->crt);
	if (ret == 0)
		ret = gnutls_x509_crt_import(it->crt, d, GNUTLS_X509_FMT_DER);
	if (ret < 0) {
		if (it->crt)
			gnutls_x509_crt_deinit(it->crt);
		it->crt = NULL;
		it->kind = CS_ITEM_ERROR;
		cs_error_setlib(&it->err, CS_E_PARSE, ret,
				"certificate %zu sent by the server cannot "
				"be parsed: %s", index, gnutls_strerror(ret));
	}
	return 0;
}

void cs_net_result_init(struct cs_net_result *r)
{
	memset(r, 0, sizeof(*r));
	cs_itemlist_init(&r->chain);
}

void cs_net_result_free(struct cs_net_result *r)
{
	if (!r)
		return;
	cs_itemlist_free(&r->chain);
	free(r->ocsp);
	cs_net_result_init(r);
}

/* Truncating copy (the fields are for display). */
static void copy_str(char *out, size_t outsz, const char *s)
{
	size_t l = s ? strlen(s) : 0;

	if (l >= outsz)
		l = outsz - 1;
	if (l)
		memcpy(out, s, l);
	out[l] = '\0';
}

/* Fill the negotiated parameters and the chain. */
static int capture(struct conn *c, const struct cs_net_opts *o,
		   struct cs_net_result *res, struct cs_error *err)
{
	const gnutls_datum_t *peers;
	gnutls_datum_t d;
	unsigned n = 0, i, max;
	gnutls_protocol_t ver;

	ver = gnutls_protocol_get_version(c->s);
	copy_str(res->version, sizeof(res->version),
		 gnutls_protocol_get_name(ver));
	copy_str(res->cipher, sizeof(res->cipher),
		 gnutls_ciphersuite_get(c->s));
	if (ver == GNUTLS_TLS1_3)
		copy_str(res->kx, sizeof(res->kx), "ECDHE/DHE (TLS 1.3)");
	else
		copy_str(res->kx, sizeof(res->kx),
			 gnutls_kx_get_name(gnutls_kx_get(c->s)));
	copy_str(res->group, sizeof(res->group),
		 gnutls_group_get_name(gnutls_group_get(c->s)));
	if (gnutls_alpn_get_selected_protocol(c->s, &d) == 0) {
		size_t l = d.size < sizeof(res->alpn) - 1 ?
			d.size : sizeof(res->alpn) - 1;
		char q[sizeof(res->alpn) * 4];
		quote_bytes(q, sizeof(q), d.data, l);
		copy_str(res->alpn, sizeof(res->alpn), q);
	}
	if (o->ocsp && gnutls_ocsp_status_request_get(c->s, &d) == 0 &&
	    d.size > 0) {
		res->ocsp = malloc(d.size);
		if (!res->ocsp)
			return cs_error_setx(err, CS_E_NOMEM, "out of memory");
		memcpy(res->ocsp, d.data, d.size);
		res->ocsp_len = d.size;
	}
	max = o->max_certs ? o->max_certs : CS_NET_MAX_CHAIN_CERTS;
	peers = gnutls_certificate_get_peers(c->s, &n);
	if (!peers || n == 0)
		return cs_error_setx(err, CS_E_NET,
				     "%s: the server sent no certificate",
				     res->addr);
	if (n > max)
		return cs_error_setx(err, CS_E_LIMIT,
				     "%s: the server sent %u certificates; "
				     "certscope accepts at most %u",
				     res->addr, n, max);
	for (i = 0; i < n; i++)
		if (add_peer_cert(&res->chain, &peers[i], res->addr, i + 1,
				  err) < 0)
			return -1;
	return 0;
}

/* ---- TLS 1.3: the verdict on the client certificate ---------------- */

/* A fatal alert a server refuses a client certificate with (RFC 8446
 * sections 4.4.2.4 and 6.2): certificate_required, or one of those a
 * server ends the handshake with when the client's is wrong. */
static bool refusal_alert(int a)
{
	switch (a) {
	case GNUTLS_A_HANDSHAKE_FAILURE:
	case GNUTLS_A_BAD_CERTIFICATE:
	case GNUTLS_A_UNSUPPORTED_CERTIFICATE:
	case GNUTLS_A_CERTIFICATE_REVOKED:
	case GNUTLS_A_CERTIFICATE_EXPIRED:
	case GNUTLS_A_CERTIFICATE_UNKNOWN:
	case GNUTLS_A_UNKNOWN_CA:
	case GNUTLS_A_ACCESS_DENIED:
	case 116: /* certificate_required, RFC 8446 section 6.2 */
		return true;
	default:
		return false;
	}
}

/* What await_client_verdict returns when the server refused: a
 * refusal alert, or a close or reset right after the handshake. */
#define NET_VERDICT_REFUSED (-2)

/*
 * TLS 1.3 with a CertificateRequest: wait up to ms (within the deadline)
 * for the server's verdict on the client's certificate.  sent: one was
 * sent; given: one was configured (--cert), sent or not.  Returns 0
 * (accepted, or no word), NET_VERDICT_REFUSED with *err set when the
 * server refused (refusal_alert, a close, a reset), -1 with *err set on
 * any other failure.
 */
static int await_client_verdict(struct conn *c, unsigned ms,
				const char *addr, bool sent, bool given,
				struct cs_error *err)
{
	const char *none = given ? "the one given (--cert, --key) was not "
			   "sent" : "none was given (--cert, --key)";
	const int64_t end = now_ms(c->dl) + ms;
	const struct cs_net_sess *x = gnutls_session_get_ptr(c->s);
	unsigned char buf[256];
	struct pollfd pfd;
	int ret, left, a;

	/* the hook notes the ticket (with a trace it is set already) */
	if (!x->trace)
		gnutls_handshake_set_hook_function(c->s,
			GNUTLS_HANDSHAKE_NEW_SESSION_TICKET, GNUTLS_HOOK_POST,
			cs_net_trace_hook);
	while (!x->ticket) {
		ret = (int)gnutls_record_recv(c->s, buf, sizeof(buf));
		/* data, a ticket or a polite close (close_notify): the
		 * server finished its handshake, so it accepted */
		if (ret == 0) /* GnuTLS: a close_notify of level warning */
			cs_net_trace_alert(x->trace, CS_TRACE_RECEIVED,
					   GNUTLS_A_CLOSE_NOTIFY, false);
		if (ret >= 0 || x->ticket)
			break;
		if (ret == GNUTLS_E_PREMATURE_TERMINATION ||
		    ((ret == GNUTLS_E_PULL_ERROR ||
		      ret == GNUTLS_E_PUSH_ERROR) &&
		     (c->last_errno == ECONNRESET || c->last_errno == EPIPE))) {
			(void)cs_error_setx(err, CS_E_NET, "%s: the server "
					    "dropped the connection right "
					    "after the handshake, without an "
					    "alert: it %s%s", addr, sent ?
					    "probably refused the client "
					    "certificate" : "had asked for a "
					    "client certificate and ", sent ?
					    "" : none);
			return NET_VERDICT_REFUSED;
		}
		if (ret == GNUTLS_E_FATAL_ALERT_RECEIVED) {
			a = (int)gnutls_alert_get(c->s);
			cs_net_trace_alert(x->trace, CS_TRACE_RECEIVED, a,
					   true);
			if (!refusal_alert(a))
				return cs_error_setlib(err, CS_E_NET, ret,
					"%s: after the handshake, the server "
					"sent alert %s (%d)", addr,
					cs_net_alert_name(a), a);
			(void)cs_error_setlib(err, CS_E_NET, ret,
				"%s: the server refused the client "
				"certificate%s%s: alert %s (%d)", addr,
				sent ? "" : ": ", sent ? "" : none,
				cs_net_alert_name(a), a);
			return NET_VERDICT_REFUSED;
		}
		if (ret != GNUTLS_E_AGAIN && ret != GNUTLS_E_INTERRUPTED &&
		    gnutls_error_is_fatal(ret))
			return cs_error_setlib(err, CS_E_NET, ret,
					       "%s: after the handshake: %s",
					       addr, gnutls_strerror(ret));
		left = (int)(end - now_ms(c->dl));
		if (left > cs_deadline_left(c->dl))
			left = cs_deadline_left(c->dl);
		if (left <= 0)
			break; /* no word from the server: taken as accepted */
		pfd.fd = c->fd;
		pfd.events = POLLIN;
		pfd.revents = 0;
		if (cs_deadline_poll(c->dl, &pfd, 1, left) == 0)
			break;
	}
	if (!x->trace)
		gnutls_handshake_set_hook_function(c->s,
			GNUTLS_HANDSHAKE_NEW_SESSION_TICKET, GNUTLS_HOOK_POST,
			NULL);
	return 0;
}

/* ---- the handshake ------------------------------------------------- */

/* The server ended the connection for want of a client certificate:
 * why says how. */
static void set_required(struct cs_net_result *res, const char *why)
{
	res->client_cert_required = true;
	snprintf(res->client_cert_refusal, sizeof(res->client_cert_refusal),
		 "%.63s: the server requires a client certificate and none "
		 "was given (--cert, --key): %.150s", res->addr, why);
}

/*
 * TLS 1.2: the handshake failed with ret after the server asked for a
 * client certificate and none was sent.  When the server ended it (an
 * alert, a close, a reset), its chain had arrived before its
 * CertificateRequest (RFC 5246 section 7.3): capture it, with the
 * parameters, and say that a client certificate is required.  Returns
 * true when res is filled so; false leaves *err as it is.
 */
static bool client_required(struct conn *c, int ret,
			    const struct cs_net_opts *o,
			    struct cs_net_result *res, struct cs_error *err)
{
	struct cs_error e;
	char why[sizeof(err->msg)];

	if (!gnutls_certificate_client_get_request_status(c->s) ||
	    gnutls_certificate_get_ours(c->s))
		return false;
	if (ret != GNUTLS_E_FATAL_ALERT_RECEIVED &&
	    ret != GNUTLS_E_PREMATURE_TERMINATION &&
	    !((ret == GNUTLS_E_PULL_ERROR || ret == GNUTLS_E_PUSH_ERROR) &&
	      (c->last_errno == ECONNRESET || c->last_errno == EPIPE)))
		return false;
	cs_error_clear(&e);
	if (capture(c, o, res, &e) < 0) {
		cs_itemlist_free(&res->chain);
		cs_itemlist_init(&res->chain);
		free(res->ocsp);
		res->ocsp = NULL;
		res->ocsp_len = 0;
		return false;
	}
	/* err->msg: "ADDR: TLS handshake failure: the server sent alert
	 * handshake_failure (40)" or the like; keep what follows ADDR */
	snprintf(why, sizeof(why), "%s", err->msg);
	/* res->cipher stays "": GnuTLS names the suite once it is in use,
	 * which it never was */
	res->client_cert_requested = true;
	set_required(res, strncmp(why, res->addr, strlen(res->addr)) ? why :
		     why + strlen(res->addr) + 2);
	return true;
}

/*
 * The handshake failed with ret: an alert from the server goes into the
 * trace; a failure of our own (GnuTLS found the server's message wrong,
 * or a limit was hit) is told to the server with the alert GnuTLS maps
 * it to (RFC 8446 section 6.2: implementations SHOULD send one), once,
 * without waiting.  Not after a transport failure, nor to a server that
 * does not speak TLS.
 */
static void failure_alert(struct conn *c, int ret, struct cs_net_trace *t)
{
	int level = GNUTLS_AL_FATAL, a;

	if (ret == GNUTLS_E_FATAL_ALERT_RECEIVED) {
		cs_net_trace_alert(t, CS_TRACE_RECEIVED,
				   (int)gnutls_alert_get(c->s), true);
		return;
	}
	if (ret == GNUTLS_E_PREMATURE_TERMINATION ||
	    ret == GNUTLS_E_PUSH_ERROR || ret == GNUTLS_E_PULL_ERROR ||
	    !looks_like_tls(c))
		return;
	a = gnutls_error_to_alert(ret, &level);
	if (a >= 0 && gnutls_alert_send(c->s, (gnutls_alert_level_t)level,
					(gnutls_alert_description_t)a) == 0)
		cs_net_trace_alert(t, CS_TRACE_SENT, a,
				   level == GNUTLS_AL_FATAL);
}

int cs_net_handshake(const struct cs_net_target *t,
		     const struct cs_net_addr *addr,
		     const struct cs_net_opts *o,
		     const struct cs_deadline *dl, struct cs_net_result *res,
		     struct cs_error *err)
{
	gnutls_certificate_credentials_t cred = NULL;
	struct cs_net_sess sctx = {o->client, false, o->trace};
	struct cs_net_trace_step *st;
	struct conn c;
	struct pollfd pfd;
	int v;
	const char *sni;
	size_t max_msg, trace_from = 0;
	int64_t t0;
	int ret, rc = -1, left, fd = -1;

	memset(&c, 0, sizeof(c));
	copy_str(res->addr, sizeof(res->addr), addr->text);
	max_msg = o->max_msg_bytes ? o->max_msg_bytes :
		CS_NET_MAX_CERT_MSG_BYTES;

	t0 = now_ms(dl);
	if (net_connect(addr, dl, &fd, err) < 0)
		goto out;
	res->connect_ms = now_ms(dl) - t0;
	st = cs_net_trace_add(o->trace, CS_TRACE_LOCAL, "connect");
	cs_net_trace_str(st, "address", addr->text);
	cs_net_trace_str(st, "transport", "TCP");

	t0 = now_ms(dl);
	/* the dialogue names the server as the TLS layer will (an XMPP
	 * server answers host-unknown to an address in to=) */
	if (cs_starttls_run(fd, t->starttls, o->name ? o->name :
			    o->sni && !o->no_sni ? o->sni : t->host, dl,
			    o->trace, err) < 0) {
		/* prefix the address: messages name where it happened */
		char m[sizeof(err->msg)];
		snprintf(m, sizeof(m), "%s", err->msg);
		snprintf(err->msg, sizeof(err->msg), "%.63s: %.190s",
			 addr->text, m);
		goto out;
	}
	res->starttls_ms = now_ms(dl) - t0;

	ret = o->client ? 0 : gnutls_certificate_allocate_credentials(&cred);
	if (ret == 0)
		ret = gnutls_init(&c.s, GNUTLS_CLIENT | GNUTLS_NONBLOCK);
	if (ret == 0)
		ret = o->priority ?
			gnutls_priority_set_direct(c.s, o->priority, NULL) :
			gnutls_set_default_priority(c.s);
	if (ret == 0)
		ret = gnutls_credentials_set(c.s, GNUTLS_CRD_CERTIFICATE,
					     o->client ?
					     cs_net_client_cred(o->client) :
					     cred);
	if (ret < 0) {
		cs_error_setlib(err, CS_E_INTERNAL, ret, "GnuTLS setup: %s",
				gnutls_strerror(ret));
		goto out;
	}
	/* the Certificate message is the big one; GnuTLS's own default is
	 * lower than ours, so this is the limit that applies */
	gnutls_handshake_set_max_packet_length(c.s, max_msg);

	sni = o->sni ? o->sni : (t->is_ip ? NULL : t->host);
	if (!o->no_sni && sni) {
		ret = gnutls_server_name_set(c.s, GNUTLS_NAME_DNS, sni,
					     strlen(sni));
		if (ret < 0) {
			cs_error_setlib(err, CS_E_USAGE, ret, "SNI '%s': %s",
					sni, gnutls_strerror(ret));
			goto out;
		}
		copy_str(res->sni, sizeof(res->sni), sni);
	}
	if (o->alpn && *o->alpn && set_alpn(c.s, o->alpn, err) < 0)
		goto out;
	if (o->ocsp) {
		ret = gnutls_ocsp_status_request_enable_client(c.s, NULL, 0,
							       NULL);
		if (ret < 0) {
			cs_error_setlib(err, CS_E_INTERNAL, ret, "OCSP: %s",
					gnutls_strerror(ret));
			goto out;
		}
	}
	c.fd = fd;
	c.dl = dl;
	gnutls_transport_set_ptr(c.s, &c);
	gnutls_session_set_ptr(c.s, &sctx);
	gnutls_transport_set_pull_function(c.s, conn_pull);
	gnutls_transport_set_push_function(c.s, conn_push);
	gnutls_transport_set_pull_timeout_function(c.s, conn_pull_timeout);
	if (o->trace) {
		trace_from = o->trace->n;
		gnutls_handshake_set_hook_function(c.s, GNUTLS_HANDSHAKE_ANY,
						   GNUTLS_HOOK_POST,
						   cs_net_trace_hook);
	}

	t0 = now_ms(dl);
	for (;;) {
		left = cs_deadline_left(dl);
		if (left <= 0) {
			cs_error_setx(err, CS_E_TIMEOUT,
				      "%s: timed out during the TLS handshake "
				      "(%zu bytes received)", addr->text,
				      c.total_in);
			goto out;
		}
		ret = gnutls_handshake(c.s);
		if (ret == 0)
			break;
		if (ret == GNUTLS_E_AGAIN || ret == GNUTLS_E_INTERRUPTED) {
			pfd.fd = fd;
			pfd.events = gnutls_record_get_direction(c.s) ?
				POLLOUT : POLLIN;
			pfd.revents = 0;
			left = cs_deadline_left(dl);
			if (left > 0 && cs_deadline_poll(dl, &pfd, 1, left) < 0 &&
			    errno != EINTR) {
				cs_error_set(err, CS_E_NET, "%s: poll",
					     addr->text);
				goto out;
			}
			continue;
		}
		if (!gnutls_error_is_fatal(ret) && looks_like_tls(&c)) {
			/* warning alerts: the deadline bounds them */
			if (ret == GNUTLS_E_WARNING_ALERT_RECEIVED)
				cs_net_trace_alert(o->trace, CS_TRACE_RECEIVED,
					(int)gnutls_alert_get(c.s), false);
			continue;
		}
		failure_alert(&c, ret, o->trace);
		handshake_error(&c, ret, addr->text, max_msg, err);
		if (!o->client && client_required(&c, ret, o, res, err)) {
			res->handshake_ms = now_ms(dl) - t0;
			rc = 0;
			goto out;
		}
		if (gnutls_certificate_client_get_request_status(c.s)) {
			/* TLS 1.2: the server judges the client's
			 * certificate inside the handshake */
			size_t l = strlen(err->msg);
			snprintf(err->msg + l, sizeof(err->msg) - l, "; it "
				 "had asked for a client certificate and %s",
				 gnutls_certificate_get_ours(c.s) ?
				 "may have refused the one sent" :
				 "none was given (--cert, --key)");
		}
		goto out;
	}
	res->handshake_ms = now_ms(dl) - t0;
	if (capture(&c, o, res, err) < 0)
		goto out;
	res->client_cert_requested =
		gnutls_certificate_client_get_request_status(c.s) != 0;
	res->client_cert_sent = gnutls_certificate_get_ours(c.s) != NULL;
	if (res->client_cert_requested &&
	    gnutls_protocol_get_version(c.s) == GNUTLS_TLS1_3 &&
	    (v = await_client_verdict(&c, o->client_wait_ms ?
				      o->client_wait_ms : CS_NET_CLIENT_WAIT_MS,
				      addr->text, res->client_cert_sent,
				      o->client != NULL, err)) < 0) {
		/* TLS 1.3: the chain was captured above; "required" only
		 * when none was configured nor sent and the server refused,
		 * as for TLS 1.2 (client_required) */
		char why[96];
		if (res->client_cert_sent || o->client ||
		    v != NET_VERDICT_REFUSED)
			goto out;
		if (err->lib_code == GNUTLS_E_FATAL_ALERT_RECEIVED) {
			int a = (int)gnutls_alert_get(c.s);
			snprintf(why, sizeof(why), "it sent alert %s (%d) after "
				 "the handshake", cs_net_alert_name(a), a);
		} else {
			snprintf(why, sizeof(why), "it ended the connection "
				 "after the handshake");
		}
		set_required(res, why);
	}
	/* a polite close; the answer is not awaited */
	(void)gnutls_bye(c.s, GNUTLS_SHUT_WR);
	rc = 0;
out:
	if (c.s && o->trace)
		cs_net_trace_describe(c.s, o->trace, trace_from, o->client);
	if (rc < 0)
		cs_net_trace_stop(o->trace, addr->text, err);
	if (c.s)
		gnutls_deinit(c.s);
	if (cred)
		gnutls_certificate_free_credentials(cred);
	if (fd >= 0)
		close(fd);
	return rc;
}
