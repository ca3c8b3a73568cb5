/*
 * cfg_check.c: checks across keys of a parsed config: names sankakud uses
 * in Redis and its logs, SID ranges that must not meet, timeouts that
 * must not look like a silent Redis.  Each error names file, key, reason.
 */

#include <stdlib.h>
#include <string.h>

#include "cfg_parse.h"
#include "config.h"

/* Whether s is usable as a Redis key or a name in log lines: 1 to 512
 * bytes, none of them a control character, a space or DEL. */
static int
plain_name(const char *s)
{
	size_t n = strlen(s), i;

	if (n == 0 || n > 512)
		return 0;
	for (i = 0; i < n; i++)
		if ((unsigned char)s[i] <= ' ' || s[i] == 0x7f)
			return 0;
	return 1;
}

/* Whether s starts with a then b. */
static int
starts2(const char *s, const char *a, const char *b)
{
	size_t na = strlen(a);

	return strncmp(s, a, na) == 0 && strncmp(s + na, b, strlen(b)) == 0;
}

/* "host:port" (port 1-65535, digits only; [v6]:port), or "" (off). */
static int
listen_ok(const char *s)
{
	const char *colon = strrchr(s, ':');
	char *end;
	long port;

	if (s[0] == '\0')
		return 1;
	if (colon == NULL || colon == s || colon[1] == '\0' ||
	    strspn(colon + 1, "0123456789") != strlen(colon + 1))
		return 0;
	port = strtol(colon + 1, &end, 10);
	if (port < 1 || port > 65535)
		return 0;
	if (s[0] == '[')
		return colon[-1] == ']' && colon - s > 2;
	return memchr(s, ':', (size_t)(colon - s)) == NULL;
}

/* The names sankakud uses in Redis and in its logs: printable, and no two
 * keys the same (input.key equal to output.stream would consume its own
 * output; equal to output.deadletter, grow one event without end). */
static int
check_names(const struct cfg *c, const char *path, char *err, size_t errlen)
{
	static const char *const inner[] = {"batch:", "inflight:", NULL};
	size_t i;

	if (!plain_name(c->consumer) || strlen(c->consumer) > 128)
		ERR("consumer: '%.64s' must be 1-128 printable characters "
		    "without spaces (it names keys and log lines)",
		    plain_name(c->consumer) ? c->consumer : "(unprintable)");
	if (!plain_name(c->input_key))
		ERR("input.key: must be printable, without spaces");
	if (!plain_name(c->stream))
		ERR("output.stream: must be printable, without spaces");
	if (!plain_name(c->deadletter))
		ERR("output.deadletter: must be printable, without spaces");
	if (c->prefix[0] != '\0' && !plain_name(c->prefix))
		ERR("output.prefix: must be printable, without spaces");
	if (strcmp(c->input_key, c->stream) == 0)
		ERR("input.key: '%s' is also output.stream: sankakud would "
		    "consume its own output",
		    c->input_key);
	if (strcmp(c->input_key, c->deadletter) == 0)
		ERR("input.key: '%s' is also output.deadletter: a bad event "
		    "would be fed back without end",
		    c->input_key);
	if (strcmp(c->stream, c->deadletter) == 0)
		ERR("output.stream: '%s' is also output.deadletter", c->stream);
	if (!plain_name(c->red_stream))
		ERR("output.red_stream: must be printable, without spaces");
	if (strcmp(c->red_stream, c->stream) == 0 ||
	    strcmp(c->red_stream, c->deadletter) == 0 ||
	    strcmp(c->red_stream, c->input_key) == 0)
		ERR("output.red_stream: '%s' must be a key of its own: TLP:RED "
		    "alerts go nowhere else",
		    c->red_stream);
	for (i = 0; inner[i] != NULL; i++)
		if (starts2(c->input_key, c->prefix, inner[i]))
			ERR("input.key: '%s' is among sankakud's own keys "
			    "(%s%s*)",
			    c->input_key, c->prefix, inner[i]);
	if (starts2(c->input_key, c->deadletter, ":"))
		ERR("input.key: '%s' is among the dead-letter list's keys",
		    c->input_key);
	if (!listen_ok(c->metrics_listen))
		ERR("metrics.listen: '%.64s' is not host:port (port 1-65535) "
		    "or \"\"",
		    c->metrics_listen);
	return 0;
fail:
	return -1;
}

/* SID ranges: the generated groups, the hashed rules, the shipped rules
 * (1869001-1869099) apart. */
static int
check_sids(const struct cfg *c, const char *path, char *err, size_t errlen)
{
	if (c->sid_base <= 1869099 && c->sid_base + 999 >= 1869001)
		ERR("rules.sid_base: %ld-%ld overlaps the shipped rules' "
		    "1869001-1869099",
		    c->sid_base, c->sid_base + 999);
	if (c->sid_hashed_base <= c->sid_base + 999 &&
	    c->sid_hashed_base + (1L << 24) > c->sid_base)
		ERR("rules.sid_hashed_base: %ld-%ld overlaps rules.sid_base's "
		    "%ld-%ld",
		    c->sid_hashed_base, c->sid_hashed_base + (1L << 24) - 1,
		    c->sid_base, c->sid_base + 999);
	if (c->sid_hashed_base <= 1869099 &&
	    c->sid_hashed_base + (1L << 24) > 1869001)
		ERR("rules.sid_hashed_base: %ld-%ld overlaps the shipped "
		    "rules' 1869001-1869099",
		    c->sid_hashed_base, c->sid_hashed_base + (1L << 24) - 1);
	return 0;
fail:
	return -1;
}

/* Every check. */
int
cfg_check(const struct cfg *c, const char *path, char *err, size_t errlen)
{
	if (c->redis_timeout_ms <= c->block_ms)
		ERR("redis_timeout_ms: %ld must be longer than input.block_ms "
		    "(%ld): a blocking wait would look like a silent Redis",
		    c->redis_timeout_ms, c->block_ms);
	if (check_names(c, path, err, errlen) != 0 ||
	    check_sids(c, path, err, errlen) != 0)
		goto fail;
	return 0;
fail:
	return -1;
}
