/*
 * gen.c: merged indicators -> DIR/sankaku.rules and DIR/datasets/ (see
 * gen.h for the SIDs).
 *
 * Every indicator goes into a group (ggroup.c): its type, evidence kind
 * and, for address:port and domain:port, its port; CIDR prefixes go by
 * address block.  A group is one dataset (or file hash list, or address list)
 * and the few rules that look it up in each place it can appear.  So a
 * million indicators cost a million dataset entries and a few hundred
 * rules.  Values never reach rule text except validated addresses:
 * datasets hold strings base64-encoded.
 *
 * A URL indicator is a host and a path together.  Suricata cannot look
 * the two up as one key, so its rule needs the request's host in the URL
 * hosts dataset AND its raw URI in the URL paths dataset: a listed path
 * on an unlisted host, or a listed host's root asked of another host,
 * does not match.  Two listed URLs can still cross (host of one, path of
 * the other); sankakud's index check drops those.
 *
 * Output is deterministic: same input, same bytes.  Every file is
 * written under a temporary name and renamed, the rules last.
 */

#include <sys/socket.h>
#include <sys/stat.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cidr.h"
#include "genrule.h"
#include "ggroup.h"

/* The sources of a group's items, comma-separated, in config order. */
static void
group_sources(struct gen *g, const struct item *it, size_t n, struct buf *b)
{
	const struct cfg *cfg = g->cfg;
	size_t i, k;

	memset(g->srcseen, 0, cfg->nsources + 1);
	for (i = 0; i < n; i++)
		for (k = 0; k < it[i].m->nsrc; k++)
			g->srcseen[it[i].m->src[k]] = 1;
	for (k = 0; k < cfg->nsources; k++) {
		if (!g->srcseen[k])
			continue;
		if (b->len > 0)
			buf_put(b, ",", 1);
		buf_put(b, cfg->sources[k].id, strlen(cfg->sources[k].id));
	}
}

/* What the fixed groups (one per type and evidence) match, where. */
static const struct {
	const char *ioc;    /* sankaku_ioc_type */
	const char *dstype; /* dataset type; NULL: a file hash list */
	const char *hdr[3];
	const char *buf[3]; /* sticky buffer and transforms, or keyword */
	const char *where[3];
	int flow; /* alert once per flow */
} fixed[] = {
    [G_DOMAIN] = {"domain", "string",
	{"dns any any -> any any", "tls any any -> any any",
	    "http any any -> any any"},
	{"dns.query; to_lowercase;", "tls.sni; to_lowercase;", "http.host;"},
	{"DNS query", "TLS SNI", "HTTP Host"}, 0},
    [G_IPV4] = {"ip", "ipv4",
	{"ip any any -> any any", "ip any any -> any any"},
	{"ip.dst;", "ip.src;"}, {"destination IPv4", "source IPv4"}, 1},
    [G_IPV6] = {"ip", "ipv6",
	{"ip any any -> any any", "ip any any -> any any"},
	{"ip.dst;", "ip.src;"}, {"destination IPv6", "source IPv6"}, 1},
    [G_MD5] = {"md5", NULL, {"http any any -> any any"}, {"filemd5:"},
	{"file MD5"}, 0},
    [G_SHA1] = {"sha1", NULL, {"http any any -> any any"}, {"filesha1:"},
	{"file SHA-1"}, 0},
    [G_SHA256] = {"sha256", NULL, {"http any any -> any any"}, {"filesha256:"},
	{"file SHA-256"}, 0},
    [G_JA3] = {"ja3", "string", {"tls any any -> any any"}, {"ja3.hash;"},
	{"TLS JA3"}, 0},
};

/* A group of one type and evidence kind, over one dataset. */
static int
write_fixed(struct gen *g, enum gkind k, enum evidence ev,
    const struct item *it, size_t n, const char *sources)
{
	const char **vals = calloc(n, sizeof(*vals));
	struct rmeta rm = {fixed[k].ioc, NULL, ev, sources, NULL};
	char name[64];
	size_t i, w;
	int j, rv = -1;

	if (vals == NULL)
		return -1;
	for (i = 0; i < n; i++)
		vals[i] = it[i].m->value;
	snprintf(name, sizeof(name), "sankaku-%s-%s", gnames[k],
	    isog_evidence_name(ev));
	if (gen_dataset(g, name, vals, n,
		fixed[k].dstype != NULL &&
		    strcmp(fixed[k].dstype, "string") == 0,
		&w) != 0)
		goto done;
	for (j = 0; j < 3 && fixed[k].hdr[j] != NULL; j++) {
		struct buf b = {NULL, 0, 0, 0};

		buf_put(&b, fixed[k].buf[j], strlen(fixed[k].buf[j]));
		if (fixed[k].dstype != NULL) {
			BUF_PUTS(&b, " ");
			gen_dataset_opt(&b, name, fixed[k].dstype, w);
		} else {
			char f[96];

			snprintf(f, sizeof(f), "datasets/%s.lst;", name);
			buf_put(&b, f, strlen(f));
		}
		rm.where = fixed[k].where[j];
		rm.flowbit = fixed[k].flow ? name : NULL;
		if (b.oom ||
		    gen_rule(g, fixed[k].hdr[j], b.s, &rm,
			g->cfg->sid_base + 100 * k + 10 * ev + j) != 0) {
			free(b.s);
			goto done;
		}
		free(b.s);
	}
	rv = 0;
done:
	free(vals);
	return rv;
}

/* URLs: a hosts dataset (and one for hosts with a port) and a paths
 * dataset, both required by each rule. */
static int
write_url(struct gen *g, enum evidence ev, const struct item *it, size_t n,
    const char *sources, struct arena *a)
{
	const char **host = calloc(n, sizeof(*host));
	const char **hostport = calloc(n, sizeof(*hostport));
	const char **path = calloc(n, sizeof(*path));
	struct rmeta rm = {"url", "HTTP request", ev, sources, NULL};
	size_t i, nh = 0, nhp = 0, np = 0, wh = 0, whp = 0, wp = 0;
	char hname[64], hpname[64], pname[64];
	int rv = -1;

	if (host == NULL || hostport == NULL || path == NULL)
		goto done;
	for (i = 0; i < n; i++) {
		const char *v = it[i].m->value, *slash = strchr(v, '/');
		const char *close = strchr(v, ']');
		const char *h;
		int port;

		if (slash == NULL)
			continue;
		h = arena_strndup(a, v, (size_t)(slash - v));
		if (h == NULL)
			goto done;
		port = close != NULL && close < slash
		    ? close[1] == ':'
		    : memchr(v, ':', (size_t)(slash - v)) != NULL;
		if (port)
			hostport[nhp++] = h;
		else
			host[nh++] = h;
		path[np++] = slash;
	}
	snprintf(hname, sizeof(hname), "sankaku-url-host-%s",
	    isog_evidence_name(ev));
	snprintf(hpname, sizeof(hpname), "sankaku-url-hostport-%s",
	    isog_evidence_name(ev));
	snprintf(pname, sizeof(pname), "sankaku-url-path-%s",
	    isog_evidence_name(ev));
	if ((nh > 0 && gen_dataset(g, hname, host, nh, 1, &wh) != 0) ||
	    (nhp > 0 && gen_dataset(g, hpname, hostport, nhp, 1, &whp) != 0) ||
	    gen_dataset(g, pname, path, np, 1, &wp) != 0)
		goto done;
	for (i = 0; i < 2; i++) {
		struct buf b = {NULL, 0, 0, 0};

		if ((i == 0 && nh == 0) || (i == 1 && nhp == 0))
			continue;
		if (i == 0) {
			BUF_PUTS(&b, "http.host; ");
			gen_dataset_opt(&b, hname, "string", wh);
		} else {
			BUF_PUTS(&b, "http.host.raw; to_lowercase; ");
			gen_dataset_opt(&b, hpname, "string", whp);
		}
		BUF_PUTS(&b, " http.uri.raw; ");
		gen_dataset_opt(&b, pname, "string", wp);
		if (b.oom ||
		    gen_rule(g, "http any any -> any any", b.s, &rm,
			g->cfg->sid_base + 100 * G_URL + 10 * ev + (long)i) !=
			0) {
			free(b.s);
			goto done;
		}
		free(b.s);
	}
	rv = 0;
done:
	free(host);
	free(hostport);
	free(path);
	return rv;
}

/* address:port or domain:port on one port: one dataset of the
 * addresses or domains, a rule per direction or place. */
static int
write_port(struct gen *g, enum gkind k, enum evidence ev, unsigned port,
    const struct item *it, size_t n, const char *sources, struct arena *a)
{
	const char **vals = calloc(n, sizeof(*vals));
	struct rmeta rm = {k == G_DOMAINPORT ? "domain-port" : "ip-port", NULL,
	    ev, sources, NULL};
	const char *dstype = k == G_IPPORT4 ? "ipv4"
	    : k == G_IPPORT6		    ? "ipv6"
					    : "string";
	char name[80], hdr[2][64], id[96];
	const char *match[2], *where[2];
	size_t i, w;
	int j, rv = -1;

	if (vals == NULL)
		return -1;
	for (i = 0; i < n; i++) {
		const char *v = it[i].m->value, *colon = strrchr(v, ':');

		if (v[0] == '[')
			vals[i] =
			    arena_strndup(a, v + 1, (size_t)(colon - v) - 2);
		else
			vals[i] = arena_strndup(a, v, (size_t)(colon - v));
		if (vals[i] == NULL)
			goto done;
	}
	snprintf(name, sizeof(name), "sankaku-%s-%s-%u", gnames[k],
	    isog_evidence_name(ev), port);
	if (gen_dataset(g, name, vals, n, k == G_DOMAINPORT, &w) != 0)
		goto done;
	if (k == G_DOMAINPORT) {
		snprintf(hdr[0], sizeof(hdr[0]), "tls any any -> any %u", port);
		snprintf(
		    hdr[1], sizeof(hdr[1]), "http any any -> any %u", port);
		match[0] = "tls.sni; to_lowercase; ";
		match[1] = "http.host; ";
		where[0] = "TLS SNI";
		where[1] = "HTTP Host";
	} else {
		snprintf(hdr[0], sizeof(hdr[0]), "ip any any -> any %u", port);
		snprintf(hdr[1], sizeof(hdr[1]), "ip any %u -> any any", port);
		match[0] = "ip.dst; ";
		match[1] = "ip.src; ";
		where[0] = "destination address and port";
		where[1] = "source address and port";
		rm.flowbit = name;
	}
	for (j = 0; j < 2; j++) {
		struct buf b = {NULL, 0, 0, 0};

		buf_put(&b, match[j], strlen(match[j]));
		gen_dataset_opt(&b, name, dstype, w);
		rm.where = where[j];
		snprintf(id, sizeof(id), "%s/%d", name, j);
		if (b.oom ||
		    gen_rule(g, hdr[j], b.s, &rm,
			gen_sid_hashed(
			    g->cfg->sid_hashed_base, id, g->taken)) != 0) {
			free(b.s);
			goto done;
		}
		free(b.s);
	}
	rv = 0;
done:
	free(vals);
	return rv;
}

/* One rule over a list of prefixes (its items [0, n)). */
static int
cidr_rule(struct gen *g, enum evidence ev, const struct item *it, size_t n,
    const char *id)
{
	struct buf hdr = {NULL, 0, 0, 0}, src = {NULL, 0, 0, 0};
	struct rmeta rm = {"cidr", "address block", ev, NULL, NULL};
	char fb[32];
	long sid;
	size_t i;
	int rv;

	BUF_PUTS(&hdr, "ip [");
	for (i = 0; i < n; i++) {
		if (i > 0)
			buf_put(&hdr, ",", 1);
		buf_put(&hdr, it[i].m->value, strlen(it[i].m->value));
	}
	BUF_PUTS(&hdr, "] any <> any any");
	group_sources(g, it, n, &src);
	sid = gen_sid_hashed(g->cfg->sid_hashed_base, id, g->taken);
	snprintf(fb, sizeof(fb), "sankaku.%ld", sid);
	rm.sources = src.s != NULL ? src.s : "";
	rm.flowbit = fb;
	rv = hdr.oom || src.oom ? -1 : gen_rule(g, hdr.s, "", &rm, sid);
	free(hdr.s);
	free(src.s);
	return rv;
}

/* Room for addresses in one rule. */
static size_t
list_len(const struct item *it, size_t n)
{
	size_t i, len = 0;

	for (i = 0; i < n; i++)
		len += strlen(it[i].m->value) + 1;
	return len;
}

#define LIST_MAX (RULE_MAX - 2200)

/* The sub-block of a prefix: the /16 of an IPv4 /8 block, the /32 of an
 * IPv6 /16 one. */
static unsigned
sub_of(enum gkind k, const char *value)
{
	struct cidr c;

	if (cidr_parse(value, &c, 0) != 0)
		return 0;
	return k == G_CIDR4 ? c.addr[1]
			    : (unsigned)(c.addr[2] << 8 | c.addr[3]);
}

/* Prefixes of one address block: one rule if they fit; else runs of
 * whole sub-blocks, each as many as fit (a prefix added moves the rules
 * of its block only); a sub-block too big alone goes in chunks. */
static int
write_cidr(struct gen *g, enum gkind k, enum evidence ev, unsigned block,
    const struct item *it, size_t n)
{
	char id[96];
	size_t i = 0;

	snprintf(id, sizeof(id), "%s/%s/%u", gnames[k], isog_evidence_name(ev),
	    block);
	if (list_len(it, n) <= LIST_MAX)
		return cidr_rule(g, ev, it, n, id);
	while (i < n) {
		unsigned first = sub_of(k, it[i].m->value), last = first;
		size_t j = i, len = 0, chunk = 0;

		/* whole sub-blocks while they fit */
		while (j < n) {
			unsigned sub = sub_of(k, it[j].m->value);
			size_t e = j, sl;

			while (e < n && sub_of(k, it[e].m->value) == sub)
				e++;
			sl = list_len(it + j, e - j);
			if (len + sl > LIST_MAX)
				break;
			len += sl;
			last = sub;
			j = e;
		}
		if (j > i) {
			snprintf(id, sizeof(id), "%s/%s/%u.%u-%u", gnames[k],
			    isog_evidence_name(ev), block, first, last);
			if (cidr_rule(g, ev, it + i, j - i, id) != 0)
				return -1;
			i = j;
			continue;
		}
		/* one sub-block too big alone: greedy chunks */
		while (j < n && sub_of(k, it[j].m->value) == first)
			j++;
		while (i < j) {
			size_t e = i;

			len = 0;
			while (e < j &&
			    len + strlen(it[e].m->value) + 1 <= LIST_MAX)
				len += strlen(it[e++].m->value) + 1;
			snprintf(id, sizeof(id), "%s/%s/%u.%u#%zu", gnames[k],
			    isog_evidence_name(ev), block, first, chunk++);
			if (cidr_rule(g, ev, it + i, e - i, id) != 0)
				return -1;
			i = e;
		}
	}
	return 0;
}

/* One group. */
static int
write_group(struct gen *g, const struct item *it, size_t n, struct arena *a)
{
	enum gkind k = (enum gkind)(it[0].key >> 40);
	enum evidence ev = (enum evidence)((it[0].key >> 32) & 0xff);
	unsigned port = (unsigned)((it[0].key >> 16) & 0xffff);
	unsigned block = (unsigned)(it[0].key & 0xffff);
	struct buf src = {NULL, 0, 0, 0};
	int rv;

	if (k == G_CIDR4 || k == G_CIDR6)
		return write_cidr(g, k, ev, block, it, n);
	group_sources(g, it, n, &src);
	if (src.oom)
		return -1;
	if (k == G_URL)
		rv = write_url(g, ev, it, n, src.s != NULL ? src.s : "", a);
	else if (k == G_IPPORT4 || k == G_IPPORT6 || k == G_DOMAINPORT)
		rv = write_port(
		    g, k, ev, port, it, n, src.s != NULL ? src.s : "", a);
	else
		rv = write_fixed(g, k, ev, it, n, src.s != NULL ? src.s : "");
	free(src.s);
	return rv;
}

/* Write the rules and datasets. */
int
gen_rules(const struct cfg *cfg, const struct merged *m, size_t n,
    const char *dir, struct gen_result *res, char *err, size_t errlen)
{
	struct gen g;
	struct item *it = gen_group(m, n);
	struct arena *a = arena_new();
	char dsdir[PATH_MAX];
	size_t i, j;
	int rv = -1;

	memset(&g, 0, sizeof(g));
	memset(res, 0, sizeof(*res));
	g.cfg = cfg;
	g.dir = dir;
	g.res = res;
	g.err = err;
	g.errlen = errlen;
	g.taken = calloc(1u << 21, 1);
	g.srcseen = calloc(cfg->nsources + 1, 1);
	g.enc = malloc(4096);
	if (it == NULL || a == NULL || g.taken == NULL || g.srcseen == NULL ||
	    g.enc == NULL) {
		snprintf(err, errlen, "out of memory");
		goto done;
	}
	snprintf(dsdir, sizeof(dsdir), "%s/datasets", dir);
	if ((mkdir(dir, 0755) != 0 && errno != EEXIST) ||
	    (mkdir(dsdir, 0755) != 0 && errno != EEXIST)) {
		snprintf(err, errlen, "%s: %s", dsdir, strerror(errno));
		goto done;
	}
	res->indicators = n;
	if (af_open(&g.rules, dir, "sankaku.rules", err, errlen) != 0)
		goto done;
	fprintf(g.rules.f,
	    "# sankaku.rules: generated by sankaku-rules from %zu indicators "
	    "of %zu sources.\n"
	    "# Do not edit: rerun sankaku-rules.  SIDs %ld-%ld and "
	    "%ld-%ld.\n",
	    n, cfg->nsources, cfg->sid_base, cfg->sid_base + 999,
	    cfg->sid_hashed_base, cfg->sid_hashed_base + (1L << 24) - 1);
	for (i = 0; i < n; i = j) {
		for (j = i + 1; j < n && it[j].key == it[i].key; j++)
			;
		if (write_group(&g, it + i, j - i, a) != 0)
			goto done;
	}
	/* the rules last: Suricata never sees rules without their data */
	rv = af_commit(&g.rules, err, errlen);
done:
	af_abort(&g.rules);
	free(it);
	arena_free(a);
	free(g.taken);
	free(g.srcseen);
	free(g.enc);
	return rv;
}
