/*
 * api_int.h: the API's files among themselves (api.c answers; api_alert.c,
 * api_sources.c, api_send.c and api_events.c are routes of it; api_wait.c
 * holds the answers that wait).
 */
#ifndef SANKAKU_API_INT_H
#define SANKAKU_API_INT_H

#include <stddef.h>

#include <jansson.h>

struct evhttp_request;
struct evkeyvalq;
struct desk;

/* An answer that waits (api_wait.c): the request, NULL once its client
 * has gone (the connection closed; libevent's request then freed). */
struct api_wait {
	struct evhttp_request *req;
};
/* Remember req until api_wait_end; w must live until then, or until the
 * connection closes. */
void api_wait_start(struct api_wait *, struct evhttp_request *req);
/* The request to answer now, or NULL: its client has gone.  Forgotten
 * either way. */
struct evhttp_request *api_wait_end(struct api_wait *);

/* Headers every API answer carries. */
void api_headers(struct evhttp_request *);
/* The request's body, a JSON object; NULL once 400 is answered. */
json_t *api_body(struct evhttp_request *);
/* Answer a JSON value (stolen), or {"error": msg}. */
void api_json(struct evhttp_request *, int code, json_t *);
void api_error(struct evhttp_request *, int code, const char *msg);
/* The request's query string into q (evhttp_clear_headers frees it);
 * -1 once 400 is answered, when it cannot be read. */
int api_query(struct evhttp_request *, struct evkeyvalq *q);
/* A query parameter (decoded), or dflt. */
const char *api_param(struct evkeyvalq *, const char *key, const char *dflt);

/* api_alert.c */
void api_get_alert(struct evhttp_request *, struct desk *, const char *id);
/* api_sources.c */
void api_get_sources(struct evhttp_request *, struct desk *);
void api_get_sightings(
    struct evhttp_request *, struct desk *, const char *rest, size_t len);
/* GET /api/incidents/<id>/report?format=stix|misp&tlp= (api_sources.c). */
void api_get_report(struct evhttp_request *, struct desk *, const char *id);
/* GET /api/events (api_events.c): its clients, each sent every change of
 * an incident. */
struct event_base;
struct api_events;
struct api_events *api_events_new(struct event_base *, struct desk *);
void api_events_free(struct api_events *);
void api_events_get(struct api_events *, struct evhttp_request *);
void api_events_send(struct api_events *, const char *doc);
int api_events_listening(const struct api_events *);
/* POST /api/incidents/<id>/send {"source", "tlp"} (api_send.c): answered
 * once the source's MISP has answered. */
struct desk_who;
void api_post_send(struct evhttp_request *, struct desk *, const char *id,
    json_t *body, const struct desk_who *);

#endif
