/*
 * cmdstat.h: one command's counters in Redis's INFO commandstats.
 *
 * Redis 7 counts, per command, the calls it executed, the calls it
 * rejected before running them (OOM, ACL, read-only replica...) and the
 * calls that failed while running (WRONGTYPE...), whether or not the
 * client asked for the reply.  Two readings on one connection, around
 * commands sent under CLIENT REPLY OFF, tell whether every one of them ran.
 */
#ifndef SANKAKU_CMDSTAT_H
#define SANKAKU_CMDSTAT_H

#include <stddef.h>

struct cmdstat {
	long long calls;
	long long rejected;
	long long failed;
};

/* Read the counters of cmd (lower case, e.g. "xadd") from an INFO
 * commandstats reply.  0: read (all zero if cmd was never called); -1: the
 * reply does not carry Redis 7's rejected_calls and failed_calls, or cmd's
 * line is malformed. */
int cmdstat_read(
    const char *info, size_t len, const char *cmd, struct cmdstat *);

/* The error counts of an INFO errorstats reply, as "OOM=3 WRONGTYPE=1"
 * (empty if none), truncated to fit buf. */
void cmdstat_errors(const char *info, size_t len, char *buf, size_t size);

/* Whether at least n calls ran between two readings, none refused and none
 * failed.  Counters that went back (CONFIG RESETSTAT) prove nothing: 0. */
int cmdstat_all_ran(
    const struct cmdstat *before, const struct cmdstat *after, long long n);

#endif
