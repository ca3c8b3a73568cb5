/*
 * evfields.h: the members of an EVE event that enrichment reads, as one
 * table: in which container, under which name, and where the value goes
 * (a field of struct evscan, a repeated field, or a container to descend
 * into).  Pure.
 */
#ifndef SANKAKU_EVFIELDS_H
#define SANKAKU_EVFIELDS_H

#include <stdint.h>
#include <string.h>

#include "evstr.h"

/* What a container is, for picking out members. */
enum evctx {
	C_NONE,
	C_ROOT,
	C_ALERT,
	C_META,
	C_META_ARR,
	C_FLOW,
	C_DNS,
	C_DNS_QUERY,
	C_DNS_QUERY_OBJ,
	C_TLS,
	C_JA3,
	C_HTTP,
	C_FILES,
	C_FILE_OBJ,
	C_FILEINFO,
	C_SANKAKU, /* an enriched alert's own member (the desk reads it) */
	C_SK_PHASE,
	C_SK_INDICATOR,
	C_SK_SOURCES,
	C_SK_SOURCE_OBJ,
	C_SK_IND_REFS, /* sankaku.indicator.refs[] */
	C_SK_REF_OBJ,
	C_SK_IND_PUBS, /* sankaku.indicator.published_by[] */
	C_SK_PUB_OBJ,
	C_DNS_ANSWERS, /* dns.answers[] (protocol events: sankaku-hunt) */
	C_DNS_ANSWER_OBJ,
};

/* Where a value goes. */
struct evtarget {
	enum evctx ctx; /* container context if it is an object/array */
	int field;	/* F_* for a string, or -1 */
	int multi;	/* M_* for strings to append, or -1 */
	int flag;	/* special handling, below */
};

enum {
	FLAG_NONE,
	FLAG_ALERT,
	FLAG_SIGID,
	FLAG_META,
	FLAG_EVENT_TYPE,
	FLAG_SANKAKU,
	FLAG_PORT, /* an integer kept as its digits (ports: up to 5) */
	FLAG_INT   /* an integer kept as its digits (up to 19) */
};

/* A cheap signature of a member name. */
static inline uint32_t
evfields_sig(const struct evstr *k)
{
	const unsigned char *p = (const unsigned char *)k->p;

	if (k->len == 0)
		return 0;
	return (uint32_t)k->len << 24 ^ (uint32_t)p[0] << 16 ^
	    (uint32_t)p[k->len / 2] << 8 ^ p[k->len - 1];
}

struct evmember {
	enum evctx ctx;
	const char *name;
	size_t len;
	struct evtarget t;
};

#define EVFIELDS_BITS 9 /* 512 probe slots for the members */

extern const struct evmember *const evfields_members;
extern unsigned char evfields_slot[1 << EVFIELDS_BITS]; /* index + 1 */

/* Fill the probe table; cheap after the first call. */
void evfields_init(void);

/* The slot of a (container, name signature) pair. */
static inline unsigned
evfields_hash(enum evctx ctx, uint32_t sig)
{
	return (sig ^ (uint32_t)ctx * 0x9e3779b9U) * 2654435761U >>
	    (32 - EVFIELDS_BITS);
}

/* What the member named k (signature sig) of a container ctx holds: one
 * probe of the open-addressed table in the common case.  Inline: it runs
 * for every member of every event. */
static inline struct evtarget
evfields_target(enum evctx ctx, const struct evstr *k, uint32_t sig)
{
	static const struct evtarget none = {C_NONE, -1, -1, FLAG_NONE};
	unsigned h;

	if (ctx == C_NONE)
		return none;
	for (h = evfields_hash(ctx, sig); evfields_slot[h] != 0;
	     h = (h + 1) & ((1 << EVFIELDS_BITS) - 1)) {
		const struct evmember *m =
		    &evfields_members[evfields_slot[h] - 1];

		if (m->ctx == ctx && m->len == k->len &&
		    memcmp(m->name, k->p, k->len) == 0)
			return m->t;
	}
	return none;
}

#endif
