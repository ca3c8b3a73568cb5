/*
 * test_tail.c: following eve.json through what happens to it on a sensor,
 * on real files in a temporary directory: lines written in pieces,
 * rename-and-reopen (with logrotate's `create` making the new file before
 * Suricata reopens), copytruncate with and without a copy to finish from,
 * Suricata's rotate-interval files, a restart from a checkpoint after a
 * rotation, an inode reused by another file, lines over the limit, a file
 * ending without a newline, and the checkpoint file itself.
 */

#include <sys/stat.h>

#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "checkpoint.h"
#include "sha1.h"
#include "tail.h"

static char dir[64];
static char eve[128];

static int
setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/test_tail.XXXXXX");
	assert_non_null(mkdtemp(dir));
	snprintf(eve, sizeof(eve), "%s/eve.json", dir);
	return 0;
}

static int
teardown(void **state)
{
	char cmd[128];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	assert_int_equal(system(cmd), 0);
	return 0;
}

/* Append text to dir/name. */
static void
put(const char *name, const char *text)
{
	char p[160];
	FILE *fp;

	snprintf(p, sizeof(p), "%s/%s", dir, name);
	assert_non_null(fp = fopen(p, "a"));
	fputs(text, fp);
	fclose(fp);
}

static void
mv(const char *from, const char *to)
{
	char a[160], b[160];

	snprintf(a, sizeof(a), "%s/%s", dir, from);
	snprintf(b, sizeof(b), "%s/%s", dir, to);
	assert_int_equal(rename(a, b), 0);
}

/* The next result must be a line with this text. */
static void
want_line(struct tail *t, const char *text)
{
	struct tail_line l;

	assert_int_equal(tail_next(t, &l), TAIL_LINE);
	assert_int_equal(l.len, strlen(text));
	assert_memory_equal(l.p, text, l.len);
}

static void
want(struct tail *t, enum tail_rc rc)
{
	struct tail_line l;

	assert_int_equal(tail_next(t, &l), rc);
}

static struct tail *
started(void)
{
	struct tail *t = tail_new(eve, 100);
	char msg[256];

	assert_int_equal(tail_start(t, NULL, 0, 0, msg, sizeof(msg)), 0);
	return t;
}

/* Only complete lines, however the writer cuts them. */
static void
test_pieces(void **state)
{
	struct tail *t;
	struct tail_line l;

	(void)state;
	put("eve.json", "{\"a\":1}\n{\"b\"");
	t = started();
	want_line(t, "{\"a\":1}");
	want(t, TAIL_WAIT);
	put("eve.json", ":2}\n");
	assert_int_equal(tail_next(t, &l), TAIL_LINE);
	assert_int_equal(l.end, 16);
	want(t, TAIL_WAIT);
	tail_free(t);
}

/* logrotate renames and creates; Suricata writes on to the old file
 * until its SIGHUP, then to the new one. */
static void
test_rename_reopen(void **state)
{
	struct tail *t;

	(void)state;
	put("eve.json", "old-1\n");
	t = started();
	want_line(t, "old-1");
	mv("eve.json", "eve.json.1");
	put("eve.json", ""); /* create: the new file, still empty */
	want(t, TAIL_WAIT);
	put("eve.json.1", "old-2\n"); /* before the SIGHUP */
	want_line(t, "old-2");
	want(t, TAIL_WAIT);
	put("eve.json.1", "old-3\n");
	put("eve.json", "new-1\n"); /* reopened */
	want_line(t, "old-3");
	want(t, TAIL_FINISHED);
	assert_int_equal(tail_advance(t), 0);
	want_line(t, "new-1");
	assert_int_equal(tail_rotations(t), 1);
	tail_free(t);
}

/* copytruncate: what was written after our last read is in the copy. */
static void
test_copytruncate(void **state)
{
	struct tail *t;
	char cmd[400];

	(void)state;
	put("eve.json", "line-1\n");
	t = started();
	want_line(t, "line-1");
	put("eve.json", "line-2\n");
	snprintf(cmd, sizeof(cmd),
	    "cp %s/eve.json %s/eve.json-20261128 && : > %s/eve.json", dir, dir,
	    dir);
	assert_int_equal(system(cmd), 0);
	put("eve.json", "line-3-written-after-the-truncation-and-longer\n");
	want_line(t, "line-2");
	want(t, TAIL_FINISHED);
	assert_int_equal(tail_advance(t), 0);
	want_line(t, "line-3-written-after-the-truncation-and-longer");
	assert_int_equal(tail_truncations(t), 1);
	assert_int_equal(tail_truncations_lost(t), 0);
	tail_free(t);
}

/* copytruncate whose copy is shorter than what was read (the writer went
 * on between the copy and the truncation, and the tail read it from the
 * file): the copy holds nothing more, nothing is counted lost, and no
 * line is read twice. */
static void
test_copytruncate_short_copy(void **state)
{
	struct tail *t;
	char cmd[400], p[160];

	(void)state;
	put("eve.json", "line-1\n");
	t = started();
	want_line(t, "line-1");
	snprintf(cmd, sizeof(cmd), "cp %s/eve.json %s/eve.json-copy", dir, dir);
	assert_int_equal(system(cmd), 0);
	put("eve.json", "line-2-after-the-copy\n");
	want_line(t, "line-2-after-the-copy");
	snprintf(p, sizeof(p), "%s/eve.json", dir);
	assert_int_equal(truncate(p, 0), 0);
	put("eve.json", "line-3-after-the-truncation-written-long\n");
	want(t, TAIL_FINISHED);
	assert_int_equal(tail_truncations(t), 1);
	assert_int_equal(tail_truncations_lost(t), 0);
	assert_int_equal(tail_advance(t), 0);
	want_line(t, "line-3-after-the-truncation-written-long");
	tail_free(t);
}

/* Truncated with no copy left: counted as possibly lost, read anew. */
static void
test_truncate_no_copy(void **state)
{
	struct tail *t;
	char p[160];

	(void)state;
	put("eve.json", "line-1\nline-2\n");
	t = started();
	want_line(t, "line-1");
	want_line(t, "line-2");
	snprintf(p, sizeof(p), "%s/eve.json", dir);
	assert_int_equal(truncate(p, 0), 0);
	put("eve.json", "x\n");
	want(t, TAIL_FINISHED);
	assert_int_equal(tail_truncations_lost(t), 1);
	assert_int_equal(tail_advance(t), 0);
	want_line(t, "x");
	tail_free(t);
}

/* rotate-interval: NAME.<unix time>, in order; logrotate's NAME.1 is not
 * one of them. */
static void
test_rotate_interval(void **state)
{
	struct tail *t;

	(void)state;
	put("eve.json.1", "rotated-long-ago\n");
	put("eve.json.1764300000", "first\n");
	t = started();
	want_line(t, "first");
	want(t, TAIL_WAIT);
	put("eve.json.1764300060", "second\n");
	want(t, TAIL_FINISHED);
	assert_int_equal(tail_advance(t), 0);
	want_line(t, "second");
	want(t, TAIL_WAIT);
	tail_free(t);
}

/* Stopped in the middle of a file that was then rotated: the restart
 * finds it by identity, finishes it, then reads the new one. */
static void
test_restart_after_rotation(void **state)
{
	struct tail *t;
	struct tail_id id;
	long long off;
	char msg[256];

	(void)state;
	put("eve.json", "a-1\na-2\n");
	t = started();
	want_line(t, "a-1");
	assert_int_equal(tail_where(t, &id, &off), 0);
	assert_int_equal(off, 4);
	tail_free(t);
	mv("eve.json", "eve.json.1");
	put("eve.json", "b-1\n");
	t = tail_new(eve, 100);
	assert_int_equal(tail_start(t, &id, off, 0, msg, sizeof(msg)), 0);
	want_line(t, "a-2");
	want(t, TAIL_FINISHED);
	assert_int_equal(tail_advance(t), 0);
	want_line(t, "b-1");
	tail_free(t);
}

/* Stopped, then the file was copied and truncated: the restart reads the
 * rest from the copy, then the file from its start. */
static void
test_restart_after_copytruncate(void **state)
{
	struct tail *t;
	struct tail_id id;
	long long off;
	char msg[256], cmd[400];

	(void)state;
	put("eve.json", "a-1\na-2\n");
	t = started();
	want_line(t, "a-1");
	assert_int_equal(tail_where(t, &id, &off), 0);
	tail_free(t);
	snprintf(cmd, sizeof(cmd),
	    "cp %s/eve.json %s/eve.json.1 && : > %s/eve.json", dir, dir, dir);
	assert_int_equal(system(cmd), 0);
	put("eve.json", "b\n");
	t = tail_new(eve, 100);
	assert_int_equal(tail_start(t, &id, off, 0, msg, sizeof(msg)), 0);
	want_line(t, "a-2");
	want(t, TAIL_FINISHED);
	assert_int_equal(tail_advance(t), 0);
	want_line(t, "b");
	tail_free(t);
}

/* The checkpointed file is gone, or its inode now holds another file:
 * start with the current file from its start, and say so. */
static void
test_checkpoint_gone(void **state)
{
	struct tail *t;
	struct tail_id id;
	long long off;
	char msg[256];

	(void)state;
	put("eve.json", "{\"timestamp\":\"2026-11-28T00:00:00.000001\"}\n");
	t = started();
	want(t, TAIL_LINE);
	assert_int_equal(tail_where(t, &id, &off), 0);
	tail_free(t);
	/* same inode, other first bytes: another file */
	memset(id.fp, '0', 40);
	t = tail_new(eve, 100);
	assert_int_equal(tail_start(t, &id, off, 0, msg, sizeof(msg)), 1);
	assert_non_null(strstr(msg, "is gone"));
	want(t, TAIL_LINE); /* from the start */
	tail_free(t);
}

/* Over the limit: the head, the length and the SHA-1 of the whole. */
static void
test_too_big(void **state)
{
	struct tail *t;
	struct tail_line l;
	char big[5002], want_sha[41];

	(void)state;
	memset(big, 'x', 5000);
	big[5000] = '\n';
	big[5001] = '\0';
	sha1_hex(big, 5000, want_sha);
	put("eve.json", big);
	put("eve.json", "small\n");
	t = started();
	assert_int_equal(tail_next(t, &l), TAIL_TOOBIG);
	assert_int_equal(l.total, 5000);
	assert_true(l.len <= TAIL_HEAD);
	assert_string_equal(l.sha1, want_sha);
	assert_int_equal(l.end, 5001);
	want_line(t, "small");
	tail_free(t);
}

/* A finished file ending without a newline gives its last piece. */
static void
test_partial_end(void **state)
{
	struct tail *t;
	struct tail_line l;

	(void)state;
	put("eve.json", "whole\ncut-of");
	t = started();
	want_line(t, "whole");
	want(t, TAIL_WAIT);
	mv("eve.json", "eve.json.1");
	put("eve.json", "next\n");
	assert_int_equal(tail_next(t, &l), TAIL_PARTIAL);
	assert_int_equal(l.len, 6);
	want(t, TAIL_FINISHED);
	tail_free(t);
}

/* A rewind reads again what was not acknowledged. */
static void
test_rewind(void **state)
{
	struct tail *t;

	(void)state;
	put("eve.json", "1\n2\n3\n");
	t = started();
	want_line(t, "1");
	want_line(t, "2");
	want_line(t, "3");
	tail_rewind(t, 2);
	want_line(t, "2");
	want_line(t, "3");
	tail_free(t);
}

/* The checkpoint: written, read back; damaged, refused with the key. */
static void
test_checkpoint_file(void **state)
{
	struct checkpoint c, back;
	char p[160], err[256];

	(void)state;
	memset(&c, 0, sizeof(c));
	c.id.dev = 2049;
	c.id.ino = 123456789;
	c.id.fplen = 1024;
	memset(c.id.fp, 'a', 40);
	snprintf(c.id.name, sizeof(c.id.name), "eve.json");
	c.offset = 987654321012LL;
	snprintf(p, sizeof(p), "%s/checkpoint.json", dir);
	assert_int_equal(checkpoint_read(p, &back, err, sizeof(err)), 1);
	assert_int_equal(checkpoint_write(p, &c, err, sizeof(err)), 0);
	assert_int_equal(checkpoint_read(p, &back, err, sizeof(err)), 0);
	assert_int_equal(back.offset, c.offset);
	assert_int_equal(back.id.ino, c.id.ino);
	assert_string_equal(back.id.fp, c.id.fp);
	put("checkpoint.json", "x");
	assert_int_equal(checkpoint_read(p, &back, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "checkpoint.json"));
	unlink(p);
	put("checkpoint.json",
	    "{\"version\":1,\"dev\":1,\"ino\":2,\"fp_len\":"
	    "3,\"fp\":\"zz\",\"offset\":4}");
	assert_int_equal(checkpoint_read(p, &back, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "fp:"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_pieces, setup, teardown),
	    cmocka_unit_test_setup_teardown(
		test_rename_reopen, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_copytruncate, setup, teardown),
	    cmocka_unit_test_setup_teardown(
		test_copytruncate_short_copy, setup, teardown),
	    cmocka_unit_test_setup_teardown(
		test_truncate_no_copy, setup, teardown),
	    cmocka_unit_test_setup_teardown(
		test_rotate_interval, setup, teardown),
	    cmocka_unit_test_setup_teardown(
		test_restart_after_rotation, setup, teardown),
	    cmocka_unit_test_setup_teardown(
		test_restart_after_copytruncate, setup, teardown),
	    cmocka_unit_test_setup_teardown(
		test_checkpoint_gone, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_too_big, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_partial_end, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_rewind, setup, teardown),
	    cmocka_unit_test_setup_teardown(
		test_checkpoint_file, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
