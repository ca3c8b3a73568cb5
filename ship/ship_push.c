/*
 * ship_push.c: the push being filled (events and their dead letters) and
 * how it goes out: one list push of the events, one LPUSH of the dead
 * letters before it, both answered before the push counts as done
 * (shipper.c's sh_reply_cb).
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "deadletter.h"
#include "log.h"
#include "shipper_int.h"
#include "xmalloc.h"

/* Send one list push of n elements held in b (lengths in lens). */
static int
sh_send(struct shipper *s, const char *cmd, const char *key,
    const struct buf *b, const size_t *lens, size_t n)
{
	const char **argv = xcalloc(n + 2, sizeof(*argv));
	size_t *argl = xcalloc(n + 2, sizeof(*argl)), i, off = 0;
	struct link_tag *tag;
	int rc;

	argv[0] = cmd;
	argl[0] = strlen(cmd);
	argv[1] = key;
	argl[1] = strlen(key);
	for (i = 0; i < n; i++) {
		argv[i + 2] = b->s + off;
		argl[i + 2] = lens[i];
		off += lens[i];
	}
	tag = link_tag(s, s->gen);
	if ((rc = link_cmd(
		 s->link, sh_reply_cb, tag, (int)(n + 2), argv, argl)) != 0)
		free(tag);
	free(argv);
	free(argl);
	return rc;
}

/* Send the fill: its dead letters, then its events. */
void
sh_flush(struct shipper *s)
{
	struct batch *b;

	if (!s->fill_any)
		return;
	if (s->nev == 0 && s->ndl == 0) {
		/* only skipped lines: safe once what came before is */
		if (s->qlen == 0)
			sh_acked(s, s->fill_end);
		else
			s->q[(s->qhead + s->qlen - 1) %
			     (size_t)s->cfg->inflight]
			    .end = s->fill_end;
		s->fill_any = 0;
		return;
	}
	b = &s->q[(s->qhead + s->qlen) % (size_t)s->cfg->inflight];
	memset(b, 0, sizeof(*b));
	b->end = s->fill_end;
	b->n = s->nev;
	b->bytes = s->ev.len;
	s->qlen++;
	if (s->ndl > 0 &&
	    sh_send(s, "LPUSH", s->cfg->deadletter, &s->dl, s->dllen, s->ndl) ==
		0)
		b->replies++;
	if (s->nev > 0 &&
	    sh_send(s, s->cfg->rpush ? "RPUSH" : "LPUSH", s->cfg->key, &s->ev,
		s->evlen, s->nev) == 0)
		b->replies++;
	if (b->replies < (s->ndl > 0) + (s->nev > 0))
		sh_forget(s); /* the link went down: read again */
	s->ev.len = s->dl.len = 0;
	s->nev = s->ndl = 0;
	s->fill_any = 0;
}

/* Count a dead letter under its reason. */
static void
sh_count_dead(struct shipper *s, const char *reason)
{
	size_t i;

	for (i = 0; i < SHIP_NREASONS - 2; i++)
		if (strcmp(ship_reasons[i], reason) == 0)
			break;
	s->m->dead[i < SHIP_NREASONS - 2 ? i : 5]++;
}

/* A dead letter into the fill. */
static void
sh_dead(struct shipper *s, const char *reason, const char *why,
    const struct tail_line *l)
{
	char detail[320];
	struct tail_id id;
	long long pos;
	char *e;
	size_t n;

	(void)tail_where(s->tail, &id, &pos);
	snprintf(detail, sizeof(detail), "%s, line ending at byte %lld: %s",
	    id.name, l->end, why);
	if (l->total > (long long)l->len)
		e = dl_entry_head(reason, detail, l->p, l->len, l->total,
		    l->sha1, s->consumer, time(NULL), &n);
	else
		e = dl_entry(
		    reason, detail, l->p, l->len, s->consumer, time(NULL), &n);
	if (e == NULL)
		fatalx("out of memory");
	buf_put(&s->dl, e, n);
	free(e);
	if (s->dl.oom)
		fatalx("out of memory");
	s->dllen[s->ndl++] = n;
	sh_count_dead(s, reason);
}

/* Whether the fill has no room for len more bytes or one more element. */
int
sh_full(const struct shipper *s, size_t len)
{
	return s->nev + s->ndl >= (size_t)s->cfg->batch ||
	    (s->ev.len + s->dl.len > 0 &&
		s->ev.len + s->dl.len + len > (size_t)s->cfg->batch_bytes);
}

/* One line into the fill. */
void
sh_take(struct shipper *s, enum tail_rc rc, const struct tail_line *l)
{
	struct ship_out o;

	if (sh_full(s, l->len))
		sh_flush(s);
	s->fill_any = 1;
	s->fill_end = l->end;
	if (rc == TAIL_TOOBIG) {
		sh_dead(s, "too-large", "longer than ship.max_event_bytes", l);
		return;
	}
	if (rc == TAIL_PARTIAL) {
		sh_dead(
		    s, "partial-line", "the file ended without a newline", l);
		return;
	}
	switch (ship_line(&s->filter, l->p, l->len, &s->scratch, &o)) {
	case SHIP_SKIP:
		s->m->skipped++;
		break;
	case SHIP_DEAD:
		sh_dead(s, o.reason, o.detail, l);
		break;
	case SHIP_SEND:
		buf_put(&s->ev, o.p, o.len);
		if (s->ev.oom)
			fatalx("out of memory");
		s->evlen[s->nev++] = o.len;
		break;
	}
}
