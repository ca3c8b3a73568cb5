/*
 * latency.c: single-alert latency of a running pipeline.
 *
 *   latency HOST PORT COUNT EVENT_FILE
 *
 * Subscribes to sankaku:alerts on one connection, then COUNT times: LPUSH
 * one event (the first line of EVENT_FILE, its flow_id made unique) into
 * "suricata" on another connection and waits for the enriched alert on the
 * channel.  Prints the percentiles in milliseconds as JSON.  The pipeline
 * is idle between pushes, so this is the latency of a lone alert.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <hiredis/hiredis.h>

static double
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int
cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

int
main(int argc, char **argv)
{
	redisContext *sub, *pub;
	redisReply *r;
	char line[65536], ev[70000];
	double *lat;
	int i, n;
	FILE *f;

	if (argc != 5) {
		fprintf(stderr, "usage: latency HOST PORT COUNT EVENT_FILE\n");
		return 2;
	}
	n = atoi(argv[3]);
	if ((f = fopen(argv[4], "r")) == NULL || fgets(line, sizeof(line), f) == NULL) {
		perror(argv[4]);
		return 2;
	}
	fclose(f);
	line[strcspn(line, "\n")] = '\0';
	sub = redisConnect(argv[1], atoi(argv[2]));
	pub = redisConnect(argv[1], atoi(argv[2]));
	if (sub == NULL || sub->err || pub == NULL || pub->err) {
		fprintf(stderr, "connect failed\n");
		return 1;
	}
	r = redisCommand(sub, "SUBSCRIBE sankaku:alerts");
	freeReplyObject(r);
	lat = calloc((size_t)n, sizeof(*lat));
	for (i = 0; i < n; i++) {
		double t0;

		/* "flow_id":N is the second member of gen-eve.py's events */
		snprintf(ev, sizeof(ev), "{\"latency_probe\":%d,%s", i, line + 1);
		t0 = now_ms();
		r = redisCommand(pub, "LPUSH suricata %s", ev);
		freeReplyObject(r);
		if (redisGetReply(sub, (void **)&r) != REDIS_OK) {
			fprintf(stderr, "subscription lost\n");
			return 1;
		}
		lat[i] = now_ms() - t0;
		freeReplyObject(r);
		{
			struct timespec pause = { 0, 2 * 1000 * 1000 };

			nanosleep(&pause, NULL); /* let it go idle again */
		}
	}
	qsort(lat, (size_t)n, sizeof(*lat), cmp);
	printf("{\"count\": %d, \"p50_ms\": %.3f, \"p90_ms\": %.3f, "
	       "\"p99_ms\": %.3f, \"max_ms\": %.3f}\n",
	    n, lat[n / 2], lat[n * 9 / 10], lat[(n * 99) / 100],
	    lat[n - 1]);
	free(lat);
	redisFree(sub);
	redisFree(pub);
	return 0;
}
