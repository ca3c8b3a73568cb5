/*
 * isog.h: the ISOG-J textbook model (functions, roles, phases, the sharing
 * triangle, CISO KPI categories) as read-only tables.  Pure: no I/O.
 */
#ifndef SANKAKU_ISOG_H
#define SANKAKU_ISOG_H

#include <stddef.h>

/* What kind of evidence an alert is; each maps to a phase and a KPI (the
 * textbook's flow: information arriving, attempts, compromise, ...). */
enum evidence {
	EV_VULNERABILITY,  /* a vulnerable product or configuration is seen */
	EV_RECON,	   /* scanning, probing */
	EV_POLICY,	   /* policy violation, unwanted software */
	EV_INDICATOR,	   /* a shared indicator matched, nature unknown */
	EV_ATTACK_ATTEMPT, /* exploitation attempt */
	EV_BLOCKED,	   /* an attempt the sensor blocked */
	EV_COMPROMISE,	   /* signs of a compromised host: C2, exfiltration */
	EV_MAX
};

struct isog_function {
	const char *code; /* "A" ... "I", and "X" */
	const char *ja;
	const char *en;
};

struct isog_role {
	const char *code; /* "A-1" ... "I-6", and "X" */
	const char *function;
	const char *ja;
	const char *en;
};

struct isog_phase {
	const char *id; /* "triage", "detection-analysis", ... */
	const char *ja;
	const char *en;
	const char *const *roles; /* who acts, NULL-terminated role codes */
};

struct isog_triangle {
	const char *id; /* "speed-accuracy", ... */
	const char *strong[2];
	const char *weak;
	const char *caveat_ja;
	const char *caveat_en;
	const char *handling_en; /* what a receiver should do about it */
};

struct isog_kpi {
	const char *id; /* "attack-condition", ... */
	const char *ja;
	const char *en;
};

size_t isog_nfunctions(void);
const struct isog_function *isog_function_at(size_t);
size_t isog_nroles(void); /* 54 textbook roles plus X */
const struct isog_role *isog_role_at(size_t);
const struct isog_role *isog_role_find(const char *code);
size_t isog_role_index(const struct isog_role *);
size_t isog_nphases(void);
const struct isog_phase *isog_phase_at(size_t);
const struct isog_phase *isog_phase_find(const char *id);
size_t isog_phase_index(const struct isog_phase *);
/* The triangle's three sides, in the order the desk measures and
 * reports them: accuracy, coverage, speed. */
#define ISOG_NSIDES 3
extern const char *const isog_sides[ISOG_NSIDES];
size_t isog_ntriangles(void);
const struct isog_triangle *isog_triangle_find(const char *id);
const struct isog_triangle *isog_triangle_at(size_t);
size_t isog_nkpis(void);
const struct isog_kpi *isog_kpi_find(const char *id);
const struct isog_kpi *isog_kpi_at(size_t);

const char *isog_evidence_name(enum evidence);
int isog_evidence_parse(const char *, enum evidence *);

#endif
