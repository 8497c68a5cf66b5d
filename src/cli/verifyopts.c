/* see verifyopts.h: the verify options, written once */
#include "verifyopts.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <sys/stat.h>
#include <time.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "cs_config.h"
#include "error.h"
#include "opts.h"
#include "online/online.h"
#include "report/verify.h"
#include "x509/names.h"

#define VERIFY_MAX_DEPTH_LIMIT 1000 /* largest --max-depth accepted; the
				     core caps paths at CS_CHAIN_MAX_LEN */

const char *cli_purpose_choice(size_t i)
{
	return cs_purpose_name(i);
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

/* "ocsp", "crl", "ocsp,crl", "crl,ocsp" into CS_REVOCATION_* bits. */
static int parse_sources(const char *s, unsigned *out)
{
	unsigned bits = 0;

	while (*s) {
		size_t n = strcspn(s, ",");

		if (n == 4 && !strncmp(s, "ocsp", 4))
			bits |= CS_REVOCATION_OCSP;
		else if (n == 3 && !strncmp(s, "crl", 3))
			bits |= CS_REVOCATION_CRL;
		else
			return -1;
		s += n;
		if (*s == ',' && *++s == '\0')
			return -1;
	}
	if (!bits)
		return -1;
	*out = bits;
	return 0;
}

void cli_verify_init(struct cli_verify_args *a, struct cs_verify_opts *v,
		     cs_time_t now)
{
	memset(a, 0, sizeof(*a));
	a->rev_sources = CS_REVOCATION_OCSP | CS_REVOCATION_CRL;
	cs_itemlist_init(&a->pool);
	cs_itemlist_init(&a->crls);
	memset(v, 0, sizeof(*v));
	v->at = now;
	v->purpose = CS_PURPOSE_SERVER;
}

int cli_verify_option(const char *cmd, int id, const char *arg,
		      cs_time_t now, struct cli_verify_args *a,
		      struct cs_verify_opts *v)
{
	struct cs_error err;
	unsigned long depth;
	char *end;

	switch (id) {
	case OPT_TRUST:
		if (push(&a->trust, &a->n_trust, arg) < 0)
			goto nomem;
		return -1;
	case OPT_UNTRUSTED:
		if (push(&a->untrusted, &a->n_untrusted, arg) < 0)
			goto nomem;
		return -1;
	case OPT_CRL:
		if (push(&a->crl, &a->n_crl, arg) < 0)
			goto nomem;
		return -1;
	case OPT_SYSTEM_TRUST:
		a->system_trust = true;
		return -1;
	case OPT_FETCH_MISSING:
		a->fetch_missing = true;
		return -1;
	case OPT_REVOCATION:
		if (!strcmp(arg, "off"))
			a->revocation = CS_REVOCATION_OFF;
		else if (!strcmp(arg, "soft"))
			a->revocation = CS_REVOCATION_SOFT;
		else if (!strcmp(arg, "hard"))
			a->revocation = CS_REVOCATION_HARD;
		else
			return cli_usage(cmd, "--revocation takes off, soft or "
					 "hard, not '%s'", arg);
		return -1;
	case OPT_REVOCATION_SOURCE:
		if (parse_sources(arg, &a->rev_sources) < 0)
			return cli_usage(cmd, "--revocation-source takes ocsp, "
					 "crl or both comma-separated, not "
					 "'%s'", arg);
		return -1;
	case OPT_HOST: {
		char *alabel = NULL;

		if (!*arg)
			return cli_usage(cmd, "--host needs a name");
		/* A U-label name is matched in its A-label form (the core
		 * converts it); one IDNA 2008 refuses is a usage error. */
		cs_error_clear(&err);
		if (cs_names_host_ascii(arg, &alabel, &err) < 0) {
			if (err.code == CS_E_NOMEM)
				goto nomem;
			return cli_usage(cmd, "--host: %s", err.msg);
		}
		free(alabel);
		v->host = arg;
		a->host_given = true;
		return -1;
	}
	case OPT_EMAIL:
		if (!strchr(arg, '@') || arg[0] == '@')
			return cli_usage(cmd, "--email needs an address like "
					 "user@example.com, not '%s'", arg);
		v->email = arg;
		return -1;
	case OPT_AT:
		cs_error_clear(&err);
		if (cs_time_parse(arg, now, &v->at, &err) < 0)
			return cli_usage(cmd, "--at: %s", err.msg);
		return -1;
	case OPT_PURPOSE:
		if (cs_purpose_parse(arg, v) < 0)
			return cli_usage(cmd, "--purpose takes server, client, "
					 "email, code, any or a dotted OID, "
					 "not '%s'", arg);
		return -1;
	case OPT_MAX_DEPTH:
		depth = strtoul(arg, &end, 10);
		if (!*arg || *end || arg[0] == '-' ||
		    depth > VERIFY_MAX_DEPTH_LIMIT)
			return cli_usage(cmd, "--max-depth takes a number from "
					 "0 to %d, not '%s'",
					 VERIFY_MAX_DEPTH_LIMIT, arg);
		/* --max-depth counts intermediates, as OpenSSL's
		 * -verify_depth and x509-limbo do; the core counts the
		 * certificates below the anchor, the leaf included and
		 * self-issued intermediates not (cs_path_depth). */
		v->max_depth = (unsigned)depth + 1;
		return -1;
	default:
		return -2;
	}
nomem:
	cli_error(NULL, "out of memory");
	return CS_EXIT_INPUT;
}

void cli_verify_check(const struct cli_verify_args *a)
{
	if (a->system_trust && a->n_trust == 0)
		cli_note("--system-trust without --trust: the system store "
			 "is the default anyway");
}

size_t cli_print_errors(const struct cs_itemlist *list)
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
static struct cs_trust *load_trust(const struct cli_verify_args *a)
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
	for (i = 0; i < a->n_trust; i++) {
		if (cs_trust_add_path(t, a->trust[i], &problems, &err) < 0) {
			cli_error(a->trust[i], "%s", err.msg);
			goto fail;
		}
		for (size_t k = 0; k < problems.n; k++)
			cli_warn(problems.items[k].origin.path,
				 "%s (ignored in the trust store)",
				 problems.items[k].err.msg);
		cs_itemlist_free(&problems);
	}
	if (a->n_trust) {
		cs_trust_set_source(t, CS_TRUST_FILES);
		if (a->system_trust) {
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
	n = cs_trust_add_bundled_default(t, &err);
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
		cli_print_errors(&one);
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

struct cs_trust *cli_verify_load(struct cli_verify_args *a,
				 struct cs_verify_opts *v,
				 const struct cs_load_opts *lo)
{
	struct cs_trust *trust = load_trust(a);

	if (!trust)
		return NULL;
	if (load_aux(&a->pool, a->untrusted, a->n_untrusted, CS_ITEM_CERT,
		     "certificate", lo) < 0)
		goto fail;
	if (a->n_untrusted)
		cli_note("untrusted pool: %zu certificates from %zu files",
			 a->pool.n, a->n_untrusted);
	if (load_aux(&a->crls, a->crl, a->n_crl, CS_ITEM_CRL, "CRL", lo) < 0)
		goto fail;
	if (a->n_crl) {
		v->crls = &a->crls;
		cli_note("CRLs: %zu from %zu files", a->crls.n, a->n_crl);
	}
	return trust;
fail:
	cs_trust_free(trust);
	return NULL;
}

void cli_verify_free(struct cli_verify_args *a)
{
	free(a->trust);
	free(a->untrusted);
	free(a->crl);
	cs_itemlist_free(&a->pool);
	cs_itemlist_free(&a->crls);
}

/* see verifyopts.h */
void cli_verify_late_problems(const struct cs_trust *t)
{
	const struct cs_itemlist *late = t ? cs_trust_late_problems(t) : NULL;

	for (size_t k = 0; late && k < late->n; k++)
		cli_warn(late->items[k].origin.path,
			 "%s (ignored in the trust store)",
			 late->items[k].err.msg);
}

int cli_write_chain(const char *file, const struct cs_verify_result *res)
{
	const struct cs_finding *bad = NULL;
	size_t i, len = strlen(file) + 16;
	char *tmp;
	FILE *f;
	int fd, n;

	for (i = 0; i < res->n_findings && !bad; i++)
		if (res->findings[i].severity == CS_SEV_ERROR)
			bad = &res->findings[i];
	if (!res->trusted || res->path_len == 0) {
		cli_error(file, "not written: no trusted path was found%s%s%s",
			  bad ? " (" : "", bad ? bad->code : "",
			  bad ? ")" : "");
		return -1;
	}
	tmp = malloc(len);
	if (!tmp) {
		cli_error(NULL, "out of memory");
		return -1;
	}
	/* a temporary file beside it, renamed over it when complete: a
	 * server reloading meanwhile never reads half a chain */
	snprintf(tmp, len, "%s.XXXXXX", file);
	fd = mkstemp(tmp);
	if (fd < 0) {
		cli_error(file, "cannot create a temporary file beside it: %s",
			  strerror(errno));
		free(tmp);
		return -1;
	}
	(void)fchmod(fd, 0644);
	f = fdopen(fd, "w");
	if (!f) {
		close(fd);
		n = -1;
	} else {
		n = cs_report_verify_chain_pem(f, res);
		if (fclose(f) != 0)
			n = -1;
	}
	if (n < 0 || rename(tmp, file) < 0) {
		cli_error(file, "cannot write it: %s",
			  errno ? strerror(errno) : "write error");
		unlink(tmp);
		free(tmp);
		return -1;
	}
	free(tmp);
	cli_note("wrote the chain to %s: %d certificate%s, leaf first, "
		 "without the trust anchor", file, n, n == 1 ? "" : "s");
	return 0;
}

/* see verifyopts.h */
int64_t cli_mono_ms(void *ctx)
{
	struct timespec ts;

	(void)ctx;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* see verifyopts.h */
const char *cli_cache_dir(void)
{
	static char dir[4096];
	const char *x = getenv("XDG_CACHE_HOME"), *h = getenv("HOME");
	int n;

	/* the XDG base directory rule: a relative XDG_CACHE_HOME is
	 * ignored */
	if (x && x[0] == '/')
		n = snprintf(dir, sizeof(dir), "%s/certscope", x);
	else if (h && h[0] == '/') {
		n = snprintf(dir, sizeof(dir), "%s/.cache", h);
		if (n > 0 && (size_t)n < sizeof(dir))
			(void)mkdir(dir, 0700);
		n = snprintf(dir, sizeof(dir), "%s/.cache/certscope", h);
	} else
		return NULL;
	return n > 0 && (size_t)n < sizeof(dir) ? dir : NULL;
}

/* see verifyopts.h */
int cli_parse_timeout(const char *cmd, const char *arg, double *secs)
{
	char *end;

	*secs = strtod(arg, &end);
	if (end == arg || *end || !(*secs > 0) || *secs > CLI_MAX_TIMEOUT_S)
		return cli_usage(cmd, "--timeout takes seconds (0 < SEC <= "
				 "%d), not '%s'", CLI_MAX_TIMEOUT_S, arg);
	return -1;
}
