/*
 * timeutil.c - calendar arithmetic and user time parsing for the model.
 *
 * Everything here is proleptic Gregorian UTC with 64-bit seconds, so
 * 1950 (UTCTime "50", RFC 5280 4.1.2.5.1) and 9999-12-31 (the
 * "no well-defined expiration" value, RFC 5280 4.1.2.5) are exact on
 * every platform.  We do not use gmtime()/timegm(): they are limited by
 * time_t on 32-bit systems and their year range is implementation
 * defined.
 *
 * Does not: read the clock (relative times are against a `now` the
 * caller passes), know about time zones other than UTC, or handle leap
 * seconds (second 60 is accepted by the model's reader only).
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "timeutil.h"

#define CS_SECS_PER_DAY 86400
/* Years this module accepts in user input and formats exactly. */
#define CS_YEAR_MIN 0
#define CS_YEAR_MAX 9999
/* A relative offset larger than this many seconds (about 10,000 years)
 * is certainly a typo and could overflow int64 when multiplied. */
#define CS_REL_MAX_SECS ((int64_t)CS_YEAR_MAX * 366 * CS_SECS_PER_DAY)
/* Longest user time string we quote back in an error message. */
#define CS_QUOTE_MAX 64

/*
 * Days since 1970-01-01 of a civil date.  Howard Hinnant's
 * days_from_civil: shift the year to start in March so that the leap
 * day is the last day of the year, then count 400-year eras.
 */
static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
	int64_t era;
	unsigned yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = (unsigned)(y - era * 400);
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

/* Inverse of days_from_civil (same author, same March-based year). */
static void civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
	int64_t era;
	unsigned doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = (unsigned)(z - era * 146097);
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = (int64_t)yoe + era * 400 + (*m <= 2);
}

static int is_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int days_in_month(int y, int m)
{
	static const int mdays[12] = {31, 28, 31, 30, 31, 30,
				      31, 31, 30, 31, 30, 31};

	if (m == 2 && is_leap(y))
		return 29;
	return mdays[m - 1];
}

/* see model.h */
cs_time_t cs_time_from_civil(int year, int mon, int day, int hour, int min,
			     int sec)
{
	return days_from_civil(year, (unsigned)mon, (unsigned)day) *
		       CS_SECS_PER_DAY +
	       (int64_t)hour * 3600 + (int64_t)min * 60 + sec;
}

/* see model.h */
void cs_time_format(cs_time_t t, char *out, size_t outsz)
{
	int64_t days, secs, y;
	unsigned m, d;

	if (outsz == 0)
		return;
	if (t == CS_TIME_NONE) {
		snprintf(out, outsz, "(none)");
		return;
	}
	/* Floor division so that -1 is 1969-12-31T23:59:59Z. */
	days = t / CS_SECS_PER_DAY;
	secs = t % CS_SECS_PER_DAY;
	if (secs < 0) {
		secs += CS_SECS_PER_DAY;
		days--;
	}
	civil_from_days(days, &y, &m, &d);
	snprintf(out, outsz, "%04lld-%02u-%02uT%02d:%02d:%02dZ", (long long)y,
		 m, d, (int)(secs / 3600), (int)(secs / 60 % 60),
		 (int)(secs % 60));
}

/* Read exactly n decimal digits at *p; advance *p.  Returns -1 if any of
 * them is not a digit. */
static int read_digits(const char **p, int n, int *out)
{
	int v = 0;

	for (int i = 0; i < n; i++) {
		if (!isdigit((unsigned char)(*p)[i]))
			return -1;
		v = v * 10 + ((*p)[i] - '0');
	}
	*p += n;
	*out = v;
	return 0;
}

/* Copy s into a bounded, quoted form for error messages, so a hostile
 * or huge argument cannot fill the message. */
static const char *quote(const char *s, char *buf, size_t bufsz)
{
	size_t len = strlen(s);

	if (len > CS_QUOTE_MAX)
		snprintf(buf, bufsz, "%.*s...", CS_QUOTE_MAX, s);
	else
		snprintf(buf, bufsz, "%s", s);
	return buf;
}

/* "30d": a whole number and a unit (s m h d w) into seconds; what names
 * the kind of value in messages ("relative time", "duration"). */
static int parse_amount(const char *s, const char *p, const char *what,
			const char *example, int64_t *secs,
			struct cs_error *err)
{
	char q[CS_QUOTE_MAX + 8];
	int64_t n = 0, unit;

	if (!isdigit((unsigned char)*p))
		return cs_error_setx(err, CS_E_USAGE,
				     "bad %s '%s': expected a number, e.g. %s",
				     what, quote(s, q, sizeof(q)), example);
	for (; isdigit((unsigned char)*p); p++) {
		n = n * 10 + (*p - '0');
		if (n > CS_REL_MAX_SECS)
			return cs_error_setx(err, CS_E_USAGE,
					     "%s '%s' is too large", what,
					     quote(s, q, sizeof(q)));
	}
	switch (*p) {
	case 's': unit = 1; break;
	case 'm': unit = 60; break;
	case 'h': unit = 3600; break;
	case 'd': unit = CS_SECS_PER_DAY; break;
	case 'w': unit = 7 * CS_SECS_PER_DAY; break;
	default:
		return cs_error_setx(err, CS_E_USAGE,
				     "bad %s '%s': the unit must "
				     "be one of s, m, h, d, w", what,
				     quote(s, q, sizeof(q)));
	}
	if (p[1] != '\0')
		return cs_error_setx(err, CS_E_USAGE,
				     "bad %s '%s': unexpected text "
				     "after the unit", what,
				     quote(s, q, sizeof(q)));
	n *= unit;
	if (n > CS_REL_MAX_SECS)
		return cs_error_setx(err, CS_E_USAGE, "%s '%s' is too large",
				     what, quote(s, q, sizeof(q)));
	*secs = n;
	return 0;
}

static int parse_relative(const char *s, cs_time_t now, cs_time_t *out,
			  struct cs_error *err)
{
	int64_t n;

	if (parse_amount(s, s + 1, "relative time", "+30d", &n, err) < 0)
		return -1;
	*out = *s == '-' ? now - n : now + n;
	return 0;
}

int cs_duration_parse(const char *s, int64_t *secs, struct cs_error *err)
{
	return parse_amount(s, s, "duration", "30d, 12h or 3w", secs, err);
}

static int parse_epoch(const char *s, cs_time_t *out, struct cs_error *err)
{
	char q[CS_QUOTE_MAX + 8];
	const char *p = s + 1;
	long long v;
	char *end;

	/* strtoll would accept leading blanks and a '+': be strict. */
	if (!(isdigit((unsigned char)*p) ||
	      (*p == '-' && isdigit((unsigned char)p[1]))))
		return cs_error_setx(err, CS_E_USAGE,
				     "bad time '%s': expected Unix seconds "
				     "after '@', e.g. @1798675200",
				     quote(s, q, sizeof(q)));
	errno = 0;
	v = strtoll(p, &end, 10);
	if (errno != 0 || *end != '\0')
		return cs_error_setx(err, CS_E_USAGE,
				     "bad time '%s': expected Unix seconds "
				     "after '@', e.g. @1798675200",
				     quote(s, q, sizeof(q)));
	*out = v;
	return 0;
}

/* "YYYY-MM-DD" optionally followed by "T" or " " and "HH:MM:SS" and an
 * optional "Z". */
static int parse_date(const char *s, cs_time_t *out, struct cs_error *err)
{
	char q[CS_QUOTE_MAX + 8];
	const char *p = s;
	int y, mo, d, h = 0, mi = 0, sec = 0;

	if (read_digits(&p, 4, &y) < 0 || *p++ != '-' ||
	    read_digits(&p, 2, &mo) < 0 || *p++ != '-' ||
	    read_digits(&p, 2, &d) < 0)
		goto bad;
	if (*p == 'T' || *p == 't' || *p == ' ') {
		p++;
		if (read_digits(&p, 2, &h) < 0 || *p++ != ':' ||
		    read_digits(&p, 2, &mi) < 0 || *p++ != ':' ||
		    read_digits(&p, 2, &sec) < 0)
			goto bad;
		if (*p == 'Z' || *p == 'z')
			p++;
	}
	if (*p != '\0')
		goto bad;
	if (mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, mo) ||
	    h > 23 || mi > 59 || sec > 59)
		return cs_error_setx(err, CS_E_USAGE,
				     "bad time '%s': no such date or time "
				     "of day",
				     quote(s, q, sizeof(q)));
	*out = cs_time_from_civil(y, mo, d, h, mi, sec);
	return 0;
bad:
	return cs_error_setx(err, CS_E_USAGE,
			     "bad time '%s': expected YYYY-MM-DD, "
			     "YYYY-MM-DDTHH:MM:SSZ, @SECONDS or +N[smhdw]",
			     quote(s, q, sizeof(q)));
}

/* see model.h */
int cs_time_parse(const char *s, cs_time_t now, cs_time_t *out,
		  struct cs_error *err)
{
	if (s == NULL || *s == '\0')
		return cs_error_setx(err, CS_E_USAGE,
				     "empty time: expected YYYY-MM-DD, "
				     "YYYY-MM-DDTHH:MM:SSZ, @SECONDS or "
				     "+N[smhdw]");
	if (*s == '+' || *s == '-')
		return parse_relative(s, now, out, err);
	if (*s == '@')
		return parse_epoch(s, out, err);
	return parse_date(s, out, err);
}

/* see model.h */
void cs_hex(char *out, size_t outsz, const unsigned char *p, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	size_t o = 0;

	if (outsz == 0)
		return;
	for (size_t i = 0; i < len && o + 2 < outsz; i++) {
		out[o++] = hex[p[i] >> 4];
		out[o++] = hex[p[i] & 0x0f];
	}
	out[o] = '\0';
}

/* see model.h */
void cs_hex_colon(char *out, size_t outsz, const unsigned char *p,
		  size_t len)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t o = 0;

	if (outsz == 0)
		return;
	/* Write whole "XX:" groups only while they fit, so a short buffer
	 * truncates cleanly at a byte boundary. */
	for (size_t i = 0; i < len; i++) {
		size_t need = (i > 0 ? 1 : 0) + 2;

		if (o + need >= outsz)
			break;
		if (i > 0)
			out[o++] = ':';
		out[o++] = hex[p[i] >> 4];
		out[o++] = hex[p[i] & 0x0f];
	}
	out[o] = '\0';
}
