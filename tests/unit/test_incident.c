/*
 * test_incident.c: the desk's incident model, the alerts' side.  Alerts
 * of either output form are read, long text cut between characters; the
 * asset is the home-network host; alerts join and raise the phase along
 * the flow (never lower it), each move in the history with its reason;
 * indicators, their sources and publications are kept; merges add up.
 * The people's side is in test_inc_act.c.
 */

#define _GNU_SOURCE /* asprintf */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "inctest.h"
#include "isog.h"
#include "isog_flow.h"

/* The hashed indicator lookup gives what the scan gives, past the cap
 * too, and an index built late (from the array) agrees. */
static void
test_indicator_index(void **state)
{
	struct cfg *c = cfg();
	json_t *plain =
		   inc_new("i9", "192.168.10.80", NULL, "triage", NULL, c, 0),
	       *fast = json_deep_copy(plain), *ix = json_object();
	struct dalert a;
	char err[128], src[16], val[32];
	int i;

	(void)state;
	for (i = 0; i < INC_MAX_INDICATORS * 2 + 7; i++) {
		char *text = alert(
		    "id", "triage", "192.168.10.80", "203.0.113.9", 1860001);

		assert_int_equal(dalert_parse(text, strlen(text), &a, strs, err,
				     sizeof(err)),
		    0);
		free(text);
		snprintf(val, sizeof(val), "d%d.example",
		    i % (INC_MAX_INDICATORS + 3));
		a.ind_value = val;
		snprintf(src, sizeof(src), "s%d", i % 3);
		a.sources[0] = src;
		if (i == 20) { /* the desk dropped its index: built again */
			json_decref(ix);
			ix = json_object();
		}
		inc_take_alert(plain, &a, c, 1000, NULL);
		inc_take_alert(fast, &a, c, 1000, ix);
	}
	assert_int_equal(json_array_size(json_object_get(plain, "indicators")),
	    INC_MAX_INDICATORS);
	assert_int_equal(
	    json_array_size(json_object_get(
		json_array_get(json_object_get(plain, "indicators"), 0),
		"sources")),
	    3);
	assert_true(json_equal(plain, fast));
	json_decref(plain);
	json_decref(fast);
	json_decref(ix);
	cfg_free(c);
}

/* A batch taken at once (inc_take_alerts, as the desk does) gives what
 * taking its alerts one by one gives: 300 alerts, in batches of odd
 * sizes, of 40 signatures (past the signatures kept), indicators in runs
 * and alternating, sources changing, phases going up and down. */
static void
test_batch(void **state)
{
	static const char *const phases[] = {"triage", "detection-analysis",
	    "triage", "containment-eradication-recovery"};
	struct cfg *c = cfg();
	json_t *one =
		   inc_new("i9", "192.168.10.80", NULL, "triage", NULL, c, 0),
	       *batch = json_deep_copy(one), *ix1 = json_object(),
	       *ix2 = json_object();
	struct dalert *a = calloc(300, sizeof(*a));
	const struct dalert *v[300];
	char err[128], id[16], src[16], val[32];
	size_t i, at, n;

	(void)state;
	assert_non_null(a);
	for (i = 0; i < 300; i++) {
		char *text;

		snprintf(id, sizeof(id), "b%zu", i);
		text = alert(id, phases[(i / 70) % 4], "203.0.113.9",
		    "192.168.10.80", 1860000 + (long)(i * 7 % 40));
		assert_int_equal(dalert_parse(text, strlen(text), &a[i], strs,
				     err, sizeof(err)),
		    0);
		free(text);
		snprintf(
		    val, sizeof(val), "d%zu.example", i < 100 ? i / 10 : i % 3);
		a[i].ind_value = arena_strndup(strs, val, strlen(val));
		snprintf(src, sizeof(src), "s%zu", (i / 25) % 4);
		a[i].sources[0] = arena_strndup(strs, src, strlen(src));
		snprintf(
		    a[i].entry, sizeof(a[i].entry), "1700000000000-%zu", i);
		snprintf(a[i].ts, sizeof(a[i].ts), "2026-11-28T%02zu:%02zu:00Z",
		    i / 60, i % 60);
		v[i] = &a[i];
	}
	for (i = 0; i < 300; i++)
		inc_take_alert(one, &a[i], c, 1000, ix1);
	for (at = 0, n = 1; at < 300; at += n, n = n * 3 + 1)
		inc_take_alerts(
		    batch, v + at, at + n > 300 ? 300 - at : n, c, 1000, ix2);
	assert_true(json_equal(one, batch));
	assert_int_equal(json_integer_value(json_object_get(
			     json_object_get(batch, "alerts"), "count")),
	    300);
	json_decref(one);
	json_decref(batch);
	json_decref(ix1);
	json_decref(ix2);
	free(a);
	cfg_free(c);
}

static void
test_parse(void **state)
{
	struct cfg *c = cfg();
	struct dalert a;
	char err[128],
	    *t = alert("a1", "detection-analysis", "203.0.113.9",
		"192.168.10.80", 1869001);
	const char *compact =
	    "{\"src_ip\":\"192.168.1.5\",\"dest_ip\":\"198.51.100.7\","
	    "\"sankaku\":{\"id\":\"c1\",\"ref\":\"0a\",\"phase\":"
	    "\"containment-eradication-recovery\",\"sources\":[\"a\",\"b\"]}}";

	(void)state;
	assert_int_equal(
	    dalert_parse(t, strlen(t), &a, strs, err, sizeof(err)), 0);
	assert_string_equal(a.id, "a1");
	assert_string_equal(a.phase, "detection-analysis");
	assert_int_equal(a.sid, 1869001);
	assert_int_equal(a.nsources, 1);
	assert_string_equal(a.sources[0], "jpcert-ew");
	assert_string_equal(dalert_asset(&a, c), "192.168.10.80");
	assert_int_equal(
	    dalert_parse(compact, strlen(compact), &a, strs, err, sizeof(err)),
	    0);
	assert_string_equal(a.phase, "containment-eradication-recovery");
	assert_int_equal(a.nsources, 2);
	assert_string_equal(dalert_asset(&a, c), "192.168.1.5");
	assert_int_equal(
	    dalert_parse("{\"x\":1}", 7, &a, strs, err, sizeof(err)), -1);
	assert_int_equal(
	    dalert_parse("nope", 4, &a, strs, err, sizeof(err)), -1);
	free(t);
	cfg_free(c);
}

/* Japanese text longer than the room kept for it: a rule's message of
 * a hundred characters (300 bytes, raw or as \u escapes, as JSON
 * writers send it) is cut between characters, not dropped, and a history
 * note cut inside a character keeps the rest. */
static void
test_long_text(void **state)
{
	struct cfg *c = cfg();
	struct dalert a;
	char err[128], sig[700], note[64], *t;
	json_t *inc, *h;
	size_t i, n;

	(void)state;
	for (i = 0; i < 2; i++) {
		for (n = 0; n < 100; n++)
			memcpy(sig + (i == 0 ? 3 : 6) * n,
			    i == 0 ? "\xe6\xa4\x9c" : "\\u691c",
			    i == 0 ? 3 : 6);
		sig[(i == 0 ? 3 : 6) * 100] = '\0';
		assert_true(
		    asprintf(&t,
			"{\"src_ip\":\"192.168.1.5\",\"dest_ip\":"
			"\"198.51.100.7\",\"alert\":{\"signature_id\":1,"
			"\"signature\":\"x%s\"},\"sankaku\":{\"id\":"
			"\"c1\",\"phase\":\"triage\"}}",
			sig) > 0);
		assert_int_equal(
		    dalert_parse(t, strlen(t), &a, strs, err, sizeof(err)), 0);
		/* "x" and 84 characters: 253 of the 255 bytes */
		assert_int_equal(strlen(a.signature), 1 + 3 * 84);
		assert_memory_equal(a.signature, "x\xe6\xa4\x9c", 4);
		free(t);
	}
	inc = inc_new("i1", "192.168.1.5", NULL, "triage", NULL, c, 0);
	note[0] = 'a'; /* then the signature, ending inside a character */
	memcpy(note + 1, a.signature, sizeof(note) - 2);
	note[sizeof(note) - 1] = '\0';
	inc_history(inc, &(struct desk_who){"analyst", NULL}, "note", NULL,
	    NULL, NULL, note, 0);
	h = last_entry(inc);
	assert_string_equal(
	    json_string_value(json_object_get(h, "action")), "note");
	assert_non_null(json_object_get(h, "note"));
	assert_int_equal(
	    json_string_length(json_object_get(h, "note")), 2 + 3 * 20);
	json_decref(inc);
	cfg_free(c);
}

/* A URL indicator longer than a line of text (a phishing link with its
 * query, 600 bytes) is the incident's like any other: a verdict on it is
 * taken.  One longer than any index holds is passed over. */
static void
test_long_indicator(void **state)
{
	struct cfg *c = cfg();
	json_t *inc =
		   inc_new("i1", "192.168.10.80", NULL, "triage", NULL, c, 0),
	       *x;
	char url[5000], err[400], *t;
	struct inc_action act = {
	    .action = "verdict", .verdict = "benign", .ind_type = "url"};
	struct desk_who who = {"aoi", "soc"};
	struct dalert a;

	(void)state;
	strcpy(url, "login.example/common/oauth2/authorize?client_id=");
	memset(url + strlen(url), 'q', 600 - strlen(url));
	url[600] = '\0';
	assert_true(asprintf(&t,
			"{\"src_ip\":\"192.168.10.80\",\"dest_ip\":"
			"\"198.51.100.7\",\"alert\":{\"signature_id\":1,"
			"\"signature\":\"s\"},\"sankaku\":{\"id\":\"c1\","
			"\"phase\":\"triage\",\"indicator\":{\"type\":"
			"\"url\",\"value\":\"%s\"}}}",
			url) > 0);
	assert_int_equal(
	    dalert_parse(t, strlen(t), &a, strs, err, sizeof(err)), 0);
	free(t);
	inc_take_alert(inc, &a, c, 1000, NULL);
	x = json_array_get(json_object_get(inc, "indicators"), 0);
	assert_non_null(x);
	assert_string_equal(
	    json_string_value(json_object_get(x, "value")), url);
	act.ind_value = url;
	assert_int_equal(
	    inc_act(inc, &act, &who, c, 10, err, sizeof(err)), 200);

	memset(url, 'q', sizeof(url) - 1); /* longer than any index's */
	url[sizeof(url) - 1] = '\0';
	assert_true(asprintf(&t,
			"{\"src_ip\":\"192.168.10.80\",\"sankaku\":{\"id\":"
			"\"c2\",\"phase\":\"triage\",\"indicator\":{"
			"\"type\":\"url\",\"value\":\"%s\"}}}",
			url) > 0);
	assert_int_equal(
	    dalert_parse(t, strlen(t), &a, strs, err, sizeof(err)), 0);
	assert_string_equal(a.ind_value, "");
	free(t);
	json_decref(inc);
	cfg_free(c);
}

/* The lists' strings: as long as an id may be, kept whole; longer,
 * passed over (never cut); each alert's own, after the next is read. */
static void
test_parse_lists(void **state)
{
	char src64[65], src65[66], id159[160], id160[161], text[1024], err[128];
	struct dalert a, b;

	(void)state;
	memset(src64, 'a', 64), src64[64] = '\0';
	memset(src65, 'b', 65), src65[65] = '\0';
	memset(id159, 'c', 159), id159[159] = '\0';
	memset(id160, 'd', 160), id160[160] = '\0';
	snprintf(text, sizeof(text),
	    "{\"dest_ip\":\"192.168.10.80\",\"sankaku\":{\"id\":\"L1\","
	    "\"phase\":\"triage\",\"sources\":[\"%s\",\"%s\",\"s3\"],"
	    "\"indicator\":{\"type\":\"domain\",\"value\":\"x.example\","
	    "\"refs\":[{\"source\":\"%s\",\"id\":\"%s\"},"
	    "{\"source\":\"s3\",\"id\":\"%s\"}]}}}",
	    src64, src65, src64, id159, id160);
	assert_int_equal(
	    dalert_parse(text, strlen(text), &a, strs, err, sizeof(err)), 0);
	assert_int_equal(a.nsources, 2);
	assert_string_equal(a.sources[0], src64);
	assert_string_equal(a.sources[1], "s3");
	assert_int_equal(a.nrefs, 1);
	assert_string_equal(a.ref_source[0], src64);
	assert_string_equal(a.ref_id[0], id159);
	snprintf(text, sizeof(text),
	    "{\"dest_ip\":\"192.168.10.81\",\"sankaku\":{\"id\":\"L2\","
	    "\"phase\":\"triage\",\"sources\":[\"other\"]}}");
	assert_int_equal(
	    dalert_parse(text, strlen(text), &b, strs, err, sizeof(err)), 0);
	assert_string_equal(b.sources[0], "other");
	assert_string_equal(a.sources[0], src64);
	assert_string_equal(a.ref_id[0], id159);
}

/* Each source's own publication on the incident's indicator, the
 * earliest kept: from published_by, or from published when one source
 * listed it; a time that is not one is left out. */
static void
test_published_by(void **state)
{
	struct cfg *c = cfg();
	json_t *inc =
		   inc_new("i1", "192.168.10.80", NULL, "triage", NULL, c, 0),
	       *by;
	const char
	    *two = "{\"dest_ip\":\"192.168.10.80\",\"sankaku\":{\"id\":\"p1\","
		   "\"phase\":\"triage\",\"sources\":[\"a\",\"b\"],"
		   "\"indicator\":{\"type\":\"domain\",\"value\":\"x.example\","
		   "\"published\":\"2026-11-01T00:00:00Z\",\"published_by\":["
		   "{\"source\":\"a\",\"published\":\"2026-11-02T00:00:00Z\"},"
		   "{\"source\":\"b\",\"published\":\"2026-11-01T00:00:00Z\"},"
		   "{\"source\":\"c\",\"published\":\"yesterday\"}]}}}",
	    *earlier =
		"{\"dest_ip\":\"192.168.10.80\",\"sankaku\":{\"id\":\"p2\","
		"\"phase\":\"triage\",\"sources\":[\"a\"],"
		"\"indicator\":{\"type\":\"domain\",\"value\":\"x.example\","
		"\"published\":\"2026-10-30T12:00:00Z\"}}}";
	struct dalert a;
	char err[128];

	(void)state;
	assert_int_equal(
	    dalert_parse(two, strlen(two), &a, strs, err, sizeof(err)), 0);
	assert_int_equal(a.npubs, 2);
	inc_take_alert(inc, &a, c, 1000, NULL);
	by = json_object_get(
	    json_array_get(json_object_get(inc, "indicators"), 0),
	    "published_by");
	assert_int_equal(json_object_size(by), 2);
	assert_string_equal(json_string_value(json_object_get(by, "a")),
	    "2026-11-02T00:00:00Z");
	/* one source, its published: earlier than a's, so it replaces it */
	assert_int_equal(
	    dalert_parse(earlier, strlen(earlier), &a, strs, err, sizeof(err)),
	    0);
	inc_take_alert(inc, &a, c, 1000, NULL);
	assert_string_equal(json_string_value(json_object_get(by, "a")),
	    "2026-10-30T12:00:00Z");
	assert_string_equal(json_string_value(json_object_get(by, "b")),
	    "2026-11-01T00:00:00Z");
	/* Suricata's local times: +0900 is nine hours before UTC */
	assert_int_equal(time_parse("2026-11-20T10:00:00.123456+0900"),
	    time_parse("2026-11-20T01:00:00Z"));
	assert_int_equal(time_parse("2026-11-20T01:00:00-05:30"),
	    time_parse("2026-11-20T06:30:00Z"));
	assert_int_equal(time_parse("2026-11-20T01:00:00+99"), -1);
	/* the fixed form read by hand gives timegm's seconds: every day
	 * from 1900 to 2200, the ends of months (and past them), leap
	 * seconds, and what only strptime reads */
	{
		static const int ends[] = {28, 29, 30, 31};
		int y, m, k;

		for (y = 1900; y <= 2200; y++)
			for (m = 1; m <= 12; m++)
				for (k = 0; k < 4; k++) {
					struct tm tm = {0};
					char s[40];

					tm.tm_year = y - 1900;
					tm.tm_mon = m - 1;
					tm.tm_mday = ends[k];
					tm.tm_hour = (y + m) % 24;
					tm.tm_min = (y * m) % 60;
					tm.tm_sec = k == 3 ? 60 : (y % 60);
					snprintf(s, sizeof(s),
					    "%04d-%02d-%02dT%02d:%02d:%02dZ", y,
					    m, ends[k], tm.tm_hour, tm.tm_min,
					    tm.tm_sec);
					if (time_parse(s) != timegm(&tm))
						fail_msg(
						    "%s: %lld, timegm %lld", s,
						    (long long)time_parse(s),
						    (long long)timegm(&tm));
				}
		assert_int_equal(time_parse("2026-11-20T1:00:00Z"),
		    time_parse("2026-11-20T01:00:00Z"));
		assert_int_equal(time_parse("2026-13-20T01:00:00Z"), -1);
		assert_int_equal(time_parse("2026-11-20T24:00:00Z"), -1);
		assert_int_equal(time_parse("2026-11-2xT01:00:00Z"), -1);
	}
	json_decref(inc);
	cfg_free(c);
}

/* Alerts join; the phase goes up with a history entry, never down. */
static void
test_alerts(void **state)
{
	struct cfg *c = cfg();
	json_t *inc =
	    inc_new("i1", "192.168.10.80", NULL, "triage", NULL, c, 0);
	char *a1 = alert("a1", "detection-analysis", "203.0.113.9",
		 "192.168.10.80", 1869001),
	     *a2 = alert("a2", "containment-eradication-recovery",
		 "192.168.10.80", "203.0.113.9", 1869006),
	     *a3 =
		 alert("a3", "triage", "203.0.113.9", "192.168.10.80", 1869001);
	json_t *h;

	(void)state;
	take(inc, c, a1, 1);
	take(inc, c, a2, 1);
	take(inc, c, a3, 0);
	assert_string_equal(phase(inc), "containment-eradication-recovery");
	assert_int_equal(json_integer_value(json_object_get(
			     json_object_get(inc, "alerts"), "count")),
	    3);
	assert_int_equal(
	    json_array_size(json_object_get(inc, "signatures")), 2);
	assert_int_equal(
	    json_integer_value(json_object_get(
		json_array_get(json_object_get(inc, "signatures"), 0),
		"count")),
	    2);
	assert_int_equal(json_array_size(json_object_get(inc, "sources")), 1);
	h = json_object_get(inc, "history");
	assert_int_equal(json_array_size(h), 2);
	assert_string_equal(
	    json_string_value(json_object_get(json_array_get(h, 1), "to")),
	    "containment-eradication-recovery");
	assert_non_null(strstr(
	    json_string_value(json_object_get(json_array_get(h, 1), "note")),
	    "1869006"));
	json_decref(inc);
	free(a1);
	free(a2);
	free(a3);
	cfg_free(c);
}

static void
test_merge(void **state)
{
	struct cfg *c = cfg();
	json_t *a = inc_new("a", "192.168.1.1", NULL, "triage", NULL, c, 0),
	       *b = inc_new("b", "192.168.1.1", NULL, "triage", NULL, c, 0);
	char *x = alert("x", "triage", "203.0.113.9", "192.168.1.1", 7);
	struct desk_who w = {"aoi", NULL};

	(void)state;
	take(a, c, x, 0);
	take(a, c, x, 0);
	take(b, c, x, 0);
	inc_merge(a, b, &w, 5);
	assert_int_equal(json_integer_value(json_object_get(
			     json_object_get(b, "alerts"), "count")),
	    3);
	assert_int_equal(
	    json_integer_value(json_object_get(
		json_array_get(json_object_get(b, "signatures"), 0), "count")),
	    3);
	assert_string_equal(
	    json_string_value(json_object_get(a, "verdict")), "duplicate");
	assert_string_equal(
	    json_string_value(json_object_get(a, "merged_into")), "b");
	/* each history entry names the other incident */
	assert_string_equal(last_said(a, "incident"), "b");
	assert_string_equal(last_said(b, "incident"), "a");
	json_decref(a);
	json_decref(b);
	free(x);
	cfg_free(c);
}

/* alerts.first and .last are the earliest and the latest activity by
 * the alerts' own times, whatever order they come in and whatever UTC
 * offset the sensor wrote; a merge widens them too. */
static void
test_first_last(void **state)
{
	static const char *const ts[] = {
	    "2026-11-28T01:00:10.000000+0000", /* first to arrive */
	    "2026-11-28T01:00:00.000000+0000", /* earlier, after it */
	    "2026-11-28T09:30:00.000000+0900", /* 00:30 UTC: the earliest */
	    "2026-11-28T02:00:00.000000+0000", /* the latest */
	    "2026-11-28T01:59:00.000000+0000",
	    "yesterday, about noon, UTC+00:00 ", /* not a time */
	};
	struct cfg *c = cfg();
	json_t *inc = inc_new("a", "192.168.1.1", NULL, "triage", NULL, c, 0),
	       *b = inc_new("b", "192.168.1.1", NULL, "triage", NULL, c, 0),
	       *al = json_object_get(inc, "alerts");
	struct desk_who w = {"aoi", NULL};
	char *x;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(ts) / sizeof(ts[0]); i++) {
		take(inc, c,
		    x = alert_ts(
			"x", "triage", "203.0.113.9", "192.168.1.1", 7, ts[i]),
		    0);
		free(x);
	}
	assert_string_equal(json_string_value(json_object_get(al, "first")),
	    "2026-11-28T09:30:00.000000+0900");
	assert_string_equal(json_string_value(json_object_get(al, "last")),
	    "2026-11-28T02:00:00.000000+0000");
	/* b saw one alert later than all of them: merged into b, b spans
	 * both */
	take(b, c,
	    x = alert_ts("y", "triage", "203.0.113.9", "192.168.1.1", 7,
		"2026-11-28T03:00:00.000000+0000"),
	    0);
	free(x);
	inc_merge(inc, b, &w, 5);
	al = json_object_get(b, "alerts");
	assert_string_equal(json_string_value(json_object_get(al, "first")),
	    "2026-11-28T09:30:00.000000+0900");
	assert_string_equal(json_string_value(json_object_get(al, "last")),
	    "2026-11-28T03:00:00.000000+0000");
	json_decref(inc);
	json_decref(b);
	cfg_free(c);
}

/* The desk's own history entries cite the alert that made them, for the
 * console to say in Japanese what the note says in English. */
static void
test_history_cites(void **state)
{
	struct cfg *c = cfg();
	json_t *inc = inc_new("a", "192.168.1.1", NULL, "triage", NULL, c, 0),
	       *a;
	char *x = alert(
	    "a1", "detection-analysis", "203.0.113.9", "192.168.1.1", 2025655);

	(void)state;
	take(inc, c, x, 1);
	a = json_object_get(last_entry(inc), "alert");
	assert_string_equal(last_said(inc, "action"), "evidence");
	assert_string_equal(json_string_value(json_object_get(a, "id")), "a1");
	assert_int_equal(
	    json_integer_value(json_object_get(a, "sid")), 2025655);
	assert_string_equal(json_string_value(json_object_get(a, "signature")),
	    "<script>x</script>");
	assert_string_equal(json_string_value(json_object_get(a, "evidence")),
	    "attack-attempt");
	{
		char err[200];

		assert_int_equal(inc_check(inc, err, sizeof(err)), 0);
	}
	json_decref(inc);
	free(x);
	cfg_free(c);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_parse),
	    cmocka_unit_test(test_long_text),
	    cmocka_unit_test(test_long_indicator),
	    cmocka_unit_test(test_parse_lists),
	    cmocka_unit_test(test_published_by),
	    cmocka_unit_test(test_batch),
	    cmocka_unit_test(test_alerts),
	    cmocka_unit_test(test_indicator_index),
	    cmocka_unit_test(test_merge),
	    cmocka_unit_test(test_first_last),
	    cmocka_unit_test(test_history_cites),
	};

	return cmocka_run_group_tests(tests, inc_setup, inc_teardown);
}
