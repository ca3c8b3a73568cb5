/*
 * afile.c: atomic replacement of a file (see afile.h).
 */

#include <sys/stat.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "afile.h"

/* Open for atomic replacement. */
int
af_open(struct afile *a, const char *dir, const char *name, char *err,
    size_t errlen)
{
	const char *slash = strrchr(name, '/');
	int fd;

	a->f = NULL;
	snprintf(a->path, sizeof(a->path), "%s/%s", dir, name);
	if (slash == NULL)
		snprintf(a->tmp, sizeof(a->tmp), "%s/.%s.XXXXXX", dir, name);
	else
		snprintf(a->tmp, sizeof(a->tmp), "%s/%.*s/.%s.XXXXXX", dir,
		    (int)(slash - name), name, slash + 1);
	if ((fd = mkstemp(a->tmp)) < 0 || fchmod(fd, 0644) != 0 ||
	    (a->f = fdopen(fd, "w")) == NULL) {
		snprintf(err, errlen, "%s: %s", a->tmp, strerror(errno));
		if (fd >= 0) {
			close(fd);
			unlink(a->tmp);
		}
		return -1;
	}
	return 0;
}

/* Flush, sync and rename into place. */
int
af_commit(struct afile *a, char *err, size_t errlen)
{
	FILE *f = a->f;

	a->f = NULL;
	if (fflush(f) != 0 || fsync(fileno(f)) != 0 || ferror(f)) {
		snprintf(err, errlen, "%s: %s", a->tmp, strerror(errno));
		fclose(f);
		unlink(a->tmp);
		return -1;
	}
	if (fclose(f) != 0) {
		snprintf(err, errlen, "%s: %s", a->tmp, strerror(errno));
		unlink(a->tmp);
		return -1;
	}
	if (rename(a->tmp, a->path) != 0) {
		snprintf(
		    err, errlen, "rename %s: %s", a->path, strerror(errno));
		unlink(a->tmp);
		return -1;
	}
	return 0;
}

/* Abandon a temporary file. */
void
af_abort(struct afile *a)
{
	if (a->f != NULL) {
		fclose(a->f);
		unlink(a->tmp);
		a->f = NULL;
	}
}
