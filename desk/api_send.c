/*
 * api_send.c: POST /api/incidents/<id>/send {"source": ID, "tlp": T}:
 * becoming a sender.  The incident's report in MISP's form (inc_report.c)
 * is created as an event on the source's own MISP instance
 * (sources[].misp_url, its key in misp_key_file, the CA in misp_ca_file:
 * where the desk pushes that source's sightings).  MISP keeps it
 * unpublished, for the community's own review, under the TLP chosen.
 * Once MISP has it, a share action says so in the incident's history:
 * which source, the TLP, the event's UUID.
 *
 * The answer waits for MISP (SEND_TIMEOUT_S at most; api_wait.c): a
 * client that leaves meanwhile is forgotten, never answered into freed
 * memory; the send goes on and is recorded all the same.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event2/http.h>
#include <jansson.h>

#include "api_int.h"
#include "desk.h"
#include "hclient.h"
#include "incident.h"
#include "keyfile.h"
#include "log.h"
#include "uuid.h"
#include "xmalloc.h"

#define SEND_TIMEOUT_S 30

struct dsend {
	struct desk *d;
	struct dsend *next;
	struct api_wait w; /* the request, until MISP answers */
	struct hclient *c;
	char *auth, *user, *team;
	char id[64], source[64], tlp[16];
	struct event *end_ev;
};

static void
s_free(struct dsend *s)
{
	struct dsend **pp;

	for (pp = &s->d->sends; *pp != NULL; pp = &(*pp)->next)
		if (*pp == s) {
			*pp = s->next;
			break;
		}
	api_wait_end(&s->w);
	hclient_free(s->c);
	if (s->end_ev != NULL)
		event_free(s->end_ev);
	keyfile_free(s->auth); /* the key, not left in freed memory */
	free(s->user);
	free(s->team);
	free(s);
}

static void
s_end_cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	s_free(arg);
}

/* Done: freed from the loop, not from evhttp's callback. */
static void
s_end(struct dsend *s)
{
	struct timeval now = {0, 0};

	if ((s->end_ev = evtimer_new(s->d->base, s_end_cb, s)) == NULL)
		fatalx("out of memory");
	evtimer_add(s->end_ev, &now);
}

/* Answer, if the client is still there. */
static void
s_answer(struct dsend *s, int code, json_t *v, const char *msg)
{
	struct evhttp_request *req = api_wait_end(&s->w);

	if (req == NULL) /* the client has gone */
		json_decref(v);
	else if (v != NULL)
		api_json(req, code, v);
	else if (msg != NULL)
		api_error(req, code, msg);
	else /* the answer could not be made */
		api_error(req, 500, "out of memory");
}

/* MISP's own word on a refusal ("message", or "name"), if any. */
static void
misp_says(const char *body, size_t len, char *out, size_t room)
{
	json_t *v = json_loadb(body, len, 0, NULL);
	const char *m = json_string_value(json_object_get(v, "message"));

	if (m == NULL)
		m = json_string_value(json_object_get(v, "name"));
	snprintf(
	    out, room, "%s%.200s", m != NULL ? ": " : "", m != NULL ? m : "");
	json_decref(v);
}

static void
s_posted(int status, const char *body, size_t len, const char *err, void *arg)
{
	struct dsend *s = arg;
	struct desk_who who = {s->user, s->team};
	json_t *v, *act, *out = NULL;
	const char *uuid;
	char msg[700], said[300], aerr[200], up[16];
	size_t i;
	int code;

	if (status < 200 || status > 299) {
		if (status == 0)
			snprintf(msg, sizeof(msg), "%s's MISP: %s", s->source,
			    err != NULL ? err : "no reply");
		else {
			misp_says(body, len, said, sizeof(said));
			snprintf(msg, sizeof(msg), "%s's MISP: HTTP %d%s%s",
			    s->source, status,
			    status == 401 || status == 403
				? " (its misp_key_file refused?)"
				: "",
			    said);
		}
		/* (MISP's own words go to the analyst, not to the log) */
		log_warnx("incident %s: not sent to %s's MISP: HTTP %d", s->id,
		    s->source, status);
		s_answer(s, 502, NULL, msg);
		s_end(s);
		return;
	}
	v = json_loadb(body, len, 0, NULL);
	uuid = json_string_value(
	    json_object_get(json_object_get(v, "Event"), "uuid"));
	if (uuid != NULL && !uuid_ok(uuid))
		uuid = NULL; /* what MISP said goes into the history: checked */
	for (i = 0; s->tlp[i] != '\0' && i + 1 < sizeof(up); i++)
		up[i] = s->tlp[i] >= 'a' && s->tlp[i] <= 'z'
		    ? (char)(s->tlp[i] - 'a' + 'A')
		    : s->tlp[i];
	up[i] = '\0';
	snprintf(said, sizeof(said), "sent out: misp to %s, TLP:%s, event %s",
	    s->source, up, uuid != NULL ? uuid : "(no uuid in MISP's reply)");
	act = json_pack("{s:s, s:s}", "action", "share", "note", said);
	code = desk_act(s->d, s->id, act, &who, &out, aerr, sizeof(aerr));
	json_decref(act);
	log_info("incident %s: sent to %s's MISP as event %s by %s", s->id,
	    s->source, uuid != NULL ? uuid : "-", s->user);
	if (code == 200)
		s_answer(s, 200,
		    json_pack("{s:s?, s:o}", "event", uuid, "incident", out),
		    NULL);
	else /* sent, but the incident is gone meanwhile (merged?) */
		s_answer(s, 200,
		    json_pack("{s:s?, s:s}", "event", uuid, "warning", aerr),
		    NULL);
	json_decref(v);
	s_end(s);
}

void
api_post_send(struct evhttp_request *req, struct desk *d, const char *id,
    json_t *body, const struct desk_who *who)
{
	const char *source = json_string_value(json_object_get(body, "source"));
	const char *tlp = json_string_value(json_object_get(body, "tlp"));
	const json_t *inc = json_object_get(d->incidents, id);
	const struct cfg_source *src;
	struct dsend *s;
	json_t *report;
	char err[256], *text;
	int code;

	if (source == NULL ||
	    (json_object_get(body, "tlp") != NULL && tlp == NULL)) {
		api_error(req, 400,
		    "a JSON object with \"source\" (a source with misp_url) "
		    "and \"tlp\"");
		return;
	}
	if (inc == NULL) {
		api_error(req, 404, "no such incident");
		return;
	}
	src = cfg_source_find(d->cfg, source);
	if (src == NULL || src->misp_url[0] == '\0') {
		snprintf(err, sizeof(err), "%s: %.60s",
		    src == NULL ? "no such source" : "no misp_url for", source);
		api_error(req, 400, err);
		return;
	}
	if (tlp == NULL)
		tlp = "amber";
	report = inc_report(inc, d->cfg, "misp", tlp, d->cfg->desk_identity,
	    &code, err, sizeof(err));
	if (report == NULL) {
		api_error(req, code, err);
		return;
	}
	s = xcalloc(1, sizeof(*s));
	s->d = d;
	s->next = d->sends;
	d->sends = s;
	snprintf(s->id, sizeof(s->id), "%s", id);
	snprintf(s->source, sizeof(s->source), "%s", src->id);
	snprintf(s->tlp, sizeof(s->tlp), "%s", tlp);
	s->user = xstrdup(who->user);
	s->team = who->team != NULL ? xstrdup(who->team) : NULL;
	text = json_dumps(report, JSON_COMPACT);
	json_decref(report);
	if ((s->auth = keyfile_read(src->misp_key_file, err, sizeof(err))) ==
	    NULL) {
		char msg[400];

		snprintf(
		    msg, sizeof(msg), "%s: misp_key_file: %s", src->id, err);
		api_error(req, 500, msg);
	} else if ((s->c = hclient_new(d->base, src->misp_url,
			src->misp_ca_file, SEND_TIMEOUT_S, err, sizeof(err))) ==
	    NULL) {
		char msg[400];

		snprintf(msg, sizeof(msg), "%s: misp_url: %s", src->id, err);
		api_error(req, 502, msg);
	} else if (text == NULL ||
	    hclient_post(s->c, "/events/add", s->auth, text, strlen(text),
		s_posted, s) != 0)
		api_error(req, 502, "cannot send to MISP");
	else {
		api_wait_start(&s->w, req);
		free(text);
		return;
	}
	free(text);
	s_end(s);
}

void
desk_send_free(struct desk *d)
{
	while (d->sends != NULL) {
		d->sends->w.req = NULL; /* the connections are gone first */
		s_free(d->sends);
	}
}
