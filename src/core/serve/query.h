/*
 * query.h - the request line of the exporter, read strictly: the path,
 * and the query's `target` and `module` parameters, percent-decoded
 * (RFC 3986 2.1; '+' is a space, as HTML forms and Prometheus send it).
 *
 * A malformed request is refused with a reason, never guessed at: a '%'
 * not followed by two hex digits, a decoded NUL or control character, a
 * parameter given twice, more than CS_QUERY_MAX_PARAMS parameters, or a
 * URI longer than CS_QUERY_MAX_URI bytes.
 *
 * Does not: touch the network or the file system; it is fed the raw URI
 * exactly as the client sent it.
 */
#ifndef CS_SERVE_QUERY_H
#define CS_SERVE_QUERY_H

#include <stddef.h>

#include "error.h"

#define CS_QUERY_MAX_URI 2048
#define CS_QUERY_MAX_PARAMS 16
#define CS_QUERY_MAX_VALUE 1024

struct cs_query {
	char path[256];                  /* decoded, e.g. "/probe" */
	char target[CS_QUERY_MAX_VALUE]; /* "" when absent */
	char module[128];                /* "" when absent */
	int has_target, has_module;
};

/* Parse a raw request URI ("/probe?target=a.example%3A443&module=x").
 * Returns 0, or -1 with CS_E_USAGE (or CS_E_LIMIT) and a reason. */
CS_MUST_CHECK int cs_query_parse(const char *uri, size_t len,
				 struct cs_query *q, struct cs_error *err);

#endif
