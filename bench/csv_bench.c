/* csv_bench: how fast a staff (IIT) list is read and validated, and how much memory it takes.
 * Generates 100,000 realistic Thai rows in memory (names, positions, units with commas and line
 * breaks in quotes, e-mails, phones, Buddhist Era dates, some duplicates), converts them to
 * Windows-874 as Thai Excel saves them, then times: the bare CSV reader, the full contact-list
 * parse of the UTF-8 text, and of the Windows-874 bytes. Prints rows/s and peak RSS.
 *
 *   build/csv_bench [rows] [file.csv]   (file: where to write the Windows-874 copy, optional) */
#include "contact_list.h"
#include "csv_table.h"
#include "strbuf.h"

#include <errno.h>
#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

static const char *const TITLES[] = {"นาย", "นาง", "นางสาว", "ว่าที่ร้อยตรี"};
static const char *const FIRST[] = {"สมชาย", "สมหญิง", "ประเสริฐ", "มาลี",    "วิชัย",  "สุดารัตน์",
                                    "ธนากร", "กัญญา",  "อนุชา",    "พิมพ์ชนก", "ณัฐวุฒิ", "ศิริพร"};
static const char *const LAST[] = {"ใจดี",   "รักงาน",    "มั่นคง",    "ศรีสุข",   "แก้วมณี",  "บุญมา",
                                   "ทองคำ", "สายสุวรรณ", "พรหมวงศ์", "วงศ์ใหญ่", "จันทร์เพ็ญ"};
static const char *const POSITIONS[] = {"นักวิเคราะห์นโยบายและแผน", "นักวิชาการเงินและบัญชี, ชำนาญการ",
                                        "เจ้าพนักงานธุรการ",        "นายช่างโยธา",
                                        "ผู้อำนวยการกอง",          "นักทรัพยากรบุคคล"};
static const char *const UNITS[] = {
    "กองคลัง",     "กองช่าง\r\n(งานโยธา)",    "สำนักปลัด",
    "กองการศึกษา", "กองสาธารณสุขและสิ่งแวดล้อม", "ฝ่ายบริหารงานทั่วไป, งานสารบรรณ"};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static unsigned long rng_state = 2566;

static unsigned rnd(unsigned n)
{
    rng_state = rng_state * 6364136223846793005UL + 1442695040888963407UL;
    return (unsigned)((rng_state >> 33) % n);
}

/* Appends s as a CSV field, quoted (quotes doubled) when it holds a comma, quote or line break,
 * then sep. */
static void field(struct strbuf *b, const char *s, const char *sep)
{
    if (!strpbrk(s, ",\"\r\n")) {
        strbuf_puts(b, s);
        strbuf_puts(b, sep);
        return;
    }
    strbuf_puts(b, "\"");
    for (const char *p = s; *p; p++) {
        strbuf_append(b, p, 1);
        if (*p == '"')
            strbuf_append(b, p, 1); /* doubled */
    }
    strbuf_puts(b, "\"");
    strbuf_puts(b, sep);
}

static void generate(struct strbuf *b, long rows)
{
    strbuf_puts(b, "ลำดับ,ชื่อ-นามสกุล,ตำแหน่ง,กอง,อีเมล,เบอร์โทรศัพท์,วันที่เริ่มปฏิบัติงาน\r\n");
    for (long i = 1; i <= rows; i++) {
        char name[256], email[64], phone[32], date[32];
        snprintf(name, sizeof name, "%s%s %s", TITLES[rnd(COUNT(TITLES))], FIRST[rnd(COUNT(FIRST))],
                 LAST[rnd(COUNT(LAST))]);
        long who = i % 50 == 0 ? i - 1 : i; /* every 50th row repeats the previous e-mail */
        snprintf(email, sizeof email, "staff%06ld@example.go.th", who);
        snprintf(phone, sizeof phone, "0%u-%03u-%04u", 8 + rnd(2), rnd(1000), rnd(10000));
        /* Buddhist Era years up to 2566: none after the reference day 1 March 2567. */
        snprintf(date, sizeof date, "%u/%u/%u", 1 + rnd(28), 1 + rnd(12), 2530 + rnd(37));
        strbuf_printf(b, "%ld,", i);
        field(b, name, ",");
        field(b, POSITIONS[rnd(COUNT(POSITIONS))], ",");
        field(b, UNITS[rnd(COUNT(UNITS))], ",");
        field(b, email, ",");
        field(b, phone, ",");
        field(b, date, "\r\n");
    }
}

/* UTF-8 to Windows-874 in one go (the output is never longer than the input). */
static char *to_windows_874(const struct strbuf *in, size_t *out_len)
{
    iconv_t cd = iconv_open("WINDOWS-874", "UTF-8");
    if (cd == (iconv_t)-1) {
        perror("iconv_open");
        exit(1);
    }
    char *out = malloc(in->len + 1);
    if (!out) {
        perror("malloc");
        exit(1);
    }
    char *src = in->data, *dst = out;
    size_t left = in->len, room = in->len + 1;
    if (iconv(cd, &src, &left, &dst, &room) == (size_t)-1) {
        perror("iconv");
        exit(1);
    }
    iconv_close(cd);
    *out_len = (size_t)(dst - out);
    return out;
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static long peak_rss_kib(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_maxrss;
}

static int count_record(void *ctx, const struct ita_csv_record *rec)
{
    (void)rec;
    (*(long *)ctx)++;
    return 0;
}

static void report(const char *what, long rows, size_t bytes, double secs)
{
    printf("%-32s %8ld rows %7.1f MB %8.3f s %10.0f rows/s %7.1f MB/s  peak RSS %ld KiB\n", what,
           rows, (double)bytes / 1e6, secs, (double)rows / secs, (double)bytes / 1e6 / secs,
           peak_rss_kib());
}

static void bench_list(const char *what, const void *data, size_t len)
{
    struct ita_contact_options opt = {ITA_CONTACT_IIT, {2024, 3, 1}};
    struct ita_contact_list l;
    double t0 = now();
    int rc = ita_contact_list_parse(data, len, &opt, &l);
    double t1 = now();
    report(what, (long)l.rows_read, len, t1 - t0);
    printf("%32s accepted %zu, less than a year %zu, duplicates %zu, errors %zu (rc %d, %s)\n", "",
           l.n_rows, l.too_recent, l.duplicates, l.errors.total, rc,
           ita_text_encoding_name(l.encoding));
    ita_contact_list_free(&l);
}

int main(int argc, char **argv)
{
    long rows = argc > 1 ? strtol(argv[1], NULL, 10) : 100000;
    if (rows <= 0) {
        fprintf(stderr, "usage: csv_bench [rows] [windows-874-output.csv]\n");
        return 2;
    }
    struct strbuf utf8;
    strbuf_init(&utf8);
    generate(&utf8, rows);
    size_t w874_len;
    char *w874 = to_windows_874(&utf8, &w874_len);
    if (argc > 2) {
        FILE *f = fopen(argv[2], "wb");
        if (!f || fwrite(w874, 1, w874_len, f) != w874_len || fclose(f) != 0) {
            perror(argv[2]);
            return 1;
        }
    }
    printf("generated %ld rows: UTF-8 %.1f MB, Windows-874 %.1f MB; peak RSS %ld KiB\n", rows,
           (double)utf8.len / 1e6, (double)w874_len / 1e6, peak_rss_kib());
    long n = 0;
    double t0 = now();
    if (ita_csv_read(utf8.data, utf8.len, count_record, &n, NULL, NULL) != ITA_CSV_OK) {
        fprintf(stderr, "csv_bench: the generated CSV does not parse\n");
        return 1;
    }
    report("csv reader only (UTF-8)", n - 1, utf8.len, now() - t0);
    bench_list("contact list, UTF-8", utf8.data, utf8.len);
    bench_list("contact list, Windows-874", w874, w874_len);
    free(w874);
    strbuf_free(&utf8);
    return 0;
}
