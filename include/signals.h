/*
 * signals.h: how every daemon (sankakud, sankaku-ship, sankaku-desk)
 * answers signals, from inside its event loop (see signals.c).
 */
#ifndef SANKAKU_SIGNALS_H
#define SANKAKU_SIGNALS_H

#include <event2/event.h>

struct signals;

/* SIGTERM or SIGINT: the first calls stop(arg), which finishes what is in
 * flight and leaves the loop; a second leaves the loop at once.  SIGHUP
 * calls hup(arg).  SIGPIPE is ignored: a closed peer shows in the write.
 * NULL if the handlers cannot be installed. */
struct signals *signals_start(struct event_base *, void (*stop)(void *arg),
    void (*hup)(void *arg), void *arg);
void signals_free(struct signals *);

#endif
