/*
 * help.c - everything the option table says to people: certscope
 * --help, each command's --help (one screen: 24 lines of 80 columns,
 * ending with examples), and the SYNOPSIS and OPTIONS sections of the man
 * page in scdoc (certscope --dump-man-options; scripts/gen-docs.sh puts
 * them into doc/certscope.1.scd).
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "opts.h"

#define HELP_WIDTH 80
#define HELP_LEFT 24 /* "    --password-file FILE" */
#define MAN_WIDTH 72

/* ---- --help -------------------------------------------------------- */

static void option_line(FILE *out, const struct cli_option *o)
{
	char left[64], sh[8] = "    ";

	if (o->short_name)
		snprintf(sh, sizeof(sh), "-%c, ", o->short_name);
	snprintf(left, sizeof(left), "%s--%s%s%s", sh, o->name,
		 o->metavar ? " " : "", o->metavar ? o->metavar : "");
	fprintf(out, "  %-*s  %s\n", HELP_LEFT, left, o->help);
}

/* "title: --a, --b, ..." wrapped at HELP_WIDTH, continuation indented. */
static void brief_lines(FILE *out, const char *title, unsigned cmds)
{
	size_t col = (size_t)fprintf(out, "%s:", title);
	bool first = true;

	for (size_t i = 0; i < cli_n_options; i++) {
		const struct cli_option *o = &cli_options[i];
		char item[64];

		if (o->cmds != cmds || !cli_option_listed(o) ||
		    (o->flags & (CLI_COMPAT | CLI_TERSE)))
			continue;
		if (o->short_name)
			snprintf(item, sizeof(item), "-%c/--%s", o->short_name,
				 o->name);
		else if (o->arg == CLI_ARG_CHOICE && !(o->flags & CLI_OPEN))
			snprintf(item, sizeof(item), "--%s %s", o->name,
				 o->metavar);
		else
			snprintf(item, sizeof(item), "--%s", o->name);
		if (!first)
			col += (size_t)fprintf(out, ",");
		if (col + 1 + strlen(item) + 1 > HELP_WIDTH) {
			fputs("\n ", out);
			col = 1;
		}
		col += (size_t)fprintf(out, " %s", item);
		first = false;
	}
	fputc('\n', out);
}

/* The first command of mask, in the table's order: where a group's
 * options are listed in full. */
static const struct cli_command *first_command(unsigned mask)
{
	size_t i = 0;

	while (i + 1 < cli_n_commands && !(cli_commands[i].bit & mask))
		i++;
	return &cli_commands[i];
}

static void sentence(FILE *out, const char *s)
{
	fprintf(out, "%c%s.\n", toupper((unsigned char)s[0]), s + 1);
}

void cli_help_main(FILE *out)
{
	fputs("Usage: certscope [GLOBAL OPTIONS] COMMAND [OPTIONS] ARGS...\n"
	      "\n"
	      "Inspect certificates and validate their chains.\n"
	      "\n"
	      "Commands:\n", out);
	for (size_t i = 0; i < cli_n_commands; i++)
		fprintf(out, "  %-12s %s\n", cli_commands[i].name,
			cli_commands[i].summary);
	fprintf(out, "\n%s (before or after the command):\n",
		cli_groups[0].title);
	for (size_t i = 0; i < cli_n_options; i++)
		if (cli_options[i].cmds == CLI_GLOBAL &&
		    cli_option_listed(&cli_options[i]))
			option_line(out, &cli_options[i]);
	fputs("\n"
	      "Run 'certscope COMMAND --help' for a command's options.\n"
	      "Exit codes: 0 ok, 1 not trusted / check failed, 2 usage or "
	      "input error.\n", out);
}

void cli_help_command(FILE *out, const struct cli_command *cmd)
{
	fprintf(out, "Usage: certscope %s [OPTIONS] %s\n", cmd->name,
		cmd->operands);
	sentence(out, cmd->summary);
	if (cmd->note)
		fprintf(out, "%s\n", cmd->note);
	fputc('\n', out);
	for (size_t g = 0; g < cli_n_groups; g++) {
		const struct cli_group *grp = &cli_groups[g];

		if (!(grp->cmds & cmd->bit) || (grp->brief_in & cmd->bit))
			continue;
		for (size_t i = 0; i < cli_n_options; i++) {
			const struct cli_option *o = &cli_options[i];

			if (o->cmds == grp->cmds && cli_option_listed(o) &&
			    !(o->flags & (CLI_COMPAT | CLI_TERSE)))
				option_line(out, o);
		}
	}
	/* the groups only named here, the global options last */
	for (size_t g = cli_n_groups; g-- > 0;) {
		const struct cli_group *grp = &cli_groups[g];
		char title[96];

		if (!(grp->cmds & (cmd->bit | CLI_GLOBAL)) ||
		    !(grp->brief_in & cmd->bit))
			continue;
		if (grp->cmds == CLI_GLOBAL)
			snprintf(title, sizeof(title), "Global");
		else
			snprintf(title, sizeof(title), "%s (see %s --help)",
				 grp->title, first_command(grp->cmds)->name);
		brief_lines(out, title, grp->cmds);
	}
	fputs("\nExamples:\n", out);
	for (size_t i = 0; i < 4 && cmd->examples[i]; i++)
		fprintf(out, "  %s\n", cmd->examples[i]);
}

/* ---- the man page: SYNOPSIS and OPTIONS in scdoc ------------------- */

/* A metavariable in scdoc: words of capitals underlined ("_HOST_[:_PORT_]"),
 * a lone "-" bold. */
static void man_meta(FILE *out, const char *s)
{
	while (*s) {
		size_t n = strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789");

		if (n) {
			fprintf(out, "_%.*s_", (int)n, s);
			s += n;
		} else if (*s == '-' && (s[1] == '\0' || s[1] == ' ' ||
					 s[1] == '|')) {
			fputs("*-*", out);
			s++;
		} else {
			fputc(*s++, out);
		}
	}
}

static void man_synopsis_option(FILE *out, const struct cli_option *o)
{
	fprintf(out, " [*--%s*", o->name);
	if (o->metavar) {
		fputc(' ', out);
		man_meta(out, o->metavar);
	}
	fprintf(out, "]%s", o->flags & CLI_REPEAT ? "..." : "");
}

static void man_synopsis(FILE *out, const struct cli_command *cmd)
{
	fprintf(out, "*certscope* [_GLOBAL OPTIONS_] *%s*", cmd->name);
	for (size_t g = 0; g < cli_n_groups; g++) {
		const struct cli_group *grp = &cli_groups[g];

		if (grp->cmds == CLI_GLOBAL || !(grp->cmds & cmd->bit) ||
		    (grp->brief_in & cmd->bit))
			continue;
		for (size_t i = 0; i < cli_n_options; i++)
			if (cli_options[i].cmds == grp->cmds &&
			    cli_option_listed(&cli_options[i]) &&
			    !(cli_options[i].flags & CLI_COMPAT))
				man_synopsis_option(out, &cli_options[i]);
	}
	/* then the groups documented elsewhere, by name */
	for (size_t g = 0; g < cli_n_groups; g++) {
		const struct cli_group *grp = &cli_groups[g];

		if (grp->cmds == CLI_GLOBAL || !(grp->brief_in & cmd->bit))
			continue;
		fputs(" [_", out);
		for (const char *t = grp->title; *t; t++)
			fputc(toupper((unsigned char)*t), out);
		fputs("_]", out);
	}
	fputc(' ', out);
	if (cmd->operand_choices && cmd->operands[0] != '[') {
		const char *v;

		for (size_t i = 0; (v = cmd->operand_choices(i)); i++)
			fprintf(out, "%s*%s*", i ? "|" : "", v);
	} else {
		man_meta(out, cmd->operands);
	}
	fputs("\n\n", out);
}

/* Text wrapped at MAN_WIDTH after a tab (scdoc's markup may span
 * lines). */
static void man_paragraph(FILE *out, const char *s)
{
	size_t col = 0;

	fputc('\t', out);
	while (*s) {
		size_t n = strcspn(s, " ");

		if (col && col + 1 + n > MAN_WIDTH) {
			fputs("\n\t", out);
			col = 0;
		} else if (col) {
			fputc(' ', out);
			col++;
		}
		fprintf(out, "%.*s", (int)n, s);
		col += n;
		s += n;
		while (*s == ' ')
			s++;
	}
	fputc('\n', out);
}

static void man_option(FILE *out, const struct cli_option *o)
{
	if (o->short_name)
		fprintf(out, "*-%c*, ", o->short_name);
	fprintf(out, "*--%s*", o->name);
	if (o->metavar) {
		fputc(' ', out);
		man_meta(out, o->metavar);
	}
	fputc('\n', out);
	man_paragraph(out, o->doc ? o->doc : o->help);
	fputc('\n', out);
}

int cli_dump_man(FILE *out)
{
	/* every option is documented in the group of its commands */
	for (size_t i = 0; i < cli_n_options; i++) {
		size_t g = 0;

		while (g < cli_n_groups &&
		       cli_groups[g].cmds != cli_options[i].cmds)
			g++;
		if (g == cli_n_groups) {
			cli_error(NULL, "option --%s: no group documents "
				  "its commands", cli_options[i].name);
			return -1;
		}
	}
	fputs("; BEGIN GENERATED synopsis: scripts/gen-docs.sh\n", out);
	for (size_t i = 0; i < cli_n_commands; i++)
		man_synopsis(out, &cli_commands[i]);
	fputs("*certscope* *--version* | *--help*\n", out);
	fputs("; END GENERATED synopsis\n", out);

	fputs("; BEGIN GENERATED options: scripts/gen-docs.sh\n"
	      "# OPTIONS\n\n", out);
	for (size_t g = 0; g < cli_n_groups; g++) {
		const struct cli_group *grp = &cli_groups[g];

		fprintf(out, "## %s\n\n", grp->title);
		if (grp->intro)
			fprintf(out, "%s\n\n", grp->intro);
		for (size_t i = 0; i < cli_n_options; i++)
			if (cli_options[i].cmds == grp->cmds &&
			    cli_option_listed(&cli_options[i]))
				man_option(out, &cli_options[i]);
	}
	fputs("; END GENERATED options\n", out);
	return fflush(out) == 0 && !ferror(out) ? 0 : -1;
}

/* ---- the help command ---------------------------------------------- */

int cmd_help(int argc, char **argv)
{
	const struct cli_command *self = cli_command_by_bit(CLI_CMD_HELP);
	const struct cli_command *cmd;
	int first, rc = cli_parse(self, argc, argv, NULL, NULL, &first);

	if (rc >= 0)
		return rc;
	if (first >= argc) {
		cli_help_main(stdout);
		return CS_EXIT_OK;
	}
	if (first + 1 < argc)
		return cli_usage(self->name, "one COMMAND at most");
	cmd = cli_command_by_name(argv[first]);
	if (cmd) {
		cli_help_command(stdout, cmd);
		return CS_EXIT_OK;
	}
	return cli_unknown_command(self->name, argv[first]);
}
