/*
 * sankaku-rules.c: read every source's feeds from the config and write
 * Suricata rules, datasets, the indicator index and an account of it all.
 *
 *   sankaku-rules -c FILE -o DIR [--previous DIR] [--now RFC3339]
 *
 * For each feed: parse it (every object deployed or counted under a
 * reason, problems printed as "file:position: reason"); if the feed is
 * missing, empty, truncated or not of its format, fall back on its last
 * good set kept in --previous DIR (fail closed), and say so.  Then each
 * source's policy (expiry, TLP:RED, prefix width, duplicates), the merge
 * across sources, and the files.
 *
 * Exit status: 0 all deployed or knowingly skipped; 1 some indicators
 * could not be converted; 2 config or output error (nothing written);
 * 3 a feed broken (its last good set, if any, deployed instead).
 */

#include <sys/stat.h>

#include <err.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "config.h"
#include "feed.h"
#include "gen.h"
#include "keep.h"
#include "policy.h"
#include "report.h"

#ifndef SANKAKU_VERSION
#define SANKAKU_VERSION "0.0.0"
#endif

/* Read a whole file; NULL with errno. */
static char *
slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t cap = 0, n;

	*len = 0;
	if (f == NULL)
		return NULL;
	for (;;) {
		if (*len + 65536 > cap) {
			char *nb;

			cap = cap != 0 ? cap * 2 : 1 << 20;
			if ((nb = realloc(buf, cap)) == NULL) {
				free(buf);
				fclose(f);
				errno = ENOMEM;
				return NULL;
			}
			buf = nb;
		}
		n = fread(buf + *len, 1, cap - *len, f);
		*len += n;
		if (n == 0)
			break;
	}
	if (ferror(f)) {
		free(buf);
		fclose(f);
		errno = EIO;
		return NULL;
	}
	fclose(f);
	return buf;
}

/* Parse one feed's text. */
static enum feed_status
parse(struct feed_ctx *ctx, const char *format)
{
	size_t len;
	char *text = slurp(ctx->file, &len);
	enum feed_status st;

	if (text == NULL)
		return feed_fail(
		    ctx, FEED_BROKEN, "cannot read: %s", strerror(errno));
	if (len == 0)
		st = feed_fail(ctx, FEED_BROKEN, "empty");
	else if (strcmp(format, "csv") == 0)
		st = feed_csv(ctx, text, len);
	else if (strcmp(format, "stix2") == 0)
		st = feed_stix(ctx, text, len);
	else
		st = feed_misp(ctx, text, len);
	if (st == FEED_OK && ctx->st->read == 0)
		st = feed_fail(ctx, FEED_BROKEN,
		    "no objects in it: an empty "
		    "download?");
	free(text);
	return st;
}

/* One feed: parsed, or its last good set, or what could be read. */
static int
read_feed(struct run *r, size_t s, struct feed_run *fr, struct ioc_list *list,
    const char *previous)
{
	const struct cfg_source *src = &r->cfg->sources[s];
	struct feed_log log = {report_problem, fr};
	struct feed_ctx ctx;
	char name[160], err[512];
	enum feed_status st;
	int64_t good_at;

	memset(&ctx, 0, sizeof(ctx));
	ctx.file = fr->feed->path;
	ctx.cfg = r->cfg;
	ctx.source = s;
	ctx.feed = fr->feed;
	ctx.now = (time_t)r->now;
	ctx.out = list;
	ctx.st = &fr->st;
	ctx.log = &log;
	keep_name(src->id, fr->feed->path, name, sizeof(name));
	if ((st = parse(&ctx, fr->feed->format)) == FEED_OK) {
		fr->outcome = FO_OK;
		fr->good_at = r->now;
		return keep_write(r->outdir, name, src->id, r->now, list, err,
			   sizeof(err)) == 0
		    ? 0
		    : (fprintf(stderr, "sankaku-rules: %s\n", err), -1);
	}
	snprintf(fr->why, sizeof(fr->why), "%s", ctx.why);
	fprintf(stderr, "%s: FEED %s: %s\n", fr->feed->path,
	    st == FEED_TRUNCATED ? "TRUNCATED" : "BROKEN", ctx.why);
	if (previous != NULL) {
		struct ioc_list kept;

		if (ioc_list_init(&kept) != 0)
			return -1;
		ctx.out = &kept;
		memset(&fr->st, 0, sizeof(fr->st));
		if (keep_read(previous, name, &ctx, &good_at, err,
			sizeof(err)) == 0) {
			ioc_list_free(list);
			*list = kept;
			fr->outcome = FO_KEPT;
			fr->good_at = good_at;
			fprintf(stderr,
			    "%s: its last good set (%zu indicators) stays "
			    "deployed\n",
			    fr->feed->path, list->n);
			return keep_write(r->outdir, name, src->id, good_at,
				   list, err, sizeof(err)) == 0
			    ? 0
			    : (fprintf(stderr, "sankaku-rules: %s\n", err), -1);
		}
		ioc_list_free(&kept);
		fprintf(
		    stderr, "%s: no last good set: %s\n", fr->feed->path, err);
	}
	if (st == FEED_TRUNCATED && list->n > 0) {
		fr->outcome = FO_PARTIAL;
		fprintf(stderr, "%s: deploying the %zu indicators read\n",
		    fr->feed->path, list->n);
	} else {
		fr->outcome = FO_FAILED;
		ioc_list_free(list);
		if (ioc_list_init(list) != 0)
			return -1;
	}
	return 0;
}

static void __attribute__((noreturn)) usage(int status)
{
	fprintf(status == 0 ? stdout : stderr,
	    "usage: sankaku-rules -c FILE -o DIR [--previous DIR] "
	    "[--now TIME]\n");
	exit(status);
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
	    {"config", required_argument, NULL, 'c'},
	    {"output", required_argument, NULL, 'o'},
	    {"previous", required_argument, NULL, 'p'},
	    {"now", required_argument, NULL, 'N'},
	    {"version", no_argument, NULL, 'V'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	const char *config = NULL, *previous = NULL;
	struct run r;
	struct ioc_list deploy, *lists = NULL;
	struct merged *m = NULL;
	struct arena *ma = NULL;
	struct cfg *cfg;
	char errbuf[1024];
	size_t s, f, nlists = 0, nm = 0;
	int ch, status = 2;

	memset(&r, 0, sizeof(r));
	r.now = time(NULL);
	while (
	    (ch = getopt_long(argc, argv, "c:o:p:h", longopts, NULL)) != -1) {
		switch (ch) {
		case 'c':
			config = optarg;
			break;
		case 'o':
			r.outdir = optarg;
			break;
		case 'p':
			previous = optarg;
			break;
		case 'N':
			if (feed_time(optarg, strlen(optarg), &r.now) != 0)
				errx(2, "--now: not an RFC 3339 time");
			break;
		case 'V':
			printf("sankaku-rules %s\n", SANKAKU_VERSION);
			return 0;
		case 'h':
			usage(0);
		default:
			usage(2);
		}
	}
	if (config == NULL || r.outdir == NULL || optind != argc)
		usage(2);
	if ((cfg = cfg_load(config, errbuf, sizeof(errbuf))) == NULL)
		errx(2, "%s", errbuf);
	r.cfg = cfg;
	if (mkdir(r.outdir, 0755) != 0 && errno != EEXIST)
		err(2, "%s", r.outdir);
	for (s = 0; s < cfg->nsources; s++)
		nlists += cfg->sources[s].nfeeds;
	r.src = calloc(cfg->nsources + 1, sizeof(*r.src));
	lists = calloc(nlists + 1, sizeof(*lists));
	if (r.src == NULL || lists == NULL || ioc_list_init(&deploy) != 0 ||
	    (ma = arena_new()) == NULL)
		errx(2, "out of memory");
	nlists = 0;
	for (s = 0; s < cfg->nsources; s++) {
		struct source_run *sr = &r.src[s];
		struct policy *pol = policy_new(cfg, s, (time_t)r.now);

		sr->nfeeds = cfg->sources[s].nfeeds;
		if (pol == NULL ||
		    (sr->feeds = calloc(sr->nfeeds + 1, sizeof(*sr->feeds))) ==
			NULL)
			errx(2, "out of memory");
		for (f = 0; f < sr->nfeeds; f++) {
			struct feed_run *fr = &sr->feeds[f];
			struct ioc_list *l = &lists[nlists++];
			struct feed_log log = {report_problem, fr};

			fr->feed = &cfg->sources[s].feeds[f];
			fr->err = stderr;
			if (ioc_list_init(l) != 0 ||
			    read_feed(&r, s, fr, l, previous) != 0 ||
			    policy_apply(pol, l, &fr->st, &log, fr->feed->path,
				&deploy) != 0)
				errx(2, "%s: cannot write the output",
				    fr->feed->path);
			sr->deployed += fr->st.deployed;
			report_unlisted(fr, fr->feed->path);
		}
		policy_free(pol);
	}
	if ((m = gen_merge(&deploy, &nm, ma, errbuf, sizeof(errbuf))) == NULL ||
	    gen_index(cfg, m, nm, r.outdir, errbuf, sizeof(errbuf)) != 0 ||
	    gen_rules(cfg, m, nm, r.outdir, &r.gen, errbuf, sizeof(errbuf)) !=
		0) {
		fprintf(stderr, "sankaku-rules: %s\n", errbuf);
		goto done;
	}
	r.status = report_status(&r);
	if (report_write(&r, errbuf, sizeof(errbuf)) != 0) {
		fprintf(stderr, "sankaku-rules: %s\n", errbuf);
		goto done;
	}
	report_summary(stdout, &r);
	status = r.status;
done:
	free(m);
	arena_free(ma);
	ioc_list_free(&deploy);
	for (f = 0; f < nlists; f++)
		ioc_list_free(&lists[f]);
	free(lists);
	for (s = 0; s < cfg->nsources; s++)
		free(r.src[s].feeds);
	free(r.src);
	cfg_free(cfg);
	return status;
}
