/* A citizen's network link in user space, for `scripts/bench net`: two TUN devices, one in this
 * process's network namespace (the server side) and one inside a named namespace (the phone),
 * joined by this process, which forwards every IP packet with a per-direction rate (the packet
 * leaves the "radio" when the previous one has been serialised: size × 8 / rate) and then a
 * one-way delay (half the round-trip time), like `tc netem delay D rate R` on each end of a veth
 * pair. It exists because the kernels this runs on may have no sch_netem (nor tbf); it behaves the
 * same everywhere. The queue per direction is bounded by bytes (large: nothing is dropped in
 * practice, and drops are counted).
 *
 * Every packet is logged (at delivery: time, direction, IP length, the client's TCP port, causal
 * depth, time it was taken from its device). Its causal depth: a packet's depth is one more than
 * the deepest packet its sender had received on that connection when it sent it (the client's SYN
 * is 1, the SYN-ACK 2, ...). The depth of the last server packet a client read before some moment,
 * divided by 2, is the number of round trips the client waited through until then: handshakes,
 * request/response and TCP's slow-start rounds alike. bench/netclient.py joins this log with its
 * own timestamps (both CLOCK_MONOTONIC).
 *
 *   netshape --netns NAME --host-if IF --client-if IF --rtt-ms MS --down-kbit K --up-kbit K
 *            [--queue-bytes N] --log FILE
 *
 * It prints "ready" once both devices exist (the caller then gives them addresses) and runs until
 * SIGTERM/SIGINT, when it writes the log and a summary line to stderr. */
#define _GNU_SOURCE /* setns */
#include <errno.h>
#include <fcntl.h>
#include <linux/if.h>
#include <linux/if_tun.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#define MAX_PKT 65536
#define QCAP 8192 /* packets per direction in flight (ring) */

enum { UP, DOWN }; /* UP: phone → server; DOWN: server → phone */

struct pkt {
    uint64_t deliver_ns;
    uint64_t taken_ns; /* when it was read from its device (for the log) */
    uint16_t len;
    uint16_t cport; /* the client's TCP port, 0 when not TCP */
    uint32_t depth;
    unsigned char *data;
};

struct dir {
    int in_fd, out_fd;
    uint64_t rate_bps; /* bits per second */
    uint64_t free_ns;  /* when the "radio" finishes the previous packet */
    uint64_t queued_bytes;
    struct pkt ring[QCAP];
    size_t head, n;
    uint64_t packets, bytes, drops;
};

struct conn_depth {
    uint32_t client_seen; /* deepest packet delivered to the client on this connection */
    uint32_t server_seen; /* deepest packet delivered to the server */
};

static struct conn_depth conns[65536];
static volatile sig_atomic_t stop;
static uint64_t owd_ns, queue_limit = 4u << 20;

/* The log: one line per delivered packet, kept in memory and written at the end so that writing
 * it never delays a packet. */
static char *logbuf;
static size_t loglen, logcap;

static uint64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static void on_signal(int sig)
{
    (void)sig;
    stop = 1;
}

static void die(const char *what)
{
    fprintf(stderr, "netshape: %s: %s\n", what, strerror(errno));
    exit(1);
}

static int tun_open(const char *name)
{
    int fd = open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0)
        die("/dev/net/tun");
    struct ifreq ifr;
    memset(&ifr, 0, sizeof ifr);
    ifr.ifr_flags = IFF_TUN | IFF_NO_PI;
    snprintf(ifr.ifr_name, sizeof ifr.ifr_name, "%s", name);
    if (ioctl(fd, TUNSETIFF, &ifr) < 0)
        die(name);
    return fd;
}

/* The client's port of an IPv4 TCP packet (source port going up, destination port going down),
 * 0 otherwise; *syn is set for a SYN without ACK. */
static uint16_t client_port(const unsigned char *p, size_t len, int d, bool *syn)
{
    *syn = false;
    if (len < 20 || (p[0] >> 4) != 4 || p[9] != 6)
        return 0;
    size_t ihl = (size_t)(p[0] & 15) * 4;
    if (len < ihl + 14)
        return 0;
    const unsigned char *t = p + ihl;
    uint8_t flags = t[13];
    *syn = (flags & 0x02) && !(flags & 0x10);
    return d == UP ? (uint16_t)(t[0] << 8 | t[1]) : (uint16_t)(t[2] << 8 | t[3]);
}

static void log_pkt(int d, const struct pkt *k)
{
    if (logcap - loglen < 96) {
        logcap = logcap ? 2 * logcap : 1u << 20;
        logbuf = realloc(logbuf, logcap);
        if (!logbuf)
            die("out of memory");
    }
    loglen += (size_t)snprintf(logbuf + loglen, logcap - loglen, "%llu %s %u %u %u %llu\n",
                               (unsigned long long)k->deliver_ns, d == UP ? "up" : "down", k->len,
                               k->cport, k->depth, (unsigned long long)k->taken_ns);
}

/* Reads every packet waiting on the direction's input and queues it. */
static void take(struct dir *dr, int d)
{
    for (;;) {
        unsigned char buf[MAX_PKT];
        ssize_t n = read(dr->in_fd, buf, sizeof buf);
        if (n < 0) {
            if (errno == EAGAIN || errno == EINTR)
                return;
            die("read");
        }
        if (n == 0)
            return;
        uint64_t now = now_ns();
        if (dr->n == QCAP || dr->queued_bytes + (uint64_t)n > queue_limit) {
            dr->drops++;
            continue;
        }
        bool syn;
        uint16_t cp = client_port(buf, (size_t)n, d, &syn);
        struct conn_depth *c = &conns[cp];
        if (cp && syn && d == UP)
            memset(c, 0, sizeof *c);
        struct pkt *k = &dr->ring[(dr->head + dr->n) % QCAP];
        k->len = (uint16_t)n;
        k->taken_ns = now;
        k->cport = cp;
        k->depth = cp ? (d == UP ? c->client_seen : c->server_seen) + 1 : 0;
        k->data = malloc((size_t)n);
        if (!k->data)
            die("out of memory");
        memcpy(k->data, buf, (size_t)n);
        uint64_t start = dr->free_ns > now ? dr->free_ns : now;
        dr->free_ns = start + (uint64_t)n * 8u * 1000000000u / dr->rate_bps;
        k->deliver_ns = dr->free_ns + owd_ns;
        dr->n++;
        dr->queued_bytes += (uint64_t)n;
    }
}

/* Delivers the packets whose time has come; returns the next delivery time (0: none queued). */
static uint64_t give(struct dir *dr, int d)
{
    uint64_t now = now_ns();
    while (dr->n) {
        struct pkt *k = &dr->ring[dr->head];
        if (k->deliver_ns > now)
            return k->deliver_ns;
        if (write(dr->out_fd, k->data, k->len) < 0 && errno != EAGAIN && errno != EIO)
            die("write");
        if (k->cport) {
            struct conn_depth *c = &conns[k->cport];
            uint32_t *seen = d == UP ? &c->server_seen : &c->client_seen;
            if (k->depth > *seen)
                *seen = k->depth;
        }
        k->deliver_ns = now; /* logged: when it was really handed over */
        log_pkt(d, k);
        dr->packets++;
        dr->bytes += k->len;
        dr->queued_bytes -= k->len;
        free(k->data);
        dr->head = (dr->head + 1) % QCAP;
        dr->n--;
    }
    return 0;
}

int main(int argc, char **argv)
{
    const char *netns = NULL, *host_if = NULL, *client_if = NULL, *log_path = NULL;
    double rtt_ms = -1, down_kbit = 0, up_kbit = 0;
    for (int i = 1; i + 1 < argc; i += 2) {
        const char *k = argv[i], *v = argv[i + 1];
        if (!strcmp(k, "--netns"))
            netns = v;
        else if (!strcmp(k, "--host-if"))
            host_if = v;
        else if (!strcmp(k, "--client-if"))
            client_if = v;
        else if (!strcmp(k, "--log"))
            log_path = v;
        else if (!strcmp(k, "--rtt-ms"))
            rtt_ms = atof(v);
        else if (!strcmp(k, "--down-kbit"))
            down_kbit = atof(v);
        else if (!strcmp(k, "--up-kbit"))
            up_kbit = atof(v);
        else if (!strcmp(k, "--queue-bytes"))
            queue_limit = strtoull(v, NULL, 10);
        else {
            fprintf(stderr, "netshape: unknown option %s\n", k);
            return 2;
        }
    }
    if (!netns || !host_if || !client_if || !log_path || rtt_ms < 0 || down_kbit <= 0 ||
        up_kbit <= 0) {
        fprintf(stderr, "usage: netshape --netns NAME --host-if IF --client-if IF --rtt-ms MS "
                        "--down-kbit K --up-kbit K [--queue-bytes N] --log FILE\n");
        return 2;
    }
    owd_ns = (uint64_t)(rtt_ms * 1e6 / 2);

    int host_fd = tun_open(host_if);
    int self_ns = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
    char path[256];
    snprintf(path, sizeof path, "/run/netns/%s", netns);
    int ns = open(path, O_RDONLY | O_CLOEXEC);
    if (self_ns < 0 || ns < 0)
        die(path);
    if (setns(ns, CLONE_NEWNET) < 0)
        die("setns");
    int client_fd = tun_open(client_if);
    if (setns(self_ns, CLONE_NEWNET) < 0)
        die("setns back");
    close(ns);
    close(self_ns);

    static struct dir dirs[2];
    dirs[UP].in_fd = client_fd;
    dirs[UP].out_fd = host_fd;
    dirs[UP].rate_bps = (uint64_t)(up_kbit * 1000);
    dirs[DOWN].in_fd = host_fd;
    dirs[DOWN].out_fd = client_fd;
    dirs[DOWN].rate_bps = (uint64_t)(down_kbit * 1000);

    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    printf("ready\n");
    fflush(stdout);

    while (!stop) {
        uint64_t next = 0;
        for (int d = 0; d < 2; d++) {
            uint64_t t = give(&dirs[d], d);
            if (t && (!next || t < next))
                next = t;
        }
        struct pollfd p[2] = {{.fd = client_fd, .events = POLLIN},
                              {.fd = host_fd, .events = POLLIN}};
        struct timespec ts = {1, 0};
        if (next) {
            uint64_t now = now_ns();
            uint64_t wait = next > now ? next - now : 0;
            ts.tv_sec = (time_t)(wait / 1000000000u);
            ts.tv_nsec = (long)(wait % 1000000000u);
        }
        int r = ppoll(p, 2, &ts, NULL);
        if (r < 0 && errno != EINTR)
            die("ppoll");
        if (r > 0) {
            if (p[0].revents & POLLIN)
                take(&dirs[UP], UP);
            if (p[1].revents & POLLIN)
                take(&dirs[DOWN], DOWN);
        }
    }

    FILE *f = fopen(log_path, "w");
    if (!f || fwrite(logbuf, 1, loglen, f) != loglen || fclose(f) != 0)
        die(log_path);
    fprintf(stderr,
            "netshape: up %llu packets %llu bytes %llu drops; down %llu packets %llu bytes %llu "
            "drops\n",
            (unsigned long long)dirs[UP].packets, (unsigned long long)dirs[UP].bytes,
            (unsigned long long)dirs[UP].drops, (unsigned long long)dirs[DOWN].packets,
            (unsigned long long)dirs[DOWN].bytes, (unsigned long long)dirs[DOWN].drops);
    return 0;
}
