/*
 * afile.c: atomic replacement of a file (see afile.h).
 */

#define _GNU_SOURCE /* fputs_unlocked */

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
	    (a->f = fdopen(fd, "w")) == NULL ||
	    setvbuf(a->f, NULL, _IOFBF, 1 << 20) != 0) {
		snprintf(err, errlen, "%s: %s", a->tmp, strerror(errno));
		if (a->f != NULL) {
			fclose(a->f);
			a->f = NULL;
		} else if (fd >= 0)
			close(fd);
		if (fd >= 0)
			unlink(a->tmp);
		return -1;
	}
	return 0;
}

int
af_open_path(struct afile *a, const char *path, char *err, size_t errlen)
{
	const char *slash = strrchr(path, '/');
	char dir[PATH_MAX];

	if (slash == NULL)
		return af_open(a, ".", path, err, errlen);
	snprintf(dir, sizeof(dir), "%.*s",
	    slash == path ? 1 : (int)(slash - path), path);
	return af_open(a, dir, slash + 1, err, errlen);
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

/* A string. */
void
af_puts(struct afile *a, const char *s)
{
	fputs_unlocked(s, a->f);
}

/* A character. */
void
af_putc(struct afile *a, int c)
{
	putc_unlocked(c, a->f);
}

/* A decimal number. */
void
af_putnum(struct afile *a, long long v)
{
	char b[24], *p = b + sizeof(b);
	unsigned long long u =
	    v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;

	*--p = '\0';
	do
		*--p = (char)('0' + u % 10);
	while ((u /= 10) != 0);
	if (v < 0)
		*--p = '-';
	fputs_unlocked(p, a->f);
}
