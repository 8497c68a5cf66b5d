/*
 * test_check.c - the check stage without the network: target lines,
 * shards, the state of a verdict against the thresholds, files and trees
 * leaf by leaf, an endpoint that refuses (UNKNOWN), and the four report
 * formats' shapes.  The e2e test (tests/e2e/test_check.py) runs the
 * command against live servers.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>
#include <jansson.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "check/check.h"
#include "path/pool.h"
#include "report/check.h"

#define DAY 86400
/* the leaf of testcerts/pki/chain-rsa.pem expires 2027-12-31T23:59:59Z */
#define EE_NOT_AFTER INT64_C(1830297599)

/* $CS_TESTCERTS/rel in one of 64 rotating buffers: enough for every
 * path a test holds at once */
static char *tc(const char *rel)
{
	static char buf[64][1024];
	static int k;
	const char *base = getenv("CS_TESTCERTS");

	k = (k + 1) % 64;
	snprintf(buf[k], sizeof(buf[k]), "%s/%s", base ? base : "testcerts",
		 rel);
	return buf[k];
}

/* Multi-line output as TAP comments. */
static void show(const char *text)
{
	const char *p = text, *nl;

	while (*p) {
		nl = strchr(p, '\n');
		if (!nl)
			nl = p + strlen(p);
		print_message("# %.*s\n", (int)(nl - p), p);
		p = *nl ? nl + 1 : nl;
	}
}

static int64_t mono(void *ctx)
{
	struct timespec ts;

	(void)ctx;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* ---- targets ------------------------------------------------------ */

static void test_target_kinds(void **state)
{
	struct cs_check_target t;
	struct cs_error err;

	(void)state;
	assert_int_equal(cs_check_target_parse("example.com:443", 0, &t, &err),
			 0);
	assert_int_equal(t.kind, CS_CHECK_ENDPOINT);
	assert_int_equal(t.net.port, 443);
	assert_string_equal(t.net.host, "example.com");
	assert_int_equal(cs_check_target_parse("smtp://mx.example.com", 0, &t,
					       &err), 0);
	assert_int_equal(t.net.starttls, CS_STARTTLS_SMTP);
	assert_int_equal(t.net.port, 25);
	/* an existing path is a path; so is anything with a '/' */
	assert_int_equal(cs_check_target_parse(tc("pki/chain-rsa.pem"), 0, &t,
					       &err), 0);
	assert_int_equal(t.kind, CS_CHECK_PATH);
	assert_int_equal(cs_check_target_parse("no/such/file.pem", 0, &t,
					       &err), 0);
	assert_int_equal(t.kind, CS_CHECK_PATH);
	/* a bare word that is no file is a host, port 443 */
	assert_int_equal(cs_check_target_parse("no-such-file-here", 0, &t,
					       &err), 0);
	assert_int_equal(t.kind, CS_CHECK_ENDPOINT);
}

static void test_target_settings(void **state)
{
	static const struct {
		const char *line;
		const char *msg; /* NULL: accepted */
	} rows[] = {
		{"192.0.2.10:587 starttls=smtp host=mail.example.com", NULL},
		{"192.0.2.10 sni=a.example no-sni", "contradict"},
		{"192.0.2.10 colour=blue", "unknown setting 'colour'"},
		{"192.0.2.10 starttls=gopher", "unknown protocol"},
		{"192.0.2.10 timeout=0", "must be positive"},
		{"192.0.2.10 timeout=soon", "bad duration"},
		{"192.0.2.10 host=", "needs a value"},
		{"192.0.2.10 justaword", "not a setting"},
		{"gopher://192.0.2.10", "unknown scheme"},
		{"./certs.pem host=x", "apply to endpoints"},
		{"192.0.2.10 host=b\xc3\xbc" "cher.example", NULL},
		{"192.0.2.10 host=\xe2\x98\x83.example",
		 "not a valid internationalised host name"},
		{"192.0.2.10 sni=\xe2\x98\x83.example",
		 "not a valid internationalised host name"},
	};
	struct cs_check_target t;
	struct cs_error err;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		int rc;

		cs_error_clear(&err);
		rc = cs_check_target_parse(rows[i].line, 7, &t, &err);
		print_message("# %s -> %d %s\n", rows[i].line, rc, err.msg);
		if (!rows[i].msg) {
			assert_int_equal(rc, 0);
		} else {
			assert_int_equal(rc, -1);
			assert_non_null(strstr(err.msg, rows[i].msg));
		}
	}
	assert_int_equal(cs_check_target_parse(rows[0].line, 7, &t, &err), 0);
	assert_int_equal(t.net.starttls, CS_STARTTLS_SMTP);
	assert_int_equal(t.net.port, 587); /* the port given wins */
	assert_string_equal(t.host, "mail.example.com");
	assert_int_equal(t.line, 7);
	assert_int_equal(cs_check_target_parse("192.0.2.10 timeout=2m", 0, &t,
					       &err), 0);
	assert_int_equal(t.timeout_ms, 120000);
	assert_int_equal(cs_check_target_parse("192.0.2.10 timeout=5", 0, &t,
					       &err), 0);
	assert_int_equal(t.timeout_ms, 5000);
}

static void test_seen_once(void **state)
{
	struct cs_check_seen *seen = cs_check_seen_new();
	struct cs_check_target t;
	struct cs_error err;
	char spec[64];
	int i;

	(void)state;
	assert_non_null(seen);
	assert_int_equal(cs_check_target_parse("192.0.2.10 host=a.example", 3,
					       &t, &err), 0);
	assert_int_equal(cs_check_seen_add(seen, &t), 0);
	/* same text, same settings: seen, the first's line given */
	t.line = 9;
	assert_int_equal(cs_check_seen_add(seen, &t), 1);
	/* same text, another setting */
	assert_int_equal(cs_check_target_parse("192.0.2.10 host=b.example", 12,
					       &t, &err), 0);
	assert_int_equal(cs_check_seen_add(seen, &t), 2);
	assert_int_equal(cs_check_target_parse("192.0.2.10 no-sni host=a.example",
					       12, &t, &err), 0);
	assert_int_equal(cs_check_seen_add(seen, &t), 2);
	/* another text is another target, across the table's growth */
	for (i = 0; i < 500; i++) {
		snprintf(spec, sizeof(spec), "host%d.example:443", i);
		assert_int_equal(cs_check_target_parse(spec, 0, &t, &err), 0);
		assert_int_equal(cs_check_seen_add(seen, &t), 0);
	}
	for (i = 0; i < 500; i += 7) {
		snprintf(spec, sizeof(spec), "host%d.example:443", i);
		assert_int_equal(cs_check_target_parse(spec, 0, &t, &err), 0);
		assert_int_equal(cs_check_seen_add(seen, &t), 1);
	}
	cs_check_seen_free(seen);
}

static void test_line_strip(void **state)
{
	char a[] = "  example.com:443   # the web site\n";
	char b[] = "   # only a comment";
	char c[] = "\t\n";
	char d[] = "dir/with#hash.pem";

	(void)state;
	assert_string_equal(cs_check_line_strip(a), "example.com:443");
	assert_null(cs_check_line_strip(b));
	assert_null(cs_check_line_strip(c));
	assert_string_equal(cs_check_line_strip(d), "dir/with#hash.pem");
}

static void test_shards_partition(void **state)
{
	char spec[64];
	unsigned k, n = 5, hits, sizes[5] = {0};
	int i;

	(void)state;
	for (i = 0; i < 1000; i++) {
		snprintf(spec, sizeof(spec), "host%d.example.com:443", i);
		hits = 0;
		for (k = 1; k <= n; k++)
			if (cs_check_in_shard(spec, k, n)) {
				hits++;
				sizes[k - 1]++;
			}
		assert_int_equal(hits, 1); /* every target in exactly one */
		/* stable: the slice depends on the text alone */
		assert_true(cs_check_in_shard(spec, 1, 1));
	}
	for (k = 0; k < n; k++) /* and the slices are not lopsided */
		assert_in_range(sizes[k], 150, 250);
}

/* ---- states -------------------------------------------------------- */

struct fixture {
	struct cs_trust *trust;
	struct cs_check_opts o;
};

static void opts_init(struct fixture *f, const char *at)
{
	struct cs_error err;

	memset(f, 0, sizeof(*f));
	f->trust = cs_trust_new(&err);
	assert_non_null(f->trust);
	assert_int_equal(cs_trust_add_path(f->trust, tc("pki/root-rsa.pem"),
					   NULL, &err), 0);
	f->o.trust = f->trust;
	assert_int_equal(cs_time_parse(at, 0, &f->o.verify.at, &err), 0);
	f->o.warn_secs = 30 * DAY;
	f->o.crit_secs = 7 * DAY;
	f->o.jobs = 4;
	f->o.timeout_ms = 3000;
	f->o.now_ms = mono;
}

struct collected {
	struct cs_check_result r[16];
	size_t n;
};

static int collect(void *ctx, const struct cs_check_result *r)
{
	struct collected *c = ctx;

	assert_true(c->n < 16);
	assert_int_equal(cs_check_result_copy(&c->r[c->n++], r), 0);
	return 0;
}

static void collected_free(struct collected *c)
{
	for (size_t i = 0; i < c->n; i++)
		cs_check_result_free(&c->r[i]);
	c->n = 0;
}

struct targets {
	const char **v;
	size_t n, i;
};

static int next_target(void *ctx, struct cs_check_target *t,
		       struct cs_error *err)
{
	struct targets *ts = ctx;

	if (ts->i >= ts->n)
		return 0;
	if (cs_check_target_parse(ts->v[ts->i++], 0, t, err) < 0)
		return -1;
	return 1;
}

static void run(struct fixture *f, const char **v, size_t n,
		struct collected *out)
{
	struct targets ts = {v, n, 0};
	struct cs_error err;

	cs_error_clear(&err);
	assert_int_equal(cs_check_run(next_target, &ts, &f->o, collect, out,
				      &err), 0);
}

static void test_states_by_time(void **state)
{
	static const struct {
		const char *at;
		enum cs_check_state want;
		const char *code;
		int64_t days;
	} rows[] = {
		{"2026-06-01", CS_CHECK_OK, "ok", 578},
		/* 30 days and 23:59:59 left: not yet within 30 days */
		{"2027-12-01", CS_CHECK_OK, "ok", 30},
		{"2027-12-10", CS_CHECK_WARNING, "expires-soon", 21},
		{"2027-12-28", CS_CHECK_CRITICAL, "expires-soon", 3},
		{"2027-12-31T12:00:00Z", CS_CHECK_CRITICAL, "expires-soon", 0},
		/* past notAfter the validator says expired */
		{"2028-01-02", CS_CHECK_CRITICAL, "expired", -2},
	};
	char chain[1024];
	const char *v[] = {chain};
	size_t i;

	(void)state;
	snprintf(chain, sizeof(chain), "%s", tc("pki/chain-rsa.pem"));
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct fixture f;
		struct collected c = {0};

		opts_init(&f, rows[i].at);
		run(&f, v, 1, &c);
		print_message("# at %s: %s %s %s\n", rows[i].at,
			      cs_check_state_name(c.r[0].state), c.r[0].code,
			      c.r[0].reason);
		assert_int_equal(c.n, 1);
		assert_int_equal(c.r[0].state, rows[i].want);
		assert_string_equal(c.r[0].code, rows[i].code);
		assert_int_equal(c.r[0].earliest, EE_NOT_AFTER);
		assert_int_equal(c.r[0].days_left, rows[i].days);
		assert_int_equal(c.r[0].position, 0); /* the leaf limits */
		assert_int_equal(c.r[0].chain_len, 3);
		assert_true(c.r[0].chain[2].anchor);
		collected_free(&c);
		cs_trust_free(f.trust);
	}
}

static void test_untrusted_and_host(void **state)
{
	struct fixture f;
	struct collected c = {0};
	const char *v[1];

	(void)state;
	opts_init(&f, "2026-06-01");
	/* the EC chain against the RSA root only: not trusted */
	v[0] = tc("pki/chain-ec.pem");
	run(&f, v, 1, &c);
	assert_int_equal(c.r[0].state, CS_CHECK_CRITICAL);
	assert_false(c.r[0].trusted);
	assert_non_null(c.r[0].reason);
	collected_free(&c);
	/* a name the leaf does not hold */
	f.o.host = "other.example.test";
	v[0] = tc("pki/chain-rsa.pem");
	run(&f, v, 1, &c);
	assert_int_equal(c.r[0].state, CS_CHECK_CRITICAL);
	assert_string_equal(c.r[0].code, "hostname-mismatch");
	assert_string_equal(c.r[0].host, "other.example.test");
	collected_free(&c);
	/* unreadable: UNKNOWN, or CRITICAL when asked */
	v[0] = tc("bad/truncated.der");
	run(&f, v, 1, &c);
	assert_int_equal(c.r[0].state, CS_CHECK_UNKNOWN);
	collected_free(&c);
	f.o.unreachable_critical = true;
	v[0] = "/no/such/file.pem";
	run(&f, v, 1, &c);
	assert_int_equal(c.r[0].state, CS_CHECK_CRITICAL);
	assert_string_equal(c.r[0].code, "io");
	collected_free(&c);
	cs_trust_free(f.trust);
}

/* A tree: each leaf is a target; the intermediates are their pool. */
static void test_tree_leaf_by_leaf(void **state)
{
	struct fixture f;
	struct collected c = {0};
	const char *v[1];
	size_t i, trusted = 0;

	(void)state;
	opts_init(&f, "2026-06-01");
	assert_int_equal(cs_trust_add_path(f.trust, tc("pki/root-ec.pem"),
					   NULL, NULL), 0);
	v[0] = tc("dirtree");
	run(&f, v, 1, &c);
	for (i = 0; i < c.n; i++) {
		print_message("# %s %s %s\n", c.r[i].target,
			      cs_check_state_name(c.r[i].state), c.r[i].code);
		trusted += c.r[i].state == CS_CHECK_OK;
		/* no CA that issued something in the tree is a target */
		assert_null(strstr(c.r[i].target, "ica-rsa.der"));
	}
	/* dirtree: ee-rsa.pem (its ICA elsewhere in the tree) and
	 * chain-ec.pem's leaf; both validate */
	assert_int_equal(c.n, 2);
	assert_int_equal(trusted, 2);
	collected_free(&c);
	cs_trust_free(f.trust);
}

static void test_pool_leaves(void **state)
{
	struct cs_itemlist l;
	struct cs_error err;
	size_t *leaves, n;

	(void)state;
	cs_itemlist_init(&l);
	/* leaf, intermediate, root: only the leaf issued nothing */
	assert_int_equal(cs_load_path(&l, tc("pki/fullchain-rsa.pem"), NULL,
				      &err), 0);
	assert_int_equal(cs_pool_leaves(&l, &leaves, &n, &err), 0);
	assert_int_equal(n, 1);
	assert_int_equal(leaves[0], 0);
	free(leaves);
	cs_itemlist_free(&l);
	/* a lone root is a leaf of its own set */
	assert_int_equal(cs_load_path(&l, tc("pki/root-rsa.pem"), NULL, &err),
			 0);
	assert_int_equal(cs_pool_leaves(&l, &leaves, &n, &err), 0);
	assert_int_equal(n, 1);
	free(leaves);
	cs_itemlist_free(&l);
}

/* An endpoint nobody listens on: UNKNOWN with the reason, and a path
 * target in the same run is unaffected. */
static void test_endpoint_refused(void **state)
{
	struct fixture f;
	struct collected c = {0};
	struct sockaddr_in sa = {.sin_family = AF_INET};
	socklen_t len = sizeof(sa);
	char spec[64];
	const char *v[2];
	int fd;
	size_t i;

	(void)state;
	/* a port that was just free */
	fd = socket(AF_INET, SOCK_STREAM, 0);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&sa, &len), 0);
	close(fd);
	snprintf(spec, sizeof(spec), "127.0.0.1:%u", ntohs(sa.sin_port));
	v[0] = spec;
	v[1] = tc("pki/chain-rsa.pem");
	opts_init(&f, "2026-06-01");
	run(&f, v, 2, &c);
	assert_int_equal(c.n, 2);
	for (i = 0; i < 2; i++) {
		if (!strcmp(c.r[i].target, spec)) {
			assert_int_equal(c.r[i].state, CS_CHECK_UNKNOWN);
			assert_string_equal(c.r[i].code, "net");
			assert_non_null(strstr(c.r[i].reason, "refused"));
			assert_false(c.r[i].reached);
		} else {
			assert_int_equal(c.r[i].state, CS_CHECK_OK);
		}
	}
	collected_free(&c);
	cs_trust_free(f.trust);
}

/* ---- report formats ------------------------------------------------ */

static char *render_in(enum cs_check_format fmt, bool verbose,
		       bool in_memory, struct collected *c)
{
	struct cs_check_report_opts ro = {.format = fmt, .verbose = verbose,
		.warn_secs = 30 * DAY, .crit_secs = 7 * DAY,
		.in_memory = in_memory};
	struct cs_check_report *r;
	struct cs_error err;
	char *buf = NULL;
	size_t len = 0, i;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	r = cs_check_report_new(f, &ro, &err);
	assert_non_null(r);
	for (i = 0; i < c->n; i++)
		assert_int_equal(cs_check_report_add(r, &c->r[i], &err), 0);
	assert_int_equal(cs_check_report_finish(r, &err), 0);
	cs_check_report_free(r);
	fclose(f);
	return buf;
}

static char *render(enum cs_check_format fmt, bool verbose,
		    struct collected *c)
{
	return render_in(fmt, verbose, false, c);
}

/* Three results: OK, WARNING (the leaf in 21 days), CRITICAL. */
static void three(struct collected *c)
{
	struct fixture f;
	const char *v[1];

	v[0] = tc("pki/chain-rsa.pem");
	opts_init(&f, "2026-06-01");
	run(&f, v, 1, c);
	cs_trust_free(f.trust);
	opts_init(&f, "2027-12-10");
	run(&f, v, 1, c);
	free(c->r[1].target);
	c->r[1].target = strdup("it's=odd|name");
	cs_trust_free(f.trust);
	opts_init(&f, "2028-01-02");
	run(&f, v, 1, c);
	free(c->r[2].target);
	c->r[2].target = strdup("expired.pem");
	cs_trust_free(f.trust);
}

static void test_report_text(void **state)
{
	struct collected c = {0};
	char *out, *crit, *warn;

	(void)state;
	three(&c);
	out = render(CS_CHECK_FMT_TEXT, false, &c);
	show(out);
	crit = strstr(out, "CRITICAL expired.pem  expired  certificate 0 (");
	warn = strstr(out, "WARNING  it's=odd|name  21d left  certificate 0 (");
	assert_non_null(crit);
	assert_non_null(warn);
	assert_true(crit < warn);          /* worst first */
	assert_non_null(strstr(crit, "expired: "));
	assert_non_null(strstr(warn, "expires in 21 days"));
	assert_null(strstr(out, "OK"));    /* OK targets are quiet */
	free(out);
	/* all OK: nothing at all */
	cs_check_result_free(&c.r[1]);
	cs_check_result_free(&c.r[2]);
	c.n = 1;
	out = render(CS_CHECK_FMT_TEXT, false, &c);
	assert_string_equal(out, "");
	free(out);
	out = render(CS_CHECK_FMT_TEXT, true, &c);
	assert_non_null(strstr(out, "OK "));
	free(out);
	collected_free(&c);
}

static void test_report_nagios(void **state)
{
	struct collected c = {0};
	char *out, *bar, *nl;

	(void)state;
	three(&c);
	out = render(CS_CHECK_FMT_NAGIOS, false, &c);
	show(out);
	assert_non_null(strstr(out, "CERTSCOPE CRITICAL - 1 of 3 targets "
				    "critical, 1 expire within 30 days: "
				    "expired.pem (expired), it's=odd\\|name "
				    "(21 days left) | "));
	nl = strchr(out, '\n');
	bar = strchr(out, '|');
	/* the target's '|' was escaped, so the first bare '|' is the
	 * perfdata separator */
	assert_non_null(bar);
	while (bar && bar > out && bar[-1] == '\\')
		bar = strchr(bar + 1, '|');
	assert_true(bar < nl);
	assert_non_null(strstr(bar, "'it''s_odd\\|name'=21;30;7;;"));
	assert_non_null(strstr(bar, "'expired.pem'=-2;30;7;;"));
	assert_non_null(strstr(nl, "\nWARNING  "));
	free(out);
	collected_free(&c);
}

static void test_report_json_lines(void **state)
{
	struct collected c = {0};
	char *out, *line, *save = NULL;
	size_t n = 0;

	(void)state;
	three(&c);
	out = render(CS_CHECK_FMT_JSON, false, &c);
	for (line = strtok_r(out, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		json_error_t je;
		json_t *j = json_loads(line, 0, &je);

		assert_non_null(j);
		assert_non_null(json_object_get(j, "state"));
		assert_int_equal(json_array_size(json_object_get(j, "chain")),
				 3);
		if (n == 1) {
			assert_string_equal(json_string_value(
				json_object_get(j, "state")), "WARNING");
			assert_int_equal(json_integer_value(
				json_object_get(j, "days_left")), 21);
			assert_string_equal(json_string_value(
				json_object_get(j, "earliest_not_after")),
				"2027-12-31T23:59:59Z");
		}
		json_decref(j);
		n++;
	}
	assert_int_equal(n, 3);
	free(out);
	collected_free(&c);
}

static void test_report_prometheus(void **state)
{
	struct collected c = {0};
	char *out, *p;

	(void)state;
	three(&c);
	out = render(CS_CHECK_FMT_PROMETHEUS, false, &c);
	show(out);
	/* each family once, grouped: HELP, TYPE, then its samples */
	p = strstr(out, "# TYPE certscope_check_state gauge\n");
	assert_non_null(p);
	assert_null(strstr(p + 1, "# TYPE certscope_check_state gauge"));
	assert_non_null(strstr(out, "certscope_check_state{target="
				    "\"expired.pem\"} 2\n"));
	assert_non_null(strstr(out, "certscope_check_success{target="
				    "\"expired.pem\"} 0\n"));
	assert_non_null(strstr(out, "certscope_check_earliest_expiry_"
				    "timestamp_seconds{target=\"it's=odd|"
				    "name\"} 1830297599\n"));
	assert_non_null(strstr(out, "certscope_cert_not_after_timestamp_"
				    "seconds{target=\"expired.pem\","
				    "position=\"2\",subject=\""));
	/* durations in seconds with three decimals, not %.17g's noise */
	assert_non_null(strstr(out, "certscope_check_duration_seconds{target="
				    "\"expired.pem\"} "));
	assert_null(strstr(out, "00000000001"));
	/* spooled in memory (the exporter) or in files: the same text */
	{
		char *mem = render_in(CS_CHECK_FMT_PROMETHEUS, false, true,
				      &c);

		assert_string_equal(mem, out);
		free(mem);
	}
	free(out);
	collected_free(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_target_kinds),
		cmocka_unit_test(test_target_settings),
		cmocka_unit_test(test_seen_once),
		cmocka_unit_test(test_line_strip),
		cmocka_unit_test(test_shards_partition),
		cmocka_unit_test(test_states_by_time),
		cmocka_unit_test(test_untrusted_and_host),
		cmocka_unit_test(test_tree_leaf_by_leaf),
		cmocka_unit_test(test_pool_leaves),
		cmocka_unit_test(test_endpoint_refused),
		cmocka_unit_test(test_report_text),
		cmocka_unit_test(test_report_nagios),
		cmocka_unit_test(test_report_json_lines),
		cmocka_unit_test(test_report_prometheus),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
