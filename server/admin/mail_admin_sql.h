/* The statements of the e-mail pages (mail_admin_sql.c): counts of a contact list's invitations,
 * its reminder rounds, the addresses the relay refused, the delivery mode, queueing invitations,
 * scheduling reminders and a corrected address's new link. */
#ifndef ITA_MAIL_ADMIN_SQL_H
#define ITA_MAIL_ADMIN_SQL_H

#include "db/db_pool.h"

#include <stddef.h>

/* Every statement below takes $1 agency, $2 fiscal year, $3 instrument first. */
enum { MAIL_LIST_P_AGENCY, MAIL_LIST_P_YEAR, MAIL_LIST_P_INSTRUMENT, MAIL_LIST_NPARAMS };

/* sql_mail_status → one row of counts: contacts, with an address, with a link, with an address
 * and a link but no invitation of that link yet, invitations waiting (queued or deferred), sent,
 * failed (current links only), and spent personal tokens of the list (how many answered) */
enum { MAIL_STATUS_NPARAMS = MAIL_LIST_NPARAMS };
enum {
    MAIL_STATUS_CONTACTS,
    MAIL_STATUS_WITH_EMAIL,
    MAIL_STATUS_WITH_LINK,
    MAIL_STATUS_UNSENT,
    MAIL_STATUS_WAITING,
    MAIL_STATUS_SENT,
    MAIL_STATUS_FAILED,
    MAIL_STATUS_ANSWERED,
    MAIL_STATUS_NCOLS
};
extern const struct db_statement sql_mail_status;

/* sql_mail_rounds → the list's reminder rounds */
enum { MAIL_ROUNDS_NPARAMS = MAIL_LIST_NPARAMS };
enum {
    MAIL_ROUNDS_ROUND,
    MAIL_ROUNDS_SEND_ON,
    MAIL_ROUNDS_STATE,
    MAIL_ROUNDS_SEALED,
    MAIL_ROUNDS_FINISHED_AT,
    MAIL_ROUNDS_NCOLS
};
extern const struct db_statement sql_mail_rounds;

/* sql_mail_failed → invitations of current links the relay refused (or that were given up),
 * newest first, at most 500 */
enum { MAIL_FAILED_NPARAMS = MAIL_LIST_NPARAMS };
enum {
    MAIL_FAILED_CONTACT,
    MAIL_FAILED_NAME,
    MAIL_FAILED_UNIT,
    MAIL_FAILED_EMAIL,
    MAIL_FAILED_REPLY,
    MAIL_FAILED_AT,
    MAIL_FAILED_NCOLS
};
extern const struct db_statement sql_mail_failed;

/* sql_mail_mode_set: $4 'private' or 'mailmerge', $5 admin → no rows (audited) */
enum { MAIL_MODE_SET_P_DELIVERY = MAIL_LIST_NPARAMS, MAIL_MODE_SET_P_ADMIN, MAIL_MODE_SET_NPARAMS };
enum { MAIL_MODE_SET_NCOLS };
extern const struct db_statement sql_mail_mode_set;

/* sql_mail_queue: $4 admin → how many invitations were queued: one for every contact with an
 * address and a link whose link has none yet (audited with the count) */
enum { MAIL_QUEUE_P_ADMIN = MAIL_LIST_NPARAMS, MAIL_QUEUE_NPARAMS };
enum { MAIL_QUEUE_QUEUED, MAIL_QUEUE_NCOLS };
extern const struct db_statement sql_mail_queue;

/* sql_mail_rounds_set: $4 the three rounds' days (text[3], '' = none), $5 admin → rounds saved.
 * A round already running or done keeps its day. */
enum {
    MAIL_ROUNDS_SET_P_DAYS = MAIL_LIST_NPARAMS,
    MAIL_ROUNDS_SET_P_ADMIN,
    MAIL_ROUNDS_SET_NPARAMS
};
enum { MAIL_ROUNDS_SET_SAVED, MAIL_ROUNDS_SET_NCOLS };
extern const struct db_statement sql_mail_rounds_set;

/* sql_mail_resend: $4 contact, $5 its current link number, $6 that link's token hash, $7 the
 * next link's token hash, $8 admin → the new link number (NULL when nothing changed): the
 * contact's next link replaces the current one (revoked; the new one inherits whether it was
 * spent, as on reissuing) and an invitation of it is queued, in one statement. */
enum {
    MAIL_RESEND_P_CONTACT = MAIL_LIST_NPARAMS,
    MAIL_RESEND_P_GENERATION,
    MAIL_RESEND_P_OLD_HASH,
    MAIL_RESEND_P_NEW_HASH,
    MAIL_RESEND_P_ADMIN,
    MAIL_RESEND_NPARAMS
};
enum { MAIL_RESEND_GENERATION, MAIL_RESEND_NCOLS };
extern const struct db_statement sql_mail_resend;

extern const struct db_statement *const mail_admin_statements[];
extern const size_t mail_admin_statements_count;
/* The template page's own (mail_template.c). */
extern const struct db_statement *const mail_template_statements[];
extern const size_t mail_template_statements_count;

#endif
