/* test_prom.c: the Prometheus text every /metrics serves: families,
 * labels escaped, numbers that read back exactly, the text handed over. */

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "prom.h"

static void
test_scalar(void **state)
{
	struct prom p;
	char *s;

	(void)state;
	prom_init(&p, "sankaku_");
	prom_scalar(&p, "alerts_total", "counter", "Alerts.", 42);
	prom_family(&p, "up", "gauge", NULL);
	prom_sample(&p, "up", 1, (const char *)NULL);
	s = prom_text(&p);
	assert_string_equal(s,
	    "# HELP sankaku_alerts_total Alerts.\n"
	    "# TYPE sankaku_alerts_total counter\n"
	    "sankaku_alerts_total 42\n"
	    "# TYPE sankaku_up gauge\n"
	    "sankaku_up 1\n");
	free(s);
}

static void
test_labels(void **state)
{
	struct prom p;
	char *s;

	(void)state;
	prom_init(&p, "x_");
	prom_sample(&p, "m", 3, "source", "a\\b\"c\nd\te\x7f", "figure",
	    "accuracy", (const char *)NULL);
	prom_sample(&p, "n", 0, "le", "+Inf", (const char *)NULL);
	s = prom_text(&p);
	assert_string_equal(s,
	    "x_m{source=\"a\\\\b\\\"c\\nd?e?\",figure=\"accuracy\"} 3\n"
	    "x_n{le=\"+Inf\"} 0\n");
	free(s);
}

/* The value of the only sample in s. */
static double
value_of(const char *s)
{
	const char *sp = strrchr(s, ' ');

	assert_non_null(sp);
	return strtod(sp + 1, NULL);
}

static void
test_numbers(void **state)
{
	static const double exact[] = {0.1, 1.0 / 3, 2.5e-7, 1e300, -7.25,
	    123456789.125, 9007199254740993.0, 0.000123456789012345678};
	static const struct {
		double v;
		const char *text;
	} shown[] = {
	    {0, "0"},
	    {-3, "-3"},
	    {18446744073709551615.0, "1.8446744073709552e+19"},
	    {4294967296.0, "4294967296"},
	    {0.1, "0.1"},
	    {0.25, "0.25"},
	};
	struct prom p;
	char *s, want[64];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(exact) / sizeof(exact[0]); i++) {
		prom_init(&p, "");
		prom_sample(&p, "v", exact[i], (const char *)NULL);
		s = prom_text(&p);
		assert_true(value_of(s) == exact[i]);
		assert_true(strlen(s) < 28); /* "v " + at most 17 digits */
		free(s);
	}
	for (i = 0; i < sizeof(shown) / sizeof(shown[0]); i++) {
		prom_init(&p, "");
		prom_sample(&p, "v", shown[i].v, (const char *)NULL);
		s = prom_text(&p);
		snprintf(want, sizeof(want), "v %s\n", shown[i].text);
		assert_string_equal(s, want);
		free(s);
	}
	prom_init(&p, "");
	prom_sample(&p, "a", NAN, (const char *)NULL);
	prom_sample(&p, "b", INFINITY, (const char *)NULL);
	prom_sample(&p, "c", -INFINITY, (const char *)NULL);
	s = prom_text(&p);
	assert_string_equal(s, "a NaN\nb +Inf\nc -Inf\n");
	free(s);
}

static void
test_text_empties(void **state)
{
	struct prom p;
	char *s;

	(void)state;
	prom_init(&p, "sankaku_");
	s = prom_text(&p);
	assert_string_equal(s, "");
	free(s);
	prom_scalar(&p, "a", "gauge", NULL, 1);
	free(prom_text(&p));
	prom_scalar(&p, "b", "gauge", NULL, 2);
	s = prom_text(&p);
	assert_string_equal(s, "# TYPE sankaku_b gauge\nsankaku_b 2\n");
	free(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_scalar),
	    cmocka_unit_test(test_labels),
	    cmocka_unit_test(test_numbers),
	    cmocka_unit_test(test_text_empties),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
