/*
 * incident.h: the desk's incident, a JSON object in the shape of the
 * contract (docs/DESIGN.md, "Incident desk"), and what moves it: alerts
 * (they join, count, and raise the phase, never lower it) and people
 * (the flow chart's decisions and the other actions).  Every change of
 * phase, state, owner or verdict appends a history entry.  Pure: the
 * caller stores, publishes and says when it is.
 */
#ifndef SANKAKU_INCIDENT_H
#define SANKAKU_INCIDENT_H

#include <stddef.h>
#include <time.h>

#include <jansson.h>

#include "config.h"
#include "timeparse.h"

#define INC_RECENT 20	/* alert ids kept, latest last */
#define INC_MAX_SIGS 50 /* signatures listed (the rest counted) */
#define INC_MAX_INDICATORS 50
#define INC_MAX_PEERS 20     /* the other ends of its alerts, first come */
#define INC_MAX_SOURCES 8    /* per alert read */
#define INC_MAX_NOTE 4000    /* bytes of a note */
#define INC_MAX_HISTORY 2000 /* entries; then the oldest notes go */

/* What the desk reads of an enriched alert (either output form).  The
 * lists' strings live in the arena given to dalert_parse, with the
 * batch: a batch of alerts stays small (DESK_BATCH of them, twice). */
struct dalert {
	char id[48];	/* sankaku.id */
	char phase[40]; /* sankaku.phase(.id) */
	char kpi[32], evidence[32], tlp[16];
	char ts[40]; /* timestamp */
	char src[64], dst[64];
	char signature[256];
	long long sid;
	char ind_type[16];
	/* the indicator's value, in the arena given to dalert_parse; "" if
	 * none, or longer than DALERT_IND_VALUE */
	const char *ind_value;
	char entry[48];	    /* its stream entry id, when read from the stream */
	char published[40]; /* sankaku.indicator.published */
	/* the sources' ids (at most DALERT_SOURCE_ID bytes each) */
	const char *sources[INC_MAX_SOURCES];
	size_t nsources;
	/* sankaku.indicator.refs: each source's own id of the indicator */
	const char *ref_source[INC_MAX_SOURCES], *ref_id[INC_MAX_SOURCES];
	size_t nrefs;
	/* sankaku.indicator.published_by: each source's own publication
	 * (given when two or more sources listed it) */
	const char *pub_source[INC_MAX_SOURCES], *pub_time[INC_MAX_SOURCES];
	size_t npubs;
};
#define DALERT_SOURCE_ID 64   /* bytes of a source id */
#define DALERT_REF_ID 159     /* bytes of a source's own id */
#define DALERT_IND_VALUE 2048 /* bytes of an indicator's value (a URL) */

struct arena;
/* An alert's fields, the lists' strings into strs; 0, or -1 with why in
 * err (not JSON, not an enriched alert: no sankaku.id or phase). */
int dalert_parse(const char *buf, size_t len, struct dalert *,
    struct arena *strs, char *err, size_t errlen);
/* The host of the home network the alert is about: the inside end of an
 * alert across the border; with both ends inside, the source of signs
 * of compromise or policy, else the target.  IPv6 made canonical in
 * place. */
const char *dalert_asset(struct dalert *, const struct cfg *);

/* Who acts (an action's author). */
struct desk_who {
	const char *user;
	const char *team; /* NULL: none */
};

/* A request to act on an incident (the API's body). */
struct inc_action {
	const char *action; /* ack, assign, note, advance, share, close,
			       reopen, check, verdict; merge and mute: the
			       desk's */
	const char *decision, *verdict, *note, *user;
	const char *ind_type, *ind_value; /* verdict: which indicator */
	long item; /* check: which need of the phase (from 0) */
	int done;  /* check: ticked or not */
};

/* Seconds since the incident's last change (updated_at). */
double inc_idle(const json_t *inc, time_t now);

/* inc_check.c: whether inc (read back from Redis) has an incident's
 * shape, every member the desk and the console read of the kind they
 * read it as: 0, or -1 with the first member that is not and why in
 * err ("history[3].at: not a time ..."). */
int inc_check(json_t *inc, char *err, size_t errlen);
/* Whether s can be an incident's id: 1-64 letters, digits, '.', '_',
 * ':' or '-'. */
int inc_id_ok(const char *s);
/* Whether m (read back from Redis) is a mute (desk/dact.c): an object
 * with a time "until" and, if any, an integer "count". */
int inc_mute_ok(json_t *m);

/* A new open incident about asset (or cve: opened from shared
 * information), in phase. */
json_t *inc_new(const char *id, const char *asset, const char *cve,
    const char *phase, const char *kpi, const struct cfg *, time_t now);
/* An alert joins: counts, signatures, indicators, sources; the phase
 * goes up if the alert's is further along the flow (1 then, with a
 * history entry saying why), else 0.  ix: NULL, or an object kept with
 * the incident that indexes its indicators and its peers (each filled
 * the first time it is needed; drop it when the incident changes
 * otherwise). */
int inc_take_alert(json_t *, const struct dalert *, const struct cfg *,
    time_t now, json_t *ix);
/* inc_take.c: the n alerts v (in order) of one incident at once, as
 * taking each would; how many moved the phase. */
int inc_take_alerts(json_t *, const struct dalert *const *v, size_t n,
    const struct cfg *, time_t now, json_t *ix);
/* incident.c, for inc_take.c: a phase's {"id", "ja", "en"}; the KPI
 * and its names set; the current phase's id. */
json_t *inc_phase_obj(const char *id);
void inc_set_kpi(json_t *, const char *kpi);
const char *inc_phase_id(const json_t *);
/* Whether the incident is open (its state, which inc_check made sure
 * of). */
int inc_is_open(const json_t *);
/* inc_take.c: alerts.first and .last (al) widened to take in another
 * incident's (other, its alerts; a merge), by the times themselves,
 * their UTC offsets honoured, as taking alerts widens them: alerts do
 * not arrive in order (Suricata's threads, several sensors, a capture
 * read again); what is not a time changes nothing. */
void inc_times_widen(json_t *al, json_t *other);
/* inc_take.c: an alert id (and its stream entry, if known) into the
 * incident's alerts.recent, the latest INC_RECENT kept. */
void inc_recent_add(json_t *alerts, const char *id, const char *entry);
/* Act: 200, or 400/409 with err (the incident unchanged). */
int inc_act(json_t *, const struct inc_action *, const struct desk_who *,
    const struct cfg *, time_t now, char *err, size_t errlen);
/* from's alerts, signatures, indicators and sources go into into; from
 * is closed as a duplicate of into; both get a history entry. */
void inc_merge(json_t *from, json_t *into, const struct desk_who *, time_t now);
/* Append a history entry (decision NULL-able, note may be NULL): the
 * entry (borrowed, for the caller to add to), or NULL. */
json_t *inc_history(json_t *, const struct desk_who *, const char *action,
    const char *from, const char *to, json_t *decision, const char *note,
    time_t now);

/* A history entry (of inc_history; NULL: nothing) cites the alert that
 * made it, for a reader to put in words of their own language:
 * "alert": {"id", "sid", "signature", "evidence"} (evidence "" when the
 * alert had none). */
void inc_history_cite(json_t *entry, const struct dalert *);

/* who, what and teams of the current phase, from the config
 * (who.c). */
void inc_refresh(json_t *, const struct cfg *);
/* The role objects of a phase: code, names, team, sourcing, maturity,
 * weak. */
json_t *who_of_phase(const char *phase, const struct cfg *);
/* The organisation as the console draws it: the pattern, the teams, who
 * acts in each phase, the functions with their roles and mean maturity,
 * the flow chart's decisions, the KPI categories. */
json_t *who_organisation(const struct cfg *);

/* sources.c: the verdict that counts for indicator x of inc: its own
 * (the action "verdict"), else the incident's; NULL: none. */
const char *inc_indicator_verdict(json_t *inc, json_t *x);
/* What a verdict says of an indicator: 1 true (true-positive), -1 false
 * (false-positive, benign: it led to nothing bad), 0 nothing (duplicate,
 * none). */
int inc_verdict_kind(const char *verdict);
/* sources.c: {"sources": [{"id", "name", "declared", "measured",
 * "disagrees"}], "window_days", "min_verdicts"} from the closed
 * incidents' verdicts (the definitions are at the top of sources.c);
 * NULL if out of memory. */
json_t *sources_measure(json_t *incidents, const struct cfg *, time_t now);

/* sources.c: {"suppressed": [{"type", "value", "reason",
 * "verdicts", "since", "until"}], "second_source": [...]}: the
 * indicators judged false often enough and never true, for sankaku-rules
 * to leave out, and the sources that need a second source. */
json_t *sources_suppress(
    json_t *incidents, const struct cfg *, time_t now, json_t *measured);
/* sources.c: [{"id", "reason": "accuracy", "accuracy", "n",
 * "floor_pct"}]: the sources whose measured accuracy fell below
 * desk.accuracy_floor_pct ([] when it is 0).  measured: what
 * sources_measure gave for the same incidents and now, or NULL to figure
 * it here (for both functions). */
json_t *sources_second(
    json_t *incidents, const struct cfg *, time_t now, json_t *measured);

/* inc_peers.c: an incident's "peers", the other ends its alerts saw
 * acting against it ([{"ip", "end", "count"}]: the source of an attack,
 * a scan or a blocked attempt, either end of signs of compromise; never
 * from a shared indicator's alert or a policy one; end "src" or "dst":
 * where it stood in the first of them; at most INC_MAX_PEERS, first
 * come).  inc_peer_of: such an alert's other end from the incident's
 * host, canonical, into out, and where it stands, or NULL.
 * inc_peer_add: count ip add more times (the array made for an incident
 * stored before it); ix: the index kept beside the incident
 * (inc_take_alerts), or NULL. */
const char *inc_peer_of(const json_t *inc, const struct dalert *, char out[64]);
void inc_peer_add(
    json_t *inc, const char *ip, const char *end, json_int_t add, json_t *ix);

/* inc_notice.c: the line a team chat gets (desk.notify) when the
 * incident opens (opened) or reaches another phase, in English or
 * Japanese, with a link to it in the console when link is not "": the
 * values made to read as themselves in chat markup.  malloc'd. */
char *inc_notice(const json_t *inc, int opened, int en, const char *link);

/* inc_report.c: the incident as we would share it (becoming a sender):
 * only its peers that are not ours, not private and not a feed's
 * indicator; format "stix" (a STIX 2.1 bundle with a report) or "misp"
 * (an /events/add body); tlp: clear, green, amber or amber+strict;
 * identity: who we say we are ("" or NULL: anonymous).  NULL with *code
 * 400 (a bad format or TLP) or 409 (closed as no true positive, nothing
 * of our own) and why in err. */
json_t *inc_report(const json_t *inc, const struct cfg *, const char *format,
    const char *tlp, const char *identity, int *code, char *err, size_t errlen);

/* sightings.c: one source's own indicators as we saw them, to send back:
 * format "stix" (a STIX 2.1 bundle) or "misp" (bodies of
 * /sightings/add); since: incidents changed from then on (NULL: all);
 * identity: who we say we are ("" or NULL: anonymous).  NULL with err
 * for an unknown source or format. */
json_t *sightings_export(json_t *incidents, const struct cfg *,
    const char *source, const char *format, const char *since,
    const char *identity, time_t now, char *err, size_t errlen);

#endif
