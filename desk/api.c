/*
 * api.c: the desk's HTTP side (the contract: docs/DESIGN.md, "Incident
 * desk").  Every /api/ path but the sign-in needs a user: a bearer token
 * or the session cookie; 401 otherwise, and nothing changes.  Bodies are
 * bounded by desk.max_body_bytes (evhttp refuses larger ones) and must be
 * JSON objects sent as application/json (which a cross-site form cannot
 * send); a bad one is 400 with {"error": ...}.
 *
 *   POST /api/session          {"token": ...} -> cookie, {"user", "team"}
 *   POST /api/logout           the session ends
 *   GET  /api/me               {"user", "team"}
 *   GET  /api/incidents        ?state=open|closed|all&phase=&team=&source=
 *   GET  /api/incidents/<id>   with its history
 *   POST /api/incidents/<id>/actions
 *   GET  /api/incidents/<id>/report?format=stix|misp&tlp=  what we would
 *                              share of it (api_sources.c)
 *   POST /api/incidents/<id>/send  {"source", "tlp"}: that report as an
 *                              event on the source's MISP (api_send.c)
 *   GET  /api/alerts/<entry>   one enriched alert (api_alert.c)
 *   GET  /api/events           server-sent events, "event: incident"
 *   GET  /api/sources          the triangles, declared and measured
 *   GET  /api/sources/<id>/sightings?format=stix|misp&since=
 *   GET  /api/organisation     pattern, teams, who per phase, functions,
 *                              decisions, KPIs (who.c)
 *   GET  /metrics, /healthz    no user needed
 *   GET  /, /console.*         the console (console.c), no user needed
 */

#define _GNU_SOURCE /* asprintf */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <event2/buffer.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>

#include "api.h"
#include "api_int.h"
#include "console.h"
#include "auth.h"
#include "desk.h"
#include "evstr.h"
#include "http.h"
#include "log.h"
#include "xmalloc.h"

struct api {
	struct desk *d;
	struct auth *auth;
	struct http *http;
	struct api_events *events; /* GET /api/events's clients */
	const char *version;
};

void
api_headers(struct evhttp_request *req)
{
	struct evkeyvalq *h = evhttp_request_get_output_headers(req);

	evhttp_add_header(h, "Cache-Control", "no-store");
	evhttp_add_header(h, "X-Content-Type-Options", "nosniff");
}

/* Answer a JSON value (stolen). */
void
api_json(struct evhttp_request *req, int code, json_t *v)
{
	char *s = json_dumps(v, JSON_COMPACT | JSON_ENSURE_ASCII);

	json_decref(v);
	api_headers(req);
	http_reply(req, code, "application/json", s != NULL ? s : "{}");
	free(s);
}

void
api_error(struct evhttp_request *req, int code, const char *msg)
{
	char fixed[512];

	/* a message cut to fit may end inside a character */
	snprintf(fixed, sizeof(fixed), "%s", msg);
	evstr_utf8_fix(fixed);
	api_json(req, code, json_pack("{s:s}", "error", fixed));
}

/* The session cookie's value, or NULL. */
static const char *
cookie(struct evhttp_request *req, char *buf, size_t len)
{
	const char *c = evhttp_find_header(
		       evhttp_request_get_input_headers(req), "Cookie"),
		   *p;
	size_t n;

	for (p = c; p != NULL && (p = strstr(p, "sankaku_session=")) != NULL;
	     p++)
		if (p == c || p[-1] == ' ' || p[-1] == ';') {
			p += strlen("sankaku_session=");
			n = strcspn(p, "; ");
			if (n == 0 || n >= len)
				return NULL;
			memcpy(buf, p, n);
			buf[n] = '\0';
			return buf;
		}
	return NULL;
}

/* Who asks: 0 with who filled, or -1 (401 answered). */
static int
api_user(struct api *a, struct evhttp_request *req, struct desk_who *who)
{
	const char *h = evhttp_find_header(
	    evhttp_request_get_input_headers(req), "Authorization");
	char buf[160];

	if (h != NULL && strncmp(h, "Bearer ", 7) == 0 &&
	    auth_token(a->auth, h + 7, &who->user, &who->team) == 0)
		return 0;
	if (h == NULL &&
	    auth_session(a->auth, cookie(req, buf, sizeof(buf)), time(NULL),
		a->d->cfg->desk_session_ttl_s, &who->user, &who->team) == 0)
		return 0;
	evhttp_add_header(evhttp_request_get_output_headers(req),
	    "WWW-Authenticate", "Bearer realm=\"sankaku-desk\"");
	api_error(req, 401,
	    "a token is needed (Authorization: Bearer, or "
	    "sign in)");
	return -1;
}

/* The body as a JSON object; NULL (400 answered) otherwise. */
json_t *
api_body(struct evhttp_request *req)
{
	struct evbuffer *in = evhttp_request_get_input_buffer(req);
	const char *ct = evhttp_find_header(
	    evhttp_request_get_input_headers(req), "Content-Type");
	size_t n = evbuffer_get_length(in);
	json_error_t je;
	json_t *v;
	char msg[200];

	if (ct == NULL || strncmp(ct, "application/json", 16) != 0) {
		api_error(req, 400, "send the body as application/json");
		return NULL;
	}
	v = json_loadb((const char *)evbuffer_pullup(in, (ssize_t)n), n,
	    JSON_REJECT_DUPLICATES, &je);
	if (!json_is_object(v)) {
		snprintf(msg, sizeof(msg), "the body is not a JSON object%s%s",
		    v == NULL ? ": " : "", v == NULL ? je.text : "");
		json_decref(v);
		api_error(req, 400, msg);
		return NULL;
	}
	return v;
}

int
api_query(struct evhttp_request *req, struct evkeyvalq *q)
{
	memset(q, 0, sizeof(*q));
	if (evhttp_parse_query(evhttp_request_get_uri(req), q) == 0)
		return 0;
	api_error(req, 400, "a bad query string");
	return -1;
}

const char *
api_param(struct evkeyvalq *q, const char *key, const char *dflt)
{
	const char *v = evhttp_find_header(q, key);

	return v != NULL ? v : dflt;
}

/* An incident without its history (lists). */
static json_t *
summary(json_t *inc)
{
	json_t *s = json_copy(inc), *h, *acked = NULL, *contained = NULL;
	size_t i;

	/* the CISO's two times, from the history the list leaves out */
	json_array_foreach (json_object_get(inc, "history"), i, h) {
		const char *act =
			       json_string_value(json_object_get(h, "action")),
			   *to = json_string_value(json_object_get(h, "to"));

		if (acked == NULL && act != NULL &&
		    (strcmp(act, "ack") == 0 || strcmp(act, "assign") == 0))
			acked = json_object_get(h, "at");
		if (contained == NULL && to != NULL &&
		    strcmp(to, "post-incident") == 0)
			contained = json_object_get(h, "at");
	}
	json_object_set(s, "acked_at", acked != NULL ? acked : json_null());
	json_object_set(
	    s, "contained_at", contained != NULL ? contained : json_null());
	json_object_del(s, "history");
	json_object_del(s, "checklist");
	return s;
}

/* Whether the incident matches the list's filters. */
static int
matches(json_t *inc, const char *state, const char *phase, const char *team,
    const char *source)
{
	json_t *x;
	size_t i;

	if (state != NULL && strcmp(state, "all") != 0 &&
	    strcmp(state, json_string_value(json_object_get(inc, "state"))) !=
		0)
		return 0;
	if (phase != NULL &&
	    strcmp(phase,
		json_string_value(
		    json_object_get(json_object_get(inc, "phase"), "id"))) != 0)
		return 0;
	if (team != NULL) {
		json_array_foreach (json_object_get(inc, "teams"), i, x)
			if (strcmp(json_string_value(x), team) == 0)
				break;
		if (i == json_array_size(json_object_get(inc, "teams")))
			return 0;
	}
	if (source != NULL) {
		json_array_foreach (json_object_get(inc, "sources"), i, x)
			if (strcmp(json_string_value(json_object_get(x, "id")),
				source) == 0)
				break;
		if (i == json_array_size(json_object_get(inc, "sources")))
			return 0;
	}
	return 1;
}

/* Latest activity first. */
static int
by_update(const void *x, const void *y)
{
	const char *a = json_string_value(
	    json_object_get(*(json_t *const *)x, "updated_at"));
	const char *b = json_string_value(
	    json_object_get(*(json_t *const *)y, "updated_at"));

	return strcmp(b, a);
}

static void
get_incidents(struct api *a, struct evhttp_request *req)
{
	struct evkeyvalq q;
	const char *state, *k;
	json_t *v, **all, *list;
	size_t n = 0, i;

	if (api_query(req, &q) != 0)
		return;
	list = json_array();
	state = api_param(&q, "state", "open");
	all = xcalloc(json_object_size(a->d->incidents) + 1, sizeof(*all));
	json_object_foreach (a->d->incidents, k, v)
		if (matches(v, state, api_param(&q, "phase", NULL),
			api_param(&q, "team", NULL),
			api_param(&q, "source", NULL)))
			all[n++] = v;
	qsort(all, n, sizeof(*all), by_update);
	for (i = 0; i < n && i < 1000; i++)
		json_array_append_new(list, summary(all[i]));
	free(all);
	evhttp_clear_headers(&q);
	api_json(req, 200, json_pack("{s:o}", "incidents", list));
}

/* /api/incidents/<id>[/actions|/report] */
static void
incident_route(
    struct api *a, struct evhttp_request *req, const struct desk_who *who)
{
	const char *uri =
	    evhttp_request_get_uri(req) + strlen("/api/incidents/");
	size_t n = strcspn(uri, "/?");
	char id[64], err[200];
	json_t *inc, *body, *out;
	int code;

	if (n == 0 || n >= sizeof(id)) {
		api_error(req, 404, "no such incident");
		return;
	}
	memcpy(id, uri, n);
	id[n] = '\0';
	if (strncmp(uri + n, "/report", 7) == 0 &&
	    (uri[n + 7] == '\0' || uri[n + 7] == '?')) {
		api_get_report(req, a->d, id);
		return;
	}
	if (strcmp(uri + n, "/send") == 0) {
		if (evhttp_request_get_command(req) != EVHTTP_REQ_POST) {
			api_error(req, 405, "POST a send");
			return;
		}
		if ((body = api_body(req)) == NULL)
			return;
		api_post_send(req, a->d, id, body, who);
		json_decref(body);
		return;
	}
	if (uri[n] != '/' || strncmp(uri + n, "/actions", 8) != 0) {
		if (evhttp_request_get_command(req) != EVHTTP_REQ_GET &&
		    evhttp_request_get_command(req) != EVHTTP_REQ_HEAD) {
			api_error(
			    req, 405, "GET an incident, POST its actions");
			return;
		}
		if ((inc = json_object_get(a->d->incidents, id)) == NULL) {
			api_error(req, 404, "no such incident");
			return;
		}
		api_json(req, 200, json_incref(inc));
		return;
	}
	if (evhttp_request_get_command(req) != EVHTTP_REQ_POST) {
		api_error(req, 405, "POST an action");
		return;
	}
	if ((body = api_body(req)) == NULL)
		return;
	code = desk_act(a->d, id, body, who, &out, err, sizeof(err));
	json_decref(body);
	if (code != 200) {
		api_error(req, code, err);
		return;
	}
	api_json(req, 200, out);
}

/* ----- event streams (api_events.c) ----- */

void
api_event(struct api *a, const char *doc)
{
	if (a != NULL)
		api_events_send(a->events, doc);
}

int
api_listening(const struct api *a)
{
	return a != NULL && api_events_listening(a->events);
}

/* ----- sign-in ----- */

static void
post_session(struct api *a, struct evhttp_request *req)
{
	json_t *body = api_body(req);
	const char *token, *name, *team;
	char *sid, hdr[200];

	if (body == NULL)
		return;
	token = json_string_value(json_object_get(body, "token"));
	if (token == NULL || auth_token(a->auth, token, &name, &team) != 0) {
		json_decref(body);
		api_error(req, 401, "unknown token");
		return;
	}
	json_decref(body);
	if ((sid = auth_session_new(a->auth, name, team,
		 a->d->cfg->desk_session_ttl_s, time(NULL))) == NULL) {
		api_error(req, 500, "no session");
		return;
	}
	snprintf(hdr, sizeof(hdr),
	    "sankaku_session=%s; Path=/; HttpOnly; SameSite=Strict", sid);
	free(sid);
	evhttp_add_header(
	    evhttp_request_get_output_headers(req), "Set-Cookie", hdr);
	api_json(req, 200, json_pack("{s:s, s:s}", "user", name, "team", team));
}

static void
post_logout(struct api *a, struct evhttp_request *req)
{
	char buf[160];

	auth_session_end(a->auth, cookie(req, buf, sizeof(buf)));
	evhttp_add_header(evhttp_request_get_output_headers(req), "Set-Cookie",
	    "sankaku_session=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0");
	api_json(req, 200, json_object());
}

/* Everything under /api/. */
static void
api_route(struct evhttp_request *req, void *arg)
{
	struct api *a = arg;
	const char *uri = evhttp_request_get_uri(req);
	size_t plen = strcspn(uri, "?#");
	int post = evhttp_request_get_command(req) == EVHTTP_REQ_POST;
	struct desk_who who;

#define IS(p) (plen == strlen(p) && strncmp(uri, (p), plen) == 0)
	if (IS("/api/session") && post) {
		post_session(a, req);
		return;
	}
	if (api_user(a, req, &who) != 0)
		return;
	if (IS("/api/logout") && post)
		post_logout(a, req);
	else if (IS("/api/me"))
		api_json(req, 200,
		    json_pack(
			"{s:s, s:s?}", "user", who.user, "team", who.team));
	else if (IS("/api/incidents") && !post)
		get_incidents(a, req);
	else if (strncmp(uri, "/api/incidents/", 15) == 0)
		incident_route(a, req, &who);
	else if (strncmp(uri, "/api/alerts/", 12) == 0 && !post && plen > 12) {
		char id[64];

		snprintf(id, sizeof(id), "%.*s", (int)(plen - 12), uri + 12);
		api_get_alert(req, a->d, id);
	} else if (IS("/api/events") && !post)
		api_events_get(a->events, req);
	else if (strncmp(uri, "/api/sources/", 13) == 0 && !post)
		api_get_sightings(req, a->d, uri + 13, plen - 13);
	else if (IS("/api/sources") && !post)
		api_get_sources(req, a->d);
	else if (IS("/api/organisation") && !post)
		api_json(req, 200, who_organisation(a->d->cfg));
	else
		api_error(req, 404, "no such path");
#undef IS
}

/* ----- metrics, health, life ----- */

static void
http_metrics(struct evhttp_request *req, void *arg)
{
	struct api *a = arg;

	http_reply_metrics(req, dmetrics_text(a->d, a->version));
}

static void
http_healthz(struct evhttp_request *req, void *arg)
{
	struct api *a = arg;

	http_reply_health(req, a->d->m.redis_up, a->d->m.health);
}

static const struct http_route routes[] = {
    {"/api/", EVHTTP_REQ_GET | EVHTTP_REQ_POST, api_route},
    {"/metrics", EVHTTP_REQ_GET, http_metrics},
    {"/healthz", EVHTTP_REQ_GET, http_healthz},
    {"", EVHTTP_REQ_GET, console_route}, /* its files, or 404 */
};

struct api *
api_start(struct event_base *base, struct desk *d, struct auth *auth,
    const char *version, char *err, size_t errlen)
{
	struct http_limits lim = HTTP_LIMITS_DEFAULT;
	struct api *a = xcalloc(1, sizeof(*a));
	char why[256];

	a->d = d;
	a->auth = auth;
	a->version = version;
	lim.max_body = d->cfg->desk_max_body;
	lim.max_conns = d->cfg->desk_max_conns;
	lim.timeout_s = 30;
	if ((a->http = http_start(base, d->cfg->desk_listen, &lim, routes,
		 sizeof(routes) / sizeof(routes[0]), a, why, sizeof(why))) ==
	    NULL) {
		snprintf(err, errlen, "desk.listen: %s", why);
		free(a);
		return NULL;
	}
	a->events = api_events_new(base, d);
	d->api = a;
	return a;
}

void
api_set_auth(struct api *a, struct auth *auth)
{
	auth_keep_sessions(auth, a->auth);
	auth_free(a->auth);
	a->auth = auth;
}

void
api_stop(struct api *a)
{
	if (a == NULL)
		return;
	api_events_free(a->events);
	http_stop(a->http);
	auth_free(a->auth);
	free(a);
}
