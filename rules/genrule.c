/*
 * genrule.c: rule text, dataset files and hashed SIDs (see genrule.h and
 * gen.h).
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "b64.h"
#include "genrule.h"

/* FNV-1a, 32 bits. */
static uint32_t
fnv32(const char *s)
{
	uint32_t h = 2166136261u;

	for (; *s != '\0'; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

/* A hashed SID. */
long
gen_sid_hashed(long base, const char *name, uint8_t *taken)
{
	uint32_t s = fnv32(name) & 0xffffffu;

	while (taken[s >> 3] & (1u << (s & 7)))
		s = (s + 1) & 0xffffffu;
	taken[s >> 3] |= (uint8_t)(1u << (s & 7));
	return base + (long)s;
}

/* Write one rule: header (proto addresses ports), match (the options
 * that match), then msg, classtype, metadata, sid. */
int
gen_rule(struct gen *g, const char *header, const char *match,
    const struct rmeta *rm, long sid)
{
	struct buf b = {NULL, 0, 0, 0};
	const char *p = rm->sources;
	size_t srcs_at;
	int rv = 0;

	BUF_PUTS(&b, "alert ");
	buf_put(&b, header, strlen(header));
	BUF_PUTS(&b, " (msg:\"SANKAKU ");
	buf_put(&b, rm->ioc, strlen(rm->ioc));
	BUF_PUTS(&b, " ");
	buf_put(&b, rm->where, strlen(rm->where));
	BUF_PUTS(&b, " listed (");
	buf_put(
	    &b, isog_evidence_name(rm->ev), strlen(isog_evidence_name(rm->ev)));
	/* the group's sources: each indicator is listed by one of them at
	 * least (sankakud's enrichment names its own, from the index) */
	if (strchr(rm->sources, ',') != NULL)
		BUF_PUTS(&b, ") by one or more of ");
	else
		BUF_PUTS(&b, ") by ");
	if (strlen(rm->sources) > 120) {
		buf_put(&b, rm->sources, 100);
		BUF_PUTS(&b, "...");
	} else
		buf_put(&b, rm->sources, strlen(rm->sources));
	BUF_PUTS(&b, "\"; ");
	buf_put(&b, match, strlen(match));
	if (rm->flowbit != NULL) {
		BUF_PUTS(&b, " flowbits:isnotset,");
		buf_put(&b, rm->flowbit, strlen(rm->flowbit));
		BUF_PUTS(&b, "; flowbits:set,");
		buf_put(&b, rm->flowbit, strlen(rm->flowbit));
		BUF_PUTS(&b, ";");
	}
	BUF_PUTS(&b, " classtype:");
	if (rm->ev == EV_COMPROMISE)
		BUF_PUTS(&b, "trojan-activity");
	else
		BUF_PUTS(&b, "bad-unknown");
	BUF_PUTS(&b, "; metadata:sankaku_ioc_type ");
	buf_put(&b, rm->ioc, strlen(rm->ioc));
	BUF_PUTS(&b, ", sankaku_evidence ");
	buf_put(
	    &b, isog_evidence_name(rm->ev), strlen(isog_evidence_name(rm->ev)));
	/* as many sources as fit; the index has them all */
	srcs_at = b.len;
	while (*p != '\0' && b.len - srcs_at < 1500) {
		size_t m = strcspn(p, ",");

		BUF_PUTS(&b, ", sankaku_source ");
		buf_put(&b, p, m);
		p += m;
		if (*p == ',')
			p++;
	}
	fprintf(g->rules.f, "%s; sid:%ld; rev:1;)\n", b.oom ? "" : b.s, sid);
	if (b.oom || b.len + 40 > RULE_MAX + 500) {
		snprintf(g->err, g->errlen, "rule %ld: %s", sid,
		    b.oom ? "out of memory" : "longer than Suricata reads");
		rv = -1;
	}
	g->res->rules++;
	free(b.s);
	return rv;
}

/* The dataset options of name: type, file, and a hash table sized for n
 * entries (Suricata's default of 2048 rows would make a million-entry
 * set a list of 500-long chains). */
void
gen_dataset_opt(struct buf *b, const char *name, const char *type, size_t n)
{
	char opt[320];
	size_t rows = 256, memcap;

	while (rows < n && rows < 262144)
		rows <<= 1;
	memcap = n * 256 + rows * 64 + (1u << 20);
	snprintf(opt, sizeof(opt),
	    "dataset:isset,%s,type %s,load datasets/%s.lst,hashsize "
	    "%zu,memcap %zu;",
	    name, type, name, rows, memcap);
	buf_put(b, opt, strlen(opt));
}

/* Write datasets/name.lst: the values (base64 for type string), sorted
 * and unique.  vals[i] from sel(it[i]). */
int
gen_dataset(struct gen *g, const char *name, const char *const *vals, size_t n,
    int b64, size_t *written)
{
	struct afile ds;
	const char **seen;
	char file[160];
	size_t i, cap = 16;
	int rv = -1;

	*written = 0;
	while (cap < n * 2)
		cap <<= 1;
	if ((seen = calloc(cap, sizeof(*seen))) == NULL) {
		snprintf(g->err, g->errlen, "out of memory");
		return -1;
	}
	snprintf(file, sizeof(file), "datasets/%s.lst", name);
	if (af_open(&ds, g->dir, file, g->err, g->errlen) != 0)
		goto done;
	for (i = 0; i < n; i++) {
		size_t s = (size_t)fnv32(vals[i]) & (cap - 1);

		/* each value once, in the order it came */
		while (seen[s] != NULL && strcmp(seen[s], vals[i]) != 0)
			s = (s + 1) & (cap - 1);
		if (seen[s] != NULL)
			continue;
		seen[s] = vals[i];
		if (b64) {
			b64_encode(vals[i], strlen(vals[i]), g->enc);
			af_puts(&ds, g->enc);
		} else
			af_puts(&ds, vals[i]);
		af_putc(&ds, '\n');
		(*written)++;
	}
	if (af_commit(&ds, g->err, g->errlen) != 0)
		goto done;
	g->res->datasets++;
	rv = 0;
done:
	free(seen);
	return rv;
}
