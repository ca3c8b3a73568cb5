/*
 * fjob.h: one feed of sankaku-fetch being fetched (fjob.c): its key and
 * TLS files, its new copy written beside the file, what to say of it.
 * Shared by the ways a feed is fetched (fetch.c, ftaxii.c, fmfeed.c).
 */
#ifndef SANKAKU_FJOB_H
#define SANKAKU_FJOB_H

#include <stddef.h>

#include "afile.h"
#include "config.h"
#include "fetch.h"
#include "fpage.h"
#include "fxfer.h"

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
	char why[512];		      /* on failure: why */
	char said[512];		      /* on success: what became of it */
	/* taxii: the copy's newest date_added, when only what was added
	 * after it is asked ("" when the collection is fetched whole), and
	 * the objects the pages brought */
	char since[64];
	size_t added;
};

/* A file to be written at path (af_open_path), mode 0640: a feed, or an
 * event of one, may be TLP:AMBER.  0, or -1 with err. */
int job_file(struct afile *, const char *path, char *err, size_t errlen);
/* The new copy beside the feed's file (job_file); 0, or -1 with why. */
int job_open(struct job *);
/* The new copy made the file, in one rename; 0 or -1 with why. */
int job_commit(struct job *);
/* Drop what is left of a new copy, and the key. */
void job_end(struct job *);
/* A request with the job's key, CA and limits. */
struct fxfer_req job_req(
    const struct job *, const char *url, const char *accept);
/* 0 when the reply's status is 200; -1 with why otherwise. */
int job_status(struct job *, const struct fxfer_res *);
/* The file a is writing fit to be kept: not empty, not an HTML page (a
 * login page, a proxy's), and with json a whole JSON document by its
 * ends whose first member is member (NULL: any).  0, or -1 with why. */
int job_good(struct job *, struct afile *a, const struct fxfer_res *, int json,
    const char *member);

#endif
