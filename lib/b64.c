/*
 * b64.c: base64 encoding.
 */

#include <stdint.h>

#include "b64.h"

/* Encode; out is NUL-terminated. */
void
b64_encode(const void *in, size_t n, char *out)
{
	static const char t[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	const unsigned char *s = in;
	size_t i;

	for (i = 0; i + 2 < n; i += 3) {
		uint32_t w =
		    (uint32_t)s[i] << 16 | (uint32_t)s[i + 1] << 8 | s[i + 2];

		*out++ = t[w >> 18];
		*out++ = t[(w >> 12) & 63];
		*out++ = t[(w >> 6) & 63];
		*out++ = t[w & 63];
	}
	if (i < n) {
		uint32_t w = (uint32_t)s[i] << 16;

		if (i + 1 < n)
			w |= (uint32_t)s[i + 1] << 8;
		*out++ = t[w >> 18];
		*out++ = t[(w >> 12) & 63];
		*out++ = i + 1 < n ? t[(w >> 6) & 63] : '=';
		*out++ = '=';
	}
	*out = '\0';
}

/* Value of a base64 character, or -1. */
static int
b64_val(unsigned char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	return c == '+' ? 62 : c == '/' ? 63 : -1;
}

/* Decode. */
long
b64_decode(const char *in, size_t n, unsigned char *out)
{
	size_t i, o = 0, pad = 0;

	if (n % 4 != 0)
		return -1;
	if (n > 0 && in[n - 1] == '=')
		pad = in[n - 2] == '=' ? 2 : 1;
	for (i = 0; i < n; i += 4) {
		int v[4], k;
		uint32_t w;

		for (k = 0; k < 4; k++) {
			int last = i + 4 == n;

			v[k] = (last && k >= 4 - (int)pad && in[i + k] == '=')
			    ? 0
			    : b64_val((unsigned char)in[i + k]);
			if (v[k] < 0)
				return -1;
		}
		w = (uint32_t)v[0] << 18 | (uint32_t)v[1] << 12 |
		    (uint32_t)v[2] << 6 | (uint32_t)v[3];
		out[o++] = (unsigned char)(w >> 16);
		if (i + 4 < n || pad < 2)
			out[o++] = (unsigned char)(w >> 8);
		if (i + 4 < n || pad < 1)
			out[o++] = (unsigned char)w;
	}
	return (long)o;
}
