/*
 * jsplit.c: a scanner that skips JSON values by their brackets and
 * strings only (see jsplit.h).  What is inside an element is for jansson
 * to judge; the scanner only has to find where each one ends.
 */

#include <string.h>

#include "jsplit.h"

#define MAXDEPTH 512

/* Skip white space. */
static size_t
ws(const char *t, size_t len, size_t p)
{
	while (p < len &&
	    (t[p] == ' ' || t[p] == '\t' || t[p] == '\n' || t[p] == '\r'))
		p++;
	return p;
}

/* The end of the string opening at t[p]; len + 1 if it never closes. */
static size_t
skip_string(const char *t, size_t len, size_t p)
{
	for (p++; p < len; p++) {
		if (t[p] == '\\')
			p++;
		else if (t[p] == '"')
			return p + 1;
	}
	return len + 1;
}

/* The end of the value starting at t[p]: 0 with *end, -1 broken at *end,
 * -2 the text ended first. */
static int
skip_value(const char *t, size_t len, size_t p, size_t *end)
{
	char stack[MAXDEPTH];
	size_t depth = 0;

	p = ws(t, len, p);
	if (p >= len)
		return -2;
	if (t[p] != '{' && t[p] != '[') {
		/* a scalar: up to the next delimiter */
		if (t[p] == '"') {
			if ((p = skip_string(t, len, p)) > len)
				return -2;
		} else
			while (p < len && strchr(",]} \t\r\n", t[p]) == NULL)
				p++;
		*end = p;
		return 0;
	}
	while (p < len) {
		char c = t[p];

		if (c == '"') {
			if ((p = skip_string(t, len, p)) > len)
				return -2;
			continue;
		}
		if (c == '{' || c == '[') {
			if (depth == MAXDEPTH) {
				*end = p;
				return -1;
			}
			stack[depth++] = c == '{' ? '}' : ']';
		} else if (c == '}' || c == ']') {
			if (depth == 0 || stack[depth - 1] != c) {
				*end = p;
				return -1;
			}
			if (--depth == 0) {
				*end = p + 1;
				return 0;
			}
		}
		p++;
	}
	return -2;
}

/* Find a member of the top-level object. */
int
jsplit_member(const char *t, size_t len, const char *name, size_t *at)
{
	size_t p = ws(t, len, 0), n = strlen(name);

	if (len >= 3 && memcmp(t, "\xef\xbb\xbf", 3) == 0)
		p = ws(t, len, 3);
	if (p >= len)
		return -2;
	if (t[p] != '{')
		return -1;
	p = ws(t, len, p + 1);
	while (p < len && t[p] != '}') {
		size_t k = p, e;
		int rv;

		if (t[p] != '"')
			return -1;
		p = skip_string(t, len, p);
		if (p > len)
			return -2;
		p = ws(t, len, p);
		if (p >= len)
			return -2;
		if (t[p] != ':')
			return -1;
		p = ws(t, len, p + 1);
		if (p >= len)
			return -2;
		if (p - k > 0 && (size_t)(p - k) >= n + 2 &&
		    memcmp(t + k + 1, name, n) == 0 && t[k + 1 + n] == '"') {
			*at = p;
			return 0;
		}
		if ((rv = skip_value(t, len, p, &e)) != 0)
			return rv == -2 ? -2 : -1;
		p = ws(t, len, e);
		if (p < len && t[p] == ',')
			p = ws(t, len, p + 1);
		else if (p < len && t[p] != '}')
			return -1;
	}
	return p < len ? 1 : -2;
}

/* Start on an array. */
int
jsplit_begin(struct jsplit_iter *it, const char *t, size_t len, size_t at)
{
	at = ws(t, len, at);
	if (at >= len || t[at] != '[')
		return -1;
	it->text = t;
	it->len = len;
	it->pos = at + 1;
	it->index = (size_t)-1;
	return 0;
}

/* The next element. */
enum jsplit
jsplit_next(struct jsplit_iter *it, size_t *start, size_t *end)
{
	const char *t = it->text;
	size_t p = ws(t, it->len, it->pos), e;
	int rv;

	if (p >= it->len)
		return JS_TRUNCATED;
	if (t[p] == ']') {
		it->pos = p + 1;
		return JS_END;
	}
	if (it->index != (size_t)-1) {
		if (t[p] != ',') {
			it->pos = p;
			return JS_SYNTAX;
		}
		p = ws(t, it->len, p + 1);
	}
	rv = skip_value(t, it->len, p, &e);
	if (rv == -2)
		return JS_TRUNCATED;
	if (rv == -1 || e == p) {
		it->pos = rv == -1 ? e : p;
		return JS_SYNTAX;
	}
	*start = p;
	*end = e;
	it->pos = e;
	it->index++;
	return JS_ELEMENT;
}

/* Whether the text holds one complete value (it may be broken inside). */
int
jsplit_complete(const char *t, size_t len)
{
	size_t e, p = 0;

	if (len >= 3 && memcmp(t, "\xef\xbb\xbf", 3) == 0)
		p = 3;
	return skip_value(t, len, p, &e) != -2;
}
