/*
 * loop.c - the one event loop of `check`: at most opts->jobs endpoints
 * in flight, each on a coroutine of its own (ucontext, a small mmap'd
 * stack with a guard page).  The net stage waits through its deadline's
 * poll hook; here that hook parks the coroutine with its descriptors and
 * wake-up time, and the loop runs a single poll() over every parked
 * descriptor, resuming whichever is ready or due.  So there is no thread
 * or process per target, one silent server costs its own deadline only,
 * and the net code stays the straight-line code `connect` runs.
 *
 * Sanitizers and valgrind are told about each stack switch (ASan's fiber
 * API, VALGRIND_STACK_REGISTER), so the suite runs clean under both.
 *
 * Does not: print, exit, or keep results (each goes to the callback and
 * is freed).
 */
#include "check/check_int.h"

#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <ucontext.h>
#include <unistd.h>

#if defined(__SANITIZE_ADDRESS__)
#define CS_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define CS_ASAN 1
#endif
#endif
#ifdef CS_ASAN
#include <sanitizer/common_interface_defs.h>
#endif
#if defined(__has_include)
#if __has_include(<valgrind/valgrind.h>)
#include <valgrind/valgrind.h>
#define CS_VALGRIND 1
#endif
#endif

/* Stack of one coroutine: GnuTLS's handshake and c-ares run on it, with
 * room to spare under the sanitizers' larger frames. */
#define CO_STACK_BYTES ((size_t)512 * 1024)
#define CO_MAX_JOBS 1024

struct loop;

struct co {
	ucontext_t uc;
	unsigned char *map;      /* mmap'd: guard page + stack */
	size_t map_len;
	struct loop *loop;
	struct cs_check_target t;
	struct cs_check_result r;
	struct cs_deadline dl;
	/* parked in a wait: */
	struct pollfd *fds;      /* the caller's array, borrowed */
	nfds_t nfds;
	int64_t wake_at;
	int nready;
	bool done;
	int rc;
	void *fake_stack;        /* ASan */
	unsigned vg_id;          /* valgrind */
};

struct loop {
	ucontext_t main;
	const struct cs_check_opts *o;
	struct co **cos;         /* jobs slots, NULL when free */
	size_t jobs, active;
	void *main_fake_stack;
	const void *main_bottom;
	size_t main_size;
};

static int64_t now(const struct loop *l)
{
	return l->o->now_ms(l->o->clock_ctx);
}

/* ---- switching ---------------------------------------------------- */

static void to_co(struct loop *l, struct co *c)
{
#ifdef CS_ASAN
	__sanitizer_start_switch_fiber(&l->main_fake_stack,
				       c->map + getpagesize(),
				       c->map_len - (size_t)getpagesize());
#endif
	swapcontext(&l->main, &c->uc);
#ifdef CS_ASAN
	__sanitizer_finish_switch_fiber(l->main_fake_stack, NULL, NULL);
#endif
}

static void to_main(struct co *c, bool final)
{
	struct loop *l = c->loop;

#ifdef CS_ASAN
	__sanitizer_start_switch_fiber(final ? NULL : &c->fake_stack,
				       l->main_bottom, l->main_size);
#else
	(void)final;
#endif
	swapcontext(&c->uc, &l->main);
#ifdef CS_ASAN
	__sanitizer_finish_switch_fiber(c->fake_stack, &l->main_bottom,
					&l->main_size);
#endif
}

/* The deadline's poll hook: park until the loop says ready or due. */
static int co_poll(void *pctx, struct pollfd *fds, nfds_t n, int timeout_ms)
{
	struct co *c = pctx;
	nfds_t i;

	for (i = 0; i < n; i++)
		fds[i].revents = 0;
	c->fds = fds;
	c->nfds = n;
	c->wake_at = timeout_ms < 0 ? INT64_MAX :
		now(c->loop) + timeout_ms;
	c->nready = 0;
	to_main(c, false);
	c->fds = NULL;
	c->nfds = 0;
	return c->nready;
}

static void co_entry(unsigned lo, unsigned hi)
{
	struct co *c = (struct co *)(((uintptr_t)hi << 16 << 16) |
				     (uintptr_t)lo);
	struct loop *l = c->loop;

#ifdef CS_ASAN
	__sanitizer_finish_switch_fiber(NULL, &l->main_bottom, &l->main_size);
#endif
	c->rc = check_endpoint(&c->t, l->o, &c->dl, &c->r);
	c->done = true;
	to_main(c, true);
}

/* ---- one coroutine ------------------------------------------------ */

static void co_free(struct co *c)
{
	if (!c)
		return;
#ifdef CS_VALGRIND
	VALGRIND_STACK_DEREGISTER(c->vg_id);
#endif
	if (c->map)
		munmap(c->map, c->map_len);
	cs_check_result_free(&c->r);
	free(c);
}

/* The coroutine's context, to start in co_entry on its own stack (apart
 * from co_new: getcontext returns twice, which clobbers locals). */
static int co_context(struct co *const c, size_t page)
{
	uintptr_t p = (uintptr_t)c;

	if (getcontext(&c->uc) < 0)
		return -1;
	c->uc.uc_stack.ss_sp = c->map + page;
	c->uc.uc_stack.ss_size = CO_STACK_BYTES;
	c->uc.uc_link = NULL;
	makecontext(&c->uc, (void (*)(void))co_entry, 2,
		    (unsigned)(p & 0xffffffffu), (unsigned)(p >> 16 >> 16));
	return 0;
}

static struct co *co_new(struct loop *l, const struct cs_check_target *t)
{
	struct co *c = calloc(1, sizeof(*c));
	size_t page = (size_t)getpagesize();
	int64_t timeout;

	if (!c)
		return NULL;
	c->loop = l;
	c->t = *t;
	check_result_init(&c->r);
	c->map_len = CO_STACK_BYTES + page;
	c->map = mmap(NULL, c->map_len, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
	if (c->map == MAP_FAILED) {
		c->map = NULL;
		co_free(c);
		return NULL;
	}
	/* stacks grow down: an overflow hits the guard page, not memory */
	(void)mprotect(c->map, page, PROT_NONE);
#ifdef CS_VALGRIND
	c->vg_id = VALGRIND_STACK_REGISTER(c->map + page, c->map + c->map_len);
#endif
	timeout = t->timeout_ms > 0 ? t->timeout_ms : l->o->timeout_ms;
	c->dl.now_ms = l->o->now_ms;
	c->dl.ctx = l->o->clock_ctx;
	c->dl.at_ms = now(l) + timeout;
	c->dl.poll = co_poll;
	c->dl.pctx = c;
	if (co_context(c, page) < 0) {
		co_free(c);
		return NULL;
	}
	return c;
}

/* ---- the loop ----------------------------------------------------- */

/* A finished coroutine: hand its result on and free its slot. */
static int reap(struct loop *l, size_t slot, cs_check_emit_fn emit,
		void *ectx, bool *stop, struct cs_error *err)
{
	struct co *c = l->cos[slot];
	int rc = 0;

	l->cos[slot] = NULL;
	l->active--;
	if (c->rc < 0) {
		rc = cs_error_setx(err, CS_E_NOMEM, "out of memory");
		*stop = true;
	} else if (emit(ectx, &c->r) != 0) {
		*stop = true;
	}
	co_free(c);
	return rc;
}

/* Start one endpoint in a free slot and run it to its first wait. */
static int spawn(struct loop *l, const struct cs_check_target *t,
		 cs_check_emit_fn emit, void *ectx, bool *stop,
		 struct cs_error *err)
{
	size_t slot;
	struct co *c;

	for (slot = 0; slot < l->jobs && l->cos[slot]; slot++)
		;
	c = co_new(l, t);
	if (!c)
		return cs_error_setx(err, CS_E_NOMEM,
				     "cannot allocate a %zu KiB stack for %s",
				     CO_STACK_BYTES / 1024, t->spec);
	l->cos[slot] = c;
	l->active++;
	to_co(l, c);
	return c->done ? reap(l, slot, emit, ectx, stop, err) : 0;
}

/* One poll() over every parked descriptor, then resume who is ready. */
static int step(struct loop *l, cs_check_emit_fn emit, void *ectx,
		bool *stop, struct cs_error *err)
{
	struct pollfd *all;
	size_t slot, total = 0, k = 0;
	int64_t wake = INT64_MAX, t;
	int timeout, rc = 0;

	for (slot = 0; slot < l->jobs; slot++) {
		struct co *c = l->cos[slot];
		if (!c)
			continue;
		total += c->nfds;
		if (c->wake_at < wake)
			wake = c->wake_at;
	}
	all = calloc(total ? total : 1, sizeof(*all));
	if (!all)
		return cs_error_setx(err, CS_E_NOMEM, "out of memory");
	for (slot = 0; slot < l->jobs; slot++) {
		struct co *c = l->cos[slot];
		if (!c)
			continue;
		memcpy(all + k, c->fds, c->nfds * sizeof(*all));
		k += c->nfds;
	}
	t = now(l);
	timeout = wake == INT64_MAX ? -1 : wake <= t ? 0 :
		wake - t > INT32_MAX ? INT32_MAX : (int)(wake - t);
	if (poll(all, (nfds_t)total, timeout) < 0) {
		/* EINTR, or worse: nothing is ready, the due still resume */
		for (k = 0; k < total; k++)
			all[k].revents = 0;
	}
	t = now(l);
	k = 0;
	for (slot = 0; slot < l->jobs && rc == 0; slot++) {
		struct co *c = l->cos[slot];
		nfds_t i;

		if (!c)
			continue;
		for (i = 0; i < c->nfds; i++) {
			c->fds[i].revents = all[k + i].revents;
			if (all[k + i].revents)
				c->nready++;
		}
		k += c->nfds;
		if (c->nready == 0 && t < c->wake_at)
			continue;
		to_co(l, c);
		if (c->done)
			rc = reap(l, slot, emit, ectx, stop, err);
	}
	free(all);
	return rc;
}

int cs_check_run(cs_check_next_fn next, void *next_ctx,
		 const struct cs_check_opts *o, cs_check_emit_fn emit,
		 void *emit_ctx, struct cs_error *err)
{
	struct loop l;
	struct cs_check_target t;
	struct cs_error e;
	bool eof = false, stop = false, failed = false;
	int n;

	memset(&l, 0, sizeof(l));
	l.o = o;
	l.jobs = o->jobs ? o->jobs : 1;
	if (l.jobs > CO_MAX_JOBS)
		l.jobs = CO_MAX_JOBS;
	l.cos = calloc(l.jobs, sizeof(*l.cos));
	if (!l.cos)
		return cs_error_setx(err, CS_E_NOMEM, "out of memory");
	/* An error stops new targets; those in flight still run to their
	 * end (each within its deadline), so nothing is left half-done. */
	for (;;) {
		while (!eof && !stop && l.active < l.jobs) {
			cs_error_clear(&e);
			n = next(next_ctx, &t, &e);
			if (n <= 0) {
				eof = true;
			} else if (t.kind == CS_CHECK_PATH) {
				n = check_path(&t, o, emit, emit_ctx, &e);
			} else {
				n = spawn(&l, &t, emit, emit_ctx, &stop, &e);
			}
			if (n < 0) {
				stop = true;
				if (!failed)
					*err = e;
				failed = true;
			}
		}
		if (l.active == 0)
			break;
		cs_error_clear(&e);
		if (step(&l, emit, emit_ctx, &stop, &e) < 0) {
			stop = true;
			if (!failed)
				*err = e;
			failed = true;
		}
	}
	free(l.cos);
	if (stop && !failed)
		return cs_error_setx(err, CS_E_INTERNAL,
				     "the run was stopped by its output");
	return failed ? -1 : 0;
}
