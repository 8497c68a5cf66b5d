/*
 * error.h - the one error type of the certscope core.
 *
 * A core function that can fail returns -1 (or NULL) and fills the
 * struct cs_error passed as its last argument.  Errors mean "could not
 * check" (exit 2 / UNKNOWN); verdicts about certificates are findings,
 * never errors.
 *
 * Does not: print, exit, or keep global state.
 */
#ifndef CS_ERROR_H
#define CS_ERROR_H

#include <stddef.h>

#define CS_MUST_CHECK __attribute__((warn_unused_result))

enum cs_errcode {
	CS_E_OK = 0,
	CS_E_IO,          /* cannot open/read a file or directory */
	CS_E_PARSE,       /* malformed input */
	CS_E_LIMIT,       /* a hard limit against hostile input was hit */
	CS_E_PASSWORD,    /* PKCS#12 password missing or wrong */
	CS_E_EMPTY,       /* input holds no certificate or CRL */
	CS_E_UNSUPPORTED, /* recognised but not supported */
	CS_E_USAGE,       /* bad argument */
	CS_E_NOMEM,       /* allocation failed */
	CS_E_NET,         /* network failure */
	CS_E_TIMEOUT,     /* deadline passed */
	CS_E_INTERNAL,    /* a library call failed unexpectedly */
	CS_E_COUNT_
};

struct cs_error {
	int code;      /* enum cs_errcode */
	int sys_errno; /* 0 unless set with cs_error_set() */
	int lib_code;  /* GnuTLS or libtasn1 code, 0 if none */
	char msg[256]; /* complete sentence, no trailing newline */
};

/* Reset *err to "no error". */
void cs_error_clear(struct cs_error *err);

/* Fill *err with code and a printf-formatted message, appending
 * ": strerror(errno)".  Returns -1 so callers can `return cs_error_set(..)`.
 * err may be NULL. */
int cs_error_set(struct cs_error *err, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* As cs_error_set() but without errno. */
int cs_error_setx(struct cs_error *err, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* As cs_error_setx(), recording a GnuTLS/libtasn1 code in lib_code. */
int cs_error_setlib(struct cs_error *err, int code, int lib_code,
		    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* Stable short name of a code: "io", "parse", "limit", ... */
const char *cs_error_name(int code);

#endif
