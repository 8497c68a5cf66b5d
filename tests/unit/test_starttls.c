/*
 * test_starttls.c - the STARTTLS dialogues of starttls.c against scripted
 * servers on a socketpair, and target parsing of net/target.c.
 *
 * Each row writes the whole server side in advance, runs the client
 * dialogue, and checks the result, the error message and what the client
 * sent.  Bytes the server sent after its "go ahead" must make the
 * dialogue fail (STARTTLS injection, CVE-2011-0411).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "net/net.h"
#include "net/starttls.h"

/* A fake monotonic clock: each reading advances by step ms, so a
 * deadline passes after a known number of waits, in little real time. */
struct fake_clock {
	int64_t t, step;
};

static int64_t fake_now(void *ctx)
{
	struct fake_clock *c = ctx;

	c->t += c->step;
	return c->t;
}

struct dialogue_case {
	const char *name;
	enum cs_starttls proto;
	const char *server;     /* everything the server sends */
	size_t server_len;      /* 0 = strlen(server) */
	int want_rc;
	int want_code;          /* CS_E_* when want_rc is -1 */
	const char *want_msg;   /* fragment of err.msg, or NULL */
	const char *want_sent;  /* fragment of what the client sent */
	const char *not_sent;   /* what the client must not have sent */
	int64_t budget_ms;      /* 0 = 100000 */
};

#define LDAP_OK "\x30\x0c\x02\x01\x01\x78\x07\x0a\x01\x00\x04\x00\x04\x00"
#define LDAP_NO "\x30\x0c\x02\x01\x01\x78\x07\x0a\x01\x02\x04\x00\x04\x00"
#define MYSQL_GREETING(caps_hi) \
	"\x23\x00\x00\x00\x0a" "8.0.0-test\0" "\0\0\0\0" "\0\0\0\0\0\0\0\0" \
	"\0" "\0" caps_hi "\0\0\0\0\0\0\0\0"

static const struct dialogue_case cases[] = {
	/* RFC 3207: EHLO then STARTTLS answered 220 */
	{.name = "smtp ok", .proto = CS_STARTTLS_SMTP,
	 .server = "220 mx ESMTP\r\n250-mx\r\n250 STARTTLS\r\n220 go\r\n",
	 .want_rc = 0, .want_sent = "EHLO certscope.invalid\r\nSTARTTLS\r\n"},
	/* a multi-line greeting is read to its last line */
	{.name = "smtp multiline greeting", .proto = CS_STARTTLS_SMTP,
	 .server = "220-mx\r\n220-more\r\n220 mx\r\n250-mx\r\n"
		   "250 STARTTLS\r\n220 go\r\n",
	 .want_rc = 0},
	/* 454 is a refusal, quoted */
	{.name = "smtp refused", .proto = CS_STARTTLS_SMTP,
	 .server = "220 mx\r\n250 STARTTLS\r\n454 TLS not available\r\n",
	 .want_rc = -1, .want_code = CS_E_NET,
	 .want_msg = "refused the TLS upgrade: \"454 TLS not available\""},
	/* the injection: plaintext after the 220 go-ahead */
	{.name = "smtp injected", .proto = CS_STARTTLS_SMTP,
	 .server = "220 mx\r\n250 STARTTLS\r\n220 go\r\n250 evil\r\n",
	 .want_rc = -1, .want_code = CS_E_NET,
	 .want_msg = "server sent 10 bytes after the STARTTLS reply"},
	/* not an SMTP server at all */
	{.name = "smtp wrong protocol", .proto = CS_STARTTLS_SMTP,
	 .server = "SSH-2.0-OpenSSH_9.2\r\n", .want_rc = -1,
	 .want_code = CS_E_NET, .want_msg = "SSH-2.0-OpenSSH_9.2"},
	/* the article read aloud: an SMTP, an IMAP, a POP3 */
	{.name = "smtp article", .proto = CS_STARTTLS_SMTP,
	 .server = "SSH-2.0-OpenSSH_9.2\r\n", .want_rc = -1,
	 .want_code = CS_E_NET, .want_msg = "(not an SMTP server?)"},
	{.name = "imap article", .proto = CS_STARTTLS_IMAP,
	 .server = "SSH-2.0-OpenSSH_9.2\r\n", .want_rc = -1,
	 .want_code = CS_E_NET, .want_msg = "(not an IMAP server?)"},
	{.name = "pop3 article", .proto = CS_STARTTLS_POP3,
	 .server = "SSH-2.0-OpenSSH_9.2\r\n", .want_rc = -1,
	 .want_code = CS_E_NET, .want_msg = "(not a POP3 server?)"},
	/* control characters in a reply are escaped in the message */
	{.name = "smtp escape", .proto = CS_STARTTLS_SMTP,
	 .server = "220 mx\r\n250 STARTTLS\r\n554 \x1b[31mno\r\n",
	 .want_rc = -1,
	 .want_code = CS_E_NET, .want_msg = "554 \\x1b[31mno"},
	/* the server closes in the middle of the dialogue */
	{.name = "smtp closed", .proto = CS_STARTTLS_SMTP,
	 .server = "220 mx\r\n", .want_rc = -1, .want_code = CS_E_NET,
	 .want_msg = "closed the connection"},
	/* an endless line hits the line limit, not memory */
	{.name = "smtp long line", .proto = CS_STARTTLS_SMTP,
	 .server = NULL, .want_rc = -1, .want_code = CS_E_LIMIT,
	 .want_msg = "longer than"},
	/* IMAP: untagged lines before the tagged OK */
	{.name = "imap ok", .proto = CS_STARTTLS_IMAP,
	 .server = "* OK hi\r\n* CAPABILITY IMAP4rev1 STARTTLS\r\na0 OK\r\n"
		   "* BYE-less untagged\r\na1 OK go\r\n",
	 .want_rc = 0, .want_sent = "a0 CAPABILITY\r\na1 STARTTLS\r\n"},
	/* the greeting's capabilities are enough (RFC 3501 section 7.1) */
	{.name = "imap greeting capabilities", .proto = CS_STARTTLS_IMAP,
	 .server = "* OK [CAPABILITY IMAP4rev1 STARTTLS] hi\r\na1 OK go\r\n",
	 .want_rc = 0, .not_sent = "CAPABILITY"},
	/* CAPABILITY in the greeting's free text is no capability list:
	 * ask (RFC 3501 section 7.1: only the [CAPABILITY ...] code) */
	{.name = "imap greeting text capability", .proto = CS_STARTTLS_IMAP,
	 .server = "* OK server with CAPABILITY support\r\n"
		   "* CAPABILITY IMAP4rev1 STARTTLS\r\na0 OK\r\na1 OK go\r\n",
	 .want_rc = 0, .want_sent = "a0 CAPABILITY\r\na1 STARTTLS\r\n"},
	/* STARTTLS after the code's ']' is text, not a capability */
	{.name = "imap greeting starttls outside code",
	 .proto = CS_STARTTLS_IMAP,
	 .server = "* OK [CAPABILITY IMAP4rev1] use STARTTLS\r\n",
	 .want_rc = -1, .want_code = CS_E_NET,
	 .want_msg = "the IMAP server does not offer STARTTLS",
	 .not_sent = "STARTTLS"},
	{.name = "imap refused", .proto = CS_STARTTLS_IMAP,
	 .server = "* OK [CAPABILITY STARTTLS] hi\r\na1 NO no\r\n",
	 .want_rc = -1,
	 .want_code = CS_E_NET, .want_msg = "refused"},
	{.name = "imap injected", .proto = CS_STARTTLS_IMAP,
	 .server = "* OK [CAPABILITY STARTTLS] hi\r\na1 OK go\r\nX",
	 .want_rc = -1,
	 .want_code = CS_E_NET, .want_msg = "sent 1 bytes after"},
	/* POP3 STLS (RFC 2595 section 4) */
	{.name = "pop3 ok", .proto = CS_STARTTLS_POP3,
	 .server = "+OK ready\r\n+OK\r\nUSER\r\nSTLS\r\n.\r\n+OK go\r\n",
	 .want_rc = 0, .want_sent = "CAPA\r\nSTLS\r\n"},
	{.name = "pop3 refused", .proto = CS_STARTTLS_POP3,
	 .server = "+OK ready\r\n-ERR no CAPA\r\n-ERR no\r\n",
	 .want_rc = -1,
	 .want_code = CS_E_NET, .want_msg = "refused"},
	/* FTP: free-text continuation lines (RFC 959 section 4.2) */
	{.name = "ftp ok", .proto = CS_STARTTLS_FTP,
	 .server = "220-hi\r\n free text\r\n220 ready\r\n211-Features:\r\n"
		   " MDTM\r\n AUTH TLS;TLS-C;SSL\r\n211 End\r\n234 ok\r\n",
	 .want_rc = 0, .want_sent = "FEAT\r\nAUTH TLS\r\n"},
	/* a server without FEAT (RFC 959 only) is asked anyway */
	{.name = "ftp no feat", .proto = CS_STARTTLS_FTP,
	 .server = "220 ready\r\n500-what?\r\n500 FEAT\r\n234 ok\r\n",
	 .want_rc = 0},
	{.name = "ftp not offered", .proto = CS_STARTTLS_FTP,
	 .server = "220 ready\r\n211-Features:\r\n MDTM\r\n AUTH SSL\r\n"
		   "211 End\r\n", .want_rc = -1, .want_code = CS_E_NET,
	 .want_msg = "the FTP server does not offer AUTH TLS",
	 .not_sent = "AUTH TLS"},
	{.name = "ftp refused", .proto = CS_STARTTLS_FTP,
	 .server = "220 ready\r\n502 no FEAT\r\n534 no\r\n", .want_rc = -1,
	 .want_code = CS_E_NET, .want_msg = "refused"},
	/* PostgreSQL SSLRequest answered 'S' / 'N' */
	{.name = "postgres ok", .proto = CS_STARTTLS_POSTGRES,
	 .server = "S", .want_rc = 0},
	{.name = "postgres refused", .proto = CS_STARTTLS_POSTGRES,
	 .server = "N", .want_rc = -1, .want_code = CS_E_NET,
	 .want_msg = "answered 'N'"},
	/* CVE-2021-23214: bytes after 'S' */
	{.name = "postgres injected", .proto = CS_STARTTLS_POSTGRES,
	 .server = "SXYZ", .want_rc = -1, .want_code = CS_E_NET,
	 .want_msg = "sent 3 bytes after"},
	/* MySQL: CLIENT_SSL (0x0800) in the greeting's capabilities */
	{.name = "mysql ok", .proto = CS_STARTTLS_MYSQL,
	 .server = MYSQL_GREETING("\x8a"), .server_len = 39, .want_rc = 0},
	{.name = "mysql no ssl", .proto = CS_STARTTLS_MYSQL,
	 .server = MYSQL_GREETING("\x82"), .server_len = 39, .want_rc = -1,
	 .want_code = CS_E_NET,
	 .want_msg = "the MySQL server does not offer TLS (CLIENT_SSL"},
	/* LDAP StartTLS ExtendedResponse, resultCode 0 / 2 */
	{.name = "ldap ok", .proto = CS_STARTTLS_LDAP, .server = LDAP_OK,
	 .server_len = 14, .want_rc = 0, .want_sent = "1.3.6.1.4.1.1466.20037"},
	{.name = "ldap refused", .proto = CS_STARTTLS_LDAP, .server = LDAP_NO,
	 .server_len = 14, .want_rc = -1, .want_code = CS_E_NET,
	 .want_msg = "resultCode 2"},
	/* long-form lengths (BER allows the non-minimal 0x81 0x0c) */
	{.name = "ldap ok, long lengths", .proto = CS_STARTTLS_LDAP,
	 .server = "\x30\x81\x0d\x02\x01\x01\x78\x81\x07\x0a\x01\x00"
		   "\x04\x00\x04\x00", .server_len = 16, .want_rc = 0},
	/* indefinite length: BER, but not in a StartTLS reply */
	{.name = "ldap indefinite", .proto = CS_STARTTLS_LDAP,
	 .server = "\x30\x80\x02\x01\x01", .server_len = 5, .want_rc = -1,
	 .want_code = CS_E_NET, .want_msg = "bad length"},
	/* a reply larger than the 4,096 bytes read */
	{.name = "ldap too long", .proto = CS_STARTTLS_LDAP,
	 .server = "\x30\x82\x40\x00", .server_len = 4, .want_rc = -1,
	 .want_code = CS_E_LIMIT, .want_msg = "LDAP reply of 16384 bytes"},
	/* XMPP features with <starttls/>, then <proceed/> */
	{.name = "xmpp ok", .proto = CS_STARTTLS_XMPP,
	 .server = "<stream:stream><stream:features><starttls xmlns='x'/>"
		   "</stream:features><proceed xmlns='x'/>",
	 .want_rc = 0, .want_sent = "<starttls xmlns="},
	{.name = "xmpp no starttls", .proto = CS_STARTTLS_XMPP,
	 .server = "<stream:stream><stream:features><bind/>"
		   "</stream:features>",
	 .want_rc = -1, .want_code = CS_E_NET, .want_msg = "no <starttls/>"},
	/* NNTP (RFC 4642): 382 to go on */
	{.name = "nntp ok", .proto = CS_STARTTLS_NNTP,
	 .server = "200 news\r\n101 caps\r\nVERSION 2\r\nSTARTTLS\r\n.\r\n"
		   "382 go\r\n", .want_rc = 0,
	 .want_sent = "CAPABILITIES\r\nSTARTTLS\r\n"},
	/* a server without CAPABILITIES (RFC 977) is asked anyway */
	{.name = "nntp old", .proto = CS_STARTTLS_NNTP,
	 .server = "200 news\r\n500 what?\r\n382 go\r\n", .want_rc = 0},
	/* ManageSieve (RFC 5804) capabilities then OK */
	{.name = "sieve ok", .proto = CS_STARTTLS_SIEVE,
	 .server = "\"IMPLEMENTATION\" \"x\"\r\n\"STARTTLS\"\r\nOK\r\nOK\r\n",
	 .want_rc = 0},
	{.name = "sieve refused", .proto = CS_STARTTLS_SIEVE,
	 .server = "\"STARTTLS\"\r\nOK\r\nNO \"nope\"\r\n", .want_rc = -1,
	 .want_code = CS_E_NET, .want_msg = "refused"},
	/* capabilities without the upgrade: said at once, the command
	 * never sent (it would wait for a refusal, or for ever) */
	{.name = "smtp not offered", .proto = CS_STARTTLS_SMTP,
	 .server = "220 mx\r\n250-mx\r\n250-SIZE 100\r\n250 8BITMIME\r\n",
	 .want_rc = -1, .want_code = CS_E_NET,
	 .want_msg = "the SMTP server does not offer STARTTLS",
	 .not_sent = "STARTTLS"},
	/* EHLO keywords are case-insensitive (RFC 5321 section 2.4) */
	{.name = "smtp keyword case", .proto = CS_STARTTLS_SMTP,
	 .server = "220 mx\r\n250-mx\r\n250 starttls\r\n220 go\r\n",
	 .want_rc = 0},
	/* a keyword that only starts with STARTTLS is another one */
	{.name = "smtp other keyword", .proto = CS_STARTTLS_SMTP,
	 .server = "220 mx\r\n250-mx\r\n250 STARTTLSX\r\n",
	 .want_rc = -1, .want_code = CS_E_NET, .want_msg = "does not offer"},
	{.name = "imap greeting not offered", .proto = CS_STARTTLS_IMAP,
	 .server = "* OK [CAPABILITY IMAP4rev1 LOGINDISABLED] hi\r\n",
	 .want_rc = -1, .want_code = CS_E_NET,
	 .want_msg = "the IMAP server does not offer STARTTLS",
	 .not_sent = "STARTTLS"},
	{.name = "imap capability not offered", .proto = CS_STARTTLS_IMAP,
	 .server = "* OK hi\r\n* CAPABILITY IMAP4rev1 X-STARTTLS\r\n"
		   "a0 OK\r\n", .want_rc = -1, .want_code = CS_E_NET,
	 .want_msg = "the IMAP server does not offer STARTTLS",
	 .want_sent = "a0 CAPABILITY\r\n", .not_sent = "a1"},
	{.name = "pop3 not offered", .proto = CS_STARTTLS_POP3,
	 .server = "+OK ready\r\n+OK\r\nUSER\r\nSASL PLAIN\r\n.\r\n",
	 .want_rc = -1, .want_code = CS_E_NET,
	 .want_msg = "the POP3 server does not offer STLS",
	 .not_sent = "STLS"},
	{.name = "nntp not offered", .proto = CS_STARTTLS_NNTP,
	 .server = "200 news\r\n101 caps\r\nVERSION 2\r\nREADER\r\n.\r\n",
	 .want_rc = -1, .want_code = CS_E_NET,
	 .want_msg = "the NNTP server does not offer STARTTLS"},
	{.name = "sieve not offered", .proto = CS_STARTTLS_SIEVE,
	 .server = "\"IMPLEMENTATION\" \"x\"\r\n\"SASL\" \"PLAIN\"\r\nOK\r\n",
	 .want_rc = -1, .want_code = CS_E_NET,
	 .want_msg = "the ManageSieve server does not offer STARTTLS",
	 .not_sent = "STARTTLS"},
	{.name = "xmpp not offered", .proto = CS_STARTTLS_XMPP,
	 .server = "<stream:stream><stream:features><mechanisms/>"
		   "</stream:features>",
	 .want_rc = -1, .want_code = CS_E_NET,
	 .want_msg = "the XMPP server does not offer STARTTLS",
	 .not_sent = "<starttls"},
	/* XMPP: the name given is the stream's to=; a stream error is
	 * quoted (RFC 6120 section 4.9.3) */
	{.name = "xmpp to", .proto = CS_STARTTLS_XMPP,
	 .server = "<stream:stream><stream:features><starttls/>"
		   "</stream:features><proceed/>",
	 .want_rc = 0, .want_sent = "to='example.test'"},
	{.name = "xmpp host-unknown", .proto = CS_STARTTLS_XMPP,
	 .server = "<?xml version='1.0'?><stream:stream from='x'>"
		   "<stream:error><host-unknown xmlns='urn:ietf:params:xml:"
		   "ns:xmpp-streams'/></stream:error></stream:stream>",
	 .want_rc = -1, .want_code = CS_E_NET,
	 .want_msg = "<stream:error> host-unknown: it serves no domain "
		     "'example.test' (give the XMPP domain with --host or "
		     "--sni)"},
	/* a stream error and a close, without </stream:stream> */
	{.name = "xmpp stream error", .proto = CS_STARTTLS_XMPP,
	 .server = "<stream:stream><stream:error>\n <policy-violation/>"
		   "<text>go away</text></stream:error>",
	 .want_rc = -1, .want_code = CS_E_NET,
	 .want_msg = "ended the stream: <stream:error> policy-violation"},
	/* a server that says nothing: the deadline ends the wait */
	{.name = "silent server", .proto = CS_STARTTLS_SMTP, .server = "",
	 .want_rc = -1, .want_code = CS_E_TIMEOUT, .want_msg = "timed out",
	 .budget_ms = 300},
};

static void run_case(const struct dialogue_case *c)
{
	struct fake_clock clk = {0, 1};
	struct cs_deadline dl = {.now_ms = fake_now, .ctx = &clk};
	struct cs_error err;
	char sent[4096];
	size_t len;
	ssize_t r;
	int sv[2], rc;

	cs_error_clear(&err);
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	if (c->server) {
		len = c->server_len ? c->server_len : strlen(c->server);
		if (len)
			assert_int_equal(write(sv[1], c->server, len),
					 (ssize_t)len);
	} else {
		/* a line with no end, longer than CS_STARTTLS_MAX_LINE */
		char big[CS_STARTTLS_MAX_LINE * 2];
		memset(big, 'A', sizeof(big));
		assert_int_equal(write(sv[1], big, sizeof(big)),
				 (ssize_t)sizeof(big));
	}
	if (c->budget_ms) {
		/* each clock reading costs half the budget */
		clk.step = c->budget_ms / 2;
		dl.at_ms = c->budget_ms;
	} else {
		dl.at_ms = 100000;
	}
	/* EOF after the script: a dialogue that wants more sees a close */
	if (c->server && !c->budget_ms)
		shutdown(sv[1], SHUT_WR);
	rc = cs_starttls_run(sv[0], c->proto, "example.test", &dl, NULL,
			     &err);
	if (rc != c->want_rc)
		fail_msg("%s: rc %d, want %d (%s)", c->name, rc, c->want_rc,
			 err.msg);
	if (rc < 0) {
		if (err.code != c->want_code)
			fail_msg("%s: code %s, want %s (%s)", c->name,
				 cs_error_name(err.code),
				 cs_error_name(c->want_code), err.msg);
		if (c->want_msg && !strstr(err.msg, c->want_msg))
			fail_msg("%s: message '%s' lacks '%s'", c->name,
				 err.msg, c->want_msg);
	}
	r = recv(sv[1], sent, sizeof(sent) - 1, MSG_DONTWAIT);
	if (r < 0)
		r = 0;
	if (c->want_sent && !memmem(sent, (size_t)r, c->want_sent,
				    strlen(c->want_sent)))
		fail_msg("%s: client did not send '%s'", c->name,
			 c->want_sent);
	if (c->not_sent && memmem(sent, (size_t)r, c->not_sent,
				  strlen(c->not_sent)))
		fail_msg("%s: client sent '%s'", c->name, c->not_sent);
	close(sv[0]);
	close(sv[1]);
}

static void test_starttls_dialogues(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		run_case(&cases[i]);
}

static void test_starttls_lookup(void **state)
{
	enum cs_starttls p = CS_STARTTLS_NONE;

	(void)state;
	assert_int_equal(cs_starttls_lookup("smtp", &p), 0);
	assert_int_equal(p, CS_STARTTLS_SMTP);
	assert_int_equal(cs_starttls_default_port(p), 25);
	assert_int_equal(cs_starttls_lookup("postgresql", &p), 0);
	assert_int_equal(p, CS_STARTTLS_POSTGRES);
	assert_int_equal(cs_starttls_default_port(p), 5432);
	assert_int_equal(cs_starttls_lookup("gopher", &p), -1);
	assert_string_equal(cs_starttls_name(CS_STARTTLS_SIEVE), "sieve");
}

struct target_case {
	const char *in;
	int want_rc;
	const char *want_host;
	unsigned want_port;
	bool want_ip;
	enum cs_starttls want_proto;
};

static const struct target_case targets[] = {
	/* name, default port 443 */
	{"www.example.test", 0, "www.example.test", 443, false, 0},
	/* name and port */
	{"www.example.test:8443", 0, "www.example.test", 8443, false, 0},
	/* IPv4 literal */
	{"127.0.0.1:4433", 0, "127.0.0.1", 4433, true, 0},
	/* bracketed IPv6 with port */
	{"[::1]:993", 0, "::1", 993, true, 0},
	/* bare IPv6 literal: no port possible */
	{"2001:db8::1", 0, "2001:db8::1", 443, true, 0},
	/* scheme gives protocol and port */
	{"smtp://mail.example.test", 0, "mail.example.test", 25, false,
	 CS_STARTTLS_SMTP},
	/* scheme with explicit port and trailing slash */
	{"imap://[::1]:1143/", 0, "::1", 1143, true, CS_STARTTLS_IMAP},
	/* https is plain TLS */
	{"https://example.test", 0, "example.test", 443, false, 0},
	/* unknown scheme */
	{"gopher://example.test", -1, NULL, 0, false, 0},
	/* port out of range */
	{"example.test:70000", -1, NULL, 0, false, 0},
	/* port 0 */
	{"example.test:0", -1, NULL, 0, false, 0},
	/* not a number */
	{"example.test:https", -1, NULL, 0, false, 0},
	/* brackets around a name */
	{"[example.test]:443", -1, NULL, 0, false, 0},
	/* unclosed bracket */
	{"[::1:443", -1, NULL, 0, false, 0},
	/* characters no host name has */
	{"exa mple.test", -1, NULL, 0, false, 0},
	/* empty host */
	{":443", -1, NULL, 0, false, 0},
	/* U-labels: DNS is asked for the A-labels (IDNA 2008) */
	{"b\xc3\xbc" "cher.example:8443", 0, "xn--bcher-kva.example", 8443,
	 false, 0},
	{"smtp://\xc3\xa4" "pfel.example", 0, "xn--pfel-koa.example", 25, false,
	 CS_STARTTLS_SMTP},
	/* not valid IDNA 2008 (a symbol) */
	{"\xe2\x98\x83.example", -1, NULL, 0, false, 0},
};

static void test_net_parse_target(void **state)
{
	struct cs_net_target t;
	struct cs_error err;
	size_t i;
	int rc;

	(void)state;
	for (i = 0; i < sizeof(targets) / sizeof(targets[0]); i++) {
		const struct target_case *c = &targets[i];
		cs_error_clear(&err);
		rc = cs_net_parse_target(c->in, &t, &err);
		if (rc != c->want_rc)
			fail_msg("'%s': rc %d, want %d (%s)", c->in, rc,
				 c->want_rc, err.msg);
		if (rc < 0) {
			assert_int_equal(err.code, CS_E_USAGE);
			continue;
		}
		assert_string_equal(t.host, c->want_host);
		assert_int_equal(t.port, c->want_port);
		assert_int_equal(t.is_ip, c->want_ip);
		assert_int_equal(t.starttls, c->want_proto);
	}
}

static void test_net_resolve_literals(void **state)
{
	struct fake_clock clk = {0, 1};
	struct cs_deadline dl = {.at_ms = 1000, .now_ms = fake_now,
				 .ctx = &clk};
	struct cs_net_target t;
	struct cs_net_addrlist l;
	struct cs_error err;

	(void)state;
	assert_int_equal(cs_net_parse_target("[::1]:8443", &t, &err), 0);
	assert_int_equal(cs_net_resolve(&t, NULL, &dl, NULL, &l, &err), 0);
	assert_int_equal(l.n, 1);
	assert_string_equal(l.v[0].text, "[::1]:8443");
	cs_net_addrlist_free(&l);
	/* localhost needs no DNS (RFC 6761 section 6.3) */
	assert_int_equal(cs_net_parse_target("localhost:25", &t, &err), 0);
	assert_int_equal(cs_net_resolve(&t, NULL, &dl, NULL, &l, &err), 0);
	assert_int_equal(l.n, 2);
	assert_string_equal(l.v[1].text, "127.0.0.1:25");
	cs_net_addrlist_free(&l);
	cs_net_addrlist_free(NULL);
}

/* The one name rule (cs_net_names): name checked and SNI sent. */
static const struct names_case {
	const char *target, *host, *sni;
	bool no_sni;
	const char *want_checked, *want_sent; /* NULL: none */
} names[] = {
	/* a name alone: it is both */
	{"www.example.test", NULL, NULL, false, "www.example.test",
	 "www.example.test"},
	/* an address alone: nothing to send, nothing to check */
	{"192.0.2.10", NULL, NULL, false, NULL, NULL},
	/* --host with an address: the SNI too */
	{"192.0.2.10", "www.example.test", NULL, false, "www.example.test",
	 "www.example.test"},
	/* --host with a name: one name, as check's host= always had it */
	{"mx.example.test", "example.test", NULL, false, "example.test",
	 "example.test"},
	/* --sni alone: also the name checked */
	{"192.0.2.10", NULL, "www.example.test", false, "www.example.test",
	 "www.example.test"},
	/* --sni and --host: one sent, the other checked */
	{"192.0.2.10", "a.example.test", "b.example.test", false,
	 "a.example.test", "b.example.test"},
	/* --no-sni keeps the name checked */
	{"192.0.2.10", "www.example.test", NULL, true, "www.example.test",
	 NULL},
	/* an address given to --host is checked, never sent; the target's
	 * name is */
	{"www.example.test", "192.0.2.10", NULL, false, "192.0.2.10",
	 "www.example.test"},
	/* "" is not given (check's empty host=) */
	{"192.0.2.10", "", "", false, NULL, NULL},
};

static void test_net_names(void **state)
{
	struct cs_net_target t;
	struct cs_error err;
	const char *c, *s;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		const struct names_case *k = &names[i];
		assert_int_equal(cs_net_parse_target(k->target, &t, &err), 0);
		cs_net_names(&t, k->host, k->sni, k->no_sni, &c, &s);
		if ((c == NULL) != (k->want_checked == NULL) ||
		    (c && strcmp(c, k->want_checked)) ||
		    (s == NULL) != (k->want_sent == NULL) ||
		    (s && strcmp(s, k->want_sent)))
			fail_msg("row %zu: checked %s sent %s", i,
				 c ? c : "(none)", s ? s : "(none)");
	}
}

static void test_net_alert_names(void **state)
{
	(void)state;
	assert_string_equal(cs_net_alert_name(40), "handshake_failure");
	assert_string_equal(cs_net_alert_name(112), "unrecognized_name");
	assert_string_equal(cs_net_alert_name(250), "unknown alert");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_starttls_dialogues),
		cmocka_unit_test(test_starttls_lookup),
		cmocka_unit_test(test_net_parse_target),
		cmocka_unit_test(test_net_resolve_literals),
		cmocka_unit_test(test_net_names),
		cmocka_unit_test(test_net_alert_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
