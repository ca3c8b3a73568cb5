/*
 * signals.c: the daemons' signals (see signals.h).  libevent turns each
 * signal into an event of the loop, so the handlers run between events,
 * never inside one, and may call anything.
 */

#include <signal.h>
#include <stdlib.h>

#include <systemd/sd-daemon.h>

#include "log.h"
#include "signals.h"

enum { SIG_TERM, SIG_INT, SIG_HUP, NSIGS };

struct signals {
	struct event_base *base;
	struct event *ev[NSIGS];
	void (*stop)(void *);
	void (*hup)(void *);
	void *arg;
	int stopping;
};

static void
on_term(evutil_socket_t sig, short what, void *arg)
{
	struct signals *s = arg;

	(void)what;
	if (s->stopping) {
		log_warnx("second signal, exiting now");
		event_base_loopbreak(s->base);
		return;
	}
	s->stopping = 1;
	log_info("stopping signal=%d", (int)sig);
	sd_notify(0, "STOPPING=1");
	s->stop(s->arg);
}

static void
on_hup(evutil_socket_t sig, short what, void *arg)
{
	struct signals *s = arg;

	(void)sig;
	(void)what;
	s->hup(s->arg);
}

struct signals *
signals_start(struct event_base *base, void (*stop)(void *),
    void (*hup)(void *), void *arg)
{
	struct signals *s;
	size_t i;

	signal(SIGPIPE, SIG_IGN);
	if ((s = calloc(1, sizeof(*s))) == NULL)
		return NULL;
	s->base = base;
	s->stop = stop;
	s->hup = hup;
	s->arg = arg;
	s->ev[SIG_TERM] = evsignal_new(base, SIGTERM, on_term, s);
	s->ev[SIG_INT] = evsignal_new(base, SIGINT, on_term, s);
	s->ev[SIG_HUP] = evsignal_new(base, SIGHUP, on_hup, s);
	for (i = 0; i < NSIGS; i++)
		if (s->ev[i] == NULL || evsignal_add(s->ev[i], NULL) != 0) {
			signals_free(s);
			return NULL;
		}
	return s;
}

void
signals_free(struct signals *s)
{
	size_t i;

	if (s == NULL)
		return;
	for (i = 0; i < NSIGS; i++)
		if (s->ev[i] != NULL)
			event_free(s->ev[i]);
	free(s);
}
