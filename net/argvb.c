/*
 * argvb.c: a command built argument by argument (see argvb.h).
 */

#define _GNU_SOURCE /* vasprintf */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "argvb.h"
#include "log.h"
#include "xmalloc.h"

void
argvb_add(struct argvb *b, const char *p, size_t len)
{
	if (b->n == b->cap) {
		b->cap = b->cap == 0 ? 16 : b->cap * 2;
		b->v = xreallocarray(b->v, b->cap, sizeof(*b->v));
		b->len = xreallocarray(b->len, b->cap, sizeof(*b->len));
	}
	b->v[b->n] = p;
	b->len[b->n] = len;
	b->n++;
}

void
argvb_adds(struct argvb *b, const char *s)
{
	argvb_add(b, s, strlen(s));
}

void
argvb_take(struct argvb *b, char *p, size_t len)
{
	if (b->nowned == b->capowned) {
		b->capowned = b->capowned == 0 ? 16 : b->capowned * 2;
		b->owned = xreallocarray(b->owned, b->capowned, sizeof(char *));
	}
	b->owned[b->nowned++] = p;
	argvb_add(b, p, len);
}

void
argvb_addf(struct argvb *b, const char *fmt, ...)
{
	va_list ap;
	char *s;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (n < 0)
		fatalx("out of memory");
	argvb_take(b, s, (size_t)n);
}

void
argvb_free(struct argvb *b)
{
	size_t i;

	for (i = 0; i < b->nowned; i++)
		free(b->owned[i]);
	free(b->owned);
	free(b->v);
	free(b->len);
	memset(b, 0, sizeof(*b));
}
