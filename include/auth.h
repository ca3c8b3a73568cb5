/*
 * auth.h: the desk's users.  Each has a name, a team and a token; only
 * the token's SHA-256 is kept, in desk.users_file (one JSON object per
 * line: {"name", "team", "sha256", "created"}).  A request shows its
 * token as "Authorization: Bearer <token>", or a session cookie the
 * console made with it (HttpOnly, SameSite=Strict); a token never
 * travels in a URL.
 */
#ifndef SANKAKU_AUTH_H
#define SANKAKU_AUTH_H

#include <stddef.h>
#include <time.h>

#include <jansson.h>

#include "config.h"

#define AUTH_TOKEN_BYTES 32 /* random bytes of a token (hex: twice) */

struct auth;

/* Load the users file (missing: no users yet); NULL with err. */
struct auth *auth_load(const char *path, char *err, size_t errlen);
void auth_free(struct auth *);
size_t auth_count(const struct auth *);

/* The user of a token: 0 with name and team (borrowed), or -1. */
int auth_token(const struct auth *, const char *token, const char **name,
    const char **team);

/* A new session for a user: its id (new string); it ends after ttl
 * without use. */
char *auth_session_new(
    struct auth *, const char *name, const char *team, long ttl_s, time_t now);
/* The user of a live session (0, and its idle time starts again), or -1. */
int auth_session(struct auth *, const char *sid, time_t now, long ttl_s,
    const char **name, const char **team);
void auth_session_end(struct auth *, const char *sid);
/* A reloaded users file keeps the sessions of the users it still has. */
void auth_keep_sessions(struct auth *to, const struct auth *from);

/* Append a user to the file and give its token (new string, shown once);
 * NULL with err (name taken, bad name or team, the file not writable). */
char *auth_add_user(const char *path, const char *name, const char *team,
    const struct cfg *, char *err, size_t errlen);

/* n random bytes as hex into out (2n + 1); 0, or -1. */
int auth_random_hex(char *out, size_t n);

#endif
