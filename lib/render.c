/*
 * render.c: the sankaku object of an enriched alert (see render.h).
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "enrich.h"
#include "evstr.h"
#include "index.h"
#include "reference.h"
#include "render.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* JSON text of the fixed parts, serialised once by jansson. */
struct frag {
	char *s;
	size_t len;
};

struct render {
	struct frag phase[8];	      /* {"id","ja","en"} per phase */
	struct frag phase_roles[8];   /* [role, ...] per phase, config order */
	struct frag *role;	      /* {"code","ja","en"} per isog role */
	struct frag *source;	      /* per configured source */
	struct frag kpi[8];	      /* "attack-condition" ... quoted */
	struct frag kpi_name[8];      /* {"ja","en"} per KPI category */
	struct frag evidence[EV_MAX]; /* "compromise" ... quoted */
	size_t nroles, nsources;
	struct frag reference; /* the compact form's reference document */
	char version[9];       /* its version */
};

/* Serialise v (stolen) into f; -1 on OOM. */
static int
frag_set(struct frag *f, json_t *v)
{
	if (v == NULL)
		return -1;
	f->s =
	    json_dumps(v, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_ENCODE_ANY);
	json_decref(v);
	if (f->s == NULL)
		return -1;
	f->len = strlen(f->s);
	return 0;
}

/* Serialise everything fixed about a config. */
struct render *
render_new(const struct cfg *cfg)
{
	return render_new_measured(cfg, NULL);
}

struct render *
render_new_measured(const struct cfg *cfg, json_t *measured)
{
	struct render *t = calloc(1, sizeof(*t));
	size_t i, j;

	if (t == NULL)
		return NULL;
	t->nroles = isog_nroles();
	t->nsources = cfg->nsources;
	t->role = calloc(t->nroles, sizeof(*t->role));
	t->source = calloc(cfg->nsources + 1, sizeof(*t->source));
	if (t->role == NULL || t->source == NULL)
		goto fail;
	for (i = 0; i < t->nroles; i++)
		if (frag_set(&t->role[i], reference_role(isog_role_at(i))) != 0)
			goto fail;
	for (i = 0; i < isog_nphases() && i < 8; i++) {
		const struct isog_phase *p = isog_phase_at(i);
		const struct cfg_phase_roles *pr = &cfg->phase_roles[i];
		json_t *a = json_array();

		if (frag_set(&t->phase[i],
			json_pack("{s:s, s:s, s:s}", "id", p->id, "ja", p->ja,
			    "en", p->en)) != 0)
			goto fail;
		for (j = 0; a != NULL && j < pr->nroles; j++)
			json_array_append_new(a, reference_role(pr->roles[j]));
		if (frag_set(&t->phase_roles[i], a) != 0)
			goto fail;
	}
	for (i = 0; i < isog_nkpis() && i < 8; i++)
		if (frag_set(&t->kpi[i], json_string(isog_kpi_at(i)->id)) !=
			0 ||
		    frag_set(&t->kpi_name[i],
			json_pack("{s:s, s:s}", "ja", isog_kpi_at(i)->ja, "en",
			    isog_kpi_at(i)->en)) != 0)
			goto fail;
	for (i = 0; i < EV_MAX; i++)
		if (frag_set(&t->evidence[i],
			json_string(isog_evidence_name((enum evidence)i))) != 0)
			goto fail;
	for (i = 0; i < cfg->nsources; i++) {
		json_t *o = reference_source(&cfg->sources[i]),
		       *m = json_object_get(measured, cfg->sources[i].id);

		if (o != NULL && json_is_object(m) && json_object_size(m) > 0)
			json_object_set(
			    json_object_get(o, "triangle"), "measured", m);
		if (frag_set(&t->source[i], o) != 0)
			goto fail;
	}
	{
		json_t *doc = reference_build(cfg);

		if (doc == NULL)
			goto fail;
		snprintf(t->version, sizeof(t->version), "%s",
		    json_string_value(json_object_get(doc, "version")));
		if (frag_set(&t->reference, doc) != 0)
			goto fail;
	}
	return t;
fail:
	render_free(t);
	return NULL;
}

/* Free the fragments. */
void
render_free(struct render *t)
{
	size_t i;

	if (t == NULL)
		return;
	for (i = 0; i < 8; i++) {
		free(t->phase[i].s);
		free(t->phase_roles[i].s);
		free(t->kpi[i].s);
		free(t->kpi_name[i].s);
	}
	for (i = 0; i < EV_MAX; i++)
		free(t->evidence[i].s);
	for (i = 0; t->role != NULL && i < t->nroles; i++)
		free(t->role[i].s);
	for (i = 0; t->source != NULL && i < t->nsources; i++)
		free(t->source[i].s);
	free(t->role);
	free(t->source);
	free(t->reference.s);
	free(t);
}

/* The reference document, and its version. */
const char *
render_reference(const struct render *t, size_t *len, const char **version)
{
	*len = t->reference.len;
	*version = t->version;
	return t->reference.s;
}

/* A time of the index ("-" for none) as a member, if it is text. */
static void
put_time(struct buf *b, const char *name, size_t namelen, const char *v)
{
	if (v == NULL || v[0] == '\0' || strcmp(v, "-") == 0 ||
	    !evstr_text_ok(v, strlen(v)))
		return;
	buf_put(b, name, namelen);
	buf_json_string(b, v);
}

/* ,"refs":[{"source":"a","id":"..."},...] from "a=ID,b=ID" (member
 * "refs", key "id"); the same for "published_by" with "published". */
static void
put_pairs(struct buf *b, const char *member, const char *key, const char *refs)
{
	const char *p = refs;
	int n = 0;

	if (refs == NULL || strcmp(refs, "-") == 0 ||
	    !evstr_text_ok(refs, strlen(refs)))
		return;
	BUF_PUTS(b, ",\"");
	buf_put(b, member, strlen(member));
	BUF_PUTS(b, "\":[");
	while (*p != '\0') {
		size_t len = strcspn(p, ","), eq = strcspn(p, "=");
		char tmp[256];

		if (eq < len && len < sizeof(tmp)) {
			if (n++ > 0)
				buf_put(b, ",", 1);
			BUF_PUTS(b, "{\"source\":");
			memcpy(tmp, p, eq);
			tmp[eq] = '\0';
			buf_json_string(b, tmp);
			BUF_PUTS(b, ",\"");
			buf_put(b, key, strlen(key));
			BUF_PUTS(b, "\":");
			memcpy(tmp, p + eq + 1, len - eq - 1);
			tmp[len - eq - 1] = '\0';
			buf_json_string(b, tmp);
			buf_put(b, "}", 1);
		}
		p += len;
		if (*p == ',')
			p++;
	}
	buf_put(b, "]", 1);
}

/* What both forms end with: KPI, evidence, the indicator, the TLP. */
static void
render_tail(const struct render *t, const struct enrich_out *out,
    const char *ind_type, const char *ind_value, const struct idx_entry *hit,
    struct buf *b)
{
	size_t k;

	BUF_PUTS(b, ",\"kpi\":");
	for (k = 0; k < isog_nkpis(); k++)
		if (isog_kpi_at(k) == out->kpi)
			buf_put(b, t->kpi[k].s, t->kpi[k].len);
	BUF_PUTS(b, ",\"evidence\":");
	buf_put(
	    b, t->evidence[out->evidence].s, t->evidence[out->evidence].len);
	if (ind_type != NULL) {
		BUF_PUTS(b, ",\"indicator\":{\"type\":");
		buf_json_string(b, ind_type);
		BUF_PUTS(b, ",\"value\":");
		buf_json_string(b, ind_value);
		if (hit != NULL) {
			char n[16];

			put_time(b, ",\"published\":", 13, hit->published);
			put_time(b, ",\"valid_until\":", 15, hit->valid_until);
			if (hit->name != NULL &&
			    evstr_text_ok(hit->name, strlen(hit->name))) {
				BUF_PUTS(b, ",\"name\":");
				buf_json_string(b, hit->name);
			}
			snprintf(n, sizeof(n), "%u", hit->nsources);
			BUF_PUTS(b, ",\"agree\":");
			buf_put(b, n, strlen(n));
			put_pairs(b, "refs", "id", hit->refs);
			put_pairs(
			    b, "published_by", "published", hit->published_by);
		}
		buf_put(b, "}", 1);
	}
	if (out->has_tlp) {
		BUF_PUTS(b, ",\"tlp\":\"");
		buf_put(b, tlp_name(out->tlp), strlen(tlp_name(out->tlp)));
		buf_put(b, "\"", 1);
	}
}

/* Assemble the compact object into b: codes and ids, names by
 * reference. */
void
render_compact(const struct render *t, const struct cfg *cfg,
    const struct enrich_out *out, const char *ind_type, const char *ind_value,
    const struct idx_entry *hit, struct buf *b)
{
	size_t i;

	BUF_PUTS(b, "{\"id\":\"");
	buf_put(b, out->id, 32);
	BUF_PUTS(b, "\",\"ref\":\"");
	buf_put(b, t->version, strlen(t->version));
	BUF_PUTS(b, "\",\"phase\":\"");
	buf_put(b, out->phase->id, strlen(out->phase->id));
	BUF_PUTS(b, "\",\"roles\":[");
	for (i = 0; i < out->nroles; i++) {
		if (i > 0)
			buf_put(b, ",", 1);
		buf_put(b, "\"", 1);
		buf_put(b, out->roles[i]->code, strlen(out->roles[i]->code));
		buf_put(b, "\"", 1);
	}
	BUF_PUTS(b, "],\"sources\":[");
	for (i = 0; i < out->nsources; i++) {
		if (i > 0)
			buf_put(b, ",", 1);
		buf_put(b, "\"", 1);
		buf_put(b, out->sources[i]->id, strlen(out->sources[i]->id));
		buf_put(b, "\"", 1);
	}
	buf_put(b, "]", 1);
	(void)cfg;
	render_tail(t, out, ind_type, ind_value, hit, b);
	buf_put(b, "}", 1);
}

/* Assemble the sankaku object into b. */
void
render_object(const struct render *t, const struct cfg *cfg,
    const struct enrich_out *out, const char *ind_type, const char *ind_value,
    const struct idx_entry *hit, int extra_roles, struct buf *b)
{
	size_t pi = isog_phase_index(out->phase), i, k;

	BUF_PUTS(b, "{\"id\":\"");
	buf_put(b, out->id, 32);
	BUF_PUTS(b, "\",\"phase\":");
	buf_put(b, t->phase[pi].s, t->phase[pi].len);
	BUF_PUTS(b, ",\"roles\":");
	if (!extra_roles)
		buf_put(b, t->phase_roles[pi].s, t->phase_roles[pi].len);
	else {
		buf_put(b, "[", 1);
		for (i = 0; i < out->nroles; i++) {
			const struct frag *f =
			    &t->role[isog_role_index(out->roles[i])];

			if (i > 0)
				buf_put(b, ",", 1);
			buf_put(b, f->s, f->len);
		}
		buf_put(b, "]", 1);
	}
	BUF_PUTS(b, ",\"sources\":[");
	for (i = 0; i < out->nsources; i++) {
		k = (size_t)(out->sources[i] - cfg->sources);
		if (i > 0)
			buf_put(b, ",", 1);
		buf_put(b, t->source[k].s, t->source[k].len);
	}
	buf_put(b, "]", 1);
	for (k = 0; k < isog_nkpis() && k < 8; k++)
		if (isog_kpi_at(k) == out->kpi) {
			BUF_PUTS(b, ",\"kpi_name\":");
			buf_put(b, t->kpi_name[k].s, t->kpi_name[k].len);
		}
	render_tail(t, out, ind_type, ind_value, hit, b);
	buf_put(b, "}", 1);
}
