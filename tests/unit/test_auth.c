/*
 * test_auth.c: the desk's users and sessions.  A token is stored only as
 * its SHA-256 and found again by it; names are unique and checked; a
 * damaged users file is refused naming its line; a session ends after
 * its idle time and each use starts that time again; a reload keeps the
 * sessions of the users it still has.
 */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "auth.h"

static const char cfg_text[] =
    "{\"sources\": [], \"organisation\": {\"teams\": ["
    " {\"id\": \"soc\", \"name\": \"SOC\", \"sourcing\": \"outsource\","
    "  \"roles\": [\"B-*\"]}]}}";

static char dir[] = "/tmp/sankaku-test-auth.XXXXXX";
static char path[256];

static int
setup(void **state)
{
	(void)state;
	if (mkdtemp(dir) == NULL)
		return -1;
	snprintf(path, sizeof(path), "%s/users.json", dir);
	return 0;
}

static int
teardown(void **state)
{
	char p[300];

	(void)state;
	unlink(path);
	snprintf(p, sizeof(p), "%s/bad.json", dir);
	unlink(p);
	return rmdir(dir);
}

static struct cfg *
cfg(void)
{
	char err[256];
	struct cfg *c =
	    cfg_parse("t.json", cfg_text, strlen(cfg_text), err, sizeof(err));

	if (c == NULL)
		fail_msg("%s", err);
	return c;
}

/* Users added, found by token only, stored hashed. */
static void
test_users(void **state)
{
	struct cfg *c = cfg();
	struct auth *a;
	char err[256], *tok, *tok2, buf[4096];
	const char *name, *team;
	FILE *fp;
	size_t n;

	(void)state;
	a = auth_load(path, err, sizeof(err));
	assert_non_null(a); /* no file yet: no users */
	assert_int_equal(auth_count(a), 0);
	auth_free(a);
	tok = auth_add_user(path, "aoi", "soc", c, err, sizeof(err));
	assert_non_null(tok);
	assert_int_equal(strlen(tok), 2 * AUTH_TOKEN_BYTES);
	assert_null(auth_add_user(path, "aoi", "soc", c, err, sizeof(err)));
	assert_non_null(strstr(err, "user aoi exists"));
	assert_null(auth_add_user(path, "a b", "soc", c, err, sizeof(err)));
	assert_null(auth_add_user(path, "ken", "nope", c, err, sizeof(err)));
	assert_non_null(strstr(err, "organisation.teams"));
	tok2 = auth_add_user(path, "ken", "soc", c, err, sizeof(err));
	assert_non_null(tok2);
	assert_string_not_equal(tok, tok2);
	/* the file holds hashes, never a token */
	fp = fopen(path, "r");
	assert_non_null(fp);
	n = fread(buf, 1, sizeof(buf) - 1, fp);
	buf[n] = '\0';
	fclose(fp);
	assert_null(strstr(buf, tok));
	assert_null(strstr(buf, tok2));
	a = auth_load(path, err, sizeof(err));
	assert_non_null(a);
	assert_int_equal(auth_count(a), 2);
	assert_int_equal(auth_token(a, tok, &name, &team), 0);
	assert_string_equal(name, "aoi");
	assert_string_equal(team, "soc");
	assert_int_equal(auth_token(a, tok2, &name, &team), 0);
	assert_string_equal(name, "ken");
	tok[0] = tok[0] == 'a' ? 'b' : 'a';
	assert_int_equal(auth_token(a, tok, &name, &team), -1);
	assert_int_equal(auth_token(a, "", &name, &team), -1);
	assert_int_equal(auth_token(a, NULL, &name, &team), -1);
	auth_free(a);
	free(tok);
	free(tok2);
	cfg_free(c);
}

/* A damaged file is refused at its line; blank lines are not damage. */
static void
test_damaged(void **state)
{
	char bad[300], err[256];
	FILE *fp;

	(void)state;
	snprintf(bad, sizeof(bad), "%s/bad.json", dir);
	fp = fopen(bad, "w");
	assert_non_null(fp);
	fputs(
	    "{\"name\":\"aoi\",\"team\":\"soc\",\"sha256\":"
	    "\"0000000000000000000000000000000000000000000000000000000000000000"
	    "\"}\n\n{\"name\":\"x y\",\"team\":\"soc\",\"sha256\":\"00\"}\n",
	    fp);
	fclose(fp);
	assert_null(auth_load(bad, err, sizeof(err)));
	assert_non_null(strstr(err, "bad.json:3: not a user line"));
}

/* Sessions: idle time, each use starts it again, logout, reload. */
static void
test_sessions(void **state)
{
	struct cfg *c = cfg();
	struct auth *a, *b;
	char err[256], *sid;
	const char *name, *team;

	(void)state;
	a = auth_load(path, err, sizeof(err));
	assert_non_null(a);
	sid = auth_session_new(a, "aoi", "soc", 100, 1000);
	assert_non_null(sid);
	assert_int_equal(auth_session(a, sid, 1099, 100, &name, &team), 0);
	assert_string_equal(name, "aoi");
	/* used at 1099: alive until 1199 */
	assert_int_equal(auth_session(a, sid, 1150, 100, &name, &team), 0);
	assert_int_equal(auth_session(a, sid, 1300, 100, &name, &team), -1);
	assert_int_equal(auth_session(a, sid, 1301, 100, &name, &team), -1);
	assert_int_equal(auth_session(a, "nope", 1000, 100, &name, &team), -1);
	free(sid);
	/* a reload keeps the sessions of the users still there */
	sid = auth_session_new(a, "aoi", "soc", 100, 2000);
	{
		char *gone = auth_session_new(a, "zed", "soc", 100, 2000);

		b = auth_load(path, err, sizeof(err));
		assert_non_null(b);
		auth_keep_sessions(b, a);
		assert_int_equal(
		    auth_session(b, sid, 2001, 100, &name, &team), 0);
		assert_int_equal(
		    auth_session(b, gone, 2001, 100, &name, &team), -1);
		free(gone);
	}
	auth_session_end(b, sid);
	assert_int_equal(auth_session(b, sid, 2002, 100, &name, &team), -1);
	free(sid);
	auth_free(a);
	auth_free(b);
	cfg_free(c);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_users),
	    cmocka_unit_test(test_damaged),
	    cmocka_unit_test(test_sessions),
	};

	return cmocka_run_group_tests_name("auth", tests, setup, teardown);
}
