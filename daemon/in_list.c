/*
 * in_list.c: the input as Suricata 7 writes it, a list (LPUSH or RPUSH),
 * consumed at least once.
 *
 *   - When there is input, a new list <prefix>batch:<consumer>:<id> is
 *     recorded in the set <prefix>inflight:<consumer>, and the whole input
 *     is RENAMEd to it in one step (Suricata's next push makes a new
 *     input).  The list is drained in chunks (drain.c) and, once drained,
 *     unrecorded.
 *   - When the input is empty and nothing is in flight, no list may be
 *     recorded (SCARD); then one BLMOVE into <prefix>batch:<consumer>:wait
 *     waits for the next event, so an idle daemon answers at once and
 *     never polls.  The wait list is deleted once its event is stored.
 *   - Recovery, after every start and every failure: the wait list first,
 *     then every recorded list, oldest first, drained the same way.
 * Every command on a list goes over the main link, in order with the
 * stores; only BLMOVE uses the wait link.
 *
 * States: reply handlers only move the state; list_kick sends what the
 * state calls for.
 *   IDLE      nothing outstanding: take the input, or the next list to
 *             recover
 *   LISTING   SMEMBERS of the registry (recovery)
 *   SIZING    LLEN of the list to drain (after RENAME, or recovery)
 *   DRAINING  a list being drained (drain.c)
 *   EMPTY     the input was empty: check the registry, then wait
 *   CHECKING  SCARD of the registry
 *   CLEAR     nothing recorded, nothing in flight: wait in BLMOVE
 *   WAITING   BLMOVE outstanding on the wait link
 *   HOLDING   BLMOVE gave one event, being stored: take the input once
 *             that chunk is finished (stored or given up), so that no
 *             command of ours waits in Redis behind the lone alert's
 *             store and delays its delivery to subscribers
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <hiredis/hiredis.h>

#include "drain.h"
#include "input.h"
#include "log.h"
#include "pipeline.h"
#include "xmalloc.h"

_Static_assert(LEDGER_SLOTS >= CFG_INFLIGHT_MAX,
    "every chunk in flight needs a ledger slot");

enum list_state {
	L_IDLE,
	L_LISTING,
	L_SIZING,
	L_DRAINING,
	L_EMPTY,
	L_CHECKING,
	L_CLEAR,
	L_WAITING,
	L_HOLDING,
};

struct in_list {
	struct input in;
	struct pipeline *pl;
	struct link *wait, *main;
	struct metrics *m;

	/* fixed at start: changing these needs a restart */
	char *key;	/* the input list */
	char *registry; /* set of this consumer's lists not yet finished */
	char *prefix;	/* its lists' names */
	char *wait_key; /* the one list BLMOVE fills, never recorded */
	int rpush;
	long block_ms;
	unsigned long long boot_ms;
	unsigned long seq;

	enum list_state state;
	struct drain drain;
	char *list;    /* SIZING, DRAINING: the list */
	int recorded;  /* in the registry (the wait list is not) */
	int recovery;  /* a list a predecessor took */
	int wait_busy; /* the wait list's chunk is in flight */
	char **rkeys;  /* recovery: lists to drain, oldest first */
	size_t nrkeys, rnext;
};

/* Take the input KEYS[1] whole into KEYS[2], recorded in the set KEYS[3]:
 * its length, 0 if there is none, an error if it is not a list. */
static const char take_script[] =
    "local t = redis.call('TYPE', KEYS[1])['ok']\n"
    "if t == 'none' then return 0 end\n"
    "if t ~= 'list' then\n"
    "  return redis.error_reply('WRONGTYPE the input is a ' .. t ..\n"
    "    ', not a list: nothing taken')\n"
    "end\n"
    "redis.call('SADD', KEYS[3], KEYS[2])\n"
    "redis.call('RENAME', KEYS[1], KEYS[2])\n"
    "return redis.call('LLEN', KEYS[2])\n";

/* Delete the wait list if it holds one event, the one just stored. */
static const char wait_done_script[] =
    "if redis.call('LLEN', KEYS[1]) == 1 then\n"
    "  redis.call('DEL', KEYS[1])\n"
    "  return 1\n"
    "end\n"
    "return 0\n";

static void list_drained(struct in_list *);

/* A tag of the current generation. */
static struct link_tag *
list_tag(struct in_list *l)
{
	return link_tag(l, pl_gen(l->pl));
}

/* Whether a tagged reply still matters (and frees the tag). */
static int
list_untag(struct link_tag *t, const void *reply)
{
	struct in_list *l = t->owner;

	return link_untag(t, reply, pl_gen(l->pl));
}

/* Create. */
static struct input *
list_create(struct pipeline *pl, struct link *wait, struct link *main,
    const struct cfg *c, struct metrics *m)
{
	struct in_list *l = xcalloc(1, sizeof(*l));
	struct timespec ts;

	l->in.be = &in_list_backend;
	l->pl = pl;
	l->wait = wait;
	l->main = main;
	l->m = m;
	l->key = xstrdup(c->input_key);
	l->registry = xasprintf("%sinflight:%s", c->prefix, c->consumer);
	l->prefix = xasprintf("%sbatch:%s:", c->prefix, c->consumer);
	l->wait_key = xasprintf("%swait", l->prefix);
	l->rpush = c->input_push == PUSH_RPUSH;
	l->block_ms = c->block_ms;
	l->drain.pl = pl;
	l->drain.l = l;
	l->drain.main = main;
	l->drain.rpush = l->rpush;
	l->drain.batch = c->batch;
	l->drain.max_event_bytes = c->max_event_bytes;
	l->drain.done = list_drained;
	clock_gettime(CLOCK_REALTIME, &ts);
	l->boot_ms = (unsigned long long)ts.tv_sec * 1000 +
	    (unsigned long long)ts.tv_nsec / 1000000;
	return &l->in;
}

/* Forget the recovery queue. */
static void
list_rkeys_free(struct in_list *l)
{
	size_t i;

	for (i = 0; i < l->nrkeys; i++)
		free(l->rkeys[i]);
	free(l->rkeys);
	l->rkeys = NULL;
	l->nrkeys = l->rnext = 0;
}

/* Forget the list being drained: it stays recorded, and recovery redoes
 * what was not trimmed. */
static void
list_forget(struct in_list *l)
{
	free(l->list);
	l->list = NULL;
	drain_forget(&l->drain);
	l->state = L_IDLE;
}

/* A link failed: everything outstanding is of an old generation. */
static void
list_reset(struct input *in)
{
	struct in_list *l = (struct in_list *)in;

	list_forget(l);
	list_rkeys_free(l);
}

/* Free. */
static void
list_destroy(struct input *in)
{
	struct in_list *l = (struct in_list *)in;

	list_reset(in);
	free(l->key);
	free(l->registry);
	free(l->prefix);
	free(l->wait_key);
	free(l);
}

/* A read is outstanding. */
static int
list_busy(const struct input *in)
{
	const struct in_list *l = (const struct in_list *)in;

	return l->state == L_LISTING || l->state == L_SIZING ||
	    l->state == L_CHECKING || l->state == L_WAITING;
}

/* A new chunk of this backend. */
static struct list_chunk *
list_chunk_new(struct in_list *l, int recovery)
{
	struct list_chunk *lc = xcalloc(1, sizeof(*lc));

	lc->d = &l->drain;
	pl_chunk_init(l->pl, &lc->c, recovery);
	return lc;
}

/* Free a chunk. */
static void
list_chunk_free(struct chunk *c)
{
	struct list_chunk *lc = (struct list_chunk *)c;

	if (lc->wait) {
		struct in_list *l = lc->d->l;

		l->wait_busy = 0;
		if (l->state == L_HOLDING)
			l->state = L_IDLE; /* the step that follows takes */
	}
	free(lc);
}

/* The list is drained: unrecord it, and go on. */
static void
list_drained(struct in_list *l)
{
	if (l->recorded)
		link_cmdf(
		    l->main, NULL, NULL, "SREM %s %s", l->registry, l->list);
	free(l->list);
	l->list = NULL;
	l->state = L_IDLE;
}

/* The wait list's delete answered. */
static void
list_wait_done_cb(redisAsyncContext *ac, void *r, void *priv)
{
	redisReply *reply = r;
	struct list_chunk *lc = priv;

	(void)ac;
	if (reply != NULL && reply->type == REDIS_REPLY_INTEGER &&
	    reply->integer == 0) {
		/* a late BLMOVE of a broken connection added one more */
		log_warnx("wait list holds more events key=%s, recovering",
		    lc->d->l->wait_key);
		pl_restart(lc->c.pl, 0);
	}
	pl_chunk_done(
	    &lc->c, reply != NULL && reply->type != REDIS_REPLY_ERROR);
}

/* Every store of a chunk is in: trim it in its turn, or delete the wait
 * list (only if it holds just the event stored). */
static void
list_ack(struct input *in, struct chunk *c)
{
	struct in_list *l = (struct in_list *)in;
	struct list_chunk *lc = (struct list_chunk *)c;

	if (lc->wait) {
		if (link_cmdf(l->main, list_wait_done_cb, lc, "EVAL %s 1 %s",
			wait_done_script, l->wait_key) != 0)
			pl_chunk_drop(c, NULL);
		return;
	}
	drain_ack(&l->drain, lc);
}

/* The take script or the LLEN of a list to drain answered: drain it, or
 * there is nothing.  An error (the input is not a list) takes nothing. */
static void
list_size_cb(redisAsyncContext *ac, void *r, void *priv)
{
	redisReply *reply = r;
	struct link_tag *t = priv;
	struct in_list *l = t->owner;
	long n;

	(void)ac;
	if (!list_untag(t, reply))
		return;
	if (reply->type == REDIS_REPLY_ERROR && l->recovery &&
	    strncmp(reply->str, "WRONGTYPE", 9) == 0) {
		/* a list of ours to recover is something else now */
		log_error("recovery: %s is not a list: removed from %s, left "
			  "as it is",
		    l->list, l->registry);
		link_cmdf(
		    l->main, NULL, NULL, "SREM %s %s", l->registry, l->list);
		free(l->list);
		l->list = NULL;
		l->state = L_IDLE;
		pl_step(l->pl);
		return;
	}
	if (reply->type == REDIS_REPLY_ERROR) {
		log_error(
		    "input not taken key=%s err=\"%s\"", l->list, reply->str);
		free(l->list);
		l->list = NULL;
		l->state = L_IDLE;
		pl_restart(l->pl, 1000); /* the check says why */
		return;
	}
	n = reply->type == REDIS_REPLY_INTEGER ? (long)reply->integer : 0;
	if (n == 0) {
		/* nothing there (the input was empty) */
		if (l->recorded)
			link_cmdf(l->main, NULL, NULL, "SREM %s %s",
			    l->registry, l->list);
		free(l->list);
		l->list = NULL;
		l->state = l->recovery ? L_IDLE : L_EMPTY;
		if (!l->recovery)
			l->m->backlog = 0;
		pl_step(l->pl);
		return;
	}
	if (l->recovery)
		log_info("recovering key=%s events=%ld", l->list, n);
	drain_start(&l->drain, l->list, n, l->recovery);
	l->state = L_DRAINING;
	pl_step(l->pl);
}

/* Drain an existing list: a recorded one, or the wait list. */
static void
list_drain(struct in_list *l, const char *key, int recorded)
{
	struct link_tag *t = list_tag(l);

	l->list = xstrdup(key);
	l->recorded = recorded;
	l->recovery = 1;
	l->state = L_SIZING;
	if (link_cmdf(l->main, list_size_cb, t, "LLEN %s", key) != 0)
		free(t);
}

/* Take the whole input in one step: record a new list, RENAME the input
 * to it (Suricata's next push makes a new input), drain it in chunks.  A
 * script, so that nothing but a list is ever taken (a Suricata 8 stream or
 * a hash at the input's name would otherwise be moved away, unread). */
static void
list_take(struct in_list *l)
{
	struct link_tag *t = list_tag(l);

	l->list = xasprintf("%s%016llx%08lx", l->prefix, l->boot_ms, l->seq++);
	l->recorded = 1;
	l->recovery = 0;
	l->state = L_SIZING;
	if (link_cmdf(l->main, list_size_cb, t, "EVAL %s 3 %s %s %s",
		take_script, l->key, l->list, l->registry) != 0)
		free(t); /* the link is gone: the restart follows */
}

/* The BLMOVE answered: one event, or nothing on timeout. */
static void
list_wait_cb(redisAsyncContext *ac, void *r, void *priv)
{
	redisReply *reply = r;
	struct list_chunk *lc = priv;
	struct in_list *l = lc->d->l;

	(void)ac;
	if (reply == NULL || pl_chunk_stale(&lc->c)) {
		pl_chunk_drop(&lc->c, NULL);
		return;
	}
	if (reply->type == REDIS_REPLY_ERROR) {
		l->state = L_IDLE;
		snprintf(lc->c.err, sizeof(lc->c.err), "%s", reply->str);
		pl_chunk_drop(&lc->c, lc->c.err);
		return;
	}
	if (reply->type != REDIS_REPLY_STRING) {
		/* timed out: the input is still empty, wait again */
		l->state = L_EMPTY;
		pl_chunk_drop(&lc->c, NULL);
		return;
	}
	l->state = L_HOLDING; /* more may have come: take it after */
	pl_chunk_begin(&lc->c);
	pl_chunk_item(&lc->c, reply->str, reply->len);
	pl_chunk_end(&lc->c);
	pl_step(l->pl);
}

/* Wait in BLMOVE for one event, for at most input.block_ms. */
static void
list_block(struct in_list *l)
{
	struct list_chunk *lc;
	char timeout[32];

	if (l->wait_busy || pl_room(l->pl) <= 0)
		return; /* a finished chunk kicks again */
	/* The wait list is always looked at by recovery, so it needs no
	 * record; it is reused only once its last chunk is done. */
	lc = list_chunk_new(l, 0);
	lc->wait = 1;
	l->wait_busy = 1;
	snprintf(
	    timeout, sizeof(timeout), "%.3f", (double)l->block_ms / 1000.0);
	if (link_cmdf(l->wait, list_wait_cb, lc, "BLMOVE %s %s %s LEFT %s",
		l->key, l->wait_key, l->rpush ? "LEFT" : "RIGHT",
		timeout) != 0) {
		pl_chunk_drop(&lc->c, NULL);
		return;
	}
	l->state = L_WAITING;
}

/* SCARD of the registry answered, with nothing in flight. */
static void
list_check_cb(redisAsyncContext *ac, void *r, void *priv)
{
	redisReply *reply = r;
	struct link_tag *t = priv;
	struct in_list *l = t->owner;

	(void)ac;
	if (!list_untag(t, reply))
		return;
	l->state = L_EMPTY;
	if (reply->type != REDIS_REPLY_INTEGER)
		return; /* the next kick checks again */
	l->m->processing = (long)reply->integer;
	if (reply->integer > 0 && pl_inflight(l->pl) == 0) {
		log_warnx("stranded batches=%lld, recovering", reply->integer);
		pl_restart(l->pl, 0);
		return;
	}
	l->state = L_CLEAR;
	pl_step(l->pl);
}

/* The input is empty.  With nothing in flight, no list may be recorded:
 * check that (after the SREMs just sent, on the same link) before waiting
 * in BLMOVE, whose own chunk would otherwise be counted. */
static void
list_check(struct in_list *l)
{
	struct link_tag *t;

	if (pl_inflight(l->pl) != 0) {
		list_block(l);
		return;
	}
	t = list_tag(l);
	if (link_cmdf(l->main, list_check_cb, t, "SCARD %s", l->registry) !=
	    0) {
		free(t);
		return;
	}
	l->state = L_CHECKING;
}

/* Sort list names: fixed-width hexadecimal, so by time. */
static int
list_key_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Whether name (n bytes) is one of this consumer's lists: its prefix,
 * then hex digits (the list's boot time and sequence). */
static int
list_is_ours(const struct in_list *l, const char *name, size_t n)
{
	size_t p = strlen(l->prefix);

	return n > p && strlen(name) == n && strncmp(name, l->prefix, p) == 0 &&
	    strspn(name + p, "0123456789abcdef") == n - p;
}

/* SMEMBERS of the registry answered: the lists to recover. */
static void
list_members_cb(redisAsyncContext *ac, void *r, void *priv)
{
	redisReply *reply = r;
	struct link_tag *t = priv;
	struct in_list *l = t->owner;
	size_t i;

	(void)ac;
	if (!list_untag(t, reply))
		return;
	if (reply->type != REDIS_REPLY_ARRAY) {
		log_error("recovery read failed key=%s err=\"%s\"", l->registry,
		    reply->type == REDIS_REPLY_ERROR ? reply->str : "?");
		pl_restart(l->pl, 1000);
		return;
	}
	list_rkeys_free(l);
	l->rkeys = xcalloc(reply->elements + 2, sizeof(*l->rkeys));
	/* the wait list first: it was filled while nothing else ran */
	l->rkeys[l->nrkeys++] = xstrdup(l->wait_key);
	for (i = 0; i < reply->elements; i++) {
		const redisReply *e = reply->element[i];

		if (e->type != REDIS_REPLY_STRING ||
		    strcmp(e->str, l->wait_key) == 0)
			continue;
		/* only this consumer's lists are taken again: another key
		 * named there (by hand, by a program of its own) would be
		 * read as input and emptied; its name leaves the registry,
		 * the key stays as it is */
		if (!list_is_ours(l, e->str, e->len)) {
			log_error("recovery: a member of %s is not a list of "
				  "this consumer's (%s*): removed from it, the "
				  "key it names left as it is",
			    l->registry, l->prefix);
			(void)link_cmdf(l->main, NULL, NULL, "SREM %s %b",
			    l->registry, e->str, e->len);
			continue;
		}
		l->rkeys[l->nrkeys++] = xstrdup(e->str);
	}
	qsort(l->rkeys + 1, l->nrkeys - 1, sizeof(*l->rkeys), list_key_cmp);
	l->state = L_IDLE;
	pl_step(l->pl);
}

/* Recovery: which lists did this consumer take?  On the main link, in
 * order after every store sent before. */
static void
list_recover(struct input *in)
{
	struct in_list *l = (struct in_list *)in;
	struct link_tag *t = list_tag(l);

	list_forget(l);
	list_rkeys_free(l);
	if (link_cmdf(
		l->main, list_members_cb, t, "SMEMBERS %s", l->registry) != 0) {
		/* never call recovery over without having listed */
		free(t);
		pl_restart(l->pl, 1000);
		return;
	}
	l->state = L_LISTING;
}

/* Recovery: drain the next list, or say recovery is over. */
static void
list_recover_next(struct in_list *l)
{
	const char *key;

	if (l->rnext >= l->nrkeys) {
		list_rkeys_free(l);
		pl_recovered(l->pl);
		return;
	}
	key = l->rkeys[l->rnext++];
	list_drain(l, key, strcmp(key, l->wait_key) != 0);
}

/* Send what the state calls for, if there is room. */
static void
list_kick(struct input *in, enum in_want want)
{
	struct in_list *l = (struct in_list *)in;

	switch (l->state) {
	case L_DRAINING:
		/* a list is taken: even when stopping, finish it */
		drain_read(&l->drain);
		break;
	case L_IDLE:
		if (want == IN_RECOVER)
			list_recover_next(l);
		else if (want == IN_RUN && pl_room(l->pl) > 0)
			list_take(l);
		break;
	case L_EMPTY:
		if (want == IN_RUN)
			list_check(l);
		break;
	case L_CLEAR:
		if (want == IN_RUN)
			list_block(l);
		break;
	default:
		break; /* a reply is awaited */
	}
}

/* The backlog and the lists not yet finished. */
static void
list_gauges(struct input *in)
{
	struct in_list *l = (struct in_list *)in;

	link_gauge(l->main, &l->m->backlog, "LLEN %s", l->key);
	link_gauge(l->main, &l->m->processing, "SCARD %s", l->registry);
}

const struct input_backend in_list_backend = {
    "list",
    "list",
    list_create,
    list_destroy,
    list_recover,
    list_kick,
    list_ack,
    list_reset,
    list_busy,
    list_gauges,
    list_chunk_free,
};
