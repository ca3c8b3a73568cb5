/*
 * jdump.c: compact JSON text of a jansson value (see jdump.h).
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jdump.h"
#include "swar.h"

#define JDUMP_DEPTH 64

/* A string of len bytes as jansson escapes it: \" \\ \b \f \n \r \t,
 * other control characters \u00XX; the rest (UTF-8 already) a run at a
 * time, eight bytes at a time. */
static void
put_string(struct buf *b, const char *s, size_t len)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t i = 0, run = 0;

	buf_put(b, "\"", 1);
	for (;;) {
		unsigned char c;
		char e[6] = {'\\', 0, 0, 0, 0, 0};
		size_t n = 2;

		i = swar_find((const unsigned char *)s, i, len, swar_escape);
		while (i < len && (unsigned char)s[i] >= 0x20 && s[i] != '"' &&
		    s[i] != '\\')
			i++;
		if (i >= len)
			break;
		c = (unsigned char)s[i];
		buf_put(b, s + run, i - run);
		run = ++i;
		switch (c) {
		case '"':
		case '\\':
			e[1] = (char)c;
			break;
		case '\b':
			e[1] = 'b';
			break;
		case '\f':
			e[1] = 'f';
			break;
		case '\n':
			e[1] = 'n';
			break;
		case '\r':
			e[1] = 'r';
			break;
		case '\t':
			e[1] = 't';
			break;
		default:
			memcpy(e + 1, "u00", 3);
			e[4] = hex[c >> 4];
			e[5] = hex[c & 15];
			n = 6;
		}
		buf_put(b, e, n);
	}
	buf_put(b, s + run, len - run);
	buf_put(b, "\"", 1);
}

/* The decimal digits of an integer. */
static void
put_int(struct buf *b, json_int_t x)
{
	char d[24], *p = d + sizeof(d);
	unsigned long long u =
	    x < 0 ? 0ULL - (unsigned long long)x : (unsigned long long)x;

	do
		*--p = (char)('0' + u % 10);
	while ((u /= 10) != 0);
	if (x < 0)
		*--p = '-';
	buf_put(b, p, (size_t)(d + sizeof(d) - p));
}

/* As jansson writes a real: 17 digits, and a ".0" if it would read back
 * as an integer. */
static void
put_real(struct buf *b, double x)
{
	char d[40];
	int n = snprintf(d, sizeof(d), "%.17g", x);

	if (n <= 0 || (size_t)n >= sizeof(d))
		return;
	buf_put(b, d, (size_t)n);
	if (strpbrk(d, ".eEn") == NULL) /* n: nan, inf (jansson has none) */
		buf_put(b, ".0", 2);
}

static int
dump(struct buf *b, json_t *v, int depth)
{
	const char *k;
	json_t *x;
	size_t i;
	int first = 1;

	if (depth > JDUMP_DEPTH)
		return -1;
	switch (json_typeof(v)) {
	case JSON_OBJECT:
		buf_put(b, "{", 1);
		json_object_foreach (v, k, x) {
			if (!first)
				buf_put(b, ",", 1);
			first = 0;
			put_string(b, k, strlen(k));
			buf_put(b, ":", 1);
			if (dump(b, x, depth + 1) != 0)
				return -1;
		}
		buf_put(b, "}", 1);
		break;
	case JSON_ARRAY:
		buf_put(b, "[", 1);
		json_array_foreach (v, i, x) {
			if (i > 0)
				buf_put(b, ",", 1);
			if (dump(b, x, depth + 1) != 0)
				return -1;
		}
		buf_put(b, "]", 1);
		break;
	case JSON_STRING:
		put_string(b, json_string_value(v), json_string_length(v));
		break;
	case JSON_INTEGER:
		put_int(b, json_integer_value(v));
		break;
	case JSON_REAL:
		put_real(b, json_real_value(v));
		break;
	case JSON_TRUE:
		buf_put(b, "true", 4);
		break;
	case JSON_FALSE:
		buf_put(b, "false", 5);
		break;
	default:
		buf_put(b, "null", 4);
		break;
	}
	return b->oom ? -1 : 0;
}

int
jdump(struct buf *b, json_t *v)
{
	return v == NULL ? -1 : dump(b, v, 0);
}

char *
jdump_string(json_t *v, size_t *len)
{
	struct buf b = {0};

	if (jdump(&b, v) != 0 || b.s == NULL) {
		free(b.s);
		return NULL;
	}
	if (len != NULL)
		*len = b.len;
	return b.s;
}
