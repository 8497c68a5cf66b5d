/*
 * model.c - extract the fields a person asks about from a parsed
 * certificate into struct cs_cert_model (see model.h): cs_model_build()
 * (the parts a caller asks for), cs_model_from_crt() (all of them) and
 * cs_model_free(), the subject and issuer names with the first CN,
 * the key, the signature algorithm, the digests and whether the
 * certificate signs itself.  The raw DER fields are in raw.c, the names
 * of subjectAltName and nameConstraints in altnames.c, the other
 * extensions in ext.c.
 *
 * With altnames.c and ext.c, this is where the gnutls_x509_crt_get_*
 * getters are called for the model.  Every getter may fail on a hostile
 * certificate: an optional field that cannot be read is left empty and
 * the model is still built.  Variable length values are read with the
 * size-query pattern (first call with a NULL buffer, then allocate) or
 * with datum-returning variants, never into a guessed fixed-size buffer.
 *
 * Does not: decide trust, check validity at a time, match names, or
 * escape strings for output (the report layer does).
 */
#include "x509/model_int.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gnutls/abstract.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>

#include "input/der.h"

/* Owned copy of a GnuTLS DN string; "" when it cannot be read. */
static char *dn_string(gnutls_x509_crt_t crt, bool issuer)
{
	gnutls_datum_t d = {NULL, 0};
	char *s;
	int ret;

	ret = issuer ? gnutls_x509_crt_get_issuer_dn3(crt, &d, 0)
		     : gnutls_x509_crt_get_dn3(crt, &d, 0);
	if (ret < 0)
		return model_memdup("", 0);
	s = model_memdup(d.data, d.size);
	gnutls_free(d.data);
	return s;
}

/* Append code point cp as UTF-8 (RFC 3629) to out at *o. */
static void put_utf8(char *out, size_t *o, uint32_t cp)
{
	if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		cp = 0xfffd; /* not a scalar value: show U+FFFD */
	if (cp < 0x80) {
		out[(*o)++] = (char)cp;
	} else if (cp < 0x800) {
		out[(*o)++] = (char)(0xc0 | cp >> 6);
		out[(*o)++] = (char)(0x80 | (cp & 0x3f));
	} else if (cp < 0x10000) {
		out[(*o)++] = (char)(0xe0 | cp >> 12);
		out[(*o)++] = (char)(0x80 | (cp >> 6 & 0x3f));
		out[(*o)++] = (char)(0x80 | (cp & 0x3f));
	} else {
		out[(*o)++] = (char)(0xf0 | cp >> 18);
		out[(*o)++] = (char)(0x80 | (cp >> 12 & 0x3f));
		out[(*o)++] = (char)(0x80 | (cp >> 6 & 0x3f));
		out[(*o)++] = (char)(0x80 | (cp & 0x3f));
	}
}

/*
 * Decode a DirectoryString (RFC 5280 4.1.2.4) from its DER TLV into an
 * owned string.  The 8-bit types are kept byte for byte, NULs included
 * (GnuTLS would turn a CN with a NUL into "#0c18..." hex, hiding the
 * NUL-prefix attack it is); BMPString and UniversalString become UTF-8.
 * Returns 1 if decoded, 0 if the caller should use GnuTLS's text
 * instead, -1 on ENOMEM.
 */
static int decode_dirstring(const unsigned char *der, size_t der_len,
			    char **out, size_t *out_len)
{
	struct cs_tlv t;
	size_t o = 0;
	char *s;

	if (cs_der_read(der, der_len, &t) != CS_DER_OK ||
	    t.hdr + t.len != der_len)
		return 0;
	switch (t.tag) {
	case 0x0c: /* UTF8String */
	case 0x13: /* PrintableString */
	case 0x14: /* TeletexString */
	case 0x16: /* IA5String */
	case 0x1a: /* VisibleString */
	case 0x12: /* NumericString */
		*out = model_memdup(t.val, t.len);
		*out_len = t.len;
		return *out == NULL ? -1 : 1;
	case 0x1e: /* BMPString: UCS-2 big endian */
		if (t.len % 2 != 0)
			return 0;
		s = malloc(t.len / 2 * 3 + 1);
		if (s == NULL)
			return -1;
		for (size_t i = 0; i < t.len; i += 2)
			put_utf8(s, &o, (uint32_t)t.val[i] << 8 | t.val[i + 1]);
		break;
	case 0x1c: /* UniversalString: UCS-4 big endian */
		if (t.len % 4 != 0)
			return 0;
		s = malloc(t.len + 1);
		if (s == NULL)
			return -1;
		for (size_t i = 0; i < t.len; i += 4)
			put_utf8(s, &o,
				 (uint32_t)t.val[i] << 24 |
					 (uint32_t)t.val[i + 1] << 16 |
					 (uint32_t)t.val[i + 2] << 8 |
					 t.val[i + 3]);
		break;
	default:
		return 0;
	}
	s[o] = '\0';
	*out = s;
	*out_len = o;
	return 1;
}

/* Size-query one DN attribute value; raw selects the DER form. */
static unsigned char *dn_attr(gnutls_x509_crt_t crt, const char *oid,
			      unsigned raw, size_t *len)
{
	unsigned char *buf;
	size_t size = 0;

	if (gnutls_x509_crt_get_dn_by_oid(crt, oid, 0, raw, NULL, &size) !=
		    GNUTLS_E_SHORT_MEMORY_BUFFER ||
	    size == 0)
		return NULL;
	buf = calloc(1, size + 1);
	if (buf == NULL)
		return NULL;
	if (gnutls_x509_crt_get_dn_by_oid(crt, oid, 0, raw, buf, &size) < 0) {
		free(buf);
		return NULL;
	}
	buf[size] = '\0';
	*len = size;
	return buf;
}

/* First CN (RFC 5280 4.1.2.6); may hold a NUL, so keep its length.
 * From r's subject when given and plain (CS_MODEL_FROM_DER). */
static int read_cn(struct cs_cert_model *m, gnutls_x509_crt_t crt,
		   const struct raw_cert *r)
{
	unsigned char *der, *txt;
	struct cs_tlv v;
	size_t len = 0;
	int rc = 0;

	rc = r != NULL && r->have_names ? model_raw_first_cn(&r->subject, &v)
					: -1;
	if (rc == 0)
		return 0; /* no CN */
	if (rc == 1) {
		rc = decode_dirstring(v.val - v.hdr, v.hdr + v.len,
				      &m->subject_cn, &m->subject_cn_len);
		if (rc != 0)
			return rc < 0 ? -1 : 0;
	}
	rc = 0;
	der = dn_attr(crt, GNUTLS_OID_X520_COMMON_NAME, 1, &len);
	if (der != NULL) {
		rc = decode_dirstring(der, len, &m->subject_cn,
				      &m->subject_cn_len);
		free(der);
		if (rc != 0)
			return rc < 0 ? -1 : 0;
	}
	/* Not a string type we decode: take GnuTLS's rendering. */
	txt = dn_attr(crt, GNUTLS_OID_X520_COMMON_NAME, 0, &len);
	if (txt != NULL) {
		m->subject_cn = (char *)txt;
		m->subject_cn_len = len;
	}
	return 0;
}

static bool tlv_eq(const struct cs_tlv *a, const struct cs_tlv *b)
{
	return a->hdr + a->len == b->hdr + b->len &&
	       memcmp(a->val - a->hdr, b->val - b->hdr, a->hdr + a->len) == 0;
}

static int read_names(struct cs_cert_model *m, gnutls_x509_crt_t crt,
		      const struct raw_cert *r, bool details, bool from_der)
{
	gnutls_datum_t a = {NULL, 0}, b = {NULL, 0};

	if (from_der && r->have_names &&
	    (model_raw_dn(&r->subject, &m->subject) < 0 ||
	     model_raw_dn(&r->issuer, &m->issuer) < 0))
		return -1;
	if (m->subject == NULL)
		m->subject = dn_string(crt, false);
	if (m->issuer == NULL)
		m->issuer = dn_string(crt, true);
	if (m->subject == NULL || m->issuer == NULL)
		return -1;

	if (details && read_cn(m, crt, from_der ? r : NULL) < 0)
		return -1;

	/* Self-issued compares the encoded names (RFC 5280 6.1: "the same
	 * name"; byte equality is what GnuTLS itself uses): the Name TLVs
	 * as encoded, which are the bytes gnutls_x509_crt_get_raw_dn and
	 * _raw_issuer_dn return. */
	if (r->have_names) {
		m->self_issued = tlv_eq(&r->subject, &r->issuer);
		return 0;
	}
	if (gnutls_x509_crt_get_raw_dn(crt, &a) >= 0 &&
	    gnutls_x509_crt_get_raw_issuer_dn(crt, &b) >= 0)
		m->self_issued = a.size == b.size &&
				 memcmp(a.data, b.data, a.size) == 0;
	gnutls_free(a.data);
	gnutls_free(b.data);
	return 0;
}

static const char *curve_name(gnutls_ecc_curve_t c)
{
	switch (c) {
	case GNUTLS_ECC_CURVE_SECP256R1: return "P-256";
	case GNUTLS_ECC_CURVE_SECP384R1: return "P-384";
	case GNUTLS_ECC_CURVE_SECP521R1: return "P-521";
	case GNUTLS_ECC_CURVE_SECP224R1: return "P-224";
	case GNUTLS_ECC_CURVE_SECP192R1: return "P-192";
	case GNUTLS_ECC_CURVE_ED25519: return "Ed25519";
	case GNUTLS_ECC_CURVE_ED448: return "Ed448";
	default: break;
	}
	return gnutls_ecc_curve_get_name(c);
}

static const char *pk_name(int pk)
{
	switch (pk) {
	case GNUTLS_PK_RSA: return "RSA";
	case GNUTLS_PK_RSA_PSS: return "RSA-PSS";
	case GNUTLS_PK_ECDSA: return "ECDSA";
	case GNUTLS_PK_EDDSA_ED25519: return "Ed25519";
	case GNUTLS_PK_EDDSA_ED448: return "Ed448";
	case GNUTLS_PK_DSA: return "DSA";
	default: break;
	}
	return pk > 0 ? gnutls_pk_get_name((gnutls_pk_algorithm_t)pk) : NULL;
}

static void read_key(struct cs_cert_model *m, gnutls_x509_crt_t crt)
{
	unsigned bits = 0;
	const char *name;
	int pk;

	pk = gnutls_x509_crt_get_pk_algorithm(crt, &bits);
	m->gnutls_pk = pk > 0 ? pk : 0;
	name = pk_name(pk);
	snprintf(m->key_alg, sizeof(m->key_alg), "%s",
		 name != NULL ? name : "unknown");
	m->key_bits = pk > 0 ? bits : 0;
	if (pk == GNUTLS_PK_ECDSA) {
		gnutls_ecc_curve_t curve = GNUTLS_ECC_CURVE_INVALID;
		gnutls_datum_t x = {NULL, 0}, y = {NULL, 0};

		if (gnutls_x509_crt_get_pk_ecc_raw(crt, &curve, &x, &y) >= 0) {
			const char *cn = curve_name(curve);

			snprintf(m->key_curve, sizeof(m->key_curve), "%s",
				 cn != NULL ? cn : "");
		}
		gnutls_free(x.data);
		gnutls_free(y.data);
	}
}

static void read_sig(struct cs_cert_model *m, gnutls_x509_crt_t crt)
{
	size_t size = sizeof(m->sig_oid);
	const char *name = NULL;
	int sign;

	if (gnutls_x509_crt_get_signature_oid(crt, m->sig_oid, &size) < 0)
		m->sig_oid[0] = '\0';
	sign = gnutls_x509_crt_get_signature_algorithm(crt);
	m->gnutls_sign = sign > 0 ? sign : 0;
	switch (sign) {
	case GNUTLS_SIGN_EDDSA_ED25519: name = "Ed25519"; break;
	case GNUTLS_SIGN_EDDSA_ED448: name = "Ed448"; break;
	default:
		/* "RSA-SHA256", "ECDSA-SHA384", "RSA-PSS-SHA256", ... */
		if (sign > 0)
			name = gnutls_sign_get_name(
				(gnutls_sign_algorithm_t)sign);
		break;
	}
	snprintf(m->sig_alg, sizeof(m->sig_alg), "%s",
		 name != NULL ? name : "unknown");
}

static void read_digests(struct cs_cert_model *m, gnutls_x509_crt_t crt,
			 const unsigned char *der, size_t der_len,
			 bool details, const struct cs_tlv *raw_spki)
{
	/* Hashes of the bytes as encoded, what `sha256sum cert.der` gives;
	 * gnutls_x509_crt_get_fingerprint re-encodes the certificate from
	 * its libtasn1 tree for every call (a quarter of `show`'s time on a
	 * bundle), and a re-encoding of a non-DER input is not its bytes. */
	gnutls_datum_t d = {(unsigned char *)der, (unsigned)der_len};
	unsigned char id[64];
	size_t size;

	size = sizeof(m->sha256);
	if (gnutls_fingerprint(GNUTLS_DIG_SHA256, &d, m->sha256, &size) < 0)
		memset(m->sha256, 0, sizeof(m->sha256));
	if (!details)
		return;
	size = sizeof(m->sha1);
	if (gnutls_fingerprint(GNUTLS_DIG_SHA1, &d, m->sha1, &size) < 0)
		memset(m->sha1, 0, sizeof(m->sha1));
	/* RFC 7469 2.4: pin-sha256 is SHA-256 of the SPKI DER, which is
	 * what GnuTLS's key id is with USE_SHA256: it re-encodes the key,
	 * which for a plain key (raw_spki) gives back its bytes. */
	size = sizeof(id);
	if (raw_spki != NULL) {
		gnutls_datum_t k = {
			(unsigned char *)raw_spki->val - raw_spki->hdr,
			(unsigned)(raw_spki->hdr + raw_spki->len)};

		if (gnutls_fingerprint(GNUTLS_DIG_SHA256, &k, id, &size) >= 0 &&
		    size == 32)
			model_base64(m->spki_sha256_b64,
				     sizeof(m->spki_sha256_b64), id, size);
	} else if (gnutls_x509_crt_get_key_id(crt, GNUTLS_KEYID_USE_SHA256,
					      id, &size) >= 0 && size == 32)
		model_base64(m->spki_sha256_b64, sizeof(m->spki_sha256_b64), id,
			     size);
}

/* Self-signed: the certificate's own key verifies its signature over
 * the tbsCertificate bytes exactly as encoded. */
static void read_self_signed(struct cs_cert_model *m, gnutls_x509_crt_t crt,
			     const struct raw_cert *r)
{
	gnutls_pubkey_t pub = NULL;
	gnutls_datum_t tbs, sig;

	m->self_sig_checked = true;
	if (!m->self_issued || !r->have_sig || m->gnutls_sign == 0)
		return;
	if (gnutls_pubkey_init(&pub) < 0)
		return;
	if (gnutls_pubkey_import_x509(pub, crt, 0) < 0)
		goto out;
	tbs.data = (unsigned char *)r->tbs_der;
	tbs.size = (unsigned)r->tbs_der_len;
	sig.data = (unsigned char *)r->sig;
	sig.size = (unsigned)r->sig_len;
	/* Whether the signature is *strong* is verify's question, not
	 * ours: allow SHA-1 and MD5 here. */
	if (gnutls_pubkey_verify_data2(
		    pub, (gnutls_sign_algorithm_t)m->gnutls_sign,
		    GNUTLS_VERIFY_ALLOW_BROKEN |
			    GNUTLS_VERIFY_ALLOW_SIGN_WITH_SHA1,
		    &tbs, &sig) >= 0)
		m->self_signed = true;
out:
	gnutls_pubkey_deinit(pub);
}

/* see model.h */
int cs_model_build(struct cs_cert_model *m, gnutls_x509_crt_t crt,
		   const unsigned char *der, size_t der_len, unsigned parts,
		   struct cs_error *err)
{
	gnutls_datum_t exported = {NULL, 0};
	bool details = (parts & CS_MODEL_DETAILS) != 0, raw_key;
	struct raw_cert raw;
	int ver;

	if (m == NULL)
		return cs_error_setx(err, CS_E_USAGE,
				     "no model to fill (internal error)");
	memset(m, 0, sizeof(*m));
	if (crt == NULL)
		return cs_error_setx(err, CS_E_USAGE,
				     "no certificate to describe");
	m->not_before = m->not_after = CS_TIME_NONE;
	m->path_len = -1;
	if (der == NULL) {
		int ret = gnutls_x509_crt_export2(crt, GNUTLS_X509_FMT_DER,
						  &exported);

		if (ret < 0)
			return cs_error_setlib(err, CS_E_INTERNAL, ret,
					       "cannot re-encode the "
					       "certificate: %s",
					       gnutls_strerror(ret));
		der = exported.data;
		der_len = exported.size;
	}
	/* GnuTLS parsed these bytes, so the walk failing means they are
	 * not the bytes of this certificate. */
	if (model_raw_walk(der, der_len, &raw) < 0) {
		cs_error_setx(err, CS_E_PARSE,
			      "cannot find the serial number in the "
			      "certificate's %zu DER bytes", der_len);
		goto fail;
	}

	ver = gnutls_x509_crt_get_version(crt);
	m->version = ver > 0 ? (unsigned)ver : 0;
	if (model_read_raw(m, &raw) < 0 ||
	    read_names(m, crt, &raw, details,
		       (parts & CS_MODEL_FROM_DER) != 0) < 0 ||
	    model_read_sans(m, crt) < 0)
		goto nomem;
	raw_key = (parts & CS_MODEL_FROM_DER) && model_raw_key(m, &raw);
	if (!raw_key)
		read_key(m, crt);
	read_sig(m, crt);
	read_digests(m, crt, der, raw.outer.hdr + raw.outer.len, details,
		     raw_key ? &raw.spki : NULL);
	if (parts & CS_MODEL_SELF_SIG)
		read_self_signed(m, crt, &raw);
	if (model_read_extensions(m, crt,
				  parts & CS_MODEL_FROM_DER ? &raw : NULL,
				  details) < 0)
		goto nomem;
	/* RFC 5280 4.1.2.9: extensions only in version 3. */
	if (m->version < 3 && m->n_exts > 0 &&
	    model_warn(m, "a version %u certificate carries %zu "
			  "extension%s; RFC 5280 4.1.2.9 allows extensions "
			  "only in version 3",
		       m->version, m->n_exts, m->n_exts == 1 ? "" : "s") < 0)
		goto nomem;
	gnutls_free(exported.data);
	return 0;
nomem:
	cs_error_setx(err, CS_E_NOMEM,
		      "out of memory while reading the certificate");
fail:
	gnutls_free(exported.data);
	cs_model_free(m);
	return -1;
}

/* see model.h */
int cs_model_from_crt(struct cs_cert_model *m, gnutls_x509_crt_t crt,
		      const unsigned char *der, size_t der_len,
		      struct cs_error *err)
{
	return cs_model_build(m, crt, der, der_len, CS_MODEL_ALL, err);
}

/* see model.h */
void cs_model_free(struct cs_cert_model *m)
{
	if (m == NULL)
		return;
	free(m->subject);
	free(m->issuer);
	free(m->subject_cn);
	free(m->serial_hex);
	model_namelist_free(&m->sans);
	model_strlist_free(&m->eku);
	model_strlist_free(&m->ocsp_urls);
	model_strlist_free(&m->ca_issuer_urls);
	model_strlist_free(&m->crl_urls);
	model_strlist_free(&m->policies);
	model_namelist_free(&m->nc_permitted);
	model_namelist_free(&m->nc_excluded);
	free(m->scts);
	free(m->exts);
	model_strlist_free(&m->warnings);
	memset(m, 0, sizeof(*m));
}

static int strlist_copy(struct cs_strlist *d, const struct cs_strlist *s)
{
	for (size_t i = 0; i < s->n; i++)
		if (model_strlist_add(d, s->v[i], strlen(s->v[i])) < 0)
			return -1;
	return 0;
}

static int namelist_copy(struct cs_namelist *d, const struct cs_namelist *s)
{
	for (size_t i = 0; i < s->n; i++) {
		struct cs_name nm = s->v[i];

		nm.value = model_memdup(s->v[i].value, s->v[i].len);
		if (model_namelist_take(d, &nm) < 0)
			return -1;
	}
	return 0;
}

static char *str_copy(const char *s, size_t len, bool *fail)
{
	char *d;

	if (s == NULL)
		return NULL;
	d = model_memdup(s, len);
	if (d == NULL)
		*fail = true;
	return d;
}

/* see model.h */
int cs_model_copy(struct cs_cert_model *dst, const struct cs_cert_model *src)
{
	bool fail = false;

	*dst = *src; /* the scalars and fixed arrays; pointers replaced */
	dst->subject = str_copy(src->subject,
				src->subject ? strlen(src->subject) : 0, &fail);
	dst->issuer = str_copy(src->issuer,
			       src->issuer ? strlen(src->issuer) : 0, &fail);
	dst->subject_cn = str_copy(src->subject_cn, src->subject_cn_len,
				   &fail);
	dst->serial_hex = str_copy(src->serial_hex,
				   src->serial_hex ? strlen(src->serial_hex)
						   : 0, &fail);
	memset(&dst->sans, 0, sizeof(dst->sans));
	memset(&dst->eku, 0, sizeof(dst->eku));
	memset(&dst->ocsp_urls, 0, sizeof(dst->ocsp_urls));
	memset(&dst->ca_issuer_urls, 0, sizeof(dst->ca_issuer_urls));
	memset(&dst->crl_urls, 0, sizeof(dst->crl_urls));
	memset(&dst->policies, 0, sizeof(dst->policies));
	memset(&dst->nc_permitted, 0, sizeof(dst->nc_permitted));
	memset(&dst->nc_excluded, 0, sizeof(dst->nc_excluded));
	memset(&dst->warnings, 0, sizeof(dst->warnings));
	dst->scts = NULL;
	dst->exts = NULL;
	if (src->n_scts > 0) {
		dst->scts = malloc(src->n_scts * sizeof(*dst->scts));
		if (dst->scts != NULL)
			memcpy(dst->scts, src->scts,
			       src->n_scts * sizeof(*dst->scts));
		else
			fail = true;
	}
	if (src->n_exts > 0) {
		dst->exts = malloc(src->n_exts * sizeof(*dst->exts));
		if (dst->exts != NULL)
			memcpy(dst->exts, src->exts,
			       src->n_exts * sizeof(*dst->exts));
		else
			fail = true;
	}
	if (fail || namelist_copy(&dst->sans, &src->sans) < 0 ||
	    strlist_copy(&dst->eku, &src->eku) < 0 ||
	    strlist_copy(&dst->ocsp_urls, &src->ocsp_urls) < 0 ||
	    strlist_copy(&dst->ca_issuer_urls, &src->ca_issuer_urls) < 0 ||
	    strlist_copy(&dst->crl_urls, &src->crl_urls) < 0 ||
	    strlist_copy(&dst->policies, &src->policies) < 0 ||
	    namelist_copy(&dst->nc_permitted, &src->nc_permitted) < 0 ||
	    namelist_copy(&dst->nc_excluded, &src->nc_excluded) < 0 ||
	    strlist_copy(&dst->warnings, &src->warnings) < 0) {
		cs_model_free(dst);
		return -1;
	}
	return 0;
}
