/*
 * sources.c: the sharing triangle measured from the desk's verdicts,
 * beside the one each source declares (see incident.h).  Pure: the
 * incidents in, JSON out.
 *
 * Only incidents closed within the window (desk.verdict_window_days,
 * by closed_at) with a verdict count:
 *
 *   accuracy  per source: over every (incident, indicator) pair the
 *             source listed, true / (true + false).  An indicator's
 *             verdict is its own (the action "verdict") if given, else
 *             the incident's: true-positive is true; false-positive and
 *             benign are false (the indicator led to nothing bad);
 *             duplicate counts for nothing.  n = true + false.
 *   coverage  per source: of the confirmed incidents (true-positive)
 *             with at least one listed indicator, the share in which
 *             this source listed at least one.  n = those incidents.
 *   speed     per source: over every (confirmed incident, indicator)
 *             pair where the indicator's verdict is true, the source
 *             listed it and its own publication time is known
 *             (published_by), the share it published before the
 *             incident's first activity (alerts.first).  n = those
 *             pairs.  Beside it: the median lead (first activity minus
 *             publication, seconds, negative when it came late) and,
 *             over the pairs where two or more sources' times are known,
 *             the share where this source published first (ties are
 *             first for each).
 *
 * A figure is given only from desk.min_verdicts samples on; below, "not
 * enough data".  The measured weak side is the lowest measured figure
 * under 0.5; it "disagrees" when the source declared another weak side.
 */

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "incident.h"
#include "isog.h"

struct tally {
	long t, f;	   /* verdicts of its indicators */
	long listed;	   /* confirmed incidents it listed an indicator in */
	long timed, early; /* speed: pairs with its time known; before */
	long raced, won;   /* ... with others' times known too; first */
	double *lead;	   /* each timed pair's lead (seconds) */
	size_t nlead, cap;
};

int
inc_verdict_kind(const char *v)
{
	if (v == NULL)
		return 0;
	if (strcmp(v, "true-positive") == 0)
		return 1;
	return strcmp(v, "false-positive") == 0 || strcmp(v, "benign") == 0 ? -1
									    : 0;
}

const char *
inc_indicator_verdict(json_t *inc, json_t *x)
{
	json_t *v;
	size_t i;

	json_array_foreach (json_object_get(inc, "indicator_verdicts"), i, v)
		if (json_equal(json_object_get(v, "type"),
			json_object_get(x, "type")) &&
		    json_equal(json_object_get(v, "value"),
			json_object_get(x, "value")))
			return json_string_value(json_object_get(v, "verdict"));
	return json_string_value(json_object_get(inc, "verdict"));
}

static int
source_index(const struct cfg *cfg, const char *id)
{
	size_t i;

	for (i = 0; id != NULL && i < cfg->nsources; i++)
		if (strcmp(cfg->sources[i].id, id) == 0)
			return (int)i;
	return -1;
}

/* One figure: {"n", "value"?, "enough"} plus its counts. */
static json_t *
figure(long num, long n, long min)
{
	json_t *o = json_pack(
	    "{s:I, s:b}", "n", (json_int_t)n, "enough", n >= min && n > 0);

	json_object_set_new(o, "value",
	    n >= min && n > 0 ? json_real((double)num / (double)n)
			      : json_null());
	if (n < min || n == 0)
		json_object_set_new(o, "note", json_string("not enough data"));
	return o;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static void
add_lead(struct tally *t, double lead)
{
	if (t->nlead == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 16;
		double *v = realloc(t->lead, cap * sizeof(*v));

		if (v == NULL)
			return;
		t->lead = v;
		t->cap = cap;
	}
	t->lead[t->nlead++] = lead;
}

/* One confirmed indicator's speed into each timed source's tally: its
 * publication against the incident's first activity, and against the
 * earliest of the sources that gave theirs. */
static void
tally_speed(struct tally *tl, const struct cfg *cfg, json_t *x, time_t first)
{
	json_t *by = json_object_get(x, "published_by"), *v;
	time_t earliest = (time_t)-1;
	const char *s;
	int timed = 0;

	json_object_foreach (by, s, v) {
		time_t p = time_parse(json_string_value(v));

		if (p == (time_t)-1 || source_index(cfg, s) < 0)
			continue;
		timed++;
		if (earliest == (time_t)-1 || p < earliest)
			earliest = p;
	}
	json_object_foreach (by, s, v) {
		time_t p = time_parse(json_string_value(v));
		int si = source_index(cfg, s);

		if (p == (time_t)-1 || si < 0)
			continue;
		tl[si].timed++;
		tl[si].early += p < first;
		add_lead(&tl[si], difftime(first, p));
		if (timed >= 2) {
			tl[si].raced++;
			tl[si].won += p == earliest;
		}
	}
}

/* The speed figure of a tally (see the top). */
static json_t *
speed_figure(struct tally *t, long min)
{
	json_t *o = figure(t->early, t->timed, min), *r;

	json_object_set_new(o, "before_activity", json_integer(t->early));
	if (t->nlead > 0) {
		double m;

		qsort(t->lead, t->nlead, sizeof(*t->lead), cmp_double);
		m = t->nlead % 2
		    ? t->lead[t->nlead / 2]
		    : (t->lead[t->nlead / 2 - 1] + t->lead[t->nlead / 2]) / 2;
		json_object_set_new(o, "median_lead_s", json_real(m));
	}
	r = figure(t->won, t->raced, min);
	json_object_set_new(r, "first", json_integer(t->won));
	json_object_set_new(o, "first_among_sources", r);
	return o;
}

json_t *
sources_measure(json_t *incidents, const struct cfg *cfg, time_t now)
{
	size_t i, j, ns = cfg->nsources;
	struct tally *tl = calloc(ns + 1, sizeof(*tl));
	unsigned char *listed = calloc(ns + 1, 1);
	long confirmed = 0, min = cfg->desk_min_verdicts;
	char cutoff[32];
	const char *k;
	json_t *inc, *out = json_array();

	if (tl == NULL || listed == NULL) {
		free(tl);
		free(listed);
		return NULL;
	}
	time_format(now - (time_t)cfg->desk_verdict_window_days * 86400, cutoff,
	    sizeof(cutoff));
	json_object_foreach (incidents, k, inc) {
		const char *verdict =
		    json_string_value(json_object_get(inc, "verdict"));
		const char *closed =
		    json_string_value(json_object_get(inc, "closed_at"));
		json_t *x, *s;
		int any = 0;
		time_t first = time_parse(json_string_value(
		    json_object_get(json_object_get(inc, "alerts"), "first")));

		if (verdict == NULL || closed == NULL ||
		    strcmp(closed, cutoff) < 0)
			continue;
		memset(listed, 0, ns + 1);
		json_array_foreach (json_object_get(inc, "indicators"), i, x) {
			int kind =
				inc_verdict_kind(inc_indicator_verdict(inc, x)),
			    good = kind > 0, bad = kind < 0;

			json_array_foreach (
			    json_object_get(x, "sources"), j, s) {
				int si =
				    source_index(cfg, json_string_value(s));

				if (si < 0)
					continue;
				tl[si].t += good;
				tl[si].f += bad;
				listed[si] = 1;
				any = 1;
			}
			if (good && first != (time_t)-1 &&
			    strcmp(verdict, "true-positive") == 0)
				tally_speed(tl, cfg, x, first);
		}
		if (strcmp(verdict, "true-positive") != 0 || !any)
			continue;
		confirmed++;
		for (i = 0; i < ns; i++)
			tl[i].listed += listed[i];
	}
	for (i = 0; i < ns; i++) {
		const struct cfg_source *src = &cfg->sources[i];
		const struct isog_triangle *tr = src->triangle;
		json_t *acc = figure(tl[i].t, tl[i].t + tl[i].f, min),
		       *cov = figure(tl[i].listed, confirmed, min),
		       *spd = speed_figure(&tl[i], min), *m, *o;
		const char *weak = NULL;
		double low = 0.5;

		json_object_set_new(acc, "true", json_integer(tl[i].t));
		json_object_set_new(acc, "false", json_integer(tl[i].f));
		json_object_set_new(cov, "listed", json_integer(tl[i].listed));
		if (json_is_real(json_object_get(acc, "value")) &&
		    json_real_value(json_object_get(acc, "value")) < low) {
			low = json_real_value(json_object_get(acc, "value"));
			weak = "accuracy";
		}
		if (json_is_real(json_object_get(cov, "value")) &&
		    json_real_value(json_object_get(cov, "value")) < low) {
			low = json_real_value(json_object_get(cov, "value"));
			weak = "coverage";
		}
		if (json_is_real(json_object_get(spd, "value")) &&
		    json_real_value(json_object_get(spd, "value")) < low)
			weak = "speed";
		m = json_pack("{s:o, s:o, s:o}", "accuracy", acc, "coverage",
		    cov, "speed", spd);
		if (weak != NULL) { /* and the two others: its strong pair */
			json_t *strong = json_array();
			size_t f;

			for (f = 0; f < ISOG_NSIDES; f++)
				if (strcmp(isog_sides[f], weak) != 0)
					json_array_append_new(
					    strong, json_string(isog_sides[f]));
			json_object_set_new(m, "strong", strong);
			json_object_set_new(m, "weak", json_string(weak));
		}
		o = json_pack("{s:s, s:s, s:{s:[s, s], s:s}, s:o, s:b}", "id",
		    src->id, "name", src->name, "declared", "strong",
		    tr->strong[0], tr->strong[1], "weak", tr->weak, "measured",
		    m, "disagrees",
		    weak != NULL && strcmp(weak, tr->weak) != 0);
		json_array_append_new(out, o);
	}
	for (i = 0; i < ns; i++)
		free(tl[i].lead);
	free(tl);
	free(listed);
	return json_pack("{s:o, s:I, s:I}", "sources", out, "window_days",
	    (json_int_t)cfg->desk_verdict_window_days, "min_verdicts",
	    (json_int_t)min);
}

/* The indicators to keep out of the rules: desk.suppress_after or more
 * false verdicts (false-positive, benign) in the window and not one true;
 * until desk.suppress_days after the latest of those verdicts' incidents
 * closed.  A true-positive verdict lifts it. */
json_t *
sources_suppress(
    json_t *incidents, const struct cfg *cfg, time_t now, json_t *measured)
{
	json_t *tally = json_object(), *inc, *x, *t, *list = json_array();
	char cutoff[32], key[600];
	const char *k;
	size_t i;

	time_format(now - (time_t)cfg->desk_verdict_window_days * 86400, cutoff,
	    sizeof(cutoff));
	json_object_foreach (incidents, k, inc) {
		const char *closed =
		    json_string_value(json_object_get(inc, "closed_at"));

		if (closed == NULL || strcmp(closed, cutoff) < 0)
			continue;
		json_array_foreach (json_object_get(inc, "indicators"), i, x) {
			int kind =
				inc_verdict_kind(inc_indicator_verdict(inc, x)),
			    good = kind > 0, bad = kind < 0;
			const char *last;

			if (!good && !bad)
				continue;
			snprintf(key, sizeof(key), "%s %s",
			    json_string_value(json_object_get(x, "type")),
			    json_string_value(json_object_get(x, "value")));
			if ((t = json_object_get(tally, key)) == NULL) {
				t = json_pack("{s:O, s:O, s:i, s:i, s:s}",
				    "type", json_object_get(x, "type"), "value",
				    json_object_get(x, "value"), "true", 0,
				    "false", 0, "last", "");
				json_object_set_new(tally, key, t);
			}
			json_object_set_new(t, good ? "true" : "false",
			    json_integer(json_integer_value(json_object_get(
					     t, good ? "true" : "false")) +
				1));
			last = json_string_value(json_object_get(t, "last"));
			if (bad && strcmp(closed, last) > 0)
				json_object_set_new(
				    t, "last", json_string(closed));
		}
	}
	json_object_foreach (tally, k, t) {
		time_t last;
		char until[32];

		if (json_integer_value(json_object_get(t, "true")) > 0 ||
		    json_integer_value(json_object_get(t, "false")) <
			cfg->desk_suppress_after)
			continue;
		if ((last = time_parse(json_string_value(
			 json_object_get(t, "last")))) == (time_t)-1)
			continue;
		time_format(last + (time_t)cfg->desk_suppress_days * 86400,
		    until, sizeof(until));
		if (strcmp(until, cutoff) < 0)
			continue;
		json_array_append_new(list,
		    json_pack("{s:O, s:O, s:s, s:I, s:s, s:s}", "type",
			json_object_get(t, "type"), "value",
			json_object_get(t, "value"), "reason", "false-positive",
			"verdicts",
			json_integer_value(json_object_get(t, "false")),
			"since", json_string_value(json_object_get(t, "last")),
			"until", until));
	}
	json_decref(tally);
	return json_pack("{s:o, s:o}", "suppressed", list, "second_source",
	    sources_second(incidents, cfg, now, measured));
}

/* The sources whose measured accuracy, with enough data, fell below
 * desk.accuracy_floor_pct: they need a second source at the next
 * refresh.  Lifted when it rises again (or the floor is 0). */
json_t *
sources_second(
    json_t *incidents, const struct cfg *cfg, time_t now, json_t *measured)
{
	json_t *out = json_array(), *m, *s, *acc;
	size_t i;

	if (cfg->desk_accuracy_floor_pct <= 0)
		return out;
	if (measured != NULL)
		m = json_incref(measured);
	else if ((m = sources_measure(incidents, cfg, now)) == NULL)
		return out;
	json_array_foreach (json_object_get(m, "sources"), i, s) {
		acc =
		    json_object_get(json_object_get(s, "measured"), "accuracy");
		if (!json_is_real(json_object_get(acc, "value")) ||
		    json_real_value(json_object_get(acc, "value")) * 100 >=
			(double)cfg->desk_accuracy_floor_pct)
			continue;
		json_array_append_new(out,
		    json_pack("{s:O, s:s, s:O, s:O, s:I}", "id",
			json_object_get(s, "id"), "reason", "accuracy",
			"accuracy", json_object_get(acc, "value"), "n",
			json_object_get(acc, "n"), "floor_pct",
			(json_int_t)cfg->desk_accuracy_floor_pct));
	}
	json_decref(m);
	return out;
}
