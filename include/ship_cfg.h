/*
 * ship_cfg.h: sankaku-ship's settings: the section "ship" of a JSON file
 * (the same file as sankakud's may hold it: other top-level keys are left
 * to their owners, but "redis" and "redis_password_file" are taken when
 * "ship" has none), then the flags over it.  Every error names the file
 * and the key.  Apart from reading the files, pure.
 */
#ifndef SANKAKU_SHIP_CFG_H
#define SANKAKU_SHIP_CFG_H

#include <stddef.h>
#include <stdio.h>

#include "redisurl.h"

struct ship_cfg {
	char *path; /* the file read, or "(defaults)" */
	char *eve, *state, *key, *deadletter;
	char *redis, *redis_password_file;
	char *sensor, *log_level, *metrics_listen;
	char **event_types; /* none: every type */
	size_t nevent_types;
	int rpush;    /* push: rpush (else lpush) */
	int from_end; /* start_at: end (a first start only) */
	long redis_timeout_ms, max_event_bytes, batch, batch_bytes, inflight;
	long max_backlog, checkpoint_ms, poll_ms;
	struct redis_url url; /* redis, with the password file's */
};

struct ship_flags {
	const char *config; /* NULL: the default, if it exists */
	const char *eve, *redis, *key;
};

/* Load; NULL with "FILE: ship.KEY: reason" in err (never a password). */
struct ship_cfg *ship_cfg_load(const struct ship_flags *,
    const char *default_path, char *err, size_t errlen);
void ship_cfg_free(struct ship_cfg *);
/* Every key, its default and meaning, for --help-config. */
void ship_cfg_describe(FILE *);

#endif
