/*
 * main.c - the global options before the command, and dispatch.  Nothing
 * else lives here: the commands and options are in opts.c.
 */
#include <gnutls/gnutls.h>
#include <stdio.h>

#include "cli.h"
#include "opts.h"

int main(int argc, char **argv)
{
	const struct cli_command *cmd;
	int first, rc;

	rc = cli_parse(NULL, argc, argv, NULL, NULL, &first);
	if (rc >= 0)
		return rc;
	if (first >= argc) {
		cli_help_main(stderr);
		return CS_EXIT_INPUT;
	}
	cmd = cli_command_by_name(argv[first]);
	if (!cmd)
		return cli_unknown_command(NULL, argv[first]);
	if (gnutls_global_init() < 0) {
		cli_error(NULL, "cannot initialise GnuTLS");
		return CS_EXIT_INPUT;
	}
	rc = cmd->run(argc - first, argv + first);
	gnutls_global_deinit();
	return rc;
}
