/*
 * settings.h: what a program loads at start and on SIGHUP: the config,
 * its Redis address (--redis over the config's, the password from
 * redis_password_file: relative to $CREDENTIALS_DIRECTORY when systemd's
 * LoadCredential= set it, else to the config file), and the indicator
 * index (which may not be written yet: the first rules refresh).  Pure
 * apart from reading files.
 */
#ifndef SANKAKU_SETTINGS_H
#define SANKAKU_SETTINGS_H

#include <stddef.h>

#include "config.h"
#include "index.h"
#include "redisurl.h"

struct settings {
	struct cfg *cfg;
	struct idx *idx; /* NULL: no index configured, or not written yet */
	struct redis_url url;
	int idx_missing; /* configured, not written yet */
};

/* Load; 0, or -1 with "FILE: KEY: reason" in err (never a password). */
int settings_load(const char *path, const char *redis_override,
    struct settings *, char *err, size_t errlen);
/* The desk's own Redis user, if the config names one (desk.redis and
 * desk.redis_password_file) and no --redis overrides it; 0 or -1. */
int settings_use_desk(
    struct settings *, const char *redis_override, char *err, size_t errlen);
/* Free what settings_load made (and did not hand on). */
void settings_free(struct settings *);

#endif
