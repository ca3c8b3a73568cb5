/*
 * second.c: "needs a second source" (see suppress.h).  A source whose
 * measured accuracy fell (the desk's second_source list) keeps only the
 * indicators another source also deploys: one hash table over every
 * deployed indicator, marking those two sources or more gave.
 */

#include <stdlib.h>

#include "suppress.h"

struct seen {
	uint64_t hash; /* 0: empty (an ioc_hash of 0 is taken as 1) */
	size_t source;
	int shared; /* a second source deploys it too */
};

static uint64_t
key(const struct ioc *i)
{
	return i->hash != 0 ? i->hash : 1;
}

/* The slot of h: its own, or the empty one it goes in. */
static struct seen *
find(struct seen *t, size_t cap, uint64_t h)
{
	size_t s = (size_t)h & (cap - 1);

	while (t[s].hash != 0 && t[s].hash != h)
		s = (s + 1) & (cap - 1);
	return &t[s];
}

long
second_source_apply(
    struct second_list *v, size_t n, const unsigned char *need, size_t nsources)
{
	size_t i, k, total = 0, cap = 16;
	struct seen *t;
	long dropped = 0;
	int any = 0;

	for (i = 0; i < n; i++) {
		any |= v[i].source < nsources && need[v[i].source];
		total += v[i].l->n;
	}
	if (!any)
		return 0;
	while (cap < total * 2)
		cap <<= 1;
	if ((t = calloc(cap, sizeof(*t))) == NULL)
		return -1;
	for (i = 0; i < n; i++)
		for (k = 0; k < v[i].l->n; k++) {
			const struct ioc *x = &v[i].l->v[k];
			struct seen *e;

			if (!x->deployed)
				continue;
			e = find(t, cap, key(x));
			if (e->hash == 0) {
				e->hash = key(x);
				e->source = v[i].source;
			} else if (e->source != v[i].source)
				e->shared = 1;
		}
	for (i = 0; i < n; i++) {
		if (v[i].source >= nsources || !need[v[i].source])
			continue;
		for (k = 0; k < v[i].l->n; k++) {
			struct ioc *x = &v[i].l->v[k];

			if (!x->deployed || find(t, cap, key(x))->shared)
				continue;
			x->deployed = 0;
			v[i].st->deployed--;
			v[i].st->skipped[SKIP_SECOND_SOURCE]++;
			dropped++;
		}
	}
	free(t);
	return dropped;
}
