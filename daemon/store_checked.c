/*
 * store_checked.c: checked stores (output.acks "chunk").
 *
 * A chunk's XADDs and PUBLISHes go out between CLIENT REPLY OFF and
 * CLIENT REPLY ON, so Redis writes no reply for them (and wakes us for
 * none); one INFO commandstats after them shows whether every XADD ran: no
 * XADD refused or failed since the reading before (on this connection, in
 * order), at least as many run as were sent, and the window's own OFF and
 * ON counted too (fewer means the counters were reset in between, which
 * could hide a refused XADD).  Only then does the chunk count as stored.
 * Another client's refused XADD in the same moment fails the check: the
 * chunk is redone (duplicates, never a loss); after QUIET_FAILS failed
 * checks in a row every XADD is acknowledged for output.acks_pause_ms.
 * Dead letters of a checked chunk are held and pushed after the window,
 * each with its reply.
 *
 * Redis before 7.0, or an ACL without +client|reply and +info, is found
 * out when the main link comes up (the probe); then every XADD is
 * acknowledged on its own (store.c).  This needs hiredis to append
 * commands without a callback (link_quiet_*), and link.c's tripwire
 * refuses a command with a reply inside a window.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "clock.h"
#include "cmdstat.h"
#include "log.h"
#include "store.h"
#include "xmalloc.h"

#define QUIET_FAILS 3 /* failed checks in a row: acknowledge each */

struct checked {
	struct store *st;
	int ok;		   /* this connection checks stores per chunk */
	int probe_refused; /* the probe's CLIENT REPLY ON was refused */
	/* counters at the last reading: XADD, and CLIENT REPLY (each
	 * window adds two) */
	struct cmdstat xadd, reply;
	int valid;	   /* those counters are a reading of this link */
	int fails;	   /* chunk checks failed in a row */
	double resume_at;  /* checks suspended until then (0: not) */
	unsigned long gen; /* bumped per connection: old replies ignored */
};

/* Checked per chunk, or not; the gauge says so. */
static void
ck_set(struct checked *ck, int on)
{
	ck->ok = on;
	store_metrics(ck->st)->checked_stores = on;
}

/* Create. */
struct checked *
checked_new(struct store *st)
{
	struct checked *ck = xcalloc(1, sizeof(*ck));

	ck->st = st;
	return ck;
}

/* Free. */
void
checked_free(struct checked *ck)
{
	free(ck);
}

/* Read the XADD and CLIENT REPLY counters of an INFO reply. */
static int
ck_read(const redisReply *reply, struct cmdstat *x, struct cmdstat *cr)
{
	if (reply == NULL ||
	    (reply->type != REDIS_REPLY_STRING &&
		reply->type != REDIS_REPLY_STATUS))
		return -1;
	if (cmdstat_read(reply->str, reply->len, "xadd", x) != 0)
		return -1;
	return cmdstat_read(reply->str, reply->len, "client|reply", cr);
}

/* The probe's CLIENT REPLY ON answered: may this user use it? */
static void
ck_probe_on_cb(redisAsyncContext *ac, void *r, void *priv)
{
	redisReply *reply = r;
	struct link_tag *t = priv;
	struct checked *ck = t->owner;

	(void)ac;
	/* a probe reply is for the connection it was asked on */
	if (link_untag(t, reply, ck->gen))
		ck->probe_refused = reply->type != REDIS_REPLY_STATUS;
}

/* The probe's INFO answered: check per chunk if Redis can say. */
static void
ck_probe_info_cb(redisAsyncContext *ac, void *r, void *priv)
{
	redisReply *reply = r;
	struct link_tag *t = priv;
	struct checked *ck = t->owner;
	struct cmdstat x, cr;

	(void)ac;
	if (link_untag(t, reply, ck->gen)) {
		if (ck->probe_refused || ck_read(reply, &x, &cr) != 0)
			log_info("stores acknowledged one by one: Redis cannot "
				 "check them per chunk (%s)",
			    ck->probe_refused ? "CLIENT REPLY refused"
				: reply->type == REDIS_REPLY_ERROR
				? reply->str
				: "INFO commandstats without failed_calls");
		else {
			ck->xadd = x;
			ck->reply = cr;
			ck->valid = 1;
			ck_set(ck, 1);
			log_info("stores checked per chunk (CLIENT REPLY OFF, "
				 "INFO commandstats)");
		}
	}
}

/* Can this connection check stores per chunk? */
static void
ck_probe(struct checked *ck)
{
	struct link *l = store_link(ck->st);
	struct link_tag *t;

	ck_set(ck, 0);
	ck->probe_refused = 0;
	if (store_cfg(ck->st)->acks == ACKS_EACH || ck->resume_at > 0)
		return; /* the tick probes when the pause is over */
	t = link_tag(ck, ck->gen);
	if (link_cmdf(l, ck_probe_on_cb, t, "CLIENT REPLY ON") != 0)
		free(t);
	t = link_tag(ck, ck->gen);
	if (link_cmdf(l, ck_probe_info_cb, t, "INFO commandstats errorstats") !=
	    0)
		free(t);
}

/* The main link is up: a new connection, a new probe. */
void
checked_link_up(struct checked *ck)
{
	ck->gen++;
	ck->valid = 0;
	ck_probe(ck);
}

/* The main link is down. */
void
checked_link_down(struct checked *ck)
{
	ck->gen++;
	ck_set(ck, 0);
}

/* A reload: output.acks may have changed either way. */
void
checked_config(struct checked *ck)
{
	if (store_cfg(ck->st)->acks == ACKS_EACH)
		ck_set(ck, 0);
	else if (!ck->ok && link_state(store_link(ck->st)) == LINK_READY)
		ck_probe(ck); /* output.acks became chunk */
}

/* Now and then: is the pause after failed checks over? */
void
checked_tick(struct checked *ck)
{
	if (ck->resume_at > 0 && clock_mono() >= ck->resume_at &&
	    link_state(store_link(ck->st)) == LINK_READY) {
		ck->resume_at = 0;
		ck->fails = 0;
		ck_probe(ck);
	}
}

/* Open a quiet window for the chunk if this connection checks stores. */
int
checked_open(struct checked *ck, struct chunk *c)
{
	(void)c;
	return ck->ok && link_quiet_begin(store_link(ck->st)) == 0;
}

/* Count one failed or passed check; too many failures in a row pause
 * checking. */
static void
ck_count(struct checked *ck, int ok)
{
	if (ok) {
		ck->fails = 0;
		return;
	}
	if (++ck->fails >= QUIET_FAILS && ck->ok) {
		/* refused or failing XADDs, perhaps another client's: every
		 * chunk would be redone; acknowledge each for a while */
		long pause = store_cfg(ck->st)->acks_pause_ms;

		ck_set(ck, 0);
		ck->resume_at = clock_mono() + (double)pause / 1000.0;
		log_warnx("stores acknowledged one by one for %ld ms: %d chunk "
			  "checks in a row failed (XADDs refused or failing, "
			  "ours or another client's)",
		    pause, ck->fails);
	}
}

/* The reading after a chunk's quiet stores: did every XADD run? */
static void
ck_check_cb(redisAsyncContext *ac, void *r, void *priv)
{
	redisReply *reply = r;
	struct chunk *c = priv;
	struct checked *ck = store_checked_state(c->st);
	struct cmdstat x, cr;
	int ok = 0;

	(void)ac;
	if (reply != NULL) {
		/* every reading moves the mark, in the order they came */
		if (ck_read(reply, &x, &cr) == 0) {
			ok = ck->valid &&
			    cmdstat_all_ran(
				&ck->xadd, &x, (long long)c->quiet) &&
			    cmdstat_all_ran(&ck->reply, &cr, 2);
			ck->xadd = x;
			ck->reply = cr;
			ck->valid = 1;
		} else
			ck->valid = 0;
		ck_count(ck, ok);
		if (!ok && !c->failed) {
			char errs[64] = "";

			if (reply->type != REDIS_REPLY_ERROR)
				cmdstat_errors(
				    reply->str, reply->len, errs, sizeof(errs));
			c->failed = 1;
			snprintf(c->err, sizeof(c->err),
			    "not all %zu XADDs ran: %s%s", c->quiet,
			    reply->type == REDIS_REPLY_ERROR
				? reply->str
				: "Redis refused or failed one; its errors: ",
			    errs);
		}
	} else
		c->lost = 1;
	store_answered(c->st, c);
}

/* Checked: an XADD without a reply. */
static int
ck_raw(struct store *st, struct chunk *c, const char *cmd, size_t len)
{
	if (link_quiet_raw(store_link(st), cmd, len) != 0)
		return -1;
	c->quiet++;
	return 0;
}

/* Checked: a PUBLISH without a reply. */
static int
ck_publish(struct store *st, struct chunk *c, int argc, const char **argv,
    const size_t *lens)
{
	(void)c;
	return link_quiet_cmd(store_link(st), argc, argv, lens);
}

/* Checked: a dead letter waits until the window is closed. */
static void
ck_deadletter(struct store *st, struct chunk *c, char *dl, size_t len)
{
	(void)st;
	c->held = xreallocarray(c->held, c->nheld + 1, sizeof(*c->held));
	c->held[c->nheld].s = dl;
	c->held[c->nheld++].len = len;
}

/* Close the window: the reading that checks it, then the dead letters
 * held back, each with its reply. */
static void
ck_close(struct store *st, struct chunk *c)
{
	struct link *l = store_link(st);
	size_t i;

	if (link_quiet_end(l) != 0)
		c->lost = 1;
	else if (c->quiet > 0) {
		if (link_cmdf(
			l, ck_check_cb, c, "INFO commandstats errorstats") == 0)
			store_expect(c);
		else
			c->lost = 1;
	}
	for (i = 0; i < c->nheld; i++)
		store_push_deadletter(st, c, c->held[i].s, c->held[i].len);
	store_forget(c);
}

const struct store_backend store_checked = {
    "checked",
    ck_raw,
    ck_publish,
    ck_deadletter,
    ck_close,
};
