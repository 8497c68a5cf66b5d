/* test_names.c - host, IP and e-mail matching (src/core/x509/names.c)
 * and name constraints on the model (src/core/x509/nc_match.c).
 *
 * Most tests build struct cs_cert_model by hand (SANs, CN, subject, name
 * constraints) so they do not depend on model.c; a few at the end run
 * the same functions on real test certificates through the model. */
#include <arpa/inet.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <cmocka.h>

#include <gnutls/gnutls.h>
#include <gnutls/x509.h>

#include "x509/names.h"
#include "x509/nc.h"

#define TEST_MAX_NAMES 8        /* names per list in a table row */
#define TEST_MAX_FILE (1u << 20) /* largest certificate file we read */

/* ---- hand-built models ---------------------------------------------- */

/* One name in a table row.  len counts the bytes of a string literal,
 * so embedded NULs survive.  For CS_SAN_IP, v is "192.0.2.1" (a SAN) or
 * "10.0.0.0/8" (a constraint). */
struct tname {
	enum cs_san_type t;
	const char *v;
	size_t len;
};

#define DNS(s) {CS_SAN_DNS, s, sizeof(s) - 1}
#define IP(s) {CS_SAN_IP, s, sizeof(s) - 1}
#define EMAIL(s) {CS_SAN_EMAIL, s, sizeof(s) - 1}
#define URI(s) {CS_SAN_URI, s, sizeof(s) - 1}
#define DN(s) {CS_SAN_DN, s, sizeof(s) - 1}
#define OTHER(s) {CS_SAN_OTHER, s, sizeof(s) - 1}

/* Storage for a hand-built model: the model points into it. */
struct tmodel {
	struct cs_cert_model m;
	struct cs_name sans[TEST_MAX_NAMES];
	struct cs_name perm[TEST_MAX_NAMES];
	struct cs_name excl[TEST_MAX_NAMES];
};

/* Fill out[] from a row's list (ended by v == NULL); returns the count.
 * The strings stay borrowed from the table. */
static size_t fill(struct cs_name *out, const struct tname *in)
{
	size_t n = 0;

	for (; n < TEST_MAX_NAMES && in[n].v != NULL; n++) {
		struct cs_name *c = &out[n];
		char buf[64];
		const char *slash;
		int af;

		memset(c, 0, sizeof(*c));
		c->type = in[n].t;
		c->value = (char *)(uintptr_t)in[n].v;
		c->len = in[n].len;
		if (c->type != CS_SAN_IP)
			continue;
		slash = strchr(in[n].v, '/');
		snprintf(buf, sizeof(buf), "%.*s",
			 (int)(slash != NULL ? (size_t)(slash - in[n].v)
					     : in[n].len),
			 in[n].v);
		af = strchr(buf, ':') != NULL ? AF_INET6 : AF_INET;
		assert_int_equal(inet_pton(af, buf, c->raw), 1);
		c->raw_len = af == AF_INET6 ? 16 : 4;
		if (slash != NULL) {
			/* address then mask (RFC 5280 4.2.1.10) */
			size_t alen = c->raw_len;
			long bits = strtol(slash + 1, NULL, 10);

			for (size_t i = 0; i < alen; i++) {
				long b = bits - (long)i * 8;

				c->raw[alen + i] = b >= 8 ? 0xff
					: b <= 0 ? 0
					: (unsigned char)(0xff << (8 - b));
			}
			c->raw_len = 2 * alen;
		}
	}
	return n;
}

static void tmodel_init(struct tmodel *t, const struct tname *sans,
			const char *cn, size_t cn_len, const char *subject)
{
	memset(t, 0, sizeof(*t));
	t->m.sans.v = t->sans;
	t->m.sans.n = sans != NULL ? fill(t->sans, sans) : 0;
	t->m.subject_cn = (char *)(uintptr_t)cn;
	t->m.subject_cn_len = cn_len;
	t->m.subject = (char *)(uintptr_t)subject;
}

/* ---- cs_names_dns_match ---------------------------------------------- */

/* A 63-byte label, the longest allowed (RFC 1035 2.3.4). */
#define LABEL63 "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" \
		"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"

struct dns_row {
	const char *pattern;
	size_t plen; /* 0: strlen(pattern) */
	const char *host;
	bool want;
};

static const struct dns_row dns_rows[] = {
	/* exact name */
	{.pattern = "www.example.com", .host = "www.example.com",
	 .want = true},
	/* pattern in upper case: DNS is case-insensitive */
	{.pattern = "WWW.Example.COM", .host = "www.example.com",
	 .want = true},
	/* host in upper case */
	{.pattern = "www.example.com", .host = "WWW.EXAMPLE.COM",
	 .want = true},
	/* a different host */
	{.pattern = "www.example.com", .host = "mail.example.com",
	 .want = false},
	/* parent domain does not cover a child */
	{.pattern = "example.com", .host = "www.example.com", .want = false},
	/* child does not cover the parent */
	{.pattern = "www.example.com", .host = "example.com", .want = false},
	/* trailing dot on the host is ignored */
	{.pattern = "www.example.com", .host = "www.example.com.",
	 .want = true},
	/* trailing dot on the pattern is ignored */
	{.pattern = "www.example.com.", .host = "www.example.com",
	 .want = true},
	/* trailing dots on both */
	{.pattern = "www.example.com.", .host = "www.example.com.",
	 .want = true},
	/* two trailing dots: an empty label */
	{.pattern = "www.example.com", .host = "www.example.com..",
	 .want = false},
	/* a host that only has the pattern as a prefix */
	{.pattern = "www.example.com", .host = "www.example.com.evil",
	 .want = false},
	/* wildcard matches one left-most label */
	{.pattern = "*.example.com", .host = "www.example.com", .want = true},
	/* wildcard, mixed case */
	{.pattern = "*.EXAMPLE.com", .host = "Mail.example.COM",
	 .want = true},
	/* wildcard does not match the apex */
	{.pattern = "*.example.com", .host = "example.com", .want = false},
	/* wildcard does not match two labels */
	{.pattern = "*.example.com", .host = "a.b.example.com",
	 .want = false},
	/* wildcard with a trailing-dot host */
	{.pattern = "*.example.com", .host = "www.example.com.",
	 .want = true},
	/* wildcard covers an A-label host label */
	{.pattern = "*.example.com", .host = "xn--bcher-kva.example.com",
	 .want = true},
	/* wildcard under a registrable name in a multi-label suffix */
	{.pattern = "*.example.co.uk", .host = "www.example.co.uk",
	 .want = true},
	/* partial wildcard f*o (san-wildcard-partial.der) */
	{.pattern = "f*o.example.com", .host = "foo.example.com",
	 .want = false},
	/* partial wildcard w* */
	{.pattern = "w*.example.com", .host = "www.example.com",
	 .want = false},
	/* partial wildcard *w */
	{.pattern = "*w.example.com", .host = "www.example.com",
	 .want = false},
	/* wildcard in the middle (san-wildcard-middle.der) */
	{.pattern = "www.*.example.com", .host = "www.a.example.com",
	 .want = false},
	/* two wildcards (san-double-wildcard.der) */
	{.pattern = "*.*.example.com", .host = "a.b.example.com",
	 .want = false},
	/* two wildcards, one-label host */
	{.pattern = "*.*.example.com", .host = "a.example.com",
	 .want = false},
	/* wildcard inside an A-label (san-wildcard-xn.der) */
	{.pattern = "xn--*.example.com", .host = "xn--bcher-kva.example.com",
	 .want = false},
	/* wildcard over a TLD (san-wildcard-tld.der) */
	{.pattern = "*.com", .host = "example.com", .want = false},
	/* wildcard over a multi-label public suffix */
	{.pattern = "*.co.uk", .host = "example.co.uk", .want = false},
	/* wildcard over a private public suffix */
	{.pattern = "*.github.io", .host = "user.github.io", .want = false},
	/* wildcard over a single-label test TLD */
	{.pattern = "*.test", .host = "www.test", .want = false},
	/* wildcard over "localhost" */
	{.pattern = "*.localhost", .host = "a.localhost", .want = false},
	/* a bare "*" */
	{.pattern = "*", .host = "localhost", .want = false},
	/* "*." is a wildcard over nothing */
	{.pattern = "*.", .host = "x.", .want = false},
	/* A-labels compare case-insensitively as ASCII */
	{.pattern = "xn--bcher-kva.example", .host = "XN--BCHER-KVA.EXAMPLE",
	 .want = true},
	/* NUL inside the pattern (CVE-2009-2408) */
	{.pattern = "www.example.com\0.evil.test", .plen = 26,
	 .host = "www.example.com", .want = false},
	/* san-dns-with-nul.der: www.bank.test\0.evil.test */
	{.pattern = "www.bank.test\0.evil.test", .plen = 24,
	 .host = "www.bank.test", .want = false},
	/* a NUL as the last byte */
	{.pattern = "www.bank.test\0", .plen = 14, .host = "www.bank.test",
	 .want = false},
	/* empty label inside the pattern and the host */
	{.pattern = "www..example.com", .host = "www..example.com",
	 .want = false},
	/* leading dot */
	{.pattern = ".example.com", .host = ".example.com", .want = false},
	/* empty pattern and host */
	{.pattern = "", .host = "", .want = false},
	/* empty pattern */
	{.pattern = "", .host = "example.com", .want = false},
	/* a space is not a host name character */
	{.pattern = "www example.com", .host = "www example.com",
	 .want = false},
	/* '$' is not a host name character */
	{.pattern = "www.exa$mple.com", .host = "www.exa$mple.com",
	 .want = false},
	/* U-labels are not compared (the caller passes A-labels) */
	{.pattern = "b\xc3\xbc" "cher.example", .host = "b\xc3\xbc"
	 "cher.example", .want = false},
	/* IPv4 host never matches a textual DNS SAN */
	{.pattern = "127.0.0.1", .host = "127.0.0.1", .want = false},
	/* IPv4 host with a trailing dot is still an IP host */
	{.pattern = "127.0.0.1.", .host = "127.0.0.1.", .want = false},
	/* IPv6 host never matches */
	{.pattern = "::1", .host = "::1", .want = false},
	/* a wildcard does not cover an IP host */
	{.pattern = "*.0.0.1", .host = "127.0.0.1", .want = false},
	/* a '*' in the host is not a wildcard */
	{.pattern = "*.example.com", .host = "*.example.com", .want = false},
	/* a 63-byte label is fine (RFC 1035 2.3.4) */
	{.pattern = LABEL63 ".example", .host = LABEL63 ".example",
	 .want = true},
	/* a 64-byte label is not */
	{.pattern = LABEL63 "a.example", .host = LABEL63 "a.example",
	 .want = false},
	/* underscore is tolerated (common in real SANs) */
	{.pattern = "_dmarc.example.com", .host = "_dmarc.example.com",
	 .want = true},
	/* hyphens inside labels */
	{.pattern = "my-host.ex-ample.com", .host = "MY-HOST.ex-ample.com",
	 .want = true},
};

static void test_names_dns_match(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(dns_rows) / sizeof(dns_rows[0]); i++) {
		const struct dns_row *r = &dns_rows[i];
		size_t plen = r->plen ? r->plen : strlen(r->pattern);
		bool got = cs_names_dns_match(r->pattern, plen, r->host);

		if (got != r->want)
			fail_msg("row %zu: pattern '%s' host '%s': got %d, "
				 "want %d", i, r->pattern, r->host, got,
				 r->want);
	}
	assert_false(cs_names_dns_match(NULL, 0, "example.com"));
	assert_false(cs_names_dns_match("example.com", 11, NULL));
}

/* ---- cs_names_dns_syntax --------------------------------------------- */

/* The flags its three callers pass: the profile (path/webpki.c), a
 * dNSName constraint (x509/nc.c), matching (names.c, nc_match.c). */
#define PROFILE (CS_DNS_WILDCARD | CS_DNS_ROOT_DOT)
#define CONSTRAINT (CS_DNS_UNDERSCORE | CS_DNS_ROOT_DOT)
#define MATCH (CS_DNS_UNDERSCORE | CS_DNS_LENGTHS)

struct syntax_row {
	const char *s;
	size_t len;
	bool profile, constraint, match, match_wild;
};

#define SYN(s, p, c, m, w) {s, sizeof(s) - 1, p, c, m, w}
#define L63 "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
#define L59 "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
#define N251 L63 "." L63 "." L63 "." L59 /* 253 octets after "a." */

static const struct syntax_row syntax_rows[] = {
	SYN("example.test", true, true, true, true),
	SYN("a", true, true, true, true),
	SYN("A-1.b2", true, true, true, true),
	SYN("", false, false, false, false),
	SYN("_srv.example.test", false, true, true, true),
	SYN("example.test.", true, true, false, false),
	SYN("example.test..", false, false, false, false),
	SYN(".example.test", false, false, false, false),
	SYN("a..b", false, false, false, false),
	SYN(".", false, false, false, false),
	SYN("*.example.test", true, false, false, true),
	SYN("*.", true, false, false, false),
	SYN("*", false, false, false, false),
	SYN("*.*.test", false, false, false, false),
	SYN("f*o.test", false, false, false, false),
	SYN("www.*", false, false, false, false),
	SYN("a b.test", false, false, false, false),
	SYN("a\0b.test", false, false, false, false),
	SYN("\xc3\xa9.test", false, false, false, false),
	SYN(L63 ".test", true, true, true, true),
	SYN(L63 "a.test", true, true, false, false),
	SYN("a." N251, true, true, true, true),
	SYN("ab." N251, true, true, false, false),
	SYN("*." N251, true, false, false, true),
	SYN("*.a." N251, true, false, false, false),
};

static void test_names_dns_syntax(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(syntax_rows) / sizeof(syntax_rows[0]);
	     i++) {
		const struct syntax_row *r = &syntax_rows[i];
		bool got[4] = {
			cs_names_dns_syntax(r->s, r->len, PROFILE),
			cs_names_dns_syntax(r->s, r->len, CONSTRAINT),
			cs_names_dns_syntax(r->s, r->len, MATCH),
			cs_names_dns_syntax(r->s, r->len,
					    MATCH | CS_DNS_WILDCARD),
		};

		if (got[0] != r->profile || got[1] != r->constraint ||
		    got[2] != r->match || got[3] != r->match_wild)
			fail_msg("row %zu (%zu octets): got %d %d %d %d", i,
				 r->len, got[0], got[1], got[2], got[3]);
	}
}

struct ps_row {
	const char *name;
	bool want;
};

static const struct ps_row ps_rows[] = {
	{.name = "com", .want = true},          /* gTLD */
	{.name = "uk", .want = true},           /* ccTLD */
	{.name = "COM.", .want = true},         /* case, root dot */
	{.name = "co.uk", .want = true},        /* multi-label */
	{.name = "CO.JP", .want = true},        /* multi-label, case */
	{.name = "com.au", .want = true},       /* multi-label */
	{.name = "github.io", .want = true},    /* private suffix */
	{.name = "example.com", .want = false}, /* registrable */
	{.name = "example.co.uk", .want = false}, /* below a suffix */
	{.name = "uk.co", .want = false},       /* reversed */
	{.name = "", .want = false},            /* empty */
};

static void test_names_public_suffix(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(ps_rows) / sizeof(ps_rows[0]); i++)
		if (cs_names_is_public_suffix(ps_rows[i].name) !=
		    ps_rows[i].want)
			fail_msg("row %zu: '%s': want %d", i, ps_rows[i].name,
				 ps_rows[i].want);
	assert_false(cs_names_is_public_suffix(NULL));
}

/* ---- cs_names_parse_ip ------------------------------------------------ */

struct ip_row {
	const char *s;
	bool want;
	size_t len;
	unsigned char bytes[16];
};

static const struct ip_row ip_rows[] = {
	/* IPv4 */
	{.s = "127.0.0.1", .want = true, .len = 4, .bytes = {127, 0, 0, 1}},
	/* IPv4 limits */
	{.s = "255.255.255.255", .want = true, .len = 4,
	 .bytes = {255, 255, 255, 255}},
	/* IPv6 loopback, short */
	{.s = "::1", .want = true, .len = 16, .bytes = {[15] = 1}},
	/* IPv6 loopback, long */
	{.s = "0:0:0:0:0:0:0:1", .want = true, .len = 16,
	 .bytes = {[15] = 1}},
	/* IPv6 in brackets */
	{.s = "[::1]", .want = true, .len = 16, .bytes = {[15] = 1}},
	/* IPv6 upper case */
	{.s = "2001:DB8::1", .want = true, .len = 16,
	 .bytes = {0x20, 0x01, 0x0d, 0xb8, [15] = 1}},
	/* IPv4-mapped IPv6 stays 16 bytes */
	{.s = "::ffff:127.0.0.1", .want = true, .len = 16,
	 .bytes = {[10] = 0xff, [11] = 0xff, [12] = 127, [15] = 1}},
	/* brackets are for IPv6 only */
	{.s = "[127.0.0.1]", .want = false},
	/* leading zeros are ambiguous (octal?) */
	{.s = "127.000.0.1", .want = false},
	/* shorthand IPv4 */
	{.s = "127.1", .want = false},
	/* five parts */
	{.s = "1.2.3.4.5", .want = false},
	/* out of range */
	{.s = "256.1.1.1", .want = false},
	/* a zone id */
	{.s = "fe80::1%eth0", .want = false},
	/* a zone id in brackets */
	{.s = "[fe80::1%eth0]", .want = false},
	/* unbalanced bracket */
	{.s = "[::1", .want = false},
	/* unbalanced bracket */
	{.s = "::1]", .want = false},
	/* empty brackets */
	{.s = "[]", .want = false},
	/* empty */
	{.s = "", .want = false},
	/* leading space */
	{.s = " 127.0.0.1", .want = false},
	/* trailing dot */
	{.s = "127.0.0.1.", .want = false},
	/* a host name */
	{.s = "www.example.com", .want = false},
	/* too long to be an address */
	{.s = "0000:0000:0000:0000:0000:0000:0000:0000:0000:0000:0000:0000",
	 .want = false},
};

static void test_names_parse_ip(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(ip_rows) / sizeof(ip_rows[0]); i++) {
		const struct ip_row *r = &ip_rows[i];
		unsigned char out[16];
		size_t len = 99;
		bool got = cs_names_parse_ip(r->s, out, &len);

		if (got != r->want)
			fail_msg("row %zu: '%s': got %d", i, r->s, got);
		if (!got) {
			assert_int_equal(len, 0);
			continue;
		}
		assert_int_equal(len, r->len);
		assert_memory_equal(out, r->bytes, r->len);
	}
}

/* ---- U-labels and A-labels (IDNA 2008, libidn2) -------------------- */

static const struct {
	const char *in, *want; /* want NULL: ASCII, used as it is */
	bool bad;
} idn_rows[] = {
	{"www.example.test", NULL, false},
	{"b\xc3\xbc" "cher.example", "xn--bcher-kva.example", false},
	/* NFC first: u + combining diaeresis is the same name */
	{"bu\xcc\x88" "cher.example", "xn--bcher-kva.example", false},
	/* upper case is mapped (as GnuTLS does) */
	{"B\xc3\x9c" "CHER.example", "xn--bcher-kva.example", false},
	/* non-transitional: sharp s stays (IDNA 2008, not "ss") */
	{"fa\xc3\x9f.example", "xn--fa-hia.example", false},
	/* U+2603 SNOWMAN is DISALLOWED in IDNA 2008 */
	{"\xe2\x98\x83.example", NULL, true},
	/* U+202E, a bidi control: DISALLOWED */
	{"a\xe2\x80\xae" "b.example", NULL, true},
	/* invalid UTF-8 */
	{"\xff.example", NULL, true},
};

static void test_names_idn(void **state)
{
	char u[256];

	(void)state;
	for (size_t i = 0; i < sizeof(idn_rows) / sizeof(idn_rows[0]); i++) {
		struct cs_error err;
		char *out = (char *)1;
		int rc = cs_names_host_ascii(idn_rows[i].in, &out, &err);

		if (idn_rows[i].bad) {
			if (rc != -1 || err.code != CS_E_USAGE ||
			    strstr(err.msg, "IDNA 2008") == NULL)
				fail_msg("row %zu: rc %d", i, rc);
			assert_null(out);
			continue;
		}
		if (rc != 0)
			fail_msg("row %zu: %s", i, err.msg);
		if (idn_rows[i].want == NULL)
			assert_null(out);
		else
			assert_string_equal(out, idn_rows[i].want);
		free(out);
	}
	/* and back, for show */
	assert_true(cs_names_unicode("xn--bcher-kva.example", 21, u,
				     sizeof(u)));
	assert_string_equal(u, "b\xc3\xbc" "cher.example");
	assert_true(cs_names_unicode("www.XN--BCHER-KVA.example", 25, u,
				     sizeof(u)));
	assert_false(cs_names_unicode("www.example.test", 16, u, sizeof(u)));
	/* a label Punycode decodes but IDNA 2008 refuses: not shown */
	assert_false(cs_names_unicode("xn--zz-invalid.example", 22, u,
				      sizeof(u)));
	/* a NUL inside, or no room: not shown */
	assert_false(cs_names_unicode("xn--bcher-kva\0.x", 17, u, sizeof(u)));
	assert_false(cs_names_unicode("xn--bcher-kva.example", 21, u, 5));
	/* matching: a U-label host against an A-label SAN */
	{
		struct tname sans[TEST_MAX_NAMES] = {
			DNS("xn--bcher-kva.example")};
		struct tmodel t;

		tmodel_init(&t, sans, NULL, 0, "CN=x");
		assert_int_equal(cs_names_match_host(&t.m,
						     "b\xc3\xbc" "cher.example"),
				 CS_NAME_MATCH);
		assert_int_equal(cs_names_match_host(&t.m,
						     "\xe2\x98\x83.example"),
				 CS_NAME_MISMATCH);
	}
}

/* ---- cs_names_match_host / cs_names_match_email ---------------------- */

struct host_row {
	struct tname sans[TEST_MAX_NAMES];
	const char *cn;
	size_t cn_len; /* 0: strlen(cn) */
	const char *host;
	enum cs_name_result want;
};

static const struct host_row host_rows[] = {
	/* exact SAN */
	{.sans = {DNS("www.example.test"), DNS("example.test")},
	 .cn = "www.example.test", .host = "www.example.test",
	 .want = CS_NAME_MATCH},
	/* the second SAN, with case and a trailing dot */
	{.sans = {DNS("www.example.test"), DNS("example.test")},
	 .host = "EXAMPLE.TEST.", .want = CS_NAME_MATCH},
	/* no SAN matches */
	{.sans = {DNS("www.example.test"), DNS("example.test")},
	 .cn = "www.example.test", .host = "mail.example.test",
	 .want = CS_NAME_MISMATCH},
	/* CN-only certificate, its CN asked for (ee-cn-only) */
	{.cn = "www.example.test", .host = "www.example.test",
	 .want = CS_NAME_CN_ONLY},
	/* CN-only certificate, another host */
	{.cn = "www.example.test", .host = "mail.example.test",
	 .want = CS_NAME_NO_SAN},
	/* DNS SANs for other names; only the CN has this one */
	{.sans = {DNS("a.example.test")}, .cn = "b.example.test",
	 .host = "b.example.test", .want = CS_NAME_CN_ONLY},
	/* no SAN, no CN */
	{.host = "www.example.test", .want = CS_NAME_NO_SAN},
	/* a CN with a NUL never matches */
	{.cn = "www.example.test\0.evil.test", .cn_len = 27,
	 .host = "www.example.test", .want = CS_NAME_NO_SAN},
	/* wildcard SAN (ee-wildcard) */
	{.sans = {DNS("*.example.test")}, .host = "www.example.test",
	 .want = CS_NAME_MATCH},
	/* wildcard SAN and the apex */
	{.sans = {DNS("*.example.test")}, .host = "example.test",
	 .want = CS_NAME_MISMATCH},
	/* IPv4 SAN (ee-ip) */
	{.sans = {DNS("localhost"), IP("127.0.0.1"), IP("::1")},
	 .host = "127.0.0.1", .want = CS_NAME_MATCH},
	/* IPv6 SAN, short form */
	{.sans = {DNS("localhost"), IP("127.0.0.1"), IP("::1")},
	 .host = "::1", .want = CS_NAME_MATCH},
	/* IPv6 SAN, long form */
	{.sans = {DNS("localhost"), IP("127.0.0.1"), IP("::1")},
	 .host = "0:0:0:0:0:0:0:1", .want = CS_NAME_MATCH},
	/* IPv6 SAN, bracketed */
	{.sans = {DNS("localhost"), IP("127.0.0.1"), IP("::1")},
	 .host = "[::1]", .want = CS_NAME_MATCH},
	/* IPv6 SAN, zero-padded group */
	{.sans = {IP("2001:db8::1")}, .host = "2001:0db8:0:0::0001",
	 .want = CS_NAME_MATCH},
	/* another IPv4 address */
	{.sans = {IP("127.0.0.1")}, .host = "127.0.0.2",
	 .want = CS_NAME_MISMATCH},
	/* IPv4-mapped IPv6 is not the IPv4 SAN (compared as bytes) */
	{.sans = {IP("127.0.0.1")}, .host = "::ffff:127.0.0.1",
	 .want = CS_NAME_MISMATCH},
	/* IP host against a DNS SAN spelling the address */
	{.sans = {DNS("127.0.0.1")}, .host = "127.0.0.1",
	 .want = CS_NAME_NO_SAN},
	/* DNS host, only IP SANs */
	{.sans = {IP("127.0.0.1")}, .host = "localhost",
	 .want = CS_NAME_NO_SAN},
	/* ip-in-cn-no-san.der: the address only in the CN */
	{.cn = "127.0.0.1", .host = "127.0.0.1", .want = CS_NAME_CN_ONLY},
	/* ip-in-cn-no-san.der, IPv6 host */
	{.cn = "127.0.0.1", .host = "::1", .want = CS_NAME_NO_SAN},
	/* san-wildcard-tld.der: SAN *.com, CN www.example.com */
	{.sans = {DNS("*.com")}, .cn = "www.example.com",
	 .host = "example.com", .want = CS_NAME_MISMATCH},
	/* san-wildcard-tld.der, the CN's name */
	{.sans = {DNS("*.com")}, .cn = "www.example.com",
	 .host = "www.example.com", .want = CS_NAME_CN_ONLY},
	/* san-double-wildcard.der */
	{.sans = {DNS("*.*.example.com")}, .cn = "www.example.com",
	 .host = "a.b.example.com", .want = CS_NAME_MISMATCH},
	/* san-wildcard-middle.der */
	{.sans = {DNS("www.*.example.com")}, .cn = "www.example.com",
	 .host = "www.a.example.com", .want = CS_NAME_MISMATCH},
	/* san-wildcard-partial.der */
	{.sans = {DNS("f*o.example.com")}, .cn = "www.example.com",
	 .host = "foo.example.com", .want = CS_NAME_MISMATCH},
	/* san-wildcard-xn.der */
	{.sans = {DNS("xn--*.example.com")}, .cn = "www.example.com",
	 .host = "xn--bcher-kva.example.com", .want = CS_NAME_MISMATCH},
	/* san-dns-with-nul.der */
	{.sans = {DNS("www.bank.test\0.evil.test")}, .cn = "www.example.com",
	 .host = "www.bank.test", .want = CS_NAME_MISMATCH},
	/* san-dns-with-nul.der, the part after the NUL */
	{.sans = {DNS("www.bank.test\0.evil.test")}, .cn = "www.example.com",
	 .host = ".evil.test", .want = CS_NAME_MISMATCH},
};

static void test_names_match_host(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(host_rows) / sizeof(host_rows[0]);
	     i++) {
		const struct host_row *r = &host_rows[i];
		struct tmodel t;
		enum cs_name_result got;

		tmodel_init(&t, r->sans, r->cn,
			    r->cn_len ? r->cn_len
				      : r->cn != NULL ? strlen(r->cn) : 0,
			    "CN=x");
		got = cs_names_match_host(&t.m, r->host);
		if (got != r->want)
			fail_msg("row %zu: host '%s': got %d, want %d", i,
				 r->host, (int)got, (int)r->want);
	}
	assert_int_equal(cs_names_match_host(NULL, "x.test"),
			 CS_NAME_MISMATCH);
}

struct email_row {
	struct tname sans[TEST_MAX_NAMES];
	const char *subject;
	const char *addr;
	enum cs_name_result want;
};

static const struct email_row email_rows[] = {
	/* exact (ee-email) */
	{.sans = {EMAIL("alice@example.test")}, .addr = "alice@example.test",
	 .want = CS_NAME_MATCH},
	/* domain case is ignored */
	{.sans = {EMAIL("alice@example.test")}, .addr = "alice@EXAMPLE.Test",
	 .want = CS_NAME_MATCH},
	/* local part case matters (RFC 5280 4.2.1.6) */
	{.sans = {EMAIL("alice@example.test")}, .addr = "Alice@example.test",
	 .want = CS_NAME_MISMATCH},
	/* another mailbox */
	{.sans = {EMAIL("alice@example.test")}, .addr = "bob@example.test",
	 .want = CS_NAME_MISMATCH},
	/* a longer domain */
	{.sans = {EMAIL("alice@example.test")},
	 .addr = "alice@example.test.evil", .want = CS_NAME_MISMATCH},
	/* the second SAN */
	{.sans = {DNS("example.test"), EMAIL("a@x.test"), EMAIL("b@y.test")},
	 .addr = "b@Y.TEST", .want = CS_NAME_MATCH},
	/* a SAN with a NUL after the address */
	{.sans = {EMAIL("alice@example.test\0x")},
	 .addr = "alice@example.test", .want = CS_NAME_MISMATCH},
	/* an address without '@' */
	{.sans = {EMAIL("alice@example.test")}, .addr = "alice",
	 .want = CS_NAME_MISMATCH},
	/* '@' inside a quoted local part: the last '@' splits */
	{.sans = {EMAIL("\"a@b\"@example.test")},
	 .addr = "\"a@b\"@EXAMPLE.test", .want = CS_NAME_MATCH},
	/* no e-mail SAN */
	{.sans = {DNS("example.test")}, .addr = "alice@example.test",
	 .want = CS_NAME_NO_SAN},
	/* only in the subject's EMAIL attribute */
	{.subject = "EMAIL=alice@example.test,CN=Alice",
	 .addr = "alice@example.test", .want = CS_NAME_CN_ONLY},
	/* only in the subject, as the dotted OID with a DER IA5String */
	{.subject = "CN=Alice,1.2.840.113549.1.9.1=#1612616c696365406578616d"
		    "706c652e74657374",
	 .addr = "alice@example.test", .want = CS_NAME_CN_ONLY},
	/* the subject holds another address */
	{.subject = "EMAIL=bob@example.test,CN=Alice",
	 .addr = "alice@example.test", .want = CS_NAME_NO_SAN},
};

static void test_names_match_email(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(email_rows) / sizeof(email_rows[0]);
	     i++) {
		const struct email_row *r = &email_rows[i];
		struct tmodel t;
		enum cs_name_result got;

		tmodel_init(&t, r->sans, NULL, 0,
			    r->subject != NULL ? r->subject : "CN=x");
		got = cs_names_match_email(&t.m, r->addr);
		if (got != r->want)
			fail_msg("row %zu: '%s': got %d, want %d", i, r->addr,
				 (int)got, (int)r->want);
	}
}

/* ---- cs_nc_allows (x509/nc_match.c) ----------------------------------- */

struct nc_row {
	struct tname permitted[TEST_MAX_NAMES];
	struct tname excluded[TEST_MAX_NAMES];
	bool noncritical;
	struct tname sans[TEST_MAX_NAMES];
	const char *cn;
	const char *subject; /* NULL: "CN=leaf" */
	bool want;
	const char *why;     /* exact sentence, or NULL */
	const char *why_has; /* a part of it, or NULL */
};

/* The constraints of testcerts/pki/ica-nc.pem. */
#define ICA_NC_PERM {DNS("example.test"), IP("127.0.0.0/8")}
#define ICA_NC_EXCL {DNS("bad.example.test")}

static const struct nc_row nc_rows[] = {
	/* ee-nc-ok */
	{.permitted = ICA_NC_PERM, .excluded = ICA_NC_EXCL,
	 .sans = {DNS("www.example.test")}, .want = true},
	/* the permitted name itself */
	{.permitted = ICA_NC_PERM, .excluded = ICA_NC_EXCL,
	 .sans = {DNS("example.test")}, .want = true},
	/* case and trailing dot */
	{.permitted = ICA_NC_PERM, .excluded = ICA_NC_EXCL,
	 .sans = {DNS("WWW.EXAMPLE.TEST.")}, .want = true},
	/* ee-nc-bad */
	{.permitted = ICA_NC_PERM, .excluded = ICA_NC_EXCL,
	 .sans = {DNS("www.evil.test")}, .want = false,
	 .why = "DNS name 'www.evil.test' is not within any permitted "
		"subtree (permitted: example.test)"},
	/* ee-nc-excluded */
	{.permitted = ICA_NC_PERM, .excluded = ICA_NC_EXCL,
	 .sans = {DNS("x.bad.example.test")}, .want = false,
	 .why = "DNS name 'x.bad.example.test' is in the excluded subtree "
		"'bad.example.test'"},
	/* the excluded name itself */
	{.permitted = ICA_NC_PERM, .excluded = ICA_NC_EXCL,
	 .sans = {DNS("bad.example.test")}, .want = false,
	 .why_has = "excluded subtree"},
	/* a label boundary: notbad. is not bad. */
	{.permitted = ICA_NC_PERM, .excluded = ICA_NC_EXCL,
	 .sans = {DNS("notbad.example.test")}, .want = true},
	/* a label boundary: evilexample.test is not example.test */
	{.permitted = ICA_NC_PERM, .excluded = ICA_NC_EXCL,
	 .sans = {DNS("evilexample.test")}, .want = false,
	 .why_has = "'evilexample.test' is not within"},
	/* one bad name among good ones */
	{.permitted = ICA_NC_PERM, .excluded = ICA_NC_EXCL,
	 .sans = {DNS("www.example.test"), DNS("www.evil.test")},
	 .want = false, .why_has = "'www.evil.test'"},
	/* leading dot: subdomains */
	{.permitted = {DNS(".example.test")},
	 .sans = {DNS("www.example.test")}, .want = true},
	/* leading dot: not the name itself */
	{.permitted = {DNS(".example.test")}, .sans = {DNS("example.test")},
	 .want = false, .why_has = "permitted: .example.test"},
	/* two permitted subtrees listed */
	{.permitted = {DNS("a.test"), DNS("b.test")},
	 .sans = {DNS("c.test")}, .want = false,
	 .why = "DNS name 'c.test' is not within any permitted subtree "
		"(permitted: a.test, b.test)"},
	/* the second permitted subtree */
	{.permitted = {DNS("a.test"), DNS("b.test")},
	 .sans = {DNS("x.b.test")}, .want = true},
	/* an empty dNSName permits every DNS name */
	{.permitted = {DNS("")}, .sans = {DNS("anything.test")},
	 .want = true},
	/* an empty excluded dNSName excludes every DNS name */
	{.excluded = {DNS("")}, .sans = {DNS("anything.test")},
	 .want = false, .why_has = "excluded subtree ''"},
	/* excluded wins over permitted */
	{.permitted = {DNS("example.test")}, .excluded = {DNS("example.test")},
	 .sans = {DNS("www.example.test")}, .want = false,
	 .why_has = "excluded"},
	/* only DNS constraints: other types pass */
	{.permitted = {DNS("example.test")},
	 .sans = {DNS("www.example.test"), IP("10.1.2.3"),
		  EMAIL("a@evil.test")},
	 .want = true},
	/* a wildcard SAN can stand for an excluded name */
	{.permitted = ICA_NC_PERM, .excluded = ICA_NC_EXCL,
	 .sans = {DNS("*.example.test")}, .want = false,
	 .why_has = "'*.example.test' is in the excluded subtree"},
	/* a wildcard SAN below the excluded subtree's level */
	{.excluded = {DNS("bad.example.test")},
	 .sans = {DNS("*.www.example.test")}, .want = true},
	/* a wildcard SAN within a permitted subtree */
	{.permitted = {DNS("example.test")}, .sans = {DNS("*.example.test")},
	 .want = true},
	/* a NUL SAN falls in the excluded subtree after the NUL */
	{.excluded = {DNS("evil.test")},
	 .sans = {DNS("www.bank.test\0.evil.test")}, .want = false,
	 .why_has = "'www.bank.test\\x00.evil.test'"},
	/* a NUL SAN is not within the subtree before the NUL */
	{.permitted = {DNS("bank.test")},
	 .sans = {DNS("www.bank.test\0.evil.test")}, .want = false,
	 .why_has = "not within"},
	/* IPv4 within 127.0.0.0/8 */
	{.permitted = ICA_NC_PERM, .excluded = ICA_NC_EXCL,
	 .sans = {DNS("www.example.test"), IP("127.0.0.1")}, .want = true},
	/* IPv4 outside 127.0.0.0/8 */
	{.permitted = ICA_NC_PERM, .excluded = ICA_NC_EXCL,
	 .sans = {IP("10.1.2.3")}, .want = false,
	 .why = "IP address 10.1.2.3 is not within any permitted range "
		"(permitted: 127.0.0.0/8)"},
	/* IPv6 name, only an IPv4 range permitted */
	{.permitted = ICA_NC_PERM, .sans = {IP("::1")}, .want = false,
	 .why_has = "IP address ::1 is not within"},
	/* IPv6 within 2001:db8::/32 */
	{.permitted = {IP("2001:db8::/32")}, .sans = {IP("2001:db8:1::5")},
	 .want = true},
	/* IPv6 outside 2001:db8::/32 */
	{.permitted = {IP("2001:db8::/32")}, .sans = {IP("2001:db9::1")},
	 .want = false, .why_has = "(permitted: 2001:db8::/32)"},
	/* a non-octet mask: /20 */
	{.permitted = {IP("10.16.0.0/20")}, .sans = {IP("10.16.15.255")},
	 .want = true},
	/* just outside a /20 */
	{.permitted = {IP("10.16.0.0/20")}, .sans = {IP("10.16.16.0")},
	 .want = false},
	/* an excluded IPv4 range */
	{.excluded = {IP("10.0.0.0/8")}, .sans = {IP("10.1.2.3")},
	 .want = false,
	 .why = "IP address 10.1.2.3 is in the excluded range 10.0.0.0/8"},
	/* outside the excluded range */
	{.excluded = {IP("10.0.0.0/8")}, .sans = {IP("192.0.2.1")},
	 .want = true},
	/* an IPv4 exclusion does not apply to IPv6 names */
	{.excluded = {IP("0.0.0.0/0")}, .sans = {IP("::1")}, .want = true},
	/* IPv4-mapped IPv6 is not in an IPv4 exclusion */
	{.excluded = {IP("127.0.0.0/8")}, .sans = {IP("::ffff:127.0.0.1")},
	 .want = true},
	/* e-mail host constraint: exactly that host */
	{.permitted = {EMAIL("example.test")},
	 .sans = {EMAIL("a@example.test")},
	 .want = true},
	/* e-mail host constraint: not a subdomain */
	{.permitted = {EMAIL("example.test")},
	 .sans = {EMAIL("a@sub.example.test")}, .want = false,
	 .why = "e-mail address 'a@sub.example.test' is not within any "
		"permitted subtree (permitted: example.test)"},
	/* e-mail ".host" constraint: subdomains */
	{.permitted = {EMAIL(".example.test")},
	 .sans = {EMAIL("a@sub.example.test")}, .want = true},
	/* e-mail ".host" constraint: not the host itself */
	{.permitted = {EMAIL(".example.test")},
	 .sans = {EMAIL("a@example.test")}, .want = false},
	/* e-mail mailbox constraint, domain case ignored */
	{.permitted = {EMAIL("root@example.test")},
	 .sans = {EMAIL("root@EXAMPLE.test")}, .want = true},
	/* e-mail mailbox constraint, local part case kept */
	{.permitted = {EMAIL("root@example.test")},
	 .sans = {EMAIL("Root@example.test")}, .want = false},
	/* excluded e-mail host */
	{.excluded = {EMAIL("evil.test")}, .sans = {EMAIL("x@evil.test")},
	 .want = false,
	 .why = "e-mail address 'x@evil.test' is in the excluded subtree "
		"'evil.test'"},
	/* e-mail in the subject DN is checked */
	{.permitted = {EMAIL("example.test")},
	 .subject = "EMAIL=a@evil.test,CN=leaf", .want = false,
	 .why_has = "subject e-mail address 'a@evil.test'"},
	/* e-mail in the subject DN, as the dotted OID */
	{.permitted = {EMAIL("example.test")},
	 .subject = "CN=leaf,1.2.840.113549.1.9.1=#160b6140657669"
		    "6c2e74657374",
	 .want = false, .why_has = "'a@evil.test'"},
	/* e-mail in the subject DN within the permitted host */
	{.permitted = {EMAIL("example.test")},
	 .subject = "EMAIL=a@example.test,CN=leaf", .want = true},
	/* CN fallback: no DNS SAN, host-like CN outside */
	{.permitted = ICA_NC_PERM, .excluded = ICA_NC_EXCL,
	 .cn = "www.evil.test", .want = false,
	 .why_has = "subject CN (checked as a DNS name because there is no "
		    "DNS SAN) 'www.evil.test' is not within"},
	/* CN fallback: host-like CN inside */
	{.permitted = ICA_NC_PERM, .excluded = ICA_NC_EXCL,
	 .cn = "www.example.test", .want = true},
	/* CN fallback: host-like CN excluded */
	{.permitted = ICA_NC_PERM, .excluded = ICA_NC_EXCL,
	 .cn = "x.bad.example.test", .want = false,
	 .why_has = "excluded subtree 'bad.example.test'"},
	/* CN fallback: a CN that is not a host name is ignored */
	{.permitted = ICA_NC_PERM, .excluded = ICA_NC_EXCL,
	 .cn = "Alice Example", .want = true},
	/* a DNS SAN present: the CN is not a name */
	{.permitted = ICA_NC_PERM, .excluded = ICA_NC_EXCL,
	 .sans = {DNS("www.example.test")}, .cn = "www.evil.test",
	 .want = true},
	/* an IP-literal CN with no IP SAN is checked as an address */
	{.permitted = ICA_NC_PERM, .cn = "10.1.2.3", .want = false,
	 .why_has = "10.1.2.3 is not within any permitted range"},
	/* an IP-literal CN inside the range */
	{.permitted = ICA_NC_PERM, .cn = "127.0.0.1", .want = true},
	/* an IP-literal CN, no SAN, in an excluded range */
	{.excluded = {IP("127.0.0.0/24")}, .cn = "127.0.0.1", .want = false,
	 .why_has = "subject CN (checked as an IP address because there is "
		    "no DNS or IP SAN) 127.0.0.1 is in the excluded range"},
	/* IP-literal CN beside a DNS SAN: no client reads that CN
	 * (RFC 6125 6.4.4), so an excluded range does not reach it */
	{.excluded = {IP("127.0.0.0/24")}, .sans = {DNS("www.example.test")},
	 .cn = "127.0.0.1", .want = true},
	/* IP-literal CN beside a DNS SAN, outside the permitted range */
	{.permitted = {DNS("example.test"), IP("1.1.1.0/24")},
	 .sans = {DNS("www.example.test")}, .cn = "127.0.0.1", .want = true},
	/* IP-literal CN beside an IP SAN: the SAN is checked, not the CN */
	{.permitted = {IP("127.0.0.0/8")}, .sans = {IP("127.0.0.1")},
	 .cn = "10.1.2.3", .want = true},
	/* host-like CN beside an IP SAN only: OpenSSL still matches a host
	 * name against this CN (no DNS SAN), so the constraint holds */
	{.permitted = {DNS("example.test")}, .sans = {IP("127.0.0.1")},
	 .cn = "test.localhost", .want = false,
	 .why_has = "subject CN (checked as a DNS name"},
	/* host-like CN beside an IP SAN, in an excluded DNS subtree */
	{.excluded = {DNS("bad.example.test")}, .sans = {IP("127.0.0.1")},
	 .cn = "bad.example.test", .want = false,
	 .why_has = "excluded subtree 'bad.example.test'"},
	/* URI host within ".example.test" */
	{.permitted = {URI(".example.test")},
	 .sans = {URI("https://www.example.test/path")}, .want = true},
	/* URI host outside */
	{.permitted = {URI(".example.test")},
	 .sans = {URI("https://evil.test/")}, .want = false,
	 .why_has = "URI 'https://evil.test/'"},
	/* URI host with userinfo and port, excluded */
	{.excluded = {URI("evil.test")},
	 .sans = {URI("https://example.test@evil.test:443/")},
	 .want = false, .why_has = "excluded subtree 'evil.test'"},
	/* URI without a host under a permitted URI subtree */
	{.permitted = {URI("example.test")}, .sans = {URI("urn:x:y")},
	 .want = false},
	/* directoryName constraints are left to x509/nc.c, which compares
	 * them on the DER (test_nc.c, test_verify.c test_nc_forms): here a
	 * subject and a SAN directoryName outside them pass */
	{.permitted = {DN("O=certscope test PKI")},
	 .subject = "CN=x,O=Evil", .sans = {DN("CN=y,O=Evil")},
	 .want = true},
	{.excluded = {DN("O=Evil")}, .subject = "CN=x,O=Evil",
	 .want = true},
	/* otherName, x400Address, ediPartyName and registeredID
	 * constraints are left to x509/nc.c too, on the DER
	 * (cs_nc_foreign_violation; e2e test_conform.py): here they pass,
	 * and the other forms' constraints still hold beside them */
	{.permitted = {OTHER("1.3.6.1.5.5.7.8.9:00")},
	 .sans = {OTHER("1.3.6.1.5.5.7.8.9:01")}, .want = true},
	{.permitted = {OTHER("1.3.6.1.5.5.7.8.9:00"), DNS("example.test")},
	 .sans = {DNS("www.evil.test")}, .want = false,
	 .why_has = "www.evil.test"},
};

static void test_names_nc_allows(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(nc_rows) / sizeof(nc_rows[0]); i++) {
		const struct nc_row *r = &nc_rows[i];
		struct tmodel ca, leaf;
		char why[512];
		bool got;

		tmodel_init(&ca, NULL, "CA", 2, "CN=CA");
		ca.m.has_name_constraints = true;
		ca.m.nc_critical = !r->noncritical;
		ca.m.nc_permitted.v = ca.perm;
		ca.m.nc_permitted.n = fill(ca.perm, r->permitted);
		ca.m.nc_excluded.v = ca.excl;
		ca.m.nc_excluded.n = fill(ca.excl, r->excluded);
		tmodel_init(&leaf, r->sans, r->cn,
			    r->cn != NULL ? strlen(r->cn) : 0,
			    r->subject != NULL ? r->subject : "CN=leaf");
		memset(why, 'X', sizeof(why));
		got = cs_nc_allows(&ca.m, &leaf.m, why, sizeof(why));
		if (got != r->want)
			fail_msg("row %zu: got %d, want %d (%s)", i, got,
				 r->want, why);
		if (got) {
			assert_string_equal(why, "");
			continue;
		}
		if (r->why != NULL && strcmp(why, r->why) != 0)
			fail_msg("row %zu: why '%s', want '%s'", i, why,
				 r->why);
		if (r->why_has != NULL && strstr(why, r->why_has) == NULL)
			fail_msg("row %zu: why '%s' lacks '%s'", i, why,
				 r->why_has);
		assert_true(strlen(why) > 10);
	}
}

static void test_names_nc_edge(void **state)
{
	struct tmodel ca, leaf;
	static const struct tname perm[] = {DNS("example.test"), {0}};
	static const struct tname sans[] = {DNS("www.evil.test"), {0}};
	char why[16];

	(void)state;
	tmodel_init(&ca, NULL, NULL, 0, "CN=CA");
	tmodel_init(&leaf, sans, NULL, 0, "CN=leaf");
	/* no name constraints extension: everything is allowed */
	assert_true(cs_nc_allows(&ca.m, &leaf.m, why, sizeof(why)));
	ca.m.has_name_constraints = true;
	ca.m.nc_critical = true;
	ca.m.nc_permitted.v = ca.perm;
	ca.m.nc_permitted.n = fill(ca.perm, perm);
	/* a small buffer is cut, still terminated */
	assert_false(cs_nc_allows(&ca.m, &leaf.m, why, sizeof(why)));
	assert_int_equal(strlen(why), sizeof(why) - 1);
	/* no buffer at all */
	assert_false(cs_nc_allows(&ca.m, &leaf.m, NULL, 0));
	assert_true(cs_nc_allows(NULL, &leaf.m, NULL, 0));
}

/* ---- real certificates through the model ------------------------------ */

static int model_of(struct cs_cert_model *m, const char *dir,
		    const char *rel)
{
	char path[1024];
	unsigned char *buf;
	gnutls_x509_crt_t crt = NULL;
	gnutls_datum_t d;
	struct cs_error err;
	struct stat st;
	FILE *f;
	bool pem = strstr(rel, ".pem") != NULL;
	int rc = -1;

	snprintf(path, sizeof(path), "%s/%s", dir, rel);
	f = fopen(path, "rb");
	if (f == NULL)
		return -1;
	if (fstat(fileno(f), &st) < 0 || st.st_size > TEST_MAX_FILE ||
	    (buf = malloc((size_t)st.st_size + 1)) == NULL) {
		fclose(f);
		return -1;
	}
	d.data = buf;
	d.size = (unsigned)fread(buf, 1, (size_t)st.st_size, f);
	fclose(f);
	memset(m, 0, sizeof(*m));
	if (gnutls_x509_crt_init(&crt) < 0)
		goto out;
	if (gnutls_x509_crt_import(crt, &d, pem ? GNUTLS_X509_FMT_PEM
						: GNUTLS_X509_FMT_DER) < 0)
		goto out;
	rc = cs_model_from_crt(m, crt, pem ? NULL : buf, pem ? 0 : d.size,
			       &err);
out:
	gnutls_x509_crt_deinit(crt);
	free(buf);
	return rc;
}

static const char *testcerts(void)
{
	const char *dir = getenv("CS_TESTCERTS");

	return dir != NULL ? dir : "testcerts";
}

struct real_host_row {
	const char *file;
	const char *host;
	enum cs_name_result want;
};

static const struct real_host_row real_host_rows[] = {
	/* SAN www.example.test, example.test */
	{"pki/ee-rsa.pem", "www.example.test", CS_NAME_MATCH},
	{"pki/ee-rsa.pem", "Example.Test.", CS_NAME_MATCH},
	/* ee-rsa, a host it does not name */
	{"pki/ee-rsa.pem", "mail.example.test", CS_NAME_MISMATCH},
	/* ee-rsa has no IP SAN */
	{"pki/ee-rsa.pem", "127.0.0.1", CS_NAME_NO_SAN},
	/* *.example.test */
	{"pki/ee-wildcard.pem", "www.example.test", CS_NAME_MATCH},
	/* wildcard and the apex */
	{"pki/ee-wildcard.pem", "example.test", CS_NAME_MISMATCH},
	/* wildcard and two labels */
	{"pki/ee-wildcard.pem", "a.b.example.test", CS_NAME_MISMATCH},
	/* IP SANs 127.0.0.1 and ::1 */
	{"pki/ee-ip.pem", "127.0.0.1", CS_NAME_MATCH},
	{"pki/ee-ip.pem", "0:0:0:0:0:0:0:1", CS_NAME_MATCH},
	{"pki/ee-ip.pem", "[::1]", CS_NAME_MATCH},
	{"pki/ee-ip.pem", "127.0.0.2", CS_NAME_MISMATCH},
	/* CN only */
	{"pki/ee-cn-only.pem", "www.example.test", CS_NAME_CN_ONLY},
	{"pki/ee-cn-only.pem", "mail.example.test", CS_NAME_NO_SAN},
};

static void test_names_real_hosts(void **state)
{
	(void)state;
	for (size_t i = 0;
	     i < sizeof(real_host_rows) / sizeof(real_host_rows[0]); i++) {
		const struct real_host_row *r = &real_host_rows[i];
		struct cs_cert_model m;
		enum cs_name_result got;

		if (model_of(&m, testcerts(), r->file) < 0)
			fail_msg("cannot load %s", r->file);
		got = cs_names_match_host(&m, r->host);
		cs_model_free(&m);
		if (got != r->want)
			fail_msg("row %zu: %s host '%s': got %d, want %d", i,
				 r->file, r->host, (int)got, (int)r->want);
	}
}

static void test_names_real_email(void **state)
{
	struct cs_cert_model m;

	(void)state;
	if (model_of(&m, testcerts(), "pki/ee-email.pem") < 0)
		fail_msg("cannot load ee-email.pem");
	assert_int_equal(cs_names_match_email(&m, "alice@example.test"),
			 CS_NAME_MATCH);
	assert_int_equal(cs_names_match_email(&m, "alice@EXAMPLE.TEST"),
			 CS_NAME_MATCH);
	assert_int_equal(cs_names_match_email(&m, "bob@example.test"),
			 CS_NAME_MISMATCH);
	cs_model_free(&m);
}

struct real_nc_row {
	const char *leaf;
	bool want;
	const char *why;
};

static const struct real_nc_row real_nc_rows[] = {
	/* www.example.test under example.test */
	{"pki/ee-nc-ok.pem", true, ""},
	/* www.evil.test */
	{"pki/ee-nc-bad.pem", false,
	 "DNS name 'www.evil.test' is not within any permitted subtree "
	 "(permitted: example.test)"},
	/* x.bad.example.test */
	{"pki/ee-nc-excluded.pem", false,
	 "DNS name 'x.bad.example.test' is in the excluded subtree "
	 "'bad.example.test'"},
	/* 127.0.0.1 is in 127.0.0.0/8, but ::1 is not and localhost is
	 * outside example.test */
	{"pki/ee-ip.pem", false,
	 "DNS name 'localhost' is not within any permitted subtree "
	 "(permitted: example.test)"},
};

static void test_names_real_nc(void **state)
{
	struct cs_cert_model ca;

	(void)state;
	if (model_of(&ca, testcerts(), "pki/ica-nc.pem") < 0)
		fail_msg("cannot load ica-nc.pem");
	assert_true(ca.has_name_constraints);
	for (size_t i = 0; i < sizeof(real_nc_rows) / sizeof(real_nc_rows[0]);
	     i++) {
		const struct real_nc_row *r = &real_nc_rows[i];
		struct cs_cert_model leaf;
		char why[512];
		bool got;

		if (model_of(&leaf, testcerts(), r->leaf) < 0)
			fail_msg("cannot load %s", r->leaf);
		got = cs_nc_allows(&ca, &leaf, why, sizeof(why));
		cs_model_free(&leaf);
		if (got != r->want || strcmp(why, r->why) != 0)
			fail_msg("row %zu: %s: got %d '%s'", i, r->leaf, got,
				 why);
	}
	cs_model_free(&ca);
}

/* The synthetic corpus certificates: each names only www.example.com in
 * its CN and a broken pattern in its SAN. */
struct synth_row {
	const char *file;
	const char *host;
	enum cs_name_result want;
};

static const struct synth_row synth_rows[] = {
	{"san-double-wildcard.der", "a.b.example.com", CS_NAME_MISMATCH},
	{"san-wildcard-middle.der", "www.a.example.com", CS_NAME_MISMATCH},
	{"san-wildcard-partial.der", "foo.example.com", CS_NAME_MISMATCH},
	{"san-wildcard-tld.der", "example.com", CS_NAME_MISMATCH},
	{"san-wildcard-xn.der", "xn--bcher-kva.example.com",
	 CS_NAME_MISMATCH},
	{"san-dns-with-nul.der", "www.bank.test", CS_NAME_MISMATCH},
	/* the CN is not used, but reported */
	{"san-wildcard-tld.der", "www.example.com", CS_NAME_CN_ONLY},
	{"ip-in-cn-no-san.der", "127.0.0.1", CS_NAME_CN_ONLY},
};

static void test_names_synthetic(void **state)
{
	const char *shared = getenv("CS_SHARED");
	char dir[1024];
	struct stat st;

	(void)state;
	snprintf(dir, sizeof(dir), "%s/corpus/certscope-synthetic",
		 shared != NULL ? shared : "/work/shared");
	if (stat(dir, &st) < 0)
		skip();
	for (size_t i = 0; i < sizeof(synth_rows) / sizeof(synth_rows[0]);
	     i++) {
		const struct synth_row *r = &synth_rows[i];
		struct cs_cert_model m;
		enum cs_name_result got;

		if (model_of(&m, dir, r->file) < 0)
			fail_msg("cannot load %s", r->file);
		got = cs_names_match_host(&m, r->host);
		cs_model_free(&m);
		if (got != r->want)
			fail_msg("row %zu: %s host '%s': got %d, want %d", i,
				 r->file, r->host, (int)got, (int)r->want);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names_dns_match),
		cmocka_unit_test(test_names_dns_syntax),
		cmocka_unit_test(test_names_public_suffix),
		cmocka_unit_test(test_names_parse_ip),
		cmocka_unit_test(test_names_idn),
		cmocka_unit_test(test_names_match_host),
		cmocka_unit_test(test_names_match_email),
		cmocka_unit_test(test_names_nc_allows),
		cmocka_unit_test(test_names_nc_edge),
		cmocka_unit_test(test_names_real_hosts),
		cmocka_unit_test(test_names_real_email),
		cmocka_unit_test(test_names_real_nc),
		cmocka_unit_test(test_names_synthetic),
	};
	int rc;

	gnutls_global_init();
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	gnutls_global_deinit();
	return rc;
}
