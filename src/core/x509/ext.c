/*
 * ext.c - the extensions the model decodes besides the names (basic
 * constraints, key usage, key identifiers, extended key usage, authority
 * information access, CRL distribution points, policies, SCTs) and the
 * list of every extension present with its criticality.
 *
 * Each list extension is imported once and then indexed (the per-index
 * getters of gnutls_x509_crt_t decode the whole extension again for every
 * index); where GnuTLS keeps fewer entries than the extension holds, a
 * warning says so.
 *
 * Does not: judge whether an extension is right for a purpose (path/
 * does), or read subjectAltName and nameConstraints (altnames.c does).
 */
#include "x509/model_int.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gnutls/gnutls.h>
#include <gnutls/x509-ext.h>

#include "input/der.h"
#include "oid.h"

/* SCT log ids are SHA-256 hashes (RFC 6962 3.2). */
#define CS_SCT_LOGID_LEN 32

/* Extensions whose content the model decodes into its fields. */
static const char *const known_ext_oids[] = {
	OID_SAN, OID_KU,	 OID_BC,  OID_EKU, OID_SKI, OID_AKI,
	OID_CRLDP, OID_POLICIES, OID_NC, OID_AIA, OID_SCT,
};

static void read_basic_constraints(struct cs_cert_model *m,
				   gnutls_x509_crt_t crt)
{
	unsigned crit = 0, ca = 0;
	int pathlen = -1, ret;

	ret = gnutls_x509_crt_get_basic_constraints(crt, &crit, &ca,
						    &pathlen);
	m->path_len = -1;
	if (ret >= 0) {
		m->has_basic_constraints = true;
		m->bc_critical = crit != 0;
		m->is_ca = ca != 0;
		m->path_len = pathlen >= 0 ? pathlen : -1;
	}
}

/* An extension the model reads: its OID as text (for GnuTLS) and the
 * contents of its DER OBJECT IDENTIFIER (for the raw lookup). */
struct ext_id {
	const char *oid;
	unsigned char der[10];
	size_t len;
};

static const struct ext_id ID_KU = {OID_KU, {0x55, 0x1d, 0x0f}, 3};
static const struct ext_id ID_EKU = {OID_EKU, {0x55, 0x1d, 0x25}, 3};
static const struct ext_id ID_CRLDP = {OID_CRLDP, {0x55, 0x1d, 0x1f}, 3};
static const struct ext_id ID_POLICIES = {OID_POLICIES, {0x55, 0x1d, 0x20},
					  3};
static const struct ext_id ID_AIA = {
	OID_AIA, {0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x01, 0x01}, 8};
static const struct ext_id ID_SCT = {
	OID_SCT, {0x2b, 0x06, 0x01, 0x04, 0x01, 0xd6, 0x79, 0x02, 0x04, 0x02},
	10};

/* The value of the first extension with this id (gnutls_free it) and its
 * criticality: true when present and not empty.  Read from the DER when
 * r is given and its extensions are plain DER (one pass, no decoding),
 * else asked of GnuTLS, whose lookup decodes the extensions again for
 * each.  Each list extension is imported once (gnutls_x509_ext_import_*)
 * and then indexed: the per-index getters of gnutls_x509_crt_t decode
 * the whole extension again for every index, which made 4,000 CRL
 * distribution points take minutes. */
static bool ext_get(gnutls_x509_crt_t crt, const struct raw_cert *r,
		    const struct ext_id *id, gnutls_datum_t *ext,
		    bool *critical)
{
	struct cs_tlv v;
	unsigned crit = 0;
	int found = r != NULL ? model_raw_ext(r, id->der, id->len, &v,
					      critical)
			      : -1;

	ext->data = NULL;
	ext->size = 0;
	if (found == 0 || (found == 1 && v.len == 0))
		return false;
	if (found == 1) {
		ext->data = gnutls_malloc(v.len);
		if (ext->data != NULL) {
			memcpy(ext->data, v.val, v.len);
			ext->size = (unsigned)v.len;
			return true;
		}
	}
	if (gnutls_x509_crt_get_extension_by_oid2(crt, id->oid, 0, ext,
						  &crit) < 0 ||
	    ext->size == 0) {
		gnutls_free(ext->data);
		ext->data = NULL;
		ext->size = 0;
		return false;
	}
	*critical = crit != 0;
	return true;
}

static void read_key_usage(struct cs_cert_model *m, gnutls_x509_crt_t crt,
			   const struct raw_cert *r)
{
	gnutls_datum_t ext;
	unsigned ku = 0;
	bool crit = false;

	/* as gnutls_x509_crt_get_key_usage reads it */
	if (ext_get(crt, r, &ID_KU, &ext, &crit) &&
	    gnutls_x509_ext_import_key_usage(&ext, &ku) >= 0) {
		m->has_key_usage = true;
		m->ku_critical = crit;
		m->key_usage = ku;
	}
	gnutls_free(ext.data);
}

/* Colon hex of a key identifier into a fixed field. */
static void read_key_ids(struct cs_cert_model *m, gnutls_x509_crt_t crt)
{
	unsigned char *buf;
	size_t size = 0;

	if (gnutls_x509_crt_get_subject_key_id(crt, NULL, &size, NULL) ==
		    GNUTLS_E_SHORT_MEMORY_BUFFER &&
	    (buf = malloc(size + 1)) != NULL) {
		if (gnutls_x509_crt_get_subject_key_id(crt, buf, &size,
						       NULL) >= 0)
			cs_hex_colon(m->ski_hex, sizeof(m->ski_hex), buf,
				     size);
		free(buf);
	}
	size = 0;
	if (gnutls_x509_crt_get_authority_key_id(crt, NULL, &size, NULL) ==
		    GNUTLS_E_SHORT_MEMORY_BUFFER &&
	    (buf = malloc(size + 1)) != NULL) {
		if (gnutls_x509_crt_get_authority_key_id(crt, buf, &size,
							 NULL) >= 0)
			cs_hex_colon(m->aki_hex, sizeof(m->aki_hex), buf,
				     size);
		free(buf);
	}
}

/* Entries of the SEQUENCE OF an extension value holds. */
static size_t seq_count(const gnutls_datum_t *ext)
{
	struct cs_tlv outer, t;
	size_t n = 0, pos = 0;

	if (cs_der_read(ext->data, ext->size, &outer) != CS_DER_OK)
		return 0;
	while (cs_der_child(outer.val, outer.len, &pos, &t))
		n++;
	return n;
}

/* GnuTLS 3.7 keeps at most 64 key purposes and 64 policies (its
 * MAX_ENTRIES) and drops the rest without a word; say so. */
static int warn_cut(struct cs_cert_model *m, const gnutls_datum_t *ext,
		    size_t got, const char *ext_name, const char *what)
{
	size_t total = seq_count(ext);

	if (total <= got)
		return 0;
	return model_warn(m, "the %s extension lists %zu %s; GnuTLS reads "
			     "only the first %zu, so only those are shown and "
			     "checked",
			  ext_name, total, what, got);
}

static int read_eku(struct cs_cert_model *m, gnutls_x509_crt_t crt,
		    const struct raw_cert *r)
{
	gnutls_x509_key_purposes_t kp = NULL;
	gnutls_datum_t ext, oid;
	bool crit = false;
	size_t got = 0;
	int rc = 0;

	if (!ext_get(crt, r, &ID_EKU, &ext, &crit))
		return 0;
	if (gnutls_x509_key_purpose_init(&kp) < 0) {
		gnutls_free(ext.data);
		return -1;
	}
	if (gnutls_x509_ext_import_key_purposes(&ext, kp, 0) >= 0) {
		for (unsigned i = 0;
		     gnutls_x509_key_purpose_get(kp, i, &oid) >= 0; i++) {
			m->has_eku = true;
			got++;
			if (model_strlist_add(&m->eku, oid.data,
					      strnlen((const char *)oid.data,
						      oid.size)) < 0) {
				rc = -1;
				break;
			}
		}
		if (rc == 0)
			rc = warn_cut(m, &ext, got, "extKeyUsage",
				      "key purposes");
	}
	gnutls_x509_key_purpose_deinit(kp);
	gnutls_free(ext.data);
	return rc;
}

static int read_aia(struct cs_cert_model *m, gnutls_x509_crt_t crt,
		    const struct raw_cert *r)
{
	gnutls_x509_aia_t aia = NULL;
	gnutls_datum_t ext;
	bool crit = false;
	int rc = 0;

	if (!ext_get(crt, r, &ID_AIA, &ext, &crit))
		return 0;
	if (gnutls_x509_aia_init(&aia) < 0) {
		gnutls_free(ext.data);
		return -1;
	}
	if (gnutls_x509_ext_import_aia(&ext, aia, 0) < 0)
		goto out;
	for (unsigned i = 0; rc == 0; i++) {
		gnutls_datum_t oid = {NULL, 0}, uri = {NULL, 0}; /* borrowed */
		struct cs_strlist *dst = NULL;
		unsigned type = 0;
		size_t olen;

		if (gnutls_x509_aia_get(aia, i, &oid, &type, &uri) < 0)
			break;
		if (type != GNUTLS_SAN_URI || oid.data == NULL)
			continue; /* location is not a URI */
		/* RFC 5280 4.2.2.1: id-ad-ocsp and id-ad-caIssuers.  The
		 * datum's size may count a terminating NUL, so compare as
		 * bounded strings. */
		olen = strnlen((const char *)oid.data, oid.size);
		if (olen == strlen(OID_AD_OCSP) &&
		    memcmp(oid.data, OID_AD_OCSP, olen) == 0)
			dst = &m->ocsp_urls;
		else if (olen == strlen(OID_AD_CAISSUERS) &&
			 memcmp(oid.data, OID_AD_CAISSUERS, olen) == 0)
			dst = &m->ca_issuer_urls;
		if (dst != NULL)
			rc = model_strlist_add(dst, uri.data, uri.size);
	}
out:
	gnutls_x509_aia_deinit(aia);
	gnutls_free(ext.data);
	return rc;
}

static int read_crldp(struct cs_cert_model *m, gnutls_x509_crt_t crt,
		      const struct raw_cert *r)
{
	gnutls_x509_crl_dist_points_t cdp = NULL;
	gnutls_datum_t ext;
	bool crit = false;
	int rc = 0;

	if (!ext_get(crt, r, &ID_CRLDP, &ext, &crit))
		return 0;
	if (gnutls_x509_crl_dist_points_init(&cdp) < 0) {
		gnutls_free(ext.data);
		return -1;
	}
	if (gnutls_x509_ext_import_crl_dist_points(&ext, cdp, 0) >= 0) {
		for (unsigned i = 0; rc == 0; i++) {
			gnutls_datum_t uri = {NULL, 0}; /* borrowed */
			unsigned type = 0, reasons = 0;

			if (gnutls_x509_crl_dist_points_get(cdp, i, &type,
							    &uri,
							    &reasons) < 0)
				break;
			/* Only URIs can be fetched (RFC 5280 4.2.1.13). */
			if (type == GNUTLS_SAN_URI)
				rc = model_strlist_add(&m->crl_urls, uri.data,
						       uri.size);
		}
	}
	gnutls_x509_crl_dist_points_deinit(cdp);
	gnutls_free(ext.data);
	return rc;
}

static int read_policies(struct cs_cert_model *m, gnutls_x509_crt_t crt,
			 const struct raw_cert *r)
{
	gnutls_x509_policies_t pols = NULL;
	gnutls_datum_t ext;
	bool crit = false;
	size_t got = 0;
	int rc = 0;

	if (!ext_get(crt, r, &ID_POLICIES, &ext, &crit))
		return 0;
	if (gnutls_x509_policies_init(&pols) < 0) {
		gnutls_free(ext.data);
		return -1;
	}
	if (gnutls_x509_ext_import_policies(&ext, pols, 0) >= 0) {
		for (unsigned i = 0; rc == 0; i++) {
			struct gnutls_x509_policy_st pol; /* borrowed */

			memset(&pol, 0, sizeof(pol));
			if (gnutls_x509_policies_get(pols, i, &pol) < 0)
				break;
			got++;
			if (pol.oid != NULL)
				rc = model_strlist_add(&m->policies, pol.oid,
						       strlen(pol.oid));
		}
		if (rc == 0)
			rc = warn_cut(m, &ext, got, "certificatePolicies",
				      "policies");
	}
	gnutls_x509_policies_deinit(pols);
	gnutls_free(ext.data);
	return rc;
}

static int read_scts(struct cs_cert_model *m, gnutls_x509_crt_t crt,
		     const struct raw_cert *r)
{
	gnutls_x509_ct_scts_t scts = NULL;
	gnutls_datum_t ext = {NULL, 0};
	bool crit = false;
	int rc = 0;

	if (!ext_get(crt, r, &ID_SCT, &ext, &crit))
		return 0;
	if (gnutls_x509_ext_ct_scts_init(&scts) < 0)
		goto out;
	/* RFC 6962 3.3: an OCTET STRING holding a TLS SignedCertificate-
	 * TimestampList; a malformed list just leaves n_scts at 0. */
	if (gnutls_x509_ext_ct_import_scts(&ext, scts, 0) < 0)
		goto out;
	for (unsigned i = 0; i < CS_MODEL_MAX_LIST; i++) {
		gnutls_datum_t logid = {NULL, 0}, sig = {NULL, 0};
		gnutls_sign_algorithm_t alg;
		unsigned version = 0;
		struct cs_sct *v;
		time_t ts = 0;
		int ret;

		if (gnutls_x509_ct_sct_get_version(scts, i, &version) < 0)
			break;
		ret = gnutls_x509_ct_sct_get(scts, i, &ts, &logid, &alg, &sig);
		if (ret < 0)
			continue;
		v = realloc(m->scts, (m->n_scts + 1) * sizeof(*v));
		if (v == NULL) {
			gnutls_free(logid.data);
			gnutls_free(sig.data);
			rc = -1;
			goto out;
		}
		m->scts = v;
		memset(&v[m->n_scts], 0, sizeof(*v));
		model_base64(v[m->n_scts].log_id_b64, sizeof(v->log_id_b64),
			     logid.data,
			     logid.size < CS_SCT_LOGID_LEN ? logid.size
							   : CS_SCT_LOGID_LEN);
		/* GnuTLS already divides the millisecond timestamp. */
		v[m->n_scts].timestamp = (cs_time_t)ts;
		v[m->n_scts].version = version;
		m->n_scts++;
		gnutls_free(logid.data);
		gnutls_free(sig.data);
	}
out:
	if (scts != NULL)
		gnutls_x509_ext_ct_scts_deinit(scts);
	gnutls_free(ext.data);
	return rc;
}

static bool oid_known(const char *oid)
{
	for (size_t i = 0;
	     i < sizeof(known_ext_oids) / sizeof(known_ext_oids[0]); i++)
		if (strcmp(oid, known_ext_oids[i]) == 0)
			return true;
	return false;
}

static int add_ext(struct cs_cert_model *m, const char *oid, bool crit)
{
	struct cs_ext *v = realloc(m->exts, (m->n_exts + 1) * sizeof(*v));

	if (v == NULL)
		return -1;
	m->exts = v;
	memset(&v[m->n_exts], 0, sizeof(*v));
	snprintf(v[m->n_exts].oid, sizeof(v->oid), "%s", oid);
	v[m->n_exts].critical = crit;
	v[m->n_exts].known = oid_known(v[m->n_exts].oid);
	m->n_exts++;
	return 0;
}

/* cs_model_ext_each over a walked certificate: 1, or 0 when the
 * extensions are not plain DER or an OID does not read (fn not called). */
static int ext_each_raw(const struct raw_cert *r, cs_model_ext_fn fn,
			void *ctx)
{
	struct cs_tlv id, v;
	char oid[128];
	size_t pos = 0;
	bool crit;
	int more;

	/* all plain first: fn sees every extension or none */
	while ((more = model_raw_ext_next(r, &pos, &id, &v, &crit)) == 1)
		if (!cs_oid_dotted(id.val - id.hdr, id.hdr + id.len, oid,
				   sizeof(oid)))
			return 0;
	if (more < 0)
		return 0;
	pos = 0;
	while (model_raw_ext_next(r, &pos, &id, &v, &crit) == 1) {
		(void)cs_oid_dotted(id.val - id.hdr, id.hdr + id.len, oid,
				    sizeof(oid));
		if (!fn(oid, v.val, v.len, crit, ctx))
			break;
	}
	return 1;
}

/* see model.h */
int cs_model_ext_each(const unsigned char *der, size_t der_len,
		      cs_model_ext_fn fn, void *ctx)
{
	struct raw_cert r;

	if (der == NULL || model_raw_walk(der, der_len, &r) < 0)
		return 0;
	return ext_each_raw(&r, fn, ctx);
}

struct ext_list {
	struct cs_cert_model *m;
	bool nomem;
};

static bool list_one(const char *oid, const unsigned char *value, size_t len,
		     bool critical, void *ctx)
{
	struct ext_list *x = ctx;

	(void)value;
	(void)len;
	if (x->m->n_exts >= CS_MODEL_MAX_LIST)
		return false;
	if (add_ext(x->m, oid, critical) < 0) {
		x->nomem = true;
		return false;
	}
	return true;
}

static int read_exts(struct cs_cert_model *m, gnutls_x509_crt_t crt,
		     const struct raw_cert *r)
{
	struct ext_list x = {m, false};

	/* from the DER when it is plain, else from GnuTLS */
	if (r != NULL && ext_each_raw(r, list_one, &x) == 1)
		return x.nomem ? -1 : 0;
	for (unsigned i = 0; i < CS_MODEL_MAX_LIST; i++) {
		unsigned crit = 0;
		size_t size = 0;
		char *oid;
		int ret;

		ret = gnutls_x509_crt_get_extension_info(crt, i, NULL, &size,
							 &crit);
		if (ret == GNUTLS_E_REQUESTED_DATA_NOT_AVAILABLE)
			break;
		if (ret != GNUTLS_E_SHORT_MEMORY_BUFFER)
			continue;
		oid = calloc(1, size + 1);
		if (oid == NULL)
			return -1;
		ret = gnutls_x509_crt_get_extension_info(crt, i, oid, &size,
							 &crit);
		if (ret >= 0 && add_ext(m, oid, crit != 0) < 0) {
			free(oid);
			return -1;
		}
		free(oid);
	}
	return 0;
}

/* see model_int.h */
int model_read_extensions(struct cs_cert_model *m, gnutls_x509_crt_t crt,
			  const struct raw_cert *r, bool details)
{
	if (r == NULL || !model_raw_basic_constraints(m, r))
		read_basic_constraints(m, crt);
	if (details)
		read_key_usage(m, crt, r);
	if (r == NULL || !model_raw_key_ids(m, r))
		read_key_ids(m, crt);
	if (!details)
		return 0;
	if (read_eku(m, crt, r) < 0 || read_aia(m, crt, r) < 0 ||
	    read_crldp(m, crt, r) < 0 || read_policies(m, crt, r) < 0 ||
	    model_read_name_constraints(m, crt) < 0 ||
	    read_scts(m, crt, r) < 0 || read_exts(m, crt, r) < 0)
		return -1;
	for (size_t i = 0; i < m->n_exts; i++)
		if (strcmp(m->exts[i].oid, OID_EKU) == 0)
			m->has_eku = true;
	return 0;
}
