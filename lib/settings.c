/*
 * settings.c: the config, the Redis address and the index, loaded
 * together (see settings.h).
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "password.h"
#include "settings.h"

/* Load everything. */
int
settings_load(const char *path, const char *redis_override, struct settings *s,
    char *err, size_t errlen)
{
	char uerr[256];

	memset(s, 0, sizeof(*s));
	if ((s->cfg = cfg_load(path, err, errlen)) == NULL)
		return -1;
	if (redis_override != NULL) {
		free(s->cfg->redis);
		if ((s->cfg->redis = strdup(redis_override)) == NULL) {
			snprintf(err, errlen, "out of memory");
			goto fail;
		}
	}
	if (redisurl_parse(s->cfg->redis, &s->url, uerr, sizeof(uerr)) != 0) {
		snprintf(err, errlen, "%s: redis: %s",
		    redis_override != NULL ? "--redis" : path, uerr);
		goto fail;
	}
	if (password_read(s->cfg->path, s->cfg->redis_password_file, &s->url,
		err, errlen) != 0)
		goto fail;
	if (s->cfg->index_path[0] == '\0')
		return 0;
	if (access(s->cfg->index_path, F_OK) != 0 && errno == ENOENT) {
		s->idx_missing = 1; /* not written yet: loaded on a reload */
		return 0;
	}
	if ((s->idx = idx_load(s->cfg->index_path, err, errlen)) == NULL)
		goto fail;
	return 0;
fail:
	settings_free(s);
	return -1;
}

int
settings_use_desk(
    struct settings *s, const char *redis_override, char *err, size_t errlen)
{
	char uerr[256], *url;

	if (redis_override != NULL || s->cfg->desk_redis[0] == '\0')
		return 0;
	if ((url = strdup(s->cfg->desk_redis)) == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	free(s->cfg->redis);
	s->cfg->redis = url;
	memset(&s->url, 0, sizeof(s->url));
	if (redisurl_parse(url, &s->url, uerr, sizeof(uerr)) != 0) {
		snprintf(err, errlen, "%s: desk.redis: %s", s->cfg->path, uerr);
		return -1;
	}
	return password_read(s->cfg->path, s->cfg->desk_redis_password_file,
	    &s->url, err, errlen);
}

/* Free. */
void
settings_free(struct settings *s)
{
	cfg_free(s->cfg);
	idx_free(s->idx);
	s->cfg = NULL;
	s->idx = NULL;
	memset(s->url.password, 0, sizeof(s->url.password));
}
