/*
 * api_int.h: the API's files among themselves (api.c answers; api_alert.c
 * and api_sources.c are routes of it).
 */
#ifndef SANKAKU_API_INT_H
#define SANKAKU_API_INT_H

#include <stddef.h>

#include <jansson.h>

struct evhttp_request;
struct evkeyvalq;
struct desk;

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

#endif
