/* The document model (doc.h) as a DOCX for final edits in Word or LibreOffice: WordprocessingML
 * parts written as XML text and zipped in memory with libzip (deflate). A4 with 2 cm margins,
 * "หน้า n จาก m" in the footer (fields), TH SarabunPSK 16 pt for Latin and Thai (complex
 * script) runs, Title and Heading 1-3 styles that keep with the next paragraph (and show in
 * Word's navigation pane), bullets from numbering.xml, tables whose header row repeats on every
 * page and whose rows do not split, bar charts as a table of label, figure and a shaded bar
 * (with the reference line as a dashed border). The document's name is the title in
 * docProps/core.xml.
 *
 * Pure CPU work with no global state; safe to call from several threads at once. */
#ifndef ITA_DOC_DOCX_H
#define ITA_DOC_DOCX_H

#include "doc.h"
#include "strbuf.h"

/* Appends the DOCX (zip) bytes of d to out. Returns 0, or -1 with *err set to a Thai message the
 * caller frees (out is then left as it was). */
int doc_write_docx(const struct doc *d, struct strbuf *out, char **err);

#endif
