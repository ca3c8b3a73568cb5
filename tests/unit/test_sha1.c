/* test_sha1.c: SHA-1 against the FIPS 180 examples and lengths around the
 * padding boundaries (checked against redis.sha1hex and sha1sum). */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "sha1.h"
#include "sha256.h"

static void
check(const char *in, size_t n, const char *want)
{
	char out[41];

	sha1_hex(in, n, out);
	assert_string_equal(out, want);
}

static void
test_vectors(void **state)
{
	char *a;

	(void)state;
	check("", 0, "da39a3ee5e6b4b0d3255bfef95601890afd80709");
	check("abc", 3, "a9993e364706816aba3e25717850c26c9cd0d89d");
	check("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", 56,
	    "84983e441c3bd26ebaae4aa1f95129e5e54670f1");
	a = malloc(1000000);
	memset(a, 'a', 1000000);
	check(a, 1000000, "34aa973cd4c4daa4f61eeb2bdbad27316534016f");
	/* 55, 63, 64 and 65 bytes: each side of the padding */
	check(a, 55, "c1c8bbdc22796e28c0e15163d20899b65621d65a");
	check(a, 63, "03f09f5b158a7a8cdad920bddc29b81c18a551f5");
	check(a, 64, "0098ba824b5c16427bd7a1122a5a442a25ec644d");
	check(a, 65, "11655326c708d70319be2610e8a57d9a5b959d3b");
	free(a);
}

/* In pieces of every size from 1 to 130 bytes: the same digest. */
static void
test_pieces(void **state)
{
	char *a = malloc(1000), one[41], whole[41];
	size_t step, i;

	(void)state;
	for (i = 0; i < 1000; i++)
		a[i] = (char)(i * 7 + 3);
	sha1_hex(a, 1000, whole);
	for (step = 1; step <= 130; step++) {
		struct sha1 c;

		sha1_init(&c);
		for (i = 0; i < 1000; i += step)
			sha1_update(
			    &c, a + i, i + step > 1000 ? 1000 - i : step);
		sha1_final(&c, one);
		assert_string_equal(one, whole);
	}
	free(a);
}

/* SHA-256: FIPS 180 examples and the padding boundaries (checked
 * against sha256sum). */
static void
test_sha256(void **state)
{
	char out[65], *a = malloc(1000000);

	(void)state;
	sha256_hex("", 0, out);
	assert_string_equal(out,
	    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	sha256_hex("abc", 3, out);
	assert_string_equal(out,
	    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
	    56, out);
	assert_string_equal(out,
	    "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
	memset(a, 'a', 1000000);
	sha256_hex(a, 1000000, out);
	assert_string_equal(out,
	    "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
	sha256_hex(a, 64, out);
	assert_string_equal(out,
	    "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb");
	free(a);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_vectors),
	    cmocka_unit_test(test_pieces),
	    cmocka_unit_test(test_sha256),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
