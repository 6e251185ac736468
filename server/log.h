/* Structured logging (logfmt: key=value pairs, one event per line). Lines are queued in memory and
 * written by a dedicated thread, so a slow disk or pipe never blocks an event loop; when the queue
 * is full, lines are dropped and counted (log_dropped_lines) rather than stalling a worker. */
#ifndef ITA_LOG_H
#define ITA_LOG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum log_level { LOG_ERROR = 0, LOG_WARN = 1, LOG_INFO = 2, LOG_DEBUG = 3 };

/* Parses "error", "warn", "info", "debug"; -1 when unknown. */
int log_level_parse(const char *s);

/* Until log_start_thread is called, lines are written synchronously (start-up, tools). */
void log_set_level(enum log_level level);
/* Redirects output to fd (default 2). The fd is not closed by the log module. */
void log_set_fd(int fd);
void log_start_thread(void);
/* Flushes the queue and joins the writer; later lines are written synchronously. */
void log_stop_thread(void);

extern enum log_level log_current_level;
static inline bool log_enabled(enum log_level l)
{
    return l <= log_current_level;
}

/* fmt produces the key=value tail of the line; ts= and level= are prepended. */
void log_line(enum log_level level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Appends `key="value"` with quotes and backslashes escaped, control bytes as \xNN. */
void log_quote(char *dst, size_t dstlen, const char *src);

uint64_t log_dropped_lines(void);

#define log_error(...) log_line(LOG_ERROR, __VA_ARGS__)
#define log_warn(...) log_line(LOG_WARN, __VA_ARGS__)
#define log_info(...)                                                                              \
    do {                                                                                           \
        if (log_enabled(LOG_INFO))                                                                 \
            log_line(LOG_INFO, __VA_ARGS__);                                                       \
    } while (0)
#define log_debug(...)                                                                             \
    do {                                                                                           \
        if (log_enabled(LOG_DEBUG))                                                                \
            log_line(LOG_DEBUG, __VA_ARGS__);                                                      \
    } while (0)

#endif
