/* The audit log's Thai sentences (server/admin/audit_view.c): each action read from the safe
 * fields of its detail, the counts and fiscal year in place, account entries naming the account,
 * unknown actions named generically in Thai, malformed detail tolerated, and nothing unsafe
 * (contact ids, file digests, manifests) ever copied into the sentence. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "admin/audit_view.h"

#include <string.h>

static char *say(const char *code, const char *fy, const char *detail, const char *target)
{
    static char out[1024];
    struct strbuf b;
    strbuf_init(&b);
    audit_describe(&b, code, fy, detail, target);
    snprintf(out, sizeof out, "%s", b.len ? b.data : "");
    strbuf_free(&b);
    return out;
}

static void test_contacts(void **state)
{
    (void)state;
    assert_string_equal(
        say("contacts_import", "2570", "{\"instrument\": \"IIT\", \"imported\": 42}", ""),
        "นำเข้ารายชื่อบุคลากร (IIT) ปีงบประมาณ 2570: เพิ่ม 42 รายชื่อ");
    assert_string_equal(say("links_issue", "2569", "{\"instrument\": \"EIT\", \"issued\": 7}", ""),
                        "ออกลิงก์ส่วนบุคคลให้รายชื่อผู้รับบริการ/ผู้มีส่วนได้ส่วนเสียภายนอก (EIT) ปีงบประมาณ 2569: "
                        "ออกใหม่ 7 ลิงก์");
    assert_string_equal(say("contacts_purge", "2569", "{\"purged\": 120}", ""),
                        "ลบรายชื่อทั้งหมดหลังปิดรับ ปีงบประมาณ 2569: ลบ 120 รายชื่อ (คำตอบยังอยู่ครบ)");
    /* the contact a link was reissued to is never named, not even by its id */
    const char *r = say("link_reissue", "2570", "{\"contact\": 987654}", "");
    assert_string_equal(r, "ออกลิงก์ส่วนบุคคลใหม่แทนลิงก์เดิมให้ 1 รายชื่อ ปีงบประมาณ 2570");
    assert_null(strstr(r, "987654"));
    assert_string_equal(say("links_mailmerge", "2570", "{\"instrument\": \"IIT\"}", ""),
                        "ดาวน์โหลดไฟล์จดหมายเวียนลิงก์ส่วนบุคคลของรายชื่อบุคลากร (IIT) ปีงบประมาณ 2570");
    assert_string_equal(
        say("links_slips", "2570", "{\"instrument\": \"IIT\", \"who\": \"noemail\", \"count\": 9}",
            ""),
        "ดาวน์โหลดใบแจ้งลิงก์ส่วนบุคคล (PDF สำหรับพิมพ์) ของรายชื่อบุคลากร (IIT) ปีงบประมาณ 2570: 9 ใบ");
}

static void test_agencies_results(void **state)
{
    (void)state;
    assert_string_equal(say("agency_create", "", "{}", ""), "เพิ่มหน่วยงานใหม่");
    assert_string_equal(say("agencies_import", "", "{\"inserted\": 3, \"updated\": 1}", ""),
                        "นำเข้ารายชื่อหน่วยงาน: เพิ่ม 3 แก้ไข 1 หน่วยงาน");
    assert_string_equal(
        say("oit_set", "2570", "{\"items\": 33, \"saved\": 30, \"cleared\": 2}", ""),
        "บันทึกผลการประเมิน OIT ปีงบประมาณ 2570: บันทึก 30 ข้อ ล้าง 2 ข้อ");
    assert_string_equal(say("measures_set", "2570", "{\"rows\": 4}", ""),
                        "บันทึกมาตรการส่งเสริมคุณธรรมและความโปร่งใส ปีงบประมาณ 2570: 4 รายการ");
    const char *e = say("export_aggregates", "2570",
                        "{\"format\": \"csv\", \"scope\": \"all\", \"file_sha256\": \"abcdef0123\","
                        " \"bytes\": 99, \"agencies\": 12, \"manifest\": \"SECRET-MANIFEST\","
                        " \"file_name\": \"x.csv\"}",
                        "");
    assert_string_equal(e, "ส่งออกผลคะแนน เป็นไฟล์ CSV ปีงบประมาณ 2570: 12 หน่วยงาน");
    assert_null(strstr(e, "abcdef"));
    assert_null(strstr(e, "SECRET"));
    assert_string_equal(say("export_raw", "2570",
                            "{\"format\": \"csv\", \"instrument\": \"EIT\", \"complete\": false}",
                            ""),
                        "ส่งออกคำตอบดิบ (ไม่ระบุตัวผู้ตอบ) EIT เป็นไฟล์ CSV ปีงบประมาณ 2570 (ส่งออกไม่เสร็จ)");
    assert_string_equal(
        say("instrument_publish", "2570", "{\"revision\": 2, \"sha256\": \"ff\"}", ""),
        "เผยแพร่แบบวัด ปีงบประมาณ 2570 ฉบับแก้ไขที่ 2");
    assert_string_equal(say("instrument_draft_upload", "2571", "{\"unverified_items\": 5}", ""),
                        "อัปโหลดร่างแบบวัด ปีงบประมาณ 2571 (มี 5 ข้อที่ยังไม่ได้ตรวจกับคู่มือ)");
}

static void test_accounts(void **state)
{
    (void)state;
    assert_string_equal(say("admin_create", "",
                            "{\"user\": 5, \"role\": \"agency\", \"agency\": \"TKS\"}",
                            "somsri@thakhaopluak.go.th"),
                        "เพิ่มบัญชีผู้ดูแลหน่วยงาน somsri@thakhaopluak.go.th");
    assert_string_equal(say("admin_create", "", "{\"role\": \"system\"}", ""), "เพิ่มบัญชีผู้ดูแลระบบ");
    assert_string_equal(say("admin_disable", "", "{\"user\": 5}", "a@b.go.th"),
                        "ปิดใช้งานบัญชี a@b.go.th");
    assert_string_equal(say("admin_unlock", "", "{\"user\": 5}", "a@b.go.th"),
                        "ปลดล็อกบัญชี a@b.go.th");
    assert_string_equal(say("admin_password_reset", "", "{\"user\": 5}", "a@b.go.th"),
                        "ตั้งรหัสผ่านใหม่ให้บัญชี a@b.go.th");
    assert_string_equal(say("admin_password_change", "", "{}", ""), "เปลี่ยนรหัสผ่านของตนเอง");
    assert_string_equal(say("api_token_create", "", "{\"token\": 3, \"name\": \"รายงาน\"}", ""),
                        "สร้างโทเค็นเชื่อมต่อโปรแกรม ชื่อ “รายงาน”");
}

static void test_unknown_and_malformed(void **state)
{
    (void)state;
    assert_string_equal(say("something_new", "2570", "{\"answer\": \"secret\"}", ""),
                        "การดำเนินการอื่น (รหัส something_new) ปีงบประมาณ 2570");
    assert_string_equal(say("", "", "", ""), "การดำเนินการอื่น (รหัส ไม่ระบุ)");
    /* detail that is not an object, or counts of the wrong type: the sentence without them */
    assert_string_equal(say("contacts_import", "2570", "not json", ""),
                        "นำเข้ารายชื่อ ปีงบประมาณ 2570");
    assert_string_equal(say("contacts_import", "", "{\"imported\": \"many\"}", ""), "นำเข้ารายชื่อ");
    assert_string_equal(say("agencies_import", "", "[1,2]", ""), "นำเข้ารายชื่อหน่วยงาน");
}

static void test_action_names(void **state)
{
    (void)state;
    assert_string_equal(audit_action_th("contacts_import"), "นำเข้ารายชื่อ");
    assert_string_equal(audit_action_th("admin_unlock"), "ปลดล็อกบัญชี");
    assert_null(audit_action_th("nope"));
    assert_null(audit_action_th(NULL));
    /* every listed action has a sentence of its own, not the generic one */
    for (size_t i = 0; i < AUDIT_ACTIONS_COUNT; i++)
        assert_null(strstr(say(AUDIT_ACTIONS[i].code, "2570", "{}", ""), "การดำเนินการอื่น"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_contacts),     cmocka_unit_test(test_agencies_results),
        cmocka_unit_test(test_accounts),     cmocka_unit_test(test_unknown_and_malformed),
        cmocka_unit_test(test_action_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
