/*
 * ftype.h: indicator type names as feeds write them (sankaku's own,
 * MISP's with its composites, abuse.ch ThreatFox's) turned into
 * indicators or counted skips.  Pure.
 */
#ifndef SANKAKU_FTYPE_H
#define SANKAKU_FTYPE_H

#include <stddef.h>

#include "feed.h"

/* Emit the indicators of value, of the named type.  An unknown name is a
 * bad value if strict (the project's own CSV), else a type Suricata
 * cannot match (MISP has hundreds).  0 if anything was kept, else -1. */
int feed_typed(struct feed_ctx *, const char *type, size_t tlen,
    const char *value, size_t vlen, const struct ioc_meta *, const char *pos,
    int strict);

#endif
