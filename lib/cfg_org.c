/*
 * cfg_org.c: the config key "organisation": the ISOMM organisation
 * pattern, the teams (who holds which roles, in-house or outsourced) and
 * the ISOMM maturity score of each role (see config.h).  Only the desk
 * reads it; every program validates it.
 *
 *   "organisation": {
 *     "pattern": "hybrid",
 *     "teams": [ { "id": "soc", "name": { "ja": "…", "en": "…" },
 *                  "sourcing": "outsource", "roles": ["B-*", "D-1"] } ],
 *     "maturity": { "B-1": 4, "D": 3 } }
 *
 * A role pattern is a code ("D-1"), a function ("B" or "B-*": all of its
 * roles) or "*".  A maturity key is a role or a function; a role's own
 * score wins over its function's.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cfg_parse.h"
#include "config.h"
#include "isog_flow.h"

/* Mark in holds[] the roles pattern p names; 0, or -1 if it names none. */
static int
org_roles(const char *p, unsigned char *holds)
{
	size_t i, n = isog_nroles(), found = 0;
	size_t plen = strlen(p);

	for (i = 0; i < n; i++) {
		const struct isog_role *r = isog_role_at(i);
		int match = strcmp(p, "*") == 0 || strcmp(p, r->code) == 0 ||
		    (strcmp(p, r->function) == 0) ||
		    (plen == 3 && p[1] == '-' && p[2] == '*' &&
			strncmp(p, r->function, 1) == 0 &&
			r->function[1] == '\0');

		if (match) {
			holds[i] = 1;
			found++;
		}
	}
	return found > 0 ? 0 : -1;
}

/* A string member (ja/en names) of at most 200 bytes, or NULL. */
static char *
short_string(json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));

	return s != NULL && strlen(s) <= 200 ? strdup(s) : NULL;
}

static int
org_team(struct cfg_team *t, json_t *v, size_t k, const char *path, char *err,
    size_t errlen)
{
	json_t *name = json_object_get(v, "name"), *roles, *r;
	const char *id = json_string_value(json_object_get(v, "id"));
	const char *sourcing =
	    json_string_value(json_object_get(v, "sourcing"));
	const char *key;
	json_t *val;
	size_t i;

	if (!json_is_object(v))
		ERR("organisation.teams[%zu]: must be an object", k);
	json_object_foreach (v, key, val)
		if (strcmp(key, "id") != 0 && strcmp(key, "name") != 0 &&
		    strcmp(key, "sourcing") != 0 && strcmp(key, "roles") != 0)
			ERR("organisation.teams[%zu].%.64s: unknown key", k,
			    key);
	if (id == NULL || id[0] == '\0' || strlen(id) > 64 ||
	    strspn(id, "abcdefghijklmnopqrstuvwxyz0123456789-_") != strlen(id))
		ERR("organisation.teams[%zu].id: 1-64 of a-z 0-9 - _", k);
	if ((t->id = strdup(id)) == NULL)
		ERR("out of memory");
	if (json_is_string(name)) {
		t->name_ja = short_string(v, "name");
		t->name_en = short_string(v, "name");
	} else if (json_is_object(name)) {
		t->name_ja = short_string(name, "ja");
		t->name_en = short_string(name, "en");
	} else if (name == NULL) {
		t->name_ja = strdup(id);
		t->name_en = strdup(id);
	}
	if (t->name_ja == NULL || t->name_en == NULL)
		ERR("organisation.teams[%zu].name: a string, or {\"ja\", "
		    "\"en\"} of at most 200 bytes each",
		    k);
	if (sourcing == NULL ||
	    (strcmp(sourcing, "insource") != 0 &&
		strcmp(sourcing, "outsource") != 0))
		ERR("organisation.teams[%zu].sourcing: \"insource\" or "
		    "\"outsource\"",
		    k);
	t->outsource = strcmp(sourcing, "outsource") == 0;
	roles = json_object_get(v, "roles");
	if (!json_is_array(roles))
		ERR("organisation.teams[%zu].roles: an array of role codes "
		    "or functions (\"B-1\", \"B-*\", \"B\")",
		    k);
	json_array_foreach (roles, i, r) {
		const char *p = json_string_value(r);

		if (p == NULL || strlen(p) > 8 || org_roles(p, t->holds) != 0)
			ERR("organisation.teams[%zu].roles[%zu]: not a role "
			    "code or function of the textbook",
			    k, i);
	}
	return 0;
fail:
	return -1;
}

int
cfg_parse_org(
    struct cfg *c, json_t *v, const char *path, char *err, size_t errlen)
{
	json_t *teams, *mat, *x;
	const char *key, *pattern;
	size_t i;

	if (!json_is_object(v))
		ERR("organisation: must be an object");
	json_object_foreach (v, key, x)
		if (strcmp(key, "pattern") != 0 && strcmp(key, "teams") != 0 &&
		    strcmp(key, "maturity") != 0)
			ERR("organisation.%.64s: unknown key", key);
	if ((x = json_object_get(v, "pattern")) != NULL) {
		pattern = json_string_value(x);
		if (pattern == NULL ||
		    (c->org.pattern = isog_pattern_find(pattern)) == NULL)
			ERR("organisation.pattern: one of minimum_insource, "
			    "hybrid, minimum_outsource, full_insource");
	}
	teams = json_object_get(v, "teams");
	if (teams != NULL &&
	    (!json_is_array(teams) || json_array_size(teams) > CFG_MAX_TEAMS))
		ERR("organisation.teams: an array of at most %d teams",
		    CFG_MAX_TEAMS);
	if (teams != NULL && json_array_size(teams) > 0 &&
	    (c->org.teams = calloc(
		 json_array_size(teams), sizeof(*c->org.teams))) == NULL)
		ERR("out of memory");
	json_array_foreach (teams, i, x) {
		size_t j;

		c->org.nteams = i + 1;
		if (org_team(&c->org.teams[i], x, i, path, err, errlen) != 0)
			return -1;
		for (j = 0; j < i; j++)
			if (strcmp(c->org.teams[j].id, c->org.teams[i].id) == 0)
				ERR("organisation.teams[%zu].id: \"%s\" twice",
				    i, c->org.teams[i].id);
	}
	mat = json_object_get(v, "maturity");
	if (mat != NULL && !json_is_object(mat))
		ERR("organisation.maturity: an object, role or function -> "
		    "0..5");
	/* functions first, then roles: a role's own score wins */
	for (int pass = 0; mat != NULL && pass < 2; pass++)
		json_object_foreach (mat, key, x) {
			unsigned char holds[CFG_MAX_ROLES] = {0};
			int is_role = isog_role_find(key) != NULL;

			if ((pass == 0) == is_role)
				continue;
			if (strlen(key) > 8 || org_roles(key, holds) != 0)
				ERR("organisation.maturity.%.16s: not a role "
				    "code or function",
				    key);
			if (!json_is_integer(x) || json_integer_value(x) < 0 ||
			    json_integer_value(x) > 5)
				ERR("organisation.maturity.%s: an ISOMM score, "
				    "0 to 5",
				    key);
			for (i = 0; i < isog_nroles(); i++)
				if (holds[i])
					c->org.maturity[i] =
					    (signed char)json_integer_value(x);
		}
	return 0;
fail:
	return -1;
}

void
cfg_org_defaults(struct cfg *c)
{
	memset(c->org.maturity, -1, sizeof(c->org.maturity));
}

void
cfg_org_free(struct cfg *c)
{
	size_t i;

	for (i = 0; i < c->org.nteams; i++) {
		free(c->org.teams[i].id);
		free(c->org.teams[i].name_ja);
		free(c->org.teams[i].name_en);
	}
	free(c->org.teams);
	c->org.teams = NULL;
	c->org.nteams = 0;
}
