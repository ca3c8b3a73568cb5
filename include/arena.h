/*
 * arena.h: a bump allocator for many small strings that live and die
 * together (a feed's indicators).  Pure; NULL on out of memory.
 */
#ifndef SANKAKU_ARENA_H
#define SANKAKU_ARENA_H

#include <stddef.h>

struct arena;

struct arena *arena_new(void);
void arena_free(struct arena *);
/* Forget every string handed out, keeping the newest block (the largest
 * it grew to) for the next ones (a batch's strings, batch after batch). */
void arena_reset(struct arena *);
/* n bytes, aligned for any type. */
void *arena_alloc(struct arena *, size_t n);
/* A copy of n bytes of s with a NUL after them. */
char *arena_strndup(struct arena *, const char *s, size_t n);
/* Bytes held, for the benchmark. */
size_t arena_size(const struct arena *);

#endif
