/*
 * test_enrich.c: the enrichment on its own: every default phase mapping,
 * direction and action, third parties, sources from the index and from
 * metadata, roles and KPIs.  The document itself (the byte-exact splice,
 * the kept buffer, rejects, failing allocations): test_enrich_out.c.
 */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "enrichtest.h"

/* A NUL seen on the wire is written by Suricata as \u0000: the alert is
 * enriched and its bytes kept; a field holding one is no indicator. */
static void
test_nul_from_the_wire(void **state)
{
	struct enrich_out out;
	const char *raw =
	    mkalert(OUT, IN, "", "\"sankaku_ioc_type\":[\"domain\"]",
		",\"app_proto\":\"http\",\"http\":{\"hostname\":\"evil."
		"example\\u0000"
		".other\",\"url\":\"/"
		"a\\u0000b\",\"http_user_agent\":\"Mozilla\\u0000"
		"\\u0001\\u001b[31m<script>\"}");
	json_t *s = run(raw, &out);

	(void)state;
	assert_memory_equal(out.json, raw, strlen(raw) - 1);
	/* the hostname with a NUL in it is not taken for evil.example */
	assert_null(json_object_get(s, "indicator"));
	assert_int_equal(json_array_size(json_object_get(s, "sources")), 0);
	json_decref(s);
	enrich_out_free(&out);
}

/* Member names written with escapes ("\u0065vent_type") are read from
 * jansson's decoding of them (evdecode.c), the alert's own bytes kept;
 * one such name twice is refused. */
static void
test_escaped_names(void **state)
{
	static const char raw[] =
	    "{\"event_typ\\u0065\":\"alert\",\"src_ip\":\"192.168.1.10\","
	    "\"dest_ip\":\"203.0.113.9\",\"app_proto\":\"dns\",\"alert\":{"
	    "\"action\":\"allowed\",\"signature_id\":9,\"metadata\":{"
	    "\"sankaku_ioc_type\":[\"domain\"]}},\"dn\\u0073\":{\"query\":[{"
	    "\"rrname\":\"Evil.Example\"}]}}";
	static const char twice[] =
	    "{\"event_type\":\"alert\",\"event_typ\\u0065\":\"alert\"}";
	struct enrich_ctx ctx = {cfg, idx, tables};
	struct enrich_out out;
	json_t *s = run(raw, &out);

	(void)state;
	assert_memory_equal(out.json, raw, strlen(raw) - 1);
	assert_string_equal(json_string_value(json_object_get(
				json_object_get(s, "indicator"), "value")),
	    "evil.example");
	json_decref(s);
	enrich_out_free(&out);
	assert_int_equal(
	    enrich_event(&ctx, twice, strlen(twice), &out), ENRICH_REJECTED);
	assert_string_equal(out.reason, "bad-json");
	assert_string_equal(out.detail, "duplicate member name");
	enrich_out_free(&out);
}

static void
test_phase_defaults(void **state)
{
	(void)state;
	assert_string_equal(
	    phase_of(mkalert(
		OUT, IN, "", "\"sankaku_evidence\":[\"attack-attempt\"]", "")),
	    "detection-analysis");
	assert_string_equal(phase_of(mkalert(OUT, IN, "",
				"\"sankaku_evidence\":[\"compromise\"]", "")),
	    "containment-eradication-recovery");
	assert_string_equal(
	    phase_of(mkalert(
		OUT, IN, "", "\"sankaku_evidence\":[\"vulnerability\"]", "")),
	    "triage");
	assert_string_equal(phase_of(mkalert(OUT, IN, "",
				"\"sankaku_evidence\":[\"recon\"]", "")),
	    "triage");
	assert_string_equal(phase_of(mkalert(OUT, IN, "",
				"\"sankaku_evidence\":[\"policy\"]", "")),
	    "triage");
	assert_string_equal(phase_of(mkalert(OUT, IN, "",
				"\"sankaku_evidence\":[\"indicator\"]", "")),
	    "detection-analysis");
	/* an explicit phase in the rule wins */
	assert_string_equal(phase_of(mkalert(OUT, IN, "",
				"\"sankaku_evidence\":[\"recon\"],"
				"\"sankaku_phase\":[\"post-incident\"]",
				"")),
	    "post-incident");
}

static void
test_direction_and_action(void **state)
{
	(void)state;
	/* a host of home_net reaching a listed indicator: compromise */
	assert_string_equal(phase_of(mkalert(IN, OUT, "",
				"\"sankaku_evidence\":[\"indicator\"]", "")),
	    "containment-eradication-recovery");
	/* ... but a DNS lookup of one is not: the host asked (a phishing
	 * domain looked up); whether it connected is another alert */
	assert_string_equal(phase_of(mkalert(IN, "192.168.1.53", "",
				"\"sankaku_evidence\":[\"indicator\"]",
				",\"app_proto\":\"dns\"")),
	    "detection-analysis");
	assert_string_equal(phase_of(mkalert(IN, OUT, "",
				"\"sankaku_evidence\":[\"indicator\"]",
				",\"app_proto\":\"dns\"")),
	    "detection-analysis");
	/* the flow's initiator decides, not the packet's direction */
	assert_string_equal(
	    phase_of(mkalert(OUT, IN, "",
		"\"sankaku_evidence\":[\"indicator\"]",
		",\"flow\":{\"src_ip\":\"" IN "\",\"dest_ip\":\"" OUT "\"}")),
	    "containment-eradication-recovery");
	/* blocked attempt: prevention works, back to preparation */
	assert_string_equal(phase_of(mkalert(OUT, IN, "",
				"\"sankaku_evidence\":[\"attack-attempt\"]", "")
				/* action is set below */),
	    "detection-analysis");
	{
		char raw[4096];

		snprintf(raw, sizeof(raw), "%s",
		    mkalert(OUT, IN, "",
			"\"sankaku_evidence\":[\"attack-attempt\"]", ""));
		memcpy(strstr(raw, "\"allowed\""), "\"blocked\"", 9);
		assert_string_equal(phase_of(raw), "preparation");
		snprintf(raw, sizeof(raw), "%s",
		    mkalert(IN, OUT, "",
			"\"sankaku_evidence\":[\"compromise\"]", ""));
		memcpy(strstr(raw, "\"allowed\""), "\"blocked\"", 9);
		/* a blocked C2 call does not clean the host */
		assert_string_equal(
		    phase_of(raw), "containment-eradication-recovery");
	}
}

static void
test_third_party(void **state)
{
	(void)state;
	assert_string_equal(
	    phase_of(mkalert(OUT, IN,
		",\"signature\":\"ET MALWARE Win32/Demo CnC Checkin\"", "",
		"")),
	    "containment-eradication-recovery");
	assert_string_equal(
	    phase_of(mkalert(OUT, IN,
		",\"signature\":\"ET EXPLOIT Apache Struts RCE\"", "", "")),
	    "detection-analysis");
	assert_string_equal(
	    phase_of(mkalert(OUT, IN,
		",\"signature\":\"ET SCAN Nmap Scripting Engine\"", "", "")),
	    "triage");
	assert_string_equal(phase_of(mkalert(OUT, IN, ",\"signature\":\"x\"",
				"\"mitre_tactic_id\":[\"TA0011\"]", "")),
	    "containment-eradication-recovery");
	assert_string_equal(
	    phase_of(mkalert(OUT, IN, ",\"signature\":\"x\"",
		"\"mitre_tactic_name\":[\"Initial_Access\"]", "")),
	    "detection-analysis");
	assert_string_equal(
	    phase_of(mkalert(OUT, IN,
		",\"category\":\"A Network Trojan was detected\"", "", "")),
	    "containment-eradication-recovery");
	assert_string_equal(
	    phase_of(mkalert(
		OUT, IN, ",\"category\":\"Web Application Attack\"", "", "")),
	    "detection-analysis");
	assert_string_equal(
	    phase_of(mkalert(OUT, IN,
		",\"category\":\"Detection of a Network Scan\"", "", "")),
	    "triage");
	/* nothing known: an indicator from outside needs analysis */
	assert_string_equal(
	    phase_of(mkalert(OUT, IN, ",\"signature\":\"?\"", "", "")),
	    "detection-analysis");
}

static void
test_sources_and_indicator(void **state)
{
	struct enrich_out out;
	json_t *s, *src;

	(void)state;
	/* index: both sources of the DNS name, with the triangle */
	s = run(mkalert(IN, "192.168.1.53", "",
		    "\"sankaku_ioc_type\":[\"domain\"],"
		    "\"sankaku_source\":[\"open\"]",
		    ",\"app_proto\":\"dns\",\"dns\":{\"query\":[{\"rrname\":"
		    "\"Evil.Example.\"}]}"),
	    &out);
	assert_string_equal(json_string_value(json_object_get(
				json_object_get(s, "indicator"), "value")),
	    "evil.example");
	assert_string_equal(json_string_value(json_object_get(
				json_object_get(s, "indicator"), "published")),
	    "2026-11-20T09:00:00Z");
	src = json_object_get(s, "sources");
	assert_int_equal(json_array_size(src), 2);
	assert_string_equal(
	    json_string_value(json_object_get(json_array_get(src, 0), "id")),
	    "fin-isac");
	assert_string_equal(
	    json_string_value(json_object_get(
		json_object_get(json_array_get(src, 1), "triangle"), "weak")),
	    "coverage");
	assert_string_equal(
	    json_string_value(json_object_get(
		json_object_get(
		    json_object_get(json_array_get(src, 1), "triangle"),
		    "caveat"),
		"ja")),
	    "早くて正確なものは網羅性に問題が出る");
	assert_int_equal(out.nsources, 2);
	json_decref(s);
	enrich_out_free(&out);

	/* Suricata 8 logs an alert's DNS request as dns.queries[] */
	s = run(mkalert(IN, "192.168.1.53", "",
		    "\"sankaku_ioc_type\":[\"domain\"],"
		    "\"sankaku_source\":[\"open\"]",
		    ",\"app_proto\":\"dns\",\"dns\":{\"version\":3,\"type\":"
		    "\"request\",\"queries\":[{\"rrname\":\"Evil.Example.\","
		    "\"rrtype\":\"A\"}]}"),
	    &out);
	assert_string_equal(json_string_value(json_object_get(
				json_object_get(s, "indicator"), "value")),
	    "evil.example");
	assert_int_equal(out.nsources, 2);
	json_decref(s);
	enrich_out_free(&out);

	/* no index hit: the rule's metadata names the source */
	s = run(
	    mkalert(IN, OUT, "",
		"\"sankaku_ioc_type\":[\"domain\"],"
		"\"sankaku_source\":[\"open\",\"nobody\"]",
		",\"app_proto\":\"tls\",\"tls\":{\"sni\":\"other.example\"}"),
	    &out);
	src = json_object_get(s, "sources");
	assert_int_equal(json_array_size(src), 1);
	assert_string_equal(
	    json_string_value(json_object_get(json_array_get(src, 0), "tlp")),
	    "clear");
	json_decref(s);
	enrich_out_free(&out);

	/* an IP in the index; unknown source ids there are ignored */
	s = run(mkalert(IN, "198.51.100.23", "", "", ""), &out);
	assert_string_equal(json_string_value(json_object_get(
				json_object_get(s, "indicator"), "value")),
	    "198.51.100.23");
	assert_int_equal(json_array_size(json_object_get(s, "sources")), 1);
	json_decref(s);
	enrich_out_free(&out);

	/* Suricata writes IPv6 in full; the index holds the canonical form */
	s = run(mkalert("fd00::1", "2001:0db8:0000:0000:0000:0000:0000:0023",
		    "", "", ""),
	    &out);
	assert_string_equal(json_string_value(json_object_get(
				json_object_get(s, "indicator"), "value")),
	    "2001:db8::23");
	assert_int_equal(json_array_size(json_object_get(s, "sources")), 1);
	json_decref(s);
	enrich_out_free(&out);

	/* no source: empty list, indicator from the application layer */
	s = run(mkalert(OUT, IN, "", "",
		    ",\"app_proto\":\"http\",\"http\":{\"hostname\":\"Web."
		    "Example\","
		    "\"url\":\"/a?b=1\"}"),
	    &out);
	assert_int_equal(json_array_size(json_object_get(s, "sources")), 0);
	assert_string_equal(json_string_value(json_object_get(
				json_object_get(s, "indicator"), "value")),
	    "web.example/a?b=1");
	json_decref(s);
	enrich_out_free(&out);
}

static void
test_roles_and_kpi(void **state)
{
	struct enrich_out out;
	json_t *s, *roles;
	size_t i;
	int c1 = 0, x = 0, h2 = 0;

	(void)state;
	s = run(mkalert(OUT, IN, "",
		    "\"sankaku_evidence\":[\"compromise\"],"
		    "\"sankaku_role\":[\"H-2\",\"C-1\",\"Q-9\"]",
		    ""),
	    &out);
	roles = json_object_get(s, "roles");
	for (i = 0; i < json_array_size(roles); i++) {
		const char *code = json_string_value(
		    json_object_get(json_array_get(roles, i), "code"));

		c1 += strcmp(code, "C-1") == 0;
		x += strcmp(code, "X") == 0;
		h2 += strcmp(code, "H-2") == 0;
	}
	assert_int_equal(c1, 1); /* once, though named twice */
	/* a compromise needs C-1, C-4, D-2, D-4, not containment's
	 * thirteen (X among them); plus what the rule names */
	assert_int_equal(x, 0);
	assert_int_equal(h2, 1);
	assert_int_equal(json_array_size(roles), 5);
	assert_string_equal(json_string_value(json_object_get(s, "kpi")),
	    "suspicious-activity");
	assert_string_equal(json_string_value(json_object_get(
				json_object_get(s, "kpi_name"), "ja")),
	    "侵入が疑われる状況のKPI");
	assert_string_equal(
	    json_string_value(json_object_get(json_array_get(roles, 0), "ja")),
	    "ネットワークフォレンジック");
	json_decref(s);
	enrich_out_free(&out);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_phase_defaults),
	    cmocka_unit_test(test_nul_from_the_wire),
	    cmocka_unit_test(test_escaped_names),
	    cmocka_unit_test(test_direction_and_action),
	    cmocka_unit_test(test_third_party),
	    cmocka_unit_test(test_sources_and_indicator),
	    cmocka_unit_test(test_roles_and_kpi),
	};

	return cmocka_run_group_tests_name("enrich", tests, setup, teardown);
}
