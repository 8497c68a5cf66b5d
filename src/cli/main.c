/*
 * main.c - global options and dispatch.  Nothing else lives here.
 */
#include <gnutls/gnutls.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cs_config.h"

struct command {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *summary;
};

static const struct command commands[] = {
	{"show", cmd_show, "show certificates from files, directories or stdin"},
	{"verify", cmd_verify, "build and validate a certificate chain"},
	{"connect", cmd_connect, "fetch a live server's chain over TLS and validate it"},
};

static void usage(FILE *out)
{
	size_t i;
	fprintf(out,
		"Usage: certscope [-v] [--color=WHEN] COMMAND [OPTIONS] ARGS...\n"
		"\n"
		"Inspect certificates and validate their chains.\n"
		"\n"
		"Commands:\n");
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(out, "  %-8s %s\n", commands[i].name,
			commands[i].summary);
	fprintf(out,
		"\n"
		"Global options:\n"
		"  -v, --verbose       say more on stderr (repeatable)\n"
		"      --color=WHEN    colour output: auto, always, never\n"
		"  -h, --help          show this help\n"
		"  -V, --version       show the version\n"
		"\n"
		"Run 'certscope COMMAND --help' for a command's options.\n"
		"Exit codes: 0 ok, 1 not trusted / check failed, 2 usage or "
		"input error.\n");
}

int main(int argc, char **argv)
{
	int i = 1, rc;
	size_t c;

	/* global options before the command */
	for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			usage(stdout);
			return CS_EXIT_OK;
		} else if (!strcmp(a, "-V") || !strcmp(a, "--version")) {
			printf("certscope %s (GnuTLS %s)\n", CS_VERSION,
			       gnutls_check_version(NULL));
			return CS_EXIT_OK;
		} else if (!strcmp(a, "-v") || !strcmp(a, "--verbose")) {
			cli_g.verbose++;
		} else if (!strncmp(a, "--color=", 8)) {
			if (cli_parse_color(a + 8) < 0)
				return cli_usage(NULL, "--color takes auto, always or never, not '%s'", a + 8);
		} else if (!strcmp(a, "--color")) {
			cli_g.color = 1;
		} else {
			return cli_usage(NULL, "unknown option '%s' before the command", a);
		}
	}
	if (i >= argc) {
		usage(stderr);
		return CS_EXIT_INPUT;
	}
	if (gnutls_global_init() < 0) {
		cli_error(NULL, "cannot initialise GnuTLS");
		return CS_EXIT_INPUT;
	}
	for (c = 0; c < sizeof(commands) / sizeof(commands[0]); c++) {
		if (!strcmp(argv[i], commands[c].name)) {
			rc = commands[c].fn(argc - i, argv + i);
			gnutls_global_deinit();
			return rc;
		}
	}
	gnutls_global_deinit();
	if (!strcmp(argv[i], "help")) {
		usage(stdout);
		return CS_EXIT_OK;
	}
	return cli_usage(NULL, "unknown command '%s'", argv[i]);
}
