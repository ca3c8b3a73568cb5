/*
 * config.c: the configuration as a table of keys (name, type, default,
 * bounds, help), plus the structured keys (sources, home_net, mapping,
 * phase_roles) that need their own checks.  Every error names the file and
 * the key: "FILE: KEY: reason".
 */

#include <sys/stat.h>

#include <errno.h>
#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <jansson.h>

#include "cfg_parse.h"
#include "config.h"

/* T_CHOICE: a string among choices, kept as the choice's enum value. */
enum cfg_type { T_STR, T_INT, T_BOOL, T_CHOICE };

struct cfg_choice {
	const char *name;
	int value;
};

struct cfg_key {
	const char *name; /* dotted path */
	enum cfg_type type;
	size_t offset;
	const char *def_str;
	long def_int;
	long min, max;
	/* T_STR: the allowed values, or NULL; T_CHOICE: the values kept */
	const struct cfg_choice *choices;
	const char *help;
};

static const struct cfg_choice modes[] = {
    {"list", INPUT_LIST}, {"stream", INPUT_STREAM}, {NULL, 0}};
static const struct cfg_choice pushes[] = {
    {"lpush", PUSH_LPUSH}, {"rpush", PUSH_RPUSH}, {NULL, 0}};
static const struct cfg_choice forms[] = {
    {"full", FORM_FULL}, {"compact", FORM_COMPACT}, {NULL, 0}};
static const struct cfg_choice acks[] = {
    {"chunk", ACKS_CHUNK}, {"each", ACKS_EACH}, {NULL, 0}};
static const struct cfg_choice levels[] = {
    {"error", 0}, {"warn", 0}, {"info", 0}, {"debug", 0}, {NULL, 0}};

#define O(f) offsetof(struct cfg, f)
/* Scalar keys.  Strings default to def_str (NULL: computed, see below). */
static const struct cfg_key cfg_keys[] = {
    {"redis", T_STR, O(redis), "redis://127.0.0.1:6379", 0, 0, 0, NULL,
	"Redis address: redis://[[user]:password@]host[:port][/db] or "
	"unix:///path.sock"},
    {"redis_password_file", T_STR, O(redis_password_file), "", 0, 0, 0, NULL,
	"file holding the Redis password (first line), instead of the "
	"URL's; relative: to $CREDENTIALS_DIRECTORY (systemd "
	"LoadCredential=) when set, else to the config file"},
    {"redis_timeout_ms", T_INT, O(redis_timeout_ms), NULL, 30000, 1000, 3600000,
	NULL,
	"a Redis link whose commands go unanswered this long is dropped and "
	"made again (a Redis that stopped answering, a connection left "
	"without replies); longer than input.block_ms"},
    {"redis_require_noeviction", T_BOOL, O(require_noeviction), NULL, 0, 0, 1,
	NULL,
	"refuse to consume while Redis's maxmemory-policy is allkeys-* "
	"(Redis would evict stored alerts and taken batches); false: log it "
	"as an error and report it in sankaku_redis_eviction_safe"},
    {"consumer", T_STR, O(consumer), NULL, 0, 0, 0, NULL,
	"this daemon's name among those sharing the input (default: host "
	"name); restarted under the same name it first finishes what its "
	"predecessor had taken"},
    {"log_level", T_STR, O(log_level), "info", 0, 0, 0, levels,
	"error, warn, info or debug (debug logs every alert)"},
    {"input.key", T_STR, O(input_key), "suricata", 0, 0, 0, NULL,
	"the list (or stream) Suricata's EVE redis output writes to"},
    {"input.mode", T_CHOICE, O(input_mode), "list", 0, 0, 0, modes,
	"list (Suricata 7 mode: list or rpush) or stream (Suricata 8)"},
    {"input.push", T_CHOICE, O(input_push), "lpush", 0, 0, 0, pushes,
	"how Suricata fills the list: lpush (its mode: list, the default) "
	"or rpush (its mode: rpush); sankakud consumes oldest first"},
    {"input.batch", T_INT, O(batch), NULL, 256, 1, 10000, NULL,
	"events taken from Redis per round trip"},
    {"input.inflight", T_INT, O(inflight), NULL, 8, 1, CFG_INFLIGHT_MAX, NULL,
	"batches taken but not yet stored, at most"},
    {"input.claim_idle_ms", T_INT, O(claim_idle_ms), NULL, 60000, 1000,
	86400000, NULL,
	"stream mode: idle time before another consumer's pending entry "
	"is claimed"},
    {"input.max_event_bytes", T_INT, O(max_event_bytes), NULL, 1048576, 256,
	64L * 1024 * 1024, NULL,
	"larger events are dead-lettered with reason too-large"},
    {"input.block_ms", T_INT, O(block_ms), NULL, 1000, 10, 60000, NULL,
	"how long one blocking wait on an empty input lasts"},
    {"output.prefix", T_STR, O(prefix), "sankaku:", 0, 0, 0, NULL,
	"prefix of every key and channel sankakud writes"},
    {"output.stream", T_STR, O(stream), NULL, 0, 0, 0, NULL,
	"stream of enriched alerts (default: PREFIX + \"alerts\")"},
    {"output.stream_maxlen", T_INT, O(stream_maxlen), NULL, 1000000, 0,
	LONG_MAX, NULL, "approximate MAXLEN of the stream; 0 keeps everything"},
    {"output.deadletter", T_STR, O(deadletter), NULL, 0, 0, 0, NULL,
	"list of rejected input (default: PREFIX + \"deadletter\")"},
    {"output.deadletter_max_bytes", T_INT, O(deadletter_max_bytes), NULL,
	256L << 20, 1L << 20, LONG_MAX, NULL,
	"bytes of dead letters kept at most; past it, dead letters are "
	"counted (sankaku_deadletter_overflow_total) and not kept"},
    {"output.deadletter_warn", T_INT, O(deadletter_max), NULL, 100000, 1,
	LONG_MAX, NULL,
	"log and report when the dead-letter list is this "
	"long"},
    {"output.acks", T_CHOICE, O(acks), "each", 0, 0, 0, acks,
	"how sankakud learns that Redis stored a chunk's alerts: each (one "
	"reply per XADD: the least privilege) or chunk (its XADDs go out "
	"under CLIENT REPLY OFF and one INFO commandstats reading shows that "
	"all of them ran: ~17% less Redis CPU per alert; needs Redis 7 and, "
	"with ACLs, +client|reply +info; falls back to each where Redis "
	"cannot answer it)"},
    {"output.form", T_CHOICE, O(form), "full", 0, 0, 0, forms,
	"the stream's entries: full (names of phases, roles and sources in "
	"Japanese and English inline) or compact (codes and ids; names in "
	"the reference document PREFIX + \"reference:\" + sankaku.ref, "
	"written by sankakud: half the bytes per entry)"},
    {"output.channel_form", T_CHOICE, O(channel_form), "full", 0, 0, 0, forms,
	"the messages published on the channels: full or compact (with "
	"output.form compact and channel_form full, an alert is rendered "
	"twice while anybody listens)"},
    {"output.acks_pause_ms", T_INT, O(acks_pause_ms), NULL, 60000, 1000,
	86400000, NULL,
	"acks chunk: after three chunk checks in a row failed (XADDs "
	"refused or failing, ours or another client's), every XADD is "
	"acknowledged for this long before checking per chunk again"},
    {"output.publish", T_BOOL, O(publish), NULL, 1, 0, 1, NULL,
	"PUBLISH each enriched alert on the alerts, phase, role and source "
	"channels"},
    {"index", T_STR, O(index_path), "", 0, 0, 0, NULL,
	"indicator index written by sankaku-rules (relative to the config "
	"file); empty: none, sources then come from rule metadata only"},
    {"metrics.listen", T_STR, O(metrics_listen), "127.0.0.1:9750", 0, 0, 0,
	NULL, "host:port of /metrics and /healthz; empty disables"},
    {"metrics.max_connections", T_INT, O(metrics_max_conns), NULL, 64, 1, 4096,
	NULL,
	"open HTTP connections at most; beyond, accepting pauses until some "
	"close (idle ones after 10 s)"},
    {"rules.sid_base", T_INT, O(sid_base), NULL, 1860000, 1000000, 1990000,
	NULL,
	"first SID of the rules sankaku-rules writes one per indicator type "
	"and evidence kind; it uses at most 1000 from there"},
    {"rules.sid_hashed_base", T_INT, O(sid_hashed_base), NULL, 1000000000,
	1000000, 4294967295L - (1L << 24), NULL,
	"first of the 16777216 SIDs of the rules that group indicators by "
	"port or by address block: each rule's SID is a hash of what it "
	"holds, so it stays the same from run to run"},
    {"rules.widest_prefix_v4", T_INT, O(widest_prefix_v4), NULL, 8, 0, 32, NULL,
	"IPv4 prefixes shorter than this (wider) are not deployed "
	"(prefix-too-wide): 0.0.0.0/0 would alert on every flow"},
    {"rules.widest_prefix_v6", T_INT, O(widest_prefix_v6), NULL, 32, 0, 128,
	NULL, "the same for IPv6"},
    {"rules.shipped", T_STR, O(rules_shipped), "", 0, 0, 0, NULL,
	"a directory of hand-written rules (*.rules) whose reference:cve "
	"and sankaku_vuln metadata say which CVEs they detect, for "
	"sankaku-cves.json; relative to the config file"},
    {"rules.suppress", T_STR, O(rules_suppress), "", 0, 0, 0, NULL,
	"the indicators the analysts judged false positives, which "
	"sankaku-rules leaves out (sankaku-desk writes it); \"\": "
	"sankaku-suppress.json in the output directory; relative to the "
	"config file"},
    {"desk.listen", T_STR, O(desk_listen), "127.0.0.1:9760", 0, 0, 0, NULL,
	"sankaku-desk: the API, the console, /metrics and /healthz "
	"(host:port or [v6]:port)"},
    {"desk.redis", T_STR, O(desk_redis), "", 0, 0, 0, NULL,
	"sankaku-desk's own Redis address (its ACL user: see sankaku-acl); "
	"\"\": the top-level redis"},
    {"desk.redis_password_file", T_STR, O(desk_redis_password_file), "", 0, 0,
	0, NULL, "with desk.redis: its password, as redis_password_file"},
    {"desk.min_verdicts", T_INT, O(desk_min_verdicts), NULL, 10, 1, 100000,
	NULL,
	"a source's measured accuracy or coverage is given from this "
	"many samples on; below, \"not enough data\""},
    {"desk.verdict_window_days", T_INT, O(desk_verdict_window_days), NULL, 90,
	1, 3650, NULL,
	"the sources are measured on incidents closed this recently"},
    {"desk.sightings_dir", T_STR, O(desk_sightings_dir), "", 0, 0, 0, NULL,
	"every desk.sightings_interval_s, each source's sightings written "
	"there as SOURCE.stix.json and SOURCE.misp.json for the sharing "
	"tool; \"\": none; relative to the config file"},
    {"desk.sightings_interval_s", T_INT, O(desk_sightings_interval_s), NULL,
	3600, 10, 604800, NULL, "how often"},
    {"desk.identity", T_STR, O(desk_identity), "", 0, 0, 0, NULL,
	"our name in the sightings sent back to the sources (a STIX "
	"identity, MISP's \"source\"); \"\": anonymous"},
    {"desk.suppress_after", T_INT, O(desk_suppress_after), NULL, 3, 1, 1000,
	NULL,
	"an indicator judged false (false-positive, benign) this many times "
	"in the window, and never true, is left out of the rules at the "
	"next refresh"},
    {"desk.accuracy_floor_pct", T_INT, O(desk_accuracy_floor_pct), NULL, 0, 0,
	100, NULL,
	"a source whose measured accuracy (with enough data) falls below "
	"this percentage needs a second source: at the next refresh "
	"sankaku-rules deploys only its indicators another source also "
	"lists (reason second-source); 0: never"},
    {"desk.suppress_days", T_INT, O(desk_suppress_days), NULL, 30, 1, 365, NULL,
	"for this many days after its latest false verdict"},
    {"desk.suppress_file", T_STR, O(desk_suppress_file), "", 0, 0, 0, NULL,
	"where the desk writes them for sankaku-rules (rules.suppress); "
	"\"\": sankaku-suppress.json beside the index"},
    {"desk.consumer", T_STR, O(desk_consumer), "desk", 0, 0, 0, NULL,
	"sankaku-desk's name in the consumer group \"desk\" of the stream "
	"(one desk per Redis: the single writer of incidents)"},
    {"desk.users_file", T_STR, O(desk_users_file), "desk-users.json", 0, 0, 0,
	NULL,
	"the desk's users and their tokens' SHA-256 (sankaku-desk "
	"--add-user appends to it), relative to the config file"},
    {"desk.cves", T_STR, O(desk_cves), "", 0, 0, 0, NULL,
	"the vulnerabilities sankaku-rules found in the feeds "
	"(sankaku-cves.json; \"\": beside the index)"},
    {"desk.window_s", T_INT, O(desk_window_s), NULL, 86400, 60, 31536000, NULL,
	"an alert joins its host's open incident when that incident saw "
	"activity this recently; otherwise a new incident opens"},
    {"desk.retention_days", T_INT, O(desk_retention_days), NULL, 90, 1, 3650,
	NULL, "closed incidents are kept this long"},
    {"desk.max_body_bytes", T_INT, O(desk_max_body), NULL, 16384, 1024, 1048576,
	NULL, "the largest request body the API accepts"},
    {"desk.max_connections", T_INT, O(desk_max_conns), NULL, 256, 1, 4096, NULL,
	"HTTP connections served at once (event streams included)"},
    {"desk.session_ttl_s", T_INT, O(desk_session_ttl_s), NULL, 43200, 60,
	604800, NULL,
	"a console session ends after this long without a request (the "
	"open console asks every 10 minutes)"},
    {"output.red_stream", T_STR, O(red_stream), NULL, 0, 0, 0, NULL,
	"stream and channel of TLP:RED alerts, which go nowhere else "
	"(default: PREFIX + \"red:alerts\")"},
};
#undef O

/* Structured keys, described for --help-config. */
static const struct {
	const char *name, *type, *def, *help;
} cfg_struct_keys[] = {
    {"home_net", "array of CIDR",
	"[\"10.0.0.0/8\", \"172.16.0.0/12\", \"192.168.0.0/16\", "
	"\"fc00::/7\"]",
	"the protected network: an indicator hit from inside towards "
	"outside is a sign of compromise"},
    {"mapping", "object", "see sankaku.json(5)",
	"evidence kind -> {\"phase\": id, \"kpi\": id}; kinds: "
	"vulnerability, recon, policy, indicator, attack-attempt, blocked, "
	"compromise"},
    {"phase_roles", "object", "the textbook's who-per-phase",
	"phase id -> array of role codes that must act in that phase"},
    {"sources", "array (required)", "-",
	"indicator sources: id, name, triangle, tlp, feeds[{path, "
	"format}]"},
};

/* The choice named s, or NULL. */
static const struct cfg_choice *
choice_find(const char *s, const struct cfg_choice *choices)
{
	for (; choices->name != NULL; choices++)
		if (strcmp(s, choices->name) == 0)
			return choices;
	return NULL;
}

/* Find the scalar key by dotted name. */
static const struct cfg_key *
key_find(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(cfg_keys) / sizeof(cfg_keys[0]); i++)
		if (strcmp(cfg_keys[i].name, name) == 0)
			return &cfg_keys[i];
	return NULL;
}

/* Store one scalar value from JSON v into c; 0 or -1 with err. */
static int
set_scalar(struct cfg *c, const struct cfg_key *k, json_t *v, const char *path,
    char *err, size_t errlen)
{
	char *base = (char *)c;

	switch (k->type) {
	case T_STR:
	case T_CHOICE: {
		const struct cfg_choice *ch = NULL;
		const char *s;

		if (!json_is_string(v))
			ERR("%s: must be a string", k->name);
		s = json_string_value(v);
		if (strlen(s) != json_string_length(v))
			ERR("%s: must not contain NUL", k->name);
		if (k->choices != NULL &&
		    (ch = choice_find(s, k->choices)) == NULL)
			ERR("%s: '%s' is not one of the allowed values",
			    k->name, s);
		if (k->type == T_CHOICE) {
			*(int *)(base + k->offset) = ch->value;
			return 0;
		}
		if ((strcmp(k->name, "input.key") == 0 ||
			strcmp(k->name, "output.stream") == 0 ||
			strcmp(k->name, "output.deadletter") == 0 ||
			strcmp(k->name, "consumer") == 0) &&
		    s[0] == '\0')
			ERR("%s: must not be empty", k->name);
		free(*(char **)(base + k->offset));
		if ((*(char **)(base + k->offset) = strdup(s)) == NULL)
			ERR("%s: out of memory", k->name);
		return 0;
	}
	case T_INT: {
		json_int_t n;

		if (!json_is_integer(v))
			ERR("%s: must be an integer", k->name);
		n = json_integer_value(v);
		if (n < k->min || n > k->max)
			ERR("%s: %lld is out of range [%ld, %ld]", k->name,
			    (long long)n, k->min, k->max);
		*(long *)(base + k->offset) = (long)n;
		return 0;
	}
	case T_BOOL:
		if (!json_is_boolean(v))
			ERR("%s: must be true or false", k->name);
		*(int *)(base + k->offset) = json_is_true(v);
		return 0;
	}
fail:
	return -1;
}

/* Fill defaults for everything; structured defaults included. */
static int
set_defaults(struct cfg *c)
{
	size_t i;
	char host[256];

	for (i = 0; i < sizeof(cfg_keys) / sizeof(cfg_keys[0]); i++) {
		const struct cfg_key *k = &cfg_keys[i];

		if (k->type == T_STR && k->offset != 0 && k->def_str != NULL) {
			if ((*(char **)((char *)c + k->offset) =
				    strdup(k->def_str)) == NULL)
				return -1;
		} else if (k->type == T_INT)
			*(long *)((char *)c + k->offset) = k->def_int;
		else if (k->type == T_BOOL)
			*(int *)((char *)c + k->offset) = (int)k->def_int;
		else if (k->type == T_CHOICE)
			*(int *)((char *)c + k->offset) =
			    choice_find(k->def_str, k->choices)->value;
	}
	if (gethostname(host, sizeof(host)) != 0 || host[0] == '\0')
		strcpy(host, "sankakud");
	host[sizeof(host) - 1] = '\0';
	if ((c->consumer = strdup(host)) == NULL)
		return -1;
	if (cfg_model_defaults(c) != 0)
		return -1;
	cfg_org_defaults(c);
	return 0;
}

/* Walk one level of keys; prefix is "" or "input." etc. */
static int
parse_level(struct cfg *c, json_t *obj, const char *prefix, const char *path,
    char *err, size_t errlen)
{
	const char *k;
	json_t *v;
	char name[128];

	json_object_foreach (obj, k, v) {
		const struct cfg_key *ck;

		snprintf(name, sizeof(name), "%s%s", prefix, k);
		if (prefix[0] == '\0') {
			if (strcmp(k, "sources") == 0)
				continue; /* parsed after the rest */
			if (strcmp(k, "home_net") == 0) {
				if (cfg_parse_home_net(c, v, path, err, errlen))
					return -1;
				continue;
			}
			if (strcmp(k, "mapping") == 0) {
				if (cfg_parse_mapping(c, v, path, err, errlen))
					return -1;
				continue;
			}
			if (strcmp(k, "organisation") == 0) {
				if (cfg_parse_org(c, v, path, err, errlen))
					return -1;
				continue;
			}
			if (strcmp(k, "phase_roles") == 0) {
				if (cfg_parse_phase_roles(
					c, v, path, err, errlen))
					return -1;
				continue;
			}
			if (strcmp(k, "input") == 0 ||
			    strcmp(k, "output") == 0 ||
			    strcmp(k, "metrics") == 0 ||
			    strcmp(k, "rules") == 0 || strcmp(k, "desk") == 0) {
				char sub[64];

				if (!json_is_object(v))
					ERR("%s: must be an object", k);
				snprintf(sub, sizeof(sub), "%s.", k);
				if (parse_level(c, v, sub, path, err, errlen))
					return -1;
				continue;
			}
			if (k[0] == '_' || strcmp(k, "comment") == 0)
				continue; /* room for comments in JSON */
		}
		if ((ck = key_find(name)) == NULL)
			ERR("%s: unknown key", name);
		if (set_scalar(c, ck, v, path, err, errlen) != 0)
			return -1;
	}
	return 0;
fail:
	return -1;
}

/* A path key relative to the config file, made absolute ("" stays). */
static int
cfg_resolve_in_place(const char *path, char **p)
{
	char *r;

	if ((*p)[0] == '\0')
		return 0;
	if ((r = cfg_resolve_path(path, *p)) == NULL)
		return -1;
	free(*p);
	*p = r;
	return 0;
}

/* Concatenate two strings into a new one. */
static char *
concat(const char *a, const char *b)
{
	char *s = malloc(strlen(a) + strlen(b) + 1);

	if (s != NULL) {
		strcpy(s, a);
		strcat(s, b);
	}
	return s;
}

/* Parse a config held in memory. */
struct cfg *
cfg_parse(
    const char *path, const char *text, size_t len, char *err, size_t errlen)
{
	struct cfg *c;
	json_t *root = NULL, *sources;
	json_error_t jerr;
	size_t i;

	if ((c = calloc(1, sizeof(*c))) == NULL) {
		snprintf(err, errlen, "%s: out of memory", path);
		return NULL;
	}
	if ((c->path = strdup(path)) == NULL || set_defaults(c) != 0)
		ERR("out of memory");
	root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
	if (root == NULL) {
		/* jansson quotes the token it stopped at ("near '...'"),
		 * which may be a password: line and column say enough */
		char *near = strstr(jerr.text, " near '");

		if (near != NULL)
			*near = '\0';
		ERR("line %d column %d: %s", jerr.line, jerr.column, jerr.text);
	}
	if (!json_is_object(root))
		ERR("the top level must be an object");
	if (parse_level(c, root, "", path, err, errlen) != 0)
		goto fail;
	if (c->stream == NULL &&
	    (c->stream = concat(c->prefix, "alerts")) == NULL)
		ERR("out of memory");
	if (c->deadletter == NULL &&
	    (c->deadletter = concat(c->prefix, "deadletter")) == NULL)
		ERR("out of memory");
	if (c->red_stream == NULL &&
	    (c->red_stream = concat(c->prefix, "red:alerts")) == NULL)
		ERR("out of memory");
	if (c->index_path[0] != '\0') {
		char *r = cfg_resolve_path(path, c->index_path);

		if (r == NULL)
			ERR("out of memory");
		free(c->index_path);
		c->index_path = r;
	}
	if (cfg_resolve_in_place(path, &c->rules_shipped) != 0 ||
	    cfg_resolve_in_place(path, &c->rules_suppress) != 0 ||
	    cfg_resolve_in_place(path, &c->desk_suppress_file) != 0 ||
	    cfg_resolve_in_place(path, &c->desk_sightings_dir) != 0 ||
	    cfg_resolve_in_place(path, &c->desk_users_file) != 0 ||
	    cfg_resolve_in_place(path, &c->desk_cves) != 0)
		ERR("out of memory");
	if (cfg_check(c, path, err, errlen) != 0)
		goto fail;
	if ((sources = json_object_get(root, "sources")) == NULL)
		ERR("sources: missing (an array of indicator sources)");
	if (!json_is_array(sources))
		ERR("sources: must be an array");
	if (json_array_size(sources) > 0) {
		c->sources =
		    calloc(json_array_size(sources), sizeof(*c->sources));
		if (c->sources == NULL)
			ERR("out of memory");
	}
	for (i = 0; i < json_array_size(sources); i++) {
		c->nsources = i + 1;
		if (cfg_parse_source(c, i, json_array_get(sources, i), path,
			err, errlen) != 0)
			goto fail;
	}
	json_decref(root);
	return c;
fail:
	json_decref(root);
	cfg_free(c);
	return NULL;
}

/* Read the file and parse it. */
struct cfg *
cfg_load(const char *path, char *err, size_t errlen)
{
	FILE *f;
	char *buf = NULL;
	size_t len = 0, cap = 0, n;
	struct cfg *c;

	if ((f = fopen(path, "r")) == NULL) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return NULL;
	}
	for (;;) {
		if (len + 4096 > cap) {
			char *nb;

			cap = cap != 0 ? cap * 2 : 8192;
			if (cap > 16 * 1024 * 1024 ||
			    (nb = realloc(buf, cap)) == NULL) {
				snprintf(err, errlen, "%s: too large", path);
				free(buf);
				fclose(f);
				return NULL;
			}
			buf = nb;
		}
		n = fread(buf + len, 1, cap - len, f);
		len += n;
		if (n == 0)
			break;
	}
	if (ferror(f)) {
		snprintf(err, errlen, "%s: read error", path);
		free(buf);
		fclose(f);
		return NULL;
	}
	fclose(f);
	c = cfg_parse(path, buf, len, err, errlen);
	free(buf);
	return c;
}

/* Free a config and everything it owns. */
void
cfg_free(struct cfg *c)
{
	size_t i, j;

	if (c == NULL)
		return;
	for (i = 0; i < sizeof(cfg_keys) / sizeof(cfg_keys[0]); i++)
		if (cfg_keys[i].type == T_STR && cfg_keys[i].offset != 0)
			free(*(char **)((char *)c + cfg_keys[i].offset));
	free(c->path);
	free(c->home_net);
	for (i = 0; i < sizeof(c->phase_roles) / sizeof(c->phase_roles[0]); i++)
		free(c->phase_roles[i].roles);
	for (i = 0; i < EV_MAX; i++)
		free(c->evmap[i].roles.roles);
	for (i = 0; i < c->nsources; i++) {
		for (j = 0; j < c->sources[i].nfeeds; j++) {
			struct cfg_feed *f = &c->sources[i].feeds[j];
			size_t k;

			free(f->path);
			free(f->format);
			free(f->type);
			for (k = 0; k < FCOL_MAX; k++)
				free(f->col_name[k]);
		}
		free(c->sources[i].feeds);
		free(c->sources[i].id);
		free(c->sources[i].name);
		free(c->sources[i].tlp);
		free(c->sources[i].misp_url);
		free(c->sources[i].misp_key_file);
		free(c->sources[i].misp_ca_file);
	}
	free(c->sources);
	cfg_org_free(c);
	free(c);
}

/* Find a configured source by id. */
const struct cfg_source *
cfg_source_find(const struct cfg *c, const char *id)
{
	size_t i;

	for (i = 0; i < c->nsources; i++)
		if (strcmp(c->sources[i].id, id) == 0)
			return &c->sources[i];
	return NULL;
}

/* Print the key table. */
void
cfg_describe(void *stream)
{
	FILE *f = stream;
	size_t i;

	for (i = 0; i < sizeof(cfg_keys) / sizeof(cfg_keys[0]); i++) {
		const struct cfg_key *k = &cfg_keys[i];

		if (k->type == T_STR || k->type == T_CHOICE)
			fprintf(f, "%-24s string  default %s\n    %s\n",
			    k->name,
			    k->def_str != NULL ? k->def_str : "(computed)",
			    k->help);
		else if (k->type == T_INT)
			fprintf(f,
			    "%-24s integer default %ld [%ld, %ld]\n    %s\n",
			    k->name, k->def_int, k->min, k->max, k->help);
		else
			fprintf(f, "%-24s boolean default %s\n    %s\n",
			    k->name, k->def_int ? "true" : "false", k->help);
	}
	for (i = 0; i < sizeof(cfg_struct_keys) / sizeof(cfg_struct_keys[0]);
	     i++)
		fprintf(f, "%-24s %s default %s\n    %s\n",
		    cfg_struct_keys[i].name, cfg_struct_keys[i].type,
		    cfg_struct_keys[i].def, cfg_struct_keys[i].help);
}
