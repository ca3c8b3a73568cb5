/* test_index.c: the indicator index and address prefixes. */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "cidr.h"
#include "index.h"

static const char text[] =
    "# comment\n"
    "domain\tevil.example\ta,b\t2026-11-01T00:00:00Z\tcompromise\n"
    "ip\t198.51.100.23\tb\t-\tindicator\n"
    "cidr\t203.0.113.0/24\ta\t-\tindicator\n"
    "cidr\t203.0.113.128/25\tc\t-\tindicator\n"
    "md5\t357371fe019e95b769b54c8a543ba309\ta\t-\tattack-attempt\n";

static void
test_find(void **state)
{
	char err[256];
	struct idx *x = idx_parse("i", text, strlen(text), err, sizeof(err));
	const struct idx_entry *e;

	(void)state;
	assert_non_null(x);
	assert_int_equal(idx_count(x), 5);
	e = idx_find(x, "domain", "evil.example");
	assert_non_null(e);
	assert_string_equal(e->sources, "a,b");
	assert_string_equal(e->published, "2026-11-01T00:00:00Z");
	assert_string_equal(e->evidence, "compromise");
	assert_null(idx_find(x, "domain", "evil.example.org"));
	assert_null(idx_find(x, "url", "evil.example"));
	assert_string_equal(idx_find(x, "ip", "198.51.100.23")->sources, "b");
	/* longest prefix wins */
	assert_string_equal(idx_find(x, "ip", "203.0.113.200")->sources, "c");
	assert_string_equal(idx_find(x, "ip", "203.0.113.5")->sources, "a");
	assert_null(idx_find(x, "ip", "203.0.114.1"));
	assert_null(idx_find(NULL, "ip", "203.0.114.1"));
	idx_free(x);
}

/* Version 2: TLP, validity, each source's id of it, a named name. */
static void
test_v2(void **state)
{
	static const char t2[] =
	    "# sankaku indicator index v2\n"
	    "@1\tLoader C2\n"
	    "domain\tc2.example\ta,b\t2026-11-01T00:00:00Z\tcompromise\t"
	    "amber\t2026-12-01T00:00:00Z\ta=indicator--1,b=x/y\t1\t"
	    "a=2026-11-01T00:00:00Z,b=2026-11-03T09:00:00Z\n"
	    "ip-port\t198.51.100.7:443\tb\t-\tcompromise\tclear\t-\t-\t-\n"
	    "cidr\t10.0.0.0/8\ta\t-\tindicator\tclear\t-\t-\t-\n"
	    "cidr\t10.1.0.0/16\tb\t-\tindicator\tgreen\t-\t-\t-\n"
	    "cidr\t2001:db8::/32\tb\t-\tindicator\tgreen\t-\t-\t-\n";
	char err[256];
	struct idx *x = idx_parse("i", t2, strlen(t2), err, sizeof(err));
	const struct idx_entry *e;

	(void)state;
	assert_non_null(x);
	e = idx_find(x, "domain", "c2.example");
	assert_non_null(e);
	assert_string_equal(e->tlp, "amber");
	assert_string_equal(e->valid_until, "2026-12-01T00:00:00Z");
	assert_string_equal(e->refs, "a=indicator--1,b=x/y");
	assert_string_equal(e->name, "Loader C2");
	assert_int_equal(e->nsources, 2);
	assert_string_equal(
	    e->published_by, "a=2026-11-01T00:00:00Z,b=2026-11-03T09:00:00Z");
	assert_null(idx_find(x, "ip-port", "198.51.100.7:443")->name);
	/* nine fields (before PUBLISHED_BY): none */
	assert_string_equal(
	    idx_find(x, "ip-port", "198.51.100.7:443")->published_by, "-");
	/* the longest prefix, looked up by length */
	assert_string_equal(
	    idx_find(x, "ip", "10.1.2.3")->value, "10.1.0.0/16");
	assert_string_equal(idx_find(x, "ip", "10.2.2.3")->value, "10.0.0.0/8");
	assert_string_equal(
	    idx_find(x, "ip", "2001:db8:1::1")->value, "2001:db8::/32");
	assert_null(idx_find(x, "ip", "11.0.0.1"));
	assert_null(idx_find(x, "ip", "not an address"));
	idx_free(x);
	/* a name used before it is defined */
	{
		const char *t = "domain\tx.example\ta\t-\tindicator\tclear\t"
				"-\t-\t3\n";

		assert_null(idx_parse("i", t, strlen(t), err, sizeof(err)));
		assert_non_null(strstr(err, "name 3 is not defined"));
	}
}

static void
test_errors(void **state)
{
	char err[256];

	(void)state;
	assert_null(
	    idx_parse("i", "domain\tx.example\n", 17, err, sizeof(err)));
	assert_string_equal(
	    err, "i:1: expected 5, 9 or 10 tab-separated fields");
	{
		const char *t =
		    "# c\nip\t1.2.3.4\ta\t-\tx\nip\t1.2.3.4\tb\t-\tx\n";

		assert_null(idx_parse("i", t, strlen(t), err, sizeof(err)));
		assert_non_null(strstr(err, "listed twice"));
	}
	{
		const char *t = "ip\t1.2.3.4\t\t-\tx\n";

		assert_null(idx_parse("i", t, strlen(t), err, sizeof(err)));
		assert_string_equal(err, "i:1: empty value or sources");
	}
	assert_null(idx_load("/nonexistent/x", err, sizeof(err)));
}

static void
test_cidr(void **state)
{
	struct cidr c;
	char buf[64];

	(void)state;
	assert_int_equal(cidr_parse("10.0.0.0/8", &c, 0), 0);
	assert_true(cidr_contains(&c, "10.255.1.2"));
	assert_false(cidr_contains(&c, "11.0.0.1"));
	assert_false(cidr_contains(&c, "::1"));
	assert_int_equal(cidr_parse("10.0.0.1/8", &c, 0), -1);
	assert_int_equal(cidr_parse("10.0.0.1/8", &c, 1), 0);
	cidr_format(&c, buf, sizeof(buf));
	assert_string_equal(buf, "10.0.0.0/8");
	assert_int_equal(cidr_parse("2001:DB8:0:0::1", &c, 0), 0);
	cidr_format(&c, buf, sizeof(buf));
	assert_string_equal(buf, "2001:db8::1");
	snprintf(buf, sizeof(buf), "2001:0DB8:0000:0000:0000:0000:0000:0023");
	cidr_canon_addr(buf, sizeof(buf));
	assert_string_equal(buf, "2001:db8::23");
	snprintf(buf, sizeof(buf), "192.168.010.1"); /* not an address */
	cidr_canon_addr(buf, sizeof(buf));
	assert_string_equal(buf, "192.168.010.1");
	snprintf(buf, sizeof(buf), "fe80::1%%eth0");
	cidr_canon_addr(buf, sizeof(buf));
	assert_string_equal(buf, "fe80::1%eth0");
	assert_int_equal(cidr_parse("fc00::/7", &c, 0), 0);
	assert_true(cidr_contains(&c, "fd12::1"));
	assert_false(cidr_contains(&c, "fe80::1"));
	assert_int_equal(cidr_parse("1.2.3.4/33", &c, 0), -1);
	assert_int_equal(cidr_parse("1.2.3.4/", &c, 0), -1);
	assert_int_equal(cidr_parse("host", &c, 0), -1);
	assert_int_equal(cidr_parse("1.2.3.4/12x", &c, 1), -1);
	assert_int_equal(cidr_parse("0.0.0.0/0", &c, 0), 0);
	assert_true(cidr_contains(&c, "8.8.8.8"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_find),
	    cmocka_unit_test(test_v2),
	    cmocka_unit_test(test_errors),
	    cmocka_unit_test(test_cidr),
	};

	return cmocka_run_group_tests_name("index", tests, NULL, NULL);
}
