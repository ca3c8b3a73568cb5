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

#define _GNU_SOURCE /* asprintf */
#include <sys/stat.h>

#include <err.h>
#include <errno.h>
#include <getopt.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "config.h"
#include "feed.h"
#include "gen.h"
#include "keep.h"
#include "policy.h"
#include "recode.h"
#include "report.h"
#include "suppress.h"

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

/* A feed's text in another character set as UTF-8 (it frees text); NULL
 * when it is not of that set, the feed failed with why. */
static char *
to_utf8(struct feed_ctx *ctx, const char *from, char *text, size_t *len)
{
	char why[160],
	    *u = recode_utf8(text, *len, from, len, why, sizeof(why));

	free(text);
	if (u == NULL)
		(void)feed_fail(ctx, FEED_BROKEN, "%s", why);
	return u;
}

/* Parse a feed's text. */
static enum feed_status
parse(struct feed_ctx *ctx, const char *format, const char *text, size_t len)
{
	enum feed_status st;

	if (len == 0)
		return feed_fail(ctx, FEED_BROKEN, "empty");
	if (strcmp(format, "csv") == 0)
		st = feed_csv(ctx, text, len);
	else if (strcmp(format, "stix2") == 0)
		st = feed_stix(ctx, text, len);
	else
		st = feed_misp(ctx, text, len);
	if (st == FEED_OK && ctx->st->read == 0)
		st = feed_fail(
		    ctx, FEED_BROKEN, "no objects in it: an empty download?");
	return st;
}

/* A feed's bytes to keep as its last good copy, written with the index
 * (write_outputs). */
struct keep_job {
	char name[160];
	int64_t good_at;
	char *text; /* NULL: nothing to keep */
	size_t len;
};

/* Hold the bytes read (taking text) to be kept. */
static int
keep(struct keep_job *kj, const char *name, int64_t good_at, char *text,
    size_t len)
{
	snprintf(kj->name, sizeof(kj->name), "%s", name);
	kj->good_at = good_at;
	kj->text = text;
	kj->len = len;
	return 0;
}

/* A broken feed: its last good copy from previous, parsed again. */
static int
fall_back(struct keep_job *kj, const struct feed_ctx *broken,
    struct feed_run *fr, struct ioc_list *list, const char *previous,
    const char *name)
{
	struct feed_ctx c = *broken, *ctx = &c;
	struct ioc_list kept;
	struct feed_stats st;
	char err[512], *text;
	size_t len;
	int64_t good_at;
	int rv = -1;

	if ((text = keep_read(
		 previous, name, &len, &good_at, err, sizeof(err))) == NULL) {
		fprintf(
		    stderr, "%s: no last good set: %s\n", fr->feed->path, err);
		return 1;
	}
	memset(&st, 0, sizeof(st));
	if (ioc_list_init(&kept) != 0)
		goto done;
	ctx->out = &kept;
	ctx->st = &st;
	ctx->log = NULL; /* its problems were listed when it was read */
	if (parse(ctx, fr->feed->format, text, len) != FEED_OK) {
		fprintf(stderr, "%s: its last good copy cannot be read: %s\n",
		    fr->feed->path, ctx->why);
		ioc_list_free(&kept);
		rv = 1;
		goto done;
	}
	ioc_list_free(list);
	*list = kept;
	fr->st = st;
	fr->outcome = FO_KEPT;
	fr->good_at = good_at;
	fprintf(stderr,
	    "%s: its last good set (%zu indicators) stays deployed\n",
	    fr->feed->path, list->n);
	rv = keep(kj, name, good_at, text, len);
	text = NULL;
done:
	free(text);
	return rv;
}

/* One feed: parsed, or its last good set, or what could be read. */
static int
read_feed(struct run *r, size_t s, struct feed_run *fr, struct ioc_list *list,
    const char *previous, struct keep_job *kj)
{
	const struct cfg_source *src = &r->cfg->sources[s];
	struct feed_log log = {report_problem, fr};
	struct feed_ctx ctx;
	char name[160], *text;
	enum feed_status st;
	size_t len;
	int rv;

	memset(&ctx, 0, sizeof(ctx));
	ctx.file = fr->feed->path;
	ctx.cfg = r->cfg;
	ctx.source = s;
	ctx.feed = fr->feed;
	ctx.now = (time_t)r->now;
	ctx.out = list;
	ctx.st = &fr->st;
	ctx.log = &log;
	ctx.cves = &r->cves;
	keep_name(src->id, fr->feed->path, name, sizeof(name));
	if ((text = slurp(fr->feed->path, &len)) == NULL)
		st = feed_fail(
		    &ctx, FEED_BROKEN, "cannot read: %s", strerror(errno));
	else if (fr->feed->encoding != NULL &&
	    (text = to_utf8(&ctx, fr->feed->encoding, text, &len)) == NULL)
		st = FEED_BROKEN;
	else if ((st = parse(&ctx, fr->feed->format, text, len)) == FEED_OK) {
		fr->outcome = FO_OK;
		fr->good_at = r->now;
		return keep(kj, name, r->now, text, len);
	}
	free(text);
	snprintf(fr->why, sizeof(fr->why), "%s", ctx.why);
	fprintf(stderr, "%s: FEED %s: %s\n", fr->feed->path,
	    st == FEED_TRUNCATED ? "TRUNCATED" : "BROKEN", ctx.why);
	if (previous != NULL &&
	    (rv = fall_back(kj, &ctx, fr, list, previous, name)) <= 0)
		return rv;
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

/* The index, written on a thread of its own beside the rules. */
struct index_job {
	const struct cfg *cfg;
	const struct merged *m;
	size_t n;
	const char *dir;
	const struct keep_job *keeps;
	size_t nkeeps;
	char err[512];
	int rv;
};

/* The feeds' last good copies, then the index. */
static void *
index_thread(void *arg)
{
	struct index_job *j = arg;
	size_t i;

	j->rv = 0;
	for (i = 0; i < j->nkeeps && j->rv == 0; i++)
		if (j->keeps[i].text != NULL)
			j->rv = keep_write(j->dir, j->keeps[i].name,
			    j->keeps[i].good_at, j->keeps[i].text,
			    j->keeps[i].len, j->err, sizeof(j->err));
	if (j->rv == 0)
		j->rv = gen_index(
		    j->cfg, j->m, j->n, j->dir, j->err, sizeof(j->err));
	return NULL;
}

/* The feeds' copies and the index, and the rules, at once (files of a
 * million lines each: on two cores, the time of the longer).  0, or -1
 * with err. */
static int
write_outputs(struct run *r, const struct merged *m, size_t n,
    const struct keep_job *keeps, size_t nkeeps, char *err, size_t errlen)
{
	struct index_job j = {r->cfg, m, n, r->outdir, keeps, nkeeps, "", -1};
	pthread_t t;
	int threaded, rv;

	threaded = pthread_create(&t, NULL, index_thread, &j) == 0;
	if (!threaded)
		index_thread(&j);
	rv = gen_rules(r->cfg, m, n, r->outdir, &r->gen, err, errlen);
	if (threaded)
		pthread_join(t, NULL);
	if (rv == 0 && j.rv != 0) {
		snprintf(err, errlen, "%s", j.err);
		rv = -1;
	}
	return rv;
}

static void __attribute__((noreturn)) usage(int status)
{
	fprintf(status == 0 ? stdout : stderr,
	    "usage: sankaku-rules -c FILE -o DIR [--previous DIR] "
	    "[--now TIME]\n");
	exit(status);
}

/* The sources whose accuracy fell keep only what another source lists
 * too (the desk's second_source list); then each source's count.  The
 * lists come source by source, feed by feed. */
static int
second_sources(
    struct run *r, struct ioc_list *lists, const struct suppress *supp)
{
	const struct cfg *cfg = r->cfg;
	unsigned char *need = calloc(cfg->nsources + 1, 1);
	struct second_list *v;
	size_t s, f, n = 0;
	long rc;

	for (s = 0; s < cfg->nsources; s++)
		n += r->src[s].nfeeds;
	if (need == NULL || (v = calloc(n + 1, sizeof(*v))) == NULL) {
		free(need);
		return -1;
	}
	for (s = 0, n = 0; s < cfg->nsources; s++) {
		need[s] =
		    (unsigned char)suppress_second(supp, cfg->sources[s].id);
		for (f = 0; f < r->src[s].nfeeds; f++, n++) {
			v[n].l = &lists[n];
			v[n].source = s;
			v[n].st = &r->src[s].feeds[f].st;
		}
	}
	rc = second_source_apply(v, n, need, cfg->nsources);
	for (s = 0; s < cfg->nsources; s++) {
		if (need[s])
			fprintf(stderr,
			    "sankaku-rules: %s: its measured accuracy fell "
			    "(sankaku-desk): only indicators another source "
			    "lists too are deployed\n",
			    cfg->sources[s].id);
		r->src[s].deployed = 0;
		for (f = 0; f < r->src[s].nfeeds; f++)
			r->src[s].deployed += r->src[s].feeds[f].st.deployed;
	}
	free(v);
	free(need);
	return rc < 0 ? -1 : 0;
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
	struct suppress *supp = NULL;
	struct run r;
	struct ioc_list *lists = NULL;
	struct keep_job *keeps = NULL;
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
	keeps = calloc(nlists + 1, sizeof(*keeps));
	if (r.src == NULL || lists == NULL || keeps == NULL ||
	    (ma = arena_new()) == NULL)
		errx(2, "out of memory");
	nlists = 0;
	{
		/* the analysts' false positives: rules.suppress, or what the
		 * desk writes beside the index: in the set in force
		 * (--previous), else in the output directory; carried into
		 * the new set, where the desk will find and rewrite it */
		char *sp = cfg->rules_suppress[0] != '\0'
		    ? strdup(cfg->rules_suppress)
		    : NULL;

		if (sp == NULL &&
		    asprintf(&sp, "%s/sankaku-suppress.json",
			previous != NULL ? previous : r.outdir) < 0)
			errx(2, "out of memory");
		if ((supp = suppress_load(
			 sp, (time_t)r.now, errbuf, sizeof(errbuf))) == NULL)
			errx(2, "%s", errbuf);
		if (cfg->rules_suppress[0] == '\0' && previous != NULL &&
		    suppress_carry(sp, r.outdir, errbuf, sizeof(errbuf)) != 0)
			errx(2, "%s", errbuf);
		free(sp);
	}
	for (s = 0; s < cfg->nsources; s++) {
		struct source_run *sr = &r.src[s];
		struct policy *pol = policy_new(cfg, s, (time_t)r.now);

		if (pol != NULL)
			policy_set_suppress(pol, supp);

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
			    read_feed(&r, s, fr, l, previous,
				&keeps[nlists - 1]) != 0 ||
			    policy_apply(
				pol, l, &fr->st, &log, fr->feed->path) != 0)
				errx(2, "%s: cannot write the output",
				    fr->feed->path);
			report_unlisted(fr, fr->feed->path);
		}
		policy_free(pol);
	}
	if (second_sources(&r, lists, supp) != 0)
		errx(2, "out of memory");
	if ((m = gen_merge(lists, nlists, &nm, ma, errbuf, sizeof(errbuf))) ==
		NULL ||
	    write_outputs(&r, m, nm, keeps, nlists, errbuf, sizeof(errbuf)) !=
		0) {
		fprintf(stderr, "sankaku-rules: %s\n", errbuf);
		goto done;
	}
	r.status = report_status(&r);
	if (cves_write(r.outdir, cfg, &r.cves, errbuf, sizeof(errbuf)) != 0 ||
	    report_write(&r, errbuf, sizeof(errbuf)) != 0) {
		fprintf(stderr, "sankaku-rules: %s\n", errbuf);
		goto done;
	}
	report_summary(stdout, &r);
	status = r.status;
done:
	free(m);
	arena_free(ma);
	for (f = 0; f < nlists; f++) {
		ioc_list_free(&lists[f]);
		free(keeps[f].text);
	}
	free(lists);
	free(keeps);
	for (s = 0; s < cfg->nsources; s++)
		free(r.src[s].feeds);
	free(r.src);
	cve_list_free(&r.cves);
	suppress_free(supp);
	cfg_free(cfg);
	return status;
}
