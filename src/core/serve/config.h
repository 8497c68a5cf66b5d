/*
 * config.h - the exporter's configuration (`certscope serve --config
 * FILE`), YAML in the form Prometheus exporters use: an allow-list of
 * what may be probed, limits, and named modules of check options.
 *
 *     allow:
 *       hosts: ["*.example.com", "mail.example.org"]
 *       networks: ["192.0.2.0/24", "2001:db8::/32"]
 *       ports: [443, 993, "8000-8099"]
 *       directories: ["/srv/certs"]
 *     max_concurrent_probes: 16
 *     modules:
 *       https:
 *         timeout: 10s
 *         trust: ["/etc/ssl/certs/ca-certificates.crt"]
 *         warn: 30d
 *         crit: 7d
 *       smtp:
 *         starttls: smtp
 *         revocation: soft          # off (default), soft, hard
 *         revocation_source: ocsp   # ocsp, crl or both (default)
 *         fetch_missing: true
 *         cache_dir: /var/cache/certscope
 *
 * Nothing remote is allowed unless the allow-list says so: an exporter
 * that connects where a URL tells it is an SSRF tool otherwise.  A
 * module without `trust` uses the system store.  Every error names the
 * file, the line and what is wrong; unknown keys are errors (a typo must
 * not silently widen or narrow what is checked).
 *
 * Does not: resolve names, open sockets, or load trust stores (the
 * caller does, once per module, after parsing).
 */
#ifndef CS_SERVE_CONFIG_H
#define CS_SERVE_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "check/check.h"

#define CS_SERVE_MAX_MODULES 64
#define CS_SERVE_MAX_LIST 1024       /* entries in one allow-list */
#define CS_SERVE_MAX_CONFIG_BYTES ((size_t)1024 * 1024)
#define CS_SERVE_DEFAULT_TIMEOUT_MS 10000
#define CS_SERVE_DEFAULT_PROBES 16

struct cs_serve_net {
	unsigned char addr[16];      /* IPv4 in the first 4 bytes */
	unsigned family;             /* 4 or 6 */
	unsigned prefix;             /* bits */
};

struct cs_serve_ports {
	unsigned lo, hi;
};

struct cs_serve_module {
	char *name;
	int64_t timeout_ms;
	char **trust;                /* files or directories; none = system */
	size_t n_trust;
	bool system_trust;           /* with trust: add the system store */
	char **untrusted;
	size_t n_untrusted;
	char **crl;
	size_t n_crl;
	char *host, *sni;            /* NULL = the target's */
	bool no_sni;
	char *purpose;               /* "server" ... or an OID; NULL server */
	enum cs_starttls starttls;
	bool all_addresses;
	int64_t warn_secs, crit_secs;
	unsigned max_depth;          /* 0 = default */
	int revocation;              /* enum cs_revocation_mode: off (the
					default), soft, hard */
	unsigned rev_sources;        /* CS_REVOCATION_* bits: ocsp, crl */
	bool fetch_missing;          /* caIssuers of a missing intermediate */
	char *cache_dir;             /* fetched CRLs kept here, or NULL */
	size_t line;                 /* where it was defined */
};

struct cs_serve_config {
	char *path;                  /* the file, or NULL for the default */
	char **hosts;                /* patterns: "a.example", "*.example" */
	size_t n_hosts;
	struct cs_serve_net *nets;
	size_t n_nets;
	struct cs_serve_ports *ports;
	size_t n_ports;
	char **dirs;                 /* real paths, no trailing '/' */
	size_t n_dirs;
	unsigned max_probes;
	struct cs_serve_module *modules;
	size_t n_modules;
};

/*
 * Parse YAML text (len bytes; name names it in messages) into *c.  With
 * len 0 and text NULL: the default configuration (one module "default",
 * nothing allowed).  Returns 0, or -1 with CS_E_PARSE / CS_E_USAGE and
 * "FILE:LINE: what is wrong" in err.  *c is empty on failure.
 */
CS_MUST_CHECK int cs_serve_config_parse(const char *text, size_t len,
					const char *name,
					struct cs_serve_config *c,
					struct cs_error *err);

/* Read and parse FILE (at most CS_SERVE_MAX_CONFIG_BYTES). */
CS_MUST_CHECK int cs_serve_config_load(const char *file,
				       struct cs_serve_config *c,
				       struct cs_error *err);

void cs_serve_config_free(struct cs_serve_config *c);

const struct cs_serve_module *
cs_serve_config_module(const struct cs_serve_config *c, const char *name);

/*
 * May target t be probed under c?  Endpoints: the port must be allowed
 * and the host must match a host pattern or, for an IP literal, fall in
 * an allowed network; decided on the text alone, before any DNS lookup.
 * Paths: the real path (symbolic links resolved) must lie under an
 * allowed directory.  Returns true, or false with a reason (a sentence
 * for the 403 answer) in why.
 */
bool cs_serve_allowed(const struct cs_serve_config *c,
		      const struct cs_check_target *t, char *why,
		      size_t whysz);

#endif
