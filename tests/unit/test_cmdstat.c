/* test_cmdstat.c: reading INFO commandstats, and the check built on it. */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "cmdstat.h"

/* As Redis 7.0.15 answers (CRLF line ends). */
static const char info7[] =
    "# Commandstats\r\n"
    "cmdstat_lpushx:calls=9,usec=1,usec_per_call=0.11,rejected_calls=0,"
    "failed_calls=0\r\n"
    "cmdstat_xadd:calls=2,usec=16,usec_per_call=8.00,rejected_calls=1,"
    "failed_calls=3\r\n"
    "cmdstat_client|reply:calls=4,usec=8,usec_per_call=2.00,"
    "rejected_calls=0,failed_calls=0\r\n"
    "cmdstat_lpush:calls=200000,usec=160000,usec_per_call=0.80,"
    "rejected_calls=7,failed_calls=0\r\n";

/* As Redis 6.2 answers: no rejected or failed counts. */
static const char info6[] =
    "# Commandstats\r\n"
    "cmdstat_xadd:calls=2,usec=16,usec_per_call=8.00\r\n";

static void
test_read(void **state)
{
	struct cmdstat s;

	(void)state;
	assert_int_equal(cmdstat_read(info7, strlen(info7), "xadd", &s), 0);
	assert_int_equal(s.calls, 2);
	assert_int_equal(s.rejected, 1);
	assert_int_equal(s.failed, 3);
	/* lpush is not lpushx, whichever comes first */
	assert_int_equal(cmdstat_read(info7, strlen(info7), "lpush", &s), 0);
	assert_int_equal(s.calls, 200000);
	assert_int_equal(s.rejected, 7);
	assert_int_equal(
	    cmdstat_read(info7, strlen(info7), "client|reply", &s), 0);
	assert_int_equal(s.calls, 4);
	/* never called: zeros */
	s.calls = 5;
	assert_int_equal(cmdstat_read(info7, strlen(info7), "xack", &s), 0);
	assert_int_equal(s.calls, 0);
	assert_int_equal(s.rejected, 0);
	/* a prefix of a name is not the name */
	assert_int_equal(cmdstat_read(info7, strlen(info7), "xad", &s), 0);
	assert_int_equal(s.calls, 0);
	/* the last line without its line end */
	assert_int_equal(
	    cmdstat_read(info7, strlen(info7) - 2, "lpush", &s), 0);
	assert_int_equal(s.failed, 0);
}

static void
test_refused(void **state)
{
	struct cmdstat s;
	static const char *bad[] = {
	    /* no field */
	    "cmdstat_xadd:usec=1,rejected_calls=0,failed_calls=0\r\n",
	    /* not a number */
	    "cmdstat_xadd:calls=x,rejected_calls=0,failed_calls=0\r\n",
	    "cmdstat_xadd:calls=,rejected_calls=0,failed_calls=0\r\n",
	    "cmdstat_xadd:calls=-1,rejected_calls=0,failed_calls=0\r\n",
	    "cmdstat_xadd:calls=12a,rejected_calls=0,failed_calls=0\r\n",
	    /* overflow */
	    "cmdstat_xadd:calls=99999999999999999999,rejected_calls=0,"
	    "failed_calls=0\r\n",
	};
	size_t i;

	(void)state;
	/* Redis before 7.0 cannot be checked this way */
	assert_int_equal(cmdstat_read(info6, strlen(info6), "xadd", &s), -1);
	assert_int_equal(cmdstat_read("", 0, "xadd", &s), -1);
	assert_int_equal(cmdstat_read(NULL, 0, "xadd", &s), -1);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(
		    cmdstat_read(bad[i], strlen(bad[i]), "xadd", &s), -1);
}

static void
test_all_ran(void **state)
{
	struct cmdstat a = {100, 1, 2}, b;

	(void)state;
	b = a;
	b.calls += 256;
	assert_true(cmdstat_all_ran(&a, &b, 256));
	/* other clients' calls in between are fine */
	b.calls += 10;
	assert_true(cmdstat_all_ran(&a, &b, 256));
	/* fewer ran than were sent */
	b.calls = a.calls + 255;
	assert_false(cmdstat_all_ran(&a, &b, 256));
	/* one refused (OOM), one failed (WRONGTYPE) */
	b.calls = a.calls + 256;
	b.rejected++;
	assert_false(cmdstat_all_ran(&a, &b, 256));
	b.rejected--;
	b.failed++;
	assert_false(cmdstat_all_ran(&a, &b, 256));
	/* CONFIG RESETSTAT in between: nothing is proven */
	b = (struct cmdstat){300, 0, 0};
	assert_false(cmdstat_all_ran(&a, &b, 1));
	a = (struct cmdstat){0, 0, 0};
	assert_true(cmdstat_all_ran(&a, &b, 300));
}

static void
test_errors(void **state)
{
	static const char info[] =
	    "# Commandstats\r\n"
	    "cmdstat_xadd:calls=2,usec=16,usec_per_call=8.00,rejected_calls=1,"
	    "failed_calls=1\r\n"
	    "\r\n"
	    "# Errorstats\r\n"
	    "errorstat_OOM:count=57\r\n"
	    "errorstat_WRONGTYPE:count=1\r\n";
	char buf[64];

	(void)state;
	cmdstat_errors(info, strlen(info), buf, sizeof(buf));
	assert_string_equal(buf, "OOM=57 WRONGTYPE=1");
	/* too small: whole entries only */
	cmdstat_errors(info, strlen(info), buf, 12);
	assert_string_equal(buf, "OOM=57");
	cmdstat_errors(info, strlen(info), buf, 3);
	assert_string_equal(buf, "");
	cmdstat_errors("# Errorstats\r\n", 14, buf, sizeof(buf));
	assert_string_equal(buf, "");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_read),
	    cmocka_unit_test(test_refused),
	    cmocka_unit_test(test_all_ran),
	    cmocka_unit_test(test_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
