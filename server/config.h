/* itad configuration: one declarative table of keys (type, default, bounds, help). Values come from
 * built-in defaults, then a file, then ITAD_* environment variables, then command-line flags; each
 * later source overrides the earlier. A bad value stops start-up with a message naming the key. */
#ifndef ITA_CONFIG_H
#define ITA_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

struct config {
    char *listen;           /* address to bind, IPv4 or IPv6 literal */
    char *proxy_from;       /* comma-separated addresses that must send a PROXY v2 header */
    int port;               /* TCP port for HTTPS */
    char *metrics_listen;   /* ADDRESS:PORT or [IPv6]:PORT of the plain-HTTP /metrics listener;
                               "" = none */
    int workers;            /* event-loop threads; 0 = one per online core */
    int cpu_threads;        /* threads for CPU-heavy work (password hashing) */
    char *tls_cert;         /* PEM certificate chain file */
    char *tls_key;          /* PEM private key file */
    char *database_url;     /* libpq connection string or URI */
    char *public_url;       /* https://host[:port] respondents use; "" = https://localhost:port */
    char *secret_file;      /* >= 32 random bytes shared by every server of a deployment */
    char *signing_key_file; /* 32-byte Ed25519 seed for export manifests; "" = derived from the
                               secret */
    int results_min_responses; /* an instrument's figures are shown from this many responses on */
    int form_max_age_s;        /* a served form may be submitted this long afterwards */
    int rate_ip_per_min;       /* form submissions per client address per minute, per worker */
    int rate_ip_burst;         /* ... at most this many at once */
    int rate_link_per_min;     /* form submissions per link per minute, per worker */
    int rate_link_burst;       /* ... at most this many at once */
    int signin_per_min;        /* sign-in attempts per client address (IPv6: /64) per minute */
    int signin_burst;          /* ... at most this many at once */
    int signin_queue_max;      /* password checks waiting for the CPU pool; beyond → 503 */
    int db_pool_size;          /* PostgreSQL connections per worker */
    int db_queue_max;          /* operations waiting for a connection, per worker; beyond → 503 */
    int db_timeout_ms;         /* longest a request waits on the database before 503 */
    int db_statement_timeout_ms; /* server-side statement_timeout per connection */
    int max_connections;         /* open client connections across all workers; beyond → 503 */
    int max_header_bytes;        /* request line + headers; beyond → 431 */
    int max_body_bytes;          /* request body; beyond → 413 */
    int max_upload_bytes;        /* request body of upload routes (CSV lists) */
    int max_uploads;             /* bodies above max_body_bytes held at once, per process → 503 */
    int header_timeout_ms;       /* time allowed to receive a complete request head → 408 */
    int body_timeout_ms;         /* time allowed to receive the body after the head → 408 */
    int idle_timeout_ms;         /* keep-alive connection with no request is closed after this */
    int write_timeout_ms;        /* a client that reads nothing for this long is cut off */
    int shutdown_timeout_ms;     /* SIGTERM: longest wait for in-flight requests */
    int tls_ticket_rotate_s;     /* TLS ticket key period = ticket lifetime; 0 = no tickets */
    bool tls_tickets_tls12;      /* TLS 1.2 resumes by ticket too (not forward-secret) */
    char *migrations_dir;        /* directory with NNNN_name.sql files */
    bool migrate_on_start;       /* apply pending migrations before serving */
    int rollup_interval_ms; /* how often worker 0 moves new responses into the tallies; 0 = never */
    int link_cache_ms;      /* a worker trusts a public link row this long; 0 = always look up */
    int submit_batch_max;   /* submissions sharing one commit at most; 1 = one commit each */
    bool link_check;        /* check the OIT evidence links in the background */
    int link_check_concurrency;        /* links checked at once */
    int link_check_connect_timeout_ms; /* connection set-up of one link (TCP + TLS) */
    int link_check_timeout_ms;         /* one link's whole check (per request: HEAD, then GET) */
    int link_check_interval_hours;     /* a verdict older than this is checked again */
    int link_check_poll_s;             /* how often the checker looks for requested checks */
    char *link_check_cafile;           /* PEM CA bundle instead of the system's; "" = system */
    bool link_check_allow_private;     /* also fetch loopback, private and link-local addresses */
    char *smtp_url;                    /* smtp://host:port (STARTTLS) or smtps://; "" = no e-mail */
    char *smtp_cacert;                 /* PEM CAs the relay's certificate is checked against */
    char *smtp_user;                   /* SMTP AUTH user; "" = no AUTH */
    char *smtp_password_file;          /* file holding the SMTP AUTH password */
    char *mail_from;                   /* From: address of invitations and reminders */
    char *mail_from_name;              /* From: display name (Thai) */
    int mail_per_minute;               /* messages handed to the relay per minute at most */
    int mail_poll_s;                   /* how often the sender looks for due messages */
    int mail_retry_s;                  /* first retry of a deferred message (doubles each time) */
    int mail_give_up_hours;            /* a message deferred this long is marked failed */
    int smtp_timeout_ms;               /* one SMTP conversation (per message) at most */
    char *log_level;                   /* error, warn, info, debug */
    char *pid_file;                    /* written after start-up when set */
};

/* Sets every key to its default. Strings are owned by the struct (config_free). */
void config_defaults(struct config *c);
void config_free(struct config *c);

/* Each returns 0, or -1 with a message in err (err must hold at least 256 bytes). */
int config_load_file(struct config *c, const char *path, char *err, size_t errlen)
    __attribute__((warn_unused_result));
int config_load_env(struct config *c, char *const *envp, char *err, size_t errlen)
    __attribute__((warn_unused_result));
/* Sets one key by name ("port", "tls-cert" and "tls_cert" are the same key). */
int config_set(struct config *c, const char *key, const char *value, const char *origin, char *err,
               size_t errlen) __attribute__((warn_unused_result));
/* Cross-key checks after all sources are applied (e.g. a certificate needs a key). */
int config_validate(const struct config *c, char *err, size_t errlen)
    __attribute__((warn_unused_result));

/* Splits "IPv4:PORT" or "[IPv6]:PORT" (address literals only, port 1 to 65535) into the address
 * (without brackets, NUL-terminated in addr) and the port. 0, or -1 when text is malformed. */
int config_parse_host_port(const char *text, char *addr, size_t addrlen, int *port)
    __attribute__((warn_unused_result));

/* Key listing for --help and for the documentation test. */
size_t config_key_count(void);
const char *config_key_name(size_t i);
const char *config_key_help(size_t i);
/* The default rendered as text ("" for an empty string). */
const char *config_key_default(size_t i);

#endif
