/*
 * sankaku-fetch.c: bring every feed whose config entry has a "url" to its
 * "path", so that sankaku-rules reads each source's latest.
 *
 *   sankaku-fetch -c FILE [--source ID] [--max-mb N] [--timeout S]
 *                 [--whole] [--prom FILE]
 *
 * Each feed by its "fetch" (get, taxii, misp: fetch.c), replaced in one
 * rename only by a good reply (a TAXII collection: only what was added
 * since, unless --whole or the copy is a day old); otherwise the copy there
 * stays, and sankaku-rules goes on with it.  Only https, the server's
 * certificate checked; the key is read from key_file and never printed, nor is
 * a URL (its query may carry a token).
 *
 * With --prom FILE (or $SANKAKU_TEXTFILE_DIR/sankaku-fetch.prom), the
 * run's gauges for node_exporter: each feed ok or not, its bytes, and
 * when it last succeeded (kept beside it, so a feed failing for days
 * shows its age).
 *
 * Exit status: 0 every feed fetched or unchanged; 1 some failed (their
 * copies kept); 2 config or usage error.
 */

#define _GNU_SOURCE /* asprintf */
#include <err.h>
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "afile.h"
#include "config.h"
#include "fetch.h"
#include "fxfer.h"
#include "prom.h"

#ifndef SANKAKU_VERSION
#define SANKAKU_VERSION "0.0.0"
#endif

/* The run's gauges, for node_exporter's textfile collector: written
 * aside and renamed.  0, or -1 with err. */
static int
write_prom(const char *path, const struct outcome *oc, size_t n, char *err,
    size_t errlen)
{
	struct prom p;
	struct afile a;
	char *text;
	size_t i;
	int rc = -1;

	prom_init(&p, "sankaku_fetch_");
	prom_family(&p, "ok", "gauge",
	    "1 if the feed was fetched or found unchanged this run, 0 if its "
	    "copy stays.");
	for (i = 0; i < n; i++)
		prom_sample(&p, "ok", oc[i].ok, "source", oc[i].source, "feed",
		    oc[i].path, (const char *)NULL);
	prom_family(&p, "bytes", "gauge",
	    "Bytes received for the feed this run (0: not modified, or "
	    "failed).");
	for (i = 0; i < n; i++)
		prom_sample(&p, "bytes", (double)oc[i].bytes, "source",
		    oc[i].source, "feed", oc[i].path, (const char *)NULL);
	prom_family(&p, "last_success_timestamp_seconds", "gauge",
	    "When the feed was last fetched or found unchanged.");
	for (i = 0; i < n; i++)
		if (oc[i].ok_at > 0)
			prom_sample(&p, "last_success_timestamp_seconds",
			    (double)oc[i].ok_at, "source", oc[i].source, "feed",
			    oc[i].path, (const char *)NULL);
	prom_scalar(&p, "last_run_timestamp_seconds", "gauge",
	    "When sankaku-fetch last ran.", (double)time(NULL));
	if ((text = prom_text(&p)) == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	if (af_open_path(&a, path, err, errlen) == 0) {
		af_puts(&a, text);
		rc = af_commit(&a, err, errlen);
	}
	free(text);
	return rc;
}

static void __attribute__((noreturn)) usage(int status)
{
	fprintf(status == 0 ? stdout : stderr,
	    "usage: sankaku-fetch -c FILE [--source ID] [--max-mb N] "
	    "[--timeout SECONDS] [--whole] [--prom FILE]\n");
	exit(status);
}

/* A whole number from min to max, or usage. */
static long
number(const char *s, long min, long max)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || v < min || v > max)
		usage(2);
	return v;
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
	    {"config", required_argument, NULL, 'c'},
	    {"source", required_argument, NULL, 's'},
	    {"max-mb", required_argument, NULL, 'm'},
	    {"timeout", required_argument, NULL, 't'},
	    {"prom", required_argument, NULL, 'p'},
	    {"whole", no_argument, NULL, 'w'},
	    {"version", no_argument, NULL, 'V'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	struct opts o = {(size_t)256 << 20, 600, 0};
	const char *config = NULL, *only = NULL, *prom = NULL, *dir;
	char errbuf[1024], *prom_path = NULL;
	struct outcome *oc;
	struct cfg *cfg;
	size_t s, i, n = 0, total = 0;
	int ch, failed = 0;

	while ((ch = getopt_long(argc, argv, "c:s:h", longopts, NULL)) != -1) {
		switch (ch) {
		case 'c':
			config = optarg;
			break;
		case 's':
			only = optarg;
			break;
		case 'm':
			o.max_bytes = (size_t)number(optarg, 1, 65536) << 20;
			break;
		case 't':
			o.timeout_s = number(optarg, 1, 86400);
			break;
		case 'p':
			prom = optarg;
			break;
		case 'w':
			o.whole = 1;
			break;
		case 'V':
			printf("sankaku-fetch %s\n", SANKAKU_VERSION);
			return 0;
		case 'h':
			usage(0);
		default:
			usage(2);
		}
	}
	if (config == NULL || optind != argc)
		usage(2);
	signal(SIGPIPE, SIG_IGN); /* a server that hangs up is an error */
	if ((cfg = cfg_load(config, errbuf, sizeof(errbuf))) == NULL)
		errx(2, "%s", errbuf);
	if (only != NULL && cfg_source_find(cfg, only) == NULL)
		errx(2, "--source %s: no such source in %s", only, config);
	if (prom == NULL && (dir = getenv("SANKAKU_TEXTFILE_DIR")) != NULL &&
	    dir[0] != '\0' &&
	    asprintf(&prom_path, "%s/sankaku-fetch.prom", dir) > 0)
		prom = prom_path;
	for (s = 0; s < cfg->nsources; s++)
		total += cfg->sources[s].nfeeds;
	if ((oc = calloc(total + 1, sizeof(*oc))) == NULL || fxfer_init() != 0)
		errx(2, "out of memory");
	for (s = 0; s < cfg->nsources; s++) {
		const struct cfg_source *src = &cfg->sources[s];

		if (only != NULL && strcmp(only, src->id) != 0)
			continue;
		for (i = 0; i < src->nfeeds; i++)
			if (src->feeds[i].url != NULL) {
				fetch_one(src, i, &o, &oc[n]);
				failed |= !oc[n++].ok;
			}
	}
	fxfer_cleanup();
	if (n == 0)
		printf("sankaku-fetch: no feed has a url: nothing to fetch\n");
	if (prom != NULL &&
	    write_prom(prom, oc, n, errbuf, sizeof(errbuf)) != 0) {
		fprintf(stderr, "sankaku-fetch: cannot write the gauges: %s\n",
		    errbuf);
		failed = 1;
	}
	free(oc);
	free(prom_path);
	cfg_free(cfg);
	return failed ? 1 : 0;
}
