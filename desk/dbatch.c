/*
 * dbatch.c: a batch of the stream, between reading and storing (see
 * desk.h): its entries taken from XREADGROUP's reply, then its alerts
 * counted into incidents: first which incident each joins (bad,
 * duplicate and muted ones none; an asset without an open incident
 * active within desk.window_s gets a new one), then each incident's
 * alerts at once, in their order (inc_take_alerts).
 */

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <hiredis/hiredis.h>

#include "arena.h"
#include "desk.h"
#include "evstr.h"
#include "log.h"
#include "xmalloc.h"

/* XREADGROUP's entries (NULL: not a reply with entries, or an error
 * then in why). */
redisReply *
dbatch_entries(redisReply *reply, char *why, size_t len)
{
	why[0] = '\0';
	if (reply->type == REDIS_REPLY_ERROR) {
		snprintf(why, len, "XREADGROUP: %.120s", reply->str);
		return NULL;
	}
	return reply->type == REDIS_REPLY_ARRAY && reply->elements == 1 &&
		reply->element[0]->elements == 2
	    ? reply->element[0]->element[1]
	    : NULL;
}

/* The entries into a batch, after those it has: their ids, their alerts,
 * which are good.  A new batch (none yet) starts its strings afresh. */
void
dbatch_parse(redisReply *ents, struct argvb *entries, struct dalert *all,
    unsigned char *all_good, struct arena *strs)
{
	struct dalert *alerts = all + entries->n;
	unsigned char *good = all_good + entries->n;
	size_t i, j, room = DESK_BATCH - entries->n;

	if (entries->n == 0)
		arena_reset(strs);

	for (i = 0; i < ents->elements && i < room; i++) {
		redisReply *e = ents->element[i], *f;
		char err[160];

		argvb_take(
		    entries, xstrdup(e->element[0]->str), e->element[0]->len);
		good[i] = 0;
		alerts[i].entry[0] = '\0';
		f = e->elements == 2 ? e->element[1] : NULL;
		for (j = 0; f != NULL && f->type == REDIS_REPLY_ARRAY &&
		     j + 1 < f->elements;
		     j += 2)
			if (strcmp(f->element[j]->str, "alert") == 0) {
				good[i] =
				    dalert_parse(f->element[j + 1]->str,
					f->element[j + 1]->len, &alerts[i],
					strs, err, sizeof(err)) == 0;
				if (e->element[0]->len <
				    sizeof(alerts[i].entry))
					memcpy(alerts[i].entry,
					    e->element[0]->str,
					    e->element[0]->len + 1);
				break;
			}
	}
}

/* The open incident an alert joins, or a new one. */
static json_t *
incident_for(struct desk *d, struct dalert *a, time_t now)
{
	const char *asset = dalert_asset(a, d->cfg);
	json_t *id = json_object_get(d->by_asset, asset), *inc = NULL;
	char *nid;

	if (id != NULL)
		inc = json_object_get(d->incidents, json_string_value(id));
	if (inc != NULL && inc_is_open(inc) &&
	    inc_idle(inc, now) <= (double)d->cfg->desk_window_s)
		return inc;
	nid = desk_next_id(d, now);
	inc = inc_new(nid, asset, NULL, "triage", a->kpi, d->cfg, now);
	free(nid);
	if (inc == NULL)
		fatalx("out of memory");
	{
		struct desk_who desk = {"sankaku-desk", NULL};
		char note[400];

		snprintf(note, sizeof(note),
		    "opened by alert %lld \"%.*s\" about %s", a->sid,
		    (int)evstr_prefix(a->signature, 200), a->signature, asset);
		inc_history_cite(inc_history(inc, &desk, "open", NULL, "triage",
				     NULL, note, now),
		    a);
	}
	desk_index(d, inc);
	json_decref(inc); /* held by d->incidents */
	d->m.opened++;
	return inc;
}

/* Count the batch into incidents (in memory): first which incident each
 * alert joins (bad, duplicate and muted ones none), then each incident's
 * alerts at once, in their order (inc_take_alerts). */
/* By incident, then in the batch's order. */
static int
by_incident(const void *x, const void *y)
{
	const struct desk_join *a = x, *b = y;

	if (a->inc != b->inc)
		return (uintptr_t)a->inc < (uintptr_t)b->inc ? -1 : 1;
	return (a->i > b->i) - (a->i < b->i);
}

void
dbatch_apply(struct desk *d, time_t now)
{
	size_t i, j, n = d->entries.n, nj = 0, k;

	for (i = 0; i < n; i++) {
		struct dalert *a = &d->alerts[i];

		if (!d->good[i]) {
			d->m.bad++;
			continue;
		}
		if (d->seen[i] || json_object_get(d->seen_new, a->id) != NULL) {
			d->m.duplicates++;
			continue;
		}
		json_object_set_new(d->seen_new, a->id, json_true());
		if (desk_muted(d, a, now)) {
			d->m.muted++;
			d->mutes_dirty = 1;
			continue;
		}
		d->joins[nj].inc = incident_for(d, a, now);
		d->joins[nj++].i = i;
		d->m.alerts++;
	}
	/* each incident's alerts together, in their order */
	qsort(d->joins, nj, sizeof(*d->joins), by_incident);
	for (i = 0; i < nj; i = j) {
		json_t *inc = d->joins[i].inc, *ix;
		const char *id;

		for (j = i, k = 0; j < nj && d->joins[j].inc == inc; j++)
			d->grouped[k++] = &d->alerts[d->joins[j].i];
		id = json_string_value(json_object_get(inc, "id"));
		if ((ix = json_object_get(d->ind_ix, id)) == NULL) {
			ix = json_object();
			json_object_set_new(d->ind_ix, id, ix);
		}
		d->m.moved += (unsigned long)inc_take_alerts(
		    inc, d->grouped, k, d->cfg, now, ix);
		json_object_set(d->dirty, id, inc);
	}
}
