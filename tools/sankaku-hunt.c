/*
 * sankaku-hunt: search past EVE logs for the indicators the feeds list.
 *
 *   sankaku-hunt [-c FILE | --index FILE] [--source ID] [--since TIME]
 *                [--previous INDEX] [--json] [--push [--max-push N]]
 *                [EVE ...]
 *
 * Reads Suricata's EVE JSON lines (the files named, "-" or none for
 * standard input: zcat eve.json.*.gz | sankaku-hunt -c ... -) and prints
 * every event that carries an indicator of the index sankaku-rules
 * wrote (the config's "index", or --index): when, what kind of event,
 * between which ends, which indicator, its sources and publication, and
 * how long before that publication the event happened.  --source keeps
 * one source's indicators (measured against its own publication),
 * --since those published at or after TIME, --previous those an older
 * index did not hold (what a refresh added, however late its sources
 * were): what the network saw before the rules knew.  A summary by
 * source goes to standard error.  Every value is made safe for a
 * terminal (pretty.h); --json prints one line of ASCII JSON a hit.
 * Unreadable lines are counted and the first ones named (file and line,
 * never their bytes).  --push also puts each hit into the input list as
 * a retro-hunt alert (hunt_alert), for sankakud and the desk, at most
 * --max-push of them (1000): a broad feed's false positive can match
 * half the logs, and should be looked at before it floods the desk.  Exit 0
 * when something was found, 1 when nothing, 2 on an error (grep's
 * convention).
 */

#define _GNU_SOURCE /* strcasestr */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hiredis/hiredis.h>
#include <jansson.h>

#include "hunt.h"
#include "pretty.h"
#include "rconn.h"
#include "settings.h"
#include "timeparse.h"

#ifndef SANKAKU_VERSION
#define SANKAKU_VERSION "0.0.0"
#endif
#define MAX_LINE (1 << 20) /* a longer line is not an event */
#define NAMED_BAD 5	   /* unreadable lines named; the rest counted */
#define NO_CONFIG "{\"sources\": []}" /* without -c: the defaults */
#define MAX_PUSH 1000 /* retro-hunt alerts pushed at most (--max-push) */

struct run {
	const struct idx *idx;
	const struct cfg *cfg;
	struct hunt_filter flt;
	int json;
	struct hunt_stats st;
	/* --push: each hit as a retro-hunt alert into the input list */
	redisContext *rc;
	const char *key;
	int rpush, push_failed;
	long sid;
	unsigned long pushed, max_push, held; /* held: hits over max_push */
};

static void __attribute__((noreturn)) usage(int asked)
{
	fprintf(asked ? stdout : stderr,
	    "usage: sankaku-hunt [-c FILE | --index FILE] [--source ID] "
	    "[--since TIME]\n"
	    "                    [--previous INDEX] [--json] [--push "
	    "[--max-push N]] [EVE ...]\n"
	    "  -c FILE        the index (and home_net) from sankaku.json\n"
	    "  --index FILE   the index sankaku-rules wrote "
	    "(DIR/sankaku.index)\n"
	    "  --source ID    only that source's indicators\n"
	    "  --since TIME   only indicators published since TIME "
	    "(RFC 3339)\n"
	    "  --previous IDX only indicators this older index did not hold\n"
	    "  --json         one line of JSON per hit\n"
	    "  --push         each hit (not an alert already) as a retro-hunt "
	    "alert into\n"
	    "                 -c's input list, for sankakud and the desk\n"
	    "  --max-push N   at most N of them (default 1000)\n"
	    "  EVE            eve.json files; none or - for standard input\n"
	    "exit: 0 found, 1 nothing found, 2 error\n");
	exit(asked ? 0 : 2);
}

/* A count of 0 to a billion, all digits; 0 or -1. */
static int
parse_count(const char *s, unsigned long *out)
{
	char *end;
	unsigned long v;

	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno != 0 || *end != '\0' || v > 1000000000UL)
		return -1;
	*out = v;
	return 0;
}

/* "3 d 4 h", "5 h 2 min", "40 s". */
static void
span(long long s, char *out_, size_t len)
{
	if (s >= 86400)
		snprintf(
		    out_, len, "%lld d %lld h", s / 86400, s % 86400 / 3600);
	else if (s >= 3600)
		snprintf(out_, len, "%lld h %lld min", s / 3600, s % 3600 / 60);
	else if (s >= 60)
		snprintf(out_, len, "%lld min", s / 60);
	else
		snprintf(out_, len, "%lld s", s);
}

static void
out_end(const char *ip, int port)
{
	int v6 = strchr(ip, ':') != NULL;

	if (port >= 0 && v6)
		fputs("[", stdout);
	pretty_fputs(stdout, ip[0] != '\0' ? ip : "-");
	if (port >= 0)
		printf("%s:%d", v6 ? "]" : "", port);
}

/* A publication time as RFC 3339 UTC, "-" if unknown. */
static const char *
when(time_t at, char out_[32])
{
	if (at == (time_t)-1)
		return "-";
	time_format(at, out_, 32);
	return out_;
}

static void
print_text(const struct hunt_event *ev, const struct hunt_hit *h)
{
	char d[48], t[32];

	pretty_fputs(stdout, ev->ts[0] != '\0' ? ev->ts : "-");
	fputs("  ", stdout);
	pretty_fputs(stdout, ev->event_type[0] != '\0' ? ev->event_type : "-");
	fputs("  ", stdout);
	out_end(ev->src, ev->sport);
	fputs(" -> ", stdout);
	out_end(ev->dst, ev->dport);
	fputs("  ", stdout);
	pretty_fputs(stdout, h->e->type);
	fputs(" ", stdout);
	pretty_fputs(stdout, h->e->value);
	if (ev->about[0] != '\0' &&
	    strcasestr(h->e->value, ev->about) == NULL) {
		/* what the event was about, when it is not the indicator: a
		 * name resolving to a listed address may be a sibling */
		fputs(" (", stdout);
		pretty_fputs(stdout, ev->about);
		fputs(")", stdout);
	}
	fputs("  [", stdout);
	pretty_fputs(stdout, h->e->sources);
	fputs("] published ", stdout);
	pretty_fputs(stdout, when(h->published, t));
	if (h->e->name != NULL) {
		fputs("  \"", stdout);
		pretty_fputs(stdout, h->e->name);
		fputs("\"", stdout);
	}
	if (h->lead_known && h->lead_s > 0) {
		span(h->lead_s, d, sizeof(d));
		printf("  seen %s before it was published", d);
	}
	fputs("\n", stdout);
}

static void
print_json(const struct hunt_event *ev, const struct hunt_hit *h)
{
	json_t *o = json_object(), *ind = json_object();
	char *s, t[32];

	json_object_set_new(ind, "type", json_string(h->e->type));
	json_object_set_new(ind, "value", json_string(h->e->value));
	json_object_set_new(ind, "sources", hunt_list(h->e->sources));
	json_object_set_new(ind, "published",
	    h->published != (time_t)-1 ? json_string(when(h->published, t))
				       : json_null());
	if (h->e->name != NULL)
		json_object_set_new(ind, "name", json_string(h->e->name));
	json_object_set_new(o, "timestamp", json_string(ev->ts));
	json_object_set_new(o, "event_type", json_string(ev->event_type));
	json_object_set_new(o, "src_ip", json_string(ev->src));
	if (ev->sport >= 0)
		json_object_set_new(o, "src_port", json_integer(ev->sport));
	json_object_set_new(o, "dest_ip", json_string(ev->dst));
	if (ev->dport >= 0)
		json_object_set_new(o, "dest_port", json_integer(ev->dport));
	if (ev->proto[0] != '\0')
		json_object_set_new(o, "app_proto", json_string(ev->proto));
	if (ev->about[0] != '\0')
		json_object_set_new(o, "about", json_string(ev->about));
	json_object_set_new(o, "indicator", ind);
	json_object_set_new(o, "before_publication_s",
	    h->lead_known ? json_integer(h->lead_s) : json_null());
	s = json_dumps(
	    o, JSON_COMPACT | JSON_ENSURE_ASCII | JSON_PRESERVE_ORDER);
	if (s != NULL)
		puts(s);
	free(s);
	json_decref(o);
}

/* An unreadable line, by file and number (its bytes are not shown). */
static void
bad_line(const char *name, unsigned long lineno, const char *why)
{
	fflush(stdout);
	fputs("sankaku-hunt: ", stderr);
	pretty_fputs(stderr, name);
	fprintf(stderr, ":%lu: skipped: %s\n", lineno, why);
}

/* A hit as a retro-hunt alert into the input list; after a failure,
 * nothing more is pushed (the run ends with exit 2). */
static void
push(struct run *r, const char *line, size_t len, const struct hunt_hit *h)
{
	char *a;
	redisReply *rep;

	if (r->push_failed)
		return;
	if (r->pushed == r->max_push) {
		r->held++;
		return;
	}
	if ((a = hunt_alert(line, len, h, r->sid)) == NULL) {
		fprintf(stderr, "sankaku-hunt: --push: out of memory\n");
		r->push_failed = 1;
		return;
	}
	rep = redisCommand(r->rc, r->rpush ? "RPUSH %s %b" : "LPUSH %s %b",
	    r->key, a, strlen(a));
	free(a);
	if (rep == NULL || rep->type != REDIS_REPLY_INTEGER) {
		fprintf(stderr,
		    "sankaku-hunt: --push: %s: %s; nothing more "
		    "pushed\n",
		    r->key, rep != NULL ? rconn_what(rep) : r->rc->errstr);
		r->push_failed = 1;
	} else
		r->pushed++;
	freeReplyObject(rep);
}

/* Lines of a file read in blocks, each line at most MAX_LINE bytes: a
 * longer one is passed over to its end without being held (a file with
 * no newline at all costs no more memory than a good one). */
struct lines {
	FILE *fp;
	char *buf; /* MAX_LINE + BLOCK bytes */
	size_t start, end;
	int eof;
};
#define BLOCK (1 << 16)

/* The next line (without its end): 1 and *line, *len; 2 for one too long
 * (*len its length so far); 0 at the end; -1 on a read error. */
static int
next_line(struct lines *l, char **line, size_t *len)
{
	size_t skipped = 0;

	for (;;) {
		char *nl = memchr(l->buf + l->start, '\n', l->end - l->start);
		size_t n;

		if (nl != NULL || (l->eof && l->end > l->start)) {
			n = nl != NULL ? (size_t)(nl - (l->buf + l->start))
				       : l->end - l->start;
			*line = l->buf + l->start;
			l->start += n + (nl != NULL);
			while (n > 0 && (*line)[n - 1] == '\r')
				n--;
			*len = n + skipped;
			return skipped > 0 || n > MAX_LINE ? 2 : 1;
		}
		if (l->eof)
			return skipped > 0 ? (*len = skipped, 2) : 0;
		if (l->end - l->start > MAX_LINE) { /* too long: let it go */
			skipped += l->end - l->start;
			l->start = l->end;
		}
		memmove(l->buf, l->buf + l->start, l->end - l->start);
		l->end -= l->start;
		l->start = 0;
		n = fread(l->buf + l->end, 1, BLOCK, l->fp);
		l->end += n;
		if (n == 0) {
			if (ferror(l->fp))
				return -1;
			l->eof = 1;
		}
	}
}

/* Every line of fp (named name); 0, or -1 if it could not be read. */
static int
hunt_file(struct run *r, FILE *fp, const char *name)
{
	struct lines l = {fp, malloc(MAX_LINE + BLOCK), 0, 0, 0};
	struct hunt_event ev;
	char *line, err[256];
	size_t len, i;
	unsigned long lineno = 0;
	int got;

	if (l.buf == NULL) {
		fprintf(stderr, "sankaku-hunt: out of memory\n");
		return -1;
	}
	while ((got = next_line(&l, &line, &len)) > 0) {
		lineno++;
		if (got == 1 && len == 0)
			continue;
		if (got == 2)
			snprintf(err, sizeof(err), "%zu bytes, more than %d",
			    len, MAX_LINE);
		if (got == 2 ||
		    hunt_event(line, len, r->idx, r->cfg, &r->flt, &ev, err,
			sizeof(err)) != 0) {
			if (++r->st.unreadable <= NAMED_BAD)
				bad_line(name, lineno, err);
			continue;
		}
		hunt_count(&r->st, &ev);
		for (i = 0; i < ev.nhits; i++) {
			(r->json ? print_json : print_text)(&ev, &ev.hits[i]);
			if (r->rc != NULL &&
			    strcmp(ev.event_type, "alert") != 0)
				push(r, line, len, &ev.hits[i]);
		}
	}
	free(l.buf);
	if (got < 0) {
		fprintf(
		    stderr, "sankaku-hunt: %s: %s\n", name, strerror(errno));
		return -1;
	}
	return 0;
}

/* One file by its path, "-" for standard input; 0, or 2. */
static int
hunt_path(struct run *r, const char *path)
{
	int std = strcmp(path, "-") == 0, rc;
	FILE *fp = std ? stdin : fopen(path, "r");

	if (fp == NULL) {
		fprintf(
		    stderr, "sankaku-hunt: %s: %s\n", path, strerror(errno));
		return 2;
	}
	rc = hunt_file(r, fp, std ? "(stdin)" : path) != 0 ? 2 : 0;
	if (!std)
		fclose(fp);
	return rc;
}

/* --push: the config's Redis and input list; 0, or -1 said why. */
static int
push_open(struct run *r, const struct cfg *cfg, const struct redis_url *url)
{
	char err[512];

	if (cfg == NULL) {
		fprintf(stderr,
		    "sankaku-hunt: --push needs -c FILE (Redis and "
		    "the input list)\n");
		return -1;
	}
	if (cfg->input_mode != INPUT_LIST) {
		fprintf(stderr,
		    "sankaku-hunt: --push: the input is a stream "
		    "(Suricata 8); only a list is pushed to\n");
		return -1;
	}
	if ((r->rc = rconn_open(url, "sankaku-hunt", 5000, err, sizeof(err))) ==
	    NULL) {
		fprintf(stderr, "sankaku-hunt: --push: %s\n", err);
		return -1;
	}
	if (r->flt.since == (time_t)-1 && r->flt.previous == NULL)
		fprintf(stderr,
		    "sankaku-hunt: --push without --since or --previous: every "
		    "hit "
		    "goes in, also those the rules may have "
		    "alerted on when they came\n");
	r->key = cfg->input_key;
	r->rpush = cfg->input_push == PUSH_RPUSH;
	r->sid = cfg->sid_base + HUNT_SID_OFFSET;
	return 0;
}

static void
summary(const struct hunt_stats *st)
{
	char d[48];
	size_t i;

	fprintf(stderr,
	    "sankaku-hunt: %lu events read, %lu lines unreadable; %lu with an "
	    "indicator, %lu hits, %lu before their publication\n",
	    st->events, st->unreadable, st->events_hit, st->hits, st->before);
	for (i = 0; i < st->nsrc; i++) {
		fprintf(stderr, "  %-20s %lu hits, %lu before it published",
		    st->src[i].id, st->src[i].hits, st->src[i].before);
		if (st->src[i].before > 0) {
			span(st->src[i].max_lead_s, d, sizeof(d));
			fprintf(stderr, " (up to %s earlier)", d);
		}
		fputs("\n", stderr);
	}
	if (st->other_sources > 0)
		fprintf(stderr, "  and %lu hits of further sources\n",
		    st->other_sources);
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
	    {"index", required_argument, NULL, 'i'},
	    {"source", required_argument, NULL, 's'},
	    {"since", required_argument, NULL, 'S'},
	    {"previous", required_argument, NULL, 'p'},
	    {"json", no_argument, NULL, 'j'},
	    {"push", no_argument, NULL, 'P'},
	    {"max-push", required_argument, NULL, 'M'},
	    {"version", no_argument, NULL, 'V'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	struct run r;
	struct settings s;
	struct idx *own = NULL, *prev = NULL;
	struct cfg *dflt = NULL;
	const char *config = NULL, *index = NULL, *since = NULL,
		   *previous = NULL;
	char err[512];
	int ch, i, rc = 0, want_push = 0;

	memset(&r, 0, sizeof(r));
	memset(&s, 0, sizeof(s));
	r.flt.since = (time_t)-1;
	r.max_push = MAX_PUSH;
	while ((ch = getopt_long(argc, argv, "c:h", longopts, NULL)) != -1) {
		switch (ch) {
		case 'c':
			config = optarg;
			break;
		case 'i':
			index = optarg;
			break;
		case 's':
			r.flt.source = optarg;
			break;
		case 'S':
			since = optarg;
			break;
		case 'p':
			previous = optarg;
			break;
		case 'j':
			r.json = 1;
			break;
		case 'P':
			want_push = 1;
			break;
		case 'M':
			if (parse_count(optarg, &r.max_push) != 0) {
				fprintf(stderr,
				    "sankaku-hunt: --max-push: not a "
				    "count\n");
				return 2;
			}
			break;
		case 'V':
			printf("sankaku-hunt %s\n", SANKAKU_VERSION);
			return 0;
		case 'h':
			usage(1);
		default:
			usage(0);
		}
	}
	if (since != NULL && (r.flt.since = time_parse(since)) == (time_t)-1) {
		fprintf(
		    stderr, "sankaku-hunt: --since: not a time (RFC 3339)\n");
		return 2;
	}
	if (config != NULL &&
	    settings_load(config, NULL, &s, err, sizeof(err)) != 0) {
		fprintf(stderr, "sankaku-hunt: %s\n", err);
		return 2;
	}
	if (index != NULL &&
	    (own = idx_load(index, err, sizeof(err))) == NULL) {
		fprintf(stderr, "sankaku-hunt: %s\n", err);
		settings_free(&s);
		return 2;
	}
	if (previous != NULL &&
	    (r.flt.previous = prev = idx_load(previous, err, sizeof(err))) ==
		NULL) {
		fprintf(stderr, "sankaku-hunt: --previous: %s\n", err);
		idx_free(own);
		settings_free(&s);
		return 2;
	}
	r.idx = own != NULL ? own : s.idx;
	if (r.idx == NULL) {
		fprintf(stderr, "sankaku-hunt: no index: %s\n",
		    s.idx_missing
			? "the config's index is not written yet "
			  "(run sankaku-rules)"
			: "-c FILE with an \"index\", or --index FILE");
		settings_free(&s);
		return 2;
	}
	if ((r.cfg = s.cfg) == NULL &&
	    (r.cfg = dflt = cfg_parse("(defaults)", NO_CONFIG,
		 sizeof(NO_CONFIG) - 1, err, sizeof(err))) == NULL) {
		fprintf(stderr, "sankaku-hunt: %s\n", err);
		return 2;
	}
	if (want_push &&
	    push_open(&r, config != NULL ? s.cfg : NULL, &s.url) != 0)
		rc = 2;
	else if (optind == argc)
		rc = hunt_path(&r, "-");
	else
		for (i = optind; i < argc; i++)
			if (hunt_path(&r, argv[i]) != 0)
				rc = 2;
	fflush(stdout);
	summary(&r.st);
	if (r.rc != NULL) {
		fprintf(stderr, "  %lu retro-hunt alerts pushed to %s\n",
		    r.pushed, r.key);
		if (r.held > 0)
			fprintf(stderr,
			    "  %lu more not pushed (--max-push %lu): look at "
			    "the hits first; a broad feed holds false "
			    "positives\n",
			    r.held, r.max_push);
		redisFree(r.rc);
	}
	if (r.push_failed)
		rc = 2;
	idx_free(own);
	idx_free(prev);
	cfg_free(dflt);
	settings_free(&s);
	if (rc != 0)
		return rc;
	return r.st.hits > 0 ? 0 : 1;
}
