/*
 * watchdog.c: the systemd watchdog of every daemon (sankakud,
 * sankaku-ship, sankaku-desk), pinged from a timer of the event loop
 * itself: a wedged loop stops the pings, and systemd restarts it.  Each
 * ping carries the daemon's STATUS= line, so `systemctl status` shows
 * what it is doing.
 */

#include <stdio.h>
#include <stdlib.h>

#include <systemd/sd-daemon.h>

#include "watchdog.h"

struct watchdog {
	struct event *ev;
	void (*status)(void *, char *, size_t);
	void *arg;
};

static void
ping(evutil_socket_t fd, short what, void *arg)
{
	struct watchdog *w = arg;
	char status[256], msg[300];

	(void)fd;
	(void)what;
	w->status(w->arg, status, sizeof(status));
	snprintf(msg, sizeof(msg), "WATCHDOG=1\nSTATUS=%s", status);
	sd_notify(0, msg);
}

struct watchdog *
watchdog_start(
    struct event_base *base, void (*status)(void *, char *, size_t), void *arg)
{
	struct watchdog *w = calloc(1, sizeof(*w));
	uint64_t usec = 0;
	struct timeval tv;

	if (w == NULL)
		return NULL;
	if (sd_watchdog_enabled(0, &usec) <= 0 || usec == 0)
		usec = 10 * 1000 * 1000; /* status only */
	tv.tv_sec = (time_t)(usec / 2 / 1000000);
	tv.tv_usec = (suseconds_t)(usec / 2 % 1000000);
	w->status = status;
	w->arg = arg;
	if ((w->ev = event_new(base, -1, EV_PERSIST, ping, w)) == NULL ||
	    event_add(w->ev, &tv) != 0) {
		watchdog_free(w);
		return NULL;
	}
	return w;
}

void
watchdog_free(struct watchdog *w)
{
	if (w == NULL)
		return;
	if (w->ev != NULL)
		event_free(w->ev);
	free(w);
}
