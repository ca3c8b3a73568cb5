/*
 * merge.c: the deployed indicators of every source, one entry per
 * (type, value): every source that gave it, its earliest publication,
 * latest end of validity, strictest evidence and TLP; and per source,
 * its own id of it and its own publication (how early each shared it).
 *
 * A hash join, not a sort: each indicator finds its entry by its hash in
 * an open-addressed table, so a million cost a million lookups.  Entries
 * come out in the order their values were first seen (sources in config
 * order, feeds and objects in theirs): the same for the same input.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gen.h"

/* Fold y into e. */
static void
fold(struct merged *e, const struct ioc *y)
{
	if (e->name == NULL)
		e->name = y->name;
	if (y->published != 0 &&
	    (e->published == 0 || y->published < e->published))
		e->published = y->published;
	if (y->valid_until == 0 || e->valid_until == 0)
		e->valid_until = 0;
	else if (y->valid_until > e->valid_until)
		e->valid_until = y->valid_until;
	if (y->evidence > e->evidence)
		e->evidence = y->evidence;
	if (y->tlp > e->tlp)
		e->tlp = y->tlp;
}

/* The entry of x: found in the table, or made (slots hold index + 1). */
static size_t
entry(struct merged *m, size_t *n, uint32_t *slot, size_t cap,
    const struct ioc *x)
{
	size_t s = x->hash & (cap - 1);

	while (slot[s] != 0) {
		struct merged *e = &m[slot[s] - 1];

		if (e->hash == x->hash && e->type == x->type &&
		    strcmp(e->value, x->value) == 0)
			return slot[s] - 1;
		s = (s + 1) & (cap - 1);
	}
	m[*n].type = x->type;
	m[*n].value = x->value;
	m[*n].hash = x->hash;
	m[*n].evidence = x->evidence;
	m[*n].tlp = x->tlp;
	m[*n].published = x->published;
	m[*n].valid_until = x->valid_until;
	slot[s] = (uint32_t)++ * n;
	return *n - 1;
}

/* Merge. */
struct merged *
gen_merge(struct ioc_list *lists, size_t nlists, size_t *nout, struct arena *a,
    char *err, size_t errlen)
{
	struct merged *m = NULL;
	uint32_t *eidx = NULL, *slot = NULL;
	size_t total = 0, i, j, k, n = 0, cap = 16;

	for (j = 0; j < nlists; j++)
		for (i = 0; i < lists[j].n; i++)
			total += lists[j].v[i].deployed;
	while (cap < total * 2)
		cap <<= 1;
	if (total >= UINT32_MAX / 2 ||
	    (m = calloc(total + 1, sizeof(*m))) == NULL ||
	    (eidx = calloc(total + 1, sizeof(*eidx))) == NULL ||
	    (slot = calloc(cap, sizeof(*slot))) == NULL)
		goto oom;
	/* each deployed indicator's entry, and how many sources each has */
	for (j = 0, k = 0; j < nlists; j++)
		for (i = 0; i < lists[j].n; i++) {
			if (!lists[j].v[i].deployed)
				continue;
			eidx[k] =
			    (uint32_t)entry(m, &n, slot, cap, &lists[j].v[i]);
			m[eidx[k++]].nsrc++;
		}
	for (i = 0; i < n; i++) {
		m[i].src = arena_alloc(a, m[i].nsrc * sizeof(*m[i].src));
		m[i].ref = arena_alloc(a, m[i].nsrc * sizeof(*m[i].ref));
		m[i].pub = arena_alloc(a, m[i].nsrc * sizeof(*m[i].pub));
		if (m[i].src == NULL || m[i].ref == NULL || m[i].pub == NULL)
			goto oom;
		m[i].nsrc = 0;
	}
	/* the lists come in source order: each entry's sources ascend; the
	 * policy kept one per source, so none repeats */
	for (j = 0, k = 0; j < nlists; j++)
		for (i = 0; i < lists[j].n; i++) {
			const struct ioc *x = &lists[j].v[i];
			struct merged *e;

			if (!x->deployed)
				continue;
			e = &m[eidx[k++]];
			e->src[e->nsrc] = x->source;
			e->pub[e->nsrc] = x->published;
			e->ref[e->nsrc++] = x->ref;
			fold(e, x);
		}
	free(eidx);
	free(slot);
	*nout = n;
	return m;
oom:
	free(m);
	free(eidx);
	free(slot);
	snprintf(err, errlen, "out of memory");
	return NULL;
}
