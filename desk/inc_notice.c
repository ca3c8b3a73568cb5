/*
 * inc_notice.c: the line a team chat gets when an incident opens or
 * reaches another phase (see incident.h; sent by dnotify.c).  Pure.
 *
 * Chats read markup in plain text: Slack's <...> links and &-entities,
 * Mattermost's and Slack's @-mentions.  Every value is written so that
 * it reads as itself: & < > as entities, @ as the full-width ＠, control
 * characters as spaces; a value too long is cut at a character's start.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "incident.h"

#define NOTICE_MAX 1500

struct out {
	char s[NOTICE_MAX];
	size_t n;
};

/* Raw text (ours), as long as there is room. */
static void
raw(struct out *o, const char *s)
{
	size_t k = strlen(s);

	if (o->n + k >= sizeof(o->s)) { /* full: cut where a character
					   begins */
		k = sizeof(o->s) - 1 - o->n;
		while (k > 0 && ((unsigned char)s[k] & 0xc0) == 0x80)
			k--;
	}
	memcpy(o->s + o->n, s, k);
	o->n += k;
	o->s[o->n] = '\0';
}

/* A value (the incident's, or from the wire), at most max bytes of it,
 * made to read as itself. */
static void
val(struct out *o, const char *s, size_t max)
{
	size_t i, k = s != NULL ? strlen(s) : 0;
	char c[2] = {0, 0};

	if (s == NULL) {
		raw(o, "-");
		return;
	}
	if (k > max) { /* cut where a character begins */
		k = max;
		while (k > 0 && ((unsigned char)s[k] & 0xc0) == 0x80)
			k--;
	}
	for (i = 0; i < k; i++) {
		unsigned char b = (unsigned char)s[i];

		if (b == '&')
			raw(o, "&amp;");
		else if (b == '<')
			raw(o, "&lt;");
		else if (b == '>')
			raw(o, "&gt;");
		else if (b == '@')
			raw(o, "\xef\xbc\xa0"); /* ＠: no one is paged */
		else {
			c[0] = b < 0x20 || b == 0x7f ? ' ' : (char)b;
			raw(o, c);
		}
	}
	if (k < strlen(s))
		raw(o, "…");
}

static const char *
str(const json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

/* Two teams the same (NULL: held by nobody). */
static int
same(const char *a, const char *b)
{
	return a == NULL || b == NULL ? a == b : strcmp(a, b) == 0;
}

char *
inc_notice(const json_t *inc, int opened, int en, const char *link)
{
	const json_t *phase = json_object_get(inc, "phase"), *who, *r;
	const char *about =
	    str(inc, "cve") != NULL ? str(inc, "cve") : str(inc, "asset");
	const char *sig = str(
	    json_array_get(json_object_get(inc, "signatures"), 0), "signature");
	struct out o = {"", 0};
	size_t i, k;
	int first;

	raw(&o, "[sankaku] ");
	raw(&o,
	    opened ? (en ? "New incident " : "新規インシデント ")
		   : (en ? "Incident " : "インシデント "));
	val(&o, str(inc, "id"), 40);
	raw(&o, " (");
	val(&o, about, 80);
	raw(&o, opened ? (en ? "): " : ")：") : (en ? ") is now in " : ")："));
	val(&o, str(phase, en ? "en" : "ja"), 80);
	raw(&o, en ? ". To act: " : (opened ? "。対応：" : " へ。対応："));
	/* by team, in the order they come: whose job it is, at a glance */
	who = json_object_get(inc, "who");
	for (i = 0; i < json_array_size(who); i++) {
		const char *team = str(json_array_get(who, i), "team");

		for (k = 0; k < i; k++)
			if (same(str(json_array_get(who, k), "team"), team))
				break;
		if (k < i) /* told with the first of its team */
			continue;
		if (i > 0)
			raw(&o, en ? ", " : "、");
		if (team != NULL)
			val(&o, team, 40);
		else
			raw(&o, en ? "nobody" : "担当なし");
		raw(&o, en ? " (" : "（");
		for (k = i, first = 1; k < json_array_size(who); k++) {
			r = json_array_get(who, k);
			if (!same(str(r, "team"), team))
				continue;
			if (!first)
				raw(&o, en ? ", " : "、");
			first = 0;
			val(&o, str(r, "code"), 8);
		}
		raw(&o, en ? ")" : "）");
	}
	if (json_array_size(who) == 0)
		raw(&o, en ? "no role" : "なし");
	raw(&o, en ? "." : "。");
	if (opened && sig != NULL) {
		raw(&o, en ? " First alert: " : "最初のアラート：");
		val(&o, sig, 160);
		raw(&o, en ? "." : "。");
	}
	if (link != NULL && link[0] != '\0') {
		raw(&o, " ");
		raw(&o, link); /* checked when the config was read */
		raw(&o, "#/incident/");
		val(&o, str(inc, "id"), 40);
	}
	return strdup(o.s);
}
