/*
 * model_int.h - what the certificate model's files share; internal to
 * x509/ (other stages use model.h).
 *
 * The model is split by concern: model.c (cs_model_from_crt and
 * cs_model_free; names, key, signature, digests, self-signed), raw.c (the
 * fields read from the raw DER), altnames.c (subjectAltName and
 * nameConstraints), ext.c (the other extensions) and util.c (owned
 * strings and lists, warnings, base64).
 *
 * Unless said otherwise, functions returning int return 0, or -1 only
 * when memory ran out; an optional field that cannot be read is left
 * empty, never an error.
 */
#ifndef CS_MODEL_INT_H
#define CS_MODEL_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <gnutls/x509.h>

#include "input/der.h"
#include "x509/model.h"

/* Entries read from one list-valued extension (SANs, EKUs, policies,
 * URLs, constraints, SCTs, extensions).  The loader refuses certificates
 * of more than CS_MAX_CERT_ELEMENTS DER elements, so for what it loads no
 * list reaches this and nothing is left out unsaid; it bounds the loops
 * for certificates from elsewhere (trust stores). */
#define CS_MODEL_MAX_LIST 16384

#define OID_SAN "2.5.29.17"
#define OID_KU "2.5.29.15"
#define OID_BC "2.5.29.19"
#define OID_EKU "2.5.29.37"
#define OID_SKI "2.5.29.14"
#define OID_AKI "2.5.29.35"
#define OID_CRLDP "2.5.29.31"
#define OID_POLICIES "2.5.29.32"
#define OID_NC "2.5.29.30"
#define OID_AIA "1.3.6.1.5.5.7.1.1"
#define OID_SCT "1.3.6.1.4.1.11129.2.4.2"
#define OID_AD_OCSP "1.3.6.1.5.5.7.48.1"
#define OID_AD_CAISSUERS "1.3.6.1.5.5.7.48.2"

/* util.c */

/* Copy len bytes into a new NUL-terminated heap string.  NULL on ENOMEM. */
char *model_memdup(const void *p, size_t len);

/* Append a copy of len bytes to l (nothing past CS_MODEL_MAX_LIST). */
int model_strlist_add(struct cs_strlist *l, const void *p, size_t len);
void model_strlist_free(struct cs_strlist *l);

/* Append *nm to l; l takes nm->value (also on failure). */
int model_namelist_take(struct cs_namelist *l, struct cs_name *nm);
void model_namelist_free(struct cs_namelist *l);

/* Add one warning sentence to m->warnings.  -1 only on ENOMEM. */
int model_warn(struct cs_cert_model *m, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Standard base64 (RFC 4648 4) of len bytes into out; truncates at a
 * 4-character boundary if out is too small. */
void model_base64(char *out, size_t outsz, const unsigned char *p,
		  size_t len);

/* Bounded copy of a datum into a fixed char array, NUL-terminated. */
void model_copy_fixed(char *out, size_t outsz, const void *p, size_t len);

/* raw.c */

/* What the raw walk found; all pointers borrow the caller's DER. */
struct raw_cert {
	struct cs_tlv outer, tbs, serial, not_before, not_after;
	struct cs_tlv issuer, subject; /* the Name TLVs */
	struct cs_tlv spki;            /* SubjectPublicKeyInfo */
	struct cs_tlv exts;            /* the SEQUENCE OF Extension */
	const unsigned char *tbs_der; /* whole tbsCertificate TLV */
	size_t tbs_der_len;
	const unsigned char *sig; /* signature BIT STRING content */
	size_t sig_len;
	bool have_validity, have_names, have_sig;
	bool have_exts;  /* exts found, or the certificate has none (exts
			    zero) */
};

/* Find the serial, the Validity times, the issuer and subject names and
 * the signature in a certificate's DER.  -1 if the serial cannot be
 * located; the rest is optional (have_validity, have_names, have_sig). */
int model_raw_walk(const unsigned char *der, size_t der_len,
		   struct raw_cert *r);

/* Fill the serial and Validity fields of *m from *r, with a warning for
 * every encoding RFC 5280 forbids. */
int model_read_raw(struct cs_cert_model *m, const struct raw_cert *r);

/* The RFC 4514 string of a plain Name (see raw.c) into a new *out: 1,
 * 0 when the name is not plain (ask GnuTLS), -1 out of memory. */
int model_raw_dn(const struct cs_tlv *name, char **out);

/* The value of the first commonName in a Name's encoding: 1 with the
 * value's TLV, 0 when there is none, -1 when the Name is not plain DER
 * (ask GnuTLS). */
int model_raw_first_cn(const struct cs_tlv *name, struct cs_tlv *value);

/* The first extension with this OID (the contents of its OBJECT
 * IDENTIFIER): 1 with the extnValue OCTET STRING in *value and its
 * criticality, 0 when there is none, -1 when the extensions are not
 * plain DER (ask GnuTLS). */
int model_raw_ext(const struct raw_cert *r, const unsigned char *oid,
		  size_t oid_len, struct cs_tlv *value, bool *critical);

/* The extension after *pos (start at 0), in order: 1 with its OID's TLV
 * in *id, its extnValue OCTET STRING in *value and its criticality, 0
 * after the last, -1 when the extensions are not plain DER. */
int model_raw_ext_next(const struct raw_cert *r, size_t *pos,
		       struct cs_tlv *id, struct cs_tlv *value,
		       bool *critical);

/* Basic constraints, and the subject and authority key identifiers, from
 * the DER: true when read (or absent), false when the extension is not in
 * the plain form these read, for GnuTLS's getter; the same values as it
 * gives (the unit tests compare them). */
bool model_raw_basic_constraints(struct cs_cert_model *m,
				 const struct raw_cert *r);
bool model_raw_key_ids(struct cs_cert_model *m, const struct raw_cert *r);

/* The key's algorithm, size and curve from the DER for the plain keys
 * (RSA with NULL parameters, ECDSA on P-256, P-384 or P-521 with an
 * uncompressed point, Ed25519, every length and integer in its shortest
 * form): true when read, false to ask GnuTLS; the same values as
 * GnuTLS's (the unit tests compare them).  Such a SubjectPublicKeyInfo
 * is the one GnuTLS re-encodes from the key, so its SHA-256 is GnuTLS's
 * key id. */
bool model_raw_key(struct cs_cert_model *m, const struct raw_cert *r);

/* altnames.c */
int model_read_sans(struct cs_cert_model *m, gnutls_x509_crt_t crt);
int model_read_name_constraints(struct cs_cert_model *m,
				gnutls_x509_crt_t crt);

/* ext.c: basic constraints and the key identifiers (from r when it is
 * not NULL and they are plain, CS_MODEL_FROM_DER), and with details
 * (CS_MODEL_DETAILS) every other extension but subjectAltName and the
 * extension list. */
int model_read_extensions(struct cs_cert_model *m, gnutls_x509_crt_t crt,
			  const struct raw_cert *r, bool details);

#endif
