/* The sender (mail_sender.h). Each look, while this server holds the sender's advisory lock (so
 * that of several replicas only one sends):
 *   1. invitations due in mail_outbox, oldest first, one at a time through the channel; each
 *      outcome is written by its own UPDATE: sent, deferred (retried after mail_retry_s, doubling
 *      each time, failed after mail_give_up_hours) or failed (the relay refused the address).
 *      An invitation whose contact got a newer link, or whose survey window closed, is cancelled.
 *      After a deferral the look ends: the relay is probably down, the next look tries again.
 *   2. when no invitation is due, the first reminder round due: its list's contacts after the
 *      round's cursor, in id order, 50 at a time; the server derives each contact's current
 *      token hash and asks which are spent; a reminder goes to the others. Every contact takes
 *      one sending slot and one UPDATE of the round (cursor and sealed counts) whether or not a
 *      reminder went to it, so neither the stored row nor the rhythm of its changes tells who
 *      was reminded.
 * The crash window: a message the relay accepted just before the server died, and whose UPDATE
 * had not committed, is sent again after the restart (at most one, as one is in flight at a
 * time); its Message-ID is the same both times, so the copies are recognisable. */
#include "mail/mail_sender.h"
#include "config.h"
#include "db/db_pool.h"
#include "db/db_row.h"
#include "log.h"
#include "mail/mail_channel.h"
#include "mail/mail_message.h"
#include "mail/mail_sealed.h"
#include "metrics.h"
#include "secret.h"
#include "strbuf.h"
#include "thai_date.h"
#include "xalloc.h"

#include <event2/dns.h>
#include <event2/event.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SENDER_LOCK "7319417018" /* pg advisory lock: one sending server per database */
#define INVITE_BATCH "20"
#define ROUND_CHUNK 50
#define RETRY_MAX_S 21600 /* a deferred message is tried at least every 6 hours */

/* ---- statements ---- */

enum { MAIL_LOCK_NPARAMS };
enum { MAIL_LOCK_GOT, MAIL_LOCK_NCOLS };
DB_STATEMENT(mail_lock, MAIL_LOCK, "SELECT pg_try_advisory_lock(" SENDER_LOCK ") AS got");
enum { MAIL_UNLOCK_NPARAMS };
enum { MAIL_UNLOCK_DONE, MAIL_UNLOCK_NCOLS };
DB_STATEMENT(mail_unlock, MAIL_UNLOCK, "SELECT pg_advisory_unlock(" SENDER_LOCK ") AS done");

/* The window of a contact list: its live link's last day (Bangkok) and whether it is open. */
#define LIST_WINDOW_SQL                                                                            \
    " LEFT JOIN survey_link l ON l.agency_id = c.agency_id AND l.fiscal_year = c.fiscal_year"      \
    "  AND l.instrument = c.instrument AND l.revoked_at IS NULL"

/* sql_mail_due: $1 rows at most, $2 give-up hours → invitations due, oldest first */
enum { MAIL_DUE_P_LIMIT, MAIL_DUE_P_GIVE_UP_HOURS, MAIL_DUE_NPARAMS };
enum {
    MAIL_DUE_ID,
    MAIL_DUE_CONTACT,
    MAIL_DUE_GENERATION,
    MAIL_DUE_CURRENT_GENERATION,
    MAIL_DUE_EMAIL,
    MAIL_DUE_AGENCY_NAME,
    MAIL_DUE_YEAR,
    MAIL_DUE_INSTRUMENT,
    MAIL_DUE_LAST_DAY,
    MAIL_DUE_OPEN,
    MAIL_DUE_SUBJECT,
    MAIL_DUE_BODY,
    MAIL_DUE_ATTEMPTS,
    MAIL_DUE_TOO_OLD,
    MAIL_DUE_NCOLS
};
DB_STATEMENT(mail_due, MAIL_DUE,
             "SELECT o.id, o.contact_id, o.generation, c.link_generation AS current_generation,"
             " c.email, a.name_th AS agency_name, c.fiscal_year, c.instrument::text,"
             " coalesce(to_char((l.closes_at AT TIME ZONE 'Asia/Bangkok') - interval '1 second',"
             "  'YYYY-MM-DD'), '') AS last_day,"
             " coalesce(l.opens_at <= now() + interval '30 days' AND l.closes_at > now(), false)"
             "  AS open,"
             " t.subject, t.body, o.attempts,"
             " o.queued_at < now() - make_interval(hours => $2::int) AS too_old"
             " FROM mail_outbox o JOIN contact c ON c.id = o.contact_id"
             " JOIN agency a ON a.id = c.agency_id" LIST_WINDOW_SQL
             " LEFT JOIN mail_template t ON t.agency_id = c.agency_id"
             "  AND t.instrument = c.instrument AND t.kind = 'invite'"
             " WHERE o.state IN ('queued', 'deferred') AND o.next_attempt_at <= now()"
             " ORDER BY o.next_attempt_at, o.id LIMIT $1::int");

/* sql_mail_outcome: $1 id, $2 state, $3 reply, $4 the address, $5 seconds until the next
 * attempt (deferred only) → no rows */
enum {
    MAIL_OUTCOME_P_ID,
    MAIL_OUTCOME_P_STATE,
    MAIL_OUTCOME_P_REPLY,
    MAIL_OUTCOME_P_SENT_TO,
    MAIL_OUTCOME_P_RETRY_S,
    MAIL_OUTCOME_NPARAMS
};
enum { MAIL_OUTCOME_NCOLS };
DB_STATEMENT(mail_outcome, MAIL_OUTCOME,
             "UPDATE mail_outbox SET state = $2, last_reply = left($3, 1000), sent_to = $4,"
             " attempts = attempts + CASE WHEN $2 = 'cancelled' THEN 0 ELSE 1 END,"
             " done_at = CASE WHEN $2 IN ('sent', 'failed', 'cancelled') THEN now() END,"
             " next_attempt_at = CASE WHEN $5::int IS NULL THEN next_attempt_at"
             "  ELSE now() + make_interval(secs => $5::int) END"
             " WHERE id = $1::bigint AND state IN ('queued', 'deferred')");

/* sql_round_due → the first reminder round due today (Bangkok) */
enum { ROUND_DUE_NPARAMS };
enum {
    ROUND_DUE_AGENCY,
    ROUND_DUE_YEAR,
    ROUND_DUE_INSTRUMENT,
    ROUND_DUE_ROUND,
    ROUND_DUE_CURSOR,
    ROUND_DUE_SEALED,
    ROUND_DUE_AGENCY_NAME,
    ROUND_DUE_LAST_DAY,
    ROUND_DUE_OPEN,
    ROUND_DUE_SUBJECT,
    ROUND_DUE_BODY,
    ROUND_DUE_NCOLS
};
DB_STATEMENT(round_due, ROUND_DUE,
             "SELECT r.agency_id, r.fiscal_year, r.instrument::text, r.round, r.cursor,"
             " coalesce(r.sealed_counts, ''::bytea) AS sealed, a.name_th AS agency_name,"
             " coalesce(to_char((l.closes_at AT TIME ZONE 'Asia/Bangkok') - interval '1 second',"
             "  'YYYY-MM-DD'), '') AS last_day,"
             " coalesce(l.opens_at <= now() AND l.closes_at > now(), false) AS open,"
             " t.subject, t.body"
             " FROM reminder_round r JOIN agency a ON a.id = r.agency_id"
             " LEFT JOIN survey_link l ON l.agency_id = r.agency_id"
             "  AND l.fiscal_year = r.fiscal_year AND l.instrument = r.instrument"
             "  AND l.revoked_at IS NULL"
             " LEFT JOIN mail_template t ON t.agency_id = r.agency_id"
             "  AND t.instrument = r.instrument AND t.kind = 'reminder'"
             " WHERE r.state <> 'done' AND r.send_on <= (now() AT TIME ZONE 'Asia/Bangkok')::date"
             " ORDER BY r.send_on, r.round, r.agency_id, r.instrument LIMIT 1");

/* sql_round_contacts: $1 agency, $2 year, $3 instrument, $4 cursor, $5 rows at most → the
 * list's contacts with a link after the cursor */
enum {
    ROUND_CONTACTS_P_AGENCY,
    ROUND_CONTACTS_P_YEAR,
    ROUND_CONTACTS_P_INSTRUMENT,
    ROUND_CONTACTS_P_CURSOR,
    ROUND_CONTACTS_P_LIMIT,
    ROUND_CONTACTS_NPARAMS
};
enum { ROUND_CONTACTS_ID, ROUND_CONTACTS_GENERATION, ROUND_CONTACTS_EMAIL, ROUND_CONTACTS_NCOLS };
DB_STATEMENT(round_contacts, ROUND_CONTACTS,
             "SELECT id, link_generation, email FROM contact"
             " WHERE agency_id = $1::int AND fiscal_year = $2::smallint AND instrument = $3"
             " AND id > $4::bigint AND link_generation > 0 ORDER BY id LIMIT $5::int");

/* sql_tokens_spent: $1 token hashes (bytea[]) → those spent */
enum { TOKENS_SPENT_P_HASHES, TOKENS_SPENT_NPARAMS };
enum { TOKENS_SPENT_HASH, TOKENS_SPENT_NCOLS };
DB_STATEMENT(tokens_spent, TOKENS_SPENT,
             "SELECT token_hash FROM personal_token"
             " WHERE token_hash = ANY ($1::bytea[]) AND spent");

/* sql_round_step: $1 agency, $2 year, $3 instrument, $4 round, $5 cursor, $6 sealed counts,
 * $7 the round is finished → no rows */
enum {
    ROUND_STEP_P_AGENCY,
    ROUND_STEP_P_YEAR,
    ROUND_STEP_P_INSTRUMENT,
    ROUND_STEP_P_ROUND,
    ROUND_STEP_P_CURSOR,
    ROUND_STEP_P_SEALED,
    ROUND_STEP_P_DONE,
    ROUND_STEP_NPARAMS
};
enum { ROUND_STEP_NCOLS };
DB_STATEMENT(round_step, ROUND_STEP,
             "UPDATE reminder_round SET cursor = $5::bigint,"
             " sealed_counts = coalesce($6::bytea, sealed_counts),"
             " state = CASE WHEN $7::boolean THEN 'done' ELSE 'running' END,"
             " started_at = coalesce(started_at, now()),"
             " finished_at = CASE WHEN $7::boolean THEN now() END"
             " WHERE agency_id = $1::int AND fiscal_year = $2::smallint AND instrument = $3"
             " AND round = $4::smallint");

static const struct db_statement *const statements[] = {
    &sql_mail_lock, &sql_mail_unlock,    &sql_mail_due,     &sql_mail_outcome,
    &sql_round_due, &sql_round_contacts, &sql_tokens_spent, &sql_round_step};

const struct db_statement *const *mail_sender_statements(size_t *n)
{
    *n = sizeof statements / sizeof statements[0];
    return statements;
}

/* ---- state ---- */

/* What a message says apart from its recipient: the list's agency, year, window and wording. */
struct list_text {
    char *agency_name, *instrument, *subject, *body; /* owned; subject/body NULL: the default */
    int year;
    char last_day[16];
    bool open;
};

/* An invitation in hand. */
struct invite {
    char id[24];
    long long contact;
    int generation, current_generation, attempts;
    char *email; /* owned */
    bool too_old;
    struct list_text text;
};

/* A contact of the reminder round in hand. */
struct round_contact {
    long long id;
    int generation;
    char *email;                             /* owned */
    char hash_hex[2 * TOKEN_HASH_BYTES + 1]; /* its current token's hash, as sql_tokens_spent */
    bool spent;
};

struct mail_sender {
    pthread_t loop_thread, chan_thread;
    bool loop_started, chan_started;
    /* the channel thread's hand-over (under mu) */
    pthread_mutex_t mu;
    pthread_cond_t cv;
    bool stopping;
    struct strbuf out_msg; /* the message being handed over */
    struct mail_outgoing out;
    bool out_pending;
    struct mail_send_result result;
    const struct mail_channel_ops *ops;
    void *ch;
    /* the loop */
    struct event_base *base;
    struct evdns_base *dns;
    struct worker_metrics *metrics;
    struct db_pool *db;
    struct event *poll_ev, *stop_ev, *sent_ev, *slot_ev;
    struct db_op *op;
    struct secret secret;
    char *public_url, *from, *from_name, *domain;
    long slot_ms;
    int retry_s, give_up_hours;
    struct timeval next_slot;
    void (*on_slot)(struct mail_sender *);
    void (*on_sent)(struct mail_sender *);
    bool busy, locked;
    /* invitations in hand */
    struct invite *inv;
    size_t ninv, iinv;
    /* the reminder round in hand */
    struct {
        char agency[16], year[8], instrument[8], round[4];
        long long cursor;
        struct mail_round_counts counts;
        struct list_text text;
        struct round_contact *c;
        size_t n, i;
    } rr;
    unsigned long look_sent, look_deferred, look_failed, look_reminded;
};

static void look_end(struct mail_sender *ms);
static void look_more(struct mail_sender *ms);
static void invite_next(struct mail_sender *ms);
static void round_next(struct mail_sender *ms);
static void round_look(struct mail_sender *ms);

static void text_free(struct list_text *t)
{
    free(t->agency_name);
    free(t->instrument);
    free(t->subject);
    free(t->body);
    memset(t, 0, sizeof *t);
}

/* Copies the list columns of a row (column numbers of its statement). */
static void text_read(struct list_text *t, const PGresult *res, int row, int agency, int year,
                      int instrument, int last_day, int open, int subject, int body)
{
    t->agency_name = xstrdup(db_text(res, row, agency));
    t->year = (int)db_int(res, row, year);
    t->instrument = xstrdup(db_text(res, row, instrument));
    snprintf(t->last_day, sizeof t->last_day, "%s", db_text(res, row, last_day));
    t->open = db_bool(res, row, open);
    t->subject = db_null(res, row, subject) ? NULL : xstrdup(db_text(res, row, subject));
    t->body = db_null(res, row, body) ? NULL : xstrdup(db_text(res, row, body));
}

static void invites_free(struct mail_sender *ms)
{
    for (size_t i = 0; i < ms->ninv; i++) {
        free(ms->inv[i].email);
        text_free(&ms->inv[i].text);
    }
    free(ms->inv);
    ms->inv = NULL;
    ms->ninv = ms->iinv = 0;
}

static void round_free(struct mail_sender *ms)
{
    for (size_t i = 0; i < ms->rr.n; i++)
        free(ms->rr.c[i].email);
    free(ms->rr.c);
    ms->rr.c = NULL;
    ms->rr.n = ms->rr.i = 0;
}

/* Runs a statement; a refusal is a failed result at once. */
static void run(struct mail_sender *ms, const struct db_statement *st, const char *const *values,
                db_done_cb cb)
{
    ms->op = db_exec(ms->db, st, values, NULL, cb, ms);
    if (!ms->op) {
        struct db_result r = {.ok = false, .unavailable = true, .error = "database unavailable"};
        cb(&r, ms);
    }
}

static bool failed(struct mail_sender *ms, const struct db_result *r, const char *what)
{
    ms->op = NULL;
    if (r->ok)
        return false;
    log_warn("event=mail_db_failed step=%s error=\"%s\"", what, r->error ? r->error : "?");
    return true;
}

/* ---- the channel thread ---- */

static void *chan_main(void *arg)
{
    struct mail_sender *ms = arg;
    pthread_mutex_lock(&ms->mu);
    for (;;) {
        while (!ms->out_pending && !ms->stopping)
            pthread_cond_wait(&ms->cv, &ms->mu);
        if (ms->stopping)
            break;
        struct mail_outgoing m = ms->out;
        pthread_mutex_unlock(&ms->mu);
        struct mail_send_result res;
        memset(&res, 0, sizeof res);
        ms->ops->send(ms->ch, &m, &res);
        pthread_mutex_lock(&ms->mu);
        ms->result = res;
        ms->out_pending = false;
        event_active(ms->sent_ev, EV_TIMEOUT, 0); /* thread-safe: evthread_use_pthreads() */
    }
    pthread_mutex_unlock(&ms->mu);
    return NULL;
}

static void on_sent(evutil_socket_t fd, short what, void *arg)
{
    (void)fd;
    (void)what;
    struct mail_sender *ms = arg;
    switch (ms->result.status) {
    case MAIL_SENT:
        METRIC_INC(metrics_mail.sent);
        break;
    case MAIL_DEFERRED:
        METRIC_INC(metrics_mail.deferred);
        break;
    case MAIL_REFUSED:
        METRIC_INC(metrics_mail.refused);
        break;
    }
    ms->on_sent(ms);
}

/* ---- pacing: every contact or message takes one slot of 60 s / mail_per_minute ---- */

static void on_slot(evutil_socket_t fd, short what, void *arg)
{
    (void)fd;
    (void)what;
    struct mail_sender *ms = arg;
    struct timeval now,
        step = {.tv_sec = ms->slot_ms / 1000, .tv_usec = (ms->slot_ms % 1000) * 1000};
    event_base_gettimeofday_cached(ms->base, &now);
    if (evutil_timercmp(&ms->next_slot, &now, <))
        ms->next_slot = now;
    evutil_timeradd(&ms->next_slot, &step, &ms->next_slot);
    ms->on_slot(ms);
}

static void take_slot(struct mail_sender *ms, void (*then)(struct mail_sender *))
{
    struct timeval now, wait = {0, 0};
    ms->on_slot = then;
    event_base_gettimeofday_cached(ms->base, &now);
    if (evutil_timercmp(&ms->next_slot, &now, >))
        evutil_timersub(&ms->next_slot, &now, &wait);
    evtimer_add(ms->slot_ev, &wait);
}

/* Writes and hands a message to the channel thread; then ms->on_sent(ms) on the loop. */
static void hand_over(struct mail_sender *ms, const char *to, const struct list_text *t,
                      enum mail_kind kind, long long contact, int generation,
                      const char *message_id, void (*then)(struct mail_sender *))
{
    char tok[PERSONAL_TOKEN_CHARS + 1], deadline[64];
    secret_contact_token(&ms->secret, contact, generation, tok);
    if (!t->last_day[0] || !ita_thai_date_short(t->last_day, deadline, sizeof deadline))
        snprintf(deadline, sizeof deadline, "วันปิดแบบสำรวจ");
    struct strbuf link, subject, body;
    strbuf_init(&link);
    strbuf_init(&subject);
    strbuf_init(&body);
    strbuf_printf(&link, "%s/t/%s", ms->public_url, tok);
    sodium_memzero(tok, sizeof tok);
    struct mail_fields f = {.agency_th = t->agency_name,
                            .fiscal_year = t->year,
                            .deadline_th = deadline,
                            .link = link.data};
    mail_render(t->subject ? t->subject : mail_default_subject(kind, t->instrument), &f, &subject);
    mail_render(t->body ? t->body : mail_default_body(kind, t->instrument), &f, &body);
    struct mail_envelope env = {.from_addr = ms->from,
                                .from_name = ms->from_name,
                                .to = to,
                                .message_id = message_id,
                                .date = time(NULL)};
    char err[256];
    pthread_mutex_lock(&ms->mu);
    strbuf_free(&ms->out_msg);
    strbuf_init(&ms->out_msg);
    int rc = mail_build(&env, subject.data, body.data, &ms->out_msg, err, sizeof err);
    ms->on_sent = then;
    if (rc == 0) {
        ms->out =
            (struct mail_outgoing){.to = to, .data = ms->out_msg.data, .len = ms->out_msg.len};
        ms->out_pending = true;
        pthread_cond_signal(&ms->cv);
    } else { /* an address mail_build cannot use: refused without asking the relay */
        ms->result = (struct mail_send_result){.status = MAIL_REFUSED};
        snprintf(ms->result.reply, sizeof ms->result.reply, "ที่อยู่อีเมลใช้ไม่ได้: %s", err);
        event_active(ms->sent_ev, EV_TIMEOUT, 0);
    }
    pthread_mutex_unlock(&ms->mu);
    strbuf_free(&link);
    strbuf_free(&subject);
    strbuf_free(&body);
}

/* ---- 1. invitations ---- */

static void on_outcome(const struct db_result *r, void *arg)
{
    struct mail_sender *ms = arg;
    bool deferred = ms->result.status == MAIL_DEFERRED;
    if (failed(ms, r, "outcome")) {
        look_end(ms);
        return;
    }
    ms->iinv++;
    if (deferred) { /* the relay is probably down: the next look tries again */
        look_end(ms);
        return;
    }
    invite_next(ms);
}

static void write_outcome(struct mail_sender *ms, const char *state, const char *reply,
                          const char *to, const char *retry_s)
{
    const char *p[MAIL_OUTCOME_NPARAMS];
    p[MAIL_OUTCOME_P_ID] = ms->inv[ms->iinv].id;
    p[MAIL_OUTCOME_P_STATE] = state;
    p[MAIL_OUTCOME_P_REPLY] = reply;
    p[MAIL_OUTCOME_P_SENT_TO] = to;
    p[MAIL_OUTCOME_P_RETRY_S] = retry_s;
    run(ms, &sql_mail_outcome, p, on_outcome);
}

static void invite_sent(struct mail_sender *ms)
{
    struct invite *iv = &ms->inv[ms->iinv];
    const struct mail_send_result *res = &ms->result;
    char retry[24];
    switch (res->status) {
    case MAIL_SENT:
        ms->look_sent++;
        write_outcome(ms, "sent", res->reply, iv->email, NULL);
        return;
    case MAIL_REFUSED:
        ms->look_failed++;
        log_info("event=mail_refused outbox=%s code=%d", iv->id, res->code);
        write_outcome(ms, "failed", res->reply, iv->email, NULL);
        return;
    case MAIL_DEFERRED:
        break;
    }
    ms->look_deferred++;
    log_warn("event=mail_deferred outbox=%s attempts=%d code=%d", iv->id, iv->attempts + 1,
             res->code);
    if (iv->too_old) {
        write_outcome(ms, "failed", res->reply, iv->email, NULL);
        return;
    }
    long wait = ms->retry_s;
    for (int i = 0; i < iv->attempts && wait < RETRY_MAX_S; i++)
        wait *= 2;
    snprintf(retry, sizeof retry, "%ld", wait < RETRY_MAX_S ? wait : RETRY_MAX_S);
    write_outcome(ms, "deferred", res->reply, iv->email, retry);
}

static void invite_send(struct mail_sender *ms)
{
    struct invite *iv = &ms->inv[ms->iinv];
    char mid[160];
    snprintf(mid, sizeof mid, "ita.i%s.%d@%s", iv->id, iv->generation, ms->domain);
    hand_over(ms, iv->email, &iv->text, MAIL_INVITE, iv->contact, iv->generation, mid, invite_sent);
}

static void invite_next(struct mail_sender *ms)
{
    if (ms->iinv >= ms->ninv) { /* the batch is done: more may be due */
        invites_free(ms);
        look_more(ms);
        return;
    }
    struct invite *iv = &ms->inv[ms->iinv];
    ms->result.status = MAIL_SENT; /* not a deferral, whatever happened before */
    if (iv->generation != iv->current_generation) {
        write_outcome(ms, "cancelled", "ผู้รับได้ลิงก์ใหม่แล้ว ข้อความนี้จึงไม่ส่ง", "", NULL);
        return;
    }
    if (!iv->text.open) {
        write_outcome(ms, "cancelled", "แบบสำรวจปิดรับคำตอบแล้ว หรือยังไม่มีลิงก์ที่ใช้งานได้", "", NULL);
        return;
    }
    if (!iv->email[0]) {
        write_outcome(ms, "failed", "รายชื่อนี้ไม่มีอีเมล", "", NULL);
        return;
    }
    take_slot(ms, invite_send);
}

static void on_due(const struct db_result *r, void *arg)
{
    struct mail_sender *ms = arg;
    if (failed(ms, r, "due")) {
        look_end(ms);
        return;
    }
    int n = PQntuples(r->res);
    if (n == 0) {
        round_look(ms);
        return;
    }
    ms->inv = xcalloc((size_t)n, sizeof *ms->inv);
    ms->ninv = (size_t)n;
    for (int i = 0; i < n; i++) {
        struct invite *iv = &ms->inv[i];
        snprintf(iv->id, sizeof iv->id, "%s", db_text(r->res, i, MAIL_DUE_ID));
        iv->contact = db_int(r->res, i, MAIL_DUE_CONTACT);
        iv->generation = (int)db_int(r->res, i, MAIL_DUE_GENERATION);
        iv->current_generation = (int)db_int(r->res, i, MAIL_DUE_CURRENT_GENERATION);
        iv->attempts = (int)db_int(r->res, i, MAIL_DUE_ATTEMPTS);
        iv->email = xstrdup(db_text(r->res, i, MAIL_DUE_EMAIL));
        iv->too_old = db_bool(r->res, i, MAIL_DUE_TOO_OLD);
        text_read(&iv->text, r->res, i, MAIL_DUE_AGENCY_NAME, MAIL_DUE_YEAR, MAIL_DUE_INSTRUMENT,
                  MAIL_DUE_LAST_DAY, MAIL_DUE_OPEN, MAIL_DUE_SUBJECT, MAIL_DUE_BODY);
    }
    invite_next(ms);
}

/* ---- 2. reminder rounds ---- */

static void on_step(const struct db_result *r, void *arg)
{
    struct mail_sender *ms = arg;
    if (failed(ms, r, "round_step")) {
        look_end(ms);
        return;
    }
    if (ms->rr.n == 0) { /* the round was closed: look for the next */
        text_free(&ms->rr.text);
        look_more(ms);
        return;
    }
    ms->rr.i++;
    round_next(ms);
}

/* Records that the round got past contact id (done: the round is finished). */
static void round_step(struct mail_sender *ms, long long id, bool done)
{
    unsigned char sealed[MAIL_SEALED_BYTES];
    size_t len = mail_counts_seal(&ms->secret, &ms->rr.counts, sealed);
    char hex[2 * MAIL_SEALED_BYTES + 3] = "\\x", cursor[24];
    secret_hex(sealed, len, hex + 2);
    snprintf(cursor, sizeof cursor, "%lld", id);
    ms->rr.cursor = id;
    const char *p[ROUND_STEP_NPARAMS];
    p[ROUND_STEP_P_AGENCY] = ms->rr.agency;
    p[ROUND_STEP_P_YEAR] = ms->rr.year;
    p[ROUND_STEP_P_INSTRUMENT] = ms->rr.instrument;
    p[ROUND_STEP_P_ROUND] = ms->rr.round;
    p[ROUND_STEP_P_CURSOR] = cursor;
    p[ROUND_STEP_P_SEALED] = hex;
    p[ROUND_STEP_P_DONE] = done ? "true" : "false";
    run(ms, &sql_round_step, p, on_step);
}

static void reminder_sent(struct mail_sender *ms)
{
    struct round_contact *c = &ms->rr.c[ms->rr.i];
    switch (ms->result.status) {
    case MAIL_SENT:
        ms->rr.counts.sent++;
        ms->look_reminded++;
        break;
    case MAIL_REFUSED: /* counted only: listing it would tell the clerk who had not answered */
        ms->rr.counts.failed++;
        break;
    case MAIL_DEFERRED: /* the same contact again at the next look */
        ms->look_deferred++;
        log_warn("event=mail_deferred round=%s code=%d", ms->rr.round, ms->result.code);
        round_free(ms);
        text_free(&ms->rr.text);
        look_end(ms);
        return;
    }
    round_step(ms, c->id, false);
}

static void reminder_slot(struct mail_sender *ms)
{
    struct round_contact *c = &ms->rr.c[ms->rr.i];
    if (c->spent || !c->email[0]) { /* answered, or no address: the slot passes all the same */
        round_step(ms, c->id, false);
        return;
    }
    char mid[200];
    snprintf(mid, sizeof mid, "ita.r%s.%s.%s.%s.%lld.%d@%s", ms->rr.round, ms->rr.agency,
             ms->rr.year, ms->rr.instrument, c->id, c->generation, ms->domain);
    hand_over(ms, c->email, &ms->rr.text, MAIL_REMINDER, c->id, c->generation, mid, reminder_sent);
}

static void round_next(struct mail_sender *ms)
{
    if (ms->rr.i >= ms->rr.n) { /* the chunk is done: the next one */
        round_free(ms);
        text_free(&ms->rr.text);
        look_more(ms);
        return;
    }
    take_slot(ms, reminder_slot);
}

static void on_spent(const struct db_result *r, void *arg)
{
    struct mail_sender *ms = arg;
    if (failed(ms, r, "tokens_spent")) {
        round_free(ms);
        text_free(&ms->rr.text);
        look_end(ms);
        return;
    }
    for (int i = 0; i < PQntuples(r->res); i++) {
        const char *h = db_text(r->res, i, TOKENS_SPENT_HASH); /* "\x<hex>" */
        for (size_t k = 0; k < ms->rr.n; k++)
            if (strlen(h) > 2 && strcmp(h + 2, ms->rr.c[k].hash_hex) == 0)
                ms->rr.c[k].spent = true;
    }
    round_next(ms);
}

static void on_round_contacts(const struct db_result *r, void *arg)
{
    struct mail_sender *ms = arg;
    if (failed(ms, r, "round_contacts")) {
        text_free(&ms->rr.text);
        look_end(ms);
        return;
    }
    int n = PQntuples(r->res);
    if (n == 0) { /* every contact looked at: the round is finished */
        log_info("event=reminder_round_done agency=%s fy=%s instrument=%s round=%s", ms->rr.agency,
                 ms->rr.year, ms->rr.instrument, ms->rr.round);
        round_step(ms, ms->rr.cursor, true);
        return;
    }
    ms->rr.c = xcalloc((size_t)n, sizeof *ms->rr.c);
    ms->rr.n = (size_t)n;
    struct strbuf hashes;
    strbuf_init(&hashes);
    strbuf_puts(&hashes, "{");
    for (int i = 0; i < n; i++) {
        struct round_contact *c = &ms->rr.c[i];
        c->id = db_int(r->res, i, ROUND_CONTACTS_ID);
        c->generation = (int)db_int(r->res, i, ROUND_CONTACTS_GENERATION);
        c->email = xstrdup(db_text(r->res, i, ROUND_CONTACTS_EMAIL));
        char tok[PERSONAL_TOKEN_CHARS + 1];
        unsigned char h[TOKEN_HASH_BYTES];
        secret_contact_token(&ms->secret, c->id, c->generation, tok);
        secret_hmac(&ms->secret, SECRET_LABEL_TOKEN, tok, strlen(tok), h);
        sodium_memzero(tok, sizeof tok);
        secret_hex(h, TOKEN_HASH_BYTES, c->hash_hex);
        strbuf_printf(&hashes, "%s\"\\\\x%s\"", i ? "," : "", c->hash_hex);
    }
    strbuf_puts(&hashes, "}");
    const char *p[TOKENS_SPENT_NPARAMS] = {hashes.data};
    run(ms, &sql_tokens_spent, p, on_spent);
    strbuf_free(&hashes);
}

static void round_chunk(struct mail_sender *ms)
{
    char cursor[24], limit[16];
    snprintf(cursor, sizeof cursor, "%lld", ms->rr.cursor);
    snprintf(limit, sizeof limit, "%d", ROUND_CHUNK);
    const char *p[ROUND_CONTACTS_NPARAMS];
    p[ROUND_CONTACTS_P_AGENCY] = ms->rr.agency;
    p[ROUND_CONTACTS_P_YEAR] = ms->rr.year;
    p[ROUND_CONTACTS_P_INSTRUMENT] = ms->rr.instrument;
    p[ROUND_CONTACTS_P_CURSOR] = cursor;
    p[ROUND_CONTACTS_P_LIMIT] = limit;
    run(ms, &sql_round_contacts, p, on_round_contacts);
}

static void on_round_due(const struct db_result *r, void *arg)
{
    struct mail_sender *ms = arg;
    if (failed(ms, r, "round_due") || PQntuples(r->res) == 0) {
        look_end(ms);
        return;
    }
    const PGresult *res = r->res;
    snprintf(ms->rr.agency, sizeof ms->rr.agency, "%s", db_text(res, 0, ROUND_DUE_AGENCY));
    snprintf(ms->rr.year, sizeof ms->rr.year, "%s", db_text(res, 0, ROUND_DUE_YEAR));
    snprintf(ms->rr.instrument, sizeof ms->rr.instrument, "%s",
             db_text(res, 0, ROUND_DUE_INSTRUMENT));
    snprintf(ms->rr.round, sizeof ms->rr.round, "%s", db_text(res, 0, ROUND_DUE_ROUND));
    ms->rr.cursor = db_int(res, 0, ROUND_DUE_CURSOR);
    const char *sealed = db_text(res, 0, ROUND_DUE_SEALED); /* "\x<hex>" */
    unsigned char bin[MAIL_SEALED_BYTES];
    size_t len = 0;
    if (strlen(sealed) > 2 &&
        sodium_hex2bin(bin, sizeof bin, sealed + 2, strlen(sealed + 2), NULL, &len, NULL) != 0)
        len = 0;
    if (!mail_counts_open(&ms->secret, bin, len, &ms->rr.counts))
        log_warn("event=reminder_counts_unreadable round=%s", ms->rr.round); /* counts from 0 */
    text_read(&ms->rr.text, res, 0, ROUND_DUE_AGENCY_NAME, ROUND_DUE_YEAR, ROUND_DUE_INSTRUMENT,
              ROUND_DUE_LAST_DAY, ROUND_DUE_OPEN, ROUND_DUE_SUBJECT, ROUND_DUE_BODY);
    if (!ms->rr.text.open) { /* the window closed (or no live link): nothing more to remind */
        log_info("event=reminder_round_closed agency=%s fy=%s instrument=%s round=%s",
                 ms->rr.agency, ms->rr.year, ms->rr.instrument, ms->rr.round);
        round_step(ms, ms->rr.cursor, true);
        return;
    }
    round_chunk(ms);
}

static void round_look(struct mail_sender *ms)
{
    run(ms, &sql_round_due, NULL, on_round_due);
}

/* ---- a look ---- */

static void on_unlocked(const struct db_result *r, void *arg)
{
    struct mail_sender *ms = arg;
    (void)failed(ms, r, "unlock");
    ms->locked = false;
    ms->busy = false;
}

/* The end of a look: the lock given back (it is taken again by the next). */
static void look_end(struct mail_sender *ms)
{
    if (ms->look_sent || ms->look_deferred || ms->look_failed || ms->look_reminded)
        log_info("event=mail_look sent=%lu deferred=%lu failed=%lu reminded=%lu", ms->look_sent,
                 ms->look_deferred, ms->look_failed, ms->look_reminded);
    ms->look_sent = ms->look_deferred = ms->look_failed = ms->look_reminded = 0;
    if (!ms->locked) {
        ms->busy = false;
        return;
    }
    run(ms, &sql_mail_unlock, NULL, on_unlocked);
}

static void on_locked(const struct db_result *r, void *arg)
{
    struct mail_sender *ms = arg;
    if (failed(ms, r, "lock")) {
        ms->busy = false;
        return;
    }
    if (!db_bool(r->res, 0, MAIL_LOCK_GOT)) { /* another server sends */
        ms->busy = false;
        return;
    }
    ms->locked = true;
    look_more(ms);
}

/* The next batch of the look (the lock held): invitations first, then reminder rounds. */
static void look_more(struct mail_sender *ms)
{
    const char *p[MAIL_DUE_NPARAMS];
    char hours[16];
    snprintf(hours, sizeof hours, "%d", ms->give_up_hours);
    p[MAIL_DUE_P_LIMIT] = INVITE_BATCH;
    p[MAIL_DUE_P_GIVE_UP_HOURS] = hours;
    run(ms, &sql_mail_due, p, on_due);
}

static void on_poll(evutil_socket_t fd, short what, void *arg)
{
    (void)fd;
    (void)what;
    struct mail_sender *ms = arg;
    if (ms->busy)
        return;
    ms->busy = true;
    run(ms, &sql_mail_lock, NULL, on_locked);
}

static void on_stop(evutil_socket_t fd, short what, void *arg)
{
    (void)fd;
    (void)what;
    struct mail_sender *ms = arg;
    event_base_loopbreak(ms->base);
}

static void *loop_main(void *arg)
{
    struct mail_sender *ms = arg;
    event_active(ms->poll_ev, EV_TIMEOUT, 0);
    event_base_dispatch(ms->base);
    return NULL;
}

/* ---- start and stop ---- */

static void sender_free(struct mail_sender *ms)
{
    if (ms->chan_started) {
        pthread_mutex_lock(&ms->mu);
        ms->stopping = true;
        pthread_cond_signal(&ms->cv);
        pthread_mutex_unlock(&ms->mu);
        pthread_join(ms->chan_thread, NULL);
    }
    if (ms->ch)
        ms->ops->close(ms->ch);
    if (ms->op)
        db_op_cancel(ms->op);
    invites_free(ms);
    round_free(ms);
    text_free(&ms->rr.text);
    if (ms->db)
        db_pool_free(ms->db);
    struct event *evs[] = {ms->poll_ev, ms->stop_ev, ms->sent_ev, ms->slot_ev};
    for (size_t i = 0; i < sizeof evs / sizeof evs[0]; i++)
        if (evs[i])
            event_free(evs[i]);
    if (ms->dns)
        evdns_base_free(ms->dns, 0);
    if (ms->base)
        event_base_free(ms->base);
    pthread_mutex_destroy(&ms->mu);
    pthread_cond_destroy(&ms->cv);
    strbuf_free(&ms->out_msg);
    sodium_memzero(&ms->secret, sizeof ms->secret);
    free(ms->public_url);
    free(ms->from);
    free(ms->from_name);
    free(ms->metrics);
    free(ms);
}

struct mail_sender *mail_sender_start(const struct config *cfg, const struct secret *secret,
                                      const struct mail_channel_ops *ops, char *err, size_t errlen)
{
    struct mail_sender *ms = xcalloc(1, sizeof *ms);
    pthread_mutex_init(&ms->mu, NULL);
    pthread_cond_init(&ms->cv, NULL);
    strbuf_init(&ms->out_msg);
    ms->ops = ops;
    ms->secret = *secret;
    ms->public_url = xstrdup(cfg->public_url);
    size_t ul = strlen(ms->public_url);
    while (ul > 0 && ms->public_url[ul - 1] == '/')
        ms->public_url[--ul] = '\0';
    ms->from = xstrdup(cfg->mail_from);
    ms->from_name = xstrdup(cfg->mail_from_name);
    ms->domain = strchr(ms->from, '@') ? strchr(ms->from, '@') + 1 : ms->from;
    ms->slot_ms = 60000L / cfg->mail_per_minute;
    ms->retry_s = cfg->mail_retry_s;
    ms->give_up_hours = cfg->mail_give_up_hours;
    ms->metrics = xcalloc(1, sizeof *ms->metrics);
    ms->ch = ops->open(cfg, err, errlen);
    if (!ms->ch)
        goto fail;
    ms->base = event_base_new();
    if (!ms->base) {
        snprintf(err, errlen, "mail: cannot create an event base");
        goto fail;
    }
    ms->dns = evdns_base_new(ms->base, EVDNS_BASE_INITIALIZE_NAMESERVERS);
    if (!ms->dns)
        ms->dns = evdns_base_new(ms->base, 0);
    struct db_pool_config pc = {
        .conninfo = cfg->database_url,
        .size = 1,
        .queue_max = 16,
        .op_timeout_ms = cfg->db_timeout_ms,
        .statement_timeout_ms = cfg->db_statement_timeout_ms,
        .owner_id = -1,
        .application_name = "itad-mail",
    };
    ms->db = db_pool_new(ms->base, ms->dns, &pc, statements,
                         sizeof statements / sizeof statements[0], ms->metrics);
    ms->poll_ev = event_new(ms->base, -1, EV_PERSIST, on_poll, ms);
    ms->stop_ev = event_new(ms->base, -1, 0, on_stop, ms);
    ms->sent_ev = event_new(ms->base, -1, 0, on_sent, ms);
    ms->slot_ev = evtimer_new(ms->base, on_slot, ms);
    struct timeval tv = {.tv_sec = cfg->mail_poll_s};
    if (!ms->db || !ms->poll_ev || !ms->stop_ev || !ms->sent_ev || !ms->slot_ev ||
        event_add(ms->poll_ev, &tv) != 0) {
        snprintf(err, errlen, "mail: cannot set up its event loop");
        goto fail;
    }
    if (pthread_create(&ms->chan_thread, NULL, chan_main, ms) != 0) {
        snprintf(err, errlen, "mail: cannot start its channel thread");
        goto fail;
    }
    ms->chan_started = true;
    if (pthread_create(&ms->loop_thread, NULL, loop_main, ms) != 0) {
        snprintf(err, errlen, "mail: cannot start its thread");
        goto fail;
    }
    ms->loop_started = true;
    log_info("event=mail_started channel=%s per_minute=%d poll_s=%d", ops->name,
             cfg->mail_per_minute, cfg->mail_poll_s);
    return ms;
fail:
    sender_free(ms);
    return NULL;
}

void mail_sender_stop(struct mail_sender *ms)
{
    if (!ms)
        return;
    event_active(ms->stop_ev, EV_TIMEOUT, 0);
    pthread_join(ms->loop_thread, NULL);
    sender_free(ms);
    log_info("event=mail_stopped");
}
