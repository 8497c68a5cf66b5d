/*
 * load_int.h - what the loader's files share; internal to input/ (other
 * stages use load.h).
 *
 * The loader is split by concern: load.c (detection by content, DER and
 * PEM buffers, files, stdin), items.c (the item list; importing and
 * appending items), pkcs7.c, pkcs12.c, walk.c (directory trees) and
 * elements.c (the element count against CS_MAX_CERT_ELEMENTS).  A struct
 * load_ctx travels between them: which list the items go to, under what
 * name, and where a fatal error goes.
 *
 * Every function here that returns int returns 0 when the item (or an
 * error item in its place) was appended, and -1 with *c->err set only on
 * a fatal error (out of memory, the CS_MAX_ITEMS limit, a GnuTLS init
 * failure): a malformed input is never fatal.
 */
#ifndef CS_LOAD_INT_H
#define CS_LOAD_INT_H

#include <stddef.h>
#include <sys/stat.h>

#include "error.h"
#include "input/load.h"

/* DER identifier octets (X.690 section 8.1.2). */
#define TAG_INTEGER  0x02
#define TAG_OCTETS   0x04
#define TAG_OID      0x06
#define TAG_UTCTIME  0x17
#define TAG_GENTIME  0x18
#define TAG_SEQUENCE 0x30
#define TAG_CTX0     0xa0

/* Where an item sits in its file (copied into its struct cs_origin). */
struct load_pos {
	size_t offset;
	size_t line;
	enum cs_format fmt;
};

/* One buffer or file being loaded into a list. */
struct load_ctx {
	struct cs_itemlist *list;
	const struct cs_load_opts *opts;
	const char *name;            /* borrowed */
	const unsigned char *data;   /* borrowed */
	size_t len;
	size_t index;                /* items appended for this buffer */
	size_t max_items;
	struct cs_error *err;        /* fatal errors only */
	const char *other;           /* static: what a PEM block that is not
					ours was ("a private key, ..."), to
					say so when nothing else is found */
};

/* items.c */

/* A context for loading into LIST under NAME (borrowed); opts may be
 * NULL. */
void load_ctx_init(struct load_ctx *c, struct cs_itemlist *list,
		   const struct cs_load_opts *opts, const char *name,
		   struct cs_error *err);

/* Append one error item for one malformed item at AT. */
int load_push_error(struct load_ctx *c, const struct load_pos *at, int code,
		    int lib_code, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

/* Append one error item that describes a whole file (index 0). */
int load_push_file_error(struct load_ctx *c, int code, int sys_errno,
			 const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* " (line N)" / " (offset N)" / "" into BUF, so messages name the
 * position; returns BUF. */
const char *load_where(const struct load_pos *at, char *buf, size_t size);

/* Import one certificate (DER borrowed, copied) and append it; checked
 * against CS_MAX_CERT_ELEMENTS first. */
int load_push_cert(struct load_ctx *c, const unsigned char *der, size_t len,
		   const struct load_pos *at);

/* Import one CRL (DER borrowed, copied) and append it. */
int load_push_crl(struct load_ctx *c, const unsigned char *der, size_t len,
		  const struct load_pos *at);

/* pkcs7.c: the certificates and CRLs of an RFC 2315 signedData bundle. */
int load_p7(struct load_ctx *c, const unsigned char *der, size_t len,
	    const struct load_pos *at);

/* pkcs12.c: every CERTIFICATE and CRL bag of an RFC 7292 PFX, decrypting
 * as needed with c->opts->password. */
int load_p12(struct load_ctx *c, const unsigned char *der, size_t len,
	     const struct load_pos *at);

/* load.c: one file (or stdin for "-").  IN_TREE: found while walking a
 * directory, so a file with nothing loadable is only counted.  Returns
 * as cs_load_path(). */
int load_file(struct cs_itemlist *list, const char *path,
	      const struct cs_load_opts *opts, int in_tree,
	      struct cs_error *err);

/* walk.c: the directory tree at PATH (ST its stat), in name order.
 * Returns as cs_load_path(). */
int load_dir(struct cs_itemlist *list, const char *path,
	     const struct stat *st, const struct cs_load_opts *opts,
	     struct cs_error *err);

/* walk.c: as load_dir(), handing each file's items to fn (cs_load_each);
 * list collects what is not a file's (a directory's errors) and is
 * handed to fn too, whenever it holds something. */
int load_dir_each(struct cs_itemlist *list, const char *path,
		  const struct stat *st, const struct cs_load_opts *opts,
		  cs_load_each_fn fn, void *ctx, struct cs_error *err);

#endif
