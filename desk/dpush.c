/*
 * dpush.c: each source's sightings pushed to its own MISP instance
 * (sources[].misp_url, the API key in sources[].misp_key_file), on the
 * sightings timer.
 *
 *   START   the key read from its file (never logged), the source's
 *           MISP sightings exported (sightings.c)
 *   PUSHED  HGETALL PREFIX desk:pushed:<source>: what went before, by
 *           "uuid|type|timestamp"; the rest is to do (and what went that
 *           the export no longer holds is forgotten)
 *   POST    one /sightings/add at a time on one HTTPS connection; a 2xx
 *           is remembered (HSET), a 4xx other than 401/403 too (MISP
 *           refuses it: an attribute deleted since; sending it again
 *           would not help), and said; 401/403, 5xx or no reply stop the
 *           run: the rest goes at the next one
 *   END     the connection closed outside evhttp's callback
 *
 * At most PUSH_MAX a run.  One run per source at a time.  A sighting is
 * an (incident, indicator) at its last activity: an activity that goes
 * on is sighted again at most once per desk.sightings_interval_s.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hiredis/hiredis.h>

#include "desk.h"
#include "hclient.h"
#include "keyfile.h"
#include "log.h"
#include "xmalloc.h"

#define PUSH_MAX 1000
#define PUSH_TIMEOUT_S 30

struct dpush {
	struct desk *d;
	struct dpush *next;
	char *source, *auth;
	struct hclient *c;
	json_t *todo; /* MISP sighting bodies */
	size_t at, sent, refused;
	struct event *end_ev;
};

static void p_post(struct dpush *);

static void
p_free(struct dpush *p)
{
	struct dpush **pp;

	for (pp = &p->d->pushes; *pp != NULL; pp = &(*pp)->next)
		if (*pp == p) {
			*pp = p->next;
			break;
		}
	hclient_free(p->c);
	if (p->end_ev != NULL)
		event_free(p->end_ev);
	json_decref(p->todo);
	keyfile_free(p->auth); /* the key, not left in freed memory */
	free(p->source);
	free(p);
}

static void
p_end_cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	p_free(arg);
}

/* Done: freed from the loop, not from evhttp's callback. */
static void
p_end(struct dpush *p)
{
	struct timeval now = {0, 0};

	if (p->sent > 0 || p->refused > 0)
		log_info("source %s: %zu sightings pushed to its MISP, %zu "
			 "refused by it",
		    p->source, p->sent, p->refused);
	if ((p->end_ev = evtimer_new(p->d->base, p_end_cb, p)) == NULL)
		fatalx("out of memory");
	evtimer_add(p->end_ev, &now);
}

/* "uuid|type|timestamp" of a body. */
static void
body_key(json_t *b, char *out, size_t len)
{
	snprintf(out, len, "%s|%s|%lld",
	    json_string_value(json_object_get(b, "uuid")),
	    json_string_value(json_object_get(b, "type")),
	    (long long)json_integer_value(json_object_get(b, "timestamp")));
}

static void
p_posted(int status, const char *body, size_t len, const char *err, void *arg)
{
	struct dpush *p = arg;
	char k[300];

	(void)body;
	(void)len;
	body_key(json_array_get(p->todo, p->at), k, sizeof(k));
	if (status >= 200 && status < 300) {
		p->sent++;
		p->d->m.pushed++;
	} else if (status >= 400 && status < 500 && status != 401 &&
	    status != 403) {
		p->refused++;
		p->d->m.push_refused++;
		log_warnx("source %s: its MISP refused a sighting (HTTP %d); "
			  "not sent again",
		    p->source, status);
	} else {
		p->d->m.push_failed++;
		if (status == 0)
			log_warnx("source %s: MISP push: %s; the rest at the "
				  "next run",
			    p->source, err != NULL ? err : "no reply");
		else
			log_warnx("source %s: MISP push: HTTP %d%s; the rest "
				  "at the next run",
			    p->source, status,
			    status == 401 || status == 403
				? " (check its key file)"
				: "");
		p_end(p);
		return;
	}
	(void)link_cmdf(p->d->main, NULL, NULL, "HSET %s%s %s %lld",
	    p->d->k.pushed, p->source, k, (long long)time(NULL));
	p->at++;
	p_post(p);
}

static void
p_post(struct dpush *p)
{
	char *text;
	int rc;

	if (p->at >= json_array_size(p->todo) || p->at >= PUSH_MAX) {
		p_end(p);
		return;
	}
	text = json_dumps(json_array_get(p->todo, p->at), JSON_COMPACT);
	rc = text == NULL ? -1
			  : hclient_post(p->c, "/sightings/add", p->auth, text,
				strlen(text), p_posted, p);
	free(text);
	if (rc != 0) {
		log_warnx("source %s: MISP push: cannot send", p->source);
		p_end(p);
	}
}

/* What went before: the rest is to do.  What went that the export no
 * longer holds is forgotten: its incident is gone past the retention,
 * or its activity went on (a later time, another key), so it is never
 * made again, and the hash would otherwise grow for ever. */
static void
p_pushed_cb(redisAsyncContext *ac, void *r, void *priv)
{
	struct dpush *p = ((struct link_tag *)priv)->owner;
	redisReply *reply = r;
	json_t *want = json_object(), *todo = json_array(), *b;
	struct argvb gone = {0};
	char *key;
	size_t i;

	(void)ac;
	if (!link_untag(priv, r, p->d->gen) ||
	    reply->type != REDIS_REPLY_ARRAY) {
		json_decref(want);
		json_decref(todo);
		p_end(p);
		return;
	}
	json_array_foreach (p->todo, i, b) {
		char k[300];

		body_key(b, k, sizeof(k));
		json_object_set_new(want, k, json_true());
	}
	key = xasprintf("%s%s", p->d->k.pushed, p->source);
	argvb_adds(&gone, "HDEL");
	argvb_adds(&gone, key);
	for (i = 0; i + 1 < reply->elements; i += 2) {
		const char *k = reply->element[i]->str;

		if (reply->element[i]->type != REDIS_REPLY_STRING)
			continue;
		if (json_object_get(want, k) != NULL)
			json_object_del(want, k); /* went before */
		else
			argvb_adds(&gone, k);
	}
	if (gone.n > 2)
		(void)link_cmd(
		    p->d->main, NULL, NULL, (int)gone.n, gone.v, gone.len);
	argvb_free(&gone);
	free(key);
	/* the rest, in the export's order */
	json_array_foreach (p->todo, i, b) {
		char k[300];

		body_key(b, k, sizeof(k));
		if (json_object_get(want, k) != NULL)
			json_array_append(todo, b);
	}
	json_decref(want);
	json_decref(p->todo);
	p->todo = todo;
	p_post(p);
}

static void
p_start(struct desk *d, const struct cfg_source *src, time_t now)
{
	struct dpush *p;
	char err[256];
	json_t *todo;

	for (p = d->pushes; p != NULL; p = p->next)
		if (strcmp(p->source, src->id) == 0)
			return; /* the last run is still going */
	todo = sightings_export(d->incidents, d->cfg, src->id, "misp", NULL,
	    d->cfg->desk_identity, now, err, sizeof(err));
	if (todo == NULL || json_array_size(todo) == 0) {
		json_decref(todo);
		return;
	}
	d->m.push_runs++;
	p = xcalloc(1, sizeof(*p));
	p->d = d;
	p->source = xstrdup(src->id);
	p->todo = todo;
	p->next = d->pushes;
	d->pushes = p;
	if ((p->auth = keyfile_read(src->misp_key_file, err, sizeof(err))) ==
	    NULL) {
		log_error("source %s: misp_key_file: %s: no sightings pushed",
		    src->id, err);
		p_end(p);
		return;
	}
	if ((p->c = hclient_new(d->base, src->misp_url, src->misp_ca_file,
		 PUSH_TIMEOUT_S, err, sizeof(err))) == NULL) {
		log_error("source %s: misp_url: %s", src->id, err);
		p_end(p);
		return;
	}
	{
		struct link_tag *tag = link_tag(p, d->gen);

		if (link_cmdf(d->main, p_pushed_cb, tag, "HGETALL %s%s",
			d->k.pushed, src->id) != 0) {
			free(tag);
			p_end(p);
		}
	}
}

void
desk_push(struct desk *d, time_t now)
{
	size_t i;

	for (i = 0; i < d->cfg->nsources; i++)
		if (d->cfg->sources[i].misp_url[0] != '\0' &&
		    strcmp(d->cfg->sources[i].tlp, "red") != 0)
			p_start(d, &d->cfg->sources[i], now);
}

/* --check-misp: each source's MISP asked its version with its key. */
struct check {
	const char *source;
	int *bad;
	struct event_base *base;
	int *left;
};

static void
check_cb(int status, const char *body, size_t len, const char *err, void *arg)
{
	struct check *k = arg;
	json_t *v = status == 200 ? json_loadb(body, len, 0, NULL) : NULL;
	const char *ver = json_string_value(json_object_get(v, "version"));

	if (status == 200 && ver != NULL)
		printf("source %s: MISP %.40s answers, the key is taken\n",
		    k->source, ver);
	else {
		*k->bad = 1;
		if (status == 0)
			printf("source %s: MISP unreachable: %s\n", k->source,
			    err != NULL ? err : "no reply");
		else
			printf("source %s: MISP answers HTTP %d%s\n", k->source,
			    status,
			    status == 401 || status == 403
				? " (check its key file)"
				: "");
	}
	json_decref(v);
	if (--*k->left == 0)
		event_base_loopexit(k->base, NULL);
}

int
desk_check_misp(const struct cfg *cfg)
{
	struct event_base *base = event_base_new();
	struct hclient **c = xcalloc(cfg->nsources + 1, sizeof(*c));
	struct check *k = xcalloc(cfg->nsources + 1, sizeof(*k));
	int bad = 0, left = 0;
	size_t i;

	for (i = 0; base != NULL && i < cfg->nsources; i++) {
		const struct cfg_source *s = &cfg->sources[i];
		char err[256], *key;

		if (s->misp_url[0] == '\0')
			continue;
		k[i] = (struct check){s->id, &bad, base, &left};
		if ((key = keyfile_read(s->misp_key_file, err, sizeof(err))) ==
		    NULL) {
			printf("source %s: misp_key_file: %s\n", s->id, err);
			bad = 1;
			continue;
		}
		if ((c[i] = hclient_new(base, s->misp_url, s->misp_ca_file,
			 PUSH_TIMEOUT_S, err, sizeof(err))) == NULL) {
			printf("source %s: misp_url: %s\n", s->id, err);
			bad = 1;
		} else if (hclient_request(c[i], 0, "/servers/getVersion", key,
			       NULL, 0, check_cb, &k[i]) == 0)
			left++;
		keyfile_free(key);
	}
	if (left > 0)
		event_base_dispatch(base);
	for (i = 0; i < cfg->nsources; i++)
		hclient_free(c[i]);
	free(c);
	free(k);
	if (base != NULL)
		event_base_free(base);
	return bad || base == NULL ? 1 : 0;
}

void
desk_push_free(struct desk *d)
{
	while (d->pushes != NULL)
		p_free(d->pushes);
}
