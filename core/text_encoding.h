/* Uploaded text to UTF-8: what Thai Excel saves as "CSV" is Windows-874 (a TIS-620 superset),
 * "CSV UTF-8" is UTF-8 with a byte order mark. Everything after this step is UTF-8.
 *
 * Rules, in order: a UTF-16/UTF-32 byte order mark or any NUL byte is refused (Excel's
 * "Unicode Text" is UTF-16 and is tab-separated anyway); a UTF-8 BOM is stripped; valid UTF-8
 * (which includes plain ASCII) is kept as is; anything else is converted from Windows-874 with
 * iconv, and bytes Windows-874 leaves undefined are refused. Messages are Thai, for the clerk. */
#ifndef ITA_TEXT_ENCODING_H
#define ITA_TEXT_ENCODING_H

#include "strbuf.h"

#include <stdbool.h>
#include <stddef.h>

enum ita_text_encoding {
    ITA_ENC_UTF8,        /* valid UTF-8 (or ASCII) without a byte order mark */
    ITA_ENC_UTF8_BOM,    /* UTF-8 with a byte order mark (Excel "CSV UTF-8") */
    ITA_ENC_WINDOWS_874, /* converted from Windows-874 / TIS-620 (Excel "CSV" on Thai Windows) */
};

struct ita_text {
    const char *data; /* UTF-8 without BOM; points into the input or into scratch */
    size_t len;       /* bytes at data (no NUL counted; data[len] is not guaranteed) */
    enum ita_text_encoding encoding; /* what was detected */
    const char *error;               /* static Thai message on failure, NULL on success */
    unsigned long error_line;        /* 1-based line of the offending byte; 0 = whole file */
};

/* Decodes `len` bytes at `in`. `scratch` (initialised by the caller, who also frees it) receives
 * the converted text when conversion is needed; `out->data` then points into it, otherwise into
 * `in`, so both must outlive `out`. Returns 0, or -1 with out->error (and error_line) set. */
int ita_text_to_utf8(const void *in, size_t len, struct strbuf *scratch, struct ita_text *out)
    __attribute__((warn_unused_result));

/* True when the `len` bytes at `s` are well-formed UTF-8 (no overlongs, surrogates or code
 * points beyond U+10FFFF). NUL bytes count as valid here. */
bool ita_utf8_valid(const void *s, size_t len);

/* "UTF-8", "UTF-8 (BOM)" or "Windows-874": for logs and the import summary. */
const char *ita_text_encoding_name(enum ita_text_encoding e);

#endif
