/*
 * shipline.h: what sankaku-ship does with one line of eve.json: push it
 * (as it is, or with the sensor's name added), skip it (an event type not
 * shipped, an empty line), or dead-letter it (not JSON, not an object, no
 * event_type) with a reason.  Pure.
 */
#ifndef SANKAKU_SHIPLINE_H
#define SANKAKU_SHIPLINE_H

#include <stddef.h>

#include "buf.h"

enum ship_verdict { SHIP_SEND, SHIP_SKIP, SHIP_DEAD };

struct ship_filter {
	char **types; /* event types shipped; none: every type */
	size_t ntypes;
	const char *sensor; /* "" or NULL: add nothing */
};

struct ship_out {
	const char *p; /* SEND: the bytes to push (the line, or scratch) */
	size_t len;
	const char *reason; /* DEAD: bad-json, not-object, missing-field */
	char detail[160];   /* DEAD: what and where (never the bytes) */
	char type[32];	    /* SKIP, SEND: the event type ("" unknown) */
};

/* Decide for line (len bytes, no newline).  With a sensor name and no
 * top-level "host" member, the event is copied into scratch with
 * ,"host":"<sensor>" before its closing brace, its other bytes as they
 * were. */
enum ship_verdict ship_line(const struct ship_filter *, const char *line,
    size_t len, struct buf *scratch, struct ship_out *);

#endif
