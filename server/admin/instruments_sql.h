/* The statements of the instrument-version pages (instruments_sql.c): text, parameters and result
 * columns, declared once with their parameters and columns named. */
#ifndef ITA_INSTRUMENTS_SQL_H
#define ITA_INSTRUMENTS_SQL_H

#include "db/db_pool.h"

#include <stddef.h>

/* sql_instrument_versions: → every stored version, newest year first, with its counts, how many
 * items are unconfirmed and which instruments have stored answers */
extern const struct db_statement sql_instrument_versions;
enum { INSTRUMENT_VERSIONS_NPARAMS };
enum {
    INSTRUMENT_VERSIONS_FISCAL_YEAR,
    INSTRUMENT_VERSIONS_TITLE,
    INSTRUMENT_VERSIONS_REVISION,
    INSTRUMENT_VERSIONS_LOADED_ON, /* YYYY-MM-DD, Thailand */
    INSTRUMENT_VERSIONS_IIT_QUESTIONS,
    INSTRUMENT_VERSIONS_IIT_FIELDS,
    INSTRUMENT_VERSIONS_EIT_QUESTIONS,
    INSTRUMENT_VERSIONS_EIT_FIELDS,
    INSTRUMENT_VERSIONS_OIT_ITEMS,
    INSTRUMENT_VERSIONS_UNVERIFIED,
    INSTRUMENT_VERSIONS_IIT_ANSWERS,
    INSTRUMENT_VERSIONS_EIT_ANSWERS,
    INSTRUMENT_VERSIONS_OIT_ANSWERS,
    INSTRUMENT_VERSIONS_NCOLS
};

/* sql_instrument_drafts: → every draft not yet published, newest first */
extern const struct db_statement sql_instrument_drafts;
enum { INSTRUMENT_DRAFTS_NPARAMS };
enum {
    INSTRUMENT_DRAFTS_ID,
    INSTRUMENT_DRAFTS_FISCAL_YEAR,
    INSTRUMENT_DRAFTS_TITLE,
    INSTRUMENT_DRAFTS_FILE_NAME,
    INSTRUMENT_DRAFTS_UPLOADED_BY, /* e-mail */
    INSTRUMENT_DRAFTS_UPLOADED_ON, /* YYYY-MM-DD, Thailand */
    INSTRUMENT_DRAFTS_UNVERIFIED,
    INSTRUMENT_DRAFTS_STORED_REVISION, /* NULL when the year has no version */
    INSTRUMENT_DRAFTS_NCOLS
};

/* sql_instrument_draft_add: $1 fiscal year, $2 canonical JSON, $3 its SHA-256, $4 IIT fields,
 * $5 EIT fields, $6 file name, $7 administrator → the new draft's id (logged) */
extern const struct db_statement sql_instrument_draft_add;
enum {
    INSTRUMENT_DRAFT_ADD_P_YEAR,
    INSTRUMENT_DRAFT_ADD_P_DOCUMENT,
    INSTRUMENT_DRAFT_ADD_P_SHA256,
    INSTRUMENT_DRAFT_ADD_P_IIT_FIELDS,
    INSTRUMENT_DRAFT_ADD_P_EIT_FIELDS,
    INSTRUMENT_DRAFT_ADD_P_FILE_NAME,
    INSTRUMENT_DRAFT_ADD_P_ADMIN,
    INSTRUMENT_DRAFT_ADD_NPARAMS
};
enum { INSTRUMENT_DRAFT_ADD_ID, INSTRUMENT_DRAFT_ADD_NCOLS };

/* sql_instrument_draft_get: $1 draft id → the draft, the stored version of its year (NULLs when
 * none) and which instruments of that year have stored answers; no row when no such draft */
extern const struct db_statement sql_instrument_draft_get;
enum { INSTRUMENT_DRAFT_GET_P_ID, INSTRUMENT_DRAFT_GET_NPARAMS };
enum {
    INSTRUMENT_DRAFT_GET_ID,
    INSTRUMENT_DRAFT_GET_FISCAL_YEAR,
    INSTRUMENT_DRAFT_GET_DOCUMENT,
    INSTRUMENT_DRAFT_GET_SHA256,
    INSTRUMENT_DRAFT_GET_FILE_NAME,
    INSTRUMENT_DRAFT_GET_UPLOADED_BY, /* e-mail */
    INSTRUMENT_DRAFT_GET_UPLOADED_ON, /* YYYY-MM-DD, Thailand */
    INSTRUMENT_DRAFT_GET_UNVERIFIED,
    INSTRUMENT_DRAFT_GET_STORED_REVISION,
    INSTRUMENT_DRAFT_GET_STORED_DOCUMENT,
    INSTRUMENT_DRAFT_GET_STORED_SHA256,
    INSTRUMENT_DRAFT_GET_IIT_ANSWERS,
    INSTRUMENT_DRAFT_GET_EIT_ANSWERS,
    INSTRUMENT_DRAFT_GET_OIT_ANSWERS,
    INSTRUMENT_DRAFT_GET_NCOLS
};

/* sql_instrument_publish: $1 draft id, $2 the stored revision decided against (0: none), $3..$5
 * whether IIT, EIT, OIT had answers then, $6 administrator → what happened (ita_publish_instrument
 * in sql/0008: 'published', 'changed' or 'no_draft'), the new revision and the draft's year */
extern const struct db_statement sql_instrument_publish;
enum {
    INSTRUMENT_PUBLISH_P_DRAFT,
    INSTRUMENT_PUBLISH_P_REVISION,
    INSTRUMENT_PUBLISH_P_HAD_IIT,
    INSTRUMENT_PUBLISH_P_HAD_EIT,
    INSTRUMENT_PUBLISH_P_HAD_OIT,
    INSTRUMENT_PUBLISH_P_ADMIN,
    INSTRUMENT_PUBLISH_NPARAMS
};
enum {
    INSTRUMENT_PUBLISH_OUTCOME,
    INSTRUMENT_PUBLISH_REVISION,
    INSTRUMENT_PUBLISH_FISCAL_YEAR,
    INSTRUMENT_PUBLISH_NCOLS
};

/* sql_instrument_discard: $1 draft id, $2 administrator → the discarded draft's year (logged);
 * no row when no such draft */
extern const struct db_statement sql_instrument_discard;
enum { INSTRUMENT_DISCARD_P_ID, INSTRUMENT_DISCARD_P_ADMIN, INSTRUMENT_DISCARD_NPARAMS };
enum { INSTRUMENT_DISCARD_FISCAL_YEAR, INSTRUMENT_DISCARD_NCOLS };

/* sql_instrument_doc: $1 draft id (-1: none), $2 fiscal year (-1: none) → the document of that
 * draft or of that year's published version, for a preview */
extern const struct db_statement sql_instrument_doc;
enum { INSTRUMENT_DOC_P_DRAFT, INSTRUMENT_DOC_P_YEAR, INSTRUMENT_DOC_NPARAMS };
enum { INSTRUMENT_DOC_DOCUMENT, INSTRUMENT_DOC_FISCAL_YEAR, INSTRUMENT_DOC_NCOLS };

/* Every statement above, for the pools to prepare. */
extern const struct db_statement *const instruments_statements[];
extern const size_t instruments_statements_count;

#endif
