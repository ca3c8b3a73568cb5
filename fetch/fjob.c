/*
 * fjob.c: one feed being fetched (see fjob.h).
 */

#include <sys/stat.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "fjob.h"
#include "keyfile.h"

#define HEAD 256 /* bytes of a reply looked at to know its kind */
#define TAIL 64

int
job_file(struct afile *a, const char *path, char *err, size_t errlen)
{
	if (af_open_path(a, path, err, errlen) != 0)
		return -1;
	if (fchmod(fileno(a->f), 0640) != 0) {
		snprintf(err, errlen, "%s", strerror(errno));
		af_abort(a);
		return -1;
	}
	return 0;
}

int
job_open(struct job *j)
{
	char err[256];

	if (job_file(&j->a, j->fd->path, err, sizeof(err)) != 0) {
		snprintf(j->why, sizeof(j->why), "cannot write beside %s: %s",
		    j->fd->path, err);
		return -1;
	}
	return 0;
}

int
job_commit(struct job *j)
{
	char err[256];

	if (af_commit(&j->a, err, sizeof(err)) != 0) {
		snprintf(j->why, sizeof(j->why), "cannot write: %s", err);
		return -1;
	}
	return 0;
}

void
job_end(struct job *j)
{
	af_abort(&j->a);
	keyfile_free(j->key);
}

struct fxfer_req
job_req(const struct job *j, const char *url, const char *accept)
{
	struct fxfer_req r = {url, j->key, j->fd->key_header, j->fd->ca_file,
	    j->cert, j->cert_key, accept, NULL, NULL, NULL, j->o->max_bytes,
	    j->o->timeout_s};

	return r;
}

int
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

/* The first HEAD bytes of a file being written (NUL-terminated) and its
 * last TAIL, read back; -1 with errno when they cannot be. */
static int
head_tail(struct afile *a, char *head, size_t *hlen, char *tail, size_t *tlen)
{
	FILE *f;
	long size;
	int rc = -1;

	if (fflush(a->f) != 0 || (f = fopen(a->tmp, "r")) == NULL)
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

int
job_good(struct job *j, struct afile *a, const struct fxfer_res *res, int json,
    const char *member)
{
	char head[HEAD + 1], tail[TAIL], err[256];
	size_t hlen, tlen;

	if (head_tail(a, head, &hlen, tail, &tlen) != 0) {
		snprintf(j->why, sizeof(j->why), "cannot read back %.300s: %s",
		    a->tmp, strerror(errno));
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
	if (json &&
	    fpage_looks_json(
		head, hlen, tail, tlen, member, err, sizeof(err)) != 0) {
		snprintf(j->why, sizeof(j->why), "%s", err);
		return -1;
	}
	return 0;
}
