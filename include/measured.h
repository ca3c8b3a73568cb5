/*
 * measured.h: the sources' triangles as the desk measured them, carried
 * into sankakud's enriched alerts.  The desk writes PREFIX desk:measured
 * ({"sources": {"<id>": {"accuracy": 0.8, "coverage": null, ...}}}, only
 * figures with enough data are numbers); sankakud reads it now and then
 * (daemon/measured.c) and renders each source's triangle with
 * "measured": {"accuracy": 0.8, ...}.  Pure.
 */
#ifndef SANKAKU_MEASURED_H
#define SANKAKU_MEASURED_H

#include <stddef.h>

#include <jansson.h>

#include "config.h"

/* From the desk's document: {"<configured source id>": {"accuracy" |
 * "coverage" | "speed": a number from 0 to 1}} with nothing else (an
 * entry without any figure is left out); NULL if the text is not such a
 * document at all. */
json_t *measured_clean(const struct cfg *, const char *text, size_t len);

#endif
