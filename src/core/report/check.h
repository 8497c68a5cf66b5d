/*
 * check.h (report) - the four output formats of `certscope check`, fed
 * one result at a time as targets finish:
 *
 * - text: nothing when every target is OK (unless verbose); otherwise one
 *   line per target that is not OK, worst first:
 *       WARNING  example.com:443  23d left  certificate 1 (CN=Example
 *       ICA): expires in 23 days (2027-01-05T00:00:00Z)
 * - nagios: the plugin output of the Nagios plugin guidelines: a status
 *   line with performance data (days left per target), then one line per
 *   target that is not OK;
 * - json: JSON Lines, one object per target, written as it finishes;
 * - prometheus: the text exposition format, each metric family grouped
 *   under its # HELP and # TYPE (families are spooled to temporary files
 *   while results stream in, so memory stays flat; in memory for the
 *   exporter's single target).
 *
 * Text and Nagios keep only what they print at the end (the targets that
 * are not OK, and one perfdata entry per target); JSON and Prometheus
 * keep nothing.  Every string that came from a certificate, a server or
 * a file name is escaped (escape.h) for its format.
 *
 * Does not: decide states (check/check.c does), exit, or pick the stream.
 */
#ifndef CS_REPORT_CHECK_H
#define CS_REPORT_CHECK_H

#include <stdbool.h>
#include <stdio.h>

#include "error.h"
#include "check/check.h"

enum cs_check_format {
	CS_CHECK_FMT_TEXT,
	CS_CHECK_FMT_NAGIOS,
	CS_CHECK_FMT_JSON,
	CS_CHECK_FMT_PROMETHEUS,
};

/* "text", "nagios", "json", "prometheus"; lookup returns -1 if unknown */
const char *cs_check_format_name(enum cs_check_format f);
int cs_check_format_lookup(const char *name, enum cs_check_format *out);

struct cs_check_report_opts {
	enum cs_check_format format;
	bool verbose;     /* text: OK targets too */
	bool color;       /* text: ANSI colour for the state */
	cs_time_t at;     /* the check time */
	int64_t warn_secs, crit_secs;
	bool in_memory;   /* prometheus: spool the families in memory, not
			     in temporary files (one target: the exporter) */
};

struct cs_check_report;

CS_MUST_CHECK struct cs_check_report *
cs_check_report_new(FILE *out, const struct cs_check_report_opts *o,
		    struct cs_error *err);

/* One finished target.  Returns 0, -1 with *err on a write error or
 * when out of memory. */
CS_MUST_CHECK int cs_check_report_add(struct cs_check_report *r,
				      const struct cs_check_result *res,
				      struct cs_error *err);

/* Write what was held back (text lines, the Nagios status, the
 * Prometheus families) and flush.  Returns 0, -1 with *err. */
CS_MUST_CHECK int cs_check_report_finish(struct cs_check_report *r,
					 struct cs_error *err);

/* The worst state reported so far (OK with no target). */
enum cs_check_state cs_check_report_worst(const struct cs_check_report *r);

/* Targets reported so far. */
size_t cs_check_report_count(const struct cs_check_report *r);

void cs_check_report_free(struct cs_check_report *r);

#endif
