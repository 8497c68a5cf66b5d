/*
 * timeutil.h - Unix-seconds time values, calendar arithmetic, user time
 * parsing and hex formatting: used by every stage.
 */
#ifndef CS_TIMEUTIL_H
#define CS_TIMEUTIL_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"

typedef int64_t cs_time_t; /* Unix seconds, may be negative */

#define CS_TIME_NONE INT64_MIN

/* Lower-case hex of len bytes, no separators, into out (2*len+1 bytes;
 * a shorter buffer truncates at a byte boundary). */
void cs_hex(char *out, size_t outsz, const unsigned char *p, size_t len);

/* Colon-separated upper-case hex of len bytes into out (3*len bytes). */
void cs_hex_colon(char *out, size_t outsz, const unsigned char *p,
		  size_t len);

/* Convert broken-down UTC to Unix seconds for any year 0..9999. */
cs_time_t cs_time_from_civil(int year, int mon, int day, int hour, int min,
			     int sec);

/* Format t as RFC 3339 UTC "YYYY-MM-DDTHH:MM:SSZ" into out (>= 24 bytes).
 * Works for negative t and years up to 9999. */
void cs_time_format(cs_time_t t, char *out, size_t outsz);

/* Parse a user time: "2027-01-31", "2027-01-31T12:00:00Z", "@1798675200"
 * or "+30d" / "-2h" relative to now (units s m h d w).  Returns 0/-1. */
CS_MUST_CHECK int cs_time_parse(const char *s, cs_time_t now,
				cs_time_t *out, struct cs_error *err);

/* Parse a duration: a whole number and a unit, s m h d w ("30d", "12h",
 * "3w"), into seconds.  Returns 0/-1 (CS_E_USAGE naming the text). */
CS_MUST_CHECK int cs_duration_parse(const char *s, int64_t *secs,
				    struct cs_error *err);

#endif
