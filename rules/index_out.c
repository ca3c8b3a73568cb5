/*
 * index_out.c: DIR/sankaku.index, version 2 (the format is in index.h).
 * Names repeat (a MISP event's info on each of its attributes, a malware
 * family on each of its C2s), so each is written once in a table at the
 * top and entries refer to it by number: the index stays about as small
 * as the values themselves.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "afile.h"
#include "gen.h"
#include "timeparse.h"

/* Names to numbers: open addressing over the distinct names. */
struct names {
	const char **key;
	size_t *id;
	size_t cap, n;
};

/* FNV-1a. */
static size_t
hash(const char *s)
{
	uint64_t h = 1469598103934665603ULL;

	for (; *s != '\0'; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return (size_t)h;
}

/* The number of a name, assigning the next one (and writing its line)
 * the first time. */
static size_t
name_id(struct names *t, const char *s, struct afile *f)
{
	size_t i = hash(s) & (t->cap - 1);

	while (t->key[i] != NULL) {
		if (strcmp(t->key[i], s) == 0)
			return t->id[i];
		i = (i + 1) & (t->cap - 1);
	}
	t->key[i] = s;
	t->id[i] = ++t->n;
	af_putc(f, '@');
	af_putnum(f, (long long)t->n);
	af_putc(f, '\t');
	af_puts(f, s);
	af_putc(f, '\n');
	return t->n;
}

/* A tab and a time, or "-". */
static void
put_time(struct afile *f, int64_t t)
{
	char b[32];

	af_putc(f, '\t');
	if (t == 0) {
		af_putc(f, '-');
		return;
	}
	time_format(t, b, sizeof(b));
	af_puts(f, b);
}

/* A tab and each source's own publication (SOURCE=TIME,...), when two
 * or more sources gave it; else "-" (PUBLISHED says it all). */
static void
put_published_by(struct afile *f, const struct cfg *cfg, const struct merged *e)
{
	char b[32];
	size_t k;
	int n = 0;

	af_putc(f, '\t');
	for (k = 0; e->nsrc > 1 && k < e->nsrc; k++) {
		if (e->pub[k] == 0)
			continue;
		if (n++ > 0)
			af_putc(f, ',');
		af_puts(f, cfg->sources[e->src[k]].id);
		af_putc(f, '=');
		time_format(e->pub[k], b, sizeof(b));
		af_puts(f, b);
	}
	if (n == 0)
		af_putc(f, '-');
}

/* Write the index. */
int
gen_index(const struct cfg *cfg, const struct merged *m, size_t n,
    const char *dir, char *err, size_t errlen)
{
	struct afile idx = {0};
	struct names t = {NULL, NULL, 16, 0};
	size_t i, k;
	int rv = -1;

	while (t.cap < n * 2)
		t.cap <<= 1;
	t.key = calloc(t.cap, sizeof(*t.key));
	t.id = calloc(t.cap, sizeof(*t.id));
	if (t.key == NULL || t.id == NULL) {
		snprintf(err, errlen, "out of memory");
		goto done;
	}
	if (af_open(&idx, dir, "sankaku.index", err, errlen) != 0)
		goto done;
	fprintf(idx.f,
	    "# sankaku indicator index v2\n"
	    "# TYPE VALUE SOURCES PUBLISHED EVIDENCE TLP VALID_UNTIL REFS "
	    "NAME PUBLISHED_BY (tab-separated; @N lines name the names)\n");
	/* names first, so that each entry's number is already known */
	for (i = 0; i < n; i++)
		if (m[i].name != NULL)
			name_id(&t, m[i].name, &idx);
	for (i = 0; i < n; i++) {
		const struct merged *e = &m[i];
		int refs = 0;

		af_puts(&idx, ioc_type_name(e->type));
		af_putc(&idx, '\t');
		af_puts(&idx, e->value);
		af_putc(&idx, '\t');
		for (k = 0; k < e->nsrc; k++) {
			if (k > 0)
				af_putc(&idx, ',');
			af_puts(&idx, cfg->sources[e->src[k]].id);
		}
		put_time(&idx, e->published);
		af_putc(&idx, '\t');
		af_puts(&idx, isog_evidence_name(e->evidence));
		af_putc(&idx, '\t');
		af_puts(&idx, tlp_name(e->tlp));
		put_time(&idx, e->valid_until);
		af_putc(&idx, '\t');
		for (k = 0; k < e->nsrc; k++) {
			if (e->ref[k] == NULL)
				continue;
			if (refs++ > 0)
				af_putc(&idx, ',');
			af_puts(&idx, cfg->sources[e->src[k]].id);
			af_putc(&idx, '=');
			af_puts(&idx, e->ref[k]);
		}
		if (refs == 0)
			af_putc(&idx, '-');
		af_putc(&idx, '\t');
		if (e->name != NULL)
			af_putnum(&idx, (long long)name_id(&t, e->name, &idx));
		else
			af_putc(&idx, '-');
		put_published_by(&idx, cfg, e);
		af_putc(&idx, '\n');
	}
	rv = af_commit(&idx, err, errlen);
done:
	af_abort(&idx);
	free(t.key);
	free(t.id);
	return rv;
}
