/* see error.h */
#include "error.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static const char *const names[CS_E_COUNT_] = {
	[CS_E_OK] = "ok",
	[CS_E_IO] = "io",
	[CS_E_PARSE] = "parse",
	[CS_E_LIMIT] = "limit",
	[CS_E_PASSWORD] = "password",
	[CS_E_EMPTY] = "empty",
	[CS_E_UNSUPPORTED] = "unsupported",
	[CS_E_USAGE] = "usage",
	[CS_E_NOMEM] = "nomem",
	[CS_E_NET] = "net",
	[CS_E_TIMEOUT] = "timeout",
	[CS_E_INTERNAL] = "internal",
};

void cs_error_clear(struct cs_error *err)
{
	if (err)
		memset(err, 0, sizeof(*err));
}

static void vset(struct cs_error *err, int code, int sys, int lib,
		 const char *fmt, va_list ap)
{
	if (!err)
		return;
	err->code = code;
	err->sys_errno = sys;
	err->lib_code = lib;
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	if (sys) {
		size_t len = strlen(err->msg);
		snprintf(err->msg + len, sizeof(err->msg) - len, ": %s",
			 strerror(sys));
	}
}

int cs_error_set(struct cs_error *err, int code, const char *fmt, ...)
{
	int sys = errno;
	va_list ap;
	va_start(ap, fmt);
	vset(err, code, sys, 0, fmt, ap);
	va_end(ap);
	return -1;
}

int cs_error_setx(struct cs_error *err, int code, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vset(err, code, 0, 0, fmt, ap);
	va_end(ap);
	return -1;
}

int cs_error_setlib(struct cs_error *err, int code, int lib_code,
		    const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vset(err, code, 0, lib_code, fmt, ap);
	va_end(ap);
	return -1;
}

const char *cs_error_name(int code)
{
	if (code < 0 || code >= CS_E_COUNT_ || !names[code])
		return "unknown";
	return names[code];
}
