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
 * Speed: the event is read by evscan (one validating pass, no tree), and
 * the sankaku object is assembled from fragments that jansson serialised
 * once per config (enrich_prepare).  The enriched alert is the original
 * bytes with the sankaku object spliced in before the closing brace, so
 * the original event is unchanged to the byte.
 */

#include <sys/socket.h>

#include <arpa/inet.h>
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>

#include "b64.h"
#include "enrich.h"
#include "evscan.h"

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

/* JSON text of the fixed parts, serialised once by jansson. */
struct frag {
	char *s;
	size_t len;
};

struct enrich_tables {
	struct frag phase[8];	      /* {"id","ja","en"} per phase */
	struct frag phase_roles[8];   /* [role, ...] per phase, config order */
	struct frag *role;	      /* {"code","ja","en"} per isog role */
	struct frag *source;	      /* per configured source */
	struct frag kpi[8];	      /* "attack-condition" ... quoted */
	struct frag evidence[EV_MAX]; /* "compromise" ... quoted */
	size_t nroles, nsources;
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

/* One role as JSON.  New reference. */
static json_t *
role_json(const struct isog_role *r)
{
	return json_pack(
	    "{s:s, s:s, s:s}", "code", r->code, "ja", r->ja, "en", r->en);
}

/* Serialise everything fixed about a config. */
struct enrich_tables *
enrich_prepare(const struct cfg *cfg)
{
	struct enrich_tables *t = calloc(1, sizeof(*t));
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
		if (frag_set(&t->role[i], role_json(isog_role_at(i))) != 0)
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
			json_array_append_new(a, role_json(pr->roles[j]));
		if (frag_set(&t->phase_roles[i], a) != 0)
			goto fail;
	}
	for (i = 0; i < isog_nkpis() && i < 8; i++)
		if (frag_set(&t->kpi[i], json_string(isog_kpi_at(i)->id)) != 0)
			goto fail;
	for (i = 0; i < EV_MAX; i++)
		if (frag_set(&t->evidence[i],
			json_string(isog_evidence_name((enum evidence)i))) != 0)
			goto fail;
	for (i = 0; i < cfg->nsources; i++) {
		const struct cfg_source *s = &cfg->sources[i];
		const struct isog_triangle *tr = s->triangle;
		const char *aja = "", *aen = "";

		for (j = 0; j < NELEM(advice); j++) {
			if (strcmp(advice[j].id, tr->id) == 0) {
				aja = advice[j].ja;
				aen = advice[j].en;
			}
		}
		if (frag_set(&t->source[i],
			json_pack("{s:s, s:s, s:s, s:{s:s, s:[s, s], s:s, "
				  "s:{s:s, s:s}, s:{s:s, s:s}}}",
			    "id", s->id, "name", s->name, "tlp", s->tlp,
			    "triangle", "id", tr->id, "strong", tr->strong[0],
			    tr->strong[1], "weak", tr->weak, "caveat", "ja",
			    tr->caveat_ja, "en", tr->caveat_en, "advice", "ja",
			    aja, "en", aen)) != 0)
			goto fail;
	}
	return t;
fail:
	enrich_tables_free(t);
	return NULL;
}

/* Free the fragments. */
void
enrich_tables_free(struct enrich_tables *t)
{
	size_t i;

	if (t == NULL)
		return;
	for (i = 0; i < 8; i++) {
		free(t->phase[i].s);
		free(t->phase_roles[i].s);
		free(t->kpi[i].s);
	}
	for (i = 0; i < EV_MAX; i++)
		free(t->evidence[i].s);
	for (i = 0; t->role != NULL && i < t->nroles; i++)
		free(t->role[i].s);
	for (i = 0; t->source != NULL && i < t->nsources; i++)
		free(t->source[i].s);
	free(t->role);
	free(t->source);
	free(t);
}

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

/* Copy a scanned string into buf; NULL if absent or it does not fit. */
static const char *
str(const struct evstr *v, char *buf, size_t len)
{
	if (v->p == NULL)
		return NULL;
	if (!v->escaped) {
		if (v->len >= len)
			return NULL;
		memcpy(buf, v->p, v->len);
		buf[v->len] = '\0';
		return buf;
	}
	return evstr_copy(v, buf, len) < 0 ? NULL : buf;
}

/* Evidence from a third-party rule's metadata, prefix and classtype. */
static int
classify_third_party(const struct evscan *sc, enum evidence *ev)
{
	char buf[256];
	const char *s;
	size_t i, j;

	for (j = 0; j < sc->nm[M_META_TACTIC_ID]; j++) {
		if ((s = str(&sc->m[M_META_TACTIC_ID][j], buf, sizeof(buf))) ==
		    NULL)
			continue;
		for (i = 0; i < NELEM(tactics); i++) {
			if (strcasecmp(s, tactics[i].id) == 0) {
				*ev = tactics[i].ev;
				return 0;
			}
		}
	}
	for (j = 0; j < sc->nm[M_META_TACTIC_NAME]; j++) {
		if ((s = str(&sc->m[M_META_TACTIC_NAME][j], buf,
			 sizeof(buf))) == NULL)
			continue;
		for (i = 0; i < NELEM(tactics); i++) {
			if (strcasecmp(s, tactics[i].name) == 0) {
				*ev = tactics[i].ev;
				return 0;
			}
		}
	}
	if ((s = str(&sc->f[F_SIGNATURE], buf, sizeof(buf))) != NULL &&
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
	if ((s = str(&sc->f[F_CATEGORY], buf, sizeof(buf))) != NULL) {
		for (i = 0; i < NELEM(classtypes); i++) {
			if (strcmp(s, classtypes[i].category) == 0) {
				*ev = classtypes[i].ev;
				return 0;
			}
		}
	}
	return -1;
}

/* Whether a textual address is in home_net (parsed once, then matched). */
static int
in_home(const struct cfg *c, const char *addr)
{
	unsigned char a[16];
	int family;
	size_t i;

	if (addr == NULL)
		return 0;
	family = strchr(addr, ':') != NULL ? AF_INET6 : AF_INET;
	if (inet_pton(family, addr, a) != 1)
		return 0;
	for (i = 0; i < c->nhome_net; i++)
		if (cidr_match(&c->home_net[i], family, a))
			return 1;
	return 0;
}

/* Candidate indicator values of one type seen in the event. */
struct cand {
	const char *type;
	char value[512];
};

#define MAX_CANDS 24

/* Add a candidate if there is room and the value fits. */
static void
cand_add(struct cand *c, size_t *n, const char *type, const struct evstr *v,
    int domain)
{
	if (v->p == NULL || v->len == 0 || *n >= MAX_CANDS ||
	    str(v, c[*n].value, sizeof(c[*n].value)) == NULL)
		return;
	c[*n].type = type;
	if (domain)
		enrich_norm_domain(c[*n].value);
	else if (strcmp(type, "ip") == 0 && strchr(c[*n].value, ':') != NULL) {
		/* Suricata writes IPv6 in full: the index has it canonical */
		struct cidr a;

		if (cidr_parse(c[*n].value, &a, 0) == 0)
			cidr_format(&a, c[*n].value, sizeof(c[*n].value));
	}
	(*n)++;
}

/* Collect every indicator-like value the event carries. */
static size_t
collect_candidates(
    const struct evscan *sc, const struct cfg *cfg, struct cand *c)
{
	char src[64], dst[64];
	const char *s, *d;
	size_t n = 0, i;

	/* DNS: v2 alerts carry dns.query[].rrname; events dns.rrname. */
	for (i = 0; i < sc->nm[M_DNS_QUERY_RRNAME]; i++)
		cand_add(c, &n, "domain", &sc->m[M_DNS_QUERY_RRNAME][i], 1);
	cand_add(c, &n, "domain", &sc->f[F_DNS_RRNAME], 1);
	cand_add(c, &n, "domain", &sc->f[F_TLS_SNI], 1);
	if (sc->f[F_HTTP_HOSTNAME].p != NULL && sc->f[F_HTTP_URL].p != NULL &&
	    n < MAX_CANDS) {
		char url[512];

		if (str(&sc->f[F_HTTP_HOSTNAME], c[n].value, 256) != NULL &&
		    str(&sc->f[F_HTTP_URL], url, sizeof(url)) != NULL &&
		    strlen(c[n].value) + strlen(url) < sizeof(c[n].value)) {
			enrich_norm_domain(c[n].value);
			strcat(c[n].value, url);
			c[n].type = "url";
			n++;
		}
	}
	cand_add(c, &n, "domain", &sc->f[F_HTTP_HOSTNAME], 1);
	/* Addresses: the far end first (outside home_net), then the other. */
	s = str(&sc->f[F_SRC_IP], src, sizeof(src));
	d = str(&sc->f[F_DEST_IP], dst, sizeof(dst));
	if (in_home(cfg, s) && !in_home(cfg, d)) {
		cand_add(c, &n, "ip", &sc->f[F_DEST_IP], 0);
		cand_add(c, &n, "ip", &sc->f[F_SRC_IP], 0);
	} else {
		cand_add(c, &n, "ip", &sc->f[F_SRC_IP], 0);
		cand_add(c, &n, "ip", &sc->f[F_DEST_IP], 0);
	}
	for (i = 0; i < sc->nm[M_FILES_SHA256]; i++)
		cand_add(c, &n, "sha256", &sc->m[M_FILES_SHA256][i], 1);
	for (i = 0; i < sc->nm[M_FILES_SHA1]; i++)
		cand_add(c, &n, "sha1", &sc->m[M_FILES_SHA1][i], 1);
	for (i = 0; i < sc->nm[M_FILES_MD5]; i++)
		cand_add(c, &n, "md5", &sc->m[M_FILES_MD5][i], 1);
	cand_add(c, &n, "sha256", &sc->f[F_FILEINFO_SHA256], 1);
	cand_add(c, &n, "sha1", &sc->f[F_FILEINFO_SHA1], 1);
	cand_add(c, &n, "md5", &sc->f[F_FILEINFO_MD5], 1);
	cand_add(c, &n, "ja3", &sc->f[F_JA3_HASH], 1);
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

/* A growing output buffer. */
struct buf {
	char *s;
	size_t len, cap;
	int oom;
};

/* Append bytes. */
static void
put(struct buf *b, const char *s, size_t n)
{
	if (b->oom)
		return;
	if (b->len + n + 1 > b->cap) {
		size_t cap = (b->len + n + 1) * 2;
		char *ns = realloc(b->s, cap);

		if (ns == NULL) {
			b->oom = 1;
			return;
		}
		b->s = ns;
		b->cap = cap;
	}
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
}

#define PUTS(b, lit) put((b), (lit), sizeof(lit) - 1)

/* Append s as a JSON string (RFC 8259 escapes; s is valid UTF-8). */
static void
put_json_string(struct buf *b, const char *s)
{
	static const char hex[] = "0123456789abcdef";
	const char *run = s;

	put(b, "\"", 1);
	for (; *s != '\0'; s++) {
		unsigned char c = (unsigned char)*s;
		char esc[6] = {'\\', 'u', '0', '0', 0, 0};

		if (c >= 0x20 && c != '"' && c != '\\')
			continue;
		put(b, run, (size_t)(s - run));
		run = s + 1;
		if (c == '"' || c == '\\') {
			esc[1] = (char)c;
			put(b, esc, 2);
		} else {
			esc[4] = hex[c >> 4];
			esc[5] = hex[c & 15];
			put(b, esc, 6);
		}
	}
	put(b, run, (size_t)(s - run));
	put(b, "\"", 1);
}

/* Assemble the sankaku object into b. */
static void
build_object(const struct enrich_ctx *ctx, const struct enrich_out *out,
    const struct cand *ind, const struct idx_entry *hit, int extra_roles,
    struct buf *b)
{
	const struct enrich_tables *t = ctx->tables;
	size_t pi = isog_phase_index(out->phase), i, k;

	PUTS(b, "{\"id\":\"");
	put(b, out->id, 32);
	PUTS(b, "\",\"phase\":");
	put(b, t->phase[pi].s, t->phase[pi].len);
	PUTS(b, ",\"roles\":");
	if (!extra_roles)
		put(b, t->phase_roles[pi].s, t->phase_roles[pi].len);
	else {
		put(b, "[", 1);
		for (i = 0; i < out->nroles; i++) {
			const struct frag *f =
			    &t->role[isog_role_index(out->roles[i])];

			if (i > 0)
				put(b, ",", 1);
			put(b, f->s, f->len);
		}
		put(b, "]", 1);
	}
	PUTS(b, ",\"sources\":[");
	for (i = 0; i < out->nsources; i++) {
		k = (size_t)(out->sources[i] - ctx->cfg->sources);
		if (i > 0)
			put(b, ",", 1);
		put(b, t->source[k].s, t->source[k].len);
	}
	PUTS(b, "],\"kpi\":");
	for (k = 0; k < isog_nkpis(); k++)
		if (isog_kpi_at(k) == out->kpi)
			put(b, t->kpi[k].s, t->kpi[k].len);
	PUTS(b, ",\"evidence\":");
	put(b, t->evidence[out->evidence].s, t->evidence[out->evidence].len);
	if (ind != NULL) {
		PUTS(b, ",\"indicator\":{\"type\":");
		put_json_string(b, ind->type);
		PUTS(b, ",\"value\":");
		put_json_string(b, ind->value);
		if (hit != NULL && hit->published[0] != '\0' &&
		    strcmp(hit->published, "-") != 0 &&
		    evscan_text_ok(hit->published, strlen(hit->published))) {
			PUTS(b, ",\"published\":");
			put_json_string(b, hit->published);
		}
		put(b, "}", 1);
	}
	put(b, "}", 1);
}

/* Already enriched once (a replay): replace the member, re-serialise. */
static int
replace_object(const char *raw, size_t len, const char *obj, size_t objlen,
    size_t headroom, struct enrich_out *out)
{
	json_t *ev = json_loadb(raw, len, 0, NULL);
	json_t *o = json_loadb(obj, objlen, 0, NULL);
	char *text = NULL;
	int rv = -1;

	if (ev != NULL && o != NULL && json_object_set(ev, "sankaku", o) == 0 &&
	    (text = json_dumps(ev, JSON_COMPACT | JSON_PRESERVE_ORDER)) !=
		NULL) {
		out->len = strlen(text);
		if ((out->buf = malloc(headroom + out->len + 3)) != NULL) {
			out->json = out->buf + headroom;
			memcpy(out->json, text, out->len + 1);
			rv = 0;
		}
	}
	free(text);
	json_decref(ev);
	json_decref(o);
	return rv;
}

/* The first metadata value of kind m, as a C string in buf. */
static const char *
meta_first(const struct evscan *sc, enum evscan_multi m, char *buf, size_t len)
{
	return sc->nm[m] > 0 ? str(&sc->m[m][0], buf, len) : NULL;
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
	struct cand cands[MAX_CANDS];
	const struct cand *ind;
	const struct idx_entry *hit;
	const struct isog_phase *phase = NULL;
	const struct cfg_phase_roles *pr;
	enum enrich_status status = ENRICH_OK;
	struct buf b = {NULL, 0, 0, 0};
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
		/* A member name with escapes: let jansson decode the names,
		 * then read the fields from its compact text. */
		json_t *j = json_loadb(raw, len, JSON_REJECT_DUPLICATES, NULL);

		if (j == NULL)
			REJECT("bad-json", "duplicate member name");
		canon = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER);
		json_decref(j);
		if (canon == NULL)
			REJECT("oom", "out of memory");
		if (evscan(canon, strlen(canon), &sc2) != 0)
			REJECT("bad-json", "unreadable member names");
		/* splice on the original bytes */
		sc2.close_brace = sc.close_brace;
		sc2.root_members = sc.root_members;
		use = &sc2;
	}
	if (use->not_object)
		REJECT("not-object", "the event is not a JSON object");
	if (use->f[F_EVENT_TYPE].p == NULL)
		REJECT("missing-field", "event_type: missing or not a string");
	if (str(&use->f[F_EVENT_TYPE], out->event_type,
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
		if (classify_third_party(use, &out->evidence) != 0)
			out->evidence = EV_INDICATOR;
	}
	/* who started the flow: flow.src_ip if logged, else by direction */
	if (use->f[F_FLOW_SRC_IP].p != NULL) {
		cl = str(&use->f[F_FLOW_SRC_IP], client, sizeof(client));
		sv = str(&use->f[F_FLOW_DEST_IP], server, sizeof(server));
	} else if (evstr_eq(&use->f[F_DIRECTION], "to_client")) {
		cl = str(&use->f[F_DEST_IP], client, sizeof(client));
		sv = str(&use->f[F_SRC_IP], server, sizeof(server));
	} else {
		cl = str(&use->f[F_SRC_IP], client, sizeof(client));
		sv = str(&use->f[F_DEST_IP], server, sizeof(server));
	}
	app = str(&use->f[F_APP_PROTO], ap, sizeof(ap));
	if (out->evidence == EV_INDICATOR && in_home(cfg, cl) &&
	    (!in_home(cfg, sv) || (app != NULL && strcmp(app, "dns") == 0)))
		out->evidence = EV_COMPROMISE; /* inside reaching a listed
						  indicator */
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
	pr = &cfg->phase_roles[isog_phase_index(out->phase)];
	for (i = 0; i < pr->nroles; i++)
		add_role(out, pr->roles[i]);
	nphase_roles = out->nroles;
	for (i = 0; i < use->nm[M_META_ROLE]; i++)
		if ((s = str(&use->m[M_META_ROLE][i], b2, sizeof(b2))) != NULL)
			add_role(out, isog_role_find(s));

	/* 3. The indicator seen and every source that supplied it. */
	hint = meta_first(use, M_META_IOC_TYPE, b1, sizeof(b1));
	ncands = collect_candidates(use, cfg, cands);
	ind = pick_indicator(ctx, cands, ncands, hint, app, &hit);
	if (cfg->nsources > 0 &&
	    (out->sources = calloc(cfg->nsources, sizeof(*out->sources))) ==
		NULL)
		REJECT("oom", "out of memory");
	if (hit != NULL)
		add_source_list(cfg, out, hit->sources);
	else
		for (i = 0; i < use->nm[M_META_SOURCE]; i++)
			if ((s = str(&use->m[M_META_SOURCE][i], b2,
				 sizeof(b2))) != NULL)
				add_source(cfg, out, s, strlen(s));

	/* 4. The enriched alert: the original bytes, then the object. */
	if (use->has_sankaku) {
		build_object(
		    ctx, out, ind, hit, out->nroles != nphase_roles, &b);
		if (b.oom ||
		    replace_object(raw, len, b.s, b.len, ctx->headroom, out) !=
			0)
			REJECT("oom", "out of memory");
		goto done;
	}
	/* one buffer: headroom for the caller's framing, the original
	 * bytes, the object (about 2 KB), room after */
	b.cap = ctx->headroom + len + 4096;
	if ((b.s = malloc(b.cap)) == NULL)
		REJECT("oom", "out of memory");
	b.len = ctx->headroom;
	put(&b, raw, use->close_brace);
	if (use->root_members > 0)
		put(&b, ",", 1);
	PUTS(&b, "\"sankaku\":");
	build_object(ctx, out, ind, hit, out->nroles != nphase_roles, &b);
	put(&b, "}", 1);
	put(&b, "\r\n", 2); /* room after the document */
	if (b.oom)
		REJECT("oom", "out of memory");
	out->buf = b.s;
	out->json = b.s + ctx->headroom;
	out->len = b.len - ctx->headroom - 2;
	out->json[out->len] = '\0';
	b.s = NULL;
done:
	free(b.s);
	free(canon);
	return status;
}

/* Free what enrich_event allocated. */
void
enrich_out_free(struct enrich_out *out)
{
	free(out->buf);
	free(out->sources);
	out->buf = NULL;
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

		if (enc == NULL) {
			json_decref(o);
			return NULL;
		}
		b64_encode(raw, len, enc);
		json_object_set_new(o, "raw_base64", json_string(enc));
		free(enc);
	}
	s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(o);
	if (s != NULL && outlen != NULL)
		*outlen = strlen(s);
	return s;
}
