/*
 * fmfeed.c: a MISP feed brought to its file (see fmfeed.h), as MISP
 * publishes one (CIRCL's OSINT feed, botvrij.eu, an ISAC's to its
 * members): a directory on a web site whose manifest.json names every
 * event by its UUID with the time it last changed, each event in
 * UUID.json.
 *
 * The events changed in the feed's last "days" are asked for and written
 * together as one array [{"Event": ...}, ...], which the misp format
 * reads.  Each event is kept beside the file (.NAME.events/UUID.TS.json,
 * TS the time it last changed), so that the next fetch asks only for
 * the events changed since; those no longer wanted go.  An event that
 * cannot be fetched fails the feed (the copy there stays), and the
 * events already kept are not asked for again by the next run.
 */

#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "fmfeed.h"

#define MAX_EVENTS 50000
#define EVENT_NAME 64 /* "UUID.TS.json" and its NUL */

/* base's file name (base with a '/' added when it has none), malloc'd. */
static char *
feed_url(const char *base, const char *name)
{
	size_t n = strlen(base);
	int slash = n > 0 && base[n - 1] == '/';
	char *url = malloc(n + 1 + strlen(name) + 1);

	if (url != NULL)
		sprintf(url, "%s%s%s", base, slash ? "" : "/", name);
	return url;
}

/* The name an event is kept under. */
static void
kept_name(const struct fpage_event *e, char name[EVENT_NAME])
{
	snprintf(name, EVENT_NAME, "%s.%lld.json", e->uuid, e->ts);
}

/* dir/name into path; -1 when it does not fit. */
static int
join(char *path, size_t room, const char *dir, const char *name)
{
	int n = snprintf(path, room, "%s/%s", dir, name);

	return n < 0 || (size_t)n >= room ? -1 : 0;
}

/* One event kept: already there, or fetched from the feed.  0, or -1
 * with why. */
static int
take_event(struct job *j, const char *dir, const struct fpage_event *e,
    size_t *bytes, size_t *fetched)
{
	char name[EVENT_NAME], path[PATH_MAX], err[256], file[48], *url;
	struct fxfer_req r;
	struct fxfer_res res;
	struct afile a;
	int rc = -1;

	kept_name(e, name);
	if (join(path, sizeof(path), dir, name) != 0) {
		snprintf(j->why, sizeof(j->why), "%s: a path too long", dir);
		return -1;
	}
	if (access(path, R_OK) == 0)
		return 0;
	snprintf(file, sizeof(file), "%s.json", e->uuid);
	if ((url = feed_url(j->fd->url, file)) == NULL) {
		snprintf(j->why, sizeof(j->why), "out of memory");
		return -1;
	}
	if (job_file(&a, path, err, sizeof(err)) != 0) {
		snprintf(j->why, sizeof(j->why), "cannot keep event %s: %s",
		    e->uuid, err);
		free(url);
		return -1;
	}
	r = job_req(j, url, "application/json");
	r.out = a.f;
	if (fxfer_run(&r, &res) != 0)
		snprintf(j->why, sizeof(j->why), "%s", res.err);
	else {
		*bytes += res.len;
		if (job_status(j, &res) == 0 &&
		    job_good(j, &a, &res, 1, "Event") == 0)
			rc = af_commit(&a, err, sizeof(err)) == 0 ? 0 : -2;
	}
	if (rc == -2)
		snprintf(j->why, sizeof(j->why), "cannot keep: %s", err);
	if (rc != 0) { /* named: the event that stopped the feed */
		char why[sizeof(j->why)];

		snprintf(why, sizeof(why), "event %s: %.400s", e->uuid, j->why);
		memcpy(j->why, why, sizeof(why));
		rc = -1;
	}
	af_abort(&a);
	free(url);
	*fetched += rc == 0;
	return rc;
}

/* The feed's file: the kept events, oldest first, as one array.  0, or
 * -1 with why. */
static int
write_feed(
    struct job *j, const char *dir, const struct fpage_event *ev, size_t n)
{
	char name[EVENT_NAME], path[PATH_MAX], buf[65536];
	size_t i, got, skip;
	FILE *f;

	if (job_open(j) != 0)
		return -1;
	putc('[', j->a.f);
	for (i = 0; i < n; i++) {
		kept_name(&ev[i], name);
		if (join(path, sizeof(path), dir, name) != 0 ||
		    (f = fopen(path, "r")) == NULL) {
			snprintf(j->why, sizeof(j->why),
			    "cannot read %.300s: %s", path, strerror(errno));
			return -1;
		}
		if (i > 0)
			fputs(",\n", j->a.f);
		/* a byte-order mark may begin a document, not an element */
		got = fread(buf, 1, sizeof(buf), f);
		skip = got >= 3 && memcmp(buf, "\xef\xbb\xbf", 3) == 0 ? 3 : 0;
		fwrite(buf + skip, 1, got - skip, j->a.f);
		while ((got = fread(buf, 1, sizeof(buf), f)) > 0)
			fwrite(buf, 1, got, j->a.f);
		fclose(f);
	}
	fputs("]\n", j->a.f);
	return job_commit(j);
}

static int
by_name(const void *a, const void *b)
{
	return strcmp((const char *)a, (const char *)b);
}

/* What is kept and no longer wanted goes (an event changed again, or
 * older than asked for, a temporary file a crash left). */
static void
prune(const char *dir, const struct fpage_event *ev, size_t n)
{
	char(*want)[EVENT_NAME] = calloc(n + 1, EVENT_NAME), path[PATH_MAX];
	struct dirent *d;
	DIR *dp;
	size_t i;

	if (want == NULL || (dp = opendir(dir)) == NULL) {
		free(want);
		return;
	}
	for (i = 0; i < n; i++)
		kept_name(&ev[i], want[i]);
	qsort(want, n, EVENT_NAME, by_name);
	while ((d = readdir(dp)) != NULL) {
		if (strcmp(d->d_name, ".") == 0 ||
		    strcmp(d->d_name, "..") == 0 ||
		    bsearch(d->d_name, want, n, EVENT_NAME, by_name) != NULL)
			continue;
		if (join(path, sizeof(path), dir, d->d_name) == 0)
			unlink(path);
	}
	closedir(dp);
	free(want);
}

/* The manifest, read: the events wanted into *ev.  0, or -1 with why. */
static int
read_manifest(struct job *j, struct fpage_event **ev, size_t *n, size_t *total,
    size_t *bytes)
{
	char *url = feed_url(j->fd->url, "manifest.json"), err[256] = "";
	long long since =
	    (long long)time(NULL) - (long long)j->fd->days * 86400;
	struct fxfer_req r;
	struct fxfer_res res;
	size_t bad = 0;
	int rc = -1;

	if (url == NULL) {
		snprintf(j->why, sizeof(j->why), "out of memory");
		return -1;
	}
	r = job_req(j, url, "application/json");
	if (fxfer_run(&r, &res) != 0)
		snprintf(err, sizeof(err), "%s", res.err);
	else if ((*bytes += res.len, job_status(j, &res)) != 0)
		snprintf(err, sizeof(err), "%.200s", j->why);
	else if (fpage_manifest(res.body, res.len, since, MAX_EVENTS, ev, n,
		     total, &bad, err, sizeof(err)) == 0)
		rc = 0;
	if (rc != 0)
		snprintf(j->why, sizeof(j->why), "manifest.json: %s", err);
	else if (bad > 0)
		printf("sankaku-fetch: %s feeds[%zu]: manifest.json: %zu "
		       "event%s not asked for (a name that is not a UUID, or "
		       "no timestamp)\n",
		    j->src->id, j->i, bad, bad == 1 ? "" : "s");
	free(res.body);
	free(url);
	return rc;
}

int
fmfeed_fetch(struct job *j, size_t *bytes)
{
	struct fpage_event *ev = NULL;
	size_t n = 0, total = 0, i, fetched = 0;
	char *dir = fpage_events_dir(j->fd->path);
	int rc = -1;

	if (dir == NULL) {
		snprintf(j->why, sizeof(j->why), "out of memory");
		return -1;
	}
	if (read_manifest(j, &ev, &n, &total, bytes) != 0)
		goto out;
	if (mkdir(dir, 0750) != 0 && errno != EEXIST) {
		snprintf(j->why, sizeof(j->why), "cannot make %.300s: %s", dir,
		    strerror(errno));
		goto out;
	}
	for (i = 0; i < n; i++)
		if (take_event(j, dir, &ev[i], bytes, &fetched) != 0)
			goto out;
	if (write_feed(j, dir, ev, n) != 0)
		goto out;
	prune(dir, ev, n);
	snprintf(j->said, sizeof(j->said),
	    "%zu event%s changed in the last %d day%s (of %zu in the "
	    "manifest): %zu fetched, %zu kept from before; %zu bytes into %s",
	    n, n == 1 ? "" : "s", j->fd->days, j->fd->days == 1 ? "" : "s",
	    total, fetched, n - fetched, *bytes, j->fd->path);
	rc = 0;
out:
	free(ev);
	free(dir);
	return rc;
}
