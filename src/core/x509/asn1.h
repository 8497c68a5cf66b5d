/*
 * asn1.h - the structure of any DER, for `certscope asn1`: every element
 * with its tag, offset, header and content length, primitive values
 * decoded, and PKIX field names where the input matches a definition.
 *
 * The walk uses input/der.h (bounded, never reads past the input) with
 * the loader's limits: CS_MAX_DER_DEPTH levels and CS_MAX_CERT_ELEMENTS
 * elements per structure (and CS_ASN1_MAX_INPUT_ELEMENTS per input).  Malformed input is not an error of the call:
 * the elements before the fault are kept and the fault says where
 * decoding stopped and why.
 *
 * Labels: a top-level element, an element inside an encapsulating OCTET
 * or BIT STRING, the value of a ContentInfo's content and the elements of
 * SignedData's certificates and crls and of BasicOCSPResponse's certs
 * are each decoded by libtasn1 (strict DER) against the definitions of pkix.asn
 * in turn (Certificate, CertificateList, OCSPResponse, BasicOCSPResponse,
 * CertificationRequest, ContentInfo, SignedData); the first that decodes
 * the whole element "matches", and every element it names gets that name.
 *
 * Does not: judge anything (a certificate that matches is not "valid"),
 * decode BER (indefinite lengths are a fault), tags above 30, or
 * extension values beyond the structure.
 */
#ifndef CS_ASN1_H
#define CS_ASN1_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"

/* What a primitive element's value is. */
enum cs_asn1_vkind {
	CS_ASN1_V_NONE = 0, /* constructed, NULL, or encapsulating */
	CS_ASN1_V_BOOL,     /* "true" / "false" */
	CS_ASN1_V_NUMBER,   /* INTEGER or ENUMERATED of up to 8 octets,
			       decimal */
	CS_ASN1_V_HEX,      /* lower-case hex of the contents (BIT STRING:
			       after the unused-bits octet) */
	CS_ASN1_V_OID,      /* dotted; oid_name when the table knows it */
	CS_ASN1_V_TIME,     /* UTCTime, GeneralizedTime as RFC 3339 UTC */
	CS_ASN1_V_TEXT,     /* the string's characters as UTF-8, unescaped:
			       escape before printing */
};

/* Bytes of contents shown at most: hex, text. */
#define CS_ASN1_HEX_MAX  32
#define CS_ASN1_TEXT_MAX 256

struct cs_asn1_node {
	size_t offset;          /* of the identifier octet, in the DER */
	size_t hdr;             /* identifier and length octets */
	size_t len;             /* content octets */
	unsigned tag;           /* the identifier octet */
	unsigned depth;         /* 0 for a top-level element */
	size_t parent;          /* index of the parent, SIZE_MAX at top */
	bool encapsulates;      /* a primitive OCTET or BIT STRING whose
				   contents are DER: its children follow */
	char *label;            /* owned PKIX name, or NULL */
	enum cs_asn1_vkind vkind;
	char *value;            /* owned, NUL-terminated (TEXT may hold NUL
				   bytes: value_len counts), or NULL */
	size_t value_len;
	bool value_cut;         /* only the first bytes are in value */
	unsigned unused_bits;   /* BIT STRING */
	const char *oid_name;   /* static, OID only, or NULL */
};

/* One DER structure: the whole input, or one PEM block of it. */
struct cs_asn1_dump {
	bool pem;               /* a PEM block */
	char pem_label[65];     /* its label (printable ASCII) */
	size_t pem_line;        /* 1-based line of its BEGIN line */
	bool skipped;           /* a private key: not dumped (keys are
				   never printed): a PEM block labelled
				   so, or DER holding, anywhere, a SEQUENCE
				   shaped as PKCS#8, SEC1 or PKCS#1; no
				   nodes then */
	size_t der_len;         /* bytes of DER */
	struct cs_asn1_node *nodes; /* owned, pre-order, offsets rising */
	size_t n, cap;
	bool fault;             /* decoding stopped: */
	size_t fault_offset;    /* here (in the DER; PEM: in the block's
				   decoded bytes) */
	char reason[200];       /* and why, a sentence without a period */
};

/* All the structures of one input. */
struct cs_asn1_list {
	struct cs_asn1_dump *v; /* owned array of n */
	size_t n;
};

/* Elements of one input, all its PEM blocks together: 16 times
 * CS_MAX_CERT_ELEMENTS, so a bundle of every public root (about 21,000)
 * fits and memory stays near 50 MB whatever the input. */
#define CS_ASN1_MAX_INPUT_ELEMENTS ((uint64_t)262144)

struct cs_asn1_opts {
	unsigned max_depth;     /* 0 = CS_MAX_DER_DEPTH */
	uint64_t max_elements;  /* per structure; 0 = CS_MAX_CERT_ELEMENTS */
	uint64_t max_input_elements; /* 0 = CS_ASN1_MAX_INPUT_ELEMENTS */
	bool no_labels;         /* skip the PKIX matching */
};

/*
 * Dump DER of LEN bytes (borrowed; nothing points into it afterwards)
 * into *d, which is initialised first.  Returns 0 (also for malformed
 * input: see d->fault), -1 with *err only when memory or libtasn1's
 * definitions fail.  opts may be NULL.  Free *d with cs_asn1_dump_free
 * either way.
 */
CS_MUST_CHECK int cs_asn1_parse(struct cs_asn1_dump *d,
				const unsigned char *der, size_t len,
				const struct cs_asn1_opts *opts,
				struct cs_error *err);

/*
 * Dump an input: when it holds a PEM BEGIN line and does not start with
 * a complete DER element, each PEM block (any label; a bad one is a dump
 * with a fault at offset 0; a private key is skipped), else the whole
 * input as DER; DER holding an unencrypted private key is skipped too.  Returns 0 with *out filled (at least one dump), -1 with
 * *err as cs_asn1_parse().  Free *out with cs_asn1_list_free.
 */
CS_MUST_CHECK int cs_asn1_read(struct cs_asn1_list *out,
			       const unsigned char *data, size_t len,
			       const struct cs_asn1_opts *opts,
			       struct cs_error *err);

/* Free what a dump or list owns; NULL is fine. */
void cs_asn1_dump_free(struct cs_asn1_dump *d);
void cs_asn1_list_free(struct cs_asn1_list *l);

/* The tag's name into BUF: "SEQUENCE", "INTEGER", "[0]",
 * "[APPLICATION 3]", "[PRIVATE 1]", "[UNIVERSAL 9]".  Returns BUF. */
const char *cs_asn1_tag_name(unsigned tag, char *buf, size_t bufsz);

/* "universal", "application", "context", "private" */
const char *cs_asn1_tag_class(unsigned tag);

#endif
