/*
 * fetch.c: one feed brought to its path (see fetch.h), by its "fetch":
 *
 *   get    the whole file, asked with the last copy's validators (ETag,
 *          Last-Modified) so that "304 Not Modified" leaves it as it is;
 *   taxii  every page of a TAXII 2.1 collection, following "next",
 *          written page by page as one envelope {"objects": [...]};
 *          then, while the server dates its pages, only the objects
 *          added after the copy's newest, added to the copy's own (a
 *          whole fetch again each day, so that what the server dropped
 *          goes);
 *   misp   a restSearch POSTed with the key.
 *
 * The new copy is written beside the file under a temporary name and
 * renamed over it only when the reply is good (status 200; not an HTML
 * page; for JSON formats, the first and last bytes of a whole document),
 * so a failure leaves the copy there.  On success the validators, the
 * collection's date and the time are kept beside it (.NAME.fetch).
 */

#include <sys/stat.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "afile.h"
#include "fetch.h"
#include "fpage.h"
#include "fxfer.h"
#include "keyfile.h"

#define TAXII_ACCEPT "application/taxii+json;version=2.1"
#define MAX_PAGES 10000
#define HEAD 256 /* bytes of a reply looked at to know its kind */
#define TAIL 64
#define TAXII_WHOLE_S 86400 /* a collection fetched whole at least daily */
#define TAXII_WHOLE 1	    /* adding to the copy cannot be: fetch whole */

/* One feed being fetched: what to say about it, and its new copy. */
struct job {
	const struct cfg_source *src;
	const struct cfg_feed *fd;
	size_t i;
	const struct opts *o;
	char *key; /* the Authorization value, or NULL */
	/* the TLS client certificate and key, systemd's copies if any */
	const char *cert, *cert_key;
	char cert_buf[4096], cert_key_buf[4096];
	struct afile a;		      /* the new copy, beside the file */
	struct fpage_validators side; /* kept beside the file on success */
	char why[512];
	/* taxii: the copy's newest date_added, when only what was added
	 * after it is asked ("" when the collection is fetched whole), and
	 * the objects the pages brought */
	char since[64];
	size_t added;
};

/* A new copy beside the file, mode 0640 (a feed may be TLP:AMBER). */
static int
job_open(struct job *j)
{
	char err[256];

	if (af_open_path(&j->a, j->fd->path, err, sizeof(err)) != 0 ||
	    fchmod(fileno(j->a.f), 0640) != 0) {
		if (j->a.f != NULL)
			snprintf(err, sizeof(err), "%s", strerror(errno));
		snprintf(j->why, sizeof(j->why), "cannot write beside %s: %s",
		    j->fd->path, err);
		af_abort(&j->a);
		return -1;
	}
	return 0;
}

/* The new copy made the file, in one rename; 0 or -1 with why. */
static int
job_commit(struct job *j)
{
	char err[256];

	if (af_commit(&j->a, err, sizeof(err)) != 0) {
		snprintf(j->why, sizeof(j->why), "cannot write: %s", err);
		return -1;
	}
	return 0;
}

/* Drop what is left of a new copy. */
static void
job_end(struct job *j)
{
	af_abort(&j->a);
	keyfile_free(j->key);
}

/* A request with the job's key, CA and limits. */
static struct fxfer_req
job_req(const struct job *j, const char *url, const char *accept)
{
	struct fxfer_req r = {url, j->key, j->fd->key_header, j->fd->ca_file,
	    j->cert, j->cert_key, accept, NULL, NULL, NULL, j->o->max_bytes,
	    j->o->timeout_s};

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
		: res->status / 100 == 3
		? " (a redirect, not followed with the key in a header of "
		  "its own: give the url it points to)"
		: "");
	return -1;
}

/* The first HEAD bytes of the new copy (NUL-terminated) and its last
 * TAIL, read back; -1 with errno when they cannot be. */
static int
head_tail(struct job *j, char *head, size_t *hlen, char *tail, size_t *tlen)
{
	FILE *f;
	long size;
	int rc = -1;

	if (fflush(j->a.f) != 0 || (f = fopen(j->a.tmp, "r")) == NULL)
		return -1;
	if (fseek(f, 0, SEEK_END) == 0 && (size = ftell(f)) >= 0) {
		rewind(f);
		*hlen = fread(head, 1, HEAD, f);
		head[*hlen] = '\0';
		*tlen = size < TAIL ? (size_t)size : TAIL;
		if (fseek(f, size - (long)*tlen, SEEK_SET) == 0 &&
		    fread(tail, 1, *tlen, f) == *tlen)
			rc = 0;
	}
	fclose(f);
	return rc;
}

/* The new copy fit to replace the file: not empty, not an HTML page (a
 * login page, a proxy's), and for JSON formats a whole document by its
 * ends (with misp, MISP's "response").  0, or -1 with why. */
static int
good_copy(struct job *j, const struct fxfer_res *res, int misp)
{
	char head[HEAD + 1], tail[TAIL], err[256];
	size_t hlen, tlen;

	if (head_tail(j, head, &hlen, tail, &tlen) != 0) {
		snprintf(j->why, sizeof(j->why), "cannot read back %.300s: %s",
		    j->a.tmp, strerror(errno));
		return -1;
	}
	if (hlen == 0) { /* a list with nothing in it still has a header */
		snprintf(j->why, sizeof(j->why), "an empty reply");
		return -1;
	}
	if (strncasecmp(res->content_type, "text/html", 9) == 0 ||
	    head[strspn(head, " \t\r\n")] == '<') {
		snprintf(j->why, sizeof(j->why),
		    "an HTML page came, not the feed (a login or a proxy's "
		    "page?)");
		return -1;
	}
	if (strcmp(j->fd->format, "csv") != 0 &&
	    fpage_looks_json(head, hlen, tail, tlen, misp, err, sizeof(err)) !=
		0) {
		snprintf(j->why, sizeof(j->why), "%s", err);
		return -1;
	}
	return 0;
}

/* get and misp: one request, its reply written as the new copy; with
 * r->since, "304 Not Modified" leaves the file as it is. */
static int
fetch_whole(
    struct job *j, struct fxfer_req *r, int misp, size_t *bytes, int *unchanged)
{
	struct fxfer_res res;

	if (job_open(j) != 0)
		return -1;
	r->out = j->a.f;
	if (fxfer_run(r, &res) != 0) {
		snprintf(j->why, sizeof(j->why), "%s", res.err);
		return -1;
	}
	if (res.status == 304 && r->since != NULL) {
		*unchanged = 1;
		j->side = *r->since; /* the same copy, checked now */
		return 0;
	}
	*bytes = res.len;
	if (job_status(j, &res) != 0 || good_copy(j, &res, misp) != 0)
		return -1;
	j->side = res.got;
	return job_commit(j);
}

/* get: the whole file, unless unchanged since the copy there. */
static int
fetch_get(struct job *j, size_t *bytes, int *unchanged)
{
	struct fpage_validators since;
	struct fxfer_req r = job_req(j, j->fd->url, "*/*");

	if (access(j->fd->path, R_OK) == 0) {
		fpage_validators_read(j->fd->path, &since);
		r.since = &since;
	}
	return fetch_whole(j, &r, 0, bytes, unchanged);
}

/* misp: one restSearch POSTed, its reply the file. */
static int
fetch_misp(struct job *j, size_t *bytes)
{
	struct fxfer_req r = job_req(j, j->fd->url, "application/json");
	int unchanged = 0;

	r.post = j->fd->query != NULL ? j->fd->query : fpage_misp_query;
	return fetch_whole(j, &r, 1, bytes, &unchanged);
}

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
	if (j->since[0] != '\0' && j->added == 0)
		rc = 0; /* nothing added: the copy stays as it is */
	else if (fputs("]}\n", j->a.f) == EOF)
		goto unwritable;
	else
		rc = job_commit(j);
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

/* taxii: only what was added since the copy there, when the server said
 * when that was and the copy was fetched whole from the same URL within
 * TAXII_WHOLE_S; otherwise (or with --whole, or when adding cannot be)
 * the whole collection. */
static int
fetch_taxii(struct job *j, size_t *bytes, size_t *pages, int *unchanged)
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

/* One feed: fetched, unchanged, or failed with its copy kept; said on
 * stdout or stderr. */
void
fetch_one(const struct cfg_source *src, size_t i, const struct opts *o,
    struct outcome *out)
{
	struct job j = {.src = src, .fd = &src->feeds[i], .i = i, .o = o};
	struct fpage_validators last;
	char err[400];
	int rc = -1;

	*out = (struct outcome){src->id, j.fd->path, 0, 0, 0, 0, 0};
	j.cert =
	    keyfile_path(j.fd->client_cert, j.cert_buf, sizeof(j.cert_buf));
	j.cert_key = keyfile_path(
	    j.fd->client_key, j.cert_key_buf, sizeof(j.cert_key_buf));
	if (j.fd->key_file[0] != '\0' &&
	    (j.key = keyfile_read(j.fd->key_file, err, sizeof(err))) == NULL)
		snprintf(j.why, sizeof(j.why), "key_file %s", err);
	else if (j.fd->fetch == FETCH_TAXII)
		rc = fetch_taxii(&j, &out->bytes, &out->pages, &out->unchanged);
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
		out->bytes = 0; /* none kept */
		fprintf(stderr,
		    "sankaku-fetch: %s feeds[%zu]: %s; the copy at %s "
		    "stays\n",
		    src->id, i, j.why, j.fd->path);
		return;
	}
	if (out->unchanged && j.since[0] != '\0')
		printf("sankaku-fetch: %s feeds[%zu]: nothing added since %s "
		       "(%s)\n",
		    src->id, i, j.since, j.fd->path);
	else if (out->unchanged)
		printf("sankaku-fetch: %s feeds[%zu]: unchanged since the "
		       "last fetch (%s)\n",
		    src->id, i, j.fd->path);
	else if (j.since[0] != '\0')
		printf("sankaku-fetch: %s feeds[%zu]: %zu object%s added since "
		       "%s, %zu bytes in %zu page%s, into %s\n",
		    src->id, i, j.added, j.added == 1 ? "" : "s", j.since,
		    out->bytes, out->pages, out->pages == 1 ? "" : "s",
		    j.fd->path);
	else if (out->pages > 0)
		printf("sankaku-fetch: %s feeds[%zu]: %zu bytes in %zu "
		       "page%s into %s\n",
		    src->id, i, out->bytes, out->pages,
		    out->pages == 1 ? "" : "s", j.fd->path);
	else
		printf("sankaku-fetch: %s feeds[%zu]: %zu bytes into %s\n",
		    src->id, i, out->bytes, j.fd->path);
}
