/*
 * tail_dir.c: the directory side of following eve.json: which names are
 * rotated copies of it, in which order, and finding a file by identity
 * (see tail_dir.h).
 */

#include <sys/stat.h>

#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "sha1.h"
#include "tail.h"
#include "tail_dir.h"

/* NAME.<Unix time>: the number; NAME: -1; anything else: -2. */
long long
tdir_series(const struct tdir *t, const char *name)
{
	size_t bl = strlen(t->base);
	const char *p;
	long long n = 0;

	if (strcmp(name, t->base) == 0)
		return -1;
	/* rotate-interval appends a Unix time (9 digits and more);
	 * logrotate's NAME.1, NAME.2 count backwards and are not a series */
	if (strncmp(name, t->base, bl) != 0 || name[bl] != '.' ||
	    strlen(name + bl + 1) < 9 || strlen(name + bl + 1) > 18)
		return -2;
	for (p = name + bl + 1; *p != '\0'; p++) {
		if (*p < '0' || *p > '9')
			return -2;
		n = n * 10 + (*p - '0');
	}
	return n;
}

/* Whether a name in the directory may be a rotated eve file we can read. */
int
tdir_candidate(const struct tdir *t, const char *name)
{
	static const char *const packed[] = {
	    ".gz", ".bz2", ".xz", ".zst", ".lz4", ".Z", NULL};
	size_t n = strlen(name), i;

	if (strncmp(name, t->base, strlen(t->base)) != 0)
		return 0;
	for (i = 0; packed[i] != NULL; i++) {
		size_t k = strlen(packed[i]);

		if (n > k && strcmp(name + n - k, packed[i]) == 0)
			return 0;
	}
	return 1;
}

/* dir/name into out. */
void
tdir_join(const struct tdir *t, const char *name, char *out, size_t len)
{
	snprintf(out, len, "%s/%s", t->dir, name);
}

int
tail_identify(int fd, const char *name, struct tail_id *id)
{
	struct stat st;
	char b[TAIL_FP_BYTES];
	ssize_t n;

	memset(id, 0, sizeof(*id));
	if (fstat(fd, &st) != 0)
		return -1;
	id->dev = st.st_dev;
	id->ino = st.st_ino;
	snprintf(id->name, sizeof(id->name), "%s", name);
	n = pread(fd, b, sizeof(b), 0);
	if (n < 0)
		return -1;
	id->fplen = (size_t)n;
	sha1_hex(b, (size_t)n, id->fp);
	return 0;
}

int
tail_same(int fd, const struct tail_id *id)
{
	char b[TAIL_FP_BYTES], fp[41];
	size_t want = id->fplen < sizeof(b) ? id->fplen : sizeof(b);

	if (pread(fd, b, want, 0) != (ssize_t)want)
		return 0;
	sha1_hex(b, want, fp);
	return strcmp(fp, id->fp) == 0;
}

/* Open dir/name for reading; -1 with errno. */
int
tdir_open(const struct tdir *t, const char *name)
{
	char p[4096];

	tdir_join(t, name, p, sizeof(p));
	return open(p, O_RDONLY | O_CLOEXEC | O_NOCTTY);
}

/* Size of dir/name; -1 if it is not a regular file. */
long long
tdir_size(const struct tdir *t, const char *name)
{
	char p[4096];
	struct stat st;

	tdir_join(t, name, p, sizeof(p));
	if (stat(p, &st) != 0 || !S_ISREG(st.st_mode))
		return -1;
	return (long long)st.st_size;
}

/* The smallest NAME.<n> with n > after (after -1: any); its number, or
 * -1.  *bytes: the sizes of all of them added up, if asked. */
long long
tdir_next_series(const struct tdir *t, long long after, char *name, size_t len,
    long long *bytes)
{
	DIR *d = opendir(t->dir);
	struct dirent *e;
	long long best = -1;

	if (bytes != NULL)
		*bytes = 0;
	if (d == NULL)
		return -1;
	while ((e = readdir(d)) != NULL) {
		long long n = tdir_series(t, e->d_name), sz;

		if (n < 0 || n <= after || (sz = tdir_size(t, e->d_name)) < 0)
			continue;
		if (bytes != NULL)
			*bytes += sz;
		if (best < 0 || n < best) {
			best = n;
			snprintf(name, len, "%s", e->d_name);
		}
	}
	closedir(d);
	return best;
}

/* Among the candidates, a file with id's first bytes (and, if ino_too,
 * its inode) at least min_size long; its fd and name, or -1. */
int
tdir_find(const struct tdir *t, const struct tail_id *id, int ino_too,
    long long min_size, char *name, size_t len)
{
	DIR *d = opendir(t->dir);
	struct dirent *e;
	int found = -1;

	if (d == NULL)
		return -1;
	while (found < 0 && (e = readdir(d)) != NULL) {
		struct stat st;
		int fd;

		if (!tdir_candidate(t, e->d_name) ||
		    (fd = tdir_open(t, e->d_name)) < 0)
			continue;
		if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) &&
		    (long long)st.st_size >= min_size &&
		    (ino_too ? st.st_dev == id->dev && st.st_ino == id->ino
			     : st.st_ino != id->ino) &&
		    tail_same(fd, id)) {
			found = fd;
			snprintf(name, len, "%s", e->d_name);
		} else
			close(fd);
	}
	closedir(d);
	return found;
}
