/* The frame every HTML page shares, respondent and administrator alike: the document head with
 * the one stylesheet, the dark band with the assessment's name, the optional script, and the
 * Content-Security-Policy that allows exactly that stylesheet and script by their hashes. */
#include "page_frame.h"
#include "svg_chart.h"

#include <openssl/evp.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Colour pairs and their WCAG 2.1 contrast ratios (text needs 4.5:1, UI boundaries 3:1):
 *   #1b1b1b text on #fff 17.2; on #f3f5f7 (option) 15.8; on #e3eefa (chosen option) 14.7;
 *   on #fdeceb (error summary) 15.1; on #fff4ce (notice) 15.7
 *   #4a4a4a secondary text on #fff 8.9; on #f3f5f7 8.1
 *   #fff on #0d3b66 (header, button) 11.5; #d0e4f7 on #0d3b66 8.8; #fff on #154a80 (hover) 9.0
 *   #0d3b66 headings on #fff 11.5; on #f3f5f7 10.5; on #e3eefa 9.7
 *   #0b57a4 links and focus ring on #fff 7.2; on #f3f5f7 6.6; on #fdeceb 6.3
 *   #b3261e error text and bars on #fff 6.5; on #fdeceb 5.7; #8a1c14 on #fdeceb 8.1
 *   #6b7785 option border on #fff 4.6; on #f3f5f7 4.2 (#c9d1d9 lines are decorative only) */
static const char STYLE[] =
    "*,::before,::after{box-sizing:border-box}"
    "html{-webkit-text-size-adjust:100%}"
    "body{margin:0;background:#fff;color:#1b1b1b;font:1.0625rem/1.6 system-ui,\"Noto Sans Thai\","
    "\"Sarabun\",\"Leelawadee UI\",Tahoma,sans-serif;overflow-wrap:anywhere}"
    "header{background:#0d3b66;color:#fff;padding:1rem max(1rem,calc(50% - 22rem))}"
    "header p{margin:0;color:#d0e4f7}"
    "h1{font-size:1.35rem;line-height:1.4;margin:.25rem 0}"
    "main{max-width:46rem;margin:0 auto;padding:0 1rem 2rem}"
    "main h1{color:#0d3b66;margin-top:1.5rem}"
    "h2{font-size:1.15rem;line-height:1.4;margin:1.75rem 0 .5rem;color:#0d3b66}"
    "a{color:#0b57a4}"
    ":focus-visible{outline:3px solid #0b57a4;outline-offset:2px}"
    ".pd,.nc,.es{margin:1rem 0;padding:.5rem 1rem;border-left:4px solid #0d3b66;background:#f3f5f7}"
    ".pd{font-size:.95rem}"
    ".pd h2,.es h2{margin:.25rem 0;font-size:1rem}"
    ".pd p,.es p,.es ul{margin:.25rem 0}"
    ".nc{background:#fff4ce;border-color:#8a5a00}"
    ".es{background:#fdeceb;border:3px solid #b3261e}"
    ".es h2{color:#8a1c14}"
    ".es ul{display:flex;flex-wrap:wrap;gap:0 .75rem;padding:0;list-style:none}"
    ".es a{display:inline-block;padding:.5rem .25rem}"
    "fieldset{border:0;margin:0;padding:0;min-width:0}"
    "legend{float:left;width:100%;margin-bottom:.5rem;padding:0;font-weight:600}"
    "legend+*{clear:left}"
    ".q{padding:1rem 0;border-top:1px solid #c9d1d9}"
    ".n{display:block;color:#0d3b66;font-size:.9rem}"
    ".nt{margin:.25rem 0 0;color:#4a4a4a;font-size:.95rem}"
    ".s{margin-top:1rem;padding-left:.75rem;border-left:3px solid #c9d1d9}"
    ".s legend{margin-bottom:.25rem;font-weight:400}"
    ".x{padding-left:.75rem;border-left:4px solid #b3261e}"
    ".er{margin:.25rem 0 0;color:#b3261e;font-weight:600}"
    ".r{display:grid;gap:.5rem;margin-top:.5rem}"
    ".r label{display:flex;align-items:center;gap:.75rem;min-height:3rem;padding:.5rem .75rem;"
    "border:1px solid #6b7785;border-radius:.5rem;background:#f3f5f7;cursor:pointer}"
    ".r input{flex:none;width:1.375rem;height:1.375rem;margin:0;accent-color:#0d3b66}"
    ".r label:has(:checked){background:#e3eefa;border-color:#0d3b66;box-shadow:inset 0 0 0 1px "
    "#0d3b66}"
    ".r label:has(:focus-visible){outline:3px solid #0b57a4;outline-offset:2px}"
    "button{width:100%;min-height:3rem;margin-top:1.5rem;padding:.75rem 1.5rem;border:0;"
    "border-radius:.5rem;background:#0d3b66;color:#fff;font:inherit;font-weight:600;cursor:pointer}"
    "button:hover{background:#154a80}"
    ".f label{display:block;margin-top:1rem;font-weight:600}"
    ".f input{display:block;width:100%;min-height:3rem;margin-top:.25rem;padding:.5rem .75rem;"
    "border:1px solid #6b7785;border-radius:.5rem;font:inherit}"
    "table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:.5rem;"
    "border-bottom:1px solid #c9d1d9}"
    ".pg{position:sticky;bottom:0;margin:1rem 0 0;padding:.5rem;border-top:2px solid #0d3b66;"
    "background:#fff;font-weight:600;text-align:center}"
    /* a button that removes something (.sec, #8a1c14 on #fff 9.6) */
    "button.sec{background:#fff;color:#8a1c14;border:1px solid #8a1c14}"
    "button.sec:hover{background:#fdeceb}"
    "@media(min-width:40rem){.r{grid-template-columns:repeat(auto-fit,minmax(8rem,1fr))}"
    "button{width:auto}}"
    "@media print{header{padding:0;background:none;color:#000}header p{color:#000}"
    ".pg,button{display:none}.r label{min-height:0;background:none;border-color:#000}"
    ".q{break-inside:avoid}}";

/* The administration's and results' pages only (page_frame_begin): kept out of the respondents'
 * pages, which a phone on a slow network loads. */
static const char ADMIN_STYLE[] =
    /* Admin pages (what follows the signed-in bar, <nav>): a compact bar with a plain sign-out
     * button, each field under its label, buttons in tables only as wide as their text, the
     * contact and link tables as cards on a phone. #1e6b3a on #fff 6.6, #1b1b1b on #e9f5ee 15.9. */
    "nav{display:flex;flex-wrap:wrap;align-items:center;justify-content:space-between;"
    "gap:.5rem 1rem;margin-top:.5rem;padding-bottom:.5rem;border-bottom:1px solid #c9d1d9;"
    "font-size:.95rem}nav p{margin:0}"
    "nav button,.inline button{width:auto;min-height:2.75rem;margin:0;padding:.5rem 1rem}"
    "nav button{background:#fff;color:#0d3b66;border:1px solid #0d3b66}"
    "nav button:hover{background:#e3eefa}.inline{margin:0}"
    ":is(nav~form,nav~* form) label{display:block;margin-top:1rem;font-weight:600}"
    ":is(nav~form,nav~* form) :not(td)>:is(input:not([type=hidden],[type=file],[type=checkbox],"
    "[type=radio]),select,textarea){display:block;width:100%;max-width:28rem;min-height:3rem;"
    "margin-top:.25rem;padding:.5rem .75rem;border:1px solid #6b7785;border-radius:.5rem;"
    "font:inherit;background:#fff}"
    "input[type=file]{display:block;max-width:100%;margin-top:.25rem;font:inherit}"
    ".ok{padding:.5rem 1rem;border-left:4px solid #1e6b3a;background:#e9f5ee}"
    ":is(nav~table,nav~* table) :is(th,td:not(:last-child)){overflow-wrap:break-word}"
    "#links td:nth-child(3){overflow-wrap:anywhere}"
    /* key-value lists (.kv: an instrument version's facts), sections per fiscal year (.vr), a
     * button that removes something (.sec, #8a1c14 on #fff 9.6), the preview's answer table */
    ".kv{display:grid;grid-template-columns:minmax(6rem,max-content) 1fr;gap:.25rem 1rem;"
    "margin:.75rem 0}.kv dt{font-weight:600;color:#0d3b66}.kv dd{margin:0}"
    ".vr{margin-top:1rem;padding-top:.5rem;border-top:1px solid #c9d1d9}"
    ".vr h3{margin:.25rem 0;font-size:1.05rem;color:#0d3b66}"
    "#preview-answers td:first-child{min-width:4.5rem}"
    /* the national view (admin/national_view.c; its form, pager and table region are the .lv-*
     * of long lists below): ten columns need more room, "ครบ" in green, the charts side by side */
    "#national-filter>div{margin:.25rem 0}"
    ".tw{overflow-x:auto;max-width:100%}" /* a table that scrolls (results' history) */
    "#national{min-width:58rem}#national td{vertical-align:top}.ok-t{color:#1e6b3a;"
    "font-weight:600}#national-charts{display:grid;gap:0 1.5rem;grid-template-columns:"
    "repeat(auto-fit,minmax(15rem,1fr))}#national-charts table{font-size:.95rem}"
    /* numbers in admin tables (td.n) are cells, not the survey's block question numbers (.n) */
    ":is(nav~table,nav~* table) td.n{display:table-cell;color:inherit;font-size:inherit;"
    "font-variant-numeric:tabular-nums}"
    /* the year's sub-menu: one row of tabs that wraps, the current page filled */
    "nav.ym{display:block;border-bottom:0;padding:0}nav.ym ul{display:flex;flex-wrap:wrap;"
    "gap:.375rem;margin:.375rem 0 0;padding:0;list-style:none}nav.ym a{display:inline-flex;"
    "align-items:center;min-height:2.75rem;padding:.25rem .75rem;border:1px solid #6b7785;"
    "border-radius:.375rem;text-decoration:none}nav.ym a[aria-current]{background:#0d3b66;"
    "color:#fff;border-color:#0d3b66}"
    /* the OIT work pages (oit/): summary chips, item cards (one column on a phone, as many as
     * fit on a desktop), state badges, the flags (#fff on #8a1c14 8.9), unit and link cards */
    ".sm{display:flex;flex-wrap:wrap;gap:.5rem;padding:0;list-style:none}.sm li{padding:.375rem "
    ".75rem;border:1px solid #c9d1d9;border-radius:.5rem}.sm li.bad{border:2px solid #8a1c14}"
    ".st{display:inline-block;padding:.125rem .5rem;border-radius:.375rem;font-weight:600}"
    ".st0{background:#eef1f4;color:#3b4450}.st1{background:#e3eefa;color:#0d3b66}"
    ".st2{background:#fff4d6;color:#5c3f00}.st3{background:#e9f5ee;color:#1e6b3a}"
    ".flag{display:inline-block;padding:.125rem .5rem;border-radius:.375rem;background:#8a1c14;"
    "color:#fff;font-weight:600}.bad-t{color:#8a1c14}"
    ".oc,.uc,.ev,.hi{display:grid;gap:.75rem;padding:0;list-style:none}"
    ".oc{grid-template-columns:repeat(auto-fill,minmax(17rem,1fr))}"
    ".oc>li,.uc>li,.ev>li{padding:.5rem .75rem;border:1px solid #c9d1d9;border-radius:.5rem;"
    "min-width:0}.oc>li.late,.oc>li.broken,.ev>li.broken{border:2px solid #8a1c14}"
    ".ot{margin:.25rem 0;font-weight:600}.ot.big{font-size:1.15rem}.oc-code{color:#0d3b66}"
    ".fl{margin:.25rem 0}.od{display:grid;grid-template-columns:max-content 1fr;gap:.125rem "
    ".75rem;margin:.25rem 0}.od dt{color:#3b4450}.od dd{margin:0;min-width:0}"
    ".eu,.eu a{overflow-wrap:anywhere}.vd{margin:.25rem 0}.un{margin:.25rem 0}"
    ".ub{display:flex;flex-wrap:wrap;gap:.5rem;margin-top:.5rem}.ub button{margin:0}"
    ".tag{padding:0 .375rem;border:1px solid #3b4450;border-radius:.25rem;font-size:.9rem}"
    ".uc>li.retired{background:#f3f5f7}.rn{display:flex;flex-wrap:wrap;align-items:end;gap:0 "
    ".75rem}"
    ".rn>div{flex:1 1 14rem}.rn button{margin:.25rem 0 0}"
    "label.cb{display:flex;align-items:center;gap:.5rem;min-height:2.75rem;margin:0;"
    "font-weight:400}label.cb input{width:1.25rem;height:1.25rem}"
    ".of{display:flex;flex-wrap:wrap;align-items:end;gap:.5rem 1rem}.of>div{flex:0 1 auto}"
    ".of button{margin:0}.box{margin:1rem 0;padding:.5rem 1rem;border:1px solid #c9d1d9;"
    "border-radius:.5rem}.box p{margin:.25rem 0}.acts{display:flex;flex-wrap:wrap;gap:.25rem "
    "1.5rem;padding:0;list-style:none}.acts a{display:inline-block;padding:.5rem 0}"
    "#i-units{margin-top:1rem}#i-units legend{font-weight:600}"
    /* the year's checklist: numbered steps, each with its state */
    "#checklist{padding:0;list-style:none;counter-reset:st}#checklist>li{position:relative;"
    "margin:.5rem 0;padding:.5rem .75rem .5rem 3rem;border:1px solid #c9d1d9;border-radius:.5rem}"
    "#checklist>li::before{counter-increment:st;content:counter(st);position:absolute;left:.75rem;"
    "top:.6rem;width:1.6rem;height:1.6rem;border-radius:50%;background:#6b7785;color:#fff;"
    "text-align:center;line-height:1.6rem;font-weight:600}#checklist>li.done::before{"
    "content:\"\\2713\";background:#1e6b3a}#checklist>li.now{border:2px solid #0d3b66}"
    "#checklist h3{margin:0;font-size:1.05rem}#checklist p{margin:.125rem 0}"
    ".st{font-weight:600}.done .st{color:#1e6b3a}.now .st{color:#0d3b66}"
    /* a link to copy: the address, then a copy button (shown by the script) */
    ".cp{display:flex;flex-wrap:wrap;align-items:center;gap:.5rem}.cp a{overflow-wrap:anywhere}"
    ".cp button{width:auto;min-height:2.75rem;margin:0;padding:.375rem .875rem;"
    "background:#fff;color:#0d3b66;border:1px solid #0d3b66}"
    "#contacts td:first-child{word-break:keep-all;overflow-wrap:break-word}"
    /* a desktop table gives names room, so that a Thai name is not split inside a word */
    "@media(min-width:40rem){#contacts td:first-child{min-width:11rem}}"
    "@media(max-width:39.99rem){:is(#contacts,#links),:is(#contacts,#links) tbody{display:block}"
    ":is(#contacts,#links) thead{position:absolute;width:1px;height:1px;overflow:hidden;"
    "clip-path:inset(50%)}"
    ":is(#contacts,#links) tr{display:grid;gap:0 .75rem;padding:.75rem 0;"
    "border-bottom:1px solid #c9d1d9}"
    ":is(#contacts,#links) td{padding:0;border:0;overflow-wrap:anywhere}"
    "#contacts tr{grid-template-columns:1fr auto}#contacts td{grid-column:1}"
    "#contacts td:first-child{font-weight:600}"
    "#contacts td:last-child{grid-column:2;grid-row:1/span 4;align-self:center}"
    "#links tr{grid-template-columns:auto 1fr}#links td:nth-child(n+3){grid-column:1/-1}"
    "}"
    /* ---- long lists (app/list_view.h: the agency and account lists, the national view) ----
     * the filter form's fields side by side on a desktop, the table in a labelled region that
     * scrolls sideways by itself on a phone (never the page), sortable heads, the numbered pager
     * as a row of 2.75rem targets that wraps, text for screen readers only (.lv-sr) */
    ".lv-filter{display:grid;gap:0 1rem;align-items:end}"
    ".lv-filter p{margin:.25rem 0}.lv-filter button{margin-top:.75rem}"
    ".lv-check{display:flex!important;align-items:center;gap:.5rem;font-weight:400!important}"
    ".lv-check input{width:1.375rem;height:1.375rem;margin:0}"
    "@media(min-width:40rem){.lv-filter{grid-template-columns:repeat(auto-fit,minmax(13rem,1fr))}}"
    /* a page with a long table uses the width of a desktop screen */
    "main:has(.lv-scroll){max-width:80rem}body:has(.lv-scroll) header{padding:1rem "
    "max(1rem,calc(50% - 39rem))}"
    ".lv-scroll{overflow-x:auto;max-width:100%;margin:.5rem 0}"
    ".lv-scroll:focus-visible{outline:3px solid #0b57a4}"
    ".lv-scroll table{min-width:40rem}.lv-scroll caption{text-align:left;font-weight:600;"
    "padding:.25rem 0}.lv-scroll th a{white-space:nowrap}"
    "a.lv-sort{text-decoration:none}a.lv-sort:hover{text-decoration:underline}"
    "a.lv-sort[aria-current]{font-weight:700}"
    ".lv-pager{display:block;border-bottom:0;padding:0;margin:1rem 0}.lv-pager ul{display:flex;"
    "flex-wrap:wrap;gap:.375rem;margin:0;padding:0;list-style:none}.lv-pager li{display:flex;"
    "align-items:center}.lv-pager a{display:inline-flex;align-items:center;justify-content:center;"
    "min-width:2.75rem;min-height:2.75rem;padding:.25rem .625rem;border:1px solid #6b7785;"
    "border-radius:.375rem;text-decoration:none}.lv-pager a[aria-current]{background:#0d3b66;"
    "color:#fff;border-color:#0d3b66}.lv-pager p{margin:.375rem 0 0;font-size:.95rem}"
    ".lv-sr{position:absolute;width:1px;height:1px;overflow:hidden;clip-path:inset(50%);"
    "white-space:nowrap}"
    /* ---- end of long lists ---- */
    /* ---- charts (issue #16): inline SVG of core/svg_chart.h; answers' distributions folded ----
     */
    SVG_CHART_CSS
    "details.answers{margin:1rem 0}details.answers summary{min-height:2.75rem;cursor:pointer;"
    "font-weight:600}table.ans{max-width:34rem}";

/* Enhancement only (every page works without it): focus the error summary, show the survey's
 * progress, keep an IIT form's unsent answers in this browser (never on the server), and show
 * the copy buttons of links (hidden without a clipboard). */
static const char SCRIPT[] =
    "(function(){var d=document,e=d.getElementById(\"es\"),f=d.getElementById(\"sf\"),"
    "p=d.getElementById(\"pg\"),b=d.querySelectorAll(\"button[data-copy]\"),i;if(e)e.focus();"
    "for(i=0;i<b.length;i++)(function(c){if(!navigator.clipboard)return;c.hidden=false;"
    "c.addEventListener(\"click\",function(){navigator.clipboard.writeText(d.getElementById("
    "c.getAttribute(\"data-copy\")).textContent).then(function(){c.textContent=\"คัดลอกแล้ว\"})})"
    "})(b[i]);if(!f||!p)return;var q=f.querySelectorAll(\".q\");"
    "function u(){var n=0,i,j,k,r,s,a;for(i=0;i<q.length;i++){r=q[i].querySelectorAll("
    "\"input[type=radio]\");s={};for(j=0;j<r.length;j++)s[r[j].name]=s[r[j].name]||r[j].checked;"
    "a=1;for(k in s)if(!s[k])a=0;n+=a}"
    "p.textContent=\"ตอบแล้ว \"+n+\" จาก \"+q.length+\" ข้อ\";p.hidden=false}"
    /* a form marked data-keep (IIT): its unsent answers are kept in this browser only, for a
     * week, restored into an untouched form, and deleted when sent or on request */
    "if(f.getAttribute(\"data-keep\"))try{var L=localStorage,K=\"ita-keep:\"+location.pathname,"
    "w=d.getElementById(\"kp\"),x=d.getElementById(\"kc\"),o=JSON.parse(L.getItem(K)||\"null\"),"
    "m;d.getElementById(\"kn\").hidden=false;"
    "if(o&&Date.now()-o.t<6048e5&&!f.querySelector(\"input[type=radio]:checked\")){for(m in o.a){"
    "i=f.querySelector(\"input[name=\\\"\"+m+\"\\\"][value=\\\"\"+o.a[m]+\"\\\"]\");if(i)i.checked="
    "true}"
    "w.hidden=false}else if(o)L.removeItem(K);"
    "f.addEventListener(\"change\",function(){var a={},r=f.querySelectorAll("
    "\"input[type=radio]:checked\"),j;for(j=0;j<r.length;j++)a[r[j].name]=r[j].value;"
    "L.setItem(K,JSON.stringify({t:Date.now(),a:a}))});"
    "f.addEventListener(\"submit\",function(){L.removeItem(K)});"
    "x.addEventListener(\"click\",function(){var r=f.querySelectorAll(\"input[type=radio]\"),j;"
    "L.removeItem(K);for(j=0;j<r.length;j++)r[j].checked=false;w.hidden=true;u()})}catch(z){}"
    "f.addEventListener(\"change\",u);addEventListener(\"pageshow\",u);u()})();";

/* Full Thai name of the assessment, shown above every page's heading. */
static const char ITA_NAME_TH[] = "การประเมินคุณธรรมและความโปร่งใสในการดำเนินงานของหน่วยงานภาครัฐ (ITA)";

static void esc(struct strbuf *o, const char *s)
{
    strbuf_html_escape(o, s);
}

/* <!doctype html> through <body>; the title is `title` escaped (plus " | " and `title2` when
 * title2 is neither NULL nor empty). */
static void frame_start(struct strbuf *o, const char *title, const char *title2, bool admin)
{
    strbuf_puts(o, "<!doctype html>\n<html lang=\"th\">\n<head>\n<meta charset=\"utf-8\">\n"
                   "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                   "<meta name=\"robots\" content=\"noindex\">\n<title>");
    esc(o, title);
    if (title2 && *title2) {
        strbuf_puts(o, " | ");
        esc(o, title2);
    }
    strbuf_puts(o, "</title>\n<style>");
    strbuf_puts(o, STYLE);
    strbuf_puts(o, "</style>\n");
    if (admin) {
        strbuf_puts(o, "<style>");
        strbuf_puts(o, ADMIN_STYLE);
        strbuf_puts(o, "</style>\n");
    }
    strbuf_puts(o, "</head>\n<body>\n");
}

void page_frame_start(struct strbuf *o, const char *title, const char *title2)
{
    frame_start(o, title, title2, false);
}

/* The dark band at the top: agency, survey name (the form's h1), assessment and fiscal year. */
void page_frame_header(struct strbuf *o, const char *agency, const char *survey_name,
                       int fiscal_year)
{
    strbuf_puts(o, "<header>\n");
    if (agency && *agency) {
        strbuf_puts(o, "<p>");
        esc(o, agency);
        strbuf_puts(o, "</p>\n");
    }
    if (survey_name) {
        strbuf_puts(o, "<h1>");
        esc(o, survey_name);
        strbuf_puts(o, "</h1>\n");
    }
    strbuf_printf(o, "<p>%s", ITA_NAME_TH);
    if (fiscal_year > 0)
        strbuf_printf(o, " ปีงบประมาณ พ.ศ. %d", fiscal_year);
    strbuf_puts(o, "</p>\n</header>\n");
}

void page_frame_end(struct strbuf *o, bool with_script)
{
    if (with_script) {
        strbuf_puts(o, "<script>");
        strbuf_puts(o, SCRIPT);
        strbuf_puts(o, "</script>\n");
    }
    strbuf_puts(o, "</body>\n</html>\n");
}

void page_year_nav(struct strbuf *o, const char *agency_id, const char *agency_name, int fy,
                   enum page_year_tab active)
{
    static const struct {
        const char *path, *extra, *text;
    } tabs[] = {
        [PAGE_YEAR_OVERVIEW] = {"agency", "", "ภาพรวมของปี"},
        [PAGE_YEAR_SETUP] = {"year", "", "ตั้งค่าปี"},
        [PAGE_YEAR_IIT] = {"contacts", "&amp;instrument=IIT", "รายชื่อบุคลากร"},
        [PAGE_YEAR_EIT] = {"contacts", "&amp;instrument=EIT", "รายชื่อภายนอก"},
        [PAGE_YEAR_PROGRESS] = {"progress", "", "ความคืบหน้า"},
        [PAGE_YEAR_RESULTS] = {"results", "", "OIT และผลคะแนน"},
        [PAGE_YEAR_REPORT] = {"report", "", "รายงาน"},
        [PAGE_YEAR_OIT] = {"oit-work", "", "งาน OIT"},
    };
    strbuf_puts(o, "<nav class=\"ym\" aria-label=\"เมนูของปีงบประมาณ\"><p>");
    if (agency_name && agency_name[0]) {
        strbuf_puts(o, "<strong>");
        strbuf_html_escape(o, agency_name);
        strbuf_puts(o, "</strong> ");
    }
    strbuf_printf(o, "ปีงบประมาณ %d</p><ul>", fy);
    for (int t = PAGE_YEAR_OVERVIEW; t <= PAGE_YEAR_OIT; t++) {
        /* the agency page takes id= and fy=, the set-up pages agency= and fy=, results year= */
        const char *key = t == PAGE_YEAR_OVERVIEW ? "id" : "agency";
        const char *fy_key = t >= PAGE_YEAR_RESULTS ? "year" : "fy";
        strbuf_printf(o, "<li><a href=\"/admin/%s?%s=%s&amp;%s=%d%s\"%s>%s</a></li>", tabs[t].path,
                      key, agency_id, fy_key, fy, tabs[t].extra,
                      t == (int)active ? " aria-current=\"page\"" : "", tabs[t].text);
    }
    strbuf_printf(o, "<li><a href=\"/admin/history?agency=%s&amp;fy=%d\">ผลย้อนหลัง</a></li>",
                  agency_id, fy);
    strbuf_puts(o, "</ul></nav>\n");
}

void page_frame_begin(struct strbuf *o, const char *title)
{
    frame_start(o, title, "ITA", true);
    page_frame_header(o, NULL, title, 0);
    strbuf_puts(o, "<main>\n");
}

void page_frame_finish(struct strbuf *o)
{
    strbuf_puts(o, "</main>\n");
    page_frame_end(o, true); /* the script: copy buttons, the error summary's focus */
}

/* ---- Content-Security-Policy ---- */

static pthread_once_t csp_once = PTHREAD_ONCE_INIT;
static char csp_value[512];

/* base64(SHA-256(text)) into out (at least 45 bytes). */
static void sha256_base64(const char *text, char *out)
{
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int mdlen = 0;
    if (EVP_Digest(text, strlen(text), md, &mdlen, EVP_sha256(), NULL) != 1 || mdlen != 32) {
        fprintf(stderr, "fatal: SHA-256 unavailable for the Content-Security-Policy\n");
        abort();
    }
    EVP_EncodeBlock((unsigned char *)out, md, (int)mdlen);
}

static void csp_build(void)
{
    char style_hash[48], admin_hash[48], script_hash[48];
    sha256_base64(STYLE, style_hash);
    sha256_base64(ADMIN_STYLE, admin_hash);
    sha256_base64(SCRIPT, script_hash);
    int n = snprintf(csp_value, sizeof csp_value,
                     "default-src 'none'; style-src 'sha256-%s' 'sha256-%s'; "
                     "script-src 'sha256-%s'; img-src 'self' data:; form-action 'self'; "
                     "frame-ancestors 'none'; base-uri 'none'",
                     style_hash, admin_hash, script_hash);
    if (n < 0 || (size_t)n >= sizeof csp_value) {
        fprintf(stderr, "fatal: Content-Security-Policy does not fit its buffer\n");
        abort();
    }
}

const char *page_frame_csp(void)
{
    pthread_once(&csp_once, csp_build);
    return csp_value;
}
