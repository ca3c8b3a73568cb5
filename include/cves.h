/*
 * cves.h: the vulnerabilities the feeds shared (STIX vulnerability
 * objects, MISP vulnerability attributes), which sources shared each and
 * when, and which rules can detect each (the shipped rules' reference:cve
 * and sankaku_vuln metadata): DIR/sankaku-cves.json, read by the desk,
 * which opens a triage incident for each CVE it has not seen.
 */
#ifndef SANKAKU_CVES_H
#define SANKAKU_CVES_H

#include <stddef.h>
#include <stdint.h>

struct cfg;

struct cve_seen {
	char id[24];	   /* "CVE-2018-7600" */
	size_t source;	   /* index into cfg->sources */
	int64_t published; /* 0: unknown */
	char name[160];	   /* text (feed_text), cut between characters */
	char ref[160];	   /* the source's own id of it */
};

struct cve_list {
	struct cve_seen *v;
	size_t n, cap;
};

/* "CVE-YYYY-NNNN..." (any case) into out, upper case; 0, or -1. */
int cve_normalise(const char *s, char out[24]);
/* Remember one; 0, or -1 out of memory. */
int cve_add(struct cve_list *, const char *id, size_t source, int64_t published,
    const char *name, const char *ref);
void cve_list_free(struct cve_list *);
/* Write DIR/sankaku-cves.json, the rules of dir (rules.shipped, may be
 * "") scanned for each CVE; 0, or -1 with err. */
int cves_write(const char *outdir, const struct cfg *, const struct cve_list *,
    char *err, size_t errlen);

#endif
