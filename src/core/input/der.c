/*
 * der.c - the bounded DER TLV reader (see der.h).
 *
 * Does not: know what any tag means; the loader, the model and the trust
 * store decide that.
 */
#include "input/der.h"

#include <string.h>

/* see der.h */
int cs_der_read(const unsigned char *p, size_t avail, struct cs_tlv *t)
{
	uint64_t len = 0;
	size_t hdr = 2;

	memset(t, 0, sizeof(*t));
	if (avail < 2 || (p[0] & 0x1f) == 0x1f)
		return CS_DER_BAD;
	t->tag = p[0];
	if (p[1] < 0x80) {
		len = p[1];
	} else {
		unsigned n = p[1] & 0x7f;

		if (n == 0) {
			/* BER's indefinite length, never valid DER. */
			t->hdr = 2;
			return CS_DER_INDEFINITE;
		}
		if (n > CS_DER_MAX_LEN_OCTETS || avail - 2 < n)
			return CS_DER_BAD;
		for (unsigned i = 0; i < n; i++)
			len = len << 8 | p[2 + i];
		hdr = 2 + n;
		t->len_octets = n;
		/* X.690 10.1: the fewest octets, short form below 128. */
		t->nonminimal = p[2] == 0 || len < 0x80;
	}
	t->hdr = hdr;
	t->total = len > UINT64_MAX - hdr ? UINT64_MAX : len + hdr;
	if (len > avail - hdr)
		return CS_DER_TRUNCATED;
	t->len = (size_t)len;
	t->val = p + hdr;
	return CS_DER_OK;
}

/* see der.h */
bool cs_der_child(const unsigned char *content, size_t clen, size_t *pos,
		  struct cs_tlv *t)
{
	if (*pos >= clen ||
	    cs_der_read(content + *pos, clen - *pos, t) != CS_DER_OK)
		return false;
	*pos += t->hdr + t->len;
	return true;
}
