/*
 * inc_check.c: whether a JSON object read back from Redis has the shape
 * of an incident (see incident.h).  The desk is the only writer of its
 * incidents, but what Redis holds is input all the same: a key written
 * by hand, by another program or a later version, or cut short by a
 * full disk.  Each member the desk and the console read is checked for
 * its kind, arrays element by element, so that everything past this
 * gate can take an incident's shape for granted.
 *
 * The shape is a table per object: a member's name, what it must be,
 * whether it may be missing (members added since the first version),
 * and for objects and arrays of objects the table of their members.
 * The mutes (dact.c) are checked here too.
 */

#include <stdio.h>
#include <string.h>

#include "incident.h"
#include "isog.h"

enum kind {
	K_STR,	   /* a string */
	K_ID,	   /* a string of 1-64 letters, digits, '.', '_', ':', '-' */
	K_TIME,	   /* a string time_parse reads */
	K_COUNT,   /* an integer, 0 or more */
	K_INT,	   /* an integer */
	K_BOOL,	   /* true or false */
	K_OBJ,	   /* an object, of the members in sub */
	K_ANY,	   /* anything (the desk passes it on unread) */
	K_STRS,	   /* an array of strings */
	K_OBJS,	   /* an array of objects, each of the members in sub */
	K_STR_MAP, /* an object whose members are strings */
	K_ARR_MAP, /* an object whose members are arrays */
	K_PHASE,   /* an object whose id is a phase of the flow */
	K_STATE,   /* "open" or "closed" */
};

#define NUL 1 /* null will do too */
#define OPT 2 /* may be missing */

struct want {
	const char *name;
	enum kind kind;
	int flags;
	const struct want *sub; /* K_OBJ, K_OBJS: their members */
};

static const struct want names[] = {
    {"ja", K_STR, 0, NULL}, {"en", K_STR, 0, NULL}, {NULL, 0, 0, NULL}};
static const struct want by[] = {
    {"user", K_STR, 0, NULL}, {"team", K_STR, NUL, NULL}, {NULL, 0, 0, NULL}};
static const struct want cited[] = {{"id", K_STR, 0, NULL},
    {"sid", K_INT, 0, NULL}, {"signature", K_STR, 0, NULL},
    {"evidence", K_STR, 0, NULL}, {NULL, 0, 0, NULL}};
static const struct want muted[] = {{"key", K_STR, 0, NULL},
    {"until", K_TIME, 0, NULL}, {"note", K_STR, OPT, NULL}, {NULL, 0, 0, NULL}};
static const struct want history[] = {{"at", K_TIME, 0, NULL},
    {"by", K_OBJ, 0, by}, {"action", K_STR, 0, NULL},
    {"from", K_STR, OPT, NULL}, {"to", K_STR, OPT, NULL},
    {"decision", K_ANY, OPT, NULL}, {"note", K_STR, OPT, NULL},
    {"alert", K_OBJ, OPT, cited}, {"incident", K_ID, OPT, NULL},
    {"mute", K_OBJ, OPT, muted}, {NULL, 0, 0, NULL}};
static const struct want alerts[] = {{"count", K_COUNT, 0, NULL},
    {"first", K_STR, NUL, NULL}, {"last", K_STR, NUL, NULL},
    {"recent", K_STRS, 0, NULL}, {"entries", K_STR_MAP, OPT, NULL},
    {NULL, 0, 0, NULL}};
static const struct want signature[] = {{"sid", K_INT, 0, NULL},
    {"signature", K_STR, 0, NULL}, {"count", K_COUNT, 0, NULL},
    {NULL, 0, 0, NULL}};
static const struct want indicator[] = {{"type", K_STR, 0, NULL},
    {"value", K_STR, 0, NULL}, {"sources", K_STRS, 0, NULL},
    {"refs", K_STR_MAP, OPT, NULL}, {"published_by", K_STR_MAP, OPT, NULL},
    {"published", K_STR, OPT, NULL}, {"tlp", K_STR, OPT, NULL},
    {NULL, 0, 0, NULL}};
static const struct want peer[] = {{"ip", K_STR, 0, NULL},
    {"end", K_STR, 0, NULL}, {"count", K_COUNT, 0, NULL}, {NULL, 0, 0, NULL}};
static const struct want source[] = {{"id", K_STR, 0, NULL},
    {"tlp", K_STR, OPT | NUL, NULL}, {NULL, 0, 0, NULL}};
static const struct want ind_verdict[] = {{"type", K_STR, 0, NULL},
    {"value", K_STR, 0, NULL}, {"verdict", K_STR, 0, NULL}, {NULL, 0, 0, NULL}};
static const struct want role[] = {{"code", K_STR, 0, NULL},
    {"team", K_STR, NUL | OPT, NULL}, {NULL, 0, 0, NULL}};
static const struct want need[] = {
    {"done", K_BOOL, 0, NULL}, {NULL, 0, 0, NULL}};

static const struct want incident[] = {{"id", K_ID, 0, NULL},
    {"state", K_STATE, 0, NULL}, {"phase", K_PHASE, 0, NULL},
    {"asset", K_STR, NUL, NULL}, {"cve", K_STR, NUL, NULL},
    {"opened_at", K_TIME, 0, NULL}, {"updated_at", K_TIME, 0, NULL},
    {"closed_at", K_TIME, NUL, NULL}, {"owner", K_STR, NUL, NULL},
    {"verdict", K_STR, NUL, NULL}, {"kpi", K_STR, NUL, NULL},
    {"kpi_name", K_OBJ, OPT | NUL, names}, {"alerts", K_OBJ, 0, alerts},
    {"signatures", K_OBJS, 0, signature}, {"indicators", K_OBJS, 0, indicator},
    {"sources", K_OBJS, 0, source}, {"history", K_OBJS, 0, history},
    {"who", K_OBJS, 0, role}, {"what", K_OBJS, 0, need},
    {"teams", K_STRS, OPT, NULL}, {"checklist", K_ARR_MAP, OPT, NULL},
    {"closed_from", K_PHASE, OPT | NUL, NULL},
    {"merged_into", K_ID, OPT | NUL, NULL},
    {"indicator_verdicts", K_OBJS, OPT, ind_verdict},
    {"shared", K_ANY, OPT, NULL}, {"rules", K_ANY, OPT, NULL},
    {"peers", K_OBJS, OPT, peer}, {NULL, 0, 0, NULL}};

static int check_obj(
    json_t *, const struct want *, const char *path, char *err, size_t errlen);

int
inc_id_ok(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n > 64)
		return 0;
	return strspn(s,
		   "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
		   "0123456789._:-") == n;
}

/* Whether each element of the array, or each member of the object, v
 * is ok (the caller has checked which v is). */
static int
every(json_t *v, int (*ok)(json_t *))
{
	const char *k;
	json_t *x;
	size_t i;

	if (json_is_array(v)) {
		json_array_foreach (v, i, x)
			if (!ok(x))
				return 0;
		return 1;
	}
	json_object_foreach (v, k, x)
		if (!ok(x))
			return 0;
	return 1;
}

static int
a_string(json_t *v)
{
	return json_is_string(v);
}

static int
an_array(json_t *v)
{
	return json_is_array(v);
}

/* v as w wants it at path: 0, or -1 with why in err. */
static int
check_one(
    json_t *v, const struct want *w, const char *path, char *err, size_t errlen)
{
	const char *s = json_string_value(v), *why = NULL;
	json_t *x;
	size_t i;

	if (json_is_null(v) && (w->flags & NUL))
		return 0;
	switch (w->kind) {
	case K_STR:
		why = s == NULL ? "not a string" : NULL;
		break;
	case K_ID:
		why = s == NULL || !inc_id_ok(s) ? "not an id" : NULL;
		break;
	case K_TIME:
		why = s == NULL || time_parse(s) == (time_t)-1
		    ? "not a time (YYYY-MM-DDTHH:MM:SSZ)"
		    : NULL;
		break;
	case K_COUNT:
		why = !json_is_integer(v) || json_integer_value(v) < 0
		    ? "not a count"
		    : NULL;
		break;
	case K_INT:
		why = !json_is_integer(v) ? "not an integer" : NULL;
		break;
	case K_BOOL:
		why = !json_is_boolean(v) ? "not true or false" : NULL;
		break;
	case K_OBJ:
		if (!json_is_object(v))
			why = "not an object";
		else
			return check_obj(v, w->sub, path, err, errlen);
		break;
	case K_ANY:
		break;
	case K_STRS:
		why = !json_is_array(v) || !every(v, a_string)
		    ? "not an array of strings"
		    : NULL;
		break;
	case K_OBJS:
		if (!json_is_array(v)) {
			why = "not an array";
			break;
		}
		json_array_foreach (v, i, x) {
			char at[128];

			snprintf(at, sizeof(at), "%.100s[%zu]", path, i);
			if (!json_is_object(x)) {
				snprintf(err, errlen, "%s: not an object", at);
				return -1;
			}
			if (check_obj(x, w->sub, at, err, errlen) != 0)
				return -1;
		}
		break;
	case K_STR_MAP:
		why = !json_is_object(v) || !every(v, a_string)
		    ? "not an object of strings"
		    : NULL;
		break;
	case K_ARR_MAP:
		why = !json_is_object(v) || !every(v, an_array)
		    ? "not an object of arrays"
		    : NULL;
		break;
	case K_PHASE:
		s = json_string_value(json_object_get(v, "id"));
		why = s == NULL || isog_phase_find(s) == NULL
		    ? "not a phase of the flow"
		    : NULL;
		break;
	case K_STATE:
		why = s == NULL ||
			(strcmp(s, "open") != 0 && strcmp(s, "closed") != 0)
		    ? "neither \"open\" nor \"closed\""
		    : NULL;
		break;
	}
	if (why == NULL)
		return 0;
	snprintf(err, errlen, "%s: %s", path, why);
	return -1;
}

static int
check_obj(
    json_t *o, const struct want *w, const char *path, char *err, size_t errlen)
{
	for (; w->name != NULL; w++) {
		json_t *v = json_object_get(o, w->name);
		char at[128];

		snprintf(at, sizeof(at), "%.100s%s%s", path,
		    path[0] != '\0' ? "." : "", w->name);
		if (v == NULL) {
			if (w->flags & OPT)
				continue;
			snprintf(err, errlen, "%s: missing", at);
			return -1;
		}
		if (check_one(v, w, at, err, errlen) != 0)
			return -1;
	}
	return 0;
}

int
inc_mute_ok(json_t *m)
{
	json_t *count = json_object_get(m, "count");

	return json_is_object(m) &&
	    time_parse(json_string_value(json_object_get(m, "until"))) !=
	    (time_t)-1 &&
	    (count == NULL || json_is_integer(count));
}

int
inc_check(json_t *inc, char *err, size_t errlen)
{
	if (!json_is_object(inc)) {
		snprintf(err, errlen, "not a JSON object");
		return -1;
	}
	return check_obj(inc, incident, "", err, errlen);
}
