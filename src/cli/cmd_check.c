/*
 * cmd_check.c - `certscope check`: expiry and validity of many files,
 * trees and endpoints, for cron, Nagios and Prometheus.  Parses and
 * checks every option, loads the trust store once, streams the targets
 * (the command line's, then --targets) through the check engine
 * (check/), and hands each result to the report (report/check.h) as it
 * completes.
 *
 * Exit code (Nagios plugin conventions): the worst state over all
 * targets, 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN; a usage error is 3.
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "check/check.h"
#include "cli.h"
#include "opts.h"
#include "report/check.h"
#include "verifyopts.h"

#define CHECK_EXIT_UNKNOWN 3
#define CHECK_DEFAULT_JOBS 32
#define CHECK_MAX_JOBS 1024
#define CHECK_DEFAULT_TIMEOUT_S 10
#define CHECK_MAX_TIMEOUT_S 3600
#define CHECK_MAX_LINE (CS_CHECK_MAX_TARGET * 4)

struct check_cli {
	struct cli_verify_args va;
	struct cs_verify_opts v;
	cs_time_t now;
	struct cs_check_opts o;
	enum cs_check_format format;
	const char *targets_file, *output, *password_file;
	unsigned shard_k, shard_n;
	char **argv_targets;
	size_t n_argv_targets;
};

/* ---- options ------------------------------------------------------ */

/* A usage error of check: the one form, and UNKNOWN (3), as the Nagios
 * guidelines want for a plugin called wrongly. */
static int usage(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static int usage(const char *fmt, ...)
{
	char m[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(m, sizeof(m), fmt, ap);
	va_end(ap);
	cli_usage("check", "%s", m);
	return CHECK_EXIT_UNKNOWN;
}

static int parse_shard(const char *s, unsigned *k, unsigned *n)
{
	char *end;
	unsigned long a, b;

	a = strtoul(s, &end, 10);
	if (end == s || *end != '/' || s[0] == '-')
		return -1;
	b = strtoul(end + 1, &end, 10);
	if (*end || a < 1 || b < 1 || a > b || b > 100000)
		return -1;
	*k = (unsigned)a;
	*n = (unsigned)b;
	return 0;
}

static int parse_count(const char *s, unsigned long max, unsigned long *out)
{
	char *end;

	*out = strtoul(s, &end, 10);
	return !*s || *end || s[0] == '-' || *out < 1 || *out > max ? -1 : 0;
}

static int set_option(void *ctx, int id, const char *arg)
{
	struct check_cli *c = ctx;
	struct cs_error err;
	unsigned long n;
	int rc = cli_verify_option("check", id, arg, c->now, &c->va, &c->v);

	if (rc != -2)
		return rc >= 0 ? CHECK_EXIT_UNKNOWN : rc;
	switch (id) {
	case OPT_JSON:
		c->format = CS_CHECK_FMT_JSON;
		return -1;
	case OPT_PASSWORD_FILE:
		c->password_file = arg;
		return -1;
	case OPT_WARN:
	case OPT_CRIT:
		if (cs_duration_parse(arg, id == OPT_WARN ? &c->o.warn_secs :
				      &c->o.crit_secs, &err) < 0)
			return usage("%s", err.msg);
		return -1;
	case OPT_FORMAT:
		if (cs_check_format_lookup(arg, &c->format) < 0)
			return usage("--format takes text, nagios, json or "
				     "prometheus, not '%s'", arg);
		return -1;
	case OPT_JOBS:
		if (parse_count(arg, CHECK_MAX_JOBS, &n) < 0)
			return usage("--jobs takes a number from 1 to 1024, "
				     "not '%s'", arg);
		c->o.jobs = (unsigned)n;
		return -1;
	case OPT_TIMEOUT:
		if (parse_count(arg, CHECK_MAX_TIMEOUT_S, &n) < 0)
			return usage("--timeout takes seconds from 1 to 3600, "
				     "not '%s'", arg);
		c->o.timeout_ms = (int64_t)n * 1000;
		return -1;
	case OPT_TARGETS:
		c->targets_file = arg;
		return -1;
	case OPT_SHARD:
		if (parse_shard(arg, &c->shard_k, &c->shard_n) < 0)
			return usage("--shard takes K/N with 1 <= K <= N, "
				     "not '%s'", arg);
		return -1;
	case OPT_UNREACHABLE:
		if (strcmp(arg, "unknown") && strcmp(arg, "critical"))
			return usage("--unreachable takes unknown or "
				     "critical, not '%s'", arg);
		c->o.unreachable_critical = !strcmp(arg, "critical");
		return -1;
	case OPT_OUTPUT:
		c->output = arg;
		return -1;
	case OPT_ALL_ADDRESSES:
		c->o.all_addresses = true;
		return -1;
	case OPT_DNS_SERVERS:
		if (!*arg)
			return usage("--dns-servers needs at least one "
				     "address");
		c->o.dns_servers = arg;
		return -1;
	case OPT_SNI:
		c->o.net.sni = arg;
		return -1;
	case OPT_NO_SNI:
		c->o.net.no_sni = true;
		return -1;
	default:
		return usage("option %s not handled", cli_option_by_id(id) ?
			     cli_option_by_id(id)->name : "?");
	}
}

static int parse_args(int argc, char **argv, struct check_cli *c)
{
	int first, rc;

	cli_verify_init(&c->va, &c->v, c->now);
	c->o.warn_secs = 30 * 86400;
	c->o.crit_secs = 7 * 86400;
	c->o.jobs = CHECK_DEFAULT_JOBS;
	c->o.timeout_ms = CHECK_DEFAULT_TIMEOUT_S * 1000;
	c->shard_k = c->shard_n = 1;
	rc = cli_parse(cli_command_by_bit(CLI_CMD_CHECK), argc, argv,
		       set_option, c, &first);
	if (rc >= 0)
		return rc == CS_EXIT_INPUT ? CHECK_EXIT_UNKNOWN : rc;
	/* every conflict here, before any work */
	if (first >= argc && !c->targets_file)
		return usage("no target given (TARGET ... or --targets "
			     "FILE)");
	if (c->o.crit_secs > c->o.warn_secs)
		return usage("--crit is longer than --warn");
	if (c->o.net.sni && c->o.net.no_sni)
		return usage("--sni and --no-sni exclude each other");
	cli_verify_check(&c->va);
	c->argv_targets = argv + first;
	c->n_argv_targets = (size_t)(argc - first);
	return -1;
}

/* ---- the target stream ------------------------------------------- */

struct source {
	const struct check_cli *c;
	size_t next_arg;
	FILE *f;           /* --targets, or NULL */
	const char *fname;
	size_t line;
	char *buf;
	size_t bufsz;
	struct cs_check_seen *seen; /* a target listed twice is checked once */
};


/* t->spec := the target's line with its words one blank apart */
static void name_by_line(struct cs_check_target *t, const char *text)
{
	size_t n = 0;

	for (const char *p = text; *p && n + 1 < sizeof(t->spec); p++) {
		if (isspace((unsigned char)*p)) {
			if (n && t->spec[n - 1] != ' ')
				t->spec[n++] = ' ';
		} else {
			t->spec[n++] = *p;
		}
	}
	while (n && t->spec[n - 1] == ' ')
		n--;
	t->spec[n] = '\0';
}

/* Next target of the shard: the command line's first, then the targets
 * file's.  A bad target ends the run (UNKNOWN) naming it and its line. */
static int next_target(void *ctx, struct cs_check_target *t,
		       struct cs_error *err)
{
	struct source *s = ctx;
	const struct check_cli *c = s->c;

	for (;;) {
		const char *text;
		size_t line = 0;
		char m[sizeof(err->msg)];

		if (s->next_arg < c->n_argv_targets) {
			text = c->argv_targets[s->next_arg++];
		} else if (s->f) {
			ssize_t n = getline(&s->buf, &s->bufsz, s->f);

			if (n < 0) {
				if (ferror(s->f))
					return cs_error_set(err, CS_E_IO,
							    "%.200s", s->fname);
				return 0;
			}
			line = ++s->line;
			if (n > CHECK_MAX_LINE)
				return cs_error_setx(err, CS_E_USAGE,
						     "%.200s:%zu: line longer "
						     "than %d bytes", s->fname,
						     line, CHECK_MAX_LINE);
			text = cs_check_line_strip(s->buf);
			if (!text)
				continue;
		} else {
			return 0;
		}
		if (cs_check_target_parse(text, line, t, err) < 0) {
			snprintf(m, sizeof(m), "%s", err->msg);
			if (line)
				snprintf(err->msg, sizeof(err->msg),
					 "%.60s:%zu: %.160s", s->fname, line,
					 m);
			else
				snprintf(err->msg, sizeof(err->msg),
					 "%.60s: %.160s", text, m);
			return -1;
		}
		if (!cs_check_in_shard(t->spec, c->shard_k, c->shard_n))
			continue;
		switch (cs_check_seen_add(s->seen, t)) {
		case 0:
			return 1;
		case 1:
			cli_note("%s: given again, checked once", t->spec);
			continue;
		case 2:
			/* the same target with other settings (another host=,
			 * say) is checked too, named by its whole line so its
			 * results and metrics stay apart */
			name_by_line(t, text);
			switch (cs_check_seen_add(s->seen, t)) {
			case 0:
				cli_note("%s: given before with other settings,"
					 " checked as '%s'", text, t->spec);
				return 1;
			case -1:
				break;
			default:
				cli_note("%s: given again, checked once",
					 t->spec);
				continue;
			}
			/* fall through */
		default:
			return cs_error_setx(err, CS_E_NOMEM, "out of memory");
		}
	}
}

/* ---- output ------------------------------------------------------- */

struct sink {
	struct cs_check_report *rep;
	struct cs_error err;
	bool failed;
};

static int emit(void *ctx, const struct cs_check_result *r)
{
	struct sink *k = ctx;

	cli_note("%s: %s (%s)", r->target, cs_check_state_name(r->state),
		 r->code ? r->code : "");
	if (cs_check_report_add(k->rep, r, &k->err) < 0) {
		k->failed = true;
		return -1;
	}
	return 0;
}

static int64_t mono_ms(void *ctx)
{
	struct timespec ts;

	(void)ctx;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* --output: a temporary file beside FILE, renamed over it at the end, so
 * that a textfile collector never reads half a file. */
static FILE *open_output(const char *file, char **tmp)
{
	size_t len = strlen(file) + 16;
	FILE *f;
	int fd;

	*tmp = malloc(len);
	if (!*tmp)
		return NULL;
	snprintf(*tmp, len, "%s.XXXXXX", file);
	fd = mkstemp(*tmp);
	if (fd < 0) {
		cli_error(file, "cannot create a temporary file beside it: %s",
			  strerror(errno));
		free(*tmp);
		*tmp = NULL;
		return NULL;
	}
	(void)fchmod(fd, 0644);
	f = fdopen(fd, "w");
	if (!f) {
		cli_error(file, "%s", strerror(errno));
		close(fd);
		unlink(*tmp);
		free(*tmp);
		*tmp = NULL;
	}
	return f;
}

/* ---- the run ------------------------------------------------------ */

int cmd_check(int argc, char **argv)
{
	struct check_cli c;
	struct cs_check_report_opts ro;
	struct sink sink;
	struct source src;
	struct cs_load_opts lo;
	struct cs_trust *trust = NULL;
	struct cs_error err;
	char *password = NULL, *tmp = NULL;
	FILE *out = stdout;
	bool pw_failed = false;
	int rc;

	memset(&c, 0, sizeof(c));
	memset(&src, 0, sizeof(src));
	memset(&sink, 0, sizeof(sink));
	memset(&lo, 0, sizeof(lo));
	c.now = (cs_time_t)time(NULL);
	rc = parse_args(argc, argv, &c);
	if (rc >= 0)
		goto out;
	rc = CHECK_EXIT_UNKNOWN;
	password = cli_read_password(c.password_file, &pw_failed);
	if (pw_failed)
		goto out;
	lo.password = password;
	trust = cli_verify_load(&c.va, &c.v, &lo);
	if (!trust)
		goto out;
	if (c.targets_file) {
		src.fname = c.targets_file;
		src.f = strcmp(c.targets_file, "-") ?
			fopen(c.targets_file, "r") : stdin;
		if (!src.f) {
			cli_error(c.targets_file, "%s", strerror(errno));
			goto out;
		}
	}
	src.c = &c;
	src.seen = cs_check_seen_new();
	if (!src.seen) {
		cli_error(NULL, "out of memory");
		goto out;
	}
	c.o.trust = trust;
	c.o.untrusted = c.va.n_untrusted ? &c.va.pool : NULL;
	c.o.verify = c.v;
	c.o.fetch_missing = c.va.fetch_missing;
	c.o.revocation = c.va.revocation;
	c.o.rev_sources = c.va.rev_sources;
	c.o.cache_dir = cli_cache_dir();
	c.o.now = c.now;
	c.o.host = c.v.host;
	c.o.verify.host = NULL; /* per target: --host, host=, or its own */
	c.o.load = lo;
	c.o.now_ms = mono_ms;
	memset(&ro, 0, sizeof(ro));
	ro.format = c.format;
	ro.verbose = cli_g.verbose > 0;
	ro.at = c.v.at;
	ro.warn_secs = c.o.warn_secs;
	ro.crit_secs = c.o.crit_secs;
	if (c.output && !(out = open_output(c.output, &tmp)))
		goto out;
	ro.color = !c.output && c.format == CS_CHECK_FMT_TEXT &&
		cli_use_color(stdout);
	sink.rep = cs_check_report_new(out, &ro, &err);
	if (!sink.rep) {
		cli_error(NULL, "%s", err.msg);
		goto out;
	}
	cs_error_clear(&err);
	if (cs_check_run(next_target, &src, &c.o, emit, &sink, &err) < 0) {
		/* a bad target line, or the output failed: the run is not
		 * what was asked for */
		cli_error(NULL, "%s", sink.failed ? sink.err.msg : err.msg);
		if (!sink.failed && cs_check_report_finish(sink.rep, &err) < 0)
			cli_error(NULL, "%s", err.msg);
		goto out;
	}
	if (cs_check_report_finish(sink.rep, &err) < 0) {
		cli_error(c.output ? c.output : NULL, "%s", err.msg);
		goto out;
	}
	if (tmp) {
		bool bad = fclose(out) != 0;

		out = stdout;
		if (bad || rename(tmp, c.output) < 0) {
			cli_error(c.output, "cannot write it: %s",
				  strerror(errno));
			goto out;
		}
		free(tmp);
		tmp = NULL;
	}
	rc = (int)cs_check_report_worst(sink.rep);
out:
	if (tmp) {
		if (out && out != stdout)
			fclose(out);
		unlink(tmp);
		free(tmp);
	}
	cs_check_report_free(sink.rep);
	if (src.f && src.f != stdin)
		fclose(src.f);
	free(src.buf);
	cs_check_seen_free(src.seen);
	free(password);
	cli_verify_late_problems(trust);
	cs_trust_free(trust);
	cli_verify_free(&c.va);
	return rc;
}
