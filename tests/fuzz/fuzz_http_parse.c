/* libFuzzer target for the HTTP request-head parser. Build with clang:
 *   cmake -S . -B build/fuzz -DCMAKE_C_COMPILER=clang -DITA_FUZZ=ON && cmake --build build/fuzz
 *   build/fuzz/fuzz_http_parse -max_total_time=60 */
#include "net/http_parse.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const struct http_limits lim = {
        .max_head_bytes = 8192, .max_target_bytes = 4096, .max_body_bytes = 1 << 20};
    struct http_request_head h;
    struct http_parse_error e;
    enum http_parse_result r = http_parse_request_head((const char *)data, size, &lim, &h, &e);
    if (r == HTTP_PARSE_DONE) {
        if (h.head_len > size || h.target < (const char *)data ||
            h.target + h.target_len > (const char *)data + size || h.num_headers > HTTP_MAX_HEADERS)
            abort();
        /* the head alone parses to the same result */
        struct http_request_head h2;
        if (http_parse_request_head((const char *)data, h.head_len, &lim, &h2, &e) !=
                HTTP_PARSE_DONE ||
            h2.head_len != h.head_len || h2.content_length != h.content_length)
            abort();
    } else if (r == HTTP_PARSE_ERROR) {
        if (e.status < 400 || e.status > 505 || !e.message)
            abort();
    }
    return 0;
}
