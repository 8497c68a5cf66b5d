/* see query.h */
#include "serve/query.h"

#include <string.h>

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Decode s[0..n) into out (outsz bytes with the NUL).  form: '+' is a
 * space.  Returns 0, -1 with a reason. */
static int decode(const char *s, size_t n, char *out, size_t outsz, int form,
		  const char *what, struct cs_error *err)
{
	size_t i, o = 0;

	for (i = 0; i < n; i++) {
		int c = (unsigned char)s[i];

		if (c == '%') {
			int hi = i + 1 < n ? hexval(s[i + 1]) : -1;
			int lo = i + 2 < n ? hexval(s[i + 2]) : -1;

			if (hi < 0 || lo < 0)
				return cs_error_setx(err, CS_E_USAGE,
						     "bad percent-encoding in "
						     "the %s", what);
			c = hi * 16 + lo;
			i += 2;
		} else if (c == '+' && form) {
			c = ' ';
		}
		if (c < 0x20 || c == 0x7f)
			return cs_error_setx(err, CS_E_USAGE,
					     "control character in the %s",
					     what);
		if (o + 1 >= outsz)
			return cs_error_setx(err, CS_E_LIMIT,
					     "the %s is longer than %zu bytes",
					     what, outsz - 1);
		out[o++] = (char)c;
	}
	out[o] = '\0';
	return 0;
}

int cs_query_parse(const char *uri, size_t len, struct cs_query *q,
		   struct cs_error *err)
{
	const char *qm, *p, *end = uri + len;
	size_t nparams = 0;

	memset(q, 0, sizeof(*q));
	if (len > CS_QUERY_MAX_URI)
		return cs_error_setx(err, CS_E_LIMIT,
				     "request URI longer than %d bytes",
				     CS_QUERY_MAX_URI);
	if (len == 0 || uri[0] != '/')
		return cs_error_setx(err, CS_E_USAGE,
				     "the request URI must start with '/'");
	qm = memchr(uri, '?', len);
	if (decode(uri, (size_t)((qm ? qm : end) - uri), q->path,
		   sizeof(q->path), 0, "path", err) < 0)
		return -1;
	if (!qm)
		return 0;
	for (p = qm + 1; p < end;) {
		const char *amp = memchr(p, '&', (size_t)(end - p));
		const char *stop = amp ? amp : end;
		const char *eq = memchr(p, '=', (size_t)(stop - p));
		const char *v = eq ? eq + 1 : stop;
		char key[32];

		if (stop == p) { /* "a=1&&b=2" */
			p = stop + 1;
			continue;
		}
		if (++nparams > CS_QUERY_MAX_PARAMS)
			return cs_error_setx(err, CS_E_LIMIT,
					     "more than %d query parameters",
					     CS_QUERY_MAX_PARAMS);
		if (decode(p, (size_t)((eq ? eq : stop) - p), key, sizeof(key),
			   1, "parameter name", err) < 0)
			return -1;
		if (!strcmp(key, "target")) {
			if (q->has_target++)
				return cs_error_setx(err, CS_E_USAGE,
						     "target given twice");
			if (decode(v, (size_t)(stop - v), q->target,
				   sizeof(q->target), 1, "target", err) < 0)
				return -1;
		} else if (!strcmp(key, "module")) {
			if (q->has_module++)
				return cs_error_setx(err, CS_E_USAGE,
						     "module given twice");
			if (decode(v, (size_t)(stop - v), q->module,
				   sizeof(q->module), 1, "module", err) < 0)
				return -1;
		}
		/* other parameters (Prometheus adds none) are ignored */
		p = amp ? amp + 1 : end;
	}
	return 0;
}
