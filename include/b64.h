/*
 * b64.h: base64 (RFC 4648, with padding), for dataset entries and for dead
 * letters whose bytes are not text.
 */
#ifndef SANKAKU_B64_H
#define SANKAKU_B64_H

#include <stddef.h>

/* Bytes needed for the encoding of n bytes, NUL included. */
#define B64_LEN(n) (((n) + 2) / 3 * 4 + 1)

/* Encode n bytes of in into out (B64_LEN(n) bytes). */
void b64_encode(const void *in, size_t n, char *out);
/* Decode n characters of in into out (at least n / 4 * 3 bytes); the
 * length, or -1 if in is not padded base64. */
long b64_decode(const char *in, size_t n, unsigned char *out);

#endif
