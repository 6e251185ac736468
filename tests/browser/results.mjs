// Browser test of the results pages in Debian's Chromium, driven by playwright-core: sign in,
// the agency's scores with the OIT form (mark O43), the printable Thai report (10 indicators,
// weighting table, grouped analysis, weakest questions), a draft improvement measure saved and
// shown, the editing form hidden when printed, nothing fetched from another origin.
// Environment: ITA_BASE, ITA_AGENCY, ITA_EMAIL, ITA_PASSWORD, ITA_SHOTS_DIR.
import { chromium } from 'playwright-core';
import { checkA11y } from './a11y.mjs';
import { mkdirSync } from 'node:fs';

const { ITA_BASE: base, ITA_AGENCY: agency, ITA_EMAIL: email, ITA_PASSWORD: password, ITA_SHOTS_DIR: shots } = process.env;
if (!base || !agency || !email || !password || !shots) {
  console.error('results.mjs: set ITA_BASE, ITA_AGENCY, ITA_EMAIL, ITA_PASSWORD and ITA_SHOTS_DIR');
  process.exit(2);
}
mkdirSync(shots, { recursive: true });
let failures = 0;
function check(ok, what) {
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}`);
  if (!ok) failures++;
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

  // the scores page: partial until every OIT item is marked
  let resp = await page.goto(`${base}/admin/results?agency=${agency}&year=2566`);
  check(resp.status() === 200, `results page answers 200 (got ${resp.status()})`);
  check((await page.locator('#verdict').innerText()).includes('partial'), 'total is partial with O43 not assessed');
  check(await page.locator('#oit select').count() === 43, '43 OIT items in the form');
  await page.selectOption('select[name="met_O43"]', '1');
  await page.fill('input[name="url_O43"]', 'https://nkp.go.th/ita/o43');
  await Promise.all([page.waitForURL(/\/admin\/results/), page.click('#oit button[type=submit]')]);
  const verdict = await page.locator('#verdict').innerText();
  check(/ระดับ\s+(AA|A|B|C|D|E|F)/.test(verdict), `a grade once OIT is complete: "${verdict}"`);
  await checkA11y(page, 'results-1280', check);
  await page.screenshot({ path: `${shots}/results-1280.png`, fullPage: true });

  // the report
  resp = await page.goto(`${base}/admin/report?agency=${agency}&year=2566`);
  check(resp.status() === 200, 'report answers 200');
  check(await page.locator('#indicators tbody tr').count() === 10, 'report: 10-indicator table');
  check(await page.locator('#weights tbody tr').count() === 4, 'report: weighting table (IIT, EIT, OIT, total)');
  check(await page.locator('section.group').count() === 3, 'report: urgent / develop / keep groups');
  check(await page.locator('#lowest-IIT tbody tr').count() === 5, 'report: 5 weakest IIT questions');
  check(await page.locator('#lowest-EIT tbody tr').count() === 5, 'report: 5 weakest EIT questions');
  await page.fill('textarea[name="measure_1"]', 'จัดทำคู่มือการยืมทรัพย์สินของราชการ');
  await page.fill('textarea[name="responsible_1"]', 'กองวิชาการและแผนงาน');
  await Promise.all([page.waitForURL(/\/admin\/report/), page.click('#measures-form button[type=submit]')]);
  check((await page.locator('#measures').innerText()).includes('จัดทำคู่มือการยืมทรัพย์สินของราชการ'), 'the saved measure is in the report');
  await checkA11y(page, 'report-1280', check);
  await page.screenshot({ path: `${shots}/report-1280.png`, fullPage: true });
  await page.emulateMedia({ media: 'print' });
  check(!(await page.locator('#measures-form').isVisible()), 'the editing form is not printed');
  await page.setViewportSize({ width: 794, height: 1123 }); // A4 at 96 dpi
  await page.screenshot({ path: `${shots}/report-print-a4.png`, fullPage: true });
  const pdf = await page.pdf({ format: 'A4', printBackground: true });
  check(pdf.length > 10000 && pdf.subarray(0, 5).toString() === '%PDF-', `the report prints to PDF (${pdf.length} bytes)`);
  check(external.length === 0, `nothing fetched from another origin (${external.join(', ')})`);
  check(cspErrors.length === 0, `no Content-Security-Policy violations (${cspErrors.join('; ')})`);
} finally {
  await browser.close();
}
if (failures) {
  console.error(`${failures} check(s) failed`);
  process.exit(1);
}
