/* The DOCX writer of the document model (doc_docx.h): each part of the package is XML text built
 * in a strbuf (every piece of document text escaped), then the parts are zipped in memory with
 * libzip (zip_source_buffer_create + zip_open_from_source + ZIP_TRUNCATE) and the archive's bytes
 * read back. Lengths are in twentieths of a point (twips) and font sizes in half points, as
 * WordprocessingML has them. */
#include "doc_docx.h"
#include "xalloc.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

#define W_NS "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
#define R_NS "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
#define XML_HEAD "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"

#define PAGE_W 11906 /* A4 in twips */
#define PAGE_H 16838
#define MARGIN 1134 /* 2 cm */
#define TEXT_W (PAGE_W - 2 * MARGIN)
/* The face of Thai government documents (cabinet resolution of 2010); LibreOffice on Debian gets
 * Laksaman for it through fonts-thai-tlwg's fontconfig rules. */
#define FONT "TH SarabunPSK"
#define BAR_STEPS 50 /* a chart's bar area in grid columns */
#define BAR_FILL "0D3B66"

/* ---- text ---- */

/* The length of the valid UTF-8 sequence at s, or 0. */
static size_t utf8_len(const unsigned char *s)
{
    if (s[0] < 0x80)
        return 1;
    size_t n = (s[0] & 0xE0) == 0xC0   ? 2
               : (s[0] & 0xF0) == 0xE0 ? 3
               : (s[0] & 0xF8) == 0xF0 ? 4
                                       : 0;
    if (n == 0 || (n == 2 && s[0] < 0xC2) || (n == 4 && s[0] > 0xF4))
        return 0;
    for (size_t i = 1; i < n; i++)
        if ((s[i] & 0xC0) != 0x80)
            return 0;
    if (n == 3 && ((s[0] == 0xE0 && s[1] < 0xA0) || (s[0] == 0xED && s[1] >= 0xA0)))
        return 0; /* overlong or a surrogate */
    if (n == 4 && ((s[0] == 0xF0 && s[1] < 0x90) || (s[0] == 0xF4 && s[1] >= 0x90)))
        return 0;
    return n;
}

/* Appends text as XML character data: & < > " escaped, characters XML 1.0 cannot hold left out,
 * bytes that are not UTF-8 replaced by U+FFFD. Stops at stop (a byte value) when stop != 0. */
static const char *xml_text(struct strbuf *x, const char *text, int stop)
{
    const unsigned char *s = (const unsigned char *)text;
    while (*s && *s != stop) {
        size_t n = utf8_len(s);
        if (n == 0) {
            strbuf_puts(x, "\xEF\xBF\xBD");
            s++;
            continue;
        }
        switch (*s) {
        case '&':
            strbuf_puts(x, "&amp;");
            break;
        case '<':
            strbuf_puts(x, "&lt;");
            break;
        case '>':
            strbuf_puts(x, "&gt;");
            break;
        case '"':
            strbuf_puts(x, "&quot;");
            break;
        default:
            /* control characters but tab, U+FFFE and U+FFFF are not XML characters */
            if ((*s < 0x20 && *s != '\t') ||
                (n == 3 && s[0] == 0xEF && s[1] == 0xBF && s[2] >= 0xBE))
                break;
            strbuf_append(x, s, n);
        }
        s += n;
    }
    return (const char *)s;
}

/* Runs of text with rPr (may be ""): '\n' becomes a line break, '\t' a tab. */
static void runs(struct strbuf *x, const char *text, const char *rpr)
{
    strbuf_printf(x, "<w:r>%s%s%s", *rpr ? "<w:rPr>" : "", rpr, *rpr ? "</w:rPr>" : "");
    const char *s = text;
    for (;;) {
        strbuf_puts(x, "<w:t xml:space=\"preserve\">");
        s = xml_text(x, s, '\n');
        strbuf_puts(x, "</w:t>");
        if (*s != '\n')
            break;
        strbuf_puts(x, "<w:br/>");
        s++;
    }
    strbuf_puts(x, "</w:r>");
}

/* A paragraph of style `style` ("" for Normal) with extra pPr and run properties. */
static void para(struct strbuf *x, const char *style, const char *ppr, const char *text,
                 const char *rpr)
{
    strbuf_puts(x, "<w:p><w:pPr>");
    if (*style)
        strbuf_printf(x, "<w:pStyle w:val=\"%s\"/>", style);
    strbuf_printf(x, "%s</w:pPr>", ppr);
    runs(x, text, rpr);
    strbuf_puts(x, "</w:p>");
}

/* ---- tables ---- */

static void borders(struct strbuf *x, const char *tag, const char *val)
{
    strbuf_printf(x, "<w:%s>", tag);
    static const char *const side[] = {"top", "left", "bottom", "right", "insideH", "insideV"};
    for (size_t i = 0; i < 6; i++)
        strbuf_printf(x, "<w:%s w:val=\"%s\" w:sz=\"4\" w:space=\"0\" w:color=\"404040\"/>",
                      side[i], val);
    strbuf_printf(x, "</w:%s>", tag);
}

static void table_cell(struct strbuf *x, int width, const char *fill, const char *jc,
                       bool keep_next, const char *text, bool bold)
{
    strbuf_printf(x, "<w:tc><w:tcPr><w:tcW w:w=\"%d\" w:type=\"dxa\"/>", width);
    if (fill)
        strbuf_printf(x, "<w:shd w:val=\"clear\" w:color=\"auto\" w:fill=\"%s\"/>", fill);
    strbuf_puts(x, "</w:tcPr>");
    char ppr[96];
    snprintf(ppr, sizeof ppr, "%s<w:jc w:val=\"%s\"/>", keep_next ? "<w:keepNext/>" : "", jc);
    para(x, "TableText", ppr, text, bold ? "<w:b/><w:bCs/>" : "");
    strbuf_puts(x, "</w:tc>");
}

static void table(struct strbuf *x, const struct doc_table *t)
{
    if (t->caption)
        para(x, "Caption", "", t->caption, "");
    double sum = 0;
    for (size_t c = 0; c < t->n_cols; c++)
        sum += t->width[c];
    int w[DOC_MAX_COLS], total = 0;
    for (size_t c = 0; c < t->n_cols; c++) {
        w[c] = c + 1 < t->n_cols ? (int)(TEXT_W * t->width[c] / sum) : TEXT_W - total;
        total += w[c];
    }
    strbuf_printf(x,
                  "<w:tbl><w:tblPr><w:tblW w:w=\"%d\" w:type=\"dxa\"/>"
                  "<w:tblLayout w:type=\"fixed\"/>",
                  TEXT_W);
    borders(x, "tblBorders", "single");
    strbuf_puts(x, "<w:tblCellMar><w:left w:w=\"80\" w:type=\"dxa\"/><w:right w:w=\"80\" "
                   "w:type=\"dxa\"/></w:tblCellMar><w:tblLook w:val=\"0020\" w:firstRow=\"1\" "
                   "w:lastRow=\"0\" w:firstColumn=\"0\" w:lastColumn=\"0\" w:noHBand=\"1\" "
                   "w:noVBand=\"1\"/></w:tblPr><w:tblGrid>");
    for (size_t c = 0; c < t->n_cols; c++)
        strbuf_printf(x, "<w:gridCol w:w=\"%d\"/>", w[c]);
    strbuf_puts(x, "</w:tblGrid>");
    /* the header row repeats on every page; it keeps with the first row */
    strbuf_puts(x, "<w:tr><w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>");
    for (size_t c = 0; c < t->n_cols; c++)
        table_cell(x, w[c], "D9D9D9", "center", true, t->head[c], true);
    strbuf_puts(x, "</w:tr>");
    for (size_t r = 0; r < t->n_rows; r++) {
        bool total_row = t->bold_last_row && r + 1 == t->n_rows;
        strbuf_puts(x, "<w:tr><w:trPr><w:cantSplit/></w:trPr>");
        for (size_t c = 0; c < t->n_cols; c++)
            table_cell(x, w[c], total_row ? "F0F0F0" : NULL, t->numeric[c] ? "right" : "left",
                       false, doc_table_cell(t, r, c), total_row);
        strbuf_puts(x, "</w:tr>");
    }
    strbuf_puts(x, "</w:tbl>");
    para(x, "", "<w:spacing w:after=\"120\"/>", "", ""); /* room after, and tables never touch */
}

/* ---- bar charts ---- */

static int bar_step(const struct doc_bars *b, double v)
{
    if (!(v > 0))
        return 0;
    if (v >= b->max)
        return BAR_STEPS;
    int k = (int)(v / b->max * BAR_STEPS + 0.5);
    return k > BAR_STEPS ? BAR_STEPS : k;
}

/* One span [a, b) of the bar area: shaded when it is part of the bar, with white top and bottom
 * borders that leave a gap between bars (gap); the cell starting at the reference line has the
 * line as its dashed left border. */
static void bar_span(struct strbuf *x, int a, int e, int step_w, bool fill, bool ref_edge, bool gap,
                     bool keep_next, const char *jc, const char *text)
{
    strbuf_printf(x, "<w:tc><w:tcPr><w:tcW w:w=\"%d\" w:type=\"dxa\"/>", (e - a) * step_w);
    if (e - a > 1)
        strbuf_printf(x, "<w:gridSpan w:val=\"%d\"/>", e - a);
    static const char white[] = "w:val=\"single\" w:sz=\"24\" w:space=\"0\" w:color=\"FFFFFF\"/>";
    if (ref_edge || gap) {
        strbuf_puts(x, "<w:tcBorders>");
        if (gap)
            strbuf_printf(x, "<w:top %s", white);
        if (ref_edge)
            strbuf_puts(x,
                        "<w:left w:val=\"dashed\" w:sz=\"8\" w:space=\"0\" w:color=\"C00000\"/>");
        if (gap)
            strbuf_printf(x, "<w:bottom %s", white);
        strbuf_puts(x, "</w:tcBorders>");
    }
    if (fill)
        strbuf_printf(x, "<w:shd w:val=\"clear\" w:color=\"auto\" w:fill=\"%s\"/>", BAR_FILL);
    strbuf_puts(x, "<w:vAlign w:val=\"center\"/></w:tcPr>");
    char ppr[96];
    snprintf(ppr, sizeof ppr, "%s<w:jc w:val=\"%s\"/>", keep_next ? "<w:keepNext/>" : "", jc);
    para(x, "TableText", ppr, text, *text ? "<w:color w:val=\"C00000\"/>" : "<w:sz w:val=\"20\"/>");
    strbuf_puts(x, "</w:tc>");
}

/* The bar area of one bar's row: cells split where the bar ends (k) and at the reference line
 * (ref, -1: none). */
static void bar_area(struct strbuf *x, int k, int ref, int step_w, bool keep_next)
{
    int cut[4], n = 0;
    cut[n++] = 0;
    if (k > 0 && k < BAR_STEPS)
        cut[n++] = k;
    if (ref > 0 && ref < BAR_STEPS && ref != k) {
        if (n == 2 && ref < k) {
            cut[2] = k;
            cut[1] = ref;
            n = 3;
        } else {
            cut[n++] = ref;
        }
    }
    cut[n] = BAR_STEPS;
    for (int i = 0; i < n; i++)
        bar_span(x, cut[i], cut[i + 1], step_w, cut[i + 1] <= k, ref >= 0 && cut[i] == ref, true,
                 keep_next, "left", "");
}

/* The row above the bars: the reference line's label ending at the line. */
static void ref_label_area(struct strbuf *x, int ref, int step_w, const char *text)
{
    if (ref > 0) {
        bar_span(x, 0, ref, step_w, false, false, false, true, "right", text);
        if (ref < BAR_STEPS)
            bar_span(x, ref, BAR_STEPS, step_w, false, true, false, true, "left", "");
    } else {
        bar_span(x, 0, BAR_STEPS, step_w, false, true, false, true, "left", text);
    }
}

static void bars(struct strbuf *x, const struct doc_bars *b)
{
    para(x, "Caption", "<w:jc w:val=\"center\"/>", b->title, "");
    int label_w = TEXT_W * 36 / 100, value_w = TEXT_W * 12 / 100;
    int step_w = (TEXT_W - label_w - value_w) / BAR_STEPS;
    int ref = b->has_ref ? bar_step(b, b->ref) : -1;
    strbuf_printf(x,
                  "<w:tbl><w:tblPr><w:tblW w:w=\"%d\" w:type=\"dxa\"/>"
                  "<w:tblLayout w:type=\"fixed\"/>",
                  label_w + value_w + step_w * BAR_STEPS);
    borders(x, "tblBorders", "none");
    strbuf_puts(x, "<w:tblCellMar><w:left w:w=\"0\" w:type=\"dxa\"/><w:right w:w=\"0\" "
                   "w:type=\"dxa\"/></w:tblCellMar></w:tblPr><w:tblGrid>");
    strbuf_printf(x, "<w:gridCol w:w=\"%d\"/><w:gridCol w:w=\"%d\"/>", label_w, value_w);
    for (int i = 0; i < BAR_STEPS; i++)
        strbuf_printf(x, "<w:gridCol w:w=\"%d\"/>", step_w);
    strbuf_puts(x, "</w:tblGrid>");
    /* every row keeps with the next: the chart stays on one page */
    if (b->has_ref) {
        strbuf_puts(x, "<w:tr><w:trPr><w:cantSplit/></w:trPr>");
        table_cell(x, label_w, NULL, "right", true, "", false);
        table_cell(x, value_w, NULL, "left", true, "", false);
        ref_label_area(x, ref, step_w, b->ref_label ? b->ref_label : "");
        strbuf_puts(x, "</w:tr>");
    }
    for (size_t i = 0; i < b->n; i++) {
        bool keep = i + 1 < b->n;
        strbuf_puts(x, "<w:tr><w:trPr><w:cantSplit/></w:trPr>");
        table_cell(x, label_w, NULL, "right", keep, b->bars[i].label, false);
        table_cell(x, value_w, NULL, "center", keep, b->bars[i].value_text, false);
        bar_area(x, bar_step(b, b->bars[i].value), ref, step_w, keep);
        strbuf_puts(x, "</w:tr>");
    }
    if (b->n == 0) { /* a table needs a row */
        strbuf_puts(x, "<w:tr>");
        table_cell(x, label_w, NULL, "left", false, "", false);
        table_cell(x, value_w, NULL, "left", false, "", false);
        bar_area(x, 0, -1, step_w, false);
        strbuf_puts(x, "</w:tr>");
    }
    strbuf_puts(x, "</w:tbl>");
    para(x, "", "<w:spacing w:after=\"120\"/>", "", "");
}

/* ---- the parts ---- */

static void document_xml(struct strbuf *x, const struct doc *d)
{
    strbuf_puts(x, XML_HEAD "<w:document xmlns:w=\"" W_NS "\" xmlns:r=\"" R_NS "\"><w:body>");
    for (size_t i = 0; i < d->n; i++) {
        const struct doc_block *b = &d->blocks[i];
        switch (b->kind) {
        case DOC_TITLE:
            para(x, "Title", "", b->text, "");
            break;
        case DOC_HEADING: {
            char style[16];
            snprintf(style, sizeof style, "Heading%d", b->level);
            para(x, style, "", b->text, "");
            break;
        }
        case DOC_PARAGRAPH:
            para(x, "", "", b->text, "");
            break;
        case DOC_BULLET:
            para(x, "ListBullet", "", b->text, "");
            break;
        case DOC_TABLE:
            table(x, b->table);
            break;
        case DOC_BARS:
            bars(x, b->bars);
            break;
        case DOC_PAGE_BREAK:
            strbuf_puts(x, "<w:p><w:r><w:br w:type=\"page\"/></w:r></w:p>");
            break;
        }
    }
    strbuf_printf(x,
                  "<w:sectPr><w:footerReference w:type=\"default\" r:id=\"rIdFooter\"/>"
                  "<w:pgSz w:w=\"%d\" w:h=\"%d\"/><w:pgMar w:top=\"%d\" w:right=\"%d\" "
                  "w:bottom=\"%d\" w:left=\"%d\" w:header=\"567\" w:footer=\"567\" "
                  "w:gutter=\"0\"/></w:sectPr></w:body></w:document>",
                  PAGE_W, PAGE_H, MARGIN, MARGIN, MARGIN, MARGIN);
}

/* Run properties of a style: size in half points, bold or not (Latin and complex script). */
static void style_rpr(struct strbuf *x, int half_pt, bool bold)
{
    strbuf_printf(x, "<w:rPr>%s<w:sz w:val=\"%d\"/><w:szCs w:val=\"%d\"/></w:rPr>",
                  bold ? "<w:b/><w:bCs/>" : "", half_pt, half_pt);
}

static void style(struct strbuf *x, const char *id, const char *name, const char *ppr, int half_pt,
                  bool bold)
{
    strbuf_printf(x,
                  "<w:style w:type=\"paragraph\" w:styleId=\"%s\"><w:name w:val=\"%s\"/>"
                  "<w:basedOn w:val=\"Normal\"/><w:next w:val=\"Normal\"/><w:qFormat/>"
                  "<w:pPr>%s</w:pPr>",
                  id, name, ppr);
    style_rpr(x, half_pt, bold);
    strbuf_puts(x, "</w:style>");
}

static void styles_xml(struct strbuf *x)
{
    strbuf_puts(x, XML_HEAD "<w:styles xmlns:w=\"" W_NS "\"><w:docDefaults><w:rPrDefault><w:rPr>"
                            "<w:rFonts w:ascii=\"" FONT "\" w:hAnsi=\"" FONT "\" w:eastAsia=\"" FONT
                            "\" w:cs=\"" FONT "\"/>"
                            "<w:sz w:val=\"32\"/><w:szCs w:val=\"32\"/>"
                            "<w:lang w:val=\"th-TH\" w:eastAsia=\"en-US\" w:bidi=\"th-TH\"/>"
                            "</w:rPr></w:rPrDefault><w:pPrDefault><w:pPr>"
                            "<w:spacing w:after=\"0\" w:line=\"240\" w:lineRule=\"auto\"/>"
                            "</w:pPr></w:pPrDefault></w:docDefaults>"
                            "<w:style w:type=\"paragraph\" w:default=\"1\" w:styleId=\"Normal\">"
                            "<w:name w:val=\"Normal\"/><w:qFormat/><w:pPr><w:widowControl/>"
                            "<w:spacing w:after=\"120\"/></w:pPr></w:style>");
    style(x, "Title", "Title",
          "<w:keepNext/><w:keepLines/><w:spacing w:after=\"160\"/><w:jc w:val=\"center\"/>", 40,
          true);
    style(x, "Heading1", "heading 1",
          "<w:keepNext/><w:keepLines/><w:spacing w:before=\"280\" w:after=\"80\"/>"
          "<w:outlineLvl w:val=\"0\"/>",
          36, true);
    style(x, "Heading2", "heading 2",
          "<w:keepNext/><w:keepLines/><w:spacing w:before=\"200\" w:after=\"80\"/>"
          "<w:outlineLvl w:val=\"1\"/>",
          34, true);
    style(x, "Heading3", "heading 3",
          "<w:keepNext/><w:keepLines/><w:spacing w:before=\"200\" w:after=\"80\"/>"
          "<w:outlineLvl w:val=\"2\"/>",
          32, true);
    style(x, "Caption", "caption", "<w:keepNext/><w:keepLines/><w:spacing w:after=\"40\"/>", 32,
          true);
    style(x, "ListBullet", "List Bullet",
          "<w:numPr><w:ilvl w:val=\"0\"/><w:numId w:val=\"1\"/></w:numPr>"
          "<w:spacing w:after=\"40\"/><w:ind w:left=\"720\" w:hanging=\"360\"/>",
          32, false);
    style(x, "TableText", "Table Text", "<w:spacing w:after=\"0\"/>", 28, false);
    style(x, "Footer", "footer", "<w:jc w:val=\"center\"/><w:spacing w:after=\"0\"/>", 24, false);
    strbuf_puts(x, "</w:styles>");
}

static void numbering_xml(struct strbuf *x)
{
    strbuf_puts(x, XML_HEAD "<w:numbering xmlns:w=\"" W_NS "\">"
                            "<w:abstractNum w:abstractNumId=\"0\">"
                            "<w:multiLevelType w:val=\"singleLevel\"/><w:lvl w:ilvl=\"0\">"
                            "<w:start w:val=\"1\"/><w:numFmt w:val=\"bullet\"/>"
                            "<w:lvlText w:val=\"\xE2\x80\xA2\"/><w:lvlJc w:val=\"left\"/>"
                            "<w:pPr><w:ind w:left=\"720\" w:hanging=\"360\"/></w:pPr>"
                            "</w:lvl></w:abstractNum>"
                            "<w:num w:numId=\"1\"><w:abstractNumId w:val=\"0\"/></w:num>"
                            "</w:numbering>");
}

static void footer_xml(struct strbuf *x)
{
    strbuf_puts(x, XML_HEAD "<w:ftr xmlns:w=\"" W_NS "\"><w:p><w:pPr><w:pStyle w:val=\"Footer\"/>"
                            "</w:pPr><w:r><w:t xml:space=\"preserve\">หน้า </w:t></w:r>"
                            "<w:fldSimple w:instr=\" PAGE \"><w:r><w:t>1</w:t></w:r>"
                            "</w:fldSimple><w:r><w:t xml:space=\"preserve\"> จาก </w:t></w:r>"
                            "<w:fldSimple w:instr=\" NUMPAGES \"><w:r><w:t>1</w:t></w:r>"
                            "</w:fldSimple></w:p></w:ftr>");
}

static void core_xml(struct strbuf *x, const struct doc *d)
{
    strbuf_puts(x, XML_HEAD
                "<cp:coreProperties xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/"
                "metadata/core-properties\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\" "
                "xmlns:dcterms=\"http://purl.org/dc/terms/\" "
                "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"><dc:title>");
    xml_text(x, d->name, 0);
    strbuf_puts(x, "</dc:title><dc:language>th-TH</dc:language></cp:coreProperties>");
}

static const char content_types[] =
    XML_HEAD "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
             "<Default Extension=\"rels\" "
             "ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
             "<Default Extension=\"xml\" ContentType=\"application/xml\"/>"
             "<Override PartName=\"/word/document.xml\" ContentType=\"application/"
             "vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/>"
             "<Override PartName=\"/word/styles.xml\" ContentType=\"application/"
             "vnd.openxmlformats-officedocument.wordprocessingml.styles+xml\"/>"
             "<Override PartName=\"/word/numbering.xml\" ContentType=\"application/"
             "vnd.openxmlformats-officedocument.wordprocessingml.numbering+xml\"/>"
             "<Override PartName=\"/word/footer1.xml\" ContentType=\"application/"
             "vnd.openxmlformats-officedocument.wordprocessingml.footer+xml\"/>"
             "<Override PartName=\"/docProps/core.xml\" "
             "ContentType=\"application/vnd.openxmlformats-package.core-properties+xml\"/>"
             "<Override PartName=\"/docProps/app.xml\" ContentType=\"application/"
             "vnd.openxmlformats-officedocument.extended-properties+xml\"/>"
             "</Types>";

static const char package_rels[] =
    XML_HEAD "<Relationships "
             "xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
             "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/"
             "2006/relationships/officeDocument\" Target=\"word/document.xml\"/>"
             "<Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/package/2006/"
             "relationships/metadata/core-properties\" Target=\"docProps/core.xml\"/>"
             "<Relationship Id=\"rId3\" Type=\"http://schemas.openxmlformats.org/officeDocument/"
             "2006/relationships/extended-properties\" Target=\"docProps/app.xml\"/>"
             "</Relationships>";

static const char document_rels[] =
    XML_HEAD "<Relationships "
             "xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
             "<Relationship Id=\"rIdStyles\" Type=\"http://schemas.openxmlformats.org/"
             "officeDocument/2006/relationships/styles\" Target=\"styles.xml\"/>"
             "<Relationship Id=\"rIdNumbering\" Type=\"http://schemas.openxmlformats.org/"
             "officeDocument/2006/relationships/numbering\" Target=\"numbering.xml\"/>"
             "<Relationship Id=\"rIdFooter\" Type=\"http://schemas.openxmlformats.org/"
             "officeDocument/2006/relationships/footer\" Target=\"footer1.xml\"/>"
             "</Relationships>";

static const char app_xml[] =
    XML_HEAD "<Properties xmlns=\"http://schemas.openxmlformats.org/officeDocument/2006/"
             "extended-properties\"><Application>ITA</Application></Properties>";

/* ---- the zip ---- */

/* Adds a part to the archive (libzip frees the bytes when done). */
static int add_part(zip_t *za, const char *name, struct strbuf *part)
{
    size_t len = part->len;
    char *data = strbuf_detach(part);
    zip_source_t *src = zip_source_buffer(za, data, len, 1);
    if (!src) {
        free(data);
        return -1;
    }
    zip_int64_t idx = zip_file_add(za, name, src, ZIP_FL_ENC_UTF_8 | ZIP_FL_OVERWRITE);
    if (idx < 0) {
        zip_source_free(src);
        return -1;
    }
    /* a fixed time (1 January 2024) keeps the bytes the same for the same document */
    if (zip_set_file_compression(za, (zip_uint64_t)idx, ZIP_CM_DEFLATE, 0) != 0 ||
        zip_file_set_mtime(za, (zip_uint64_t)idx, 1704067200, 0) != 0)
        return -1;
    return 0;
}

static int add_const(zip_t *za, const char *name, const char *text)
{
    struct strbuf b;
    strbuf_init(&b);
    strbuf_puts(&b, text);
    return add_part(za, name, &b);
}

int doc_write_docx(const struct doc *d, struct strbuf *out, char **err)
{
    zip_error_t ze;
    zip_error_init(&ze);
    zip_source_t *mem = zip_source_buffer_create(NULL, 0, 0, &ze);
    zip_t *za = mem ? zip_open_from_source(mem, ZIP_TRUNCATE, &ze) : NULL;
    if (!za) {
        *err = xasprintf("สร้างไฟล์ DOCX ไม่สำเร็จ (libzip: %s)", zip_error_strerror(&ze));
        zip_source_free(mem);
        zip_error_fini(&ze);
        return -1;
    }
    zip_source_keep(mem); /* read the archive from it after zip_close() */

    struct strbuf part;
    strbuf_init(&part);
    int rc = add_const(za, "[Content_Types].xml", content_types);
    rc |= add_const(za, "_rels/.rels", package_rels);
    document_xml(&part, d);
    rc |= add_part(za, "word/document.xml", &part);
    rc |= add_const(za, "word/_rels/document.xml.rels", document_rels);
    styles_xml(&part);
    rc |= add_part(za, "word/styles.xml", &part);
    numbering_xml(&part);
    rc |= add_part(za, "word/numbering.xml", &part);
    footer_xml(&part);
    rc |= add_part(za, "word/footer1.xml", &part);
    core_xml(&part, d);
    rc |= add_part(za, "docProps/core.xml", &part);
    rc |= add_const(za, "docProps/app.xml", app_xml);
    strbuf_free(&part);

    if (rc != 0) {
        *err = xasprintf("สร้างไฟล์ DOCX ไม่สำเร็จ (libzip: %s)", zip_strerror(za));
        zip_discard(za);
        zip_source_free(mem);
        zip_error_fini(&ze);
        return -1;
    }
    if (zip_close(za) != 0) {
        *err = xasprintf("สร้างไฟล์ DOCX ไม่สำเร็จ (libzip: %s)", zip_strerror(za));
        zip_discard(za);
        zip_source_free(mem);
        zip_error_fini(&ze);
        return -1;
    }

    zip_stat_t st;
    zip_stat_init(&st);
    int ok =
        zip_source_stat(mem, &st) == 0 && (st.valid & ZIP_STAT_SIZE) && zip_source_open(mem) == 0;
    if (ok) {
        struct strbuf zipped;
        strbuf_init(&zipped);
        char buf[16384];
        zip_int64_t n;
        while ((n = zip_source_read(mem, buf, sizeof buf)) > 0)
            strbuf_append(&zipped, buf, (size_t)n);
        zip_source_close(mem);
        ok = n == 0 && zipped.len == st.size;
        if (ok)
            strbuf_append(out, zipped.data, zipped.len);
        strbuf_free(&zipped);
    }
    if (!ok)
        *err = xasprintf("สร้างไฟล์ DOCX ไม่สำเร็จ (libzip: %s)",
                         zip_error_strerror(zip_source_error(mem)));
    zip_source_free(mem);
    zip_error_fini(&ze);
    return ok ? 0 : -1;
}
