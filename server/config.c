/* The configuration table and its three parsers (file, environment, flags). Adding a key means
 * one line in `keys` and one field in struct config; the docs test fails until the sample config
 * and README mention it. */
#include "config.h"
#include "build_config.h"
#include "xalloc.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum key_type { K_STR, K_INT, K_BOOL, K_ENUM, K_HOSTPORT };

struct key {
    const char *name; /* canonical name with underscores */
    enum key_type type;
    size_t offset;       /* into struct config */
    const char *def;     /* default as text */
    long min, max;       /* K_INT bounds */
    const char *choices; /* K_ENUM: space-separated allowed values */
    const char *help;
};

#define OFF(f) offsetof(struct config, f)

static const struct key keys[] = {
    {"listen", K_STR, OFF(listen), "127.0.0.1", 0, 0, NULL,
     "address to bind (IPv4 or IPv6 literal)"},
    {"proxy_from", K_STR, OFF(proxy_from), "", 0, 0, NULL,
     "load balancers (IP addresses, comma-separated, at most 16) that send a PROXY v2 header"},
    {"port", K_INT, OFF(port), "8443", 1, 65535, NULL, "HTTPS port"},
    {"metrics_listen", K_HOSTPORT, OFF(metrics_listen), "127.0.0.1:9464", 0, 0, NULL,
     "ADDRESS:PORT ([IPv6]:PORT for IPv6) of the plain-HTTP listener for GET /metrics, never on "
     "the HTTPS port (empty: no metrics listener)"},
    {"workers", K_INT, OFF(workers), "0", 0, 256, NULL, "event-loop threads; 0 = one per core"},
    {"cpu_threads", K_INT, OFF(cpu_threads), "2", 1, 64, NULL,
     "threads for CPU-heavy work (argon2id password checks), shared by the workers"},
    {"tls_cert", K_STR, OFF(tls_cert), "", 0, 0, NULL, "PEM certificate chain file (required)"},
    {"tls_key", K_STR, OFF(tls_key), "", 0, 0, NULL, "PEM private key file (required)"},
    {"tls_ticket_rotate_s", K_INT, OFF(tls_ticket_rotate_s), "43200", 0, 604800, NULL,
     "TLS session tickets: their keys, derived from secret_file, change every this many seconds, "
     "and a ticket lives as long (0 = no session resumption)"},
    {"tls_tickets_tls12", K_BOOL, OFF(tls_tickets_tls12), "false", 0, 0, NULL,
     "also resume TLS 1.2 connections by ticket; a TLS 1.2 ticket holds the session's master "
     "secret, so whoever obtains secret_file could read recorded TLS 1.2 traffic"},
    {"database_url", K_STR, OFF(database_url), "", 0, 0, NULL,
     "libpq connection string or URI (also read from DATABASE_URL)"},
    {"public_url", K_STR, OFF(public_url), "", 0, 0, NULL,
     "address respondents use, for printed links (empty: https://localhost:PORT)"},
    {"secret_file", K_STR, OFF(secret_file), "", 0, 0, NULL,
     "file with 32 to 1024 random bytes for HMAC of tokens and forms (required; same on every "
     "server)"},
    {"signing_key_file", K_STR, OFF(signing_key_file), "", 0, 0, NULL,
     "file with the 32-byte Ed25519 seed that signs export manifests (empty: derived from "
     "secret_file)"},
    {"results_min_responses", K_INT, OFF(results_min_responses), "5", 1, 1000, NULL,
     "an instrument's scores are shown and exported only from this many responses on"},
    {"form_max_age_s", K_INT, OFF(form_max_age_s), "86400", 60, 604800, NULL,
     "how long after it was served a form may still be submitted"},
    {"rate_ip_per_min", K_INT, OFF(rate_ip_per_min), "30", 1, 1000000, NULL,
     "form submissions per client address (IPv6: per /64) per minute; beyond → 429"},
    {"rate_ip_burst", K_INT, OFF(rate_ip_burst), "10", 1, 1000000, NULL,
     "form submissions per client address (IPv6: per /64) at once"},
    {"rate_link_per_min", K_INT, OFF(rate_link_per_min), "1200", 1, 10000000, NULL,
     "valid form submissions per link per minute; beyond → 429"},
    {"rate_link_burst", K_INT, OFF(rate_link_burst), "200", 1, 10000000, NULL,
     "valid form submissions per link at once"},
    {"signin_per_min", K_INT, OFF(signin_per_min), "30", 1, 1000000, NULL,
     "sign-in attempts per client address (IPv6: per /64) per minute, across the process; beyond "
     "→ 429 before any password is hashed"},
    {"signin_burst", K_INT, OFF(signin_burst), "30", 1, 1000000, NULL,
     "sign-in attempts per client address (IPv6: per /64) at once"},
    {"signin_queue_max", K_INT, OFF(signin_queue_max), "32", 1, 100000, NULL,
     "sign-ins waiting for a password check (which runs on at most cpu_threads - 1 threads, "
     "at least 1, so other CPU work keeps a thread); beyond → 503"},
    {"db_pool_size", K_INT, OFF(db_pool_size), "4", 1, 64, NULL,
     "PostgreSQL connections per worker"},
    {"db_queue_max", K_INT, OFF(db_queue_max), "1024", 1, 1000000, NULL,
     "database operations waiting per worker before 503"},
    {"db_timeout_ms", K_INT, OFF(db_timeout_ms), "3000", 100, 600000, NULL,
     "longest a request waits on the database before 503"},
    {"db_statement_timeout_ms", K_INT, OFF(db_statement_timeout_ms), "30000", 0, 86400000, NULL,
     "PostgreSQL statement_timeout for server connections (0 = none)"},
    {"max_connections", K_INT, OFF(max_connections), "20000", 1, 10000000, NULL,
     "open client connections across all workers"},
    {"max_header_bytes", K_INT, OFF(max_header_bytes), "8192", 1024, 1048576, NULL,
     "request line plus headers, bytes (431); a URL over half of it gets 414"},
    {"max_body_bytes", K_INT, OFF(max_body_bytes), "1048576", 0, 1073741824, NULL,
     "request body, bytes"},
    {"max_upload_bytes", K_INT, OFF(max_upload_bytes), "67108864", 0, 1073741824, NULL,
     "request body of an upload route (contact and agency lists), bytes"},
    {"max_uploads", K_INT, OFF(max_uploads), "4", 1, 1024, NULL,
     "request bodies larger than max_body_bytes (uploads) read or handled at once by the whole "
     "process; one more is answered 503 without its body being read"},
    {"header_timeout_ms", K_INT, OFF(header_timeout_ms), "10000", 100, 600000, NULL,
     "time to receive a complete request head"},
    {"body_timeout_ms", K_INT, OFF(body_timeout_ms), "30000", 100, 3600000, NULL,
     "time to receive the body after the head"},
    {"idle_timeout_ms", K_INT, OFF(idle_timeout_ms), "60000", 100, 3600000, NULL,
     "keep-alive connection idle limit"},
    {"write_timeout_ms", K_INT, OFF(write_timeout_ms), "30000", 100, 3600000, NULL,
     "a client that reads nothing for this long is cut off"},
    {"shutdown_timeout_ms", K_INT, OFF(shutdown_timeout_ms), "10000", 0, 600000, NULL,
     "on SIGTERM, longest wait for in-flight requests"},
    {"migrations_dir", K_STR, OFF(migrations_dir), ITA_DEFAULT_SQL_DIR, 0, 0, NULL,
     "directory holding the numbered SQL migrations"},
    {"migrate_on_start", K_BOOL, OFF(migrate_on_start), "true", 0, 0, NULL,
     "apply pending migrations before serving"},
    {"rollup_interval_ms", K_INT, OFF(rollup_interval_ms), "1000", 0, 3600000, NULL,
     "how often new responses are rolled up into the tallies (0 = never, e.g. on a standby; also "
     "stops the hourly purge of expired form nonces)"},
    {"link_cache_ms", K_INT, OFF(link_cache_ms), "1000", 0, 60000, NULL,
     "how long a worker reuses a public link's row before looking it up again (0 = every request)"},
    {"submit_batch_max", K_INT, OFF(submit_batch_max), "64", 1, 1000, NULL,
     "submissions that arrive together share one transaction, up to this many (1 = one commit "
     "each)"},
    {"link_check", K_BOOL, OFF(link_check), "true", 0, 0, NULL,
     "check the agencies' OIT evidence links in the background (its own thread)"},
    {"link_check_concurrency", K_INT, OFF(link_check_concurrency), "8", 1, 256, NULL,
     "evidence links checked at once"},
    {"link_check_connect_timeout_ms", K_INT, OFF(link_check_connect_timeout_ms), "10000", 100,
     600000, NULL, "connection set-up (TCP and TLS) of one evidence link"},
    {"link_check_timeout_ms", K_INT, OFF(link_check_timeout_ms), "15000", 100, 600000, NULL,
     "longest wait for one evidence link's answer, redirects included"},
    {"link_check_interval_hours", K_INT, OFF(link_check_interval_hours), "24", 1, 8760, NULL,
     "an evidence link's verdict older than this is checked again"},
    {"link_check_poll_s", K_INT, OFF(link_check_poll_s), "5", 1, 3600, NULL,
     "how often the link checker looks for checks a clerk asked for"},
    {"link_check_cafile", K_STR, OFF(link_check_cafile), "", 0, 0, NULL,
     "PEM CA certificates the link checker trusts instead of the system's (empty: the system's)"},
    {"link_check_allow_private", K_BOOL, OFF(link_check_allow_private), "false", 0, 0, NULL,
     "let the link checker connect to loopback, private and link-local addresses (an intranet, "
     "tests); false refuses them, so a link cannot probe the server's own network"},
    {"smtp_url", K_STR, OFF(smtp_url), "", 0, 0, NULL,
     "SMTP relay of invitations and reminders: smtp://host:port (upgraded with STARTTLS, which is "
     "required) or smtps://host:port; empty: the server sends no e-mail"},
    {"smtp_cacert", K_STR, OFF(smtp_cacert), "", 0, 0, NULL,
     "PEM CA certificates the relay's certificate is checked against (empty: the system's)"},
    {"smtp_user", K_STR, OFF(smtp_user), "", 0, 0, NULL, "SMTP AUTH user name (empty: no AUTH)"},
    {"smtp_password_file", K_STR, OFF(smtp_password_file), "", 0, 0, NULL,
     "file whose first line is the SMTP AUTH password"},
    {"mail_from", K_STR, OFF(mail_from), "", 0, 0, NULL,
     "From: address of invitations and reminders (required when smtp_url is set)"},
    {"mail_from_name", K_STR, OFF(mail_from_name), "ระบบประเมิน ITA", 0, 0, NULL,
     "From: display name"},
    {"mail_per_minute", K_INT, OFF(mail_per_minute), "600", 1, 1000000, NULL,
     "messages handed to the relay per minute at most"},
    {"mail_poll_s", K_INT, OFF(mail_poll_s), "5", 1, 3600, NULL,
     "how often the sender looks for messages and reminder rounds that are due"},
    {"mail_retry_s", K_INT, OFF(mail_retry_s), "60", 1, 86400, NULL,
     "first retry of a message the relay deferred; each further retry waits twice as long"},
    {"mail_give_up_hours", K_INT, OFF(mail_give_up_hours), "48", 1, 8760, NULL,
     "a message still deferred this long after it was queued is marked failed"},
    {"smtp_timeout_ms", K_INT, OFF(smtp_timeout_ms), "30000", 100, 600000, NULL,
     "longest one SMTP conversation (connection, TLS, one message) may take"},
    {"log_level", K_ENUM, OFF(log_level), "info", 0, 0, "error warn info debug", "log verbosity"},
    {"pid_file", K_STR, OFF(pid_file), "", 0, 0, NULL, "write the process id here after start-up"},
};

#define NKEYS (sizeof keys / sizeof keys[0])

size_t config_key_count(void)
{
    return NKEYS;
}
const char *config_key_name(size_t i)
{
    return keys[i].name;
}
const char *config_key_help(size_t i)
{
    return keys[i].help;
}
const char *config_key_default(size_t i)
{
    return keys[i].def;
}

int config_parse_host_port(const char *text, char *addr, size_t addrlen, int *port)
{
    const char *a = text, *colon;
    size_t alen;
    if (text[0] == '[') {
        const char *close = strchr(text, ']');
        if (!close || close[1] != ':')
            return -1;
        a = text + 1;
        alen = (size_t)(close - a);
        colon = close + 1;
    } else {
        colon = strchr(text, ':');
        if (!colon || strchr(colon + 1, ':'))
            return -1; /* no port, or an IPv6 address without brackets */
        alen = (size_t)(colon - text);
    }
    const char *p = colon + 1;
    if (alen == 0 || alen >= addrlen || *p == '\0' || strlen(p) > 5)
        return -1;
    long n = 0;
    for (const char *q = p; *q; q++) {
        if (*q < '0' || *q > '9')
            return -1;
        n = n * 10 + (*q - '0');
    }
    if (n < 1 || n > 65535)
        return -1;
    memcpy(addr, a, alen);
    addr[alen] = '\0';
    unsigned char bin[16];
    if (inet_pton(text[0] == '[' ? AF_INET6 : AF_INET, addr, bin) != 1)
        return -1;
    *port = (int)n;
    return 0;
}

static const struct key *find_key(const char *name, size_t len)
{
    char canon[64];
    if (len >= sizeof canon)
        return NULL;
    for (size_t i = 0; i < len; i++)
        canon[i] = name[i] == '-' ? '_' : (char)tolower((unsigned char)name[i]);
    canon[len] = '\0';
    for (size_t i = 0; i < NKEYS; i++)
        if (strcmp(keys[i].name, canon) == 0)
            return &keys[i];
    return NULL;
}

static int set_value(struct config *c, const struct key *k, const char *v, const char *origin,
                     char *err, size_t errlen)
{
    char *base = (char *)c;
    switch (k->type) {
    case K_STR: {
        char **slot = (char **)(base + k->offset);
        free(*slot);
        *slot = xstrdup(v);
        return 0;
    }
    case K_INT: {
        errno = 0;
        char *end;
        long x = strtol(v, &end, 10);
        if (*v == '\0' || *end != '\0' || errno == ERANGE || x < k->min || x > k->max) {
            snprintf(err, errlen,
                     "%s: %s = '%s' is not allowed; expected an integer from %ld to %ld", origin,
                     k->name, v, k->min, k->max);
            return -1;
        }
        *(int *)(base + k->offset) = (int)x;
        return 0;
    }
    case K_BOOL: {
        bool *slot = (bool *)(base + k->offset);
        if (!strcmp(v, "true") || !strcmp(v, "yes") || !strcmp(v, "on") || !strcmp(v, "1")) {
            *slot = true;
        } else if (!strcmp(v, "false") || !strcmp(v, "no") || !strcmp(v, "off") ||
                   !strcmp(v, "0")) {
            *slot = false;
        } else {
            snprintf(err, errlen, "%s: %s = '%s' is not allowed; expected true or false", origin,
                     k->name, v);
            return -1;
        }
        return 0;
    }
    case K_HOSTPORT: {
        char addr[INET6_ADDRSTRLEN];
        int port;
        if (v[0] != '\0' && config_parse_host_port(v, addr, sizeof addr, &port) != 0) {
            snprintf(err, errlen,
                     "%s: %s = '%s' is not allowed; expected ADDRESS:PORT with an IPv4 address "
                     "or [IPv6]:PORT (port 1 to 65535), e.g. 127.0.0.1:9464, or empty for none",
                     origin, k->name, v);
            return -1;
        }
        char **slot = (char **)(base + k->offset);
        free(*slot);
        *slot = xstrdup(v);
        return 0;
    }
    case K_ENUM: {
        size_t vl = strlen(v);
        const char *p = k->choices;
        while (*p) {
            const char *sp = strchr(p, ' ');
            size_t n = sp ? (size_t)(sp - p) : strlen(p);
            if (n == vl && vl > 0 && strncmp(p, v, n) == 0) {
                char **slot = (char **)(base + k->offset);
                free(*slot);
                *slot = xstrdup(v);
                return 0;
            }
            p += n + (sp ? 1 : 0);
        }
        snprintf(err, errlen, "%s: %s = '%s' is not allowed; expected one of: %s", origin, k->name,
                 v, k->choices);
        return -1;
    }
    }
    return -1;
}

void config_defaults(struct config *c)
{
    memset(c, 0, sizeof *c);
    char err[256];
    for (size_t i = 0; i < NKEYS; i++) {
        if (set_value(c, &keys[i], keys[i].def, "default", err, sizeof err) != 0)
            abort(); /* a default outside its own bounds is a programming error */
    }
}

void config_free(struct config *c)
{
    for (size_t i = 0; i < NKEYS; i++)
        if (keys[i].type == K_STR || keys[i].type == K_ENUM || keys[i].type == K_HOSTPORT)
            free(*(char **)((char *)c + keys[i].offset));
    memset(c, 0, sizeof *c);
}

int config_set(struct config *c, const char *key, const char *value, const char *origin, char *err,
               size_t errlen)
{
    const struct key *k = find_key(key, strlen(key));
    if (!k) {
        snprintf(err, errlen, "%s: unknown configuration key '%s' (see itad --help for the list)",
                 origin, key);
        return -1;
    }
    return set_value(c, k, value, origin, err, errlen);
}

static char *trim(char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    char *e = s + strlen(s);
    while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r' || e[-1] == '\n'))
        *--e = '\0';
    return s;
}

int config_load_file(struct config *c, const char *path, char *err, size_t errlen)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        snprintf(err, errlen, "cannot open configuration file %s: %s", path, strerror(errno));
        return -1;
    }
    char line[4096];
    int lineno = 0, rc = 0;
    while (fgets(line, sizeof line, f)) {
        lineno++;
        char origin[512];
        snprintf(origin, sizeof origin, "%s line %d", path, lineno);
        if (!strchr(line, '\n') && !feof(f)) {
            snprintf(err, errlen, "%s: line is longer than %zu bytes", origin, sizeof line - 1);
            rc = -1;
            break;
        }
        char *s = trim(line);
        if (*s == '\0' || *s == '#')
            continue;
        char *eq = strchr(s, '=');
        if (!eq) {
            snprintf(err, errlen, "%s: expected 'key = value', found '%s'", origin, s);
            rc = -1;
            break;
        }
        *eq = '\0';
        char *key = trim(s);
        char *val = trim(eq + 1);
        if (val[0] == '"') {
            /* "quoted value" may hold '#'; only a comment may follow the closing quote */
            char *close = strchr(val + 1, '"');
            char *rest = close ? trim(close + 1) : NULL;
            if (!close || (*rest != '\0' && *rest != '#')) {
                snprintf(err, errlen, "%s: unterminated quoted value for %s", origin, key);
                rc = -1;
                break;
            }
            *close = '\0';
            val++;
        } else {
            /* an unquoted value ends at " #" (an inline comment) */
            for (char *h = strchr(val, '#'); h; h = strchr(h + 1, '#')) {
                if (h == val || h[-1] == ' ' || h[-1] == '\t') {
                    *h = '\0';
                    val = trim(val);
                    break;
                }
            }
        }
        if (config_set(c, key, val, origin, err, errlen) != 0) {
            rc = -1;
            break;
        }
    }
    if (rc == 0 && ferror(f)) {
        snprintf(err, errlen, "cannot read configuration file %s", path);
        rc = -1;
    }
    fclose(f);
    return rc;
}

int config_load_env(struct config *c, char *const *envp, char *err, size_t errlen)
{
    for (char *const *e = envp; *e; e++) {
        const char *eq = strchr(*e, '=');
        if (!eq)
            continue;
        const char *name = *e;
        size_t nlen = (size_t)(eq - name);
        const struct key *k = NULL;
        char origin[96];
        if (nlen == 12 && strncmp(name, "DATABASE_URL", 12) == 0) {
            k = find_key("database_url", 12);
        } else if (nlen > 5 && strncmp(name, "ITAD_", 5) == 0) {
            if (nlen == 11 && strncmp(name, "ITAD_CONFIG", 11) == 0)
                continue; /* names the file, handled by the caller */
            k = find_key(name + 5, nlen - 5);
            if (!k) {
                snprintf(err, errlen, "environment: unknown variable %.*s (see itad --help)",
                         (int)nlen, name);
                return -1;
            }
        }
        if (!k)
            continue;
        snprintf(origin, sizeof origin, "environment %.*s", (int)(nlen > 60 ? 60 : nlen), name);
        if (set_value(c, k, eq + 1, origin, err, errlen) != 0)
            return -1;
    }
    return 0;
}

int config_validate(const struct config *c, char *err, size_t errlen)
{
    if (c->tls_cert[0] == '\0' || c->tls_key[0] == '\0') {
        snprintf(err, errlen,
                 "tls_cert and tls_key must both be set (PEM files); scripts/run creates a "
                 "self-signed pair under var/tls/");
        return -1;
    }
    if (c->secret_file[0] == '\0') {
        snprintf(err, errlen,
                 "secret_file is empty; it must name a file with 32 to 1024 random bytes "
                 "(scripts/run creates var/secret)");
        return -1;
    }
    if (c->database_url[0] == '\0') {
        snprintf(err, errlen,
                 "database_url is empty; set it or the DATABASE_URL environment variable");
        return -1;
    }
    if (c->smtp_url[0] != '\0') {
        if (strncmp(c->smtp_url, "smtp://", 7) != 0 && strncmp(c->smtp_url, "smtps://", 8) != 0) {
            snprintf(err, errlen,
                     "smtp_url \"%.80s\" must start with smtp:// (STARTTLS) or smtps:// (TLS)",
                     c->smtp_url);
            return -1;
        }
        if (c->mail_from[0] == '\0' || !strchr(c->mail_from, '@')) {
            snprintf(err, errlen,
                     "mail_from must be an e-mail address (e.g. ita@agency.go.th) when smtp_url "
                     "is set");
            return -1;
        }
        if (c->public_url[0] == '\0') {
            snprintf(err, errlen,
                     "public_url must be set when smtp_url is set: the links in the e-mails are "
                     "made from it (e.g. https://ita.agency.go.th)");
            return -1;
        }
        if (c->smtp_user[0] != '\0' && c->smtp_password_file[0] == '\0') {
            snprintf(err, errlen, "smtp_user is set but smtp_password_file is empty");
            return -1;
        }
    }
    return 0;
}
