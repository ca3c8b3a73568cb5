/*
 * keep.c: the last good set of each feed (see keep.h).
 */

#include <sys/stat.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "afile.h"
#include "keep.h"

/* SOURCE-HASH.tsv. */
void
keep_name(const char *source, const char *path, char *out, size_t len)
{
	uint64_t h = 1469598103934665603ULL;
	const unsigned char *p;

	for (p = (const unsigned char *)path; *p != '\0'; p++)
		h = (h ^ *p) * 1099511628211ULL;
	snprintf(out, len, "%s-%016llx.tsv", source, (unsigned long long)h);
}

/* Write. */
int
keep_write(const char *dir, const char *name, const char *source,
    int64_t good_at, const struct ioc_list *l, char *err, size_t errlen)
{
	struct afile f = {0};
	char sub[4200], file[300];
	size_t i;

	snprintf(sub, sizeof(sub), "%s/feeds", dir);
	if (mkdir(sub, 0755) != 0 && errno != EEXIST) {
		snprintf(err, errlen, "%s: %s", sub, strerror(errno));
		return -1;
	}
	snprintf(file, sizeof(file), "feeds/%s", name);
	if (af_open(&f, dir, file, err, errlen) != 0)
		return -1;
	fprintf(f.f, "# sankaku last good feed 1\tgood_at=%lld\tsource=%s\n",
	    (long long)good_at, source);
	for (i = 0; i < l->n; i++) {
		const struct ioc *x = &l->v[i];

		fprintf(f.f, "%s\t%s\t%s\t%s\t%lld\t%lld\t%lld\t%s\t%s\n",
		    ioc_type_name(x->type), x->value,
		    isog_evidence_name(x->evidence), tlp_name(x->tlp),
		    (long long)x->published, (long long)x->valid_from,
		    (long long)x->valid_until, x->ref != NULL ? x->ref : "-",
		    x->name != NULL ? x->name : "-");
	}
	return af_commit(&f, err, errlen);
}

/* Split a line at tabs into at most n fields; the count. */
static size_t
split(char *s, char **f, size_t n)
{
	size_t i = 0;

	f[i++] = s;
	for (; *s != '\0' && i < n; s++)
		if (*s == '\t') {
			*s = '\0';
			f[i++] = s + 1;
		}
	return i;
}

/* Read back. */
int
keep_read(const char *dir, const char *name, struct feed_ctx *ctx,
    int64_t *good_at, char *err, size_t errlen)
{
	char path[4400], *line = NULL, *f[9];
	size_t cap = 0, lineno = 0;
	ssize_t got;
	FILE *fp;
	int rv = 0;

	snprintf(path, sizeof(path), "%s/feeds/%s", dir, name);
	if ((fp = fopen(path, "r")) == NULL) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	*good_at = 0;
	while ((got = getline(&line, &cap, fp)) > 0) {
		struct ioc_meta m;
		enum ioc_type t;
		enum tlp tl;
		char pos[32];

		lineno++;
		if (line[got - 1] == '\n')
			line[--got] = '\0';
		if (lineno == 1) {
			char *g = strstr(line, "\tgood_at=");

			if (strncmp(line, "# sankaku last good feed 1", 26) !=
				0 ||
			    g == NULL) {
				snprintf(
				    err, errlen, "%s: not a kept feed", path);
				rv = -1;
				break;
			}
			*good_at = strtoll(g + 9, NULL, 10);
			continue;
		}
		snprintf(pos, sizeof(pos), "kept line %zu", lineno);
		memset(&m, 0, sizeof(m));
		if (split(line, f, 9) != 9 || ioc_type_parse(f[0], &t) != 0 ||
		    isog_evidence_parse(f[2], &m.evidence) != 0 ||
		    tlp_parse(f[3], strlen(f[3]), &tl) != 0) {
			feed_skip(
			    ctx, pos, SKIP_BAD_OBJECT, "not a kept indicator");
			continue;
		}
		m.tlp = tl;
		m.published = strtoll(f[4], NULL, 10);
		m.valid_from = strtoll(f[5], NULL, 10);
		m.valid_until = strtoll(f[6], NULL, 10);
		m.ref = strcmp(f[7], "-") != 0 ? f[7] : NULL;
		m.name = strcmp(f[8], "-") != 0 ? f[8] : NULL;
		feed_read(ctx);
		feed_emit(ctx, t, f[1], strlen(f[1]), &m, pos);
	}
	if (rv == 0 && ferror(fp)) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		rv = -1;
	}
	if (rv == 0 && lineno == 0) {
		snprintf(err, errlen, "%s: empty", path);
		rv = -1;
	}
	free(line);
	fclose(fp);
	return rv;
}
