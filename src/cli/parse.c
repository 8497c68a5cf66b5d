/*
 * parse.c - the one option parser: getopt_long over the options of the
 * table (opts.c) that a command accepts, the global options handled here
 * wherever they stand, every other option handed to the command, and the
 * one form of usage error, with "did you mean" for a misspelt name.
 */
#include <getopt.h>
#include <gnutls/gnutls.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cs_config.h"
#include "opts.h"

#define MAX_NAME 64 /* longer words get no suggestion */

/* Damerau-Levenshtein distance (optimal string alignment): insertions,
 * deletions, substitutions and transpositions of neighbours. */
static size_t distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	size_t d[MAX_NAME + 1][MAX_NAME + 1];

	if (la > MAX_NAME || lb > MAX_NAME)
		return (size_t)-1;
	for (size_t i = 0; i <= la; i++)
		d[i][0] = i;
	for (size_t j = 0; j <= lb; j++)
		d[0][j] = j;
	for (size_t i = 1; i <= la; i++) {
		for (size_t j = 1; j <= lb; j++) {
			size_t cost = a[i - 1] != b[j - 1];
			size_t v = d[i - 1][j - 1] + cost;

			if (d[i - 1][j] + 1 < v)
				v = d[i - 1][j] + 1;
			if (d[i][j - 1] + 1 < v)
				v = d[i][j - 1] + 1;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] &&
			    a[i - 2] == b[j - 1] && d[i - 2][j - 2] + 1 < v)
				v = d[i - 2][j - 2] + 1;
			d[i][j] = v;
		}
	}
	return d[la][lb];
}

const char *cli_suggest(const char *word, const char *const *cands, size_t n)
{
	const char *best = NULL, *prefixed = NULL;
	size_t best_d = 3, n_prefixed = 0, wl = strlen(word);

	for (size_t i = 0; i < n; i++) {
		size_t d = distance(word, cands[i]);

		if (wl && !strncmp(cands[i], word, wl)) {
			prefixed = cands[i];
			n_prefixed++;
		}
		if (d < best_d) {
			best_d = d;
			best = cands[i];
		}
	}
	if (n_prefixed == 1)
		return prefixed;
	return best;
}

int cli_unknown(const char *cmd, const char *what, const char *prefix,
		const char *word, const char *const *cands, size_t n)
{
	const char *hit = cli_suggest(word, cands, n);

	if (hit)
		return cli_usage(cmd, "unknown %s '%s%s'; did you mean "
				 "'%s%s'?", what, prefix, word, prefix, hit);
	return cli_usage(cmd, "unknown %s '%s%s'", what, prefix, word);
}

int cli_unknown_command(const char *cmd, const char *word)
{
	const char *names[16];
	size_t n = 0;

	for (size_t i = 0; i < cli_n_commands && n < 16; i++)
		names[n++] = cli_commands[i].name;
	return cli_unknown(cmd, "command", "", word, names, n);
}

/* The listed long names of the options of mask. */
static size_t option_names(unsigned mask, const char **names, size_t max)
{
	size_t n = 0;

	for (size_t i = 0; i < cli_n_options && n < max; i++)
		if ((cli_options[i].cmds & mask) &&
		    cli_option_listed(&cli_options[i]))
			names[n++] = cli_options[i].name;
	return n;
}

/* "verify, connect": the commands an option belongs to. */
static void command_list(unsigned cmds, char *buf, size_t size)
{
	size_t len = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < cli_n_commands && len < size; i++)
		if (cmds & cli_commands[i].bit)
			len += (size_t)snprintf(buf + len, size - len, "%s%s",
						len ? ", " : "",
						cli_commands[i].name);
}

/* An unknown long option ARG ("--hots" or "--hots=x") of cmd (NULL:
 * before the command). */
static int unknown_long(const char *cmd, unsigned mask, const char *arg)
{
	const char *names[64], *amb[8];
	const struct cli_option *other;
	char name[MAX_NAME + 1], list[128], alts[256];
	size_t n, n_amb = 0, len = 0, nl = strcspn(arg + 2, "=");

	snprintf(name, sizeof(name), "%.*s", (int)nl, arg + 2);
	n = option_names(mask, names, sizeof(names) / sizeof(*names));
	for (size_t i = 0; i < n && nl; i++)
		if (!strncmp(names[i], name, nl) && n_amb < 8)
			amb[n_amb++] = names[i];
	if (n_amb > 1) {
		alts[0] = '\0';
		for (size_t i = 0; i < n_amb; i++)
			len += (size_t)snprintf(alts + len, sizeof(alts) - len,
						"%s--%s", i ? ", " : "",
						amb[i]);
		return cli_usage(cmd, "option '--%s' is ambiguous: %s", name,
				 alts);
	}
	other = cli_option_by_name(name, ~0u);
	if (other && cli_option_listed(other)) {
		command_list(other->cmds, list, sizeof(list));
		if (!cmd)
			return cli_usage(cmd, "option '--%s' goes after the "
					 "command (%s)", name, list);
		return cli_usage(cmd, "option '--%s' is not one of %s (it "
				 "is one of %s)", name, cmd, list);
	}
	return cli_unknown(cmd, "option", "--", name, names, n);
}

static int print_version(void)
{
	printf("certscope %s (GnuTLS %s)\n", CS_VERSION,
	       gnutls_check_version(NULL));
	return CS_EXIT_OK;
}

/* The global options, wherever they stand.  Returns -1 to go on, else
 * the exit code. */
static int global_option(const struct cli_command *cmd, int id,
			 const char *arg)
{
	const char *name = cmd ? cmd->name : NULL;

	switch (id) {
	case OPT_VERBOSE:
		cli_g.verbose++;
		return -1;
	case OPT_QUIET:
		cli_g.quiet = true;
		return -1;
	case OPT_COLOR:
		if (cli_parse_color(arg) < 0)
			return cli_usage(name, "--color takes auto, always or "
					 "never, not '%s'", arg);
		return -1;
	case OPT_HELP:
		if (cmd)
			cli_help_command(stdout, cmd);
		else
			cli_help_main(stdout);
		return CS_EXIT_OK;
	case OPT_VERSION:
		return print_version();
	case OPT_DUMP_MAN:
		return cli_dump_man(stdout) < 0 ? CS_EXIT_INPUT : CS_EXIT_OK;
	default:
		return -2; /* not a global option */
	}
}

int cli_parse(const struct cli_command *cmd, int argc, char **argv,
	      cli_set_fn set, void *ctx, int *first)
{
	unsigned mask = CLI_GLOBAL | (cmd ? cmd->bit : 0);
	const char *name = cmd ? cmd->name : NULL;
	struct option lo[64];
	char shorts[32];
	size_t n = 0, ns = 0;
	int c, rc;

	/* before the command: stop at it; after it: options anywhere */
	shorts[ns++] = cmd ? ':' : '+';
	if (!cmd)
		shorts[ns++] = ':';
	for (size_t i = 0; i < cli_n_options && n + 1 < 64; i++) {
		const struct cli_option *o = &cli_options[i];

		if (!(o->cmds & mask))
			continue;
		lo[n].name = o->name;
		lo[n].has_arg = o->arg ? required_argument : no_argument;
		lo[n].flag = NULL;
		lo[n].val = o->id;
		n++;
		if (o->short_name && ns + 2 < sizeof(shorts)) {
			shorts[ns++] = o->short_name;
			if (o->arg)
				shorts[ns++] = ':';
		}
	}
	memset(&lo[n], 0, sizeof(lo[n]));
	shorts[ns] = '\0';

	optind = 0; /* re-initialise getopt: main() parsed before */
	opterr = 0;
	while ((c = getopt_long(argc, argv, shorts, lo, NULL)) != -1) {
		const char *bad = argv[optind - 1];

		if (c == ':') {
			const struct cli_option *o = optopt ?
				cli_option_by_id(optopt) : NULL;

			return cli_usage(name, "option '%s' needs a value%s%s%s",
					 bad, o ? " (" : "",
					 o ? o->metavar : "", o ? ")" : "");
		}
		if (c == '?') {
			const struct cli_option *o = optopt ?
				cli_option_by_id(optopt) : NULL;

			if (o && o->arg == CLI_ARG_NONE && optopt >= 256)
				return cli_usage(name, "option '--%s' takes no "
						 "value", o->name);
			if (optopt)
				return cli_usage(name, "unknown option '-%c'",
						 optopt);
			return unknown_long(name, mask, bad);
		}
		rc = global_option(cmd, c, optarg);
		if (rc == -2)
			rc = set ? set(ctx, c, optarg) : CS_EXIT_INPUT;
		if (rc >= 0)
			return rc;
	}
	if (cli_g.verbose && cli_g.quiet)
		return cli_usage(name, "-v and -q exclude each other");
	*first = optind;
	return -1;
}
