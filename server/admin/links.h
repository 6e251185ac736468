/* What other set-up pages use of links.c: a contact's token hash as personal_token keeps it, and
 * the three steps of issuing links to every contact of s's list without one (the e-mail page
 * issues them before queueing invitations). Each step ends in the caller's named state. */
#ifndef ITA_ADMIN_LINKS_H
#define ITA_ADMIN_LINKS_H

#include "admin_setup.h"
#include "secret.h"

/* "\\x<hex>" (bytea text) of what personal_token keeps for contact id's link number gen. */
void links_token_hash_text(const struct secret *sec, long long id, int gen,
                           char out[2 * TOKEN_HASH_BYTES + 3]);

/* 1: lists the contacts without a link (409 when the year has no public link yet). */
void links_issue_list(struct http_request *req, struct setup *s, int listed_state);
/* 2: with step 1's result, derives their token hashes on the CPU pool. */
void links_issue_hash(struct http_request *req, struct setup *s, const struct db_result *r,
                      int hashed_state);
/* 3: stores them (sql_links_issue; its result comes to stored_state). */
void links_issue_store(struct http_request *req, struct setup *s, int stored_state);

#endif
