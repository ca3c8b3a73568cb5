/*
 * report.c: a run's account (see report.h).
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "afile.h"
#include "buf.h"
#include "report.h"
#include "timeparse.h"

static const char *const outcomes[] = {
    [FO_OK] = "ok",
    [FO_KEPT] = "kept-last-good",
    [FO_PARTIAL] = "partial",
    [FO_FAILED] = "failed",
};

/* Name of an outcome. */
const char *
report_outcome_name(enum feed_outcome o)
{
	return outcomes[o];
}

/* One problem: printed (the first REPORT_LISTED of each reason), kept
 * for the JSON report (the first REPORT_PROBLEMS). */
void
report_problem(void *arg, const char *file, const char *pos, enum skip why,
    const char *text)
{
	struct feed_run *fr = arg;

	if (fr->nproblems < REPORT_PROBLEMS) {
		struct problem *p = &fr->problems[fr->nproblems++];

		snprintf(p->pos, sizeof(p->pos), "%s", pos != NULL ? pos : "");
		p->why = why;
		snprintf(p->text, sizeof(p->text), "%s", text);
	}
	if (fr->listed[why] >= REPORT_LISTED) {
		fr->unlisted[why]++;
		return;
	}
	fr->listed[why]++;
	if (fr->err != NULL)
		fprintf(fr->err, "%s:%s: %s%s\n", file, pos != NULL ? pos : "-",
		    skip_is_refusal(why) ? "" : "skipped: ", text);
}

/* The problems not printed, counted. */
void
report_unlisted(const struct feed_run *fr, const char *file)
{
	int i;

	for (i = 0; i < SKIP_MAX; i++)
		if (fr->unlisted[i] > 0 && fr->err != NULL)
			fprintf(fr->err, "%s: %zu more %s not listed\n", file,
			    fr->unlisted[i], skip_name((enum skip)i));
}

/* The exit status. */
int
report_status(const struct run *r)
{
	size_t s, f;
	int broken = 0, refused = 0, i;

	for (s = 0; s < r->cfg->nsources; s++)
		for (f = 0; f < r->src[s].nfeeds; f++) {
			const struct feed_run *fr = &r->src[s].feeds[f];

			broken |= fr->outcome != FO_OK;
			for (i = 0; i < SKIP_MAX; i++)
				if (skip_is_refusal((enum skip)i) &&
				    fr->st.skipped[i] > 0)
					refused = 1;
		}
	return broken ? 3 : refused ? 1 : 0;
}

/* A source's skips, summed over its feeds. */
static void
source_skips(const struct source_run *sr, size_t *sum)
{
	size_t f;
	int i;

	memset(sum, 0, SKIP_MAX * sizeof(*sum));
	for (f = 0; f < sr->nfeeds; f++)
		for (i = 0; i < SKIP_MAX; i++)
			sum[i] += sr->feeds[f].st.skipped[i];
}

/* Lines on f. */
void
report_summary(FILE *f, const struct run *r)
{
	size_t s, k, sum[SKIP_MAX], kept = 0, failed = 0;
	int i;

	for (s = 0; s < r->cfg->nsources; s++) {
		const struct source_run *sr = &r->src[s];
		int any = 0;

		fprintf(f, "  %s: %zu deployed", r->cfg->sources[s].id,
		    sr->deployed);
		source_skips(sr, sum);
		for (i = 0; i < SKIP_MAX; i++) {
			if (sum[i] == 0)
				continue;
			fprintf(f, "%s %s %zu",
			    any++ ? "," : "; skipped:", skip_name((enum skip)i),
			    sum[i]);
		}
		for (k = 0; k < sr->nfeeds; k++) {
			const struct feed_run *fr = &sr->feeds[k];

			if (fr->outcome == FO_OK)
				continue;
			fprintf(f, "; FEED %s %s", fr->feed->path,
			    report_outcome_name(fr->outcome));
			if (fr->outcome == FO_KEPT) {
				char t[32];

				time_format(fr->good_at, t, sizeof(t));
				fprintf(f, " (from %s)", t);
				kept++;
			} else
				failed++;
		}
		fputc('\n', f);
	}
	fprintf(f,
	    "sankaku-rules: %zu indicators, %zu rules, %zu datasets written "
	    "to %s",
	    r->gen.indicators, r->gen.rules, r->gen.datasets, r->outdir);
	if (kept + failed > 0)
		fprintf(f, "; %zu feeds broken (%zu on their last good set)",
		    kept + failed, kept);
	fputc('\n', f);
}

/* {"reason": n, ...} of the non-zero counts. */
static json_t *
skips_json(const size_t *sk)
{
	json_t *o = json_object();
	int i;

	for (i = 0; i < SKIP_MAX; i++)
		if (sk[i] > 0)
			json_object_set_new(o, skip_name((enum skip)i),
			    json_integer((json_int_t)sk[i]));
	return o;
}

/* A time as RFC 3339, or null. */
static json_t *
time_json(int64_t t)
{
	char b[32];

	if (t == 0)
		return json_null();
	time_format(t, b, sizeof(b));
	return json_string(b);
}

/* The JSON report. */
static json_t *
report_json(const struct run *r)
{
	json_t *root = json_object(), *srcs = json_array();
	size_t s, f, sum[SKIP_MAX], k;

	json_object_set_new(root, "generated", time_json(r->now));
	json_object_set_new(root, "exit_status", json_integer(r->status));
	json_object_set_new(
	    root, "indicators", json_integer((json_int_t)r->gen.indicators));
	json_object_set_new(
	    root, "rules", json_integer((json_int_t)r->gen.rules));
	json_object_set_new(
	    root, "datasets", json_integer((json_int_t)r->gen.datasets));
	for (s = 0; s < r->cfg->nsources; s++) {
		const struct source_run *sr = &r->src[s];
		json_t *o = json_object(), *feeds = json_array();

		source_skips(sr, sum);
		json_object_set_new(
		    o, "id", json_string(r->cfg->sources[s].id));
		json_object_set_new(
		    o, "tlp", json_string(r->cfg->sources[s].tlp));
		json_object_set_new(
		    o, "deployed", json_integer((json_int_t)sr->deployed));
		json_object_set_new(o, "skipped", skips_json(sum));
		for (f = 0; f < sr->nfeeds; f++) {
			const struct feed_run *fr = &sr->feeds[f];
			json_t *fo = json_object(), *pr = json_array();

			json_object_set_new(
			    fo, "path", json_string(fr->feed->path));
			json_object_set_new(
			    fo, "format", json_string(fr->feed->format));
			json_object_set_new(fo, "status",
			    json_string(report_outcome_name(fr->outcome)));
			if (fr->why[0] != '\0')
				json_object_set_new(
				    fo, "reason", json_string(fr->why));
			json_object_set_new(
			    fo, "read", json_integer((json_int_t)fr->st.read));
			json_object_set_new(fo, "deployed",
			    json_integer((json_int_t)fr->st.deployed));
			json_object_set_new(
			    fo, "skipped", skips_json(fr->st.skipped));
			json_object_set_new(
			    fo, "last_good", time_json(fr->good_at));
			json_object_set_new(fo, "age_s",
			    fr->good_at != 0
				? json_integer(r->now - fr->good_at)
				: json_null());
			for (k = 0; k < fr->nproblems; k++)
				json_array_append_new(pr,
				    json_pack("{s:s, s:s, s:s}", "position",
					fr->problems[k].pos, "reason",
					skip_name(fr->problems[k].why),
					"detail", fr->problems[k].text));
			json_object_set_new(fo, "problems", pr);
			json_array_append_new(feeds, fo);
		}
		json_object_set_new(o, "feeds", feeds);
		json_array_append_new(srcs, o);
	}
	json_object_set_new(root, "sources", srcs);
	return root;
}

/* A label value, escaped as the text format wants. */
static void
label(FILE *f, const char *s)
{
	for (; *s != '\0'; s++) {
		if (*s == '\\' || *s == '"')
			fprintf(f, "\\%c", *s);
		else if (*s == '\n')
			fputs("\\n", f);
		else
			fputc(*s, f);
	}
}

/* The gauges. */
static void
prom(FILE *f, const struct run *r)
{
	size_t s, k, sum[SKIP_MAX];
	int i;

	fputs("# HELP sankaku_rules_last_run_timestamp_seconds When "
	      "sankaku-rules last ran.\n"
	      "# TYPE sankaku_rules_last_run_timestamp_seconds gauge\n",
	    f);
	fprintf(f, "sankaku_rules_last_run_timestamp_seconds %lld\n",
	    (long long)r->now);
	fprintf(f,
	    "# HELP sankaku_rules_exit_status sankaku-rules' exit status "
	    "(0 ok, 1 refused indicators, 3 broken feeds).\n"
	    "# TYPE sankaku_rules_exit_status gauge\n"
	    "sankaku_rules_exit_status %d\n",
	    r->status);
	fputs("# HELP sankaku_rules_indicators Indicators deployed per "
	      "source.\n# TYPE sankaku_rules_indicators gauge\n",
	    f);
	for (s = 0; s < r->cfg->nsources; s++)
		fprintf(f, "sankaku_rules_indicators{source=\"%s\"} %zu\n",
		    r->cfg->sources[s].id, r->src[s].deployed);
	fputs("# HELP sankaku_rules_skipped Objects read and not deployed, "
	      "per source and reason.\n# TYPE sankaku_rules_skipped gauge\n",
	    f);
	for (s = 0; s < r->cfg->nsources; s++) {
		source_skips(&r->src[s], sum);
		for (i = 0; i < SKIP_MAX; i++)
			if (sum[i] > 0)
				fprintf(f,
				    "sankaku_rules_skipped{source=\"%s\","
				    "reason=\"%s\"} %zu\n",
				    r->cfg->sources[s].id,
				    skip_name((enum skip)i), sum[i]);
	}
	fputs("# HELP sankaku_rules_feed_ok 1 if the feed was read this run, "
	      "0 if its last good set (or nothing) stands in.\n"
	      "# TYPE sankaku_rules_feed_ok gauge\n",
	    f);
	for (s = 0; s < r->cfg->nsources; s++)
		for (k = 0; k < r->src[s].nfeeds; k++) {
			const struct feed_run *fr = &r->src[s].feeds[k];

			fprintf(f,
			    "sankaku_rules_feed_ok{source=\"%s\",feed=\"",
			    r->cfg->sources[s].id);
			label(f, fr->feed->path);
			fprintf(f, "\"} %d\n", fr->outcome == FO_OK);
		}
	fputs("# HELP sankaku_rules_feed_last_good_timestamp_seconds When the "
	      "feed's deployed set was read.\n"
	      "# TYPE sankaku_rules_feed_last_good_timestamp_seconds gauge\n",
	    f);
	for (s = 0; s < r->cfg->nsources; s++)
		for (k = 0; k < r->src[s].nfeeds; k++) {
			const struct feed_run *fr = &r->src[s].feeds[k];

			if (fr->good_at == 0)
				continue;
			fprintf(f,
			    "sankaku_rules_feed_last_good_timestamp_seconds{"
			    "source=\"%s\",feed=\"",
			    r->cfg->sources[s].id);
			label(f, fr->feed->path);
			fprintf(f, "\"} %lld\n", (long long)fr->good_at);
		}
}

/* Write both files. */
int
report_write(const struct run *r, char *err, size_t errlen)
{
	struct afile a = {0};
	json_t *j = report_json(r);
	int rv = -1;

	if (j == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	if (af_open(&a, r->outdir, "sankaku-report.json", err, errlen) != 0)
		goto done;
	if (json_dumpf(j, a.f, JSON_INDENT(2) | JSON_PRESERVE_ORDER) != 0) {
		snprintf(err, errlen, "sankaku-report.json: write failed");
		goto done;
	}
	fputc('\n', a.f);
	if (af_commit(&a, err, errlen) != 0)
		goto done;
	if (af_open(&a, r->outdir, "sankaku-rules.prom", err, errlen) != 0)
		goto done;
	prom(a.f, r);
	rv = af_commit(&a, err, errlen);
done:
	af_abort(&a);
	json_decref(j);
	return rv;
}
