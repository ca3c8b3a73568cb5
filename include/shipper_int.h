/*
 * shipper_int.h: what shipper.c (the state machine) and ship_push.c (the
 * push being filled and sent) share inside sankaku-ship.
 */
#ifndef SANKAKU_SHIPPER_INT_H
#define SANKAKU_SHIPPER_INT_H

#include <stddef.h>
#include <time.h>

#include <event2/event.h>
#include <hiredis/async.h>

#include "buf.h"
#include "checkpoint.h"
#include "link.h"
#include "ship_cfg.h"
#include "shipline.h"
#include "shipper.h"
#include "tail.h"

enum sh_state { SH_WAIT, SH_RUN, SH_FULL, SH_PAUSE, SH_DRAIN, SH_DONE };

struct batch {
	long long end;	 /* offset past its last line */
	unsigned long n; /* events */
	size_t bytes;
	int replies; /* still awaited */
};

struct shipper {
	struct event_base *base;
	const struct ship_cfg *cfg;
	struct ship_metrics *m;
	struct ship_filter filter;
	struct tail *tail;
	struct link *link;
	enum sh_state state;
	unsigned long gen;
	struct batch *q; /* pushes in flight, oldest first */
	size_t qhead, qlen;
	/* the push being filled */
	struct buf ev, dl, scratch;
	size_t *evlen, *dllen, nev, ndl;
	long long fill_end;
	int fill_any; /* lines taken into the fill, sent or not */
	long long acked;
	int finished; /* tail_next said the file is complete */
	struct checkpoint ckpt;
	int ckpt_valid;
	time_t dirty_since; /* acknowledged past the checkpoint since */
	long pause_ms;
	time_t last_warn[4];
	int inotify_fd;
	struct event *pump_ev, *poll_ev, *ckpt_ev, *tick_ev, *pause_ev;
	struct event *inotify_ev, *deadline_ev;
	void (*done)(void *);
	void *done_arg;
	char consumer[128];
};

/* shipper.c */
void sh_acked(struct shipper *, long long offset);
void sh_forget(struct shipper *);
void sh_reply_cb(redisAsyncContext *, void *reply, void *priv);

/* ship_push.c: a line into the fill; the fill out as pushes */
void sh_take(struct shipper *, enum tail_rc, const struct tail_line *);
void sh_flush(struct shipper *);
int sh_full(const struct shipper *, size_t len);

#endif
