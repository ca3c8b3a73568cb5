/*
 * inc_peers.c: an incident's peers, the other ends its own detections
 * saw acting against it (see incident.h): what inc_report.c shares as
 * what we found ourselves.
 *
 * Counted for every alert, so cheaply: the caller adds a run of alerts
 * with one other end at once, and with the index it keeps beside the
 * incident (the one of its indicators, keys "\x1fp" + address here) a
 * peer is found by one lookup, not a scan of the twenty.
 */

#include <string.h>

#include "cidr.h"
#include "incident.h"

#define PEER_KEY "\x1fp" /* the index's mark, and its keys' prefix */

/* An address, bounded and canonical, into out. */
static void
canon(const char *ip, char out[64])
{
	size_t n = strnlen(ip, 63);

	memcpy(out, ip, n);
	out[n] = '\0';
	cidr_canon_addr(out, 64);
}

/* Whether the alert's evidence makes its other end, standing at end, a
 * party acting against us: the source of an attack, a scan or a blocked
 * attempt (not their target: a host of ours attacking out makes the
 * other end a victim), and either end of signs of compromise (a call to
 * its controller, an answer to its attacker).  A policy alert's other
 * end is a service in use; a vulnerability's has none. */
static int
hostile(const char *evidence, const char *end)
{
	if (strcmp(evidence, "compromise") == 0)
		return 1;
	return strcmp(end, "src") == 0 &&
	    (strcmp(evidence, "attack-attempt") == 0 ||
		strcmp(evidence, "recon") == 0 ||
		strcmp(evidence, "blocked") == 0);
}

const char *
inc_peer_of(const json_t *inc, const struct dalert *a, char out[64])
{
	const char *asset = json_string_value(json_object_get(inc, "asset"));
	const char *end = "src";

	/* a shared indicator's alert is its source's information (and its
	 * other end a resolver or a shared host as often as not); our own
	 * rules' alerts name what they saw as a source-less indicator */
	if (asset == NULL || a->nsources > 0)
		return NULL;
	canon(a->src, out);
	if (strcmp(out, asset) == 0) {
		canon(a->dst, out);
		end = "dst";
	}
	if (out[0] == '\0' || strcmp(out, asset) == 0 ||
	    !hostile(a->evidence, end))
		return NULL;
	return end;
}

/* A peer's key in the index. */
static void
peer_key(char key[sizeof(PEER_KEY) + 64], const char *ip)
{
	strcpy(key, PEER_KEY);
	strncat(key, ip, 63);
}

/* The peer's entry, or NULL; with ix, by one lookup (the index filled
 * from the array the first time). */
static json_t *
peer_find(json_t *peers, json_t *ix, const char *ip)
{
	char key[sizeof(PEER_KEY) + 64];
	json_t *p;
	size_t i;

	if (ix == NULL) {
		json_array_foreach (peers, i, p)
			if (strcmp(json_string_value(json_object_get(p, "ip")),
				ip) == 0)
				return p;
		return NULL;
	}
	if (json_object_get(ix, PEER_KEY) == NULL) {
		json_array_foreach (peers, i, p) {
			peer_key(
			    key, json_string_value(json_object_get(p, "ip")));
			json_object_set(ix, key, p);
		}
		json_object_set_new(ix, PEER_KEY, json_true());
	}
	peer_key(key, ip);
	return json_object_get(ix, key);
}

void
inc_peer_add(
    json_t *inc, const char *ip, const char *end, json_int_t add, json_t *ix)
{
	json_t *peers = json_object_get(inc, "peers"), *p;
	char key[sizeof(PEER_KEY) + 64];

	if (ip == NULL || ip[0] == '\0')
		return;
	if (!json_is_array(peers)) {
		peers = json_array();
		json_object_set_new(inc, "peers", peers);
	}
	if ((p = peer_find(peers, ix, ip)) != NULL) {
		json_t *n = json_object_get(p, "count");

		json_integer_set(n, json_integer_value(n) + add);
		return;
	}
	if (json_array_size(peers) >= INC_MAX_PEERS)
		return;
	p = json_pack("{s:s, s:s, s:I}", "ip", ip, "end",
	    end != NULL && strcmp(end, "dst") == 0 ? "dst" : "src", "count",
	    add);
	json_array_append_new(peers, p);
	if (ix != NULL) {
		peer_key(key, ip);
		json_object_set(ix, key, p);
	}
}
