/*
 * trust_int.h - what the files of the trust store share (trust.c: the
 * store, its index and lookups; trust_load.c: reading anchors from the
 * system, the bundled store and --trust paths), not the API.
 */
#ifndef CS_TRUST_INT_H
#define CS_TRUST_INT_H

#include <stddef.h>
#include <stdint.h>
#include <gnutls/gnutls.h>

#include "error.h"
#include "input/load.h"
#include "path/trust.h"

#define CS_TRUST_MIN_BUCKETS ((size_t)256) /* power of two */
#define CS_TRUST_MAX_ANCHORS CS_MAX_ITEMS  /* anchors in one store */
#define CS_TRUST_NAME_MAX 512              /* cs_trust_source_name() */
#define CS_TRUST_PATH_MAX 256              /* remembered store paths */
#define CS_TRUST_NONE_IDX SIZE_MAX         /* end of a bucket chain */
#define CS_TRUST_KEYID_MAX 64              /* SKI / AKI bytes compared */

struct cs_anchor {
	unsigned char *der;      /* owned: exactly the Certificate TLV */
	size_t der_len;
	size_t subj_off, subj_len; /* the subject Name TLV inside der */
	size_t spki_off, spki_len; /* the SubjectPublicKeyInfo TLV */
	uint64_t hash;           /* of the subject bytes */
	size_t next;             /* next anchor in the bucket chain */
	gnutls_x509_crt_t crt;   /* owned; NULL until first needed */
	int parse_failed;        /* GnuTLS rejected der: never a candidate */
	struct cs_origin origin; /* --trust paths: where it was read (path
				    owned); system and bundled: path NULL */
};

struct cs_trust {
	struct cs_anchor *a;     /* owned array of n anchors */
	size_t n, cap;
	size_t *buckets;         /* owned; first anchor index or NONE */
	size_t nbuckets;         /* power of two */
	enum cs_trust_source source;
	char system_path[CS_TRUST_PATH_MAX];  /* "" = via the GnuTLS API */
	char bundled_path[CS_TRUST_PATH_MAX];
	char name[CS_TRUST_NAME_MAX];
	size_t failed;           /* anchors GnuTLS refused when looked up */
	struct cs_itemlist late; /* those of them read from --trust paths */
	struct cs_vcache *vcache; /* owned; made on first use (vcache.h) */
};

/* Add one certificate (trust.c): der (len bytes, the Certificate TLV) is
 * copied when own_der is 0 and taken over when it is 1; crt (may be NULL:
 * parsed later) is always taken over; origin (NULL for the system and
 * bundled stores) is copied.  1 added, 0 duplicate or not a certificate,
 * -1 out of memory / limit. */
int trust_add_der(struct cs_trust *t, unsigned char *der, size_t len,
		  int own_der, gnutls_x509_crt_t crt,
		  const struct cs_origin *origin, struct cs_error *err);

/* Rebuild the store's name from its sources (trust.c). */
void trust_update_name(struct cs_trust *t);

/* Anchor i parsed, on first use; NULL when GnuTLS refuses it (trust.c). */
gnutls_x509_crt_t trust_anchor_crt(const struct cs_trust *t, size_t i);

/* Move *it to the end of l (l owns it, *it is emptied).  0 / -1
 * (trust_load.c). */
int trust_move_item(struct cs_itemlist *l, struct cs_item *it);

#endif
