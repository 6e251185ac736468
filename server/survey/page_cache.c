/* Per-worker cache of blank form pages, split at the form token. A small table probed from the
 * hash of the form's address; a miss renders through pages_form with a placeholder token and
 * keeps the bytes on either side of its one occurrence. */
#include "page_cache.h"
#include "fnv.h"
#include "xalloc.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define PROBE 4 /* slots looked at per lookup */

/* Rendered where the token goes; must occur nowhere else in a page (checked on every render). */
static const char PLACEHOLDER[] = "__ita_form_token_placeholder__";

/* The rendered bytes, shared by the cache entry and the responses that still send them. */
struct page_blob {
    int refs;              /* the entry's reference plus one per hold */
    bool gz_ok;            /* gz holds head and tail deflated */
    struct gz_piece gz[2]; /* head, tail */
    char bytes[];          /* head bytes, then tail bytes, then NUL */
};

struct page_entry {
    /* key */
    const struct ita_version *v; /* NULL = empty slot; compared by identity (a worker keeps
                                    replaced versions until it ends, so a pointer is never
                                    reused for another version while this cache lives) */
    int revision;
    enum ita_instrument instrument;
    char *agency; /* owned */
    char *action; /* owned */
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
        gz_piece_free(&b->gz[0]);
        gz_piece_free(&b->gz[1]);
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

static bool entry_matches(const struct page_entry *e, const struct form_view *fv, int revision)
{
    return e->v == fv->v && e->revision == revision && e->instrument == fv->instrument &&
           strcmp(e->agency, nz(fv->agency_name_th)) == 0 && strcmp(e->action, nz(fv->action)) == 0;
}

/* Renders the blank page around the placeholder into e; false when it cannot be split. */
static bool entry_render(struct page_entry *e, const struct form_view *fv, int revision)
{
    struct form_view blank = *fv;
    blank.form_token = PLACEHOLDER;
    blank.answers = NULL;
    blank.show_errors = false;
    blank.notice_th = NULL;
    blank.csrf = NULL; /* respondents' pages only: the key does not hold it */
    struct strbuf out;
    strbuf_init(&out);
    pages_form(&out, &blank);
    size_t pl = sizeof PLACEHOLDER - 1;
    char *at = strstr(out.data, PLACEHOLDER);
    if (!at || strstr(at + pl, PLACEHOLDER)) {
        strbuf_free(&out);
        return false;
    }
    size_t head = (size_t)(at - out.data), tail = out.len - head - pl;
    struct page_blob *b = xmalloc(sizeof *b + head + tail + 1);
    b->refs = 1;
    b->gz_ok = false;
    memset(b->gz, 0, sizeof b->gz);
    memcpy(b->bytes, out.data, head);
    memcpy(b->bytes + head, at + pl, tail + 1);
    strbuf_free(&out);
    /* Deflated once per entry, level 9 (a few milliseconds for the IIT's 48 KB, at the miss that
     * renders the page anyway); every gzip view then costs only the token's stored block. */
    b->gz_ok = gz_piece_init(&b->gz[0], b->bytes, head, 9) &&
               gz_piece_init(&b->gz[1], b->bytes + head, tail, 9);
    e->v = fv->v;
    e->revision = revision;
    e->instrument = fv->instrument;
    e->agency = xstrdup(nz(fv->agency_name_th));
    e->action = xstrdup(nz(fv->action));
    e->parts = (struct page_parts){b->bytes,
                                   head,
                                   b->bytes + head,
                                   tail,
                                   b,
                                   b->gz_ok ? &b->gz[0] : NULL,
                                   b->gz_ok ? &b->gz[1] : NULL};
    return true;
}

bool page_parts_gzip(const struct page_parts *pp, const char *token, struct gz_splice *s)
{
    if (!pp->gz_head || !pp->gz_tail)
        return false;
    gz_splice_begin(s);
    gz_splice_piece(s, pp->gz_head);
    gz_splice_literal(s, token, strlen(token));
    gz_splice_piece(s, pp->gz_tail);
    return gz_splice_end(s);
}

const struct page_parts *page_cache_form(struct page_cache *pc, const struct form_view *fv,
                                         int revision)
{
    size_t h = (size_t)fnv1a(nz(fv->action));
    struct page_entry *victim = NULL;
    for (size_t i = 0; i < PROBE; i++) {
        struct page_entry *e = &pc->slots[(h + i) % pc->n];
        if (e->v && entry_matches(e, fv, revision)) {
            e->used = ++pc->clock;
            return &e->parts;
        }
        if (!victim || (victim->v && (!e->v || e->used < victim->used)))
            victim = e;
    }
    entry_clear(victim);
    if (!entry_render(victim, fv, revision))
        return NULL;
    victim->used = ++pc->clock;
    return &victim->parts;
}
