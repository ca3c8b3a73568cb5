/*
 * dmetrics.c: the desk's counters as Prometheus text (GET /metrics).
 * Names and meanings are part of the contract (docs/DESIGN.md): add, do
 * not rename.
 */

#define _GNU_SOURCE /* asprintf */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "buf.h"
#include "desk.h"
#include "isog.h"

/* Per source: the measured accuracy, coverage and speed (when there are
 * enough verdicts) and whether the triangles disagree. */
static void
source_gauges(const struct desk *d, struct buf *b)
{
	json_t *m = sources_measure(d->incidents, d->cfg, time(NULL)), *s;
	size_t i, k;
	char line[400];

	BUF_PUTS(b,
	    "# HELP sankaku_desk_source_measured A source's measured "
	    "accuracy, coverage or speed (0-1) from the desk's "
	    "verdicts.\n"
	    "# TYPE sankaku_desk_source_measured gauge\n");
	json_array_foreach (json_object_get(m, "sources"), i, s)
		for (k = 0; k < ISOG_NSIDES; k++) {
			json_t *v = json_object_get(
			    json_object_get(
				json_object_get(s, "measured"), isog_sides[k]),
			    "value");

			if (!json_is_real(v))
				continue;
			snprintf(line, sizeof(line),
			    "sankaku_desk_source_measured{source=\"%s\","
			    "figure=\"%s\"} %.4f\n",
			    json_string_value(json_object_get(s, "id")),
			    isog_sides[k], json_real_value(v));
			buf_put(b, line, strlen(line));
		}
	BUF_PUTS(b,
	    "# HELP sankaku_desk_source_disagrees 1: the measured "
	    "weak side is not the declared one.\n"
	    "# TYPE sankaku_desk_source_disagrees gauge\n");
	json_array_foreach (json_object_get(m, "sources"), i, s) {
		snprintf(line, sizeof(line),
		    "sankaku_desk_source_disagrees{source=\"%s\"} %d\n",
		    json_string_value(json_object_get(s, "id")),
		    json_is_true(json_object_get(s, "disagrees")));
		buf_put(b, line, strlen(line));
	}
	json_decref(m);
}

char *
dmetrics_text(const struct desk *d, const char *version)
{
	const struct desk_metrics *m = &d->m;
	char *s;
	const char *k;
	json_t *v;
	long open = 0, closed = 0;

	/* counted now: the tick's count lags a burst by up to ten seconds */
	json_object_foreach (d->incidents, k, v) {
		if (strcmp(json_string_value(json_object_get(v, "state")),
			"open") == 0)
			open++;
		else
			closed++;
	}

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
		"# HELP sankaku_desk_unread_trimmed_total Alerts the stream "
		"trimmed (output.stream_maxlen) before the desk read them.\n"
		"# TYPE sankaku_desk_unread_trimmed_total counter\n"
		"sankaku_desk_unread_trimmed_total %lu\n"
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
		"sankaku_desk_event_streams %lu\n"
		"# HELP sankaku_desk_misp_sightings_total Sightings pushed to "
		"the sources' MISP instances: accepted, refused by MISP, or "
		"failed (sent again at the next run).\n"
		"# TYPE sankaku_desk_misp_sightings_total counter\n"
		"sankaku_desk_misp_sightings_total{result=\"pushed\"} %lu\n"
		"sankaku_desk_misp_sightings_total{result=\"refused\"} %lu\n"
		"sankaku_desk_misp_sightings_total{result=\"failed\"} %lu\n"
		"# TYPE sankaku_desk_misp_runs_total counter\n"
		"sankaku_desk_misp_runs_total %lu\n",
		version, m->alerts, m->duplicates, m->muted, m->bad, m->unread,
		m->opened, m->moved, m->actions, m->refused, m->batches,
		m->reloads, m->reconnects, open, closed, m->redis_up, m->aof,
		m->sse_clients, m->pushed, m->push_refused, m->push_failed,
		m->push_runs) < 0)
		return NULL;
	{
		struct buf b = {0};

		buf_put(&b, s, strlen(s));
		free(s);
		source_gauges(d, &b);
		if (b.oom) {
			free(b.s);
			return NULL;
		}
		return b.s;
	}
}
