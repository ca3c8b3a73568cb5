/*
 * csv.c: CSV feeds: records (RFC 4180 quoting, blanks before a quote as
 * ThreatFox writes them), "#" comments, and the header that names the
 * layout (csvmap.c), found on the first record or inside a comment as
 * abuse.ch writes it.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csvmap.h"
#include "feed.h"

#define MAXCOLS 32
#define RECMAX 65536

/* Split one record at p (ending before end) into fields; the position
 * after it, or NULL with reason (*eof set if the text ended inside a
 * quoted field).  Quoted fields are unescaped into buf. */
static const char *
csv_record(const char *p, const char *end, char *buf, size_t buflen,
    const char **f, size_t *flen, size_t *nf, const char **reason, int *eof)
{
	size_t o = 0;

	*nf = 0;
	*eof = 0;
	for (;;) {
		size_t start = o;
		const char *q = p;

		if (*nf == MAXCOLS) {
			*reason = "more than 32 columns";
			return NULL;
		}
		while (q < end && (*q == ' ' || *q == '\t'))
			q++;
		if (q < end && *q == '"') {
			p = q + 1;
			for (;;) {
				if (p >= end) {
					*reason = "unterminated quoted field";
					*eof = 1;
					return NULL;
				}
				if (*p == '"') {
					if (p + 1 < end && p[1] == '"')
						p++;
					else {
						p++;
						break;
					}
				}
				if (o + 1 >= buflen) {
					*reason = "record longer than 64 KiB";
					return NULL;
				}
				buf[o++] = *p++;
			}
			while (p < end && (*p == ' ' || *p == '\t'))
				p++;
			if (p < end && *p != ',' && *p != '\n' && *p != '\r') {
				*reason = "text after a closing quote";
				return NULL;
			}
		} else {
			while (
			    p < end && *p != ',' && *p != '\n' && *p != '\r') {
				if (o + 1 >= buflen) {
					*reason = "record longer than 64 KiB";
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

/* Trim blanks around a field. */
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

/* Split a record and trim its fields; NULL on a quoting error. */
static const char *
record(const char *p, const char *end, char *buf, const char **f, size_t *flen,
    size_t *nf, const char **reason, int *eof)
{
	size_t i;

	p = csv_record(p, end, buf, RECMAX, f, flen, nf, reason, eof);
	if (p != NULL)
		for (i = 0; i < *nf; i++)
			trim(&f[i], &flen[i]);
	return p;
}

/* A "#" comment that holds the header ("# id,dateadded,url,..."). */
static int
comment_header(struct csvmap *m, const struct cfg_feed *fd, const char *s,
    size_t n, char *buf)
{
	const char *f[MAXCOLS], *reason;
	size_t flen[MAXCOLS], nf;
	int eof;

	while (n > 0 && (*s == '#' || *s == ' ')) {
		s++;
		n--;
	}
	if (n == 0 ||
	    record(s, s + n, buf, f, flen, &nf, &reason, &eof) == NULL ||
	    nf < 2)
		return -1;
	return csvmap_header(m, fd, f, flen, nf);
}

/* Newlines in [a, b): a record's lines, for positions. */
static size_t
lines_in(const char *a, const char *b)
{
	size_t n = 0;

	for (; a < b; a++)
		n += *a == '\n';
	return n;
}

/* Parse a CSV feed. */
enum feed_status
feed_csv(struct feed_ctx *ctx, const char *text, size_t len)
{
	const char *p = text, *end = text + len, *f[MAXCOLS], *reason, *rec;
	size_t flen[MAXCOLS], nf, line = 1, rows = 0;
	char *buf = malloc(RECMAX), *hbuf = malloc(RECMAX), pos[32];
	struct csvmap m;
	int have = 0, eof;
	enum feed_status st = FEED_OK;

	if (buf == NULL || hbuf == NULL) {
		free(buf);
		free(hbuf);
		return feed_fail(ctx, FEED_BROKEN, "out of memory");
	}
	if (len >= 3 && memcmp(p, "\xef\xbb\xbf", 3) == 0)
		p += 3; /* BOM */
	have = csvmap_plain(&m, ctx->feed) == 0;
	rec = p;
	for (; p < end; line += lines_in(rec, p)) {
		rec = p;
		snprintf(pos, sizeof(pos), "%zu", line);
		if (*p == '#' || (have && m.plain && *p == ';')) {
			/* a comment line, never quoted (lists also use ';') */
			const char *nl = memchr(p, '\n', (size_t)(end - p));
			size_t n =
			    nl != NULL ? (size_t)(nl - p) : (size_t)(end - p);

			if (!have &&
			    comment_header(&m, ctx->feed, p, n, hbuf) == 0)
				have = 1;
			p = nl != NULL ? nl + 1 : end;
			continue;
		}
		p = record(p, end, buf, f, flen, &nf, &reason, &eof);
		if (p == NULL) {
			if (eof) {
				st = feed_fail(ctx, FEED_TRUNCATED,
				    "line %zu: %s at the end of the file: a "
				    "truncated download?",
				    line, reason);
				break;
			}
			rows++;
			feed_read(ctx);
			feed_skip(ctx, pos, SKIP_BAD_VALUE, "%s", reason);
			/* resynchronise at the next line */
			if ((p = memchr(rec, '\n', (size_t)(end - rec))) ==
			    NULL)
				break;
			p++;
			continue;
		}
		if (nf == 1 && flen[0] == 0)
			continue; /* blank line */
		if (!have) {
			if (csvmap_header(&m, ctx->feed, f, flen, nf) != 0) {
				st = feed_fail(ctx, FEED_BROKEN,
				    "line %zu: no header naming the columns "
				    "(type,value), no known layout (MISP CSV, "
				    "Feodo Tracker, URLhaus, ThreatFox) and no "
				    "columns in the config",
				    line);
				break;
			}
			have = 1;
			continue;
		}
		/* a header repeated by a concatenation of exports */
		if (csvmap_is_header(&m, f, flen, nf))
			continue;
		rows++;
		csvmap_row(ctx, &m, f, flen, nf, pos);
	}
	if (st == FEED_OK && rows == 0)
		st = feed_fail(ctx, FEED_BROKEN,
		    have ? "no indicators (a header only): an empty download?"
			 : "empty");
	free(buf);
	free(hbuf);
	return st;
}
