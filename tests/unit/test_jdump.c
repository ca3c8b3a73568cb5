/*
 * test_jdump.c: jdump writes what jansson reads back as the same value:
 * every type, hostile strings (quotes, backslashes, control characters,
 * DEL, Japanese), integers at their limits, reals that look like
 * integers, deep nesting refused; and what json_dumps writes, byte for
 * byte, where jansson's own output is compact and ordered the same.
 */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "jdump.h"

static void
round_trip(json_t *v)
{
	size_t len;
	char *s = jdump_string(v, &len), *j = json_dumps(v, JSON_COMPACT);
	json_t *back;

	assert_non_null(s);
	assert_int_equal(strlen(s), len);
	back = json_loads(s, JSON_ALLOW_NUL, NULL);
	assert_non_null(back);
	assert_true(json_equal(v, back));
	assert_string_equal(s, j); /* as json_dumps, byte for byte */
	json_decref(back);
	free(s);
	free(j);
}

static void
test_values(void **state)
{
	json_t *v = json_pack(
	    "{s:s, s:s, s:I, s:I, s:I, s:f, s:f, s:f, s:b, s:b, s:n,"
	    " s:[s, {s:[]}, {}], s:s}",
	    "plain", "drupal.corp.example/user/register?n=94", "hostile",
	    "\"quote\" \\back\\ \x01\x1f\x7f <script>alert(1)</script>\n\t",
	    "zero", (json_int_t)0, "max", (json_int_t)INT64_MAX, "min",
	    (json_int_t)INT64_MIN, "whole", 3.0, "half", 0.5, "small", 1e-300,
	    "yes", 1, "no", 0, "nothing", "list", "封じ込め/根絶/復旧", "x",
	    "empty", "", "ja", "初動対応要否判断");

	(void)state;
	assert_non_null(v);
	round_trip(v);
	json_decref(v);
	v = json_object();
	round_trip(v);
	json_decref(v);
	v = json_array();
	round_trip(v);
	json_decref(v);
}

/* Every escape at every place in a word (strings are scanned eight
 * bytes at a time), next to Japanese, and a NUL inside a string. */
static void
test_positions(void **state)
{
	static const char special[] = {'"', '\\', '\n', '\x01', '\x1f', '\t'};
	size_t len, at, k;

	(void)state;
	for (len = 1; len <= 24; len++)
		for (at = 0; at < len; at++)
			for (k = 0; k < sizeof(special); k++) {
				char s[32];
				json_t *v;

				memset(s, 'a', len);
				if (at >= 3)
					memcpy(s, "\xe5\xb0\x81", 3);
				s[at] = special[k];
				v = json_pack("[s%]", s, len);
				assert_non_null(v);
				round_trip(v);
				json_decref(v);
			}
	{
		json_t *v = json_pack("{s:s%}", "nul", "a\0b", (size_t)3);

		assert_non_null(v);
		round_trip(v);
		json_decref(v);
	}
}

static void
test_deep(void **state)
{
	json_t *v = json_array(), *inner = v;
	struct buf b = {0};
	int i;

	(void)state;
	for (i = 0; i < 70; i++) {
		json_t *a = json_array();

		json_array_append_new(inner, a);
		inner = a;
	}
	assert_int_equal(jdump(&b, v), -1);
	assert_null(jdump_string(v, NULL));
	free(b.s);
	json_decref(v);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_values),
	    cmocka_unit_test(test_positions),
	    cmocka_unit_test(test_deep),
	};

	return cmocka_run_group_tests_name("jdump", tests, NULL, NULL);
}
