/* Log queue and writer thread. Workers append formatted lines to a shared byte buffer under a
 * mutex (a memcpy, no I/O); the writer thread swaps buffers and writes them out. Errors and
 * warnings pass the repeated-line limiter (log.h) under the same mutex. */
#include "log.h"

#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define LOG_QUEUE_MAX (4u << 20) /* bytes queued before lines are dropped */
#define LOG_LINE_MAX 4096

enum log_level log_current_level = LOG_INFO;

static int log_fd = 2;
static pthread_mutex_t log_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t log_cv = PTHREAD_COND_INITIALIZER;
static char *queue_buf;      /* pending bytes */
static size_t queue_len;     /* bytes used in queue_buf */
static bool thread_running;  /* writer thread owns output */
static bool thread_stopping; /* writer should flush and exit */
static pthread_t writer;
static _Atomic uint64_t dropped;
static struct log_limit limiter; /* guarded by log_mu */
static bool summaries_waiting;   /* limiter holds counts to summarise (log_mu) */

static const char *const level_names[] = {"error", "warn", "info", "debug"};

int log_level_parse(const char *s)
{
    for (int i = 0; i < 4; i++)
        if (strcmp(s, level_names[i]) == 0)
            return i;
    return -1;
}

void log_set_level(enum log_level level)
{
    log_current_level = level;
}

void log_set_fd(int fd)
{
    log_fd = fd;
}

uint64_t log_dropped_lines(void)
{
    return atomic_load(&dropped);
}

static void write_all(const char *p, size_t n)
{
    while (n > 0) {
        ssize_t w = write(log_fd, p, n);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            return; /* nowhere left to report it */
        }
        p += w;
        n -= (size_t)w;
    }
}

/* ---- repeated lines ---- */

size_t log_message_key(const char *tail, size_t len)
{
    size_t n = 0;
    while (n < len && tail[n] != ' ' && tail[n] != '\n')
        n++;
    return n;
}

static uint64_t key_hash(enum log_level level, const char *key, size_t len)
{
    uint64_t h = 1469598103934665603ull ^ (uint64_t)level; /* FNV-1a */
    for (size_t i = 0; i < len; i++)
        h = (h ^ (unsigned char)key[i]) * 1099511628211ull;
    return h ? h : 1;
}

bool log_limit_admit(struct log_limit *l, enum log_level level, const char *key, size_t keylen,
                     int64_t now_ms, uint32_t *repeated)
{
    *repeated = 0;
    uint32_t per = l->per_window ? l->per_window : LOG_LIMIT_PER_SEC;
    if (keylen >= LOG_LIMIT_KEY_MAX)
        keylen = LOG_LIMIT_KEY_MAX - 1;
    uint64_t h = key_hash(level, key, keylen);
    struct log_limit_slot *slot = NULL, *reuse = NULL;
    for (size_t i = 0; i < 8; i++) {
        struct log_limit_slot *e = &l->slots[(h + i) % LOG_LIMIT_SLOTS];
        if (e->hash == h && e->level == level && strncmp(e->key, key, keylen) == 0 &&
            e->key[keylen] == '\0') {
            slot = e;
            break;
        }
        /* an empty slot, or one whose window is over with nothing left to summarise */
        bool idle =
            e->hash == 0 || (now_ms - e->start_ms >= LOG_LIMIT_WINDOW_MS && e->suppressed == 0);
        if (!reuse && idle)
            reuse = e;
    }
    if (!slot) {
        if (!reuse)
            return true; /* no room to track it: write it rather than lose it */
        slot = reuse;
        slot->hash = h;
        slot->level = level;
        memcpy(slot->key, key, keylen);
        slot->key[keylen] = '\0';
        slot->start_ms = now_ms;
        slot->written = 0;
        slot->suppressed = 0;
    }
    if (now_ms - slot->start_ms >= LOG_LIMIT_WINDOW_MS) {
        *repeated = slot->suppressed;
        slot->start_ms = now_ms;
        slot->written = 0;
        slot->suppressed = 0;
    }
    if (slot->written < per) {
        slot->written++;
        return true;
    }
    slot->suppressed++;
    return false;
}

bool log_limit_flush(struct log_limit *l, int64_t now_ms,
                     void (*emit)(enum log_level level, const char *key, uint32_t count, void *arg),
                     void *arg)
{
    bool waiting = false;
    for (size_t i = 0; i < LOG_LIMIT_SLOTS; i++) {
        struct log_limit_slot *e = &l->slots[i];
        if (e->hash == 0 || e->suppressed == 0)
            continue;
        if (now_ms - e->start_ms < LOG_LIMIT_WINDOW_MS) {
            waiting = true;
            continue;
        }
        emit(e->level, e->key, e->suppressed, arg);
        e->suppressed = 0;
        e->written = 0;
        e->start_ms = now_ms;
    }
    return waiting;
}

static int64_t mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* "ts=... level=... " into line; returns its length. */
static int line_prefix(char *line, size_t len, enum log_level level)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    struct tm tm;
    gmtime_r(&ts.tv_sec, &tm);
    return snprintf(line, len, "ts=%04d-%02d-%02dT%02d:%02d:%02d.%03ldZ level=%s ",
                    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                    ts.tv_nsec / 1000000, level_names[level]);
}

/* Writes or queues one finished line (log_mu held). */
static void put_locked(const char *line, size_t len)
{
    if (!thread_running) {
        write_all(line, len);
    } else if (queue_len + len > LOG_QUEUE_MAX) {
        atomic_fetch_add(&dropped, 1);
    } else {
        bool was_empty = queue_len == 0;
        memcpy(queue_buf + queue_len, line, len);
        queue_len += len;
        if (was_empty) /* the writer only sleeps on an empty queue */
            pthread_cond_signal(&log_cv);
    }
}

static void put_summary_locked(enum log_level level, const char *key, uint32_t count, void *arg)
{
    (void)arg;
    char line[LOG_LIMIT_KEY_MAX + 128];
    int n = line_prefix(line, sizeof line, level);
    n += snprintf(line + n, sizeof line - (size_t)n, "%s repeated=%u window_ms=%d\n", key, count,
                  LOG_LIMIT_WINDOW_MS);
    put_locked(line, (size_t)n < sizeof line ? (size_t)n : sizeof line - 1);
}

static void *writer_main(void *arg)
{
    (void)arg;
    char *local = malloc(LOG_QUEUE_MAX);
    if (!local)
        abort();
    pthread_mutex_lock(&log_mu);
    for (;;) {
        while (queue_len == 0 && !thread_stopping) {
            if (!summaries_waiting) {
                pthread_cond_wait(&log_cv, &log_mu);
                continue;
            }
            /* lines were suppressed: summarise them once their second is over */
            struct timespec until;
            clock_gettime(CLOCK_REALTIME, &until);
            until.tv_nsec += 200 * 1000 * 1000;
            if (until.tv_nsec >= 1000000000) {
                until.tv_sec++;
                until.tv_nsec -= 1000000000;
            }
            pthread_cond_timedwait(&log_cv, &log_mu, &until);
            summaries_waiting = log_limit_flush(&limiter, mono_ms(), put_summary_locked, NULL);
        }
        if (queue_len == 0 && thread_stopping)
            break;
        if (!thread_stopping) {
            /* let lines gather for a moment: one write (and one wake-up) per few ms instead of
             * one per request under load */
            pthread_mutex_unlock(&log_mu);
            struct timespec pause = {0, 5 * 1000 * 1000};
            nanosleep(&pause, NULL);
            pthread_mutex_lock(&log_mu);
        }
        size_t n = queue_len;
        memcpy(local, queue_buf, n);
        queue_len = 0;
        pthread_mutex_unlock(&log_mu);
        write_all(local, n);
        pthread_mutex_lock(&log_mu);
    }
    pthread_mutex_unlock(&log_mu);
    free(local);
    return NULL;
}

void log_start_thread(void)
{
    pthread_mutex_lock(&log_mu);
    if (!queue_buf) {
        queue_buf = malloc(LOG_QUEUE_MAX);
        if (!queue_buf)
            abort();
    }
    thread_stopping = false;
    thread_running = true;
    pthread_mutex_unlock(&log_mu);
    if (pthread_create(&writer, NULL, writer_main, NULL) != 0) {
        pthread_mutex_lock(&log_mu);
        thread_running = false;
        pthread_mutex_unlock(&log_mu);
    }
}

void log_stop_thread(void)
{
    pthread_mutex_lock(&log_mu);
    if (!thread_running) {
        pthread_mutex_unlock(&log_mu);
        return;
    }
    thread_stopping = true;
    pthread_cond_signal(&log_cv);
    pthread_mutex_unlock(&log_mu);
    pthread_join(writer, NULL);
    pthread_mutex_lock(&log_mu);
    thread_running = false;
    pthread_mutex_unlock(&log_mu);
}

void log_quote(char *dst, size_t dstlen, const char *src)
{
    size_t o = 0;
    if (dstlen < 3) {
        if (dstlen)
            dst[0] = '\0';
        return;
    }
    dst[o++] = '"';
    for (const unsigned char *s = (const unsigned char *)src; *s && o + 5 < dstlen; s++) {
        if (*s == '"' || *s == '\\') {
            dst[o++] = '\\';
            dst[o++] = (char)*s;
        } else if (*s < 0x20 || *s == 0x7f) {
            o += (size_t)snprintf(dst + o, dstlen - o, "\\x%02x", *s);
        } else {
            dst[o++] = (char)*s;
        }
    }
    dst[o++] = '"';
    dst[o] = '\0';
}

void log_line(enum log_level level, const char *fmt, ...)
{
    if (!log_enabled(level))
        return;
    char line[LOG_LINE_MAX];
    int n = line_prefix(line, sizeof line, level);
    va_list ap;
    va_start(ap, fmt);
    int m = vsnprintf(line + n, sizeof line - (size_t)n - 1, fmt, ap);
    va_end(ap);
    size_t len = (size_t)n + (m < 0 ? 0 : (size_t)m);
    if (len > sizeof line - 2)
        len = sizeof line - 2;
    line[len++] = '\n';

    pthread_mutex_lock(&log_mu);
    if (level <= LOG_WARN) {
        const char *tail = line + n;
        size_t klen = log_message_key(tail, len - (size_t)n);
        uint32_t repeated = 0;
        bool admit = log_limit_admit(&limiter, level, tail, klen, mono_ms(), &repeated);
        if (repeated) {
            char key[LOG_LIMIT_KEY_MAX];
            size_t k = klen < sizeof key - 1 ? klen : sizeof key - 1;
            memcpy(key, tail, k);
            key[k] = '\0';
            put_summary_locked(level, key, repeated, NULL);
        }
        if (!admit) {
            summaries_waiting = true;
            if (thread_running)
                pthread_cond_signal(&log_cv); /* the writer times its summary */
            pthread_mutex_unlock(&log_mu);
            return;
        }
    }
    put_locked(line, len);
    pthread_mutex_unlock(&log_mu);
}
