/*
 * index.h: the indicator index sankaku-rules writes beside the rules.  It
 * maps each indicator (type, normalised value) to every source that
 * supplied it, with when it was first published and its evidence kind, so
 * that an alert names all the sources of what it matched.
 *
 * File format (UTF-8 text, one indicator a line, tab-separated):
 *   # comment
 *   TYPE <TAB> VALUE <TAB> SOURCE[,SOURCE...] <TAB> PUBLISHED <TAB> EVIDENCE
 * TYPE is ip, cidr, domain, url, md5, sha1, sha256 or ja3.  PUBLISHED is an
 * RFC 3339 time or "-".  Pure: reads one file, no other I/O.
 */
#ifndef SANKAKU_INDEX_H
#define SANKAKU_INDEX_H

#include <stddef.h>

struct idx_entry {
	const char *type;
	const char *value;
	const char *sources; /* comma-separated source ids */
	const char *published;
	const char *evidence;
};

struct idx;

/* Load; NULL with "FILE:LINE: reason" in err. */
struct idx *idx_load(const char *path, char *err, size_t errlen);
/* Build from memory (the buffer is copied). */
struct idx *idx_parse(
    const char *name, const char *text, size_t len, char *err, size_t errlen);
void idx_free(struct idx *);
size_t idx_count(const struct idx *);
/* Exact match of (type, value); for "ip" also the CIDR entries. */
const struct idx_entry *idx_find(
    const struct idx *, const char *type, const char *value);

#endif
