/*
 * misp.c: MISP events as files ({"Event": {...}}) and as REST responses
 * ({"response": [{"Event": ...}, ...]} from events/restSearch, a bare
 * array of them, and {"response": {"Attribute": [...]}} from
 * attributes/restSearch).
 *
 * Each event is parsed alone: a broken event costs itself, a truncated
 * response keeps what came before.  An event that cannot be read is not
 * deployed in part: its tags carry its TLP.  Attributes are deployed when
 * to_ids is set and neither they nor their object are deleted; an
 * attribute's TLP is the strictest of its own tags and its event's.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "buf.h"
#include "cves.h"
#include "feed.h"
#include "ftype.h"
#include "jsplit.h"

/* What every attribute of an event shares. */
struct mevent {
	const char *uuid, *info;
	enum tlp tlp;
	int64_t published;
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

/* A MISP boolean: true, 1 or "1" (older exports), "true". */
static int
misp_true(json_t *v)
{
	const char *s = json_string_value(v);

	return json_is_true(v) ||
	    (json_is_integer(v) && json_integer_value(v) == 1) ||
	    (s != NULL && (strcmp(s, "1") == 0 || strcmp(s, "true") == 0));
}

/* UTC seconds from a MISP timestamp (a number or a string of one). */
static int64_t
misp_time(json_t *v)
{
	const char *s = json_string_value(v);
	long long t;
	char *end;

	if (json_is_integer(v))
		return json_integer_value(v) > 0 ? json_integer_value(v) : 0;
	if (s == NULL || *s == '\0')
		return 0;
	t = strtoll(s, &end, 10);
	return *end == '\0' && t > 0 ? t : 0;
}

/* The strictest TLP among tags: "Tag": [{"name": "tlp:amber"}] or
 * "EventTag": [{"Tag": {"name": ...}}]. */
static enum tlp
tags_tlp(json_t *o, enum tlp t)
{
	json_t *v;
	size_t i;

	json_array_foreach (json_object_get(o, "Tag"), i, v) {
		const char *n = json_string_value(json_object_get(v, "name"));
		enum tlp x;

		if (n != NULL && tlp_parse(n, strlen(n), &x) == 0 &&
		    strncmp(n, "tlp:", 4) == 0)
			t = tlp_max(t, x);
	}
	json_array_foreach (json_object_get(o, "EventTag"), i, v) {
		const char *n = json_string_value(
		    json_object_get(json_object_get(v, "Tag"), "name"));
		enum tlp x;

		if (n != NULL && tlp_parse(n, strlen(n), &x) == 0 &&
		    strncmp(n, "tlp:", 4) == 0)
			t = tlp_max(t, x);
	}
	return t;
}

/* One attribute. */
static void
misp_attribute(struct feed_ctx *ctx, const struct mevent *ev, json_t *a,
    int obj_deleted, const char *pos)
{
	json_t *type = json_object_get(a, "type");
	json_t *value = json_object_get(a, "value");
	const char *uuid = json_string_value(json_object_get(a, "uuid"));
	struct ioc_meta m;
	char ref[160];

	feed_read(ctx);
	if (!json_is_object(a)) {
		feed_skip(ctx, pos, SKIP_BAD_OBJECT, "not an object");
		return;
	}
	if (obj_deleted || misp_true(json_object_get(a, "deleted"))) {
		feed_skip(ctx, pos, SKIP_DELETED, NULL);
		return;
	}
	if (json_is_string(type) && ctx->cves != NULL &&
	    strcmp(json_string_value(type), "vulnerability") == 0) {
		char cve[24], vref[160];

		/* shared for the desk's triage, not for the sensors */
		if (cve_normalise(json_string_value(value), cve) == 0) {
			snprintf(vref, sizeof(vref), "%s/%s",
			    ev->uuid != NULL ? ev->uuid : "-",
			    uuid != NULL ? uuid : "-");
			(void)cve_add(ctx->cves, cve, ctx->source,
			    ev->published != 0
				? ev->published
				: misp_time(json_object_get(a, "timestamp")),
			    ev->info, vref);
		}
		feed_skip(ctx, pos, SKIP_NOT_FOR_IDS, NULL);
		return;
	}
	if (!misp_true(json_object_get(a, "to_ids"))) {
		feed_skip(ctx, pos, SKIP_NOT_FOR_IDS, NULL);
		return;
	}
	if (!json_is_string(type) || !json_is_string(value)) {
		feed_skip(ctx, pos, SKIP_BAD_OBJECT,
		    "attribute without a type or value");
		return;
	}
	memset(&m, 0, sizeof(m));
	m.evidence =
	    misp_evidence(json_string_value(json_object_get(a, "category")));
	m.tlp = tags_tlp(a, ev->tlp);
	m.published = ev->published != 0
	    ? ev->published
	    : misp_time(json_object_get(a, "timestamp"));
	if (ev->uuid != NULL && uuid != NULL) {
		snprintf(ref, sizeof(ref), "%s/%s", ev->uuid, uuid);
		m.ref = ref;
	} else
		m.ref = uuid;
	m.name = ev->info;
	feed_typed(ctx, json_string_value(type), json_string_length(type),
	    json_string_value(value), json_string_length(value), &m, pos, 0);
}

/* Every attribute of an event, its own and its objects'. */
static void
misp_event(struct feed_ctx *ctx, json_t *e, const char *where)
{
	struct mevent ev;
	json_t *a, *obj;
	size_t i, j;
	char pos[160];

	memset(&ev, 0, sizeof(ev));
	ev.uuid = json_string_value(json_object_get(e, "uuid"));
	ev.info = json_string_value(json_object_get(e, "info"));
	ev.tlp = tags_tlp(e, TLP_CLEAR);
	ev.published = misp_time(json_object_get(e, "publish_timestamp"));
	json_array_foreach (json_object_get(e, "Attribute"), i, a) {
		snprintf(pos, sizeof(pos), "%s.Attribute[%zu]", where, i);
		misp_attribute(ctx, &ev, a, 0, pos);
	}
	json_array_foreach (json_object_get(e, "Object"), i, obj) {
		int del = misp_true(json_object_get(obj, "deleted"));

		json_array_foreach (json_object_get(obj, "Attribute"), j, a) {
			snprintf(pos, sizeof(pos),
			    "%s.Object[%zu].Attribute[%zu]", where, i, j);
			misp_attribute(ctx, &ev, a, del, pos);
		}
	}
}

/* Parse text as JSON; a failure is counted at pos. */
static json_t *
load(struct feed_ctx *ctx, const char *text, size_t len, const char *pos)
{
	json_error_t jerr;
	json_t *j = json_loadb(
	    text, len, JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL, &jerr);

	if (j == NULL) {
		struct buf b = {NULL, 0, 0, 0};
		char *near = strstr(jerr.text, " near '");

		if (near != NULL)
			*near = '\0'; /* it quotes the input */
		feed_quote(&b, jerr.text, strlen(jerr.text), 120);
		feed_read(ctx);
		feed_skip(ctx, pos, SKIP_BAD_OBJECT,
		    "not JSON (line %d): %s; nothing of it is deployed",
		    jerr.line, b.s);
		free(b.s);
	}
	return j;
}

/* Each element of an array of {"Event": ...}. */
static enum feed_status
misp_events(struct feed_ctx *ctx, const char *text, size_t len, size_t at,
    const char *name)
{
	struct jsplit_iter it;
	size_t s, e;
	enum jsplit js;
	char pos[64];

	jsplit_begin(&it, text, len, at);
	while ((js = jsplit_next(&it, &s, &e)) == JS_ELEMENT) {
		json_t *j, *ev;

		snprintf(pos, sizeof(pos), "%s[%zu]", name, it.index);
		if ((j = load(ctx, text + s, e - s, pos)) == NULL)
			continue;
		if (!json_is_object(ev = json_object_get(j, "Event"))) {
			feed_read(ctx);
			feed_skip(ctx, pos, SKIP_BAD_OBJECT,
			    "not a MISP event (no Event object)");
		} else {
			snprintf(
			    pos, sizeof(pos), "%s[%zu].Event", name, it.index);
			misp_event(ctx, ev, pos);
		}
		json_decref(j);
	}
	if (js == JS_TRUNCATED)
		return feed_fail(ctx, FEED_TRUNCATED,
		    "the file ends inside %s (after %zu events): a truncated "
		    "download?",
		    name, it.index + 1);
	if (js == JS_SYNTAX)
		return feed_fail(ctx, FEED_TRUNCATED,
		    "unreadable from byte %zu on (after %zu events)", it.pos,
		    it.index + 1);
	return FEED_OK;
}

/* attributes/restSearch: {"response": {"Attribute": [...]}}. */
static enum feed_status
misp_attributes(struct feed_ctx *ctx, json_t *list)
{
	json_t *a;
	size_t i;
	char pos[64];

	json_array_foreach (list, i, a) {
		json_t *e = json_object_get(a, "Event");
		struct mevent ev;

		memset(&ev, 0, sizeof(ev));
		ev.uuid = json_string_value(json_object_get(e, "uuid"));
		ev.info = json_string_value(json_object_get(e, "info"));
		ev.tlp = tags_tlp(e, TLP_CLEAR);
		snprintf(pos, sizeof(pos), "response.Attribute[%zu]", i);
		misp_attribute(ctx, &ev, a, 0, pos);
	}
	return FEED_OK;
}

/* Parse a MISP file. */
enum feed_status
feed_misp(struct feed_ctx *ctx, const char *text, size_t len)
{
	size_t at, p = 0;
	json_t *j, *ev;
	enum feed_status st;
	int rv;

	while (p < len && strchr(" \t\r\n", text[p]) != NULL)
		p++;
	if (p == len)
		return feed_fail(ctx, FEED_BROKEN, "empty");
	if (text[p] == '[')
		return misp_events(ctx, text, len, p, "events");
	rv = jsplit_member(text, len, "response", &at);
	if (rv == 0 && text[at] == '[')
		return misp_events(ctx, text, len, at, "response");
	if (rv == -2)
		return feed_fail(ctx, FEED_TRUNCATED,
		    "the file ends too early: a truncated download?");
	if (rv == -1)
		return feed_fail(ctx, FEED_BROKEN, "not a JSON object");
	/* one event, or an attribute search: small enough to parse whole */
	if (!jsplit_complete(text, len))
		return feed_fail(ctx, FEED_TRUNCATED,
		    "the file ends too early: a truncated download?");
	if ((j = load(ctx, text, len, "(file)")) == NULL)
		return feed_fail(ctx, FEED_BROKEN, "not JSON");
	if (json_is_object(ev = json_object_get(j, "Event"))) {
		misp_event(ctx, ev, "Event");
		st = FEED_OK;
	} else if (json_is_array(
		       ev = json_object_get(
			   json_object_get(j, "response"), "Attribute")))
		st = misp_attributes(ctx, ev);
	else
		st = feed_fail(ctx, FEED_BROKEN,
		    "not a MISP event or REST response (no Event, no "
		    "response)");
	json_decref(j);
	return st;
}
