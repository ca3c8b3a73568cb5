/*
 * tlp.h: the Traffic Light Protocol (FIRST TLP 2.0, with 1.0's WHITE read
 * as CLEAR), ordered from the least to the most restrictive so that the
 * strictest of several is their maximum.  Pure.
 */
#ifndef SANKAKU_TLP_H
#define SANKAKU_TLP_H

#include <stddef.h>

enum tlp {
	TLP_CLEAR,
	TLP_GREEN,
	TLP_AMBER,
	TLP_AMBER_STRICT,
	TLP_RED,
	TLP_MAX
};

/* "clear", "green", "amber", "amber+strict", "red". */
const char *tlp_name(enum tlp);

/* Read a TLP label in any of the spellings feeds use: "amber",
 * "TLP:AMBER", "tlp:amber+strict", "WHITE" (TLP 1.0, read as clear),
 * "tlp:clear".  n bytes of s; 0, or -1 if it is not a TLP label. */
int tlp_parse(const char *s, size_t n, enum tlp *out);

/* The stricter of two. */
static inline enum tlp
tlp_max(enum tlp a, enum tlp b)
{
	return a > b ? a : b;
}

#endif
