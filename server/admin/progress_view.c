/* The progress page (see progress_view.h). */
#include "progress_view.h"
#include "setup_view.h"

#include <stdlib.h>

void progress_view(struct strbuf *p, const struct setup *s, const void *model)
{
    const struct progress_model *m = model;
    setup_view_nav(p, s);
    for (int k = 0; k < 2; k++) {
        long total = m->total[k], need = m->need[k];
        strbuf_printf(p, "<section id=\"progress-%s\"><h2>%s</h2>", SETUP_INSTRUMENTS[k],
                      SETUP_LIST_TH[k]);
        strbuf_printf(p, "<p class=\"pr\">ได้รับคำตอบ <strong>%ld</strong> จากขั้นต่ำ %ld %s</p>", total,
                      need, total >= need ? "(ครบตามจำนวนขั้นต่ำแล้ว)" : "(ยังไม่ครบ)");
        long pct = need > 0 ? (total >= need ? 100 : total * 100 / need) : 100;
        strbuf_printf(p, "<progress max=\"100\" value=\"%ld\">%ld%%</progress>", pct, pct);
        if (m->issued[k] > 0)
            strbuf_printf(p, "<p>ลิงก์ส่วนบุคคล: ออกแล้ว %ld ใช้ตอบแล้ว %ld</p>", m->issued[k],
                          m->spent[k]);
        strbuf_puts(p, "<table><thead><tr><th>วันที่</th><th>จำนวนคำตอบ</th></tr></thead><tbody>");
        for (size_t i = 0; i < m->ndays[k]; i++) {
            const struct progress_day *d = &m->days[k][i];
            /* YYYY-MM-DD: shown as the Thai clerk writes it */
            strbuf_printf(p, "<tr><td>%d/%d/%d</td><td>", atoi(d->day + 8), atoi(d->day + 5),
                          atoi(d->day) + 543);
            if (d->responses >= m->k)
                strbuf_printf(p, "%ld", d->responses);
            else
                strbuf_printf(p, "น้อยกว่า %d", m->k);
            strbuf_puts(p, "</td></tr>");
        }
        strbuf_puts(p, "</tbody></table></section>\n");
    }
    strbuf_printf(p,
                  "<p class=\"nt\">วันที่มีคำตอบน้อยกว่า %d รายการจะไม่แสดงจำนวน "
                  "เพื่อไม่ให้ระบุตัวผู้ตอบได้ "
                  "และระบบไม่เก็บว่าใครตอบหรือไม่ตอบ</p>\n",
                  m->k);
}
