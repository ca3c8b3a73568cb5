/*
 * xmalloc.h: allocation wrappers for daemon plumbing that die on OOM.
 * Pure modules (enrich, config, index, rules) use plain malloc and return
 * errors instead.
 */
#ifndef SANKAKU_XMALLOC_H
#define SANKAKU_XMALLOC_H

#include <stddef.h>

void *xmalloc(size_t);
void *xcalloc(size_t, size_t);
void *xreallocarray(void *, size_t, size_t);
char *xstrdup(const char *);
char *xasprintf(const char *, ...) __attribute__((format(printf, 1, 2)));

#endif
