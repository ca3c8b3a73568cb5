/*
 * stix.c: STIX 2.1 bundles.  Only indicators with pattern_type "stix" are
 * read, and only patterns that are an OR of equality comparisons on the
 * supported object paths; anything else is reported, never dropped
 * silently.  An indicator not valid now (valid_from in the future,
 * valid_until past, revoked) is not deployed.
 */

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "feed.h"

static const struct {
	const char *path;
	enum ioc_type type;
} stix_paths[] = {
    {"domain-name:value", IOC_DOMAIN},
    {"ipv4-addr:value", IOC_CIDR},
    {"ipv6-addr:value", IOC_CIDR},
    {"url:value", IOC_URL},
    {"file:hashes.'MD5'", IOC_MD5},
    {"file:hashes.MD5", IOC_MD5},
    {"file:hashes.'SHA-1'", IOC_SHA1},
    {"file:hashes.'SHA1'", IOC_SHA1},
    {"file:hashes.SHA1", IOC_SHA1},
    {"file:hashes.'SHA-256'", IOC_SHA256},
    {"file:hashes.'SHA256'", IOC_SHA256},
    {"file:hashes.SHA256", IOC_SHA256},
    {"x509-certificate:hashes.'MD5'", IOC_MAX},
};

#define MAXCMP 64

struct cmp {
	enum ioc_type type;
	char value[2048];
};

/* Parse a pattern into up to MAXCMP comparisons joined by OR.  0, or -1
 * with reason. */
static int
parse_pattern(
    const char *s, struct cmp *out, size_t *n, char *reason, size_t reasonlen)
{
	const char *p = s;
	size_t i;

	*n = 0;
	for (;;) {
		char path[128];
		size_t pl = 0, vl = 0;
		int found = 0;

		while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '(' ||
		    *p == '[')
			p++;
		if (*p == '\0')
			break;
		/* object path, up to whitespace or '=' (a quoted component
		 * may hold them); always room for the closing NUL */
		while (*p != '\0' && *p != ' ' && *p != '=' && *p != '!') {
			int quoted = *p == '\'';

			do {
				if (pl + 1 >= sizeof(path)) {
					snprintf(reason, reasonlen,
					    "object path too long");
					return -1;
				}
				path[pl++] = *p++;
			} while (quoted && *p != '\0' && *p != '\'');
			if (quoted) {
				if (*p != '\'' || pl + 1 >= sizeof(path)) {
					snprintf(reason, reasonlen,
					    "unterminated quote in path");
					return -1;
				}
				path[pl++] = *p++;
			}
		}
		path[pl] = '\0';
		while (*p == ' ')
			p++;
		if (*p != '=') {
			snprintf(reason, reasonlen,
			    "only '=' comparisons are supported (near '%.20s')",
			    p);
			return -1;
		}
		p++;
		while (*p == ' ')
			p++;
		if (*p != '\'') {
			snprintf(reason, reasonlen, "expected a quoted string");
			return -1;
		}
		p++;
		if (*n == MAXCMP) {
			snprintf(reason, reasonlen,
			    "more than %d comparisons in one pattern", MAXCMP);
			return -1;
		}
		while (*p != '\0' && *p != '\'') {
			if (*p == '\\' && (p[1] == '\'' || p[1] == '\\'))
				p++;
			if (vl + 1 >= sizeof(out[*n].value)) {
				snprintf(reason, reasonlen, "value too long");
				return -1;
			}
			out[*n].value[vl++] = *p++;
		}
		if (*p != '\'') {
			snprintf(reason, reasonlen, "unterminated string");
			return -1;
		}
		p++;
		out[*n].value[vl] = '\0';
		for (i = 0; i < sizeof(stix_paths) / sizeof(stix_paths[0]);
		     i++) {
			if (strcmp(path, stix_paths[i].path) == 0 &&
			    stix_paths[i].type != IOC_MAX) {
				out[*n].type = stix_paths[i].type;
				found = 1;
			}
		}
		if (!found) {
			snprintf(reason, reasonlen,
			    "object path '%s' cannot be turned into a "
			    "detection",
			    path);
			return -1;
		}
		(*n)++;
		while (*p == ' ' || *p == '\t' || *p == '\n' || *p == ')' ||
		    *p == ']')
			p++;
		if (*p == '\0')
			break;
		if (strncmp(p, "OR ", 3) == 0) {
			p += 3;
			continue;
		}
		if (strncmp(p, "AND ", 4) == 0) {
			snprintf(reason, reasonlen,
			    "AND across comparisons or objects cannot be one "
			    "detection");
			return -1;
		}
		snprintf(reason, reasonlen,
		    "unsupported operator or qualifier near '%.20s'", p);
		return -1;
	}
	if (*n == 0) {
		snprintf(reason, reasonlen, "empty pattern");
		return -1;
	}
	return 0;
}

/* Evidence from indicator_types and kill_chain_phases. */
static enum evidence
stix_evidence(json_t *ind)
{
	json_t *v;
	size_t i;
	enum evidence ev = EV_INDICATOR;

	json_array_foreach (json_object_get(ind, "kill_chain_phases"), i, v) {
		const char *ph =
		    json_string_value(json_object_get(v, "phase_name"));

		if (ph == NULL)
			continue;
		if (strcmp(ph, "command-and-control") == 0 ||
		    strcmp(ph, "actions-on-objectives") == 0 ||
		    strcmp(ph, "installation") == 0 ||
		    strcmp(ph, "exfiltration") == 0)
			return EV_COMPROMISE;
		if (strcmp(ph, "delivery") == 0 ||
		    strcmp(ph, "exploitation") == 0 ||
		    strcmp(ph, "initial-access") == 0)
			ev = EV_ATTACK_ATTEMPT;
		else if (strcmp(ph, "reconnaissance") == 0 &&
		    ev == EV_INDICATOR)
			ev = EV_RECON;
	}
	json_array_foreach (json_object_get(ind, "indicator_types"), i, v) {
		const char *t = json_string_value(v);

		if (t == NULL)
			continue;
		if (strcmp(t, "compromised") == 0)
			return EV_COMPROMISE;
		if (strcmp(t, "anonymization") == 0 && ev == EV_INDICATOR)
			ev = EV_POLICY;
	}
	return ev;
}

/* Parse a STIX bundle. */
int
feed_stix(struct feed_ctx *ctx, const char *text, size_t len)
{
	json_t *root, *objs, *o;
	json_error_t jerr;
	size_t i, j, n;
	char pos[64], reason[256];
	struct cmp *cmps = malloc(MAXCMP * sizeof(*cmps));

	if (cmps == NULL)
		return -1;
	root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
	if (root == NULL) {
		snprintf(pos, sizeof(pos), "line %d column %d", jerr.line,
		    jerr.column);
		feed_reject(ctx, pos, "not JSON: %s", jerr.text);
		free(cmps);
		return -1;
	}
	objs = json_object_get(root, "objects");
	if (!json_is_array(objs)) {
		feed_reject(ctx, "objects",
		    "not a STIX bundle (no objects "
		    "array)");
		json_decref(root);
		free(cmps);
		return -1;
	}
	json_array_foreach (objs, i, o) {
		const char *type =
		    json_string_value(json_object_get(o, "type"));
		const char *pattern, *ptype, *id, *from, *until;
		time_t t;

		if (type == NULL || strcmp(type, "indicator") != 0)
			continue;
		id = json_string_value(json_object_get(o, "id"));
		snprintf(pos, sizeof(pos), "objects[%zu]%s%s", i,
		    id != NULL ? " " : "", id != NULL ? id : "");
		ptype = json_string_value(json_object_get(o, "pattern_type"));
		pattern = json_string_value(json_object_get(o, "pattern"));
		if (ptype == NULL || strcmp(ptype, "stix") != 0) {
			feed_reject(ctx, pos, "pattern_type '%s' is not stix",
			    ptype != NULL ? ptype : "(missing)");
			continue;
		}
		if (pattern == NULL) {
			feed_reject(ctx, pos, "no pattern");
			continue;
		}
		if (json_is_true(json_object_get(o, "revoked"))) {
			ctx->report->skipped++;
			continue;
		}
		from = json_string_value(json_object_get(o, "valid_from"));
		until = json_string_value(json_object_get(o, "valid_until"));
		if (from != NULL && feed_time(from, &t) == 0 && t > ctx->now) {
			ctx->report->skipped++;
			continue;
		}
		if (until != NULL && feed_time(until, &t) == 0 &&
		    t <= ctx->now) {
			ctx->report->skipped++;
			continue;
		}
		if (parse_pattern(pattern, cmps, &n, reason, sizeof(reason)) !=
		    0) {
			feed_reject(
			    ctx, pos, "pattern %s: %s", pattern, reason);
			continue;
		}
		for (j = 0; j < n; j++)
			feed_add(ctx, cmps[j].type, cmps[j].value,
			    strlen(cmps[j].value), from, stix_evidence(o), pos);
	}
	json_decref(root);
	free(cmps);
	return 0;
}
