/*
 * deadletter.h: the dead-letter entry for input that cannot be enriched:
 * {"reason", "detail", "at", "consumer"} and the event exactly as received
 * in "raw" (or "raw_base64" when it is not UTF-8 text), so that it can be
 * replayed.  An event larger than DL_WHOLE is kept by its head instead
 * ("raw_head" or "raw_head_base64", at most DL_HEAD bytes), with its
 * "length" and "sha1": a flood of huge events must not be copied whole
 * into Redis.  Pure.
 */
#ifndef SANKAKU_DEADLETTER_H
#define SANKAKU_DEADLETTER_H

#include <stddef.h>
#include <time.h>

#define DL_WHOLE (64 * 1024) /* events up to this size are kept whole */
#define DL_HEAD 4096	     /* bytes of a larger one kept */

/* The entry for the whole event; new string, or NULL on OOM. */
char *dl_entry(const char *reason, const char *detail, const char *raw,
    size_t len, const char *consumer, time_t now, size_t *outlen);
/* The entry for an event of total bytes known by its head (at most
 * DL_HEAD bytes of it are kept) and its SHA-1 (hex; NULL: computed from
 * head, which must then be the whole event). */
char *dl_entry_head(const char *reason, const char *detail, const char *head,
    size_t headlen, long long total, const char *sha1, const char *consumer,
    time_t now, size_t *outlen);

#endif
