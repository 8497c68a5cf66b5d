/* see config.h */
#include "serve/config.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <yaml.h>

#include "online/online.h"
#include "path/verify.h"

struct ctx {
	yaml_document_t doc;
	const char *name;
	struct cs_serve_config *c;
	struct cs_error *err;
};

static int fail(struct ctx *x, const yaml_node_t *n, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int fail(struct ctx *x, const yaml_node_t *n, const char *fmt, ...)
{
	char m[200];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(m, sizeof(m), fmt, ap);
	va_end(ap);
	return cs_error_setx(x->err, CS_E_PARSE, "%.40s:%zu: %s", x->name,
			     n ? (size_t)n->start_mark.line + 1 : (size_t)0, m);
}

static const char *scalar(const yaml_node_t *n)
{
	return n && n->type == YAML_SCALAR_NODE ?
		(const char *)n->data.scalar.value : NULL;
}

static yaml_node_t *node(struct ctx *x, int id)
{
	return yaml_document_get_node(&x->doc, id);
}

static int want_scalar(struct ctx *x, const yaml_node_t *n, const char *key,
		       const char **out)
{
	*out = scalar(n);
	if (!*out)
		return fail(x, n, "%s takes a single value", key);
	if (strlen(*out) > 4096)
		return fail(x, n, "%s is longer than 4096 bytes", key);
	return 0;
}

static int want_bool(struct ctx *x, const yaml_node_t *n, const char *key,
		     bool *out)
{
	const char *s;

	if (want_scalar(x, n, key, &s) < 0)
		return -1;
	if (!strcmp(s, "true") || !strcmp(s, "yes")) {
		*out = true;
	} else if (!strcmp(s, "false") || !strcmp(s, "no")) {
		*out = false;
	} else {
		return fail(x, n, "%s takes true or false, not '%.40s'", key,
			    s);
	}
	return 0;
}

static int want_duration(struct ctx *x, const yaml_node_t *n,
			 const char *key, int64_t *secs)
{
	struct cs_error e;
	const char *s;

	if (want_scalar(x, n, key, &s) < 0)
		return -1;
	if (cs_duration_parse(s, secs, &e) < 0)
		return fail(x, n, "%s: %s", key, e.msg);
	return 0;
}

static int want_uint(struct ctx *x, const yaml_node_t *n, const char *key,
		     unsigned long min, unsigned long max, unsigned long *out)
{
	const char *s;
	char *end;

	if (want_scalar(x, n, key, &s) < 0)
		return -1;
	errno = 0;
	*out = strtoul(s, &end, 10);
	if (!*s || *end || errno || s[0] == '-' || *out < min || *out > max)
		return fail(x, n, "%s takes a number from %lu to %lu, not "
			    "'%.40s'", key, min, max, s);
	return 0;
}

static char *dup(struct ctx *x, const char *s)
{
	char *d = strdup(s);

	if (!d)
		cs_error_setx(x->err, CS_E_NOMEM, "out of memory");
	return d;
}

/* Refuse a key given twice in one map (YAML forbids it; libyaml does not
 * check, and the second would silently win). */
static int unique_key(struct ctx *x, const yaml_node_t *map,
		      const yaml_node_pair_t *p)
{
	const char *key = scalar(node(x, p->key));
	const yaml_node_pair_t *q;

	for (q = map->data.mapping.pairs.start; key && q < p; q++) {
		const char *k = scalar(node(x, q->key));

		if (k && !strcmp(k, key))
			return fail(x, node(x, p->key), "'%.40s' given twice",
				    key);
	}
	return 0;
}

/* A list of strings: a sequence of scalars, or one scalar. */
static int want_strings(struct ctx *x, const yaml_node_t *n, const char *key,
			char ***out, size_t *nout)
{
	yaml_node_item_t *it;
	size_t k = 0, cnt;

	if (n->type == YAML_SCALAR_NODE) {
		*out = calloc(1, sizeof(**out));
		if (!*out || !((*out)[0] = dup(x, scalar(n))))
			return cs_error_setx(x->err, CS_E_NOMEM,
					     "out of memory");
		*nout = 1;
		return 0;
	}
	if (n->type != YAML_SEQUENCE_NODE)
		return fail(x, n, "%s takes a list", key);
	cnt = (size_t)(n->data.sequence.items.top -
		       n->data.sequence.items.start);
	if (cnt > CS_SERVE_MAX_LIST)
		return fail(x, n, "%s holds more than %d entries", key,
			    CS_SERVE_MAX_LIST);
	*out = calloc(cnt ? cnt : 1, sizeof(**out));
	if (!*out)
		return cs_error_setx(x->err, CS_E_NOMEM, "out of memory");
	for (it = n->data.sequence.items.start;
	     it < n->data.sequence.items.top; it++) {
		const yaml_node_t *e = node(x, *it);
		const char *s;

		if (want_scalar(x, e, key, &s) < 0)
			return -1;
		if (!((*out)[k] = dup(x, s)))
			return -1;
		*nout = ++k;
	}
	return 0;
}

static void free_strings(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

/* ---- allow-list entries ------------------------------------------ */

static bool valid_pattern(const char *p)
{
	const char *s = !strncmp(p, "*.", 2) ? p + 2 : p;

	if (!*s || strlen(p) > 253)
		return false;
	for (; *s; s++)
		if (!(isalnum((unsigned char)*s) || *s == '-' || *s == '.' ||
		      *s == '_'))
			return false;
	return true;
}

static int parse_net(struct ctx *x, const yaml_node_t *n, const char *s,
		     struct cs_serve_net *out)
{
	char ip[64];
	const char *slash = strchr(s, '/');
	size_t len = slash ? (size_t)(slash - s) : strlen(s);
	unsigned long bits;
	char *end;

	memset(out, 0, sizeof(*out));
	if (len >= sizeof(ip))
		return fail(x, n, "'%.40s' is not an address range", s);
	memcpy(ip, s, len);
	ip[len] = '\0';
	if (inet_pton(AF_INET, ip, out->addr) == 1)
		out->family = 4;
	else if (inet_pton(AF_INET6, ip, out->addr) == 1)
		out->family = 6;
	else
		return fail(x, n, "'%.40s' is not an address range (CIDR: "
			    "192.0.2.0/24, 2001:db8::/32)", s);
	bits = out->family == 4 ? 32 : 128;
	if (slash) {
		unsigned long max = bits;

		errno = 0;
		bits = strtoul(slash + 1, &end, 10);
		if (!slash[1] || *end || errno || bits > max)
			return fail(x, n, "'%.40s': bad prefix length", s);
	}
	out->prefix = (unsigned)bits;
	return 0;
}

static int parse_ports(struct ctx *x, const yaml_node_t *n, const char *s,
		       struct cs_serve_ports *out)
{
	unsigned long lo, hi;
	char *end;

	errno = 0;
	lo = strtoul(s, &end, 10);
	hi = lo;
	if (*end == '-') {
		const char *h = end + 1;

		hi = strtoul(h, &end, 10);
		if (!*h)
			end = (char *)h - 1;
	}
	if (end == s || *end || errno || lo < 1 || hi > 65535 || lo > hi ||
	    s[0] == '-')
		return fail(x, n, "'%.40s' is not a port or port range "
			    "(443, \"8000-8099\")", s);
	out->lo = (unsigned)lo;
	out->hi = (unsigned)hi;
	return 0;
}

static int parse_allow(struct ctx *x, const yaml_node_t *m)
{
	struct cs_serve_config *c = x->c;
	yaml_node_pair_t *p;

	if (m->type != YAML_MAPPING_NODE)
		return fail(x, m, "allow takes hosts, networks, ports and "
			    "directories");
	for (p = m->data.mapping.pairs.start; p < m->data.mapping.pairs.top;
	     p++) {
		const yaml_node_t *k = node(x, p->key), *v = node(x, p->value);
		const char *key = scalar(k);
		char **list = NULL;
		size_t n = 0, i;

		if (!key)
			return fail(x, k, "a key must be a word");
		if (unique_key(x, m, p) < 0)
			return -1;
		if (strcmp(key, "hosts") && strcmp(key, "networks") &&
		    strcmp(key, "ports") && strcmp(key, "directories"))
			return fail(x, k, "unknown key 'allow.%.40s' (hosts, "
				    "networks, ports, directories)", key);
		if (want_strings(x, v, key, &list, &n) < 0) {
			free_strings(list, n);
			return -1;
		}
		if (!strcmp(key, "hosts")) {
			for (i = 0; i < n; i++)
				if (!valid_pattern(list[i])) {
					fail(x, v, "'%.40s' is not a host "
					     "name or *.pattern", list[i]);
					free_strings(list, n);
					return -1;
				}
			free_strings(c->hosts, c->n_hosts);
			c->hosts = list;
			c->n_hosts = n;
			continue;
		}
		if (!strcmp(key, "directories")) {
			for (i = 0; i < n; i++) {
				char real[PATH_MAX];

				if (list[i][0] != '/' ||
				    !realpath(list[i], real)) {
					fail(x, v, "directory '%.60s' is not "
					     "an absolute path that exists",
					     list[i]);
					free_strings(list, n);
					return -1;
				}
				free(list[i]);
				list[i] = strdup(real);
				if (!list[i]) {
					free_strings(list, n);
					return cs_error_setx(x->err, CS_E_NOMEM,
							     "out of memory");
				}
			}
			free_strings(c->dirs, c->n_dirs);
			c->dirs = list;
			c->n_dirs = n;
			continue;
		}
		if (!strcmp(key, "networks")) {
			free(c->nets);
			c->n_nets = 0;
			c->nets = calloc(n ? n : 1, sizeof(*c->nets));
			for (i = 0; c->nets && i < n; i++)
				if (parse_net(x, v, list[i], &c->nets[i]) < 0) {
					free_strings(list, n);
					return -1;
				}
			c->n_nets = c->nets ? n : 0;
		} else {
			free(c->ports);
			c->n_ports = 0;
			c->ports = calloc(n ? n : 1, sizeof(*c->ports));
			for (i = 0; c->ports && i < n; i++)
				if (parse_ports(x, v, list[i], &c->ports[i]) <
				    0) {
					free_strings(list, n);
					return -1;
				}
			c->n_ports = c->ports ? n : 0;
		}
		free_strings(list, n);
	}
	return 0;
}

/* ---- modules ----------------------------------------------------- */

static void module_defaults(struct cs_serve_module *m)
{
	memset(m, 0, sizeof(*m));
	m->timeout_ms = CS_SERVE_DEFAULT_TIMEOUT_MS;
	m->revocation = CS_REVOCATION_OFF;
	m->rev_sources = CS_REVOCATION_OCSP | CS_REVOCATION_CRL;
	m->warn_secs = 30 * 86400;
	m->crit_secs = 7 * 86400;
}

static void module_free(struct cs_serve_module *m)
{
	free(m->name);
	free_strings(m->trust, m->n_trust);
	free_strings(m->untrusted, m->n_untrusted);
	free_strings(m->crl, m->n_crl);
	free(m->host);
	free(m->sni);
	free(m->purpose);
	free(m->cache_dir);
	memset(m, 0, sizeof(*m));
}

static int module_key(struct ctx *x, struct cs_serve_module *m,
		      const yaml_node_t *k, const yaml_node_t *v)
{
	const char *key = scalar(k), *s;
	unsigned long u;
	int64_t secs;

	if (!key)
		return fail(x, k, "a key must be a word");
	if (!strcmp(key, "timeout")) {
		if (want_duration(x, v, key, &secs) < 0)
			return -1;
		if (secs < 1 || secs > 3600)
			return fail(x, v, "timeout must be from 1s to 1h");
		m->timeout_ms = secs * 1000;
	} else if (!strcmp(key, "warn")) {
		return want_duration(x, v, key, &m->warn_secs);
	} else if (!strcmp(key, "crit")) {
		return want_duration(x, v, key, &m->crit_secs);
	} else if (!strcmp(key, "trust")) {
		return want_strings(x, v, key, &m->trust, &m->n_trust);
	} else if (!strcmp(key, "untrusted")) {
		return want_strings(x, v, key, &m->untrusted,
				    &m->n_untrusted);
	} else if (!strcmp(key, "crl")) {
		return want_strings(x, v, key, &m->crl, &m->n_crl);
	} else if (!strcmp(key, "system_trust")) {
		return want_bool(x, v, key, &m->system_trust);
	} else if (!strcmp(key, "all_addresses")) {
		return want_bool(x, v, key, &m->all_addresses);
	} else if (!strcmp(key, "no_sni")) {
		return want_bool(x, v, key, &m->no_sni);
	} else if (!strcmp(key, "host") || !strcmp(key, "sni") ||
		   !strcmp(key, "purpose")) {
		char **dst = !strcmp(key, "host") ? &m->host :
			!strcmp(key, "sni") ? &m->sni : &m->purpose;

		struct cs_verify_opts vo;

		if (want_scalar(x, v, key, &s) < 0)
			return -1;
		if (dst == &m->purpose && cs_purpose_parse(s, &vo) < 0)
			return fail(x, v, "purpose takes server, client, email, "
				    "code, any or a dotted OID, not '%.40s'", s);
		free(*dst);
		*dst = dup(x, s);
		return *dst ? 0 : -1;
	} else if (!strcmp(key, "starttls")) {
		if (want_scalar(x, v, key, &s) < 0)
			return -1;
		if (strcmp(s, "none") && cs_starttls_lookup(s, &m->starttls) < 0)
			return fail(x, v, "starttls: unknown protocol '%.40s'",
				    s);
	} else if (!strcmp(key, "revocation")) {
		if (want_scalar(x, v, key, &s) < 0)
			return -1;
		if (!strcmp(s, "off"))
			m->revocation = CS_REVOCATION_OFF;
		else if (!strcmp(s, "soft"))
			m->revocation = CS_REVOCATION_SOFT;
		else if (!strcmp(s, "hard"))
			m->revocation = CS_REVOCATION_HARD;
		else
			return fail(x, v, "revocation takes off, soft or hard, "
				    "not '%.40s'", s);
	} else if (!strcmp(key, "revocation_source")) {
		char **list = NULL;
		size_t n = 0, i;
		unsigned bits = 0;

		if (want_strings(x, v, key, &list, &n) < 0) {
			free_strings(list, n);
			return -1;
		}
		for (i = 0; i < n; i++) {
			if (!strcmp(list[i], "ocsp"))
				bits |= CS_REVOCATION_OCSP;
			else if (!strcmp(list[i], "crl"))
				bits |= CS_REVOCATION_CRL;
			else
				bits = 0, i = n;
		}
		free_strings(list, n);
		if (!bits)
			return fail(x, v, "revocation_source takes ocsp, crl or "
				    "both");
		m->rev_sources = bits;
	} else if (!strcmp(key, "fetch_missing")) {
		return want_bool(x, v, key, &m->fetch_missing);
	} else if (!strcmp(key, "cache_dir")) {
		if (want_scalar(x, v, key, &s) < 0)
			return -1;
		if (s[0] != '/')
			return fail(x, v, "cache_dir must be an absolute path");
		free(m->cache_dir);
		m->cache_dir = dup(x, s);
		return m->cache_dir ? 0 : -1;
	} else if (!strcmp(key, "max_depth")) {
		if (want_uint(x, v, key, 0, 1000, &u) < 0)
			return -1;
		m->max_depth = (unsigned)u + 1;
	} else {
		return fail(x, k, "unknown module key '%.40s' (the keys are in "
			    "the EXPORTER section of certscope(1))", key);
	}
	return 0;
}

static int parse_modules(struct ctx *x, const yaml_node_t *m)
{
	struct cs_serve_config *c = x->c;
	yaml_node_pair_t *p;
	size_t cnt;

	if (m->type != YAML_MAPPING_NODE)
		return fail(x, m, "modules takes a map of module names");
	cnt = (size_t)(m->data.mapping.pairs.top - m->data.mapping.pairs.start);
	if (cnt > CS_SERVE_MAX_MODULES)
		return fail(x, m, "more than %d modules", CS_SERVE_MAX_MODULES);
	for (p = m->data.mapping.pairs.start; p < m->data.mapping.pairs.top;
	     p++) {
		const yaml_node_t *k = node(x, p->key), *v = node(x, p->value);
		const char *name = scalar(k);
		struct cs_serve_module *mod;
		yaml_node_pair_t *q;
		size_t i;

		if (!name || !*name || strlen(name) > 64 ||
		    strspn(name, "abcdefghijklmnopqrstuvwxyz"
			   "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-") !=
		    strlen(name))
			return fail(x, k, "a module name is 1-64 letters, "
				    "digits, '_' or '-'");
		for (i = 0; i < c->n_modules; i++)
			if (!strcmp(c->modules[i].name, name))
				return fail(x, k, "module '%s' defined twice",
					    name);
		mod = &c->modules[c->n_modules];
		module_defaults(mod);
		mod->line = k->start_mark.line + 1;
		if (!(mod->name = dup(x, name)))
			return -1;
		c->n_modules++;
		if (v->type == YAML_SCALAR_NODE && !*scalar(v))
			continue; /* "name:" alone: every default */
		if (v->type != YAML_MAPPING_NODE)
			return fail(x, v, "module '%s' takes a map of "
				    "options", name);
		for (q = v->data.mapping.pairs.start;
		     q < v->data.mapping.pairs.top; q++)
			if (unique_key(x, v, q) < 0 ||
			    module_key(x, mod, node(x, q->key),
				       node(x, q->value)) < 0)
				return -1;
		if (mod->crit_secs > mod->warn_secs)
			return fail(x, v, "module '%s': crit (%lld s) is "
				    "longer than warn (%lld s)", name,
				    (long long)mod->crit_secs,
				    (long long)mod->warn_secs);
	}
	return 0;
}

static int parse_root(struct ctx *x)
{
	yaml_node_t *root = yaml_document_get_root_node(&x->doc);
	yaml_node_pair_t *p;
	unsigned long u;

	if (!root)
		return 0; /* an empty file: the defaults */
	if (root->type == YAML_SCALAR_NODE && !*scalar(root))
		return 0;
	if (root->type != YAML_MAPPING_NODE)
		return fail(x, root, "the configuration is a map (allow, "
			    "modules, max_concurrent_probes)");
	for (p = root->data.mapping.pairs.start;
	     p < root->data.mapping.pairs.top; p++) {
		const yaml_node_t *k = node(x, p->key), *v = node(x, p->value);
		const char *key = scalar(k);

		if (!key)
			return fail(x, k, "a key must be a word");
		if (unique_key(x, root, p) < 0)
			return -1;
		if (!strcmp(key, "allow")) {
			if (parse_allow(x, v) < 0)
				return -1;
		} else if (!strcmp(key, "modules")) {
			if (parse_modules(x, v) < 0)
				return -1;
		} else if (!strcmp(key, "max_concurrent_probes")) {
			if (want_uint(x, v, key, 1, 1024, &u) < 0)
				return -1;
			x->c->max_probes = (unsigned)u;
		} else {
			return fail(x, k, "unknown key '%.40s' (allow, "
				    "modules, max_concurrent_probes)", key);
		}
	}
	return 0;
}

int cs_serve_config_parse(const char *text, size_t len, const char *name,
			  struct cs_serve_config *c, struct cs_error *err)
{
	yaml_parser_t parser;
	struct ctx x;
	int rc = -1;

	memset(c, 0, sizeof(*c));
	memset(&x, 0, sizeof(x));
	x.name = name ? name : "(default)";
	x.c = c;
	x.err = err;
	c->max_probes = CS_SERVE_DEFAULT_PROBES;
	c->modules = calloc(CS_SERVE_MAX_MODULES, sizeof(*c->modules));
	if (!c->modules || (name && !(c->path = strdup(name))))
		goto nomem;
	if (len > CS_SERVE_MAX_CONFIG_BYTES) {
		cs_error_setx(err, CS_E_LIMIT, "%.60s: larger than %zu bytes",
			      x.name, CS_SERVE_MAX_CONFIG_BYTES);
		goto out;
	}
	if (text && len) {
		if (!yaml_parser_initialize(&parser))
			goto nomem;
		yaml_parser_set_input_string(&parser,
					     (const unsigned char *)text, len);
		if (!yaml_parser_load(&parser, &x.doc)) {
			cs_error_setx(err, CS_E_PARSE, "%.60s:%zu: %s%s%.60s",
				      x.name,
				      (size_t)parser.problem_mark.line + 1,
				      parser.problem ? parser.problem :
				      "not YAML", parser.context ? " " : "",
				      parser.context ? parser.context : "");
			yaml_parser_delete(&parser);
			goto out;
		}
		yaml_parser_delete(&parser);
		rc = parse_root(&x);
		yaml_document_delete(&x.doc);
		if (rc < 0)
			goto out;
		rc = -1;
	}
	if (c->n_modules == 0) {
		module_defaults(&c->modules[0]);
		if (!(c->modules[0].name = strdup("default")))
			goto nomem;
		c->n_modules = 1;
	}
	rc = 0;
	goto out;
nomem:
	cs_error_setx(err, CS_E_NOMEM, "out of memory");
out:
	if (rc < 0)
		cs_serve_config_free(c);
	return rc;
}

int cs_serve_config_load(const char *file, struct cs_serve_config *c,
			 struct cs_error *err)
{
	FILE *f = fopen(file, "r");
	char *buf;
	size_t n;
	int rc;

	memset(c, 0, sizeof(*c));
	if (!f)
		return cs_error_set(err, CS_E_IO, "%.100s", file);
	buf = malloc(CS_SERVE_MAX_CONFIG_BYTES + 1);
	if (!buf) {
		fclose(f);
		return cs_error_setx(err, CS_E_NOMEM, "out of memory");
	}
	n = fread(buf, 1, CS_SERVE_MAX_CONFIG_BYTES + 1, f);
	if (ferror(f)) {
		fclose(f);
		free(buf);
		return cs_error_set(err, CS_E_IO, "%.100s: read", file);
	}
	fclose(f);
	rc = cs_serve_config_parse(buf, n, file, c, err);
	free(buf);
	return rc;
}

void cs_serve_config_free(struct cs_serve_config *c)
{
	size_t i;

	if (!c)
		return;
	free(c->path);
	free_strings(c->hosts, c->n_hosts);
	free(c->nets);
	free(c->ports);
	free_strings(c->dirs, c->n_dirs);
	for (i = 0; c->modules && i < c->n_modules; i++)
		module_free(&c->modules[i]);
	free(c->modules);
	memset(c, 0, sizeof(*c));
}

const struct cs_serve_module *
cs_serve_config_module(const struct cs_serve_config *c, const char *name)
{
	for (size_t i = 0; i < c->n_modules; i++)
		if (!strcmp(c->modules[i].name, name))
			return &c->modules[i];
	return NULL;
}

/* ---- the allow-list ---------------------------------------------- */

static bool host_matches(const char *pattern, const char *host)
{
	size_t hl = strlen(host), pl;

	if (strncmp(pattern, "*.", 2))
		return !strcasecmp(pattern, host);
	/* "*.example.com": any name below example.com, at any depth */
	pl = strlen(pattern + 1); /* ".example.com" */
	return hl > pl && !strcasecmp(host + hl - pl, pattern + 1);
}

static bool in_net(const struct cs_serve_net *n, const unsigned char *a,
		   unsigned family)
{
	unsigned full = n->prefix / 8, rest = n->prefix % 8;

	if (n->family != family)
		return false;
	if (memcmp(n->addr, a, full))
		return false;
	if (rest && ((n->addr[full] ^ a[full]) & (0xff << (8 - rest)) & 0xff))
		return false;
	return true;
}

bool cs_serve_allowed(const struct cs_serve_config *c,
		      const struct cs_check_target *t, char *why, size_t whysz)
{
	size_t i;

	if (t->kind == CS_CHECK_PATH) {
		char real[PATH_MAX];

		if (!c->n_dirs) {
			snprintf(why, whysz, "file targets are not allowed "
				 "(allow.directories is empty)");
			return false;
		}
		if (!realpath(t->spec, real)) {
			snprintf(why, whysz, "file target not under an "
				 "allowed directory");
			return false;
		}
		for (i = 0; i < c->n_dirs; i++) {
			size_t dl = strlen(c->dirs[i]);

			if (!strncmp(real, c->dirs[i], dl) &&
			    (real[dl] == '/' || real[dl] == '\0' ||
			     !strcmp(c->dirs[i], "/")))
				return true;
		}
		/* the same words whether or not the file exists: a request
		 * must not learn what is on the disk */
		snprintf(why, whysz, "file target not under an allowed "
			 "directory");
		return false;
	}
	for (i = 0; i < c->n_ports; i++)
		if (t->net.port >= c->ports[i].lo &&
		    t->net.port <= c->ports[i].hi)
			break;
	if (i == c->n_ports) {
		snprintf(why, whysz, "port %u is not in allow.ports",
			 t->net.port);
		return false;
	}
	if (t->net.is_ip) {
		unsigned char a[16];
		unsigned fam = inet_pton(AF_INET, t->net.host, a) == 1 ? 4 : 6;

		if (fam == 6 && inet_pton(AF_INET6, t->net.host, a) != 1)
			fam = 0;
		for (i = 0; fam && i < c->n_nets; i++)
			if (in_net(&c->nets[i], a, fam))
				return true;
		snprintf(why, whysz, "address %.60s is not in allow.networks",
			 t->net.host);
		return false;
	}
	for (i = 0; i < c->n_hosts; i++)
		if (host_matches(c->hosts[i], t->net.host))
			return true;
	snprintf(why, whysz, "host %.100s does not match allow.hosts",
		 t->net.host);
	return false;
}
