/*
 * subs.h: who listens on the channels sankakud publishes on.  Every 500 ms
 * PUBSUB NUMSUB and NUMPAT say which channels have subscribers; an alert
 * is published only where someone listens (on every channel while any
 * pattern subscription exists, or before the first answer).  The stream
 * is the record; channels are for live consumers.
 */
#ifndef SANKAKU_SUBS_H
#define SANKAKU_SUBS_H

#include <stddef.h>

#include "config.h"
#include "enrich.h"
#include "link.h"

struct subs;

struct subs *subs_new(struct link *main, const struct cfg *);
void subs_free(struct subs *);
/* A reload: channels of the new config (borrowed). */
void subs_config(struct subs *, const struct cfg *);
/* Forget what was known (a new connection): publish everywhere until
 * the next answer. */
void subs_unknown(struct subs *);
/* Ask who listens now. */
void subs_refresh(struct subs *);
/* Whether anybody may listen anywhere. */
int subs_any(const struct subs *);
/* The channels the alert goes to where someone may listen: up to max
 * names into names; their number. */
size_t subs_channels(const struct subs *, const struct enrich_out *,
    const char **names, size_t max);

#endif
