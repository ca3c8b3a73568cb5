/*
 * api.h: the desk's HTTP listener: the API, the console, /metrics and
 * /healthz (see api.c).
 */
#ifndef SANKAKU_API_H
#define SANKAKU_API_H

#include <stddef.h>

#include <event2/event.h>

struct api;
struct auth;
struct desk;

struct api *api_start(struct event_base *, struct desk *, struct auth *,
    const char *version, char *err, size_t errlen);
/* A reloaded users file (the old one is freed). */
void api_set_auth(struct api *, struct auth *);
void api_stop(struct api *);

#endif
