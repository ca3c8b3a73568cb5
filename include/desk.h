/*
 * desk.h: sankaku-desk, inside.  One desk per Redis is the single writer
 * of incident state: it holds the open incidents (and the recently
 * closed) in memory, loaded from Redis at every connect, and writes each
 * batch of alerts in one script that also acknowledges the batch's
 * stream entries, so that a desk killed at any moment leaves either the
 * whole batch counted or none of it (then read again).
 *
 *   desk.c     the state machine: links, the batch cycle, ticks
 *   dload.c    the loading round at every connect
 *   dstore.c   the scripts and keys in Redis
 *   dact.c     people's actions, merges, mutes, CVE incidents
 *   dmetrics.c /metrics
 *   api.c      the HTTP API and its event stream; auth.c its users and
 *              sessions; console.c the embedded console
 */
#ifndef SANKAKU_DESK_H
#define SANKAKU_DESK_H

#include <stddef.h>
#include <time.h>

#include <event2/event.h>
#include <jansson.h>

#include "argvb.h"
#include "config.h"
#include "incident.h"
#include "link.h"
#include "redisurl.h"

#define DESK_BATCH 10000 /* an incident is stored once per batch */
#define AHEAD_READS 10	 /* the batch read ahead comes in parts */
#define AHEAD_CHECKS (2 * AHEAD_READS) /* two seen checks a part */
#define DESK_KEEP_CLOSED 5000	       /* closed incidents kept in memory */

struct desk_metrics {
	unsigned long alerts;	  /* counted into incidents */
	unsigned long duplicates; /* sankaku.id seen before */
	unsigned long muted;	  /* counted on a mute */
	unsigned long bad;	  /* entries that are not enriched alerts */
	unsigned long opened, moved, actions, refused;
	unsigned long batches, reloads, reconnects;
	unsigned long sse_clients;
	unsigned long pushed, push_refused, push_failed; /* MISP sightings */
	unsigned long push_runs;
	unsigned long notified, notify_failed, notify_dropped; /* chats */
	unsigned long unread;	  /* trimmed from the stream before read */
	unsigned long unreadable; /* stored items the last load skipped */
	long open, closed;
	int redis_up;
	int aof; /* Redis persistence: 1 on, 0 off, -1 unknown */
	char health[160];
};

struct desk_keys {
	char *stream, *incident, *open, *closed, *seen, *mutes, *seq, *cves;
	char *epoch;
	char *pushed;	/* + source: the sightings pushed to its MISP */
	char *measured; /* the sources' measured figures, for sankakud */
	char *unread;	/* the entries trimmed unread, told so far */
	char *channel, *team;
};

struct desk {
	struct event_base *base;
	const struct cfg *cfg;
	struct desk_metrics m;
	struct desk_keys k;
	struct link *main, *read;
	int state; /* desk.c's enum */
	unsigned long gen;
	json_t *incidents; /* id -> incident */
	json_t *by_asset;  /* asset -> id of its open incident */
	json_t *by_cve;	   /* CVE -> id */
	json_t *ind_ix;	   /* id -> its indicators and peers (incident.h) */
	json_t *disagree;  /* source id -> true: triangles disagree (logged) */
	char *suppress_last;  /* the suppression list last written */
	char *measured_last;  /* the measured figures last stored */
	time_t sightings_at;  /* when the sightings files were written */
	struct dpush *pushes; /* sightings going to MISP instances (dpush.c) */
	struct dsend *sends;  /* reports going to MISP instances (api_send.c) */
	struct dnotify *notify; /* team chats told (dnotify.c), or NULL */
	json_t *mutes;		/* key -> {"sid", "src", "dst", "until", ...} */
	json_t *loading;	/* the ids of each MGET the load has sent */
	unsigned long seq;
	unsigned long seq_read; /* the sequence as Redis held it at the load */
	unsigned long long epoch; /* this load's fencing token (INCR) */
	/* the batch in hand */
	int pending;	       /* reading this desk's pending entries */
	struct argvb entries;  /* stream entry ids */
	struct argvb docs;     /* the dirty incidents as stored */
	struct dalert *alerts; /* their alerts (DESK_BATCH) */
	struct arena *strs;    /* the strings of their lists */
	unsigned char *good;   /* whether each is an enriched alert */
	unsigned char *seen;   /* whether each was counted before */
	struct desk_join {     /* an alert and the incident it joins */
		json_t *inc;
		size_t i;
	} * joins; /* (dbatch_apply) */
	/* the next batch, read while this one is applied and stored, and
	 * checked after this one's commit (on the same link) */
	struct {
		enum {
			AHEAD_NONE,
			AHEAD_SENT, /* its parts read, parsed, checked */
			AHEAD_READY /* all in */
		} state;
		int waited; /* the commit is done: go on when it comes */
		int reads;  /* parts still to come */
		int checks; /* seen checks still unanswered */
		/* the entries each unanswered check is about, in order */
		size_t range[AHEAD_CHECKS][2], range_head;
		struct argvb entries;
		struct dalert *alerts;
		struct arena *strs;
		unsigned char *good, *seen;
	} ahead;
	const struct dalert **grouped; /* the batch by incident (d_apply) */
	int checks;		       /* seen checks still unanswered */
	json_t *dirty;		       /* id -> incident changed by the batch */
	json_t *seen_new;	       /* sankaku.ids the batch counts */
	int mutes_dirty;
	struct event *tick_ev, *retry_ev;
	struct api *api;
	void (*done)(void *);
	void *done_arg;
};

/* desk.c */
struct desk *desk_new(struct event_base *, const struct cfg *,
    const struct redis_url *, char *err, size_t errlen);
void desk_start(struct desk *);
void desk_stop(struct desk *, void (*done)(void *), void *arg);
void desk_free(struct desk *);
void desk_status(const struct desk *, char *buf, size_t len);
/* The next incident id ("20261128-000042"). */
char *desk_next_id(struct desk *, time_t now);
/* Tell the console's event streams (the commit script has published
 * it on Redis' channels); doc is the incident dumped already, or NULL. */
void desk_publish(struct desk *, json_t *inc, const char *doc);

/* desk.c, for dload.c: a reply of the current generation (NULL if
 * stale or the link went); give up and load again; loading is done. */
/* Send a command whose reply comes to cb with a tag of this generation
 * (desk_reply takes it); the tag is freed if the command cannot be sent.
 * 0, or -1 if the link is not there. */
int desk_cmd(struct desk *, struct link *, redisCallbackFn *cb, int argc,
    const char **argv, const size_t *lens);
int desk_cmdf(struct desk *, struct link *, redisCallbackFn *cb,
    const char *fmt, ...) __attribute__((format(printf, 4, 5)));
struct redisReply *desk_reply(struct desk *, void *r, void *priv);
void desk_retry(struct desk *, const char *why);
void desk_loaded(struct desk *);
/* desk.c, for dread.c: after a commit, the batch read ahead or a read */
void desk_next(struct desk *);

/* dread.c: which good alerts in [from, to) a seen check's reply says
 * were counted (0, or -1 if the reply is not one); the seen checks of
 * those ids, replies to cb (the number sent, 0 if no good alert, -1 if
 * the link went); an XREADGROUP reply's entries (0: nothing to do with
 * it); XREADGROUP of a batch; the next batch read ahead; and taken as
 * the batch in hand (its number of entries) */
int dread_seen(const struct redisReply *, size_t from, size_t to,
    const unsigned char *good, unsigned char *seen);
int dread_check(struct desk *, const struct argvb *entries,
    const struct dalert *alerts, const unsigned char *good, unsigned char *seen,
    size_t from, redisCallbackFn *cb);
int dread_entries(struct desk *, void *r, void *priv, struct redisReply **ents);
int dread_xread(struct desk *, redisCallbackFn *cb);
void dread_ahead(struct desk *);
size_t dread_take(struct desk *);

/* dtick.c: alerts the stream trimmed before the desk read them, told
 * (logged, counted) when there are new ones; at load and every tick */
void desk_unread(struct desk *);

/* dload.c */
void dload_start(struct desk *);

/* dsuppress.c: the indicators judged false, for sankaku-rules; each
 * source's sightings, for the sharing tool (when their time comes) */
/* measured: as sources_suppress (incident.h) */
void desk_suppress_write(struct desk *, json_t *measured);
void desk_sightings_write(struct desk *, time_t now);
/* dbatch.c: XREADGROUP's entries (NULL: none, or an error, then in
 * why); the entries into a batch's lists (ids, alerts, which are good);
 * the batch counted into incidents in memory (changed ones in dirty) */
struct redisReply *dbatch_entries(struct redisReply *, char *why, size_t len);
void dbatch_parse(struct redisReply *ents, struct argvb *entries,
    struct dalert *alerts, unsigned char *good, struct arena *strs);
void dbatch_apply(struct desk *, time_t now);
/* dtick.c: the periodic work; loaded: the incidents are in memory */
void desk_tick(struct desk *, time_t now, int loaded);
/* dpush.c: each source's sightings to its MISP instance (misp_url) */
void desk_push(struct desk *, time_t now);
void desk_push_free(struct desk *);
/* Reports still going to a MISP (api_send.c): given up; after the API
 * has stopped. */
void desk_send_free(struct desk *);

/* dnotify.c: the team chats of desk.notify.  NULL when there are none. */
struct dnotify *dnotify_new(struct desk *);
/* A new config's (after SIGHUP), what was told kept; the old freed. */
struct dnotify *dnotify_reload(struct dnotify *, struct desk *);
/* An incident as it was loaded: remembered, nothing told. */
void dnotify_seen(struct dnotify *, const json_t *inc);
/* An incident changed: told when it is open and new, or in another
 * phase than last told. */
void dnotify_changed(struct dnotify *, const json_t *inc);
void dnotify_free(struct dnotify *);
/* --check-misp: each source's MISP asked its version with its key, one
 * line each on stdout; 0 if all answered. */
int desk_check_misp(const struct cfg *);

/* dmetrics.c: the Prometheus text (new string), NULL if out of memory */
char *dmetrics_text(const struct desk *, const char *version);

/* dstore.c */
void dstore_keys(struct desk_keys *, const struct cfg *);
void dstore_keys_free(struct desk_keys *);
/* The batch commit: entries acknowledged, seen ids, incidents, mutes,
 * the sequence, in one script; each incident's document also appended
 * to docs (if not NULL), in dirty's order. */
void dstore_commit(struct argvb *, struct argvb *docs, const struct desk *,
    const struct argvb *entries, json_t *dirty, json_t *seen, int with_mutes);
/* The seen sets (desk.dedup_window_s): the key of the window now is in
 * and of the one before; when this window's set expires. */
time_t dstore_seen_keys(
    const struct desk *, time_t now, char *cur, char *prev, size_t len);

/* dact.c: an API request; the HTTP status, the incident (new
 * reference) on 200, or err. */
int desk_act(struct desk *, const char *id, json_t *body,
    const struct desk_who *, json_t **out, char *err, size_t errlen);
/* Whether an alert is muted (and counted on its mute). */
int desk_muted(struct desk *, const struct dalert *, time_t now);
/* Expired mutes marked for deletion; 1 if any. */
int desk_mutes_expire(struct desk *, time_t now);
/* Index an incident (by id, its asset while open, its CVE). */
void desk_index(struct desk *, json_t *inc);

/* api.c (the part desk.c uses) */
struct api;
void api_event(struct api *, const char *doc);
/* Whether an event stream is open (events have someone to go to). */
int api_listening(const struct api *);
/* Open triage incidents for CVEs not seen yet (desk.cves). */
void desk_cves(struct desk *, time_t now);

#endif
