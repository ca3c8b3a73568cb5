/*
 * sha1.h: SHA-1 (FIPS 180-4), to name an event too large to keep by the
 * same hash Redis's redis.sha1hex() gives when it replaces one.  Not for
 * anything that needs collision resistance.  Pure.
 */
#ifndef SANKAKU_SHA1_H
#define SANKAKU_SHA1_H

#include <stddef.h>

/* The hex digest of n bytes at p into out (41 bytes, NUL-terminated). */
#include <stdint.h>

/* A digest computed in pieces. */
struct sha1 {
	uint32_t h[5];
	uint64_t n;
	unsigned char block[64];
};

void sha1_init(struct sha1 *);
void sha1_update(struct sha1 *, const void *, size_t);
void sha1_final(struct sha1 *, char out[41]);
/* The digest of one buffer. */
void sha1_hex(const void *p, size_t n, char out[41]);

#endif
