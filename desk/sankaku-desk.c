/*
 * sankaku-desk.c: main.  The incident desk: enriched alerts in from the
 * stream (consumer group "desk"), incidents out on Redis, the API and the
 * console over HTTP (desk.h, api.h).  With --add-user it adds a user and
 * prints the token once; with a command (list, show, ack ...) it is the
 * analysts' command-line client (cli.c).
 */

#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event2/event.h>
#include <systemd/sd-daemon.h>

#include "api.h"
#include "auth.h"
#include "cli.h"
#include "desk.h"
#include "log.h"
#include "settings.h"
#include "signals.h"
#include "watchdog.h"

#ifndef SANKAKU_VERSION
#define SANKAKU_VERSION "0.0.0"
#endif
#define DEFAULT_CONFIG "/etc/sankaku/sankaku.json"
#define STOP_DEADLINE_S 10

struct main {
	struct event_base *base;
	const char *config_path, *redis_override;
	const char *users; /* --users: instead of desk.users_file */
	struct settings s;
	struct desk *d;
	struct api *api;
};

static void __attribute__((noreturn)) usage(int asked)
{
	fprintf(asked ? stdout : stderr,
	    "usage: sankaku-desk [-d] [-c FILE] [--redis URL] [--users FILE]\n"
	    "                    [--check-config]\n"
	    "       sankaku-desk [-c FILE] --add-user NAME --team TEAM\n"
	    "       sankaku-desk [-c FILE] --check-misp   (each source's "
	    "MISP, asked its version)\n"
	    "       sankaku-desk [-c FILE] --export   (incidents as JSON "
	    "lines)\n"
	    "       sankaku-desk COMMAND ...          (the client: "
	    "sankaku-desk help)\n"
	    "       sankaku-desk --help-config | --version | -h\n"
	    "  -c FILE         config (default %s), section \"desk\"\n",
	    DEFAULT_CONFIG);
	exit(asked ? 0 : 2);
}

/* The config, and the desk's own Redis user if it names one. */
static int
load(const struct main *m, struct settings *s, char *err, size_t errlen)
{
	if (settings_load(m->config_path, m->redis_override, s, err, errlen) !=
	    0)
		return -1;
	if (settings_use_desk(s, m->redis_override, err, errlen) != 0) {
		settings_free(s);
		return -1;
	}
	return 0;
}

/* The users file: --users, else the config's desk.users_file. */
static const char *
users_file(const struct main *m, const struct settings *s)
{
	return m->users != NULL ? m->users : s->cfg->desk_users_file;
}

static void
on_stopped(void *arg)
{
	struct main *m = arg;

	log_info("stopped");
	event_base_loopexit(m->base, NULL);
}

/* SIGTERM/SIGINT: the batch in hand stored, then exit 0. */
static void
on_term(void *arg)
{
	struct main *m = arg;
	struct timeval deadline = {STOP_DEADLINE_S, 0};

	event_base_loopexit(m->base, &deadline);
	desk_stop(m->d, on_stopped, m);
}

/* SIGHUP: a new config and users file, or the old ones kept. */
static void
on_hup(void *arg)
{
	struct main *m = arg;
	struct settings s;
	struct auth *auth;
	char err[512];
	const char *k;
	json_t *inc;

	if (load(m, &s, err, sizeof(err)) != 0) {
		log_error("reload refused, the old config stays: %s", err);
		return;
	}
	if ((auth = auth_load(users_file(m, &s), err, sizeof(err))) == NULL) {
		log_error("reload refused, the old config stays: %s", err);
		settings_free(&s);
		return;
	}
	if (strcmp(s.cfg->prefix, m->s.cfg->prefix) != 0 ||
	    strcmp(s.cfg->desk_listen, m->s.cfg->desk_listen) != 0)
		log_warnx("reload: output.prefix and desk.listen change only "
			  "with a restart");
	m->d->cfg = s.cfg;
	m->d->notify = dnotify_reload(m->d->notify, m->d);
	json_object_foreach (m->d->incidents, k, inc)
		inc_refresh(inc, s.cfg);
	api_set_auth(m->api, auth);
	settings_free(&m->s);
	m->s = s;
	desk_cves(m->d, time(NULL));
	log_info("config reloaded: %zu users", auth_count(auth));
}

/* The STATUS= line the watchdog sends (watchdog.c). */
static void
status(void *arg, char *buf, size_t len)
{
	struct main *m = arg;

	desk_status(m->d, buf, len);
}

static int
run(struct main *m, int debug)
{
	struct signals *sigs;
	struct watchdog *wd;
	struct auth *auth;
	char err[512], where[512];
	enum log_level lvl;

	if (!debug && log_level_parse(m->s.cfg->log_level, &lvl) == 0)
		log_set_level(lvl);
	if ((auth = auth_load(users_file(m, &m->s), err, sizeof(err))) == NULL)
		fatalx("refusing to start: %s", err);
	if (auth_count(auth) == 0)
		log_warnx("no users in %s: add one with sankaku-desk "
			  "--add-user NAME --team TEAM",
		    users_file(m, &m->s));
	if ((m->base = event_base_new()) == NULL)
		fatalx("event_base_new failed");
	m->d = desk_new(m->base, m->s.cfg, &m->s.url, err, sizeof(err));
	if ((m->api = api_start(m->base, m->d, auth, SANKAKU_VERSION, err,
		 sizeof(err))) == NULL)
		fatalx("refusing to start: %s", err);
	if ((sigs = signals_start(m->base, on_term, on_hup, m)) == NULL)
		fatalx("cannot install signal handlers");
	if ((wd = watchdog_start(m->base, status, m)) == NULL)
		fatalx("cannot start the watchdog timer");
	redisurl_display(&m->s.url, where, sizeof(where));
	log_info("starting version=%s config=%s redis=%s stream=%s listen=%s "
		 "users=%zu",
	    SANKAKU_VERSION, m->config_path, where, m->s.cfg->stream,
	    m->s.cfg->desk_listen, auth_count(auth));
	desk_start(m->d);
	sd_notify(0, "READY=1\nSTATUS=starting");
	event_base_dispatch(m->base);
	log_info("exit alerts=%lu incidents_opened=%lu actions=%lu",
	    m->d->m.alerts, m->d->m.opened, m->d->m.actions);
	signals_free(sigs);
	watchdog_free(wd);
	api_stop(m->api);
	desk_free(m->d);
	event_base_free(m->base);
	settings_free(&m->s);
	return 0;
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
	    {"add-user", required_argument, NULL, 'u'},
	    {"team", required_argument, NULL, 't'},
	    {"export", no_argument, NULL, 'x'},
	    {"users", required_argument, NULL, 'U'},
	    {"check-misp", no_argument, NULL, 'M'},
	    {NULL, 0, NULL, 0},
	};
	struct main m;
	const char *add_user = NULL, *team = NULL;
	char err[512];
	int ch, check = 0, debug = 0, export = 0, misp = 0;

	if (argc > 1 && argv[1][0] != '-')
		return cli_main(argc - 1, argv + 1);
	memset(&m, 0, sizeof(m));
	m.config_path = DEFAULT_CONFIG;
	while ((ch = getopt_long(argc, argv, "c:dhn", longopts, NULL)) != -1) {
		switch (ch) {
		case 'c':
			m.config_path = optarg;
			break;
		case 'r':
			m.redis_override = optarg;
			break;
		case 'n':
			check = 1;
			break;
		case 'd':
			debug = 1;
			break;
		case 'u':
			add_user = optarg;
			break;
		case 't':
			team = optarg;
			break;
		case 'x':
			export = 1;
			break;
		case 'U':
			m.users = optarg;
			break;
		case 'M':
			misp = 1;
			break;
		case 'H':
			cfg_describe(stdout);
			return 0;
		case 'V':
			printf("sankaku-desk %s\n", SANKAKU_VERSION);
			return 0;
		case 'h':
			usage(1);
		default:
			usage(0);
		}
	}
	if (optind != argc || (add_user != NULL) != (team != NULL))
		usage(0);
	log_init("sankaku-desk", debug ? LOG_LVL_DEBUG : LOG_LVL_INFO);
	if (load(&m, &m.s, err, sizeof(err)) != 0) {
		if (check) {
			fprintf(stderr, "%s\n", err);
			return 2;
		}
		fatalx("refusing to start: %s", err);
	}
	if (check) {
		printf("%s: ok (desk on %s, %zu teams)\n", m.config_path,
		    m.s.cfg->desk_listen, m.s.cfg->org.nteams);
		settings_free(&m.s);
		return 0;
	}
	if (misp) {
		int rc = desk_check_misp(m.s.cfg);

		settings_free(&m.s);
		return rc;
	}
	if (add_user != NULL) {
		char *token = auth_add_user(users_file(&m, &m.s), add_user,
		    team, m.s.cfg, err, sizeof(err));

		settings_free(&m.s);
		if (token == NULL) {
			fprintf(stderr, "sankaku-desk: %s\n", err);
			return 1;
		}
		printf("%s\n", token);
		free(token);
		return 0;
	}
	if (export) {
		int rc = cli_export(&m.s, stdout);

		settings_free(&m.s);
		return rc;
	}
	return run(&m, debug);
}
