/*
 * ftype.c: the type names feeds use (sankaku's own, MISP's, abuse.ch
 * ThreatFox's), MISP's composite types ("domain|ip", "ip-dst|port",
 * "filename|sha256"), and what each becomes: indicators, or a reason why
 * not.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "feed.h"
#include "ftype.h"

enum kind {
	K_IOC,	       /* one indicator of type */
	K_PORT,	       /* "port" in a composite: joins the address */
	K_CONTEXT,     /* a part of a composite that only describes */
	K_NOT_IDS,     /* never meant for detection */
	K_UNSUPPORTED, /* Suricata cannot match it */
};

static const struct {
	const char *name;
	enum kind kind;
	enum ioc_type type;
	const char *why; /* K_UNSUPPORTED */
} names[] = {
    /* sankaku's own */
    {"domain", K_IOC, IOC_DOMAIN, NULL},
    {"url", K_IOC, IOC_URL, NULL},
    {"ip", K_IOC, IOC_CIDR, NULL},
    {"cidr", K_IOC, IOC_CIDR, NULL},
    {"md5", K_IOC, IOC_MD5, NULL},
    {"sha1", K_IOC, IOC_SHA1, NULL},
    {"sha256", K_IOC, IOC_SHA256, NULL},
    {"ja3", K_IOC, IOC_JA3, NULL},
    {"ip-port", K_IOC, IOC_IP_PORT, NULL},
    {"domain-port", K_IOC, IOC_DOMAIN_PORT, NULL},
    /* MISP */
    {"ip-src", K_IOC, IOC_CIDR, NULL},
    {"ip-dst", K_IOC, IOC_CIDR, NULL},
    {"hostname", K_IOC, IOC_DOMAIN, NULL},
    {"ja3-fingerprint-md5", K_IOC, IOC_JA3, NULL},
    {"port", K_PORT, IOC_MAX, NULL},
    {"filename", K_CONTEXT, IOC_MAX, "a file name alone"},
    {"comment", K_NOT_IDS, IOC_MAX, NULL},
    {"text", K_NOT_IDS, IOC_MAX, NULL},
    {"other", K_NOT_IDS, IOC_MAX, NULL},
    {"link", K_NOT_IDS, IOC_MAX, NULL},
    {"uri", K_UNSUPPORTED, IOC_MAX,
	"a path without its host would match every web site"},
    {"sha512", K_UNSUPPORTED, IOC_MAX,
	"Suricata matches file MD5, SHA-1 and SHA-256 only"},
    {"sha224", K_UNSUPPORTED, IOC_MAX,
	"Suricata matches file MD5, SHA-1 and SHA-256 only"},
    {"sha384", K_UNSUPPORTED, IOC_MAX,
	"Suricata matches file MD5, SHA-1 and SHA-256 only"},
    {"ssdeep", K_UNSUPPORTED, IOC_MAX, "fuzzy hashes cannot be matched"},
    {"tlsh", K_UNSUPPORTED, IOC_MAX, "fuzzy hashes cannot be matched"},
    {"imphash", K_UNSUPPORTED, IOC_MAX, "import hashes cannot be matched"},
    {"email", K_UNSUPPORTED, IOC_MAX, "mail is not on the sensor's wire"},
    {"email-src", K_UNSUPPORTED, IOC_MAX, "mail is not on the sensor's wire"},
    {"email-dst", K_UNSUPPORTED, IOC_MAX, "mail is not on the sensor's wire"},
    {"email-subject", K_UNSUPPORTED, IOC_MAX,
	"mail is not on the sensor's wire"},
    {"regkey", K_UNSUPPORTED, IOC_MAX, "a host artefact, not on the wire"},
    {"regkey|value", K_UNSUPPORTED, IOC_MAX,
	"a host artefact, not on the wire"},
    {"mutex", K_UNSUPPORTED, IOC_MAX, "a host artefact, not on the wire"},
    {"yara", K_UNSUPPORTED, IOC_MAX, "a YARA rule is not a value"},
    {"snort", K_UNSUPPORTED, IOC_MAX,
	"rule text from a feed is never deployed"},
    {"user-agent", K_UNSUPPORTED, IOC_MAX,
	"not matched exactly (clients vary it)"},
    {"AS", K_UNSUPPORTED, IOC_MAX, "an AS number is not on the wire"},
    /* abuse.ch ThreatFox */
    {"ip:port", K_IOC, IOC_IP_PORT, NULL},
    {"md5_hash", K_IOC, IOC_MD5, NULL},
    {"sha1_hash", K_IOC, IOC_SHA1, NULL},
    {"sha256_hash", K_IOC, IOC_SHA256, NULL},
};

/* The entry for a name, or -1. */
static int
lookup(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strlen(names[i].name) == n &&
		    strncasecmp(names[i].name, s, n) == 0)
			return (int)i;
	return -1;
}

/* A type name, printable. */
static void
quote(struct buf *b, const char *s, size_t n)
{
	feed_quote(b, s, n, 60);
}

#define MAXPARTS 6

/* Emit value (of type, both as the feed wrote them). */
int
feed_typed(struct feed_ctx *ctx, const char *type, size_t tlen,
    const char *value, size_t vlen, const struct ioc_meta *m, const char *pos,
    int strict)
{
	const char *tp[MAXPARTS], *vp[MAXPARTS];
	size_t tn[MAXPARTS], vn[MAXPARTS], nt = 0, nv = 0, i;
	int e[MAXPARTS], addr = -1, port = -1, emitted = 0;
	struct buf b = {NULL, 0, 0, 0};

	/* a name of its own first ("regkey|value", "ip:port") */
	if ((e[0] = lookup(type, tlen)) >= 0 && names[e[0]].kind != K_PORT) {
		nt = nv = 1;
		tp[0] = type;
		tn[0] = tlen;
		vp[0] = value;
		vn[0] = vlen;
	} else {
		/* a composite: as many parts of the value as of the type */
		for (i = 0; i <= tlen && nt < MAXPARTS; i++)
			if (i == tlen || type[i] == '|') {
				tp[nt] = nt == 0 ? type
						 : tp[nt - 1] + tn[nt - 1] + 1;
				tn[nt] = (size_t)(type + i - tp[nt]);
				nt++;
			}
		for (i = 0; i <= vlen && nv < MAXPARTS; i++)
			if (i == vlen || value[i] == '|') {
				vp[nv] = nv == 0 ? value
						 : vp[nv - 1] + vn[nv - 1] + 1;
				vn[nv] = (size_t)(value + i - vp[nv]);
				nv++;
			}
		for (i = 0; i < nt; i++)
			if ((e[i] = lookup(tp[i], tn[i])) < 0)
				break;
		if (i < nt || nt == 1) {
			quote(&b, type, tlen);
			if (strict)
				feed_skip(ctx, pos, SKIP_BAD_VALUE,
				    "unknown type '%s'", b.s);
			else
				feed_skip(ctx, pos, SKIP_UNSUPPORTED,
				    "type '%s' cannot be matched by Suricata",
				    b.s);
			free(b.s);
			return -1;
		}
		if (nv != nt) {
			quote(&b, type, tlen);
			feed_skip(ctx, pos, SKIP_BAD_VALUE,
			    "%s: the value has %zu parts, the type %zu", b.s,
			    nv, nt);
			free(b.s);
			return -1;
		}
	}
	for (i = 0; i < nt; i++) {
		enum kind k = names[e[i]].kind;

		if (k == K_PORT)
			port = (int)i;
		else if (k == K_IOC &&
		    (names[e[i]].type == IOC_CIDR ||
			names[e[i]].type == IOC_DOMAIN))
			addr = addr < 0 ? (int)i : addr;
	}
	if (nt == 1 && names[e[0]].kind != K_IOC) {
		enum kind k = names[e[0]].kind;

		if (k == K_NOT_IDS)
			feed_skip(ctx, pos, SKIP_NOT_FOR_IDS, NULL);
		else {
			quote(&b, type, tlen);
			feed_skip(ctx, pos, SKIP_UNSUPPORTED, "%s: %s", b.s,
			    names[e[0]].why);
			free(b.s);
		}
		return -1;
	}
	if (port >= 0) {
		/* address|port or hostname|port: one indicator */
		char joined[400];
		enum ioc_type t;

		if (addr < 0 || nt != 2) {
			quote(&b, type, tlen);
			feed_skip(ctx, pos, SKIP_UNSUPPORTED,
			    "%s: a port without one address or host", b.s);
			free(b.s);
			return -1;
		}
		t = names[e[addr]].type == IOC_DOMAIN ? IOC_DOMAIN_PORT
						      : IOC_IP_PORT;
		if (vn[addr] + vn[port] + 4 > sizeof(joined)) {
			feed_skip(ctx, pos, SKIP_BAD_VALUE, "%s: too long",
			    ioc_type_name(t));
			return -1;
		}
		snprintf(joined, sizeof(joined),
		    t == IOC_IP_PORT && memchr(vp[addr], ':', vn[addr]) != NULL
			? "[%.*s]:%.*s"
			: "%.*s:%.*s",
		    (int)vn[addr], vp[addr], (int)vn[port], vp[port]);
		return feed_emit(ctx, t, joined, strlen(joined), m, pos);
	}
	for (i = 0; i < nt; i++)
		if (names[e[i]].kind == K_IOC &&
		    feed_emit(ctx, names[e[i]].type, vp[i], vn[i], m, pos) == 0)
			emitted++;
	if (emitted == 0 && nt > 1) {
		/* filename|... with nothing matchable, and the like */
		size_t k;

		for (k = 0; k < nt && names[e[k]].kind != K_IOC; k++)
			;
		if (k == nt) {
			quote(&b, type, tlen);
			feed_skip(ctx, pos, SKIP_UNSUPPORTED,
			    "%s: nothing in it Suricata can match", b.s);
			free(b.s);
		}
	}
	return emitted > 0 ? 0 : -1;
}
