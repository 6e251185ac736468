/* A worker's cache of rendered blank form pages. The form page of a link depends only on the
 * instrument version, the instrument, the agency's name and the form's address; only the signed
 * form token differs per request. So the page is rendered once around a placeholder and kept as
 * the bytes before and after the token; a view then sends head + its own token + tail, which is
 * byte for byte what pages_form renders with that token (test_page_cache checks it). A personal
 * link's page is split at its address too (head + address + mid + token + tail). Pages with
 * answers, errors or a notice are never cached. Bounded, unlocked (one per worker), pure C.
 * Each entry also keeps its parts deflated once (level 9, at the fill), for gzip responses
 * spliced with the token (and a personal link's address) as stored blocks (core/gzip_splice.h):
 * those secrets never take part in any compression. */
#ifndef ITA_PAGE_CACHE_H
#define ITA_PAGE_CACHE_H

#include "gzip_splice.h"
#include "pages.h"

#include <stdbool.h>
#include <stddef.h>

struct page_blob;

struct page_parts {
    const char *head; /* page bytes before the first spliced value */
    size_t head_len;
    const char *mid; /* between the action and the token; NULL when the action is part of the
                        cached page (public links: head ends where the token goes) */
    size_t mid_len;
    const char *tail; /* page bytes after the form token */
    size_t tail_len;
    struct page_blob *blob;         /* the bytes head, mid and tail point into (counted) */
    const struct gz_piece *gz_head; /* the parts deflated, in blob; NULL when zlib failed */
    const struct gz_piece *gz_mid;
    const struct gz_piece *gz_tail;
};

/* The page with action (used only when pp->mid is set) and token spliced in, as up to five
 * spans into out (pointing into pp's blob, action and token); returns how many. */
size_t page_parts_spans(const struct page_parts *pp, const char *action, const char *token,
                        struct gz_span out[5]);

/* The same as one gzip member, into s (its spans point into pp's blob, action and token: keep
 * them alive until the spans are written). False when pp has no compressed parts (then send
 * page_parts_spans uncompressed). */
bool page_parts_gzip(const struct page_parts *pp, const char *action, const char *token,
                     struct gz_splice *s) __attribute__((warn_unused_result));

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
/* The same with the action spliced too (pp->mid set): one entry serves every personal link
 * (/t/{token}) of an agency's instrument, whose pages differ only by their address and token;
 * the action is not part of the key. */
const struct page_parts *page_cache_form_any_action(struct page_cache *pc,
                                                    const struct form_view *fv, int revision);

/* Keeps the bytes of pp alive after the cache replaces the page (e.g. while a response still
 * refers to them); each hold is ended by one page_blob_release. For the worker's thread only. */
struct page_blob *page_blob_hold(const struct page_parts *pp);
void page_blob_release(struct page_blob *b);

/* True when token can be spliced as is (pages_form would escape nothing in it). */
bool page_cache_token_ok(const char *token);

#endif
