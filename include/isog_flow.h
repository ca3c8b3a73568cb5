/*
 * isog_flow.h: the incident flow of the 5W1H document as the desk moves
 * through it: the phases in flow order, the decisions of the flow chart
 * (対応要否, 検知あり/なし) and where each leads, what information each
 * phase needs (a checklist), and the ISOMM organisation patterns.  The
 * Japanese of the decisions and of the four patterns is the documents';
 * the checklists are the 5W1H seed's Drupal example generalised, in
 * sankaku's own Japanese (tests/fixtures/isog_reference.json marks what
 * is sourced and what is inferred).  Pure.
 */
#ifndef SANKAKU_ISOG_FLOW_H
#define SANKAKU_ISOG_FLOW_H

#include <stddef.h>

/* The phase an incident moves to when closed, as the chart loops. */
#define FLOW_CLOSED "closed"

struct isog_decision {
	const char *phase; /* the phase it is taken in */
	const char *id;	   /* "response-needed", ... */
	const char *to;	   /* the next phase id, or FLOW_CLOSED */
	const char *ja, *en;
};

struct isog_need {
	const char *ja, *en;
};

struct isog_pattern {
	const char *id; /* "minimum_insource", ... */
	const char *ja, *en;
};

/* Flow order of the incident's phases: triage 0, detection-analysis 1,
 * containment-eradication-recovery 2, post-incident 3; -1 for the
 * others (preparation, information-sharing: not where an incident
 * stands). */
int isog_flow_rank(const char *phase);
/* The phase of a rank (0-3). */
const char *isog_flow_phase(int rank);

size_t isog_ndecisions(void);
const struct isog_decision *isog_decision_at(size_t);
/* The decision id taken in phase, or NULL. */
const struct isog_decision *isog_decision_find(
    const char *phase, const char *id);

/* What the phase needs to be known; n items. */
const struct isog_need *isog_phase_needs(const char *phase, size_t *n);

size_t isog_npatterns(void);
const struct isog_pattern *isog_pattern_at(size_t);
const struct isog_pattern *isog_pattern_find(const char *id);

#endif
