/*
 * net_int.h - what the files of net/ share and nobody else sees: the
 * state the GnuTLS callbacks of one handshake reach through the session
 * pointer, and the credentials of a loaded client certificate.
 *
 * Does not: declare anything for callers outside net/ (net.h does).
 */
#ifndef CS_NET_INT_H
#define CS_NET_INT_H

#include <stdbool.h>
#include <gnutls/gnutls.h>

#include "net/net.h"

/* What the GnuTLS callbacks of one handshake see (session pointer):
 * tls.c sets it, clientcert.c's callback reads the client from it,
 * tls_trace.c's hook the trace. */
struct cs_net_sess {
	const struct cs_net_client *client;
	bool ticket; /* a NewSessionTicket arrived */
	struct cs_net_trace *trace; /* borrowed, NULL: no trace */
};

/* The credentials that answer a CertificateRequest with c's chain and
 * key (clientcert.c); owned by c. */
gnutls_certificate_credentials_t
cs_net_client_cred(const struct cs_net_client *c);

/*
 * The handshake hook (gnutls_handshake_set_hook_function, GNUTLS_HOOK_POST,
 * any type or NewSessionTicket only): notes a NewSessionTicket in the
 * session's struct cs_net_sess and, with a trace, appends a step for each
 * message (our ClientHello with what it offered).  tls_trace.c.
 */
int cs_net_trace_hook(gnutls_session_t s, unsigned htype, unsigned when,
		      unsigned incoming, const gnutls_datum_t *msg);

/* Once the handshake has ended: what each handshake step of t from index
 * from on carried, from s's getters; client (may be NULL) names the
 * client certificate sent. */
void cs_net_trace_describe(gnutls_session_t s, struct cs_net_trace *t,
			   size_t from, const struct cs_net_client *client);

/* An "Alert" step: its name and code (RFC 8446 section 6), fatal or
 * warning. */
void cs_net_trace_alert(struct cs_net_trace *t, enum cs_net_trace_dir dir,
			int alert, bool fatal);

/* The fields of our own ClientHello (the message body, len bytes, as
 * the hook gets it): versions, SNI, ALPN, the number of groups and
 * cipher suites, status_request.  Reads within len whatever the bytes. */
void cs_net_trace_client_hello(struct cs_net_trace_step *st,
			       const unsigned char *msg, size_t len);

#endif
