/* The background sender of invitations and reminders (README "Invitations by e-mail"): its own
 * thread with its own event loop and asynchronous database connection (application_name
 * itad-mail), and a channel thread on which the channel's blocking send runs (mail_channel.h), so
 * no HTTP worker ever waits for it. One message is in flight at a time; a message is marked sent
 * only after the channel reported that the relay accepted it. */
#ifndef ITA_MAIL_SENDER_H
#define ITA_MAIL_SENDER_H

#include <stddef.h>

struct config;
struct db_statement;
struct mail_channel_ops;
struct mail_sender;
struct secret;

/* Opens the channel and starts both threads (cfg and secret are copied, not kept). Needs
 * evthread_use_pthreads() first. NULL with a message in err when it cannot start. */
struct mail_sender *mail_sender_start(const struct config *cfg, const struct secret *secret,
                                      const struct mail_channel_ops *ops, char *err, size_t errlen);

/* Stops both threads (waiting for a message being sent, at most smtp_timeout_ms), closes the
 * channel and frees everything. NULL is ignored. */
void mail_sender_stop(struct mail_sender *ms);

/* The statements the sender runs (for checks against the schema). */
const struct db_statement *const *mail_sender_statements(size_t *n);

#endif
