/*
 * feed.h: indicators read from shared feeds (STIX 2.1, MISP, CSV),
 * normalised and validated per type.  Pure: parsers take the file's text,
 * report problems through a callback and never exit.
 */
#ifndef SANKAKU_FEED_H
#define SANKAKU_FEED_H

#include <stddef.h>
#include <time.h>

#include "config.h"

enum ioc_type {
	IOC_DOMAIN,
	IOC_URL,
	IOC_IP,
	IOC_CIDR,
	IOC_MD5,
	IOC_SHA1,
	IOC_SHA256,
	IOC_JA3,
	IOC_MAX
};

const char *ioc_type_name(enum ioc_type);
int ioc_type_parse(const char *, enum ioc_type *);

struct ioc {
	enum ioc_type type;
	char *value;	 /* normalised */
	char *source;	 /* source id */
	char *published; /* RFC 3339, or NULL */
	enum evidence evidence;
};

struct ioc_list {
	struct ioc *v;
	size_t n, cap;
};

/* Where problems go: file, position ("line 3", "objects[2]") and reason. */
struct feed_report {
	void (*cb)(
	    void *arg, const char *file, const char *pos, const char *reason);
	void *arg;
	size_t rejected; /* indicators refused */
	size_t skipped;	 /* not for deployment: expired, revoked, ... */
};

struct feed_ctx {
	const char *file;
	const char *source;
	time_t now;
	struct ioc_list *out;
	struct feed_report *report;
};

void feed_reject(struct feed_ctx *, const char *pos, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Normalise value of type into out (outlen bytes); 0, or -1 with reason. */
int ioc_normalise(enum ioc_type, const char *value, size_t len, char *out,
    size_t outlen, char *reason, size_t reasonlen);

/* Validate and append; a refused value is reported at pos.  0 or -1. */
int feed_add(struct feed_ctx *, enum ioc_type, const char *value, size_t len,
    const char *published, enum evidence, const char *pos);
void ioc_list_free(struct ioc_list *);

/* Parse an RFC 3339 timestamp to UTC seconds; 0 or -1. */
int feed_time(const char *, time_t *);

/* Each parser: 0, or -1 if the file as a whole is unusable. */
int feed_csv(struct feed_ctx *, const char *text, size_t len);
int feed_stix(struct feed_ctx *, const char *text, size_t len);
int feed_misp(struct feed_ctx *, const char *text, size_t len);

/* The rule generator (gen.c). */
struct gen_result {
	size_t rules, indicators, datasets;
};
/* Write DIR/sankaku.rules, DIR/datasets/, DIR/sankaku.index atomically.
 * 0, or -1 with err. */
int gen_write(const struct cfg *, struct ioc_list *, const char *dir,
    struct gen_result *, char *err, size_t errlen);

#endif
