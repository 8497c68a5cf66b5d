/* see pem.h */
#include "input/pem.h"

#include <string.h>

static const char begin_tag[] = "-----BEGIN ";
static const char end_tag[] = "-----END ";
static const char dashes[] = "-----";
#define BEGIN_LEN (sizeof(begin_tag) - 1)
#define END_LEN (sizeof(end_tag) - 1)
#define DASHES_LEN (sizeof(dashes) - 1)

/* memmem() that reports an offset; returns LEN when not found. */
static size_t find(const unsigned char *data, size_t len, size_t from,
		   const char *needle, size_t nlen)
{
	size_t i;

	/* memchr to each candidate first byte, then compare: needles are at
	 * most 11 bytes, so this stays linear (and gcc 12 with
	 * -fsanitize=undefined misreports memmem here).  Every needle starts
	 * with '-', which base64 never holds: a body is skipped at memchr's
	 * speed. */
	for (i = from; i < len && len - i >= nlen; i++) {
		const unsigned char *c = memchr(data + i, needle[0],
						len - i - nlen + 1);

		if (c == NULL)
			break;
		i = (size_t)(c - data);
		if (memcmp(data + i, needle, nlen) == 0)
			return i;
	}
	return len;
}

/* Offset of the first CR or LF at or after FROM, or LEN. */
static size_t eol(const unsigned char *data, size_t len, size_t from)
{
	while (from < len && data[from] != '\n' && data[from] != '\r')
		from++;
	return from;
}

/* Offset just after the line break that starts at FROM (if any). */
static size_t skip_eol(const unsigned char *data, size_t len, size_t from)
{
	if (from < len && data[from] == '\r')
		from++;
	if (from < len && data[from] == '\n')
		from++;
	return from;
}

/* RFC 7468 section 3: labels are printable ASCII (and spaces). */
static int label_ok(const unsigned char *p, size_t n)
{
	size_t i;

	if (n == 0 || n > CS_PEM_MAX_LABEL)
		return 0;
	for (i = 0; i < n; i++)
		if (p[i] < 0x20 || p[i] > 0x7e || p[i] == '-')
			return 0;
	return 1;
}

void cs_pem_scan_init(struct cs_pem_scan *s, const unsigned char *data,
		      size_t len, size_t start)
{
	s->data = data;
	s->len = len;
	s->pos = start < len ? start : len;
	s->line_pos = 0;
	s->line = 1;
}

size_t cs_pem_line_at(struct cs_pem_scan *s, size_t offset)
{
	size_t i;

	if (offset > s->len)
		offset = s->len;
	/* A lone CR is a line break (old Mac files); CRLF counts once, at
	 * its LF.  Counting forward only keeps the whole scan linear; memchr
	 * jumps from one break to the next. */
	for (i = s->line_pos; i < offset; i++) {
		const unsigned char *n = memchr(s->data + i, '\n', offset - i);
		const unsigned char *r = memchr(s->data + i, '\r',
						(n ? (size_t)(n - s->data) :
						 offset) - i);

		if (r != NULL) {
			i = (size_t)(r - s->data);
			if (i + 1 >= s->len || s->data[i + 1] != '\n')
				s->line++;
		} else if (n != NULL) {
			i = (size_t)(n - s->data);
			s->line++;
		} else {
			break;
		}
	}
	if (offset > s->line_pos)
		s->line_pos = offset;
	return s->line;
}

int cs_pem_has_begin(const unsigned char *data, size_t len)
{
	return find(data, len, 0, begin_tag, BEGIN_LEN) < len;
}

int cs_pem_next(struct cs_pem_scan *s, struct cs_pem_block *blk)
{
	const unsigned char *d = s->data;
	size_t len = s->len;
	size_t at, lab, lab_end, line_end, body, end, next, elab, elab_end;

	memset(blk, 0, sizeof(*blk));
	at = find(d, len, s->pos, begin_tag, BEGIN_LEN);
	if (at >= len) {
		s->pos = len;
		return 0;
	}
	blk->begin = at;
	blk->line = cs_pem_line_at(s, at);
	lab = at + BEGIN_LEN;
	line_end = eol(d, len, lab);
	lab_end = find(d, line_end, lab, dashes, DASHES_LEN);
	blk->label = lab;
	if (lab_end >= line_end || !label_ok(d + lab, lab_end - lab)) {
		blk->status = CS_PEM_BAD_BEGIN;
		blk->label_len = line_end - lab;
		s->pos = lab;
		return 1;
	}
	blk->label_len = lab_end - lab;
	body = skip_eol(d, len, line_end);
	blk->body = body;
	blk->body_line = cs_pem_line_at(s, body);

	end = find(d, len, body, end_tag, END_LEN);
	next = find(d, len, body, begin_tag, BEGIN_LEN);
	if (end >= len || next < end) {
		/* The block runs into the next one or the end of the data:
		 * resume at the next BEGIN so later blocks still load. */
		blk->status = CS_PEM_NO_END;
		blk->body_len = next - body;
		s->pos = next;
		return 1;
	}
	blk->body_len = end - body;
	elab = end + END_LEN;
	line_end = eol(d, len, elab);
	elab_end = find(d, line_end, elab, dashes, DASHES_LEN);
	if (elab_end >= line_end || elab_end - elab != blk->label_len ||
	    memcmp(d + elab, d + lab, blk->label_len) != 0) {
		blk->status = CS_PEM_BAD_END;
		s->pos = elab;
		return 1;
	}
	blk->status = CS_PEM_OK;
	s->pos = elab_end + DASHES_LEN;
	return 1;
}

size_t cs_pem_decoded_max(size_t len)
{
	return len / 4 * 3 + 3;
}

/* Symbol values (RFC 4648 section 4); B64_BAD for the rest. */
#define B64_BAD 0xff
#define B64_ROW(c) B64_BAD, B64_BAD, B64_BAD, B64_BAD, B64_BAD, B64_BAD, \
	B64_BAD, B64_BAD, B64_BAD, B64_BAD, B64_BAD, B64_BAD, B64_BAD,   \
	B64_BAD, B64_BAD, B64_BAD
static const unsigned char b64_values[256] = {
	B64_ROW(0), B64_ROW(1),
	/* 0x20: '+' = 62, '/' = 63 */
	B64_BAD, B64_BAD, B64_BAD, B64_BAD, B64_BAD, B64_BAD, B64_BAD,
	B64_BAD, B64_BAD, B64_BAD, B64_BAD, 62, B64_BAD, B64_BAD, B64_BAD,
	63,
	/* 0x30: '0'-'9' = 52-61 */
	52, 53, 54, 55, 56, 57, 58, 59, 60, 61, B64_BAD, B64_BAD, B64_BAD,
	B64_BAD, B64_BAD, B64_BAD,
	/* 0x40: 'A'-'O' = 0-14 */
	B64_BAD, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14,
	/* 0x50: 'P'-'Z' = 15-25 */
	15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, B64_BAD, B64_BAD,
	B64_BAD, B64_BAD, B64_BAD,
	/* 0x60: 'a'-'o' = 26-40 */
	B64_BAD, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40,
	/* 0x70: 'p'-'z' = 41-51 */
	41, 42, 43, 44, 45, 46, 47, 48, 49, 50, 51, B64_BAD, B64_BAD,
	B64_BAD, B64_BAD, B64_BAD,
	B64_ROW(8), B64_ROW(9), B64_ROW(10), B64_ROW(11), B64_ROW(12),
	B64_ROW(13), B64_ROW(14), B64_ROW(15),
};

static int b64_value(unsigned char c)
{
	return b64_values[c] == B64_BAD ? -1 : b64_values[c];
}

static int is_space(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/*
 * RFC 1421 section 4.4 / RFC 7468 section 2: a body may start with
 * "Name: value" header lines ended by a blank line.  Returns the offset
 * of the base64 text proper.
 */
static size_t skip_headers(const unsigned char *in, size_t len)
{
	size_t i = 0, e;

	while (i < len && is_space(in[i]))
		i++;
	e = eol(in, len, i);
	if (!memchr(in + i, ':', e - i))
		return 0;
	/* Skip lines until an empty one. */
	while (i < len) {
		e = eol(in, len, i);
		if (e == i)
			return skip_eol(in, len, e);
		i = skip_eol(in, len, e);
	}
	return len;
}

/* Emit the bytes of a final group of 2 or 3 symbols (RFC 4648 s. 4). */
static size_t b64_tail(unsigned long acc, size_t quad, unsigned char *out)
{
	if (quad == 2) {
		out[0] = (unsigned char)(acc >> 4);
		return 1;
	}
	out[0] = (unsigned char)(acc >> 10);
	out[1] = (unsigned char)(acc >> 2);
	return 2;
}

int cs_pem_base64_decode(const unsigned char *in, size_t len,
			 unsigned char *out, size_t *out_len, size_t *bad_at)
{
	unsigned long acc = 0;
	size_t i, n = 0, quad = 0, pad = 0, pad_max = 0;
	int v;

	*out_len = 0;
	for (i = skip_headers(in, len); i < len; i++) {
		/* Whole groups of four symbols at once while there are
		 * (every line of a body but its last) */
		while (quad == 0 && pad == 0 && len - i >= 4) {
			unsigned a = b64_values[in[i]], b = b64_values[in[i + 1]],
				 c = b64_values[in[i + 2]],
				 d = b64_values[in[i + 3]];

			if (((a | b | c | d) & 0xc0) != 0) /* B64_BAD */
				break;
			out[n++] = (unsigned char)(a << 2 | b >> 4);
			out[n++] = (unsigned char)(b << 4 | c >> 2);
			out[n++] = (unsigned char)(c << 6 | d);
			i += 4;
		}
		if (i >= len)
			break;
		if (is_space(in[i]))
			continue;
		if (in[i] == '=') {
			/* Padding completes a group of 2 or 3 symbols and
			 * ends the data (RFC 4648 section 4). */
			if (pad == 0) {
				if (quad < 2)
					goto bad;
				n += b64_tail(acc, quad, out + n);
				pad_max = 4 - quad;
				quad = 0;
			} else if (pad >= pad_max) {
				goto bad;
			}
			pad++;
			continue;
		}
		v = b64_value(in[i]);
		if (v < 0 || pad > 0)
			goto bad;
		acc = (acc << 6) | (unsigned long)v;
		if (++quad == 4) {
			out[n++] = (unsigned char)(acc >> 16);
			out[n++] = (unsigned char)(acc >> 8);
			out[n++] = (unsigned char)acc;
			acc = 0;
			quad = 0;
		}
	}
	/* RFC 7468 section 3 lets a lax parser accept missing padding; a
	 * single symbol left over cannot encode a byte. */
	if (quad == 1) {
		i = len;
		goto bad;
	}
	if (quad > 1)
		n += b64_tail(acc, quad, out + n);
	*out_len = n;
	return 0;
bad:
	*bad_at = i;
	return -1;
}
