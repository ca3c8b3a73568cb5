/*
 * test_misp.c: MISP events as files and as REST responses (events and
 * attribute searches): composites, deleted attributes and objects,
 * to_ids in its spellings, TLP tags on events and attributes, and each
 * attribute's event and attribute uuid kept for sightings.
 */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "feedtest.h"

static void
test_event_file(void **state)
{
	struct ft t;
	const struct ioc *i;

	(void)state;
	ft_init(&t, NULL);
	assert_int_equal(ft_file(&t, feed_misp, "misp-event.json", 0), FEED_OK);
	assert_int_equal(t.st.read, 18);
	assert_int_equal(t.l.n, 11);
	i = ft_find(&t, IOC_DOMAIN, "evil-login.example");
	assert_non_null(i);
	assert_int_equal(i->tlp, TLP_GREEN); /* the event's tag */
	assert_string_equal(i->ref,
	    "5f3c2a1b-7e8d-4c9a-b0f1-2e3d4c5b6a79/"
	    "a0000001-1111-4222-8333-444455556661");
	assert_string_equal(
	    i->name, "Phishing campaign against finance staff (fixture)");
	assert_int_equal(i->published, 1795255200); /* publish_timestamp */
	assert_non_null(ft_find(&t, IOC_IP, "198.51.100.44"));
	assert_non_null(ft_find(&t, IOC_IP_PORT, "198.51.100.45:4443"));
	assert_non_null(ft_find(&t, IOC_DOMAIN_PORT, "c2.misp.example:8443"));
	assert_non_null(
	    ft_find(&t, IOC_URL, "misp-drop.example/files/dl.php?id=42"));
	assert_non_null(
	    ft_find(&t, IOC_MD5, "6caf5b49174feaf7968566e32b09d6e1"));
	assert_int_equal(ft_find(&t, IOC_SHA256,
			     "9fb793df49ebb8ec80e27fd21f8c0f"
			     "da402d85faf3cb24be5178a0a4ec4"
			     "b042f")
			     ->evidence,
	    EV_COMPROMISE); /* Artifacts dropped */
	/* an attribute's own tag, stricter than the event's */
	assert_int_equal(
	    ft_find(&t, IOC_DOMAIN, "amber-only.example")->tlp, TLP_AMBER);
	assert_non_null(ft_find(&t, IOC_IP, "192.0.2.150")); /* to_ids "1" */
	/* object attributes */
	assert_non_null(
	    ft_find(&t, IOC_SHA1, "ca118f05d354d16d50ffe2f421abce38d8bacffc"));
	/* deleted, in a deleted object, not for IDS, not matchable */
	assert_null(ft_find(&t, IOC_DOMAIN, "deleted.example"));
	assert_null(ft_find(&t, IOC_DOMAIN, "in-deleted-object.example"));
	assert_null(ft_find(&t, IOC_DOMAIN, "context-only.example"));
	assert_int_equal(t.st.skipped[SKIP_DELETED], 2);
	assert_int_equal(t.st.skipped[SKIP_NOT_FOR_IDS], 3);
	assert_int_equal(t.st.skipped[SKIP_UNSUPPORTED], 3);
	assert_true(ft_logged(&t, "Event.Attribute[11]: regkey"));
	ft_free(&t);
}

static void
test_rest(void **state)
{
	struct ft t;

	(void)state;
	ft_init(&t, NULL);
	/* three events; the third cannot be read and costs itself only */
	assert_int_equal(ft_file(&t, feed_misp, "misp-rest.json", 0), FEED_OK);
	assert_int_equal(ft_find(&t, IOC_IP, "198.51.100.60")->tlp, TLP_CLEAR);
	assert_non_null(
	    ft_find(&t, IOC_JA3, "9b9ffe822e1c88bbd76d24a9e915802f"));
	assert_int_equal(
	    ft_find(&t, IOC_DOMAIN, "victim-named.example")->tlp, TLP_RED);
	assert_null(ft_find(&t, IOC_DOMAIN, "never-deployed.example"));
	assert_int_equal(t.st.skipped[SKIP_BAD_OBJECT], 1);
	assert_true(ft_logged(&t, "response[2]: not JSON"));
	ft_free(&t);
	/* attributes/restSearch */
	ft_init(&t, NULL);
	assert_int_equal(
	    ft_file(&t, feed_misp, "misp-attributes.json", 0), FEED_OK);
	assert_int_equal(t.l.n, 1);
	assert_int_equal(
	    ft_find(&t, IOC_URL, "198.51.100.78:37352/bin.sh")->tlp, TLP_AMBER);
	assert_string_equal(t.l.v[0].name, "IoT botnet loaders (fixture)");
	ft_free(&t);
}

static void
test_broken(void **state)
{
	struct ft t;
	char path[256], *text;
	size_t len;

	(void)state;
	ft_init(&t, NULL);
	assert_int_equal(ft_text(&t, feed_misp, "   \n"), FEED_BROKEN);
	assert_int_equal(ft_text(&t, feed_misp, "{\"Evnt\": {}}"), FEED_BROKEN);
	assert_int_equal(ft_text(&t, feed_misp, "not json"), FEED_BROKEN);
	ft_free(&t);
	/* a single event cut short: truncated, nothing half-deployed */
	snprintf(path, sizeof(path), FIXTURES "misp-event.json");
	text = ft_slurp(path, &len);
	ft_init(&t, NULL);
	assert_int_equal(feed_misp(&t.ctx, text, len / 2), FEED_TRUNCATED);
	assert_int_equal(t.l.n, 0);
	ft_free(&t);
	free(text);
	/* a response cut after its first event: that event is kept */
	snprintf(path, sizeof(path), FIXTURES "misp-rest.json");
	text = ft_slurp(path, &len);
	ft_init(&t, NULL);
	assert_int_equal(
	    feed_misp(&t.ctx, text, (size_t)(strstr(text, "2002") - text)),
	    FEED_TRUNCATED);
	assert_non_null(ft_find(&t, IOC_IP, "198.51.100.60"));
	ft_free(&t);
	free(text);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_event_file),
	    cmocka_unit_test(test_rest),
	    cmocka_unit_test(test_broken),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
