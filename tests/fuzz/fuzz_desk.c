/*
 * fuzz_desk.c: libFuzzer harness for the desk's incident model.  The
 * input is up to three parts split by NUL bytes: an incident as Redis
 * might hold it, an enriched alert as the stream might carry it, and an
 * action's body as the API might receive it.  The incident goes through
 * inc_check as the desk's load does (a new one stands in when refused);
 * then the alert joins it, the body's action is taken, it is merged
 * both ways, refreshed, measured and exported.
 * Invariants: never crash; whatever the check let in, and whatever the
 * desk then made of it, is still of an incident's shape (inc_check) and
 * serialises.
 */

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "arena.h"
#include "incident.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char cfg_text[] =
    "{\"sources\": [{\"id\": \"jpcert-ew\", \"triangle\": "
    "\"speed-accuracy\"}, {\"id\": \"isac\", \"triangle\": "
    "\"speed-coverage\", \"tlp\": \"amber\"}],"
    " \"home_net\": [\"10.0.0.0/8\", \"fd00::/8\"],"
    " \"organisation\": {\"pattern\": \"hybrid\", \"teams\": ["
    "  {\"id\": \"soc\", \"name\": {\"ja\": \"監視\", \"en\": \"SOC\"},"
    "   \"sourcing\": \"outsource\", \"roles\": [\"B-*\"]},"
    "  {\"id\": \"csirt\", \"name\": \"CSIRT\", \"sourcing\": "
    "\"insource\", \"roles\": [\"C\", \"D-1\", \"D-2\"]}],"
    " \"maturity\": {\"B\": 4, \"B-3\": 2, \"C\": 3}}}";

static struct cfg *cfg;

/* The incident and what the desk does with it must keep its shape. */
static void
must_be_incident(json_t *inc)
{
	char err[200], *doc;

	if (inc_check(inc, err, sizeof(err)) != 0) {
		fprintf(stderr, "not an incident any more: %s\n", err);
		abort();
	}
	if ((doc = json_dumps(inc, JSON_COMPACT)) == NULL)
		abort();
	free(doc);
}

/* The next part of data (up to a NUL), advancing *at. */
static const char *
part(const uint8_t *data, size_t size, size_t *at, size_t *len)
{
	const char *p = (const char *)data + *at;
	const char *nul = memchr(p, 0, size - *at);

	*len = nul != NULL ? (size_t)(nul - p) : size - *at;
	*at += *len + (nul != NULL);
	return p;
}

/* The body's action, as the API takes it (desk_act), on inc. */
static void
act(json_t *inc, json_t *body, time_t now)
{
	struct desk_who who = {"analyst", "soc"};
	struct inc_action a;
	json_t *item = json_object_get(body, "item"),
	       *ind = json_object_get(body, "indicator");
	char err[256];

	memset(&a, 0, sizeof(a));
	a.action = json_string_value(json_object_get(body, "action"));
	a.decision = json_string_value(json_object_get(body, "decision"));
	a.verdict = json_string_value(json_object_get(body, "verdict"));
	a.note = json_string_value(json_object_get(body, "note"));
	a.user = json_string_value(json_object_get(body, "user"));
	a.ind_type = json_string_value(json_object_get(ind, "type"));
	a.ind_value = json_string_value(json_object_get(ind, "value"));
	a.item = json_is_integer(item) ? (long)json_integer_value(item) : -1;
	a.done = !json_is_false(json_object_get(body, "done"));
	if (a.action == NULL)
		return;
	(void)inc_act(inc, &a, &who, cfg, now, err, sizeof(err));
	must_be_incident(inc);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	time_t now = 1795000000; /* 2026-11-17 */
	struct arena *strs;
	struct desk_who desk = {"sankaku-desk", NULL};
	struct dalert al;
	json_t *inc, *other, *body, *ix, *all, *x;
	const char *p;
	char err[256];
	size_t at = 0, len, i;

	if (cfg == NULL &&
	    (cfg = cfg_parse(
		 "f", cfg_text, strlen(cfg_text), err, sizeof(err))) == NULL)
		abort();
	if ((strs = arena_new()) == NULL)
		abort();

	/* the incident, as the load takes it */
	p = part(data, size, &at, &len);
	inc = json_loadb(p, len, JSON_REJECT_DUPLICATES, NULL);
	if (inc_check(inc, err, sizeof(err)) != 0) {
		json_decref(inc);
		inc = inc_new("20261117-000001", "10.0.0.5", NULL, "triage",
		    "attack-condition", cfg, now);
	}
	must_be_incident(inc);
	(void)inc_idle(inc, now);

	/* the alert joins, once and as a run of two */
	p = part(data, size, &at, &len);
	ix = json_object();
	if (dalert_parse(p, len, &al, strs, err, sizeof(err)) == 0) {
		const struct dalert *two[2] = {&al, &al};

		(void)dalert_asset(&al, cfg);
		(void)inc_take_alert(inc, &al, cfg, now, ix);
		must_be_incident(inc);
		(void)inc_take_alerts(inc, two, 2, cfg, now + 1, NULL);
		must_be_incident(inc);
	}

	/* people act on it */
	p = part(data, size, &at, &len);
	body = json_loadb(p, len, JSON_REJECT_DUPLICATES, NULL);
	act(inc, body, now + 10);

	/* merged both ways with a new one */
	other = inc_new("20261117-000002", "10.0.0.6", NULL,
	    "detection-analysis", "attack-condition", cfg, now);
	inc_merge(inc, other, &desk, now + 20);
	must_be_incident(inc);
	must_be_incident(other);
	json_decref(other);
	other = inc_new("20261117-000003", "10.0.0.7", NULL, "triage",
	    "attack-condition", cfg, now);
	inc_merge(other, inc, &desk, now + 21);
	must_be_incident(inc);
	json_decref(other);
	inc_refresh(inc, cfg);
	must_be_incident(inc);

	/* what the desk reads of it: verdicts, measures, sightings */
	json_array_foreach (json_object_get(inc, "indicators"), i, x)
		(void)inc_indicator_verdict(inc, x);
	all = json_object();
	json_object_set(
	    all, json_string_value(json_object_get(inc, "id")), inc);
	json_decref(sources_measure(all, cfg, now + 30));
	json_decref(sightings_export(all, cfg, "jpcert-ew", "stix", NULL,
	    "CSIRT", now + 30, err, sizeof(err)));
	json_decref(sightings_export(all, cfg, "isac", "misp",
	    "2026-01-01T00:00:00Z", NULL, now + 30, err, sizeof(err)));
	json_decref(all);
	{ /* and what we would send out of it */
		int code;

		json_decref(inc_report(inc, cfg, "stix", "green", "CSIRT",
		    &code, err, sizeof(err)));
		json_decref(inc_report(
		    inc, cfg, "misp", "amber", NULL, &code, err, sizeof(err)));
	}

	json_decref(body);
	json_decref(ix);
	json_decref(inc);
	arena_free(strs);
	return 0;
}
