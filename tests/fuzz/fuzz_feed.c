/*
 * fuzz_feed.c: libFuzzer harness for one feed parser, chosen at build time
 * (-DFEED_PARSER=feed_stix, feed_misp or feed_csv).  Invariants: never
 * crash; every indicator kept is normalised (feeding it through the
 * normaliser again leaves it unchanged) and holds no character that could
 * end a rule option or a field (URLs, which only reach datasets base64
 * encoded, may hold ';'); its name and reference hold no tab, newline or
 * control character (they reach the index); every problem logged is
 * printable.
 */

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "feed.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Problems are printed to a terminal: nothing below a space in them. */
static void
check_log(void *arg, const char *file, const char *pos, enum skip why,
    const char *text)
{
	const unsigned char *p;

	(void)arg;
	(void)file;
	(void)why;
	for (p = (const unsigned char *)text; *p != '\0'; p++)
		if (*p < 0x20 || *p == 0x7f)
			abort();
	for (p = (const unsigned char *)(pos != NULL ? pos : ""); *p != '\0';
	     p++)
		if (*p < 0x20 || *p == 0x7f)
			abort();
}

/* No tab, newline or control character. */
static void
check_field(const char *s)
{
	for (; s != NULL && *s != '\0'; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char cfgtext[] =
	    "{\"sources\": [{\"id\": \"src\", \"triangle\": "
	    "\"speed-accuracy\", \"feeds\": [{\"path\": \"f\", \"format\": "
	    "\"csv\"}]}]}";
	static struct cfg *cfg;
	struct ioc_list l;
	struct feed_stats st;
	struct feed_log log = {check_log, NULL};
	struct feed_ctx ctx;
	char again[2200], reason[256], err[256];
	size_t i;

	if (cfg == NULL &&
	    (cfg = cfg_parse(
		 "f.json", cfgtext, strlen(cfgtext), err, sizeof(err))) == NULL)
		abort();
	memset(&ctx, 0, sizeof(ctx));
	memset(&st, 0, sizeof(st));
	if (ioc_list_init(&l) != 0)
		abort();
	ctx.file = "fuzz";
	ctx.cfg = cfg;
	ctx.feed = &cfg->sources[0].feeds[0];
	ctx.now = 1795651200;
	ctx.out = &l;
	ctx.st = &st;
	ctx.log = &log;
	FEED_PARSER(&ctx, (const char *)data, size);
	check_log(NULL, "", NULL, SKIP_MAX, ctx.why);
	for (i = 0; i < l.n; i++) {
		const char *v = l.v[i].value;
		char in[2200];

		if (strpbrk(v,
			l.v[i].type == IOC_URL ? "\"' \t\r\n\\<>`"
					       : "\"'; \t\r\n\\") != NULL)
			abort();
		/* normalised URLs are host/path: give them a scheme again */
		snprintf(in, sizeof(in), "%s%s",
		    l.v[i].type == IOC_URL ? "http://" : "", v);
		if (ioc_normalise(l.v[i].type, in, strlen(in), again,
			sizeof(again), reason, sizeof(reason)) != 0 ||
		    strcmp(again, v) != 0)
			abort();
		check_field(l.v[i].name);
		check_field(l.v[i].ref);
		if (l.v[i].ref != NULL && strpbrk(l.v[i].ref, ",= ") != NULL)
			abort();
	}
	ioc_list_free(&l);
	return 0;
}
