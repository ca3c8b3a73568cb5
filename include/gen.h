/*
 * gen.h: the deployed indicators, merged across sources, written as
 * Suricata rules, datasets and the indicator index.
 *
 * SIDs:
 *   rules.sid_base + 100*kind + 10*evidence + where    (kind 0-7)
 *       one rule per indicator type, evidence kind and place in the
 *       traffic (DNS query, TLS SNI, HTTP host ...), over a dataset;
 *   rules.sid_hashed_base + (FNV-1a of the group's name mod 2^24)
 *       rules that group indicators by port (address:port,
 *       domain:port) or by address block (CIDR prefixes by /8, or /16
 *       when a block's list would not fit one rule; IPv6 by /16 and
 *       /32).  The name says what the rule holds, so its SID is the
 *       same from run to run; on a collision the next free SID is taken
 *       in the names' order.
 * Neither range meets the shipped rules' 1869001-1869099 (the config
 * refuses such settings).
 */
#ifndef SANKAKU_GEN_H
#define SANKAKU_GEN_H

#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "config.h"
#include "feed.h"

/* One indicator value with everything the sources said of it. */
struct merged {
	const char *value;
	uint64_t hash;	     /* ioc_hash of type and value */
	const char *name;    /* the first source's name for it, or NULL */
	uint16_t *src;	     /* sources, ascending */
	const char **ref;    /* per source: its id of it, or NULL */
	int64_t *pub;	     /* per source: its publication, or 0 */
	int64_t published;   /* earliest */
	int64_t valid_until; /* latest; 0 if any source gives none */
	uint16_t nsrc;
	uint8_t type, evidence, tlp; /* strictest evidence and TLP */
};

struct gen_result {
	size_t rules, indicators, datasets;
};

/* Merge the indicators the policy deployed (marked so) of the lists,
 * given in source order: one entry per (type, value).  NULL with err. */
struct merged *gen_merge(struct ioc_list *lists, size_t nlists, size_t *n,
    struct arena *, char *err, size_t errlen);

/* Write DIR/sankaku.rules and DIR/datasets/; 0, or -1 with err. */
int gen_rules(const struct cfg *, const struct merged *, size_t n,
    const char *dir, struct gen_result *, char *err, size_t errlen);

/* Write DIR/sankaku.index (see index.h for the format). */
int gen_index(const struct cfg *, const struct merged *, size_t n,
    const char *dir, char *err, size_t errlen);

/* The SID of a hashed group name, given those already taken (a set the
 * caller keeps, size 1 << 24 bits).  Exposed for the tests. */
long gen_sid_hashed(long base, const char *name, uint8_t *taken);

#endif
