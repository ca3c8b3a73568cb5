/*
 * test_cves.c: the vulnerabilities the feeds share, on their way to
 * sankaku-cves.json (which the desk opens triage incidents from): CVE ids
 * as people write them, STIX vulnerability objects and MISP vulnerability
 * attributes as CERTs publish them, Japanese titles longer than the room
 * kept for them, and the shipped rules that detect each CVE.
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
#include <jansson.h>

#include "cves.h"
#include "evstr.h"
#include "feedtest.h"

static void
test_normalise(void **state)
{
	static const char *const bad[] = {"CVE-18-7600", "CVE-2018-760",
	    "CVE-2018-7600x", "CVE_2018_7600", "2018-7600", "CVE-2O18-7600",
	    "CVE-2018-", "CVE-2018-123456789012345", " CVE-2018-7600", ""};
	char out[24];
	size_t i;

	(void)state;
	assert_int_equal(cve_normalise("cve-2018-7600", out), 0);
	assert_string_equal(out, "CVE-2018-7600");
	assert_int_equal(cve_normalise("CVE-2021-44228", out), 0);
	assert_string_equal(out, "CVE-2021-44228");
	assert_int_equal(cve_normalise("CVE-2023-1234567", out), 0);
	assert_string_equal(out, "CVE-2023-1234567");
	assert_int_equal(cve_normalise(NULL, out), -1);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (cve_normalise(bad[i], out) != -1)
			fail_msg("accepted \"%s\"", bad[i]);
}

/* Whether s is valid UTF-8 text with no control character. */
static int
text_ok(const char *s)
{
	return evstr_text_ok(s, strlen(s));
}

static void
test_add(void **state)
{
	struct cve_list l = {0};
	char name[400];
	size_t i;

	(void)state;
	assert_int_equal(
	    cve_add(&l, "CVE-2018-7600", 0, 1, "a\tb\nc", "r 1\x7f"), 0);
	assert_int_equal(cve_add(&l, "CVE-2018-7600", 0, 2, "again", "r2"), 0);
	assert_int_equal(cve_add(&l, "CVE-2018-7600", 1, 3, NULL, NULL), 0);
	assert_int_equal(l.n, 2); /* once per source */
	assert_string_equal(l.v[0].name, "a b c");
	/* a title that turns the text around, or hides in C1 controls */
	assert_int_equal(cve_add(&l, "CVE-2018-7600", 5, 0,
			     "safe \xe2\x80\xaegpj.exe\xc2\x85", "r"),
	    0);
	assert_string_equal(l.v[2].name, "safe gpj.exe");
	l.n--;
	assert_string_equal(l.v[0].ref, "r_1_");
	assert_int_equal(l.v[0].published, 1);
	assert_string_equal(l.v[1].name, "");
	/* a title of three-byte characters longer than the room: cut
	 * between characters, at every alignment */
	for (i = 0; i < 3; i++) {
		size_t n = 0;

		memset(name, 'x', i);
		n = i;
		while (n + 3 < sizeof(name)) {
			memcpy(name + n, "脆", 3);
			n += 3;
		}
		name[n] = '\0';
		assert_int_equal(
		    cve_add(&l, "CVE-2021-44228", 10 + i, 0, name, "ref"), 0);
		assert_true(text_ok(l.v[l.n - 1].name));
		assert_true(
		    strlen(l.v[l.n - 1].name) >= sizeof(l.v[0].name) - 4);
	}
	for (i = 0; i < 40; i++) /* grows */
		assert_int_equal(
		    cve_add(&l, "CVE-2024-0001", 100 + i, 0, "n", "r"), 0);
	assert_int_equal(l.n, 45);
	cve_list_free(&l);
	assert_int_equal(l.n, 0);
}

static const char two[] =
    "{\"sources\": ["
    "{\"id\": \"jp-cert\", \"triangle\": \"accuracy-coverage\", \"tlp\": "
    "\"green\", \"feeds\": [{\"path\": \"f\", \"format\": \"stix2\"}]},"
    "{\"id\": \"isac\", \"triangle\": \"speed-coverage\", \"tlp\": "
    "\"green\", \"feeds\": [{\"path\": \"g\", \"format\": \"misp\"}]}]}";

/* The vulnerability of id in l, or NULL. */
static const struct cve_seen *
seen(const struct cve_list *l, const char *id, size_t source)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (strcmp(l->v[i].id, id) == 0 && l->v[i].source == source)
			return &l->v[i];
	return NULL;
}

static void
test_stix(void **state)
{
	struct cve_list l = {0};
	const struct cve_seen *c;
	struct ft t;

	(void)state;
	ft_init(&t, two);
	t.ctx.cves = &l;
	assert_int_equal(
	    ft_file(&t, feed_stix, "cert-vulns.stix21.json", 0), FEED_OK);
	assert_int_equal(l.n, 2); /* the one without a CVE is not kept */
	/* by its name, lower case; described in Japanese, cut to fit */
	assert_non_null(c = seen(&l, "CVE-2018-7600", 0));
	assert_int_equal(c->published, 1522288800); /* modified */
	assert_true(text_ok(c->name));
	assert_non_null(strstr(c->name, "Drupal の複数のバージョン"));
	assert_string_equal(
	    c->ref, "vulnerability--0c7b5b88-8ff7-4a4d-aa9d-feb398cd0061");
	/* by its external reference (source_name in any case) */
	assert_non_null(c = seen(&l, "CVE-2021-44228", 0));
	assert_string_equal(
	    c->name, "Apache Log4j remote code execution (Log4Shell)");
	ft_free(&t);
	cve_list_free(&l);
}

static void
test_misp(void **state)
{
	struct cve_list l = {0};
	const struct cve_seen *c;
	struct ft t;

	(void)state;
	ft_init(&t, two);
	t.ctx.source = 1;
	t.ctx.cves = &l;
	assert_int_equal(
	    ft_file(&t, feed_misp, "misp-vuln-event.json", 0), FEED_OK);
	assert_int_equal(l.n, 1);
	assert_non_null(c = seen(&l, "CVE-2021-44228", 1));
	assert_int_equal(c->published, 1639134000); /* publish_timestamp */
	assert_true(text_ok(c->name));
	assert_non_null(strstr(c->name, "【注意喚起】Apache Log4j"));
	assert_string_equal(c->ref,
	    "61b3a9e2-7c2c-4f0e-9a51-3c2e0a1b2d3f/"
	    "61b3aa10-1d4e-4c3b-8f2a-5e6d7c8b9a01");
	/* the vulnerability is not deployed; the address is */
	assert_null(ft_find(&t, IOC_IP, "CVE-2021-44228"));
	assert_non_null(ft_find(&t, IOC_IP, "198.51.100.44"));
	ft_free(&t);
	cve_list_free(&l);
}

/* Write name in dir with text. */
static void
put(const char *dir, const char *name, const char *text)
{
	char path[512];
	FILE *fp;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	assert_non_null(fp = fopen(path, "w"));
	fputs(text, fp);
	fclose(fp);
}

/* test_write's directory, removed after it whether it passed or not. */
static char out[] = "/tmp/test_cves.XXXXXX";

static int
remove_out(void **state)
{
	char cmd[64];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf %s", out);
	return system(cmd) == 0 ? 0 : -1;
}

static void
test_write(void **state)
{
	char shipped[600], path[700], config[1200], err[512];
	struct cve_list l = {0};
	json_t *doc, *cves, *c, *r;
	json_error_t je;
	struct ft t;
	char name[300], msg[400], line[600];
	size_t n = 0;

	(void)state;
	assert_non_null(mkdtemp(out));
	snprintf(shipped, sizeof(shipped), "%s/shipped", out);
	assert_int_equal(mkdir(shipped, 0700), 0);
	put(shipped, "drupal.rules",
	    "alert http any any -> any any (msg:\"Drupalgeddon2 URI\"; "
	    "reference:cve,2018-7600; metadata:sankaku_vuln CVE-2018-7600; "
	    "sid:1869001; rev:1;)\n"
	    "# alert http any any -> any any (msg:\"off\"; "
	    "reference:cve,2018-7600; sid:1869099; rev:1;)\n"
	    "alert http any any -> any any (msg:\"Drupalgeddon2 body\"; "
	    "metadata:sankaku_vuln cve-2018-7600; sid:1869002; rev:1;)\n"
	    "alert http any any -> any any (msg:\"no sid\"; "
	    "reference:cve,2018-7600;)\n"
	    "  # alert http any any -> any any (msg:\"indented, off\"; "
	    "reference:cve,2018-7600; sid:1869098; rev:1;)\n"
	    "alert http any any -> any any (msg:\"a \\\"quoted\\\" word\\; "
	    "and sid:7 in the text\"; reference:cve,2018-7600; sid:1869004; "
	    "rev:1;)\n");
	/* a message in Japanese longer than the room kept for it */
	memcpy(msg, "xy", 2); /* so that 200 bytes end inside a character */
	for (n = 2; n + 3 < sizeof(msg); n += 3)
		memcpy(msg + n, "検", 3);
	msg[n] = '\0';
	snprintf(line, sizeof(line),
	    "alert http any any -> any any (msg:\"%s\"; "
	    "reference:cve,2018-7600; sid:1869003; rev:1;)\n",
	    msg);
	put(shipped, "local.rules", line);
	n = 0;
	put(shipped, "notes.txt",
	    "alert http any any -> any any (msg:\"not a rules file\"; "
	    "reference:cve,2021-44228; sid:1869100; rev:1;)\n");
	snprintf(config, sizeof(config),
	    "{\"rules\": {\"shipped\": \"%s\"}, \"sources\": ["
	    "{\"id\": \"jp-cert\", \"triangle\": \"accuracy-coverage\"},"
	    "{\"id\": \"isac\", \"triangle\": \"speed-coverage\"}]}",
	    shipped);
	ft_init(&t, config);
	name[n++] = 'x'; /* so that the cut falls inside a character */
	while (n + 3 < sizeof(name)) {
		memcpy(name + n, "脆", 3);
		n += 3;
	}
	name[n] = '\0';
	assert_int_equal(cve_add(&l, "CVE-2018-7600", 0, 1522288800,
			     "Drupal の脆弱性", "vulnerability--1"),
	    0);
	assert_int_equal(cve_add(&l, "CVE-2018-7600", 1, 0, name, "e/a"), 0);
	assert_int_equal(
	    cve_add(&l, "CVE-2021-44228", 1, 0, "Log4Shell", "x"), 0);
	assert_int_equal(cves_write(out, t.cfg, &l, err, sizeof(err)), 0);

	snprintf(path, sizeof(path), "%s/sankaku-cves.json", out);
	doc = json_load_file(path, 0, &je);
	if (doc == NULL)
		fail_msg("%s:%d: %s", path, je.line, je.text);
	cves = json_object_get(doc, "cves");
	assert_int_equal(json_array_size(cves), 2);
	c = json_array_get(cves, 0);
	assert_string_equal(
	    json_string_value(json_object_get(c, "id")), "CVE-2018-7600");
	/* both sources, the second with its whole (cut) title */
	assert_int_equal(json_array_size(json_object_get(c, "sources")), 2);
	r = json_array_get(json_object_get(c, "sources"), 0);
	assert_string_equal(json_string_value(json_object_get(r, "published")),
	    "2018-03-29T02:00:00Z");
	r = json_array_get(json_object_get(c, "sources"), 1);
	assert_string_equal(
	    json_string_value(json_object_get(r, "id")), "isac");
	assert_string_equal(
	    json_string_value(json_object_get(r, "published")), "");
	assert_true(json_string_length(json_object_get(r, "name")) > 100);
	/* the four rules that name it, each once; not the commented ones,
	 * not the one without a sid */
	r = json_object_get(c, "rules");
	assert_int_equal(json_array_size(r), 4);
	assert_int_equal(
	    json_integer_value(json_object_get(json_array_get(r, 2), "sid")),
	    1869004);
	assert_string_equal(
	    json_string_value(json_object_get(json_array_get(r, 2), "msg")),
	    "a \"quoted\" word; and sid:7 in the text");
	assert_true(json_string_length(
			json_object_get(json_array_get(r, 3), "msg")) > 150);
	assert_int_equal(
	    json_integer_value(json_object_get(json_array_get(r, 0), "sid")),
	    1869001);
	assert_string_equal(
	    json_string_value(json_object_get(json_array_get(r, 1), "msg")),
	    "Drupalgeddon2 body");
	assert_string_equal(
	    json_string_value(json_object_get(json_array_get(r, 1), "file")),
	    "drupal.rules");
	/* no rule for Log4Shell among the shipped ones (notes.txt is not) */
	c = json_array_get(cves, 1);
	assert_int_equal(json_array_size(json_object_get(c, "rules")), 0);
	json_decref(doc);
	ft_free(&t);
	cve_list_free(&l);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_normalise),
	    cmocka_unit_test(test_add),
	    cmocka_unit_test(test_stix),
	    cmocka_unit_test(test_misp),
	    cmocka_unit_test_teardown(test_write, remove_out),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
