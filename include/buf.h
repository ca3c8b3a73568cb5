/*
 * buf.h: a growing byte buffer that remembers running out of memory, so
 * that a long run of appends needs one check at the end.  Pure.
 */
#ifndef SANKAKU_BUF_H
#define SANKAKU_BUF_H

#include <stddef.h>
#include <string.h>

struct buf {
	char *s; /* NUL-terminated while not oom */
	size_t len, cap;
	int oom;
};

/* Make room for n more bytes and the NUL; -1 (and oom) if there is none. */
int buf_grow(struct buf *, size_t n);

/* Append n bytes (inline: it runs a few dozen times per alert). */
static inline void
buf_put(struct buf *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap && buf_grow(b, n) != 0)
		return;
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
}

#define BUF_PUTS(b, lit) buf_put((b), (lit), sizeof(lit) - 1)

/* Append s as a JSON string (RFC 8259 escapes; s must be valid UTF-8). */
void buf_json_string(struct buf *, const char *s);

#endif
