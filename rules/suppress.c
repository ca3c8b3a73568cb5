/*
 * suppress.c: the false positives the desk reports (desk.suppress_after
 * verdicts of false-positive or benign and none of true-positive, see
 * sankaku-desk(8)), kept out of the rules until their "until": "verify
 * before blocking", with teeth.  An entry is lifted by the analysts (a
 * true-positive verdict on it: the desk writes the file without it) or
 * by time.  Entries are matched by type and value, normalised as the
 * feeds' values are; a bad entry is an error naming the file and its
 * position.
 *
 * "second_source" names the sources whose measured accuracy fell below
 * desk.accuracy_floor_pct: their indicators are deployed only where
 * another source lists them too (second.c).
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "afile.h"
#include "suppress.h"

struct suppress {
	uint64_t *hash; /* ioc_hash of each entry, sorted */
	size_t n;
	char **second; /* source ids needing a second source */
	size_t nsecond;
};

/* The optional "second_source": [{"id", ...}]; 0, or -1 with err. */
static int
load_second(
    struct suppress *s, json_t *doc, const char *path, char *err, size_t errlen)
{
	json_t *list = json_object_get(doc, "second_source"), *e;
	size_t i;

	if (list == NULL)
		return 0;
	if (!json_is_array(list)) {
		snprintf(
		    err, errlen, "%s: \"second_source\": not an array", path);
		return -1;
	}
	if ((s->second = calloc(
		 json_array_size(list) + 1, sizeof(*s->second))) == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	json_array_foreach (list, i, e) {
		const char *id = json_string_value(json_object_get(e, "id"));

		if (id == NULL || id[0] == '\0') {
			snprintf(err, errlen,
			    "%s: second_source[%zu]: needs a source \"id\"",
			    path, i);
			return -1;
		}
		if ((s->second[s->nsecond++] = strdup(id)) == NULL) {
			snprintf(err, errlen, "out of memory");
			return -1;
		}
	}
	return 0;
}

/* The hash of an entry's value as the feeds' values are kept: normalised
 * (an entry written by hand, "Evil.Example.", matches evil.example), or
 * as written when it does not normalise (then it matches nothing that
 * is deployed, as before). */
static uint64_t
entry_hash(enum ioc_type t, const char *value)
{
	char norm[2100], why[256]; /* as feed_emit */

	if (ioc_normalise(t, value, strlen(value), norm, sizeof(norm), why,
		sizeof(why)) == 0)
		return ioc_hash(t, norm);
	return ioc_hash(t, value);
}

static int
cmp(const void *x, const void *y)
{
	uint64_t a = *(const uint64_t *)x, b = *(const uint64_t *)y;

	return a < b ? -1 : a > b;
}

struct suppress *
suppress_load(const char *path, time_t now, char *err, size_t errlen)
{
	struct suppress *s = calloc(1, sizeof(*s));
	json_error_t je;
	json_t *doc, *list, *e;
	size_t i;

	if (s == NULL) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	if ((doc = json_load_file(path, 0, &je)) == NULL) {
		FILE *fp = fopen(path, "r");

		if (fp == NULL && errno == ENOENT)
			return s; /* nothing suppressed */
		if (fp != NULL)
			fclose(fp);
		snprintf(err, errlen, "%s:%d: %s", path, je.line, je.text);
		free(s);
		return NULL;
	}
	list = json_object_get(doc, "suppressed");
	if (!json_is_array(list)) {
		snprintf(err, errlen, "%s: \"suppressed\": not an array", path);
		goto fail;
	}
	if ((s->hash = calloc(json_array_size(list) + 1, sizeof(*s->hash))) ==
	    NULL) {
		snprintf(err, errlen, "out of memory");
		goto fail;
	}
	json_array_foreach (list, i, e) {
		const char *type =
			       json_string_value(json_object_get(e, "type")),
			   *value =
			       json_string_value(json_object_get(e, "value"));
		json_t *u = json_object_get(e, "until");
		int64_t until;
		enum ioc_type t;

		if (type == NULL || value == NULL || !json_is_string(u) ||
		    feed_time(json_string_value(u), json_string_length(u),
			&until) != 0 ||
		    ioc_type_parse(type, &t) != 0) {
			snprintf(err, errlen,
			    "%s: suppressed[%zu]: needs a known \"type\", a "
			    "\"value\" and an \"until\" time",
			    path, i);
			goto fail;
		}
		if (until > (int64_t)now)
			s->hash[s->n++] = entry_hash(t, value);
	}
	qsort(s->hash, s->n, sizeof(*s->hash), cmp);
	if (load_second(s, doc, path, err, errlen) != 0)
		goto fail;
	json_decref(doc);
	return s;
fail:
	json_decref(doc);
	suppress_free(s);
	return NULL;
}

void
suppress_free(struct suppress *s)
{
	size_t i;

	if (s == NULL)
		return;
	for (i = 0; i < s->nsecond; i++)
		free(s->second[i]);
	free(s->second);
	free(s->hash);
	free(s);
}

size_t
suppress_count(const struct suppress *s)
{
	return s != NULL ? s->n : 0;
}

int
suppress_has(const struct suppress *s, const struct ioc *i)
{
	return s != NULL && s->n > 0 &&
	    bsearch(&i->hash, s->hash, s->n, sizeof(*s->hash), cmp) != NULL;
}

int
suppress_second(const struct suppress *s, const char *source)
{
	size_t i;

	for (i = 0; s != NULL && i < s->nsecond; i++)
		if (strcmp(s->second[i], source) == 0)
			return 1;
	return 0;
}

int
suppress_carry(const char *path, const char *dir, char *err, size_t errlen)
{
	char buf[65536], why[512];
	struct afile a;
	FILE *in;
	size_t n;

	if ((in = fopen(path, "r")) == NULL)
		return 0; /* none to carry */
	if (af_open(&a, dir, "sankaku-suppress.json", why, sizeof(why)) != 0) {
		fclose(in);
		snprintf(err, errlen, "%s/sankaku-suppress.json: %s", dir, why);
		return -1;
	}
	while ((n = fread(buf, 1, sizeof(buf), in)) > 0)
		if (fwrite(buf, 1, n, a.f) != n)
			break;
	if (ferror(in) || ferror(a.f)) {
		snprintf(err, errlen, "%s: %s", ferror(in) ? path : a.tmp,
		    strerror(errno));
		fclose(in);
		af_abort(&a);
		return -1;
	}
	fclose(in);
	if (af_commit(&a, why, sizeof(why)) != 0) {
		snprintf(err, errlen, "%s/sankaku-suppress.json: %s", dir, why);
		return -1;
	}
	return 0;
}
