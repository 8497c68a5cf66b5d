/*
 * net.h - live mode: parse a HOST[:PORT] target, resolve it, connect
 * without blocking, run the STARTTLS dialogue, complete a TLS handshake
 * with GnuTLS and capture the certificates the server sent, exactly as
 * sent (order and count), and its stapled OCSP response.
 *
 * One deadline (struct cs_deadline) bounds everything together: name
 * resolution (c-ares, on the system's resolver configuration or on
 * servers given; IP literals and "localhost" need no DNS, RFC 6761
 * section 6.3), connect, STARTTLS and the handshake.  Every wait is a
 * poll() for the time left.
 *
 * Does not: validate the chain (verify.h does, on the captured list),
 * send application data, resume sessions, read the clock (the deadline
 * carries a clock function), or print.
 */
#ifndef CS_NET_H
#define CS_NET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "error.h"
#include "input/load.h"
#include "net/starttls.h"
#include "net/trace.h"

/* Hard limits against hostile servers. */
#define CS_NET_MAX_CHAIN_CERTS    32                  /* certs accepted */
#define CS_NET_MAX_CERT_MSG_BYTES ((size_t)256 * 1024) /* one handshake
							  message */
#define CS_NET_MAX_ADDRS          16                  /* per name */
#define CS_NET_MAX_HOST           253                 /* RFC 1035 2.3.4 */
#define CS_NET_CLIENT_WAIT_MS     1000 /* see cs_net_opts.client_wait_ms */

struct cs_net_target {
	char host[CS_NET_MAX_HOST + 1]; /* name or IP literal, no brackets */
	unsigned port;
	bool port_given;                /* PORT was in the string */
	bool is_ip;                     /* host is an IPv4/IPv6 literal */
	enum cs_starttls starttls;      /* from a SCHEME:// prefix */
};

/*
 * Parse "HOST", "HOST:PORT", "[V6]", "[V6]:PORT", a bare IPv6 literal,
 * or any of these after "SCHEME://" (a STARTTLS protocol name, "https"
 * or "tls").  The port defaults to the scheme's (443 without one).
 * Returns 0, or -1 with CS_E_USAGE.
 */
CS_MUST_CHECK int cs_net_parse_target(const char *s, struct cs_net_target *t,
				      struct cs_error *err);

/*
 * The one name of a connection, as curl's --resolve and --connect-to
 * have it: the name the leaf is checked for and the server name sent
 * (RFC 6066 section 3) come from one rule, shared by connect, check's
 * target settings and serve's modules.  host (--host, host=) and sni
 * (--sni, sni=) may be NULL or "".
 *
 *   checked: host, else sni, else t's own name (none for an address);
 *   sent:    none with no_sni; else sni; else checked when it is a DNS
 *            name; else t's own name when it is one (an address never:
 *            RFC 6066 forbids literal addresses in SNI).
 *
 * *checked and *sent (either may be NULL) are borrowed from the
 * arguments or t.
 */
void cs_net_names(const struct cs_net_target *t, const char *host,
		  const char *sni, bool no_sni, const char **checked,
		  const char **sent);

/* Is s an IPv4 or IPv6 literal (no brackets)? */
bool cs_net_is_ip(const char *s);

struct cs_net_addr {
	struct sockaddr_storage sa;
	socklen_t len;
	char text[64]; /* "127.0.0.1:443", "[::1]:443" */
};

struct cs_net_addrlist {
	struct cs_net_addr *v; /* owned */
	size_t n;
};

/*
 * Resolve t (IPv6 and IPv4, at most CS_NET_MAX_ADDRS, duplicates
 * removed, in c-ares' RFC 6724 order) before dl, with c-ares.
 * dns_servers NULL: /etc/resolv.conf and /etc/hosts as c-ares reads
 * them; otherwise a comma-separated list of IP[:PORT] servers (IPv6 in
 * brackets when a port is given) asked instead, /etc/hosts not read.
 * Address families with no non-loopback address on this machine are
 * not asked for (the AI_ADDRCONFIG rule).  Fills *out (free with
 * cs_net_addrlist_free).  Returns 0, or -1 with CS_E_NET (no such name,
 * no server reachable), CS_E_TIMEOUT or CS_E_USAGE (bad server list or
 * host name).  Nothing is left running at return.  trace (may be NULL)
 * gets a "resolve" step, or a "stopped" one on failure.
 */
CS_MUST_CHECK int cs_net_resolve(const struct cs_net_target *t,
				 const char *dns_servers,
				 const struct cs_deadline *dl,
				 struct cs_net_trace *trace,
				 struct cs_net_addrlist *out,
				 struct cs_error *err);

void cs_net_addrlist_free(struct cs_net_addrlist *l);

/*
 * A client certificate (with its chain) and private key, for servers
 * that ask for one (RFC 8446 section 4.4.2, RFC 5246 7.4.6); loaded once,
 * before any connection.  cert and key are PEM or DER files (the key
 * PKCS#1, SEC1 or PKCS#8, encrypted PKCS#8 with password); with key NULL,
 * cert is a PKCS#12 file holding both.  password may be NULL.  Returns 0,
 * or -1 naming the file: CS_E_IO (unreadable), CS_E_PASSWORD (wrong or
 * missing password), CS_E_PARSE (malformed, key not matching the
 * certificate).
 */
struct cs_net_client;
CS_MUST_CHECK int cs_net_client_load(const char *cert, const char *key,
				     const char *password,
				     struct cs_net_client **out,
				     struct cs_error *err);
/* The subject DN (RFC 4514) of the client certificate. */
const char *cs_net_client_subject(const struct cs_net_client *c);
void cs_net_client_free(struct cs_net_client *c);

struct cs_net_opts {
	const struct cs_net_client *client; /* NULL: no client certificate */
	unsigned client_wait_ms; /* TLS 1.3, certificate requested: how long
				    to wait after the handshake for the
				    server to accept or refuse it (0 =
				    CS_NET_CLIENT_WAIT_MS) */
	const char *sni;   /* server name to send (cs_net_names' sent);
			      NULL = the target's host unless it is an IP
			      literal (RFC 6066 section 3 forbids literal
			      addresses in SNI) */
	const char *name;  /* the server's name where a STARTTLS dialogue
			      gives it (XMPP's stream to=), cs_net_names'
			      checked; NULL = sni, else the target's host */
	bool no_sni;       /* send no server_name at all */
	const char *alpn;  /* "h2,http/1.1" or NULL (RFC 7301) */
	bool ocsp;         /* request a stapled OCSP response (RFC 6066 8) */
	const char *priority; /* GnuTLS priority string; NULL = default */
	unsigned max_certs;   /* 0 = CS_NET_MAX_CHAIN_CERTS */
	size_t max_msg_bytes; /* 0 = CS_NET_MAX_CERT_MSG_BYTES */
	struct cs_net_trace *trace; /* borrowed; NULL: no trace.  Steps of
				       cs_net_handshake are appended */
};

struct cs_net_result {
	char addr[64];        /* the address connected to */
	char sni[CS_NET_MAX_HOST + 1]; /* name sent, "" = none */
	char version[32];     /* "TLS1.3" */
	char cipher[96];      /* "TLS_AES_256_GCM_SHA384" */
	char kx[32];          /* key exchange: "ECDHE-RSA", "(TLS1.3)" ... */
	char group[32];       /* "X25519", "" when none */
	char alpn[64];        /* selected protocol, "" when none */
	struct cs_itemlist chain; /* CS_ITEM_CERT items as sent, origin
				     format CS_FMT_NET, path = addr */
	unsigned char *ocsp;  /* owned DER of the stapled response or NULL */
	size_t ocsp_len;
	int64_t connect_ms, starttls_ms, handshake_ms;
	bool client_cert_requested; /* the server sent CertificateRequest */
	bool client_cert_sent;      /* and we answered with a certificate */
	bool client_cert_required;  /* and, none given, it ended the
				       connection: client_cert_refusal says
				       how; the chain had arrived before */
	char client_cert_refusal[320]; /* "ADDR: the server requires a client
					  certificate: ...", or "" */
};

/* Empty result (the chain list initialised). */
void cs_net_result_init(struct cs_net_result *r);

/* Free what r owns and re-initialise it.  NULL is fine. */
void cs_net_result_free(struct cs_net_result *r);

/*
 * Connect to addr, speak t->starttls's dialogue (host = t->host), and
 * complete a TLS handshake, all before dl.  The peer's certificates are
 * not verified here: every chain is captured, whatever it is.
 *
 * Returns 0 with *res filled; -1 with *err: CS_E_TIMEOUT, CS_E_NET
 * (refused, reset, not TLS, STARTTLS refused or injected, handshake
 * failure with the alert name, no certificate), CS_E_LIMIT (more than
 * max_certs certificates, a handshake message over max_msg_bytes).  On
 * failure *res keeps what was learnt (addr, timings).
 *
 * When the server asks for a client certificate, o->client's is sent
 * (none without one).  Without one, a server that then ends the
 * connection (an alert, a close; TLS 1.2 inside the handshake, TLS 1.3
 * after it) has already sent its chain: that is a success, with
 * client_cert_required set, the chain and the parameters captured and
 * client_cert_refusal saying what the server did.  Under TLS 1.3 the server judges it only after the
 * client's Finished, so the handshake is followed by a wait of up to
 * client_wait_ms for the server's first post-handshake message: a
 * NewSessionTicket or data means accepted, an alert (certificate_required,
 * bad_certificate, unknown_ca...) or a close is a CS_E_NET error saying
 * the server refused the client certificate (or that none was sent);
 * without o->client and nothing sent, that refusal (only) is the success
 * with client_cert_required above.  Any other failure after the
 * handshake (another alert, a record that does not decrypt) is a
 * CS_E_NET error.
 *
 * A failure of our own inside the handshake (a malformed message from the
 * server, a limit) is told to the server with an alert.  With o->trace,
 * steps are appended: "connect", the STARTTLS lines, each handshake
 * message either way with what it carried, alerts either way, and on
 * failure "stopped" with the reason (net/trace.h).
 */
CS_MUST_CHECK int cs_net_handshake(const struct cs_net_target *t,
				   const struct cs_net_addr *addr,
				   const struct cs_net_opts *opts,
				   const struct cs_deadline *dl,
				   struct cs_net_result *res,
				   struct cs_error *err);

/* Name of a TLS alert (RFC 8446 section 6): "handshake_failure". */
const char *cs_net_alert_name(int alert);

#endif
