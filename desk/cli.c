/*
 * cli.c: the desk for analysts who live in a terminal: sankaku-desk
 * COMMAND ... talks to the API of a running desk (cli.h).
 *
 *   list [open|closed|all]          incidents, latest activity first
 *   show ID                         one incident: who, what, history
 *   ack ID | reopen ID | share ID
 *   assign ID USER
 *   advance ID DECISION [NOTE]      response-needed, detected ...
 *   note ID TEXT
 *   close ID VERDICT [NOTE]         true-positive, false-positive ...
 *   mute ID SID [SECONDS]
 *
 * The desk's address: $SANKAKU_DESK_URL (default http://127.0.0.1:9760);
 * the token: $SANKAKU_TOKEN, or the first line of $SANKAKU_TOKEN_FILE
 * (never an argument: those show in ps).  Every value is made safe for
 * the terminal before it is printed.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event2/buffer.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>
#include <hiredis/hiredis.h>
#include <jansson.h>

#include "buf.h"
#include "cli.h"
#include "pretty.h"
#include "rconn.h"

struct call {
	struct event_base *base;
	int code;
	json_t *reply;
};

static void
done_cb(struct evhttp_request *req, void *arg)
{
	struct call *c = arg;
	struct evbuffer *in;
	size_t n;

	/* one request: do not wait for the kept-alive connection */
	event_base_loopexit(c->base, NULL);
	if (req == NULL) {
		c->code = -1;
		return;
	}
	c->code = evhttp_request_get_response_code(req);
	in = evhttp_request_get_input_buffer(req);
	n = evbuffer_get_length(in);
	/* alerts' strings may hold NUL bytes: pretty_value prints them
	 * escaped */
	c->reply = json_loadb((const char *)evbuffer_pullup(in, (ssize_t)n), n,
	    JSON_ALLOW_NUL, NULL);
}

/* The token, from the environment or its file; NULL if none. */
static char *
token(void)
{
	const char *t = getenv("SANKAKU_TOKEN"),
		   *f = getenv("SANKAKU_TOKEN_FILE");
	char line[256];
	FILE *fp;

	if (t != NULL)
		return strdup(t);
	if (f == NULL || (fp = fopen(f, "r")) == NULL)
		return NULL;
	if (fgets(line, sizeof(line), fp) == NULL)
		line[0] = '\0';
	fclose(fp);
	line[strcspn(line, "\r\n")] = '\0';
	return line[0] != '\0' ? strdup(line) : NULL;
}

/* One request; the status (-1: no answer) and the reply. */
static int
call(const char *method, const char *path, json_t *body, json_t **reply)
{
	const char *url = getenv("SANKAKU_DESK_URL");
	struct evhttp_uri *u;
	struct event_base *base = event_base_new();
	struct evhttp_connection *conn;
	struct evhttp_request *req;
	struct call c = {base, -1, NULL};
	char *tok = token(), auth[300], hostport[300];
	int port;

	if (url == NULL)
		url = "http://127.0.0.1:9760";
	if ((u = evhttp_uri_parse(url)) == NULL ||
	    evhttp_uri_get_host(u) == NULL) {
		fprintf(stderr, "sankaku-desk: SANKAKU_DESK_URL: not a URL\n");
		exit(2);
	}
	if (tok == NULL) {
		fprintf(stderr,
		    "sankaku-desk: set SANKAKU_TOKEN or "
		    "SANKAKU_TOKEN_FILE\n");
		exit(2);
	}
	port = evhttp_uri_get_port(u) > 0 ? evhttp_uri_get_port(u) : 80;
	conn = evhttp_connection_base_new(
	    base, NULL, evhttp_uri_get_host(u), (unsigned short)port);
	/* past the desk's own wait for a MISP (api_send.c), so that its
	 * answer comes first */
	evhttp_connection_set_timeout(conn, 40);
	req = evhttp_request_new(done_cb, &c);
	snprintf(auth, sizeof(auth), "Bearer %s", tok);
	snprintf(
	    hostport, sizeof(hostport), "%s:%d", evhttp_uri_get_host(u), port);
	memset(tok, 0, strlen(tok));
	free(tok);
	evhttp_add_header(
	    evhttp_request_get_output_headers(req), "Host", hostport);
	evhttp_add_header(
	    evhttp_request_get_output_headers(req), "Connection", "close");
	evhttp_add_header(
	    evhttp_request_get_output_headers(req), "Authorization", auth);
	if (body != NULL) {
		char *s = json_dumps(body, JSON_COMPACT);

		evhttp_add_header(evhttp_request_get_output_headers(req),
		    "Content-Type", "application/json");
		evbuffer_add(
		    evhttp_request_get_output_buffer(req), s, strlen(s));
		free(s);
	}
	evhttp_make_request(conn, req,
	    strcmp(method, "POST") == 0 ? EVHTTP_REQ_POST : EVHTTP_REQ_GET,
	    path);
	event_base_dispatch(base);
	evhttp_connection_free(conn);
	event_base_free(base);
	evhttp_uri_free(u);
	*reply = c.reply;
	return c.code;
}

/* "ID phase state owner signature/cve" lines. */
static void
print_list(json_t *r)
{
	json_t *inc;
	size_t i;

	json_array_foreach (json_object_get(r, "incidents"), i, inc) {
		json_t *ph = json_object_get(inc, "phase");

		pretty_fputs(
		    stdout, json_string_value(json_object_get(inc, "id")));
		fputs("  ", stdout);
		pretty_fputs(
		    stdout, json_string_value(json_object_get(ph, "id")));
		fputs(" ", stdout);
		pretty_fputs(
		    stdout, json_string_value(json_object_get(ph, "ja")));
		fputs("  ", stdout);
		pretty_fputs(
		    stdout, json_string_value(json_object_get(inc, "state")));
		fputs("  ", stdout);
		pretty_fputs(stdout,
		    json_is_string(json_object_get(inc, "cve"))
			? json_string_value(json_object_get(inc, "cve"))
			: json_string_value(json_object_get(inc, "asset")));
		printf("  alerts %lld  owner ",
		    (long long)json_integer_value(json_object_get(
			json_object_get(inc, "alerts"), "count")));
		pretty_fputs(
		    stdout, json_string_value(json_object_get(inc, "owner")));
		fputs("\n", stdout);
	}
}

/* "ja / en" of a name the desk gives in both languages. */
static void
out_names(json_t *o)
{
	pretty_fputs(stdout, json_string_value(json_object_get(o, "ja")));
	fputs(" / ", stdout);
	pretty_fputs(stdout, json_string_value(json_object_get(o, "en")));
}

/* One alert in two lines: when and which rule; its ends, protocol,
 * where it points (pretty.h) and its evidence. */
static void
print_alert(json_t *a)
{
	json_t *al = json_object_get(a, "alert");
	const char *app = json_string_value(json_object_get(a, "app_proto"));
	struct buf b = {NULL, 0, 0, 0};

	BUF_PUTS(&b, "  ");
	pretty_value(&b, json_object_get(a, "timestamp"));
	BUF_PUTS(&b, "  ");
	pretty_value(&b, json_object_get(al, "signature_id"));
	BUF_PUTS(&b, " ");
	pretty_value(&b, json_object_get(al, "signature"));
	BUF_PUTS(&b, "\n      ");
	pretty_end(
	    &b, json_object_get(a, "src_ip"), json_object_get(a, "src_port"));
	BUF_PUTS(&b, " -> ");
	pretty_end(
	    &b, json_object_get(a, "dest_ip"), json_object_get(a, "dest_port"));
	BUF_PUTS(&b, "  ");
	pretty_value(&b,
	    json_object_get(a,
		app == NULL || strcmp(app, "failed") == 0 ? "proto"
							  : "app_proto"));
	BUF_PUTS(&b, "  ");
	pretty_where(&b, a);
	BUF_PUTS(&b, "  ");
	pretty_value(
	    &b, json_object_get(json_object_get(a, "sankaku"), "evidence"));
	BUF_PUTS(&b, "\n");
	fputs(b.s != NULL ? b.s : "", stdout);
	free(b.s);
}

/* The alerts' count and span, and the latest CLI_RECENT, newest first,
 * fetched from the stream (the incident keeps their entries, not
 * copies). */
#define CLI_RECENT 5
static void
print_alerts(json_t *al)
{
	json_t *recent = json_object_get(al, "recent"),
	       *entries = json_object_get(al, "entries"), *a;
	size_t i, n = json_array_size(recent);
	char path[96];
	int code;

	printf("alerts   %lld, ",
	    (long long)json_integer_value(json_object_get(al, "count")));
	pretty_fputs(stdout, json_string_value(json_object_get(al, "first")));
	fputs(" .. ", stdout);
	pretty_fputs(stdout, json_string_value(json_object_get(al, "last")));
	fputs("\n", stdout);
	for (i = n; i > 0 && i + CLI_RECENT > n; i--) {
		const char *id =
			       json_string_value(json_array_get(recent, i - 1)),
			   *e = json_string_value(json_object_get(entries, id));

		if (e == NULL || strlen(e) > 40 ||
		    strspn(e, "0123456789-") != strlen(e)) {
			fputs("  ", stdout);
			pretty_fputs(stdout, id);
			fputs("\n", stdout);
			continue;
		}
		snprintf(path, sizeof(path), "/api/alerts/%s", e);
		a = NULL;
		if ((code = call("GET", path, NULL, &a)) == 200 &&
		    json_is_object(a))
			print_alert(a);
		else {
			fputs("  ", stdout);
			pretty_fputs(stdout, id);
			if (code == 404)
				fputs("  no longer in the stream (trimmed by "
				      "its cap)\n",
				    stdout);
			else
				printf("  not fetched (%d)\n", code);
		}
		json_decref(a);
	}
}

static void
print_incident(json_t *inc)
{
	json_t *x, *ph = json_object_get(inc, "phase");
	size_t i;

	fputs("incident ", stdout);
	pretty_fputs(stdout, json_string_value(json_object_get(inc, "id")));
	fputs("  ", stdout);
	pretty_fputs(stdout, json_string_value(json_object_get(inc, "state")));
	fputs("\nphase    ", stdout);
	out_names(ph);
	fputs("\nabout    ", stdout);
	pretty_fputs(stdout,
	    json_is_string(json_object_get(inc, "cve"))
		? json_string_value(json_object_get(inc, "cve"))
		: json_string_value(json_object_get(inc, "asset")));
	fputs("\nwho\n", stdout);
	json_array_foreach (json_object_get(inc, "who"), i, x) {
		fputs("  ", stdout);
		pretty_fputs(
		    stdout, json_string_value(json_object_get(x, "code")));
		fputs(" ", stdout);
		out_names(x);
		fputs("  team ", stdout);
		pretty_fputs(
		    stdout, json_string_value(json_object_get(x, "team")));
		if (json_is_true(json_object_get(x, "weak")))
			fputs("  [weak]", stdout);
		fputs("\n", stdout);
	}
	fputs("what\n", stdout);
	json_array_foreach (json_object_get(inc, "what"), i, x) {
		printf("  %zu [%c] ", i,
		    json_is_true(json_object_get(x, "done")) ? 'x' : ' ');
		out_names(x);
		fputs("\n", stdout);
	}
	print_alerts(json_object_get(inc, "alerts"));
	if (json_array_size(json_object_get(inc, "peers")) > 0) {
		/* what our own detections saw acting against it */
		fputs("hostile ", stdout);
		json_array_foreach (json_object_get(inc, "peers"), i, x) {
			struct buf b = {NULL, 0, 0, 0};

			pretty_end(&b, json_object_get(x, "ip"), NULL);
			printf(" %s x%lld (%s)", b.s != NULL ? b.s : "-",
			    (long long)json_integer_value(
				json_object_get(x, "count")),
			    strcmp(json_string_value(json_object_get(x, "end")),
				"dst") == 0
				? "dst"
				: "src");
			free(b.s);
		}
		fputs("\n", stdout);
	}
	fputs("history\n", stdout);
	json_array_foreach (json_object_get(inc, "history"), i, x) {
		fputs("  ", stdout);
		pretty_fputs(
		    stdout, json_string_value(json_object_get(x, "at")));
		fputs(" ", stdout);
		pretty_fputs(stdout,
		    json_string_value(
			json_object_get(json_object_get(x, "by"), "user")));
		fputs(" ", stdout);
		pretty_fputs(
		    stdout, json_string_value(json_object_get(x, "action")));
		if (json_is_string(json_object_get(x, "to"))) {
			fputs(" -> ", stdout);
			pretty_fputs(stdout,
			    json_string_value(json_object_get(x, "to")));
		}
		if (json_is_string(json_object_get(x, "note"))) {
			fputs(": ", stdout);
			pretty_fputs(stdout,
			    json_string_value(json_object_get(x, "note")));
		}
		fputs("\n", stdout);
	}
}

static int
usage(void)
{
	fputs("usage: sankaku-desk list [open|closed|all] | show ID | ack ID |"
	      " reopen ID | share ID\n"
	      "       sankaku-desk report ID [stix|misp] [clear|green|amber|"
	      "amber+strict]\n"
	      "       sankaku-desk send ID SOURCE [clear|green|amber|"
	      "amber+strict]\n"
	      "       sankaku-desk assign ID USER | advance ID DECISION [NOTE] "
	      "| note ID TEXT\n"
	      "       sankaku-desk close ID VERDICT [NOTE] | mute ID SID "
	      "[SECONDS]\n"
	      "  $SANKAKU_DESK_URL, $SANKAKU_TOKEN or $SANKAKU_TOKEN_FILE\n",
	    stderr);
	return 2;
}

int
cli_main(int argc, char **argv)
{
	const char *cmd = argv[0];
	json_t *reply = NULL, *body;
	char path[256];
	int code;

	if (strcmp(cmd, "help") == 0 || argc < 1)
		return usage();
	if (strcmp(cmd, "list") == 0) {
		snprintf(path, sizeof(path), "/api/incidents?state=%s",
		    argc > 1 ? argv[1] : "open");
		if (argc > 1 && strcmp(argv[1], "open") != 0 &&
		    strcmp(argv[1], "closed") != 0 &&
		    strcmp(argv[1], "all") != 0)
			return usage();
		code = call("GET", path, NULL, &reply);
	} else if (argc < 2 || strlen(argv[1]) > 60 ||
	    strspn(argv[1], "0123456789-") != strlen(argv[1]))
		return usage();
	else if (strcmp(cmd, "show") == 0) {
		snprintf(path, sizeof(path), "/api/incidents/%s", argv[1]);
		code = call("GET", path, NULL, &reply);
	} else if (strcmp(cmd, "report") == 0) {
		const char *fmt = argc > 2 ? argv[2] : "stix";
		const char *tlp = argc > 3 ? argv[3] : "amber";
		int strict = strcmp(tlp, "amber+strict") == 0;

		if (strlen(fmt) > 8 || strlen(tlp) > 16 ||
		    strspn(fmt, "abcdefghijklmnopqrstuvwxyz") != strlen(fmt) ||
		    (!strict &&
			strspn(tlp, "abcdefghijklmnopqrstuvwxyz") !=
			    strlen(tlp)))
			return usage();
		/* a query's '+' is a space: amber+strict's, escaped */
		snprintf(path, sizeof(path),
		    "/api/incidents/%s/report?format=%s&tlp=%s", argv[1], fmt,
		    strict ? "amber%2Bstrict" : tlp);
		code = call("GET", path, NULL, &reply);
	} else if (strcmp(cmd, "send") == 0) { /* to SOURCE's MISP */
		if (argc < 3)
			return usage();
		body = json_pack("{s:s, s:s}", "source", argv[2], "tlp",
		    argc > 3 ? argv[3] : "amber");
		snprintf(path, sizeof(path), "/api/incidents/%s/send", argv[1]);
		code = call("POST", path, body, &reply);
		json_decref(body);
	} else {
		body = json_pack("{s:s}", "action", cmd);
		if ((strcmp(cmd, "assign") == 0 || strcmp(cmd, "note") == 0 ||
			strcmp(cmd, "advance") == 0 ||
			strcmp(cmd, "close") == 0 ||
			strcmp(cmd, "mute") == 0) &&
		    argc < 3) {
			json_decref(body);
			return usage();
		}
		if (strcmp(cmd, "assign") == 0)
			json_object_set_new(body, "user", json_string(argv[2]));
		if (strcmp(cmd, "note") == 0)
			json_object_set_new(body, "note", json_string(argv[2]));
		if (strcmp(cmd, "advance") == 0)
			json_object_set_new(
			    body, "decision", json_string(argv[2]));
		if (strcmp(cmd, "close") == 0)
			json_object_set_new(
			    body, "verdict", json_string(argv[2]));
		if ((strcmp(cmd, "advance") == 0 ||
			strcmp(cmd, "close") == 0) &&
		    argc > 3)
			json_object_set_new(body, "note", json_string(argv[3]));
		if (strcmp(cmd, "mute") == 0) {
			json_object_set_new(
			    body, "sid", json_integer(atoll(argv[2])));
			if (argc > 3)
				json_object_set_new(body, "duration_s",
				    json_integer(atoll(argv[3])));
		}
		snprintf(
		    path, sizeof(path), "/api/incidents/%s/actions", argv[1]);
		code = call("POST", path, body, &reply);
		json_decref(body);
	}
	if (code != 200) {
		fprintf(stderr, "sankaku-desk: %s",
		    code < 0 ? "no answer from the desk" : "refused: ");
		if (code >= 0)
			pretty_fputs(stderr,
			    json_string_value(json_object_get(reply, "error")));
		fprintf(stderr, code >= 0 ? " (%d)\n" : "\n", code);
		json_decref(reply);
		return 1;
	}
	if (strcmp(cmd, "list") == 0)
		print_list(reply);
	else if (strcmp(cmd, "report") == 0) { /* for the sharing tool */
		json_dumpf(reply, stdout, JSON_INDENT(2) | JSON_ENSURE_ASCII);
		fputs("\n", stdout);
	} else if (strcmp(cmd, "send") == 0) {
		printf("sent to %s's MISP: event ", argv[2]);
		pretty_fputs(
		    stdout, json_string_value(json_object_get(reply, "event")));
		fputs(" (unpublished there, for its review)\n", stdout);
	} else
		print_incident(reply);
	json_decref(reply);
	return 0;
}

int
cli_export(const struct settings *s, FILE *fp)
{
	const char *zs[2] = {"incidents:open", "incidents:closed"};
	char err[256];
	redisContext *c;
	size_t z, i, n = 0;

	if ((c = rconn_open(&s->url, "sankaku-desk-export", 5000, err,
		 sizeof(err))) == NULL) {
		fprintf(stderr, "sankaku-desk: %s\n", err);
		return 1;
	}
	for (z = 0; z < 2; z++) {
		redisReply *ids =
		    redisCommand(c, "ZRANGE %s%s 0 -1", s->cfg->prefix, zs[z]);

		for (i = 0; ids != NULL && ids->type == REDIS_REPLY_ARRAY &&
		     i < ids->elements;
		     i++) {
			redisReply *r = redisCommand(c, "GET %sincident:%s",
			    s->cfg->prefix, ids->element[i]->str);

			if (r != NULL && r->type == REDIS_REPLY_STRING) {
				fwrite(r->str, 1, r->len, fp);
				fputc('\n', fp);
				n++;
			}
			freeReplyObject(r);
		}
		freeReplyObject(ids);
	}
	redisFree(c);
	fprintf(stderr, "sankaku-desk: %zu incidents exported\n", n);
	return 0;
}
