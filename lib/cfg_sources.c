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

static const char *const col_names[FCOL_MAX] = {
    [FCOL_TYPE] = "type",
    [FCOL_VALUE] = "value",
    [FCOL_PORT] = "port",
    [FCOL_PUBLISHED] = "published",
    [FCOL_VALID_UNTIL] = "valid_until",
    [FCOL_EVIDENCE] = "evidence",
    [FCOL_TLP] = "tlp",
    [FCOL_TO_IDS] = "to_ids",
    [FCOL_NAME] = "name",
    [FCOL_REF] = "ref",
};

/* Name of a column role. */
const char *
cfg_feed_col_name(enum feed_col c)
{
	return c < FCOL_MAX ? col_names[c] : "?";
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

/* A CSV feed's columns: role -> header name or 1-based number. */
static int
parse_columns(struct cfg_feed *fd, size_t idx, size_t i, json_t *cols,
    const char *path, char *err, size_t errlen)
{
	const char *k;
	json_t *v;
	int c;

	if (!json_is_object(cols))
		ERR("sources[%zu].feeds[%zu].columns: must be an object", idx,
		    i);
	json_object_foreach (cols, k, v) {
		for (c = 0; c < FCOL_MAX; c++)
			if (strcmp(k, col_names[c]) == 0)
				break;
		if (c == FCOL_MAX)
			ERR("sources[%zu].feeds[%zu].columns.%.40s: unknown "
			    "column (type, value, port, published, "
			    "valid_until, evidence, tlp, to_ids, name, ref)",
			    idx, i, k);
		if (json_is_integer(v) && json_integer_value(v) >= 1 &&
		    json_integer_value(v) <= 32)
			fd->col_num[c] = (int)json_integer_value(v);
		else if (json_is_string(v) && json_string_length(v) > 0 &&
		    json_string_length(v) < 64 &&
		    strlen(json_string_value(v)) == json_string_length(v)) {
			if ((fd->col_name[c] = strdup(json_string_value(v))) ==
			    NULL)
				ERR("out of memory");
		} else
			ERR("sources[%zu].feeds[%zu].columns.%s: a header "
			    "name or a column number from 1 to 32",
			    idx, i, k);
	}
	if (fd->col_name[FCOL_VALUE] == NULL && fd->col_num[FCOL_VALUE] == 0)
		ERR("sources[%zu].feeds[%zu].columns: must name the value "
		    "column",
		    idx, i);
	return 0;
fail:
	return -1;
}

/* An https:// URL with a host, no user or password, nothing but
 * printable ASCII (it goes into a request line as it is). */
static int
https_url_ok(const char *url)
{
	const char *host = url + 8, *end, *p;

	if (strncmp(url, "https://", 8) != 0)
		return 0;
	for (p = url; *p != '\0'; p++)
		if (*p <= ' ' || *p >= 0x7f)
			return 0;
	end = host + strcspn(host, "/?#");
	return end != host && memchr(host, '@', (size_t)(end - host)) == NULL;
}

/* A string member of a feed entry, or NULL; -1 when present and not a
 * string without NUL. */
static int
feed_string(json_t *f, const char *key, const char **out)
{
	json_t *v = json_object_get(f, key);

	*out = NULL;
	if (v == NULL)
		return 0;
	if (!json_is_string(v) ||
	    strlen(json_string_value(v)) != json_string_length(v))
		return -1;
	*out = json_string_value(v);
	return 0;
}

/* A fetched feed's key: the file (for misp, the source's misp_key_file
 * by default) and the header it goes in (an HTTP token; Authorization by
 * default). */
static int
parse_key(struct cfg_source *src, size_t idx, size_t i, const char *key,
    const char *header, const char *path, char *err, size_t errlen)
{
	struct cfg_feed *fd = &src->feeds[i];
	size_t n;

	if (key != NULL && key[0] != '\0')
		fd->key_file = cfg_resolve_path(path, key);
	else if (fd->fetch == FETCH_MISP && src->misp_key_file[0] != '\0')
		fd->key_file = strdup(src->misp_key_file); /* resolved */
	else if (fd->fetch == FETCH_MISP)
		ERR("sources[%zu].feeds[%zu].key_file: missing (the file "
		    "holding the MISP API key)",
		    idx, i);
	else if (header != NULL)
		ERR("sources[%zu].feeds[%zu].key_header: needs a key_file", idx,
		    i);
	else
		fd->key_file = strdup("");
	if (header == NULL)
		header = "Authorization";
	n = strspn(header,
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	    "0123456789!#$%&'*+-.^_`|~");
	if (n == 0 || n > 64 || header[n] != '\0')
		ERR("sources[%zu].feeds[%zu].key_header: '%.40s' is not a "
		    "header name (1-64 of A-Z a-z 0-9 and !#$%%&'*+-.^_`|~)",
		    idx, i, header);
	if (fd->key_file == NULL || (fd->key_header = strdup(header)) == NULL)
		ERR("sources[%zu]: out of memory", idx);
	return 0;
fail:
	return -1;
}

/* Where sankaku-fetch gets the feed: url, fetch (get, taxii, misp,
 * misp-feed), key_file, key_header, ca_file, client_cert and client_key (a
 * TLS client certificate, as some TAXII servers ask), query (misp), days
 * (misp-feed). */
static int
parse_fetch(struct cfg_source *src, size_t idx, size_t i, json_t *f,
    const char *format, const char *path, char *err, size_t errlen)
{
	struct cfg_feed *fd = &src->feeds[i];
	static const char *const keys[] = {"url", "fetch", "key_file",
	    "key_header", "ca_file", "client_cert", "client_key"};
	const char *v[7], *url, *how, *ca;
	json_t *query = json_object_get(f, "query"),
	       *days = json_object_get(f, "days");
	size_t k;

	for (k = 0; k < 7; k++)
		if (feed_string(f, keys[k], &v[k]) != 0)
			ERR("sources[%zu].feeds[%zu].%s: must be a string", idx,
			    i, keys[k]);
	url = v[0];
	how = v[1];
	ca = v[4];
	if (url == NULL) {
		for (k = 1; k < 7 && v[k] == NULL; k++)
			;
		if (k < 7 || query != NULL || days != NULL)
			ERR("sources[%zu].feeds[%zu]: fetch, key_file, "
			    "key_header, ca_file, client_cert, client_key, "
			    "query and days need a url",
			    idx, i);
		return 0;
	}
	if (v[6] != NULL && v[5] == NULL)
		ERR("sources[%zu].feeds[%zu].client_key: needs a client_cert",
		    idx, i);
	if (!https_url_ok(url))
		ERR("sources[%zu].feeds[%zu].url: an https:// URL with a host, "
		    "without user or password (the key goes in key_file) or "
		    "spaces",
		    idx, i);
	if (how == NULL || strcmp(how, "get") == 0)
		fd->fetch = FETCH_GET;
	else if (strcmp(how, "taxii") == 0)
		fd->fetch = FETCH_TAXII;
	else if (strcmp(how, "misp") == 0)
		fd->fetch = FETCH_MISP;
	else if (strcmp(how, "misp-feed") == 0)
		fd->fetch = FETCH_MISP_FEED;
	else
		ERR("sources[%zu].feeds[%zu].fetch: '%.20s' is not get, taxii, "
		    "misp or misp-feed",
		    idx, i, how);
	if ((fd->fetch == FETCH_TAXII && strcmp(format, "stix2") != 0) ||
	    ((fd->fetch == FETCH_MISP || fd->fetch == FETCH_MISP_FEED) &&
		strcmp(format, "misp") != 0))
		ERR("sources[%zu].feeds[%zu].fetch: %s gives a %s feed, not %s",
		    idx, i, how, fd->fetch == FETCH_TAXII ? "stix2" : "misp",
		    format);
	fd->days = 30;
	if (days != NULL &&
	    (fd->fetch != FETCH_MISP_FEED || !json_is_integer(days) ||
		json_integer_value(days) < 1 ||
		json_integer_value(days) > 3650))
		ERR("sources[%zu].feeds[%zu].days: a misp-feed's events "
		    "changed in the last 1 to 3650 days",
		    idx, i);
	if (days != NULL)
		fd->days = (int)json_integer_value(days);
	if (query != NULL &&
	    (fd->fetch != FETCH_MISP || !json_is_object(query)))
		ERR("sources[%zu].feeds[%zu].query: an object, the body of a "
		    "misp fetch's restSearch",
		    idx, i);
	if (parse_key(src, idx, i, v[2], v[3], path, err, errlen) != 0)
		goto fail;
	if ((fd->url = strdup(url)) == NULL ||
	    (fd->ca_file = cfg_resolve_path(path, ca != NULL ? ca : "")) ==
		NULL ||
	    (fd->client_cert =
		    cfg_resolve_path(path, v[5] != NULL ? v[5] : "")) == NULL ||
	    (fd->client_key =
		    cfg_resolve_path(path, v[6] != NULL ? v[6] : "")) == NULL ||
	    (query != NULL &&
		(fd->query = json_dumps(query, JSON_COMPACT)) == NULL))
		ERR("sources[%zu]: out of memory", idx);
	return 0;
fail:
	return -1;
}

/* One feed of a source. */
static int
parse_feed(struct cfg_source *src, size_t idx, size_t i, json_t *f,
    const char *path, char *err, size_t errlen)
{
	struct cfg_feed *fd = &src->feeds[i];
	const char *fp, *ff, *ft = NULL, *fe = NULL;
	json_t *cols = NULL, *fetch = NULL;
	static const char *const types[] = {"domain", "url", "ip", "cidr",
	    "md5", "sha1", "sha256", "ja3", "ip-port", "domain-port", NULL};
	size_t k;

	if (json_unpack(f,
		"{s:s, s:s, s?s, s?o, s?s, s?o, s?o, s?o, s?o, s?o, s?o, s?o, "
		"s?o, s?o !}",
		"path", &fp, "format", &ff, "type", &ft, "columns", &cols,
		"encoding", &fe, "url", &fetch, "fetch", &fetch, "key_file",
		&fetch, "key_header", &fetch, "ca_file", &fetch, "client_cert",
		&fetch, "client_key", &fetch, "query", &fetch, "days",
		&fetch) != 0)
		ERR("sources[%zu].feeds[%zu]: must be {\"path\": string, "
		    "\"format\": string} (csv: also \"type\", \"columns\", "
		    "\"encoding\"; to fetch it: \"url\", \"fetch\", "
		    "\"key_file\", \"key_header\", \"ca_file\", "
		    "\"client_cert\", \"client_key\", \"query\", \"days\")",
		    idx, i);
	src->nfeeds++;
	if (strcmp(ff, "stix2") != 0 && strcmp(ff, "misp") != 0 &&
	    strcmp(ff, "csv") != 0)
		ERR("sources[%zu].feeds[%zu].format: '%.20s' is not stix2, "
		    "misp or csv",
		    idx, i, ff);
	if (fp[0] == '\0')
		ERR("sources[%zu].feeds[%zu].path: empty", idx, i);
	if ((ft != NULL || cols != NULL || fe != NULL) &&
	    strcmp(ff, "csv") != 0)
		ERR("sources[%zu].feeds[%zu]: type, columns and encoding are "
		    "for "
		    "csv feeds (JSON is UTF-8)",
		    idx, i);
	if (fe != NULL && strcasecmp(fe, "utf-8") != 0) {
		static const char *const sets[] = {
		    "shift_jis", "cp932", "euc-jp", NULL};

		for (k = 0; sets[k] != NULL && strcasecmp(fe, sets[k]) != 0;
		     k++)
			;
		if (sets[k] == NULL)
			ERR("sources[%zu].feeds[%zu].encoding: '%.20s' is not "
			    "utf-8, shift_jis, cp932 or euc-jp",
			    idx, i, fe);
		if ((fd->encoding = strdup(sets[k])) == NULL)
			ERR("out of memory");
	}
	if (ft != NULL) {
		for (k = 0; types[k] != NULL && strcmp(ft, types[k]) != 0; k++)
			;
		if (types[k] == NULL)
			ERR("sources[%zu].feeds[%zu].type: '%.20s' is not one "
			    "of domain, url, ip, cidr, md5, sha1, sha256, "
			    "ja3, ip-port, domain-port",
			    idx, i, ft);
		if ((fd->type = strdup(ft)) == NULL)
			ERR("out of memory");
	}
	if (cols != NULL &&
	    parse_columns(fd, idx, i, cols, path, err, errlen) != 0)
		goto fail;
	if (parse_fetch(src, idx, i, f, ff, path, err, errlen) != 0)
		goto fail;
	fd->path = cfg_resolve_path(path, fp);
	fd->format = strdup(ff);
	if (fd->path == NULL || fd->format == NULL)
		ERR("sources[%zu]: out of memory", idx);
	return 0;
fail:
	return -1;
}

/* misp_url, misp_key_file, misp_ca_file: all three strings, the URL
 * https:// without a user or password, the key in its own file. */
static int
parse_misp(struct cfg_source *src, size_t idx, json_t *s, const char *path,
    char *err, size_t errlen)
{
	const char *url = json_string_value(json_object_get(s, "misp_url")),
		   *key =
		       json_string_value(json_object_get(s, "misp_key_file")),
		   *ca = json_string_value(json_object_get(s, "misp_ca_file"));

	if (url == NULL)
		url = "";
	if (url[0] != '\0') {
		if (!https_url_ok(url))
			ERR("sources[%zu].misp_url: an https:// URL without "
			    "user or password (the key goes in "
			    "misp_key_file) or spaces",
			    idx);
		if (key == NULL || key[0] == '\0')
			ERR("sources[%zu].misp_key_file: missing (the file "
			    "holding the MISP API key)",
			    idx);
	}
	if ((src->misp_url = strdup(url)) == NULL ||
	    (src->misp_key_file =
		    cfg_resolve_path(path, key != NULL ? key : "")) == NULL ||
	    (src->misp_ca_file =
		    cfg_resolve_path(path, ca != NULL ? ca : "")) == NULL)
		ERR("sources[%zu]: out of memory", idx);
	return 0;
fail:
	return -1;
}

/* Two feeds fetched into one file would overwrite each other: refused. */
static int
fetched_twice(const struct cfg *c, size_t idx, size_t i, const char *path,
    char *err, size_t errlen)
{
	const struct cfg_feed *fd = &c->sources[idx].feeds[i];
	size_t s, k;

	if (fd->url == NULL)
		return 0;
	for (s = 0; s <= idx; s++)
		for (k = 0; k < (s < idx ? c->sources[s].nfeeds : i); k++) {
			const struct cfg_feed *o = &c->sources[s].feeds[k];

			if (o->url != NULL && strcmp(o->path, fd->path) == 0)
				ERR("sources[%zu].feeds[%zu].path: "
				    "sources[%zu].feeds[%zu] fetches into it "
				    "too",
				    idx, i, s, k);
		}
	return 0;
fail:
	return -1;
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
		    strcmp(k, "tlp") == 0 || strcmp(k, "triangle") == 0 ||
		    strcmp(k, "red") == 0 || strcmp(k, "misp_url") == 0 ||
		    strcmp(k, "misp_key_file") == 0 ||
		    strcmp(k, "misp_ca_file") == 0) {
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
		const char *t = v != NULL ? json_string_value(v) : "amber";

		if (tlp_parse(t, strlen(t), &src->tlp_level) != 0)
			ERR("sources[%zu].tlp: unknown TLP '%.40s' (clear, "
			    "green, amber, amber+strict, red)",
			    idx, t);
		if ((src->tlp = strdup(tlp_name(src->tlp_level))) == NULL)
			ERR("sources[%zu]: out of memory", idx);
	}
	if ((v = json_object_get(s, "red")) != NULL) {
		if (strcmp(json_string_value(v), "deploy") == 0)
			src->red_deploy = 1;
		else if (strcmp(json_string_value(v), "skip") != 0)
			ERR("sources[%zu].red: '%.40s' is not skip or deploy",
			    idx, json_string_value(v));
	}
	if (parse_misp(src, idx, s, path, err, errlen) != 0)
		goto fail;
	if ((v = json_object_get(s, "feeds")) != NULL &&
	    json_array_size(v) > 0) {
		src->feeds = calloc(json_array_size(v), sizeof(*src->feeds));
		if (src->feeds == NULL)
			ERR("sources[%zu]: out of memory", idx);
		json_array_foreach (v, i, f) {
			if (parse_feed(src, idx, i, f, path, err, errlen) !=
				0 ||
			    fetched_twice(c, idx, i, path, err, errlen) != 0)
				goto fail;
		}
	}
	return 0;
fail:
	return -1;
}
