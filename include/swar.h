/*
 * swar.h: JSON text eight bytes at a time (SIMD within a register), for
 * the scanners and the writer: where the next byte that matters is; and,
 * for the validating scanner's strings, sixteen at a time with SSE2 where
 * there is SSE2 (simd_find_special, below).
 *
 * Each test sets the high bit of the bytes it flags.  The lowest flagged
 * byte is exact; bytes above it may be flagged wrongly (a borrow), which
 * does not matter to a scan that stops at the lowest.
 */
#ifndef SANKAKU_SWAR_H
#define SANKAKU_SWAR_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define SWAR_ONES 0x0101010101010101ULL
#define SWAR_HIGH 0x8080808080808080ULL

/* The bytes equal to c. */
static inline __attribute__((always_inline)) uint64_t
swar_eq(uint64_t w, unsigned char c)
{
	uint64_t x = w ^ (SWAR_ONES * c);

	return (x - SWAR_ONES) & ~x & SWAR_HIGH;
}

/* '"' or '\\': where a string might end (a skim). */
static inline __attribute__((always_inline)) uint64_t
swar_quote(uint64_t w)
{
	return swar_eq(w, '"') | swar_eq(w, '\\');
}

/* ... or a control character: what a writer escapes. */
static inline __attribute__((always_inline)) uint64_t
swar_escape(uint64_t w)
{
	return swar_quote(w) | ((w - SWAR_ONES * 0x20) & ~w & SWAR_HIGH);
}

/* ... or not ASCII: what a validating reader looks at (UTF-8). */
static inline __attribute__((always_inline)) uint64_t
swar_special(uint64_t w)
{
	return swar_escape(w) | (w & SWAR_HIGH);
}

/* From i, the first of s's n bytes test flags, or where fewer than
 * eight are left (and, on a big-endian machine, the start of the first
 * word with one): the caller goes on a byte at a time from there. */
static inline __attribute__((always_inline)) size_t
swar_find(
    const unsigned char *s, size_t i, size_t n, uint64_t (*test)(uint64_t))
{
	while (i + 8 <= n) {
		uint64_t w, m;

		memcpy(&w, s + i, 8);
		if ((m = test(w)) != 0) {
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
			/* the first byte in memory is the lowest */
			i += (size_t)__builtin_ctzll(m) / 8;
#endif
			break;
		}
		i += 8;
	}
	return i;
}

/* swar_find(s, i, n, swar_special), sixteen bytes at a time where SSE2
 * is (every x86-64): '"', '\\', and in one signed comparison both the
 * control characters and the bytes from 0x80 up (negative as signed).
 * Exact for every byte; a string of an EVE event is mostly one load. */
#if defined(__SSE2__)
#include <emmintrin.h>

static inline __attribute__((always_inline)) size_t
simd_find_special(const unsigned char *s, size_t i, size_t n)
{
	const __m128i quote = _mm_set1_epi8('"'), bslash = _mm_set1_epi8('\\'),
		      space = _mm_set1_epi8(0x20);

	while (i + 16 <= n) {
		__m128i v =
		    _mm_loadu_si128((const __m128i *)(const void *)(s + i));
		__m128i m = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, quote),
					     _mm_cmpeq_epi8(v, bslash)),
		    _mm_cmplt_epi8(v, space));
		unsigned int mask = (unsigned int)_mm_movemask_epi8(m);

		if (mask != 0)
			return i + (size_t)__builtin_ctz(mask);
		i += 16;
	}
	return swar_find(s, i, n, swar_special);
}
#else
static inline __attribute__((always_inline)) size_t
simd_find_special(const unsigned char *s, size_t i, size_t n)
{
	return swar_find(s, i, n, swar_special);
}
#endif

#endif
