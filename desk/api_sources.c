/*
 * api_sources.c: the sources' side of the API: GET /api/sources (each
 * source's declared triangle beside the measured one, sources.c, and
 * how fresh its fetched feeds are) and GET
 * /api/sources/<id>/sightings (what we saw of its indicators, to send
 * back, sightings.c); and the other way, GET /api/incidents/<id>/report
 * (what we found ourselves, to send out as a sender, inc_report.c).
 */

#include <stdio.h>
#include <string.h>
#include <time.h>

#include <event2/http.h>
#include <event2/keyvalq_struct.h>

#include "api_int.h"
#include "desk.h"
#include "fpage.h"

/* How fresh a source's fetched feeds are (sankaku-fetch keeps each
 * feed's last success beside it): {"feeds": n, "last_success": the
 * oldest of them, or null when one never succeeded}, or null when none
 * of its feeds is fetched. */
static json_t *
fetched(const struct cfg_source *src)
{
	struct fpage_validators v;
	long long oldest = -1;
	size_t i, n = 0;
	char at[32];

	for (i = 0; i < src->nfeeds; i++) {
		if (src->feeds[i].url == NULL)
			continue;
		n++;
		fpage_validators_read(src->feeds[i].path, &v);
		if (oldest < 0 || v.ok_at < oldest)
			oldest = v.ok_at;
	}
	if (n == 0)
		return json_null();
	if (oldest > 0)
		time_format((time_t)oldest, at, sizeof(at));
	return json_pack("{s:I, s:s?}", "feeds", (json_int_t)n, "last_success",
	    oldest > 0 ? at : NULL);
}

void
api_get_sources(struct evhttp_request *req, struct desk *d)
{
	json_t *m = sources_measure(d->incidents, d->cfg, time(NULL)), *s;
	size_t i;

	if (m == NULL) {
		api_error(req, 500, "out of memory");
		return;
	}
	json_array_foreach (json_object_get(m, "sources"), i, s) {
		const struct cfg_source *src = cfg_source_find(
		    d->cfg, json_string_value(json_object_get(s, "id")));

		if (src == NULL)
			continue;
		json_object_set_new(s, "fetched", fetched(src));
		/* whether its MISP takes our reports (api_send.c) */
		json_object_set_new(
		    s, "misp", json_boolean(src->misp_url[0] != '\0'));
	}
	api_json(req, 200, m);
}

/* /api/sources/<id>/sightings: what we saw of that source's indicators. */
void
api_get_sightings(
    struct evhttp_request *req, struct desk *d, const char *rest, size_t len)
{
	struct evkeyvalq q;
	const char *slash = memchr(rest, '/', len);
	char id[80], err[160];
	json_t *out;

	if (slash == NULL || (size_t)(slash - rest) >= sizeof(id) ||
	    (size_t)(rest + len - slash) != strlen("/sightings") ||
	    strncmp(slash, "/sightings", 10) != 0) {
		api_error(req, 404, "no such path");
		return;
	}
	snprintf(id, sizeof(id), "%.*s", (int)(slash - rest), rest);
	if (api_query(req, &q) != 0)
		return;
	out = sightings_export(d->incidents, d->cfg, id,
	    api_param(&q, "format", "stix"), api_param(&q, "since", NULL),
	    d->cfg->desk_identity, time(NULL), err, sizeof(err));
	evhttp_clear_headers(&q);
	if (out == NULL)
		api_error(
		    req, strncmp(err, "no source", 9) == 0 ? 404 : 400, err);
	else
		api_json(req, 200, out);
}

void
api_get_report(struct evhttp_request *req, struct desk *d, const char *id)
{
	struct evkeyvalq q;
	json_t *inc = json_object_get(d->incidents, id), *out;
	char err[200];
	int code;

	if (evhttp_request_get_command(req) != EVHTTP_REQ_GET &&
	    evhttp_request_get_command(req) != EVHTTP_REQ_HEAD) {
		api_error(req, 405, "GET a report");
		return;
	}
	if (inc == NULL) {
		api_error(req, 404, "no such incident");
		return;
	}
	if (api_query(req, &q) != 0)
		return;
	out = inc_report(inc, d->cfg, api_param(&q, "format", "stix"),
	    api_param(&q, "tlp", "amber"), d->cfg->desk_identity, &code, err,
	    sizeof(err));
	evhttp_clear_headers(&q);
	if (out == NULL)
		api_error(req, code, err);
	else
		api_json(req, 200, out);
}
