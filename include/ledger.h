/*
 * ledger.h: the bookkeeping of one Redis list drained in chunks (list
 * mode).  Pure: no Redis, no clock; the list backend sends what it says.
 *
 * The list is drained from its oldest end.  Chunks are read in order (each
 * one LRANGE), stored in any order, and trimmed strictly in the order they
 * were read, each only once every store of it and of every chunk before it
 * is in: a later chunk with nothing to store must never trim an earlier one
 * whose stores might still fail (the loss fixed in d03b8b6).  len and read
 * follow every command sent so far on one ordered connection, so each
 * LRANGE and each trim is exact.
 */
#ifndef SANKAKU_LEDGER_H
#define SANKAKU_LEDGER_H

#include <stddef.h>

/* Chunks read and not yet trimmed, at most: input.inflight's maximum. */
#define LEDGER_SLOTS 64

struct ledger_slot {
	void *chunk; /* stored, waiting for its turn; NULL: not yet */
	unsigned long seq;
	long n;
};

struct ledger {
	long len;     /* items in the list once every trim sent has run */
	long read;    /* items read and not yet trimmed */
	int rpush;    /* filled by RPUSH: the oldest item is at index 0 */
	int trimming; /* trims sent and not yet answered */
	unsigned long seq_read, seq_trim;
	struct ledger_slot ready[LEDGER_SLOTS];
};

/* One chunk to read: LRANGE key start stop, items newest first when
 * reverse (LPUSH order), each chunk numbered by seq. */
struct ledger_read {
	unsigned long seq;
	long n, start, stop;
	int reverse;
};

/* One trim to send: drop n items from the oldest end, only if the list
 * still holds expect items (never twice, never someone else's). */
struct ledger_trim {
	void *chunk;
	long expect, n;
	int head; /* the oldest end is the head (RPUSH order), else the tail */
};

/* Start on a list of len items. */
void ledger_init(struct ledger *, long len, int rpush);
/* The next chunk to read, at most max items: 1 and *r filled; 0 when
 * everything is read or LEDGER_SLOTS chunks wait for their trims. */
int ledger_next(struct ledger *, long max, struct ledger_read *r);
/* Every store of chunk seq (n items) is in; chunk is handed back by
 * ledger_trim in its turn.  -1 if seq was never read or is stored twice. */
int ledger_stored(struct ledger *, unsigned long seq, long n, void *chunk);
/* The next trim whose turn it is: 1 and *t filled, 0 if none. */
int ledger_trim(struct ledger *, struct ledger_trim *t);
/* A trim was answered. */
void ledger_trimmed(struct ledger *);
/* Everything read, trimmed, and every trim answered. */
int ledger_done(const struct ledger *);
/* Start over: the chunks waiting for their turn are handed to fn. */
void ledger_forget(struct ledger *, void (*fn)(void *chunk));

#endif
