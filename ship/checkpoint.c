/*
 * checkpoint.c: the shipper's state file (see checkpoint.h).
 *
 *   {"version": 1, "file": "eve.json", "dev": 2049, "ino": 1234,
 *    "fp_len": 1024, "fp": "<sha1 hex>", "offset": 123456,
 *    "written": "2026-11-28T22:00:00Z"}
 */

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "checkpoint.h"

#define CKPT_VERSION 1

/* An integer member >= 0, or -1 (absent, not an integer, negative). */
static long long
num(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);

	if (!json_is_integer(v) || json_integer_value(v) < 0)
		return -1;
	return (long long)json_integer_value(v);
}

int
checkpoint_read(
    const char *path, struct checkpoint *c, char *err, size_t errlen)
{
	json_error_t je;
	json_t *o;
	const char *fp, *file;
	long long v, dev, ino, fplen, off;
	size_t i;

	memset(c, 0, sizeof(*c));
	if (access(path, F_OK) != 0 && errno == ENOENT)
		return 1;
	if ((o = json_load_file(path, JSON_REJECT_DUPLICATES, &je)) == NULL) {
		snprintf(
		    err, errlen, "%s: line %d: %s", path, je.line, je.text);
		return -1;
	}
	v = num(o, "version");
	dev = num(o, "dev");
	ino = num(o, "ino");
	fplen = num(o, "fp_len");
	off = num(o, "offset");
	fp = json_string_value(json_object_get(o, "fp"));
	file = json_string_value(json_object_get(o, "file"));
	if (v != CKPT_VERSION)
		snprintf(
		    err, errlen, "%s: version: not %d", path, CKPT_VERSION);
	else if (dev < 0 || ino < 0)
		snprintf(err, errlen, "%s: dev, ino: not integers >= 0", path);
	else if (fplen < 0 || fplen > TAIL_FP_BYTES)
		snprintf(err, errlen, "%s: fp_len: not 0 to %d", path,
		    TAIL_FP_BYTES);
	else if (off < 0)
		snprintf(err, errlen, "%s: offset: not an integer >= 0", path);
	else if (fp == NULL || strlen(fp) != 40 ||
	    strspn(fp, "0123456789abcdef") != 40)
		snprintf(err, errlen, "%s: fp: not 40 hex digits", path);
	else
		err[0] = '\0';
	if (err[0] != '\0') {
		json_decref(o);
		return -1;
	}
	c->id.dev = (dev_t)dev;
	c->id.ino = (ino_t)ino;
	c->id.fplen = (size_t)fplen;
	memcpy(c->id.fp, fp, 41);
	/* the name is for messages only: printable ASCII */
	snprintf(
	    c->id.name, sizeof(c->id.name), "%s", file != NULL ? file : "?");
	for (i = 0; c->id.name[i] != '\0'; i++)
		if (c->id.name[i] < 0x20 || c->id.name[i] > 0x7e)
			c->id.name[i] = '?';
	c->offset = off;
	json_decref(o);
	return 0;
}

/* Sync the directory holding path (the rename is durable). */
static int
sync_dir(const char *path)
{
	char dir[4096];
	const char *slash = strrchr(path, '/');
	int fd, rc;

	if (slash == NULL)
		snprintf(dir, sizeof(dir), ".");
	else if (slash == path)
		snprintf(dir, sizeof(dir), "/");
	else
		snprintf(dir, sizeof(dir), "%.*s", (int)(slash - path), path);
	if ((fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
		return -1;
	rc = fsync(fd);
	close(fd);
	return rc;
}

int
checkpoint_write(
    const char *path, const struct checkpoint *c, char *err, size_t errlen)
{
	char tmp[4200], when[32];
	time_t now = time(NULL);
	struct tm tm;
	json_t *o;
	char *text;
	size_t len;
	int fd, ok;

	gmtime_r(&now, &tm);
	strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm);
	o = json_pack("{s:i, s:s, s:I, s:I, s:I, s:s, s:I, s:s}", "version",
	    CKPT_VERSION, "file", c->id.name, "dev", (json_int_t)c->id.dev,
	    "ino", (json_int_t)c->id.ino, "fp_len", (json_int_t)c->id.fplen,
	    "fp", c->id.fp, "offset", (json_int_t)c->offset, "written", when);
	if (o == NULL ||
	    (text = json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS)) == NULL) {
		json_decref(o);
		snprintf(err, errlen, "%s: out of memory", path);
		return -1;
	}
	json_decref(o);
	len = strlen(text);
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	if ((fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600)) <
	    0) {
		snprintf(err, errlen, "%s: %s", tmp, strerror(errno));
		free(text);
		return -1;
	}
	ok = write(fd, text, len) == (ssize_t)len && write(fd, "\n", 1) == 1 &&
	    fsync(fd) == 0;
	free(text);
	if (close(fd) != 0)
		ok = 0;
	if (!ok || rename(tmp, path) != 0) {
		snprintf(
		    err, errlen, "%s: %s", ok ? path : tmp, strerror(errno));
		(void)unlink(tmp);
		return -1;
	}
	if (sync_dir(path) != 0) {
		snprintf(err, errlen, "%s: sync of its directory: %s", path,
		    strerror(errno));
		return -1;
	}
	return 0;
}
