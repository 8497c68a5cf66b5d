/* see oid.h */
#include "oid.h"

#include <limits.h>
#include <libtasn1.h>
#include <stdio.h>
#include <string.h>

static const struct {
	const char *oid;
	const char *name;
} oid_names[] = {
	/* extended key usages (RFC 5280 4.2.1.12) */
	{"1.3.6.1.5.5.7.3.1", "serverAuth"},
	{"1.3.6.1.5.5.7.3.2", "clientAuth"},
	{"1.3.6.1.5.5.7.3.3", "codeSigning"},
	{"1.3.6.1.5.5.7.3.4", "emailProtection"},
	{"1.3.6.1.5.5.7.3.8", "timeStamping"},
	{"1.3.6.1.5.5.7.3.9", "OCSPSigning"},
	{"2.5.29.37.0", "anyExtendedKeyUsage"},
	/* extensions */
	{"2.5.29.14", "subjectKeyIdentifier"},
	{"2.5.29.15", "keyUsage"},
	{"2.5.29.17", "subjectAltName"},
	{"2.5.29.18", "issuerAltName"},
	{"2.5.29.19", "basicConstraints"},
	{"2.5.29.30", "nameConstraints"},
	{"2.5.29.31", "cRLDistributionPoints"},
	{"2.5.29.32", "certificatePolicies"},
	{"2.5.29.35", "authorityKeyIdentifier"},
	{"2.5.29.36", "policyConstraints"},
	{"2.5.29.37", "extKeyUsage"},
	{"2.5.29.54", "inhibitAnyPolicy"},
	{"1.3.6.1.5.5.7.1.1", "authorityInfoAccess"},
	{"1.3.6.1.5.5.7.1.24", "tlsFeature"},
	{"1.3.6.1.4.1.11129.2.4.2", "signedCertificateTimestamps"},
	{"1.3.6.1.4.1.11129.2.4.3", "precertificatePoison"},
	/* CRL and CRL entry extensions (RFC 5280 5.2, 5.3) */
	{"2.5.29.20", "cRLNumber"},
	{"2.5.29.21", "cRLReason"},
	{"2.5.29.24", "invalidityDate"},
	{"2.5.29.27", "deltaCRLIndicator"},
	{"2.5.29.28", "issuingDistributionPoint"},
	/* name attributes (RFC 5280 4.1.2.4, RFC 4519) */
	{"2.5.4.3", "commonName"},
	{"2.5.4.5", "serialNumber"},
	{"2.5.4.6", "countryName"},
	{"2.5.4.7", "localityName"},
	{"2.5.4.8", "stateOrProvinceName"},
	{"2.5.4.10", "organizationName"},
	{"2.5.4.11", "organizationalUnitName"},
	{"0.9.2342.19200300.100.1.25", "domainComponent"},
	{"1.2.840.113549.1.9.1", "emailAddress"},
	/* keys and signatures (RFC 8017, 5480, 5758, 8410) */
	{"1.2.840.113549.1.1.1", "rsaEncryption"},
	{"1.2.840.113549.1.1.5", "sha1WithRSAEncryption"},
	{"1.2.840.113549.1.1.10", "rsassa-pss"},
	{"1.2.840.113549.1.1.11", "sha256WithRSAEncryption"},
	{"1.2.840.113549.1.1.12", "sha384WithRSAEncryption"},
	{"1.2.840.113549.1.1.13", "sha512WithRSAEncryption"},
	{"1.2.840.10045.2.1", "ecPublicKey"},
	{"1.2.840.10045.3.1.7", "prime256v1"},
	{"1.3.132.0.34", "secp384r1"},
	{"1.3.132.0.35", "secp521r1"},
	{"1.2.840.10045.4.3.2", "ecdsa-with-SHA256"},
	{"1.2.840.10045.4.3.3", "ecdsa-with-SHA384"},
	{"1.2.840.10045.4.3.4", "ecdsa-with-SHA512"},
	{"1.3.101.112", "Ed25519"},
	{"1.3.101.113", "Ed448"},
	{"1.3.14.3.2.26", "sha1"},
	{"2.16.840.1.101.3.4.2.1", "sha256"},
	{"2.16.840.1.101.3.4.2.2", "sha384"},
	{"2.16.840.1.101.3.4.2.3", "sha512"},
	/* CMS (RFC 5652) and PKCS#9 attributes (RFC 2985) */
	{"1.2.840.113549.1.7.1", "data"},
	{"1.2.840.113549.1.7.2", "signedData"},
	{"1.2.840.113549.1.9.3", "contentType"},
	{"1.2.840.113549.1.9.4", "messageDigest"},
	{"1.2.840.113549.1.9.5", "signingTime"},
	{"1.2.840.113549.1.9.14", "extensionRequest"},
	/* access methods and OCSP (RFC 5280 4.2.2.1, RFC 6960) */
	{"1.3.6.1.5.5.7.48.1", "ocsp"},
	{"1.3.6.1.5.5.7.48.2", "caIssuers"},
	{"1.3.6.1.5.5.7.48.1.1", "id-pkix-ocsp-basic"},
	{"1.3.6.1.5.5.7.48.1.2", "id-pkix-ocsp-nonce"},
	/* policies (CA/B Forum BR 7.1.6.1) */
	{"2.23.140.1.2.1", "domain-validated"},
	{"2.23.140.1.2.2", "organization-validated"},
	{"2.23.140.1.2.3", "individual-validated"},
	{"2.23.140.1.1", "extended-validation"},
	{"2.5.29.32.0", "anyPolicy"},
};

const char *cs_oid_name(const char *oid)
{
	for (size_t i = 0; i < sizeof(oid_names) / sizeof(*oid_names); i++)
		if (strcmp(oid, oid_names[i].oid) == 0)
			return oid_names[i].name;
	return NULL;
}

bool cs_oid_dotted(const unsigned char *tlv, size_t len, char *out,
		   size_t outsz)
{
	int used = 0;

	/* libtasn1 reads from the length octets on; a longer OID would not
	 * fit any buffer a caller has (each octet is a digit or more) */
	return tlv != NULL && len >= 3 && len <= 4096 && outsz <= INT_MAX &&
	       asn1_get_object_id_der(tlv + 1, (int)(len - 1), &used, out,
				      (int)outsz) == ASN1_SUCCESS &&
	       (size_t)used == len - 1;
}

void cs_oid_ext_text(const unsigned char *tlv, size_t len, char *out,
		     size_t outsz)
{
	char dotted[128];
	const char *name;

	if (!cs_oid_dotted(tlv, len, dotted, sizeof(dotted))) {
		snprintf(out, outsz, "an extension");
		return;
	}
	name = cs_oid_name(dotted);
	if (name)
		snprintf(out, outsz, "%s", name);
	else
		snprintf(out, outsz, "%s extension", dotted);
}
