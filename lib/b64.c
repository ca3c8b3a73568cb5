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
