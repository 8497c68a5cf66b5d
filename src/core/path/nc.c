/*
 * nc.c - name constraints (RFC 5280 4.2.1.10) read from the DER of the
 * extension, where the model does not keep enough: whether a
 * NameConstraints value is well formed (subtrees present, no minimum or
 * maximum, DNS, IP and e-mail bases of the right form), and whether the
 * subject and the SAN directoryNames of a certificate below are within
 * the directoryName subtrees (RFC 5280 6.1.3 (b), (c)): RDN by RDN,
 * directory strings without regard to ASCII case.
 *
 * It takes GnuTLS certificates and raw DNs, no chain types: it is about
 * one certificate's names and belongs beside x509/names.c, but it reads
 * DER with cs_der_hdr (chain.c), which x509/ cannot use.
 *
 * Does not: match DNS, IP, e-mail or URI constraints (x509/names.c), or
 * choose which certificates are checked against which (rules.c).
 */
#include <string.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>

#include "path/chain.h"
#include "path/nc.h"

#define OID_SAN "2.5.29.17"

/* ---- the extension's form ------------------------------------------ */

/* RFC 5280 4.2.1.10: NameConstraints is a SEQUENCE of [0] permitted
 * and/or [1] excluded GeneralSubtrees, each SIZE (1..MAX), and
 * conforming CAs must not issue an empty sequence. */
#define TAG_NC_PERMITTED 0xa0
#define TAG_NC_EXCLUDED  0xa1
#define OID_NC "2.5.29.30"
/* GeneralName tags of the bases whose form is checked here. */
#define TAG_GN_EMAIL 0x81
#define TAG_GN_DNS   0x82
#define TAG_GN_IP    0x87
#define IPV4_SUBTREE_LEN 8  /* address and mask */
#define IPV6_SUBTREE_LEN 32

/* A dNSName constraint: empty (every name), or host names in RFC 1034
 * 3.5 syntax.  RFC 5280 4.2.1.10 gives DNS constraints as
 * "host.example.com"; a leading period belongs to URI and rfc822Name
 * constraints only, and a wildcard has no meaning there (limbo
 * rfc5280::nc::invalid-dnsname-*). */
static bool nc_dns_ok(const unsigned char *v, size_t len)
{
	size_t i, lab = 0;

	for (i = 0; i < len; i++) {
		unsigned char ch = v[i];

		if (ch == '.') {
			if (lab == 0)
				return false;
			lab = 0;
			continue;
		}
		if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
		      (ch >= '0' && ch <= '9') || ch == '-' || ch == '_'))
			return false;
		lab++;
	}
	return true;
}

/* An iPAddress constraint: address and a CIDR mask (RFC 5280 4.2.1.10,
 * "192.0.2.0/24" as 8 octets), the mask's ones contiguous. */
static bool nc_ip_ok(const unsigned char *v, size_t len)
{
	size_t i, half = len / 2;
	bool zeros = false;

	if (len != IPV4_SUBTREE_LEN && len != IPV6_SUBTREE_LEN)
		return false;
	for (i = half; i < len; i++) {
		unsigned char m = v[i];

		if (zeros && m != 0)
			return false;
		if (m != 0xff) {
			/* ones then zeros within this octet */
			if ((unsigned char)(m | (m - 1)) != 0xff && m != 0)
				return false;
			zeros = true;
		}
	}
	return true;
}

/* One GeneralSubtree: the base's form, and no minimum or maximum
 * ("the minimum MUST be zero, and maximum MUST be absent"; a zero
 * minimum is not encoded in DER). */
static const char *nc_subtree_bad(const unsigned char *p, size_t len)
{
	size_t h, vlen = 0, bh, blen = 0;
	const unsigned char *v;

	h = cs_der_hdr(p, len, &vlen);
	if (h == 0 || p[0] != 0x30 || vlen == 0)
		return "a subtree that is not a GeneralSubtree";
	bh = cs_der_hdr(p + h, vlen, &blen);
	if (bh == 0)
		return "a subtree that is not a GeneralSubtree";
	if (bh + blen != vlen)
		return "a subtree with a minimum or maximum";
	v = p + h + bh;
	switch (p[h]) {
	case TAG_GN_DNS:
		return nc_dns_ok(v, blen) ? NULL
		       : "a DNS subtree that is not a host name (a leading "
			 "period or a wildcard)";
	case TAG_GN_IP:
		return nc_ip_ok(v, blen) ? NULL
		       : "an IP subtree that is not an address and a CIDR "
			 "mask";
	case TAG_GN_EMAIL:
		if (blen > 0 && memchr(v, '@', blen) != NULL &&
		    memchr(v, '@', blen) != memrchr(v, '@', blen))
			return "an e-mail subtree with more than one '@'";
		return NULL;
	default:
		return NULL;
	}
}

/* see nc.h */
const char *cs_nc_malformed(gnutls_x509_crt_t crt)
{
	gnutls_datum_t d = {NULL, 0};
	unsigned crit = 0;
	size_t h, vlen = 0, off, eh, elen, sh, slen, k;
	const char *bad = NULL;

	if (gnutls_x509_crt_get_extension_by_oid2(crt, OID_NC, 0, &d,
						  &crit) < 0)
		return NULL;
	h = cs_der_hdr(d.data, d.size, &vlen);
	if (h == 0 || d.data[0] != 0x30 || vlen == 0)
		bad = "no subtrees";
	for (off = h; bad == NULL && off < h + vlen; off += eh + elen) {
		eh = cs_der_hdr(d.data + off, h + vlen - off, &elen);
		if (eh == 0 || elen == 0 ||
		    (d.data[off] != TAG_NC_PERMITTED &&
		     d.data[off] != TAG_NC_EXCLUDED)) {
			bad = "an empty or unknown list of subtrees";
			break;
		}
		for (k = off + eh; bad == NULL && k < off + eh + elen;
		     k += sh + slen) {
			sh = cs_der_hdr(d.data + k, off + eh + elen - k,
					&slen);
			if (sh == 0) {
				bad = "a subtree that is not a GeneralSubtree";
				break;
			}
			bad = nc_subtree_bad(d.data + k, sh + slen);
		}
	}
	gnutls_free(d.data);
	return bad;
}

/* ---- directoryName constraints (RFC 5280 4.2.1.10) ----------------- */

#define TAG_GN_DIRNAME 0xa4 /* [4] EXPLICIT Name */
#define TAG_SEQUENCE   0x30
#define TAG_SET        0x31
#define MAX_DN_SUBTREES 64  /* directoryName subtrees read per list */
#define MAX_SAN_DIRNAMES 64 /* directoryNames read from one SAN */

struct der_ref {
	const unsigned char *p; /* the TLV, borrowed */
	size_t len;
};

/* Directory string types compared without regard to ASCII case (RFC
 * 5280 7.1: caseIgnoreMatch after RFC 4518 preparation, of which this
 * is the ASCII part). */
static bool dir_string(unsigned char tag)
{
	return tag == 0x0c || tag == 0x13 || tag == 0x14 || tag == 0x16;
}

/* Two AttributeTypeAndValue TLVs: the same type, and values equal. */
static bool ava_eq(const unsigned char *a, size_t alen,
		   const unsigned char *b, size_t blen)
{
	size_t ah, al = 0, bh, bl = 0, th, tl = 0, uh, ul = 0;
	size_t vh, vl = 0, wh, wl = 0;
	const unsigned char *av, *bv;

	ah = cs_der_hdr(a, alen, &al);
	bh = cs_der_hdr(b, blen, &bl);
	if (ah == 0 || bh == 0 || a[0] != TAG_SEQUENCE ||
	    b[0] != TAG_SEQUENCE)
		return false;
	th = cs_der_hdr(a + ah, al, &tl);
	uh = cs_der_hdr(b + bh, bl, &ul);
	if (th == 0 || uh == 0 || th + tl != uh + ul ||
	    memcmp(a + ah, b + bh, th + tl) != 0)
		return false; /* another attribute type */
	av = a + ah + th + tl;
	bv = b + bh + uh + ul;
	vh = cs_der_hdr(av, al - th - tl, &vl);
	wh = cs_der_hdr(bv, bl - uh - ul, &wl);
	if (vh == 0 || wh == 0 || vl != wl)
		return false;
	if (!dir_string(av[0]) || !dir_string(bv[0]))
		return av[0] == bv[0] && memcmp(av + vh, bv + wh, vl) == 0;
	for (size_t k = 0; k < vl; k++) {
		unsigned char x = av[vh + k], y = bv[wh + k];

		if (x >= 'A' && x <= 'Z')
			x = (unsigned char)(x - 'A' + 'a');
		if (y >= 'A' && y <= 'Z')
			y = (unsigned char)(y - 'A' + 'a');
		if (x != y)
			return false;
	}
	return true;
}

/* Two RelativeDistinguishedName SETs: the same AVAs in DER order. */
static bool rdn_eq(const unsigned char *a, size_t alen,
		   const unsigned char *b, size_t blen)
{
	size_t ah, al = 0, bh, bl = 0, i = 0, j = 0, xh, xl, yh, yl;

	ah = cs_der_hdr(a, alen, &al);
	bh = cs_der_hdr(b, blen, &bl);
	if (ah == 0 || bh == 0 || a[0] != TAG_SET || b[0] != TAG_SET)
		return false;
	a += ah;
	b += bh;
	while (i < al && j < bl) {
		xh = cs_der_hdr(a + i, al - i, &xl);
		yh = cs_der_hdr(b + j, bl - j, &yl);
		if (xh == 0 || yh == 0 ||
		    !ava_eq(a + i, xh + xl, b + j, yh + yl))
			return false;
		i += xh + xl;
		j += yh + yl;
	}
	return i == al && j == bl;
}

/* RFC 5280 4.2.1.10 and 7.1: name (a Name TLV) is within the subtree
 * base (a Name TLV) when base's RDNs are the first RDNs of name. */
static bool dn_subtree_has(const struct der_ref *base,
			   const struct der_ref *name)
{
	size_t bh, bl = 0, nh, nl = 0, i = 0, j = 0, xh, xl, yh, yl;

	bh = cs_der_hdr(base->p, base->len, &bl);
	nh = cs_der_hdr(name->p, name->len, &nl);
	if (bh == 0 || nh == 0 || base->p[0] != TAG_SEQUENCE ||
	    name->p[0] != TAG_SEQUENCE)
		return false;
	while (i < bl) {
		if (j >= nl)
			return false;
		xh = cs_der_hdr(base->p + bh + i, bl - i, &xl);
		yh = cs_der_hdr(name->p + nh + j, nl - j, &yl);
		if (xh == 0 || yh == 0 ||
		    !rdn_eq(base->p + bh + i, xh + xl, name->p + nh + j,
			    yh + yl))
			return false;
		i += xh + xl;
		j += yh + yl;
	}
	return true;
}

/* The directoryName subtrees of one list ([0] permitted or [1]
 * excluded) of der, a NameConstraints value; returns how many (at most
 * max), *more when some were left out. */
static size_t dn_subtrees(const unsigned char *der, size_t len,
			  unsigned char which, struct der_ref *out,
			  size_t max, bool *more)
{
	size_t h, vlen = 0, off, eh, elen, k, sh, slen, gh, glen, n = 0;

	h = cs_der_hdr(der, len, &vlen);
	if (h == 0 || der[0] != TAG_SEQUENCE)
		return 0;
	for (off = h; off < h + vlen; off += eh + elen) {
		eh = cs_der_hdr(der + off, h + vlen - off, &elen);
		if (eh == 0)
			break;
		if (der[off] != which)
			continue;
		for (k = off + eh; k < off + eh + elen; k += sh + slen) {
			sh = cs_der_hdr(der + k, off + eh + elen - k, &slen);
			if (sh == 0)
				break;
			gh = cs_der_hdr(der + k + sh, slen, &glen);
			if (gh == 0 || der[k + sh] != TAG_GN_DIRNAME)
				continue;
			if (n == max) {
				*more = true;
				return n;
			}
			out[n].p = der + k + sh + gh;
			out[n].len = glen;
			n++;
		}
	}
	return n;
}

/* The names a directoryName constraint applies to: the subject (when
 * not empty) and the SAN's directoryNames.  Returns how many. */
static size_t dn_names(gnutls_x509_crt_t crt, const gnutls_datum_t *subj,
		       gnutls_datum_t *san, struct der_ref *out, size_t max)
{
	size_t n = 0, h, vlen = 0, k, gh, glen;
	unsigned crit = 0;

	if (subj->size > 2) {
		out[n].p = subj->data;
		out[n].len = subj->size;
		n++;
	}
	san->data = NULL;
	san->size = 0;
	if (gnutls_x509_crt_get_extension_by_oid2(crt, OID_SAN, 0, san,
						  &crit) < 0)
		return n;
	h = cs_der_hdr(san->data, san->size, &vlen);
	if (h == 0 || san->data[0] != TAG_SEQUENCE)
		return n;
	for (k = h; k < h + vlen && n < max; k += gh + glen) {
		gh = cs_der_hdr(san->data + k, h + vlen - k, &glen);
		if (gh == 0)
			break;
		if (san->data[k] == TAG_GN_DIRNAME) {
			out[n].p = san->data + k + gh;
			out[n].len = glen;
			n++;
		}
	}
	return n;
}

/* see nc.h; read from the DER because the model does not keep every
 * directoryName constraint. */
const char *cs_nc_dn_violation(gnutls_x509_crt_t ca, gnutls_x509_crt_t cert,
			       const gnutls_datum_t *subject)
{
	struct der_ref perm[MAX_DN_SUBTREES], excl[MAX_DN_SUBTREES];
	struct der_ref names[MAX_SAN_DIRNAMES + 1];
	gnutls_datum_t nc = {NULL, 0}, san = {NULL, 0};
	size_t np, ne, nn, i, j;
	unsigned crit = 0;
	bool more = false;
	const char *why = NULL;

	if (gnutls_x509_crt_get_extension_by_oid2(ca, OID_NC, 0, &nc,
						  &crit) < 0)
		return NULL;
	np = dn_subtrees(nc.data, nc.size, TAG_NC_PERMITTED, perm,
			 MAX_DN_SUBTREES, &more);
	ne = dn_subtrees(nc.data, nc.size, TAG_NC_EXCLUDED, excl,
			 MAX_DN_SUBTREES, &more);
	if (np == 0 && ne == 0)
		goto out;
	nn = dn_names(cert, subject, &san, names, MAX_SAN_DIRNAMES + 1);
	if (more || nn > MAX_SAN_DIRNAMES) {
		why = "too many directoryName subtrees or names to check";
		goto out;
	}
	for (i = 0; i < nn && why == NULL; i++) {
		bool ok = np == 0;

		for (j = 0; j < ne; j++)
			if (dn_subtree_has(&excl[j], &names[i]))
				why = i == 0 && subject->size > 2
				      ? "its subject is in an excluded "
					"directoryName subtree"
				      : "a directoryName SAN is in an "
					"excluded directoryName subtree";
		for (j = 0; j < np && !ok; j++)
			ok = dn_subtree_has(&perm[j], &names[i]);
		if (why == NULL && !ok)
			why = i == 0 && subject->size > 2
			      ? "its subject is not within any permitted "
				"directoryName subtree"
			      : "a directoryName SAN is not within any "
				"permitted directoryName subtree";
	}
out:
	gnutls_free(san.data);
	gnutls_free(nc.data);
	return why;
}
