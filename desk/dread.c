/*
 * dread.c: the desk's reads (see desk.c for the state machine): a
 * batch's entries from XREADGROUP, which of their sankaku.ids were
 * counted before (the seen check), and the next batch read ahead while
 * the one in hand is applied and stored.
 *
 *   the batch in hand:  READ ── XREADGROUP ──► CHECK ── SMISMEMBER ──►
 *                       COMMIT
 *   read ahead:         AHEAD_NONE ── its parts sent (dread_ahead) ──►
 *                       AHEAD_SENT ── every part parsed and checked ──►
 *                       AHEAD_READY ── taken by desk_next ──► AHEAD_NONE
 */

#include <string.h>
#include <time.h>

#include <hiredis/hiredis.h>

#include "desk.h"

#define BLOCK_MS 2000 /* a read waits this long for new entries */

/* Mark in seen which of the good alerts in [from, to) a seen check's
 * reply says were counted (it lists them in order); 0, or -1 if the
 * reply is not that. */
int
dread_seen(const redisReply *reply, size_t from, size_t to,
    const unsigned char *good, unsigned char *seen)
{
	size_t i, j;

	if (reply->type != REDIS_REPLY_ARRAY)
		return -1;
	for (i = from, j = 0; i < to && j < reply->elements; i++)
		if (good[i] && reply->element[j++]->integer == 1)
			seen[i] = 1;
	return 0;
}

/* Which of the ids in [from, to) of a batch were counted before:
 * SMISMEMBER on the seen sets of this window and the one before, sent
 * on the main link (after any commit sent before it, so an id that
 * commit counts is seen), the replies to cb.  The number of checks sent (0: no
 * good alert), or -1 if the link went. */
int
dread_check(struct desk *d, const struct argvb *entries,
    const struct dalert *alerts, const unsigned char *good, unsigned char *seen,
    size_t from, redisCallbackFn *cb)
{
	char win[2][160];
	size_t i, k, ngood = 0, to = entries->n;

	for (i = from; i < to; i++)
		ngood += good[i];
	memset(seen + from, 0, to - from);
	if (ngood == 0)
		return 0;
	(void)dstore_seen_keys(d, time(NULL), win[0], win[1], sizeof(win[0]));
	for (k = 0; k < 2; k++) {
		struct argvb b = {0};
		int rc;

		argvb_adds(&b, "SMISMEMBER");
		argvb_adds(&b, win[k]);
		for (i = from; i < to; i++)
			if (good[i])
				argvb_adds(&b, alerts[i].id);
		rc = desk_cmd(d, d->main, cb, (int)b.n, b.v, b.len);
		argvb_free(&b);
		if (rc != 0)
			return -1;
	}
	return 2;
}

/* An XREADGROUP reply's entries into *ents (NULL: none); 0 when there is
 * nothing to do with it: stale, or an error (then the desk retries). */
int
dread_entries(struct desk *d, void *r, void *priv, redisReply **ents)
{
	redisReply *reply;
	char why[160];

	if ((reply = desk_reply(d, r, priv)) == NULL)
		return 0;
	*ents = dbatch_entries(reply, why, sizeof(why));
	if (why[0] != '\0') {
		desk_retry(d, why);
		return 0;
	}
	return 1;
}

/* ----- the next batch, read while this one is applied and stored ----- */

/* New entries only: this desk's pending ones are read after their
 * commit.  A batch read ahead and then given up (a failed commit, a
 * stop) stays pending in the group: read again at the next load.
 *
 * The batch read ahead is ready when all its reads and checks are in. */
static void
ahead_done(struct desk *d)
{
	if (d->ahead.reads > 0 || d->ahead.checks > 0)
		return;
	d->ahead.state = AHEAD_READY;
	if (d->ahead.waited)
		desk_next(d);
}

static void
ahead_check_cb(redisAsyncContext *ac, void *r, void *priv)
{
	struct desk *d = ((struct link_tag *)priv)->owner;
	size_t *range = d->ahead.range[d->ahead.range_head];
	redisReply *reply;

	(void)ac;
	if ((reply = desk_reply(d, r, priv)) == NULL)
		return;
	d->ahead.range_head = (d->ahead.range_head + 1) % AHEAD_CHECKS;
	if (dread_seen(
		reply, range[0], range[1], d->ahead.good, d->ahead.seen) != 0) {
		desk_retry(d, "seen ids could not be read");
		return;
	}
	d->ahead.checks--;
	ahead_done(d);
}

/* A part of the batch read ahead: parsed as it comes, and checked (the
 * commit before it is sent: its checks go behind it). */
static void
ahead_cb(redisAsyncContext *ac, void *r, void *priv)
{
	struct desk *d = ((struct link_tag *)priv)->owner;
	size_t from = d->ahead.entries.n, k;
	redisReply *ents;
	int n;

	(void)ac;
	if (!dread_entries(d, r, priv, &ents))
		return;
	d->ahead.reads--;
	if (ents != NULL)
		dbatch_parse(ents, &d->ahead.entries, d->ahead.alerts,
		    d->ahead.good, d->ahead.strs);
	n = dread_check(d, &d->ahead.entries, d->ahead.alerts, d->ahead.good,
	    d->ahead.seen, from, ahead_check_cb);
	if (n < 0) {
		desk_retry(d, "Redis went away during a check");
		return;
	}
	for (k = 0; k < (size_t)n; k++) { /* their replies come in order */
		size_t *range =
		    d->ahead
			.range[(d->ahead.range_head + (size_t)d->ahead.checks) %
			    AHEAD_CHECKS];

		range[0] = from;
		range[1] = d->ahead.entries.n;
		d->ahead.checks++;
	}
	ahead_done(d);
}

/* XREADGROUP of a batch, its reply to cb: this desk's pending entries,
 * else new ones, blocking.  0, or -1 if the link is not there. */
int
dread_xread(struct desk *d, redisCallbackFn *cb)
{
	if (d->pending)
		return desk_cmdf(d, d->read, cb,
		    "XREADGROUP GROUP desk %s COUNT %d STREAMS %s 0",
		    d->cfg->desk_consumer, DESK_BATCH, d->k.stream);
	return desk_cmdf(d, d->read, cb,
	    "XREADGROUP GROUP desk %s COUNT %d BLOCK %d STREAMS %s >",
	    d->cfg->desk_consumer,
	    cb == ahead_cb ? DESK_BATCH / AHEAD_READS : DESK_BATCH, BLOCK_MS,
	    d->k.stream);
}

/* The next batch in AHEAD_READS parts, each parsed and checked as it
 * comes: the first waits for new entries, the others take what there
 * is. */
void
dread_ahead(struct desk *d)
{
	int i;

	if (d->pending || d->ahead.state != AHEAD_NONE)
		return;
	d->ahead.reads = 0;
	d->ahead.checks = 0;
	d->ahead.range_head = 0;
	for (i = 0; i < AHEAD_READS; i++) {
		if ((i == 0 ? dread_xread(d, ahead_cb)
			    : desk_cmdf(d, d->read, ahead_cb,
				  "XREADGROUP GROUP desk %s COUNT %d STREAMS "
				  "%s >",
				  d->cfg->desk_consumer,
				  DESK_BATCH / AHEAD_READS, d->k.stream)) != 0)
			break;
		d->ahead.reads++;
	}
	if (d->ahead.reads > 0)
		d->ahead.state = AHEAD_SENT;
	link_flush(d->read); /* before the batch in hand is applied */
}

/* The batch read ahead becomes the batch in hand (its lists swapped in,
 * the old ones kept for the next read ahead); its number of entries. */
size_t
dread_take(struct desk *d)
{
	struct argvb e;
	struct dalert *a;
	struct arena *st;
	unsigned char *g, *sn;

	e = d->entries, d->entries = d->ahead.entries, d->ahead.entries = e;
	a = d->alerts, d->alerts = d->ahead.alerts, d->ahead.alerts = a;
	st = d->strs, d->strs = d->ahead.strs, d->ahead.strs = st;
	g = d->good, d->good = d->ahead.good, d->ahead.good = g;
	sn = d->seen, d->seen = d->ahead.seen, d->ahead.seen = sn;
	d->ahead.state = AHEAD_NONE;
	return d->entries.n;
}
