/*
 * cidr.c: address prefixes with inet_pton, no allocation.
 */

#include <sys/socket.h>

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cidr.h"

/* Parse an address or prefix. */
int
cidr_parse(const char *s, struct cidr *out, int allow_host_bits)
{
	char buf[64];
	const char *slash = strchr(s, '/');
	size_t n = slash != NULL ? (size_t)(slash - s) : strlen(s);
	unsigned int max, i;

	if (n == 0 || n >= sizeof(buf))
		return -1;
	memcpy(buf, s, n);
	buf[n] = '\0';
	memset(out, 0, sizeof(*out));
	if (inet_pton(AF_INET, buf, out->addr) == 1) {
		out->family = AF_INET;
		max = 32;
	} else if (inet_pton(AF_INET6, buf, out->addr) == 1) {
		out->family = AF_INET6;
		max = 128;
	} else
		return -1;
	out->bits = max;
	if (slash != NULL) {
		char *end;
		long v;

		if (slash[1] < '0' || slash[1] > '9')
			return -1;
		errno = 0;
		v = strtol(slash + 1, &end, 10);
		if (errno != 0 || *end != '\0' || v < 0 || v > (long)max)
			return -1;
		out->bits = (unsigned int)v;
	}
	for (i = out->bits; i < max; i++) {
		if (out->addr[i / 8] & (0x80u >> (i % 8))) {
			if (!allow_host_bits)
				return -1;
			out->addr[i / 8] &= (uint8_t) ~(0x80u >> (i % 8));
		}
	}
	return 0;
}

/* Test membership of a binary address. */
int
cidr_match(const struct cidr *c, int family, const unsigned char *a)
{
	unsigned int i;

	if (family != c->family)
		return 0;
	for (i = 0; i < c->bits / 8; i++)
		if (a[i] != c->addr[i])
			return 0;
	if (c->bits % 8 != 0) {
		uint8_t mask = (uint8_t)(0xffu << (8 - c->bits % 8));

		if ((a[i] & mask) != c->addr[i])
			return 0;
	}
	return 1;
}

/* Test membership of a textual address. */
int
cidr_contains(const struct cidr *c, const char *addr)
{
	uint8_t a[16];

	if (inet_pton(c->family, addr, a) != 1)
		return 0;
	return cidr_match(c, c->family, a);
}

/* Format canonically. */
void
cidr_format(const struct cidr *c, char *buf, size_t len)
{
	char a[INET6_ADDRSTRLEN];
	unsigned int max = c->family == AF_INET ? 32 : 128;

	if (inet_ntop(c->family, c->addr, a, sizeof(a)) == NULL)
		a[0] = '\0';
	if (c->bits == max)
		snprintf(buf, len, "%s", a);
	else
		snprintf(buf, len, "%s/%u", a, c->bits);
}

/* An IPv6 address rewritten in place in its canonical, shortest form
 * (RFC 5952: Suricata writes "2001:0db8:0000:…" in full); anything else
 * is left as it is. */
void
cidr_canon_addr(char *addr, size_t len)
{
	struct cidr c;

	if (strchr(addr, ':') != NULL && cidr_parse(addr, &c, 0) == 0 &&
	    c.family == AF_INET6)
		cidr_format(&c, addr, len);
}

/* Whether a textual address is inside any of n prefixes (parsed once). */
int
cidr_list_has(const struct cidr *list, size_t n, const char *addr)
{
	unsigned char a[16];
	int family;
	size_t i;

	if (addr == NULL)
		return 0;
	family = strchr(addr, ':') != NULL ? AF_INET6 : AF_INET;
	if (inet_pton(family, addr, a) != 1)
		return 0;
	for (i = 0; i < n; i++)
		if (cidr_match(&list[i], family, a))
			return 1;
	return 0;
}
