/*
 * cmd_verify.c - `certscope verify`: parse and check every option, load
 * the trust store, the untrusted pool and the CRLs once, then verify each
 * CERTFILE as its own input with its own verdict.
 *
 * Exit code: the worst over all inputs: 2 (usage, unreadable input,
 * --write-chain refused or failed) > 1 (not trusted, a check failed) > 0.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "error.h"
#include "findings.h"
#include "input/load.h"
#include "online/online.h"
#include "opts.h"
#include "report/verify.h"
#include "path/trust.h"
#include "path/verify.h"
#include "verifyopts.h"

#define VERIFY_DEFAULT_TIMEOUT_S 10

struct verify_opts {
	struct cli_verify_args va; /* the verify options */
	struct cs_verify_opts v;   /* host/email/purpose_oid borrowed */
	cs_time_t now;
	bool json;
	const char *password_file;
	const char *write_chain;   /* --write-chain FILE, or NULL */
	double timeout_s;          /* --timeout: each CERTFILE's fetches */
	char **files;              /* CERTFILEs, borrowed from argv */
	size_t n_files;
};

static int set_option(void *ctx, int id, const char *arg)
{
	struct verify_opts *o = ctx;
	int rc = cli_verify_option("verify", id, arg, o->now, &o->va, &o->v);

	if (rc != -2)
		return rc;
	switch (id) {
	case OPT_JSON:
		o->json = true;
		return -1;
	case OPT_PASSWORD_FILE:
		o->password_file = arg;
		return -1;
	case OPT_WRITE_CHAIN:
		o->write_chain = arg;
		return -1;
	case OPT_TIMEOUT:
		return cli_parse_timeout("verify", arg, &o->timeout_s);
	default:
		return cli_usage("verify", "option %d not handled", id);
	}
}

/* Parse argv into *o, then check every conflict, before any work.
 * Returns -1 to go on, else the exit code to return now. */
static int parse_args(int argc, char **argv, cs_time_t now,
		      struct verify_opts *o)
{
	int first, rc;

	cli_verify_init(&o->va, &o->v, now);
	o->now = now;
	o->timeout_s = VERIFY_DEFAULT_TIMEOUT_S;
	rc = cli_parse(cli_command_by_bit(CLI_CMD_VERIFY), argc, argv,
		       set_option, o, &first);
	if (rc >= 0)
		return rc;
	if (first >= argc)
		return cli_usage("verify", "no CERTFILE given");
	cli_verify_check(&o->va);
	o->files = argv + first;
	o->n_files = (size_t)(argc - first);
	if (o->write_chain && o->n_files != 1)
		return cli_usage("verify", "--write-chain takes one CERTFILE, "
				 "not %zu", o->n_files);
	return -1;
}

static int worst(int a, int b)
{
	return a > b ? a : b;
}

/* True when every error item of list is a certificate that failed to
 * decode (CS_E_PARSE) and there is at least one: unreadable files,
 * passwords, limits and inputs without any certificate stay input
 * errors (exit 2). */
static bool malformed_only(const struct cs_itemlist *list)
{
	size_t n = 0;

	for (size_t i = 0; i < list->n; i++) {
		if (list->items[i].kind != CS_ITEM_ERROR)
			continue;
		if (list->items[i].err.code != CS_E_PARSE)
			return false;
		n++;
	}
	return n > 0;
}

/* A result with one malformed-cert finding per undecodable item. */
static int malformed_result(const struct cs_itemlist *list,
			    struct cs_verify_result *res)
{
	const struct cs_finding_def *def = cs_finding_lookup("malformed-cert");
	size_t n = 0;

	memset(res, 0, sizeof(*res));
	for (size_t i = 0; i < list->n; i++)
		n += list->items[i].kind == CS_ITEM_ERROR;
	res->findings = calloc(n, sizeof(*res->findings));
	if (res->findings == NULL || def == NULL)
		return -1;
	for (size_t i = 0; i < list->n; i++) {
		const struct cs_item *it = &list->items[i];
		struct cs_finding *f = &res->findings[res->n_findings];
		char msg[sizeof(it->err.msg) + 64];

		if (it->kind != CS_ITEM_ERROR)
			continue;
		snprintf(msg, sizeof(msg), "Item %zu of the file cannot be "
			 "decoded as a certificate: %s", it->origin.index,
			 it->err.msg);
		f->code = def->code;
		f->severity = def->severity;
		f->cert = -1;
		f->message = strdup(msg);
		f->fix = strdup("Re-export the certificate from its source "
				"as DER or PEM; a certificate that does not "
				"decode cannot be trusted.");
		res->n_findings++;
		if (f->message == NULL || f->fix == NULL)
			return -1;
	}
	res->trusted = false;
	return 0;
}

/* Verify one CERTFILE; returns its exit code.  Adds its JSON object to
 * jinputs when that is non-NULL, else prints text. */
static int verify_one(const char *file, const struct verify_opts *o,
		      const struct cs_load_opts *lo,
		      const struct cs_itemlist *pool,
		      const struct cs_trust *trust,
		      const struct cs_verify_report_opts *ro, json_t *jinputs,
		      bool first)
{
	struct cs_itemlist input;
	struct cs_verify_result res;
	struct cs_online ol;
	struct cs_online_opts oo = {.fetch_missing = o->va.fetch_missing,
				    .revocation = o->va.revocation,
				    .sources = o->va.rev_sources,
				    .cache_dir = cli_cache_dir(),
				    .now = o->now};
	struct cs_deadline dl = {.now_ms = cli_mono_ms};
	struct cs_error err;
	bool have_res = false;
	int rc = CS_EXIT_INPUT;

	cs_online_init(&ol);
	cs_itemlist_init(&input);
	memset(&res, 0, sizeof(res));
	cs_error_clear(&err);
	if (cs_load_path(&input, file, lo, &err) < 0) {
		cli_error(file, "%s", err.msg);
		goto report;
	}
	if (malformed_only(&input)) {
		/* Bytes we could read that do not decode as a certificate:
		 * a verdict (rejected), not an input error.  A verifier
		 * that cannot parse a certificate must not trust it. */
		cli_print_errors(&input);
		if (malformed_result(&input, &res) < 0) {
			cli_error(file, "out of memory");
			goto report;
		}
		have_res = true;
		rc = CS_EXIT_FAIL;
		goto report;
	}
	if (cli_print_errors(&input) > 0) {
		/* one bad item makes this input unverifiable: a partial chain
		 * would give a misleading verdict */
		snprintf(err.msg, sizeof(err.msg), "%s",
			 "the file holds items that cannot be read");
		for (size_t i = 0; i < input.n; i++)
			if (input.items[i].kind == CS_ITEM_ERROR) {
				err = input.items[i].err;
				break;
			}
		goto report;
	}
	/* the deadline of this CERTFILE's fetches starts now */
	dl.at_ms = cli_mono_ms(NULL) + (int64_t)(o->timeout_s * 1000.0);
	if (cs_online_verify(&input, pool, trust, &o->v, &oo, &dl, &ol, &res,
			     &err) < 0) {
		cli_error(file, "%s", err.msg);
		goto report;
	}
	have_res = true;
	rc = res.trusted ? CS_EXIT_OK : CS_EXIT_FAIL;
	if (o->write_chain && cli_write_chain(o->write_chain, &res) < 0)
		rc = CS_EXIT_INPUT;
report:
	if (jinputs) {
		json_t *j = cs_report_verify_json(file, have_res ? &res : NULL,
						  &err, ro);
		if (!j || json_array_append_new(jinputs, j) < 0) {
			cli_error(file, "out of memory");
			rc = CS_EXIT_INPUT;
		}
	} else if (have_res) {
		if (!first)
			fputc('\n', stdout);
		if (cs_report_verify_text(stdout, file, &res, ro) < 0) {
			cli_error(NULL, "cannot write the report");
			rc = CS_EXIT_INPUT;
		}
	}
	cs_verify_result_free(&res);
	cs_online_free(&ol);
	cs_itemlist_free(&input);
	return rc;
}

/* see cli.h */
int cmd_verify(int argc, char **argv)
{
	struct verify_opts o;
	struct cs_load_opts lo;
	struct cs_verify_report_opts ro;
	struct cs_trust *trust = NULL;
	json_t *jinputs = NULL;
	char *password = NULL;
	bool pw_failed = false, printed = false;
	cs_time_t now = (cs_time_t)time(NULL); /* the one clock read */
	int rc, r;
	size_t i;

	memset(&o, 0, sizeof(o));
	memset(&lo, 0, sizeof(lo));
	rc = parse_args(argc, argv, now, &o);
	if (rc >= 0)
		goto out;
	rc = CS_EXIT_INPUT;

	password = cli_read_password(o.password_file, &pw_failed);
	if (pw_failed)
		goto out;
	lo.password = password;

	trust = cli_verify_load(&o.va, &o.v, &lo);
	if (!trust)
		goto out;

	ro.color = !o.json && cli_use_color(stdout);
	ro.at = o.v.at;
	if (o.json) {
		jinputs = json_array();
		if (!jinputs) {
			cli_error(NULL, "out of memory");
			goto out;
		}
	}
	rc = CS_EXIT_OK;
	for (i = 0; i < o.n_files; i++) {
		r = verify_one(o.files[i], &o, &lo, &o.va.pool, trust, &ro,
			       jinputs, !printed);
		if (r != CS_EXIT_INPUT)
			printed = true;
		rc = worst(rc, r);
	}
	/* a write that failed is main's to report (check_output) */
	if (jinputs)
		(void)cs_report_verify_json_doc(stdout, jinputs);
out:
	json_decref(jinputs);
	cli_verify_late_problems(trust);
	cs_trust_free(trust);
	free(password);
	cli_verify_free(&o.va);
	return rc;
}
