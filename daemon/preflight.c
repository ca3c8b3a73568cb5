/*
 * preflight.c: the keys' types and the eviction policy, checked on every
 * connect (see preflight.h).  Five commands on the main link, answered in
 * order; the last one's callback decides.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hiredis/hiredis.h>

#include "preflight.h"
#include "xmalloc.h"

enum { PF_INPUT, PF_STREAM, PF_RED, PF_DEADLETTER, PF_INFO, PF_N };

struct pf {
	void (*done)(void *, const struct pf_result *);
	void *arg;
	int answered, lost;
	struct pf_result res;
	struct {
		const char *option, *want;
		char key[128]; /* for the message: a reload may free the cfg */
	} keys[PF_INFO];
};

/* One reply of the pf. */
struct pf_step {
	struct pf *pf;
	int which;
};

/* Whether a maxmemory-policy may evict sankakud's keys (none of which has
 * a TTL, so volatile-* policies leave them alone). */
static int
pf_policy_safe(const char *policy)
{
	return strncmp(policy, "allkeys-", 8) != 0;
}

/* Note a key of the wrong type. */
static void
pf_key(struct pf *pf, int which, const redisReply *reply)
{
	const char *type = reply->type == REDIS_REPLY_STATUS ? reply->str : "?";

	if (strcmp(type, "none") == 0 ||
	    strcmp(type, pf->keys[which].want) == 0)
		return;
	if (pf->res.keys_ok)
		snprintf(pf->res.why, sizeof(pf->res.why),
		    "%s '%.100s' is a %.16s in Redis, not a %s",
		    pf->keys[which].option, pf->keys[which].key, type,
		    pf->keys[which].want);
	pf->res.keys_ok = 0;
}

/* Read maxmemory_policy from INFO memory. */
static void
pf_info(struct pf *pf, const redisReply *reply)
{
	const char *p;
	size_t n;

	if (reply->type != REDIS_REPLY_STRING ||
	    (p = strstr(reply->str, "maxmemory_policy:")) == NULL)
		return; /* refused (no +info) or not said: unknown */
	p += strlen("maxmemory_policy:");
	n = strcspn(p, "\r\n");
	if (n >= sizeof(pf->res.policy))
		n = sizeof(pf->res.policy) - 1;
	memcpy(pf->res.policy, p, n);
	pf->res.policy[n] = '\0';
	pf->res.eviction_safe = pf_policy_safe(pf->res.policy);
}

/* Each answer; the last decides. */
static void
pf_cb(redisAsyncContext *ac, void *r, void *priv)
{
	redisReply *reply = r;
	struct pf_step *st = priv;
	struct pf *pf = st->pf;

	(void)ac;
	if (reply == NULL)
		pf->lost = 1;
	else if (st->which == PF_INFO)
		pf_info(pf, reply);
	else
		pf_key(pf, st->which, reply);
	free(st);
	if (++pf->answered < PF_N)
		return;
	pf->done(pf->arg, pf->lost ? NULL : &pf->res);
	free(pf);
}

/* Send the five checks. */
int
pf_start(struct link *main, const struct cfg *c, const char *input_type,
    void (*done)(void *, const struct pf_result *), void *arg)
{
	struct pf *pf = xcalloc(1, sizeof(*pf));
	const char *key[PF_INFO] = {
	    c->input_key, c->stream, c->red_stream, c->deadletter};
	int i, sent = 0;

	pf->done = done;
	pf->arg = arg;
	pf->res.keys_ok = 1;
	pf->res.eviction_safe = -1;
	snprintf(pf->keys[PF_INPUT].key, 128, "%s", c->input_key);
	pf->keys[PF_INPUT].option = "input.key";
	pf->keys[PF_INPUT].want = input_type;
	snprintf(pf->keys[PF_STREAM].key, 128, "%s", c->stream);
	pf->keys[PF_STREAM].option = "output.stream";
	pf->keys[PF_STREAM].want = "stream";
	snprintf(pf->keys[PF_RED].key, 128, "%s", c->red_stream);
	pf->keys[PF_RED].option = "output.red_stream";
	pf->keys[PF_RED].want = "stream";
	snprintf(pf->keys[PF_DEADLETTER].key, 128, "%s", c->deadletter);
	pf->keys[PF_DEADLETTER].option = "output.deadletter";
	pf->keys[PF_DEADLETTER].want = "list";
	for (i = 0; i < PF_N; i++) {
		struct pf_step *st = xcalloc(1, sizeof(*st));
		int rv;

		st->pf = pf;
		st->which = i;
		rv = i == PF_INFO
		    ? link_cmdf(main, pf_cb, st, "INFO memory")
		    : link_cmdf(main, pf_cb, st, "TYPE %s", key[i]);
		if (rv != 0) {
			free(st);
			break;
		}
		sent++;
	}
	if (sent == PF_N)
		return 0;
	/* the link went away: the callbacks sent will see NULL replies */
	pf->lost = 1;
	pf->answered += PF_N - sent;
	if (sent == 0) {
		done(arg, NULL);
		free(pf);
	}
	return -1;
}
