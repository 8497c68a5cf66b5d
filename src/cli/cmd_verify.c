/*
 * cmd_verify.c - `certscope verify`: parse and check every option, load
 * the trust store, the untrusted pool and the CRLs once, then verify each
 * CERTFILE as its own input with its own verdict.  A directory is an
 * audit: each leaf found in the tree is an input of its own, with the
 * tree's CA certificates as its pool (path/tree.h).  Each verdict is
 * printed (or written into the JSON document) as soon as it is complete,
 * and freed.
 *
 * Exit code: the worst over all inputs: 2 (usage, unreadable input,
 * --write-chain refused or failed) > 1 (not trusted, a check failed) > 0.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/stat.h>

#include "cli.h"
#include "error.h"
#include "findings.h"
#include "input/load.h"
#include "online/online.h"
#include "opts.h"
#include "report/jstream.h"
#include "report/verify.h"
#include "path/tree.h"
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

static bool is_dir(const char *path)
{
	struct stat st;

	return strcmp(path, "-") != 0 && stat(path, &st) == 0 &&
	       S_ISDIR(st.st_mode);
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
	if (o->write_chain && is_dir(o->files[0]))
		return cli_usage("verify", "--write-chain takes a file, not "
				 "a directory (each leaf of a tree has a chain "
				 "of its own)");
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

/* One run: the results are printed (text) or written as elements of the
 * JSON document as each is complete, and freed. */
struct run {
	const struct verify_opts *o;
	const struct cs_load_opts *lo;
	const struct cs_trust *trust;
	const struct cs_verify_report_opts *ro;
	struct cs_jarray *json;    /* NULL: text */
	json_t *checked;           /* JSON: what every input was checked for */
	bool printed;              /* a text block is out */
	int rc;                    /* the worst so far */
	bool tree_any;             /* verify_tree: something was reported */
};

/* Print one input's result: res NULL for an input that could not be
 * checked (err says why).  name: the text header; file and item: the
 * JSON's "file" and "item" (0: null).  rc is the input's exit code. */
static void emit(struct run *r, const char *name, const char *file,
		 size_t item, const struct cs_verify_result *res,
		 const struct cs_error *err, int rc)
{
	if (r->json) {
		json_t *j = cs_report_verify_input_json(file, item, res, err,
							r->ro, r->checked);

		if (!j) {
			cli_error(name, "out of memory");
			rc = CS_EXIT_INPUT;
		}
		(void)cs_jarray_add(r->json, j); /* a failed write: main */
		json_decref(j);
	} else if (res) {
		if (r->printed)
			fputc('\n', stdout);
		r->printed = true;
		if (cs_report_verify_text(stdout, name, res, r->ro) < 0) {
			cli_error(NULL, "cannot write the report");
			rc = CS_EXIT_INPUT;
		}
	}
	r->rc = worst(r->rc, rc);
}

/* Verify the certificates of list (one input: a file, or a leaf of a
 * tree) with pool.  Returns the exit code; *res filled when it is not
 * CS_EXIT_INPUT, else *err says why.  What was fetched is kept in *ol
 * (initialised by the caller): res's path borrows from it, so the caller
 * frees it after res. */
static int verify_list(const struct run *r, const struct cs_itemlist *list,
		       const struct cs_itemlist *pool, struct cs_online *ol,
		       struct cs_verify_result *res, struct cs_error *err)
{
	const struct verify_opts *o = r->o;
	struct cs_online_opts oo = {.fetch_missing = o->va.fetch_missing,
				    .revocation = o->va.revocation,
				    .sources = o->va.rev_sources,
				    .cache_dir = cli_cache_dir(),
				    .now = o->now};
	struct cs_deadline dl = {.now_ms = cli_mono_ms};
	int rc = CS_EXIT_INPUT;

	/* the deadline of this input's fetches starts now */
	dl.at_ms = cli_mono_ms(NULL) + (int64_t)(o->timeout_s * 1000.0);
	if (cs_online_verify(list, pool, r->trust, &o->v, &oo, &dl, ol, res,
			     err) == 0)
		rc = res->trusted ? CS_EXIT_OK : CS_EXIT_FAIL;
	return rc;
}

/* Verify one CERTFILE (not a directory) as one input. */
static void verify_file(struct run *r, const char *file)
{
	const struct verify_opts *o = r->o;
	struct cs_itemlist input;
	struct cs_verify_result res;
	struct cs_online ol;
	struct cs_error err;
	bool have_res = false;
	int rc = CS_EXIT_INPUT;

	cs_online_init(&ol);
	cs_itemlist_init(&input);
	memset(&res, 0, sizeof(res));
	cs_error_clear(&err);
	if (cs_load_path(&input, file, r->lo, &err) < 0) {
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
	rc = verify_list(r, &input, &o->va.pool, &ol, &res, &err);
	if (rc == CS_EXIT_INPUT) {
		cli_error(file, "%s", err.msg);
		goto report;
	}
	have_res = true;
	if (o->write_chain && cli_write_chain(o->write_chain, &res) < 0)
		rc = CS_EXIT_INPUT;
report:
	emit(r, file, file, 0, have_res ? &res : NULL, &err, rc);
	cs_verify_result_free(&res);
	cs_online_free(&ol);
	cs_itemlist_free(&input);
}

/* A tree's item that cannot be read: named on stderr; one that does not
 * decode as a certificate is rejected (malformed-cert, as in a file),
 * any other (unreadable file, limit) is an input error. */
static int tree_bad(void *ctx, const struct cs_item *it, struct cs_error *e)
{
	struct run *r = ctx;
	struct cs_itemlist one = {.items = (struct cs_item *)it, .n = 1,
				  .cap = 1};
	struct cs_verify_result res;
	char *name = cs_tree_leaf_name(it, it->origin.index > 1);
	int rc = CS_EXIT_FAIL;

	(void)e;
	r->tree_any = true;
	cli_error(it->origin.path, "%s", it->err.msg);
	memset(&res, 0, sizeof(res));
	if (it->err.code != CS_E_PARSE) {
		rc = CS_EXIT_INPUT;
	} else if (malformed_result(&one, &res) < 0) {
		cli_error(it->origin.path, "out of memory");
		rc = CS_EXIT_INPUT;
	}
	emit(r, name ? name : it->origin.path, it->origin.path,
	     it->origin.index, rc == CS_EXIT_FAIL ? &res : NULL, &it->err,
	     rc);
	cs_verify_result_free(&res);
	free(name);
	return 0;
}

/* One leaf of a tree, with the tree's issuers (and --untrusted) as its
 * pool: its own verdict. */
static int tree_leaf(void *ctx, const struct cs_item *leaf, bool several,
		     const struct cs_itemlist *pool, struct cs_error *e)
{
	struct run *r = ctx;
	struct cs_itemlist one = {.items = (struct cs_item *)leaf, .n = 1,
				  .cap = 1, .files_read = 1};
	struct cs_verify_result res;
	struct cs_online ol;
	struct cs_error err;
	char *name = cs_tree_leaf_name(leaf, several);
	int rc;

	(void)e;
	r->tree_any = true;
	memset(&res, 0, sizeof(res));
	cs_error_clear(&err);
	cs_online_init(&ol);
	rc = verify_list(r, &one, pool, &ol, &res, &err);
	if (rc == CS_EXIT_INPUT)
		cli_error(name ? name : leaf->origin.path, "%s", err.msg);
	emit(r, name ? name : leaf->origin.path, leaf->origin.path,
	     leaf->origin.index, rc == CS_EXIT_INPUT ? NULL : &res, &err,
	     rc);
	cs_verify_result_free(&res);
	cs_online_free(&ol);
	free(name);
	return 0;
}

/* verify DIR: an audit, each leaf of the tree verified on its own with
 * the tree's CA certificates as the pool, a verdict each (path/tree.h). */
static void verify_tree(struct run *r, const char *dir)
{
	static const struct cs_tree_fns fns = {tree_bad, tree_leaf};
	struct cs_tree_stats st;
	struct cs_error err;

	r->tree_any = false;
	cs_error_clear(&err);
	if (cs_tree_leaves(dir, r->lo, &r->o->va.pool, &fns, r, &st,
			   &err) < 0) {
		cli_error(dir, "%s", err.msg);
		emit(r, dir, dir, 0, NULL, &err, CS_EXIT_INPUT);
	} else if (!r->tree_any) {
		cs_error_setx(&err, CS_E_EMPTY, "the input holds no readable "
			      "certificate");
		cli_error(dir, "%s", err.msg);
		emit(r, dir, dir, 0, NULL, &err, CS_EXIT_INPUT);
	}
}

/* see cli.h */
int cmd_verify(int argc, char **argv)
{
	struct verify_opts o;
	struct cs_load_opts lo;
	struct cs_verify_report_opts ro;
	struct cs_trust *trust = NULL;
	struct cs_jarray jinputs;
	struct run r;
	char *password = NULL;
	bool pw_failed = false;
	cs_time_t now = (cs_time_t)time(NULL); /* the one clock read */
	int rc;
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
	memset(&r, 0, sizeof(r));
	r.o = &o;
	r.lo = &lo;
	r.trust = trust;
	r.ro = &ro;
	r.rc = CS_EXIT_OK;
	if (o.json) {
		cs_jarray_init(&jinputs, stdout, NULL, NULL);
		r.json = &jinputs;
		r.checked = cs_report_checked_json(&o.v, NULL, trust);
		if (!r.checked) {
			cli_error(NULL, "out of memory");
			goto out;
		}
		(void)cs_jstream_begin(stdout, "inputs");
	}
	for (i = 0; i < o.n_files; i++) {
		if (is_dir(o.files[i]))
			verify_tree(&r, o.files[i]);
		else
			verify_file(&r, o.files[i]);
	}
	/* a write that failed is main's to report (check_output); an
	 * element jansson could not dump (out of memory) is ours */
	if (o.json && cs_jstream_next(stdout, &jinputs, NULL) < 0 &&
	    !ferror(stdout)) {
		cli_error(NULL, "cannot write the JSON document");
		r.rc = CS_EXIT_INPUT;
	}
	rc = r.rc;
	json_decref(r.checked);
out:
	cli_verify_late_problems(trust);
	cs_trust_free(trust);
	free(password);
	cli_verify_free(&o.va);
	return rc;
}
