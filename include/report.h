/*
 * report.h: what a sankaku-rules run did, per source and per feed, said
 * three ways: lines on stdout (and every problem with its place on
 * stderr), DIR/sankaku-report.json, and DIR/sankaku-rules.prom, gauges
 * in the Prometheus text format for node_exporter's textfile collector.
 */
#ifndef SANKAKU_REPORT_H
#define SANKAKU_REPORT_H

#include "cves.h"
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "feed.h"
#include "gen.h"

#define REPORT_PROBLEMS 20 /* kept per feed for the JSON report */
#define REPORT_LISTED 20   /* printed per feed and reason */

enum feed_outcome {
	FO_OK,	    /* read, deployed */
	FO_KEPT,    /* broken: the last good set is deployed instead */
	FO_PARTIAL, /* truncated, no last good set: what was read */
	FO_FAILED   /* broken, no last good set: nothing deployed */
};

struct problem {
	char pos[96];
	enum skip why;
	char text[300];
};

struct feed_run {
	const struct cfg_feed *feed;
	struct feed_stats st;
	enum feed_outcome outcome;
	char why[256];	 /* broken or truncated: what */
	int64_t good_at; /* when its deployed set was read; 0 never */
	struct problem problems[REPORT_PROBLEMS];
	size_t nproblems;
	size_t listed[SKIP_MAX];   /* printed */
	size_t unlisted[SKIP_MAX]; /* beyond REPORT_LISTED */
	FILE *err;		   /* where problems are printed */
};

struct source_run {
	size_t deployed;
	struct feed_run *feeds;
	size_t nfeeds;
};

struct run {
	const struct cfg *cfg;
	int64_t now;
	const char *outdir;
	struct source_run *src;
	struct gen_result gen;
	struct cve_list cves; /* vulnerabilities the feeds shared */
	int status;	      /* the exit status */
};

/* The feed_log callback: arg is the struct feed_run. */
void report_problem(void *arg, const char *file, const char *pos, enum skip why,
    const char *text);
/* "... and N more" lines for a feed's unlisted problems. */
void report_unlisted(const struct feed_run *, const char *file);

/* The exit status the run's outcome calls for. */
int report_status(const struct run *);
/* A line per source and a total on f. */
void report_summary(FILE *f, const struct run *);
/* DIR/sankaku-report.json and DIR/sankaku-rules.prom; 0 or -1 with err. */
int report_write(const struct run *, char *err, size_t errlen);

/* The outcome's name in the report: "ok", "kept-last-good", ... */
const char *report_outcome_name(enum feed_outcome);

#endif
