/*
 * main.c - the standard streams made safe, the global options before the
 * command, dispatch, and the last word on standard output: output that
 * cannot be written is an error.  The commands and options are in opts.c.
 */
#include <errno.h>
#include <fcntl.h>
#include <gnutls/gnutls.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "opts.h"

/* A descriptor of 0, 1 or 2 closed at start is given /dev/null, so that
 * no file or socket opened later takes its number and receives what was
 * meant for the terminal.  Standard output gets it read-only: every write
 * then fails and is reported, as a closed stdout should be. */
static void guard_std_fds(void)
{
	for (int fd = 0; fd <= 2; fd++) {
		int nfd;

		if (fcntl(fd, F_GETFD) >= 0 || errno != EBADF)
			continue;
		nfd = open("/dev/null", fd == 2 ? O_WRONLY : O_RDONLY);
		if (nfd >= 0 && nfd != fd) {
			(void)dup2(nfd, fd);
			close(nfd);
		}
	}
}

/* Everything the command wrote must have reached standard output. */
static int check_output(const struct cli_command *cmd, int rc)
{
	int e;

	errno = 0;
	if (fflush(stdout) == 0 && !ferror(stdout))
		return rc;
	e = errno;
	if (e)
		cli_error(NULL, "cannot write output: %s", strerror(e));
	else
		cli_error(NULL, "cannot write output");
	/* check reports as a Nagios plugin: an error is UNKNOWN */
	if (cmd && cmd->bit == CLI_CMD_CHECK)
		return 3;
	return rc > CS_EXIT_INPUT ? rc : CS_EXIT_INPUT;
}

int main(int argc, char **argv)
{
	const struct cli_command *cmd;
	int first, rc;

	guard_std_fds();
	/* a reader that went away is a write error, not a silent death */
	signal(SIGPIPE, SIG_IGN);
	rc = cli_parse(NULL, argc, argv, NULL, NULL, &first);
	if (rc >= 0)
		return check_output(NULL, rc);
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
	return check_output(cmd, rc);
}
