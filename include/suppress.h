/*
 * suppress.h: indicators the analysts judged false positives, kept out
 * of the rules at the next refresh (see suppress.c).
 */
#ifndef SANKAKU_SUPPRESS_H
#define SANKAKU_SUPPRESS_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "feed.h"

struct suppress;

/* The file sankaku-desk writes ({"suppressed": [{"type", "value",
 * "until", ...}]}); entries past "until" at now are not kept.  A missing
 * file is an empty list; NULL with "FILE: reason" in err otherwise. */
struct suppress *suppress_load(
    const char *path, time_t now, char *err, size_t errlen);
void suppress_free(struct suppress *);
size_t suppress_count(const struct suppress *);
/* Copy the list at path (if any) into dir/sankaku-suppress.json; 0, or
 * -1 with err. */
int suppress_carry(const char *path, const char *dir, char *err, size_t errlen);
/* Whether the indicator is suppressed. */
int suppress_has(const struct suppress *, const struct ioc *);
/* Whether the source (by id) needs a second source ("second_source"). */
int suppress_second(const struct suppress *, const char *source);

/* One list of indicators read for a source (second.c). */
struct second_list {
	struct ioc_list *l;
	size_t source;	       /* its index in the config */
	struct feed_stats *st; /* its feed's counts */
};

/* Indicators deployed by a source that needs a second source (need[s])
 * and by no other source: no longer deployed, counted second-source in
 * their feed's stats.  Returns how many; -1 out of memory. */
long second_source_apply(
    struct second_list *, size_t n, const unsigned char *need, size_t nsources);

#endif
