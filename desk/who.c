/*
 * who.c: who acts in the incident's current phase and what they need to
 * know (see incident.h).
 *
 * Who: the phase's roles (the textbook's who-per-phase, or the config's
 * phase_roles), each with the team that holds it (organisation.teams),
 * in-house or outsourced, and its ISOMM maturity.  A role is weak where
 * the response will stall: held by no team (when teams are configured),
 * or scored 2 or lower (undocumented, only one person can do it).
 * What: the phase's needs (isog_flow.h), each with its tick.
 */

#include <string.h>

#include "incident.h"
#include "isog.h"
#include "isog_flow.h"

/* One role as an incident's who lists it: its team, sourcing, maturity,
 * and whether it is weak. */
static json_t *
who_role(const struct isog_role *r, const struct cfg *cfg)
{
	size_t ri = isog_role_index(r), j;
	const struct cfg_team *team = NULL;
	int m = cfg->org.maturity[ri];
	json_t *o;

	for (j = 0; j < cfg->org.nteams && team == NULL; j++)
		if (cfg->org.teams[j].holds[ri])
			team = &cfg->org.teams[j];
	o = json_pack(
	    "{s:s, s:s, s:s}", "code", r->code, "ja", r->ja, "en", r->en);
	json_object_set_new(
	    o, "team", team != NULL ? json_string(team->id) : json_null());
	json_object_set_new(o, "sourcing",
	    team == NULL	  ? json_null()
		: team->outsource ? json_string("outsource")
				  : json_string("insource"));
	json_object_set_new(
	    o, "maturity", m >= 0 ? json_integer(m) : json_null());
	json_object_set_new(o, "weak",
	    json_boolean(
		(cfg->org.nteams > 0 && team == NULL) || (m >= 0 && m <= 2)));
	return o;
}

json_t *
who_of_phase(const char *phase, const struct cfg *cfg)
{
	const struct isog_phase *p = isog_phase_find(phase);
	const struct cfg_phase_roles *pr;
	json_t *who = json_array();
	size_t i;

	if (p == NULL)
		return who;
	pr = &cfg->phase_roles[isog_phase_index(p)];
	for (i = 0; i < pr->nroles; i++)
		json_array_append_new(who, who_role(pr->roles[i], cfg));
	return who;
}

json_t *
who_organisation(const struct cfg *cfg)
{
	json_t *o = json_object(), *teams = json_array(),
	       *phases = json_array(), *fns = json_array(),
	       *decs = json_array(), *kpis = json_array();
	size_t i, j;

	json_object_set_new(o, "pattern",
	    cfg->org.pattern != NULL
		? json_pack("{s:s, s:s, s:s}", "id", cfg->org.pattern->id, "ja",
		      cfg->org.pattern->ja, "en", cfg->org.pattern->en)
		: json_null());
	for (i = 0; i < cfg->org.nteams; i++) {
		const struct cfg_team *t = &cfg->org.teams[i];

		json_array_append_new(teams,
		    json_pack("{s:s, s:{s:s, s:s}, s:s}", "id", t->id, "name",
			"ja", t->name_ja, "en", t->name_en, "sourcing",
			t->outsource ? "outsource" : "insource"));
	}
	for (i = 0; i < isog_nphases(); i++) {
		const struct isog_phase *p = isog_phase_at(i);

		json_array_append_new(phases,
		    json_pack("{s:s, s:s, s:s, s:o}", "id", p->id, "ja", p->ja,
			"en", p->en, "who", who_of_phase(p->id, cfg)));
	}
	/* functions with their roles: the radar (the mean of the scored
	 * roles) and the bars */
	for (i = 0; i < isog_nfunctions(); i++) {
		const struct isog_function *f = isog_function_at(i);
		json_t *roles = json_array();
		int sum = 0, n = 0;

		for (j = 0; j < isog_nroles(); j++) {
			const struct isog_role *r = isog_role_at(j);
			int m = cfg->org.maturity[j];

			if (strcmp(r->function, f->code) != 0)
				continue;
			json_array_append_new(roles, who_role(r, cfg));
			if (m >= 0) {
				sum += m;
				n++;
			}
		}
		json_array_append_new(fns,
		    json_pack("{s:s, s:s, s:s, s:o, s:o}", "code", f->code,
			"ja", f->ja, "en", f->en, "maturity",
			n > 0 ? json_real((double)sum / n) : json_null(),
			"roles", roles));
	}
	for (i = 0; i < isog_ndecisions(); i++) {
		const struct isog_decision *d = isog_decision_at(i);

		json_array_append_new(decs,
		    json_pack("{s:s, s:s, s:s, s:s, s:s}", "phase", d->phase,
			"id", d->id, "to", d->to, "ja", d->ja, "en", d->en));
	}
	for (i = 0; i < isog_nkpis(); i++) {
		const struct isog_kpi *k = isog_kpi_at(i);

		json_array_append_new(kpis,
		    json_pack("{s:s, s:s, s:s}", "id", k->id, "ja", k->ja, "en",
			k->en));
	}
	json_object_set_new(o, "teams", teams);
	json_object_set_new(o, "phases", phases);
	json_object_set_new(o, "functions", fns);
	json_object_set_new(o, "decisions", decs);
	json_object_set_new(o, "kpis", kpis);
	return o;
}

void
inc_refresh(json_t *inc, const struct cfg *cfg)
{
	const char *phase = json_string_value(
	    json_object_get(json_object_get(inc, "phase"), "id"));
	json_t *who,
	    *what = json_array(), *teams = json_array(), *x,
	    *ticks = json_object_get(json_object_get(inc, "checklist"), phase);
	const struct isog_need *needs;
	size_t i, j, n;

	who = who_of_phase(phase, cfg);
	json_array_foreach (who, i, x) {
		json_t *t = json_object_get(x, "team"), *y;

		if (json_is_null(t))
			continue;
		json_array_foreach (teams, j, y)
			if (json_equal(y, t))
				break;
		if (j == json_array_size(teams))
			json_array_append(teams, t);
	}
	needs = isog_phase_needs(phase, &n);
	for (i = 0; i < n; i++)
		json_array_append_new(what,
		    json_pack("{s:s, s:s, s:b}", "ja", needs[i].ja, "en",
			needs[i].en, "done",
			json_is_true(json_array_get(ticks, i))));
	json_object_set_new(inc, "who", who);
	json_object_set_new(inc, "what", what);
	json_object_set_new(inc, "teams", teams);
}
