/* Unit tests for the outgoing-address check (lib/netaddr.c): a table of addresses a user could
 * make the server post to, each with the answer it must get. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "lib/netaddr.h"

static const struct {
	const char *addr;
	int is_public;
} table[] = {
    /* public: the official robot hosts resolve to addresses like these */
    {"8.8.8.8", 1},
    {"1.1.1.1", 1},
    {"101.91.40.52", 1},
    {"203.119.129.1", 1},
    {"172.15.255.255", 1}, /* just below 172.16/12 */
    {"172.32.0.0", 1},     /* just above */
    {"100.63.255.255", 1}, /* just below 100.64/10 */
    {"100.128.0.0", 1},    /* just above */
    {"169.253.255.255", 1},
    {"223.255.255.255", 1}, /* the last address before multicast */
    {"2400:3200::1", 1},
    {"2001:4860:4860::8888", 1},
    {"::ffff:8.8.8.8", 1}, /* an IPv4-mapped public address is public */
    {"64:ff9b::808:808", 1},
    {"2002:0808:0808::1", 1},
    /* loopback */
    {"127.0.0.1", 0},
    {"127.255.255.254", 0},
    {"::1", 0},
    /* unspecified and "this network" */
    {"0.0.0.0", 0},
    {"0.1.2.3", 0},
    {"::", 0},
    /* private */
    {"10.0.0.1", 0},
    {"10.255.255.255", 0},
    {"172.16.0.1", 0},
    {"172.31.255.255", 0},
    {"192.168.1.1", 0},
    {"100.64.0.1", 0},
    {"100.127.255.255", 0},
    {"fc00::1", 0},
    {"fd12:3456:789a::1", 0},
    /* link-local, the cloud metadata service */
    {"169.254.169.254", 0},
    {"169.254.0.1", 0},
    {"fe80::1", 0},
    {"febf::1", 0},
    {"fec0::1", 0}, /* deprecated site-local */
    /* multicast, broadcast, reserved */
    {"224.0.0.1", 0},
    {"239.255.255.250", 0},
    {"255.255.255.255", 0},
    {"240.0.0.1", 0},
    {"ff02::1", 0},
    {"ff05::2", 0},
    /* documentation, benchmarking, protocol assignments, discard */
    {"192.0.2.10", 0},
    {"198.51.100.7", 0},
    {"203.0.113.9", 0},
    {"198.18.0.1", 0},
    {"198.19.255.255", 0},
    {"192.0.0.8", 0},
    {"2001:db8::1", 0},
    {"100::1", 0},
    /* IPv6 forms that carry an inside IPv4 address */
    {"::ffff:127.0.0.1", 0},
    {"::ffff:7f00:1", 0},
    {"::ffff:10.0.0.1", 0},
    {"::ffff:169.254.169.254", 0},
    {"::ffff:192.168.0.1", 0},
    {"::ffff:0.0.0.0", 0},
    {"::127.0.0.1", 0}, /* IPv4-compatible (deprecated) */
    {"::8.8.8.8", 0},
    {"64:ff9b::7f00:1", 0},
    {"64:ff9b::a9fe:a9fe", 0},
    {"2002:7f00:0001::1", 0},
    {"2002:c0a8:0101::1", 0},
    /* not numeric addresses: never public (the caller resolves names first) */
    {"localhost", 0},
    {"", 0},
    {"127.1", 0},
    {"0x7f000001", 0},
    {"2130706433", 0},
    {"1.2.3.4.5", 0},
};

static void test_each_address_in_the_table(void **state)
{
	(void)state;
	int wrong = 0;
	for (size_t i = 0; i < sizeof table / sizeof table[0]; i++) {
		int got = netaddr_text_is_public(table[i].addr);
		if (got != table[i].is_public) {
			fprintf(stderr, "%s: expected %d, got %d\n", table[i].addr,
			        table[i].is_public, got);
			wrong++;
		}
	}
	assert_int_equal(wrong, 0);
}

static void test_other_families_and_null_are_refused(void **state)
{
	(void)state;
	struct sockaddr sa = {.sa_family = AF_UNIX};
	assert_int_equal(netaddr_is_public(&sa), 0);
	assert_int_equal(netaddr_is_public(NULL), 0);
	assert_int_equal(netaddr_text_is_public(NULL), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_each_address_in_the_table),
	    cmocka_unit_test(test_other_families_and_null_are_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
