/* The raw export's columns, the decoding of a binary COPY row and its CSV row (see
 * export_raw_csv.h). Pure: tested in tests/server/test_export_raw_csv.c. */
#include "export_raw_csv.h"
#include "csv_write.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

static const char copy_signature[11] = {'P',  'G',    'C',  'O',  'P', 'Y',
                                        '\n', '\377', '\r', '\n', '\0'};

void raw_layout_init(struct raw_layout *l, const struct ita_version *v, int only)
{
    memset(l, 0, sizeof *l);
    l->v = v;
    for (int k = 0; k < ITA_N_SURVEYS; k++)
        l->has[k] = only < 0 || only == k;
    l->first_field[ITA_IIT] = 0;
    l->first_field[ITA_EIT] = v->surveys[ITA_IIT].n_fields;
}

void raw_csv_begin(struct strbuf *out, const struct raw_layout *l)
{
    static const char *const fixed[] = {"agency_code", "fiscal_year", "instrument", "counted_on"};
    static const char *const fixed_th[] = {"รหัสหน่วยงาน", "ปีงบประมาณ", "แบบวัด", "วันที่นับ"};
    ita_csv_write_bom(out);
    for (size_t i = 0; i < 4; i++)
        ita_csv_write_str(out, i == 0, l->thai ? fixed_th[i] : fixed[i]);
    for (int k = 0; k < ITA_N_SURVEYS; k++) {
        if (!l->has[k])
            continue;
        for (size_t f = 0; f < l->v->surveys[k].n_fields; f++) {
            const char *code = l->v->field_list[l->first_field[k] + f]->code;
            if (!l->thai) {
                ita_csv_write_str(out, false, code);
                continue;
            }
            /* the question as the form numbers it: "i4.1" is IIT ข้อ 4.1 */
            const char *n = code;
            while ((*n >= 'a' && *n <= 'z') || (*n >= 'A' && *n <= 'Z'))
                n++;
            char name[96];
            snprintf(name, sizeof name, "%s ข้อ %s", ita_instrument_code((enum ita_instrument)k),
                     *n >= '0' && *n <= '9' ? n : code);
            ita_csv_write_str(out, false, name);
        }
    }
    ita_csv_end_row(out);
}

static uint32_t be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* Reads one column (int32 length, bytes; NULL is not allowed here). */
static bool take(const unsigned char **p, const unsigned char *end, const char **val, size_t *len)
{
    if (end - *p < 4)
        return false;
    uint32_t n = be32(*p);
    *p += 4;
    if (n == UINT32_MAX || (size_t)(end - *p) < n) /* -1: NULL */
        return false;
    *val = (const char *)*p;
    *len = n;
    *p += n;
    return true;
}

enum raw_decode raw_copy_decode(const char *msg, size_t len, bool *header_seen, struct raw_row *row)
{
    const unsigned char *p = (const unsigned char *)msg, *end = p + len;
    if (!*header_seen) {
        if (len < 19 || memcmp(p, copy_signature, sizeof copy_signature) != 0)
            return RAW_BAD;
        uint32_t ext = be32(p + 15);
        if ((size_t)(end - p) - 19 < ext)
            return RAW_BAD;
        p += 19 + ext;
        *header_seen = true;
    }
    if (end - p < 2)
        return RAW_BAD;
    int16_t nf = (int16_t)((uint16_t)p[0] << 8 | p[1]);
    p += 2;
    if (nf == -1)
        return p == end ? RAW_END : RAW_BAD;
    if (nf != 5)
        return RAW_BAD;
    const char *answers;
    bool ok = take(&p, end, &row->code, &row->code_len) &&
              take(&p, end, &row->year, &row->year_len) &&
              take(&p, end, &row->instrument, &row->instrument_len) &&
              take(&p, end, &row->day, &row->day_len) && take(&p, end, &answers, &row->n_answers);
    if (!ok || p != end)
        return RAW_BAD;
    row->answers = (const unsigned char *)answers;
    return RAW_ROW;
}

static int instrument_of(const struct raw_row *row)
{
    if (row->instrument_len == 3 && memcmp(row->instrument, "IIT", 3) == 0)
        return ITA_IIT;
    if (row->instrument_len == 3 && memcmp(row->instrument, "EIT", 3) == 0)
        return ITA_EIT;
    return -1;
}

/* Checks every answer against its field's scale before anything is written. */
static bool answers_fit(const struct raw_layout *l, int k, const struct raw_row *row, char *err,
                        size_t errlen)
{
    const struct ita_version *v = l->v;
    size_t n = v->surveys[k].n_fields;
    if (row->n_answers != n) {
        snprintf(err, errlen, "a %s response holds %zu answers, the version has %zu fields",
                 ita_instrument_code((enum ita_instrument)k), row->n_answers, n);
        return false;
    }
    for (size_t f = 0; f < n; f++) {
        const struct ita_field *fd = v->field_list[l->first_field[k] + f];
        if (row->answers[f] >= v->scales[fd->scale].levels) {
            snprintf(err, errlen, "level %u of field %s is beyond its scale", row->answers[f],
                     fd->code);
            return false;
        }
    }
    return true;
}

bool raw_csv_row(struct strbuf *out, const struct raw_layout *l, const struct raw_row *row,
                 char *err, size_t errlen)
{
    static const char digits[] = "0123456789";
    int k = instrument_of(row);
    if (k < 0 || !l->has[k]) {
        snprintf(err, errlen, "a response of instrument \"%.*s\" has no columns in this file",
                 (int)(row->instrument_len > 16 ? 16 : row->instrument_len), row->instrument);
        return false;
    }
    if (!answers_fit(l, k, row, err, errlen))
        return false;
    ita_csv_write_field(out, true, row->code, row->code_len);
    ita_csv_write_field(out, false, row->year, row->year_len);
    ita_csv_write_field(out, false, row->instrument, row->instrument_len);
    ita_csv_write_field(out, false, row->day, row->day_len);
    for (int s = 0; s < ITA_N_SURVEYS; s++) {
        if (!l->has[s])
            continue;
        size_t n = l->v->surveys[s].n_fields;
        for (size_t f = 0; f < n; f++) {
            if (s == k) /* levels are below ITA_MAX_LEVELS (10): one digit */
                ita_csv_write_field(out, false, &digits[row->answers[f]], 1);
            else
                ita_csv_write_field(out, false, "", 0);
        }
    }
    ita_csv_end_row(out);
    return true;
}
