/* PROXY protocol v2 parser (see proxy_proto.h), after HAProxy's proxy-protocol.txt §2.2. */
#include "proxy_proto.h"

#include <string.h>

static const unsigned char SIG[12] = {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D,
                                      0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A};

enum proxy_result proxy_v2_parse(const unsigned char *buf, size_t len, size_t *need,
                                 unsigned char ip[16], size_t *ip_len)
{
    *need = 16;
    size_t check = len < 12 ? len : 12;
    if (memcmp(buf, SIG, check) != 0)
        return PROXY_INVALID;
    if (len < 16)
        return PROXY_NEED_MORE;
    unsigned ver_cmd = buf[12], fam = buf[13];
    size_t body = ((size_t)buf[14] << 8) | buf[15];
    if ((ver_cmd & 0xF0) != 0x20 || (ver_cmd & 0x0F) > 1 || 16 + body > PROXY_V2_MAX)
        return PROXY_INVALID;
    *need = 16 + body;
    if (len < *need)
        return PROXY_NEED_MORE;
    *ip_len = 0;
    if ((ver_cmd & 0x0F) == 0) /* LOCAL: the balancer's own connection (health checks) */
        return PROXY_DONE;
    if (fam == 0x11) { /* TCP over IPv4 */
        if (body < 12)
            return PROXY_INVALID;
        memcpy(ip, buf + 16, 4);
        *ip_len = 4;
    } else if (fam == 0x21) { /* TCP over IPv6 */
        if (body < 36)
            return PROXY_INVALID;
        memcpy(ip, buf + 16, 16);
        *ip_len = 16;
    } else {
        return PROXY_INVALID; /* UDP, unix sockets, unspecified with PROXY: not for us */
    }
    return PROXY_DONE;
}
