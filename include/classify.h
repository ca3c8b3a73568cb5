/*
 * classify.h: what kind of evidence a third-party rule's alert is, from
 * what the rule says of itself: its MITRE ATT&CK tactic (metadata
 * mitre_tactic_id or mitre_tactic_name), its ET Open category (the
 * signature's "ET MALWARE ..." prefix), or its classtype (alert.category).
 * Pure: tables only.
 */
#ifndef SANKAKU_CLASSIFY_H
#define SANKAKU_CLASSIFY_H

#include "evscan.h"
#include "isog.h"

/* 0 and *ev, or -1 when the rule says nothing this knows. */
int classify_rule(const struct evscan *, enum evidence *ev);

#endif
