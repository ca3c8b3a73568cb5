/*
 * replay.c: sankakud --replay-deadletter: put dead-lettered events back
 * into the input, oldest first, once their cause is fixed (a raised
 * input.max_event_bytes, a repaired sensor).  It uses sankakud's own
 * config and credentials, so it works under the ACL sankakud runs with.
 *
 * Nothing is lost on the way, and nothing is made up:
 *   - each entry is first moved (LMOVE, atomic) from the dead-letter list
 *     to <deadletter>:replaying;
 *   - its event is pushed into the input and the entry removed from the
 *     replay list by one script (both or neither); any error reply (NOPERM,
 *     WRONGTYPE, OOM) moves the entry back and stops the run, exit 1;
 *   - an entry that keeps only a head (a too-large event) cannot be
 *     replayed: it goes back, at the newest end, and is counted;
 *   - a run takes at most the entries there were when it started (events
 *     that fail again come back as new dead letters, not into this run);
 *   - an interrupted run leaves its entry in the replay list, which the
 *     next run puts back first.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "b64.h"
#include "rconn.h"
#include "replay.h"

/* KEYS: the input, the replay list, the dead letters' byte count.  ARGV:
 * the event, the entry, how to push (lpush, rpush, xadd). */
static const char replay_script[] =
    "if ARGV[3] == 'xadd' then\n"
    "  redis.call('XADD', KEYS[1], '*', 'eve', ARGV[1])\n"
    "elseif ARGV[3] == 'rpush' then\n"
    "  redis.call('RPUSH', KEYS[1], ARGV[1])\n"
    "else\n"
    "  redis.call('LPUSH', KEYS[1], ARGV[1])\n"
    "end\n"
    "redis.call('LREM', KEYS[2], 1, ARGV[2])\n"
    "local left = tonumber(redis.call('GET', KEYS[3]) or '0') - #ARGV[2]\n"
    "if left > 0 then redis.call('SET', KEYS[3], left)\n"
    "else redis.call('DEL', KEYS[3]) end\n"
    "return 1\n";

struct replay {
	redisContext *c;
	const char *dl, *input, *how;
	char replaying[600], bytes[600];
	FILE *out;
};

/* Move one entry between lists; the reply (to free), NULL on I/O error. */
static redisReply *
replay_move(struct replay *r, const char *from, const char *to,
    const char *wherefrom, const char *whereto)
{
	return redisCommand(
	    r->c, "LMOVE %s %s %s %s", from, to, wherefrom, whereto);
}

/* Put back what an interrupted run left in the replay list: -1 on an
 * error reply. */
static int
replay_put_back_all(struct replay *r)
{
	redisReply *x;

	for (;;) {
		x = replay_move(r, r->replaying, r->dl, "LEFT", "RIGHT");
		if (x == NULL || x->type == REDIS_REPLY_ERROR) {
			fprintf(r->out,
			    "sankakud: replay: cannot put back %s: %s\n",
			    r->replaying, x != NULL ? x->str : r->c->errstr);
			freeReplyObject(x);
			return -1;
		}
		if (x->type == REDIS_REPLY_NIL) {
			freeReplyObject(x);
			return 0;
		}
		fprintf(r->out,
		    "sankakud: replay: put back an entry an "
		    "interrupted run had taken\n");
		freeReplyObject(x);
	}
}

/* The event of a dead-letter entry: malloc'd bytes, or NULL if it keeps
 * none whole (a too-large event's head) or is not an entry of ours. */
static char *
replay_event(const char *entry, size_t len, size_t *evlen)
{
	json_t *o = json_loadb(entry, len, 0, NULL), *v;
	char *ev = NULL;

	if ((v = json_object_get(o, "raw")) != NULL && json_is_string(v)) {
		*evlen = json_string_length(v);
		if ((ev = malloc(*evlen + 1)) != NULL)
			memcpy(ev, json_string_value(v), *evlen);
	} else if ((v = json_object_get(o, "raw_base64")) != NULL &&
	    json_is_string(v)) {
		size_t n = json_string_length(v);
		long got;

		if ((ev = malloc(n / 4 * 3 + 1)) != NULL &&
		    (got = b64_decode(
			 json_string_value(v), n, (unsigned char *)ev)) >= 0)
			*evlen = (size_t)got;
		else {
			free(ev);
			ev = NULL;
		}
	}
	json_decref(o);
	return ev;
}

/* Replay one entry: 1 replayed, 0 kept (not replayable), -1 stop. */
static int
replay_one(struct replay *r, const redisReply *entry)
{
	size_t evlen = 0;
	char *ev = replay_event(entry->str, entry->len, &evlen);
	const char *argv[9];
	size_t lens[9];
	redisReply *x;
	int rv;

	if (ev == NULL) {
		/* back at the newest end: not taken again in this run */
		x = replay_move(r, r->replaying, r->dl, "LEFT", "LEFT");
		rv = x != NULL && x->type != REDIS_REPLY_ERROR ? 0 : -1;
		freeReplyObject(x);
		return rv;
	}
	argv[0] = "EVAL";
	argv[1] = replay_script;
	argv[2] = "3";
	argv[3] = r->input;
	argv[4] = r->replaying;
	argv[5] = r->bytes;
	argv[6] = ev;
	argv[7] = entry->str;
	argv[8] = r->how;
	lens[0] = 4;
	lens[1] = sizeof(replay_script) - 1;
	lens[2] = 1;
	lens[3] = strlen(r->input);
	lens[4] = strlen(r->replaying);
	lens[5] = strlen(r->bytes);
	lens[6] = evlen;
	lens[7] = entry->len;
	lens[8] = strlen(r->how);
	x = redisCommandArgv(r->c, 9, argv, lens);
	free(ev);
	if (x != NULL && x->type == REDIS_REPLY_INTEGER && x->integer == 1) {
		freeReplyObject(x);
		return 1;
	}
	fprintf(r->out, "sankakud: replay stopped: %s\n",
	    x != NULL ? rconn_what(x) : r->c->errstr);
	freeReplyObject(x);
	/* the push did not happen: the entry goes back where it was */
	x = replay_move(r, r->replaying, r->dl, "LEFT", "RIGHT");
	freeReplyObject(x);
	return -1;
}

/* Replay at most max entries (-1: all there are now). */
int
replay_run(const struct settings *s, long max, FILE *out)
{
	struct replay r;
	char err[512];
	redisReply *x;
	long n, done = 0, kept = 0, i;
	int rv = 0, one;

	memset(&r, 0, sizeof(r));
	r.out = out;
	r.dl = s->cfg->deadletter;
	r.input = s->cfg->input_key;
	r.how = s->cfg->input_mode == INPUT_STREAM ? "xadd"
	    : s->cfg->input_push == PUSH_RPUSH	   ? "rpush"
						   : "lpush";
	snprintf(r.replaying, sizeof(r.replaying), "%s:replaying", r.dl);
	snprintf(r.bytes, sizeof(r.bytes), "%s:bytes", r.dl);
	if ((r.c = rconn_open(&s->url, "sankakud-replay", 10000, err,
		 sizeof(err))) == NULL) {
		fprintf(out, "sankakud: replay: %s\n", err);
		return 1;
	}
	if (replay_put_back_all(&r) != 0) {
		redisFree(r.c);
		return 1;
	}
	x = redisCommand(r.c, "LLEN %s", r.dl);
	if (x == NULL || x->type != REDIS_REPLY_INTEGER) {
		fprintf(out, "sankakud: replay: LLEN %s: %s\n", r.dl,
		    x != NULL ? rconn_what(x) : r.c->errstr);
		freeReplyObject(x);
		redisFree(r.c);
		return 1;
	}
	n = (long)x->integer;
	freeReplyObject(x);
	if (max >= 0 && max < n)
		n = max;
	for (i = 0; i < n; i++) {
		/* the oldest, aside (atomic) */
		x = replay_move(&r, r.dl, r.replaying, "RIGHT", "LEFT");
		if (x == NULL || x->type == REDIS_REPLY_ERROR) {
			fprintf(out, "sankakud: replay stopped: %s\n",
			    x != NULL ? x->str : r.c->errstr);
			freeReplyObject(x);
			rv = 1;
			break;
		}
		if (x->type != REDIS_REPLY_STRING) {
			freeReplyObject(x);
			break; /* emptied meanwhile */
		}
		one = replay_one(&r, x);
		freeReplyObject(x);
		if (one < 0) {
			rv = 1;
			break;
		}
		if (one == 0)
			kept++;
		else
			done++;
	}
	fprintf(out, "sankakud: replayed %ld dead letters", done);
	if (kept > 0)
		fprintf(out,
		    ", kept %ld that hold only the head of a "
		    "too-large event",
		    kept);
	fprintf(out, "\n");
	redisFree(r.c);
	return rv;
}
