/*
 * rconn.h: a blocking Redis connection for one-shot commands (sankakud
 * --replay-deadletter, sankaku-tail): connect, AUTH, SELECT, CLIENT
 * SETNAME, each bounded by a timeout.
 */
#ifndef SANKAKU_RCONN_H
#define SANKAKU_RCONN_H

#include <stddef.h>

#include <hiredis/hiredis.h>

#include "redisurl.h"

/* Connected and authenticated, or NULL with err (never the password). */
redisContext *rconn_open(const struct redis_url *, const char *client_name,
    int timeout_ms, char *err, size_t errlen);
/* A reply's text for a message: its error, or its type. */
const char *rconn_what(const redisReply *);

#endif
