/* see oid.h */
#include "oid.h"

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

void cs_oid_ext_text(const unsigned char *tlv, size_t len, char *out,
		     size_t outsz)
{
	char dotted[128];
	const char *name;
	int used = 0;

	/* libtasn1 reads from the length octets on */
	if (tlv == NULL || len < 2 || len > 1024 ||
	    asn1_get_object_id_der(tlv + 1, (int)len - 1, &used, dotted,
				   (int)sizeof(dotted)) != ASN1_SUCCESS) {
		snprintf(out, outsz, "an extension");
		return;
	}
	name = cs_oid_name(dotted);
	if (name)
		snprintf(out, outsz, "%s", name);
	else
		snprintf(out, outsz, "%s extension", dotted);
}
