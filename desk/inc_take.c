/*
 * inc_take.c: alerts counted into an incident (see incident.h).
 *
 * The desk counts a batch of alerts at once: the alerts of one incident
 * go in together (inc_take_alerts), which gives what taking them one by
 * one gives, with less work: the count and times once, only the last
 * INC_RECENT into the recent ones, each signature's count once, an
 * indicator (with its sources, ids and times) once for a run of alerts
 * that name the same, and the phase checked for each: evidence moves it
 * forward, never back, each move in the history with the alert that made
 * it.
 */

#include <stdio.h>
#include <string.h>

#include "incident.h"
#include "isog.h"
#include "isog_flow.h"
#include "reference.h"
#include "tlp.h"

/* The signature entry for sid: counted, or added while there is room. */
static void
take_signature(json_t *inc, const struct dalert *a)
{
	json_t *sigs = json_object_get(inc, "signatures"), *s;
	size_t i;

	json_array_foreach (sigs, i, s)
		if (json_integer_value(json_object_get(s, "sid")) == a->sid) {
			json_object_set_new(s, "count",
			    json_integer(json_integer_value(
					     json_object_get(s, "count")) +
				1));
			return;
		}
	if (json_array_size(sigs) < INC_MAX_SIGS)
		json_array_append_new(sigs,
		    json_pack("{s:I, s:s, s:i}", "sid", (json_int_t)a->sid,
			"signature", a->signature, "count", 1));
}

#define IND_KEY "\x1fi" /* the index's mark for the indicators */

/* An indicator's key in the index: "type US value". */
static void
ind_key(char *buf, size_t len, const char *type, const char *value)
{
	snprintf(buf, len, "%s\x1f%s", type, value);
}

/* The incident's entry for the alert's indicator, or NULL.  With ix (an
 * object the caller keeps beside the incident) the lookup is hashed:
 * a noisy host holds INC_MAX_INDICATORS and would be scanned for each
 * of its alerts; ix is filled from the array the first time. */
static json_t *
ind_find(json_t *inds, json_t *ix, const struct dalert *a)
{
	char key[sizeof(a->ind_type) + DALERT_IND_VALUE + 2];
	json_t *x;
	size_t i;

	if (ix != NULL) {
		/* filled once, then marked (the peers share the index) */
		if (json_object_get(ix, IND_KEY) == NULL) {
			json_array_foreach (inds, i, x) {
				ind_key(key, sizeof(key),
				    json_string_value(
					json_object_get(x, "type")),
				    json_string_value(
					json_object_get(x, "value")));
				json_object_set(ix, key, x);
			}
			json_object_set_new(ix, IND_KEY, json_true());
		}
		ind_key(key, sizeof(key), a->ind_type, a->ind_value);
		return json_object_get(ix, key);
	}
	json_array_foreach (inds, i, x)
		if (strcmp(json_string_value(json_object_get(x, "value")),
			a->ind_value) == 0 &&
		    strcmp(json_string_value(json_object_get(x, "type")),
			a->ind_type) == 0)
			return x;
	return NULL;
}

/* Each source's own publication of the indicator, the earliest seen
 * (published_by: source -> time): from the alert's published_by, or,
 * when one source listed it, its published. */
static void
take_published_by(json_t *x, const struct dalert *a)
{
	json_t *by = json_object_get(x, "published_by");
	size_t i;

	if (a->npubs == 0 &&
	    (a->nsources != 1 || a->published[0] == '\0' ||
		time_parse(a->published) == (time_t)-1))
		return;
	if (!json_is_object(by)) {
		by = json_object();
		json_object_set_new(x, "published_by", by);
	}
	for (i = 0; i < (a->npubs > 0 ? a->npubs : 1); i++) {
		const char *s = a->npubs > 0 ? a->pub_source[i] : a->sources[0],
			   *t = a->npubs > 0 ? a->pub_time[i] : a->published,
			   *was = json_string_value(json_object_get(by, s));

		if (was == NULL || strcmp(t, was) < 0)
			json_object_set_new(by, s, json_string(t));
	}
}

/* The strictest TLP the alerts gave the indicator (the feeds' own
 * markings and the sources'): what a sighting of it may carry. */
static void
take_tlp(json_t *x, const char *tlp)
{
	const char *was = json_string_value(json_object_get(x, "tlp"));
	enum tlp t, w;

	if (tlp[0] == '\0' || tlp_parse(tlp, strlen(tlp), &t) != 0)
		return;
	if (was == NULL || tlp_parse(was, strlen(was), &w) != 0 || t > w)
		json_object_set_new(x, "tlp", json_string(tlp_name(t)));
}

/* The alert's indicator, with its sources, once. */
static void
take_indicator(json_t *inc, const struct dalert *a, json_t *ix)
{
	json_t *inds = json_object_get(inc, "indicators"), *x, *src;
	size_t i, j;

	if (a->ind_value[0] == '\0')
		return;
	if ((x = ind_find(inds, ix, a)) == NULL) {
		char key[sizeof(a->ind_type) + DALERT_IND_VALUE + 2];

		if (json_array_size(inds) >= INC_MAX_INDICATORS)
			return;
		x = json_pack("{s:s, s:s, s:[]}", "type", a->ind_type, "value",
		    a->ind_value, "sources");
		json_array_append_new(inds, x);
		if (ix != NULL) {
			ind_key(key, sizeof(key), a->ind_type, a->ind_value);
			json_object_set(ix, key, x);
		}
	}
	/* each source's own id of it (for sightings back to that source),
	 * and the earliest publication seen */
	for (i = 0; i < a->nrefs; i++) {
		json_t *refs = json_object_get(x, "refs");

		if (!json_is_object(refs)) {
			refs = json_object();
			json_object_set_new(x, "refs", refs);
		}
		if (json_object_get(refs, a->ref_source[i]) == NULL)
			json_object_set_new(
			    refs, a->ref_source[i], json_string(a->ref_id[i]));
	}
	if (a->published[0] != '\0') {
		const char *p =
		    json_string_value(json_object_get(x, "published"));

		if (p == NULL || strcmp(a->published, p) < 0)
			json_object_set_new(
			    x, "published", json_string(a->published));
	}
	take_published_by(x, a);
	take_tlp(x, a->tlp);
	src = json_object_get(x, "sources");
	for (i = 0; i < a->nsources; i++) {
		json_t *s;

		json_array_foreach (src, j, s)
			if (strcmp(json_string_value(s), a->sources[i]) == 0)
				break;
		if (j == json_array_size(src))
			json_array_append_new(src, json_string(a->sources[i]));
	}
}

/* Each configured source of the alert, once, as the full form names it. */
static void
take_sources(json_t *inc, const struct dalert *a, const struct cfg *cfg)
{
	json_t *list = json_object_get(inc, "sources"), *s;
	size_t i, j;

	for (i = 0; i < a->nsources; i++) {
		const struct cfg_source *cs =
		    cfg_source_find(cfg, a->sources[i]);

		if (cs == NULL)
			continue;
		json_array_foreach (list, j, s)
			if (strcmp(json_string_value(json_object_get(s, "id")),
				cs->id) == 0)
				break;
		if (j == json_array_size(list))
			json_array_append_new(list, reference_source(cs));
	}
}

/* An alert id into the recent ones (latest last, INC_RECENT at most),
 * with its stream entry id when known (alerts.entries: id -> entry, for
 * the console's link to the alert itself). */
void
inc_recent_add(json_t *al, const char *id, const char *entry)
{
	json_t *recent = json_object_get(al, "recent"),
	       *entries = json_object_get(al, "entries");

	if (!json_is_object(entries)) {
		entries = json_object();
		json_object_set_new(al, "entries", entries);
	}
	json_array_append_new(recent, json_string(id));
	if (entry != NULL && entry[0] != '\0')
		json_object_set_new(entries, id, json_string(entry));
	while (json_array_size(recent) > INC_RECENT) {
		json_object_del(
		    entries, json_string_value(json_array_get(recent, 0)));
		json_array_remove(recent, 0);
	}
}

/* Whether b names the same indicator as a, with the same sources, ids
 * and times: taking it again would change nothing. */
static int
same_indicator(const struct dalert *a, const struct dalert *b)
{
	size_t i;

	if (strcmp(a->ind_type, b->ind_type) != 0 ||
	    strcmp(a->ind_value, b->ind_value) != 0 ||
	    strcmp(a->published, b->published) != 0 ||
	    strcmp(a->tlp, b->tlp) != 0 || a->nsources != b->nsources ||
	    a->nrefs != b->nrefs || a->npubs != b->npubs)
		return 0;
	for (i = 0; i < a->nsources; i++)
		if (strcmp(a->sources[i], b->sources[i]) != 0)
			return 0;
	for (i = 0; i < a->nrefs; i++)
		if (strcmp(a->ref_source[i], b->ref_source[i]) != 0 ||
		    strcmp(a->ref_id[i], b->ref_id[i]) != 0)
			return 0;
	for (i = 0; i < a->npubs; i++)
		if (strcmp(a->pub_source[i], b->pub_source[i]) != 0 ||
		    strcmp(a->pub_time[i], b->pub_time[i]) != 0)
			return 0;
	return 1;
}

/* Signature counts of a batch, added once at the end. */
struct sigcount {
	long long sid;
	json_t *sig; /* its entry, NULL when there was no room */
	json_int_t add;
};

static void
count_signature(json_t *inc, const struct dalert *a, struct sigcount *sc,
    size_t *nsc, size_t cap)
{
	json_t *sigs = json_object_get(inc, "signatures"), *s = NULL;
	size_t i;

	for (i = 0; i < *nsc; i++)
		if (sc[i].sid == a->sid) {
			sc[i].add++;
			return;
		}
	if (*nsc == cap) { /* more sids than a batch keeps apart */
		take_signature(inc, a);
		return;
	}
	json_array_foreach (sigs, i, s)
		if (json_integer_value(json_object_get(s, "sid")) == a->sid)
			break;
	if (i == json_array_size(sigs)) {
		s = NULL;
		if (json_array_size(sigs) < INC_MAX_SIGS) {
			s = json_pack("{s:I, s:s, s:i}", "sid",
			    (json_int_t)a->sid, "signature", a->signature,
			    "count", 0);
			json_array_append_new(sigs, s);
		}
	}
	sc[*nsc].sid = a->sid;
	sc[*nsc].sig = s;
	sc[*nsc].add = 1;
	(*nsc)++;
}

/* Evidence moves it forward, never back: a move, in the history. */
static int
take_move(
    json_t *inc, const struct dalert *a, const struct cfg *cfg, time_t now)
{
	const char *cur = inc_phase_id(inc);
	struct desk_who desk = {"sankaku-desk", NULL};
	char why[400], was[48];

	if (isog_flow_rank(a->phase) <= isog_flow_rank(cur))
		return 0;
	/* cur points into the phase object replaced below */
	snprintf(was, sizeof(was), "%s", cur != NULL ? cur : "");
	snprintf(why, sizeof(why), "alert %lld \"%.200s\" (evidence: %s)",
	    a->sid, a->signature, a->evidence[0] != '\0' ? a->evidence : "?");
	json_object_set_new(inc, "phase", inc_phase_obj(a->phase));
	inc_set_kpi(inc, a->kpi);
	inc_history_cite(
	    inc_history(inc, &desk, "evidence", was, a->phase, NULL, why, now),
	    a);
	inc_refresh(inc, cfg);
	return 1;
}

/* alerts.first and .last being widened: their times (-1: none), and
 * the earliest and latest new times taken so far (NULL: none moved
 * them), each time read once. */
struct span {
	time_t first, last;
	const char *lo, *hi;
};

static void
span_open(struct span *sp, json_t *al)
{
	sp->first = time_parse(json_string_value(json_object_get(al, "first")));
	sp->last = time_parse(json_string_value(json_object_get(al, "last")));
	sp->lo = sp->hi = NULL;
}

static void
span_take(struct span *sp, const char *ts)
{
	time_t t = time_parse(ts);

	if (t == (time_t)-1)
		return;
	if (sp->first == (time_t)-1 || t < sp->first)
		sp->first = t, sp->lo = ts;
	if (sp->last == (time_t)-1 || t > sp->last)
		sp->last = t, sp->hi = ts;
}

static void
span_close(const struct span *sp, json_t *al)
{
	if (sp->lo != NULL)
		json_object_set_new(al, "first", json_string(sp->lo));
	if (sp->hi != NULL)
		json_object_set_new(al, "last", json_string(sp->hi));
}

void
inc_times_widen(json_t *al, json_t *other)
{
	struct span sp;

	span_open(&sp, al);
	span_take(&sp, json_string_value(json_object_get(other, "first")));
	span_take(&sp, json_string_value(json_object_get(other, "last")));
	span_close(&sp, al);
}

int
inc_take_alerts(json_t *inc, const struct dalert *const *v, size_t n,
    const struct cfg *cfg, time_t now, json_t *ix)
{
	json_t *al = json_object_get(inc, "alerts");
	const struct dalert *prev = NULL;
	struct sigcount sc[32];
	struct span sp;
	size_t i, nsc = 0, recent_from = n > INC_RECENT ? n - INC_RECENT : 0;
	int moved = 0;
	char t[32], peer[64], last_peer[64] = "";
	const char *end, *last_end = NULL;
	json_int_t run = 0; /* alerts of last_peer not yet added */

	if (n == 0)
		return 0;
	json_object_set_new(al, "count",
	    json_integer(json_integer_value(json_object_get(al, "count")) +
		(json_int_t)n));
	span_open(&sp, al);
	for (i = 0; i < n; i++) {
		const struct dalert *a = v[i];

		span_take(&sp, a->ts);
		if (i >= recent_from)
			inc_recent_add(al, a->id, a->entry);
		count_signature(inc, a, sc, &nsc, sizeof(sc) / sizeof(sc[0]));
		if (prev == NULL || !same_indicator(prev, a)) {
			take_indicator(inc, a, ix);
			take_sources(inc, a, cfg);
			prev = a;
		}
		if (json_is_null(json_object_get(inc, "kpi")))
			inc_set_kpi(inc, a->kpi);
		if ((end = inc_peer_of(inc, a, peer)) != NULL) {
			/* a run of alerts with one other end: added once */
			if (run > 0 && strcmp(peer, last_peer) != 0) {
				inc_peer_add(inc, last_peer, last_end, run, ix);
				run = 0;
			}
			if (run == 0)
				last_end = end;
			memcpy(last_peer, peer, sizeof(peer));
			run++;
		}
		moved += take_move(inc, a, cfg, now);
	}
	if (run > 0)
		inc_peer_add(inc, last_peer, last_end, run, ix);
	span_close(&sp, al);
	for (i = 0; i < nsc; i++)
		if (sc[i].sig != NULL)
			json_object_set_new(sc[i].sig, "count",
			    json_integer(json_integer_value(json_object_get(
					     sc[i].sig, "count")) +
				sc[i].add));
	time_format(now, t, sizeof(t));
	json_object_set_new(inc, "updated_at", json_string(t));
	return moved;
}

int
inc_take_alert(json_t *inc, const struct dalert *a, const struct cfg *cfg,
    time_t now, json_t *ix)
{
	return inc_take_alerts(inc, &a, 1, cfg, now, ix);
}
