/*
 * stixpat.c: STIX 2.x patterns (see stixpat.h).
 *
 * Each AND of comparisons the parser (stixparse.c) found is read as one
 * detection or a reason why it is none.
 */

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "stixparse.h"
#include "stixpat.h"

/* What a comparison's path is. */
enum role {
	R_DOMAIN,
	R_ADDR, /* ipv4-addr / ipv6-addr value */
	R_URL,
	R_HASH,
	R_REF_DST, /* network-traffic:dst_ref.value */
	R_REF_SRC,
	R_PORT_DST,
	R_PORT_SRC,
	R_CONTEXT, /* says something about an identifier, not one itself */
	R_UNSUPPORTED
};

/* A hash name in any spelling: MD5, 'SHA-256', sha256, SHA_1 ... */
static enum ioc_type
hash_type(const char *name, int *matchable)
{
	char n[32];
	size_t o = 0;

	*matchable = 1;
	for (; *name != '\0' && o + 1 < sizeof(n); name++)
		if (*name != '\'' && *name != '-' && *name != '_')
			n[o++] = (char)toupper((unsigned char)*name);
	n[o] = '\0';
	if (strcmp(n, "MD5") == 0)
		return IOC_MD5;
	if (strcmp(n, "SHA1") == 0)
		return IOC_SHA1;
	if (strcmp(n, "SHA256") == 0)
		return IOC_SHA256;
	*matchable = 0;
	return IOC_MAX;
}

/* Classify a comparison's path. */
static enum role
role_of(const struct cmp *c, enum ioc_type *ht, char *why, size_t whylen)
{
	const char *p = c->path;

	*ht = IOC_MAX;
	if (strcmp(p, "domain-name:value") == 0)
		return R_DOMAIN;
	if (strcmp(p, "ipv4-addr:value") == 0 ||
	    strcmp(p, "ipv6-addr:value") == 0)
		return R_ADDR;
	if (strcmp(p, "url:value") == 0)
		return R_URL;
	if (strncmp(p, "file:hashes.", 12) == 0) {
		int ok;

		*ht = hash_type(p + 12, &ok);
		if (ok)
			return R_HASH;
		snprintf(why, whylen,
		    "%.80s: Suricata matches file MD5, SHA-1 and SHA-256 "
		    "only",
		    p);
		return R_UNSUPPORTED;
	}
	if (strcmp(p, "network-traffic:dst_ref.value") == 0)
		return R_REF_DST;
	if (strcmp(p, "network-traffic:src_ref.value") == 0)
		return R_REF_SRC;
	if (strcmp(p, "network-traffic:dst_port") == 0)
		return R_PORT_DST;
	if (strcmp(p, "network-traffic:src_port") == 0)
		return R_PORT_SRC;
	if (strncmp(p, "file:", 5) == 0 ||
	    strncmp(p, "domain-name:resolves_to_refs", 28) == 0 ||
	    strcmp(p, "network-traffic:dst_ref.type") == 0 ||
	    strcmp(p, "network-traffic:src_ref.type") == 0 ||
	    strncmp(p, "network-traffic:protocols", 25) == 0 ||
	    strncmp(p, "ipv4-addr:resolves_to_refs", 26) == 0 ||
	    strncmp(p, "ipv6-addr:resolves_to_refs", 26) == 0)
		return R_CONTEXT;
	snprintf(why, whylen, "%.80s cannot be matched by Suricata", p);
	return R_UNSUPPORTED;
}

/* Add an atom. */
static void
atom(struct stixpat *p, enum ioc_type t, const char *v, unsigned port)
{
	struct stixpat_atom *a;
	size_t i;

	if (p->natoms == STIXPAT_MAX)
		return;
	a = &p->atom[p->natoms];
	a->type = t;
	if (port != 0) {
		if (strchr(v, ':') != NULL && strchr(v, '.') == NULL)
			snprintf(
			    a->value, sizeof(a->value), "[%s]:%u", v, port);
		else
			snprintf(a->value, sizeof(a->value), "%s:%u", v, port);
	} else
		snprintf(a->value, sizeof(a->value), "%s", v);
	for (i = 0; i < p->natoms; i++)
		if (p->atom[i].type == t &&
		    strcmp(p->atom[i].value, a->value) == 0)
			return; /* OR of the same twice */
	p->natoms++;
}

/* Note a part that gave no detection. */
static void
skip(struct stixpat *p, enum skip why, const char *text)
{
	if (p->nskips < sizeof(p->skip) / sizeof(p->skip[0])) {
		p->skip[p->nskips].why = why;
		snprintf(p->skip[p->nskips].text,
		    sizeof(p->skip[p->nskips].text), "%s", text);
	}
	p->nskips++;
}

/* Whether a port literal is 1-65535; its value. */
static unsigned
port_of(const struct cmp *c)
{
	long v;

	if (c->lit != T_NUM || strcmp(c->op, "=") != 0 || c->negated)
		return 0;
	v = strtol(c->value, NULL, 10);
	return v >= 1 && v <= 65535 ? (unsigned)v : 0;
}

/* An address, or a domain, as a network-traffic reference holds it. */
static enum ioc_type
ref_type(const char *v)
{
	size_t i;
	int alpha = 0;

	for (i = 0; v[i] != '\0'; i++)
		if (isalpha((unsigned char)v[i]) && v[i] != ':')
			alpha = 1;
	if (strchr(v, ':') != NULL)
		return strchr(v, '/') != NULL ? IOC_CIDR : IOC_IP;
	return alpha ? IOC_DOMAIN : (strchr(v, '/') ? IOC_CIDR : IOC_IP);
}

/* One AND of comparisons read as one detection, or skipped. */
static void
read_conj(struct stixpat *p, const struct cmp *cmps, const unsigned char *idx,
    size_t n)
{
	const struct cmp *ident[MAXAND];
	enum role roles[MAXAND];
	enum ioc_type ht[MAXAND];
	size_t i, nid = 0, nhash = 0;
	unsigned dport = 0, sport = 0;
	char why[200] = "";

	for (i = 0; i < n; i++) {
		const struct cmp *c = &cmps[idx[i]];
		enum role r = role_of(c, &ht[nid], why, sizeof(why));

		if (r == R_UNSUPPORTED) {
			/* context we cannot read is harmless beside a hash;
			 * alone or as the identifier it is the reason */
			if (n == 1) {
				skip(p, SKIP_UNSUPPORTED, why);
				return;
			}
			continue;
		}
		if (r == R_CONTEXT) {
			if (why[0] == '\0')
				snprintf(why, sizeof(why),
				    "%.80s alone cannot be matched", c->path);
			continue;
		}
		if (r == R_PORT_DST || r == R_PORT_SRC) {
			unsigned v = port_of(c);

			if (v == 0) {
				skip(p, SKIP_UNSUPPORTED_PATTERN,
				    "a port compared other than '= N'");
				return;
			}
			if (r == R_PORT_DST)
				dport = v;
			else
				sport = v;
			continue;
		}
		if (c->negated || c->lit != T_STR ||
		    (strcmp(c->op, "=") != 0 &&
			!(strcmp(c->op, "ISSUBSET") == 0 &&
			    (r == R_ADDR || r == R_REF_DST ||
				r == R_REF_SRC)))) {
			snprintf(why, sizeof(why),
			    "%.80s%s %s: only '=' (and ISSUBSET for "
			    "prefixes) is matched exactly",
			    c->path, c->negated ? " NOT" : "", c->op);
			skip(p, SKIP_UNSUPPORTED_PATTERN, why);
			return;
		}
		roles[nid] = r;
		nhash += r == R_HASH;
		ident[nid++] = c;
	}
	if (nid == 0) {
		skip(p, SKIP_UNSUPPORTED,
		    why[0] != '\0' ? why : "nothing Suricata can match");
		return;
	}
	if (nhash == nid) { /* one file, each hash names it */
		for (i = 0; i < nid; i++)
			atom(p, ht[i], ident[i]->value, 0);
		return;
	}
	if (nid > 1) {
		skip(p, SKIP_UNSUPPORTED_PATTERN,
		    "AND of two values cannot be one detection");
		return;
	}
	switch (roles[0]) {
	case R_DOMAIN:
		atom(p, IOC_DOMAIN, ident[0]->value, 0);
		break;
	case R_URL:
		atom(p, IOC_URL, ident[0]->value, 0);
		break;
	case R_ADDR:
		atom(p, strchr(ident[0]->value, '/') ? IOC_CIDR : IOC_IP,
		    ident[0]->value, 0);
		break;
	case R_REF_DST:
	case R_REF_SRC: {
		enum ioc_type t = ref_type(ident[0]->value);
		unsigned port = roles[0] == R_REF_DST ? dport : sport;

		if (port != 0 && t == IOC_IP)
			atom(p, IOC_IP_PORT, ident[0]->value, port);
		else if (port != 0 && t == IOC_DOMAIN)
			atom(p, IOC_DOMAIN_PORT, ident[0]->value, port);
		else
			atom(p, t, ident[0]->value, 0);
		break;
	}
	default:
		skip(p, SKIP_UNSUPPORTED, "nothing Suricata can match");
	}
}

/* Parse and read. */
int
stixpat_parse(const char *pattern, struct stixpat *p)
{
	struct stixparse *ps;
	size_t i;

	p->natoms = 0;
	p->nskips = 0;
	if (p->work == NULL && (p->work = malloc(sizeof(*p->work))) == NULL) {
		skip(p, SKIP_BAD_VALUE, "out of memory");
		return -1;
	}
	ps = p->work;
	if (stixparse(pattern, ps) != 0) {
		char t[200];

		snprintf(t, sizeof(t), "not a STIX pattern: %s", ps->err);
		skip(p, SKIP_BAD_VALUE, t);
		return -1;
	}
	for (i = 0; i < ps->obs.ok.n; i++)
		read_conj(p, ps->cmp, ps->obs.ok.conj[i], ps->obs.ok.nand[i]);
	if (ps->obs.crossed > 0)
		skip(p, SKIP_UNSUPPORTED_PATTERN, ps->obs.why);
	return 0;
}

/* Free the parser's workspace. */
void
stixpat_done(struct stixpat *p)
{
	free(p->work);
	p->work = NULL;
}
