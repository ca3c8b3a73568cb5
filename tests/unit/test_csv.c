/*
 * test_csv.c: CSV feeds in the layouts people publish: sankaku's own,
 * MISP's CSV export (8 and 13 columns), abuse.ch Feodo Tracker, URLhaus
 * and ThreatFox (headers in comments, ", " separators), a prefix list
 * with ';' comments, columns named in the config; and the feeds that
 * must not count as read: empty, a header only, cut inside a quote.
 */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "evstr.h"
#include "feedtest.h"
#include "recode.h"

/* A config with one CSV feed whose entry holds extra (type, columns). */
static const char *
csv_cfg(const char *extra)
{
	static char out[1024];

	snprintf(out, sizeof(out),
	    "{\"sources\": [{\"id\": \"src\", \"triangle\": "
	    "\"speed-accuracy\", \"tlp\": \"clear\", \"feeds\": [{\"path\": "
	    "\"f\", \"format\": \"csv\"%s%s}]}]}",
	    extra != NULL ? ", " : "", extra != NULL ? extra : "");
	return out;
}

static void
test_own(void **state)
{
	struct ft t;
	const struct ioc *i;

	(void)state;
	ft_init(&t, NULL);
	assert_int_equal(ft_file(&t, feed_csv, "own.csv", 0), FEED_OK);
	assert_int_equal(t.st.read, 12);
	i = ft_find(&t, IOC_DOMAIN, "login.phish-kit.example");
	assert_non_null(i);
	assert_int_equal(i->evidence, EV_ATTACK_ATTEMPT);
	assert_string_equal(i->name, "Phishing kit login page");
	assert_int_equal(
	    ft_find(&t, IOC_URL, "cdn.example/payload/stage2.bin")->tlp,
	    TLP_AMBER);
	assert_non_null(ft_find(&t, IOC_IP_PORT, "198.51.100.26:8443"));
	assert_non_null(ft_find(&t, IOC_DOMAIN_PORT, "tls-c2.example:8443"));
	assert_non_null(ft_find(&t, IOC_CIDR, "192.0.2.0/26"));
	assert_int_equal(
	    ft_find(&t, IOC_DOMAIN, "expired-own.example")->valid_until,
	    1793491200);
	assert_int_equal(ft_find(&t, IOC_DOMAIN, "good.example")->published,
	    1794409200); /* +09:00 */
	/* refused with file line and reason; never printed raw */
	assert_true(ft_logged(&t, "11: domain 'quoted,comma.example'"));
	assert_true(ft_logged(&t,
	    "14: published '2026-11-12T00:00:00+1:2' "
	    "is not a time"));
	assert_int_equal(t.st.skipped[SKIP_BAD_VALUE], 2);
	assert_int_equal(t.st.skipped[SKIP_UNSUPPORTED], 1); /* email */
	ft_free(&t);
}

static void
test_misp_export(void **state)
{
	struct ft t;
	const struct ioc *i;

	(void)state;
	ft_init(&t, NULL);
	assert_int_equal(
	    ft_file(&t, feed_csv, "misp-export-13.csv", 0), FEED_OK);
	i = ft_find(&t, IOC_DOMAIN, "csv-c2.example");
	assert_non_null(i);
	assert_int_equal(i->tlp, TLP_AMBER); /* attribute_tag */
	assert_string_equal(i->ref, "e0000001-0000-4000-8000-000000000001");
	assert_int_equal(i->published, 1795392000); /* 20261123 */
	assert_non_null(ft_find(&t, IOC_IP_PORT, "198.51.100.91:8080"));
	assert_int_equal(t.st.skipped[SKIP_NOT_FOR_IDS], 1);
	assert_int_equal(t.st.skipped[SKIP_UNSUPPORTED], 1);
	assert_int_equal(t.l.n, 4);
	ft_free(&t);
	ft_init(&t, NULL);
	assert_int_equal(
	    ft_file(&t, feed_csv, "misp-export-8.csv", 0), FEED_OK);
	assert_non_null(ft_find(&t, IOC_DOMAIN, "legacy-c2.example"));
	assert_non_null(ft_find(&t, IOC_URL, "legacy-c2.example/gate.php"));
	assert_int_equal(t.st.skipped[SKIP_NOT_FOR_IDS], 1);
	ft_free(&t);
}

static void
test_abusech(void **state)
{
	struct ft t;
	const struct ioc *i;

	(void)state;
	ft_init(&t, NULL);
	assert_int_equal(
	    ft_file(&t, feed_csv, "feodo-ipblocklist.csv", 0), FEED_OK);
	i = ft_find(&t, IOC_IP_PORT, "198.51.100.23:8443");
	assert_non_null(i);
	assert_int_equal(i->evidence, EV_COMPROMISE);
	assert_string_equal(i->name, "QakBot");
	assert_int_equal(t.l.n, 3);
	assert_int_equal(t.st.skipped[SKIP_BAD_VALUE], 1);
	ft_free(&t);

	ft_init(&t, NULL);
	assert_int_equal(
	    ft_file(&t, feed_csv, "urlhaus-recent.csv", 0), FEED_OK);
	i = ft_find(&t, IOC_URL, "198.51.100.78:37352/bin.sh");
	assert_non_null(i);
	assert_string_equal(i->ref, "urlhaus:3100001");
	assert_string_equal(i->name, "32-bit,elf,mips,Mozi");
	assert_non_null(ft_find(&t, IOC_URL, "[2001:db8:66::10]/a.sh"));
	assert_int_equal(t.st.skipped[SKIP_HTTPS_URL], 1);
	assert_int_equal(t.l.n, 4);
	ft_free(&t);

	ft_init(&t, NULL);
	assert_int_equal(
	    ft_file(&t, feed_csv, "threatfox-recent.csv", 0), FEED_OK);
	i = ft_find(&t, IOC_IP_PORT, "198.51.100.80:5638");
	assert_non_null(i);
	assert_string_equal(i->ref, "threatfox:1600001");
	assert_string_equal(i->name, "Cobalt Strike");
	assert_int_equal(i->evidence, EV_COMPROMISE);
	assert_non_null(ft_find(&t, IOC_IP_PORT, "[2001:db8:66::20]:443"));
	assert_non_null(ft_find(&t, IOC_DOMAIN, "panel.stealer.example"));
	assert_non_null(ft_find(&t, IOC_URL, "gate.stealer.example/api/v2"));
	assert_int_equal(ft_find(&t, IOC_SHA256,
			     "a77877b381f60955e775a8d203d436bf6abc7565750c30daa"
			     "a82b2c38e0aaf60")
			     ->evidence,
	    EV_ATTACK_ATTEMPT);
	assert_int_equal(t.l.n, 6);
	ft_free(&t);
}

static void
test_config_columns(void **state)
{
	struct ft t;

	(void)state;
	/* a list with ';' comments, the type in the config */
	ft_init(&t, csv_cfg("\"type\": \"cidr\""));
	assert_int_equal(ft_file(&t, feed_csv, "drop-list.txt", 0), FEED_OK);
	assert_non_null(ft_find(&t, IOC_CIDR, "203.0.113.128/25"));
	assert_non_null(ft_find(&t, IOC_CIDR, "2001:db8:dead::/48"));
	assert_int_equal(t.l.n, 4);
	ft_free(&t);
	/* columns named by header */
	ft_init(&t,
	    csv_cfg("\"type\": \"ip-port\", \"columns\": {\"value\": "
		    "\"host\", \"port\": \"service\", \"name\": "
		    "\"family\"}"));
	assert_int_equal(ft_text(&t, feed_csv,
			     "when,host,service,family\n"
			     "2026-11-01,198.51.100.5,443,X\n"),
	    FEED_OK);
	assert_string_equal(
	    ft_find(&t, IOC_IP_PORT, "198.51.100.5:443")->name, "X");
	ft_free(&t);
	/* columns by number: no header */
	ft_init(&t, csv_cfg("\"columns\": {\"type\": 2, \"value\": 1}"));
	assert_int_equal(
	    ft_text(&t, feed_csv, "bad.example,domain\n198.51.100.6,ip\n"),
	    FEED_OK);
	assert_int_equal(t.l.n, 2);
	ft_free(&t);
}

/* A Japanese ISAC's spreadsheet saved as CSV from Excel: CP932 (Shift_JIS
 * with Microsoft's additions, such as the circled ①), CRLF, Japanese
 * headers named in the config, half-width katakana.  Made UTF-8 first;
 * read as plain Shift_JIS, the ① stops it at its byte. */
static void
test_cp932(void **state)
{
	struct ft t;
	const struct ioc *i;
	char *raw, *text, err[160];
	size_t len, n;

	(void)state;
	raw = ft_slurp(FIXTURES "isac-cp932.csv", &len);
	assert_null(recode_utf8(raw, len, "shift_jis", &n, err, sizeof(err)));
	assert_non_null(strstr(err, "not shift_jis at byte "));
	text = recode_utf8(raw, len, "cp932", &n, err, sizeof(err));
	if (text == NULL)
		fail_msg("%s", err);
	assert_true(evstr_text_ok(text, strcspn(text, "\r")));
	ft_init(&t,
	    csv_cfg("\"encoding\": \"cp932\", \"columns\": {"
		    "\"type\": \"種別\", \"value\": \"指標\", "
		    "\"name\": \"説明\", \"published\": \"公開日\"}"));
	assert_int_equal(ft_text(&t, feed_csv, text), FEED_OK);
	assert_int_equal(t.l.n, 3);
	i = ft_find(&t, IOC_DOMAIN, "login-portal.example.jp");
	assert_non_null(i);
	assert_string_equal(
	    i->name, "フィッシングサイト①（ｶﾞｽ料金の請求を装う）");
	assert_int_equal(i->published, 1795132800); /* 2026-11-20 */
	assert_string_equal(
	    ft_find(&t, IOC_URL, "203.0.113.78/kakin/index.php")->name,
	    "ﾏﾙｳｪｱ配布サイト");
	assert_non_null(ft_find(&t, IOC_IP, "203.0.113.77"));
	ft_free(&t);
	/* a file that ends inside a character (種 is two bytes) */
	assert_null(recode_utf8(raw, 1, "cp932", &n, err, sizeof(err)));
	assert_string_equal(
	    err, "not cp932 at byte 0 (a character cut at the end)");
	free(text);
	free(raw);
}

static void
test_broken(void **state)
{
	struct ft t;

	(void)state;
	ft_init(&t, NULL);
	assert_int_equal(ft_text(&t, feed_csv, "\n\n"), FEED_BROKEN);
	assert_int_equal(ft_text(&t, feed_csv, "type,value\n"), FEED_BROKEN);
	assert_int_equal(
	    ft_text(&t, feed_csv, "# nothing here\n"), FEED_BROKEN);
	assert_int_equal(
	    ft_text(&t, feed_csv, "<html><body>503</body></html>\n"),
	    FEED_BROKEN);
	assert_non_null(strstr(t.ctx.why, "no header"));
	assert_int_equal(ft_text(&t, feed_csv,
			     "type,value\ndomain,a.example\ndomain,\"b.exa"),
	    FEED_TRUNCATED);
	assert_non_null(ft_find(&t, IOC_DOMAIN, "a.example"));
	ft_free(&t);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_own),
	    cmocka_unit_test(test_misp_export),
	    cmocka_unit_test(test_abusech),
	    cmocka_unit_test(test_config_columns),
	    cmocka_unit_test(test_cp932),
	    cmocka_unit_test(test_broken),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
