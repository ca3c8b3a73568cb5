/*
 * feed.c: indicator values, normalised so that the same indicator from two
 * feeds is one entry, and validated so that no value can ever change the
 * meaning of a rule or of the index.
 */

#define _GNU_SOURCE /* strptime */

#include <sys/socket.h>

#include <arpa/inet.h>
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "cidr.h"
#include "feed.h"

static const char *const type_names[IOC_MAX] = {
    [IOC_DOMAIN] = "domain",
    [IOC_URL] = "url",
    [IOC_IP] = "ip",
    [IOC_CIDR] = "cidr",
    [IOC_MD5] = "md5",
    [IOC_SHA1] = "sha1",
    [IOC_SHA256] = "sha256",
    [IOC_JA3] = "ja3",
};

/* Name of a type. */
const char *
ioc_type_name(enum ioc_type t)
{
	return t < IOC_MAX ? type_names[t] : "unknown";
}

/* Parse a type name. */
int
ioc_type_parse(const char *s, enum ioc_type *out)
{
	int i;

	for (i = 0; i < IOC_MAX; i++) {
		if (strcmp(s, type_names[i]) == 0) {
			*out = (enum ioc_type)i;
			return 0;
		}
	}
	return -1;
}

/* Report a refused indicator. */
void
feed_reject(struct feed_ctx *ctx, const char *pos, const char *fmt, ...)
{
	char reason[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(reason, sizeof(reason), fmt, ap);
	va_end(ap);
	ctx->report->rejected++;
	if (ctx->report->cb != NULL)
		ctx->report->cb(ctx->report->arg, ctx->file, pos, reason);
}

#define BAD(...)                                                               \
	do {                                                                   \
		snprintf(reason, reasonlen, __VA_ARGS__);                      \
		return -1;                                                     \
	} while (0)

/* A DNS name: letters, digits, '-', '_' in labels of 1-63, 253 in all. */
static int
norm_domain(const char *v, size_t len, char *out, size_t outlen, char *reason,
    size_t reasonlen)
{
	size_t i, label = 0, dots = 0;

	if (len > 0 && v[len - 1] == '.')
		len--; /* the root's trailing dot */
	if (len == 0)
		BAD("empty domain");
	if (len > 253 || len >= outlen)
		BAD("domain longer than 253 characters");
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)v[i];

		if (c == '.') {
			if (label == 0)
				BAD("empty label in domain");
			label = 0;
			dots++;
		} else if (isalnum(c) || c == '-' || c == '_') {
			if (++label > 63)
				BAD("domain label longer than 63 characters");
		} else if (c >= 0x80)
			BAD("non-ASCII domain: give it in punycode (xn--)");
		else
			BAD("character '%c' (0x%02x) not allowed in a domain",
			    isprint(c) ? c : '?', c);
		out[i] = (char)tolower(c);
	}
	if (label == 0)
		BAD("empty label in domain");
	if (dots == 0)
		BAD("'%.*s' has no dot: not a domain name", (int)len, v);
	out[len] = '\0';
	return 0;
}

/* Hex of exactly n digits, lower-cased. */
static int
norm_hex(const char *v, size_t len, size_t n, char *out, size_t outlen,
    char *reason, size_t reasonlen)
{
	size_t i;

	if (len != n || n >= outlen)
		BAD("expected %zu hex digits, got %zu characters", n, len);
	for (i = 0; i < n; i++) {
		if (!isxdigit((unsigned char)v[i]))
			BAD("'%c' is not a hex digit",
			    isprint((unsigned char)v[i]) ? v[i] : '?');
		out[i] = (char)tolower((unsigned char)v[i]);
	}
	out[n] = '\0';
	return 0;
}

/* http(s)://host[:port]/path -> host/path (host lower case, port kept if
 * not the scheme's default). */
static int
norm_url(const char *v, size_t len, char *out, size_t outlen, char *reason,
    size_t reasonlen)
{
	size_t i, skip = 0, hlen, o;
	const char *host, *rest;
	char h[300];
	int https;

	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)v[i];

		if (c <= 0x20 || c >= 0x7f || c == '"' || c == '\'' ||
		    c == '\\' || c == '<' || c == '>' || c == '`')
			BAD("character 0x%02x not allowed in a URL "
			    "(percent-encode it)",
			    c);
	}
	if (len > 7 && strncasecmp(v, "http://", 7) == 0) {
		skip = 7;
		https = 0;
	} else if (len > 8 && strncasecmp(v, "https://", 8) == 0) {
		skip = 8;
		https = 1;
	} else
		BAD("URL must start with http:// or https://");
	host = v + skip;
	rest = memchr(host, '/', len - skip);
	hlen = rest != NULL ? (size_t)(rest - host) : len - skip;
	if (memchr(host, '@', hlen) != NULL)
		BAD("URL with user information is not supported");
	if (hlen == 0 || hlen >= sizeof(h))
		BAD("URL has no host or too long a host");
	memcpy(h, host, hlen);
	h[hlen] = '\0';
	{
		char *colon = strrchr(h, ':');
		char hostonly[300];
		char r2[128];

		if (colon != NULL && h[0] != '[') {
			if ((!https && strcmp(colon, ":80") == 0) ||
			    (https && strcmp(colon, ":443") == 0))
				*colon = '\0';
		}
		snprintf(hostonly, sizeof(hostonly), "%s", h);
		if ((colon = strrchr(hostonly, ':')) != NULL &&
		    hostonly[0] != '[')
			*colon = '\0';
		if (norm_domain(hostonly, strlen(hostonly), hostonly,
			sizeof(hostonly), r2, sizeof(r2)) != 0) {
			struct cidr c;

			if (cidr_parse(hostonly, &c, 0) != 0)
				BAD("URL host: %s", r2);
		}
		for (i = 0; h[i] != '\0'; i++)
			h[i] = (char)tolower((unsigned char)h[i]);
	}
	o = (size_t)snprintf(out, outlen, "%s%.*s", h,
	    rest != NULL ? (int)(len - (size_t)(rest - v)) : 1,
	    rest != NULL ? rest : "/");
	if (o >= outlen)
		BAD("URL longer than %zu characters", outlen - 1);
	return 0;
}

/* Normalise and validate one value. */
int
ioc_normalise(enum ioc_type t, const char *v, size_t len, char *out,
    size_t outlen, char *reason, size_t reasonlen)
{
	char buf[64];
	struct cidr c;

	if (memchr(v, '\0', len) != NULL)
		BAD("NUL byte in value");
	switch (t) {
	case IOC_DOMAIN:
		return norm_domain(v, len, out, outlen, reason, reasonlen);
	case IOC_URL:
		return norm_url(v, len, out, outlen, reason, reasonlen);
	case IOC_IP:
	case IOC_CIDR:
		if (len >= sizeof(buf))
			BAD("not an IP address");
		memcpy(buf, v, len);
		buf[len] = '\0';
		if (cidr_parse(buf, &c, 1) != 0)
			BAD("'%s' is not an IP address%s", buf,
			    t == IOC_CIDR ? " prefix" : "");
		if (t == IOC_IP && c.bits != (c.family == AF_INET ? 32u : 128u))
			BAD("'%s' is a prefix: use type cidr", buf);
		cidr_format(&c, out, outlen);
		return 0;
	case IOC_MD5:
	case IOC_JA3:
		return norm_hex(v, len, 32, out, outlen, reason, reasonlen);
	case IOC_SHA1:
		return norm_hex(v, len, 40, out, outlen, reason, reasonlen);
	case IOC_SHA256:
		return norm_hex(v, len, 64, out, outlen, reason, reasonlen);
	case IOC_MAX:
		break;
	}
	BAD("unknown type");
}

/* Append a normalised indicator. */
int
feed_add(struct feed_ctx *ctx, enum ioc_type t, const char *value, size_t len,
    const char *published, enum evidence ev, const char *pos)
{
	char norm[2048], reason[256];
	struct ioc_list *l = ctx->out;
	struct ioc *i;

	if (ioc_normalise(t, value, len, norm, sizeof(norm), reason,
		sizeof(reason)) != 0) {
		feed_reject(ctx, pos, "%s '%.*s': %s", ioc_type_name(t),
		    (int)(len > 80 ? 80 : len), value, reason);
		return -1;
	}
	/* An IP given as cidr of full length is an IP. */
	if (t == IOC_CIDR && strchr(norm, '/') == NULL)
		t = IOC_IP;
	if (l->n == l->cap) {
		size_t cap = l->cap != 0 ? l->cap * 2 : 256;
		struct ioc *nv = realloc(l->v, cap * sizeof(*nv));

		if (nv == NULL)
			return -1;
		l->v = nv;
		l->cap = cap;
	}
	i = &l->v[l->n];
	i->type = t;
	i->evidence = ev;
	i->value = strdup(norm);
	i->source = strdup(ctx->source);
	i->published = published != NULL ? strdup(published) : NULL;
	if (i->value == NULL || i->source == NULL ||
	    (published != NULL && i->published == NULL)) {
		free(i->value);
		free(i->source);
		free(i->published);
		return -1;
	}
	l->n++;
	return 0;
}

/* Free the list. */
void
ioc_list_free(struct ioc_list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++) {
		free(l->v[i].value);
		free(l->v[i].source);
		free(l->v[i].published);
	}
	free(l->v);
	memset(l, 0, sizeof(*l));
}

/* RFC 3339 ("2018-03-28T00:00:00Z", fractions and offsets allowed). */
int
feed_time(const char *s, time_t *out)
{
	struct tm tm;
	const char *p;
	int off = 0;

	memset(&tm, 0, sizeof(tm));
	p = strptime(s, "%Y-%m-%dT%H:%M:%S", &tm);
	if (p == NULL)
		return -1;
	if (*p == '.')
		for (p++; isdigit((unsigned char)*p); p++)
			;
	if (*p == 'Z' || *p == 'z')
		p++;
	else if (*p == '+' || *p == '-') {
		int hh, mm;

		if (sscanf(p + 1, "%2d:%2d", &hh, &mm) != 2)
			return -1;
		off = (hh * 60 + mm) * 60 * (*p == '+' ? 1 : -1);
		p += 6;
	} else
		return -1;
	if (*p != '\0')
		return -1;
	*out = timegm(&tm) - off;
	return 0;
}
