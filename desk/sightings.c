/*
 * sightings.c: what we saw of one source's indicators, to send back to
 * it (see incident.h).  Pure: the incidents in, the export out.
 *
 * Only that source's own indicators, named by its own ids (the refs the
 * enrichment carried: a STIX indicator id, or a MISP "event/attribute"
 * uuid pair); nothing of any other source.  One sighting per (incident,
 * indicator): first and last seen are the incident's alerts', a false
 * positive is an indicator whose verdict there (its own, else the
 * incident's) is false-positive or benign.  Incidents last changed
 * before "since" are left out.  Each sighting carries the strictest of
 * the source's TLP and the indicator's own (the feeds' markings the
 * alerts carried), the bundle the strictest of what it holds; nothing
 * RED is exported (a source whose TLP is red gets nothing; RED alerts
 * never reach the desk: they go to their own stream).
 *
 *   stix  a STIX 2.1 bundle: our identity (unless anonymous), then
 *         sighting objects (sighting_of_ref, count, first_seen,
 *         last_seen, where_sighted_refs, object_marking_refs with the
 *         source's TLP); a false positive carries "x_opencti_negative":
 *         true and says so in its description
 *   misp  the bodies of MISP's /sightings/add: {"uuid" (the
 *         attribute's), "type" "0" (sighting) or "1" (false positive),
 *         "source", "timestamp"}
 */

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "incident.h"
#include "stixout.h"
#include "tlp.h"

static long long
ts_or_zero(const char *s)
{
	time_t t = time_parse(s);

	return t == (time_t)-1 ? 0 : (long long)t;
}

json_t *
sightings_export(json_t *incidents, const struct cfg *cfg, const char *source,
    const char *format, const char *since, const char *identity, time_t now,
    char *err, size_t errlen)
{
	const struct cfg_source *src = NULL;
	int stix = strcmp(format, "stix") == 0;
	json_t *objs = json_array(), *inc, *x;
	char ident[80], t[32], created[32];
	const char *k;
	size_t i;
	enum tlp strictest;

	for (i = 0; i < cfg->nsources; i++)
		if (strcmp(cfg->sources[i].id, source) == 0)
			src = &cfg->sources[i];
	if (src == NULL || (!stix && strcmp(format, "misp") != 0)) {
		snprintf(err, errlen,
		    src == NULL ? "no source %.64s"
				: "format: stix or misp (not %.20s)",
		    src == NULL ? source : format);
		json_decref(objs);
		return NULL;
	}
	strictest = src->tlp_level;
	time_format(now, t, sizeof(t));
	stix_time(t, created);
	if (stix && (x = stix_identity(identity, ident, sizeof(ident))) != NULL)
		json_array_append_new(objs, x);
	json_object_foreach (incidents, k, inc) {
		json_t *al = json_object_get(inc, "alerts");
		const char *upd =
		    json_string_value(json_object_get(inc, "updated_at"));

		if (strcmp(src->tlp, "red") == 0)
			break;
		if (since != NULL && upd != NULL && strcmp(upd, since) < 0)
			continue;
		json_array_foreach (json_object_get(inc, "indicators"), i, x) {
			const char *ref = json_string_value(json_object_get(
			    json_object_get(x, "refs"), source));
			int fp =
			    inc_verdict_kind(inc_indicator_verdict(inc, x)) < 0;
			char name[400], sid[80], first[32], last[32];
			const char *xt =
			    json_string_value(json_object_get(x, "tlp"));
			enum tlp tl = src->tlp_level, it;

			if (ref == NULL)
				continue; /* not this source's, or no id */
			/* the strictest of the source's and the indicator's
			 * own marking; RED is not sent */
			if (xt != NULL && tlp_parse(xt, strlen(xt), &it) == 0)
				tl = tlp_max(tl, it);
			if (tl == TLP_RED)
				continue;
			strictest = tlp_max(strictest, tl);
			stix_time(
			    json_string_value(json_object_get(al, "first")),
			    first);
			stix_time(
			    json_string_value(json_object_get(al, "last")),
			    last);
			if (!stix) {
				const char *slash = strchr(ref, '/');

				if (slash == NULL)
					continue; /* not a MISP attribute */
				json_array_append_new(objs,
				    json_pack("{s:s, s:s, s:s, s:I}", "uuid",
					slash + 1, "type", fp ? "1" : "0",
					"source",
					identity != NULL && identity[0] != '\0'
					    ? identity
					    : "sankaku",
					"timestamp",
					(json_int_t)ts_or_zero(
					    json_string_value(
						json_object_get(al, "last")))));
				continue;
			}
			if (strncmp(ref, "indicator--", 11) != 0)
				continue; /* a STIX sighting names a STIX object
					   */
			snprintf(
			    name, sizeof(name), "%s|%s|%s", k, source, ref);
			stix_id("sighting", name, sid, sizeof(sid));
			{
				json_t *s = json_pack(
				    "{s:s, s:s, s:s, s:s, s:s, s:s, s:i, s:s,"
				    " s:s, s:[s]}",
				    "type", "sighting", "spec_version", "2.1",
				    "id", sid, "created", created, "modified",
				    created, "sighting_of_ref", ref, "count", 1,
				    "first_seen", first, "last_seen", last,
				    "object_marking_refs",
				    stix_marking(tlp_name(tl)));

				if (identity != NULL && identity[0] != '\0')
					json_object_set_new(s,
					    "where_sighted_refs",
					    json_pack("[s]", ident));
				if (fp) {
					json_object_set_new(s,
					    "x_opencti_negative", json_true());
					json_object_set_new(s, "description",
					    json_string("false positive: seen, "
							"and judged harmless "
							"by the analysts"));
				}
				json_array_append_new(objs, s);
			}
		}
	}
	if (!stix)
		return objs;
	{
		char bid[80], name[200];
		json_t *b;

		snprintf(name, sizeof(name), "%s|%s", source, t);
		stix_id("bundle", name, bid, sizeof(bid));
		b = json_pack("{s:s, s:s, s:o}", "type", "bundle", "id", bid,
		    "objects", objs);
		json_object_set_new(
		    b, "x_sankaku_tlp", json_string(tlp_name(strictest)));
		return b;
	}
}
