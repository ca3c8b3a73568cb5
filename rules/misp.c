/*
 * misp.c: a MISP event (JSON, {"Event": {...}}), attributes directly in
 * the event and inside its Objects.  Only attributes with to_ids set are
 * deployed; types outside the supported list are counted as skipped.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "feed.h"

static const struct {
	const char *misp;
	enum ioc_type type;
	int port; /* value is "address|port" */
} misp_types[] = {
    {"ip-src", IOC_CIDR, 0},
    {"ip-dst", IOC_CIDR, 0},
    {"ip-src|port", IOC_CIDR, 1},
    {"ip-dst|port", IOC_CIDR, 1},
    {"domain", IOC_DOMAIN, 0},
    {"hostname", IOC_DOMAIN, 0},
    {"url", IOC_URL, 0},
    {"md5", IOC_MD5, 0},
    {"sha1", IOC_SHA1, 0},
    {"sha256", IOC_SHA256, 0},
    {"ja3-fingerprint-md5", IOC_JA3, 0},
};

/* Evidence from the attribute's category. */
static enum evidence
misp_evidence(const char *category)
{
	if (category == NULL)
		return EV_INDICATOR;
	if (strcmp(category, "Payload installation") == 0 ||
	    strcmp(category, "Artifacts dropped") == 0 ||
	    strcmp(category, "Persistence mechanism") == 0)
		return EV_COMPROMISE;
	if (strcmp(category, "Payload delivery") == 0)
		return EV_ATTACK_ATTEMPT;
	return EV_INDICATOR;
}

/* to_ids as MISP writes it: true, or "1" in older exports. */
static int
misp_to_ids(json_t *v)
{
	return json_is_true(v) ||
	    (json_is_string(v) && strcmp(json_string_value(v), "1") == 0) ||
	    (json_is_integer(v) && json_integer_value(v) == 1);
}

/* One attribute. */
static void
misp_attribute(struct feed_ctx *ctx, json_t *a, const char *pos)
{
	const char *type = json_string_value(json_object_get(a, "type"));
	const char *value = json_string_value(json_object_get(a, "value"));
	json_t *ts = json_object_get(a, "timestamp");
	char pub[32] = "";
	size_t i, len;

	if (!misp_to_ids(json_object_get(a, "to_ids")))
		return;
	if (type == NULL || value == NULL) {
		feed_reject(ctx, pos, "attribute without type or value");
		return;
	}
	for (i = 0; i < sizeof(misp_types) / sizeof(misp_types[0]); i++) {
		if (strcmp(type, misp_types[i].misp) == 0)
			break;
	}
	if (i == sizeof(misp_types) / sizeof(misp_types[0])) {
		ctx->report->skipped++;
		return;
	}
	if (json_is_string(ts) || json_is_integer(ts)) {
		time_t t = json_is_integer(ts)
		    ? (time_t)json_integer_value(ts)
		    : (time_t)strtoll(json_string_value(ts), NULL, 10);
		struct tm tm;

		if (t > 0 && gmtime_r(&t, &tm) != NULL)
			strftime(pub, sizeof(pub), "%Y-%m-%dT%H:%M:%SZ", &tm);
	}
	len = strlen(value);
	if (misp_types[i].port) {
		const char *bar = strchr(value, '|');

		if (bar == NULL) {
			feed_reject(ctx, pos, "%s '%s': expected address|port",
			    type, value);
			return;
		}
		len = (size_t)(bar - value);
	}
	feed_add(ctx, misp_types[i].type, value, len, pub[0] ? pub : NULL,
	    misp_evidence(json_string_value(json_object_get(a, "category"))),
	    pos);
}

/* Parse a MISP event. */
int
feed_misp(struct feed_ctx *ctx, const char *text, size_t len)
{
	json_t *root, *ev, *a, *obj;
	json_error_t jerr;
	size_t i, j;
	char pos[96];

	root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
	if (root == NULL) {
		snprintf(pos, sizeof(pos), "line %d column %d", jerr.line,
		    jerr.column);
		feed_reject(ctx, pos, "not JSON: %s", jerr.text);
		return -1;
	}
	ev = json_object_get(root, "Event");
	if (!json_is_object(ev)) {
		feed_reject(ctx, "Event", "not a MISP event (no Event object)");
		json_decref(root);
		return -1;
	}
	json_array_foreach (json_object_get(ev, "Attribute"), i, a) {
		snprintf(pos, sizeof(pos), "Event.Attribute[%zu]", i);
		misp_attribute(ctx, a, pos);
	}
	json_array_foreach (json_object_get(ev, "Object"), i, obj) {
		json_array_foreach (json_object_get(obj, "Attribute"), j, a) {
			snprintf(pos, sizeof(pos),
			    "Event.Object[%zu].Attribute[%zu]", i, j);
			misp_attribute(ctx, a, pos);
		}
	}
	json_decref(root);
	return 0;
}
