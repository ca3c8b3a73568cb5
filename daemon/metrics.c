/*
 * metrics.c: sankakud's counters, and their Prometheus text.
 * Names are prefixed sankaku_; counters end in _total.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "metrics.h"
#include "prom.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

const double metrics_bucket_bounds[METRICS_NBUCKETS] = {0.0001, 0.00025, 0.0005,
    0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 5.0};

/* Add to the counter labelled name, creating it if there is room. */
void
metrics_inc(
    struct metrics_label *l, size_t n, const char *name, unsigned long by)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (l[i].name[0] == '\0') {
			snprintf(l[i].name, sizeof(l[i].name), "%s", name);
			l[i].count = by;
			return;
		}
		if (strcmp(l[i].name, name) == 0) {
			l[i].count += by;
			return;
		}
	}
	/* Full: count under the last slot, renamed "other". */
	snprintf(l[n - 1].name, sizeof(l[n - 1].name), "other");
	l[n - 1].count += by;
}

/* Record one processing latency. */
void
metrics_observe_latency(struct metrics *m, double s)
{
	size_t i;

	m->latency_sum += s;
	m->latency_count++;
	for (i = 0; i < METRICS_NBUCKETS; i++)
		if (s <= metrics_bucket_bounds[i])
			m->latency_buckets[i]++;
}

/* One labelled counter family. */
static void
family(struct prom *p, const char *name, const char *help, const char *label,
    const struct metrics_label *l, size_t n)
{
	size_t i;

	prom_family(p, name, "counter", help);
	for (i = 0; i < n && l[i].name[0] != '\0'; i++)
		prom_sample(p, name, (double)l[i].count, label, l[i].name,
		    (const char *)NULL);
}

/* Suricata 7's EVE event types; anything else counts as "other", so that
 * crafted events can neither fill the label slots nor invent series. */
static const char *const event_types[] = {"alert", "anomaly", "arp",
    "bittorrent-dht", "dcerpc", "dhcp", "dnp3", "dns", "drop", "enip",
    "fileinfo", "flow", "frame", "ftp", "ftp_data", "http", "http2", "ike",
    "krb5", "modbus", "mqtt", "netflow", "nfs", "pgsql", "quic", "rdp", "rfb",
    "sip", "smb", "smtp", "snmp", "ssh", "stats", "tftp", "tls", NULL};

/* The label to count an event type under. */
const char *
metrics_event_type(const char *type)
{
	size_t i;

	for (i = 0; event_types[i] != NULL; i++)
		if (strcmp(type, event_types[i]) == 0)
			return event_types[i];
	return "other";
}

/* Render everything. */
char *
metrics_render(const struct metrics *m, const char *version)
{
	struct prom p;
	size_t i;
	char le[32];

	prom_init(&p, "sankaku_");
	prom_family(&p, "build_info", "gauge", "Build information.");
	prom_sample(
	    &p, "build_info", 1, "version", version, (const char *)NULL);
	prom_scalar(&p, "events_consumed_total", "counter",
	    "Events taken from the input.", (double)m->consumed);
	prom_scalar(&p, "alerts_enriched_total", "counter", "Alerts enriched.",
	    (double)m->enriched);
	prom_scalar(&p, "alerts_stored_total", "counter",
	    "Enriched alerts stored in the output stream.", (double)m->stored);
	prom_scalar(&p, "messages_published_total", "counter",
	    "PUBLISH messages sent with stored alerts.", (double)m->published);
	prom_scalar(&p, "events_skipped_total", "counter",
	    "Non-alert events taken and not published.", (double)m->skipped);
	prom_scalar(&p, "alerts_unconfirmed_total", "counter",
	    "Alerts of a URL rule whose host and path belong to two different "
	    "listed URLs: no source listed what was seen; dropped.",
	    (double)m->unconfirmed);
	prom_scalar(&p, "alerts_red_total", "counter",
	    "TLP:RED alerts, stored and published on output.red_stream only.",
	    (double)m->red);
	prom_scalar(&p, "events_recovered_total", "counter",
	    "Events a predecessor had taken, finished after a restart.",
	    (double)m->recovered);
	prom_scalar(&p, "batches_failed_total", "counter",
	    "Output transactions Redis refused (retried).",
	    (double)m->batch_failed);
	prom_scalar(&p, "stream_trimmed_total", "counter",
	    "Stream mode: entries Suricata trimmed (stream-maxlen) before "
	    "they were read: alerts lost upstream.",
	    (double)m->stream_trimmed);
	prom_scalar(&p, "deadletter_overflow_total", "counter",
	    "Dead letters not kept: the list was over "
	    "output.deadletter_max_bytes.",
	    (double)m->deadletter_overflow);
	family(&p, "events_deadlettered_total",
	    "Events sent to the dead-letter list, by reason.", "reason",
	    m->deadletter, NELEM(m->deadletter));
	family(&p, "alerts_by_phase_total", "Enriched alerts by phase.",
	    "phase", m->phases, NELEM(m->phases));
	family(&p, "alerts_by_source_total", "Enriched alerts by source.",
	    "source", m->sources, NELEM(m->sources));
	family(&p, "events_skipped_by_type_total",
	    "Non-alert events by event_type.", "event_type", m->events,
	    NELEM(m->events));
	prom_family(&p, "config_reloads_total", "counter", "Config reloads.");
	prom_sample(&p, "config_reloads_total", (double)m->reloads_ok, "result",
	    "ok", (const char *)NULL);
	prom_sample(&p, "config_reloads_total", (double)m->reloads_failed,
	    "result", "failed", (const char *)NULL);
	prom_scalar(&p, "http_refused_total", "counter",
	    "HTTP connections refused: over the connection cap, or out of "
	    "file descriptors.",
	    (double)m->http_refused);
	prom_scalar(&p, "redis_reconnects_total", "counter",
	    "Reconnections to Redis after the first connect.",
	    (double)m->reconnects);
	prom_scalar(&p, "redis_up", "gauge",
	    "1 while both Redis links are ready.", m->redis_up);
	prom_scalar(&p, "redis_eviction_safe", "gauge",
	    "1 while Redis's maxmemory-policy never evicts sankakud's keys, "
	    "0 when it is allkeys-* (stored alerts and taken batches can "
	    "vanish), -1 unknown (INFO refused).",
	    m->eviction_safe);
	prom_scalar(&p, "stores_checked_per_chunk", "gauge",
	    "1 while a chunk's XADDs go out without replies and one INFO "
	    "commandstats reading checks them (output.acks chunk); 0 while "
	    "each is acknowledged.",
	    m->checked_stores);
	prom_scalar(&p, "input_backlog", "gauge",
	    "Events waiting in the input, last seen (-1: unknown).",
	    (double)m->backlog);
	prom_scalar(&p, "processing_length", "gauge",
	    "Lists this consumer took and has not finished, last seen.",
	    (double)m->processing);
	prom_scalar(&p, "stream_length", "gauge",
	    "Length of the output stream, last seen (trimmed near "
	    "output.stream_maxlen).",
	    (double)m->stream_len);
	prom_scalar(&p, "deadletter_length", "gauge",
	    "Length of the dead-letter list, last seen.",
	    (double)m->deadletter_len);
	prom_family(&p, "processing_seconds", "histogram",
	    "From taking a batch to its enriched alerts being stored.");
	for (i = 0; i < METRICS_NBUCKETS; i++) { /* buckets are cumulative */
		snprintf(le, sizeof(le), "%g", metrics_bucket_bounds[i]);
		prom_sample(&p, "processing_seconds_bucket",
		    (double)m->latency_buckets[i], "le", le,
		    (const char *)NULL);
	}
	prom_sample(&p, "processing_seconds_bucket", (double)m->latency_count,
	    "le", "+Inf", (const char *)NULL);
	prom_sample(
	    &p, "processing_seconds_sum", m->latency_sum, (const char *)NULL);
	prom_sample(&p, "processing_seconds_count", (double)m->latency_count,
	    (const char *)NULL);
	return prom_text(&p);
}
