/*
 * escape.c - untrusted bytes made safe for a terminal and for JSON.
 *
 * A certificate name is attacker-chosen: ESC sequences move the cursor or
 * retitle the terminal, U+202E reorders what follows, a newline forges a
 * report line, a '|' splits Nagios perfdata.  Every such byte becomes a
 * visible escape; everything else (printable ASCII, well-formed UTF-8)
 * passes unchanged so that real names still read naturally.
 */
#include "escape.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The longest escape one input byte or code point can become: "\u202e". */
#define ESC_MAX_EXPANSION 6

/*
 * Length of the well-formed UTF-8 sequence at s (RFC 3629 section 4),
 * 0 if the bytes there are not one: overlong forms, surrogates
 * (U+D800..DFFF), code points above U+10FFFF and truncated sequences
 * are all rejected.  *cp receives the code point.
 */
static size_t utf8_seq(const unsigned char *s, size_t len, uint32_t *cp)
{
	uint32_t c;
	size_t n;
	uint32_t min;

	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		n = 2;
		c = s[0] & 0x1f;
		min = 0x80;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		n = 3;
		c = s[0] & 0x0f;
		min = 0x800;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		n = 4;
		c = s[0] & 0x07;
		min = 0x10000;
	} else {
		return 0;
	}
	if (len < n)
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (s[i] & 0x3f);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return n;
}

/* Unicode bidirectional formatting characters (UAX #9): they reorder
 * the text around them, so "evil\u202egnp.exe" reads as "evilexe.png". */
static bool is_bidi_control(uint32_t cp)
{
	return cp == 0x200e || cp == 0x200f || cp == 0x061c ||
	       (cp >= 0x202a && cp <= 0x202e) ||
	       (cp >= 0x2066 && cp <= 0x2069);
}

static size_t put_simple(char *o, unsigned char c)
{
	static const char hex[] = "0123456789abcdef";

	switch (c) {
	case '\n': memcpy(o, "\\n", 2); return 2;
	case '\r': memcpy(o, "\\r", 2); return 2;
	case '\t': memcpy(o, "\\t", 2); return 2;
	default:
		o[0] = '\\';
		o[1] = 'x';
		o[2] = hex[c >> 4];
		o[3] = hex[c & 15];
		return 4;
	}
}

/* The Prometheus text format knows only the escapes \\, \" and \n in a
 * label value: any other escape just written at o (k bytes) gets its
 * backslash doubled, so the value reads as the visible text "\x1b". */
static size_t label_safe(char *o, size_t k, enum cs_escape_mode mode)
{
	if (mode != CS_ESC_LABEL || (k == 2 && o[1] == 'n'))
		return k;
	memmove(o + 1, o, k);
	o[0] = '\\';
	return k + 1;
}

/* RFC 4514 2.4: the characters a DN string escapes with a backslash
 * ("O=The Go Daddy Group\, Inc."), printed escaped as GnuTLS and openssl
 * print them; but not the backslash itself: an escaped backslash stays
 * doubled, so every pair of backslashes on screen is one backslash of the
 * input and the output reads back without doubt. */
static bool rfc4514_special(unsigned char c)
{
	return c != '\0' && strchr(",+\"<>;=# ", c) != NULL;
}

char *cs_escape(const char *s, size_t len, enum cs_escape_mode mode)
{
	const unsigned char *in = (const unsigned char *)s;
	char *out;
	size_t o = 0;

	if (len > (SIZE_MAX - 1) / ESC_MAX_EXPANSION)
		return NULL;
	out = malloc(len * ESC_MAX_EXPANSION + 1);
	if (out == NULL)
		return NULL;

	for (size_t i = 0; i < len;) {
		uint32_t cp;
		size_t n = utf8_seq(in + i, len - i, &cp);

		if (n == 0) {
			/* Not UTF-8: show the byte, never pass it raw. */
			o += label_safe(out + o, put_simple(out + o, in[i]),
					mode);
			i++;
			continue;
		}
		if (cp < 0x20 || cp == 0x7f) {
			o += label_safe(out + o, put_simple(out + o,
					(unsigned char)cp), mode);
		} else if ((cp >= 0x80 && cp < 0xa0) || is_bidi_control(cp)) {
			/* C1 controls (0x9b is a one-byte CSI on some
			 * terminals) and bidi controls: the code point. */
			o += label_safe(out + o, (size_t)snprintf(out + o, 7,
					"\\u%04x", (unsigned)cp), mode);
		} else if (cp == '\\' && mode == CS_ESC_TEXT && i + 1 < len &&
			   rfc4514_special(in[i + 1])) {
			/* An RFC 4514 escape in a DN string is printed as
			 * GnuTLS and openssl print it ("\,", "\\"); a raw
			 * backslash before anything else is still doubled,
			 * so "\x1b" read on screen is always an escape of
			 * ours, never text of the certificate. */
			memcpy(out + o, in + i, 2);
			o += 2;
			n = 2;
		} else if (cp == '\\') {
			memcpy(out + o, "\\\\", 2);
			o += 2;
		} else if (cp == '|' && mode == CS_ESC_NAGIOS) {
			memcpy(out + o, "\\|", 2);
			o += 2;
		} else if (cp == '"' && mode == CS_ESC_LABEL) {
			memcpy(out + o, "\\\"", 2);
			o += 2;
		} else {
			memcpy(out + o, in + i, n);
			o += n;
		}
		i += n;
	}
	out[o] = '\0';
	return out;
}

char *cs_escape_utf8(const char *s, size_t len, size_t *outlen)
{
	const unsigned char *in = (const unsigned char *)s;
	char *out;
	size_t o = 0;

	/* U+FFFD is 3 bytes for each invalid input byte. */
	if (len > (SIZE_MAX - 1) / 3)
		return NULL;
	out = malloc(len * 3 + 1);
	if (out == NULL)
		return NULL;
	for (size_t i = 0; i < len;) {
		uint32_t cp;
		size_t n = utf8_seq(in + i, len - i, &cp);

		if (n == 0) {
			memcpy(out + o, "\xef\xbf\xbd", 3);
			o += 3;
			i++;
			continue;
		}
		memcpy(out + o, in + i, n);
		o += n;
		i += n;
	}
	out[o] = '\0';
	if (outlen != NULL)
		*outlen = o;
	return out;
}
