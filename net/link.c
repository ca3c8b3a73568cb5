/*
 * link.c: a Redis connection that comes back by itself.
 *
 * hiredis frees the async context right after the disconnect callback, so
 * the link forgets it there and schedules a reconnect.  A connect that
 * hangs is cut by a timer.  Commands sent while connecting are refused:
 * the owner only talks to a READY link.
 */

#include <time.h>

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hiredis/hiredis.h>

#include "clock.h"
#include "link.h"
#include "linkio.h"
#include "log.h"
#include "xmalloc.h"

#define BACKOFF_MIN_MS 100
#define BACKOFF_MAX_MS 5000
#define CONNECT_TIMEOUT_MS 5000

struct link {
	struct event_base *base;
	char *name;
	struct redis_url url;
	redisAsyncContext *ac;
	enum link_state state;
	struct event *retry;   /* reconnect, after backoff */
	struct event *timeout; /* connect or handshake taking too long */
	int backoff_ms;
	int stopped;
	int handshake_failed;
	unsigned long reconnects;
	int ever_up;
	int quiet;	    /* inside a CLIENT REPLY OFF window */
	struct event *beat; /* liveness: a PING now and then */
	long timeout_ms;    /* 0: no liveness check */
	int ping_out;	    /* a PING is unanswered */
	double ping_at;	    /* when it was sent */
	size_t max_reply;   /* drop the link past this (0: no bound) */
	link_cb on_up, on_down, on_big;
	void *arg;
};

static void link_connect(struct link *);

/* Handshake step names, passed as privdata. */
static char step_auth[] = "AUTH", step_select[] = "SELECT",
	    step_setname[] = "CLIENT SETNAME";

/* Schedule a reconnect after the current backoff, and grow it. */
static void
link_schedule(struct link *l)
{
	struct timeval tv;

	if (l->stopped)
		return;
	tv.tv_sec = l->backoff_ms / 1000;
	tv.tv_usec = (l->backoff_ms % 1000) * 1000;
	evtimer_add(l->retry, &tv);
	l->backoff_ms *= 2;
	if (l->backoff_ms > BACKOFF_MAX_MS)
		l->backoff_ms = BACKOFF_MAX_MS;
}

/* Reconnect timer fired. */
static void
link_retry_cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	link_connect(arg);
}

/* Connect or handshake did not finish in time. */
static void
link_timeout_cb(evutil_socket_t fd, short what, void *arg)
{
	struct link *l = arg;

	(void)fd;
	(void)what;
	if (l->state != LINK_READY && l->ac != NULL)
		link_reset(l, "connect timeout");
}

/* A handshake step (AUTH, SELECT, CLIENT SETNAME) answered. */
static void
link_step_cb(redisAsyncContext *ac, void *r, void *priv)
{
	redisReply *reply = r;
	struct link *l = ac->data;

	if (l == NULL)
		return;
	if (reply == NULL || reply->type == REDIS_REPLY_ERROR) {
		log_error("redis handshake failed link=%s step=%s err=\"%s\"",
		    l->name, (char *)priv,
		    reply != NULL ? reply->str : "no reply");
		l->handshake_failed = 1;
	}
}

/* The liveness PING answered (a reply, not NULL, comes from the
 * connection it was asked on, whose link is alive). */
static void
link_beat_cb(redisAsyncContext *ac, void *r, void *priv)
{
	struct link *l = ac->data;

	(void)priv;
	if (r != NULL && l != NULL)
		l->ping_out = 0;
}

/* Now and then: is Redis still answering this connection? */
static void
link_beat(evutil_socket_t fd, short what, void *arg)
{
	struct link *l = arg;

	(void)fd;
	(void)what;
	if (l->state != LINK_READY || l->ac == NULL || l->timeout_ms <= 0)
		return;
	if (l->ping_out) {
		if ((clock_mono() - l->ping_at) * 1000 >=
		    (double)l->timeout_ms) {
			char why[96];

			snprintf(why, sizeof(why), "no reply for %ld ms",
			    l->timeout_ms);
			l->ping_out = 0;
			link_reset(l, why);
		}
		return;
	}
	if (redisAsyncCommand(l->ac, link_beat_cb, NULL, "PING") == REDIS_OK) {
		l->ping_out = 1;
		l->ping_at = clock_mono();
	}
}

/* Check liveness every quarter of the timeout (at most every second). */
void
link_set_timeout(struct link *l, long ms)
{
	long every = ms / 4 > 1000 ? 1000 : ms / 4;
	struct timeval tv = {every / 1000, (every % 1000) * 1000};

	l->timeout_ms = ms;
	evtimer_del(l->beat);
	if (ms > 0)
		event_add(l->beat, &tv);
}

/* The PING after the handshake: the link is ready unless a step failed. */
static void
link_ready_cb(redisAsyncContext *ac, void *r, void *priv)
{
	struct link *l = ac->data;

	(void)priv;
	if (l == NULL || r == NULL)
		return;
	evtimer_del(l->timeout);
	if (l->handshake_failed) {
		link_reset(l, "handshake failed");
		return;
	}
	l->state = LINK_READY;
	l->ping_out = 0;
	l->backoff_ms = BACKOFF_MIN_MS;
	log_info("redis connected link=%s", l->name);
	if (l->on_up != NULL)
		l->on_up(l, l->arg);
}

/* hiredis: the TCP/unix connect finished. */
static void
link_connect_cb(const redisAsyncContext *cac, int status)
{
	struct link *l = cac->data;
	redisAsyncContext *ac;
	char name[96];

	if (l == NULL)
		return;
	ac = l->ac;
	if (status != REDIS_OK) {
		log_warnx("redis connect failed link=%s err=\"%s\"", l->name,
		    cac->errstr);
		/* hiredis frees the context after this callback. */
		l->ac = NULL;
		l->state = LINK_DOWN;
		evtimer_del(l->timeout);
		link_schedule(l);
		return;
	}
	l->handshake_failed = 0;
	if (l->url.password[0] != '\0') {
		if (l->url.user[0] != '\0')
			redisAsyncCommand(ac, link_step_cb, step_auth,
			    "AUTH %s %s", l->url.user, l->url.password);
		else
			redisAsyncCommand(ac, link_step_cb, step_auth,
			    "AUTH %s", l->url.password);
	}
	if (l->url.db != 0)
		redisAsyncCommand(
		    ac, link_step_cb, step_select, "SELECT %d", l->url.db);
	/* "sankakud-main", or a name of its own ("sankaku-ship-...") */
	snprintf(name, sizeof(name), "%s%s",
	    strncmp(l->name, "sankaku", 7) == 0 ? "" : "sankakud-", l->name);
	for (char *p = name; *p != '\0'; p++)
		if (*p == ' ')
			*p = '-';
	redisAsyncCommand(
	    ac, link_step_cb, step_setname, "CLIENT SETNAME %s", name);
	redisAsyncCommand(ac, link_ready_cb, NULL, "PING");
}

/* hiredis: the connection is gone; the context is freed after this. */
static void
link_disconnect_cb(const redisAsyncContext *cac, int status)
{
	struct link *l = cac->data;
	int was_ready;

	if (l == NULL)
		return;
	was_ready = l->state == LINK_READY;
	l->ac = NULL;
	l->state = LINK_DOWN;
	evtimer_del(l->timeout);
	if (status != REDIS_OK)
		log_warnx("redis disconnected link=%s err=\"%s\"", l->name,
		    cac->errstr);
	else if (!l->stopped)
		log_warnx("redis disconnected link=%s", l->name);
	if (was_ready && l->on_down != NULL)
		l->on_down(l, l->arg);
	link_schedule(l);
}

/* A reply passed max_reply bytes: tell the owner, drop the link. */
static void
link_big(void *arg)
{
	struct link *l = arg;

	log_warnx("redis reply too large link=%s limit=%zu: dropping the link",
	    l->name, l->max_reply);
	if (l->on_big != NULL)
		l->on_big(l, l->arg);
	link_reset(l, "reply too large");
}

/* Bound the size of one reply; past it, on_big, and the link is made
 * again. */
void
link_set_max_reply(struct link *l, size_t bytes, link_cb on_big)
{
	l->max_reply = bytes;
	l->on_big = on_big;
	if (l->ac != NULL)
		linkio_set_limit(l->ac, bytes);
}

/* Start one connection attempt. */
static void
link_connect(struct link *l)
{
	redisAsyncContext *ac;
	struct timeval tv = {
	    CONNECT_TIMEOUT_MS / 1000, (CONNECT_TIMEOUT_MS % 1000) * 1000};

	if (l->stopped || l->ac != NULL)
		return;
	if (l->ever_up)
		l->reconnects++;
	l->ever_up = 1;
	if (l->url.is_unix)
		ac = redisAsyncConnectUnix(l->url.path);
	else
		ac = redisAsyncConnect(l->url.host, l->url.port);
	if (ac == NULL)
		fatalx("redisAsyncConnect: out of memory");
	if (ac->err) {
		log_warnx("redis connect failed link=%s err=\"%s\"", l->name,
		    ac->errstr);
		redisAsyncFree(ac);
		link_schedule(l);
		return;
	}
	if (linkio_attach(ac, l->base, l->max_reply, link_big, l) != 0)
		fatalx("linkio_attach: out of memory");
	ac->data = l;
	l->ac = ac;
	l->state = LINK_CONNECTING;
	redisAsyncSetConnectCallback(ac, link_connect_cb);
	redisAsyncSetDisconnectCallback(ac, link_disconnect_cb);
	evtimer_add(l->timeout, &tv);
}

/* Create a link; it connects on link_start. */
struct link *
link_new(struct event_base *base, const char *name, const struct redis_url *u,
    link_cb on_up, link_cb on_down, void *arg)
{
	struct link *l = xcalloc(1, sizeof(*l));

	l->base = base;
	l->name = xstrdup(name);
	l->url = *u;
	l->on_up = on_up;
	l->on_down = on_down;
	l->arg = arg;
	l->backoff_ms = BACKOFF_MIN_MS;
	l->retry = evtimer_new(base, link_retry_cb, l);
	l->timeout = evtimer_new(base, link_timeout_cb, l);
	l->beat = event_new(base, -1, EV_PERSIST, link_beat, l);
	if (l->retry == NULL || l->timeout == NULL || l->beat == NULL)
		fatalx("evtimer_new failed");
	return l;
}

/* Connect for the first time. */
void
link_start(struct link *l)
{
	l->stopped = 0;
	link_connect(l);
}

/* Drop the connection at once and reconnect after backoff. */
void
link_reset(struct link *l, const char *why)
{
	if (l->ac == NULL)
		return;
	log_warnx("redis link reset link=%s reason=\"%s\"", l->name, why);
	if (!(l->ac->c.flags & REDIS_CONNECTED)) {
		/* hiredis calls no disconnect callback for a context that
		 * never connected: forget it here. */
		l->ac->data = NULL;
		redisAsyncFree(l->ac);
		l->ac = NULL;
		l->state = LINK_DOWN;
		link_schedule(l);
		return;
	}
	/* Pending callbacks run with a NULL reply, then the disconnect
	 * callback; hiredis defers the free if we are inside a callback. */
	redisAsyncFree(l->ac);
}

/* Close for good. */
void
link_stop(struct link *l)
{
	l->stopped = 1;
	evtimer_del(l->retry);
	evtimer_del(l->beat);
	if (l->ac != NULL)
		redisAsyncDisconnect(l->ac);
}

/* Free a stopped link. */
void
link_free(struct link *l)
{
	if (l == NULL)
		return;
	l->stopped = 1;
	l->state = LINK_DOWN; /* owners send nothing more on it */
	if (l->ac != NULL) {
		l->ac->data = NULL;
		redisAsyncFree(l->ac);
	}
	event_free(l->retry);
	event_free(l->timeout);
	event_free(l->beat);
	free(l->name);
	free(l);
}

/* Current state. */
enum link_state
link_state(const struct link *l)
{
	return l->state;
}

/* Name for logs. */
const char *
link_name(const struct link *l)
{
	return l->name;
}

/* How many times it reconnected after the first connect. */
unsigned long
link_reconnects(const struct link *l)
{
	return l->reconnects;
}

/* The hiredis context, or NULL. */
redisAsyncContext *
link_ctx(struct link *l)
{
	return l->ac;
}

/* Whether commands can be sent; one with a reply never inside a quiet
 * window (its reply would never come, and the next one's would be taken
 * for it). */
static int
link_usable(const struct link *l, int with_reply)
{
	if (with_reply && l->quiet)
		fatalx("link %s: a command with a reply in a quiet window",
		    l->name);
	return l->state == LINK_READY && l->ac != NULL &&
	    !(l->ac->c.flags & (REDIS_DISCONNECTING | REDIS_FREEING));
}

/* Send an argv command. */
int
link_cmd(struct link *l, redisCallbackFn *cb, void *priv, int argc,
    const char **argv, const size_t *lens)
{
	if (!link_usable(l, 1))
		return -1;
	return redisAsyncCommandArgv(l->ac, cb, priv, argc, argv, lens) ==
		REDIS_OK
	    ? 0
	    : -1;
}

/* Send a command already in Redis protocol. */
int
link_cmd_raw(struct link *l, redisCallbackFn *cb, void *priv, const char *cmd,
    size_t len)
{
	if (!link_usable(l, 1))
		return -1;
	return redisAsyncFormattedCommand(l->ac, cb, priv, cmd, len) == REDIS_OK
	    ? 0
	    : -1;
}

/* Send a formatted command. */
int
link_cmdf(struct link *l, redisCallbackFn *cb, void *priv, const char *fmt, ...)
{
	va_list ap;
	int rv;

	va_start(ap, fmt);
	rv = link_vcmdf(l, cb, priv, fmt, ap);
	va_end(ap);
	return rv;
}

int
link_vcmdf(struct link *l, redisCallbackFn *cb, void *priv, const char *fmt,
    va_list ap)
{
	if (!link_usable(l, 1))
		return -1;
	return redisvAsyncCommand(l->ac, cb, priv, fmt, ap) == REDIS_OK ? 0
									: -1;
}

/* Write what is queued now rather than when the loop next turns.  Only
 * the socket write: an error stays on the context, and the write event
 * hiredis has armed meets it and drops the link the usual way. */
void
link_flush(struct link *l)
{
	int done;

	if (link_usable(l, 0))
		(void)redisBufferWrite(&l->ac->c, &done);
}

/* Open a quiet window. */
int
link_quiet_begin(struct link *l)
{
	static const char off[] = "*3\r\n$6\r\nCLIENT\r\n$5\r\nREPLY\r\n"
				  "$3\r\nOFF\r\n";

	if (!link_usable(l, 1))
		return -1;
	if (redisAppendFormattedCommand(&l->ac->c, off, sizeof(off) - 1) !=
	    REDIS_OK)
		return -1;
	l->quiet = 1;
	return 0;
}

/* A quiet command already in Redis protocol. */
int
link_quiet_raw(struct link *l, const char *cmd, size_t len)
{
	if (!l->quiet)
		fatalx("link %s: a quiet command outside a window", l->name);
	return redisAppendFormattedCommand(&l->ac->c, cmd, len) == REDIS_OK
	    ? 0
	    : -1;
}

/* A quiet argv command. */
int
link_quiet_cmd(struct link *l, int argc, const char **argv, const size_t *lens)
{
	if (!l->quiet)
		fatalx("link %s: a quiet command outside a window", l->name);
	return redisAppendCommandArgv(&l->ac->c, argc, argv, lens) == REDIS_OK
	    ? 0
	    : -1;
}

/* CLIENT REPLY ON answered. */
static void
link_quiet_on_cb(redisAsyncContext *ac, void *r, void *priv)
{
	redisReply *reply = r;
	struct link *l = ac->data;

	(void)priv;
	if (l == NULL || reply == NULL)
		return;
	if (reply->type != REDIS_REPLY_STATUS ||
	    strcmp(reply->str, "OK") != 0) {
		log_error("redis answered quiet commands link=%s err=\"%s\"",
		    l->name,
		    reply->type == REDIS_REPLY_ERROR ? reply->str : "not OK");
		link_reset(l, "replies out of step");
	}
}

/* Close the quiet window: replies again from here. */
int
link_quiet_end(struct link *l)
{
	if (!l->quiet)
		fatalx("link %s: no quiet window to close", l->name);
	l->quiet = 0;
	if (redisAsyncCommand(
		l->ac, link_quiet_on_cb, NULL, "CLIENT REPLY ON") != REDIS_OK) {
		/* left without replies, the connection is of no use */
		link_reset(l, "could not close a quiet window");
		return -1;
	}
	return 0;
}

/* A gauge's reply: an integer into the long it points at. */
static void
link_gauge_cb(redisAsyncContext *ac, void *r, void *priv)
{
	redisReply *reply = r;
	long *gauge = priv;

	(void)ac;
	if (reply != NULL && reply->type == REDIS_REPLY_INTEGER)
		*gauge = (long)reply->integer;
}

/* Ask for an integer (LLEN, XLEN, SCARD...) into *gauge when it comes. */
int
link_gauge(struct link *l, long *gauge, const char *fmt, ...)
{
	va_list ap;
	int rv;

	if (!link_usable(l, 1))
		return -1;
	va_start(ap, fmt);
	rv = redisvAsyncCommand(l->ac, link_gauge_cb, gauge, fmt, ap);
	va_end(ap);
	return rv == REDIS_OK ? 0 : -1;
}

/* A reply's context: its owner and the owner's generation. */
struct link_tag *
link_tag(void *owner, unsigned long gen)
{
	struct link_tag *t = xcalloc(1, sizeof(*t));

	t->owner = owner;
	t->gen = gen;
	return t;
}

/* Free the tag; whether the reply is live: there is one, and the owner is
 * still of the generation that asked. */
int
link_untag(struct link_tag *t, const void *reply, unsigned long current)
{
	int live = reply != NULL && t->gen == current;

	free(t);
	return live;
}
