/*
 * altnames.c - GeneralNames into struct cs_name lists: the
 * subjectAltName (RFC 5280 4.2.1.6) and the permitted and excluded
 * subtrees of nameConstraints (4.2.1.10), IP addresses as text (with the
 * prefix length of a constraint's mask).
 *
 * Does not: match names against anything (names.c does), or read other
 * extensions (ext.c does).
 */
#include "x509/model_int.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gnutls/gnutls.h>
#include <gnutls/x509-ext.h>

#include "input/der.h"
#include "oid.h"
#include "x509/nc.h"

/* Text for an IP address or an address/mask pair (name constraints). */
static void ip_text(char *out, size_t outsz, const unsigned char *p,
		    size_t len)
{
	size_t alen = len == 8 || len == 32 ? len / 2 : len;
	int af = alen == 4 ? AF_INET : AF_INET6;
	unsigned prefix = 0;
	bool contiguous = true;

	if ((alen != 4 && alen != 16) ||
	    inet_ntop(af, p, out, (socklen_t)outsz) == NULL) {
		cs_hex_colon(out, outsz, p, len);
		return;
	}
	if (alen == len)
		return;
	/* RFC 5280 4.2.1.10: address then mask; show the prefix length. */
	for (size_t i = alen; i < len; i++) {
		for (int bit = 7; bit >= 0; bit--) {
			if (p[i] >> bit & 1) {
				if (!contiguous)
					goto noncontig;
				prefix++;
			} else {
				contiguous = false;
			}
		}
	}
	snprintf(out + strlen(out), outsz - strlen(out), "/%u", prefix);
	return;
noncontig: {
	char mask[64];

	if (inet_ntop(af, p + alen, mask, sizeof(mask)) != NULL)
		snprintf(out + strlen(out), outsz - strlen(out), "/%s",
			 mask);
}
}

/* Build a cs_name from a GnuTLS general name of type gtype.  An IP in a
 * name constraint is address plus mask (RFC 5280 4.2.1.10); in a SAN it
 * is the address alone (4.2.1.6), so other lengths there are shown as
 * hex rather than guessed at. */
static int make_name(struct cs_name *nm, unsigned gtype,
		     const unsigned char *p, size_t len, bool constraint)
{
	char buf[128];

	memset(nm, 0, sizeof(*nm));
	switch (gtype) {
	case GNUTLS_SAN_DNSNAME: nm->type = CS_SAN_DNS; break;
	case GNUTLS_SAN_RFC822NAME: nm->type = CS_SAN_EMAIL; break;
	case GNUTLS_SAN_URI: nm->type = CS_SAN_URI; break;
	case GNUTLS_SAN_DN: nm->type = CS_SAN_DN; break;
	case GNUTLS_SAN_IPADDRESS:
		nm->type = CS_SAN_IP;
		nm->raw_len = len < sizeof(nm->raw) ? len : sizeof(nm->raw);
		memcpy(nm->raw, p, nm->raw_len);
		if (constraint ? len == 8 || len == 32 : len == 4 || len == 16)
			ip_text(buf, sizeof(buf), p, len);
		else
			cs_hex_colon(buf, sizeof(buf), p, len);
		nm->value = model_memdup(buf, strlen(buf));
		nm->len = strlen(buf);
		return nm->value == NULL ? -1 : 0;
	default: nm->type = CS_SAN_OTHER; break;
	}
	nm->value = model_memdup(p, len);
	nm->len = len;
	return nm->value == NULL ? -1 : 0;
}

/* see model_int.h */
int model_read_sans(struct cs_cert_model *m, gnutls_x509_crt_t crt)
{
	for (unsigned i = 0; i < CS_MODEL_MAX_LIST; i++) {
		unsigned char *buf = NULL;
		struct cs_name nm;
		unsigned type = 0;
		size_t size = 0;
		int ret;

		ret = gnutls_x509_crt_get_subject_alt_name2(crt, i, NULL,
							    &size, &type,
							    NULL);
		if (ret == GNUTLS_E_REQUESTED_DATA_NOT_AVAILABLE)
			break;
		if (ret != GNUTLS_E_SHORT_MEMORY_BUFFER)
			continue; /* this entry is unreadable; try the next */
		buf = malloc(size + 1);
		if (buf == NULL)
			return -1;
		ret = gnutls_x509_crt_get_subject_alt_name2(crt, i, buf,
							    &size, &type,
							    NULL);
		if (ret >= 0 && type == GNUTLS_SAN_OTHERNAME) {
			/* otherName (RFC 5280 4.2.1.6): "OID:hex" */
			char oid[128], *txt;
			size_t osz = sizeof(oid);

			if (gnutls_x509_crt_get_subject_alt_othername_oid(
				    crt, i, oid, &osz) < 0)
				snprintf(oid, sizeof(oid), "?");
			txt = malloc(strlen(oid) + 2 + size * 3 + 1);
			if (txt == NULL) {
				free(buf);
				return -1;
			}
			snprintf(txt, strlen(oid) + 2, "%s:", oid);
			cs_hex_colon(txt + strlen(txt), size * 3 + 1, buf,
				     size);
			memset(&nm, 0, sizeof(nm));
			nm.type = CS_SAN_OTHER;
			nm.value = txt;
			nm.len = strlen(txt);
			free(buf);
			if (model_namelist_take(&m->sans, &nm) < 0)
				return -1;
			continue;
		}
		if (ret >= 0) {
			ret = make_name(&nm, type, buf, size, false);
			if (ret == 0)
				ret = model_namelist_take(&m->sans, &nm);
			free(buf);
			if (ret < 0)
				return -1;
			continue;
		}
		free(buf);
	}
	return 0;
}

static int nc_list(struct cs_namelist *dst, gnutls_x509_name_constraints_t nc,
		   bool permitted)
{
	for (unsigned i = 0; i < CS_MODEL_MAX_LIST; i++) {
		gnutls_datum_t name = {NULL, 0}; /* borrowed from nc */
		struct cs_name nm;
		unsigned type = 0;
		int ret;

		ret = permitted ? gnutls_x509_name_constraints_get_permitted(
					  nc, i, &type, &name)
				: gnutls_x509_name_constraints_get_excluded(
					  nc, i, &type, &name);
		if (ret < 0)
			break;
		if (type == GNUTLS_SAN_DN && name.size > 0 &&
		    name.data[0] == 0x30) {
			/* GnuTLS 3.7 hands directoryName subtrees over as
			 * RFC 4514 text; should one come as DER, convert. */
			gnutls_datum_t str = {NULL, 0};

			memset(&nm, 0, sizeof(nm));
			nm.type = CS_SAN_DN;
			if (gnutls_x509_rdn_get2(&name, &str, 0) < 0) {
				nm.value = model_memdup("(undecodable name)",
							18);
				nm.len = 18;
			} else {
				nm.value = model_memdup(str.data, str.size);
				nm.len = str.size;
				gnutls_free(str.data);
			}
			if (nm.value == NULL)
				return -1;
		} else if (make_name(&nm, type, name.data, name.size,
				     true) < 0) {
			return -1;
		}
		if (model_namelist_take(dst, &nm) < 0)
			return -1;
	}
	return 0;
}

/*
 * Find an iPAddress constraint whose length is not 8 or 32 bytes (RFC
 * 5280 4.2.1.10: address and mask).  GnuTLS 3.7.9 leaks memory inside
 * gnutls_x509_ext_import_name_constraints on such input, so we look
 * first and do not hand it over.  Returns true and the length if found;
 * anything we cannot walk is left to GnuTLS to judge.
 */
static bool nc_bad_ip(const unsigned char *p, size_t n, size_t *bad_len)
{
	struct cs_tlv seq, trees, sub, base;
	size_t pos = 0, tpos, bpos;

	if (cs_der_read(p, n, &seq) != CS_DER_OK || seq.tag != 0x30)
		return false;
	/* NameConstraints ::= SEQUENCE { [0] permitted, [1] excluded },
	 * each a SEQUENCE OF GeneralSubtree { base GeneralName, ... } */
	while (cs_der_child(seq.val, seq.len, &pos, &trees)) {
		if (trees.tag != 0xa0 && trees.tag != 0xa1)
			continue;
		tpos = 0;
		while (cs_der_child(trees.val, trees.len, &tpos, &sub)) {
			/* [7] IMPLICIT OCTET STRING iPAddress */
			bpos = 0;
			if (sub.tag == 0x30 &&
			    cs_der_child(sub.val, sub.len, &bpos, &base) &&
			    base.tag == 0x87 && base.len != 8 &&
			    base.len != 32) {
				*bad_len = base.len;
				return true;
			}
		}
		if (tpos < trees.len)
			return false; /* a subtree that cannot be read */
	}
	return false;
}

/* A DER header of tag and len at out (at most 10 bytes); its size. */
static size_t der_header(unsigned char *out, unsigned char tag, size_t len)
{
	unsigned char be[sizeof(size_t)];
	size_t n = 0, k = 0;

	out[n++] = tag;
	if (len < 0x80) {
		out[n++] = (unsigned char)len;
		return n;
	}
	for (; len > 0; len >>= 8)
		be[k++] = (unsigned char)(len & 0xff);
	out[n++] = (unsigned char)(0x80 | k);
	while (k > 0)
		out[n++] = be[--k];
	return n;
}

/* The text of a constraint GnuTLS does not import, for show: "OID:hex"
 * of its value for otherName (as an otherName SAN reads), "registeredID
 * OID", else the context tag and the hex of its contents. */
static int foreign_name(struct cs_name *nm, const struct cs_tlv *base)
{
	struct cs_tlv oid, val, inner;
	size_t cap = 64 + base->len * 3;
	char dotted[128];

	memset(nm, 0, sizeof(*nm));
	nm->type = CS_SAN_OTHER;
	nm->value = malloc(cap);
	if (nm->value == NULL)
		return -1;
	if (cs_nc_other_name(base->val - base->hdr, base->hdr + base->len,
			     &oid, &val) &&
	    cs_oid_dotted(oid.val - oid.hdr, oid.hdr + oid.len, dotted,
			  sizeof(dotted)) &&
	    cs_der_read(val.val, val.len, &inner) == CS_DER_OK) {
		snprintf(nm->value, cap, "%s:", dotted);
		cs_hex_colon(nm->value + strlen(nm->value),
			     cap - strlen(nm->value), val.val, val.len);
	} else if (base->tag == 0x88 &&
		   cs_oid_dotted(base->val - base->hdr,
				 base->hdr + base->len, dotted,
				 sizeof(dotted))) {
		snprintf(nm->value, cap, "registeredID %s", dotted);
	} else {
		snprintf(nm->value, cap, "[%u]:", base->tag & 0x1f);
		cs_hex_colon(nm->value + strlen(nm->value),
			     cap - strlen(nm->value), base->val, base->len);
	}
	nm->len = strlen(nm->value);
	return 0;
}

/*
 * GnuTLS 3.7 refuses a whole NameConstraints extension with a subtree of
 * a form it does not import (otherName of most types, x400Address,
 * ediPartyName, registeredID; cs_nc_gnutls_form), and such a
 * well-formed extension must not read as undecodable.  Copy ext without
 * those subtrees into *out (*out_len bytes; none left: *out_len 0) for
 * GnuTLS, and add them to the model's lists as CS_SAN_OTHER (nc.c checks
 * them on the DER).  Returns 1 when some were found, 0 when none (then
 * *out is NULL), -1 when out of memory, -2 when the value cannot be
 * walked (GnuTLS judges it).
 */
static int nc_split(struct cs_cert_model *m, const unsigned char *p,
		    size_t n, unsigned char **out, size_t *out_len)
{
	struct cs_tlv seq, list, sub, base;
	unsigned char *body = NULL, *tmp = NULL;
	size_t pos = 0, blen = 0, k, kept;
	int found = 0;

	*out = NULL;
	*out_len = 0;
	if (cs_der_read(p, n, &seq) != CS_DER_OK || seq.tag != 0x30)
		return -2;
	body = malloc(n + 16);
	tmp = malloc(n + 1);
	if (body == NULL || tmp == NULL)
		goto nomem;
	blen = 10; /* room for the outer header, written last */
	while (cs_der_child(seq.val, seq.len, &pos, &list)) {
		if (list.tag != 0xa0 && list.tag != 0xa1)
			goto unwalkable;
		for (k = 0, kept = 0; cs_der_child(list.val, list.len, &k,
						   &sub);) {
			size_t bpos = 0;
			struct cs_name nm;

			if (sub.tag == 0x30 &&
			    cs_der_child(sub.val, sub.len, &bpos, &base) &&
			    !cs_nc_gnutls_form(base.tag)) {
				found = 1;
				if (foreign_name(&nm, &base) < 0 ||
				    model_namelist_take(list.tag == 0xa0
							? &m->nc_permitted
							: &m->nc_excluded,
							&nm) < 0)
					goto nomem;
				continue;
			}
			memcpy(tmp + kept, sub.val - sub.hdr, sub.hdr + sub.len);
			kept += sub.hdr + sub.len;
		}
		if (k != list.len)
			goto unwalkable;
		if (kept > 0) {
			blen += der_header(body + blen, (unsigned char)list.tag,
					   kept);
			memcpy(body + blen, tmp, kept);
			blen += kept;
		}
	}
	if (pos != seq.len)
		goto unwalkable;
	free(tmp);
	if (!found || blen == 10) {
		free(body);
		return found;
	}
	/* the outer SEQUENCE's header right before the lists */
	{
		unsigned char hdr[16];
		size_t h = der_header(hdr, 0x30, blen - 10);

		memcpy(body + 10 - h, hdr, h);
		memmove(body, body + 10 - h, blen - (10 - h));
		*out_len = blen - (10 - h);
	}
	*out = body;
	return 1;
unwalkable:
	free(body);
	free(tmp);
	model_namelist_free(&m->nc_permitted);
	model_namelist_free(&m->nc_excluded);
	return -2;
nomem:
	free(body);
	free(tmp);
	return -1;
}

/* see model_int.h */
int model_read_name_constraints(struct cs_cert_model *m,
				gnutls_x509_crt_t crt)
{
	gnutls_x509_name_constraints_t nc = NULL;
	gnutls_datum_t ext = {NULL, 0}, kept = {NULL, 0};
	unsigned crit = 0;
	size_t bad_len = 0, kept_len = 0;
	int rc = 0, split;

	if (gnutls_x509_crt_get_extension_by_oid2(crt, OID_NC, 0, &ext,
						  &crit) < 0)
		return 0;
	if (nc_bad_ip(ext.data, ext.size, &bad_len)) {
		gnutls_free(ext.data);
		m->has_name_constraints = true;
		m->nc_critical = crit != 0;
		return model_warn(m, "the name constraints hold an IP address "
				     "of %zu bytes; RFC 5280 4.2.1.10 requires "
				     "address and mask (8 or 32 bytes), so "
				     "they were not read", bad_len);
	}
	split = nc_split(m, ext.data, ext.size, &kept.data, &kept_len);
	gnutls_free(ext.data);
	if (split == -1)
		return -1;
	if (split == 1 && kept_len == 0) {
		/* only forms GnuTLS does not import */
		m->has_name_constraints = true;
		m->nc_critical = crit != 0;
		return 0;
	}
	if (gnutls_x509_name_constraints_init(&nc) < 0) {
		free(kept.data);
		return 0;
	}
	kept.size = (unsigned)kept_len;
	if (split == 1
		    ? gnutls_x509_ext_import_name_constraints(&kept, nc, 0) < 0
		    : gnutls_x509_crt_get_name_constraints(crt, nc, 0,
							   &crit) < 0) {
		/* undecodable: webpki.c says so, whatever was split off */
		model_namelist_free(&m->nc_permitted);
		model_namelist_free(&m->nc_excluded);
		goto out;
	}
	m->has_name_constraints = true;
	m->nc_critical = crit != 0;
	if (nc_list(&m->nc_permitted, nc, true) < 0 ||
	    nc_list(&m->nc_excluded, nc, false) < 0)
		rc = -1;
out:
	free(kept.data);
	gnutls_x509_name_constraints_deinit(nc);
	return rc;
}
