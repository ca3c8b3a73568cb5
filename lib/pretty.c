/*
 * pretty.c: enriched alerts for people (see pretty.h).
 */

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cidr.h"
#include "evstr.h"
#include "pretty.h"

#define RULE                                                                                                                                                                                                     \
	"──────────────────────────────────────────────────────────────────" \
	"────\n"

/* The code point of a valid UTF-8 sequence of k bytes. */
static unsigned long
pretty_cp(const unsigned char *p, size_t k)
{
	static const unsigned char lead[] = {0, 0x7f, 0x1f, 0x0f, 0x07};
	unsigned long cp = p[0] & lead[k];
	size_t i;

	for (i = 1; i < k; i++)
		cp = cp << 6 | (p[i] & 0x3f);
	return cp;
}

/* Whether a code point must not reach a terminal as it is. */
static int
pretty_unsafe(unsigned long cp)
{
	return cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp <= 0x9f) ||
	    (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069) ||
	    cp == 0x200e || cp == 0x200f || cp == 0x061c;
}

/* Append, made safe. */
void
pretty_text(struct buf *b, const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, k;
	char esc[24];

	while (i < n) {
		k = evstr_utf8_len(p + i, n - i);
		if (k == 0) { /* not UTF-8: the byte */
			snprintf(esc, sizeof(esc), "\\x%02x", p[i]);
			buf_put(b, esc, strlen(esc));
			i++;
			continue;
		}
		if (pretty_unsafe(pretty_cp(p + i, k))) {
			unsigned long cp = pretty_cp(p + i, k);

			if (cp < 0x100)
				snprintf(esc, sizeof(esc), "\\x%02lx", cp);
			else
				snprintf(esc, sizeof(esc), "\\u{%04lx}", cp);
			buf_put(b, esc, strlen(esc));
		} else
			buf_put(b, s + i, k);
		i += k;
	}
}

void
pretty_fputs(FILE *fp, const char *s)
{
	struct buf b = {NULL, 0, 0, 0};

	if (s == NULL)
		s = "-";
	pretty_text(&b, s, strlen(s));
	fputs(b.s != NULL ? b.s : "", fp);
	free(b.s);
}

/* A string member along a path of names, or NULL. */
static const json_t *
pretty_get(const json_t *o, const char *a, const char *b)
{
	const json_t *v = json_object_get(o, a);

	return b != NULL ? json_object_get(v, b) : v;
}

void
pretty_value(struct buf *b, const json_t *v)
{
	char num[64];

	if (json_is_string(v))
		pretty_text(b, json_string_value(v), json_string_length(v));
	else if (json_is_integer(v)) {
		snprintf(
		    num, sizeof(num), "%lld", (long long)json_integer_value(v));
		buf_put(b, num, strlen(num));
	} else
		BUF_PUTS(b, "-");
}

/* Append the value at a path. */
static void
pretty_at(struct buf *b, const json_t *o, const char *a, const char *c)
{
	pretty_value(b, pretty_get(o, a, c));
}

void
pretty_where(struct buf *b, const json_t *ev)
{
	const json_t *dns = json_object_get(ev, "dns");
	const json_t *q = json_object_get(dns, "query"); /* Suricata 7 */

	if (!json_is_array(q)) /* Suricata 8 */
		q = json_object_get(dns, "queries");
	if (json_is_array(q) && json_array_size(q) > 0)
		pretty_at(b, json_array_get(q, 0), "rrname", NULL);
	else if (pretty_get(ev, "tls", "sni") != NULL)
		pretty_at(b, ev, "tls", "sni");
	else if (json_object_get(ev, "http") != NULL) {
		pretty_at(b, ev, "http", "hostname");
		pretty_at(b, ev, "http", "url");
	}
}

void
pretty_end(struct buf *b, const json_t *ip, const json_t *port)
{
	const char *s = json_string_value(ip);
	char a[64], n[24];
	int bracket = json_is_integer(port) && s != NULL && strchr(s, ':');

	if (bracket)
		BUF_PUTS(b, "[");
	if (s != NULL && json_string_length(ip) < sizeof(a) &&
	    strlen(s) == json_string_length(ip)) {
		snprintf(a, sizeof(a), "%s", s);
		cidr_canon_addr(a, sizeof(a));
		pretty_text(b, a, strlen(a));
	} else
		pretty_value(b, ip);
	if (json_is_integer(port)) {
		snprintf(n, sizeof(n), "%s:%lld", bracket ? "]" : "",
		    (long long)json_integer_value(port));
		buf_put(b, n, strlen(n));
	}
}

/* The sources' lines. */
static void
pretty_sources(struct buf *b, const json_t *sk)
{
	const json_t *srcs = json_object_get(sk, "sources"), *s, *tr, *st;
	size_t i, j;

	if (json_array_size(srcs) == 0) {
		BUF_PUTS(b,
		    "  sources  : none (a rule of our own, not a shared "
		    "indicator)\n");
		return;
	}
	json_array_foreach (srcs, i, s) {
		tr = json_object_get(s, "triangle");
		BUF_PUTS(b, "  source   : ");
		pretty_at(b, s, "id", NULL);
		BUF_PUTS(b, " [TLP:");
		pretty_at(b, s, "tlp", NULL);
		BUF_PUTS(b, "] strong: ");
		json_array_foreach (json_object_get(tr, "strong"), j, st) {
			if (j > 0)
				BUF_PUTS(b, "+");
			pretty_value(b, st);
		}
		BUF_PUTS(b, ", weak: ");
		pretty_at(b, tr, "weak", NULL);
		BUF_PUTS(b, "\n             ");
		pretty_at(b, json_object_get(tr, "caveat"), "ja", NULL);
		BUF_PUTS(b, " / ");
		pretty_at(b, json_object_get(tr, "caveat"), "en", NULL);
		BUF_PUTS(b, "\n             → ");
		pretty_at(b, json_object_get(tr, "advice"), "ja", NULL);
		BUF_PUTS(b, " / ");
		pretty_at(b, json_object_get(tr, "advice"), "en", NULL);
		BUF_PUTS(b, "\n");
	}
}

/* The alert's lines. */
void
pretty_alert(struct buf *b, const json_t *ev)
{
	const json_t *sk = json_object_get(ev, "sankaku"), *r, *ind;
	size_t i, at;

	BUF_PUTS(b, RULE);
	pretty_at(b, ev, "timestamp", NULL);
	BUF_PUTS(b, "  ");
	pretty_at(b, ev, "alert", "signature");
	BUF_PUTS(b, "\n  flow     : ");
	pretty_end(
	    b, json_object_get(ev, "src_ip"), json_object_get(ev, "src_port"));
	BUF_PUTS(b, " → ");
	pretty_end(b, json_object_get(ev, "dest_ip"),
	    json_object_get(ev, "dest_port"));
	BUF_PUTS(b, "  ");
	pretty_at(b, ev,
	    json_object_get(ev, "app_proto") ? "app_proto" : "proto", NULL);
	BUF_PUTS(b, "  action=");
	pretty_at(b, ev, "alert", "action");
	BUF_PUTS(b, "  ");
	at = b->len;
	pretty_where(b, ev);
	if (b->len == at && !b->oom) /* nowhere: no trailing blanks */
		b->s[b->len -= 2] = '\0';
	BUF_PUTS(b, "\n  phase    : ");
	pretty_at(b, json_object_get(sk, "phase"), "ja", NULL);
	BUF_PUTS(b, "  /  ");
	pretty_at(b, json_object_get(sk, "phase"), "en", NULL);
	BUF_PUTS(b, "   [evidence: ");
	pretty_at(b, sk, "evidence", NULL);
	BUF_PUTS(b, ", KPI: ");
	pretty_at(b, sk, "kpi", NULL);
	BUF_PUTS(b, "]\n  roles    : ");
	json_array_foreach (json_object_get(sk, "roles"), i, r) {
		if (i > 0)
			BUF_PUTS(b, ", ");
		pretty_at(b, r, "code", NULL);
		BUF_PUTS(b, " ");
		pretty_at(b, r, "ja", NULL);
	}
	BUF_PUTS(b, "\n");
	if ((ind = json_object_get(sk, "indicator")) != NULL) {
		BUF_PUTS(b, "  indicator: ");
		pretty_at(b, ind, "type", NULL);
		BUF_PUTS(b, " ");
		pretty_at(b, ind, "value", NULL);
		if (json_object_get(ind, "published") != NULL) {
			BUF_PUTS(b, "  (published ");
			pretty_at(b, ind, "published", NULL);
			BUF_PUTS(b, ")");
		}
		if (json_object_get(ind, "name") != NULL) {
			BUF_PUTS(b, "  \"");
			pretty_at(b, ind, "name", NULL);
			BUF_PUTS(b, "\"");
		}
		BUF_PUTS(b, "\n");
	}
	if (json_is_string(json_object_get(sk, "tlp"))) {
		/* what may be shared of it, in capitals as TLP labels are */
		const char *t = json_string_value(json_object_get(sk, "tlp"));

		BUF_PUTS(b, "  tlp      : TLP:");
		for (; *t != '\0'; t++) {
			char up = (char)toupper((unsigned char)*t);

			if ((up >= 'A' && up <= 'Z') || up == '+')
				buf_put(b, &up, 1);
		}
		BUF_PUTS(b, "\n");
	}
	pretty_sources(b, sk);
}
