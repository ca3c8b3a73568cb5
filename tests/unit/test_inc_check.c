/*
 * test_inc_check.c: what the desk takes back from Redis.  Its own
 * incidents, however they were moved, pass the check; an incident with
 * any member of the wrong kind is refused with that member's path and
 * why (the desk logs it with the key and skips it); ids and mutes are
 * checked before they reach a key or a comparison.
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

/* An incident the desk made and moved through the flow. */
static json_t *
worked(struct cfg *c)
{
	json_t *inc = inc_new("20261128-000001", "192.168.10.80", NULL,
	    "triage", "attack-condition", c, 0);
	char *text = alert(
	    "a1", "detection-analysis", "203.0.113.9", "192.168.10.80", 7);

	take(inc, c, text, 1);
	free(text);
	assert_int_equal(act(inc, c, "ack", NULL, NULL), 200);
	assert_int_equal(act(inc, c, "share", NULL, NULL), 200);
	assert_int_equal(act(inc, c, "advance", "detected", NULL), 200);
	return inc;
}

/* Each stage of the desk's own incidents passes: new, worked, closed,
 * reopened, and as stored (serialised and read again). */
static void
test_own_pass(void **state)
{
	struct cfg *c = cfg();
	json_t *inc = inc_new("20261128-000002", NULL, "CVE-2018-7600",
		   "triage", "indirect-activity", c, 0),
	       *again;
	char err[200] = "", *doc;

	(void)state;
	assert_int_equal(inc_check(inc, err, sizeof(err)), 0);
	json_decref(inc);
	inc = worked(c);
	assert_int_equal(inc_check(inc, err, sizeof(err)), 0);
	assert_int_equal(act(inc, c, "close", NULL, "true-positive"), 200);
	assert_int_equal(inc_check(inc, err, sizeof(err)), 0);
	assert_int_equal(act(inc, c, "reopen", NULL, NULL), 200);
	doc = json_dumps(inc, JSON_COMPACT);
	again = json_loads(doc, 0, NULL);
	assert_int_equal(inc_check(again, err, sizeof(err)), 0);
	assert_string_equal(err, "");
	free(doc);
	json_decref(again);
	json_decref(inc);
	cfg_free(c);
}

/* The share action records the sharing in the history and leaves the
 * incident's members as they were (a CVE incident's "shared", who
 * shared it, was once overwritten with true). */
static void
test_share_keeps_shared(void **state)
{
	struct cfg *c = cfg();
	json_t *inc = inc_new("20261128-000003", NULL, "CVE-2018-7600",
		   "triage", "indirect-activity", c, 0),
	       *h;

	(void)state;
	json_object_set_new(inc, "shared",
	    json_pack("[{s:s, s:s}]", "id", "jpcert-ew", "published",
		"2026-11-27T00:00:00Z"));
	assert_int_equal(act(inc, c, "share", NULL, NULL), 200);
	assert_true(json_is_array(json_object_get(inc, "shared")));
	assert_string_equal(
	    json_string_value(json_object_get(
		json_array_get(json_object_get(inc, "shared"), 0), "id")),
	    "jpcert-ew");
	h = json_array_get(json_object_get(inc, "history"),
	    json_array_size(json_object_get(inc, "history")) - 1);
	assert_string_equal(
	    json_string_value(json_object_get(h, "action")), "share");
	assert_string_equal(
	    json_string_value(json_object_get(h, "to")), "information-sharing");
	json_decref(inc);
	cfg_free(c);
}

/* One change to a good incident (a JSON Pointer-like path, the value
 * as JSON text, NULL to remove the member) and the error expected. */
static const struct {
	const char *path, *value, *err;
} bad[] = {
    {"id", NULL, "id: missing"},
    {"id", "\"2026 11\"", "id: not an id"},
    {"id", "\"\"", "id: not an id"},
    {"id", "\"\\u001b[31m\"", "id: not an id"},
    {"state", NULL, "state: missing"},
    {"state", "\"pending\"", "state: neither \"open\" nor \"closed\""},
    {"state", "1", "state: neither \"open\" nor \"closed\""},
    {"phase", "\"triage\"", "phase: not a phase of the flow"},
    {"phase", "{\"id\": \"lunch\"}", "phase: not a phase of the flow"},
    {"asset", "[]", "asset: not a string"},
    {"opened_at", "\"yesterday\"",
	"opened_at: not a time (YYYY-MM-DDTHH:MM:SSZ)"},
    {"updated_at", "null", "updated_at: not a time (YYYY-MM-DDTHH:MM:SSZ)"},
    {"owner", "{}", "owner: not a string"},
    {"kpi_name", "\"x\"", "kpi_name: not an object"},
    {"kpi_name/en", "1", "kpi_name.en: not a string"},
    {"alerts", "[]", "alerts: not an object"},
    {"alerts/count", "-1", "alerts.count: not a count"},
    {"alerts/count", "1.5", "alerts.count: not a count"},
    {"alerts/recent", "[1]", "alerts.recent: not an array of strings"},
    {"alerts/entries", "{\"a\": 1}",
	"alerts.entries: not an object of strings"},
    {"signatures", "{}", "signatures: not an array"},
    {"signatures/0/sid", "\"7\"", "signatures[0].sid: not an integer"},
    {"signatures/0", "7", "signatures[0]: not an object"},
    {"indicators/0/value", NULL, "indicators[0].value: missing"},
    {"indicators/0/sources", "\"jpcert-ew\"",
	"indicators[0].sources: not an array of strings"},
    {"indicators/0/refs", "[]", "indicators[0].refs: not an object of strings"},
    {"sources/0/id", "null", "sources[0].id: not a string"},
    {"history/0/at", "5", "history[0].at: not a time (YYYY-MM-DDTHH:MM:SSZ)"},
    {"history/0/by", "\"aoi\"", "history[0].by: not an object"},
    {"history/0/by/user", NULL, "history[0].by.user: missing"},
    {"history/1/action", "true", "history[1].action: not a string"},
    {"history/0/alert/sid", "\"7\"", "history[0].alert.sid: not an integer"},
    {"who/0/code", "3", "who[0].code: not a string"},
    {"what/0/done", "\"yes\"", "what[0].done: not true or false"},
    {"teams", "[null]", "teams: not an array of strings"},
    {"checklist", "{\"triage\": 5}", "checklist: not an object of arrays"},
    {"closed_from", "{}", "closed_from: not a phase of the flow"},
    {"merged_into", "\"a b\"", "merged_into: not an id"},
    {"indicator_verdicts", "[{\"type\": \"ip\"}]",
	"indicator_verdicts[0].value: missing"},
};

/* The member at path (its parent created as it is), set to v or, for
 * NULL, removed. */
static void
set_path(json_t *inc, const char *path, json_t *v)
{
	char *p = strdup(path), *save = NULL, *seg, *next;
	json_t *at = inc;

	for (seg = strtok_r(p, "/", &save); seg != NULL; seg = next) {
		int last = (next = strtok_r(NULL, "/", &save)) == NULL;
		char *end;
		long i = strtol(seg, &end, 10);

		if (json_is_array(at) && *end == '\0') {
			if (!last)
				at = json_array_get(at, (size_t)i);
			else if (v != NULL)
				json_array_set(at, (size_t)i, v);
			else
				json_array_remove(at, (size_t)i);
		} else if (!last)
			at = json_object_get(at, seg);
		else if (v != NULL)
			json_object_set(at, seg, v);
		else
			json_object_del(at, seg);
		assert_non_null(at);
	}
	free(p);
}

static void
test_bad_refused(void **state)
{
	struct cfg *c = cfg();
	json_t *good = worked(c);
	size_t i;

	(void)state;
	json_object_set_new(good, "indicator_verdicts", json_array());
	json_object_set_new(good, "closed_from", json_null());
	json_object_set_new(good, "merged_into", json_null());
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		json_t *inc = json_deep_copy(good),
		       *v = bad[i].value != NULL
		    ? json_loads(bad[i].value, JSON_DECODE_ANY, NULL)
		    : NULL;
		char err[200] = "";

		assert_true(bad[i].value == NULL || v != NULL);
		set_path(inc, bad[i].path, v);
		if (inc_check(inc, err, sizeof(err)) != -1)
			fail_msg("%s accepted", bad[i].path);
		if (strcmp(err, bad[i].err) != 0)
			fail_msg("%s: \"%s\", not \"%s\"", bad[i].path, err,
			    bad[i].err);
		json_decref(v);
		json_decref(inc);
	}
	{
		char err[200];

		assert_int_equal(inc_check(NULL, err, sizeof(err)), -1);
		assert_string_equal(err, "not a JSON object");
	}
	json_decref(good);
	cfg_free(c);
}

/* Members added after the first version may be missing; the contract's
 * own may not. */
static void
test_optional_members(void **state)
{
	static const char *const optional[] = {"teams", "checklist",
	    "closed_from", "kpi_name", "merged_into", "indicator_verdicts",
	    "shared", "rules"};
	struct cfg *c = cfg();
	json_t *inc = worked(c);
	char err[200];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(optional) / sizeof(optional[0]); i++)
		json_object_del(inc, optional[i]);
	json_object_del(json_object_get(inc, "alerts"), "entries");
	assert_int_equal(inc_check(inc, err, sizeof(err)), 0);
	json_object_del(inc, "who");
	assert_int_equal(inc_check(inc, err, sizeof(err)), -1);
	assert_string_equal(err, "who: missing");
	json_decref(inc);
	cfg_free(c);
}

static void
test_ids_and_mutes(void **state)
{
	json_t *m;

	(void)state;
	assert_true(inc_id_ok("20261128-000001"));
	assert_true(inc_id_ok("a.b_c:d-E"));
	assert_false(inc_id_ok(""));
	assert_false(inc_id_ok("a b"));
	assert_false(inc_id_ok("a/b"));
	assert_false(inc_id_ok("\x1b[31m"));
	assert_true(inc_id_ok("012345678901234567890123456789012345678901234567"
			      "8901234567890123"));
	assert_false(inc_id_ok("01234567890123456789012345678901234567890123456"
			       "789012345678901234"));

	m = json_pack(
	    "{s:s, s:i}", "until", "2026-11-29T00:00:00Z", "count", 3);
	assert_true(inc_mute_ok(m));
	json_object_del(m, "count");
	assert_true(inc_mute_ok(m));
	json_object_set_new(m, "count", json_string("3"));
	assert_false(inc_mute_ok(m));
	json_object_set_new(m, "count", json_integer(3));
	json_object_set_new(m, "until", json_string("tomorrow"));
	assert_false(inc_mute_ok(m));
	json_object_del(m, "until");
	assert_false(inc_mute_ok(m));
	json_decref(m);
	m = json_string("2026-11-29T00:00:00Z");
	assert_false(inc_mute_ok(m));
	json_decref(m);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_own_pass),
	    cmocka_unit_test(test_share_keeps_shared),
	    cmocka_unit_test(test_bad_refused),
	    cmocka_unit_test(test_optional_members),
	    cmocka_unit_test(test_ids_and_mutes),
	};

	return cmocka_run_group_tests(tests, inc_setup, inc_teardown);
}
