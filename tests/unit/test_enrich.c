/*
 * test_enrich.c: the enrichment on its own: every default phase mapping,
 * direction and action, sources from the index and from metadata, the
 * byte-exact splice, rejects, and failing allocations one by one (the
 * dead letter of such an alert still builds; dead letters themselves:
 * test_deadletter.c).
 */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "deadletter.h"
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

static int
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

static int
teardown(void **state)
{
	(void)state;
	render_free(tables);
	cfg_free(cfg);
	idx_free(idx);
	return 0;
}

/* Build an alert event from parts. */
static char *
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
static json_t *
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
static const char *
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

static void
test_splice_keeps_bytes(void **state)
{
	struct enrich_ctx ctx = {cfg, idx, tables, 200};
	struct enrich_out out, out2;
	const char *raw =
	    "{\"event_type\":\"alert\",\"z\":1.50,\"a\":\"\\u00e9\","
	    "\"alert\":{\"signature_id\":1}}  \n";
	json_t *ev;

	(void)state;
	assert_int_equal(enrich_event(&ctx, raw, strlen(raw), &out), ENRICH_OK);
	/* the original bytes, unchanged, up to the closing brace */
	assert_memory_equal(out.json, raw, strlen(raw) - 4);
	assert_ptr_equal(out.json, out.buf + 200); /* the headroom asked */
	assert_true(
	    strncmp(out.json + strlen(raw) - 4, ",\"sankaku\":{", 12) == 0);
	ev = json_loadb(out.json, out.len, JSON_REJECT_DUPLICATES, NULL);
	assert_non_null(ev);
	json_decref(ev);
	/* same bytes, same id; replaying an enriched alert replaces the key */
	assert_int_equal(
	    enrich_event(&ctx, out.json, out.len, &out2), ENRICH_OK);
	ev = json_loadb(out2.json, out2.len, JSON_REJECT_DUPLICATES, NULL);
	assert_non_null(ev);
	json_decref(ev);
	enrich_out_free(&out2);
	assert_int_equal(
	    enrich_event(&ctx, raw, strlen(raw), &out2), ENRICH_OK);
	assert_string_equal(out.id, out2.id);
	assert_int_equal(strlen(out.id), 32);
	enrich_out_free(&out);
	enrich_out_free(&out2);
}

static void
test_rejects(void **state)
{
	static const struct {
		const char *raw, *reason;
		enum enrich_status st;
	} cases[] = {
	    {"", "bad-json", ENRICH_REJECTED},
	    {"{\"event_type\":", "bad-json", ENRICH_REJECTED},
	    {"\"alert\"", "not-object", ENRICH_REJECTED},
	    {"[1]", "not-object", ENRICH_REJECTED},
	    {"{}", "missing-field", ENRICH_REJECTED},
	    {"{\"event_type\":3}", "missing-field", ENRICH_REJECTED},
	    {"{\"event_type\":\"alert\"}", "missing-field", ENRICH_REJECTED},
	    {"{\"event_type\":\"alert\",\"alert\":{}}", "missing-field",
		ENRICH_REJECTED},
	    {"{\"event_type\":\"alert\",\"alert\":{\"signature_id\":1,"
	     "\"metadata\":[]}}",
		"bad-field", ENRICH_REJECTED},
	    {"{\"a\":1,\"a\":2,\"event_type\":\"alert\"}", "bad-json",
		ENRICH_REJECTED},
	    {"{\"event_type\":\"dns\"}", "", ENRICH_SKIPPED},
	};
	struct enrich_ctx ctx = {cfg, idx, tables};
	struct enrich_out out;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_int_equal(enrich_event(&ctx, cases[i].raw,
				     strlen(cases[i].raw), &out),
		    cases[i].st);
		assert_string_equal(out.reason, cases[i].reason);
		assert_null(out.json);
		enrich_out_free(&out);
	}
	{
		long saved = cfg->max_event_bytes;
		const char *raw =
		    "{\"event_type\":\"alert\",\"alert\":{\"signature_id\":1}}";

		cfg->max_event_bytes = 10;
		assert_int_equal(enrich_event(&ctx, raw, strlen(raw), &out),
		    ENRICH_REJECTED);
		assert_string_equal(out.reason, "too-large");
		cfg->max_event_bytes = saved;
		enrich_out_free(&out);
	}
	{
		/* deep nesting is refused, not a stack overflow */
		size_t n = 100000, k;
		char *deep = malloc(2 * n + 64);

		strcpy(deep, "{\"event_type\":\"alert\",\"x\":");
		k = strlen(deep);
		memset(deep + k, '[', n);
		memset(deep + k + n, ']', n);
		strcpy(deep + k + 2 * n, "}");
		assert_int_equal(enrich_event(&ctx, deep, strlen(deep), &out),
		    ENRICH_REJECTED);
		enrich_out_free(&out);
		free(deep);
	}
}

/* Allocation failure injection: the Nth allocation fails, whether it is
 * jansson's or the module's own (linked with --wrap=malloc,calloc,realloc). */
static long fail_at = -1, nallocs;

void *__real_malloc(size_t);
void *__real_calloc(size_t, size_t);
void *__real_realloc(void *, size_t);
void *__wrap_malloc(size_t);
void *__wrap_calloc(size_t, size_t);
void *__wrap_realloc(void *, size_t);

/* Whether this allocation is the one to fail. */
static int
chaos_fail(void)
{
	return fail_at >= 0 && nallocs++ == fail_at;
}

void *
__wrap_malloc(size_t n)
{
	return chaos_fail() ? NULL : __real_malloc(n);
}

void *
__wrap_calloc(size_t n, size_t m)
{
	return chaos_fail() ? NULL : __real_calloc(n, m);
}

void *
__wrap_realloc(void *p, size_t n)
{
	return chaos_fail() ? NULL : __real_realloc(p, n);
}

static void *
chaos_malloc(size_t n)
{
	return chaos_fail() ? NULL : __real_malloc(n);
}

static void
test_chaos(void **state)
{
	struct enrich_ctx ctx = {cfg, idx, tables};
	struct enrich_out out;
	const char *raw = mkalert(IN, OUT, "",
	    "\"sankaku_ioc_type\":[\"domain\"],\"sankaku_source\":[\"open\"],"
	    "\"sankaku_role\":[\"H-1\"]",
	    ",\"app_proto\":\"dns\",\"dns\":{\"query\":[{\"rrname\":"
	    "\"evil.example\"}]}");
	char copy[4096];
	long i, total;

	(void)state;
	snprintf(copy, sizeof(copy), "%s", raw);
	json_set_alloc_funcs(chaos_malloc, free);
	/* count the allocations of one enrichment */
	fail_at = -1;
	nallocs = 0;
	fail_at = 1L << 40;
	assert_int_equal(
	    enrich_event(&ctx, copy, strlen(copy), &out), ENRICH_OK);
	enrich_out_free(&out);
	total = nallocs;
	assert_true(total >= 2);
	/* each one failing in turn: a clean "oom" reject, never a crash */
	for (i = 0; i < total; i++) {
		fail_at = i;
		nallocs = 0;
		assert_int_equal(enrich_event(&ctx, copy, strlen(copy), &out),
		    ENRICH_REJECTED);
		assert_string_equal(out.reason, "oom");
		assert_null(out.json);
		enrich_out_free(&out);
	}
	fail_at = -1;
	json_set_alloc_funcs(malloc, free);
	/* and the dead letter of it still builds */
	{
		size_t dlen;
		char *dl =
		    dl_entry("oom", "x", copy, strlen(copy), "c", 0, &dlen);

		assert_non_null(dl);
		free(dl);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_phase_defaults),
	    cmocka_unit_test(test_nul_from_the_wire),
	    cmocka_unit_test(test_direction_and_action),
	    cmocka_unit_test(test_third_party),
	    cmocka_unit_test(test_sources_and_indicator),
	    cmocka_unit_test(test_roles_and_kpi),
	    cmocka_unit_test(test_splice_keeps_bytes),
	    cmocka_unit_test(test_rejects),
	    cmocka_unit_test(test_chaos),
	};

	return cmocka_run_group_tests_name("enrich", tests, setup, teardown);
}
