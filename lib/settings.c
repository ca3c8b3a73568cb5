/*
 * settings.c: the config, the Redis address and the index, loaded
 * together (see settings.h).
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "settings.h"

/* The password file's path: absolute, in $CREDENTIALS_DIRECTORY, or next
 * to the config file. */
static void
settings_password_path(const struct cfg *c, char *path, size_t len)
{
	const char *f = c->redis_password_file, *creds, *slash;
	size_t dlen;

	if (f[0] == '/')
		snprintf(path, len, "%s", f);
	else if ((creds = getenv("CREDENTIALS_DIRECTORY")) != NULL)
		snprintf(path, len, "%s/%s", creds, f);
	else if ((slash = strrchr(c->path, '/')) != NULL) {
		dlen = (size_t)(slash - c->path);
		snprintf(path, len, "%.*s/%s", (int)dlen, c->path, f);
	} else
		snprintf(path, len, "%s", f);
}

/* Read the password file named by the config into url (its first line;
 * the content is never repeated in a message). */
static int
settings_password(
    const struct cfg *c, struct redis_url *url, char *err, size_t errlen)
{
	char path[4096];
	FILE *fp;

	if (c->redis_password_file[0] == '\0')
		return 0;
	settings_password_path(c, path, sizeof(path));
	if ((fp = fopen(path, "r")) == NULL) {
		snprintf(err, errlen, "%.200s: redis_password_file: %.200s: %s",
		    c->path, path, strerror(errno));
		return -1;
	}
	if (fgets(url->password, sizeof(url->password), fp) == NULL)
		url->password[0] = '\0';
	fclose(fp);
	url->password[strcspn(url->password, "\r\n")] = '\0';
	if (url->password[0] == '\0') {
		snprintf(err, errlen,
		    "%.200s: redis_password_file: %.200s: empty", c->path,
		    path);
		return -1;
	}
	return 0;
}

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
	if (settings_password(s->cfg, &s->url, err, errlen) != 0)
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
