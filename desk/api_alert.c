/*
 * api_alert.c: GET /api/alerts/<stream entry id>: one enriched alert as
 * sankakud stored it (the console's "full JSON" of an incident's recent
 * alerts, whose entry ids the incident keeps).  The one API answer that
 * waits for Redis: the request is remembered with a close callback on
 * its connection (api_wait.c), so a client that leaves before Redis
 * answers is forgotten, never answered into freed memory.
 */

#include <regex.h>
#include <stdlib.h>
#include <string.h>

#include <event2/buffer.h>
#include <event2/http.h>
#include <hiredis/hiredis.h>
#include <jansson.h>

#include "api_int.h"
#include "desk.h"
#include "http.h"

struct alert_req {
	struct api_wait w;
};

static void
xrange_cb(redisAsyncContext *ac, void *r, void *priv)
{
	struct alert_req *ar = priv;
	struct evhttp_request *req = api_wait_end(&ar->w);
	redisReply *reply = r, *f;
	size_t i;

	(void)ac;
	if (req == NULL) { /* the client has gone */
		free(ar);
		return;
	}
	if (reply == NULL || reply->type != REDIS_REPLY_ARRAY) {
		api_error(req, 503, "Redis did not answer");
		free(ar);
		return;
	}
	f = reply->elements == 1 && reply->element[0]->elements == 2
	    ? reply->element[0]->element[1]
	    : NULL;
	for (i = 0; f != NULL && i + 1 < f->elements; i += 2)
		if (strcmp(f->element[i]->str, "alert") == 0 &&
		    f->element[i + 1]->type == REDIS_REPLY_STRING) {
			/* stored by sankakud as JSON; sent again through
			 * jansson, so what leaves is JSON whatever it holds */
			json_t *v = json_loadb(f->element[i + 1]->str,
			    f->element[i + 1]->len, JSON_ALLOW_NUL, NULL);

			if (v != NULL)
				api_json(req, 200, v);
			else
				api_error(
				    req, 502, "the stored alert is not JSON");
			free(ar);
			return;
		}
	api_error(req, 404, "no such alert (trimmed from the stream?)");
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
		api_error(req, 400, "an alert is named by its stream entry id");
		return;
	}
	if ((ar = calloc(1, sizeof(*ar))) == NULL) {
		api_error(req, 500, "out of memory");
		return;
	}
	api_wait_start(&ar->w, req);
	if (link_cmdf(d->main, xrange_cb, ar, "XRANGE %s %s %s", d->k.stream,
		id, id) != 0) {
		api_wait_end(&ar->w);
		free(ar);
		api_error(req, 503, "Redis is unreachable");
	}
}
