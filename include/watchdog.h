/*
 * watchdog.h: systemd's watchdog and STATUS= line, kept from inside a
 * daemon's event loop (see watchdog.c).
 */
#ifndef SANKAKU_WATCHDOG_H
#define SANKAKU_WATCHDOG_H

#include <stddef.h>

#include <event2/event.h>

struct watchdog;

/* Every half of WatchdogSec (every 5 s without one, for the status
 * alone): status(arg, buf, len) writes the STATUS text, and WATCHDOG=1
 * goes with it.  NULL if the timer cannot start. */
struct watchdog *watchdog_start(struct event_base *,
    void (*status)(void *arg, char *buf, size_t len), void *arg);
void watchdog_free(struct watchdog *);

#endif
