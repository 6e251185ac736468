/* The fixed list of agency types (agency_kind.h). Ordered as the NACC lists them: central
 * government, other state bodies, provinces, then local government from the largest. */
#include "agency_kind.h"

#include <string.h>

const struct ita_agency_kind ita_agency_kinds[] = {
    {"department", "ส่วนราชการระดับกรมหรือเทียบเท่า"},
    {"state_enterprise", "รัฐวิสาหกิจ"},
    {"public_organization", "องค์การมหาชน"},
    {"independent_body", "องค์กรอิสระ"},
    {"court_parliament", "หน่วยงานศาลและรัฐสภา"},
    {"university", "มหาวิทยาลัย/สถาบันอุดมศึกษา"},
    {"other_state", "หน่วยงานอื่นของรัฐ"},
    {"province", "จังหวัด"},
    {"pao", "องค์การบริหารส่วนจังหวัด"},
    {"special_local", "องค์กรปกครองส่วนท้องถิ่นรูปแบบพิเศษ"},
    {"city_municipality", "เทศบาลนคร"},
    {"town_municipality", "เทศบาลเมือง"},
    {"subdistrict_municipality", "เทศบาลตำบล"},
    {"sao", "องค์การบริหารส่วนตำบล"},
};
const size_t ita_agency_kinds_count = sizeof ita_agency_kinds / sizeof ita_agency_kinds[0];
_Static_assert(sizeof ita_agency_kinds / sizeof ita_agency_kinds[0] <= ITA_AGENCY_KINDS_MAX,
               "ITA_AGENCY_KINDS_MAX");

int ita_agency_kind_find(const char *s)
{
    if (!s)
        return -1;
    while (*s == ' ' || *s == '\t')
        s++;
    size_t n = strlen(s);
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        n--;
    for (size_t i = 0; i < ita_agency_kinds_count; i++) {
        const struct ita_agency_kind *k = &ita_agency_kinds[i];
        if ((strlen(k->th) == n && memcmp(k->th, s, n) == 0) ||
            (strlen(k->key) == n && memcmp(k->key, s, n) == 0))
            return (int)i;
    }
    return -1;
}

void ita_agency_kind_names(struct strbuf *o)
{
    for (size_t i = 0; i < ita_agency_kinds_count; i++) {
        if (i)
            strbuf_puts(o, ", ");
        strbuf_puts(o, ita_agency_kinds[i].th);
    }
}

const char *ita_agency_kind_stored(const char *s)
{
    if (!s)
        return "";
    const char *c = s;
    while (*c == ' ' || *c == '\t')
        c++;
    if (!*c)
        return "";
    int k = ita_agency_kind_find(s);
    return k < 0 ? NULL : ita_agency_kinds[k].th;
}
