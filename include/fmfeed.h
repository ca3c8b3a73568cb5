/*
 * fmfeed.h: a MISP feed brought to its file (fmfeed.c).
 */
#ifndef SANKAKU_FMFEED_H
#define SANKAKU_FMFEED_H

#include <stddef.h>

#include "fjob.h"

/* The feed's manifest.json, then each event changed in the feed's last
 * "days" not already kept beside the file, then the file: those events as
 * one array.  0, or -1 with why (the copy there stays). */
int fmfeed_fetch(struct job *, size_t *bytes);

#endif
