/* libFuzzer target: arbitrary bodies through the multipart/form-data parser (the first line of
 * the input, up to 100 bytes, is used as the Content-Type value). */
#include "multipart.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *nl = memchr(data, '\n', size < 100 ? size : 100);
    size_t ct_len = nl ? (size_t)(nl - (const char *)data) : 0;
    const char *ct = ct_len ? (const char *)data : "multipart/form-data; boundary=XyZ";
    if (!ct_len)
        ct_len = strlen(ct);
    const char *body = nl ? nl + 1 : (const char *)data;
    size_t len = nl ? size - ct_len - 1 : size;
    struct arena a;
    arena_init(&a, 4096);
    struct multipart_data *m = malloc(sizeof *m);
    const char *why;
    if (multipart_parse(ct, ct_len, body, len, &a, m, &why) == 0) {
        for (size_t i = 0; i < m->nfiles; i++)
            if (m->files[i].data < body || m->files[i].data + m->files[i].len > body + len)
                abort(); /* a file must lie inside the body */
    }
    free(m);
    arena_reset(&a);
    return 0;
}
