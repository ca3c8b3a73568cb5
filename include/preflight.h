/*
 * preflight.h: what is checked on every connect, before anything is taken:
 * the keys are of the types sankakud needs (a stream where a list belongs
 * would be RENAMEd away and lost), and Redis does not evict keys on its own
 * (maxmemory-policy allkeys-*: stored alerts and taken batches could
 * vanish).
 */
#ifndef SANKAKU_PREFLIGHT_H
#define SANKAKU_PREFLIGHT_H

#include "config.h"
#include "link.h"

struct pf_result {
	int keys_ok;	   /* every key absent or of its type */
	int eviction_safe; /* 1 safe, 0 allkeys-*, -1 unknown (INFO refused) */
	char policy[32];   /* maxmemory-policy, or "" */
	char why[256];	   /* what is wrong, for the log and /healthz */
};

/* Check on main; done(arg, result) once every answer is in, with NULL if
 * the link went down first.  input_type: "list" or "stream". */
int pf_start(struct link *main, const struct cfg *, const char *input_type,
    void (*done)(void *arg, const struct pf_result *), void *arg);

#endif
