/*
 * test_enrich_out.c: the enriched document: the byte-exact splice, the
 * buffer kept for the next alert, rejects, and failing allocations one by
 * one (the dead letter of such an alert still builds; dead letters
 * themselves: test_deadletter.c).
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
#include "enrichtest.h"

static void
test_splice_keeps_bytes(void **state)
{
	struct enrich_ctx ctx = {cfg, idx, tables, 200};
	struct enrich_out out, out2;
	const char *raw =
	    "{\"event_type\":\"alert\",\"z\":1.50,\"a\":\"\\u00e9\","
	    "\"alert\":{\"signature_id\":1}}  \n";
	json_t *ev;

	(void)state;
	assert_int_equal(enrich_event(&ctx, raw, strlen(raw), &out), ENRICH_OK);
	/* the original bytes, unchanged, up to the closing brace */
	assert_memory_equal(out.json, raw, strlen(raw) - 4);
	assert_ptr_equal(out.json, out.buf + 200); /* the headroom asked */
	assert_true(
	    strncmp(out.json + strlen(raw) - 4, ",\"sankaku\":{", 12) == 0);
	ev = json_loadb(out.json, out.len, JSON_REJECT_DUPLICATES, NULL);
	assert_non_null(ev);
	json_decref(ev);
	/* same bytes, same id; replaying an enriched alert replaces the key */
	assert_int_equal(
	    enrich_event(&ctx, out.json, out.len, &out2), ENRICH_OK);
	ev = json_loadb(out2.json, out2.len, JSON_REJECT_DUPLICATES, NULL);
	assert_non_null(ev);
	json_decref(ev);
	enrich_out_free(&out2);
	assert_int_equal(
	    enrich_event(&ctx, raw, strlen(raw), &out2), ENRICH_OK);
	assert_string_equal(out.id, out2.id);
	assert_int_equal(strlen(out.id), 32);
	enrich_out_free(&out);
	enrich_out_free(&out2);
}

/* A kept buffer serves the next alert, whose document is the same as
 * without it; a huge event's buffer is not kept. */
static void
test_spare(void **state)
{
	struct enrich_spare spare = {NULL, 0};
	struct enrich_ctx ctx = {cfg, idx, tables, 64, 0, &spare};
	struct enrich_out out, plain;
	const char *raw = mkalert(IN, OUT, "", "", "");
	char *first, *big;
	size_t n;

	(void)state;
	assert_int_equal(enrich_event(&ctx, raw, strlen(raw), &out), ENRICH_OK);
	first = out.buf;
	enrich_out_keep(&out, &spare);
	assert_ptr_equal(spare.buf, first);
	assert_null(out.buf);
	/* the next alert takes it, and its document is what a fresh
	 * buffer gives */
	memset(spare.buf, 'x', spare.cap);
	assert_int_equal(enrich_event(&ctx, raw, strlen(raw), &out), ENRICH_OK);
	assert_ptr_equal(out.buf, first);
	assert_null(spare.buf);
	ctx.spare = NULL;
	assert_int_equal(
	    enrich_event(&ctx, raw, strlen(raw), &plain), ENRICH_OK);
	assert_int_equal(out.len, plain.len);
	assert_memory_equal(out.json, plain.json, plain.len);
	enrich_out_free(&plain);
	enrich_out_keep(&out, &spare);
	assert_ptr_equal(spare.buf, first);
	/* an event near 64 KB: its buffer is freed, the spare stays */
	n = ENRICH_SPARE_MAX - 1000;
	big = malloc(n + 64);
	snprintf(big, n + 64,
	    "{\"event_type\":\"alert\",\"alert\":{"
	    "\"signature_id\":1},\"pad\":\"%0*d\"}",
	    (int)n, 0);
	ctx.spare = &spare;
	assert_int_equal(enrich_event(&ctx, big, strlen(big), &out), ENRICH_OK);
	assert_true(out.buf_cap > ENRICH_SPARE_MAX);
	assert_ptr_not_equal(out.buf, first);
	enrich_out_keep(&out, &spare);
	assert_ptr_equal(spare.buf, first);
	free(big);
	free(spare.buf);
}

static void
test_rejects(void **state)
{
	static const struct {
		const char *raw, *reason;
		enum enrich_status st;
	} cases[] = {
	    {"", "bad-json", ENRICH_REJECTED},
	    {"{\"event_type\":", "bad-json", ENRICH_REJECTED},
	    {"\"alert\"", "not-object", ENRICH_REJECTED},
	    {"[1]", "not-object", ENRICH_REJECTED},
	    {"{}", "missing-field", ENRICH_REJECTED},
	    {"{\"event_type\":3}", "missing-field", ENRICH_REJECTED},
	    {"{\"event_type\":\"alert\"}", "missing-field", ENRICH_REJECTED},
	    {"{\"event_type\":\"alert\",\"alert\":{}}", "missing-field",
		ENRICH_REJECTED},
	    {"{\"event_type\":\"alert\",\"alert\":{\"signature_id\":1,"
	     "\"metadata\":[]}}",
		"bad-field", ENRICH_REJECTED},
	    {"{\"a\":1,\"a\":2,\"event_type\":\"alert\"}", "bad-json",
		ENRICH_REJECTED},
	    {"{\"event_type\":\"dns\"}", "", ENRICH_SKIPPED},
	};
	struct enrich_ctx ctx = {cfg, idx, tables};
	struct enrich_out out;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_int_equal(enrich_event(&ctx, cases[i].raw,
				     strlen(cases[i].raw), &out),
		    cases[i].st);
		assert_string_equal(out.reason, cases[i].reason);
		assert_null(out.json);
		enrich_out_free(&out);
	}
	{
		long saved = cfg->max_event_bytes;
		const char *raw =
		    "{\"event_type\":\"alert\",\"alert\":{\"signature_id\":1}}";

		cfg->max_event_bytes = 10;
		assert_int_equal(enrich_event(&ctx, raw, strlen(raw), &out),
		    ENRICH_REJECTED);
		assert_string_equal(out.reason, "too-large");
		cfg->max_event_bytes = saved;
		enrich_out_free(&out);
	}
	{
		/* deep nesting is refused, not a stack overflow */
		size_t n = 100000, k;
		char *deep = malloc(2 * n + 64);

		strcpy(deep, "{\"event_type\":\"alert\",\"x\":");
		k = strlen(deep);
		memset(deep + k, '[', n);
		memset(deep + k + n, ']', n);
		strcpy(deep + k + 2 * n, "}");
		assert_int_equal(enrich_event(&ctx, deep, strlen(deep), &out),
		    ENRICH_REJECTED);
		enrich_out_free(&out);
		free(deep);
	}
}

/* Allocation failure injection: the Nth allocation fails, whether it is
 * jansson's or the module's own (linked with --wrap=malloc,calloc,realloc). */
static long fail_at = -1, nallocs;

void *__real_malloc(size_t);
void *__real_calloc(size_t, size_t);
void *__real_realloc(void *, size_t);
void *__wrap_malloc(size_t);
void *__wrap_calloc(size_t, size_t);
void *__wrap_realloc(void *, size_t);

/* Whether this allocation is the one to fail. */
static int
chaos_fail(void)
{
	return fail_at >= 0 && nallocs++ == fail_at;
}

void *
__wrap_malloc(size_t n)
{
	return chaos_fail() ? NULL : __real_malloc(n);
}

void *
__wrap_calloc(size_t n, size_t m)
{
	return chaos_fail() ? NULL : __real_calloc(n, m);
}

void *
__wrap_realloc(void *p, size_t n)
{
	return chaos_fail() ? NULL : __real_realloc(p, n);
}

static void *
chaos_malloc(size_t n)
{
	return chaos_fail() ? NULL : __real_malloc(n);
}

static void
test_chaos(void **state)
{
	struct enrich_ctx ctx = {cfg, idx, tables};
	struct enrich_out out;
	const char *raw = mkalert(IN, OUT, "",
	    "\"sankaku_ioc_type\":[\"domain\"],\"sankaku_source\":[\"open\"],"
	    "\"sankaku_role\":[\"H-1\"]",
	    ",\"app_proto\":\"dns\",\"dns\":{\"query\":[{\"rrname\":"
	    "\"evil.example\"}]}");
	char copy[4096];
	long i, total;

	(void)state;
	snprintf(copy, sizeof(copy), "%s", raw);
	json_set_alloc_funcs(chaos_malloc, free);
	/* count the allocations of one enrichment */
	fail_at = -1;
	nallocs = 0;
	fail_at = 1L << 40;
	assert_int_equal(
	    enrich_event(&ctx, copy, strlen(copy), &out), ENRICH_OK);
	enrich_out_free(&out);
	total = nallocs;
	assert_true(total >= 2);
	/* each one failing in turn: a clean "oom" reject, never a crash */
	for (i = 0; i < total; i++) {
		fail_at = i;
		nallocs = 0;
		assert_int_equal(enrich_event(&ctx, copy, strlen(copy), &out),
		    ENRICH_REJECTED);
		assert_string_equal(out.reason, "oom");
		assert_null(out.json);
		enrich_out_free(&out);
	}
	fail_at = -1;
	json_set_alloc_funcs(malloc, free);
	/* and the dead letter of it still builds */
	{
		size_t dlen;
		char *dl =
		    dl_entry("oom", "x", copy, strlen(copy), "c", 0, &dlen);

		assert_non_null(dl);
		free(dl);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_splice_keeps_bytes),
	    cmocka_unit_test(test_spare),
	    cmocka_unit_test(test_rejects),
	    cmocka_unit_test(test_chaos),
	};

	return cmocka_run_group_tests_name(
	    "enrich_out", tests, setup, teardown);
}
