/*
 * trace.h - `connect --trace` shown: the steps net/trace.h recorded, one
 * text line each, or a JSON array.
 *
 * Text, one line a step: the time since the start, the direction (->
 * sent, <- received, none for resolve, connect and stopped), the step's
 * name, what it carried in words:
 *
 *         3 ms  -> ClientHello          TLS1.3, TLS1.2 offered, SNI ...
 *         5 ms  <- Certificate          2 certificates: www.example.test, ...
 *
 * JSON: [{"time_ms": 3, "direction": "sent", "message": "ClientHello",
 * "details": {...}}, ...]; doc/json-schema.md, section "connect", lists
 * the details.  Every text value (server replies, names from the
 * certificates, DNS answers) is escaped (escape.h) in both forms; a value
 * cut at its limit, fields over their limit and steps over theirs are
 * said, in words and in JSON.
 *
 * Does not: record anything (net/ does), decide anything, or read the
 * clock.
 */
#ifndef CS_REPORT_TRACE_H
#define CS_REPORT_TRACE_H

#include <stdio.h>
#include <jansson.h>

#include "input/load.h"
#include "net/trace.h"

/*
 * Every step of t as a line on out, then a line saying how many steps
 * were not recorded, if any.  chain (may be NULL) is the chain the
 * server sent during these steps: the Certificate step names its
 * certificates when their count agrees.  Returns 0, -1 on a write error.
 */
int cs_report_trace_text(FILE *out, const struct cs_net_trace *t,
			 const struct cs_itemlist *chain);

/* The steps of t as a new JSON array (caller json_decref()s), with a
 * last element "limit" when steps were not recorded; NULL on allocation
 * failure.  chain as above. */
json_t *cs_report_trace_json(const struct cs_net_trace *t,
			     const struct cs_itemlist *chain);

#endif
