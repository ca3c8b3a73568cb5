/*
 * test_linkio.c: the adapter's writes (net/linkio.c), on a real socket.
 *
 * The peer is a plain Unix socket this test reads bytes from: no Redis,
 * no replies; what is checked is when the adapter writes what hiredis
 * queued, and that nothing is left behind or touched after a free.
 */

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cmocka.h>
#include <event2/event.h>
#include <hiredis/async.h>
#include <hiredis/hiredis.h>

#include "linkio.h"

struct rig {
	char dir[64], path[96];
	int listener, peer;
	struct event_base *base;
	redisAsyncContext *ac;
};

static void
over(void *arg)
{
	(void)arg;
	fail_msg("no reply is read here: the bound cannot be passed");
}

/* A listener, a context connected to it, the peer's end accepted, and the
 * connect finished (hiredis marks it on its first write). */
static int
setup(void **state)
{
	struct rig *r = calloc(1, sizeof(*r));
	struct sockaddr_un sun = {.sun_family = AF_UNIX};

	assert_non_null(r);
	snprintf(r->dir, sizeof(r->dir), "/tmp/test_linkio.XXXXXX");
	assert_non_null(mkdtemp(r->dir));
	snprintf(r->path, sizeof(r->path), "%s/s", r->dir);
	snprintf(sun.sun_path, sizeof(sun.sun_path), "%s", r->path);
	r->listener = socket(AF_UNIX, SOCK_STREAM, 0);
	assert_true(r->listener >= 0);
	assert_int_equal(
	    bind(r->listener, (struct sockaddr *)&sun, sizeof(sun)), 0);
	assert_int_equal(listen(r->listener, 1), 0);
	r->base = event_base_new();
	r->ac = redisAsyncConnectUnix(r->path);
	assert_non_null(r->ac);
	assert_int_equal(r->ac->err, 0);
	assert_int_equal(linkio_attach(r->ac, r->base, 0, over, NULL), 0);
	r->peer = accept(r->listener, NULL, NULL);
	assert_true(r->peer >= 0);
	/* the first command goes out on the socket's write event, which
	 * also finishes the connect */
	assert_int_equal(redisAsyncCommand(r->ac, NULL, NULL, "PING"), 0);
	event_base_loop(r->base, EVLOOP_ONCE);
	assert_true(r->ac->c.flags & REDIS_CONNECTED);
	*state = r;
	return 0;
}

static int
teardown(void **state)
{
	struct rig *r = *state;

	if (r->ac != NULL)
		redisAsyncFree(r->ac);
	event_base_free(r->base);
	close(r->peer);
	close(r->listener);
	unlink(r->path);
	rmdir(r->dir);
	free(r);
	return 0;
}

/* What the peer has received so far, without waiting. */
static size_t
peer_take(struct rig *r, char *buf, size_t size)
{
	size_t got = 0;
	ssize_t n;

	while (got < size &&
	    (n = recv(r->peer, buf + got, size - got, MSG_DONTWAIT)) > 0)
		got += (size_t)n;
	return got;
}

struct queue_job {
	struct rig *r;
	const char *cmd;
	int free_after; /* free the context in the same callback */
};

/* A callback of the loop (as a reply handler would be) queues a command. */
static void
queue_cb(evutil_socket_t fd, short what, void *arg)
{
	struct queue_job *j = arg;

	(void)fd;
	(void)what;
	assert_int_equal(redisAsyncCommand(j->r->ac, NULL, NULL, j->cmd), 0);
	if (j->free_after) {
		redisAsyncFree(j->r->ac);
		j->r->ac = NULL;
	}
}

/* Run one turn of the loop in which a callback queues cmd. */
static void
turn_queueing(struct rig *r, struct queue_job *j)
{
	struct event *ev = event_new(r->base, -1, 0, queue_cb, j);

	event_active(ev, 0, 0);
	event_base_loop(r->base, EVLOOP_ONCE | EVLOOP_NONBLOCK);
	event_free(ev);
}

/* A command queued during a turn is written in that same turn, not at the
 * next one's write event. */
static void
test_written_in_the_same_turn(void **state)
{
	struct rig *r = *state;
	struct queue_job j = {r, "ECHO same-turn", 0};
	const char want[] = "*2\r\n$4\r\nECHO\r\n$9\r\nsame-turn\r\n";
	char buf[256];
	size_t n;

	(void)peer_take(r, buf, sizeof(buf)); /* setup's PING */
	turn_queueing(r, &j);
	n = peer_take(r, buf, sizeof(buf));
	assert_int_equal(n, sizeof(want) - 1);
	assert_memory_equal(buf, want, n);
}

/* Commands queued by several callbacks of one turn leave in one write, in
 * order. */
static void
test_one_write_per_turn(void **state)
{
	struct rig *r = *state;
	struct queue_job a = {r, "ECHO a", 0}, b = {r, "ECHO b", 0};
	struct event *ea = event_new(r->base, -1, 0, queue_cb, &a),
		     *eb = event_new(r->base, -1, 0, queue_cb, &b);
	const char want[] = "*2\r\n$4\r\nECHO\r\n$1\r\na\r\n"
			    "*2\r\n$4\r\nECHO\r\n$1\r\nb\r\n";
	char buf[256];
	size_t n;

	(void)peer_take(r, buf, sizeof(buf));
	event_active(ea, 0, 0);
	event_active(eb, 0, 0);
	event_base_loop(r->base, EVLOOP_ONCE | EVLOOP_NONBLOCK);
	n = peer_take(r, buf, sizeof(buf));
	assert_int_equal(n, sizeof(want) - 1);
	assert_memory_equal(buf, want, n);
	event_free(ea);
	event_free(eb);
}

/* More than the socket takes: the rest waits for the socket, and all of
 * it arrives, in order, while the peer reads. */
static void
test_full_socket_waits_and_finishes(void **state)
{
	struct rig *r = *state;
	size_t big = 8u << 20, total, got = 0, hdr;
	char *val, *buf, head[64];
	int turns, sndbuf = 0;
	socklen_t len = sizeof(sndbuf);

	/* four times what the socket takes, whatever the machine's default */
	assert_int_equal(
	    getsockopt(r->ac->c.fd, SOL_SOCKET, SO_SNDBUF, &sndbuf, &len), 0);
	if ((size_t)sndbuf * 4 > big)
		big = (size_t)sndbuf * 4;
	val = malloc(big + 1);
	assert_non_null(val);
	memset(val, 'x', big);
	val[big] = '\0';
	hdr = (size_t)snprintf(
	    head, sizeof(head), "*2\r\n$4\r\nECHO\r\n$%zu\r\n", big);
	total = hdr + big + 2;
	buf = malloc(total);
	assert_non_null(buf);
	(void)peer_take(r, buf, total);
	assert_int_equal(
	    redisAsyncCommand(r->ac, NULL, NULL, "ECHO %b", val, big), 0);
	event_base_loop(r->base, EVLOOP_ONCE | EVLOOP_NONBLOCK);
	got = peer_take(r, buf, total);
	assert_true(got < total); /* the socket could not take it all */
	for (turns = 0; got < total && turns < 100000; turns++) {
		event_base_loop(r->base, EVLOOP_ONCE | EVLOOP_NONBLOCK);
		got += peer_take(r, buf + got, total - got);
	}
	assert_int_equal(got, total);
	assert_memory_equal(buf, head, hdr);
	assert_int_equal(buf[hdr], 'x');
	assert_int_equal(buf[total - 3], 'x');
	assert_memory_equal(buf + total - 2, "\r\n", 2);
	free(buf);
	free(val);
}

/* The context freed in the callback that queued a command: the flush that
 * was due must not run (ASan would see it touch freed memory). */
static void
test_free_with_a_flush_due(void **state)
{
	struct rig *r = *state;
	struct queue_job j = {r, "ECHO gone", 1};
	char buf[256];

	(void)peer_take(r, buf, sizeof(buf));
	turn_queueing(r, &j);
	assert_null(r->ac);
	/* a further turn has nothing left to run */
	assert_int_equal(
	    event_base_loop(r->base, EVLOOP_ONCE | EVLOOP_NONBLOCK), 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(
		test_written_in_the_same_turn, setup, teardown),
	    cmocka_unit_test_setup_teardown(
		test_one_write_per_turn, setup, teardown),
	    cmocka_unit_test_setup_teardown(
		test_full_socket_waits_and_finishes, setup, teardown),
	    cmocka_unit_test_setup_teardown(
		test_free_with_a_flush_due, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
