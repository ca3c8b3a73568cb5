/*
 * enrich_bench.c: the enrichment alone, in a loop, on events read from a
 * file (one per line).  Prints events/s and the cost split between parsing
 * (jansson) and the rest, as JSON.
 *
 *   enrich_bench CONFIG EVENTS [ROUNDS]
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "enrich.h"

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int
main(int argc, char **argv)
{
	char err[512], *line = NULL;
	size_t cap = 0, n = 0, ncap = 0, i;
	ssize_t len;
	char **ev = NULL;
	size_t *evlen = NULL;
	struct cfg *cfg;
	struct idx *idx = NULL;
	struct enrich_ctx ctx = {0};
	double t0, t_enrich, t_parse;
	int rounds = argc > 3 ? atoi(argv[3]) : 3, r;
	FILE *f;
	unsigned long ok = 0;

	if (argc < 3) {
		fprintf(stderr, "usage: enrich_bench CONFIG EVENTS [ROUNDS]\n");
		return 2;
	}
	if ((cfg = cfg_load(argv[1], err, sizeof(err))) == NULL) {
		fprintf(stderr, "%s\n", err);
		return 1;
	}
	if (cfg->index_path[0] != '\0' &&
	    (idx = idx_load(cfg->index_path, err, sizeof(err))) == NULL) {
		fprintf(stderr, "%s\n", err);
		return 1;
	}
	if ((f = fopen(argv[2], "r")) == NULL) {
		perror(argv[2]);
		return 1;
	}
	while ((len = getline(&line, &cap, f)) > 0) {
		if (n == ncap) {
			ncap = ncap ? ncap * 2 : 1024;
			ev = realloc(ev, ncap * sizeof(*ev));
			evlen = realloc(evlen, ncap * sizeof(*evlen));
		}
		line[strcspn(line, "\n")] = '\0';
		ev[n] = strdup(line);
		evlen[n] = strlen(line);
		n++;
	}
	fclose(f);
	ctx.cfg = cfg;
	ctx.idx = idx;
	ctx.render = render_new(cfg);
	t0 = now_s();
	for (r = 0; r < rounds; r++) {
		for (i = 0; i < n; i++) {
			struct enrich_out out;

			if (enrich_event(&ctx, ev[i], evlen[i], &out) ==
			    ENRICH_OK)
				ok++;
			enrich_out_free(&out);
		}
	}
	t_enrich = now_s() - t0;
	t0 = now_s();
	for (r = 0; r < rounds; r++) {
		for (i = 0; i < n; i++) {
			json_t *j = json_loadb(
			    ev[i], evlen[i], JSON_REJECT_DUPLICATES, NULL);

			json_decref(j);
		}
	}
	t_parse = now_s() - t0;
	printf("{\"events\": %zu, \"rounds\": %d, \"enriched\": %lu, "
	       "\"enrich_per_s\": %.0f, \"us_per_event\": %.2f, "
	       "\"jansson_parse_us_per_event\": %.2f}\n",
	    n, rounds, ok, (double)n * rounds / t_enrich,
	    t_enrich * 1e6 / ((double)n * rounds),
	    t_parse * 1e6 / ((double)n * rounds));
	for (i = 0; i < n; i++)
		free(ev[i]);
	free(ev);
	free(evlen);
	free(line);
	idx_free(idx);
	cfg_free(cfg);
	return 0;
}
