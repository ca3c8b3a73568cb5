/* test_redisurl.c: Redis address parsing. */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "redisurl.h"

static void
test_good(void **state)
{
	struct redis_url u;
	char err[128], disp[256];

	(void)state;
	assert_int_equal(
	    redisurl_parse("redis://127.0.0.1", &u, err, sizeof(err)), 0);
	assert_string_equal(u.host, "127.0.0.1");
	assert_int_equal(u.port, 6379);
	assert_int_equal(u.db, 0);
	assert_int_equal(
	    redisurl_parse("redis://sankaku:s%40cret@redis.example:6380/2", &u,
		err, sizeof(err)),
	    0);
	assert_string_equal(u.user, "sankaku");
	assert_string_equal(u.password, "s@cret");
	assert_string_equal(u.host, "redis.example");
	assert_int_equal(u.port, 6380);
	assert_int_equal(u.db, 2);
	redisurl_display(&u, disp, sizeof(disp));
	assert_null(strstr(disp, "cret"));
	assert_int_equal(
	    redisurl_parse("redis://:pw@[::1]:7000", &u, err, sizeof(err)), 0);
	assert_string_equal(u.host, "::1");
	assert_string_equal(u.user, "");
	assert_string_equal(u.password, "pw");
	assert_int_equal(u.port, 7000);
	assert_int_equal(redisurl_parse("unix:///run/redis/redis.sock?db=3", &u,
			     err, sizeof(err)),
	    0);
	assert_true(u.is_unix);
	assert_string_equal(u.path, "/run/redis/redis.sock");
	assert_int_equal(u.db, 3);
}

static void
test_bad(void **state)
{
	static const char *const bad[] = {"http://x", "redis://", "redis://h:0",
	    "redis://h:65536", "redis://h:12x", "redis://h/db",
	    "unix://rel.sock", "redis://[::1", "redis://u:p%4@h",
	    "unix:///s?db=x", "redis://h:1/2/3", NULL};
	struct redis_url u;
	char err[128];
	size_t i;

	(void)state;
	for (i = 0; bad[i] != NULL; i++) {
		err[0] = '\0';
		assert_int_equal(
		    redisurl_parse(bad[i], &u, err, sizeof(err)), -1);
		assert_true(err[0] != '\0');
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_good),
	    cmocka_unit_test(test_bad),
	};

	return cmocka_run_group_tests_name("redisurl", tests, NULL, NULL);
}
