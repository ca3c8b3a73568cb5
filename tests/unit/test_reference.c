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

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_expand_is_full),
	    cmocka_unit_test(test_channel_form),
	    cmocka_unit_test(test_versions),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
