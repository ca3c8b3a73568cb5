/*
 * in_stream.c: the input as Suricata 8 writes it, a stream whose entries
 * hold the event in their field "eve", read through the consumer group
 * "sankaku" at least once.
 *
 *   - Recovery: the group is created (once, with every retained entry);
 *     this consumer's own pending entries are read (XREADGROUP ... 0) and
 *     finished a chunk at a time, each acknowledged before the next read.
 *   - Then new entries (XREADGROUP ... > BLOCK), and now and then entries
 *     another consumer left idle longer than input.claim_idle_ms
 *     (XAUTOCLAIM).  A chunk's entries are XACKed once its stores are in.
 * Entries Suricata trimmed (its stream-maxlen) before they were read are
 * counted: alerts lost upstream.  Reads use the wait link, XACK the main
 * link.
 *
 * States: IDLE (nothing outstanding), READING (an XREADGROUP or XAUTOCLAIM
 * outstanding).
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <hiredis/hiredis.h>

#include "careful.h"
#include "clock.h"
#include "input.h"
#include "log.h"
#include "pipeline.h"
#include "xmalloc.h"

#define STREAM_GROUP "sankaku"

enum stream_state { S_IDLE, S_READING };

struct in_stream {
	struct input in;
	struct pipeline *pl;
	struct link *wait, *main;
	struct metrics *m;
	char *key;
	char *consumer;
	long batch, block_ms, claim_idle_ms, max_event_bytes;

	enum stream_state state;
	double last_claim; /* when idle entries were last claimed */
};

/* A chunk of stream entries; ids to XACK. */
struct stream_chunk {
	struct chunk c;
	struct in_stream *s;
	char **ids;
	size_t nids;
	int claim; /* an XAUTOCLAIM reply, not an XREADGROUP one */
};

/* Create. */
static struct input *
stream_create(struct pipeline *pl, struct link *wait, struct link *main,
    const struct cfg *c, struct metrics *m)
{
	struct in_stream *s = xcalloc(1, sizeof(*s));

	s->in.be = &in_stream_backend;
	s->pl = pl;
	s->wait = wait;
	s->main = main;
	s->m = m;
	s->key = xstrdup(c->input_key);
	s->consumer = xstrdup(c->consumer);
	s->batch = c->batch;
	s->block_ms = c->block_ms;
	s->claim_idle_ms = c->claim_idle_ms;
	s->max_event_bytes = c->max_event_bytes;
	return &s->in;
}

/* Free. */
static void
stream_destroy(struct input *in)
{
	struct in_stream *s = (struct in_stream *)in;

	free(s->key);
	free(s->consumer);
	free(s);
}

/* A link failed: the read outstanding is of an old generation. */
static void
stream_reset(struct input *in)
{
	((struct in_stream *)in)->state = S_IDLE;
}

/* A read is outstanding. */
static int
stream_busy(const struct input *in)
{
	return ((const struct in_stream *)in)->state == S_READING;
}

/* Free a chunk. */
static void
stream_chunk_free(struct chunk *c)
{
	struct stream_chunk *sc = (struct stream_chunk *)c;
	size_t i;

	for (i = 0; i < sc->nids; i++)
		free(sc->ids[i]);
	free(sc->ids);
	free(sc);
}

/* The entries of an XREADGROUP or XAUTOCLAIM reply. */
static void
stream_entries(struct stream_chunk *sc, const redisReply *arr)
{
	size_t i, j;

	for (i = 0;
	     arr != NULL && arr->type == REDIS_REPLY_ARRAY && i < arr->elements;
	     i++) {
		const redisReply *e = arr->element[i], *f;
		const redisReply *eve = NULL;
		struct careful_big big;

		if (e->type != REDIS_REPLY_ARRAY || e->elements < 2 ||
		    e->element[0]->type != REDIS_REPLY_STRING)
			continue;
		sc->ids =
		    xreallocarray(sc->ids, sc->nids + 1, sizeof(*sc->ids));
		sc->ids[sc->nids++] = xstrdup(e->element[0]->str);
		f = e->element[1];
		if (f->type != REDIS_REPLY_ARRAY) {
			/* trimmed by Suricata's stream-maxlen before read */
			sc->s->m->stream_trimmed++;
			continue;
		}
		for (j = 0; j + 1 < f->elements; j += 2)
			if (f->element[j]->type == REDIS_REPLY_STRING &&
			    strcmp(f->element[j]->str, "eve") == 0)
				eve = f->element[j + 1];
		if (eve != NULL && careful_is_big(eve, &big))
			pl_chunk_item_big(&sc->c, &big);
		else if (eve != NULL && eve->type == REDIS_REPLY_STRING)
			pl_chunk_item(&sc->c, eve->str, eve->len);
		else {
			/* an entry Suricata did not write: keep it whole */
			char raw[64];
			int n = snprintf(raw, sizeof(raw),
			    "{\"stream_entry\":\"%s\"}", e->element[0]->str);

			pl_chunk_item(&sc->c, raw, (size_t)n);
		}
	}
}

/* XREADGROUP (new or own pending) or XAUTOCLAIM answered. */
static void
stream_read_cb(redisAsyncContext *ac, void *r, void *priv)
{
	redisReply *reply = r;
	struct stream_chunk *sc = priv;
	struct in_stream *s = sc->s;
	const redisReply *entries = NULL;

	(void)ac;
	if (reply == NULL || pl_chunk_stale(&sc->c)) {
		pl_chunk_drop(&sc->c, NULL);
		return;
	}
	s->state = S_IDLE;
	if (reply->type == REDIS_REPLY_ERROR) {
		snprintf(sc->c.err, sizeof(sc->c.err), "%s", reply->str);
		pl_chunk_drop(&sc->c, sc->c.err);
		return;
	}
	if (reply->type == REDIS_REPLY_ARRAY && sc->claim) {
		/* XAUTOCLAIM: cursor, entries, deleted ids */
		if (reply->elements > 1)
			entries = reply->element[1];
		if (reply->elements > 2 &&
		    reply->element[2]->type == REDIS_REPLY_ARRAY)
			s->m->stream_trimmed += reply->element[2]->elements;
	} else if (reply->type == REDIS_REPLY_ARRAY && reply->elements > 0 &&
	    reply->element[0]->type == REDIS_REPLY_ARRAY &&
	    reply->element[0]->elements > 1)
		entries = reply->element[0]->element[1];
	if (entries == NULL || entries->type != REDIS_REPLY_ARRAY ||
	    entries->elements == 0) {
		/* nothing: recovery is over, or the wait timed out */
		if (sc->c.recovery)
			pl_recovered(s->pl);
		pl_chunk_drop(&sc->c, NULL);
		return;
	}
	pl_chunk_begin(&sc->c);
	stream_entries(sc, entries);
	pl_chunk_end(&sc->c);
	pl_step(s->pl);
}

/* Send one read for a new chunk. */
static void
stream_read(struct in_stream *s, int recovery)
{
	struct stream_chunk *sc = xcalloc(1, sizeof(*sc));
	char n[32], ms[32];
	double now = clock_mono();
	int rv;

	sc->s = s;
	pl_chunk_init(s->pl, &sc->c, recovery);
	snprintf(n, sizeof(n), "%ld", s->batch);
	if (pl_careful(s->pl)) {
		/* a reply was too large (careful.h): own pending entries, a
		 * few at a time, the largest replaced inside Redis */
		char max[32];

		snprintf(n, sizeof(n), "%d", CAREFUL_BATCH);
		snprintf(max, sizeof(max), "%ld", s->max_event_bytes);
		rv = link_cmdf(s->wait, stream_read_cb, sc,
		    "EVAL %s 1 %s %s XREADGROUP GROUP %s %s COUNT %s STREAMS "
		    "%s 0",
		    careful_script, s->key, max, STREAM_GROUP, s->consumer, n,
		    s->key);
	} else if (recovery)
		/* this consumer's own pending entries, oldest first */
		rv = link_cmdf(s->wait, stream_read_cb, sc,
		    "XREADGROUP GROUP %s %s COUNT %s STREAMS %s 0",
		    STREAM_GROUP, s->consumer, n, s->key);
	else if (now - s->last_claim >= (double)s->claim_idle_ms / 2000.0) {
		/* entries another consumer took and left idle too long */
		s->last_claim = now;
		sc->claim = 1;
		snprintf(ms, sizeof(ms), "%ld", s->claim_idle_ms);
		rv = link_cmdf(s->wait, stream_read_cb, sc,
		    "XAUTOCLAIM %s %s %s %s 0-0 COUNT %s", s->key, STREAM_GROUP,
		    s->consumer, ms, n);
	} else {
		snprintf(ms, sizeof(ms), "%ld", s->block_ms);
		rv = link_cmdf(s->wait, stream_read_cb, sc,
		    "XREADGROUP GROUP %s %s COUNT %s BLOCK %s STREAMS %s >",
		    STREAM_GROUP, s->consumer, n, ms, s->key);
	}
	if (rv != 0) {
		pl_chunk_drop(&sc->c, NULL);
		return;
	}
	s->state = S_READING;
}

/* Recovery: the group, created once with every retained entry, then this
 * consumer's pending entries. */
static void
stream_recover(struct input *in)
{
	struct in_stream *s = (struct in_stream *)in;

	s->state = S_IDLE;
	link_cmdf(s->wait, NULL, NULL, "XGROUP CREATE %s %s 0 MKSTREAM", s->key,
	    STREAM_GROUP);
	s->last_claim = 0; /* claim idle entries right away */
	pl_step(s->pl);
}

/* Send what there is room for. */
static void
stream_kick(struct input *in, enum in_want want)
{
	struct in_stream *s = (struct in_stream *)in;

	if (s->state != S_IDLE || pl_room(s->pl) <= 0)
		return;
	/* own pending entries: one chunk at a time, each acknowledged
	 * before the next read (which would return it again) */
	if (want == IN_RECOVER && pl_inflight(s->pl) == 0)
		stream_read(s, 1);
	else if (want == IN_RUN)
		stream_read(s, 0);
}

/* XACK answered: the chunk is done. */
static void
stream_ack_cb(redisAsyncContext *ac, void *r, void *priv)
{
	redisReply *reply = r;

	(void)ac;
	pl_chunk_done(priv, reply != NULL && reply->type != REDIS_REPLY_ERROR);
}

/* XACK every entry read: enriched, dead-lettered or gone. */
static void
stream_ack(struct input *in, struct chunk *c)
{
	struct in_stream *s = (struct in_stream *)in;
	struct stream_chunk *sc = (struct stream_chunk *)c;
	const char **argv;
	size_t *lens, i;
	int rv;

	if (sc->nids == 0) {
		pl_chunk_done(c, 1);
		return;
	}
	argv = xcalloc(sc->nids + 3, sizeof(*argv));
	lens = xcalloc(sc->nids + 3, sizeof(*lens));
	argv[0] = "XACK";
	argv[1] = s->key;
	argv[2] = STREAM_GROUP;
	for (i = 0; i < 3; i++)
		lens[i] = strlen(argv[i]);
	for (i = 0; i < sc->nids; i++) {
		argv[i + 3] = sc->ids[i];
		lens[i + 3] = strlen(sc->ids[i]);
	}
	rv = link_cmd(s->main, stream_ack_cb, c, (int)sc->nids + 3, argv, lens);
	free(argv);
	free(lens);
	if (rv != 0)
		pl_chunk_drop(c, NULL);
}

/* The backlog: entries in the stream. */
static void
stream_gauges(struct input *in)
{
	struct in_stream *s = (struct in_stream *)in;

	link_gauge(s->main, &s->m->backlog, "XLEN %s", s->key);
}

const struct input_backend in_stream_backend = {
    "stream",
    "stream",
    stream_create,
    stream_destroy,
    stream_recover,
    stream_kick,
    stream_ack,
    stream_reset,
    stream_busy,
    stream_gauges,
    stream_chunk_free,
};
