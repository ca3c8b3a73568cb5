/*
 * api_wait.c: an API answer that waits (for Redis, for a MISP): the
 * request is remembered with a close callback on its connection, so that
 * a client gone before the answer is forgotten, never answered into
 * freed memory (see api_int.h).
 */

#include <event2/http.h>

#include "api_int.h"

static void
gone_cb(struct evhttp_connection *c, void *arg)
{
	struct api_wait *w = arg;

	(void)c;
	/* libevent detached the request and leaves it to us; on shutdown
	 * the connection frees it */
	if (evhttp_request_get_connection(w->req) == NULL)
		evhttp_request_free(w->req);
	w->req = NULL;
}

void
api_wait_start(struct api_wait *w, struct evhttp_request *req)
{
	w->req = req;
	evhttp_connection_set_closecb(
	    evhttp_request_get_connection(req), gone_cb, w);
}

struct evhttp_request *
api_wait_end(struct api_wait *w)
{
	struct evhttp_request *req = w->req;

	if (req != NULL)
		evhttp_connection_set_closecb(
		    evhttp_request_get_connection(req), NULL, NULL);
	w->req = NULL;
	return req;
}
