/*
 * test_serve.c - the exporter's parsers and its allow-list: the YAML
 * configuration (valid, each kind of error with its line), the request
 * URI (percent-encoding, limits, repeats), and which targets may be
 * probed.  tests/e2e/test_serve.py runs the server with a real
 * Prometheus.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "online/online.h"
#include "serve/config.h"
#include "serve/query.h"

static const char good[] =
	"# exporter configuration\n"
	"allow:\n"
	"  hosts: [\"*.example.com\", mail.example.org]\n"
	"  networks: [192.0.2.0/24, \"2001:db8::/32\", 127.0.0.1]\n"
	"  ports: [443, \"8000-8099\"]\n"
	"max_concurrent_probes: 4\n"
	"modules:\n"
	"  https:\n"
	"    timeout: 5s\n"
	"    trust: /etc/ssl/certs/ca-certificates.crt\n"
	"    warn: 21d\n"
	"    crit: 3d\n"
	"  smtp:\n"
	"    starttls: smtp\n"
	"    all_addresses: true\n"
	"    revocation: hard\n"
	"    revocation_source: ocsp\n"
	"    fetch_missing: true\n"
	"    cache_dir: /var/cache/certscope\n"
	"  plain:\n";

static void test_config_good(void **state)
{
	struct cs_serve_config c;
	struct cs_error err;
	const struct cs_serve_module *m;

	(void)state;
	assert_int_equal(cs_serve_config_parse(good, strlen(good), "x.yml", &c,
					       &err), 0);
	assert_int_equal(c.n_hosts, 2);
	assert_int_equal(c.n_nets, 3);
	assert_int_equal(c.nets[2].prefix, 32);
	assert_int_equal(c.n_ports, 2);
	assert_int_equal(c.ports[1].lo, 8000);
	assert_int_equal(c.ports[1].hi, 8099);
	assert_int_equal(c.max_probes, 4);
	assert_int_equal(c.n_modules, 3);
	m = cs_serve_config_module(&c, "https");
	assert_non_null(m);
	assert_int_equal(m->timeout_ms, 5000);
	assert_int_equal(m->warn_secs, 21 * 86400);
	assert_int_equal(m->n_trust, 1);
	m = cs_serve_config_module(&c, "smtp");
	assert_int_equal(m->starttls, CS_STARTTLS_SMTP);
	assert_true(m->all_addresses);
	assert_int_equal(m->revocation, CS_REVOCATION_HARD);
	assert_int_equal(m->rev_sources, CS_REVOCATION_OCSP);
	assert_true(m->fetch_missing);
	assert_string_equal(m->cache_dir, "/var/cache/certscope");
	m = cs_serve_config_module(&c, "plain");
	assert_int_equal(m->timeout_ms, CS_SERVE_DEFAULT_TIMEOUT_MS);
	/* revocation is off unless asked, from both sources when asked */
	assert_int_equal(m->revocation, CS_REVOCATION_OFF);
	assert_int_equal(m->rev_sources,
			 CS_REVOCATION_OCSP | CS_REVOCATION_CRL);
	assert_null(cs_serve_config_module(&c, "nope"));
	cs_serve_config_free(&c);
	/* no file: one default module, nothing allowed */
	assert_int_equal(cs_serve_config_parse(NULL, 0, NULL, &c, &err), 0);
	assert_int_equal(c.n_modules, 1);
	assert_string_equal(c.modules[0].name, "default");
	assert_int_equal(c.n_hosts + c.n_nets + c.n_ports + c.n_dirs, 0);
	cs_serve_config_free(&c);
}

static void test_config_errors(void **state)
{
	static const struct {
		const char *yaml, *msg;
	} rows[] = {
		{"allow:\n  hostz: [a]\n", "c.yml:2: unknown key 'allow.hostz'"},
		{"modules:\n  x:\n    timeout: soon\n", "c.yml:3: timeout"},
		{"modules:\n  x:\n    timeout: 0s\n", "from 1s to 1h"},
		{"modules:\n  x:\n    colour: red\n", "unknown module key"},
		{"modules:\n  x:\n    starttls: gopher\n", "unknown protocol"},
		{"modules:\n  x:\n    purpose: web\n", "c.yml:3: purpose takes"},
		{"modules:\n  x:\n    revocation: maybe\n",
		 "c.yml:3: revocation takes off, soft or hard"},
		{"modules:\n  x:\n    revocation_source: [ocsp, ldap]\n",
		 "revocation_source takes"},
		{"modules:\n  x:\n    cache_dir: cache\n", "absolute path"},
		{"modules:\n  x:\n    warn: 1d\n    crit: 2d\n",
		 "longer than warn"},
		{"modules:\n  x: {}\n  x: {}\n", "defined twice"},
		{"modules:\n  \"a b\": {}\n", "module name"},
		{"allow:\n  networks: [10.0.0.0/33]\n", "prefix length"},
		{"allow:\n  networks: [example.com]\n", "not an address range"},
		{"allow:\n  ports: [0]\n", "not a port"},
		{"allow:\n  ports: [\"9-2\"]\n", "not a port"},
		{"allow:\n  hosts: [\"ex ample\"]\n", "not a host name"},
		{"allow:\n  directories: [relative/dir]\n", "absolute path"},
		{"max_concurrent_probes: 0\n", "from 1 to 1024"},
		{"listen: [\n", "c.yml:"},
		{"- a\n- b\n", "is a map"},
		{"allow: {hosts: [a]}\nextra: 1\n", "c.yml:2: unknown key"},
		/* a repeated key would silently replace the first */
		{"modules:\n  x:\n    trust: a\n    trust: b\n",
		 "c.yml:4: 'trust' given twice"},
		{"allow:\n  ports: [1]\nallow:\n  ports: [2]\n",
		 "c.yml:3: 'allow' given twice"},
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct cs_serve_config c;
		struct cs_error err;

		cs_error_clear(&err);
		assert_int_equal(cs_serve_config_parse(rows[i].yaml,
						       strlen(rows[i].yaml),
						       "c.yml", &c, &err), -1);
		print_message("# %s\n", err.msg);
		assert_non_null(strstr(err.msg, rows[i].msg));
		assert_null(c.modules); /* left empty */
	}
}

static void test_query(void **state)
{
	static const struct {
		const char *uri, *path, *target, *module, *msg;
	} rows[] = {
		{"/probe?target=a.example.com%3A443&module=https", "/probe",
		 "a.example.com:443", "https", NULL},
		{"/probe?module=x&target=smtp%3A%2F%2Fmx+1", "/probe",
		 "smtp://mx 1", "x", NULL},
		{"/metrics", "/metrics", "", "", NULL},
		{"/probe?target=a&&debug=1&", "/probe", "a", "", NULL},
		{"/probe?target=%zz", NULL, NULL, NULL, "percent-encoding"},
		{"/probe?target=%4", NULL, NULL, NULL, "percent-encoding"},
		{"/probe?target=a%00b", NULL, NULL, NULL, "control character"},
		{"/probe?target=a&target=b", NULL, NULL, NULL, "twice"},
		{"probe", NULL, NULL, NULL, "start with '/'"},
		{"/p?a=1&b=2&c=3&d=4&e=5&f=6&g=7&h=8&i=9&j=10&k=11&l=12&m=13"
		 "&n=14&o=15&p=16&q=17", NULL, NULL, NULL, "more than 16"},
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct cs_query q;
		struct cs_error err;
		int rc = cs_query_parse(rows[i].uri, strlen(rows[i].uri), &q,
					&err);

		if (rows[i].msg) {
			assert_int_equal(rc, -1);
			assert_non_null(strstr(err.msg, rows[i].msg));
			continue;
		}
		assert_int_equal(rc, 0);
		assert_string_equal(q.path, rows[i].path);
		assert_string_equal(q.target, rows[i].target);
		assert_string_equal(q.module, rows[i].module);
	}
	{
		/* a huge URI is refused before anything is decoded */
		char big[CS_QUERY_MAX_URI + 10];
		struct cs_query q;
		struct cs_error err;

		memset(big, 'a', sizeof(big));
		big[0] = '/';
		assert_int_equal(cs_query_parse(big, sizeof(big), &q, &err),
				 -1);
		assert_int_equal(err.code, CS_E_LIMIT);
	}
}

static void test_allow_list(void **state)
{
	static const struct {
		const char *target;
		bool ok;
		const char *why;
	} rows[] = {
		{"www.example.com:443", true, NULL},
		{"a.b.example.com:8050", true, NULL},
		{"example.com:443", false, "does not match allow.hosts"},
		{"evil-example.com:443", false, "does not match"},
		{"MAIL.example.org:443", true, NULL},
		{"mail.example.org:25", false, "port 25"},
		{"192.0.2.77:443", true, NULL},
		{"192.0.3.1:443", false, "not in allow.networks"},
		{"127.0.0.1:443", true, NULL},
		{"127.0.0.2:443", false, "not in allow.networks"},
		{"[2001:db8::5]:443", true, NULL},
		{"[2001:db9::5]:443", false, "not in allow.networks"},
	};
	struct cs_serve_config c;
	struct cs_error err;
	size_t i;

	(void)state;
	assert_int_equal(cs_serve_config_parse(good, strlen(good), "x", &c,
					       &err), 0);
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct cs_check_target t;
		char why[200] = "";
		bool ok;

		assert_int_equal(cs_check_target_parse(rows[i].target, 0, &t,
						       &err), 0);
		ok = cs_serve_allowed(&c, &t, why, sizeof(why));
		print_message("# %s -> %d %s\n", rows[i].target, ok, why);
		assert_int_equal(ok, rows[i].ok);
		if (!ok)
			assert_non_null(strstr(why, rows[i].why));
	}
	cs_serve_config_free(&c);
}

static void test_allow_directories(void **state)
{
	const char *tcdir = getenv("CS_TESTCERTS");
	char yaml[1200], path[900];
	struct cs_serve_config c;
	struct cs_check_target t;
	struct cs_error err;
	char why[200];

	(void)state;
	if (!tcdir)
		tcdir = "testcerts";
	snprintf(yaml, sizeof(yaml), "allow:\n  directories: [\"%.800s/pki\"]\n",
		 tcdir);
	assert_int_equal(cs_serve_config_parse(yaml, strlen(yaml), "d", &c,
					       &err), 0);
	memset(&t, 0, sizeof(t));
	t.kind = CS_CHECK_PATH;
	snprintf(path, sizeof(path), "%.800s/pki/chain-rsa.pem", tcdir);
	snprintf(t.spec, sizeof(t.spec), "%s", path);
	assert_true(cs_serve_allowed(&c, &t, why, sizeof(why)));
	/* "..", and a sibling that shares the prefix, are outside */
	snprintf(t.spec, sizeof(t.spec), "%.800s/pki/../bad/junk.bin", tcdir);
	assert_false(cs_serve_allowed(&c, &t, why, sizeof(why)));
	snprintf(t.spec, sizeof(t.spec), "%.800s/pki-other/x.pem", tcdir);
	assert_false(cs_serve_allowed(&c, &t, why, sizeof(why)));
	/* missing and outside read the same: no probing of the disk */
	snprintf(t.spec, sizeof(t.spec), "/etc/passwd");
	assert_false(cs_serve_allowed(&c, &t, why, sizeof(why)));
	assert_string_equal(why, "file target not under an allowed directory");
	snprintf(t.spec, sizeof(t.spec), "/no/such/file");
	assert_false(cs_serve_allowed(&c, &t, why, sizeof(why)));
	assert_string_equal(why, "file target not under an allowed directory");
	cs_serve_config_free(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_config_good),
		cmocka_unit_test(test_config_errors),
		cmocka_unit_test(test_query),
		cmocka_unit_test(test_allow_list),
		cmocka_unit_test(test_allow_directories),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
