/*
 * ftaxii.h: a TAXII 2.1 collection brought to its file (ftaxii.c).
 */
#ifndef SANKAKU_FTAXII_H
#define SANKAKU_FTAXII_H

#include <stddef.h>

#include "fjob.h"

/* Only what was added since the copy there, when the server said when
 * that was and the copy was fetched whole from the same URL within a
 * day; otherwise (or with --whole, or when adding cannot be) the whole
 * collection.  0 with *unchanged when nothing was added, or -1 with
 * why. */
int ftaxii_fetch(struct job *, size_t *bytes, size_t *pages, int *unchanged);

#endif
