/*
 * pem.h - PEM block scanner and base64 decoder (internal to load.c).
 *
 * Pure functions over a borrowed buffer: bytes in, spans out.  Follows the
 * textual encoding of RFC 7468: blocks may be surrounded by arbitrary
 * text, lines end in LF, CRLF or a lone CR, and the buffer may hold NUL
 * bytes (searches never stop at NUL).
 *
 * Does not: allocate, decide which labels matter (load.c does), or
 * interpret RFC 1421 encapsulated headers beyond skipping them.
 */
#ifndef CS_PEM_H
#define CS_PEM_H

#include <stddef.h>

/* RFC 7468 section 3 labels are short; anything longer is not a label. */
#define CS_PEM_MAX_LABEL 64

enum cs_pem_status {
	CS_PEM_OK = 0,
	CS_PEM_BAD_BEGIN, /* "-----BEGIN " not followed by LABEL----- */
	CS_PEM_NO_END,    /* no END line before the next BEGIN or EOF */
	CS_PEM_BAD_END,   /* END line malformed or with another label */
};

struct cs_pem_block {
	enum cs_pem_status status;
	size_t begin;      /* offset of "-----BEGIN " */
	size_t line;       /* 1-based line number of the BEGIN line */
	size_t label;      /* offset of the label (BAD_BEGIN: of the text) */
	size_t label_len;  /* BAD_BEGIN: length of the rest of the line */
	size_t body;       /* offset of the first byte after the BEGIN line */
	size_t body_len;   /* bytes up to the END line (or next BEGIN/EOF) */
	size_t body_line;  /* 1-based line number of the first body byte */
};

/* Scanner state; all fields private to pem.c. */
struct cs_pem_scan {
	const unsigned char *data; /* borrowed */
	size_t len;
	size_t pos;      /* where the next search starts */
	size_t line_pos; /* line is the line number of offset line_pos */
	size_t line;
};

/* Start scanning DATA (borrowed for the scanner's lifetime) at START. */
void cs_pem_scan_init(struct cs_pem_scan *s, const unsigned char *data,
		      size_t len, size_t start);

/*
 * Find the next "-----BEGIN " and describe its block in *blk.
 * Returns 1 when a block (of any status) was found, 0 at the end.
 */
int cs_pem_next(struct cs_pem_scan *s, struct cs_pem_block *blk);

/* 1-based line number of OFFSET (>= the scanner's last position). */
size_t cs_pem_line_at(struct cs_pem_scan *s, size_t offset);

/* 1 if DATA holds "-----BEGIN " anywhere, else 0. */
int cs_pem_has_begin(const unsigned char *data, size_t len);

/* Upper bound of the decoded size of LEN base64 characters. */
size_t cs_pem_decoded_max(size_t len);

/*
 * Decode the base64 body IN (whitespace and RFC 1421 header lines are
 * skipped) into OUT, which must hold cs_pem_decoded_max(len) bytes.
 * Returns 0 and sets *out_len, or -1 and sets *bad_at to the offset in
 * IN of the first offending character (LEN when the text ends mid-way).
 */
int cs_pem_base64_decode(const unsigned char *in, size_t len,
			 unsigned char *out, size_t *out_len, size_t *bad_at);

#endif
