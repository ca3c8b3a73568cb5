/*
 * rconn.c: a blocking Redis connection (see rconn.h).
 */

#include <stdio.h>
#include <string.h>

#include "rconn.h"

/* What a reply says, for a message. */
const char *
rconn_what(const redisReply *r)
{
	if (r == NULL)
		return "no reply";
	switch (r->type) {
	case REDIS_REPLY_ERROR:
		return r->str;
	case REDIS_REPLY_NIL:
		return "nil";
	case REDIS_REPLY_INTEGER:
		return "an integer";
	case REDIS_REPLY_ARRAY:
		return "an array";
	default:
		return "a string";
	}
}

/* One handshake command; -1 with err unless it answers OK. */
static int
rconn_step(
    redisContext *c, const char *what, char *err, size_t errlen, redisReply *r)
{
	int ok = r != NULL && r->type != REDIS_REPLY_ERROR;

	if (!ok)
		snprintf(err, errlen, "%s: %s", what,
		    r != NULL ? r->str : c->errstr);
	freeReplyObject(r);
	return ok ? 0 : -1;
}

/* Connect. */
redisContext *
rconn_open(const struct redis_url *u, const char *name, int timeout_ms,
    char *err, size_t errlen)
{
	struct timeval tv = {timeout_ms / 1000, (timeout_ms % 1000) * 1000};
	redisContext *c = u->is_unix
	    ? redisConnectUnixWithTimeout(u->path, tv)
	    : redisConnectWithTimeout(u->host, u->port, tv);

	if (c == NULL || c->err) {
		snprintf(err, errlen, "cannot connect to Redis: %s",
		    c != NULL ? c->errstr : "out of memory");
		redisFree(c);
		return NULL;
	}
	redisSetTimeout(c, tv);
	if ((u->password[0] != '\0' &&
		rconn_step(c, "AUTH", err, errlen,
		    u->user[0] != '\0'
			? redisCommand(c, "AUTH %s %s", u->user, u->password)
			: redisCommand(c, "AUTH %s", u->password)) != 0) ||
	    (u->db != 0 &&
		rconn_step(c, "SELECT", err, errlen,
		    redisCommand(c, "SELECT %d", u->db)) != 0)) {
		redisFree(c);
		return NULL;
	}
	/* a name for CLIENT LIST, where the ACL allows it (the analyst's
	 * may not) */
	freeReplyObject(redisCommand(c, "CLIENT SETNAME %s", name));
	return c;
}
