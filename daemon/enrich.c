/*
 * enrich.c: the phase, roles, KPI, indicator and sources of one alert.
 *
 * The phase comes from what kind of evidence the alert is:
 *   1. the rule's own sankaku_phase / sankaku_evidence metadata (set by
 *      sankaku-rules and by the shipped rules);
 *   2. otherwise the third-party rule's metadata (mitre_tactic_id,
 *      mitre_tactic_name), its ET-style signature prefix, its classtype;
 *   3. refined by direction (a host of home_net reaching out to a listed
 *      indicator is a sign of compromise) and by the action (an attempt the
 *      sensor blocked means prevention works: back to preparation).
 * The evidence maps to a phase and KPI through the config (textbook
 * defaults); the phase's roles come from the config too.
 *
 * The enriched alert is the original bytes with the sankaku object
 * spliced in before the closing brace, so the original event is unchanged
 * to the byte.
 */

#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>

#include "b64.h"
#include "enrich.h"

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

/* MITRE ATT&CK tactics as ET Open writes them. */
static const struct {
	const char *id, *name;
	enum evidence ev;
} tactics[] = {
    {"TA0043", "reconnaissance", EV_RECON},
    {"TA0007", "discovery", EV_RECON},
    {"TA0001", "initial_access", EV_ATTACK_ATTEMPT},
    {"TA0002", "execution", EV_ATTACK_ATTEMPT},
    {"TA0042", "resource_development", EV_INDICATOR},
    {"TA0003", "persistence", EV_COMPROMISE},
    {"TA0004", "privilege_escalation", EV_COMPROMISE},
    {"TA0005", "defense_evasion", EV_COMPROMISE},
    {"TA0006", "credential_access", EV_COMPROMISE},
    {"TA0008", "lateral_movement", EV_COMPROMISE},
    {"TA0009", "collection", EV_COMPROMISE},
    {"TA0010", "exfiltration", EV_COMPROMISE},
    {"TA0011", "command_and_control", EV_COMPROMISE},
    {"TA0040", "impact", EV_COMPROMISE},
};

/* ET Open signature prefixes ("ET MALWARE ..."), i.e. its categories. */
static const struct {
	const char *prefix;
	enum evidence ev;
} et_categories[] = {
    {"MALWARE", EV_COMPROMISE},
    {"TROJAN", EV_COMPROMISE},
    {"CNC", EV_COMPROMISE},
    {"MOBILE_MALWARE", EV_COMPROMISE},
    {"COINMINING", EV_COMPROMISE},
    {"ATTACK_RESPONSE", EV_COMPROMISE},
    {"EXFIL", EV_COMPROMISE},
    {"EXPLOIT", EV_ATTACK_ATTEMPT},
    {"EXPLOIT_KIT", EV_ATTACK_ATTEMPT},
    {"WEB_SERVER", EV_ATTACK_ATTEMPT},
    {"WEB_SPECIFIC_APPS", EV_ATTACK_ATTEMPT},
    {"WEB_CLIENT", EV_ATTACK_ATTEMPT},
    {"SHELLCODE", EV_ATTACK_ATTEMPT},
    {"SQL", EV_ATTACK_ATTEMPT},
    {"DOS", EV_ATTACK_ATTEMPT},
    {"PHISHING", EV_ATTACK_ATTEMPT},
    {"SCAN", EV_RECON},
    {"POLICY", EV_POLICY},
    {"INFO", EV_POLICY},
    {"P2P", EV_POLICY},
    {"CHAT", EV_POLICY},
    {"GAMES", EV_POLICY},
    {"USER_AGENTS", EV_POLICY},
    {"DROP", EV_INDICATOR},
    {"DSHIELD", EV_INDICATOR},
    {"CINS", EV_INDICATOR},
    {"COMPROMISED", EV_INDICATOR},
    {"TOR", EV_INDICATOR},
    {"HUNTING", EV_INDICATOR},
};

/* Suricata classtype descriptions (alert.category). */
static const struct {
	const char *category;
	enum evidence ev;
} classtypes[] = {
    {"A Network Trojan was detected", EV_COMPROMISE},
    {"Malware Command and Control Activity Detected", EV_COMPROMISE},
    {"Successful Administrator Privilege Gain", EV_COMPROMISE},
    {"Successful User Privilege Gain", EV_COMPROMISE},
    {"Large Scale Information Leak", EV_COMPROMISE},
    {"Web Application Attack", EV_ATTACK_ATTEMPT},
    {"Attempted Administrator Privilege Gain", EV_ATTACK_ATTEMPT},
    {"Attempted User Privilege Gain", EV_ATTACK_ATTEMPT},
    {"Executable code was detected", EV_ATTACK_ATTEMPT},
    {"Exploit Kit Activity Detected", EV_ATTACK_ATTEMPT},
    {"Attempted Denial of Service", EV_ATTACK_ATTEMPT},
    {"Denial of Service", EV_ATTACK_ATTEMPT},
    {"Possible Social Engineering Attempted", EV_ATTACK_ATTEMPT},
    {"Crypto Currency Mining Activity Detected", EV_COMPROMISE},
    {"Detection of a Network Scan", EV_RECON},
    {"Attempted Information Leak", EV_RECON},
    {"Information Leak", EV_RECON},
    {"Potential Corporate Privacy Violation", EV_POLICY},
    {"Potentially Bad Traffic", EV_INDICATOR},
    {"Misc activity", EV_POLICY},
    {"Not Suspicious Traffic", EV_POLICY},
};

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

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

/* FNV-1a, 128 bits: an id that repeats exactly when the bytes do. */
void
enrich_id(const char *raw, size_t len, char out[33])
{
	const unsigned __int128 prime =
	    ((unsigned __int128)0x0000000001000000ULL << 64) | 0x13BULL;
	unsigned __int128 h = ((unsigned __int128)0x6c62272e07bb0142ULL << 64) |
	    0x62b821756295c58dULL;
	size_t i;

	for (i = 0; i < len; i++) {
		h ^= (unsigned char)raw[i];
		h *= prime;
	}
	snprintf(out, 33, "%016llx%016llx", (unsigned long long)(h >> 64),
	    (unsigned long long)h);
}

/* The first string of metadata[key] (values are arrays), or NULL. */
static const char *
meta_first(json_t *meta, const char *key)
{
	json_t *a = json_object_get(meta, key), *v;

	if (json_is_string(a))
		return json_string_value(a);
	if (!json_is_array(a) || (v = json_array_get(a, 0)) == NULL)
		return NULL;
	return json_string_value(v);
}

/* Evidence from a third-party rule's metadata, prefix and classtype. */
static int
classify_third_party(json_t *alert, json_t *meta, enum evidence *ev)
{
	const char *s;
	size_t i, j;
	json_t *a, *v;

	if ((a = json_object_get(meta, "mitre_tactic_id")) != NULL) {
		json_array_foreach (a, j, v) {
			if (!json_is_string(v))
				continue;
			for (i = 0; i < NELEM(tactics); i++) {
				if (strcasecmp(json_string_value(v),
					tactics[i].id) == 0) {
					*ev = tactics[i].ev;
					return 0;
				}
			}
		}
	}
	if ((a = json_object_get(meta, "mitre_tactic_name")) != NULL) {
		json_array_foreach (a, j, v) {
			if (!json_is_string(v))
				continue;
			for (i = 0; i < NELEM(tactics); i++) {
				if (strcasecmp(json_string_value(v),
					tactics[i].name) == 0) {
					*ev = tactics[i].ev;
					return 0;
				}
			}
		}
	}
	if ((s = json_string_value(json_object_get(alert, "signature"))) !=
		NULL &&
	    (strncmp(s, "ET ", 3) == 0 || strncmp(s, "GPL ", 4) == 0)) {
		const char *w = strchr(s, ' ') + 1;
		size_t n = strcspn(w, " ");

		for (i = 0; i < NELEM(et_categories); i++) {
			if (strlen(et_categories[i].prefix) == n &&
			    strncmp(w, et_categories[i].prefix, n) == 0) {
				*ev = et_categories[i].ev;
				return 0;
			}
		}
	}
	if ((s = json_string_value(json_object_get(alert, "category"))) !=
	    NULL) {
		for (i = 0; i < NELEM(classtypes); i++) {
			if (strcmp(s, classtypes[i].category) == 0) {
				*ev = classtypes[i].ev;
				return 0;
			}
		}
	}
	return -1;
}

/* Whether a textual address is in home_net. */
static int
in_home(const struct cfg *c, const char *addr)
{
	size_t i;

	if (addr == NULL)
		return 0;
	for (i = 0; i < c->nhome_net; i++)
		if (cidr_contains(&c->home_net[i], addr))
			return 1;
	return 0;
}

/* Who started the flow: flow.src_ip if logged, else by direction. */
static void
flow_ends(json_t *ev, const char **client, const char **server)
{
	json_t *flow = json_object_get(ev, "flow");
	const char *src = json_string_value(json_object_get(ev, "src_ip"));
	const char *dst = json_string_value(json_object_get(ev, "dest_ip"));
	const char *dir = json_string_value(json_object_get(ev, "direction"));

	if (json_is_object(flow) &&
	    json_is_string(json_object_get(flow, "src_ip"))) {
		*client = json_string_value(json_object_get(flow, "src_ip"));
		*server = json_string_value(json_object_get(flow, "dest_ip"));
		return;
	}
	if (dir != NULL && strcmp(dir, "to_client") == 0) {
		*client = dst;
		*server = src;
	} else {
		*client = src;
		*server = dst;
	}
}

/* Candidate indicator values of one type seen in the event. */
struct cand {
	const char *type;
	char value[512];
};

#define MAX_CANDS 16

/* Add a candidate if there is room and the value fits. */
static void
cand_add(struct cand *c, size_t *n, const char *type, const char *v, int domain)
{
	if (v == NULL || v[0] == '\0' || *n >= MAX_CANDS ||
	    strlen(v) >= sizeof(c[0].value))
		return;
	c[*n].type = type;
	strcpy(c[*n].value, v);
	if (domain)
		enrich_norm_domain(c[*n].value);
	else if (strcmp(type, "ip") == 0 && strchr(v, ':') != NULL) {
		/* Suricata writes IPv6 in full: the index has it canonical */
		struct cidr a;

		if (cidr_parse(v, &a, 0) == 0)
			cidr_format(&a, c[*n].value, sizeof(c[*n].value));
	}
	(*n)++;
}

/* Collect every indicator-like value the event carries. */
static size_t
collect_candidates(json_t *ev, const struct cfg *cfg, struct cand *c)
{
	size_t n = 0, i;
	json_t *dns = json_object_get(ev, "dns");
	json_t *tls = json_object_get(ev, "tls");
	json_t *http = json_object_get(ev, "http");
	json_t *files = json_object_get(ev, "files");
	json_t *fileinfo = json_object_get(ev, "fileinfo");
	json_t *q, *f;
	const char *host, *url, *src, *dst;

	/* DNS: v2 alerts carry dns.query[].rrname; events dns.rrname. */
	json_array_foreach (json_object_get(dns, "query"), i, q) {
		cand_add(c, &n, "domain",
		    json_string_value(json_object_get(q, "rrname")), 1);
	}
	cand_add(c, &n, "domain",
	    json_string_value(json_object_get(dns, "rrname")), 1);
	cand_add(
	    c, &n, "domain", json_string_value(json_object_get(tls, "sni")), 1);
	host = json_string_value(json_object_get(http, "hostname"));
	url = json_string_value(json_object_get(http, "url"));
	if (host != NULL && url != NULL && strlen(host) + strlen(url) < 500) {
		char buf[512];

		snprintf(buf, sizeof(buf), "%s", host);
		enrich_norm_domain(buf);
		strncat(buf, url, sizeof(buf) - strlen(buf) - 1);
		cand_add(c, &n, "url", buf, 0);
	}
	cand_add(c, &n, "domain", host, 1);
	/* Addresses: the far end first (outside home_net), then the other. */
	src = json_string_value(json_object_get(ev, "src_ip"));
	dst = json_string_value(json_object_get(ev, "dest_ip"));
	if (in_home(cfg, src) && !in_home(cfg, dst)) {
		cand_add(c, &n, "ip", dst, 0);
		cand_add(c, &n, "ip", src, 0);
	} else {
		cand_add(c, &n, "ip", src, 0);
		cand_add(c, &n, "ip", dst, 0);
	}
	json_array_foreach (files, i, f) {
		cand_add(c, &n, "sha256",
		    json_string_value(json_object_get(f, "sha256")), 1);
		cand_add(c, &n, "sha1",
		    json_string_value(json_object_get(f, "sha1")), 1);
		cand_add(c, &n, "md5",
		    json_string_value(json_object_get(f, "md5")), 1);
	}
	if (json_is_object(fileinfo)) {
		cand_add(c, &n, "sha256",
		    json_string_value(json_object_get(fileinfo, "sha256")), 1);
		cand_add(c, &n, "sha1",
		    json_string_value(json_object_get(fileinfo, "sha1")), 1);
		cand_add(c, &n, "md5",
		    json_string_value(json_object_get(fileinfo, "md5")), 1);
	}
	cand_add(c, &n, "ja3",
	    json_string_value(
		json_object_get(json_object_get(tls, "ja3"), "hash")),
	    1);
	return n;
}

/* Pick the indicator: the rule's type first, then any index hit, then the
 * application layer's natural one. */
static const struct cand *
pick_indicator(const struct enrich_ctx *ctx, const struct cand *c, size_t n,
    const char *hint, const char *app_proto, const struct idx_entry **hit)
{
	size_t i;
	const struct idx_entry *e;

	*hit = NULL;
	if (hint != NULL) {
		/* cidr indicators are seen as ip values */
		const char *t = strcmp(hint, "cidr") == 0 ? "ip" : hint;

		for (i = 0; i < n; i++) {
			if (strcmp(c[i].type, t) == 0 &&
			    (e = idx_find(ctx->idx, t, c[i].value)) != NULL) {
				*hit = e;
				return &c[i];
			}
		}
		for (i = 0; i < n; i++)
			if (strcmp(c[i].type, t) == 0)
				return &c[i];
	}
	for (i = 0; i < n; i++) {
		if ((e = idx_find(ctx->idx, c[i].type, c[i].value)) != NULL) {
			*hit = e;
			return &c[i];
		}
	}
	if (app_proto == NULL)
		return NULL;
	for (i = 0; i < n; i++) {
		if ((strcmp(app_proto, "http") == 0 &&
			strcmp(c[i].type, "url") == 0) ||
		    ((strcmp(app_proto, "dns") == 0 ||
			 strcmp(app_proto, "tls") == 0) &&
			strcmp(c[i].type, "domain") == 0))
			return &c[i];
	}
	return NULL;
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

/* The sankaku object.  New reference, or NULL on OOM. */
static json_t *
build_object(const struct enrich_out *out, const struct cand *ind,
    const struct idx_entry *hit)
{
	json_t *o, *roles, *sources;
	size_t i, j;

	roles = json_array();
	sources = json_array();
	for (i = 0; roles != NULL && i < out->nroles; i++)
		json_array_append_new(roles,
		    json_pack("{s:s, s:s, s:s}", "code", out->roles[i]->code,
			"ja", out->roles[i]->ja, "en", out->roles[i]->en));
	for (i = 0; sources != NULL && i < out->nsources; i++) {
		const struct cfg_source *s = out->sources[i];
		const struct isog_triangle *t = s->triangle;
		const char *aja = "", *aen = "";

		for (j = 0; j < NELEM(advice); j++) {
			if (strcmp(advice[j].id, t->id) == 0) {
				aja = advice[j].ja;
				aen = advice[j].en;
			}
		}
		json_array_append_new(sources,
		    json_pack("{s:s, s:s, s:s, s:{s:s, s:[s, s], s:s, "
			      "s:{s:s, s:s}, s:{s:s, s:s}}}",
			"id", s->id, "name", s->name, "tlp", s->tlp, "triangle",
			"id", t->id, "strong", t->strong[0], t->strong[1],
			"weak", t->weak, "caveat", "ja", t->caveat_ja, "en",
			t->caveat_en, "advice", "ja", aja, "en", aen));
	}
	o = json_pack("{s:s, s:{s:s, s:s, s:s}, s:o, s:o, s:s, s:s}", "id",
	    out->id, "phase", "id", out->phase->id, "ja", out->phase->ja, "en",
	    out->phase->en, "roles", roles, "sources", sources, "kpi",
	    out->kpi->id, "evidence", evidence_name(out->evidence));
	if (o == NULL)
		return NULL;
	if (ind != NULL) {
		json_t *ij = json_pack(
		    "{s:s, s:s}", "type", ind->type, "value", ind->value);

		if (ij != NULL && hit != NULL && hit->published[0] != '\0' &&
		    strcmp(hit->published, "-") != 0)
			json_object_set_new(
			    ij, "published", json_string(hit->published));
		if (ij == NULL ||
		    json_object_set_new(o, "indicator", ij) != 0) {
			json_decref(o);
			return NULL;
		}
	}
	return o;
}

/* Splice ",\"sankaku\":OBJ" before the final brace of raw. */
static int
splice(const char *raw, size_t len, json_t *ev, json_t *obj,
    struct enrich_out *out)
{
	char *dump;
	size_t dlen, end = len;

	if (json_object_get(ev, "sankaku") != NULL) {
		/* Already enriched once (a replay): replace, re-serialise. */
		if (json_object_set(ev, "sankaku", obj) != 0)
			return -1;
		out->json = json_dumps(ev, JSON_COMPACT | JSON_PRESERVE_ORDER);
		if (out->json == NULL)
			return -1;
		out->len = strlen(out->json);
		return 0;
	}
	while (end > 0 &&
	    (raw[end - 1] == ' ' || raw[end - 1] == '\n' ||
		raw[end - 1] == '\r' || raw[end - 1] == '\t'))
		end--;
	if (end == 0 || raw[end - 1] != '}')
		return -1; /* cannot happen for a parsed object */
	if ((dump = json_dumps(obj, JSON_COMPACT | JSON_PRESERVE_ORDER)) ==
	    NULL)
		return -1;
	dlen = strlen(dump);
	if ((out->json = malloc(end + dlen + 16)) == NULL) {
		free(dump);
		return -1;
	}
	memcpy(out->json, raw, end - 1);
	out->len = end - 1;
	if (json_object_size(ev) > 0)
		out->json[out->len++] = ',';
	memcpy(out->json + out->len, "\"sankaku\":", 10);
	out->len += 10;
	memcpy(out->json + out->len, dump, dlen);
	out->len += dlen;
	out->json[out->len++] = '}';
	out->json[out->len] = '\0';
	free(dump);
	return 0;
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
	json_t *ev = NULL, *alert, *meta, *obj = NULL, *a, *v;
	json_error_t jerr;
	const char *type, *s, *client, *server, *action, *hint;
	struct cand cands[MAX_CANDS];
	const struct cand *ind;
	const struct idx_entry *hit;
	const struct isog_phase *phase = NULL;
	const struct cfg_phase_roles *pr;
	enum enrich_status status = ENRICH_OK;
	size_t i, ncands;

	memset(out, 0, sizeof(*out));
	out->reason = "";
	enrich_id(raw, len, out->id);
	if ((long)len > cfg->max_event_bytes)
		REJECT("too-large",
		    "%zu bytes, limit input.max_event_bytes %ld", len,
		    cfg->max_event_bytes);
	ev = json_loadb(raw, len, JSON_REJECT_DUPLICATES, &jerr);
	if (ev == NULL)
		REJECT("bad-json", "position %d: %s", jerr.position, jerr.text);
	if (!json_is_object(ev))
		REJECT("not-object", "the event is not a JSON object");
	if ((type = json_string_value(json_object_get(ev, "event_type"))) ==
	    NULL)
		REJECT("missing-field", "event_type: missing or not a string");
	snprintf(out->event_type, sizeof(out->event_type), "%s", type);
	if (strcmp(type, "alert") != 0) {
		status = ENRICH_SKIPPED;
		goto done;
	}
	if (!json_is_object(alert = json_object_get(ev, "alert")))
		REJECT("missing-field", "alert: missing or not an object");
	if (!json_is_integer(json_object_get(alert, "signature_id")))
		REJECT("missing-field",
		    "alert.signature_id: missing or not an integer");
	meta = json_object_get(alert, "metadata");
	if (meta != NULL && !json_is_object(meta))
		REJECT("bad-field", "alert.metadata: not an object");

	/* 1. What kind of evidence this is. */
	s = meta_first(meta, "sankaku_evidence");
	if (s == NULL || evidence_parse(s, &out->evidence) != 0) {
		if (classify_third_party(alert, meta, &out->evidence) != 0)
			out->evidence = EV_INDICATOR;
	}
	flow_ends(ev, &client, &server);
	if (out->evidence == EV_INDICATOR && in_home(cfg, client) &&
	    (!in_home(cfg, server) ||
		((s = json_string_value(json_object_get(ev, "app_proto"))) !=
			NULL &&
		    strcmp(s, "dns") == 0)))
		out->evidence = EV_COMPROMISE; /* inside reaching a listed
						  indicator */
	action = json_string_value(json_object_get(alert, "action"));
	if (action != NULL && strcmp(action, "blocked") == 0 &&
	    (out->evidence == EV_ATTACK_ATTEMPT || out->evidence == EV_RECON ||
		out->evidence == EV_INDICATOR))
		out->evidence = EV_BLOCKED;

	/* 2. Phase, KPI and roles. */
	if ((s = meta_first(meta, "sankaku_phase")) != NULL)
		phase = isog_phase_find(s);
	out->phase = phase != NULL ? phase : cfg->evmap[out->evidence].phase;
	out->kpi = cfg->evmap[out->evidence].kpi;
	if ((s = meta_first(meta, "sankaku_kpi")) != NULL &&
	    isog_kpi_find(s) != NULL)
		out->kpi = isog_kpi_find(s);
	pr = &cfg->phase_roles[cfg_phase_index(out->phase)];
	for (i = 0; i < pr->nroles; i++)
		add_role(out, pr->roles[i]);
	json_array_foreach (json_object_get(meta, "sankaku_role"), i, v) {
		if (json_is_string(v))
			add_role(out, isog_role_find(json_string_value(v)));
	}

	/* 3. The indicator seen and every source that supplied it. */
	hint = meta_first(meta, "sankaku_ioc_type");
	ncands = collect_candidates(ev, cfg, cands);
	ind = pick_indicator(ctx, cands, ncands, hint,
	    json_string_value(json_object_get(ev, "app_proto")), &hit);
	if (cfg->nsources > 0 &&
	    (out->sources = calloc(cfg->nsources, sizeof(*out->sources))) ==
		NULL)
		REJECT("oom", "out of memory");
	if (hit != NULL)
		add_source_list(cfg, out, hit->sources);
	else if ((a = json_object_get(meta, "sankaku_source")) != NULL) {
		json_array_foreach (a, i, v) {
			if (json_is_string(v))
				add_source(cfg, out, json_string_value(v),
				    strlen(json_string_value(v)));
		}
	}

	if ((obj = build_object(out, ind, hit)) == NULL)
		REJECT("oom", "out of memory");
	if (splice(raw, len, ev, obj, out) != 0)
		REJECT("oom", "out of memory");
done:
	json_decref(obj);
	json_decref(ev);
	return status;
}

/* Free what enrich_event allocated. */
void
enrich_out_free(struct enrich_out *out)
{
	free(out->json);
	free(out->sources);
	out->json = NULL;
	out->sources = NULL;
}

/* Build the dead-letter entry. */
char *
enrich_deadletter(const char *reason, const char *detail, const char *raw,
    size_t len, const char *consumer, time_t now, size_t *outlen)
{
	json_t *o, *r;
	char at[32], *s;
	struct tm tm;

	gmtime_r(&now, &tm);
	strftime(at, sizeof(at), "%Y-%m-%dT%H:%M:%SZ", &tm);
	o = json_pack("{s:s, s:s, s:s, s:s}", "reason", reason, "detail",
	    detail, "at", at, "consumer", consumer);
	if (o == NULL)
		return NULL;
	/* json_stringn refuses invalid UTF-8 and, without a flag, NUL. */
	if (memchr(raw, '\0', len) == NULL &&
	    (r = json_stringn(raw, len)) != NULL)
		json_object_set_new(o, "raw", r);
	else {
		char *enc = malloc(B64_LEN(len));

		if (enc != NULL)
			b64_encode(raw, len, enc);
		if (enc == NULL) {
			json_decref(o);
			return NULL;
		}
		json_object_set_new(o, "raw_base64", json_string(enc));
		free(enc);
	}
	s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(o);
	if (s != NULL && outlen != NULL)
		*outlen = strlen(s);
	return s;
}
