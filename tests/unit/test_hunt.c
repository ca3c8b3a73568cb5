/*
 * test_hunt.c: past EVE events against the index (sankaku-hunt's core).
 * Each kind of event finds what it carries (DNS name, HTTP URL, TLS
 * SNI, file hash, an address in a listed prefix, address and port), an
 * indicator found by two fields counts once, the lead is the time from
 * the event to the publication (a source's own with --source), the
 * filters keep a source's or the recently published, escaped member
 * names are read, and what is not an event is refused with where; a
 * hit becomes the same retro-hunt alert each time (--push).
 */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "hunt.h"
#include "timeparse.h"

static const char text[] =
    "# sankaku indicator index v2\n"
    "@1\tLoader C2\n"
    "domain\tc2.example\ta,b\t2026-11-01T00:00:00Z\tcompromise\t"
    "amber\t-\t-\t1\ta=2026-11-01T00:00:00Z,b=2026-11-03T00:00:00Z\n"
    "url\tdl.example/x.bin\tb\t2026-11-02T00:00:00Z\tattack-attempt\t"
    "clear\t-\t-\t-\t-\n"
    "cidr\t203.0.113.0/24\ta\t2026-10-01T00:00:00Z\tindicator\tclear\t-\t"
    "-\t-\t-\n"
    "ip-port\t198.51.100.7:8443\tb\t-\tindicator\tclear\t-\t-\t-\t-\n"
    "md5\t357371fe019e95b769b54c8a543ba309\tb\t2026-11-02T00:00:00Z\t"
    "attack-attempt\tclear\t-\t-\t-\t-\n";

static struct idx *idx;
static struct cfg *cfg;

static int
setup(void **state)
{
	char err[256];

	(void)state;
	idx = idx_parse("t.index", text, strlen(text), err, sizeof(err));
	cfg = cfg_parse("t.json", "{\"sources\": []}", 15, err, sizeof(err));
	return idx != NULL && cfg != NULL ? 0 : -1;
}

static int
teardown(void **state)
{
	(void)state;
	idx_free(idx);
	cfg_free(cfg);
	return 0;
}

static int
hunt(const char *line, const char *source, const char *since,
    struct hunt_event *ev)
{
	struct hunt_filter f = {
	    source, since != NULL ? time_parse(since) : (time_t)-1, NULL};
	char err[256];

	return hunt_event(
	    line, strlen(line), idx, cfg, &f, ev, err, sizeof(err));
}

static const char dns[] =
    "{\"timestamp\":\"2026-10-31T09:00:00.123456+0900\",\"event_type\":"
    "\"dns\",\"src_ip\":\"192.168.1.5\",\"src_port\":53001,\"dest_ip\":"
    "\"192.168.1.53\",\"dest_port\":53,\"proto\":\"UDP\",\"dns\":{"
    "\"type\":\"query\",\"rrname\":\"C2.Example\",\"rrtype\":\"A\"}}";

/* Each kind of event finds what it carries; the lead is from the event
 * to the earliest publication. */
static void
test_kinds(void **state)
{
	static const struct {
		const char *line, *type, *value;
	} cases[] = {
	    {"{\"event_type\":\"http\",\"src_ip\":\"192.168.1.5\",\"dest_ip\":"
	     "\"203.0.114.9\",\"http\":{\"hostname\":\"dl.example\",\"url\":"
	     "\"/x.bin\",\"http_port\":80}}",
		"url", "dl.example/x.bin"},
	    {"{\"event_type\":\"tls\",\"src_ip\":\"192.168.1.5\",\"dest_ip\":"
	     "\"203.0.114.9\",\"tls\":{\"sni\":\"c2.example\"}}",
		"domain", "c2.example"},
	    {"{\"event_type\":\"fileinfo\",\"src_ip\":\"203.0.114.9\","
	     "\"dest_ip\":\"192.168.1.5\",\"fileinfo\":{\"md5\":"
	     "\"357371FE019E95B769B54C8A543BA309\"}}",
		"md5", "357371fe019e95b769b54c8a543ba309"},
	    {"{\"event_type\":\"flow\",\"src_ip\":\"192.168.1.5\",\"dest_ip\":"
	     "\"203.0.113.77\",\"src_port\":4000,\"dest_port\":443}",
		"cidr", "203.0.113.0/24"},
	    {"{\"event_type\":\"flow\",\"src_ip\":\"192.168.1.5\",\"dest_ip\":"
	     "\"198.51.100.7\",\"src_port\":4000,\"dest_port\":8443}",
		"ip-port", "198.51.100.7:8443"},
	};
	struct hunt_event ev;
	size_t i;

	(void)state;
	assert_int_equal(hunt(dns, NULL, NULL, &ev), 0);
	assert_int_equal(ev.nhits, 1);
	assert_string_equal(ev.hits[0].e->value, "c2.example");
	assert_string_equal(ev.event_type, "dns");
	assert_int_equal(ev.sport, 53001);
	/* 2026-10-31T00:00:00Z, a day before the first publication */
	assert_true(ev.hits[0].lead_known);
	assert_int_equal(ev.hits[0].lead_s, 86400);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_int_equal(hunt(cases[i].line, NULL, NULL, &ev), 0);
		assert_int_equal(ev.nhits, 1);
		assert_string_equal(ev.hits[0].e->type, cases[i].type);
		assert_string_equal(ev.hits[0].e->value, cases[i].value);
		assert_false(ev.hits[0].lead_known); /* no timestamp */
	}
	/* Suricata writes IPv6 in full; the ends are shown canonically */
	assert_int_equal(
	    hunt("{\"event_type\":\"flow\",\"src_ip\":\"fd00:0010:0000:0000:"
		 "0000:0000:0000:0020\",\"dest_ip\":\"203.0.113.77\"}",
		NULL, NULL, &ev),
	    0);
	assert_int_equal(ev.nhits, 1);
	assert_string_equal(ev.src, "fd00:10::20");
	assert_string_equal(ev.dst, "203.0.113.77");
	/* nothing listed: no hit */
	assert_int_equal(hunt("{\"event_type\":\"dns\",\"dns\":{\"rrname\":"
			      "\"example.org\"}}",
			     NULL, NULL, &ev),
	    0);
	assert_int_equal(ev.nhits, 0);
}

/* A DNS answer: what the name resolved to (an address in a listed
 * prefix, a CNAME to a listed name) is found too, and the event keeps the
 * name it asked for: an unlisted name resolving to a listed address may
 * be a sibling. */
static void
test_answers(void **state)
{
	static const char answer[] =
	    "{\"event_type\":\"dns\",\"src_ip\":\"192.168.1.53\",\"dest_ip\":"
	    "\"192.168.1.5\",\"dns\":{\"version\":2,\"type\":\"answer\","
	    "\"rrname\":\"sibling.example\",\"rrtype\":\"A\",\"answers\":["
	    "{\"rrname\":\"sibling.example\",\"rrtype\":\"CNAME\",\"rdata\":"
	    "\"C2.example\"},{\"rrname\":\"c2.example\",\"rrtype\":\"A\","
	    "\"rdata\":\"203.0.113.8\"}],\"grouped\":{\"A\":[\"203.0.113.8\"]}}"
	    "}";
	struct hunt_event ev;

	(void)state;
	assert_int_equal(hunt(answer, NULL, NULL, &ev), 0);
	assert_string_equal(ev.about, "sibling.example");
	assert_int_equal(ev.nhits, 2);
	assert_string_equal(ev.hits[0].e->value, "c2.example");
	assert_string_equal(ev.hits[1].e->value, "203.0.113.0/24");
}

/* Suricata 8 logs DNS as version 3: the names asked in dns.queries[],
 * in a request and in a response (whose src_ip is the resolver). */
static void
test_dns_v3(void **state)
{
	static const char request[] =
	    "{\"event_type\":\"dns\",\"src_ip\":\"192.168.1.5\",\"dest_ip\":"
	    "\"192.168.1.53\",\"dns\":{\"version\":3,\"type\":\"request\","
	    "\"queries\":[{\"rrname\":\"C2.Example\",\"rrtype\":\"A\"}]}}";
	static const char response[] =
	    "{\"event_type\":\"dns\",\"src_ip\":\"192.168.1.53\",\"dest_ip\":"
	    "\"192.168.1.5\",\"dns\":{\"version\":3,\"type\":\"response\","
	    "\"queries\":[{\"rrname\":\"sibling.example\",\"rrtype\":\"A\"}],"
	    "\"answers\":[{\"rrname\":\"sibling.example\",\"rrtype\":\"A\","
	    "\"rdata\":\"203.0.113.8\"}]}}";
	struct hunt_event ev;

	(void)state;
	assert_int_equal(hunt(request, NULL, NULL, &ev), 0);
	assert_string_equal(ev.about, "C2.Example");
	assert_int_equal(ev.nhits, 1);
	assert_string_equal(ev.hits[0].e->value, "c2.example");
	assert_int_equal(hunt(response, NULL, NULL, &ev), 0);
	assert_string_equal(ev.about, "sibling.example");
	assert_int_equal(ev.nhits, 1);
	assert_string_equal(ev.hits[0].e->value, "203.0.113.0/24");
}

/* The same indicator by two fields counts once; two indicators twice. */
static void
test_once(void **state)
{
	struct hunt_event ev;

	(void)state;
	assert_int_equal(
	    hunt("{\"event_type\":\"http\",\"src_ip\":\"192.168.1.5\","
		 "\"dest_ip\":\"203.0.113.9\",\"tls\":{\"sni\":\"c2.example\"},"
		 "\"http\":{\"hostname\":\"c2.example\",\"url\":\"/\"}}",
		NULL, NULL, &ev),
	    0);
	assert_int_equal(ev.nhits, 2); /* the domain once, the prefix */
}

/* --source: that source's indicators, against its own publication;
 * --since: only those published since. */
static void
test_filters(void **state)
{
	struct hunt_event ev;
	struct hunt_stats st;

	(void)state;
	assert_int_equal(hunt(dns, "b", NULL, &ev), 0);
	assert_int_equal(ev.nhits, 1);
	assert_int_equal(ev.hits[0].lead_s, 3 * 86400); /* b's own time */
	assert_int_equal(hunt(dns, "c", NULL, &ev), 0);
	assert_int_equal(ev.nhits, 0);
	assert_int_equal(hunt(dns, NULL, "2026-11-01T00:00:00Z", &ev), 0);
	assert_int_equal(ev.nhits, 1);
	assert_int_equal(hunt(dns, NULL, "2026-11-01T00:00:01Z", &ev), 0);
	assert_int_equal(ev.nhits, 0);
	/* b published it later than the earliest: still b's since counts */
	assert_int_equal(hunt(dns, "b", "2026-11-02T00:00:00Z", &ev), 0);
	assert_int_equal(ev.nhits, 1);
	/* the summary: each source against its own publication */
	memset(&st, 0, sizeof(st));
	assert_int_equal(hunt(dns, NULL, NULL, &ev), 0);
	hunt_count(&st, &ev);
	assert_int_equal(st.events, 1);
	assert_int_equal(st.hits, 1);
	assert_int_equal(st.before, 1);
	assert_int_equal(st.nsrc, 2);
	assert_string_equal(st.src[0].id, "a");
	assert_int_equal(st.src[0].max_lead_s, 86400);
	assert_string_equal(st.src[1].id, "b");
	assert_int_equal(st.src[1].max_lead_s, 3 * 86400);
}

/* --previous: only what the older index did not hold, by type and
 * value exactly (a new address inside an old prefix is new). */
static void
test_previous(void **state)
{
	static const char old[] =
	    "domain\tc2.example\ta\t2026-11-01T00:00:00Z\tcompromise\n"
	    "cidr\t203.0.113.0/25\ta\t-\tindicator\n";
	char err[256];
	struct idx *prev = idx_parse("old", old, strlen(old), err, sizeof(err));
	struct hunt_filter f = {NULL, (time_t)-1, prev};
	struct hunt_event ev;
	static const char flow[] =
	    "{\"event_type\":\"flow\",\"src_ip\":\"192.168.1.5\","
	    "\"dest_ip\":\"203.0.113.77\",\"tls\":{\"sni\":\"c2.example\"}}";

	(void)state;
	assert_non_null(prev);
	/* the domain was there; the /24 was not (only a /25 inside it) */
	assert_int_equal(
	    hunt_event(flow, strlen(flow), idx, cfg, &f, &ev, err, sizeof(err)),
	    0);
	assert_int_equal(ev.nhits, 1);
	assert_string_equal(ev.hits[0].e->value, "203.0.113.0/24");
	assert_true(idx_has(prev, "cidr", "203.0.113.0/25"));
	assert_false(idx_has(prev, "ip", "203.0.113.5"));
	assert_false(idx_has(NULL, "domain", "c2.example"));
	idx_free(prev);
}

/* Escaped member names are read (as sankakud reads them); what is not
 * an event is refused with where and why. */
static void
test_input(void **state)
{
	struct hunt_event ev;
	struct hunt_filter f = {NULL, (time_t)-1, NULL};
	char err[256];
	static const char nul[] = "{\"event_type\":\"dns\",\"dns\":{\"rrname\":"
				  "\"c2.example\\u0000\"}}";

	(void)state;
	assert_int_equal(hunt("{\"event_typ\\u0065\":\"dns\",\"dn\\u0073\":{"
			      "\"rrname\":\"c2.example\"}}",
			     NULL, NULL, &ev),
	    0);
	assert_int_equal(ev.nhits, 1);
	assert_int_equal(
	    hunt_event("{\"a\":", 5, idx, cfg, &f, &ev, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "not JSON: position"));
	assert_int_equal(
	    hunt_event("[1]", 3, idx, cfg, &f, &ev, err, sizeof(err)), -1);
	assert_string_equal(err, "not a JSON object");
	assert_int_equal(hunt_event("{\"a\":1,\"\\u0061\":2}", 18, idx, cfg, &f,
			     &ev, err, sizeof(err)),
	    -1);
	assert_string_equal(err, "a member name twice");
	/* a NUL inside a value: not the listed name */
	assert_int_equal(hunt(nul, NULL, NULL, &ev), 0);
	assert_int_equal(ev.nhits, 0);
	assert_true(hunt_listed("a,bb,c", "bb"));
	assert_false(hunt_listed("a,bb,c", "b"));
	assert_false(hunt_listed("", "a"));
}

/* A hit as a retro-hunt alert: the event kept, made an alert whose
 * metadata names the indicator as sankaku's rules do; the same bytes
 * each time; nothing for what is not an object. */
static void
test_alert(void **state)
{
	struct hunt_event ev;
	char *a, *again;
	json_t *j;

	(void)state;
	assert_int_equal(hunt(dns, "b", NULL, &ev), 0);
	a = hunt_alert(dns, strlen(dns), &ev.hits[0], 1860900);
	again = hunt_alert(dns, strlen(dns), &ev.hits[0], 1860900);
	assert_non_null(a);
	assert_string_equal(a, again);
	j = json_loads(a, 0, NULL);
	assert_non_null(j);
	assert_string_equal(
	    json_string_value(json_object_get(j, "event_type")), "alert");
	assert_string_equal(json_string_value(json_object_get(
				json_object_get(j, "dns"), "rrname")),
	    "C2.Example");
	assert_int_equal(json_integer_value(json_object_get(
			     json_object_get(j, "alert"), "signature_id")),
	    1860900);
	{
		char *meta = json_dumps(
		    json_object_get(json_object_get(j, "alert"), "metadata"),
		    JSON_COMPACT);

		assert_string_equal(meta,
		    "{\"sankaku_ioc_type\":[\"domain\"],\"sankaku_source\":["
		    "\"a\","
		    "\"b\"],\"sankaku_evidence\":[\"compromise\"],"
		    "\"sankaku_hunt\":[\"retro\"]}");
		free(meta);
	}
	assert_string_equal(
	    json_string_value(json_object_get(
		json_object_get(j, "retro_hunt"), "event_type")),
	    "dns");
	assert_int_equal(
	    json_integer_value(json_object_get(
		json_object_get(j, "retro_hunt"), "before_publication_s")),
	    3 * 86400);
	json_decref(j);
	free(a);
	free(again);
	assert_null(hunt_alert("[1]", 3, &ev.hits[0], 1));
	assert_null(hunt_alert("{", 1, &ev.hits[0], 1));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_kinds),
	    cmocka_unit_test(test_once),
	    cmocka_unit_test(test_answers),
	    cmocka_unit_test(test_dns_v3),
	    cmocka_unit_test(test_filters),
	    cmocka_unit_test(test_input),
	    cmocka_unit_test(test_previous),
	    cmocka_unit_test(test_alert),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
