// Browser test of the audit log (/admin/audit) in Debian's Chromium, driven by playwright-core.
// The wrapper (run_audit_browser_test.sh) made two agencies (TKS and OTH), a system
// administrator, an administrator of TKS, and audit_log rows by SQL (see there). Here, first two
// real actions: the TKS administrator changes her password at 360 px, the system administrator
// creates an account of OTH at 1280 px. Then the system administrator reads the log at 1280 and
// 360 px: both agencies' entries in Thai, 50 a page and the older page, filtered by action, by
// agency and by a Thai date range, a malformed date refused on the same page with what was typed;
// no contact's id anywhere. The TKS administrator sees only her agency's entries, ?agency=OTH
// changes nothing. On every page: lang="th", fields labelled, no horizontal scrolling, axe-core
// clean, no CSP violation or console error; screenshots audit-<name>-<width>.png.
// Environment: ITA_BASE, ITA_SHOTS_DIR, ITA_SYS_EMAIL, ITA_SYS_PASSWORD, ITA_TKS_EMAIL,
// ITA_TKS_PASSWORD, ITA_ROWS (audit_log rows before the browser), ITA_TKS_ROWS (of them TKS's).
import { request } from 'playwright-core';
import { harness } from './harness.mjs';

const env = process.env;
const need = ['ITA_BASE', 'ITA_SHOTS_DIR', 'ITA_SYS_EMAIL', 'ITA_SYS_PASSWORD', 'ITA_TKS_EMAIL',
              'ITA_TKS_PASSWORD', 'ITA_ROWS', 'ITA_TKS_ROWS'];
if (need.some((k) => !env[k])) {
  console.error(`audit.mjs: set ${need.join(', ')}`);
  process.exit(2);
}
const base = env.ITA_BASE, shots = env.ITA_SHOTS_DIR;
const rows = Number(env.ITA_ROWS), tksRows = Number(env.ITA_TKS_ROWS);

const h = harness({ base, shots, prefix: 'audit' });
const { check, text, checkWatch, pageChecks, signIn, go } = h;
const newWatchedContext = h.context;

const cards = (page) => page.locator('#audit .vr');
async function filter(w, values, status = 200) {
  const page = w.page;
  if ('action' in values) await page.selectOption('#action', values.action);
  for (const k of ['agency', 'email', 'from', 'to'])
    if (k in values) await page.fill(`#${k}`, values[k]);
  w.allowed = status === 200 ? null : status;
  const [resp] = await Promise.all([page.waitForNavigation({ waitUntil: 'load' }),
                                    page.click('#audit-filter button[type=submit]')]);
  w.allowed = null;
  check(resp.status() === status, `filter ${JSON.stringify(values)} answers ${status} (${resp.status()})`);
}

const browser = await h.launch();
try {
  // ---- 1. real actions: the TKS administrator's own password (360 px) ----
  const tks = await newWatchedContext(browser, 360, 800);
  await signIn(tks, env.ITA_TKS_EMAIL, env.ITA_TKS_PASSWORD);
  await go(tks, '/admin/password');
  const fresh = 'a-new-password-of-tks-2569';
  await tks.page.fill('#pw-current', env.ITA_TKS_PASSWORD);
  await tks.page.fill('#pw-new', fresh);
  await tks.page.fill('#pw-again', fresh);
  await Promise.all([tks.page.waitForNavigation({ waitUntil: 'load' }), tks.page.press('#pw-again', 'Enter')]);

  // ---- 2. the system administrator at 1280 px: an account of OTH, then the log ----
  {
    const w = await newWatchedContext(browser, 1280, 900);
    const page = w.page;
    await signIn(w, env.ITA_SYS_EMAIL, env.ITA_SYS_PASSWORD);
    await go(w, '/admin/users');
    await page.fill('#user-email', 'newclerk@other.go.th');
    await page.check('#role-agency');
    await page.fill('#user-agency', 'OTH');
    await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.click('#user-form button[type=submit]')]);
    await go(w, '/admin/');
    await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.click('main a[href="/admin/audit"]')]);
    check(page.url() === `${base}/admin/audit`, 'the home page links to the audit log');
    await pageChecks(w, 'system');
    const total = rows + 2;
    check(await cards(page).count() === 50, `the first page shows 50 entries (${await cards(page).count()})`);
    const first = await text(cards(page).first());
    check(first.includes('เพิ่มบัญชีผู้ดูแลหน่วยงาน newclerk@other.go.th') && first.includes('(OTH)')
          && first.includes(env.ITA_SYS_EMAIL), `the newest entry is the account just made, in Thai (${first})`);
    check(/\d{1,2} (ม\.ค\.|ก\.พ\.|มี\.ค\.|เม\.ย\.|พ\.ค\.|มิ\.ย\.|ก\.ค\.|ส\.ค\.|ก\.ย\.|ต\.ค\.|พ\.ย\.|ธ\.ค\.) 25\d\d \d\d:\d\d น\./.test(first),
          `the time is Thai (${first})`);
    const second = await text(cards(page).nth(1));
    check(second.includes('เปลี่ยนรหัสผ่านของตนเอง') && second.includes(env.ITA_TKS_EMAIL) && second.includes('(TKS)'),
          `the TKS password change is there (${second})`);
    const body = await text(page.locator('main'));
    check(body.includes('(OTH)') && body.includes('(TKS)'), 'the system administrator sees both agencies');
    check(body.includes('นำเข้ารายชื่อบุคลากร (IIT) ปีงบประมาณ 2570: เพิ่ม 42 รายชื่อ'), 'a contact import reads as a Thai sentence');
    check(body.includes('ออกลิงก์ส่วนบุคคลใหม่แทนลิงก์เดิมให้ 1 รายชื่อ'), 'a reissued link is named without its contact');
    check(!body.includes('777777'), 'the contact id of a reissued link is nowhere on the page');
    check(body.includes('การดำเนินการอื่น (รหัส legacy_thing)'), 'an unknown action is named generically in Thai');
    // the older page
    await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.click('#audit-older')]);
    check(await cards(page).count() === total - 50, `the older page shows the other ${total - 50} entries (${await cards(page).count()})`);
    check(await page.locator('#audit-older').count() === 0, 'the last page has no older link');
    check(await page.locator('#audit-newest').count() === 1, 'the older page links back to the newest');
    await pageChecks(w, 'system-older');
    // by action
    await go(w, '/admin/audit');
    await filter(w, { action: 'links_issue' });
    check(await cards(page).count() === 1 && (await text(cards(page).first())).includes('(OTH)'),
          `filtered by action: the one issue of OTH (${await cards(page).count()})`);
    check(await page.inputValue('#action') === 'links_issue', 'the chosen action stays selected');
    await pageChecks(w, 'system-action');
    // by a Thai date range: October 2568 (BE) holds only the purge
    await filter(w, { action: '', from: '1/10/2568', to: '31/10/2568' });
    const only = await text(cards(page).first());
    check(await cards(page).count() === 1 && only.includes('ลบรายชื่อทั้งหมดหลังปิดรับ') && only.includes('ต.ค. 2568'),
          `filtered by dates: the purge of Oct 2568 alone (${await cards(page).count()}: ${only})`);
    await pageChecks(w, 'system-dates');
    // by agency
    await filter(w, { from: '', to: '', agency: 'OTH' });
    check(await cards(page).count() === 2, `filtered by agency OTH: its two entries (${await cards(page).count()})`);
    // a malformed date: refused on the same page, what was typed kept
    await filter(w, { agency: '', from: '31/2/2569' }, 400);
    check((await text(page.locator('#audit-error'))).includes('31/2/2569'), `a malformed date is refused in Thai (${await text(page.locator('#audit-error'))})`);
    check(await page.inputValue('#from') === '31/2/2569', 'the typed date is kept');
    check(await cards(page).count() === 0, 'no entries are shown under a refused filter');
    await pageChecks(w, 'system-error');
    checkWatch(w, 'system administrator @1280');
    await w.ctx.close();
  }
  // ---- 3. the system administrator at 360 px ----
  {
    const w = await newWatchedContext(browser, 360, 800);
    await signIn(w, env.ITA_SYS_EMAIL, env.ITA_SYS_PASSWORD);
    await go(w, '/admin/audit');
    check(await cards(w.page).count() === 50, 'at 360 px: 50 entries as cards');
    await pageChecks(w, 'system');
    await filter(w, { email: env.ITA_TKS_EMAIL.split('@')[0] });
    check(await cards(w.page).count() === 1, `filtered by e-mail: the TKS administrator's one real action (${await cards(w.page).count()})`);
    await pageChecks(w, 'system-email');
    checkWatch(w, 'system administrator @360');
    await w.ctx.close();
  }
  // ---- 4. the TKS administrator: her agency only ----
  for (const width of [360, 1280]) {
    const w = width === 360 ? tks : await newWatchedContext(browser, width, 900);
    if (width !== 360) await signIn(w, env.ITA_TKS_EMAIL, fresh);
    const page = w.page;
    await go(w, '/admin/audit');
    await pageChecks(w, 'agency');
    check(await page.locator('#agency').count() === 0, `@${width}: no agency filter for an agency administrator`);
    check(await cards(page).count() === 50, `@${width}: 50 entries of TKS (${await cards(page).count()})`);
    let body = await text(page.locator('main'));
    check(!body.includes('OTH') && !body.includes('newclerk@other.go.th'), `@${width}: nothing of OTH`);
    await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.click('#audit-older')]);
    check(await cards(page).count() === tksRows + 1 - 50, `@${width}: the older page holds the rest of TKS's ${tksRows + 1} (${await cards(page).count()})`);
    body = await text(page.locator('main'));
    check(!body.includes('OTH'), `@${width}: nothing of OTH on the older page`);
    await go(w, '/admin/audit?agency=OTH');
    body = await text(page.locator('main'));
    check(!body.includes('OTH') && await cards(page).count() === 50, `@${width}: ?agency=OTH is ignored`);
    await go(w, '/admin/audit?action=links_issue');
    check(await cards(page).count() === 0 && await page.locator('#audit-empty').count() === 1,
          `@${width}: OTH's link issue is not found by an agency administrator`);
    await pageChecks(w, 'agency-empty');
    if (width === 1280) {
      // the same through an API token (JSON, docs/api.md), made on the tokens page
      await go(w, '/admin/tokens');
      await page.fill('#token-name', 'audit');
      await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.press('#token-name', 'Enter')]);
      const token = await text(page.locator('#new-token'));
      const api = await request.newContext({ ignoreHTTPSErrors: true,
                                             extraHTTPHeaders: { Authorization: `Bearer ${token}` } });
      let r = await api.get(`${base}/admin/audit?agency=OTH`);
      let doc = await r.json();
      check(r.status() === 200 && doc.entries.length === 50 && doc.entries.every((e) => e.agency_code === 'TKS')
            && Number.isInteger(doc.next), `API: 50 entries of TKS only and a next (${r.status()}, ${doc.entries?.length})`);
      check(doc.entries[0].action === 'admin_password_change' && doc.entries[0].admin === env.ITA_TKS_EMAIL
            && doc.entries[0].detail === 'เปลี่ยนรหัสผ่านของตนเอง' && /^\d{4}-\d\d-\d\d \d\d:\d\d$/.test(doc.entries[0].at),
            `API: the newest entry in full (${JSON.stringify(doc.entries[0])})`);
      r = await api.get(`${base}/admin/audit?before=${doc.next}`);
      doc = await r.json();
      check(doc.entries.length === tksRows + 1 - 50 && doc.next === null, `API: the older page and no next (${doc.entries.length}, ${doc.next})`);
      check(!JSON.stringify(doc).includes('777777'), 'API: no contact id');
      r = await api.get(`${base}/admin/audit?action=links_issue`);
      doc = await r.json();
      check(doc.entries.length === 0, 'API: nothing of OTH');
      r = await api.get(`${base}/admin/audit?from=99/99/2569`);
      check(r.status() === 400 && typeof (await r.json()).error === 'string', `API: a malformed date answers 400 (${r.status()})`);
      await api.dispose();
    }
    checkWatch(w, `agency administrator @${width}`);
    await w.ctx.close();
  }
} catch (e) {
  console.error(e);
  check(false, 'the test ran to its end');
} finally {
  await browser.close();
}
console.log(h.failures() ? `${h.failures()} check(s) failed` : 'all checks passed');
process.exit(h.failures() ? 1 : 0);
