/*
 * check_int.h - what the files of the check stage share, not the API.
 */
#ifndef CS_CHECK_INT_H
#define CS_CHECK_INT_H

#include "check/check.h"

/* An empty result: no position, no earliest expiry. */
void check_result_init(struct cs_check_result *r);

/* A target that could not be checked: UNKNOWN (CRITICAL with
 * --unreachable=critical), the error's kind as the code, its message as
 * the reason.  0 / -1 (out of memory). */
int check_set_error(struct cs_check_result *r, const struct cs_check_opts *o,
		    const struct cs_error *e);

/* A file or tree: one result per leaf (and per unreadable item), handed
 * to emit.  -1 with *err when out of memory or emit asked to stop. */
int check_path(const struct cs_check_target *t,
	       const struct cs_check_opts *o, cs_check_emit_fn emit,
	       void *ctx, struct cs_error *err);

/* An endpoint, within dl: fills *r.  -1 only when out of memory. */
int check_endpoint(const struct cs_check_target *t,
		   const struct cs_check_opts *o, const struct cs_deadline *dl,
		   struct cs_check_result *r);

#endif
