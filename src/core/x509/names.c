/*
 * names.c - reference identity matching (RFC 6125, RFC 5280 4.2.1.6) and
 * name constraints (RFC 5280 4.2.1.10), pure functions over the model.
 *
 * Name constraint choices, where RFC 5280 leaves room:
 *  - dNSName, iPAddress, rfc822Name and uniformResourceIdentifier (host
 *    part) constraints are checked.  directoryName constraints are checked
 *    against the subject DN as RFC 4514 strings: the constraint's RDNs
 *    must be a prefix of the subject's, which in the reversed RFC 4514
 *    order is a suffix after an unescaped ','; ASCII case is ignored (an
 *    approximation of RFC 4518 caseIgnoreMatch).
 *  - Forms we cannot check (directoryName SANs, otherName, x400Address,
 *    ediPartyName, registeredID) are a violation only when the extension
 *    is critical, there is a constraint of that form, and the certificate
 *    has a name of that form.
 *  - An IP address is one type: a v4 constraint never matches a v6
 *    address, but any permitted IP range makes an address outside all of
 *    them a violation (Go does the same).
 *  - A wildcard dNSName "*.example.test" is in an excluded subtree
 *    "bad.example.test" because it can stand for that name; for permitted
 *    subtrees it is compared as written.
 *  - The subject CN is checked only where a client could still take it
 *    for the server's identity, so a CN cannot be used to bypass the
 *    constraints: a host-like CN against the DNS constraints when there is
 *    no DNS SAN (RFC 2818 3.1 and OpenSSL fall back to the CN then, even
 *    beside an IP SAN); an IP-literal CN against the IP constraints only
 *    when there is neither a DNS nor an IP SAN (RFC 2818 3.1 wants an
 *    address in an iPAddress SAN, RFC 6125 6.4.4 forbids the CN once a
 *    DNS-ID is present; GnuTLS, NSS and OpenSSL never read it then).
 *  - E-mail addresses in the subject DN (EMAIL= or the OID
 *    1.2.840.113549.1.9.1, RFC 5280 4.2.1.6) are checked as rfc822Names.
 */
#include <arpa/inet.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "x509/names.h"

#define CS_NAMES_MAX_DNS 253     /* RFC 1035 2.3.4, without the root dot */
#define CS_NAMES_MAX_LABEL 63    /* RFC 1035 2.3.4 */
#define CS_NAMES_MAX_IPTEXT 64   /* longer text is no address literal */
#define CS_NAMES_MAX_EMAIL 1024  /* subject e-mail values we decode */
#define CS_NAMES_SHOW_MAX 160    /* bytes of a name quoted in a sentence */

/* Multi-label public suffixes (a compact selection of the Public Suffix
 * List); every single label counts as a public suffix anyway. */
static const char *const multi_suffixes[] = {
	"ac.uk", "co.uk", "gov.uk", "ltd.uk", "me.uk", "net.uk", "nhs.uk",
	"org.uk", "plc.uk", "sch.uk",
	"asn.au", "com.au", "edu.au", "gov.au", "id.au", "net.au", "org.au",
	"ac.jp", "co.jp", "ed.jp", "go.jp", "gr.jp", "lg.jp", "ne.jp",
	"or.jp",
	"ac.nz", "co.nz", "govt.nz", "net.nz", "org.nz",
	"co.za", "gov.za", "org.za",
	"com.br", "gov.br", "net.br", "org.br",
	"com.cn", "edu.cn", "gov.cn", "net.cn", "org.cn",
	"com.hk", "org.hk", "com.tw", "org.tw", "com.sg", "edu.sg",
	"gov.sg", "com.my",
	"ac.in", "co.in", "gov.in", "net.in", "org.in",
	"co.kr", "ne.kr", "or.kr",
	"com.mx", "org.mx", "com.ar", "com.tr", "com.ua", "co.il", "org.il",
	"ac.il", "co.id", "or.id", "ac.id", "com.ph", "com.vn", "com.pk",
	"com.eg", "com.sa", "co.th", "in.th", "ac.th", "com.pe", "com.co",
	"co.ke", "com.ng",
	"eu.org", "us.com",
	"github.io", "gitlab.io", "herokuapp.com", "appspot.com",
	"blogspot.com", "cloudfront.net", "azurewebsites.net", "netlify.app",
	"vercel.app", "pages.dev", "workers.dev", "web.app",
	"firebaseapp.com", "s3.amazonaws.com", "elasticbeanstalk.com",
	"fly.dev", "onrender.com", "glitch.me", "ngrok.io", "duckdns.org",
	"dyndns.org", "no-ip.org",
};

static char lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

/* ASCII case-insensitive equality of n bytes (IDNA A-labels are ASCII,
 * RFC 5890 2.3.2.1, so this is the whole comparison). */
static bool ieq(const char *a, const char *b, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (lower(a[i]) != lower(b[i]))
			return false;
	return true;
}

/* Does s (n bytes) end with suffix (sn bytes), ignoring ASCII case? */
static bool iends(const char *s, size_t n, const char *suf, size_t sn)
{
	return sn <= n && ieq(s + n - sn, suf, sn);
}

/* Drop one trailing dot (the DNS root, RFC 1034 3.1). */
static size_t strip_dot(const char *s, size_t n)
{
	return n > 0 && s[n - 1] == '.' ? n - 1 : n;
}

static bool is_ldh(char c)
{
	/* Letters, digits, hyphen (RFC 1123 2.1); underscore is tolerated
	 * because it is common in real SANs. */
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '-' || c == '_';
}

/* Is s (n bytes, no trailing dot) a syntactically valid DNS name?  With
 * wild, the first label may be exactly "*". */
static bool dns_syntax(const char *s, size_t n, bool wild)
{
	size_t label = 0;

	if (n == 0 || n > CS_NAMES_MAX_DNS)
		return false;
	if (wild && n >= 2 && s[0] == '*' && s[1] == '.') {
		s += 2;
		n -= 2;
		if (n == 0)
			return false;
	}
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '.') {
			if (label == 0)
				return false; /* empty label */
			label = 0;
			continue;
		}
		if (!is_ldh(s[i]) || ++label > CS_NAMES_MAX_LABEL)
			return false;
	}
	return label > 0;
}

static bool public_suffix(const char *s, size_t n)
{
	n = strip_dot(s, n);
	if (n == 0)
		return false;
	if (memchr(s, '.', n) == NULL)
		return true; /* every TLD */
	for (size_t i = 0; i < sizeof(multi_suffixes) /
				   sizeof(multi_suffixes[0]); i++) {
		size_t sl = strlen(multi_suffixes[i]);

		if (sl == n && ieq(s, multi_suffixes[i], n))
			return true;
	}
	return false;
}

bool cs_names_is_public_suffix(const char *name)
{
	return name != NULL && public_suffix(name, strlen(name));
}

bool cs_names_parse_ip(const char *s, unsigned char out[16], size_t *len)
{
	char buf[CS_NAMES_MAX_IPTEXT];
	size_t n;

	if (len != NULL)
		*len = 0;
	if (s == NULL || out == NULL || len == NULL)
		return false;
	n = strlen(s);
	if (n == 0 || n >= sizeof(buf))
		return false;
	/* "[v6]" as in URLs (RFC 3986 3.2.2); brackets are for v6 only.
	 * inet_pton takes no zone id ("%eth0"), no shorthand v4 ("127.1")
	 * and no leading zeros ("127.000.0.1"). */
	if (s[0] == '[') {
		if (n < 3 || s[n - 1] != ']')
			return false;
		memcpy(buf, s + 1, n - 2);
		buf[n - 2] = '\0';
		if (inet_pton(AF_INET6, buf, out) != 1)
			return false;
		*len = 16;
		return true;
	}
	if (inet_pton(AF_INET, s, out) == 1) {
		*len = 4;
		return true;
	}
	if (inet_pton(AF_INET6, s, out) == 1) {
		*len = 16;
		return true;
	}
	return false;
}

/* Is s (n bytes, may end with the root dot) an IP address literal? */
static bool is_ip_text(const char *s, size_t n)
{
	char buf[CS_NAMES_MAX_IPTEXT];
	unsigned char ip[16];
	size_t iplen;

	n = strip_dot(s, n);
	if (n >= sizeof(buf) || memchr(s, '\0', n) != NULL)
		return false;
	memcpy(buf, s, n);
	buf[n] = '\0';
	return cs_names_parse_ip(buf, ip, &iplen);
}

bool cs_names_dns_match(const char *pattern, size_t plen, const char *host)
{
	size_t hn;
	const char *hrest;

	if (pattern == NULL || host == NULL)
		return false;
	/* A NUL inside a dNSName is an attack on C string compares
	 * (CVE-2009-2408): it never matches. */
	if (memchr(pattern, '\0', plen) != NULL)
		return false;
	hn = strlen(host);
	/* RFC 6125 6.2.1: an IP reference identity is never compared with
	 * a DNS-ID, even one that spells the same address. */
	if (is_ip_text(host, hn))
		return false;
	hn = strip_dot(host, hn);
	plen = strip_dot(pattern, plen);
	if (!dns_syntax(host, hn, false) || !dns_syntax(pattern, plen, true))
		return false;
	if (!(plen >= 2 && pattern[0] == '*' && pattern[1] == '.'))
		return plen == hn && ieq(pattern, host, hn);
	/* RFC 6125 6.4.3, CA/B BR 7.1.4.2.2: "*" is the whole left-most
	 * label, stands for exactly one label and not over a public
	 * suffix.  dns_syntax() already refused "f*o", "www.*", "*.*" and
	 * "xn--*" (a '*' anywhere else is an invalid character). */
	if (public_suffix(pattern + 2, plen - 2))
		return false;
	hrest = memchr(host, '.', hn);
	if (hrest == NULL)
		return false;
	hrest++;
	return (size_t)(host + hn - hrest) == plen - 2 &&
	       ieq(hrest, pattern + 2, plen - 2);
}

enum cs_name_result cs_names_match_host(const struct cs_cert_model *m,
					const char *host)
{
	unsigned char ip[16], cnip[16];
	size_t iplen = 0, cniplen = 0;
	bool is_ip, have = false;

	if (m == NULL || host == NULL)
		return CS_NAME_MISMATCH;
	is_ip = cs_names_parse_ip(host, ip, &iplen);
	for (size_t i = 0; i < m->sans.n; i++) {
		const struct cs_name *s = &m->sans.v[i];

		if (s->type != (is_ip ? CS_SAN_IP : CS_SAN_DNS))
			continue;
		have = true;
		if (is_ip ? s->raw_len == iplen &&
				    memcmp(s->raw, ip, iplen) == 0
			  : s->value != NULL &&
				    cs_names_dns_match(s->value, s->len, host))
			return CS_NAME_MATCH;
	}
	/* Not a match, but say so when the CN holds the name: the fix is
	 * different (RFC 6125 6.4.4; CA/B BR 7.1.4.3). */
	if (m->subject_cn != NULL) {
		if (is_ip) {
			if (m->subject_cn_len == strlen(m->subject_cn) &&
			    cs_names_parse_ip(m->subject_cn, cnip,
					      &cniplen) &&
			    cniplen == iplen && memcmp(cnip, ip, iplen) == 0)
				return CS_NAME_CN_ONLY;
		} else if (cs_names_dns_match(m->subject_cn,
					      m->subject_cn_len, host)) {
			return CS_NAME_CN_ONLY;
		}
	}
	return have ? CS_NAME_MISMATCH : CS_NAME_NO_SAN;
}

/* ---- e-mail --------------------------------------------------------- */

/* Compare two addresses: local part exact, domain ignoring ASCII case
 * (RFC 5280 4.2.1.6 and 7.5).  The '@' is the last one in each. */
static bool email_eq(const char *a, size_t an, const char *b, size_t bn)
{
	const char *at_a = NULL, *at_b = NULL;

	for (size_t i = 0; i < an; i++)
		if (a[i] == '@')
			at_a = a + i;
	for (size_t i = 0; i < bn; i++)
		if (b[i] == '@')
			at_b = b + i;
	if (at_a == NULL || at_b == NULL || at_a == a || at_b == b ||
	    at_a == a + an - 1 || at_b == b + bn - 1)
		return false;
	if (at_a - a != at_b - b || memcmp(a, b, (size_t)(at_a - a)) != 0)
		return false;
	return an - (size_t)(at_a - a) == bn - (size_t)(at_b - b) &&
	       ieq(at_a, at_b, an - (size_t)(at_a - a));
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = lower(c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* Decode an RFC 4514 "#hex" value holding a DER IA5String/UTF8String
 * into out.  Returns the length, or -1. */
static long hex_der_string(const char *s, size_t n, char *out, size_t outsz)
{
	unsigned char der[CS_NAMES_MAX_EMAIL + 8];
	size_t dl = 0, len, hdr = 2;

	if (n % 2 != 0 || n / 2 > sizeof(der))
		return -1;
	for (size_t i = 0; i < n; i += 2) {
		int hi = hexval(s[i]), lo = hexval(s[i + 1]);

		if (hi < 0 || lo < 0)
			return -1;
		der[dl++] = (unsigned char)(hi << 4 | lo);
	}
	if (dl < 2 || (der[0] != 0x16 && der[0] != 0x0c))
		return -1;
	len = der[1];
	if (len == 0x81 && dl >= 3) {
		len = der[2];
		hdr = 3;
	} else if (len == 0x82 && dl >= 4) {
		len = (size_t)der[2] << 8 | der[3];
		hdr = 4;
	} else if (len >= 0x80) {
		return -1;
	}
	if (hdr + len != dl || len >= outsz)
		return -1;
	memcpy(out, der + hdr, len);
	out[len] = '\0';
	return (long)len;
}

/*
 * Next e-mail attribute of an RFC 4514 DN string, from *pos on.  Writes
 * the unescaped value to out and its length to *outlen (SIZE_MAX when it
 * could not be decoded: such a name matches no constraint).  Returns
 * false at the end.
 */
static bool next_dn_email(const char **pos, char *out, size_t outsz,
			  size_t *outlen)
{
	const char *p = *pos;

	while (p != NULL && *p != '\0') {
		const char *type = p, *eq = NULL, *val;
		size_t o = 0;
		bool ok = true, hex;

		/* the attribute type runs to '=' */
		while (*p != '\0' && *p != '=' && *p != ',' && *p != '+')
			p++;
		if (*p != '=') {
			if (*p != '\0')
				p++;
			continue;
		}
		eq = p++;
		val = p;
		hex = *val == '#';
		/* the value runs to an unescaped ',' or '+' (RFC 4514 2.4) */
		while (*p != '\0' && *p != ',' && *p != '+') {
			char c = *p++;

			if (c == '\\' && *p != '\0') {
				int hi = hexval(p[0]);
				int lo = hi >= 0 ? hexval(p[1]) : -1;

				if (hi >= 0 && lo >= 0) {
					c = (char)(hi << 4 | lo);
					p += 2;
				} else {
					c = *p++;
				}
			}
			if (o + 1 < outsz)
				out[o++] = c;
			else
				ok = false;
		}
		out[o] = '\0';
		*pos = *p != '\0' ? p + 1 : p;
		if (((size_t)(eq - type) == 5 && ieq(type, "EMAIL", 5)) ||
		    ((size_t)(eq - type) == 1 && ieq(type, "E", 1))) {
			*outlen = ok ? o : SIZE_MAX;
			return true;
		}
		if ((size_t)(eq - type) == 12 &&
		    ieq(type, "emailAddress", 12)) {
			*outlen = ok ? o : SIZE_MAX;
			return true;
		}
		if ((size_t)(eq - type) == 20 &&
		    memcmp(type, "1.2.840.113549.1.9.1", 20) == 0) {
			char tmp[CS_NAMES_MAX_EMAIL];
			long l = -1;

			if (ok && hex)
				l = hex_der_string(out + 1, o - 1, tmp,
						   sizeof(tmp));
			if (l >= 0 && (size_t)l < outsz) {
				memcpy(out, tmp, (size_t)l + 1);
				*outlen = (size_t)l;
			} else {
				*outlen = ok && !hex ? o : SIZE_MAX;
			}
			return true;
		}
		p = *pos;
	}
	*pos = p;
	return false;
}

enum cs_name_result cs_names_match_email(const struct cs_cert_model *m,
					 const char *addr)
{
	char buf[CS_NAMES_MAX_EMAIL];
	const char *pos;
	size_t an, blen;
	bool have = false;

	if (m == NULL || addr == NULL)
		return CS_NAME_MISMATCH;
	an = strlen(addr);
	for (size_t i = 0; i < m->sans.n; i++) {
		const struct cs_name *s = &m->sans.v[i];

		if (s->type != CS_SAN_EMAIL)
			continue;
		have = true;
		if (s->value != NULL && email_eq(s->value, s->len, addr, an))
			return CS_NAME_MATCH;
	}
	/* RFC 5280 4.2.1.6 deprecates e-mail in the subject DN; report it
	 * the way a CN-only host name is reported. */
	pos = m->subject;
	while (next_dn_email(&pos, buf, sizeof(buf), &blen))
		if (blen != SIZE_MAX && email_eq(buf, blen, addr, an))
			return CS_NAME_CN_ONLY;
	return have ? CS_NAME_MISMATCH : CS_NAME_NO_SAN;
}

/* ---- name constraints (RFC 5280 4.2.1.10) -------------------------- */

/* One name of the certificate being checked. */
struct nc_name {
	enum cs_san_type type;
	const char *value;     /* borrowed; len bytes, may hold NUL */
	size_t len;
	const unsigned char *raw; /* borrowed; CS_SAN_IP only */
	size_t raw_len;
	const char *what;      /* "DNS name", "subject CN", ... */
};

/* Quote n bytes for a sentence: printable ASCII as is, others as \xNN,
 * at most CS_NAMES_SHOW_MAX bytes. */
static void show(char *out, size_t outsz, const char *s, size_t n)
{
	size_t o = 0;

	if (outsz == 0)
		return;
	for (size_t i = 0; s != NULL && i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (i >= CS_NAMES_SHOW_MAX) {
			if (o + 4 < outsz)
				o += (size_t)snprintf(out + o, outsz - o,
						      "...");
			break;
		}
		if (c >= 0x20 && c < 0x7f && c != '\\') {
			if (o + 1 >= outsz)
				break;
			out[o++] = (char)c;
		} else {
			if (o + 5 >= outsz)
				break;
			o += (size_t)snprintf(out + o, outsz - o, "\\x%02x", c);
		}
	}
	out[o] = '\0';
}

static void show_ip(char *out, size_t outsz, const unsigned char *raw,
		    size_t raw_len, const char *value, size_t len)
{
	if ((raw_len == 4 &&
	     inet_ntop(AF_INET, raw, out, (socklen_t)outsz) != NULL) ||
	    (raw_len == 16 &&
	     inet_ntop(AF_INET6, raw, out, (socklen_t)outsz) != NULL))
		return;
	show(out, outsz, value, len);
}

/* An IP constraint as "addr/prefix" (or "addr/mask" if the mask is not
 * contiguous). */
static void show_ip_range(char *out, size_t outsz, const struct cs_name *c)
{
	size_t half = c->raw_len / 2, o;
	unsigned prefix = 0;
	bool contig = true;

	if (c->value != NULL && c->len > 0) {
		show(out, outsz, c->value, c->len);
		return;
	}
	if ((half != 4 && half != 16) ||
	    inet_ntop(half == 4 ? AF_INET : AF_INET6, c->raw, out,
		      (socklen_t)outsz) == NULL) {
		show(out, outsz, "?", 1);
		return;
	}
	for (size_t i = half; i < c->raw_len; i++)
		for (int b = 7; b >= 0; b--) {
			if (c->raw[i] >> b & 1) {
				if (!contig)
					prefix = 999;
				else
					prefix++;
			} else {
				contig = false;
			}
		}
	o = strlen(out);
	if (prefix <= 128)
		snprintf(out + o, outsz - o, "/%u", prefix);
}

static void show_constraint(char *out, size_t outsz, const struct cs_name *c)
{
	if (c->type == CS_SAN_IP)
		show_ip_range(out, outsz, c);
	else
		show(out, outsz, c->value, c->len);
}

/* Host part of a URI (RFC 3986 3.2.2), or false if it has none. */
static bool uri_host(const char *s, size_t n, const char **h, size_t *hn)
{
	const char *p = memchr(s, ':', n), *end = s + n, *q;

	if (p == NULL || end - p < 3 || p[1] != '/' || p[2] != '/')
		return false;
	p += 3;
	for (q = p; q < end && *q != '/' && *q != '?' && *q != '#'; q++)
		if (*q == '@')
			p = q + 1; /* userinfo */
	end = q;
	if (p < end && *p == '[')
		return false; /* an IP literal: no DNS host to compare */
	for (q = p; q < end && *q != ':'; q++)
		;
	*h = p;
	*hn = (size_t)(q - p);
	return *hn > 0;
}

/* RFC 5280 4.2.1.10 dNSName: "example.test" is that host and every
 * subdomain; ".example.test" only subdomains (the leading-dot form is
 * common practice, accepted by Go, NSS and OpenSSL). */
static bool dns_within(const char *c, size_t cn, const char *n, size_t nn)
{
	cn = strip_dot(c, cn);
	nn = strip_dot(n, nn);
	if (cn == 0)
		return true;
	if (c[0] == '.')
		return nn > cn && iends(n, nn, c, cn);
	if (nn == cn)
		return ieq(n, c, cn);
	return nn > cn && n[nn - cn - 1] == '.' && iends(n, nn, c, cn);
}

/* Can the wildcard name "*.rest" stand for a name in subtree c? */
static bool wildcard_reaches(const char *c, size_t cn, const char *n,
			     size_t nn)
{
	const char *dot;

	cn = strip_dot(c, cn);
	nn = strip_dot(n, nn);
	if (nn < 3 || n[0] != '*' || n[1] != '.' || cn == 0 || c[0] == '.')
		return false;
	dot = memchr(c, '.', cn);
	if (dot == NULL || dot == c)
		return false;
	dot++;
	return (size_t)(c + cn - dot) == nn - 2 &&
	       ieq(dot, n + 2, nn - 2);
}

static bool email_within(const char *c, size_t cn, const char *n, size_t nn)
{
	const char *at = NULL, *host;
	size_t hn;

	if (cn == 0)
		return true;
	for (size_t i = 0; i < nn; i++)
		if (n[i] == '@')
			at = n + i;
	if (at == NULL || at == n || at == n + nn - 1)
		return false;
	if (memchr(c, '@', cn) != NULL)
		return email_eq(c, cn, n, nn); /* one mailbox */
	host = at + 1;
	hn = nn - (size_t)(host - n);
	if (c[0] == '.')
		return hn > cn && iends(host, hn, c, cn);
	return hn == cn && ieq(host, c, cn);
}

/* The URI constraint is a host: "host.test" exactly, ".test" any host
 * below (RFC 5280 4.2.1.10). */
static bool uri_within(const char *c, size_t cn, const char *n, size_t nn)
{
	const char *h;
	size_t hn;

	if (cn == 0)
		return true;
	if (!uri_host(n, nn, &h, &hn))
		return false;
	hn = strip_dot(h, hn);
	cn = strip_dot(c, cn);
	if (c[0] == '.')
		return hn > cn && iends(h, hn, c, cn);
	return hn == cn && ieq(h, c, cn);
}

static bool ip_within(const struct cs_name *c, const unsigned char *a,
		      size_t alen)
{
	if (c->raw_len != 2 * alen || (alen != 4 && alen != 16))
		return false;
	for (size_t i = 0; i < alen; i++)
		if ((a[i] & c->raw[alen + i]) !=
		    (c->raw[i] & c->raw[alen + i]))
			return false;
	return true;
}

static bool supported(enum cs_san_type t)
{
	return t == CS_SAN_DNS || t == CS_SAN_IP || t == CS_SAN_EMAIL ||
	       t == CS_SAN_URI;
}

static bool within(const struct cs_name *c, const struct nc_name *n,
		   bool excluded)
{
	const char *cv = c->value != NULL ? c->value : "";
	size_t cl = c->value != NULL ? c->len : 0;

	switch (n->type) {
	case CS_SAN_DNS:
		return dns_within(cv, cl, n->value, n->len) ||
		       (excluded &&
			wildcard_reaches(cv, cl, n->value, n->len));
	case CS_SAN_IP:
		return ip_within(c, n->raw, n->raw_len);
	case CS_SAN_EMAIL:
		return email_within(cv, cl, n->value, n->len);
	case CS_SAN_URI:
		return uri_within(cv, cl, n->value, n->len);
	default:
		return false;
	}
}

static const char *type_word(enum cs_san_type t)
{
	switch (t) {
	case CS_SAN_DNS: return "DNS";
	case CS_SAN_IP: return "IP address";
	case CS_SAN_EMAIL: return "e-mail";
	case CS_SAN_URI: return "URI";
	case CS_SAN_DN: return "directoryName";
	default: return "otherName, x400Address, ediPartyName or "
			"registeredID";
	}
}

/* "DNS name 'x'" or "IP address 10.1.2.3" into out. */
static void describe(char *out, size_t outsz, const struct nc_name *n)
{
	char v[CS_NAMES_SHOW_MAX * 4 + 8];

	if (n->type == CS_SAN_IP) {
		show_ip(v, sizeof(v), n->raw, n->raw_len, n->value, n->len);
		snprintf(out, outsz, "%s %s", n->what, v);
	} else {
		show(v, sizeof(v), n->value, n->len);
		snprintf(out, outsz, "%s '%s'", n->what, v);
	}
}

static void say(char *why, size_t whysz, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void say(char *why, size_t whysz, const char *fmt, ...)
{
	va_list ap;

	if (why == NULL || whysz == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(why, whysz, fmt, ap);
	va_end(ap);
}

/* Check one name against the constraints of ca; RFC 5280 6.1.3 (b), (c):
 * excluded wins over permitted. */
static bool nc_check(const struct cs_cert_model *ca, const struct nc_name *n,
		     char *why, size_t whysz)
{
	char name[CS_NAMES_SHOW_MAX * 4 + 64];
	char list[512], one[CS_NAMES_SHOW_MAX * 4 + 8];
	bool any = false, unsup = false;
	size_t o = 0;

	list[0] = '\0';
	for (size_t i = 0; i < ca->nc_excluded.n; i++) {
		const struct cs_name *c = &ca->nc_excluded.v[i];

		if (c->type != n->type || c->type == CS_SAN_DN)
			continue;
		if (!supported(c->type)) {
			unsup = true;
			continue;
		}
		if (!within(c, n, true))
			continue;
		describe(name, sizeof(name), n);
		show_constraint(one, sizeof(one), c);
		if (c->type == CS_SAN_IP)
			say(why, whysz, "%s is in the excluded range %s", name,
			    one);
		else
			say(why, whysz, "%s is in the excluded subtree '%s'%s",
			    name, one,
			    c->len == 0 ? " (every name of its type)" : "");
		return false;
	}
	for (size_t i = 0; i < ca->nc_permitted.n; i++) {
		const struct cs_name *c = &ca->nc_permitted.v[i];

		if (c->type != n->type || c->type == CS_SAN_DN)
			continue;
		if (!supported(c->type)) {
			unsup = true;
			continue;
		}
		if (within(c, n, false))
			return true;
		any = true;
		show_constraint(one, sizeof(one), c);
		if (o < sizeof(list))
			o += (size_t)snprintf(list + o, sizeof(list) - o,
					      "%s%s", o ? ", " : "", one);
	}
	if (unsup && ca->nc_critical) {
		describe(name, sizeof(name), n);
		say(why, whysz, "the critical name constraints include %s "
		    "constraints, which certscope cannot check, and the "
		    "certificate has the %s", type_word(n->type), name);
		return false;
	}
	if (any) {
		describe(name, sizeof(name), n);
		say(why, whysz, "%s is not within any permitted %s "
		    "(permitted: %s)", name,
		    n->type == CS_SAN_IP ? "range" : "subtree", list);
		return false;
	}
	return true;
}

/* A CN a client might still take for a host name: valid DNS syntax
 * (with an optional leading "*."), at least two labels. */
static bool cn_is_host(const char *cn, size_t len)
{
	size_t n;

	if (cn == NULL || memchr(cn, '\0', len) != NULL)
		return false;
	n = strip_dot(cn, len);
	return dns_syntax(cn, n, true) && memchr(cn, '.', n) != NULL &&
	       !is_ip_text(cn, len);
}

bool cs_names_nc_allows(const struct cs_cert_model *ca,
			const struct cs_cert_model *cert, char *why,
			size_t whysz)
{
	char email[CS_NAMES_MAX_EMAIL];
	bool has_dns = false, has_ip = false;
	const char *pos;
	size_t elen;

	if (why != NULL && whysz > 0)
		why[0] = '\0';
	if (ca == NULL || cert == NULL || !ca->has_name_constraints)
		return true;
	for (size_t i = 0; i < cert->sans.n; i++) {
		const struct cs_name *s = &cert->sans.v[i];
		struct nc_name n = {
			.type = s->type,
			.value = s->value != NULL ? s->value : "",
			.len = s->value != NULL ? s->len : 0,
			.raw = s->raw,
			.raw_len = s->raw_len,
		};

		switch (s->type) {
		case CS_SAN_DNS: n.what = "DNS name"; has_dns = true; break;
		case CS_SAN_IP: n.what = "IP address"; has_ip = true; break;
		case CS_SAN_EMAIL: n.what = "e-mail address"; break;
		case CS_SAN_URI: n.what = "URI"; break;
		case CS_SAN_DN: n.what = "directoryName"; break;
		default: n.what = "other name"; break;
		}
		if (!nc_check(ca, &n, why, whysz))
			return false;
	}
	/* directoryName constraints (on the subject DN and SAN
	 * directoryNames) are checked by nc.c on the DER, exactly;
	 * they are skipped here. */
	/* RFC 5280 4.2.1.10: e-mail in the subject DN is an rfc822Name. */
	pos = cert->subject;
	while (next_dn_email(&pos, email, sizeof(email), &elen)) {
		struct nc_name n = {
			.type = CS_SAN_EMAIL, .value = email,
			.len = elen == SIZE_MAX ? strlen(email) : elen,
			.what = "subject e-mail address",
		};

		if (elen == SIZE_MAX)
			n.value = "(undecodable)", n.len = 13;
		if (!nc_check(ca, &n, why, whysz))
			return false;
	}
	/* No DNS SAN: a client that falls back to the CN would take it as
	 * the host name, so the DNS constraints must hold for it too (Go
	 * and NSS do this). */
	if (!has_dns && cn_is_host(cert->subject_cn, cert->subject_cn_len)) {
		struct nc_name n = {
			.type = CS_SAN_DNS, .value = cert->subject_cn,
			.len = cert->subject_cn_len,
			.what = "subject CN (checked as a DNS name because "
				"there is no DNS SAN)",
		};

		if (!nc_check(ca, &n, why, whysz))
			return false;
	}
	/* An address in the CN: only a client that finds no DNS or IP SAN
	 * at all falls back to it (RFC 2818 3.1, RFC 6125 6.4.4). */
	if (!has_ip && !has_dns && cert->subject_cn != NULL &&
	    cert->subject_cn_len == strlen(cert->subject_cn)) {
		unsigned char ip[16];
		size_t iplen;

		if (cs_names_parse_ip(cert->subject_cn, ip, &iplen)) {
			struct nc_name n = {
				.type = CS_SAN_IP, .value = cert->subject_cn,
				.len = cert->subject_cn_len, .raw = ip,
				.raw_len = iplen,
				.what = "subject CN (checked as an IP address "
					"because there is no DNS or IP SAN)",
			};

			if (!nc_check(ca, &n, why, whysz))
				return false;
		}
	}
	return true;
}
