/*
 * timeparse.c: times as the desk, the feeds' indexes and Suricata write
 * them (see timeparse.h).
 */

#define _GNU_SOURCE /* strptime, timegm */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "civil.h"
#include "timeparse.h"

/* "YYYY-MM-DDTHH:MM:SS" exactly, as the desk and Suricata write times:
 * its seconds into *t and what follows it, or NULL (then strptime
 * reads it: the same bounds, slower, once per alert on the hot path). */
static const char *
fixed_time(const char *s, time_t *t)
{
	static const char form[] = "dddd-dd-ddTdd:dd:dd";
	int v[6], i, k, mo, d, h, mi, se;

	for (i = 0; form[i] != '\0'; i++)
		if (form[i] == 'd' ? (s[i] < '0' || s[i] > '9')
				   : s[i] != form[i])
			return NULL;
	for (i = 0, k = 0; k < 6; k++) {
		int n = k == 0 ? 4 : 2;

		for (v[k] = 0; n > 0; n--, i++)
			v[k] = v[k] * 10 + (s[i] - '0');
		i++; /* the separator */
	}
	mo = v[1], d = v[2], h = v[3], mi = v[4], se = v[5];
	if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 ||
	    se > 60)
		return NULL;
	*t = (time_t)(civil_days(v[0], (unsigned)mo, (unsigned)d) * 86400 +
	    h * 3600 + mi * 60 + se);
	return s + sizeof(form) - 1;
}

time_t
time_parse(const char *s)
{
	struct tm tm;
	const char *p;
	int sign, hh, mm = 0;
	time_t t;

	memset(&tm, 0, sizeof(tm));
	if (s == NULL)
		return (time_t)-1;
	if ((p = fixed_time(s, &t)) == NULL) {
		/* not in the fixed form: strptime's reading */
		if ((p = strptime(s, "%Y-%m-%dT%H:%M:%S", &tm)) == NULL)
			return (time_t)-1;
		t = timegm(&tm);
	}
	if (*p == '.')
		while (*++p >= '0' && *p <= '9')
			;
	/* Z, nothing (UTC), or the offset Suricata writes: +0900, -05:30 */
	if (*p != '+' && *p != '-')
		return t;
	sign = *p++ == '-' ? -1 : 1;
	if (sscanf(p, "%2d", &hh) != 1 || hh > 23)
		return (time_t)-1;
	p += 2;
	p += *p == ':';
	if (*p != '\0' && (sscanf(p, "%2d", &mm) != 1 || mm > 59))
		return (time_t)-1;
	return t - sign * (hh * 3600 + mm * 60);
}

void
time_format(time_t t, char *buf, size_t len)
{
	struct tm tm;

	if (gmtime_r(&t, &tm) == NULL ||
	    strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		snprintf(buf, len, "-");
}
