/* libFuzzer target: arbitrary bodies through the multipart/form-data parser (the first line of
 * the input, up to 100 bytes, is used as the Content-Type value). */
#include "net/multipart.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *nl = memchr(data, '\n', size < 100 ? size : 100);
    size_t first = nl ? (size_t)(nl - (const char *)data) : 0; /* the Content-Type line */
    const char *body = nl ? nl + 1 : (const char *)data;
    size_t len = nl ? size - first - 1 : size;
    const char *ct = first ? (const char *)data : "multipart/form-data; boundary=XyZ";
    size_t ct_len = first ? first : strlen(ct);
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
