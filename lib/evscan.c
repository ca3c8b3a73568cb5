/*
 * evscan.c: a validating single-pass JSON scanner for EVE events.
 *
 * It checks the whole event against RFC 8259 (structure, string escapes,
 * UTF-8, numbers), refuses duplicate member names and nesting deeper than
 * EVSCAN_MAX_DEPTH, and on the way records where the few members the
 * enrichment reads are.  Nothing is allocated for small events: member
 * names for the duplicate check live in a stack array that spills to the
 * heap only for large objects.
 *
 * Member names are matched by their raw bytes.  A name written with
 * escapes ("\u0065vent_type") is reported through err so the caller can
 * take the slow path (a full parse) instead of guessing.
 */

#include <errno.h>
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "evfields.h"
#include "evscan.h"
#include "swar.h"

struct keyref {
	const char *p;
	size_t len;
	uint32_t sig; /* length and a few bytes: memcmp only on a match */
};

struct sc {
	const char *b;
	size_t len, i;
	int depth;
	struct evscan *ev;
	struct keyref *keys; /* names of the open objects, stacked */
	size_t nkeys, capkeys;
	struct keyref stack_keys[256];
	int escaped_key;
	int lax; /* values nobody reads are passed over (evscan_lax) */
};

#define FAIL(s, why)                                                           \
	do {                                                                   \
		(s)->ev->err = (why);                                          \
		(s)->ev->err_pos = (s)->i;                                     \
		return -1;                                                     \
	} while (0)

static int value(struct sc *, const struct evtarget *);

/* Skip JSON whitespace (EVE has none: return at once). */
static inline void
ws(struct sc *s)
{
	if (s->i < s->len && (unsigned char)s->b[s->i] > ' ')
		return;
	while (s->i < s->len) {
		char c = s->b[s->i];

		if (c != ' ' && c != '\n' && c != '\r' && c != '\t')
			return;
		s->i++;
	}
}

/* Whether the byte at s->i, after any whitespace, is c (not consumed).
 * EVE has no whitespace: one comparison in the common case. */
static inline int
at(struct sc *s, char c)
{
	if (s->i < s->len && s->b[s->i] == c)
		return 1;
	ws(s);
	return s->i < s->len && s->b[s->i] == c;
}

/* The same, consumed. */
static inline int
take(struct sc *s, char c)
{
	if (!at(s, c))
		return 0;
	s->i++;
	return 1;
}

/* A string at s->i (on the opening quote); fills out.  Inline: it runs
 * for most names and values, and the call cost as much as the scan. */
static inline __attribute__((always_inline)) int
string(struct sc *s, struct evstr *out)
{
	const unsigned char *b = (const unsigned char *)s->b;
	size_t i = s->i + 1, n = s->len;

	out->p = s->b + i;
	out->escaped = 0;
	for (;;) {
		/* the common case: plain ASCII, sixteen bytes at a time; the
		 * last few bytes of the event one at a time */
		i = simd_find_special(b, i, n);
		if (i + 8 > n)
			while (i < n && b[i] >= 0x20 && b[i] != '"' &&
			    b[i] != '\\' && b[i] < 0x80)
				i++;
		if (i >= n) {
			s->i = i;
			FAIL(s, "unterminated string");
		}
		if (b[i] == '"')
			break;
		if (b[i] < 0x20) {
			s->i = i;
			FAIL(s, "control character in string");
		}
		if (b[i] == '\\') {
			out->escaped = 1;
			if (i + 1 >= n) {
				s->i = i;
				FAIL(s, "unterminated escape");
			}
			switch (b[i + 1]) {
			case '"':
			case '\\':
			case '/':
			case 'b':
			case 'f':
			case 'n':
			case 'r':
			case 't':
				i += 2;
				break;
			case 'u': {
				long cp;

				if (i + 6 > n ||
				    (cp = evstr_hex4(s->b + i + 2)) < 0) {
					s->i = i;
					FAIL(s, "invalid \\u escape");
				}
				i += 6;
				if (cp >= 0xdc00 && cp <= 0xdfff) {
					s->i = i;
					FAIL(s, "lone low surrogate");
				}
				if (cp >= 0xd800 && cp <= 0xdbff) {
					long lo;

					if (i + 6 > n || b[i] != '\\' ||
					    b[i + 1] != 'u' ||
					    (lo = evstr_hex4(s->b + i + 2)) <
						0xdc00 ||
					    lo > 0xdfff) {
						s->i = i;
						FAIL(s,
						    "unpaired high surrogate");
					}
					i += 6;
				}
				break;
			}
			default:
				s->i = i;
				FAIL(s, "invalid escape");
			}
			continue;
		}
		{
			size_t k = evstr_utf8_len(b + i, n - i);

			if (k == 0) {
				s->i = i;
				FAIL(s, "invalid UTF-8");
			}
			i += k;
		}
	}
	out->len = (size_t)(s->b + i - out->p);
	s->i = i + 1;
	return 0;
}

/* A number; *integer says whether it had no fraction or exponent.  Like
 * jansson (and so what consumers parse), an integer must fit in 64 bits
 * and a real in a double. */
static int
number(struct sc *s, int *integer)
{
	size_t i = s->i, start = s->i, digits;
	char buf[64];

	*integer = 1;
	if (s->b[i] == '-')
		i++;
	if (i < s->len && s->b[i] == '0')
		i++;
	else if (i < s->len && s->b[i] >= '1' && s->b[i] <= '9')
		while (i < s->len && s->b[i] >= '0' && s->b[i] <= '9')
			i++;
	else {
		s->i = i;
		FAIL(s, "invalid number");
	}
	if (i < s->len && s->b[i] == '.') {
		*integer = 0;
		i++;
		if (i >= s->len || s->b[i] < '0' || s->b[i] > '9') {
			s->i = i;
			FAIL(s, "invalid number");
		}
		while (i < s->len && s->b[i] >= '0' && s->b[i] <= '9')
			i++;
	}
	if (i < s->len && (s->b[i] == 'e' || s->b[i] == 'E')) {
		*integer = 0;
		i++;
		if (i < s->len && (s->b[i] == '+' || s->b[i] == '-'))
			i++;
		if (i >= s->len || s->b[i] < '0' || s->b[i] > '9') {
			s->i = i;
			FAIL(s, "invalid number");
		}
		while (i < s->len && s->b[i] >= '0' && s->b[i] <= '9')
			i++;
	}
	digits = i - start;
	if (*integer && digits >= 19) {
		/* only then can it overflow: check exactly */
		if (digits >= sizeof(buf))
			FAIL(s, "integer out of range");
		memcpy(buf, s->b + start, digits);
		buf[digits] = '\0';
		errno = 0;
		(void)strtoll(buf, NULL, 10);
		if (errno == ERANGE)
			FAIL(s, "integer out of range");
	} else if (!*integer) {
		char *big = NULL, *p = buf;
		double v;

		if (digits >= sizeof(buf) &&
		    (p = big = malloc(digits + 1)) == NULL)
			FAIL(s, "out of memory");
		memcpy(p, s->b + start, digits);
		p[digits] = '\0';
		errno = 0;
		v = strtod(p, NULL);
		free(big);
		if (errno == ERANGE && (v == HUGE_VAL || v == -HUGE_VAL))
			FAIL(s, "real number out of range");
	}
	s->i = i;
	return 0;
}

/* A literal true/false/null. */
static int
literal(struct sc *s, const char *word, size_t n)
{
	if (s->len - s->i < n || memcmp(s->b + s->i, word, n) != 0)
		FAIL(s, "invalid literal");
	s->i += n;
	return 0;
}

/* Remember a member name of the open object; -1 if it is a duplicate.
 * seen: one bit per signature seen in this object, so that most names
 * need no comparison at all. */
static int
key_push(struct sc *s, size_t first, const struct evstr *k, uint32_t sig,
    uint64_t *seen)
{
	uint64_t bit = 1ULL << (sig * 2654435761U >> 26);
	size_t j;

	if (*seen & bit) {
		for (j = first; j < s->nkeys; j++)
			if (s->keys[j].sig == sig && s->keys[j].len == k->len &&
			    memcmp(s->keys[j].p, k->p, k->len) == 0)
				FAIL(s, "duplicate member name");
	}
	*seen |= bit;
	if (s->nkeys - first >= EVSCAN_MAX_MEMBERS)
		FAIL(s, "too many members in one object");
	if (s->nkeys == s->capkeys) {
		size_t cap = s->capkeys * 2;
		struct keyref *nk;

		if (s->keys == s->stack_keys) {
			if ((nk = malloc(cap * sizeof(*nk))) != NULL)
				memcpy(nk, s->keys, s->nkeys * sizeof(*nk));
		} else
			nk = realloc(s->keys, cap * sizeof(*nk));
		if (nk == NULL)
			FAIL(s, "out of memory");
		s->keys = nk;
		s->capkeys = cap;
	}
	s->keys[s->nkeys].p = k->p;
	s->keys[s->nkeys].len = k->len;
	s->keys[s->nkeys].sig = sig;
	s->nkeys++;
	return 0;
}

/* After a member or an element: 1 on ',' (another follows), 0 on the
 * closing byte, -1 otherwise.  Both are consumed. */
static int
next_or_close(struct sc *s, char close)
{
	if (take(s, ','))
		return 1;
	if (take(s, close))
		return 0;
	FAIL(s, close == '}' ? "expected ',' or '}'" : "expected ',' or ']'");
}

/* An object at s->i (on '{').  Not inlined into value(), so that the
 * scalars, most of the values, do not pay for its registers. */
static __attribute__((noinline)) int
object(struct sc *s, enum evctx ctx)
{
	size_t first = s->nkeys;
	uint64_t seen = 0;
	int nmembers = 0, more;

	if (++s->depth > EVSCAN_MAX_DEPTH)
		FAIL(s, "nesting too deep");
	s->i++;
	if (take(s, '}'))
		goto done;
	do {
		struct evstr k;
		struct evtarget t;
		uint32_t sig;

		if (!at(s, '"'))
			FAIL(s, "expected a member name");
		if (string(s, &k) != 0)
			return -1;
		sig = evfields_sig(&k);
		if (k.escaped) {
			s->escaped_key = 1; /* matched by bytes: slow path */
			t = (struct evtarget){C_NONE, -1, -1, FLAG_NONE};
		} else
			t = evfields_target(ctx, &k, sig);
		if (key_push(s, first, &k, sig, &seen) != 0)
			return -1;
		if (!take(s, ':'))
			FAIL(s, "expected ':'");
		if (value(s, &t) != 0)
			return -1;
		nmembers++;
	} while ((more = next_or_close(s, '}')) > 0);
	if (more < 0)
		return -1;
done:
	if (ctx == C_ROOT) {
		s->ev->root_members = nmembers;
		s->ev->close_brace = s->i - 1;
	}
	s->nkeys = first;
	s->depth--;
	return 0;
}

/* An array at s->i (on '['); elements of ctx/multi. */
static __attribute__((noinline)) int
array(struct sc *s, enum evctx ctx, int multi)
{
	struct evtarget t = {C_NONE, -1, -1, FLAG_NONE};
	int more;

	if (++s->depth > EVSCAN_MAX_DEPTH)
		FAIL(s, "nesting too deep");
	if (ctx == C_META_ARR)
		t.multi = multi;
	else if (ctx == C_DNS_QUERY)
		t.ctx = C_DNS_QUERY_OBJ;
	else if (ctx == C_DNS_ANSWERS)
		t.ctx = C_DNS_ANSWER_OBJ;
	else if (ctx == C_FILES)
		t.ctx = C_FILE_OBJ;
	else if (ctx == C_SK_IND_REFS)
		t.ctx = C_SK_REF_OBJ;
	else if (ctx == C_SK_IND_PUBS)
		t.ctx = C_SK_PUB_OBJ;
	else if (ctx == C_SK_SOURCES) {
		t.ctx = C_SK_SOURCE_OBJ; /* full form: objects with an id */
		t.multi = M_SK_SOURCES;	 /* compact form: the ids */
	}
	s->i++;
	if (take(s, ']')) {
		s->depth--;
		return 0;
	}
	do {
		if (value(s, &t) != 0)
			return -1;
	} while ((more = next_or_close(s, ']')) > 0);
	if (more < 0)
		return -1;
	s->depth--;
	return 0;
}

/* Lax: a value nobody reads, at s->i, passed over by its brackets and
 * its strings' quotes, eight bytes at a time; what is inside is not
 * checked, since none of it is taken. */
static int
skip(struct sc *s)
{
	const unsigned char *b = (const unsigned char *)s->b;
	size_t i = s->i, n = s->len, start = s->i;
	int depth = 0;

	while (i < n) {
		unsigned char c = b[i];

		if (c == '"') {
			for (i++;;) {
				i = swar_find(b, i, n, swar_quote);
				while (i < n && b[i] != '"' && b[i] != '\\')
					i++;
				if (i >= n) {
					s->i = n;
					FAIL(s, "unterminated string");
				}
				if (b[i] == '"')
					break;
				i += 2; /* the escaped byte too */
			}
			i++;
			if (depth == 0)
				break;
		} else if (c == '{' || c == '[') {
			if (s->depth + ++depth > EVSCAN_MAX_DEPTH) {
				s->i = i;
				FAIL(s, "nesting too deep");
			}
			i++;
		} else if (c == '}' || c == ']') {
			if (depth == 0)
				break; /* the container around it ends */
			i++;
			if (--depth == 0)
				break;
		} else if (c == ',' && depth == 0)
			break;
		else
			i++;
	}
	s->i = i;
	if (depth > 0)
		FAIL(s, "unexpected end");
	if (i == start)
		FAIL(s, "expected a value");
	return 0;
}

/* Whether the lax scan reads a value: one taken, or a container of the
 * enriched alert's own (the root, alert, sankaku and what is in it);
 * the protocol objects and alert.metadata it passes over. */
static int
lax_reads(const struct evtarget *t)
{
	switch (t->ctx) {
	case C_NONE:
		return t->field >= 0 || t->multi >= 0 || t->flag != FLAG_NONE;
	case C_ROOT:
	case C_ALERT:
	case C_SANKAKU:
	case C_SK_PHASE:
	case C_SK_INDICATOR:
	case C_SK_SOURCES:
	case C_SK_SOURCE_OBJ:
	case C_SK_IND_REFS:
	case C_SK_REF_OBJ:
	case C_SK_IND_PUBS:
	case C_SK_PUB_OBJ:
		return 1;
	default:
		return 0;
	}
}

/* Any value, stored where t says. */
static int
value(struct sc *s, const struct evtarget *t)
{
	struct evscan *ev = s->ev;
	char c;

	ws(s);
	if (s->i >= s->len)
		FAIL(s, "unexpected end");
	if (s->lax && !lax_reads(t))
		return skip(s);
	c = s->b[s->i];
	if (t->flag == FLAG_ALERT && c != '{')
		ev->alert_bad = 1;
	if (t->flag == FLAG_META && c != '{')
		ev->meta_bad = 1;
	if (t->flag == FLAG_EVENT_TYPE && c != '"')
		ev->event_type_bad = 1;
	if (t->flag == FLAG_SANKAKU)
		ev->has_sankaku = 1;
	switch (c) {
	case '{':
		if (t->flag == FLAG_ALERT)
			ev->has_alert = 1;
		return object(s, t->ctx == C_META_ARR ? C_NONE : t->ctx);
	case '[':
		return array(s,
		    t->ctx == C_DNS_QUERY || t->ctx == C_DNS_ANSWERS ||
			    t->ctx == C_FILES || t->ctx == C_META_ARR ||
			    t->ctx == C_SK_SOURCES || t->ctx == C_SK_IND_REFS ||
			    t->ctx == C_SK_IND_PUBS
			? t->ctx
			: C_NONE,
		    t->multi);
	case '"': {
		struct evstr str;

		if (string(s, &str) != 0)
			return -1;
		if (t->field >= 0)
			ev->f[t->field] = str;
		if (t->multi >= 0 && ev->nm[t->multi] < EVSCAN_MAX_MULTI)
			ev->m[t->multi][ev->nm[t->multi]++] = str;
		return 0;
	}
	case 't':
		return literal(s, "true", 4);
	case 'f':
		return literal(s, "false", 5);
	case 'n':
		return literal(s, "null", 4);
	default:
		if (c == '-' || (c >= '0' && c <= '9')) {
			size_t start = s->i;
			int integer;

			if (number(s, &integer) != 0)
				return -1;
			if (t->flag == FLAG_SIGID && integer) {
				ev->has_sigid = 1;
				if (c != '-' && s->i - start <= 19)
					ev->f[t->field] = (struct evstr){
					    s->b + start, s->i - start, 0};
			}
			if (t->flag == FLAG_PORT && integer && c != '-' &&
			    s->i - start <= 5)
				ev->f[t->field] = (struct evstr){
				    s->b + start, s->i - start, 0};
			return 0;
		}
		FAIL(s, "unexpected character");
	}
}

static int
scan(const char *buf, size_t len, struct evscan *ev, int lax)
{
	struct sc s;
	struct evtarget root = {C_ROOT, -1, -1, FLAG_NONE};
	int rv;

	evfields_init();
	/* m[][] is read only up to nm[]: left as it is (most of *ev) */
	memset(ev->f, 0, sizeof(ev->f));
	memset(ev->nm, 0, sizeof(*ev) - offsetof(struct evscan, nm));
	memset(&s, 0, offsetof(struct sc, stack_keys));
	s.escaped_key = 0;
	s.lax = lax;
	s.b = buf;
	s.len = len;
	s.ev = ev;
	s.keys = s.stack_keys;
	s.capkeys = sizeof(s.stack_keys) / sizeof(s.stack_keys[0]);
	ws(&s);
	if (s.i < len && buf[s.i] != '{') {
		ev->not_object = 1;
		root.ctx = C_NONE;
	}
	rv = value(&s, &root);
	if (rv == 0) {
		ws(&s);
		if (s.i != len) {
			ev->err = "text after the value";
			ev->err_pos = s.i;
			rv = -1;
		}
	}
	if (rv == 0 && s.escaped_key) {
		ev->err = "escaped member name";
		ev->err_pos = 0;
		rv = -2; /* valid, but take the slow path */
	}
	if (s.keys != s.stack_keys)
		free(s.keys);
	return rv;
}

/* Scan one event. */
int
evscan(const char *buf, size_t len, struct evscan *ev)
{
	return scan(buf, len, ev, 0);
}

int
evscan_lax(const char *buf, size_t len, struct evscan *ev)
{
	return scan(buf, len, ev, 1);
}
