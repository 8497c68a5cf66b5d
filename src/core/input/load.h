/*
 * load.h - bytes in, certificates and CRLs out.
 *
 * Detects the format by content, never by file name: PEM (any number of
 * blocks, prose around and between them, CRLF, UTF-8 BOM, CERTIFICATE,
 * X509 CERTIFICATE, TRUSTED CERTIFICATE, X509 CRL, PKCS7 blocks), DER
 * certificates (several back to back are split by their outer length),
 * DER CRLs, PKCS#7 (PEM or DER) and PKCS#12.
 *
 * Every item remembers its origin.  One malformed item becomes one
 * CS_ITEM_ERROR entry in the list and loading goes on with the next item
 * and the next file: callers print each error and still show the rest.
 *
 * Does not: decide trust, print, read the environment (the PKCS#12
 * password is passed in), or follow symbolic links out of a tree more
 * than CS_MAX_DIR_DEPTH deep.
 */
#ifndef CS_LOAD_H
#define CS_LOAD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <gnutls/x509.h>

#include "error.h"

/* Hard limits against hostile input. */
#define CS_MAX_FILE_BYTES ((size_t)64 * 1024 * 1024) /* one input file */
#define CS_MAX_ITEMS      ((size_t)100000)           /* items in one list */
#define CS_MAX_DIR_DEPTH  32                         /* directory recursion */
#define CS_MAX_DIR_FILES  ((size_t)100000)           /* files in one tree */
/* DER elements in one certificate, its extension values included.  GnuTLS
 * decodes every element into a libtasn1 node at import (the whole
 * subjectAltName too), about 750 bytes and 3 us each, before we see any:
 * 455,902 names cost 1.4 s and 344 MB.  16,384 elements take 16,000
 * names or so, far beyond any issued certificate. */
#define CS_MAX_CERT_ELEMENTS ((uint64_t)16384)
/* Nesting levels of DER any walk of the core descends (the element count,
 * `certscope asn1`): deeper is refused, so 50,000 nested SEQUENCEs cost
 * nothing; no PKIX structure nests half as deep. */
#define CS_MAX_DER_DEPTH 32

/*
 * Count the DER elements of a certificate (every TLV, constructed ones
 * with their contents, extension values with theirs) before handing it
 * to GnuTLS.  0 when within CS_MAX_CERT_ELEMENTS; otherwise -1 and a
 * sentence in why naming the count and the part that holds most of it.
 * Bytes that are not a certificate pass (0): the import says what is
 * wrong with them.
 */
int cs_cert_check_elements(const unsigned char *der, size_t len, char *why,
			   size_t whysz);

enum cs_format {
	CS_FMT_UNKNOWN = 0,
	CS_FMT_PEM,
	CS_FMT_DER,
	CS_FMT_PKCS7,     /* DER PKCS#7 */
	CS_FMT_PKCS7_PEM, /* PKCS7 inside a PEM block */
	CS_FMT_PKCS12,
	CS_FMT_NET,       /* received from a TLS peer */
};

/* "PEM", "DER", "PKCS#7", "PKCS#7 (PEM)", "PKCS#12", "TLS" */
const char *cs_format_name(enum cs_format fmt);

struct cs_origin {
	char *path;         /* owned; "-" for stdin */
	size_t index;       /* 1-based position of the item within its file */
	size_t line;        /* PEM: 1-based line of the BEGIN line, else 0 */
	size_t offset;      /* byte offset of the item in the file */
	enum cs_format format;
};

enum cs_item_kind {
	CS_ITEM_CERT,
	CS_ITEM_CRL,
	CS_ITEM_ERROR, /* err says what is wrong; origin says where */
};

struct cs_item {
	enum cs_item_kind kind;
	struct cs_origin origin;
	gnutls_x509_crt_t crt;  /* owned; CS_ITEM_CERT only */
	gnutls_x509_crl_t crl;  /* owned; CS_ITEM_CRL only */
	unsigned char *der;     /* owned copy of the DER (certs and CRLs) */
	size_t der_len;
	struct cs_error err;    /* CS_ITEM_ERROR only */
};

struct cs_itemlist {
	struct cs_item *items; /* owned array of n items */
	size_t n, cap;
	size_t files_read;     /* files that held at least one item */
	size_t files_skipped;  /* files in directories that held none */
};

struct cs_load_opts {
	const char *password;  /* PKCS#12 password, borrowed; NULL = none */
	size_t max_file_bytes; /* 0 = CS_MAX_FILE_BYTES */
	size_t max_items;      /* 0 = CS_MAX_ITEMS */
	bool defer_import;     /* certificates are checked for size and
				  element count and kept as DER with crt
				  NULL; cs_cert_import() when one is needed
				  (the trust store decodes only the anchors
				  it looks up) */
	bool skip_seen_files;  /* directory trees: a file reached again by
				  another name (a symbolic link) is not read
				  again, as a directory is never read twice */
};

/*
 * Import one certificate's DER (borrowed) into a new *crt exactly as the
 * loader does: its size and element count first, then GnuTLS.  Returns
 * 0; -1 when the certificate is refused, with *err holding the message
 * the loader gives such an item (CS_E_LIMIT, or CS_E_PARSE "not a
 * certificate: GnuTLS says: ...", ending with o's line or offset; o may
 * be NULL); -2 when GnuTLS could not allocate (CS_E_INTERNAL).  *crt is
 * NULL unless 0 is returned.
 */
CS_MUST_CHECK int cs_cert_import(gnutls_x509_crt_t *crt,
				 const unsigned char *der, size_t len,
				 const struct cs_origin *o,
				 struct cs_error *err);

/*
 * Read the whole of PATH ("-" = stdin) into a new buffer (*buf, owned by
 * the caller; NULL when empty or on failure), at most MAX bytes (0 =
 * CS_MAX_FILE_BYTES).  Returns 0, or -1 with *err: CS_E_IO with the
 * system's reason (and sys_errno), CS_E_LIMIT naming the size and the
 * limit.  The loader reads every file with it.
 */
CS_MUST_CHECK int cs_load_read_file(const char *path, size_t max,
				    unsigned char **buf, size_t *len,
				    struct cs_error *err);

/* Initialise an empty list. */
void cs_itemlist_init(struct cs_itemlist *list);

/* Free every item and the array; the list is left empty. NULL is fine. */
void cs_itemlist_free(struct cs_itemlist *list);

/* Number of items of a kind in the list. */
size_t cs_itemlist_count(const struct cs_itemlist *list,
			 enum cs_item_kind kind);

/*
 * Load PATH ("-" = stdin, a file, or a directory searched recursively)
 * and append what it holds to *list.  A file named directly that holds
 * nothing loadable, or cannot be read, becomes an error item; files found
 * in a directory that hold nothing are skipped and counted.
 *
 * Returns 0 when everything was appended (even if some items are error
 * items), -1 with *err only when the list itself cannot grow (out of
 * memory, CS_MAX_ITEMS).
 */
CS_MUST_CHECK int cs_load_path(struct cs_itemlist *list, const char *path,
			       const struct cs_load_opts *opts,
			       struct cs_error *err);

/*
 * As cs_load_path(), one file at a time: each file's items (and each
 * error about a file or directory) are handed to fn in a list of their
 * own, which is freed when fn returns; so a tree of any size is read in
 * the memory of its largest file.  The list's files_read and
 * files_skipped count that file.  fn returns 0 to go on, -1 to stop (its
 * reason in *err).  Returns 0, or -1 with *err.
 */
typedef int (*cs_load_each_fn)(void *ctx, struct cs_itemlist *items,
			       struct cs_error *err);
CS_MUST_CHECK int cs_load_each(const char *path,
			       const struct cs_load_opts *opts,
			       cs_load_each_fn fn, void *ctx,
			       struct cs_error *err);

/*
 * Parse a buffer already in memory, as if read from a file called NAME
 * (borrowed, copied into each origin).  Appends items to *list.
 * Returns as cs_load_path().  If the buffer holds nothing loadable, one
 * error item (CS_E_EMPTY) is appended unless QUIET_EMPTY is set, in which
 * case *found is 0 and nothing is appended.  found may be NULL.
 */
CS_MUST_CHECK int cs_load_buffer(struct cs_itemlist *list,
				 const unsigned char *data, size_t len,
				 const char *name,
				 const struct cs_load_opts *opts, int quiet_empty,
				 size_t *found, struct cs_error *err);

#endif
