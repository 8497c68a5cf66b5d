/* see cli.h: messages, colour, password input */
#include "cli.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "escape.h"

const char *cli_progname = "certscope";
struct cli_global cli_g = {.verbose = 0, .quiet = false, .color = -1};

static void vmsg(const char *level, const char *what, const char *fmt,
		 va_list ap)
{
	fprintf(stderr, "%s: ", cli_progname);
	if (level)
		fprintf(stderr, "%s: ", level);
	if (what) {
		/* file names come from the user or a directory walk: escape */
		char *w = cs_escape(what, strlen(what), CS_ESC_TEXT);
		fprintf(stderr, "%s: ", w ? w : what);
		free(w);
	}
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void cli_error(const char *what, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vmsg(NULL, what, fmt, ap);
	va_end(ap);
}

void cli_warn(const char *what, const char *fmt, ...)
{
	va_list ap;
	if (cli_g.quiet)
		return;
	va_start(ap, fmt);
	vmsg("warning", what, fmt, ap);
	va_end(ap);
}

void cli_note(const char *fmt, ...)
{
	va_list ap;
	if (cli_g.verbose <= 0 || cli_g.quiet)
		return;
	va_start(ap, fmt);
	vmsg("note", NULL, fmt, ap);
	va_end(ap);
}

int cli_usage(const char *cmd, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vmsg(NULL, NULL, fmt, ap);
	va_end(ap);
	if (cmd)
		fprintf(stderr, "Try '%s %s --help'.\n", cli_progname, cmd);
	else
		fprintf(stderr, "Try '%s --help'.\n", cli_progname);
	return CS_EXIT_INPUT;
}

int cli_parse_color(const char *when)
{
	if (!strcmp(when, "always") || !strcmp(when, "yes"))
		cli_g.color = 1;
	else if (!strcmp(when, "never") || !strcmp(when, "no"))
		cli_g.color = 0;
	else if (!strcmp(when, "auto"))
		cli_g.color = -1;
	else
		return -1;
	return 0;
}

bool cli_use_color(FILE *stream)
{
	const char *nc;
	if (cli_g.color >= 0)
		return cli_g.color == 1;
	nc = getenv("NO_COLOR");
	if (nc && *nc)
		return false;
	return isatty(fileno(stream));
}

char *cli_read_password(const char *file, bool *failed)
{
	*failed = false;
	if (file) {
		FILE *f = fopen(file, "r");
		char buf[1024];
		size_t n;
		if (!f) {
			*failed = true;
			cli_error(file, "cannot read password file: %s",
				  strerror(errno));
			return NULL;
		}
		n = fread(buf, 1, sizeof(buf) - 1, f);
		fclose(f);
		buf[n] = '\0';
		buf[strcspn(buf, "\r\n")] = '\0';
		return strdup(buf);
	}
	const char *env = getenv("CERTSCOPE_PASSWORD");
	return env ? strdup(env) : NULL;
}
