/*
 * findings.h - the table of finding codes: stable kebab-case name,
 * severity, a one-line summary, and whether it makes a chain untrusted.
 * Codes are documented in certscope(1) and never renamed.  A test checks
 * that the man page lists every code in this table.
 */
#ifndef CS_FINDINGS_H
#define CS_FINDINGS_H

#include <stdbool.h>
#include <stddef.h>

enum cs_severity {
	CS_SEV_INFO = 0,  /* worth knowing; does not affect the verdict */
	CS_SEV_WARNING,   /* a problem that does not make it untrusted */
	CS_SEV_ERROR,     /* the chain is not trusted / a check failed */
};

struct cs_finding_def {
	const char *code;      /* "expired" */
	enum cs_severity severity;
	const char *summary;   /* "a certificate in the path has expired" */
};

/* The table, and its length. */
extern const struct cs_finding_def cs_finding_defs[];
extern const size_t cs_finding_defs_count;

/* Look a code up; NULL if unknown. */
const struct cs_finding_def *cs_finding_lookup(const char *code);

/* "info", "warning", "error" */
const char *cs_severity_name(enum cs_severity s);

#endif
