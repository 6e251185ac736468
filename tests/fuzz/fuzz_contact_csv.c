/* libFuzzer target for uploads: arbitrary bytes through encoding detection, the CSV reader and
 * contact-list (IIT and EIT) and agency-list validation. Never crashes or leaks; an accepted
 * list has only valid rows (names 1-200 characters of UTF-8, phones of 9-10 digits from 0, ISO
 * dates) and gives six well-formed PostgreSQL array literals; a refused list says why. */
#include "agency_list.h"
#include "contact_list.h"
#include "text_encoding.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_row(const struct ita_contact *r)
{
    size_t n = strlen(r->name);
    if (n == 0 || !ita_utf8_valid(r->name, n) || ita_utf8_chars(r->name) > ITA_CONTACT_NAME_MAX)
        abort();
    if (r->phone) {
        size_t p = strlen(r->phone);
        if (p < 9 || p > 10 || r->phone[0] != '0' || strspn(r->phone, "0123456789") != p)
            abort();
    }
    if (r->started_on && strlen(r->started_on) != 10)
        abort();
    if (!r->dedupe_key || !r->dedupe_key[0])
        abort();
}

/* An importable list gives six "{...}" literals. */
static void check_arrays(const struct ita_contact_list *l)
{
    struct strbuf a[6];
    for (int i = 0; i < 6; i++)
        strbuf_init(&a[i]);
    if (ita_contact_list_pg_arrays(l, &a[0], &a[1], &a[2], &a[3], &a[4], &a[5]) != 0)
        abort();
    for (int i = 0; i < 6; i++) {
        if (a[i].data[0] != '{' || a[i].data[a[i].len - 1] != '}')
            abort();
        strbuf_free(&a[i]);
    }
}

static void check_contacts(const uint8_t *data, size_t size, enum ita_contact_kind kind)
{
    struct ita_contact_list l;
    struct ita_contact_options opt = {kind, {2024, 3, 1}};
    int rc = ita_contact_list_parse(data, size, &opt, &l);
    if ((rc == 0) != (l.errors.total == 0) || l.errors.n > ITA_IMPORT_MAX_ERRORS ||
        l.errors.n > l.errors.total)
        abort();
    for (size_t i = 0; i < l.errors.n; i++)
        if (!l.errors.items[i].reason[0] || l.errors.items[i].line > size + 1)
            abort();
    for (size_t i = 0; i < l.n_rows; i++)
        check_row(&l.rows[i]);
    if (rc == 0)
        check_arrays(&l);
    ita_contact_list_free(&l);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    check_contacts(data, size, ITA_CONTACT_IIT);
    check_contacts(data, size, ITA_CONTACT_EIT);
    struct ita_agency_list a;
    int rc = ita_agency_list_parse(data, size, &a);
    if ((rc == 0) != (a.errors.total == 0))
        abort();
    for (size_t i = 0; i < a.n_rows; i++)
        if (!ita_agency_code_valid(a.rows[i].code))
            abort();
    ita_agency_list_free(&a);
    return 0;
}
