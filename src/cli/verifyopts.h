/*
 * verifyopts.h - the verify options (opts.c: CLI_VERIFYING), parsed and
 * loaded once for every command that validates a chain: --trust,
 * --system-trust, --untrusted, --host, --email, --purpose, --at,
 * --max-depth, --crl.
 */
#ifndef CS_CLI_VERIFYOPTS_H
#define CS_CLI_VERIFYOPTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "input/load.h"
#include "path/trust.h"
#include "path/verify.h"

struct cli_verify_args {
	const char **trust;      /* borrowed from argv */
	size_t n_trust;
	const char **untrusted;
	size_t n_untrusted;
	const char **crl;
	size_t n_crl;
	bool system_trust;
	bool host_given;
	bool fetch_missing;      /* --fetch-missing */
	int revocation;          /* --revocation: enum cs_revocation_mode */
	unsigned rev_sources;    /* --revocation-source: CS_REVOCATION_* */
	struct cs_itemlist pool; /* --untrusted, once loaded */
	struct cs_itemlist crls; /* --crl, once loaded */
};

/* Empty arguments and the defaults: at now, purpose server. */
void cli_verify_init(struct cli_verify_args *a, struct cs_verify_opts *v,
		     cs_time_t now);

/* Take option id with its argument into *a and *v.  Returns -1 to go on,
 * -2 when id is not a verify option, else the exit code after a usage
 * error of cmd. */
int cli_verify_option(const char *cmd, int id, const char *arg,
		      cs_time_t now, struct cli_verify_args *a,
		      struct cs_verify_opts *v);

/* The verify options among themselves, once all are parsed. */
void cli_verify_check(const struct cli_verify_args *a);

/* The trust store the options ask for, the --untrusted pool into
 * a->pool and the CRLs into a->crls (v->crls points there when any).
 * Returns the store, or NULL after printing why. */
struct cs_trust *cli_verify_load(struct cli_verify_args *a,
				 struct cs_verify_opts *v,
				 const struct cs_load_opts *lo);

void cli_verify_free(struct cli_verify_args *a);

/* After the work: warn about --trust certificates GnuTLS refused when a
 * lookup first decoded them (they were never used as anchors). */
void cli_verify_late_problems(const struct cs_trust *t);

/* Where fetched CRLs are kept: $XDG_CACHE_HOME/certscope, else
 * $HOME/.cache/certscope; NULL when neither is set. */
const char *cli_cache_dir(void);

#define CLI_MAX_TIMEOUT_S 3600 /* largest --timeout of verify, connect */

/* --timeout SEC of cmd into *secs: -1 to go on, else the exit code of
 * the usage error. */
int cli_parse_timeout(const char *cmd, const char *arg, double *secs);

/* Monotonic milliseconds: the clock the core's deadlines read. */
int64_t cli_mono_ms(void *ctx);

/* --write-chain: the validated path without its anchor, leaf first, as
 * PEM into file (a temporary file renamed over it).  Refuses, saying why
 * on stderr, when res is not trusted.  Returns 0, -1 after printing. */
int cli_write_chain(const char *file, const struct cs_verify_result *res);

/* Print the error items of list on stderr; returns how many. */
size_t cli_print_errors(const struct cs_itemlist *list);

#endif
