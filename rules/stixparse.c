/*
 * stixparse.c: a lexer and a recursive-descent parser of STIX patterns
 * (see stixparse.h).  Observation operators bind AND, then OR, then
 * FOLLOWEDBY; inside an observation AND binds tighter than OR.
 */

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "stixparse.h"

struct parser {
	const char *s;
	size_t p;
	enum stix_tok tok;
	char text[2100];
	struct stixparse *out; /* the comparisons go there */
	char err[160];
};

/* Read the next token into ps->tok and ps->text. */
static void
next(struct parser *ps)
{
	const char *s = ps->s;
	size_t p = ps->p, o = 0;

	while (s[p] == ' ' || s[p] == '\t' || s[p] == '\n' || s[p] == '\r')
		p++;
	ps->text[0] = '\0';
	if (s[p] == '\0') {
		ps->tok = T_EOF;
	} else if (s[p] == ',') {
		ps->tok = T_WORD;
		snprintf(ps->text, sizeof(ps->text), ",");
		p++;
	} else if (strchr("[]()", s[p]) != NULL) {
		ps->tok = s[p] == '[' ? T_LBRACK
		    : s[p] == ']'     ? T_RBRACK
		    : s[p] == '('     ? T_LPAREN
				      : T_RPAREN;
		p++;
	} else if (s[p] == '\'' ||
	    ((s[p] == 'h' || s[p] == 'b' || s[p] == 't') && s[p + 1] == '\'')) {
		ps->tok = s[p] == '\'' ? T_STR : T_LIT;
		if (s[p] != '\'')
			p++;
		for (p++; s[p] != '\0' && s[p] != '\''; p++) {
			if (s[p] == '\\' &&
			    (s[p + 1] == '\'' || s[p + 1] == '\\'))
				p++;
			if (o + 1 >= sizeof(ps->text)) {
				ps->tok = T_ERR;
				snprintf(ps->err, sizeof(ps->err),
				    "string longer than %zu characters",
				    sizeof(ps->text) - 1);
				return;
			}
			ps->text[o++] = s[p];
		}
		if (s[p] != '\'') {
			ps->tok = T_ERR;
			snprintf(
			    ps->err, sizeof(ps->err), "unterminated string");
			return;
		}
		p++;
		ps->text[o] = '\0';
	} else if (strchr("=!<>", s[p]) != NULL) {
		ps->tok = T_OP;
		ps->text[o++] = s[p++];
		if (s[p] == '=')
			ps->text[o++] = s[p++];
		ps->text[o] = '\0';
		if (strcmp(ps->text, "!") == 0) {
			ps->tok = T_ERR;
			snprintf(ps->err, sizeof(ps->err), "lone '!'");
			return;
		}
	} else if (isdigit((unsigned char)s[p]) || s[p] == '-' || s[p] == '+') {
		int real = 0;

		ps->tok = T_NUM;
		if (s[p] == '-' || s[p] == '+')
			ps->text[o++] = s[p++];
		while ((isdigit((unsigned char)s[p]) || s[p] == '.') &&
		    o + 1 < 32) {
			real |= s[p] == '.';
			ps->text[o++] = s[p++];
		}
		ps->text[o] = '\0';
		if (real || ps->text[0] == '-' || ps->text[0] == '+')
			ps->tok = T_LIT;
	} else if (isalpha((unsigned char)s[p]) || s[p] == '_') {
		/* a keyword, or an object path (it has a ':') */
		size_t q = p;

		while (
		    isalnum((unsigned char)s[q]) || s[q] == '-' || s[q] == '_')
			q++;
		if (s[q] != ':') {
			ps->tok = T_WORD;
			if (q - p >= 32) {
				ps->tok = T_ERR;
				snprintf(
				    ps->err, sizeof(ps->err), "unknown word");
				return;
			}
			memcpy(ps->text, s + p, q - p);
			ps->text[q - p] = '\0';
			p = q;
			if (strcmp(ps->text, "true") == 0 ||
			    strcmp(ps->text, "false") == 0)
				ps->tok = T_LIT;
		} else {
			ps->tok = T_PATH;
			while (s[p] != '\0' &&
			    (isalnum((unsigned char)s[p]) ||
				strchr("-_:.*'[]", s[p]) != NULL)) {
				if (s[p] == '\'') { /* a quoted component */
					do {
						if (o + 2 >= 160)
							break;
						ps->text[o++] = s[p++];
					} while (s[p] != '\0' && s[p] != '\'');
					if (s[p] != '\'') {
						ps->tok = T_ERR;
						snprintf(ps->err,
						    sizeof(ps->err),
						    "bad object path");
						return;
					}
				} else if (s[p] == ']' &&
				    (o == 0 ||
					strchr("*0123456789",
					    ps->text[o - 1]) == NULL))
					break; /* the observation's ']' */
				else if (s[p] == '[' &&
				    strchr("*0123456789", s[p + 1]) == NULL)
					break;
				if (o + 2 >= 160) {
					ps->tok = T_ERR;
					snprintf(ps->err, sizeof(ps->err),
					    "object path too long");
					return;
				}
				ps->text[o++] = s[p++];
			}
			ps->text[o] = '\0';
		}
	} else {
		ps->tok = T_ERR;
		snprintf(ps->err, sizeof(ps->err), "unexpected '%c'",
		    isprint((unsigned char)s[p]) ? s[p] : '?');
		return;
	}
	ps->p = p;
}

/* Whether the current token is keyword w. */
static int
is_word(const struct parser *ps, const char *w)
{
	return ps->tok == T_WORD && strcmp(ps->text, w) == 0;
}

#define FAIL(...)                                                              \
	do {                                                                   \
		if (ps->err[0] == '\0')                                        \
			snprintf(ps->err, sizeof(ps->err), __VA_ARGS__);       \
		return -1;                                                     \
	} while (0)

static int comp_or(struct parser *, struct dnf *);

/* One comparison: [NOT] path op literal, or ( comp_or ). */
static int
comp_test(struct parser *ps, struct dnf *d)
{
	struct cmp *c;

	if (ps->tok == T_LPAREN) {
		next(ps);
		if (comp_or(ps, d) != 0)
			return -1;
		if (ps->tok != T_RPAREN)
			FAIL("expected ')'");
		next(ps);
		return 0;
	}
	if (ps->tok != T_PATH)
		FAIL("expected an object path");
	if (ps->out->ncmp == MAXCMP)
		FAIL("more than %d comparisons", MAXCMP);
	c = &ps->out->cmp[ps->out->ncmp];
	c->negated = 0;
	c->op[0] = '\0';
	c->value[0] = '\0';
	if (strlen(ps->text) >= sizeof(c->path))
		FAIL("object path too long");
	memcpy(c->path, ps->text, strlen(ps->text) + 1);
	next(ps);
	if (is_word(ps, "NOT")) {
		c->negated = 1;
		next(ps);
	}
	if (ps->tok == T_OP ||
	    (ps->tok == T_WORD &&
		(is_word(ps, "LIKE") || is_word(ps, "MATCHES") ||
		    is_word(ps, "ISSUBSET") || is_word(ps, "ISSUPERSET") ||
		    is_word(ps, "IN"))))
		memcpy(c->op, ps->text, strlen(ps->text) + 1);
	else
		FAIL("expected a comparison operator after %.60s", c->path);
	next(ps);
	if (strcmp(c->op, "IN") == 0) {
		/* a set of literals: read, and not matched */
		if (ps->tok != T_LPAREN)
			FAIL("expected '(' after IN");
		for (next(ps); ps->tok != T_RPAREN; next(ps))
			if (ps->tok != T_STR && ps->tok != T_NUM &&
			    ps->tok != T_LIT && !is_word(ps, ","))
				FAIL("bad set after IN");
		c->lit = T_LIT;
	} else if (ps->tok == T_STR || ps->tok == T_NUM || ps->tok == T_LIT) {
		c->lit = ps->tok;
		snprintf(c->value, sizeof(c->value), "%s", ps->text);
	} else
		FAIL("expected a literal after %.60s %s", c->path, c->op);
	next(ps);
	d->n = 1;
	d->nand[0] = 1;
	d->conj[0][0] = (unsigned char)ps->out->ncmp++;
	return 0;
}

/* a AND b: every pair of their ANDs. */
static int
dnf_and(struct parser *ps, struct dnf *a, const struct dnf *b)
{
	struct dnf r;
	size_t i, j;

	memset(&r, 0, sizeof(r));
	if (a->n * b->n > MAXCONJ)
		FAIL(
		    "pattern too complex (more than %d alternatives)", MAXCONJ);
	for (i = 0; i < a->n; i++)
		for (j = 0; j < b->n; j++) {
			if (a->nand[i] + b->nand[j] > MAXAND)
				FAIL("more than %d comparisons ANDed", MAXAND);
			memcpy(r.conj[r.n], a->conj[i], a->nand[i]);
			memcpy(
			    r.conj[r.n] + a->nand[i], b->conj[j], b->nand[j]);
			r.nand[r.n++] =
			    (unsigned char)(a->nand[i] + b->nand[j]);
		}
	*a = r;
	return 0;
}

/* a OR b: both lists. */
static int
dnf_or(struct parser *ps, struct dnf *a, const struct dnf *b)
{
	if (a->n + b->n > MAXCONJ)
		FAIL(
		    "pattern too complex (more than %d alternatives)", MAXCONJ);
	memcpy(a->conj[a->n], b->conj, b->n * sizeof(b->conj[0]));
	memcpy(a->nand + a->n, b->nand, b->n);
	a->n += b->n;
	return 0;
}

/* comp_test (AND comp_test)* */
static int
comp_and(struct parser *ps, struct dnf *d)
{
	struct dnf r;

	if (comp_test(ps, d) != 0)
		return -1;
	while (is_word(ps, "AND")) {
		next(ps);
		memset(&r, 0, sizeof(r));
		if (comp_test(ps, &r) != 0 || dnf_and(ps, d, &r) != 0)
			return -1;
	}
	return 0;
}

/* comp_and (OR comp_and)* */
static int
comp_or(struct parser *ps, struct dnf *d)
{
	struct dnf r;

	if (comp_and(ps, d) != 0)
		return -1;
	while (is_word(ps, "OR")) {
		next(ps);
		memset(&r, 0, sizeof(r));
		if (comp_and(ps, &r) != 0 || dnf_or(ps, d, &r) != 0)
			return -1;
	}
	return 0;
}

static int obs_followedby(struct parser *, struct obs *);

/* Everything of o can no longer be one detection. */
static void
obs_cross(struct obs *o, const char *why)
{
	o->crossed += o->ok.n;
	o->ok.n = 0;
	snprintf(o->why, sizeof(o->why), "%s", why);
}

/* o and r side by side (OR): each keeps its own fate. */
static int
obs_join(struct parser *ps, struct obs *o, const struct obs *r)
{
	if (dnf_or(ps, &o->ok, &r->ok) != 0)
		return -1;
	o->crossed += r->crossed;
	if (o->why[0] == '\0')
		memcpy(o->why, r->why, sizeof(o->why));
	return 0;
}

/* Qualifiers after an observation: read, and they make it no detection. */
static int
qualifiers(struct parser *ps, struct obs *o)
{
	while (is_word(ps, "WITHIN") || is_word(ps, "REPEATS") ||
	    is_word(ps, "START")) {
		int start = is_word(ps, "START");
		char why[120];

		snprintf(why, sizeof(why),
		    "qualifier %.12s: one sighting is not the indicator",
		    ps->text);
		obs_cross(o, why);
		next(ps);
		if (ps->tok != T_NUM && ps->tok != T_LIT)
			FAIL("expected a value after a qualifier");
		next(ps);
		if (start) {
			if (!is_word(ps, "STOP"))
				FAIL("START without STOP");
			next(ps);
			if (ps->tok != T_LIT)
				FAIL("expected a timestamp after STOP");
		} else if (!is_word(ps, "SECONDS") && !is_word(ps, "TIMES"))
			FAIL("expected SECONDS or TIMES");
		next(ps);
	}
	return 0;
}

/* [ comp_or ] or ( obs_followedby ), with qualifiers. */
static int
obs_term(struct parser *ps, struct obs *o)
{
	if (ps->tok == T_LBRACK) {
		next(ps);
		if (comp_or(ps, &o->ok) != 0)
			return -1;
		if (ps->tok != T_RBRACK)
			FAIL("expected ']'");
		next(ps);
	} else if (ps->tok == T_LPAREN) {
		next(ps);
		if (obs_followedby(ps, o) != 0)
			return -1;
		if (ps->tok != T_RPAREN)
			FAIL("expected ')'");
		next(ps);
	} else
		FAIL("expected '[' or '('");
	return qualifiers(ps, o);
}

/* obs_term (AND obs_term)*: both must be seen, so no one detection. */
static int
obs_and(struct parser *ps, struct obs *o)
{
	struct obs r;

	if (obs_term(ps, o) != 0)
		return -1;
	while (is_word(ps, "AND")) {
		next(ps);
		memset(&r, 0, sizeof(r));
		if (obs_term(ps, &r) != 0 || obs_join(ps, o, &r) != 0)
			return -1;
		obs_cross(o,
		    "AND across observations cannot be one "
		    "detection");
	}
	return 0;
}

/* obs_and (OR obs_and)* */
static int
obs_or(struct parser *ps, struct obs *o)
{
	struct obs r;

	if (obs_and(ps, o) != 0)
		return -1;
	while (is_word(ps, "OR")) {
		next(ps);
		memset(&r, 0, sizeof(r));
		if (obs_and(ps, &r) != 0 || obs_join(ps, o, &r) != 0)
			return -1;
	}
	return 0;
}

/* obs_or (FOLLOWEDBY obs_or)*: a sequence is no one detection. */
static int
obs_followedby(struct parser *ps, struct obs *o)
{
	struct obs r;

	if (obs_or(ps, o) != 0)
		return -1;
	while (is_word(ps, "FOLLOWEDBY")) {
		next(ps);
		memset(&r, 0, sizeof(r));
		if (obs_or(ps, &r) != 0 || obs_join(ps, o, &r) != 0)
			return -1;
		obs_cross(o, "FOLLOWEDBY cannot be one detection");
	}
	return 0;
}

/* Parse a pattern. */
int
stixparse(const char *pattern, struct stixparse *out)
{
	struct parser parser, *ps = &parser;
	int rv = -1;

	/* no memset of the comparisons: 300 KB each time, a million times */
	out->ncmp = 0;
	memset(&out->obs, 0, sizeof(out->obs));
	out->err[0] = '\0';
	memset(ps, 0, sizeof(*ps));
	ps->s = pattern;
	ps->out = out;
	next(ps);
	if (ps->tok != T_ERR && obs_followedby(ps, &out->obs) == 0 &&
	    ps->tok == T_EOF)
		rv = 0;
	else if (ps->err[0] == '\0')
		snprintf(ps->err, sizeof(ps->err),
		    "unexpected text after the pattern");
	if (rv != 0)
		memcpy(out->err, ps->err, sizeof(out->err));
	return rv;
}
