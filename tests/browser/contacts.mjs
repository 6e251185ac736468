// Browser test of editing one contact list (issue #15) in Debian's Chromium, driven by
// playwright-core: an agency administrator on a desktop screen downloads the IIT template, replaces
// its example row with four staff (one who joined two months ago) and imports it: the summary
// names the one left out with a Thai start date. Links are issued; one contact is edited by
// keyboard (the new value shown back), an invalid e-mail, a duplicate e-mail and a start date
// under one year are refused on the same page with the typed values kept; another contact is
// deleted after a confirmation (cancelled first), and its personal link, opened in a second
// browser, answers "link withdrawn" while a kept contact's link still opens. The EIT template is
// imported as well. Then on a 360 px phone: the list (names not broken inside a word), the edit
// and delete pages and an import summary again. On every page: lang="th", no horizontal
// scrolling, axe-core finds nothing; screenshots contacts-<name>-<width>.png.
// Environment: ITA_BASE, ITA_AGENCY, ITA_EMAIL, ITA_PASSWORD, ITA_OPENS (YYYY-MM-DD), ITA_WORK,
// ITA_SHOTS_DIR.
import { harness } from './harness.mjs';
import { readFileSync, writeFileSync } from 'node:fs';

const env = process.env;
const need = ['ITA_BASE', 'ITA_AGENCY', 'ITA_EMAIL', 'ITA_PASSWORD', 'ITA_OPENS', 'ITA_WORK', 'ITA_SHOTS_DIR'];
if (need.some((k) => !env[k])) {
  console.error(`contacts.mjs: set ${need.join(', ')}`);
  process.exit(2);
}
const base = env.ITA_BASE, agency = env.ITA_AGENCY, shots = env.ITA_SHOTS_DIR, work = env.ITA_WORK;
const h = harness({ base, shots, prefix: 'contacts' });
const { check, text, pageChecks } = h;
const listUrl = (inst) => `${base}/admin/contacts?agency=${agency}&fy=2566&instrument=${inst}`;


// Dates: the opening day is ITA_OPENS; d/m/BE as clerks type them; Thai short dates as pages show.
const opens = new Date(`${env.ITA_OPENS}T00:00:00Z`);
const monthsAgo = (n) => { const d = new Date(opens); d.setUTCMonth(d.getUTCMonth() - n); return d; };
const be = (d) => `${d.getUTCDate()}/${d.getUTCMonth() + 1}/${d.getUTCFullYear() + 543}`;
const TH_MONTHS = ['ม.ค.', 'ก.พ.', 'มี.ค.', 'เม.ย.', 'พ.ค.', 'มิ.ย.', 'ก.ค.', 'ส.ค.', 'ก.ย.', 'ต.ค.', 'พ.ย.', 'ธ.ค.'];
const thai = (d) => `${d.getUTCDate()} ${TH_MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear() + 543}`;
const longAgo = monthsAgo(36), recent = monthsAgo(2);

// A small RFC 4180 reader (quoted fields, doubled quotes, CRLF).
function parseCsv(s) {
  const rows = [];
  let row = [], field = '', quoted = false;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (quoted) {
      if (c === '"' && s[i + 1] === '"') { field += '"'; i++; }
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { row.push(field); field = ''; }
    else if (c === '\n' || c === '\r') {
      if (c === '\r' && s[i + 1] === '\n') i++;
      row.push(field); rows.push(row); row = []; field = '';
    } else field += c;
  }
  if (field || row.length) { row.push(field); rows.push(row); }
  return rows;
}

// A watched context (harness.mjs); refused edits and deletions answer 409 or 422.
const newContext = (browser, width) => h.context(browser, width, width < 640 ? 780 : 900, { allow: [409, 422] });


async function signIn(w) {
  const page = w.page;
  await page.goto(`${base}/admin/login`);
  await page.locator('#email').focus();
  await page.keyboard.type(env.ITA_EMAIL);
  await page.keyboard.press('Tab');
  await page.keyboard.type(env.ITA_PASSWORD);
  await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.keyboard.press('Enter')]);
  if (!check(page.url() === `${base}/admin/`, `signed in (${page.url()})`)) throw new Error('sign-in refused');
}

async function download(page, click) {
  const [dl] = await Promise.all([page.waitForEvent('download'), click()]);
  const path = `${work}/${dl.suggestedFilename()}`;
  await dl.saveAs(path);
  return { name: dl.suggestedFilename(), bytes: readFileSync(path), path };
}

// The template from the list page: BOM, CRLF, the headers, one example row; returned parsed.
async function template(w, inst, headers) {
  const page = w.page;
  const link = page.locator('#template');
  check((await text(link)) === 'ดาวน์โหลดแบบฟอร์มรายชื่อ (CSV)', `${inst}: the list page links to the template`);
  const t = await download(page, () => link.click());
  check(t.bytes.subarray(0, 3).equals(Buffer.from([0xef, 0xbb, 0xbf])), `${inst} template starts with a UTF-8 BOM (${t.name})`);
  const body = t.bytes.subarray(3).toString('utf8');
  check(body.endsWith('\r\n') && !/[^\r]\n/.test(body), `${inst} template lines end in CRLF`);
  const rows = parseCsv(body).filter((r) => r.length > 1);
  check(rows.length === 2 && rows[0].join(',') === headers.join(','), `${inst} template headers: ${rows[0] && rows[0].join(',')}`);
  check(rows.length === 2 && rows[1][0].startsWith('(ตัวอย่าง'), `${inst} template has one row marked as an example (${rows[1] && rows[1][0]})`);
  return rows;
}

// The template with its example row replaced by `people`, written and uploaded; the summary page.
async function importFilled(w, header, people, file) {
  const page = w.page;
  const csv = '\ufeff' + [header, ...people].map((r) => r.map((v) => `"${v.replace(/"/g, '""')}"`).join(',')).join('\r\n') + '\r\n';
  writeFileSync(`${work}/${file}`, csv);
  await page.setInputFiles('#file', `${work}/${file}`);
  await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.locator('#import-form button[type=submit]').click()]);
}

// The edit form's values.
const formValues = (page) => page.$$eval('#edit-form input:not([type=hidden])', (els) => Object.fromEntries(els.map((e) => [e.name, e.value])));

// Replaces a field's value with the keyboard.
async function retype(page, id, value) {
  await page.locator(`label[for="${id}"]`).click();
  await page.keyboard.press('Control+A');
  await page.keyboard.type(value);
}

const browser = await h.launch();
const IIT_HEADERS = ['ชื่อ-นามสกุล', 'หน่วยงานย่อย', 'อีเมล', 'โทรศัพท์', 'วันที่เริ่มปฏิบัติงาน'];
const staff = [
  ['นายสมชาย ใจดี', 'กองคลัง', 'somchai@thakhaopluak.go.th', '081-234-5678', be(longAgo)],
  ['นางสาวประภาพรรณ ศรีสวัสดิ์วงศ์ไพบูลย์', 'กองวิชาการและแผนงาน', 'prapapan@thakhaopluak.go.th', '', be(longAgo)],
  ['นายประเสริฐ มั่นคง', 'กองช่าง', 'prasert@thakhaopluak.go.th', '089-876-5432', be(longAgo)],
  ['นายวีระ มาใหม่', 'สำนักปลัด', 'weera@thakhaopluak.go.th', '', be(recent)],
];
try {
  // ---- on a desktop screen ----
  {
    const w = await newContext(browser, 1280);
    const page = w.page;
    await signIn(w);
    await page.goto(listUrl('IIT'));
    await pageChecks(w, 'empty');
    const tpl = await template(w, 'IIT', IIT_HEADERS);
    await importFilled(w, tpl[0], staff, 'staff-from-template.csv');
    check((await text(page.locator('#import-summary'))).includes('นำเข้าใหม่ 3 รายชื่อ'), `the filled template imports 3 staff (${await text(page.locator('#import-summary'))})`);
    const left = await page.$$eval('#left-out tbody tr', (trs) => trs.map((tr) => [...tr.cells].map((c) => c.textContent.trim())));
    check(left.length === 1 && left[0][0] === 'นายวีระ มาใหม่' && left[0][2] === thai(recent),
          `the summary names the one left out with a Thai start date (${JSON.stringify(left)}; expected ${thai(recent)})`);
    await pageChecks(w, 'imported');

    // links for everyone, and who holds which (the mail merge)
    await page.goto(listUrl('IIT'));
    await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.locator('#issue-form button[type=submit]').click()]);
    const mm = await download(page, () => page.locator('#mailmerge').click());
    const mmRows = parseCsv(mm.bytes.subarray(3).toString('utf8')).filter((r) => r.length > 1);
    const linkCol = mmRows[0].indexOf('ลิงก์');
    const links = Object.fromEntries(mmRows.slice(1).map((r) => [r[0], r[linkCol]]));
    check(Object.keys(links).length === 3, `three personal links issued (${Object.keys(links).length})`);
    // the printed slips: the section warns that whoever prints them holds the links (slips_view.c)
    check((await text(page.locator('#slips-title'))) === 'ใบแจ้งลิงก์สำหรับผู้ไม่มีอีเมล' &&
          (await text(page.locator('#slips-warning'))).includes('จะถือลิงก์ส่วนบุคคลของทุกคนในใบนั้น'), 'the slips section and its warning');
    const slipsPdf = await download(page, () => page.locator('#slips-all').click());
    check(/-IIT-slips\.pdf$/.test(slipsPdf.name) && slipsPdf.bytes.subarray(0, 5).toString() === '%PDF-', `the slips of everyone download as a PDF (${slipsPdf.name})`);
    await pageChecks(w, 'list');

    // edit one contact by keyboard; the new values shown back
    await Promise.all([page.waitForURL(/\/admin\/contacts\/edit\?contact=/), page.locator('#contacts a[aria-label="แก้ไข นายสมชาย ใจดี"]').click()]);
    let v = await formValues(page);
    check(v.name === 'นายสมชาย ใจดี' && v.email === 'somchai@thakhaopluak.go.th' && v.phone === '0812345678' && v.started_on === be(longAgo),
          `the edit form shows the stored values (${JSON.stringify(v)})`);
    await pageChecks(w, 'edit');
    await retype(page, 'unit', 'กองคลัง (งานพัสดุ)');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Control+A');
    await page.keyboard.type('Somchai.J@ThaKhaoPluak.go.th');
    await Promise.all([page.waitForURL(/edited=/), page.keyboard.press('Enter')]);
    check((await text(page.locator('#notice'))) === 'บันทึกการแก้ไขรายชื่อแล้ว', 'saved: the list says so');
    const row = page.locator('#contacts tbody tr', { hasText: 'นายสมชาย ใจดี' });
    check((await text(row)).includes('กองคลัง (งานพัสดุ)') && (await text(row)).includes('somchai.j@thakhaopluak.go.th'),
          `the list shows the new unit and the e-mail as the import cleans it (${await text(row)})`);
    await pageChecks(w, 'edited');

    // refusals on the same page, the typed values kept
    await Promise.all([page.waitForURL(/\/admin\/contacts\/edit\?contact=/), page.locator('#contacts a[aria-label="แก้ไข นายสมชาย ใจดี"]').click()]);
    await retype(page, 'name', 'นายสมชาย ใจดีมาก');
    await retype(page, 'email', 'somchai@');
    let resp;
    [resp] = await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.keyboard.press('Enter')]);
    check(resp.status() === 422, `an invalid e-mail is refused (${resp.status()})`);
    check((await text(page.locator('#edit-errors'))).includes('อีเมล "somchai@" ไม่ถูกต้อง'), `the Thai reason (${await text(page.locator('#edit-errors'))})`);
    v = await formValues(page);
    check(v.name === 'นายสมชาย ใจดีมาก' && v.email === 'somchai@', `the typed values are kept (${JSON.stringify(v)})`);
    await pageChecks(w, 'edit-refused');
    await retype(page, 'email', 'prasert@thakhaopluak.go.th');
    [resp] = await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.keyboard.press('Enter')]);
    check(resp.status() === 422 && (await text(page.locator('#edit-errors'))).includes('มีรายชื่ออื่นในรายการนี้ที่มีอีเมลเดียวกัน'),
          `another contact's e-mail is refused as a duplicate (${resp.status()} ${await text(page.locator('#edit-errors'))})`);
    await retype(page, 'email', 'somchai@thakhaopluak.go.th');
    await retype(page, 'started_on', be(recent));
    [resp] = await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.keyboard.press('Enter')]);
    check(resp.status() === 422 && (await text(page.locator('#edit-errors'))).includes('ปฏิบัติงานยังไม่ครบ 1 ปี'),
          `a start date under one year of service is refused (${resp.status()} ${await text(page.locator('#edit-errors'))})`);
    check((await formValues(page)).started_on === be(recent), 'the typed start date is kept');

    // delete: cancelled first, then confirmed
    await page.goto(listUrl('IIT'));
    const del = page.locator('#contacts a[aria-label="ลบ นายประเสริฐ มั่นคง"]');
    await Promise.all([page.waitForURL(/\/admin\/contacts\/delete\?contact=/), del.click()]);
    check((await text(page.locator('#delete-whose'))).includes('นายประเสริฐ มั่นคง'), `the confirmation names the person (${await text(page.locator('#delete-whose'))})`);
    const effects = await text(page.locator('#delete-effects'));
    check(effects.includes('ลิงก์ส่วนบุคคลที่ส่งให้ผู้นี้แล้วจะใช้ไม่ได้ทันที') && effects.includes('ระบบไม่แสดงว่าผู้ใดตอบแล้ว'), `it says what deleting does (${effects})`);
    await pageChecks(w, 'delete-confirm');
    await Promise.all([page.waitForURL(/\/admin\/contacts\?/), page.locator('#delete-cancel').click()]);
    check(await page.locator('#contacts tbody tr', { hasText: 'นายประเสริฐ มั่นคง' }).count() === 1, 'cancelled: the contact is still listed');
    await Promise.all([page.waitForURL(/\/admin\/contacts\/delete\?contact=/), del.click()]);
    await page.locator('#delete-form button[type=submit]').focus();
    await Promise.all([page.waitForURL(/deleted=1/), page.keyboard.press('Enter')]);
    check((await text(page.locator('#notice'))) === 'ลบรายชื่อแล้ว', 'deleted: the list says so');
    check(await page.locator('#contacts tbody tr', { hasText: 'นายประเสริฐ มั่นคง' }).count() === 0, 'the contact is gone from the list');
    check((await text(page.locator('#contact-counts'))).includes('มีรายชื่อ 2 รายชื่อ'), `two contacts left (${await text(page.locator('#contact-counts'))})`);
    await pageChecks(w, 'deleted');

    // the deleted person's link, in a browser of its own: withdrawn; a kept contact's still opens
    {
      const r = await h.context(browser, 360, 780, { allow: [410] });
      let res = await r.page.goto(links['นายประเสริฐ มั่นคง']);
      const h1 = await text(r.page.locator('h1'));
      check(h1.includes('ลิงก์นี้ถูกยกเลิกแล้ว'), `the deleted contact's link answers "link withdrawn" (${res.status()} ${h1})`);
      await pageChecks(r, 'withdrawn-link');
      res = await r.page.goto(links['นายสมชาย ใจดี']);
      check(res.status() === 200 && await r.page.locator('input[type=radio]').count() > 0, `an edited contact's link still opens the form (${res.status()})`);
      h.checkWatch(r, 'phone, second list');
      await r.ctx.close();
    }

    // the EIT template, filled in and imported
    await page.goto(listUrl('EIT'));
    const etpl = await template(w, 'EIT', ['ชื่อ-นามสกุล', 'หน่วยงานย่อย', 'อีเมล', 'โทรศัพท์']);
    await importFilled(w, etpl[0], [['นายผู้รับบริการ หนึ่ง', 'ร้านค้าในตำบล', 'one@example.com', ''],
                                    ['นางผู้รับบริการ สอง', '', '', '02-123-4567']], 'eit-from-template.csv');
    check((await text(page.locator('#import-summary'))).includes('นำเข้าใหม่ 2 รายชื่อ'), `the filled EIT template imports 2 (${await text(page.locator('#import-summary'))})`);
    await pageChecks(w, 'eit-imported');
    h.checkWatch(w, `@${w.width}`);
    await w.ctx.close();
  }

  // ---- on a 360 px phone ----
  {
    const w = await newContext(browser, 360);
    const page = w.page;
    await signIn(w);
    await page.goto(listUrl('IIT'));
    // a name breaks only between its words, never inside one: every word of every name cell (as
    // Thai word segmentation finds them, which is where Thai text may break) sits on one line
    const split = await page.$$eval('#contacts tbody td:first-child', (tds) => tds.flatMap((td) => {
      const node = td.firstChild, out = [];
      const seg = new Intl.Segmenter('th', { granularity: 'word' });
      for (const { segment, index, isWordLike } of seg.segment(node ? node.textContent : '')) {
        if (!isWordLike) continue;
        const r = document.createRange();
        r.setStart(node, index);
        r.setEnd(node, index + segment.length);
        const tops = new Set([...r.getClientRects()].map((q) => Math.round(q.top)));
        if (tops.size > 1) out.push(segment);
      }
      return out;
    }));
    check(split.length === 0, `no name is broken inside a word at 360 px (${split.join(', ') || 'none'})`);
    await pageChecks(w, 'list');
    await Promise.all([page.waitForURL(/\/admin\/contacts\/edit\?contact=/), page.locator('#contacts a[aria-label^="แก้ไข นางสาวประภาพรรณ"]').click()]);
    await pageChecks(w, 'edit');
    await retype(page, 'phone', '08x');
    const [resp] = await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.keyboard.press('Enter')]);
    check(resp.status() === 422 && (await formValues(page)).phone === '08x', `a bad phone refused, kept (${resp.status()})`);
    await pageChecks(w, 'edit-refused');
    await page.goto(listUrl('IIT'));
    await Promise.all([page.waitForURL(/\/admin\/contacts\/delete\?contact=/), page.locator('#contacts a[aria-label^="ลบ นางสาวประภาพรรณ"]').click()]);
    await pageChecks(w, 'delete-confirm');
    await page.goto(listUrl('IIT'));
    await importFilled(w, IIT_HEADERS, [['นางสาวมาลี ศรีสุข', 'สำนักปลัด', 'malee@thakhaopluak.go.th', '', be(longAgo)],
                                        ['นายเพิ่ง เข้างาน', 'กองช่าง', 'pheung@thakhaopluak.go.th', '', be(recent)]], 'staff-more.csv');
    check((await text(page.locator('#import-summary'))).includes('นำเข้าใหม่ 1 รายชื่อ'), `a second list adds one (${await text(page.locator('#import-summary'))})`);
    const left = await page.$$eval('#left-out tbody td:first-child', (tds) => tds.map((t) => t.textContent));
    check(left.length === 1 && left[0] === 'นายเพิ่ง เข้างาน', `the left-out list names the recent starter (${left.join(', ')})`);
    await pageChecks(w, 'imported');
    h.checkWatch(w, `@${w.width}`);
    await w.ctx.close();
  }
} finally {
  await browser.close();
}
console.log(h.failures() === 0 ? 'contacts browser test: all checks passed' : `contacts browser test: ${h.failures()} check(s) failed`);
process.exit(h.failures() === 0 ? 0 : 1);
