/*
 * pipeline.c: at-least-once consumption of Suricata's EVE list.
 *
 * Reliable queue (list mode):
 *   - when there is input, a new list <prefix>batch:<consumer>:<seq> is
 *     recorded in the set <prefix>inflight:<consumer>, and the whole input
 *     is RENAMEd to it in one step (Suricata's next push makes a new
 *     input).  When the input is empty, one BLMOVE into
 *     <prefix>batch:<consumer>:wait waits for the next event, so an idle
 *     pipeline answers at once and never polls;
 *   - the list is read from its oldest end in chunks (LRANGE); each event
 *     is enriched and its enriched form stored (XADD, sent preformatted
 *     from the enrichment's own buffer) and published, or its dead letter
 *     pushed;
 *   - only when Redis has acknowledged every store of a chunk is the chunk
 *     trimmed, by a script that trims only if the list holds exactly the
 *     count we expect.  Every command on a list goes over the output link,
 *     so those counts are exact.  A store Redis refuses (OOM) keeps the
 *     chunk: it is redone after a pause;
 *   - after a (re)start, and whenever a link came back, the recorded lists
 *     are finished first (recovery), oldest first.  When the input is idle
 *     and nothing is in flight, no list may be recorded; if one is,
 *     recovery runs again.
 * A link that fails bumps the generation: replies of the old generation are
 * ignored (their events are still in their batch list and get redone).
 * Duplicates are possible (a chunk stored but not yet trimmed when the
 * daemon died); every enriched alert carries sankaku.id for that.
 *
 * Checked stores (output.acks "chunk"): a chunk's XADDs and PUBLISHes go
 * out between CLIENT REPLY OFF and ON, so Redis writes no reply for them
 * (and wakes us for none); one INFO commandstats after them shows whether
 * every XADD ran: no XADD refused or failed since the reading before (on
 * this connection, in order) and at least as many run as were sent.  Only
 * then does the chunk count as stored.  Another client's refused XADD in
 * the same moment makes the check fail: the chunk is redone (duplicates,
 * never a loss).  Dead letters of such a chunk are pushed after the window,
 * each with its reply.  Redis before 7.0, or an ACL without +client|reply
 * and +info, is found out when the output link comes up (the probe), and
 * then every XADD is acknowledged on its own.
 *
 * Publishing: every 500 ms PUBSUB NUMSUB and NUMPAT say which channels have
 * subscribers; an alert is published only where someone listens (on every
 * channel while any pattern subscription exists, or before the first
 * answer).  The stream is the record; channels are for live consumers.
 */

#define _GNU_SOURCE /* asprintf */

#include <sys/time.h>

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <hiredis/hiredis.h>

#include "cmdstat.h"
#include "enrich.h"
#include "link.h"
#include "log.h"
#include "pipeline.h"
#include "xmalloc.h"

#define TICK_MS 500
#define STREAM_GROUP "sankaku"
#define GAUGE_EVERY 4  /* ticks */
#define READY_SLOTS 64 /* chunks waiting to be trimmed: input.inflight max */
#define QUIET_FAILS 3  /* failed chunk checks in a row: acknowledge each */

enum pl_state { PL_WAIT, PL_RECOVER, PL_RUN };

/* A list being drained from its oldest end, in chunks, on the output link:
 * the input renamed away in one step, or a recorded list being recovered.
 * len and unread follow every command sent so far on that link, so each
 * chunk's LRANGE and trim are exact. */
struct grab {
	char *key;
	int active;
	int recorded; /* in the registry (the wait list is not) */
	int recovery;
	long len;  /* items once every trim sent so far has run */
	long read; /* items read and not yet trimmed */
	/* Chunks are trimmed in the order they were read, each only once
	 * every store of it and of all chunks before it is in: a later
	 * chunk with nothing to store must not trim an earlier one whose
	 * stores might still fail. */
	unsigned long seq_read, seq_trim;
	struct batch *ready[READY_SLOTS]; /* stored, waiting for their turn */
};

/* Subscriber counts of the channels sankakud publishes on. */
struct subs {
	char **names; /* full channel names */
	long *count;
	size_t n;
	long numpat;
	int known;	       /* an answer has arrived */
	int any;	       /* anybody listening at all (or unknown) */
	unsigned long version; /* bumped when the list changes */
};

struct pipeline {
	struct event_base *base;
	struct cfg *cfg;
	struct idx *idx;
	struct enrich_tables *tables; /* fragments of cfg */
	struct metrics *m;
	struct link *in, *out;

	/* fixed at start: changing these needs a restart */
	char *input_key;
	char *registry; /* set of this consumer's batch lists */
	char *batch_prefix;
	char *wait_key; /* the one batch list BLMOVE fills, never recorded */
	int wait_busy;	/* a batch of wait_key is in flight */
	char *consumer;
	int rpush;
	long batch_max;
	long block_ms;
	unsigned long long boot_ms;
	unsigned long seq;

	int stream;	     /* input.mode stream (Suricata 8) */
	int stream_rec_done; /* stream recovery read everything pending */
	double last_claim;   /* stream mode: last XAUTOCLAIM */
	char *xadd_head;     /* XADD in Redis protocol up to the document */
	size_t xadd_head_len;

	enum pl_state state;
	unsigned long gen;
	int fetching;  /* a RENAME, BLMOVE or stream read pending */
	long inflight; /* batches taken and not yet deleted */
	int draining;
	int ready_sent;
	unsigned long ticks;
	int stream_warned;
	char **rkeys; /* recovery: recorded batches, oldest first */
	size_t nrkeys, rnext;
	struct subs subs;
	struct grab grab;
	int quiet_ok;	   /* this output connection checks stores */
	int probe_refused; /* the probe's CLIENT REPLY ON was refused */
	/* counters at the last reading: XADD, and CLIENT REPLY (each
	 * window adds two: fewer means the counters were reset) */
	struct cmdstat qstat, qreply;
	int qstat_valid;
	int qfails;	     /* chunk checks failed in a row */
	double qresume_at;   /* checks suspended until then (0: not) */
	struct event *retry; /* restart after a refused store */
	struct event *tick;  /* subscribers and gauges */
	void (*on_ready)(void *);
	void (*on_drained)(void *);
	void (*on_closed)(void *);
	int closing;
	int freeing; /* pl_free: replies come back NULL, nothing follows */
	void *arg;
};

/* One batch: its list, its input replies, its stores. */
struct batch {
	struct pipeline *pl;
	unsigned long gen;
	char *key;
	int recovery, blocking;
	size_t expected, answered; /* input replies */
	size_t nitems;		   /* events in it */
	size_t pending;		   /* stores not yet acknowledged */
	size_t alerts, published;
	int empty, failed, lost, finishing;
	double t0;
	char err[128];
	char **ids; /* stream mode: entries to XACK */
	size_t nids;
	long chunk;	   /* a chunk of the grab: its size */
	unsigned long seq; /* its place among the grab's chunks */
	int in_window;	   /* its stores go out quietly (CLIENT REPLY OFF) */
	size_t quiet;	   /* XADDs sent quietly, checked by one reading */
	char **dl;	   /* dead letters held until the window is closed */
	size_t *dllen, ndl;
};

/* A tag for single commands whose reply needs pl and gen. */
struct tag {
	struct pipeline *pl;
	unsigned long gen;
	unsigned long version;
};

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

/* Delete the wait list if it holds one event, the one just stored. */
static const char wait_done_script[] =
    "if redis.call('LLEN', KEYS[1]) == 1 then\n"
    "  redis.call('DEL', KEYS[1])\n"
    "  return 1\n"
    "end\n"
    "return 0\n";

static void pl_kick(struct pipeline *);
static void grab_flush(struct pipeline *);
static void batch_free(struct batch *);
static void pl_trim_cb(redisAsyncContext *, void *, void *);
static void grab_read(struct pipeline *);
static void grab_start(struct pipeline *, const char *, int, int);
static void pl_block(struct pipeline *);
static void pl_idle(struct pipeline *);
static void pl_recover(struct pipeline *);
static void pl_recover_next(struct pipeline *);
static void pl_recover_stream(struct pipeline *);
static void subs_refresh(struct pipeline *);
static void quiet_probe(struct pipeline *);
static void quiet_set(struct pipeline *, int);

/* Seconds since an arbitrary origin, monotonic. */
static double
now_mono(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* A tag for pl's current generation. */
static struct tag *
tag_new(struct pipeline *pl)
{
	struct tag *t = xcalloc(1, sizeof(*t));

	t->pl = pl;
	t->gen = pl->gen;
	t->version = pl->subs.version;
	return t;
}

/* Free a tag. */
static void
tag_free(struct tag *t)
{
	free(t);
}

/* Both links ready. */
static int
pl_links_up(const struct pipeline *pl)
{
	return link_state(pl->in) == LINK_READY &&
	    link_state(pl->out) == LINK_READY;
}

/* Done draining? */
static void
pl_check_drained(struct pipeline *pl)
{
	if (pl->freeing)
		return;
	if (pl->draining && !pl->fetching && pl->inflight == 0 &&
	    !pl->grab.active && pl->on_drained != NULL) {
		void (*cb)(void *) = pl->on_drained;

		pl->on_drained = NULL;
		cb(pl->arg);
	}
}

/* Start (or restart) consuming if everything is in place. */
static void
pl_maybe_start(struct pipeline *pl)
{
	if (pl->freeing)
		return;
	pl->m->redis_up = pl_links_up(pl);
	if (pl->state != PL_WAIT || !pl_links_up(pl) || pl->inflight != 0 ||
	    pl->fetching || evtimer_pending(pl->retry, NULL))
		return;
	pl_recover(pl);
}

/* Forget the grab; its list stays recorded (recovered).  Chunks that
 * waited for their turn are over too: recovery redoes them. */
static void
grab_forget(struct pipeline *pl)
{
	struct batch *waiting[READY_SLOTS];
	size_t i;

	memcpy(waiting, pl->grab.ready, sizeof(waiting));
	free(pl->grab.key);
	memset(&pl->grab, 0, sizeof(pl->grab));
	for (i = 0; i < READY_SLOTS; i++)
		if (waiting[i] != NULL)
			batch_free(waiting[i]);
}

/* Forget everything in flight: its events stay in their batch lists. */
static void
pl_restart(struct pipeline *pl, int delay_ms)
{
	pl->gen++;
	pl->state = PL_WAIT;
	pl->fetching = 0;
	pl->m->redis_up = pl_links_up(pl);
	if (delay_ms > 0) {
		struct timeval tv = {delay_ms / 1000, (delay_ms % 1000) * 1000};

		evtimer_add(pl->retry, &tv);
	}
	grab_forget(pl);
	pl_maybe_start(pl);
	pl_check_drained(pl);
}

/* Retry timer fired. */
static void
pl_retry_cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	pl_maybe_start(arg);
}

/* A link came up. */
static void
pl_link_up(struct link *l, void *arg)
{
	struct pipeline *pl = arg;

	pl->m->reconnects = link_reconnects(pl->in) + link_reconnects(pl->out);
	pl->subs.known = 0; /* publish everywhere until asked again */
	pl->subs.any = 1;
	if (l == pl->out && pl->cfg->publish)
		subs_refresh(pl); /* answered before any batch is stored */
	if (l == pl->out)
		quiet_probe(pl);
	pl_maybe_start(pl);
}

/* A link went down. */
static void
pl_link_down(struct link *l, void *arg)
{
	struct pipeline *pl = arg;

	if (l == pl->out)
		quiet_set(pl, 0);
	if (pl->closing) {
		/* shutting down: both links closed means every command sent
		 * was written and answered */
		if (link_state(pl->in) == LINK_DOWN &&
		    link_state(pl->out) == LINK_DOWN && pl->on_closed != NULL) {
			void (*cb)(void *) = pl->on_closed;

			pl->on_closed = NULL;
			cb(pl->arg);
		}
		return;
	}
	pl_restart(pl, 0);
}

/* Close both links once every pending reply is in (the last SREM and DEL
 * of a drained pipeline must reach Redis), then call on_closed. */
void
pl_close(struct pipeline *pl, void (*on_closed)(void *))
{
	pl->closing = 1;
	pl->on_closed = on_closed;
	if (link_state(pl->in) == LINK_DOWN &&
	    link_state(pl->out) == LINK_DOWN) {
		pl->on_closed = NULL;
		on_closed(pl->arg);
		return;
	}
	link_stop(pl->in);
	link_stop(pl->out);
}

/* (Re)build the list of channels from the config. */
static void
subs_build(struct pipeline *pl)
{
	struct subs *s = &pl->subs;
	const struct cfg *c = pl->cfg;
	size_t i, n = 0, cap = 1 + isog_nphases() + isog_nroles() + c->nsources;

	for (i = 0; i < s->n; i++)
		free(s->names[i]);
	free(s->names);
	free(s->count);
	s->names = xcalloc(cap, sizeof(*s->names));
	s->count = xcalloc(cap, sizeof(*s->count));
	if (asprintf(&s->names[n++], "%salerts", c->prefix) < 0)
		fatalx("asprintf");
	for (i = 0; i < isog_nphases(); i++)
		if (asprintf(&s->names[n++], "%sphase:%s", c->prefix,
			isog_phase_at(i)->id) < 0)
			fatalx("asprintf");
	for (i = 0; i < isog_nroles(); i++)
		if (asprintf(&s->names[n++], "%srole:%s", c->prefix,
			isog_role_at(i)->code) < 0)
			fatalx("asprintf");
	for (i = 0; i < c->nsources; i++)
		if (asprintf(&s->names[n++], "%ssource:%s", c->prefix,
			c->sources[i].id) < 0)
			fatalx("asprintf");
	s->n = n;
	s->known = 0;
	s->any = 1;
	s->version++;
}

/* The XADD of the config, in Redis protocol, up to the document. */
static void
xadd_build(struct pipeline *pl)
{
	const struct cfg *c = pl->cfg;
	char maxlen[32];
	int n;

	free(pl->xadd_head);
	snprintf(maxlen, sizeof(maxlen), "%ld", c->stream_maxlen);
	if (c->stream_maxlen > 0)
		n = asprintf(&pl->xadd_head,
		    "*8\r\n$4\r\nXADD\r\n$%zu\r\n%s\r\n$6\r\nMAXLEN\r\n$1\r\n~"
		    "\r\n$%zu\r\n%s\r\n$1\r\n*\r\n$5\r\nalert\r\n",
		    strlen(c->stream), c->stream, strlen(maxlen), maxlen);
	else
		n = asprintf(&pl->xadd_head,
		    "*5\r\n$4\r\nXADD\r\n$%zu\r\n%s\r\n$1\r\n*\r\n$5\r\nalert"
		    "\r\n",
		    strlen(c->stream), c->stream);
	if (n < 0)
		fatalx("asprintf");
	pl->xadd_head_len = (size_t)n;
}

/* Whether anybody can receive a message on channel i. */
static int
subs_listening(const struct pipeline *pl, size_t i)
{
	const struct subs *s = &pl->subs;

	return !s->known || s->numpat > 0 || s->count[i] > 0;
}

/* Recompute whether anybody listens anywhere. */
static void
subs_any(struct subs *s)
{
	size_t i;

	s->any = !s->known || s->numpat > 0;
	for (i = 0; !s->any && i < s->n; i++)
		s->any = s->count[i] > 0;
}

/* PUBSUB NUMSUB answered: name, count, name, count... */
static void
pl_numsub_cb(redisAsyncContext *ac, void *r, void *priv)
{
	redisReply *reply = r;
	struct tag *t = priv;
	struct subs *s = &t->pl->subs;
	size_t i;

	(void)ac;
	if (reply != NULL && reply->type == REDIS_REPLY_ARRAY &&
	    t->version == s->version && reply->elements == 2 * s->n) {
		for (i = 0; i < s->n; i++)
			if (reply->element[2 * i + 1]->type ==
			    REDIS_REPLY_INTEGER)
				s->count[i] =
				    (long)reply->element[2 * i + 1]->integer;
	}
	tag_free(t);
}

/* PUBSUB NUMPAT answered: after NUMSUB, so both are fresh now. */
static void
pl_numpat_cb(redisAsyncContext *ac, void *r, void *priv)
{
	redisReply *reply = r;
	struct tag *t = priv;
	struct subs *s = &t->pl->subs;

	(void)ac;
	if (reply != NULL && reply->type == REDIS_REPLY_INTEGER &&
	    t->version == s->version) {
		s->numpat = (long)reply->integer;
		s->known = 1;
		subs_any(s);
	}
	tag_free(t);
}

/* Ask who listens. */
static void
subs_refresh(struct pipeline *pl)
{
	struct subs *s = &pl->subs;
	const char **argv = xcalloc(s->n + 2, sizeof(*argv));
	size_t *lens = xcalloc(s->n + 2, sizeof(*lens)), i;
	struct tag *t = tag_new(pl);

	argv[0] = "PUBSUB";
	lens[0] = 6;
	argv[1] = "NUMSUB";
	lens[1] = 6;
	for (i = 0; i < s->n; i++) {
		argv[i + 2] = s->names[i];
		lens[i + 2] = strlen(s->names[i]);
	}
	if (link_cmd(pl->out, pl_numsub_cb, t, (int)s->n + 2, argv, lens) != 0)
		tag_free(t);
	t = tag_new(pl);
	if (link_cmdf(pl->out, pl_numpat_cb, t, "PUBSUB NUMPAT") != 0)
		tag_free(t);
	free(argv);
	free(lens);
}

/* Check stores per chunk on this connection, or not; the gauge says so. */
static void
quiet_set(struct pipeline *pl, int on)
{
	pl->quiet_ok = on;
	pl->m->checked_stores = on;
}

/* The probe's CLIENT REPLY ON answered: may this user use it? */
static void
pl_probe_on_cb(redisAsyncContext *ac, void *r, void *priv)
{
	redisReply *reply = r;
	struct tag *t = priv;

	(void)ac;
	/* a reply (not NULL) comes from the connection it was asked on */
	if (reply != NULL)
		t->pl->probe_refused = reply->type != REDIS_REPLY_STATUS;
	tag_free(t);
}

/* Read the XADD and CLIENT REPLY counters of an INFO commandstats
 * reply. */
static int
quiet_read(const redisReply *reply, struct cmdstat *s, struct cmdstat *cr)
{
	if (reply == NULL ||
	    (reply->type != REDIS_REPLY_STRING &&
		reply->type != REDIS_REPLY_STATUS))
		return -1;
	if (cmdstat_read(reply->str, reply->len, "xadd", s) != 0)
		return -1;
	return cmdstat_read(reply->str, reply->len, "client|reply", cr);
}

/* The probe's INFO commandstats answered: check stores per chunk from now
 * on if Redis can say whether they ran. */
static void
pl_probe_info_cb(redisAsyncContext *ac, void *r, void *priv)
{
	redisReply *reply = r;
	struct tag *t = priv;
	struct pipeline *pl = t->pl;
	struct cmdstat s, cr;

	(void)ac;
	if (reply != NULL) {
		if (pl->probe_refused || quiet_read(reply, &s, &cr) != 0)
			log_info("stores acknowledged one by one: Redis cannot "
				 "check them per chunk (%s)",
			    pl->probe_refused ? "CLIENT REPLY refused"
				: reply->type == REDIS_REPLY_ERROR
				? reply->str
				: "INFO commandstats without failed_calls");
		else {
			pl->qstat = s;
			pl->qreply = cr;
			pl->qstat_valid = 1;
			quiet_set(pl, 1);
			log_info("stores checked per chunk (CLIENT REPLY OFF, "
				 "INFO commandstats)");
		}
	}
	tag_free(t);
}

/* The output link is up: can it check stores per chunk? */
static void
quiet_probe(struct pipeline *pl)
{
	struct tag *t;

	quiet_set(pl, 0);
	pl->probe_refused = 0;
	if (pl->cfg->acks_each || pl->qresume_at > 0)
		return; /* the tick probes when the pause is over */
	t = tag_new(pl);
	if (link_cmdf(pl->out, pl_probe_on_cb, t, "CLIENT REPLY ON") != 0)
		tag_free(t);
	t = tag_new(pl);
	if (link_cmdf(pl->out, pl_probe_info_cb, t,
		"INFO commandstats errorstats") != 0)
		tag_free(t);
}

/* A new batch with a fresh list key. */
static struct batch *
batch_new(struct pipeline *pl, size_t expected, const char *key)
{
	struct batch *b = xcalloc(1, sizeof(*b));

	b->pl = pl;
	b->gen = pl->gen;
	b->expected = expected;
	b->t0 = now_mono();
	if (key != NULL)
		b->key = xstrdup(key);
	else if (asprintf(&b->key, "%s%016llx%08lx", pl->batch_prefix,
		     pl->boot_ms, pl->seq++) < 0)
		fatalx("asprintf");
	pl->inflight++;
	return b;
}

/* A batch is over (done, failed or stale). */
static void
batch_free(struct batch *b)
{
	struct pipeline *pl = b->pl;

	size_t i;

	pl->inflight--;
	if (b->blocking)
		pl->wait_busy = 0;
	for (i = 0; i < b->nids; i++)
		free(b->ids[i]);
	free(b->ids);
	for (i = 0; i < b->ndl; i++)
		free(b->dl[i]);
	free(b->dl);
	free(b->dllen);
	free(b->key);
	free(b);
	if (pl->freeing)
		return;
	if (pl->state == PL_WAIT)
		pl_maybe_start(pl);
	pl_check_drained(pl);
}

/* What to do after a batch of this generation ended. */
static void
batch_next(struct pipeline *pl, int recovery)
{
	if (recovery)
		pl_recover_next(pl);
	else if (pl->state == PL_RUN)
		pl_kick(pl);
}

/* Count a finished batch in the metrics. */
static void
batch_account(struct pipeline *pl, const struct batch *b)
{
	pl->m->stored += b->alerts;
	pl->m->published += b->published;
	if (b->recovery)
		pl->m->recovered += b->nitems;
	metrics_observe_latency(pl->m, now_mono() - b->t0);
}

/* The batch list is deleted and unrecorded: the batch is done. */
static void
pl_done_cb(redisAsyncContext *ac, void *r, void *priv)
{
	struct batch *b = priv;
	struct pipeline *pl = b->pl;
	int next = 0, recovery = b->recovery;

	(void)ac;
	if (r != NULL && ((redisReply *)r)->type == REDIS_REPLY_INTEGER &&
	    ((redisReply *)r)->integer == 0 && b->blocking && !pl->stream) {
		/* the wait list holds more than our event: recover it */
		log_warnx(
		    "wait list holds more events key=%s, recovering", b->key);
		pl->m->stored += b->alerts;
		batch_free(b);
		pl_restart(pl, 0);
		return;
	}
	if (r != NULL) {
		batch_account(pl, b);
		next = b->gen == pl->gen;
	}
	batch_free(b);
	if (next)
		batch_next(pl, recovery);
}

/* The grab is drained: unrecord it and go on. */
static void
grab_done(struct pipeline *pl)
{
	struct grab *g = &pl->grab;
	int recovery = g->recovery;

	if (g->recorded)
		link_cmdf(
		    pl->out, NULL, NULL, "SREM %s %s", pl->registry, g->key);
	free(g->key);
	memset(g, 0, sizeof(*g));
	if (recovery)
		pl_recover_next(pl);
	else
		pl_kick(pl);
}

/* A chunk's trim answered: the chunk is done. */
static void
pl_trim_cb(redisAsyncContext *ac, void *r, void *priv)
{
	redisReply *reply = r;
	struct batch *b = priv;
	struct pipeline *pl = b->pl;

	(void)ac;
	if (reply == NULL || b->gen != pl->gen) {
		batch_free(b);
		return;
	}
	if (reply->type != REDIS_REPLY_INTEGER || reply->integer != 1) {
		/* the list is not what we counted: never trim blindly */
		pl->m->batch_failed++;
		log_error("chunk not trimmed key=%s events=%zu err=\"%s\"",
		    b->key, b->nitems,
		    reply->type == REDIS_REPLY_ERROR ? reply->str
						     : "the list changed");
		batch_free(b);
		pl_restart(pl, 1000); /* recovery reads it again */
		return;
	}
	batch_account(pl, b);
	batch_free(b);
	if (pl->grab.active && pl->grab.len == 0 && pl->grab.read == 0)
		grab_done(pl);
	else
		grab_read(pl);
	pl_check_drained(pl);
}

/* Trim the stored chunks whose turn it is, oldest first. */
static void
grab_flush(struct pipeline *pl)
{
	struct grab *g = &pl->grab;
	struct batch *b;

	while ((b = g->ready[g->seq_trim % READY_SLOTS]) != NULL &&
	    b->seq == g->seq_trim) {
		char len[32], m[32];

		g->ready[g->seq_trim % READY_SLOTS] = NULL;
		g->seq_trim++;
		snprintf(len, sizeof(len), "%ld", g->len);
		snprintf(m, sizeof(m), "%ld", b->chunk);
		g->len -= b->chunk;
		g->read -= b->chunk;
		if (link_cmdf(pl->out, pl_trim_cb, b, "EVAL %s 1 %s %s %s %s",
			trim_script, b->key, len, m,
			pl->rpush ? "head" : "tail") != 0)
			batch_free(b); /* link gone: recovered later */
	}
}

/* Every reply of the batch is in: delete it, or keep it for later. */
static void
batch_check(struct batch *b)
{
	struct pipeline *pl = b->pl;
	int recovery = b->recovery;

	if (b->answered < b->expected || b->pending > 0 || b->finishing)
		return;
	if (b->gen != pl->gen || b->lost) {
		batch_free(b); /* its events wait in its list */
		return;
	}
	if (b->failed) {
		pl->m->batch_failed++;
		log_error("batch kept for later key=%s events=%zu err=\"%s\"",
		    b->key, b->nitems, b->err);
		batch_free(b);
		pl_restart(pl, 1000); /* Redis full or failing: back off */
		return;
	}
	if (pl->stream) {
		/* XACK every entry read, enriched, dead-lettered or gone */
		const char **argv;
		size_t *lens, i;
		int rv;

		if (b->nids == 0) {
			batch_free(b);
			if (recovery)
				pl_recover_next(pl);
			return;
		}
		argv = xcalloc(b->nids + 3, sizeof(*argv));
		lens = xcalloc(b->nids + 3, sizeof(*lens));
		argv[0] = "XACK";
		argv[1] = pl->input_key;
		argv[2] = STREAM_GROUP;
		for (i = 0; i < 3; i++)
			lens[i] = strlen(argv[i]);
		for (i = 0; i < b->nids; i++) {
			argv[i + 3] = b->ids[i];
			lens[i + 3] = strlen(b->ids[i]);
		}
		b->finishing = 1;
		rv = link_cmd(
		    pl->out, pl_done_cb, b, (int)b->nids + 3, argv, lens);
		free(argv);
		free(lens);
		if (rv != 0)
			batch_free(b);
		return;
	}
	if (b->chunk > 0) {
		/* every store of the chunk is in: trim it, in its turn */
		b->finishing = 1;
		pl->grab.ready[b->seq % READY_SLOTS] = b;
		grab_flush(pl);
		return;
	}
	/* list mode, not a chunk: the BLMOVE batch of the wait list */
	if (b->nitems == 0) {
		batch_free(b); /* it timed out with nothing */
		return;
	}
	/* the wait list: delete it only if it holds just our one event (a
	 * late BLMOVE of a broken connection may have added one more) */
	b->finishing = 1;
	if (link_cmdf(pl->out, pl_done_cb, b, "EVAL %s 1 %s", wait_done_script,
		b->key) != 0)
		batch_free(b); /* link gone: recovered later */
}

/* A store (XADD or dead-letter LPUSH) answered. */
static void
pl_store_cb(redisAsyncContext *ac, void *r, void *priv)
{
	redisReply *reply = r;
	struct batch *b = priv;

	(void)ac;
	b->pending--;
	if (reply == NULL)
		b->lost = 1;
	else if (reply->type == REDIS_REPLY_ERROR && !b->failed) {
		b->failed = 1;
		snprintf(b->err, sizeof(b->err), "%s", reply->str);
	}
	batch_check(b);
}

/* Argv of one command, up to 12 arguments. */
struct cmd {
	const char *argv[12];
	size_t lens[12];
	int argc;
};

/* Add an argument. */
static void
arg(struct cmd *c, const char *s, size_t n)
{
	c->argv[c->argc] = s;
	c->lens[c->argc] = n;
	c->argc++;
}

/* Add a NUL-terminated argument. */
static void
args(struct cmd *c, const char *s)
{
	arg(c, s, strlen(s));
}

/* Send c for batch b: quietly inside its window, else with cb (and b). */
static int
batch_send(
    struct pipeline *pl, struct batch *b, redisCallbackFn *cb, struct cmd *c)
{
	if (b->in_window)
		return link_quiet_cmd(pl->out, c->argc, c->argv, c->lens);
	return link_cmd(pl->out, cb, b, c->argc, c->argv, c->lens);
}

/* LPUSH a dead letter of b, with its reply. */
static void
push_deadletter(
    struct pipeline *pl, struct batch *b, const char *dl, size_t dlen)
{
	struct cmd c = {.argc = 0};

	args(&c, "LPUSH");
	args(&c, pl->cfg->deadletter);
	arg(&c, dl, dlen);
	if (link_cmd(pl->out, pl_store_cb, b, c.argc, c.argv, c.lens) == 0)
		b->pending++;
	else
		b->lost = 1;
}

/* PUBLISH the alert on channel i if anybody listens. */
static void
publish(
    struct pipeline *pl, size_t i, const char *msg, size_t len, struct batch *b)
{
	struct cmd c = {.argc = 0};

	if (!subs_listening(pl, i))
		return;
	args(&c, "PUBLISH");
	args(&c, pl->subs.names[i]);
	arg(&c, msg, len);
	batch_send(pl, b, NULL, &c);
	b->published++;
}

/* XADD the enriched alert, framed in place in its buffer: quietly inside
 * the batch's window, else with a reply.  0 when sent. */
static int
store_alert(struct pipeline *pl, struct batch *b, struct enrich_out *out)
{
	char tail[32];
	size_t tl, hl = pl->xadd_head_len;
	char *start;
	int rv;

	tl = (size_t)snprintf(tail, sizeof(tail), "$%zu\r\n", out->len);
	if (hl + tl <= ENRICH_HEADROOM) {
		start = out->json - tl - hl;
		memcpy(start, pl->xadd_head, hl);
		memcpy(start + hl, tail, tl);
		out->json[out->len] = '\r';
		out->json[out->len + 1] = '\n';
		if (b->in_window)
			rv = link_quiet_raw(
			    pl->out, start, hl + tl + out->len + 2);
		else
			rv = link_cmd_raw(pl->out, pl_store_cb, b, start,
			    hl + tl + out->len + 2);
	} else {
		/* a stream name too long for the headroom */
		struct cmd c = {.argc = 0};
		char maxlen[32];

		args(&c, "XADD");
		args(&c, pl->cfg->stream);
		if (pl->cfg->stream_maxlen > 0) {
			snprintf(maxlen, sizeof(maxlen), "%ld",
			    pl->cfg->stream_maxlen);
			args(&c, "MAXLEN");
			args(&c, "~");
			args(&c, maxlen);
		}
		args(&c, "*");
		args(&c, "alert");
		arg(&c, out->json, out->len);
		rv = batch_send(pl, b, pl_store_cb, &c);
	}
	if (rv == 0) {
		if (b->in_window)
			b->quiet++;
		else
			b->pending++;
	}
	return rv;
}

/* Index of a source in the config, for its channel. */
static size_t
source_index(const struct pipeline *pl, const struct cfg_source *s)
{
	return (size_t)(s - pl->cfg->sources);
}

/* One event of a batch: enrich it and send its store. */
static void
pl_item(struct pipeline *pl, struct batch *b, const char *raw, size_t len)
{
	struct enrich_ctx ctx = {pl->cfg, pl->idx, pl->tables};
	struct enrich_out out;
	size_t i, base_role = 1 + isog_nphases(),
		  base_src = base_role + isog_nroles();

	b->nitems++;
	pl->m->consumed++;
	switch (enrich_event(&ctx, raw, len, &out)) {
	case ENRICH_OK:
		pl->m->enriched++;
		b->alerts++;
		metrics_inc(pl->m->phases, 8, out.phase->id, 1);
		for (i = 0; i < out.nsources; i++)
			metrics_inc(pl->m->sources, METRICS_MAX_LABELS,
			    out.sources[i]->id, 1);
		log_debug("alert enriched id=%s phase=%s sources=%zu", out.id,
		    out.phase->id, out.nsources);
		if (pl->cfg->publish && pl->subs.any) {
			publish(pl, 0, out.json, out.len, b);
			publish(pl, 1 + cfg_phase_index(out.phase), out.json,
			    out.len, b);
			for (i = 0; i < out.nroles; i++)
				publish(pl,
				    base_role + isog_role_index(out.roles[i]),
				    out.json, out.len, b);
			for (i = 0; i < out.nsources; i++)
				publish(pl,
				    base_src + source_index(pl, out.sources[i]),
				    out.json, out.len, b);
		}
		if (store_alert(pl, b, &out) != 0)
			b->lost = 1;
		break;
	case ENRICH_SKIPPED:
		pl->m->skipped++;
		metrics_inc(pl->m->events, 32, out.event_type, 1);
		break;
	case ENRICH_REJECTED: {
		size_t dlen;
		char *dl = enrich_deadletter(out.reason, out.detail, raw, len,
		    pl->consumer, time(NULL), &dlen);

		if (dl == NULL)
			fatalx("dead letter: out of memory");
		metrics_inc(pl->m->deadletter, 16, out.reason, 1);
		log_warnx("event dead-lettered id=%s reason=%s detail=\"%s\"",
		    out.id, out.reason, out.detail);
		if (b->in_window) {
			/* sent with its reply once the window is closed */
			b->dl =
			    xreallocarray(b->dl, b->ndl + 1, sizeof(*b->dl));
			b->dllen = xreallocarray(
			    b->dllen, b->ndl + 1, sizeof(*b->dllen));
			b->dl[b->ndl] = dl;
			b->dllen[b->ndl++] = dlen;
			break;
		}
		push_deadletter(pl, b, dl, dlen);
		free(dl);
		break;
	}
	}
	enrich_out_free(&out);
}

/* The reading after a batch's quiet stores: did every XADD run? */
static void
pl_qcheck_cb(redisAsyncContext *ac, void *r, void *priv)
{
	redisReply *reply = r;
	struct batch *b = priv;
	struct pipeline *pl = b->pl;
	struct cmdstat now, cr;
	int ok = 0;

	(void)ac;
	b->pending--;
	if (reply == NULL)
		b->lost = 1;
	else {
		/* every reading moves the mark, in the order they came */
		if (quiet_read(reply, &now, &cr) == 0) {
			/* every XADD ran, and the window's OFF and ON are
			 * counted too (not so when the counters were reset
			 * in between, which could hide a refused XADD) */
			ok = pl->qstat_valid &&
			    cmdstat_all_ran(
				&pl->qstat, &now, (long long)b->quiet) &&
			    cmdstat_all_ran(&pl->qreply, &cr, 2);
			pl->qstat = now;
			pl->qreply = cr;
			pl->qstat_valid = 1;
		} else
			pl->qstat_valid = 0;
		if (ok)
			pl->qfails = 0;
		else if (++pl->qfails >= QUIET_FAILS && pl->quiet_ok) {
			/* refused or failing XADDs, perhaps another client's:
			 * every chunk would be redone; acknowledge each for a
			 * while instead */
			quiet_set(pl, 0);
			pl->qresume_at = now_mono() +
			    (double)pl->cfg->acks_pause_ms / 1000.0;
			log_warnx("stores acknowledged one by one for %ld ms: "
				  "%d chunk checks in a row failed (XADDs "
				  "refused or failing, ours or another "
				  "client's)",
			    pl->cfg->acks_pause_ms, pl->qfails);
		}
		if (!ok && !b->failed) {
			char errs[64] = "";

			if (reply->type != REDIS_REPLY_ERROR)
				cmdstat_errors(
				    reply->str, reply->len, errs, sizeof(errs));
			b->failed = 1;
			snprintf(b->err, sizeof(b->err),
			    "not all %zu XADDs ran: %s%s", b->quiet,
			    reply->type == REDIS_REPLY_ERROR
				? reply->str
				: "Redis refused or failed one; its errors: ",
			    errs);
		}
	}
	batch_check(b);
}

/* Send a batch's stores quietly if this connection can check them. */
static void
window_open(struct pipeline *pl, struct batch *b)
{
	if (pl->quiet_ok && link_quiet_begin(pl->out) == 0)
		b->in_window = 1;
}

/* Close the window: the reading that checks it, then the dead letters
 * held back, each with its reply. */
static void
window_close(struct pipeline *pl, struct batch *b)
{
	size_t i;

	if (!b->in_window)
		return;
	b->in_window = 0;
	if (link_quiet_end(pl->out) != 0)
		b->lost = 1;
	else if (b->quiet > 0) {
		if (link_cmdf(pl->out, pl_qcheck_cb, b,
			"INFO commandstats errorstats") == 0)
			b->pending++;
		else
			b->lost = 1;
	}
	for (i = 0; i < b->ndl; i++) {
		push_deadletter(pl, b, b->dl[i], b->dllen[i]);
		free(b->dl[i]);
	}
	free(b->dl);
	free(b->dllen);
	b->dl = NULL;
	b->dllen = NULL;
	b->ndl = 0;
}

/* The BLMOVE answered: one event, or nothing on timeout. */
static void
pl_move_cb(redisAsyncContext *ac, void *r, void *priv)
{
	redisReply *reply = r;
	struct batch *b = priv;
	struct pipeline *pl = b->pl;
	int stale;

	(void)ac;
	b->answered++;
	stale = b->gen != pl->gen;
	if (reply == NULL)
		b->lost = 1;
	else if (reply->type == REDIS_REPLY_STRING && !stale && !b->lost)
		pl_item(pl, b, reply->str, reply->len);
	else if (reply->type == REDIS_REPLY_NIL)
		b->empty = 1;
	else if (reply->type == REDIS_REPLY_ERROR && !b->failed) {
		b->failed = 1;
		snprintf(b->err, sizeof(b->err), "%s", reply->str);
	}
	if (b->answered == b->expected) {
		int go = !stale && !b->lost && !b->failed, empty = b->empty;

		if (!stale)
			pl->fetching = 0;
		batch_check(b); /* may free b */
		if (go) {
			if (empty) {
				/* the input is empty: wait, do not poll */
				pl->m->backlog = 0;
				pl_idle(pl);
			} else
				pl_kick(pl);
		}
		pl_check_drained(pl);
	}
}

/* Stream mode: the entries of an XREADGROUP or XAUTOCLAIM reply. */
static void
stream_entries(struct pipeline *pl, struct batch *b, const redisReply *arr)
{
	size_t i, j;

	for (i = 0;
	     arr != NULL && arr->type == REDIS_REPLY_ARRAY && i < arr->elements;
	     i++) {
		const redisReply *e = arr->element[i], *f;
		const redisReply *eve = NULL;

		if (e->type != REDIS_REPLY_ARRAY || e->elements < 2 ||
		    e->element[0]->type != REDIS_REPLY_STRING)
			continue;
		b->ids = xreallocarray(b->ids, b->nids + 1, sizeof(*b->ids));
		b->ids[b->nids++] = xstrdup(e->element[0]->str);
		f = e->element[1];
		if (f->type != REDIS_REPLY_ARRAY) {
			/* trimmed by Suricata's stream-maxlen before we read it
			 */
			pl->m->stream_trimmed++;
			continue;
		}
		for (j = 0; j + 1 < f->elements; j += 2)
			if (f->element[j]->type == REDIS_REPLY_STRING &&
			    strcmp(f->element[j]->str, "eve") == 0 &&
			    f->element[j + 1]->type == REDIS_REPLY_STRING)
				eve = f->element[j + 1];
		if (eve != NULL)
			pl_item(pl, b, eve->str, eve->len);
		else {
			/* an entry Suricata did not write: keep it whole */
			char raw[64];
			int n = snprintf(raw, sizeof(raw),
			    "{\"stream_entry\":\"%s\"}", e->element[0]->str);

			pl_item(pl, b, raw, (size_t)n);
		}
	}
}

/* Stream mode: XREADGROUP (new or own pending) or XAUTOCLAIM answered. */
static void
pl_xread_cb(redisAsyncContext *ac, void *r, void *priv)
{
	redisReply *reply = r;
	struct batch *b = priv;
	struct pipeline *pl = b->pl;
	int stale = b->gen != pl->gen, recovery = b->recovery, go;

	(void)ac;
	b->answered = b->expected;
	if (reply == NULL)
		b->lost = 1;
	else if (reply->type == REDIS_REPLY_ERROR) {
		b->failed = 1;
		snprintf(b->err, sizeof(b->err), "%s", reply->str);
	} else if (!stale && reply->type == REDIS_REPLY_ARRAY) {
		window_open(pl, b);
		if (b->blocking) { /* XAUTOCLAIM: cursor, entries, deleted */
			stream_entries(pl, b,
			    reply->elements > 1 ? reply->element[1] : NULL);
			if (reply->elements > 2 &&
			    reply->element[2]->type == REDIS_REPLY_ARRAY)
				pl->m->stream_trimmed +=
				    reply->element[2]->elements;
		} else if (reply->elements > 0 &&
		    reply->element[0]->type == REDIS_REPLY_ARRAY &&
		    reply->element[0]->elements > 1)
			stream_entries(pl, b, reply->element[0]->element[1]);
		window_close(pl, b);
	}
	b->empty = b->nids == 0;
	go = !stale && !b->lost && !b->failed;
	if (!stale && !recovery)
		pl->fetching = 0;
	if (recovery && go && b->empty) {
		/* nothing more pending: consume (claiming idle entries of
		 * other consumers first) */
		batch_free(b);
		pl->stream_rec_done = 1;
		pl_recover_next(pl);
		return;
	}
	/* recovery: once acknowledged, pl_recover_next reads again */
	batch_check(b); /* may free b */
	if (go && !recovery)
		pl_kick(pl);
	pl_check_drained(pl);
}

/* Stream mode: read new entries, or now and then claim idle ones. */
static void
pl_kick_stream(struct pipeline *pl)
{
	struct batch *b;
	char n[32], ms[32];
	double now = now_mono();

	b = batch_new(pl, 1, "-");
	snprintf(n, sizeof(n), "%ld", pl->batch_max);
	pl->fetching = 1;
	if (now - pl->last_claim >= (double)pl->cfg->claim_idle_ms / 2000.0) {
		/* entries another consumer took and left idle too long */
		pl->last_claim = now;
		b->blocking = 1; /* marks an XAUTOCLAIM reply */
		snprintf(ms, sizeof(ms), "%ld", pl->cfg->claim_idle_ms);
		if (link_cmdf(pl->in, pl_xread_cb, b,
			"XAUTOCLAIM %s %s %s %s 0-0 COUNT %s", pl->input_key,
			STREAM_GROUP, pl->consumer, ms, n) == 0)
			return;
	} else {
		snprintf(ms, sizeof(ms), "%ld", pl->block_ms);
		if (link_cmdf(pl->in, pl_xread_cb, b,
			"XREADGROUP GROUP %s %s COUNT %s BLOCK %s STREAMS %s >",
			STREAM_GROUP, pl->consumer, n, ms, pl->input_key) == 0)
			return;
	}
	pl->fetching = 0;
	batch_free(b);
}

/* A chunk of the grab answered: enrich its events, oldest first. */
static void
pl_chunk_cb(redisAsyncContext *ac, void *r, void *priv)
{
	redisReply *reply = r;
	struct batch *b = priv;
	struct pipeline *pl = b->pl;
	size_t i, n;

	(void)ac;
	b->answered = b->expected;
	if (reply == NULL)
		b->lost = 1;
	else if (reply->type != REDIS_REPLY_ARRAY ||
	    reply->elements != (size_t)b->chunk) {
		b->failed = 1;
		snprintf(b->err, sizeof(b->err), "%s",
		    reply->type == REDIS_REPLY_ERROR ? reply->str
						     : "the list changed");
	} else if (b->gen == pl->gen) {
		n = reply->elements;
		window_open(pl, b);
		for (i = 0; i < n; i++) {
			/* lpush order: the oldest is last in the range */
			redisReply *it =
			    reply->element[pl->rpush ? i : n - 1 - i];

			if (it->type == REDIS_REPLY_STRING)
				pl_item(pl, b, it->str, it->len);
		}
		window_close(pl, b);
	}
	batch_check(b);
}

/* Read chunks of the grab while there is room. */
static void
grab_read(struct pipeline *pl)
{
	struct grab *g = &pl->grab;

	/* a grabbed list is in flight: even when draining, finish it */
	while (g->active && pl->inflight < pl->cfg->inflight &&
	    pl_links_up(pl) && g->len - g->read > 0) {
		long m = g->len - g->read;
		struct batch *b;
		int rv;

		if (m > pl->batch_max)
			m = pl->batch_max;
		b = batch_new(pl, (size_t)m, g->key);
		b->chunk = m;
		b->seq = g->seq_read++;
		b->recovery = g->recovery;
		if (pl->rpush)
			rv = link_cmdf(pl->out, pl_chunk_cb, b,
			    "LRANGE %s %ld %ld", g->key, g->read,
			    g->read + m - 1);
		else
			rv = link_cmdf(pl->out, pl_chunk_cb, b,
			    "LRANGE %s %ld %ld", g->key, -(g->read + m),
			    -(g->read + 1));
		if (rv != 0) {
			batch_free(b);
			return;
		}
		g->read += m;
	}
}

/* How long the list to grab is, after its RENAME (or for recovery). */
struct gtag {
	struct pipeline *pl;
	unsigned long gen;
	char *key;
	int recorded, recovery;
	char err[128];
};

/* Free a gtag. */
static void
gtag_free(struct gtag *t)
{
	free(t->key);
	free(t);
}

/* RENAME of the input answered: an error is kept for the LLEN after it. */
static void
pl_rename_cb(redisAsyncContext *ac, void *r, void *priv)
{
	redisReply *reply = r;
	struct gtag *t = priv;

	(void)ac;
	if (reply != NULL && reply->type == REDIS_REPLY_ERROR)
		snprintf(t->err, sizeof(t->err), "%s", reply->str);
}

/* LLEN of the list to grab answered: drain it, or there is nothing. */
static void
pl_glen_cb(redisAsyncContext *ac, void *r, void *priv)
{
	redisReply *reply = r;
	struct gtag *t = priv;
	struct pipeline *pl = t->pl;
	struct grab *g = &pl->grab;
	long n;

	(void)ac;
	if (reply == NULL || t->gen != pl->gen) {
		gtag_free(t);
		return;
	}
	if (!t->recovery)
		pl->fetching = 0;
	if (t->err[0] != '\0' && strstr(t->err, "no such key") == NULL) {
		log_error("input not taken err=\"%s\"", t->err);
		gtag_free(t);
		pl_restart(pl, 1000);
		return;
	}
	n = reply->type == REDIS_REPLY_INTEGER ? (long)reply->integer : 0;
	if (n == 0) {
		/* nothing there (the input was empty) */
		if (t->recorded)
			link_cmdf(pl->out, NULL, NULL, "SREM %s %s",
			    pl->registry, t->key);
		if (t->recovery)
			pl_recover_next(pl);
		else {
			pl->m->backlog = 0;
			pl_idle(pl);
		}
		gtag_free(t);
		return;
	}
	if (t->recovery)
		log_info("recovering key=%s events=%ld", t->key, n);
	free(g->key);
	g->key = t->key;
	t->key = NULL;
	g->active = 1;
	g->recorded = t->recorded;
	g->recovery = t->recovery;
	g->len = n;
	g->read = 0;
	gtag_free(t);
	grab_read(pl);
}

/* Drain an existing list: a recorded batch, or the wait list. */
static void
grab_start(struct pipeline *pl, const char *key, int recorded, int recovery)
{
	struct gtag *t = xcalloc(1, sizeof(*t));

	t->pl = pl;
	t->gen = pl->gen;
	t->key = xstrdup(key);
	t->recorded = recorded;
	t->recovery = recovery;
	if (link_cmdf(pl->out, pl_glen_cb, t, "LLEN %s", key) != 0)
		gtag_free(t);
}

/* Take the whole input in one step: record a new list, RENAME the input
 * to it (Suricata's next push makes a new input), drain it in chunks.
 * All on the output link, so every count is exact. */
static void
grab_input(struct pipeline *pl)
{
	struct gtag *t = xcalloc(1, sizeof(*t));

	t->pl = pl;
	t->gen = pl->gen;
	t->recorded = 1;
	if (asprintf(&t->key, "%s%016llx%08lx", pl->batch_prefix, pl->boot_ms,
		pl->seq++) < 0)
		fatalx("asprintf");
	pl->fetching = 1;
	if (link_cmdf(
		pl->out, NULL, NULL, "SADD %s %s", pl->registry, t->key) != 0 ||
	    link_cmdf(pl->out, pl_rename_cb, t, "RENAME %s %s", pl->input_key,
		t->key) != 0 ||
	    link_cmdf(pl->out, pl_glen_cb, t, "LLEN %s", t->key) != 0) {
		pl->fetching = 0; /* the link is gone: the restart follows */
		return;
	}
}

/* Take more input if there is room: drain the grab, or grab the input. */
static void
pl_kick(struct pipeline *pl)
{
	if (pl->state != PL_RUN || pl->fetching || pl->draining ||
	    pl->inflight >= pl->cfg->inflight || !pl_links_up(pl))
		return;
	if (pl->stream) {
		pl_kick_stream(pl);
		return;
	}
	if (pl->grab.active) {
		grab_read(pl);
		return;
	}
	grab_input(pl);
}

/* Idle: is anything still recorded?  Then recover it. */
static void
pl_idle_cb(redisAsyncContext *ac, void *r, void *priv)
{
	redisReply *reply = r;
	struct tag *t = priv;
	struct pipeline *pl = t->pl;
	unsigned long gen = t->gen;

	(void)ac;
	tag_free(t);
	if (reply == NULL || gen != pl->gen ||
	    reply->type != REDIS_REPLY_INTEGER)
		return;
	pl->m->processing = (long)reply->integer;
	if (reply->integer > 0 && pl->inflight == 0 && !pl->fetching &&
	    pl->state == PL_RUN) {
		log_warnx("stranded batches=%lld, recovering", reply->integer);
		pl_recover(pl);
		return;
	}
	pl_block(pl);
}

/* The input is empty.  With nothing in flight, no batch may be recorded:
 * check that (after the SREMs just sent, on the same link) before waiting
 * in BLMOVE, whose own batch would otherwise be counted. */
static void
pl_idle(struct pipeline *pl)
{
	struct tag *t;

	if (pl->inflight != 0 || pl->draining || pl->state != PL_RUN) {
		pl_block(pl);
		return;
	}
	t = tag_new(pl);
	if (link_cmdf(pl->out, pl_idle_cb, t, "SCARD %s", pl->registry) != 0)
		tag_free(t);
}

/* Block until one event arrives, for at most input.block_ms. */
static void
pl_block(struct pipeline *pl)
{
	struct batch *b;
	char timeout[32];

	if (pl->draining || pl->fetching || pl->wait_busy ||
	    pl->inflight >= pl->cfg->inflight || !pl_links_up(pl) ||
	    pl->state != PL_RUN)
		return; /* a finished batch kicks again */
	/* The wait list is always looked at by recovery, so it needs no
	 * record; it is reused only once its last batch is deleted. */
	b = batch_new(pl, 1, pl->wait_key);
	b->blocking = 1;
	pl->wait_busy = 1;
	snprintf(
	    timeout, sizeof(timeout), "%.3f", (double)pl->block_ms / 1000.0);
	if (link_cmdf(pl->in, pl_move_cb, b, "BLMOVE %s %s %s LEFT %s",
		pl->input_key, b->key, pl->rpush ? "LEFT" : "RIGHT",
		timeout) != 0) {
		batch_free(b);
		return;
	}
	pl->fetching = 1;
}

/* Recovery: the next recorded batch, or start consuming. */
static void
pl_recover_next(struct pipeline *pl)
{
	const char *key;
	size_t i;

	if (pl->stream && !pl->stream_rec_done) {
		pl_recover_stream(pl);
		return;
	}
	if (pl->rnext >= pl->nrkeys) {
		for (i = 0; pl->rkeys != NULL && i < pl->nrkeys; i++)
			free(pl->rkeys[i]);
		free(pl->rkeys);
		pl->rkeys = NULL;
		pl->nrkeys = pl->rnext = 0;
		if (pl->state == PL_RECOVER)
			log_info("consuming input=%s consumer=%s",
			    pl->input_key, pl->consumer);
		pl->state = PL_RUN;
		if (!pl->ready_sent && pl->on_ready != NULL) {
			pl->ready_sent = 1;
			pl->on_ready(pl->arg);
		}
		pl_kick(pl);
		pl_check_drained(pl);
		return;
	}
	key = pl->rkeys[pl->rnext++];
	grab_start(pl, key, strcmp(key, pl->wait_key) != 0, 1);
}

/* Sort batch keys: fixed-width hexadecimal, so by time. */
static int
key_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Recovery: the recorded batches. */
static void
pl_members_cb(redisAsyncContext *ac, void *r, void *priv)
{
	redisReply *reply = r;
	struct tag *t = priv;
	struct pipeline *pl = t->pl;
	unsigned long gen = t->gen;
	size_t i;

	(void)ac;
	tag_free(t);
	if (reply == NULL || gen != pl->gen)
		return;
	if (reply->type != REDIS_REPLY_ARRAY) {
		log_error("recovery read failed key=%s err=\"%s\"",
		    pl->registry,
		    reply->type == REDIS_REPLY_ERROR ? reply->str : "?");
		pl_restart(pl, 1000);
		return;
	}
	for (i = 0; i < pl->nrkeys; i++)
		free(pl->rkeys[i]);
	free(pl->rkeys);
	pl->nrkeys = pl->rnext = 0;
	pl->rkeys = xcalloc(reply->elements + 2, sizeof(*pl->rkeys));
	/* the wait list first: it was filled while nothing else ran */
	pl->rkeys[pl->nrkeys++] = xstrdup(pl->wait_key);
	for (i = 0; i < reply->elements; i++)
		if (reply->element[i]->type == REDIS_REPLY_STRING &&
		    strcmp(reply->element[i]->str, pl->wait_key) != 0)
			pl->rkeys[pl->nrkeys++] =
			    xstrdup(reply->element[i]->str);
	qsort(pl->rkeys + 1, pl->nrkeys - 1, sizeof(*pl->rkeys), key_cmp);
	pl_recover_next(pl);
}

/* Stream mode recovery: this consumer's own pending entries, a batch at a
 * time, each acknowledged before the next is read. */
static void
pl_recover_stream(struct pipeline *pl)
{
	struct batch *b = batch_new(pl, 1, "-");
	char n[32];

	b->recovery = 1;
	snprintf(n, sizeof(n), "%ld", pl->batch_max);
	if (link_cmdf(pl->in, pl_xread_cb, b,
		"XREADGROUP GROUP %s %s COUNT %s STREAMS %s 0", STREAM_GROUP,
		pl->consumer, n, pl->input_key) != 0)
		batch_free(b);
}

/* Finish what this consumer had taken, then consume. */
static void
pl_recover(struct pipeline *pl)
{
	struct tag *t;

	pl->state = PL_RECOVER;
	if (pl->stream) {
		/* the group, created once with every retained entry */
		link_cmdf(pl->in, NULL, NULL, "XGROUP CREATE %s %s 0 MKSTREAM",
		    pl->input_key, STREAM_GROUP);
		pl->stream_rec_done = 0;
		pl->last_claim = 0; /* claim idle entries right away */
		pl_recover_stream(pl);
		return;
	}
	t = tag_new(pl);
	/* on the output link: ordered after every store sent before */
	if (link_cmdf(pl->out, pl_members_cb, t, "SMEMBERS %s", pl->registry) !=
	    0)
		tag_free(t);
}

/* Gauges: a long from an integer reply. */
static void
pl_gauge_cb(redisAsyncContext *ac, void *r, void *priv)
{
	redisReply *reply = r;
	long *gauge = priv;

	(void)ac;
	if (reply != NULL && reply->type == REDIS_REPLY_INTEGER)
		*gauge = (long)reply->integer;
}

/* Periodic tick: who listens; now and then the gauges. */
static void
pl_tick_cb(evutil_socket_t fd, short what, void *arg)
{
	struct pipeline *pl = arg;
	static int warned;

	(void)fd;
	(void)what;
	pl->m->reconnects = link_reconnects(pl->in) + link_reconnects(pl->out);
	pl->m->redis_up = pl_links_up(pl);
	if (link_state(pl->out) != LINK_READY)
		return;
	if (pl->qresume_at > 0 && now_mono() >= pl->qresume_at) {
		/* the pause after failed checks is over: try again */
		pl->qresume_at = 0;
		pl->qfails = 0;
		quiet_probe(pl);
	}
	if (pl->cfg->publish)
		subs_refresh(pl);
	if (pl->ticks++ % GAUGE_EVERY != 0)
		return;
	link_cmdf(
	    pl->out, pl_gauge_cb, &pl->m->backlog, "LLEN %s", pl->input_key);
	link_cmdf(pl->out, pl_gauge_cb, &pl->m->deadletter_len, "LLEN %s",
	    pl->cfg->deadletter);
	link_cmdf(
	    pl->out, pl_gauge_cb, &pl->m->processing, "SCARD %s", pl->registry);
	if (pl->m->deadletter_len >= pl->cfg->deadletter_max) {
		if (!warned)
			log_warnx("dead-letter list is long key=%s length=%ld "
				  "warn_at=%ld: read and replay or trim it",
			    pl->cfg->deadletter, pl->m->deadletter_len,
			    pl->cfg->deadletter_max);
		warned = 1;
	} else
		warned = 0;
}

/* Create the pipeline. */
struct pipeline *
pl_new(struct event_base *base, struct cfg *cfg, struct idx *idx,
    const struct redis_url *url, struct metrics *m, void (*on_ready)(void *),
    void (*on_drained)(void *), void *arg)
{
	struct pipeline *pl = xcalloc(1, sizeof(*pl));
	struct timespec ts;

	pl->base = base;
	pl->cfg = cfg;
	pl->idx = idx;
	if ((pl->tables = enrich_prepare(cfg)) == NULL)
		fatalx("enrich_prepare: out of memory");
	pl->m = m;
	pl->on_ready = on_ready;
	pl->on_drained = on_drained;
	pl->arg = arg;
	pl->input_key = xstrdup(cfg->input_key);
	pl->consumer = xstrdup(cfg->consumer);
	if (asprintf(&pl->registry, "%sinflight:%s", cfg->prefix,
		cfg->consumer) < 0 ||
	    asprintf(&pl->batch_prefix, "%sbatch:%s:", cfg->prefix,
		cfg->consumer) < 0 ||
	    asprintf(&pl->wait_key, "%swait", pl->batch_prefix) < 0)
		fatalx("asprintf");
	clock_gettime(CLOCK_REALTIME, &ts);
	pl->boot_ms = (unsigned long long)ts.tv_sec * 1000 +
	    (unsigned long long)ts.tv_nsec / 1000000;
	pl->rpush = cfg->input_rpush;
	pl->stream = cfg->input_mode == INPUT_STREAM;
	pl->batch_max = cfg->batch;
	pl->block_ms = cfg->block_ms;
	pl->m->backlog = -1;
	subs_build(pl);
	xadd_build(pl);
	pl->in = link_new(base, "input", url, pl_link_up, pl_link_down, pl);
	pl->out = link_new(base, "output", url, pl_link_up, pl_link_down, pl);
	link_set_timeout(pl->in, cfg->redis_timeout_ms);
	link_set_timeout(pl->out, cfg->redis_timeout_ms);
	pl->retry = evtimer_new(base, pl_retry_cb, pl);
	pl->tick = event_new(base, -1, EV_PERSIST, pl_tick_cb, pl);
	if (pl->retry == NULL || pl->tick == NULL)
		fatalx("event_new failed");
	return pl;
}

/* Connect and start. */
void
pl_start(struct pipeline *pl)
{
	struct timeval tv = {0, TICK_MS * 1000};

	link_start(pl->in);
	link_start(pl->out);
	event_add(pl->tick, &tv);
}

/* SIGTERM: finish what is in flight, take nothing new. */
void
pl_drain(struct pipeline *pl)
{
	pl->draining = 1;
	log_info(
	    "draining inflight=%ld fetching=%d", pl->inflight, pl->fetching);
	pl_check_drained(pl);
}

/* Reload: a fresh config and index replace the old between batches. */
void
pl_swap_config(struct pipeline *pl, struct cfg *cfg, struct idx *idx)
{
	struct enrich_tables *t = enrich_prepare(cfg);

	if (t == NULL) {
		log_error("reload refused: out of memory");
		cfg_free(cfg);
		idx_free(idx);
		return;
	}
	if (strcmp(cfg->input_key, pl->input_key) != 0 ||
	    strcmp(cfg->consumer, pl->consumer) != 0 ||
	    strcmp(cfg->prefix, pl->cfg->prefix) != 0 ||
	    cfg->input_rpush != pl->rpush || cfg->batch != pl->batch_max)
		log_warnx("reload: input, consumer, prefix and batch changes "
			  "take effect at the next restart");
	cfg_free(pl->cfg);
	idx_free(pl->idx);
	enrich_tables_free(pl->tables);
	pl->cfg = cfg;
	pl->idx = idx;
	pl->tables = t;
	link_set_timeout(pl->in, cfg->redis_timeout_ms);
	link_set_timeout(pl->out, cfg->redis_timeout_ms);
	subs_build(pl);
	xadd_build(pl);
	if (cfg->acks_each)
		quiet_set(pl, 0);
	else if (!pl->quiet_ok && link_state(pl->out) == LINK_READY)
		quiet_probe(pl); /* output.acks became chunk */
}

/* The config in force. */
const struct cfg *
pl_config(const struct pipeline *pl)
{
	return pl->cfg;
}

/* What it is doing, in one line. */
void
pl_status(const struct pipeline *pl, char *buf, size_t len)
{
	static const char *const names[] = {
	    "waiting for Redis", "recovering", "consuming"};

	snprintf(buf, len, "%s; %lu alerts enriched, %lu stored, backlog %ld",
	    names[pl->state], pl->m->enriched, pl->m->stored, pl->m->backlog);
}

/* Tear down. */
void
pl_free(struct pipeline *pl)
{
	size_t i;

	if (pl == NULL)
		return;
	/* pending callbacks run with NULL replies inside link_free: their
	 * batches are freed and nothing more is started */
	pl->freeing = 1;
	link_free(pl->in);
	link_free(pl->out);
	grab_forget(pl);
	event_free(pl->retry);
	event_free(pl->tick);
	cfg_free(pl->cfg);
	idx_free(pl->idx);
	enrich_tables_free(pl->tables);
	for (i = 0; i < pl->subs.n; i++)
		free(pl->subs.names[i]);
	for (i = 0; i < pl->nrkeys; i++)
		free(pl->rkeys[i]);
	free(pl->rkeys);
	free(pl->subs.names);
	free(pl->subs.count);
	free(pl->xadd_head);
	free(pl->input_key);
	free(pl->registry);
	free(pl->batch_prefix);
	free(pl->wait_key);
	free(pl->consumer);
	free(pl);
}
