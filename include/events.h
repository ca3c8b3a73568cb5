/*
 * events.h: what happens to each event of a chunk (see events.c).
 */
#ifndef SANKAKU_EVENTS_H
#define SANKAKU_EVENTS_H

#include <stddef.h>

#include "careful.h"
#include "chunk.h"
#include "config.h"
#include "index.h"
#include "link.h"
#include "metrics.h"
#include "render.h"
#include "store.h"
#include "subs.h"

struct events;

struct events *ev_new(struct metrics *, struct store *, struct subs *);
void ev_free(struct events *);
/* The config, index and render fragments in force (borrowed). */
void ev_config(struct events *, const struct cfg *, const struct idx *,
    const struct render *);
/* One event of a chunk; one a careful read replaced by its head. */
void ev_item(struct events *, struct chunk *, const char *raw, size_t len);
void ev_item_big(struct events *, struct chunk *, const struct careful_big *);
/* Write the reference document of the config in force on link, then its
 * version as the current one (reference.h). */
void ev_reference(struct events *, struct link *);

#endif
