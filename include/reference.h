/*
 * reference.h: the names a compact alert refers to.
 *
 * In the compact output form (output.form "compact") an alert's sankaku
 * object carries codes and ids only: the phase id, role codes, source
 * ids, and "ref", the version of the reference document that names them.
 * sankakud writes that document to <prefix>reference:<version> (and the
 * current version to <prefix>reference) when it connects and when its
 * config changes; a consumer that reads only the stream fetches it once
 * per version and expands each alert to the full form (reference_expand).
 * The document:
 *
 *   {"version": "8 hex", "phases": {ID: {"id", "ja", "en"}},
 *    "roles": {CODE: {"code", "ja", "en"}},
 *    "kpis": {ID: {"id", "ja", "en"}},
 *    "sources": {ID: {"id", "name", "tlp", "triangle": {...}}}}
 *
 * each entry exactly the object the full form holds.  Pure.
 */
#ifndef SANKAKU_REFERENCE_H
#define SANKAKU_REFERENCE_H

#include <jansson.h>

#include "config.h"

/* The object the full form gives a role, a source. New references. */
json_t *reference_role(const struct isog_role *);
json_t *reference_source(const struct cfg_source *);

/* The document of a config, with its version; NULL on out of memory. */
json_t *reference_build(const struct cfg *);

/* Expand a compact sankaku object (borrowed, changed in place) with the
 * document: phase, roles and sources become the full form's objects, ref
 * goes.  0, or -1 if the document does not name what the alert holds
 * (the alert is left as it was). */
int reference_expand(json_t *sankaku, const json_t *doc);

#endif
