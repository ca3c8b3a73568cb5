/* test_config.c: defaults, overrides and errors of the config (the
 * organisation's too, each named by its key). */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "config.h"

#define MIN_SOURCES "\"sources\": []"

/* Parse text; assert success. */
static struct cfg *
ok(const char *text)
{
	char err[512] = "";
	struct cfg *c = cfg_parse(
	    "/etc/sankaku/t.json", text, strlen(text), err, sizeof(err));

	if (c == NULL)
		fail_msg("unexpected error: %s", err);
	return c;
}

/* Parse text; assert failure with err starting with want. */
static void
bad(const char *text, const char *want)
{
	char err[512] = "";
	struct cfg *c =
	    cfg_parse("t.json", text, strlen(text), err, sizeof(err));

	assert_null(c);
	if (strncmp(err, want, strlen(want)) != 0)
		fail_msg("error '%s' does not start with '%s'", err, want);
}

static void
test_defaults(void **state)
{
	struct cfg *c = ok("{" MIN_SOURCES "}");

	(void)state;
	assert_string_equal(c->redis, "redis://127.0.0.1:6379");
	assert_string_equal(c->input_key, "suricata");
	assert_int_equal(c->input_mode, INPUT_LIST);
	assert_int_equal(c->input_push, PUSH_LPUSH);
	assert_int_equal(c->acks, ACKS_EACH);
	assert_int_equal(c->redis_timeout_ms, 30000);
	assert_int_equal(c->acks_pause_ms, 60000);
	assert_int_equal(c->batch, 256);
	assert_string_equal(c->stream, "sankaku:alerts");
	assert_string_equal(c->deadletter, "sankaku:deadletter");
	assert_true(c->publish);
	assert_string_equal(c->metrics_listen, "127.0.0.1:9750");
	assert_int_equal(c->nhome_net, 4);
	assert_string_equal(
	    c->evmap[EV_ATTACK_ATTEMPT].phase->id, "detection-analysis");
	assert_string_equal(c->evmap[EV_COMPROMISE].phase->id,
	    "containment-eradication-recovery");
	assert_string_equal(c->evmap[EV_BLOCKED].phase->id, "preparation");
	assert_string_equal(c->evmap[EV_VULNERABILITY].phase->id, "triage");
	assert_true(c->consumer[0] != '\0');
	/* who acts in detection-analysis: B roles, D roles and X */
	{
		const struct cfg_phase_roles *pr =
		    &c->phase_roles[isog_phase_index(
			isog_phase_find("detection-analysis"))];
		size_t i;
		int b = 0, d = 0, x = 0;

		for (i = 0; i < pr->nroles; i++) {
			b += pr->roles[i]->function[0] == 'B';
			d += pr->roles[i]->function[0] == 'D';
			x += strcmp(pr->roles[i]->code, "X") == 0;
		}
		assert_int_equal(b, 5);
		assert_true(d >= 3);
		assert_int_equal(x, 1);
	}
	cfg_free(c);
}

static void
test_overrides(void **state)
{
	struct cfg *c =
	    ok("{\"input\": {\"key\": \"eve\", \"push\": \"rpush\", "
	       "\"batch\": 10}, \"output\": {\"prefix\": \"x:\", "
	       "\"acks\": \"chunk\"}, "
	       "\"mapping\": {\"attack-attempt\": {\"phase\": \"triage\", "
	       "\"kpi\": \"protect-condition\"}}, "
	       "\"phase_roles\": {\"triage\": [\"A-2\", \"X\"]}, "
	       "\"home_net\": [\"10.1.0.0/16\"], "
	       "\"index\": \"rules/sankaku.index\", "
	       "\"sources\": [{\"id\": \"s1\", \"triangle\": "
	       "\"speed-coverage\", \"tlp\": \"TLP:GREEN\", \"feeds\": "
	       "[{\"path\": \"f.csv\", \"format\": \"csv\", "
	       "\"encoding\": \"CP932\"}, {\"path\": \"g.csv\", "
	       "\"format\": \"csv\", \"encoding\": \"UTF-8\"}]}]}");
	const struct cfg_phase_roles *pr;

	(void)state;
	assert_string_equal(c->input_key, "eve");
	assert_int_equal(c->input_push, PUSH_RPUSH);
	assert_int_equal(c->acks, ACKS_CHUNK);
	assert_int_equal(c->batch, 10);
	assert_string_equal(c->stream, "x:alerts");
	assert_string_equal(c->evmap[EV_ATTACK_ATTEMPT].phase->id, "triage");
	assert_string_equal(
	    c->evmap[EV_ATTACK_ATTEMPT].kpi->id, "protect-condition");
	pr = &c->phase_roles[isog_phase_index(isog_phase_find("triage"))];
	assert_int_equal(pr->nroles, 2);
	assert_string_equal(pr->roles[0]->code, "A-2");
	assert_int_equal(c->nhome_net, 1);
	assert_string_equal(c->index_path, "/etc/sankaku/rules/sankaku.index");
	assert_int_equal(c->nsources, 1);
	assert_string_equal(c->sources[0].name, "s1");
	assert_string_equal(c->sources[0].tlp, "green");
	assert_string_equal(c->sources[0].triangle->weak, "accuracy");
	assert_string_equal(c->sources[0].feeds[0].path, "/etc/sankaku/f.csv");
	assert_string_equal(c->sources[0].feeds[0].encoding, "cp932");
	assert_null(c->sources[0].feeds[1].encoding); /* UTF-8: as it is */
	assert_ptr_equal(cfg_source_find(c, "s1"), &c->sources[0]);
	assert_null(cfg_source_find(c, "s2"));
	cfg_free(c);
}

static void
test_errors(void **state)
{
	(void)state;
	bad("{}", "t.json: sources: missing");
	bad("[]", "t.json: the top level must be an object");
	bad("{\"sources\": [], }", "t.json: line 1");
	bad("{\"sources\": [], \"sources\": []}", "t.json: line 1");
	bad("{" MIN_SOURCES ", \"nope\": 1}", "t.json: nope: unknown key");
	bad("{" MIN_SOURCES ", \"redis_timeout_ms\": 1000}",
	    "t.json: redis_timeout_ms: 1000 must be longer than "
	    "input.block_ms");
	bad("{" MIN_SOURCES ", \"output\": {\"acks\": \"some\"}}",
	    "t.json: output.acks: 'some' is not one of the allowed values");
	bad("{" MIN_SOURCES ", \"input\": {\"nope\": 1}}",
	    "t.json: input.nope: unknown key");
	bad("{" MIN_SOURCES ", \"input\": {\"batch\": 100000}}",
	    "t.json: input.batch: 100000 is out of range");
	bad("{" MIN_SOURCES ", \"input\": {\"batch\": \"5\"}}",
	    "t.json: input.batch: must be an integer");
	bad("{" MIN_SOURCES ", \"input\": {\"key\": \"\"}}",
	    "t.json: input.key: must not be empty");
	bad("{" MIN_SOURCES ", \"output\": {\"publish\": 1}}",
	    "t.json: output.publish: must be true or false");
	bad("{" MIN_SOURCES ", \"home_net\": [\"10.0.0.1/8\"]}",
	    "t.json: home_net[0]");
	bad("{" MIN_SOURCES ", \"mapping\": {\"rumour\": {}}}",
	    "t.json: mapping.rumour: unknown evidence kind");
	bad("{" MIN_SOURCES ", \"mapping\": {\"recon\": {\"kpi\": \"x\"}}}",
	    "t.json: mapping.recon.kpi");
	bad("{" MIN_SOURCES ", \"phase_roles\": {\"triage\": [\"A-7\"]}}",
	    "t.json: phase_roles.triage[0]: unknown role code");
	bad("{\"sources\": [{\"triangle\": \"speed-accuracy\"}]}",
	    "t.json: sources[0].id: missing");
	bad("{\"sources\": [{\"id\": \"a;b\", \"triangle\": "
	    "\"speed-accuracy\"}]}",
	    "t.json: sources[0].id");
	bad("{\"sources\": [{\"id\": \"a\", \"triangle\": \"speed-accuracy\"}, "
	    "{\"id\": \"a\", \"triangle\": \"speed-accuracy\"}]}",
	    "t.json: sources[1].id: 'a' is used twice");
	bad("{\"sources\": [{\"id\": \"a\"}]}",
	    "t.json: sources[0].triangle: missing");
	bad("{\"sources\": [{\"id\": \"a\", \"triangle\": \"speed-accuracy\", "
	    "\"feeds\": [{\"path\": \"x\", \"format\": \"xml\"}]}]}",
	    "t.json: sources[0].feeds[0].format");
	/* a character set: for CSV only, and one sankaku knows */
	bad("{\"sources\": [{\"id\": \"a\", \"triangle\": \"speed-accuracy\", "
	    "\"feeds\": [{\"path\": \"x\", \"format\": \"stix2\", "
	    "\"encoding\": \"cp932\"}]}]}",
	    "t.json: sources[0].feeds[0]: type, columns and encoding are for "
	    "csv feeds");
	bad("{\"sources\": [{\"id\": \"a\", \"triangle\": \"speed-accuracy\", "
	    "\"feeds\": [{\"path\": \"x\", \"format\": \"csv\", "
	    "\"encoding\": \"latin-1\"}]}]}",
	    "t.json: sources[0].feeds[0].encoding: 'latin-1' is not utf-8, "
	    "shift_jis, cp932 or euc-jp");
	bad("{\"sources\": [{\"id\": \"a\", \"triangle\": \"speed-accuracy\", "
	    "\"colour\": 1}]}",
	    "t.json: sources[0].colour: unknown key");
	/* a MISP to push to: https only, no key in the URL, a key file */
	bad("{\"sources\": [{\"id\": \"a\", \"triangle\": \"speed-accuracy\", "
	    "\"misp_url\": \"http://misp.example\", \"misp_key_file\": "
	    "\"k\"}]}",
	    "t.json: sources[0].misp_url: an https:// URL");
	bad("{\"sources\": [{\"id\": \"a\", \"triangle\": \"speed-accuracy\", "
	    "\"misp_url\": \"https://u:secret@misp.example\", "
	    "\"misp_key_file\": \"k\"}]}",
	    "t.json: sources[0].misp_url: an https:// URL without user");
	/* it goes into a request line as it is: no space, no line break */
	bad("{\"sources\": [{\"id\": \"a\", \"triangle\": \"speed-accuracy\", "
	    "\"misp_url\": \"https://misp.example/x\\r\\nX-Evil: 1\", "
	    "\"misp_key_file\": \"k\"}]}",
	    "t.json: sources[0].misp_url: an https:// URL");
	bad("{\"sources\": [{\"id\": \"a\", \"triangle\": \"speed-accuracy\", "
	    "\"misp_url\": \"https://misp.example\"}]}",
	    "t.json: sources[0].misp_key_file: missing");
	{
		static const char ok[] =
		    "{\"sources\": [{\"id\": \"a\", \"triangle\": "
		    "\"speed-accuracy\", \"misp_url\": "
		    "\"https://misp.example/\","
		    " \"misp_key_file\": \"keys/misp\"}]}";
		char err[512];
		struct cfg *c = cfg_parse(
		    "/etc/sankaku/t.json", ok, strlen(ok), err, sizeof(err));

		assert_non_null(c);
		assert_string_equal(
		    c->sources[0].misp_key_file, "/etc/sankaku/keys/misp");
		assert_string_equal(c->sources[0].misp_ca_file, "");
		cfg_free(c);
	}
}

/* Keys that collide, and names that would break keys or log lines. */
#define FETCH_SRC(feed)                                                        \
	"{\"sources\": [{\"id\": \"a\", \"triangle\": \"speed-accuracy\", "    \
	"\"misp_url\": \"https://misp.example\", \"misp_key_file\": "          \
	"\"misp.key\", \"feeds\": [" feed "]}]}"

/* Where sankaku-fetch gets a feed: the keys, their defaults, errors. */
static void
test_fetch(void **state)
{
	struct cfg *c = ok(FETCH_SRC(
	    "{\"path\": \"f.csv\", \"format\": \"csv\", \"url\": "
	    "\"https://feodotracker.abuse.ch/downloads/ipblocklist.csv\"}, "
	    "{\"path\": \"t.json\", \"format\": \"stix2\", \"fetch\": "
	    "\"taxii\", \"url\": \"https://taxii.example:8443/api/"
	    "collections/c1/objects/?match[type]=indicator\", \"key_file\": "
	    "\"/etc/keys/taxii\", \"ca_file\": \"ca.pem\", \"client_cert\": "
	    "\"soc.crt\"}, "
	    "{\"path\": \"m.json\", \"format\": \"misp\", \"fetch\": \"misp\", "
	    "\"url\": \"https://misp.example/attributes/restSearch\", "
	    "\"query\": {\"returnFormat\": \"json\", \"to_ids\": true}}, "
	    "{\"path\": \"own.csv\", \"format\": \"csv\"}, "
	    "{\"path\": \"osint.json\", \"format\": \"misp\", \"fetch\": "
	    "\"misp-feed\", \"url\": \"https://www.circl.lu/doc/misp/"
	    "feed-osint/\", \"days\": 14}, "
	    "{\"path\": \"botvrij.json\", \"format\": \"misp\", \"fetch\": "
	    "\"misp-feed\", \"url\": \"https://www.botvrij.eu/data/"
	    "feed-osint/\"}"));
	const struct cfg_feed *f = c->sources[0].feeds;

	(void)state;
	assert_int_equal(f[0].fetch, FETCH_GET);
	assert_string_equal(f[0].key_file, ""); /* no key: none sent */
	assert_string_equal(f[0].ca_file, "");
	assert_null(f[0].query);
	assert_int_equal(f[1].fetch, FETCH_TAXII);
	assert_string_equal(f[1].url,
	    "https://taxii.example:8443/api/"
	    "collections/c1/objects/?match[type]="
	    "indicator");
	assert_string_equal(f[1].key_file, "/etc/keys/taxii");
	assert_string_equal(f[1].key_header, "Authorization");
	assert_string_equal(f[0].key_header, "Authorization");
	assert_string_equal(f[1].ca_file, "/etc/sankaku/ca.pem");
	assert_string_equal(f[1].client_cert, "/etc/sankaku/soc.crt");
	assert_string_equal(f[1].client_key, "");
	assert_int_equal(f[2].fetch, FETCH_MISP);
	/* a MISP fetch without its own key uses the source's */
	assert_string_equal(f[2].key_file, "/etc/sankaku/misp.key");
	assert_string_equal(
	    f[2].query, "{\"returnFormat\":\"json\",\"to_ids\":true}");
	assert_null(f[3].url); /* put there by the site */
	/* a MISP feed: no key of the source's (a feed is a web site), the
	 * events changed in the last 30 days unless told */
	assert_int_equal(f[4].fetch, FETCH_MISP_FEED);
	assert_string_equal(f[4].key_file, "");
	assert_int_equal(f[4].days, 14);
	assert_int_equal(f[5].days, 30);
	cfg_free(c);

	bad(FETCH_SRC("{\"path\": \"f\", \"format\": \"csv\", \"url\": "
		      "\"http://feodotracker.abuse.ch/x.csv\"}"),
	    "t.json: sources[0].feeds[0].url: an https:// URL");
	bad(FETCH_SRC("{\"path\": \"f\", \"format\": \"csv\", \"url\": "
		      "\"https://user:pw@example.net/x.csv\"}"),
	    "t.json: sources[0].feeds[0].url: an https:// URL with a host, "
	    "without user or password");
	bad(FETCH_SRC("{\"path\": \"f\", \"format\": \"csv\", \"url\": "
		      "\"https://example.net/a b.csv\"}"),
	    "t.json: sources[0].feeds[0].url");
	bad(FETCH_SRC("{\"path\": \"f\", \"format\": \"csv\", \"url\": "
		      "\"https:///x.csv\"}"),
	    "t.json: sources[0].feeds[0].url");
	bad(FETCH_SRC("{\"path\": \"f\", \"format\": \"csv\", \"url\": 5}"),
	    "t.json: sources[0].feeds[0].url: must be a string");
	bad(FETCH_SRC("{\"path\": \"f\", \"format\": \"csv\", \"fetch\": "
		      "\"get\"}"),
	    "t.json: sources[0].feeds[0]: fetch, key_file, key_header, "
	    "ca_file, client_cert, client_key, query and days need a url");
	bad(FETCH_SRC("{\"path\": \"f\", \"format\": \"csv\", \"fetch\": "
		      "\"ftp\", \"url\": \"https://example.net/x\"}"),
	    "t.json: sources[0].feeds[0].fetch: 'ftp' is not get, taxii, "
	    "misp or misp-feed");
	bad(FETCH_SRC("{\"path\": \"f\", \"format\": \"stix2\", \"fetch\": "
		      "\"misp-feed\", \"url\": \"https://example.net/x/\"}"),
	    "t.json: sources[0].feeds[0].fetch: misp-feed gives a misp feed, "
	    "not stix2");
	bad(FETCH_SRC("{\"path\": \"f\", \"format\": \"misp\", \"fetch\": "
		      "\"misp-feed\", \"url\": \"https://example.net/x/\", "
		      "\"days\": 0}"),
	    "t.json: sources[0].feeds[0].days: a misp-feed's events changed "
	    "in the last 1 to 3650 days");
	bad(FETCH_SRC("{\"path\": \"f\", \"format\": \"misp\", \"fetch\": "
		      "\"misp-feed\", \"url\": \"https://example.net/x/\", "
		      "\"days\": \"30\"}"),
	    "t.json: sources[0].feeds[0].days");
	bad(FETCH_SRC("{\"path\": \"f\", \"format\": \"csv\", \"url\": "
		      "\"https://example.net/x\", \"days\": 7}"),
	    "t.json: sources[0].feeds[0].days");
	bad(FETCH_SRC("{\"path\": \"f\", \"format\": \"csv\", \"fetch\": "
		      "\"taxii\", \"url\": \"https://example.net/x\"}"),
	    "t.json: sources[0].feeds[0].fetch: taxii gives a stix2 feed, not "
	    "csv");
	bad(FETCH_SRC("{\"path\": \"f\", \"format\": \"stix2\", \"url\": "
		      "\"https://example.net/x\", \"query\": {}}"),
	    "t.json: sources[0].feeds[0].query: an object, the body of a misp "
	    "fetch's restSearch");
	bad(FETCH_SRC("{\"path\": \"f\", \"format\": \"csv\", \"url\": "
		      "\"https://example.net/x\", \"key_file\": \"k\", "
		      "\"key_header\": \"Auth Key\"}"),
	    "t.json: sources[0].feeds[0].key_header: 'Auth Key' is not a "
	    "header name");
	bad(FETCH_SRC(
		"{\"path\": \"f\", \"format\": \"csv\", \"url\": "
		"\"https://example.net/x\", \"key_header\": \"Auth-Key\"}"),
	    "t.json: sources[0].feeds[0].key_header: needs a key_file");
	bad(FETCH_SRC("{\"path\": \"f\", \"format\": \"csv\", \"url\": "
		      "\"https://example.net/x\", \"client_key\": \"c.key\"}"),
	    "t.json: sources[0].feeds[0].client_key: needs a client_cert");
	/* two fetches into one file: each would overwrite the other */
	bad("{\"sources\": [{\"id\": \"a\", \"triangle\": \"speed-accuracy\", "
	    "\"feeds\": [{\"path\": \"f.csv\", \"format\": \"csv\", "
	    "\"url\": \"https://a.example/f.csv\"}]}, {\"id\": \"b\", "
	    "\"triangle\": \"speed-accuracy\", \"feeds\": [{\"path\": "
	    "\"g.csv\", \"format\": \"csv\"}, {\"path\": \"./../t/f.csv\", "
	    "\"format\": \"csv\"}, {\"path\": \"f.csv\", \"format\": "
	    "\"csv\", \"url\": \"https://b.example/f.csv\"}]}]}",
	    "t.json: sources[1].feeds[2].path: sources[0].feeds[0] fetches "
	    "into "
	    "it too");
	bad("{\"sources\": [{\"id\": \"a\", \"triangle\": \"speed-accuracy\", "
	    "\"feeds\": [{\"path\": \"f\", \"format\": \"misp\", \"fetch\": "
	    "\"misp\", \"url\": "
	    "\"https://misp.example/events/restSearch\"}]}]}",
	    "t.json: sources[0].feeds[0].key_file: missing");
}

static void
test_names(void **state)
{
	(void)state;
	bad("{" MIN_SOURCES ", \"input\": {\"key\": \"sankaku:alerts\"}}",
	    "t.json: input.key: 'sankaku:alerts' is also output.stream");
	bad("{" MIN_SOURCES ", \"input\": {\"key\": \"dl\"}, "
	    "\"output\": {\"deadletter\": \"dl\"}}",
	    "t.json: input.key: 'dl' is also output.deadletter");
	bad("{" MIN_SOURCES ", \"output\": {\"stream\": \"s\", "
	    "\"deadletter\": \"s\"}}",
	    "t.json: output.stream: 's' is also output.deadletter");
	bad("{" MIN_SOURCES ", \"input\": {\"key\": \"sankaku:batch:x\"}}",
	    "t.json: input.key: 'sankaku:batch:x' is among sankakud's own");
	bad("{" MIN_SOURCES ", \"input\": {\"key\": "
	    "\"sankaku:deadletter:replaying\"}}",
	    "t.json: input.key: 'sankaku:deadletter:replaying' is among the "
	    "dead-letter list's keys");
	bad("{" MIN_SOURCES ", \"consumer\": \"a\\nlevel=error forged\"}",
	    "t.json: consumer: '(unprintable)' must be");
	bad("{" MIN_SOURCES ", \"consumer\": \"two words\"}",
	    "t.json: consumer:");
	bad("{" MIN_SOURCES ", \"input\": {\"key\": \"a\\u001bb\"}}",
	    "t.json: input.key: must be printable");
	bad("{" MIN_SOURCES ", \"metrics\": {\"listen\": \"127.0.0.1:0\"}}",
	    "t.json: metrics.listen: '127.0.0.1:0' is not host:port");
	bad("{" MIN_SOURCES ", \"metrics\": {\"listen\": \":9750\"}}",
	    "t.json: metrics.listen");
	bad("{" MIN_SOURCES ", \"metrics\": {\"listen\": \"h:9750abc\"}}",
	    "t.json: metrics.listen");
	bad("{" MIN_SOURCES ", \"metrics\": {\"listen\": \"h:70000\"}}",
	    "t.json: metrics.listen");
	bad("{" MIN_SOURCES ", \"metrics\": {\"listen\": \"::1:9750\"}}",
	    "t.json: metrics.listen");
	cfg_free(
	    ok("{" MIN_SOURCES ", \"metrics\": {\"listen\": \"[::1]:9750\"}}"));
	cfg_free(ok("{" MIN_SOURCES ", \"metrics\": {\"listen\": \"\"}}"));
	cfg_free(
	    ok("{" MIN_SOURCES ", \"input\": {\"key\": \"sankaku:input\"}}"));
}

/* organisation: each mistake named by its key. */
static void
test_org_errors(void **state)
{
	static const struct {
		const char *org, *key;
	} bad[] = {
	    {"{\"pattern\": \"big\"}", "organisation.pattern"},
	    {"{\"teams\": [{\"id\": \"Soc\", \"sourcing\": \"insource\","
	     " \"roles\": []}]}",
		"organisation.teams[0].id"},
	    {"{\"teams\": [{\"id\": \"soc\", \"sourcing\": \"partly\","
	     " \"roles\": []}]}",
		"organisation.teams[0].sourcing"},
	    {"{\"teams\": [{\"id\": \"soc\", \"sourcing\": \"insource\","
	     " \"roles\": [\"Z-9\"]}]}",
		"organisation.teams[0].roles[0]"},
	    {"{\"maturity\": {\"B-1\": 6}}", "organisation.maturity.B-1"},
	    {"{\"maturity\": {\"Q\": 1}}", "organisation.maturity.Q"},
	    {"{\"colour\": 1}", "organisation.colour"},
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char text[512], err[256];
		struct cfg *c;

		snprintf(text, sizeof(text),
		    "{\"sources\": [], \"organisation\": %s}", bad[i].org);
		c = cfg_parse("t.json", text, strlen(text), err, sizeof(err));
		assert_null(c);
		if (strstr(err, bad[i].key) == NULL)
			fail_msg("%s: %s", bad[i].key, err);
	}
}

/* desk.notify: the team chats; the URL stays in its file, each team one
 * of organisation.teams (whichever comes first in the file). */
static void
test_notify(void **state)
{
#define ORG                                                                    \
	"\"organisation\": {\"teams\": [{\"id\": \"csirt\", \"sourcing\": "    \
	"\"insource\", \"roles\": [\"C\"]}]}"
	struct cfg *c =
	    ok("{" MIN_SOURCES ", \"desk\": {\"notify\": ["
	       "{\"url_file\": \"chat.url\"}, {\"url_file\": "
	       "\"/etc/k/c.url\", \"teams\": [\"csirt\"], \"lang\": "
	       "\"en\", \"link\": \"https://soc.example/s/\", "
	       "\"ca_file\": \"ca.pem\"}]}, " ORG "}");

	(void)state;
	assert_int_equal(c->nnotify, 2);
	assert_string_equal(c->notify[0].url_file, "/etc/sankaku/chat.url");
	assert_int_equal(c->notify[0].en, 0);
	assert_int_equal(c->notify[0].nteams, 0);
	assert_string_equal(c->notify[0].link, "");
	assert_string_equal(c->notify[1].url_file, "/etc/k/c.url");
	assert_string_equal(c->notify[1].teams[0], "csirt");
	assert_int_equal(c->notify[1].en, 1);
	assert_string_equal(c->notify[1].ca_file, "/etc/sankaku/ca.pem");
	cfg_free(c);
	bad("{" MIN_SOURCES ", \"desk\": {\"notify\": [{\"url\": "
	    "\"https://hooks.example/T/B/x\"}]}}",
	    "t.json: desk.notify[0]: must be {\"url_file\"");
	bad("{" MIN_SOURCES ", \"desk\": {\"notify\": [{\"url_file\": "
	    "\"c.url\", \"lang\": \"fr\"}]}}",
	    "t.json: desk.notify[0].lang: ja or en");
	bad("{" MIN_SOURCES ", \"desk\": {\"notify\": [{\"url_file\": "
	    "\"c.url\", \"link\": \"https://x/<!channel>\"}]}}",
	    "t.json: desk.notify[0].link");
	bad("{" MIN_SOURCES ", \"desk\": {\"notify\": [{\"url_file\": "
	    "\"c.url\", \"link\": \"ftp://x/\"}]}}",
	    "t.json: desk.notify[0].link");
	bad("{" MIN_SOURCES ", \"desk\": {\"notify\": [{\"url_file\": "
	    "\"c.url\", \"teams\": [\"soc\"]}]}, " ORG "}",
	    "t.json: desk.notify[0].teams[0]: 'soc' is not a team");
	bad("{" MIN_SOURCES ", \"desk\": {\"notify\": [{\"url_file\": "
	    "\"c.url\", \"teams\": \"csirt\"}]}}",
	    "t.json: desk.notify[0].teams");
	bad("{" MIN_SOURCES ", \"desk\": {\"notify\": {}}}",
	    "t.json: desk.notify: an array");
#undef ORG
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_defaults),
	    cmocka_unit_test(test_overrides),
	    cmocka_unit_test(test_errors),
	    cmocka_unit_test(test_fetch),
	    cmocka_unit_test(test_names),
	    cmocka_unit_test(test_org_errors),
	    cmocka_unit_test(test_notify),
	};

	return cmocka_run_group_tests_name("config", tests, NULL, NULL);
}
