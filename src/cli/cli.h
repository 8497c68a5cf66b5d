/*
 * cli.h - the command-line front end: option parsing, dispatch, messages
 * on stderr and exit codes.  The only layer that exits.
 */
#ifndef CS_CLI_H
#define CS_CLI_H

#include <stdbool.h>
#include <stdio.h>

/* Exit codes (design.md). */
enum {
	CS_EXIT_OK = 0,
	CS_EXIT_FAIL = 1,   /* verify/connect: not trusted, a check failed */
	CS_EXIT_INPUT = 2,  /* usage error, unreadable or malformed input */
};

/* Prefix for messages: "certscope". */
extern const char *cli_progname;

/* Global flags parsed before the command. */
struct cli_global {
	int verbose;        /* -v count */
	int color;          /* -1 auto, 0 never, 1 always */
};
extern struct cli_global cli_g;

/* "certscope: WHAT: message\n" on stderr.  what may be NULL. */
void cli_error(const char *what, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void cli_warn(const char *what, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Only with -v: "certscope: note: ..." */
void cli_note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Usage error: message, then "Try 'certscope CMD --help'." Returns 2. */
int cli_usage(const char *cmd, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Decide colour for stream: --color, NO_COLOR, isatty. */
bool cli_use_color(FILE *stream);

/* Parse --color=WHEN value; returns 0 or -1. */
int cli_parse_color(const char *when);

/* Read a password: from FILE (first line, without newline) when file is
 * non-NULL, else from $CERTSCOPE_PASSWORD; NULL if neither.  Returned
 * string is malloc'd; *failed is set when the file cannot be read. */
char *cli_read_password(const char *file, bool *failed);

/* Commands: argc/argv start at the command name; return the exit code. */
int cmd_show(int argc, char **argv);
int cmd_verify(int argc, char **argv);
int cmd_connect(int argc, char **argv);

#endif
