/*
 * redisurl.h: parse the Redis address of the config or of --redis.
 *   redis://[[user]:password@]host[:port][/db]
 *   unix:///path/to/redis.sock[?db=N]
 * Pure: no I/O, no allocation beyond the struct's own buffers.
 */
#ifndef SANKAKU_REDISURL_H
#define SANKAKU_REDISURL_H

#include <stddef.h>

struct redis_url {
	int is_unix;
	char host[256]; /* IPv6 without brackets */
	int port;
	char path[108];	    /* sun_path size */
	char user[128];	    /* empty: no ACL user (AUTH password) */
	char password[512]; /* empty: no AUTH */
	int db;
};

/* 0 and *out filled, or -1 with a reason in err. */
int redisurl_parse(
    const char *url, struct redis_url *out, char *err, size_t errlen);
/* The URL without its password, for logs. */
void redisurl_display(const struct redis_url *, char *buf, size_t len);

#endif
