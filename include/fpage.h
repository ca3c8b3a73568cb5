/*
 * fpage.h: the parts of sankaku-fetch that need no network, so that they
 * can be tested alone: the pages of a TAXII 2.1 collection, the body of a
 * MISP restSearch, and the validators a server gave for the last copy.
 */
#ifndef SANKAKU_FPAGE_H
#define SANKAKU_FPAGE_H

#include <stddef.h>

#include <jansson.h>

/* base with NAME=VALUE added to its query (after "?" or "&"), the value
 * percent-encoded (a TAXII "next" is the server's, anything): a
 * collection's next page, or its objects added after a time.  NULL: out
 * of memory. */
char *fpage_url_add(const char *base, const char *name, const char *value);

/* Whether TAXII timestamp a ("2026-11-25T09:00:00.123456Z": UTC, a
 * fraction of any length or none) is strictly later than b.  0 when it
 * is not, or when either is not such a timestamp. */
int fpage_taxii_later(const char *a, const char *b);

/* One page of a TAXII 2.1 envelope ({"more", "next", "objects"}): its
 * objects appended to objects, *next set to the next page's token (a
 * malloc'd string) or NULL when it was the last.  0, or -1 with err:
 * not an envelope, "more" without "next", or an object not an object. */
int fpage_taxii_take(const char *body, size_t len, json_t *objects, char **next,
    char *err, size_t errlen);

/* The body POSTed to a MISP restSearch when the feed gives no "query":
 * the attributes marked for IDS, not deleted, of events published in the
 * last 30 days, with their events' tags (TLP). */
extern const char fpage_misp_query[];

/* Whether a reply looks like a whole JSON document, from its first and
 * last bytes only (a feed may be hundreds of megabytes; sankaku-rules
 * reads it whole and fails closed): it begins with { or [ (after blanks
 * and a BOM) and ends with the matching } or ].  With member, an object
 * must begin with it: "response" as MISP's restSearch replies do (its
 * errors do not), "Event" as a MISP feed's events.  0, or -1 with err. */
int fpage_looks_json(const char *head, size_t hlen, const char *tail,
    size_t tlen, const char *member, char *err, size_t errlen);

/* What the server said of the copy on disk, for a conditional GET, and
 * when the feed was last fetched or found unchanged (0: never).  For a
 * TAXII collection: the date_added of the newest object in the copy (its
 * X-TAXII-Date-Added-Last), from which the next fetch asks only for what
 * was added after; when the copy was last fetched whole; and a sum of
 * the URL it was fetched from (16 hex digits). */
struct fpage_validators {
	char etag[256];
	char last_modified[64];
	long long ok_at;
	char added_last[64];
	long long whole_at;
	char url_sum[17];
};

/* A header's value fit to be stored and sent back: printable ASCII, no
 * longer than the room; "" otherwise.  In place. */
void fpage_clean_value(char *value, size_t room);

/* Read and write the validators kept beside a fetched file (a
 * ".NAME.fetch" in its directory: lines "etag V", "last-modified V",
 * "ok SECONDS", "taxii-added-last V", "whole SECONDS", "url-sum HEX"); a
 * missing or
 * unreadable file reads as none.  The write
 * is atomic; -1 with errno when it fails. */
void fpage_validators_read(const char *path, struct fpage_validators *);
int fpage_validators_write(const char *path, const struct fpage_validators *);

/* The side file's name for path, malloc'd; NULL: out of memory. */
char *fpage_side_path(const char *path);

/* One event of a MISP feed's manifest: its UUID, the name of its file
 * on the feed (UUID.json), and when it last changed. */
struct fpage_event {
	char uuid[37];
	long long ts;
};

/* The events of a MISP feed's manifest.json ({"UUID": {"timestamp":
 * SECONDS, "info": ..., ...}, ...}, the timestamp a number or a string of
 * digits) changed at or after since, oldest first, into *events (malloc'd,
 * *n of them; at most max).  *total counts the manifest's events, *bad
 * those that cannot be asked for: a name that is not a UUID (it makes a
 * file name and a URL), no timestamp.  0, or -1 with err: not a
 * manifest, or more than max events wanted. */
int fpage_manifest(const char *body, size_t len, long long since, size_t max,
    struct fpage_event **events, size_t *n, size_t *total, size_t *bad,
    char *err, size_t errlen);

/* The directory beside path where a MISP feed's events are kept
 * (".NAME.events" in its directory), malloc'd; NULL: out of memory. */
char *fpage_events_dir(const char *path);

#endif
