/*
 * enrich.c: the phase, roles, KPI, indicator and sources of one alert.
 *
 * The phase comes from what kind of evidence the alert is:
 *   1. the rule's own sankaku_phase / sankaku_evidence metadata (set by
 *      sankaku-rules and by the shipped rules);
 *   2. otherwise what the third-party rule says of itself (classify.c);
 *   3. refined by direction (a host of home_net reaching out to a listed
 *      indicator is a sign of compromise) and by the action (an attempt the
 *      sensor blocked means prevention works: back to preparation).
 * The evidence maps to a phase and KPI through the config (textbook
 * defaults); the phase's roles come from the config too.
 *
 * The indicator is picked among the event's values (indicator.c).
 *
 * Speed: the event is read by evscan (one validating pass, no tree), and
 * the sankaku object is assembled from fragments that jansson serialised
 * once per config (render.c).  The enriched alert is the original
 * bytes with the sankaku object spliced in before the closing brace, so
 * the original event is unchanged to the byte.
 */

#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "b64.h"
#include "buf.h"
#include "cidr.h"
#include "classify.h"
#include "enrich.h"
#include "evscan.h"
#include "indicator.h"
#include "render.h"

/* Lower-case and strip one trailing dot. */
void
enrich_norm_domain(char *s)
{
	size_t n;

	for (n = 0; s[n] != '\0'; n++)
		s[n] = (char)tolower((unsigned char)s[n]);
	if (n > 0 && s[n - 1] == '.')
		s[n - 1] = '\0';
}

/* Mix a 64-bit lane (the finaliser of MurmurHash3). */
static uint64_t
mix64(uint64_t h)
{
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53ULL;
	h ^= h >> 33;
	return h;
}

/* A 128-bit id that repeats exactly when the bytes do: two 64-bit lanes
 * over 8-byte words with different multipliers, mixed with the length.
 * Not cryptographic: it tells repeats apart for consumers. */
void
enrich_id(const char *raw, size_t len, char out[33])
{
	static const char hex[] = "0123456789abcdef";
	uint64_t a = 0x6c62272e07bb0142ULL, b = 0x62b821756295c58dULL, w;
	size_t i;

	/* two lanes take alternate words; each word feeds one multiply */
	for (i = 0; i + 16 <= len; i += 16) {
		uint64_t w2;

		memcpy(&w, raw + i, 8);
		memcpy(&w2, raw + i + 8, 8);
		a = (a ^ w) * 0x9e3779b97f4a7c15ULL;
		a ^= a >> 31;
		b = (b ^ w2) * 0xc2b2ae3d27d4eb4fULL;
		b ^= b >> 29;
	}
	if (i + 8 <= len) {
		memcpy(&w, raw + i, 8);
		a = (a ^ w) * 0x9e3779b97f4a7c15ULL;
		a ^= a >> 31;
		i += 8;
	}
	w = 0;
	memcpy(&w, raw + i, len - i);
	/* each lane ends mixed with the other, so every byte moves both */
	a = mix64(a ^ w ^ (uint64_t)len ^ mix64(b));
	b = mix64(b ^ (w * 0x165667b19e3779f9ULL) ^ ((uint64_t)len << 32) ^ a);
	for (i = 0; i < 16; i++) {
		out[i] = hex[(a >> (60 - 4 * i)) & 15];
		out[16 + i] = hex[(b >> (60 - 4 * i)) & 15];
	}
	out[32] = '\0';
}

/* Add a role once. */
static void
add_role(struct enrich_out *out, const struct isog_role *r)
{
	size_t i;

	if (r == NULL || out->nroles >= ENRICH_MAX_ROLES)
		return;
	for (i = 0; i < out->nroles; i++)
		if (out->roles[i] == r)
			return;
	out->roles[out->nroles++] = r;
}

/* Add a source once, by id; unknown ids are ignored. */
static void
add_source(
    const struct cfg *cfg, struct enrich_out *out, const char *id, size_t idlen)
{
	char buf[80];
	const struct cfg_source *s;
	size_t i;

	if (idlen == 0 || idlen >= sizeof(buf))
		return;
	memcpy(buf, id, idlen);
	buf[idlen] = '\0';
	if ((s = cfg_source_find(cfg, buf)) == NULL)
		return;
	for (i = 0; i < out->nsources; i++)
		if (out->sources[i] == s)
			return;
	out->sources[out->nsources++] = s;
}

/* Add every id of a comma-separated list. */
static void
add_source_list(const struct cfg *cfg, struct enrich_out *out, const char *list)
{
	const char *p = list;

	while (*p != '\0') {
		size_t n = strcspn(p, ",");

		add_source(cfg, out, p, n);
		p += n;
		if (*p == ',')
			p++;
	}
}

/* The sankaku object of this alert, appended to b. */
static void
emit_object(const struct enrich_ctx *ctx, const struct enrich_out *out,
    const struct ind_cand *ind, const struct idx_entry *hit, int extra_roles,
    enum output_form form, struct buf *b)
{
	if (form == FORM_COMPACT)
		render_compact(ctx->render, ctx->cfg, out,
		    ind != NULL ? ind->type : NULL,
		    ind != NULL ? ind->value : NULL, hit, b);
	else
		render_object(ctx->render, ctx->cfg, out,
		    ind != NULL ? ind->type : NULL,
		    ind != NULL ? ind->value : NULL, hit, extra_roles, b);
}

/* A document: headroom, then the event with obj as its sankaku member.
 * *bufp is malloc'd; *json points headroom bytes into it, with room for 2
 * more bytes after its *len. */
struct doc {
	char **bufp, **json;
	size_t *len;
	size_t *cap;		    /* the buffer's size, if it may be kept */
	struct enrich_spare *spare; /* a buffer to take, or NULL */
};

/* Already enriched once (a replay): replace the member, re-serialise. */
static int
replace_object(const char *raw, size_t len, const char *obj, size_t objlen,
    size_t headroom, const struct doc *d)
{
	json_t *ev = json_loadb(raw, len, JSON_ALLOW_NUL, NULL);
	json_t *o = json_loadb(obj, objlen, 0, NULL);
	char *text = NULL;
	int rv = -1;

	if (ev != NULL && o != NULL && json_object_set(ev, "sankaku", o) == 0 &&
	    (text = json_dumps(ev, JSON_COMPACT | JSON_PRESERVE_ORDER)) !=
		NULL) {
		*d->len = strlen(text);
		if ((*d->bufp = malloc(headroom + *d->len + 3)) != NULL) {
			*d->json = *d->bufp + headroom;
			memcpy(*d->json, text, *d->len + 1);
			rv = 0;
		}
	}
	free(text);
	json_decref(ev);
	json_decref(o);
	return rv;
}

/* The enriched alert in one form: the original bytes, then the object
 * spliced in before the closing brace.  0, or -1 out of memory. */
static int
assemble(const struct enrich_ctx *ctx, const struct enrich_out *out,
    const char *raw, size_t len, const struct evscan *use,
    const struct ind_cand *ind, const struct idx_entry *hit, int extra_roles,
    enum output_form form, size_t headroom, const struct doc *d)
{
	struct buf b = {NULL, 0, 0, 0};
	int rv;

	if (use->has_sankaku) {
		emit_object(ctx, out, ind, hit, extra_roles, form, &b);
		rv = b.oom ? -1
			   : replace_object(raw, len, b.s, b.len, headroom, d);
		free(b.s);
		return rv;
	}
	/* one buffer: headroom for the caller's framing, the original
	 * bytes, the object (about 2 KB), room after; the last alert's if
	 * it is large enough */
	b.cap = headroom + len + 4096;
	if (d->spare != NULL && d->spare->buf != NULL &&
	    d->spare->cap >= b.cap) {
		b.s = d->spare->buf;
		b.cap = d->spare->cap;
		d->spare->buf = NULL;
	} else if ((b.s = malloc(b.cap)) == NULL)
		return -1;
	b.len = headroom;
	buf_put(&b, raw, use->close_brace);
	if (use->root_members > 0)
		buf_put(&b, ",", 1);
	BUF_PUTS(&b, "\"sankaku\":");
	emit_object(ctx, out, ind, hit, extra_roles, form, &b);
	buf_put(&b, "}", 1);
	buf_put(&b, "\r\n", 2); /* room after the document */
	if (b.oom) {
		free(b.s);
		return -1;
	}
	*d->bufp = b.s;
	if (d->cap != NULL)
		*d->cap = b.cap;
	*d->json = b.s + headroom;
	*d->len = b.len - headroom - 2;
	(*d->json)[*d->len] = '\0';
	return 0;
}

/* The first metadata value of kind m, as a C string in buf. */
static const char *
meta_first(const struct evscan *sc, enum evscan_multi m, char *buf, size_t len)
{
	return sc->nm[m] > 0 ? evstr_cstr(&sc->m[m][0], buf, len) : NULL;
}

#define REJECT(r, ...)                                                         \
	do {                                                                   \
		out->reason = (r);                                             \
		snprintf(out->detail, sizeof(out->detail), __VA_ARGS__);       \
		status = ENRICH_REJECTED;                                      \
		goto done;                                                     \
	} while (0)

/* Enrich one event. */
enum enrich_status
enrich_event(const struct enrich_ctx *ctx, const char *raw, size_t len,
    struct enrich_out *out)
{
	const struct cfg *cfg = ctx->cfg;
	struct evscan sc, sc2;
	const struct evscan *use = &sc;
	char *canon = NULL;
	char client[64], server[64], b1[128], b2[64], ap[32];
	const char *s, *cl, *sv, *hint, *app;
	struct ind_cand cands[IND_MAX_CANDS];
	const struct ind_cand *ind;
	const struct idx_entry *hit;
	const struct isog_phase *phase = NULL;
	const struct cfg_phase_roles *pr;
	enum enrich_status status = ENRICH_OK;
	size_t i, ncands, nphase_roles;
	int rv;

	memset(out, 0, sizeof(*out));
	out->reason = "";
	enrich_id(raw, len, out->id);
	if ((long)len > cfg->max_event_bytes)
		REJECT("too-large",
		    "%zu bytes, limit input.max_event_bytes %ld", len,
		    cfg->max_event_bytes);
	rv = evscan(raw, len, &sc);
	if (rv == -1)
		REJECT("bad-json", "position %zu: %s", sc.err_pos, sc.err);
	if (rv == -2) {
		/* A member name with escapes: read the fields from jansson's
		 * decoding of the names. */
		switch (evscan_decoded(raw, len, &sc2, &canon)) {
		case -1:
			REJECT("bad-json", "duplicate member name");
		case -2:
			REJECT("oom", "out of memory");
		case -3:
			REJECT("bad-json", "unreadable member names");
		}
		/* splice on the original bytes */
		sc2.close_brace = sc.close_brace;
		sc2.root_members = sc.root_members;
		use = &sc2;
	}
	if (use->not_object)
		REJECT("not-object", "the event is not a JSON object");
	if (use->f[F_EVENT_TYPE].p == NULL)
		REJECT("missing-field", "event_type: missing or not a string");
	if (evstr_cstr(&use->f[F_EVENT_TYPE], out->event_type,
		sizeof(out->event_type)) == NULL)
		REJECT("bad-field", "event_type: too long");
	if (strcmp(out->event_type, "alert") != 0) {
		status = ENRICH_SKIPPED;
		goto done;
	}
	if (!use->has_alert)
		REJECT("missing-field", "alert: missing or not an object");
	if (!use->has_sigid)
		REJECT("missing-field",
		    "alert.signature_id: missing or not an integer");
	if (use->meta_bad)
		REJECT("bad-field", "alert.metadata: not an object");

	/* 1. What kind of evidence this is. */
	s = meta_first(use, M_META_EVIDENCE, b2, sizeof(b2));
	if (s == NULL || isog_evidence_parse(s, &out->evidence) != 0) {
		if (classify_rule(use, &out->evidence) != 0)
			out->evidence = EV_INDICATOR;
	}
	/* who started the flow: flow.src_ip if logged, else by direction */
	if (use->f[F_FLOW_SRC_IP].p != NULL) {
		cl = evstr_cstr(&use->f[F_FLOW_SRC_IP], client, sizeof(client));
		sv =
		    evstr_cstr(&use->f[F_FLOW_DEST_IP], server, sizeof(server));
	} else if (evstr_eq(&use->f[F_DIRECTION], "to_client")) {
		cl = evstr_cstr(&use->f[F_DEST_IP], client, sizeof(client));
		sv = evstr_cstr(&use->f[F_SRC_IP], server, sizeof(server));
	} else {
		cl = evstr_cstr(&use->f[F_SRC_IP], client, sizeof(client));
		sv = evstr_cstr(&use->f[F_DEST_IP], server, sizeof(server));
	}
	app = evstr_cstr(&use->f[F_APP_PROTO], ap, sizeof(ap));
	/* inside reaching a listed indicator: a sign of compromise; a DNS
	 * lookup of one is not (the host asked; whether it then connected
	 * is another alert): it stays an indicator, to triage */
	if (out->evidence == EV_INDICATOR &&
	    cidr_list_has(cfg->home_net, cfg->nhome_net, cl) &&
	    !cidr_list_has(cfg->home_net, cfg->nhome_net, sv) &&
	    (app == NULL || strcmp(app, "dns") != 0))
		out->evidence = EV_COMPROMISE;
	if (evstr_eq(&use->f[F_ACTION], "blocked") &&
	    (out->evidence == EV_ATTACK_ATTEMPT || out->evidence == EV_RECON ||
		out->evidence == EV_INDICATOR))
		out->evidence = EV_BLOCKED;

	/* 2. Phase, KPI and roles. */
	if ((s = meta_first(use, M_META_PHASE, b2, sizeof(b2))) != NULL)
		phase = isog_phase_find(s);
	out->phase = phase != NULL ? phase : cfg->evmap[out->evidence].phase;
	out->kpi = cfg->evmap[out->evidence].kpi;
	if ((s = meta_first(use, M_META_KPI, b2, sizeof(b2))) != NULL &&
	    isog_kpi_find(s) != NULL)
		out->kpi = isog_kpi_find(s);
	/* who acts: the kind of evidence's own roles, else the phase's */
	pr = cfg->evmap[out->evidence].roles.nroles > 0
	    ? &cfg->evmap[out->evidence].roles
	    : &cfg->phase_roles[isog_phase_index(out->phase)];
	for (i = 0; i < pr->nroles; i++)
		add_role(out, pr->roles[i]);
	/* the phase's list is rendered whole, precomputed; any other, role
	 * by role */
	nphase_roles = pr == &cfg->phase_roles[isog_phase_index(out->phase)]
	    ? out->nroles
	    : (size_t)-1;
	for (i = 0; i < use->nm[M_META_ROLE]; i++)
		if ((s = evstr_cstr(&use->m[M_META_ROLE][i], b2, sizeof(b2))) !=
		    NULL)
			add_role(out, isog_role_find(s));

	/* 3. The indicator seen and every source that supplied it. */
	hint = meta_first(use, M_META_IOC_TYPE, b1, sizeof(b1));
	ncands = ind_collect(use, cfg, cands);
	ind = ind_pick(ctx->idx, cands, ncands, hint, app, &hit);
	if (cfg->nsources > 0 &&
	    (out->sources = calloc(cfg->nsources, sizeof(*out->sources))) ==
		NULL)
		REJECT("oom", "out of memory");
	if (hint != NULL && strcmp(hint, "url") == 0 && hit == NULL &&
	    idx_count(ctx->idx) > 0) {
		/* the host of one listed URL and the path of another */
		status = ENRICH_UNCONFIRMED;
		goto done;
	}
	if (hit != NULL)
		add_source_list(cfg, out, hit->sources);
	else
		for (i = 0; i < use->nm[M_META_SOURCE]; i++)
			if ((s = evstr_cstr(&use->m[M_META_SOURCE][i], b2,
				 sizeof(b2))) != NULL)
				add_source(cfg, out, s, strlen(s));
	/* 4. TLP: the strictest of the sources and the indicator's own */
	if (hit != NULL &&
	    tlp_parse(hit->tlp, strlen(hit->tlp), &out->tlp) == 0)
		out->has_tlp = 1;
	for (i = 0; i < out->nsources; i++) {
		out->tlp = out->has_tlp
		    ? tlp_max(out->tlp, out->sources[i]->tlp_level)
		    : out->sources[i]->tlp_level;
		out->has_tlp = 1;
	}

	/* 5. The enriched alert, and in the channels' form if it differs
	 * and somebody listens */
	{
		struct doc main = {&out->buf, &out->json, &out->len,
		    &out->buf_cap, ctx->spare};
		struct doc alt = {
		    &out->alt_buf, &out->alt, &out->alt_len, NULL, NULL};
		int extra = out->nroles != nphase_roles;

		if (assemble(ctx, out, raw, len, use, ind, hit, extra,
			cfg->form, ctx->headroom, &main) != 0 ||
		    (ctx->alt && cfg->channel_form != cfg->form &&
			assemble(ctx, out, raw, len, use, ind, hit, extra,
			    cfg->channel_form, 0, &alt) != 0))
			REJECT("oom", "out of memory");
	}
done:
	free(canon);
	return status;
}

/* Free what enrich_event allocated. */
void
enrich_out_free(struct enrich_out *out)
{
	free(out->buf);
	free(out->alt_buf);
	free(out->sources);
	out->buf = NULL;
	out->buf_cap = 0;
	out->json = NULL;
	out->alt_buf = NULL;
	out->alt = NULL;
	out->sources = NULL;
}

/* Free, keeping the document's buffer in spare. */
void
enrich_out_keep(struct enrich_out *out, struct enrich_spare *spare)
{
	if (spare != NULL && out->buf != NULL && out->buf_cap > 0 &&
	    out->buf_cap <= ENRICH_SPARE_MAX) {
		free(spare->buf);
		spare->buf = out->buf;
		spare->cap = out->buf_cap;
		out->buf = NULL;
	}
	enrich_out_free(out);
}
