/*
 * auth.c: the desk's users, tokens and sessions (see auth.h).
 */

#include <sys/random.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "auth.h"
#include "incident.h"
#include "sha256.h"

struct auth {
	json_t *users;	  /* sha256 -> {"name", "team"} */
	json_t *names;	  /* name -> true */
	json_t *sessions; /* id -> {"name", "team", "expires"} */
};

int
auth_random_hex(char *out, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	unsigned char b[64];
	size_t i;

	if (n > sizeof(b) || getrandom(b, n, 0) != (ssize_t)n)
		return -1;
	for (i = 0; i < n; i++) {
		out[2 * i] = hex[b[i] >> 4];
		out[2 * i + 1] = hex[b[i] & 15];
	}
	out[2 * n] = '\0';
	return 0;
}

/* A name: 1-64 of A-Z a-z 0-9 . _ - */
static int
good_name(const char *s)
{
	size_t n = strlen(s);

	return n > 0 && n <= 64 &&
	    strspn(s,
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
		"0123456789._-") == n;
}

struct auth *
auth_load(const char *path, char *err, size_t errlen)
{
	struct auth *a = calloc(1, sizeof(*a));
	FILE *fp;
	char *line = NULL;
	size_t cap = 0, lineno = 0;
	ssize_t n;

	if (a == NULL)
		return NULL;
	a->users = json_object();
	a->names = json_object();
	a->sessions = json_object();
	if ((fp = fopen(path, "r")) == NULL) {
		if (errno == ENOENT)
			return a; /* no users yet */
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		auth_free(a);
		return NULL;
	}
	while ((n = getline(&line, &cap, fp)) > 0) {
		json_t *u = json_loadb(line, (size_t)n, 0, NULL);
		const char *name =
			       json_string_value(json_object_get(u, "name")),
			   *team =
			       json_string_value(json_object_get(u, "team")),
			   *sha =
			       json_string_value(json_object_get(u, "sha256"));

		lineno++;
		if (name == NULL || team == NULL || sha == NULL ||
		    strlen(sha) != 64 || !good_name(name)) {
			json_decref(u);
			if (strspn(line, " \t\r\n") == (size_t)n)
				continue;
			snprintf(err, errlen,
			    "%s:%zu: not a user line ({\"name\", \"team\", "
			    "\"sha256\"})",
			    path, lineno);
			free(line);
			fclose(fp);
			auth_free(a);
			return NULL;
		}
		json_object_set_new(a->users, sha,
		    json_pack("{s:s, s:s}", "name", name, "team", team));
		json_object_set_new(a->names, name, json_true());
		json_decref(u);
	}
	free(line);
	fclose(fp);
	return a;
}

void
auth_free(struct auth *a)
{
	if (a == NULL)
		return;
	json_decref(a->users);
	json_decref(a->names);
	json_decref(a->sessions);
	free(a);
}

size_t
auth_count(const struct auth *a)
{
	return json_object_size(a->users);
}

int
auth_token(const struct auth *a, const char *token, const char **name,
    const char **team)
{
	char sha[65];
	json_t *u;

	if (token == NULL || strlen(token) > 256)
		return -1;
	sha256_hex(token, strlen(token), sha);
	if ((u = json_object_get(a->users, sha)) == NULL)
		return -1;
	*name = json_string_value(json_object_get(u, "name"));
	*team = json_string_value(json_object_get(u, "team"));
	return 0;
}

char *
auth_session_new(
    struct auth *a, const char *name, const char *team, long ttl_s, time_t now)
{
	char sid[2 * AUTH_TOKEN_BYTES + 1];

	if (auth_random_hex(sid, AUTH_TOKEN_BYTES) != 0)
		return NULL;
	json_object_set_new(a->sessions, sid,
	    json_pack("{s:s, s:s, s:I}", "name", name, "team", team, "expires",
		(json_int_t)(now + ttl_s)));
	return strdup(sid);
}

int
auth_session(struct auth *a, const char *sid, time_t now, long ttl_s,
    const char **name, const char **team)
{
	json_t *s = sid != NULL ? json_object_get(a->sessions, sid) : NULL;

	if (s == NULL)
		return -1;
	if (json_integer_value(json_object_get(s, "expires")) <= now) {
		json_object_del(a->sessions, sid);
		return -1;
	}
	json_object_set_new(
	    s, "expires", json_integer((json_int_t)(now + ttl_s)));
	*name = json_string_value(json_object_get(s, "name"));
	*team = json_string_value(json_object_get(s, "team"));
	return 0;
}

void
auth_keep_sessions(struct auth *to, const struct auth *from)
{
	const char *sid;
	json_t *s;

	json_object_foreach (from->sessions, sid, s)
		if (json_object_get(to->names,
			json_string_value(json_object_get(s, "name"))) != NULL)
			json_object_set(to->sessions, sid, s);
}

void
auth_session_end(struct auth *a, const char *sid)
{
	if (sid != NULL)
		json_object_del(a->sessions, sid);
}

char *
auth_add_user(const char *path, const char *name, const char *team,
    const struct cfg *cfg, char *err, size_t errlen)
{
	char token[2 * AUTH_TOKEN_BYTES + 1], sha[65], when[32], *line;
	struct auth *a;
	size_t i;
	int fd, ok;

	if (!good_name(name)) {
		snprintf(err, errlen, "--add-user: 1-64 of A-Z a-z 0-9 . _ -");
		return NULL;
	}
	for (i = 0; i < cfg->org.nteams; i++)
		if (strcmp(cfg->org.teams[i].id, team) == 0)
			break;
	if (!good_name(team) || (cfg->org.nteams > 0 && i == cfg->org.nteams)) {
		snprintf(err, errlen, "--team: %s",
		    cfg->org.nteams > 0 ? "one of organisation.teams[].id"
					: "1-64 of A-Z a-z 0-9 . _ -");
		return NULL;
	}
	if ((a = auth_load(path, err, errlen)) == NULL)
		return NULL;
	if (json_object_get(a->names, name) != NULL) {
		snprintf(err, errlen, "%s: user %s exists", path, name);
		auth_free(a);
		return NULL;
	}
	auth_free(a);
	if (auth_random_hex(token, AUTH_TOKEN_BYTES) != 0) {
		snprintf(err, errlen, "no random bytes: %s", strerror(errno));
		return NULL;
	}
	sha256_hex(token, strlen(token), sha);
	time_format(time(NULL), when, sizeof(when));
	{
		json_t *u = json_pack("{s:s, s:s, s:s, s:s}", "name", name,
		    "team", team, "sha256", sha, "created", when);

		line = json_dumps(u, JSON_COMPACT | JSON_SORT_KEYS);
		json_decref(u);
	}
	if (line == NULL ||
	    (fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0640)) <
		0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		free(line);
		return NULL;
	}
	ok = write(fd, line, strlen(line)) == (ssize_t)strlen(line) &&
	    write(fd, "\n", 1) == 1 && fsync(fd) == 0;
	if (close(fd) != 0)
		ok = 0;
	free(line);
	if (!ok) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return NULL;
	}
	return strdup(token);
}
