/*
 * api_sources.c: the sources' side of the API: GET /api/sources (each
 * source's declared triangle beside the measured one, sources.c) and GET
 * /api/sources/<id>/sightings (what we saw of its indicators, to send
 * back, sightings.c).
 */

#include <stdio.h>
#include <string.h>
#include <time.h>

#include <event2/http.h>
#include <event2/keyvalq_struct.h>

#include "api_int.h"
#include "desk.h"

void
api_get_sources(struct evhttp_request *req, struct desk *d)
{
	json_t *m = sources_measure(d->incidents, d->cfg, time(NULL));

	if (m != NULL)
		api_json(req, 200, m);
	else
		api_error(req, 500, "out of memory");
}

/* /api/sources/<id>/sightings: what we saw of that source's indicators. */
void
api_get_sightings(
    struct evhttp_request *req, struct desk *d, const char *rest, size_t len)
{
	struct evkeyvalq q;
	const char *slash = memchr(rest, '/', len), *format;
	char id[80], err[160];
	json_t *out;

	if (slash == NULL || (size_t)(slash - rest) >= sizeof(id) ||
	    (size_t)(rest + len - slash) != strlen("/sightings") ||
	    strncmp(slash, "/sightings", 10) != 0) {
		api_error(req, 404, "no such path");
		return;
	}
	snprintf(id, sizeof(id), "%.*s", (int)(slash - rest), rest);
	memset(&q, 0, sizeof(q));
	if (evhttp_parse_query(evhttp_request_get_uri(req), &q) != 0) {
		api_error(req, 400, "a bad query string");
		return;
	}
	format =
	    api_param(&q, "format") != NULL ? api_param(&q, "format") : "stix";
	out = sightings_export(d->incidents, d->cfg, id, format,
	    api_param(&q, "since"), d->cfg->desk_identity, time(NULL), err,
	    sizeof(err));
	evhttp_clear_headers(&q);
	if (out == NULL)
		api_error(
		    req, strncmp(err, "no source", 9) == 0 ? 404 : 400, err);
	else
		api_json(req, 200, out);
}
