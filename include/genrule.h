/*
 * genrule.h: writing one rule, one dataset file (inside gen.c's run).
 */
#ifndef SANKAKU_GENRULE_H
#define SANKAKU_GENRULE_H

#include <stddef.h>
#include <stdint.h>

#include "afile.h"
#include "buf.h"
#include "gen.h"

/* Suricata reads a rule into 8192 bytes; stay well inside. */
#define RULE_MAX 7600

struct gen {
	const struct cfg *cfg;
	const char *dir;
	struct afile rules;
	struct gen_result *res;
	uint8_t *taken;	  /* hashed SIDs in use, one bit each */
	uint8_t *srcseen; /* per source, for a group's union */
	char *enc;	  /* base64 buffer */
	char *err;
	size_t errlen;
};

/* What every rule of a group says of itself. */
struct rmeta {
	const char *ioc;   /* sankaku_ioc_type */
	const char *where; /* for msg */
	enum evidence ev;
	const char *sources; /* comma-separated */
	const char *flowbit; /* once per flow, or NULL */
};

/* Write one rule: "alert HEADER (msg; MATCH flowbits classtype metadata
 * sid rev)".  0, or -1 with g->err. */
int gen_rule(struct gen *, const char *header, const char *match,
    const struct rmeta *, long sid);

/* Append the dataset:isset options for name (hash table sized for n). */
void gen_dataset_opt(
    struct buf *, const char *name, const char *type, size_t n);

/* Write datasets/NAME.lst: each value once, in the order given; base64
 * for string datasets.  0, or -1 with g->err. */
int gen_dataset(struct gen *, const char *name, const char *const *vals,
    size_t n, int b64, size_t *written);

#endif
