/*
 * linkio.c: hiredis on libevent, with a bound on reply sizes (see
 * linkio.h).
 *
 * Two measures, because hiredis builds an array reply element by element:
 *   - after each read, the bytes of the element still being received
 *     (its read buffer): one huge string;
 *   - as each string of a reply is made (its reply-object functions,
 *     wrapped), the bytes made so far for that reply: many large ones.
 * The second ends the reply by returning NULL, which hiredis takes for
 * out of memory and answers by dropping the connection; the first has the
 * owner drop it.  Either way over() is called from the read handler, once
 * hiredis has returned.
 *
 * Reads take up to READ_MAX bytes in one call (hiredis reads 16 KB at a
 * time: sixteen reads and event-loop turns for one chunk's LRANGE reply)
 * and hand them to hiredis in its own 16 KB slices, so its read buffer
 * stays as small as before and the bound is checked as often.
 *
 * Writes wait for no event-loop turn: a command queued while the loop
 * handles events activates the link's flush, which runs in the same turn
 * once the events before it are handled, so one write carries all the
 * turn's commands.  Only a full socket (or a connect still in progress)
 * waits for the socket to become writable.  That is two epoll_ctl calls
 * and an epoll_wait less per write, and a lone alert's store leaves as
 * soon as it is made.
 *
 * The adapter also guards against hiredis freeing the context from
 * inside a read (a callback that drops the link): the context is not
 * touched after that, and the adapter's own state is freed only once the
 * read handler has returned.
 */

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <hiredis/hiredis.h>

#include "linkio.h"

struct linkio {
	redisAsyncContext *ac;
	struct event *rev, *wev;
	struct event *fev; /* the flush: active, never polled */
	int flushing;	   /* inside the flush */
	int entered;	   /* inside a read or write handler */
	int dead; /* hiredis cleaned up while entered: free on return */
	size_t limit, made; /* bound; bytes made for the current reply */
	int over;	    /* the bound was passed: the link drops */
	void (*over_cb)(void *);
	void *arg;
};

/* Free the adapter's state. */
static void
linkio_free(struct linkio *io)
{
	if (io->rev != NULL)
		event_free(io->rev);
	if (io->wev != NULL)
		event_free(io->wev);
	if (io->fev != NULL)
		event_free(io->fev);
	free(io);
}

/*
 * The reply objects, as hiredis makes them (redisReply, linked into the
 * parent array), but a string reply is one allocation with its bytes
 * after it: one malloc and one free less for each event read and each
 * XADD answered.  Replies read through linkio are freed by
 * linkio_free_reply (hiredis calls it as the reader's freeObject), never
 * by freeReplyObject.
 */

/* A reply of type, linked into its parent; extra bytes after it. */
static redisReply *
linkio_reply(const redisReadTask *t, int type, size_t extra)
{
	redisReply *r = malloc(sizeof(*r) + extra);

	if (r == NULL)
		return NULL;
	memset(r, 0, sizeof(*r));
	r->type = type;
	if (t->parent != NULL) {
		redisReply *parent = t->parent->obj;

		parent->element[t->idx] = r;
	}
	return r;
}

/* A string of a reply: count it, refuse it past the bound. */
static void *
linkio_string(const redisReadTask *t, char *s, size_t n)
{
	struct linkio *io = t->privdata;
	redisReply *r;

	if (t->parent == NULL)
		io->made = 0; /* a reply of its own */
	io->made += n;
	if (io->limit > 0 && io->made > io->limit) {
		io->over = 1;
		return NULL; /* hiredis drops the connection */
	}
	if ((r = linkio_reply(t, t->type, n + 1)) == NULL)
		return NULL;
	r->str = (char *)(r + 1);
	memcpy(r->str, s, n);
	r->str[n] = '\0';
	r->len = n;
	return r;
}

/* An array: a new reply starts when it is not inside another. */
static void *
linkio_array(const redisReadTask *t, int n)
{
	struct linkio *io = t->privdata;
	redisReply *r, **element = NULL;

	if (t->parent == NULL)
		io->made = 0;
	/* the elements first: a reply is linked into its parent whole */
	if (n > 0 && (element = calloc((size_t)n, sizeof(*element))) == NULL)
		return NULL;
	if ((r = linkio_reply(t, REDIS_REPLY_ARRAY, 0)) == NULL) {
		free(element);
		return NULL;
	}
	r->element = element;
	r->elements = n > 0 ? (size_t)n : 0;
	return r;
}

static void *
linkio_integer(const redisReadTask *t, long long v)
{
	redisReply *r = linkio_reply(t, REDIS_REPLY_INTEGER, 0);

	if (r != NULL)
		r->integer = v;
	return r;
}

static void *
linkio_nil(const redisReadTask *t)
{
	return linkio_reply(t, REDIS_REPLY_NIL, 0);
}

/* Free a reply made above. */
static void
linkio_free_reply(void *p)
{
	redisReply *r = p;
	size_t i;

	if (r == NULL)
		return;
	if (r->type == REDIS_REPLY_ARRAY && r->element != NULL) {
		for (i = 0; i < r->elements; i++)
			linkio_free_reply(r->element[i]);
		free(r->element);
	}
	free(r);
}

/* Static, not in the adapter's state: the reader may free a half-read
 * reply after the adapter is gone. */
static redisReplyObjectFunctions linkio_fn = {
    linkio_string,
    linkio_array,
    linkio_integer,
    linkio_nil,
    linkio_free_reply,
};

/* hiredis 0.14 exports it (async.c: redisAsyncHandleRead's second half)
 * without declaring it in async.h; 1.x declares it. */
void redisProcessCallbacks(redisAsyncContext *);

#define READ_SLICE (16 * 1024) /* what hiredis reads at a time */
#define READ_MAX (16 * READ_SLICE)

/* Past the bound: one string still being received is too large. */
static int
linkio_pending_over(const struct linkio *io)
{
	const redisReader *r = io->ac->c.reader;

	return io->limit > 0 && r != NULL && r->len - r->pos > io->limit;
}

/* Read what is there and have hiredis parse it and run the callbacks,
 * slice by slice, until the link drops or passes the bound.  The
 * connecting read, an error and the end of the stream are left to hiredis
 * (it reads them again and disconnects). */
static void
linkio_take(struct linkio *io, evutil_socket_t fd)
{
	static char buf[READ_MAX];
	redisAsyncContext *ac = io->ac;
	ssize_t n;
	size_t off, k;

	if (!(ac->c.flags & REDIS_CONNECTED) || ac->c.err != 0) {
		redisAsyncHandleRead(ac);
		return;
	}
	n = read(fd, buf, sizeof(buf));
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n <= 0) {
		redisAsyncHandleRead(ac);
		return;
	}
	for (off = 0; off < (size_t)n && !io->dead && !io->over; off += k) {
		k = (size_t)n - off < READ_SLICE ? (size_t)n - off : READ_SLICE;
		/* a failed feed sets the reader's error: the callbacks then
		 * disconnect */
		(void)redisReaderFeed(ac->c.reader, buf + off, k);
		redisProcessCallbacks(ac);
		if (!io->dead && linkio_pending_over(io))
			io->over = 1;
	}
}

/* The socket is readable. */
static void
linkio_read(evutil_socket_t fd, short what, void *arg)
{
	struct linkio *io = arg;
	void (*cb)(void *) = io->over_cb;
	void *cbarg = io->arg;

	(void)what;
	io->entered = 1;
	linkio_take(io, fd);
	io->entered = 0;
	if (io->dead) {
		/* hiredis dropped the connection (for the bound, or not) */
		int over = io->over;

		linkio_free(io);
		if (over)
			cb(cbarg);
		return;
	}
	/* a reply's strings, or one string still being received, over the
	 * bound: the owner drops the link (io is freed then) */
	if (io->over || linkio_pending_over(io)) {
		io->over = 1;
		cb(cbarg);
	}
}

/* The socket is writable, or the flush's turn has come: write what is
 * queued.  A write that leaves some (the socket is full) asks for the
 * write event again: inside the flush, that waits for the socket. */
static void
linkio_write(evutil_socket_t fd, short what, void *arg)
{
	struct linkio *io = arg;

	(void)fd;
	(void)what;
	io->entered = 1;
	io->flushing = 1;
	redisAsyncHandleWrite(io->ac);
	io->flushing = 0;
	io->entered = 0;
	if (io->dead)
		linkio_free(io);
}

static void
linkio_add_read(void *p)
{
	event_add(((struct linkio *)p)->rev, NULL);
}

static void
linkio_del_read(void *p)
{
	event_del(((struct linkio *)p)->rev);
}

/* hiredis has something to write: flush it in this turn of the loop, or
 * wait for the socket (full, or still connecting). */
static void
linkio_add_write(void *p)
{
	struct linkio *io = p;

	if (event_pending(io->wev, EV_WRITE, NULL))
		return; /* the socket is full: its event writes it all */
	if (io->flushing || !(io->ac->c.flags & REDIS_CONNECTED))
		event_add(io->wev, NULL);
	else
		event_active(io->fev, EV_WRITE, 0);
}

static void
linkio_del_write(void *p)
{
	struct linkio *io = p;

	event_del(io->wev);
	event_del(io->fev);
}

/* hiredis frees the context: free ours now, or once the handler that is
 * running has returned. */
static void
linkio_cleanup(void *p)
{
	struct linkio *io = p;

	event_del(io->rev);
	event_del(io->wev);
	event_del(io->fev);
	if (io->entered)
		io->dead = 1;
	else
		linkio_free(io);
}

/* Attach. */
int
linkio_attach(redisAsyncContext *ac, struct event_base *base, size_t limit,
    void (*over)(void *), void *arg)
{
	struct linkio *io;
	redisReader *r = ac->c.reader;

	if (ac->ev.data != NULL || (io = calloc(1, sizeof(*io))) == NULL)
		return -1;
	io->ac = ac;
	io->limit = limit;
	io->over_cb = over;
	io->arg = arg;
	io->rev =
	    event_new(base, ac->c.fd, EV_READ | EV_PERSIST, linkio_read, io);
	io->wev = event_new(base, ac->c.fd, EV_WRITE, linkio_write, io);
	io->fev = event_new(base, -1, 0, linkio_write, io);
	if (io->rev == NULL || io->wev == NULL || io->fev == NULL) {
		linkio_free(io);
		return -1;
	}
	r->fn = &linkio_fn;
	r->privdata = io;
	ac->ev.data = io;
	ac->ev.addRead = linkio_add_read;
	ac->ev.delRead = linkio_del_read;
	ac->ev.addWrite = linkio_add_write;
	ac->ev.delWrite = linkio_del_write;
	ac->ev.cleanup = linkio_cleanup;
	return 0;
}

/* Change the bound. */
void
linkio_set_limit(redisAsyncContext *ac, size_t limit)
{
	if (ac != NULL && ac->ev.data != NULL)
		((struct linkio *)ac->ev.data)->limit = limit;
}
