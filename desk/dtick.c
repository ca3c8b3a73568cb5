/*
 * dtick.c: the desk's periodic work, every ten seconds: closed incidents
 * past the retention forgotten (in memory and in Redis), mutes past their
 * end, the gauges, alerts the stream trimmed before the desk read them;
 * each source's measured triangle (a change of its weak
 * side logged, the figures stored for sankakud); the suppression list
 * and the sightings (dsuppress.c, dpush.c) when their time comes.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <hiredis/hiredis.h>

#include "desk.h"
#include "isog.h"
#include "log.h"

static const char purge_script[] =
    "local ids = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], "
    "'LIMIT', 0, 500)\n"
    "for _, id in ipairs(ids) do redis.call('DEL', ARGV[2] .. id) end\n"
    "if #ids > 0 then redis.call('ZREM', KEYS[1], unpack(ids)) end\n"
    "return #ids\n";

/* How many stream entries the group has never read though they were
 * added (Redis' lag) less those still after its last read: entries the
 * stream's cap trimmed before the desk read them.  Against the count
 * already told (KEYS[2]), kept across restarts: what is new since. */
static const char unread_script[] =
    "local gs = redis.pcall('XINFO', 'GROUPS', KEYS[1])\n"
    "if gs.err then return 0 end\n"
    "for _, g in ipairs(gs) do\n"
    "  local f = {}\n"
    "  for i = 1, #g, 2 do f[g[i]] = g[i + 1] end\n"
    "  if f['name'] == ARGV[1] then\n"
    "    if not f['lag'] then return 0 end\n"
    "    local after = redis.call('XRANGE', KEYS[1],\n"
    "      '(' .. f['last-delivered-id'], '+', 'COUNT', 10001)\n"
    "    if #after > 10000 then return 0 end\n"
    "    local lost = f['lag'] - #after\n"
    "    local told = tonumber(redis.call('GET', KEYS[2]))\n"
    "    if told ~= lost then redis.call('SET', KEYS[2], lost) end\n"
    "    if told == nil or lost < told then return 0 end\n"
    "    return lost - told\n"
    "  end\n"
    "end\n"
    "return 0\n";

static void
d_unread_cb(redisAsyncContext *ac, void *r, void *priv)
{
	struct desk *d = ((struct link_tag *)priv)->owner;
	redisReply *reply;

	(void)ac;
	if ((reply = desk_reply(d, r, priv)) == NULL ||
	    reply->type != REDIS_REPLY_INTEGER || reply->integer <= 0)
		return;
	d->m.unread += (unsigned long)reply->integer;
	log_warnx("desk: %lld alerts were trimmed from %s before the desk "
		  "read them (output.stream_maxlen is smaller than the "
		  "backlog was): not counted in any incident",
	    reply->integer, d->k.stream);
}

void
desk_unread(struct desk *d)
{
	(void)desk_cmdf(d, d->main, d_unread_cb, "EVAL %s 2 %s %s desk",
	    unread_script, d->k.stream, d->k.unread);
}

/* The figures with enough data, for sankakud's enriched alerts
 * (PREFIX desk:measured, measured.h), when they changed. */
static void
d_measured(struct desk *d, json_t *m)
{
	json_t *doc = json_object(), *s;
	size_t i, f;
	char *text;

	json_array_foreach (json_object_get(m, "sources"), i, s) {
		json_t *o = json_object();

		for (f = 0; f < ISOG_NSIDES; f++)
			json_object_set(o, isog_sides[f],
			    json_object_get(
				json_object_get(json_object_get(s, "measured"),
				    isog_sides[f]),
				"value"));
		json_object_set_new(
		    doc, json_string_value(json_object_get(s, "id")), o);
	}
	doc = json_pack("{s:o}", "sources", doc);
	text = json_dumps(
	    doc, JSON_COMPACT | JSON_SORT_KEYS | JSON_REAL_PRECISION(4));
	json_decref(doc);
	if (text == NULL ||
	    (d->measured_last != NULL && strcmp(text, d->measured_last) == 0)) {
		free(text);
		return;
	}
	if (link_cmdf(d->main, NULL, NULL, "SET %s %s", d->k.measured, text) ==
	    0) {
		free(d->measured_last);
		d->measured_last = text;
	} else
		free(text);
}

/* Say it once when a source's measured weak side starts (or stops)
 * disagreeing with the one it declared: the operator decides. */
static void
d_triangles(struct desk *d, json_t *m)
{
	json_t *s;
	size_t i;

	d_measured(d, m);
	json_array_foreach (json_object_get(m, "sources"), i, s) {
		const char *id = json_string_value(json_object_get(s, "id"));
		int dis = json_is_true(json_object_get(s, "disagrees")),
		    was = json_object_get(d->disagree, id) != NULL;

		if (dis && !was) {
			log_warnx("source %s: measured weak side %s, declared "
				  "%s: check its triangle in the config",
			    id,
			    json_string_value(json_object_get(
				json_object_get(s, "measured"), "weak")),
			    json_string_value(json_object_get(
				json_object_get(s, "declared"), "weak")));
			json_object_set_new(d->disagree, id, json_true());
		} else if (!dis && was) {
			log_info("source %s: measured and declared triangles "
				 "agree again",
			    id);
			json_object_del(d->disagree, id);
		}
	}
}

/* Closed incidents past the retention, in memory and in Redis; mutes
 * past their end; the gauges. */
void
desk_tick(struct desk *d, time_t now, int loaded)
{
	const char *k;
	json_t *v;
	void *tmp;
	long open = 0, closed = 0;
	char cutoff[32];
	json_t *m;

	json_object_foreach_safe (d->incidents, tmp, k, v) {
		if (inc_is_open(v)) {
			open++;
			continue;
		}
		if (inc_idle(v, now) >
		    (double)d->cfg->desk_retention_days * 86400) {
			json_object_del(d->ind_ix, k);
			json_object_del(d->incidents, k);
		} else
			closed++;
	}
	d->m.open = open;
	d->m.closed = closed;
	/* the rest never from a half-loaded set: what is stored, written
	 * and pushed is figured from the incidents (and the push forgets
	 * what the export no longer holds) */
	if (!loaded)
		return;
	snprintf(cutoff, sizeof(cutoff), "%lld",
	    ((long long)now - d->cfg->desk_retention_days * 86400LL) * 1000);
	(void)link_cmdf(d->main, NULL, NULL, "EVAL %s 1 %s %s %s", purge_script,
	    d->k.closed, cutoff, d->k.incident);
	desk_unread(d);
	(void)desk_mutes_expire(d, now);
	/* measured once for both: it walks every incident */
	if ((m = sources_measure(d->incidents, d->cfg, now)) != NULL)
		d_triangles(d, m);
	desk_suppress_write(d, m);
	json_decref(m);
	desk_sightings_write(d, now);
}
