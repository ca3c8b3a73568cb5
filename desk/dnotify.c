/*
 * dnotify.c: the team chats told when an incident opens or reaches
 * another phase (desk.notify: a chat's incoming webhook, its URL a
 * secret kept in url_file; see cfg_notify.c).  Each webhook gets
 * {"text": inc_notice(...)} when its teams must act on the incident (or
 * always, without teams).
 *
 * What was told is remembered by incident (its phase): the incidents
 * loaded at start are remembered as they are, so a restart tells
 * nothing again.  One POST at a time to each webhook, each on its own
 * connection; at most NOTIFY_PER_MIN a minute to each, the rest dropped
 * and counted (the console keeps everything).  A failure is logged and
 * counted, never retried: a notice is a nudge, the desk the record.
 * Nothing logged names the URL.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <event2/event.h>

#include "desk.h"
#include "hclient.h"
#include "keyfile.h"
#include "log.h"
#include "xmalloc.h"

#define NOTIFY_TIMEOUT_S 15
#define NOTIFY_PER_MIN 30
#define NOTIFY_QUEUE 200

struct hook {
	struct dnotify *n;
	size_t i;		    /* desk.notify[i] */
	const struct cfg_notify *c; /* its config */
	char *url;		    /* read from url_file; NULL: unusable */
	struct hclient *hc;	    /* the POST going, or NULL */
	struct event *end_ev;	    /* its connection freed from the loop */
	json_t *queue;		    /* texts to send */
	time_t minute;		    /* the current minute's start */
	int in_minute;		    /* sent or queued in it */
	unsigned long dropped;	    /* over the cap, since the last log */
};

struct dnotify {
	struct desk *d;
	json_t *told; /* incident id -> the phase last told (or seen) */
	struct hook hooks[CFG_NOTIFY_MAX];
	size_t n;
};

static void h_next(struct hook *);

static void
h_end_cb(evutil_socket_t fd, short what, void *arg)
{
	struct hook *h = arg;

	(void)fd;
	(void)what;
	hclient_free(h->hc);
	h->hc = NULL;
	h_next(h);
}

static void
h_posted(int status, const char *body, size_t len, const char *err, void *arg)
{
	struct hook *h = arg;
	struct timeval now = {0, 0};

	(void)body;
	(void)len;
	if (status >= 200 && status < 300)
		h->n->d->m.notified++;
	else {
		h->n->d->m.notify_failed++;
		if (status == 0)
			log_warnx("desk.notify[%zu]: %s", h->i,
			    err != NULL ? err : "no reply");
		else
			log_warnx("desk.notify[%zu]: HTTP %d%s", h->i, status,
			    status == 403 || status == 404
				? " (the webhook's URL revoked?)"
				: "");
	}
	/* the connection is freed from the loop, not from its callback */
	evtimer_add(h->end_ev, &now);
}

/* The next text in the queue, on a connection of its own; a text that
 * cannot even be sent is counted and the next one tried, so that none
 * waits behind it for the next notice. */
static void
h_next(struct hook *h)
{
	char err[256], *text;
	json_t *body;

	while (h->hc == NULL && json_array_size(h->queue) > 0) {
		body = json_pack("{s:O}", "text", json_array_get(h->queue, 0));
		json_array_remove(h->queue, 0);
		text = body != NULL ? json_dumps(body, JSON_COMPACT) : NULL;
		json_decref(body);
		if (text != NULL &&
		    (h->hc = hclient_new(h->n->d->base, h->url, h->c->ca_file,
			 NOTIFY_TIMEOUT_S, err, sizeof(err))) != NULL &&
		    hclient_post(h->hc, "", NULL, text, strlen(text), h_posted,
			h) == 0) {
			free(text);
			return; /* in flight: h_posted goes on */
		}
		log_warnx("desk.notify[%zu]: %s", h->i,
		    text == NULL	? "out of memory"
			: h->hc == NULL ? err
					: "cannot send");
		h->n->d->m.notify_failed++;
		hclient_free(h->hc);
		h->hc = NULL;
		free(text);
	}
}

/* Whether one of the hook's teams must act on the incident now. */
static int
h_wants(const struct hook *h, const json_t *inc)
{
	const json_t *t;
	size_t i, k;

	if (h->c->nteams == 0)
		return 1;
	json_array_foreach (json_object_get(inc, "teams"), i, t)
		for (k = 0; k < h->c->nteams; k++)
			if (json_is_string(t) &&
			    strcmp(json_string_value(t), h->c->teams[k]) == 0)
				return 1;
	return 0;
}

static void
h_queue(struct hook *h, const json_t *inc, int opened, time_t now)
{
	char *text;

	if (now - h->minute >= 60) {
		if (h->dropped > 0)
			log_warnx("desk.notify[%zu]: %lu notices over %d a "
				  "minute not sent (the console has them)",
			    h->i, h->dropped, NOTIFY_PER_MIN);
		h->minute = now;
		h->in_minute = 0;
		h->dropped = 0;
	}
	if (h->in_minute >= NOTIFY_PER_MIN ||
	    json_array_size(h->queue) >= NOTIFY_QUEUE) {
		h->dropped++;
		h->n->d->m.notify_dropped++;
		return;
	}
	h->in_minute++;
	text = inc_notice(inc, opened, h->c->en, h->c->link);
	json_array_append_new(h->queue, json_string(text));
	free(text);
	h_next(h);
}

struct dnotify *
dnotify_new(struct desk *d)
{
	struct dnotify *n;
	char err[256];
	size_t i;

	if (d->cfg->nnotify == 0)
		return NULL;
	n = xcalloc(1, sizeof(*n));
	n->d = d;
	n->told = json_object();
	for (i = 0; i < d->cfg->nnotify; i++) {
		struct hook *h = &n->hooks[n->n++];
		char host[256], path[512];
		int port;

		h->n = n;
		h->i = i;
		h->c = &d->cfg->notify[i];
		h->queue = json_array();
		if ((h->end_ev = evtimer_new(d->base, h_end_cb, h)) == NULL)
			fatalx("out of memory");
		if ((h->url = keyfile_read(h->c->url_file, err, sizeof(err))) ==
		    NULL)
			log_error(
			    "desk.notify[%zu]: url_file %s: not told", i, err);
		else if (hclient_parse_url(h->url, host, sizeof(host), &port,
			     path, sizeof(path), err, sizeof(err)) != 0) {
			log_error("desk.notify[%zu]: the URL in %s: %s: not "
				  "told",
			    i, h->c->url_file, err);
			keyfile_free(h->url);
			h->url = NULL;
		}
	}
	return n;
}

void
dnotify_seen(struct dnotify *n, const json_t *inc)
{
	const char *id = json_string_value(json_object_get(inc, "id"));

	if (n != NULL && id != NULL)
		json_object_set_new(
		    n->told, id, json_string(inc_phase_id(inc)));
}

void
dnotify_changed(struct dnotify *n, const json_t *inc)
{
	const char *id = json_string_value(json_object_get(inc, "id"));
	const char *phase = inc_phase_id(inc);
	const char *was;
	time_t now = time(NULL);
	size_t i;

	if (n == NULL || id == NULL || phase == NULL)
		return;
	was = json_string_value(json_object_get(n->told, id));
	if (!inc_is_open(inc) || (was != NULL && strcmp(was, phase) == 0))
		return;
	json_object_set_new(n->told, id, json_string(phase));
	for (i = 0; i < n->n; i++)
		if (n->hooks[i].url != NULL && h_wants(&n->hooks[i], inc))
			h_queue(&n->hooks[i], inc, was == NULL, now);
}

struct dnotify *
dnotify_reload(struct dnotify *old, struct desk *d)
{
	struct dnotify *n = dnotify_new(d);

	if (n != NULL && old != NULL) { /* what was told stays told */
		json_decref(n->told);
		n->told = json_incref(old->told);
	}
	dnotify_free(old);
	return n;
}

void
dnotify_free(struct dnotify *n)
{
	size_t i;

	if (n == NULL)
		return;
	for (i = 0; i < n->n; i++) {
		struct hook *h = &n->hooks[i];

		hclient_free(h->hc);
		if (h->end_ev != NULL)
			event_free(h->end_ev);
		keyfile_free(h->url); /* the secret, not left in freed memory */
		json_decref(h->queue);
	}
	json_decref(n->told);
	free(n);
}
