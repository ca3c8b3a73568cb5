/*
 * fuzz_feed.c: libFuzzer harness for one feed parser, chosen at build time
 * (-DFEED_PARSER=feed_stix, feed_misp or feed_csv).  Invariant: never
 * crash; every indicator kept is normalised (feeding it through the
 * normaliser again leaves it unchanged) and holds no character that could
 * end a rule option or a field (URLs, which only reach datasets base64
 * encoded, may hold ';').
 */

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "feed.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ioc_list l = {0};
	struct feed_report rep = {0};
	struct feed_ctx ctx = {"fuzz", "src", 1795651200, &l, &rep};
	char again[2048], reason[256];
	size_t i;

	FEED_PARSER(&ctx, (const char *)data, size);
	for (i = 0; i < l.n; i++) {
		const char *v = l.v[i].value;

		if (strpbrk(v,
			l.v[i].type == IOC_URL ? "\"' \t\r\n\\<>`"
					       : "\"'; \t\r\n\\") != NULL)
			abort();
		/* normalised URLs are host/path: give them a scheme again */
		char in[2100];

		snprintf(in, sizeof(in), "%s%s",
		    l.v[i].type == IOC_URL ? "http://" : "", v);
		if (ioc_normalise(l.v[i].type, in, strlen(in), again,
			sizeof(again), reason, sizeof(reason)) != 0 ||
		    strcmp(again, v) != 0)
			abort();
	}
	ioc_list_free(&l);
	return 0;
}
