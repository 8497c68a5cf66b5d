/*
 * opts.h - the one table of commands and options.
 *
 * Every command and every option is declared once, in opts.c: its name,
 * short form, argument and the kind of that argument, the commands it
 * belongs to, one line of help and its man page text.  The table drives
 * the parser (parse.c), each command's --help and the man page's
 * SYNOPSIS and OPTIONS sections (help.c) and the bash, zsh and fish
 * completions (complete.c).
 */
#ifndef CS_CLI_OPTS_H
#define CS_CLI_OPTS_H

#include <stdbool.h>
#include <stddef.h>

/* Commands, as bits of an option's command mask. */
enum {
	CLI_CMD_SHOW = 1u << 0,
	CLI_CMD_VERIFY = 1u << 1,
	CLI_CMD_CONNECT = 1u << 2,
	CLI_CMD_COMPLETION = 1u << 3,
	CLI_CMD_HELP = 1u << 4,
	CLI_CMD_CHECK = 1u << 5,
	CLI_CMD_SERVE = 1u << 6,
	CLI_CMD_ASN1 = 1u << 7,
	CLI_GLOBAL = 1u << 15,  /* before or after any command */
};
/* The commands that validate a chain share the verify options: a new
 * verify option (or a new such command) appears in all of them. */
#define CLI_VERIFYING (CLI_CMD_VERIFY | CLI_CMD_CONNECT | CLI_CMD_CHECK)

/* What an argument is: the completions offer file names for FILE and
 * PATH, host names for HOST, the list for CHOICE. */
enum cli_arg {
	CLI_ARG_NONE = 0,
	CLI_ARG_FILE,     /* a file */
	CLI_ARG_PATH,     /* a file or a directory */
	CLI_ARG_HOST,     /* a host name or address */
	CLI_ARG_TIME,     /* a time or a duration */
	CLI_ARG_NUMBER,
	CLI_ARG_CHOICE,   /* one of choices() (or, with CLI_OPEN, anything) */
	CLI_ARG_TEXT,     /* anything else */
};

/* Option flags. */
enum {
	CLI_REPEAT = 1u << 0,  /* may be given more than once */
	CLI_OPEN = 1u << 1,    /* CHOICE: other values are accepted too */
	CLI_COMPAT = 1u << 2,  /* kept for compatibility: man page only */
	CLI_HIDDEN = 1u << 3,  /* for the build: in no help, page or script */
	CLI_TERSE = 1u << 4,   /* left out of --help to keep it one screen;
				  the man page and completions list it */
};

/* Option ids: short options are their letter, the others from 256. */
enum cli_opt_id {
	OPT_VERBOSE = 'v', OPT_QUIET = 'q', OPT_HELP = 'h', OPT_VERSION = 'V',
	OPT_JOBS = 'j', OPT_OUTPUT = 'o', OPT_CONFIG = 'c',
	OPT_COLOR = 256, OPT_DUMP_MAN,
	/* show, verify, connect */
	OPT_JSON, OPT_PASSWORD_FILE, OPT_AT,
	/* show */
	OPT_PEM, OPT_LONG,
	/* verify options (CLI_VERIFYING) */
	OPT_TRUST, OPT_SYSTEM_TRUST, OPT_UNTRUSTED, OPT_HOST, OPT_EMAIL,
	OPT_PURPOSE, OPT_MAX_DEPTH, OPT_CRL, OPT_TIMEOUT, OPT_FETCH_MISSING,
	OPT_REVOCATION, OPT_REVOCATION_SOURCE,
	/* verify and connect */
	OPT_WRITE_CHAIN,
	/* connect */
	OPT_STARTTLS, OPT_SNI, OPT_NO_SNI, OPT_ADDRESS, OPT_ALL_ADDRESSES,
	OPT_DNS_SERVERS, OPT_ALPN, OPT_OCSP_STAPLING, OPT_SAVE_CHAIN,
	OPT_CERT, OPT_KEY, OPT_TRACE,
	/* check */
	OPT_WARN, OPT_CRIT, OPT_FORMAT, OPT_TARGETS, OPT_SHARD,
	OPT_UNREACHABLE,
	/* serve */
	OPT_LISTEN,
};

/* The values of a CHOICE: choices(i) for i = 0, 1, ... until NULL. */
typedef const char *(*cli_choices_fn)(size_t i);

struct cli_option {
	int id;                 /* enum cli_opt_id */
	const char *name;       /* long name, without "--" */
	char short_name;        /* or 0 */
	enum cli_arg arg;
	const char *metavar;    /* "FILE|DIR"; NULL without an argument */
	cli_choices_fn choices; /* CLI_ARG_CHOICE */
	unsigned cmds;          /* CLI_CMD_* bits, or CLI_GLOBAL */
	unsigned flags;         /* CLI_REPEAT, ... */
	const char *help;       /* one line for --help and the completions */
	const char *doc;        /* the man page's paragraph (scdoc) */
};

struct cli_command {
	const char *name;
	unsigned bit;           /* CLI_CMD_* */
	int (*run)(int argc, char **argv);
	const char *operands;   /* "FILE|DIR|- ..." */
	enum cli_arg operand;   /* what each operand is */
	cli_choices_fn operand_choices;
	const char *summary;    /* one line */
	const char *note;       /* a second line for --help, or NULL */
	const char *examples[4];/* end its --help; NULL-terminated */
};

/* A group of options documented together: the options whose command
 * mask is exactly cmds. */
struct cli_group {
	unsigned cmds;
	const char *title;      /* the man page's subsection and --help line */
	const char *intro;      /* man page sentence, or NULL */
	unsigned brief_in;      /* commands whose --help only names them */
};

extern const struct cli_option cli_options[];
extern const size_t cli_n_options;
extern const struct cli_command cli_commands[];
extern const size_t cli_n_commands;
extern const struct cli_group cli_groups[];
extern const size_t cli_n_groups;

/* The option of that long name accepted by the commands of mask
 * (CLI_GLOBAL included), or NULL. */
const struct cli_option *cli_option_by_name(const char *name, unsigned mask);
const struct cli_option *cli_option_by_id(int id);
const struct cli_command *cli_command_by_name(const char *name);
const struct cli_command *cli_command_by_bit(unsigned bit);
/* Is opt shown to people (help, man page, completions)? */
bool cli_option_listed(const struct cli_option *opt);

#endif
