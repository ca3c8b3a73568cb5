/*
 * cfg_sources.c: the config's indicator sources: id, name, triangle, TLP
 * and feeds, each checked with a message naming file, key and reason.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>

#include "cfg_parse.h"
#include "config.h"

static const char *const tlps[] = {
    "clear", "white", "green", "amber", "amber+strict", "red", NULL};

/* Whether s is in a NULL-terminated list. */
static int
in_list(const char *s, const char *const *list)
{
	for (; *list != NULL; list++)
		if (strcmp(s, *list) == 0)
			return 1;
	return 0;
}

/* An id safe in channel names and in rule metadata. */
static int
valid_id(const char *s)
{
	size_t n = strlen(s), i;

	if (n == 0 || n > 64)
		return 0;
	for (i = 0; i < n; i++) {
		char c = s[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			(c >= '0' && c <= '9') || c == '-' || c == '_' ||
			c == '.'))
			return 0;
	}
	return 1;
}

/* Resolve rel against the directory of the config file. */
char *
cfg_resolve_path(const char *cfgpath, const char *rel)
{
	const char *slash;
	char *out;
	size_t dlen;

	if (rel[0] == '/' || rel[0] == '\0' ||
	    (slash = strrchr(cfgpath, '/')) == NULL)
		return strdup(rel);
	dlen = (size_t)(slash - cfgpath);
	if ((out = malloc(dlen + 1 + strlen(rel) + 1)) == NULL)
		return NULL;
	memcpy(out, cfgpath, dlen);
	out[dlen] = '/';
	strcpy(out + dlen + 1, rel);
	return out;
}

/* Parse one source object. */
int
cfg_parse_source(struct cfg *c, size_t idx, json_t *s, const char *path,
    char *err, size_t errlen)
{
	struct cfg_source *src = &c->sources[idx];
	const char *k;
	json_t *v, *f;
	size_t i;

	if (!json_is_object(s))
		ERR("sources[%zu]: must be an object", idx);
	json_object_foreach (s, k, v) {
		if (strcmp(k, "id") == 0 || strcmp(k, "name") == 0 ||
		    strcmp(k, "tlp") == 0 || strcmp(k, "triangle") == 0) {
			if (!json_is_string(v) ||
			    strlen(json_string_value(v)) !=
				json_string_length(v))
				ERR("sources[%zu].%s: must be a string", idx,
				    k);
		} else if (strcmp(k, "feeds") == 0) {
			if (!json_is_array(v))
				ERR("sources[%zu].feeds: must be an array",
				    idx);
		} else
			ERR("sources[%zu].%s: unknown key", idx, k);
	}
	if ((v = json_object_get(s, "id")) == NULL)
		ERR("sources[%zu].id: missing", idx);
	if (!valid_id(json_string_value(v)))
		ERR("sources[%zu].id: '%s' must be 1-64 of A-Z a-z 0-9 . _ -",
		    idx, json_string_value(v));
	for (i = 0; i < idx; i++)
		if (strcmp(c->sources[i].id, json_string_value(v)) == 0)
			ERR("sources[%zu].id: '%s' is used twice", idx,
			    json_string_value(v));
	if ((src->id = strdup(json_string_value(v))) == NULL)
		ERR("sources[%zu]: out of memory", idx);
	v = json_object_get(s, "name");
	if ((src->name = strdup(v != NULL ? json_string_value(v) : src->id)) ==
	    NULL)
		ERR("sources[%zu]: out of memory", idx);
	if ((v = json_object_get(s, "triangle")) == NULL)
		ERR("sources[%zu].triangle: missing (speed-accuracy, "
		    "speed-coverage or accuracy-coverage)",
		    idx);
	if ((src->triangle = isog_triangle_find(json_string_value(v))) == NULL)
		ERR("sources[%zu].triangle: '%s' is not speed-accuracy, "
		    "speed-coverage or accuracy-coverage",
		    idx, json_string_value(v));
	v = json_object_get(s, "tlp");
	{
		char tlp[32];
		const char *t = v != NULL ? json_string_value(v) : "amber";
		size_t n = strlen(t), j;

		if (strncasecmp(t, "tlp:", 4) == 0) {
			t += 4;
			n -= 4;
		}
		if (n >= sizeof(tlp))
			ERR("sources[%zu].tlp: unknown TLP '%s'", idx, t);
		for (j = 0; j <= n; j++)
			tlp[j] = (char)((t[j] >= 'A' && t[j] <= 'Z')
				? t[j] - 'A' + 'a'
				: t[j]);
		if (!in_list(tlp, tlps))
			ERR("sources[%zu].tlp: unknown TLP '%s' (clear, green, "
			    "amber, amber+strict, red)",
			    idx, t);
		if ((src->tlp = strdup(tlp)) == NULL)
			ERR("sources[%zu]: out of memory", idx);
	}
	if ((v = json_object_get(s, "feeds")) != NULL &&
	    json_array_size(v) > 0) {
		src->feeds = calloc(json_array_size(v), sizeof(*src->feeds));
		if (src->feeds == NULL)
			ERR("sources[%zu]: out of memory", idx);
		json_array_foreach (v, i, f) {
			const char *fp, *ff;

			if (json_unpack(f, "{s:s, s:s !}", "path", &fp,
				"format", &ff) != 0)
				ERR("sources[%zu].feeds[%zu]: must be "
				    "{\"path\": "
				    "string, \"format\": string}",
				    idx, i);
			if (strcmp(ff, "stix2") != 0 &&
			    strcmp(ff, "misp") != 0 && strcmp(ff, "csv") != 0)
				ERR("sources[%zu].feeds[%zu].format: '%s' is "
				    "not stix2, misp or csv",
				    idx, i, ff);
			if (fp[0] == '\0')
				ERR("sources[%zu].feeds[%zu].path: empty", idx,
				    i);
			src->feeds[i].path = cfg_resolve_path(path, fp);
			src->feeds[i].format = strdup(ff);
			src->nfeeds++;
			if (src->feeds[i].path == NULL ||
			    src->feeds[i].format == NULL)
				ERR("sources[%zu]: out of memory", idx);
		}
	}
	return 0;
fail:
	return -1;
}
