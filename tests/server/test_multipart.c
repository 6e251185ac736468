/* multipart/form-data as browsers send it: fields and a file found, CRLF inside the file kept,
 * and every malformed body refused with a reason (no boundary, missing close, truncated part,
 * part without a name, bytes that are not UTF-8 in a text field). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "net/multipart.h"

#include <stdlib.h>
#include <string.h>

#define CT "multipart/form-data; boundary=----WebKitFormBoundaryAbC123"
#define D "------WebKitFormBoundaryAbC123"

static const char good[] =
    D "\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\nabc\r\n" D
      "\r\nContent-Disposition: form-data; name=\"fy\"\r\n\r\n2566\r\n" D
      "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"รายชื่อ.csv\"\r\n"
      "Content-Type: text/csv\r\n\r\nชื่อ,อีเมล\r\nก,a@b.c\r\n-" D "x\r\n\r\n" D "--\r\n";

static struct arena a; /* what the parser allocates; emptied before every parse */

static int parse(const char *ct, const char *body, size_t len, struct multipart_data *m,
                 const char **why)
{
    arena_reset(&a);
    return multipart_parse(ct, strlen(ct), body, len, &a, m, why);
}

static int setup(void **state)
{
    arena_init(&a, 1024);
    return 0;
}

static int teardown(void **state)
{
    arena_reset(&a);
    return 0;
}

static void test_fields_and_file(void **state)
{
    struct multipart_data *m = malloc(sizeof *m);
    const char *why = NULL;
    assert_int_equal(parse(CT, good, sizeof good - 1, m, &why), 0);
    assert_string_equal(form_get(&m->fields, "csrf"), "abc");
    assert_string_equal(form_get(&m->fields, "fy"), "2566");
    const struct multipart_file *f = multipart_file(m, "file");
    assert_non_null(f);
    assert_string_equal(f->filename, "รายชื่อ.csv");
    /* the delimiter text inside the file without a preceding CRLF is data */
    static const char want[] = "ชื่อ,อีเมล\r\nก,a@b.c\r\n-" D "x\r\n";
    assert_int_equal(f->len, sizeof want - 1);
    assert_memory_equal(f->data, want, f->len);
    assert_null(multipart_file(m, "other"));
    /* a quoted boundary parameter */
    assert_int_equal(parse("multipart/form-data; boundary=\"----WebKitFormBoundaryAbC123\"", good,
                           sizeof good - 1, m, &why),
                     0);
    assert_true(multipart_is("multipart/form-data; boundary=x", 31));
    assert_false(multipart_is("multipart/form-datax", 20));
    free(m);
}

static void test_refused(void **state)
{
    struct multipart_data *m = malloc(sizeof *m);
    const char *why = NULL;
    assert_int_equal(parse("multipart/form-data", good, sizeof good - 1, m, &why), -1);
    assert_string_equal(why, "not multipart/form-data with a boundary");
    assert_int_equal(parse("text/plain; boundary=x", good, sizeof good - 1, m, &why), -1);
    assert_int_equal(parse(CT, "nothing here", 12, m, &why), -1);
    assert_string_equal(why, "no boundary delimiter in the body");
    /* truncated anywhere inside: refused, never a short file */
    for (size_t cut = strlen(D) + 1; cut < sizeof good - 1 - strlen(D) - 4; cut += 7) {
        why = NULL;
        if (parse(CT, good, cut, m, &why) == 0)
            fail_msg("a body cut at %zu bytes was accepted", cut);
    }
    static const char noname[] = D "\r\nContent-Disposition: form-data\r\n\r\nx\r\n" D "--\r\n";
    assert_int_equal(parse(CT, noname, sizeof noname - 1, m, &why), -1);
    assert_string_equal(why, "part without a name");
    static const char latin1[] =
        D "\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\ncaf\xE9\r\n" D "--\r\n";
    assert_int_equal(parse(CT, latin1, sizeof latin1 - 1, m, &why), -1);
    static const char attach[] =
        D "\r\nContent-Disposition: attachment; name=\"a\"\r\n\r\nx\r\n" D "--\r\n";
    assert_int_equal(parse(CT, attach, sizeof attach - 1, m, &why), -1);
    assert_string_equal(why, "part is not form-data");
    free(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fields_and_file),
        cmocka_unit_test(test_refused),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
