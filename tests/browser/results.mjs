// Browser test of the results pages in Debian's Chromium, driven by playwright-core: sign in;
// NKP (6 IIT and 6 EIT answers, fewer than the minimum samples): the scores page says
// "ผลเบื้องต้น" with each minimum not met and shows no rating, pass or plan; its OIT entry (cards
// with the respondent form's radios, 44 px targets) marks O43; the printable Thai report (the
// same banner, 10 indicators, weighting table, grouped analysis, weakest questions as "ข้อ 10",
// a print button, hidden when printed); a draft improvement measure saved and shown; the CSV
// exports with Thai column names by default and the English keys with keys=en, no rating for
// NKP; KMP (every minimum met) rated on the page, report and CSV. At 360 px no page scrolls
// sideways; axe-core on every page; nothing fetched from another origin.
// Environment: ITA_BASE, ITA_AGENCY, ITA_RATED, ITA_EMAIL, ITA_PASSWORD, ITA_SHOTS_DIR.
import { chromium } from 'playwright-core';
import { checkA11y } from './a11y.mjs';
import { mkdirSync } from 'node:fs';

const { ITA_BASE: base, ITA_AGENCY: agency, ITA_RATED: rated, ITA_EMAIL: email, ITA_PASSWORD: password, ITA_SHOTS_DIR: shots } = process.env;
if (!base || !agency || !rated || !email || !password || !shots) {
  console.error('results.mjs: set ITA_BASE, ITA_AGENCY, ITA_RATED, ITA_EMAIL, ITA_PASSWORD and ITA_SHOTS_DIR');
  process.exit(2);
}
mkdirSync(shots, { recursive: true });
let failures = 0;
function check(ok, what) {
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}`);
  if (!ok) failures++;
  return ok;
}

// A rating in words: "ระดับ AA", "ระดับ ผ่าน", "ผ่านเกณฑ์", "ไม่ผ่านเกณฑ์".
const RATING = /ระดับ\s+(AA|A|B|C|D|E|F|ผ่าน|ไม่ผ่าน)(?![ก-๙])|ผ่านเกณฑ์|ไม่ถึงระดับ|เพื่อให้ได้ระดับ/;

// The page's text without the year's rating rule (a table of every level) and the OIT entry
// (whose radios say ผ่าน / ไม่ผ่าน): what is left must not rate the agency.
async function textWithoutRules(page) {
  return page.evaluate(() => {
    const b = document.body.cloneNode(true);
    b.querySelectorAll('#rating-rule, #oit').forEach((e) => e.remove());
    return b.innerText;
  });
}

async function noSideScroll(page, label) {
  const [sw, cw] = await page.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]);
  check(sw <= 360 && sw <= cw, `${label}: no horizontal scrolling at 360 px (${sw} px in ${cw} px)`);
}

// Both widths: axe, the screenshot, and at 360 px no sideways scrolling.
async function bothWidths(page, name) {
  await page.setViewportSize({ width: 1280, height: 900 });
  await checkA11y(page, `${name}-1280`, check);
  await page.screenshot({ path: `${shots}/${name}-1280.png`, fullPage: true });
  await page.setViewportSize({ width: 360, height: 780 });
  await noSideScroll(page, name);
  await checkA11y(page, `${name}-360`, check);
  await page.screenshot({ path: `${shots}/${name}-360.png`, fullPage: true });
  await page.setViewportSize({ width: 1280, height: 900 });
}

// The CSV export as text, with its first line split into column names (simple: no quoted names).
async function csv(page, query) {
  const r = await page.request.get(`${base}/admin/export?${query}`);
  const bytes = await r.body();
  const bom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  const text = bytes.subarray(bom ? 3 : 0).toString('utf8');
  const lines = text.split('\r\n');
  return { status: r.status(), bom, head: lines[0].split(','), lines };
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
         '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
try {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 }, ignoreHTTPSErrors: true, locale: 'th-TH' });
  const page = await ctx.newPage();
  const external = [];
  page.on('request', (r) => { if (!r.url().startsWith(base)) external.push(r.url()); });
  const cspErrors = [];
  page.on('console', (m) => { if (/Content Security Policy/i.test(m.text())) cspErrors.push(m.text()); });

  await page.goto(`${base}/admin/login`);
  await page.fill('#email', email);
  await page.fill('#password', password);
  await Promise.all([page.waitForURL(`${base}/admin/`), page.click('button[type=submit]')]);

  // NKP: preliminary; OIT not complete either
  let resp = await page.goto(`${base}/admin/results?agency=${agency}&year=2566`);
  check(resp.status() === 200, `results page answers 200 (got ${resp.status()})`);
  // the year's sub-menu, this page marked, its links to the other pages of the same year
  const current = ((await page.locator('nav.ym a[aria-current="page"]').innerText()) || '').trim();
  check(current === 'OIT และผลคะแนน' && await page.locator(`nav.ym a[href="/admin/year?agency=${agency}&fy=2566"]`).count() === 1,
        `the results page carries the year sub-menu with itself marked ("${current}")`);
  let banner = (await page.locator('#preliminary').innerText()).replace(/\s+/g, ' ');
  check(banner.includes('ผลเบื้องต้น') && banner.includes('IIT 6 จาก 25 คำตอบขั้นต่ำ')
        && banner.includes('EIT 6 จาก 30 คำตอบขั้นต่ำ') && banner.includes('OIT ตรวจแล้ว 42 จาก 43 ข้อ'),
        `the preliminary banner names each minimum not met ("${banner}")`);
  check(banner.includes('ยังไม่ได้กรอกจำนวนผู้มีส่วนได้ส่วนเสียภายนอก') && banner.includes('ร้อยละ 10'),
        'the banner says which EIT minimum applies while the population is not entered');
  check(await page.locator('#oit input[type=radio]').count() === 43 * 3, '43 OIT items with three radios each');
  const box = await page.locator('#oit label:has(input[value="1"])').first().boundingBox();
  check(box && box.height >= 44 && box.width >= 44, `OIT result choices are at least 44 px (${box && Math.round(box.width)}×${box && Math.round(box.height)})`);
  await page.locator('#oit label:has(input[name="met_O43"][value="1"])').click();
  await page.fill('#url_O43', 'https://nkp.go.th/ita/o43');
  await Promise.all([page.waitForURL(/\/admin\/results/), page.click('#oit button[type=submit]')]);
  check(await page.locator('input[name="met_O43"][value="1"]').isChecked(), 'O43 saved as met');
  banner = (await page.locator('#preliminary').innerText()).replace(/\s+/g, ' ');
  check(banner.includes('IIT 6 จาก 25') && !banner.includes('OIT'), `with OIT complete, still preliminary for the samples ("${banner}")`);
  const verdict = await page.locator('#verdict').innerText();
  check(verdict.includes('เบื้องต้น') && !RATING.test(verdict), `the verdict is a preliminary total, no rating ("${verdict}")`);
  check(await page.locator('#grade, #blocked, #tool-plans').count() === 0, 'no grade, block or plan while preliminary');
  const rest = await textWithoutRules(page);
  check(!RATING.test(rest), `no rating text anywhere on the page (${(rest.match(RATING) || [''])[0]})`);
  check((await page.locator('#indicators caption').innerText()).includes('ผลเบื้องต้น'), 'the indicator scores are labelled preliminary');
  const saved = (await page.locator('#item-O43 .nt').innerText()).trim();
  check(/เมื่อ \d{1,2} [ก-๙.]+ 25\d\d \d\d:\d\d น\./.test(saved), `who entered O43 and when, the Thai way ("${saved}")`);
  await bothWidths(page, 'results-prelim');

  // the report of NKP: preliminary too
  resp = await page.goto(`${base}/admin/report?agency=${agency}&year=2566`);
  check(resp.status() === 200, 'report answers 200');
  check((await page.locator('#preliminary').innerText()).includes('IIT 6 จาก 25 คำตอบขั้นต่ำ'), 'report: the preliminary banner');
  check(!RATING.test(await textWithoutRules(page)), 'report: no rating text while preliminary');
  check(await page.locator('#grade').count() === 0, 'report: no grade');
  check(await page.locator('#indicators tbody tr').count() === 10, 'report: 10-indicator table');
  check(await page.locator('#weights tbody tr').count() === 4, 'report: weighting table (IIT, EIT, OIT, total)');
  check(await page.locator('section.group').count() === 3, 'report: urgent / develop / keep groups');
  check(await page.locator('#lowest-IIT tbody tr').count() === 5, 'report: 5 weakest IIT questions');
  check(await page.locator('#lowest-EIT tbody tr').count() === 5, 'report: 5 weakest EIT questions');
  const codes = await page.locator('table.lowest tbody td:first-child').allInnerTexts();
  check(codes.length === 10 && codes.every((c) => /^ข้อ \d+(\.\d+)?$/.test(c.trim())), `report: questions as the form numbers them (${codes.join(', ')})`);
  check(!/\b[ie]\d+\b/.test(await page.locator('body').innerText()), 'report: no question code like "i10"');
  check(await page.locator('#print').isVisible(), 'report: a print button');
  await page.fill('textarea[name="measure_1"]', 'จัดทำคู่มือการยืมทรัพย์สินของราชการและเผยแพร่ให้บุคลากรทุกคนทราบภายในไตรมาสแรก');
  await page.fill('textarea[name="responsible_1"]', 'กองวิชาการและแผนงาน');
  await Promise.all([page.waitForURL(/\/admin\/report/), page.click('#measures-form button[type=submit]')]);
  check((await page.locator('#measures').innerText()).includes('จัดทำคู่มือการยืมทรัพย์สินของราชการ'), 'the saved measure is in the report');
  const ta = await page.locator('textarea[name="measure_1"]').boundingBox();
  check(ta && ta.width >= 200 && ta.height >= 60, `the measure boxes are roomy (${ta && Math.round(ta.width)}×${ta && Math.round(ta.height)})`);
  // the O42 report's texts (o42_texts.c): a bad question code is refused on the same page with
  // what was typed kept; then saved; the PDF and DOCX download
  await page.fill('#objectives', 'เพื่อประเมินผลของเทศบาล\nเพื่อปรับปรุงการดำเนินงาน');
  await page.locator('#texts-form .add input').first().fill('x9');
  await page.locator('#texts-form .add textarea').first().fill('หน่วยงานควรเผยแพร่คู่มือการยืมทรัพย์สิน');
  let [tr] = await Promise.all([page.waitForResponse((r) => r.url().endsWith('/admin/report/texts')),
    page.click('#texts-form button[type=submit]')]);
  await page.waitForLoadState();
  check(tr.status() === 422, `texts: a bad question code answers 422 (${tr.status()})`);
  check((await page.locator('[role=alert]').first().innerText()).includes('รหัสข้อคำถาม'), 'texts: the reason at the top of the report');
  check((await page.locator('#texts-error').innerText()).includes('รหัสข้อคำถาม'), 'texts: the reason in the form');
  check((await page.locator('#objectives').inputValue()).includes('เพื่อปรับปรุงการดำเนินงาน'), 'texts: the typed objectives kept');
  check(await page.locator('#texts-form .add input').first().inputValue() === 'x9', 'texts: the typed code kept');
  await bothWidths(page, 'results-report-texts-error');
  await page.locator('#texts-form .add input').first().fill('I3');
  await Promise.all([page.waitForURL(/\/admin\/report\?/), page.click('#texts-form button[type=submit]')]);
  check(await page.locator('#texts-error').count() === 0, 'texts: saved');
  check((await page.locator('#objectives').inputValue()).startsWith('เพื่อประเมินผลของเทศบาล'), 'texts: the saved objectives shown');
  check((await page.locator('#texts-form').innerText()).includes('ข้อ I3'), 'texts: the kept question listed');
  for (const [id, type] of [['#o42-pdf', 'application/pdf'], ['#o42-docx', 'wordprocessingml']]) {
    const href = await page.locator(id).getAttribute('href');
    const r = await page.request.get(`${base}${href}`);
    const cd = r.headers()['content-disposition'] || '';
    check(r.status() === 200 && (r.headers()['content-type'] || '').includes(type) && /filename="ita-o42-2566-NKP\.(pdf|docx)"/.test(cd),
          `${id}: downloads (${r.status()}, ${r.headers()['content-type']}, ${cd})`);
  }
  await bothWidths(page, 'results-report-prelim');
  await page.emulateMedia({ media: 'print' });
  check(!(await page.locator('#measures-form').isVisible()), 'the editing form is not printed');
  check(!(await page.locator('#texts-form').isVisible()), 'the texts form is not printed');
  check(!(await page.locator('#print').isVisible()), 'the print button is not printed');
  check(await page.locator('#preliminary').isVisible(), 'the preliminary banner is printed');
  await page.setViewportSize({ width: 794, height: 1123 }); // A4 at 96 dpi
  await page.screenshot({ path: `${shots}/results-report-print-a4.png`, fullPage: true });
  const pdf = await page.pdf({ format: 'A4', printBackground: true });
  check(pdf.length > 10000 && pdf.subarray(0, 5).toString() === '%PDF-', `the report prints to PDF (${pdf.length} bytes)`);
  await page.emulateMedia({ media: 'screen' });
  await page.setViewportSize({ width: 1280, height: 900 });

  // 2565 has no instrument version: the report of NKP's stored result, with its forms
  resp = await page.goto(`${base}/admin/report?agency=${agency}&year=2565`);
  check(resp.status() === 200, `report of a stored year answers 200 (${resp.status()})`);
  const stored = await page.locator('body').innerText();
  check(stored.includes('95.82') && stored.includes('28.69') && stored.includes('AA'), 'stored year: the seed\'s total, weighted EIT part and grade');
  check(await page.locator('#measures-form').count() === 1 && await page.locator('#texts-form').count() === 1, 'stored year: the measures and texts forms');
  await bothWidths(page, 'results-report-stored-2565');
  // the CSV exports: Thai column names for people, the English keys on request
  let f = await csv(page, `year=2566&agency=${agency}&format=csv`);
  check(f.status === 200 && f.bom, `CSV: 200 with a UTF-8 BOM (${f.status}, ${f.bom})`);
  check(f.head[0] === 'ปีงบประมาณ' && f.head[1] === 'รหัสหน่วยงาน' && f.head.includes('ระดับผลการประเมิน') && f.head.includes('ผลเบื้องต้น'),
        `CSV: Thai column names by default (${f.head.slice(0, 4).join(',')}…)`);
  let row = f.lines[1].split(',');
  check(row[f.head.indexOf('ระดับผลการประเมิน')] === '' && row[f.head.indexOf('ผ่านเกณฑ์')] === '' && row[f.head.indexOf('ผลเบื้องต้น')] === 'ใช่',
        `CSV: NKP preliminary, no rating (${row.slice(-5).join(',')})`);
  f = await csv(page, `year=2566&agency=${agency}&format=csv&keys=en`);
  check(f.head[0] === 'fiscal_year' && f.head[1] === 'agency_code' && f.head.includes('rating'), `CSV keys=en: English keys (${f.head.slice(0, 3).join(',')}…)`);
  row = f.lines[1].split(',');
  check(row[f.head.indexOf('rating')] === '' && row[f.head.indexOf('preliminary')] === 'yes', 'CSV keys=en: no rating, preliminary yes');
  f = await csv(page, `year=2566&agency=${agency}&kind=questions&format=csv`);
  check(f.head[4] === 'ข้อ' && /,ข้อ \d+,/.test(f.lines[1]), `questions CSV: Thai, "ข้อ n" (${f.lines[1].slice(0, 40)})`);

  // KMP: every minimum met, rated
  await page.goto(`${base}/admin/results?agency=${rated}&year=2566`);
  check(await page.locator('#preliminary').count() === 0, 'KMP: no preliminary banner once every minimum is met');
  const rv = await page.locator('#verdict').innerText();
  check(/ระดับ\s+(AA|A|B|C|D|E|F)/.test(rv) && await page.locator('#grade').count() === 1, `KMP: a rating ("${rv}")`);
  await bothWidths(page, 'results-rated');
  await page.goto(`${base}/admin/report?agency=${rated}&year=2566`);
  check(await page.locator('#grade').count() === 1 && await page.locator('#preliminary').count() === 0, 'KMP: the report is rated');
  await bothWidths(page, 'results-report-rated');
  f = await csv(page, `year=2566&agency=${rated}&format=csv`);
  row = f.lines[1].split(',');
  check(/^(AA|A|B|C|D|E|F)$/.test(row[f.head.indexOf('ระดับผลการประเมิน')]) && row[f.head.indexOf('ผลเบื้องต้น')] === 'ไม่ใช่',
        `CSV: KMP rated (${row[f.head.indexOf('ระดับผลการประเมิน')]})`);
  check(external.length === 0, `nothing fetched from another origin (${external.join(', ')})`);
  check(cspErrors.length === 0, `no Content-Security-Policy violations (${cspErrors.join('; ')})`);
} finally {
  await browser.close();
}
if (failures) {
  console.error(`${failures} check(s) failed`);
  process.exit(1);
}
console.log('results browser test: all checks passed');
