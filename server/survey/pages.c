/* Respondent-facing HTML, Thai first: the IIT/EIT form generated from an instrument version (one
 * fieldset per question, one labelled radio per answer level) and the small status pages, in the
 * frame every page shares (app/page_frame.c). */
#include "pages.h"
#include "app/page_frame.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void esc(struct strbuf *o, const char *s)
{
    strbuf_html_escape(o, s);
}

/* The visible number of a question or field code: "i12" → "12", "e4.2" → "4.2"; a code that
 * does not continue with a digit after its letters is shown whole. */
static const char *code_number(const char *code)
{
    const char *p = code;
    while ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z'))
        p++;
    if (*p >= '0' && *p <= '9')
        return p;
    return code;
}

/* ---- the form ---- */

/* Index into fv->answers of field f: fields are numbered across the version, IIT then EIT. */
static size_t answer_slot(const struct form_view *fv, const struct ita_field *f)
{
    size_t first = fv->instrument == ITA_IIT ? 0 : fv->v->surveys[ITA_IIT].n_fields;
    return f->index - first;
}

static int answer_of(const struct form_view *fv, const struct ita_field *f)
{
    if (!fv->answers)
        return -1;
    return fv->answers[answer_slot(fv, f)];
}

static bool field_missing(const struct form_view *fv, const struct ita_field *f)
{
    int level = answer_of(fv, f);
    return level < 0 || level >= fv->v->scales[f->scale].levels;
}

static size_t question_missing(const struct form_view *fv, const struct ita_question *q)
{
    size_t n = 0;
    for (size_t i = 0; i < q->n_fields; i++)
        if (field_missing(fv, &q->fields[i]))
            n++;
    return n;
}

/* A question is drawn as one group of radios when it has a single field without its own label. */
static bool single_group(const struct ita_question *q)
{
    return q->n_fields == 1 && !q->fields[0].label_th;
}

/* The radios of one field, in scale order, each inside its own full-width label. */
static void render_options(struct strbuf *o, const struct form_view *fv, const struct ita_field *f)
{
    const struct ita_scale *sc = &fv->v->scales[f->scale];
    int chosen = answer_of(fv, f);
    strbuf_puts(o, "<div class=\"r\">\n");
    for (int level = 0; level < sc->levels; level++) {
        strbuf_puts(o, "<label for=\"");
        esc(o, f->code);
        strbuf_printf(o, "-%d\"><input type=\"radio\" name=\"", level);
        esc(o, f->code);
        strbuf_puts(o, "\" id=\"");
        esc(o, f->code);
        strbuf_printf(o, "-%d\" value=\"%d\" required%s>", level, level,
                      level == chosen ? " checked" : "");
        esc(o, sc->labels_th[level]);
        strbuf_puts(o, "</label>\n");
    }
    strbuf_puts(o, "</div>\n");
}

static void render_question(struct strbuf *o, const struct form_view *fv,
                            const struct ita_question *q)
{
    size_t missing = fv->show_errors ? question_missing(fv, q) : 0;
    bool single = single_group(q);

    strbuf_puts(o, "<fieldset id=\"q-");
    esc(o, q->code);
    strbuf_puts(o, missing ? "\" class=\"q x\"" : "\" class=\"q\"");
    if (single)
        strbuf_puts(o, missing ? " role=\"radiogroup\" aria-invalid=\"true\""
                               : " role=\"radiogroup\"");
    /* the note and the error message describe the whole question */
    if (q->note_th || missing) {
        strbuf_puts(o, " aria-describedby=\"");
        if (q->note_th) {
            strbuf_puts(o, "nt-");
            esc(o, q->code);
        }
        if (missing) {
            strbuf_puts(o, q->note_th ? " er-" : "er-");
            esc(o, q->code);
        }
        strbuf_puts(o, "\"");
    }
    strbuf_puts(o, ">\n<legend><span class=\"n\">ข้อ ");
    esc(o, code_number(q->code));
    strbuf_puts(o, "</span> ");
    esc(o, q->text_th);
    strbuf_puts(o, "</legend>\n");
    if (q->note_th) {
        strbuf_puts(o, "<p class=\"nt\" id=\"nt-");
        esc(o, q->code);
        strbuf_puts(o, "\">หมายเหตุ: ");
        esc(o, q->note_th);
        strbuf_puts(o, "</p>\n");
    }
    if (missing) {
        strbuf_puts(o, "<p class=\"er\" id=\"er-");
        esc(o, q->code);
        strbuf_puts(o, "\">กรุณาตอบข้อนี้");
        if (!single) {
            strbuf_puts(o, " (ยังไม่ได้ตอบข้อย่อย ");
            const char *sep = "";
            for (size_t i = 0; i < q->n_fields; i++) {
                if (!field_missing(fv, &q->fields[i]))
                    continue;
                strbuf_puts(o, sep);
                esc(o, code_number(q->fields[i].code));
                sep = ", ";
            }
            strbuf_puts(o, ")");
        }
        strbuf_puts(o, "</p>\n");
    }
    if (single) {
        render_options(o, fv, &q->fields[0]);
    } else {
        for (size_t i = 0; i < q->n_fields; i++) {
            const struct ita_field *f = &q->fields[i];
            bool miss = fv->show_errors && field_missing(fv, f);
            strbuf_puts(o, miss ? "<fieldset class=\"s x\" role=\"radiogroup\""
                                : "<fieldset class=\"s\" role=\"radiogroup\"");
            if (miss) {
                strbuf_puts(o, " aria-invalid=\"true\" aria-describedby=\"er-");
                esc(o, q->code);
                strbuf_puts(o, "\"");
            }
            strbuf_puts(o, ">\n<legend>");
            esc(o, code_number(f->code));
            strbuf_puts(o, " ");
            esc(o, f->label_th ? f->label_th : f->code);
            strbuf_puts(o, "</legend>\n");
            render_options(o, fv, f);
            strbuf_puts(o, "</fieldset>\n");
        }
    }
    strbuf_puts(o, "</fieldset>\n");
}

/* The box at the top listing every question with an unanswered field; nothing when none. */
static void render_error_summary(struct strbuf *o, const struct form_view *fv)
{
    const struct ita_survey *s = &fv->v->surveys[fv->instrument];
    size_t n = 0;
    for (size_t i = 0; i < s->n_questions; i++)
        if (question_missing(fv, &s->questions[i]))
            n++;
    if (n == 0)
        return;
    strbuf_printf(o,
                  "<div id=\"es\" class=\"es\" role=\"alert\" tabindex=\"-1\">\n"
                  "<h2>ยังตอบไม่ครบ %zu ข้อ</h2>\n"
                  "<p>คำตอบที่เลือกไว้แล้วยังอยู่ครบ โปรดตอบข้อต่อไปนี้ แล้วกด “ส่งคำตอบ” อีกครั้ง"
                  "</p>\n<ul>\n",
                  n);
    for (size_t i = 0; i < s->n_questions; i++) {
        const struct ita_question *q = &s->questions[i];
        if (!question_missing(fv, q))
            continue;
        strbuf_puts(o, "<li><a href=\"#q-");
        esc(o, q->code);
        strbuf_puts(o, "\">ข้อ ");
        esc(o, code_number(q->code));
        strbuf_puts(o, "</a></li>\n");
    }
    strbuf_puts(o, "</ul>\n</div>\n");
}

void pages_form(struct strbuf *out, const struct form_view *fv)
{
    const struct ita_version *v = fv->v;
    const struct ita_survey *s = &v->surveys[fv->instrument];

    page_frame_start(out, s->name_th, fv->agency_name_th);
    page_frame_header(out, fv->agency_name_th, s->name_th, v->fiscal_year);
    strbuf_puts(out, "<main>\n");
    if (fv->notice_th && *fv->notice_th) {
        strbuf_puts(out, "<p class=\"nc\" role=\"status\">");
        esc(out, fv->notice_th);
        strbuf_puts(out, "</p>\n");
    }
    if (fv->show_errors)
        render_error_summary(out, fv);
    /* What holds, and no more (README, "Anonymity"). */
    strbuf_printf(out,
                  "<section class=\"pd\">\n<h2>ประกาศความเป็นส่วนตัว</h2>\n"
                  "<p>ระบบเก็บเฉพาะคำตอบที่ท่านเลือก พร้อมหน่วยงาน ปีงบประมาณ และแบบสำรวจ "
                  "ไม่เก็บชื่อ อีเมล เบอร์โทรศัพท์ ที่อยู่ไอพี ข้อมูลอุปกรณ์ หรือวันเวลาที่ท่านส่ง</p>\n"
                  "<p>คำตอบจะถูกนับรวมเป็นกลุ่มละอย่างน้อย %d คน และคะแนนของหน่วยงานแสดงหลังปิดรับ"
                  "แบบสำรวจเท่านั้น เมื่อมีผู้ตอบอย่างน้อย %d คน "
                  "ผู้ดูแลการประเมินของหน่วยงานและผู้ดูแลระบบจึงไม่เห็นคำตอบของผู้ใดเป็นรายบุคคล</p>\n"
                  "<p>หากตอบผ่านลิงก์ส่วนตัว ผู้ที่ส่งลิงก์ให้ท่านรู้ได้ว่าลิงก์นั้นใช้ตอบแล้วหรือยัง "
                  "แต่ไม่รู้ว่าท่านตอบอย่างไร</p>\n"
                  "<p>การตอบแบบสำรวจเป็นไปโดยสมัครใจ ผลจะเผยแพร่เป็นภาพรวมเท่านั้น</p>\n"
                  "</section>\n",
                  fv->k, fv->k);
    strbuf_printf(out,
                  "<p>แบบสำรวจนี้มี %zu ข้อ โปรดตอบทุกข้อ "
                  "โดยเลือกหนึ่งคำตอบในแต่ละข้อหรือข้อย่อย</p>\n",
                  s->n_questions);
    /* novalidate: the server's Thai message beside each missing question is the first and
     * only one (a browser's own bubble would be in its language, on the first radio only);
     * `required` stays on the radios for assistive technology. */
    /* IIT: the page script keeps unsent answers in this browser only (a staff member may be
     * interrupted); not the EIT, often answered on a device at a counter, nor the preview */
    bool keep = fv->instrument == ITA_IIT && !fv->csrf;
    if (keep)
        strbuf_puts(
            out, "<p id=\"kn\" class=\"nt\" hidden>ระหว่างตอบ คำตอบที่ยังไม่ส่งจะถูกเก็บไว้ในเบราว์เซอร์ของ"
                 "เครื่องนี้เท่านั้น (ไม่ส่งไปที่ระบบ) เพื่อให้ตอบต่อได้หากปิดหน้าไป "
                 "และจะถูกลบเมื่อส่งคำตอบ หรือเมื่อครบ 7 วัน</p>\n"
                 "<div id=\"kp\" class=\"nc\" role=\"status\" hidden><p>นำคำตอบที่ท่านตอบค้างไว้บนเครื่องนี้"
                 "กลับมาแล้ว (ยังไม่ได้ส่ง) ตรวจดูแล้วตอบต่อได้เลย</p>"
                 "<button type=\"button\" id=\"kc\" class=\"sec\">ล้างคำตอบที่เก็บไว้ "
                 "แล้วเริ่มใหม่</button></div>\n");
    strbuf_puts(out, keep ? "<form id=\"sf\" method=\"post\" novalidate data-keep=\"1\" action=\""
                          : "<form id=\"sf\" method=\"post\" novalidate action=\"");
    esc(out, fv->action);
    strbuf_puts(out, "\">\n<input type=\"hidden\" name=\"" PAGES_FORM_TOKEN_FIELD "\" value=\"");
    esc(out, fv->form_token);
    strbuf_puts(out, "\">\n");
    if (fv->csrf) {
        strbuf_puts(out, "<input type=\"hidden\" name=\"csrf\" value=\"");
        esc(out, fv->csrf);
        strbuf_puts(out, "\">\n");
    }
    int indicator = 0;
    for (size_t i = 0; i < s->n_questions; i++) {
        const struct ita_question *q = &s->questions[i];
        if (q->indicator != indicator) {
            indicator = q->indicator;
            strbuf_printf(out, "<h2>ตัวชี้วัดที่ %d ", indicator);
            esc(out, v->indicators[indicator - 1].name_th);
            strbuf_puts(out, "</h2>\n");
        }
        render_question(out, fv, q);
    }
    strbuf_puts(out, "<p id=\"pg\" class=\"pg\" aria-live=\"polite\" hidden></p>\n"
                     "<button type=\"submit\" id=\"sb\">ส่งคำตอบ</button>\n</form>\n</main>\n");
    page_frame_end(out, true);
}

/* ---- status pages ---- */

struct status_text {
    const char *heading; /* the h1 and the title */
    const char *what;    /* what happened */
    const char *next;    /* what the person can do now */
};

static const struct status_text STATUS_TEXTS[] = {
    [PAGE_THANKS] = {"ขอบคุณที่ตอบแบบสำรวจ", "ระบบบันทึกคำตอบของท่านแล้ว โดยไม่ระบุตัวตนของผู้ตอบ",
                     "ท่านปิดหน้านี้ได้เลย ไม่ต้องส่งซ้ำ"},
    [PAGE_ALREADY_ANSWERED] = {"ลิงก์นี้ใช้ตอบแบบสำรวจแล้ว",
                               "ลิงก์ส่วนตัวแต่ละลิงก์ใช้ตอบได้เพียงครั้งเดียว "
                               "คำตอบที่ส่งผ่านลิงก์นี้ก่อนหน้านี้ได้รับการบันทึกไว้แล้ว",
                               "ไม่ต้องตอบซ้ำ หากท่านยังไม่เคยตอบด้วยตนเอง "
                               "โปรดแจ้งผู้ดูแลการประเมินของหน่วยงาน"},
    [PAGE_NOT_OPEN] = {"แบบสำรวจยังไม่เปิดรับคำตอบ", "ขณะนี้ยังไม่ถึงช่วงเวลาตอบแบบสำรวจนี้",
                       "โปรดกลับมาตอบเมื่อถึงกำหนด โดยใช้ลิงก์หรือคิวอาร์โค้ดเดิม"},
    [PAGE_CLOSED] = {"แบบสำรวจปิดรับคำตอบแล้ว", "ช่วงเวลาตอบแบบสำรวจนี้สิ้นสุดแล้ว",
                     "ไม่สามารถส่งคำตอบผ่านลิงก์นี้ได้อีก หากมีข้อสงสัย โปรดติดต่อหน่วยงาน"},
    [PAGE_REVOKED] = {"ลิงก์นี้ถูกยกเลิกแล้ว", "หน่วยงานได้ยกเลิกลิงก์แบบสำรวจนี้",
                      "หากท่านยังต้องการตอบแบบสำรวจ โปรดขอลิงก์ใหม่จากหน่วยงาน"},
    [PAGE_NOT_FOUND] = {"ไม่พบแบบสำรวจตามลิงก์นี้", "ลิงก์อาจไม่ครบหรือพิมพ์ไม่ถูกต้อง",
                        "โปรดตรวจสอบลิงก์อีกครั้ง หรือสแกนคิวอาร์โค้ดใหม่"},
    [PAGE_RATE_LIMITED] = {"มีการส่งข้อมูลถี่เกินไป", "ระบบได้รับคำขอจำนวนมากในเวลาอันสั้น จึงพักรับคำขอชั่วคราว",
                           "โปรดรอสักครู่ แล้วลองอีกครั้ง"},
    [PAGE_UNAVAILABLE] = {"ระบบขัดข้องชั่วคราว", "ขณะนี้ระบบไม่สามารถยืนยันได้ว่าบันทึกคำตอบของท่านแล้ว",
                          "โปรดกดปุ่มย้อนกลับของเบราว์เซอร์ แล้วกด “ส่งคำตอบ” อีกครั้งในอีกสักครู่ "
                          "คำตอบที่เลือกไว้ในแบบสำรวจยังอยู่ในเบราว์เซอร์ "
                          "และหากระบบบันทึกไว้แล้ว การส่งซ้ำจะไม่ถูกนับเป็นคำตอบที่สอง"},
    [PAGE_BAD_REQUEST] = {"ข้อมูลที่ส่งมาไม่ถูกต้อง", "ระบบอ่านข้อมูลแบบสำรวจที่ส่งมาไม่ได้ จึงยังไม่ได้บันทึกคำตอบ",
                          "โปรดเปิดลิงก์แบบสำรวจอีกครั้ง แล้วตอบใหม่"},
};

static const struct status_text *status_text(enum page_kind kind)
{
    size_t k = (size_t)kind;
    if (k >= sizeof STATUS_TEXTS / sizeof STATUS_TEXTS[0] || !STATUS_TEXTS[k].heading)
        return &STATUS_TEXTS[PAGE_BAD_REQUEST];
    return &STATUS_TEXTS[k];
}

void pages_status(struct strbuf *out, const struct status_view *sv)
{
    const struct status_text *t = status_text(sv->kind);
    page_frame_start(out, t->heading, NULL);
    page_frame_header(out, sv->agency_name_th, NULL, sv->fiscal_year);
    strbuf_puts(out, "<main>\n<h1>");
    strbuf_puts(out, t->heading);
    strbuf_puts(out, "</h1>\n<p>");
    strbuf_puts(out, t->what);
    bool dated = sv->when_th && *sv->when_th;
    if (dated && sv->kind == PAGE_NOT_OPEN) {
        strbuf_puts(out, " แบบสำรวจจะเปิดรับคำตอบในวันที่ ");
        esc(out, sv->when_th);
    } else if (dated && sv->kind == PAGE_CLOSED) {
        strbuf_puts(out, " (รับคำตอบถึงวันที่ ");
        esc(out, sv->when_th);
        strbuf_puts(out, ")");
    }
    strbuf_puts(out, "</p>\n<p>");
    strbuf_puts(out, t->next);
    strbuf_puts(out, "</p>\n</main>\n");
    page_frame_end(out, false);
}

int pages_status_code(enum page_kind kind)
{
    switch (kind) {
    case PAGE_THANKS:
        return 200;
    case PAGE_ALREADY_ANSWERED:
        return 409;
    case PAGE_NOT_OPEN:
        return 403;
    case PAGE_CLOSED:
    case PAGE_REVOKED:
        return 410;
    case PAGE_NOT_FOUND:
        return 404;
    case PAGE_RATE_LIMITED:
        return 429;
    case PAGE_UNAVAILABLE:
        return 503;
    case PAGE_BAD_REQUEST:
        return 400;
    }
    return 400;
}
