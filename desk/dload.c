/*
 * dload.c: the desk's loading round (desk.c's LOAD).  At every connect
 * everything is read again from Redis, pipelined on the main link: first
 * a new epoch (INCR, the fencing token of dstore.c), then the
 * persistence (a warning when AOF is off), the consumer group (made if
 * missing), the incident sequence, the mutes, then the open incidents
 * and the most recent closed ones, MGET a chunk at a time.  A PING after
 * the last MGET says all replies are in: desk_loaded.
 *
 * What Redis gives back is input: an index entry must be an id, an
 * incident must pass inc_check and carry its key's id, a mute must have
 * its end; anything else is skipped, left in Redis as it is, logged with
 * where it is (twenty a load) and counted (sankaku_desk_stored_unreadable).
 * The sequence is raised past every indexed id, so that a lost or older
 * one never numbers a new incident as an old one.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hiredis/hiredis.h>

#include "desk.h"
#include "log.h"

#define LOAD_CHUNK 500
#define SKIPS_NAMED 20 /* a load names at most so many it skips */

void
desk_index(struct desk *d, json_t *inc)
{
	const char *id = json_string_value(json_object_get(inc, "id"));
	json_t *asset = json_object_get(inc, "asset"),
	       *cve = json_object_get(inc, "cve");

	json_object_set(d->incidents, id, inc);
	if (inc_is_open(inc) && json_is_string(asset))
		json_object_set_new(
		    d->by_asset, json_string_value(asset), json_string(id));
	if (json_is_string(cve))
		json_object_set_new(
		    d->by_cve, json_string_value(cve), json_string(id));
}

static void
d_load_incidents_cb(redisAsyncContext *ac, void *r, void *priv)
{
	struct desk *d = ((struct link_tag *)priv)->owner;
	redisReply *reply;
	json_t *ids;
	size_t i;

	(void)ac;
	if ((reply = desk_reply(d, r, priv)) == NULL)
		return;
	if (reply->type != REDIS_REPLY_ARRAY) {
		desk_retry(d, "incidents could not be read");
		return;
	}
	/* a link answers in order: the first ids sent are these */
	ids = json_incref(json_array_get(d->loading, 0));
	json_array_remove(d->loading, 0);
	for (i = 0; i < reply->elements; i++) {
		redisReply *e = reply->element[i];
		const char *id = json_string_value(json_array_get(ids, i));
		json_error_t je;
		char why[160];
		json_t *inc;

		if (e->type != REDIS_REPLY_STRING || id == NULL)
			continue; /* gone since the index was read */
		why[0] = '\0';
		inc = json_loadb(e->str, e->len, JSON_REJECT_DUPLICATES, &je);
		if (inc == NULL)
			snprintf(why, sizeof(why), "not JSON (at byte %d)",
			    je.position);
		else if (inc_check(inc, why, sizeof(why)) == 0 &&
		    strcmp(json_string_value(json_object_get(inc, "id")), id) !=
			0)
			snprintf(why, sizeof(why), "id: not its key's");
		if (inc != NULL && why[0] == '\0') {
			desk_index(d, inc);
			dnotify_seen(d->notify, inc);
		} else {
			if (++d->m.unreadable <= SKIPS_NAMED)
				log_error("desk: %s%s: %s: skipped (left as it "
					  "is)",
				    d->k.incident, id, why);
		}
		json_decref(inc);
	}
	json_decref(ids);
}

static void d_loaded_cb(redisAsyncContext *, void *, void *);

/* The sequence is never behind an incident's own number (its key lost,
 * or Redis restored from an older copy, would number new incidents as
 * old ones and overwrite them): id is DAY-NUMBER. */
static void
seq_past(struct desk *d, const char *id)
{
	const char *dash = strrchr(id, '-');
	unsigned long n;
	char *end;

	if (dash == NULL || dash[1] < '0' || dash[1] > '9')
		return;
	n = strtoul(dash + 1, &end, 10);
	if (*end == '\0' && n > d->seq)
		d->seq = n;
}

/* The ids of an index (key): MGET them, a chunk at a time, each chunk's
 * ids kept for its reply; 0, or -1. */
static int
d_load_index(struct desk *d, const char *key, redisReply *reply)
{
	size_t i;

	if (reply->type != REDIS_REPLY_ARRAY) {
		desk_retry(d, "the incident index could not be read");
		return -1;
	}
	for (i = 0; i < reply->elements; i += LOAD_CHUNK) {
		struct argvb b = {0};
		json_t *ids = json_array();
		size_t j;

		argvb_adds(&b, "MGET");
		for (j = i; j < reply->elements && j < i + LOAD_CHUNK; j++) {
			redisReply *e = reply->element[j];

			if (e->type != REDIS_REPLY_STRING ||
			    !inc_id_ok(e->str)) {
				if (++d->m.unreadable <= SKIPS_NAMED)
					log_error("desk: an entry of %s is not "
						  "an incident id: skipped",
					    key);
				continue;
			}
			argvb_addf(&b, "%s%s", d->k.incident, e->str);
			json_array_append_new(ids, json_string(e->str));
			seq_past(d, e->str);
		}
		if (json_array_size(ids) > 0 &&
		    desk_cmd(d, d->main, d_load_incidents_cb, (int)b.n, b.v,
			b.len) == 0)
			json_array_append(d->loading, ids);
		json_decref(ids);
		argvb_free(&b);
	}
	return 0;
}

static void
d_load_open_cb(redisAsyncContext *ac, void *r, void *priv)
{
	struct desk *d = ((struct link_tag *)priv)->owner;
	redisReply *reply;

	(void)ac;
	if ((reply = desk_reply(d, r, priv)) != NULL)
		(void)d_load_index(d, d->k.open, reply);
}

/* The closed ones come last: after their MGETs, a PING says all is in. */
static void
d_load_closed_cb(redisAsyncContext *ac, void *r, void *priv)
{
	struct desk *d = ((struct link_tag *)priv)->owner;
	redisReply *reply;

	(void)ac;
	if ((reply = desk_reply(d, r, priv)) != NULL &&
	    d_load_index(d, d->k.closed, reply) == 0)
		(void)desk_cmdf(d, d->main, d_loaded_cb, "PING");
}

/* The last of the loading replies: start reading. */
static void
d_loaded_cb(redisAsyncContext *ac, void *r, void *priv)
{
	struct desk *d = ((struct link_tag *)priv)->owner;

	(void)ac;
	if (desk_reply(d, r, priv) == NULL)
		return;
	if (d->m.unreadable > SKIPS_NAMED)
		log_error("desk: %lu more incidents, index entries or mutes "
			  "skipped, not named (sankaku_desk_stored_unreadable)",
		    d->m.unreadable - SKIPS_NAMED);
	if (d->seq > d->seq_read)
		log_warnx("desk: %s was %lu, behind the incidents' own "
			  "numbers: new incidents go on from %lu",
		    d->k.seq, d->seq_read, d->seq + 1);
	log_info("desk: %zu incidents loaded (%zu open), %zu mutes, "
		 "sequence %lu",
	    json_object_size(d->incidents), json_object_size(d->by_asset),
	    json_object_size(d->mutes), d->seq);
	desk_loaded(d);
}

static void
d_persistence_cb(redisAsyncContext *ac, void *r, void *priv)
{
	struct desk *d = ((struct link_tag *)priv)->owner;
	redisReply *reply;

	(void)ac;
	if ((reply = desk_reply(d, r, priv)) == NULL)
		return;
	d->m.aof = -1;
	if (reply->type == REDIS_REPLY_STRING)
		d->m.aof = strstr(reply->str, "aof_enabled:1") != NULL;
	if (d->m.aof == 0)
		log_warnx("desk: Redis runs without AOF (appendonly no): "
			  "incidents changed since its last snapshot are "
			  "lost if Redis restarts");
}

/* This load's epoch: scripts of any earlier load are refused. */
static void
d_epoch_cb(redisAsyncContext *ac, void *r, void *priv)
{
	struct desk *d = ((struct link_tag *)priv)->owner;
	redisReply *reply;

	(void)ac;
	if ((reply = desk_reply(d, r, priv)) == NULL)
		return;
	if (reply->type != REDIS_REPLY_INTEGER) {
		desk_retry(d, "the desk's epoch could not be taken");
		return;
	}
	d->epoch = (unsigned long long)reply->integer;
}

static void
d_seq_cb(redisAsyncContext *ac, void *r, void *priv)
{
	struct desk *d = ((struct link_tag *)priv)->owner;
	redisReply *reply;

	(void)ac;
	if ((reply = desk_reply(d, r, priv)) == NULL)
		return;
	if (reply->type == REDIS_REPLY_STRING)
		d->seq = strtoul(reply->str, NULL, 10);
	d->seq_read = d->seq;
}

static void
d_mutes_cb(redisAsyncContext *ac, void *r, void *priv)
{
	struct desk *d = ((struct link_tag *)priv)->owner;
	redisReply *reply;
	size_t i;

	(void)ac;
	if ((reply = desk_reply(d, r, priv)) == NULL)
		return;
	for (i = 0; reply->type == REDIS_REPLY_ARRAY && i + 1 < reply->elements;
	     i += 2) {
		json_t *m = json_loadb(reply->element[i + 1]->str,
		    reply->element[i + 1]->len, 0, NULL);

		if (inc_mute_ok(m))
			json_object_set(d->mutes, reply->element[i]->str, m);
		else {
			if (++d->m.unreadable <= SKIPS_NAMED)
				log_error("desk: a mute in %s is not one (an "
					  "object with its end, \"until\", a "
					  "time): skipped",
				    d->k.mutes);
		}
		json_decref(m);
	}
}

/* Ignore "BUSYGROUP": the group is there. */
static void
d_group_cb(redisAsyncContext *ac, void *r, void *priv)
{
	struct desk *d = ((struct link_tag *)priv)->owner;
	redisReply *reply;

	(void)ac;
	if ((reply = desk_reply(d, r, priv)) == NULL)
		return;
	if (reply->type == REDIS_REPLY_ERROR &&
	    strncmp(reply->str, "BUSYGROUP", 9) != 0)
		log_error("desk: XGROUP CREATE: %.200s", reply->str);
}

/* Everything from Redis again, in one pipelined round. */
void
dload_start(struct desk *d)
{
	json_object_clear(d->incidents);
	json_object_clear(d->ind_ix);
	json_object_clear(d->by_asset);
	json_object_clear(d->by_cve);
	json_object_clear(d->mutes);
	json_array_clear(d->loading);
	d->m.unreadable = 0;
	(void)desk_cmdf(d, d->main, d_epoch_cb, "INCR %s", d->k.epoch);
	(void)desk_cmdf(d, d->main, d_persistence_cb, "INFO persistence");
	(void)desk_cmdf(d, d->main, d_group_cb,
	    "XGROUP CREATE %s desk 0 MKSTREAM", d->k.stream);
	(void)desk_cmdf(d, d->main, d_seq_cb, "GET %s", d->k.seq);
	(void)desk_cmdf(d, d->main, d_mutes_cb, "HGETALL %s", d->k.mutes);
	(void)desk_cmdf(
	    d, d->main, d_load_open_cb, "ZRANGE %s 0 -1", d->k.open);
	(void)desk_cmdf(d, d->main, d_load_closed_cb, "ZREVRANGE %s 0 %d",
	    d->k.closed, DESK_KEEP_CLOSED - 1);
}
