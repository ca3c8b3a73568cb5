/*
 * pretty.h: an enriched alert as a few lines a person reads at a glance
 * (what sankaku-tail and the demo print).  Every value from the wire or a
 * feed goes through pretty_text first: control characters (C0, DEL, C1),
 * bidirectional overrides and invalid UTF-8 are shown as \xNN or \u{NNNN},
 * so an alert cannot move the cursor, recolour or reorder a terminal.
 * Pure.
 */
#ifndef SANKAKU_PRETTY_H
#define SANKAKU_PRETTY_H

#include <stddef.h>
#include <stdio.h>

#include <jansson.h>

#include "buf.h"

/* Append s[0, n) to b, made safe for a terminal. */
void pretty_text(struct buf *, const char *s, size_t n);
/* s made safe for a terminal onto fp ("-" for NULL). */
void pretty_fputs(FILE *, const char *s);
/* The alert's lines (borrowed alert), NUL-terminated, appended to b. */
void pretty_alert(struct buf *, const json_t *alert);
/* A JSON value, made safe: a string as text (NUL bytes and all), an
 * integer as a number, anything else (absent included) as "-". */
void pretty_value(struct buf *, const json_t *);
/* One end of a flow: the address (IPv6 in its short form, as Suricata
 * does not write it), with ":port" ("[v6]:port") when port is an integer;
 * "-" when the address is absent. */
void pretty_end(struct buf *, const json_t *ip, const json_t *port);
/* Where an alert points: its DNS name, TLS name, or HTTP host and URL
 * (nothing if none). */
void pretty_where(struct buf *, const json_t *alert);

#endif
