/*
 * fetch.c: one feed brought to its path (see fetch.h), by its "fetch":
 *
 *   get        the whole file, asked with the last copy's validators
 *              (ETag, Last-Modified) so that "304 Not Modified" leaves it
 *              as it is;
 *   misp       a restSearch POSTed with the key;
 *   taxii      a TAXII 2.1 collection, whole, then what was added to it
 *              (ftaxii.c);
 *   misp-feed  a MISP feed's manifest and the events changed (fmfeed.c).
 *
 * The new copy is written beside the file under a temporary name and
 * renamed over it only when the reply is good (status 200; not an HTML
 * page; for JSON formats, the first and last bytes of a whole document),
 * so a failure leaves the copy there.  On success the validators, the
 * collection's date and the time are kept beside it (.NAME.fetch).
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "fetch.h"
#include "fjob.h"
#include "fmfeed.h"
#include "ftaxii.h"
#include "keyfile.h"
#include "pretty.h"

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
		snprintf(j->said, sizeof(j->said),
		    "unchanged since the last fetch (%s)", j->fd->path);
		return 0;
	}
	*bytes = res.len;
	snprintf(
	    j->said, sizeof(j->said), "%zu bytes into %s", *bytes, j->fd->path);
	if (job_status(j, &res) != 0 ||
	    job_good(j, &j->a, &res, strcmp(j->fd->format, "csv") != 0,
		misp ? "response" : NULL) != 0)
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
		rc =
		    ftaxii_fetch(&j, &out->bytes, &out->pages, &out->unchanged);
	else if (j.fd->fetch == FETCH_MISP)
		rc = fetch_misp(&j, &out->bytes);
	else if (j.fd->fetch == FETCH_MISP_FEED)
		rc = fmfeed_fetch(&j, &out->bytes);
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
		/* why may quote the server (a JSON error's text): made safe */
		fprintf(stderr, "sankaku-fetch: %s feeds[%zu]: ", src->id, i);
		pretty_fputs(stderr, j.why);
		fprintf(stderr, "; the copy at %s stays\n", j.fd->path);
		return;
	}
	printf("sankaku-fetch: %s feeds[%zu]: %s\n", src->id, i, j.said);
}
