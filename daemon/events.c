/*
 * events.c: what happens to each event of a chunk: enriched (enrich.c),
 * stored in the form the config asks, published on the channels somebody
 * listens to, or dead-lettered; and the reference document the compact
 * form names, written before any alert that names it.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <hiredis/hiredis.h>

#include "careful.h"
#include "deadletter.h"
#include "enrich.h"
#include "events.h"
#include "log.h"
#include "store.h"
#include "subs.h"
#include "xmalloc.h"

#define DL_LOG_PER_S 10 /* dead letters logged one by one, a second */

struct events {
	const struct cfg *cfg; /* borrowed: the pipeline's, like the rest */
	const struct idx *idx;
	const struct render *tables;
	struct metrics *m;
	struct store *store;
	struct subs *subs;
	struct enrich_spare spare;	      /* the last document's buffer */
	time_t dl_log_at;		      /* the second being counted */
	unsigned long dl_log_n, dl_log_quiet; /* logged, not logged in it */
};

/* Create. */
struct events *
ev_new(struct metrics *m, struct store *st, struct subs *subs)
{
	struct events *ev = xcalloc(1, sizeof(*ev));

	ev->m = m;
	ev->store = st;
	ev->subs = subs;
	return ev;
}

/* Free. */
void
ev_free(struct events *ev)
{
	if (ev == NULL)
		return;
	free(ev->spare.buf);
	free(ev);
}

/* The config, index and fragments in force (all borrowed). */
void
ev_config(struct events *ev, const struct cfg *cfg, const struct idx *idx,
    const struct render *tables)
{
	ev->cfg = cfg;
	ev->idx = idx;
	ev->tables = tables;
}

/* The reference document's SET answered: say so if it failed. */
static void
ev_reference_cb(redisAsyncContext *ac, void *r, void *priv)
{
	redisReply *reply = r;

	(void)ac;
	(void)priv;
	if (reply != NULL && reply->type == REDIS_REPLY_ERROR)
		log_error("cannot write the reference document (compact alerts "
			  "name it): %.200s",
		    reply->str);
}

/* Write the reference document of the config in force, then its version
 * as the current one: on the main link, before any alert naming it. */
void
ev_reference(struct events *ev, struct link *main)
{
	const char *ver, *doc;
	char *key, *cur;
	size_t len;

	doc = render_reference(ev->tables, &len, &ver);
	key = xasprintf("%sreference:%s", ev->cfg->prefix, ver);
	cur = xasprintf("%sreference", ev->cfg->prefix);
	{
		const char *argv[3] = {"SET", key, doc};
		size_t lens[3] = {3, strlen(key), len};
		const char *argv2[3] = {"SET", cur, ver};
		size_t lens2[3] = {3, strlen(cur), strlen(ver)};

		if (link_cmd(main, ev_reference_cb, NULL, 3, argv, lens) == 0)
			link_cmd(main, ev_reference_cb, NULL, 3, argv2, lens2);
	}
	free(key);
	free(cur);
}

/* Whether a dead letter may have its own log line: at most DL_LOG_PER_S
 * a second; the others are summed up in one line (and /metrics counts
 * every one). */
static int
ev_dl_log(struct events *ev)
{
	time_t now = time(NULL);

	if (now != ev->dl_log_at) {
		if (ev->dl_log_quiet > 0)
			log_warnx("events dead-lettered without a line of "
				  "their own count=%lu",
			    ev->dl_log_quiet);
		ev->dl_log_at = now;
		ev->dl_log_n = 0;
		ev->dl_log_quiet = 0;
	}
	if (ev->dl_log_n++ < DL_LOG_PER_S)
		return 1;
	ev->dl_log_quiet++;
	return 0;
}

/* One event of a chunk: enrich it, send its stores. */
void
ev_item(struct events *ev, struct chunk *c, const char *raw, size_t len)
{
	struct enrich_ctx ctx = {ev->cfg, ev->idx, ev->tables,
	    store_headroom(ev->store), ev->cfg->publish && subs_any(ev->subs),
	    &ev->spare};
	struct enrich_out out;
	const char *channels[1 + 8 + ENRICH_MAX_ROLES + METRICS_MAX_LABELS];
	size_t i, n;

	ev->m->consumed++;
	switch (enrich_event(&ctx, raw, len, &out)) {
	case ENRICH_OK:
		ev->m->enriched++;
		if (out.has_tlp && out.tlp == TLP_RED)
			ev->m->red++;
		METRICS_INC(ev->m->phases, out.phase->id, 1);
		for (i = 0; i < out.nsources; i++)
			METRICS_INC(ev->m->sources, out.sources[i]->id, 1);
		log_debug("alert enriched id=%s phase=%s sources=%zu", out.id,
		    out.phase->id, out.nsources);
		if (ev->cfg->publish) {
			n = subs_channels(ev->subs, &out, channels,
			    sizeof(channels) / sizeof(channels[0]));
			for (i = 0; i < n; i++)
				store_publish(ev->store, c, channels[i],
				    out.alt != NULL ? out.alt : out.json,
				    out.alt != NULL ? out.alt_len : out.len);
		}
		store_alert(ev->store, c, &out);
		break;
	case ENRICH_UNCONFIRMED:
		ev->m->unconfirmed++;
		log_debug("alert dropped id=%s: a URL rule's host and path of "
			  "two different listed URLs",
		    out.id);
		break;
	case ENRICH_SKIPPED:
		ev->m->skipped++;
		METRICS_INC(
		    ev->m->events, metrics_event_type(out.event_type), 1);
		break;
	case ENRICH_REJECTED: {
		size_t dlen;
		/* too large to keep: its head, length and SHA-1 */
		char *dl = len > DL_WHOLE
		    ? dl_entry_head(out.reason, out.detail, raw, len,
			  (long long)len, NULL, ev->cfg->consumer, time(NULL),
			  &dlen)
		    : dl_entry(out.reason, out.detail, raw, len,
			  ev->cfg->consumer, time(NULL), &dlen);

		if (dl == NULL)
			fatalx("dead letter: out of memory");
		METRICS_INC(ev->m->deadletter, out.reason, 1);
		if (ev_dl_log(ev))
			log_warnx("event dead-lettered id=%s reason=%s "
				  "detail=\"%s\"",
			    out.id, out.reason, out.detail);
		store_deadletter(ev->store, c, dl, dlen);
		break;
	}
	}
	enrich_out_keep(&out, &ev->spare);
}

/* An event a careful read replaced: far too large, known by its head. */
void
ev_item_big(struct events *ev, struct chunk *c, const struct careful_big *big)
{
	char detail[96];
	size_t dlen;
	char *dl;

	ev->m->consumed++;
	snprintf(detail, sizeof(detail),
	    "%lld bytes, limit input.max_event_bytes %ld", big->length,
	    ev->cfg->max_event_bytes);
	dl = big->length == (long long)big->headlen && big->headlen <= DL_WHOLE
	    ? dl_entry("too-large", detail, big->head, big->headlen,
		  ev->cfg->consumer, time(NULL), &dlen)
	    : dl_entry_head("too-large", detail, big->head, big->headlen,
		  big->length, big->sha1, ev->cfg->consumer, time(NULL), &dlen);
	if (dl == NULL)
		fatalx("dead letter: out of memory");
	METRICS_INC(ev->m->deadletter, "too-large", 1);
	if (ev_dl_log(ev))
		log_warnx("event dead-lettered sha1=%.40s reason=too-large "
			  "detail=\"%s\"",
		    big->sha1, detail);
	store_deadletter(ev->store, c, dl, dlen);
}
