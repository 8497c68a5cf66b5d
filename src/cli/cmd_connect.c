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
#include "online/online.h"
#include "opts.h"
#include "path/ocsp.h"
#include "report/connect.h"
#include "report/trace.h"
#include "report/verify.h"
#include "path/trust.h"
#include "path/verify.h"
#include "verifyopts.h"

#define CONNECT_DEFAULT_TIMEOUT_S 10

struct connect_opts {
	const char *target;
	struct cs_net_target t;
	struct cs_net_opts net;
	double timeout_s;
	bool all_addresses;
	const char *dns_servers;   /* NULL: the system's resolver */
	const char *address;       /* --address: connect there, or NULL */
	const char *client_cert, *client_key, *password_file;
	const char *save_chain;
	const char *write_chain;   /* --write-chain FILE, or NULL */
	bool json;
	bool trace;                /* --trace */
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
	case OPT_ADDRESS:
		o->address = arg;
		return -1;
	case OPT_STARTTLS:
		if (cs_starttls_lookup(arg, &o->st) < 0)
			return cli_usage("connect", "unknown STARTTLS protocol "
					 "'%s'", arg);
		o->st_given = true;
		return -1;
	case OPT_TIMEOUT:
		return cli_parse_timeout("connect", arg, &o->timeout_s);
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
	case OPT_TRACE:
		o->trace = true;
		return -1;
	case OPT_WRITE_CHAIN:
		o->write_chain = arg;
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
	if (o->write_chain && o->all_addresses)
		return cli_usage("connect", "--write-chain excludes "
				 "--all-addresses");
	if (o->address) {
		struct cs_net_target at;
		if (cs_net_parse_target(o->address, &at, &err) < 0 ||
		    at.port_given || at.starttls != CS_STARTTLS_NONE)
			return cli_usage("connect", "--address takes an address "
					 "or a host name, without a port "
					 "(HOST[:PORT] gives the port)");
	}
	cli_verify_check(&o->va);
	/* one name, sent and checked (net.h): --host, --sni, HOST's name;
	 * with an address alone, the address is checked (its IP SANs) */
	cs_net_names(&o->t, o->va.host_given ? o->v.host : NULL, o->net.sni,
		     o->net.no_sni, &o->v.host, &o->net.sni);
	o->net.no_sni = o->net.sni == NULL;
	o->net.name = o->v.host;
	if (!o->v.host)
		o->v.host = o->t.host;
	o->net.ocsp = true; /* always ask: it costs nothing; shown when sent */
	return -1;
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
		     struct cs_connect_summary *sum, bool *write_failed,
		     char *defer, size_t defersz)
{
	struct cs_net_result r;
	struct cs_verify_result vr;
	struct cs_verify_report_opts ro = {.color = false, .at = o->v.at};
	struct cs_ocsp_result ocsp;
	struct cs_online ol;
	struct cs_online_opts oo = {.fetch_missing = o->va.fetch_missing,
				    .dns_servers = o->dns_servers,
				    .revocation = o->va.revocation,
				    .sources = o->va.rev_sources,
				    .cache_dir = cli_cache_dir(),
				    .now = o->now};
	struct cs_connect_report cr;
	struct cs_error err;
	int rc = CS_EXIT_INPUT;
	json_t *obj = NULL;
	bool have_ocsp = false;

	cs_error_clear(&err);
	cs_online_init(&ol);
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
		/* without --all-addresses, said once the other addresses
		 * were tried: a note if one of them answers */
		if (defer)
			snprintf(defer, defersz, "%s", err.msg);
		else
			cli_error(NULL, "%s", err.msg);
		cs_report_connect_summarize_error(sum, a->text, err.msg);
		if (o->json)
			obj = cs_report_connect_error_json(o->target, a->text,
							   err.msg,
							   o->net.trace);
		goto out;
	}
	/* the server's chain arrived before it ended the connection for
	 * want of a client certificate: shown and validated, and said */
	if (r.client_cert_required)
		cli_warn(NULL, "%s", r.client_cert_refusal);
	if (o->save_chain && save_chain(o->save_chain, &r) < 0) {
		cs_report_connect_summarize_error(sum, a->text,
						  "cannot save the chain");
		goto out;
	}
	/* the chain as sent, with --untrusted as the pool (an intermediate
	 * the server fails to send, given by hand) */
	if (cs_online_verify(&r.chain, o->va.n_untrusted ? &o->va.pool : NULL,
			     trust, &o->v, &oo, dl, &ol, &vr, &err) < 0) {
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
	/* a refusal is the run's exit code, not a reason to try the next
	 * address */
	if (o->write_chain && cli_write_chain(o->write_chain, &vr) < 0)
		*write_failed = true;
	cs_report_connect_summarize(sum, &r, vr.trusted);
	cr = (struct cs_connect_report){
		.target = o->target, .starttls = o->t.starttls,
		.alpn_offered = o->net.alpn != NULL, .client = o->net.client,
		.net = &r, .vr = &vr, .ocsp = have_ocsp ? &ocsp : NULL,
		.ro = &ro, .trace = o->net.trace, .vo = &o->v,
		.trust = trust,
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
	cs_online_free(&ol);
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
	struct cs_net_target rt; /* what is resolved: HOST or --address */
	struct cs_connect_summary sums[CS_NET_MAX_ADDRS];
	char deferred[CS_NET_MAX_ADDRS][sizeof(((struct cs_error *)0)->msg)];
	struct cs_trust *trust = NULL;
	struct cs_net_client *client = NULL;
	struct cs_net_trace trace;
	struct cs_load_opts lo;
	struct cs_error err;
	json_t *arr = NULL, *one;
	size_t i, n_sums = 0;
	int rc, worst = CS_EXIT_OK;
	bool write_failed = false;

	memset(&lo, 0, sizeof(lo));
	cs_net_trace_init(&trace, &dl);
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
	o.net.trace = o.trace ? &trace : NULL;
	cs_error_clear(&err);
	rt = o.t;
	if (o.address && cs_net_parse_target(o.address, &rt, &err) == 0) {
		/* --address: where to connect; HOST stays the name */
		rt.port = o.t.port;
		rt.starttls = o.t.starttls;
	}
	if (cs_net_resolve(&rt, o.dns_servers, &dl, o.net.trace, &al,
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
		deferred[i][0] = '\0';
		rc = check_one(&o, &al.v[i], &dl, trust, o.json ? &one : NULL,
			       &sums[n_sums++], &write_failed,
			       o.all_addresses ? NULL : deferred[i],
			       sizeof(deferred[i]));
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
	/* an address that failed while another answered is a note (-v);
	 * when none answered, every failure is an error */
	for (size_t k = 0; k < n_sums; k++) {
		if (!deferred[k][0])
			continue;
		if (worst == CS_EXIT_INPUT)
			cli_error(NULL, "%s", deferred[k]);
		else
			cli_note("%s (another address answered)", deferred[k]);
	}
	rc = worst;
	if (write_failed)
		rc = CS_EXIT_INPUT;
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
	cli_verify_late_problems(trust);
	cs_trust_free(trust);
	cs_net_client_free(client);
	cli_verify_free(&o.va);
	return rc;
}
