/* A way of delivering one message to one person. The outbox logic (mail_sender.c) knows only this
 * interface; SMTP (smtp_channel.c, libcurl) is the one implementation today, and an SMS or chat
 * channel would be another without touching the outbox. A channel is opened, used and closed on
 * the sender's own channel thread: send() may block (it is never called on an event loop). */
#ifndef ITA_MAIL_CHANNEL_H
#define ITA_MAIL_CHANNEL_H

#include <stdbool.h>
#include <stddef.h>

struct config;

enum mail_send_status {
    MAIL_SENT,     /* the relay accepted the message */
    MAIL_DEFERRED, /* not now (relay down, 4xx, timeout): try again later */
    MAIL_REFUSED,  /* this recipient will not work (5xx to RCPT TO): tell the clerk */
};

#define MAIL_REPLY_MAX 512

struct mail_send_result {
    enum mail_send_status status;
    int code;                   /* the relay's last reply code, 0 when none */
    char reply[MAIL_REPLY_MAX]; /* the relay's reply, or a Thai description of what failed */
};

struct mail_outgoing {
    const char *to;   /* recipient address */
    const char *data; /* the whole RFC 5322 message (mail_build) */
    size_t len;
};

struct mail_channel_ops {
    const char *name; /* "smtp" */
    /* Reads what it needs from cfg (not kept). NULL with a message in err. */
    void *(*open)(const struct config *cfg, char *err, size_t errlen);
    void (*send)(void *ch, const struct mail_outgoing *m, struct mail_send_result *r);
    void (*close)(void *ch);
};

/* SMTP through libcurl: smtp:// with STARTTLS required, or smtps://; the certificate verified
 * (smtp_cacert for a private CA); AUTH when smtp_user is set; one connection kept between
 * messages. */
extern const struct mail_channel_ops smtp_channel;

#endif
