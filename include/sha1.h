/*
 * sha1.h: SHA-1 (FIPS 180-4), to name an event too large to keep by the
 * same hash Redis's redis.sha1hex() gives when it replaces one.  Not for
 * anything that needs collision resistance.  Pure.
 */
#ifndef SANKAKU_SHA1_H
#define SANKAKU_SHA1_H

#include <stddef.h>

/* The hex digest of n bytes at p into out (41 bytes, NUL-terminated). */
void sha1_hex(const void *p, size_t n, char out[41]);

#endif
