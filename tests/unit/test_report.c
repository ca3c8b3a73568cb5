/* test_report.c: an incident as we would share it (inc_report.c), and
 * the peers it is made of (inc_peers.c): only what our own detections
 * saw acting against us, never a host of ours, a private address, a
 * victim, a service in use or a feed's indicator. */

#define _GNU_SOURCE /* asprintf */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "inctest.h"
#include "stixout.h"

/* An alert of a rule of our own, from src to dst, with that evidence:
 * what it saw named as an indicator no source gave (its source's
 * address here), as the enrichment does. */
static char *
own(const char *src, const char *dst, const char *evidence)
{
	char *s;

	assert_true(
	    asprintf(&s,
		"{\"timestamp\":\"2026-11-28T01:00:00.000001+0000\","
		"\"src_ip\":\"%s\",\"dest_ip\":\"%s\",\"event_type\":"
		"\"alert\",\"alert\":{\"signature_id\":7,"
		"\"signature\":\"ET EXPLOIT x\"},\"sankaku\":{\"id\":\"a\","
		"\"phase\":{\"id\":\"detection-analysis\"},\"kpi\":"
		"\"attack-condition\",\"evidence\":\"%s\",\"indicator\":"
		"{\"type\":\"ip\",\"value\":\"%s\"},\"sources\":[]}}",
		src, dst, evidence, src) > 0);
	return s;
}

/* The alerts about 192.168.1.5 (whose other end counts?): a shared
 * indicator's alert from 203.0.113.200 (no: the source's); attacked
 * from 203.0.113.66 twice (yes), then answering it with signs of
 * compromise (yes); calling out to 198.51.100.7, which a feed lists (yes,
 * but not shared); attacked from 10.1.1.1 (yes, private) and over IPv6
 * written in full (yes); attacking 198.51.100.99 itself (no: a victim);
 * a policy alert towards 8.8.8.8 (no: a service in use). */
#define NALERTS 9
static const struct {
	const char *src, *dst, *evidence;
} seen[NALERTS] = {
    {"203.0.113.200", "192.168.1.5", NULL}, /* alert(): an indicator */
    {"203.0.113.66", "192.168.1.5", "attack-attempt"},
    {"203.0.113.66", "192.168.1.5", "attack-attempt"},
    {"192.168.1.5", "203.0.113.66", "compromise"},
    {"192.168.1.5", "198.51.100.7", "compromise"},
    {"10.1.1.1", "192.168.1.5", "recon"},
    {"2001:0db8:0000:0000:0000:0000:0000:0066", "192.168.1.5", "blocked"},
    {"192.168.1.5", "198.51.100.99", "attack-attempt"},
    {"192.168.1.5", "8.8.8.8", "policy"},
};

static char *
seen_text(size_t i)
{
	return seen[i].evidence != NULL
	    ? own(seen[i].src, seen[i].dst, seen[i].evidence)
	    : alert("a9", "detection-analysis", seen[i].src, seen[i].dst, 9);
}

/* The incident of those alerts, with the feed's 198.51.100.7:443. */
static json_t *
attacked(struct cfg *c)
{
	json_t *inc = inc_new(
	    "20261128-000001", "192.168.1.5", NULL, "triage", NULL, c, 1000);
	size_t i;

	for (i = 0; i < NALERTS; i++) {
		char *text = seen_text(i);

		take(inc, c, text, i == 0);
		free(text);
	}
	json_array_append_new(json_object_get(inc, "indicators"),
	    json_pack("{s:s, s:s, s:[s]}", "type", "ip-port", "value",
		"198.51.100.7:443", "sources", "jpcert-ew"));
	return inc;
}

static void
test_peers(void **state)
{
	struct cfg *c = cfg();
	json_t *inc = attacked(c), *p, *want;

	(void)state;
	p = json_object_get(inc, "peers");
	/* in the order first seen, each where it first stood */
	want = json_loads("[{\"ip\": \"203.0.113.66\", \"end\": \"src\", "
			  "\"count\": 3}, {\"ip\": \"198.51.100.7\", \"end\": "
			  "\"dst\", \"count\": 1}, {\"ip\": \"10.1.1.1\", "
			  "\"end\": \"src\", \"count\": 1}, {\"ip\": "
			  "\"2001:db8::66\", \"end\": \"src\", \"count\": 1}]",
	    0, NULL);
	if (!json_equal(p, want))
		fail_msg("peers: %s", json_dumps(p, 0));
	json_decref(want);
	json_decref(inc);
	cfg_free(c);
}

/* Counted through the index the desk keeps beside an incident, as
 * without it; an index made for an incident read back from Redis finds
 * the peers it already had, and the indicators too. */
static void
test_peers_index(void **state)
{
	struct cfg *c = cfg();
	json_t *plain = attacked(c),
	       *inc = inc_new("20261128-000001", "192.168.1.5", NULL, "triage",
		   NULL, c, 1000),
	       *ix = json_object();
	struct dalert a[NALERTS + 1];
	const struct dalert *v[NALERTS + 1];
	char *text, err[128];
	size_t i;

	(void)state;
	for (i = 0; i <= NALERTS; i++) { /* and the indicator's again */
		text = seen_text(i % NALERTS);
		assert_int_equal(dalert_parse(text, strlen(text), &a[i], strs,
				     err, sizeof(err)),
		    0);
		free(text);
		v[i] = &a[i];
	}
	inc_take_alerts(inc, v, 3, c, 1000, ix);
	json_decref(ix);
	ix = json_object(); /* as after a load: the index made anew */
	inc_take_alerts(inc, v + 3, NALERTS + 1 - 3, c, 1000, ix);
	assert_true(json_equal(
	    json_object_get(inc, "peers"), json_object_get(plain, "peers")));
	/* each indicator once, through the same index: the peers of the
	 * alerts before the shared one's second alert were indexed first
	 * (plain has the feed's ip-port besides) */
	assert_int_equal(json_array_size(json_object_get(inc, "indicators")),
	    json_array_size(json_object_get(plain, "indicators")) - 1);
	json_decref(ix);
	json_decref(inc);
	json_decref(plain);
	cfg_free(c);
}

static void
test_stix(void **state)
{
	struct cfg *c = cfg();
	json_t *inc = attacked(c), *b, *objs, *o, *rep;
	char err[200], *text;
	int code;
	size_t i, nind = 0;

	(void)state;
	b = inc_report(
	    inc, c, "stix", "green", "Example CSIRT", &code, err, sizeof(err));
	assert_non_null(b);
	assert_int_equal(code, 200);
	text = json_dumps(b, 0);
	/* nothing of ours, nothing private, nothing a feed gave */
	assert_null(strstr(text, "192.168.1.5"));
	assert_null(strstr(text, "10.1.1.1"));
	assert_null(strstr(text, "198.51.100.7"));
	free(text);
	/* the same incident, the same bytes: a second export is the same
	 * version of each object, not a new one */
	{
		json_t *again = inc_report(inc, c, "stix", "green",
		    "Example CSIRT", &code, err, sizeof(err));

		assert_true(json_equal(b, again));
		json_decref(again);
	}
	objs = json_object_get(b, "objects");
	assert_string_equal(
	    json_string_value(json_object_get(json_array_get(objs, 0), "type")),
	    "identity");
	rep = json_array_get(objs, json_array_size(objs) - 1);
	assert_string_equal(
	    json_string_value(json_object_get(rep, "type")), "report");
	json_array_foreach (objs, i, o) {
		const char *t = json_string_value(json_object_get(o, "type"));

		if (strcmp(t, "indicator") != 0)
			continue;
		nind++;
		assert_string_equal(
		    json_string_value(json_array_get(
			json_object_get(o, "object_marking_refs"), 0)),
		    "marking-definition--34098fce-860f-48ae-8e50-"
		    "ebd3cc5e41da");
		assert_string_equal(
		    json_string_value(json_object_get(o, "valid_from")),
		    "2026-11-28T01:00:00Z");
		/* created when the incident was opened, modified when it
		 * last changed: STIX versions of one object */
		assert_string_equal(
		    json_string_value(json_object_get(o, "created")),
		    json_string_value(json_object_get(inc, "opened_at")));
		assert_string_equal(
		    json_string_value(json_object_get(o, "modified")),
		    json_string_value(json_object_get(inc, "updated_at")));
		assert_int_equal(
		    json_integer_value(json_object_get(o, "confidence")), 50);
		assert_string_equal(
		    json_string_value(json_array_get(
			json_object_get(rep, "object_refs"), nind - 1)),
		    json_string_value(json_object_get(o, "id")));
	}
	assert_int_equal(nind, 2);
	assert_string_equal(json_string_value(json_object_get(
				json_array_get(objs, 1), "pattern")),
	    "[ipv4-addr:value = '203.0.113.66']");
	assert_string_equal(json_string_value(json_object_get(
				json_array_get(objs, 2), "pattern")),
	    "[ipv6-addr:value = '2001:db8::66']");
	json_decref(b);
	/* anonymous: no identity, no one named */
	b = inc_report(inc, c, "stix", "amber", "", &code, err, sizeof(err));
	text = json_dumps(b, 0);
	assert_null(strstr(text, "identity"));
	free(text);
	json_decref(b);
	json_decref(inc);
	cfg_free(c);
}

static void
test_misp(void **state)
{
	struct cfg *c = cfg();
	json_t *inc = attacked(c), *b, *ev, *at;
	char err[200];
	int code;

	(void)state;
	assert_int_equal(act(inc, c, "close", NULL, "true-positive"), 200);
	b = inc_report(
	    inc, c, "misp", "amber+strict", NULL, &code, err, sizeof(err));
	assert_non_null(b);
	ev = json_object_get(b, "Event");
	assert_string_equal(
	    json_string_value(json_object_get(ev, "analysis")), "2");
	assert_string_equal(
	    json_string_value(json_object_get(ev, "date")), "2026-11-28");
	assert_string_equal(
	    json_string_value(json_object_get(
		json_array_get(json_object_get(ev, "Tag"), 0), "name")),
	    "tlp:amber+strict");
	at = json_object_get(ev, "Attribute");
	assert_int_equal(json_array_size(at), 2);
	assert_string_equal(
	    json_string_value(json_object_get(json_array_get(at, 0), "type")),
	    "ip-src");
	assert_true(
	    json_is_true(json_object_get(json_array_get(at, 0), "to_ids")));
	json_decref(b);
	json_decref(inc);
	cfg_free(c);
}

static void
test_refused(void **state)
{
	struct cfg *c = cfg();
	json_t *inc = attacked(c), *cve;
	char err[200];
	int code;

	(void)state;
	assert_null(
	    inc_report(inc, c, "csv", "amber", NULL, &code, err, sizeof(err)));
	assert_int_equal(code, 400);
	assert_null(
	    inc_report(inc, c, "stix", "red", NULL, &code, err, sizeof(err)));
	assert_int_equal(code, 400);
	assert_non_null(strstr(err, "tlp"));
	/* a feed's prefix holds the attacker, a feed's [v6]:port the other:
	 * nothing left of our own */
	json_array_append_new(json_object_get(inc, "indicators"),
	    json_pack("{s:s, s:s, s:[s]}", "type", "cidr", "value",
		"203.0.113.0/24", "sources", "jpcert-ew"));
	json_array_append_new(json_object_get(inc, "indicators"),
	    json_pack("{s:s, s:s, s:[s]}", "type", "ip-port", "value",
		"[2001:db8::66]:8443", "sources", "jpcert-ew"));
	assert_null(
	    inc_report(inc, c, "stix", "amber", NULL, &code, err, sizeof(err)));
	assert_int_equal(code, 409);
	assert_non_null(strstr(err, "nothing of our own"));
	assert_int_equal(act(inc, c, "close", NULL, "false-positive"), 200);
	assert_null(
	    inc_report(inc, c, "stix", "amber", NULL, &code, err, sizeof(err)));
	assert_int_equal(code, 409);
	assert_non_null(strstr(err, "false-positive"));
	/* a CVE's incident has no alerts of its own: nothing to share */
	cve = inc_new(
	    "20261128-000002", NULL, "CVE-2018-7600", "triage", NULL, c, 1000);
	assert_null(
	    inc_report(cve, c, "stix", "amber", NULL, &code, err, sizeof(err)));
	assert_int_equal(code, 409);
	json_decref(cve);
	json_decref(inc);
	cfg_free(c);
}

/* STIX times are UTC: a sensor's offset is taken away, not dropped. */
static void
test_stix_time(void **state)
{
	char t[32];

	(void)state;
	stix_time("2026-11-28T22:00:00.123456+0900", t);
	assert_string_equal(t, "2026-11-28T13:00:00Z");
	stix_time("2026-11-28T22:00:00Z", t);
	assert_string_equal(t, "2026-11-28T22:00:00Z");
	stix_time(NULL, t);
	assert_string_equal(t, "1970-01-01T00:00:00Z");
	stix_time("yesterday", t);
	assert_string_equal(t, "1970-01-01T00:00:00Z");
}

/* Merging two incidents adds up their peers. */
static void
test_merge(void **state)
{
	struct cfg *c = cfg();
	json_t *a = attacked(c), *b = attacked(c), *p;
	struct desk_who who = {"aoi", "soc"};

	(void)state;
	inc_merge(a, b, &who, 3000);
	p = json_array_get(json_object_get(b, "peers"), 0);
	assert_int_equal(json_integer_value(json_object_get(p, "count")), 6);
	json_decref(a);
	json_decref(b);
	cfg_free(c);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_peers),
	    cmocka_unit_test(test_peers_index),
	    cmocka_unit_test(test_stix),
	    cmocka_unit_test(test_misp),
	    cmocka_unit_test(test_refused),
	    cmocka_unit_test(test_merge),
	    cmocka_unit_test(test_stix_time),
	};

	return cmocka_run_group_tests(tests, inc_setup, inc_teardown);
}
