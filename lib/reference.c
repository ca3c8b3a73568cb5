/*
 * reference.c: the reference document of the compact output form (see
 * reference.h).
 */

#include <stdlib.h>
#include <string.h>

#include "reference.h"
#include "sha1.h"

/* Own wording: what a receiver should do about the triangle's weak side. */
static const struct {
	const char *id, *ja, *en;
} advice[] = {
    {"speed-accuracy", "関連する指標を探索する（兄弟の指標を狩る）",
	"Hunt for related indicators: this list is partial."},
    {"speed-coverage", "遮断の前に誤検知でないか検証する",
	"Verify before blocking: this list holds false positives."},
    {"accuracy-coverage", "過去のログを遡って検索する",
	"Search past logs: this arrived late."},
};

/* A role as the full form gives it. */
json_t *
reference_role(const struct isog_role *r)
{
	return json_pack(
	    "{s:s, s:s, s:s}", "code", r->code, "ja", r->ja, "en", r->en);
}

/* A source as the full form gives it: its triangle, caveat and advice. */
json_t *
reference_source(const struct cfg_source *s)
{
	const struct isog_triangle *tr = s->triangle;
	const char *aja = "", *aen = "";
	size_t j;

	for (j = 0; j < sizeof(advice) / sizeof(advice[0]); j++)
		if (strcmp(advice[j].id, tr->id) == 0) {
			aja = advice[j].ja;
			aen = advice[j].en;
		}
	return json_pack("{s:s, s:s, s:s, s:{s:s, s:[s, s], s:s, s:{s:s, s:s}, "
			 "s:{s:s, s:s}}}",
	    "id", s->id, "name", s->name, "tlp", s->tlp, "triangle", "id",
	    tr->id, "strong", tr->strong[0], tr->strong[1], "weak", tr->weak,
	    "caveat", "ja", tr->caveat_ja, "en", tr->caveat_en, "advice", "ja",
	    aja, "en", aen);
}

/* The document, versioned by its own content. */
json_t *
reference_build(const struct cfg *cfg)
{
	json_t *doc = json_object(), *ph = json_object(), *ro = json_object(),
	       *kp = json_object(), *so = json_object();
	char *text, hex[41];
	size_t i;

	if (doc == NULL || ph == NULL || ro == NULL || kp == NULL || so == NULL)
		goto fail;
	for (i = 0; i < isog_nphases(); i++) {
		const struct isog_phase *p = isog_phase_at(i);

		json_object_set_new(ph, p->id,
		    json_pack("{s:s, s:s, s:s}", "id", p->id, "ja", p->ja, "en",
			p->en));
	}
	for (i = 0; i < isog_nroles(); i++)
		json_object_set_new(
		    ro, isog_role_at(i)->code, reference_role(isog_role_at(i)));
	for (i = 0; i < isog_nkpis(); i++) {
		const struct isog_kpi *k = isog_kpi_at(i);

		json_object_set_new(kp, k->id,
		    json_pack("{s:s, s:s, s:s}", "id", k->id, "ja", k->ja, "en",
			k->en));
	}
	for (i = 0; i < cfg->nsources; i++)
		json_object_set_new(
		    so, cfg->sources[i].id, reference_source(&cfg->sources[i]));
	json_object_set_new(doc, "phases", ph);
	json_object_set_new(doc, "roles", ro);
	json_object_set_new(doc, "kpis", kp);
	json_object_set_new(doc, "sources", so);
	if ((text = json_dumps(doc, JSON_COMPACT | JSON_SORT_KEYS)) == NULL) {
		json_decref(doc);
		return NULL;
	}
	sha1_hex(text, strlen(text), hex);
	free(text);
	hex[8] = '\0';
	json_object_set_new(doc, "version", json_string(hex));
	return doc;
fail:
	json_decref(doc);
	json_decref(ph);
	json_decref(ro);
	json_decref(kp);
	json_decref(so);
	return NULL;
}

/* The array of the objects the ids of list name in table, or NULL. */
static json_t *
expand_list(const json_t *list, const json_t *table)
{
	json_t *out = json_array(), *v;
	size_t i;

	if (out == NULL || !json_is_array(list))
		goto fail;
	json_array_foreach (list, i, v) {
		json_t *o = json_is_string(v)
		    ? json_object_get(table, json_string_value(v))
		    : NULL;

		if (o == NULL)
			goto fail;
		json_array_append(out, o);
	}
	return out;
fail:
	json_decref(out);
	return NULL;
}

/* Expand in place. */
int
reference_expand(json_t *sk, const json_t *doc)
{
	const char *phase = json_string_value(json_object_get(sk, "phase"));
	json_t *p = phase != NULL
	    ? json_object_get(json_object_get(doc, "phases"), phase)
	    : NULL;
	json_t *roles = expand_list(
	    json_object_get(sk, "roles"), json_object_get(doc, "roles"));
	json_t *sources = expand_list(
	    json_object_get(sk, "sources"), json_object_get(doc, "sources"));

	if (p == NULL || roles == NULL || sources == NULL) {
		json_decref(roles);
		json_decref(sources);
		return -1;
	}
	json_object_set(sk, "phase", p);
	json_object_set_new(sk, "roles", roles);
	json_object_set_new(sk, "sources", sources);
	{
		/* the KPI's names, as the full form carries them */
		json_t *k = json_object_get(json_object_get(doc, "kpis"),
		    json_string_value(json_object_get(sk, "kpi")));

		if (k != NULL)
			json_object_set_new(sk, "kpi_name",
			    json_pack("{s:O, s:O}", "ja",
				json_object_get(k, "ja"), "en",
				json_object_get(k, "en")));
	}
	json_object_del(sk, "ref");
	return 0;
}
