/*
 * sankaku-rules.c: read every source's feeds from the config and write
 * Suricata rules, datasets and the indicator index.
 *
 *   sankaku-rules -c FILE -o DIR [--now RFC3339]
 *
 * Problems are printed as "file:position: reason"; the other indicators
 * are still written; the exit status is 1 if anything was rejected, 2 if
 * nothing could be written.
 */

#include <err.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "config.h"
#include "feed.h"

#ifndef SANKAKU_VERSION
#define SANKAKU_VERSION "0.0.0"
#endif

/* Print one problem. */
static void
report(void *arg, const char *file, const char *pos, const char *reason)
{
	(void)arg;
	fprintf(stderr, "%s:%s: %s\n", file, pos, reason);
}

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

static void __attribute__((noreturn)) usage(void)
{
	fprintf(stderr, "usage: sankaku-rules -c FILE -o DIR [--now TIME]\n");
	exit(2);
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
	    {"config", required_argument, NULL, 'c'},
	    {"output", required_argument, NULL, 'o'},
	    {"now", required_argument, NULL, 'N'},
	    {"version", no_argument, NULL, 'V'},
	    {NULL, 0, NULL, 0},
	};
	const char *config = NULL, *outdir = NULL;
	struct feed_report rep = {report, NULL, 0, 0};
	struct ioc_list list = {0};
	struct gen_result res;
	struct cfg *cfg;
	char errbuf[1024];
	time_t now = time(NULL);
	size_t s, f, refused = 0;
	int ch;

	while ((ch = getopt_long(argc, argv, "c:o:", longopts, NULL)) != -1) {
		switch (ch) {
		case 'c':
			config = optarg;
			break;
		case 'o':
			outdir = optarg;
			break;
		case 'N':
			if (feed_time(optarg, &now) != 0)
				errx(2, "--now: '%s' is not an RFC 3339 time",
				    optarg);
			break;
		case 'V':
			printf("sankaku-rules %s\n", SANKAKU_VERSION);
			return 0;
		default:
			usage();
		}
	}
	if (config == NULL || outdir == NULL || optind != argc)
		usage();
	if ((cfg = cfg_load(config, errbuf, sizeof(errbuf))) == NULL)
		errx(2, "%s", errbuf);

	for (s = 0; s < cfg->nsources; s++) {
		const struct cfg_source *src = &cfg->sources[s];

		if (strcmp(src->tlp, "red") == 0) {
			fprintf(stderr,
			    "%s: sources[%zu] %s: TLP:RED forbids deploying "
			    "its indicators to sensors; source refused\n",
			    config, s, src->id);
			refused++;
			continue;
		}
		for (f = 0; f < src->nfeeds; f++) {
			struct feed_ctx ctx = {
			    src->feeds[f].path, src->id, now, &list, &rep};
			size_t len;
			char *text = slurp(src->feeds[f].path, &len);
			int rv;

			if (text == NULL) {
				fprintf(stderr, "%s:0: %s\n",
				    src->feeds[f].path, strerror(errno));
				refused++;
				continue;
			}
			if (strcmp(src->feeds[f].format, "csv") == 0)
				rv = feed_csv(&ctx, text, len);
			else if (strcmp(src->feeds[f].format, "stix2") == 0)
				rv = feed_stix(&ctx, text, len);
			else
				rv = feed_misp(&ctx, text, len);
			if (rv != 0)
				refused++;
			free(text);
		}
	}
	if (gen_write(cfg, &list, outdir, &res, errbuf, sizeof(errbuf)) != 0) {
		fprintf(stderr, "sankaku-rules: %s\n", errbuf);
		ioc_list_free(&list);
		cfg_free(cfg);
		return 2;
	}
	printf("sankaku-rules: %zu indicators, %zu rules, %zu datasets "
	       "written to %s; %zu rejected, %zu not deployed (expired, "
	       "revoked or not for IDS)\n",
	    res.indicators, res.rules, res.datasets, outdir, rep.rejected,
	    rep.skipped);
	ioc_list_free(&list);
	cfg_free(cfg);
	return rep.rejected > 0 || refused > 0 ? 1 : 0;
}
