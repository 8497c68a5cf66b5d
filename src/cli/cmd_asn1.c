/*
 * cmd_asn1.c - `certscope asn1`: the DER structure of one input (a file
 * or standard input), as a text tree or one JSON document.
 *
 * Exit 0 when every structure decoded to its end; 2 when the input
 * cannot be read, or a structure is malformed (its elements up to the
 * fault are still shown, and the fault is also said on stderr), or on a
 * usage error.
 */
#include "cli.h"

#include <stdlib.h>

#include "error.h"
#include "input/load.h"
#include "opts.h"
#include "report/asn1.h"
#include "x509/asn1.h"

struct asn1_opts {
	bool json;
};

static int set_option(void *ctx, int id, const char *arg)
{
	struct asn1_opts *o = ctx;

	(void)arg;
	if (id == OPT_JSON) {
		o->json = true;
		return -1;
	}
	return cli_usage("asn1", "option %d not handled", id);
}

/* Each fault on stderr, naming the PEM block when there are blocks. */
static int report_faults(const char *path, const struct cs_asn1_list *l)
{
	int rc = CS_EXIT_OK;

	for (size_t i = 0; i < l->n; i++) {
		const struct cs_asn1_dump *d = &l->v[i];

		if (!d->fault)
			continue;
		rc = CS_EXIT_INPUT;
		if (d->pem && d->n == 0 && d->der_len == 0)
			cli_error(path, "block %zu: %s", i + 1, d->reason);
		else if (d->pem)
			cli_error(path, "block %zu (line %zu): offset %zu: %s",
				  i + 1, d->pem_line, d->fault_offset,
				  d->reason);
		else
			cli_error(path, "offset %zu: %s", d->fault_offset,
				  d->reason);
	}
	return rc;
}

int cmd_asn1(int argc, char **argv)
{
	struct asn1_opts o = {0};
	struct cs_asn1_list l;
	struct cs_error err;
	unsigned char *buf = NULL;
	size_t len = 0;
	const char *path;
	int first, rc, oom = 0;

	rc = cli_parse(cli_command_by_bit(CLI_CMD_ASN1), argc, argv,
		       set_option, &o, &first);
	if (rc >= 0)
		return rc;
	if (first >= argc)
		return cli_usage("asn1", "no input: give a FILE or - for "
				 "standard input");
	if (argc - first > 1)
		return cli_usage("asn1", "one input at a time (got %d)",
				 argc - first);
	path = argv[first];
	cs_error_clear(&err);
	if (cs_load_read_file(path, 0, &buf, &len, &err) < 0) {
		cli_error(path, "%s", err.msg);
		return CS_EXIT_INPUT;
	}
	if (cs_asn1_read(&l, buf, len, NULL, &err) < 0) {
		free(buf);
		cli_error(path, "%s", err.msg);
		return CS_EXIT_INPUT;
	}
	free(buf);
	if (o.json) {
		json_t *j = cs_report_asn1_json(&l, path);

		if (!j) {
			cli_error(NULL, "out of memory");
			oom = 1;
		} else if (json_dumpf(j, stdout, JSON_INDENT(2) |
				    JSON_PRESERVE_ORDER |
				    JSON_ENSURE_ASCII) == 0)
			fputc('\n', stdout);
		/* a failed write sets stdout's error flag: main reports it */
		json_decref(j);
	} else {
		(void)cs_report_asn1_text(stdout, &l);
	}
	rc = report_faults(path, &l);
	if (oom)
		rc = CS_EXIT_INPUT;
	cs_asn1_list_free(&l);
	return rc;
}
