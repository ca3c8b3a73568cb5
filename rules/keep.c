/*
 * keep.c: the last good copy of each feed (see keep.h).
 */

#include <sys/stat.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "afile.h"
#include "keep.h"

/* SOURCE-HASH. */
void
keep_name(const char *source, const char *path, char *out, size_t len)
{
	uint64_t h = 1469598103934665603ULL;
	const unsigned char *p;

	for (p = (const unsigned char *)path; *p != '\0'; p++)
		h = (h ^ *p) * 1099511628211ULL;
	snprintf(out, len, "%s-%016llx", source, (unsigned long long)h);
}

/* Write the copy, then its time. */
int
keep_write(const char *dir, const char *name, int64_t good_at, const char *text,
    size_t len, char *err, size_t errlen)
{
	struct afile f = {0};
	char sub[4200], file[300];

	snprintf(sub, sizeof(sub), "%s/feeds", dir);
	if (mkdir(sub, 0755) != 0 && errno != EEXIST) {
		snprintf(err, errlen, "%s: %s", sub, strerror(errno));
		return -1;
	}
	snprintf(file, sizeof(file), "feeds/%s.feed", name);
	if (af_open(&f, dir, file, err, errlen) != 0)
		return -1;
	if (fwrite(text, 1, len, f.f) != len) {
		snprintf(err, errlen, "%s: %s", f.tmp, strerror(errno));
		af_abort(&f);
		return -1;
	}
	if (af_commit(&f, err, errlen) != 0)
		return -1;
	snprintf(file, sizeof(file), "feeds/%s.meta", name);
	if (af_open(&f, dir, file, err, errlen) != 0)
		return -1;
	fprintf(f.f, "good_at=%lld\n", (long long)good_at);
	return af_commit(&f, err, errlen);
}

/* Read a whole file; NULL with errno. */
static char *
slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	struct stat st;
	char *buf;

	if (f == NULL)
		return NULL;
	if (fstat(fileno(f), &st) != 0 || st.st_size < 0 ||
	    (buf = malloc((size_t)st.st_size + 1)) == NULL) {
		fclose(f);
		errno = ENOMEM;
		return NULL;
	}
	*len = fread(buf, 1, (size_t)st.st_size, f);
	if (ferror(f) || *len != (size_t)st.st_size) {
		free(buf);
		fclose(f);
		errno = EIO;
		return NULL;
	}
	fclose(f);
	buf[*len] = '\0';
	return buf;
}

/* Read a kept copy. */
char *
keep_read(const char *dir, const char *name, size_t *len, int64_t *good_at,
    char *err, size_t errlen)
{
	char path[4400], *meta, *text;
	size_t mlen;
	long long t;

	snprintf(path, sizeof(path), "%s/feeds/%s.meta", dir, name);
	if ((meta = slurp(path, &mlen)) == NULL) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return NULL;
	}
	if (sscanf(meta, "good_at=%lld", &t) != 1 || t <= 0) {
		snprintf(err, errlen, "%s: not a kept feed's time", path);
		free(meta);
		return NULL;
	}
	free(meta);
	snprintf(path, sizeof(path), "%s/feeds/%s.feed", dir, name);
	if ((text = slurp(path, len)) == NULL) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return NULL;
	}
	*good_at = (int64_t)t;
	return text;
}
