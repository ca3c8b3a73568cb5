/*
 * tail.h: follow Suricata's eve.json through its rotations, one complete
 * line at a time, for sankaku-ship.
 *
 * A file is known by its identity: device, inode, and the SHA-1 of its
 * first bytes (an inode can be reused by a new file; the first bytes of
 * an EVE file, a timestamp to the microsecond, are not).  The follower
 * reads the current file to its end, then looks at the name it follows:
 *
 *   same file, shorter than what was read   copytruncate: what was written
 *                                           since the last read is in the
 *                                           copy (same first bytes, other
 *                                           inode): finish the copy, then
 *                                           read the file from its start
 *   another file under the name             rename and reopen (Suricata's
 *                                           SIGHUP): the old file is
 *                                           complete; read it to its end,
 *                                           then the new one
 *   NAME.<n> with a larger n                Suricata's rotate-interval:
 *                                           the same, in the order of n
 *
 * A finished file is reported (TAIL_FINISHED) and left for the caller to
 * close with tail_advance() once everything read from it is safe: the
 * caller never has to go back into a file it has left.  A line is
 * complete when its newline is written: a partial last line is never
 * returned, but when a finished file ends without one, that last piece is
 * returned with TAIL_PARTIAL.  A line longer than the limit is returned
 * by its head, its length and its SHA-1 (TAIL_TOOBIG), never held whole.
 */
#ifndef SANKAKU_TAIL_H
#define SANKAKU_TAIL_H

#include <sys/types.h>

#include <stddef.h>

#define TAIL_FP_BYTES 1024 /* bytes of a file's start in its identity */
#define TAIL_HEAD 4096	   /* bytes kept of a line over the limit */

struct tail_id {
	dev_t dev;
	ino_t ino;
	size_t fplen;  /* bytes the fingerprint covers (0: empty file) */
	char fp[41];   /* SHA-1 of them, hex */
	char name[64]; /* the name it had when opened, for messages */
};

enum tail_rc {
	TAIL_LINE,     /* a complete line (without its newline) */
	TAIL_TOOBIG,   /* a line over the limit: head, length, sha1 */
	TAIL_PARTIAL,  /* the unterminated end of a finished file */
	TAIL_WAIT,     /* nothing complete yet: wait for the file to grow */
	TAIL_FINISHED, /* the current file is complete: tail_advance() */
	TAIL_ERROR     /* an I/O error other than the file missing; see err */
};

struct tail_line {
	const char *p;	 /* valid until the next call */
	size_t len;	 /* bytes in p */
	long long total; /* the line's length (TAIL_TOOBIG: all of it) */
	char sha1[41];	 /* TAIL_TOOBIG: of the whole line */
	long long end;	 /* offset just past the line and its newline */
};

struct tail;

/* Follow path, lines up to max_line bytes. */
struct tail *tail_new(const char *path, size_t max_line);
void tail_free(struct tail *);

/* Start at a checkpoint (id NULL: none; from_end: a first start takes
 * the current file from its end instead of its start).  Returns 0, or 1
 * when the checkpointed file is gone (then it starts with the current
 * file from its start, and says so in msg), -1 on error (err). */
int tail_start(struct tail *, const struct tail_id *id, long long offset,
    int from_end, char *msg, size_t msglen);

/* The next line. */
enum tail_rc tail_next(struct tail *, struct tail_line *);
/* Go back to an offset of the current file (what was sent but not
 * acknowledged is read again). */
void tail_rewind(struct tail *, long long offset);
/* Leave the finished file for the next one: 0, or -1 while there is none
 * yet (try again later). */
int tail_advance(struct tail *);

/* The current file's identity (fingerprint up to date) and the offset
 * up to which lines were returned; 0, or -1 when no file is open. */
int tail_where(struct tail *, struct tail_id *, long long *offset);
/* Bytes not yet read: the rest of the current file and the files after
 * it. */
long long tail_lag(struct tail *, long long from);
/* Counters: rotations followed, truncations seen (and how many of them
 * had no copy to finish from). */
unsigned long tail_rotations(const struct tail *);
unsigned long tail_truncations(const struct tail *);
unsigned long tail_truncations_lost(const struct tail *);
const char *tail_error(const struct tail *);
/* Why the current file was found finished, for the log. */
const char *tail_why(const struct tail *);
/* The directory the file is in (for inotify). */
const char *tail_dir(const struct tail *);

/* The identity of the file open as fd (fingerprint of its first bytes);
 * 0, or -1. */
int tail_identify(int fd, const char *name, struct tail_id *);
/* Whether fd is the file id names (its first id->fplen bytes match). */
int tail_same(int fd, const struct tail_id *);

#endif
