/* A worker's cache of rendered blank form pages. The form page of a link depends only on the
 * instrument version, the instrument, the agency's name and the form's address; only the signed
 * form token differs per request. So the page is rendered once around a placeholder and kept as
 * the bytes before and after the token; a view then sends head + its own token + tail, which is
 * byte for byte what pages_form renders with that token (test_page_cache checks it). Pages with
 * answers, errors or a notice are never cached. Bounded, unlocked (one per worker), pure C.
 * Each entry also keeps head and tail deflated once (level 9, at the fill), for gzip responses
 * spliced with the token as a stored block (core/gzip_splice.h): the token's bytes never take
 * part in any compression. */
#ifndef ITA_PAGE_CACHE_H
#define ITA_PAGE_CACHE_H

#include "gzip_splice.h"
#include "pages.h"

#include <stdbool.h>
#include <stddef.h>

struct page_blob;

struct page_parts {
    const char *head; /* page bytes before the form token */
    size_t head_len;
    const char *tail; /* page bytes after the form token */
    size_t tail_len;
    struct page_blob *blob;         /* the bytes head and tail point into (reference counted) */
    const struct gz_piece *gz_head; /* head and tail deflated, in blob; NULL when zlib failed */
    const struct gz_piece *gz_tail;
};

/* The gzip member of the page with token spliced in, into s (its spans point into pp's blob and
 * into token: keep both alive until the spans are written). False when pp has no compressed
 * parts (then send head + token + tail uncompressed). */
bool page_parts_gzip(const struct page_parts *pp, const char *token, struct gz_splice *s)
    __attribute__((warn_unused_result));

struct page_cache;

/* capacity: pages kept at most. Owned by the caller: page_cache_free. */
struct page_cache *page_cache_new(size_t capacity);
void page_cache_free(struct page_cache *pc);

/* The parts of the blank form page for fv (whose form_token, answers, show_errors and notice_th
 * are ignored), rendering it on a miss. revision is the instrument version's revision: part of
 * the key, with fv->v, the instrument, the agency's name and the action. Borrowed: valid until
 * the next call. NULL when this page cannot be split (then render it whole). */
const struct page_parts *page_cache_form(struct page_cache *pc, const struct form_view *fv,
                                         int revision);

/* Keeps the bytes of pp alive after the cache replaces the page (e.g. while a response still
 * refers to them); each hold is ended by one page_blob_release. For the worker's thread only. */
struct page_blob *page_blob_hold(const struct page_parts *pp);
void page_blob_release(struct page_blob *b);

/* True when token can be spliced as is (pages_form would escape nothing in it). */
bool page_cache_token_ok(const char *token);

#endif
