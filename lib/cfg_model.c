/*
 * cfg_model.c: the config keys that shape the textbook model: home_net
 * (where the protected hosts are), mapping (what each kind of evidence
 * means for the response: a phase, a KPI, and who acts on it) and
 * phase_roles (who acts in each phase), with the textbook's defaults.
 *
 * Who acts: the phase's roles (the textbook's who-per-phase) are the
 * frame; a kind of evidence may name its own, narrower, set.  By default
 * two do: a host reaching a listed C2 (compromise) needs network
 * forensics and the overall picture (C-1, C-4) and incident management and
 * remote response (D-2, D-4), not the thirteen roles of containment; a
 * listed indicator of unknown nature, such as a DNS lookup of a phishing
 * domain, needs real-time triage (B-1, B-3) and user awareness (I-1).
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cfg_parse.h"
#include "config.h"

/* The textbook flow: what each kind of evidence means for the response. */
static const struct {
	const char *phase, *kpi;
} evidence_defaults[EV_MAX] = {
    [EV_VULNERABILITY] = {"triage", "protect-condition"},
    [EV_RECON] = {"triage", "attack-condition"},
    [EV_POLICY] = {"triage", "suspicious-activity"},
    [EV_INDICATOR] = {"detection-analysis", "attack-condition"},
    [EV_ATTACK_ATTEMPT] = {"detection-analysis", "attack-condition"},
    [EV_BLOCKED] = {"preparation", "protect-condition"},
    [EV_COMPROMISE] = {"containment-eradication-recovery",
	"suspicious-activity"},
};

/* Who acts on a kind of evidence, where it is narrower than its phase. */
static const char *const roles_compromise[] = {
    "C-1", "C-4", "D-2", "D-4", NULL};
static const char *const roles_indicator[] = {"B-1", "B-3", "I-1", NULL};

static int
set_roles(struct cfg_phase_roles *pr, const char *const *codes, size_t n)
{
	size_t i;

	free(pr->roles);
	pr->nroles = 0;
	pr->roles = calloc(n + 1, sizeof(struct isog_role *));
	if (pr->roles == NULL)
		return -1;
	for (i = 0; i < n; i++) {
		const struct isog_role *r = isog_role_find(codes[i]);

		if (r == NULL)
			return -1;
		pr->roles[pr->nroles++] = r;
	}
	return 0;
}

static const char *const default_home_net[] = {
    "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "fc00::/7", NULL};

/* The structured defaults: the textbook's flow and who-per-phase, and
 * the private address ranges as home_net. */
int
cfg_model_defaults(struct cfg *c)
{
	size_t i;

	for (i = 0; i < EV_MAX; i++) {
		c->evmap[i].phase = isog_phase_find(evidence_defaults[i].phase);
		c->evmap[i].kpi = isog_kpi_find(evidence_defaults[i].kpi);
	}
	if (set_roles(&c->evmap[EV_COMPROMISE].roles, roles_compromise, 4) !=
		0 ||
	    set_roles(&c->evmap[EV_INDICATOR].roles, roles_indicator, 3) != 0)
		return -1;
	for (i = 0; i < isog_nphases(); i++) {
		const struct isog_phase *p = isog_phase_at(i);
		size_t n = 0;

		while (p->roles[n] != NULL)
			n++;
		if (cfg_set_phase_roles(c, i, p->roles, n) != 0)
			return -1;
	}
	c->home_net = calloc(8, sizeof(*c->home_net));
	if (c->home_net == NULL)
		return -1;
	for (i = 0; default_home_net[i] != NULL; i++)
		if (cidr_parse(default_home_net[i],
			&c->home_net[c->nhome_net++], 0) != 0)
			return -1;
	return 0;
}

/* Parse home_net. */
int
cfg_parse_home_net(
    struct cfg *c, json_t *v, const char *path, char *err, size_t errlen)
{
	size_t i;
	json_t *e;

	if (!json_is_array(v))
		ERR("home_net: must be an array of CIDR strings");
	free(c->home_net);
	c->nhome_net = 0;
	c->home_net = calloc(json_array_size(v) + 1, sizeof(*c->home_net));
	if (c->home_net == NULL)
		ERR("home_net: out of memory");
	json_array_foreach (v, i, e) {
		if (!json_is_string(e) ||
		    cidr_parse(json_string_value(e), &c->home_net[i], 0) != 0)
			ERR("home_net[%zu]: not an address prefix (e.g. "
			    "10.0.0.0/8)",
			    i);
		c->nhome_net++;
	}
	return 0;
fail:
	return -1;
}

/* Parse mapping: {"<evidence>": {"phase": ..., "kpi": ..., "roles":
 * [...]}}; "roles": [] gives the kind back to its phase's roles. */
int
cfg_parse_mapping(
    struct cfg *c, json_t *v, const char *path, char *err, size_t errlen)
{
	const char *name, *k2;
	json_t *m, *x;
	enum evidence ev;

	if (!json_is_object(v))
		ERR("mapping: must be an object");
	json_object_foreach (v, name, m) {
		if (isog_evidence_parse(name, &ev) != 0)
			ERR("mapping.%s: unknown evidence kind", name);
		if (!json_is_object(m))
			ERR("mapping.%s: must be an object with phase and kpi",
			    name);
		json_object_foreach (m, k2, x) {
			if (strcmp(k2, "phase") == 0) {
				if (!json_is_string(x) ||
				    (c->evmap[ev].phase = isog_phase_find(
					 json_string_value(x))) == NULL)
					ERR("mapping.%s.phase: unknown phase",
					    name);
			} else if (strcmp(k2, "kpi") == 0) {
				if (!json_is_string(x) ||
				    (c->evmap[ev].kpi = isog_kpi_find(
					 json_string_value(x))) == NULL)
					ERR("mapping.%s.kpi: unknown KPI "
					    "category",
					    name);
			} else if (strcmp(k2, "roles") == 0) {
				const char *codes[64];
				size_t i;
				json_t *e;

				if (!json_is_array(x) ||
				    json_array_size(x) > 64)
					ERR("mapping.%s.roles: an array of at "
					    "most 64 role codes",
					    name);
				json_array_foreach (x, i, e) {
					if (!json_is_string(e) ||
					    isog_role_find(
						json_string_value(e)) == NULL)
						ERR("mapping.%s.roles[%zu]: "
						    "unknown role code (A-1 "
						    "... I-6, X)",
						    name, i);
					codes[i] = json_string_value(e);
				}
				if (set_roles(&c->evmap[ev].roles, codes,
					json_array_size(x)) != 0)
					ERR("mapping.%s.roles: out of memory",
					    name);
			} else
				ERR("mapping.%s.%s: unknown key", name, k2);
		}
	}
	return 0;
fail:
	return -1;
}

/* Set the roles of phase index pi from a NULL-terminated code list. */
int
cfg_set_phase_roles(
    struct cfg *c, size_t pi, const char *const *codes, size_t n)
{
	return set_roles(&c->phase_roles[pi], codes, n);
}

/* Parse phase_roles: {"<phase>": ["B-1", ...]}. */
int
cfg_parse_phase_roles(
    struct cfg *c, json_t *v, const char *path, char *err, size_t errlen)
{
	const char *name;
	const char *codes[64];
	json_t *a, *e;
	size_t i;

	if (!json_is_object(v))
		ERR("phase_roles: must be an object");
	json_object_foreach (v, name, a) {
		const struct isog_phase *p = isog_phase_find(name);

		if (p == NULL)
			ERR("phase_roles.%s: unknown phase", name);
		if (!json_is_array(a) || json_array_size(a) > 64)
			ERR("phase_roles.%s: must be an array of at most 64 "
			    "role codes",
			    name);
		json_array_foreach (a, i, e) {
			if (!json_is_string(e) ||
			    isog_role_find(json_string_value(e)) == NULL)
				ERR("phase_roles.%s[%zu]: unknown role code "
				    "(A-1 ... I-6, X)",
				    name, i);
			codes[i] = json_string_value(e);
		}
		if (cfg_set_phase_roles(
			c, isog_phase_index(p), codes, json_array_size(a)) != 0)
			ERR("phase_roles.%s: out of memory", name);
	}
	return 0;
fail:
	return -1;
}
