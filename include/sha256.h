/*
 * sha256.h: SHA-256 (FIPS 180-4), for the desk's tokens: only their
 * digests are stored.  Pure.
 */
#ifndef SANKAKU_SHA256_H
#define SANKAKU_SHA256_H

#include <stddef.h>

/* The hex digest of n bytes. */
void sha256_hex(const void *p, size_t n, char out[65]);

#endif
