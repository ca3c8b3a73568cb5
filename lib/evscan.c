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
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "evscan.h"

/* What a container is, for picking out members. */
enum ctx {
	C_NONE,
	C_ROOT,
	C_ALERT,
	C_META,
	C_META_ARR,
	C_FLOW,
	C_DNS,
	C_DNS_QUERY,
	C_DNS_QUERY_OBJ,
	C_TLS,
	C_JA3,
	C_HTTP,
	C_FILES,
	C_FILE_OBJ,
	C_FILEINFO,
};

/* Where a value goes. */
struct target {
	enum ctx ctx; /* container context if it is an object/array */
	int field;    /* F_* for a string, or -1 */
	int multi;    /* M_* for strings to append, or -1 */
	int flag;     /* special handling, below */
};

enum {
	FLAG_NONE,
	FLAG_ALERT,
	FLAG_SIGID,
	FLAG_META,
	FLAG_EVENT_TYPE,
	FLAG_SANKAKU
};

struct keyref {
	const char *p;
	size_t len;
	uint32_t sig; /* length and a few bytes: memcmp only on a match */
};

/* A cheap signature of a member name. */
static inline uint32_t
key_sig(const struct evstr *k)
{
	const unsigned char *p = (const unsigned char *)k->p;

	if (k->len == 0)
		return 0;
	return (uint32_t)k->len << 24 ^ (uint32_t)p[0] << 16 ^
	    (uint32_t)p[k->len / 2] << 8 ^ p[k->len - 1];
}

struct sc {
	const char *b;
	size_t len, i;
	int depth;
	struct evscan *ev;
	struct keyref *keys; /* names of the open objects, stacked */
	size_t nkeys, capkeys;
	struct keyref stack_keys[256];
	int escaped_key;
};

#define FAIL(s, why)                                                           \
	do {                                                                   \
		(s)->ev->err = (why);                                          \
		(s)->ev->err_pos = (s)->i;                                     \
		return -1;                                                     \
	} while (0)

static int value(struct sc *, const struct target *);

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

/* Value of a hex digit, or -1. */
static int
hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Four hex digits at b; -1 if not. */
static long
hex4(const char *b)
{
	int a = hexval(b[0]), c = hexval(b[1]), d = hexval(b[2]),
	    e = hexval(b[3]);

	if (a < 0 || c < 0 || d < 0 || e < 0)
		return -1;
	return (long)((a << 12) | (c << 8) | (d << 4) | e);
}

/* Length of the valid UTF-8 sequence at p (n bytes left), or 0. */
static size_t
utf8_len(const unsigned char *p, size_t n)
{
	uint32_t cp;
	size_t k, i;

	if (p[0] < 0x80)
		return 1;
	if (p[0] >= 0xc2 && p[0] <= 0xdf) {
		k = 2;
		cp = p[0] & 0x1f;
	} else if (p[0] >= 0xe0 && p[0] <= 0xef) {
		k = 3;
		cp = p[0] & 0x0f;
	} else if (p[0] >= 0xf0 && p[0] <= 0xf4) {
		k = 4;
		cp = p[0] & 0x07;
	} else
		return 0;
	if (n < k)
		return 0;
	for (i = 1; i < k; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (p[i] & 0x3f);
	}
	if ((k == 3 && cp < 0x800) || (k == 4 && cp < 0x10000) ||
	    cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0; /* overlong, out of range, surrogate */
	return k;
}

/* Which of 8 bytes are '"', '\\', a control character or not ASCII (one
 * word at a time: the common case of EVE strings is plain ASCII).  The
 * lowest flagged byte is exact; bytes above it may be flagged wrongly (a
 * borrow), which does not matter: the scan stops at the lowest. */
static inline uint64_t
special8(uint64_t w)
{
	const uint64_t ones = 0x0101010101010101ULL,
		       high = 0x8080808080808080ULL;
	uint64_t q = w ^ 0x2222222222222222ULL, bs = w ^ 0x5c5c5c5c5c5c5c5cULL;

	return (((q - ones) & ~q) | ((bs - ones) & ~bs) |
		   ((w - 0x2020202020202020ULL) & ~w) | w) &
	    high;
}

/* A string at s->i (on the opening quote); fills out. */
static int
string(struct sc *s, struct evstr *out)
{
	const unsigned char *b = (const unsigned char *)s->b;
	size_t i = s->i + 1, n = s->len;

	out->p = s->b + i;
	out->escaped = 0;
	for (;;) {
		/* the common case: plain ASCII, eight bytes at a time */
		while (i + 8 <= n) {
			uint64_t w, m;

			memcpy(&w, b + i, 8);
			if ((m = special8(w)) != 0) {
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
				/* the first byte in memory is the lowest */
				i += (size_t)__builtin_ctzll(m) / 8;
#endif
				break;
			}
			i += 8;
		}
		while (i < n && b[i] >= 0x20 && b[i] != '"' && b[i] != '\\' &&
		    b[i] < 0x80)
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
				    (cp = hex4(s->b + i + 2)) < 0) {
					s->i = i;
					FAIL(s, "invalid \\u escape");
				}
				if (cp == 0) {
					s->i = i;
					FAIL(s, "\\u0000 is not allowed");
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
					    (lo = hex4(s->b + i + 2)) <
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
			size_t k = utf8_len(b + i, n - i);

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

/* The members enrichment reads: in which container, under which name,
 * and where the value goes. */
static const struct member {
	enum ctx ctx;
	const char *name;
	size_t len;
	struct target t;
} members[] = {
#define M(ctx, name, child, field, multi, flag)                                \
	{                                                                      \
		ctx, name, sizeof(name) - 1,                                   \
		{                                                              \
			child, field, multi, flag                              \
		}                                                              \
	}
    M(C_ROOT, "event_type", C_NONE, F_EVENT_TYPE, -1, FLAG_EVENT_TYPE),
    M(C_ROOT, "src_ip", C_NONE, F_SRC_IP, -1, FLAG_NONE),
    M(C_ROOT, "dest_ip", C_NONE, F_DEST_IP, -1, FLAG_NONE),
    M(C_ROOT, "app_proto", C_NONE, F_APP_PROTO, -1, FLAG_NONE),
    M(C_ROOT, "direction", C_NONE, F_DIRECTION, -1, FLAG_NONE),
    M(C_ROOT, "flow", C_FLOW, -1, -1, FLAG_NONE),
    M(C_ROOT, "alert", C_ALERT, -1, -1, FLAG_ALERT),
    M(C_ROOT, "dns", C_DNS, -1, -1, FLAG_NONE),
    M(C_ROOT, "tls", C_TLS, -1, -1, FLAG_NONE),
    M(C_ROOT, "http", C_HTTP, -1, -1, FLAG_NONE),
    M(C_ROOT, "files", C_FILES, -1, -1, FLAG_NONE),
    M(C_ROOT, "fileinfo", C_FILEINFO, -1, -1, FLAG_NONE),
    M(C_ROOT, "sankaku", C_NONE, -1, -1, FLAG_SANKAKU),
    M(C_ALERT, "signature", C_NONE, F_SIGNATURE, -1, FLAG_NONE),
    M(C_ALERT, "category", C_NONE, F_CATEGORY, -1, FLAG_NONE),
    M(C_ALERT, "action", C_NONE, F_ACTION, -1, FLAG_NONE),
    M(C_ALERT, "signature_id", C_NONE, -1, -1, FLAG_SIGID),
    M(C_ALERT, "metadata", C_META, -1, -1, FLAG_META),
    M(C_META, "sankaku_evidence", C_META_ARR, -1, M_META_EVIDENCE, FLAG_NONE),
    M(C_META, "sankaku_phase", C_META_ARR, -1, M_META_PHASE, FLAG_NONE),
    M(C_META, "sankaku_kpi", C_META_ARR, -1, M_META_KPI, FLAG_NONE),
    M(C_META, "sankaku_role", C_META_ARR, -1, M_META_ROLE, FLAG_NONE),
    M(C_META, "sankaku_source", C_META_ARR, -1, M_META_SOURCE, FLAG_NONE),
    M(C_META, "sankaku_ioc_type", C_META_ARR, -1, M_META_IOC_TYPE, FLAG_NONE),
    M(C_META, "mitre_tactic_id", C_META_ARR, -1, M_META_TACTIC_ID, FLAG_NONE),
    M(C_META, "mitre_tactic_name", C_META_ARR, -1, M_META_TACTIC_NAME,
	FLAG_NONE),
    M(C_FLOW, "src_ip", C_NONE, F_FLOW_SRC_IP, -1, FLAG_NONE),
    M(C_FLOW, "dest_ip", C_NONE, F_FLOW_DEST_IP, -1, FLAG_NONE),
    M(C_DNS, "query", C_DNS_QUERY, -1, -1, FLAG_NONE),
    M(C_DNS, "rrname", C_NONE, F_DNS_RRNAME, -1, FLAG_NONE),
    M(C_DNS_QUERY_OBJ, "rrname", C_NONE, -1, M_DNS_QUERY_RRNAME, FLAG_NONE),
    M(C_TLS, "sni", C_NONE, F_TLS_SNI, -1, FLAG_NONE),
    M(C_TLS, "ja3", C_JA3, -1, -1, FLAG_NONE),
    M(C_JA3, "hash", C_NONE, F_JA3_HASH, -1, FLAG_NONE),
    M(C_HTTP, "hostname", C_NONE, F_HTTP_HOSTNAME, -1, FLAG_NONE),
    M(C_HTTP, "url", C_NONE, F_HTTP_URL, -1, FLAG_NONE),
    M(C_FILE_OBJ, "md5", C_NONE, -1, M_FILES_MD5, FLAG_NONE),
    M(C_FILE_OBJ, "sha1", C_NONE, -1, M_FILES_SHA1, FLAG_NONE),
    M(C_FILE_OBJ, "sha256", C_NONE, -1, M_FILES_SHA256, FLAG_NONE),
    M(C_FILEINFO, "md5", C_NONE, F_FILEINFO_MD5, -1, FLAG_NONE),
    M(C_FILEINFO, "sha1", C_NONE, F_FILEINFO_SHA1, -1, FLAG_NONE),
    M(C_FILEINFO, "sha256", C_NONE, F_FILEINFO_SHA256, -1, FLAG_NONE),
#undef M
};

#define NMEMBERS (sizeof(members) / sizeof(members[0]))
#define MT_BITS 7 /* 128 slots for the members above */

/* The slot of a (container, name signature) pair. */
static inline unsigned
mt_hash(enum ctx ctx, uint32_t sig)
{
	return (sig ^ (uint32_t)ctx * 0x9e3779b9U) * 2654435761U >>
	    (32 - MT_BITS);
}

/* What the member named k (signature sig) of a container ctx holds: one
 * probe of an open-addressed table in the common case. */
static struct target
member_target(enum ctx ctx, const struct evstr *k, uint32_t sig)
{
	static const struct target none = {C_NONE, -1, -1, FLAG_NONE};
	static unsigned char slot[1 << MT_BITS]; /* member index + 1 */
	static int ready;
	unsigned h;
	size_t i;

	if (!ready) {
		for (i = 0; i < NMEMBERS; i++) {
			struct evstr name = {
			    members[i].name, members[i].len, 0};

			h = mt_hash(members[i].ctx, key_sig(&name));
			while (slot[h] != 0)
				h = (h + 1) & ((1 << MT_BITS) - 1);
			slot[h] = (unsigned char)(i + 1);
		}
		ready = 1;
	}
	if (ctx == C_NONE)
		return none;
	for (h = mt_hash(ctx, sig); slot[h] != 0;
	     h = (h + 1) & ((1 << MT_BITS) - 1)) {
		const struct member *m = &members[slot[h] - 1];

		if (m->ctx == ctx && m->len == k->len &&
		    memcmp(m->name, k->p, k->len) == 0)
			return m->t;
	}
	return none;
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
	ws(s);
	if (s->i < s->len && s->b[s->i] == ',') {
		s->i++;
		return 1;
	}
	if (s->i < s->len && s->b[s->i] == close) {
		s->i++;
		return 0;
	}
	FAIL(s, close == '}' ? "expected ',' or '}'" : "expected ',' or ']'");
}

/* An object at s->i (on '{'). */
static int
object(struct sc *s, enum ctx ctx)
{
	size_t first = s->nkeys;
	uint64_t seen = 0;
	int nmembers = 0, more;

	if (++s->depth > EVSCAN_MAX_DEPTH)
		FAIL(s, "nesting too deep");
	s->i++;
	ws(s);
	if (s->i < s->len && s->b[s->i] == '}') {
		s->i++;
		goto done;
	}
	do {
		struct evstr k;
		struct target t;
		uint32_t sig;

		ws(s);
		if (s->i >= s->len || s->b[s->i] != '"')
			FAIL(s, "expected a member name");
		if (string(s, &k) != 0)
			return -1;
		sig = key_sig(&k);
		if (k.escaped) {
			s->escaped_key = 1; /* matched by bytes: slow path */
			t = (struct target){C_NONE, -1, -1, FLAG_NONE};
		} else
			t = member_target(ctx, &k, sig);
		if (key_push(s, first, &k, sig, &seen) != 0)
			return -1;
		ws(s);
		if (s->i >= s->len || s->b[s->i] != ':')
			FAIL(s, "expected ':'");
		s->i++;
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
static int
array(struct sc *s, enum ctx ctx, int multi)
{
	struct target t = {C_NONE, -1, -1, FLAG_NONE};
	int more;

	if (++s->depth > EVSCAN_MAX_DEPTH)
		FAIL(s, "nesting too deep");
	if (ctx == C_META_ARR)
		t.multi = multi;
	else if (ctx == C_DNS_QUERY)
		t.ctx = C_DNS_QUERY_OBJ;
	else if (ctx == C_FILES)
		t.ctx = C_FILE_OBJ;
	s->i++;
	ws(s);
	if (s->i < s->len && s->b[s->i] == ']') {
		s->i++;
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

/* Any value, stored where t says. */
static int
value(struct sc *s, const struct target *t)
{
	struct evscan *ev = s->ev;
	char c;

	ws(s);
	if (s->i >= s->len)
		FAIL(s, "unexpected end");
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
		    t->ctx == C_DNS_QUERY || t->ctx == C_FILES ||
			    t->ctx == C_META_ARR
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
			int integer;

			if (number(s, &integer) != 0)
				return -1;
			if (t->flag == FLAG_SIGID && integer)
				ev->has_sigid = 1;
			return 0;
		}
		FAIL(s, "unexpected character");
	}
}

/* Scan one event. */
int
evscan(const char *buf, size_t len, struct evscan *ev)
{
	struct sc s;
	struct target root = {C_ROOT, -1, -1, FLAG_NONE};
	int rv;

	memset(ev, 0, sizeof(*ev));
	memset(&s, 0, sizeof(s));
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

/* Append the UTF-8 of cp. */
static size_t
put_utf8(char *o, uint32_t cp)
{
	if (cp < 0x80) {
		o[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		o[0] = (char)(0xc0 | (cp >> 6));
		o[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		o[0] = (char)(0xe0 | (cp >> 12));
		o[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		o[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	o[0] = (char)(0xf0 | (cp >> 18));
	o[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
	o[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
	o[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}

/* Unescape a validated string value. */
long
evstr_copy(const struct evstr *v, char *out, size_t outlen)
{
	size_t i, o = 0;

	if (v->p == NULL)
		return -1;
	for (i = 0; i < v->len;) {
		char c = v->p[i];
		char tmp[4];
		size_t k = 1;

		if (c != '\\') {
			tmp[0] = c;
			i++;
		} else {
			char e = v->p[i + 1];

			i += 2;
			switch (e) {
			case 'b':
				tmp[0] = '\b';
				break;
			case 'f':
				tmp[0] = '\f';
				break;
			case 'n':
				tmp[0] = '\n';
				break;
			case 'r':
				tmp[0] = '\r';
				break;
			case 't':
				tmp[0] = '\t';
				break;
			case 'u': {
				uint32_t cp = (uint32_t)hex4(v->p + i);

				i += 4;
				if (cp >= 0xd800 && cp <= 0xdbff) {
					uint32_t lo =
					    (uint32_t)hex4(v->p + i + 2);

					cp = 0x10000 + ((cp - 0xd800) << 10) +
					    (lo - 0xdc00);
					i += 6;
				}
				k = put_utf8(tmp, cp);
				break;
			}
			default: /* " \ / */
				tmp[0] = e;
			}
		}
		if (o + k >= outlen)
			return -1;
		memcpy(out + o, tmp, k);
		o += k;
	}
	out[o] = '\0';
	return (long)o;
}

/* Whether s[0, n) is valid UTF-8 without control characters. */
int
evscan_text_ok(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, k;

	while (i < n) {
		if (p[i] < 0x20 || (k = utf8_len(p + i, n - i)) == 0)
			return 0;
		i += k;
	}
	return 1;
}

/* Compare with a C string. */
int
evstr_eq(const struct evstr *v, const char *s)
{
	size_t n = strlen(s);

	return v->p != NULL && !v->escaped && v->len == n &&
	    memcmp(v->p, s, n) == 0;
}
