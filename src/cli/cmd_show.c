/*
 * cmd_show.c - `certscope show`: every certificate and CRL of the inputs,
 * as text, one JSON document, or PEM.
 *
 * Each input is loaded on its own; an error item (or a file that cannot
 * be read) is reported on stderr naming the file, the item and what is
 * wrong, and the other items and files are still shown.  Exit 0 when
 * everything was read, 2 otherwise.
 */
#include "cli.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "error.h"
#include "input/load.h"
#include "opts.h"
#include "x509/model.h"
#include "report/show.h"

struct show_opts {
	bool json, pem;
	struct cs_report_opts r;
	const char *password_file;
};

static int set_option(void *ctx, int id, const char *arg)
{
	struct show_opts *o = ctx;
	struct cs_error err;

	switch (id) {
	case OPT_JSON:
		o->json = true;
		return -1;
	case OPT_PEM:
		o->pem = true;
		return -1;
	case OPT_LONG:
		o->r.long_view = true;
		return -1;
	case OPT_PASSWORD_FILE:
		o->password_file = arg;
		return -1;
	case OPT_AT:
		cs_error_clear(&err);
		if (cs_time_parse(arg, o->r.now, &o->r.now, &err) < 0)
			return cli_usage("show", "--at: %s", err.msg);
		return -1;
	default:
		return cli_usage("show", "option %d not handled", id);
	}
}

/* Parse argv into *o, then check every conflict, before any work.
 * Returns -1 with *first the first input, else the exit code. */
static int parse_args(int argc, char **argv, struct show_opts *o,
		      int *first)
{
	int rc = cli_parse(cli_command_by_bit(CLI_CMD_SHOW), argc, argv,
			   set_option, o, first);

	if (rc >= 0)
		return rc;
	if (o->json && o->pem)
		return cli_usage("show", "--json and --pem exclude each other");
	if (*first >= argc)
		return cli_usage("show", "no input: give a FILE, a DIR or - "
				 "for standard input");
	return -1;
}

/* "item 2 (line 23): msg" or the bare message for whole-file errors.
 * Most loader messages already name their PEM line; a model failure
 * does not, so the line is added when the message lacks it. */
static void report_error(const struct cs_item *it)
{
	if (it->origin.index == 0)
		cli_error(it->origin.path, "%s", it->err.msg);
	else if (it->origin.line > 0 && strstr(it->err.msg, "line") == NULL)
		cli_error(it->origin.path, "item %zu (line %zu): %s",
			  it->origin.index, it->origin.line, it->err.msg);
	else
		cli_error(it->origin.path, "item %zu: %s", it->origin.index,
			  it->err.msg);
}

struct run {
	const struct show_opts *o;
	json_t *certs, *crls, *errors; /* JSON mode */
	size_t shown;
	int rc;
};

static void add_json(struct run *r, json_t *arr, json_t *v)
{
	if (v == NULL || json_array_append_new(arr, v) < 0) {
		cli_error(NULL, "out of memory");
		r->rc = CS_EXIT_INPUT;
	}
}

/* A certificate whose model cannot be built is an error for that item. */
static void model_error(struct run *r, const struct cs_item *it,
			const struct cs_error *err)
{
	struct cs_item e = *it;

	e.kind = CS_ITEM_ERROR;
	e.err = *err;
	report_error(&e);
	r->rc = CS_EXIT_INPUT;
	if (r->o->json)
		add_json(r, r->errors, cs_report_error_json(&e));
}

static void show_item(struct run *r, const struct cs_item *it)
{
	const struct show_opts *o = r->o;
	struct cs_cert_model m;
	struct cs_error err;
	int w = 0;

	switch (it->kind) {
	case CS_ITEM_ERROR:
		report_error(it);
		r->rc = CS_EXIT_INPUT;
		if (o->json)
			add_json(r, r->errors, cs_report_error_json(it));
		return;
	case CS_ITEM_CRL:
		if (o->pem)
			w = cs_report_pem(stdout, it);
		else if (o->json)
			add_json(r, r->crls, cs_report_crl_json(it, &o->r));
		else
			w = (r->shown++ ? fputc('\n', stdout) : 0) == EOF ?
			    -1 : cs_report_crl_text(stdout, it, &o->r);
		break;
	case CS_ITEM_CERT:
		if (o->pem) {
			w = cs_report_pem(stdout, it);
			break;
		}
		memset(&m, 0, sizeof(m));
		if (cs_report_cert_model(&m, it, &o->r, o->json, &err) < 0) {
			cs_model_free(&m);
			model_error(r, it, &err);
			return;
		}
		if (o->json)
			add_json(r, r->certs, cs_report_cert_json(it, &m,
								  &o->r));
		else
			w = (r->shown++ ? fputc('\n', stdout) : 0) == EOF ?
			    -1 : cs_report_cert_text(stdout, it, &m, &o->r);
		cs_model_free(&m);
		break;
	}
	(void)w; /* a failed write sets stdout's error flag: main reports it */
}

/* English plural suffix for a count in a note. */
static const char *plural(size_t n)
{
	return n == 1 ? "" : "s";
}

static void show_path(struct run *r, const char *path,
		      const struct cs_load_opts *lo)
{
	struct cs_itemlist list;
	struct cs_error err;
	size_t ncert, ncrl, nerr;

	cs_itemlist_init(&list);
	if (cs_load_path(&list, path, lo, &err) < 0) {
		/* Whole-file failure (unreadable, too big): still report the
		 * items already loaded from a directory before it. */
		cli_error(path, "%s", err.msg);
		r->rc = CS_EXIT_INPUT;
		if (r->o->json) {
			struct cs_item e;

			memset(&e, 0, sizeof(e));
			e.kind = CS_ITEM_ERROR;
			e.origin.path = (char *)path;
			e.err = err;
			add_json(r, r->errors, cs_report_error_json(&e));
		}
	}
	for (size_t i = 0; i < list.n; i++)
		show_item(r, &list.items[i]);
	if (list.n == 0 && r->rc != CS_EXIT_INPUT) {
		/* a tree with nothing in it, as an empty file is an error */
		struct cs_item e;

		memset(&e, 0, sizeof(e));
		e.kind = CS_ITEM_ERROR;
		e.origin.path = (char *)path;
		cs_error_setx(&e.err, CS_E_EMPTY, "no certificate found in "
			      "this directory (%zu file%s skipped)",
			      list.files_skipped, plural(list.files_skipped));
		show_item(r, &e);
	}
	ncert = cs_itemlist_count(&list, CS_ITEM_CERT);
	ncrl = cs_itemlist_count(&list, CS_ITEM_CRL);
	nerr = cs_itemlist_count(&list, CS_ITEM_ERROR);
	cli_note("%s: %zu certificate%s, %zu CRL%s, %zu error%s from %zu "
		 "file%s; %zu file%s without certificates skipped", path,
		 ncert, plural(ncert), ncrl, plural(ncrl), nerr, plural(nerr),
		 list.files_read, plural(list.files_read), list.files_skipped,
		 plural(list.files_skipped));
	cs_itemlist_free(&list);
}

int cmd_show(int argc, char **argv)
{
	struct show_opts o;
	struct cs_load_opts lo;
	struct run r;
	char *password = NULL;
	bool pw_failed = false;
	int rc, first;

	memset(&o, 0, sizeof(o));
	memset(&lo, 0, sizeof(lo));
	memset(&r, 0, sizeof(r));
	o.r.now = (cs_time_t)time(NULL); /* the one clock read */
	rc = parse_args(argc, argv, &o, &first);
	if (rc >= 0)
		return rc;
	o.r.color = !o.json && !o.pem && cli_use_color(stdout);
	password = cli_read_password(o.password_file, &pw_failed);
	if (pw_failed)
		return CS_EXIT_INPUT;
	lo.password = password;
	lo.defer_import = true;

	r.o = &o;
	r.rc = CS_EXIT_OK;
	if (o.json) {
		r.certs = json_array();
		r.crls = json_array();
		r.errors = json_array();
		if (!r.certs || !r.crls || !r.errors) {
			cli_error(NULL, "out of memory");
			r.rc = CS_EXIT_INPUT;
			goto out;
		}
	}
	for (int i = first; i < argc; i++)
		show_path(&r, argv[i], &lo);
	if (o.json) {
		json_t *doc = json_pack("{s:O,s:O,s:O}", "certificates",
					r.certs, "crls", r.crls, "errors",
					r.errors);

		if (doc == NULL) {
			cli_error(NULL, "out of memory");
			r.rc = CS_EXIT_INPUT;
		} else if (json_dumpf(doc, stdout, JSON_INDENT(2) |
				      JSON_PRESERVE_ORDER |
				      JSON_ENSURE_ASCII) == 0) {
			fputc('\n', stdout);
		}
		json_decref(doc);
	}
	/* a failed write sets stdout's error flag: main reports it, once,
	 * with the reason (check_output) */
out:
	json_decref(r.certs);
	json_decref(r.crls);
	json_decref(r.errors);
	if (password) {
		memset(password, 0, strlen(password));
		free(password);
	}
	return r.rc;
}
