/*
 * test_deadletter.c: dead-letter entries: the whole event as text or
 * base64, and a large event by its head, cut where UTF-8 allows, with its
 * length and SHA-1.
 */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "deadletter.h"

/* Parse an entry (its length in *len) and free its text. */
static json_t *
parse(char *dl, const size_t *len)
{
	json_t *o;

	assert_non_null(dl);
	assert_int_equal(strlen(dl), *len);
	o = json_loads(dl, JSON_REJECT_DUPLICATES, NULL);
	free(dl);
	assert_non_null(o);
	return o;
}

static const char *
str(json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

/* The whole event: text when it is UTF-8 without NUL, else base64. */
static void
test_whole(void **state)
{
	size_t len;
	json_t *o;

	(void)state;
	o = parse(dl_entry("bad-json", "position 0", "not json", 8, "c1",
		      1795651200, &len),
	    &len);
	assert_string_equal(str(o, "raw"), "not json");
	assert_string_equal(str(o, "at"), "2026-11-26T00:00:00Z");
	assert_string_equal(str(o, "reason"), "bad-json");
	assert_string_equal(str(o, "detail"), "position 0");
	assert_string_equal(str(o, "consumer"), "c1");
	json_decref(o);
	o = parse(
	    dl_entry("bad-json", "x", "a\377\0b", 4, "c1", 0, &len), &len);
	assert_null(json_object_get(o, "raw"));
	assert_string_equal(str(o, "raw_base64"), "Yf8AYg==");
	json_decref(o);
}

/* A large event by its head: DL_HEAD bytes, its length, the SHA-1 of the
 * whole when none is given (sha1sum of 10,000 'a'). */
static void
test_head(void **state)
{
	char *ev = malloc(10000);
	size_t len;
	json_t *o;

	(void)state;
	memset(ev, 'a', 10000);
	o = parse(dl_entry_head("too-large", "10000 bytes", ev, 10000, 10000,
		      NULL, "c1", 0, &len),
	    &len);
	assert_int_equal(strlen(str(o, "raw_head")), DL_HEAD);
	assert_int_equal(
	    json_integer_value(json_object_get(o, "length")), 10000);
	assert_string_equal(
	    str(o, "sha1"), "a080cbda64850abb7b7f67ee875ba068074ff6fe");
	assert_null(json_object_get(o, "raw"));
	json_decref(o);
	/* a SHA-1 taken as the event streamed by is kept as given */
	o = parse(
	    dl_entry_head("too-large", "x", ev, DL_HEAD, 123456789012LL,
		"0123456789abcdef0123456789abcdef01234567", "c1", 0, &len),
	    &len);
	assert_string_equal(
	    str(o, "sha1"), "0123456789abcdef0123456789abcdef01234567");
	assert_int_equal(
	    json_integer_value(json_object_get(o, "length")), 123456789012LL);
	json_decref(o);
	free(ev);
}

/* The head is never cut inside a UTF-8 sequence: a three-byte character
 * across the DL_HEAD boundary is left out whole, and the head stays
 * text.  A head that is not text goes as base64, cut at DL_HEAD. */
static void
test_head_cut(void **state)
{
	char *ev = malloc(DL_HEAD + 100);
	size_t len;
	json_t *o;

	(void)state;
	memset(ev, 'b', DL_HEAD + 100);
	memcpy(ev + DL_HEAD - 2, "\xe3\x81\x82", 3); /* U+3042 */
	o = parse(dl_entry_head("too-large", "x", ev, DL_HEAD + 100,
		      DL_HEAD + 100, NULL, "c1", 0, &len),
	    &len);
	assert_non_null(str(o, "raw_head"));
	assert_int_equal(strlen(str(o, "raw_head")), DL_HEAD - 2);
	json_decref(o);
	/* the same character ending exactly at the boundary is kept */
	memset(ev, 'b', DL_HEAD + 100);
	memcpy(ev + DL_HEAD - 3, "\xe3\x81\x82", 3);
	o = parse(dl_entry_head("too-large", "x", ev, DL_HEAD + 100,
		      DL_HEAD + 100, NULL, "c1", 0, &len),
	    &len);
	assert_int_equal(strlen(str(o, "raw_head")), DL_HEAD);
	json_decref(o);
	/* bytes that are not text */
	ev[10] = '\377';
	o = parse(dl_entry_head("too-large", "x", ev, DL_HEAD + 100,
		      DL_HEAD + 100, NULL, "c1", 0, &len),
	    &len);
	assert_null(json_object_get(o, "raw_head"));
	assert_int_equal(
	    strlen(str(o, "raw_head_base64")), (DL_HEAD + 2) / 3 * 4);
	json_decref(o);
	free(ev);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_whole),
	    cmocka_unit_test(test_head),
	    cmocka_unit_test(test_head_cut),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
