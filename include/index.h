/*
 * index.h: the indicator index sankaku-rules writes beside the rules.  It
 * maps each indicator (type, normalised value) to every source that
 * supplied it, with when it was first published and its evidence kind, so
 * that an alert names all the sources of what it matched.
 *
 * File format (UTF-8 text, one indicator a line, tab-separated):
 *   # comment
 *   @N <TAB> NAME                  (v2: a name, numbered from 1)
 *   TYPE VALUE SOURCES PUBLISHED EVIDENCE [TLP VALID_UNTIL REFS NAME
 *   [PUBLISHED_BY]]
 * TYPE is ip, cidr, domain, url, md5, sha1, sha256, ja3, ip-port or
 * domain-port.  SOURCES is comma-separated source ids.  PUBLISHED and
 * VALID_UNTIL are RFC 3339 times or "-".  TLP is clear, green, amber,
 * amber+strict or red.  REFS is SOURCE=ID[,SOURCE=ID...] (each source's
 * own id of the indicator: a STIX id, a MISP event/attribute uuid) or
 * "-".  NAME is the number of an @ line or "-".  PUBLISHED_BY is
 * SOURCE=TIME[,SOURCE=TIME...], each source's own publication, written
 * when two or more sources gave the indicator (PUBLISHED is the earliest
 * of them), else "-"; the desk measures each source's speed with it.
 * Version 1 files have the first five fields only; files of sankaku
 * before PUBLISHED_BY have nine.  Pure: reads one file, no other I/O.
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
	const char *tlp;	  /* "clear" in version 1 */
	const char *valid_until;  /* "-" if none */
	const char *refs;	  /* "-" if none */
	const char *published_by; /* "-" if none */
	const char *name;	  /* NULL if none */
	unsigned nsources;
};

struct idx;

/* Load; NULL with "FILE:LINE: reason" in err. */
struct idx *idx_load(const char *path, char *err, size_t errlen);
/* Build from memory (the buffer is copied). */
struct idx *idx_parse(
    const char *name, const char *text, size_t len, char *err, size_t errlen);
void idx_free(struct idx *);
/* Whether it holds exactly (type, value): no prefix search. */
int idx_has(const struct idx *, const char *type, const char *value);
size_t idx_count(const struct idx *);
/* Exact match of (type, value); for "ip" also the longest CIDR entry
 * holding the address. */
const struct idx_entry *idx_find(
    const struct idx *, const char *type, const char *value);

#endif
