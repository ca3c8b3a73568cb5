/*
 * ledger.c: which chunk of a drained list to read next, and which to trim,
 * in what order (see ledger.h).
 */

#include <string.h>

#include "ledger.h"

/* Start on a list of len items. */
void
ledger_init(struct ledger *l, long len, int rpush)
{
	memset(l, 0, sizeof(*l));
	l->len = len;
	l->rpush = rpush;
}

/* The next chunk to read. */
int
ledger_next(struct ledger *l, long max, struct ledger_read *r)
{
	long left = l->len - l->read, m;

	if (left <= 0 || max <= 0 || l->seq_read - l->seq_trim >= LEDGER_SLOTS)
		return 0;
	m = left < max ? left : max;
	r->seq = l->seq_read++;
	r->n = m;
	if (l->rpush) {
		r->start = l->read;
		r->stop = l->read + m - 1;
		r->reverse = 0;
	} else {
		/* LPUSH order: the oldest items are at the tail */
		r->start = -(l->read + m);
		r->stop = -(l->read + 1);
		r->reverse = 1;
	}
	l->read += m;
	return 1;
}

/* Chunk seq is stored: it waits in its slot for its turn. */
int
ledger_stored(struct ledger *l, unsigned long seq, long n, void *chunk)
{
	struct ledger_slot *s = &l->ready[seq % LEDGER_SLOTS];

	if (seq < l->seq_trim || seq >= l->seq_read || s->chunk != NULL ||
	    chunk == NULL)
		return -1;
	s->chunk = chunk;
	s->seq = seq;
	s->n = n;
	return 0;
}

/* The next trim whose turn it is. */
int
ledger_trim(struct ledger *l, struct ledger_trim *t)
{
	struct ledger_slot *s = &l->ready[l->seq_trim % LEDGER_SLOTS];

	if (s->chunk == NULL || s->seq != l->seq_trim)
		return 0;
	t->chunk = s->chunk;
	t->expect = l->len;
	t->n = s->n;
	t->head = l->rpush;
	l->len -= s->n;
	l->read -= s->n;
	l->seq_trim++;
	l->trimming++;
	s->chunk = NULL;
	return 1;
}

/* A trim was answered. */
void
ledger_trimmed(struct ledger *l)
{
	if (l->trimming > 0)
		l->trimming--;
}

/* Drained: read, trimmed, answered. */
int
ledger_done(const struct ledger *l)
{
	return l->len == 0 && l->read == 0 && l->trimming == 0;
}

/* Start over, handing back the chunks that waited for their turn. */
void
ledger_forget(struct ledger *l, void (*fn)(void *chunk))
{
	struct ledger_slot slots[LEDGER_SLOTS];
	size_t i;

	memcpy(slots, l->ready, sizeof(slots));
	memset(l, 0, sizeof(*l));
	for (i = 0; i < LEDGER_SLOTS; i++)
		if (slots[i].chunk != NULL)
			fn(slots[i].chunk);
}
