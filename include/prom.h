/*
 * prom.h: the Prometheus text exposition format (0.0.4), written into a
 * growing buffer.  Every daemon's GET /metrics is made with it: a
 * family's HELP and TYPE lines, its samples, label values escaped, numbers
 * that read back exactly.  Pure.
 */
#ifndef SANKAKU_PROM_H
#define SANKAKU_PROM_H

#include "buf.h"

struct prom {
	struct buf b;
	const char *prefix; /* before every name: "sankaku_", "sankaku_ship_" */
};

/* Start an empty text whose names all begin with prefix. */
void prom_init(struct prom *, const char *prefix);
/* The HELP (if help is not NULL) and TYPE lines of a family. */
void prom_family(
    struct prom *, const char *name, const char *type, const char *help);
/* One sample: name (a family's, or with _bucket, _sum ...), then pairs of
 * label name and value ending in NULL, then nothing more.  Label values
 * are escaped (\\, \", \n; other control bytes become '?'). */
void prom_sample(struct prom *, const char *name, double v, ...)
    __attribute__((sentinel));
/* A family of one unlabelled sample. */
void prom_scalar(struct prom *, const char *name, const char *type,
    const char *help, double v);
/* The text (the caller frees it), or NULL if memory ran out; either way
 * the prom is empty again. */
char *prom_text(struct prom *);

#endif
