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

#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "input/load.h"
#include "x509/model.h"
#include "report/show.h"

enum {
	OPT_JSON = 256, OPT_PEM, OPT_LONG, OPT_PASSWORD_FILE, OPT_AT,
	OPT_COLOR,
};

static const struct option long_opts[] = {
	{"json", no_argument, NULL, OPT_JSON},
	{"pem", no_argument, NULL, OPT_PEM},
	{"long", no_argument, NULL, OPT_LONG},
	{"password-file", required_argument, NULL, OPT_PASSWORD_FILE},
	{"at", required_argument, NULL, OPT_AT},
	{"color", optional_argument, NULL, OPT_COLOR},
	{"verbose", no_argument, NULL, 'v'},
	{"help", no_argument, NULL, 'h'},
	{NULL, 0, NULL, 0},
};

static void usage(FILE *out)
{
	fputs("Usage: certscope show [OPTIONS] FILE|DIR|- ...\n"
	      "\n"
	      "Show every certificate and CRL in PEM, DER, PKCS#7 and PKCS#12\n"
	      "inputs: files, directory trees (searched recursively) or - for\n"
	      "standard input.  Formats are detected by content.\n"
	      "\n"
	      "Options:\n"
	      "  --long                every extension decoded, the\n"
	      "                        SHA-1 fingerprint, the SPKI pin\n"
	      "  --json                one JSON document for the run\n"
	      "  --pem                 every certificate and CRL as PEM\n"
	      "  --password-file FILE  PKCS#12 password (else the\n"
	      "                        CERTSCOPE_PASSWORD variable)\n"
	      "  --at TIME             \"expires in\" from TIME, not now\n"
	      "  --color[=WHEN]        auto (default), always or never\n"
	      "  -v, --verbose         files read and skipped, on stderr\n"
	      "  -h, --help            show this help\n"
	      "\n"
	      "Exit codes: 0 every input read, 2 some input unreadable or\n"
	      "malformed (the rest is still shown) or a usage error.\n",
	      out);
}

struct show_opts {
	bool json, pem;
	struct cs_report_opts r;
	const char *password_file;
};

static int parse_args(int argc, char **argv, struct show_opts *o)
{
	struct cs_error err;
	int c;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":vh", long_opts, NULL)) != -1) {
		switch (c) {
		case OPT_JSON:
			o->json = true;
			break;
		case OPT_PEM:
			o->pem = true;
			break;
		case OPT_LONG:
			o->r.long_view = true;
			break;
		case OPT_PASSWORD_FILE:
			o->password_file = optarg;
			break;
		case OPT_AT:
			if (cs_time_parse(optarg, o->r.now, &o->r.now,
					  &err) < 0)
				return cli_usage("show", "--at: %s", err.msg);
			break;
		case OPT_COLOR:
			if (cli_parse_color(optarg) < 0)
				return cli_usage("show", "--color takes auto, "
						 "always or never, not '%s'",
						 optarg);
			break;
		case 'v':
			cli_g.verbose++;
			break;
		case 'h':
			usage(stdout);
			return CS_EXIT_OK;
		case ':':
			return cli_usage("show", "option '%s' needs a value",
					 argv[optind - 1]);
		case '?':
		default:
			if (optopt)
				return cli_usage("show", "unknown option '-%c'",
						 optopt);
			return cli_usage("show", "unknown option '%s'",
					 argv[optind - 1]);
		}
	}
	if (o->json && o->pem)
		return cli_usage("show", "--json and --pem exclude each other");
	if (optind >= argc)
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
	bool write_failed;
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
		if (cs_model_from_crt(&m, it->crt, it->der, it->der_len,
				      &err) < 0) {
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
	if (w < 0)
		r->write_failed = true;
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
	int rc;

	memset(&o, 0, sizeof(o));
	memset(&lo, 0, sizeof(lo));
	memset(&r, 0, sizeof(r));
	o.r.now = (cs_time_t)time(NULL); /* the one clock read */
	rc = parse_args(argc, argv, &o);
	if (rc >= 0)
		return rc;
	o.r.color = !o.json && !o.pem && cli_use_color(stdout);
	password = cli_read_password(o.password_file, &pw_failed);
	if (pw_failed)
		return CS_EXIT_INPUT;
	lo.password = password;

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
	for (int i = optind; i < argc; i++)
		show_path(&r, argv[i], &lo);
	if (o.json) {
		json_t *doc = json_pack("{s:O,s:O,s:O}", "certificates",
					r.certs, "crls", r.crls, "errors",
					r.errors);

		if (doc == NULL ||
		    json_dumpf(doc, stdout, JSON_INDENT(2) |
			       JSON_PRESERVE_ORDER | JSON_ENSURE_ASCII) < 0 ||
		    fputc('\n', stdout) == EOF)
			r.write_failed = true;
		json_decref(doc);
	}
	if (fflush(stdout) == EOF || ferror(stdout))
		r.write_failed = true;
	if (r.write_failed) {
		cli_error(NULL, "cannot write the output");
		r.rc = CS_EXIT_INPUT;
	}
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
