/*
 * clock.h: seconds on the monotonic clock, for timeouts and latencies.
 */
#ifndef SANKAKU_CLOCK_H
#define SANKAKU_CLOCK_H

#include <time.h>

/* Seconds since an arbitrary origin, never going back. */
static inline double
clock_mono(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

#endif
