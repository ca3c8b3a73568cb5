/*
 * render.h: the sankaku object of an enriched alert, as JSON text.  What
 * is fixed for a config (each phase, role and source, with the source's
 * triangle, caveat and advice in Japanese and English) is serialised once
 * by jansson (render_new); each alert's object is then assembled from
 * those fragments and its own few values.  Pure.
 */
#ifndef SANKAKU_RENDER_H
#define SANKAKU_RENDER_H

#include <jansson.h>

#include "buf.h"
#include "config.h"

struct render;
struct enrich_out;
struct idx_entry;

/* The fragments of a config; NULL on OOM. */
struct render *render_new(const struct cfg *);
/* The same, each source's triangle with the figures the desk measured
 * ({"<source id>": {"accuracy": 0.8, ...}}: as measured_clean gives). */
struct render *render_new_measured(const struct cfg *, json_t *measured);
void render_free(struct render *);
/* Append the object of one alert to b.  ind_type NULL: no indicator;
 * hit: its index entry (published, valid_until, name, refs), or NULL;
 * extra_roles: roles beyond the phase's (else its fragment is used). */
void render_object(const struct render *, const struct cfg *,
    const struct enrich_out *, const char *ind_type, const char *ind_value,
    const struct idx_entry *hit, int extra_roles, struct buf *b);
/* The same in the compact form: codes and ids, "ref" naming the reference
 * document (reference.h). */
void render_compact(const struct render *, const struct cfg *,
    const struct enrich_out *, const char *ind_type, const char *ind_value,
    const struct idx_entry *hit, struct buf *b);
/* The reference document's JSON text (len bytes) and its version. */
const char *render_reference(
    const struct render *, size_t *len, const char **version);

#endif
