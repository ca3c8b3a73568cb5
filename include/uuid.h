/*
 * uuid.h: a UUID as MISP and STIX write them.  Pure.
 */
#ifndef SANKAKU_UUID_H
#define SANKAKU_UUID_H

/* Whether s is 8-4-4-4-12 hex digits (either case), and nothing more:
 * fit to make a file name, a URL or a line of history. */
int uuid_ok(const char *s);

#endif
