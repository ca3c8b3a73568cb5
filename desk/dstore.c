/*
 * dstore.c: the desk's keys and scripts (see desk.h).
 *
 *   PREFIX incident:<id>       the incident (JSON, as the API shows it)
 *   PREFIX incidents:open      zset: open incidents by last change (ms)
 *   PREFIX incidents:closed    zset: closed incidents by closing time
 *   PREFIX desk:seen:<start>   set: sankaku.ids counted in the window
 *                              (desk.dedup_window_s) starting then
 *                              (UTC, YYYYMMDDTHHMMSS), kept until the
 *                              next window ends: a copy of an alert
 *                              comes within seconds of it, and Redis
 *                              holds 88 bytes an id
 *   PREFIX desk:mutes          hash: mute -> JSON
 *   PREFIX desk:seq            the last incident number
 *   PREFIX desk:cves           set: CVEs that opened an incident
 *   PREFIX desk:epoch          counter: INCR at every load (fencing)
 *   PREFIX desk:measured       the sources' measured figures (JSON), which
 *                              sankakud adds to the enriched alerts
 *   PREFIX desk:unread         the stream entries the group "desk" never
 *                              read (trimmed first) that were told
 *   PREFIX desk:pushed:<src>   hash: the sightings pushed to that
 *                              source's MISP ("uuid|type|timestamp" ->
 *                              when), so each goes once
 *
 * A batch is one script: its incidents stored, its seen ids remembered,
 * its stream entries acknowledged.  A desk killed before the script ran
 * reads the same entries again (they are still pending); after, it reads
 * on.  Nothing is counted twice, nothing lost.
 *
 * Fencing: a killed desk's last script may still be in Redis' input
 * buffer and run after its successor has loaded; it would acknowledge
 * entries the successor then never reads, and the successor would
 * overwrite the counts it stored.  Every load takes a new epoch (INCR)
 * and every script carries its own: a script of an older epoch is
 * refused whole (FENCED).  A second desk on the same Redis fences the
 * first the same way: never two writers, whichever loaded last writes.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "desk.h"
#include "jdump.h"
#include "log.h"
#include "xmalloc.h"

/* KEYS: stream, this window's seen set, epoch.  ARGV: group, incident
 * prefix, open key, closed key, seq key, seq, mutes key, epoch, incidents
 * channel, team channel prefix, in how many seconds the seen set
 * expires (EXPIRE: the desk's ACL has no EXPIREAT), then counted
 * lists: entries; seen ids; incidents as (id, doc, state, score, n, n
 * teams); mutes as (field, value or "" to delete).  Each incident stored is
 * published on the channel and its teams' channels from here: the text is in
 * Redis already, and only what is stored is published. */
static const char commit_script[] =
    /* cmd on key (and arg) with the n ARGV from i, in commands of at
     * most 4000 members (Lua's unpack has a limit): one call for the
     * lot instead of one per member */
    "local function many(cmd, key, i, n, arg)\n"
    "  local j = i\n"
    "  while j < i + n do\n"
    "    local k = math.min(j + 3999, i + n - 1)\n"
    "    if arg then redis.call(cmd, key, arg, unpack(ARGV, j, k))\n"
    "    else redis.call(cmd, key, unpack(ARGV, j, k)) end\n"
    "    j = k + 1\n"
    "  end\n"
    "end\n"
    "if redis.call('GET', KEYS[3]) ~= ARGV[8] then\n"
    "  return redis.error_reply('FENCED another desk loaded since')\n"
    "end\n"
    "local g, ip, ok, ck = ARGV[1], ARGV[2], ARGV[3], ARGV[4]\n"
    "redis.call('SET', ARGV[5], ARGV[6])\n"
    "local mk, ch, tp = ARGV[7], ARGV[9], ARGV[10]\n"
    "local i = 12\n"
    "local ne = tonumber(ARGV[i]); i = i + 1\n"
    "local e = i\n"
    "i = i + ne\n"
    "local ns = tonumber(ARGV[i]); i = i + 1\n"
    "many('SADD', KEYS[2], i, ns)\n"
    "i = i + ns\n"
    "if ns > 0 then redis.call('EXPIRE', KEYS[2], ARGV[11]) end\n"
    "local ni = tonumber(ARGV[i]); i = i + 1\n"
    "for j = 1, ni do\n"
    "  local id, doc, st, sc = ARGV[i], ARGV[i+1], ARGV[i+2], ARGV[i+3]\n"
    "  i = i + 4\n"
    "  redis.call('SET', ip .. id, doc)\n"
    "  redis.call('PUBLISH', ch, doc)\n"
    "  local nt = tonumber(ARGV[i]); i = i + 1\n"
    "  for t = i, i + nt - 1 do redis.call('PUBLISH', tp .. ARGV[t], doc) end\n"
    "  i = i + nt\n"
    "  if st == 'open' then\n"
    "    redis.call('ZADD', ok, sc, id); redis.call('ZREM', ck, id)\n"
    "  else\n"
    "    redis.call('ZREM', ok, id); redis.call('ZADD', ck, sc, id)\n"
    "  end\n"
    "end\n"
    "local nm = tonumber(ARGV[i]); i = i + 1\n"
    "for j = 1, nm do\n"
    "  if ARGV[i+1] == '' then redis.call('HDEL', mk, ARGV[i])\n"
    "  else redis.call('HSET', mk, ARGV[i], ARGV[i+1]) end\n"
    "  i = i + 2\n"
    "end\n"
    "many('XACK', KEYS[1], e, ne, g)\n"
    "return ni\n";

void
dstore_keys(struct desk_keys *k, const struct cfg *cfg)
{
	const char *p = cfg->prefix;

	k->stream = xstrdup(cfg->stream);
	k->incident = xasprintf("%sincident:", p);
	k->open = xasprintf("%sincidents:open", p);
	k->closed = xasprintf("%sincidents:closed", p);
	k->seen = xasprintf("%sdesk:seen:", p);
	k->mutes = xasprintf("%sdesk:mutes", p);
	k->seq = xasprintf("%sdesk:seq", p);
	k->epoch = xasprintf("%sdesk:epoch", p);
	k->cves = xasprintf("%sdesk:cves", p);
	k->pushed = xasprintf("%sdesk:pushed:", p);
	k->measured = xasprintf("%sdesk:measured", p);
	k->unread = xasprintf("%sdesk:unread", p);
	k->channel = xasprintf("%sincidents", p);
	k->team = xasprintf("%steam:", p);
}

void
dstore_keys_free(struct desk_keys *k)
{
	free(k->stream);
	free(k->incident);
	free(k->open);
	free(k->closed);
	free(k->seen);
	free(k->mutes);
	free(k->seq);
	free(k->epoch);
	free(k->cves);
	free(k->pushed);
	free(k->measured);
	free(k->unread);
	free(k->channel);
	free(k->team);
}

/* The seen sets of the window now is in and of the one before (an id
 * counted within desk.dedup_window_s is in one of them); when this
 * window's set may go: as the next window ends. */
time_t
dstore_seen_keys(
    const struct desk *d, time_t now, char *cur, char *prev, size_t len)
{
	long w = d->cfg->desk_dedup_window_s;
	time_t start = now - now % w, p = start - w;
	struct tm tm;
	char at[32];

	gmtime_r(&start, &tm);
	strftime(at, sizeof(at), "%Y%m%dT%H%M%S", &tm);
	snprintf(cur, len, "%s%s", d->k.seen, at);
	gmtime_r(&p, &tm);
	strftime(at, sizeof(at), "%Y%m%dT%H%M%S", &tm);
	snprintf(prev, len, "%s%s", d->k.seen, at);
	return start + 2 * w;
}

/* "open" or "closed". */
static const char *
state_of(json_t *inc)
{
	return json_string_value(json_object_get(inc, "state"));
}

/* (id, doc, state, score) of one incident. */
static void
add_incident(struct argvb *b, struct argvb *docs, json_t *inc, time_t now)
{
	json_t *teams = json_object_get(inc, "teams"), *t;
	size_t len, i;
	char *doc = jdump_string(inc, &len); /* json_dumps' text, faster */

	if (doc == NULL)
		fatalx("out of memory");
	if (docs != NULL) /* dumped once: also what is published */
		argvb_take(docs, xstrdup(doc), len);
	argvb_adds(b, json_string_value(json_object_get(inc, "id")));
	argvb_take(b, doc, len);
	argvb_adds(b, state_of(inc));
	argvb_addf(b, "%lld", (long long)now * 1000);
	/* the teams its current phase needs: their channels */
	argvb_addf(b, "%zu", json_array_size(teams));
	json_array_foreach (teams, i, t)
		argvb_adds(b, json_is_string(t) ? json_string_value(t) : "-");
}

/* The script's fixed head. */
static void
head(struct argvb *b, const struct desk *d, const char *seen_key, long seen_ttl)
{
	argvb_adds(b, "EVAL");
	argvb_add(b, commit_script, sizeof(commit_script) - 1);
	argvb_adds(b, "3");
	argvb_adds(b, d->k.stream);
	argvb_addf(b, "%s", seen_key); /* a copy: the caller's buffer goes */
	argvb_adds(b, d->k.epoch);
	argvb_adds(b, "desk");
	argvb_adds(b, d->k.incident);
	argvb_adds(b, d->k.open);
	argvb_adds(b, d->k.closed);
	argvb_adds(b, d->k.seq);
	argvb_addf(b, "%lu", d->seq);
	argvb_adds(b, d->k.mutes);
	argvb_addf(b, "%llu", d->epoch);
	argvb_adds(b, d->k.channel);
	argvb_adds(b, d->k.team);
	argvb_addf(b, "%ld", seen_ttl);
}

void
dstore_commit(struct argvb *b, struct argvb *docs, const struct desk *d,
    const struct argvb *entries, json_t *dirty, json_t *seen, int with_mutes)
{
	char cur[160], prev[160];
	time_t now = time(NULL), until;
	const char *k;
	json_t *v;
	size_t i;

	until = dstore_seen_keys(d, now, cur, prev, sizeof(cur));
	head(b, d, cur, (long)(until - now));
	argvb_addf(b, "%zu", entries != NULL ? entries->n : 0);
	for (i = 0; entries != NULL && i < entries->n; i++)
		argvb_add(b, entries->v[i], entries->len[i]);
	argvb_addf(b, "%zu", json_object_size(seen));
	json_object_foreach (seen, k, v)
		argvb_adds(b, k);
	argvb_addf(b, "%zu", json_object_size(dirty));
	json_object_foreach (dirty, k, v)
		add_incident(b, docs, v, now);
	if (!with_mutes) {
		argvb_adds(b, "0");
		return;
	}
	argvb_addf(b, "%zu", json_object_size(d->mutes));
	json_object_foreach (d->mutes, k, v) {
		char *doc;

		if (json_is_string(v)) { /* expired: deleted */
			argvb_adds(b, k);
			argvb_adds(b, "");
			continue;
		}
		doc = json_dumps(v, JSON_COMPACT);

		if (doc == NULL)
			fatalx("out of memory");
		argvb_adds(b, k);
		argvb_take(b, doc, strlen(doc));
	}
}
