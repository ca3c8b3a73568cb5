/*
 * drain.c: drain one list in chunks (see drain.h).
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hiredis/hiredis.h>

#include "careful.h"
#include "drain.h"
#include "log.h"
#include "pipeline.h"
#include "xmalloc.h"

/* Trim a drained chunk of ARGV[2] from the oldest end of KEYS[1], but only
 * if the list still holds ARGV[1] items: never twice, never someone else's
 * (numbers only: no large strings enter Lua).  ARGV[3]: "tail" (lpush
 * order) or "head" (rpush order). */
static const char trim_script[] =
    "if redis.call('LLEN', KEYS[1]) ~= tonumber(ARGV[1]) then return 0 end\n"
    "local m = tonumber(ARGV[2])\n"
    "if ARGV[3] == 'tail' then\n"
    "  redis.call('LTRIM', KEYS[1], 0, -m - 1)\n"
    "else\n"
    "  redis.call('LTRIM', KEYS[1], m, -1)\n"
    "end\n"
    "return 1\n";

/* Drain key, which holds n events. */
void
drain_start(struct drain *d, const char *key, long n, int recovery)
{
	free(d->key);
	d->key = xstrdup(key);
	d->recovery = recovery;
	ledger_init(&d->led, n, d->rpush);
}

/* A chunk waiting in the ledger is given up. */
static void
drain_drop(void *lc)
{
	pl_chunk_drop(&((struct list_chunk *)lc)->c, NULL);
}

/* Forget the list. */
void
drain_forget(struct drain *d)
{
	free(d->key);
	d->key = NULL;
	ledger_forget(&d->led, drain_drop);
}

/* A chunk's trim answered: the chunk is done. */
static void
drain_trim_cb(redisAsyncContext *ac, void *r, void *priv)
{
	redisReply *reply = r;
	struct list_chunk *lc = priv;
	struct drain *d;
	int ok = reply != NULL && reply->type == REDIS_REPLY_INTEGER &&
	    reply->integer == 1;

	(void)ac;
	if (reply == NULL || pl_chunk_stale(&lc->c)) {
		pl_chunk_done(&lc->c, ok); /* a trim that ran is done */
		return;
	}
	if (!ok) {
		/* the list is not what we counted: never trim blindly */
		snprintf(lc->c.err, sizeof(lc->c.err), "chunk not trimmed: %s",
		    reply->type == REDIS_REPLY_ERROR ? reply->str
						     : "the list changed");
		pl_chunk_drop(&lc->c, lc->c.err);
		return;
	}
	d = lc->d;
	ledger_trimmed(&d->led);
	if (ledger_done(&d->led)) {
		free(d->key);
		d->key = NULL;
		d->done(d->l);
	}
	pl_chunk_done(&lc->c, 1);
}

/* Every store of a chunk is in: send the trims whose turn it is. */
void
drain_ack(struct drain *d, struct list_chunk *lc)
{
	struct ledger_trim t;

	if (ledger_stored(&d->led, lc->seq, lc->n, lc) != 0)
		fatalx("ledger: chunk %lu stored out of turn", lc->seq);
	while (ledger_trim(&d->led, &t)) {
		char expect[32], n[32];

		snprintf(expect, sizeof(expect), "%ld", t.expect);
		snprintf(n, sizeof(n), "%ld", t.n);
		if (link_cmdf(d->main, drain_trim_cb, t.chunk,
			"EVAL %s 1 %s %s %s %s", trim_script, d->key, expect, n,
			t.head ? "head" : "tail") != 0)
			drain_drop(t.chunk); /* recovered later */
	}
}

/* A chunk's LRANGE answered: its events, oldest first. */
static void
drain_chunk_cb(redisAsyncContext *ac, void *r, void *priv)
{
	redisReply *reply = r;
	struct list_chunk *lc = priv;
	size_t i, n;
	int reverse;

	(void)ac;
	if (reply == NULL || pl_chunk_stale(&lc->c)) {
		pl_chunk_drop(&lc->c, NULL);
		return;
	}
	if (reply->type != REDIS_REPLY_ARRAY ||
	    reply->elements != (size_t)lc->n) {
		snprintf(lc->c.err, sizeof(lc->c.err), "%s",
		    reply->type == REDIS_REPLY_ERROR ? reply->str
						     : "the list changed");
		pl_chunk_drop(&lc->c, lc->c.err);
		return;
	}
	reverse = !lc->d->rpush;
	n = reply->elements;
	pl_chunk_begin(&lc->c);
	for (i = 0; i < n; i++) {
		redisReply *it = reply->element[reverse ? n - 1 - i : i];
		struct careful_big big;

		if (it->type == REDIS_REPLY_STRING)
			pl_chunk_item(&lc->c, it->str, it->len);
		else if (careful_is_big(it, &big))
			pl_chunk_item_big(&lc->c, &big);
	}
	pl_chunk_end(&lc->c);
}

/* Send one chunk's read: LRANGE, or carefully (careful.h) after a reply
 * was too large. */
static int
drain_send(struct drain *d, struct list_chunk *lc, const struct ledger_read *r)
{
	char max[32];

	if (!pl_careful(d->pl))
		return link_cmdf(d->main, drain_chunk_cb, lc,
		    "LRANGE %s %ld %ld", d->key, r->start, r->stop);
	snprintf(max, sizeof(max), "%ld", d->max_event_bytes);
	return link_cmdf(d->main, drain_chunk_cb, lc,
	    "EVAL %s 1 %s %s LRANGE %s %ld %ld", careful_script, d->key, max,
	    d->key, r->start, r->stop);
}

/* Read chunks of the list while there is room. */
void
drain_read(struct drain *d)
{
	struct ledger_read r;

	while (d->key != NULL && pl_room(d->pl) > 0 &&
	    ledger_next(
		&d->led, pl_careful(d->pl) ? CAREFUL_BATCH : d->batch, &r)) {
		struct list_chunk *lc = xcalloc(1, sizeof(*lc));

		lc->d = d;
		pl_chunk_init(d->pl, &lc->c, d->recovery);
		lc->seq = r.seq;
		lc->n = r.n;
		if (drain_send(d, lc, &r) != 0) {
			pl_chunk_drop(&lc->c, NULL);
			return;
		}
	}
}
