/*
 * status.h: the /metrics and /healthz endpoint of sankakud and
 * sankaku-ship (the desk serves both from its API).
 */
#ifndef SANKAKU_STATUS_H
#define SANKAKU_STATUS_H

#include <event2/event.h>

struct status_src {
	/* The Prometheus text, a new string (NULL: out of memory); refused:
	 * the connections the endpoint has refused so far. */
	char *(*metrics)(void *arg, unsigned long refused);
	/* 1 while Redis is up; *why: what else is wrong ("" or NULL: nothing)
	 */
	int (*health)(void *arg, const char **why);
	void *arg;
};

struct status_http;

/* Listen on "host:port" ("[v6]:port"), at most max_conns connections at
 * once (0: the listener's default); NULL with err, which begins with key
 * (the config key that names the address). */
struct status_http *status_http_start(struct event_base *, const char *listen,
    long max_conns, const struct status_src *, const char *key, char *err,
    size_t errlen);
void status_http_stop(struct status_http *);

#endif
