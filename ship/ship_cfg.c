/*
 * ship_cfg.c: the section "ship" as a table of keys (see ship_cfg.h).
 */

#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "password.h"
#include "ship_cfg.h"

enum kt { K_STR, K_INT, K_LIST };

struct key {
	const char *name;
	enum kt type;
	size_t offset;
	const char *def_str; /* K_STR; K_LIST: comma-separated */
	long def_int, min, max;
	const char *const *choices; /* K_STR: allowed values, or NULL */
	const char *help;
};

static const char *const pushes[] = {"lpush", "rpush", NULL};
static const char *const starts[] = {"beginning", "end", NULL};
static const char *const levels[] = {"error", "warn", "info", "debug", NULL};

#define O(f) offsetof(struct ship_cfg, f)
#define CHOICE ((size_t)-1) /* kept as a flag: set_choice() */
static const struct key keys[] = {
    {"eve", K_STR, O(eve), "/var/log/suricata/eve.json", 0, 0, 0, NULL,
	"the EVE file Suricata writes (filetype: regular); rotated files "
	"beside it (NAME.1, NAME-DATE, NAME.<unix time> of rotate-interval) "
	"are followed"},
    {"state", K_STR, O(state), "/var/lib/sankaku-ship/checkpoint.json", 0, 0, 0,
	NULL,
	"the checkpoint file: which file and up to which byte Redis has "
	"acknowledged every event"},
    {"redis", K_STR, O(redis), "redis://127.0.0.1:6379", 0, 0, 0, NULL,
	"Redis address (default: the file's top-level redis, else this)"},
    {"redis_password_file", K_STR, O(redis_password_file), "", 0, 0, 0, NULL,
	"file holding the Redis password (first line); relative: to "
	"$CREDENTIALS_DIRECTORY when set, else to the config file"},
    {"redis_timeout_ms", K_INT, O(redis_timeout_ms), NULL, 30000, 1000, 3600000,
	NULL,
	"a link whose commands go unanswered this long is dropped and made "
	"again"},
    {"key", K_STR, O(key), "suricata", 0, 0, 0, NULL,
	"the list sankakud reads (its input.key)"},
    {"push", K_STR, CHOICE, "lpush", 0, 0, 0, pushes,
	"lpush or rpush: as sankakud's input.push expects"},
    {"deadletter", K_STR, O(deadletter), "sankaku:deadletter", 0, 0, 0, NULL,
	"the dead-letter list for lines that are not EVE events"},
    {"event_types", K_LIST, O(event_types), "alert", 0, 0, 0, NULL,
	"event types shipped (an empty list: every type)"},
    {"sensor", K_STR, O(sensor), "", 0, 0, 0, NULL,
	"the sensor's name, added as \"host\" to events that have none "
	"(Suricata's sensor-name); \"\": nothing added"},
    {"start_at", K_STR, CHOICE, "beginning", 0, 0, 0, starts,
	"with no checkpoint yet: the current file from its beginning or "
	"its end"},
    {"max_event_bytes", K_INT, O(max_event_bytes), NULL, 1048576, 1024,
	67108864, NULL,
	"longer lines are dead-lettered by their head, length and SHA-1"},
    {"batch", K_INT, O(batch), NULL, 512, 1, 10000, NULL,
	"events per push at most"},
    {"batch_bytes", K_INT, O(batch_bytes), NULL, 1048576, 65536, 67108864, NULL,
	"bytes per push at most (one event may exceed it)"},
    {"inflight", K_INT, O(inflight), NULL, 8, 1, 64, NULL,
	"pushes awaiting Redis's answer at most"},
    {"max_backlog", K_INT, O(max_backlog), NULL, 1000000, 0, 1000000000, NULL,
	"while the list holds this many events (sankakud behind), wait; 0: "
	"never wait"},
    {"checkpoint_ms", K_INT, O(checkpoint_ms), NULL, 1000, 10, 60000, NULL,
	"the checkpoint is written at most this often (and on exit)"},
    {"poll_ms", K_INT, O(poll_ms), NULL, 1000, 10, 60000, NULL,
	"how often the file is looked at besides inotify's word"},
    {"log_level", K_STR, O(log_level), "info", 0, 0, 0, levels,
	"error, warn, info or debug"},
    {"metrics_listen", K_STR, O(metrics_listen), "127.0.0.1:9751", 0, 0, 0,
	NULL, "/metrics and /healthz: host:port; \"\" disables"},
};
#define NKEYS (sizeof(keys) / sizeof(keys[0]))

#define FAIL(...)                                                              \
	do {                                                                   \
		snprintf(err, errlen, __VA_ARGS__);                            \
		goto fail;                                                     \
	} while (0)

static char **
list_of(const char *csv, size_t *n)
{
	char **v = NULL, *copy, *tok, *save = NULL;

	*n = 0;
	if ((copy = strdup(csv)) == NULL)
		return NULL;
	for (tok = strtok_r(copy, ",", &save); tok != NULL;
	     tok = strtok_r(NULL, ",", &save)) {
		char **nv = realloc(v, (*n + 1) * sizeof(*v));

		if (nv == NULL)
			break;
		v = nv;
		if ((v[*n] = strdup(tok)) == NULL)
			break;
		(*n)++;
	}
	free(copy);
	return v;
}

static void
list_free(char **v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

/* The choice keys kept as flags. */
static void
set_choice(struct ship_cfg *c, const char *name, const char *v)
{
	if (strcmp(name, "push") == 0)
		c->rpush = strcmp(v, "rpush") == 0;
	else if (strcmp(name, "start_at") == 0)
		c->from_end = strcmp(v, "end") == 0;
}

/* Set key k from v (NULL: its default).  0, or -1 with err. */
static int
set_key(struct ship_cfg *c, const struct key *k, json_t *v, char *err,
    size_t errlen)
{
	char *base = (char *)c;

	switch (k->type) {
	case K_STR: {
		const char *s = v != NULL ? json_string_value(v) : k->def_str;
		size_t i;

		if (s == NULL)
			FAIL("%s: ship.%s: not a string", c->path, k->name);
		if (strlen(s) > 4000 || memchr(s, '\n', strlen(s)) != NULL)
			FAIL("%s: ship.%s: over 4000 bytes or several lines",
			    c->path, k->name);
		if (k->choices != NULL) {
			for (i = 0; k->choices[i] != NULL; i++)
				if (strcmp(k->choices[i], s) == 0)
					break;
			if (k->choices[i] == NULL)
				FAIL("%s: ship.%s: not one of the values "
				     "--help-config lists",
				    c->path, k->name);
		}
		if (k->offset == CHOICE) {
			set_choice(c, k->name, s);
			return 0;
		}
		free(*(char **)(base + k->offset));
		if ((*(char **)(base + k->offset) = strdup(s)) == NULL)
			FAIL("out of memory");
		return 0;
	}
	case K_INT: {
		json_int_t n = v != NULL ? json_integer_value(v) : k->def_int;

		if (v != NULL && !json_is_integer(v))
			FAIL("%s: ship.%s: not an integer", c->path, k->name);
		if (n < k->min || n > k->max)
			FAIL("%s: ship.%s: %lld is not between %ld and %ld",
			    c->path, k->name, (long long)n, k->min, k->max);
		*(long *)(base + k->offset) = (long)n;
		return 0;
	}
	case K_LIST: {
		size_t i;

		list_free(c->event_types, c->nevent_types);
		c->event_types = NULL;
		c->nevent_types = 0;
		if (v == NULL) {
			c->event_types = list_of(k->def_str, &c->nevent_types);
			return 0;
		}
		if (!json_is_array(v) || json_array_size(v) > 64)
			FAIL("%s: ship.%s: not an array of at most 64 names",
			    c->path, k->name);
		if (json_array_size(v) > 0 &&
		    (c->event_types =
			    calloc(json_array_size(v), sizeof(char *))) == NULL)
			FAIL("out of memory");
		for (i = 0; i < json_array_size(v); i++) {
			const char *s = json_string_value(json_array_get(v, i));

			if (s == NULL || s[0] == '\0' || strlen(s) > 31 ||
			    strspn(
				s, "abcdefghijklmnopqrstuvwxyz0123456789_") !=
				strlen(s))
				FAIL("%s: ship.%s[%zu]: not an event type "
				     "(a-z 0-9 _, 1 to 31)",
				    c->path, k->name, i);
			if ((c->event_types[i] = strdup(s)) == NULL)
				FAIL("out of memory");
			c->nevent_types++;
		}
		return 0;
	}
	}
fail:
	return -1;
}

/* Replace string field *f with s. */
static int
override(char **f, const char *s)
{
	char *n = strdup(s);

	if (n == NULL)
		return -1;
	free(*f);
	*f = n;
	return 0;
}

struct ship_cfg *
ship_cfg_load(const struct ship_flags *fl, const char *default_path, char *err,
    size_t errlen)
{
	struct ship_cfg *c = calloc(1, sizeof(*c));
	json_t *root = NULL, *sec = NULL, *v;
	json_error_t je;
	const char *path = fl->config != NULL ? fl->config : default_path;
	const char *k;
	char uerr[256];
	size_t i;

	if (c == NULL) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	if (fl->config == NULL && access(path, F_OK) != 0 && errno == ENOENT)
		c->path = strdup("(defaults)");
	else {
		c->path = strdup(path);
		if ((root = json_load_file(
			 path, JSON_REJECT_DUPLICATES, &je)) == NULL)
			FAIL("%s: line %d: %s", path, je.line, je.text);
		if (!json_is_object(root))
			FAIL("%s: not a JSON object", path);
		sec = json_object_get(root, "ship");
		if (sec != NULL && !json_is_object(sec))
			FAIL("%s: ship: not an object", path);
	}
	for (i = 0; i < NKEYS; i++) {
		v = sec != NULL ? json_object_get(sec, keys[i].name) : NULL;
		/* the file's own redis and password, unless ship has its own */
		if (v == NULL && root != NULL &&
		    (strcmp(keys[i].name, "redis") == 0 ||
			strcmp(keys[i].name, "redis_password_file") == 0))
			v = json_object_get(root, keys[i].name);
		if (set_key(c, &keys[i], v, err, errlen) != 0)
			goto fail;
	}
	if (sec != NULL)
		json_object_foreach (sec, k, v) {
			for (i = 0; i < NKEYS; i++)
				if (strcmp(keys[i].name, k) == 0)
					break;
			if (i == NKEYS)
				FAIL("%s: ship.%.64s: unknown key (see "
				     "--help-config)",
				    c->path, k);
		}
	if ((fl->eve != NULL && override(&c->eve, fl->eve) != 0) ||
	    (fl->redis != NULL && override(&c->redis, fl->redis) != 0) ||
	    (fl->key != NULL && override(&c->key, fl->key) != 0))
		FAIL("out of memory");
	if (c->key[0] == '\0' || strcmp(c->key, c->deadletter) == 0)
		FAIL("%s: ship.key: empty, or the dead-letter list", c->path);
	if (c->eve[0] == '\0' || c->state[0] == '\0')
		FAIL("%s: ship.eve, ship.state: empty", c->path);
	if (redisurl_parse(c->redis, &c->url, uerr, sizeof(uerr)) != 0)
		FAIL("%s: redis: %s", fl->redis != NULL ? "--redis" : c->path,
		    uerr);
	if (password_read(
		c->path, c->redis_password_file, &c->url, err, errlen) != 0)
		goto fail;
	json_decref(root);
	return c;
fail:
	json_decref(root);
	ship_cfg_free(c);
	return NULL;
}

void
ship_cfg_free(struct ship_cfg *c)
{
	if (c == NULL)
		return;
	free(c->path);
	free(c->eve);
	free(c->state);
	free(c->key);
	free(c->deadletter);
	free(c->redis);
	free(c->redis_password_file);
	free(c->sensor);
	free(c->log_level);
	free(c->metrics_listen);
	list_free(c->event_types, c->nevent_types);
	memset(c->url.password, 0, sizeof(c->url.password));
	free(c);
}

void
ship_cfg_describe(FILE *fp)
{
	size_t i;

	fprintf(fp, "sankaku-ship: the section \"ship\" of the config file\n");
	for (i = 0; i < NKEYS; i++) {
		if (keys[i].type == K_INT)
			fprintf(fp, "  ship.%-20s (default %ld, %ld-%ld) %s\n",
			    keys[i].name, keys[i].def_int, keys[i].min,
			    keys[i].max, keys[i].help);
		else
			fprintf(fp, "  ship.%-20s (default \"%s\") %s\n",
			    keys[i].name, keys[i].def_str, keys[i].help);
	}
}
