/* The printed link slips' section of the contacts page (slips_view.c). */
#ifndef ITA_SLIPS_VIEW_H
#define ITA_SLIPS_VIEW_H

#include "admin_setup.h"
#include "strbuf.h"

/* The section "ใบแจ้งลิงก์สำหรับผู้ไม่มีอีเมล": what the slips are, the warning that whoever
 * prints or holds them holds the links in them, and the downloads (without e-mail, everyone).
 * Writes nothing until a link has been issued on the list (with_link > 0). */
void slips_view_section(struct strbuf *p, const struct setup *s, long with_link);

#endif
