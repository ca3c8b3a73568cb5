/*
 * chunk.h: events read together, stored together and acknowledged
 * together.  An input backend makes a chunk (embedding this struct in its
 * own), the pipeline enriches its events and has the store send them, and
 * the input acknowledges it (trims it, XACKs it) once every store is in.
 */
#ifndef SANKAKU_CHUNK_H
#define SANKAKU_CHUNK_H

#include <stddef.h>

struct pipeline;
struct store;
struct store_backend;

/* A dead letter held back until its chunk's quiet window is closed. */
struct held {
	char *s;
	size_t len;
};

struct chunk {
	struct pipeline *pl;
	unsigned long gen; /* the pipeline's generation when it was read */
	int recovery;	   /* a predecessor's events, finished after a start */
	double t0;	   /* when it was taken, for the latency histogram */
	size_t nitems;	   /* events in it */
	size_t alerts;	   /* enriched alerts stored */
	size_t published;  /* PUBLISH messages sent with them */

	/* its stores (store.c) */
	struct store *st;
	const struct store_backend *be;
	size_t pending; /* replies outstanding */
	size_t quiet;	/* XADDs sent without a reply, checked at once */
	int trimmed;	/* streams trimmed by one of its XADDs: 1 main, 2 red */
	int closed;	/* every store is sent */
	struct held *held;
	size_t nheld;

	/* how it went */
	int failed; /* Redis refused a store: redo it after a pause */
	int lost;   /* a reply never came (link gone): its events wait */
	char err[128];
};

#endif
