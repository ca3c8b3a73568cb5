/*
 * fetch.h: one feed of sankaku-fetch brought to its path (fetch.c).
 */
#ifndef SANKAKU_FETCH_H
#define SANKAKU_FETCH_H

#include <stddef.h>

#include "config.h"

struct opts {
	size_t max_bytes;
	long timeout_s;
	int whole; /* every TAXII collection whole, not only what was added */
};

/* What became of one feed, for the summary and the gauges. */
struct outcome {
	const char *source, *path;
	size_t bytes, pages;
	int ok, unchanged;
	long long ok_at; /* the last success, this run's or an earlier */
};

/* Fetch feeds[i] of src by its "fetch"; say how it went on stdout (or
 * stderr, with the reason and "the copy at PATH stays"), and in out. */
void fetch_one(const struct cfg_source *src, size_t i, const struct opts *o,
    struct outcome *out);

#endif
