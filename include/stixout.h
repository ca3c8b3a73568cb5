/*
 * stixout.h: STIX 2.1 pieces the desk's exports share (sightings.c,
 * inc_report.c).  Pure.
 */
#ifndef SANKAKU_STIXOUT_H
#define SANKAKU_STIXOUT_H

#include <stddef.h>

#include <jansson.h>

/* The STIX 2.1 marking definition of a TLP name ("clear", "green",
 * "amber", "amber+strict": amber's, which STIX 2.1 gives no id of its
 * own; "red"). */
const char *stix_marking(const char *tlp);
/* A stable id into out: "type--" and a version-5-shaped UUID of the
 * SHA-1 of name, so that the same object gets the same id each time. */
void stix_id(const char *type, const char *name, char *out, size_t len);
/* A time as STIX wants it, in UTC to the second: Suricata's
 * "2026-11-28T22:00:00.000001+0900" becomes "2026-11-28T13:00:00Z"
 * ("1970-01-01T00:00:00Z" for NULL or what time_parse cannot read). */
void stix_time(const char *in, char out[32]);
/* Our identity object (desk.identity, an organisation), its id into id;
 * NULL for an anonymous one (name NULL or ""). */
json_t *stix_identity(const char *name, char *id, size_t len);

#endif
