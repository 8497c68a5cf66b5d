/*
 * loadgen.c - a small HTTP/1.1 load generator for bench/bench_serve.sh:
 * C threads each send GET requests one after the other to one URL on
 * loopback until TOTAL requests were sent (or SECONDS passed), and the
 * latency of each (connect + request + whole answer read) is recorded.
 *
 *   loadgen [-c THREADS] [-n TOTAL] [-d SECONDS] [-k] [-m METRIC]
 *           [-o FILE] [-H 'Name: value']... http://127.0.0.1:PORT/PATH
 *
 *   -c  concurrent clients (threads), default 1
 *   -n  requests in all (default 1000); -d stops earlier after SECONDS
 *   -k  keep the connection open between requests (HTTP keep-alive;
 *       reconnects when the server closes); default: a new connection
 *       per request, "Connection: close"
 *   -m  also take the value of the line "METRIC VALUE" of each answer
 *       (e.g. probe_duration_seconds) and write "LATENCY_S VALUE" per
 *       request to -o FILE (else -o writes the latencies alone)
 *   -H  an extra request header (up to 8)
 *
 * Prints one line:
 *   requests=N ok=N non_2xx=N errors=N wall_s=W rps=R mean_ms=M
 *   p50_ms=A p90_ms=B p99_ms=C max_ms=D cpu_s=U
 * rps counts 2xx answers only; cpu_s is this process's user + system.
 *
 * Bench code: loopback only (the URL must name an IPv4 address); built
 * by bench/bench_serve.sh with cc -O2 -pthread.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAX_HDRS 8
#define BUF_BYTES (1 << 20)

static struct sockaddr_in sa;
static char req_close[4096], req_keep[4096];
static long total = 1000;
static double seconds;
static int keep;
static const char *metric;
static atomic_long issued;
static double t_start;

struct sample {
	double lat;   /* seconds */
	double value; /* the metric's value, or -1 */
};

struct worker {
	pthread_t th;
	struct sample *s;
	long n, cap, ok, non2xx, errors;
	char *buf;
	int fd;
};

static double mono(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int dial(void)
{
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0), one = 1;

	if (fd < 0)
		return -1;
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

static int send_all(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t w = send(fd, p, n, MSG_NOSIGNAL);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/* Read one answer into buf (NUL-terminated body at *body); returns the
 * status, or -1.  *closed: the server will close (or did). */
static int read_answer(int fd, char *buf, char **body, int *closed)
{
	size_t have = 0, hlen = 0, need = 0;
	long clen = -1;
	int status = -1, chunked = 0;
	char *p, *e;

	*closed = 0;
	for (;;) {
		ssize_t r;

		if (have >= BUF_BYTES - 1)
			return -1;
		r = recv(fd, buf + have, BUF_BYTES - 1 - have, 0);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -1;
		if (r == 0) {
			*closed = 1;
			if (!hlen)
				return -1;
			break; /* body ends at EOF */
		}
		have += (size_t)r;
		buf[have] = '\0';
		if (!hlen) {
			e = strstr(buf, "\r\n\r\n");
			if (!e)
				continue;
			hlen = (size_t)(e - buf) + 4;
			if (sscanf(buf, "HTTP/1.%*d %d", &status) != 1)
				return -1;
			for (p = buf; p && p < e; p = strstr(p, "\r\n")) {
				p += 2;
				if (!strncasecmp(p, "Content-Length:", 15))
					clen = atol(p + 15);
				else if (!strncasecmp(p, "Transfer-Encoding:",
						      18) && strstr(p, "chunked"))
					chunked = 1;
				else if (!strncasecmp(p, "Connection:", 11) &&
					 strncasecmp(p + 11, " close", 6) == 0)
					*closed = 1;
			}
			if (clen >= 0)
				need = hlen + (size_t)clen;
		}
		if (clen >= 0 && have >= need)
			break;
		if (chunked && strstr(buf + hlen, "\r\n0\r\n\r\n"))
			break;
		if (chunked && have - hlen >= 5 &&
		    !memcmp(buf + hlen, "0\r\n\r\n", 5))
			break;
	}
	*body = buf + hlen;
	return status;
}

static double metric_value(const char *body)
{
	size_t l = strlen(metric);
	const char *p = body;

	while (p && *p) {
		if (!strncmp(p, metric, l) && p[l] == ' ')
			return atof(p + l + 1);
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	return -1;
}

static void *run(void *arg)
{
	struct worker *w = arg;
	int closed;

	w->fd = -1;
	for (;;) {
		double t0, lat;
		char *body = NULL;
		int status;
		const char *req = keep ? req_keep : req_close;

		if (atomic_fetch_add(&issued, 1) >= total)
			break;
		if (seconds > 0 && mono() - t_start > seconds)
			break;
		t0 = mono();
		if (w->fd < 0)
			w->fd = dial();
		if (w->fd < 0 || send_all(w->fd, req, strlen(req)) < 0 ||
		    (status = read_answer(w->fd, w->buf, &body, &closed)) < 0) {
			w->errors++;
			if (w->fd >= 0)
				close(w->fd);
			w->fd = -1;
			continue;
		}
		lat = mono() - t0;
		if (!keep || closed) {
			close(w->fd);
			w->fd = -1;
		}
		if (status >= 200 && status < 300)
			w->ok++;
		else
			w->non2xx++;
		if (w->n == w->cap) {
			long cap = w->cap ? w->cap * 2 : 1024;
			struct sample *s = realloc(w->s, (size_t)cap *
						   sizeof(*s));
			if (!s)
				break;
			w->s = s;
			w->cap = cap;
		}
		w->s[w->n].lat = lat;
		w->s[w->n].value = metric ? metric_value(body) : -1;
		w->n++;
	}
	if (w->fd >= 0)
		close(w->fd);
	return NULL;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
	const char *hdr[MAX_HDRS], *out = NULL, *url = NULL;
	char host[64], extra[2048] = "";
	const char *path;
	struct worker *ws;
	struct rusage ru;
	double wall, *lat, sum = 0;
	long ok = 0, non2xx = 0, errors = 0, n = 0, i, k;
	int c = 1, nh = 0, a, port;
	FILE *f = NULL;

	for (a = 1; a < argc; a++) {
		if (!strcmp(argv[a], "-c") && a + 1 < argc)
			c = atoi(argv[++a]);
		else if (!strcmp(argv[a], "-n") && a + 1 < argc)
			total = atol(argv[++a]);
		else if (!strcmp(argv[a], "-d") && a + 1 < argc)
			seconds = atof(argv[++a]);
		else if (!strcmp(argv[a], "-k"))
			keep = 1;
		else if (!strcmp(argv[a], "-m") && a + 1 < argc)
			metric = argv[++a];
		else if (!strcmp(argv[a], "-o") && a + 1 < argc)
			out = argv[++a];
		else if (!strcmp(argv[a], "-H") && a + 1 < argc &&
			 nh < MAX_HDRS)
			hdr[nh++] = argv[++a];
		else if (!strncmp(argv[a], "http://", 7))
			url = argv[a];
		else {
			fprintf(stderr, "usage: loadgen [-c N] [-n N] [-d S] "
				"[-k] [-m METRIC] [-o FILE] [-H HDR] "
				"http://ADDR:PORT/PATH\n");
			return 2;
		}
	}
	if (!url || c < 1 || total < 1 ||
	    sscanf(url, "http://%63[0-9.]:%d", host, &port) != 2 ||
	    !(path = strchr(url + 7, '/'))) {
		fprintf(stderr, "loadgen: need http://IPV4:PORT/PATH\n");
		return 2;
	}
	sa.sin_family = AF_INET;
	sa.sin_port = htons((unsigned short)port);
	if (inet_pton(AF_INET, host, &sa.sin_addr) != 1)
		return 2;
	for (i = 0; i < nh; i++) {
		strncat(extra, hdr[i], sizeof(extra) - strlen(extra) - 3);
		strcat(extra, "\r\n");
	}
	snprintf(req_close, sizeof(req_close), "GET %s HTTP/1.1\r\nHost: "
		 "%s:%d\r\nConnection: close\r\n%s\r\n", path, host, port,
		 extra);
	snprintf(req_keep, sizeof(req_keep), "GET %s HTTP/1.1\r\nHost: "
		 "%s:%d\r\n%s\r\n", path, host, port, extra);
	ws = calloc((size_t)c, sizeof(*ws));
	if (!ws)
		return 1;
	t_start = mono();
	for (i = 0; i < c; i++) {
		ws[i].buf = malloc(BUF_BYTES);
		if (!ws[i].buf ||
		    pthread_create(&ws[i].th, NULL, run, &ws[i]) != 0)
			return 1;
	}
	for (i = 0; i < c; i++)
		pthread_join(ws[i].th, NULL);
	wall = mono() - t_start;
	for (i = 0; i < c; i++) {
		ok += ws[i].ok;
		non2xx += ws[i].non2xx;
		errors += ws[i].errors;
		n += ws[i].n;
	}
	lat = malloc((size_t)(n ? n : 1) * sizeof(*lat));
	if (!lat)
		return 1;
	if (out && !(f = fopen(out, "w"))) {
		perror(out);
		return 1;
	}
	for (i = 0, k = 0; i < c; i++) {
		long j;

		for (j = 0; j < ws[i].n; j++) {
			lat[k++] = ws[i].s[j].lat;
			sum += ws[i].s[j].lat;
			if (f && metric)
				fprintf(f, "%.9f %.6f\n", ws[i].s[j].lat,
					ws[i].s[j].value);
			else if (f)
				fprintf(f, "%.9f\n", ws[i].s[j].lat);
		}
		free(ws[i].s);
		free(ws[i].buf);
	}
	if (f)
		fclose(f);
	qsort(lat, (size_t)n, sizeof(*lat), cmp);
	getrusage(RUSAGE_SELF, &ru);
#define PCT(p) (n ? lat[(long)((double)(n - 1) * (p))] * 1e3 : 0)
	printf("requests=%ld ok=%ld non_2xx=%ld errors=%ld wall_s=%.3f "
	       "rps=%.1f mean_ms=%.3f p50_ms=%.3f p90_ms=%.3f p99_ms=%.3f "
	       "max_ms=%.3f cpu_s=%.3f\n", n + errors, ok, non2xx, errors,
	       wall, (double)ok / wall, n ? sum * 1e3 / (double)n : 0,
	       PCT(0.5), PCT(0.9), PCT(0.99), PCT(1.0),
	       (double)ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 +
	       (double)ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6);
	free(lat);
	free(ws);
	return errors ? 1 : 0;
}
