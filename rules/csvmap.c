/*
 * csvmap.c: CSV layouts (see csvmap.h) and turning one row into
 * indicators.
 */

#define _GNU_SOURCE /* strcasestr */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "csvmap.h"
#include "ftype.h"

/* Header names per layout: which column plays which part. */
struct named {
	enum ccol col;
	const char *name;
};

static const struct named own[] = {
    {CC_TYPE, "type"},
    {CC_VALUE, "value"},
    {CC_PORT, "port"},
    {CC_PUBLISHED, "published"},
    {CC_VALID_UNTIL, "valid_until"},
    {CC_EVIDENCE, "evidence"},
    {CC_TLP, "tlp"},
    {CC_TO_IDS, "to_ids"},
    {CC_NAME, "name"},
    {CC_NAME, "description"},
    {CC_REF, "ref"},
    {CC_REF, "id"},
    {CC_MAX, NULL},
};

/* uuid,event_id,category,type,value,comment,to_ids,date[,object_relation,
 * attribute_tag,object_uuid,object_name,object_meta-category] */
static const struct named misp[] = {
    {CC_REF, "uuid"},
    {CC_CATEGORY, "category"},
    {CC_TYPE, "type"},
    {CC_VALUE, "value"},
    {CC_NAME, "comment"},
    {CC_TO_IDS, "to_ids"},
    {CC_PUBLISHED, "date"},
    {CC_TLP, "attribute_tag"},
    {CC_MAX, NULL},
};

/* first_seen_utc,dst_ip,dst_port,c2_status,last_online,malware */
static const struct named feodo[] = {
    {CC_PUBLISHED, "first_seen_utc"},
    {CC_VALUE, "dst_ip"},
    {CC_PORT, "dst_port"},
    {CC_NAME, "malware"},
    {CC_MAX, NULL},
};

/* id,dateadded,url,url_status,[last_online,]threat,tags,urlhaus_link,
 * reporter */
static const struct named urlhaus[] = {
    {CC_REF, "id"},
    {CC_PUBLISHED, "dateadded"},
    {CC_VALUE, "url"},
    {CC_THREAT, "threat"},
    {CC_NAME2, "tags"},
    {CC_MAX, NULL},
};

/* first_seen_utc,ioc_id,ioc_value,ioc_type,threat_type,fk_malware,
 * malware_alias,malware_printable,last_seen_utc,confidence_level,
 * [is_compromised,]reference,tags,anonymous,reporter */
static const struct named threatfox[] = {
    {CC_PUBLISHED, "first_seen_utc"},
    {CC_REF, "ioc_id"},
    {CC_VALUE, "ioc_value"},
    {CC_TYPE, "ioc_type"},
    {CC_THREAT, "threat_type"},
    {CC_NAME, "malware_printable"},
    {CC_MAX, NULL},
};

/* Column of a header name, or -1. */
static int
find(const char *const *f, const size_t *flen, size_t nf, const char *name)
{
	size_t i, n = strlen(name);

	for (i = 0; i < nf; i++)
		if (flen[i] == n && strncasecmp(f[i], name, n) == 0)
			return (int)i;
	return -1;
}

/* Map the header by a layout's names. */
static void
map_names(struct csvmap *m, const struct named *t, const char *const *f,
    const size_t *flen, size_t nf)
{
	for (; t->name != NULL; t++)
		if (m->col[t->col] < 0)
			m->col[t->col] = find(f, flen, nf, t->name);
}

/* The config's column of a role: by number, or by header name. */
static int
config_col(const struct cfg_feed *fd, enum feed_col c, const char *const *f,
    const size_t *flen, size_t nf)
{
	if (fd->col_num[c] > 0)
		return fd->col_num[c] - 1;
	if (fd->col_name[c] != NULL)
		return find(f, flen, nf, fd->col_name[c]);
	return -1;
}

/* The roles of the config mapped onto sankaku's columns. */
static const enum ccol from_cfg[FCOL_MAX] = {
    [FCOL_TYPE] = CC_TYPE,
    [FCOL_VALUE] = CC_VALUE,
    [FCOL_PORT] = CC_PORT,
    [FCOL_PUBLISHED] = CC_PUBLISHED,
    [FCOL_VALID_UNTIL] = CC_VALID_UNTIL,
    [FCOL_EVIDENCE] = CC_EVIDENCE,
    [FCOL_TLP] = CC_TLP,
    [FCOL_TO_IDS] = CC_TO_IDS,
    [FCOL_NAME] = CC_NAME,
    [FCOL_REF] = CC_REF,
};

/* Start empty, with the config's type. */
static void
init(struct csvmap *m, const struct cfg_feed *fd)
{
	int i;

	memset(m, 0, sizeof(*m));
	for (i = 0; i < CC_MAX; i++)
		m->col[i] = -1;
	m->evidence = EV_INDICATOR;
	if (fd != NULL && fd->type != NULL &&
	    ioc_type_parse(fd->type, &m->fixed_type) == 0) {
		m->fixed = 1;
		if (m->fixed_type == IOC_IP)
			m->fixed_type = IOC_CIDR; /* a prefix is fine too */
	}
}

/* The columns a row must have. */
static void
finish(struct csvmap *m)
{
	int i;

	for (i = 0; i < CC_MAX; i++)
		if (m->col[i] + 1 > m->ncols &&
		    (i == CC_TYPE || i == CC_VALUE || i == CC_PORT))
			m->ncols = m->col[i] + 1;
}

/* Whether the config names any column. */
static int
config_names(const struct cfg_feed *fd)
{
	int c;

	for (c = 0; fd != NULL && c < FCOL_MAX; c++)
		if (fd->col_name[c] != NULL || fd->col_num[c] > 0)
			return 1;
	return 0;
}

/* A layout from a header. */
int
csvmap_header(struct csvmap *m, const struct cfg_feed *fd, const char *const *f,
    const size_t *flen, size_t nf)
{
	int c;

	init(m, fd);
	if (config_names(fd)) {
		m->layout = "config";
		for (c = 0; c < FCOL_MAX; c++)
			m->col[from_cfg[c]] = config_col(fd, c, f, flen, nf);
		if (m->col[CC_VALUE] < 0 || (m->col[CC_TYPE] < 0 && !m->fixed))
			return -1;
		m->strict = 1;
	} else if (find(f, flen, nf, "ioc_value") >= 0 &&
	    find(f, flen, nf, "ioc_type") >= 0) {
		m->layout = "threatfox";
		map_names(m, threatfox, f, flen, nf);
		m->ref_prefix = "threatfox:";
	} else if (find(f, flen, nf, "dst_ip") >= 0 &&
	    find(f, flen, nf, "dst_port") >= 0) {
		m->layout = "feodo";
		map_names(m, feodo, f, flen, nf);
		m->fixed = 1;
		m->fixed_type = IOC_IP_PORT;
		m->evidence = EV_COMPROMISE; /* botnet C2 servers */
	} else if (find(f, flen, nf, "url") >= 0 &&
	    (find(f, flen, nf, "url_status") >= 0 ||
		find(f, flen, nf, "urlhaus_link") >= 0)) {
		m->layout = "urlhaus";
		map_names(m, urlhaus, f, flen, nf);
		m->fixed = 1;
		m->fixed_type = IOC_URL;
		m->evidence = EV_ATTACK_ATTEMPT; /* malware downloads */
		m->ref_prefix = "urlhaus:";
	} else if (find(f, flen, nf, "event_id") >= 0 &&
	    find(f, flen, nf, "type") >= 0 && find(f, flen, nf, "value") >= 0) {
		m->layout = "misp";
		map_names(m, misp, f, flen, nf);
	} else if (find(f, flen, nf, "type") >= 0 &&
	    find(f, flen, nf, "value") >= 0) {
		m->layout = "sankaku";
		map_names(m, own, f, flen, nf);
		m->strict = 1;
	} else if (m->fixed && find(f, flen, nf, "value") >= 0) {
		m->layout = "sankaku";
		map_names(m, own, f, flen, nf);
		m->strict = 1;
	} else
		return -1;
	if (m->col[CC_VALUE] >= 0 && (size_t)m->col[CC_VALUE] < nf &&
	    flen[m->col[CC_VALUE]] < sizeof(m->value_name)) {
		memcpy(
		    m->value_name, f[m->col[CC_VALUE]], flen[m->col[CC_VALUE]]);
		m->value_name[flen[m->col[CC_VALUE]]] = '\0';
	}
	finish(m);
	return 0;
}

/* Whether a data row repeats the header (exports concatenated). */
int
csvmap_is_header(
    const struct csvmap *m, const char *const *f, const size_t *flen, size_t nf)
{
	int c = m->col[CC_VALUE];

	return !m->plain && c >= 0 && (size_t)c < nf &&
	    m->value_name[0] != '\0' && flen[c] == strlen(m->value_name) &&
	    strncasecmp(f[c], m->value_name, flen[c]) == 0;
}

/* A layout without a header. */
int
csvmap_plain(struct csvmap *m, const struct cfg_feed *fd)
{
	int c;

	init(m, fd);
	for (c = 0; fd != NULL && c < FCOL_MAX; c++)
		if (fd->col_name[c] != NULL)
			return -1; /* names: wait for the header */
	if (config_names(fd)) {
		for (c = 0; c < FCOL_MAX; c++)
			m->col[from_cfg[c]] = fd->col_num[c] - 1;
		if (m->col[CC_TYPE] < 0 && !m->fixed)
			return -1;
	} else if (m->fixed)
		m->col[CC_VALUE] = 0;
	else
		return -1;
	m->layout = "list";
	m->plain = 1;
	m->strict = 1;
	finish(m);
	return 0;
}

/* A field as a C string (bounded). */
static const char *
field(const char *const *f, const size_t *flen, size_t nf, int col, char *buf,
    size_t len)
{
	size_t n;

	if (col < 0 || (size_t)col >= nf || flen[col] == 0)
		return NULL;
	n = flen[col] < len - 1 ? flen[col] : len - 1;
	memcpy(buf, f[col], n);
	buf[n] = '\0';
	return buf;
}

/* A date as feeds write it: RFC 3339, "2021-01-17 07:30:05[ UTC]",
 * "2021-01-17", "20210117" (MISP CSV) or UTC seconds. */
static int
csv_date(const char *s, int64_t *t)
{
	char b[40];
	size_t n = strlen(s), i;

	if (n > 4 && strcmp(s + n - 4, " UTC") == 0)
		n -= 4;
	if (feed_time(s, n, t) == 0)
		return 0;
	for (i = 0; i < n && s[i] >= '0' && s[i] <= '9'; i++)
		;
	if (n == 10 && s[4] == '-' && s[7] == '-') {
		snprintf(b, sizeof(b), "%.10sT00:00:00Z", s);
		return feed_time(b, strlen(b), t);
	}
	if (i == n && n == 8) {
		snprintf(
		    b, sizeof(b), "%.4s-%.2s-%.2sT00:00:00Z", s, s + 4, s + 6);
		return feed_time(b, strlen(b), t);
	}
	if (i == n && n >= 9 && n <= 11) {
		*t = strtoll(s, NULL, 10);
		return 0;
	}
	return -1;
}

/* Evidence of a ThreatFox threat_type or a MISP category. */
static enum evidence
evidence_of(const struct csvmap *m, const char *threat, const char *category)
{
	if (threat != NULL) {
		if (strcmp(threat, "botnet_cc") == 0)
			return EV_COMPROMISE;
		if (strcmp(threat, "payload_delivery") == 0 ||
		    strcmp(threat, "payload") == 0 ||
		    strcmp(threat, "malware_download") == 0)
			return EV_ATTACK_ATTEMPT;
	}
	if (category != NULL) {
		if (strcmp(category, "Payload installation") == 0 ||
		    strcmp(category, "Artifacts dropped") == 0 ||
		    strcmp(category, "Persistence mechanism") == 0)
			return EV_COMPROMISE;
		if (strcmp(category, "Payload delivery") == 0)
			return EV_ATTACK_ATTEMPT;
	}
	return m->evidence;
}

/* A to_ids cell: 1/0, true/false in any case; anything else is true. */
static int
to_ids(const char *s)
{
	return !(strcmp(s, "0") == 0 || strcasecmp(s, "false") == 0);
}

/* Emit one row. */
void
csvmap_row(struct feed_ctx *ctx, const struct csvmap *m, const char *const *f,
    const size_t *flen, size_t nf, const char *pos)
{
	char b[12][200], ref[240], joined[2200];
	const char *s, *value;
	size_t vlen;
	struct ioc_meta meta;
	struct buf q = {NULL, 0, 0, 0};
	int host;

	feed_read(ctx);
	if ((int)nf < m->ncols) {
		feed_skip(ctx, pos, SKIP_BAD_VALUE,
		    "expected at least %d columns, got %zu", m->ncols, nf);
		return;
	}
	memset(&meta, 0, sizeof(meta));
	meta.evidence = evidence_of(m,
	    field(f, flen, nf, m->col[CC_THREAT], b[0], sizeof(b[0])),
	    field(f, flen, nf, m->col[CC_CATEGORY], b[1], sizeof(b[1])));
	if ((s = field(f, flen, nf, m->col[CC_TO_IDS], b[2], sizeof(b[2]))) !=
		NULL &&
	    !to_ids(s)) {
		feed_skip(ctx, pos, SKIP_NOT_FOR_IDS, NULL);
		return;
	}
	if ((s = field(f, flen, nf, m->col[CC_PUBLISHED], b[3],
		 sizeof(b[3]))) != NULL &&
	    csv_date(s, &meta.published) != 0 && m->strict) {
		feed_quote(&q, s, strlen(s), 40);
		feed_skip(ctx, pos, SKIP_BAD_VALUE,
		    "published '%s' is not a time", q.s);
		free(q.s);
		return;
	}
	if ((s = field(f, flen, nf, m->col[CC_VALID_UNTIL], b[4],
		 sizeof(b[4]))) != NULL &&
	    csv_date(s, &meta.valid_until) != 0) {
		feed_quote(&q, s, strlen(s), 40);
		feed_skip(ctx, pos, SKIP_BAD_VALUE,
		    "valid_until '%s' is not a time", q.s);
		free(q.s);
		return;
	}
	if ((s = field(f, flen, nf, m->col[CC_EVIDENCE], b[5], sizeof(b[5]))) !=
		NULL &&
	    isog_evidence_parse(s, &meta.evidence) != 0) {
		feed_quote(&q, s, strlen(s), 40);
		feed_skip(
		    ctx, pos, SKIP_BAD_VALUE, "unknown evidence '%s'", q.s);
		free(q.s);
		return;
	}
	if ((s = field(f, flen, nf, m->col[CC_TLP], b[6], sizeof(b[6]))) !=
	    NULL) {
		/* a TLP column, or MISP's attribute tags: "tlp:amber,..." */
		const char *t = strcasestr(s, "tlp:");
		enum tlp tl;

		if (t != NULL) {
			size_t n = strcspn(t, ", ;");

			if (tlp_parse(t, n, &tl) == 0)
				meta.tlp = tl;
		} else if (tlp_parse(s, strlen(s), &tl) == 0)
			meta.tlp = tl;
	}
	meta.name = field(f, flen, nf, m->col[CC_NAME2], b[7], sizeof(b[7]));
	if (meta.name == NULL)
		meta.name =
		    field(f, flen, nf, m->col[CC_NAME], b[8], sizeof(b[8]));
	if ((s = field(f, flen, nf, m->col[CC_REF], b[9], sizeof(b[9]))) !=
	    NULL) {
		snprintf(ref, sizeof(ref), "%s%s",
		    m->ref_prefix != NULL ? m->ref_prefix : "", s);
		meta.ref = ref;
	}
	value = f[m->col[CC_VALUE]];
	vlen = flen[m->col[CC_VALUE]];
	if (m->plain && m->col[CC_TYPE] < 0) {
		/* a list: the value ends at a blank or ';' (Spamhaus DROP
		 * writes "192.0.2.0/24 ; SBL123") */
		size_t k = 0;

		while (k < vlen && value[k] != ' ' && value[k] != '\t' &&
		    value[k] != ';')
			k++;
		vlen = k;
	}
	if (vlen == 0) {
		feed_skip(ctx, pos, SKIP_BAD_VALUE, "empty value");
		return;
	}
	if ((s = field(f, flen, nf, m->col[CC_PORT], b[10], sizeof(b[10]))) !=
	    NULL) {
		/* an address or host and its port: one indicator */
		int v6 = memchr(value, ':', vlen) != NULL;

		if (vlen + strlen(s) + 4 > sizeof(joined)) {
			feed_skip(ctx, pos, SKIP_BAD_VALUE, "value too long");
			return;
		}
		snprintf(joined, sizeof(joined), v6 ? "[%.*s]:%s" : "%.*s:%s",
		    (int)vlen, value, s);
		value = joined;
		vlen = strlen(joined);
		if (m->col[CC_TYPE] >= 0) {
			const char *t = f[m->col[CC_TYPE]];
			size_t tn = flen[m->col[CC_TYPE]];

			host = (tn == 6 && strncasecmp(t, "domain", 6) == 0) ||
			    (tn == 8 && strncasecmp(t, "hostname", 8) == 0);
		} else
			host = m->fixed &&
			    (m->fixed_type == IOC_DOMAIN ||
				m->fixed_type == IOC_DOMAIN_PORT);
		feed_emit(ctx, host ? IOC_DOMAIN_PORT : IOC_IP_PORT, value,
		    vlen, &meta, pos);
		return;
	}
	if (m->fixed && m->col[CC_TYPE] < 0) {
		feed_emit(ctx, m->fixed_type, value, vlen, &meta, pos);
		return;
	}
	feed_typed(ctx, f[m->col[CC_TYPE]], flen[m->col[CC_TYPE]], value, vlen,
	    &meta, pos, m->strict);
}
