/*
 * enrich.h: turn one EVE event into an enriched alert.  Pure: no libevent,
 * no hiredis, no clock; everything it needs comes in through the context,
 * so the same code serves the daemon, the golden tests and the fuzzers.
 */
#ifndef SANKAKU_ENRICH_H
#define SANKAKU_ENRICH_H

#include <stddef.h>
#include <time.h>

#include "config.h"
#include "index.h"
#include "isog.h"
#include "render.h"

#define ENRICH_MAX_ROLES 64

/* A document's buffer kept from one alert for the next (enrich_out_keep):
 * a 5 KB malloc and free less per alert.  Owned by the caller; free buf
 * when done. */
struct enrich_spare {
	char *buf; /* malloc'd, or NULL */
	size_t cap;
};

struct enrich_ctx {
	const struct cfg *cfg;
	const struct idx *idx;	     /* may be NULL */
	const struct render *render; /* render_new(cfg) */
	/* bytes to leave free before the document in out->buf, so that a
	 * caller can frame it (a Redis command, say) without a copy */
	size_t headroom;
	/* also render the channels' form (output.channel_form) into
	 * out->alt when it is not the stream's */
	int alt;
	/* a buffer for out->buf, taken if large enough; may be NULL */
	struct enrich_spare *spare;
};

enum enrich_status {
	ENRICH_OK,	    /* an alert, enriched into out->json */
	ENRICH_SKIPPED,	    /* a valid event that is not an alert */
	ENRICH_REJECTED,    /* cannot be enriched: out->reason says why */
	ENRICH_UNCONFIRMED, /* a URL rule's match that no source listed (the
			       host of one listed URL, the path of another):
			       not an indicator, counted and dropped */
};

struct enrich_out {
	char *json; /* enriched alert, NUL-terminated; len bytes */
	size_t len;
	/* json lies at least ctx->headroom bytes into buf (malloc'd), with
	 * room for 2 more bytes after it */
	char *buf;
	size_t buf_cap; /* its size, when enrich_out_keep may keep it */
	/* the channels' form, when asked for and different; else NULL (the
	 * channels get json) */
	char *alt;
	size_t alt_len;
	char *alt_buf;
	const char *reason; /* static: bad-json, not-object, too-large, ... */
	char detail[192];   /* human detail for the log and dead letter */
	char event_type[32];
	enum evidence evidence;
	const struct isog_phase *phase;
	const struct isog_kpi *kpi;
	const struct isog_role *roles[ENRICH_MAX_ROLES];
	size_t nroles;
	const struct cfg_source **sources; /* malloc'd, nsources of them */
	size_t nsources;
	enum tlp tlp; /* strictest of the sources and the indicator's */
	int has_tlp;  /* there is a source to speak of */
	char id[33];  /* stable id of the event: 128-bit hash, hex */
};

/* Enrich raw[0..len); fills out (free with enrich_out_free). */
enum enrich_status enrich_event(const struct enrich_ctx *, const char *raw,
    size_t len, struct enrich_out *out);
void enrich_out_free(struct enrich_out *);
/* The same, but out->buf goes to spare for the next alert (unless it is
 * over ENRICH_SPARE_MAX: one huge event is not held on to). */
void enrich_out_keep(struct enrich_out *, struct enrich_spare *);
#define ENRICH_SPARE_MAX (64 * 1024)

/* Stable 128-bit id of a byte string, as 32 hex characters. */
void enrich_id(const char *raw, size_t len, char out[33]);

/* Normalise a domain in place: lower case, no trailing dot. */
void enrich_norm_domain(char *);

#endif
