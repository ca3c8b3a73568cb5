/*
 * dsuppress.c: the files the desk writes for the rest of the loop.
 *
 * The false positives, the desk's side of "verify before blocking", with
 * teeth:
 * the indicators the analysts judged false often enough (sources.c,
 * sources_suppress) written for sankaku-rules to leave out at its next
 * refresh (rules.suppress), and the sources whose measured accuracy
 * fell below desk.accuracy_floor_pct, whose indicators sankaku-rules
 * then deploys only where another source lists them too.  Written after
 * each action and load, only
 * when it changed, under a temporary name then renamed: sankaku-rules
 * reads the old list or the new, never half of one.
 *
 * The sightings: every desk.sightings_interval_s, each source's own
 * (sightings.c) as SOURCE.stix.json and SOURCE.misp.json in
 * desk.sightings_dir, for the operator's sharing tool, written the same
 * way.
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "afile.h"
#include "desk.h"
#include "log.h"
#include "xmalloc.h"

/* Its path: desk.suppress_file, or beside the index; NULL: neither. */
static char *
suppress_path(const struct cfg *cfg)
{
	const char *slash;

	if (cfg->desk_suppress_file[0] != '\0')
		return xstrdup(cfg->desk_suppress_file);
	if (cfg->index_path[0] == '\0')
		return NULL;
	slash = strrchr(cfg->index_path, '/');
	return slash == NULL
	    ? xstrdup("sankaku-suppress.json")
	    : xasprintf("%.*s/sankaku-suppress.json",
		  (int)(slash - cfg->index_path), cfg->index_path);
}

/* Write text (and a newline) to path, replaced atomically (afile.h) so
 * that a reader never sees half of it; 0, or -1 (logged). */
static int
write_file(const char *path, const char *text)
{
	struct afile a;
	char err[512];

	if (af_open_path(&a, path, err, sizeof(err)) == 0) {
		af_puts(&a, text);
		af_putc(&a, '\n');
		if (af_commit(&a, err, sizeof(err)) == 0)
			return 0;
	}
	log_error("desk: cannot write %s: %s", path, err);
	return -1;
}

/* Entries in a fixed order: the file changes only when they do. */
static int
by_key(const void *x, const void *y)
{
	json_t *a = *(json_t *const *)x, *b = *(json_t *const *)y;
	int c = strcmp(json_string_value(json_object_get(a, "type")),
	    json_string_value(json_object_get(b, "type")));

	return c != 0 ? c
		      : strcmp(json_string_value(json_object_get(a, "value")),
			    json_string_value(json_object_get(b, "value")));
}

void
desk_suppress_write(struct desk *d, json_t *measured)
{
	json_t *doc =
		   sources_suppress(d->incidents, d->cfg, time(NULL), measured),
	       *list = json_object_get(doc, "suppressed"), **v, *sorted;
	char *path = suppress_path(d->cfg), *text;
	size_t i,
	    n = json_array_size(list),
	    nsecond = json_array_size(json_object_get(doc, "second_source"));

	if (path == NULL || doc == NULL) {
		free(path);
		json_decref(doc);
		return;
	}
	v = xcalloc(n + 1, sizeof(*v));
	for (i = 0; i < n; i++)
		v[i] = json_array_get(list, i);
	qsort(v, n, sizeof(*v), by_key);
	sorted = json_array();
	for (i = 0; i < n; i++)
		json_array_append(sorted, v[i]);
	free(v);
	json_object_set_new(doc, "suppressed", sorted);
	text = json_dumps(doc, JSON_INDENT(1) | JSON_SORT_KEYS);
	json_decref(doc);
	/* unchanged, and still there (a rules refresh makes a new set:
	 * sankaku-rules carries the list into it, the desk checks) */
	if (text == NULL ||
	    (d->suppress_last != NULL && strcmp(text, d->suppress_last) == 0 &&
		access(path, F_OK) == 0)) {
		free(text);
		free(path);
		return;
	}
	if (write_file(path, text) != 0) {
		log_warnx("desk: the rules keep the indicators judged false "
			  "until %s can be written",
		    path);
	} else {
		log_info("desk: %zu indicators judged false positives, left "
			 "out at the next rules refresh, and %zu sources "
			 "needing a second source (%s)",
		    n, nsecond, path);
		free(d->suppress_last);
		d->suppress_last = text;
		text = NULL;
	}
	free(text);
	free(path);
}

void
desk_sightings_write(struct desk *d, time_t now)
{
	static const char *const formats[] = {"stix", "misp"};
	const struct cfg *cfg = d->cfg;
	size_t i, f, files = 0;

	if (now - d->sightings_at < cfg->desk_sightings_interval_s)
		return;
	d->sightings_at = now;
	desk_push(d, now);
	if (cfg->desk_sightings_dir[0] == '\0')
		return;
	for (i = 0; i < cfg->nsources; i++)
		for (f = 0; f < 2; f++) {
			char err[160], *path, *text;
			json_t *out = sightings_export(d->incidents, cfg,
			    cfg->sources[i].id, formats[f], NULL,
			    cfg->desk_identity, now, err, sizeof(err));

			if (out == NULL)
				continue;
			text = json_dumps(out, JSON_INDENT(1) | JSON_SORT_KEYS);
			json_decref(out);
			path =
			    xasprintf("%s/%s.%s.json", cfg->desk_sightings_dir,
				cfg->sources[i].id, formats[f]);
			if (text != NULL && write_file(path, text) == 0)
				files++;
			free(text);
			free(path);
		}
	log_debug("desk: sightings written files=%zu dir=%s", files,
	    cfg->desk_sightings_dir);
}
