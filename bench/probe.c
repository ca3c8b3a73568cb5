/*
 * probe.c: measuring helpers for bench/run.sh, on one persistent Redis
 * connection so that measuring costs next to nothing.
 *
 *   probe wait HOST PORT TIMEOUT_S KEY...
 *       poll EXISTS of the KEYs each millisecond until none exists (an
 *       emptied list or set is deleted); print the seconds it took (exit 1
 *       on timeout)
 *   probe latency HOST PORT COUNT EVENT_FILE
 *       COUNT times: LPUSH one event into "suricata" and wait for its
 *       enriched form on the channel sankaku:alerts; print percentiles
 *       (milliseconds) as JSON.  The pipeline is idle between pushes.
 *   probe relay HOST PORT
 *       the floor for latency: what a bare consumer takes, with no
 *       enrichment and no event loop.  Blocking hiredis, forever (until
 *       killed): BLMOVE an event from "suricata", PUBLISH it on
 *       sankaku:alerts, XADD it to probe:relay:stream, drop the taken
 *       copy: the same round trips as sankakud's idle path.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <hiredis/hiredis.h>

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int
cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* Wait until every list is empty. */
static int
wait_empty(redisContext *c, double timeout, int nkeys, char **keys)
{
	double t0 = now_s();
	struct timespec ms = {0, 1000 * 1000};

	for (;;) {
		int i, empty = 1;

		for (i = 0; i < nkeys && empty; i++) {
			redisReply *r = redisCommand(c, "LLEN %s", keys[i]);

			if (r == NULL)
				return 1;
			empty =
			    r->type == REDIS_REPLY_INTEGER && r->integer == 0;
			freeReplyObject(r);
		}
		if (empty) {
			printf("%.6f\n", now_s() - t0);
			return 0;
		}
		if (now_s() - t0 > timeout)
			return 1;
		nanosleep(&ms, NULL);
	}
}

/* Single-alert latency. */
static int
latency(const char *host, int port, int n, const char *file)
{
	redisContext *sub = redisConnect(host, port),
		     *pub = redisConnect(host, port);
	struct timespec pause = {0, 5 * 1000 * 1000};
	char line[65536], ev[70000];
	redisReply *r;
	double *lat;
	FILE *f;
	int i;

	if ((f = fopen(file, "r")) == NULL ||
	    fgets(line, sizeof(line), f) == NULL) {
		perror(file);
		return 2;
	}
	fclose(f);
	line[strcspn(line, "\n")] = '\0';
	if (sub == NULL || sub->err || pub == NULL || pub->err)
		return 1;
	freeReplyObject(redisCommand(sub, "SUBSCRIBE sankaku:alerts"));
	nanosleep(&(struct timespec){1, 0}, NULL); /* let sankakud see it */
	lat = calloc((size_t)n, sizeof(*lat));
	for (i = 0; i < n; i++) {
		double t0;

		snprintf(
		    ev, sizeof(ev), "{\"latency_probe\":%d,%s", i, line + 1);
		t0 = now_s();
		freeReplyObject(redisCommand(pub, "LPUSH suricata %s", ev));
		if (redisGetReply(sub, (void **)&r) != REDIS_OK)
			return 1;
		lat[i] = (now_s() - t0) * 1e3;
		freeReplyObject(r);
		nanosleep(&pause, NULL); /* idle again */
	}
	qsort(lat, (size_t)n, sizeof(*lat), cmp);
	printf("{\"count\": %d, \"p50_ms\": %.3f, \"p90_ms\": %.3f, "
	       "\"p99_ms\": %.3f, \"max_ms\": %.3f}\n",
	    n, lat[n / 2], lat[n * 9 / 10], lat[(n * 99) / 100], lat[n - 1]);
	free(lat);
	redisFree(sub);
	redisFree(pub);
	return 0;
}

/* A bare consumer: the floor under sankakud's lone-alert latency. */
static int
relay(const char *host, int port)
{
	redisContext *c = redisConnect(host, port);
	redisReply *r;
	int i;

	if (c == NULL || c->err)
		return 1;
	for (;;) {
		r = redisCommand(
		    c, "BLMOVE suricata probe:relay:taken RIGHT LEFT 0");
		if (r == NULL)
			return 1;
		if (r->type != REDIS_REPLY_STRING) {
			freeReplyObject(r);
			continue;
		}
		redisAppendCommand(
		    c, "PUBLISH sankaku:alerts %b", r->str, r->len);
		redisAppendCommand(c,
		    "XADD probe:relay:stream MAXLEN ~ 1000 * alert %b", r->str,
		    r->len);
		redisAppendCommand(c, "DEL probe:relay:taken");
		freeReplyObject(r);
		for (i = 0; i < 3; i++) {
			if (redisGetReply(c, (void **)&r) != REDIS_OK)
				return 1;
			freeReplyObject(r);
		}
	}
}

int
main(int argc, char **argv)
{
	redisContext *c;

	if (argc >= 6 && strcmp(argv[1], "wait") == 0) {
		c = redisConnect(argv[2], atoi(argv[3]));
		if (c == NULL || c->err)
			return 1;
		return wait_empty(c, atof(argv[4]), argc - 5, argv + 5);
	}
	if (argc == 6 && strcmp(argv[1], "latency") == 0)
		return latency(argv[2], atoi(argv[3]), atoi(argv[4]), argv[5]);
	if (argc == 4 && strcmp(argv[1], "relay") == 0)
		return relay(argv[2], atoi(argv[3]));
	fprintf(stderr,
	    "usage: probe wait HOST PORT TIMEOUT KEY... | "
	    "probe latency HOST PORT COUNT FILE | probe relay HOST PORT\n");
	return 2;
}
