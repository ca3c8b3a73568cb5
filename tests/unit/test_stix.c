/*
 * test_stix.c: STIX patterns read as detections, and whole bundles as
 * CERTs and vendors publish them (2.1 and 2.0): versions, revocation,
 * TLP markings in their three forms, damaged objects costing only
 * themselves, and a truncated download told apart.
 */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "feedtest.h"
#include "stixpat.h"

/* The atoms of a pattern as "type value;..." or the first skip's reason
 * as "!why text". */
static const char *
pat(const char *pattern)
{
	static char out[4096];
	struct stixpat *p = calloc(1, sizeof(*p));
	size_t i, o = 0;

	assert_non_null(p);
	out[0] = '\0';
	if (stixpat_parse(pattern, p) != 0 || p->natoms == 0) {
		snprintf(out, sizeof(out), "!%s %s", skip_name(p->skip[0].why),
		    p->skip[0].text);
		stixpat_done(p);
		free(p);
		return out;
	}
	for (i = 0; i < p->natoms; i++)
		o += (size_t)snprintf(out + o, sizeof(out) - o, "%s%s %s",
		    i > 0 ? ";" : "", ioc_type_name(p->atom[i].type),
		    p->atom[i].value);
	stixpat_done(p);
	free(p);
	return out;
}

static void
test_patterns(void **state)
{
	(void)state;
	assert_string_equal(
	    pat("[domain-name:value = 'a.example']"), "domain a.example");
	assert_string_equal(pat("[ipv4-addr:value = '203.0.113.192/26'] OR "
				"[ipv6-addr:value = '2001:DB8::23']"),
	    "cidr 203.0.113.192/26;ip 2001:DB8::23");
	/* one file: each of its hashes names it, its name is context */
	assert_string_equal(
	    pat("[file:hashes.'SHA-256' = 'aa' AND file:hashes.MD5 = 'bb' AND "
		"file:name = 'x.exe']"),
	    "sha256 aa;md5 bb");
	assert_string_equal(
	    pat("[file:hashes.sha1 = 'a' OR file:hashes.'SHA1' = 'b' OR "
		"file:hashes.SHA_256 = 'c']"),
	    "sha1 a;sha1 b;sha256 c");
	/* network-traffic: the address, with its port on the same side */
	assert_string_equal(
	    pat("[network-traffic:dst_ref.type = 'ipv4-addr' AND "
		"network-traffic:dst_ref.value = '198.51.100.1' AND "
		"network-traffic:dst_port = 443]"),
	    "ip-port 198.51.100.1:443");
	assert_string_equal(
	    pat("[network-traffic:dst_ref.value = '2001:db8::1' AND "
		"network-traffic:dst_port = 443]"),
	    "ip-port [2001:db8::1]:443");
	assert_string_equal(
	    pat("[network-traffic:dst_ref.type = 'domain-name' AND "
		"network-traffic:dst_ref.value = 'c2.example' AND "
		"network-traffic:dst_port = 8443]"),
	    "domain-port c2.example:8443");
	assert_string_equal(
	    pat("[network-traffic:src_ref.value = '192.0.2.200']"),
	    "ip 192.0.2.200");
	assert_string_equal(
	    pat("[ipv4-addr:value ISSUBSET '10.0.0.0/8']"), "cidr 10.0.0.0/8");
	assert_string_equal(
	    pat("[domain-name:value = 'q.example' AND "
		"domain-name:resolves_to_refs[*].value = '198.51.100.9']"),
	    "domain q.example");
	assert_string_equal(
	    pat("[url:value = 'http://a/it\\'s']"), "url http://a/it's");
	assert_string_equal(
	    pat("([domain-name:value = 'p.example'])"), "domain p.example");
	/* OR keeps what it can */
	assert_string_equal(pat("[domain-name:value = 'x.example'] OR "
				"([ipv4-addr:value = '1.2.3.4'] FOLLOWEDBY "
				"[url:value = 'http://x/'])"),
	    "domain x.example");
}

static void
test_refused_patterns(void **state)
{
	(void)state;
	assert_string_equal(pat("[domain-name:value = 'a.example' AND "
				"domain-name:value = 'b.example']"),
	    "!unsupported-pattern AND of two values cannot be one detection");
	assert_string_equal(pat("[a:b = 'x'] AND [c:d = 'y']"),
	    "!unsupported-pattern AND across observations cannot be one "
	    "detection");
	assert_string_equal(pat("[domain-name:value = 'z.example'] WITHIN 300 "
				"SECONDS"),
	    "!unsupported-pattern qualifier WITHIN: one sighting is not the "
	    "indicator");
	assert_string_equal(pat("[domain-name:value MATCHES '^a']"),
	    "!unsupported-pattern domain-name:value MATCHES: only '=' (and "
	    "ISSUBSET for prefixes) is matched exactly");
	assert_string_equal(pat("[domain-name:value NOT = 'a.example']"),
	    "!unsupported-pattern domain-name:value NOT =: only '=' (and "
	    "ISSUBSET for prefixes) is matched exactly");
	assert_string_equal(pat("[ipv4-addr:value IN ('1.2.3.4', '5.6.7.8')]"),
	    "!unsupported-pattern ipv4-addr:value IN: only '=' (and ISSUBSET "
	    "for prefixes) is matched exactly");
	assert_string_equal(pat("[email-addr:value = 'a@b.c']"),
	    "!unsupported-type email-addr:value cannot be matched by Suricata");
	assert_string_equal(pat("[file:hashes.'SHA-512' = 'x']"),
	    "!unsupported-type file:hashes.'SHA-512': Suricata matches file "
	    "MD5, SHA-1 and SHA-256 only");
	assert_string_equal(pat("[file:name = 'x']"),
	    "!unsupported-type file:name alone cannot be matched");
	assert_string_equal(pat("[domain-name:value = 'x"),
	    "!bad-value not a STIX pattern: unterminated string");
	assert_string_equal(pat("garbage"),
	    "!bad-value not a STIX pattern: expected '[' or '('");
	assert_string_equal(pat("[domain-name:value = 'a'] junk"),
	    "!bad-value not a STIX pattern: unexpected text after the pattern");
}

static void
test_bundle_21(void **state)
{
	struct ft t;
	const struct ioc *i;

	(void)state;
	ft_init(&t, NULL);
	assert_int_equal(
	    ft_file(&t, feed_stix, "cert-advisory.stix21.json", 0), FEED_OK);
	assert_int_equal(t.st.read, 24);
	assert_int_equal(t.st.skipped[SKIP_NOT_INDICATOR], 5);
	/* the TLP:AMBER marking (TLP 2.0 id), kill chain: compromise */
	i = ft_find(&t, IOC_DOMAIN, "update.evil-cdn.example");
	assert_non_null(i);
	assert_int_equal(i->tlp, TLP_AMBER);
	assert_int_equal(i->evidence, EV_COMPROMISE);
	assert_string_equal(
	    i->ref, "indicator--0b8a6c4e-7c53-4f43-9f0e-2a1a4a6f1c01");
	assert_string_equal(i->name, "Loader C2 domain");
	assert_int_equal(i->published, 1795143600); /* created */
	/* URLs: a host root, a query, the fragment dropped; https refused */
	assert_int_equal(
	    ft_find(&t, IOC_URL, "paypa1.banking.example/")->tlp, TLP_GREEN);
	assert_non_null(ft_find(&t, IOC_URL, "cdn.example/redirect.aspx?id=7"));
	assert_int_equal(t.st.skipped[SKIP_HTTPS_URL], 1);
	assert_non_null(ft_find(&t, IOC_IP_PORT, "198.51.100.77:8443"));
	assert_non_null(ft_find(&t, IOC_SHA256,
	    "3f8643221ac876b1da65aae5baf70f377a36a075186198ce6c059a7fa3896f8"
	    "d"));
	assert_non_null(
	    ft_find(&t, IOC_MD5, "6eb499a3795c703222bf9dcb81490883"));
	assert_non_null(ft_find(&t, IOC_CIDR, "203.0.113.0/24"));
	assert_non_null(ft_find(&t, IOC_DOMAIN, "flux.example"));
	/* versions: the latest is revoked, so neither is kept */
	assert_null(ft_find(&t, IOC_DOMAIN, "shared-host.example"));
	assert_int_equal(t.st.skipped[SKIP_REVOKED], 1);
	assert_int_equal(t.st.skipped[SKIP_SUPERSEDED], 1);
	assert_int_equal(t.st.skipped[SKIP_UNSUPPORTED], 1);
	assert_int_equal(t.st.skipped[SKIP_UNSUPPORTED_PATTERN], 1);
	/* damaged: revoked as a string, an unreadable valid_from, a
	 * duplicate key; a NUL in an unrelated note costs nothing */
	assert_int_equal(t.st.skipped[SKIP_BAD_OBJECT], 3);
	assert_true(ft_logged(&t, "revoked is not true or false"));
	assert_true(ft_logged(&t, "valid_from is not a timestamp"));
	assert_true(ft_logged(&t, "objects[18]: not JSON: duplicate"));
	assert_null(ft_find(&t, IOC_DOMAIN, "string-revoked.example"));
	/* times and RED are the policy's: kept here with their fields */
	i = ft_find(&t, IOC_DOMAIN, "red-only.example");
	assert_non_null(i);
	assert_int_equal(i->tlp, TLP_RED);
	assert_non_null(ft_find(&t, IOC_DOMAIN, "expired.example"));
	assert_non_null(ft_find(&t, IOC_CIDR, "0.0.0.0/0"));
	ft_free(&t);
}

static void
test_bundle_20(void **state)
{
	struct ft t;
	const struct ioc *i;

	(void)state;
	ft_init(&t, NULL);
	assert_int_equal(
	    ft_file(&t, feed_stix, "vendor-feed.stix20.json", 0), FEED_OK);
	/* no pattern_type in 2.0; TLP 1.0 amber by its well-known id */
	i = ft_find(&t, IOC_MD5, "ff27628ba9263a153386c8d8374144dd");
	assert_non_null(i);
	assert_int_equal(i->tlp, TLP_AMBER);
	assert_non_null(
	    ft_find(&t, IOC_SHA1, "2fe5741df24780b6e83bb1fbcd05d5a2e01e52bd"));
	assert_non_null(ft_find(&t, IOC_SHA256,
	    "d7fb33618e5e34122a2824be5a781f6ab4a6292dfef0eaa9337b942e85ac2ae"
	    "2"));
	/* a marking defined (definition_type tlp) after its user */
	i = ft_find(&t, IOC_IP, "2001:db8:77::5");
	assert_non_null(i);
	assert_int_equal(i->tlp, TLP_RED);
	assert_int_equal(i->evidence, EV_COMPROMISE); /* labels */
	assert_non_null(ft_find(&t, IOC_IP, "192.0.2.200"));
	assert_int_equal(t.st.skipped[SKIP_UNSUPPORTED], 1); /* SHA-512 */
	ft_free(&t);
}

static void
test_damaged(void **state)
{
	struct ft t;
	char path[256];
	size_t len, cut;
	char *text;

	(void)state;
	/* cut in the middle: what came before is read, and it says so */
	snprintf(path, sizeof(path), FIXTURES "cert-advisory.stix21.json");
	text = ft_slurp(path, &len);
	cut = (size_t)(strstr(text, "1c05") - text);
	ft_init(&t, NULL);
	assert_int_equal(feed_stix(&t.ctx, text, cut), FEED_TRUNCATED);
	assert_non_null(strstr(t.ctx.why, "truncated"));
	assert_non_null(ft_find(&t, IOC_DOMAIN, "update.evil-cdn.example"));
	assert_null(ft_find(&t, IOC_IP_PORT, "198.51.100.77:8443"));
	ft_free(&t);
	free(text);
	/* not a bundle at all */
	ft_init(&t, NULL);
	assert_int_equal(
	    ft_text(&t, feed_stix, "<html>404</html>"), FEED_BROKEN);
	assert_int_equal(
	    ft_text(&t, feed_stix, "{\"type\": \"bundle\"}"), FEED_BROKEN);
	assert_int_equal(
	    ft_text(&t, feed_stix, "{\"type\": \"bun"), FEED_TRUNCATED);
	/* structure broken mid-way: unreadable from there, noted */
	assert_int_equal(ft_text(&t, feed_stix,
			     "{\"objects\": [{\"type\": \"x\"}, {\"a\": [}]}"),
	    FEED_TRUNCATED);
	ft_free(&t);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_patterns),
	    cmocka_unit_test(test_refused_patterns),
	    cmocka_unit_test(test_bundle_21),
	    cmocka_unit_test(test_bundle_20),
	    cmocka_unit_test(test_damaged),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
