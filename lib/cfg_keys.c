/*
 * cfg_keys.c: every scalar key of sankaku.json (name, type, default,
 * bounds, help) and the structured ones, as tables; config.c reads a
 * file by them, --help-config prints them (cfg_describe).
 */

#include <limits.h>
#include <stddef.h>
#include <stdio.h>

#include "cfg_keys.h"
#include "config.h"

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
const struct cfg_key cfg_keys[] = {
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
    {"desk.dedup_window_s", T_INT, O(desk_dedup_window_s), NULL, 3600, 60,
	172800, NULL,
	"an alert stored twice (a daemon killed between storing and "
	"acknowledging) is counted once when the copy comes within this "
	"long; Redis keeps about two windows of alert ids (88 bytes each)"},
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

const size_t cfg_nkeys = sizeof(cfg_keys) / sizeof(cfg_keys[0]);

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
    {"desk.notify", "array", "[]",
	"team chats (incoming webhooks) told when an incident opens or "
	"reaches another phase: {url_file (its URL, a secret, alone in a "
	"file), teams, lang (ja, en), link (the console), ca_file}"},
    {"sources", "array (required)", "-",
	"indicator sources: id, name, triangle, tlp, red, feeds[{path, "
	"format; csv: type, columns, encoding; sankaku-fetch: url, fetch "
	"(get, taxii, misp, misp-feed), key_file, key_header, ca_file, "
	"client_cert, client_key, query, days}], "
	"misp_url, "
	"misp_key_file, misp_ca_file"},
};

/* Print the key table. */
void
cfg_describe(void *stream)
{
	FILE *f = stream;
	size_t i;

	for (i = 0; i < cfg_nkeys; i++) {
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
