/*
 * cmd_show.c - `certscope show`: every certificate and CRL of the inputs,
 * as text, one JSON document, or PEM.
 *
 * Each input is loaded on its own; an error item (or a file that cannot
 * be read) is reported on stderr naming the file, the item and what is
 * wrong, and the other items and files are still shown.  Exit 0 when
 * everything was read, 2 otherwise.
 *
 * A directory is read a file at a time (cs_load_each) and each item is
 * printed, or written into the JSON document (report/jstream.h), as soon
 * as it is read, then freed: memory does not grow with the tree.
 */
#include "cli.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/stat.h>

#include "error.h"
#include "input/load.h"
#include "opts.h"
#include "x509/model.h"
#include "report/jstream.h"
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

/* Where a JSON array waits until its place in the document: a temporary
 * file, else memory (no writable temporary directory). */
struct spool {
	FILE *f;
	char *mem;
	size_t memlen;
};

static int spool_open(struct spool *s, struct cs_jarray *a)
{
	memset(s, 0, sizeof(*s));
	s->f = tmpfile();
	if (s->f) {
		cs_jarray_init(a, s->f, NULL, NULL);
		return 0;
	}
	s->f = open_memstream(&s->mem, &s->memlen);
	if (!s->f)
		return -1;
	cs_jarray_init(a, s->f, &s->mem, &s->memlen);
	return 0;
}

static void spool_close(struct spool *s)
{
	if (s->f)
		fclose(s->f);
	free(s->mem);
}

/* The JSON document is written as the items come: the certificates
 * straight to stdout, the CRLs and errors into spools copied after
 * them, so memory does not grow with the number of inputs. */
struct run {
	const struct show_opts *o;
	struct cs_jarray certs, crls, errors; /* JSON mode */
	struct spool crl_spool, err_spool;
	size_t shown;
	int rc;
	/* the current path's counts, for the note */
	size_t n, ncert, ncrl, nerr, files_read, files_skipped;
};

/* Write one element (taken) of a JSON array. */
static void add_json(struct run *r, struct cs_jarray *arr, json_t *v)
{
	if (v == NULL) {
		cli_error(NULL, "out of memory");
		r->rc = CS_EXIT_INPUT;
		return;
	}
	(void)cs_jarray_add(arr, v); /* a failed write: stdout's error flag
					or the spool's, reported at the end */
	json_decref(v);
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
		add_json(r, &r->errors, cs_report_error_json(&e));
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
			add_json(r, &r->errors, cs_report_error_json(it));
		return;
	case CS_ITEM_CRL:
		if (o->pem)
			w = cs_report_pem(stdout, it);
		else if (o->json)
			add_json(r, &r->crls, cs_report_crl_json(it, &o->r));
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
			add_json(r, &r->certs, cs_report_cert_json(it, &m,
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

/* Show a file's items (cs_load_each: a file of a tree at a time). */
static int show_list(void *ctx, struct cs_itemlist *items,
		     struct cs_error *err)
{
	struct run *r = ctx;

	(void)err;
	for (size_t i = 0; i < items->n; i++) {
		show_item(r, &items->items[i]);
		r->ncert += items->items[i].kind == CS_ITEM_CERT;
		r->ncrl += items->items[i].kind == CS_ITEM_CRL;
		r->nerr += items->items[i].kind == CS_ITEM_ERROR;
	}
	r->n += items->n;
	r->files_read += items->files_read;
	r->files_skipped += items->files_skipped;
	return 0;
}

/* Whole-file failure (unreadable, too big, out of memory): the items
 * read before it are still shown. */
static void path_error(struct run *r, const char *path,
		       const struct cs_error *err)
{
	cli_error(path, "%s", err->msg);
	r->rc = CS_EXIT_INPUT;
	if (r->o->json) {
		struct cs_item e;

		memset(&e, 0, sizeof(e));
		e.kind = CS_ITEM_ERROR;
		e.origin.path = (char *)path;
		e.err = *err;
		add_json(r, &r->errors, cs_report_error_json(&e));
	}
}

static void show_path(struct run *r, const char *path,
		      const struct cs_load_opts *lo)
{
	struct cs_itemlist list;
	struct cs_error err;
	struct stat st;

	r->n = r->ncert = r->ncrl = r->nerr = 0;
	r->files_read = r->files_skipped = 0;
	if (strcmp(path, "-") != 0 && stat(path, &st) == 0 &&
	    S_ISDIR(st.st_mode)) {
		/* a tree, a file at a time: each shown and freed */
		if (cs_load_each(path, lo, show_list, r, &err) < 0)
			path_error(r, path, &err);
	} else {
		cs_itemlist_init(&list);
		if (cs_load_path(&list, path, lo, &err) < 0)
			path_error(r, path, &err);
		(void)show_list(r, &list, &err);
		cs_itemlist_free(&list);
	}
	if (r->n == 0 && r->rc != CS_EXIT_INPUT) {
		/* a tree with nothing in it, as an empty file is an error */
		struct cs_item e;

		memset(&e, 0, sizeof(e));
		e.kind = CS_ITEM_ERROR;
		e.origin.path = (char *)path;
		cs_error_setx(&e.err, CS_E_EMPTY, "no certificate found in "
			      "this directory (%zu file%s skipped)",
			      r->files_skipped, plural(r->files_skipped));
		show_item(r, &e);
	}
	cli_note("%s: %zu certificate%s, %zu CRL%s, %zu error%s from %zu "
		 "file%s; %zu file%s without certificates skipped", path,
		 r->ncert, plural(r->ncert), r->ncrl, plural(r->ncrl),
		 r->nerr, plural(r->nerr), r->files_read,
		 plural(r->files_read), r->files_skipped,
		 plural(r->files_skipped));
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
		cs_jarray_init(&r.certs, stdout, NULL, NULL);
		if (spool_open(&r.crl_spool, &r.crls) < 0 ||
		    spool_open(&r.err_spool, &r.errors) < 0) {
			cli_error(NULL, "cannot make a temporary file: %s",
				  strerror(errno));
			r.rc = CS_EXIT_INPUT;
			goto out;
		}
		(void)cs_jstream_begin(stdout, "certificates");
	}
	for (int i = first; i < argc; i++)
		show_path(&r, argv[i], &lo);
	if (o.json) {
		/* every array closed, so the document is whole even when
		 * one of them failed */
		int bad = cs_jstream_next(stdout, &r.certs, "crls") < 0;

		bad |= cs_jstream_next(stdout, &r.crls, "errors") < 0;
		bad |= cs_jstream_next(stdout, &r.errors, NULL) < 0;
		if (bad && !ferror(stdout)) {
			/* stdout's own failures are main's to report; this
			 * is a spool that could not be written or read back,
			 * or an element jansson could not dump */
			cli_error(NULL, "cannot write the JSON document");
			r.rc = CS_EXIT_INPUT;
		}
	}
	/* a failed write sets stdout's error flag: main reports it, once,
	 * with the reason (check_output) */
out:
	spool_close(&r.crl_spool);
	spool_close(&r.err_spool);
	if (password) {
		memset(password, 0, strlen(password));
		free(password);
	}
	return r.rc;
}
