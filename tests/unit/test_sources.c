/*
 * test_sources.c: the measured triangle (desk/sources.c) against figures
 * computed by hand from eight incidents: verdicts of the incident and of
 * single indicators, benign and duplicate, one closed before the window,
 * one still open; accuracy, coverage, "not enough data", the measured
 * weak side and the disagreement with the declared one.
 */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "incident.h"

static const char cfg_text[] =
    "{\"sources\": ["
    " {\"id\": \"a\", \"triangle\": \"speed-accuracy\"},"
    " {\"id\": \"b\", \"triangle\": \"speed-coverage\"},"
    " {\"id\": \"c\", \"triangle\": \"accuracy-coverage\"}],"
    " \"desk\": {\"min_verdicts\": 2, \"verdict_window_days\": 30}}";

/* now: 2026-11-28T00:00:00Z */
#define NOW 1795824000

static const char incidents_text[] =
    "{"
    "\"i1\": {\"state\": \"closed\", \"verdict\": \"true-positive\","
    " \"closed_at\": \"2026-11-27T00:00:00Z\", \"indicators\": ["
    "  {\"type\": \"domain\", \"value\": \"x1\", \"sources\": [\"a\", \"b\"]},"
    "  {\"type\": \"domain\", \"value\": \"x2\", \"sources\": [\"b\"]}]},"
    "\"i2\": {\"state\": \"closed\", \"verdict\": \"false-positive\","
    " \"closed_at\": \"2026-11-27T00:00:00Z\", \"indicators\": ["
    "  {\"type\": \"ip\", \"value\": \"x3\", \"sources\": [\"b\"]}]},"
    "\"i3\": {\"state\": \"closed\", \"verdict\": \"true-positive\","
    " \"closed_at\": \"2026-11-20T00:00:00Z\", \"indicators\": ["
    "  {\"type\": \"url\", \"value\": \"x4\", \"sources\": [\"a\", \"b\"]},"
    "  {\"type\": \"url\", \"value\": \"x5\", \"sources\": [\"b\", \"z\"]}],"
    " \"indicator_verdicts\": [{\"type\": \"url\", \"value\": \"x4\","
    "  \"verdict\": \"false-positive\"}]},"
    "\"i4\": {\"state\": \"closed\", \"verdict\": \"benign\","
    " \"closed_at\": \"2026-11-27T00:00:00Z\", \"indicators\": ["
    "  {\"type\": \"domain\", \"value\": \"x6\", \"sources\": [\"c\"]}]},"
    "\"i5\": {\"state\": \"closed\", \"verdict\": \"duplicate\","
    " \"closed_at\": \"2026-11-27T00:00:00Z\", \"indicators\": ["
    "  {\"type\": \"domain\", \"value\": \"x7\", \"sources\": [\"a\"]}]},"
    "\"i6\": {\"state\": \"closed\", \"verdict\": \"true-positive\","
    " \"closed_at\": \"2026-11-27T00:00:00Z\", \"indicators\": ["
    "  {\"type\": \"domain\", \"value\": \"x8\", \"sources\": [\"c\"]}]},"
    "\"i7\": {\"state\": \"closed\", \"verdict\": \"true-positive\","
    " \"closed_at\": \"2026-09-01T00:00:00Z\", \"indicators\": ["
    "  {\"type\": \"domain\", \"value\": \"x9\", \"sources\": [\"a\"]}]},"
    "\"i8\": {\"state\": \"open\", \"verdict\": null, \"closed_at\": null,"
    " \"indicators\": ["
    "  {\"type\": \"domain\", \"value\": \"x10\", \"sources\": [\"a\"]}]}"
    "}";

static json_t *
source(json_t *m, const char *id)
{
	json_t *s;
	size_t i;

	json_array_foreach (json_object_get(m, "sources"), i, s)
		if (strcmp(json_string_value(json_object_get(s, "id")), id) ==
		    0)
			return s;
	fail_msg("no source %s", id);
	return NULL;
}

static double
value(json_t *s, const char *fig)
{
	json_t *v = json_object_get(
	    json_object_get(json_object_get(s, "measured"), fig), "value");

	assert_true(json_is_real(v));
	return json_real_value(v);
}

static long
count(json_t *s, const char *fig, const char *key)
{
	return (long)json_integer_value(json_object_get(
	    json_object_get(json_object_get(s, "measured"), fig), key));
}

static void
test_by_hand(void **state)
{
	char err[256];
	struct cfg *c =
	    cfg_parse("t.json", cfg_text, strlen(cfg_text), err, sizeof(err));
	json_t *inc = json_loads(incidents_text, 0, NULL), *m, *s;

	(void)state;
	assert_non_null(c);
	assert_non_null(inc);
	m = sources_measure(inc, c, NOW);
	assert_non_null(m);
	/* a: x1 true (i1), x4 false by its own verdict (i3); x7 duplicate
	 * and x9 before the window do not count: 1 / 2 */
	s = source(m, "a");
	assert_int_equal(count(s, "accuracy", "true"), 1);
	assert_int_equal(count(s, "accuracy", "false"), 1);
	assert_true(value(s, "accuracy") == 0.5);
	/* confirmed incidents with a listed indicator: i1, i3, i6; a listed
	 * in i1 and i3 */
	assert_int_equal(count(s, "coverage", "n"), 3);
	assert_int_equal(count(s, "coverage", "listed"), 2);
	assert_true(
	    value(s, "coverage") > 0.666 && value(s, "coverage") < 0.667);
	assert_null(json_object_get(json_object_get(s, "measured"), "weak"));
	assert_false(json_is_true(json_object_get(s, "disagrees")));
	/* b: x1, x2, x5 true; x3 false (i2), x4 false (its own): 3 / 5 */
	s = source(m, "b");
	assert_int_equal(count(s, "accuracy", "true"), 3);
	assert_int_equal(count(s, "accuracy", "false"), 2);
	assert_true(
	    value(s, "accuracy") > 0.599 && value(s, "accuracy") < 0.601);
	assert_false(json_is_true(json_object_get(s, "disagrees")));
	/* c: x8 true, x6 benign (false): 1 / 2; listed in i6 only: 1 / 3,
	 * under 0.5: weak coverage, but it declared speed */
	s = source(m, "c");
	assert_true(value(s, "accuracy") == 0.5);
	assert_true(
	    value(s, "coverage") > 0.333 && value(s, "coverage") < 0.334);
	assert_string_equal(json_string_value(json_object_get(
				json_object_get(s, "measured"), "weak")),
	    "coverage");
	assert_string_equal(json_string_value(json_object_get(
				json_object_get(s, "declared"), "weak")),
	    "speed");
	assert_true(json_is_true(json_object_get(s, "disagrees")));
	/* no publication times at all: speed has no samples */
	assert_int_equal(count(s, "speed", "n"), 0);
	assert_string_equal(
	    json_string_value(json_object_get(
		json_object_get(json_object_get(s, "measured"), "speed"),
		"note")),
	    "not enough data");
	json_decref(m);
	json_decref(inc);
	cfg_free(c);
}

/* Speed by hand.  s1's first activity is 10:00 at +0900, 01:00 UTC:
 *   y1 (a, b) a 2026-11-19 00:00 (lead 90000 s), b 02:00 (-3600: late);
 *      a first of the two
 *   y2 (a)    a 00:30 (1800 s); one time: no race
 * s2 first activity 2026-11-25 00:00:
 *   y3 (a, b) a 2026-11-24 00:00 (86400 s), b 2026-11-25 06:00 (-21600);
 *      a first
 *   y4 (b) its own verdict false: not counted; y5 (c) no time
 * s3 (false-positive) and s4 (before the window) do not count.
 * a: 3 of 3 before, leads {1800, 86400, 90000}: median 86400; first in
 *    2 of 2.  b: 0 of 2, leads {-21600, -3600}: median -12600; first in
 *    0 of 2: weak speed, where it declared accuracy.  c: no samples. */
static const char speed_text[] =
    "{"
    "\"s1\": {\"state\": \"closed\", \"verdict\": \"true-positive\","
    " \"closed_at\": \"2026-11-27T00:00:00Z\","
    " \"alerts\": {\"first\": \"2026-11-20T10:00:00.123456+0900\"},"
    " \"indicators\": ["
    "  {\"type\": \"domain\", \"value\": \"y1\", \"sources\": [\"a\", \"b\"],"
    "   \"published_by\": {\"a\": \"2026-11-19T00:00:00Z\","
    "   \"b\": \"2026-11-20T02:00:00Z\"}},"
    "  {\"type\": \"domain\", \"value\": \"y2\", \"sources\": [\"a\"],"
    "   \"published_by\": {\"a\": \"2026-11-20T00:30:00Z\"}}]},"
    "\"s2\": {\"state\": \"closed\", \"verdict\": \"true-positive\","
    " \"closed_at\": \"2026-11-27T00:00:00Z\","
    " \"alerts\": {\"first\": \"2026-11-25T00:00:00.000001+0000\"},"
    " \"indicators\": ["
    "  {\"type\": \"ip\", \"value\": \"y3\", \"sources\": [\"a\", \"b\"],"
    "   \"published_by\": {\"a\": \"2026-11-24T00:00:00Z\","
    "   \"b\": \"2026-11-25T06:00:00Z\"}},"
    "  {\"type\": \"ip\", \"value\": \"y4\", \"sources\": [\"b\"],"
    "   \"published_by\": {\"b\": \"2026-11-01T00:00:00Z\"}},"
    "  {\"type\": \"ip\", \"value\": \"y5\", \"sources\": [\"c\"]}],"
    " \"indicator_verdicts\": [{\"type\": \"ip\", \"value\": \"y4\","
    "  \"verdict\": \"false-positive\"}]},"
    "\"s3\": {\"state\": \"closed\", \"verdict\": \"false-positive\","
    " \"closed_at\": \"2026-11-27T00:00:00Z\","
    " \"alerts\": {\"first\": \"2026-11-25T00:00:00Z\"},"
    " \"indicators\": [{\"type\": \"ip\", \"value\": \"y6\","
    "  \"sources\": [\"b\"], \"published_by\": {\"b\": "
    "\"2026-11-01T00:00:00Z\"}}]},"
    "\"s4\": {\"state\": \"closed\", \"verdict\": \"true-positive\","
    " \"closed_at\": \"2026-09-01T00:00:00Z\","
    " \"alerts\": {\"first\": \"2026-08-25T00:00:00Z\"},"
    " \"indicators\": [{\"type\": \"ip\", \"value\": \"y7\","
    "  \"sources\": [\"b\"], \"published_by\": {\"b\": "
    "\"2026-08-01T00:00:00Z\"}}]}"
    "}";

static json_t *
speed_of(json_t *s)
{
	return json_object_get(json_object_get(s, "measured"), "speed");
}

static void
test_speed(void **state)
{
	char err[256];
	struct cfg *c =
	    cfg_parse("t.json", cfg_text, strlen(cfg_text), err, sizeof(err));
	json_t *inc = json_loads(speed_text, 0, NULL), *m, *s, *first;

	(void)state;
	assert_non_null(inc);
	m = sources_measure(inc, c, NOW);
	s = source(m, "a");
	assert_int_equal(count(s, "speed", "n"), 3);
	assert_int_equal(count(s, "speed", "before_activity"), 3);
	assert_true(value(s, "speed") == 1.0);
	assert_true(json_real_value(json_object_get(
			speed_of(s), "median_lead_s")) == 86400.0);
	first = json_object_get(speed_of(s), "first_among_sources");
	assert_int_equal(json_integer_value(json_object_get(first, "n")), 2);
	assert_int_equal(
	    json_integer_value(json_object_get(first, "first")), 2);
	assert_false(json_is_true(json_object_get(s, "disagrees")));
	s = source(m, "b");
	assert_int_equal(count(s, "speed", "n"), 2);
	assert_int_equal(count(s, "speed", "before_activity"), 0);
	assert_true(value(s, "speed") == 0.0);
	assert_true(json_real_value(json_object_get(
			speed_of(s), "median_lead_s")) == -12600.0);
	first = json_object_get(speed_of(s), "first_among_sources");
	assert_int_equal(json_integer_value(json_object_get(first, "n")), 2);
	assert_int_equal(
	    json_integer_value(json_object_get(first, "first")), 0);
	assert_string_equal(json_string_value(json_object_get(
				json_object_get(s, "measured"), "weak")),
	    "speed");
	/* its measured strong pair: the two others */
	assert_string_equal(
	    json_string_value(json_array_get(
		json_object_get(json_object_get(s, "measured"), "strong"), 1)),
	    "coverage");
	assert_true(json_is_true(json_object_get(s, "disagrees")));
	s = source(m, "c");
	assert_int_equal(count(s, "speed", "n"), 0);
	assert_true(json_is_null(json_object_get(speed_of(s), "value")));
	assert_null(json_object_get(speed_of(s), "median_lead_s"));
	json_decref(m);
	json_decref(inc);
	cfg_free(c);
}

/* The eight incidents above with a floor of 55 %: a (1/2) and c (1/2)
 * need a second source, b (3/5) does not; with the floor at 0 (the
 * default) nobody does. */
static void
test_second(void **state)
{
	static const char floor_cfg[] =
	    "{\"sources\": ["
	    " {\"id\": \"a\", \"triangle\": \"speed-accuracy\"},"
	    " {\"id\": \"b\", \"triangle\": \"speed-coverage\"},"
	    " {\"id\": \"c\", \"triangle\": \"accuracy-coverage\"}],"
	    " \"desk\": {\"min_verdicts\": 2, \"verdict_window_days\": 30,"
	    " \"accuracy_floor_pct\": 55}}";
	char err[256];
	struct cfg *c = cfg_parse("t.json", floor_cfg, strlen(floor_cfg), err,
		       sizeof(err)),
		   *off = cfg_parse(
		       "t.json", cfg_text, strlen(cfg_text), err, sizeof(err));
	json_t *inc = json_loads(incidents_text, 0, NULL), *out, *e, *m;
	size_t i;

	(void)state;
	assert_non_null(c);
	out = sources_second(inc, c, NOW, NULL);
	assert_int_equal(json_array_size(out), 2);
	e = json_array_get(out, 0);
	assert_string_equal(json_string_value(json_object_get(e, "id")), "a");
	assert_true(json_real_value(json_object_get(e, "accuracy")) == 0.5);
	assert_int_equal(json_integer_value(json_object_get(e, "n")), 2);
	assert_string_equal(
	    json_string_value(json_object_get(json_array_get(out, 1), "id")),
	    "c");
	json_decref(out);
	out = sources_second(inc, off, NOW, NULL);
	assert_int_equal(json_array_size(out), 0);
	json_decref(out);
	/* and in the file sankaku-rules reads */
	out = sources_suppress(inc, c, NOW, NULL);
	assert_int_equal(
	    json_array_size(json_object_get(out, "second_source")), 2);
	json_decref(out);
	/* a measure the caller already has is used, not figured again: the
	 * same answer from sources_measure's own document, and a document
	 * that says otherwise is what counts */
	m = sources_measure(inc, c, NOW);
	assert_non_null(m);
	out = sources_second(inc, c, NOW, m);
	assert_int_equal(json_array_size(out), 2);
	json_decref(out);
	json_array_foreach (json_object_get(m, "sources"), i, e)
		json_object_set_new(
		    json_object_get(json_object_get(e, "measured"), "accuracy"),
		    "value", json_real(0.9));
	out = sources_suppress(inc, c, NOW, m);
	assert_int_equal(
	    json_array_size(json_object_get(out, "second_source")), 0);
	json_decref(out);
	json_decref(m);
	json_decref(inc);
	cfg_free(c);
	cfg_free(off);
}

/* A green source: each sighting carries the stricter of the source's TLP
 * and its indicator's own, the bundle the strictest of all; a RED
 * indicator is not sent at all (STIX nor MISP). */
static void
test_sightings_tlp(void **state)
{
	static const char gcfg[] =
	    "{\"sources\": [{\"id\": \"g\", \"triangle\": \"speed-coverage\","
	    " \"tlp\": \"green\"}]}";
	static const char incs[] =
	    "{\"i1\": {\"state\": \"open\", \"updated_at\": "
	    "\"2026-11-27T00:00:00Z\","
	    " \"alerts\": {\"first\": \"2026-11-26T01:00:00Z\","
	    "  \"last\": \"2026-11-26T02:00:00Z\"}, \"indicators\": ["
	    "  {\"type\": \"domain\", \"value\": \"a.example\", \"sources\": "
	    "[\"g\"],"
	    "   \"tlp\": \"amber\", \"refs\": {\"g\": \"indicator--"
	    "00000000-0000-4000-8000-000000000001\"}},"
	    "  {\"type\": \"domain\", \"value\": \"r.example\", \"sources\": "
	    "[\"g\"],"
	    "   \"tlp\": \"red\", \"refs\": {\"g\": \"indicator--"
	    "00000000-0000-4000-8000-000000000002\"}},"
	    "  {\"type\": \"domain\", \"value\": \"c.example\", \"sources\": "
	    "[\"g\"],"
	    "   \"refs\": {\"g\": \"indicator--"
	    "00000000-0000-4000-8000-000000000003\"}}]}}";
	char err[256], *text;
	struct cfg *c =
	    cfg_parse("t.json", gcfg, strlen(gcfg), err, sizeof(err));
	json_t *inc = json_loads(incs, 0, NULL), *b, *o;
	size_t i, n = 0;

	(void)state;
	assert_non_null(c);
	b = sightings_export(
	    inc, c, "g", "stix", NULL, "", NOW, err, sizeof(err));
	assert_non_null(b);
	json_array_foreach (json_object_get(b, "objects"), i, o) {
		const char *ref =
		    json_string_value(json_object_get(o, "sighting_of_ref"));
		const char *mark = json_string_value(json_array_get(
		    json_object_get(o, "object_marking_refs"), 0));

		n++;
		/* amber's and green's marking definitions */
		assert_string_equal(mark,
		    ref[strlen(ref) - 1] == '1'
			? "marking-definition--f88d31f6-486f-44da-b317-"
			  "01333bde0b82"
			: "marking-definition--34098fce-860f-48ae-8e50-"
			  "ebd3cc5e41da");
	}
	assert_int_equal(n, 2);
	assert_string_equal(
	    json_string_value(json_object_get(b, "x_sankaku_tlp")), "amber");
	text = json_dumps(b, 0);
	assert_null(strstr(text, "000000000002")); /* the RED one */
	free(text);
	json_decref(b);
	/* STIX ids are not MISP attributes: nothing for /sightings/add */
	b = sightings_export(
	    inc, c, "g", "misp", NULL, "", NOW, err, sizeof(err));
	assert_int_equal(json_array_size(b), 0);
	json_decref(b);
	json_decref(inc);
	cfg_free(c);
}

/* Below min_verdicts: no figure, "not enough data", no disagreement. */
static void
test_not_enough(void **state)
{
	static const char one[] =
	    "{\"i1\": {\"state\": \"closed\", \"verdict\": \"false-positive\","
	    " \"closed_at\": \"2026-11-27T00:00:00Z\", \"indicators\": ["
	    "  {\"type\": \"ip\", \"value\": \"x\", \"sources\": [\"a\"]}]}}";
	char err[256];
	struct cfg *c =
	    cfg_parse("t.json", cfg_text, strlen(cfg_text), err, sizeof(err));
	json_t *inc = json_loads(one, 0, NULL), *m, *s, *acc;

	(void)state;
	m = sources_measure(inc, c, NOW);
	s = source(m, "a");
	acc = json_object_get(json_object_get(s, "measured"), "accuracy");
	assert_true(json_is_null(json_object_get(acc, "value")));
	assert_string_equal(
	    json_string_value(json_object_get(acc, "note")), "not enough data");
	assert_int_equal(json_integer_value(json_object_get(acc, "n")), 1);
	assert_false(json_is_true(json_object_get(s, "disagrees")));
	json_decref(m);
	json_decref(inc);
	cfg_free(c);
}

/* Sightings: only the source's own ids, the false positive marked, the
 * fields STIX 2.1 requires and MISP's /sightings/add takes. */
static const char seen_text[] =
    "{\"i1\": {\"state\": \"closed\", \"verdict\": \"true-positive\","
    " \"updated_at\": \"2026-11-27T00:00:00Z\","
    " \"alerts\": {\"first\": \"2026-11-26T01:00:00.000001+0000\","
    "  \"last\": \"2026-11-26T02:00:00.000001+0000\"},"
    " \"indicators\": ["
    "  {\"type\": \"domain\", \"value\": \"evil.example\","
    "   \"sources\": [\"a\", \"b\"], \"refs\": {"
    "   \"a\": \"indicator--0b8a6c4e-7c53-4f43-9f0e-2a1a4a6f1c01\","
    "   \"b\": \"5f3c2a1b-7e8d-4c9a-b0f1-2e3d4c5b6a79/"
    "a0000001-1111-4222-8333-444455556661\"}},"
    "  {\"type\": \"ip\", \"value\": \"203.0.113.9\","
    "   \"sources\": [\"b\"], \"refs\": {\"b\": \"5f3c2a1b-7e8d-4c9a-b0f1-"
    "2e3d4c5b6a79/a0000002-1111-4222-8333-444455556662\"}}],"
    " \"indicator_verdicts\": [{\"type\": \"ip\", \"value\": "
    "\"203.0.113.9\", \"verdict\": \"false-positive\"}]},"
    "\"i0\": {\"state\": \"closed\", \"verdict\": \"true-positive\","
    " \"updated_at\": \"2026-10-01T00:00:00Z\", \"alerts\": {},"
    " \"indicators\": [{\"type\": \"domain\", \"value\": \"old.example\","
    "  \"sources\": [\"a\"], \"refs\": {\"a\": \"indicator--"
    "11111111-2222-4333-8444-555555555555\"}}]}}";

static void
test_sightings(void **state)
{
	char err[256], *text;
	struct cfg *c =
	    cfg_parse("t.json", cfg_text, strlen(cfg_text), err, sizeof(err));
	json_t *inc = json_loads(seen_text, 0, NULL), *b, *o, *s = NULL;
	size_t i, n = 0;

	(void)state;
	assert_non_null(inc);
	b = sightings_export(inc, c, "a", "stix", "2026-11-01T00:00:00Z",
	    "Example SOC", NOW, err, sizeof(err));
	assert_non_null(b);
	assert_string_equal(
	    json_string_value(json_object_get(b, "type")), "bundle");
	assert_true(strncmp(json_string_value(json_object_get(b, "id")),
			"bundle--", 8) == 0);
	json_array_foreach (json_object_get(b, "objects"), i, o)
		if (strcmp(json_string_value(json_object_get(o, "type")),
			"sighting") == 0) {
			s = o;
			n++;
		}
	assert_int_equal(n, 1); /* i0 is older than since */
	assert_string_equal(
	    json_string_value(json_object_get(s, "sighting_of_ref")),
	    "indicator--0b8a6c4e-7c53-4f43-9f0e-2a1a4a6f1c01");
	assert_string_equal(
	    json_string_value(json_object_get(s, "spec_version")), "2.1");
	assert_int_equal(strlen(json_string_value(json_object_get(s, "id"))),
	    strlen("sighting--") + 36);
	assert_non_null(json_object_get(s, "created"));
	assert_non_null(json_object_get(s, "modified"));
	assert_string_equal(json_string_value(json_object_get(s, "first_seen")),
	    "2026-11-26T01:00:00Z");
	assert_non_null(json_object_get(s, "where_sighted_refs"));
	assert_null(json_object_get(s, "x_opencti_negative"));
	text = json_dumps(b, 0);
	assert_null(strstr(text, "5f3c2a1b")); /* nothing of b */
	free(text);
	json_decref(b);

	/* b, as MISP sightings: its attribute uuids, the false positive */
	b = sightings_export(
	    inc, c, "b", "misp", NULL, "", NOW, err, sizeof(err));
	assert_int_equal(json_array_size(b), 2);
	json_array_foreach (b, i, o) {
		const char *uuid =
		    json_string_value(json_object_get(o, "uuid"));

		assert_int_equal(strlen(uuid), 36);
		assert_string_equal(
		    json_string_value(json_object_get(o, "source")), "sankaku");
		assert_true(json_integer_value(
				json_object_get(o, "timestamp")) == 1795658400);
		assert_string_equal(
		    json_string_value(json_object_get(o, "type")),
		    strcmp(uuid, "a0000002-1111-4222-8333-444455556662") == 0
			? "1"
			: "0");
	}
	text = json_dumps(b, 0);
	assert_null(strstr(text, "indicator--"));
	free(text);
	json_decref(b);
	assert_null(sightings_export(
	    inc, c, "nope", "stix", NULL, "", NOW, err, sizeof(err)));
	assert_non_null(strstr(err, "no source"));
	assert_null(sightings_export(
	    inc, c, "a", "csv", NULL, "", NOW, err, sizeof(err)));
	json_decref(inc);
	cfg_free(c);
}

/* Judged false often enough and never true: left out, until some days
 * after the latest false verdict; one true verdict lifts it. */
static void
test_suppress(void **state)
{
	static const char cfg2[] =
	    "{\"sources\": [{\"id\": \"a\", \"triangle\": \"speed-accuracy\"}],"
	    " \"desk\": {\"suppress_after\": 2, \"suppress_days\": 10}}";
	static const char incs[] =
	    "{\"i1\": {\"verdict\": \"false-positive\", \"closed_at\": "
	    "\"2026-11-20T00:00:00Z\", \"indicators\": ["
	    "  {\"type\": \"domain\", \"value\": \"fp.example\"},"
	    "  {\"type\": \"domain\", \"value\": \"once.example\"},"
	    "  {\"type\": \"domain\", \"value\": \"mixed.example\"}]},"
	    "\"i2\": {\"verdict\": \"benign\", \"closed_at\": "
	    "\"2026-11-25T00:00:00Z\", \"indicators\": ["
	    "  {\"type\": \"domain\", \"value\": \"fp.example\"},"
	    "  {\"type\": \"domain\", \"value\": \"mixed.example\"}]},"
	    "\"i3\": {\"verdict\": \"false-positive\", \"closed_at\": "
	    "\"2026-11-26T00:00:00Z\", \"indicators\": ["
	    "  {\"type\": \"domain\", \"value\": \"mixed.example\"}],"
	    " \"indicator_verdicts\": [{\"type\": \"domain\", \"value\": "
	    "\"mixed.example\", \"verdict\": \"true-positive\"}]},"
	    "\"i4\": {\"verdict\": null, \"closed_at\": null, \"indicators\": ["
	    "  {\"type\": \"domain\", \"value\": \"once.example\"}]}}";
	char err[256];
	struct cfg *c =
	    cfg_parse("t.json", cfg2, strlen(cfg2), err, sizeof(err));
	json_t *inc = json_loads(incs, 0, NULL), *out, *e;

	(void)state;
	assert_non_null(c);
	out = sources_suppress(inc, c, NOW, NULL);
	assert_int_equal(
	    json_array_size(json_object_get(out, "suppressed")), 1);
	e = json_array_get(json_object_get(out, "suppressed"), 0);
	assert_string_equal(
	    json_string_value(json_object_get(e, "value")), "fp.example");
	assert_int_equal(json_integer_value(json_object_get(e, "verdicts")), 2);
	assert_string_equal(json_string_value(json_object_get(e, "until")),
	    "2026-12-05T00:00:00Z"); /* the latest false one + 10 days */
	json_decref(out);
	json_decref(inc);
	cfg_free(c);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_by_hand),
	    cmocka_unit_test(test_not_enough),
	    cmocka_unit_test(test_speed),
	    cmocka_unit_test(test_second),
	    cmocka_unit_test(test_sightings),
	    cmocka_unit_test(test_sightings_tlp),
	    cmocka_unit_test(test_suppress),
	};

	return cmocka_run_group_tests_name("sources", tests, NULL, NULL);
}
