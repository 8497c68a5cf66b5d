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
 * tls.c sets it, clientcert.c's callback reads the client from it. */
struct cs_net_sess {
	const struct cs_net_client *client;
	bool ticket; /* a NewSessionTicket arrived */
};

/* The credentials that answer a CertificateRequest with c's chain and
 * key (clientcert.c); owned by c. */
gnutls_certificate_credentials_t
cs_net_client_cred(const struct cs_net_client *c);

#endif
