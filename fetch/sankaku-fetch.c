/*
 * sankaku-fetch.c: bring every feed whose config entry has a "url" to its
 * "path", so that sankaku-rules reads each source's latest.
 *
 *   sankaku-fetch -c FILE [--source ID] [--max-mb N] [--timeout S]
 *                 [--prom FILE]
 *
 * By the entry's "fetch":
 *   get    the whole file (a blocklist, a STIX bundle, a MISP export),
 *          asked with what the server said of the last copy (ETag,
 *          Last-Modified): "304 Not Modified" leaves it as it is;
 *   taxii  every page of a TAXII 2.1 collection's objects, following
 *          "next", written as one envelope {"objects": [...]};
 *   misp   a restSearch POSTed with the key (the feed's "query", or the
 *          IDS attributes of the last 30 days' published events).
 * A file is replaced in one rename, and only by a reply that looks like
 * its format (JSON that parses; no HTML page for a CSV); otherwise the
 * copy there stays, and sankaku-rules goes on with it.  Only https, the
 * server's certificate checked; the key is read from key_file and never
 * printed, nor is a URL (its query may carry a token).
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
#include <sys/stat.h>

#include <err.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "config.h"
#include "fpage.h"
#include "fxfer.h"
#include "keyfile.h"
#include "prom.h"

#ifndef SANKAKU_VERSION
#define SANKAKU_VERSION "0.0.0"
#endif

#define TAXII_ACCEPT "application/taxii+json;version=2.1"
#define MAX_PAGES 10000

struct opts {
	size_t max_bytes;
	long timeout_s;
};

/* One feed being fetched: what to say about it, and its new copy. */
struct job {
	const struct cfg_source *src;
	const struct cfg_feed *fd;
	size_t i;
	const struct opts *o;
	char *key; /* the Authorization value, or NULL */
	char *tmp; /* the new copy, beside the file */
	FILE *out;
	struct fpage_validators side; /* kept beside the file on success */
	char why[512];
};

/* What became of one feed, for the summary and the gauges. */
struct outcome {
	const char *source, *path;
	size_t bytes, pages;
	int ok, unchanged;
	long long ok_at; /* the last success, this run's or an earlier */
};

/* A new copy beside the file: ".NAME.XXXXXX", mode 0640. */
static int
job_open(struct job *j)
{
	const char *path = j->fd->path, *slash = strrchr(path, '/');
	size_t dir = slash != NULL ? (size_t)(slash - path) + 1 : 0;
	int fd;

	if ((j->tmp = malloc(strlen(path) + 9)) == NULL)
		return -1;
	sprintf(j->tmp, "%.*s.%s.XXXXXX", (int)dir, path, path + dir);
	if ((fd = mkstemp(j->tmp)) < 0 || fchmod(fd, 0640) != 0 ||
	    (j->out = fdopen(fd, "w+")) == NULL) {
		snprintf(j->why, sizeof(j->why), "cannot write beside %s: %s",
		    path, strerror(errno));
		if (fd >= 0) {
			close(fd);
			unlink(j->tmp);
		}
		free(j->tmp);
		j->tmp = NULL;
		return -1;
	}
	return 0;
}

/* The new copy made the file, in one rename; 0 or -1 with why. */
static int
job_commit(struct job *j)
{
	FILE *out = j->out;

	j->out = NULL;
	if (fflush(out) != 0 || fsync(fileno(out)) != 0) {
		snprintf(j->why, sizeof(j->why), "cannot write %s: %s", j->tmp,
		    strerror(errno));
		fclose(out);
		return -1;
	}
	if (fclose(out) != 0 || rename(j->tmp, j->fd->path) != 0) {
		snprintf(j->why, sizeof(j->why), "cannot replace %s: %s",
		    j->fd->path, strerror(errno));
		return -1;
	}
	free(j->tmp);
	j->tmp = NULL;
	return 0;
}

/* Drop what is left of a new copy. */
static void
job_end(struct job *j)
{
	if (j->out != NULL)
		fclose(j->out);
	if (j->tmp != NULL)
		unlink(j->tmp);
	free(j->tmp);
	keyfile_free(j->key);
}

/* A request with the job's key, CA and limits. */
static struct fxfer_req
job_req(const struct job *j, const char *url, const char *accept)
{
	struct fxfer_req r = {url, j->key, j->fd->ca_file, accept, NULL, NULL,
	    NULL, j->o->max_bytes, j->o->timeout_s};

	return r;
}

/* The reply's status, when it is not 200: why. */
static int
job_status(struct job *j, const struct fxfer_res *res)
{
	if (res->status == 200)
		return 0;
	snprintf(j->why, sizeof(j->why), "HTTP %ld%s", res->status,
	    res->status == 401 || res->status == 403
		? " (the key in key_file refused?)"
		: "");
	return -1;
}

/* get: the whole file, unless unchanged since the copy there. */
static int
fetch_get(struct job *j, size_t *bytes, int *unchanged)
{
	struct fpage_validators since;
	struct fxfer_req r = job_req(j, j->fd->url, "*/*");
	struct fxfer_res res;
	int json = strcmp(j->fd->format, "csv") != 0, c;

	if (access(j->fd->path, R_OK) == 0) {
		fpage_validators_read(j->fd->path, &since);
		r.since = &since;
	}
	if (job_open(j) != 0)
		return -1;
	r.out = j->out;
	if (fxfer_run(&r, &res) != 0) {
		snprintf(j->why, sizeof(j->why), "%s", res.err);
		return -1;
	}
	if (res.status == 304 && r.since != NULL) {
		*unchanged = 1;
		j->side = since; /* the same copy, checked now */
		return 0;
	}
	if (job_status(j, &res) != 0)
		return -1;
	*bytes = res.len;
	rewind(j->out);
	while ((c = getc(j->out)) == ' ' || c == '\t' || c == '\r' || c == '\n')
		;
	if (strncasecmp(res.content_type, "text/html", 9) == 0 || c == '<') {
		snprintf(j->why, sizeof(j->why),
		    "an HTML page came, not the feed (a login or a proxy's "
		    "page?)");
		return -1;
	}
	if (json) {
		json_error_t je;
		json_t *doc;

		rewind(j->out);
		if ((doc = json_loadf(j->out, JSON_ALLOW_NUL, &je)) == NULL) {
			snprintf(j->why, sizeof(j->why),
			    "not JSON: %.120s at byte %d", je.text,
			    je.position);
			return -1;
		}
		json_decref(doc);
	}
	j->side = res.got;
	return job_commit(j);
}

/* taxii: every page of the collection, as one envelope. */
static int
fetch_taxii(struct job *j, size_t *bytes, size_t *pages)
{
	json_t *objects = json_array(), *env;
	char *url = strdup(j->fd->url), *next = NULL, *last = NULL;
	int rc = -1;

	while (url != NULL && objects != NULL) {
		struct fxfer_req r = job_req(j, url, TAXII_ACCEPT);
		struct fxfer_res res;
		char err[256];

		if (fxfer_run(&r, &res) != 0) {
			snprintf(j->why, sizeof(j->why), "page %zu: %s",
			    *pages + 1, res.err);
			goto out;
		}
		(*pages)++;
		*bytes += res.len;
		if (job_status(j, &res) != 0 ||
		    fpage_taxii_take(res.body, res.len, objects, &next, err,
			sizeof(err)) != 0) {
			if (res.status == 200)
				snprintf(j->why, sizeof(j->why), "page %zu: %s",
				    *pages, err);
			free(res.body);
			goto out;
		}
		free(res.body);
		free(url);
		url = NULL;
		if (next == NULL)
			break;
		if (*pages >= MAX_PAGES ||
		    (last != NULL && strcmp(last, next) == 0) ||
		    *bytes > j->o->max_bytes) {
			snprintf(j->why, sizeof(j->why),
			    "page %zu: the server keeps saying \"more\" (the "
			    "same \"next\", or past %d pages or the size "
			    "limit)",
			    *pages, MAX_PAGES);
			goto out;
		}
		free(last);
		last = next;
		url = fpage_taxii_url(j->fd->url, next);
		next = NULL;
	}
	if (objects == NULL || job_open(j) != 0)
		goto out;
	env = json_pack("{s:O}", "objects", objects);
	if (env == NULL || json_dumpf(env, j->out, JSON_COMPACT) != 0)
		snprintf(j->why, sizeof(j->why), "cannot write %s", j->tmp);
	else
		rc = job_commit(j);
	json_decref(env);
out:
	json_decref(objects);
	free(url);
	free(next);
	free(last);
	return rc;
}

/* misp: one restSearch, its reply the file. */
static int
fetch_misp(struct job *j, size_t *bytes)
{
	struct fxfer_req r = job_req(j, j->fd->url, "application/json");
	struct fxfer_res res;
	char err[256];
	int rc = -1;

	r.post = j->fd->query != NULL ? j->fd->query : fpage_misp_query;
	if (fxfer_run(&r, &res) != 0) {
		snprintf(j->why, sizeof(j->why), "%s", res.err);
		return -1;
	}
	*bytes = res.len;
	if (job_status(j, &res) != 0)
		;
	else if (fpage_misp_check(res.body, res.len, err, sizeof(err)) != 0)
		snprintf(j->why, sizeof(j->why), "%s", err);
	else if (job_open(j) == 0) {
		if (fwrite(res.body, 1, res.len, j->out) != res.len)
			snprintf(
			    j->why, sizeof(j->why), "cannot write %s", j->tmp);
		else
			rc = job_commit(j);
	}
	free(res.body);
	return rc;
}

/* One feed: fetched, unchanged, or failed with its copy kept; said on
 * stdout or stderr. */
static void
fetch_one(const struct cfg_source *src, size_t i, const struct opts *o,
    struct outcome *out)
{
	struct job j = {
	    src, &src->feeds[i], i, o, NULL, NULL, NULL, {"", "", 0}, ""};
	struct fpage_validators last;
	int rc = -1;

	*out = (struct outcome){src->id, j.fd->path, 0, 0, 0, 0, 0};
	if (j.fd->key_file[0] != '\0' &&
	    (j.key = keyfile_read(j.fd->key_file, j.why, sizeof(j.why))) ==
		NULL)
		;
	else if (j.fd->fetch == FETCH_TAXII)
		rc = fetch_taxii(&j, &out->bytes, &out->pages);
	else if (j.fd->fetch == FETCH_MISP)
		rc = fetch_misp(&j, &out->bytes);
	else
		rc = fetch_get(&j, &out->bytes, &out->unchanged);
	job_end(&j);
	out->ok = rc == 0;
	if (rc == 0) {
		j.side.ok_at = out->ok_at = (long long)time(NULL);
		if (fpage_validators_write(j.fd->path, &j.side) != 0)
			fprintf(stderr,
			    "sankaku-fetch: %s feeds[%zu]: cannot write "
			    "beside %s: %s (the next fetch is whole)\n",
			    src->id, i, j.fd->path, strerror(errno));
	} else {
		fpage_validators_read(j.fd->path, &last);
		out->ok_at = last.ok_at;
		fprintf(stderr,
		    "sankaku-fetch: %s feeds[%zu]: %s; the copy at %s "
		    "stays\n",
		    src->id, i, j.why, j.fd->path);
		return;
	}
	if (out->unchanged)
		printf("sankaku-fetch: %s feeds[%zu]: unchanged since the "
		       "last fetch (%s)\n",
		    src->id, i, j.fd->path);
	else if (out->pages > 0)
		printf("sankaku-fetch: %s feeds[%zu]: %zu bytes in %zu "
		       "page%s into %s\n",
		    src->id, i, out->bytes, out->pages,
		    out->pages == 1 ? "" : "s", j.fd->path);
	else
		printf("sankaku-fetch: %s feeds[%zu]: %zu bytes into %s\n",
		    src->id, i, out->bytes, j.fd->path);
}

/* The run's gauges, for node_exporter's textfile collector: written
 * aside and renamed.  0, or -1 with errno. */
static int
write_prom(const char *path, const struct outcome *oc, size_t n)
{
	struct prom p;
	char *text, *tmp = NULL;
	FILE *f = NULL;
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
	    "Bytes received for the feed this run (0: unchanged or failed).");
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
	if ((text = prom_text(&p)) == NULL ||
	    (tmp = malloc(strlen(path) + 8)) == NULL) {
		errno = ENOMEM;
		goto out;
	}
	sprintf(tmp, "%s.new", path);
	if ((f = fopen(tmp, "w")) == NULL)
		goto out;
	if (fputs(text, f) == EOF || fclose(f) != 0) {
		unlink(tmp);
		goto out;
	}
	if (rename(tmp, path) != 0)
		unlink(tmp);
	else
		rc = 0;
out:
	free(text);
	free(tmp);
	return rc;
}

static void __attribute__((noreturn)) usage(int status)
{
	fprintf(status == 0 ? stdout : stderr,
	    "usage: sankaku-fetch -c FILE [--source ID] [--max-mb N] "
	    "[--timeout SECONDS] [--prom FILE]\n");
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
	    {"version", no_argument, NULL, 'V'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	struct opts o = {(size_t)256 << 20, 600};
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
	if (prom != NULL && write_prom(prom, oc, n) != 0) {
		fprintf(stderr, "sankaku-fetch: cannot write %s: %s\n", prom,
		    strerror(errno));
		failed = 1;
	}
	free(oc);
	free(prom_path);
	cfg_free(cfg);
	return failed ? 1 : 0;
}
