/*
 * resolve.c - a target to its addresses: IP literals and "localhost"
 * without DNS, every other name with c-ares inside the one deadline (a
 * poll() loop over c-ares' sockets, so that nothing is left running when
 * the deadline passes), duplicates removed, c-ares' RFC 6724 order kept.
 * See cs_net_resolve in net.h.
 *
 * With a trace, one step: the addresses and where they came from, or
 * where it stopped.
 *
 * Does not: connect (tls.c), parse the target string (target.c), read
 * the clock (the deadline does), or print.
 */
#include "net/net.h"
#include "net/trace.h"

#include <arpa/inet.h>
#include <ares.h>
#include <errno.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

/* The address without the port into ip (INET6_ADDRSTRLEN bytes);
 * returns the port. */
static unsigned addr_ip(const struct cs_net_addr *a, char *ip)
{
	const struct sockaddr_in *s4 = (const void *)&a->sa;
	const struct sockaddr_in6 *s6 = (const void *)&a->sa;

	snprintf(ip, INET6_ADDRSTRLEN, "?");
	if (a->sa.ss_family == AF_INET) {
		inet_ntop(AF_INET, &s4->sin_addr, ip, INET6_ADDRSTRLEN);
		return ntohs(s4->sin_port);
	}
	inet_ntop(AF_INET6, &s6->sin6_addr, ip, INET6_ADDRSTRLEN);
	return ntohs(s6->sin6_port);
}

static void addr_text(struct cs_net_addr *a)
{
	char ip[INET6_ADDRSTRLEN];
	unsigned port = addr_ip(a, ip);

	snprintf(a->text, sizeof(a->text),
		 a->sa.ss_family == AF_INET ? "%s:%u" : "[%s]:%u", ip, port);
}

static int add_addr(struct cs_net_addrlist *l, const struct sockaddr *sa,
		    socklen_t len, struct cs_error *err)
{
	struct cs_net_addr *v;
	size_t i;

	if (l->n >= CS_NET_MAX_ADDRS || len > sizeof(v->sa))
		return 0;
	for (i = 0; i < l->n; i++)
		if (l->v[i].len == len && !memcmp(&l->v[i].sa, sa, len))
			return 0;
	v = realloc(l->v, (l->n + 1) * sizeof(*v));
	if (!v)
		return cs_error_setx(err, CS_E_NOMEM, "out of memory");
	l->v = v;
	memset(&v[l->n], 0, sizeof(v[l->n]));
	memcpy(&v[l->n].sa, sa, len);
	v[l->n].len = len;
	addr_text(&v[l->n]);
	l->n++;
	return 0;
}

static int add_literal(struct cs_net_addrlist *l, const char *ip,
		       unsigned port, struct cs_error *err)
{
	struct sockaddr_in s4;
	struct sockaddr_in6 s6;

	memset(&s4, 0, sizeof(s4));
	memset(&s6, 0, sizeof(s6));
	if (inet_pton(AF_INET, ip, &s4.sin_addr) == 1) {
		s4.sin_family = AF_INET;
		s4.sin_port = htons((uint16_t)port);
		return add_addr(l, (struct sockaddr *)&s4, sizeof(s4), err);
	}
	if (inet_pton(AF_INET6, ip, &s6.sin6_addr) == 1) {
		s6.sin6_family = AF_INET6;
		s6.sin6_port = htons((uint16_t)port);
		return add_addr(l, (struct sockaddr *)&s6, sizeof(s6), err);
	}
	return cs_error_setx(err, CS_E_USAGE, "'%s' is not an IP address",
			     ip);
}

/* State of one c-ares lookup; the callback fills it. */
struct dns_lookup {
	bool done;
	int status;
	struct ares_addrinfo *res;
};

static void dns_done(void *arg, int status, int timeouts,
		     struct ares_addrinfo *res)
{
	struct dns_lookup *q = arg;

	(void)timeouts;
	q->done = true;
	q->status = status;
	q->res = res; /* NULL unless ARES_SUCCESS */
}

/* Whether a non-loopback address of this family is configured: the
 * AI_ADDRCONFIG rule of getaddrinfo (RFC 3493 section 6.1), which
 * c-ares 1.18 does not apply.  Without it, an IPv4-only machine would
 * report every AAAA record as unreachable. */
static bool have_family(int family)
{
	struct ifaddrs *ifa, *i;
	bool have = false;

	if (getifaddrs(&ifa) < 0)
		return true; /* unknown: keep the addresses */
	for (i = ifa; i && !have; i = i->ifa_next) {
		if (!i->ifa_addr || i->ifa_addr->sa_family != family ||
		    (i->ifa_flags & IFF_LOOPBACK))
			continue;
		if (family == AF_INET6 && IN6_IS_ADDR_LINKLOCAL(
			&((struct sockaddr_in6 *)(void *)i->ifa_addr)
				 ->sin6_addr))
			continue;
		have = true;
	}
	freeifaddrs(ifa);
	return have;
}

/* c-ares status codes in words, for "cannot resolve NAME: ..." */
static const char *dns_reason(int status)
{
	switch (status) {
	case ARES_ENOTFOUND:
		return "no such name (NXDOMAIN)";
	case ARES_ENODATA:
		return "the name has no IPv4 or IPv6 address";
	case ARES_ESERVFAIL:
		return "the DNS server failed to answer (SERVFAIL)";
	case ARES_EREFUSED:
		return "the DNS server refused the query";
	case ARES_EFORMERR:
	case ARES_EBADRESP:
		return "the DNS server sent a malformed answer";
	case ARES_ECONNREFUSED:
		/* c-ares' answer too when every server said SERVFAIL or
		 * REFUSED: it tries the next one and reports this */
		return "no DNS server gave an answer (each was unreachable, "
		       "refused the query or failed)";
	case ARES_ETIMEOUT:
		return "no DNS server answered";
	case ARES_EBADNAME:
		return "not a valid host name";
	case ARES_ENOMEM:
		return "out of memory";
	default:
		return ares_strerror(status);
	}
}

/* Run the channel until the lookup is done or the deadline passes.
 * Returns 0, or -1 at the deadline. */
static int dns_wait(ares_channel ch, const struct dns_lookup *q,
		    const struct cs_deadline *dl)
{
	ares_socket_t socks[ARES_GETSOCK_MAXNUM];
	struct pollfd pfd[ARES_GETSOCK_MAXNUM];
	struct timeval tv, *tvp;
	unsigned bits;
	int n, i, left, wait_ms, pr;

	while (!q->done) {
		left = cs_deadline_left(dl);
		if (left <= 0)
			return -1;
		/* bit i: socks[i] readable, bit i + 16: writable (not the
		 * ARES_GETSOCK_* macros: they shift a signed 1 by 31) */
		bits = (unsigned)ares_getsock(ch, socks, ARES_GETSOCK_MAXNUM);
		for (n = 0, i = 0; i < ARES_GETSOCK_MAXNUM; i++) {
			bool rd = bits & (1u << i);
			bool wr = bits & (1u << (i + ARES_GETSOCK_MAXNUM));

			if (!rd && !wr)
				continue;
			pfd[n].fd = socks[i];
			pfd[n].events = (short)((rd ? POLLIN : 0) |
						(wr ? POLLOUT : 0));
			pfd[n].revents = 0;
			n++;
		}
		wait_ms = left;
		tvp = ares_timeout(ch, NULL, &tv);
		if (tvp && tvp->tv_sec * 1000 + tvp->tv_usec / 1000 < wait_ms)
			wait_ms = (int)(tvp->tv_sec * 1000 +
					(tvp->tv_usec + 999) / 1000);
		pr = cs_deadline_poll(dl, pfd, (nfds_t)n, wait_ms);
		if (pr < 0 && errno != EINTR)
			return -1;
		if (pr <= 0) {
			/* c-ares' own retry timer ran out: let it resend */
			ares_process_fd(ch, ARES_SOCKET_BAD, ARES_SOCKET_BAD);
			continue;
		}
		for (i = 0; i < n; i++)
			ares_process_fd(ch,
				pfd[i].revents & (POLLIN | POLLERR | POLLHUP) ?
					pfd[i].fd : ARES_SOCKET_BAD,
				pfd[i].revents & POLLOUT ? pfd[i].fd :
							   ARES_SOCKET_BAD);
	}
	return 0;
}

/* cs_net_resolve without the trace; *how says where the addresses came
 * from: "dns", "literal" or "localhost". */
static int lookup(const struct cs_net_target *t, const char *dns_servers,
		  const struct cs_deadline *dl, struct cs_net_addrlist *out,
		  const char **how, struct cs_error *err)
{
	struct ares_options opts;
	struct ares_addrinfo_hints hints;
	struct ares_addrinfo_node *nd;
	struct dns_lookup q = {false, ARES_SUCCESS, NULL};
	ares_channel ch = NULL;
	char port[8], lookups[] = "b";
	bool v4, v6;
	int optmask = 0, a, rc = -1;

	out->v = NULL;
	out->n = 0;
	*how = t->is_ip ? "literal" : "dns";
	if (t->is_ip)
		return add_literal(out, t->host, t->port, err);
	if (!strcasecmp(t->host, "localhost") ||
	    !strcasecmp(t->host, "localhost.")) {
		*how = "localhost";
		/* RFC 6761 section 6.3: no DNS for localhost */
		if (add_literal(out, "::1", t->port, err) < 0 ||
		    add_literal(out, "127.0.0.1", t->port, err) < 0)
			goto out;
		return 0;
	}
	a = ares_library_init(ARES_LIB_INIT_ALL);
	if (a != ARES_SUCCESS)
		return cs_error_setx(err, CS_E_NET, "%s: cannot start lookup: "
				     "%s", t->host, ares_strerror(a));
	memset(&opts, 0, sizeof(opts));
	if (dns_servers) {
		/* the servers asked for, and nothing else: not /etc/hosts */
		opts.lookups = lookups;
		optmask |= ARES_OPT_LOOKUPS;
	}
	a = ares_init_options(&ch, &opts, optmask);
	if (a != ARES_SUCCESS) {
		cs_error_setx(err, CS_E_NET, "%s: cannot start lookup: %s",
			      t->host, ares_strerror(a));
		ch = NULL;
		goto out;
	}
	if (dns_servers) {
		a = ares_set_servers_ports_csv(ch, dns_servers);
		if (a != ARES_SUCCESS) {
			cs_error_setx(err, CS_E_USAGE, "--dns-servers: '%s' is "
				      "not a list of IP[:PORT] addresses",
				      dns_servers);
			goto out;
		}
	}
	v4 = have_family(AF_INET);
	v6 = have_family(AF_INET6);
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = v4 && !v6 ? AF_INET : v6 && !v4 ? AF_INET6 :
								AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = ARES_AI_NUMERICSERV;
	snprintf(port, sizeof(port), "%u", t->port);
	ares_getaddrinfo(ch, t->host, port, &hints, dns_done, &q);
	if (dns_wait(ch, &q, dl) < 0) {
		cs_error_setx(err, CS_E_TIMEOUT, "timed out resolving %s",
			      t->host);
		goto out;
	}
	if (q.status != ARES_SUCCESS) {
		cs_error_setx(err, q.status == ARES_EBADNAME ? CS_E_USAGE :
				   CS_E_NET, "cannot resolve %s: %s", t->host,
			      dns_reason(q.status));
		goto out;
	}
	/* in c-ares' RFC 6724 order: IPv6 first where it is usable */
	for (nd = q.res ? q.res->nodes : NULL; nd; nd = nd->ai_next)
		if ((nd->ai_family == AF_INET || nd->ai_family == AF_INET6) &&
		    add_addr(out, nd->ai_addr, (socklen_t)nd->ai_addrlen,
			     err) < 0)
			goto out;
	if (out->n == 0) {
		cs_error_setx(err, CS_E_NET, "cannot resolve %s: %s", t->host,
			      dns_reason(ARES_ENODATA));
		goto out;
	}
	rc = 0;
out:
	if (ch)
		ares_destroy(ch); /* ends a lookup still running: q is set */
	if (q.res)
		ares_freeaddrinfo(q.res);
	ares_library_cleanup();
	if (rc < 0)
		cs_net_addrlist_free(out);
	return rc;
}

/* see net.h */
int cs_net_resolve(const struct cs_net_target *t, const char *dns_servers,
		   const struct cs_deadline *dl, struct cs_net_trace *trace,
		   struct cs_net_addrlist *out, struct cs_error *err)
{
	struct cs_net_trace_step *st;
	const char *how = "dns";
	char ip[INET6_ADDRSTRLEN];
	size_t i;
	int rc = lookup(t, dns_servers, dl, out, &how, err);

	if (rc < 0) {
		cs_net_trace_stop(trace, NULL, err);
		return rc;
	}
	st = cs_net_trace_add(trace, CS_TRACE_LOCAL, "resolve");
	cs_net_trace_str(st, "host", t->host);
	cs_net_trace_str(st, "how", how);
	for (i = 0; st && i < out->n; i++) {
		(void)addr_ip(&out->v[i], ip);
		cs_net_trace_str(st, "addresses", ip);
	}
	return 0;
}

void cs_net_addrlist_free(struct cs_net_addrlist *l)
{
	if (!l)
		return;
	free(l->v);
	l->v = NULL;
	l->n = 0;
}
