/*
 * test_suppress.c: the analysts' false positives as sankaku-rules reads
 * them (the file sankaku-desk writes, or an operator edits): what is
 * suppressed and until when, values matched as the feeds' are kept, the
 * sources that need a second source, and a damaged file refused with
 * its name and the entry's position.
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
#include "suppress.h"

#define NOW 1795651200 /* 2026-11-26T00:00:00Z */

static char dir[] = "/tmp/test_suppress.XXXXXX";
static char path[600];

static void
write_file(const char *text)
{
	FILE *fp = fopen(path, "w");

	assert_non_null(fp);
	fputs(text, fp);
	fclose(fp);
}

/* An indicator as the feeds keep it (normalised). */
static struct ioc
ioc(enum ioc_type t, const char *v)
{
	struct ioc i;

	memset(&i, 0, sizeof(i));
	i.type = (uint8_t)t;
	i.value = v;
	i.hash = ioc_hash(t, v);
	return i;
}

static void
test_entries(void **state)
{
	struct suppress *s;
	struct ioc i;
	char err[512];

	(void)state;
	write_file(
	    "{\"suppressed\": ["
	    " {\"type\": \"domain\", \"value\": \"cdn.example\", \"until\": "
	    "\"2026-12-01T00:00:00Z\", \"false\": 3, \"sources\": [\"a\"]},"
	    " {\"type\": \"domain\", \"value\": \"Old.Example.\", \"until\": "
	    "\"2026-11-01T00:00:00Z\"},"
	    " {\"type\": \"domain\", \"value\": \"Upper.Example.\", \"until\": "
	    "\"2027-01-01T00:00:00Z\"},"
	    " {\"type\": \"ip\", \"value\": \"198.51.100.23\", \"until\": "
	    "\"2026-11-27 00:00:00\"},"
	    " {\"type\": \"url\", \"value\": \"not a url at all\", \"until\": "
	    "\"2027-01-01T00:00:00Z\"}],"
	    " \"second_source\": [{\"id\": \"noisy\", \"reason\": "
	    "\"accuracy\"}]}");
	assert_non_null(s = suppress_load(path, NOW, err, sizeof(err)));
	assert_int_equal(suppress_count(s), 4); /* one has ended */
	i = ioc(IOC_DOMAIN, "cdn.example");
	assert_true(suppress_has(s, &i));
	i = ioc(IOC_DOMAIN, "old.example");
	assert_false(suppress_has(s, &i));
	/* written by hand, matched as normalised */
	i = ioc(IOC_DOMAIN, "upper.example");
	assert_true(suppress_has(s, &i));
	i = ioc(IOC_IP, "198.51.100.23");
	assert_true(suppress_has(s, &i));
	/* the same value under another type is not suppressed */
	i = ioc(IOC_DOMAIN, "198.51.100.23");
	assert_false(suppress_has(s, &i));
	assert_true(suppress_second(s, "noisy"));
	assert_false(suppress_second(s, "a"));
	suppress_free(s);
	/* after the IP's "until" it is deployed again */
	assert_non_null(
	    s = suppress_load(path, 1795737600 + 1, err, sizeof(err)));
	i = ioc(IOC_IP, "198.51.100.23");
	assert_false(suppress_has(s, &i));
	suppress_free(s);
}

static void
test_missing(void **state)
{
	struct suppress *s;
	struct ioc i = ioc(IOC_DOMAIN, "cdn.example");
	char err[512], to[700];

	(void)state;
	unlink(path);
	assert_non_null(s = suppress_load(path, NOW, err, sizeof(err)));
	assert_int_equal(suppress_count(s), 0);
	assert_false(suppress_has(s, &i));
	assert_false(suppress_second(s, "noisy"));
	suppress_free(s);
	assert_false(suppress_has(NULL, &i));
	/* nothing to carry: nothing written */
	assert_int_equal(suppress_carry(path, dir, err, sizeof(err)), 0);
	snprintf(to, sizeof(to), "%s/sankaku-suppress.json", dir);
	assert_int_equal(access(to, F_OK), -1);
}

static void
test_damaged(void **state)
{
	static const struct {
		const char *text, *err;
	} bad[] = {
	    {"{\"suppressed\": [", ":1: "},
	    {"{\"suppressed\": {}}", ": \"suppressed\": not an array"},
	    {"{}", ": \"suppressed\": not an array"},
	    {"{\"suppressed\": [{\"type\": \"domain\", \"value\": "
	     "\"a.example\","
	     " \"until\": \"2027-01-01T00:00:00Z\"}, {\"type\": \"domain\","
	     " \"value\": \"b.example\"}]}",
		": suppressed[1]: needs a known \"type\", a \"value\" and an "
		"\"until\" time"},
	    {"{\"suppressed\": [{\"type\": \"registry-key\", \"value\": \"x\","
	     " \"until\": \"2027-01-01T00:00:00Z\"}]}",
		": suppressed[0]: needs a known"},
	    {"{\"suppressed\": [{\"type\": \"domain\", \"value\": "
	     "\"a.example\","
	     " \"until\": \"next week\"}]}",
		": suppressed[0]: needs a known"},
	    {"{\"suppressed\": [], \"second_source\": {\"id\": \"x\"}}",
		": \"second_source\": not an array"},
	    {"{\"suppressed\": [], \"second_source\": [{\"id\": \"x\"}, {}]}",
		": second_source[1]: needs a source \"id\""},
	};
	char err[512];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		write_file(bad[i].text);
		err[0] = '\0';
		if (suppress_load(path, NOW, err, sizeof(err)) != NULL)
			fail_msg("accepted %s", bad[i].text);
		if (strncmp(err, path, strlen(path)) != 0 ||
		    strstr(err, bad[i].err) == NULL)
			fail_msg("%s: said \"%s\"", bad[i].text, err);
	}
}

static void
test_carry(void **state)
{
	static const char text[] =
	    "{\"suppressed\": [{\"type\": \"domain\", \"value\": "
	    "\"cdn.example\", \"until\": \"2026-12-01T00:00:00Z\"}]}\n";
	char err[512], to[700], got[sizeof(text) + 8];
	FILE *fp;
	size_t n;

	(void)state;
	write_file(text);
	snprintf(to, sizeof(to), "%s/out", dir);
	assert_int_equal(mkdir(to, 0700), 0);
	assert_int_equal(suppress_carry(path, to, err, sizeof(err)), 0);
	snprintf(to, sizeof(to), "%s/out/sankaku-suppress.json", dir);
	assert_non_null(fp = fopen(to, "r"));
	n = fread(got, 1, sizeof(got), fp);
	fclose(fp);
	assert_int_equal(n, sizeof(text) - 1);
	assert_memory_equal(got, text, n);
	unlink(to);
	/* a directory it cannot write to: an error naming the file */
	snprintf(to, sizeof(to), "%s/none", dir);
	assert_int_equal(suppress_carry(path, to, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "/none/sankaku-suppress.json"));
	snprintf(to, sizeof(to), "%s/out", dir);
	rmdir(to);
}

static int
setup(void **state)
{
	(void)state;
	if (mkdtemp(dir) == NULL)
		return -1;
	snprintf(path, sizeof(path), "%s/sankaku-suppress.json", dir);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	unlink(path);
	return rmdir(dir);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_entries),
	    cmocka_unit_test(test_missing),
	    cmocka_unit_test(test_damaged),
	    cmocka_unit_test(test_carry),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
