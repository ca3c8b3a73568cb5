/*
 * linkio.h: a hiredis async context on libevent, with a bound on the size
 * of the reply being read.  An input that holds a 100 MB event would
 * otherwise be read whole (twice over: the read buffer, then the reply
 * object), once per event in a chunk.  Past the bound the connection is
 * dropped; its owner then reads carefully (see careful.h).
 */
#ifndef SANKAKU_LINKIO_H
#define SANKAKU_LINKIO_H

#include <stddef.h>

#include <event2/event.h>
#include <hiredis/async.h>

/* Attach ac to base; over(arg) runs (from the read handler, outside
 * hiredis) when one reply passes limit bytes (0: no limit): hiredis has
 * dropped the connection already, or over() must drop it.  0, or -1. */
int linkio_attach(redisAsyncContext *, struct event_base *, size_t limit,
    void (*over)(void *arg), void *arg);
/* Change the bound of an attached context. */
void linkio_set_limit(redisAsyncContext *, size_t limit);

#endif
