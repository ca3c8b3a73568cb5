/*
 * enrichtest.h: running the enrichment in a unit test: a config with
 * three sources, an index, alerts built from parts, and the sankaku
 * object of an enriched alert.  Include after cmocka.h.
 */
#ifndef ENRICHTEST_H
#define ENRICHTEST_H

#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "enrich.h"

static struct cfg *cfg;
static struct idx *idx;
static struct render *tables;

static const char cfg_text[] =
    "{\"sources\": ["
    "{\"id\": \"jpcert-ew\", \"name\": \"JPCERT\", \"triangle\": "
    "\"speed-accuracy\", \"tlp\": \"amber\"},"
    "{\"id\": \"fin-isac\", \"triangle\": \"speed-coverage\", \"tlp\": "
    "\"green\"},"
    "{\"id\": \"open\", \"triangle\": \"accuracy-coverage\", \"tlp\": "
    "\"clear\"}]}";

static const char idx_text[] =
    "domain\tevil.example\tfin-isac,jpcert-ew\t2026-11-20T09:00:00Z\t"
    "compromise\n"
    "ip\t198.51.100.23\topen,unknown-src\t-\tindicator\n"
    "ip\t2001:db8::23\tjpcert-ew\t-\tindicator\n";

static inline int
setup(void **state)
{
	char err[256];

	(void)state;
	cfg = cfg_parse("t.json", cfg_text, strlen(cfg_text), err, sizeof(err));
	idx = idx_parse("i", idx_text, strlen(idx_text), err, sizeof(err));
	if (cfg == NULL || idx == NULL)
		return -1;
	tables = render_new(cfg);
	return tables == NULL ? -1 : 0;
}

static inline int
teardown(void **state)
{
	(void)state;
	render_free(tables);
	cfg_free(cfg);
	idx_free(idx);
	return 0;
}

/* Build an alert event from parts. */
static inline char *
mkalert(const char *src, const char *dst, const char *alert_extra,
    const char *meta, const char *extra)
{
	static char buf[4096];

	snprintf(buf, sizeof(buf),
	    "{\"timestamp\":\"2026-11-26T00:00:00.000000+0000\",\"flow_id\":1,"
	    "\"event_type\":\"alert\",\"src_ip\":\"%s\",\"src_port\":40000,"
	    "\"dest_ip\":\"%s\",\"dest_port\":80,\"proto\":\"TCP\","
	    "\"alert\":{\"action\":\"allowed\",\"gid\":1,\"signature_id\":9,"
	    "\"rev\":1%s,\"metadata\":{%s}}%s}",
	    src, dst, alert_extra, meta, extra);
	return buf;
}

/* Enrich raw; return the parsed sankaku object (new reference). */
static inline json_t *
run(const char *raw, struct enrich_out *out)
{
	struct enrich_ctx ctx = {cfg, idx, tables};
	json_t *ev, *s;

	assert_int_equal(enrich_event(&ctx, raw, strlen(raw), out), ENRICH_OK);
	ev = json_loadb(
	    out->json, out->len, JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL, NULL);
	assert_non_null(ev);
	s = json_incref(json_object_get(ev, "sankaku"));
	json_decref(ev);
	assert_non_null(s);
	return s;
}

/* Phase id of raw. */
static inline const char *
phase_of(const char *raw)
{
	static char id[64];
	struct enrich_out out;
	json_t *s = run(raw, &out);

	snprintf(id, sizeof(id), "%s",
	    json_string_value(
		json_object_get(json_object_get(s, "phase"), "id")));
	json_decref(s);
	enrich_out_free(&out);
	return id;
}

#define OUT "203.0.113.9"
#define IN "192.168.1.10"

#endif
