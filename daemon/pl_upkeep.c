/*
 * pl_upkeep.c: a running pipeline's upkeep (see pipeline.c): the periodic
 * tick (who listens, the gauges, warnings on long lists), a reloaded
 * config swapped in between chunks, and the desk's measured figures.
 */

#include <stdio.h>
#include <string.h>

#include "events.h"
#include "input.h"
#include "link.h"
#include "log.h"
#include "measured.h"
#include "pipeline.h"
#include "pl_int.h"
#include "render.h"
#include "store.h"
#include "subs.h"

#define GAUGE_EVERY 4	   /* ticks */
#define STREAM_WARN_PCT 90 /* of output.stream_maxlen */

/* Warn once when a length reaches its limit, again after it fell. */
static void
pl_warn_length(int *warned, long len, long limit, const char *what,
    const char *key, const char *advice)
{
	if (limit <= 0 || len < limit) {
		*warned = 0;
		return;
	}
	if (!*warned)
		log_warnx("%s is long key=%s length=%ld warn_at=%ld: %s", what,
		    key, len, limit, advice);
	*warned = 1;
}

/* Periodic tick: who listens; now and then the gauges. */
void
pl_tick_cb(evutil_socket_t fd, short what, void *arg)
{
	struct pipeline *pl = arg;
	const struct cfg *c = pl->cfg;

	(void)fd;
	(void)what;
	pl->m->reconnects =
	    link_reconnects(pl->wait) + link_reconnects(pl->main);
	pl->m->redis_up = pl_links_up(pl);
	if (link_state(pl->main) != LINK_READY)
		return;
	store_tick(pl->store);
	if (c->publish)
		subs_refresh(pl->subs);
	if (pl->ticks++ % GAUGE_EVERY != 0)
		return;
	pl->in->be->gauges(pl->in);
	link_gauge(pl->main, &pl->m->deadletter_len, "LLEN %s", c->deadletter);
	link_gauge(pl->main, &pl->m->stream_len, "XLEN %s", c->stream);
	measured_poll(pl->measured, pl, pl->main);
	/* the readings of the tick before */
	pl_warn_length(&pl->dl_warned, pl->m->deadletter_len, c->deadletter_max,
	    "dead-letter list", c->deadletter, "read and replay or trim it");
	pl_warn_length(&pl->stream_warned, pl->m->stream_len,
	    c->stream_maxlen / 100 * STREAM_WARN_PCT, "output stream",
	    c->stream,
	    "near output.stream_maxlen: the oldest alerts are trimmed; "
	    "consumers that fall this far behind lose them");
}

/* Reload: a fresh config and index replace the old between chunks. */
int
pl_swap_config(struct pipeline *pl, struct cfg *cfg, struct idx *idx, char *err,
    size_t errlen)
{
	struct render *t = NULL;

	/* input.block_ms stays as it is until a restart: the new timeout
	 * must outlast the wait in force, not the one in the file */
	if (cfg->redis_timeout_ms <= pl->block_ms)
		snprintf(err, errlen,
		    "redis_timeout_ms: %ld must be longer than the "
		    "input.block_ms in force (%ld; input changes need a "
		    "restart)",
		    cfg->redis_timeout_ms, pl->block_ms);
	else if ((t = render_new_measured(cfg, measured_doc(pl->measured))) ==
	    NULL)
		snprintf(err, errlen, "out of memory");
	if (t == NULL) {
		cfg_free(cfg);
		idx_free(idx);
		return -1;
	}
	if (strcmp(cfg->input_key, pl->cfg->input_key) != 0 ||
	    strcmp(cfg->consumer, pl->cfg->consumer) != 0 ||
	    strcmp(cfg->prefix, pl->cfg->prefix) != 0 ||
	    cfg->input_mode != pl->cfg->input_mode ||
	    cfg->input_push != pl->cfg->input_push ||
	    cfg->batch != pl->cfg->batch)
		log_warnx("reload: input, consumer, prefix and batch changes "
			  "take effect at the next restart");
	cfg_free(pl->cfg);
	idx_free(pl->idx);
	render_free(pl->tables);
	pl->cfg = cfg;
	pl->idx = idx;
	pl->tables = t;
	link_set_timeout(pl->wait, cfg->redis_timeout_ms);
	link_set_timeout(pl->main, cfg->redis_timeout_ms);
	link_set_max_reply(pl->wait, pl_max_reply(cfg), pl_link_big);
	link_set_max_reply(pl->main, pl_max_reply(cfg), pl_link_big);
	subs_config(pl->subs, cfg);
	store_config(pl->store, cfg);
	ev_config(pl->ev, cfg, idx, t);
	if (pl_links_up(pl))
		ev_reference(pl->ev, pl->main);
	return 0;
}

/* New measured figures: the enrichment's tables made again. */
int
pl_set_measured(struct pipeline *pl, json_t *m)
{
	struct render *t = render_new_measured(pl->cfg, m);

	if (t == NULL)
		return -1; /* out of memory: the old tables stay */
	ev_config(pl->ev, pl->cfg, pl->idx, t);
	render_free(pl->tables);
	pl->tables = t;
	return 0;
}
