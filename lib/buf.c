/*
 * buf.c: a growing byte buffer (see buf.h).
 */

#include <stdlib.h>

#include "buf.h"

/* Room for n more bytes and the NUL. */
int
buf_grow(struct buf *b, size_t n)
{
	size_t cap;
	char *ns;

	if (b->oom)
		return -1;
	if (b->len + n + 1 <= b->cap)
		return 0;
	cap = (b->len + n + 1) * 2;
	if ((ns = realloc(b->s, cap)) == NULL) {
		b->oom = 1;
		return -1;
	}
	b->s = ns;
	b->cap = cap;
	return 0;
}

/* Append s as a JSON string. */
void
buf_json_string(struct buf *b, const char *s)
{
	static const char hex[] = "0123456789abcdef";
	const char *run = s;

	buf_put(b, "\"", 1);
	for (; *s != '\0'; s++) {
		unsigned char c = (unsigned char)*s;
		char esc[6] = {'\\', 'u', '0', '0', 0, 0};

		if (c >= 0x20 && c != '"' && c != '\\')
			continue;
		buf_put(b, run, (size_t)(s - run));
		run = s + 1;
		if (c == '"' || c == '\\') {
			esc[1] = (char)c;
			buf_put(b, esc, 2);
		} else {
			esc[4] = hex[c >> 4];
			esc[5] = hex[c & 15];
			buf_put(b, esc, 6);
		}
	}
	buf_put(b, run, (size_t)(s - run));
	buf_put(b, "\"", 1);
}
