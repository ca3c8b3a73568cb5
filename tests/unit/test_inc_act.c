/*
 * test_inc_act.c: the desk's incident model, the people's side.  People
 * move an incident only along the flow chart's edges (a missing edge is
 * 409, a bad body 400, nothing changed); a verdict on one indicator is
 * kept once and in the history; who acts comes with teams, sourcing and
 * weak roles flagged, what the phase needs in Japanese and English,
 * ticked; the organisation document gives each function's maturity.
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

/* An analyst's verdict on one of the incident's indicators (what the
 * measured triangle and the suppress list count): only the three
 * verdicts, only an indicator the incident holds; a second verdict on it
 * replaces the first; each is in the history.  A note needs text within
 * the bound. */
static void
test_verdict(void **state)
{
	struct cfg *c = cfg();
	json_t *inc =
		   inc_new("i1", "192.168.10.80", NULL, "triage", NULL, c, 0),
	       *v, *h;
	char *text = alert(
		 "a1", "detection-analysis", "203.0.113.9", "192.168.10.80", 1),
	     err[400], *big;
	struct inc_action a = {.action = "verdict",
	    .verdict = "false-positive",
	    .ind_type = "domain",
	    .ind_value = "evil.example"};
	struct desk_who who = {"aoi", "soc"};
	size_t nh;

	(void)state;
	take(inc, c, text, 1);
	nh = json_array_size(json_object_get(inc, "history"));
	a.verdict = "maybe";
	assert_int_equal(inc_act(inc, &a, &who, c, 10, err, sizeof(err)), 400);
	a.verdict = "false-positive";
	a.ind_value = NULL;
	assert_int_equal(inc_act(inc, &a, &who, c, 10, err, sizeof(err)), 400);
	a.ind_value = "other.example";
	assert_int_equal(inc_act(inc, &a, &who, c, 10, err, sizeof(err)), 404);
	assert_non_null(strstr(err, "other.example"));
	assert_int_equal(json_array_size(json_object_get(inc, "history")), nh);
	assert_null(json_object_get(inc, "indicator_verdicts"));

	a.ind_value = "evil.example";
	assert_int_equal(inc_act(inc, &a, &who, c, 10, err, sizeof(err)), 200);
	a.verdict = "true-positive";
	assert_int_equal(inc_act(inc, &a, &who, c, 20, err, sizeof(err)), 200);
	v = json_object_get(inc, "indicator_verdicts");
	assert_int_equal(json_array_size(v), 1);
	v = json_array_get(v, 0);
	assert_string_equal(
	    json_string_value(json_object_get(v, "verdict")), "true-positive");
	assert_string_equal(json_string_value(json_object_get(v, "by")), "aoi");
	h = json_object_get(inc, "history");
	assert_int_equal(json_array_size(h), nh + 2);
	h = json_array_get(h, nh + 1);
	assert_string_equal(
	    json_string_value(json_object_get(h, "action")), "verdict");
	assert_string_equal(
	    json_string_value(json_object_get(h, "verdict")), "true-positive");
	assert_string_equal(json_string_value(json_object_get(h, "note")),
	    "domain evil.example: true-positive");

	a = (struct inc_action){.action = "note", .note = ""};
	assert_int_equal(inc_act(inc, &a, &who, c, 30, err, sizeof(err)), 400);
	assert_non_null(big = malloc(INC_MAX_NOTE + 2));
	memset(big, 'n', INC_MAX_NOTE + 1);
	big[INC_MAX_NOTE + 1] = '\0';
	a.note = big;
	assert_int_equal(inc_act(inc, &a, &who, c, 30, err, sizeof(err)), 400);
	a.note = "調査中：端末を隔離済み";
	assert_int_equal(inc_act(inc, &a, &who, c, 30, err, sizeof(err)), 200);
	h = json_object_get(inc, "history");
	assert_string_equal(
	    json_string_value(json_object_get(
		json_array_get(h, json_array_size(h) - 1), "note")),
	    "調査中：端末を隔離済み");
	free(big);
	free(text);
	json_decref(inc);
	cfg_free(c);
}

/* Along the chart's edges only; a refused move changes nothing. */
static void
test_flow(void **state)
{
	struct cfg *c = cfg();
	json_t *inc =
		   inc_new("i2", "192.168.10.80", NULL, "triage", NULL, c, 0),
	       *before;
	json_t *h;

	(void)state;
	before = json_deep_copy(inc);
	assert_int_equal(act(inc, c, "advance", "detected", NULL), 409);
	assert_int_equal(act(inc, c, "advance", NULL, NULL), 400);
	assert_int_equal(act(inc, c, "fly", NULL, NULL), 400);
	assert_int_equal(act(inc, c, "close", NULL, "maybe"), 400);
	assert_true(json_equal(inc, before));
	assert_int_equal(act(inc, c, "ack", NULL, NULL), 200);
	assert_string_equal(
	    json_string_value(json_object_get(inc, "owner")), "aoi");
	assert_int_equal(act(inc, c, "advance", "response-needed", NULL), 200);
	assert_string_equal(phase(inc), "detection-analysis");
	h = json_array_get(json_object_get(inc, "history"), 1);
	assert_string_equal(json_string_value(json_object_get(
				json_object_get(h, "decision"), "ja")),
	    "対応が必要");
	assert_string_equal(json_string_value(json_object_get(
				json_object_get(h, "by"), "team")),
	    "soc");
	assert_int_equal(act(inc, c, "advance", "detected", NULL), 200);
	assert_int_equal(act(inc, c, "share", NULL, NULL), 200);
	assert_int_equal(act(inc, c, "advance", "recovered", NULL), 200);
	assert_string_equal(phase(inc), "post-incident");
	assert_int_equal(act(inc, c, "advance", "lessons-learned", NULL), 200);
	assert_string_equal(
	    json_string_value(json_object_get(inc, "state")), "closed");
	assert_string_equal(phase(inc), "preparation");
	assert_int_equal(act(inc, c, "advance", "recovered", NULL), 409);
	assert_int_equal(act(inc, c, "reopen", NULL, NULL), 200);
	assert_string_equal(phase(inc), "post-incident");
	assert_int_equal(act(inc, c, "close", NULL, "true-positive"), 200);
	assert_string_equal(json_string_value(json_object_get(inc, "verdict")),
	    "true-positive");
	json_decref(before);
	json_decref(inc);
	cfg_free(c);
}

/* Who: teams, sourcing, maturity, weak; what: both languages, ticked. */
static void
test_who_what(void **state)
{
	struct cfg *c = cfg();
	json_t *inc = inc_new("i3", "192.168.10.80", NULL, "detection-analysis",
		   NULL, c, 0),
	       *who = json_object_get(inc, "who"), *x;
	struct inc_action chk = {.action = "check", .item = 1, .done = 1};
	struct desk_who w = {"aoi", NULL};
	char err[128];
	size_t i;
	int saw_b1 = 0, saw_b3 = 0, saw_g2 = 0;

	(void)state;
	json_array_foreach (who, i, x) {
		const char *code =
		    json_string_value(json_object_get(x, "code"));

		if (strcmp(code, "B-1") == 0) {
			saw_b1 = 1;
			assert_string_equal(
			    json_string_value(json_object_get(x, "sourcing")),
			    "outsource");
			assert_false(json_is_true(json_object_get(x, "weak")));
			assert_string_equal(
			    json_string_value(json_object_get(x, "ja")),
			    "リアルタイム基本分析");
		}
		if (strcmp(code, "B-3") == 0) { /* scored 2 */
			saw_b3 = 1;
			assert_true(json_is_true(json_object_get(x, "weak")));
		}
		if (strcmp(code, "G-2") == 0) { /* held by nobody */
			saw_g2 = 1;
			assert_true(json_is_null(json_object_get(x, "team")));
			assert_true(json_is_true(json_object_get(x, "weak")));
		}
	}
	assert_true(saw_b1 && saw_b3 && saw_g2);
	assert_int_equal(json_array_size(json_object_get(inc, "teams")), 2);
	x = json_object_get(inc, "what");
	assert_true(json_array_size(x) >= 3);
	assert_non_null(
	    json_string_value(json_object_get(json_array_get(x, 0), "ja")));
	assert_int_equal(inc_act(inc, &chk, &w, c, 1, err, sizeof(err)), 200);
	assert_true(json_is_true(json_object_get(
	    json_array_get(json_object_get(inc, "what"), 1), "done")));
	chk.item = 99;
	assert_int_equal(inc_act(inc, &chk, &w, c, 1, err, sizeof(err)), 400);
	json_decref(inc);
	cfg_free(c);
}

/* The organisation document the console's organisation and CISO views
 * read: the teams as configured, who acts in each phase, the ISOMM
 * maturity of each function (the mean of its scored roles), the flow's
 * decisions and the four KPI categories. */
static void
test_organisation(void **state)
{
	struct cfg *c = cfg();
	json_t *o = who_organisation(c), *f, *r;
	size_t i, nroles = 0;

	(void)state;
	assert_string_equal(json_string_value(json_object_get(
				json_object_get(o, "pattern"), "id")),
	    "hybrid");
	f = json_object_get(o, "teams");
	assert_int_equal(json_array_size(f), 2);
	assert_string_equal(
	    json_string_value(json_object_get(
		json_object_get(json_array_get(f, 0), "name"), "ja")),
	    "監視");
	assert_string_equal(json_string_value(json_object_get(
				json_array_get(f, 0), "sourcing")),
	    "outsource");
	assert_string_equal(json_string_value(json_object_get(
				json_array_get(f, 1), "sourcing")),
	    "insource");
	assert_int_equal(
	    json_array_size(json_object_get(o, "phases")), isog_nphases());
	json_array_foreach (json_object_get(o, "phases"), i, f)
		assert_true(json_array_size(json_object_get(f, "who")) > 0);
	f = json_object_get(o, "functions");
	/* A to I, and X: the departments outside the organisation */
	assert_int_equal(json_array_size(f), 10);
	json_array_foreach (f, i, r) {
		const char *code =
		    json_string_value(json_object_get(r, "code"));
		json_t *m = json_object_get(r, "maturity");

		nroles += json_array_size(json_object_get(r, "roles"));
		if (strcmp(code, "B") == 0) /* four at 4, B-3 at 2 */
			assert_true(json_real_value(m) > 3.59 &&
			    json_real_value(m) < 3.61);
		else if (strcmp(code, "C") == 0)
			assert_true(json_real_value(m) == 3.0);
		else
			assert_true(json_is_null(m));
	}
	assert_int_equal(nroles, 54 + 1); /* the textbook's 54, and X */
	assert_true(json_array_size(json_object_get(o, "decisions")) > 0);
	f = json_object_get(o, "kpis");
	assert_int_equal(json_array_size(f), 4);
	assert_string_equal(
	    json_string_value(json_object_get(json_array_get(f, 0), "id")),
	    "attack-condition");
	json_decref(o);
	cfg_free(c);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_flow),
	    cmocka_unit_test(test_verdict),
	    cmocka_unit_test(test_who_what),
	    cmocka_unit_test(test_organisation),
	};

	return cmocka_run_group_tests(tests, inc_setup, inc_teardown);
}
