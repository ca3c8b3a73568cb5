/*
 * evfields.c: the members enrichment reads (see evfields.h), found through
 * an open-addressed table keyed by (container, name signature): one probe
 * in the common case.
 */

#include <stddef.h>
#include <string.h>

#include "evfields.h"
#include "evscan.h"

/* The members enrichment reads: in which container, under which name,
 * and where the value goes. */
static const struct evmember members[] = {
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
    M(C_ROOT, "src_port", C_NONE, F_SRC_PORT, -1, FLAG_PORT),
    M(C_ROOT, "dest_port", C_NONE, F_DEST_PORT, -1, FLAG_PORT),
    M(C_ROOT, "direction", C_NONE, F_DIRECTION, -1, FLAG_NONE),
    M(C_ROOT, "flow", C_FLOW, -1, -1, FLAG_NONE),
    M(C_ROOT, "alert", C_ALERT, -1, -1, FLAG_ALERT),
    M(C_ROOT, "dns", C_DNS, -1, -1, FLAG_NONE),
    M(C_ROOT, "tls", C_TLS, -1, -1, FLAG_NONE),
    M(C_ROOT, "http", C_HTTP, -1, -1, FLAG_NONE),
    M(C_ROOT, "files", C_FILES, -1, -1, FLAG_NONE),
    M(C_ROOT, "fileinfo", C_FILEINFO, -1, -1, FLAG_NONE),
    M(C_ROOT, "sankaku", C_SANKAKU, -1, -1, FLAG_SANKAKU),
    M(C_ROOT, "timestamp", C_NONE, F_TIMESTAMP, -1, FLAG_NONE),
    M(C_SANKAKU, "id", C_NONE, F_SK_ID, -1, FLAG_NONE),
    M(C_SANKAKU, "phase", C_SK_PHASE, F_SK_PHASE, -1, FLAG_NONE),
    M(C_SK_PHASE, "id", C_NONE, F_SK_PHASE, -1, FLAG_NONE),
    M(C_SANKAKU, "kpi", C_NONE, F_SK_KPI, -1, FLAG_NONE),
    M(C_SANKAKU, "evidence", C_NONE, F_SK_EVIDENCE, -1, FLAG_NONE),
    M(C_SANKAKU, "tlp", C_NONE, F_SK_TLP, -1, FLAG_NONE),
    M(C_SANKAKU, "indicator", C_SK_INDICATOR, -1, -1, FLAG_NONE),
    M(C_SK_INDICATOR, "type", C_NONE, F_SK_IND_TYPE, -1, FLAG_NONE),
    M(C_SK_INDICATOR, "value", C_NONE, F_SK_IND_VALUE, -1, FLAG_NONE),
    M(C_SK_INDICATOR, "published", C_NONE, F_SK_IND_PUBLISHED, -1, FLAG_NONE),
    M(C_SK_INDICATOR, "refs", C_SK_IND_REFS, -1, -1, FLAG_NONE),
    M(C_SK_REF_OBJ, "source", C_NONE, -1, M_SK_REF_SOURCE, FLAG_NONE),
    M(C_SK_REF_OBJ, "id", C_NONE, -1, M_SK_REF_ID, FLAG_NONE),
    M(C_SK_INDICATOR, "published_by", C_SK_IND_PUBS, -1, -1, FLAG_NONE),
    M(C_SK_PUB_OBJ, "source", C_NONE, -1, M_SK_PUB_SOURCE, FLAG_NONE),
    M(C_SK_PUB_OBJ, "published", C_NONE, -1, M_SK_PUB_TIME, FLAG_NONE),
    M(C_SANKAKU, "sources", C_SK_SOURCES, -1, -1, FLAG_NONE),
    M(C_SK_SOURCE_OBJ, "id", C_NONE, -1, M_SK_SOURCES, FLAG_NONE),
    M(C_ROOT, "host", C_NONE, F_HOST, -1, FLAG_NONE),
    M(C_ALERT, "signature", C_NONE, F_SIGNATURE, -1, FLAG_NONE),
    M(C_ALERT, "category", C_NONE, F_CATEGORY, -1, FLAG_NONE),
    M(C_ALERT, "action", C_NONE, F_ACTION, -1, FLAG_NONE),
    M(C_ALERT, "signature_id", C_NONE, F_SIGNATURE_ID, -1, FLAG_SIGID),
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
    /* Suricata 7's alerts: dns.query[]; Suricata 8's alerts and DNS
     * events (logging version 3): dns.queries[] */
    M(C_DNS, "query", C_DNS_QUERY, -1, -1, FLAG_NONE),
    M(C_DNS, "queries", C_DNS_QUERY, -1, -1, FLAG_NONE),
    M(C_DNS, "rrname", C_NONE, F_DNS_RRNAME, -1, FLAG_NONE),
    M(C_DNS_QUERY_OBJ, "rrname", C_NONE, -1, M_DNS_QUERY_RRNAME, FLAG_NONE),
    M(C_DNS, "answers", C_DNS_ANSWERS, -1, -1, FLAG_NONE),
    M(C_DNS_ANSWER_OBJ, "rdata", C_NONE, -1, M_DNS_ANSWER_RDATA, FLAG_NONE),
    M(C_TLS, "sni", C_NONE, F_TLS_SNI, -1, FLAG_NONE),
    M(C_TLS, "ja3", C_JA3, -1, -1, FLAG_NONE),
    M(C_JA3, "hash", C_NONE, F_JA3_HASH, -1, FLAG_NONE),
    M(C_HTTP, "hostname", C_NONE, F_HTTP_HOSTNAME, -1, FLAG_NONE),
    M(C_HTTP, "url", C_NONE, F_HTTP_URL, -1, FLAG_NONE),
    M(C_HTTP, "http_port", C_NONE, F_HTTP_PORT, -1, FLAG_PORT),
    M(C_FILE_OBJ, "md5", C_NONE, -1, M_FILES_MD5, FLAG_NONE),
    M(C_FILE_OBJ, "sha1", C_NONE, -1, M_FILES_SHA1, FLAG_NONE),
    M(C_FILE_OBJ, "sha256", C_NONE, -1, M_FILES_SHA256, FLAG_NONE),
    M(C_FILEINFO, "md5", C_NONE, F_FILEINFO_MD5, -1, FLAG_NONE),
    M(C_FILEINFO, "sha1", C_NONE, F_FILEINFO_SHA1, -1, FLAG_NONE),
    M(C_FILEINFO, "sha256", C_NONE, F_FILEINFO_SHA256, -1, FLAG_NONE),
#undef M
};

#define NMEMBERS (sizeof(members) / sizeof(members[0]))

const struct evmember *const evfields_members = members;
unsigned char evfields_slot[1 << EVFIELDS_BITS];

/* Fill the probe table, once. */
void
evfields_init(void)
{
	static int ready;
	unsigned h;
	size_t i;

	if (ready)
		return;
	for (i = 0; i < NMEMBERS; i++) {
		struct evstr name = {members[i].name, members[i].len, 0};

		h = evfields_hash(members[i].ctx, evfields_sig(&name));
		while (evfields_slot[h] != 0)
			h = (h + 1) & ((1 << EVFIELDS_BITS) - 1);
		evfields_slot[h] = (unsigned char)(i + 1);
	}
	ready = 1;
}
