/*
 * nc_match.c - name constraints (RFC 5280 4.2.1.10) on the names of the
 * model: every SAN, the subject's e-mail attributes and, where a client
 * could take it for the identity, the subject CN, against the CA's
 * permitted and excluded subtrees (RFC 5280 6.1.3 (b), (c)); pure
 * functions over the model.
 *
 * Name constraint choices, where RFC 5280 leaves room:
 *  - dNSName, iPAddress, rfc822Name and uniformResourceIdentifier (host
 *    part) constraints are checked.  directoryName constraints are checked
 *    by nc.c, on the DER.
 *  - Forms GnuTLS does not import (otherName, x400Address, ediPartyName,
 *    registeredID; CS_SAN_OTHER in the model) are checked by nc.c on the
 *    DER (cs_nc_foreign_violation), as directoryName is.
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
 *
 * Does not: read the extension's DER (nc.c), or choose which
 * certificates are checked against which (path/rules.c).
 */
#include <arpa/inet.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "x509/names.h"
#include "x509/names_int.h"
#include "x509/nc.h"

#define CS_NAMES_SHOW_MAX 160    /* bytes of a name quoted in a sentence */

/* Does s (n bytes) end with suffix (sn bytes), ignoring ASCII case? */
static bool iends(const char *s, size_t n, const char *suf, size_t sn)
{
	return sn <= n && names_ieq(s + n - sn, suf, sn);
}

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
	cn = names_strip_dot(c, cn);
	nn = names_strip_dot(n, nn);
	if (cn == 0)
		return true;
	if (c[0] == '.')
		return nn > cn && iends(n, nn, c, cn);
	if (nn == cn)
		return names_ieq(n, c, cn);
	return nn > cn && n[nn - cn - 1] == '.' && iends(n, nn, c, cn);
}

/* Can the wildcard name "*.rest" stand for a name in subtree c? */
static bool wildcard_reaches(const char *c, size_t cn, const char *n,
			     size_t nn)
{
	const char *dot;

	cn = names_strip_dot(c, cn);
	nn = names_strip_dot(n, nn);
	if (nn < 3 || n[0] != '*' || n[1] != '.' || cn == 0 || c[0] == '.')
		return false;
	dot = memchr(c, '.', cn);
	if (dot == NULL || dot == c)
		return false;
	dot++;
	return (size_t)(c + cn - dot) == nn - 2 &&
	       names_ieq(dot, n + 2, nn - 2);
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
		return names_email_eq(c, cn, n, nn); /* one mailbox */
	host = at + 1;
	hn = nn - (size_t)(host - n);
	if (c[0] == '.')
		return hn > cn && iends(host, hn, c, cn);
	return hn == cn && names_ieq(host, c, cn);
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
	hn = names_strip_dot(h, hn);
	cn = names_strip_dot(c, cn);
	if (c[0] == '.')
		return hn > cn && iends(h, hn, c, cn);
	return hn == cn && names_ieq(h, c, cn);
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

/* Forms checked here; directoryName and the others are nc.c's. */
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
	bool any = false;
	size_t o = 0;

	list[0] = '\0';
	for (size_t i = 0; i < ca->nc_excluded.n; i++) {
		const struct cs_name *c = &ca->nc_excluded.v[i];

		if (c->type != n->type || !supported(c->type))
			continue;
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

		if (c->type != n->type || !supported(c->type))
			continue;
		if (within(c, n, false))
			return true;
		any = true;
		show_constraint(one, sizeof(one), c);
		if (o < sizeof(list))
			o += (size_t)snprintf(list + o, sizeof(list) - o,
					      "%s%s", o ? ", " : "", one);
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
	n = names_strip_dot(cn, len);
	return cs_names_dns_syntax(cn, n, CS_DNS_MATCHING | CS_DNS_WILDCARD) &&
	       memchr(cn, '.', n) != NULL && !names_is_ip_text(cn, len);
}

/* see nc.h */
bool cs_nc_allows(const struct cs_cert_model *ca,
		  const struct cs_cert_model *cert, char *why, size_t whysz)
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
	while (names_next_dn_email(&pos, email, sizeof(email), &elen)) {
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
