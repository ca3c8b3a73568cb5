/*
 * policy.c: a source's deployment policy (see policy.h).
 */

#include <sys/socket.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cidr.h"
#include "policy.h"
#include "suppress.h"

/* A kept indicator (NULL: empty), and the top half of its hash, which
 * also places it: neither a probe nor a resize has to look at the
 * indicators themselves. */
struct slot {
	struct ioc *ioc;
	uint32_t hash;
};

struct policy {
	const struct cfg *cfg;
	const struct suppress *suppress; /* the analysts' false positives */
	const struct cfg_source *src;
	time_t now;
	struct slot *slot; /* by (type, value) */
	size_t cap, n;
};

/* Create. */
struct policy *
policy_new(const struct cfg *cfg, size_t source, time_t now)
{
	struct policy *p = calloc(1, sizeof(*p));

	if (p == NULL)
		return NULL;
	p->cfg = cfg;
	p->src = &cfg->sources[source];
	p->now = now;
	return p;
}

/* Free. */
void
policy_free(struct policy *p)
{
	if (p != NULL)
		free(p->slot);
	free(p);
}

/* Grow the set to twice the entries. */
static int
grow(struct policy *p)
{
	size_t cap = p->cap != 0 ? p->cap * 2 : 1024, i;
	struct slot *slot;

	if ((slot = calloc(cap, sizeof(*slot))) == NULL)
		return -1;
	for (i = 0; i < p->cap; i++) {
		size_t s;

		if (p->slot[i].ioc == NULL)
			continue;
		s = p->slot[i].hash & (cap - 1);
		while (slot[s].ioc != NULL)
			s = (s + 1) & (cap - 1);
		slot[s] = p->slot[i];
	}
	free(p->slot);
	p->slot = slot;
	p->cap = cap;
	return 0;
}

/* The kept entry equal to i, or NULL (and then *at is where it goes). */
static struct ioc *
seen(struct policy *p, const struct ioc *i, size_t *at)
{
	uint32_t h = (uint32_t)(i->hash >> 32);
	size_t s = h & (p->cap - 1);

	while (p->slot[s].ioc != NULL) {
		if (p->slot[s].hash == h) {
			struct ioc *o = p->slot[s].ioc;

			if (o->type == i->type &&
			    strcmp(o->value, i->value) == 0)
				return o;
		}
		s = (s + 1) & (p->cap - 1);
	}
	*at = s;
	return NULL;
}

/* Whether a prefix is wider than allowed. */
static int
too_wide(const struct policy *p, const char *value, long *limit)
{
	struct cidr c;

	if (cidr_parse(value, &c, 0) != 0)
		return 0;
	*limit = c.family == AF_INET ? p->cfg->widest_prefix_v4
				     : p->cfg->widest_prefix_v6;
	return (long)c.bits < *limit;
}

void
policy_set_suppress(struct policy *p, const struct suppress *s)
{
	p->suppress = s;
}

/* Apply. */
int
policy_apply(struct policy *p, struct ioc_list *feed, struct feed_stats *st,
    const struct feed_log *log, const char *file)
{
	size_t k;

	while ((p->n + feed->n) * 2 > p->cap) /* one resize, not twenty */
		if (grow(p) != 0)
			return -1;
	for (k = 0; k < feed->n; k++) {
		struct ioc *i = &feed->v[k], *o;
		size_t at;
		long limit;

		if (i->type == IOC_CIDR && too_wide(p, i->value, &limit)) {
			st->skipped[SKIP_PREFIX_TOO_WIDE]++;
			if (log != NULL && log->cb != NULL) {
				char t[160];

				snprintf(t, sizeof(t),
				    "cidr %s: wider than /%ld "
				    "(rules.widest_prefix_v%c)",
				    i->value, limit,
				    strchr(i->value, ':') != NULL ? '6' : '4');
				log->cb(log->arg, file, "-",
				    SKIP_PREFIX_TOO_WIDE, t);
			}
			continue;
		}
		if (i->valid_until != 0 && i->valid_until <= p->now) {
			st->skipped[SKIP_EXPIRED]++;
			continue;
		}
		if (i->valid_from != 0 && i->valid_from > p->now) {
			st->skipped[SKIP_NOT_YET_VALID]++;
			continue;
		}
		if (suppress_has(p->suppress, i)) {
			st->skipped[SKIP_FALSE_POSITIVE]++;
			continue;
		}
		i->tlp = (uint8_t)tlp_max((enum tlp)i->tlp, p->src->tlp_level);
		if (i->tlp == TLP_RED && !p->src->red_deploy) {
			st->skipped[SKIP_TLP_RED]++;
			continue;
		}
		if (p->n * 2 >= p->cap && grow(p) != 0)
			return -1;
		if ((o = seen(p, i, &at)) != NULL) {
			st->skipped[SKIP_DUPLICATE]++;
			if (i->tlp > o->tlp)
				o->tlp = i->tlp;
			if (i->evidence > o->evidence)
				o->evidence = i->evidence;
			if (i->published != 0 &&
			    (o->published == 0 || i->published < o->published))
				o->published = i->published;
			if (o->ref == NULL)
				o->ref = i->ref;
			if (o->name == NULL)
				o->name = i->name;
			continue;
		}
		i->deployed = 1;
		p->slot[at].ioc = i;
		p->slot[at].hash = (uint32_t)(i->hash >> 32);
		p->n++;
		st->deployed++;
	}
	return 0;
}
