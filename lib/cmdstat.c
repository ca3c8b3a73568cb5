/*
 * cmdstat.c: parse one line of INFO commandstats.
 *
 *   cmdstat_xadd:calls=2,usec=16,usec_per_call=8.00,rejected_calls=1,failed_calls=1
 */

#define _GNU_SOURCE /* memmem */

#include <stdio.h>
#include <string.h>

#include "cmdstat.h"

/* The line of cmd, or NULL: it starts the reply or follows a newline. */
static const char *
find_line(const char *info, size_t len, const char *cmd, const char **end)
{
	const char *p = info, *stop = info + len;
	size_t cl = strlen(cmd);

	while (p < stop) {
		const char *nl = memchr(p, '\n', (size_t)(stop - p));
		const char *le = nl != NULL ? nl : stop;

		if ((size_t)(le - p) > 8 + cl + 1 &&
		    memcmp(p, "cmdstat_", 8) == 0 &&
		    memcmp(p + 8, cmd, cl) == 0 && p[8 + cl] == ':') {
			*end = le;
			return p + 8 + cl + 1;
		}
		p = le + 1;
	}
	return NULL;
}

/* The value of name= in the fields [p, end), or -1. */
static long long
field(const char *p, const char *end, const char *name)
{
	size_t nl = strlen(name);

	while (p < end) {
		const char *comma = memchr(p, ',', (size_t)(end - p));
		const char *fe = comma != NULL ? comma : end;

		if ((size_t)(fe - p) > nl + 1 && memcmp(p, name, nl) == 0 &&
		    p[nl] == '=') {
			long long v = 0;
			const char *d = p + nl + 1;

			if (d == fe || *d < '0' || *d > '9')
				return -1;
			for (; d < fe && *d >= '0' && *d <= '9'; d++) {
				if (v > (0x7fffffffffffffffLL - 9) / 10)
					return -1;
				v = v * 10 + (*d - '0');
			}
			/* the line may end in \r */
			return d == fe || (*d == '\r' && d + 1 == fe) ? v : -1;
		}
		p = fe + 1;
	}
	return -1;
}

int
cmdstat_read(const char *info, size_t len, const char *cmd, struct cmdstat *out)
{
	const char *p, *end;

	memset(out, 0, sizeof(*out));
	if (info == NULL || memmem(info, len, ",rejected_calls=", 16) == NULL ||
	    memmem(info, len, ",failed_calls=", 14) == NULL)
		return -1;
	if ((p = find_line(info, len, cmd, &end)) == NULL)
		return 0; /* never called */
	out->calls = field(p, end, "calls");
	out->rejected = field(p, end, "rejected_calls");
	out->failed = field(p, end, "failed_calls");
	if (out->calls < 0 || out->rejected < 0 || out->failed < 0)
		return -1;
	return 0;
}

int
cmdstat_all_ran(
    const struct cmdstat *before, const struct cmdstat *after, long long n)
{
	return after->rejected == before->rejected &&
	    after->failed == before->failed && after->calls >= before->calls &&
	    after->calls - before->calls >= n;
}

void
cmdstat_errors(const char *info, size_t len, char *buf, size_t size)
{
	const char *p, *stop;
	size_t used = 0;

	if (size == 0)
		return;
	buf[0] = '\0';
	if (info == NULL)
		return;
	p = info;
	stop = info + len;
	while (p < stop) {
		const char *nl = memchr(p, '\n', (size_t)(stop - p));
		const char *le = nl != NULL ? nl : stop;
		const char *colon;

		if (le - p > 10 && memcmp(p, "errorstat_", 10) == 0 &&
		    (colon = memchr(p, ':', (size_t)(le - p))) != NULL) {
			long long n = field(colon + 1, le, "count");
			int w = snprintf(buf + used, size - used, "%s%.*s=%lld",
			    used > 0 ? " " : "", (int)(colon - p - 10), p + 10,
			    n);

			if (w < 0 || (size_t)w >= size - used) {
				buf[used] = '\0'; /* only whole entries */
				return;
			}
			used += (size_t)w;
		}
		p = le + 1;
	}
}
