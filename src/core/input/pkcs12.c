/*
 * pkcs12.c - RFC 7292 PFX files: the MAC checked with the given password
 * (or both encodings of none), every CERTIFICATE and CRL bag read,
 * decrypting as needed, and a sentence for what GnuTLS would drop without
 * a word (bags past its limit, nested SafeContents), found by walking the
 * unencrypted DER with input/der.h.
 *
 * Does not: read keys or other bag types, or look for the password (it
 * comes in struct cs_load_opts).
 */
#include "input/load_int.h"

#include <stdbool.h>
#include <string.h>

#include <gnutls/gnutls.h>
#include <gnutls/pkcs12.h>

#include "input/der.h"

/* GnuTLS itself stops at 32 elements per bag; bags per PFX are ours. */
#define CS_MAX_P12_BAGS     64
#define CS_MAX_P12_ELEMENTS 64

static const char p12_need_password[] =
	"PKCS#12 file is protected by a password: give it with "
	"--password-file FILE or CERTSCOPE_PASSWORD";

/*
 * Check the PFX MAC (RFC 7292 section 5) and choose the password for the
 * bags.  Returns 0 with *pass set, 1 when an error item was appended, -1
 * on a fatal error.
 */
static int p12_password(struct load_ctx *c, gnutls_pkcs12_t p12,
			const struct load_pos *at, const char **pass)
{
	const char *given = c->opts ? c->opts->password : NULL;
	int r;

	*pass = given;
	if (given) {
		r = gnutls_pkcs12_verify_mac(p12, given);
		if (r == GNUTLS_E_MAC_VERIFY_FAILED) {
			if (load_push_error(c, at, CS_E_PASSWORD, r,
					    "PKCS#12: wrong password (MAC "
					    "verification failed)") < 0)
				return -1;
			return 1;
		}
		/* Other errors: no MAC at all; the bags decide. */
		return 0;
	}
	/* No password given: "" and NULL are the two encodings of "none"
	 * (RFC 7292 appendix B.1); tools use both. */
	r = gnutls_pkcs12_verify_mac(p12, "");
	if (r == 0) {
		*pass = "";
		return 0;
	}
	if (gnutls_pkcs12_verify_mac(p12, NULL) == 0 ||
	    r != GNUTLS_E_MAC_VERIFY_FAILED)
		return 0;
	if (load_push_error(c, at, CS_E_PASSWORD, r, "%s",
			    p12_need_password) < 0)
		return -1;
	return 1;
}

/*
 * What GnuTLS does not tell: for each unencrypted ContentInfo of the
 * AuthenticatedSafe (GnuTLS's "bags", RFC 7292 s. 4.1), how many SafeBags
 * its SafeContents holds, and how many of them are nested SafeContents
 * (safeContentsBag, s. 4.2.6).  GnuTLS reads at most 32 SafeBags of a
 * SafeContents and never descends into a nested one; both would drop
 * certificates without a word.  Iterative and bounded like the TLV
 * reader it uses (input/der.h); -1 marks a ContentInfo it cannot count
 * (encrypted, or not DER).
 */
struct p12_survey {
	long bags[CS_MAX_P12_BAGS];
	long nested[CS_MAX_P12_BAGS];
};

static const unsigned char oid_p7_data[] = {
	0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x01};
static const unsigned char oid_safe_contents_bag[] = {
	0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x0c, 0x0a, 0x01, 0x06};

/* The OCTET STRING inside [0] of a data ContentInfo whose content
 * (after the OID) starts at *pos, into *octets; false when not that
 * shape. */
static bool p12_data_octets(const struct cs_tlv *ci, size_t *pos,
			    struct cs_tlv *octets)
{
	struct cs_tlv t;
	size_t ipos = 0;

	return cs_der_child(ci->val, ci->len, pos, &t) && t.tag == TAG_CTX0 &&
	       cs_der_child(t.val, t.len, &ipos, octets) &&
	       octets->tag == TAG_OCTETS;
}

static bool is_oid(const struct cs_tlv *t, const unsigned char *oid,
		   size_t n)
{
	return t->tag == TAG_OID && t->len == n && memcmp(t->val, oid, n) == 0;
}

/* The first TLV inside the contents of an OCTET STRING, if a SEQUENCE. */
static bool octets_seq(const struct cs_tlv *octets, struct cs_tlv *seq)
{
	size_t pos = 0;

	return cs_der_child(octets->val, octets->len, &pos, seq) &&
	       seq->tag == TAG_SEQUENCE;
}

static void p12_survey(const unsigned char *der, size_t len,
		       struct p12_survey *sv)
{
	struct cs_tlv pfx, ci, as, t;
	size_t pos = 0, cpos = 0, apos = 0, i;

	for (i = 0; i < CS_MAX_P12_BAGS; i++)
		sv->bags[i] = sv->nested[i] = -1;
	if (cs_der_read(der, len, &pfx) != CS_DER_OK)
		return;
	/* PFX { version, authSafe ContentInfo { data, [0] OCTETS } } */
	if (!cs_der_child(pfx.val, pfx.len, &pos, &t) ||
	    !cs_der_child(pfx.val, pfx.len, &pos, &ci))
		return;
	if (!cs_der_child(ci.val, ci.len, &cpos, &t) ||
	    !is_oid(&t, oid_p7_data, sizeof(oid_p7_data)))
		return;
	if (!p12_data_octets(&ci, &cpos, &t) || !octets_seq(&t, &as))
		return;
	for (i = 0; i < CS_MAX_P12_BAGS; i++) {
		struct cs_tlv c, sc, bag;
		size_t ipos = 0, spos = 0, bpos;

		if (!cs_der_child(as.val, as.len, &apos, &c))
			break;
		if (!cs_der_child(c.val, c.len, &ipos, &t) ||
		    !is_oid(&t, oid_p7_data, sizeof(oid_p7_data)))
			continue; /* encrypted: counted after decryption */
		if (!p12_data_octets(&c, &ipos, &t) || !octets_seq(&t, &sc))
			continue;
		sv->bags[i] = sv->nested[i] = 0;
		while (cs_der_child(sc.val, sc.len, &spos, &bag)) {
			sv->bags[i]++;
			bpos = 0;
			if (cs_der_child(bag.val, bag.len, &bpos, &t) &&
			    is_oid(&t, oid_safe_contents_bag,
				   sizeof(oid_safe_contents_bag)))
				sv->nested[i]++;
		}
	}
}

/* Append the CERTIFICATE and CRL elements of one (decrypted) bag. */
static int p12_bag_items(struct load_ctx *c, gnutls_pkcs12_bag_t bag,
			 const struct load_pos *at)
{
	gnutls_datum_t d;
	int j, n, type, rc = 0;

	n = gnutls_pkcs12_bag_get_count(bag);
	if (n > CS_MAX_P12_ELEMENTS)
		n = CS_MAX_P12_ELEMENTS;
	for (j = 0; j < n && rc == 0; j++) {
		type = gnutls_pkcs12_bag_get_type(bag, (unsigned)j);
		if (type != GNUTLS_BAG_CERTIFICATE && type != GNUTLS_BAG_CRL)
			continue;
		/* d points into the bag: push_* copy it. */
		if (gnutls_pkcs12_bag_get_data(bag, (unsigned)j, &d) < 0)
			continue;
		if (type == GNUTLS_BAG_CERTIFICATE)
			rc = load_push_cert(c, d.data, d.size, at);
		else
			rc = load_push_crl(c, d.data, d.size, at);
	}
	return rc;
}

/* Say what bag I (0-based) holds that was not read: elements past
 * GnuTLS's or our limit, and nested SafeContents. */
static int p12_bag_unread(struct load_ctx *c, gnutls_pkcs12_bag_t bag,
			  const struct load_pos *at, int i,
			  const struct p12_survey *sv)
{
	int n = gnutls_pkcs12_bag_get_count(bag);

	if (n > CS_MAX_P12_ELEMENTS)
		n = CS_MAX_P12_ELEMENTS;
	if (n < 0)
		n = 0;
	if (sv->nested[i] > 0 &&
	    load_push_error(c, at, CS_E_UNSUPPORTED, 0,
			    "PKCS#12 bag %d holds %ld nested SafeContents "
			    "(safeContentsBag, RFC 7292 4.2.6), which are "
			    "not read: certificates inside them were not "
			    "loaded",
			    i + 1, sv->nested[i]) < 0)
		return -1;
	if (sv->bags[i] > n &&
	    load_push_error(c, at, CS_E_LIMIT, 0,
			    "PKCS#12 bag %d holds %ld elements; only the "
			    "first %d were read (the limit of GnuTLS and "
			    "certscope), so certificates after them were not "
			    "loaded",
			    i + 1, sv->bags[i], n) < 0)
		return -1;
	return 0;
}

/* see load_int.h */
int load_p12(struct load_ctx *c, const unsigned char *der, size_t len,
	     const struct load_pos *at)
{
	gnutls_pkcs12_t p12 = NULL;
	gnutls_pkcs12_bag_t bag = NULL;
	gnutls_datum_t d = { (unsigned char *)der, (unsigned)len };
	const char *pass = NULL;
	struct p12_survey sv;
	size_t before = c->list->n;
	char wbuf[48];
	int r, i, rc = 0;

	r = gnutls_pkcs12_init(&p12);
	if (r < 0)
		return cs_error_setlib(c->err, CS_E_INTERNAL, r,
				       "gnutls_pkcs12_init: %s",
				       gnutls_strerror(r));
	r = len > UINT32_MAX ? GNUTLS_E_MEMORY_ERROR :
	    gnutls_pkcs12_import(p12, &d, GNUTLS_X509_FMT_DER, 0);
	if (r < 0) {
		rc = load_push_error(c, at, CS_E_PARSE, r,
				     "not a PKCS#12 file: GnuTLS says: "
				     "%s%s", gnutls_strerror(r),
				     load_where(at, wbuf, sizeof(wbuf)));
		goto out;
	}
	r = p12_password(c, p12, at, &pass);
	if (r != 0) {
		rc = r < 0 ? -1 : 0;
		goto out;
	}
	p12_survey(der, len, &sv);
	for (i = 0; i < CS_MAX_P12_BAGS && rc == 0; i++) {
		r = gnutls_pkcs12_bag_init(&bag);
		if (r < 0) {
			rc = cs_error_setlib(c->err, CS_E_INTERNAL, r,
					     "gnutls_pkcs12_bag_init: %s",
					     gnutls_strerror(r));
			goto out;
		}
		r = gnutls_pkcs12_get_bag(p12, i, bag);
		if (r == GNUTLS_E_REQUESTED_DATA_NOT_AVAILABLE)
			break;
		if (r < 0) {
			rc = load_push_error(c, at, CS_E_PARSE, r,
					     "PKCS#12 bag %d: GnuTLS says: "
					     "%s", i + 1, gnutls_strerror(r));
			break;
		}
		if (gnutls_pkcs12_bag_get_type(bag, 0) ==
		    GNUTLS_BAG_ENCRYPTED) {
			r = gnutls_pkcs12_bag_decrypt(bag, pass);
			if (r < 0 && !c->opts->password) {
				rc = load_push_error(c, at, CS_E_PASSWORD, r,
						     "%s", p12_need_password);
				break;
			}
			if (r < 0) {
				rc = load_push_error(c, at, CS_E_PASSWORD, r,
						     "PKCS#12: cannot decrypt "
						     "bag %d: GnuTLS says: %s",
						     i + 1,
						     gnutls_strerror(r));
				gnutls_pkcs12_bag_deinit(bag);
				bag = NULL;
				continue;
			}
		}
		rc = p12_bag_items(c, bag, at);
		if (rc == 0)
			rc = p12_bag_unread(c, bag, at, i, &sv);
		gnutls_pkcs12_bag_deinit(bag);
		bag = NULL;
	}
	if (rc == 0 && i == CS_MAX_P12_BAGS)
		rc = load_push_error(c, at, CS_E_LIMIT, 0,
				     "PKCS#12 file has more than %d bags; "
				     "the rest were not read",
				     CS_MAX_P12_BAGS);
	if (rc == 0 && c->list->n == before)
		rc = load_push_error(c, at, CS_E_EMPTY, 0,
				     "PKCS#12 file holds no certificate or "
				     "CRL: its %d bag%s only keys or other "
				     "kinds", i, i == 1 ? " holds" : "s hold");
out:
	if (bag)
		gnutls_pkcs12_bag_deinit(bag);
	gnutls_pkcs12_deinit(p12);
	return rc;
}
