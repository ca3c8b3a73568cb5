/*
 * stixparse.h: the STIX 2.x patterning grammar, parsed (stixparse.c) into
 * what stixpat.c reads as detections: each observation's comparisons in
 * disjunctive normal form (an OR of ANDs), and how many alternatives were
 * joined across observations or qualified (no one detection).  Pure.
 */
#ifndef SANKAKU_STIXPARSE_H
#define SANKAKU_STIXPARSE_H

#include <stddef.h>

#define MAXCMP 128
#define MAXCONJ 64
#define MAXAND 16

enum stix_tok {
	T_EOF,
	T_LBRACK,
	T_RBRACK,
	T_LPAREN,
	T_RPAREN,
	T_STR,	/* 'text' */
	T_NUM,	/* an integer */
	T_LIT,	/* other literals: h'', b'', t'', reals, booleans */
	T_PATH, /* object path */
	T_OP,	/* = != < > <= >= */
	T_WORD, /* a keyword */
	T_ERR
};

struct cmp {
	char path[160];
	char op[16]; /* "=", "!=", "ISSUBSET", "MATCHES", ... */
	int negated;
	enum stix_tok lit;
	char value[2100];
};

/* An OR of ANDs of comparisons. */
struct dnf {
	unsigned char conj[MAXCONJ][MAXAND];
	unsigned char nand[MAXCONJ];
	size_t n;
};

/* An observation expression: the alternatives that may each be one
 * detection, and how many cannot (joined across observations, or
 * qualified), with why. */
struct obs {
	struct dnf ok;
	size_t crossed;
	char why[120];
};

/* A parsed pattern. */
struct stixparse {
	struct cmp cmp[MAXCMP];
	size_t ncmp;
	struct obs obs;
	char err[160]; /* why it is not a pattern */
};

/* Parse pattern into p; 0, or -1 with p->err. */
int stixparse(const char *pattern, struct stixparse *p);

#endif
