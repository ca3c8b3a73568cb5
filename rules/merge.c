/*
 * merge.c: the deployed indicators of every source, one entry per
 * (type, value): every source that gave it, its earliest publication,
 * latest end of validity, strictest evidence and TLP.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gen.h"

/* By type, value, source. */
static int
ioc_cmp(const void *a, const void *b)
{
	const struct ioc *x = a, *y = b;
	int c;

	if (x->type != y->type)
		return x->type < y->type ? -1 : 1;
	if ((c = strcmp(x->value, y->value)) != 0)
		return c;
	return (x->source > y->source) - (x->source < y->source);
}

/* Merge. */
struct merged *
gen_merge(
    struct ioc_list *l, size_t *nout, struct arena *a, char *err, size_t errlen)
{
	struct merged *m = calloc(l->n + 1, sizeof(*m));
	size_t i = 0, j, k, n = 0;

	if (m == NULL) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	if (l->n > 0)
		qsort(l->v, l->n, sizeof(*l->v), ioc_cmp);
	while (i < l->n) {
		const struct ioc *x = &l->v[i];
		struct merged *e = &m[n++];
		uint16_t *src;
		const char **ref;
		size_t nsrc = 0;

		for (j = i + 1; j < l->n && l->v[j].type == x->type &&
		     strcmp(l->v[j].value, x->value) == 0;
		     j++)
			;
		src = arena_alloc(a, (j - i) * sizeof(*src));
		ref = arena_alloc(a, (j - i) * sizeof(*ref));
		if (src == NULL || ref == NULL) {
			free(m);
			snprintf(err, errlen, "out of memory");
			return NULL;
		}
		e->type = x->type;
		e->value = x->value;
		e->evidence = x->evidence;
		e->tlp = x->tlp;
		e->published = x->published;
		e->valid_until = x->valid_until;
		for (k = i; k < j; k++) {
			const struct ioc *y = &l->v[k];

			/* the policy keeps one per source: no repeats */
			src[nsrc] = y->source;
			ref[nsrc++] = y->ref;
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
		e->src = src;
		e->ref = ref;
		e->nsrc = (uint16_t)nsrc;
		i = j;
	}
	*nout = n;
	return m;
}
