/*
 * test_shipline.c: what sankaku-ship does with each line: alerts go as
 * they are, other types are skipped unless asked for, the sensor's name
 * is added without touching the other bytes (and never twice), and
 * anything that is not an EVE event is dead-lettered with a reason and a
 * detail that never repeats the attacker's bytes.
 */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "shipline.h"

static char alert_name[] = "alert";
static char *alert_types[] = {alert_name};

static const char alert[] =
    "{\"timestamp\":\"2026-11-28T01:00:00.000001+0000\",\"event_type\":"
    "\"alert\",\"src_ip\":\"192.0.2.1\",\"alert\":{\"signature_id\":1}}";

static enum ship_verdict
judge(const struct ship_filter *f, const char *line, struct buf *b,
    struct ship_out *o)
{
	return ship_line(f, line, strlen(line), b, o);
}

static void
test_alert_as_is(void **state)
{
	struct ship_filter f = {alert_types, 1, ""};
	struct buf b = {0};
	struct ship_out o;

	(void)state;
	assert_int_equal(judge(&f, alert, &b, &o), SHIP_SEND);
	assert_ptr_equal(o.p, alert); /* the line itself, not a copy */
	assert_int_equal(o.len, strlen(alert));
	assert_string_equal(o.type, "alert");
	free(b.s);
}

static void
test_types(void **state)
{
	struct ship_filter f = {alert_types, 1, ""}, all = {NULL, 0, ""};
	struct buf b = {0};
	struct ship_out o;
	const char *dns = "{\"event_type\":\"dns\",\"dns\":{}}";

	(void)state;
	assert_int_equal(judge(&f, dns, &b, &o), SHIP_SKIP);
	assert_string_equal(o.type, "dns");
	assert_int_equal(judge(&all, dns, &b, &o), SHIP_SEND);
	assert_int_equal(judge(&f, "", &b, &o), SHIP_SKIP);
	free(b.s);
}

/* ,"host":"<sensor>" before the closing brace, the rest byte for byte;
 * an event that names its host keeps it. */
static void
test_sensor(void **state)
{
	struct ship_filter f = {alert_types, 1, "sensor-\"7\""};
	struct buf b = {0};
	struct ship_out o;
	const char *own = "{\"event_type\":\"alert\",\"host\":\"ids-1\"}";
	size_t n = strlen(alert) - 1;

	(void)state;
	assert_int_equal(judge(&f, alert, &b, &o), SHIP_SEND);
	assert_memory_equal(o.p, alert, n);
	assert_string_equal(o.p + n, ",\"host\":\"sensor-\\\"7\\\"\"}");
	assert_int_equal(judge(&f, own, &b, &o), SHIP_SEND);
	assert_ptr_equal(o.p, own);
	free(b.s);
}

/* Not EVE: a reason, a detail without the bytes. */
static void
test_dead(void **state)
{
	struct ship_filter f = {alert_types, 1, ""};
	struct buf b = {0};
	struct ship_out o;
	const char nul[] = "{\"event_type\":\"alert\",\"x\":\"a\0<script>\"}";

	(void)state;
	assert_int_equal(
	    ship_line(&f, nul, sizeof(nul) - 1, &b, &o), SHIP_DEAD);
	assert_string_equal(o.reason, "bad-json");
	assert_null(strstr(o.detail, "<script>"));
	assert_int_equal(judge(&f, "[1,2]", &b, &o), SHIP_DEAD);
	assert_string_equal(o.reason, "not-object");
	assert_int_equal(judge(&f, "{\"alert\":{}}", &b, &o), SHIP_DEAD);
	assert_string_equal(o.reason, "missing-field");
	assert_int_equal(
	    judge(
		&f, "{\"event_type\":\"alert\",\"event_type\":\"x\"}", &b, &o),
	    SHIP_DEAD);
	assert_string_equal(o.reason, "bad-json");
	assert_int_equal(
	    judge(&f, "{\"event_type\":\"alert\"", &b, &o), SHIP_DEAD);
	free(b.s);
}

/* A member name written with escapes: the event type still counts. */
static void
test_escaped_names(void **state)
{
	struct ship_filter f = {alert_types, 1, "s1"};
	struct buf b = {0};
	struct ship_out o;
	const char *e = "{\"\\u0065vent_type\":\"alert\"}";

	(void)state;
	assert_int_equal(judge(&f, e, &b, &o), SHIP_SEND);
	assert_string_equal(o.type, "alert");
	assert_int_equal(
	    judge(&f, "{\"\\u0065vent_type\":\"dns\"}", &b, &o), SHIP_SKIP);
	free(b.s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_alert_as_is),
	    cmocka_unit_test(test_types),
	    cmocka_unit_test(test_sensor),
	    cmocka_unit_test(test_dead),
	    cmocka_unit_test(test_escaped_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
