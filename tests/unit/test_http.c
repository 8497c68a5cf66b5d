/*
 * test_http.c - net/http.c without the network: URLs that are not http
 * or https are refused before anything is sent, and a server on
 * 127.0.0.1 that accepts and never answers costs the deadline, not more,
 * with every wait going through the deadline's poll hook (what check's
 * coroutines rely on), and no connection is started once the deadline
 * has passed.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "net/http.h"

static int64_t mono_ms(void *ctx)
{
	struct timespec ts;

	(void)ctx;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int hook_calls;

static int counting_poll(void *pctx, struct pollfd *fds, nfds_t n,
			 int timeout_ms)
{
	(void)pctx;
	hook_calls++;
	return poll(fds, n, timeout_ms);
}

static void test_schemes_refused(void **state)
{
	static const char *const urls[] = {
		"file:///etc/passwd", "ftp://127.0.0.1/x", "ldap://ca/x",
		"gopher://127.0.0.1:70/", "not a url",
	};
	struct cs_deadline dl = {.now_ms = mono_ms};
	struct cs_http_resp r;
	struct cs_error err;
	size_t i;

	(void)state;
	dl.at_ms = mono_ms(NULL) + 5000;
	for (i = 0; i < sizeof(urls) / sizeof(*urls); i++) {
		struct cs_http_req rq = {.url = urls[i], .max_bytes = 1024};

		cs_error_clear(&err);
		assert_int_equal(cs_http_fetch(&rq, &dl, &r, &err), -1);
		assert_int_equal(err.code, CS_E_USAGE);
		assert_non_null(strstr(err.msg, urls[i]));
	}
}

static void test_silent_server_costs_the_deadline(void **state)
{
	struct sockaddr_in sa;
	socklen_t len = sizeof(sa);
	struct cs_deadline dl = {.now_ms = mono_ms, .poll = counting_poll};
	struct cs_http_req rq = {.max_bytes = 1024};
	struct cs_http_resp r;
	struct cs_error err;
	char url[64];
	int64_t t0, took;
	int ls;

	(void)state;
	ls = socket(AF_INET, SOCK_STREAM, 0);
	assert_true(ls >= 0);
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(ls, (struct sockaddr *)&sa, sizeof(sa)), 0);
	assert_int_equal(listen(ls, 4), 0); /* the kernel accepts; nobody
					       ever answers */
	assert_int_equal(getsockname(ls, (struct sockaddr *)&sa, &len), 0);
	snprintf(url, sizeof(url), "http://127.0.0.1:%u/x",
		 (unsigned)ntohs(sa.sin_port));
	rq.url = url;
	hook_calls = 0;
	t0 = mono_ms(NULL);
	dl.at_ms = t0 + 300;
	cs_error_clear(&err);
	assert_int_equal(cs_http_fetch(&rq, &dl, &r, &err), -1);
	took = mono_ms(NULL) - t0;
	assert_int_equal(err.code, CS_E_TIMEOUT);
	assert_non_null(strstr(err.msg, url));
	assert_true(took >= 250);
	assert_true(took < 2000);
	assert_true(hook_calls > 0);
	/* past the deadline: refused at once, nothing polled */
	hook_calls = 0;
	cs_error_clear(&err);
	assert_int_equal(cs_http_fetch(&rq, &dl, &r, &err), -1);
	assert_int_equal(err.code, CS_E_TIMEOUT);
	assert_int_equal(hook_calls, 0);
	close(ls);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_schemes_refused),
		cmocka_unit_test(test_silent_server_costs_the_deadline),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
