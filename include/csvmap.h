/*
 * csvmap.h: which column of a CSV feed holds what.  A layout is known by
 * its header (sankaku's own "type,value", MISP's CSV export in its 8 and
 * 13 column forms, abuse.ch Feodo Tracker, URLhaus and ThreatFox, whose
 * headers may sit in a "#" comment), or named in the feed's config
 * entry.  Pure.
 */
#ifndef SANKAKU_CSVMAP_H
#define SANKAKU_CSVMAP_H

#include <stddef.h>

#include "feed.h"

/* What a row's columns give (beyond the config's roles). */
enum ccol {
	CC_TYPE,
	CC_VALUE,
	CC_PORT,
	CC_PUBLISHED,
	CC_VALID_UNTIL,
	CC_EVIDENCE,
	CC_TLP,
	CC_TO_IDS,
	CC_NAME,
	CC_REF,
	CC_CATEGORY, /* MISP: evidence from the category */
	CC_THREAT,   /* ThreatFox threat_type, URLhaus threat */
	CC_NAME2,    /* URLhaus tags, used when present */
	CC_MAX
};

struct csvmap {
	const char *layout; /* "sankaku", "misp", "feodo", ... */
	int col[CC_MAX];    /* 0-based, or -1 */
	int fixed;	    /* every row is of type fixed_type */
	enum ioc_type fixed_type;
	int strict;		/* unknown type names are bad values */
	int plain;		/* no header: a list of values */
	int ncols;		/* columns a row needs */
	enum evidence evidence; /* when no column says */
	const char *ref_prefix; /* "urlhaus:", "threatfox:" */
	char value_name[64];	/* the header's name of the value column */
};

/* The layout a header gives, with the feed's config (type, columns);
 * 0, or -1 if the header names no known layout. */
int csvmap_header(struct csvmap *, const struct cfg_feed *,
    const char *const *f, const size_t *flen, size_t nf);

/* A feed whose config names every column by number or gives a type:
 * there is no header to wait for.  0 if so, else -1. */
int csvmap_plain(struct csvmap *, const struct cfg_feed *);

/* Whether a data row is the header again (exports concatenated). */
int csvmap_is_header(
    const struct csvmap *, const char *const *f, const size_t *flen, size_t nf);

/* Emit one data row. */
void csvmap_row(struct feed_ctx *, const struct csvmap *, const char *const *f,
    const size_t *flen, size_t nf, const char *pos);

#endif
