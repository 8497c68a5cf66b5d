/*
 * target.c - what one check target is: parsing "TARGET [key=value ...]",
 * telling a path from an endpoint, and the --shard slice of a target.
 *
 * Does not: open, load or connect to anything (a stat() tells a path that
 * exists from a host name), print, or exit.
 */
#include "check/check.h"
#include "hash.h"
#include "x509/names.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

const char *cs_check_state_name(enum cs_check_state s)
{
	switch (s) {
	case CS_CHECK_OK: return "OK";
	case CS_CHECK_WARNING: return "WARNING";
	case CS_CHECK_CRITICAL: return "CRITICAL";
	case CS_CHECK_UNKNOWN: break;
	}
	return "UNKNOWN";
}

char *cs_check_line_strip(char *line)
{
	char *p = line, *end;

	while (*p && isspace((unsigned char)*p))
		p++;
	/* '#' starts a comment at the start of a word only, so that a
	 * file name or a value may hold one */
	for (end = p; *end; end++)
		if (*end == '#' && (end == p || isspace((unsigned char)end[-1])))
			break;
	*end = '\0';
	while (end > p && isspace((unsigned char)end[-1]))
		*--end = '\0';
	return *p ? p : NULL;
}

/* Copy a value of at most outsz - 1 bytes; -1 naming the key if longer. */
static int copy_value(char *out, size_t outsz, const char *key,
		      const char *v, size_t vlen, struct cs_error *err)
{
	if (vlen == 0)
		return cs_error_setx(err, CS_E_USAGE, "%s= needs a value", key);
	if (vlen >= outsz)
		return cs_error_setx(err, CS_E_USAGE,
				     "%s= value longer than %zu bytes", key,
				     outsz - 1);
	memcpy(out, v, vlen);
	out[vlen] = '\0';
	return 0;
}

/* host= and sni=: a name with U-labels must be one IDNA 2008 takes, as
 * for --host (it is matched, and sent, as its A-labels). */
static int copy_name(char *out, size_t outsz, const char *key,
		     const char *v, size_t vlen, struct cs_error *err)
{
	char *a = NULL;

	if (copy_value(out, outsz, key, v, vlen, err) < 0 ||
	    cs_names_host_ascii(out, &a, err) < 0)
		return -1;
	free(a);
	return 0;
}

/* One "key=value" (or "no-sni") word of a target line. */
static int parse_setting(struct cs_check_target *t, const char *w,
			 size_t wlen, struct cs_error *err)
{
	const char *eq = memchr(w, '=', wlen);
	size_t klen = eq ? (size_t)(eq - w) : wlen;
	const char *v = eq ? eq + 1 : NULL;
	size_t vlen = eq ? wlen - klen - 1 : 0;
	char buf[64];

	if (!eq && klen == 6 && !memcmp(w, "no-sni", 6)) {
		t->no_sni = true;
		return 0;
	}
	if (!eq)
		return cs_error_setx(err, CS_E_USAGE,
				     "'%.*s' is not a setting (host=NAME, "
				     "sni=NAME, no-sni, starttls=PROTO, "
				     "timeout=DURATION)", (int)(wlen > 60 ? 60 :
				     wlen), w);
	if (klen == 4 && !memcmp(w, "host", 4))
		return copy_name(t->host, sizeof(t->host), "host", v, vlen,
				 err);
	if (klen == 3 && !memcmp(w, "sni", 3))
		return copy_name(t->sni, sizeof(t->sni), "sni", v, vlen, err);
	if (klen == 8 && !memcmp(w, "starttls", 8)) {
		if (copy_value(buf, sizeof(buf), "starttls", v, vlen, err) < 0)
			return -1;
		if (cs_starttls_lookup(buf, &t->net.starttls) < 0)
			return cs_error_setx(err, CS_E_USAGE,
					     "starttls=%s: unknown protocol",
					     buf);
		if (!t->net.port_given)
			t->net.port = cs_starttls_default_port(
				t->net.starttls);
		return 0;
	}
	if (klen == 7 && !memcmp(w, "timeout", 7)) {
		int64_t secs;

		if (copy_value(buf, sizeof(buf), "timeout", v, vlen, err) < 0)
			return -1;
		/* a bare number is seconds, as --timeout takes it */
		if (strspn(buf, "0123456789") == strlen(buf) &&
		    strlen(buf) < 10)
			secs = (int64_t)atoll(buf);
		else if (cs_duration_parse(buf, &secs, err) < 0)
			return -1;
		if (secs <= 0)
			return cs_error_setx(err, CS_E_USAGE,
					     "timeout=%s must be positive",
					     buf);
		t->timeout_ms = secs * 1000;
		return 0;
	}
	return cs_error_setx(err, CS_E_USAGE,
			     "unknown setting '%.*s' (host, sni, no-sni, "
			     "starttls, timeout)", (int)(klen > 40 ? 40 : klen),
			     w);
}

/* An endpoint: a scheme, or no '/' and not an existing path. */
static bool is_endpoint(const char *s)
{
	struct stat st;

	if (strstr(s, "://"))
		return true;
	if (strchr(s, '/') || !strcmp(s, "-"))
		return false;
	return stat(s, &st) != 0;
}

int cs_check_target_parse(const char *text, size_t line,
			  struct cs_check_target *t, struct cs_error *err)
{
	const char *p = text, *w;
	size_t len;

	memset(t, 0, sizeof(*t));
	t->line = line;
	while (*p && isspace((unsigned char)*p))
		p++;
	for (w = p; *p && !isspace((unsigned char)*p); p++)
		;
	len = (size_t)(p - w);
	if (len == 0)
		return cs_error_setx(err, CS_E_USAGE, "empty target");
	if (len >= sizeof(t->spec))
		return cs_error_setx(err, CS_E_USAGE,
				     "target longer than %zu bytes",
				     sizeof(t->spec) - 1);
	memcpy(t->spec, w, len);
	t->spec[len] = '\0';
	if (is_endpoint(t->spec)) {
		t->kind = CS_CHECK_ENDPOINT;
		if (cs_net_parse_target(t->spec, &t->net, err) < 0)
			return -1;
	} else {
		t->kind = CS_CHECK_PATH;
	}
	for (;;) {
		while (*p && isspace((unsigned char)*p))
			p++;
		if (!*p)
			break;
		for (w = p; *p && !isspace((unsigned char)*p); p++)
			;
		if (t->kind == CS_CHECK_PATH)
			return cs_error_setx(err, CS_E_USAGE,
					     "settings apply to endpoints, and "
					     "'%.60s' is a file", t->spec);
		if (parse_setting(t, w, (size_t)(p - w), err) < 0)
			return -1;
	}
	if (t->no_sni && t->sni[0])
		return cs_error_setx(err, CS_E_USAGE,
				     "sni= and no-sni contradict each other");
	return 0;
}

bool cs_check_in_shard(const char *spec, unsigned k, unsigned n)
{
	if (n <= 1)
		return true;
	return cs_fnv64(CS_FNV64_BASIS, spec, strlen(spec)) % n ==
	       (uint64_t)(k - 1);
}

/* ---- targets already given ---------------------------------------- */

struct seen_entry {
	char *spec;         /* NULL = free slot */
	uint64_t settings;  /* hash of the line's settings */
};

struct cs_check_seen {
	struct seen_entry *slot;
	size_t cap, n;      /* cap a power of two, n <= cap / 2 */
};

static uint64_t settings_hash(const struct cs_check_target *t)
{
	uint64_t h = CS_FNV64_BASIS;
	unsigned char no_sni = t->no_sni;
	int starttls = (int)t->net.starttls;

	h = cs_fnv64(h, t->host, strlen(t->host) + 1);
	h = cs_fnv64(h, t->sni, strlen(t->sni) + 1);
	h = cs_fnv64(h, &no_sni, 1);
	h = cs_fnv64(h, &t->timeout_ms, sizeof(t->timeout_ms));
	return cs_fnv64(h, &starttls, sizeof(starttls));
}

struct cs_check_seen *cs_check_seen_new(void)
{
	return calloc(1, sizeof(struct cs_check_seen));
}

void cs_check_seen_free(struct cs_check_seen *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->cap; i++)
		free(s->slot[i].spec);
	free(s->slot);
	free(s);
}

static struct seen_entry *seen_find(struct seen_entry *slot, size_t cap,
				    const char *spec)
{
	size_t i = cs_fnv64(CS_FNV64_BASIS, spec, strlen(spec)) & (cap - 1);

	while (slot[i].spec && strcmp(slot[i].spec, spec) != 0)
		i = (i + 1) & (cap - 1);
	return &slot[i];
}

static int seen_grow(struct cs_check_seen *s)
{
	size_t cap = s->cap ? s->cap * 2 : 64;
	struct seen_entry *slot = calloc(cap, sizeof(*slot));

	if (!slot)
		return -1;
	for (size_t i = 0; i < s->cap; i++)
		if (s->slot[i].spec)
			*seen_find(slot, cap, s->slot[i].spec) = s->slot[i];
	free(s->slot);
	s->slot = slot;
	s->cap = cap;
	return 0;
}

int cs_check_seen_add(struct cs_check_seen *s,
		      const struct cs_check_target *t)
{
	struct seen_entry *e;

	if ((s->n + 1) * 2 > s->cap && seen_grow(s) < 0)
		return -1;
	e = seen_find(s->slot, s->cap, t->spec);
	if (e->spec)
		return e->settings == settings_hash(t) ? 1 : 2;
	e->spec = strdup(t->spec);
	if (!e->spec)
		return -1;
	e->settings = settings_hash(t);
	s->n++;
	return 0;
}
