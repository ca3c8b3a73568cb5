/*
 * csv.c: "type,value" lines with a header (RFC 4180 quoting), optional
 * further columns "published" and "evidence" named in the header.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "feed.h"

#define MAXCOLS 8

/* Split one record at p (ending before end) into fields; returns the
 * position after the record, or NULL with reason on a quoting error.
 * Quoted fields are unescaped into buf. */
static const char *
csv_record(const char *p, const char *end, char *buf, size_t buflen,
    const char **f, size_t *flen, size_t *nf, const char **reason)
{
	size_t o = 0;

	*nf = 0;
	for (;;) {
		size_t start = o;

		if (*nf == MAXCOLS) {
			*reason = "too many columns";
			return NULL;
		}
		if (p < end && *p == '"') {
			p++;
			for (;;) {
				if (p >= end) {
					*reason = "unterminated quoted field";
					return NULL;
				}
				if (*p == '"') {
					if (p + 1 < end && p[1] == '"') {
						p++;
					} else {
						p++;
						break;
					}
				}
				if (o + 1 >= buflen) {
					*reason = "record too long";
					return NULL;
				}
				buf[o++] = *p++;
			}
			if (p < end && *p != ',' && *p != '\n' && *p != '\r') {
				*reason = "text after a closing quote";
				return NULL;
			}
		} else {
			while (
			    p < end && *p != ',' && *p != '\n' && *p != '\r') {
				if (o + 1 >= buflen) {
					*reason = "record too long";
					return NULL;
				}
				buf[o++] = *p++;
			}
		}
		f[*nf] = buf + start;
		flen[*nf] = o - start;
		(*nf)++;
		if (p < end && *p == ',') {
			p++;
			continue;
		}
		if (p < end && *p == '\r')
			p++;
		if (p < end && *p == '\n')
			p++;
		return p;
	}
}

/* Trim spaces around a field. */
static void
trim(const char **s, size_t *n)
{
	while (*n > 0 && (**s == ' ' || **s == '\t')) {
		(*s)++;
		(*n)--;
	}
	while (*n > 0 && ((*s)[*n - 1] == ' ' || (*s)[*n - 1] == '\t'))
		(*n)--;
}

/* Parse a CSV feed. */
int
feed_csv(struct feed_ctx *ctx, const char *text, size_t len)
{
	const char *p = text, *end = text + len, *f[MAXCOLS], *reason;
	size_t flen[MAXCOLS], nf, line = 0, i;
	int col_type = -1, col_value = -1, col_pub = -1, col_ev = -1;
	char *buf = malloc(65536), pos[32], pub[64], evs[32];

	if (buf == NULL)
		return -1;
	if (len >= 3 && memcmp(p, "\xef\xbb\xbf", 3) == 0)
		p += 3; /* BOM */
	while (p < end) {
		const char *rec = p;

		line++;
		snprintf(pos, sizeof(pos), "%zu", line);
		p = csv_record(p, end, buf, 65536, f, flen, &nf, &reason);
		if (p == NULL) {
			feed_reject(ctx, pos, "%s", reason);
			/* resynchronise at the next line */
			if ((p = memchr(rec, '\n', (size_t)(end - rec))) ==
			    NULL)
				break;
			p++;
			continue;
		}
		for (i = 0; i < nf; i++)
			trim(&f[i], &flen[i]);
		if (nf == 1 && flen[0] == 0)
			continue; /* blank line */
		if (flen[0] > 0 && f[0][0] == '#')
			continue; /* comment */
		if (col_type < 0) {
			for (i = 0; i < nf; i++) {
				if (flen[i] == 4 &&
				    strncmp(f[i], "type", 4) == 0)
					col_type = (int)i;
				else if (flen[i] == 5 &&
				    strncmp(f[i], "value", 5) == 0)
					col_value = (int)i;
				else if (flen[i] == 9 &&
				    strncmp(f[i], "published", 9) == 0)
					col_pub = (int)i;
				else if (flen[i] == 8 &&
				    strncmp(f[i], "evidence", 8) == 0)
					col_ev = (int)i;
			}
			if (col_type < 0 || col_value < 0) {
				feed_reject(ctx, pos,
				    "header must name the columns type and "
				    "value");
				free(buf);
				return -1;
			}
			continue;
		}
		{
			enum ioc_type t;
			enum evidence ev = EV_INDICATOR;
			char tname[16];
			int need = col_type > col_value ? col_type : col_value;

			if ((int)nf <= need) {
				feed_reject(ctx, pos,
				    "expected at least %d "
				    "columns, got %zu",
				    need + 1, nf);
				continue;
			}
			snprintf(tname, sizeof(tname), "%.*s",
			    (int)(flen[col_type] < 15 ? flen[col_type] : 15),
			    f[col_type]);
			if (ioc_type_parse(tname, &t) != 0) {
				feed_reject(ctx, pos,
				    "unknown type '%s' (ip, cidr, domain, "
				    "url, md5, sha1, sha256, ja3)",
				    tname);
				continue;
			}
			pub[0] = '\0';
			if (col_pub >= 0 && (int)nf > col_pub &&
			    flen[col_pub] > 0) {
				time_t when;

				snprintf(pub, sizeof(pub), "%.*s",
				    (int)flen[col_pub], f[col_pub]);
				if (feed_time(pub, &when) != 0) {
					feed_reject(ctx, pos,
					    "published '%s' is not an RFC "
					    "3339 time",
					    pub);
					continue;
				}
			}
			if (col_ev >= 0 && (int)nf > col_ev &&
			    flen[col_ev] > 0) {
				snprintf(evs, sizeof(evs), "%.*s",
				    (int)flen[col_ev], f[col_ev]);
				if (isog_evidence_parse(evs, &ev) != 0) {
					feed_reject(ctx, pos,
					    "unknown evidence '%s'", evs);
					continue;
				}
			}
			feed_add(ctx, t, f[col_value], flen[col_value],
			    pub[0] != '\0' ? pub : NULL, ev, pos);
		}
	}
	free(buf);
	return 0;
}
