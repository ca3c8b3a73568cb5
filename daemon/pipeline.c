/*
 * pipeline.c: at-least-once consumption of Suricata's EVE list.
 *
 * Reliable queue (list mode):
 *   - a Lua script moves up to input.batch events from the input list into
 *     this consumer's processing list (LMOVE, oldest first) and returns
 *     them; when it returns nothing, one BLMOVE waits for the next event,
 *     so an idle pipeline answers at once and never polls;
 *   - each batch is enriched in the reply callback, and one Lua script run
 *     on the output link stores every enriched alert (XADD), publishes it,
 *     dead-letters what cannot be enriched, and LREMs each event from the
 *     processing list after its output.  Redis runs the script atomically.
 *   - after a (re)start, and whenever a link came back, the processing list
 *     is finished first (recovery), oldest first, before new input is taken.
 *     When the input is idle and nothing is in flight, the processing list
 *     must be empty; if it is not, recovery runs again (an event moved by a
 *     command whose reply was lost is never stranded).
 * A link that fails bumps the generation: replies of the old generation are
 * ignored (their events are still in the processing list and get redone).
 */

#define _GNU_SOURCE /* vasprintf */

#include <sys/time.h>

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <hiredis/hiredis.h>

#include "enrich.h"
#include "link.h"
#include "log.h"
#include "pipeline.h"
#include "xmalloc.h"

enum pl_state { PL_WAIT, PL_RECOVER, PL_RUN };

/* The arguments of one script run: references, and what they own. */
struct args {
	const char **argv;
	size_t *lens;
	size_t n, cap;
	char **owned;
	size_t nowned, capowned;
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
	char *proc_key;
	char *consumer;
	int rpush;
	long batch_max;
	long block_ms;

	enum pl_state state;
	unsigned long gen;
	int fetching;  /* a fetch or BLMOVE is pending on the input link */
	long inflight; /* output transactions pending */
	int draining;
	int ready_sent;
	struct event *retry; /* restart after a refused transaction */
	struct event *tick;  /* gauges */
	void (*on_ready)(void *);
	void (*on_drained)(void *);
	void *arg;
	struct args args; /* reused for every batch */
};

struct batch {
	struct pipeline *pl;
	unsigned long gen;
	int recovery;
	size_t n, alerts, published;
	double t0;
};

/* Move up to ARGV[1] events, oldest first, into the processing list. */
static const char fetch_script[] =
    "local out = {}\n"
    "for i = 1, tonumber(ARGV[1]) do\n"
    "  local v = redis.call('LMOVE', KEYS[1], KEYS[2], ARGV[2], 'LEFT')\n"
    "  if not v then break end\n"
    "  out[i] = v\n"
    "end\n"
    "return out\n";

static void pl_kick(struct pipeline *);
static void pl_recover(struct pipeline *);

/* Seconds since an arbitrary origin, monotonic. */
static double
now_mono(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
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
	if (pl->draining && !pl->fetching && pl->inflight == 0 &&
	    pl->on_drained != NULL) {
		void (*cb)(void *) = pl->on_drained;

		pl->on_drained = NULL;
		cb(pl->arg);
	}
}

/* Start (or restart) consuming if everything is in place. */
static void
pl_maybe_start(struct pipeline *pl)
{
	pl->m->redis_up = pl_links_up(pl);
	if (pl->state != PL_WAIT || !pl_links_up(pl) || pl->inflight != 0 ||
	    evtimer_pending(pl->retry, NULL))
		return;
	pl_recover(pl);
}

/* Forget everything in flight: its events stay in the processing list. */
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
	} else
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

	(void)l;
	pl->m->reconnects = link_reconnects(pl->in) + link_reconnects(pl->out);
	pl_maybe_start(pl);
}

/* A link went down. */
static void
pl_link_down(struct link *l, void *arg)
{
	struct pipeline *pl = arg;

	(void)l;
	pl_restart(pl, 0);
}

/* The output transaction of a batch answered. */
static void
pl_exec_cb(redisAsyncContext *ac, void *r, void *priv)
{
	redisReply *reply = r;
	struct batch *b = priv;
	struct pipeline *pl = b->pl;

	(void)ac;
	pl->inflight--;
	if (reply == NULL) {
		/* The link died; the disconnect handler restarts. */
	} else if (reply->type == REDIS_REPLY_ERROR) {
		/* Redis full (OOM), a wrong key type...: what the script did
		 * before the error stays, the rest of the batch is still in
		 * the processing list and is redone after a pause. */
		pl->m->batch_failed++;
		log_error("output batch refused events=%zu err=\"%s\"", b->n,
		    reply->str);
		if (b->gen == pl->gen)
			pl_restart(pl, 1000); /* back off, then recover */
	} else {
		pl->m->stored += b->alerts;
		pl->m->published += b->published;
		if (b->recovery)
			pl->m->recovered += b->n;
		metrics_observe_latency(pl->m, now_mono() - b->t0);
		if (b->gen == pl->gen) {
			if (b->recovery)
				pl_recover(pl);
			else
				pl_kick(pl);
		}
	}
	if (pl->state == PL_WAIT)
		pl_maybe_start(pl);
	pl_check_drained(pl);
	free(b);
}

/*
 * Store a batch in one script run: for each event, XADD and PUBLISH its
 * enriched form (sent once, published on all its channels), or LPUSH its
 * dead letter, then LREM it from the processing list.  Redis runs a script
 * atomically; the LREM of an event always comes after its output, so a
 * failure half-way can duplicate, never lose.  An enriched alert starts
 * with the raw event's bytes, so the raw event is rebuilt from it and a
 * short suffix rather than sent twice.
 *   KEYS: processing list, stream, dead-letter list
 *   ARGV: maxlen ("0": none), channel prefix, then per event one of
 *     "A" enriched prefix_len suffix nchannels channel...
 *     "D" dead_letter raw
 *     "S" raw
 */
static const char store_script[] =
    "local i, maxlen, prefix = 3, ARGV[1], ARGV[2]\n"
    "while i <= #ARGV do\n"
    "  local kind = ARGV[i]\n"
    "  if kind == 'A' then\n"
    "    local doc = ARGV[i + 1]\n"
    "    local raw = string.sub(doc, 1, tonumber(ARGV[i + 2])) .. ARGV[i + 3]\n"
    "    local n = tonumber(ARGV[i + 4])\n"
    "    if maxlen == '0' then\n"
    "      redis.call('XADD', KEYS[2], '*', 'alert', doc)\n"
    "    else\n"
    "      redis.call('XADD', KEYS[2], 'MAXLEN', '~', maxlen, '*', 'alert', "
    "doc)\n"
    "    end\n"
    "    for j = 1, n do redis.call('PUBLISH', prefix .. ARGV[i + 4 + j], doc) "
    "end\n"
    "    redis.call('LREM', KEYS[1], -1, raw)\n"
    "    i = i + 5 + n\n"
    "  elseif kind == 'D' then\n"
    "    redis.call('LPUSH', KEYS[3], ARGV[i + 1])\n"
    "    redis.call('LREM', KEYS[1], -1, ARGV[i + 2])\n"
    "    i = i + 3\n"
    "  else\n"
    "    redis.call('LREM', KEYS[1], -1, ARGV[i + 1])\n"
    "    i = i + 2\n"
    "  end\n"
    "end\n"
    "return 1\n";

/* Add a reference (the bytes must outlive the send). */
static void
args_ref(struct args *a, const char *s, size_t len)
{
	if (a->n == a->cap) {
		a->cap = a->cap != 0 ? a->cap * 2 : 1024;
		a->argv = xreallocarray(a->argv, a->cap, sizeof(*a->argv));
		a->lens = xreallocarray(a->lens, a->cap, sizeof(*a->lens));
	}
	a->argv[a->n] = s;
	a->lens[a->n] = len;
	a->n++;
}

/* Add bytes the arguments now own (freed after the send). */
static void
args_own(struct args *a, char *s, size_t len)
{
	if (a->nowned == a->capowned) {
		a->capowned = a->capowned != 0 ? a->capowned * 2 : 256;
		a->owned =
		    xreallocarray(a->owned, a->capowned, sizeof(*a->owned));
	}
	a->owned[a->nowned++] = s;
	args_ref(a, s, len);
}

/* Add a formatted copy. */
static void args_fmt(struct args *, const char *, ...)
    __attribute__((format(printf, 2, 3)));

static void
args_fmt(struct args *a, const char *fmt, ...)
{
	va_list ap;
	char *s;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (n < 0)
		fatalx("vasprintf: out of memory");
	args_own(a, s, (size_t)n);
}

/* Free what the arguments own; keep the arrays for reuse. */
static void
args_clear(struct args *a)
{
	size_t i;

	for (i = 0; i < a->nowned; i++)
		free(a->owned[i]);
	a->n = a->nowned = 0;
}

/* Free everything. */
static void
args_free(struct args *a)
{
	args_clear(a);
	free(a->argv);
	free(a->lens);
	free(a->owned);
}

/* Enrich one event and add its part of the script's arguments. */
static void
pl_event(struct pipeline *pl, struct batch *b, struct args *a, const char *raw,
    size_t len)
{
	struct enrich_ctx ctx = {pl->cfg, pl->idx, pl->tables};
	struct enrich_out out;
	size_t i, nch;

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
		args_ref(a, "A", 1);
		args_own(a, out.json, out.len);
		out.json = NULL; /* owned by the arguments now */
		args_fmt(a, "%zu", out.raw_prefix);
		args_ref(a, raw + out.raw_prefix, len - out.raw_prefix);
		nch = pl->cfg->publish ? 2 + out.nroles + out.nsources : 0;
		args_fmt(a, "%zu", nch);
		if (nch > 0) {
			args_ref(a, "alerts", 6);
			args_fmt(a, "phase:%s", out.phase->id);
			for (i = 0; i < out.nroles; i++)
				args_fmt(a, "role:%s", out.roles[i]->code);
			for (i = 0; i < out.nsources; i++)
				args_fmt(a, "source:%s", out.sources[i]->id);
			b->published += nch;
		}
		break;
	case ENRICH_SKIPPED:
		pl->m->skipped++;
		metrics_inc(pl->m->events, 32, out.event_type, 1);
		args_ref(a, "S", 1);
		args_ref(a, raw, len);
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
		args_ref(a, "D", 1);
		args_own(a, dl, dlen);
		args_ref(a, raw, len);
		break;
	}
	}
	enrich_out_free(&out);
}

/* Enrich and store a batch of events given oldest first. */
static void
pl_batch(struct pipeline *pl, redisReply **items, size_t n, int reverse,
    int recovery, double t0)
{
	struct batch *b = xcalloc(1, sizeof(*b));
	struct args *a = &pl->args;
	char maxlen[32];
	size_t i;
	int rv;

	b->pl = pl;
	b->gen = pl->gen;
	b->recovery = recovery;
	b->n = n;
	b->t0 = t0;
	snprintf(maxlen, sizeof(maxlen), "%ld", pl->cfg->stream_maxlen);
	args_clear(a);
	args_ref(a, "EVAL", 4);
	args_ref(a, store_script, sizeof(store_script) - 1);
	args_ref(a, "3", 1);
	args_ref(a, pl->proc_key, strlen(pl->proc_key));
	args_ref(a, pl->cfg->stream, strlen(pl->cfg->stream));
	args_ref(a, pl->cfg->deadletter, strlen(pl->cfg->deadletter));
	args_ref(a, maxlen, strlen(maxlen));
	args_ref(a, pl->cfg->prefix, strlen(pl->cfg->prefix));
	for (i = 0; i < n; i++) {
		redisReply *it = items[reverse ? n - 1 - i : i];

		if (it->type != REDIS_REPLY_STRING)
			continue; /* cannot happen: lists hold strings */
		pl_event(pl, b, a, it->str, it->len);
	}
	/* hiredis copies the command into its buffer here */
	rv = link_cmd(pl->out, pl_exec_cb, b, (int)a->n, a->argv, a->lens);
	args_clear(a);
	if (rv != 0) {
		free(b); /* link gone: its events stay in processing */
		return;
	}
	pl->inflight++;
}

/* Reply to LRANGE of the processing list. */
static void
pl_range_cb(redisAsyncContext *ac, void *r, void *priv)
{
	redisReply *reply = r;
	struct batch *tag = priv; /* carries pl and gen */
	struct pipeline *pl = tag->pl;
	unsigned long gen = tag->gen;

	(void)ac;
	free(tag);
	if (reply == NULL || gen != pl->gen)
		return;
	if (reply->type != REDIS_REPLY_ARRAY) {
		log_error("recovery read failed err=\"%s\"",
		    reply->type == REDIS_REPLY_ERROR ? reply->str : "?");
		pl_restart(pl, 1000);
		return;
	}
	if (reply->elements == 0) {
		if (pl->state == PL_RECOVER)
			log_info("consuming input=%s processing=%s consumer=%s",
			    pl->input_key, pl->proc_key, pl->consumer);
		pl->state = PL_RUN;
		if (!pl->ready_sent && pl->on_ready != NULL) {
			pl->ready_sent = 1;
			pl->on_ready(pl->arg);
		}
		pl_kick(pl);
		pl_check_drained(pl);
		return;
	}
	log_info("recovering events=%zu processing=%s", reply->elements,
	    pl->proc_key);
	/* LRANGE lists head to tail; the tail is the oldest. */
	pl_batch(pl, reply->element, reply->elements, 1, 1, now_mono());
}

/* Read the oldest events still in the processing list. */
static void
pl_recover(struct pipeline *pl)
{
	struct batch *tag = xcalloc(1, sizeof(*tag));
	char start[32];

	pl->state = PL_RECOVER;
	tag->pl = pl;
	tag->gen = pl->gen;
	snprintf(start, sizeof(start), "%ld", -pl->batch_max);
	/* On the output link: ordered after every transaction sent before. */
	if (link_cmdf(pl->out, pl_range_cb, tag, "LRANGE %s %s -1",
		pl->proc_key, start) != 0)
		free(tag);
}

/* Reply to LLEN of the processing list while idle. */
static void
pl_idle_cb(redisAsyncContext *ac, void *r, void *priv)
{
	redisReply *reply = r;
	struct batch *tag = priv;
	struct pipeline *pl = tag->pl;
	unsigned long gen = tag->gen;

	(void)ac;
	free(tag);
	if (reply == NULL || gen != pl->gen)
		return;
	if (reply->type == REDIS_REPLY_INTEGER) {
		pl->m->processing = (long)reply->integer;
		if (reply->integer > 0 && pl->inflight == 0 && !pl->fetching &&
		    pl->state == PL_RUN) {
			log_warnx("stranded events in processing list=%lld, "
				  "recovering",
			    reply->integer);
			pl_recover(pl);
			return;
		}
	}
}

/* The blocking wait answered: one event, or nil on timeout. */
static void
pl_block_cb(redisAsyncContext *ac, void *r, void *priv)
{
	redisReply *reply = r;
	struct batch *tag = priv;
	struct pipeline *pl = tag->pl;
	unsigned long gen = tag->gen;

	(void)ac;
	free(tag);
	if (gen != pl->gen)
		return;
	pl->fetching = 0;
	if (reply == NULL)
		return;
	if (reply->type == REDIS_REPLY_STRING) {
		pl_batch(pl, &reply, 1, 0, 0, now_mono());
	} else if (reply->type == REDIS_REPLY_NIL) {
		pl->m->backlog = 0;
		if (pl->inflight == 0 && !pl->draining) {
			struct batch *t = xcalloc(1, sizeof(*t));

			t->pl = pl;
			t->gen = pl->gen;
			if (link_cmdf(pl->out, pl_idle_cb, t, "LLEN %s",
				pl->proc_key) != 0)
				free(t);
		}
	} else if (reply->type == REDIS_REPLY_ERROR) {
		log_error("blocking read failed err=\"%s\"", reply->str);
		pl_restart(pl, 1000);
		return;
	}
	pl_kick(pl);
	pl_check_drained(pl);
}

/* The fetch script answered with up to batch events. */
static void
pl_fetch_cb(redisAsyncContext *ac, void *r, void *priv)
{
	redisReply *reply = r;
	struct batch *tag = priv;
	struct pipeline *pl = tag->pl;
	unsigned long gen = tag->gen;
	double t0 = now_mono();

	(void)ac;
	free(tag);
	if (gen != pl->gen)
		return;
	pl->fetching = 0;
	if (reply == NULL)
		return;
	if (reply->type != REDIS_REPLY_ARRAY) {
		log_error("fetch failed err=\"%s\"",
		    reply->type == REDIS_REPLY_ERROR ? reply->str : "?");
		pl_restart(pl, 1000); /* e.g. OOM: back off, then retry */
		return;
	}
	if (reply->elements > 0) {
		pl_batch(pl, reply->element, reply->elements, 0, 0, t0);
		pl_kick(pl);
	} else if (!pl->draining) {
		struct batch *t = xcalloc(1, sizeof(*t));
		char timeout[32];

		t->pl = pl;
		t->gen = pl->gen;
		snprintf(timeout, sizeof(timeout), "%.3f",
		    (double)pl->block_ms / 1000.0);
		if (link_cmdf(pl->in, pl_block_cb, t, "BLMOVE %s %s %s LEFT %s",
			pl->input_key, pl->proc_key,
			pl->rpush ? "LEFT" : "RIGHT", timeout) != 0)
			free(t);
		else
			pl->fetching = 1;
	}
	pl_check_drained(pl);
}

/* Take more input if there is room. */
static void
pl_kick(struct pipeline *pl)
{
	struct batch *tag;
	char n[32];

	if (pl->state != PL_RUN || pl->fetching || pl->draining ||
	    pl->inflight >= pl->cfg->inflight || !pl_links_up(pl))
		return;
	tag = xcalloc(1, sizeof(*tag));
	tag->pl = pl;
	tag->gen = pl->gen;
	snprintf(n, sizeof(n), "%ld", pl->batch_max);
	if (link_cmdf(pl->in, pl_fetch_cb, tag, "EVAL %s 2 %s %s %s %s",
		fetch_script, pl->input_key, pl->proc_key, n,
		pl->rpush ? "LEFT" : "RIGHT") != 0) {
		free(tag);
		return;
	}
	pl->fetching = 1;
}

/* Gauges: input backlog and dead-letter length, every few seconds. */
static void
pl_gauge_cb(redisAsyncContext *ac, void *r, void *priv)
{
	redisReply *reply = r;
	long *gauge = priv;

	(void)ac;
	if (reply != NULL && reply->type == REDIS_REPLY_INTEGER)
		*gauge = (long)reply->integer;
}

/* Periodic tick. */
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
	link_cmdf(
	    pl->out, pl_gauge_cb, &pl->m->backlog, "LLEN %s", pl->input_key);
	link_cmdf(pl->out, pl_gauge_cb, &pl->m->deadletter_len, "LLEN %s",
	    pl->cfg->deadletter);
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
	size_t n;

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
	n = strlen(cfg->prefix) + strlen("processing:") +
	    strlen(cfg->consumer) + 1;
	pl->proc_key = xmalloc(n);
	snprintf(
	    pl->proc_key, n, "%sprocessing:%s", cfg->prefix, cfg->consumer);
	pl->rpush = cfg->input_rpush;
	pl->batch_max = cfg->batch;
	pl->block_ms = cfg->block_ms;
	pl->m->backlog = -1;
	pl->in = link_new(base, "input", url, pl_link_up, pl_link_down, pl);
	pl->out = link_new(base, "output", url, pl_link_up, pl_link_down, pl);
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
	struct timeval tv = {2, 0};

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
	if (strcmp(cfg->input_key, pl->input_key) != 0 ||
	    strcmp(cfg->consumer, pl->consumer) != 0 ||
	    cfg->input_rpush != pl->rpush || cfg->batch != pl->batch_max)
		log_warnx("reload: input, consumer and batch changes take "
			  "effect at the next restart");
	struct enrich_tables *t = enrich_prepare(cfg);

	if (t == NULL) {
		log_error("reload refused: out of memory");
		cfg_free(cfg);
		idx_free(idx);
		return;
	}
	cfg_free(pl->cfg);
	idx_free(pl->idx);
	enrich_tables_free(pl->tables);
	pl->cfg = cfg;
	pl->idx = idx;
	pl->tables = t;
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
	if (pl == NULL)
		return;
	link_free(pl->in);
	link_free(pl->out);
	args_free(&pl->args);
	event_free(pl->retry);
	event_free(pl->tick);
	cfg_free(pl->cfg);
	idx_free(pl->idx);
	enrich_tables_free(pl->tables);
	free(pl->input_key);
	free(pl->proc_key);
	free(pl->consumer);
	free(pl);
}
