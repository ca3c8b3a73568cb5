/* test_fetch.c: what sankaku-fetch does without the network: the pages
 * of a TAXII 2.1 collection, a reply's shape, the validators kept for a
 * conditional GET, and the key read from its file. */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "fpage.h"
#include "keyfile.h"

/* A literal and its length. */
#define S(lit) lit, strlen(lit)

static void
test_taxii_url(void **state)
{
	char *u;

	(void)state;
	u = fpage_url_add("https://t.example/api/collections/c/objects/",
	    "next", "a1-B2_c.~");
	assert_string_equal(
	    u, "https://t.example/api/collections/c/objects/?next=a1-B2_c.~");
	free(u);
	/* the server's token may hold anything: encoded, byte by byte */
	u = fpage_url_add("https://t.example/o/?match[type]=indicator", "next",
	    "p/2 +&=\xc3\xa9");
	assert_string_equal(u,
	    "https://t.example/o/?match[type]=indicator"
	    "&next=p%2F2%20%2B%26%3D%C3%A9");
	free(u);
	/* what was added after a time, then its next page */
	u = fpage_url_add(
	    "https://t.example/o/", "added_after", "2026-11-25T09:00:00.5Z");
	assert_string_equal(
	    u, "https://t.example/o/?added_after=2026-11-25T09%3A00%3A00.5Z");
	{
		char *v = fpage_url_add(u, "next", "n2");

		assert_string_equal(v,
		    "https://t.example/o/"
		    "?added_after=2026-11-25T09%3A00%3A00.5Z"
		    "&next=n2");
		free(v);
	}
	free(u);
}

/* Which of two TAXII timestamps is later: by the second, then by the
 * fraction however many digits each has; anything else is not later. */
static void
test_taxii_later(void **state)
{
	(void)state;
	assert_true(fpage_taxii_later(
	    "2026-11-25T09:00:01Z", "2026-11-25T09:00:00.999999Z"));
	assert_false(fpage_taxii_later(
	    "2026-11-25T09:00:00.999999Z", "2026-11-25T09:00:01Z"));
	assert_true(fpage_taxii_later(
	    "2026-11-25T09:00:00.1Z", "2026-11-25T09:00:00.099999Z"));
	assert_true(fpage_taxii_later(
	    "2026-11-25T09:00:00.000001Z", "2026-11-25T09:00:00Z"));
	assert_true(fpage_taxii_later(
	    "2027-01-01T00:00:00Z", "2026-12-31T23:59:59.9Z"));
	/* the same instant, written two ways, is not later */
	assert_false(fpage_taxii_later(
	    "2026-11-25T09:00:00.500Z", "2026-11-25T09:00:00.5Z"));
	assert_false(fpage_taxii_later(
	    "2026-11-25T09:00:00Z", "2026-11-25T09:00:00.000Z"));
	/* not TAXII's form: never later, so the fetch goes whole */
	assert_false(fpage_taxii_later(
	    "2026-11-25T10:00:00+09:00", "2026-11-25T09:00:00Z"));
	assert_false(
	    fpage_taxii_later("2026-11-25T09:00:01.Z", "2026-11-25T09:00:00Z"));
	assert_false(
	    fpage_taxii_later("2026-11-25T09:00:01Z ", "2026-11-25T09:00:00Z"));
	assert_false(
	    fpage_taxii_later("2026-11-25T09:00:01Z", "2026-11-25T09:00"));
	assert_false(fpage_taxii_later("", "2026-11-25T09:00:00Z"));
	assert_false(fpage_taxii_later(
	    "Wed, 25 Nov 2026 10:00:00 GMT", "2026-11-25T09:00:00Z"));
}

static void
test_taxii_take(void **state)
{
	json_t *objs = json_array();
	char *next, err[256];
	const char *p1 = "{\"more\": true, \"next\": \"n2\", \"objects\": "
			 "[{\"type\": \"indicator\", \"id\": \"indicator--1\"},"
			 " {\"type\": \"identity\", \"id\": \"identity--1\"}]}";
	const char *p2 = "{\"more\": false, \"objects\": [{\"type\": "
			 "\"indicator\", \"id\": \"indicator--2\", \"name\": "
			 "\"a\\u0000b\"}]}";

	(void)state;
	assert_int_equal(
	    fpage_taxii_take(p1, strlen(p1), objs, &next, err, sizeof(err)), 0);
	assert_string_equal(next, "n2");
	free(next);
	assert_int_equal(
	    fpage_taxii_take(p2, strlen(p2), objs, &next, err, sizeof(err)), 0);
	assert_null(next);
	assert_int_equal(json_array_size(objs), 3);
	assert_string_equal(
	    json_string_value(json_object_get(json_array_get(objs, 2), "id")),
	    "indicator--2");
	/* an empty collection: an envelope without objects */
	assert_int_equal(
	    fpage_taxii_take(S("{}"), objs, &next, err, sizeof(err)), 0);
	assert_null(next);
	assert_int_equal(json_array_size(objs), 3);
	/* what must fail: the feed would be cut short or wrong */
	assert_int_equal(
	    fpage_taxii_take(S("{\"more\": true, \"objects\": []}"), objs,
		&next, err, sizeof(err)),
	    -1);
	assert_string_equal(err, "\"more\" is true but there is no \"next\"");
	assert_int_equal(fpage_taxii_take(S("{\"objects\": [1]}"), objs, &next,
			     err, sizeof(err)),
	    -1);
	assert_string_equal(err, "objects[0]: not an object");
	assert_int_equal(fpage_taxii_take(S("{\"objects\": {}}"), objs, &next,
			     err, sizeof(err)),
	    -1);
	assert_non_null(strstr(err, "not a TAXII 2.1 envelope"));
	assert_int_equal(fpage_taxii_take(S("{\"more\": \"yes\"}"), objs, &next,
			     err, sizeof(err)),
	    -1);
	assert_int_equal(
	    fpage_taxii_take(S("<html>"), objs, &next, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "not JSON"));
	assert_null(next);
	json_decref(objs);
}

/* lj: fpage_looks_json on the whole of a literal. */
static int
lj(const char *doc, int misp, char *err, size_t errlen)
{
	return fpage_looks_json(doc, strlen(doc), doc, strlen(doc),
	    misp ? "response" : NULL, err, errlen);
}

static void
test_looks_json(void **state)
{
	char err[256];
	const char *big = "{\"type\": \"bundle\", \"objects\": [ ... ]}";
	json_t *q;

	(void)state;
	assert_int_equal(
	    lj("{\"response\": {\"Attribute\": []}}\n", 1, err, sizeof(err)),
	    0);
	assert_int_equal(lj("\xef\xbb\xbf  [ ]", 1, err, sizeof(err)), 0);
	assert_int_equal(
	    lj("{\n  \"response\" : []\n}", 1, err, sizeof(err)), 0);
	/* only the ends are looked at: head and tail of a large document */
	assert_int_equal(fpage_looks_json(big, 10, big + strlen(big) - 3, 3,
			     NULL, err, sizeof(err)),
	    0);
	/* a MISP feed's event */
	assert_int_equal(fpage_looks_json(S("{\"Event\": {}}"), S("}"), "Event",
			     err, sizeof(err)),
	    0);
	assert_int_equal(fpage_looks_json(S("{\"Events\": {}}"), S("}"),
			     "Event", err, sizeof(err)),
	    -1);
	assert_string_equal(err, "no \"Event\" in MISP's reply (an error?)");
	assert_int_equal(
	    fpage_looks_json(S("{\"Eve"), S("}"), "Event", err, sizeof(err)),
	    -1);
	assert_int_equal(
	    lj("{\"name\": \"Authentication failed.\"}", 1, err, sizeof(err)),
	    -1);
	assert_string_equal(err, "no \"response\" in MISP's reply (an error?)");
	assert_int_equal(
	    lj("{\"name\": \"Authentication failed.\"}", 0, err, sizeof(err)),
	    0); /* a STIX bundle needs no response */
	assert_int_equal(lj("{\"type\": \"bundle\", \"objects\": [{\"type\":",
			     0, err, sizeof(err)),
	    -1);
	assert_string_equal(err, "cut short: it does not end with }");
	assert_int_equal(lj("[1, 2}", 0, err, sizeof(err)), -1);
	assert_int_equal(lj("Rate limit exceeded", 0, err, sizeof(err)), -1);
	assert_string_equal(err, "not JSON: it does not begin with { or [");
	assert_int_equal(lj(" \r\n", 0, err, sizeof(err)), -1);
	assert_string_equal(err, "an empty reply");
	/* our default question: IDS attributes, with the events' TLP tags */
	q = json_loads(fpage_misp_query, 0, NULL);
	assert_non_null(q);
	assert_true(json_is_true(json_object_get(q, "to_ids")));
	assert_true(json_is_true(json_object_get(q, "includeEventTags")));
	assert_true(json_is_false(json_object_get(q, "deleted")));
	assert_string_equal(
	    json_string_value(json_object_get(q, "returnFormat")), "json");
	json_decref(q);
}

static void
test_clean_value(void **state)
{
	char v[16];

	(void)state;
	strcpy(v, "\"abc\"  ");
	fpage_clean_value(v, sizeof(v));
	assert_string_equal(v, "\"abc\"");
	strcpy(v, "a\r\nX-Evil: 1"); /* a header of its own: dropped */
	fpage_clean_value(v, sizeof(v));
	assert_string_equal(v, "");
	strcpy(v, "caf\xc3\xa9");
	fpage_clean_value(v, sizeof(v));
	assert_string_equal(v, "");
	memset(v, 'x', sizeof(v)); /* no NUL in the room */
	fpage_clean_value(v, sizeof(v));
	assert_string_equal(v, "");
}

static void
test_validators(void **state)
{
	char dir[] = "/tmp/test_fetch.XXXXXX", path[64], *side;
	struct fpage_validators v = {"W/\"5f-1\"",
				    "Wed, 25 Nov 2026 10:00:00 GMT", 1795600000,
				    "2026-11-25T09:00:00.123456Z", 1795500000,
				    "0123456789abcdef"},
				got;
	FILE *fp;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/feodo.csv", dir);
	side = fpage_side_path(path);
	assert_non_null(strstr(side, "/.feodo.csv.fetch"));
	fpage_validators_read(path, &got); /* none yet */
	assert_string_equal(got.etag, "");
	assert_int_equal(fpage_validators_write(path, &v), 0);
	fpage_validators_read(path, &got);
	assert_string_equal(got.etag, v.etag);
	assert_string_equal(got.last_modified, v.last_modified);
	assert_int_equal(got.ok_at, 1795600000);
	assert_string_equal(got.added_last, v.added_last);
	assert_int_equal(got.whole_at, 1795500000);
	assert_string_equal(got.url_sum, "0123456789abcdef");
	/* a side file tampered with: what is not clean is not sent */
	fp = fopen(side, "w");
	assert_non_null(fp);
	fputs("etag \"a\"\x01\nlast-modified Wed\nok 12x\n"
	      "taxii-added-last 2026-11-25T09:00:00Z&x=1\nwhole -5\n"
	      "url-sum 0123456789ABCDEF\n",
	    fp);
	fclose(fp);
	fpage_validators_read(path, &got);
	assert_string_equal(got.etag, "");
	assert_string_equal(got.last_modified, "Wed");
	assert_int_equal(got.ok_at, 0);
	assert_string_equal(got.added_last, "");
	assert_int_equal(got.whole_at, 0);
	assert_string_equal(got.url_sum, "");
	/* nothing to keep: the side file goes */
	memset(&v, 0, sizeof(v));
	assert_int_equal(fpage_validators_write(path, &v), 0);
	assert_int_not_equal(access(side, F_OK), 0);
	free(side);
	/* a path without a directory: beside it in the working directory */
	{
		char cwd[4096];

		assert_non_null(getcwd(cwd, sizeof(cwd)));
		assert_int_equal(chdir(dir), 0);
		v.ok_at = 7;
		assert_int_equal(fpage_validators_write("rel.csv", &v), 0);
		fpage_validators_read("rel.csv", &got);
		assert_int_equal(got.ok_at, 7);
		assert_int_equal(unlink(".rel.csv.fetch"), 0);
		assert_int_equal(chdir(cwd), 0);
	}
	assert_int_equal(rmdir(dir), 0);
	side = fpage_side_path("plain.csv");
	assert_string_equal(side, ".plain.csv.fetch");
	free(side);
}

/* A MISP feed's manifest: the events changed since a time, oldest first;
 * a name that is not a UUID (it would make a path and a URL) or an event
 * without its time is counted, never asked for. */
static void
test_manifest(void **state)
{
	static const char m[] =
	    "{\"5f1e2d3c-0000-4000-8000-00000000000b\": {\"info\": \"b\", "
	    "\"timestamp\": \"3000\", \"Orgc\": {\"name\": \"CIRCL\"}},"
	    " \"5F1E2D3C-0000-4000-8000-00000000000A\": {\"timestamp\": 2000},"
	    " \"5f1e2d3c-0000-4000-8000-0000000000cc\": {\"timestamp\": 500},"
	    " \"../../etc/passwd\": {\"timestamp\": 4000},"
	    " \"5f1e2d3c-0000-4000-8000-00000000000d.json\": {\"timestamp\": "
	    "4000},"
	    " \"5f1e2d3c-0000-4000-8000-00000000000e\": {\"info\": \"no "
	    "time\"},"
	    " \"5f1e2d3c-0000-4000-8000-00000000000f\": {\"timestamp\": "
	    "\"12x\"}}";
	struct fpage_event *ev;
	size_t n, total, bad;
	char err[256], *dir;

	(void)state;
	assert_int_equal(fpage_manifest(S(m), 1000, 100, &ev, &n, &total, &bad,
			     err, sizeof(err)),
	    0);
	assert_int_equal(total, 7);
	assert_int_equal(bad, 4);
	assert_int_equal(n, 2);
	assert_string_equal(ev[0].uuid, "5F1E2D3C-0000-4000-8000-00000000000A");
	assert_int_equal(ev[0].ts, 2000);
	assert_string_equal(ev[1].uuid, "5f1e2d3c-0000-4000-8000-00000000000b");
	assert_int_equal(ev[1].ts, 3000);
	free(ev);
	/* more wanted than allowed: said, nothing taken */
	assert_int_equal(
	    fpage_manifest(S(m), 0, 2, &ev, &n, &total, &bad, err, sizeof(err)),
	    -1);
	assert_non_null(strstr(err, "more than 2 events"));
	assert_null(ev);
	assert_int_equal(fpage_manifest(S("[{\"timestamp\": 1}]"), 0, 100, &ev,
			     &n, &total, &bad, err, sizeof(err)),
	    -1);
	assert_string_equal(
	    err, "not a MISP feed's manifest (an object of events by UUID)");
	assert_int_equal(fpage_manifest(S("<html>"), 0, 100, &ev, &n, &total,
			     &bad, err, sizeof(err)),
	    -1);
	assert_non_null(strstr(err, "not JSON"));
	assert_int_equal(fpage_manifest(S("{}"), 0, 100, &ev, &n, &total, &bad,
			     err, sizeof(err)),
	    0);
	assert_int_equal(n, 0);
	free(ev);
	dir = fpage_events_dir("/var/lib/sankaku/feeds/osint.json");
	assert_string_equal(dir, "/var/lib/sankaku/feeds/.osint.json.events");
	free(dir);
	dir = fpage_events_dir("osint.json");
	assert_string_equal(dir, ".osint.json.events");
	free(dir);
}

static void
test_keyfile(void **state)
{
	char path[] = "/tmp/test_fetch_key.XXXXXX", err[512], *k;
	int fd = mkstemp(path);
	FILE *fp;

	(void)state;
	assert_true(fd >= 0);
	fp = fdopen(fd, "w");
	fputs("  Basic c29jOnB3  \nsecond line\n", fp);
	fclose(fp);
	k = keyfile_read(path, err, sizeof(err));
	assert_string_equal(k, "Basic c29jOnB3");
	keyfile_free(k);
	fp = fopen(path, "w");
	fputs("key\twith\x01 control\n", fp);
	fclose(fp);
	assert_null(keyfile_read(path, err, sizeof(err)));
	assert_non_null(strstr(err, "a control character in the key"));
	assert_null(strstr(err, "with")); /* the key is never repeated */
	fp = fopen(path, "w");
	fputs("\n", fp);
	fclose(fp);
	assert_null(keyfile_read(path, err, sizeof(err)));
	assert_non_null(strstr(err, "no key on its first line"));
	/* systemd's copy of a credential of the same name wins */
	{
		char creds[] = "/tmp/test_fetch_creds.XXXXXX", copy[128];
		const char *base = strrchr(path, '/') + 1;

		assert_non_null(mkdtemp(creds));
		snprintf(copy, sizeof(copy), "%s/%s", creds, base);
		fp = fopen(copy, "w");
		fputs("from-the-credential\n", fp);
		fclose(fp);
		setenv("CREDENTIALS_DIRECTORY", creds, 1);
		k = keyfile_read(path, err, sizeof(err));
		assert_string_equal(k, "from-the-credential");
		keyfile_free(k);
		unlink(copy);
		/* none of that name: the file the config names */
		assert_null(keyfile_read(path, err, sizeof(err)));
		assert_non_null(strstr(err, "no key on its first line"));
		unsetenv("CREDENTIALS_DIRECTORY");
		assert_int_equal(rmdir(creds), 0);
	}
	unlink(path);
	assert_null(keyfile_read(path, err, sizeof(err)));
	assert_non_null(strstr(err, "No such file"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_taxii_url),
	    cmocka_unit_test(test_taxii_later),
	    cmocka_unit_test(test_taxii_take),
	    cmocka_unit_test(test_looks_json),
	    cmocka_unit_test(test_clean_value),
	    cmocka_unit_test(test_validators),
	    cmocka_unit_test(test_manifest),
	    cmocka_unit_test(test_keyfile),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
