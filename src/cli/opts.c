/* see opts.h: every command and option of certscope, once */
#include "opts.h"

#include <string.h>

#include "cli.h"
#include "net/starttls.h"

static const char *color_choice(size_t i)
{
	static const char *const v[] = {"auto", "always", "never"};

	return i < sizeof(v) / sizeof(*v) ? v[i] : NULL;
}

static const char *starttls_choice(size_t i)
{
	return i + 1 < CS_STARTTLS_COUNT_ ?
	       cs_starttls_name((enum cs_starttls)(i + 1)) : NULL;
}

static const char *format_choice(size_t i)
{
	static const char *const v[] = {"text", "nagios", "json", "prometheus"};

	return i < sizeof(v) / sizeof(*v) ? v[i] : NULL;
}

static const char *unreachable_choice(size_t i)
{
	static const char *const v[] = {"unknown", "critical"};

	return i < sizeof(v) / sizeof(*v) ? v[i] : NULL;
}

static const char *revocation_choice(size_t i)
{
	static const char *const v[] = {"off", "soft", "hard"};

	return i < sizeof(v) / sizeof(*v) ? v[i] : NULL;
}

static const char *source_choice(size_t i)
{
	static const char *const v[] = {"ocsp", "crl", "ocsp,crl"};

	return i < sizeof(v) / sizeof(*v) ? v[i] : NULL;
}

static const char *command_choice(size_t i)
{
	return i < cli_n_commands ? cli_commands[i].name : NULL;
}

const struct cli_option cli_options[] = {
	/* ---- global: before or after the command ---- */
	{OPT_VERBOSE, "verbose", 'v', CLI_ARG_NONE, NULL, NULL, CLI_GLOBAL,
	 CLI_REPEAT, "say more on stderr (repeatable)",
	 "Say more on standard error: files read and skipped, the trust "
	 "store used and how many anchors it held."},
	{OPT_QUIET, "quiet", 'q', CLI_ARG_NONE, NULL, NULL, CLI_GLOBAL, 0,
	 "no notes or warnings on stderr, only errors",
	 "Print no notes or warnings on standard error; errors are still "
	 "printed. Excludes *-v*."},
	{OPT_COLOR, "color", 0, CLI_ARG_CHOICE, "WHEN", color_choice,
	 CLI_GLOBAL, 0, "colour text output: auto, always, never",
	 "Colour text output: *auto* (the default: only on a terminal, and "
	 "not when *NO_COLOR* is set), *always* or *never*."},
	{OPT_HELP, "help", 'h', CLI_ARG_NONE, NULL, NULL, CLI_GLOBAL, 0,
	 "show this help",
	 "Show usage; after a command, that command's options and "
	 "examples."},
	{OPT_VERSION, "version", 'V', CLI_ARG_NONE, NULL, NULL, CLI_GLOBAL, 0,
	 "show the version",
	 "Show the version of certscope and of GnuTLS."},
	{OPT_DUMP_MAN, "dump-man-options", 0, CLI_ARG_NONE, NULL, NULL,
	 CLI_GLOBAL, CLI_HIDDEN, "the man page's generated sections", NULL},

	/* ---- show, verify, connect and check ---- */
	{OPT_JSON, "json", 0, CLI_ARG_NONE, NULL, NULL,
	 CLI_CMD_SHOW | CLI_VERIFYING | CLI_CMD_ASN1, 0,
	 "JSON instead of text",
	 "JSON instead of text. *show*: one document, the certificates, "
	 "CRLs and errors, each with its origin (file, index, line); "
	 "*verify*: one document, per input the verdict, the path and every "
	 "finding; *connect*: the whole report; *check*: the same as "
	 "*--format json* (JSON Lines); *asn1*: one document, each "
	 "structure's elements as nested objects. Times are RFC 3339 UTC. "
	 "The schema is in *doc/json-schema.md*."},
	{OPT_PASSWORD_FILE, "password-file", 0, CLI_ARG_FILE, "FILE", NULL,
	 CLI_CMD_SHOW | CLI_VERIFYING, 0,
	 "PKCS#12 or key password (else $CERTSCOPE_PASSWORD)",
	 "Read the password of PKCS#12 inputs (and of an encrypted "
	 "*--key* or a PKCS#12 *--cert*) from the first line of _FILE_. "
	 "Without it the environment variable *CERTSCOPE_PASSWORD* is "
	 "used. Passwords are never taken from the command line."},
	{OPT_AT, "at", 0, CLI_ARG_TIME, "TIME", NULL,
	 CLI_CMD_SHOW | CLI_VERIFYING | CLI_CMD_SERVE, 0,
	 "check at TIME, not now (2027-01-31, +30d, @SECS)",
	 "Validate at _TIME_ instead of now; for *show*, compute \"expires "
	 "in\" against _TIME_; for *check*, \"what will be wrong on "
	 "Friday\"; for *serve*, every probe (for tests). See *TIME* "
	 "below."},

	/* ---- show ---- */
	{OPT_LONG, "long", 0, CLI_ARG_NONE, NULL, NULL, CLI_CMD_SHOW, 0,
	 "every extension decoded, SHA-1, the SPKI pin",
	 "Also decode every extension (basic constraints, key usage, "
	 "extended key usage, key identifiers, authority information "
	 "access, CRL distribution points, certificate policies, name "
	 "constraints, signed certificate timestamps), the SHA-1 "
	 "fingerprint, the SPKI SHA-256 pin, and any encoding that RFC 5280 "
	 "forbids but that was accepted (serial of zero, negative or over "
	 "20 bytes, GeneralizedTime before 2050, ...)."},
	{OPT_PEM, "pem", 0, CLI_ARG_NONE, NULL, NULL, CLI_CMD_SHOW, 0,
	 "every certificate and CRL as PEM (not with --json)",
	 "Re-export every certificate and CRL as PEM, in input order; "
	 "*certscope show --pem bundle.p12 > bundle.pem* converts. Excludes "
	 "*--json*."},

	/* ---- verify options: every command that validates a chain ---- */
	{OPT_TRUST, "trust", 0, CLI_ARG_PATH, "FILE|DIR", NULL,
	 CLI_VERIFYING, CLI_REPEAT, "trust only these anchors (repeatable)",
	 "Trust anchors: PEM bundles, DER files, PKCS#7, or directories "
	 "(OpenSSL hashed directories included). Repeatable. When given, "
	 "only these anchors are trusted."},
	{OPT_SYSTEM_TRUST, "system-trust", 0, CLI_ARG_NONE, NULL, NULL,
	 CLI_VERIFYING, 0, "with --trust: add the system store too",
	 "Add the system trust store to *--trust*."},
	{OPT_UNTRUSTED, "untrusted", 0, CLI_ARG_FILE, "FILE", NULL,
	 CLI_VERIFYING, CLI_REPEAT, "intermediates to build paths with",
	 "Intermediates that may be used to build the path. Repeatable. "
	 "With *connect*: added to the chain the server sent, as for an "
	 "intermediate it fails to send."},
	{OPT_HOST, "host", 0, CLI_ARG_HOST, "NAME", NULL, CLI_VERIFYING, 0,
	 "DNS name or IP address the leaf must be valid for",
	 "Check that the leaf is valid for host name or IP address _NAME_ "
	 "(*connect*: by default the *--sni* name, else _HOST_). With "
	 "*connect* and *check* it is also the server name sent (SNI) "
	 "unless *--sni* or *--no-sni* says otherwise: one name is both, "
	 "as with curl's *--resolve*, so *connect 192.0.2.10 --host "
	 "www.example.com* asks the server for that site. DNS names are matched against the "
	 "subject alternative names only, never the common name; a wildcard "
	 "is only the whole left-most label and never stands over a public "
	 "suffix. IP addresses are compared as addresses against IP SANs. "
	 "A name with U-labels (*bücher.example*) is converted to A-labels "
	 "(IDNA 2008, libidn2, as GnuTLS does); one IDNA 2008 refuses is a "
	 "usage error."},
	{OPT_EMAIL, "email", 0, CLI_ARG_TEXT, "ADDR", NULL, CLI_VERIFYING, 0,
	 "e-mail address the leaf must be valid for",
	 "Check that the leaf is valid for the e-mail address _ADDR_."},
	{OPT_PURPOSE, "purpose", 0, CLI_ARG_CHOICE, "PURPOSE",
	 cli_purpose_choice, CLI_VERIFYING, CLI_OPEN,
	 "server (default), client, email, code, any, or OID",
	 "*server* (the default), *client*, *email*, *code*, *any*, or a "
	 "dotted OID: the extended key usage the leaf (and any intermediate "
	 "that limits it) must allow."},
	{OPT_MAX_DEPTH, "max-depth", 0, CLI_ARG_NUMBER, "N", NULL,
	 CLI_VERIFYING, 0, "at most N intermediates (default 15)",
	 "At most _N_ intermediate certificates between the leaf and the "
	 "trust anchor (default 15; 0 allows only a leaf issued by an "
	 "anchor). Counted as *openssl verify -verify_depth* and x509-limbo "
	 "count, except that a self-issued intermediate (a key rollover) is "
	 "not counted, as RFC 5280 6.1.4 (l) counts for pathLenConstraint. "
	 "At most 61 intermediates of any kind are followed."},
	{OPT_CRL, "crl", 0, CLI_ARG_FILE, "FILE", NULL, CLI_VERIFYING,
	 CLI_REPEAT, "check revocation with this CRL (repeatable)",
	 "Check revocation against the CRLs in _FILE_ (repeatable). A CRL "
	 "whose signature, issuer or validity cannot be checked is reported "
	 "as a finding; with CRLs given for an issuer, revocation fails "
	 "closed when none of them is usable."},

	{OPT_TIMEOUT, "timeout", 0, CLI_ARG_NUMBER, "SEC", NULL,
	 CLI_VERIFYING, 0, "one deadline for everything (default 10)",
	 "One deadline for resolution, connection, STARTTLS, handshake and "
	 "every HTTP fetch together (default 10, at most 3600). The command "
	 "always returns by then. *verify*: the deadline of each _CERTFILE_'s "
	 "fetches; *check*: the deadline of each endpoint, and of each "
	 "file's fetches."},
	{OPT_FETCH_MISSING, "fetch-missing", 0, CLI_ARG_NONE, NULL, NULL,
	 CLI_VERIFYING, 0, "fetch missing intermediates (AIA caIssuers)",
	 "When no path reaches a trust anchor, fetch the certificate named "
	 "by the caIssuers URL in the authority information access of the "
	 "last certificate reached (DER, PEM or PKCS#7 over http or https), "
	 "add it to the pool and build again: at most 4 fetches per input, "
	 "each inside *--timeout*, each answer at most 1 MiB. Each "
	 "certificate fetched is an *issuer-fetched* finding naming the URL "
	 "(the server should send it; *--write-chain* writes the repaired "
	 "chain), each fetch that failed an *issuer-fetch-failed* finding. "
	 "See *NETWORK FETCHES*."},

	{OPT_REVOCATION, "revocation", 0, CLI_ARG_CHOICE, "MODE",
	 revocation_choice, CLI_VERIFYING, 0,
	 "online revocation: off (default), soft, hard",
	 "Check the revocation of every certificate of the validated path "
	 "below the anchor over the network (see *--revocation-source* and "
	 "*NETWORK FETCHES*). _MODE_ says what a source that is unreachable, "
	 "slow or broken (or an answer that cannot be relied on: unsigned "
	 "by the issuer or a delegate with id-kp-OCSPSigning, another "
	 "certificate, outside its validity at *--at* with 5 minutes of "
	 "skew, a nonce other than the one sent, \"unknown\") means: *off* "
	 "(the default: nothing is fetched), *soft* (a "
	 "*revocation-unavailable* warning, the verdict unchanged) or *hard* "
	 "(a *revocation-required* error: not trusted). Every answer is a "
	 "finding: *ocsp-good* (info), *ocsp-revoked* (error, with the time "
	 "and reason), *ocsp-unknown*, *ocsp-expired*, *ocsp-unverifiable*. "
	 "\"Revoked\" and \"could not check\" are never the same finding. "
	 "A certificate that names no source is *revocation-no-source* "
	 "(info), under *hard* too. A path that reaches no anchor is not "
	 "asked about."},
	{OPT_REVOCATION_SOURCE, "revocation-source", 0, CLI_ARG_CHOICE,
	 "LIST", source_choice, CLI_VERIFYING, 0,
	 "sources: ocsp, crl, or ocsp,crl (the default)",
	 "The sources *--revocation* asks, comma-separated: *ocsp* (the "
	 "responder named in the certificate's authority information "
	 "access: a GET when the request is short, else a POST, with a "
	 "random nonce) and *crl* (the CRL distribution points). Default "
	 "*ocsp,crl*: the OCSP responder when the certificate names one, "
	 "else its CRL."},

	/* ---- verify and connect ---- */
	{OPT_WRITE_CHAIN, "write-chain", 0, CLI_ARG_FILE, "FILE", NULL,
	 CLI_CMD_VERIFY | CLI_CMD_CONNECT, 0,
	 "write the chain a server should send, as PEM",
	 "Write the chain a server should be configured with to _FILE_, as "
	 "PEM: the leaf first, then the intermediates of the validated path "
	 "in order; without the trust anchor, duplicates or certificates "
	 "the path does not need; with the intermediates that *--untrusted* "
	 "or *--fetch-missing* supplied. The fix for *chain-out-of-order*, "
	 "*issuer-not-found*, *unneeded-cert* and *duplicate-cert*. Written "
	 "to a temporary file beside _FILE_ and renamed over it. Refused "
	 "(exit 2, nothing written) when no trusted path was found; "
	 "*verify* takes one _CERTFILE_ with it, *connect* excludes "
	 "*--all-addresses*."},

	/* ---- connect ---- */
	{OPT_STARTTLS, "starttls", 0, CLI_ARG_CHOICE, "PROTO",
	 starttls_choice, CLI_CMD_CONNECT, 0,
	 "plaintext protocol first: smtp, imap, pop3, ...",
	 "Speak the plaintext dialogue of *smtp*, *imap*, *pop3*, *ftp*, "
	 "*xmpp*, *ldap*, *postgres*, *mysql*, *nntp* or *sieve* up to the "
	 "TLS upgrade. The server's capabilities are read first (SMTP's "
	 "EHLO reply, IMAP's greeting code [CAPABILITY ...] or, without "
	 "one, its answer to CAPABILITY, POP3's CAPA, FTP's FEAT, NNTP's "
	 "CAPABILITIES, ManageSieve's greeting, XMPP's features, MySQL's "
	 "CLIENT_SSL): when they do not offer "
	 "the upgrade, that is the error, and the command is not sent. A "
	 "server that refuses the upgrade is an error with its answer "
	 "quoted, an XMPP <stream:error> too (*host-unknown*: the XMPP "
	 "domain, *--host* or *--sni*, is not served there); bytes a server "
	 "sends after its go-ahead and before the handshake are an error too "
	 "(the STARTTLS response-injection class of attacks), never read as "
	 "TLS."},
	{OPT_SNI, "sni", 0, CLI_ARG_HOST, "NAME", NULL, CLI_CMD_CONNECT | CLI_CMD_CHECK, 0,
	 "server name to send, and to check unless --host",
	 "Server name to send. By default the name checked (*--host*), else "
	 "_HOST_; none for an IP address. Also the name the leaf is checked "
	 "for unless *--host* gives another, and the server's name in a "
	 "STARTTLS dialogue that names it (XMPP's stream *to=*)."},
	{OPT_ADDRESS, "address", 0, CLI_ARG_HOST, "ADDR", NULL,
	 CLI_CMD_CONNECT, CLI_TERSE, "connect to ADDR instead of resolving HOST",
	 "Connect to _ADDR_ (an IP address, or a name to resolve) instead "
	 "of the addresses of _HOST_, which stays the name sent and checked: "
	 "*connect www.example.com --address 192.0.2.10* checks one backend "
	 "of a site, as curl's *--connect-to* or *--resolve* do. The port is "
	 "_HOST_'s."},
	{OPT_NO_SNI, "no-sni", 0, CLI_ARG_NONE, NULL, NULL, CLI_CMD_CONNECT | CLI_CMD_CHECK,
	 0, "send no server name", "Send no server name. Excludes *--sni*."},
	{OPT_ALL_ADDRESSES, "all-addresses", 0, CLI_ARG_NONE, NULL, NULL,
	 CLI_CMD_CONNECT | CLI_CMD_CHECK, 0, "check every address and compare them",
	 "Check every A and AAAA address of _HOST_ separately (at most 16) "
	 "and report the differences between them (a load balancer with "
	 "one stale backend): after the report of each address, a table of "
	 "every address with its verdict, protocol, chain length, leaf "
	 "fingerprint and expiry, then what differs: the verdict, the leaf "
	 "certificate, the chain sent, the protocol version, the cipher "
	 "suite, the stapled OCSP response. The exit code is the worst of "
	 "them. Without this option the first address that answers is "
	 "checked (a network failure tries the next while time is left). "
	 "*check*: every address is checked and the target's state is the "
	 "worst, its reason naming the address."},
	{OPT_DNS_SERVERS, "dns-servers", 0, CLI_ARG_TEXT, "LIST", NULL,
	 CLI_CMD_CONNECT | CLI_CMD_CHECK, 0, "resolve with these servers: IP[:PORT],...",
	 "Resolve _HOST_ with these DNS servers, _IP_[:_PORT_] separated by "
	 "commas (an IPv6 address with a port in brackets: *[::1]:53*), "
	 "instead of the ones in /etc/resolv.conf, and without reading "
	 "/etc/hosts. Names are resolved with c-ares, within the "
	 "*--timeout* deadline; IP literals and *localhost* (RFC 6761) are "
	 "never looked up. Addresses of a family this machine has no "
	 "non-loopback address for (IPv6 on an IPv4-only host) are not "
	 "asked for."},
	{OPT_ALPN, "alpn", 0, CLI_ARG_TEXT, "LIST", NULL, CLI_CMD_CONNECT,
	 CLI_TERSE,
	 "offer ALPN protocols, e.g. h2,http/1.1",
	 "Offer these ALPN protocols, comma-separated (*h2,http/1.1*)."},
	{OPT_OCSP_STAPLING, "ocsp-stapling", 0, CLI_ARG_NONE, NULL, NULL,
	 CLI_CMD_CONNECT, CLI_COMPAT, "ask for a stapled OCSP response",
	 "Ask for a stapled OCSP response (certscope always asks; the "
	 "option is kept for compatibility)."},
	{OPT_SAVE_CHAIN, "save-chain", 0, CLI_ARG_FILE, "FILE", NULL,
	 CLI_CMD_CONNECT, 0, "write the chain as sent, as PEM",
	 "Write the certificates the server sent, as PEM, in the order "
	 "sent."},
	{OPT_CERT, "cert", 0, CLI_ARG_FILE, "FILE", NULL, CLI_CMD_CONNECT, 0,
	 "client certificate (and chain), or PKCS#12",
	 "Client certificate for servers that ask for one: _FILE_ holds the "
	 "certificate and any intermediates after it (PEM or DER), its key "
	 "in *--key*; without *--key*, a PKCS#12 file holding both. Both "
	 "are read, and the key checked against the certificate, before any "
	 "connection. The certificate is sent whenever the server asks, "
	 "whatever CA names it lists. The report says whether the server "
	 "asked and what was sent. Under TLS 1.2 a server refuses a client "
	 "certificate inside the handshake; under TLS 1.3 only after it, so "
	 "certscope then waits up to one second (within *--timeout*) for "
	 "the server's word: a session ticket, data or a close_notify means "
	 "accepted, an alert (*certificate_required*, *bad_certificate*, "
	 "*unknown_ca*...) is an error naming it. Without *--cert*, a "
	 "server that requires one has sent its chain before it ends the "
	 "connection: the chain is shown and validated (the exit code is "
	 "its verdict) and a warning says the server requires a client "
	 "certificate; *check* judges that chain too. That is so only when "
	 "the server refused (a refusal alert such as "
	 "*certificate_required*, *handshake_failure*, *bad_certificate*, "
	 "*access_denied*, or a close or reset right after the handshake); "
	 "any other failure after the handshake, or any failure with "
	 "*--cert* given, stays an error."},
	{OPT_KEY, "key", 0, CLI_ARG_FILE, "FILE", NULL, CLI_CMD_CONNECT, 0,
	 "the private key of --cert",
	 "The private key of *--cert* (PKCS#1, SEC1 or PKCS#8, PEM or DER; "
	 "an encrypted PKCS#8 key takes the password of *--password-file* "
	 "or *CERTSCOPE_PASSWORD*). Needs *--cert*."},
	{OPT_TRACE, "trace", 0, CLI_ARG_NONE, NULL, NULL, CLI_CMD_CONNECT, 0,
	 "first the handshake step by step",
	 "First the connection step by step, one line each: the milliseconds "
	 "since the start, the direction (*->* sent, *<-* received) and what "
	 "happened: the addresses the name resolved to, the TCP connect, the "
	 "lines of the STARTTLS dialogue, each TLS handshake message with "
	 "what it carried (the versions, server name, ALPN protocols, number "
	 "of groups and cipher suites offered; the version, cipher suite, "
	 "group and ALPN protocol chosen; the certificates and OCSP staple "
	 "sent; the signature algorithms; the client certificate sent), the "
	 "alerts either way, and when it fails, the last message and why it "
	 "stopped (an alert received or sent, a timeout, the connection "
	 "closed or reset). Under TLS 1.2 a ChangeCipherSpec is shown before "
	 "each Finished, at its time (GnuTLS reports no time of its own for "
	 "it); TLS 1.3's compatibility ChangeCipherSpec is not shown. What "
	 "GnuTLS does not say is left out rather than guessed (the details "
	 "of a message that failed, the CertificateRequest's contents). Text "
	 "from the server is escaped and cut at 120 bytes, at most 24 lines "
	 "of a STARTTLS dialogue are shown (the rest counted) and at most 256 "
	 "steps are kept; each limit is said when hit. With *--json*, each "
	 "result has a *trace* array of the same steps. When GnuTLS finds a "
	 "message from the server wrong, certscope tells the server with an "
	 "alert (trace or not), as TLS asks."},

	/* ---- check ---- */
	{OPT_WARN, "warn", 0, CLI_ARG_TIME, "DURATION", NULL, CLI_CMD_CHECK,
	 0, "WARNING when it expires within this (default 30d)",
	 "A target whose validated path expires within _DURATION_ (*30d*, "
	 "*12h*, *3w*; default *30d*) is WARNING."},
	{OPT_CRIT, "crit", 0, CLI_ARG_TIME, "DURATION", NULL, CLI_CMD_CHECK,
	 0, "CRITICAL when it expires within this (default 7d)",
	 "A target whose validated path expires within _DURATION_ (default "
	 "*7d*) is CRITICAL. At most *--warn*."},
	{OPT_FORMAT, "format", 0, CLI_ARG_CHOICE, "FORMAT", format_choice,
	 CLI_CMD_CHECK, 0, "text (default), nagios, json, prometheus",
	 "*text* (the default: nothing when every target is OK, else one "
	 "line per target that is not, worst first), *nagios* (the plugin "
	 "output: a status line with performance data, then the targets "
	 "that are not OK), *json* (JSON Lines, one object per target as it "
	 "finishes) or *prometheus* (the text exposition format, for "
	 "node_exporter's textfile collector). See *CHECK*."},
	{OPT_JOBS, "jobs", 'j', CLI_ARG_NUMBER, "N", NULL, CLI_CMD_CHECK, 0,
	 "endpoints in flight at once (default 32)",
	 "Check at most _N_ endpoints at once (default 32, at most 1024), "
	 "all on one event loop."},
	{OPT_TARGETS, "targets", 0, CLI_ARG_FILE, "FILE", NULL, CLI_CMD_CHECK,
	 0, "read targets from FILE, one a line (- for stdin)",
	 "Read targets from _FILE_ (*-* for standard input), one a line, "
	 "after those of the command line; see *CHECK* for the line's "
	 "settings."},
	{OPT_SHARD, "shard", 0, CLI_ARG_TEXT, "K/N", NULL, CLI_CMD_CHECK, 0,
	 "check only the K-th of N slices of the targets",
	 "Check only the targets of slice _K_ (1 to _N_) of _N_, chosen by a "
	 "stable hash of the target, so that _N_ machines or jobs share a "
	 "list and adding a target moves no other."},
	{OPT_UNREACHABLE, "unreachable", 0, CLI_ARG_CHOICE, "STATE",
	 unreachable_choice, CLI_CMD_CHECK, 0,
	 "state of unreachable targets: unknown, critical",
	 "The state of a target that cannot be checked (unreachable, timed "
	 "out, unreadable): *unknown* (the default) or *critical*."},
	{OPT_OUTPUT, "output", 'o', CLI_ARG_FILE, "FILE", NULL, CLI_CMD_CHECK,
	 0, "write to FILE (a temporary file renamed at the end)",
	 "Write the report to _FILE_ instead of standard output: to a "
	 "temporary file beside it, renamed over _FILE_ when complete, so a "
	 "reader (node_exporter's textfile collector) never sees half a "
	 "file."},

	/* ---- serve ---- */
	{OPT_LISTEN, "listen", 0, CLI_ARG_TEXT, "ADDR:PORT", NULL,
	 CLI_CMD_SERVE, 0, "listen here (default 127.0.0.1:9219)",
	 "Listen on _ADDR_:_PORT_ (default *127.0.0.1:9219*; an IPv6 "
	 "address in brackets)."},
	{OPT_CONFIG, "config", 'c', CLI_ARG_FILE, "FILE", NULL,
	 CLI_CMD_SERVE, 0, "the exporter's YAML configuration",
	 "The exporter's configuration (YAML; see *EXPORTER*). Without it "
	 "nothing is allowed to be probed. *SIGHUP* reads it again."},
};
const size_t cli_n_options = sizeof(cli_options) / sizeof(*cli_options);

const struct cli_command cli_commands[] = {
	{"show", CLI_CMD_SHOW, cmd_show, "FILE|DIR|- ...", CLI_ARG_PATH, NULL,
	 "show certificates from files, directories or stdin",
	 "Formats (PEM, DER, PKCS#7, PKCS#12) are detected by content.",
	 {"certscope show --long server.pem",
	  "certscope show --pem bundle.p12 > bundle.pem",
	  "certscope show --json /etc/ssl/certs"}},
	{"verify", CLI_CMD_VERIFY, cmd_verify, "CERTFILE ...", CLI_ARG_FILE,
	 NULL, "build and validate a certificate chain", NULL,
	 {"certscope verify --host www.example.com fullchain.pem",
	  "certscope verify --fetch-missing --write-chain fixed.pem leaf.pem"}},
	{"connect", CLI_CMD_CONNECT, cmd_connect, "HOST[:PORT]", CLI_ARG_HOST,
	 NULL, "fetch a live server's chain over TLS and validate it", NULL,
	 {"certscope connect --all-addresses --json www.example.com",
	  "certscope connect --starttls smtp --trace mail.example.com"}},
	{"check", CLI_CMD_CHECK, cmd_check, "TARGET ...", CLI_ARG_PATH, NULL,
	 "expiry and validity of many files, trees and servers",
	 NULL,
	 {"certscope check --warn 21d /etc/ssl/private www.example.com",
	  "certscope check --format prometheus -o /var/lib/node/cs.prom "
	  "--targets t"}},
	{"serve", CLI_CMD_SERVE, cmd_serve, "", CLI_ARG_NONE, NULL,
	 "the Prometheus exporter: probes on request",
	 "GET /probe?target=HOST:PORT&module=NAME, /metrics, /.",
	 {"certscope serve --config /etc/certscope/exporter.yml",
	  "certscope serve --listen [::1]:9219 --config exporter.yml"}},
	{"asn1", CLI_CMD_ASN1, cmd_asn1, "FILE|-", CLI_ARG_FILE, NULL,
	 "the DER structure of any file, element by element",
	 "PEM is unwrapped; PKIX structures get their field names.",
	 {"certscope asn1 server.pem",
	  "certscope asn1 --json response.der | jq .structures[0].error",
	  "openssl req -new -key k.pem -subj /CN=x -outform der | "
	  "certscope asn1 -"}},
	{"completion", CLI_CMD_COMPLETION, cmd_completion, "SHELL",
	 CLI_ARG_CHOICE, cli_shell_choice,
	 "print the completion script for bash, zsh or fish", NULL,
	 {"source <(certscope completion bash)",
	  "certscope completion zsh > ~/.zfunc/_certscope",
	  "certscope completion fish | source"}},
	{"help", CLI_CMD_HELP, cmd_help, "[COMMAND]", CLI_ARG_CHOICE,
	 command_choice, "show the help of certscope or of a command", NULL,
	 {"certscope help", "certscope help connect"}},
};
const size_t cli_n_commands = sizeof(cli_commands) / sizeof(*cli_commands);

const struct cli_group cli_groups[] = {
	{CLI_GLOBAL, "Global options",
	 "Accepted before or after the command.", ~0u},
	{CLI_CMD_SHOW | CLI_VERIFYING | CLI_CMD_SERVE,
	 "Options of show, verify, connect, check and serve", NULL, 0},
	{CLI_CMD_SHOW | CLI_VERIFYING | CLI_CMD_ASN1,
	 "Options of show, verify, connect, check and asn1", NULL,
	 CLI_CMD_CHECK},
	{CLI_CMD_SHOW | CLI_VERIFYING,
	 "Options of show, verify, connect and check", NULL, CLI_CMD_CHECK},
	{CLI_CMD_SHOW, "Options of show", NULL, 0},
	{CLI_VERIFYING, "Verify options",
	 "The same for every command that validates a chain: *verify*, "
	 "*connect* and *check*.", CLI_VERIFYING & ~CLI_CMD_VERIFY},
	{CLI_CMD_VERIFY | CLI_CMD_CONNECT, "Options of verify and connect",
	 NULL, CLI_CMD_CONNECT},
	{CLI_CMD_CONNECT | CLI_CMD_CHECK, "Options of connect and check",
	 NULL, CLI_CMD_CHECK},
	{CLI_CMD_CONNECT, "Options of connect", NULL, 0},
	{CLI_CMD_CHECK, "Options of check", NULL, 0},
	{CLI_CMD_SERVE, "Options of serve", NULL, 0},
};
const size_t cli_n_groups = sizeof(cli_groups) / sizeof(*cli_groups);

const struct cli_option *cli_option_by_name(const char *name, unsigned mask)
{
	for (size_t i = 0; i < cli_n_options; i++)
		if ((cli_options[i].cmds & mask) &&
		    !strcmp(cli_options[i].name, name))
			return &cli_options[i];
	return NULL;
}

const struct cli_option *cli_option_by_id(int id)
{
	for (size_t i = 0; i < cli_n_options; i++)
		if (cli_options[i].id == id)
			return &cli_options[i];
	return NULL;
}

const struct cli_command *cli_command_by_name(const char *name)
{
	for (size_t i = 0; i < cli_n_commands; i++)
		if (!strcmp(cli_commands[i].name, name))
			return &cli_commands[i];
	return NULL;
}

const struct cli_command *cli_command_by_bit(unsigned bit)
{
	for (size_t i = 0; i < cli_n_commands; i++)
		if (cli_commands[i].bit == bit)
			return &cli_commands[i];
	return NULL;
}

bool cli_option_listed(const struct cli_option *opt)
{
	return !(opt->flags & CLI_HIDDEN);
}
