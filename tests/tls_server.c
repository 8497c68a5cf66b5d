/*
 * tls_server.c - a deliberately badly behaved TLS server for the
 * `certscope connect` tests.  Listens on 127.0.0.1 (or another loopback
 * address given by --bind), port chosen by the OS unless --port gives
 * one, prints the port as its first line on stdout, and serves one
 * connection at a time until killed (or after one with --once).
 *
 *   tls_server --cert CHAIN.pem --key KEY.pem [--cert C2 --key K2]
 *              [--mode MODE] [--starttls PROTO] [--once]
 *              [--bind 127.X.Y.Z] [--port N] [--client-ca CA.pem] [--tls12]
 *
 * --client-ca requires a client certificate issued under CA.pem (verified
 * in the handshake, dates ignored); --tls12 allows TLS 1.2 only.
 *
 * Modes: normal, silent, drip, http, random, reset, alert, empty-chain,
 * many-certs, huge-cert, sni (pair 2 when the client sent SNI, pair 1
 * otherwise), old-tls (TLS 1.0 only), hello-only (a real ServerHello
 * record, then the connection closed), bad-hello (a ServerHello too short
 * to parse: the client answers with an alert), starttls-ok,
 * big-record (a record header claiming more than TLS allows),
 * big-record-17000 (a plaintext handshake record header claiming 17,000
 * bytes: over 2^14, under TLS 1.2's 2^14 + 2048), junk-after-handshake
 * (asks for a client certificate without requiring one, sends no ticket,
 * then a record that does not decrypt),
 * starttls-refuse, starttls-inject, starttls-absent (capabilities
 * without the upgrade, a command sent anyway unanswered; the last four
 * need --starttls).
 *
 * Test code: it exits on setup errors and never talks to anything but
 * the loopback client that connected to it.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <gnutls/abstract.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#define MAX_PAIRS 2
#define MAX_CERTS 128
#define MANY_CERTS 100               /* many-certs: certificates sent */
#define HUGE_EXT_BYTES (300 * 1024)  /* huge-cert: over the 256 KiB limit */
#define IO_TIMEOUT_S 10

struct pair {
	gnutls_pcert_st pcert[MAX_CERTS];
	unsigned n;
	gnutls_privkey_t key;
	gnutls_x509_privkey_t xkey;
};

static struct pair pairs[MAX_PAIRS];
static unsigned npairs;
static const char *mode = "normal";
static const char *starttls;
static const char *client_ca; /* require a client certificate from it */
static int tls12;             /* TLS 1.2 only */
static gnutls_datum_t ocsp_staple; /* --ocsp FILE: sent as is */

static void die(const char *what, int ret)
{
	fprintf(stderr, "tls_server: %s: %s\n", what,
		ret ? gnutls_strerror(ret) : strerror(errno));
	exit(1);
}

static gnutls_datum_t slurp(const char *file)
{
	gnutls_datum_t d = {NULL, 0};
	int ret = gnutls_load_file(file, &d);

	if (ret < 0)
		die(file, ret);
	return d;
}

static void add_crt(struct pair *p, gnutls_x509_crt_t crt)
{
	int ret;

	if (p->n == MAX_CERTS)
		die("too many certificates", GNUTLS_E_INTERNAL_ERROR);
	ret = gnutls_pcert_import_x509(&p->pcert[p->n], crt, 0);
	if (ret < 0)
		die("pcert", ret);
	p->n++;
}

/* A self-signed certificate on the pair's key; ext_bytes > 0 adds a
 * private extension of that size (huge-cert). */
static void add_generated(struct pair *p, unsigned serial, size_t ext_bytes)
{
	gnutls_x509_crt_t crt;
	unsigned char ser[4] = {0x01, (unsigned char)(serial >> 16),
				(unsigned char)(serial >> 8),
				(unsigned char)serial};
	char cn[64];
	time_t now = time(NULL);
	int ret;

	snprintf(cn, sizeof(cn), "generated %u", serial);
	if ((ret = gnutls_x509_crt_init(&crt)) < 0 ||
	    (ret = gnutls_x509_crt_set_version(crt, 3)) < 0 ||
	    (ret = gnutls_x509_crt_set_serial(crt, ser, sizeof(ser))) < 0 ||
	    (ret = gnutls_x509_crt_set_activation_time(crt, now - 86400)) < 0 ||
	    (ret = gnutls_x509_crt_set_expiration_time(crt,
			now + 86400 * 3650)) < 0 ||
	    (ret = gnutls_x509_crt_set_dn_by_oid(crt,
			GNUTLS_OID_X520_COMMON_NAME, 0, cn, strlen(cn))) < 0 ||
	    (ret = gnutls_x509_crt_set_key(crt, p->xkey)) < 0)
		die("generate", ret);
	if (ext_bytes) {
		/* DER OCTET STRING with a 3-byte length */
		unsigned char *v = calloc(1, ext_bytes + 5);
		if (!v)
			die("calloc", 0);
		v[0] = 0x04;
		v[1] = 0x83;
		v[2] = (unsigned char)(ext_bytes >> 16);
		v[3] = (unsigned char)(ext_bytes >> 8);
		v[4] = (unsigned char)ext_bytes;
		ret = gnutls_x509_crt_set_extension_by_oid(crt,
			"1.3.6.1.4.1.55555.1", v, ext_bytes + 5, 0);
		free(v);
		if (ret < 0)
			die("extension", ret);
	}
	ret = gnutls_x509_crt_sign2(crt, crt, p->xkey, GNUTLS_DIG_SHA256, 0);
	if (ret < 0)
		die("sign", ret);
	add_crt(p, crt);
	gnutls_x509_crt_deinit(crt);
}

static void load_pair(struct pair *p, const char *certfile,
		      const char *keyfile)
{
	gnutls_datum_t c = slurp(certfile), k = slurp(keyfile);
	gnutls_x509_crt_t *list = NULL;
	unsigned n = 0, i;
	int ret;

	if ((ret = gnutls_x509_privkey_init(&p->xkey)) < 0 ||
	    (ret = gnutls_x509_privkey_import(p->xkey, &k,
					      GNUTLS_X509_FMT_PEM)) < 0 ||
	    (ret = gnutls_privkey_init(&p->key)) < 0 ||
	    (ret = gnutls_privkey_import_x509(p->key, p->xkey, 0)) < 0)
		die(keyfile, ret);
	if (!strcmp(mode, "huge-cert")) {
		add_generated(p, 1, HUGE_EXT_BYTES);
		goto out;
	}
	ret = gnutls_x509_crt_list_import2(&list, &n, &c, GNUTLS_X509_FMT_PEM,
					   0);
	if (ret < 0)
		die(certfile, ret);
	for (i = 0; i < n; i++) {
		add_crt(p, list[i]);
		gnutls_x509_crt_deinit(list[i]);
	}
	gnutls_free(list);
	if (!strcmp(mode, "many-certs"))
		for (i = p->n; i < MANY_CERTS; i++)
			add_generated(p, i, 0);
out:
	gnutls_free(c.data);
	gnutls_free(k.data);
}

/* The server's certificate choice: exactly the list we built. */
static int retrieve(gnutls_session_t s, const gnutls_datum_t *req_ca,
		    int nreq, const gnutls_pk_algorithm_t *pk, int npk,
		    gnutls_pcert_st **pcert, unsigned int *n,
		    gnutls_privkey_t *key)
{
	struct pair *p = &pairs[0];
	char name[256];
	size_t len = sizeof(name);
	unsigned type;

	(void)req_ca; (void)nreq; (void)pk; (void)npk;
	if (!strcmp(mode, "empty-chain")) {
		*pcert = NULL;
		*n = 0;
		*key = NULL;
		return 0;
	}
	if (!strcmp(mode, "sni") && npairs > 1 &&
	    gnutls_server_name_get(s, name, &len, &type, 0) == 0)
		p = &pairs[1];
	*pcert = p->pcert;
	*n = p->n;
	*key = p->key;
	return 0;
}

static void send_all(int fd, const void *data, size_t n)
{
	const char *p = data;
	ssize_t w;

	while (n > 0) {
		w = send(fd, p, n, MSG_NOSIGNAL);
		if (w <= 0)
			return;
		p += w;
		n -= (size_t)w;
	}
}

static void send_str(int fd, const char *s)
{
	send_all(fd, s, strlen(s));
}

/* Read one line (up to '\n'); returns its length, -1 on EOF. */
static int read_line(int fd, char *buf, size_t cap)
{
	size_t n = 0;
	char c;

	while (n + 1 < cap) {
		if (recv(fd, &c, 1, 0) != 1)
			return -1;
		buf[n++] = c;
		if (c == '\n')
			break;
	}
	buf[n] = '\0';
	return (int)n;
}

static int read_n(int fd, unsigned char *buf, size_t n)
{
	size_t got = 0;
	ssize_t r;

	while (got < n) {
		r = recv(fd, buf + got, n - got, 0);
		if (r <= 0)
			return -1;
		got += (size_t)r;
	}
	return 0;
}

/* Read until the text contains needle; what was read is left in
 * last_read. */
static char last_read[8192];
static int read_until(int fd, const char *needle)
{
	char *buf = last_read;
	const size_t cap = sizeof(last_read);
	size_t n = 0;
	ssize_t r;

	buf[0] = '\0';
	while (n + 1 < cap) {
		r = recv(fd, buf + n, cap - 1 - n, 0);
		if (r <= 0)
			return -1;
		n += (size_t)r;
		buf[n] = '\0';
		if (strstr(buf, needle))
			return 0;
	}
	return -1;
}

/* The server side of a STARTTLS dialogue.  Returns 0 to go on with TLS,
 * -1 to close.  refuse/inject as the mode says. */
static int starttls_server(int fd)
{
	int refuse = !strcmp(mode, "starttls-refuse");
	int inject = !strcmp(mode, "starttls-inject");
	/* starttls-absent: capabilities without the upgrade; a command
	 * sent anyway gets no answer (a client would wait its deadline) */
	int absent = !strcmp(mode, "starttls-absent");
	char line[1024];
	unsigned char buf[64];

	if (!strcmp(starttls, "smtp")) {
		send_str(fd, "220 test.example ESMTP ready\r\n");
		if (read_line(fd, line, sizeof(line)) < 0)
			return -1;
		send_str(fd, absent ? "250-test.example\r\n250 PIPELINING\r\n" :
			 "250-test.example\r\n250-PIPELINING\r\n"
			 "250 STARTTLS\r\n");
		if (read_line(fd, line, sizeof(line)) < 0)
			return -1;
		if (absent)
			return -1;
		send_str(fd, refuse ? "454 4.7.0 TLS not available\r\n" :
			 inject ? "220 2.0.0 go ahead\r\n250 injected\r\n" :
			 "220 2.0.0 go ahead\r\n");
	} else if (!strcmp(starttls, "imap")) {
		send_str(fd, absent ? "* OK [CAPABILITY IMAP4rev1] ready\r\n" :
			 "* OK [CAPABILITY IMAP4rev1 STARTTLS] ready\r\n");
		if (read_line(fd, line, sizeof(line)) < 0 || absent)
			return -1;
		send_str(fd, refuse ? "a1 NO not now\r\n" :
			 inject ? "a1 OK begin TLS\r\n* OK injected\r\n" :
			 "a1 OK begin TLS\r\n");
	} else if (!strcmp(starttls, "pop3")) {
		send_str(fd, "+OK POP3 ready\r\n");
		if (read_line(fd, line, sizeof(line)) < 0)
			return -1;
		if (!strncmp(line, "CAPA", 4)) { /* RFC 2449 */
			send_str(fd, absent ? "+OK\r\nUSER\r\n.\r\n" :
				 "+OK\r\nUSER\r\nSTLS\r\n.\r\n");
			if (read_line(fd, line, sizeof(line)) < 0 || absent)
				return -1;
		}
		send_str(fd, refuse ? "-ERR no TLS here\r\n" :
			 inject ? "+OK begin TLS\r\n+OK injected\r\n" :
			 "+OK begin TLS\r\n");
	} else if (!strcmp(starttls, "ftp")) {
		send_str(fd, "220-welcome to the test\r\n free text line\r\n"
			 "220 ready\r\n");
		if (read_line(fd, line, sizeof(line)) < 0)
			return -1;
		if (!strncmp(line, "FEAT", 4)) { /* RFC 2389 */
			send_str(fd, absent ? "211-Features:\r\n MDTM\r\n"
				 "211 End\r\n" : "211-Features:\r\n MDTM\r\n"
				 " AUTH TLS\r\n211 End\r\n");
			if (read_line(fd, line, sizeof(line)) < 0 || absent)
				return -1;
		}
		send_str(fd, refuse ? "534 TLS refused\r\n" :
			 inject ? "234 AUTH TLS ok\r\n200 injected\r\n" :
			 "234 AUTH TLS ok\r\n");
	} else if (!strcmp(starttls, "nntp")) {
		send_str(fd, "200 news ready\r\n");
		if (read_line(fd, line, sizeof(line)) < 0)
			return -1;
		if (!strncmp(line, "CAPABILITIES", 12)) { /* RFC 3977 */
			send_str(fd, absent ? "101 caps\r\nVERSION 2\r\n.\r\n" :
				 "101 caps\r\nVERSION 2\r\nSTARTTLS\r\n"
				 ".\r\n");
			if (read_line(fd, line, sizeof(line)) < 0 || absent)
				return -1;
		}
		send_str(fd, refuse ? "580 can not initiate TLS\r\n" :
			 inject ? "382 go\r\n200 injected\r\n" : "382 go\r\n");
	} else if (!strcmp(starttls, "sieve")) {
		send_str(fd, absent ? "\"IMPLEMENTATION\" \"test\"\r\n"
			 "OK \"ready\"\r\n" : "\"IMPLEMENTATION\" \"test\"\r\n"
			 "\"STARTTLS\"\r\nOK \"ready\"\r\n");
		if (read_line(fd, line, sizeof(line)) < 0 || absent)
			return -1;
		send_str(fd, refuse ? "NO \"no TLS\"\r\n" :
			 inject ? "OK\r\nOK injected\r\n" : "OK\r\n");
	} else if (!strcmp(starttls, "postgres")) {
		if (read_n(fd, buf, 8) < 0)
			return -1;
		send_str(fd, refuse ? "N" : inject ? "SINJECTED" : "S");
	} else if (!strcmp(starttls, "mysql")) {
		/* protocol 10 greeting: version, thread id, 8 bytes of
		 * scramble, filler, capability flags (CLIENT_SSL 0x0800) */
		unsigned char g[64], req[36];
		size_t n = 4;
		memset(g, 0, sizeof(g));
		g[n++] = 10;
		memcpy(g + n, "8.0.0-test", 11);
		n += 11;
		n += 4 + 8 + 1;
		g[n++] = refuse ? 0x00 : 0x00;
		g[n++] = refuse ? 0x82 : 0x8a; /* 0x8a00 has CLIENT_SSL */
		n += 8;
		g[0] = (unsigned char)(n - 4);
		g[3] = 0;
		if (inject) {
			memcpy(g + n, "JUNK", 4);
			n += 4;
		}
		send_all(fd, g, n);
		if (refuse)
			return -1;
		if (read_n(fd, req, sizeof(req)) < 0)
			return -1;
	} else if (!strcmp(starttls, "xmpp")) {
		if (read_until(fd, ">") < 0)
			return -1;
		/* as prosody: a domain it does not serve (an address) is a
		 * stream error, RFC 6120 section 4.9.3.6 */
		if (strstr(last_read, "to='127.")) {
			send_str(fd, "<?xml version='1.0'?><stream:stream "
				 "xmlns='jabber:client' xmlns:stream='http://"
				 "etherx.jabber.org/streams' version='1.0'>"
				 "<stream:error><host-unknown xmlns='urn:ietf:"
				 "params:xml:ns:xmpp-streams'/></stream:error>"
				 "</stream:stream>");
			return -1;
		}
		send_str(fd, "<?xml version='1.0'?><stream:stream "
			 "xmlns='jabber:client' xmlns:stream='http://etherx."
			 "jabber.org/streams' from='test' version='1.0'>"
			 "<stream:features>");
		send_str(fd, absent ? "<mechanisms/></stream:features>" :
			 "<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'>"
			 "<required/></starttls></stream:features>");
		if (read_until(fd, "/>") < 0 || absent)
			return -1;
		send_str(fd, refuse ? "<failure xmlns='urn:ietf:params:xml:"
			 "ns:xmpp-tls'/></stream:stream>" : inject ? "<proceed xmlns='urn:ietf:params:xml:"
			 "ns:xmpp-tls'/><message>injected</message>" :
			 "<proceed xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>");
	} else if (!strcmp(starttls, "ldap")) {
		static const unsigned char ok[] = {
			0x30, 0x0c, 0x02, 0x01, 0x01, 0x78, 0x07, 0x0a,
			0x01, 0x00, 0x04, 0x00, 0x04, 0x00};
		unsigned char r[sizeof(ok) + 4];
		if (read_n(fd, buf, 31) < 0)
			return -1;
		memcpy(r, ok, sizeof(ok));
		if (refuse)
			r[9] = 2; /* protocolError */
		memcpy(r + sizeof(ok), "JUNK", 4);
		send_all(fd, r, sizeof(ok) + (inject ? 4 : 0));
	} else {
		fprintf(stderr, "tls_server: unknown --starttls %s\n",
			starttls);
		return -1;
	}
	return refuse ? -1 : 0;
}

/* hello-only: the bytes of the first record the server writes (its
 * ServerHello) go out, then every write fails, which ends the
 * handshake. */
struct first_record {
	int fd;
	size_t sent, want; /* want: the record's size, 0 until known */
};

static ssize_t push_first_record(gnutls_transport_ptr_t p, const void *data,
				 size_t len)
{
	struct first_record *f = p;
	const unsigned char *d = data;
	ssize_t w;

	if (f->want == 0 && len >= 5)
		f->want = 5 + ((size_t)d[3] << 8 | d[4]);
	if (f->want == 0 || f->sent >= f->want) {
		errno = EPIPE;
		return -1;
	}
	if (len > f->want - f->sent)
		len = f->want - f->sent;
	w = send(f->fd, data, len, MSG_NOSIGNAL);
	if (w > 0)
		f->sent += (size_t)w;
	return w;
}

/* Wait for the peer to close (or IO_TIMEOUT_S * 3), reading and
 * discarding what it sends. */
static void drain(int fd, int seconds)
{
	char buf[4096];
	struct pollfd pfd = {.fd = fd, .events = POLLIN};

	while (poll(&pfd, 1, seconds * 1000) > 0)
		if (recv(fd, buf, sizeof(buf), 0) <= 0)
			break;
}

static void serve_tls(int fd, gnutls_certificate_credentials_t cred)
{
	struct first_record first = {fd, 0, 0};
	const int junk = !strcmp(mode, "junk-after-handshake");
	gnutls_session_t s;
	int ret;

	if (gnutls_init(&s, GNUTLS_SERVER | (junk ? GNUTLS_NO_TICKETS : 0))
	    < 0)
		return;
	if (!strcmp(mode, "old-tls"))
		ret = gnutls_priority_set_direct(s,
			"NORMAL:-VERS-ALL:+VERS-TLS1.0", NULL);
	else if (tls12)
		ret = gnutls_priority_set_direct(s,
			"NORMAL:-VERS-ALL:+VERS-TLS1.2", NULL);
	else
		ret = gnutls_set_default_priority(s);
	if (ret < 0 || gnutls_credentials_set(s, GNUTLS_CRD_CERTIFICATE,
					      cred) < 0)
		goto out;
	if (client_ca) {
		/* verified during the handshake: a bad or missing client
		 * certificate ends it with an alert */
		gnutls_certificate_server_set_request(s, GNUTLS_CERT_REQUIRE);
		gnutls_session_set_verify_cert(s, NULL, 0);
	} else if (junk) {
		gnutls_certificate_server_set_request(s, GNUTLS_CERT_REQUEST);
	}
	gnutls_transport_set_int(s, fd);
	if (!strcmp(mode, "hello-only")) {
		gnutls_transport_set_ptr2(s, (gnutls_transport_ptr_t)
					  (intptr_t)fd, &first);
		gnutls_transport_set_push_function(s, push_first_record);
	}
	gnutls_handshake_set_timeout(s, IO_TIMEOUT_S * 1000);
	/* our own messages may be huge (huge-cert): no sending limit */
	gnutls_handshake_set_max_packet_length(s, 0);
	do {
		ret = gnutls_handshake(s);
	} while (ret < 0 && !gnutls_error_is_fatal(ret));
	if (ret < 0) {
		fprintf(stderr, "tls_server: handshake: %s\n",
			gnutls_strerror(ret));
		if (client_ca) /* as a real server does: say why */
			gnutls_alert_send_appropriate(s, ret);
		goto out;
	}
	if (junk) {
		/* an application_data record of 32 bytes no key made: the
		 * client fails after the handshake, with no alert and no
		 * close from us */
		unsigned char rec[5 + 32] = {23, 3, 3, 0, 32};
		memset(rec + 5, 0x5a, 32);
		send_all(fd, rec, sizeof(rec));
		drain(fd, 2);
		goto out;
	}
	gnutls_bye(s, GNUTLS_SHUT_WR);
	drain(fd, 2);
out:
	gnutls_deinit(s);
}

static void serve(int fd, gnutls_certificate_credentials_t cred)
{
	unsigned char buf[4096];
	struct linger lg = {1, 0};
	FILE *rnd;
	size_t i;

	if (starttls && starttls_server(fd) < 0) {
		drain(fd, 2);
		return;
	}
	if (!strcmp(mode, "silent")) {
		drain(fd, IO_TIMEOUT_S * 3);
	} else if (!strcmp(mode, "drip")) {
		/* a TLS record header promising 16 KiB, one byte a second */
		static const unsigned char hdr[] = {0x16, 0x03, 0x03, 0x40,
						    0x00, 0x02};
		(void)recv(fd, buf, sizeof(buf), 0);
		for (i = 0; i < 60; i++) {
			unsigned char c = i < sizeof(hdr) ? hdr[i] : 0;
			if (send(fd, &c, 1, MSG_NOSIGNAL) != 1)
				break;
			sleep(1);
		}
	} else if (!strcmp(mode, "http")) {
		(void)recv(fd, buf, sizeof(buf), 0);
		send_str(fd, "HTTP/1.1 400 Bad Request\r\nContent-Length: 0"
			 "\r\nConnection: close\r\n\r\n");
		drain(fd, 2);
	} else if (!strcmp(mode, "random")) {
		(void)recv(fd, buf, sizeof(buf), 0);
		rnd = fopen("/dev/urandom", "rb");
		if (rnd && fread(buf, 1, sizeof(buf), rnd) == sizeof(buf)) {
			buf[0] = 0x7f; /* never a valid record type */
			send_all(fd, buf, sizeof(buf));
		}
		if (rnd)
			fclose(rnd);
		drain(fd, 2);
	} else if (!strcmp(mode, "reset")) {
		(void)recv(fd, buf, sizeof(buf), 0);
		/* half a ServerHello, then RST (SO_LINGER 0) */
		send_all(fd, "\x16\x03\x03\x00\x40\x02\x00\x00", 8);
		usleep(100000);
		setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
	} else if (!strcmp(mode, "bad-hello")) {
		(void)recv(fd, buf, sizeof(buf), 0);
		/* a ServerHello of 4 bytes: its version and nothing more */
		send_all(fd, "\x16\x03\x03\x00\x08\x02\x00\x00\x04\x03\x03"
			 "\x00\x00", 13);
		drain(fd, 2);
	} else if (!strncmp(mode, "big-record", 10)) {
		/* a handshake record whose header claims 18,433 bytes: one
		 * more than TLS 1.2 allows (2^14 + 2048, RFC 5246 section
		 * 6.2.3), far more than TLS 1.3's 2^14 + 256; -17000: before
		 * any encryption a record carries at most 2^14 bytes in
		 * either version (RFC 5246 section 6.2.1, RFC 8446 section
		 * 5.1), 17,000 is over that, under 18,432 */
		const unsigned len = strcmp(mode, "big-record-17000") ?
			18433 : 17000;
		(void)recv(fd, buf, sizeof(buf), 0);
		memset(buf, 0, sizeof(buf));
		memcpy(buf, "\x16\x03\x03\x00\x00\x02", 6);
		buf[3] = (unsigned char)(len >> 8);
		buf[4] = (unsigned char)(len & 0xff);
		send_all(fd, buf, sizeof(buf));
		drain(fd, 2);
	} else if (!strcmp(mode, "alert")) {
		(void)recv(fd, buf, sizeof(buf), 0);
		/* fatal handshake_failure (40), RFC 8446 section 6 */
		send_all(fd, "\x15\x03\x03\x00\x02\x02\x28", 7);
		drain(fd, 2);
	} else {
		serve_tls(fd, cred);
	}
}

/* Staple whatever --ocsp named, checked or not: the client must judge
 * it (RFC 6066 section 8). */
static int staple(gnutls_session_t s, void *ptr, gnutls_datum_t *resp)
{
	(void)s;
	(void)ptr;
	resp->data = gnutls_malloc(ocsp_staple.size);
	if (resp->data == NULL)
		return GNUTLS_E_MEMORY_ERROR;
	memcpy(resp->data, ocsp_staple.data, ocsp_staple.size);
	resp->size = ocsp_staple.size;
	return 0;
}

int main(int argc, char **argv)
{
	gnutls_certificate_credentials_t cred;
	const char *certs[MAX_PAIRS], *keys[MAX_PAIRS];
	unsigned nc = 0, nk = 0, i;
	struct sockaddr_in sin;
	socklen_t sl = sizeof(sin);
	struct timeval tv = {IO_TIMEOUT_S, 0};
	int lfd, fd, once = 0, one = 1, a;
	const char *bind_addr = "127.0.0.1";
	unsigned long bind_port = 0;

	signal(SIGPIPE, SIG_IGN);
	for (a = 1; a < argc; a++) {
		if (!strcmp(argv[a], "--cert") && a + 1 < argc &&
		    nc < MAX_PAIRS)
			certs[nc++] = argv[++a];
		else if (!strcmp(argv[a], "--key") && a + 1 < argc &&
			 nk < MAX_PAIRS)
			keys[nk++] = argv[++a];
		else if (!strcmp(argv[a], "--mode") && a + 1 < argc)
			mode = argv[++a];
		else if (!strcmp(argv[a], "--starttls") && a + 1 < argc)
			starttls = argv[++a];
		else if (!strcmp(argv[a], "--ocsp") && a + 1 < argc)
			ocsp_staple = slurp(argv[++a]);
		else if (!strcmp(argv[a], "--once"))
			once = 1;
		else if (!strcmp(argv[a], "--client-ca") && a + 1 < argc)
			client_ca = argv[++a];
		else if (!strcmp(argv[a], "--tls12"))
			tls12 = 1;
		else if (!strcmp(argv[a], "--bind") && a + 1 < argc)
			bind_addr = argv[++a];
		else if (!strcmp(argv[a], "--port") && a + 1 < argc)
			bind_port = strtoul(argv[++a], NULL, 10);
		else {
			fprintf(stderr, "usage: tls_server --cert F --key F "
				"[--mode M] [--starttls P] [--ocsp F] "
				"[--once] [--bind 127.x.y.z] [--port N] "
				"[--client-ca F] [--tls12]\n");
			return 2;
		}
	}
	if (nc == 0 || nc != nk) {
		fprintf(stderr, "tls_server: --cert and --key pairs needed\n");
		return 2;
	}
	if (gnutls_global_init() < 0)
		die("init", GNUTLS_E_INTERNAL_ERROR);
	for (i = 0; i < nc; i++)
		load_pair(&pairs[i], certs[i], keys[i]);
	npairs = nc;
	if (gnutls_certificate_allocate_credentials(&cred) < 0)
		die("credentials", GNUTLS_E_MEMORY_ERROR);
	gnutls_certificate_set_retrieve_function2(cred, retrieve);
	if (client_ca) {
		if (gnutls_certificate_set_x509_trust_file(cred, client_ca,
						GNUTLS_X509_FMT_PEM) <= 0)
			die("--client-ca", 0);
		/* fixed test certificates: the clock must not matter */
		gnutls_certificate_set_verify_flags(cred,
			GNUTLS_VERIFY_DISABLE_TIME_CHECKS |
			GNUTLS_VERIFY_DISABLE_TRUSTED_TIME_CHECKS);
	}
	if (ocsp_staple.size)
		gnutls_certificate_set_ocsp_status_request_function(cred,
								    staple,
								    NULL);

	lfd = socket(AF_INET, SOCK_STREAM, 0);
	if (lfd < 0)
		die("socket", 0);
	setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	/* loopback only: 127.0.0.0/8 */
	if (inet_pton(AF_INET, bind_addr, &sin.sin_addr) != 1 ||
	    (ntohl(sin.sin_addr.s_addr) >> 24) != 127 || bind_port > 65535) {
		fprintf(stderr, "tls_server: --bind takes a 127.x.y.z "
			"address, --port 0-65535\n");
		return 2;
	}
	sin.sin_port = htons((uint16_t)bind_port);
	if (bind(lfd, (struct sockaddr *)&sin, sizeof(sin)) < 0 ||
	    listen(lfd, 16) < 0 ||
	    getsockname(lfd, (struct sockaddr *)&sin, &sl) < 0)
		die("bind", 0);
	printf("%u\n", ntohs(sin.sin_port));
	fflush(stdout);
	for (;;) {
		fd = accept(lfd, NULL, NULL);
		if (fd < 0) {
			if (errno == EINTR)
				continue;
			die("accept", 0);
		}
		setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
		setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
		serve(fd, cred);
		close(fd);
		if (once)
			break;
	}
	for (i = 0; i < npairs; i++) {
		unsigned k;
		for (k = 0; k < pairs[i].n; k++)
			gnutls_pcert_deinit(&pairs[i].pcert[k]);
		gnutls_privkey_deinit(pairs[i].key);
		gnutls_x509_privkey_deinit(pairs[i].xkey);
	}
	gnutls_certificate_free_credentials(cred);
	close(lfd);
	gnutls_global_deinit();
	return 0;
}
