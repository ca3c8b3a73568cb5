/*
 * test_feed.c: normalisation and validation of each indicator type, and
 * the CSV, STIX 2.1 and MISP parsers, injection attempts included.
 */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "feed.h"

static char last_reason[512];
static char last_pos[128];

static void
record(void *arg, const char *file, const char *pos, const char *reason)
{
	(void)arg;
	(void)file;
	snprintf(last_pos, sizeof(last_pos), "%s", pos);
	snprintf(last_reason, sizeof(last_reason), "%s", reason);
}

/* Normalise; return the result or NULL when refused. */
static const char *
norm(enum ioc_type t, const char *v)
{
	static char out[2048];
	char reason[256];

	return ioc_normalise(t, v, strlen(v), out, sizeof(out), reason,
		   sizeof(reason)) == 0
	    ? out
	    : NULL;
}

static void
test_normalise(void **state)
{
	(void)state;
	assert_string_equal(norm(IOC_DOMAIN, "Evil.EXAMPLE."), "evil.example");
	assert_string_equal(
	    norm(IOC_DOMAIN, "xn--r8jz45g.example"), "xn--r8jz45g.example");
	assert_null(norm(IOC_DOMAIN, "localhost"));
	assert_null(norm(IOC_DOMAIN, "a..example"));
	assert_null(norm(IOC_DOMAIN, "例え.example"));
	assert_string_equal(
	    norm(IOC_IP, "2001:DB8:0:0:0:0:0:1"), "2001:db8::1");
	assert_string_equal(norm(IOC_IP, "198.51.100.23"), "198.51.100.23");
	assert_null(norm(IOC_IP, "198.51.100.0/24"));
	assert_null(norm(IOC_IP, "198.51.100.256"));
	assert_string_equal(
	    norm(IOC_CIDR, "198.51.100.7/24"), "198.51.100.0/24");
	assert_string_equal(norm(IOC_URL, "HTTP://Dl.Example:80/a/B?c=1"),
	    "dl.example/a/B?c=1");
	assert_string_equal(
	    norm(IOC_URL, "https://dl.example:8443"), "dl.example:8443/");
	assert_null(norm(IOC_URL, "ftp://x.example/a"));
	assert_null(norm(IOC_URL, "http://user@x.example/"));
	assert_string_equal(norm(IOC_MD5, "357371FE019E95B769B54C8A543BA309"),
	    "357371fe019e95b769b54c8a543ba309");
	assert_null(norm(IOC_MD5, "357371fe019e95b769b54c8a543ba30"));
	assert_null(norm(IOC_SHA1, "357371fe019e95b769b54c8a543ba309"));
	assert_non_null(norm(IOC_SHA256,
	    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b85"
	    "5"));
	assert_null(norm(IOC_JA3, "e7d705a3286e19ea42f587b344ee686z"));
}

static void
test_injection(void **state)
{
	static const struct {
		enum ioc_type t;
		const char *v;
	} evil[] = {
	    {IOC_DOMAIN, "evil.example\"; sid:1; msg:\"x"},
	    {IOC_DOMAIN, "evil.example;"},
	    {IOC_DOMAIN, "evil .example"},
	    {IOC_DOMAIN, "evil.example\n"},
	    {IOC_DOMAIN, "evil.example\tx"},
	    {IOC_URL, "http://x.example/\"; content:\"a"},
	    {IOC_URL, "http://x.example/a b"},
	    {IOC_URL, "http://x.example/a\r\nalert ip any any"},
	    {IOC_IP, "1.2.3.4; drop"},
	    {IOC_CIDR, "1.2.3.0/24] any -> any any (msg:\"x\";"},
	    {IOC_MD5, "357371fe019e95b769b54c8a543ba30;"},
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(evil) / sizeof(evil[0]); i++)
		if (norm(evil[i].t, evil[i].v) != NULL)
			fail_msg("accepted '%s'", evil[i].v);
}

/* Run a parser over text. */
static size_t
parse(int (*fn)(struct feed_ctx *, const char *, size_t), const char *text,
    struct ioc_list *l, struct feed_report *rep)
{
	struct feed_ctx ctx = {
	    "feed", "src", 1795651200 /* 2026-11-26 */, l, rep};

	rep->cb = record;
	fn(&ctx, text, strlen(text));
	return l->n;
}

static void
test_csv(void **state)
{
	struct ioc_list l = {0};
	struct feed_report rep = {0};
	const char *text = "\xef\xbb\xbftype,value,published\r\n"
			   "domain,Evil.Example,2026-11-01T00:00:00Z\r\n"
			   "# a comment\n"
			   "\n"
			   "url,\"http://x.example/a,b?c=\"\"d\"\"\",\n"
			   "ip,198.51.100.23\n"
			   "ipv4,1.2.3.4\n"
			   "domain,\"bad;domain\"\n"
			   "md5,nothex\n"
			   "domain,ok.example,yesterday\n"
			   "sha1,\"unterminated\n"
			   "cidr,10.0.0.0/8\n";

	(void)state;
	parse(feed_csv, text, &l, &rep);
	assert_int_equal(l.n, 3);
	assert_string_equal(l.v[0].value, "evil.example");
	assert_string_equal(l.v[0].published, "2026-11-01T00:00:00Z");
	assert_int_equal(l.v[1].type, IOC_IP);
	assert_int_equal(
	    l.v[2].type, IOC_CIDR); /* resynchronised after line 11 */
	assert_int_equal(
	    rep.rejected, 6); /* url quote, ipv4, ;, hex, date, quote */
	assert_string_equal(last_pos, "11");
	ioc_list_free(&l);

	memset(&rep, 0, sizeof(rep));
	parse(feed_csv, "kind,thing\nip,1.2.3.4\n", &l, &rep);
	assert_int_equal(l.n, 0);
	assert_int_equal(rep.rejected, 1);
	assert_non_null(strstr(last_reason, "header"));
	ioc_list_free(&l);
}

static void
test_stix(void **state)
{
	struct ioc_list l = {0};
	struct feed_report rep = {0};
	const char *text =
	    "{\"type\":\"bundle\",\"objects\":["
	    "{\"type\":\"malware\",\"id\":\"malware--1\"},"
	    "{\"type\":\"indicator\",\"id\":\"indicator--a\",\"pattern_type\":"
	    "\"stix\",\"valid_from\":\"2026-11-01T00:00:00Z\",\"pattern\":"
	    "\"[domain-name:value = 'c2.example'] OR [ipv4-addr:value = "
	    "'198.51.100.0/24' OR ipv6-addr:value = '2001:db8::5']\","
	    "\"kill_chain_phases\":[{\"kill_chain_name\":\"lockheed\","
	    "\"phase_name\":\"command-and-control\"}]},"
	    "{\"type\":\"indicator\",\"id\":\"indicator--b\",\"pattern_type\":"
	    "\"stix\",\"pattern\":\"[file:hashes.'SHA-256' = "
	    "'E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855'"
	    " "
	    "OR file:hashes.MD5 = '357371fe019e95b769b54c8a543ba309']\"},"
	    "{\"type\":\"indicator\",\"id\":\"indicator--c\",\"pattern_type\":"
	    "\"stix\",\"pattern\":\"[url:value = 'http://x.example/p' AND "
	    "url:value = 'http://y.example/']\"},"
	    "{\"type\":\"indicator\",\"id\":\"indicator--d\",\"pattern_type\":"
	    "\"stix\",\"pattern\":\"[email-addr:value = 'a@b.example']\"},"
	    "{\"type\":\"indicator\",\"id\":\"indicator--e\",\"pattern_type\":"
	    "\"snort\",\"pattern\":\"alert ip any any\"},"
	    "{\"type\":\"indicator\",\"id\":\"indicator--f\",\"pattern_type\":"
	    "\"stix\",\"revoked\":true,\"pattern\":\"[domain-name:value = "
	    "'revoked.example']\"},"
	    "{\"type\":\"indicator\",\"id\":\"indicator--g\",\"pattern_type\":"
	    "\"stix\",\"valid_until\":\"2026-01-01T00:00:00Z\",\"pattern\":"
	    "\"[domain-name:value = 'expired.example']\"},"
	    "{\"type\":\"indicator\",\"id\":\"indicator--h\",\"pattern_type\":"
	    "\"stix\",\"valid_from\":\"2027-01-01T00:00:00+09:00\",\"pattern\":"
	    "\"[domain-name:value = 'future.example']\"},"
	    "{\"type\":\"indicator\",\"id\":\"indicator--i\",\"pattern_type\":"
	    "\"stix\",\"pattern\":\"[domain-name:value = "
	    "'it\\\\'s.example']\"},"
	    "{\"type\":\"indicator\",\"id\":\"indicator--j\",\"pattern_type\":"
	    "\"stix\",\"pattern\":\"[domain-name:value = 'a.example'] WITHIN "
	    "10 "
	    "SECONDS\"}"
	    "]}";

	(void)state;
	parse(feed_stix, text, &l, &rep);
	assert_int_equal(l.n, 5);
	assert_string_equal(l.v[0].value, "c2.example");
	assert_int_equal(l.v[0].evidence, EV_COMPROMISE);
	assert_string_equal(l.v[0].published, "2026-11-01T00:00:00Z");
	assert_int_equal(l.v[1].type, IOC_CIDR);
	assert_int_equal(l.v[2].type, IOC_IP);
	assert_string_equal(l.v[3].value,
	    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	assert_int_equal(l.v[4].type, IOC_MD5);
	assert_int_equal(rep.skipped, 3); /* revoked, expired, future */
	assert_int_equal(
	    rep.rejected, 5); /* AND, email, snort, quote, WITHIN */
	assert_string_equal(last_pos, "objects[10] indicator--j");
	ioc_list_free(&l);

	memset(&rep, 0, sizeof(rep));
	parse(feed_stix, "{\"type\": \"bundle\"", &l, &rep);
	assert_int_equal(rep.rejected, 1);
	assert_non_null(strstr(last_pos, "line 1"));
	ioc_list_free(&l);
}

static void
test_misp(void **state)
{
	struct ioc_list l = {0};
	struct feed_report rep = {0};
	const char *text =
	    "{\"Event\":{\"info\":\"x\",\"Attribute\":["
	    "{\"type\":\"ip-dst|port\",\"value\":\"198.51.100.23|443\","
	    "\"to_ids\":true,\"category\":\"Network activity\","
	    "\"timestamp\":\"1795651200\"},"
	    "{\"type\":\"domain\",\"value\":\"no-ids.example\",\"to_ids\":"
	    "false},"
	    "{\"type\":\"hostname\",\"value\":\"Host.Example\",\"to_ids\":"
	    "\"1\"},"
	    "{\"type\":\"comment\",\"value\":\"text\",\"to_ids\":true},"
	    "{\"type\":\"ja3-fingerprint-md5\",\"value\":"
	    "\"E7D705A3286E19EA42F587B344EE6865\",\"to_ids\":true},"
	    "{\"type\":\"domain\",\"value\":\"bad domain\",\"to_ids\":true}],"
	    "\"Object\":[{\"name\":\"file\",\"Attribute\":["
	    "{\"type\":\"sha1\",\"value\":"
	    "\"da39a3ee5e6b4b0d3255bfef95601890afd80709\",\"to_ids\":true,"
	    "\"category\":\"Artifacts dropped\"}]}]}}";

	(void)state;
	parse(feed_misp, text, &l, &rep);
	assert_int_equal(l.n, 4);
	assert_string_equal(l.v[0].value, "198.51.100.23");
	assert_string_equal(l.v[0].published, "2026-11-26T00:00:00Z");
	assert_string_equal(l.v[1].value, "host.example");
	assert_int_equal(l.v[2].type, IOC_JA3);
	assert_int_equal(l.v[3].type, IOC_SHA1);
	assert_int_equal(l.v[3].evidence, EV_COMPROMISE);
	assert_int_equal(rep.skipped, 1);
	assert_int_equal(rep.rejected, 1);
	assert_string_equal(last_pos, "Event.Attribute[5]");
	ioc_list_free(&l);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_normalise),
	    cmocka_unit_test(test_injection),
	    cmocka_unit_test(test_csv),
	    cmocka_unit_test(test_stix),
	    cmocka_unit_test(test_misp),
	};

	return cmocka_run_group_tests_name("feed", tests, NULL, NULL);
}
