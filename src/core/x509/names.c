/*
 * names.c - reference identity matching (RFC 6125, RFC 5280 4.2.1.6),
 * pure functions over the model: host names against dNSName SANs, IP
 * addresses against iPAddress SANs, e-mail addresses against rfc822Name
 * SANs and the subject DN's e-mail attributes.  The syntax, address
 * and e-mail helpers are lent to nc_match.c (names_int.h).
 *
 * Does not: check name constraints (nc.c on the DER, nc_match.c on the
 * model).
 */
#include <arpa/inet.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <idn2.h>

#include "input/der.h"
#include "x509/names.h"
#include "x509/names_int.h"

#define CS_NAMES_MAX_DNS 253     /* RFC 1035 2.3.4, without the root dot */
#define CS_NAMES_MAX_LABEL 63    /* RFC 1035 2.3.4 */
#define CS_NAMES_MAX_IPTEXT 64   /* longer text is no address literal */

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

/* see names.h */
bool cs_names_dns_syntax(const char *s, size_t n, unsigned flags)
{
	size_t label = 0;

	if (n == 0 || ((flags & CS_DNS_LENGTHS) && n > CS_NAMES_MAX_DNS))
		return false;
	if ((flags & CS_DNS_WILDCARD) && n >= 2 && s[0] == '*' &&
	    s[1] == '.') {
		s += 2;
		n -= 2;
	}
	for (size_t i = 0; i < n; i++) {
		char c = s[i];

		if (c == '.') {
			if (label == 0)
				return false; /* empty label */
			label = 0;
			continue;
		}
		/* letters, digits, hyphen (RFC 1123 2.1) */
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || c == '-' ||
		      (c == '_' && (flags & CS_DNS_UNDERSCORE))))
			return false;
		if (++label > CS_NAMES_MAX_LABEL && (flags & CS_DNS_LENGTHS))
			return false;
	}
	/* "*." is the wildcard label and the root dot */
	return label > 0 || (flags & CS_DNS_ROOT_DOT);
}

static bool public_suffix(const char *s, size_t n)
{
	n = names_strip_dot(s, n);
	if (n == 0)
		return false;
	if (memchr(s, '.', n) == NULL)
		return true; /* every TLD */
	for (size_t i = 0; i < sizeof(multi_suffixes) /
				   sizeof(multi_suffixes[0]); i++) {
		size_t sl = strlen(multi_suffixes[i]);

		if (sl == n && names_ieq(s, multi_suffixes[i], n))
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

/* see names_int.h */
bool names_is_ip_text(const char *s, size_t n)
{
	char buf[CS_NAMES_MAX_IPTEXT];
	unsigned char ip[16];
	size_t iplen;

	n = names_strip_dot(s, n);
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
	if (names_is_ip_text(host, hn))
		return false;
	hn = names_strip_dot(host, hn);
	plen = names_strip_dot(pattern, plen);
	if (!cs_names_dns_syntax(host, hn, CS_DNS_MATCHING) ||
	    !cs_names_dns_syntax(pattern, plen,
				 CS_DNS_MATCHING | CS_DNS_WILDCARD))
		return false;
	if (!(plen >= 2 && pattern[0] == '*' && pattern[1] == '.'))
		return plen == hn && names_ieq(pattern, host, hn);
	/* RFC 6125 6.4.3, CA/B BR 7.1.4.2.2: "*" is the whole left-most
	 * label, stands for exactly one label and not over a public
	 * suffix.  cs_names_dns_syntax() already refused "f*o", "www.*",
	 * "*.*" and "xn--*" (a '*' anywhere else is an invalid character). */
	if (public_suffix(pattern + 2, plen - 2))
		return false;
	hrest = memchr(host, '.', hn);
	if (hrest == NULL)
		return false;
	hrest++;
	return (size_t)(host + hn - hrest) == plen - 2 &&
	       names_ieq(hrest, pattern + 2, plen - 2);
}

/* GnuTLS's IDNA 2008 flags (lib/str-idna.c): NFC first, no
 * transitional mapping (ß stays ß). */
#define NAMES_IDN2_FLAGS (IDN2_NFC_INPUT | IDN2_NONTRANSITIONAL)
#define NAMES_MAX_HOST_IN 1024 /* longest UTF-8 host name converted */

static bool ascii_only(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] >= 0x80)
			return false;
	return true;
}

/* see names.h */
int cs_names_host_ascii(const char *host, char **out,
			struct cs_error *err)
{
	char *a = NULL;
	int rc;

	*out = NULL;
	if (host == NULL || ascii_only(host, strlen(host)))
		return 0;
	if (strlen(host) > NAMES_MAX_HOST_IN)
		return cs_error_setx(err, CS_E_USAGE,
				     "'%s' is too long for a host name", host);
	rc = idn2_to_ascii_8z(host, &a, NAMES_IDN2_FLAGS);
	if (rc == IDN2_MALLOC)
		return cs_error_setx(err, CS_E_NOMEM, "out of memory");
	if (rc != IDN2_OK)
		return cs_error_setx(err, CS_E_USAGE,
				     "'%s' is not a valid internationalised "
				     "host name (IDNA 2008: %s)", host,
				     idn2_strerror(rc));
	*out = strdup(a);
	idn2_free(a);
	if (*out == NULL)
		return cs_error_setx(err, CS_E_NOMEM, "out of memory");
	return 0;
}

/* see names.h */
bool cs_names_unicode(const char *name, size_t len, char *out, size_t outsz)
{
	char buf[CS_NAMES_MAX_DNS + 2], *u = NULL, *back = NULL;
	bool alabel = false, same;

	if (name == NULL || len == 0 || len > CS_NAMES_MAX_DNS + 1 ||
	    memchr(name, '\0', len) != NULL || !ascii_only(name, len))
		return false;
	for (size_t i = 0; i + 4 <= len; i++)
		if ((i == 0 || name[i - 1] == '.') &&
		    names_ieq(name + i, "xn--", 4))
			alabel = true;
	if (!alabel)
		return false;
	memcpy(buf, name, len);
	buf[len] = '\0';
	/* A-label to U-label (Punycode), then back under IDNA 2008: a
	 * label that does not come back the same is not shown as valid. */
	if (idn2_to_unicode_8z8z(buf, &u, 0) != IDN2_OK || u == NULL) {
		idn2_free(u);
		return false;
	}
	same = idn2_to_ascii_8z(u, &back, NAMES_IDN2_FLAGS) == IDN2_OK &&
	       back != NULL && strlen(back) == len &&
	       names_ieq(back, buf, len);
	idn2_free(back);
	if (!same || strlen(u) + 1 > outsz) {
		idn2_free(u);
		return false;
	}
	memcpy(out, u, strlen(u) + 1);
	idn2_free(u);
	return true;
}

static enum cs_name_result match_host_ascii(const struct cs_cert_model *m,
					    const char *host);

enum cs_name_result cs_names_match_host(const struct cs_cert_model *m,
					const char *host)
{
	enum cs_name_result r;
	struct cs_error err;
	char *a = NULL;

	if (m == NULL || host == NULL)
		return CS_NAME_MISMATCH;
	if (cs_names_host_ascii(host, &a, &err) < 0)
		return CS_NAME_MISMATCH;
	r = match_host_ascii(m, a != NULL ? a : host);
	free(a);
	return r;
}

static enum cs_name_result match_host_ascii(const struct cs_cert_model *m,
					    const char *host)
{
	unsigned char ip[16], cnip[16];
	size_t iplen = 0, cniplen = 0;
	bool is_ip, have = false;

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

/* see names_int.h */
bool names_email_eq(const char *a, size_t an, const char *b, size_t bn)
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
	       names_ieq(at_a, at_b, an - (size_t)(at_a - a));
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = names_lower(c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* Decode an RFC 4514 "#hex" value holding a DER IA5String/UTF8String
 * into out.  Returns the length, or -1. */
static long hex_der_string(const char *s, size_t n, char *out, size_t outsz)
{
	unsigned char der[CS_NAMES_MAX_EMAIL + 8];
	struct cs_tlv t;
	size_t dl = 0;

	if (n % 2 != 0 || n / 2 > sizeof(der))
		return -1;
	for (size_t i = 0; i < n; i += 2) {
		int hi = hexval(s[i]), lo = hexval(s[i + 1]);

		if (hi < 0 || lo < 0)
			return -1;
		der[dl++] = (unsigned char)(hi << 4 | lo);
	}
	/* the string fills the value, its length in at most two octets */
	if (cs_der_read(der, dl, &t) != CS_DER_OK ||
	    (t.tag != 0x16 && t.tag != 0x0c) || t.len_octets > 2 ||
	    t.hdr + t.len != dl || t.len >= outsz)
		return -1;
	memcpy(out, t.val, t.len);
	out[t.len] = '\0';
	return (long)t.len;
}

/* see names_int.h */
bool names_next_dn_email(const char **pos, char *out, size_t outsz,
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
		if (((size_t)(eq - type) == 5 && names_ieq(type, "EMAIL", 5)) ||
		    ((size_t)(eq - type) == 1 && names_ieq(type, "E", 1))) {
			*outlen = ok ? o : SIZE_MAX;
			return true;
		}
		if ((size_t)(eq - type) == 12 &&
		    names_ieq(type, "emailAddress", 12)) {
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
		if (s->value != NULL &&
		    names_email_eq(s->value, s->len, addr, an))
			return CS_NAME_MATCH;
	}
	/* RFC 5280 4.2.1.6 deprecates e-mail in the subject DN; report it
	 * the way a CN-only host name is reported. */
	pos = m->subject;
	while (names_next_dn_email(&pos, buf, sizeof(buf), &blen))
		if (blen != SIZE_MAX && names_email_eq(buf, blen, addr, an))
			return CS_NAME_CN_ONLY;
	return have ? CS_NAME_MISMATCH : CS_NAME_NO_SAN;
}
