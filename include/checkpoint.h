/*
 * checkpoint.h: where sankaku-ship is in eve.json, kept in its state file:
 * the file's identity (tail.h) and the offset up to which every event has
 * been acknowledged by Redis.  Written whole under a temporary name,
 * synced, renamed over the old one and the directory synced: after a
 * crash at any moment the file holds the old checkpoint or the new one.
 */
#ifndef SANKAKU_CHECKPOINT_H
#define SANKAKU_CHECKPOINT_H

#include <stddef.h>

#include "tail.h"

struct checkpoint {
	struct tail_id id;
	long long offset;
};

/* 0 read, 1 no checkpoint yet, -1 unreadable or damaged (err says which
 * key and why). */
int checkpoint_read(
    const char *path, struct checkpoint *, char *err, size_t errlen);
/* 0, or -1 with err (the old checkpoint is left as it was). */
int checkpoint_write(
    const char *path, const struct checkpoint *, char *err, size_t errlen);

#endif
