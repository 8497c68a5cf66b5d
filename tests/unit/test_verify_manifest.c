/*
 * test_verify_manifest.c - every verification scenario of
 * testcerts/manifest.ini through cs_verify_chain: one cmocka test per
 * [scenario] section ([load:NAME] sections are the loader's).  Each
 * asserts the verdict and that every expected code is reported; a
 * failure lists the codes that were reported.
 */
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "input/load.h"
#include "x509/model.h"
#include "path/trust.h"
#include "path/verify.h"

#define MAX_SECTIONS 256
#define VAL_MAX      512
#define LINE_MAX_LEN 1024

struct scenario {
	char name[128];
	char leaf[VAL_MAX], presented[VAL_MAX], pool[VAL_MAX];
	char anchors[VAL_MAX], host[VAL_MAX], email[VAL_MAX];
	char purpose[64], crl[VAL_MAX], at[64], expect[VAL_MAX];
	char verdict[32];
	bool has_host, has_email;
};

static struct scenario scen[MAX_SECTIONS];
static size_t n_scen;

static const char *tc_dir(void)
{
	const char *d = getenv("CS_TESTCERTS");

	return d != NULL ? d : "testcerts";
}

static void tc(char *out, size_t outsz, const char *rel)
{
	snprintf(out, outsz, "%s/%s", tc_dir(), rel);
}

static char *trim(char *s)
{
	char *e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\n' ||
			 e[-1] == '\r'))
		*--e = '\0';
	return s;
}

static void set_key(struct scenario *s, const char *k, const char *v)
{
	struct {
		const char *key;
		char *dst;
		size_t sz;
	} keys[] = {
		{"leaf", s->leaf, sizeof(s->leaf)},
		{"presented", s->presented, sizeof(s->presented)},
		{"pool", s->pool, sizeof(s->pool)},
		{"anchors", s->anchors, sizeof(s->anchors)},
		{"host", s->host, sizeof(s->host)},
		{"email", s->email, sizeof(s->email)},
		{"purpose", s->purpose, sizeof(s->purpose)},
		{"crl", s->crl, sizeof(s->crl)},
		{"at", s->at, sizeof(s->at)},
		{"expect", s->expect, sizeof(s->expect)},
		{"verdict", s->verdict, sizeof(s->verdict)},
	};
	size_t i;

	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (strcmp(k, keys[i].key) == 0)
			snprintf(keys[i].dst, keys[i].sz, "%s", v);
	if (strcmp(k, "host") == 0)
		s->has_host = true;
	if (strcmp(k, "email") == 0)
		s->has_email = true;
}

/* Read manifest.ini's [scenario] sections into scen[]. */
static int read_manifest(void)
{
	char path[PATH_MAX], line[LINE_MAX_LEN];
	struct scenario *cur = NULL;
	FILE *f;

	tc(path, sizeof(path), "manifest.ini");
	f = fopen(path, "r");
	if (f == NULL)
		return -1;
	while (fgets(line, sizeof(line), f) != NULL) {
		char *s = trim(line), *eq;

		if (s[0] == ';' || s[0] == '\0')
			continue;
		if (s[0] == '[') {
			char *e = strchr(s, ']');

			cur = NULL;
			/* [load:NAME], [ocsp:NAME]: other readers' */
			if (e == NULL || memchr(s, ':', (size_t)(e - s)))
				continue;
			if (n_scen == MAX_SECTIONS)
				break;
			*e = '\0';
			cur = &scen[n_scen++];
			snprintf(cur->name, sizeof(cur->name), "%s", s + 1);
			continue;
		}
		eq = strchr(s, '=');
		if (cur == NULL || eq == NULL)
			continue;
		*eq = '\0';
		set_key(cur, trim(s), trim(eq + 1));
	}
	fclose(f);
	return 0;
}

/* Load each space-separated file of list into *l. */
static void load_files(struct cs_itemlist *l, const char *list)
{
	char buf[VAL_MAX], path[PATH_MAX], *tok, *save = NULL;
	struct cs_error err;

	snprintf(buf, sizeof(buf), "%s", list);
	for (tok = strtok_r(buf, " ", &save); tok != NULL;
	     tok = strtok_r(NULL, " ", &save)) {
		tc(path, sizeof(path), tok);
		if (cs_load_path(l, path, NULL, &err) < 0)
			fail_msg("%s: %s", path, err.msg);
	}
}

static enum cs_purpose purpose_of(const char *s)
{
	if (strcmp(s, "client") == 0)
		return CS_PURPOSE_CLIENT;
	if (strcmp(s, "email") == 0)
		return CS_PURPOSE_EMAIL;
	if (strcmp(s, "code") == 0)
		return CS_PURPOSE_CODE;
	if (strcmp(s, "any") == 0)
		return CS_PURPOSE_ANY;
	return CS_PURPOSE_SERVER;
}

static void codes_of(const struct cs_verify_result *r, char *out,
		     size_t outsz)
{
	size_t i, used = 0;

	out[0] = '\0';
	for (i = 0; i < r->n_findings && used < outsz; i++) {
		int w = snprintf(out + used, outsz - used, "%s%s(%s)",
				 i ? " " : "", r->findings[i].code,
				 cs_severity_name(r->findings[i].severity));

		if (w < 0)
			break;
		used += (size_t)w;
	}
}

static void run_scenario(void **state)
{
	const struct scenario *s = *state;
	struct cs_itemlist input, crls;
	struct cs_verify_opts o;
	struct cs_verify_result res;
	struct cs_trust *trust;
	struct cs_error err;
	char buf[VAL_MAX], codes[2048], path[PATH_MAX], *tok, *save = NULL;
	char *a_save = NULL;
	bool want_trusted = strcmp(s->verdict, "trusted") == 0;

	cs_itemlist_init(&input);
	cs_itemlist_init(&crls);
	load_files(&input, s->presented[0] ? s->presented : s->leaf);
	load_files(&input, s->pool);
	if (s->crl[0])
		load_files(&crls, s->crl);
	trust = cs_trust_new(&err);
	assert_non_null(trust);
	snprintf(buf, sizeof(buf), "%s", s->anchors);
	for (tok = strtok_r(buf, " ", &a_save); tok != NULL;
	     tok = strtok_r(NULL, " ", &a_save)) {
		tc(path, sizeof(path), tok);
		if (cs_trust_add_path(trust, path, NULL, &err) < 0)
			fail_msg("%s: %s", path, err.msg);
	}
	memset(&o, 0, sizeof(o));
	if (cs_time_parse(s->at, 0, &o.at, &err) < 0)
		fail_msg("[%s] at = %s: %s", s->name, s->at, err.msg);
	o.host = s->has_host && s->host[0] ? s->host : NULL;
	o.email = s->has_email && s->email[0] ? s->email : NULL;
	o.purpose = purpose_of(s->purpose);
	o.crls = s->crl[0] ? &crls : NULL;

	if (cs_verify_chain(&input, NULL, trust, &o, &res, &err) < 0)
		fail_msg("[%s] cs_verify_chain: %s", s->name, err.msg);
	codes_of(&res, codes, sizeof(codes));
	if (res.trusted != want_trusted)
		fail_msg("[%s] verdict %s, want %s; findings: %s", s->name,
			 res.trusted ? "trusted" : "rejected", s->verdict,
			 codes);
	snprintf(buf, sizeof(buf), "%s", s->expect);
	for (tok = strtok_r(buf, " ", &save); tok != NULL;
	     tok = strtok_r(NULL, " ", &save)) {
		size_t i;

		if (strcmp(tok, "ok") == 0) {
			for (i = 0; i < res.n_findings; i++)
				if (res.findings[i].severity == CS_SEV_ERROR)
					fail_msg("[%s] expected ok; findings:"
						 " %s", s->name, codes);
			continue;
		}
		if (!cs_verify_has(&res, tok))
			fail_msg("[%s] expected %s; findings: %s", s->name,
				 tok, codes);
	}
	/* Every finding carries a sentence and a code from the table. */
	for (size_t i = 0; i < res.n_findings; i++) {
		assert_non_null(cs_finding_lookup(res.findings[i].code));
		assert_non_null(res.findings[i].message);
	}
	assert_true(res.path_len >= 1);
	cs_verify_result_free(&res);
	cs_trust_free(trust);
	cs_itemlist_free(&crls);
	cs_itemlist_free(&input);
}

int main(void)
{
	struct CMUnitTest *tests;
	size_t i;
	int rc;

	if (read_manifest() < 0 || n_scen == 0) {
		fprintf(stderr, "cannot read %s/manifest.ini\n", tc_dir());
		return 1;
	}
	tests = calloc(n_scen, sizeof(*tests));
	if (tests == NULL)
		return 1;
	for (i = 0; i < n_scen; i++) {
		tests[i].name = scen[i].name;
		tests[i].test_func = run_scenario;
		tests[i].initial_state = &scen[i];
	}
	rc = _cmocka_run_group_tests("verify_manifest", tests, n_scen, NULL,
				     NULL);
	free(tests);
	return rc;
}
