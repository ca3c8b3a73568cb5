/*
 * link.h: one Redis connection of the daemon, with its state, its own
 * reconnect timer (exponential backoff) and AUTH/SELECT on connect.  The
 * owner learns of state changes through two callbacks.
 */
#ifndef SANKAKU_LINK_H
#define SANKAKU_LINK_H

#include <stdarg.h>
#include <stddef.h>

#include <event2/event.h>
#include <hiredis/async.h>

#include "redisurl.h"

enum link_state { LINK_DOWN, LINK_CONNECTING, LINK_READY };

struct link;
typedef void (*link_cb)(struct link *, void *arg);

struct link *link_new(struct event_base *, const char *name,
    const struct redis_url *, link_cb on_up, link_cb on_down, void *arg);
void link_free(struct link *);
/* Drop and remake the connection when a command goes unanswered for ms
 * (a PING is sent now and then to find out); 0: never. */
void link_set_timeout(struct link *, long ms);
/* Bound one reply to bytes (0: none); past it on_big(link, arg) is told
 * and the link is dropped and made again. */
void link_set_max_reply(struct link *, size_t bytes, link_cb on_big);
void link_start(struct link *);
/* Drop the connection now (pending callbacks get NULL) and reconnect. */
void link_reset(struct link *, const char *why);
/* Stop reconnecting and close. */
void link_stop(struct link *);
enum link_state link_state(const struct link *);
const char *link_name(const struct link *);
unsigned long link_reconnects(const struct link *);
/* Send one command; 0 or -1 if the link is not ready. */
int link_cmd(struct link *, redisCallbackFn *, void *priv, int argc,
    const char **argv, const size_t *lens);
/* Send a command already in Redis protocol (len bytes). */
int link_cmd_raw(
    struct link *, redisCallbackFn *, void *priv, const char *cmd, size_t len);
/* Send one command given as a format string. */
int link_cmdf(
    struct link *, redisCallbackFn *, void *priv, const char *fmt, ...);
int link_vcmdf(
    struct link *, redisCallbackFn *, void *priv, const char *fmt, va_list);
/* Write the commands queued so far at once (Redis works on them while
 * the caller computes) instead of at the loop's next turn. */
void link_flush(struct link *);
redisAsyncContext *link_ctx(struct link *);
/* Ask for an integer (LLEN, XLEN, SCARD...) into *gauge when it comes;
 * gauge must outlive the link. */
int link_gauge(struct link *, long *gauge, const char *fmt, ...);

/* A command's context for its reply: whom it is for, and that owner's
 * generation when it was sent (the owner bumps it when what it asked
 * about is forgotten; an older reply is ignored). */
struct link_tag {
	void *owner;
	unsigned long gen;
};
struct link_tag *link_tag(void *owner, unsigned long gen);
/* Free the tag; 1 if the reply is live: not NULL (the link is up), and
 * gen still current. */
int link_untag(struct link_tag *, const void *reply, unsigned long current);

/*
 * Quiet commands: between link_quiet_begin and link_quiet_end, commands
 * go out under CLIENT REPLY OFF.  Redis answers none of them, so they take
 * no callback, and the owner must learn by other means whether they ran
 * (cmdstat.h).  Commands with a reply are refused inside the window.  The
 * CLIENT REPLY ON that closes it must answer OK: anything else means the
 * window was answered after all (CLIENT REPLY refused), and the link is
 * reset before the stray replies can be taken for others.
 */
int link_quiet_begin(struct link *);
int link_quiet_raw(struct link *, const char *cmd, size_t len);
int link_quiet_cmd(
    struct link *, int argc, const char **argv, const size_t *lens);
int link_quiet_end(struct link *);

#endif
