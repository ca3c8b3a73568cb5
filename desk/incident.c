/*
 * incident.c: an incident, its times and history, and the alerts read
 * from the stream (see incident.h).  The alerts' side (counting them in)
 * is in inc_take.c, the people's side (actions) in inc_act.c, who and
 * what in who.c.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "evscan.h"
#include "evstr.h"
#include "incident.h"
#include "isog.h"
#include "isog_flow.h"
#include "log.h"
#include "reference.h"

/* A field's text into out as evscan_text gives it, but cut between
 * characters to fit: a long signature is shown in part rather than not
 * at all. */
static void
field_cut(const struct evscan *ev, int f, char *out, size_t len)
{
	if (ev->f[f].p == NULL || evstr_cstr_cut(&ev->f[f], out, len) == NULL)
		out[0] = '\0';
}

/* A list's string, copied into the batch's strings; NULL when it does
 * not fit in len - 1 bytes (too long to be an id: passed over). */
static const char *
list_str(struct arena *strs, const struct evstr *v, size_t len)
{
	char tmp[DALERT_REF_ID + 1];
	char *s;

	if (len > sizeof(tmp) || evstr_cstr(v, tmp, len) == NULL)
		return NULL;
	if ((s = arena_strndup(strs, tmp, strlen(tmp))) == NULL)
		fatalx("desk: out of memory"); /* its entry stays pending */
	return s;
}

/* A value of up to max bytes, copied into the batch's strings; "" when
 * absent, longer, or holding a NUL. */
static const char *
long_str(struct arena *strs, const struct evstr *v, size_t max)
{
	char *s;

	/* an escaped value is longer than what it decodes to */
	if (v->p == NULL || (!v->escaped && v->len > max) || v->len > 6 * max)
		return "";
	if ((s = arena_alloc(strs, v->len + 1)) == NULL)
		fatalx("desk: out of memory"); /* its entry stays pending */
	if (evstr_cstr(v, s, v->len + 1) == NULL || strlen(s) > max)
		return "";
	return s;
}

int
dalert_parse(const char *buf, size_t len, struct dalert *a, struct arena *strs,
    char *err, size_t errlen)
{
	struct evscan ev;
	char sid[24];
	const char *x, *y;
	size_t i;
	/* sankakud wrote it: what the desk does not take is passed over */
	int rc = evscan_lax(buf, len, &ev);

	/* every field is written below; the lists by their counts */
	a->sid = 0;
	a->nsources = a->nrefs = a->npubs = 0;
	a->entry[0] = '\0';
	if (rc == -1 || ev.not_object) {
		snprintf(err, errlen, "not a JSON object: %s at byte %zu",
		    rc == -1 ? ev.err : "another value", ev.err_pos);
		return -1;
	}
	evscan_text(&ev, F_SK_ID, a->id, sizeof(a->id));
	evscan_text(&ev, F_SK_PHASE, a->phase, sizeof(a->phase));
	if (a->id[0] == '\0' || isog_phase_find(a->phase) == NULL) {
		snprintf(err, errlen,
		    "not an enriched alert: no sankaku.id, "
		    "or no known sankaku.phase");
		return -1;
	}
	evscan_text(&ev, F_SK_KPI, a->kpi, sizeof(a->kpi));
	evscan_text(&ev, F_SK_EVIDENCE, a->evidence, sizeof(a->evidence));
	evscan_text(&ev, F_SK_TLP, a->tlp, sizeof(a->tlp));
	evscan_text(&ev, F_TIMESTAMP, a->ts, sizeof(a->ts));
	evscan_text(&ev, F_SRC_IP, a->src, sizeof(a->src));
	evscan_text(&ev, F_DEST_IP, a->dst, sizeof(a->dst));
	field_cut(&ev, F_SIGNATURE, a->signature, sizeof(a->signature));
	evscan_text(&ev, F_SK_IND_TYPE, a->ind_type, sizeof(a->ind_type));
	a->ind_value = long_str(strs, &ev.f[F_SK_IND_VALUE], DALERT_IND_VALUE);
	evscan_text(&ev, F_SIGNATURE_ID, sid, sizeof(sid));
	a->sid = strtoll(sid, NULL, 10);
	for (i = 0; i < ev.nm[M_SK_SOURCES] && a->nsources < INC_MAX_SOURCES;
	     i++)
		if ((x = list_str(strs, &ev.m[M_SK_SOURCES][i],
			 DALERT_SOURCE_ID + 1)) != NULL)
			a->sources[a->nsources++] = x;
	evscan_text(
	    &ev, F_SK_IND_PUBLISHED, a->published, sizeof(a->published));
	/* refs come as {source, id} pairs: taken only when they pair up */
	for (i = 0; ev.nm[M_SK_REF_SOURCE] == ev.nm[M_SK_REF_ID] &&
	     i < ev.nm[M_SK_REF_ID] && a->nrefs < INC_MAX_SOURCES;
	     i++)
		if ((x = list_str(strs, &ev.m[M_SK_REF_SOURCE][i],
			 DALERT_SOURCE_ID + 1)) != NULL &&
		    (y = list_str(strs, &ev.m[M_SK_REF_ID][i],
			 DALERT_REF_ID + 1)) != NULL) {
			a->ref_source[a->nrefs] = x;
			a->ref_id[a->nrefs++] = y;
		}
	for (i = 0; ev.nm[M_SK_PUB_SOURCE] == ev.nm[M_SK_PUB_TIME] &&
	     i < ev.nm[M_SK_PUB_TIME] && a->npubs < INC_MAX_SOURCES;
	     i++)
		if ((x = list_str(strs, &ev.m[M_SK_PUB_SOURCE][i],
			 DALERT_SOURCE_ID + 1)) != NULL &&
		    (y = list_str(strs, &ev.m[M_SK_PUB_TIME][i],
			 sizeof(a->published))) != NULL &&
		    time_parse(y) != (time_t)-1) {
			a->pub_source[a->npubs] = x;
			a->pub_time[a->npubs++] = y;
		}
	return 0;
}

const char *
dalert_asset(struct dalert *a, const struct cfg *cfg)
{
	int s = cidr_list_has(cfg->home_net, cfg->nhome_net, a->src);
	int d = cidr_list_has(cfg->home_net, cfg->nhome_net, a->dst);
	char *host;

	/* an inside host reaching out, or (both inside) the one showing
	 * signs of compromise; else the target */
	if ((s && !d) ||
	    (s && d &&
		(strcmp(a->evidence, "compromise") == 0 ||
		    strcmp(a->evidence, "policy") == 0)))
		host = a->src;
	else
		host = a->dst[0] != '\0' ? a->dst : a->src;
	/* Suricata writes IPv6 in full: the canonical form, once */
	cidr_canon_addr(host, sizeof(a->src));
	return host;
}

double
inc_idle(const json_t *inc, time_t now)
{
	time_t u =
	    time_parse(json_string_value(json_object_get(inc, "updated_at")));

	return u == (time_t)-1 ? 1e18 : difftime(now, u);
}

json_t *
inc_phase_obj(const char *id)
{
	const struct isog_phase *p = isog_phase_find(id);

	if (p == NULL)
		return json_pack("{s:s}", "id", id);
	return json_pack(
	    "{s:s, s:s, s:s}", "id", p->id, "ja", p->ja, "en", p->en);
}

/* {"ja", "en"} of a KPI category, or null. */
static json_t *
kpi_name(const char *id)
{
	const struct isog_kpi *k = id != NULL ? isog_kpi_find(id) : NULL;

	return k != NULL ? json_pack("{s:s, s:s}", "ja", k->ja, "en", k->en)
			 : json_null();
}

void
inc_set_kpi(json_t *inc, const char *kpi)
{
	if (kpi == NULL || isog_kpi_find(kpi) == NULL)
		return;
	json_object_set_new(inc, "kpi", json_string(kpi));
	json_object_set_new(inc, "kpi_name", kpi_name(kpi));
}

json_t *
inc_new(const char *id, const char *asset, const char *cve, const char *phase,
    const char *kpi, const struct cfg *cfg, time_t now)
{
	char t[32];
	json_t *inc;

	time_format(now, t, sizeof(t));
	inc = json_pack(
	    "{s:s, s:s, s:o, s:o, s:o, s:s, s:s, s:n, s:n, s:n,"
	    " s:n, s:n, s:{s:i, s:n, s:n, s:[], s:{}}, s:[], s:[], s:[],"
	    " s:[], s:{}, s:n, s:[]}",
	    "id", id, "state", "open", "asset",
	    asset != NULL ? json_string(asset) : json_null(), "cve",
	    cve != NULL ? json_string(cve) : json_null(), "phase",
	    inc_phase_obj(phase), "opened_at", t, "updated_at", t, "closed_at",
	    "owner", "verdict", "kpi", "kpi_name", "alerts", "count", 0,
	    "first", "last", "recent", "entries", "signatures", "indicators",
	    "sources", "history", "checklist", "closed_from", "peers");
	if (inc == NULL)
		return NULL;
	inc_set_kpi(inc, kpi);
	inc_refresh(inc, cfg);
	return inc;
}

int
inc_is_open(const json_t *inc)
{
	const char *state = json_string_value(json_object_get(inc, "state"));

	return state != NULL && strcmp(state, "open") == 0;
}

const char *
inc_phase_id(const json_t *inc)
{
	return json_string_value(
	    json_object_get(json_object_get(inc, "phase"), "id"));
}

/* A JSON string of s, made UTF-8 if a cut or a byte left it otherwise
 * (jansson takes nothing else, and the note would be lost). */
static json_t *
text(const char *s)
{
	json_t *v = json_string(s);
	char *c;

	if (v != NULL || (c = strdup(s)) == NULL)
		return v;
	evstr_utf8_fix(c);
	v = json_string(c);
	free(c);
	return v;
}

json_t *
inc_history(json_t *inc, const struct desk_who *who, const char *action,
    const char *from, const char *to, json_t *decision, const char *note,
    time_t now)
{
	json_t *h = json_object_get(inc, "history"), *e;
	char t[32];
	size_t i;

	time_format(now, t, sizeof(t));
	e = json_pack("{s:s, s:{s:s, s:o}, s:s}", "at", t, "by", "user",
	    who->user, "team",
	    who->team != NULL ? json_string(who->team) : json_null(), "action",
	    action);
	if (e == NULL)
		return NULL;
	if (from != NULL)
		json_object_set_new(e, "from", json_string(from));
	if (to != NULL)
		json_object_set_new(e, "to", json_string(to));
	if (decision != NULL)
		json_object_set_new(e, "decision", decision);
	if (note != NULL)
		json_object_set_new(e, "note", text(note));
	/* bounded: past the cap the oldest plain note goes first */
	if (json_array_size(h) >= INC_MAX_HISTORY)
		for (i = 0; i < json_array_size(h); i++)
			if (strcmp(json_string_value(json_object_get(
				       json_array_get(h, i), "action")),
				"note") == 0) {
				json_array_remove(h, i);
				break;
			}
	json_object_set_new(inc, "updated_at", json_string(t));
	return json_array_append_new(h, e) == 0 ? e : NULL;
}

void
inc_history_cite(json_t *e, const struct dalert *a)
{
	json_t *sig = text(a->signature);

	if (e == NULL || sig == NULL) {
		json_decref(sig);
		return;
	}
	json_object_set_new(e, "alert",
	    json_pack("{s:s, s:I, s:o, s:s}", "id", a->id, "sid",
		(json_int_t)a->sid, "signature", sig, "evidence", a->evidence));
}

/* The element of arr whose member key equals v's, or NULL. */
static json_t *
find_by(json_t *arr, const char *key, const json_t *v)
{
	json_t *x;
	size_t i;

	json_array_foreach (arr, i, x)
		if (json_equal(json_object_get(x, key), v))
			return x;
	return NULL;
}

/* into gets from's numbers. */
static void
merge_numbers(json_t *from, json_t *into)
{
	json_t *fa = json_object_get(from, "alerts"),
	       *ia = json_object_get(into, "alerts"),
	       *isigs = json_object_get(into, "signatures"), *x, *y;
	size_t i;

	json_object_set_new(ia, "count",
	    json_integer(json_integer_value(json_object_get(ia, "count")) +
		json_integer_value(json_object_get(fa, "count"))));
	inc_times_widen(ia, fa);
	json_array_foreach (json_object_get(fa, "recent"), i, x)
		inc_recent_add(ia, json_string_value(x),
		    json_string_value(json_object_get(
			json_object_get(fa, "entries"), json_string_value(x))));
	json_array_foreach (json_object_get(from, "signatures"), i, x) {
		if ((y = find_by(isigs, "sid", json_object_get(x, "sid"))) !=
		    NULL)
			json_object_set_new(y, "count",
			    json_integer(json_integer_value(
					     json_object_get(y, "count")) +
				json_integer_value(
				    json_object_get(x, "count"))));
		else if (json_array_size(isigs) < INC_MAX_SIGS)
			json_array_append(isigs, x);
	}
}

void
inc_merge(json_t *from, json_t *into, const struct desk_who *who, time_t now)
{
	char t[32], note[128];
	json_t *x;
	size_t i;

	merge_numbers(from, into);
	json_array_foreach (json_object_get(from, "indicators"), i, x)
		if (json_array_size(json_object_get(into, "indicators")) <
		    INC_MAX_INDICATORS)
			json_array_append(
			    json_object_get(into, "indicators"), x);
	json_array_foreach (json_object_get(from, "peers"), i, x)
		inc_peer_add(into, json_string_value(json_object_get(x, "ip")),
		    json_string_value(json_object_get(x, "end")),
		    json_integer_value(json_object_get(x, "count")), NULL);
	json_array_foreach (json_object_get(from, "sources"), i, x)
		if (find_by(json_object_get(into, "sources"), "id",
			json_object_get(x, "id")) == NULL)
			json_array_append(json_object_get(into, "sources"), x);
	snprintf(note, sizeof(note), "merged from %s",
	    json_string_value(json_object_get(from, "id")));
	/* each entry names the other incident */
	json_object_set(
	    inc_history(into, who, "merge", NULL, NULL, NULL, note, now),
	    "incident", json_object_get(from, "id"));
	snprintf(note, sizeof(note), "merged into %s",
	    json_string_value(json_object_get(into, "id")));
	time_format(now, t, sizeof(t));
	json_object_set(from, "closed_from", json_object_get(from, "phase"));
	json_object_set_new(from, "state", json_string("closed"));
	json_object_set_new(from, "closed_at", json_string(t));
	json_object_set_new(from, "verdict", json_string("duplicate"));
	json_object_set(from, "merged_into", json_object_get(into, "id"));
	json_object_set(
	    inc_history(from, who, "merge", NULL, NULL, NULL, note, now),
	    "incident", json_object_get(into, "id"));
}
