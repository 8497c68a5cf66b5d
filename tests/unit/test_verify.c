/*
 * test_verify.c - path building and checks of verify.c on testcerts/ and
 * on certificates generated here (same-name CAs, a big pool): leaf
 * selection, loops through cross-signed roots, duplicates, path length,
 * key identifier preference, --max-depth and the search budget.
 * Fixed validation time 2026-06-01T00:00:00Z.
 */
#include <arpa/inet.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>
#include <gnutls/abstract.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>
#include <gnutls/x509-ext.h>

#include "findings.h"
#include "input/load.h"
#include "path/trust.h"
#include "path/verify.h"

#define AT_2026_06_01 ((cs_time_t)1780272000)
#define DAY           86400
#define MAX_FILES     6
#define MAX_CODES     4

static void tc(char *out, size_t outsz, const char *rel)
{
	const char *d = getenv("CS_TESTCERTS");

	snprintf(out, outsz, "%s/%s", d != NULL ? d : "testcerts", rel);
}

static void load_rel(struct cs_itemlist *l, const char *rel)
{
	char path[PATH_MAX];
	struct cs_error err;

	tc(path, sizeof(path), rel);
	if (cs_load_path(l, path, NULL, &err) < 0)
		fail_msg("%s: %s", path, err.msg);
}

static struct cs_trust *trust_of(const char *const *rels)
{
	char path[PATH_MAX];
	struct cs_error err;
	struct cs_trust *t = cs_trust_new(&err);

	assert_non_null(t);
	for (; rels != NULL && *rels != NULL; rels++) {
		tc(path, sizeof(path), *rels);
		if (cs_trust_add_path(t, path, NULL, &err) < 0)
			fail_msg("%s: %s", path, err.msg);
	}
	return t;
}

static void print_findings(const struct cs_verify_result *r)
{
	size_t i;

	for (i = 0; i < r->n_findings; i++)
		print_message("#   %s [%d]: %s\n", r->findings[i].code,
			      r->findings[i].cert, r->findings[i].message);
}

/* ---- path building over testcerts/ --------------------------------- */

struct path_case {
	const char *name;
	const char *input[MAX_FILES];   /* files, in order, into the input */
	const char *anchors[MAX_FILES];
	unsigned max_depth;
	bool trusted;
	const char *codes[MAX_CODES];   /* must be reported */
	const char *absent[MAX_CODES];  /* must not be reported */
	size_t path_len;                /* 0 = not checked */
	size_t leaf_item;               /* index of the leaf in the input */
	bool store_anchor;              /* the path ends at the store's
					   anchor, not at a pool copy */
};

static const struct path_case path_cases[] = {
	/* Intermediate listed first: the leaf is the second item. */
	{.name = "out-of-order",
	 .input = {"pki/chain-out-of-order.pem"},
	 .anchors = {"pki/root-rsa.pem"},
	 .trusted = true,
	 .codes = {"chain-out-of-order"},
	 .path_len = 3, .leaf_item = 1},
	/* In order: no order finding, leaf is the first item. */
	{.name = "in-order",
	 .input = {"pki/chain-rsa.pem"},
	 .anchors = {"pki/root-rsa.pem"},
	 .trusted = true,
	 .absent = {"chain-out-of-order", "unneeded-cert"},
	 .path_len = 3, .leaf_item = 0},
	/* ee, ica, ica: the copy is reported, the path uses one. */
	{.name = "duplicates",
	 .input = {"pki/chain-duplicates.pem"},
	 .anchors = {"pki/root-rsa.pem"},
	 .trusted = true,
	 .codes = {"duplicate-cert"},
	 .absent = {"unneeded-cert"},
	 .path_len = 3},
	/* Both cross-certificates in the pool, root-new trusted: the path
	 * ends at the root-new anchor without looping. */
	{.name = "cross-pair-new-trusted",
	 .input = {"pki/ee-x.pem", "pki/root-old-by-new.pem",
		   "pki/root-new-by-old.pem", "pki/ica-x.pem"},
	 .anchors = {"pki/root-new.pem"},
	 .trusted = true,
	 .absent = {"search-limit", "expired"},
	 .path_len = 3, .store_anchor = true},
	/* Neither root trusted: the loop is cut, nothing is found. */
	{.name = "cross-pair-loop",
	 .input = {"pki/ee-x.pem", "pki/ica-x.pem",
		   "pki/root-new-by-old.pem", "pki/root-old-by-new.pem"},
	 .anchors = {"pki/root-rsa.pem"},
	 .trusted = false,
	 .codes = {"issuer-not-found"},
	 .absent = {"search-limit"}},
	/* Only the expired old root trusted: reached through
	 * root-new-by-old, and its expiry is the reason. */
	{.name = "cross-old-anchor-expired",
	 .input = {"pki/ee-x.pem", "pki/root-new-by-old.pem",
		   "pki/ica-x.pem"},
	 .anchors = {"pki/root-old.pem"},
	 .trusted = false,
	 .codes = {"expired"},
	 .absent = {"issuer-not-found"},
	 .path_len = 4},
	/* pathLenConstraint 0 on ica-pathlen0 with ica-sub below it. */
	{.name = "pathlen",
	 .input = {"pki/ee-pathlen.pem", "pki/ica-sub.pem",
		   "pki/ica-pathlen0.pem"},
	 .anchors = {"pki/root-rsa.pem"},
	 .trusted = false,
	 .codes = {"pathlen-exceeded"},
	 .path_len = 4},
	/* Leaf and intermediate are two certificates below the anchor. */
	{.name = "max-depth-1",
	 .input = {"pki/chain-rsa.pem"},
	 .anchors = {"pki/root-rsa.pem"},
	 .max_depth = 1,
	 .trusted = false,
	 .codes = {"depth-exceeded"}},
	/* ... and two are allowed with --max-depth 2. */
	{.name = "max-depth-2",
	 .input = {"pki/chain-rsa.pem"},
	 .anchors = {"pki/root-rsa.pem"},
	 .max_depth = 2,
	 .trusted = true,
	 .absent = {"depth-exceeded"},
	 .path_len = 3},
	/* The root sent along: the path ends at the anchor, no note. */
	{.name = "root-in-input",
	 .input = {"pki/fullchain-rsa.pem"},
	 .anchors = {"pki/root-rsa.pem"},
	 .trusted = true,
	 .absent = {"unneeded-cert", "untrusted-root"},
	 .path_len = 3, .store_anchor = true},
	/* An unrelated certificate in the input is named. */
	{.name = "extra",
	 .input = {"pki/chain-with-extra.pem"},
	 .anchors = {"pki/root-rsa.pem"},
	 .trusted = true,
	 .codes = {"unneeded-cert"}},
	/* Complete chain to a root that is not trusted. */
	{.name = "untrusted-root",
	 .input = {"pki/fullchain-rsa.pem"},
	 .anchors = {"pki/root-ec.pem"},
	 .trusted = false,
	 .codes = {"untrusted-root"},
	 .absent = {"issuer-not-found"},
	 .path_len = 3},
};

static void run_path_case(const struct path_case *c)
{
	struct cs_itemlist input;
	struct cs_verify_opts o;
	struct cs_verify_result r;
	struct cs_trust *t;
	struct cs_error err;
	size_t i;

	cs_itemlist_init(&input);
	for (i = 0; i < MAX_FILES && c->input[i] != NULL; i++)
		load_rel(&input, c->input[i]);
	t = trust_of(c->anchors);
	memset(&o, 0, sizeof(o));
	o.at = AT_2026_06_01;
	o.max_depth = c->max_depth;
	if (cs_verify_chain(&input, NULL, t, &o, &r, &err) < 0)
		fail_msg("%s: %s", c->name, err.msg);
	if (r.trusted != c->trusted) {
		print_findings(&r);
		fail_msg("%s: trusted %d", c->name, r.trusted);
	}
	for (i = 0; i < MAX_CODES && c->codes[i] != NULL; i++)
		if (!cs_verify_has(&r, c->codes[i])) {
			print_findings(&r);
			fail_msg("%s: no %s", c->name, c->codes[i]);
		}
	for (i = 0; i < MAX_CODES && c->absent[i] != NULL; i++)
		if (cs_verify_has(&r, c->absent[i])) {
			print_findings(&r);
			fail_msg("%s: unexpected %s", c->name, c->absent[i]);
		}
	if (c->path_len != 0)
		assert_int_equal(r.path_len, c->path_len);
	assert_int_equal(r.leaf_item, c->leaf_item);
	if (c->trusted) {
		assert_true(r.path_len >= 1);
		assert_true(r.path[r.path_len - 1].is_anchor);
	}
	if (c->store_anchor)
		assert_null(r.path[r.path_len - 1].origin);
	for (i = 0; i < r.n_findings; i++) {
		const struct cs_finding_def *d =
			cs_finding_lookup(r.findings[i].code);

		assert_non_null(d);
		assert_int_equal(d->severity, r.findings[i].severity);
		assert_true(r.findings[i].cert < (int)r.path_len);
	}
	cs_verify_result_free(&r);
	cs_trust_free(t);
	cs_itemlist_free(&input);
}

static void test_paths(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(path_cases) / sizeof(path_cases[0]); i++)
		run_path_case(&path_cases[i]);
}

/* ---- generated certificates --------------------------------------- */

struct gen {
	gnutls_x509_crt_t crt;
	gnutls_x509_privkey_t key;
};

static gnutls_x509_privkey_t new_key_on(gnutls_ecc_curve_t curve)
{
	gnutls_x509_privkey_t k;

	assert_int_equal(gnutls_x509_privkey_init(&k), 0);
	assert_int_equal(gnutls_x509_privkey_generate(k, GNUTLS_PK_ECDSA,
			GNUTLS_CURVE_TO_BITS(curve), 0), 0);
	return k;
}

static gnutls_x509_privkey_t new_key(void)
{
	return new_key_on(GNUTLS_ECC_CURVE_SECP256R1);
}

/* Names a generated certificate carries beyond its CN. */
struct extra_names {
	unsigned n_san;  /* DNS SANs "h<i>.example.test" */
	unsigned n_nc;   /* permitted DNS subtrees "p<i>.example.test",
			    the last one "example.test" */
	const char *sans[4]; /* "DNS:name" or "IP:address" */
	bool no_eku;         /* an end entity without extKeyUsage */
	bool ku_cert_sign;   /* an end entity with keyCertSign */
	bool ski_critical;   /* the SKI extension marked critical */
	const char *more_eku; /* an end entity's purpose beside serverAuth */
	bool eku_critical;    /* its extKeyUsage marked critical */
};

static gnutls_x509_crt_t make_cert_x(const char *cn,
				     gnutls_x509_privkey_t key,
				     const char *issuer_cn,
				     gnutls_x509_privkey_t ikey, bool ca,
				     unsigned serial, unsigned char ski,
				     unsigned char aki,
				     const struct extra_names *x);

/* A v3 certificate CN=cn with key, signed by ikey under the name
 * issuer_cn; ski/aki one byte each (0 = none). */
static gnutls_x509_crt_t make_cert(const char *cn, gnutls_x509_privkey_t key,
				   const char *issuer_cn,
				   gnutls_x509_privkey_t ikey, bool ca,
				   unsigned serial, unsigned char ski,
				   unsigned char aki)
{
	return make_cert_x(cn, key, issuer_cn, ikey, ca, serial, ski, aki,
			   NULL);
}

/* The last name constraints extension encoded, and its n_nc. */
static gnutls_datum_t nc_der;
static unsigned nc_der_for;

/* Add x's SANs and name constraints (critical) to crt. */
static void add_extra_names(gnutls_x509_crt_t crt,
			    const struct extra_names *x)
{
	gnutls_x509_name_constraints_t nc;
	char name[64];
	gnutls_datum_t d;
	unsigned i;

	for (i = 0; i < 4 && x->sans[i] != NULL; i++) {
		unsigned char ip[16];
		const char *v = strchr(x->sans[i], ':') + 1;
		bool is_ip = strncmp(x->sans[i], "IP:", 3) == 0;
		size_t iplen = strchr(v, ':') != NULL ? 16 : 4;

		if (is_ip)
			assert_int_equal(inet_pton(iplen == 16 ? AF_INET6
							       : AF_INET,
						   v, ip), 1);
		assert_int_equal(gnutls_x509_crt_set_subject_alt_name(crt,
				 is_ip ? GNUTLS_SAN_IPADDRESS
				       : GNUTLS_SAN_DNSNAME,
				 is_ip ? (const void *)ip : (const void *)v,
				 is_ip ? (unsigned)iplen
				       : (unsigned)strlen(v),
				 GNUTLS_FSAN_APPEND), 0);
	}
	if (x->n_san > 0) {
		gnutls_subject_alt_names_t sans;
		gnutls_datum_t der;

		/* One extension built at once: appending name by name
		 * re-encodes it each time. */
		assert_int_equal(gnutls_subject_alt_names_init(&sans), 0);
		for (i = 0; i < x->n_san; i++) {
			snprintf(name, sizeof(name), "h%u.example.test", i);
			d.data = (unsigned char *)name;
			d.size = (unsigned)strlen(name);
			assert_int_equal(gnutls_subject_alt_names_set(sans,
					 GNUTLS_SAN_DNSNAME, &d, NULL), 0);
		}
		assert_int_equal(gnutls_x509_ext_export_subject_alt_names(
					 sans, &der), 0);
		assert_int_equal(gnutls_x509_crt_set_extension_by_oid(crt,
				 "2.5.29.17", der.data, der.size, 0), 0);
		gnutls_free(der.data);
		gnutls_subject_alt_names_deinit(sans);
	}
	if (x->n_nc == 0)
		return;
	/* Encoded once per size: GnuTLS takes seconds to build 1,000
	 * extensions of 256 subtrees one by one. */
	if (nc_der_for != x->n_nc) {
		gnutls_free(nc_der.data);
		assert_int_equal(gnutls_x509_name_constraints_init(&nc), 0);
		for (i = 0; i < x->n_nc; i++) {
			snprintf(name, sizeof(name), "p%u.example.test", i);
			if (i + 1 == x->n_nc)
				snprintf(name, sizeof(name), "example.test");
			d.data = (unsigned char *)name;
			d.size = (unsigned)strlen(name);
			assert_int_equal(
				gnutls_x509_name_constraints_add_permitted(
					nc, GNUTLS_SAN_DNSNAME, &d), 0);
		}
		assert_int_equal(gnutls_x509_ext_export_name_constraints(nc,
				 &nc_der), 0);
		gnutls_x509_name_constraints_deinit(nc);
		nc_der_for = x->n_nc;
	}
	assert_int_equal(gnutls_x509_crt_set_extension_by_oid(crt,
			 "2.5.29.30", nc_der.data, nc_der.size, 1), 0);
}

static gnutls_x509_crt_t make_cert_x(const char *cn,
				     gnutls_x509_privkey_t key,
				     const char *issuer_cn,
				     gnutls_x509_privkey_t ikey, bool ca,
				     unsigned serial, unsigned char ski,
				     unsigned char aki,
				     const struct extra_names *x)
{
	gnutls_x509_crt_t crt, icrt;
	unsigned char ser[2] = {(unsigned char)(serial >> 8 | 0x10),
				(unsigned char)serial};
	char dn[128];
	const char *bad = NULL;

	assert_int_equal(gnutls_x509_crt_init(&crt), 0);
	assert_int_equal(gnutls_x509_crt_set_version(crt, 3), 0);
	assert_int_equal(gnutls_x509_crt_set_serial(crt, ser, sizeof(ser)),
			 0);
	snprintf(dn, sizeof(dn), "CN=%s", cn);
	assert_int_equal(gnutls_x509_crt_set_dn(crt, dn, &bad), 0);
	assert_int_equal(gnutls_x509_crt_set_key(crt, key), 0);
	assert_int_equal(gnutls_x509_crt_set_activation_time(crt,
			 (time_t)(AT_2026_06_01 - 30 * DAY)), 0);
	assert_int_equal(gnutls_x509_crt_set_expiration_time(crt,
			 (time_t)(AT_2026_06_01 + 30 * DAY)), 0);
	assert_int_equal(gnutls_x509_crt_set_basic_constraints(crt, ca, -1),
			 0);
	if (ca)
		assert_int_equal(gnutls_x509_crt_set_key_usage(crt,
				 GNUTLS_KEY_KEY_CERT_SIGN |
				 GNUTLS_KEY_CRL_SIGN), 0);
	else if (x == NULL || !x->no_eku)
		assert_int_equal(gnutls_x509_crt_set_key_purpose_oid(crt,
				 GNUTLS_KP_TLS_WWW_SERVER,
				 x != NULL && x->eku_critical), 0);
	if (!ca && x != NULL && x->more_eku != NULL)
		assert_int_equal(gnutls_x509_crt_set_key_purpose_oid(crt,
				 x->more_eku, x->eku_critical), 0);
	if (!ca && x != NULL && x->ku_cert_sign)
		assert_int_equal(gnutls_x509_crt_set_key_usage(crt,
				 GNUTLS_KEY_DIGITAL_SIGNATURE |
				 GNUTLS_KEY_KEY_CERT_SIGN), 0);
	if (ski && x != NULL && x->ski_critical) {
		/* SubjectKeyIdentifier ::= OCTET STRING, by hand: GnuTLS
		 * marks its own non-critical. */
		unsigned char der[3] = {0x04, 0x01, ski};

		assert_int_equal(gnutls_x509_crt_set_extension_by_oid(crt,
				 "2.5.29.14", der, sizeof(der), 1), 0);
	} else if (ski) {
		assert_int_equal(gnutls_x509_crt_set_subject_key_id(crt,
				 &ski, 1), 0);
	}
	if (aki)
		assert_int_equal(gnutls_x509_crt_set_authority_key_id(crt,
				 &aki, 1), 0);
	if (x != NULL)
		add_extra_names(crt, x);
	/* The issuer name comes from a throwaway certificate. */
	assert_int_equal(gnutls_x509_crt_init(&icrt), 0);
	snprintf(dn, sizeof(dn), "CN=%s", issuer_cn);
	assert_int_equal(gnutls_x509_crt_set_dn(icrt, dn, &bad), 0);
	assert_int_equal(gnutls_x509_crt_set_key(icrt, ikey), 0);
	assert_int_equal(gnutls_x509_crt_set_version(icrt, 3), 0);
	assert_int_equal(gnutls_x509_crt_set_serial(icrt, ser, 1), 0);
	assert_int_equal(gnutls_x509_crt_set_activation_time(icrt, 0), 0);
	assert_int_equal(gnutls_x509_crt_set_expiration_time(icrt, 1), 0);
	assert_int_equal(gnutls_x509_crt_sign2(crt, icrt, ikey,
					       GNUTLS_DIG_SHA256, 0), 0);
	gnutls_x509_crt_deinit(icrt);
	return crt;
}

/* Append crt as PEM to a buffer. */
static void add_pem(char **buf, size_t *len, gnutls_x509_crt_t crt)
{
	gnutls_datum_t d = {NULL, 0};
	char *nb;

	assert_int_equal(gnutls_x509_crt_export2(crt, GNUTLS_X509_FMT_PEM,
						 &d), 0);
	nb = realloc(*buf, *len + d.size + 1);
	assert_non_null(nb);
	memcpy(nb + *len, d.data, d.size);
	*len += d.size;
	nb[*len] = '\0';
	*buf = nb;
	gnutls_free(d.data);
	gnutls_x509_crt_deinit(crt);
}

static void load_pem(struct cs_itemlist *l, const char *buf, size_t len)
{
	struct cs_error err;

	if (cs_load_buffer(l, (const unsigned char *)buf, len, "generated",
			   NULL, 0, NULL, &err) < 0)
		fail_msg("load: %s", err.msg);
}

/*
 * Two intermediates with the same name and key but different SKIs; the
 * leaf's AKI names the second.  Both verify; the one the AKI names is
 * chosen even though the other comes first in the pool.
 */
static void test_aki_preference(void **state)
{
	gnutls_x509_privkey_t rk = new_key(), ik = new_key(), ek = new_key();
	struct cs_itemlist input, anchors_l;
	struct cs_verify_opts o;
	struct cs_verify_result r;
	struct cs_trust *t;
	struct cs_error err;
	char *pem = NULL, *root_pem = NULL, path[] = "/tmp/cs-aki-XXXXXX";
	size_t len = 0, root_len = 0;
	FILE *f;
	int fd;

	(void)state;
	cs_itemlist_init(&input);
	cs_itemlist_init(&anchors_l);
	add_pem(&pem, &len, make_cert("leaf.test", ek, "Same ICA", ik, false,
				      1, 0x31, 0x22));
	add_pem(&pem, &len, make_cert("Same ICA", ik, "Root", rk, true, 2,
				      0x21, 0x11));
	add_pem(&pem, &len, make_cert("Same ICA", ik, "Root", rk, true, 3,
				      0x22, 0x11));
	add_pem(&root_pem, &root_len, make_cert("Root", rk, "Root", rk, true,
						4, 0x11, 0x11));
	load_pem(&input, pem, len);
	assert_int_equal(input.n, 3);
	fd = mkstemp(path);
	assert_true(fd >= 0);
	f = fdopen(fd, "w");
	assert_non_null(f);
	assert_int_equal(fwrite(root_pem, 1, root_len, f), root_len);
	fclose(f);
	t = cs_trust_new(&err);
	assert_non_null(t);
	assert_int_equal(cs_trust_add_path(t, path, NULL, &err), 0);
	remove(path);

	memset(&o, 0, sizeof(o));
	o.at = AT_2026_06_01;
	o.purpose = CS_PURPOSE_ANY;
	assert_int_equal(cs_verify_chain(&input, NULL, t, &o, &r, &err), 0);
	if (!r.trusted)
		print_findings(&r);
	assert_true(r.trusted);
	assert_int_equal(r.path_len, 3);
	/* The serial of the chosen intermediate: 0x10 0x03 (third). */
	assert_string_equal(r.path[1].model.ski_hex,
			    r.path[0].model.aki_hex);
	assert_true(cs_verify_has(&r, "unneeded-cert"));
	cs_verify_result_free(&r);
	cs_trust_free(t);
	cs_itemlist_free(&input);
	cs_itemlist_free(&anchors_l);
	free(pem);
	free(root_pem);
	gnutls_x509_privkey_deinit(rk);
	gnutls_x509_privkey_deinit(ik);
	gnutls_x509_privkey_deinit(ek);
}

#define MESH_LAYERS 6
#define MESH_WIDTH  4

/*
 * A pool where every layer holds MESH_WIDTH keys and every key is
 * certified by every key of the next layer: 16 issuer candidates per
 * step, none reaching an anchor.  Exhaustive search would try about
 * 16^6 paths; the budget must stop it with search-limit.
 */
static void test_search_limit(void **state)
{
	gnutls_x509_privkey_t keys[MESH_LAYERS + 1][MESH_WIDTH];
	struct cs_itemlist input, pool;
	struct cs_verify_opts o;
	struct cs_verify_result r;
	struct cs_trust *t;
	struct cs_error err;
	char *pem = NULL, *leaf = NULL, name[32], iname[32];
	size_t len = 0, leaf_len = 0;
	unsigned l, j, k, serial = 100;
	clock_t start;

	(void)state;
	for (l = 0; l <= MESH_LAYERS; l++)
		for (j = 0; j < MESH_WIDTH; j++)
			keys[l][j] = new_key();
	add_pem(&leaf, &leaf_len, make_cert("mesh.test", keys[0][0],
					    "Layer 1", keys[1][0], false,
					    serial++, 0x01, 0x02));
	for (l = 1; l <= MESH_LAYERS; l++)
		for (j = 0; j < MESH_WIDTH; j++)
			for (k = 0; k < MESH_WIDTH; k++) {
				snprintf(name, sizeof(name), "Layer %u", l);
				snprintf(iname, sizeof(iname), "Layer %u",
					 l + 1);
				add_pem(&pem, &len,
					make_cert(name, keys[l][j], iname,
						  l < MESH_LAYERS
							  ? keys[l + 1][k]
							  : keys[0][1],
						  true, serial++, 0, 0));
			}
	cs_itemlist_init(&input);
	cs_itemlist_init(&pool);
	load_pem(&input, leaf, leaf_len);
	load_pem(&pool, pem, len);
	assert_int_equal(pool.n, MESH_LAYERS * MESH_WIDTH * MESH_WIDTH);
	t = cs_trust_new(&err);
	assert_non_null(t);
	memset(&o, 0, sizeof(o));
	o.at = AT_2026_06_01;
	o.purpose = CS_PURPOSE_ANY;
	start = clock();
	assert_int_equal(cs_verify_chain(&input, &pool, t, &o, &r, &err), 0);
	/* Bounded by the search budget (search-limit below), not a clock. */
	print_message("# mesh: %.2f s CPU\n",
		      (double)(clock() - start) / CLOCKS_PER_SEC);
	assert_false(r.trusted);
	assert_true(cs_verify_has(&r, "search-limit"));
	assert_true(cs_verify_has(&r, "issuer-not-found"));
	/* Leaf-first partial path, at least as deep as the mesh. */
	assert_true(r.path_len >= 2);
	cs_verify_result_free(&r);
	cs_trust_free(t);
	cs_itemlist_free(&input);
	cs_itemlist_free(&pool);
	free(pem);
	free(leaf);
	for (l = 0; l <= MESH_LAYERS; l++)
		for (j = 0; j < MESH_WIDTH; j++)
			gnutls_x509_privkey_deinit(keys[l][j]);
}

#define LOOKALIKES 1000

/* Write PEM text to a temporary file and make it the only anchor. */
static struct cs_trust *trust_of_pem(const char *pem, size_t len)
{
	char path[] = "/tmp/cs-anchor-XXXXXX";
	struct cs_error err;
	struct cs_trust *t;
	FILE *f;
	int fd;

	fd = mkstemp(path);
	assert_true(fd >= 0);
	f = fdopen(fd, "w");
	assert_non_null(f);
	assert_int_equal(fwrite(pem, 1, len, f), len);
	fclose(f);
	t = cs_trust_new(&err);
	assert_non_null(t);
	assert_int_equal(cs_trust_add_path(t, path, NULL, &err), 0);
	remove(path);
	return t;
}

struct lookalike_case {
	const char *name;
	bool loop;       /* look-alikes name themselves as issuer */
	bool real_last;  /* the real intermediate ends the pool */
	bool trusted;    /* expected verdict */
	bool p521;       /* look-alikes' keys on P-521, not P-256 */
	struct extra_names leaf_names, ca_names; /* look-alikes' names */
	const char *codes[MAX_CODES];
	const char *limit_has; /* in the search-limit sentence */
	size_t min_path;       /* the reported path is at least this long */
};

static const struct lookalike_case lookalike_cases[] = {
	/* 1,000 intermediates with the issuer's name but another key,
	 * the real one last: ranking by signature must still find it */
	{.name = "real-last", .real_last = true, .trusted = true},
	/* the same without the real one: every path fails its
	 * signature; the search ends within its budget */
	{.name = "none-real", .trusted = false,
	 .codes = {"search-limit"}, .limit_has = "after trying 1000 issuer"},
	/* look-alikes with keys of their own that name themselves as
	 * issuer, each signed by the next: a 1,000-wide cycle where every
	 * step ranks 999 candidates; the signature budget bounds it */
	{.name = "self-loop", .loop = true, .trusted = false,
	 .codes = {"search-limit", "issuer-not-found"}, .min_path = 3,
	 .limit_has = "(8192 signature checks)"},
	/* the same with P-521 keys, five times slower to verify: the
	 * budget counts work, so it stops after 8192 / 5 checks */
	{.name = "self-loop-p521", .loop = true, .p521 = true,
	 .trusted = false, .codes = {"search-limit", "issuer-not-found"},
	 .min_path = 2,
	 .limit_has = "(1638 signature checks, large keys counting as "
		      "several)"},
	/* look-alikes with 256 name constraints each over a leaf with
	 * 1,024 names, all allowed by the last constraint: every path
	 * costs 263,000 comparisons; the real path is still found */
	{.name = "nc-heavy", .real_last = true, .trusted = true,
	 .leaf_names = {.n_san = 1024}, .ca_names = {.n_nc = 256}},
	/* the same, none real: 1,000 paths of that cost are bounded */
	{.name = "nc-heavy-none-real", .trusted = false,
	 .leaf_names = {.n_san = 1024}, .ca_names = {.n_nc = 256},
	 .codes = {"search-limit", "bad-signature"},
	 .limit_has = "name constraint checks on them used the budget"},
};

/*
 * A pool of LOOKALIKES certificates all named "Look-alike CA" (the leaf's
 * issuer name): the search must end in bounded time whatever their shape.
 */
static void run_lookalike(const struct lookalike_case *c)
{
	gnutls_x509_privkey_t rk = new_key(), ik = new_key(), ek = new_key();
	gnutls_x509_privkey_t *fk;
	size_t nk = c->loop ? LOOKALIKES : 2;
	struct cs_itemlist input, pool;
	struct cs_verify_opts o;
	struct cs_verify_result r;
	struct cs_trust *t;
	struct cs_error err;
	char *pem = NULL, *leaf = NULL, *root = NULL;
	size_t len = 0, leaf_len = 0, root_len = 0, i, j;
	clock_t start;

	fk = calloc(nk, sizeof(*fk));
	assert_non_null(fk);
	for (i = 0; i < nk; i++)
		fk[i] = new_key_on(c->p521 ? GNUTLS_ECC_CURVE_SECP521R1
					   : GNUTLS_ECC_CURVE_SECP256R1);
	/* Key identifiers: every look-alike copies the real one's. */
	add_pem(&leaf, &leaf_len, make_cert_x("lookalike.test", ek,
					      "Look-alike CA", ik, false, 1,
					      0x31, 0x21, &c->leaf_names));
	add_pem(&root, &root_len, make_cert("Root", rk, "Root", rk, true, 2,
					    0x11, 0x11));
	for (i = 0; i < LOOKALIKES; i++)
		add_pem(&pem, &len,
			make_cert_x("Look-alike CA", fk[i % nk],
				    c->loop ? "Look-alike CA" : "Root",
				    fk[(i + 1) % nk], true,
				    (unsigned)(10 + i), 0x21,
				    c->loop ? 0x21 : 0x11, &c->ca_names));
	if (c->real_last)
		add_pem(&pem, &len, make_cert_x("Look-alike CA", ik, "Root",
						rk, true, 5000, 0x21, 0x11,
						&c->ca_names));
	cs_itemlist_init(&input);
	cs_itemlist_init(&pool);
	load_pem(&input, leaf, leaf_len);
	load_pem(&pool, pem, len);
	t = trust_of_pem(root, root_len);
	memset(&o, 0, sizeof(o));
	o.at = AT_2026_06_01;
	o.purpose = CS_PURPOSE_ANY;
	start = clock();
	assert_int_equal(cs_verify_chain(&input, &pool, t, &o, &r, &err), 0);
	/* The bound is the search budget (the search-limit finding asserted
	 * below), not a clock: timings belong in bench/, and a timed
	 * assertion fails on a slow or sanitized machine. */
	print_message("# %s: %.2f s CPU\n", c->name,
		      (double)(clock() - start) / CLOCKS_PER_SEC);
	if (r.trusted != c->trusted) {
		print_findings(&r);
		for (j = 0; j < r.path_len; j++)
			print_message("#   path[%zu] %s\n", j,
				      r.path[j].model.subject);
		fail_msg("%s: trusted %d, want %d", c->name, r.trusted,
			 c->trusted);
	}
	for (j = 0; j < MAX_CODES && c->codes[j] != NULL; j++)
		if (!cs_verify_has(&r, c->codes[j])) {
			print_findings(&r);
			fail_msg("%s: no %s", c->name, c->codes[j]);
		}
	if (r.path_len < c->min_path)
		fail_msg("%s: path of %zu, want %zu or more", c->name,
			 r.path_len, c->min_path);
	for (j = 0; c->limit_has != NULL && j < r.n_findings; j++)
		if (strcmp(r.findings[j].code, "search-limit") == 0 &&
		    strstr(r.findings[j].message, c->limit_has) == NULL)
			fail_msg("%s: '%s' lacks '%s'", c->name,
				 r.findings[j].message, c->limit_has);
	cs_verify_result_free(&r);
	cs_trust_free(t);
	cs_itemlist_free(&input);
	cs_itemlist_free(&pool);
	free(pem);
	free(leaf);
	free(root);
	gnutls_x509_privkey_deinit(rk);
	gnutls_x509_privkey_deinit(ik);
	gnutls_x509_privkey_deinit(ek);
	for (i = 0; i < nk; i++)
		gnutls_x509_privkey_deinit(fk[i]);
	free(fk);
}

static void test_lookalikes(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(lookalike_cases) /
				       sizeof(lookalike_cases[0]); i++)
		run_lookalike(&lookalike_cases[i]);
	gnutls_free(nc_der.data);
	nc_der.data = NULL;
	nc_der_for = 0;
}

/* ---- leaf profile: CA/B BR 7.1.4.3 CN copies a SAN, 7.1.2.7.10 EKU --- */

struct cn_case {
	const char *cn;
	const char *sans[4];
	const char *host;
	bool flagged; /* the finding expected (and so not trusted) */
	bool no_eku;  /* the leaf has no extKeyUsage */
	bool ku_cert_sign, ski_critical; /* see struct extra_names */
	const char *more_eku;            /* ditto */
	bool eku_critical;               /* ditto */
	enum cs_purpose purpose; /* 0: server */
	const char *code; /* NULL: "cn-not-in-san" */
};

static const struct cn_case cn_cases[] = {
	/* an exact copy of the DNS SAN */
	{.cn = "www.example.test", .sans = {"DNS:www.example.test"},
	 .host = "www.example.test", .flagged = false},
	/* a case variant of it */
	{.cn = "WWW.example.test", .sans = {"DNS:www.example.test"},
	 .host = "www.example.test", .flagged = true},
	/* another host of the SAN name's domain: misleads (BR 7.1.4.3) */
	{.cn = "other.example.test", .sans = {"DNS:www.example.test"},
	 .host = "www.example.test", .flagged = true},
	/* a CN naming something else: allowed (RFC 5280; BetterTLS) */
	{.cn = "bad.example.com", .sans = {"DNS:www.example.test"},
	 .host = "www.example.test", .flagged = false},
	/* a parent domain of the SAN name: allowed */
	{.cn = "example.test", .sans = {"DNS:www.example.test"},
	 .host = "www.example.test", .flagged = false},
	/* an exact copy of the IPv4 SAN */
	{.cn = "127.0.0.1", .sans = {"IP:127.0.0.1"},
	 .host = "127.0.0.1", .flagged = false},
	/* the same address zero-padded */
	{.cn = "127.000.000.001", .sans = {"IP:127.0.0.1"},
	 .host = "127.0.0.1", .flagged = true},
	/* the same address in hex */
	{.cn = "0x7f.0.0.1", .sans = {"IP:127.0.0.1"},
	 .host = "127.0.0.1", .flagged = true},
	/* the same address as one number */
	{.cn = "2130706433", .sans = {"IP:127.0.0.1"},
	 .host = "127.0.0.1", .flagged = true},
	/* another address: names something else, allowed */
	{.cn = "10.0.0.1", .sans = {"IP:127.0.0.1"},
	 .host = "127.0.0.1", .flagged = false},
	/* an address CN beside a DNS SAN only (BetterTLS) */
	{.cn = "127.0.0.1", .sans = {"DNS:www.example.test"},
	 .host = "www.example.test", .flagged = false},
	/* IPv6 in RFC 5952 form */
	{.cn = "2001:db8::1", .sans = {"IP:2001:db8::1"},
	 .host = "2001:db8::1", .flagged = false},
	/* IPv6 uncompressed */
	{.cn = "2001:db8:0:0:0:0:0:1", .sans = {"IP:2001:db8::1"},
	 .host = "2001:db8::1", .flagged = true},
	/* IPv6 upper case */
	{.cn = "2001:DB8::1", .sans = {"IP:2001:db8::1"},
	 .host = "2001:db8::1", .flagged = true},
	/* the exact copy is one of several SANs */
	{.cn = "127.0.0.1", .sans = {"DNS:www.example.test", "IP:127.0.0.1"},
	 .host = "127.0.0.1", .flagged = false},
	/* no EKU, a server: CA/B BR 7.1.2.7.10 wants serverAuth */
	{.cn = "www.example.test", .sans = {"DNS:www.example.test"},
	 .host = "www.example.test", .flagged = true, .no_eku = true,
	 .code = "eku-mismatch"},
	/* no EKU, any purpose: RFC 5280 4.2.1.12 allows it */
	{.cn = "www.example.test", .sans = {"DNS:www.example.test"},
	 .host = "www.example.test", .flagged = false, .no_eku = true,
	 .purpose = CS_PURPOSE_ANY, .code = "eku-mismatch"},
	/* keyCertSign without cA: RFC 5280 4.2.1.3 */
	{.cn = "www.example.test", .sans = {"DNS:www.example.test"},
	 .host = "www.example.test", .flagged = true, .ku_cert_sign = true,
	 .code = "bad-key-usage"},
	/* keyCertSign without cA, any purpose: still a MUST */
	{.cn = "www.example.test", .sans = {"DNS:www.example.test"},
	 .host = "www.example.test", .flagged = true, .ku_cert_sign = true,
	 .purpose = CS_PURPOSE_ANY, .code = "bad-key-usage"},
	/* a critical SKI: RFC 5280 4.2.1.2 */
	{.cn = "www.example.test", .sans = {"DNS:www.example.test"},
	 .host = "www.example.test", .flagged = true, .ski_critical = true,
	 .code = "bad-extension"},
	/* serverAuth and clientAuth: CA/B BR 7.1.2.7.10 allows it */
	{.cn = "www.example.test", .sans = {"DNS:www.example.test"},
	 .host = "www.example.test", .flagged = false,
	 .more_eku = GNUTLS_KP_TLS_WWW_CLIENT, .code = "eku-mismatch"},
	/* serverAuth and codeSigning: forbidden together */
	{.cn = "www.example.test", .sans = {"DNS:www.example.test"},
	 .host = "www.example.test", .flagged = true,
	 .more_eku = GNUTLS_KP_CODE_SIGNING, .code = "eku-mismatch"},
	/* serverAuth and the CT precertificate purpose (RFC 6962 3.1) */
	{.cn = "www.example.test", .sans = {"DNS:www.example.test"},
	 .host = "www.example.test", .flagged = true,
	 .more_eku = "1.3.6.1.4.1.11129.2.4.4", .code = "eku-mismatch"},
	/* serverAuth and timeStamping, any purpose: not a server check */
	{.cn = "www.example.test", .sans = {"DNS:www.example.test"},
	 .host = "www.example.test", .flagged = false,
	 .more_eku = GNUTLS_KP_TIME_STAMPING, .purpose = CS_PURPOSE_ANY,
	 .code = "eku-mismatch"},
	/* a critical extKeyUsage in a server leaf (CA/B BR 7.1.2.7.6) */
	{.cn = "www.example.test", .sans = {"DNS:www.example.test"},
	 .host = "www.example.test", .flagged = true, .eku_critical = true,
	 .code = "bad-extension"},
	/* with serverAuth, a server */
	{.cn = "www.example.test", .sans = {"DNS:www.example.test"},
	 .host = "www.example.test", .flagged = false, .code = "eku-mismatch"},
};

static void test_cn_in_san(void **state)
{
	gnutls_x509_privkey_t rk = new_key(), ek = new_key();
	char *root = NULL;
	size_t root_len = 0;
	struct cs_trust *t;

	(void)state;
	add_pem(&root, &root_len, make_cert("Root", rk, "Root", rk, true, 1,
					    0x11, 0x11));
	t = trust_of_pem(root, root_len);
	for (size_t i = 0; i < sizeof(cn_cases) / sizeof(cn_cases[0]); i++) {
		const struct cn_case *c = &cn_cases[i];
		struct extra_names x = {0};
		struct cs_itemlist input;
		struct cs_verify_opts o;
		struct cs_verify_result r;
		struct cs_error err;
		char *pem = NULL;
		size_t len = 0;

		const char *code = c->code != NULL ? c->code
						   : "cn-not-in-san";

		memcpy(x.sans, c->sans, sizeof(x.sans));
		x.no_eku = c->no_eku;
		x.ku_cert_sign = c->ku_cert_sign;
		x.ski_critical = c->ski_critical;
		x.more_eku = c->more_eku;
		x.eku_critical = c->eku_critical;
		add_pem(&pem, &len, make_cert_x(c->cn, ek, "Root", rk, false,
						(unsigned)(10 + i), 0x31,
						0x11, &x));
		cs_itemlist_init(&input);
		load_pem(&input, pem, len);
		memset(&o, 0, sizeof(o));
		o.at = AT_2026_06_01;
		o.purpose = c->purpose ? c->purpose : CS_PURPOSE_SERVER;
		o.host = c->host;
		assert_int_equal(cs_verify_chain(&input, NULL, t, &o, &r,
						 &err), 0);
		if (cs_verify_has(&r, code) != c->flagged ||
		    r.trusted == c->flagged) {
			print_findings(&r);
			fail_msg("row %zu, CN '%s': %s %d trusted %d, want %d",
				 i, c->cn, code, cs_verify_has(&r, code),
				 r.trusted, c->flagged);
		}
		cs_verify_result_free(&r);
		cs_itemlist_free(&input);
		free(pem);
	}
	cs_trust_free(t);
	free(root);
	gnutls_x509_privkey_deinit(rk);
	gnutls_x509_privkey_deinit(ek);
}

/* ---- CA profile of anchors and intermediates (RFC 5280 4.2.1) ------- */

/* One extension given as DER, added to a generated certificate. */
struct raw_ext {
	const char *oid;       /* NULL: none */
	unsigned char der[96];
	size_t len;
	bool critical;
};

struct profile_case {
	const char *name;
	enum cs_trust_source source; /* how the store was filled */
	bool root_no_ski;     /* the root has no subject key identifier */
	bool root_bc_plain;   /* its basicConstraints is not critical */
	bool anchor_crossed;  /* the anchor is a CA certified by another
				 root, without AKI, and trusted itself */
	struct raw_ext ica_ext; /* on an intermediate between them */
	struct raw_ext root_ext; /* on the self-signed root */
	bool trusted;         /* expected verdict */
	const char *code;     /* expected finding, or NULL for none */
	enum cs_severity sev; /* its severity */
};

/* basicConstraints cA TRUE; policyConstraints requireExplicitPolicy 3;
 * inhibitAnyPolicy 0. */
#define DER_BC_CA  {0x30, 0x03, 0x01, 0x01, 0xff}
#define DER_PC     {0x30, 0x03, 0x80, 0x01, 0x03}
#define DER_IAP    {0x02, 0x01, 0x00}
#define DER_AKI_ISSUER {0x30, 0x1b, 0x80, 0x01, 0x11, 0xa1, 0x13, 0xa4, \
			0x11, 0x30, 0x0f, 0x31, 0x0d, 0x30, 0x0b, 0x06, \
			0x03, 0x55, 0x04, 0x03, 0x0c, 0x04, 'R', 'o', 'o', \
			't', 0x82, 0x01, 0x01}

static const struct profile_case profile_cases[] = {
	/* a conforming root: the control row */
	{.name = "control", .source = CS_TRUST_FILES, .trusted = true},
	/* a --trust root without SKI: RFC 5280 4.2.1.2 MUST */
	{.name = "root-no-ski", .source = CS_TRUST_FILES, .root_no_ski = true,
	 .code = "missing-ski", .sev = CS_SEV_ERROR},
	/* the same root from the system store: reported, not fatal */
	{.name = "root-no-ski-system", .source = CS_TRUST_SYSTEM,
	 .root_no_ski = true, .trusted = true, .code = "missing-ski",
	 .sev = CS_SEV_WARNING},
	/* a --trust root with non-critical basicConstraints (4.2.1.9) */
	{.name = "root-bc-plain", .source = CS_TRUST_FILES,
	 .root_bc_plain = true, .code = "bc-not-critical",
	 .sev = CS_SEV_ERROR},
	/* the same from the bundled store */
	{.name = "root-bc-plain-bundled", .source = CS_TRUST_BUNDLED,
	 .root_bc_plain = true, .trusted = true, .code = "bc-not-critical",
	 .sev = CS_SEV_WARNING},
	/* a --trust root whose AKI names its issuer and serial (CA/B BR
	 * 7.1.2.1.3): keyIdentifier 0x11, issuer CN=Root, serial 1 */
	{.name = "root-aki-issuer", .source = CS_TRUST_FILES,
	 .root_ext = {"2.5.29.35", DER_AKI_ISSUER, 29, false},
	 .code = "bad-extension", .sev = CS_SEV_ERROR},
	/* a --trust root whose AKI has no keyIdentifier (BR 7.1.2.1.3) */
	{.name = "root-aki-empty", .source = CS_TRUST_FILES,
	 .root_ext = {"2.5.29.35", {0x30, 0x00}, 2, false},
	 .code = "bad-extension", .sev = CS_SEV_ERROR},
	/* the same root in the system store (QuoVadis Root CA 2 is one) */
	{.name = "root-aki-issuer-system", .source = CS_TRUST_SYSTEM,
	 .root_ext = {"2.5.29.35", DER_AKI_ISSUER, 29, false},
	 .trusted = true, .code = "bad-extension", .sev = CS_SEV_WARNING},
	/* a cross-certified CA trusted as anchor, no AKI (4.2.1.1) */
	{.name = "anchor-crossed-no-aki", .source = CS_TRUST_FILES,
	 .anchor_crossed = true, .code = "missing-aki", .sev = CS_SEV_ERROR},
	/* an intermediate with non-critical policyConstraints (4.2.1.11),
	 * even under the system store */
	{.name = "ica-pc-plain", .source = CS_TRUST_SYSTEM,
	 .ica_ext = {"2.5.29.36", DER_PC, 5, false},
	 .code = "bad-extension", .sev = CS_SEV_ERROR},
	/* non-critical inhibitAnyPolicy (4.2.1.14) */
	{.name = "ica-iap-plain", .source = CS_TRUST_FILES,
	 .ica_ext = {"2.5.29.54", DER_IAP, 3, false},
	 .code = "bad-extension", .sev = CS_SEV_ERROR},
	/* a key usage BIT STRING cut short: not "no key usage" */
	{.name = "ica-ku-undecodable", .source = CS_TRUST_FILES,
	 .ica_ext = {"2.5.29.15", {0x03, 0x02, 0x01}, 3, false},
	 .code = "bad-extension", .sev = CS_SEV_ERROR},
	/* an extended key usage with an empty OID: not "any purpose" */
	{.name = "ica-eku-undecodable", .source = CS_TRUST_SYSTEM,
	 .ica_ext = {"2.5.29.37", {0x30, 0x02, 0x06, 0x00}, 4, false},
	 .code = "bad-extension", .sev = CS_SEV_ERROR},
	/* certificate policies that are not a SEQUENCE OF PolicyInfo */
	{.name = "ica-policies-undecodable", .source = CS_TRUST_FILES,
	 .ica_ext = {"2.5.29.32", {0x04, 0x01, 0x00}, 3, false},
	 .code = "bad-extension", .sev = CS_SEV_ERROR},
	/* critical policyConstraints: not processed, so not accepted
	 * unchecked (RFC 5280 4.2) */
	{.name = "ica-pc-critical", .source = CS_TRUST_FILES,
	 .ica_ext = {"2.5.29.36", DER_PC, 5, true},
	 .code = "unknown-critical-extension", .sev = CS_SEV_ERROR},
};

/* A CA certificate CN=cn, key, signed by ikey as issuer_cn, with a
 * SKI/AKI of one byte each (0: none), basicConstraints critical or not,
 * an optional extra extension, and key usage ku (0: keyCertSign and
 * cRLSign). */
static gnutls_x509_crt_t make_ca_raw(const char *cn, gnutls_x509_privkey_t key,
				     const char *issuer_cn,
				     gnutls_x509_privkey_t ikey,
				     unsigned serial, unsigned char ski,
				     unsigned char aki, bool bc_critical,
				     const struct raw_ext *x, unsigned ku)
{
	static const unsigned char bc[] = DER_BC_CA;
	unsigned char ser[2] = {0x20, (unsigned char)serial};
	gnutls_x509_crt_t crt, icrt;
	const char *bad = NULL;
	char dn[128];

	assert_int_equal(gnutls_x509_crt_init(&crt), 0);
	assert_int_equal(gnutls_x509_crt_set_version(crt, 3), 0);
	assert_int_equal(gnutls_x509_crt_set_serial(crt, ser, sizeof(ser)),
			 0);
	snprintf(dn, sizeof(dn), "CN=%s", cn);
	assert_int_equal(gnutls_x509_crt_set_dn(crt, dn, &bad), 0);
	assert_int_equal(gnutls_x509_crt_set_key(crt, key), 0);
	assert_int_equal(gnutls_x509_crt_set_activation_time(crt,
			 (time_t)(AT_2026_06_01 - 30 * DAY)), 0);
	assert_int_equal(gnutls_x509_crt_set_expiration_time(crt,
			 (time_t)(AT_2026_06_01 + 30 * DAY)), 0);
	/* By hand: GnuTLS always marks its own basicConstraints critical. */
	assert_int_equal(gnutls_x509_crt_set_extension_by_oid(crt,
			 "2.5.29.19", bc, sizeof(bc), bc_critical ? 1 : 0),
			 0);
	assert_int_equal(gnutls_x509_crt_set_key_usage(crt, ku != 0 ? ku :
			 GNUTLS_KEY_KEY_CERT_SIGN | GNUTLS_KEY_CRL_SIGN), 0);
	if (ski)
		assert_int_equal(gnutls_x509_crt_set_subject_key_id(crt, &ski,
								    1), 0);
	if (aki)
		assert_int_equal(gnutls_x509_crt_set_authority_key_id(crt,
								      &aki,
								      1), 0);
	if (x != NULL && x->oid != NULL)
		assert_int_equal(gnutls_x509_crt_set_extension_by_oid(crt,
				 x->oid, x->der, x->len,
				 x->critical ? 1 : 0), 0);
	/* The issuer name comes from a throwaway certificate. */
	assert_int_equal(gnutls_x509_crt_init(&icrt), 0);
	snprintf(dn, sizeof(dn), "CN=%s", issuer_cn);
	assert_int_equal(gnutls_x509_crt_set_dn(icrt, dn, &bad), 0);
	assert_int_equal(gnutls_x509_crt_set_key(icrt, ikey), 0);
	assert_int_equal(gnutls_x509_crt_set_version(icrt, 3), 0);
	assert_int_equal(gnutls_x509_crt_set_serial(icrt, ser, 1), 0);
	assert_int_equal(gnutls_x509_crt_set_activation_time(icrt, 0), 0);
	assert_int_equal(gnutls_x509_crt_set_expiration_time(icrt, 1), 0);
	assert_int_equal(gnutls_x509_crt_sign2(crt, icrt, ikey,
					       GNUTLS_DIG_SHA256, 0), 0);
	gnutls_x509_crt_deinit(icrt);
	return crt;
}

static void run_profile_case(const struct profile_case *c, unsigned serial)
{
	gnutls_x509_privkey_t rk = new_key(), xk = new_key(), ik = new_key(),
			      ek = new_key();
	struct extra_names names = {.sans = {"DNS:www.example.test"}};
	struct cs_itemlist input, pool;
	struct cs_verify_opts o;
	struct cs_verify_result r;
	struct cs_trust *t;
	struct cs_error err;
	char *anchor = NULL, *leaf = NULL, *mid = NULL;
	size_t alen = 0, llen = 0, mlen = 0, j;
	bool found = false;

	if (c->anchor_crossed) {
		/* "Root" certified by "Other Root", no AKI, trusted. */
		add_pem(&anchor, &alen, make_ca_raw("Root", rk, "Other Root",
						    xk, serial, 0x11, 0, true,
						    NULL, 0));
	} else {
		add_pem(&anchor, &alen, make_ca_raw("Root", rk, "Root", rk,
						    serial,
						    c->root_no_ski ? 0 : 0x11,
						    0, !c->root_bc_plain,
						    &c->root_ext, 0));
	}
	add_pem(&mid, &mlen, make_ca_raw("Mid CA", ik, "Root", rk,
					 serial + 1, 0x21, 0x11, true,
					 &c->ica_ext, 0));
	add_pem(&leaf, &llen, make_cert_x("www.example.test", ek, "Mid CA",
					  ik, false, serial + 2, 0x31, 0x21,
					  &names));
	t = trust_of_pem(anchor, alen);
	cs_trust_set_source(t, c->source);
	cs_itemlist_init(&input);
	cs_itemlist_init(&pool);
	load_pem(&input, leaf, llen);
	load_pem(&pool, mid, mlen);
	memset(&o, 0, sizeof(o));
	o.at = AT_2026_06_01;
	o.host = "www.example.test";
	assert_int_equal(cs_verify_chain(&input, &pool, t, &o, &r, &err), 0);
	for (j = 0; j < r.n_findings; j++)
		if (c->code != NULL &&
		    strcmp(r.findings[j].code, c->code) == 0 &&
		    r.findings[j].severity == c->sev)
			found = true;
	if (r.trusted != c->trusted || found != (c->code != NULL) ||
	    r.path_len != 3) {
		print_findings(&r);
		fail_msg("%s: trusted %d (want %d), %s with severity %d %s, "
			 "path of %zu", c->name, r.trusted, c->trusted,
			 c->code ? c->code : "-", (int)c->sev,
			 found ? "found" : "missing", r.path_len);
	}
	cs_verify_result_free(&r);
	cs_trust_free(t);
	cs_itemlist_free(&input);
	cs_itemlist_free(&pool);
	free(anchor);
	free(mid);
	free(leaf);
	gnutls_x509_privkey_deinit(rk);
	gnutls_x509_privkey_deinit(xk);
	gnutls_x509_privkey_deinit(ik);
	gnutls_x509_privkey_deinit(ek);
}

static void test_ca_profile(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(profile_cases) / sizeof(profile_cases[0]);
	     i++)
		run_profile_case(&profile_cases[i], (unsigned)(40 + 4 * i));
}

/* ---- name constraint forms and directoryName subtrees ------------ */

#define NC_MAX_SUBTREES 3

/* One GeneralSubtree: which list, GeneralName tag and its content.
 * For TAG_DIRNAME the content is an RFC 4514 string made into DER. */
struct nc_subtree {
	unsigned char list;    /* 0xa0 permitted, 0xa1 excluded; 0: end */
	unsigned char tag;     /* 0x81 rfc822, 0x82 DNS, 0x87 IP, 0xa4 DN */
	const char *text;      /* DNS, e-mail, or DN string */
	unsigned char ip[16];  /* IP: address and mask */
	size_t iplen;
};

#define TAG_DIRNAME 0xa4

struct ncform_case {
	const char *name;
	struct nc_subtree nc[NC_MAX_SUBTREES];
	const char *subject;   /* leaf subject DN */
	const char *san_dn;    /* a directoryName SAN, or NULL */
	const char *san_dns;   /* a DNS SAN, or NULL */
	bool trusted;
	const char *code;      /* expected finding, NULL for none */
};

static const struct ncform_case ncform_cases[] = {
	/* permitted CN=foo: subject and SAN directoryName inside */
	{.name = "dn-permitted", .nc = {{0xa0, TAG_DIRNAME, "CN=foo"}},
	 .subject = "CN=foo", .san_dn = "CN=foo", .trusted = true},
	/* the subject outside, the SAN inside: both are checked */
	{.name = "dn-permitted-subject-out",
	 .nc = {{0xa0, TAG_DIRNAME, "CN=foo"}}, .subject = "CN=not-foo",
	 .san_dn = "CN=foo", .code = "name-constraint-violation"},
	/* the subject inside, the SAN outside */
	{.name = "dn-permitted-san-out",
	 .nc = {{0xa0, TAG_DIRNAME, "CN=foo"}}, .subject = "CN=foo",
	 .san_dn = "CN=not-foo", .code = "name-constraint-violation"},
	/* excluded CN=foo, subject in another letter case (RFC 5280 7.1) */
	{.name = "dn-excluded-case", .nc = {{0xa1, TAG_DIRNAME, "CN=foo"}},
	 .subject = "CN=FOO", .code = "name-constraint-violation"},
	/* excluded: the SAN directoryName matches */
	{.name = "dn-excluded-san", .nc = {{0xa1, TAG_DIRNAME, "CN=foo"}},
	 .subject = "CN=bar", .san_dn = "CN=foo",
	 .code = "name-constraint-violation"},
	/* excluded, nothing matches */
	{.name = "dn-excluded-none", .nc = {{0xa1, TAG_DIRNAME, "CN=foo"}},
	 .subject = "CN=bar", .san_dn = "CN=baz", .trusted = true},
	/* a subtree is a prefix of RDNs: O=Org holds CN=x,O=Org */
	{.name = "dn-prefix", .nc = {{0xa0, TAG_DIRNAME, "O=Org"}},
	 .subject = "CN=x,O=Org", .trusted = true},
	/* ... but not O=Other */
	{.name = "dn-prefix-other", .nc = {{0xa0, TAG_DIRNAME, "O=Org"}},
	 .subject = "CN=x,O=Other", .code = "name-constraint-violation"},
	/* a DNS subtree with a leading period is malformed (4.2.1.10) */
	{.name = "dns-leading-dot", .nc = {{0xa0, 0x82, ".example.com"}},
	 .subject = "CN=x", .san_dns = "www.example.com",
	 .code = "bad-extension"},
	/* ... so is a wildcard */
	{.name = "dns-wildcard", .nc = {{0xa0, 0x82, "*.example.com"}},
	 .subject = "CN=x", .san_dns = "www.example.com",
	 .code = "bad-extension"},
	/* an excluded IPv4 subtree without a mask */
	{.name = "ip-no-mask", .nc = {{0xa1, 0x87, NULL, {10, 0, 0, 1}, 4}},
	 .subject = "CN=x", .san_dns = "www.example.com",
	 .code = "bad-extension"},
	/* a mask whose ones are not contiguous */
	{.name = "ip-mask-holes",
	 .nc = {{0xa0, 0x87, NULL, {10, 0, 0, 0, 255, 0, 255, 0}, 8}},
	 .subject = "CN=x", .san_dns = "www.example.com",
	 .code = "bad-extension"},
	/* an e-mail subtree with two '@' */
	{.name = "email-two-at", .nc = {{0xa1, 0x81, "a@b@example.com"}},
	 .subject = "CN=x", .san_dns = "www.example.com",
	 .code = "bad-extension"},
	/* a well-formed DNS subtree and a name inside it: the control */
	{.name = "dns-ok", .nc = {{0xa0, 0x82, "example.com"},
				  {0xa0, 0x87, NULL,
				   {10, 0, 0, 0, 255, 255, 0, 0}, 8}},
	 .subject = "CN=x", .san_dns = "www.example.com", .trusted = true},
};

/* Append a DER TLV (short or one/two-byte long form) to buf at *n. */
static void put_tlv(unsigned char *buf, size_t cap, size_t *n,
		    unsigned char tag, const unsigned char *v, size_t len)
{
	size_t hdr = len < 0x80 ? 2 : len < 0x100 ? 3 : 4;

	assert_true(*n + hdr + len <= cap);
	buf[(*n)++] = tag;
	if (len >= 0x100) {
		buf[(*n)++] = 0x82;
		buf[(*n)++] = (unsigned char)(len >> 8);
	} else if (len >= 0x80) {
		buf[(*n)++] = 0x81;
	}
	buf[(*n)++] = (unsigned char)len;
	memmove(buf + *n, v, len);
	*n += len;
}

/* The DER Name of an RFC 4514 string, through GnuTLS. */
static size_t dn_der(const char *dn, unsigned char *out, size_t cap)
{
	gnutls_x509_crt_t crt;
	gnutls_datum_t d;
	const char *bad = NULL;
	size_t n;

	assert_int_equal(gnutls_x509_crt_init(&crt), 0);
	assert_int_equal(gnutls_x509_crt_set_dn(crt, dn, &bad), 0);
	assert_int_equal(gnutls_x509_crt_get_raw_dn(crt, &d), 0);
	n = d.size;
	assert_true(n <= cap);
	memcpy(out, d.data, n);
	gnutls_free(d.data);
	gnutls_x509_crt_deinit(crt);
	return n;
}

/* A GeneralName TLV for (tag, text or ip) into out. */
static size_t general_name(unsigned char tag, const char *text,
			   const unsigned char *ip, size_t iplen,
			   unsigned char *out, size_t cap)
{
	unsigned char v[256];
	size_t n = 0, vl;

	if (tag == TAG_DIRNAME) {
		vl = dn_der(text, v, sizeof(v));
		put_tlv(out, cap, &n, tag, v, vl);
	} else if (tag == 0x87) {
		put_tlv(out, cap, &n, tag, ip, iplen);
	} else {
		put_tlv(out, cap, &n, tag, (const unsigned char *)text,
			strlen(text));
	}
	return n;
}

static void run_ncform(const struct ncform_case *c, unsigned serial)
{
	gnutls_x509_privkey_t rk = new_key(), ik = new_key(), ek = new_key();
	unsigned char lists[2][512], trees[512], one[300], sub[320];
	unsigned char san[512], names[512];
	size_t ln[2] = {0, 0}, tn = 0, on, sn, an = 0, nn = 0, j;
	struct raw_ext nc = {.oid = "2.5.29.30", .critical = true};
	struct cs_itemlist input, pool;
	struct cs_verify_opts o;
	struct cs_verify_result r;
	struct cs_trust *t;
	struct cs_error err;
	gnutls_x509_crt_t leaf;
	char *anchor = NULL, *mid = NULL, *lpem = NULL;
	size_t alen = 0, mlen = 0, llen = 0;
	unsigned char ser[2] = {0x30, (unsigned char)serial};
	const char *bad = NULL;
	gnutls_x509_crt_t icrt;

	for (j = 0; j < NC_MAX_SUBTREES && c->nc[j].list != 0; j++) {
		const struct nc_subtree *st = &c->nc[j];
		size_t w = st->list == 0xa0 ? 0 : 1;

		on = general_name(st->tag, st->text, st->ip, st->iplen, one,
				  sizeof(one));
		sn = 0;
		put_tlv(sub, sizeof(sub), &sn, 0x30, one, on);
		assert_true(ln[w] + sn <= sizeof(lists[w]));
		memcpy(lists[w] + ln[w], sub, sn);
		ln[w] += sn;
	}
	for (j = 0; j < 2; j++)
		if (ln[j] > 0)
			put_tlv(trees, sizeof(trees), &tn,
				(unsigned char)(0xa0 + j), lists[j], ln[j]);
	put_tlv(nc.der, sizeof(nc.der), &nc.len, 0x30, trees, tn);
	add_pem(&anchor, &alen, make_ca_raw("Root", rk, "Root", rk, serial,
					    0x11, 0, true, NULL, 0));
	add_pem(&mid, &mlen, make_ca_raw("Mid CA", ik, "Root", rk,
					 serial + 1, 0x21, 0x11, true, &nc,
					 0));
	/* The leaf: subject, SAN by hand (directoryName and/or DNS). */
	if (c->san_dn != NULL)
		nn += general_name(TAG_DIRNAME, c->san_dn, NULL, 0,
				   names + nn, sizeof(names) - nn);
	if (c->san_dns != NULL)
		nn += general_name(0x82, c->san_dns, NULL, 0, names + nn,
				   sizeof(names) - nn);
	put_tlv(san, sizeof(san), &an, 0x30, names, nn);
	assert_int_equal(gnutls_x509_crt_init(&leaf), 0);
	assert_int_equal(gnutls_x509_crt_set_version(leaf, 3), 0);
	assert_int_equal(gnutls_x509_crt_set_serial(leaf, ser, 2), 0);
	assert_int_equal(gnutls_x509_crt_set_dn(leaf, c->subject, &bad), 0);
	assert_int_equal(gnutls_x509_crt_set_key(leaf, ek), 0);
	assert_int_equal(gnutls_x509_crt_set_activation_time(leaf,
			 (time_t)(AT_2026_06_01 - 30 * DAY)), 0);
	assert_int_equal(gnutls_x509_crt_set_expiration_time(leaf,
			 (time_t)(AT_2026_06_01 + 30 * DAY)), 0);
	assert_int_equal(gnutls_x509_crt_set_key_purpose_oid(leaf,
			 GNUTLS_KP_TLS_WWW_SERVER, 0), 0);
	ser[0] = 0x21;
	assert_int_equal(gnutls_x509_crt_set_authority_key_id(leaf, ser, 1),
			 0);
	if (nn > 0)
		assert_int_equal(gnutls_x509_crt_set_extension_by_oid(leaf,
				 "2.5.29.17", san, an, 0), 0);
	assert_int_equal(gnutls_x509_crt_init(&icrt), 0);
	assert_int_equal(gnutls_x509_crt_set_dn(icrt, "CN=Mid CA", &bad), 0);
	assert_int_equal(gnutls_x509_crt_set_key(icrt, ik), 0);
	assert_int_equal(gnutls_x509_crt_set_version(icrt, 3), 0);
	assert_int_equal(gnutls_x509_crt_set_serial(icrt, ser, 1), 0);
	assert_int_equal(gnutls_x509_crt_set_activation_time(icrt, 0), 0);
	assert_int_equal(gnutls_x509_crt_set_expiration_time(icrt, 1), 0);
	assert_int_equal(gnutls_x509_crt_sign2(leaf, icrt, ik,
					       GNUTLS_DIG_SHA256, 0), 0);
	gnutls_x509_crt_deinit(icrt);
	add_pem(&lpem, &llen, leaf);

	t = trust_of_pem(anchor, alen);
	cs_trust_set_source(t, CS_TRUST_FILES);
	cs_itemlist_init(&input);
	cs_itemlist_init(&pool);
	load_pem(&input, lpem, llen);
	load_pem(&pool, mid, mlen);
	memset(&o, 0, sizeof(o));
	o.at = AT_2026_06_01;
	o.purpose = CS_PURPOSE_ANY;
	assert_int_equal(cs_verify_chain(&input, &pool, t, &o, &r, &err), 0);
	if (r.trusted != c->trusted || r.path_len != 3 ||
	    (c->code != NULL && !cs_verify_has(&r, c->code))) {
		print_findings(&r);
		fail_msg("%s: trusted %d (want %d), %s %s, path of %zu",
			 c->name, r.trusted, c->trusted,
			 c->code ? c->code : "-",
			 c->code && cs_verify_has(&r, c->code) ? "found"
							       : "missing",
			 r.path_len);
	}
	cs_verify_result_free(&r);
	cs_trust_free(t);
	cs_itemlist_free(&input);
	cs_itemlist_free(&pool);
	free(anchor);
	free(mid);
	free(lpem);
	gnutls_x509_privkey_deinit(rk);
	gnutls_x509_privkey_deinit(ik);
	gnutls_x509_privkey_deinit(ek);
}

static void test_nc_forms(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(ncform_cases) / sizeof(ncform_cases[0]);
	     i++)
		run_ncform(&ncform_cases[i], (unsigned)(100 + 4 * i));
}

/* ---- CRLs given with --crl (RFC 5280 6.3.3) ---------------------- */

#define MAX_CRLS 2

struct crl_spec {
	bool present;
	bool other_key;      /* signed by a key that is not the root's */
	bool other_issuer;   /* issued by another root, "Other Root" */
	bool lists_leaf;     /* the leaf's serial is on it */
	bool no_number;      /* without cRLNumber (RFC 5280 5.2.3) */
	long this_days, next_days; /* thisUpdate, nextUpdate from the
				      validation time, in days */
};

struct crl_case {
	const char *name;
	struct crl_spec crls[MAX_CRLS];
	unsigned root_ku;    /* 0: keyCertSign and cRLSign */
	bool trusted;
	const char *code;    /* expected finding, NULL for none */
	enum cs_severity sev;
};

static const struct crl_case crl_cases[] = {
	/* a current CRL that does not list the leaf */
	{.name = "current", .crls = {{.present = true, .this_days = -1,
				      .next_days = 30}},
	 .trusted = true},
	/* a current CRL that lists it */
	{.name = "listed", .crls = {{.present = true, .lists_leaf = true,
				     .this_days = -1, .next_days = 30}},
	 .code = "revoked", .sev = CS_SEV_ERROR},
	/* the only CRL is past its nextUpdate: status unknown */
	{.name = "expired", .crls = {{.present = true, .this_days = -60,
				      .next_days = -30}},
	 .code = "crl-expired", .sev = CS_SEV_ERROR},
	/* the only CRL is dated after the validation time */
	{.name = "future", .crls = {{.present = true, .this_days = 1,
				     .next_days = 30}},
	 .code = "crl-not-yet-valid", .sev = CS_SEV_ERROR},
	/* an expired CRL listing the leaf: still revoked */
	{.name = "expired-listed", .crls = {{.present = true,
					     .lists_leaf = true,
					     .this_days = -60,
					     .next_days = -30}},
	 .code = "revoked", .sev = CS_SEV_ERROR},
	/* no cRLNumber */
	{.name = "no-number", .crls = {{.present = true, .no_number = true,
					.this_days = -1, .next_days = 30}},
	 .code = "crl-unverifiable", .sev = CS_SEV_ERROR},
	/* the root's name, another key (RFC 5280 6.3.3 (g)) */
	{.name = "other-key", .crls = {{.present = true, .other_key = true,
					.this_days = -1, .next_days = 30}},
	 .code = "crl-unverifiable", .sev = CS_SEV_ERROR},
	/* the root's key usage lacks cRLSign (RFC 5280 6.3.3 (f)) */
	{.name = "no-crlsign", .crls = {{.present = true, .this_days = -1,
					 .next_days = 30}},
	 .root_ku = GNUTLS_KEY_KEY_CERT_SIGN,
	 .code = "crl-unverifiable", .sev = CS_SEV_ERROR},
	/* one stale CRL and one current: the current one decides */
	{.name = "stale-and-current",
	 .crls = {{.present = true, .this_days = -60, .next_days = -30},
		  {.present = true, .this_days = -1, .next_days = 30}},
	 .trusted = true, .code = "crl-expired", .sev = CS_SEV_WARNING},
	/* another issuer's CRL lists the same serial: says nothing */
	{.name = "other-issuer",
	 .crls = {{.present = true, .other_issuer = true, .lists_leaf = true,
		   .this_days = -1, .next_days = 30}},
	 .trusted = true},
};

static void add_crl_pem(struct cs_itemlist *l, const struct crl_spec *s,
			gnutls_x509_crt_t issuer, gnutls_x509_privkey_t key,
			const unsigned char *serial, size_t serial_len)
{
	static const unsigned char number[] = {0x01};
	gnutls_x509_crl_t crl;
	gnutls_datum_t d = {NULL, 0};

	assert_int_equal(gnutls_x509_crl_init(&crl), 0);
	assert_int_equal(gnutls_x509_crl_set_version(crl, 2), 0);
	assert_int_equal(gnutls_x509_crl_set_this_update(crl,
			 (time_t)(AT_2026_06_01 + s->this_days * DAY)), 0);
	assert_int_equal(gnutls_x509_crl_set_next_update(crl,
			 (time_t)(AT_2026_06_01 + s->next_days * DAY)), 0);
	if (s->lists_leaf)
		assert_int_equal(gnutls_x509_crl_set_crt_serial(crl, serial,
				 serial_len,
				 (time_t)(AT_2026_06_01 - 2 * DAY)), 0);
	if (!s->no_number)
		assert_int_equal(gnutls_x509_crl_set_number(crl, number,
							    sizeof(number)),
				 0);
	assert_int_equal(gnutls_x509_crl_sign2(crl, issuer, key,
					       GNUTLS_DIG_SHA256, 0), 0);
	assert_int_equal(gnutls_x509_crl_export2(crl, GNUTLS_X509_FMT_PEM,
						 &d), 0);
	load_pem(l, (const char *)d.data, d.size);
	gnutls_free(d.data);
	gnutls_x509_crl_deinit(crl);
}

static void run_crl_case(const struct crl_case *c, unsigned serial)
{
	gnutls_x509_privkey_t rk = new_key(), ok = new_key(), ek = new_key();
	struct extra_names names = {.sans = {"DNS:www.example.test"}};
	gnutls_x509_crt_t root, other, leaf;
	struct cs_itemlist input, crls;
	struct cs_verify_opts o;
	struct cs_verify_result r;
	struct cs_trust *t;
	struct cs_error err;
	unsigned char ser[32];
	size_t ser_len = sizeof(ser), j;
	char *anchor = NULL, *lpem = NULL;
	size_t alen = 0, llen = 0;
	bool found = false;

	root = make_ca_raw("Root", rk, "Root", rk, serial, 0x11, 0, true,
			   NULL, c->root_ku);
	other = make_ca_raw("Other Root", ok, "Other Root", ok, serial + 1,
			    0x12, 0, true, NULL, 0);
	leaf = make_cert_x("www.example.test", ek, "Root", rk, false,
			   serial + 2, 0x31, 0x11, &names);
	assert_int_equal(gnutls_x509_crt_get_serial(leaf, ser, &ser_len), 0);
	cs_itemlist_init(&crls);
	for (j = 0; j < MAX_CRLS; j++) {
		const struct crl_spec *s = &c->crls[j];

		if (!s->present)
			continue;
		/* other_key: Root's name (from its certificate), Other
		 * Root's key. */
		add_crl_pem(&crls, s, s->other_issuer ? other : root,
			    s->other_issuer || s->other_key ? ok : rk, ser,
			    ser_len);
	}
	add_pem(&anchor, &alen, root);
	add_pem(&anchor, &alen, other);
	add_pem(&lpem, &llen, leaf);
	t = trust_of_pem(anchor, alen);
	cs_trust_set_source(t, CS_TRUST_FILES);
	cs_itemlist_init(&input);
	load_pem(&input, lpem, llen);
	memset(&o, 0, sizeof(o));
	o.at = AT_2026_06_01;
	o.host = "www.example.test";
	o.crls = &crls;
	assert_int_equal(cs_verify_chain(&input, NULL, t, &o, &r, &err), 0);
	for (j = 0; j < r.n_findings; j++)
		if (c->code != NULL &&
		    strcmp(r.findings[j].code, c->code) == 0 &&
		    r.findings[j].severity == c->sev)
			found = true;
	if (r.trusted != c->trusted || found != (c->code != NULL)) {
		print_findings(&r);
		fail_msg("%s: trusted %d (want %d), %s %s", c->name,
			 r.trusted, c->trusted, c->code ? c->code : "-",
			 found ? "found" : "missing");
	}
	cs_verify_result_free(&r);
	cs_trust_free(t);
	cs_itemlist_free(&input);
	cs_itemlist_free(&crls);
	free(anchor);
	free(lpem);
	gnutls_x509_privkey_deinit(rk);
	gnutls_x509_privkey_deinit(ok);
	gnutls_x509_privkey_deinit(ek);
}

static void test_crls(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(crl_cases) / sizeof(crl_cases[0]); i++)
		run_crl_case(&crl_cases[i], (unsigned)(160 + 4 * i));
}

/* Every code in the table is kebab-case, unique and looked up. */
static void test_findings_table(void **state)
{
	size_t i, j;

	(void)state;
	for (i = 0; i < cs_finding_defs_count; i++) {
		const char *c = cs_finding_defs[i].code;

		assert_true(strspn(c, "abcdefghijklmnopqrstuvwxyz-") ==
			    strlen(c));
		assert_non_null(cs_finding_defs[i].summary);
		for (j = i + 1; j < cs_finding_defs_count; j++)
			assert_string_not_equal(c, cs_finding_defs[j].code);
		assert_ptr_equal(cs_finding_lookup(c), &cs_finding_defs[i]);
	}
	assert_null(cs_finding_lookup("no-such-code"));
	assert_string_equal(cs_severity_name(CS_SEV_ERROR), "error");
}

/* No certificate in the input is an error, not a verdict. */
static void test_empty_input(void **state)
{
	struct cs_itemlist input;
	struct cs_verify_opts o;
	struct cs_verify_result r;
	struct cs_error err;

	(void)state;
	cs_itemlist_init(&input);
	memset(&o, 0, sizeof(o));
	assert_int_equal(cs_verify_chain(&input, NULL, NULL, &o, &r, &err),
			 -1);
	assert_int_equal(err.code, CS_E_EMPTY);
	cs_verify_result_free(&r);
	cs_verify_result_free(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_findings_table),
		cmocka_unit_test(test_empty_input),
		cmocka_unit_test(test_paths),
		cmocka_unit_test(test_aki_preference),
		cmocka_unit_test(test_search_limit),
		cmocka_unit_test(test_lookalikes),
		cmocka_unit_test(test_cn_in_san),
		cmocka_unit_test(test_ca_profile),
		cmocka_unit_test(test_nc_forms),
		cmocka_unit_test(test_crls),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
