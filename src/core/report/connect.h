/*
 * connect.h - text and JSON rendering of `certscope connect`: what one
 * address's handshake gave (protocol, cipher, timings, the stapled OCSP
 * response, the client certificate asked for and sent, the chain as
 * sent) followed by the verdict as report/verify.h shows it, and with
 * --all-addresses a table of every address and a sentence naming what
 * differs among them.  Like the rest of report/, it only writes onto a
 * FILE * it is given; colour comes in with the verify options.
 *
 * Text, per address:
 *
 *     Connected to 192.0.2.1:443 (SNI www.example.test)
 *     Checked for www.example.test
 *     Protocol:   TLS1.3
 *     ...
 *     OCSP:       no stapled response
 *     Chain sent by the server (2 certificates):
 *       0: CN=www.example.test
 *          issuer CN=Example CA
 *          ECDSA P-256, not after 2027-12-31T23:59:59Z
 *       1: ...
 *
 *     192.0.2.1:443: trusted
 *     (the tree and findings of report/verify.h)
 *
 * With --trace, the lines of report/trace.h come first.
 *
 * JSON: {"target": ..., "results": [ {...}, ... ], "comparison": {...}};
 * the schema is in doc/json-schema.md, section "connect".  Every string
 * that came from a certificate is escaped (escape.h) in both forms.
 *
 * Does not: connect, check the chain or the staple (net/, path/), decide
 * the exit code, print errors on stderr (the CLI does), or read the
 * clock.
 */
#ifndef CS_REPORT_CONNECT_H
#define CS_REPORT_CONNECT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <jansson.h>

#include "x509/model.h"
#include "net/net.h"
#include "net/trace.h"
#include "path/ocsp.h"
#include "path/trust.h"
#include "path/verify.h"
#include "report/verify.h"

/* What one address's report shows; everything borrowed. */
struct cs_connect_report {
	const char *target;                 /* as the user wrote it */
	enum cs_starttls starttls;          /* the dialogue spoken */
	bool alpn_offered;                  /* show the ALPN line */
	const struct cs_net_client *client; /* the one given, or NULL */
	const struct cs_net_result *net;    /* the handshake's capture */
	const struct cs_verify_result *vr;  /* the verdict on its chain */
	const struct cs_ocsp_result *ocsp;  /* the staple checked, NULL when
					       none was stapled */
	const struct cs_verify_report_opts *ro; /* colour, validation time */
	const struct cs_net_trace *trace;   /* --trace: the steps to show
					       first, or NULL */
	const struct cs_verify_opts *vo;    /* what was checked: the name,
					       purpose, time (JSON "checked") */
	const struct cs_trust *trust;       /* the anchors it was checked
					       against (JSON "checked") */
};


/* The text block for one address (after the trace's lines, if any).
 * Returns 0, -1 on a write error. */
int cs_report_connect_text(FILE *out, const struct cs_connect_report *c);

/* A new JSON object for one address (caller json_decref()s), NULL on
 * allocation failure; "trace" holds the trace's steps, if any. */
json_t *cs_report_connect_json(const struct cs_connect_report *c);

/* A new JSON object for an address that could not be checked: msg
 * (borrowed) says why and the verdict is "error"; with trace (may be
 * NULL), "trace" holds its steps. */
json_t *cs_report_connect_error_json(const char *target, const char *addr,
				     const char *msg,
				     const struct cs_net_trace *trace);

/* One address's outcome, kept to compare the addresses after all of
 * them were checked. */
struct cs_connect_summary {
	char addr[64];
	const char *verdict;        /* "trusted", "rejected", "error" */
	char error[160];            /* the reason, for "error" */
	char version[32];
	char cipher[96];
	size_t n_certs;
	unsigned char leaf_fp[32];  /* the leaf's SHA-256, zero if unknown */
	unsigned char chain_fp[32]; /* SHA-256 over every certificate sent */
	cs_time_t leaf_not_after;
	bool ocsp;
};

/* Fill s (its addr set by the caller) from a completed handshake r and
 * the verdict on its chain. */
void cs_report_connect_summarize(struct cs_connect_summary *s,
				 const struct cs_net_result *r, bool trusted);

/* Mark s as an error at addr: msg (the address prefix of the core's
 * messages dropped) is the reason. */
void cs_report_connect_summarize_error(struct cs_connect_summary *s,
				       const char *addr, const char *msg);

/* "Addresses compared (N):", a line per address, then "All N addresses
 * agree..." or "They differ in ...".  Returns 0, -1 on a write error. */
int cs_report_connect_comparison_text(FILE *out,
				      const struct cs_connect_summary *s,
				      size_t n);

/* Write {"target": target, "results": results} (results borrowed: an
 * array of the objects above), with "comparison" of the n summaries at
 * s when s is not NULL, pretty-printed, with a final newline.  Returns
 * 0 / -1. */
int cs_report_connect_json_doc(FILE *out, const char *target,
			       json_t *results,
			       const struct cs_connect_summary *s, size_t n);

#endif
