/*
 * asn1.c - the structural dump of any DER (see asn1.h): the walk with
 * input/der.h, primitive values, PEM unwrapping, and the PKIX labels from
 * libtasn1 and pkix.asn (compiled into pkix_asn1_tab.c).
 *
 * Does not: print (report/asn1.c does), or recurse deeper than the depth
 * limit: the walk is recursive, so its stack is bounded by max_depth.
 */
#include "x509/asn1.h"

#include <libtasn1.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "oid.h"
#include "input/der.h"
#include "input/load.h"
#include "input/pem.h"

extern const asn1_static_node cs_pkix_asn1_tab[];

/* The definitions tried, in this order, on each candidate element. */
static const char *const pkix_types[] = {
	"Certificate", "CertificateList", "OCSPResponse",
	"BasicOCSPResponse", "CertificationRequest", "ContentInfo",
	"SignedData",
};

/* walk()'s answer when it meets a private key: the dump is dropped */
#define WALK_KEY 2

struct walk {
	struct cs_asn1_dump *d;
	unsigned max_depth;
	uint64_t max_elements;
	const char *limit_what; /* "the limit", or the input's */
};

/* What the dumps of one input share: the options, libtasn1's definitions
 * (made at the first structure to label), the elements used so far. */
struct input {
	const struct cs_asn1_opts *opts;
	asn1_node defs;
	uint64_t used, max_total;
};

/* ------------------------------------------------------------------ */
/* Tags */

/* see asn1.h */
const char *cs_asn1_tag_class(unsigned tag)
{
	static const char *const cls[] = {"universal", "application",
					  "context", "private"};

	return cls[(tag >> 6) & 3];
}

/* see asn1.h */
const char *cs_asn1_tag_name(unsigned tag, char *buf, size_t bufsz)
{
	static const char *const universal[31] = {
		[1] = "BOOLEAN", [2] = "INTEGER", [3] = "BIT STRING",
		[4] = "OCTET STRING", [5] = "NULL",
		[6] = "OBJECT IDENTIFIER", [10] = "ENUMERATED",
		[12] = "UTF8String", [16] = "SEQUENCE", [17] = "SET",
		[18] = "NumericString", [19] = "PrintableString",
		[20] = "T61String", [22] = "IA5String", [23] = "UTCTime",
		[24] = "GeneralizedTime", [25] = "GraphicString",
		[26] = "VisibleString", [27] = "GeneralString",
		[28] = "UniversalString", [30] = "BMPString",
	};
	unsigned num = tag & 0x1f;

	switch (tag & 0xc0) {
	case 0x00:
		if (num < 31 && universal[num])
			snprintf(buf, bufsz, "%s", universal[num]);
		else
			snprintf(buf, bufsz, "[UNIVERSAL %u]", num);
		break;
	case 0x40:
		snprintf(buf, bufsz, "[APPLICATION %u]", num);
		break;
	case 0x80:
		snprintf(buf, bufsz, "[%u]", num);
		break;
	default:
		snprintf(buf, bufsz, "[PRIVATE %u]", num);
		break;
	}
	return buf;
}

/* ------------------------------------------------------------------ */
/* Values */

static int set_value(struct cs_asn1_node *n, enum cs_asn1_vkind k,
		     const char *v, size_t len)
{
	n->value = malloc(len + 1);
	if (!n->value)
		return -1;
	memcpy(n->value, v, len);
	n->value[len] = '\0';
	n->value_len = len;
	n->vkind = k;
	return 0;
}

static int set_hex(struct cs_asn1_node *n, const unsigned char *p,
		   size_t len)
{
	static const char hx[] = "0123456789abcdef";
	size_t show = len > CS_ASN1_HEX_MAX ? CS_ASN1_HEX_MAX : len;
	char buf[2 * CS_ASN1_HEX_MAX + 1];

	for (size_t i = 0; i < show; i++) {
		buf[2 * i] = hx[p[i] >> 4];
		buf[2 * i + 1] = hx[p[i] & 15];
	}
	n->value_cut = show < len;
	return set_value(n, CS_ASN1_V_HEX, buf, 2 * show);
}

/* UTF-8 of code point C into OUT (4 bytes); its length. */
static size_t utf8_put(unsigned long c, char *out)
{
	if (c < 0x80) {
		out[0] = (char)c;
		return 1;
	}
	if (c < 0x800) {
		out[0] = (char)(0xc0 | (c >> 6));
		out[1] = (char)(0x80 | (c & 0x3f));
		return 2;
	}
	if (c < 0x10000) {
		out[0] = (char)(0xe0 | (c >> 12));
		out[1] = (char)(0x80 | ((c >> 6) & 0x3f));
		out[2] = (char)(0x80 | (c & 0x3f));
		return 3;
	}
	out[0] = (char)(0xf0 | (c >> 18));
	out[1] = (char)(0x80 | ((c >> 12) & 0x3f));
	out[2] = (char)(0x80 | ((c >> 6) & 0x3f));
	out[3] = (char)(0x80 | (c & 0x3f));
	return 4;
}

/* BMPString (UCS-2) and UniversalString (UCS-4), big-endian, as UTF-8;
 * hex when the length is not whole characters or a character is not a
 * Unicode scalar value. */
static int set_wide(struct cs_asn1_node *n, const unsigned char *p,
		    size_t len, size_t width)
{
	char buf[CS_ASN1_TEXT_MAX * 4];
	size_t o = 0, i;

	if (len % width != 0)
		return set_hex(n, p, len);
	for (i = 0; i < len && o + 4 <= sizeof(buf) &&
		    i / width < CS_ASN1_TEXT_MAX; i += width) {
		unsigned long c = 0;

		for (size_t k = 0; k < width; k++)
			c = (c << 8) | p[i + k];
		if (c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
			return set_hex(n, p, len);
		o += utf8_put(c, buf + o);
	}
	n->value_cut = i < len;
	return set_value(n, CS_ASN1_V_TEXT, buf, o);
}

/* UTCTime YYMMDDHHMMSSZ (RFC 5280 4.1.2.5.1: YY < 50 is 20YY) and
 * GeneralizedTime YYYYMMDDHHMMSSZ as RFC 3339; anything else (other
 * forms BER allows) as its text. */
static int set_time(struct cs_asn1_node *n, const unsigned char *p,
		    size_t len, bool utc)
{
	size_t want = utc ? 13 : 15, y = utc ? 2 : 4;
	char buf[32];

	if (len != want || p[len - 1] != 'Z')
		goto text;
	for (size_t i = 0; i + 1 < len; i++)
		if (p[i] < '0' || p[i] > '9')
			goto text;
	if (utc)
		snprintf(buf, sizeof(buf), "%s%.2s", p[0] < '5' ? "20" : "19",
			 (const char *)p);
	else
		snprintf(buf, sizeof(buf), "%.4s", (const char *)p);
	snprintf(buf + 4, sizeof(buf) - 4, "-%.2s-%.2sT%.2s:%.2s:%.2sZ",
		 (const char *)p + y, (const char *)p + y + 2,
		 (const char *)p + y + 4, (const char *)p + y + 6,
		 (const char *)p + y + 8);
	return set_value(n, CS_ASN1_V_TIME, buf, strlen(buf));
text:
	n->value_cut = len > CS_ASN1_TEXT_MAX;
	return set_value(n, CS_ASN1_V_TEXT, (const char *)p,
			 n->value_cut ? CS_ASN1_TEXT_MAX : len);
}

static int set_oid(struct cs_asn1_node *n, const unsigned char *tlv,
		   size_t tlvlen)
{
	char dotted[256];

	if (!cs_oid_dotted(tlv, tlvlen, dotted, sizeof(dotted)))
		return set_hex(n, tlv + (tlvlen - n->len), n->len);
	n->oid_name = cs_oid_name(dotted);
	return set_value(n, CS_ASN1_V_OID, dotted, strlen(dotted));
}

static bool printable_ascii(const unsigned char *p, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (p[i] < 0x20 || p[i] > 0x7e)
			return false;
	return len > 0;
}

/* The value of primitive node N whose TLV is at TLV. */
static int primitive_value(struct cs_asn1_node *n, const unsigned char *tlv)
{
	const unsigned char *p = tlv + n->hdr;
	size_t len = n->len;

	if ((n->tag & 0xc0) != 0) {
		/* [1] rfc822Name, [2] dNSName, [6] URI, ... read as text */
		if (printable_ascii(p, len) && len <= CS_ASN1_TEXT_MAX)
			return set_value(n, CS_ASN1_V_TEXT, (const char *)p,
					 len);
		return set_hex(n, p, len);
	}
	switch (n->tag) {
	case 0x01: /* BOOLEAN */
		if (len != 1)
			return set_hex(n, p, len);
		return p[0] ? set_value(n, CS_ASN1_V_BOOL, "true", 4)
			    : set_value(n, CS_ASN1_V_BOOL, "false", 5);
	case 0x02: /* INTEGER */
	case 0x0a: /* ENUMERATED */
		if (len >= 1 && len <= 8) {
			/* two's complement, sign from the first octet */
			uint64_t u = p[0] & 0x80 ? UINT64_MAX : 0;
			char buf[24];

			for (size_t i = 0; i < len; i++)
				u = (u << 8) | p[i];
			snprintf(buf, sizeof(buf), "%lld", (long long)u);
			return set_value(n, CS_ASN1_V_NUMBER, buf,
					 strlen(buf));
		}
		return set_hex(n, p, len);
	case 0x03: /* BIT STRING: the unused-bits octet first */
		if (len == 0)
			return set_hex(n, p, len);
		n->unused_bits = p[0];
		return set_hex(n, p + 1, len - 1);
	case 0x05: /* NULL */
		return len ? set_hex(n, p, len) : 0;
	case 0x06:
		return set_oid(n, tlv, n->hdr + len);
	case 0x17:
	case 0x18:
		return set_time(n, p, len, n->tag == 0x17);
	case 0x1e: /* BMPString */
		return set_wide(n, p, len, 2);
	case 0x1c: /* UniversalString */
		return set_wide(n, p, len, 4);
	case 0x0c: case 0x12: case 0x13: case 0x14: case 0x16:
	case 0x19: case 0x1a: case 0x1b:
		n->value_cut = len > CS_ASN1_TEXT_MAX;
		return set_value(n, CS_ASN1_V_TEXT, (const char *)p,
				 n->value_cut ? CS_ASN1_TEXT_MAX : len);
	default:
		return set_hex(n, p, len);
	}
}

/* ------------------------------------------------------------------ */
/* Private keys: recognised by shape, never dumped */

/* Is the INTEGER T small and equal to 0 or 1 (a key's version)? */
static bool version_01(const struct cs_tlv *t)
{
	return t->tag == 0x02 && t->len == 1 && t->val[0] <= 1;
}

/*
 * Are the contents C of a SEQUENCE an unencrypted private key?
 *   PKCS#8 PrivateKeyInfo / OneAsymmetricKey (RFC 5208, 5958):
 *     INTEGER 0|1, AlgorithmIdentifier (SEQUENCE starting with an OID),
 *     OCTET STRING privateKey, ...
 *   SEC1 ECPrivateKey (RFC 5915): INTEGER 1, OCTET STRING, then only
 *     [0] parameters and [1] publicKey
 *   PKCS#1 RSAPrivateKey (RFC 8017) and OpenSSL's DSA key: INTEGER 0|1
 *     and five or more INTEGERs after it
 * EncryptedPrivateKeyInfo has no version and no secret in the clear: it
 * is dumped.
 */
static bool key_shape(const unsigned char *c, size_t clen)
{
	struct cs_tlv v, a, b, alg;
	size_t pos = 0, apos = 0, ints = 0;

	if (!cs_der_child(c, clen, &pos, &v) || !version_01(&v) ||
	    !cs_der_child(c, clen, &pos, &a))
		return false;
	if (a.tag == 0x30) /* PKCS#8 */
		return cs_der_child(a.val, a.len, &apos, &alg) &&
		       alg.tag == 0x06 && cs_der_child(c, clen, &pos, &b) &&
		       b.tag == 0x04;
	if (a.tag == 0x04) { /* SEC1 */
		if (v.val[0] != 1)
			return false;
		while (cs_der_child(c, clen, &pos, &b))
			if (b.tag != 0xa0 && b.tag != 0xa1)
				return false;
		return pos == clen;
	}
	if (a.tag != 0x02)
		return false;
	for (ints = 1; cs_der_child(c, clen, &pos, &b) && b.tag == 0x02;)
		ints++;
	return ints >= 5;
}

/* ------------------------------------------------------------------ */
/* The walk */

static void node_free(struct cs_asn1_node *n)
{
	free(n->label);
	free(n->value);
}

/* Drop the nodes from index KEEP on. */
static void truncate_nodes(struct cs_asn1_dump *d, size_t keep)
{
	while (d->n > keep)
		node_free(&d->nodes[--d->n]);
}

static int fault(struct walk *w, size_t at, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int fault(struct walk *w, size_t at, const char *fmt, ...)
{
	va_list ap;

	w->d->fault = true;
	w->d->fault_offset = at;
	va_start(ap, fmt);
	vsnprintf(w->d->reason, sizeof(w->d->reason), fmt, ap);
	va_end(ap);
	return 1;
}

/* Why cs_der_read refused the header at P (AVAIL bytes) at offset AT. */
static int header_fault(struct walk *w, const unsigned char *p, size_t avail,
			size_t at, int st, const struct cs_tlv *t)
{
	if (st == CS_DER_INDEFINITE)
		return fault(w, at, "indefinite length (BER, which DER "
			     "forbids: X.690 10.1)");
	if (st == CS_DER_TRUNCATED) {
		if (t->total == UINT64_MAX)
			return fault(w, at, "length overflow: the length "
				     "octets say more than 2^64 bytes");
		return fault(w, at, "truncated: length says %llu bytes, %zu "
			     "present", (unsigned long long)(t->total - t->hdr),
			     avail - t->hdr);
	}
	if ((p[0] & 0x1f) == 0x1f)
		return fault(w, at, "tag number above 30 (high-tag-number "
			     "form), which no PKIX structure uses");
	if (avail < 2)
		return fault(w, at, "truncated: no length octet after the "
			     "tag");
	if (p[1] == 0xff)
		return fault(w, at, "length octet 0xff is reserved (X.690 "
			     "8.1.3.5)");
	if ((p[1] & 0x7f) > CS_DER_MAX_LEN_OCTETS)
		return fault(w, at, "length overflow: %u length octets, more "
			     "than %d", p[1] & 0x7fu, CS_DER_MAX_LEN_OCTETS);
	return fault(w, at, "truncated: the length octets run past the end");
}

static int walk(struct walk *w, const unsigned char *p, size_t n,
		size_t base, unsigned depth, size_t parent);

static void prefix_reason(struct cs_asn1_dump *d, const char *prefix)
{
	size_t pl = strlen(prefix), rl = strlen(d->reason);

	if (pl + rl + 1 > sizeof(d->reason))
		rl = sizeof(d->reason) - pl - 1;
	memmove(d->reason + pl, d->reason, rl);
	memcpy(d->reason, prefix, pl);
	d->reason[pl + rl] = '\0';
}

/* Primitive OCTET STRING or BIT STRING at index I: are its contents DER
 * (complete elements to the last byte, starting with a tag an
 * encapsulated value starts with)?  Then they are its children.
 * Returns 0, -1 out of memory, WALK_KEY when they hold a private key. */
static int try_encapsulated(struct walk *w, size_t i, const unsigned char *c,
			    size_t clen, size_t base, unsigned depth)
{
	struct cs_asn1_dump *d = w->d;
	unsigned tag = d->nodes[i].tag;
	int rc;

	if (tag == 0x03) { /* the unused-bits octet must be 0 */
		if (clen < 3 || c[0] != 0)
			return 0;
		c++;
		clen--;
		base++;
	}
	if (clen < 2 || depth + 1 >= w->max_depth)
		return 0;
	if (!(c[0] == 0x30 || c[0] == 0x31 ||
	      (tag == 0x04 && (c[0] == 0x02 || c[0] == 0x03 || c[0] == 0x04 ||
			       c[0] == 0x06 || c[0] == 0x0c || c[0] == 0x16))))
		return 0;
	rc = walk(w, c, clen, base, depth + 1, i);
	if (rc < 0 || rc == WALK_KEY)
		return rc;
	if (rc > 0) {
		/* not DER after all: the bytes stay a value */
		truncate_nodes(d, i + 1);
		d->fault = false;
		d->fault_offset = 0;
		d->reason[0] = '\0';
		return 0;
	}
	free(d->nodes[i].value);
	d->nodes[i].value = NULL;
	d->nodes[i].value_len = 0;
	d->nodes[i].value_cut = false;
	d->nodes[i].vkind = CS_ASN1_V_NONE;
	d->nodes[i].encapsulates = true;
	return 0;
}

/* The elements of P[0..n), at offset BASE, at DEPTH under PARENT.
 * Returns 0, 1 at a fault (recorded), -1 out of memory, WALK_KEY at a
 * SEQUENCE shaped as a private key (nothing recorded of it). */
static int walk(struct walk *w, const unsigned char *p, size_t n,
		size_t base, unsigned depth, size_t parent)
{
	struct cs_asn1_dump *d = w->d;
	size_t pos = 0;

	while (pos < n) {
		struct cs_asn1_node *nd;
		struct cs_tlv t;
		size_t at = base + pos, i;
		int st = cs_der_read(p + pos, n - pos, &t), rc;

		if (st != CS_DER_OK) {
			rc = header_fault(w, p + pos, n - pos, at, st, &t);
			if (depth == 0 && pos > 0)
				prefix_reason(w->d, "after the last complete "
					      "element: ");
			return rc;
		}
		if (t.tag == 0x00) {
			rc = fault(w, at, "end-of-contents octets (BER "
				   "indefinite form, or padding), not DER");
			if (depth == 0 && pos > 0)
				prefix_reason(w->d, "after the last complete "
					      "element: ");
			return rc;
		}
		if (t.tag == 0x30 && key_shape(t.val, t.len))
			return WALK_KEY;
		if (depth >= w->max_depth)
			return fault(w, at, "nested deeper than %u levels (the "
				     "limit)", w->max_depth);
		if (d->n >= w->max_elements)
			return fault(w, at, "more than %llu elements (%s)",
				     (unsigned long long)w->max_elements,
				     w->limit_what);
		if (d->n == d->cap) {
			size_t ncap = d->cap ? d->cap * 2 : 64;
			struct cs_asn1_node *nn =
				realloc(d->nodes, ncap * sizeof(*nn));

			if (!nn)
				return -1;
			d->nodes = nn;
			d->cap = ncap;
		}
		i = d->n++;
		nd = &d->nodes[i];
		memset(nd, 0, sizeof(*nd));
		nd->offset = at;
		nd->hdr = t.hdr;
		nd->len = t.len;
		nd->tag = t.tag;
		nd->depth = depth;
		nd->parent = parent;
		if (t.tag & 0x20) {
			rc = walk(w, t.val, t.len, at + t.hdr, depth + 1, i);
			if (rc != 0)
				return rc;
		} else {
			if (primitive_value(nd, p + pos) < 0)
				return -1;
			if ((t.tag == 0x04 || t.tag == 0x03) &&
			    (rc = try_encapsulated(w, i, t.val, t.len,
						   at + t.hdr, depth)) != 0)
				return rc;
		}
		pos += t.hdr + t.len;
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* PKIX labels */

/* The node of the subtree [first, end) at OFFSET spanning TOTAL bytes
 * (offsets rise in pre-order), or SIZE_MAX. */
static size_t find_node(const struct cs_asn1_dump *d, size_t first,
			size_t end, size_t offset, size_t total)
{
	size_t lo = first, hi = end;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (d->nodes[mid].offset < offset)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < end && d->nodes[lo].offset == offset &&
	    d->nodes[lo].hdr + d->nodes[lo].len == total)
		return lo;
	return SIZE_MAX;
}

static int set_label(struct cs_asn1_node *n, const char *name, size_t len)
{
	if (n->label)
		return 0; /* the outer name: a CHOICE before its alternative */
	n->label = malloc(len + 1);
	if (!n->label)
		return -1;
	memcpy(n->label, name, len);
	n->label[len] = '\0';
	return 0;
}

/*
 * Name the nodes of subtree [first, end) after the decoded element EL.
 * libtasn1 has no public way to walk a decoded structure, but
 * asn1_print_structure() prints every node's name, two spaces of indent
 * a level ("name:tbsCertificate"), the form it has had since libtasn1 1;
 * asn1_der_decoding_startEnd() then says where each named element lies.
 * Nodes named NULL are the templates of SEQUENCE OF and SET OF (their
 * elements are ?1, ?2, ...): skipped with what they hold.
 */
static int label_from(struct cs_asn1_dump *d, asn1_node el,
		      const unsigned char *der, size_t first, size_t end)
{
	char *text = NULL, *line, *save = NULL;
	size_t textlen = 0, pathlen[CS_MAX_DER_DEPTH * 2 + 2];
	char path[1024];
	int skip_below = -1, rc = 0;
	FILE *f = open_memstream(&text, &textlen);
	size_t base = d->nodes[first].offset;
	int total = (int)(d->nodes[first].hdr + d->nodes[first].len);

	if (!f)
		return -1;
	asn1_print_structure(f, el, "", ASN1_PRINT_NAME);
	if (fclose(f) != 0 || !text) {
		free(text);
		return -1;
	}
	pathlen[0] = 0;
	path[0] = '\0';
	for (line = strtok_r(text, "\n", &save); line && rc == 0;
	     line = strtok_r(NULL, "\n", &save)) {
		size_t sp = strspn(line, " "), nl;
		int level = (int)(sp / 2), start, stop;
		char *name = line + sp;
		size_t at;

		if (strncmp(name, "name:", 5) != 0)
			continue;
		name += 5;
		nl = strcspn(name, " ");
		if (skip_below >= 0 && level > skip_below)
			continue;
		skip_below = -1;
		if (level == 0)
			continue; /* the element itself: its type names it */
		if (level > CS_MAX_DER_DEPTH * 2 ||
		    (nl == 4 && !strncmp(name, "NULL", 4))) {
			skip_below = level;
			continue;
		}
		/* path of level L = path of level L-1 + "." + name */
		if (pathlen[level - 1] + nl + 2 > sizeof(path)) {
			skip_below = level;
			continue;
		}
		pathlen[level] = pathlen[level - 1];
		if (level > 1)
			path[pathlen[level]++] = '.';
		memcpy(path + pathlen[level], name, nl);
		pathlen[level] += nl;
		path[pathlen[level]] = '\0';
		if (name[0] == '?')
			continue; /* an element of SEQUENCE OF: unnamed */
		if (asn1_der_decoding_startEnd(el, der, total, path, &start,
					       &stop) != ASN1_SUCCESS ||
		    start < 0 || stop < start)
			continue;
		at = find_node(d, first, end, base + (size_t)start,
			       (size_t)(stop - start) + 1);
		if (at != SIZE_MAX)
			rc = set_label(&d->nodes[at], name, nl);
	}
	free(text);
	return rc;
}

/* End of the subtree of node I (the index after its last descendant). */
static size_t subtree_end(const struct cs_asn1_dump *d, size_t i)
{
	size_t j = i + 1;

	while (j < d->n && d->nodes[j].depth > d->nodes[i].depth)
		j++;
	return j;
}

/* Did the match name every field of node I (subtree [i, end))?  Each
 * definition tried is a SEQUENCE of named fields. */
static bool fields_named(const struct cs_asn1_dump *d, size_t i, size_t end)
{
	size_t kids = 0;

	for (size_t j = i + 1; j < end; j++) {
		if (d->nodes[j].parent != i)
			continue;
		if (!d->nodes[j].label)
			return false;
		kids++;
	}
	return kids > 0;
}

/* Try every definition on node I (its DER at DER, the dump's input). */
static int label_node(struct cs_asn1_dump *d, asn1_node defs,
		      const unsigned char *der, size_t i)
{
	const struct cs_asn1_node *nd = &d->nodes[i];
	const unsigned char *tlv = der + nd->offset;
	size_t total = nd->hdr + nd->len;
	char name[64], e[ASN1_MAX_ERROR_DESCRIPTION_SIZE];

	if (nd->tag != 0x30 || total > INT32_MAX)
		return 0;
	for (size_t k = 0; k < sizeof(pkix_types) / sizeof(*pkix_types);
	     k++) {
		asn1_node el = NULL;
		int len = (int)total, rc;

		snprintf(name, sizeof(name), "CSPKIX.%s", pkix_types[k]);
		if (asn1_create_element(defs, name, &el) != ASN1_SUCCESS)
			return -1;
		rc = asn1_der_decoding2(&el, tlv, &len,
					ASN1_DECODE_FLAG_STRICT_DER, e);
		if (rc == ASN1_SUCCESS && (size_t)len == total) {
			size_t end = subtree_end(d, i);

			rc = set_label(&d->nodes[i], pkix_types[k],
				       strlen(pkix_types[k]));
			if (rc == 0)
				rc = label_from(d, el, tlv, i, end);
			asn1_delete_structure(&el);
			if (rc < 0 || fields_named(d, i, end))
				return rc;
			/* libtasn1 took it, but not field by field (an empty
			 * SEQUENCE passes): no match */
			for (size_t j = i; j < end; j++) {
				free(d->nodes[j].label);
				d->nodes[j].label = NULL;
			}
			continue;
		}
		asn1_delete_structure(&el);
	}
	return 0;
}

/* Is node I where a structure may start: at the top, inside an
 * encapsulating string, or the value of a ContentInfo's content? */
static bool label_candidate(const struct cs_asn1_dump *d, size_t i)
{
	const struct cs_asn1_node *nd = &d->nodes[i], *up;

	if (nd->label)
		return false;
	if (nd->parent == SIZE_MAX)
		return true;
	up = &d->nodes[nd->parent];
	/* and the elements of SignedData's certificate and CRL sets and
	 * of BasicOCSPResponse's certs, [0] EXPLICIT SEQUENCE OF (libtasn1
	 * names them ?1, ?2, ...) */
	if (!up->label && up->parent != SIZE_MAX && up->tag == 0x30) {
		const struct cs_asn1_node *top = &d->nodes[up->parent];

		return top->label && !strcmp(top->label, "certs");
	}
	return up->encapsulates ||
	       (up->label && (!strcmp(up->label, "content") ||
			      !strcmp(up->label, "certificates") ||
			      !strcmp(up->label, "crls")));
}

static int label_all(struct input *in, struct cs_asn1_dump *d,
		     const unsigned char *der, struct cs_error *err)
{
	char e[ASN1_MAX_ERROR_DESCRIPTION_SIZE];
	int rc = 0;

	if (!in->defs &&
	    asn1_array2tree(cs_pkix_asn1_tab, &in->defs, e) != ASN1_SUCCESS)
		return cs_error_setx(err, CS_E_INTERNAL, "libtasn1 refused "
				     "the PKIX definitions: %s", e);
	for (size_t i = 0; i < d->n && rc == 0; i++)
		if (label_candidate(d, i))
			rc = label_node(d, in->defs, der, i);
	if (rc < 0)
		return cs_error_setx(err, CS_E_NOMEM, "out of memory naming "
				     "the PKIX fields");
	return 0;
}

/* ------------------------------------------------------------------ */
/* Entry points */

static void input_init(struct input *in, const struct cs_asn1_opts *opts)
{
	static const struct cs_asn1_opts none;

	in->opts = opts ? opts : &none;
	in->defs = NULL;
	in->used = 0;
	in->max_total = in->opts->max_input_elements
				? in->opts->max_input_elements
				: CS_ASN1_MAX_INPUT_ELEMENTS;
}

static void input_done(struct input *in)
{
	if (in->defs)
		asn1_delete_structure(&in->defs);
}

/* One structure of the input into *d (see cs_asn1_parse). */
static int parse_one(struct input *in, struct cs_asn1_dump *d,
		     const unsigned char *der, size_t len,
		     struct cs_error *err)
{
	const struct cs_asn1_opts *o = in->opts;
	struct walk w;
	int rc;

	memset(d, 0, sizeof(*d));
	w.d = d;
	w.max_depth = o->max_depth ? o->max_depth : CS_MAX_DER_DEPTH;
	w.max_elements = o->max_elements ? o->max_elements
					 : CS_MAX_CERT_ELEMENTS;
	w.limit_what = "the limit";
	if (in->max_total - in->used < w.max_elements) {
		w.max_elements = in->max_total - in->used;
		w.limit_what = "left of the input's limit";
	}
	d->der_len = len;
	if (len == 0) {
		(void)fault(&w, 0, "empty: no DER element");
		return 0;
	}
	rc = walk(&w, der, len, 0, 0, SIZE_MAX);
	if (rc == WALK_KEY) {
		/* a private key, here or inside: none of it is kept */
		truncate_nodes(d, 0);
		d->fault = false;
		d->fault_offset = 0;
		d->reason[0] = '\0';
		d->skipped = true;
		return 0;
	}
	in->used += d->n;
	if (rc < 0)
		return cs_error_setx(err, CS_E_NOMEM, "out of memory after %zu "
				     "elements", d->n);
	/* Only what decoded completely is matched against PKIX: a fault
	 * inside would fail it anyway, after libtasn1 had done the work. */
	if (!d->fault && !o->no_labels)
		return label_all(in, d, der, err);
	return 0;
}

/* see asn1.h */
int cs_asn1_parse(struct cs_asn1_dump *d, const unsigned char *der,
		  size_t len, const struct cs_asn1_opts *opts,
		  struct cs_error *err)
{
	struct input in;
	int rc;

	input_init(&in, opts);
	rc = parse_one(&in, d, der, len, err);
	input_done(&in);
	return rc;
}

/* see asn1.h */
void cs_asn1_dump_free(struct cs_asn1_dump *d)
{
	if (!d)
		return;
	truncate_nodes(d, 0);
	free(d->nodes);
	d->nodes = NULL;
	d->cap = 0;
}

/* see asn1.h */
void cs_asn1_list_free(struct cs_asn1_list *l)
{
	if (!l)
		return;
	for (size_t i = 0; i < l->n; i++)
		cs_asn1_dump_free(&l->v[i]);
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

static struct cs_asn1_dump *list_add(struct cs_asn1_list *l)
{
	struct cs_asn1_dump *nv = realloc(l->v, (l->n + 1) * sizeof(*nv));

	if (!nv)
		return NULL;
	l->v = nv;
	memset(&nv[l->n], 0, sizeof(*nv));
	return &nv[l->n++];
}

/* A PEM input: one dump per block. */
static int read_pem(struct input *in, struct cs_asn1_list *out,
		    const unsigned char *data, size_t len,
		    struct cs_error *err)
{
	static const char *const status[] = {
		[CS_PEM_BAD_BEGIN] = "malformed BEGIN line",
		[CS_PEM_NO_END] = "no END line",
		[CS_PEM_BAD_END] = "malformed or mismatched END line",
	};
	struct cs_pem_scan s;
	struct cs_pem_block b;

	cs_pem_scan_init(&s, data, len, 0);
	while (cs_pem_next(&s, &b)) {
		struct cs_asn1_dump tmp, *d;
		unsigned char *der;
		size_t der_len, bad_at, ll;

		memset(&tmp, 0, sizeof(tmp));
		tmp.pem = true;
		tmp.pem_line = b.line;
		ll = b.status == CS_PEM_BAD_BEGIN ? 0 : b.label_len;
		memcpy(tmp.pem_label, data + b.label, ll);
		if (in->used >= in->max_total) {
			/* the rest is not read: say so once, and stop */
			tmp.fault = true;
			snprintf(tmp.reason, sizeof(tmp.reason),
				 "not dumped: the input's limit of %llu "
				 "elements is used up",
				 (unsigned long long)in->max_total);
			d = list_add(out);
			if (!d)
				return cs_error_setx(err, CS_E_NOMEM,
						     "out of memory");
			*d = tmp;
			return 0;
		}
		if (b.status != CS_PEM_OK) {
			tmp.fault = true;
			snprintf(tmp.reason, sizeof(tmp.reason),
				 "PEM block at line %zu: %s", b.line,
				 status[b.status]);
		} else if (strstr(tmp.pem_label, "PRIVATE KEY")) {
			tmp.skipped = true;
		} else {
			der = malloc(cs_pem_decoded_max(b.body_len) + 1);
			if (!der)
				return cs_error_setx(err, CS_E_NOMEM,
						     "out of memory");
			if (cs_pem_base64_decode(data + b.body, b.body_len,
						 der, &der_len,
						 &bad_at) < 0) {
				tmp.fault = true;
				snprintf(tmp.reason, sizeof(tmp.reason),
					 "bad base64 at line %zu",
					 cs_pem_line_at(&s, b.body + bad_at));
			} else if (parse_one(in, &tmp, der, der_len,
					     err) < 0) {
				cs_asn1_dump_free(&tmp);
				free(der);
				return -1;
			}
			/* parse_one starts afresh: the block again */
			tmp.pem = true;
			tmp.pem_line = b.line;
			memcpy(tmp.pem_label, data + b.label, ll);
			free(der);
		}
		d = list_add(out);
		if (!d) {
			cs_asn1_dump_free(&tmp);
			return cs_error_setx(err, CS_E_NOMEM, "out of memory");
		}
		*d = tmp;
	}
	return 0;
}

/* see asn1.h */
int cs_asn1_read(struct cs_asn1_list *out, const unsigned char *data,
		 size_t len, const struct cs_asn1_opts *opts,
		 struct cs_error *err)
{
	static const unsigned char bom[] = {0xef, 0xbb, 0xbf};
	struct cs_asn1_dump *d;
	struct cs_tlv t;
	size_t start = 0;

	memset(out, 0, sizeof(*out));
	if (len >= 3 && memcmp(data, bom, 3) == 0)
		start = 3;
	/* Content decides: DER that happens to hold "-----BEGIN " (in a
	 * name, say) starts with a complete element whose identifier is
	 * not a text character (a SEQUENCE or SET's '0' and '1' aside);
	 * PEM text does not. */
	struct input in;
	int rc = 0;

	input_init(&in, opts);
	if (len > start && cs_pem_has_begin(data + start, len - start) &&
	    !(cs_der_read(data, len, &t) == CS_DER_OK &&
	      (t.tag == 0x30 || t.tag == 0x31 || data[0] >= 0x80 ||
	       data[0] < 0x09)))
		rc = read_pem(&in, out, data + start, len - start, err);
	if (rc == 0 && out->n == 0) {
		d = list_add(out);
		rc = d ? parse_one(&in, d, data, len, err)
		       : cs_error_setx(err, CS_E_NOMEM, "out of memory");
	}
	input_done(&in);
	if (rc < 0)
		cs_asn1_list_free(out);
	return rc;
}
