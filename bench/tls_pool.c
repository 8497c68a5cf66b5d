/*
 * tls_pool.c - the TLS server the bench scripts check against: many
 * loopback endpoints (127.0.0.1 .. 127.0.0.A, each on the same P ports)
 * served by one process with a pool of worker threads, every listening
 * socket with a backlog of 1024.
 *
 * Why not gnutls-serv or tests/tls_server: gnutls-serv listens with a
 * backlog of 10 (hard-coded) on the wildcard address, so 32-64
 * connections arriving at once overflow its accept queue and the
 * dropped SYNs come back after TCP's 1-3 s retransmission timer, which
 * measures the kernel's timer rather than the client; tests/tls_server
 * serves one connection at a time, so 1,000 endpoints would take 1,000
 * processes.  This server does what both do per connection (GnuTLS,
 * default priority, no client certificate requested, the session
 * tickets GnuTLS sends by default) and nothing else: after the
 * handshake it reads until the client closes (or 10 s pass), then
 * closes.
 *
 *   tls_pool --cert CHAIN.pem --key KEY.pem [--addrs A] [--ports P]
 *            [--threads T] [--delay MS]
 *
 * --delay MS: a worker waits MS milliseconds after accepting before it
 * reads the ClientHello, as a server one network round trip away would
 * answer later (loopback has none); no CPU is spent in the wait.
 *
 * Prints the P port numbers on one line when every socket listens, then
 * serves until killed.  Defaults: A = 1, P = 1, T = 32.  Ports are chosen
 * by the kernel on 127.0.0.1, then bound on the other addresses too
 * (another port is tried when one is taken there).
 *
 * Bench code: loopback only; built by the bench scripts with
 *   cc -O2 -pthread tls_pool.c $(pkg-config --cflags --libs gnutls)
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <gnutls/gnutls.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#define BACKLOG 1024
#define QUEUE 4096
#define IO_TIMEOUT_S 10

static gnutls_certificate_credentials_t cred;
static gnutls_priority_t prio;
static unsigned delay_ms;

static int queue[QUEUE];
static unsigned q_head, q_len;
static pthread_mutex_t q_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t q_cv = PTHREAD_COND_INITIALIZER;

static void die(const char *what)
{
	fprintf(stderr, "tls_pool: %s: %s\n", what, strerror(errno));
	exit(1);
}

static void serve(int fd)
{
	gnutls_session_t s;
	struct timeval tv = {IO_TIMEOUT_S, 0};
	char buf[4096];
	int ret;

	if (delay_ms) {
		struct timespec ts = {delay_ms / 1000,
				      (long)(delay_ms % 1000) * 1000000L};
		nanosleep(&ts, NULL);
	}
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	if (gnutls_init(&s, GNUTLS_SERVER) < 0) {
		close(fd);
		return;
	}
	gnutls_priority_set(s, prio);
	gnutls_credentials_set(s, GNUTLS_CRD_CERTIFICATE, cred);
	gnutls_certificate_server_set_request(s, GNUTLS_CERT_IGNORE);
	gnutls_transport_set_int(s, fd);
	do
		ret = gnutls_handshake(s);
	while (ret < 0 && !gnutls_error_is_fatal(ret) &&
	       ret != GNUTLS_E_AGAIN);
	if (ret == 0) {
		/* until the client's close_notify, EOF, an error or the
		 * timeout; whatever it sends is ignored */
		do
			ret = (int)gnutls_record_recv(s, buf, sizeof(buf));
		while (ret > 0 || ret == GNUTLS_E_INTERRUPTED ||
		       ret == GNUTLS_E_REHANDSHAKE);
	}
	gnutls_deinit(s);
	close(fd);
}

static void *worker(void *arg)
{
	(void)arg;
	for (;;) {
		int fd;

		pthread_mutex_lock(&q_mu);
		while (!q_len)
			pthread_cond_wait(&q_cv, &q_mu);
		fd = queue[q_head];
		q_head = (q_head + 1) % QUEUE;
		q_len--;
		pthread_mutex_unlock(&q_mu);
		serve(fd);
	}
	return NULL;
}

static int listen_on(const char *addr, unsigned port, unsigned *got)
{
	struct sockaddr_in sa;
	socklen_t sl = sizeof(sa);
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
			0), one = 1;

	if (fd < 0)
		die("socket");
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_port = htons((unsigned short)port);
	inet_pton(AF_INET, addr, &sa.sin_addr);
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		if (errno == EADDRINUSE) {
			close(fd);
			return -1;
		}
		die(addr);
	}
	if (listen(fd, BACKLOG) < 0)
		die("listen");
	if (got) {
		getsockname(fd, (struct sockaddr *)&sa, &sl);
		*got = ntohs(sa.sin_port);
	}
	return fd;
}

int main(int argc, char **argv)
{
	const char *cert = NULL, *key = NULL;
	unsigned addrs = 1, ports = 1, threads = 32, i, j, n = 0;
	struct pollfd *pfd;
	unsigned *port;
	pthread_t th;
	int a, ret;

	for (a = 1; a + 1 < argc; a += 2) {
		if (!strcmp(argv[a], "--cert"))
			cert = argv[a + 1];
		else if (!strcmp(argv[a], "--key"))
			key = argv[a + 1];
		else if (!strcmp(argv[a], "--addrs"))
			addrs = (unsigned)atoi(argv[a + 1]);
		else if (!strcmp(argv[a], "--ports"))
			ports = (unsigned)atoi(argv[a + 1]);
		else if (!strcmp(argv[a], "--threads"))
			threads = (unsigned)atoi(argv[a + 1]);
		else if (!strcmp(argv[a], "--delay"))
			delay_ms = (unsigned)atoi(argv[a + 1]);
		else
			break;
	}
	if (a != argc || !cert || !key || addrs < 1 || addrs > 254 ||
	    ports < 1 || threads < 1) {
		fprintf(stderr, "usage: tls_pool --cert CHAIN --key KEY "
			"[--addrs 1..254] [--ports P] [--threads T] "
			"[--delay MS]\n");
		return 2;
	}
	signal(SIGPIPE, SIG_IGN);
	gnutls_global_init();
	gnutls_certificate_allocate_credentials(&cred);
	ret = gnutls_certificate_set_x509_key_file(cred, cert, key,
						   GNUTLS_X509_FMT_PEM);
	if (ret < 0) {
		fprintf(stderr, "tls_pool: %s: %s\n", cert,
			gnutls_strerror(ret));
		return 1;
	}
	gnutls_priority_init(&prio, NULL, NULL);

	pfd = calloc((size_t)addrs * ports, sizeof(*pfd));
	port = calloc(ports, sizeof(*port));
	if (!pfd || !port)
		die("calloc");
	for (j = 0; j < ports; j++) {
		unsigned tries;

		for (tries = 0; tries < 50; tries++) {
			unsigned first = n;
			int fd = listen_on("127.0.0.1", 0, &port[j]), ok = 1;

			pfd[n++].fd = fd;
			for (i = 2; i <= addrs && ok; i++) {
				char addr[32];

				snprintf(addr, sizeof(addr), "127.0.0.%u", i);
				fd = listen_on(addr, port[j], NULL);
				if (fd < 0)
					ok = 0;
				else
					pfd[n++].fd = fd;
			}
			if (ok)
				break;
			while (n > first) /* taken somewhere: another port */
				close(pfd[--n].fd);
		}
		if (tries == 50) {
			fprintf(stderr, "tls_pool: no free port\n");
			return 1;
		}
	}
	for (i = 0; i < threads; i++)
		if (pthread_create(&th, NULL, worker, NULL) != 0)
			die("pthread_create");
	for (j = 0; j < ports; j++)
		printf("%s%u", j ? " " : "", port[j]);
	printf("\n");
	fflush(stdout);

	for (i = 0; i < n; i++)
		pfd[i].events = POLLIN;
	for (;;) {
		if (poll(pfd, n, -1) < 0) {
			if (errno == EINTR)
				continue;
			die("poll");
		}
		for (i = 0; i < n; i++) {
			int fd;

			if (!(pfd[i].revents & POLLIN))
				continue;
			while ((fd = accept4(pfd[i].fd, NULL, NULL,
					     SOCK_CLOEXEC)) >= 0) {
				pthread_mutex_lock(&q_mu);
				if (q_len == QUEUE) {
					pthread_mutex_unlock(&q_mu);
					close(fd);
					continue;
				}
				queue[(q_head + q_len) % QUEUE] = fd;
				q_len++;
				pthread_cond_signal(&q_cv);
				pthread_mutex_unlock(&q_mu);
			}
		}
	}
}
