/*
 * findings.c - every finding code verify.c emits, its severity and a
 * one-line summary.  Codes are stable: add rows, never rename one.
 * Rows are grouped: path building, time, signatures and keys,
 * constraints, names, revocation, Web PKI encoding rules, presentation.
 */
#include <string.h>

#include "findings.h"

const struct cs_finding_def cs_finding_defs[] = {
	/* Path building (RFC 5280 6.1, RFC 4158). */
	{"issuer-not-found", CS_SEV_ERROR,
	 "the issuer of a certificate is neither in the input nor trusted "
	 "(or the input's CAs issue each other in a loop that no path "
	 "leaves to an anchor)"},
	{"untrusted-root", CS_SEV_ERROR,
	 "the path ends at a self-signed root that is not trusted"},
	{"self-signed-leaf", CS_SEV_ERROR,
	 "the certificate is self-signed and not a trust anchor"},
	{"depth-exceeded", CS_SEV_ERROR,
	 "the path is longer than the allowed maximum depth"},
	{"search-limit", CS_SEV_WARNING,
	 "path building stopped after trying too many issuer candidates"},
	/* Validity period (RFC 5280 4.1.2.5, 6.1.3 (a)(2)). */
	{"expired", CS_SEV_ERROR,
	 "a certificate in the path has expired"},
	{"not-yet-valid", CS_SEV_ERROR,
	 "a certificate in the path is not yet valid"},
	/* Signatures and keys. */
	{"bad-signature", CS_SEV_ERROR,
	 "a signature in the path does not verify with its issuer's key"},
	{"weak-signature", CS_SEV_ERROR,
	 "a certificate is signed with MD5 or SHA-1"},
	{"weak-key", CS_SEV_ERROR,
	 "a key is too small (RSA < 2048, EC < 256 bits) or DSA"},
	/* Constraints (RFC 5280 4.2.1.3, 4.2.1.9, 4.2.1.10, 4.2.1.12). */
	{"not-a-ca", CS_SEV_ERROR,
	 "an issuer is not a CA (basicConstraints CA:FALSE, absent, or v1)"},
	{"pathlen-exceeded", CS_SEV_ERROR,
	 "a CA's pathLenConstraint allows fewer intermediates below it"},
	{"name-constraint-violation", CS_SEV_ERROR,
	 "a name is outside a CA's name constraints"},
	{"eku-mismatch", CS_SEV_ERROR,
	 "the extended key usage does not allow the requested purpose"},
	{"bad-key-usage", CS_SEV_ERROR,
	 "the key usage does not allow what the key is used for"},
	{"unknown-critical-extension", CS_SEV_ERROR,
	 "a critical extension is not understood (RFC 5280 4.2)"},
	{"ca-as-leaf", CS_SEV_ERROR,
	 "a server's end-entity certificate is a CA certificate (CA/B BR "
	 "7.1.2.7.8)"},
	/* Names (RFC 6125, RFC 5280 4.2.1.6). */
	{"hostname-mismatch", CS_SEV_ERROR,
	 "the certificate is not valid for the requested host name"},
	{"cn-only-hostname", CS_SEV_INFO,
	 "the host name is only in the subject CN, which clients ignore"},
	{"email-mismatch", CS_SEV_ERROR,
	 "the certificate is not valid for the requested e-mail address"},
	/* Revocation (RFC 5280 6.3).  The crl-* codes are warnings while
	 * another CRL given for the same issuer is usable, and errors when
	 * none is: with --crl the revocation check was asked for and its
	 * answer is unknown. */
	{"revoked", CS_SEV_ERROR,
	 "a certificate in the path is revoked by a CRL"},
	{"crl-expired", CS_SEV_WARNING,
	 "a CRL's nextUpdate is in the past"},
	{"crl-not-yet-valid", CS_SEV_WARNING,
	 "a CRL's thisUpdate is in the future"},
	{"crl-unused", CS_SEV_WARNING,
	 "a CRL given with --crl applies to no certificate of the path"},
	{"crl-unverifiable", CS_SEV_WARNING,
	 "a CRL given for a certificate cannot be checked"},
	/* Fetched online (--fetch-missing). */
	{"issuer-fetched", CS_SEV_WARNING,
	 "an intermediate missing from the chain was fetched from the "
	 "caIssuers URL of the certificate it issued"},
	{"issuer-fetch-failed", CS_SEV_WARNING,
	 "fetching a missing intermediate from a caIssuers URL failed"},
	/* Revocation over the network (--revocation soft|hard). */
	{"ocsp-good", CS_SEV_INFO,
	 "the certificate's OCSP responder says it is good"},
	{"crl-good", CS_SEV_INFO,
	 "the CRL fetched from the certificate's distribution point does "
	 "not list it"},
	{"revocation-no-source", CS_SEV_INFO,
	 "the certificate names no revocation source that was asked for, so "
	 "its revocation was not checked online"},
	{"revocation-unavailable", CS_SEV_WARNING,
	 "whether a certificate is revoked could not be checked (its "
	 "source is unreachable, slow or broken); --revocation soft"},
	{"revocation-required", CS_SEV_ERROR,
	 "whether a certificate is revoked could not be established and "
	 "--revocation hard requires it"},
	/* Stapled OCSP (RFC 6960, RFC 6066 section 8), live mode only. */
	{"ocsp-revoked", CS_SEV_ERROR,
	 "an OCSP response (the server's staple, or a responder's answer) "
	 "says the certificate is revoked"},
	{"ocsp-unknown", CS_SEV_WARNING,
	 "an OCSP response (stapled or fetched) says the responder does not "
	 "know the certificate"},
	{"ocsp-expired", CS_SEV_WARNING,
	 "an OCSP response (stapled or fetched) is outside its validity "
	 "period"},
	{"ocsp-unverifiable", CS_SEV_WARNING,
	 "an OCSP response (stapled or fetched) cannot be checked "
	 "(signature, signer, certificate id, nonce or encoding)"},
	/* Web PKI encoding rules (RFC 5280 and CA/Browser Forum BRs) that
	 * GnuTLS does not enforce. */
	{"bad-serial", CS_SEV_ERROR,
	 "the serial number is not positive or longer than 20 octets"},
	{"bc-not-critical", CS_SEV_ERROR,
	 "a CA's basicConstraints extension is not marked critical"},
	{"missing-aki", CS_SEV_ERROR,
	 "a certificate that is not self-signed has no authority key id"},
	{"missing-ski", CS_SEV_ERROR,
	 "a CA certificate has no subject key identifier"},
	{"bad-name", CS_SEV_ERROR,
	 "a name is malformed (empty CA subject, invalid DNS name)"},
	{"cn-not-in-san", CS_SEV_ERROR,
	 "the subject CN is not a copy of one of the SAN names"},
	{"bad-basic-constraints", CS_SEV_ERROR,
	 "an end-entity certificate says cA TRUE without keyCertSign"},
	{"malformed-cert", CS_SEV_ERROR,
	 "a certificate of the input is not valid DER (RFC 5280 4.1) and "
	 "cannot be checked"},
	{"bad-extension", CS_SEV_ERROR,
	 "an extension is malformed, duplicated or not allowed here"},
	/* Presentation of the input. */
	{"chain-out-of-order", CS_SEV_WARNING,
	 "the input does not list the end-entity certificate first"},
	{"unneeded-cert", CS_SEV_WARNING,
	 "a certificate of the input is not part of the path"},
	{"duplicate-cert", CS_SEV_INFO,
	 "the input holds the same certificate more than once"},
};

const size_t cs_finding_defs_count =
	sizeof(cs_finding_defs) / sizeof(cs_finding_defs[0]);

/* see findings.h */
const struct cs_finding_def *cs_finding_lookup(const char *code)
{
	size_t i;

	if (code == NULL)
		return NULL;
	for (i = 0; i < cs_finding_defs_count; i++)
		if (strcmp(cs_finding_defs[i].code, code) == 0)
			return &cs_finding_defs[i];
	return NULL;
}

/* see findings.h */
const char *cs_severity_name(enum cs_severity s)
{
	switch (s) {
	case CS_SEV_INFO:
		return "info";
	case CS_SEV_WARNING:
		return "warning";
	case CS_SEV_ERROR:
		return "error";
	}
	return "unknown";
}
