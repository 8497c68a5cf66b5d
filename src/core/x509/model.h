/*
 * model.h - the fields a person asks about, extracted once from GnuTLS
 * into plain structs.  The model's files (model.c, altnames.c, ext.c;
 * see x509/README.md) call the gnutls_x509_crt_get_* getters for them;
 * everything else reads these structs.
 *
 * Strings are owned, NUL-terminated and may contain any bytes the
 * certificate carried (control characters, invalid UTF-8, bidi
 * overrides): escaping them is the report layer's job.  Lengths are kept
 * where a value may contain NUL.
 *
 * Times are Unix seconds as int64_t, read from the raw Validity field so
 * that dates before 1970 and after 2038 are exact (GnuTLS returns 0 for
 * UTCTime 50 = 1950; RFC 5280 4.1.2.5).
 *
 * Does not: verify signatures (other than a self-issued certificate's
 * own, when asked: CS_MODEL_SELF_SIG), judge validity at a time, or
 * decide trust.
 */
#ifndef CS_MODEL_H
#define CS_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <gnutls/x509.h>

#include "error.h"
#include "timeutil.h"


enum cs_san_type {
	CS_SAN_DNS,
	CS_SAN_IP,
	CS_SAN_EMAIL,
	CS_SAN_URI,
	CS_SAN_DN,
	CS_SAN_OTHER,
};

struct cs_name {
	enum cs_san_type type;
	char *value;     /* owned; IPs in text form ("192.0.2.1", "2001:db8::1",
			    for constraints "10.0.0.0/8") */
	size_t len;      /* bytes in value, excluding the NUL; may hold NULs */
	unsigned char raw[32]; /* CS_SAN_IP: address (and mask) bytes */
	size_t raw_len;        /* 4, 16 (address) or 8, 32 (constraint) */
};

struct cs_namelist {
	struct cs_name *v; /* owned */
	size_t n;
};

struct cs_strlist {
	char **v; /* owned strings */
	size_t n;
};

struct cs_sct {
	char log_id_b64[64]; /* base64 of the 32-byte log id */
	cs_time_t timestamp; /* seconds (the SCT holds milliseconds) */
	unsigned version;
};

/* Key usage bits (RFC 5280 4.2.1.3), same values as GnuTLS's. */
#define CS_KU_DIGITAL_SIGNATURE GNUTLS_KEY_DIGITAL_SIGNATURE
#define CS_KU_KEY_ENCIPHERMENT  GNUTLS_KEY_KEY_ENCIPHERMENT
#define CS_KU_KEY_CERT_SIGN     GNUTLS_KEY_KEY_CERT_SIGN
#define CS_KU_CRL_SIGN          GNUTLS_KEY_CRL_SIGN

struct cs_ext {
	char oid[64];
	bool critical;
	bool known; /* decoded by the model */
};

struct cs_cert_model {
	unsigned version;      /* 1, 2 or 3 */
	char *subject;         /* RFC 4514 string, owned */
	char *issuer;          /* RFC 4514 string, owned */
	char *subject_cn;      /* first CN or NULL, owned */
	size_t subject_cn_len;
	char *serial_hex;      /* colon-separated hex, exactly as encoded */
	bool serial_negative;  /* first content byte has the top bit set */
	size_t serial_len;     /* content bytes of the INTEGER */

	cs_time_t not_before, not_after; /* exact, from the raw encoding */
	char not_before_raw[32], not_after_raw[32]; /* e.g. "500101000000Z" */
	bool not_before_utc, not_after_utc; /* UTCTime (else GeneralizedTime) */

	struct cs_namelist sans;

	char key_alg[32];      /* "RSA", "ECDSA", "Ed25519", "Ed448", "DSA" */
	unsigned key_bits;     /* RSA/DSA modulus bits, EC field bits */
	char key_curve[32];    /* "P-256", ... or "" */
	char sig_alg[48];      /* "RSA-SHA256", "ECDSA-SHA384", "Ed25519" */
	char sig_oid[64];
	int gnutls_sign;       /* gnutls_sign_algorithm_t */
	int gnutls_pk;         /* gnutls_pk_algorithm_t */

	unsigned char sha256[32], sha1[20];
	char spki_sha256_b64[48]; /* pin-sha256 value */

	bool self_issued;      /* subject == issuer (bytes) */
	bool self_signed;      /* self-issued and its own key verifies it;
				  only when self_sig_checked */
	bool self_sig_checked; /* built with CS_MODEL_SELF_SIG: self_signed
				  says something (else it is false, unknown) */

	/* basic constraints (RFC 5280 4.2.1.9) */
	bool has_basic_constraints, bc_critical;
	bool is_ca;
	int path_len;          /* -1 = no limit */

	/* key usage (4.2.1.3) */
	bool has_key_usage, ku_critical;
	unsigned key_usage;

	/* extended key usage (4.2.1.12): dotted OIDs */
	bool has_eku;
	struct cs_strlist eku;

	char ski_hex[128], aki_hex[128]; /* "" when absent */
	struct cs_strlist ocsp_urls, ca_issuer_urls, crl_urls, policies;

	/* name constraints (4.2.1.10) */
	bool has_name_constraints, nc_critical;
	struct cs_namelist nc_permitted, nc_excluded;

	struct cs_sct *scts; /* owned array */
	size_t n_scts;

	struct cs_ext *exts; /* every extension present, in order */
	size_t n_exts;

	/* Encoding problems GnuTLS accepted but RFC 5280 forbids (serial of 0
	 * or over 20 bytes, negative serial, GeneralizedTime before 2050,
	 * UTCTime without seconds, non-minimal lengths, ...): one sentence
	 * each, owned. */
	struct cs_strlist warnings;
};

/*
 * What cs_model_build() reads besides the fields every model has: the
 * version, subject, issuer, self_issued, serial, Validity, subjectAltName,
 * key, signature algorithm, SHA-256, basic constraints and the key
 * identifiers (what `show` prints without --long), and the warnings of
 * the raw fields.
 */
#define CS_MODEL_SELF_SIG 0x1u /* a self-issued certificate's signature
				  checked with its own key (self_signed,
				  self_sig_checked): a public-key operation,
				  most of the cost of a model of a root */
#define CS_MODEL_DETAILS 0x2u  /* the first CN, SHA-1, the SPKI pin, every
				  other extension, the extension list and
				  the warnings about extensions */
#define CS_MODEL_FROM_DER 0x4u /* subject, issuer, first CN, key, SPKI
				  pin, basic constraints and key
				  identifiers read from the DER where
				  they are in the plain form nearly every
				  certificate uses (GnuTLS's getters for the
				  rest): the same values (the unit tests
				  compare them on the corpus), a fraction of
				  the cost */
#define CS_MODEL_ALL (CS_MODEL_SELF_SIG | CS_MODEL_DETAILS)

/* Fill *m from crt (and its DER, for the raw fields) with the parts
 * asked for (CS_MODEL_*); fields of parts not asked for stay empty.  On
 * failure *m is left empty (safe to cs_model_free).  Returns 0 / -1. */
CS_MUST_CHECK int cs_model_build(struct cs_cert_model *m,
				 gnutls_x509_crt_t crt,
				 const unsigned char *der, size_t der_len,
				 unsigned parts, struct cs_error *err);

/* cs_model_build() with CS_MODEL_ALL: every field, the self-signature
 * checked, every value from GnuTLS's getters (what verify and connect
 * use). */
CS_MUST_CHECK int cs_model_from_crt(struct cs_cert_model *m,
				    gnutls_x509_crt_t crt,
				    const unsigned char *der, size_t der_len,
				    struct cs_error *err);

/* Free what *m owns and zero it.  NULL is fine. */
void cs_model_free(struct cs_cert_model *m);

/* A deep copy of src into *dst: the same values, owned by dst (a model
 * kept for a run is handed out as copies, path/vcache.h).  On failure
 * (out of memory) *dst is left empty.  Returns 0 / -1. */
CS_MUST_CHECK int cs_model_copy(struct cs_cert_model *dst,
				const struct cs_cert_model *src);

/* One extension as cs_model_ext_each hands it over: the dotted OID, the
 * extnValue's contents (borrowed from the DER) and the criticality.
 * Returns false to stop. */
typedef bool (*cs_model_ext_fn)(const char *oid, const unsigned char *value,
				size_t len, bool critical, void *ctx);

/* Each extension of a certificate's DER in order, read without GnuTLS
 * (whose per-extension lookups decode them all again each time).
 * Returns 1 when fn saw every extension or stopped, 0 when the
 * extensions are not plain DER (fn was not called: ask GnuTLS). */
int cs_model_ext_each(const unsigned char *der, size_t der_len,
		      cs_model_ext_fn fn, void *ctx);

#endif
