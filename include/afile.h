/*
 * afile.h: a file written under a temporary name beside its final one,
 * flushed to disk and renamed into place, so that a reader sees the old
 * file or the new one, never half of either.
 */
#ifndef SANKAKU_AFILE_H
#define SANKAKU_AFILE_H

#include <limits.h>
#include <stddef.h>
#include <stdio.h>

struct afile {
	FILE *f;
	char tmp[PATH_MAX], path[PATH_MAX];
};

/* Open dir/name (name may hold one '/'); 0, or -1 with err. */
int af_open(struct afile *, const char *dir, const char *name, char *err,
    size_t errlen);
/* The same for a path ("name" alone: in the working directory). */
int af_open_path(struct afile *, const char *path, char *err, size_t errlen);
/* Flush, sync, rename; 0, or -1 with err.  The file is closed either way. */
int af_commit(struct afile *, char *err, size_t errlen);
/* Give up: close and remove the temporary file, if open. */
void af_abort(struct afile *);

/* Fast writes for files of a million lines (no format parsing, no
 * locking): a string, a character, a decimal number. */
void af_puts(struct afile *, const char *);
void af_putc(struct afile *, int);
void af_putnum(struct afile *, long long);

#endif
