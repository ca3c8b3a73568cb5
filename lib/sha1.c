/*
 * sha1.c: SHA-1 as FIPS 180-4 section 6.1 describes it (see sha1.h).
 */

#include <stdint.h>
#include <string.h>

#include "sha1.h"

/* Rotate left. */
static uint32_t
rol(uint32_t x, int n)
{
	return x << n | x >> (32 - n);
}

/* One 64-byte block into the state h. */
static void
sha1_block(uint32_t h[5], const unsigned char *b)
{
	uint32_t w[80], a, bb, c, d, e, f, k, t;
	int i;

	for (i = 0; i < 16; i++)
		w[i] = (uint32_t)b[4 * i] << 24 | (uint32_t)b[4 * i + 1] << 16 |
		    (uint32_t)b[4 * i + 2] << 8 | b[4 * i + 3];
	for (i = 16; i < 80; i++)
		w[i] = rol(w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16], 1);
	a = h[0];
	bb = h[1];
	c = h[2];
	d = h[3];
	e = h[4];
	for (i = 0; i < 80; i++) {
		if (i < 20) {
			f = (bb & c) | (~bb & d);
			k = 0x5a827999;
		} else if (i < 40) {
			f = bb ^ c ^ d;
			k = 0x6ed9eba1;
		} else if (i < 60) {
			f = (bb & c) | (bb & d) | (c & d);
			k = 0x8f1bbcdc;
		} else {
			f = bb ^ c ^ d;
			k = 0xca62c1d6;
		}
		t = rol(a, 5) + f + e + k + w[i];
		e = d;
		d = c;
		c = rol(bb, 30);
		bb = a;
		a = t;
	}
	h[0] += a;
	h[1] += bb;
	h[2] += c;
	h[3] += d;
	h[4] += e;
}

void
sha1_init(struct sha1 *c)
{
	static const uint32_t h0[5] = {
	    0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0};

	memcpy(c->h, h0, sizeof(h0));
	c->n = 0;
}

void
sha1_update(struct sha1 *c, const void *p, size_t n)
{
	const unsigned char *s = p;
	size_t have = (size_t)(c->n % 64);

	c->n += n;
	if (have > 0) {
		size_t take = 64 - have < n ? 64 - have : n;

		memcpy(c->block + have, s, take);
		s += take;
		n -= take;
		if (have + take < 64)
			return;
		sha1_block(c->h, c->block);
	}
	for (; n >= 64; s += 64, n -= 64)
		sha1_block(c->h, s);
	memcpy(c->block, s, n);
}

void
sha1_final(struct sha1 *c, char out[41])
{
	static const char hex[] = "0123456789abcdef";
	unsigned char tail[128];
	uint64_t bits = c->n * 8;
	size_t i, rest = (size_t)(c->n % 64), tlen;

	/* the rest, a 1 bit, zeros, and the length in bits */
	memset(tail, 0, sizeof(tail));
	memcpy(tail, c->block, rest);
	tail[rest] = 0x80;
	tlen = rest < 56 ? 64 : 128;
	for (i = 0; i < 8; i++)
		tail[tlen - 1 - i] = (unsigned char)(bits >> (8 * i));
	sha1_block(c->h, tail);
	if (tlen == 128)
		sha1_block(c->h, tail + 64);
	for (i = 0; i < 20; i++) {
		unsigned char byte =
		    (unsigned char)(c->h[i / 4] >> (24 - 8 * (i % 4)));

		out[2 * i] = hex[byte >> 4];
		out[2 * i + 1] = hex[byte & 15];
	}
	out[40] = '\0';
}

/* The hex digest. */
void
sha1_hex(const void *p, size_t n, char out[41])
{
	struct sha1 c;

	sha1_init(&c);
	sha1_update(&c, p, n);
	sha1_final(&c, out);
}
