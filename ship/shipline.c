/*
 * shipline.c: one line of eve.json, judged (see shipline.h).
 */

#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "evscan.h"
#include "evstr.h"
#include "shipline.h"

/* Whether the filter ships type. */
static int
wanted(const struct ship_filter *f, const char *type)
{
	size_t i;

	if (f->ntypes == 0)
		return 1;
	for (i = 0; i < f->ntypes; i++)
		if (strcmp(f->types[i], type) == 0)
			return 1;
	return 0;
}

/* A member name written with escapes: evscan matched nothing by name;
 * ask a full parser for event_type and host.  0, or -1. */
static int
slow_fields(
    const char *line, size_t len, char *type, size_t tlen, int *has_host)
{
	json_t *o = json_loadb(line, len, JSON_REJECT_DUPLICATES, NULL);
	const char *t;

	if (o == NULL || !json_is_object(o)) {
		json_decref(o);
		return -1;
	}
	t = json_string_value(json_object_get(o, "event_type"));
	snprintf(type, tlen, "%s", t != NULL ? t : "");
	*has_host = json_object_get(o, "host") != NULL;
	json_decref(o);
	return 0;
}

enum ship_verdict
ship_line(const struct ship_filter *f, const char *line, size_t len,
    struct buf *scratch, struct ship_out *out)
{
	struct evscan ev;
	int rc, has_host;

	memset(out, 0, sizeof(*out));
	while (len > 0 && (line[len - 1] == '\r' || line[len - 1] == ' '))
		len--;
	if (len == 0)
		return SHIP_SKIP;
	rc = evscan(line, len, &ev);
	if (rc == -1) {
		out->reason = "bad-json";
		snprintf(out->detail, sizeof(out->detail), "%s at byte %zu",
		    ev.err, ev.err_pos);
		return SHIP_DEAD;
	}
	if (ev.not_object) {
		out->reason = "not-object";
		snprintf(out->detail, sizeof(out->detail),
		    "an EVE event is a JSON object");
		return SHIP_DEAD;
	}
	if (rc == -2) {
		if (slow_fields(line, len, out->type, sizeof(out->type),
			&has_host) != 0) {
			out->reason = "bad-json";
			snprintf(out->detail, sizeof(out->detail),
			    "duplicate member name");
			return SHIP_DEAD;
		}
	} else {
		has_host = ev.f[F_HOST].p != NULL;
		if (ev.event_type_bad ||
		    evstr_cstr(&ev.f[F_EVENT_TYPE], out->type,
			sizeof(out->type)) == NULL)
			out->type[0] = '\0';
	}
	if (out->type[0] == '\0') {
		out->reason = "missing-field";
		snprintf(out->detail, sizeof(out->detail),
		    "event_type missing, not a string or over %zu bytes",
		    sizeof(out->type) - 1);
		return SHIP_DEAD;
	}
	if (!wanted(f, out->type))
		return SHIP_SKIP;
	out->p = line;
	out->len = len;
	if (f->sensor == NULL || f->sensor[0] == '\0' || has_host || rc == -2)
		return SHIP_SEND;
	/* ,"host":"<sensor>" before the closing brace */
	scratch->len = 0;
	buf_put(scratch, line, ev.close_brace);
	if (ev.root_members > 0)
		BUF_PUTS(scratch, ",");
	BUF_PUTS(scratch, "\"host\":");
	buf_json_string(scratch, f->sensor);
	buf_put(scratch, line + ev.close_brace, len - ev.close_brace);
	if (scratch->oom)
		return SHIP_SEND; /* as it was, rather than not at all */
	out->p = scratch->s;
	out->len = scratch->len;
	return SHIP_SEND;
}
