/*
 * config.h: sankaku's JSON configuration (see etc/sankaku.json and
 * sankaku.json(5)).  Loading is pure apart from reading the file: it never
 * touches Redis or the event loop, so a reload can build a fresh config and
 * throw it away if it does not validate.
 */
#ifndef SANKAKU_CONFIG_H
#define SANKAKU_CONFIG_H

#include <stddef.h>

#include "cidr.h"
#include "isog.h"
#include "isog_flow.h"
#include "tlp.h"

/* Choices of the config, kept as these values (config.c's tables). */
enum input_mode { INPUT_LIST, INPUT_STREAM };
enum input_push { PUSH_LPUSH, PUSH_RPUSH };
enum output_acks { ACKS_CHUNK, ACKS_EACH };
enum output_form { FORM_FULL, FORM_COMPACT };

/* The most batches in flight at once (input.inflight). */
#define CFG_INFLIGHT_MAX 64

/* Columns a CSV feed's entry may name (feeds[].columns). */
enum feed_col {
	FCOL_TYPE,
	FCOL_VALUE,
	FCOL_PORT,
	FCOL_PUBLISHED,
	FCOL_VALID_UNTIL,
	FCOL_EVIDENCE,
	FCOL_TLP,
	FCOL_TO_IDS,
	FCOL_NAME,
	FCOL_REF,
	FCOL_MAX
};

/* "type", "value", ... */
const char *cfg_feed_col_name(enum feed_col);

/* How sankaku-fetch gets a feed (feeds[].fetch). */
enum feed_fetch {
	FETCH_GET,	 /* the whole file, unless unchanged since the last */
	FETCH_TAXII,	 /* a TAXII 2.1 collection's objects, every page */
	FETCH_MISP,	 /* a MISP restSearch, POSTed */
	FETCH_MISP_FEED, /* a MISP feed: its manifest, the events changed */
};

struct cfg_feed {
	char *path;   /* resolved against the config file's directory */
	char *format; /* "stix2", "misp", "csv" */
	char *type;   /* csv: the type of every row, or NULL */
	/* csv: the file's character set, converted to UTF-8 before it is
	 * read ("shift_jis", "cp932", "euc-jp"); NULL: UTF-8 */
	char *encoding;
	char *col_name[FCOL_MAX]; /* csv: the header naming it, or NULL */
	int col_num[FCOL_MAX];	  /* csv: its 1-based number, or 0 */
	/* sankaku-fetch: where the file comes from (an https:// URL, or
	 * NULL: the site puts it there), how, the file holding the
	 * key's header value ("": none) and the CA of the
	 * server's certificate ("": the system's); paths resolved */
	char *url;
	enum feed_fetch fetch;
	char *key_file, *ca_file;
	char *key_header; /* the key's header: "Authorization" by default */
	char *client_cert, *client_key; /* TLS client certificate, or "" */
	char *query; /* fetch misp: the restSearch body, or NULL: ours */
	int days;    /* fetch misp-feed: the events changed in so many days */
};

struct cfg_source {
	char *id;
	char *name;
	char *tlp; /* lower case: clear, green, amber, amber+strict, red */
	enum tlp tlp_level;
	int red_deploy; /* "red": "deploy": TLP:RED indicators go to sensors */
	/* the desk's push of sightings to the source's MISP instance: its
	 * https:// URL ("": none), the file holding its API key, and a CA
	 * file ("": the system's trust store); paths resolved */
	char *misp_url, *misp_key_file, *misp_ca_file;
	const struct isog_triangle *triangle;
	struct cfg_feed *feeds;
	size_t nfeeds;
};

#define CFG_MAX_ROLES 64 /* >= isog_nroles() */
#define CFG_MAX_TEAMS 64

/* organisation.teams[]: who holds which roles. */
struct cfg_team {
	char *id;
	char *name_ja, *name_en;
	int outsource;			    /* sourcing: "outsource" */
	unsigned char holds[CFG_MAX_ROLES]; /* by isog_role_index */
};

struct cfg_org {
	const struct isog_pattern *pattern; /* NULL: not said */
	struct cfg_team *teams;
	size_t nteams;
	signed char maturity[CFG_MAX_ROLES]; /* ISOMM 0-5; -1 not scored */
};

/* desk.notify[]: a team chat's incoming webhook (Slack, Mattermost,
 * Teams, Rocket.Chat, Google Chat take {"text": ...}). */
#define CFG_NOTIFY_MAX 8
struct cfg_notify {
	char *url_file; /* the webhook's URL, a secret, alone in a file */
	char *ca_file;	/* "": the system's trust store */
	char *link;	/* the console as people reach it, or "" */
	int en;		/* the message in English, not Japanese */
	char **teams;	/* only incidents one of these must act on */
	size_t nteams;	/* 0: every incident */
};

struct cfg_phase_roles {
	const struct isog_role **roles;
	size_t nroles;
};

struct cfg {
	char *path; /* the file it came from */

	char *redis;		   /* URL */
	char *redis_password_file; /* "" or a path */
	char *consumer;		   /* this daemon's name among consumers */
	long redis_timeout_ms;	   /* unanswered this long: drop the link */
	int require_noeviction;	   /* refuse an allkeys-* maxmemory-policy */
	char *log_level;

	/* input */
	char *input_key;
	enum input_mode input_mode;
	enum input_push input_push; /* how Suricata fills the list */
	long batch;		    /* events taken per round trip */
	long inflight;		    /* batches in flight at once */
	long claim_idle_ms;
	long max_event_bytes;
	long block_ms; /* blocking wait when the input is empty */

	/* output */
	char *prefix; /* key and channel prefix, "sankaku:" */
	char *stream; /* derived: prefix + "alerts" unless set */
	long stream_maxlen;
	char *deadletter;
	char *red_stream;    /* TLP:RED alerts: stream and channel */
	long deadletter_max; /* warn when the dead-letter list is this long */
	long deadletter_max_bytes; /* keep no more than this many bytes */
	int publish;		   /* PUBLISH on channels */
	enum output_acks acks;	   /* a check per chunk, or a reply per XADD */
	enum output_form form;	   /* of the stream's entries */
	enum output_form channel_form; /* of the messages published */
	long acks_pause_ms; /* one by one for this long after failed checks */

	char *index_path; /* indicator index written by sankaku-rules */
	char *metrics_listen;
	long metrics_max_conns;

	/* rule generator */
	long sid_base;
	long sid_hashed_base; /* per-port groups and prefix buckets */
	long widest_prefix_v4, widest_prefix_v6;
	char *rules_shipped;  /* directory of hand-written rules ("": none) */
	char *rules_suppress; /* the desk's false positives ("": beside the
				 index, sankaku-suppress.json) */
	char *desk_redis, *desk_redis_password_file; /* "": the top level's */
	long desk_min_verdicts, desk_verdict_window_days;
	char *desk_identity;	  /* our name in sightings ("": anonymous) */
	char *desk_sightings_dir; /* "": no files */
	long desk_sightings_interval_s;
	long desk_suppress_after, desk_suppress_days;
	long desk_accuracy_floor_pct; /* 0: off */
	char *desk_suppress_file; /* "": sankaku-suppress.json by the index */

	struct cidr *home_net;
	size_t nhome_net;

	struct {
		const struct isog_phase *phase;
		const struct isog_kpi *kpi;
		/* who acts on this kind of evidence; none: the phase's */
		struct cfg_phase_roles roles;
	} evmap[EV_MAX];
	struct cfg_phase_roles phase_roles[8]; /* indexed like isog_phase_at */

	struct cfg_source *sources;
	size_t nsources;

	/* the incident desk */
	char *desk_listen;
	char *desk_consumer; /* its name in the consumer group "desk" */
	char *desk_users_file;
	char *desk_cves; /* sankaku-rules' CVE list: "" = beside the index */
	long desk_window_s;
	long desk_dedup_window_s;
	long desk_retention_days;
	long desk_max_body;
	long desk_max_conns;
	long desk_session_ttl_s;
	struct cfg_notify notify[CFG_NOTIFY_MAX];
	size_t nnotify;
	struct cfg_org org;
};

/* Load and validate; NULL with "FILE: KEY: reason" in err. */
struct cfg *cfg_load(const char *path, char *err, size_t errlen);
/* Parse from memory (path is used for messages and relative paths). */
struct cfg *cfg_parse(
    const char *path, const char *text, size_t len, char *err, size_t errlen);
void cfg_free(struct cfg *);
const struct cfg_source *cfg_source_find(const struct cfg *, const char *id);
/* Print every key with its type, default and help (for --help-config). */
void cfg_describe(void *stream);

#endif
