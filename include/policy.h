/*
 * policy.h: which of a source's indicators are deployed in this run: not
 * expired, already valid, TLP:RED only where the source's config says
 * "red": "deploy", prefixes no wider than rules.widest_prefix_v4/v6, and
 * each value once per source (a repeat makes the kept one's TLP and
 * evidence the strictest of both, its publication the earliest).  Pure.
 */
#ifndef SANKAKU_POLICY_H
#define SANKAKU_POLICY_H

#include <stddef.h>
#include <time.h>

#include "feed.h"

struct policy;

/* A policy for one source (its dedupe set starts empty). */
struct policy *policy_new(const struct cfg *, size_t source, time_t now);
void policy_free(struct policy *);
/* Indicators judged false positives (suppress.h) are skipped. */
struct suppress;
void policy_set_suppress(struct policy *, const struct suppress *);

/* Apply to one feed's good set: those deployed are marked so in place
 * (a repeat of one is folded into it), the rest counted in st and listed
 * through log where useful.  The list must live as long as the policy.
 * 0, or -1 out of memory. */
int policy_apply(struct policy *, struct ioc_list *feed, struct feed_stats *st,
    const struct feed_log *log, const char *file);

#endif
