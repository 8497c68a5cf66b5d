/*
 * fuzz_starttls.c - the STARTTLS dialogues against a hostile server: the
 * first byte picks the protocol, the rest is everything the "server"
 * says (written into a socketpair, then EOF).  The dialogue must end
 * with success or an error, within its deadline, never a crash.  Its
 * trace (--trace) is recorded and shown, as text and JSON.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "net/starttls.h"
#include "net/trace.h"
#include "report/trace.h"

#define MAX_SERVER_BYTES (60 * 1024) /* fits a socket buffer */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int64_t mono_ms(void *ctx)
{
	struct timespec ts;

	(void)ctx;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cs_deadline dl = {.now_ms = mono_ms};
	struct cs_net_trace trace;
	struct cs_error err;
	FILE *out;
	json_t *j;
	enum cs_starttls proto;
	int sv[2];

	if (size < 1 || size > MAX_SERVER_BYTES)
		return 0;
	/* 10 protocols after CS_STARTTLS_NONE */
	proto = (enum cs_starttls)(1 + data[0] % 10);
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0)
		return 0;
	if (write(sv[1], data + 1, size - 1) != (ssize_t)(size - 1)) {
		close(sv[0]);
		close(sv[1]);
		return 0;
	}
	shutdown(sv[1], SHUT_WR);
	dl.at_ms = mono_ms(NULL) + 200;
	cs_net_trace_init(&trace, &dl);
	if (cs_starttls_run(sv[0], proto, "fuzz.example", &dl, &trace,
			    &err) < 0)
		cs_net_trace_stop(&trace, NULL, &err);
	out = fopen("/dev/null", "w");
	if (out) {
		(void)cs_report_trace_text(out, &trace, NULL);
		fclose(out);
	}
	j = cs_report_trace_json(&trace, NULL);
	json_decref(j);
	cs_net_trace_free(&trace);
	close(sv[0]);
	close(sv[1]);
	return 0;
}
