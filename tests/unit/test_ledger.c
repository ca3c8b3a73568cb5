/* test_ledger.c: chunk reads and trims of a drained list, without Redis.
 *
 * A small model of the list checks every trim: the list is an array of
 * item numbers (0 the oldest); a trim removes n items from the oldest end
 * only if the list holds exactly what the ledger expects, as the trim
 * script does in Redis. */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "ledger.h"

/* The list in Redis, oldest first. */
struct model {
	long len, first; /* items first .. first+len-1 remain */
};

/* Apply a trim as the script does; 1 if it trimmed. */
static int
model_trim(struct model *m, const struct ledger_trim *t)
{
	if (m->len != t->expect)
		return 0;
	m->first += t->n;
	m->len -= t->n;
	return 1;
}

/* Oldest item number an LRANGE returns first, in read order. */
static long
model_oldest(const struct model *m, const struct ledger_read *r)
{
	/* convert to head-based indices of an LPUSH list (newest at 0) */
	long start = r->start < 0 ? m->len + r->start : r->start;
	long stop = r->stop < 0 ? m->len + r->stop : r->stop;

	if (r->reverse)
		return m->first + (m->len - 1 - stop); /* oldest is last */
	return m->first + start;
}

static void
test_lpush_order(void **state)
{
	struct ledger l;
	struct ledger_read r;
	struct model m = {10, 0};

	(void)state;
	ledger_init(&l, 10, 0);
	assert_int_equal(ledger_next(&l, 4, &r), 1);
	assert_int_equal(r.seq, 0);
	assert_int_equal(r.n, 4);
	assert_int_equal(r.start, -4);
	assert_int_equal(r.stop, -1);
	assert_true(r.reverse);
	assert_int_equal(model_oldest(&m, &r), 0);
	assert_int_equal(ledger_next(&l, 4, &r), 1);
	assert_int_equal(r.start, -8);
	assert_int_equal(r.stop, -5);
	assert_int_equal(model_oldest(&m, &r), 4);
	assert_int_equal(ledger_next(&l, 4, &r), 1);
	assert_int_equal(r.n, 2); /* what is left */
	assert_int_equal(r.start, -10);
	assert_int_equal(r.stop, -9);
	assert_int_equal(ledger_next(&l, 4, &r), 0);
}

static void
test_rpush_order(void **state)
{
	struct ledger l;
	struct ledger_read r;
	struct ledger_trim t;

	(void)state;
	ledger_init(&l, 5, 1);
	assert_int_equal(ledger_next(&l, 3, &r), 1);
	assert_int_equal(r.start, 0);
	assert_int_equal(r.stop, 2);
	assert_false(r.reverse);
	assert_int_equal(ledger_next(&l, 3, &r), 1);
	assert_int_equal(r.start, 3);
	assert_int_equal(r.stop, 4);
	assert_int_equal(ledger_stored(&l, 0, 3, (void *)1), 0);
	assert_int_equal(ledger_trim(&l, &t), 1);
	assert_true(t.head);
	assert_int_equal(t.expect, 5);
	assert_int_equal(t.n, 3);
}

/* Chunks stored out of order are trimmed in read order: a later chunk
 * (say one with nothing to store) never trims before an earlier one. */
static void
test_trim_in_read_order(void **state)
{
	struct ledger l;
	struct ledger_read r[3];
	struct ledger_trim t;
	struct model m = {30, 0};
	int a, b, c;

	(void)state;
	ledger_init(&l, 30, 0);
	for (a = 0; a < 3; a++)
		assert_int_equal(ledger_next(&l, 10, &r[a]), 1);
	assert_int_equal(ledger_next(&l, 10, &r[0]), 0);
	/* the last chunk is stored first: nothing may be trimmed */
	assert_int_equal(ledger_stored(&l, 2, 10, &c), 0);
	assert_int_equal(ledger_trim(&l, &t), 0);
	assert_int_equal(ledger_stored(&l, 1, 10, &b), 0);
	assert_int_equal(ledger_trim(&l, &t), 0);
	/* the first one comes in: all three go, in order */
	assert_int_equal(ledger_stored(&l, 0, 10, &a), 0);
	assert_int_equal(ledger_trim(&l, &t), 1);
	assert_ptr_equal(t.chunk, &a);
	assert_int_equal(model_trim(&m, &t), 1);
	assert_int_equal(m.first, 10);
	assert_int_equal(ledger_trim(&l, &t), 1);
	assert_ptr_equal(t.chunk, &b);
	assert_int_equal(model_trim(&m, &t), 1);
	assert_int_equal(ledger_trim(&l, &t), 1);
	assert_ptr_equal(t.chunk, &c);
	assert_int_equal(model_trim(&m, &t), 1);
	assert_int_equal(m.len, 0);
	assert_int_equal(ledger_trim(&l, &t), 0);
	/* done only once every trim is answered */
	assert_false(ledger_done(&l));
	ledger_trimmed(&l);
	ledger_trimmed(&l);
	assert_false(ledger_done(&l));
	ledger_trimmed(&l);
	assert_true(ledger_done(&l));
}

/* Reads and trims interleave: each trim's expected length is exact. */
static void
test_interleaved(void **state)
{
	struct ledger l;
	struct ledger_read r;
	struct ledger_trim t;
	struct model m = {1000, 0};
	unsigned long seq;
	long next_oldest = 0;
	int token;

	(void)state;
	ledger_init(&l, 1000, 0);
	/* read two, store and trim one, read one more, ... */
	while (!ledger_done(&l)) {
		int got = 0;

		while (ledger_next(&l, 64, &r)) {
			assert_int_equal(model_oldest(&m, &r), next_oldest);
			next_oldest += r.n;
			assert_int_equal(
			    ledger_stored(&l, r.seq, r.n, &token), 0);
			if (++got == 2)
				break;
		}
		while (ledger_trim(&l, &t)) {
			assert_int_equal(model_trim(&m, &t), 1);
			ledger_trimmed(&l);
		}
	}
	assert_int_equal(m.len, 0);
	assert_int_equal(next_oldest, 1000);
	seq = l.seq_read;
	assert_int_equal(seq, (1000 + 63) / 64);
}

/* No more than LEDGER_SLOTS chunks between the oldest untrimmed and the
 * newest read, so a slot is never reused while taken. */
static void
test_slots_bound(void **state)
{
	struct ledger l;
	struct ledger_read r;
	struct ledger_trim t;
	int i, token;

	(void)state;
	ledger_init(&l, 1000, 1);
	for (i = 0; i < LEDGER_SLOTS; i++)
		assert_int_equal(ledger_next(&l, 1, &r), 1);
	assert_int_equal(ledger_next(&l, 1, &r), 0);
	/* a late chunk stored does not free a slot: the first still waits */
	assert_int_equal(ledger_stored(&l, 5, 1, &token), 0);
	assert_int_equal(ledger_next(&l, 1, &r), 0);
	assert_int_equal(ledger_stored(&l, 0, 1, &token), 0);
	assert_int_equal(ledger_trim(&l, &t), 1);
	assert_int_equal(ledger_trim(&l, &t), 0);
	assert_int_equal(ledger_next(&l, 1, &r), 1);
	assert_int_equal(r.seq, LEDGER_SLOTS);
}

static void
test_bad_stores(void **state)
{
	struct ledger l;
	struct ledger_read r;
	int token;

	(void)state;
	ledger_init(&l, 10, 0);
	assert_int_equal(ledger_stored(&l, 0, 1, &token), -1); /* not read */
	assert_int_equal(ledger_next(&l, 5, &r), 1);
	assert_int_equal(ledger_stored(&l, 0, 5, NULL), -1);
	assert_int_equal(ledger_stored(&l, 0, 5, &token), 0);
	assert_int_equal(ledger_stored(&l, 0, 5, &token), -1); /* twice */
}

static int forgotten;

static void
count_forgotten(void *chunk)
{
	(void)chunk;
	forgotten++;
}

static void
test_forget(void **state)
{
	struct ledger l;
	struct ledger_read r;
	int a, b;

	(void)state;
	ledger_init(&l, 10, 0);
	assert_int_equal(ledger_next(&l, 2, &r), 1);
	assert_int_equal(ledger_next(&l, 2, &r), 1);
	assert_int_equal(ledger_next(&l, 2, &r), 1);
	assert_int_equal(ledger_stored(&l, 1, 2, &a), 0);
	assert_int_equal(ledger_stored(&l, 2, 2, &b), 0);
	forgotten = 0;
	ledger_forget(&l, count_forgotten);
	assert_int_equal(forgotten, 2);
	assert_true(ledger_done(&l));
	assert_int_equal(ledger_next(&l, 2, &r), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_lpush_order),
	    cmocka_unit_test(test_rpush_order),
	    cmocka_unit_test(test_trim_in_read_order),
	    cmocka_unit_test(test_interleaved),
	    cmocka_unit_test(test_slots_bound),
	    cmocka_unit_test(test_bad_stores),
	    cmocka_unit_test(test_forget),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
