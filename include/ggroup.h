/*
 * ggroup.h: indicators into groups, for gen.c (see ggroup.c).
 */
#ifndef SANKAKU_GGROUP_H
#define SANKAKU_GGROUP_H

#include <stddef.h>
#include <stdint.h>

#include "gen.h"

/* A group's kind: what its dataset or list holds. */
enum gkind {
	G_DOMAIN,
	G_URL,
	G_IPV4,
	G_IPV6,
	G_MD5,
	G_SHA1,
	G_SHA256,
	G_JA3,
	G_IPPORT4,
	G_IPPORT6,
	G_DOMAINPORT,
	G_CIDR4,
	G_CIDR6,
};

/* Each kind's name in dataset and file names. */
extern const char *const gnames[];

/* An indicator and its group's key. */
struct item {
	uint64_t key; /* kind << 40 | evidence << 32 | port << 16 | block */
	const struct merged *m;
};

/* The items grouped by key, groups in key order, each in the order its
 * values came; prefixes sorted within their block.  To free; NULL on
 * out of memory. */
struct item *gen_group(const struct merged *, size_t n);

#endif
