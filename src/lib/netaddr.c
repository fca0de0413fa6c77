#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdint.h>
#include <string.h>
#include "lib/netaddr.h"

/* Ranges that are not the public internet (IANA special-purpose registry, RFC 6890 and its
 * updates), as (first address, prefix length). 0.0.0.0/8 holds the unspecified address. */
static const struct {
	uint32_t net;
	int bits;
} v4_blocked[] = {
    {0x00000000u, 8},  /* 0.0.0.0/8 "this network", unspecified */
    {0x0A000000u, 8},  /* 10/8 private */
    {0x64400000u, 10}, /* 100.64/10 shared (carrier-grade NAT) */
    {0x7F000000u, 8},  /* 127/8 loopback */
    {0xA9FE0000u, 16}, /* 169.254/16 link-local, cloud metadata */
    {0xAC100000u, 12}, /* 172.16/12 private */
    {0xC0000000u, 24}, /* 192.0.0/24 protocol assignments */
    {0xC0000200u, 24}, /* 192.0.2/24 documentation */
    {0xC0A80000u, 16}, /* 192.168/16 private */
    {0xC6120000u, 15}, /* 198.18/15 benchmarking */
    {0xC6336400u, 24}, /* 198.51.100/24 documentation */
    {0xCB007100u, 24}, /* 203.0.113/24 documentation */
    {0xE0000000u, 4},  /* 224/4 multicast */
    {0xF0000000u, 4},  /* 240/4 reserved, 255.255.255.255 broadcast */
};

static int v4_public(uint32_t a)
{
	for (size_t i = 0; i < sizeof v4_blocked / sizeof v4_blocked[0]; i++) {
		uint32_t mask = 0xFFFFFFFFu << (32 - v4_blocked[i].bits);
		if ((a & mask) == v4_blocked[i].net)
			return 0;
	}
	return 1;
}

static uint32_t v4_at(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static int v6_public(const unsigned char a[16])
{
	static const unsigned char zero[12] = {0};
	static const unsigned char mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF};
	static const unsigned char nat64[12] = {0, 0x64, 0xFF, 0x9B};
	/* ::/96 holds ::, ::1 and the deprecated IPv4-compatible form: never a destination */
	if (memcmp(a, zero, 12) == 0)
		return 0;
	/* an IPv6 form of an IPv4 address reaches that IPv4 address: judge it as one */
	if (memcmp(a, mapped, 12) == 0 || memcmp(a, nat64, 12) == 0)
		return v4_public(v4_at(a + 12));
	if (a[0] == 0x20 && a[1] == 0x02) /* 6to4: the IPv4 address follows the prefix */
		return v4_public(v4_at(a + 2));
	if (a[0] == 0xFF) /* ff00::/8 multicast */
		return 0;
	if ((a[0] & 0xFE) == 0xFC) /* fc00::/7 unique local */
		return 0;
	if (a[0] == 0xFE && (a[1] & 0x80) == 0x80) /* fe80::/10 link-local, fec0::/10 site-local */
		return 0;
	if (a[0] == 0x20 && a[1] == 0x01 && a[2] == 0x0D && a[3] == 0xB8) /* 2001:db8::/32 docs */
		return 0;
	if (a[0] == 0x01 && a[1] == 0 && memcmp(a + 2, zero, 6) == 0) /* 100::/64 discard */
		return 0;
	return 1;
}

int netaddr_is_public(const struct sockaddr *sa)
{
	if (!sa)
		return 0;
	if (sa->sa_family == AF_INET) {
		const struct sockaddr_in *in = (const struct sockaddr_in *)(const void *)sa;
		return v4_public(ntohl(in->sin_addr.s_addr));
	}
	if (sa->sa_family == AF_INET6) {
		const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)(const void *)sa;
		return v6_public(in6->sin6_addr.s6_addr);
	}
	return 0;
}

int netaddr_text_is_public(const char *text)
{
	struct sockaddr_in in = {.sin_family = AF_INET};
	struct sockaddr_in6 in6 = {.sin6_family = AF_INET6};
	if (text && inet_pton(AF_INET, text, &in.sin_addr) == 1)
		return netaddr_is_public((const struct sockaddr *)&in);
	if (text && inet_pton(AF_INET6, text, &in6.sin6_addr) == 1)
		return netaddr_is_public((const struct sockaddr *)&in6);
	return 0;
}
