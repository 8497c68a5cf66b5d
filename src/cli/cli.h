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

/* Global flags, before or after the command. */
struct cli_global {
	int verbose;        /* -v count */
	bool quiet;         /* -q: no notes or warnings */
	int color;          /* -1 auto, 0 never, 1 always */
};
extern struct cli_global cli_g;

/* "certscope: WHAT: message\n" on stderr.  what may be NULL. */
void cli_error(const char *what, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* "certscope: warning: ...", not with -q */
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

struct cli_command;

/* One option of a command that is not a global one: its id (enum
 * cli_opt_id) and argument (NULL without).  Returns -1 to go on, else the
 * exit code (after printing why). */
typedef int (*cli_set_fn)(void *ctx, int id, const char *arg);

/*
 * Parse the options of cmd (NULL: those before the command, up to it) in
 * argv, argv[0] being the command's name: the global options are taken
 * here wherever they stand, the others passed to set.  Returns -1 with
 * *first the index of the first operand, else the exit code: 0 after
 * --help or --version, 2 after a usage error.
 */
int cli_parse(const struct cli_command *cmd, int argc, char **argv,
	      cli_set_fn set, void *ctx, int *first);

/* The candidate a misspelt word most likely meant: the only one it is a
 * prefix of, else the nearest within a Damerau-Levenshtein distance of
 * 2; NULL when none is near. */
const char *cli_suggest(const char *word, const char *const *cands,
			size_t n);

/* "unknown WHAT 'PREFIXword'; did you mean 'PREFIXcand'?" as a usage
 * error of cmd (NULL: of certscope); returns 2. */
int cli_unknown(const char *cmd, const char *what, const char *prefix,
		const char *word, const char *const *cands, size_t n);
/* The same for a command name. */
int cli_unknown_command(const char *cmd, const char *word);

/* --help of certscope and of a command; the man page's generated
 * SYNOPSIS and OPTIONS sections (scdoc).  help.c */
void cli_help_main(FILE *out);
void cli_help_command(FILE *out, const struct cli_command *cmd);
int cli_dump_man(FILE *out);

/* Values offered by the completions, i = 0, 1, ... until NULL. */
const char *cli_shell_choice(size_t i);
const char *cli_purpose_choice(size_t i);

/* Commands: argc/argv start at the command name; return the exit code. */
int cmd_show(int argc, char **argv);
int cmd_verify(int argc, char **argv);
int cmd_connect(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_serve(int argc, char **argv);
int cmd_asn1(int argc, char **argv);
int cmd_completion(int argc, char **argv);
int cmd_help(int argc, char **argv);

#endif
