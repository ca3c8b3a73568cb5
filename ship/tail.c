/*
 * tail.c: follow eve.json through rotations (see tail.h).
 *
 * One file is open at a time.  Bytes are read into a buffer that holds at
 * most one line over the limit; lines are handed out from it.  At the end
 * of the file, tail_check() looks at the name followed and decides
 * whether the file is finished:
 *
 *   reading ──EOF──► check ──nothing new──► (TAIL_WAIT) ──grown──► reading
 *                      │
 *                      ├─ another non-empty file under the name, or a
 *                      │  later NAME.<n> ──► finishing: read to EOF again
 *                      │                     ──► TAIL_FINISHED
 *                      └─ shorter than read (copytruncate) ──► the copy,
 *                         finishing, then the name from its start; no
 *                         copy: TAIL_FINISHED at once (counted as lost)
 *
 * The new file must hold bytes before the old one counts as finished:
 * logrotate's `create` makes the new file before Suricata reopens, and
 * Suricata keeps writing to the old one until its SIGHUP.
 */

#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sha1.h"
#include "tail.h"
#include "tail_dir.h"
#include "xmalloc.h"

#define READ_CHUNK 65536

struct tail {
	char *path;
	struct tdir d; /* where it is and its name */
	size_t max_line;
	int fd;
	struct tail_id id;
	long long series; /* n of NAME.<n>; -1: NAME itself; -2: other */
	int finishing;	  /* complete: read to EOF, then FINISHED */
	int name_from_0;  /* advance: the name again, from its start */
	const char *why;  /* why the file is finishing, for the log */
	char *buf;	  /* [start, len): read, not yet handed out */
	size_t start, len, cap;
	long long buf_off; /* file offset of buf[0] */
	/* a line over the limit, being skipped */
	int skipping;
	struct sha1 sk;
	long long sk_total;
	size_t headlen;
	char head[TAIL_HEAD];
	unsigned long rotations, truncations, truncations_lost;
	char err[256];
};

struct tail *
tail_new(const char *path, size_t max_line)
{
	struct tail *t = xcalloc(1, sizeof(*t));
	const char *slash = strrchr(path, '/');

	t->path = xstrdup(path);
	if (slash == NULL) {
		t->d.dir = xstrdup(".");
		t->d.base = xstrdup(path);
	} else {
		t->d.dir = slash == path
		    ? xstrdup("/")
		    : xasprintf("%.*s", (int)(slash - path), path);
		t->d.base = xstrdup(slash + 1);
	}
	t->max_line = max_line;
	t->cap = max_line + READ_CHUNK + 1;
	t->buf = xmalloc(t->cap);
	t->fd = -1;
	return t;
}

void
tail_free(struct tail *t)
{
	if (t == NULL)
		return;
	if (t->fd >= 0)
		close(t->fd);
	free(t->path);
	free(t->d.dir);
	free(t->d.base);
	free(t->buf);
	free(t);
}

/* Forget the buffer; the next read starts at offset. */
static void
reset_at(struct tail *t, long long offset)
{
	t->start = t->len = 0;
	t->buf_off = offset;
	t->skipping = 0;
	if (t->fd >= 0)
		(void)lseek(t->fd, (off_t)offset, SEEK_SET);
}

/* Make fd (opened as name) the current file, reading from offset. */
static void
adopt(struct tail *t, int fd, const char *name, long long offset)
{
	if (t->fd >= 0)
		close(t->fd);
	t->fd = fd;
	(void)tail_identify(fd, name, &t->id);
	t->series = tdir_series(&t->d, name);
	t->finishing = 0;
	reset_at(t, offset);
}

/* The file a first start reads: the name, else the latest NAME.<n>. */
static int
open_current(struct tail *t)
{
	char name[256];
	long long n, best = -1;
	int fd;

	if ((fd = tdir_open(&t->d, t->d.base)) >= 0) {
		adopt(t, fd, t->d.base, 0);
		return 0;
	}
	/* rotate-interval: only NAME.<n> exist; the latest is written */
	for (n = tdir_next_series(&t->d, -1, name, sizeof(name), NULL); n >= 0;
	     n = tdir_next_series(&t->d, n, name, sizeof(name), NULL))
		best = n;
	if (best < 0)
		return -1;
	snprintf(name, sizeof(name), "%s.%lld", t->d.base, best);
	if ((fd = tdir_open(&t->d, name)) < 0)
		return -1;
	adopt(t, fd, name, 0);
	return 0;
}

/* Offset just past the last newline before the end (a first start from
 * the end begins with a whole line). */
static long long
last_line_start(int fd, size_t max_back)
{
	struct stat st;
	char b[4096];
	long long end, pos;

	if (fstat(fd, &st) != 0)
		return 0;
	end = (long long)st.st_size;
	for (pos = end; pos > 0 && end - pos < (long long)max_back;) {
		size_t n = pos < (long long)sizeof(b) ? (size_t)pos : sizeof(b),
		       i;

		if (pread(fd, b, n, (off_t)(pos - (long long)n)) != (ssize_t)n)
			return end;
		pos -= (long long)n;
		for (i = n; i > 0; i--)
			if (b[i - 1] == '\n')
				return pos + (long long)i;
	}
	return pos == 0 ? 0 : end;
}

int
tail_start(struct tail *t, const struct tail_id *id, long long offset,
    int from_end, char *msg, size_t msglen)
{
	char name[256];
	struct stat st;
	int fd, shrunk = 0;

	msg[0] = '\0';
	if (id == NULL) {
		if (open_current(t) == 0 && from_end)
			reset_at(t, last_line_start(t->fd, t->max_line + 1));
		return 0;
	}
	/* the file itself (by inode and first bytes), renamed or not */
	if ((fd = tdir_find(&t->d, id, 1, 0, name, sizeof(name))) >= 0) {
		if (fstat(fd, &st) == 0 && (long long)st.st_size >= offset) {
			adopt(t, fd, name, offset);
			return 0;
		}
		close(fd);
		shrunk = 1;
	}
	/* truncated while we were away (copytruncate): its copy */
	if ((fd = tdir_find(&t->d, id, 0, offset, name, sizeof(name))) >= 0) {
		adopt(t, fd, name, offset);
		t->finishing = 1;
		t->name_from_0 = 1;
		t->truncations++;
		t->why = "truncated while stopped: the rest read from its copy";
		return 0;
	}
	if (shrunk) {
		snprintf(msg, msglen,
		    "%s was truncated below the checkpoint (offset %lld) and "
		    "no copy was found: read from its start",
		    id->name, offset);
		t->truncations++;
		t->truncations_lost++;
	} else
		snprintf(msg, msglen,
		    "the checkpointed file %s (inode %llu) is gone: starting "
		    "with the current file from its start",
		    id->name, (unsigned long long)id->ino);
	if (open_current(t) != 0)
		t->fd = -1; /* not there yet: tail_next opens it */
	return 1;
}

/* The file was truncated (copytruncate) after read_to bytes were read:
 * finish from the copy if there is one, then the name from its start.
 * A copy shorter than what was read (the writer went on between the
 * copy and the truncation, and this read it from the file) holds
 * nothing more. */
static void
on_truncated(struct tail *t, long long read_to)
{
	char name[256];
	int fd;

	t->truncations++;
	if ((fd = tdir_find(&t->d, &t->id, 0, read_to, name, sizeof(name))) >=
	    0) {
		close(t->fd);
		t->fd = fd;
		(void)tail_identify(fd, name, &t->id);
		t->series = -2;
		(void)lseek(fd, (off_t)read_to, SEEK_SET);
		t->why = "truncated: the rest read from its copy";
	} else if ((fd = tdir_find(&t->d, &t->id, 0, 0, name, sizeof(name))) >=
	    0) {
		close(fd);
		t->why = "truncated: its copy holds nothing more than was read";
		t->start = t->len;
		(void)lseek(t->fd, 0, SEEK_END);
	} else {
		t->truncations_lost++;
		t->why = "truncated, and no copy found: lines written just "
			 "before may be lost";
		t->start = t->len; /* the old bytes are gone */
		(void)lseek(t->fd, 0, SEEK_END);
	}
	t->finishing = 1;
	t->name_from_0 = 1;
}

/* Whether the file holds other first bytes than when it was opened. */
static int
rewritten(struct tail *t)
{
	return t->id.fplen > 0 && !tail_same(t->fd, &t->id);
}

/* At the end of the file: has it finished?  1 if something changed
 * (read again), 0 if not. */
static int
tail_check(struct tail *t)
{
	struct stat st, cur;
	char p[4096], name[256];
	long long read_to = t->buf_off + (long long)t->len, n;

	if (fstat(t->fd, &cur) != 0)
		return 0;
	if ((long long)cur.st_size < read_to || rewritten(t)) {
		on_truncated(t, read_to);
		return 1;
	}
	tdir_join(&t->d, t->d.base, p, sizeof(p));
	if (stat(p, &st) == 0 && S_ISREG(st.st_mode) &&
	    (st.st_dev != t->id.dev || st.st_ino != t->id.ino) &&
	    st.st_size > 0) {
		t->finishing = 1; /* renamed, and the name written anew */
		t->why = "renamed, a new file written under the name";
		return 1;
	}
	if (t->series >= 0 &&
	    ((n = tdir_next_series(
		  &t->d, t->series, name, sizeof(name), NULL)) >= 0 ||
		(stat(p, &st) == 0 && st.st_size > 0))) {
		if (n < 0 || tdir_size(&t->d, name) > 0) {
			t->finishing = 1; /* a later interval's file */
			t->why = "a later rotate-interval file is written";
			return 1;
		}
	}
	return 0;
}

/* Make room at the end of the buffer. */
static void
compact(struct tail *t)
{
	if (t->start == 0)
		return;
	memmove(t->buf, t->buf + t->start, t->len - t->start);
	t->buf_off += (long long)t->start;
	t->len -= t->start;
	t->start = 0;
}

/* Fill out for a line over the limit that ended (or the file did). */
static void
toobig_done(struct tail *t, struct tail_line *out)
{
	out->p = t->head;
	out->len = t->headlen;
	out->total = t->sk_total;
	sha1_final(&t->sk, out->sha1);
	t->skipping = 0;
}

/* Look for the next line in the buffer: 1 with *rc and out, or 0. */
static int
scan(struct tail *t, struct tail_line *out, enum tail_rc *rc)
{
	char *b = t->buf + t->start;
	size_t avail = t->len - t->start;
	char *nl = memchr(b, '\n', avail);

	if (t->skipping) {
		size_t part = nl != NULL ? (size_t)(nl - b) : avail;

		sha1_update(&t->sk, b, part);
		t->sk_total += (long long)part;
		t->start += nl != NULL ? part + 1 : part;
		if (nl == NULL)
			return 0;
		toobig_done(t, out);
		out->end = t->buf_off + (long long)t->start;
		*rc = TAIL_TOOBIG;
		return 1;
	}
	if (nl != NULL && (size_t)(nl - b) <= t->max_line) {
		out->p = b;
		out->len = (size_t)(nl - b);
		out->total = (long long)out->len;
		out->sha1[0] = '\0';
		t->start += out->len + 1;
		out->end = t->buf_off + (long long)t->start;
		*rc = TAIL_LINE;
		return 1;
	}
	if (nl != NULL || avail > t->max_line) {
		/* over the limit: keep its head, hash the rest as it comes */
		t->skipping = 1;
		t->headlen = avail < TAIL_HEAD ? avail : TAIL_HEAD;
		memcpy(t->head, b, t->headlen);
		sha1_init(&t->sk);
		t->sk_total = 0;
		return scan(t, out, rc);
	}
	return 0;
}

enum tail_rc
tail_next(struct tail *t, struct tail_line *out)
{
	enum tail_rc rc;

	memset(out, 0, sizeof(*out));
	if (t->fd < 0 && open_current(t) != 0)
		return TAIL_WAIT;
	for (;;) {
		ssize_t n;

		if (scan(t, out, &rc))
			return rc;
		compact(t);
		n = read(t->fd, t->buf + t->len, t->cap - 1 - t->len);
		if (n > 0 && !t->finishing && rewritten(t)) {
			/* truncated and written again while we were away:
			 * what was just read may be the new text */
			on_truncated(t, t->buf_off + (long long)t->len);
			continue;
		}
		if (n > 0) {
			t->len += (size_t)n;
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			snprintf(t->err, sizeof(t->err), "%s: read: %s",
			    t->id.name, strerror(errno));
			return TAIL_ERROR;
		}
		if (t->finishing) {
			if (t->skipping) {
				toobig_done(t, out);
				out->end = t->buf_off + (long long)t->len;
				return TAIL_PARTIAL;
			}
			if (t->start < t->len) {
				out->p = t->buf + t->start;
				out->len = t->len - t->start;
				out->total = (long long)out->len;
				t->start = t->len;
				out->end = t->buf_off + (long long)t->len;
				return TAIL_PARTIAL;
			}
			return TAIL_FINISHED;
		}
		if (!tail_check(t))
			return TAIL_WAIT;
	}
}

void
tail_rewind(struct tail *t, long long offset)
{
	reset_at(t, offset);
}

int
tail_advance(struct tail *t)
{
	char name[256];
	int fd = -1;

	if (t->name_from_0 || t->series < 0)
		snprintf(name, sizeof(name), "%s", t->d.base);
	else if (tdir_next_series(&t->d, t->series, name, sizeof(name), NULL) <
	    0)
		snprintf(name, sizeof(name), "%s", t->d.base);
	if ((fd = tdir_open(&t->d, name)) < 0)
		return -1;
	adopt(t, fd, name, 0);
	t->name_from_0 = 0;
	t->rotations++;
	return 0;
}

int
tail_where(struct tail *t, struct tail_id *id, long long *offset)
{
	if (t->fd < 0)
		return -1;
	if (t->id.fplen < TAIL_FP_BYTES) {
		char name[64];

		snprintf(name, sizeof(name), "%s", t->id.name);
		(void)tail_identify(t->fd, name, &t->id);
	}
	*id = t->id;
	*offset = t->buf_off + (long long)t->start;
	return 0;
}

long long
tail_lag(struct tail *t, long long from)
{
	struct stat st;
	char p[4096], name[256];
	long long lag = 0, later = 0;

	if (t->fd >= 0 && fstat(t->fd, &st) == 0 &&
	    (long long)st.st_size > from)
		lag = (long long)st.st_size - from;
	if (t->series >= 0)
		(void)tdir_next_series(
		    &t->d, t->series, name, sizeof(name), &later);
	lag += later;
	tdir_join(&t->d, t->d.base, p, sizeof(p));
	if (t->series != -1 && stat(p, &st) == 0 &&
	    (st.st_dev != t->id.dev || st.st_ino != t->id.ino))
		lag += (long long)st.st_size;
	return lag;
}

unsigned long
tail_rotations(const struct tail *t)
{
	return t->rotations;
}

unsigned long
tail_truncations(const struct tail *t)
{
	return t->truncations;
}

unsigned long
tail_truncations_lost(const struct tail *t)
{
	return t->truncations_lost;
}

const char *
tail_why(const struct tail *t)
{
	return t->why != NULL ? t->why : "finished";
}

const char *
tail_dir(const struct tail *t)
{
	return t->d.dir;
}

const char *
tail_error(const struct tail *t)
{
	return t->err;
}
