/*
 * sankaku-tail: follow the enriched alerts as a person reads them.
 *
 *   sankaku-tail [-c FILE] [--redis URL] [--password-file FILE]
 *                [-n N] [--once] [--json] [--channel NAME]
 *
 * It follows the stream (the config's output.stream, sankaku:alerts by
 * default) from now, after printing the last N alerts; --once prints
 * those and exits.  --channel follows a channel instead (sankaku:alerts,
 * sankaku:phase:<id>, sankaku:role:<code>, sankaku:source:<id>; a '*'
 * makes it a pattern).  --json prints each alert as one line of JSON
 * (ASCII only).  Every value is made safe for a terminal (pretty.h).  A
 * lost connection is made again every 2 s; the stream is followed on from
 * the last alert printed.
 */

#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <hiredis/hiredis.h>
#include <jansson.h>

#include "pretty.h"
#include "rconn.h"
#include "reference.h"
#include "settings.h"

#ifndef SANKAKU_VERSION
#define SANKAKU_VERSION "0.0.0"
#endif
#define RETRY_S 2

struct tail {
	struct redis_url url;
	char stream[512];
	const char *channel;
	long last_n;
	int once, json;
	char last_id[64];   /* the last entry printed, "$" for none */
	char prefix[128];   /* output.prefix: where the reference lives */
	redisContext *refc; /* for the reference (a subscriber cannot GET) */
	char ref_ver[16];   /* the version held in ref_doc */
	json_t *ref_doc;
};

/* The reference document of version ver, fetched once; NULL if Redis
 * does not have it (the alert is printed with its codes). */
static const json_t *
tail_reference(struct tail *t, const char *ver)
{
	char err[256];
	redisReply *r;
	json_t *doc = NULL;

	if (t->ref_doc != NULL && strcmp(t->ref_ver, ver) == 0)
		return t->ref_doc;
	if (t->refc == NULL &&
	    (t->refc = rconn_open(
		 &t->url, "sankaku-tail-ref", 5000, err, sizeof(err))) == NULL)
		return NULL;
	r = redisCommand(t->refc, "GET %sreference:%s", t->prefix, ver);
	if (r == NULL) {
		redisFree(t->refc); /* try a new connection next time */
		t->refc = NULL;
		return NULL;
	}
	if (r->type == REDIS_REPLY_STRING)
		doc = json_loadb(r->str, r->len, 0, NULL);
	freeReplyObject(r);
	if (doc == NULL)
		return NULL;
	json_decref(t->ref_doc);
	t->ref_doc = doc;
	snprintf(t->ref_ver, sizeof(t->ref_ver), "%.15s", ver);
	return doc;
}

/* Let go of the reference and its connection. */
static void
tail_reference_free(struct tail *t)
{
	if (t->refc != NULL)
		redisFree(t->refc);
	t->refc = NULL;
	json_decref(t->ref_doc);
	t->ref_doc = NULL;
}

/* A compact alert (sankaku.ref) expanded with its names, when Redis has
 * them. */
static void
tail_expand(struct tail *t, json_t *alert)
{
	json_t *sk = json_object_get(alert, "sankaku");
	const char *ver = json_string_value(json_object_get(sk, "ref"));
	const json_t *doc;

	if (ver != NULL && strspn(ver, "0123456789abcdef") == strlen(ver) &&
	    (doc = tail_reference(t, ver)) != NULL)
		reference_expand(sk, doc);
}

/* Usage, on stdout for -h (exit 0), else on stderr (exit 2). */
static void __attribute__((noreturn)) usage(int asked)
{
	fprintf(asked ? stdout : stderr,
	    "usage: sankaku-tail [-c FILE] [--redis URL] [--password-file "
	    "FILE]\n"
	    "                    [-n N] [--once] [--json] [--channel NAME]\n"
	    "  -c FILE          take Redis, its password and the stream from "
	    "sankaku.json\n"
	    "  --redis URL      redis://[user@]host[:port][/db] or "
	    "unix:///path.sock\n"
	    "  --password-file  its password (first line)\n"
	    "  -n N             the last N alerts first (default 0)\n"
	    "  --once           print them and exit\n"
	    "  --json           one line of JSON per alert\n"
	    "  --channel NAME   follow a channel (a '*' makes it a pattern)\n");
	exit(asked ? 0 : 2);
}

/* Print one alert (its JSON text). */
static void
tail_print(struct tail *t, const char *text, size_t len)
{
	struct buf b = {NULL, 0, 0, 0};
	json_t *o = json_loadb(text, len, JSON_ALLOW_NUL, NULL);
	char *s;

	if (o == NULL) {
		BUF_PUTS(&b, "(not JSON) ");
		pretty_text(&b, text, len);
		BUF_PUTS(&b, "\n");
	} else if (t->json) {
		if ((s = json_dumps(o,
			 JSON_COMPACT | JSON_ENSURE_ASCII |
			     JSON_PRESERVE_ORDER)) != NULL) {
			buf_put(&b, s, strlen(s));
			BUF_PUTS(&b, "\n");
			free(s);
		}
	} else {
		tail_expand(t, o);
		pretty_alert(&b, o);
	}
	json_decref(o);
	if (!b.oom && b.s != NULL)
		fwrite(b.s, 1, b.len, stdout);
	free(b.s);
	fflush(stdout);
}

/* Print the alert of a stream entry [id, [field, value, ...]]. */
static void
tail_entry(struct tail *t, const redisReply *e)
{
	const redisReply *f;
	size_t j;

	if (e->type != REDIS_REPLY_ARRAY || e->elements < 2 ||
	    e->element[0]->type != REDIS_REPLY_STRING)
		return;
	snprintf(t->last_id, sizeof(t->last_id), "%s", e->element[0]->str);
	f = e->element[1];
	for (j = 0; f->type == REDIS_REPLY_ARRAY && j + 1 < f->elements; j += 2)
		if (f->element[j + 1]->type == REDIS_REPLY_STRING)
			tail_print(
			    t, f->element[j + 1]->str, f->element[j + 1]->len);
}

/* The last N alerts, oldest first; -1 on a Redis error. */
static int
tail_backlog(struct tail *t, redisContext *c)
{
	redisReply *r;
	size_t i;

	if (t->last_n <= 0)
		return 0;
	r = redisCommand(c, "XREVRANGE %s + - COUNT %ld", t->stream, t->last_n);
	if (r == NULL || r->type != REDIS_REPLY_ARRAY) {
		fprintf(stderr, "sankaku-tail: %s: %s\n", t->stream,
		    r != NULL ? rconn_what(r) : c->errstr);
		freeReplyObject(r);
		return -1;
	}
	for (i = r->elements; i > 0; i--)
		tail_entry(t, r->element[i - 1]);
	freeReplyObject(r);
	return 0;
}

/* Follow the stream; returns on a Redis error. */
static void
tail_stream(struct tail *t, redisContext *c)
{
	redisReply *r;
	size_t i;

	for (;;) {
		r = redisCommand(c, "XREAD COUNT 100 BLOCK 5000 STREAMS %s %s",
		    t->stream, t->last_id);
		if (r == NULL || r->type == REDIS_REPLY_ERROR) {
			fprintf(stderr, "sankaku-tail: %s: %s\n", t->stream,
			    r != NULL ? r->str : c->errstr);
			freeReplyObject(r);
			return;
		}
		if (r->type == REDIS_REPLY_ARRAY && r->elements > 0 &&
		    r->element[0]->elements > 1)
			for (i = 0; i < r->element[0]->element[1]->elements;
			     i++)
				tail_entry(
				    t, r->element[0]->element[1]->element[i]);
		freeReplyObject(r);
	}
}

/* Follow a channel; returns on a Redis error. */
static void
tail_channel(struct tail *t, redisContext *c)
{
	int pattern = strchr(t->channel, '*') != NULL;
	redisReply *r = redisCommand(
	    c, pattern ? "PSUBSCRIBE %s" : "SUBSCRIBE %s", t->channel);

	if (r == NULL || r->type == REDIS_REPLY_ERROR) {
		fprintf(stderr, "sankaku-tail: %s: %s\n", t->channel,
		    r != NULL ? r->str : c->errstr);
		freeReplyObject(r);
		return;
	}
	freeReplyObject(r);
	while (redisGetReply(c, (void **)&r) == REDIS_OK) {
		/* message, channel, payload; pmessage, pattern, channel,
		 * payload */
		if (r->type == REDIS_REPLY_ARRAY && r->elements >= 3 &&
		    r->element[r->elements - 1]->type == REDIS_REPLY_STRING)
			tail_print(t, r->element[r->elements - 1]->str,
			    r->element[r->elements - 1]->len);
		freeReplyObject(r);
	}
	fprintf(stderr, "sankaku-tail: %s: %s\n", t->channel, c->errstr);
}

/* Read a password file's first line into the URL. */
static void
tail_password(struct tail *t, const char *file)
{
	FILE *f = fopen(file, "r");

	if (f == NULL ||
	    fgets(t->url.password, sizeof(t->url.password), f) == NULL) {
		fprintf(stderr,
		    "sankaku-tail: --password-file %s: cannot read "
		    "it\n",
		    file);
		exit(2);
	}
	fclose(f);
	t->url.password[strcspn(t->url.password, "\r\n")] = '\0';
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
	    {"redis", required_argument, NULL, 'r'},
	    {"password-file", required_argument, NULL, 'p'},
	    {"once", no_argument, NULL, '1'},
	    {"json", no_argument, NULL, 'j'},
	    {"channel", required_argument, NULL, 'C'},
	    {"version", no_argument, NULL, 'V'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	struct tail t;
	struct settings s;
	const char *config = NULL, *redis = NULL, *pwfile = NULL;
	char err[512], *end;
	redisContext *c;
	int ch;

	memset(&t, 0, sizeof(t));
	snprintf(t.stream, sizeof(t.stream), "sankaku:alerts");
	snprintf(t.prefix, sizeof(t.prefix), "sankaku:");
	snprintf(t.last_id, sizeof(t.last_id), "$");
	while ((ch = getopt_long(argc, argv, "c:n:h", longopts, NULL)) != -1) {
		switch (ch) {
		case 'c':
			config = optarg;
			break;
		case 'r':
			redis = optarg;
			break;
		case 'p':
			pwfile = optarg;
			break;
		case 'n':
			t.last_n = strtol(optarg, &end, 10);
			if (end == optarg || *end != '\0' || t.last_n < 0) {
				fprintf(stderr,
				    "sankaku-tail: -n takes a count of alerts, "
				    "0 or more\n");
				usage(0);
			}
			break;
		case '1':
			t.once = 1;
			break;
		case 'j':
			t.json = 1;
			break;
		case 'C':
			t.channel = optarg;
			break;
		case 'V':
			printf("sankaku-tail %s\n", SANKAKU_VERSION);
			return 0;
		case 'h':
			usage(1);
		default:
			usage(0);
		}
	}
	if (optind != argc)
		usage(0);
	if (config != NULL) {
		if (settings_load(config, redis, &s, err, sizeof(err)) != 0) {
			fprintf(stderr, "sankaku-tail: %s\n", err);
			return 2;
		}
		t.url = s.url;
		snprintf(t.stream, sizeof(t.stream), "%s", s.cfg->stream);
		snprintf(t.prefix, sizeof(t.prefix), "%s", s.cfg->prefix);
		settings_free(&s);
	} else if (redisurl_parse(
		       redis != NULL ? redis : "redis://127.0.0.1:6379", &t.url,
		       err, sizeof(err)) != 0) {
		fprintf(stderr, "sankaku-tail: --redis: %s\n", err);
		return 2;
	}
	if (pwfile != NULL)
		tail_password(&t, pwfile);
	signal(SIGPIPE, SIG_IGN);
	for (;;) {
		if ((c = rconn_open(&t.url, "sankaku-tail", 5000, err,
			 sizeof(err))) == NULL)
			fprintf(stderr, "sankaku-tail: %s\n", err);
		else {
			struct timeval none = {0, 0};

			redisSetTimeout(c, none); /* waits may be long */
			if (t.channel != NULL)
				tail_channel(&t, c);
			else if (tail_backlog(&t, c) == 0) {
				t.last_n = 0; /* once, not on every reconnect */
				if (t.once) {
					redisFree(c);
					tail_reference_free(&t);
					return 0;
				}
				tail_stream(&t, c);
			}
			redisFree(c);
		}
		if (t.once) {
			tail_reference_free(&t);
			return 1;
		}
		sleep(RETRY_S);
	}
}
