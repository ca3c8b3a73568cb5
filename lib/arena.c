/*
 * arena.c: blocks handed out front to back and freed all at once.  The
 * first is 16 KiB and each next one twice the last, up to 1 MiB (or one
 * block of the size asked for, when larger): a feed of a million
 * indicators takes 1 MiB blocks after seven small ones, a batch of a
 * few alerts or a fuzzer's input no more than it needs (under ASan a
 * block of 1 MiB is an mmap, its shadow written, then a munmap: most of
 * what a feed fuzzer did for each input).
 */

#include <stdlib.h>
#include <string.h>

#include "arena.h"

#define FIRST (1u << 14)
#define BLOCK (1u << 20)
#define ALIGN 16u

struct block {
	struct block *next;
	size_t used, cap;
	_Alignas(16) unsigned char data[];
};

struct arena {
	struct block *head;
	size_t size;
};

/* Create. */
struct arena *
arena_new(void)
{
	return calloc(1, sizeof(struct arena));
}

/* Free every block. */
void
arena_free(struct arena *a)
{
	struct block *b, *next;

	if (a == NULL)
		return;
	for (b = a->head; b != NULL; b = next) {
		next = b->next;
		free(b);
	}
	free(a);
}

/* Keep the newest block (the largest the arena grew to), empty. */
void
arena_reset(struct arena *a)
{
	struct block *b, *next;

	if (a == NULL || a->head == NULL)
		return;
	for (b = a->head->next; b != NULL; b = next) {
		next = b->next;
		free(b);
	}
	b = a->head;
	b->next = NULL;
	b->used = 0;
	a->size = b->cap;
}

/* n bytes from the current block, or from a new one; align is 1 or
 * ALIGN. */
static void *
take(struct arena *a, size_t n, size_t align)
{
	struct block *b = a->head;
	size_t need = n, used = 0;
	void *p;

	if (b != NULL)
		used = (b->used + align - 1) & ~(align - 1);
	if (b == NULL || used > b->cap || b->cap - used < need) {
		size_t cap = b == NULL ? FIRST
		    : b->cap < BLOCK   ? b->cap * 2
				       : BLOCK;

		if (cap > BLOCK)
			cap = BLOCK;
		if (need > cap)
			cap = need;
		if ((b = malloc(sizeof(*b) + cap)) == NULL)
			return NULL;
		b->used = 0;
		b->cap = cap;
		b->next = a->head;
		a->head = b;
		a->size += cap;
		used = 0;
	}
	p = b->data + used;
	b->used = used + need;
	return p;
}

/* n bytes aligned for any type. */
void *
arena_alloc(struct arena *a, size_t n)
{
	return take(a, n, ALIGN);
}

/* Copy a string. */
char *
arena_strndup(struct arena *a, const char *s, size_t n)
{
	char *p = n + 1 > n ? take(a, n + 1, 1) : NULL;

	if (p == NULL)
		return NULL;
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

/* Bytes held. */
size_t
arena_size(const struct arena *a)
{
	return a->size;
}
