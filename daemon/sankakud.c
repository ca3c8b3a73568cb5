/*
 * sankakud.c: main.  Parses flags, loads the config and the indicator
 * index, wires the pipeline, the metrics endpoint, signals and systemd
 * notification to one event_base, and runs it.
 */

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/event.h>
#include <systemd/sd-daemon.h>

#include "config.h"
#include "index.h"
#include "log.h"
#include "metrics.h"
#include "pipeline.h"
#include "redisurl.h"
#include "replay.h"
#include "settings.h"
#include "signals.h"
#include "status.h"
#include "watchdog.h"

#ifndef SANKAKU_VERSION
#define SANKAKU_VERSION "0.0.0"
#endif
#define DEFAULT_CONFIG "/etc/sankaku/sankaku.json"
#define STOP_DEADLINE_S 20

struct daemon {
	struct event_base *base;
	const char *config_path;
	const char *redis_override;
	struct pipeline *pl;
	struct metrics metrics;
	struct status_http *http;
	struct watchdog *watchdog;
	struct signals *signals;
};

/* Usage, on stdout for -h (exit 0), else on stderr (exit 2). */
static void __attribute__((noreturn)) usage(int asked)
{
	fprintf(asked ? stdout : stderr,
	    "usage: sankakud [-d] [-c FILE] [--redis URL] [--check-config]\n"
	    "       sankakud [-c FILE] [--redis URL] --replay-deadletter "
	    "[--count N]\n"
	    "       sankakud --help-config | --version | -h\n"
	    "  -c FILE         config (default %s)\n"
	    "  -d              debug: log every alert\n"
	    "  --redis URL     Redis address, over the config's\n"
	    "  --check-config  validate the config and the index, then exit\n"
	    "  --replay-deadletter  put dead letters back into the input, "
	    "oldest\n"
	    "                  first (at most N with --count), then exit\n"
	    "  --help-config   every config key, its default and meaning\n",
	    DEFAULT_CONFIG);
	exit(asked ? 0 : 2);
}

/* Say that the index is not there yet. */
static void
warn_missing_index(const struct settings *s)
{
	if (s->idx_missing)
		log_warnx("index not found path=%s: sources come from rule "
			  "metadata until sankaku-rules writes it (a reload "
			  "loads it)",
		    s->cfg->index_path);
}

/* SIGHUP: build a fresh config and index, swap only if both are valid. */
static void
on_hup(void *arg)
{
	struct daemon *d = arg;
	struct settings s;
	char err[512];
	enum log_level lvl;

	sd_notify(0, "RELOADING=1");
	if (settings_load(
		d->config_path, d->redis_override, &s, err, sizeof(err)) != 0 ||
	    pl_swap_config(d->pl, s.cfg, s.idx, err, sizeof(err)) != 0) {
		d->metrics.reloads_failed++;
		log_error("reload refused, old config kept: %s", err);
	} else {
		warn_missing_index(&s);
		if (log_level_parse(s.cfg->log_level, &lvl) == 0)
			log_set_level(lvl);
		d->metrics.reloads_ok++;
		log_info("config reloaded file=%s sources=%zu indicators=%zu",
		    d->config_path, s.cfg->nsources, idx_count(s.idx));
	}
	sd_notify(0, "READY=1");
}

/* Drained, the links closed: leave the loop. */
static void
on_stopped(void *arg)
{
	struct daemon *d = arg;

	log_info("drained, exiting");
	event_base_loopexit(d->base, NULL);
}

/* SIGTERM/SIGINT: stop taking input, finish, exit 0. */
static void
on_term(void *arg)
{
	struct daemon *d = arg;
	struct timeval deadline = {STOP_DEADLINE_S, 0};

	event_base_loopexit(d->base, &deadline);
	pl_stop(d->pl, on_stopped);
}

/* Consuming for the first time. */
static void
on_ready(void *arg)
{
	(void)arg;
	sd_notify(0, "READY=1\nSTATUS=consuming");
}

/* GET /metrics (status.c). */
static char *
metrics_text(void *arg, unsigned long refused)
{
	struct daemon *d = arg;

	d->metrics.http_refused = refused;
	return metrics_render(&d->metrics, SANKAKU_VERSION);
}

/* GET /healthz: 200 while Redis is reachable and fit to consume from,
 * else 503 and why. */
static int
health(void *arg, const char **why)
{
	struct daemon *d = arg;

	*why = d->metrics.health;
	return d->metrics.redis_up;
}

/* The STATUS= line the watchdog sends (watchdog.c). */
static void
status(void *arg, char *buf, size_t len)
{
	struct daemon *d = arg;

	pl_status(d->pl, buf, len);
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
	    {"config", required_argument, NULL, 'c'},
	    {"redis", required_argument, NULL, 'r'},
	    {"check-config", no_argument, NULL, 'n'},
	    {"help-config", no_argument, NULL, 'H'},
	    {"version", no_argument, NULL, 'V'},
	    {"debug", no_argument, NULL, 'd'},
	    {"help", no_argument, NULL, 'h'},
	    {"replay-deadletter", no_argument, NULL, 'P'},
	    {"count", required_argument, NULL, 'N'},
	    {NULL, 0, NULL, 0},
	};
	struct daemon d;
	struct settings s;
	struct cfg *cfg;
	struct status_src src = {metrics_text, health, &d};
	char err[512], where[512];
	int ch, check = 0, debug = 0, replay = 0;
	long count = -1;
	char *end;
	enum log_level lvl = LOG_LVL_INFO;

	memset(&d, 0, sizeof(d));
	d.config_path = DEFAULT_CONFIG;
	while ((ch = getopt_long(argc, argv, "c:dhn", longopts, NULL)) != -1) {
		switch (ch) {
		case 'c':
			d.config_path = optarg;
			break;
		case 'r':
			d.redis_override = optarg;
			break;
		case 'n':
			check = 1;
			break;
		case 'd':
			debug = 1;
			break;
		case 'H':
			cfg_describe(stdout);
			return 0;
		case 'V':
			printf("sankakud %s\n", SANKAKU_VERSION);
			return 0;
		case 'h':
			usage(1);
		case 'P':
			replay = 1;
			break;
		case 'N':
			count = strtol(optarg, &end, 10);
			if (end == optarg || *end != '\0' || count < 0)
				usage(0);
			break;
		default:
			usage(0);
		}
	}
	if (optind != argc)
		usage(0);
	log_init("sankakud", debug ? LOG_LVL_DEBUG : LOG_LVL_INFO);

	if (settings_load(
		d.config_path, d.redis_override, &s, err, sizeof(err)) != 0) {
		if (check) { /* the contract: FILE: KEY: reason, exit 2 */
			fprintf(stderr, "%s\n", err);
			return 2;
		}
		fatalx("refusing to start: %s", err);
	}
	warn_missing_index(&s);
	if (replay) {
		int rv = replay_run(&s, count, stdout);

		settings_free(&s);
		return rv;
	}
	if (check) {
		printf("%s: ok (%zu sources, %zu indicators)\n", d.config_path,
		    s.cfg->nsources, idx_count(s.idx));
		settings_free(&s);
		return 0;
	}
	cfg = s.cfg;
	if (!debug && log_level_parse(cfg->log_level, &lvl) == 0)
		log_set_level(lvl);
	redisurl_display(&s.url, where, sizeof(where));

	if ((d.base = event_base_new()) == NULL)
		fatalx("event_base_new failed");
	d.pl = pl_new(d.base, cfg, s.idx, &s.url, &d.metrics, on_ready, &d);
	if (cfg->metrics_listen[0] != '\0' &&
	    (d.http = status_http_start(d.base, cfg->metrics_listen,
		 cfg->metrics_max_conns, &src, "metrics.listen", err,
		 sizeof(err))) == NULL)
		fatalx("%s", err);
	if ((d.signals = signals_start(d.base, on_term, on_hup, &d)) == NULL)
		fatalx("cannot install signal handlers");
	if ((d.watchdog = watchdog_start(d.base, status, &d)) == NULL)
		fatalx("cannot start the watchdog timer");
	log_info("starting version=%s config=%s redis=%s consumer=%s "
		 "input=%s sources=%zu indicators=%zu metrics=%s",
	    SANKAKU_VERSION, d.config_path, where, cfg->consumer,
	    cfg->input_key, cfg->nsources, idx_count(s.idx),
	    cfg->metrics_listen[0] != '\0' ? cfg->metrics_listen : "off");
	pl_start(d.pl);
	event_base_dispatch(d.base);

	log_info("exit consumed=%lu enriched=%lu stored=%lu skipped=%lu",
	    d.metrics.consumed, d.metrics.enriched, d.metrics.stored,
	    d.metrics.skipped);
	signals_free(d.signals);
	watchdog_free(d.watchdog);
	status_http_stop(d.http);
	pl_free(d.pl);
	event_base_free(d.base);
	return 0;
}
