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

/* ---- repeated lines ----
 * Errors and warnings are rate-limited per message key (the level and the line's first logfmt
 * pair, normally "event=..."): within one second at most LOG_LIMIT_PER_SEC lines of a key are
 * written; the rest are counted, and one line "<key> repeated=K" summarises them once the second
 * is over (written by the writer thread, or before the key's next line). A full disk or a lost
 * database thus writes a few lines a second instead of thousands. Info and debug lines (the
 * access log) are never limited. The limiter itself is pure: the caller passes the clock. */
#define LOG_LIMIT_PER_SEC 10
#define LOG_LIMIT_WINDOW_MS 1000
#define LOG_LIMIT_SLOTS 64
#define LOG_LIMIT_KEY_MAX 64

struct log_limit_slot {
    uint64_t hash;                /* of level and key; 0 = empty */
    enum log_level level;         /* the key's level */
    char key[LOG_LIMIT_KEY_MAX];  /* message key, for the summary line */
    int64_t start_ms;             /* when the current window began */
    uint32_t written, suppressed; /* lines of this window */
};

struct log_limit {
    uint32_t per_window; /* lines written per window and key (0: LOG_LIMIT_PER_SEC) */
    struct log_limit_slot slots[LOG_LIMIT_SLOTS];
};

/* The message key of a formatted line tail: up to its first space. */
size_t log_message_key(const char *tail, size_t len);

/* Whether a line of level and key (keylen bytes) may be written at now_ms (any monotonic
 * milliseconds). *repeated receives the number of this key's lines suppressed in its window that
 * just ended (write its summary first), 0 when none. */
bool log_limit_admit(struct log_limit *l, enum log_level level, const char *key, size_t keylen,
                     int64_t now_ms, uint32_t *repeated);

/* For every key whose window has ended by now_ms with lines suppressed: emit(level, key,
 * count, arg), then forgets them. Returns whether suppressed lines are still waiting for their
 * window to end. */
bool log_limit_flush(struct log_limit *l, int64_t now_ms,
                     void (*emit)(enum log_level level, const char *key, uint32_t count, void *arg),
                     void *arg);

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
