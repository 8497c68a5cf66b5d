/*
 * connect.c - see connect.h.  The per-address block and object, the
 * chain as sent (each certificate through the x509 model), the OCSP and
 * client-certificate lines, and the comparison of --all-addresses.
 */
#include "report/connect.h"

#include <stdlib.h>
#include <string.h>
#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>

#include "escape.h"
#include "report/trace.h"

static char *esc(const char *s)
{
	return cs_escape(s ? s : "", s ? strlen(s) : 0, CS_ESC_TEXT);
}

/* ---- the pieces of one address's report -------------------------- */

/* What the report prints of a certificate the server sent (subject,
 * issuer, notAfter, key, SHA-256): the base parts of the model, read
 * from the DER (no self-signature check, no extensions). */
static int peer_model(struct cs_cert_model *m, const struct cs_item *it,
		      struct cs_error *err)
{
	return cs_model_build(m, it->crt, it->der, it->der_len,
			      CS_MODEL_FROM_DER, err);
}

static void print_chain_text(FILE *out, const struct cs_net_result *r)
{
	size_t i;

	fprintf(out, "Chain sent by the server (%zu certificate%s):\n",
		r->chain.n, r->chain.n == 1 ? "" : "s");
	for (i = 0; i < r->chain.n; i++) {
		const struct cs_item *it = &r->chain.items[i];
		struct cs_cert_model m;
		struct cs_error err;
		char na[32], key[64], *subj, *iss;

		memset(&m, 0, sizeof(m));
		if (it->kind != CS_ITEM_CERT ||
		    peer_model(&m, it, &err) < 0) {
			fprintf(out, "  %zu: (unparsable: %s)\n", i,
				it->kind == CS_ITEM_ERROR ? it->err.msg :
				err.msg);
			continue;
		}
		subj = esc(m.subject);
		iss = esc(m.issuer);
		cs_time_format(m.not_after, na, sizeof(na));
		cs_report_verify_key(&m, key, sizeof(key));
		fprintf(out, "  %zu: %s\n     issuer %s\n     %s, not after "
			"%s\n", i, subj ? subj : "?", iss ? iss : "?", key, na);
		free(subj);
		free(iss);
		cs_model_free(&m);
	}
}

static json_t *chain_json(const struct cs_net_result *r)
{
	json_t *a = json_array();
	size_t i;

	for (i = 0; a && i < r->chain.n; i++) {
		const struct cs_item *it = &r->chain.items[i];
		struct cs_cert_model m;
		struct cs_error err;
		char na[32], key[64], hex[65], *subj, *iss;
		size_t l1 = 0, l2 = 0;

		memset(&m, 0, sizeof(m));
		if (it->kind != CS_ITEM_CERT ||
		    peer_model(&m, it, &err) < 0) {
			json_array_append_new(a, json_pack("{s:i,s:s}", "index",
				(int)i, "error", it->kind == CS_ITEM_ERROR ?
				it->err.msg : err.msg));
			continue;
		}
		subj = cs_escape_utf8(m.subject, strlen(m.subject), &l1);
		iss = cs_escape_utf8(m.issuer, strlen(m.issuer), &l2);
		cs_time_format(m.not_after, na, sizeof(na));
		cs_report_verify_key(&m, key, sizeof(key));
		cs_hex(hex, sizeof(hex), m.sha256, sizeof(m.sha256));
		json_array_append_new(a, json_pack(
			"{s:i,s:s%,s:s%,s:s,s:s,s:s}", "index", (int)i,
			"subject", subj ? subj : "", l1, "issuer",
			iss ? iss : "", l2, "not_after", na, "key", key,
			"sha256", hex));
		free(subj);
		free(iss);
		cs_model_free(&m);
	}
	return a;
}

static json_t *client_json(const struct cs_net_result *r,
			   const struct cs_net_client *c)
{
	const char *subj = r->client_cert_sent ? cs_net_client_subject(c) :
						 NULL;
	char *u = NULL;
	size_t l = 0;
	json_t *j;

	if (subj)
		u = cs_escape_utf8(subj, strlen(subj), &l);
	j = json_pack("{s:b,s:o,s:b}", "requested", r->client_cert_requested,
		      "sent", u ? json_stringn(u, l) : json_null(),
		      "required", r->client_cert_required);
	free(u);
	return j;
}

static json_t *ocsp_json(const struct cs_ocsp_result *o)
{
	char a[32], b[32], c[32], d[32];

	cs_time_format(o->produced_at, a, sizeof(a));
	cs_time_format(o->this_update, b, sizeof(b));
	cs_time_format(o->next_update, c, sizeof(c));
	cs_time_format(o->revoked_at, d, sizeof(d));
	return json_pack("{s:s,s:b,s:b,s:s?,s:s?,s:s?,s:s?,s:s}",
		"status", cs_ocsp_status_name(o->status),
		"signature_ok", o->signature_ok, "current", o->time_ok,
		"produced_at", o->produced_at == CS_TIME_NONE ? NULL : a,
		"this_update", o->this_update == CS_TIME_NONE ? NULL : b,
		"next_update", o->next_update == CS_TIME_NONE ? NULL : c,
		"revoked_at", o->revoked_at == CS_TIME_NONE ? NULL : d,
		"message", o->message);
}

static void print_ocsp(FILE *out, const struct cs_ocsp_result *o,
		       size_t len)
{
	char b[32], c[32];

	cs_time_format(o->this_update, b, sizeof(b));
	cs_time_format(o->next_update, c, sizeof(c));
	fprintf(out, "OCSP:       %s (%zu bytes stapled",
		cs_ocsp_status_name(o->status), len);
	if (o->status != CS_OCSP_INVALID)
		fprintf(out, ", %s to %s%s", b,
			o->next_update == CS_TIME_NONE ? "(open)" : c,
			o->time_ok ? "" : ", not current");
	fprintf(out, ")\n");
}

/* ---- one address ---------------------------------------------------- */

/* see connect.h */
int cs_report_connect_text(FILE *out, const struct cs_connect_report *c)
{
	const struct cs_net_result *r = c->net;

	if (c->trace) {
		if (cs_report_trace_text(out, c->trace, &r->chain) < 0)
			return -1;
		fprintf(out, "\n");
	}
	fprintf(out, "Connected to %s%s%s%s\n", r->addr,
		r->sni[0] ? " (SNI " : " (no SNI", r->sni, ")");
	if (c->vo && c->vo->host) {
		char *h = esc(c->vo->host);
		fprintf(out, "Checked for %s\n", h ? h : "?");
		free(h);
	}
	if (c->starttls != CS_STARTTLS_NONE)
		fprintf(out, "STARTTLS:   %s\n", cs_starttls_name(c->starttls));
	fprintf(out, "Protocol:   %s\n", r->version);
	fprintf(out, "Cipher:     %s\n", r->cipher[0] ? r->cipher :
		"(none: the handshake did not complete)");
	fprintf(out, "Group:      %s\n", r->group[0] ? r->group : "(none)");
	if (c->alpn_offered)
		fprintf(out, "ALPN:       %s\n",
			r->alpn[0] ? r->alpn : "(none)");
	fprintf(out, "Handshake:  %lld ms (connect %lld ms)\n",
		(long long)r->handshake_ms, (long long)r->connect_ms);
	if (c->ocsp)
		print_ocsp(out, c->ocsp, r->ocsp_len);
	else
		fprintf(out, "OCSP:       no stapled response\n");
	if (!r->client_cert_requested && c->client) {
		fprintf(out, "Client:     the server asked for no "
			"certificate\n");
	} else if (r->client_cert_required) {
		fprintf(out, "Client:     the server requires a certificate; "
			"none was given (--cert, --key), so it ended the "
			"connection\n");
	} else if (r->client_cert_requested && !r->client_cert_sent) {
		fprintf(out, "Client:     the server asked for a certificate; "
			"none sent\n");
	} else if (r->client_cert_requested) {
		char *e = esc(cs_net_client_subject(c->client));

		fprintf(out, "Client:     the server asked for a certificate; "
			"sent %s\n", e ? e : "?");
		free(e);
	}
	print_chain_text(out, r);
	fprintf(out, "\n");
	return cs_report_verify_text(out, r->addr, c->vr, c->ro);
}

/* see connect.h */
json_t *cs_report_connect_json(const struct cs_connect_report *c)
{
	const struct cs_net_result *r = c->net;
	json_t *obj;

	obj = json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:I,s:I,"
			"s:I,s:o,s:o}",
		"target", c->target, "address", r->addr,
		"sni", r->sni, "starttls",
		cs_starttls_name(c->starttls), "protocol",
		r->version, "cipher_suite", r->cipher,
		"key_exchange_group", r->group, "alpn", r->alpn,
		"connect_ms", (json_int_t)r->connect_ms,
		"handshake_ms", (json_int_t)r->handshake_ms,
		"ocsp_staple_bytes", (json_int_t)r->ocsp_len,
		"chain", chain_json(r),
		"validation", cs_report_verify_json(r->addr, c->vr, NULL,
						    c->ro));
	if (obj)
		json_object_set_new(obj, "verdict", json_string(
			c->vr->trusted ? "trusted" : "rejected"));
	if (obj)
		json_object_set_new(obj, "ocsp", c->ocsp ?
				    ocsp_json(c->ocsp) : json_null());
	if (obj)
		json_object_set_new(obj, "client_certificate",
				    client_json(r, c->client));
	if (obj && c->vo)
		json_object_set_new(obj, "checked",
				    cs_report_checked_json(c->vo, r->sni,
							   c->trust));
	if (obj && c->trace)
		json_object_set_new(obj, "trace",
				    cs_report_trace_json(c->trace, &r->chain));
	return obj;
}

/* see connect.h */
json_t *cs_report_connect_error_json(const char *target, const char *addr,
				     const char *msg,
				     const struct cs_net_trace *trace)
{
	json_t *obj = json_pack("{s:s,s:s,s:s,s:s}", "target", target,
				"address", addr, "verdict", "error", "error",
				msg);

	if (obj && trace)
		json_object_set_new(obj, "trace",
				    cs_report_trace_json(trace, NULL));
	return obj;
}

/* ---- --all-addresses: what each address sent, side by side -------- */

/* see connect.h */
void cs_report_connect_summarize(struct cs_connect_summary *s,
				 const struct cs_net_result *r, bool trusted)
{
	gnutls_hash_hd_t h;
	size_t i;

	s->verdict = trusted ? "trusted" : "rejected";
	snprintf(s->version, sizeof(s->version), "%s", r->version);
	snprintf(s->cipher, sizeof(s->cipher), "%s", r->cipher);
	s->n_certs = r->chain.n;
	s->ocsp = r->ocsp_len > 0;
	s->leaf_not_after = CS_TIME_NONE;
	if (r->chain.n && r->chain.items[0].kind == CS_ITEM_CERT) {
		const struct cs_item *it = &r->chain.items[0];
		struct cs_cert_model m;
		struct cs_error err;

		memset(&m, 0, sizeof(m));
		if (peer_model(&m, it, &err) == 0) {
			memcpy(s->leaf_fp, m.sha256, sizeof(s->leaf_fp));
			s->leaf_not_after = m.not_after;
		}
		cs_model_free(&m);
	}
	if (gnutls_hash_init(&h, GNUTLS_DIG_SHA256) == 0) {
		for (i = 0; i < r->chain.n; i++)
			if (r->chain.items[i].der)
				gnutls_hash(h, r->chain.items[i].der,
					    r->chain.items[i].der_len);
		gnutls_hash_deinit(h, s->chain_fp);
	}
}

/* see connect.h */
void cs_report_connect_summarize_error(struct cs_connect_summary *s,
				       const char *addr, const char *msg)
{
	size_t n = strlen(addr);

	s->verdict = "error";
	/* the core's message starts with the address: not twice */
	if (!strncmp(msg, addr, n) && !strncmp(msg + n, ": ", 2))
		msg += n + 2;
	snprintf(s->error, sizeof(s->error), "%s", msg);
}

enum {
	DIFF_VERDICT, DIFF_LEAF, DIFF_CHAIN, DIFF_PROTOCOL, DIFF_CIPHER,
	DIFF_OCSP, DIFF_N
};
static const char *const diff_names[DIFF_N] = {
	"verdict", "leaf", "chain", "protocol", "cipher", "ocsp-staple",
};
static const char *const diff_words[DIFF_N] = {
	"the verdict", "the leaf certificate", "the chain sent",
	"the protocol version", "the cipher suite", "the stapled OCSP response",
};

/* Which properties differ among the addresses that completed a
 * handshake (the verdict: among all of them). */
static void differences(const struct cs_connect_summary *s, size_t n,
			bool diff[DIFF_N])
{
	const struct cs_connect_summary *first = NULL;
	size_t i;

	memset(diff, 0, DIFF_N * sizeof(*diff));
	for (i = 1; i < n; i++)
		if (strcmp(s[i].verdict, s[0].verdict))
			diff[DIFF_VERDICT] = true;
	for (i = 0; i < n; i++) {
		if (!strcmp(s[i].verdict, "error"))
			continue;
		if (!first) {
			first = &s[i];
			continue;
		}
		diff[DIFF_LEAF] |= !!memcmp(s[i].leaf_fp, first->leaf_fp,
					    sizeof(first->leaf_fp));
		diff[DIFF_CHAIN] |= s[i].n_certs != first->n_certs ||
			memcmp(s[i].chain_fp, first->chain_fp,
			       sizeof(first->chain_fp));
		diff[DIFF_PROTOCOL] |= !!strcmp(s[i].version, first->version);
		diff[DIFF_CIPHER] |= !!strcmp(s[i].cipher, first->cipher);
		diff[DIFF_OCSP] |= s[i].ocsp != first->ocsp;
	}
}

/* see connect.h */
int cs_report_connect_comparison_text(FILE *out,
				      const struct cs_connect_summary *s,
				      size_t n)
{
	bool diff[DIFF_N];
	char na[32], leaf[16];
	size_t i, w = 0;
	int k, n_diff = 0, shown = 0;

	differences(s, n, diff);
	for (i = 0; i < n; i++)
		if (strlen(s[i].addr) > w)
			w = strlen(s[i].addr);
	fprintf(out, "\nAddresses compared (%zu):\n", n);
	for (i = 0; i < n; i++) {
		if (!strcmp(s[i].verdict, "error")) {
			char *e = esc(s[i].error);

			fprintf(out, "  %-*s  error        %s\n", (int)w,
				s[i].addr, e ? e : "?");
			free(e);
			continue;
		}
		if (s[i].leaf_not_after != CS_TIME_NONE) {
			cs_time_format(s[i].leaf_not_after, na, sizeof(na));
			cs_hex_colon(leaf, sizeof(leaf), s[i].leaf_fp, 4);
		} else {
			snprintf(na, sizeof(na), "?");
			snprintf(leaf, sizeof(leaf), "?");
		}
		fprintf(out, "  %-*s  %-11s  %s  %zu cert%s  leaf %s  "
			"not after %s%s\n", (int)w, s[i].addr,
			!strcmp(s[i].verdict, "trusted") ? "trusted" :
							   "NOT TRUSTED",
			s[i].version, s[i].n_certs,
			s[i].n_certs == 1 ? "" : "s", leaf, na,
			s[i].ocsp ? "  OCSP stapled" : "");
	}
	for (k = 0; k < DIFF_N; k++)
		n_diff += diff[k];
	if (n_diff == 0) {
		fprintf(out, "All %zu addresses agree: same verdict, chain, "
			"protocol and cipher suite.\n", n);
		return ferror(out) ? -1 : 0;
	}
	fprintf(out, "They differ in");
	for (k = 0; k < DIFF_N; k++) {
		if (!diff[k])
			continue;
		shown++;
		fprintf(out, "%s%s", shown == 1 ? " " :
			shown == n_diff ? " and " : ", ", diff_words[k]);
	}
	fprintf(out, ".\n");
	return ferror(out) ? -1 : 0;
}

static json_t *comparison_json(const struct cs_connect_summary *s,
			       size_t n)
{
	bool diff[DIFF_N];
	json_t *d = json_array();
	int k;

	differences(s, n, diff);
	for (k = 0; d && k < DIFF_N; k++)
		if (diff[k])
			json_array_append_new(d, json_string(diff_names[k]));
	return json_pack("{s:I,s:b,s:o*}", "addresses", (json_int_t)n,
			 "agree", d && json_array_size(d) == 0, "differences",
			 d);
}

/* see connect.h */
int cs_report_connect_json_doc(FILE *out, const char *target,
			       json_t *results,
			       const struct cs_connect_summary *s, size_t n)
{
	json_t *doc = json_pack("{s:s,s:O}", "target", target, "results",
				results);
	int rc = -1;

	if (doc && s)
		json_object_set_new(doc, "comparison", comparison_json(s, n));
	if (doc) {
		json_dumpf(doc, out, JSON_INDENT(2) | JSON_ENSURE_ASCII);
		fputc('\n', out);
		rc = ferror(out) ? -1 : 0;
	}
	json_decref(doc);
	return rc;
}
