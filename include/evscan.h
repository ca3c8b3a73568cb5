/*
 * evscan.h: one pass over an EVE event that validates it as JSON (RFC 8259:
 * syntax, UTF-8, escapes, no duplicate keys, bounded nesting) and picks out
 * only the members enrichment reads, without building a tree.  Pure.
 */
#ifndef SANKAKU_EVSCAN_H
#define SANKAKU_EVSCAN_H

#include <stddef.h>

#include "evstr.h"

#define EVSCAN_MAX_DEPTH 512
#define EVSCAN_MAX_MEMBERS 4096 /* per object (duplicate check) */
#define EVSCAN_MAX_MULTI 16	/* values kept of a repeated field */

enum evscan_field {
	F_EVENT_TYPE,
	F_SRC_IP,
	F_DEST_IP,
	F_APP_PROTO,
	F_DIRECTION,
	F_FLOW_SRC_IP,
	F_FLOW_DEST_IP,
	F_SIGNATURE,
	F_CATEGORY,
	F_ACTION,
	F_DNS_RRNAME,
	F_TLS_SNI,
	F_JA3_HASH,
	F_HTTP_HOSTNAME,
	F_HTTP_URL,
	F_FILEINFO_MD5,
	F_FILEINFO_SHA1,
	F_FILEINFO_SHA256,
	F_HOST, /* Suricata's sensor-name */
	F_TIMESTAMP,
	F_SK_ID, /* an enriched alert's sankaku member (sankaku-desk) */
	F_SK_PHASE,
	F_SK_KPI,
	F_SK_EVIDENCE,
	F_SK_TLP,
	F_SK_IND_TYPE,
	F_SK_IND_VALUE,
	F_SK_IND_PUBLISHED,
	F_SIGNATURE_ID, /* integers: their digits */
	F_SRC_PORT,	/* integers: their digits */
	F_DEST_PORT,
	F_HTTP_PORT,
	F_MAX
};

/* Fields that may repeat: arrays of strings or of objects. */
enum evscan_multi {
	M_DNS_QUERY_RRNAME, /* dns.query[].rrname */
	M_FILES_MD5,	    /* files[].md5 */
	M_FILES_SHA1,
	M_FILES_SHA256,
	M_META_EVIDENCE, /* alert.metadata.sankaku_evidence[] */
	M_META_PHASE,
	M_META_KPI,
	M_META_ROLE,
	M_META_SOURCE,
	M_META_IOC_TYPE,
	M_META_TACTIC_ID,
	M_META_TACTIC_NAME,
	M_SK_SOURCES,	 /* sankaku.sources[] ids (compact) or [].id (full) */
	M_SK_REF_SOURCE, /* sankaku.indicator.refs[].source */
	M_SK_REF_ID,	 /* ... and .id: each source's own id of it */
	M_SK_PUB_SOURCE, /* sankaku.indicator.published_by[].source */
	M_SK_PUB_TIME,	 /* ... and .published: each source's own time */
	M_DNS_ANSWER_RDATA, /* dns.answers[].rdata: addresses, names */
	M_MAX
};

struct evscan {
	struct evstr f[F_MAX];
	struct evstr m[M_MAX][EVSCAN_MAX_MULTI];
	size_t nm[M_MAX];
	int root_members;   /* members of the top-level object */
	int has_alert;	    /* "alert" is an object */
	int alert_bad;	    /* "alert" present but not an object */
	int has_sigid;	    /* alert.signature_id is an integer */
	int meta_bad;	    /* alert.metadata present, not an object */
	int has_sankaku;    /* the event already has a "sankaku" member */
	int event_type_bad; /* event_type present, not a string */
	size_t close_brace; /* offset of the top-level closing brace */
	size_t err_pos;	    /* on failure: where */
	const char *err;    /* on failure: why (static) */
	int not_object;	    /* valid JSON, but not an object */
};

/* Scan.  0: valid JSON (an object, or see ev->not_object); -1: not valid,
 * ev->err and ev->err_pos say why and where; -2: valid, but a member name
 * is written with escapes ("\u0065vent_type"), which are matched by bytes:
 * the caller must take a slow path (a full parse) instead of guessing. */
int evscan(const char *buf, size_t len, struct evscan *ev);
/* The same for a reader of enriched alerts sankakud wrote (the desk),
 * which takes the root's, alert's and sankaku's members evfields.c
 * lists: any other value (the protocol objects, alert.metadata, what
 * nobody reads) is passed over by its brackets and quotes, its insides
 * (escapes, UTF-8, numbers, names) not checked; everything taken is
 * checked as above. */
int evscan_lax(const char *buf, size_t len, struct evscan *ev);

/* evdecode.c: an event evscan gave -2 for, read again from jansson's
 * decoding of its member names: the compact text into *canon (to free,
 * whatever the result), scanned into ev.  0; -1 not JSON or a member
 * name twice; -2 out of memory; -3 the decoded text unreadable. */
int evscan_decoded(
    const char *buf, size_t len, struct evscan *ev, char **canon);

/* Field f's text into out: "" if absent, not a string, too long for len
 * or holding a NUL (the desk's alerts, sankaku-hunt's events). */
static inline void
evscan_text(const struct evscan *ev, int f, char *out, size_t len)
{
	if (evstr_cstr(&ev->f[f], out, len) == NULL)
		out[0] = '\0';
}

#endif
