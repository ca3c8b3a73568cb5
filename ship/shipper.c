/*
 * shipper.c: eve.json to the Redis list, at least once (see shipper.h).
 *
 *            link up                        list over max_backlog
 *   WAIT ───────────────► RUN ◄──────────────────────────────────► FULL
 *    ▲  ◄─── link down ────┘ ▲ │                (LLEN every second; back
 *    │                       │ │ a push refused   under 90% of it)
 *    │                       │ ▼
 *    │                      PAUSE (1 s, doubling to 30 s)
 *   any ──(shipper_stop)──► DRAIN ──(nothing in flight, or the deadline)──►
 *                                     checkpoint ──► DONE
 *
 *   RUN    read lines while fewer than `inflight` pushes are unanswered;
 *          each push is one LPUSH (or RPUSH) of up to `batch` events, and
 *          one LPUSH of its dead letters before it
 *   FULL   sankakud is behind: read nothing until the list shrinks
 *   PAUSE  Redis refused a push (out of memory, no permission): wait
 *
 * What was read but not acknowledged is never remembered: on a link down
 * or a refused push the generation goes up (late replies are ignored),
 * the pushes in flight are forgotten, and the file is read again from the
 * acknowledged offset.  Duplicates are possible, loss is not.  A file that
 * tail.c reports finished is left only once every push from it is
 * acknowledged and the checkpoint says so.
 */

#include <sys/inotify.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <hiredis/hiredis.h>

#include "buf.h"
#include "checkpoint.h"
#include "deadletter.h"
#include "link.h"
#include "log.h"
#include "shipline.h"
#include "shipper.h"
#include "shipper_int.h"
#include "tail.h"
#include "xmalloc.h"

#define TICK_MS 1000
#define PAUSE_MIN_MS 1000
#define PAUSE_MAX_MS 30000
#define WARN_EVERY_S 60

static const char *const sh_state_names[] = {"waiting for Redis", "shipping",
    "waiting for sankakud (backlog)", "paused after a refusal", "draining",
    "done"};

const char *const ship_reasons[SHIP_NREASONS] = {"bad-json", "not-object",
    "missing-field", "too-large", "partial-line", "other", "", ""};

static void sh_pump(struct shipper *);
static void sh_finish(struct shipper *);

static void
sh_set(struct shipper *s, enum sh_state st)
{
	if (s->state != st)
		log_debug("ship state=\"%s\"", sh_state_names[st]);
	s->state = st;
}

/* A warning of kind k, at most once a minute. */
static int
sh_may_warn(struct shipper *s, int k)
{
	time_t now = time(NULL);

	if (now - s->last_warn[k] < WARN_EVERY_S)
		return 0;
	s->last_warn[k] = now;
	return 1;
}

static void
sh_schedule_pump(struct shipper *s)
{
	event_active(s->pump_ev, EV_TIMEOUT, 0);
}

/* Write the checkpoint if it is behind. */
static void
sh_checkpoint(struct shipper *s)
{
	struct checkpoint c;
	long long read_to;
	char err[512];

	if (tail_where(s->tail, &c.id, &read_to) != 0)
		return;
	c.offset = s->acked;
	if (s->ckpt_valid && c.offset == s->ckpt.offset &&
	    c.id.dev == s->ckpt.id.dev && c.id.ino == s->ckpt.id.ino &&
	    c.id.fplen == s->ckpt.id.fplen)
		return;
	if (checkpoint_write(s->cfg->state, &c, err, sizeof(err)) != 0) {
		s->m->checkpoint_errors++;
		snprintf(s->m->health, sizeof(s->m->health),
		    "checkpoint not written");
		if (sh_may_warn(s, 0))
			log_error("checkpoint not written: %s", err);
		return;
	}
	s->ckpt = c;
	s->ckpt_valid = 1;
	s->dirty_since = 0;
	s->m->checkpoints++;
	if (strcmp(s->m->health, "checkpoint not written") == 0)
		s->m->health[0] = '\0';
}

/* Acknowledged up to offset: the checkpoint follows, at most every
 * checkpoint_ms. */
void
sh_acked(struct shipper *s, long long offset)
{
	s->acked = offset;
	if (s->dirty_since == 0)
		s->dirty_since = time(NULL);
	if (!evtimer_pending(s->ckpt_ev, NULL)) {
		struct timeval tv = {s->cfg->checkpoint_ms / 1000,
		    (s->cfg->checkpoint_ms % 1000) * 1000};

		evtimer_add(s->ckpt_ev, &tv);
	}
}

static void
sh_ckpt_cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	sh_checkpoint(arg);
}

/* Forget the fill and what is in flight; read again from the acked
 * offset. */
void
sh_forget(struct shipper *s)
{
	s->gen++;
	s->qhead = s->qlen = 0;
	s->ev.len = s->dl.len = 0;
	s->nev = s->ndl = 0;
	s->fill_any = 0;
	s->finished = 0;
	tail_rewind(s->tail, s->acked);
}

/* A push's reply. */
void
sh_reply_cb(redisAsyncContext *ac, void *r, void *priv)
{
	struct link_tag *t = priv;
	struct shipper *s = t->owner;
	redisReply *reply = r;
	struct batch *b;

	(void)ac;
	if (!link_untag(t, reply, s->gen) || s->qlen == 0)
		return;
	if (reply->type != REDIS_REPLY_INTEGER) {
		/* refused: everything after it is read again, later */
		s->m->push_errors++;
		if (sh_may_warn(s, 1))
			log_warnx("push refused by Redis: %.200s; retrying "
				  "in %ld ms",
			    reply->type == REDIS_REPLY_ERROR ? reply->str
							     : "not a number",
			    s->pause_ms);
		snprintf(
		    s->m->health, sizeof(s->m->health), "Redis refuses pushes");
		sh_forget(s);
		if (s->state == SH_DRAIN) {
			sh_finish(s);
			return;
		}
		sh_set(s, SH_PAUSE);
		{
			struct timeval tv = {
			    s->pause_ms / 1000, (s->pause_ms % 1000) * 1000};

			evtimer_add(s->pause_ev, &tv);
		}
		s->pause_ms = s->pause_ms * 2 > PAUSE_MAX_MS ? PAUSE_MAX_MS
							     : s->pause_ms * 2;
		return;
	}
	b = &s->q[s->qhead];
	if (--b->replies > 0)
		return;
	s->m->shipped += b->n;
	s->m->shipped_bytes += b->bytes;
	s->m->pushes++;
	s->pause_ms = PAUSE_MIN_MS;
	if (strcmp(s->m->health, "Redis refuses pushes") == 0)
		s->m->health[0] = '\0';
	sh_acked(s, b->end);
	s->qhead = (s->qhead + 1) % (size_t)s->cfg->inflight;
	s->qlen--;
	if (s->state == SH_DRAIN && s->qlen == 0)
		sh_finish(s);
	else
		sh_schedule_pump(s);
}

static void
sh_pause_cb(evutil_socket_t fd, short what, void *arg)
{
	struct shipper *s = arg;

	(void)fd;
	(void)what;
	if (s->state != SH_PAUSE)
		return;
	sh_set(s, link_state(s->link) == LINK_READY ? SH_RUN : SH_WAIT);
	sh_pump(s);
}

/* The finished file is all acknowledged: checkpoint it, go on. */
static void
sh_leave_file(struct shipper *s)
{
	struct tail_id old, cur;
	long long pos;

	const char *why = tail_why(s->tail);

	sh_checkpoint(s);
	(void)tail_where(s->tail, &old, &pos);
	if (tail_advance(s->tail) != 0)
		return; /* the next file is not there yet */
	s->finished = 0;
	s->acked = 0;
	(void)tail_where(s->tail, &cur, &pos);
	log_info("finished file=%s (%s), now file=%s from its start", old.name,
	    why, cur.name);
	sh_checkpoint(s);
}

/* Read and push while there is room. */
static void
sh_pump(struct shipper *s)
{
	struct tail_line l;
	enum tail_rc rc;

	while (s->state == SH_RUN) {
		if (s->finished) {
			sh_flush(s);
			if (s->qlen > 0 || s->fill_any)
				return;
			sh_leave_file(s);
			if (s->finished)
				return;
			continue;
		}
		if (s->qlen >= (size_t)s->cfg->inflight)
			return;
		switch (rc = tail_next(s->tail, &l)) {
		case TAIL_LINE:
		case TAIL_TOOBIG:
		case TAIL_PARTIAL:
			sh_take(s, rc, &l);
			break;
		case TAIL_FINISHED:
			s->finished = 1;
			break;
		case TAIL_WAIT:
			sh_flush(s);
			return;
		case TAIL_ERROR:
			if (sh_may_warn(s, 2))
				log_error("%s", tail_error(s->tail));
			snprintf(s->m->health, sizeof(s->m->health),
			    "cannot read the EVE file");
			sh_flush(s);
			return;
		}
		/* the fill goes out when full (sh_take) or at WAIT */
		if (s->nev + s->ndl > 0 && sh_full(s, 0))
			sh_flush(s);
	}
}

static void
sh_pump_cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	sh_pump(arg);
}

/* inotify: something happened in the directory; read what is new. */
static void
sh_inotify_cb(evutil_socket_t fd, short what, void *arg)
{
	char b[4096];

	(void)what;
	while (read(fd, b, sizeof(b)) > 0)
		;
	sh_pump(arg);
}

/* Every second: the list's length, backpressure, the gauges. */
static void
sh_tick_cb(evutil_socket_t fd, short what, void *arg)
{
	struct shipper *s = arg;
	long max = s->cfg->max_backlog;

	(void)fd;
	(void)what;
	if (link_state(s->link) == LINK_READY)
		(void)link_gauge(
		    s->link, &s->m->backlog, "LLEN %s", s->cfg->key);
	if (max > 0 && s->state == SH_RUN && s->m->backlog >= max) {
		sh_set(s, SH_FULL);
		s->m->waiting = 1;
		s->m->waits++;
		log_warnx("the list key=%s holds %ld events (max_backlog "
			  "%ld): waiting for sankakud",
		    s->cfg->key, s->m->backlog, max);
	} else if (s->state == SH_FULL && s->m->backlog < max / 10 * 9) {
		sh_set(s, SH_RUN);
		s->m->waiting = 0;
		log_info("the list key=%s is down to %ld: shipping again",
		    s->cfg->key, s->m->backlog);
		sh_pump(s);
	}
	shipper_gauges(s);
}

static void
sh_poll_cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	sh_pump(arg);
}

static void
sh_up(struct link *l, void *arg)
{
	struct shipper *s = arg;

	(void)l;
	s->m->redis_up = 1;
	if (strcmp(s->m->health, "Redis unreachable") == 0)
		s->m->health[0] = '\0';
	log_info("redis up");
	if (s->state == SH_WAIT) {
		sh_set(s, SH_RUN);
		sh_pump(s);
	}
}

static void
sh_down(struct link *l, void *arg)
{
	struct shipper *s = arg;

	(void)l;
	s->m->redis_up = 0;
	s->m->reconnects++;
	snprintf(s->m->health, sizeof(s->m->health), "Redis unreachable");
	log_warnx(
	    "redis down: %zu pushes in flight are read again later", s->qlen);
	sh_forget(s);
	if (s->state == SH_DRAIN)
		sh_finish(s);
	else if (s->state != SH_DONE)
		sh_set(s, SH_WAIT);
}

/* Drained, or out of time: the checkpoint, and done. */
static void
sh_finish(struct shipper *s)
{
	if (s->state == SH_DONE)
		return;
	sh_checkpoint(s);
	sh_set(s, SH_DONE);
	evtimer_del(s->deadline_ev);
	if (s->done != NULL)
		s->done(s->done_arg);
}

static void
sh_deadline_cb(evutil_socket_t fd, short what, void *arg)
{
	struct shipper *s = arg;

	(void)fd;
	(void)what;
	log_warnx("stopping with %zu pushes unanswered: they are read again "
		  "at the next start",
	    s->qlen);
	sh_finish(s);
}

void
shipper_stop(struct shipper *s, int deadline_s, void (*done)(void *), void *arg)
{
	struct timeval tv = {deadline_s, 0};

	s->done = done;
	s->done_arg = arg;
	sh_set(s, SH_DRAIN);
	/* what is filled but unsent is simply read again next time */
	s->ev.len = s->dl.len = 0;
	s->nev = s->ndl = 0;
	s->fill_any = 0;
	if (s->qlen == 0) {
		sh_finish(s);
		return;
	}
	evtimer_add(s->deadline_ev, &tv);
}

void
shipper_gauges(struct shipper *s)
{
	s->m->lag_bytes = tail_lag(s->tail, s->acked);
	s->m->checkpoint_age_s =
	    s->dirty_since != 0 ? difftime(time(NULL), s->dirty_since) : 0;
	s->m->rotations = tail_rotations(s->tail);
	s->m->truncations = tail_truncations(s->tail);
	s->m->truncations_lost = tail_truncations_lost(s->tail);
}

/* Where to start: the checkpoint, or the current file. */
static int
sh_start_tail(struct shipper *s, char *err, size_t errlen)
{
	struct checkpoint c;
	char msg[512];
	int rc = checkpoint_read(s->cfg->state, &c, err, errlen);

	if (rc < 0) {
		/* damaged: keep it for a look, start over (duplicates) */
		char aside[4200];

		snprintf(aside, sizeof(aside), "%s.damaged", s->cfg->state);
		log_error("%s; moved to %s, starting with the current file "
			  "from its start",
		    err, aside);
		(void)rename(s->cfg->state, aside);
	}
	rc = tail_start(s->tail, rc == 0 ? &c.id : NULL, rc == 0 ? c.offset : 0,
	    s->cfg->from_end, msg, sizeof(msg));
	if (rc < 0) {
		snprintf(err, errlen, "%s", msg);
		return -1;
	}
	if (rc == 1)
		log_error("%s", msg);
	if (tail_where(s->tail, &c.id, &c.offset) == 0) {
		s->acked = c.offset;
		log_info(
		    "following file=%s from offset=%lld", c.id.name, c.offset);
	} else
		log_warnx("%s is not there yet: waiting for it", s->cfg->eve);
	return 0;
}

struct shipper *
shipper_new(struct event_base *base, const struct ship_cfg *cfg,
    struct ship_metrics *m, char *err, size_t errlen)
{
	struct shipper *s = xcalloc(1, sizeof(*s));
	struct timeval tick = {TICK_MS / 1000, 0},
		       poll = {
			   cfg->poll_ms / 1000, (cfg->poll_ms % 1000) * 1000};
	char host[64] = "";

	s->base = base;
	s->cfg = cfg;
	s->m = m;
	s->m->backlog = -1;
	s->filter.types = cfg->event_types;
	s->filter.ntypes = cfg->nevent_types;
	s->filter.sensor = cfg->sensor;
	s->q = xcalloc((size_t)cfg->inflight, sizeof(*s->q));
	s->evlen = xcalloc((size_t)cfg->batch, sizeof(size_t));
	s->dllen = xcalloc((size_t)cfg->batch, sizeof(size_t));
	s->pause_ms = PAUSE_MIN_MS;
	(void)gethostname(host, sizeof(host) - 1);
	snprintf(s->consumer, sizeof(s->consumer), "sankaku-ship@%s",
	    cfg->sensor[0] != '\0' ? cfg->sensor : host);
	s->tail = tail_new(cfg->eve, (size_t)cfg->max_event_bytes);
	if (sh_start_tail(s, err, errlen) != 0) {
		shipper_free(s);
		return NULL;
	}
	s->pump_ev = event_new(base, -1, 0, sh_pump_cb, s);
	s->ckpt_ev = evtimer_new(base, sh_ckpt_cb, s);
	s->pause_ev = evtimer_new(base, sh_pause_cb, s);
	s->deadline_ev = evtimer_new(base, sh_deadline_cb, s);
	s->tick_ev = event_new(base, -1, EV_PERSIST, sh_tick_cb, s);
	s->poll_ev = event_new(base, -1, EV_PERSIST, sh_poll_cb, s);
	evtimer_add(s->tick_ev, &tick);
	evtimer_add(s->poll_ev, &poll);
	s->inotify_fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	if (s->inotify_fd < 0 ||
	    inotify_add_watch(s->inotify_fd, tail_dir(s->tail),
		IN_MODIFY | IN_CREATE | IN_MOVED_TO | IN_MOVED_FROM |
		    IN_CLOSE_WRITE | IN_DELETE) < 0) {
		log_info("no inotify (%s): looking at the file every %ld ms",
		    strerror(errno), cfg->poll_ms);
		if (s->inotify_fd >= 0)
			close(s->inotify_fd);
		s->inotify_fd = -1;
	} else {
		s->inotify_ev = event_new(base, s->inotify_fd,
		    EV_READ | EV_PERSIST, sh_inotify_cb, s);
		event_add(s->inotify_ev, NULL);
	}
	s->link = link_new(base, "sankaku-ship", &cfg->url, sh_up, sh_down, s);
	link_set_timeout(s->link, cfg->redis_timeout_ms);
	sh_set(s, SH_WAIT);
	link_start(s->link);
	return s;
}

void
shipper_free(struct shipper *s)
{
	if (s == NULL)
		return;
	if (s->link != NULL)
		link_free(s->link);
	if (s->inotify_ev != NULL)
		event_free(s->inotify_ev);
	if (s->inotify_fd >= 0 && s->inotify_ev != NULL)
		close(s->inotify_fd);
	if (s->pump_ev != NULL) {
		event_free(s->pump_ev);
		event_free(s->ckpt_ev);
		event_free(s->pause_ev);
		event_free(s->deadline_ev);
		event_free(s->tick_ev);
		event_free(s->poll_ev);
	}
	tail_free(s->tail);
	free(s->q);
	free(s->evlen);
	free(s->dllen);
	free(s->ev.s);
	free(s->dl.s);
	free(s->scratch.s);
	free(s);
}
