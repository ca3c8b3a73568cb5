/*
 * replay.h: sankakud --replay-deadletter (see replay.c).
 */
#ifndef SANKAKU_REPLAY_H
#define SANKAKU_REPLAY_H

#include <stdio.h>

#include "settings.h"

/* Replay at most max entries (-1: all there are now), telling out; the
 * exit status: 0, or 1 when an error reply stopped it (nothing lost). */
int replay_run(const struct settings *, long max, FILE *out);

#endif
