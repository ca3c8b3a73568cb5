/*
 * stix.c: STIX 2.0 and 2.1 bundles (and TAXII envelopes: any object with
 * an "objects" array).
 *
 * The objects array is split without parsing (jsplit.c) and each object
 * parsed alone, so a bad object costs itself only and a truncated file is
 * known as such.  Indicators are gathered first and judged once every
 * object is read, because a bundle may hold several versions of one
 * indicator (the latest "modified" wins, and if it is revoked the
 * indicator is gone) and its marking definitions may come after the
 * objects that use them.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>

#include "buf.h"
#include "cves.h"
#include "feed.h"
#include "jsplit.h"
#include "stixpat.h"

#define MAXMARKS 4

/* The TLP marking definitions every STIX producer refers to by id. */
static const struct {
	const char *id;
	enum tlp tlp;
} known_marks[] = {
    /* TLP 1.0, STIX 2.0 and 2.1 */
    {"marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9", TLP_CLEAR},
    {"marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da", TLP_GREEN},
    {"marking-definition--f88d31f6-486f-44da-b317-01333bde0b82", TLP_AMBER},
    {"marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed", TLP_RED},
    /* TLP 2.0 (the OASIS extension) */
    {"marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487", TLP_CLEAR},
    {"marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb", TLP_GREEN},
    {"marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421", TLP_AMBER},
    {"marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003",
	TLP_AMBER_STRICT},
    {"marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1", TLP_RED},
};

#define TLP2_EXT "extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d"

/* An indicator as read, judged later. */
struct sind {
	const char *id, *pattern, *ptype, *name;
	const char *marks[MAXMARKS]; /* refs not resolved yet */
	const char *bad;	     /* malformed lifecycle: why */
	int64_t modified, created, valid_from, valid_until;
	size_t index; /* in the objects array */
	int revoked;
	enum tlp tlp; /* from the well-known refs */
	enum evidence evidence;
};

struct stix {
	struct feed_ctx *ctx;
	struct arena *arena;
	struct sind *v;
	size_t n, cap;
	struct {
		const char *id;
		enum tlp tlp;
	} marks[64]; /* the bundle's own TLP definitions */
	size_t nmarks;
};

/* A copy of a string member in the arena, or NULL. */
static const char *
dup_member(struct stix *s, json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);

	if (!json_is_string(v))
		return NULL;
	return arena_strndup(
	    s->arena, json_string_value(v), json_string_length(v));
}

/* Whether a string member holds a NUL. */
static int
has_nul(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);

	return json_is_string(v) &&
	    strlen(json_string_value(v)) != json_string_length(v);
}

/* Evidence from kill_chain_phases, indicator_types (2.1), labels (2.0). */
static enum evidence
stix_evidence(json_t *ind)
{
	static const char *const lists[] = {"indicator_types", "labels"};
	json_t *v;
	size_t i, k;
	enum evidence ev = EV_INDICATOR;

	json_array_foreach (json_object_get(ind, "kill_chain_phases"), i, v) {
		const char *ph =
		    json_string_value(json_object_get(v, "phase_name"));

		if (ph == NULL)
			continue;
		if (strcmp(ph, "command-and-control") == 0 ||
		    strcmp(ph, "actions-on-objectives") == 0 ||
		    strcmp(ph, "installation") == 0 ||
		    strcmp(ph, "exfiltration") == 0)
			return EV_COMPROMISE;
		if (strcmp(ph, "delivery") == 0 ||
		    strcmp(ph, "exploitation") == 0 ||
		    strcmp(ph, "initial-access") == 0)
			ev = EV_ATTACK_ATTEMPT;
		else if (strcmp(ph, "reconnaissance") == 0 &&
		    ev == EV_INDICATOR)
			ev = EV_RECON;
	}
	for (k = 0; k < 2; k++)
		json_array_foreach (json_object_get(ind, lists[k]), i, v) {
			const char *t = json_string_value(v);

			if (t == NULL)
				continue;
			if (strcmp(t, "compromised") == 0)
				return EV_COMPROMISE;
			if (strcmp(t, "anonymization") == 0 &&
			    ev == EV_INDICATOR)
				ev = EV_POLICY;
		}
	return ev;
}

/* A timestamp member: 0 absent, 1 read into *t, -1 malformed. */
static int
time_member(json_t *o, const char *key, int64_t *t)
{
	json_t *v = json_object_get(o, key);

	if (v == NULL)
		return 0;
	if (!json_is_string(v) ||
	    feed_time(json_string_value(v), json_string_length(v), t) != 0)
		return -1;
	return 1;
}

/* A marking definition of the bundle, if it is a TLP one. */
static void
read_marking(struct stix *s, json_t *o)
{
	const char *id = json_string_value(json_object_get(o, "id"));
	const char *dt =
	    json_string_value(json_object_get(o, "definition_type"));
	json_t *ext =
	    json_object_get(json_object_get(o, "extensions"), TLP2_EXT);
	const char *label = NULL, *name;
	enum tlp t;

	if (id == NULL || s->nmarks == sizeof(s->marks) / sizeof(s->marks[0]))
		return;
	if (dt != NULL && strcmp(dt, "tlp") == 0)
		label = json_string_value(
		    json_object_get(json_object_get(o, "definition"), "tlp"));
	else if (ext != NULL)
		label = json_string_value(json_object_get(ext, "tlp_2_0"));
	else if ((name = json_string_value(json_object_get(o, "name"))) !=
		NULL &&
	    strncmp(name, "TLP:", 4) == 0)
		label = name;
	if (label == NULL || tlp_parse(label, strlen(label), &t) != 0)
		return;
	if ((s->marks[s->nmarks].id =
		    arena_strndup(s->arena, id, strlen(id))) != NULL)
		s->marks[s->nmarks++].tlp = t;
}

/* Gather an indicator. */
static void
read_indicator(struct stix *s, json_t *o, size_t index)
{
	struct sind *x;
	json_t *v, *rv;
	size_t i;

	if (s->n == s->cap) {
		size_t cap = s->cap != 0 ? s->cap * 2 : 1024;
		struct sind *nv = realloc(s->v, cap * sizeof(*nv));

		if (nv == NULL)
			return;
		s->v = nv;
		s->cap = cap;
	}
	x = &s->v[s->n];
	memset(x, 0, sizeof(*x));
	x->index = index;
	x->id = dup_member(s, o, "id");
	x->pattern = dup_member(s, o, "pattern");
	x->ptype = dup_member(s, o, "pattern_type");
	x->name = dup_member(s, o, "name");
	if (x->name == NULL)
		x->name = dup_member(s, o, "description");
	x->evidence = stix_evidence(o);
	if (x->id == NULL || has_nul(o, "id"))
		x->bad = "no id";
	else if (has_nul(o, "pattern"))
		x->bad = "NUL byte in the pattern";
	if ((rv = json_object_get(o, "revoked")) != NULL &&
	    !json_is_boolean(rv))
		x->bad = "revoked is not true or false";
	x->revoked = json_is_true(rv);
	if (time_member(o, "modified", &x->modified) < 0)
		x->bad = "modified is not a timestamp";
	if (time_member(o, "created", &x->created) < 0)
		x->bad = "created is not a timestamp";
	if (x->modified == 0)
		x->modified = x->created;
	if (time_member(o, "valid_from", &x->valid_from) < 0)
		x->bad = "valid_from is not a timestamp";
	if (time_member(o, "valid_until", &x->valid_until) < 0)
		x->bad = "valid_until is not a timestamp";
	if (x->valid_until != 0 && x->valid_from != 0 &&
	    x->valid_until < x->valid_from)
		x->bad = "valid_until is before valid_from";
	x->tlp = TLP_CLEAR;
	json_array_foreach (json_object_get(o, "object_marking_refs"), i, v) {
		const char *ref = json_string_value(v);
		size_t k, m = 0;
		int known = 0;

		if (ref == NULL)
			continue;
		for (k = 0; k < sizeof(known_marks) / sizeof(known_marks[0]);
		     k++)
			if (strcmp(ref, known_marks[k].id) == 0) {
				x->tlp = tlp_max(x->tlp, known_marks[k].tlp);
				known = 1;
			}
		while (m < MAXMARKS && x->marks[m] != NULL)
			m++;
		if (!known && m < MAXMARKS)
			x->marks[m] = arena_strndup(s->arena, ref, strlen(ref));
	}
	s->n++;
}

/* Latest version first; at equal times a revoked one first. */
static int
sind_cmp(const void *a, const void *b)
{
	const struct sind *x = a, *y = b;
	int c = strcmp(x->id != NULL ? x->id : "", y->id != NULL ? y->id : "");

	if (c != 0)
		return c;
	if (x->modified != y->modified)
		return x->modified > y->modified ? -1 : 1;
	if (x->revoked != y->revoked)
		return x->revoked ? -1 : 1;
	return x->index < y->index ? -1 : x->index > y->index;
}

/* "objects[3] indicator--...": the id as it is when it is plain (as STIX
 * ids are), else made printable. */
static void
position(const struct sind *x, char *pos, size_t len)
{
	struct buf b = {NULL, 0, 0, 0};
	const char *id = x->id != NULL ? x->id : "";

	if (strspn(id,
		"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
		"0123456789-_.:") != strlen(id) ||
	    strlen(id) > 80) {
		feed_quote(&b, id, strlen(id), 80);
		id = b.s != NULL ? b.s : "";
	}
	snprintf(pos, len, "objects[%zu]%s%s", x->index,
	    id[0] != '\0' ? " " : "", id);
	free(b.s);
}

/* Judge the latest version of an indicator and emit what it detects. */
static void
judge(struct stix *s, struct sind *x, struct stixpat *pat)
{
	struct feed_ctx *ctx = s->ctx;
	struct ioc_meta m;
	char pos[160];
	size_t i, k;

	position(x, pos, sizeof(pos));
	if (x->revoked) {
		feed_skip(ctx, pos, SKIP_REVOKED, NULL);
		return;
	}
	if (x->ptype != NULL && strcmp(x->ptype, "stix") != 0) {
		struct buf b = {NULL, 0, 0, 0};

		feed_quote(&b, x->ptype, strlen(x->ptype), 40);
		feed_skip(ctx, pos, SKIP_UNSUPPORTED_PATTERN,
		    "pattern_type '%s' is not STIX patterning", b.s);
		free(b.s);
		return;
	}
	if (x->pattern == NULL) {
		feed_skip(ctx, pos, SKIP_BAD_OBJECT, "no pattern");
		return;
	}
	stixpat_parse(x->pattern, pat);
	for (k = 0; k < pat->nskips; k++) {
		const struct stixpat_skip *sk = &pat->skip[k < 8 ? k : 7];
		struct buf b = {NULL, 0, 0, 0}, w = {NULL, 0, 0, 0};

		/* both quote the pattern: made printable */
		feed_quote(&b, x->pattern, strlen(x->pattern), 160);
		feed_quote(&w, sk->text, strlen(sk->text), 200);
		feed_skip(ctx, pos, sk->why, "pattern %s: %s", b.s, w.s);
		free(b.s);
		free(w.s);
	}
	memset(&m, 0, sizeof(m));
	m.evidence = x->evidence;
	m.tlp = x->tlp;
	for (k = 0; k < MAXMARKS && x->marks[k] != NULL; k++)
		for (i = 0; i < s->nmarks; i++)
			if (strcmp(x->marks[k], s->marks[i].id) == 0)
				m.tlp = tlp_max(m.tlp, s->marks[i].tlp);
	m.published = x->created != 0 ? x->created : x->valid_from;
	m.valid_from = x->valid_from;
	m.valid_until = x->valid_until;
	m.ref = x->id;
	m.name = x->name;
	for (i = 0; i < pat->natoms; i++)
		feed_emit(ctx, pat->atom[i].type, pat->atom[i].value,
		    strlen(pat->atom[i].value), &m, pos);
}

/* Every indicator gathered: versions, markings, patterns. */
static void
judge_all(struct stix *s)
{
	struct stixpat *pat = calloc(1, sizeof(*pat));
	size_t i = 0, j;
	char pos[160];

	if (s->n > 0)
		qsort(s->v, s->n, sizeof(*s->v), sind_cmp);
	while (i < s->n) {
		const char *bad = s->v[i].bad;

		for (j = i + 1; j < s->n && s->v[i].id != NULL &&
		     s->v[j].id != NULL && strcmp(s->v[j].id, s->v[i].id) == 0;
		     j++)
			if (bad == NULL)
				bad = s->v[j].bad;
		if (bad != NULL) {
			/* a malformed version could be the revoking one */
			position(&s->v[i], pos, sizeof(pos));
			feed_skip(s->ctx, pos, SKIP_BAD_OBJECT,
			    "%s: no version of this indicator is deployed",
			    bad);
		} else if (pat != NULL)
			judge(s, &s->v[i], pat);
		for (i++; i < j; i++)
			feed_skip(s->ctx, NULL, SKIP_SUPERSEDED, NULL);
	}
	if (pat != NULL)
		stixpat_done(pat);
	free(pat);
}

/* A vulnerability object: its CVE id (its name, or an external
 * reference from source "cve") for sankaku-cves.json. */
static void
read_vulnerability(struct stix *s, json_t *o)
{
	json_t *refs = json_object_get(o, "external_references"), *r;
	const char *name = json_string_value(json_object_get(o, "name")),
		   *desc = json_string_value(json_object_get(o, "description"));
	char cve[24];
	int64_t t = 0;
	size_t i;

	if (s->ctx->cves == NULL)
		return;
	if (cve_normalise(name, cve) != 0) {
		cve[0] = '\0';
		json_array_foreach (refs, i, r) {
			const char *src = json_string_value(
			    json_object_get(r, "source_name"));

			if (src != NULL && strcasecmp(src, "cve") == 0 &&
			    cve_normalise(json_string_value(json_object_get(
					      r, "external_id")),
				cve) == 0)
				break;
		}
	}
	if (cve[0] == '\0')
		return;
	if (time_member(o, "modified", &t) != 1)
		(void)time_member(o, "created", &t);
	(void)cve_add(s->ctx->cves, cve, s->ctx->source, t,
	    desc != NULL ? desc : name,
	    json_string_value(json_object_get(o, "id")));
}

/* One element of the objects array. */
static void
read_object(struct stix *s, const char *text, size_t len, size_t index)
{
	struct feed_ctx *ctx = s->ctx;
	json_error_t jerr;
	json_t *o;
	const char *type;
	char pos[48];

	feed_read(ctx);
	snprintf(pos, sizeof(pos), "objects[%zu]", index);
	o = json_loadb(
	    text, len, JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL, &jerr);
	if (o == NULL) {
		struct buf b = {NULL, 0, 0, 0};
		char *near = strstr(jerr.text, " near '");

		if (near != NULL)
			*near = '\0'; /* it quotes the input */
		feed_quote(&b, jerr.text, strlen(jerr.text), 120);
		feed_skip(ctx, pos, SKIP_BAD_OBJECT, "not JSON: %s", b.s);
		free(b.s);
		return;
	}
	type = json_string_value(json_object_get(o, "type"));
	if (type != NULL && strcmp(type, "indicator") == 0)
		read_indicator(s, o, index);
	else {
		if (type != NULL && strcmp(type, "marking-definition") == 0)
			read_marking(s, o);
		else if (type != NULL && strcmp(type, "vulnerability") == 0)
			read_vulnerability(s, o);
		feed_skip(ctx, NULL, SKIP_NOT_INDICATOR, NULL);
	}
	json_decref(o);
}

/* Parse a STIX bundle. */
enum feed_status
feed_stix(struct feed_ctx *ctx, const char *text, size_t len)
{
	struct jsplit_iter it;
	struct stix s;
	size_t at, start, end;
	enum jsplit js;
	enum feed_status st = FEED_OK;
	int rv;

	rv = jsplit_member(text, len, "objects", &at);
	if (rv == -2)
		return feed_fail(ctx, FEED_TRUNCATED,
		    "the file ends before its objects array");
	if (rv != 0 || jsplit_begin(&it, text, len, at) != 0)
		return feed_fail(
		    ctx, FEED_BROKEN, "not a STIX bundle (no objects array)");
	memset(&s, 0, sizeof(s));
	s.ctx = ctx;
	if ((s.arena = arena_new()) == NULL)
		return feed_fail(ctx, FEED_BROKEN, "out of memory");
	while ((js = jsplit_next(&it, &start, &end)) == JS_ELEMENT)
		read_object(&s, text + start, end - start, it.index);
	if (js == JS_TRUNCATED)
		st = feed_fail(ctx, FEED_TRUNCATED,
		    "the file ends inside the objects array (after %zu "
		    "objects): a truncated download?",
		    it.index + 1);
	else if (js == JS_SYNTAX)
		st = feed_fail(ctx, FEED_TRUNCATED,
		    "unreadable from byte %zu on (after %zu objects)", it.pos,
		    it.index + 1);
	judge_all(&s);
	free(s.v);
	arena_free(s.arena);
	return st;
}
