/*
 * store.c: a chunk's stores (see store.h), and the acknowledged backend:
 * every XADD and every dead letter is sent with its reply, and the chunk is
 * stored once each reply is in.
 *
 * The XADD is framed in place: enrich leaves store_headroom() bytes before
 * the document, where the command's head (XADD key MAXLEN ~ n * alert
 * $len) is written, and two bytes after it for the CRLF, so the 1-3 KB
 * document is never copied on its way to hiredis.
 *
 * Only a chunk's first XADD to a stream carries MAXLEN ~ n; the others
 * are plain.  Redis trims whole nodes either way, so the stream stays
 * within a chunk of the cap, and Redis spends a fifth less CPU on the
 * XADDs: trimming at each one rewrites its arguments and walks to the
 * stream's first node each time (replayed with redis-cli --pipe, compact
 * entries at cap, medians 2.95 against 4.25 us of Redis CPU an XADD).
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "store.h"
#include "xmalloc.h"

/* Room for "$<len>\r\n" after the head. */
#define LEN_ROOM 24

struct store {
	struct link *main;
	const struct cfg *cfg; /* borrowed: the pipeline's */
	struct metrics *m;
	void (*stored)(struct chunk *);
	/* XADD in Redis protocol, up to the document: [0] with MAXLEN ~ n
	 * (a chunk's first to the stream), [1] without */
	char *xadd_head[2];
	size_t xadd_head_len[2];
	char *red_head[2]; /* the same to output.red_stream */
	size_t red_head_len[2];
	struct checked *checked;
};

/* An XADD to key, in Redis protocol, up to the document: trimming to
 * output.stream_maxlen, if there is one, or not. */
static char *
make_head(const struct cfg *c, const char *key, int trim)
{
	char maxlen[32];

	snprintf(maxlen, sizeof(maxlen), "%ld", c->stream_maxlen);
	if (trim && c->stream_maxlen > 0)
		return xasprintf(
		    "*8\r\n$4\r\nXADD\r\n$%zu\r\n%s\r\n$6\r\nMAXLEN\r\n$1\r\n~"
		    "\r\n$%zu\r\n%s\r\n$1\r\n*\r\n$5\r\nalert\r\n",
		    strlen(key), key, strlen(maxlen), maxlen);
	return xasprintf("*5\r\n$4\r\nXADD\r\n$%zu\r\n%s\r\n$1\r\n*\r\n$5\r\n"
			 "alert\r\n",
	    strlen(key), key);
}

/* The XADDs of the config. */
static void
store_build_head(struct store *st)
{
	int i;

	for (i = 0; i < 2; i++) {
		free(st->xadd_head[i]);
		free(st->red_head[i]);
		st->xadd_head[i] = make_head(st->cfg, st->cfg->stream, i == 0);
		st->xadd_head_len[i] = strlen(st->xadd_head[i]);
		st->red_head[i] =
		    make_head(st->cfg, st->cfg->red_stream, i == 0);
		st->red_head_len[i] = strlen(st->red_head[i]);
	}
}

/* Create. */
struct store *
store_new(struct link *main, const struct cfg *c, struct metrics *m,
    void (*stored)(struct chunk *))
{
	struct store *st = xcalloc(1, sizeof(*st));

	st->main = main;
	st->cfg = c;
	st->m = m;
	st->stored = stored;
	store_build_head(st);
	st->checked = checked_new(st);
	return st;
}

/* Free. */
void
store_free(struct store *st)
{
	if (st == NULL)
		return;
	checked_free(st->checked);
	free(st->xadd_head[0]);
	free(st->xadd_head[1]);
	free(st->red_head[0]);
	free(st->red_head[1]);
	free(st);
}

/* A reload. */
void
store_config(struct store *st, const struct cfg *c)
{
	st->cfg = c;
	store_build_head(st);
	checked_config(st->checked);
}

void
store_link_up(struct store *st)
{
	checked_link_up(st->checked);
}

void
store_link_down(struct store *st)
{
	checked_link_down(st->checked);
}

void
store_tick(struct store *st)
{
	checked_tick(st->checked);
}

/* Any head plus its length line always fits (the trimming ones are the
 * longer). */
size_t
store_headroom(const struct store *st)
{
	return (st->xadd_head_len[0] > st->red_head_len[0]
		       ? st->xadd_head_len[0]
		       : st->red_head_len[0]) +
	    LEN_ROOM;
}

struct link *
store_link(struct store *st)
{
	return st->main;
}

const struct cfg *
store_cfg(const struct store *st)
{
	return st->cfg;
}

struct metrics *
store_metrics(struct store *st)
{
	return st->m;
}

struct checked *
store_checked_state(struct store *st)
{
	return st->checked;
}

/* The chunk is stored (or failed) once it is closed and every reply is
 * in. */
static void
store_maybe_done(struct store *st, struct chunk *c)
{
	if (c->closed && c->pending == 0)
		st->stored(c);
}

/* One more reply to wait for. */
void
store_expect(struct chunk *c)
{
	c->pending++;
}

/* One reply is in, whatever it said. */
void
store_answered(struct store *st, struct chunk *c)
{
	c->pending--;
	store_maybe_done(st, c);
}

/* A store answered: an error fails the chunk, no reply loses it. */
void
store_reply(struct store *st, struct chunk *c, const redisReply *reply)
{
	if (reply == NULL)
		c->lost = 1;
	else if (reply->type == REDIS_REPLY_ERROR && !c->failed) {
		c->failed = 1;
		snprintf(c->err, sizeof(c->err), "%s", reply->str);
	}
	store_answered(st, c);
}

/* hiredis: a store with a reply answered. */
static void
store_reply_cb(redisAsyncContext *ac, void *r, void *priv)
{
	struct chunk *c = priv;

	(void)ac;
	store_reply(c->st, c, r);
}

/* Push ARGV[1] onto the dead-letter list KEYS[1] unless the bytes of its
 * entries, kept in KEYS[2], would pass ARGV[2]: 1 pushed, 0 over budget.
 * The count starts again whenever the list is gone (read and deleted);
 * sankakud --replay-deadletter takes back what it takes out. */
static const char dl_push_script[] =
    "if redis.call('EXISTS', KEYS[1]) == 0 then redis.call('DEL', KEYS[2]) "
    "end\n"
    "local used = tonumber(redis.call('GET', KEYS[2]) or '0')\n"
    "if used + #ARGV[1] > tonumber(ARGV[2]) then return 0 end\n"
    "redis.call('LPUSH', KEYS[1], ARGV[1])\n"
    "redis.call('INCRBY', KEYS[2], #ARGV[1])\n"
    "return 1\n";

/* A dead letter's push answered: 0 means over the budget, counted. */
static void
store_dl_cb(redisAsyncContext *ac, void *r, void *priv)
{
	redisReply *reply = r;
	struct chunk *c = priv;
	struct metrics *m = c->st->m;

	(void)ac;
	if (reply != NULL && reply->type == REDIS_REPLY_INTEGER &&
	    reply->integer == 0) {
		m->deadletter_overflow++;
		if (m->deadletter_overflow == 1 ||
		    m->deadletter_overflow % 1000 == 0)
			log_warnx("dead-letter list over its budget key=%s "
				  "max_bytes=%ld: %lu dead letters not kept; "
				  "read, replay or delete it",
			    c->st->cfg->deadletter,
			    c->st->cfg->deadletter_max_bytes,
			    m->deadletter_overflow);
	}
	store_reply(c->st, c, reply);
}

/* Push a dead letter, within the list's byte budget, with its reply. */
void
store_push_deadletter(
    struct store *st, struct chunk *c, const char *dl, size_t len)
{
	const char *dlkey = st->cfg->deadletter;
	char bytes_key[600], max[32];
	const char *argv[7];
	size_t lens[7];

	snprintf(bytes_key, sizeof(bytes_key), "%s:bytes", dlkey);
	snprintf(max, sizeof(max), "%ld", st->cfg->deadletter_max_bytes);
	argv[0] = "EVAL";
	argv[1] = dl_push_script;
	argv[2] = "2";
	argv[3] = dlkey;
	argv[4] = bytes_key;
	argv[5] = dl;
	argv[6] = max;
	lens[0] = 4;
	lens[1] = sizeof(dl_push_script) - 1;
	lens[2] = 1;
	lens[3] = strlen(dlkey);
	lens[4] = strlen(bytes_key);
	lens[5] = len;
	lens[6] = strlen(max);
	if (link_cmd(st->main, store_dl_cb, c, 7, argv, lens) == 0)
		store_expect(c);
	else
		c->lost = 1;
}

/* Acknowledged: an XADD with its reply. */
static int
acked_raw(struct store *st, struct chunk *c, const char *cmd, size_t len)
{
	if (link_cmd_raw(st->main, store_reply_cb, c, cmd, len) != 0)
		return -1;
	store_expect(c);
	return 0;
}

/* Acknowledged: a PUBLISH; its reply is not needed. */
static int
acked_publish(struct store *st, struct chunk *c, int argc, const char **argv,
    const size_t *lens)
{
	(void)c;
	return link_cmd(st->main, NULL, NULL, argc, argv, lens);
}

/* Acknowledged: a dead letter goes at once. */
static void
acked_deadletter(struct store *st, struct chunk *c, char *dl, size_t len)
{
	store_push_deadletter(st, c, dl, len);
	free(dl);
}

/* Acknowledged: nothing more to send. */
static void
acked_close(struct store *st, struct chunk *c)
{
	(void)st;
	(void)c;
}

const struct store_backend store_acked = {
    "acknowledged",
    acked_raw,
    acked_publish,
    acked_deadletter,
    acked_close,
};

/* "$<len>\r\n" into t (LEN_ROOM bytes): its length.  By hand: snprintf
 * was 2% of the daemon's CPU here. */
static size_t
len_line(char *t, size_t len)
{
	char d[24];
	size_t n = 0, k = 0;

	do
		d[n++] = (char)('0' + len % 10);
	while ((len /= 10) != 0);
	t[k++] = '$';
	while (n > 0)
		t[k++] = d[--n];
	t[k++] = '\r';
	t[k++] = '\n';
	return k;
}

/* Open a chunk's stores: quietly if they can be checked at once. */
void
store_open(struct store *st, struct chunk *c)
{
	c->st = st;
	c->be = checked_open(st->checked, c) ? &store_checked : &store_acked;
	c->trimmed = 0;
}

/* XADD the enriched alert, framed in place; a TLP:RED one to the red
 * stream only.  The chunk's first to either stream trims it. */
void
store_alert(struct store *st, struct chunk *c, struct enrich_out *out)
{
	int red = out->has_tlp && out->tlp == TLP_RED;
	int bit = red ? 2 : 1, plain = (c->trimmed & bit) != 0;
	const char *head = red ? st->red_head[plain] : st->xadd_head[plain];
	char tail[LEN_ROOM];
	size_t tl,
	    hl = red ? st->red_head_len[plain] : st->xadd_head_len[plain];
	char *start;

	tl = len_line(tail, out->len);
	if ((size_t)(out->json - out->buf) < hl + tl)
		fatalx("store: %zu bytes of headroom, %zu needed",
		    (size_t)(out->json - out->buf), hl + tl);
	start = out->json - tl - hl;
	memcpy(start, head, hl);
	memcpy(start + hl, tail, tl);
	out->json[out->len] = '\r';
	out->json[out->len + 1] = '\n';
	if (c->be->raw(st, c, start, hl + tl + out->len + 2) != 0)
		c->lost = 1;
	else {
		c->alerts++;
		c->trimmed |= bit;
	}
}

/* PUBLISH the alert on a channel. */
void
store_publish(struct store *st, struct chunk *c, const char *channel,
    const char *msg, size_t len)
{
	const char *argv[3] = {"PUBLISH", channel, msg};
	size_t lens[3] = {7, strlen(channel), len};

	if (c->be->publish(st, c, 3, argv, lens) == 0)
		c->published++;
}

/* A dead letter of the chunk. */
void
store_deadletter(struct store *st, struct chunk *c, char *dl, size_t len)
{
	c->be->deadletter(st, c, dl, len);
}

/* Every store of the chunk is sent. */
void
store_close(struct store *st, struct chunk *c)
{
	c->be->close(st, c);
	c->closed = 1;
	store_maybe_done(st, c);
}

/* Give up a chunk: free what is held for it. */
void
store_forget(struct chunk *c)
{
	size_t i;

	for (i = 0; i < c->nheld; i++)
		free(c->held[i].s);
	free(c->held);
	c->held = NULL;
	c->nheld = 0;
}
