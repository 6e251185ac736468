/* Printed link slips for staff without e-mail: an A4 PDF of 8 slips a page (2 columns, 4 rows,
 * dashed cut lines), each with the agency, the instrument, the fiscal year, the person's name and
 * unit, the closing day, the QR code of the person's link and the link itself in a monospaced
 * face that tells 0 from O and 1 from l and I (DejaVu Sans Mono). cairo + pango + libqrencode;
 * no sockets, no database, no global state: safe on several threads at once. */
#ifndef ITA_SLIPS_H
#define ITA_SLIPS_H

#include "strbuf.h"

#include <stddef.h>

/* What every slip of one sheet shares. */
struct slip_sheet {
    const char *agency_th;  /* agency name, Thai */
    int fiscal_year;        /* Buddhist Era */
    const char *instrument; /* "IIT" or "EIT" */
    const char *closes_on;  /* last day to answer, "YYYY-MM-DD" (CE); "" or NULL: not printed */
};

/* One person's slip. */
struct slip {
    const char *name; /* as on the contact list */
    const char *unit; /* "" when none */
    const char *url;  /* the personal link https://HOST/t/TOKEN */
};

/* The monospaced face links are printed in; slips_pdf refuses to print without it. */
#define SLIPS_LINK_FONT "DejaVu Sans Mono"

/* Appends the PDF of n slips (n >= 1) to out. Returns 0, or -1 with a Thai message in err (out
 * then unchanged). */
int slips_pdf(const struct slip_sheet *sheet, const struct slip *slips, size_t n,
              struct strbuf *out, char *err, size_t errlen) __attribute__((warn_unused_result));

#endif
