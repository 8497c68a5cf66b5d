/*
 * handshake.c - the floor for `certscope check`'s CPU per endpoint: N
 * sequential TLS client handshakes with GnuTLS in one process, each on
 * a fresh TCP connection and a fresh session, the way certscope's net
 * stage does one (gnutls_set_default_priority, a certificate
 * credential, SNI, blocking handshake, gnutls_bye(GNUTLS_SHUT_WR)), and
 * nothing else: no certificate verification unless --verify, no
 * resumption, no reporting.
 *
 *   handshake --n N [--verify CA.pem] [--host NAME] ADDR:PORT [ADDR:PORT...]
 *
 * Connects round-robin to the given IPv4 endpoints.  --verify has
 * GnuTLS check the chain against CA.pem and the host name (the cost of
 * a minimal validating client).  Prints one line:
 *   handshakes=N failed=F wall_s=W user_s=U sys_s=S cpu_us_per_handshake=C
 * with CPU from getrusage(RUSAGE_SELF), measured around the loop only
 * (library initialisation and credential loading excluded).
 *
 * Bench code: loopback only, built by bench/bench_check.sh with
 *   cc -O2 handshake.c $(pkg-config --cflags --libs gnutls)
 */
#include <arpa/inet.h>
#include <gnutls/gnutls.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static double tv_s(struct timeval tv)
{
	return (double)tv.tv_sec + (double)tv.tv_usec / 1e6;
}

static double mono_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int parse(const char *s, struct sockaddr_in *sa)
{
	char host[64];
	const char *colon = strrchr(s, ':');
	size_t n;

	if (!colon || (n = (size_t)(colon - s)) >= sizeof(host))
		return -1;
	memcpy(host, s, n);
	host[n] = '\0';
	memset(sa, 0, sizeof(*sa));
	sa->sin_family = AF_INET;
	sa->sin_port = htons((unsigned short)atoi(colon + 1));
	return inet_pton(AF_INET, host, &sa->sin_addr) == 1 ? 0 : -1;
}

static int one(const struct sockaddr_in *sa,
	       gnutls_certificate_credentials_t cred, const char *host,
	       int verify)
{
	gnutls_session_t s;
	int fd, ret;

	fd = socket(AF_INET, SOCK_STREAM, 0);
	if (fd < 0)
		return -1;
	if (connect(fd, (const struct sockaddr *)sa, sizeof(*sa)) < 0) {
		close(fd);
		return -1;
	}
	gnutls_init(&s, GNUTLS_CLIENT);
	gnutls_set_default_priority(s);
	gnutls_credentials_set(s, GNUTLS_CRD_CERTIFICATE, cred);
	if (host)
		gnutls_server_name_set(s, GNUTLS_NAME_DNS, host, strlen(host));
	if (verify)
		gnutls_session_set_verify_cert(s, host, 0);
	gnutls_transport_set_int(s, fd);
	do
		ret = gnutls_handshake(s);
	while (ret < 0 && !gnutls_error_is_fatal(ret));
	if (ret == 0)
		gnutls_bye(s, GNUTLS_SHUT_WR);
	else
		fprintf(stderr, "handshake: %s\n", gnutls_strerror(ret));
	gnutls_deinit(s);
	close(fd);
	return ret == 0 ? 0 : -1;
}

int main(int argc, char **argv)
{
	gnutls_certificate_credentials_t cred;
	struct sockaddr_in *sas;
	struct rusage r0, r1;
	const char *ca = NULL, *host = NULL;
	long n = 1000, i, failed = 0;
	int nsa = 0, a;
	double w0, w1, user, sys;

	sas = calloc((size_t)argc, sizeof(*sas));
	if (!sas)
		return 1;
	for (a = 1; a < argc; a++) {
		if (!strcmp(argv[a], "--n") && a + 1 < argc)
			n = atol(argv[++a]);
		else if (!strcmp(argv[a], "--verify") && a + 1 < argc)
			ca = argv[++a];
		else if (!strcmp(argv[a], "--host") && a + 1 < argc)
			host = argv[++a];
		else if (parse(argv[a], &sas[nsa]) == 0)
			nsa++;
		else {
			fprintf(stderr, "usage: handshake --n N [--verify CA] "
				"[--host NAME] ADDR:PORT...\n");
			return 2;
		}
	}
	if (!nsa || n <= 0) {
		fprintf(stderr, "handshake: no endpoint\n");
		return 2;
	}
	gnutls_global_init();
	gnutls_certificate_allocate_credentials(&cred);
	if (ca && gnutls_certificate_set_x509_trust_file(cred, ca,
						GNUTLS_X509_FMT_PEM) <= 0) {
		fprintf(stderr, "handshake: cannot load %s\n", ca);
		return 1;
	}
	getrusage(RUSAGE_SELF, &r0);
	w0 = mono_s();
	for (i = 0; i < n; i++)
		if (one(&sas[i % nsa], cred, host, ca != NULL) < 0)
			failed++;
	w1 = mono_s();
	getrusage(RUSAGE_SELF, &r1);
	user = tv_s(r1.ru_utime) - tv_s(r0.ru_utime);
	sys = tv_s(r1.ru_stime) - tv_s(r0.ru_stime);
	printf("handshakes=%ld failed=%ld wall_s=%.3f user_s=%.3f sys_s=%.3f "
	       "cpu_us_per_handshake=%.1f\n", n, failed, w1 - w0, user, sys,
	       (user + sys) * 1e6 / (double)n);
	gnutls_certificate_free_credentials(cred);
	gnutls_global_deinit();
	free(sas);
	return failed ? 1 : 0;
}
