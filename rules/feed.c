/*
 * feed.c: what parsers share: counting what became of each object,
 * keeping indicators with their context (made safe for the index), and
 * reading the timestamps feeds write.
 */

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "civil.h"
#include "evstr.h"
#include "feed.h"
#include "pretty.h"

static const char *const skip_names[SKIP_MAX] = {
    [SKIP_NOT_INDICATOR] = "not-indicator",
    [SKIP_EXPIRED] = "expired",
    [SKIP_NOT_YET_VALID] = "not-yet-valid",
    [SKIP_REVOKED] = "revoked",
    [SKIP_SUPERSEDED] = "superseded",
    [SKIP_DELETED] = "deleted",
    [SKIP_NOT_FOR_IDS] = "not-for-ids",
    [SKIP_UNSUPPORTED] = "unsupported-type",
    [SKIP_UNSUPPORTED_PATTERN] = "unsupported-pattern",
    [SKIP_HTTPS_URL] = "https-url",
    [SKIP_TLP_RED] = "tlp-red",
    [SKIP_PREFIX_TOO_WIDE] = "prefix-too-wide",
    [SKIP_DUPLICATE] = "duplicate",
    [SKIP_FALSE_POSITIVE] = "false-positive",
    [SKIP_SECOND_SOURCE] = "second-source",
    [SKIP_BAD_VALUE] = "bad-value",
    [SKIP_BAD_OBJECT] = "bad-object",
};

/* Name of a reason. */
const char *
skip_name(enum skip s)
{
	return s < SKIP_MAX ? skip_names[s] : "unknown";
}

/* Whether a reason is a refusal (exit status 1). */
int
skip_is_refusal(enum skip s)
{
	return s == SKIP_BAD_VALUE || s == SKIP_BAD_OBJECT;
}

/* Start an empty list. */
int
ioc_list_init(struct ioc_list *l)
{
	memset(l, 0, sizeof(*l));
	return (l->arena = arena_new()) != NULL ? 0 : -1;
}

/* Free the list and its strings. */
void
ioc_list_free(struct ioc_list *l)
{
	free(l->v);
	arena_free(l->arena);
	memset(l, 0, sizeof(*l));
}

/* FNV-1a over the type and the value. */
uint64_t
ioc_hash(enum ioc_type t, const char *v)
{
	uint64_t h = 1469598103934665603ULL ^ (uint64_t)t;

	for (; *v != '\0'; v++)
		h = (h ^ (unsigned char)*v) * 1099511628211ULL;
	return h;
}

/* Room for n more. */
int
ioc_list_reserve(struct ioc_list *l, size_t n)
{
	struct ioc *nv;

	size_t cap = l->cap * 2;

	if (l->n + n <= l->cap)
		return 0;
	if (cap < l->n + n)
		cap = l->n + n;
	if (l->n + n < l->n || (nv = realloc(l->v, cap * sizeof(*nv))) == NULL)
		return -1;
	l->v = nv;
	l->cap = cap;
	return 0;
}

/* Append; the strings must already be in the list's arena or live as
 * long. */
int
ioc_list_add(struct ioc_list *l, const struct ioc *i)
{
	if (l->n == l->cap) {
		size_t cap = l->cap != 0 ? l->cap * 2 : 256;
		struct ioc *nv = realloc(l->v, cap * sizeof(*nv));

		if (nv == NULL)
			return -1;
		l->v = nv;
		l->cap = cap;
	}
	l->v[l->n++] = *i;
	return 0;
}

/* An object read. */
void
feed_read(struct feed_ctx *ctx)
{
	ctx->st->read++;
}

/* Count a skip; listed ones go to the log. */
void
feed_skip(
    struct feed_ctx *ctx, const char *pos, enum skip why, const char *fmt, ...)
{
	char text[768];
	va_list ap;

	ctx->st->skipped[why]++;
	if (fmt == NULL || ctx->log == NULL || ctx->log->cb == NULL)
		return;
	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	ctx->log->cb(ctx->log->arg, ctx->file, pos, why, text);
}

/* The feed as a whole failed. */
enum feed_status
feed_fail(struct feed_ctx *ctx, enum feed_status st, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(ctx->why, sizeof(ctx->why), fmt, ap);
	va_end(ap);
	return st;
}

/* Printable text of s, at most max bytes of it. */
void
feed_quote(struct buf *b, const char *s, size_t n, size_t max)
{
	if (n > max) {
		/* cut on a character boundary */
		size_t k = max;

		while (k > 0 && ((unsigned char)s[k] & 0xc0) == 0x80)
			k--;
		pretty_text(b, s, k);
		BUF_PUTS(b, "...");
	} else
		pretty_text(b, s, n);
}

/* A reference fit for the index: 1-200 of A-Z a-z 0-9 - _ . : / @ +. */
static int
ref_ok(const char *s)
{
	size_t n = strlen(s), i;

	if (n == 0 || n > 200)
		return 0;
	for (i = 0; i < n; i++) {
		char c = s[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			(c >= '0' && c <= '9') || strchr("-_.:/@+", c) != NULL))
			return 0;
	}
	return 1;
}

size_t
feed_text(char *out, size_t cap, const char *s, size_t n)
{
	size_t i = 0, o = 0;

	while (i < n && o < cap - 1) {
		size_t k = evstr_utf8_len((const unsigned char *)s + i, n - i);
		unsigned char c = (unsigned char)s[i];

		if (k == 0) {
			i++; /* not UTF-8: dropped */
			continue;
		}
		if (k == 1 && (c < 0x20 || c == 0x7f)) {
			if (o > 0 && out[o - 1] != ' ')
				out[o++] = ' ';
			i++;
			continue;
		}
		if (k == 2 && c == 0xc2 && (unsigned char)s[i + 1] < 0xa0) {
			i += 2; /* C1 controls */
			continue;
		}
		if (k == 3 && c == 0xe2 && (unsigned char)s[i + 1] == 0x80 &&
		    (((unsigned char)s[i + 2] >= 0xaa &&
			 (unsigned char)s[i + 2] <= 0xae) ||
			(unsigned char)s[i + 2] == 0x8e ||
			(unsigned char)s[i + 2] == 0x8f)) {
			i += 3; /* bidi overrides and marks */
			continue;
		}
		if (o + k > cap - 1)
			break;
		if (!(c == ' ' && (o == 0 || out[o - 1] == ' '))) {
			memcpy(out + o, s + i, k);
			o += k;
		}
		i += k;
	}
	while (o > 0 && out[o - 1] == ' ')
		o--;
	out[o] = '\0';
	return o;
}

/* A name fit for the index (feed_text), NULL if nothing is left. */
static char *
name_copy(struct arena *a, const char *s)
{
	char out[161];
	size_t o = feed_text(out, sizeof(out), s, strlen(s));

	return o == 0 ? NULL : arena_strndup(a, out, o);
}

/* Keep one indicator. */
int
feed_emit(struct feed_ctx *ctx, enum ioc_type t, const char *value, size_t len,
    const struct ioc_meta *m, const char *pos)
{
	char norm[2100], reason[256];
	struct ioc_list *l = ctx->out;
	struct ioc i;
	int rv;

	rv = ioc_normalise(
	    t, value, len, norm, sizeof(norm), reason, sizeof(reason));
	if (rv == -2) {
		feed_skip(ctx, pos, SKIP_HTTPS_URL, NULL);
		return -1;
	}
	if (rv != 0) {
		struct buf b = {NULL, 0, 0, 0};

		feed_quote(&b, value, len, 120);
		feed_skip(ctx, pos, SKIP_BAD_VALUE, "%s '%s': %s",
		    ioc_type_name(t), b.s != NULL ? b.s : "", reason);
		free(b.s);
		return -1;
	}
	/* An address given as a prefix of full length is an address. */
	if (t == IOC_CIDR && strchr(norm, '/') == NULL)
		t = IOC_IP;
	memset(&i, 0, sizeof(i));
	i.type = (uint8_t)t;
	i.evidence = (uint8_t)m->evidence;
	i.tlp = (uint8_t)m->tlp;
	i.published = m->published;
	i.valid_from = m->valid_from;
	i.valid_until = m->valid_until;
	i.source = (uint16_t)ctx->source;
	if ((i.value = arena_strndup(l->arena, norm, strlen(norm))) == NULL)
		return -1;
	i.hash = ioc_hash(t, i.value);
	if (m->ref != NULL && ref_ok(m->ref) &&
	    (i.ref = arena_strndup(l->arena, m->ref, strlen(m->ref))) == NULL)
		return -1;
	if (m->name != NULL) {
		/* consecutive indicators often share one (a MISP event's) */
		if (l->n > 0 && l->v[l->n - 1].name != NULL &&
		    strcmp(l->v[l->n - 1].name, m->name) == 0)
			i.name = l->v[l->n - 1].name;
		else
			i.name = name_copy(l->arena, m->name);
	}
	return ioc_list_add(l, &i);
}

/* Two digits at s. */
static int
two(const char *s)
{
	return (s[0] - '0') * 10 + (s[1] - '0');
}

/* Whether s[0, n) are all digits. */
static int
digits(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

/* RFC 3339, strictly shaped: YYYY-MM-DD[Tt ]HH:MM:SS[.frac][Z|±HH:MM]; a
 * missing zone is UTC (CSV feeds write "2021-01-17 07:30:05"). */
int
feed_time(const char *s, size_t n, int64_t *out)
{
	static const unsigned char mdays[12] = {
	    31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	int64_t t;
	int y, mo, d, h, mi, se, off = 0;
	size_t p;

	if (n < 19 || !digits(s, 4) || s[4] != '-' || !digits(s + 5, 2) ||
	    s[7] != '-' || !digits(s + 8, 2) ||
	    (s[10] != 'T' && s[10] != 't' && s[10] != ' ') ||
	    !digits(s + 11, 2) || s[13] != ':' || !digits(s + 14, 2) ||
	    s[16] != ':' || !digits(s + 17, 2))
		return -1;
	y = two(s) * 100 + two(s + 2);
	mo = two(s + 5);
	d = two(s + 8);
	h = two(s + 11);
	mi = two(s + 14);
	se = two(s + 17);
	if (mo < 1 || mo > 12 || d < 1 || d > mdays[mo - 1] ||
	    (mo == 2 && d == 29 &&
		!(y % 4 == 0 && (y % 100 != 0 || y % 400 == 0))) ||
	    h > 23 || mi > 59 || se > 60)
		return -1;
	p = 19;
	if (p < n && s[p] == '.') {
		size_t f = ++p;

		while (p < n && s[p] >= '0' && s[p] <= '9')
			p++;
		if (p == f)
			return -1;
	}
	if (p < n && (s[p] == 'Z' || s[p] == 'z'))
		p++;
	else if (p < n && (s[p] == '+' || s[p] == '-')) {
		/* exactly ±HH:MM, every byte inside the string */
		if (n - p != 6 || !digits(s + p + 1, 2) || s[p + 3] != ':' ||
		    !digits(s + p + 4, 2) || two(s + p + 1) > 23 ||
		    two(s + p + 4) > 59)
			return -1;
		off = (two(s + p + 1) * 60 + two(s + p + 4)) * 60 *
		    (s[p] == '+' ? 1 : -1);
		p += 6;
	}
	if (p != n)
		return -1;
	t = civil_days(y, (unsigned)mo, (unsigned)d) * 86400 + h * 3600 +
	    mi * 60 + (se == 60 ? 59 : se);
	*out = t - off;
	return 0;
}

/* Format UTC seconds. */
