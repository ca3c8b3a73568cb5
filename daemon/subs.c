/*
 * subs.c: subscriber counts of the channels sankakud publishes on (see
 * subs.h).  Channels, in this order: <prefix>alerts, one per phase, one
 * per role, one per configured source, and output.red_stream, the only
 * one a TLP:RED alert goes to.
 */

#include <stdlib.h>
#include <string.h>

#include <hiredis/hiredis.h>

#include "isog.h"
#include "subs.h"
#include "xmalloc.h"

struct subs {
	struct link *main;
	const struct cfg *cfg; /* borrowed: the pipeline's */
	char **names;	       /* full channel names */
	long *count;
	size_t n;
	long numpat;
	int known;	       /* an answer has arrived */
	int any;	       /* anybody listening at all (or unknown) */
	unsigned long version; /* bumped when the channels change */
};

/* Free the channel names. */
static void
subs_clear(struct subs *s)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		free(s->names[i]);
	free(s->names);
	free(s->count);
	s->names = NULL;
	s->count = NULL;
	s->n = 0;
}

/* (Re)build the channel list from the config. */
void
subs_config(struct subs *s, const struct cfg *c)
{
	size_t i, n = 0, cap = 2 + isog_nphases() + isog_nroles() + c->nsources;

	subs_clear(s);
	s->cfg = c;
	s->names = xcalloc(cap, sizeof(*s->names));
	s->count = xcalloc(cap, sizeof(*s->count));
	s->names[n++] = xasprintf("%salerts", c->prefix);
	for (i = 0; i < isog_nphases(); i++)
		s->names[n++] =
		    xasprintf("%sphase:%s", c->prefix, isog_phase_at(i)->id);
	for (i = 0; i < isog_nroles(); i++)
		s->names[n++] =
		    xasprintf("%srole:%s", c->prefix, isog_role_at(i)->code);
	for (i = 0; i < c->nsources; i++)
		s->names[n++] =
		    xasprintf("%ssource:%s", c->prefix, c->sources[i].id);
	s->names[n++] = xstrdup(c->red_stream);
	s->n = n;
	s->version++;
	subs_unknown(s);
}

/* Create, with the channels of c. */
struct subs *
subs_new(struct link *main, const struct cfg *c)
{
	struct subs *s = xcalloc(1, sizeof(*s));

	s->main = main;
	subs_config(s, c);
	return s;
}

/* Free. */
void
subs_free(struct subs *s)
{
	if (s == NULL)
		return;
	subs_clear(s);
	free(s);
}

/* Nothing known: publish everywhere until asked again. */
void
subs_unknown(struct subs *s)
{
	s->known = 0;
	s->any = 1;
}

/* Whether anybody can receive a message on channel i. */
static int
subs_listening(const struct subs *s, size_t i)
{
	return !s->known || s->numpat > 0 || s->count[i] > 0;
}

/* Whether anybody may listen anywhere. */
int
subs_any(const struct subs *s)
{
	return s->any;
}

/* Recompute whether anybody listens anywhere. */
static void
subs_update_any(struct subs *s)
{
	size_t i;

	s->any = !s->known || s->numpat > 0;
	for (i = 0; !s->any && i < s->n; i++)
		s->any = s->count[i] > 0;
}

/* PUBSUB NUMSUB answered: name, count, name, count... */
static void
subs_numsub_cb(redisAsyncContext *ac, void *r, void *priv)
{
	redisReply *reply = r;
	struct link_tag *t = priv;
	struct subs *s = t->owner;
	size_t i;

	(void)ac;
	/* a reply is for the channel list it was asked about */
	if (link_untag(t, reply, s->version) &&
	    reply->type == REDIS_REPLY_ARRAY && reply->elements == 2 * s->n) {
		for (i = 0; i < s->n; i++)
			if (reply->element[2 * i + 1]->type ==
			    REDIS_REPLY_INTEGER)
				s->count[i] =
				    (long)reply->element[2 * i + 1]->integer;
	}
}

/* PUBSUB NUMPAT answered: after NUMSUB, so both are fresh now. */
static void
subs_numpat_cb(redisAsyncContext *ac, void *r, void *priv)
{
	redisReply *reply = r;
	struct link_tag *t = priv;
	struct subs *s = t->owner;

	(void)ac;
	if (link_untag(t, reply, s->version) &&
	    reply->type == REDIS_REPLY_INTEGER) {
		s->numpat = (long)reply->integer;
		s->known = 1;
		subs_update_any(s);
	}
}

/* Ask who listens. */
void
subs_refresh(struct subs *s)
{
	const char **argv = xcalloc(s->n + 2, sizeof(*argv));
	size_t *lens = xcalloc(s->n + 2, sizeof(*lens)), i;
	struct link_tag *t = link_tag(s, s->version);

	argv[0] = "PUBSUB";
	lens[0] = 6;
	argv[1] = "NUMSUB";
	lens[1] = 6;
	for (i = 0; i < s->n; i++) {
		argv[i + 2] = s->names[i];
		lens[i + 2] = strlen(s->names[i]);
	}
	if (link_cmd(s->main, subs_numsub_cb, t, (int)s->n + 2, argv, lens) !=
	    0)
		free(t);
	t = link_tag(s, s->version);
	if (link_cmdf(s->main, subs_numpat_cb, t, "PUBSUB NUMPAT") != 0)
		free(t);
	free(argv);
	free(lens);
}

/* Add channel i if anybody may listen there. */
static void
subs_add(
    const struct subs *s, size_t i, const char **names, size_t max, size_t *n)
{
	if (*n < max && i < s->n && subs_listening(s, i))
		names[(*n)++] = s->names[i];
}

/* The channels of one alert: everything, its phase, roles, sources. */
size_t
subs_channels(const struct subs *s, const struct enrich_out *out,
    const char **names, size_t max)
{
	size_t i, n = 0, base_role = 1 + isog_nphases(),
		  base_src = base_role + isog_nroles();

	if (!s->any)
		return 0;
	if (out->has_tlp && out->tlp == TLP_RED) {
		subs_add(s, s->n - 1, names, max, &n);
		return n;
	}
	subs_add(s, 0, names, max, &n);
	subs_add(s, 1 + isog_phase_index(out->phase), names, max, &n);
	for (i = 0; i < out->nroles; i++)
		subs_add(s, base_role + isog_role_index(out->roles[i]), names,
		    max, &n);
	for (i = 0; i < out->nsources; i++)
		subs_add(s,
		    base_src + (size_t)(out->sources[i] - s->cfg->sources),
		    names, max, &n);
	return n;
}
