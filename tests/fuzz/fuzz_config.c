/*
 * fuzz_config.c: libFuzzer harness for the config parser, the Redis URL
 * parser and the indicator index parser.  The first byte picks which.
 * Invariant: never crash; a refused input always says why.
 */

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "index.h"
#include "redisurl.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char err[512] = "", *s;
	const char *text = (const char *)data + 1;

	if (size == 0)
		return 0;
	switch (data[0] % 3) {
	case 0: {
		struct cfg *c =
		    cfg_parse("f", text, size - 1, err, sizeof(err));

		if (c == NULL && err[0] == '\0')
			abort();
		cfg_free(c);
		break;
	}
	case 1: {
		struct redis_url u;

		if ((s = malloc(size)) == NULL)
			return 0;
		memcpy(s, text, size - 1);
		s[size - 1] = '\0';
		if (redisurl_parse(s, &u, err, sizeof(err)) != 0 &&
		    err[0] == '\0')
			abort();
		free(s);
		break;
	}
	default: {
		struct idx *x =
		    idx_parse("f", text, size - 1, err, sizeof(err));

		if (x == NULL && err[0] == '\0')
			abort();
		if (x != NULL)
			(void)idx_find(x, "ip", "203.0.113.9");
		idx_free(x);
	}
	}
	return 0;
}
