/*
 * dmetrics.c: the desk's counters as Prometheus text (GET /metrics).
 * Names and meanings are part of the contract (docs/DESIGN.md): add, do
 * not rename.
 */

#define _GNU_SOURCE /* asprintf */
#include <stdio.h>

#include "desk.h"

char *
dmetrics_text(const struct desk *d, const char *version)
{
	const struct desk_metrics *m = &d->m;
	char *s;

	if (asprintf(&s,
		"# HELP sankaku_desk_build_info The running version.\n"
		"# TYPE sankaku_desk_build_info gauge\n"
		"sankaku_desk_build_info{version=\"%s\"} 1\n"
		"# TYPE sankaku_desk_alerts_total counter\n"
		"sankaku_desk_alerts_total %lu\n"
		"# HELP sankaku_desk_duplicates_total Alerts counted before "
		"(the same sankaku.id).\n"
		"# TYPE sankaku_desk_duplicates_total counter\n"
		"sankaku_desk_duplicates_total %lu\n"
		"# TYPE sankaku_desk_muted_total counter\n"
		"sankaku_desk_muted_total %lu\n"
		"# HELP sankaku_desk_bad_entries_total Stream entries that are "
		"not enriched alerts.\n"
		"# TYPE sankaku_desk_bad_entries_total counter\n"
		"sankaku_desk_bad_entries_total %lu\n"
		"# TYPE sankaku_desk_incidents_opened_total counter\n"
		"sankaku_desk_incidents_opened_total %lu\n"
		"# HELP sankaku_desk_phase_moves_total Phases raised by "
		"evidence.\n"
		"# TYPE sankaku_desk_phase_moves_total counter\n"
		"sankaku_desk_phase_moves_total %lu\n"
		"# TYPE sankaku_desk_actions_total counter\n"
		"sankaku_desk_actions_total{result=\"ok\"} %lu\n"
		"sankaku_desk_actions_total{result=\"refused\"} %lu\n"
		"# TYPE sankaku_desk_batches_total counter\n"
		"sankaku_desk_batches_total %lu\n"
		"# TYPE sankaku_desk_loads_total counter\n"
		"sankaku_desk_loads_total %lu\n"
		"# TYPE sankaku_desk_redis_reconnects_total counter\n"
		"sankaku_desk_redis_reconnects_total %lu\n"
		"# TYPE sankaku_desk_incidents gauge\n"
		"sankaku_desk_incidents{state=\"open\"} %ld\n"
		"sankaku_desk_incidents{state=\"closed\"} %ld\n"
		"# TYPE sankaku_desk_redis_up gauge\n"
		"sankaku_desk_redis_up %d\n"
		"# HELP sankaku_desk_redis_aof 1: Redis keeps an append-only "
		"file; 0: it does not (incidents at risk); -1: unknown.\n"
		"# TYPE sankaku_desk_redis_aof gauge\n"
		"sankaku_desk_redis_aof %d\n"
		"# TYPE sankaku_desk_event_streams gauge\n"
		"sankaku_desk_event_streams %lu\n",
		version, m->alerts, m->duplicates, m->muted, m->bad, m->opened,
		m->moved, m->actions, m->refused, m->batches, m->reloads,
		m->reconnects, m->open, m->closed, m->redis_up, m->aof,
		m->sse_clients) < 0)
		return NULL;
	return s;
}
