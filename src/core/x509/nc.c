/*
 * nc.c - name constraints (RFC 5280 4.2.1.10) read from the DER of the
 * extension, where the model does not keep enough: whether a
 * NameConstraints value is well formed (subtrees present, no minimum or
 * maximum, DNS, IP and e-mail bases of the right form), and whether the
 * subject and the SAN directoryNames of a certificate below are within
 * the directoryName subtrees (RFC 5280 6.1.3 (b), (c)): RDN by RDN,
 * directory strings without regard to ASCII case.
 *
 * It takes GnuTLS certificates and raw DNs and reads DER with
 * input/der.h.
 *
 * Does not: match DNS, IP, e-mail or URI constraints (names.c), or
 * choose which certificates are checked against which (path/rules.c).
 */
#include <stdio.h>
#include <string.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>

#include "input/der.h"
#include "oid.h"
#include "x509/names.h"
#include "x509/nc.h"

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
#define TAG_GN_X400  0xa3
#define TAG_GN_EDI   0xa5
#define TAG_GN_RID   0x88
#define IPV4_SUBTREE_LEN 8  /* address and mask */
#define IPV6_SUBTREE_LEN 32

/* A dNSName constraint: empty (every name), or host names in RFC 1034
 * 3.5 syntax.  RFC 5280 4.2.1.10 gives DNS constraints as
 * "host.example.com"; a leading period belongs to URI and rfc822Name
 * constraints only, and a wildcard has no meaning there (limbo
 * rfc5280::nc::invalid-dnsname-*). */
static bool nc_dns_ok(const unsigned char *v, size_t len)
{
	/* '_' tolerated as in matching (names_int.h), but no wildcard (see
	 * above); lengths are not checked here, and a root dot is let
	 * through (matching strips it). */
	return len == 0 ||
	       cs_names_dns_syntax((const char *)v, len,
				   CS_DNS_UNDERSCORE | CS_DNS_ROOT_DOT);
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
static const char *nc_subtree_bad(const struct cs_tlv *sub)
{
	struct cs_tlv base;
	size_t pos = 0;

	if (sub->tag != 0x30 || sub->len == 0)
		return "a subtree that is not a GeneralSubtree";
	if (!cs_der_child(sub->val, sub->len, &pos, &base))
		return "a subtree that is not a GeneralSubtree";
	if (pos != sub->len)
		return "a subtree with a minimum or maximum";
	switch (base.tag) {
	case TAG_GN_DNS:
		return nc_dns_ok(base.val, base.len) ? NULL
		       : "a DNS subtree that is not a host name (a leading "
			 "period or a wildcard)";
	case TAG_GN_IP:
		return nc_ip_ok(base.val, base.len) ? NULL
		       : "an IP subtree that is not an address and a CIDR "
			 "mask";
	case TAG_GN_EMAIL:
		if (base.len > 0 && memchr(base.val, '@', base.len) != NULL &&
		    memchr(base.val, '@', base.len) !=
		    memrchr(base.val, '@', base.len))
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
	struct cs_tlv seq, list, sub;
	size_t pos = 0, k;
	const char *bad = NULL;

	if (gnutls_x509_crt_get_extension_by_oid2(crt, OID_NC, 0, &d,
						  &crit) < 0)
		return NULL;
	if (cs_der_read(d.data, d.size, &seq) != CS_DER_OK ||
	    seq.tag != 0x30 || seq.len == 0)
		bad = "no subtrees";
	while (bad == NULL && pos < seq.len) {
		if (!cs_der_child(seq.val, seq.len, &pos, &list) ||
		    list.len == 0 ||
		    (list.tag != TAG_NC_PERMITTED &&
		     list.tag != TAG_NC_EXCLUDED)) {
			bad = "an empty or unknown list of subtrees";
			break;
		}
		for (k = 0; bad == NULL && k < list.len;) {
			if (!cs_der_child(list.val, list.len, &k, &sub)) {
				bad = "a subtree that is not a GeneralSubtree";
				break;
			}
			bad = nc_subtree_bad(&sub);
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

/* Values the reader does not take apart because their identifier has a
 * high tag number (X.690 8.1.2.4; an AttributeValue is an ANY, and GnuTLS
 * takes one): equal when encoded alike, to the end of the AVA. */
static bool high_tag_eq(const unsigned char *a, size_t alen,
			const unsigned char *b, size_t blen)
{
	return alen > 0 && (a[0] & 0x1f) == 0x1f && alen == blen &&
	       memcmp(a, b, alen) == 0;
}

/* Two AttributeTypeAndValue TLVs: the same type, and values equal. */
static bool ava_eq(const struct cs_tlv *a, const struct cs_tlv *b)
{
	struct cs_tlv at, bt, av, bv;
	size_t i = 0, j = 0;

	if (a->tag != TAG_SEQUENCE || b->tag != TAG_SEQUENCE ||
	    !cs_der_child(a->val, a->len, &i, &at) ||
	    !cs_der_child(b->val, b->len, &j, &bt) || i != j ||
	    memcmp(a->val, b->val, i) != 0)
		return false; /* another attribute type */
	/* i and j are where the values start */
	if (cs_der_read(a->val + i, a->len - i, &av) != CS_DER_OK ||
	    cs_der_read(b->val + j, b->len - j, &bv) != CS_DER_OK)
		return high_tag_eq(a->val + i, a->len - i, b->val + j,
				   b->len - j);
	if (av.len != bv.len)
		return false;
	if (!dir_string(av.tag) || !dir_string(bv.tag))
		return av.tag == bv.tag && memcmp(av.val, bv.val, av.len) == 0;
	for (size_t k = 0; k < av.len; k++) {
		unsigned char x = av.val[k], y = bv.val[k];

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
static bool rdn_eq(const struct cs_tlv *a, const struct cs_tlv *b)
{
	struct cs_tlv x, y;
	size_t i = 0, j = 0;

	if (a->tag != TAG_SET || b->tag != TAG_SET)
		return false;
	while (i < a->len && j < b->len) {
		if (!cs_der_child(a->val, a->len, &i, &x) ||
		    !cs_der_child(b->val, b->len, &j, &y) || !ava_eq(&x, &y))
			return false;
	}
	return i == a->len && j == b->len;
}

/* RFC 5280 4.2.1.10 and 7.1: name (a Name TLV) is within the subtree
 * base (a Name TLV) when base's RDNs are the first RDNs of name. */
static bool dn_subtree_has(const struct der_ref *base,
			   const struct der_ref *name)
{
	struct cs_tlv b, n, x, y;
	size_t i = 0, j = 0;

	if (cs_der_read(base->p, base->len, &b) != CS_DER_OK ||
	    cs_der_read(name->p, name->len, &n) != CS_DER_OK ||
	    b.tag != TAG_SEQUENCE || n.tag != TAG_SEQUENCE)
		return false;
	while (i < b.len) {
		if (j >= n.len)
			return false;
		if (!cs_der_child(b.val, b.len, &i, &x) ||
		    !cs_der_child(n.val, n.len, &j, &y) || !rdn_eq(&x, &y))
			return false;
	}
	return true;
}

/* The directoryName subtrees (their Name TLVs) of one list ([0]
 * permitted or [1] excluded) of der, a NameConstraints value, or with
 * foreign the bases of the forms GnuTLS does not import (their whole
 * GeneralName TLVs); returns how many (at most max), *more when some
 * were left out. */
static size_t nc_subtrees(const unsigned char *der, size_t len,
			  unsigned char which, bool foreign,
			  struct der_ref *out, size_t max, bool *more)
{
	struct cs_tlv seq, list, sub, base;
	size_t pos = 0, k, n = 0;

	if (cs_der_read(der, len, &seq) != CS_DER_OK ||
	    seq.tag != TAG_SEQUENCE)
		return 0;
	while (cs_der_child(seq.val, seq.len, &pos, &list)) {
		if (list.tag != which)
			continue;
		k = 0;
		while (cs_der_child(list.val, list.len, &k, &sub)) {
			if (cs_der_read(sub.val, sub.len, &base) != CS_DER_OK ||
			    (foreign ? cs_nc_gnutls_form(base.tag)
				     : base.tag != TAG_GN_DIRNAME))
				continue;
			if (n == max) {
				*more = true;
				return n;
			}
			out[n].p = foreign ? base.val - base.hdr : base.val;
			out[n].len = foreign ? base.hdr + base.len : base.len;
			n++;
		}
	}
	return n;
}

/* Both lists' subtrees (nc_subtrees) of ca's name constraints into
 * perm and excl (max each), the extension's value into *nc (the
 * references point into it; gnutls_free it); false without one. */
static bool ca_subtrees(gnutls_x509_crt_t ca, bool foreign,
			struct der_ref *perm, size_t *np,
			struct der_ref *excl, size_t *ne, size_t max,
			bool *more, gnutls_datum_t *nc)
{
	unsigned crit = 0;

	*np = *ne = 0;
	if (gnutls_x509_crt_get_extension_by_oid2(ca, OID_NC, 0, nc,
						  &crit) < 0)
		return false;
	*np = nc_subtrees(nc->data, nc->size, TAG_NC_PERMITTED, foreign,
			  perm, max, more);
	*ne = nc_subtrees(nc->data, nc->size, TAG_NC_EXCLUDED, foreign,
			  excl, max, more);
	return true;
}

/* The names a directoryName constraint applies to: the subject (when
 * not empty) and the SAN's directoryNames.  Returns how many. */
static size_t dn_names(gnutls_x509_crt_t crt, const gnutls_datum_t *subj,
		       gnutls_datum_t *san, struct der_ref *out, size_t max)
{
	struct cs_tlv seq, gn;
	size_t n = 0, pos = 0;
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
	if (cs_der_read(san->data, san->size, &seq) != CS_DER_OK ||
	    seq.tag != TAG_SEQUENCE)
		return n;
	while (n < max && cs_der_child(seq.val, seq.len, &pos, &gn)) {
		if (gn.tag == TAG_GN_DIRNAME) {
			out[n].p = gn.val;
			out[n].len = gn.len;
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
	bool more = false;
	const char *why = NULL;

	if (!ca_subtrees(ca, false, perm, &np, excl, &ne, MAX_DN_SUBTREES,
			 &more, &nc))
		return NULL;
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

/* ---- forms GnuTLS does not import (RFC 5280 4.2.1.10) -------------- */

/* GeneralName tags (RFC 5280 4.2.1.6) GnuTLS 3.7 does not take in name
 * constraints, besides anything that is no GeneralName at all. */
#define TAG_GN_OTHER   0xa0 /* [0] otherName: type-id, [0] value */
#define TAG_GN_URI     0x86
#define TAG_GN_OID     0x06
#define MAX_FOREIGN    64   /* such subtrees read per list */
#define MAX_FOREIGN_NAMES 64

/* see nc.h */
bool cs_nc_gnutls_form(unsigned tag)
{
	return tag == TAG_GN_EMAIL || tag == TAG_GN_DNS || tag == TAG_GN_URI ||
	       tag == TAG_GN_IP || tag == TAG_GN_DIRNAME;
}

/* see nc.h */
bool cs_nc_other_name(const unsigned char *gn, size_t len,
		      struct cs_tlv *type_id, struct cs_tlv *value)
{
	struct cs_tlv t;
	size_t pos = 0;

	return cs_der_read(gn, len, &t) == CS_DER_OK &&
	       t.tag == TAG_GN_OTHER &&
	       cs_der_child(t.val, t.len, &pos, type_id) &&
	       type_id->tag == TAG_GN_OID &&
	       (value == NULL || cs_der_child(t.val, t.len, &pos, value));
}

/* The type-id of an otherName GeneralName, or false. */
static bool other_type(const struct der_ref *g, struct cs_tlv *oid)
{
	return cs_nc_other_name(g->p, g->len, oid, NULL);
}

/* The same name form: the same tag and, for otherName, the same
 * type-id (an otherName form is its type; RFC 5280 4.2.1.10 leaves its
 * matching to whoever defines the type). */
static bool same_form(const struct der_ref *a, const struct der_ref *b)
{
	struct cs_tlv x, y;

	if (a->len == 0 || b->len == 0 || a->p[0] != b->p[0])
		return false;
	if (a->p[0] != TAG_GN_OTHER)
		return true;
	return other_type(a, &x) && other_type(b, &y) && x.len == y.len &&
	       memcmp(x.val, y.val, x.len) == 0;
}

static bool same_name(const struct der_ref *a, const struct der_ref *b)
{
	return a->len == b->len && memcmp(a->p, b->p, a->len) == 0;
}

/* "otherName of type 1.3.6.1.4.1.311.20.2.3", "registeredID 1.2.3",
 * "x400Address", ... for a sentence. */
static void form_text(const struct der_ref *g, char *out, size_t outsz)
{
	struct cs_tlv t, oid;
	char dotted[128];

	dotted[0] = '\0';
	if (cs_der_read(g->p, g->len, &t) != CS_DER_OK) {
		snprintf(out, outsz, "a name of an unknown form");
		return;
	}
	if (t.tag == TAG_GN_OTHER && other_type(g, &oid))
		t = oid;
	if ((t.tag == TAG_GN_OID || t.tag == TAG_GN_RID) &&
	    !cs_oid_dotted(t.val - t.hdr, t.hdr + t.len, dotted,
			   sizeof(dotted)))
		snprintf(dotted, sizeof(dotted), "?");
	switch (g->p[0]) {
	case TAG_GN_OTHER:
		snprintf(out, outsz, "otherName of type %s", dotted);
		break;
	case TAG_GN_RID:
		snprintf(out, outsz, "registeredID %s", dotted);
		break;
	case TAG_GN_X400:
		snprintf(out, outsz, "x400Address");
		break;
	case TAG_GN_EDI:
		snprintf(out, outsz, "ediPartyName");
		break;
	default:
		snprintf(out, outsz, "name with GeneralName tag 0x%02x",
			 g->p[0]);
	}
}

/* see nc.h */
bool cs_nc_foreign_violation(gnutls_x509_crt_t ca, gnutls_x509_crt_t cert,
			     char *why, size_t whysz)
{
	struct der_ref perm[MAX_FOREIGN], excl[MAX_FOREIGN], g;
	gnutls_datum_t nc = {NULL, 0}, san = {NULL, 0};
	struct cs_tlv seq, gn;
	size_t np, ne, j, pos = 0, seen = 0;
	unsigned crit = 0;
	bool more = false, bad = false;
	char form[192];

	if (why != NULL && whysz > 0)
		why[0] = '\0';
	if (!ca_subtrees(ca, true, perm, &np, excl, &ne, MAX_FOREIGN, &more,
			 &nc))
		return false;
	if ((np == 0 && ne == 0) ||
	    gnutls_x509_crt_get_extension_by_oid2(cert, OID_SAN, 0, &san,
						  &crit) < 0 ||
	    cs_der_read(san.data, san.size, &seq) != CS_DER_OK ||
	    seq.tag != TAG_SEQUENCE)
		goto out;
	/* RFC 5280 4.2.1.10: a constraint on a form applies to the names
	 * of that form present; these forms cannot appear in a subject. */
	while (!bad && cs_der_child(seq.val, seq.len, &pos, &gn)) {
		bool constrained = false, ok = false;

		if (cs_nc_gnutls_form(gn.tag))
			continue;
		g.p = gn.val - gn.hdr;
		g.len = gn.hdr + gn.len;
		form_text(&g, form, sizeof(form));
		if (more || ++seen > MAX_FOREIGN_NAMES) {
			bad = true;
			snprintf(why, whysz, "it has a %s and the CA has too "
				 "many constraints or it too many names of "
				 "such forms to compare", form);
			break;
		}
		/* Excluded: these forms have no subtree semantics certscope
		 * knows, so a name of an excluded form may be within the
		 * subtree unless told otherwise: rejected (4.2.1.10: process
		 * the constraint or reject). */
		for (j = 0; j < ne && !bad; j++) {
			if (!same_form(&excl[j], &g))
				continue;
			bad = true;
			snprintf(why, whysz, same_name(&excl[j], &g)
				 ? "its %s is in an excluded subtree"
				 : "the name constraints exclude a subtree "
				   "of its %s form, which certscope cannot "
				   "compare other names of", form);
		}
		/* Permitted: within a subtree only when it is that name
		 * exactly. */
		for (j = 0; j < np && !bad && !ok; j++) {
			if (!same_form(&perm[j], &g))
				continue;
			constrained = true;
			ok = same_name(&perm[j], &g);
		}
		if (!bad && constrained && !ok) {
			bad = true;
			snprintf(why, whysz, "its %s is not within any "
				 "permitted subtree of its form (certscope "
				 "compares such names exactly)", form);
		}
	}
out:
	gnutls_free(san.data);
	gnutls_free(nc.data);
	return bad;
}
