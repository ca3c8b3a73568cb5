/*
 * inc_report.c: an incident as we would share it with a community (see
 * incident.h): becoming a sender, the sharing triangle's last word.
 *
 * Only what we found ourselves: the outside parties the incident's own
 * detections saw acting against it ("peers", inc_peers.c), less every
 * address the feeds gave us (an indicator of the
 * incident's, by address, prefix or address:port: that information is
 * its source's, under its source's TLP, and goes back to it as a
 * sighting instead), less our own network (desk.home_net), less what no
 * one else can use (private, loopback, link-local, multicast).  Nothing
 * about our side: no host of ours, no note, no user; the rules' names
 * and how many alerts each address raised.  An incident closed as a
 * false positive, benign or a duplicate has nothing to share.
 *
 *   stix  a STIX 2.1 bundle: our identity (unless anonymous), an
 *         indicator a peer ([ipv4-addr:value = '…'], valid_from its
 *         first alert, confidence 85 once closed true-positive, else
 *         50), and a report naming them, all marked with the TLP asked
 *         for
 *   misp  the body of MISP's /events/add: an Event with its info,
 *         date, analysis (ongoing or complete), the TLP as a tag, and an
 *         ip-src or ip-dst attribute a peer (as it stood in its first
 *         alert), to_ids
 */

#include <stdio.h>
#include <string.h>

#include "cidr.h"
#include "incident.h"
#include "stixout.h"
#include "tlp.h"

/* Addresses no other organisation can use. */
static const char *const unshared[] = {"0.0.0.0/8", "10.0.0.0/8",
    "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12",
    "192.168.0.0/16", "224.0.0.0/3", "::/127", "fc00::/7", "fe80::/10",
    "ff00::/8"};

static int
unshareable(const char *ip)
{
	struct cidr c;
	size_t i;

	for (i = 0; i < sizeof(unshared) / sizeof(unshared[0]); i++)
		if (cidr_parse(unshared[i], &c, 0) == 0 &&
		    cidr_contains(&c, ip))
			return 1;
	return 0;
}

/* Whether a feed gave us the address: an indicator of the incident's
 * that is it, holds it, or is it with a port. */
static int
listed(const json_t *inc, const char *ip)
{
	const json_t *x;
	size_t i;

	json_array_foreach (json_object_get(inc, "indicators"), i, x) {
		const char *t = json_string_value(json_object_get(x, "type"));
		const char *v = json_string_value(json_object_get(x, "value"));
		struct cidr c;

		if (t == NULL || v == NULL ||
		    json_array_size(json_object_get(x, "sources")) == 0)
			continue; /* what our own rules saw is ours */
		if (strcmp(t, "ip-port") == 0) {
			const char *colon = strrchr(v, ':');
			char a[64];

			if (colon == NULL || (size_t)(colon - v) >= sizeof(a))
				continue;
			snprintf(a, sizeof(a), "%.*s", (int)(colon - v), v);
			if (a[0] == '[' && a[strlen(a) - 1] == ']') {
				memmove(a, a + 1, strlen(a));
				a[strlen(a) - 1] = '\0';
			}
			cidr_canon_addr(a, sizeof(a));
			if (strcmp(a, ip) == 0)
				return 1;
		} else if ((strcmp(t, "ip") == 0 || strcmp(t, "cidr") == 0) &&
		    cidr_parse(v, &c, 1) == 0 && cidr_contains(&c, ip))
			return 1;
	}
	return 0;
}

/* The addresses to share, a new array of the peers' entries (borrowed
 * members). */
static json_t *
ours(const json_t *inc, const struct cfg *cfg)
{
	json_t *out = json_array(), *p;
	size_t i;

	json_array_foreach (json_object_get(inc, "peers"), i, p) {
		const char *ip = json_string_value(json_object_get(p, "ip"));
		struct cidr c;

		if (ip == NULL || cidr_parse(ip, &c, 0) != 0 ||
		    unshareable(ip) ||
		    cidr_list_has(cfg->home_net, cfg->nhome_net, ip) ||
		    listed(inc, ip))
			continue;
		json_array_append(out, p);
	}
	return out;
}

/* The rules that fired, by count: "name (n); name (n)", cut to fit. */
static void
rules_said(const json_t *inc, char *out, size_t len)
{
	const json_t *s;
	size_t i, at = 0;

	out[0] = '\0';
	json_array_foreach (json_object_get(inc, "signatures"), i, s) {
		int w = snprintf(out + at, len - at, "%s%s (%lld)",
		    i > 0 ? "; " : "",
		    json_string_value(json_object_get(s, "signature")),
		    (long long)json_integer_value(json_object_get(s, "count")));

		if (w < 0 || (size_t)w >= len - at) {
			out[at] = '\0';
			break;
		}
		at += (size_t)w;
	}
}

static json_t *
as_stix(const json_t *inc, json_t *peers, const char *tlp, const char *identity,
    int confirmed)
{
	const char *id = json_string_value(json_object_get(inc, "id"));
	const json_t *al = json_object_get(inc, "alerts"), *p;
	json_t *objs = json_array(), *refs = json_array(), *o;
	char ident[96], oid[96], created[32], modified[32], first[32],
	    name[200], said[1200];
	const char *marking = stix_marking(tlp);
	size_t i;

	/* versions of one object share its created; each change of the
	 * incident makes a newer one, the same state the same bytes */
	stix_time(
	    json_string_value(json_object_get(inc, "opened_at")), created);
	stix_time(
	    json_string_value(json_object_get(inc, "updated_at")), modified);
	stix_time(json_string_value(json_object_get(al, "first")), first);
	rules_said(inc, said, sizeof(said));
	if ((o = stix_identity(identity, ident, sizeof(ident))) != NULL)
		json_array_append_new(objs, o);
	json_array_foreach (peers, i, p) {
		const char *ip = json_string_value(json_object_get(p, "ip"));
		char pattern[128], what[1400];

		snprintf(name, sizeof(name), "%s|%s", id, ip);
		stix_id("indicator", name, oid, sizeof(oid));
		snprintf(pattern, sizeof(pattern), "[%s:value = '%s']",
		    strchr(ip, ':') != NULL ? "ipv6-addr" : "ipv4-addr", ip);
		snprintf(what, sizeof(what), "%lld alerts: %s",
		    (long long)json_integer_value(json_object_get(p, "count")),
		    said);
		o = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:[s],"
			      " s:s, s:s, s:s, s:i, s:[s]}",
		    "type", "indicator", "spec_version", "2.1", "id", oid,
		    "created", created, "modified", modified, "name", ip,
		    "description", what, "indicator_types",
		    "malicious-activity", "pattern", pattern, "pattern_type",
		    "stix", "valid_from", first, "confidence",
		    confirmed ? 85 : 50, "object_marking_refs", marking);
		if (identity != NULL && identity[0] != '\0')
			json_object_set_new(
			    o, "created_by_ref", json_string(ident));
		json_array_append_new(objs, o);
		json_array_append_new(refs, json_string(oid));
	}
	stix_id("report", id, oid, sizeof(oid));
	snprintf(name, sizeof(name), "sankaku incident %s", id);
	o = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:[s], s:s, s:o,"
		      " s:[s]}",
	    "type", "report", "spec_version", "2.1", "id", oid, "created",
	    created, "modified", modified, "name", name, "description", said,
	    "report_types", "threat-report", "published", modified,
	    "object_refs", refs, "object_marking_refs", marking);
	if (identity != NULL && identity[0] != '\0')
		json_object_set_new(o, "created_by_ref", json_string(ident));
	json_array_append_new(objs, o);
	snprintf(name, sizeof(name), "%s|%s", id, modified);
	stix_id("bundle", name, oid, sizeof(oid));
	o = json_pack("{s:s, s:s, s:o, s:s}", "type", "bundle", "id", oid,
	    "objects", objs, "x_sankaku_tlp", tlp);
	return o;
}

static json_t *
as_misp(const json_t *inc, json_t *peers, const char *tlp, int confirmed)
{
	const char *id = json_string_value(json_object_get(inc, "id"));
	const json_t *al = json_object_get(inc, "alerts"), *p;
	json_t *attrs = json_array();
	char first[32], info[200], said[1200], tag[32], date[11];
	size_t i;

	stix_time(json_string_value(json_object_get(al, "first")), first);
	rules_said(inc, said, sizeof(said));
	json_array_foreach (peers, i, p) {
		const char *end = json_string_value(json_object_get(p, "end"));
		char what[1400];

		snprintf(what, sizeof(what), "%lld alerts: %s",
		    (long long)json_integer_value(json_object_get(p, "count")),
		    said);
		json_array_append_new(attrs,
		    json_pack("{s:s, s:s, s:s, s:b, s:s, s:s}", "type",
			end != NULL && strcmp(end, "dst") == 0 ? "ip-dst"
							       : "ip-src",
			"category", "Network activity", "value",
			json_string_value(json_object_get(p, "ip")), "to_ids",
			1, "comment", what, "first_seen", first));
	}
	snprintf(info, sizeof(info), "sankaku incident %s", id);
	snprintf(tag, sizeof(tag), "tlp:%s", tlp);
	snprintf(date, sizeof(date), "%.10s", first); /* its first activity */
	return json_pack("{s:{s:s, s:s, s:s, s:s, s:[{s:s}], s:o}}", "Event",
	    "info", info, "date", date, "threat_level_id", "2", "analysis",
	    confirmed ? "2" : "1", "Tag", "name", tag, "Attribute", attrs);
}

json_t *
inc_report(const json_t *inc, const struct cfg *cfg, const char *format,
    const char *tlp, const char *identity, int *code, char *err, size_t errlen)
{
	const char *verdict =
	    json_string_value(json_object_get(inc, "verdict"));
	int stix = strcmp(format, "stix") == 0, confirmed;
	enum tlp t;
	json_t *peers, *out;

	*code = 400;
	if (!stix && strcmp(format, "misp") != 0) {
		snprintf(
		    err, errlen, "format: stix or misp (not %.20s)", format);
		return NULL;
	}
	if (tlp_parse(tlp, strlen(tlp), &t) != 0 || t == TLP_RED) {
		snprintf(err, errlen,
		    "tlp: clear, green, amber or amber+strict (not %.20s)",
		    tlp);
		return NULL;
	}
	*code = 409;
	if (verdict != NULL && strcmp(verdict, "true-positive") != 0) {
		snprintf(
		    err, errlen, "closed as %.20s: nothing to share", verdict);
		return NULL;
	}
	confirmed = verdict != NULL;
	peers = ours(inc, cfg);
	if (json_array_size(peers) == 0) {
		snprintf(err, errlen,
		    "nothing of our own to share: no detection of ours saw "
		    "an outside party act against it, or each was private "
		    "or a feed's indicator");
		json_decref(peers);
		return NULL;
	}
	*code = 200;
	out = stix ? as_stix(inc, peers, tlp_name(t), identity, confirmed)
		   : as_misp(inc, peers, tlp_name(t), confirmed);
	json_decref(peers);
	return out;
}
