/*
 * fpage.c: what sankaku-fetch does without the network (see fpage.h).
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "afile.h"
#include "fpage.h"
#include "uuid.h"

const char fpage_misp_query[] =
    "{\"returnFormat\":\"json\",\"to_ids\":true,\"deleted\":false,"
    "\"published\":true,\"includeEventTags\":true,"
    "\"publish_timestamp\":\"30d\"}";

char *
fpage_url_add(const char *base, const char *name, const char *value)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t n = strlen(base), k = strlen(name), i;
	char *url = malloc(n + k + 2 + 3 * strlen(value) + 1), *p;

	if (url == NULL)
		return NULL;
	memcpy(url, base, n);
	p = url + n;
	*p++ = strchr(base, '?') != NULL ? '&' : '?';
	memcpy(p, name, k);
	p += k;
	*p++ = '=';
	for (i = 0; value[i] != '\0'; i++) {
		unsigned char c = (unsigned char)value[i];

		if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		    (c >= '0' && c <= '9') || c == '-' || c == '.' ||
		    c == '_' || c == '~')
			*p++ = (char)c;
		else {
			*p++ = '%';
			*p++ = hex[c >> 4];
			*p++ = hex[c & 15];
		}
	}
	*p = '\0';
	return url;
}

/* The length of a's fraction's digits when a is a TAXII timestamp
 * (dddd-dd-ddTdd:dd:dd, then . and digits or nothing, then Z), else -1. */
static int
taxii_time(const char *a)
{
	static const char form[] = "dddd-dd-ddTdd:dd:dd";
	int i, f = 0;

	for (i = 0; form[i] != '\0'; i++)
		if (form[i] == 'd' ? a[i] < '0' || a[i] > '9' : a[i] != form[i])
			return -1;
	if (a[i] == '.')
		for (i++; a[i] >= '0' && a[i] <= '9'; i++)
			f++;
	return a[i] == 'Z' && a[i + 1] == '\0' && (a[19] != '.' || f > 0) ? f
									  : -1;
}

int
fpage_taxii_later(const char *a, const char *b)
{
	int fa = taxii_time(a), fb = taxii_time(b), c, i;

	if (fa < 0 || fb < 0)
		return 0;
	/* the same width, so the seconds compare as text */
	if ((c = memcmp(a, b, 19)) != 0)
		return c > 0;
	/* then the fractions, digit by digit, the shorter one padded with 0 */
	for (i = 0; i < fa || i < fb; i++) {
		char da = i < fa ? a[20 + i] : '0',
		     db = i < fb ? b[20 + i] : '0';

		if (da != db)
			return da > db;
	}
	return 0;
}

int
fpage_taxii_take(const char *body, size_t len, json_t *objects, char **next,
    char *err, size_t errlen)
{
	json_error_t je;
	json_t *env = json_loadb(body, len, JSON_ALLOW_NUL, &je), *objs, *more,
	       *nx, *o;
	size_t i;
	int rc = -1;

	*next = NULL;
	if (env == NULL) {
		snprintf(err, errlen, "not JSON: %.120s at byte %d", je.text,
		    je.position);
		return -1;
	}
	objs = json_object_get(env, "objects");
	more = json_object_get(env, "more");
	nx = json_object_get(env, "next");
	if (!json_is_object(env) || (objs != NULL && !json_is_array(objs)) ||
	    (more != NULL && !json_is_boolean(more)) ||
	    (nx != NULL && !json_is_string(nx))) {
		snprintf(err, errlen,
		    "not a TAXII 2.1 envelope ({\"more\": boolean, \"next\": "
		    "string, \"objects\": array})");
		goto out;
	}
	json_array_foreach (objs, i, o) {
		if (!json_is_object(o)) {
			snprintf(err, errlen, "objects[%zu]: not an object", i);
			goto out;
		}
		if (json_array_append(objects, o) != 0) {
			snprintf(err, errlen, "out of memory");
			goto out;
		}
	}
	if (json_is_true(more)) {
		if (nx == NULL || json_string_length(nx) == 0) {
			snprintf(err, errlen,
			    "\"more\" is true but there is no \"next\"");
			goto out;
		}
		if ((*next = strdup(json_string_value(nx))) == NULL) {
			snprintf(err, errlen, "out of memory");
			goto out;
		}
	}
	rc = 0;
out:
	json_decref(env);
	return rc;
}

static int
blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

int
fpage_looks_json(const char *head, size_t hlen, const char *tail, size_t tlen,
    const char *member, char *err, size_t errlen)
{
	size_t i = 0;
	char open, close;

	if (hlen >= 3 && memcmp(head, "\xef\xbb\xbf", 3) == 0)
		i = 3;
	while (i < hlen && blank(head[i]))
		i++;
	while (tlen > 0 && blank(tail[tlen - 1]))
		tlen--;
	if (i == hlen || tlen == 0) {
		snprintf(err, errlen, "an empty reply");
		return -1;
	}
	open = head[i];
	if (open != '{' && open != '[') {
		snprintf(
		    err, errlen, "not JSON: it does not begin with { or [");
		return -1;
	}
	close = open == '{' ? '}' : ']';
	if (tail[tlen - 1] != close) {
		snprintf(
		    err, errlen, "cut short: it does not end with %c", close);
		return -1;
	}
	if (member != NULL && open == '{') {
		size_t k = strlen(member);

		for (i++; i < hlen && blank(head[i]); i++)
			;
		if (hlen - i < k + 2 || head[i] != '"' ||
		    memcmp(head + i + 1, member, k) != 0 ||
		    head[i + 1 + k] != '"') {
			snprintf(err, errlen,
			    "no \"%s\" in MISP's reply (an error?)", member);
			return -1;
		}
	}
	return 0;
}

void
fpage_clean_value(char *value, size_t room)
{
	size_t i, n = strnlen(value, room);

	if (n == room) {
		value[0] = '\0';
		return;
	}
	while (n > 0 && (value[n - 1] == ' ' || value[n - 1] == '\t'))
		value[--n] = '\0';
	for (i = 0; i < n; i++)
		if ((unsigned char)value[i] < 0x20 ||
		    (unsigned char)value[i] >= 0x7f) {
			value[0] = '\0';
			return;
		}
}

/* ".NAME.suffix" in path's directory, malloc'd; NULL: out of memory. */
static char *
beside(const char *path, const char *suffix)
{
	const char *slash = strrchr(path, '/');
	size_t dir = slash != NULL ? (size_t)(slash - path) + 1 : 0;
	char *p = malloc(strlen(path) + strlen(suffix) + 3);

	if (p != NULL)
		sprintf(p, "%.*s.%s.%s", (int)dir, path, path + dir, suffix);
	return p;
}

char *
fpage_side_path(const char *path)
{
	return beside(path, "fetch");
}

/* A positive number of seconds, or 0. */
static long long
seconds(const char *s)
{
	char *end;
	long long t = strtoll(s, &end, 10);

	return end != s && *end == '\0' && t > 0 ? t : 0;
}

void
fpage_validators_read(const char *path, struct fpage_validators *v)
{
	char *side = fpage_side_path(path), line[512];
	FILE *fp = side != NULL ? fopen(side, "r") : NULL;

	memset(v, 0, sizeof(*v));
	free(side);
	if (fp == NULL)
		return;
	while (fgets(line, sizeof(line), fp) != NULL) {
		line[strcspn(line, "\n")] = '\0';
		if (strncmp(line, "etag ", 5) == 0 &&
		    strlen(line + 5) < sizeof(v->etag))
			strcpy(v->etag, line + 5);
		else if (strncmp(line, "last-modified ", 14) == 0 &&
		    strlen(line + 14) < sizeof(v->last_modified))
			strcpy(v->last_modified, line + 14);
		else if (strncmp(line, "taxii-added-last ", 17) == 0 &&
		    strlen(line + 17) < sizeof(v->added_last))
			strcpy(v->added_last, line + 17);
		else if (strncmp(line, "ok ", 3) == 0)
			v->ok_at = seconds(line + 3);
		else if (strncmp(line, "whole ", 6) == 0)
			v->whole_at = seconds(line + 6);
		else if (strncmp(line, "url-sum ", 8) == 0 &&
		    strlen(line + 8) == 16 &&
		    strspn(line + 8, "0123456789abcdef") == 16)
			strcpy(v->url_sum, line + 8);
	}
	fclose(fp);
	fpage_clean_value(v->etag, sizeof(v->etag));
	fpage_clean_value(v->last_modified, sizeof(v->last_modified));
	if (taxii_time(v->added_last) <
	    0) /* only what the next ask may carry */
		v->added_last[0] = '\0';
}

int
fpage_validators_write(const char *path, const struct fpage_validators *v)
{
	char *side = fpage_side_path(path), err[256];
	struct afile a;
	int rc = -1;

	if (side == NULL) {
		errno = ENOMEM;
		return -1;
	}
	if (v->etag[0] == '\0' && v->last_modified[0] == '\0' &&
	    v->ok_at == 0 && v->added_last[0] == '\0' && v->whole_at == 0 &&
	    v->url_sum[0] == '\0') {
		/* nothing to send back: the next fetch is whole */
		rc = unlink(side) == 0 || errno == ENOENT ? 0 : -1;
	} else if (af_open_path(&a, side, err, sizeof(err)) == 0) {
		if (v->etag[0] != '\0')
			fprintf(a.f, "etag %s\n", v->etag);
		if (v->last_modified[0] != '\0')
			fprintf(a.f, "last-modified %s\n", v->last_modified);
		if (v->ok_at > 0)
			fprintf(a.f, "ok %lld\n", v->ok_at);
		if (v->added_last[0] != '\0')
			fprintf(a.f, "taxii-added-last %s\n", v->added_last);
		if (v->whole_at > 0)
			fprintf(a.f, "whole %lld\n", v->whole_at);
		if (v->url_sum[0] != '\0')
			fprintf(a.f, "url-sum %s\n", v->url_sum);
		rc = af_commit(&a, err, sizeof(err));
	}
	free(side);
	return rc;
}

char *
fpage_events_dir(const char *path)
{
	return beside(path, "events");
}

/* A manifest's timestamp: a whole number of seconds, or its digits in a
 * string (as MISP writes it); -1 otherwise. */
static long long
manifest_ts(const json_t *v)
{
	const char *s = json_string_value(v);
	char *end;
	long long t;

	if (json_is_integer(v))
		return json_integer_value(v) >= 0 ? json_integer_value(v) : -1;
	if (s == NULL || s[0] < '0' || s[0] > '9')
		return -1;
	t = strtoll(s, &end, 10);
	return *end == '\0' && t >= 0 ? t : -1;
}

static int
by_time(const void *a, const void *b)
{
	const struct fpage_event *x = a, *y = b;

	if (x->ts != y->ts)
		return x->ts < y->ts ? -1 : 1;
	return strcmp(x->uuid, y->uuid);
}

int
fpage_manifest(const char *body, size_t len, long long since, size_t max,
    struct fpage_event **events, size_t *n, size_t *total, size_t *bad,
    char *err, size_t errlen)
{
	json_error_t je;
	json_t *m = json_loadb(body, len, 0, &je), *v;
	struct fpage_event *ev = NULL;
	const char *uuid;
	long long ts;

	*events = NULL;
	*n = *total = *bad = 0;
	if (m == NULL) {
		snprintf(
		    err, errlen, "not JSON (line %d: %.80s)", je.line, je.text);
		return -1;
	}
	if (!json_is_object(m)) {
		snprintf(err, errlen,
		    "not a MISP feed's manifest (an object of events by UUID)");
		json_decref(m);
		return -1;
	}
	json_object_foreach (m, uuid, v) {
		(*total)++;
		ts = manifest_ts(json_object_get(v, "timestamp"));
		if (!uuid_ok(uuid) || ts < 0) {
			(*bad)++;
			continue;
		}
		if (ts < since)
			continue;
		if (*n == max) {
			snprintf(err, errlen,
			    "more than %zu events changed in the time asked "
			    "(fewer \"days\"?)",
			    max);
			free(ev);
			json_decref(m);
			return -1;
		}
		if (*n % 64 == 0) {
			struct fpage_event *bigger =
			    realloc(ev, (*n + 64) * sizeof(*ev));

			if (bigger == NULL) {
				snprintf(err, errlen, "out of memory");
				free(ev);
				json_decref(m);
				return -1;
			}
			ev = bigger;
		}
		memcpy(ev[*n].uuid, uuid, sizeof(ev[*n].uuid));
		ev[(*n)++].ts = ts;
	}
	json_decref(m);
	if (*n > 1)
		qsort(ev, *n, sizeof(*ev), by_time);
	*events = ev;
	return 0;
}
