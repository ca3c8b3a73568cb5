/*
 * careful.h: reading input that holds events too large to read whole.
 *
 * After a reply passed the link's bound (linkio.h), recovery reads through
 * a Lua wrapper around the read command (LRANGE, XREADGROUP, XAUTOCLAIM)
 * that replaces, inside Redis, every string longer than input.max_event_bytes
 * by [length, sha1, head]: an array where a string was expected.  The
 * event is then dead-lettered by its head, length and hash, and the
 * reply never holds more than a few events of at most
 * input.max_event_bytes.  This costs Redis 1-2 us per event more than a
 * plain read (measured), so only recovery after a too-large reply pays it.
 */
#ifndef SANKAKU_CAREFUL_H
#define SANKAKU_CAREFUL_H

#include <stddef.h>

#include <hiredis/hiredis.h>

/* Events per careful read. */
#define CAREFUL_BATCH 4
/* Bytes of a replaced event's head kept. */
#define CAREFUL_HEAD 4096

/* EVAL careful_script 1 KEY MAX CMD ARGS...: CMD's reply, walked. */
extern const char careful_script[];

/* What stands in for an event too large to read. */
struct careful_big {
	long long length;
	const char *sha1; /* hex, 40 */
	const char *head;
	size_t headlen;
};

/* Whether an element of a careful reply is such a stand-in; fills big. */
int careful_is_big(const redisReply *, struct careful_big *);

#endif
