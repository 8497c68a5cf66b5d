/*
 * escape.h - make untrusted bytes safe for a terminal and for machine
 * formats.
 *
 * Text escaping: printable ASCII and well-formed UTF-8 pass through;
 * C0/C1 controls, DEL, NUL, invalid UTF-8 bytes and the Unicode bidi
 * controls (U+200E/F, U+202A..E, U+2066..9) become visible escapes
 * (\n, \x1b, \u202e); a backslash becomes "\\", but in text mode an
 * RFC 4514 escape of a DN string ("\,", "\+", "\\", ...) is kept as
 * GnuTLS and openssl print it.  In "nagios" mode '|'
 * becomes "\|" too; in "label" mode (Prometheus) '"' becomes "\"".
 *
 * JSON needs valid UTF-8: cs_escape_utf8() replaces each invalid byte
 * with U+FFFD and keeps everything else, so jansson escapes controls.
 */
#ifndef CS_ESCAPE_H
#define CS_ESCAPE_H

#include <stddef.h>

enum cs_escape_mode {
	CS_ESC_TEXT,
	CS_ESC_NAGIOS,
	CS_ESC_LABEL,
};

/* Newly allocated escaped copy of len bytes at s, or NULL on OOM. */
char *cs_escape(const char *s, size_t len, enum cs_escape_mode mode);

/* Newly allocated valid-UTF-8 copy (invalid bytes -> U+FFFD, NUL ->
 * U+FFFD is NOT done: NUL is kept as "\u0000" by jansson, so the result
 * length is returned in *outlen).  NULL on OOM. */
char *cs_escape_utf8(const char *s, size_t len, size_t *outlen);

#endif
