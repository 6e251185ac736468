/* Unit tests for the PROXY protocol v2 parser: IPv4, IPv6, LOCAL, arrival in pieces, and every
 * refusal (wrong signature, version, family, length). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "net/proxy_proto.h"

#include <string.h>

static const unsigned char SIG[12] = {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D,
                                      0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A};

static size_t header(unsigned char *b, unsigned ver_cmd, unsigned fam, const unsigned char *addr,
                     size_t alen)
{
    memcpy(b, SIG, 12);
    b[12] = (unsigned char)ver_cmd;
    b[13] = (unsigned char)fam;
    b[14] = (unsigned char)(alen >> 8);
    b[15] = (unsigned char)alen;
    memcpy(b + 16, addr, alen);
    return 16 + alen;
}

static void test_ipv4_in_pieces(void **state)
{
    unsigned char b[64], addr[12] = {10, 0, 0, 7, 192, 168, 1, 1, 0x30, 0x39, 0x20, 0xFB};
    size_t n = header(b, 0x21, 0x11, addr, sizeof addr);
    unsigned char ip[16];
    size_t ip_len = 99, need = 0;
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(proxy_v2_parse(b, i, &need, ip, &ip_len), PROXY_NEED_MORE);
        assert_int_equal(need, i < 16 ? 16 : n);
    }
    assert_int_equal(proxy_v2_parse(b, n, &need, ip, &ip_len), PROXY_DONE);
    assert_int_equal(ip_len, 4);
    assert_memory_equal(ip, addr, 4);
}

static void test_ipv6_local_and_tlvs(void **state)
{
    unsigned char b[128], addr[36 + 7] = {0x20, 0x01, 0x0d, 0xb8};
    addr[15] = 1;
    memcpy(addr + 36, "\x04\x00\x04test", 7); /* a TLV after the addresses is skipped */
    size_t n = header(b, 0x21, 0x21, addr, sizeof addr);
    unsigned char ip[16];
    size_t ip_len = 0, need;
    assert_int_equal(proxy_v2_parse(b, n, &need, ip, &ip_len), PROXY_DONE);
    assert_int_equal(ip_len, 16);
    assert_memory_equal(ip, addr, 16);
    n = header(b, 0x20, 0x00, addr, 0); /* LOCAL: no client address */
    assert_int_equal(proxy_v2_parse(b, n, &need, ip, &ip_len), PROXY_DONE);
    assert_int_equal(ip_len, 0);
}

static void test_refusals(void **state)
{
    unsigned char b[700], addr[600] = {0};
    unsigned char ip[16];
    size_t ip_len, need;
    assert_int_equal(proxy_v2_parse((const unsigned char *)"\x16\x03\x01", 3, &need, ip, &ip_len),
                     PROXY_INVALID); /* a TLS hello straight away */
    assert_int_equal(proxy_v2_parse((const unsigned char *)"PROXY TCP4 ", 11, &need, ip, &ip_len),
                     PROXY_INVALID);            /* version 1 text is not accepted */
    size_t n = header(b, 0x11, 0x11, addr, 12); /* version 1 in the binary form */
    assert_int_equal(proxy_v2_parse(b, n, &need, ip, &ip_len), PROXY_INVALID);
    n = header(b, 0x22, 0x11, addr, 12); /* unknown command */
    assert_int_equal(proxy_v2_parse(b, n, &need, ip, &ip_len), PROXY_INVALID);
    n = header(b, 0x21, 0x12, addr, 12); /* UDP */
    assert_int_equal(proxy_v2_parse(b, n, &need, ip, &ip_len), PROXY_INVALID);
    n = header(b, 0x21, 0x11, addr, 8); /* too short for IPv4 */
    assert_int_equal(proxy_v2_parse(b, n, &need, ip, &ip_len), PROXY_INVALID);
    n = header(b, 0x21, 0x11, addr, 600); /* longer than we take */
    assert_int_equal(proxy_v2_parse(b, 16, &need, ip, &ip_len), PROXY_INVALID);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ipv4_in_pieces),
        cmocka_unit_test(test_ipv6_local_and_tlvs),
        cmocka_unit_test(test_refusals),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
