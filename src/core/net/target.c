/*
 * target.c - the HOST[:PORT] target string: an optional SCHEME:// prefix
 * (a STARTTLS protocol, "https" or "tls"), a host name or an IP literal
 * (IPv6 bare or in brackets), a port or the scheme's default.  See
 * cs_net_parse_target in net.h.
 *
 * Does not: resolve the name (resolve.c), open a socket, or print.
 */
#include "net/net.h"
#include "x509/names.h"

#include <arpa/inet.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

static int parse_port(const char *s, unsigned *out, struct cs_error *err)
{
	unsigned long v = 0;
	const char *p;

	if (!*s)
		return cs_error_setx(err, CS_E_USAGE, "empty port number");
	for (p = s; *p; p++) {
		if (*p < '0' || *p > '9' || v > 65535)
			return cs_error_setx(err, CS_E_USAGE,
					     "bad port number '%.16s'", s);
		v = v * 10 + (unsigned long)(*p - '0');
	}
	if (v < 1 || v > 65535)
		return cs_error_setx(err, CS_E_USAGE,
				     "port %lu out of range 1-65535", v);
	*out = (unsigned)v;
	return 0;
}

/* see net.h */
bool cs_net_is_ip(const char *h)
{
	unsigned char b[16];

	return inet_pton(AF_INET, h, b) == 1 || inet_pton(AF_INET6, h, b) == 1;
}

/* Host names: letters, digits, '-', '_' and '.' (RFC 1123 section 2.1,
 * with '_' as seen in the wild). */
static bool valid_name(const char *h)
{
	const char *p;

	if (!*h || *h == '.' || *h == '-')
		return false;
	for (p = h; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= '0' && *p <= '9') || *p == '-' || *p == '.' ||
		      *p == '_'))
			return false;
	return true;
}

/* A host with U-labels ("bücher.example") becomes its A-labels (IDNA
 * 2008, as --host is matched): what DNS is asked and the name shown. */
static int to_alabel(struct cs_net_target *t, struct cs_error *err)
{
	char *a = NULL;

	if (cs_names_host_ascii(t->host, &a, err) < 0)
		return -1;
	if (!a)
		return 0;
	if (strlen(a) > CS_NET_MAX_HOST) {
		free(a);
		return cs_error_setx(err, CS_E_USAGE,
				     "host name longer than %d bytes",
				     CS_NET_MAX_HOST);
	}
	strcpy(t->host, a);
	free(a);
	return 0;
}

int cs_net_parse_target(const char *s, struct cs_net_target *t,
			struct cs_error *err)
{
	const char *sep, *host, *port = NULL, *colon;
	size_t hl;
	char scheme[16];

	memset(t, 0, sizeof(*t));
	sep = strstr(s, "://");
	if (sep) {
		if ((size_t)(sep - s) >= sizeof(scheme))
			return cs_error_setx(err, CS_E_USAGE,
					     "unknown scheme in '%.40s'", s);
		memcpy(scheme, s, (size_t)(sep - s));
		scheme[sep - s] = '\0';
		if (strcasecmp(scheme, "https") && strcasecmp(scheme, "tls") &&
		    cs_starttls_lookup(scheme, &t->starttls) < 0)
			return cs_error_setx(err, CS_E_USAGE,
					     "unknown scheme '%s' (use a "
					     "STARTTLS protocol or https)",
					     scheme);
		s = sep + 3;
	}
	if (*s == '[') {
		host = s + 1;
		sep = strchr(host, ']');
		if (!sep)
			return cs_error_setx(err, CS_E_USAGE,
					     "missing ']' in '%.60s'", s);
		hl = (size_t)(sep - host);
		if (sep[1] == ':')
			port = sep + 2;
		else if (sep[1] && strcmp(sep + 1, "/"))
			return cs_error_setx(err, CS_E_USAGE,
					     "junk after ']' in '%.60s'", s);
	} else {
		host = s;
		colon = strchr(s, ':');
		if (colon && strchr(colon + 1, ':')) {
			/* bare IPv6 literal, no port possible */
			hl = strlen(s);
		} else if (colon) {
			hl = (size_t)(colon - s);
			port = colon + 1;
		} else {
			hl = strlen(s);
		}
		if (hl > 0 && host[hl - 1] == '/' && !port)
			hl--; /* "smtp://host/" */
	}
	if (hl == 0)
		return cs_error_setx(err, CS_E_USAGE, "empty host name");
	if (hl > CS_NET_MAX_HOST)
		return cs_error_setx(err, CS_E_USAGE,
				     "host name longer than %d bytes",
				     CS_NET_MAX_HOST);
	memcpy(t->host, host, hl);
	t->host[hl] = '\0';
	if (port) {
		char pbuf[16];
		size_t pl = strlen(port);
		if (pl > 0 && port[pl - 1] == '/')
			pl--;
		if (pl >= sizeof(pbuf))
			return cs_error_setx(err, CS_E_USAGE,
					     "bad port number '%.16s'", port);
		memcpy(pbuf, port, pl);
		pbuf[pl] = '\0';
		if (parse_port(pbuf, &t->port, err) < 0)
			return -1;
		t->port_given = true;
	} else {
		t->port = cs_starttls_default_port(t->starttls);
	}
	if (to_alabel(t, err) < 0)
		return -1;
	t->is_ip = cs_net_is_ip(t->host);
	if (*s == '[' && !(t->is_ip && strchr(t->host, ':')))
		return cs_error_setx(err, CS_E_USAGE,
				     "'%s' in brackets is not an IPv6 address",
				     t->host);
	if (!t->is_ip && !valid_name(t->host))
		return cs_error_setx(err, CS_E_USAGE,
				     "'%.60s' is not a valid host name",
				     t->host);
	return 0;
}

/* see net.h */
void cs_net_names(const struct cs_net_target *t, const char *host,
		  const char *sni, bool no_sni, const char **checked,
		  const char **sent)
{
	const char *c, *s = NULL;

	if (host && !*host)
		host = NULL;
	if (sni && !*sni)
		sni = NULL;
	c = host ? host : sni ? sni : t->is_ip ? NULL : t->host;
	if (!no_sni)
		s = sni ? sni : c && !cs_net_is_ip(c) ? c :
			t->is_ip ? NULL : t->host;
	if (checked)
		*checked = c;
	if (sent)
		*sent = s;
}
