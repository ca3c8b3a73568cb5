/*
 * sankaku-ship.c: main.  Follows Suricata's eve.json on a sensor and
 * pushes its events to the Redis list sankakud reads, at least once
 * (shipper.c), with metrics, signals and systemd notification on one
 * event_base.
 */

#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event2/event.h>
#include <systemd/sd-daemon.h>

#include "log.h"
#include "redisurl.h"
#include "ship_cfg.h"
#include "ship_metrics.h"
#include "shipper.h"
#include "signals.h"
#include "status.h"
#include "watchdog.h"

#ifndef SANKAKU_VERSION
#define SANKAKU_VERSION "0.0.0"
#endif
#define DEFAULT_CONFIG "/etc/sankaku/ship.json"
#define STOP_DEADLINE_S 10

struct ship {
	struct event_base *base;
	struct ship_cfg *cfg;
	struct shipper *sh;
	struct ship_metrics m;
	struct status_http *http;
};

static void __attribute__((noreturn)) usage(int asked)
{
	fprintf(asked ? stdout : stderr,
	    "usage: sankaku-ship [-d] [-c FILE] [--eve PATH] [--redis URL] "
	    "[--key KEY] [--check-config]\n"
	    "       sankaku-ship --help-config | --version | -h\n"
	    "  -c FILE         config, section \"ship\" (default %s;\n"
	    "                  without -c and without that file: defaults)\n"
	    "  -d              debug logging\n"
	    "  --eve PATH      the EVE file, over ship.eve\n"
	    "  --redis URL     Redis address, over ship.redis\n"
	    "  --key KEY       the list, over ship.key\n"
	    "  --check-config  validate the config, then exit\n"
	    "  --help-config   every key, its default and meaning\n",
	    DEFAULT_CONFIG);
	exit(asked ? 0 : 2);
}

static void
on_stopped(void *arg)
{
	struct ship *s = arg;

	log_info("stopped: checkpoint written");
	event_base_loopexit(s->base, NULL);
}

/* SIGTERM/SIGINT: finish what is in flight, checkpoint, exit 0. */
static void
on_term(void *arg)
{
	struct ship *s = arg;

	shipper_stop(s->sh, STOP_DEADLINE_S, on_stopped, s);
}

/* SIGHUP: nothing to reopen (the EVE file is followed by name). */
static void
on_hup(void *arg)
{
	(void)arg;
	log_info("SIGHUP: the config is read at start; restart to change it");
}

/* The STATUS= line the watchdog sends (watchdog.c). */
static void
status(void *arg, char *buf, size_t len)
{
	struct ship *s = arg;

	shipper_gauges(s->sh);
	snprintf(buf, len, "%s; %lu events shipped, %lld bytes behind",
	    s->m.health[0] != '\0' ? s->m.health : "shipping", s->m.shipped,
	    s->m.lag_bytes);
}

/* GET /metrics (status.c), the gauges brought up to date first. */
static char *
metrics_text(void *arg, unsigned long refused)
{
	struct ship *s = arg;

	(void)refused;
	shipper_gauges(s->sh);
	return ship_metrics_render(&s->m, SANKAKU_VERSION);
}

/* GET /healthz: 200 while Redis is reachable and the checkpoint is
 * written, else 503 and why. */
static int
health(void *arg, const char **why)
{
	struct ship *s = arg;

	*why = s->m.health;
	return s->m.redis_up;
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
	    {"config", required_argument, NULL, 'c'},
	    {"eve", required_argument, NULL, 'e'},
	    {"redis", required_argument, NULL, 'r'},
	    {"key", required_argument, NULL, 'k'},
	    {"check-config", no_argument, NULL, 'n'},
	    {"help-config", no_argument, NULL, 'H'},
	    {"version", no_argument, NULL, 'V'},
	    {"debug", no_argument, NULL, 'd'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	struct ship_flags fl;
	struct ship s;
	struct signals *sigs;
	struct status_src src = {metrics_text, health, &s};
	unsigned long dead = 0;
	size_t i;
	struct watchdog *wd;
	char err[512], where[512];
	int ch, check = 0, debug = 0;
	enum log_level lvl = LOG_LVL_INFO;

	memset(&fl, 0, sizeof(fl));
	memset(&s, 0, sizeof(s));
	while ((ch = getopt_long(argc, argv, "c:dhn", longopts, NULL)) != -1) {
		switch (ch) {
		case 'c':
			fl.config = optarg;
			break;
		case 'e':
			fl.eve = optarg;
			break;
		case 'r':
			fl.redis = optarg;
			break;
		case 'k':
			fl.key = optarg;
			break;
		case 'n':
			check = 1;
			break;
		case 'd':
			debug = 1;
			break;
		case 'H':
			ship_cfg_describe(stdout);
			return 0;
		case 'V':
			printf("sankaku-ship %s\n", SANKAKU_VERSION);
			return 0;
		case 'h':
			usage(1);
		default:
			usage(0);
		}
	}
	if (optind != argc)
		usage(0);
	log_init("sankaku-ship", debug ? LOG_LVL_DEBUG : LOG_LVL_INFO);
	if ((s.cfg = ship_cfg_load(&fl, DEFAULT_CONFIG, err, sizeof(err))) ==
	    NULL) {
		if (check) {
			fprintf(stderr, "%s\n", err);
			return 2;
		}
		fatalx("refusing to start: %s", err);
	}
	redisurl_display(&s.cfg->url, where, sizeof(where));
	if (check) {
		printf("%s: ok (eve %s, list %s at %s)\n", s.cfg->path,
		    s.cfg->eve, s.cfg->key, where);
		ship_cfg_free(s.cfg);
		return 0;
	}
	if (!debug && log_level_parse(s.cfg->log_level, &lvl) == 0)
		log_set_level(lvl);
	if ((s.base = event_base_new()) == NULL)
		fatalx("event_base_new failed");
	if ((s.sh = shipper_new(s.base, s.cfg, &s.m, err, sizeof(err))) == NULL)
		fatalx("refusing to start: %s", err);
	if (s.cfg->metrics_listen[0] != '\0' &&
	    (s.http = status_http_start(s.base, s.cfg->metrics_listen, 0, &src,
		 "ship.metrics_listen", err, sizeof(err))) == NULL)
		fatalx("%s", err);
	if ((sigs = signals_start(s.base, on_term, on_hup, &s)) == NULL)
		fatalx("cannot install signal handlers");
	if ((wd = watchdog_start(s.base, status, &s)) == NULL)
		fatalx("cannot start the watchdog timer");
	log_info("starting version=%s config=%s eve=%s redis=%s key=%s "
		 "push=%s metrics=%s",
	    SANKAKU_VERSION, s.cfg->path, s.cfg->eve, where, s.cfg->key,
	    s.cfg->rpush ? "rpush" : "lpush",
	    s.cfg->metrics_listen[0] != '\0' ? s.cfg->metrics_listen : "off");
	sd_notify(0, "READY=1\nSTATUS=shipping");
	event_base_dispatch(s.base);

	for (i = 0; i < SHIP_NREASONS; i++)
		dead += s.m.dead[i];
	log_info("exit shipped=%lu skipped=%lu deadletters=%lu", s.m.shipped,
	    s.m.skipped, dead);
	signals_free(sigs);
	watchdog_free(wd);
	status_http_stop(s.http);
	shipper_free(s.sh);
	event_base_free(s.base);
	ship_cfg_free(s.cfg);
	return 0;
}
