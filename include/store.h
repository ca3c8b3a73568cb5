/*
 * store.h: how a chunk's enriched alerts, messages and dead letters reach
 * Redis, and how the pipeline learns that every one of them ran.
 *
 * One interface, two backends, chosen per chunk by store.c:
 *   acknowledged (store.c)     each XADD and dead letter with its reply;
 *   checked (store_checked.c)  the chunk's XADDs and PUBLISHes under
 *                              CLIENT REPLY OFF, then one INFO commandstats
 *                              reading shows whether all of them ran
 *                              (output.acks "chunk"; Redis 7 with
 *                              +client|reply +info).
 * Either way, store_close() is followed by the stored callback once every
 * store of the chunk is known to have run, or to have failed.
 */
#ifndef SANKAKU_STORE_H
#define SANKAKU_STORE_H

#include <stddef.h>

#include <hiredis/hiredis.h>

#include "chunk.h"
#include "config.h"
#include "enrich.h"
#include "link.h"
#include "metrics.h"

struct store;

/* The pipeline's side. */
struct store *store_new(struct link *main, const struct cfg *, struct metrics *,
    void (*stored)(struct chunk *));
void store_free(struct store *);
/* A reload: the config in force from the next chunk (borrowed). */
void store_config(struct store *, const struct cfg *);
/* The main link came up (probe) or went down. */
void store_link_up(struct store *);
void store_link_down(struct store *);
/* Now and then (a pause after failed checks may be over). */
void store_tick(struct store *);
/* Bytes enrich must leave free before the document (XADD framing). */
size_t store_headroom(const struct store *);
void store_open(struct store *, struct chunk *);
/* XADD the alert, framed in place in the headroom of out->buf. */
void store_alert(struct store *, struct chunk *, struct enrich_out *);
void store_publish(struct store *, struct chunk *, const char *channel,
    const char *msg, size_t len);
/* Push a dead letter (dl is taken). */
void store_deadletter(struct store *, struct chunk *, char *dl, size_t len);
void store_close(struct store *, struct chunk *);
/* Free what the store holds for a chunk that is given up. */
void store_forget(struct chunk *);

/* The backends' side. */
struct store_backend {
	const char *name;
	/* a command already in Redis protocol: an XADD */
	int (*raw)(struct store *, struct chunk *, const char *, size_t);
	/* a PUBLISH: its reply is never needed */
	int (*publish)(struct store *, struct chunk *, int argc,
	    const char **argv, const size_t *lens);
	void (*deadletter)(struct store *, struct chunk *, char *, size_t);
	void (*close)(struct store *, struct chunk *);
};

extern const struct store_backend store_acked;
extern const struct store_backend store_checked;

/* For the backends (store.c). */
struct link *store_link(struct store *);
const struct cfg *store_cfg(const struct store *);
struct metrics *store_metrics(struct store *);
/* LPUSH a dead letter and wait for its reply. */
void store_push_deadletter(
    struct store *, struct chunk *, const char *dl, size_t len);
/* A store answered (NULL: the link is gone); the chunk may be done. */
void store_reply(struct store *, struct chunk *, const redisReply *);
/* One more reply to wait for; one is in. */
void store_expect(struct chunk *);
void store_answered(struct store *, struct chunk *);

/* The checked backend's own state (store_checked.c). */
struct checked;
struct checked *checked_new(struct store *);
void checked_free(struct checked *);
/* Whether this chunk's stores may go out quietly; opens the window. */
int checked_open(struct checked *, struct chunk *);
void checked_link_up(struct checked *);
void checked_link_down(struct checked *);
void checked_tick(struct checked *);
void checked_config(struct checked *);
struct checked *store_checked_state(struct store *);

#endif
