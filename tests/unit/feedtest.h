/*
 * feedtest.h: running a feed parser in a unit test: a config, a context
 * that keeps every problem logged, and lookups in what was kept.
 * Fixtures are in tests/fixtures/feeds (the tests run in tests/unit).
 */
#ifndef FEEDTEST_H
#define FEEDTEST_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "feed.h"

#define FIXTURES "../fixtures/feeds/"

struct ft {
	struct cfg *cfg;
	struct ioc_list l;
	struct feed_stats st;
	struct feed_log log;
	struct feed_ctx ctx;
	char log_text[64][400]; /* every problem: "pos: text" */
	enum skip log_why[64];
	size_t nlog;
};

/* Keep a problem. */
static inline void
ft_record(void *arg, const char *file, const char *pos, enum skip why,
    const char *text)
{
	struct ft *t = arg;

	(void)file;
	if (t->nlog < 64) {
		snprintf(t->log_text[t->nlog], sizeof(t->log_text[0]), "%s: %s",
		    pos != NULL ? pos : "-", text);
		t->log_why[t->nlog++] = why;
	}
}

/* A context for source 0 of a config (NULL: one plain source) and feed 0
 * of it, at 2026-11-26T00:00:00Z. */
static inline void
ft_init(struct ft *t, const char *config)
{
	static const char plain[] =
	    "{\"sources\": [{\"id\": \"src\", \"triangle\": "
	    "\"speed-accuracy\", \"tlp\": \"clear\", \"feeds\": [{\"path\": "
	    "\"feed\", \"format\": \"csv\"}]}]}";
	char err[512];

	memset(t, 0, sizeof(*t));
	if (config == NULL)
		config = plain;
	t->cfg =
	    cfg_parse("test.json", config, strlen(config), err, sizeof(err));
	if (t->cfg == NULL) {
		fprintf(stderr, "config: %s\n", err);
		abort();
	}
	if (ioc_list_init(&t->l) != 0)
		abort();
	t->log.cb = ft_record;
	t->log.arg = t;
	t->ctx.file = "feed";
	t->ctx.cfg = t->cfg;
	t->ctx.source = 0;
	t->ctx.feed =
	    t->cfg->sources[0].nfeeds > 0 ? &t->cfg->sources[0].feeds[0] : NULL;
	t->ctx.now = 1795651200; /* 2026-11-26T00:00:00Z */
	t->ctx.out = &t->l;
	t->ctx.st = &t->st;
	t->ctx.log = &t->log;
}

static inline void
ft_free(struct ft *t)
{
	ioc_list_free(&t->l);
	cfg_free(t->cfg);
}

/* A whole file, or abort. */
static inline char *
ft_slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;

	if (f == NULL || fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0 ||
	    fseek(f, 0, SEEK_SET) != 0 ||
	    (buf = malloc((size_t)n + 1)) == NULL ||
	    fread(buf, 1, (size_t)n, f) != (size_t)n) {
		fprintf(stderr, "cannot read %s\n", path);
		abort();
	}
	fclose(f);
	buf[n] = '\0';
	*len = (size_t)n;
	return buf;
}

typedef enum feed_status (*ft_parser)(struct feed_ctx *, const char *, size_t);

/* Parse text. */
static inline enum feed_status
ft_text(struct ft *t, ft_parser fn, const char *text)
{
	return fn(&t->ctx, text, strlen(text));
}

/* Parse a fixture, or its first cut bytes (0: all of it). */
static inline enum feed_status
ft_file(struct ft *t, ft_parser fn, const char *name, size_t cut)
{
	char path[256];
	size_t len;
	char *text;
	enum feed_status st;

	snprintf(path, sizeof(path), FIXTURES "%s", name);
	text = ft_slurp(path, &len);
	st = fn(&t->ctx, text, cut != 0 && cut < len ? cut : len);
	free(text);
	return st;
}

/* The kept indicator (type, value), or NULL. */
static inline const struct ioc *
ft_find(const struct ft *t, enum ioc_type type, const char *value)
{
	size_t i;

	for (i = 0; i < t->l.n; i++)
		if (t->l.v[i].type == type &&
		    strcmp(t->l.v[i].value, value) == 0)
			return &t->l.v[i];
	return NULL;
}

/* Whether a logged problem holds s. */
static inline int
ft_logged(const struct ft *t, const char *s)
{
	size_t i;

	for (i = 0; i < t->nlog; i++)
		if (strstr(t->log_text[i], s) != NULL)
			return 1;
	return 0;
}

#endif
