/*
 * cfg_parse.h: the parts of the config parser that live in their own
 * files (cfg_model.c, cfg_sources.c), for config.c.  Each returns 0, or -1
 * with "FILE: KEY: reason" in err.
 */
#ifndef SANKAKU_CFG_PARSE_H
#define SANKAKU_CFG_PARSE_H

#include <stddef.h>

#include <jansson.h>

#include "config.h"

/* Fail with "PATH: <message>" in err (err, errlen, path and a fail
 * label in scope). */
#define ERR(...)                                                               \
	do {                                                                   \
		snprintf(err, errlen, "%s: ", path);                           \
		snprintf(                                                      \
		    err + strlen(err), errlen - strlen(err), __VA_ARGS__);     \
		goto fail;                                                     \
	} while (0)

int cfg_model_defaults(struct cfg *);
int cfg_set_phase_roles(
    struct cfg *, size_t phase, const char *const *codes, size_t n);
int cfg_parse_home_net(
    struct cfg *, json_t *, const char *path, char *err, size_t errlen);
int cfg_parse_mapping(
    struct cfg *, json_t *, const char *path, char *err, size_t errlen);
int cfg_parse_phase_roles(
    struct cfg *, json_t *, const char *path, char *err, size_t errlen);
int cfg_parse_source(struct cfg *, size_t idx, json_t *, const char *path,
    char *err, size_t errlen);
int cfg_parse_org(
    struct cfg *, json_t *, const char *path, char *err, size_t errlen);
void cfg_org_defaults(struct cfg *);
void cfg_org_free(struct cfg *);
/* desk.notify (cfg_notify.c); its teams checked once the file is read. */
int cfg_parse_notify(
    struct cfg *, json_t *, const char *path, char *err, size_t errlen);
int cfg_notify_check(
    const struct cfg *, const char *path, char *err, size_t errlen);
void cfg_notify_free(struct cfg *);
/* rel against the directory of the config file; new string or NULL. */
char *cfg_resolve_path(const char *cfgpath, const char *rel);

/* Checks across keys (cfg_check.c); 0, or -1 with err. */
int cfg_check(const struct cfg *, const char *path, char *err, size_t errlen);

#endif
