/*
 * report_verify.h - text and JSON rendering of `certscope verify`
 * results.  Like report.h, it only writes onto a FILE * it is given.
 *
 * Text, per input: a header line "FILE: trusted" / "FILE: NOT TRUSTED",
 * the chosen path as a small tree (leaf first, the trust anchor marked),
 * for a trusted path the line "valid until DATE (limited by 'NAME',
 * certificate N)", then one paragraph per finding:
 *
 *     error  expired  [0] www.example.test
 *       The certificate ... (sentence)
 *       fix: ...
 *
 * JSON: one document per run, {"inputs": [ {...}, ... ]}, written an
 * input at a time by the CLI (jstream.h); the schema is
 * in doc/json-schema.md, section "verify".  Every string that came from a
 * certificate or a file name is escaped (escape.h) in both forms.
 *
 * Does not: decide the verdict or the exit code, print errors about
 * inputs on stderr (the CLI does), or read the clock (times come in).
 */
#ifndef CS_REPORT_VERIFY_H
#define CS_REPORT_VERIFY_H

#include <stdbool.h>
#include <stdio.h>
#include <jansson.h>

#include "error.h"
#include "x509/model.h"
#include "path/trust.h"
#include "path/verify.h"

struct cs_verify_report_opts {
	bool color;    /* ANSI colour (the CLI decides) */
	cs_time_t at;  /* the validation time: "expires ... (in 578 days)" */
};

/* Text block for one verified input.  file is borrowed (escaped here).
 * Returns 0, -1 on a write error. */
int cs_report_verify_text(FILE *out, const char *file,
			  const struct cs_verify_result *res,
			  const struct cs_verify_report_opts *o);

/* New JSON object for one input (caller json_decref()s), NULL on
 * allocation failure.  res is NULL for an input that could not be
 * checked; then error (borrowed) says why and the verdict is "error". */
json_t *cs_report_verify_json(const char *file,
			      const struct cs_verify_result *res,
			      const struct cs_error *error,
			      const struct cs_verify_report_opts *o);

/* As cs_report_verify_json(), for one of verify's inputs: "item"
 * follows "file", the 1-based position of the leaf in that file when
 * the input is a leaf found in a directory tree, null (item 0) when the
 * file was verified as one input.  The document {"inputs": [...]} is
 * written an input at a time (report/jstream.h). */
json_t *cs_report_verify_input_json(const char *file, size_t item,
				    const struct cs_verify_result *res,
				    const struct cs_error *error,
				    const struct cs_verify_report_opts *o,
				    json_t *checked);

/*
 * What a validation checked, for its JSON ("checked", doc/json-schema.md):
 * {"host": v->host or null, "sni": sni or null (the name sent in the TLS
 * handshake; NULL for verify), "purpose": "server", "client", "email",
 * "code", "any" or the dotted OID, "time": v->at as RFC 3339 UTC,
 * "trust": {"source": "files", "system", "bundled", "files-and-system" or
 * "none", "anchors": N}}.  A new object (caller json_decref()s), NULL
 * on allocation failure.  The inputs above take it as "checked" (their
 * last key), each holding a reference.
 */
json_t *cs_report_checked_json(const struct cs_verify_opts *v,
			       const char *sni, const struct cs_trust *trust);

/* "valid until 2027-03-01 (limited by 'Example Issuing CA', certificate
 * 1)" and, when another path outlives it, "; another path, through
 * 'New Root', stays valid until 2035-01-01" into buf (names escaped).
 * Returns 1 when written, 0 when res has no such date (not trusted), -1
 * when out of memory. */
int cs_report_verify_until_text(char *buf, size_t bufsz,
				 const struct cs_verify_result *res);

/* The chain a server should send, as PEM: the path's certificates leaf
 * first, the trust anchor left out.  Whether to write it (a trusted
 * path) is the caller's decision.  Returns how many were written, -1 on
 * an encoding or write error. */
int cs_report_verify_chain_pem(FILE *out,
			       const struct cs_verify_result *res);

/* "RSA 2048", "ECDSA P-256", "Ed25519" into buf. */
void cs_report_verify_key(const struct cs_cert_model *m, char *buf,
			  size_t bufsz);

#endif
