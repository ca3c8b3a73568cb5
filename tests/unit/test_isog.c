/*
 * test_isog.c: the project's textbook tables against its copy of the
 * reference (tests/fixtures/isog_reference.json): every Japanese name
 * exactly as the textbook writes it, every code, the phases and who acts;
 * the incident flow's tables (organisation patterns, what each phase
 * needs, where each decision leads).
 */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "isog.h"
#include "isog_flow.h"

static json_t *ref;

/* Load the reference once. */
static int
setup(void **state)
{
	json_error_t err;

	(void)state;
	ref = json_load_file("../fixtures/isog_reference.json", 0, &err);
	return ref == NULL ? -1 : 0;
}

static int
teardown(void **state)
{
	(void)state;
	json_decref(ref);
	return 0;
}

/* All 54 roles: code, function, Japanese and English names. */
static void
test_roles(void **state)
{
	json_t *roles = json_object_get(ref, "roles"), *r;
	size_t i;

	(void)state;
	assert_int_equal(json_array_size(roles), 54);
	assert_int_equal(isog_nroles(), 55); /* and X */
	json_array_foreach (roles, i, r) {
		const struct isog_role *mine = isog_role_at(i);

		assert_non_null(mine);
		assert_string_equal(
		    mine->code, json_string_value(json_object_get(r, "code")));
		assert_string_equal(
		    mine->ja, json_string_value(json_object_get(r, "ja")));
		assert_string_equal(
		    mine->en, json_string_value(json_object_get(r, "en")));
		assert_string_equal(mine->function,
		    json_string_value(json_object_get(r, "function")));
		assert_ptr_equal(isog_role_find(mine->code), mine);
	}
	assert_string_equal(
	    isog_role_find("X")->ja, "事業部門・システム運用部門");
	assert_null(isog_role_find("J-1"));
	assert_null(isog_role_at(55));
}

/* The 9 functions and X. */
static void
test_functions(void **state)
{
	json_t *fs = json_object_get(ref, "functions"), *f;
	size_t i;

	(void)state;
	assert_int_equal(isog_nfunctions(), json_array_size(fs));
	json_array_foreach (fs, i, f) {
		assert_string_equal(isog_function_at(i)->code,
		    json_string_value(json_object_get(f, "code")));
		assert_string_equal(isog_function_at(i)->ja,
		    json_string_value(json_object_get(f, "ja")));
	}
}

/* Phases: ids, names and who acts. */
static void
test_phases(void **state)
{
	json_t *ps = json_object_get(ref, "phases"), *p, *rc;
	size_t i, j;

	(void)state;
	assert_int_equal(isog_nphases(), 6);
	json_array_foreach (ps, i, p) {
		const struct isog_phase *mine = isog_phase_at(i);

		assert_string_equal(
		    mine->id, json_string_value(json_object_get(p, "id")));
		assert_string_equal(
		    mine->ja, json_string_value(json_object_get(p, "ja")));
		assert_string_equal(
		    mine->en, json_string_value(json_object_get(p, "en")));
		json_array_foreach (json_object_get(p, "roles"), j, rc) {
			assert_non_null(mine->roles[j]);
			assert_string_equal(
			    mine->roles[j], json_string_value(rc));
			assert_non_null(isog_role_find(mine->roles[j]));
		}
		assert_null(mine->roles[j]);
	}
	assert_string_equal(
	    isog_phase_find("containment-eradication-recovery")->ja,
	    "封じ込め/根絶/復旧");
	assert_string_equal(isog_phase_find("preparation")->ja, "準備（予防）");
	assert_null(isog_phase_find("panic"));
}

/* The triangle and the KPI categories. */
static void
test_triangle_kpi(void **state)
{
	json_t *tr =
	    json_object_get(json_object_get(ref, "triangle"), "profiles");
	json_t *ks = json_object_get(
	    json_object_get(ref, "kpi_categories"), "categories");
	json_t *t;
	size_t i;

	(void)state;
	assert_int_equal(isog_ntriangles(), 3);
	json_array_foreach (tr, i, t) {
		const struct isog_triangle *mine = isog_triangle_find(
		    json_string_value(json_object_get(t, "id")));

		assert_non_null(mine);
		assert_string_equal(
		    mine->weak, json_string_value(json_object_get(t, "weak")));
		assert_string_equal(mine->caveat_ja,
		    json_string_value(json_object_get(t, "caveat_ja")));
		assert_string_equal(mine->caveat_en,
		    json_string_value(json_object_get(t, "caveat_en")));
	}
	assert_int_equal(isog_nkpis(), json_array_size(ks));
	json_array_foreach (ks, i, t) {
		assert_non_null(
		    isog_kpi_find(json_string_value(json_object_get(t, "id"))));
	}
	assert_null(isog_triangle_find("speed-cost"));
}

/* The flow tables against tests/fixtures/isog_reference.json. */
static void
test_flow_tables(void **state)
{
	json_t *pats, *p, *ph;
	size_t i;

	(void)state;
	pats =
	    json_object_get(json_object_get(ref, "org_patterns"), "patterns");
	assert_int_equal(json_array_size(pats), isog_npatterns());
	json_array_foreach (pats, i, p) {
		const struct isog_pattern *q = isog_pattern_find(
		    json_string_value(json_object_get(p, "id")));

		assert_non_null(q);
		assert_string_equal(
		    q->ja, json_string_value(json_object_get(p, "ja")));
	}
	/* every decision leads where the flow goes next, or back */
	json_array_foreach (json_object_get(ref, "phases"), i, ph) {
		size_t n;

		assert_non_null(isog_phase_needs(
		    json_string_value(json_object_get(ph, "id")), &n));
		assert_true(n > 0);
	}
	for (i = 0; i < isog_ndecisions(); i++) {
		const struct isog_decision *d = isog_decision_at(i);

		assert_true(isog_flow_rank(d->phase) >= 0);
		assert_true(strcmp(d->to, FLOW_CLOSED) == 0 ||
		    isog_flow_rank(d->to) == isog_flow_rank(d->phase) + 1);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_roles),
	    cmocka_unit_test(test_functions),
	    cmocka_unit_test(test_phases),
	    cmocka_unit_test(test_triangle_kpi),
	    cmocka_unit_test(test_flow_tables),
	};

	return cmocka_run_group_tests_name("isog", tests, setup, teardown);
}
