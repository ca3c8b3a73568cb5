/* test_b64.c: base64 both ways (RFC 4648 vectors), round trips of every
 * length around the padding, and what decoding refuses. */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "b64.h"

static void
test_vectors(void **state)
{
	static const char *const plain[] = {
	    "", "f", "fo", "foo", "foob", "fooba", "foobar"};
	static const char *const enc[] = {
	    "", "Zg==", "Zm8=", "Zm9v", "Zm9vYg==", "Zm9vYmE=", "Zm9vYmFy"};
	char out[16];
	unsigned char dec[16];
	size_t i;

	(void)state;
	for (i = 0; i < 7; i++) {
		b64_encode(plain[i], strlen(plain[i]), out);
		assert_string_equal(out, enc[i]);
		assert_int_equal(
		    b64_decode(enc[i], strlen(enc[i]), dec), strlen(plain[i]));
		assert_memory_equal(dec, plain[i], strlen(plain[i]));
	}
}

static void
test_round_trip(void **state)
{
	unsigned char in[64], dec[64];
	char enc[B64_LEN(64)];
	size_t n, i;

	(void)state;
	for (n = 0; n <= 64; n++) {
		for (i = 0; i < n; i++)
			in[i] = (unsigned char)(i * 37 + n);
		b64_encode(in, n, enc);
		assert_int_equal(b64_decode(enc, strlen(enc), dec), n);
		assert_memory_equal(dec, in, n);
	}
}

static void
test_refused(void **state)
{
	unsigned char dec[16];

	(void)state;
	assert_int_equal(b64_decode("Zm9", 3, dec), -1);      /* length */
	assert_int_equal(b64_decode("Zm9*", 4, dec), -1);     /* alphabet */
	assert_int_equal(b64_decode("Z===", 4, dec), -1);     /* padding */
	assert_int_equal(b64_decode("Zg==Zg==", 8, dec), -1); /* pad inside */
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_vectors),
	    cmocka_unit_test(test_round_trip),
	    cmocka_unit_test(test_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
