/*
 * jdump.h: a jansson value as compact JSON text, several times faster
 * than json_dumps on what the desk stores (incidents full of long ASCII
 * strings: URLs, ids): a string is copied a run at a time between the
 * bytes that need escaping; jansson's strings are UTF-8 already.  Object
 * members come in jansson's order, as json_dumps gives them.  Pure.
 */
#ifndef SANKAKU_JDUMP_H
#define SANKAKU_JDUMP_H

#include <stddef.h>

#include <jansson.h>

#include "buf.h"

/* Append v to b; 0, or -1 (out of memory, or nested deeper than 64). */
int jdump(struct buf *b, json_t *v);
/* v as a new string (free it), its length in *len if not NULL; NULL
 * on failure. */
char *jdump_string(json_t *v, size_t *len);

#endif
