/* Tests for `itactl score` (client/cmd_score.c), driven through cmd_score_run() with in-memory
 * output streams: the seed report's table, partial totals, the what-if table, argument errors,
 * and CSV input with its row-level error messages. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd_score.h"

struct run {
    int rc;    /* exit status */
    char *out; /* everything written to the output stream */
    char *err; /* everything written to the error stream */
};

static struct run run_score(const char *const *args)
{
    struct run r = {0};
    size_t out_len = 0, err_len = 0;
    int argc = 0;
    while (args[argc])
        argc++;
    char **argv = calloc((size_t)argc + 1, sizeof *argv);
    assert_non_null(argv);
    for (int i = 0; i < argc; i++)
        argv[i] = strdup(args[i]);
    FILE *out = open_memstream(&r.out, &out_len);
    FILE *err = open_memstream(&r.err, &err_len);
    assert_non_null(out);
    assert_non_null(err);
    r.rc = cmd_score_run(argc, argv, out, err);
    fclose(out);
    fclose(err);
    for (int i = 0; i < argc; i++)
        free(argv[i]);
    free(argv);
    return r;
}

static void run_free(struct run *r)
{
    free(r->out);
    free(r->err);
}

/* `text` contains `line` as a whole line. */
static void assert_line(const char *text, const char *line)
{
    size_t n = strlen(line);
    for (const char *p = text; p && *p;) {
        const char *end = strchr(p, '\n');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        if (len == n && memcmp(p, line, n) == 0)
            return;
        p = end ? end + 1 : NULL;
    }
    print_error("line not found: [%s]\nin:\n%s\n", line, text);
    fail();
}

static char *temp_file(const char *content)
{
    const char *dir = getenv("TMPDIR");
    char *path = NULL;
    size_t len = strlen(dir && *dir ? dir : "/tmp") + 32;
    path = malloc(len);
    assert_non_null(path);
    snprintf(path, len, "%s/ita-score-XXXXXX", dir && *dir ? dir : "/tmp");
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    size_t n = strlen(content);
    assert_int_equal(write(fd, content, n), (ssize_t)n);
    close(fd);
    return path;
}

#define SEED                                                                                       \
    "94.56", "88.13", "90.81", "88.09", "90.53", "96.03", "96.20", "94.74", "100.00", "100.00"

static void test_seed_table(void **state)
{
    static const char *const args[] = {"score", "--fy", "2566", SEED, NULL};
    struct run r = run_score(args);
    assert_int_equal(r.rc, 0);
    assert_string_equal(r.err, "");
    /* Indicators with the report's classes. */
    assert_line(r.out, " 1 Performance of duties         94.56  develop  การปฏิบัติหน้าที่");
    assert_line(r.out, " 2 Use of budget                 88.13  urgent   การใช้งบประมาณ");
    assert_line(r.out, " 4 Use of state property         88.09  urgent   การใช้ทรัพย์สินของราชการ");
    assert_line(r.out, " 6 Quality of operations         96.03  keep     คุณภาพการดำเนินงาน");
    assert_line(r.out, "10 Corruption prevention        100.00  keep     การป้องกันการทุจริต");
    /* The report's weighting table: IIT 90.42 -> 27.13, EIT 95.66 -> 28.70 (the report prints
     * 95.65 -> 28.69; see test_scoring.c), OIT 100 -> 40, total 95.82, AA. */
    assert_line(r.out, "IIT    1-5          90.42     30%     27.13");
    assert_line(r.out, "EIT    6-8          95.66     30%     28.70");
    assert_line(r.out, "OIT    9-10        100.00     40%     40.00");
    assert_line(r.out, "Total                                 95.82  grade AA, pass");
    run_free(&r);
}

static void test_partial_total(void **state)
{
    static const char *const args[] = {"score", "--fy",  "2566",  "94.56", "88.13",
                                       "90.81", "88.09", "90.53", "96.03", "96.20",
                                       "94.74", "-",     "-",     NULL};
    struct run r = run_score(args);
    assert_int_equal(r.rc, 0);
    assert_line(r.out, " 9 Information disclosure            -  -        การเปิดเผยข้อมูล");
    assert_line(r.out, "OIT    9-10             -     40%         -");
    /* 27.1272 + 28.697 = 55.8242 */
    assert_line(r.out,
                "Total                                 55.82  partial: out of 60, OIT missing; "
                "no rating");
    run_free(&r);
}

static void test_target(void **state)
{
    /* Total 83 (see test_scoring.c: test_whatif_by_hand); target A needs +2 on the total. */
    static const char *const args[] = {"score", "--fy", "2566", "80", "80", "80",       "80", "80",
                                       "80",    "80",   "80",   "80", "95", "--target", "A",  NULL};
    struct run r = run_score(args);
    assert_int_equal(r.rc, 0);
    assert_line(r.out, "Total                                 83.00  grade B, not passed");
    assert_line(r.out, "Target A (total >= 85.00):");
    /* 80 + 2/0.06 = 113.333... shown rounded up */
    assert_line(r.out, " 1 Performance of duties         80.00  not reachable by this indicator "
                       "alone (would need 113.34)");
    assert_line(r.out, " 6 Quality of operations         80.00   +20.00   100.00");
    assert_line(r.out, " 9 Information disclosure        80.00   +10.00    90.00");
    assert_line(r.out, "10 Corruption prevention         95.00  not reachable by this indicator "
                       "alone (would need 105.00)");
    run_free(&r);

    static const char *const reached[] = {"score", "--fy", "2566", SEED, "--target=aa", NULL};
    r = run_score(reached);
    assert_int_equal(r.rc, 0);
    assert_line(r.out, "Target AA (total >= 95.00):");
    assert_line(r.out, "  the scores already earn AA; no rise needed.");
    run_free(&r);

    /* A rise that is not a whole hundredth is shown rounded up, so that it does reach the grade:
     * IIT = (4 * 85 + 88.09) / 5 = 85.618, EIT = 85, OIT = (85 + 84.023) / 2 = 84.5115;
     * total = 0.3 * 85.618 + 0.3 * 85 + 0.4 * 84.5115 = 25.6854 + 25.5 + 33.8046 = 84.99.
     * Indicator 4 must rise by 0.01 / 0.06 = 0.1666... -> +0.17, to 88.2566... -> 88.26. */
    static const char *const fine[] = {"score",  "--fy",     "2566", "85", "85", "85",
                                       "88.09",  "85",       "85",   "85", "85", "85",
                                       "84.023", "--target", "A",    NULL};
    r = run_score(fine);
    assert_int_equal(r.rc, 0);
    assert_line(r.out, "Total                                 84.99  grade B, not passed");
    assert_line(r.out, " 4 Use of state property         88.09    +0.17    88.26");
    run_free(&r);
}

static void test_argument_errors(void **state)
{
    static const char *const nine[] = {"score", "--fy", "2566", "1", "2", "3", "4",
                                       "5",     "6",    "7",    "8", "9", NULL};
    struct run r = run_score(nine);
    assert_int_equal(r.rc, 2);
    assert_string_equal(r.err, "itactl score: expected 10 indicator scores, got 9\n"
                               "Try 'itactl score --help'.\n");
    assert_string_equal(r.out, "");
    run_free(&r);

    static const char *const bad_grade[] = {"score", "--fy", "2566", SEED, "--target", "Z", NULL};
    r = run_score(bad_grade);
    assert_int_equal(r.rc, 2);
    assert_string_equal(r.err, "itactl score: --target 'Z' is not a level of fiscal year 2566's "
                               "rating; use AA, A, B, C, D, E, F\nTry 'itactl score --help'.\n");
    run_free(&r);

    static const char *const unknown[] = {"score", "--fy", "2566", SEED, "--verbose", NULL};
    r = run_score(unknown);
    assert_int_equal(r.rc, 2);
    assert_string_equal(r.err, "itactl score: unknown option '--verbose'\n"
                               "Try 'itactl score --help'.\n");
    run_free(&r);

    static const char *const both[] = {"score", "--fy", "2566", "--csv", "x.csv", "1", NULL};
    r = run_score(both);
    assert_int_equal(r.rc, 2);
    run_free(&r);

    static const char *const not_number[] = {"score", "--fy",  "2566",  "94.56", "88.13",
                                             "9O.81", "88.09", "90.53", "96.03", "96.20",
                                             "94.74", "100",   "100",   NULL};
    r = run_score(not_number);
    assert_int_equal(r.rc, 1);
    assert_string_equal(r.err, "itactl score: indicator 3: '9O.81' is not a score: write a "
                               "number from 0 to 100 such as 94.56, or - if not known\n");
    assert_string_equal(r.out, "");
    run_free(&r);

    static const char *const too_big[] = {"score", "--fy",   "2566",  "94.56", "88.13",
                                          "90.81", "88.09",  "90.53", "96.03", "96.20",
                                          "94.74", "100.01", "100",   NULL};
    r = run_score(too_big);
    assert_int_equal(r.rc, 1);
    assert_string_equal(r.err, "itactl score: indicator 9: '100.01' is above 100\n");
    run_free(&r);

    static const char *const negative[] = {"score", "--fy",  "2566",  "-5",    "88.13",
                                           "90.81", "88.09", "90.53", "96.03", "96.20",
                                           "94.74", "100",   "100",   NULL};
    r = run_score(negative);
    assert_int_equal(r.rc, 1);
    assert_non_null(strstr(r.err, "indicator 1: '-5' is not a score"));
    run_free(&r);

    static const char *const help[] = {"score", "--fy", "2566", "--help", NULL};
    r = run_score(help);
    assert_int_equal(r.rc, 0);
    assert_non_null(strstr(r.out, "usage: itactl score I1 I2"));
    run_free(&r);
}

static void test_csv(void **state)
{
    /* A UTF-8 byte-order mark, CRLF line ends, a blank line, a quoted agency code containing a
     * comma, and an agency without OIT yet. */
    char *path = temp_file("\xEF\xBB\xBF"
                           "agency,I1,I2,I3,I4,I5,I6,I7,I8,I9,I10\r\n"
                           "NKP01,94.56,88.13,90.81,88.09,90.53,96.03,96.20,94.74,100,100\r\n"
                           "\r\n"
                           "\"Agency, with comma\",80,80,80,80,80,80,80,80,80,95\r\n"
                           "NOOIT, 94.56 ,88.13,90.81,88.09,90.53,96.03,96.20,94.74,,\r\n");
    const char *args[] = {"score", "--fy", "2566", "--csv", path, NULL};
    struct run r = run_score(args);
    assert_int_equal(r.rc, 0);
    assert_string_equal(r.err, "");
    assert_string_equal(
        r.out, "agency,iit,eit,oit,iit_weighted,eit_weighted,oit_weighted,total,status,rating,pass,"
               "blocked_by\n"
               "NKP01,90.42,95.66,100.00,27.13,28.70,40.00,95.82,complete,AA,yes,\n"
               "\"Agency, with comma\",80.00,80.00,87.50,24.00,24.00,35.00,83.00,complete,B,no,\n"
               "NOOIT,90.42,95.66,,27.13,28.70,,55.82,partial_of_60,,,\n");
    run_free(&r);

    const char *target[] = {"score", "--fy", "2566", "--csv", path, "--target", "A", NULL};
    r = run_score(target);
    assert_int_equal(r.rc, 0);
    assert_line(r.out, "agency,iit,eit,oit,iit_weighted,eit_weighted,oit_weighted,total,status,"
                       "rating,pass,blocked_by,rise_i1_to_A,rise_i2_to_A,rise_i3_to_A,rise_i4_to_A,"
                       "rise_i5_to_A,rise_i6_to_A,rise_i7_to_A,rise_i8_to_A,rise_i9_to_A,"
                       "rise_i10_to_A");
    assert_line(r.out, "NKP01,90.42,95.66,100.00,27.13,28.70,40.00,95.82,complete,AA,yes,,0.00,"
                       "0.00,0.00,0.00,0.00,0.00,0.00,0.00,0.00,0.00");
    assert_line(r.out, "\"Agency, with comma\",80.00,80.00,87.50,24.00,24.00,35.00,83.00,"
                       "complete,B,no,,unreachable,unreachable,unreachable,unreachable,"
                       "unreachable,20.00,20.00,20.00,10.00,unreachable");
    assert_line(r.out, "NOOIT,90.42,95.66,,27.13,28.70,,55.82,partial_of_60,,,,,,,,,,,,,");
    run_free(&r);
    unlink(path);
    free(path);
}

static void test_csv_row_errors(void **state)
{
    char *path = temp_file("agency,I1,I2,I3,I4,I5,I6,I7,I8,I9,I10\n"
                           "A1,94.56,88.13,90.81,88.09,90.53,96.03,96.20,94.74,100,100\n"
                           "A2,94.56,88.13,90.81\n"
                           "A3,94.56,abc,90.81,88.09,90.53,96.03,96.20,94.74,100,100\n"
                           "A4,94.56,88.13,190.81,88.09,90.53,96.03,96.20,94.74,100,100\n"
                           ",94.56,88.13,90.81,88.09,90.53,96.03,96.20,94.74,100,100\n"
                           "A1,94.56,88.13,90.81,88.09,90.53,96.03,96.20,94.74,100,100\n"
                           "\"A7,94.56,88.13\n"
                           "A8,9\"4,1,1,1,1,1,1,1,1,1\n"
                           "A9,1,1,1,1,1,1,1,1,1,1\n");
    const char *args[] = {"score", "--fy", "2566", "--csv", path, NULL};
    struct run r = run_score(args);
    char want[2048];
    snprintf(want, sizeof want,
             "%1$s:3: 4 cells; expected 11 (agency code and I1..I10); row rejected\n"
             "%1$s:4: I2: 'abc' is not a score: write a number from 0 to 100 such as 94.56, or "
             "leave the cell empty if not known; row rejected\n"
             "%1$s:5: I3: '190.81' is above 100; row rejected\n"
             "%1$s:6: the agency code is empty; row rejected\n"
             "%1$s:7: agency 'A1' already appeared on line 2; row rejected\n"
             "%1$s:8: cell 1: quoted cell is not closed on this line; row rejected\n"
             "%1$s:9: cell 2: a quote inside an unquoted cell; quote the whole cell; row "
             "rejected\n"
             "%1$s: 7 rows rejected\n",
             path);
    assert_int_equal(r.rc, 1);
    assert_string_equal(r.err, want);
    /* Valid rows are still written. */
    assert_string_equal(r.out, "agency,iit,eit,oit,iit_weighted,eit_weighted,oit_weighted,total,"
                               "status,rating,pass,blocked_by\n"
                               "A1,90.42,95.66,100.00,27.13,28.70,40.00,95.82,complete,AA,yes,\n"
                               "A9,1.00,1.00,1.00,0.30,0.30,0.40,1.00,complete,F,no,\n");
    run_free(&r);
    unlink(path);
    free(path);
}

static void test_csv_file_errors(void **state)
{
    char *path = temp_file("code,I1,I2,I3,I4,I5,I6,I7,I8,I9\n"
                           "A1,1,1,1,1,1,1,1,1,1,1\n");
    const char *args[] = {"score", "--fy", "2566", "--csv", path, NULL};
    struct run r = run_score(args);
    char want[1024];
    snprintf(want, sizeof want,
             "%s:1: the first line must be the header agency,I1,I2,I3,I4,I5,I6,I7,I8,I9,I10\n",
             path);
    assert_int_equal(r.rc, 1);
    assert_string_equal(r.err, want);
    assert_string_equal(r.out, "");
    run_free(&r);
    unlink(path);
    free(path);

    path = temp_file("\n\n");
    const char *empty[] = {"score", "--fy", "2566", "--csv", path, NULL};
    r = run_score(empty);
    snprintf(want, sizeof want, "%s: empty; the first line must be the header agency,I1,...,I10\n",
             path);
    assert_int_equal(r.rc, 1);
    assert_string_equal(r.err, want);
    run_free(&r);
    unlink(path);
    free(path);

    const char *missing[] = {"score", "--fy", "2566", "--csv", "/nonexistent-dir/agencies.csv",
                             NULL};
    r = run_score(missing);
    assert_int_equal(r.rc, 1);
    assert_string_equal(r.err, "itactl score: /nonexistent-dir/agencies.csv: cannot open: No "
                               "such file or directory\n");
    run_free(&r);
}

/* The tiered rating from 2567 (the six-level fixture carries the same rule as the shipped
 * 2567 file): the rating in its own CSV cell, the blocking tool, the rise per tool. */
#define TIERED "--instruments", ITA_FIXTURES_DIR "/instrument-2567-six-level.json"

static void test_tiered(void **state)
{
    /* IIT 92, EIT 84.2, OIT 95: total 27.6 + 25.26 + 38 = 90.86, ผ่าน; EIT keeps it from ผ่านดี
     * (+0.80); ผ่านดีเยี่ยม needs IIT +3 and EIT +10.8. */
    static const char *const args[] = {"score", TIERED, "92",   "92", "92", "92", "92",
                                       "84.2",  "84.2", "84.2", "95", "95", NULL};
    struct run r = run_score(args);
    assert_int_equal(r.rc, 0);
    assert_string_equal(r.err, "");
    assert_line(r.out, "Total                                 90.86  rating ผ่าน, pass");
    assert_line(r.out, "  EIT 84.20 < 85.00: ผ่าน, ไม่ถึงผ่านดี");
    assert_line(r.out, "To reach ผ่านดี (ถึงระดับ ผ่านดี):");
    assert_line(r.out, "  EIT +0.80 (to 85.00)");
    assert_line(r.out, "To reach ผ่านดีเยี่ยม (ถึงระดับ ผ่านดีเยี่ยม):");
    assert_line(r.out, "  IIT +3.00 (to 95.00)");
    assert_line(r.out, "  EIT +10.80 (to 95.00)");
    run_free(&r);

    /* --target by Thai or English name; indicators of IIT and OIT are blocked by EIT. */
    static const char *const target[] = {"score", TIERED, "92",       "92",        "92",
                                         "92",    "92",   "84.2",     "84.2",      "84.2",
                                         "95",    "95",   "--target", "good pass", NULL};
    r = run_score(target);
    assert_int_equal(r.rc, 0);
    assert_line(r.out, "Target ผ่านดี (total >= 85.00; IIT, EIT and OIT each >= 85.00):");
    /* One EIT indicator must carry the tool: 3 * 0.8 = 2.4 -> 86.60. */
    assert_line(r.out, " 6 Quality of operations         84.20    +2.40    86.60");
    assert_line(r.out,
                " 1 Performance of duties         92.00  not by this indicator alone: another "
                "tool is below ผ่านดี's minimum");
    run_free(&r);

    char *path = temp_file("agency,I1,I2,I3,I4,I5,I6,I7,I8,I9,I10\n"
                           "T1,92,92,92,92,92,84.2,84.2,84.2,95,95\n"
                           "T2,95,95,95,95,95,95,95,95,95,95\n"
                           "T3,69.99,69.99,69.99,69.99,69.99,69.99,69.99,69.99,69.99,69.99\n");
    const char *csv[] = {"score", TIERED, "--csv", path, NULL};
    r = run_score(csv);
    assert_int_equal(r.rc, 0);
    assert_string_equal(
        r.out, "agency,iit,eit,oit,iit_weighted,eit_weighted,oit_weighted,total,status,rating,pass,"
               "blocked_by\n"
               "T1,92.00,84.20,95.00,27.60,25.26,38.00,90.86,complete,ผ่าน,yes,EIT 84.20 < 85.00\n"
               "T2,95.00,95.00,95.00,28.50,28.50,38.00,95.00,complete,ผ่านดีเยี่ยม,yes,\n"
               "T3,69.99,69.99,69.99,21.00,21.00,28.00,69.99,complete,ต้องปรับปรุงโดยด่วน,no,\n");
    run_free(&r);
    unlink(path);
    free(path);

    /* A year without a file says so. */
    static const char *const nofile[] = {"score", "--fy", "2555", SEED, NULL};
    r = run_score(nofile);
    assert_int_equal(r.rc, 1);
    assert_non_null(strstr(r.err, "no weights and rating for fiscal year 2555"));
    run_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_seed_table),
        cmocka_unit_test(test_partial_total),
        cmocka_unit_test(test_target),
        cmocka_unit_test(test_argument_errors),
        cmocka_unit_test(test_csv),
        cmocka_unit_test(test_csv_row_errors),
        cmocka_unit_test(test_csv_file_errors),
        cmocka_unit_test(test_tiered),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
