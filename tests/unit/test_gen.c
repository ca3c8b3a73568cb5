/*
 * test_gen.c: from deployed indicators to files: the policy (expiry,
 * TLP:RED, prefix width, one value per source), the merge across sources,
 * rules that stay inside Suricata's line length and SID ranges however
 * many prefixes or sources there are, the same bytes for the same input,
 * and an index that sankakud reads back with every field.
 */

#include <sys/stat.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "arena.h"
#include "buf.h"
#include "feedtest.h"
#include "gen.h"
#include "evstr.h"
#include "index.h"
#include "policy.h"
#include "suppress.h"

static const char two_sources[] =
    "{\"sources\": ["
    "{\"id\": \"a\", \"triangle\": \"speed-accuracy\", \"tlp\": \"clear\"},"
    "{\"id\": \"b\", \"triangle\": \"speed-coverage\", \"tlp\": \"green\"},"
    "{\"id\": \"r\", \"triangle\": \"speed-coverage\", \"tlp\": \"clear\","
    " \"red\": \"deploy\"}]}";

/* One indicator from source s into l. */
static void
add(struct ft *t, size_t s, enum ioc_type type, const char *v, enum evidence ev,
    enum tlp tlp, int64_t published, const char *ref)
{
	struct ioc_meta m = {ev, tlp, published, 0, 0, ref, NULL};

	t->ctx.source = s;
	assert_int_equal(feed_emit(&t->ctx, type, v, strlen(v), &m, "p"), 0);
}

/* What two feeds give. */
static void
fill(struct ft *t)
{
	add(t, 1, IOC_DOMAIN, "C2.example", EV_COMPROMISE, TLP_CLEAR,
	    1793577600 /* 2026-11-02 */, "b-1");
	add(t, 0, IOC_DOMAIN, "c2.example.", EV_COMPROMISE, TLP_AMBER,
	    1793491200 /* 2026-11-01 */, "indicator--1");
	add(t, 0, IOC_IP, "198.51.100.23", EV_INDICATOR, TLP_CLEAR, 0, NULL);
	add(t, 0, IOC_CIDR, "203.0.113.0/24", EV_INDICATOR, TLP_CLEAR, 0, NULL);
	add(t, 1, IOC_URL, "http://x.example/p?q=1", EV_ATTACK_ATTEMPT,
	    TLP_CLEAR, 0, NULL);
	add(t, 1, IOC_URL, "http://198.51.100.78:37352/bin.sh",
	    EV_ATTACK_ATTEMPT, TLP_CLEAR, 0, NULL);
	add(t, 1, IOC_MD5, "357371fe019e95b769b54c8a543ba309", EV_INDICATOR,
	    TLP_CLEAR, 0, NULL);
	add(t, 0, IOC_IP_PORT, "198.51.100.77:8443", EV_COMPROMISE, TLP_CLEAR,
	    0, NULL);
	add(t, 0, IOC_DOMAIN_PORT, "tls-c2.example:8443", EV_COMPROMISE,
	    TLP_CLEAR, 0, NULL);
}

/* The list split by source (the strings stay in t's arena), each
 * source's policy applied; free with undeploy. */
static struct ioc_list *
deploy(struct ft *t, struct feed_stats *st)
{
	struct ioc_list *one = calloc(t->cfg->nsources, sizeof(*one));
	size_t s, i;

	assert_non_null(one);
	for (s = 0; s < t->cfg->nsources; s++) {
		struct policy *p = policy_new(t->cfg, s, t->ctx.now);

		assert_non_null(p);
		for (i = 0; i < t->l.n; i++)
			if (t->l.v[i].source == s)
				assert_int_equal(
				    ioc_list_add(&one[s], &t->l.v[i]), 0);
		assert_int_equal(
		    policy_apply(p, &one[s], &st[s], NULL, "f"), 0);
		policy_free(p);
	}
	return one;
}

static void
undeploy(struct ft *t, struct ioc_list *one)
{
	size_t s;

	for (s = 0; s < t->cfg->nsources; s++)
		free(one[s].v);
	free(one);
}

/* Read a file into a new string. */
static char *
slurp(const char *path)
{
	size_t len;

	return ft_slurp(path, &len);
}

/* Generate into a new directory; its name. */
static char *
generate(struct ft *t, struct gen_result *r)
{
	char *dir = strdup("/tmp/sankaku-gen.XXXXXX"), err[256];
	struct ioc_list *lists;
	struct feed_stats *st = calloc(t->cfg->nsources, sizeof(*st));
	struct merged *m;
	struct arena *a = arena_new();
	size_t n;

	assert_non_null(st);
	assert_non_null(mkdtemp(dir));
	lists = deploy(t, st);
	m = gen_merge(lists, t->cfg->nsources, &n, a, err, sizeof(err));
	assert_non_null(m);
	assert_int_equal(gen_index(t->cfg, m, n, dir, err, sizeof(err)), 0);
	assert_int_equal(gen_rules(t->cfg, m, n, dir, r, err, sizeof(err)), 0);
	free(m);
	free(st);
	arena_free(a);
	undeploy(t, lists);
	return dir;
}

static void
rm_rf(const char *dir)
{
	char cmd[600];

	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	assert_int_equal(system(cmd), 0);
}

static void
test_generate(void **state)
{
	struct ft t1, t2;
	struct gen_result r1, r2;
	char path[512], cmd[1200], *d1, *d2, *rules, *s;

	(void)state;
	ft_init(&t1, two_sources);
	ft_init(&t2, two_sources);
	fill(&t1);
	fill(&t2);
	d1 = generate(&t1, &r1);
	d2 = generate(&t2, &r2);
	assert_int_equal(r1.indicators, 8); /* c2.example twice is one */
	snprintf(cmd, sizeof(cmd), "diff -r %s %s >/dev/null", d1, d2);
	assert_int_equal(system(cmd), 0); /* byte for byte */

	snprintf(path, sizeof(path), "%s/sankaku.rules", d1);
	rules = slurp(path);
	/* domain, compromise, DNS: sid_base + 100*0 + 10*6 + 0 */
	assert_non_null(strstr(rules,
	    "dns.query; to_lowercase; dataset:isset,"
	    "sankaku-domain-compromise,type string"));
	assert_non_null(strstr(rules, "sid:1860060;"));
	assert_non_null(strstr(rules, "sankaku_source a, sankaku_source b;"));
	/* the msg names a group's sources as what they are: each of its
	 * indicators listed by one of them at least */
	assert_non_null(strstr(rules,
	    "SANKAKU domain DNS query listed (compromise) by one or more of "
	    "a,b\";"));
	assert_null(strstr(rules, "listed (compromise) by a,b"));
	assert_non_null(strstr(rules, "listed (indicator) by a\";"));
	/* a URL: host AND raw path */
	assert_non_null(strstr(
	    rules, "http.host; dataset:isset,sankaku-url-host-attack-attempt"));
	assert_non_null(strstr(rules,
	    "http.uri.raw; dataset:isset,sankaku-url-path-attack-attempt"));
	assert_non_null(strstr(rules,
	    "http.host.raw; to_lowercase; "
	    "dataset:isset,sankaku-url-hostport-"));
	/* address:port and domain:port on their port only */
	assert_non_null(strstr(rules, "alert ip any any -> any 8443 ("));
	assert_non_null(strstr(rules, "alert ip any 8443 -> any any ("));
	assert_non_null(strstr(rules, "alert tls any any -> any 8443 ("));
	assert_non_null(
	    strstr(rules, "alert ip [203.0.113.0/24] any <> any any"));
	assert_non_null(
	    strstr(rules, "filemd5:datasets/sankaku-md5-indicator.lst;"));
	/* values only in datasets */
	assert_null(strstr(rules, "c2.example"));
	assert_null(strstr(rules, "x.example"));
	free(rules);
	snprintf(path, sizeof(path),
	    "%s/datasets/sankaku-domain-compromise.lst", d1);
	s = slurp(path);
	assert_string_equal(s, "YzIuZXhhbXBsZQ==\n"); /* c2.example */
	free(s);
	snprintf(path, sizeof(path),
	    "%s/datasets/sankaku-url-path-attack-attempt.lst", d1);
	s = slurp(path);
	/* each path once, in the order the feeds gave them: /p?q=1 /bin.sh */
	assert_string_equal(s, "L3A/cT0x\nL2Jpbi5zaA==\n");
	free(s);
	snprintf(path, sizeof(path),
	    "%s/datasets/sankaku-url-hostport-attack-attempt.lst", d1);
	s = slurp(path);
	assert_string_equal(s, "MTk4LjUxLjEwMC43ODozNzM1Mg==\n");
	free(s);
	/* no temporary file is left behind */
	snprintf(
	    cmd, sizeof(cmd), "ls -A %s %s/datasets | grep -q '^\\.'", d1, d1);
	assert_int_not_equal(system(cmd), 0);
	rm_rf(d1);
	rm_rf(d2);
	free(d1);
	free(d2);
	ft_free(&t1);
	ft_free(&t2);
}

static void
test_index_round_trip(void **state)
{
	struct ft t;
	struct gen_result r;
	char path[512], err[256], *d;
	const struct idx_entry *e;
	struct idx *x;

	(void)state;
	ft_init(&t, two_sources);
	fill(&t);
	{
		/* a Japanese CERT's name for it: longer than the index keeps,
		 * with a tab, a line break and a bidi override inside */
		struct ioc_meta m = {EV_INDICATOR, TLP_CLEAR, 0, 0, 0, NULL,
		    "標的型攻撃メール\t添付ファイルの\n接続先\xe2\x80\xae（国内"
		    "の複数の組織で観測された C2 サーバ。検体は文書ファイルに"
		    "偽装したショートカットで、実行すると外部から追加の"
		    "スクリプトを取得する）"};

		t.ctx.source = 0;
		assert_int_equal(
		    feed_emit(&t.ctx, IOC_DOMAIN, "jp-c2.example", 13, &m, "p"),
		    0);
	}
	d = generate(&t, &r);
	snprintf(path, sizeof(path), "%s/sankaku.index", d);
	x = idx_load(path, err, sizeof(err));
	assert_non_null(x);
	e = idx_find(x, "domain", "jp-c2.example");
	assert_non_null(e);
	assert_non_null(e->name);
	assert_true(strlen(e->name) <= 160 && strlen(e->name) > 150);
	assert_true(evstr_text_ok(e->name, strlen(e->name)));
	assert_non_null(
	    strstr(e->name, "標的型攻撃メール 添付ファイルの 接続先（国内"));
	e = idx_find(x, "domain", "c2.example");
	assert_non_null(e);
	assert_string_equal(e->sources, "a,b"); /* config order */
	assert_int_equal(e->nsources, 2);
	assert_string_equal(e->published, "2026-11-01T00:00:00Z");
	assert_string_equal(e->evidence, "compromise");
	assert_string_equal(e->tlp, "amber"); /* strictest of both */
	assert_string_equal(e->refs, "a=indicator--1,b=b-1");
	/* each source's own publication, for the desk's speed */
	assert_string_equal(
	    e->published_by, "a=2026-11-01T00:00:00Z,b=2026-11-02T00:00:00Z");
	/* one source: PUBLISHED says it all */
	assert_string_equal(
	    idx_find(x, "ip", "198.51.100.23")->published_by, "-");
	assert_non_null(idx_find(x, "url", "198.51.100.78:37352/bin.sh"));
	assert_non_null(idx_find(x, "ip-port", "198.51.100.77:8443"));
	/* a source's configured TLP counts: b is green */
	assert_string_equal(
	    idx_find(x, "md5", "357371fe019e95b769b54c8a543ba309")->tlp,
	    "green");
	assert_string_equal(
	    idx_find(x, "ip", "203.0.113.9")->value, "203.0.113.0/24");
	idx_free(x);
	rm_rf(d);
	free(d);
	ft_free(&t);
}

static void
test_policy(void **state)
{
	static const char cfgtext[] =
	    "{\"rules\": {\"widest_prefix_v4\": 16},"
	    "\"sources\": [{\"id\": \"a\", \"triangle\": \"speed-accuracy\","
	    " \"tlp\": \"clear\"},"
	    "{\"id\": \"r\", \"triangle\": \"speed-coverage\", \"tlp\": "
	    "\"clear\","
	    " \"red\": \"deploy\"}]}";
	struct ft t;
	struct ioc_list *lists;
	struct feed_stats st[2];
	struct ioc_meta m = {EV_INDICATOR, TLP_CLEAR, 0, 0, 0, NULL, NULL};
	size_t i;

	(void)state;
	memset(st, 0, sizeof(st));
	ft_init(&t, cfgtext);
	add(&t, 0, IOC_CIDR, "10.0.0.0/8", EV_INDICATOR, TLP_CLEAR, 0, NULL);
	add(&t, 0, IOC_CIDR, "10.1.0.0/16", EV_INDICATOR, TLP_CLEAR, 0, NULL);
	add(&t, 0, IOC_DOMAIN, "red.example", EV_INDICATOR, TLP_RED, 0, NULL);
	add(&t, 1, IOC_DOMAIN, "red.example", EV_INDICATOR, TLP_RED, 0, NULL);
	add(&t, 0, IOC_DOMAIN, "dup.example", EV_INDICATOR, TLP_CLEAR, 0, NULL);
	add(&t, 0, IOC_DOMAIN, "dup.example", EV_COMPROMISE, TLP_AMBER, 0,
	    NULL);
	m.valid_until = t.ctx.now - 1;
	t.ctx.source = 0;
	feed_emit(&t.ctx, IOC_DOMAIN, "old.example", 11, &m, "p");
	m.valid_until = 0;
	m.valid_from = t.ctx.now + 86400;
	feed_emit(&t.ctx, IOC_DOMAIN, "soon.example", 12, &m, "p");
	lists = deploy(&t, st);
	assert_int_equal(st[0].skipped[SKIP_PREFIX_TOO_WIDE], 1);
	assert_int_equal(st[0].skipped[SKIP_TLP_RED], 1);
	assert_int_equal(st[1].skipped[SKIP_TLP_RED], 0); /* red: deploy */
	assert_int_equal(st[0].skipped[SKIP_DUPLICATE], 1);
	assert_int_equal(st[0].skipped[SKIP_EXPIRED], 1);
	assert_int_equal(st[0].skipped[SKIP_NOT_YET_VALID], 1);
	assert_int_equal(st[0].deployed, 2);
	assert_int_equal(st[1].deployed, 1);
	for (i = 0; i < lists[0].n; i++)
		if (lists[0].v[i].deployed &&
		    strcmp(lists[0].v[i].value, "dup.example") == 0) {
			/* the repeat made it stricter */
			assert_int_equal(lists[0].v[i].tlp, TLP_AMBER);
			assert_int_equal(lists[0].v[i].evidence, EV_COMPROMISE);
		}
	undeploy(&t, lists);
	ft_free(&t);
}

/* A source whose accuracy fell keeps only what another source lists
 * too: b's C2 domain (a lists it, written otherwise) stays; its URLs and
 * hash go, counted second-source; a keeps everything. */
static void
test_second_source(void **state)
{
	struct ft t;
	struct ioc_list *lists;
	struct feed_stats st[3];
	struct second_list v[3];
	unsigned char need[3] = {0, 1, 0};
	size_t i, s;

	(void)state;
	memset(st, 0, sizeof(st));
	ft_init(&t, two_sources);
	fill(&t);
	lists = deploy(&t, st);
	assert_int_equal(st[0].deployed, 5);
	assert_int_equal(st[1].deployed, 4);
	for (s = 0; s < 3; s++)
		v[s] = (struct second_list){&lists[s], s, &st[s]};
	assert_int_equal(second_source_apply(v, 3, need, 3), 3);
	assert_int_equal(st[1].deployed, 1);
	assert_int_equal(st[1].skipped[SKIP_SECOND_SOURCE], 3);
	assert_int_equal(st[0].deployed, 5);
	assert_int_equal(st[0].skipped[SKIP_SECOND_SOURCE], 0);
	for (i = 0; i < lists[1].n; i++)
		assert_int_equal(
		    lists[1].v[i].deployed, lists[1].v[i].type == IOC_DOMAIN);
	/* nobody needs one: nothing changes */
	need[1] = 0;
	assert_int_equal(second_source_apply(v, 3, need, 3), 0);
	undeploy(&t, lists);
	ft_free(&t);
}

/* A rules file's longest line. */
static size_t
longest(const char *path)
{
	char *s = slurp(path), *p = s;
	size_t max = 0;

	while (*p != '\0') {
		size_t n = strcspn(p, "\n");

		if (n > max)
			max = n;
		p += n + (p[n] == '\n');
	}
	free(s);
	return max;
}

static void
test_scale(void **state)
{
	/* 300 sources (ids of 60 characters) agreeing on one prefix, and
	 * 20,000 prefixes packed into 7 /8 blocks */
	struct buf b = {NULL, 0, 0, 0};
	struct gen_result r;
	struct ft t;
	char path[512], *d, *rules, *p;
	int i;

	(void)state;
	BUF_PUTS(&b, "{\"sources\": [");
	for (i = 0; i < 300; i++) {
		char one[200];

		snprintf(one, sizeof(one),
		    "%s{\"id\": \"source-%054d\", \"triangle\": "
		    "\"speed-accuracy\", \"tlp\": \"clear\"}",
		    i > 0 ? "," : "", i);
		buf_put(&b, one, strlen(one));
	}
	BUF_PUTS(&b, "]}");
	ft_init(&t, b.s);
	free(b.s);
	for (i = 0; i < 300; i++)
		add(&t, (size_t)i, IOC_CIDR, "192.0.2.0/24", EV_INDICATOR,
		    TLP_CLEAR, 0, NULL);
	for (i = 0; i < 20000; i++) {
		char v[32];

		snprintf(v, sizeof(v), "%d.%d.%d.0/24", 11 + i % 7,
		    (i / 7) % 256, (i / 7 / 256) % 256);
		add(&t, (size_t)(i % 300), IOC_CIDR, v, EV_INDICATOR, TLP_CLEAR,
		    0, NULL);
	}
	d = generate(&t, &r);
	snprintf(path, sizeof(path), "%s/sankaku.rules", d);
	assert_true(longest(path) < 8000); /* Suricata reads 8192 */
	rules = slurp(path);
	/* every SID once, and none in the shipped rules' range */
	for (p = strstr(rules, "sid:"); p != NULL; p = strstr(p + 4, "sid:")) {
		long sid = strtol(p + 4, NULL, 10);
		char needle[32];

		assert_false(sid >= 1869001 && sid <= 1869099);
		snprintf(needle, sizeof(needle), "sid:%ld;", sid);
		assert_ptr_equal(strstr(rules, needle), p);
	}
	assert_true(r.rules > 7 && r.rules < 400);
	free(rules);
	rm_rf(d);
	free(d);
	ft_free(&t);
}

static void
test_sids(void **state)
{
	uint8_t *taken = calloc(1u << 21, 1);
	long a, b, c;

	(void)state;
	a = gen_sid_hashed(1000000000, "ipport4/compromise/8443/0", taken);
	b = gen_sid_hashed(1000000000, "ipport4/compromise/8443/1", taken);
	assert_true(a >= 1000000000 && a < 1000000000 + (1L << 24));
	assert_true(a != b);
	/* the same name asks for the same SID: taken, the next one */
	c = gen_sid_hashed(1000000000, "ipport4/compromise/8443/0", taken);
	assert_int_equal(c, a + 1 == b ? a + 2 : a + 1);
	memset(taken, 0, 1u << 21);
	/* run to run: the same */
	assert_int_equal(
	    gen_sid_hashed(1000000000, "ipport4/compromise/8443/0", taken), a);
	free(taken);
}

static void
test_unwritable(void **state)
{
	struct ft t;
	struct gen_result r;
	struct merged *m;
	struct arena *a = arena_new();
	char err[256] = "";
	size_t n;

	(void)state;
	ft_init(&t, two_sources);
	fill(&t);
	for (n = 0; n < t.l.n; n++)
		t.l.v[n].deployed = 1;
	m = gen_merge(&t.l, 1, &n, a, err, sizeof(err));
	assert_int_equal(
	    gen_rules(t.cfg, m, n, "/proc/sankaku-nope", &r, err, sizeof(err)),
	    -1);
	assert_non_null(strstr(err, "/proc/sankaku-nope"));
	free(m);
	arena_free(a);
	ft_free(&t);
}

/* An arena starts small and doubles its blocks up to 1 MiB (a larger
 * request gets a block of its own size); a reset keeps the newest block,
 * the largest, and hands it out again; the others go. */
static void
test_arena_reset(void **state)
{
	struct arena *a = arena_new();
	char *second, *again;
	size_t one, i;

	(void)state;
	assert_non_null(a);
	arena_reset(a); /* nothing yet: nothing to do */
	assert_int_equal(arena_size(a), 0);
	assert_non_null(arena_strndup(a, "first", 5));
	one = arena_size(a);
	assert_int_equal(one, 16384);
	/* no room left: a new block, twice the first */
	assert_non_null(second = arena_alloc(a, one));
	assert_int_equal(arena_size(a), one + 2 * one);
	arena_reset(a);
	assert_int_equal(arena_size(a), 2 * one);
	again = arena_strndup(a, "again", 5);
	assert_ptr_equal(again, second);
	assert_string_equal(again, "again");
	/* doubling stops at 1 MiB */
	for (i = 0; i < 12; i++)
		assert_non_null(arena_alloc(a, 600000));
	arena_reset(a);
	assert_int_equal(arena_size(a), 1u << 20);
	/* a request over 1 MiB: a block of its own size */
	assert_non_null(arena_alloc(a, 3u << 20));
	assert_int_equal(arena_size(a), (1u << 20) + (3u << 20));
	arena_free(a);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_generate),
	    cmocka_unit_test(test_arena_reset),
	    cmocka_unit_test(test_index_round_trip),
	    cmocka_unit_test(test_policy),
	    cmocka_unit_test(test_second_source),
	    cmocka_unit_test(test_scale),
	    cmocka_unit_test(test_sids),
	    cmocka_unit_test(test_unwritable),
	};

	return cmocka_run_group_tests_name("gen", tests, NULL, NULL);
}
