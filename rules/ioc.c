/*
 * ioc.c: indicator values, normalised so that the same indicator from two
 * feeds is one entry, and validated so that no value can ever change the
 * meaning of a rule, a dataset or the index.
 *
 *   domain       lower case, no trailing dot, LDH and '_' labels
 *   url          host[:port]/path of an http:// URL: host lower case, the
 *                default port dropped, the path as sent (never decoded),
 *                the fragment dropped.  https is refused with -2: its
 *                path is encrypted, the sensor cannot see it.
 *   ip, cidr     canonical text; IPv4-mapped IPv6 becomes IPv4
 *   ip-port      198.51.100.1:443, [2001:db8::1]:443
 *   domain-port  evil.example:8443
 *   md5 ... ja3  lower-case hex of the exact length
 */

#define _GNU_SOURCE /* memmem */

#include <sys/socket.h>

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

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
    [IOC_IP_PORT] = "ip-port",
    [IOC_DOMAIN_PORT] = "domain-port",
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
		else if (c == '*')
			BAD("a wildcard cannot be matched exactly");
		else
			BAD("character '%c' (0x%02x) not allowed in a domain",
			    isprint(c) ? c : '?', c);
		out[i] = (char)tolower(c);
	}
	if (label == 0)
		BAD("empty label in domain");
	if (dots == 0)
		BAD("no dot: not a domain name");
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

/* Whether v is an IPv4 address in its canonical form (four decimal
 * octets, no leading zeros): then it is its own normal form. */
static int
plain_ipv4(const char *v, size_t len)
{
	size_t i = 0;
	int octets = 0;

	while (octets < 4) {
		size_t start = i;
		unsigned n = 0;

		while (i < len && v[i] >= '0' && v[i] <= '9' && i - start < 3)
			n = n * 10 + (unsigned)(v[i++] - '0');
		if (i == start || n > 255 || (v[start] == '0' && i - start > 1))
			return 0;
		if (++octets < 4) {
			if (i >= len || v[i] != '.')
				return 0;
			i++;
		}
	}
	return i == len;
}

/* An address or prefix; IPv4-mapped IPv6 is IPv4. */
static int
norm_addr(const char *v, size_t len, int prefix_ok, char *out, size_t outlen,
    char *reason, size_t reasonlen)
{
	char buf[64];
	struct cidr c;

	if (len < outlen && plain_ipv4(v, len)) { /* the common case, fast */
		memcpy(out, v, len);
		out[len] = '\0';
		return 0;
	}
	if (len == 0 || len >= sizeof(buf))
		BAD("not an IP address");
	memcpy(buf, v, len);
	buf[len] = '\0';
	if (cidr_parse(buf, &c, 1) != 0)
		BAD("not an IP address%s", prefix_ok ? " or prefix" : "");
	if (c.family == AF_INET6 && c.bits >= 96 &&
	    memcmp(c.addr, "\0\0\0\0\0\0\0\0\0\0\xff\xff", 12) == 0) {
		memmove(c.addr, c.addr + 12, 4);
		memset(c.addr + 4, 0, 12);
		c.family = AF_INET;
		c.bits -= 96;
	}
	if (!prefix_ok && c.bits != (c.family == AF_INET ? 32u : 128u))
		BAD("a prefix where an address is needed");
	cidr_format(&c, out, outlen);
	return 0;
}

/* A port: 1-65535 in decimal. */
static int
parse_port(const char *v, size_t len, unsigned *port)
{
	unsigned long p = 0;
	size_t i;

	if (len == 0 || len > 5)
		return -1;
	for (i = 0; i < len; i++) {
		if (v[i] < '0' || v[i] > '9')
			return -1;
		p = p * 10 + (unsigned long)(v[i] - '0');
	}
	if (p == 0 || p > 65535)
		return -1;
	*port = (unsigned)p;
	return 0;
}

/* Append n bytes of s at out[*o]; -1 if they do not fit with a NUL. */
static int
cat(char *out, size_t outlen, size_t *o, const char *s, size_t n)
{
	if (n >= outlen - *o)
		return -1;
	memcpy(out + *o, s, n);
	*o += n;
	out[*o] = '\0';
	return 0;
}

/* Append ":port". */
static int
cat_port(char *out, size_t outlen, size_t *o, unsigned port)
{
	char b[8], *p = b + sizeof(b);

	do
		*--p = (char)('0' + port % 10);
	while ((port /= 10) != 0);
	*--p = ':';
	return cat(out, outlen, o, p, (size_t)(b + sizeof(b) - p));
}

/* "host:port" or "[v6]:port": the host part's length and the port. */
static int
split_port(
    const char *v, size_t len, size_t *hostlen, const char **hp, unsigned *port)
{
	const char *colon;

	if (len > 0 && v[0] == '[') {
		const char *close = memchr(v, ']', len);

		if (close == NULL || (size_t)(close - v) + 1 >= len ||
		    close[1] != ':')
			return -1;
		*hp = v + 1;
		*hostlen = (size_t)(close - v) - 1;
		colon = close + 1;
	} else {
		colon = NULL;
		for (const char *p = v + len; p > v; p--)
			if (p[-1] == ':') {
				colon = p - 1;
				break;
			}
		if (colon == NULL)
			return -1;
		*hp = v;
		*hostlen = (size_t)(colon - v);
	}
	return parse_port(colon + 1, len - (size_t)(colon + 1 - v), port);
}

/* A URL's host: a domain, an IPv4 address or a bracketed IPv6 one. */
static int
norm_url_host(const char *h, size_t n, char *out, size_t outlen, char *reason,
    size_t reasonlen)
{
	char r2[128];

	if (n > 1 && h[0] == '[' && h[n - 1] == ']') {
		char a[64];

		if (norm_addr(
			h + 1, n - 2, 0, a, sizeof(a), reason, reasonlen) != 0)
			return -1;
		if (strchr(a, ':') == NULL) /* mapped IPv4: as the client */
			BAD("URL host: IPv4-mapped address in brackets");
		snprintf(out, outlen, "[%s]", a);
		return 0;
	}
	if (norm_addr(h, n, 0, out, outlen, r2, sizeof(r2)) == 0 &&
	    strchr(out, ':') == NULL)
		return 0;
	if (norm_domain(h, n, out, outlen, r2, sizeof(r2)) != 0)
		BAD("URL host: %s", r2);
	return 0;
}

/* [http://]host[:port][/path][?query][#fragment] -> host[:port]/path. */
static int
norm_url(const char *v, size_t len, char *out, size_t outlen, char *reason,
    size_t reasonlen)
{
	const char *host = v, *end = v + len, *rest, *hash;
	size_t hlen, i, o;
	unsigned port = 80;
	char h[300];

	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)v[i];

		if (c <= 0x20 || c >= 0x7f || c == '"' || c == '\'' ||
		    c == '\\' || c == '<' || c == '>' || c == '`')
			BAD("character 0x%02x not allowed in a URL "
			    "(percent-encode it)",
			    c);
	}
	if (len >= 8 && strncasecmp(v, "https://", 8) == 0)
		return -2;
	if (len >= 7 && strncasecmp(v, "http://", 7) == 0)
		host = v + 7;
	else if (memmem(v, len, "://", 3) != NULL)
		BAD("only http:// URLs can be matched on the wire");
	else
		host = v; /* no scheme, as MISP often writes them: http */
	if ((hash = memchr(host, '#', (size_t)(end - host))) != NULL)
		end = hash; /* the fragment never leaves the browser */
	rest = host;
	while (rest < end && *rest != '/' && *rest != '?')
		rest++;
	hlen = (size_t)(rest - host);
	if (memchr(host, '@', hlen) != NULL)
		BAD("URL with user information");
	if (hlen == 0)
		BAD("URL without a host");
	{
		const char *hp = host;
		size_t hn = hlen;
		unsigned p;

		if (split_port(host, hlen, &hn, &hp, &p) == 0) {
			port = p;
			if (hp != host) { /* [v6]:port: keep the brackets */
				hp = host;
				hn += 2;
			}
		} else if (host[hlen - 1] != ']' &&
		    memchr(host, ':', hlen) != NULL && host[0] != '[')
			BAD("URL port is not a number from 1 to 65535");
		if (norm_url_host(hp, hn, h, sizeof(h), reason, reasonlen) != 0)
			return -1;
	}
	o = 0;
	if (cat(out, outlen, &o, h, strlen(h)) != 0 ||
	    (port != 80 && cat_port(out, outlen, &o, port) != 0) ||
	    ((rest == end || *rest == '?') &&
		cat(out, outlen, &o, "/", 1) != 0) ||
	    cat(out, outlen, &o, rest, (size_t)(end - rest)) != 0)
		BAD("URL longer than %zu characters", outlen - 1);
	return 0;
}

/* host:port with a domain host. */
static int
norm_domain_port(const char *v, size_t len, char *out, size_t outlen,
    char *reason, size_t reasonlen)
{
	const char *hp;
	size_t hn, o;
	unsigned port;

	if (split_port(v, len, &hn, &hp, &port) != 0 || hp != v)
		BAD("expected host:port with a port from 1 to 65535");
	if (norm_domain(v, hn, out, outlen, reason, reasonlen) != 0)
		return -1;
	o = strlen(out);
	if (cat_port(out, outlen, &o, port) != 0)
		BAD("too long");
	return 0;
}

/* addr:port or [v6]:port. */
static int
norm_ip_port(const char *v, size_t len, char *out, size_t outlen, char *reason,
    size_t reasonlen)
{
	const char *hp;
	size_t hn;
	unsigned port;
	char a[64];

	if (split_port(v, len, &hn, &hp, &port) != 0)
		BAD("expected address:port with a port from 1 to 65535");
	if (norm_addr(hp, hn, 0, a, sizeof(a), reason, reasonlen) != 0)
		return -1;
	{
		size_t o = 0;
		int v6 = strchr(a, ':') != NULL;

		if ((v6 && cat(out, outlen, &o, "[", 1) != 0) ||
		    cat(out, outlen, &o, a, strlen(a)) != 0 ||
		    (v6 && cat(out, outlen, &o, "]", 1) != 0) ||
		    cat_port(out, outlen, &o, port) != 0)
			BAD("too long");
	}
	return 0;
}

/* Normalise and validate one value: 0, -1 bad (with reason), -2 an https
 * URL. */
int
ioc_normalise(enum ioc_type t, const char *v, size_t len, char *out,
    size_t outlen, char *reason, size_t reasonlen)
{
	if (memchr(v, '\0', len) != NULL)
		BAD("NUL byte in value");
	switch (t) {
	case IOC_DOMAIN:
		return norm_domain(v, len, out, outlen, reason, reasonlen);
	case IOC_URL:
		return norm_url(v, len, out, outlen, reason, reasonlen);
	case IOC_IP:
	case IOC_CIDR:
		return norm_addr(
		    v, len, t == IOC_CIDR, out, outlen, reason, reasonlen);
	case IOC_MD5:
	case IOC_JA3:
		return norm_hex(v, len, 32, out, outlen, reason, reasonlen);
	case IOC_SHA1:
		return norm_hex(v, len, 40, out, outlen, reason, reasonlen);
	case IOC_SHA256:
		return norm_hex(v, len, 64, out, outlen, reason, reasonlen);
	case IOC_IP_PORT:
		return norm_ip_port(v, len, out, outlen, reason, reasonlen);
	case IOC_DOMAIN_PORT:
		return norm_domain_port(v, len, out, outlen, reason, reasonlen);
	case IOC_MAX:
		break;
	}
	BAD("unknown type");
}
