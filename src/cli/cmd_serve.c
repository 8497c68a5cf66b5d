/*
 * cmd_serve.c - `certscope serve`: the Prometheus exporter.  Reads the
 * configuration (refused at start with the file, line and reason: exit
 * 2), starts the server (serve/server.h), then waits for signals: SIGHUP
 * reads the configuration again (a bad one is refused and the old one
 * kept, with the reason on stderr and in /metrics), SIGTERM or SIGINT
 * stop accepting and wait for the probes in flight, at most the longest
 * module timeout, then exit 0.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "cs_config.h"
#include "net/net.h"
#include "opts.h"
#include "serve/config.h"
#include "serve/server.h"

#define SERVE_DEFAULT_LISTEN "127.0.0.1:9219"
#define SERVE_GRACE_SLACK_MS 2000

struct serve_cli {
	const char *listen, *config;
	cs_time_t now, at;
	bool at_given;
};

static int set_option(void *ctx, int id, const char *arg)
{
	struct serve_cli *c = ctx;
	struct cs_error err;

	switch (id) {
	case OPT_LISTEN: {
		struct cs_net_target t;

		if (cs_net_parse_target(arg, &t, &err) < 0 || !t.is_ip ||
		    !t.port_given || t.starttls)
			return cli_usage("serve", "--listen takes ADDR:PORT "
					 "with an IP address (127.0.0.1:9219, "
					 "[::1]:9219), not '%s'", arg);
		c->listen = arg;
		return -1;
	}
	case OPT_CONFIG:
		c->config = arg;
		return -1;
	case OPT_AT:
		if (cs_time_parse(arg, c->now, &c->at, &err) < 0)
			return cli_usage("serve", "--at: %s", err.msg);
		c->at_given = true;
		return -1;
	default:
		return cli_usage("serve", "option %d not handled", id);
	}
}

static int64_t mono_ms(void *ctx)
{
	struct timespec ts;

	(void)ctx;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* The check time of every probe: now, or --at. */
static int64_t wall_s(void *ctx)
{
	const struct serve_cli *c = ctx;

	return c->at_given ? c->at : (int64_t)time(NULL);
}

static void log_line(void *ctx, const char *msg)
{
	(void)ctx;
	cli_warn("serve", "%s", msg);
}

static int load(const struct serve_cli *c, struct cs_serve_config *cfg,
		struct cs_error *err)
{
	if (!c->config)
		return cs_serve_config_parse(NULL, 0, NULL, cfg, err);
	return cs_serve_config_load(c->config, cfg, err);
}

static int64_t longest_timeout(const struct cs_serve_config *cfg)
{
	int64_t t = 0;

	for (size_t i = 0; i < cfg->n_modules; i++)
		if (cfg->modules[i].timeout_ms > t)
			t = cfg->modules[i].timeout_ms;
	return t;
}

int cmd_serve(int argc, char **argv)
{
	struct serve_cli c;
	struct cs_serve_config cfg;
	struct cs_serve_opts so;
	struct cs_serve *s;
	struct cs_error err;
	sigset_t set;
	int64_t grace;
	int first, rc, sig;

	memset(&c, 0, sizeof(c));
	c.listen = SERVE_DEFAULT_LISTEN;
	c.now = (cs_time_t)time(NULL);
	rc = cli_parse(cli_command_by_bit(CLI_CMD_SERVE), argc, argv,
		       set_option, &c, &first);
	if (rc >= 0)
		return rc;
	if (first < argc)
		return cli_usage("serve", "serve takes no operand, not '%s'",
				 argv[first]);
	cs_error_clear(&err);
	if (load(&c, &cfg, &err) < 0) {
		cli_error(c.config, "%s", err.msg);
		return CS_EXIT_INPUT;
	}
	if (!c.config)
		cli_warn("serve", "no --config: nothing may be probed (the "
			 "allow-list is empty)");
	grace = longest_timeout(&cfg) + SERVE_GRACE_SLACK_MS;
	/* the signals are taken here, by sigwait: every thread the server
	 * starts inherits the mask and never sees them */
	sigemptyset(&set);
	sigaddset(&set, SIGHUP);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);
	memset(&so, 0, sizeof(so));
	so.listen = c.listen;
	so.now_ms = mono_ms;
	so.wall_s = wall_s;
	so.clock_ctx = &c;
	so.log = log_line;
	so.version = CS_VERSION;
	s = cs_serve_start(&so, &cfg, &err);
	if (!s) {
		cs_serve_config_free(&cfg);
		cli_error(NULL, "%s", err.msg);
		return CS_EXIT_INPUT;
	}
	cli_note("listening on %s (port %u)", c.listen, cs_serve_port(s));
	for (;;) {
		if (sigwait(&set, &sig) != 0)
			continue;
		if (sig != SIGHUP)
			break;
		if (load(&c, &cfg, &err) < 0) {
			cli_warn(c.config, "reload refused, the previous "
				 "configuration stays: %s", err.msg);
			cs_serve_reload_failed(s, err.msg);
			continue;
		}
		if (longest_timeout(&cfg) + SERVE_GRACE_SLACK_MS > grace)
			grace = longest_timeout(&cfg) + SERVE_GRACE_SLACK_MS;
		cs_serve_reload(s, &cfg);
		cli_note("configuration reloaded from %s", c.config ?
			 c.config : "(defaults)");
	}
	cli_note("stopping: waiting for the probes in flight (at most %lld "
		 "ms)", (long long)grace);
	cs_serve_stop(s, grace);
	return CS_EXIT_OK;
}
