/*
 * cidr.h: IPv4/IPv6 addresses and prefixes, for home_net and indicators.
 */
#ifndef SANKAKU_CIDR_H
#define SANKAKU_CIDR_H

#include <stddef.h>
#include <stdint.h>

struct cidr {
	int family;	   /* AF_INET or AF_INET6 */
	uint8_t addr[16];  /* network byte order; IPv4 in the first 4 */
	unsigned int bits; /* prefix length */
};

/* Parse "a.b.c.d[/n]" or "x::y[/n]"; 0 or -1. Host bits must be zero
 * unless allow_host_bits. */
int cidr_parse(const char *, struct cidr *, int allow_host_bits);
/* 1 if the textual address is inside the prefix, 0 if not or unparsable. */
int cidr_contains(const struct cidr *, const char *addr);
/* 1 if the binary address (family, 4 or 16 bytes) is inside the prefix. */
int cidr_match(const struct cidr *, int family, const unsigned char *addr);
/* 1 if the textual address is inside any of the n prefixes. */
int cidr_list_has(const struct cidr *, size_t n, const char *addr);
/* Write the canonical text of the prefix ("10.0.0.0/8", "2001:db8::/32"),
 * without "/n" for a full-length prefix. */
void cidr_format(const struct cidr *, char *buf, size_t len);
/* Rewrite an IPv6 address in place in its canonical form ("2001:db8::1");
 * anything else is left alone. */
void cidr_canon_addr(char *addr, size_t len);

#endif
