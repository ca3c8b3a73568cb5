/*
 * api_alert.c: GET /api/alerts/<stream entry id>: one enriched alert as
 * sankakud stored it (the console's "full JSON" of an incident's recent
 * alerts, whose entry ids the incident keeps).  The one API answer that
 * waits for Redis: the request is remembered with a close callback on
 * its connection, so a client that leaves before Redis answers is
 * forgotten, never answered into freed memory.
 */

#include <regex.h>
#include <stdlib.h>
#include <string.h>

#include <event2/buffer.h>
#include <event2/http.h>
#include <hiredis/hiredis.h>
#include <jansson.h>

#include "desk.h"
#include "http.h"

struct alert_req {
	struct evhttp_request *req; /* NULL once the client has gone */
};

static void
reply_json(struct evhttp_request *req, int code, const char *body)
{
	struct evkeyvalq *h = evhttp_request_get_output_headers(req);

	evhttp_add_header(h, "Cache-Control", "no-store");
	evhttp_add_header(h, "X-Content-Type-Options", "nosniff");
	http_reply(req, code, "application/json", body);
}

static void
error_json(struct evhttp_request *req, int code, const char *msg)
{
	json_t *e = json_pack("{s:s}", "error", msg);
	char *s = json_dumps(e, JSON_COMPACT);

	reply_json(req, code, s != NULL ? s : "{}");
	free(s);
	json_decref(e);
}

static void
gone_cb(struct evhttp_connection *c, void *arg)
{
	struct alert_req *ar = arg;

	(void)c;
	/* a client gone before the answer: libevent detached the request
	 * and leaves it to us; on shutdown the connection frees it */
	if (evhttp_request_get_connection(ar->req) == NULL)
		evhttp_request_free(ar->req);
	ar->req = NULL;
}

static void
xrange_cb(redisAsyncContext *ac, void *r, void *priv)
{
	struct alert_req *ar = priv;
	redisReply *reply = r, *f;
	size_t i;

	(void)ac;
	if (ar->req == NULL) {
		free(ar);
		return;
	}
	evhttp_connection_set_closecb(
	    evhttp_request_get_connection(ar->req), NULL, NULL);
	if (reply == NULL || reply->type != REDIS_REPLY_ARRAY) {
		error_json(ar->req, 503, "Redis did not answer");
		free(ar);
		return;
	}
	f = reply->elements == 1 && reply->element[0]->elements == 2
	    ? reply->element[0]->element[1]
	    : NULL;
	for (i = 0; f != NULL && i + 1 < f->elements; i += 2)
		if (strcmp(f->element[i]->str, "alert") == 0 &&
		    f->element[i + 1]->type == REDIS_REPLY_STRING) {
			json_t *v = json_loadb(f->element[i + 1]->str,
			    f->element[i + 1]->len, JSON_ALLOW_NUL, NULL);
			/* stored by sankakud as JSON; sent again through
			 * jansson, so what leaves is JSON whatever it holds */
			char *s = v != NULL ? json_dumps(v, JSON_COMPACT |
						      JSON_ENSURE_ASCII)
					    : NULL;

			json_decref(v);
			if (s != NULL) {
				reply_json(ar->req, 200, s);
				free(s);
			} else
				error_json(ar->req, 502,
				    "the stored alert is not JSON");
			free(ar);
			return;
		}
	error_json(ar->req, 404, "no such alert (trimmed from the stream?)");
	free(ar);
}

void
api_get_alert(struct evhttp_request *req, struct desk *d, const char *id)
{
	regex_t re;
	struct alert_req *ar;
	int good;

	if (regcomp(&re, "^[0-9]{1,20}-[0-9]{1,20}$", REG_EXTENDED | REG_NOSUB))
		good = 0;
	else {
		good = regexec(&re, id, 0, NULL, 0) == 0;
		regfree(&re);
	}
	if (!good) {
		error_json(req, 400, "an alert is named by its stream entry id");
		return;
	}
	if ((ar = calloc(1, sizeof(*ar))) == NULL) {
		error_json(req, 500, "out of memory");
		return;
	}
	ar->req = req;
	evhttp_connection_set_closecb(
	    evhttp_request_get_connection(req), gone_cb, ar);
	if (link_cmdf(d->main, xrange_cb, ar, "XRANGE %s %s %s", d->k.stream,
		id, id) != 0) {
		evhttp_connection_set_closecb(
		    evhttp_request_get_connection(req), NULL, NULL);
		free(ar);
		error_json(req, 503, "Redis is unreachable");
	}
}
