/*
 * inctest.h: what the incident tests share: a config with an
 * organisation, enriched alerts to read, and taking them or acting on an
 * incident in one call.  The tests run in tests/unit.
 */
#ifndef INCTEST_H
#define INCTEST_H

#define _GNU_SOURCE /* asprintf */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "arena.h"
#include "incident.h"

/* The strings of the alerts parsed here (a batch's, in the desk). */
static struct arena *strs;

/* The group's setup and teardown: the strings' arena. */
static inline int
inc_setup(void **state)
{
	(void)state;
	return (strs = arena_new()) == NULL ? -1 : 0;
}

static inline int
inc_teardown(void **state)
{
	(void)state;
	arena_free(strs);
	return 0;
}

static const char cfg_text[] =
    "{\"sources\": [{\"id\": \"jpcert-ew\", \"triangle\": "
    "\"speed-accuracy\"}],"
    " \"organisation\": {\"pattern\": \"hybrid\", \"teams\": ["
    "  {\"id\": \"soc\", \"name\": {\"ja\": \"監視\", \"en\": \"SOC\"},"
    "   \"sourcing\": \"outsource\", \"roles\": [\"B-*\"]},"
    "  {\"id\": \"csirt\", \"name\": \"CSIRT\", \"sourcing\": "
    "\"insource\", \"roles\": [\"C\", \"D-1\", \"D-2\"]}],"
    " \"maturity\": {\"B\": 4, \"B-3\": 2, \"C\": 3}}}";

static inline struct cfg *
cfg(void)
{
	char err[256];
	struct cfg *c =
	    cfg_parse("t.json", cfg_text, strlen(cfg_text), err, sizeof(err));

	if (c == NULL)
		fail_msg("%s", err);
	return c;
}

/* An enriched alert, full form, of phase, from src to dst, at ts. */
static inline char *
alert_ts(const char *id, const char *phase, const char *src, const char *dst,
    long sid, const char *ts)
{
	char *s;

	assert_true(asprintf(&s,
			"{\"timestamp\":\"%s\","
			"\"src_ip\":\"%s\",\"dest_ip\":\"%s\",\"event_type\":"
			"\"alert\",\"alert\":{\"signature_id\":%ld,"
			"\"signature\":\"<script>x</script>\"},\"sankaku\":{"
			"\"id\":\"%s\",\"phase\":{\"id\":\"%s\",\"ja\":\"x\"},"
			"\"kpi\":\"attack-condition\",\"evidence\":"
			"\"attack-attempt\",\"indicator\":{\"type\":"
			"\"domain\",\"value\":\"evil.example\"},\"sources\":"
			"[{\"id\":\"jpcert-ew\",\"name\":\"x\"}]}}",
			ts, src, dst, sid, id, phase) > 0);
	return s;
}

/* The same at 2026-11-28T01:00:00.000001+0000. */
static inline char *
alert(const char *id, const char *phase, const char *src, const char *dst,
    long sid)
{
	return alert_ts(
	    id, phase, src, dst, sid, "2026-11-28T01:00:00.000001+0000");
}

/* The incident's latest history entry, or NULL. */
static inline json_t *
last_entry(json_t *inc)
{
	json_t *h = json_object_get(inc, "history");

	return json_array_get(h, json_array_size(h) - 1);
}

/* The string member key of the latest history entry, or NULL. */
static inline const char *
last_said(json_t *inc, const char *key)
{
	return json_string_value(json_object_get(last_entry(inc), key));
}

static inline void
take(json_t *inc, struct cfg *c, const char *text, int moved)
{
	struct dalert a;
	char err[128];

	assert_int_equal(
	    dalert_parse(text, strlen(text), &a, strs, err, sizeof(err)), 0);
	assert_int_equal(inc_take_alert(inc, &a, c, 1000, NULL), moved);
}

static inline const char *
phase(const json_t *inc)
{
	return json_string_value(
	    json_object_get(json_object_get(inc, "phase"), "id"));
}

static inline int
act(json_t *inc, struct cfg *c, const char *action, const char *decision,
    const char *verdict)
{
	struct inc_action a = {
	    .action = action, .decision = decision, .verdict = verdict};
	struct desk_who who = {"aoi", "soc"};
	char err[160];

	return inc_act(inc, &a, &who, c, 2000, err, sizeof(err));
}

#endif
