/* Log queue and writer thread. Workers append formatted lines to a shared byte buffer under a
 * mutex (a memcpy, no I/O); the writer thread swaps buffers and writes them out. */
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

static void *writer_main(void *arg)
{
    (void)arg;
    char *local = malloc(LOG_QUEUE_MAX);
    if (!local)
        abort();
    pthread_mutex_lock(&log_mu);
    for (;;) {
        while (queue_len == 0 && !thread_stopping)
            pthread_cond_wait(&log_cv, &log_mu);
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
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    struct tm tm;
    gmtime_r(&ts.tv_sec, &tm);
    int n = snprintf(line, sizeof line, "ts=%04d-%02d-%02dT%02d:%02d:%02d.%03ldZ level=%s ",
                     tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                     ts.tv_nsec / 1000000, level_names[level]);
    va_list ap;
    va_start(ap, fmt);
    int m = vsnprintf(line + n, sizeof line - (size_t)n - 1, fmt, ap);
    va_end(ap);
    size_t len = (size_t)n + (m < 0 ? 0 : (size_t)m);
    if (len > sizeof line - 2)
        len = sizeof line - 2;
    line[len++] = '\n';

    pthread_mutex_lock(&log_mu);
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
    pthread_mutex_unlock(&log_mu);
}
