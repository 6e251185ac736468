// Browser test of past ITA results (issue #16, /admin/history) in Debian's Chromium: an agency
// administrator on a 360 px phone enters 2565 (first with a bad total and a 2567 tier for a
// graded year: refused on the same page, 422, typed values kept, each reason beside its field),
// then correctly; imports a CSV of 2561-2564 with one bad row (nothing stored, the bad row listed
// with its line), fixes it and imports again; deletes one year after a confirmation page. A
// system administrator at 1280 px imports one file for two agencies. Another agency's
// administrator can neither see nor write this agency's rows (404, like every scoped page).
// On every page: lang="th", no horizontal scrolling, axe-core clean; screenshots
// history-<name>-<width>.png. Environment: ITA_BASE, ITA_AGENCY, ITA_EMAIL, ITA_PASSWORD,
// ITA_SYS_EMAIL, ITA_SYS_PASSWORD, ITA_OTHER_EMAIL, ITA_OTHER_PASSWORD, ITA_WORK, ITA_SHOTS_DIR.
import { harness } from './harness.mjs';
import { writeFileSync } from 'node:fs';

const env = process.env;
const need = ['ITA_BASE', 'ITA_AGENCY', 'ITA_EMAIL', 'ITA_PASSWORD', 'ITA_SYS_EMAIL', 'ITA_SYS_PASSWORD',
              'ITA_OTHER_EMAIL', 'ITA_OTHER_PASSWORD', 'ITA_WORK', 'ITA_SHOTS_DIR'];
if (need.some((k) => !env[k])) {
  console.error(`history.mjs: set ${need.join(', ')}`);
  process.exit(2);
}
const base = env.ITA_BASE, agency = env.ITA_AGENCY, work = env.ITA_WORK;
const h = harness({ base, shots: env.ITA_SHOTS_DIR, prefix: 'history' });
const page = `/admin/history?agency=${agency}`;
const HEAD = 'ปีงบประมาณ,คะแนนรวม,IIT,EIT,OIT,ตัวชี้วัด 1,ตัวชี้วัด 2,ตัวชี้วัด 3,ตัวชี้วัด 4,ตัวชี้วัด 5,'
  + 'ตัวชี้วัด 6,ตัวชี้วัด 7,ตัวชี้วัด 8,ตัวชี้วัด 9,ตัวชี้วัด 10,ผลการประเมิน\r\n';

const browser = await h.launch();
try {
  // ---- the agency administrator on a phone ----
  const w = await h.context(browser, 360, 800);
  await h.signIn(w, env.ITA_EMAIL, env.ITA_PASSWORD);
  await h.go(w, page);
  h.check((await h.text(w.page.locator('h1'))).includes('ผลการประเมิน ITA ย้อนหลัง'), 'the page is titled in Thai');
  h.check(await w.page.locator('#no-years').count() === 1, 'no years on record yet');
  await h.pageChecks(w, 'empty');

  // 2565 with a malformed total and a tier a graded year cannot have: refused, values kept
  await w.page.fill('#year', '2565');
  await w.page.fill('#total', '92,5x');
  await w.page.fill('#iit', '90.12');
  await w.page.selectOption('#rating', 'ผ่านดี');
  await h.submit(w, '#history-form button[type=submit]', 422);
  h.check(await w.page.inputValue('#year') === '2565' && await w.page.inputValue('#total') === '92,5x'
          && await w.page.inputValue('#iit') === '90.12', 'typed values are kept');
  h.check((await h.text(w.page.locator('#total-error'))).includes('ไม่ใช่ตัวเลขที่ถูกต้อง'), 'the total\'s reason is beside it');
  h.check((await h.text(w.page.locator('#rating-error'))).includes('AA, A, B, C, D, E, F'), 'the rating\'s reason names the grades of 2565');
  h.check(await w.page.getAttribute('#total', 'aria-invalid') === 'true', 'the bad field is marked aria-invalid');
  await h.pageChecks(w, 'refused');
  await w.page.fill('#total', '92.5');
  await w.page.selectOption('#rating', 'A');
  await h.submit(w, '#history-form button[type=submit]');
  h.check((await h.text(w.page.locator('#notice'))).includes('บันทึกผลปีงบประมาณ 2565 แล้ว'), 'saved 2565');
  h.check((await h.text(w.page.locator('#y2565'))).includes('92.50'), '2565 is listed with two decimals');
  h.check((await h.text(w.page.locator('#y2565'))).includes('กรอกเอง'), 'its source is กรอกเอง');

  // the template downloads with Thai headers
  const [dl] = await Promise.all([w.page.waitForEvent('download'), w.page.click('#template')]);
  const tpl = await dl.path().then((p) => import('node:fs').then((fs) => fs.readFileSync(p, 'utf8')));
  h.check(tpl.startsWith('\ufeffปีงบประมาณ,คะแนนรวม,IIT'), 'the template has Thai headers and a BOM');

  // 2561-2564 with one bad row (2563: indicators partly filled): nothing stored, the row listed
  const ind = '90.10,91.20,92.30,93.40,94.50,95.60,96.70,97.80,98.90,99.00';
  const good = ['2561,87.56,88.10,86.20,88.00,' + ind + ',A', '2562,90.01,,,,,,,,,,,,,,A',
                '2564,93.44,,,,,,,,,,,,,,AA'];
  const bad = HEAD + good[0] + '\r\n' + good[1] + '\r\n2563,91.00,,,,80,81,,,,,,,,,A\r\n' + good[2] + '\r\n';
  writeFileSync(`${work}/bad.csv`, bad);
  await w.page.setInputFiles('#file', `${work}/bad.csv`);
  await h.submit(w, '#import-form button[type=submit]', 422);
  const errs = await h.text(w.page.locator('#import-errors'));
  h.check(errs.includes('4') && errs.includes('ตัวชี้วัดต้องกรอกครบทั้ง 10 ตัว'), `the bad row is listed with its line (${errs})`);
  await h.pageChecks(w, 'import-errors');
  await h.go(w, page);
  h.check(await w.page.locator('#years tbody tr').count() === 1, 'nothing of the bad file was stored');
  writeFileSync(`${work}/good.csv`, HEAD + good.join('\r\n') + '\r\n2563,91.00,,,,,,,,,,,,,,A\r\n');
  await w.page.setInputFiles('#file', `${work}/good.csv`);
  await h.submit(w, '#import-form button[type=submit]');
  h.check((await h.text(w.page.locator('#notice'))).includes('นำเข้าแล้ว 4 ปี'), 'the fixed file imports 4 years');
  h.check(await w.page.locator('#years tbody tr').count() === 5, 'five years on record');
  h.check((await h.text(w.page.locator('#y2561'))).includes('นำเข้า'), 'imported rows say นำเข้า');
  await w.page.click('#y2561 summary');
  h.check((await h.text(w.page.locator('#y2561 details'))).includes('99.00'), 'the ten indicators open');
  await h.pageChecks(w, 'years');

  // delete 2562 after a confirmation page
  await Promise.all([w.page.waitForNavigation({ waitUntil: 'load' }),
                     w.page.click('#y2562 a[href*="/admin/history/delete"]')]);
  h.check((await h.text(w.page.locator('main'))).includes('2562'), 'the confirmation names the year');
  await h.pageChecks(w, 'delete');
  await h.submit(w, '#delete-form button[type=submit]');
  h.check((await h.text(w.page.locator('#notice'))).includes('ลบผลปีงบประมาณ 2562 แล้ว'), '2562 deleted');
  h.check(await w.page.locator('#y2562').count() === 0, '2562 is gone');
  h.checkWatch(w, 'agency administrator');
  await w.ctx.close();

  // ---- another agency's administrator: neither sees nor writes them ----
  const o = await h.context(browser, 360, 800);
  await h.signIn(o, env.ITA_OTHER_EMAIL, env.ITA_OTHER_PASSWORD);
  await h.go(o, page, 404);
  h.check(!(await h.text(o.page.locator('main'))).includes('92.50'), 'no figure of the other agency is shown');
  await h.go(o, `/admin/history/delete?agency=${agency}&year=2565`, 404);
  // a forged post with the other administrator's own session and CSRF token (the pages' CSP
  // allows no fetch, so it goes through the context's request API with the same cookies)
  const home = await (await o.ctx.request.get(`${base}/admin/`)).text();
  const csrf = (home.match(/name="csrf" value="([^"]+)"/) || [])[1];
  const status = (await o.ctx.request.post(`${base}/admin/history`, {
    headers: { Origin: base },
    form: { csrf, agency, fy: '2570', year: '2560', total: '10', rating: 'F' } })).status();
  h.check(status === 404, `a post about another agency answers 404 (${status})`);
  await o.ctx.close();

  // ---- the system administrator on a desktop: one file for two agencies ----
  const s = await h.context(browser, 1280, 900);
  await h.signIn(s, env.ITA_SYS_EMAIL, env.ITA_SYS_PASSWORD);
  await h.go(s, '/admin/history/import');
  await h.pageChecks(s, 'import');
  writeFileSync(`${work}/many-bad.csv`, 'รหัสหน่วยงาน,' + HEAD + 'TKS,2560,80,,,,,,,,,,,,,,B\r\nNOPE,2560,80,,,,,,,,,,,,,,B\r\n');
  await s.page.setInputFiles('#file', `${work}/many-bad.csv`);
  await h.submit(s, '#import-form button[type=submit]', 422);
  h.check((await h.text(s.page.locator('#import-errors'))).includes('ไม่พบหน่วยงานรหัส "NOPE"'), 'an unknown agency code is refused');
  await h.pageChecks(s, 'many-errors');
  await h.go(s, '/admin/history/import');
  writeFileSync(`${work}/many.csv`, 'agency code,year,total,rating\r\nTKS,2560,80.25,B\r\nOTH,2560,70,C\r\nOTH,2567,88.5,ผ่าน\r\n');
  await s.page.setInputFiles('#file', `${work}/many.csv`);
  await h.submit(s, '#import-form button[type=submit]');
  h.check((await h.text(s.page.locator('#notice'))).includes('3 แถว ของ 2 หน่วยงาน'), 'three rows of two agencies imported');
  await h.go(s, page);
  h.check((await h.text(s.page.locator('#y2560'))).includes('80.25'), 'the agency page shows the imported 2560');
  await h.pageChecks(s, 'years');
  h.checkWatch(s, 'system administrator');
  await s.ctx.close();
} finally {
  await browser.close();
}
console.log(h.failures() ? `${h.failures()} check(s) failed` : 'all checks passed');
process.exit(h.failures() ? 1 : 0);
