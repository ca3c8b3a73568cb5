/*
 * evstr.c: string values of an EVE event: decode, compare, check (see
 * evstr.h).
 */

#include <stdint.h>
#include <string.h>

#include "evstr.h"

/* Value of a hex digit, or -1. */
static int
hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Four hex digits at b; -1 if not. */
long
evstr_hex4(const char *b)
{
	int a = hexval(b[0]), c = hexval(b[1]), d = hexval(b[2]),
	    e = hexval(b[3]);

	if (a < 0 || c < 0 || d < 0 || e < 0)
		return -1;
	return (long)((a << 12) | (c << 8) | (d << 4) | e);
}

/* Length of the valid UTF-8 sequence at p (n bytes left), or 0. */
size_t
evstr_utf8_len(const unsigned char *p, size_t n)
{
	uint32_t cp;
	size_t k, i;

	if (p[0] < 0x80)
		return 1;
	if (p[0] >= 0xc2 && p[0] <= 0xdf) {
		k = 2;
		cp = p[0] & 0x1f;
	} else if (p[0] >= 0xe0 && p[0] <= 0xef) {
		k = 3;
		cp = p[0] & 0x0f;
	} else if (p[0] >= 0xf0 && p[0] <= 0xf4) {
		k = 4;
		cp = p[0] & 0x07;
	} else
		return 0;
	if (n < k)
		return 0;
	for (i = 1; i < k; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (p[i] & 0x3f);
	}
	if ((k == 3 && cp < 0x800) || (k == 4 && cp < 0x10000) ||
	    cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0; /* overlong, out of range, surrogate */
	return k;
}

/* Append the UTF-8 of cp. */
static size_t
put_utf8(char *o, uint32_t cp)
{
	if (cp < 0x80) {
		o[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		o[0] = (char)(0xc0 | (cp >> 6));
		o[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		o[0] = (char)(0xe0 | (cp >> 12));
		o[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		o[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	o[0] = (char)(0xf0 | (cp >> 18));
	o[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
	o[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
	o[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}

/* Unescape a validated string value; when it does not fit (or holds a
 * NUL), -1, or with cut the part before, ended between characters. */
static long
copy(const struct evstr *v, char *out, size_t outlen, int cut)
{
	size_t i, o = 0;

	if (v->p == NULL || outlen == 0)
		return -1;
	for (i = 0; i < v->len;) {
		char c = v->p[i];
		char tmp[4];
		size_t k = 1;

		if (c != '\\') {
			tmp[0] = c;
			i++;
		} else {
			char e = v->p[i + 1];

			i += 2;
			switch (e) {
			case 'b':
				tmp[0] = '\b';
				break;
			case 'f':
				tmp[0] = '\f';
				break;
			case 'n':
				tmp[0] = '\n';
				break;
			case 'r':
				tmp[0] = '\r';
				break;
			case 't':
				tmp[0] = '\t';
				break;
			case 'u': {
				uint32_t cp = (uint32_t)evstr_hex4(v->p + i);

				i += 4;
				if (cp >= 0xd800 && cp <= 0xdbff) {
					uint32_t lo =
					    (uint32_t)evstr_hex4(v->p + i + 2);

					cp = 0x10000 + ((cp - 0xd800) << 10) +
					    (lo - 0xdc00);
					i += 6;
				}
				if (cp == 0) /* no C string holds it */
					goto full;
				k = put_utf8(tmp, cp);
				break;
			}
			default: /* " \ / */
				tmp[0] = e;
			}
		}
		if (o + k >= outlen)
			goto full;
		memcpy(out + o, tmp, k);
		o += k;
	}
	out[o] = '\0';
	return (long)o;
full:
	if (!cut)
		return -1;
	o = evstr_utf8_whole(out, o);
	out[o] = '\0';
	return (long)o;
}

long
evstr_copy(const struct evstr *v, char *out, size_t outlen)
{
	return copy(v, out, outlen, 0);
}

/* s[0, n) without a character its last bytes begin and do not finish. */
size_t
evstr_utf8_whole(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t j = n, need;

	while (j > 0 && n - j < 3 && (p[j - 1] & 0xc0) == 0x80)
		j--;
	if (j == 0 || p[j - 1] < 0xc0)
		return n; /* ends in ASCII, or no lead byte in reach */
	need = p[j - 1] >= 0xf0 ? 4 : p[j - 1] >= 0xe0 ? 3 : 2;
	return n - (j - 1) < need ? j - 1 : n;
}

/* At most max bytes of s, ended between characters. */
size_t
evstr_prefix(const char *s, size_t max)
{
	return evstr_utf8_whole(s, strnlen(s, max));
}

/* Make s valid UTF-8 in place: a character cut at its end dropped, any
 * other byte that is not UTF-8 made '?'. */
void
evstr_utf8_fix(char *s)
{
	unsigned char *p = (unsigned char *)s;
	size_t n = evstr_utf8_whole(s, strlen(s)), i = 0, k;

	s[n] = '\0';
	while (i < n) {
		if ((k = evstr_utf8_len(p + i, n - i)) == 0) {
			p[i] = '?';
			k = 1;
		}
		i += k;
	}
}

/* Whether s[0, n) is valid UTF-8 without control characters. */
int
evstr_text_ok(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, k;

	while (i < n) {
		if (p[i] < 0x20 || (k = evstr_utf8_len(p + i, n - i)) == 0)
			return 0;
		i += k;
	}
	return 1;
}

/* Compare with a C string. */
int
evstr_eq(const struct evstr *v, const char *s)
{
	size_t n = strlen(s);

	return v->p != NULL && !v->escaped && v->len == n &&
	    memcmp(v->p, s, n) == 0;
}

/* The same, cut to fit. */
const char *
evstr_cstr_cut(const struct evstr *v, char *buf, size_t len)
{
	size_t n;

	if (v->p == NULL || len == 0)
		return NULL;
	if (v->escaped)
		return copy(v, buf, len, 1) < 0 ? NULL : buf;
	n = v->len < len ? v->len : evstr_prefix(v->p, len - 1);
	memcpy(buf, v->p, n);
	buf[n] = '\0';
	return buf;
}

/* As a C string in buf. */
const char *
evstr_cstr(const struct evstr *v, char *buf, size_t len)
{
	if (v->p == NULL)
		return NULL;
	if (!v->escaped) {
		if (v->len >= len)
			return NULL;
		memcpy(buf, v->p, v->len);
		buf[v->len] = '\0';
		return buf;
	}
	return evstr_copy(v, buf, len) < 0 ? NULL : buf;
}
