/*
 * desk.c: the desk's state machine (see desk.h).
 *
 *            both links up                 loaded
 *   WAIT ─────────────────► LOAD ─────────────────► READ ◄──────────┐
 *    ▲  ◄── a link down ─────┘ ▲                      │ entries     │
 *    │                         │ a commit failed      ▼             │
 *    │                         └────────────────── CHECK ─► COMMIT ─┘
 *   any ──(desk_stop)──► DRAIN: the batch in hand committed (or given
 *                        up: it is read again), then DONE
 *
 *   LOAD    persistence checked (AOF), the consumer group "desk" made,
 *           the sequence, the mutes and the incidents read
 *   READ    XREADGROUP: first this desk's pending entries (a batch read
 *           before a crash), then new ones, blocking on their own link
 *   CHECK   which sankaku.ids were counted already (SMISMEMBER on the
 *           seen sets of desk.dedup_window_s): those, and duplicates inside
 *           the batch, are only acknowledged
 *   COMMIT  the batch applied in memory (dbatch.c), then one script
 *           stores the changed incidents and acknowledges the entries;
 *           on success the changes are published, on failure the
 *           incidents are loaded again from Redis (memory may hold the
 *           lost batch).  As COMMIT begins, the next batch is read ahead
 *           (new entries only, in AHEAD_READS parts, written to Redis at
 *           once so that it reads them out while this one is applied);
 *           each part is parsed as it comes and its CHECK sent behind
 *           the commit on the same link, so it sees the ids the commit
 *           counts.
 *           After the commit, that batch goes straight to COMMIT (READ
 *           waits for it if it is not checked yet).  A batch read ahead
 *           and then given up stays pending: read again at the next load
 *
 * The periodic work (retention, mutes, triangles, the files for the
 * rest of the loop) is in dtick.c; loading in dload.c; the scripts in
 * dstore.c; actions in dact.c; the reads, the seen checks and the batch
 * read ahead in dread.c.
 */

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <hiredis/hiredis.h>

#include "arena.h"
#include "desk.h"
#include "jdump.h"
#include "log.h"
#include "xmalloc.h"

enum d_state { D_WAIT, D_LOAD, D_READ, D_CHECK, D_COMMIT, D_DRAIN, D_DONE };

static const char *const d_state_names[] = {"waiting for Redis", "loading",
    "reading", "checking", "committing", "draining", "done"};

#define RETRY_MS 2000

static void d_read(struct desk *);
static void d_load(struct desk *);
static void d_check(struct desk *);

static void
d_set(struct desk *d, enum d_state s)
{
	if (d->state != (int)s)
		log_debug("desk state=\"%s\"", d_state_names[s]);
	d->state = (int)s;
}

/* Forget the batch in hand. */
static void
d_batch_clear(struct desk *d)
{
	argvb_free(&d->entries);
	argvb_free(&d->docs);
	json_object_clear(d->dirty);
	json_object_clear(d->seen_new);
	d->mutes_dirty = 0;
}

/* Something failed: give the batch up and load again after a pause. */
void
desk_retry(struct desk *d, const char *why)
{
	struct timeval tv = {RETRY_MS / 1000, 0};

	/* a batch read ahead is given up too: it stays pending */
	argvb_free(&d->ahead.entries);
	d->ahead.state = AHEAD_NONE;
	d->ahead.waited = 0;
	log_warnx("desk: %s; loading the incidents again", why);
	snprintf(d->m.health, sizeof(d->m.health), "%s", why);
	d->gen++;
	d_batch_clear(d);
	if (d->state == D_DRAIN) {
		d_set(d, D_DONE);
		if (d->done != NULL)
			d->done(d->done_arg);
		return;
	}
	d_set(d, D_WAIT);
	evtimer_add(d->retry_ev, &tv);
}

char *
desk_next_id(struct desk *d, time_t now)
{
	struct tm tm;
	char day[16];

	gmtime_r(&now, &tm);
	strftime(day, sizeof(day), "%Y%m%d", &tm);
	return xasprintf("%s-%06lu", day, ++d->seq);
}

void
desk_publish(struct desk *d, json_t *inc, const char *doc)
{
	char *mine = NULL;

	dnotify_changed(d->notify, inc);
	if (!api_listening(d->api))
		return;
	if (doc == NULL && (doc = mine = jdump_string(inc, NULL)) == NULL)
		return;
	api_event(d->api, doc);
	free(mine);
}

int
desk_cmd(struct desk *d, struct link *l, redisCallbackFn *cb, int argc,
    const char **argv, const size_t *lens)
{
	struct link_tag *tag = link_tag(d, d->gen);

	if (link_cmd(l, cb, tag, argc, argv, lens) == 0)
		return 0;
	free(tag);
	return -1;
}

int
desk_cmdf(
    struct desk *d, struct link *l, redisCallbackFn *cb, const char *fmt, ...)
{
	struct link_tag *tag = link_tag(d, d->gen);
	va_list ap;
	int rv;

	va_start(ap, fmt);
	rv = link_vcmdf(l, cb, tag, fmt, ap);
	va_end(ap);
	if (rv != 0)
		free(tag);
	return rv;
}

/* A generation's reply: NULL if stale or the link went. */
redisReply *
desk_reply(struct desk *d, void *r, void *priv)
{
	if (!link_untag(priv, r, d->gen))
		return NULL;
	return r;
}

/* Everything from Redis again (dload.c), then desk_loaded. */
static void
d_load(struct desk *d)
{
	d_set(d, D_LOAD);
	d->pending = 1; /* first what this desk had read before */
	snprintf(d->m.health, sizeof(d->m.health), "loading");
	dload_start(d);
}

void
desk_loaded(struct desk *d)
{
	d->m.reloads++;
	if (d->m.health[0] != '\0')
		d->m.health[0] = '\0';
	desk_cves(d, time(NULL));
	desk_unread(d);
	desk_suppress_write(d, NULL);
	d_read(d);
}

/* ----- the batch cycle ----- */

static void
d_commit_cb(redisAsyncContext *ac, void *r, void *priv)
{
	struct desk *d = ((struct link_tag *)priv)->owner;
	redisReply *reply;
	const char *k;
	json_t *v;
	size_t i;

	(void)ac;
	if ((reply = desk_reply(d, r, priv)) == NULL)
		return;
	if (reply->type != REDIS_REPLY_INTEGER) {
		char why[160];

		if (reply->type == REDIS_REPLY_ERROR &&
		    strncmp(reply->str, "FENCED", 6) == 0)
			snprintf(why, sizeof(why),
			    "another sankaku-desk loaded since this one (one "
			    "desk per Redis): its batch was refused");
		else
			snprintf(why, sizeof(why),
			    "a batch could not be stored: %.100s",
			    reply->type == REDIS_REPLY_ERROR ? reply->str
							     : "?");
		desk_retry(d, why);
		return;
	}
	i = 0;
	json_object_foreach (d->dirty, k, v) {
		desk_publish(d, v, i < d->docs.n ? d->docs.v[i] : NULL);
		i++;
	}
	d->m.batches++;
	d_batch_clear(d);
	desk_next(d);
}

/* Apply and store the batch. */
static void
d_commit(struct desk *d)
{
	struct argvb b = {0};

	d_set(d, d->state == D_DRAIN ? D_DRAIN : D_COMMIT);
	/* Redis reads the next batch out while this one is applied */
	if (d->state != D_DRAIN)
		dread_ahead(d);
	dbatch_apply(d, time(NULL));
	/* the text of each incident is kept for the console's event
	 * streams only when one is open (Redis' channels are published by
	 * the commit script) */
	dstore_commit(&b, api_listening(d->api) ? &d->docs : NULL, d,
	    &d->entries, d->dirty, d->seen_new, d->mutes_dirty);
	if (desk_cmd(d, d->main, d_commit_cb, (int)b.n, b.v, b.len) != 0)
		desk_retry(d, "Redis went away before a batch was stored");
	argvb_free(&b);
}

static void
d_check_cb(redisAsyncContext *ac, void *r, void *priv)
{
	struct desk *d = ((struct link_tag *)priv)->owner;
	redisReply *reply;

	(void)ac;
	if ((reply = desk_reply(d, r, priv)) == NULL)
		return;
	if (dread_seen(reply, 0, d->entries.n, d->good, d->seen) != 0) {
		desk_retry(d, "seen ids could not be read");
		return;
	}
	if (--d->checks == 0)
		d_commit(d);
}

static void
d_check(struct desk *d)
{
	d_set(d, d->state == D_DRAIN ? D_DRAIN : D_CHECK);
	d->checks = dread_check(
	    d, &d->entries, d->alerts, d->good, d->seen, 0, d_check_cb);
	if (d->checks == 0)
		d_commit(d);
	else if (d->checks < 0)
		desk_retry(d, "Redis went away during a check");
}

/* XREADGROUP's reply: the entries of the batch. */
static void
d_read_cb(redisAsyncContext *ac, void *r, void *priv)
{
	struct desk *d = ((struct link_tag *)priv)->owner;
	redisReply *ents;

	(void)ac;
	if (!dread_entries(d, r, priv, &ents))
		return;
	if (ents == NULL || ents->elements == 0) {
		d->pending = 0; /* the pending ones are done: new ones now */
		d_read(d);
		return;
	}
	dbatch_parse(ents, &d->entries, d->alerts, d->good, d->strs);
	d_check(d);
}

/* After a commit: the batch read ahead, when it is there (else wait for
 * it), or a new read. */
void
desk_next(struct desk *d)
{
	d->ahead.waited = 0;
	if (d->state == D_DRAIN || d->ahead.state == AHEAD_NONE) {
		d_read(d);
		return;
	}
	if (d->ahead.state != AHEAD_READY) {
		d_set(d, D_READ);
		d->ahead.waited = 1;
		return;
	}
	if (dread_take(d) == 0) /* the batch read ahead is the one in hand */
		d_read(d);
	else
		d_commit(d); /* checked already */
}

static void
d_read(struct desk *d)
{
	if (d->state == D_DRAIN) {
		d_set(d, D_DONE);
		if (d->done != NULL)
			d->done(d->done_arg);
		return;
	}
	d_set(d, D_READ);
	if (dread_xread(d, d_read_cb) != 0)
		desk_retry(d, "Redis went away");
}

/* ----- links, timers, life ----- */

static void
d_up(struct link *l, void *arg)
{
	struct desk *d = arg;

	(void)l;
	if (link_state(d->main) != LINK_READY ||
	    link_state(d->read) != LINK_READY)
		return;
	d->m.redis_up = 1;
	if (d->state == D_WAIT && !evtimer_pending(d->retry_ev, NULL))
		d_load(d);
}

static void
d_down(struct link *l, void *arg)
{
	struct desk *d = arg;

	(void)l;
	d->m.redis_up = 0;
	d->m.reconnects++;
	if (d->state != D_DONE)
		desk_retry(d, "Redis unreachable");
}

static void
d_retry_cb(evutil_socket_t fd, short what, void *arg)
{
	struct desk *d = arg;

	(void)fd;
	(void)what;
	if (d->state == D_WAIT && link_state(d->main) == LINK_READY &&
	    link_state(d->read) == LINK_READY)
		d_load(d);
}

/* The periodic work (dtick.c), with whether the incidents are loaded. */
static void
d_tick_cb(evutil_socket_t fd, short what, void *arg)
{
	struct desk *d = arg;

	(void)fd;
	(void)what;
	desk_tick(d, time(NULL),
	    d->state == D_READ || d->state == D_CHECK || d->state == D_COMMIT);
}

void
desk_status(const struct desk *d, char *buf, size_t len)
{
	snprintf(buf, len, "%s; %lu alerts into %ld open incidents",
	    d->m.health[0] != '\0' ? d->m.health : d_state_names[d->state],
	    d->m.alerts, d->m.open);
}

/* A stream capped below what the desk can hold unread under load: while
 * it applies and stores a batch, sankakud adds about as many again, and
 * an entry the cap trims before the desk reads it is never counted (it is
 * told: desk_unread).  Measured: 4,374 of 200,000 lost at a cap of 5,000,
 * none at 10,000; a cap of four batches leaves room. */
static void
d_cap_check(const struct cfg *cfg)
{
	long cap = cfg->stream_maxlen;

	if (cap > 0 && cap < 4L * DESK_BATCH)
		log_warnx("desk: output.stream_maxlen %ld is below %d: under "
			  "load the stream can trim alerts before the desk "
			  "reads them (batches of %d); they are told, never "
			  "counted",
		    cap, 4 * DESK_BATCH, DESK_BATCH);
}

struct desk *
desk_new(struct event_base *base, const struct cfg *cfg,
    const struct redis_url *url, char *err, size_t errlen)
{
	struct desk *d = xcalloc(1, sizeof(*d));
	struct timeval tick = {10, 0};

	(void)err;
	(void)errlen;
	d->base = base;
	d->cfg = cfg;
	d->notify = dnotify_new(d);
	d->m.aof = -1;
	dstore_keys(&d->k, cfg);
	d->incidents = json_object();
	d->by_asset = json_object();
	d->by_cve = json_object();
	d->ind_ix = json_object();
	d->disagree = json_object();
	d->mutes = json_object();
	d->loading = json_array();
	d->dirty = json_object();
	d->seen_new = json_object();
	d_cap_check(cfg);
	d->alerts = xcalloc(DESK_BATCH, sizeof(*d->alerts));
	if ((d->strs = arena_new()) == NULL ||
	    (d->ahead.strs = arena_new()) == NULL)
		fatalx("desk: out of memory");
	d->good = xcalloc(DESK_BATCH, 1);
	d->ahead.alerts = xcalloc(DESK_BATCH, sizeof(*d->ahead.alerts));
	d->ahead.good = xcalloc(DESK_BATCH, 1);
	d->seen = xcalloc(DESK_BATCH, 1);
	d->ahead.seen = xcalloc(DESK_BATCH, 1);
	d->joins = xcalloc(DESK_BATCH, sizeof(*d->joins));
	d->grouped = xcalloc(DESK_BATCH, sizeof(*d->grouped));
	d->main = link_new(base, "sankaku-desk", url, d_up, d_down, d);
	d->read = link_new(base, "sankaku-desk-read", url, d_up, d_down, d);
	link_set_timeout(d->main, cfg->redis_timeout_ms);
	link_set_timeout(d->read, cfg->redis_timeout_ms);
	d->retry_ev = evtimer_new(base, d_retry_cb, d);
	d->tick_ev = event_new(base, -1, EV_PERSIST, d_tick_cb, d);
	evtimer_add(d->tick_ev, &tick);
	d_set(d, D_WAIT);
	return d;
}

void
desk_start(struct desk *d)
{
	link_start(d->main);
	link_start(d->read);
}

void
desk_stop(struct desk *d, void (*done)(void *), void *arg)
{
	enum d_state was = (enum d_state)d->state;

	d->done = done;
	d->done_arg = arg;
	d_set(d, D_DRAIN);
	/* a batch in hand is finished first; otherwise nothing is */
	if (was != D_CHECK && was != D_COMMIT) {
		d->gen++;
		d_set(d, D_DONE);
		done(arg);
	}
}

void
desk_free(struct desk *d)
{
	if (d == NULL)
		return;
	link_free(d->main);
	link_free(d->read);
	desk_push_free(d); /* after the links: their replies are in */
	desk_send_free(d);
	dnotify_free(d->notify);
	event_free(d->retry_ev);
	event_free(d->tick_ev);
	d_batch_clear(d);
	json_decref(d->incidents);
	json_decref(d->by_asset);
	json_decref(d->by_cve);
	json_decref(d->ind_ix);
	json_decref(d->disagree);
	free(d->suppress_last);
	free(d->measured_last);
	json_decref(d->mutes);
	json_decref(d->loading);
	json_decref(d->dirty);
	json_decref(d->seen_new);
	free(d->alerts);
	arena_free(d->strs);
	arena_free(d->ahead.strs);
	free(d->good);
	argvb_free(&d->ahead.entries);
	free(d->ahead.alerts);
	free(d->ahead.good);
	free(d->seen);
	free(d->ahead.seen);
	free(d->joins);
	free(d->grouped);
	dstore_keys_free(&d->k);
	free(d);
}
