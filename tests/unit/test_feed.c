/*
 * test_feed.c: indicator values (normalised, validated, never able to
 * change a rule), timestamps as feeds write them, the names feeds give
 * types (MISP composites included), and what reaches the index of a
 * value's context.
 */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "buf.h"
#include "feedtest.h"
#include "ftype.h"
#include "timeparse.h"

/* Normalise; the result, NULL when refused, "HTTPS" for an https URL. */
static const char *
norm(enum ioc_type t, const char *v)
{
	static char out[2200];
	char reason[256];
	int rv = ioc_normalise(
	    t, v, strlen(v), out, sizeof(out), reason, sizeof(reason));

	return rv == 0 ? out : rv == -2 ? "HTTPS" : NULL;
}

static void
test_domains_hashes(void **state)
{
	(void)state;
	assert_string_equal(norm(IOC_DOMAIN, "Evil.EXAMPLE."), "evil.example");
	assert_string_equal(
	    norm(IOC_DOMAIN, "xn--r8jz45g.example"), "xn--r8jz45g.example");
	assert_string_equal(
	    norm(IOC_DOMAIN, "_dmarc.example"), "_dmarc.example");
	assert_null(norm(IOC_DOMAIN, "localhost"));
	assert_null(norm(IOC_DOMAIN, "a..example"));
	assert_null(norm(IOC_DOMAIN, "*.example"));
	assert_null(norm(IOC_DOMAIN, "例え.example"));
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
test_addresses(void **state)
{
	(void)state;
	assert_string_equal(
	    norm(IOC_IP, "2001:DB8:0:0:0:0:0:1"), "2001:db8::1");
	assert_string_equal(norm(IOC_IP, "198.51.100.23"), "198.51.100.23");
	/* IPv4-mapped IPv6 is the IPv4 address Suricata sees */
	assert_string_equal(
	    norm(IOC_IP, "::ffff:203.0.113.10"), "203.0.113.10");
	assert_null(norm(IOC_IP, "198.51.100.0/24"));
	assert_null(norm(IOC_IP, "198.51.100.256"));
	assert_string_equal(
	    norm(IOC_CIDR, "198.51.100.7/24"), "198.51.100.0/24");
	assert_string_equal(
	    norm(IOC_IP_PORT, "198.51.100.23:8443"), "198.51.100.23:8443");
	assert_string_equal(
	    norm(IOC_IP_PORT, "[2001:DB8::1]:443"), "[2001:db8::1]:443");
	assert_null(norm(IOC_IP_PORT, "198.51.100.23"));
	assert_null(norm(IOC_IP_PORT, "198.51.100.23:0"));
	assert_null(norm(IOC_IP_PORT, "198.51.100.23:65536"));
	assert_null(norm(IOC_IP_PORT, "198.51.100.0/24:80"));
	assert_string_equal(
	    norm(IOC_DOMAIN_PORT, "C2.Example:8443"), "c2.example:8443");
	assert_null(norm(IOC_DOMAIN_PORT, "c2.example:https"));
}

static void
test_urls(void **state)
{
	(void)state;
	/* host and path together; the scheme's port and the fragment go */
	assert_string_equal(norm(IOC_URL, "HTTP://Dl.Example:80/a/B?c=1#x"),
	    "dl.example/a/B?c=1");
	assert_string_equal(norm(IOC_URL, "http://paypa1.banking.example"),
	    "paypa1.banking.example/");
	assert_string_equal(
	    norm(IOC_URL, "http://h.example?q=1"), "h.example/?q=1");
	/* an explicit port stays: the Host header carries it */
	assert_string_equal(norm(IOC_URL, "http://198.51.100.78:37352/bin.sh"),
	    "198.51.100.78:37352/bin.sh");
	assert_string_equal(
	    norm(IOC_URL, "http://[2001:db8::10]/a"), "[2001:db8::10]/a");
	/* MISP writes URLs without a scheme */
	assert_string_equal(norm(IOC_URL, "misp.example/dl.php?id=1"),
	    "misp.example/dl.php?id=1");
	/* percent-encoding is kept as sent: http.uri.raw is matched */
	assert_string_equal(
	    norm(IOC_URL, "http://x.example/a%20b"), "x.example/a%20b");
	assert_string_equal(norm(IOC_URL, "https://x.example/secure"), "HTTPS");
	assert_null(norm(IOC_URL, "ftp://x.example/a"));
	assert_null(norm(IOC_URL, "http://user@x.example/"));
	assert_null(norm(IOC_URL, "http://x.example:99999/"));
	assert_null(norm(IOC_URL, "http:///path"));
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
	    {IOC_URL, "http://x.example/a\tb"},
	    {IOC_IP, "1.2.3.4; drop"},
	    {IOC_CIDR, "1.2.3.0/24] any -> any any (msg:\"x\";"},
	    {IOC_MD5, "357371fe019e95b769b54c8a543ba30;"},
	    {IOC_IP_PORT, "1.2.3.4:80]"},
	    {IOC_DOMAIN_PORT, "a.example:80\n"},
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(evil) / sizeof(evil[0]); i++)
		if (norm(evil[i].t, evil[i].v) != NULL)
			fail_msg("accepted '%s'", evil[i].v);
	/* a NUL inside the value */
	{
		char out[64], reason[64];

		assert_int_equal(ioc_normalise(IOC_DOMAIN, "a.ex\0ample", 10,
				     out, sizeof(out), reason, sizeof(reason)),
		    -1);
	}
}

/* feed_time on exactly n bytes of s (no NUL after them). */
static int
t_of(const char *s, int64_t *t)
{
	size_t n = strlen(s);
	char *copy = malloc(n); /* no terminator: reading past it is a bug */
	int rv;

	memcpy(copy, s, n);
	rv = feed_time(copy, n, t);
	free(copy);
	return rv;
}

static void
test_times(void **state)
{
	int64_t t;
	char b[32];

	(void)state;
	assert_int_equal(t_of("2026-11-26T00:00:00Z", &t), 0);
	assert_int_equal(t, 1795651200);
	assert_int_equal(t_of("2026-11-26T09:00:00.123+09:00", &t), 0);
	assert_int_equal(t, 1795651200);
	assert_int_equal(t_of("2026-11-25 15:00:00", &t), 0); /* abuse.ch */
	assert_int_equal(t, 1795651200 - 9 * 3600);
	assert_int_equal(t_of("2024-02-29T00:00:00Z", &t), 0);
	assert_int_equal(t_of("2026-02-29T00:00:00Z", &t), -1);
	assert_int_equal(t_of("2026-11-12T00:00:00+1:2", &t), -1);
	assert_int_equal(t_of("2026-11-12T00:00:00+01", &t), -1);
	assert_int_equal(t_of("2026-11-12T00:00:00+01:00x", &t), -1);
	assert_int_equal(t_of("2026-11-12T25:00:00Z", &t), -1);
	assert_int_equal(t_of("yesterday", &t), -1);
	assert_int_equal(t_of("2026-11-12T00:00:00Z\t", &t), -1);
	time_format(1795651200, b, sizeof(b));
	assert_string_equal(b, "2026-11-26T00:00:00Z");
}

static void
test_quote(void **state)
{
	struct buf b = {NULL, 0, 0, 0};

	(void)state;
	feed_quote(&b, "ok\x1b[2J\x07<tab\t>\xff", 15, 100);
	assert_non_null(b.s);
	assert_null(strchr(b.s, '\x1b'));
	assert_null(strchr(b.s, '\t'));
	assert_null(strchr(b.s, '\xff'));
	assert_non_null(strstr(b.s, "\\x1b[2J"));
	free(b.s);
	memset(&b, 0, sizeof(b));
	feed_quote(&b, "0123456789", 10, 4);
	assert_string_equal(b.s, "0123...");
	free(b.s);
}

/* Emit one typed value into a fresh context; the count kept. */
static size_t
typed(struct ft *t, const char *type, const char *value)
{
	struct ioc_meta m = {EV_INDICATOR, TLP_CLEAR, 0, 0, 0, NULL, NULL};

	feed_typed(
	    &t->ctx, type, strlen(type), value, strlen(value), &m, "here", 0);
	return t->l.n;
}

static void
test_types(void **state)
{
	struct ft t;

	(void)state;
	ft_init(&t, NULL);
	assert_int_equal(
	    typed(&t, "domain|ip", "Evil.example|198.51.100.44"), 2);
	assert_non_null(ft_find(&t, IOC_DOMAIN, "evil.example"));
	assert_non_null(ft_find(&t, IOC_IP, "198.51.100.44"));
	assert_int_equal(typed(&t, "ip-dst|port", "198.51.100.45|4443"), 3);
	assert_non_null(ft_find(&t, IOC_IP_PORT, "198.51.100.45:4443"));
	assert_int_equal(typed(&t, "ip-src|port", "2001:db8::9|22"), 4);
	assert_non_null(ft_find(&t, IOC_IP_PORT, "[2001:db8::9]:22"));
	assert_int_equal(typed(&t, "hostname|port", "c2.example|8443"), 5);
	assert_non_null(ft_find(&t, IOC_DOMAIN_PORT, "c2.example:8443"));
	assert_int_equal(
	    typed(&t, "filename|md5", "a.exe|6CAF5B49174FEAF7968566E32B09D6E1"),
	    6);
	assert_non_null(
	    ft_find(&t, IOC_MD5, "6caf5b49174feaf7968566e32b09d6e1"));
	/* several hashes of one file: each names it */
	assert_int_equal(typed(&t, "filename|md5|sha1|sha256",
			     "a.exe|741bbfe6375f736d064a3e23f004676d|"
			     "ca118f05d354d16d50ffe2f421abce38d8bacffc|"
			     "a934d8d273e44f15ccddbcd7180cf99d0fff719acff064f0b"
			     "080299f9cd83e41"),
	    9);
	assert_int_equal(typed(&t, "ip:port", "198.51.100.80:5638"), 10);
	assert_int_equal(typed(&t, "sha256_hash",
			     "a77877b381f60955e775a8d203d436bf6abc7565750c30daa"
			     "a82b2c38e0aaf60"),
	    11);
	assert_int_equal(typed(&t, "ip-dst", "192.0.2.0/24"), 12);
	assert_non_null(ft_find(&t, IOC_CIDR, "192.0.2.0/24"));
	/* what Suricata cannot match: counted, with the reason */
	assert_int_equal(typed(&t, "email-src", "a@b.example"), 12);
	assert_int_equal(typed(&t, "filename|sha512", "a.exe|00"), 12);
	assert_int_equal(typed(&t, "uri", "/admin.php"), 12);
	assert_int_equal(typed(&t, "x509-fingerprint-sha1", "00"), 12);
	assert_int_equal(t.st.skipped[SKIP_UNSUPPORTED], 4);
	assert_true(ft_logged(&t, "uri: a path without its host"));
	assert_int_equal(typed(&t, "comment", "hello"), 12);
	assert_int_equal(t.st.skipped[SKIP_NOT_FOR_IDS], 1);
	/* a composite whose value has too few parts */
	assert_int_equal(typed(&t, "domain|ip", "only.example"), 12);
	assert_int_equal(t.st.skipped[SKIP_BAD_VALUE], 1);
	ft_free(&t);
}

static void
test_context(void **state)
{
	struct ft t;
	struct ioc_meta m = {EV_COMPROMISE, TLP_AMBER, 1, 0, 0,
	    "indicator--0b8a6c4e-7c53-4f43-9f0e-2a1a4a6f1c01",
	    "Loader\tC2\ndomain \x1b[31mred\x1b[0m \xe2\x80\xae"
	    "evil"};
	const struct ioc *i;

	(void)state;
	ft_init(&t, NULL);
	assert_int_equal(
	    feed_emit(&t.ctx, IOC_DOMAIN, "c2.example", 10, &m, "p"), 0);
	i = ft_find(&t, IOC_DOMAIN, "c2.example");
	assert_non_null(i);
	assert_string_equal(i->ref, m.ref);
	/* names reach the index: no tab, newline, escape or bidi override */
	assert_string_equal(i->name, "Loader C2 domain [31mred [0m evil");
	assert_int_equal(i->tlp, TLP_AMBER);
	assert_int_equal(i->evidence, EV_COMPROMISE);
	/* a reference that could break the index is dropped */
	m.ref = "a\tb";
	assert_int_equal(
	    feed_emit(&t.ctx, IOC_DOMAIN, "d2.example", 10, &m, "p"), 0);
	assert_null(ft_find(&t, IOC_DOMAIN, "d2.example")->ref);
	ft_free(&t);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_domains_hashes),
	    cmocka_unit_test(test_addresses),
	    cmocka_unit_test(test_urls),
	    cmocka_unit_test(test_injection),
	    cmocka_unit_test(test_times),
	    cmocka_unit_test(test_quote),
	    cmocka_unit_test(test_types),
	    cmocka_unit_test(test_context),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
