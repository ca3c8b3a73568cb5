/*
 * jsplit.h: find the elements of a large JSON array without parsing them,
 * so that a feed is read object by object: one bad object (a NUL, a
 * duplicate key, a syntax error inside its strings) costs that object
 * only, and a truncated download is told apart from a finished one.
 * Pure.
 */
#ifndef SANKAKU_JSPLIT_H
#define SANKAKU_JSPLIT_H

#include <stddef.h>

enum jsplit {
	JS_ELEMENT,   /* one element in [start, end) */
	JS_END,	      /* the array closed */
	JS_TRUNCATED, /* the text ended inside the array */
	JS_SYNTAX     /* the structure is broken at *pos */
};

struct jsplit_iter {
	const char *text;
	size_t len, pos;
	size_t index; /* of the element returned last */
};

/* The value of member name of the top-level object: 0 with its start in
 * *at, 1 if there is no such member, -1 if text is not an object, -2 if
 * it ends too early.  Member names are compared as written. */
int jsplit_member(const char *text, size_t len, const char *name, size_t *at);

/* Start iterating the array at text[at]; -1 if it is not an array. */
int jsplit_begin(struct jsplit_iter *, const char *text, size_t len, size_t at);
/* The next element's range. */
enum jsplit jsplit_next(struct jsplit_iter *, size_t *start, size_t *end);

/* 0 if text ends before its top-level value does (truncated), else 1. */
int jsplit_complete(const char *text, size_t len);

#endif
