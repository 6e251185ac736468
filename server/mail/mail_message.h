/* Writing one invitation or reminder: the Thai subject and body templates (the server's defaults,
 * or the agency's own checked with mail_template_check), filled with the agency's name, the fiscal
 * year, the deadline in Thai and the personal link, then written as an RFC 5322 / MIME message:
 * UTF-8 throughout, the subject as an RFC 2047 encoded word, multipart/alternative with a
 * text/plain part and an HTML part (both base64), Date, Message-ID and Auto-Submitted headers and
 * no List-Unsubscribe (it is a transactional message). The link is the only personal datum in the
 * message: no name, no unit. Pure functions (no sockets, no database), thread-safe. */
#ifndef ITA_MAIL_MESSAGE_H
#define ITA_MAIL_MESSAGE_H

#include "strbuf.h"

#include <stddef.h>
#include <time.h>

enum mail_kind { MAIL_INVITE, MAIL_REMINDER };

#define MAIL_SUBJECT_MAX 200 /* characters (code points) of a subject template */
#define MAIL_BODY_MAX 5000   /* characters of a body template */

/* What a template may name: {agency} {year} {deadline} {link}. */
struct mail_fields {
    const char *agency_th;   /* agency name */
    int fiscal_year;         /* Buddhist Era, e.g. 2570 */
    const char *deadline_th; /* last day of the window in the Thai form, "31 ม.ค. 2570" */
    const char *link;        /* the personal link (https://…/t/TOKEN) */
};

/* The server's default subject and body of kind for instrument ("IIT" or "EIT"). Static. */
const char *mail_default_subject(enum mail_kind kind, const char *instrument);
const char *mail_default_body(enum mail_kind kind, const char *instrument);

/* Checks an agency's template: valid UTF-8, lengths, only known placeholders, {link} exactly in
 * the body and not in the subject. 0, or -1 with a Thai message a clerk can act on. */
int mail_template_check(const char *subject, const char *body, char *err, size_t errlen);

/* Appends tmpl with its placeholders filled to out. */
void mail_render(const char *tmpl, const struct mail_fields *f, struct strbuf *out);

struct mail_envelope {
    const char *from_addr;  /* ita@agency.go.th */
    const char *from_name;  /* Thai display name, may be "" */
    const char *to;         /* the recipient's address */
    const char *message_id; /* without angle brackets: "ita.123.1@agency.go.th" */
    time_t date;            /* the Date: header */
};

/* The whole message (headers and body, CRLF line ends, lines within 78 characters) appended to
 * out. subject and body_text are already rendered; the HTML part is made from body_text (escaped,
 * paragraphs, the link clickable). 0, or -1 with a message in err when an address is unusable. */
int mail_build(const struct mail_envelope *e, const char *subject, const char *body_text,
               struct strbuf *out, char *err, size_t errlen);

#endif
