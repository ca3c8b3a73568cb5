/*
 * drain.h: one Redis list drained at least once (list mode), from its
 * oldest end, in chunks: an LRANGE per chunk, its events enriched and
 * stored by the pipeline, each chunk trimmed in read order once stored
 * (ledger.h).  Every command goes over the main link, in order with the
 * stores, so the ledger's counts are exact.
 */
#ifndef SANKAKU_DRAIN_H
#define SANKAKU_DRAIN_H

#include "chunk.h"
#include "ledger.h"
#include "link.h"

struct in_list;
struct drain;

/* A chunk of a list: its place in the ledger, or the wait list's one
 * event (in_list.c). */
struct list_chunk {
	struct chunk c;
	struct drain *d;
	unsigned long seq;
	long n;
	int wait;
};

struct drain {
	struct pipeline *pl;
	struct in_list *l; /* the owner, for its chunks */
	struct link *main;
	struct ledger led;
	char *key; /* the list being drained; NULL: none */
	int rpush, recovery;
	long batch, max_event_bytes;
	void (*done)(struct in_list *); /* every chunk trimmed */
};

/* Drain key, which holds n > 0 events. */
void drain_start(struct drain *, const char *key, long n, int recovery);
/* Read chunks while there is room. */
void drain_read(struct drain *);
/* Every store of c is in: trim it in its turn. */
void drain_ack(struct drain *, struct list_chunk *);
/* A failure: forget the list (its events wait in it, recorded). */
void drain_forget(struct drain *);

#endif
