/*
 * redisurl.c: Redis address parsing.  User and password may be
 * percent-encoded so that '@', ':' and '/' can appear in them.
 */

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "redisurl.h"

/* Decode %XX escapes of [s, s+n) into dst (dstlen with NUL); -1 on error. */
static int
pct_decode(const char *s, size_t n, char *dst, size_t dstlen)
{
	size_t i, o = 0;
	int hi, lo;

	for (i = 0; i < n; i++) {
		char c = s[i];

		if (c == '%') {
			if (i + 2 >= n || !isxdigit((unsigned char)s[i + 1]) ||
			    !isxdigit((unsigned char)s[i + 2]))
				return -1;
			hi = isdigit((unsigned char)s[i + 1])
			    ? s[i + 1] - '0'
			    : tolower((unsigned char)s[i + 1]) - 'a' + 10;
			lo = isdigit((unsigned char)s[i + 2])
			    ? s[i + 2] - '0'
			    : tolower((unsigned char)s[i + 2]) - 'a' + 10;
			c = (char)(hi * 16 + lo);
			if (c == '\0')
				return -1;
			i += 2;
		}
		if (o + 1 >= dstlen)
			return -1;
		dst[o++] = c;
	}
	dst[o] = '\0';
	return 0;
}

/* Parse a decimal integer in [min, max] from [s, s+n); -1 if not one. */
static int
parse_int(const char *s, size_t n, long min, long max, int *out)
{
	char buf[16];
	char *end;
	long v;

	if (n == 0 || n >= sizeof(buf))
		return -1;
	memcpy(buf, s, n);
	buf[n] = '\0';
	if (!isdigit((unsigned char)buf[0]))
		return -1;
	errno = 0;
	v = strtol(buf, &end, 10);
	if (errno != 0 || *end != '\0' || v < min || v > max)
		return -1;
	*out = (int)v;
	return 0;
}

/* Fail with a reason that never repeats the URL: it may hold a password,
 * whole or in part (a '/' or '@' in it, not percent-encoded, moves the
 * boundaries the parser sees). */
#define FAIL(...)                                                              \
	do {                                                                   \
		snprintf(err, errlen, __VA_ARGS__);                            \
		return -1;                                                     \
	} while (0)

/* Parse "unix:///path[?db=N]". */
static int
parse_unix(const char *rest, struct redis_url *out, char *err, size_t errlen)
{
	const char *q = strchr(rest, '?');
	size_t plen = q != NULL ? (size_t)(q - rest) : strlen(rest);

	if (plen == 0 || rest[0] != '/')
		FAIL("unix socket path must be absolute");
	if (plen >= sizeof(out->path))
		FAIL("unix socket path longer than %zu bytes",
		    sizeof(out->path) - 1);
	memcpy(out->path, rest, plen);
	out->path[plen] = '\0';
	out->is_unix = 1;
	if (q != NULL) {
		if (strncmp(q, "?db=", 4) != 0 ||
		    parse_int(q + 4, strlen(q + 4), 0, 65535, &out->db) != 0)
			FAIL("bad query (only ?db=N, N 0-65535)");
	}
	return 0;
}

/* Parse the redis:// form. */
int
redisurl_parse(const char *url, struct redis_url *out, char *err, size_t errlen)
{
	const char *p, *at, *hostend, *slash, *colon;
	size_t n;

	memset(out, 0, sizeof(*out));
	out->port = 6379;
	if (strncmp(url, "unix://", 7) == 0)
		return parse_unix(url + 7, out, err, errlen);
	if (strncmp(url, "redis://", 8) != 0)
		FAIL("not a redis:// or unix:// URL (lower case, no spaces; "
		     "TLS, rediss://, is not supported)");
	p = url + 8;

	slash = strchr(p, '/');
	at = memchr(p, '@', slash != NULL ? (size_t)(slash - p) : strlen(p));
	/* The password may contain '@' only percent-encoded; use the last. */
	if (at != NULL) {
		const char *a2;

		while ((a2 = memchr(at + 1, '@',
			    (slash != NULL ? (size_t)(slash - at - 1)
					   : strlen(at + 1)))) != NULL)
			at = a2;
		colon = memchr(p, ':', (size_t)(at - p));
		if (colon == NULL) {
			/* "user@host" (RFC 3986): the password may come
			 * from redis_password_file */
			if (pct_decode(p, (size_t)(at - p), out->user,
				sizeof(out->user)) != 0)
				FAIL("bad user name encoding");
		} else {
			if (pct_decode(p, (size_t)(colon - p), out->user,
				sizeof(out->user)) != 0)
				FAIL("bad user name encoding");
			if (pct_decode(colon + 1, (size_t)(at - colon - 1),
				out->password, sizeof(out->password)) != 0)
				FAIL("bad password encoding");
		}
		p = at + 1;
	}

	if (*p == '[') {
		hostend = strchr(p, ']');
		if (hostend == NULL)
			FAIL("unterminated '[' in host");
		n = (size_t)(hostend - p - 1);
		if (n == 0 || n >= sizeof(out->host))
			FAIL("bad IPv6 host");
		memcpy(out->host, p + 1, n);
		out->host[n] = '\0';
		p = hostend + 1;
	} else {
		n = strcspn(p, ":/");
		if (n == 0)
			FAIL("missing host");
		if (n >= sizeof(out->host))
			FAIL("host longer than %zu bytes",
			    sizeof(out->host) - 1);
		memcpy(out->host, p, n);
		out->host[n] = '\0';
		p += n;
	}
	if (*p == ':') {
		p++;
		n = strcspn(p, "/");
		if (parse_int(p, n, 1, 65535, &out->port) != 0)
			FAIL("bad port (1-65535; a '/' or '@' in the password "
			     "must be percent-encoded)");
		p += n;
	}
	if (*p == '/') {
		p++;
		if (*p != '\0' &&
		    parse_int(p, strlen(p), 0, 65535, &out->db) != 0)
			FAIL("bad database number (0-65535)");
	} else if (*p != '\0')
		FAIL("unexpected characters after the host (a '/' or '@' in "
		     "the password must be percent-encoded)");
	return 0;
}

/* Write a loggable form of the address, with the password masked. */
void
redisurl_display(const struct redis_url *u, char *buf, size_t len)
{
	if (u->is_unix)
		snprintf(buf, len, "unix://%s?db=%d", u->path, u->db);
	else if (strchr(u->host, ':') != NULL)
		snprintf(buf, len, "redis://%s%s[%s]:%d/%d", u->user,
		    u->password[0] != '\0' ? ":***@" : (u->user[0] ? "@" : ""),
		    u->host, u->port, u->db);
	else
		snprintf(buf, len, "redis://%s%s%s:%d/%d", u->user,
		    u->password[0] != '\0' ? ":***@" : (u->user[0] ? "@" : ""),
		    u->host, u->port, u->db);
}
