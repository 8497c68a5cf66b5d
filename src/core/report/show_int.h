/*
 * show_int.h - what the two forms of `show` share, private to report/:
 * show.c (text, and the helpers below) and show_json.c (JSON).  Time
 * arithmetic, the names of SAN types and key usage bits, and the fields
 * of a CRL read once for either form.
 *
 * Does not: declare anything for callers outside report/ (show.h does).
 */
#ifndef CS_REPORT_SHOW_INT_H
#define CS_REPORT_SHOW_INT_H

#include <stddef.h>
#include <stdint.h>

#include "report/show.h"

#define R_SECS_PER_DAY 86400
#define R_TIME_MAX 32       /* cs_time_format() output */
/* cRLNumber: RFC 5280 5.2.3 allows 20 octets; a longer one is still
 * shown whole up to this, and named as too long beyond it. */
#define R_CRL_NUMBER_MAX 128

/* t - now, saturated: both come from certificates or --at and a
 * hand-built time may sit anywhere in int64_t. */
int64_t cs_show_time_diff(cs_time_t t, cs_time_t now);

/* "DNS", "IP", "email", "URI", "DirName", "other" */
const char *cs_show_san_type_name(enum cs_san_type t);

/* The key usage bits and their RFC 5280 names, in the order shown. */
struct cs_show_ku {
	unsigned bit;
	const char *name;
};
extern const struct cs_show_ku cs_show_ku_names[];
extern const size_t cs_show_n_ku_names;

/* The fields of a CRL item that show prints. */
struct cs_show_crl {
	char *issuer;      /* owned */
	size_t issuer_len;
	cs_time_t this_update, next_update;
	unsigned revoked;
	char sig[64];
	char number[R_CRL_NUMBER_MAX * 3]; /* colon hex */
};

/* Fill *ci from item's CRL; free ci->issuer after. */
void cs_show_crl_info(const struct cs_item *item, struct cs_show_crl *ci);

#endif
