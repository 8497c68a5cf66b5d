/*
 * trace.c - the bounded recording of a trace: steps and their fields.
 * See trace.h; what each handshake message carried is tls_trace.c's.
 */
#include "net/trace.h"

#include <stdlib.h>
#include <string.h>

static int64_t trace_now(const struct cs_net_trace *t)
{
	return t->now_ms ? t->now_ms(t->ctx) : 0;
}

/* see trace.h */
void cs_net_trace_init(struct cs_net_trace *t, const struct cs_deadline *dl)
{
	memset(t, 0, sizeof(*t));
	if (dl) {
		t->now_ms = dl->now_ms;
		t->ctx = dl->ctx;
	}
	t->t0 = trace_now(t);
}

/* see trace.h */
void cs_net_trace_clear(struct cs_net_trace *t)
{
	size_t i;
	unsigned k;

	if (!t)
		return;
	for (i = 0; i < t->n; i++)
		for (k = 0; k < t->v[i].nf; k++)
			free(t->v[i].f[k].text);
	t->n = 0;
	t->dropped = 0;
}

/* see trace.h */
void cs_net_trace_free(struct cs_net_trace *t)
{
	if (!t)
		return;
	cs_net_trace_clear(t);
	free(t->v);
	t->v = NULL;
	t->cap = 0;
}

/* see trace.h */
struct cs_net_trace_step *cs_net_trace_add(struct cs_net_trace *t,
					   enum cs_net_trace_dir dir,
					   const char *what)
{
	struct cs_net_trace_step *st;

	if (!t)
		return NULL;
	if (t->n == CS_NET_TRACE_MAX_STEPS) {
		t->dropped++;
		return NULL;
	}
	if (t->n == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 16;
		if (cap > CS_NET_TRACE_MAX_STEPS)
			cap = CS_NET_TRACE_MAX_STEPS;
		st = realloc(t->v, cap * sizeof(*st));
		if (!st) {
			t->dropped++;
			return NULL;
		}
		t->v = st;
		t->cap = cap;
	}
	st = &t->v[t->n++];
	memset(st, 0, sizeof(*st));
	st->ms = trace_now(t) - t->t0;
	st->dir = dir;
	st->what = what;
	st->htype = -1;
	return st;
}

/* The next free field, NULL when the step has no room (counted). */
static struct cs_net_trace_field *new_field(struct cs_net_trace_step *st,
					    const char *key,
					    enum cs_net_trace_kind kind)
{
	struct cs_net_trace_field *f;

	if (!st)
		return NULL;
	if (st->nf == CS_NET_TRACE_MAX_FIELDS) {
		st->more++;
		return NULL;
	}
	f = &st->f[st->nf++];
	memset(f, 0, sizeof(*f));
	f->key = key;
	f->kind = kind;
	return f;
}

/* A text field of at most max bytes. */
static void add_text(struct cs_net_trace_step *st, const char *key,
		     const void *p, size_t len, size_t max)
{
	struct cs_net_trace_field *f = new_field(st, key, CS_TRACE_TEXT);

	if (!f)
		return;
	if (len > max) {
		len = max;
		f->cut = true;
	}
	f->text = malloc(len + 1);
	if (!f->text) {
		st->nf--;
		st->more++;
		return;
	}
	if (len)
		memcpy(f->text, p, len);
	f->text[len] = '\0';
	f->len = len;
}

/* see trace.h */
void cs_net_trace_text(struct cs_net_trace_step *st, const char *key,
		       const void *p, size_t len)
{
	add_text(st, key, p, len, CS_NET_TRACE_MAX_VALUE);
}

/* see trace.h */
void cs_net_trace_str(struct cs_net_trace_step *st, const char *key,
		      const char *s)
{
	if (s)
		cs_net_trace_text(st, key, s, strlen(s));
}

/* see trace.h */
void cs_net_trace_num(struct cs_net_trace_step *st, const char *key,
		      long long num)
{
	struct cs_net_trace_field *f = new_field(st, key, CS_TRACE_NUM);

	if (f)
		f->num = num;
}

/* see trace.h */
void cs_net_trace_flag(struct cs_net_trace_step *st, const char *key)
{
	(void)new_field(st, key, CS_TRACE_FLAG);
}

/* see trace.h */
void cs_net_trace_stop(struct cs_net_trace *t, const char *addr,
		       const struct cs_error *err)
{
	const char *after = NULL, *after_dir = NULL;
	struct cs_net_trace_step *st;
	const char *msg = err->msg;
	size_t i, l = addr ? strlen(addr) : 0;
	bool connected = false;

	if (!t)
		return;
	for (i = t->n; i > 0; i--) {
		st = &t->v[i - 1];
		/* the last message of the dialogue or the handshake; an
		 * alert is not where it stopped but why */
		if (!after && st->dir != CS_TRACE_LOCAL &&
		    strcmp(st->what, "Alert")) {
			after = st->what; /* static, unlike st */
			after_dir = st->dir == CS_TRACE_SENT ? "sent" :
							       "received";
		}
		connected |= !strcmp(st->what, "connect");
	}
	/* the net messages start with the address: once the connect step
	 * said it, not again */
	if (connected && l && !strncmp(msg, addr, l) &&
	    !strncmp(msg + l, ": ", 2))
		msg += l + 2;
	st = cs_net_trace_add(t, CS_TRACE_LOCAL, "stopped");
	cs_net_trace_str(st, "after", after);
	cs_net_trace_str(st, "after_direction", after_dir);
	/* our own sentence (server text in it already quoted and cut):
	 * whole */
	add_text(st, "reason", msg, strlen(msg), sizeof(err->msg));
}
