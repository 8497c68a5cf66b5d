/*
 * elements.c - cs_cert_check_elements(): count the DER elements of a
 * certificate before GnuTLS decodes it (see load.h, CS_MAX_CERT_ELEMENTS)
 * and name the part that holds most of them.
 *
 * Bounded like the reader it uses (input/der.h): the count descends at
 * most 32 levels, so 50,000 nested SEQUENCEs cost nothing.
 *
 * Does not: decode any field, or judge bytes that are not a certificate
 * (the import says what is wrong with them).
 */
#include "input/load_int.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "oid.h"
#include "input/der.h"

/* Elements (TLVs) in CONTENT[0..clen), constructed ones counted with
 * their contents to a nesting of CS_MAX_DER_DEPTH (libtasn1 stops far
 * earlier; a count is all that is wanted, and the stack stays small).  Bytes that do not
 * parse count as one element: the import will refuse them. */
static uint64_t der_count(const unsigned char *content, size_t clen,
			  unsigned depth)
{
	uint64_t k = 0;
	size_t pos = 0;
	struct cs_tlv t;

	while (pos < clen) {
		if (!cs_der_child(content, clen, &pos, &t))
			return k + 1;
		k++;
		if ((t.tag & 0x20) != 0 && depth < CS_MAX_DER_DEPTH)
			k += der_count(t.val, t.len, depth + 1);
	}
	return k;
}

/* Is this an extension GnuTLS decodes (id-ce 2.5.29, id-pe
 * 1.3.6.1.5.5.7.1)?  The value of any other is opaque bytes to it, and
 * counting "elements" in, say, 10 MB of text would be counting noise. */
static bool ext_decoded(const unsigned char *oid, size_t n)
{
	static const unsigned char pe[] = {0x2b, 0x06, 0x01, 0x05, 0x05,
					   0x07, 0x01};

	if (oid == NULL)
		return false;
	return (n >= 3 && oid[0] == 0x55 && oid[1] == 0x1d) ||
	       (n > sizeof(pe) && memcmp(oid, pe, sizeof(pe)) == 0);
}

/* see load.h */
int cs_cert_check_elements(const unsigned char *der, size_t len, char *why,
			   size_t whysz)
{
	static const char *const field[] = {"serial number", "signature "
		"algorithm", "issuer name", "validity", "subject name",
		"public key"};
	struct cs_tlv cert, tbs, f, x, e;
	size_t pos = 0, tpos = 0, xpos, epos, i = 0;
	uint64_t total = 1, part, top = 0;
	char top_what[96] = "the certificate";

	if (cs_der_read(der, len, &cert) != CS_DER_OK ||
	    cert.tag != TAG_SEQUENCE)
		return 0;
	if (!cs_der_child(cert.val, cert.len, &pos, &tbs) ||
	    tbs.tag != TAG_SEQUENCE)
		return 0;
	total++;
	/* tbsCertificate's fields, each counted; extensions one by one */
	while (cs_der_child(tbs.val, tbs.len, &tpos, &f)) {
		if (f.tag == 0xa3) { /* [3] Extensions */
			xpos = 0;
			total++;
			if (!cs_der_child(f.val, f.len, &xpos, &x) ||
			    x.tag != TAG_SEQUENCE) {
				total += der_count(f.val, f.len, 1);
				continue;
			}
			total++;
			xpos = 0;
			while (cs_der_child(x.val, x.len, &xpos, &e)) {
				struct cs_tlv o, oid = {0};

				epos = 0;
				part = 1;
				while (cs_der_child(e.val, e.len, &epos, &o)) {
					part++;
					if (o.tag == TAG_OID && oid.val == NULL)
						oid = o;
					if ((o.tag == TAG_OCTETS &&
					     ext_decoded(oid.val, oid.len)) ||
					    (o.tag & 0x20) != 0)
						part += der_count(o.val, o.len,
								  2);
				}
				total += part;
				if (part > top) {
					top = part;
					cs_oid_ext_text(oid.val ? oid.val -
							oid.hdr : NULL,
							oid.hdr + oid.len,
							top_what,
							sizeof(top_what));
				}
			}
			continue;
		}
		part = 1 + ((f.tag & 0x20) != 0
				    ? der_count(f.val, f.len, 1)
				    : 0);
		total += part;
		if (f.tag != 0xa0 && f.tag != 0xa1 && f.tag != 0xa2) {
			if (part > top && i < sizeof(field) / sizeof(*field)) {
				top = part;
				snprintf(top_what, sizeof(top_what), "the %s",
					 field[i]);
			}
			i++;
		}
	}
	/* signatureAlgorithm and signatureValue */
	while (cs_der_child(cert.val, cert.len, &pos, &f))
		total += 1 + ((f.tag & 0x20) != 0
				      ? der_count(f.val, f.len, 1)
				      : 0);
	if (total <= CS_MAX_CERT_ELEMENTS)
		return 0;
	snprintf(why, whysz,
		 "certificate holds %llu DER elements (%llu in %s), more "
		 "than the %llu certscope decodes (GnuTLS would need about "
		 "%llu MB for it)",
		 (unsigned long long)total, (unsigned long long)top, top_what,
		 (unsigned long long)CS_MAX_CERT_ELEMENTS,
		 (unsigned long long)(total * 750 / 1000000));
	return -1;
}
