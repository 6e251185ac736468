/* The document model (doc.h) as an A4 PDF: cairo's PDF surface, text laid out by pango in a Thai
 * face (Sarabun if installed, else the TLWG faces Debian's fonts-thai-tlwg ships: Laksaman, the
 * TLWG build of TH Sarabun, then Garuda, Loma), subsets embedded. 2 cm margins, "หน้า n จาก m"
 * in every footer, the document's name as the PDF title, headings in the PDF outline.
 *
 * Pagination: a heading or title never ends a page (it moves to the next page with the start of
 * what follows it); a paragraph leaves no single line at the foot or head of a page when it can
 * help it; a table repeats its header row on every page it spans and never splits a row unless
 * the row is taller than a page; a bar chart stays on one page when it fits on one.
 *
 * Pure CPU work with no global state: every call makes its own pango font map, so several
 * threads may write documents at once. */
#ifndef ITA_DOC_PDF_H
#define ITA_DOC_PDF_H

#include "doc.h"
#include "strbuf.h"

/* Appends the PDF of d to out. Returns 0, or -1 with *err set to a Thai message the caller
 * frees (out is then left as it was). */
int doc_write_pdf(const struct doc *d, struct strbuf *out, char **err);

#endif
