/*
 * test_evscan.c: the scanner accepts exactly the JSON jansson accepts
 * (differential, over valid and broken documents), finds the members
 * enrichment reads, and unescapes strings correctly.
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

#include "evscan.h"
#include "swar.h"

#define S(lit) (lit), strlen(lit)

static const char *const docs[] = {
    "{}",
    "[]",
    "\"x\"",
    "1",
    "-0.5e+10",
    "true",
    "null",
    " { \"a\" : [ 1 , 2 , { } ] } \n",
    "{\"a\":1,}",
    "{\"a\":1",
    "{\"a\" 1}",
    "{a:1}",
    "{\"a\":01}",
    "{\"a\":1.}",
    "{\"a\":.5}",
    "{\"a\":1e}",
    "{\"a\":-}",
    "{\"a\":+1}",
    "{\"a\":tru}",
    "{\"a\":nul}",
    "{\"a\":\"\\x\"}",
    "{\"a\":\"\\u12\"}",
    "{\"a\":\"\\u00e9\\n\\t\\\"\\\\\\/\"}",
    "{\"a\":\"\\ud83d\\ude00\"}",
    "{\"a\":\"\\ud83d\"}",
    "{\"a\":\"\\ude00\"}",
    "{\"a\":\"\\u0000\"}",
    "{\"a\":\"x\\u0000y\\u0001\\u001f\"}",
    "{\"\\u0000\":1}",
    "{\"a\":\"tab\there\"}",
    "{\"a\":\"\xe6\x97\xa5\xe6\x9c\xac\"}",
    "{\"a\":\"\xff\"}",
    "{\"a\":\"\xc0\xaf\"}",
    "{\"a\":\"\xed\xa0\x80\"}",
    "{\"a\":\"\xf4\x90\x80\x80\"}",
    "{\"a\":\"\xe6\x97\"}",
    "{\"a\":1,\"a\":2}",
    "{\"a\":{\"b\":1,\"b\":2}}",
    "{\"a\":{\"b\":1},\"c\":{\"b\":2}}",
    "{\"a\":1} x",
    "{\"a\":1}{}",
    "",
    "   ",
    "[1,2,]",
    "[,1]",
    "{\"a\":[1 2]}",
    "{\"\":1}",
    "{\"a\":\"unterminated}",
    "{\"a\":9223372036854775807}",
    "{\"a\":9223372036854775808}",
    "{\"a\":-9223372036854775808}",
    "{\"a\":-9223372036854775809}",
    "{\"a\":99999999999999999999999999999999999999999999999}",
    "{\"a\":1e308}",
    "{\"a\":1e309}",
    "{\"a\":-1e400}",
    "{\"a\":1e-400}",
    "{\"a\":0.000000000000000000000000000000000000000001}",
};

static void
test_differential(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(docs) / sizeof(docs[0]); i++) {
		struct evscan ev;
		/* \u0000 is valid JSON, and Suricata writes it for a NUL
		 * seen on the wire: jansson must be told to accept it */
		json_t *j = json_loadb(docs[i], strlen(docs[i]),
		    JSON_DECODE_ANY | JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL,
		    NULL);
		int mine = evscan(docs[i], strlen(docs[i]), &ev) == 0;

		if ((j != NULL) != mine)
			fail_msg("case %zu '%s': jansson %s, evscan %s (%s)", i,
			    docs[i], j ? "accepts" : "rejects",
			    mine ? "accepts" : "rejects", ev.err ? ev.err : "");
		json_decref(j);
	}
}

static void
test_fields(void **state)
{
	const char *e =
	    "{\"timestamp\":\"t\",\"event_type\":\"alert\",\"src_ip\":\"10.0.0."
	    "1\","
	    "\"dest_ip\":\"203.0.113.9\",\"app_proto\":\"dns\",\"flow\":{\"src_"
	    "ip\":"
	    "\"10.0.0.1\"},\"alert\":{\"signature_id\":2027758,\"signature\":"
	    "\"ET "
	    "MALWARE x\",\"metadata\":{\"sankaku_source\":[\"a\",\"b\"],"
	    "\"mitre_tactic_id\":[\"TA0011\"],\"other\":[\"x\"]}},\"dns\":{"
	    "\"query\":[{\"rrname\":\"Evil.example\"},{\"rrname\":\"two."
	    "example\"}]},"
	    "\"tls\":{\"sni\":\"s\\u00e9.example\",\"ja3\":{\"hash\":\"abc\"}},"
	    "\"files\":[{\"md5\":\"m1\"},{\"sha256\":\"s2\"}],\"x\":{\"alert\":"
	    "1}}  ";
	struct evscan ev;
	char buf[64];

	(void)state;
	assert_int_equal(evscan(e, strlen(e), &ev), 0);
	assert_true(evstr_eq(&ev.f[F_EVENT_TYPE], "alert"));
	assert_true(ev.has_alert);
	assert_true(ev.has_sigid);
	assert_false(ev.meta_bad);
	assert_int_equal(ev.nm[M_META_SOURCE], 2);
	assert_true(evstr_eq(&ev.m[M_META_SOURCE][1], "b"));
	assert_true(evstr_eq(&ev.m[M_META_TACTIC_ID][0], "TA0011"));
	assert_int_equal(ev.nm[M_DNS_QUERY_RRNAME], 2);
	assert_true(evstr_eq(&ev.f[F_FLOW_SRC_IP], "10.0.0.1"));
	assert_null(ev.f[F_FLOW_DEST_IP].p);
	assert_true(ev.f[F_TLS_SNI].escaped);
	assert_int_equal(evstr_copy(&ev.f[F_TLS_SNI], buf, sizeof(buf)), 11);
	assert_string_equal(buf, "s\xc3\xa9.example");
	assert_true(evstr_eq(&ev.f[F_JA3_HASH], "abc"));
	assert_int_equal(ev.nm[M_FILES_MD5], 1);
	assert_int_equal(ev.nm[M_FILES_SHA256], 1);
	assert_int_equal(ev.root_members, 11);
	assert_int_equal(e[ev.close_brace], '}');
	assert_int_equal(ev.close_brace, strlen(e) - 3);
	assert_false(ev.has_sankaku);
	/* Suricata 8 (DNS logging version 3): dns.queries[] */
	assert_int_equal(evscan(S("{\"event_type\":\"alert\",\"dns\":{"
				  "\"version\":3,\"queries\":[{\"rrname\":"
				  "\"a.example\",\"rrtype\":\"A\"},{\"rrname\":"
				  "\"b.example\"}]}}"),
			     &ev),
	    0);
	assert_int_equal(ev.nm[M_DNS_QUERY_RRNAME], 2);
	assert_true(evstr_eq(&ev.m[M_DNS_QUERY_RRNAME][1], "b.example"));

	/* shapes that are valid JSON but not what enrichment needs */
	assert_int_equal(evscan(S("{\"alert\":[],\"event_type\":7}"), &ev), 0);
	assert_true(ev.alert_bad);
	assert_true(ev.event_type_bad);
	assert_null(ev.f[F_EVENT_TYPE].p);
	assert_int_equal(
	    evscan(S("{\"alert\":{\"signature_id\":1.5,\"metadata\":1}}"), &ev),
	    0);
	assert_false(ev.has_sigid);
	assert_true(ev.meta_bad);
	assert_int_equal(evscan(S("[{\"event_type\":\"alert\"}]"), &ev), 0);
	assert_true(ev.not_object);
	assert_null(ev.f[F_EVENT_TYPE].p); /* not at the top level */
	/* escaped member names: valid, but asks for the slow path */
	assert_int_equal(
	    evscan(S("{\"\\u0065vent_type\":\"alert\"}"), &ev), -2);
}

/* Whether two scans found the members of an enriched alert a reader of
 * it takes (the lax scan's) at the same places. */
static int
same_fields(const struct evscan *a, const struct evscan *b)
{
	static const int fs[] = {F_TIMESTAMP, F_SRC_IP, F_DEST_IP, F_HOST,
	    F_SIGNATURE, F_SIGNATURE_ID, F_SK_ID, F_SK_PHASE, F_SK_KPI,
	    F_SK_EVIDENCE, F_SK_TLP, F_SK_IND_TYPE, F_SK_IND_VALUE,
	    F_SK_IND_PUBLISHED};
	static const int ms[] = {M_SK_SOURCES, M_SK_REF_SOURCE, M_SK_REF_ID,
	    M_SK_PUB_SOURCE, M_SK_PUB_TIME};
	size_t f, i;

	for (f = 0; f < sizeof(fs) / sizeof(fs[0]); f++)
		if (a->f[fs[f]].p != b->f[fs[f]].p ||
		    a->f[fs[f]].len != b->f[fs[f]].len)
			return 0;
	for (f = 0; f < sizeof(ms) / sizeof(ms[0]); f++) {
		if (a->nm[ms[f]] != b->nm[ms[f]])
			return 0;
		for (i = 0; i < a->nm[ms[f]]; i++)
			if (a->m[ms[f]][i].p != b->m[ms[f]][i].p ||
			    a->m[ms[f]][i].len != b->m[ms[f]][i].len)
				return 0;
	}
	return a->root_members == b->root_members &&
	    a->has_sankaku == b->has_sankaku && a->has_alert == b->has_alert;
}

/* The lax scan (the desk's) finds what the strict one finds in every
 * enriched alert of the golden tests, passes over what nobody reads
 * without looking inside, and still checks all it takes. */
static void
test_lax(void **state)
{
	static const char *const dirs[] = {"blocked-exploit", "compact-dns",
	    "dns-two-sources", "drupal-success", "drupal7-attempt",
	    "et-open-cnc", "et-scan-triage", "roles-override"};
	/* nobody reads "roles" or "x": broken inside, passed over */
	static const char *const passed[] = {
	    "{\"sankaku\":{\"id\":\"a\",\"roles\":[{\"ja\":\"\xff\xfe\"}]}}",
	    "{\"x\":\"\\q\",\"sankaku\":{\"id\":\"a\"}}",
	    "{\"x\":[1 2 {\"a\":01}],\"sankaku\":{\"id\":\"a\"}}",
	    "{\"http\":{\"url\":\"\xc0\"},\"sankaku\":{\"id\":\"a\"}}",
	    "{\"alert\":{\"metadata\":{\"a\":[01,\"\xff\"],\"a\":1}},"
	    "\"sankaku\":{\"id\":\"a\"}}",
	};
	/* broken where it is taken, or broken in its shape */
	static const char *const refused[] = {
	    "{\"sankaku\":{\"id\":\"\xff\"}}",
	    "{\"sankaku\":{\"id\":\"a\\q\"}}",
	    "{\"timestamp\":\"t\x01\"}",
	    "{\"x\":,\"sankaku\":{\"id\":\"a\"}}",
	    "{\"x\":\"open,\"sankaku\":{\"id\":\"a\"}}",
	    "{\"x\":[[[[1]]],\"sankaku\":{\"id\":\"a\"}}",
	    "{\"x\":\"a\\",
	    "{\"x\":{\"y\":[1,2]",
	    "{\"sankaku\":{\"id\":\"a\",\"id\":\"b\"}}",
	};
	char deep[2 * EVSCAN_MAX_DEPTH + 16];
	size_t i, n;

	(void)state;
	for (i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		char path[160];
		json_t *doc;
		char *text;
		struct evscan strict, lax;

		snprintf(path, sizeof(path),
		    "../fixtures/enrich/%s/expected.json", dirs[i]);
		doc = json_load_file(path, JSON_DISABLE_EOF_CHECK, NULL);
		if (doc == NULL)
			fail_msg("%s: not read", path);
		text = json_dumps(doc, JSON_COMPACT);
		assert_non_null(text);
		assert_int_equal(evscan(text, strlen(text), &strict), 0);
		assert_int_equal(evscan_lax(text, strlen(text), &lax), 0);
		if (!same_fields(&strict, &lax))
			fail_msg("%s: the lax scan found other fields", path);
		assert_non_null(lax.f[F_SK_ID].p);
		free(text);
		json_decref(doc);
	}
	for (i = 0; i < sizeof(passed) / sizeof(passed[0]); i++) {
		struct evscan ev;

		assert_int_equal(evscan(S(passed[i]), &ev), -1);
		if (evscan_lax(S(passed[i]), &ev) != 0)
			fail_msg("lax refused '%s': %s", passed[i], ev.err);
		assert_int_equal(ev.f[F_SK_ID].len, 1);
	}
	for (i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
		struct evscan ev;

		if (evscan_lax(S(refused[i]), &ev) != -1)
			fail_msg("lax accepted '%s'", refused[i]);
		assert_non_null(ev.err);
	}
	/* nesting is limited inside what is passed over, too */
	n = (size_t)snprintf(deep, sizeof(deep), "{\"x\":");
	for (i = 0; i < EVSCAN_MAX_DEPTH + 2; i++)
		deep[n++] = '[';
	for (i = 0; i < EVSCAN_MAX_DEPTH + 2; i++)
		deep[n++] = ']';
	deep[n++] = '}';
	{
		struct evscan ev;

		assert_int_equal(evscan_lax(deep, n, &ev), -1);
		assert_string_equal(ev.err, "nesting too deep");
	}
}

static void
test_limits(void **state)
{
	struct evscan ev;
	size_t n = EVSCAN_MAX_DEPTH + 1, i;
	char *deep = malloc(2 * n + 1), *wide;

	(void)state;
	memset(deep, '[', n);
	memset(deep + n, ']', n);
	deep[2 * n] = '\0';
	assert_int_equal(evscan(deep, 2 * n, &ev), -1);
	assert_string_equal(ev.err, "nesting too deep");
	assert_int_equal(evscan(deep + 1, 2 * n - 2, &ev), 0);
	free(deep);
	/* many members: the duplicate check spills to the heap */
	wide = malloc(20 * 3000 + 16);
	strcpy(wide, "{");
	for (i = 0; i < 3000; i++)
		sprintf(
		    wide + strlen(wide), "%s\"k%zu\":%zu", i ? "," : "", i, i);
	strcat(wide, "}");
	assert_int_equal(evscan(wide, strlen(wide), &ev), 0);
	assert_int_equal(ev.root_members, 3000);
	strcpy(wide + strlen(wide) - 1, ",\"k7\":1}");
	assert_int_equal(evscan(wide, strlen(wide), &ev), -1);
	assert_string_equal(ev.err, "duplicate member name");
	free(wide);
	{
		/* a value holding \u0000 makes no C string */
		struct evstr v = {"x\\u0000y", 8, 1};
		char buf[16];

		assert_int_equal(evstr_copy(&v, buf, sizeof(buf)), -1);
		assert_null(evstr_cstr(&v, buf, sizeof(buf)));
		v.p = "x\\u0001y";
		assert_int_equal(evstr_copy(&v, buf, sizeof(buf)), 3);
	}
	assert_true(evstr_text_ok("\xe6\x97\xa5", 3));
	assert_false(evstr_text_ok("a\tb", 3));
	assert_false(evstr_text_ok("\xff", 1));
}

/* Text cut to fit stays UTF-8: "日本語" is three characters of three bytes
 * (\xe6\x97\xa5 \xe6\x9c\xac \xe8\xaa\x9e); every room from 1 to 10 bytes,
 * raw and escaped. */
static void
test_cut(void **state)
{
	static const char jp[] = "\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e";
	static const size_t whole[] = {0, 0, 0, 3, 3, 3, 6, 6, 6, 9};
	struct evstr raw = {jp, 9, 0},
		     esc = {"\\u65e5\xe6\x9c\xac\\u8a9e", 15, 1},
		     nul = {"ab\\u0000cd", 10, 1};
	char buf[16], fix[16];
	size_t n;

	(void)state;
	for (n = 0; n <= 9; n++) {
		/* the first n bytes, cut by a snprintf */
		assert_int_equal(evstr_utf8_whole(jp, n), whole[n]);
		assert_int_equal(evstr_prefix(jp, n), whole[n]);
		snprintf(fix, sizeof(fix), "%.*s", (int)n, jp);
		evstr_utf8_fix(fix);
		assert_int_equal(strlen(fix), whole[n]);
		/* in a buffer of n + 1 bytes */
		assert_non_null(evstr_cstr_cut(&raw, buf, n + 1));
		assert_int_equal(strlen(buf), whole[n]);
		assert_non_null(evstr_cstr_cut(&esc, buf, n + 1));
		assert_int_equal(strlen(buf), whole[n]);
		assert_memory_equal(buf, jp, whole[n]);
	}
	assert_int_equal(evstr_prefix("ab", 10), 2);
	assert_int_equal(evstr_utf8_whole("ab\xf0\x9f\x98", 5), 2);
	assert_int_equal(evstr_utf8_whole("ab\xf0\x9f\x98\x80", 6), 6);
	/* a NUL ends the text there */
	assert_string_equal(evstr_cstr_cut(&nul, buf, sizeof(buf)), "ab");
	/* bytes that are not UTF-8 in the middle */
	strcpy(fix,
	    "a\xff"
	    "b\xe6\x97");
	evstr_utf8_fix(fix);
	assert_string_equal(fix, "a?b");
	strcpy(fix, "\x80\x80\x80\x80x");
	evstr_utf8_fix(fix);
	assert_string_equal(fix, "????x");
	assert_true(evstr_text_ok(fix, strlen(fix)));
}

/* The word-at-a-time string scan finds the quote, a control character or
 * a non-ASCII byte at every position of a word. */
static void
test_word_scan(void **state)
{
	struct evscan ev;
	char doc[96], name[48];
	size_t k;

	(void)state;
	for (k = 0; k < 40; k++) {
		memset(name, 'a', k);
		name[k] = '\0';
		snprintf(doc, sizeof(doc), "{\"src_ip\":\"%s\"}", name);
		assert_int_equal(evscan(doc, strlen(doc), &ev), 0);
		assert_int_equal(ev.f[F_SRC_IP].len, k);
		snprintf(doc, sizeof(doc), "{\"src_ip\":\"%s\t\"}", name);
		assert_int_equal(evscan(doc, strlen(doc), &ev), -1);
		snprintf(
		    doc, sizeof(doc), "{\"src_ip\":\"%s\xc3\xa9z\"}", name);
		assert_int_equal(evscan(doc, strlen(doc), &ev), 0);
		assert_int_equal(ev.f[F_SRC_IP].len, k + 3);
		snprintf(doc, sizeof(doc), "{\"src_ip\":\"%s\\\"x\"}", name);
		assert_int_equal(evscan(doc, strlen(doc), &ev), 0);
		assert_true(ev.f[F_SRC_IP].escaped);
		snprintf(doc, sizeof(doc), "{\"src_ip\":\"%s\xff\"}", name);
		assert_int_equal(evscan(doc, strlen(doc), &ev), -1);
	}
}

/* A byte the string scan must stop at. */
static int
special(unsigned char c)
{
	return c < 0x20 || c == '"' || c == '\\' || c >= 0x80;
}

/* The sixteen-byte scan (SSE2 where there is SSE2, else the words)
 * stops at the first special byte, wherever it is and whatever the
 * length: 200,000 random buffers, mostly plain, compared with a byte at
 * a time. */
static void
test_find_special(void **state)
{
	unsigned char buf[80];
	unsigned long x = 2463534242UL;
	size_t round, n, i, from, want, got, hits = 0;

	(void)state;
	for (round = 0; round < 200000; round++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		n = x % sizeof(buf);
		for (i = 0; i < n; i++) {
			x ^= x << 13;
			x ^= x >> 7;
			x ^= x << 17;
			/* one byte in 24 is any byte at all */
			buf[i] = x % 24 == 0 ? (unsigned char)(x >> 8)
					     : (unsigned char)('a' + x % 26);
		}
		from = n > 0 ? (x >> 20) % n : 0;
		for (want = from; want < n && !special(buf[want]); want++)
			;
		got = simd_find_special(buf, from, n);
		/* it never passes a special byte, and stops short of one only
		 * where fewer than eight bytes are left (the caller goes on a
		 * byte at a time from there) */
		assert_true(got <= want);
		if (got < want)
			assert_true(n - got < 8);
		if (want < n)
			hits++;
	}
	/* both outcomes, often */
	assert_true(hits > 50000 && hits < 190000);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_differential),
	    cmocka_unit_test(test_fields),
	    cmocka_unit_test(test_limits),
	    cmocka_unit_test(test_cut),
	    cmocka_unit_test(test_lax),
	    cmocka_unit_test(test_word_scan),
	    cmocka_unit_test(test_find_special),
	};

	return cmocka_run_group_tests_name("evscan", tests, NULL, NULL);
}
