/*
 * input.h: where EVE events come from, behind one small interface chosen
 * once by input.mode, the way OpenSMTPD picks its queue backend:
 *   in_list.c    Suricata 7's list (LPUSH or RPUSH): RENAMEd away whole,
 *                drained in chunks, each trimmed once stored;
 *   in_stream.c  Suricata 8's stream: a consumer group, XACK once stored.
 * Each backend runs its own small state machine and reports to the
 * pipeline through the pl_chunk_* calls of pipeline.h.  Two links: the
 * "wait" link carries the reads that may block (BLMOVE, XREADGROUP,
 * XAUTOCLAIM); the "main" link carries everything that must stay in order
 * with the stores (RENAME, LRANGE, trims, XACK).
 */
#ifndef SANKAKU_INPUT_H
#define SANKAKU_INPUT_H

#include "chunk.h"
#include "config.h"
#include "link.h"
#include "metrics.h"

/* What the pipeline wants from the input now. */
enum in_want {
	IN_RECOVER, /* finish what this consumer had taken, then say so */
	IN_RUN,	    /* take new input while there is room */
	IN_FINISH,  /* stopping: finish what is taken, take nothing new */
};

struct input {
	const struct input_backend *be;
};

struct input_backend {
	const char *name;
	const char *key_type; /* what input.key must be in Redis */
	struct input *(*create)(struct pipeline *, struct link *wait,
	    struct link *main, const struct cfg *, struct metrics *);
	void (*destroy)(struct input *);
	/* Start recovery; pl_recovered() once it is over. */
	void (*recover)(struct input *);
	/* Send what there is room for (pl_room()). */
	void (*kick)(struct input *, enum in_want);
	/* Every store of c is in: acknowledge it, then pl_chunk_done(). */
	void (*ack)(struct input *, struct chunk *);
	/* A link failed: forget what is in flight (its events wait). */
	void (*reset)(struct input *);
	/* A read is outstanding. */
	int (*busy)(const struct input *);
	/* Now and then: ask for the backlog and processing gauges. */
	void (*gauges)(struct input *);
	/* Free a chunk this backend made. */
	void (*chunk_free)(struct chunk *);
};

extern const struct input_backend in_list_backend;
extern const struct input_backend in_stream_backend;

#endif
