/*
 * ggroup.c: every indicator into its group (see gen.c): its kind, its
 * evidence and, for address:port and domain:port, its port; CIDR
 * prefixes by address block.  One group becomes one dataset (or file
 * hash list, or address list) and the few rules that look it up.
 */

#include <sys/socket.h>

#include <stdlib.h>
#include <string.h>

#include "cidr.h"
#include "ggroup.h"

const char *const gnames[] = {
    [G_DOMAIN] = "domain",
    [G_URL] = "url",
    [G_IPV4] = "ipv4",
    [G_IPV6] = "ipv6",
    [G_MD5] = "md5",
    [G_SHA1] = "sha1",
    [G_SHA256] = "sha256",
    [G_JA3] = "ja3",
    [G_IPPORT4] = "ipport4",
    [G_IPPORT6] = "ipport6",
    [G_DOMAINPORT] = "domainport",
    [G_CIDR4] = "cidr4",
    [G_CIDR6] = "cidr6",
};

/* The group key of an indicator. */
static uint64_t
key_of(const struct merged *m)
{
	uint64_t k = 0, port = 0, block = 0;
	const char *colon;
	struct cidr c;

	switch (m->type) {
	case IOC_DOMAIN:
		k = G_DOMAIN;
		break;
	case IOC_URL:
		k = G_URL;
		break;
	case IOC_IP:
		k = strchr(m->value, ':') != NULL ? G_IPV6 : G_IPV4;
		break;
	case IOC_MD5:
		k = G_MD5;
		break;
	case IOC_SHA1:
		k = G_SHA1;
		break;
	case IOC_SHA256:
		k = G_SHA256;
		break;
	case IOC_JA3:
		k = G_JA3;
		break;
	case IOC_IP_PORT:
		k = m->value[0] == '[' ? G_IPPORT6 : G_IPPORT4;
		port = strtoul(strrchr(m->value, ':') + 1, NULL, 10);
		break;
	case IOC_DOMAIN_PORT:
		k = G_DOMAINPORT;
		colon = strrchr(m->value, ':');
		port = strtoul(colon + 1, NULL, 10);
		break;
	case IOC_CIDR:
		if (cidr_parse(m->value, &c, 0) == 0) {
			k = c.family == AF_INET ? G_CIDR4 : G_CIDR6;
			block = c.family == AF_INET
			    ? c.addr[0]
			    : (uint64_t)(c.addr[0] << 8 | c.addr[1]);
		}
		break;
	default:
		break;
	}
	return k << 40 | (uint64_t)m->evidence << 32 | port << 16 | block;
}

/* Prefixes by value: a block's sub-blocks side by side. */
static int
item_value_cmp(const void *a, const void *b)
{
	const struct item *x = a, *y = b;

	return strcmp(x->m->value, y->m->value);
}

/* By key. */
static int
key_cmp(const void *a, const void *b)
{
	const uint64_t *x = a, *y = b;

	return *x < *y ? -1 : *x > *y;
}

/* A group in the counting table: its key + 1 (0: empty slot), then its
 * size, then its next free place. */
struct kslot {
	uint64_t key1;
	size_t at;
};

/* The slot of key, claimed if new (*added set). */
static size_t
kfind(struct kslot *t, size_t cap, uint64_t key, int *added)
{
	size_t s = (size_t)(key * 0x9e3779b97f4a7c15ULL >> 17) & (cap - 1);

	while (t[s].key1 != 0 && t[s].key1 != key + 1)
		s = (s + 1) & (cap - 1);
	*added = t[s].key1 == 0;
	t[s].key1 = key + 1;
	return s;
}

/* A counting sort: a million values, a few hundred keys. */
struct item *
gen_group(const struct merged *m, size_t n)
{
	struct item *it = calloc(n + 1, sizeof(*it));
	uint64_t *keys = calloc(n + 1, sizeof(*keys)), *dk = NULL;
	struct kslot *t = NULL;
	size_t cap = 16, nk = 0, i, j, off = 0;
	int added;

	while (cap < n * 2)
		cap <<= 1;
	if (it == NULL || keys == NULL ||
	    (t = calloc(cap, sizeof(*t))) == NULL ||
	    (dk = calloc(n + 1, sizeof(*dk))) == NULL)
		goto oom;
	for (i = 0; i < n; i++) { /* sizes */
		keys[i] = key_of(&m[i]);
		t[kfind(t, cap, keys[i], &added)].at++;
		if (added)
			dk[nk++] = keys[i];
	}
	qsort(dk, nk, sizeof(*dk), key_cmp);
	for (j = 0; j < nk; j++) { /* first places, in key order */
		size_t s = kfind(t, cap, dk[j], &added), c = t[s].at;

		t[s].at = off;
		off += c;
	}
	for (i = 0; i < n; i++) {
		size_t s = kfind(t, cap, keys[i], &added);

		it[t[s].at].key = keys[i];
		it[t[s].at++].m = &m[i];
	}
	for (i = 0; i < n; i = j) {
		enum gkind k = (enum gkind)(it[i].key >> 40);

		for (j = i + 1; j < n && it[j].key == it[i].key; j++)
			;
		if (k == G_CIDR4 || k == G_CIDR6)
			qsort(it + i, j - i, sizeof(*it), item_value_cmp);
	}
	free(keys);
	free(t);
	free(dk);
	return it;
oom:
	free(it);
	free(keys);
	free(t);
	free(dk);
	return NULL;
}
