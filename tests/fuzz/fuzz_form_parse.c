/* libFuzzer target for the urlencoded form parser: never crashes, never reads past the input,
 * and what it returns is NUL-terminated text without embedded NULs. */
#include "arena.h"
#include "net/form_parse.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct form_data f;
    struct arena a;
    arena_init(&a, 4096);
    const char *why = NULL;
    if (form_parse((const char *)data, size, &a, &f, &why) == 0) {
        if (f.n > FORM_MAX_PAIRS)
            abort();
        for (size_t i = 0; i < f.n; i++)
            if (strlen(f.pairs[i].name) > size || strlen(f.pairs[i].value) > size)
                abort();
    } else if (!why) {
        abort();
    }
    arena_reset(&a);
    return 0;
}
