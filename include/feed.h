/*
 * feed.h: indicators read from shared feeds (STIX 2.x, MISP, CSV),
 * normalised and validated per type, and what became of every object
 * read.  Pure: parsers take the file's text, report through the context
 * and never exit.
 *
 * A feed is read in two stages.  The parser turns objects into
 * indicators (struct ioc) or counts them under a reason (revoked,
 * deleted, not for IDS, unsupported, bad value, ...); the indicators are
 * the feed's good set, which is also what is kept for a later run should
 * the feed break.  Then the policy (policy.c) decides, for this run and
 * this source, which of them are deployed: valid now, TLP:RED allowed,
 * prefix not too wide, not a duplicate.
 */
#ifndef SANKAKU_FEED_H
#define SANKAKU_FEED_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "arena.h"
#include "config.h"
#include "tlp.h"

enum ioc_type {
	IOC_DOMAIN,
	IOC_URL, /* host[:port]/path of an http:// URL */
	IOC_IP,
	IOC_CIDR,
	IOC_MD5,
	IOC_SHA1,
	IOC_SHA256,
	IOC_JA3,
	IOC_IP_PORT,	 /* 198.51.100.1:443, [2001:db8::1]:443 */
	IOC_DOMAIN_PORT, /* evil.example:8443 */
	IOC_MAX
};

/* Index and metadata name ("ip-port", ...); and back. */
const char *ioc_type_name(enum ioc_type);
int ioc_type_parse(const char *, enum ioc_type *);

/* Why an object read was not deployed. */
enum skip {
	SKIP_NOT_INDICATOR,	  /* a STIX object that is not an indicator */
	SKIP_EXPIRED,		  /* valid_until passed */
	SKIP_NOT_YET_VALID,	  /* valid_from in the future */
	SKIP_REVOKED,		  /* revoked, or its latest version is */
	SKIP_SUPERSEDED,	  /* an older version of an indicator */
	SKIP_DELETED,		  /* MISP deleted attribute or object */
	SKIP_NOT_FOR_IDS,	  /* MISP to_ids false, comment types */
	SKIP_UNSUPPORTED,	  /* a type Suricata cannot match */
	SKIP_UNSUPPORTED_PATTERN, /* MATCHES, AND across observations */
	SKIP_HTTPS_URL,		  /* the path of an https URL is encrypted */
	SKIP_TLP_RED,	      /* TLP:RED and the source does not deploy it */
	SKIP_PREFIX_TOO_WIDE, /* wider than rules.widest_prefix_v4/v6 */
	SKIP_DUPLICATE,	      /* the same value again from this source */
	SKIP_FALSE_POSITIVE,  /* judged so by the analysts (sankaku-desk) */
	SKIP_SECOND_SOURCE, /* its source's accuracy fell: no other lists it */
	SKIP_BAD_VALUE,	    /* could not be converted: listed, exit 1 */
	SKIP_BAD_OBJECT,    /* an object that cannot be read: listed */
	SKIP_MAX
};

const char *skip_name(enum skip);
/* Bad values and objects make the exit status 1; the rest is knowing. */
int skip_is_refusal(enum skip);

struct ioc {
	const char *value;   /* normalised; in the list's arena */
	uint64_t hash;	     /* of type and value (ioc_hash) */
	const char *ref;     /* the source's id of it, or NULL */
	const char *name;    /* what the source calls it, or NULL */
	int64_t published;   /* first published (UTC seconds), or 0 */
	int64_t valid_from;  /* 0: always */
	int64_t valid_until; /* 0: never ends */
	uint8_t type;	     /* enum ioc_type */
	uint8_t evidence;    /* enum evidence */
	uint8_t tlp;	     /* the feed's marking of it (enum tlp) */
	uint8_t deployed;    /* the policy keeps it */
	uint16_t source;     /* index into cfg->sources */
};

struct ioc_list {
	struct ioc *v;
	size_t n, cap;
	struct arena *arena;
};

int ioc_list_init(struct ioc_list *);
void ioc_list_free(struct ioc_list *);

/* What a feed yielded, and its problems. */
struct feed_stats {
	size_t read; /* objects, attributes or rows read */
	size_t skipped[SKIP_MAX];
	size_t deployed; /* distinct values deployed, after policy */
};

/* Where problems go.  file and pos name the place, text the reason; the
 * text is printable: values in it are escaped. */
struct feed_log {
	void (*cb)(void *arg, const char *file, const char *pos, enum skip,
	    const char *text);
	void *arg;
};

/* How a feed as a whole went. */
enum feed_status {
	FEED_OK,
	FEED_TRUNCATED, /* read up to where it ends too early */
	FEED_BROKEN	/* missing, empty, unreadable or not its format */
};

struct cve_list;

struct feed_ctx {
	const char *file; /* for messages */
	const struct cfg *cfg;
	size_t source; /* index into cfg->sources */
	const struct cfg_feed *feed;
	time_t now;
	struct ioc_list *out;
	struct feed_stats *st;
	const struct feed_log *log;
	struct cve_list *cves; /* vulnerabilities shared, or NULL */
	char why[256];	       /* FEED_BROKEN or FEED_TRUNCATED: the reason */
};

/* What a parser knows of an indicator besides type and value. */
struct ioc_meta {
	enum evidence evidence;
	enum tlp tlp;
	int64_t published, valid_from, valid_until;
	const char *ref;  /* copied; validated, dropped if unfit */
	const char *name; /* copied; made printable and short */
};

/* Count an object as read. */
void feed_read(struct feed_ctx *);
/* Count a skip; a refusal or a listed skip goes to the log with pos. */
void feed_skip(struct feed_ctx *, const char *pos, enum skip, const char *fmt,
    ...) __attribute__((format(printf, 4, 5)));
/* Fail the whole feed: FEED_BROKEN or FEED_TRUNCATED with why. */
enum feed_status feed_fail(struct feed_ctx *, enum feed_status, const char *fmt,
    ...) __attribute__((format(printf, 3, 4)));

/* Normalise one value of type t; 0, or -1 with a reason. */
int ioc_normalise(enum ioc_type t, const char *value, size_t len, char *out,
    size_t outlen, char *reason, size_t reasonlen);

/* Validate, normalise and keep one indicator; a bad value is counted and
 * listed at pos.  Values are never printed raw.  0 or -1. */
int feed_emit(struct feed_ctx *, enum ioc_type, const char *value, size_t len,
    const struct ioc_meta *, const char *pos);

/* FNV-1a of a type and a value: sets and sorts compare it first. */
uint64_t ioc_hash(enum ioc_type, const char *value);

/* Room for n more entries at once; 0 or -1. */
int ioc_list_reserve(struct ioc_list *, size_t n);

/* Append an already normalised indicator (the last good set). */
int ioc_list_add(struct ioc_list *, const struct ioc *);

/* Append s to b made printable: control and bidi characters and bytes
 * that are not UTF-8 become \xNN or \u{NNNN}; at most max bytes of s. */
struct buf;
void feed_quote(struct buf *b, const char *s, size_t n, size_t max);

/* s[0, n) as text fit to show and to store (the index's names, the
 * vulnerabilities' titles): valid UTF-8 without control characters (they
 * become spaces), C1 controls and bidi overrides, runs of spaces folded,
 * cut between characters to fit cap bytes with the NUL; its length. */
size_t feed_text(char *out, size_t cap, const char *s, size_t n);

/* RFC 3339 ("2018-03-28T00:00:00Z", fractions and offsets), also with a
 * space for the T and without a zone (then UTC), as CSV feeds write it;
 * 0 or -1. */
int feed_time(const char *s, size_t n, int64_t *out);

/* Parsers.  Each returns how the feed as a whole went. */
enum feed_status feed_csv(struct feed_ctx *, const char *text, size_t len);
enum feed_status feed_stix(struct feed_ctx *, const char *text, size_t len);
enum feed_status feed_misp(struct feed_ctx *, const char *text, size_t len);

#endif
