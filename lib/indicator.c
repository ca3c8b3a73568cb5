/*
 * indicator.c: indicator candidates of an event and the pick (see
 * indicator.h).
 */

#include <sys/socket.h>

#include <stdio.h>
#include <string.h>

#include "cidr.h"
#include "enrich.h"
#include "indicator.h"

/* Add a candidate if there is room and the value fits. */
static void
cand_add(struct ind_cand *c, size_t *n, const char *type, const struct evstr *v,
    int domain)
{
	if (v->p == NULL || v->len == 0 || *n >= IND_MAX_CANDS ||
	    evstr_cstr(v, c[*n].value, sizeof(c[*n].value)) == NULL)
		return;
	c[*n].type = type;
	if (domain)
		enrich_norm_domain(c[*n].value);
	else if (strcmp(type, "ip") == 0 && strchr(c[*n].value, ':') != NULL) {
		/* Suricata writes IPv6 in full: the index has it canonical */
		struct cidr a;

		if (cidr_parse(c[*n].value, &a, 0) == 0)
			cidr_format(&a, c[*n].value, sizeof(c[*n].value));
	}
	(*n)++;
}

/* a:p into out, with brackets around an IPv6 a; 0 if it does not fit. */
static int
port_join(char *out, size_t len, const char *a, const char *p, int brackets)
{
	size_t la = strlen(a), lp = strlen(p);

	if (la + lp + 3 >= len)
		return 0;
	if (brackets)
		*out++ = '[';
	memcpy(out, a, la);
	out += la;
	if (brackets)
		*out++ = ']';
	*out++ = ':';
	memcpy(out, p, lp + 1);
	return 1;
}

/* value:port, IPv6 in brackets and canonical, names lower case.  Suricata
 * writes IPv4 addresses canonical already: only IPv6 is reformatted. */
static void
port_add(struct ind_cand *c, size_t *n, const char *type, const struct evstr *v,
    const struct evstr *port)
{
	char a[256], p[8];
	int v6 = 0;

	if (*n >= IND_MAX_CANDS || evstr_cstr(v, a, sizeof(a)) == NULL ||
	    evstr_cstr(port, p, sizeof(p)) == NULL || a[0] == '\0')
		return;
	if (strcmp(type, "ip-port") == 0) {
		struct cidr x;

		if (cidr_parse(a, &x, 0) != 0)
			return;
		if ((v6 = x.family == AF_INET6))
			cidr_format(&x, a, sizeof(a));
	} else
		enrich_norm_domain(a);
	if (!port_join(c[*n].value, sizeof(c[*n].value), a, p, v6))
		return;
	c[*n].type = type;
	(*n)++;
}

/* Collect every indicator-like value the event carries. */
size_t
ind_collect(const struct evscan *sc, const struct cfg *cfg, struct ind_cand *c)
{
	char src[64], dst[64];
	const char *s, *d;
	size_t n = 0, i;

	/* DNS: Suricata 7's alerts carry dns.query[].rrname, its events
	 * dns.rrname; Suricata 8's both dns.queries[].rrname. */
	for (i = 0; i < sc->nm[M_DNS_QUERY_RRNAME]; i++)
		cand_add(c, &n, "domain", &sc->m[M_DNS_QUERY_RRNAME][i], 1);
	cand_add(c, &n, "domain", &sc->f[F_DNS_RRNAME], 1);
	cand_add(c, &n, "domain", &sc->f[F_TLS_SNI], 1);
	if (sc->f[F_HTTP_HOSTNAME].p != NULL && sc->f[F_HTTP_URL].p != NULL &&
	    n < IND_MAX_CANDS) {
		/* host[:port]/path, as sankaku-rules writes URLs */
		char port[8] = "";
		size_t h;

		if (evstr_cstr(&sc->f[F_HTTP_PORT], port, sizeof(port)) ==
			NULL ||
		    strcmp(port, "80") == 0)
			port[0] = '\0';
		if (evstr_cstr(&sc->f[F_HTTP_HOSTNAME], c[n].value, 256) !=
		    NULL) {
			enrich_norm_domain(c[n].value);
			h = strlen(c[n].value);
			if (port[0] != '\0')
				h += (size_t)snprintf(c[n].value + h,
				    sizeof(c[n].value) - h, ":%s", port);
			if (evstr_cstr(&sc->f[F_HTTP_URL], c[n].value + h,
				sizeof(c[n].value) - h) != NULL &&
			    c[n].value[h] == '/') {
				c[n].type = "url";
				n++;
			}
		}
	}
	cand_add(c, &n, "domain", &sc->f[F_HTTP_HOSTNAME], 1);
	/* Addresses: the far end first (outside home_net), then the other. */
	s = evstr_cstr(&sc->f[F_SRC_IP], src, sizeof(src));
	d = evstr_cstr(&sc->f[F_DEST_IP], dst, sizeof(dst));
	if (cidr_list_has(cfg->home_net, cfg->nhome_net, s) &&
	    !cidr_list_has(cfg->home_net, cfg->nhome_net, d)) {
		cand_add(c, &n, "ip", &sc->f[F_DEST_IP], 0);
		cand_add(c, &n, "ip", &sc->f[F_SRC_IP], 0);
	} else {
		cand_add(c, &n, "ip", &sc->f[F_SRC_IP], 0);
		cand_add(c, &n, "ip", &sc->f[F_DEST_IP], 0);
	}
	/* address:port, host:port: the server's side first */
	port_add(c, &n, "ip-port", &sc->f[F_DEST_IP], &sc->f[F_DEST_PORT]);
	port_add(c, &n, "ip-port", &sc->f[F_SRC_IP], &sc->f[F_SRC_PORT]);
	port_add(c, &n, "domain-port", &sc->f[F_TLS_SNI], &sc->f[F_DEST_PORT]);
	port_add(
	    c, &n, "domain-port", &sc->f[F_HTTP_HOSTNAME], &sc->f[F_DEST_PORT]);
	for (i = 0; i < sc->nm[M_FILES_SHA256]; i++)
		cand_add(c, &n, "sha256", &sc->m[M_FILES_SHA256][i], 1);
	for (i = 0; i < sc->nm[M_FILES_SHA1]; i++)
		cand_add(c, &n, "sha1", &sc->m[M_FILES_SHA1][i], 1);
	for (i = 0; i < sc->nm[M_FILES_MD5]; i++)
		cand_add(c, &n, "md5", &sc->m[M_FILES_MD5][i], 1);
	cand_add(c, &n, "sha256", &sc->f[F_FILEINFO_SHA256], 1);
	cand_add(c, &n, "sha1", &sc->f[F_FILEINFO_SHA1], 1);
	cand_add(c, &n, "md5", &sc->f[F_FILEINFO_MD5], 1);
	cand_add(c, &n, "ja3", &sc->f[F_JA3_HASH], 1);
	/* what a DNS answer resolved to: an address, or a name (CNAME) */
	for (i = 0; i < sc->nm[M_DNS_ANSWER_RDATA]; i++) {
		char v[64];
		struct cidr a;
		int ip = evstr_cstr(&sc->m[M_DNS_ANSWER_RDATA][i], v,
			     sizeof(v)) != NULL &&
		    cidr_parse(v, &a, 0) == 0;

		cand_add(c, &n, ip ? "ip" : "domain",
		    &sc->m[M_DNS_ANSWER_RDATA][i], !ip);
	}
	return n;
}

/* Pick the indicator: the rule's type first, then any index hit, then the
 * application layer's natural one. */
const struct ind_cand *
ind_pick(const struct idx *idx, const struct ind_cand *c, size_t n,
    const char *hint, const char *app_proto, const struct idx_entry **hit)
{
	size_t i;
	const struct idx_entry *e;

	*hit = NULL;
	if (hint != NULL) {
		/* cidr indicators are seen as ip values */
		const char *t = strcmp(hint, "cidr") == 0 ? "ip" : hint;

		for (i = 0; i < n; i++) {
			if (strcmp(c[i].type, t) == 0 &&
			    (e = idx_find(idx, t, c[i].value)) != NULL) {
				*hit = e;
				return &c[i];
			}
		}
		for (i = 0; i < n; i++)
			if (strcmp(c[i].type, t) == 0)
				return &c[i];
	}
	for (i = 0; i < n; i++) {
		if ((e = idx_find(idx, c[i].type, c[i].value)) != NULL) {
			*hit = e;
			return &c[i];
		}
	}
	if (app_proto == NULL)
		return NULL;
	for (i = 0; i < n; i++) {
		if ((strcmp(app_proto, "http") == 0 &&
			strcmp(c[i].type, "url") == 0) ||
		    ((strcmp(app_proto, "dns") == 0 ||
			 strcmp(app_proto, "tls") == 0) &&
			strcmp(c[i].type, "domain") == 0))
			return &c[i];
	}
	return NULL;
}
