/*
 * cmd_verify.c - `certscope verify`: parse and check every option, load
 * the trust store, the untrusted pool and the CRLs once, then verify each
 * CERTFILE as its own input with its own verdict.
 *
 * Exit code: the worst over all inputs: 2 (usage, unreadable input) >
 * 1 (not trusted, a check failed) > 0.
 */
#include <getopt.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "cs_config.h"
#include "error.h"
#include "findings.h"
#include "input/load.h"
#include "report/verify.h"
#include "path/trust.h"
#include "path/verify.h"

#define VERIFY_MAX_DEPTH_LIMIT 1000 /* largest --max-depth accepted; the
				     core caps paths at CS_CHAIN_MAX_LEN */
#define VERIFY_MAX_OID 128        /* longest --purpose OID accepted */

struct verify_opts {
	const char **trust;     /* borrowed from argv */
	size_t n_trust;
	const char **untrusted;
	size_t n_untrusted;
	const char **crl;
	size_t n_crl;
	bool system_trust;
	bool json;
	const char *password_file;
	struct cs_verify_opts v; /* host/email/purpose_oid borrowed */
	char **files;            /* CERTFILEs, borrowed from argv */
	size_t n_files;
};

enum {
	OPT_TRUST = 256,
	OPT_UNTRUSTED,
	OPT_SYSTEM_TRUST,
	OPT_HOST,
	OPT_EMAIL,
	OPT_AT,
	OPT_PURPOSE,
	OPT_MAX_DEPTH,
	OPT_CRL,
	OPT_JSON,
	OPT_PASSWORD_FILE,
};

static const struct option long_opts[] = {
	{"trust", required_argument, NULL, OPT_TRUST},
	{"untrusted", required_argument, NULL, OPT_UNTRUSTED},
	{"system-trust", no_argument, NULL, OPT_SYSTEM_TRUST},
	{"host", required_argument, NULL, OPT_HOST},
	{"email", required_argument, NULL, OPT_EMAIL},
	{"at", required_argument, NULL, OPT_AT},
	{"purpose", required_argument, NULL, OPT_PURPOSE},
	{"max-depth", required_argument, NULL, OPT_MAX_DEPTH},
	{"crl", required_argument, NULL, OPT_CRL},
	{"json", no_argument, NULL, OPT_JSON},
	{"password-file", required_argument, NULL, OPT_PASSWORD_FILE},
	{"verbose", no_argument, NULL, 'v'},
	{"help", no_argument, NULL, 'h'},
	{NULL, 0, NULL, 0},
};

static void usage(FILE *out)
{
	fputs("Usage: certscope verify [OPTIONS] CERTFILE ...\n"
	      "\n"
	      "Build and validate the issuer chain of each CERTFILE (its first\n"
	      "certificate that issued none of the others is the leaf; the rest\n"
	      "and every --untrusted file form the pool of intermediates).\n"
	      "\n"
	      "Options:\n"
	      "      --trust FILE|DIR     trust only these anchors (PEM, DER, PKCS#7,\n"
	      "                           hashed directories; repeatable)\n"
	      "      --system-trust       with --trust: add the system store too\n"
	      "      --untrusted FILE     intermediates to build paths with (repeatable)\n"
	      "      --host NAME          check the leaf for this DNS name or IP address\n"
	      "      --email ADDR         check the leaf for this e-mail address\n"
	      "      --purpose P          server (default), client, email, code, any,\n"
	      "                           or a dotted extended key usage OID\n"
	      "      --at TIME            validate at TIME: 2027-01-31,\n"
	      "                           2027-01-31T12:00:00Z, @UNIXSECONDS, +30d\n"
	      "      --max-depth N        at most N intermediates between the leaf\n"
	      "                           and the trust anchor (default 15)\n"
	      "      --crl FILE           check revocation with this CRL (repeatable)\n"
	      "      --json               one JSON document for the whole run\n"
	      "      --password-file FILE PKCS#12 password (else $CERTSCOPE_PASSWORD)\n"
	      "  -v, --verbose            say which trust store was used on stderr\n"
	      "  -h, --help               show this help\n"
	      "\n"
	      "Without --trust the system store is used; where it has no anchors,\n"
	      "certscope's bundled store.\n"
	      "Exit codes: 0 every input trusted and every check passed, 1 some\n"
	      "input not trusted or a check failed, 2 usage error or unreadable\n"
	      "input.\n",
	      out);
}

static int push(const char ***v, size_t *n, const char *s)
{
	const char **nv = realloc(*v, (*n + 1) * sizeof(*nv));

	if (!nv)
		return -1;
	nv[(*n)++] = s;
	*v = nv;
	return 0;
}

/* A dotted OID: digits separated by single dots, at least two arcs. */
static bool is_oid(const char *s)
{
	size_t dots = 0, len = strlen(s);
	const char *p;

	if (len == 0 || len > VERIFY_MAX_OID || s[0] == '.' ||
	    s[len - 1] == '.')
		return false;
	for (p = s; *p; p++) {
		if (*p == '.') {
			if (p[1] == '.')
				return false;
			dots++;
		} else if (*p < '0' || *p > '9') {
			return false;
		}
	}
	return dots >= 1;
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
			v->purpose_oid = NULL;
			return 0;
		}
	}
	if (!is_oid(s))
		return -1;
	v->purpose = CS_PURPOSE_OID;
	v->purpose_oid = s;
	return 0;
}

static void free_opts(struct verify_opts *o)
{
	free(o->trust);
	free(o->untrusted);
	free(o->crl);
}

/* Parse argv into *o; every conflict is checked here, before any work.
 * Returns -1 to go on, else the exit code to return now. */
static int parse_args(int argc, char **argv, cs_time_t now,
		      struct verify_opts *o)
{
	struct cs_error err;
	char *end;
	unsigned long depth;
	int c;

	o->v.at = now;
	o->v.purpose = CS_PURPOSE_SERVER;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":vh", long_opts, NULL)) != -1) {
		switch (c) {
		case OPT_TRUST:
			if (push(&o->trust, &o->n_trust, optarg) < 0)
				goto nomem;
			break;
		case OPT_UNTRUSTED:
			if (push(&o->untrusted, &o->n_untrusted, optarg) < 0)
				goto nomem;
			break;
		case OPT_CRL:
			if (push(&o->crl, &o->n_crl, optarg) < 0)
				goto nomem;
			break;
		case OPT_SYSTEM_TRUST:
			o->system_trust = true;
			break;
		case OPT_HOST:
			if (!*optarg)
				return cli_usage("verify",
						 "--host needs a name");
			o->v.host = optarg;
			break;
		case OPT_EMAIL:
			if (!strchr(optarg, '@') || optarg[0] == '@')
				return cli_usage("verify",
						 "--email needs an address "
						 "like user@example.com, "
						 "not '%s'", optarg);
			o->v.email = optarg;
			break;
		case OPT_AT:
			if (cs_time_parse(optarg, now, &o->v.at, &err) < 0)
				return cli_usage("verify", "--at: %s",
						 err.msg);
			break;
		case OPT_PURPOSE:
			if (parse_purpose(optarg, &o->v) < 0)
				return cli_usage("verify",
						 "--purpose takes server, "
						 "client, email, code, any "
						 "or a dotted OID, not '%s'",
						 optarg);
			break;
		case OPT_MAX_DEPTH:
			depth = strtoul(optarg, &end, 10);
			if (!*optarg || *end || optarg[0] == '-' ||
			    depth > VERIFY_MAX_DEPTH_LIMIT)
				return cli_usage("verify",
						 "--max-depth takes a number "
						 "from 0 to %d, not '%s'",
						 VERIFY_MAX_DEPTH_LIMIT,
						 optarg);
			/* --max-depth counts intermediates, as
			 * OpenSSL's -verify_depth and x509-limbo do;
			 * the core counts every certificate below the
			 * anchor, the leaf included. */
			o->v.max_depth = (unsigned)depth + 1;
			break;
		case OPT_JSON:
			o->json = true;
			break;
		case OPT_PASSWORD_FILE:
			o->password_file = optarg;
			break;
		case 'v':
			cli_g.verbose++;
			break;
		case 'h':
			usage(stdout);
			return CS_EXIT_OK;
		case ':':
			return cli_usage("verify", "option '%s' needs a value",
					 argv[optind - 1]);
		case '?':
		default:
			if (optopt)
				return cli_usage("verify",
						 "unknown option '-%c'",
						 optopt);
			return cli_usage("verify", "unknown option '%s'",
					 argv[optind - 1]);
		}
	}
	if (optind >= argc)
		return cli_usage("verify", "no CERTFILE given");
	if (o->system_trust && o->n_trust == 0)
		cli_note("--system-trust without --trust: the system store "
			 "is the default anyway");
	o->files = argv + optind;
	o->n_files = (size_t)(argc - optind);
	return -1;
nomem:
	cli_error(NULL, "out of memory");
	return CS_EXIT_INPUT;
}

/* Print the error items of list on stderr; returns how many. */
static size_t print_errors(const struct cs_itemlist *list)
{
	size_t i, n = 0;

	for (i = 0; i < list->n; i++) {
		const struct cs_item *it = &list->items[i];
		if (it->kind != CS_ITEM_ERROR)
			continue;
		cli_error(it->origin.path, "%s", it->err.msg);
		n++;
	}
	return n;
}

/* Build the trust store the options ask for.  NULL after printing why. */
static struct cs_trust *load_trust(const struct verify_opts *o)
{
	struct cs_trust *t;
	struct cs_itemlist problems;
	struct cs_error err;
	size_t i;
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
		for (size_t k = 0; k < problems.n; k++)
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
		goto done;
	}
	n = cs_trust_add_system(t, &err);
	if (n < 0)
		cli_warn(NULL, "system trust store: %s", err.msg);
	if (n > 0) {
		cs_trust_set_source(t, CS_TRUST_SYSTEM);
		goto done;
	}
	cli_note("the system trust store has no anchors; using the bundled "
		 "store");
	if (access(CS_BUNDLED_TRUST, R_OK) == 0)
		n = cs_trust_add_bundled(t, CS_BUNDLED_TRUST, &err);
	else
		n = cs_trust_add_bundled(t, CS_SOURCE_TRUST, &err);
	if (n < 0) {
		cli_error(NULL, "bundled trust store: %s", err.msg);
		goto fail;
	}
	cs_trust_set_source(t, CS_TRUST_BUNDLED);
done:
	cli_note("trust store: %s, %zu anchors", cs_trust_source_name(t),
		 cs_trust_count(t));
	if (cs_trust_count(t) == 0)
		cli_warn(NULL, "the trust store holds no anchors: nothing "
			 "can be trusted");
	return t;
fail:
	cs_itemlist_free(&problems);
	cs_trust_free(t);
	return NULL;
}

/*
 * Load each file of paths into *list and require at least one item of
 * kind from each.  Error items are printed (and dropped from the count);
 * returns 0, or -1 after printing when a file gave nothing usable.
 */
static int load_aux(struct cs_itemlist *list, const char **paths, size_t n,
		    enum cs_item_kind kind, const char *what,
		    const struct cs_load_opts *lo)
{
	struct cs_error err;
	size_t i;
	int rc = 0;

	for (i = 0; i < n; i++) {
		struct cs_itemlist one;
		cs_itemlist_init(&one);
		if (cs_load_path(&one, paths[i], lo, &err) < 0) {
			cli_error(paths[i], "%s", err.msg);
			cs_itemlist_free(&one);
			return -1;
		}
		print_errors(&one);
		if (cs_itemlist_count(&one, kind) == 0) {
			cli_error(paths[i], "no %s found", what);
			rc = -1;
		}
		/* move the wanted items into list */
		for (size_t k = 0; k < one.n; k++) {
			struct cs_item *it = &one.items[k];
			if (it->kind != kind)
				continue;
			if (list->n == list->cap) {
				size_t ncap = list->cap ? list->cap * 2 : 16;
				struct cs_item *g = realloc(list->items,
						ncap * sizeof(*g));
				if (!g) {
					cli_error(NULL, "out of memory");
					cs_itemlist_free(&one);
					return -1;
				}
				list->items = g;
				list->cap = ncap;
			}
			list->items[list->n++] = *it;
			memset(it, 0, sizeof(*it)); /* moved out */
		}
		cs_itemlist_free(&one);
	}
	return rc;
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
	struct cs_error err;
	bool have_res = false;
	int rc = CS_EXIT_INPUT;

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
		print_errors(&input);
		if (malformed_result(&input, &res) < 0) {
			cli_error(file, "out of memory");
			goto report;
		}
		have_res = true;
		rc = CS_EXIT_FAIL;
		goto report;
	}
	if (print_errors(&input) > 0) {
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
	if (cs_verify_chain(&input, pool, trust, &o->v, &res, &err) < 0) {
		cli_error(file, "%s", err.msg);
		goto report;
	}
	have_res = true;
	rc = res.trusted ? CS_EXIT_OK : CS_EXIT_FAIL;
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
	cs_itemlist_free(&input);
	return rc;
}

/* see cli.h */
int cmd_verify(int argc, char **argv)
{
	struct verify_opts o;
	struct cs_load_opts lo;
	struct cs_itemlist pool, crls;
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
	cs_itemlist_init(&pool);
	cs_itemlist_init(&crls);
	rc = parse_args(argc, argv, now, &o);
	if (rc >= 0)
		goto out;
	rc = CS_EXIT_INPUT;

	password = cli_read_password(o.password_file, &pw_failed);
	if (pw_failed)
		goto out;
	lo.password = password;

	trust = load_trust(&o);
	if (!trust)
		goto out;
	if (load_aux(&pool, o.untrusted, o.n_untrusted, CS_ITEM_CERT,
		     "certificate", &lo) < 0)
		goto out;
	if (o.n_untrusted)
		cli_note("untrusted pool: %zu certificates from %zu files",
			 pool.n, o.n_untrusted);
	if (load_aux(&crls, o.crl, o.n_crl, CS_ITEM_CRL, "CRL", &lo) < 0)
		goto out;
	if (o.n_crl) {
		o.v.crls = &crls;
		cli_note("CRLs: %zu from %zu files", crls.n, o.n_crl);
	}

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
		r = verify_one(o.files[i], &o, &lo, &pool, trust, &ro,
			       jinputs, !printed);
		if (r != CS_EXIT_INPUT)
			printed = true;
		rc = worst(rc, r);
	}
	if (jinputs && cs_report_verify_json_doc(stdout, jinputs) < 0) {
		cli_error(NULL, "cannot write the report");
		rc = CS_EXIT_INPUT;
	}
	if (fflush(stdout) != 0) {
		cli_error(NULL, "cannot write the report");
		rc = CS_EXIT_INPUT;
	}
out:
	json_decref(jinputs);
	cs_trust_free(trust);
	cs_itemlist_free(&pool);
	cs_itemlist_free(&crls);
	free(password);
	free_opts(&o);
	return rc;
}
