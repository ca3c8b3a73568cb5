/*
 * metrics.h: sankakud's counters, and their Prometheus text (served on
 * /metrics by status.c).
 */
#ifndef SANKAKU_METRICS_H
#define SANKAKU_METRICS_H

#include <stddef.h>

#define METRICS_NBUCKETS 14
#define METRICS_MAX_LABELS 256

struct metrics_label {
	char name[72];
	unsigned long count;
};

struct metrics {
	unsigned long consumed;	      /* events taken from the input */
	unsigned long enriched;	      /* alerts enriched */
	unsigned long stored;	      /* enriched alerts stored (XADD) */
	unsigned long published;      /* PUBLISH messages sent with them */
	unsigned long skipped;	      /* non-alert events */
	unsigned long unconfirmed;    /* URL rule matches no source listed */
	unsigned long red;	      /* TLP:RED alerts, kept apart */
	unsigned long recovered;      /* events finished for a predecessor */
	unsigned long batch_failed;   /* transactions Redis refused */
	unsigned long stream_trimmed; /* stream entries gone before read */
	unsigned long deadletter_overflow; /* not kept: over the budget */
	unsigned long reloads_ok, reloads_failed;
	unsigned long reconnects; /* Redis reconnects, both links */
	long backlog;		  /* input length, last seen; -1 unknown */
	long processing;	  /* lists of this consumer not yet finished */
	long deadletter_len;	  /* dead-letter list length, last seen */
	long stream_len;
	int redis_up;	    /* both links ready */
	int eviction_safe;  /* maxmemory-policy: 1 safe, 0 allkeys-*, -1 ? */
	char health[192];   /* why not consuming, "" when all is well */
	int checked_stores; /* stores checked per chunk, not one by one */
	unsigned long http_refused; /* connections over the cap */
	double latency_sum;
	unsigned long latency_count;
	unsigned long latency_buckets[METRICS_NBUCKETS];
	struct metrics_label deadletter[16]; /* by reason */
	struct metrics_label phases[8];
	struct metrics_label sources[METRICS_MAX_LABELS];
	struct metrics_label events[32]; /* skipped, by event_type */
};

extern const double metrics_bucket_bounds[METRICS_NBUCKETS];

void metrics_inc(
    struct metrics_label *, size_t n, const char *name, unsigned long by);
/* Count under a label of one of the arrays above (its size carried by its
 * type). */
#define METRICS_INC(arr, name, by)                                             \
	metrics_inc((arr), sizeof(arr) / sizeof((arr)[0]), (name), (by))
void metrics_observe_latency(struct metrics *, double seconds);
/* The label a skipped event's type is counted under: a known EVE type,
 * or "other". */
const char *metrics_event_type(const char *type);
/* Render the Prometheus text; new malloc'd string. */
char *metrics_render(const struct metrics *, const char *version);

#endif
