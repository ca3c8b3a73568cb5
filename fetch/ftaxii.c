/*
 * ftaxii.c: a TAXII 2.1 collection brought to its file (see ftaxii.h):
 * every page, following "next", written page by page as one envelope
 * {"objects": [...]}; then, while the server dates its pages, only the
 * objects added after the copy's newest, added to the copy's own (a
 * whole fetch again each day, so that what the server dropped goes).
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "fjob.h"
#include "ftaxii.h"

#define TAXII_ACCEPT "application/taxii+json;version=2.1"
#define MAX_PAGES 10000
#define TAXII_WHOLE_S 86400 /* a collection fetched whole at least daily */
#define TAXII_WHOLE 1	    /* adding to the copy cannot be: fetch whole */

/* Write a page's objects into the envelope being written; n counts the
 * objects so far.  0, or -1 when the file cannot be written. */
static int
put_objects(FILE *out, json_t *objs, size_t *n)
{
	json_t *o;
	size_t k;

	json_array_foreach (objs, k, o) {
		if ((*n > 0 && putc(',', out) == EOF) ||
		    json_dumpf(o, out, JSON_COMPACT) != 0)
			return -1;
		(*n)++;
	}
	return 0;
}

/* The objects of the copy there, when it is an envelope sankaku-fetch
 * wrote ({"objects":[ ... ]} and a newline), copied into the new copy:
 * 1 when it held some, 0 when none, -1 when it is not such a copy or
 * cannot be read (then the collection is fetched whole).  A write error
 * shows when the new copy is committed. */
static int
copy_kept(struct job *j)
{
	static const char open_[] = "{\"objects\":[", close_[] = "]}\n";
	const long lo = sizeof(open_) - 1, lc = sizeof(close_) - 1;
	char buf[65536];
	FILE *f = fopen(j->fd->path, "r");
	long size = -1, left;
	size_t n;

	if (f == NULL)
		return -1;
	if (fseek(f, 0, SEEK_END) != 0 || (size = ftell(f)) < lo + lc ||
	    fseek(f, size - lc, SEEK_SET) != 0 ||
	    fread(buf, 1, (size_t)lc, f) != (size_t)lc ||
	    memcmp(buf, close_, (size_t)lc) != 0 ||
	    fseek(f, 0, SEEK_SET) != 0 ||
	    fread(buf, 1, (size_t)lo, f) != (size_t)lo ||
	    memcmp(buf, open_, (size_t)lo) != 0) {
		fclose(f);
		return -1;
	}
	for (left = size - lo - lc; left > 0; left -= (long)n) {
		n = fread(buf, 1,
		    left < (long)sizeof(buf) ? (size_t)left : sizeof(buf), f);
		if (n == 0)
			break;
		fwrite(buf, 1, n, j->a.f);
	}
	fclose(f);
	return left > 0 ? -1 : size > lo + lc;
}

/* The pages of a TAXII collection into the new copy as one envelope,
 * written page by page (a large collection is never held whole).  With
 * j->since set, only the objects added after it, behind the copy's own;
 * none is not a new copy.  0; -1 with why; or TAXII_WHOLE with why: the
 * copy is not one to add to, or the server did not filter (the first
 * object it sent was not added after j->since), so fetch it whole. */
static int
taxii_pages(struct job *j, size_t *bytes, size_t *pages)
{
	char *base = NULL, *url = NULL, *next = NULL, *last = NULL, err[256];
	size_t nobj = 0;
	int rc = -1, kept = 0, dated = 1;

	if (job_open(j) != 0)
		return -1;
	if (fputs("{\"objects\":[", j->a.f) == EOF)
		goto unwritable;
	if (j->since[0] != '\0' && (kept = copy_kept(j)) < 0) {
		snprintf(j->why, sizeof(j->why),
		    "the copy at %s is not one sankaku-fetch wrote",
		    j->fd->path);
		rc = TAXII_WHOLE;
		goto out;
	}
	nobj = (size_t)kept;
	base = j->since[0] != '\0'
	    ? fpage_url_add(j->fd->url, "added_after", j->since)
	    : strdup(j->fd->url);
	if (base == NULL || (url = strdup(base)) == NULL)
		goto oom;
	while (url != NULL) {
		struct fxfer_req r = job_req(j, url, TAXII_ACCEPT);
		struct fxfer_res res;
		json_t *objs;

		if (fxfer_run(&r, &res) != 0) {
			snprintf(j->why, sizeof(j->why), "page %zu: %s",
			    *pages + 1, res.err);
			goto out;
		}
		(*pages)++;
		*bytes += res.len;
		if (job_status(j, &res) != 0) {
			free(res.body);
			goto out;
		}
		if (j->since[0] != '\0' && last == NULL &&
		    res.added_first[0] != '\0' &&
		    !fpage_taxii_later(res.added_first, j->since)) {
			snprintf(j->why, sizeof(j->why),
			    "the server sent objects added at %s, not after "
			    "%s (it ignores added_after?)",
			    res.added_first, j->since);
			free(res.body);
			rc = TAXII_WHOLE;
			goto out;
		}
		objs = json_array();
		if (fpage_taxii_take(res.body, res.len, objs, &next, err,
			sizeof(err)) != 0) {
			snprintf(j->why, sizeof(j->why), "page %zu: %s", *pages,
			    err);
			json_decref(objs);
			free(res.body);
			goto out;
		}
		free(res.body);
		/* where the next fetch starts: the last page's newest */
		if (json_array_size(objs) > 0 && res.added_last[0] == '\0')
			dated = 0;
		else if (res.added_last[0] != '\0')
			snprintf(j->side.added_last, sizeof(j->side.added_last),
			    "%s", res.added_last);
		j->added += json_array_size(objs);
		if (put_objects(j->a.f, objs, &nobj) != 0) {
			json_decref(objs);
			goto unwritable;
		}
		json_decref(objs);
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
		next = NULL;
		if ((url = fpage_url_add(base, "next", last)) == NULL)
			goto oom;
	}
	if (!dated) /* a page without its dates: the next fetch is whole */
		j->side.added_last[0] = '\0';
	if (j->since[0] != '\0' && j->added == 0) {
		/* nothing added: the copy stays as it is */
		snprintf(j->said, sizeof(j->said),
		    "nothing added since %s (%s)", j->since, j->fd->path);
		rc = 0;
		goto out;
	}
	if (fputs("]}\n", j->a.f) == EOF)
		goto unwritable;
	if ((rc = job_commit(j)) != 0)
		goto out;
	if (j->since[0] != '\0')
		snprintf(j->said, sizeof(j->said),
		    "%zu object%s added since %s, %zu bytes in %zu page%s, "
		    "into %s",
		    j->added, j->added == 1 ? "" : "s", j->since, *bytes,
		    *pages, *pages == 1 ? "" : "s", j->fd->path);
	else
		snprintf(j->said, sizeof(j->said),
		    "%zu bytes in %zu page%s into %s", *bytes, *pages,
		    *pages == 1 ? "" : "s", j->fd->path);
	goto out;
oom:
	snprintf(j->why, sizeof(j->why), "out of memory");
	goto out;
unwritable:
	snprintf(j->why, sizeof(j->why), "cannot write %.300s: %s", j->a.tmp,
	    strerror(errno));
out:
	free(base);
	free(url);
	free(next);
	free(last);
	return rc;
}

/* A URL as 16 hex digits (FNV-1a), kept with the collection's date: a
 * copy fetched from another URL (the config changed) is fetched whole. */
static void
url_sum(const char *url, char out[17])
{
	unsigned long long h = 14695981039346656037ULL;

	for (; *url != '\0'; url++)
		h = (h ^ (unsigned char)*url) * 1099511628211ULL;
	snprintf(out, 17, "%016llx", h);
}

int
ftaxii_fetch(struct job *j, size_t *bytes, size_t *pages, int *unchanged)
{
	struct fpage_validators last;
	long long now = (long long)time(NULL);
	char sum[17];
	int rc;

	fpage_validators_read(j->fd->path, &last);
	url_sum(j->fd->url, sum);
	if (!j->o->whole && last.added_last[0] != '\0' && last.whole_at > 0 &&
	    last.whole_at <= now && now - last.whole_at < TAXII_WHOLE_S &&
	    strcmp(last.url_sum, sum) == 0) {
		snprintf(j->since, sizeof(j->since), "%s", last.added_last);
		j->side = last;
		if ((rc = taxii_pages(j, bytes, pages)) != TAXII_WHOLE) {
			*unchanged = rc == 0 && j->added == 0;
			return rc;
		}
		af_abort(&j->a);
		printf("sankaku-fetch: %s feeds[%zu]: %s: fetched whole\n",
		    j->src->id, j->i, j->why);
	}
	j->since[0] = '\0';
	j->added = 0;
	memset(&j->side, 0, sizeof(j->side));
	j->side.whole_at = now;
	memcpy(j->side.url_sum, sum, sizeof(sum));
	return taxii_pages(j, bytes, pages);
}
