/*
 * cmd_connect.c - `certscope connect HOST[:PORT]`: a real TLS handshake
 * (after a STARTTLS dialogue when asked), the chain exactly as the server
 * sent it, and its validation with the same validator and trust options
 * as `verify`.  Exit codes: 0 trusted, 1 not trusted, 2 usage or network
 * failure.
 */
#include <errno.h>
#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "cs_config.h"
#include "escape.h"
#include "findings.h"
#include "x509/model.h"
#include "net/net.h"
#include "opts.h"
#include "path/ocsp.h"
#include "report/verify.h"
#include "path/trust.h"
#include "path/verify.h"
#include "verifyopts.h"

#define CONNECT_DEFAULT_TIMEOUT_S 10
#define CONNECT_MAX_TIMEOUT_S     3600

struct connect_opts {
	const char *target;
	struct cs_net_target t;
	struct cs_net_opts net;
	double timeout_s;
	bool all_addresses;
	const char *dns_servers;   /* NULL: the system's resolver */
	const char *client_cert, *client_key, *password_file;
	const char *save_chain;
	bool json;
	struct cli_verify_args va; /* the verify options */
	struct cs_verify_opts v;   /* host/purpose_oid borrowed from argv */
	cs_time_t now;
	enum cs_starttls st;       /* --starttls, when st_given */
	bool st_given;
};

/* Monotonic milliseconds: the clock the core's deadline reads. */
static int64_t mono_ms(void *ctx)
{
	struct timespec ts;

	(void)ctx;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int set_option(void *ctx, int id, const char *arg)
{
	struct connect_opts *o = ctx;
	char *end;
	int rc = cli_verify_option("connect", id, arg, o->now, &o->va, &o->v);

	if (rc != -2)
		return rc;
	switch (id) {
	case OPT_SNI:
		o->net.sni = arg;
		return -1;
	case OPT_NO_SNI:
		o->net.no_sni = true;
		return -1;
	case OPT_STARTTLS:
		if (cs_starttls_lookup(arg, &o->st) < 0)
			return cli_usage("connect", "unknown STARTTLS protocol "
					 "'%s'", arg);
		o->st_given = true;
		return -1;
	case OPT_TIMEOUT:
		o->timeout_s = strtod(arg, &end);
		if (end == arg || *end || !(o->timeout_s > 0) ||
		    o->timeout_s > CONNECT_MAX_TIMEOUT_S)
			return cli_usage("connect", "--timeout takes seconds "
					 "(0 < SEC <= %d), not '%s'",
					 CONNECT_MAX_TIMEOUT_S, arg);
		return -1;
	case OPT_ALL_ADDRESSES:
		o->all_addresses = true;
		return -1;
	case OPT_DNS_SERVERS:
		o->dns_servers = arg;
		return -1;
	case OPT_CERT:
		o->client_cert = arg;
		return -1;
	case OPT_KEY:
		o->client_key = arg;
		return -1;
	case OPT_PASSWORD_FILE:
		o->password_file = arg;
		return -1;
	case OPT_SAVE_CHAIN:
		o->save_chain = arg;
		return -1;
	case OPT_JSON:
		o->json = true;
		return -1;
	case OPT_ALPN:
		o->net.alpn = arg;
		return -1;
	case OPT_OCSP_STAPLING:
		return -1; /* always asked for */
	default:
		return cli_usage("connect", "option %d not handled", id);
	}
}

/* Parse argv into *o, then check every conflict, before any work.
 * Returns -1 to go on, else the exit code. */
static int parse_args(int argc, char **argv, cs_time_t now,
		      struct connect_opts *o)
{
	struct cs_error err;
	int first, rc;

	cs_error_clear(&err);
	memset(o, 0, sizeof(*o));
	o->timeout_s = CONNECT_DEFAULT_TIMEOUT_S;
	o->now = now;
	cli_verify_init(&o->va, &o->v, now);
	rc = cli_parse(cli_command_by_bit(CLI_CMD_CONNECT), argc, argv,
		       set_option, o, &first);
	if (rc >= 0)
		return rc;
	if (first + 1 != argc)
		return cli_usage("connect", first >= argc ?
				 "missing HOST[:PORT]" :
				 "exactly one HOST[:PORT] expected");
	o->target = argv[first];
	if (cs_net_parse_target(o->target, &o->t, &err) < 0)
		return cli_usage("connect", "%s", err.msg);
	if (o->net.sni && o->net.no_sni)
		return cli_usage("connect", "--sni and --no-sni conflict");
	if (o->st_given) {
		if (o->t.starttls != CS_STARTTLS_NONE && o->t.starttls != o->st)
			return cli_usage("connect", "--starttls %s conflicts "
					 "with the %s:// scheme",
					 cs_starttls_name(o->st),
					 cs_starttls_name(o->t.starttls));
		o->t.starttls = o->st;
		if (!o->t.port_given)
			o->t.port = cs_starttls_default_port(o->st);
	}
	if (o->dns_servers && !*o->dns_servers)
		return cli_usage("connect", "--dns-servers needs at least one "
				 "address");
	if (o->client_key && !o->client_cert)
		return cli_usage("connect", "--key needs --cert");
	/* check_one() validates the chain as sent, without a pool */
	if (o->va.n_untrusted)
		return cli_usage("connect", "--untrusted is not yet taken by "
				 "connect: it validates the chain as the "
				 "server sent it");
	cli_verify_check(&o->va);
	if (!o->va.host_given)
		o->v.host = o->t.host;
	o->net.ocsp = true; /* always ask: it costs nothing; shown when sent */
	return -1;
}

static char *esc(const char *s)
{
	return cs_escape(s ? s : "", s ? strlen(s) : 0, CS_ESC_TEXT);
}

static void print_chain_text(const struct cs_net_result *r)
{
	size_t i;

	printf("Chain sent by the server (%zu certificate%s):\n", r->chain.n,
	       r->chain.n == 1 ? "" : "s");
	for (i = 0; i < r->chain.n; i++) {
		const struct cs_item *it = &r->chain.items[i];
		struct cs_cert_model m;
		struct cs_error err;
		char na[32], key[64], *subj, *iss;

		memset(&m, 0, sizeof(m));
		if (it->kind != CS_ITEM_CERT ||
		    cs_model_from_crt(&m, it->crt, it->der, it->der_len,
				      &err) < 0) {
			printf("  %zu: (unparsable: %s)\n", i,
			       it->kind == CS_ITEM_ERROR ? it->err.msg :
			       err.msg);
			continue;
		}
		subj = esc(m.subject);
		iss = esc(m.issuer);
		cs_time_format(m.not_after, na, sizeof(na));
		cs_report_verify_key(&m, key, sizeof(key));
		printf("  %zu: %s\n     issuer %s\n     %s, not after %s\n",
		       i, subj ? subj : "?", iss ? iss : "?", key, na);
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
		    cs_model_from_crt(&m, it->crt, it->der, it->der_len,
				      &err) < 0) {
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
		json_array_append_new(a, json_pack("{s:i,s:s%,s:s%,s:s,s:s,s:s}",
			"index", (int)i, "subject", subj ? subj : "", l1,
			"issuer", iss ? iss : "", l2, "not_after", na,
			"key", key, "sha256", hex));
		free(subj);
		free(iss);
		cs_model_free(&m);
	}
	return a;
}

static int save_chain(const char *file, const struct cs_net_result *r)
{
	FILE *f = fopen(file, "w");
	size_t i;
	int rc = 0;

	if (!f) {
		cli_error(file, "cannot write: %s", strerror(errno));
		return -1;
	}
	for (i = 0; i < r->chain.n; i++) {
		const struct cs_item *it = &r->chain.items[i];
		gnutls_datum_t der = {it->der, (unsigned)it->der_len}, pem;

		/* every certificate as sent, parsable or not */
		if (gnutls_pem_base64_encode2("CERTIFICATE", &der, &pem) < 0) {
			rc = -1;
			continue;
		}
		if (fwrite(pem.data, 1, pem.size, f) != pem.size)
			rc = -1;
		gnutls_free(pem.data);
	}
	if (fclose(f) != 0 || rc < 0) {
		cli_error(file, "write error");
		return -1;
	}
	return 0;
}

/* The issuer of the leaf: the next element of the validated path. */
static gnutls_x509_crt_t leaf_issuer(const struct cs_verify_result *vr)
{
	return vr->path_len >= 2 ? vr->path[1].crt : NULL;
}

/* Check the stapled response and add its finding to *vr. */
static int check_staple(const struct cs_net_result *r,
			struct cs_verify_result *vr, cs_time_t at,
			struct cs_ocsp_result *ocsp, struct cs_error *err)
{
	const struct cs_finding_def *def;
	struct cs_finding *nf, *f;
	gnutls_x509_crt_t leaf;

	if (vr->path_len == 0 || vr->path[0].crt == NULL)
		return 0; /* no leaf to speak of: nothing to check */
	leaf = vr->path[0].crt;
	if (cs_ocsp_check(r->ocsp, r->ocsp_len, leaf, leaf_issuer(vr), at,
			  ocsp, err) < 0)
		return -1;
	if (ocsp->code == NULL)
		return 0;
	def = cs_finding_lookup(ocsp->code);
	nf = realloc(vr->findings, (vr->n_findings + 1) * sizeof(*nf));
	if (def == NULL || nf == NULL) {
		cs_error_setx(err, CS_E_NOMEM, "out of memory");
		return -1;
	}
	vr->findings = nf;
	f = &nf[vr->n_findings];
	memset(f, 0, sizeof(*f));
	f->code = def->code;
	f->severity = def->severity;
	f->cert = 0;
	f->subject = vr->path[0].model.subject ?
		     strdup(vr->path[0].model.subject) : NULL;
	f->message = strdup(ocsp->message);
	f->fix = strdup(ocsp->status == CS_OCSP_REVOKED ?
			"Replace the certificate: it is revoked." :
			"Make the server staple a current response signed "
			"by the issuer (or turn stapling off rather than "
			"send a bad one).");
	vr->n_findings++;
	if (f->message == NULL || f->fix == NULL) {
		cs_error_setx(err, CS_E_NOMEM, "out of memory");
		return -1;
	}
	if (def->severity == CS_SEV_ERROR)
		vr->trusted = false;
	return 0;
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
	j = json_pack("{s:b,s:o}", "requested", r->client_cert_requested,
		      "sent", u ? json_stringn(u, l) : json_null());
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

static void print_ocsp(const struct cs_ocsp_result *o, size_t len)
{
	char b[32], c[32];

	cs_time_format(o->this_update, b, sizeof(b));
	cs_time_format(o->next_update, c, sizeof(c));
	printf("OCSP:       %s (%zu bytes stapled",
	       cs_ocsp_status_name(o->status), len);
	if (o->status != CS_OCSP_INVALID)
		printf(", %s to %s%s", b,
		       o->next_update == CS_TIME_NONE ? "(open)" : c,
		       o->time_ok ? "" : ", not current");
	printf(")\n");
}

/* ---- --all-addresses: what each address sent, side by side -------- */

/* One address's outcome, kept to compare the addresses after all of
 * them were checked. */
struct addr_summary {
	char addr[64];
	const char *verdict;        /* "trusted", "rejected", "error" */
	char error[160];            /* the reason, for "error" */
	char version[32];
	char cipher[96];
	size_t n_certs;
	unsigned char leaf_fp[32];  /* the leaf's SHA-256, zero if unknown */
	unsigned char chain_fp[32]; /* SHA-256 over every certificate sent */
	cs_time_t leaf_not_after;
	bool ocsp;
};

static void summarize(struct addr_summary *s, const struct cs_net_result *r,
		      bool trusted)
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
		if (cs_model_from_crt(&m, it->crt, it->der, it->der_len,
				      &err) == 0) {
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

static void summarize_error(struct addr_summary *s, const char *addr,
			    const char *msg)
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
static void differences(const struct addr_summary *s, size_t n,
			bool diff[DIFF_N])
{
	const struct addr_summary *first = NULL;
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

static void print_comparison(const struct addr_summary *s, size_t n)
{
	bool diff[DIFF_N];
	char na[32], leaf[16];
	size_t i, w = 0;
	int k, n_diff = 0, shown = 0;

	differences(s, n, diff);
	for (i = 0; i < n; i++)
		if (strlen(s[i].addr) > w)
			w = strlen(s[i].addr);
	printf("\nAddresses compared (%zu):\n", n);
	for (i = 0; i < n; i++) {
		if (!strcmp(s[i].verdict, "error")) {
			char *e = esc(s[i].error);

			printf("  %-*s  error        %s\n", (int)w, s[i].addr,
			       e ? e : "?");
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
		printf("  %-*s  %-11s  %s  %zu cert%s  leaf %s  not after %s"
		       "%s\n", (int)w, s[i].addr,
		       !strcmp(s[i].verdict, "trusted") ? "trusted" :
							  "NOT TRUSTED",
		       s[i].version, s[i].n_certs, s[i].n_certs == 1 ? "" : "s",
		       leaf, na,
		       s[i].ocsp ? "  OCSP stapled" : "");
	}
	for (k = 0; k < DIFF_N; k++)
		n_diff += diff[k];
	if (n_diff == 0) {
		printf("All %zu addresses agree: same verdict, chain, protocol "
		       "and cipher suite.\n", n);
		return;
	}
	printf("They differ in");
	for (k = 0; k < DIFF_N; k++) {
		if (!diff[k])
			continue;
		shown++;
		printf("%s%s", shown == 1 ? " " : shown == n_diff ? " and " :
								    ", ",
		       diff_words[k]);
	}
	printf(".\n");
}

static json_t *comparison_json(const struct addr_summary *s, size_t n)
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

/* Check one address.  Returns the exit code for it; *j gets its JSON
 * object when json is set, *sum its outcome. */
static int check_one(const struct connect_opts *o,
		     const struct cs_net_addr *a, const struct cs_deadline *dl,
		     const struct cs_trust *trust, json_t **j,
		     struct addr_summary *sum)
{
	struct cs_net_result r;
	struct cs_verify_result vr;
	struct cs_verify_report_opts ro = {.color = false, .at = o->v.at};
	struct cs_ocsp_result ocsp;
	struct cs_error err;
	int rc = CS_EXIT_INPUT;
	json_t *obj = NULL;
	bool have_ocsp = false;

	cs_error_clear(&err);
	memset(&ocsp, 0, sizeof(ocsp));
	cs_net_result_init(&r);
	memset(&vr, 0, sizeof(vr));
	memset(sum, 0, sizeof(*sum));
	snprintf(sum->addr, sizeof(sum->addr), "%s", a->text);
	summarize_error(sum, a->text, "not checked");
	if (cs_net_handshake(&o->t, a, &o->net, dl, &r, &err) < 0) {
		/* the core's message starts with the address */
		cli_error(NULL, "%s", err.msg);
		summarize_error(sum, a->text, err.msg);
		if (o->json)
			obj = json_pack("{s:s,s:s,s:s,s:s}", "target",
					o->target, "address", a->text,
					"verdict", "error", "error", err.msg);
		goto out;
	}
	if (o->save_chain && save_chain(o->save_chain, &r) < 0) {
		summarize_error(sum, a->text, "cannot save the chain");
		goto out;
	}
	if (cs_verify_chain(&r.chain, NULL, trust, &o->v, &vr, &err) < 0) {
		cli_error(o->target, "cannot validate: %s", err.msg);
		summarize_error(sum, a->text, err.msg);
		goto out;
	}
	have_ocsp = r.ocsp_len > 0;
	if (have_ocsp && check_staple(&r, &vr, o->v.at, &ocsp, &err) < 0) {
		cli_error(o->target, "%s", err.msg);
		summarize_error(sum, a->text, err.msg);
		goto out;
	}
	rc = vr.trusted ? CS_EXIT_OK : CS_EXIT_FAIL;
	summarize(sum, &r, vr.trusted);
	if (o->json) {
		obj = json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:I,s:I,"
				"s:I,s:o,s:o}",
			"target", o->target, "address", r.addr,
			"sni", r.sni, "starttls",
			cs_starttls_name(o->t.starttls), "protocol",
			r.version, "cipher_suite", r.cipher,
			"key_exchange_group", r.group, "alpn", r.alpn,
			"connect_ms", (json_int_t)r.connect_ms,
			"handshake_ms", (json_int_t)r.handshake_ms,
			"ocsp_staple_bytes", (json_int_t)r.ocsp_len,
			"chain", chain_json(&r),
			"validation", cs_report_verify_json(r.addr, &vr,
							    NULL, &ro));
		if (obj)
			json_object_set_new(obj, "verdict", json_string(
				vr.trusted ? "trusted" : "rejected"));
		if (obj)
			json_object_set_new(obj, "ocsp", have_ocsp ?
					    ocsp_json(&ocsp) : json_null());
		if (obj)
			json_object_set_new(obj, "client_certificate",
				client_json(&r, o->net.client));
		goto out;
	}
	printf("Connected to %s%s%s%s\n", r.addr,
	       r.sni[0] ? " (SNI " : " (no SNI", r.sni, ")");
	if (o->t.starttls != CS_STARTTLS_NONE)
		printf("STARTTLS:   %s\n", cs_starttls_name(o->t.starttls));
	printf("Protocol:   %s\n", r.version);
	printf("Cipher:     %s\n", r.cipher);
	printf("Group:      %s\n", r.group[0] ? r.group : "(none)");
	if (o->net.alpn)
		printf("ALPN:       %s\n", r.alpn[0] ? r.alpn : "(none)");
	printf("Handshake:  %lld ms (connect %lld ms)\n",
	       (long long)r.handshake_ms, (long long)r.connect_ms);
	if (have_ocsp)
		print_ocsp(&ocsp, r.ocsp_len);
	else
		printf("OCSP:       no stapled response\n");
	if (!r.client_cert_requested && o->net.client) {
		printf("Client:     the server asked for no certificate\n");
	} else if (r.client_cert_requested && !r.client_cert_sent) {
		printf("Client:     the server asked for a certificate; none "
		       "sent\n");
	} else if (r.client_cert_requested) {
		char *e = esc(cs_net_client_subject(o->net.client));

		printf("Client:     the server asked for a certificate; sent "
		       "%s\n", e ? e : "?");
		free(e);
	}
	print_chain_text(&r);
	printf("\n");
	if (cs_report_verify_text(stdout, r.addr, &vr, &ro) < 0)
		rc = CS_EXIT_INPUT;
out:
	if (j)
		*j = obj;
	else
		json_decref(obj);
	cs_verify_result_free(&vr);
	cs_net_result_free(&r);
	return rc;
}

/* The client certificate and key, read before any connection. */
static int load_client(const struct connect_opts *o,
		       struct cs_net_client **client)
{
	struct cs_error err;
	bool pw_failed = false;
	char *password = cli_read_password(o->password_file, &pw_failed);
	int rc;

	if (pw_failed)
		return -1;
	cs_error_clear(&err);
	rc = cs_net_client_load(o->client_cert, o->client_key, password,
				client, &err);
	if (rc < 0)
		cli_error(NULL, "%s", err.msg);
	if (password) {
		memset(password, 0, strlen(password));
		free(password);
	}
	return rc;
}

/* see cli.h */
int cmd_connect(int argc, char **argv)
{
	struct connect_opts o;
	struct cs_deadline dl = {.now_ms = mono_ms};
	struct cs_net_addrlist al = {NULL, 0};
	struct addr_summary sums[CS_NET_MAX_ADDRS];
	struct cs_trust *trust = NULL;
	struct cs_net_client *client = NULL;
	struct cs_load_opts lo;
	struct cs_error err;
	json_t *arr = NULL, *one;
	size_t i, n_sums = 0;
	int rc, worst = CS_EXIT_OK;

	memset(&lo, 0, sizeof(lo));
	rc = parse_args(argc, argv, (cs_time_t)time(NULL), &o);
	if (rc >= 0) {
		cli_verify_free(&o.va);
		return rc;
	}
	/* files before the network (phase order) */
	rc = CS_EXIT_INPUT;
	trust = cli_verify_load(&o.va, &o.v, &lo);
	if (!trust)
		goto out;
	if (o.client_cert && load_client(&o, &client) < 0)
		goto out;
	o.net.client = client;
	dl.at_ms = mono_ms(NULL) + (int64_t)(o.timeout_s * 1000.0);
	cs_error_clear(&err);
	if (cs_net_resolve(&o.t, o.dns_servers, &dl, &al, &err) < 0) {
		cli_error(o.target, "%s", err.msg);
		rc = CS_EXIT_INPUT;
		goto out;
	}
	if (o.json)
		arr = json_array();
	for (i = 0; i < al.n; i++) {
		one = NULL;
		if (i && !o.json)
			printf("\n"); /* between the reports of addresses */
		rc = check_one(&o, &al.v[i], &dl, trust, o.json ? &one : NULL,
			       &sums[n_sums++]);
		if (one)
			json_array_append_new(arr, one);
		if (o.all_addresses) {
			if (rc > worst)
				worst = rc;
			continue;
		}
		/* without --all-addresses: the first address that answers
		 * (network failures try the next one while time is left) */
		worst = rc;
		if (rc != CS_EXIT_INPUT || cs_deadline_left(&dl) <= 0)
			break;
	}
	rc = worst;
	if (o.all_addresses && !o.json && n_sums > 1)
		print_comparison(sums, n_sums);
	if (o.json && arr) {
		json_t *doc = json_pack("{s:s,s:o}", "target", o.target,
					"results", arr);
		arr = NULL;
		if (doc && o.all_addresses)
			json_object_set_new(doc, "comparison",
					    comparison_json(sums, n_sums));
		if (doc) {
			json_dumpf(doc, stdout,
				   JSON_INDENT(2) | JSON_ENSURE_ASCII);
			fputc('\n', stdout);
		}
		json_decref(doc);
	}
out:
	json_decref(arr);
	cs_net_addrlist_free(&al);
	cs_trust_free(trust);
	cs_net_client_free(client);
	cli_verify_free(&o.va);
	return rc;
}
