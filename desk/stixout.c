/*
 * stixout.c: what the desk's STIX 2.1 exports share (see stixout.h): the
 * sightings back to a source and the report of an incident.
 */

#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "sha1.h"
#include "stixout.h"
#include "timeparse.h"

/* The STIX 2.1 TLP marking definitions (TLP 1.0, as the spec fixes them). */
const char *
stix_marking(const char *tlp)
{
	if (strcmp(tlp, "clear") == 0 || strcmp(tlp, "white") == 0)
		return "marking-definition--613f2e26-407d-48c7-9eca-"
		       "b8e91df99dc9";
	if (strcmp(tlp, "green") == 0)
		return "marking-definition--34098fce-860f-48ae-8e50-"
		       "ebd3cc5e41da";
	if (strcmp(tlp, "red") == 0)
		return "marking-definition--5e57c739-391a-4eb3-b6be-"
		       "7d15ca92d5ed";
	/* amber, and amber+strict (no STIX 2.1 id of its own: the export
	 * says "x_sankaku_tlp") */
	return "marking-definition--f88d31f6-486f-44da-b317-01333bde0b82";
}

/* A stable id: "type--" and a version-5-shaped UUID of the SHA-1 of
 * what names the object. */
void
stix_id(const char *type, const char *name, char *out, size_t len)
{
	char h[41];

	sha1_hex(name, strlen(name), h);
	snprintf(out, len, "%s--%.8s-%.4s-5%.3s-%c%.3s-%.12s", type, h, h + 8,
	    h + 13, "89ab"[h[16] % 4], h + 17, h + 20);
}

/* In UTC: Suricata's times carry the sensor's offset ("+0900"), which
 * the first 19 characters alone would pass off as UTC. */
void
stix_time(const char *in, char out[32])
{
	time_t t = in != NULL ? time_parse(in) : (time_t)-1;

	time_format(t != (time_t)-1 ? t : 0, out, 32);
}

json_t *
stix_identity(const char *name, char *id, size_t len)
{
	stix_id("identity", name != NULL ? name : "", id, len);
	if (name == NULL || name[0] == '\0')
		return NULL;
	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "type",
	    "identity", "spec_version", "2.1", "id", id, "created",
	    "2026-01-01T00:00:00Z", "modified", "2026-01-01T00:00:00Z", "name",
	    name, "identity_class", "organization");
}
