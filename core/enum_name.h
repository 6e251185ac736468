/* Names of enum values from a table indexed by the value: one bounds-checked lookup instead of a
 * switch per enum (instrument codes, class names, encoding names). An out-of-range value, or
 * one without a name, gives "?". */
#ifndef ITA_ENUM_NAME_H
#define ITA_ENUM_NAME_H

#include <stddef.h>

static inline const char *ita_enum_name(const char *const *names, size_t n, long value)
{
    return value >= 0 && (size_t)value < n && names[value] ? names[value] : "?";
}

/* ITA_ENUM_NAME(NAMES, v) for a static array NAMES whose element i names the value i. */
#define ITA_ENUM_NAME(names, value)                                                                \
    ita_enum_name((names), sizeof(names) / sizeof((names)[0]), (long)(value))

#endif
