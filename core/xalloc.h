/* One out-of-memory policy for the whole project: allocation wrappers that abort with a message on
 * exhaustion and check n * size for overflow. Tests can make the n-th allocation fail to exercise
 * error paths (see xalloc_fail_after). */
#ifndef ITA_XALLOC_H
#define ITA_XALLOC_H

#include <stddef.h>

/* All return memory the caller frees with free(); none returns NULL. */
void *xmalloc(size_t size);
void *xcalloc(size_t n, size_t size);
void *xreallocarray(void *ptr, size_t n, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
/* printf into a new string. */
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Fault injection for tests: after `n` more successful allocations, the next one fails
 * (and, because the policy is to abort, the process ends with the OOM message). -1 disables. */
void xalloc_fail_after(long n);

#endif
