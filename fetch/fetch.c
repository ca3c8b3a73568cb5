/*
 * fetch.c: one feed brought to its path (see fetch.h), by its "fetch":
 *
 *   get    the whole file, asked with the last copy's validators (ETag,
 *          Last-Modified) so that "304 Not Modified" leaves it as it is;
 *   taxii  every page of a TAXII 2.1 collection, following "next",
 *          written page by page as one envelope {"objects": [...]};
 *   misp   a restSearch POSTed with the key.
 *
 * The new copy is written beside the file under a temporary name and
 * renamed over it only when the reply is good (status 200; not an HTML
 * page; for JSON formats, the first and last bytes of a whole document),
 * so a failure leaves the copy there.  On success the validators and the
 * time are kept beside it (.NAME.fetch).
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

/* taxii: every page of the collection, as one envelope, written page by
 * page (a large collection is never held whole). */
static int
fetch_taxii(struct job *j, size_t *bytes, size_t *pages)
{
	char *url = NULL, *next = NULL, *last = NULL, err[256];
	size_t nobj = 0;
	int rc = -1;

	if (job_open(j) != 0)
		return -1;
	if ((url = strdup(j->fd->url)) == NULL ||
	    fputs("{\"objects\":[", j->a.f) == EOF)
		goto unwritable;
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
		if ((url = fpage_taxii_url(j->fd->url, last)) == NULL) {
			snprintf(j->why, sizeof(j->why), "out of memory");
			goto out;
		}
	}
	if (fputs("]}\n", j->a.f) == EOF)
		goto unwritable;
	rc = job_commit(j);
	goto out;
unwritable:
	snprintf(j->why, sizeof(j->why), "cannot write %.300s: %s", j->a.tmp,
	    strerror(errno));
out:
	free(url);
	free(next);
	free(last);
	return rc;
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
		out->bytes = 0; /* none kept */
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
