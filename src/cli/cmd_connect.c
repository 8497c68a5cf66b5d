/*
 * cmd_connect.c - `certscope connect HOST[:PORT]`: a real TLS handshake
 * (after a STARTTLS dialogue when asked), the chain exactly as the server
 * sent it, and its validation with the same validator and trust options
 * as `verify`.  Exit codes: 0 trusted, 1 not trusted, 2 usage or network
 * failure.
 *
 * Here: options, the order of the work (files before the network, one
 * deadline, which addresses), messages on stderr and the exit code.  Not
 * here: the connection (net/), the staple's verdict (path/ocsp.h), the
 * report's text and JSON (report/connect.h).
 */
#include <errno.h>
#include <getopt.h>
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
#include "x509/model.h"
#include "net/net.h"
#include "path/ocsp.h"
#include "report/connect.h"
#include "report/trace.h"
#include "report/verify.h"
#include "path/trust.h"
#include "path/verify.h"

#define CONNECT_DEFAULT_TIMEOUT_S 10
#define CONNECT_MAX_TIMEOUT_S     3600
#define CONNECT_MAX_TRUST         64

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
	bool trace;                /* --trace */
	const char *trust[CONNECT_MAX_TRUST];
	size_t n_trust;
	bool system_trust;
	struct cs_verify_opts v;   /* host/purpose_oid borrowed from argv */
	bool host_given;
};

enum {
	OPT_SNI = 256, OPT_NO_SNI, OPT_STARTTLS, OPT_TIMEOUT, OPT_ALL,
	OPT_SAVE, OPT_JSON, OPT_ALPN, OPT_TRUST, OPT_SYSTEM, OPT_AT,
	OPT_PURPOSE, OPT_HOST, OPT_OCSP, OPT_DNS, OPT_CERT, OPT_KEY,
	OPT_PASSWORD_FILE, OPT_TRACE,
};

static const struct option long_opts[] = {
	{"sni", required_argument, NULL, OPT_SNI},
	{"no-sni", no_argument, NULL, OPT_NO_SNI},
	{"starttls", required_argument, NULL, OPT_STARTTLS},
	{"timeout", required_argument, NULL, OPT_TIMEOUT},
	{"all-addresses", no_argument, NULL, OPT_ALL},
	{"dns-servers", required_argument, NULL, OPT_DNS},
	{"cert", required_argument, NULL, OPT_CERT},
	{"key", required_argument, NULL, OPT_KEY},
	{"password-file", required_argument, NULL, OPT_PASSWORD_FILE},
	{"save-chain", required_argument, NULL, OPT_SAVE},
	{"json", no_argument, NULL, OPT_JSON},
	{"alpn", required_argument, NULL, OPT_ALPN},
	{"trust", required_argument, NULL, OPT_TRUST},
	{"system-trust", no_argument, NULL, OPT_SYSTEM},
	{"at", required_argument, NULL, OPT_AT},
	{"purpose", required_argument, NULL, OPT_PURPOSE},
	{"host", required_argument, NULL, OPT_HOST},
	{"ocsp-stapling", no_argument, NULL, OPT_OCSP},
	{"trace", no_argument, NULL, OPT_TRACE},
	{"help", no_argument, NULL, 'h'},
	{NULL, 0, NULL, 0},
};

static void usage(FILE *out)
{
	fputs("Usage: certscope connect HOST[:PORT] [OPTIONS]\n"
	      "       certscope connect SCHEME://HOST[:PORT] [OPTIONS]\n"
	      "\n"
	      "Complete a TLS handshake, show the chain the server sent and "
	      "validate it.\n"
	      "HOST is a name, an IPv4 address or [IPv6]; PORT defaults to "
	      "443\nor the STARTTLS protocol's port.\n"
	      "\n"
	      "      --sni NAME           server name to send (default: HOST "
	      "unless an IP)\n"
	      "      --no-sni             send no server name\n"
	      "      --starttls PROTO     smtp imap pop3 ftp xmpp ldap "
	      "postgres mysql nntp sieve\n"
	      "      --timeout SEC        one deadline for everything "
	      "(default 10)\n"
	      "      --all-addresses      check every resolved address\n"
	      "      --dns-servers LIST   resolve with these servers "
	      "(IP[:PORT],...)\n"
	      "      --alpn LIST          offer ALPN protocols, e.g. "
	      "h2,http/1.1\n"
	      "      --ocsp-stapling      ask for a stapled OCSP response\n"
	      "      --save-chain FILE    write the chain as sent, as PEM\n"
	      "      --cert FILE          client certificate (and chain), or "
	      "PKCS#12\n"
	      "      --key FILE           its private key\n"
	      "      --password-file FILE key or PKCS#12 password (else "
	      "$CERTSCOPE_PASSWORD)\n"
	      "      --trust FILE|DIR     trust anchors (repeatable)\n"
	      "      --system-trust       also trust the system store\n"
	      "      --host NAME          name to check (default: HOST)\n"
	      "      --purpose P          server (default), client, any, OID\n"
	      "      --at TIME            validate at TIME\n"
	      "      --json               the whole report as JSON\n"
	      "      --trace              first the handshake step by step\n"
	      "\n"
	      "Exit codes: 0 trusted, 1 not trusted, 2 usage or network "
	      "failure.\n", out);
}

/* Monotonic milliseconds: the clock the core's deadline reads. */
static int64_t mono_ms(void *ctx)
{
	struct timespec ts;

	(void)ctx;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int parse_purpose(const char *s, struct cs_verify_opts *v)
{
	static const struct {
		const char *name;
		enum cs_purpose p;
	} names[] = {
		{"server", CS_PURPOSE_SERVER}, {"client", CS_PURPOSE_CLIENT},
		{"email", CS_PURPOSE_EMAIL},   {"code", CS_PURPOSE_CODE},
		{"any", CS_PURPOSE_ANY},
	};
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(*names); i++) {
		if (!strcmp(s, names[i].name)) {
			v->purpose = names[i].p;
			return 0;
		}
	}
	if (strspn(s, "0123456789.") != strlen(s) || !strchr(s, '.'))
		return -1;
	v->purpose = CS_PURPOSE_OID;
	v->purpose_oid = s;
	return 0;
}

/* Returns -1 to go on, else the exit code. */
static int parse_args(int argc, char **argv, cs_time_t now,
		      struct connect_opts *o)
{
	struct cs_error err;
	enum cs_starttls st = CS_STARTTLS_NONE;
	bool st_given = false;
	char *end;
	int c;

	cs_error_clear(&err);
	memset(o, 0, sizeof(*o));
	o->timeout_s = CONNECT_DEFAULT_TIMEOUT_S;
	o->v.at = now;
	o->v.purpose = CS_PURPOSE_SERVER;
	optind = 1;
	while ((c = getopt_long(argc, argv, "h", long_opts, NULL)) != -1) {
		switch (c) {
		case OPT_SNI:
			o->net.sni = optarg;
			break;
		case OPT_NO_SNI:
			o->net.no_sni = true;
			break;
		case OPT_STARTTLS:
			if (cs_starttls_lookup(optarg, &st) < 0)
				return cli_usage("connect",
						 "unknown STARTTLS protocol "
						 "'%s'", optarg);
			st_given = true;
			break;
		case OPT_TIMEOUT:
			o->timeout_s = strtod(optarg, &end);
			if (end == optarg || *end || !(o->timeout_s > 0) ||
			    o->timeout_s > CONNECT_MAX_TIMEOUT_S)
				return cli_usage("connect",
						 "--timeout takes seconds "
						 "(0 < SEC <= %d), not '%s'",
						 CONNECT_MAX_TIMEOUT_S, optarg);
			break;
		case OPT_ALL:
			o->all_addresses = true;
			break;
		case OPT_DNS:
			o->dns_servers = optarg;
			break;
		case OPT_CERT:
			o->client_cert = optarg;
			break;
		case OPT_KEY:
			o->client_key = optarg;
			break;
		case OPT_PASSWORD_FILE:
			o->password_file = optarg;
			break;
		case OPT_SAVE:
			o->save_chain = optarg;
			break;
		case OPT_JSON:
			o->json = true;
			break;
		case OPT_ALPN:
			o->net.alpn = optarg;
			break;
		case OPT_TRUST:
			if (o->n_trust == CONNECT_MAX_TRUST)
				return cli_usage("connect",
						 "at most %d --trust options",
						 CONNECT_MAX_TRUST);
			o->trust[o->n_trust++] = optarg;
			break;
		case OPT_SYSTEM:
			o->system_trust = true;
			break;
		case OPT_AT:
			if (cs_time_parse(optarg, now, &o->v.at, &err) < 0)
				return cli_usage("connect", "--at: %s",
						 err.msg);
			break;
		case OPT_PURPOSE:
			if (parse_purpose(optarg, &o->v) < 0)
				return cli_usage("connect",
						 "--purpose takes server, "
						 "client, email, code, any or "
						 "an OID, not '%s'", optarg);
			break;
		case OPT_HOST:
			o->v.host = optarg;
			o->host_given = true;
			break;
		case OPT_OCSP:
			o->net.ocsp = true;
			break;
		case OPT_TRACE:
			o->trace = true;
			break;
		case 'h':
			usage(stdout);
			return CS_EXIT_OK;
		default:
			return cli_usage("connect", "bad option");
		}
	}
	if (optind + 1 != argc)
		return cli_usage("connect", optind >= argc ?
				 "missing HOST[:PORT]" :
				 "exactly one HOST[:PORT] expected");
	o->target = argv[optind];
	if (cs_net_parse_target(o->target, &o->t, &err) < 0)
		return cli_usage("connect", "%s", err.msg);
	/* every conflict is checked here, before any work */
	if (o->net.sni && o->net.no_sni)
		return cli_usage("connect", "--sni and --no-sni conflict");
	if (st_given) {
		if (o->t.starttls != CS_STARTTLS_NONE && o->t.starttls != st)
			return cli_usage("connect", "--starttls %s conflicts "
					 "with the %s:// scheme",
					 cs_starttls_name(st),
					 cs_starttls_name(o->t.starttls));
		o->t.starttls = st;
		if (!o->t.port_given)
			o->t.port = cs_starttls_default_port(st);
	}
	if (o->dns_servers && !*o->dns_servers)
		return cli_usage("connect", "--dns-servers needs at least one "
				 "address");
	if (o->client_key && !o->client_cert)
		return cli_usage("connect", "--key needs --cert");
	if (o->system_trust && !o->n_trust)
		cli_note("--system-trust without --trust: the system store is "
			 "the default anyway");
	if (!o->host_given)
		o->v.host = o->t.host;
	o->net.ocsp = true; /* always ask: it costs nothing; shown when sent */
	return -1;
}

static struct cs_trust *load_trust(const struct connect_opts *o)
{
	struct cs_trust *t;
	struct cs_itemlist problems;
	struct cs_error err;
	size_t i, k;
	int n;

	cs_error_clear(&err);
	cs_itemlist_init(&problems);
	t = cs_trust_new(&err);
	if (!t) {
		cli_error(NULL, "%s", err.msg);
		return NULL;
	}
	for (i = 0; i < o->n_trust; i++) {
		if (cs_trust_add_path(t, o->trust[i], &problems, &err) < 0) {
			cli_error(o->trust[i], "%s", err.msg);
			goto fail;
		}
		for (k = 0; k < problems.n; k++)
			cli_warn(problems.items[k].origin.path,
				 "%s (ignored in the trust store)",
				 problems.items[k].err.msg);
		cs_itemlist_free(&problems);
	}
	if (o->n_trust) {
		cs_trust_set_source(t, CS_TRUST_FILES);
		if (o->system_trust) {
			if (cs_trust_add_system(t, &err) < 0) {
				cli_error(NULL, "system trust store: %s",
					  err.msg);
				goto fail;
			}
			cs_trust_set_source(t, CS_TRUST_FILES_AND_SYSTEM);
		}
		return t;
	}
	n = cs_trust_add_system(t, &err);
	if (n > 0) {
		cs_trust_set_source(t, CS_TRUST_SYSTEM);
		return t;
	}
	if (access(CS_BUNDLED_TRUST, R_OK) == 0)
		n = cs_trust_add_bundled(t, CS_BUNDLED_TRUST, &err);
	else
		n = cs_trust_add_bundled(t, CS_SOURCE_TRUST, &err);
	if (n < 0) {
		cli_error(NULL, "bundled trust store: %s", err.msg);
		goto fail;
	}
	cs_trust_set_source(t, CS_TRUST_BUNDLED);
	return t;
fail:
	cs_itemlist_free(&problems);
	cs_trust_free(t);
	return NULL;
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

/* Check one address.  Returns the exit code for it; *j gets its JSON
 * object when json is set, *sum its outcome. */
static int check_one(const struct connect_opts *o,
		     const struct cs_net_addr *a, const struct cs_deadline *dl,
		     const struct cs_trust *trust, json_t **j,
		     struct cs_connect_summary *sum)
{
	struct cs_net_result r;
	struct cs_verify_result vr;
	struct cs_verify_report_opts ro = {.color = false, .at = o->v.at};
	struct cs_ocsp_result ocsp;
	struct cs_connect_report cr;
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
	cs_report_connect_summarize_error(sum, a->text, "not checked");
	if (cs_net_handshake(&o->t, a, &o->net, dl, &r, &err) < 0) {
		/* the core's message starts with the address */
		if (o->net.trace && !o->json)
			(void)cs_report_trace_text(stdout, o->net.trace, NULL);
		fflush(stdout);
		cli_error(NULL, "%s", err.msg);
		cs_report_connect_summarize_error(sum, a->text, err.msg);
		if (o->json)
			obj = cs_report_connect_error_json(o->target, a->text,
							   err.msg,
							   o->net.trace);
		goto out;
	}
	if (o->save_chain && save_chain(o->save_chain, &r) < 0) {
		cs_report_connect_summarize_error(sum, a->text,
						  "cannot save the chain");
		goto out;
	}
	if (cs_verify_chain(&r.chain, NULL, trust, &o->v, &vr, &err) < 0) {
		cli_error(o->target, "cannot validate: %s", err.msg);
		cs_report_connect_summarize_error(sum, a->text, err.msg);
		goto out;
	}
	have_ocsp = r.ocsp_len > 0;
	if (have_ocsp && cs_ocsp_check_staple(r.ocsp, r.ocsp_len, o->v.at, &vr,
					      &ocsp, &err) < 0) {
		cli_error(o->target, "%s", err.msg);
		cs_report_connect_summarize_error(sum, a->text, err.msg);
		goto out;
	}
	rc = vr.trusted ? CS_EXIT_OK : CS_EXIT_FAIL;
	cs_report_connect_summarize(sum, &r, vr.trusted);
	cr = (struct cs_connect_report){
		.target = o->target, .starttls = o->t.starttls,
		.alpn_offered = o->net.alpn != NULL, .client = o->net.client,
		.net = &r, .vr = &vr, .ocsp = have_ocsp ? &ocsp : NULL,
		.ro = &ro, .trace = o->net.trace,
	};
	if (o->json) {
		obj = cs_report_connect_json(&cr);
		goto out;
	}
	if (cs_report_connect_text(stdout, &cr) < 0)
		rc = CS_EXIT_INPUT;
out:
	if (j)
		*j = obj;
	else
		json_decref(obj);
	cs_verify_result_free(&vr);
	cs_net_result_free(&r);
	cs_net_trace_clear(o->net.trace); /* shown: the next address's own */
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
	struct cs_connect_summary sums[CS_NET_MAX_ADDRS];
	struct cs_trust *trust = NULL;
	struct cs_net_client *client = NULL;
	struct cs_net_trace trace;
	struct cs_error err;
	json_t *arr = NULL, *one;
	size_t i, n_sums = 0;
	int rc, worst = CS_EXIT_OK;

	rc = parse_args(argc, argv, (cs_time_t)time(NULL), &o);
	if (rc >= 0)
		return rc;
	/* files before the network (phase order) */
	trust = load_trust(&o);
	if (!trust)
		return CS_EXIT_INPUT;
	if (o.client_cert && load_client(&o, &client) < 0) {
		cs_trust_free(trust);
		return CS_EXIT_INPUT;
	}
	o.net.client = client;
	dl.at_ms = mono_ms(NULL) + (int64_t)(o.timeout_s * 1000.0);
	cs_net_trace_init(&trace, &dl);
	o.net.trace = o.trace ? &trace : NULL;
	cs_error_clear(&err);
	if (cs_net_resolve(&o.t, o.dns_servers, &dl, o.net.trace, &al,
			   &err) < 0) {
		if (o.net.trace && !o.json)
			(void)cs_report_trace_text(stdout, &trace, NULL);
		fflush(stdout);
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
		cs_report_connect_comparison_text(stdout, sums, n_sums);
	if (o.json && arr)
		cs_report_connect_json_doc(stdout, o.target, arr,
					   o.all_addresses ? sums : NULL,
					   n_sums);
out:
	json_decref(arr);
	cs_net_trace_free(&trace);
	cs_net_addrlist_free(&al);
	cs_trust_free(trust);
	cs_net_client_free(client);
	return rc;
}
