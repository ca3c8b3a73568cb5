/*
 * civil.h: days since 1970-01-01 of a civil date (proleptic Gregorian,
 * Howard Hinnant's algorithm), for the time parsers of the feeds
 * (feed.c) and of the desk (incident.c): no timegm, no time zone.  A day
 * past the month's end runs into the next, as timegm does; the callers
 * bound the fields.
 */
#ifndef SANKAKU_CIVIL_H
#define SANKAKU_CIVIL_H

#include <stdint.h>

static inline int64_t
civil_days(int64_t y, unsigned m, unsigned d)
{
	int64_t era;
	unsigned yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = (unsigned)(y - era * 400);
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

#endif
