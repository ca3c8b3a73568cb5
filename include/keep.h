/*
 * keep.h: each feed's last good copy, kept beside the rules so that the
 * next run can fall back on it when the feed breaks (fail closed).
 *
 * DIR/feeds/SOURCE-HASH.feed holds the bytes of the feed as they were
 * read and parsed (HASH names the feed's path), DIR/feeds/SOURCE-HASH.meta
 * when: "good_at=UTC-SECONDS".  Read back, the copy goes through the same
 * parser again: what was good then is what is deployed now, judged by
 * today's policy (validity, TLP:RED, prefix width).
 */
#ifndef SANKAKU_KEEP_H
#define SANKAKU_KEEP_H

#include <stddef.h>
#include <stdint.h>

/* The name (under DIR/feeds/, without suffix) of a source's feed. */
void keep_name(const char *source, const char *path, char *out, size_t len);

/* Keep a feed's bytes; 0, or -1 with err. */
int keep_write(const char *dir, const char *name, int64_t good_at,
    const char *text, size_t len, char *err, size_t errlen);

/* A kept copy: its bytes (malloc'd, *len) and when they were read; NULL
 * with err if there is none or it cannot be read. */
char *keep_read(const char *dir, const char *name, size_t *len,
    int64_t *good_at, char *err, size_t errlen);

#endif
