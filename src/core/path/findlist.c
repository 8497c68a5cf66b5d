/*
 * findlist.c - the findings list that verify.c judges a path into, and
 * the wording the sentences of its checks share: the name a person
 * knows a certificate by, dates, purposes and extended key usages.
 *
 * A finding's code must be in the table of findings.c, which gives its
 * severity.  Running out of memory marks the list (nomem) rather than
 * failing each check.
 *
 * Does not: decide anything (rules.c, webpki.c, revoke.c and verify.c
 * do), score a list (verify.c), print.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "path/verify_int.h"

#define MSG_MAX 1024
/* ---- findings list ------------------------------------------------- */

void cs_finding_free(struct cs_finding *f)
{
	free(f->subject);
	free(f->message);
	free(f->fix);
}

void cs_flist_free(struct cs_flist *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		cs_finding_free(&l->v[i]);
	free(l->v);
	memset(l, 0, sizeof(*l));
}

static char *xstrdup(const char *s)
{
	size_t n;
	char *d;

	if (s == NULL)
		return NULL;
	n = strlen(s);
	d = malloc(n + 1);
	if (d != NULL)
		memcpy(d, s, n + 1);
	return d;
}

/* Append a finding; code must be in the table.  fix may be NULL. */
void cs_flist_add(struct cs_flist *l, const char *code, int cert,
		  const struct cs_cand *c, const char *fix, const char *fmt,
		  ...)
{
	const struct cs_finding_def *def = cs_finding_lookup(code);
	char msg[MSG_MAX];
	struct cs_finding *f;
	va_list ap;

	if (def == NULL || l->nomem)
		return;
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 8;
		struct cs_finding *v = realloc(l->v, cap * sizeof(*v));

		if (v == NULL) {
			l->nomem = true;
			return;
		}
		l->v = v;
		l->cap = cap;
	}
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	f = &l->v[l->n];
	memset(f, 0, sizeof(*f));
	f->code = def->code;
	f->severity = def->severity;
	f->cert = cert;
	f->subject = c != NULL ? xstrdup(c->m.subject) : NULL;
	f->message = xstrdup(msg);
	f->fix = xstrdup(fix);
	if (f->message == NULL || (fix != NULL && f->fix == NULL) ||
	    (c != NULL && c->m.subject != NULL && f->subject == NULL)) {
		cs_finding_free(f);
		l->nomem = true;
		return;
	}
	l->n++;
}

/* ---- wording helpers ----------------------------------------------- */

/* The name a person knows a certificate by: its CN, else its DN. */
const char *cs_name_of(const struct cs_cand *c)
{
	if (c->m.subject_cn != NULL && c->m.subject_cn[0] != '\0' &&
	    strlen(c->m.subject_cn) == c->m.subject_cn_len)
		return c->m.subject_cn;
	if (c->m.subject != NULL && c->m.subject[0] != '\0')
		return c->m.subject;
	return "(empty subject)";
}

/* "2025-01-01" when at midnight, else "2025-01-01T12:00:00Z". */
void cs_date_str(cs_time_t t, char *out, size_t outsz)
{
	char buf[32];

	cs_time_format(t, buf, sizeof(buf));
	if (strlen(buf) == 20 && strcmp(buf + 10, "T00:00:00Z") == 0)
		buf[10] = '\0';
	snprintf(out, outsz, "%s", buf);
}

const char *cs_purpose_oid(const struct cs_verify_opts *o)
{
	switch (o->purpose) {
	case CS_PURPOSE_SERVER:
		return OID_KP_SERVER;
	case CS_PURPOSE_CLIENT:
		return OID_KP_CLIENT;
	case CS_PURPOSE_EMAIL:
		return OID_KP_EMAIL;
	case CS_PURPOSE_CODE:
		return OID_KP_CODE;
	case CS_PURPOSE_OID:
		return o->purpose_oid;
	case CS_PURPOSE_ANY:
		break;
	}
	return NULL;
}

const char *cs_purpose_word(const char *oid)
{
	if (oid == NULL)
		return "any purpose";
	if (strcmp(oid, OID_KP_SERVER) == 0)
		return "serverAuth";
	if (strcmp(oid, OID_KP_CLIENT) == 0)
		return "clientAuth";
	if (strcmp(oid, OID_KP_EMAIL) == 0)
		return "emailProtection";
	if (strcmp(oid, OID_KP_CODE) == 0)
		return "codeSigning";
	if (strcmp(oid, OID_ANY_EKU) == 0)
		return "anyExtendedKeyUsage";
	return oid;
}

bool cs_has_eku(const struct cs_cert_model *m, const char *oid)
{
	size_t i;

	for (i = 0; i < m->eku.n; i++)
		if (strcmp(m->eku.v[i], oid) == 0)
			return true;
	return false;
}

void cs_eku_list(const struct cs_cert_model *m, char *out, size_t outsz)
{
	size_t i, used = 0;

	out[0] = '\0';
	for (i = 0; i < m->eku.n && used < outsz; i++) {
		int w = snprintf(out + used, outsz - used, "%s%s",
				 i ? ", " : "", cs_purpose_word(m->eku.v[i]));

		if (w < 0)
			break;
		used += (size_t)w;
	}
}
