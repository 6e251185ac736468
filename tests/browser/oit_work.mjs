// Browser test of the OIT work pages (issue #17) in Debian's Chromium: an agency administrator on a
// 360 px phone makes the agency's internal units (an empty and a duplicate name refused on the
// same page, 422, the typed name kept), reorders, renames and retires one; assigns O1-O3 of 2566
// with states and due dates (O1 late), adds evidence URLs (an ftp:// one refused), asks for a
// check now; a "broken" verdict is written with psql (the link checker is another part); the
// overview shows the counts, the flags and the filters; the item page shows the verdict with its
// reason and the item's history; 2566 is copied into 2567; the CSV has its BOM and Thai headers;
// the audit page names the actions in Thai. The same pages at 1280 px. Another agency's
// administrator gets 404 for this agency's pages. On every page: lang="th", no horizontal
// scrolling, axe-core clean; screenshots oit-work-<name>-<width>.png.
// Environment: ITA_BASE, ITA_AGENCY, ITA_OTHER_AGENCY, ITA_EMAIL, ITA_PASSWORD, ITA_OTHER_EMAIL,
// ITA_OTHER_PASSWORD, ITA_DB, ITA_SHOTS_DIR.
import { harness } from './harness.mjs';
import { execFileSync } from 'node:child_process';

const env = process.env;
const need = ['ITA_BASE', 'ITA_AGENCY', 'ITA_OTHER_AGENCY', 'ITA_EMAIL', 'ITA_PASSWORD', 'ITA_OTHER_EMAIL',
              'ITA_OTHER_PASSWORD', 'ITA_DB', 'ITA_SHOTS_DIR'];
if (need.some((k) => !env[k])) {
  console.error(`oit_work.mjs: set ${need.join(', ')}`);
  process.exit(2);
}
const base = env.ITA_BASE, agency = env.ITA_AGENCY;
const h = harness({ base, shots: env.ITA_SHOTS_DIR, prefix: 'oit-work' });
const psql = (sql) => execFileSync('psql', [env.ITA_DB, '-AtqX', '-v', 'ON_ERROR_STOP=1', '-c', sql]).toString().trim();
// dates in Thailand's calendar (UTC+7), ISO
const isoDay = (days) => new Date(Date.now() + 7 * 3600e3 + days * 86400e3).toISOString().slice(0, 10);
const past = isoDay(-10), future = isoDay(30);
const item = (year, code) => `/admin/oit-work/item?agency=${agency}&year=${year}&code=${code}`;
const overview = (year, extra = '') => `/admin/oit-work?agency=${agency}&year=${year}${extra}`;

// Ticks the unit checkbox labelled name on the item form.
async function tickUnit(w, name) {
  await w.page.locator('#i-units label', { hasText: name }).locator('input').check();
}

async function saveItem(w, code, state, due, unit) {
  await h.go(w, item(2566, code));
  await w.page.selectOption('#i-state', state);
  await w.page.fill('#i-due', due);
  await tickUnit(w, unit);
  await h.submit(w, '#item-form button[type=submit]');
  h.check((await h.text(w.page.locator('#done'))).includes('บันทึกแล้ว'), `${code} saved`);
}

async function addUrl(w, url, status = 200) {
  await w.page.fill('#i-url', url);
  await h.submit(w, '#url-add button[type=submit]', status);
}

const browser = await h.launch();
try {
  // ---- the agency administrator on a phone ----
  const w = await h.context(browser, 360, 800);
  await h.signIn(w, env.ITA_EMAIL, env.ITA_PASSWORD);
  await h.go(w, '/admin/units?year=2566');
  h.check((await h.text(w.page.locator('h1'))).includes('หน่วยงานภายใน'), 'the units page is titled in Thai');
  h.check(await w.page.locator('#no-units').count() === 1, 'no units yet');
  await h.pageChecks(w, 'units-empty');
  await w.page.fill('#unit-name', '   ');
  await h.submit(w, '#unit-add button[type=submit]', 422);
  h.check((await h.text(w.page.locator('#units-error'))).includes('กรุณากรอกชื่อหน่วยงาน'), 'an empty name is refused in Thai');
  for (const name of ['สำนักปลัดเทศบาล', 'กองคลัง', 'กองวิชาการและแผนงาน', 'กองช่าง']) {
    await w.page.fill('#unit-name', name);
    await h.submit(w, '#unit-add button[type=submit]');
    h.check((await h.text(w.page.locator('#done'))).includes('เพิ่มหน่วยงานแล้ว'), `${name} added`);
  }
  await w.page.fill('#unit-name', ' กองคลัง ');
  await h.submit(w, '#unit-add button[type=submit]', 422);
  h.check((await h.text(w.page.locator('#units-error'))).includes('มีหน่วยงานชื่อนี้อยู่แล้ว'), 'a duplicate name is refused');
  h.check(await w.page.inputValue('#unit-name') === ' กองคลัง ', 'the typed name is kept');
  h.check(await w.page.getAttribute('#unit-name', 'aria-invalid') === 'true', 'the field is marked invalid');
  await h.pageChecks(w, 'units-error');
  // กองวิชาการและแผนงาน one place up: before กองคลัง
  await h.submit(w, 'button[aria-label="เลื่อน กองวิชาการและแผนงาน ขึ้น"]');
  const order = await w.page.locator('#units > li strong').allInnerTexts();
  h.check(order.join(',') === 'สำนักปลัดเทศบาล,กองวิชาการและแผนงาน,กองคลัง,กองช่าง', `moved up (${order.join(',')})`);
  // rename กองช่าง, then retire it
  const last = w.page.locator('#units > li').nth(3);
  await last.locator('input[name=name]').fill('กองช่างสุขาภิบาล');
  await Promise.all([w.page.waitForNavigation(), last.locator('form.rn button').click()]);
  h.check((await h.text(w.page.locator('#units > li').nth(3))).includes('กองช่างสุขาภิบาล'), 'renamed');
  await h.submit(w, 'button[aria-label="เลิกใช้ กองช่างสุขาภิบาล"]');
  h.check((await h.text(w.page.locator('#units > li').nth(3))).includes('เลิกใช้แล้ว'), 'retired');
  await h.pageChecks(w, 'units');

  // ---- assigning items of 2566 ----
  await h.go(w, item(2566, 'O1'));
  h.check(await w.page.locator('#i-units label', { hasText: 'กองช่างสุขาภิบาล' }).count() === 0,
          'a retired unit is not offered');
  await saveItem(w, 'O1', 'in_progress', past, 'สำนักปลัดเทศบาล');
  h.check((await h.text(w.page.locator('#item-flags'))).includes('เลยกำหนด'), 'O1 is late');
  await addUrl(w, 'ftp://www.example.go.th/ita/o1.pdf', 422);
  h.check((await h.text(w.page.locator('#item-error'))).length > 0, 'an ftp:// address is refused in Thai');
  h.check(await w.page.inputValue('#i-url') === 'ftp://www.example.go.th/ita/o1.pdf', 'the typed address is kept');
  await h.pageChecks(w, 'item-error');
  await addUrl(w, 'https://www.example.go.th/ita/โครงสร้าง องค์กร.pdf');
  await addUrl(w, 'https://www.example.go.th/ita/o1-2.pdf');
  const urls = await w.page.locator('#evidence .eu a').allInnerTexts();
  const href = await w.page.locator('#evidence .eu a').first().getAttribute('href');
  h.check(urls.length === 2 && href.includes('%E0%B9%82') && href.includes('%20'),
          `the Thai file name is stored encoded (${href})`);
  h.check(urls[0] === 'https://www.example.go.th/ita/โครงสร้าง องค์กร.pdf', `and shown readable (${urls[0]})`);
  await h.submit(w, 'button[aria-label="เลื่อนลิงก์ที่ 2 ขึ้น"]');
  h.check((await h.text(w.page.locator('#evidence > li').first())).includes('o1-2.pdf'), 'the second URL moved up');
  await h.submit(w, '#check-now button');
  h.check((await h.text(w.page.locator('#done'))).includes('ขอให้ตรวจลิงก์แล้ว'), 'a check is asked for');
  h.check(psql(`SELECT count(*) FROM oit_evidence WHERE item_code = 'O1' AND check_requested_at IS NOT NULL`) === '2',
          'both URLs wait for the checker');
  await saveItem(w, 'O2', 'published', past, 'กองคลัง');
  h.check(!(await h.text(w.page.locator('#item-flags'))).includes('เลยกำหนด'), 'published: not late although the date passed');
  await saveItem(w, 'O3', 'ready', future, 'กองวิชาการและแผนงาน');
  await addUrl(w, 'https://broken.example.go.th/ita/o3.pdf');

  // the link checker's verdicts (another engineer's part), written directly
  psql(`UPDATE oit_evidence SET check_state = 'failed', check_status = 404, check_reason = 'เซิร์ฟเวอร์ตอบ 404',
        checked_at = now(), check_requested_at = NULL WHERE url LIKE 'https://broken.%'`);
  psql(`UPDATE oit_evidence SET check_state = 'ok', check_status = 200, check_reason = '', checked_at = now(),
        check_requested_at = NULL WHERE url LIKE '%o1-2.pdf'`);

  // ---- the overview ----
  await h.go(w, overview(2566));
  h.check((await h.text(w.page.locator('h1'))).includes('งาน OIT'), 'the overview is titled in Thai');
  h.check((await h.text(w.page.locator('#sum-late'))).includes('1'), 'one item late in the summary');
  h.check((await h.text(w.page.locator('#sum-broken'))).includes('1'), 'one item with a broken link in the summary');
  h.check((await h.text(w.page.locator('#sum-published'))).includes('1'), 'one published');
  h.check((await h.text(w.page.locator('#sum-not_started'))).includes('40'), '40 not started');
  h.check((await h.text(w.page.locator('#item-O1'))).includes('เลยกำหนด'), 'O1 flagged late');
  h.check((await h.text(w.page.locator('#item-O1'))).includes('สำนักปลัดเทศบาล'), 'O1 shows its unit');
  h.check((await h.text(w.page.locator('#item-O3'))).includes('ลิงก์เสีย')
          && (await h.text(w.page.locator('#item-O3'))).includes('ลิงก์ใช้ไม่ได้ 1'), 'O3 flagged: broken link');
  h.check(!(await h.text(w.page.locator('#item-O2'))).includes('เลยกำหนด'), 'O2 not flagged');
  await h.pageChecks(w, 'overview');
  await w.page.check('input[name=late]');
  await h.submit(w, '#oit-filter button[type=submit]');
  h.check(await w.page.locator('.oc > li').count() === 1 && await w.page.locator('#item-O1').count() === 1,
          'late only: O1 alone');
  h.check(w.page.url().includes('late=1'), 'the filter is in the address (GET)');
  await h.go(w, overview(2566, '&broken=1'));
  h.check(await w.page.locator('.oc > li').count() === 1 && await w.page.locator('#item-O3').count() === 1,
          'broken only: O3 alone');
  await w.page.selectOption('#f-unit', { label: 'กองคลัง' });
  await w.page.uncheck('input[name=broken]');
  await h.submit(w, '#oit-filter button[type=submit]');
  h.check(await w.page.locator('.oc > li').count() === 1 && await w.page.locator('#item-O2').count() === 1,
          'one unit: its item alone');
  await h.pageChecks(w, 'overview-filtered');

  // ---- the item with the broken link ----
  await h.go(w, item(2566, 'O3'));
  const verdict = await h.text(w.page.locator('#evidence > li').first());
  h.check(verdict.includes('ใช้ไม่ได้: เซิร์ฟเวอร์ตอบ 404') && verdict.includes('สถานะ HTTP 404')
          && /ตรวจเมื่อ \d+ .+ 25\d\d \d\d:\d\d น\./.test(verdict), `the verdict with reason, status and Thai time (${verdict})`);
  h.check(await w.page.inputValue('#i-due') === future, 'the due date is in its date field');
  h.check(/^\d+ \S+ 25\d\d$/.test(await h.text(w.page.locator('#i-due-th'))), 'and written the Thai way beside it');
  await h.go(w, item(2566, 'O1'));
  const ev = await w.page.locator('#evidence > li').allInnerTexts();
  h.check(ev[0].includes('ตรวจแล้ว ใช้ได้') && ev[1].includes('ยังไม่ได้ตรวจ'), 'ok and not yet checked');
  const hist = await h.text(w.page.locator('#history'));
  h.check(hist.includes('เพิ่มลิงก์หลักฐาน') && hist.includes('สถานะ กำลังจัดทำ') && hist.includes('clerk@thakhaopluak.go.th')
          && hist.includes('ขอให้ตรวจลิงก์หลักฐานทันที 2 ลิงก์'), 'the history says who changed what');
  await h.pageChecks(w, 'item');

  // ---- the CSV ----
  const csv = await w.page.request.get(`${base}/admin/oit-work.csv?agency=${agency}&year=2566`);
  const bytes = await csv.body();
  const text = bytes.toString('utf8');
  h.check(bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf, 'the CSV starts with the UTF-8 BOM');
  h.check(text.includes('ข้อ,ข้อมูล,องค์ประกอบด้านข้อมูล,หน่วยงานรับผิดชอบ,กำหนดเสร็จ,สถานะ,ลิงก์หลักฐาน'), 'Thai headers');
  // 2566 carries the seed's requirements: one quoted cell, one line per bullet
  h.check(/O2,ข้อมูลผู้บริหาร,"แสดงข้อมูลของผู้บริหารสูงสุด[^"]*",กองคลัง,\d+ .+ 25\d\d,เผยแพร่แล้ว,/.test(text), 'O2 row: requirements, unit, Thai date, state');
  h.check((csv.headers()['content-disposition'] || '').includes('oit-responsibility-2566.csv'), 'the file name has the year');

  // ---- copying 2566 into 2567 ----
  await h.go(w, overview(2567));
  await h.submit(w, '#copy-form button[type=submit]');
  h.check((await h.text(w.page.locator('#notice'))).includes('แล้ว 3 ข้อ ข้าม 0 ข้อ'), 'three items copied');
  h.check((await h.text(w.page.locator('#item-O2'))).includes('กองคลัง'), 'O2 of 2567 has its unit');
  await h.submit(w, '#copy-form button[type=submit]');
  h.check((await h.text(w.page.locator('#notice'))).includes('แล้ว 0 ข้อ ข้าม 3 ข้อ'), 'copying again overwrites nothing');
  await h.pageChecks(w, 'overview-2567');

  // ---- the audit page names the actions in Thai ----
  await h.go(w, '/admin/audit');
  const audit = await h.text(w.page.locator('main'));
  h.check(audit.includes('เพิ่มหน่วยงานภายใน') && audit.includes('บันทึกงาน OIT')
          && audit.includes('คัดลอกการมอบหมายงาน OIT จากปีก่อน'), 'the audit page names the OIT work actions');
  h.checkWatch(w, 'agency administrator (phone)');
  await w.ctx.close();

  // ---- the same pages on a desktop ----
  const d = await h.context(browser, 1280, 900);
  await h.signIn(d, env.ITA_EMAIL, env.ITA_PASSWORD);
  await h.go(d, overview(2566));
  await h.pageChecks(d, 'overview');
  await h.go(d, item(2566, 'O1'));
  await h.pageChecks(d, 'item');
  await h.go(d, `/admin/units?agency=${agency}&year=2566`);
  await h.pageChecks(d, 'units');
  h.checkWatch(d, 'agency administrator (desktop)');
  await d.ctx.close();

  // ---- another agency's administrator ----
  const o = await h.context(browser, 360, 800, { allow: [404] });
  await h.signIn(o, env.ITA_OTHER_EMAIL, env.ITA_OTHER_PASSWORD);
  await h.go(o, overview(2566), 404);
  await h.go(o, item(2566, 'O1'), 404);
  await h.go(o, `/admin/units?agency=${agency}`, 404);
  await h.go(o, '/admin/units');
  h.check(await o.page.locator('#no-units').count() === 1, 'its own agency has no units');
  h.checkWatch(o, 'other agency');
  await o.ctx.close();
} finally {
  await browser.close();
}
console.log(h.failures() ? `${h.failures()} check(s) failed` : 'all checks passed');
process.exit(h.failures() ? 1 : 0);
