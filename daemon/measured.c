/*
 * measured.c: sankakud's side of the measured triangles (measured.h):
 * now and then (the pipeline's gauge tick) GET PREFIX desk:measured;
 * when the document changed, the sources are rendered again with the
 * figures (pl_set_measured).  A missing key or a bad document leaves the
 * triangles as they are.
 */

#include <stdlib.h>
#include <string.h>

#include <hiredis/async.h>
#include <hiredis/hiredis.h>

#include "link.h"
#include "log.h"
#include "measured.h"
#include "pipeline.h"
#include "xmalloc.h"

struct measured {
	char *text;  /* the document last read */
	json_t *doc; /* its figures, as rendered */
	struct pipeline *pl;
};

struct measured *
measured_new(void)
{
	return xcalloc(1, sizeof(struct measured));
}

void
measured_free(struct measured *ms)
{
	if (ms == NULL)
		return;
	free(ms->text);
	json_decref(ms->doc);
	free(ms);
}

json_t *
measured_doc(const struct measured *ms)
{
	return ms != NULL ? ms->doc : NULL;
}

static void
measured_cb(redisAsyncContext *ac, void *r, void *priv)
{
	struct measured *ms = ((struct link_tag *)priv)->owner;
	redisReply *reply = r;
	json_t *m;

	(void)ac;
	if (!link_untag(priv, r, pl_generation(ms->pl)) ||
	    reply->type != REDIS_REPLY_STRING ||
	    (ms->text != NULL && strlen(ms->text) == reply->len &&
		memcmp(ms->text, reply->str, reply->len) == 0))
		return;
	free(ms->text);
	ms->text = xstrdup(reply->str);
	if ((m = measured_clean(pl_config(ms->pl), reply->str, reply->len)) ==
	    NULL) {
		log_warnx("the desk's measured triangles are not a document "
			  "sankakud reads: the triangles stay as they are");
		return;
	}
	if (pl_set_measured(ms->pl, m) != 0) {
		json_decref(m);
		return;
	}
	json_decref(ms->doc);
	ms->doc = m;
	log_info("the desk's measured triangles: %zu sources with figures",
	    json_object_size(m));
}

void
measured_poll(struct measured *ms, struct pipeline *pl, struct link *main)
{
	struct link_tag *tag = link_tag(ms, pl_generation(pl));

	ms->pl = pl;
	if (link_cmdf(main, measured_cb, tag, "GET %sdesk:measured",
		pl_config(pl)->prefix) != 0)
		free(tag);
}
