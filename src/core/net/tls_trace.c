/*
 * tls_trace.c - the TLS handshake in a trace (net/trace.h): GnuTLS's
 * handshake hook records each message as it is sent or received, and
 * once the handshake has ended, done or failed, the session getters say
 * what each carried.  Our own ClientHello is read from the bytes GnuTLS
 * built, to say what was offered; nothing the server sent is parsed
 * here.
 *
 * Why at the end: GnuTLS calls the hook of a received message before it
 * processes it, so its getters know nothing of that message yet.
 *
 * GnuTLS has no hook for ChangeCipherSpec.  Under TLS 1.2 one comes
 * right before each Finished (RFC 5246 section 7.4.9, and GnuTLS takes
 * no Finished without it), so it is shown there, at the Finished's time;
 * TLS 1.3's compatibility ChangeCipherSpec (RFC 8446 appendix D.4)
 * carries nothing and is left out.
 *
 * Does not: send anything, decide anything, or print.
 */
#include "net/net_int.h"

#include <gnutls/gnutls.h>
#include <string.h>

#define HELLO_MAX_LIST 8 /* versions and ALPN names shown */

static const struct {
	unsigned type;
	const char *name;
} hs_names[] = {
	{GNUTLS_HANDSHAKE_HELLO_REQUEST, "HelloRequest"},
	{GNUTLS_HANDSHAKE_CLIENT_HELLO, "ClientHello"},
	{GNUTLS_HANDSHAKE_SERVER_HELLO, "ServerHello"},
	{GNUTLS_HANDSHAKE_HELLO_RETRY_REQUEST, "HelloRetryRequest"},
	{GNUTLS_HANDSHAKE_NEW_SESSION_TICKET, "NewSessionTicket"},
	{GNUTLS_HANDSHAKE_END_OF_EARLY_DATA, "EndOfEarlyData"},
	{GNUTLS_HANDSHAKE_ENCRYPTED_EXTENSIONS, "EncryptedExtensions"},
	{GNUTLS_HANDSHAKE_CERTIFICATE_PKT, "Certificate"},
	{GNUTLS_HANDSHAKE_SERVER_KEY_EXCHANGE, "ServerKeyExchange"},
	{GNUTLS_HANDSHAKE_CERTIFICATE_REQUEST, "CertificateRequest"},
	{GNUTLS_HANDSHAKE_SERVER_HELLO_DONE, "ServerHelloDone"},
	{GNUTLS_HANDSHAKE_CERTIFICATE_VERIFY, "CertificateVerify"},
	{GNUTLS_HANDSHAKE_CLIENT_KEY_EXCHANGE, "ClientKeyExchange"},
	{GNUTLS_HANDSHAKE_FINISHED, "Finished"},
	{GNUTLS_HANDSHAKE_CERTIFICATE_STATUS, "CertificateStatus"},
	{GNUTLS_HANDSHAKE_KEY_UPDATE, "KeyUpdate"},
	{GNUTLS_HANDSHAKE_COMPRESSED_CERTIFICATE_PKT, "CompressedCertificate"},
	{GNUTLS_HANDSHAKE_SUPPLEMENTAL, "SupplementalData"},
};

static const char *hs_name(unsigned htype)
{
	size_t i;

	for (i = 0; i < sizeof(hs_names) / sizeof(hs_names[0]); i++)
		if (hs_names[i].type == htype)
			return hs_names[i].name;
	return "HandshakeMessage";
}

/* ---- our ClientHello (RFC 8446 section 4.1.2) ---------------------- */

/* A bounds-checked reader over a borrowed buffer. */
struct rd {
	const unsigned char *p;
	size_t n;
};

static bool rd_u8(struct rd *r, size_t *v)
{
	if (r->n < 1)
		return false;
	*v = r->p[0];
	r->p++;
	r->n--;
	return true;
}

static bool rd_u16(struct rd *r, size_t *v)
{
	if (r->n < 2)
		return false;
	*v = (size_t)r->p[0] << 8 | r->p[1];
	r->p += 2;
	r->n -= 2;
	return true;
}

/* The next len bytes as *sub. */
static bool rd_sub(struct rd *r, size_t len, struct rd *sub)
{
	if (r->n < len)
		return false;
	sub->p = r->p;
	sub->n = len;
	r->p += len;
	r->n -= len;
	return true;
}

/* A vector with a length prefix of 1 or 2 bytes. */
static bool rd_vec(struct rd *r, int prefix, struct rd *sub)
{
	size_t len;

	return (prefix == 1 ? rd_u8(r, &len) : rd_u16(r, &len)) &&
	       rd_sub(r, len, sub);
}

static const char *version_name(size_t v)
{
	switch (v) {
	case 0x0304: return "TLS1.3";
	case 0x0303: return "TLS1.2";
	case 0x0302: return "TLS1.1";
	case 0x0301: return "TLS1.0";
	case 0x0300: return "SSL3.0";
	default: return NULL; /* GREASE and the unknown: not shown */
	}
}

/* What one ClientHello offered; borrowed from the message. */
struct hello {
	const char *versions[HELLO_MAX_LIST];
	size_t n_versions, legacy, suites, groups, n_alpn;
	struct rd sni, alpn[HELLO_MAX_LIST];
	bool status_request, supported_versions;
};

/* RFC 6066 section 3: the first host_name of a server_name list. */
static void hello_sni(struct rd e, struct hello *h)
{
	struct rd list, name;
	size_t type;

	if (!rd_vec(&e, 2, &list))
		return;
	while (rd_u8(&list, &type) && rd_vec(&list, 2, &name))
		if (type == 0 && !h->sni.p) {
			h->sni = name;
			return;
		}
}

static void hello_ext(size_t type, struct rd e, struct hello *h)
{
	struct rd list, name;
	size_t v;

	switch (type) {
	case 0: /* server_name */
		hello_sni(e, h);
		break;
	case 5: /* status_request, RFC 6066 section 8 */
		h->status_request = true;
		break;
	case 10: /* supported_groups, RFC 8446 section 4.2.7 */
		if (rd_vec(&e, 2, &list))
			h->groups = list.n / 2;
		break;
	case 16: /* ALPN, RFC 7301 section 3.1 */
		if (!rd_vec(&e, 2, &list))
			break;
		while (h->n_alpn < HELLO_MAX_LIST && rd_vec(&list, 1, &name))
			h->alpn[h->n_alpn++] = name;
		break;
	case 43: /* supported_versions, RFC 8446 section 4.2.1 */
		if (!rd_vec(&e, 1, &list))
			break;
		h->supported_versions = true;
		while (h->n_versions < HELLO_MAX_LIST && rd_u16(&list, &v))
			if (version_name(v))
				h->versions[h->n_versions++] = version_name(v);
		break;
	default:
		break;
	}
}

/* see net_int.h */
void cs_net_trace_client_hello(struct cs_net_trace_step *st,
			       const unsigned char *msg, size_t len)
{
	struct hello h;
	struct rd r = {msg, len}, skip, suites, exts, e;
	size_t i, s, type;

	memset(&h, 0, sizeof(h));
	if (!st || !rd_u16(&r, &h.legacy) || !rd_sub(&r, 32, &skip) ||
	    !rd_vec(&r, 1, &skip) || !rd_vec(&r, 2, &suites) ||
	    !rd_vec(&r, 1, &skip))
		return;
	while (rd_u16(&suites, &s))
		/* the renegotiation and fallback signals are no suites
		 * (RFC 5746 section 3.3, RFC 7507 section 2) */
		if (s != 0x00ff && s != 0x5600)
			h.suites++;
	if (rd_vec(&r, 2, &exts))
		while (rd_u16(&exts, &type) && rd_vec(&exts, 2, &e))
			hello_ext(type, e, &h);
	if (!h.supported_versions && version_name(h.legacy))
		h.versions[h.n_versions++] = version_name(h.legacy);
	for (i = 0; i < h.n_versions; i++)
		cs_net_trace_str(st, "versions", h.versions[i]);
	if (h.sni.p)
		cs_net_trace_text(st, "sni", h.sni.p, h.sni.n);
	for (i = 0; i < h.n_alpn; i++)
		cs_net_trace_text(st, "alpn_protocols", h.alpn[i].p,
				  h.alpn[i].n);
	cs_net_trace_num(st, "groups", (long long)h.groups);
	cs_net_trace_num(st, "cipher_suites", (long long)h.suites);
	if (h.status_request)
		cs_net_trace_flag(st, "status_request");
}

/* ---- the hook and the details -------------------------------------- */

/* see net_int.h */
int cs_net_trace_hook(gnutls_session_t s, unsigned htype, unsigned when,
		      unsigned incoming, const gnutls_datum_t *msg)
{
	struct cs_net_sess *x = gnutls_session_get_ptr(s);
	enum cs_net_trace_dir dir = incoming ? CS_TRACE_RECEIVED :
					       CS_TRACE_SENT;
	struct cs_net_trace_step *st;

	(void)when;
	if (!x)
		return 0;
	/* under TLS 1.3 the server sends a ticket only once it accepted
	 * the client's Certificate and Finished */
	if (incoming && htype == GNUTLS_HANDSHAKE_NEW_SESSION_TICKET)
		x->ticket = true;
	if (!x->trace)
		return 0;
	if (htype == GNUTLS_HANDSHAKE_FINISHED &&
	    gnutls_protocol_get_version(s) != GNUTLS_TLS1_3)
		(void)cs_net_trace_add(x->trace, dir, "ChangeCipherSpec");
	st = cs_net_trace_add(x->trace, dir, hs_name(htype));
	if (!st)
		return 0;
	st->htype = (int)htype;
	if (!strcmp(st->what, "HandshakeMessage"))
		cs_net_trace_num(st, "type", (long long)htype);
	if (htype == GNUTLS_HANDSHAKE_CLIENT_HELLO && !incoming && msg)
		cs_net_trace_client_hello(st, msg->data, msg->size);
	return 0;
}

static void add_group(gnutls_session_t s, struct cs_net_trace_step *st)
{
	gnutls_group_t g = gnutls_group_get(s);

	if (g != GNUTLS_GROUP_INVALID)
		cs_net_trace_str(st, "group", gnutls_group_get_name(g));
}

static void add_alpn(gnutls_session_t s, struct cs_net_trace_step *st)
{
	gnutls_datum_t d;

	if (gnutls_alpn_get_selected_protocol(s, &d) == 0)
		cs_net_trace_text(st, "alpn", d.data, d.size);
}

static void add_signature(struct cs_net_trace_step *st, int sign)
{
	if (sign > 0)
		cs_net_trace_str(st, "signature",
				 gnutls_sign_get_name((gnutls_sign_algorithm_t)
						      sign));
}

static void add_staple(gnutls_session_t s, struct cs_net_trace_step *st)
{
	gnutls_datum_t d;

	if (gnutls_ocsp_status_request_get(s, &d) == 0 && d.size > 0)
		cs_net_trace_num(st, "ocsp_staple_bytes", (long long)d.size);
}

/* ServerHello: the version, the suite (GnuTLS names it only once the
 * handshake is done: else the cipher alone), and where the protocol puts
 * them there, the group (TLS 1.3) or the ALPN choice (TLS 1.2). */
static void describe_server_hello(gnutls_session_t s,
				  struct cs_net_trace_step *st)
{
	gnutls_protocol_t v = gnutls_protocol_get_version(s);
	gnutls_cipher_algorithm_t c = gnutls_cipher_get(s);
	const char *suite = gnutls_ciphersuite_get(s);

	cs_net_trace_str(st, "version", gnutls_protocol_get_name(v));
	if (suite)
		cs_net_trace_str(st, "cipher_suite", suite);
	else if (c != GNUTLS_CIPHER_UNKNOWN && c != GNUTLS_CIPHER_NULL)
		cs_net_trace_str(st, "cipher", gnutls_cipher_get_name(c));
	if (v == GNUTLS_TLS1_3)
		add_group(s, st);
	else
		add_alpn(s, st);
}

static void describe(gnutls_session_t s, struct cs_net_trace_step *st,
		     const struct cs_net_client *client)
{
	unsigned n = 0;
	bool in = st->dir == CS_TRACE_RECEIVED;

	switch (st->htype) {
	case GNUTLS_HANDSHAKE_SERVER_HELLO:
		describe_server_hello(s, st);
		break;
	case GNUTLS_HANDSHAKE_HELLO_RETRY_REQUEST:
		/* the group it asked for is the one used (RFC 8446 4.1.4) */
		add_group(s, st);
		break;
	case GNUTLS_HANDSHAKE_ENCRYPTED_EXTENSIONS:
		add_alpn(s, st);
		break;
	case GNUTLS_HANDSHAKE_CERTIFICATE_PKT:
		if (!in) {
			if (gnutls_certificate_get_ours(s) && client)
				cs_net_trace_str(st, "subject",
						 cs_net_client_subject(client));
			else
				cs_net_trace_flag(st, "empty");
			break;
		}
		if (gnutls_certificate_get_peers(s, &n))
			cs_net_trace_num(st, "certificates", n);
		if (gnutls_protocol_get_version(s) == GNUTLS_TLS1_3)
			add_staple(s, st);
		break;
	case GNUTLS_HANDSHAKE_CERTIFICATE_STATUS:
		add_staple(s, st);
		break;
	case GNUTLS_HANDSHAKE_SERVER_KEY_EXCHANGE:
		cs_net_trace_str(st, "key_exchange",
				 gnutls_kx_get_name(gnutls_kx_get(s)));
		add_group(s, st);
		add_signature(st, gnutls_sign_algorithm_get(s));
		break;
	case GNUTLS_HANDSHAKE_CERTIFICATE_VERIFY:
		add_signature(st, in ? gnutls_sign_algorithm_get(s) :
				  gnutls_sign_algorithm_get_client(s));
		break;
	default:
		break;
	}
}

/* see net_int.h */
void cs_net_trace_describe(gnutls_session_t s, struct cs_net_trace *t,
			   size_t from, const struct cs_net_client *client)
{
	size_t i;

	for (i = from; t && i < t->n; i++)
		if (t->v[i].htype >= 0 && t->v[i].nf == 0)
			describe(s, &t->v[i], client);
}

/* see net_int.h */
void cs_net_trace_alert(struct cs_net_trace *t, enum cs_net_trace_dir dir,
			int alert, bool fatal)
{
	struct cs_net_trace_step *st = cs_net_trace_add(t, dir, "Alert");

	cs_net_trace_str(st, "alert", cs_net_alert_name(alert));
	cs_net_trace_num(st, "code", alert);
	cs_net_trace_str(st, "level", fatal ? "fatal" : "warning");
}
