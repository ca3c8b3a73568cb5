/*
 * api_events.c: GET /api/events, the console's live view: each change of
 * an incident is sent to every client as a server-sent event ("event:
 * incident", the incident as data), with a comment every
 * SSE_KEEPALIVE_S seconds so that proxies keep the stream open.  At most
 * SSE_MAX clients.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event2/buffer.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>

#include "api_int.h"
#include "desk.h"
#include "xmalloc.h"

#define SSE_KEEPALIVE_S 5
#define SSE_MAX 64

struct sse {
	struct evhttp_request *req;
	struct api_events *ev;
	struct sse *next;
};

struct api_events {
	struct desk *d;
	struct sse *clients;
	size_t nclients;
	struct event *keepalive;
};

static void
sse_close_cb(struct evhttp_connection *c, void *arg)
{
	struct sse *s = arg, **pp;
	struct api_events *ev = s->ev;

	(void)c;
	for (pp = &ev->clients; *pp != NULL; pp = &(*pp)->next)
		if (*pp == s) {
			*pp = s->next;
			break;
		}
	ev->nclients--;
	ev->d->m.sse_clients = ev->nclients;
	/* The client went away mid-stream: libevent has detached the
	 * request from the connection and leaves it to us (its reply was
	 * never ended); ending it now frees it.  On our own shutdown the
	 * request is still the connection's, which frees it. */
	if (evhttp_request_get_connection(s->req) == NULL)
		evhttp_send_reply_end(s->req);
	free(s);
}

static void
sse_send(struct sse *s, const char *text)
{
	struct evbuffer *b = evbuffer_new();

	if (b == NULL)
		return;
	evbuffer_add(b, text, strlen(text));
	evhttp_send_reply_chunk(s->req, b);
	evbuffer_free(b);
}

static void
keepalive_cb(evutil_socket_t fd, short what, void *arg)
{
	struct api_events *ev = arg;
	struct sse *s;

	(void)fd;
	(void)what;
	for (s = ev->clients; s != NULL; s = s->next)
		sse_send(s, ": keepalive\n\n");
}

struct api_events *
api_events_new(struct event_base *base, struct desk *d)
{
	struct api_events *ev = xcalloc(1, sizeof(*ev));
	struct timeval ka = {SSE_KEEPALIVE_S, 0};

	ev->d = d;
	ev->keepalive = event_new(base, -1, EV_PERSIST, keepalive_cb, ev);
	evtimer_add(ev->keepalive, &ka);
	return ev;
}

void
api_events_free(struct api_events *ev)
{
	if (ev == NULL)
		return;
	event_free(ev->keepalive);
	while (ev->clients != NULL) {
		struct sse *s = ev->clients;

		ev->clients = s->next;
		evhttp_connection_set_closecb(
		    evhttp_request_get_connection(s->req), NULL, NULL);
		free(s);
	}
	free(ev);
}

void
api_events_get(struct api_events *ev, struct evhttp_request *req)
{
	struct evkeyvalq *h = evhttp_request_get_output_headers(req);
	struct sse *s;

	if (ev->nclients >= SSE_MAX) {
		api_error(req, 503, "too many event streams");
		return;
	}
	s = xcalloc(1, sizeof(*s));
	s->req = req;
	s->ev = ev;
	s->next = ev->clients;
	ev->clients = s;
	ev->nclients++;
	ev->d->m.sse_clients = ev->nclients;
	evhttp_add_header(h, "Content-Type", "text/event-stream");
	api_headers(req);
	evhttp_send_reply_start(req, 200, "OK");
	evhttp_connection_set_closecb(
	    evhttp_request_get_connection(req), sse_close_cb, s);
	sse_send(s, ": sankaku-desk\n\n");
}

void
api_events_send(struct api_events *ev, const char *doc)
{
	struct sse *s;
	size_t n;
	char *msg;

	if (ev == NULL || ev->clients == NULL)
		return;
	n = strlen(doc) + 32;
	msg = xmalloc(n);
	snprintf(msg, n, "event: incident\ndata: %s\n\n", doc);
	for (s = ev->clients; s != NULL; s = s->next)
		sse_send(s, msg);
	free(msg);
}

int
api_events_listening(const struct api_events *ev)
{
	return ev != NULL && ev->clients != NULL;
}
