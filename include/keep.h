/*
 * keep.h: each feed's last good set, kept beside the rules so that the
 * next run can fall back on it when the feed breaks (fail closed).
 *
 * DIR/feeds/SOURCE-HASH.tsv, HASH naming the feed's path: a first line
 *   # sankaku last good feed 1 <TAB> good_at=UTC-SECONDS <TAB> source=ID
 * then one indicator a line:
 *   TYPE VALUE EVIDENCE TLP PUBLISHED VALID_FROM VALID_UNTIL REF NAME
 * (tab-separated, numbers in UTC seconds, "-" for none).  Read back, every
 * value is validated again as if it came from the feed.
 */
#ifndef SANKAKU_KEEP_H
#define SANKAKU_KEEP_H

#include <stddef.h>
#include <stdint.h>

#include "feed.h"

/* The file name (under DIR/feeds/) of a source's feed. */
void keep_name(const char *source, const char *path, char *out, size_t len);

/* Write the feed's good set; 0, or -1 with err. */
int keep_write(const char *dir, const char *name, const char *source,
    int64_t good_at, const struct ioc_list *, char *err, size_t errlen);

/* Read a kept set into ctx->out; 0 with *good_at, or -1 (none, or
 * unreadable: err says which). */
int keep_read(const char *dir, const char *name, struct feed_ctx *,
    int64_t *good_at, char *err, size_t errlen);

#endif
