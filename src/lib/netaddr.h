/*
 * netaddr.h — is an address on the public internet? The server posts to addresses that users
 * typed (group robots); a post must never reach the server itself, the office network or a
 * cloud's metadata service (169.254.169.254). The check runs on the address a name resolved
 * to, never on the name, because a name can resolve to anything.
 * Pure functions, no allocation, safe from any thread.
 */
#ifndef TONGXIN_LIB_NETADDR_H
#define TONGXIN_LIB_NETADDR_H
#include <sys/socket.h>

/* 1 when sa (AF_INET or AF_INET6) is a public unicast address; 0 for loopback, private
 * (RFC 1918, IPv6 unique-local), shared (100.64/10), link-local, multicast, unspecified,
 * broadcast, reserved and documentation ranges — and for an IPv6 address that carries one of
 * those IPv4 addresses (IPv4-mapped ::ffff:a.b.c.d, NAT64 64:ff9b::/96, 6to4 2002::/16);
 * 0 for all of ::/96 (::, ::1, the deprecated IPv4-compatible form). Any other family: 0. */
int netaddr_is_public(const struct sockaddr *sa);

/* The same for an address written as text ("10.0.0.1", "::ffff:127.0.0.1"); 0 when the text
 * is not a numeric IPv4 or IPv6 address. */
int netaddr_text_is_public(const char *text);

#endif
