/*
 * stixpat.h: a STIX 2.x pattern turned into what a sensor can match.
 *
 * The pattern is parsed in full (observation expressions with AND, OR,
 * FOLLOWEDBY and qualifiers; comparison expressions with AND, OR, NOT and
 * every operator), then read as a detection:
 *   - OR, at either level, is the union of its sides;
 *   - inside one observation, an AND of one identifying comparison (a
 *     domain, address, URL or file hash) with context (the file's name,
 *     the address's type, a domain's resolutions, the protocol) is that
 *     identifier; with network-traffic's dst_port or src_port beside the
 *     address on the same side it is address:port; an AND of several
 *     hashes is the one file, each hash alone identifies it;
 *   - an AND of two identifiers, an AND or FOLLOWEDBY across
 *     observations, qualifiers (WITHIN, REPEATS, START/STOP), NOT, and
 *     every operator but '=' (and ISSUBSET for prefixes) cannot be one
 *     detection and are refused with the reason.
 * Pure.
 */
#ifndef SANKAKU_STIXPAT_H
#define SANKAKU_STIXPAT_H

#include <stddef.h>

#include "feed.h"

#define STIXPAT_MAX 64

struct stixpat_atom {
	enum ioc_type type;
	char value[2100]; /* as written (with :port for the port types) */
};

/* A part of the pattern that gave no detection, and why. */
struct stixpat_skip {
	enum skip why; /* SKIP_UNSUPPORTED, SKIP_UNSUPPORTED_PATTERN,
			  SKIP_BAD_VALUE */
	char text[200];
};

struct stixparse;

struct stixpat {
	struct stixpat_atom atom[STIXPAT_MAX];
	size_t natoms;
	struct stixpat_skip skip[8];
	size_t nskips; /* parts skipped (more than 8: counted, not kept) */
	struct stixparse *work; /* the parser's, kept from one call to the
				   next (start it NULL; stixpat_done) */
};

/* Read pattern; 0, or -1 if it is not a pattern (p->skip[0] says why).
 * p is reused from call to call: a feed of a million patterns allocates
 * the parser once. */
int stixpat_parse(const char *pattern, struct stixpat *p);
/* Free what stixpat_parse kept. */
void stixpat_done(struct stixpat *p);

#endif
