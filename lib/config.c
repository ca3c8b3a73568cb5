/*
 * config.c: the configuration read by its table of keys (cfg_keys.c:
 * name, type, default, bounds, help), plus the structured keys (sources,
 * home_net, mapping, phase_roles) that need their own checks.  Every error
 * names the file and the key: "FILE: KEY: reason".
 */

#include <sys/stat.h>

#include <errno.h>
#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <jansson.h>

#include "cfg_keys.h"
#include "cfg_parse.h"
#include "config.h"

/* The choice named s, or NULL. */
static const struct cfg_choice *
choice_find(const char *s, const struct cfg_choice *choices)
{
	for (; choices->name != NULL; choices++)
		if (strcmp(s, choices->name) == 0)
			return choices;
	return NULL;
}

/* Find the scalar key by dotted name. */
static const struct cfg_key *
key_find(const char *name)
{
	size_t i;

	for (i = 0; i < cfg_nkeys; i++)
		if (strcmp(cfg_keys[i].name, name) == 0)
			return &cfg_keys[i];
	return NULL;
}

/* Store one scalar value from JSON v into c; 0 or -1 with err. */
static int
set_scalar(struct cfg *c, const struct cfg_key *k, json_t *v, const char *path,
    char *err, size_t errlen)
{
	char *base = (char *)c;

	switch (k->type) {
	case T_STR:
	case T_CHOICE: {
		const struct cfg_choice *ch = NULL;
		const char *s;

		if (!json_is_string(v))
			ERR("%s: must be a string", k->name);
		s = json_string_value(v);
		if (strlen(s) != json_string_length(v))
			ERR("%s: must not contain NUL", k->name);
		if (k->choices != NULL &&
		    (ch = choice_find(s, k->choices)) == NULL)
			ERR("%s: '%s' is not one of the allowed values",
			    k->name, s);
		if (k->type == T_CHOICE) {
			*(int *)(base + k->offset) = ch->value;
			return 0;
		}
		if ((strcmp(k->name, "input.key") == 0 ||
			strcmp(k->name, "output.stream") == 0 ||
			strcmp(k->name, "output.deadletter") == 0 ||
			strcmp(k->name, "consumer") == 0) &&
		    s[0] == '\0')
			ERR("%s: must not be empty", k->name);
		free(*(char **)(base + k->offset));
		if ((*(char **)(base + k->offset) = strdup(s)) == NULL)
			ERR("%s: out of memory", k->name);
		return 0;
	}
	case T_INT: {
		json_int_t n;

		if (!json_is_integer(v))
			ERR("%s: must be an integer", k->name);
		n = json_integer_value(v);
		if (n < k->min || n > k->max)
			ERR("%s: %lld is out of range [%ld, %ld]", k->name,
			    (long long)n, k->min, k->max);
		*(long *)(base + k->offset) = (long)n;
		return 0;
	}
	case T_BOOL:
		if (!json_is_boolean(v))
			ERR("%s: must be true or false", k->name);
		*(int *)(base + k->offset) = json_is_true(v);
		return 0;
	}
fail:
	return -1;
}

/* Fill defaults for everything; structured defaults included. */
static int
set_defaults(struct cfg *c)
{
	size_t i;
	char host[256];

	for (i = 0; i < cfg_nkeys; i++) {
		const struct cfg_key *k = &cfg_keys[i];

		if (k->type == T_STR && k->offset != 0 && k->def_str != NULL) {
			if ((*(char **)((char *)c + k->offset) =
				    strdup(k->def_str)) == NULL)
				return -1;
		} else if (k->type == T_INT)
			*(long *)((char *)c + k->offset) = k->def_int;
		else if (k->type == T_BOOL)
			*(int *)((char *)c + k->offset) = (int)k->def_int;
		else if (k->type == T_CHOICE)
			*(int *)((char *)c + k->offset) =
			    choice_find(k->def_str, k->choices)->value;
	}
	if (gethostname(host, sizeof(host)) != 0 || host[0] == '\0')
		strcpy(host, "sankakud");
	host[sizeof(host) - 1] = '\0';
	if ((c->consumer = strdup(host)) == NULL)
		return -1;
	if (cfg_model_defaults(c) != 0)
		return -1;
	cfg_org_defaults(c);
	return 0;
}

/* Walk one level of keys; prefix is "" or "input." etc. */
static int
parse_level(struct cfg *c, json_t *obj, const char *prefix, const char *path,
    char *err, size_t errlen)
{
	const char *k;
	json_t *v;
	char name[128];

	json_object_foreach (obj, k, v) {
		const struct cfg_key *ck;

		snprintf(name, sizeof(name), "%s%s", prefix, k);
		if (prefix[0] == '\0') {
			if (strcmp(k, "sources") == 0)
				continue; /* parsed after the rest */
			if (strcmp(k, "home_net") == 0) {
				if (cfg_parse_home_net(c, v, path, err, errlen))
					return -1;
				continue;
			}
			if (strcmp(k, "mapping") == 0) {
				if (cfg_parse_mapping(c, v, path, err, errlen))
					return -1;
				continue;
			}
			if (strcmp(k, "organisation") == 0) {
				if (cfg_parse_org(c, v, path, err, errlen))
					return -1;
				continue;
			}
			if (strcmp(k, "phase_roles") == 0) {
				if (cfg_parse_phase_roles(
					c, v, path, err, errlen))
					return -1;
				continue;
			}
			if (strcmp(k, "input") == 0 ||
			    strcmp(k, "output") == 0 ||
			    strcmp(k, "metrics") == 0 ||
			    strcmp(k, "rules") == 0 || strcmp(k, "desk") == 0) {
				char sub[64];

				if (!json_is_object(v))
					ERR("%s: must be an object", k);
				snprintf(sub, sizeof(sub), "%s.", k);
				if (parse_level(c, v, sub, path, err, errlen))
					return -1;
				continue;
			}
			if (k[0] == '_' || strcmp(k, "comment") == 0)
				continue; /* room for comments in JSON */
		}
		if (strcmp(name, "desk.notify") == 0) {
			if (cfg_parse_notify(c, v, path, err, errlen))
				return -1;
			continue;
		}
		if ((ck = key_find(name)) == NULL)
			ERR("%s: unknown key", name);
		if (set_scalar(c, ck, v, path, err, errlen) != 0)
			return -1;
	}
	return 0;
fail:
	return -1;
}

/* A path key relative to the config file, made absolute ("" stays). */
static int
cfg_resolve_in_place(const char *path, char **p)
{
	char *r;

	if ((*p)[0] == '\0')
		return 0;
	if ((r = cfg_resolve_path(path, *p)) == NULL)
		return -1;
	free(*p);
	*p = r;
	return 0;
}

/* Concatenate two strings into a new one. */
static char *
concat(const char *a, const char *b)
{
	char *s = malloc(strlen(a) + strlen(b) + 1);

	if (s != NULL) {
		strcpy(s, a);
		strcat(s, b);
	}
	return s;
}

/* Parse a config held in memory. */
struct cfg *
cfg_parse(
    const char *path, const char *text, size_t len, char *err, size_t errlen)
{
	struct cfg *c;
	json_t *root = NULL, *sources;
	json_error_t jerr;
	size_t i;

	if ((c = calloc(1, sizeof(*c))) == NULL) {
		snprintf(err, errlen, "%s: out of memory", path);
		return NULL;
	}
	if ((c->path = strdup(path)) == NULL || set_defaults(c) != 0)
		ERR("out of memory");
	root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
	if (root == NULL) {
		/* jansson quotes the token it stopped at ("near '...'"),
		 * which may be a password: line and column say enough */
		char *near = strstr(jerr.text, " near '");

		if (near != NULL)
			*near = '\0';
		ERR("line %d column %d: %s", jerr.line, jerr.column, jerr.text);
	}
	if (!json_is_object(root))
		ERR("the top level must be an object");
	if (parse_level(c, root, "", path, err, errlen) != 0)
		goto fail;
	if (c->stream == NULL &&
	    (c->stream = concat(c->prefix, "alerts")) == NULL)
		ERR("out of memory");
	if (c->deadletter == NULL &&
	    (c->deadletter = concat(c->prefix, "deadletter")) == NULL)
		ERR("out of memory");
	if (c->red_stream == NULL &&
	    (c->red_stream = concat(c->prefix, "red:alerts")) == NULL)
		ERR("out of memory");
	if (c->index_path[0] != '\0') {
		char *r = cfg_resolve_path(path, c->index_path);

		if (r == NULL)
			ERR("out of memory");
		free(c->index_path);
		c->index_path = r;
	}
	if (cfg_resolve_in_place(path, &c->rules_shipped) != 0 ||
	    cfg_resolve_in_place(path, &c->rules_suppress) != 0 ||
	    cfg_resolve_in_place(path, &c->desk_suppress_file) != 0 ||
	    cfg_resolve_in_place(path, &c->desk_sightings_dir) != 0 ||
	    cfg_resolve_in_place(path, &c->desk_users_file) != 0 ||
	    cfg_resolve_in_place(path, &c->desk_cves) != 0)
		ERR("out of memory");
	if (cfg_check(c, path, err, errlen) != 0 ||
	    cfg_notify_check(c, path, err, errlen) != 0)
		goto fail;
	if ((sources = json_object_get(root, "sources")) == NULL)
		ERR("sources: missing (an array of indicator sources)");
	if (!json_is_array(sources))
		ERR("sources: must be an array");
	if (json_array_size(sources) > 0) {
		c->sources =
		    calloc(json_array_size(sources), sizeof(*c->sources));
		if (c->sources == NULL)
			ERR("out of memory");
	}
	for (i = 0; i < json_array_size(sources); i++) {
		c->nsources = i + 1;
		if (cfg_parse_source(c, i, json_array_get(sources, i), path,
			err, errlen) != 0)
			goto fail;
	}
	json_decref(root);
	return c;
fail:
	json_decref(root);
	cfg_free(c);
	return NULL;
}

/* Read the file and parse it. */
struct cfg *
cfg_load(const char *path, char *err, size_t errlen)
{
	FILE *f;
	char *buf = NULL;
	size_t len = 0, cap = 0, n;
	struct cfg *c;

	if ((f = fopen(path, "r")) == NULL) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return NULL;
	}
	for (;;) {
		if (len + 4096 > cap) {
			char *nb;

			cap = cap != 0 ? cap * 2 : 8192;
			if (cap > 16 * 1024 * 1024 ||
			    (nb = realloc(buf, cap)) == NULL) {
				snprintf(err, errlen, "%s: too large", path);
				free(buf);
				fclose(f);
				return NULL;
			}
			buf = nb;
		}
		n = fread(buf + len, 1, cap - len, f);
		len += n;
		if (n == 0)
			break;
	}
	if (ferror(f)) {
		snprintf(err, errlen, "%s: read error", path);
		free(buf);
		fclose(f);
		return NULL;
	}
	fclose(f);
	c = cfg_parse(path, buf, len, err, errlen);
	free(buf);
	return c;
}

/* Free a config and everything it owns. */
void
cfg_free(struct cfg *c)
{
	size_t i, j;

	if (c == NULL)
		return;
	for (i = 0; i < cfg_nkeys; i++)
		if (cfg_keys[i].type == T_STR && cfg_keys[i].offset != 0)
			free(*(char **)((char *)c + cfg_keys[i].offset));
	free(c->path);
	free(c->home_net);
	for (i = 0; i < sizeof(c->phase_roles) / sizeof(c->phase_roles[0]); i++)
		free(c->phase_roles[i].roles);
	for (i = 0; i < EV_MAX; i++)
		free(c->evmap[i].roles.roles);
	for (i = 0; i < c->nsources; i++) {
		for (j = 0; j < c->sources[i].nfeeds; j++) {
			struct cfg_feed *f = &c->sources[i].feeds[j];
			size_t k;

			free(f->path);
			free(f->format);
			free(f->type);
			free(f->encoding);
			free(f->url);
			free(f->key_file);
			free(f->key_header);
			free(f->client_cert);
			free(f->client_key);
			free(f->ca_file);
			free(f->query);
			for (k = 0; k < FCOL_MAX; k++)
				free(f->col_name[k]);
		}
		free(c->sources[i].feeds);
		free(c->sources[i].id);
		free(c->sources[i].name);
		free(c->sources[i].tlp);
		free(c->sources[i].misp_url);
		free(c->sources[i].misp_key_file);
		free(c->sources[i].misp_ca_file);
	}
	free(c->sources);
	cfg_org_free(c);
	cfg_notify_free(c);
	free(c);
}

/* Find a configured source by id. */
const struct cfg_source *
cfg_source_find(const struct cfg *c, const char *id)
{
	size_t i;

	for (i = 0; i < c->nsources; i++)
		if (strcmp(c->sources[i].id, id) == 0)
			return &c->sources[i];
	return NULL;
}
