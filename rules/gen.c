/*
 * gen.c: indicators -> DIR/sankaku.rules, DIR/datasets/NAME.lst and
 * DIR/sankaku.index.
 *
 * Bulk types go into Suricata datasets (or file hash lists), a handful of
 * rules per (type, evidence kind), so a million indicators cost a million
 * dataset entries, not a million rules.  CIDR prefixes, which datasets
 * cannot hold, get one rule each.  Values never reach rule text: datasets
 * hold them base64-encoded or as validated addresses and hex.
 *
 * Output is deterministic: same input, same bytes.  SIDs are
 *   sid_base + 100*type + 10*evidence + location   (0 ... 799)
 *   sid_base + 1000 + n                             CIDR rules, sorted
 * within sid_base ... sid_base+9999.  Every file is written to a temporary
 * name, flushed to disk and renamed, the rules last.
 */

#include <sys/stat.h>

#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "b64.h"
#include "feed.h"

/* Dataset kinds: what a type turns into. */
enum ds_kind {
	DS_DOMAIN,
	DS_URL,
	DS_IPV4,
	DS_IPV6,
	DS_MD5,
	DS_SHA1,
	DS_SHA256,
	DS_JA3,
	DS_MAX
};

static const struct {
	const char *name;     /* file and dataset name part */
	const char *ioc;      /* sankaku_ioc_type */
	const char *dstype;   /* dataset type, or NULL: file hash list */
	const char *locs[3];  /* header + buffer of each rule */
	const char *where[3]; /* for msg */
} kinds[DS_MAX] = {
    [DS_DOMAIN] = {"domain", "domain", "string",
	{"dns any any -> any any (dns.query; to_lowercase;",
	    "tls any any -> any any (tls.sni; to_lowercase;",
	    "http any any -> any any (http.host;"},
	{"DNS query", "TLS SNI", "HTTP Host"}},
    [DS_URL] = {"url", "url", "string",
	{"http any any -> any any (http.uri.raw;"}, {"HTTP request"}},
    [DS_IPV4] = {"ipv4", "ip", "ipv4",
	{"ip any any -> any any (ip.dst;", "ip any any -> any any (ip.src;"},
	{"destination IPv4", "source IPv4"}},
    [DS_IPV6] = {"ipv6", "ip", "ipv6",
	{"ip any any -> any any (ip.dst;", "ip any any -> any any (ip.src;"},
	{"destination IPv6", "source IPv6"}},
    [DS_MD5] = {"md5", "md5", NULL, {"http any any -> any any (filemd5:"},
	{"file MD5"}},
    [DS_SHA1] = {"sha1", "sha1", NULL, {"http any any -> any any (filesha1:"},
	{"file SHA-1"}},
    [DS_SHA256] = {"sha256", "sha256", NULL,
	{"http any any -> any any (filesha256:"}, {"file SHA-256"}},
    [DS_JA3] = {"ja3", "ja3", "string", {"tls any any -> any any (ja3.hash;"},
	{"TLS JA3"}},
};

/* One merged indicator. */
struct merged {
	enum ioc_type type;
	enum ds_kind kind; /* DS_MAX for CIDR */
	const char *value;
	const char *sources;   /* comma-separated, sorted, unique */
	int owned;	       /* sources was allocated (several of them) */
	const char *published; /* earliest */
	enum evidence evidence;
};

/* Sort by type, value, source. */
static int
ioc_cmp(const void *a, const void *b)
{
	const struct ioc *x = a, *y = b;
	int c;

	if (x->type != y->type)
		return x->type < y->type ? -1 : 1;
	if ((c = strcmp(x->value, y->value)) != 0)
		return c;
	return strcmp(x->source, y->source);
}

/* Dataset kind of an indicator. */
static enum ds_kind
kind_of(const struct ioc *i)
{
	switch (i->type) {
	case IOC_DOMAIN:
		return DS_DOMAIN;
	case IOC_URL:
		return DS_URL;
	case IOC_IP:
		return strchr(i->value, ':') != NULL ? DS_IPV6 : DS_IPV4;
	case IOC_MD5:
		return DS_MD5;
	case IOC_SHA1:
		return DS_SHA1;
	case IOC_SHA256:
		return DS_SHA256;
	case IOC_JA3:
		return DS_JA3;
	default:
		return DS_MAX;
	}
}

/* A file written under a temporary name and renamed into place. */
struct afile {
	FILE *f;
	char tmp[PATH_MAX], path[PATH_MAX];
};

/* Open dir/name for atomic replacement. */
static int
af_open(struct afile *a, const char *dir, const char *name, char *err,
    size_t errlen)
{
	int fd;

	snprintf(a->path, sizeof(a->path), "%s/%s", dir, name);
	{
		/* the temporary file sits beside the final one */
		const char *slash = strrchr(name, '/');

		if (slash == NULL)
			snprintf(
			    a->tmp, sizeof(a->tmp), "%s/.%s.XXXXXX", dir, name);
		else
			snprintf(a->tmp, sizeof(a->tmp), "%s/%.*s/.%s.XXXXXX",
			    dir, (int)(slash - name), name, slash + 1);
	}
	if ((fd = mkstemp(a->tmp)) < 0 || fchmod(fd, 0644) != 0 ||
	    (a->f = fdopen(fd, "w")) == NULL) {
		snprintf(err, errlen, "%s: %s", a->tmp, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	return 0;
}

/* Flush, sync and rename into place. */
static int
af_commit(struct afile *a, char *err, size_t errlen)
{
	if (fflush(a->f) != 0 || fsync(fileno(a->f)) != 0 || ferror(a->f)) {
		snprintf(err, errlen, "%s: %s", a->tmp, strerror(errno));
		fclose(a->f);
		unlink(a->tmp);
		return -1;
	}
	fclose(a->f);
	if (rename(a->tmp, a->path) != 0) {
		snprintf(
		    err, errlen, "rename %s: %s", a->path, strerror(errno));
		unlink(a->tmp);
		return -1;
	}
	return 0;
}

/* Abandon a temporary file. */
static void
af_abort(struct afile *a)
{
	if (a->f != NULL) {
		fclose(a->f);
		unlink(a->tmp);
	}
}

/* Append source to a sorted comma list if absent (input is sorted). */
static void
add_src(char *list, size_t len, const char *src)
{
	const char *p = list;
	size_t n = strlen(src);

	while (*p != '\0') {
		size_t m = strcspn(p, ",");

		if (m == n && strncmp(p, src, n) == 0)
			return;
		p += m;
		if (*p == ',')
			p++;
	}
	if (strlen(list) + n + 2 > len)
		return; /* more sources than fit: the first ones stand */
	if (list[0] != '\0')
		strcat(list, ",");
	strcat(list, src);
}

/* Free a merged list. */
static void
merged_free(struct merged *m, size_t n)
{
	size_t i;

	for (i = 0; m != NULL && i < n; i++)
		if (m[i].owned)
			free((char *)(uintptr_t)m[i].sources);
	free(m);
}

/* Merge duplicates of the sorted list: one entry per (type, value), with
 * every source that supplied it. */
static struct merged *
merge(struct ioc_list *l, size_t *nout)
{
	struct merged *m = calloc(l->n + 1, sizeof(*m));
	size_t i = 0, j, n = 0;

	if (m == NULL)
		return NULL;
	while (i < l->n) {
		struct ioc *x = &l->v[i];
		struct merged *e = &m[n++];
		size_t nsrc = 1, len = strlen(x->source) + 1;

		e->type = x->type;
		e->kind = kind_of(x);
		e->value = x->value;
		e->published = x->published;
		e->evidence = x->evidence;
		e->sources = x->source;
		for (j = i + 1; j < l->n && l->v[j].type == x->type &&
		     strcmp(l->v[j].value, x->value) == 0;
		     j++) {
			const struct ioc *y = &l->v[j];

			if (strcmp(y->source, l->v[j - 1].source) != 0) {
				nsrc++;
				len += strlen(y->source) + 1;
			}
			if (y->published != NULL &&
			    (e->published == NULL ||
				strcmp(y->published, e->published) < 0))
				e->published = y->published;
			if (y->evidence > e->evidence)
				e->evidence = y->evidence;
		}
		if (nsrc > 1) {
			/* sorted by source within the value: skip repeats */
			char *list = malloc(len), *o = list;
			size_t k;

			if (list == NULL) {
				merged_free(m, n);
				return NULL;
			}
			for (k = i; k < j; k++) {
				if (k > i &&
				    strcmp(l->v[k].source,
					l->v[k - 1].source) == 0)
					continue;
				if (o != list)
					*o++ = ',';
				strcpy(o, l->v[k].source);
				o += strlen(o);
			}
			e->sources = list;
			e->owned = 1;
		}
		i = j;
	}
	*nout = n;
	return m;
}

/* metadata: text for a group. */
static void
meta_text(char *buf, size_t len, const char *ioc, enum evidence ev,
    const char *sources)
{
	const char *p = sources;
	size_t o;

	o = (size_t)snprintf(buf, len,
	    "metadata:sankaku_ioc_type %s, sankaku_evidence %s", ioc,
	    isog_evidence_name(ev));
	while (*p != '\0' && o < len) {
		size_t m = strcspn(p, ",");

		o += (size_t)snprintf(
		    buf + o, len - o, ", sankaku_source %.*s", (int)m, p);
		p += m;
		if (*p == ',')
			p++;
	}
	if (o < len)
		snprintf(buf + o, len - o, ";");
}

/* Write everything. */
int
gen_write(const struct cfg *cfg, struct ioc_list *l, const char *dir,
    struct gen_result *res, char *err, size_t errlen)
{
	struct afile rules = {0}, idx = {0}, ds = {0};
	struct merged *m = NULL;
	size_t n = 0, i, j, cidrs = 0, *order = NULL;
	size_t start[DS_MAX * EV_MAX + 1] = {0};
	char dsdir[PATH_MAX], meta[4096], *enc = NULL;
	int k, ev, rv = -1;

	memset(res, 0, sizeof(*res));
	if (mkdir(dir, 0755) != 0 && errno != EEXIST) {
		snprintf(err, errlen, "%s: %s", dir, strerror(errno));
		return -1;
	}
	snprintf(dsdir, sizeof(dsdir), "%s/datasets", dir);
	if (mkdir(dsdir, 0755) != 0 && errno != EEXIST) {
		snprintf(err, errlen, "%s: %s", dsdir, strerror(errno));
		return -1;
	}
	if (l->n > 0)
		qsort(l->v, l->n, sizeof(*l->v), ioc_cmp);
	if ((m = merge(l, &n)) == NULL || (enc = malloc(4096)) == NULL) {
		snprintf(err, errlen, "out of memory");
		goto done;
	}
	res->indicators = n;
	/* Group the entries by (kind, evidence), keeping their order. */
	if ((order = calloc(n + 1, sizeof(*order))) == NULL) {
		snprintf(err, errlen, "out of memory");
		goto done;
	}
	for (i = 0; i < n; i++)
		if (m[i].kind != DS_MAX)
			start[m[i].kind * EV_MAX + m[i].evidence + 1]++;
	for (i = 1; i <= DS_MAX * EV_MAX; i++)
		start[i] += start[i - 1];
	{
		size_t fill[DS_MAX * EV_MAX];

		memcpy(fill, start, sizeof(fill));
		for (i = 0; i < n; i++)
			if (m[i].kind != DS_MAX)
				order[fill[m[i].kind * EV_MAX +
				    m[i].evidence]++] = i;
	}

	if (af_open(&rules, dir, "sankaku.rules", err, errlen) != 0)
		goto done;
	fprintf(rules.f,
	    "# sankaku.rules: generated by sankaku-rules from %zu indicators "
	    "of %zu sources.\n"
	    "# Do not edit: rerun sankaku-rules.  SIDs %ld-%ld.\n",
	    n, cfg->nsources, cfg->sid_base, cfg->sid_base + 9999);

	/* Datasets and their rules, per kind and evidence. */
	for (k = 0; k < DS_MAX; k++) {
		for (ev = 0; ev < EV_MAX; ev++) {
			char name[96], sources[1024] = "", file[128];
			size_t b = (size_t)(k * EV_MAX + ev), x;
			const char *last = NULL;

			if (start[b] == start[b + 1])
				continue;
			for (x = start[b]; x < start[b + 1]; x++) {
				const char *p = m[order[x]].sources;

				if (p == last)
					continue; /* the same source string */
				last = p;
				while (*p != '\0') {
					size_t q = strcspn(p, ",");
					char one[80];

					snprintf(one, sizeof(one), "%.*s",
					    (int)q, p);
					add_src(sources, sizeof(sources), one);
					p += q;
					if (*p == ',')
						p++;
				}
			}
			snprintf(name, sizeof(name), "sankaku-%s-%s",
			    kinds[k].name,
			    isog_evidence_name((enum evidence)ev));
			snprintf(file, sizeof(file), "datasets/%s.lst", name);
			if (af_open(&ds, dir, file, err, errlen) != 0)
				goto done;
			for (x = start[b]; x < start[b + 1]; x++) {
				i = order[x];
				if (kinds[k].dstype != NULL &&
				    strcmp(kinds[k].dstype, "string") == 0) {
					const char *v = m[i].value;

					if (k == DS_URL) /* the path part */
						v = strchr(v, '/');
					if (strlen(v) > 3000)
						continue;
					b64_encode(v, strlen(v), enc);
					fprintf(ds.f, "%s\n", enc);
				} else
					fprintf(ds.f, "%s\n", m[i].value);
			}
			if (af_commit(&ds, err, errlen) != 0) {
				ds.f = NULL;
				goto done;
			}
			ds.f = NULL;
			res->datasets++;
			meta_text(meta, sizeof(meta), kinds[k].ioc,
			    (enum evidence)ev, sources);
			for (j = 0; j < 3 && kinds[k].locs[j] != NULL; j++) {
				long sid =
				    cfg->sid_base + 100 * k + 10 * ev + (long)j;
				const char *ct = ev == EV_COMPROMISE
				    ? "trojan-activity"
				    : "bad-unknown";

				fprintf(rules.f, "alert %s", kinds[k].locs[j]);
				if (kinds[k].dstype != NULL)
					fprintf(rules.f,
					    " dataset:isset,%s,type %s,load "
					    "%s;",
					    name, kinds[k].dstype, file);
				else
					fprintf(rules.f, "%s;", file);
				if (k == DS_IPV4 || k == DS_IPV6)
					/* once per flow, either direction */
					fprintf(rules.f,
					    " flowbits:isnotset,%s; "
					    "flowbits:set,%s;",
					    name, name);
				fprintf(rules.f,
				    " msg:\"SANKAKU %s %s listed (%s) by "
				    "%s\"; classtype:%s; %s sid:%ld; "
				    "rev:1;)\n",
				    kinds[k].name, kinds[k].where[j],
				    isog_evidence_name((enum evidence)ev),
				    sources, ct, meta, sid);
				res->rules++;
			}
		}
	}
	/* CIDR prefixes: one rule each, both directions. */
	for (i = 0; i < n; i++) {
		long sid;

		if (m[i].type != IOC_CIDR)
			continue;
		if (cidrs >= 9000) {
			snprintf(err, errlen,
			    "more than 9000 CIDR prefixes: split them");
			goto done;
		}
		sid = cfg->sid_base + 1000 + (long)cidrs++;
		meta_text(
		    meta, sizeof(meta), "cidr", m[i].evidence, m[i].sources);
		fprintf(rules.f,
		    "alert ip [%s] any <> any any (msg:\"SANKAKU cidr %s "
		    "listed (%s) by %s\"; flowbits:isnotset,sankaku.%ld; "
		    "flowbits:set,sankaku.%ld; classtype:%s; %s sid:%ld; "
		    "rev:1;)\n",
		    m[i].value, m[i].value, isog_evidence_name(m[i].evidence),
		    m[i].sources, sid, sid,
		    m[i].evidence == EV_COMPROMISE ? "trojan-activity"
						   : "bad-unknown",
		    meta, sid);
		res->rules++;
	}

	if (af_open(&idx, dir, "sankaku.index", err, errlen) != 0)
		goto done;
	fprintf(idx.f,
	    "# sankaku indicator index: type, value, sources, "
	    "published, evidence\n");
	for (i = 0; i < n; i++)
		fprintf(idx.f, "%s\t%s\t%s\t%s\t%s\n", ioc_type_name(m[i].type),
		    m[i].value, m[i].sources,
		    m[i].published != NULL ? m[i].published : "-",
		    isog_evidence_name(m[i].evidence));
	if (af_commit(&idx, err, errlen) != 0) {
		idx.f = NULL;
		goto done;
	}
	idx.f = NULL;
	/* The rules last: Suricata never sees rules without their data. */
	if (af_commit(&rules, err, errlen) != 0) {
		rules.f = NULL;
		goto done;
	}
	rules.f = NULL;
	rv = 0;
done:
	af_abort(&rules);
	af_abort(&idx);
	af_abort(&ds);
	merged_free(m, n);
	free(order);
	free(enc);
	return rv;
}
