/*
 * dmetrics.c: the desk's counters as Prometheus text (GET /metrics).
 * Names and meanings are part of the contract (docs/DESIGN.md): add, do
 * not rename.
 */

#include <string.h>

#include "desk.h"
#include "isog.h"
#include "prom.h"

/* Per source: the measured accuracy, coverage and speed (when there are
 * enough verdicts) and whether the triangles disagree. */
static void
source_gauges(const struct desk *d, struct prom *p)
{
	json_t *m = sources_measure(d->incidents, d->cfg, time(NULL)), *s;
	size_t i, k;

	prom_family(p, "source_measured", "gauge",
	    "A source's measured accuracy, coverage or speed (0-1) from the "
	    "desk's verdicts.");
	json_array_foreach (json_object_get(m, "sources"), i, s)
		for (k = 0; k < ISOG_NSIDES; k++) {
			json_t *v = json_object_get(
			    json_object_get(
				json_object_get(s, "measured"), isog_sides[k]),
			    "value");

			if (json_is_real(v))
				prom_sample(p, "source_measured",
				    json_real_value(v), "source",
				    json_string_value(json_object_get(s, "id")),
				    "figure", isog_sides[k],
				    (const char *)NULL);
		}
	prom_family(p, "source_disagrees", "gauge",
	    "1: the measured weak side is not the declared one.");
	json_array_foreach (json_object_get(m, "sources"), i, s)
		prom_sample(p, "source_disagrees",
		    json_is_true(json_object_get(s, "disagrees")), "source",
		    json_string_value(json_object_get(s, "id")),
		    (const char *)NULL);
	json_decref(m);
}

/* A family of one sample whose only label is called label. */
static void
pair(struct prom *p, const char *name, const char *type, const char *help,
    const char *label, const char *v1, double n1, const char *v2, double n2)
{
	prom_family(p, name, type, help);
	prom_sample(p, name, n1, label, v1, (const char *)NULL);
	prom_sample(p, name, n2, label, v2, (const char *)NULL);
}

char *
dmetrics_text(const struct desk *d, const char *version)
{
	const struct desk_metrics *m = &d->m;
	struct prom p;
	const char *k;
	json_t *v;
	long open = 0, closed = 0;

	/* counted now: the tick's count lags a burst by up to ten seconds */
	json_object_foreach (d->incidents, k, v) {
		if (inc_is_open(v))
			open++;
		else
			closed++;
	}

	prom_init(&p, "sankaku_desk_");
	prom_family(&p, "build_info", "gauge", "The running version.");
	prom_sample(
	    &p, "build_info", 1, "version", version, (const char *)NULL);
	prom_scalar(&p, "alerts_total", "counter",
	    "Enriched alerts counted into incidents.", (double)m->alerts);
	prom_scalar(&p, "duplicates_total", "counter",
	    "Alerts counted before (the same sankaku.id).",
	    (double)m->duplicates);
	prom_scalar(&p, "muted_total", "counter",
	    "Alerts a mute held out of incidents.", (double)m->muted);
	prom_scalar(&p, "bad_entries_total", "counter",
	    "Stream entries that are not enriched alerts.", (double)m->bad);
	prom_scalar(&p, "unread_trimmed_total", "counter",
	    "Alerts the stream trimmed (output.stream_maxlen) before the desk "
	    "read them.",
	    (double)m->unread);
	prom_scalar(&p, "stored_unreadable", "gauge",
	    "Incidents, index entries and mutes in Redis the last load "
	    "skipped as not of their shape (logged with their keys).",
	    (double)m->unreadable);
	prom_scalar(&p, "incidents_opened_total", "counter",
	    "Incidents opened.", (double)m->opened);
	prom_scalar(&p, "phase_moves_total", "counter",
	    "Phases raised by evidence.", (double)m->moved);
	pair(&p, "actions_total", "counter",
	    "Actions on incidents through the API: done, or refused.", "result",
	    "ok", (double)m->actions, "refused", (double)m->refused);
	prom_scalar(&p, "batches_total", "counter",
	    "Batches of alerts stored in Redis.", (double)m->batches);
	prom_scalar(&p, "loads_total", "counter",
	    "Times the incidents were loaded from Redis (start, reconnect).",
	    (double)m->reloads);
	prom_scalar(&p, "redis_reconnects_total", "counter",
	    "Reconnections to Redis after the first connect.",
	    (double)m->reconnects);
	pair(&p, "incidents", "gauge", "Incidents held, by state.", "state",
	    "open", (double)open, "closed", (double)closed);
	prom_scalar(&p, "redis_up", "gauge", "1 while the Redis link is up.",
	    m->redis_up);
	prom_scalar(&p, "redis_aof", "gauge",
	    "1: Redis keeps an append-only file; 0: it does not (incidents "
	    "at risk); -1: unknown.",
	    m->aof);
	prom_scalar(&p, "event_streams", "gauge",
	    "Consoles following the incidents' event stream.",
	    (double)m->sse_clients);
	prom_family(&p, "misp_sightings_total", "counter",
	    "Sightings pushed to the sources' MISP instances: accepted, "
	    "refused by MISP, or failed (sent again at the next run).");
	prom_sample(&p, "misp_sightings_total", (double)m->pushed, "result",
	    "pushed", (const char *)NULL);
	prom_sample(&p, "misp_sightings_total", (double)m->push_refused,
	    "result", "refused", (const char *)NULL);
	prom_sample(&p, "misp_sightings_total", (double)m->push_failed,
	    "result", "failed", (const char *)NULL);
	prom_scalar(&p, "misp_runs_total", "counter",
	    "Runs pushing sightings to MISP.", (double)m->push_runs);
	prom_family(&p, "notices_total", "counter",
	    "Notices to the team chats of desk.notify: sent, failed (not "
	    "sent again), or dropped over the cap of a minute.");
	prom_sample(&p, "notices_total", (double)m->notified, "result", "sent",
	    (const char *)NULL);
	prom_sample(&p, "notices_total", (double)m->notify_failed, "result",
	    "failed", (const char *)NULL);
	prom_sample(&p, "notices_total", (double)m->notify_dropped, "result",
	    "dropped", (const char *)NULL);
	source_gauges(d, &p);
	return prom_text(&p);
}
