/*
 * check.c - one target's state: the state of a verdict against the
 * thresholds, and an endpoint's chain fetched and validated (files and
 * trees are files.c's).
 *
 * Does not: schedule (loop.c runs targets concurrently), print, exit.
 */
#include "check/check_int.h"
#include "online/online.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>


#define DAY_SECS 86400

static char *dup_or_null(const char *s)
{
	return s ? strdup(s) : NULL;
}

void cs_check_result_free(struct cs_check_result *r)
{
	size_t i;

	if (!r)
		return;
	free(r->target);
	free(r->address);
	free(r->host);
	free(r->subject);
	free(r->code);
	free(r->reason);
	for (i = 0; i < r->chain_len; i++) {
		free(r->chain[i].subject);
		free(r->chain[i].issuer);
		free(r->chain[i].serial);
	}
	free(r->chain);
	memset(r, 0, sizeof(*r));
	r->position = -1;
	r->earliest = CS_TIME_NONE;
}

int cs_check_result_copy(struct cs_check_result *dst,
			 const struct cs_check_result *src)
{
	size_t i;

	*dst = *src;
	dst->target = dup_or_null(src->target);
	dst->address = dup_or_null(src->address);
	dst->host = dup_or_null(src->host);
	dst->subject = dup_or_null(src->subject);
	dst->code = dup_or_null(src->code);
	dst->reason = dup_or_null(src->reason);
	dst->chain = src->chain_len ?
		calloc(src->chain_len, sizeof(*dst->chain)) : NULL;
	if (src->chain_len && !dst->chain)
		dst->chain_len = 0;
	for (i = 0; i < dst->chain_len; i++) {
		dst->chain[i] = src->chain[i];
		dst->chain[i].subject = dup_or_null(src->chain[i].subject);
		dst->chain[i].issuer = dup_or_null(src->chain[i].issuer);
		dst->chain[i].serial = dup_or_null(src->chain[i].serial);
	}
	if ((src->target && !dst->target) || (src->reason && !dst->reason) ||
	    (src->code && !dst->code) || dst->chain_len != src->chain_len) {
		cs_check_result_free(dst);
		return -1;
	}
	return 0;
}

void check_result_init(struct cs_check_result *r)
{
	memset(r, 0, sizeof(*r));
	r->position = -1;
	r->earliest = CS_TIME_NONE;
}

/* "in 23 days", "today", "3 days ago" */
static void days_words(int64_t days, char *out, size_t outsz)
{
	if (days == 0)
		snprintf(out, outsz, "within a day");
	else if (days > 0)
		snprintf(out, outsz, "in %lld day%s", (long long)days,
			 days == 1 ? "" : "s");
	else
		snprintf(out, outsz, "%lld day%s ago", (long long)-days,
			 days == -1 ? "" : "s");
}

/* floor division: a certificate that expired an hour ago is -1 days */
static int64_t days_between(cs_time_t from, cs_time_t to)
{
	int64_t d = to - from;

	return d >= 0 ? d / DAY_SECS : -((-d + DAY_SECS - 1) / DAY_SECS);
}

int check_set_error(struct cs_check_result *r,
		    const struct cs_check_opts *o,
		    const struct cs_error *e)
{
	free(r->code);
	free(r->reason);
	r->state = o->unreachable_critical ? CS_CHECK_CRITICAL :
		CS_CHECK_UNKNOWN;
	r->code = strdup(cs_error_name(e->code));
	r->reason = strdup(e->msg[0] ? e->msg : "unknown error");
	return r->code && r->reason ? 0 : -1;
}

static int fill_chain(const struct cs_verify_result *vr,
		      struct cs_check_result *r)
{
	size_t i;

	if (!vr->path_len)
		return 0;
	r->chain = calloc(vr->path_len, sizeof(*r->chain));
	if (!r->chain)
		return -1;
	r->chain_len = vr->path_len;
	for (i = 0; i < vr->path_len; i++) {
		const struct cs_cert_model *m = &vr->path[i].model;
		struct cs_check_cert *c = &r->chain[i];

		c->position = (unsigned)i;
		c->subject = strdup(m->subject ? m->subject : "");
		c->issuer = strdup(m->issuer ? m->issuer : "");
		c->serial = strdup(m->serial_hex ? m->serial_hex : "");
		c->not_after = m->not_after;
		c->anchor = vr->path[i].is_anchor;
		if (!c->subject || !c->issuer || !c->serial)
			return -1;
	}
	return 0;
}

int cs_check_evaluate(const struct cs_verify_result *vr,
		      const struct cs_check_opts *o, struct cs_check_result *r)
{
	const struct cs_finding *bad = NULL;
	char when[32], words[48], buf[640];
	cs_time_t at = o->verify.at;
	bool later = false;
	size_t i;

	r->reached = true;
	r->trusted = vr->trusted;
	if (fill_chain(vr, r) < 0)
		return -1;
	/* the earliest notAfter along the path, the anchor included: a
	 * root that expires first ends the chain's life too */
	for (i = 0; i < vr->path_len; i++) {
		cs_time_t na = vr->path[i].model.not_after;

		if (r->earliest == CS_TIME_NONE || na < r->earliest) {
			r->earliest = na;
			r->position = (int)i;
		}
	}
	/* ...unless another path (a renewed root in the store) outlives
	 * it: then the chain stops validating when that one does */
	if (vr->trusted && vr->later_until != CS_TIME_NONE &&
	    vr->later_anchor) {
		r->earliest = vr->later_until;
		r->position = -1;
		later = true;
	}
	if (r->earliest != CS_TIME_NONE)
		r->days_left = days_between(at, r->earliest);
	if (!vr->trusted) {
		for (i = 0; i < vr->n_findings && !bad; i++)
			if (vr->findings[i].severity == CS_SEV_ERROR)
				bad = &vr->findings[i];
		r->state = CS_CHECK_CRITICAL;
		r->code = strdup(bad ? bad->code : "untrusted");
		r->reason = strdup(bad && bad->message ? bad->message :
				   "the chain is not trusted");
		r->position = bad ? bad->cert : -1;
		if (bad && bad->subject)
			r->subject = strdup(bad->subject);
		return r->code && r->reason ? 0 : -1;
	}
	if (r->position >= 0) {
		const struct cs_cert_model *m = &vr->path[r->position].model;

		r->subject = strdup(m->subject ? m->subject : "");
		if (!r->subject)
			return -1;
	}
	if (r->earliest == CS_TIME_NONE) {
		r->state = CS_CHECK_OK;
		r->code = strdup("ok");
		r->reason = strdup("the chain is trusted");
		return r->code && r->reason ? 0 : -1;
	}
	cs_time_format(r->earliest, when, sizeof(when));
	days_words(r->days_left, words, sizeof(words));
	if (r->earliest - at <= o->crit_secs)
		r->state = CS_CHECK_CRITICAL;
	else if (r->earliest - at <= o->warn_secs)
		r->state = CS_CHECK_WARNING;
	else
		r->state = CS_CHECK_OK;
	if (later)
		snprintf(buf, sizeof(buf), "expires %s (%s), through '%s' "
			 "(the path validated now ends sooner)", words, when,
			 vr->later_anchor);
	else
		snprintf(buf, sizeof(buf), "%sexpires %s (%s)",
			 r->position > 0 && vr->path[r->position].is_anchor ?
			 "the trust anchor " : "", words, when);
	r->code = strdup(r->state == CS_CHECK_OK ? "ok" : "expires-soon");
	r->reason = strdup(buf);
	return r->code && r->reason ? 0 : -1;
}

/* ---- endpoints ---------------------------------------------------- */

/* Prefix "ADDR: " to a result's reason (for --all-addresses). */
static void name_address(struct cs_check_result *r, const char *addr)
{
	char *s;
	size_t len;

	if (!r->reason || !strncmp(r->reason, addr, strlen(addr)))
		return;
	len = strlen(addr) + strlen(r->reason) + 3;
	s = malloc(len);
	if (!s)
		return;
	snprintf(s, len, "%s: %s", addr, r->reason);
	free(r->reason);
	r->reason = s;
}

/* Whether a is a worse result than b (state, then fewer days). */
static bool worse(const struct cs_check_result *a,
		  const struct cs_check_result *b)
{
	if (a->state != b->state)
		return a->state > b->state;
	return a->reached && b->reached && a->days_left < b->days_left;
}

/* One address: handshake, validate, evaluate into *r. */
static int check_address(const struct cs_check_target *t,
			 const struct cs_check_opts *o,
			 const struct cs_net_addr *a,
			 const struct cs_net_opts *no,
			 const struct cs_verify_opts *vo,
			 const struct cs_deadline *dl,
			 struct cs_check_result *r)
{
	struct cs_net_result nr;
	struct cs_verify_result vr;
	struct cs_online ol;
	struct cs_online_opts oo = {.fetch_missing = o->fetch_missing,
				    .dns_servers = o->dns_servers,
				    .revocation = o->revocation,
				    .sources = o->rev_sources,
				    .cache_dir = o->cache_dir,
				    .now = o->now};
	struct cs_error e;
	int rc = 0;

	cs_online_init(&ol);
	cs_net_result_init(&nr);
	memset(&vr, 0, sizeof(vr));
	cs_error_clear(&e);
	free(r->address);
	r->address = strdup(a->text);
	if (!r->address)
		rc = -1;
	else if (cs_net_handshake(&t->net, a, no, dl, &nr, &e) < 0)
		rc = check_set_error(r, o, &e);
	else if (cs_online_verify(&nr.chain, o->untrusted, o->trust, vo, &oo,
				  dl, &ol, &vr, &e) < 0)
		rc = check_set_error(r, o, &e);
	else
		rc = cs_check_evaluate(&vr, o, r);
	cs_verify_result_free(&vr);
	cs_online_free(&ol);
	cs_net_result_free(&nr);
	return rc;
}

int check_endpoint(const struct cs_check_target *t,
		   const struct cs_check_opts *o, const struct cs_deadline *dl,
		   struct cs_check_result *r)
{
	struct cs_net_addrlist addrs = {0};
	struct cs_net_opts no = o->net;
	struct cs_verify_opts vo = o->verify;
	struct cs_error e;
	const char *host;
	size_t i;
	int rc = 0;
	int64_t t0 = o->now_ms(o->clock_ctx);

	r->target = strdup(t->spec);
	if (!r->target)
		return -1;
	/* one name is both the name checked and the SNI sent (as curl's
	 * --resolve), the same rule as connect's */
	cs_net_names(&t->net, t->host[0] ? t->host : o->host,
		     t->sni[0] ? t->sni : o->net.sni,
		     t->no_sni || o->net.no_sni, &host, &no.sni);
	no.no_sni = no.sni == NULL;
	no.name = host;
	vo.host = host;
	if (host && !(r->host = strdup(host)))
		return -1;
	cs_error_clear(&e);
	if (cs_net_resolve(&t->net, o->dns_servers, dl, NULL, &addrs,
			   &e) < 0) {
		rc = check_set_error(r, o, &e);
		goto out;
	}
	for (i = 0; i < addrs.n; i++) {
		struct cs_check_result one;

		if (!o->all_addresses) {
			/* the first address that answers, as connect */
			rc = check_address(t, o, &addrs.v[i], &no, &vo, dl, r);
			if (rc < 0 || r->reached || i + 1 == addrs.n ||
			    cs_deadline_left(dl) <= 0)
				break;
			free(r->code);
			free(r->reason);
			r->code = r->reason = NULL;
			continue;
		}
		check_result_init(&one);
		if (check_address(t, o, &addrs.v[i], &no, &vo, dl, &one) < 0) {
			cs_check_result_free(&one);
			rc = -1;
			break;
		}
		name_address(&one, addrs.v[i].text);
		if (i == 0 || worse(&one, r)) {
			one.target = r->target;
			one.host = r->host;
			r->target = r->host = NULL;
			cs_check_result_free(r);
			*r = one;
		} else {
			cs_check_result_free(&one);
		}
	}
out:
	cs_net_addrlist_free(&addrs);
	r->duration_ms = o->now_ms(o->clock_ctx) - t0;
	return rc;
}
