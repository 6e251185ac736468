/* The progress page (see progress_view.h). */
#include "progress_view.h"
#include "setup_view.h"
#include "year_view.h"
#include "svg_chart.h"
#include "thai_date.h"

#include <stdio.h>

void progress_view(struct strbuf *p, const struct setup *s, const void *model)
{
    const struct progress_model *m = model;
    setup_view_nav(p, s);
    year_view_window_state(p, s, m->today);
    /* the chart: the same counted totals and minimums the sections below write as text */
    struct svg_bar bars[2];
    char text[2][64], target[2][48];
    for (int k = 0; k < 2; k++) {
        snprintf(text[k], sizeof text[k], "%ld", m->total[k]);
        snprintf(target[k], sizeof target[k], "ขั้นต่ำ %ld", m->need[k]);
        bars[k] = (struct svg_bar){
            .label = SETUP_INSTRUMENTS[k],
            .value = (double)m->total[k],
            .value_text = text[k],
            .note = m->total[k] >= m->need[k] ? "ครบแล้ว" : "ยังไม่ครบ",
            .has_target = true,
            .target = (double)m->need[k],
            .target_text = target[k],
        };
    }
    struct svg_chart c = {
        .id = "chart-progress",
        .title = "คำตอบที่นับแล้วเทียบกลุ่มตัวอย่างขั้นต่ำ",
        .desc = "แท่งละหนึ่งแบบวัด (IIT, EIT) ความยาวคือจำนวนคำตอบที่นับแล้ว "
                "ขีดดำคือจำนวนขั้นต่ำ ตัวเลขเขียนไว้ข้างแท่งและในข้อความใต้แผนภูมิ",
        .described_by = "pr-IIT pr-EIT",
        .bars = bars,
        .n_bars = 2,
    };
    strbuf_puts(p, "<figure class=\"chart\" id=\"fig-progress\"><figcaption>ความคืบหน้าเทียบขั้นต่ำ"
                   "</figcaption>");
    svg_chart_counts(p, &c);
    strbuf_puts(p, "</figure>\n");
    for (int k = 0; k < 2; k++) {
        long total = m->total[k], need = m->need[k];
        strbuf_printf(p, "<section id=\"progress-%s\"><h2>%s</h2>", SETUP_INSTRUMENTS[k],
                      SETUP_LIST_TH[k]);
        strbuf_printf(p,
                      "<p class=\"pr\" id=\"pr-%s\">นับคำตอบแล้ว <strong>%ld</strong> จากขั้นต่ำ %ld "
                      "%s</p>",
                      SETUP_INSTRUMENTS[k], total, need,
                      total >= need ? "(ครบตามจำนวนขั้นต่ำแล้ว)" : "(ยังไม่ครบ)");
        long pct = need > 0 ? (total >= need ? 100 : total * 100 / need) : 100;
        strbuf_printf(p, "<progress max=\"100\" value=\"%ld\">%ld%%</progress>", pct, pct);
        if (m->waiting[k])
            strbuf_printf(p,
                          "<p class=\"waiting\" id=\"waiting-%s\">มีคำตอบที่ยังรอนับ "
                          "ระบบนับคำตอบเป็นกลุ่มละอย่างน้อย %d รายการ และนับที่เหลือเมื่อปิดรับ</p>",
                          SETUP_INSTRUMENTS[k], m->k);
        if (m->issued[k] > 0)
            strbuf_printf(p, "<p>ลิงก์ส่วนบุคคล: ออกแล้ว %ld ใช้ตอบแล้ว %ld</p>", m->issued[k],
                          m->spent[k]);
        strbuf_puts(p, "<table><thead><tr><th>วันที่นับ</th><th>จำนวนคำตอบ</th></tr></thead><tbody>");
        if (m->ndays[k] == 0)
            strbuf_puts(p, "<tr><td colspan=\"2\">ยังไม่มีคำตอบที่นับแล้ว</td></tr>");
        for (size_t i = 0; i < m->ndays[k]; i++) {
            const struct progress_day *d = &m->days[k][i];
            char day[ITA_THAI_DATE_SIZE];
            if (!ita_thai_date_short(d->day, day, sizeof day))
                snprintf(day, sizeof day, "%s", d->day);
            strbuf_printf(p, "<tr><td>%s</td><td>", day);
            if (d->responses >= m->k)
                strbuf_printf(p, "%ld", d->responses);
            else
                strbuf_printf(p, "น้อยกว่า %d", m->k);
            strbuf_puts(p, "</td></tr>");
        }
        strbuf_puts(p, "</tbody></table></section>\n");
    }
    strbuf_printf(p,
                  "<p class=\"nt\">ระบบนับคำตอบเป็นกลุ่มละอย่างน้อย %d รายการ (หรือเมื่อปิดรับ) "
                  "วันที่ในตารางคือวันที่นับ ไม่ใช่วันที่ตอบ และวันที่มีน้อยกว่า %d รายการจะไม่แสดงจำนวน "
                  "เพื่อไม่ให้ผู้ใดระบุได้ว่าใครตอบอย่างไร ระบบไม่เก็บว่าใครตอบอะไร "
                  "(ลิงก์ส่วนบุคคลบอกได้เพียงว่าใช้ตอบแล้วหรือยัง)</p>\n",
                  m->k, m->k);
}
