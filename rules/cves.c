/*
 * cves.c: the shared vulnerabilities and the rules that detect them (see
 * cves.h).
 *
 *   {"cves": [{"id": "CVE-2018-7600",
 *              "sources": [{"id": "jpcert-ew", "published": "...",
 *                           "name": "...", "ref": "vulnerability--..."}],
 *              "rules": [{"sid": 1869001, "msg": "...", "file": "..."}]}]}
 */

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "afile.h"
#include "config.h"
#include "cves.h"
#include "feed.h"

int
cve_normalise(const char *s, char out[24])
{
	size_t i, n;

	if (s == NULL || strncasecmp(s, "CVE-", 4) != 0)
		return -1;
	n = strlen(s);
	if (n < 13 || n > 23)
		return -1;
	for (i = 4; i < 8; i++)
		if (!isdigit((unsigned char)s[i]))
			return -1;
	if (s[8] != '-')
		return -1;
	for (i = 9; i < n; i++)
		if (!isdigit((unsigned char)s[i]))
			return -1;
	memcpy(out, "CVE-", 4);
	memcpy(out + 4, s + 4, n - 4 + 1);
	return 0;
}

int
cve_add(struct cve_list *l, const char *id, size_t source, int64_t published,
    const char *name, const char *ref)
{
	struct cve_seen *c;
	size_t i;

	for (i = 0; i < l->n; i++)
		if (l->v[i].source == source && strcmp(l->v[i].id, id) == 0)
			return 0; /* once per source */
	if (l->n == l->cap) {
		size_t cap = l->cap == 0 ? 16 : l->cap * 2;
		struct cve_seen *v = realloc(l->v, cap * sizeof(*v));

		if (v == NULL)
			return -1;
		l->v = v;
		l->cap = cap;
	}
	c = &l->v[l->n++];
	memset(c, 0, sizeof(*c));
	snprintf(c->id, sizeof(c->id), "%s", id);
	c->source = source;
	c->published = published;
	/* a feed carries anything: the title as text, the ref as a token */
	if (name == NULL)
		name = "";
	feed_text(c->name, sizeof(c->name), name, strlen(name));
	snprintf(c->ref, sizeof(c->ref), "%s", ref != NULL ? ref : "");
	for (i = 0; c->ref[i] != '\0'; i++)
		if ((unsigned char)c->ref[i] <= 0x20 ||
		    (unsigned char)c->ref[i] >= 0x7f)
			c->ref[i] = '_';
	return 0;
}

void
cve_list_free(struct cve_list *l)
{
	free(l->v);
	memset(l, 0, sizeof(*l));
}

/* Add rule (sid, msg, file) under cve once. */
static void
add_rule(json_t *rules, const char *cve, long long sid, const char *msg,
    const char *file)
{
	json_t *list = json_object_get(rules, cve), *r;
	size_t i;

	if (list == NULL) {
		list = json_array();
		json_object_set_new(rules, cve, list);
	}
	json_array_foreach (list, i, r)
		if (json_integer_value(json_object_get(r, "sid")) == sid)
			return;
	json_array_append_new(list,
	    json_pack("{s:I, s:s, s:s}", "sid", (json_int_t)sid, "msg", msg,
		"file", file));
}

/* The rule's msg as text into out: its escapes (\" \; \\) undone, up to
 * the closing quote. */
static void
rule_msg(const char *m, char *out, size_t cap)
{
	char raw[400];
	size_t n = 0;

	for (; *m != '\0' && *m != '"' && n < sizeof(raw) - 1; m++) {
		if (*m == '\\' && m[1] != '\0')
			m++;
		raw[n++] = *m;
	}
	feed_text(out, cap, raw, n);
}

/* The option name (e.g. "sid:") where an option begins in a rule whose
 * quoted text is blanked out; NULL if the rule has none. */
static const char *
rule_option(const char *bare, const char *name)
{
	const char *p;

	for (p = bare; (p = strstr(p, name)) != NULL; p++)
		if (p > bare && (p[-1] == ' ' || p[-1] == ';' || p[-1] == '('))
			return p;
	return NULL;
}

/* The CVEs a rule line names (reference:cve,YYYY-N; metadata
 * sankaku_vuln CVE-YYYY-N), each with the rule's sid and msg.  Options
 * are looked for in a copy whose quoted text (the msg's) is blanked, so
 * that words in a message are not taken for options. */
static void
scan_line(const char *line, const char *file, json_t *rules)
{
	static const char *const marks[] = {"reference:cve,", "sankaku_vuln "};
	const char *p, *sidp, *msgp;
	char cve[24], buf[40], msg[200] = "", *bare;
	long long sid;
	size_t i, n;
	int quoted = 0;

	line += strspn(line, " \t");
	if (line[0] == '#' || (bare = strdup(line)) == NULL)
		return;
	for (i = 0; bare[i] != '\0'; i++) {
		if (bare[i] == '"') {
			quoted = !quoted;
			continue;
		}
		if (!quoted)
			continue;
		if (bare[i] == '\\' && bare[i + 1] != '\0') /* \" \; \\ */
			bare[i++] = ' ';
		bare[i] = ' ';
	}
	if ((sidp = rule_option(bare, "sid:")) == NULL ||
	    (sid = atoll(line + (sidp - bare) + 4)) <= 0) {
		free(bare);
		return;
	}
	if ((msgp = rule_option(bare, "msg:\"")) != NULL)
		rule_msg(line + (msgp - bare) + 5, msg, sizeof(msg));
	for (i = 0; i < 2; i++)
		for (p = bare; (p = strstr(p, marks[i])) != NULL;
		     p += strlen(marks[i])) {
			const char *q = line + (p - bare) + strlen(marks[i]);

			n = strspn(
			    q, i == 0 ? "0123456789-" : "CVEcve0123456789-");
			snprintf(buf, sizeof(buf), "%s%.*s",
			    i == 0 ? "CVE-" : "", (int)(n < 30 ? n : 30), q);
			if (cve_normalise(buf, cve) == 0)
				add_rule(rules, cve, sid, msg, file);
		}
	free(bare);
}

/* Whether a directory entry is a rules file. */
static int
rules_file(const struct dirent *e)
{
	size_t n = strlen(e->d_name);

	return n >= 7 && strcmp(e->d_name + n - 6, ".rules") == 0;
}

/* cve -> [rules] of every *.rules file in dir, the files in name order
 * (the same dir gives the same file). */
static json_t *
scan_rules(const char *dir)
{
	json_t *rules = json_object();
	struct dirent **names;
	int i, n;

	if (dir[0] == '\0')
		return rules;
	if ((n = scandir(dir, &names, rules_file, alphasort)) < 0) {
		fprintf(stderr, "sankaku-rules: rules.shipped: %s: %s\n", dir,
		    strerror(errno));
		return rules;
	}
	for (i = 0; i < n; i++) {
		char path[4096], *line = NULL;
		size_t cap = 0;
		FILE *fp;

		snprintf(path, sizeof(path), "%s/%s", dir, names[i]->d_name);
		if ((fp = fopen(path, "r")) != NULL) {
			while (getline(&line, &cap, fp) > 0)
				scan_line(line, names[i]->d_name, rules);
			free(line);
			fclose(fp);
		}
		free(names[i]);
	}
	free(names);
	return rules;
}

int
cves_write(const char *outdir, const struct cfg *cfg, const struct cve_list *l,
    char *err, size_t errlen)
{
	json_t *doc = json_object(), *cves = json_array(),
	       *byid = json_object();
	json_t *rules = scan_rules(cfg->rules_shipped);
	struct afile af;
	char when[32], *text;
	size_t i;
	int rv;

	for (i = 0; i < l->n; i++) {
		const struct cve_seen *c = &l->v[i];
		json_t *e = json_object_get(byid, c->id), *s;
		time_t t = (time_t)c->published;
		struct tm tm;

		if (e == NULL) {
			json_t *r = json_object_get(rules, c->id);

			e = json_pack("{s:s, s:[], s:O}", "id", c->id,
			    "sources", "rules", r != NULL ? r : json_array());
			if (r == NULL)
				json_decref(json_object_get(e, "rules"));
			json_object_set_new(byid, c->id, e);
			json_array_append(cves, e);
		}
		gmtime_r(&t, &tm);
		strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm);
		s = json_pack("{s:s, s:s, s:s, s:s}", "id",
		    cfg->sources[c->source].id, "published",
		    c->published != 0 ? when : "", "name", c->name, "ref",
		    c->ref);
		json_array_append_new(json_object_get(e, "sources"), s);
	}
	json_object_set_new(doc, "cves", cves);
	text = json_dumps(doc, JSON_INDENT(1) | JSON_ENSURE_ASCII);
	json_decref(doc);
	json_decref(byid);
	json_decref(rules);
	if (text == NULL) {
		snprintf(err, errlen, "sankaku-cves.json: out of memory");
		return -1;
	}
	rv = af_open(&af, outdir, "sankaku-cves.json", err, errlen);
	if (rv == 0) {
		af_puts(&af, text);
		af_putc(&af, '\n');
		rv = af_commit(&af, err, errlen);
	}
	free(text);
	return rv;
}
