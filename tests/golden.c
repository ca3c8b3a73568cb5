/*
 * golden.c: enrichment against golden files.
 *
 *   golden DIR
 *
 * Each DIR/<case>/ holds config.json, optionally index (an indicator
 * index), input.json (one EVE event) and either expected.json (the whole
 * enriched alert), expected-skip (a non-alert) or expected-error (the
 * dead-letter reason).  Outputs are compared after a sorted, compact dump.
 * With UPDATE_GOLDEN=1 the expected.json files are rewritten (review the
 * diff before committing).  Prints "N passed, N failed".
 */

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>

#include "enrich.h"

/* Read a file; NULL if absent. */
static char *
slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;

	if (f == NULL)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	if ((buf = calloc(1, (size_t)n + 1)) == NULL ||
	    fread(buf, 1, (size_t)n, f) != (size_t)n) {
		free(buf);
		fclose(f);
		return NULL;
	}
	fclose(f);
	*len = (size_t)n;
	return buf;
}

/* Canonical text of a JSON document. */
static char *
canon(const char *text, size_t len)
{
	json_t *j = json_loadb(text, len, 0, NULL);
	char *s;

	if (j == NULL)
		return NULL;
	s = json_dumps(j, JSON_SORT_KEYS | JSON_COMPACT | JSON_ENSURE_ASCII);
	json_decref(j);
	return s;
}

/* Run one case; 0 if it passes. */
static int
run_case(const char *dir, const char *name)
{
	char p[1024], err[512];
	struct cfg *cfg;
	struct idx *idx = NULL;
	struct enrich_ctx ctx = {0};
	struct enrich_out out;
	struct render *tables = NULL;
	enum enrich_status st;
	char *input, *want;
	size_t ilen, wlen;
	int rv = 1;

	snprintf(p, sizeof(p), "%s/%s/config.json", dir, name);
	if ((cfg = cfg_load(p, err, sizeof(err))) == NULL) {
		printf("FAIL %s: config: %s\n", name, err);
		return 1;
	}
	snprintf(p, sizeof(p), "%s/%s/index", dir, name);
	if (access(p, R_OK) == 0 &&
	    (idx = idx_load(p, err, sizeof(err))) == NULL) {
		printf("FAIL %s: index: %s\n", name, err);
		cfg_free(cfg);
		return 1;
	}
	snprintf(p, sizeof(p), "%s/%s/input.json", dir, name);
	if ((input = slurp(p, &ilen)) == NULL) {
		printf("FAIL %s: no input.json\n", name);
		goto done_cfg;
	}
	while (ilen > 0 && input[ilen - 1] == '\n')
		ilen--; /* the file's newline is not part of the event */
	ctx.cfg = cfg;
	ctx.idx = idx;
	ctx.render = tables = render_new(cfg);
	st = enrich_event(&ctx, input, ilen, &out);

	snprintf(p, sizeof(p), "%s/%s/expected-error", dir, name);
	if ((want = slurp(p, &wlen)) != NULL) {
		want[strcspn(want, "\n")] = '\0';
		if (st != ENRICH_REJECTED || strcmp(out.reason, want) != 0)
			printf("FAIL %s: want reject '%s', got status %d "
			       "reason '%s'\n",
			    name, want, st, out.reason);
		else
			rv = 0;
		goto done;
	}
	snprintf(p, sizeof(p), "%s/%s/expected-skip", dir, name);
	if (access(p, R_OK) == 0) {
		if (st != ENRICH_SKIPPED)
			printf("FAIL %s: want skipped, got %d\n", name, st);
		else
			rv = 0;
		goto done;
	}
	if (st != ENRICH_OK) {
		printf("FAIL %s: status %d reason %s (%s)\n", name, st,
		    out.reason, out.detail);
		goto done;
	}
	snprintf(p, sizeof(p), "%s/%s/expected.json", dir, name);
	if (getenv("UPDATE_GOLDEN") != NULL) {
		json_t *j = json_loadb(out.json, out.len, 0, NULL);

		json_dump_file(j, p, JSON_INDENT(2) | JSON_SORT_KEYS);
		json_decref(j);
		printf("updated %s\n", p);
		rv = 0;
		goto done;
	}
	if ((want = slurp(p, &wlen)) == NULL) {
		printf("FAIL %s: no expected.json\n", name);
		goto done;
	}
	{
		char *a = canon(out.json, out.len), *b = canon(want, wlen);

		if (a == NULL || b == NULL || strcmp(a, b) != 0)
			printf("FAIL %s:\n  got  %s\n  want %s\n", name,
			    a ? a : "(invalid JSON)", b ? b : "(invalid)");
		else
			rv = 0;
		free(a);
		free(b);
	}
done:
	free(want);
	enrich_out_free(&out);
	render_free(tables);
	free(input);
done_cfg:
	idx_free(idx);
	cfg_free(cfg);
	return rv;
}

static int
cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int
main(int argc, char **argv)
{
	DIR *d;
	struct dirent *e;
	char *names[512];
	size_t n = 0, i;
	int pass = 0, fail = 0;

	if (argc != 2) {
		fprintf(stderr, "usage: golden DIR\n");
		return 2;
	}
	if ((d = opendir(argv[1])) == NULL) {
		perror(argv[1]);
		return 2;
	}
	while ((e = readdir(d)) != NULL && n < 512)
		if (e->d_name[0] != '.')
			names[n++] = strdup(e->d_name);
	closedir(d);
	qsort(names, n, sizeof(names[0]), cmp);
	for (i = 0; i < n; i++) {
		if (run_case(argv[1], names[i]) == 0)
			pass++;
		else
			fail++;
		free(names[i]);
	}
	printf("golden: %d passed, %d failed\n", pass, fail);
	return fail == 0 && pass > 0 ? 0 : 1;
}
