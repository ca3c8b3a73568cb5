/*
 * tail_dir.h: the directory side of tail.c: which names beside NAME are
 * its rotated files, in which order, and which of them has a given
 * identity.  Compressed files (.gz, .xz ...) are never candidates.
 */
#ifndef SANKAKU_TAIL_DIR_H
#define SANKAKU_TAIL_DIR_H

#include <stddef.h>

#include "tail.h"

struct tdir {
	char *dir;  /* the directory */
	char *base; /* NAME, the file followed */
};

/* NAME.<Unix time> (rotate-interval): the number; NAME: -1; else -2
 * (logrotate's NAME.1, NAME-DATE ...). */
long long tdir_series(const struct tdir *, const char *name);
/* Whether name may be a rotated copy we can read. */
int tdir_candidate(const struct tdir *, const char *name);
void tdir_join(const struct tdir *, const char *name, char *out, size_t len);
/* open(2) of dir/name for reading; -1 with errno. */
int tdir_open(const struct tdir *, const char *name);
/* The size of dir/name; -1 if it is not a regular file. */
long long tdir_size(const struct tdir *, const char *name);
/* The smallest NAME.<n> with n > after (-1: any): its number and name,
 * or -1; *bytes (if asked): all of their sizes added up. */
long long tdir_next_series(const struct tdir *, long long after, char *name,
    size_t len, long long *bytes);
/* Among the candidates, a file with id's first bytes (and, if ino_too,
 * its inode; else another inode) at least min_size long: its fd and
 * name, or -1. */
int tdir_find(const struct tdir *, const struct tail_id *, int ino_too,
    long long min_size, char *name, size_t len);

#endif
