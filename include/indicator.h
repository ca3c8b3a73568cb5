/*
 * indicator.h: the indicator values an EVE event carries (DNS names, TLS
 * SNI, HTTP host and URL, addresses, file hashes, JA3), and which of them
 * an alert is about: the rule's own type first, then any value the
 * indicator index knows, then the application layer's natural one.  Pure.
 */
#ifndef SANKAKU_INDICATOR_H
#define SANKAKU_INDICATOR_H

#include <stddef.h>

#include "config.h"
#include "evscan.h"
#include "index.h"

#define IND_MAX_CANDS 28

/* One candidate: its index type ("domain", "ip", "url", "ip-port", ...)
 * and normalised value (a URL as host[:port]/path, up to 2 KiB). */
struct ind_cand {
	const char *type;
	char value[2112];
};

/* Every candidate of the event, at most IND_MAX_CANDS, into c. */
size_t ind_collect(
    const struct evscan *, const struct cfg *, struct ind_cand *c);
/* The indicator of the alert (NULL if none); *hit its index entry. */
const struct ind_cand *ind_pick(const struct idx *, const struct ind_cand *c,
    size_t n, const char *hint, const char *app_proto,
    const struct idx_entry **hit);

#endif
