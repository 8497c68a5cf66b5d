/*
 * der.h - the one bounded DER tag-length-value reader (X.690 8.1) of the
 * core: the loader, the certificate model and the trust store all walk
 * DER with it.
 *
 * Reads one header at a time and never recurses, so nesting costs
 * nothing; never reads a byte past the AVAIL it is given; cannot
 * overflow (at most 8 length octets, gathered into 64 bits, and the
 * claimed total saturates).
 *
 * Accepts: low tag numbers (one identifier octet) and definite lengths,
 * short form or long form of 1 to 8 octets.  A long form that is not the
 * shortest (a length below 128, or a leading zero octet) is accepted and
 * flagged in nonminimal: GnuTLS accepts it, and the model reports it.
 *
 * Rejects: high tag numbers (low five bits of the identifier all set),
 * the indefinite length 0x80 (BER only; X.690 10.1 forbids it in DER,
 * reported apart so callers can say so), more than 8 length octets, and
 * a header that does not fit.
 *
 * Does not: look at what a tag means, check that contents are DER, or
 * allocate.
 */
#ifndef CS_DER_H
#define CS_DER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Length octets read at the most: 8 fill the 64-bit length exactly. */
#define CS_DER_MAX_LEN_OCTETS 8

enum cs_der_status {
	CS_DER_OK = 0,          /* header and contents lie within avail */
	CS_DER_BAD = -1,        /* no usable header (see above) */
	CS_DER_INDEFINITE = -2, /* length octet 0x80: tag and hdr are set */
	CS_DER_TRUNCATED = -3,  /* header read, contents run past avail:
				   tag, hdr, total, len_octets and
				   nonminimal are set */
};

struct cs_tlv {
	unsigned tag;             /* the identifier octet */
	size_t hdr;               /* identifier and length octets */
	size_t len;               /* content octets (CS_DER_OK only) */
	const unsigned char *val; /* contents, borrowed (CS_DER_OK only) */
	uint64_t total;           /* hdr + the length as encoded, which may
				     exceed avail; UINT64_MAX if it would
				     not fit */
	unsigned len_octets;      /* long form: octets after 0x8N; else 0 */
	bool nonminimal;          /* long form not in its shortest form */
};

/*
 * Read the TLV at P, AVAIL bytes available.  Returns CS_DER_OK when the
 * whole TLV lies within AVAIL, else one of the negative cs_der_status
 * values; *t is zeroed first, so after a failure only the fields named
 * for that status mean anything.
 */
int cs_der_read(const unsigned char *p, size_t avail, struct cs_tlv *t);

/*
 * The next complete TLV inside CONTENT[*pos..clen) (the contents of a
 * constructed value): true with *t filled and *pos moved past it; false
 * at the end or at anything cs_der_read() does not accept there (*pos
 * unchanged).  A loop over the children:
 *
 *     size_t pos = 0;
 *     while (cs_der_child(seq.val, seq.len, &pos, &t)) ...
 */
bool cs_der_child(const unsigned char *content, size_t clen, size_t *pos,
		  struct cs_tlv *t);

#endif
