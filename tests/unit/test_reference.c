/*
 * test_reference.c: the compact output form.  An alert enriched compact,
 * then expanded with the reference document, is the alert enriched in the
 * full form (every member equal); the channels get the other form when
 * asked; the document's version follows its content; an alert naming
 * what the document lacks is left as it was.
 */

#define _GNU_SOURCE /* asprintf */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "enrich.h"
#include "measured.h"
#include "reference.h"

static const char cfg_full[] =
    "{\"sources\": ["
    "{\"id\": \"jpcert-ew\", \"name\": \"JPCERT\", \"triangle\": "
    "\"speed-accuracy\", \"tlp\": \"amber\"},"
    "{\"id\": \"fin-isac\", \"triangle\": \"speed-coverage\", \"tlp\": "
    "\"green\"}]}";

static const char cfg_compact[] =
    "{\"output\": {\"form\": \"compact\"}, \"sources\": ["
    "{\"id\": \"jpcert-ew\", \"name\": \"JPCERT\", \"triangle\": "
    "\"speed-accuracy\", \"tlp\": \"amber\"},"
    "{\"id\": \"fin-isac\", \"triangle\": \"speed-coverage\", \"tlp\": "
    "\"green\"}]}";

static const char idx_text[] =
    "@1\tLoader C2\n"
    "domain\tevil.example\tjpcert-ew,fin-isac\t2026-11-20T09:00:00Z\t"
    "compromise\tamber\t-\tjpcert-ew=indicator--1\t1\n";

/* A DNS alert for evil.example from a host inside, with a role of its
 * own in the metadata, of the given evidence (NULL: none) and action, from
 * the address asked. */
static char *
event_of(const char *evidence, const char *action, const char *src)
{
	char meta[128] = "";
	char *e;

	if (evidence != NULL)
		snprintf(meta, sizeof(meta), ",\"sankaku_evidence\":[\"%s\"]",
		    evidence);
	assert_true(
	    asprintf(&e,
		"{\"timestamp\":\"2026-11-26T00:00:00.000000+0000\","
		"\"flow_id\":1,\"event_type\":\"alert\",\"src_ip\":"
		"\"%s\",\"src_port\":5353,\"dest_ip\":"
		"\"192.168.1.53\",\"dest_port\":53,\"proto\":\"UDP\","
		"\"app_proto\":\"dns\",\"alert\":{\"action\":\"%s\","
		"\"gid\":1,\"signature_id\":1860060,\"rev\":1,"
		"\"signature\":\"x\",\"metadata\":{\"sankaku_ioc_type\":"
		"[\"domain\"],\"sankaku_role\":[\"I-1\"]%s}},\"dns\":"
		"{\"query\":[{\"rrname\":\"evil.example\"}]}}",
		src, action, meta) > 0);
	return e;
}

/* Enrich event with config text; the document (and the channels' form,
 * if asked, into *alt). */
static json_t *
enrich_event_text(
    const char *cfgtext, const char *event, int want_alt, json_t **alt)
{
	char err[256];
	struct cfg *cfg =
	    cfg_parse("t.json", cfgtext, strlen(cfgtext), err, sizeof(err));
	struct idx *idx =
	    idx_parse("i", idx_text, strlen(idx_text), err, sizeof(err));
	struct render *t;
	struct enrich_out out;
	json_t *doc;

	assert_non_null(cfg);
	assert_non_null(idx);
	assert_non_null(t = render_new(cfg));
	{
		struct enrich_ctx ctx = {cfg, idx, t, 0, want_alt};

		assert_int_equal(
		    enrich_event(&ctx, event, strlen(event), &out), ENRICH_OK);
	}
	doc = json_loadb(out.json, out.len, 0, NULL);
	assert_non_null(doc);
	if (alt != NULL)
		*alt = out.alt != NULL
		    ? json_loadb(out.alt, out.alt_len, 0, NULL)
		    : NULL;
	enrich_out_free(&out);
	render_free(t);
	idx_free(idx);
	cfg_free(cfg);
	return doc;
}

/* The compromise alert. */
static json_t *
enrich(const char *cfgtext, int want_alt, json_t **alt)
{
	char *e = event_of("compromise", "allowed", "192.168.1.5");
	json_t *doc = enrich_event_text(cfgtext, e, want_alt, alt);

	free(e);
	return doc;
}

/* The reference document of a config text. */
static json_t *
reference(const char *cfgtext)
{
	char err[256];
	struct cfg *cfg =
	    cfg_parse("t.json", cfgtext, strlen(cfgtext), err, sizeof(err));
	json_t *doc;

	assert_non_null(cfg);
	doc = reference_build(cfg);
	cfg_free(cfg);
	assert_non_null(doc);
	return doc;
}

/* Expanded, a compact alert is the full one, whatever its phase. */
static void
test_expand_is_full(void **state)
{
	static const struct {
		const char *evidence, *action, *src, *phase;
	} cases[] = {
	    {"vulnerability", "allowed", "192.168.1.5", "triage"},
	    /* from outside: a listed name, nothing more known */
	    {NULL, "allowed", "203.0.113.9", "detection-analysis"},
	    {"compromise", "allowed", "192.168.1.5",
		"containment-eradication-recovery"},
	    {"attack-attempt", "blocked", "192.168.1.5", "preparation"},
	};
	json_t *doc = reference(cfg_compact);
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *e =
		    event_of(cases[i].evidence, cases[i].action, cases[i].src);
		json_t *full = enrich_event_text(cfg_full, e, 0, NULL);
		json_t *compact = enrich_event_text(cfg_compact, e, 0, NULL);
		json_t *sk = json_object_get(compact, "sankaku");

		/* compact: ids and codes, and the version of the names */
		assert_string_equal(
		    json_string_value(json_object_get(sk, "phase")),
		    cases[i].phase);
		assert_true(json_is_string(
		    json_array_get(json_object_get(sk, "roles"), 0)));
		assert_string_equal(
		    json_string_value(json_object_get(sk, "ref")),
		    json_string_value(json_object_get(doc, "version")));
		assert_true(json_dumpb(compact, NULL, 0, JSON_COMPACT) * 10 <
		    json_dumpb(full, NULL, 0, JSON_COMPACT) * 8);
		/* expanded, it is the full form, member for member */
		assert_int_equal(reference_expand(sk, doc), 0);
		assert_true(json_equal(sk, json_object_get(full, "sankaku")));
		json_decref(full);
		json_decref(compact);
		free(e);
	}
	json_decref(doc);
}

static void
test_channel_form(void **state)
{
	json_t *alt = NULL, *stream = enrich(cfg_compact, 1, &alt);

	(void)state;
	/* the channels get the full form (the default channel_form) */
	assert_non_null(alt);
	assert_true(json_is_object(
	    json_object_get(json_object_get(alt, "sankaku"), "phase")));
	assert_null(json_object_get(json_object_get(alt, "sankaku"), "ref"));
	json_decref(alt);
	json_decref(stream);
	/* nobody listens: one form only */
	stream = enrich(cfg_compact, 0, &alt);
	assert_null(alt);
	json_decref(stream);
	/* full everywhere: no second form */
	stream = enrich(cfg_full, 1, &alt);
	assert_null(alt);
	json_decref(stream);
}

static void
test_versions(void **state)
{
	json_t *a = reference(cfg_full), *b = reference(cfg_compact);
	json_t *c = reference("{\"sources\": [{\"id\": \"x\", \"triangle\": "
			      "\"speed-accuracy\"}]}");
	json_t *sk = json_pack("{s:s, s:s, s:[s], s:[s]}", "ref", "00", "phase",
	    "triage", "roles", "Z-9", "sources", "jpcert-ew");

	(void)state;
	/* the output form is not in it: the names are the same */
	assert_string_equal(json_string_value(json_object_get(a, "version")),
	    json_string_value(json_object_get(b, "version")));
	assert_string_not_equal(
	    json_string_value(json_object_get(a, "version")),
	    json_string_value(json_object_get(c, "version")));
	/* a role the document does not have: left as it was */
	assert_int_equal(reference_expand(sk, a), -1);
	assert_string_equal(
	    json_string_value(json_object_get(sk, "phase")), "triage");
	assert_non_null(json_object_get(sk, "ref"));
	json_decref(a);
	json_decref(b);
	json_decref(c);
	json_decref(sk);
}

/* The desk's measured figures: only configured sources, only the three
 * figures, only numbers from 0 to 1; then in each source's triangle. */
static void
test_measured(void **state)
{
	static const char doc[] = "{\"sources\": {\"jpcert-ew\": "
				  "{\"accuracy\": 0.8, \"coverage\": null,"
				  " \"speed\": 7, \"note\": \"<script>\"},"
				  " \"fin-isac\": {\"accuracy\": \"high\"},"
				  " \"elsewhere\": {\"accuracy\": 0.1}}}";
	char err[256], *e = event_of("compromise", "allowed", "192.168.1.5");
	struct cfg *cfg =
	    cfg_parse("t.json", cfg_full, strlen(cfg_full), err, sizeof(err));
	struct idx *idx =
	    idx_parse("i", idx_text, strlen(idx_text), err, sizeof(err));
	json_t *m, *alert, *s;
	struct render *t;
	struct enrich_out out;
	size_t i;
	int seen = 0;

	(void)state;
	assert_non_null(cfg);
	assert_null(measured_clean(cfg, "[1]", 3));
	assert_null(measured_clean(cfg, "nope", 4));
	m = measured_clean(cfg, doc, strlen(doc));
	assert_non_null(m);
	assert_int_equal(json_object_size(m), 1); /* jpcert-ew only */
	assert_int_equal(json_object_size(json_object_get(m, "jpcert-ew")), 1);
	assert_true(json_real_value(json_object_get(
			json_object_get(m, "jpcert-ew"), "accuracy")) == 0.8);
	assert_non_null(t = render_new_measured(cfg, m));
	{
		struct enrich_ctx ctx = {cfg, idx, t, 0, 0};

		assert_int_equal(
		    enrich_event(&ctx, e, strlen(e), &out), ENRICH_OK);
	}
	alert = json_loadb(out.json, out.len, 0, NULL);
	assert_non_null(alert);
	json_array_foreach (
	    json_object_get(json_object_get(alert, "sankaku"), "sources"), i,
	    s) {
		json_t *mm =
		    json_object_get(json_object_get(s, "triangle"), "measured");

		if (strcmp(json_string_value(json_object_get(s, "id")),
			"jpcert-ew") == 0) {
			assert_true(json_real_value(json_object_get(
					mm, "accuracy")) == 0.8);
			seen = 1;
		} else
			assert_null(mm); /* nothing measured: as declared */
	}
	assert_true(seen);
	json_decref(alert);
	enrich_out_free(&out);
	render_free(t);
	json_decref(m);
	idx_free(idx);
	cfg_free(cfg);
	free(e);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_expand_is_full),
	    cmocka_unit_test(test_channel_form),
	    cmocka_unit_test(test_versions),
	    cmocka_unit_test(test_measured),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
