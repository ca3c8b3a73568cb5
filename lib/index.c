/*
 * index.c: an open-addressing hash table over one buffer holding the whole
 * file.  Fields point into the buffer, so a million indicators cost the
 * file's size plus 80 bytes each.  An address is matched against the
 * CIDR entries by looking up its prefix of each length the index holds,
 * longest first: a few hash lookups, however many prefixes there are.
 */

#include <sys/socket.h>

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cidr.h"
#include "index.h"

struct idx {
	char *buf;
	struct idx_entry *entries;
	size_t nentries;
	uint32_t *slots;    /* entry index + 1; 0 is empty */
	size_t nslots;	    /* power of two */
	const char **names; /* @N lines */
	size_t nnames;
	unsigned char lens4[33], lens6[129]; /* prefix lengths present */
};

/* FNV-1a over type, a separator and value. */
static uint64_t
idx_hash(const char *type, const char *value)
{
	uint64_t h = 1469598103934665603ULL;
	const unsigned char *p;

	for (p = (const unsigned char *)type; *p != '\0'; p++)
		h = (h ^ *p) * 1099511628211ULL;
	h = (h ^ '\t') * 1099511628211ULL;
	for (p = (const unsigned char *)value; *p != '\0'; p++)
		h = (h ^ *p) * 1099511628211ULL;
	return h;
}

/* Split line into n tab-separated fields in place; count found. */
static size_t
split_tabs(char *line, char **fields, size_t n)
{
	size_t i = 0;

	fields[i++] = line;
	for (; *line != '\0' && i < n; line++) {
		if (*line == '\t') {
			*line = '\0';
			fields[i++] = line + 1;
		}
	}
	return strchr(fields[i - 1], '\t') != NULL ? n + 1 : i;
}

/* Parse the text of an index. */
struct idx *
idx_parse(
    const char *name, const char *text, size_t len, char *err, size_t errlen)
{
	struct idx *x;
	char *p, *end, *nl;
	size_t lines = 0, lineno = 0, i;

	if ((x = calloc(1, sizeof(*x))) == NULL ||
	    (x->buf = malloc(len + 1)) == NULL)
		goto oom;
	memcpy(x->buf, text, len);
	x->buf[len] = '\0';
	if (memchr(x->buf, '\0', len) != NULL) {
		snprintf(err, errlen, "%s: contains a NUL byte", name);
		goto fail;
	}
	for (i = 0; i < len; i++)
		if (x->buf[i] == '\n')
			lines++;
	lines++;
	if ((x->entries = calloc(lines, sizeof(*x->entries))) == NULL)
		goto oom;
	if ((x->names = calloc(lines, sizeof(*x->names))) == NULL)
		goto oom;
	for (p = x->buf, end = x->buf + len; p < end; p = nl + 1) {
		char *f[10];
		struct idx_entry *e;
		size_t nf;

		lineno++;
		if ((nl = strchr(p, '\n')) == NULL)
			nl = end;
		*nl = '\0';
		if (nl > p && nl[-1] == '\r')
			nl[-1] = '\0';
		if (*p == '#' || *p == '\0')
			continue;
		if (*p == '@') {
			char *tab = strchr(p, '\t');

			if (tab == NULL ||
			    strtoul(p + 1, NULL, 10) != x->nnames + 1) {
				snprintf(err, errlen,
				    "%s:%zu: expected @%zu <TAB> name", name,
				    lineno, x->nnames + 1);
				goto fail;
			}
			x->names[x->nnames++] = tab + 1;
			continue;
		}
		nf = split_tabs(p, f, 10);
		if (nf != 5 && nf != 9 && nf != 10) {
			snprintf(err, errlen,
			    "%s:%zu: expected 5, 9 or 10 tab-separated fields",
			    name, lineno);
			goto fail;
		}
		if (f[1][0] == '\0' || f[2][0] == '\0') {
			snprintf(err, errlen, "%s:%zu: empty value or sources",
			    name, lineno);
			goto fail;
		}
		e = &x->entries[x->nentries++];
		e->type = f[0];
		e->value = f[1];
		e->sources = f[2];
		e->published = f[3];
		e->evidence = f[4];
		e->tlp = nf >= 9 ? f[5] : "clear";
		e->valid_until = nf >= 9 ? f[6] : "-";
		e->refs = nf >= 9 ? f[7] : "-";
		e->published_by = nf == 10 ? f[9] : "-";
		e->nsources = 1;
		for (char *c = f[2]; *c != '\0'; c++)
			e->nsources += *c == ',';
		if (nf >= 9 && strcmp(f[8], "-") != 0) {
			unsigned long k = strtoul(f[8], NULL, 10);

			if (k == 0 || k > x->nnames) {
				snprintf(err, errlen,
				    "%s:%zu: name %s is not defined above",
				    name, lineno, f[8]);
				goto fail;
			}
			e->name = x->names[k - 1];
		}
	}
	if (x->nentries > UINT32_MAX / 2) {
		snprintf(err, errlen, "%s: too many entries", name);
		goto fail;
	}
	for (x->nslots = 16; x->nslots < x->nentries * 2; x->nslots *= 2)
		;
	if ((x->slots = calloc(x->nslots, sizeof(*x->slots))) == NULL)
		goto oom;
	for (i = 0; i < x->nentries; i++) {
		struct idx_entry *e = &x->entries[i];
		size_t s =
		    (size_t)idx_hash(e->type, e->value) & (x->nslots - 1);

		while (x->slots[s] != 0) {
			const struct idx_entry *o =
			    &x->entries[x->slots[s] - 1];

			if (strcmp(o->type, e->type) == 0 &&
			    strcmp(o->value, e->value) == 0) {
				snprintf(err, errlen,
				    "%s: %s %s listed twice (one line per "
				    "indicator, sources comma-separated)",
				    name, e->type, e->value);
				goto fail;
			}
			s = (s + 1) & (x->nslots - 1);
		}
		x->slots[s] = (uint32_t)(i + 1);
		if (strcmp(e->type, "cidr") == 0) {
			struct cidr c;

			if (cidr_parse(e->value, &c, 0) != 0) {
				snprintf(err, errlen, "%s: bad prefix %s", name,
				    e->value);
				goto fail;
			}
			if (c.family == AF_INET)
				x->lens4[c.bits] = 1;
			else
				x->lens6[c.bits] = 1;
		}
	}
	return x;
oom:
	snprintf(err, errlen, "%s: out of memory", name);
fail:
	idx_free(x);
	return NULL;
}

/* Read a file and parse it. */
struct idx *
idx_load(const char *path, char *err, size_t errlen)
{
	FILE *f;
	char *buf;
	long size;
	struct idx *x;

	if ((f = fopen(path, "rb")) == NULL) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return NULL;
	}
	if (fseek(f, 0, SEEK_END) != 0 || (size = ftell(f)) < 0 ||
	    fseek(f, 0, SEEK_SET) != 0) {
		snprintf(
		    err, errlen, "%s: cannot size: %s", path, strerror(errno));
		fclose(f);
		return NULL;
	}
	if ((buf = malloc((size_t)size + 1)) == NULL) {
		snprintf(err, errlen, "%s: out of memory", path);
		fclose(f);
		return NULL;
	}
	if (fread(buf, 1, (size_t)size, f) != (size_t)size) {
		snprintf(err, errlen, "%s: short read", path);
		free(buf);
		fclose(f);
		return NULL;
	}
	fclose(f);
	x = idx_parse(path, buf, (size_t)size, err, errlen);
	free(buf);
	return x;
}

/* Free the index. */
void
idx_free(struct idx *x)
{
	if (x == NULL)
		return;
	free(x->buf);
	free(x->entries);
	free(x->slots);
	free(x->names);
	free(x);
}

/* Number of indicators. */
size_t
idx_count(const struct idx *x)
{
	return x != NULL ? x->nentries : 0;
}

/* The entry of exactly (type, value). */
static const struct idx_entry *
exact(const struct idx *x, const char *type, const char *value)
{
	size_t s = (size_t)idx_hash(type, value) & (x->nslots - 1);

	while (x->slots[s] != 0) {
		const struct idx_entry *e = &x->entries[x->slots[s] - 1];

		if (strcmp(e->type, type) == 0 && strcmp(e->value, value) == 0)
			return e;
		s = (s + 1) & (x->nslots - 1);
	}
	return NULL;
}

int
idx_has(const struct idx *x, const char *type, const char *value)
{
	return x != NULL && x->nentries > 0 && exact(x, type, value) != NULL;
}

/* Look up one indicator. */
const struct idx_entry *
idx_find(const struct idx *x, const char *type, const char *value)
{
	const struct idx_entry *e;
	const unsigned char *lens;
	struct cidr a;
	int bits;

	if (x == NULL || x->nentries == 0)
		return NULL;
	if ((e = exact(x, type, value)) != NULL || strcmp(type, "ip") != 0)
		return e;
	if (cidr_parse(value, &a, 0) != 0)
		return NULL;
	lens = a.family == AF_INET ? x->lens4 : x->lens6;
	for (bits = (int)a.bits; bits >= 0; bits--) {
		struct cidr p = a;
		char text[64];
		int i;

		if (!lens[bits])
			continue;
		for (i = bits; i < (int)a.bits; i++)
			p.addr[i / 8] &= (unsigned char)~(0x80u >> (i % 8));
		p.bits = (unsigned)bits;
		cidr_format(&p, text, sizeof(text));
		if (bits == (int)a.bits) /* a full-length "cidr" entry */
			snprintf(text + strlen(text),
			    sizeof(text) - strlen(text), "/%d", bits);
		if ((e = exact(x, "cidr", text)) != NULL)
			return e;
	}
	return NULL;
}
