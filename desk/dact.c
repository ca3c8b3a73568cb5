/*
 * dact.c: what people do at the desk, and what opens incidents besides
 * alerts (see desk.h).
 *
 * An action is applied in memory, answered, and stored at once on the
 * main link (after any batch already going out: the order holds).
 * Should Redis refuse it, the desk reloads from Redis and says so.
 *
 * Mutes: an (sid, src, dst) tuple, or a sid alone, for a time: matching
 * alerts are counted on the mute instead of opening or joining an
 * incident.  CVEs: sankaku-rules lists the vulnerabilities the feeds
 * shared (sankaku-cves.json); each one the desk has not seen opens a
 * triage incident (初動対応要否判断), KPI indirect-activity: the flow
 * starts with information arriving, before any alert.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <hiredis/hiredis.h>

#include "desk.h"
#include "evstr.h"
#include "log.h"
#include "xmalloc.h"

#define MUTE_MAX_S (30 * 86400)
#define MUTES_MAX 1000

static void
put_cb(redisAsyncContext *ac, void *r, void *priv)
{
	redisReply *reply = r;

	(void)ac;
	(void)priv;
	if (reply == NULL || reply->type != REDIS_REPLY_INTEGER)
		log_error("desk: an action could not be stored (%.120s); it "
			  "is lost if the desk restarts",
		    reply != NULL && reply->type == REDIS_REPLY_ERROR
			? reply->str
			: "Redis went away");
}

/* Store incidents changed outside a batch (the script publishes them on
 * Redis), and tell the console's event streams. */
static void
store(struct desk *d, json_t *changed, int with_mutes)
{
	struct argvb b = {0};
	const char *k;
	json_t *v;

	/* actions (a merge above all) change indicators: indexed again */
	json_object_foreach (changed, k, v)
		json_object_del(d->ind_ix, k);
	dstore_commit(&b, NULL, d, NULL, changed, NULL, with_mutes);
	if (link_cmd(d->main, put_cb, NULL, (int)b.n, b.v, b.len) != 0)
		log_error("desk: Redis unreachable: an action is not stored "
			  "yet");
	argvb_free(&b);
	json_object_foreach (changed, k, v)
		desk_publish(d, v, NULL);
	/* a verdict may change what is left out */
	desk_suppress_write(d, NULL);
}

/* A member that must be a string if present; -1 if it is not. */
static int
opt_string(json_t *body, const char *key, const char **out)
{
	json_t *v = json_object_get(body, key);

	*out = NULL;
	if (v == NULL || json_is_null(v))
		return 0;
	if (!json_is_string(v))
		return -1;
	*out = json_string_value(v);
	return 0;
}

/* The asset's open incident is this one, or no longer. */
static void
reindex(struct desk *d, json_t *inc)
{
	json_t *asset = json_object_get(inc, "asset");
	const char *id = json_string_value(json_object_get(inc, "id"));
	const char *cur;

	if (!json_is_string(asset))
		return;
	cur = json_string_value(
	    json_object_get(d->by_asset, json_string_value(asset)));
	if (inc_is_open(inc))
		json_object_set_new(
		    d->by_asset, json_string_value(asset), json_string(id));
	else if (cur != NULL && strcmp(cur, id) == 0)
		json_object_del(d->by_asset, json_string_value(asset));
}

static int
act_merge(struct desk *d, json_t *inc, json_t *body, const struct desk_who *who,
    char *err, size_t errlen)
{
	const char *into_id;
	json_t *into, *changed;

	if (opt_string(body, "into", &into_id) != 0 || into_id == NULL) {
		snprintf(err, errlen, "merge needs \"into\": an incident id");
		return 400;
	}
	if (!inc_is_open(inc)) {
		snprintf(
		    err, errlen, "the incident is closed: reopen it first");
		return 409;
	}
	if ((into = json_object_get(d->incidents, into_id)) == NULL) {
		snprintf(err, errlen, "no incident %.60s", into_id);
		return 404;
	}
	if (into == inc || !inc_is_open(into)) {
		snprintf(err, errlen, "merge into another open incident");
		return 409;
	}
	inc_merge(inc, into, who, time(NULL));
	reindex(d, inc);
	changed = json_object();
	json_object_set(
	    changed, json_string_value(json_object_get(inc, "id")), inc);
	json_object_set(changed, into_id, into);
	store(d, changed, 0);
	json_decref(changed);
	return 200;
}

/* A mute's key: "sid" or "sid src dst". */
static int
act_mute(struct desk *d, json_t *inc, json_t *body, const struct desk_who *who,
    char *err, size_t errlen)
{
	json_t *sid = json_object_get(body, "sid"),
	       *dur = json_object_get(body, "duration_s"), *m, *changed, *entry;
	const char *src, *dst, *note;
	long long secs = 86400;
	time_t now = time(NULL);
	char key[160], until[32], text[300];

	if (!json_is_integer(sid) || json_integer_value(sid) <= 0 ||
	    opt_string(body, "src", &src) != 0 ||
	    opt_string(body, "dst", &dst) != 0 ||
	    opt_string(body, "note", &note) != 0 ||
	    (src != NULL && strlen(src) > 64) ||
	    (dst != NULL && strlen(dst) > 64)) {
		snprintf(err, errlen,
		    "mute needs \"sid\" (a positive "
		    "integer), and may name \"src\" and "
		    "\"dst\" addresses");
		return 400;
	}
	if (dur != NULL) {
		if (!json_is_integer(dur) || json_integer_value(dur) < 60 ||
		    json_integer_value(dur) > MUTE_MAX_S) {
			snprintf(
			    err, errlen, "duration_s: 60 to %d", MUTE_MAX_S);
			return 400;
		}
		secs = json_integer_value(dur);
	}
	if (json_object_size(d->mutes) >= MUTES_MAX) {
		snprintf(err, errlen, "%d mutes already", MUTES_MAX);
		return 409;
	}
	snprintf(key, sizeof(key), "%lld %s %s",
	    (long long)json_integer_value(sid), src != NULL ? src : "*",
	    dst != NULL ? dst : "*");
	time_format(now + (time_t)secs, until, sizeof(until));
	m = json_pack("{s:I, s:s, s:s, s:s, s:s, s:o, s:i, s:s}", "sid",
	    json_integer_value(sid), "src", src != NULL ? src : "*", "dst",
	    dst != NULL ? dst : "*", "until", until, "by", who->user, "team",
	    who->team != NULL ? json_string(who->team) : json_null(), "count",
	    0, "incident", json_string_value(json_object_get(inc, "id")));
	json_object_set_new(d->mutes, key, m);
	snprintf(text, sizeof(text), "muted %s until %s%s%.*s", key, until,
	    note != NULL ? ": " : "",
	    note != NULL ? (int)evstr_prefix(note, 200) : 0,
	    note != NULL ? note : "");
	entry = inc_history(inc, who, "mute", NULL, NULL, NULL, text, now);
	/* what was muted, for a reader to say in their own language (the
	 * note as given, apart) */
	m = json_pack("{s:s, s:s}", "key", key, "until", until);
	if (m != NULL && note != NULL)
		json_object_set_new(
		    m, "note", json_stringn(note, evstr_prefix(note, 200)));
	json_object_set_new(entry, "mute", m);
	changed = json_object();
	json_object_set(
	    changed, json_string_value(json_object_get(inc, "id")), inc);
	store(d, changed, 1);
	json_decref(changed);
	return 200;
}

int
desk_act(struct desk *d, const char *id, json_t *body,
    const struct desk_who *who, json_t **out, char *err, size_t errlen)
{
	json_t *inc = json_object_get(d->incidents, id), *item, *done, *changed;
	struct inc_action a;
	int code;

	*out = NULL;
	if (inc == NULL) {
		snprintf(err, errlen, "no incident %.60s", id);
		return 404;
	}
	memset(&a, 0, sizeof(a));
	item = json_object_get(body, "item");
	done = json_object_get(body, "done");
	if (!json_is_object(body) ||
	    opt_string(body, "action", &a.action) != 0 || a.action == NULL ||
	    opt_string(body, "decision", &a.decision) != 0 ||
	    opt_string(body, "verdict", &a.verdict) != 0 ||
	    opt_string(body, "note", &a.note) != 0 ||
	    opt_string(body, "user", &a.user) != 0 ||
	    (item != NULL && !json_is_integer(item)) ||
	    (done != NULL && !json_is_boolean(done))) {
		snprintf(err, errlen,
		    "a JSON object with \"action\" (and "
		    "strings decision, verdict, note, user)");
		return 400;
	}
	{
		json_t *ind = json_object_get(body, "indicator");

		a.ind_type = json_string_value(json_object_get(ind, "type"));
		a.ind_value = json_string_value(json_object_get(ind, "value"));
	}
	a.item = item != NULL ? (long)json_integer_value(item) : -1;
	a.done = done == NULL || json_is_true(done);
	if (strcmp(a.action, "merge") == 0)
		code = act_merge(d, inc, body, who, err, errlen);
	else if (strcmp(a.action, "mute") == 0)
		code = act_mute(d, inc, body, who, err, errlen);
	else {
		code = inc_act(inc, &a, who, d->cfg, time(NULL), err, errlen);
		if (code == 200) {
			reindex(d, inc);
			changed = json_object();
			json_object_set(changed, id, inc);
			store(d, changed, 0);
			json_decref(changed);
		}
	}
	if (code == 200) {
		d->m.actions++;
		*out = json_incref(inc);
	} else
		d->m.refused++;
	return code;
}

int
desk_muted(struct desk *d, const struct dalert *a, time_t now)
{
	char key[3][160], until[32];
	json_t *m;
	size_t i;

	if (json_object_size(d->mutes) == 0)
		return 0; /* the common case: nothing muted */
	time_format(now, until, sizeof(until));
	snprintf(key[0], sizeof(key[0]), "%lld %s %s", a->sid, a->src, a->dst);
	snprintf(key[1], sizeof(key[1]), "%lld * *", a->sid);
	snprintf(key[2], sizeof(key[2]), "%lld %s %s", a->sid, a->dst, a->src);
	for (i = 0; i < 3; i++)
		if ((m = json_object_get(d->mutes, key[i])) != NULL &&
		    json_is_object(m) &&
		    strcmp(json_string_value(json_object_get(m, "until")),
			until) > 0) {
			json_object_set_new(m, "count",
			    json_integer(json_integer_value(
					     json_object_get(m, "count")) +
				1));
			return 1;
		}
	return 0;
}

int
desk_mutes_expire(struct desk *d, time_t now)
{
	char until[32];
	const char *k;
	json_t *m;
	int any = 0;

	time_format(now, until, sizeof(until));
	json_object_foreach (d->mutes, k, m)
		if (json_is_object(m) &&
		    strcmp(json_string_value(json_object_get(m, "until")),
			until) <= 0) {
			json_object_set_new(d->mutes, k, json_string(""));
			any = 1;
		}
	if (any) {
		json_t *none = json_object();
		void *tmp;

		store(d, none, 1);
		json_decref(none);
		json_object_foreach_safe (d->mutes, tmp, k, m)
			if (json_is_string(m))
				json_object_del(d->mutes, k);
	}
	return any;
}

/* The CVE list's path: desk.cves, or sankaku-cves.json beside the
 * index. */
static char *
cves_path(const struct cfg *cfg)
{
	const char *slash;

	if (cfg->desk_cves[0] != '\0')
		return xstrdup(cfg->desk_cves);
	if (cfg->index_path[0] == '\0' ||
	    (slash = strrchr(cfg->index_path, '/')) == NULL)
		return NULL;
	return xasprintf("%.*s/sankaku-cves.json",
	    (int)(slash - cfg->index_path), cfg->index_path);
}

void
desk_cves(struct desk *d, time_t now)
{
	char *path = cves_path(d->cfg);
	json_t *doc, *c, *changed = json_object();
	json_error_t je;
	size_t i;

	if (path == NULL ||
	    (doc = json_load_file(path, JSON_REJECT_DUPLICATES, &je)) == NULL) {
		if (path != NULL && access(path, F_OK) == 0)
			log_error(
			    "desk: %s: line %d: %s", path, je.line, je.text);
		free(path);
		json_decref(changed);
		return;
	}
	json_array_foreach (json_object_get(doc, "cves"), i, c) {
		const char *cve = json_string_value(json_object_get(c, "id"));
		struct desk_who desk = {"sankaku-desk", NULL};
		json_t *inc, *s;
		char *id, note[400];
		size_t j;
		int n = 0;

		if (cve == NULL || strncmp(cve, "CVE-", 4) != 0 ||
		    strlen(cve) > 32 || json_object_get(d->by_cve, cve) != NULL)
			continue;
		id = desk_next_id(d, now);
		inc = inc_new(
		    id, NULL, cve, "triage", "indirect-activity", d->cfg, now);
		free(id);
		json_object_set(inc, "shared", json_object_get(c, "sources"));
		json_object_set(inc, "rules", json_object_get(c, "rules"));
		n = snprintf(note, sizeof(note), "shared by");
		json_array_foreach (json_object_get(c, "sources"), j, s)
			if (n > 0 && (size_t)n < sizeof(note) &&
			    json_is_string(json_object_get(s, "id")) &&
			    json_is_string(json_object_get(s, "published")))
				n += snprintf(note + n,
				    sizeof(note) - (size_t)n, " %.64s (%.32s)",
				    json_string_value(json_object_get(s, "id")),
				    json_string_value(
					json_object_get(s, "published")));
		inc_history(
		    inc, &desk, "open", NULL, "triage", NULL, note, now);
		desk_index(d, inc);
		json_object_set(changed,
		    json_string_value(json_object_get(inc, "id")), inc);
		json_decref(inc);
		d->m.opened++;
		log_info("desk: %s shared: triage incident opened", cve);
	}
	if (json_object_size(changed) > 0)
		store(d, changed, 0);
	json_decref(changed);
	json_decref(doc);
	free(path);
}
