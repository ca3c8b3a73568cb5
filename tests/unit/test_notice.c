/* test_notice.c: the line a team chat gets (inc_notice.c): who must act,
 * by team; the values made to read as themselves in chat markup (no
 * link, mention or entity of an attacker's making); cut at a
 * character's start; both languages. */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "incident.h"

static json_t *
incident(const char *asset, const char *sig)
{
	json_t *inc = json_pack(
	    "{s:s, s:s, s:s, s:n, s:{s:s, s:s, s:s},"
	    " s:[{s:s, s:s, s:s, s:s}, {s:s, s:s, s:s, s:s}, {s:s, s:s, s:s,"
	    " s:n}, {s:s, s:s, s:s, s:s}], s:[{s:i, s:s}]}",
	    "id", "20261129-000004", "state", "open", "asset", asset, "cve",
	    "phase", "id", "detection-analysis", "ja", "検知および分析", "en",
	    "Detection and analysis", "who", "code", "B-1", "ja", "基本分析",
	    "en", "Basic analysis", "team", "soc", "code", "D-1", "ja", "受付",
	    "en", "Intake", "team", "csirt", "code", "I-5", "ja", "連携", "en",
	    "Vendors", "team", "code", "B-2", "ja", "高度分析", "en",
	    "Advanced analysis", "team", "soc", "signatures", "sid", 7,
	    "signature", sig);

	assert_non_null(inc);
	return inc;
}

static void
test_teams(void **state)
{
	json_t *inc = incident("192.168.10.80", "ET EXPLOIT Drupalgeddon2");
	char *s;

	(void)state;
	s = inc_notice(inc, 1, 0, "");
	assert_string_equal(s,
	    "[sankaku] 新規インシデント 20261129-000004 (192.168.10.80)："
	    "検知および分析。対応：soc（B-1、B-2）、csirt（D-1）、担当なし"
	    "（I-5）。最初のアラート：ET EXPLOIT Drupalgeddon2。");
	free(s);
	s = inc_notice(inc, 0, 1, "https://soc.example/sankaku/");
	assert_string_equal(s,
	    "[sankaku] Incident 20261129-000004 (192.168.10.80) is now in "
	    "Detection and analysis. To act: soc (B-1, B-2), csirt (D-1), "
	    "nobody (I-5). https://soc.example/sankaku/"
	    "#/incident/20261129-000004");
	free(s);
	json_decref(inc);
}

/* A rule's name is the attacker's to choose only in part, but a chat
 * must never read it as a link, a mention or an entity. */
static void
test_markup(void **state)
{
	json_t *inc = incident("192.168.10.80",
	    "<!channel> @here <https://evil.example|click> &amp; \x1b[2J");
	char *s;

	(void)state;
	s = inc_notice(inc, 1, 1, "");
	assert_non_null(strstr(s,
	    "First alert: &lt;!channel&gt; \xef\xbc\xa0here &lt;https://"
	    "evil.example|click&gt; &amp;amp;  [2J."));
	assert_null(strchr(s, '<'));
	assert_null(strchr(s, '@'));
	assert_null(strchr(s, '\x1b'));
	free(s);
	json_decref(inc);
}

/* Long values are cut where a character begins: the text stays UTF-8
 * (a JSON string), and says it was cut. */
static void
test_cut(void **state)
{
	char sig[400] = "";
	json_t *inc, *j;
	char *s;
	int i;

	(void)state;
	for (i = 0; i < 100; i++)
		strcat(sig, "攻"); /* 3 bytes each: 160 falls inside one */
	inc = incident("192.168.10.80", sig);
	s = inc_notice(inc, 1, 0, "");
	j = json_string(s); /* NULL if s is not UTF-8 */
	assert_non_null(j);
	assert_non_null(strstr(s, "攻…。"));
	json_decref(j);
	free(s);
	json_decref(inc);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_teams),
	    cmocka_unit_test(test_markup),
	    cmocka_unit_test(test_cut),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
