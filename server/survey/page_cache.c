/* Per-worker cache of blank form pages, split at the form token (and for personal links at the
 * form's address too). A small table probed from the hash of the form's address (or of the
 * agency, for the personal pages' shared entry); a miss renders through pages_form with
 * placeholders and keeps the bytes around their one occurrence each. */
#include "page_cache.h"
#include "fnv.h"
#include "xalloc.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define PROBE 4 /* slots looked at per lookup */

/* Rendered where the token and the spliced action go; each must occur exactly once in a page,
 * the action first (checked on every render). */
static const char PLACEHOLDER[] = "__ita_form_token_placeholder__";
static const char ACTION_PLACEHOLDER[] = "/t/__ita_form_action_placeholder__";

/* The rendered bytes, shared by the cache entry and the responses that still send them. */
struct page_blob {
    int refs;              /* the entry's reference plus one per hold */
    bool gz_ok;            /* gz holds the parts deflated */
    struct gz_piece gz[3]; /* head, mid, tail */
    char bytes[];          /* head bytes, mid bytes, tail bytes, then NUL */
};

struct page_entry {
    /* key */
    const struct ita_version *v; /* NULL = empty slot; compared by identity (a worker keeps
                                    replaced versions until it ends, so a pointer is never
                                    reused for another version while this cache lives) */
    int revision;
    enum ita_instrument instrument;
    bool any_action; /* the action is spliced, not part of the key (then action is "") */
    char *agency;    /* owned */
    char *action;    /* owned */
    /* value */
    struct page_parts parts; /* pointers into parts.blob (one reference held) */
    uint64_t used;           /* clock of the last hit, for eviction */
};

struct page_cache {
    struct page_entry *slots; /* [n] */
    size_t n;
    uint64_t clock;
};

struct page_cache *page_cache_new(size_t capacity)
{
    struct page_cache *pc = xcalloc(1, sizeof *pc);
    pc->n = capacity < PROBE ? PROBE : capacity;
    pc->slots = xcalloc(pc->n, sizeof *pc->slots);
    return pc;
}

struct page_blob *page_blob_hold(const struct page_parts *pp)
{
    pp->blob->refs++;
    return pp->blob;
}

void page_blob_release(struct page_blob *b)
{
    if (b && --b->refs == 0) {
        for (int i = 0; i < 3; i++)
            gz_piece_free(&b->gz[i]);
        free(b);
    }
}

static void entry_clear(struct page_entry *e)
{
    free(e->agency);
    free(e->action);
    page_blob_release(e->parts.blob);
    memset(e, 0, sizeof *e);
}

void page_cache_free(struct page_cache *pc)
{
    if (!pc)
        return;
    for (size_t i = 0; i < pc->n; i++)
        entry_clear(&pc->slots[i]);
    free(pc->slots);
    free(pc);
}

bool page_cache_token_ok(const char *token)
{
    return token && strpbrk(token, "&<>\"'") == NULL;
}

static const char *nz(const char *s)
{
    return s ? s : "";
}

/* The action part of the key: "" when the action is spliced. */
static const char *key_action(const struct form_view *fv, bool any_action)
{
    return any_action ? "" : nz(fv->action);
}

static bool entry_matches(const struct page_entry *e, const struct form_view *fv, int revision,
                          bool any_action)
{
    return e->v == fv->v && e->revision == revision && e->instrument == fv->instrument &&
           e->any_action == any_action && strcmp(e->agency, nz(fv->agency_name_th)) == 0 &&
           strcmp(e->action, key_action(fv, any_action)) == 0;
}

/* The one occurrence of what in [from, end), or NULL when it is missing or occurs twice. */
static char *only_one(char *from, const char *what)
{
    char *at = strstr(from, what);
    return at && !strstr(at + strlen(what), what) ? at : NULL;
}

/* Renders the blank page around the placeholders into e; false when it cannot be split. */
static bool entry_render(struct page_entry *e, const struct form_view *fv, int revision,
                         bool any_action)
{
    struct form_view blank = *fv;
    blank.form_token = PLACEHOLDER;
    if (any_action)
        blank.action = ACTION_PLACEHOLDER;
    blank.answers = NULL;
    blank.show_errors = false;
    blank.notice_th = NULL;
    blank.csrf = NULL; /* respondents' pages only: the key does not hold it */
    struct strbuf out;
    strbuf_init(&out);
    pages_form(&out, &blank);
    size_t pl = sizeof PLACEHOLDER - 1, al = any_action ? sizeof ACTION_PLACEHOLDER - 1 : 0;
    char *at = only_one(out.data, PLACEHOLDER);
    char *act = any_action ? only_one(out.data, ACTION_PLACEHOLDER) : NULL;
    if (!at || (any_action && (!act || act + al > at))) {
        strbuf_free(&out);
        return false;
    }
    /* head | [action | mid |] token | tail */
    size_t head = (size_t)((any_action ? act : at) - out.data);
    size_t mid = any_action ? (size_t)(at - (act + al)) : 0;
    size_t tail = out.len - head - al - mid - pl;
    struct page_blob *b = xmalloc(sizeof *b + head + mid + tail + 1);
    b->refs = 1;
    b->gz_ok = false;
    memset(b->gz, 0, sizeof b->gz);
    memcpy(b->bytes, out.data, head);
    memcpy(b->bytes + head, out.data + head + al, mid);
    memcpy(b->bytes + head + mid, at + pl, tail + 1);
    strbuf_free(&out);
    /* Deflated once per entry, level 9 (a few milliseconds for the IIT's 48 KB, at the miss that
     * renders the page anyway); every gzip view then costs only the stored blocks. The parts
     * after a spliced value are deflated with what precedes them as history, so the page is as
     * small as one deflate of it: for this request's lengths of the address and the token,
     * which are fixed (form tokens; personal links' addresses); a view whose lengths differ
     * goes uncompressed (page_parts_gzip). */
    size_t vl = any_action ? strlen(fv->action) : 0, tl = strlen(fv->form_token);
    const struct gz_span personal[4] = {
        {b->bytes, head}, {NULL, vl}, {b->bytes + head, mid}, {NULL, tl}}; /* head|addr|mid|token */
    const struct gz_span public[2] = {{b->bytes, head}, {NULL, tl}};       /* head|token */
    b->gz_ok = gz_piece_init(&b->gz[0], b->bytes, head, 9) &&
               (any_action ? gz_piece_init_after(&b->gz[1], b->bytes + head, mid, 9, personal, 2) &&
                                 gz_piece_init_after(&b->gz[2], b->bytes + head + mid, tail, 9,
                                                     personal, 4)
                           : gz_piece_init_after(&b->gz[2], b->bytes + head, tail, 9, public, 2));
    e->v = fv->v;
    e->revision = revision;
    e->instrument = fv->instrument;
    e->any_action = any_action;
    e->agency = xstrdup(nz(fv->agency_name_th));
    e->action = xstrdup(key_action(fv, any_action));
    e->parts = (struct page_parts){
        .head = b->bytes,
        .head_len = head,
        .mid = any_action ? b->bytes + head : NULL,
        .mid_len = mid,
        .tail = b->bytes + head + mid,
        .tail_len = tail,
        .blob = b,
        .gz_head = b->gz_ok ? &b->gz[0] : NULL,
        .gz_mid = b->gz_ok && any_action ? &b->gz[1] : NULL,
        .gz_tail = b->gz_ok ? &b->gz[2] : NULL,
    };
    return true;
}

size_t page_parts_spans(const struct page_parts *pp, const char *action, const char *token,
                        struct gz_span out[5])
{
    size_t n = 0;
    out[n++] = (struct gz_span){pp->head, pp->head_len};
    if (pp->mid) {
        out[n++] = (struct gz_span){action, strlen(action)};
        out[n++] = (struct gz_span){pp->mid, pp->mid_len};
    }
    out[n++] = (struct gz_span){token, strlen(token)};
    out[n++] = (struct gz_span){pp->tail, pp->tail_len};
    return n;
}

bool page_parts_gzip(const struct page_parts *pp, const char *action, const char *token,
                     struct gz_splice *s)
{
    if (!pp->gz_head || !pp->gz_tail || (pp->mid && !pp->gz_mid))
        return false;
    gz_splice_begin(s);
    gz_splice_piece(s, pp->gz_head);
    if (pp->mid) {
        gz_splice_literal(s, action, strlen(action));
        gz_splice_piece(s, pp->gz_mid);
    }
    gz_splice_literal(s, token, strlen(token));
    gz_splice_piece(s, pp->gz_tail);
    return gz_splice_end(s);
}

static const struct page_parts *lookup(struct page_cache *pc, const struct form_view *fv,
                                       int revision, bool any_action)
{
    size_t h = (size_t)(fnv1a(key_action(fv, any_action)) + 31 * fnv1a(nz(fv->agency_name_th)));
    struct page_entry *victim = NULL;
    for (size_t i = 0; i < PROBE; i++) {
        struct page_entry *e = &pc->slots[(h + i) % pc->n];
        if (e->v && entry_matches(e, fv, revision, any_action)) {
            e->used = ++pc->clock;
            return &e->parts;
        }
        if (!victim || (victim->v && (!e->v || e->used < victim->used)))
            victim = e;
    }
    entry_clear(victim);
    if (!entry_render(victim, fv, revision, any_action))
        return NULL;
    victim->used = ++pc->clock;
    return &victim->parts;
}

const struct page_parts *page_cache_form(struct page_cache *pc, const struct form_view *fv,
                                         int revision)
{
    return lookup(pc, fv, revision, false);
}

const struct page_parts *page_cache_form_any_action(struct page_cache *pc,
                                                    const struct form_view *fv, int revision)
{
    return lookup(pc, fv, revision, true);
}
