/*
 * hunt.h: past EVE events against the indicator index (sankaku-hunt).
 *
 * The sharing triangle's third corner: an accurate, broad feed arrives
 * late, so what it lists may have crossed the network before the rules
 * knew it.  Each event Suricata logged (dns, http, tls, fileinfo, flow,
 * alert ...) is read as sankakud reads an alert (evscan), every value
 * that could be an indicator is collected (indicator.h) and looked up in
 * the index sankaku-rules wrote.  A hit says which indicator, which
 * sources list it, when it was published and how long before that
 * publication the event happened: the detections could not have seen it.
 * Pure: no I/O.
 */
#ifndef SANKAKU_HUNT_H
#define SANKAKU_HUNT_H

#include <stddef.h>
#include <time.h>

#include <jansson.h>

#include "config.h"
#include "index.h"
#include "indicator.h"

#define HUNT_MAX_SOURCES 64 /* sources counted apart in the summary */

/* Which indicators count: listed by source (NULL: any), published at or
 * after since ((time_t)-1: any time), not held by the older index
 * previous (NULL: any; what the last refresh added, whenever its
 * sources say they published it). */
struct hunt_filter {
	const char *source;
	time_t since;
	const struct idx *previous;
};

struct hunt_hit {
	const struct idx_entry *e; /* the indicator as the index has it */
	time_t published;	   /* the filter's source's, else the earliest;
				      -1 if unknown */
	long long lead_s; /* published - the event's time; > 0: seen before
			     it was published; meaningless without both */
	int lead_known;
};

/* One event: what it was and what it hit. */
struct hunt_event {
	char ts[40], event_type[24], src[64], dst[64], proto[16];
	char about[256];  /* the name it was about: DNS, TLS SNI, HTTP host */
	int sport, dport; /* -1: none */
	time_t at;	  /* its timestamp, -1 if none */
	struct hunt_hit hits[IND_MAX_CANDS];
	size_t nhits;
};

/* Read one EVE line and look its values up: 0 (ev->nhits may be 0), or
 * -1 with why in err (not JSON, not an object; its bytes never copied). */
int hunt_event(const char *line, size_t len, const struct idx *,
    const struct cfg *, const struct hunt_filter *, struct hunt_event *ev,
    char *err, size_t errlen);

/* The retro-hunt alert of hit h of the event line (not itself an
 * alert): the event as it was, made an "alert" whose alert member names
 * the indicator's type, sources and evidence in its metadata (as the
 * rules sankaku-rules writes do) with signature id sid, and whose
 * "retro_hunt" member says what the event was and how long before the
 * publication it came.  Serialised in a fixed order, so that the same
 * hit gives the same bytes (and sankaku.id) again.  To free; NULL if the
 * line is not a JSON object or out of memory. */
char *hunt_alert(
    const char *line, size_t len, const struct hunt_hit *h, long sid);
/* Its signature id: rules.sid_base + 900 (the rules sankaku-rules
 * writes there use up to + 799). */
#define HUNT_SID_OFFSET 900
#define HUNT_SIGNATURE                                                         \
	"SANKAKU retro-hunt: a listed indicator in past logs, seen before "    \
	"the rules knew it"

/* Whether the comma-separated list has id. */
int hunt_listed(const char *list, const char *id);
/* The comma-separated list as a JSON array of strings (NULL: out of
 * memory). */
json_t *hunt_list(const char *list);

/* The summary, source by source. */
struct hunt_source {
	char id[64];
	unsigned long hits, before;
	long long max_lead_s; /* the longest lead of a hit before publication */
};
struct hunt_stats {
	unsigned long events, unreadable, events_hit, hits, before;
	struct hunt_source src[HUNT_MAX_SOURCES];
	size_t nsrc;
	unsigned long other_sources; /* hits of sources past HUNT_MAX_SOURCES */
};
void hunt_count(struct hunt_stats *, const struct hunt_event *);

#endif
