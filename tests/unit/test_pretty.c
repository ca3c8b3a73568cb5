/* test_pretty.c: what reaches a terminal.  Attacker bytes (escape
 * sequences, NUL, C1 controls, bidi overrides, invalid UTF-8) come out as
 * visible escapes; Japanese and ordinary text come out as they are. */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "pretty.h"

static char *
safe(const char *s, size_t n)
{
	static char out[256];
	struct buf b = {NULL, 0, 0, 0};

	pretty_text(&b, s, n);
	snprintf(out, sizeof(out), "%s", b.s != NULL ? b.s : "");
	free(b.s);
	return out;
}

static void
test_text(void **state)
{
	(void)state;
	assert_string_equal(safe("plain ascii", 11), "plain ascii");
	assert_string_equal(
	    safe("封じ込め/根絶/復旧", strlen("封じ込め/根絶/復旧")),
	    "封じ込め/根絶/復旧");
	assert_string_equal(safe("\x1b[31mred", 8), "\\x1b[31mred");
	assert_string_equal(safe("a\0b\r\n", 5), "a\\x00b\\x0d\\x0a");
	assert_string_equal(safe("\x7f", 1), "\\x7f");
	assert_string_equal(safe("\xc2\x9b"
				 "2J",
				4),
	    "\\x9b2J"); /* C1 CSI */
	assert_string_equal(safe("x\xe2\x80\xaey", 5), "x\\u{202e}y");
	assert_string_equal(safe("\xff\xfe", 2), "\\xff\\xfe");
	assert_string_equal(safe("\xe6\x97", 2), "\\xe6\\x97"); /* cut */
}

static void
test_alert(void **state)
{
	json_t *a = json_loads(
	    "{\"timestamp\":\"t\",\"src_ip\":\"10.0.0.1\",\"dest_ip\":\"x\","
	    "\"alert\":{\"signature\":\"ET \\u001b[2Jboom\",\"action\":"
	    "\"allowed\"},\"sankaku\":{\"phase\":{\"ja\":\"検知および分析\","
	    "\"en\":\"Detection\"},\"roles\":[{\"code\":\"B-1\",\"ja\":"
	    "\"リアルタイムアナリシス\"}],\"sources\":[],\"kpi\":\"k\","
	    "\"evidence\":\"e\",\"tlp\":\"amber+strict\\u001b\",\"indicator\":"
	    "{\"type\":\"domain\",\"value\":\"c2.example\",\"name\":"
	    "\"Loader\\u001b[31m C2\"}}}",
	    JSON_ALLOW_NUL, NULL);
	struct buf b = {NULL, 0, 0, 0};

	(void)state;
	assert_non_null(a);
	pretty_alert(&b, a);
	assert_non_null(strstr(b.s, "ET \\x1b[2Jboom"));
	/* no DNS, TLS or HTTP: the flow line ends at the action */
	assert_non_null(strstr(b.s, "action=allowed\n"));
	assert_null(strchr(b.s, '\x1b'));
	assert_non_null(strstr(b.s, "phase    : 検知および分析  /  Detection"));
	assert_non_null(strstr(b.s, "roles    : B-1 リアルタイムアナリシス"));
	assert_non_null(strstr(b.s, "sources  : none"));
	/* the TLP in capitals, nothing but its letters */
	assert_non_null(strstr(b.s, "tlp      : TLP:AMBER+STRICT\n"));
	assert_non_null(strstr(
	    b.s, "indicator: domain c2.example  \"Loader\\x1b[31m C2\""));
	free(b.s);
	json_decref(a);
}

/* A flow's end: IPv6 in its short form, bracketed before a port; an
 * absent address as "-"; a hostile one made safe. */
static void
test_end(void **state)
{
	json_t *a = json_loads("{\"v6\":\"2001:0db8:0000:0000:0000:0000:0000:"
			       "0023\",\"v4\":\"10.0.0.1\",\"p\":443,"
			       "\"bad\":\"\\u001b[2J\\u0000x\"}",
	    JSON_ALLOW_NUL, NULL);
	struct {
		const char *ip, *port, *want;
	} cases[] = {
	    {"v6", "p", "[2001:db8::23]:443"},
	    {"v6", NULL, "2001:db8::23"},
	    {"v4", "p", "10.0.0.1:443"},
	    {"none", "p", "-:443"},
	    {"bad", NULL, "\\x1b[2J\\x00x"},
	};
	struct buf b = {NULL, 0, 0, 0};
	size_t i;

	(void)state;
	assert_non_null(a);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		b.len = 0;
		pretty_end(&b, json_object_get(a, cases[i].ip),
		    cases[i].port != NULL ? json_object_get(a, cases[i].port)
					  : NULL);
		assert_string_equal(b.s, cases[i].want);
	}
	free(b.s);
	json_decref(a);
}

/* Where an alert points: its DNS name as Suricata 7 and 8 log it, its
 * TLS name, or its HTTP host and URL. */
static void
test_where(void **state)
{
	static const struct {
		const char *alert, *want;
	} cases[] = {
	    {"{\"dns\":{\"query\":[{\"rrname\":\"seven.example\"}]}}",
		"seven.example"},
	    {"{\"dns\":{\"version\":3,\"queries\":[{\"rrname\":"
	     "\"eight.example\",\"rrtype\":\"A\"}]}}",
		"eight.example"},
	    {"{\"tls\":{\"sni\":\"sni.example\"}}", "sni.example"},
	    {"{\"http\":{\"hostname\":\"h.example\",\"url\":\"/x\"}}",
		"h.example/x"},
	    {"{\"dns\":{\"queries\":[]}}", ""},
	};
	struct buf b = {NULL, 0, 0, 0};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		json_t *a = json_loads(cases[i].alert, 0, NULL);

		assert_non_null(a);
		b.len = 0;
		pretty_where(&b, a);
		buf_put(&b, "", 1);
		assert_string_equal(b.s, cases[i].want);
		json_decref(a);
	}
	free(b.s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_text),
	    cmocka_unit_test(test_where),
	    cmocka_unit_test(test_alert),
	    cmocka_unit_test(test_end),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
