/*
 * test_gen.c: the rule generator writes the same bytes for the same
 * input, merges an indicator of two sources into one entry that names
 * both, keeps values out of rule text, and uses its documented SIDs.
 */

#include <sys/stat.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "feed.h"

static struct cfg *cfg;

static int
setup(void **state)
{
	static const char text[] =
	    "{\"sources\": [{\"id\": \"a\", \"triangle\": \"speed-accuracy\"},"
	    "{\"id\": \"b\", \"triangle\": \"speed-coverage\"}]}";
	char err[256];

	(void)state;
	cfg = cfg_parse("t.json", text, strlen(text), err, sizeof(err));
	return cfg == NULL ? -1 : 0;
}

static int
teardown(void **state)
{
	(void)state;
	cfg_free(cfg);
	return 0;
}

/* Fill a list as two feeds would. */
static void
fill(struct ioc_list *l)
{
	struct feed_report rep = {0};
	struct feed_ctx a = {"fa", "a", 0, l, &rep};
	struct feed_ctx b = {"fb", "b", 0, l, &rep};

	feed_add(&b, IOC_DOMAIN, "C2.example", 10, "2026-11-02T00:00:00Z",
	    EV_COMPROMISE, "1");
	feed_add(&a, IOC_DOMAIN, "c2.example.", 11, "2026-11-01T00:00:00Z",
	    EV_COMPROMISE, "1");
	feed_add(&a, IOC_IP, "198.51.100.23", 13, NULL, EV_INDICATOR, "2");
	feed_add(&a, IOC_CIDR, "203.0.113.0/24", 14, NULL, EV_INDICATOR, "3");
	feed_add(&b, IOC_URL, "http://x.example/p?q=1", 22, NULL,
	    EV_ATTACK_ATTEMPT, "4");
	feed_add(&b, IOC_MD5, "357371fe019e95b769b54c8a543ba309", 32, NULL,
	    EV_INDICATOR, "5");
}

/* Read a file into a new string. */
static char *
slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;

	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = calloc(1, (size_t)n + 1);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	return buf;
}

static void
test_generate(void **state)
{
	char d1[] = "/tmp/sankaku-gen1.XXXXXX",
	     d2[] = "/tmp/sankaku-gen2.XXXXXX";
	char path[512], err[256], cmd[1200];
	struct ioc_list l1 = {0}, l2 = {0};
	struct gen_result r1, r2;
	char *rules, *index;

	(void)state;
	assert_non_null(mkdtemp(d1));
	assert_non_null(mkdtemp(d2));
	fill(&l1);
	fill(&l2);
	assert_int_equal(gen_write(cfg, &l1, d1, &r1, err, sizeof(err)), 0);
	assert_int_equal(gen_write(cfg, &l2, d2, &r2, err, sizeof(err)), 0);
	assert_int_equal(r1.indicators, 5); /* c2.example twice is one */
	assert_int_equal(r1.rules, r2.rules);
	snprintf(cmd, sizeof(cmd), "diff -r %s %s >/dev/null", d1, d2);
	assert_int_equal(system(cmd), 0); /* byte for byte */

	snprintf(path, sizeof(path), "%s/sankaku.index", d1);
	index = slurp(path);
	assert_non_null(strstr(index,
	    "domain\tc2.example\ta,b\t2026-11-01T00:00:00Z\tcompromise\n"));
	assert_non_null(
	    strstr(index, "url\tx.example/p?q=1\tb\t-\tattack-attempt\n"));
	snprintf(path, sizeof(path), "%s/sankaku.rules", d1);
	rules = slurp(path);
	/* domain, compromise, DNS: sid_base + 100*0 + 10*6 + 0 */
	assert_non_null(strstr(rules, "sid:1860060;"));
	assert_non_null(strstr(rules,
	    "dns.query; to_lowercase; dataset:isset,"
	    "sankaku-domain-compromise,type string"));
	assert_non_null(strstr(rules, "sankaku_source a, sankaku_source b;"));
	assert_non_null(
	    strstr(rules, "alert ip [203.0.113.0/24] any <> any any"));
	assert_non_null(strstr(rules, "sid:1861000;"));
	assert_non_null(
	    strstr(rules, "filemd5:datasets/sankaku-md5-indicator.lst;"));
	assert_null(strstr(rules, "c2.example")); /* only in the dataset */
	snprintf(path, sizeof(path),
	    "%s/datasets/sankaku-domain-compromise.lst", d1);
	free(index);
	index = slurp(path);
	assert_string_equal(
	    index, "YzIuZXhhbXBsZQ==\n"); /* base64 c2.example */
	free(index);
	snprintf(path, sizeof(path),
	    "%s/datasets/sankaku-url-attack-attempt.lst", d1);
	index = slurp(path);
	assert_string_equal(index, "L3A/cT0x\n"); /* base64 /p?q=1 */
	free(index);
	free(rules);
	/* no temporary file is left behind */
	snprintf(
	    cmd, sizeof(cmd), "ls -A %s %s/datasets | grep -q '^\\.'", d1, d1);
	assert_int_not_equal(system(cmd), 0);
	snprintf(cmd, sizeof(cmd), "rm -rf %s %s", d1, d2);
	assert_int_equal(system(cmd), 0);
	ioc_list_free(&l1);
	ioc_list_free(&l2);
}

static void
test_unwritable(void **state)
{
	struct ioc_list l = {0};
	struct gen_result r;
	char err[256] = "";

	(void)state;
	fill(&l);
	assert_int_equal(
	    gen_write(cfg, &l, "/proc/sankaku-nope", &r, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "/proc/sankaku-nope"));
	ioc_list_free(&l);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_generate),
	    cmocka_unit_test(test_unwritable),
	};

	return cmocka_run_group_tests_name("gen", tests, setup, teardown);
}
