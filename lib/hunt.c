/*
 * hunt.c: past EVE events against the indicator index (see hunt.h).
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cidr.h"
#include "evscan.h"
#include "evstr.h"
#include "hunt.h"
#include "timeparse.h"

int
hunt_listed(const char *list, const char *id)
{
	size_t n = strlen(id);
	const char *p = list;

	while (p != NULL && *p != '\0') {
		if (strncmp(p, id, n) == 0 && (p[n] == ',' || p[n] == '\0'))
			return 1;
		if ((p = strchr(p, ',')) != NULL)
			p++;
	}
	return 0;
}

/* When source id published e: its own time from published_by (given
 * when two or more sources listed it), else the earliest; -1 if none. */
static time_t
published_by(const struct idx_entry *e, const char *id)
{
	const char *p = e->published_by;
	size_t n = id != NULL ? strlen(id) : 0;

	while (id != NULL && p != NULL && *p != '\0' && strcmp(p, "-") != 0) {
		if (strncmp(p, id, n) == 0 && p[n] == '=') {
			char t[40];
			size_t k = strcspn(p + n + 1, ",");

			if (k >= sizeof(t))
				break;
			memcpy(t, p + n + 1, k);
			t[k] = '\0';
			return time_parse(t);
		}
		if ((p = strchr(p, ',')) != NULL)
			p++;
	}
	return strcmp(e->published, "-") == 0 ? (time_t)-1
					      : time_parse(e->published);
}

static int
port(const struct evscan *sc, int f)
{
	char d[8], *end;
	long n;

	evscan_text(sc, f, d, sizeof(d));
	n = strtol(d, &end, 10);
	return end != d && *end == '\0' && n >= 0 && n <= 65535 ? (int)n : -1;
}

/* Scan the line; an event whose member names are written with escapes
 * is decoded by jansson first, as sankakud does (*canon: to free). */
static int
scan(const char *line, size_t len, struct evscan *sc, char **canon, char *err,
    size_t errlen)
{
	int rv = evscan(line, len, sc);

	*canon = NULL;
	if (rv == -1) {
		snprintf(err, errlen, "not JSON: position %zu: %s", sc->err_pos,
		    sc->err);
		return -1;
	}
	if (rv == -2 && evscan_decoded(line, len, sc, canon) != 0) {
		snprintf(err, errlen, "a member name twice");
		return -1;
	}
	if (sc->not_object) {
		snprintf(err, errlen, "not a JSON object");
		return -1;
	}
	return 0;
}

int
hunt_event(const char *line, size_t len, const struct idx *idx,
    const struct cfg *cfg, const struct hunt_filter *flt, struct hunt_event *ev,
    char *err, size_t errlen)
{
	struct evscan sc;
	struct ind_cand c[IND_MAX_CANDS];
	char *canon;
	size_t n, i, k;

	memset(ev, 0, sizeof(*ev));
	if (scan(line, len, &sc, &canon, err, errlen) != 0) {
		free(canon);
		return -1;
	}
	evscan_text(&sc, F_TIMESTAMP, ev->ts, sizeof(ev->ts));
	evscan_text(&sc, F_EVENT_TYPE, ev->event_type, sizeof(ev->event_type));
	evscan_text(&sc, F_SRC_IP, ev->src, sizeof(ev->src));
	evscan_text(&sc, F_DEST_IP, ev->dst, sizeof(ev->dst));
	cidr_canon_addr(ev->src, sizeof(ev->src));
	cidr_canon_addr(ev->dst, sizeof(ev->dst));
	evscan_text(&sc, F_APP_PROTO, ev->proto, sizeof(ev->proto));
	evscan_text(&sc, F_DNS_RRNAME, ev->about, sizeof(ev->about));
	if (ev->about[0] == '\0' && sc.nm[M_DNS_QUERY_RRNAME] > 0 &&
	    evstr_cstr(&sc.m[M_DNS_QUERY_RRNAME][0], ev->about,
		sizeof(ev->about)) == NULL)
		ev->about[0] = '\0';
	if (ev->about[0] == '\0')
		evscan_text(&sc, F_TLS_SNI, ev->about, sizeof(ev->about));
	if (ev->about[0] == '\0')
		evscan_text(&sc, F_HTTP_HOSTNAME, ev->about, sizeof(ev->about));
	ev->sport = port(&sc, F_SRC_PORT);
	ev->dport = port(&sc, F_DEST_PORT);
	ev->at = ev->ts[0] != '\0' ? time_parse(ev->ts) : (time_t)-1;
	n = ind_collect(&sc, cfg, c);
	free(canon);
	for (i = 0; i < n; i++) {
		const struct idx_entry *e =
		    idx_find(idx, c[i].type, c[i].value);
		struct hunt_hit *h = &ev->hits[ev->nhits];

		if (e == NULL ||
		    (flt->source != NULL &&
			!hunt_listed(e->sources, flt->source)) ||
		    (flt->previous != NULL &&
			idx_has(flt->previous, e->type, e->value)))
			continue;
		for (k = 0; k < ev->nhits && ev->hits[k].e != e; k++)
			;
		if (k < ev->nhits)
			continue; /* the same indicator by another field */
		h->e = e;
		h->published = published_by(e, flt->source);
		if (flt->since != (time_t)-1 &&
		    (h->published == (time_t)-1 || h->published < flt->since))
			continue;
		h->lead_known =
		    h->published != (time_t)-1 && ev->at != (time_t)-1;
		h->lead_s =
		    h->lead_known ? (long long)h->published - ev->at : 0;
		ev->nhits++;
	}
	return 0;
}

/* The summary's entry of source id, made if there is room; NULL if not. */
static struct hunt_source *
source(struct hunt_stats *st, const char *id, size_t n)
{
	size_t i;

	for (i = 0; i < st->nsrc; i++)
		if (strlen(st->src[i].id) == n &&
		    strncmp(st->src[i].id, id, n) == 0)
			return &st->src[i];
	if (st->nsrc == HUNT_MAX_SOURCES || n >= sizeof(st->src[0].id))
		return NULL;
	memcpy(st->src[st->nsrc].id, id, n);
	st->src[st->nsrc].id[n] = '\0';
	return &st->src[st->nsrc++];
}

void
hunt_count(struct hunt_stats *st, const struct hunt_event *ev)
{
	size_t i;

	st->events++;
	st->events_hit += ev->nhits > 0;
	for (i = 0; i < ev->nhits; i++) {
		const struct hunt_hit *h = &ev->hits[i];
		const char *p = h->e->sources;

		st->hits++;
		st->before += h->lead_known && h->lead_s > 0;
		/* each source against its own publication */
		while (p != NULL && *p != '\0') {
			size_t n = strcspn(p, ",");
			struct hunt_source *s = source(st, p, n);
			time_t pub;

			if (s == NULL)
				st->other_sources++;
			else {
				s->hits++;
				pub = published_by(h->e, s->id);
				if (pub != (time_t)-1 && ev->at != (time_t)-1 &&
				    pub > ev->at) {
					s->before++;
					if ((long long)pub - ev->at >
					    s->max_lead_s)
						s->max_lead_s =
						    (long long)pub - ev->at;
				}
			}
			p = p[n] == ',' ? p + n + 1 : NULL;
		}
	}
}

json_t *
hunt_list(const char *list)
{
	json_t *a = json_array();
	const char *p = list;

	while (a != NULL && p != NULL && *p != '\0') {
		size_t n = strcspn(p, ",");

		json_array_append_new(a, json_stringn(p, n));
		p = p[n] == ',' ? p + n + 1 : NULL;
	}
	return a;
}

char *
hunt_alert(const char *line, size_t len, const struct hunt_hit *h, long sid)
{
	json_t *ev = json_loadb(line, len, JSON_ALLOW_NUL, NULL), *meta, *al,
	       *retro;
	const char *type = json_string_value(json_object_get(ev, "event_type"));
	char *out = NULL;

	if (!json_is_object(ev)) {
		json_decref(ev);
		return NULL;
	}
	retro = json_pack("{s:s, s:s, s:s, s:o}", "event_type",
	    type != NULL ? type : "", "indicator", h->e->value, "published",
	    h->e->published, "before_publication_s",
	    h->lead_known ? json_integer(h->lead_s) : json_null());
	meta = json_pack("{s:[s], s:o, s:[s], s:[s]}", "sankaku_ioc_type",
	    h->e->type, "sankaku_source", hunt_list(h->e->sources),
	    "sankaku_evidence", h->e->evidence, "sankaku_hunt", "retro");
	al = json_pack("{s:s, s:i, s:I, s:i, s:s, s:s, s:i, s:o}", "action",
	    "allowed", "gid", 1, "signature_id", (json_int_t)sid, "rev", 1,
	    "signature", HUNT_SIGNATURE, "category", "Potentially Bad Traffic",
	    "severity", 2, "metadata", meta);
	if (retro != NULL && al != NULL &&
	    json_object_set_new(ev, "event_type", json_string("alert")) == 0 &&
	    json_object_set(ev, "alert", al) == 0 &&
	    json_object_set(ev, "retro_hunt", retro) == 0)
		out = json_dumps(ev, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(al);
	json_decref(retro);
	json_decref(ev);
	return out;
}
