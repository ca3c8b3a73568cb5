/*
 * timeparse.h: a time as the desk ("2026-11-28T22:00:00Z"), the
 * indicator index (RFC 3339) and Suricata ("2026-11-28T22:00:00.123456
 * +0900", without the space) write it, to UTC seconds, and back.  Pure.
 */
#ifndef SANKAKU_TIMEPARSE_H
#define SANKAKU_TIMEPARSE_H

#include <time.h>

/* Its seconds (UTC): a fraction after the seconds is ignored, a zone (Z,
 * +0900, -05:30) honoured, none read as UTC; -1 if it is not one. */
time_t time_parse(const char *);
/* UTC seconds as "2026-11-28T22:00:00Z" into buf (21 bytes or more), or
 * "-" if they cannot be written so (the desk, the index, the report). */
void time_format(time_t, char *buf, size_t len);

#endif
