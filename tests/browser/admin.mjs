// Browser test of the web admin in Debian's Chromium, driven by playwright-core: a brand-new
// agency administrator on a 360 px phone signs in (keyboard only), finds the agency, sets up the
// empty 2566 year (a closing day before the opening day is refused first; then the window, and
// the staff and stakeholder counts typed with Tab and Enter), reads the minimum samples,
// downloads the A4 poster (PDF: one A4 page printing the link) and the QR code (PNG, decoded
// with zbarimg when present; SVG), uploads a bad staff list (Thai error table, nothing imported),
// the .xlsx instead of the CSV (Thai advice, nothing imported) and then a good list saved by
// Excel in Windows-874, issues personal links, downloads the mail merge (BOM, Thai, /t/ links),
// answers the IIT through one personal link in a fresh browser and sees the response and the
// spent link on the progress page. Then on a desktop screen: every page again, the website
// snippet, the EIT list page, the same list imported twice (no duplicates), one link reissued
// (the old one refused, the new one open), the instrument pages refused (403), sign-out. Then a
// system administrator, on a phone and on a desktop, at the instrument versions: the list, a
// malformed file (every line of the loader's message), the six-level fixture uploaded as a draft
// of a new year, its IIT and EIT previews as respondents see them (a preview answered and not
// stored), publishing after the confirmation step. On every page: lang="th", every field tied to a
// label, no horizontal scrolling, no accessibility violation found by axe-core, nothing fetched
// from another origin, no CSP violation, no console error.
// Environment: ITA_BASE, ITA_AGENCY, ITA_EMAIL, ITA_PASSWORD, ITA_OPENS, ITA_CLOSES (YYYY-MM-DD),
// ITA_STAFF_CSV, ITA_BAD_CSV, ITA_WORK (scratch directory), ITA_SHOTS_DIR, ITA_SYS_EMAIL,
// ITA_SYS_PASSWORD (a system administrator), ITA_FIXTURE (the six-level instrument file),
// ITA_BAD_INSTRUMENT (a malformed one).
import { chromium } from 'playwright-core';
import { checkA11y } from './a11y.mjs';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';

const env = process.env;
const need = ['ITA_BASE', 'ITA_AGENCY', 'ITA_EMAIL', 'ITA_PASSWORD', 'ITA_OPENS', 'ITA_CLOSES',
              'ITA_STAFF_CSV', 'ITA_BAD_CSV', 'ITA_WORK', 'ITA_SHOTS_DIR', 'ITA_SYS_EMAIL',
              'ITA_SYS_PASSWORD', 'ITA_FIXTURE', 'ITA_BAD_INSTRUMENT'];
if (need.some((k) => !env[k])) {
  console.error(`admin.mjs: set ${need.join(', ')}`);
  process.exit(2);
}
const base = env.ITA_BASE, agency = env.ITA_AGENCY, shots = env.ITA_SHOTS_DIR, work = env.ITA_WORK;
const scope = `agency=${agency}&fy=2566`;
mkdirSync(shots, { recursive: true });

let failures = 0;
function check(ok, what) {
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}`);
  if (!ok) failures++;
  return ok;
}
function note(what) {
  console.log(`note ${what}`);
}
let faviconNoted = false;
const text = async (loc) => ((await loc.count()) ? (await loc.first().innerText()).replace(/\s+/g, ' ').trim() : '');

// A browser context whose pages record what must never happen: a request to another origin, a
// Content-Security-Policy violation, a console error (an expected error status can be allowed
// for the next navigation with `expectStatus`).
async function newWatchedContext(browser, width, height) {
  const ctx = await browser.newContext({ viewport: { width, height }, ignoreHTTPSErrors: true,
                                         locale: 'th-TH', acceptDownloads: true });
  const w = { ctx, width, external: [], csp: [], errors: [], allowed: null };
  ctx.on('request', (r) => {
    const u = r.url();
    if (!u.startsWith(base + '/') && !u.startsWith('data:') && !u.startsWith('blob:')) w.external.push(u);
  });
  ctx.on('page', (p) => watchPage(w, p));
  ctx.on('response', (r) => { if (r.status() >= 400 && r.status() !== w.allowed) w.errors.push(`${r.status()} ${r.url()}`); });
  w.page = await ctx.newPage();
  w.expectStatus = (status) => { w.allowed = status; };
  return w;
}
function watchPage(w, page) {
  page.on('console', (m) => {
    const t = m.text();
    if (/Content.Security.Policy/i.test(t)) w.csp.push(t);
    else if (m.type() === 'error') {
      if (w.allowed && t.includes(`status of ${w.allowed}`)) return;
      // Chromium asks for /favicon.ico once per browser when a page names no icon; the server has
      // none (404). Reported, not failed: the shared page head is not the admin's to change.
      if (m.location().url === `${base}/favicon.ico`) {
        if (!faviconNoted) note('/favicon.ico answers 404: pages name no icon, so Chromium logs a console error once');
        faviconNoted = true;
        return;
      }
      w.errors.push(`${page.url()}: ${t} [${m.location().url}]`);
    }
  });
  page.on('pageerror', (e) => w.errors.push(`${page.url()}: ${e.message}`));
}
function checkWatch(w, label) {
  check(w.external.length === 0, `${label}: nothing fetched from another origin (${w.external.join(', ') || 'none'})`);
  check(w.csp.length === 0, `${label}: no Content-Security-Policy violations (${w.csp.join('; ') || 'none'})`);
  check(w.errors.length === 0, `${label}: no console errors (${w.errors.join('; ') || 'none'})`);
}


// What every admin page must be: Thai, every field labelled, nothing wider than the screen on a
// phone; then a full-page screenshot admin-<name>-<width>.png.
async function pageChecks(w, name) {
  const page = w.page;
  const label = `${name} @${w.width}`;
  check(await page.getAttribute('html', 'lang') === 'th', `${label}: lang="th"`);
  const unlabelled = await page.$$eval('input, select, textarea', (els) => els
    .filter((e) => !['hidden', 'submit', 'button', 'reset'].includes(e.type))
    .filter((e) => !(e.labels && e.labels.length) && !e.getAttribute('aria-label') && !e.getAttribute('aria-labelledby'))
    .map((e) => e.name || e.id || e.outerHTML.slice(0, 60)));
  check(unlabelled.length === 0, `${label}: every field has a label tied to it (${unlabelled.join(', ') || 'all'})`);
  const unnamed = await page.$$eval('button, a[href]', (els) => els
    .filter((e) => !e.textContent.trim() && !e.getAttribute('aria-label')).length);
  check(unnamed === 0, `${label}: every button and link has a text`);
  const tabindex = await page.$$eval('[tabindex]', (els) => els.filter((e) => e.tabIndex > 0).length);
  check(tabindex === 0, `${label}: no positive tabindex (keyboard order follows the page)`);
  const layout = await page.evaluate(() => {
    const vw = document.documentElement.clientWidth;
    const wide = [...document.querySelectorAll('body *')]
      .filter((e) => e.getBoundingClientRect().right > vw + 1 && e.getClientRects().length)
      .filter((e) => !e.parentElement || e.parentElement.getBoundingClientRect().right <= vw + 1)
      .map((e) => `${e.tagName.toLowerCase()}${e.id ? '#' + e.id : ''}${e.className ? '.' + e.className : ''}`
                  + ` (${Math.round(e.getBoundingClientRect().right)} px)`);
    return { scroll: document.documentElement.scrollWidth, vw, wide: wide.slice(0, 5) };
  });
  check(layout.scroll <= layout.vw, `${label}: no horizontal scrolling (content ${layout.scroll} px in ${layout.vw} px${layout.wide.length ? '; too wide: ' + layout.wide.join(', ') : ''})`);
  if (w.width < 640) {
    // on a phone: buttons in the bar and in tables as wide as their text, no table squeezed
    // into columns a few letters wide
    const phone = await page.evaluate(() => {
      const vw = document.documentElement.clientWidth;
      const wideButtons = [...document.querySelectorAll('nav button, td button')]
        .filter((b) => b.getBoundingClientRect().width > vw / 2).map((b) => b.textContent.trim());
      const narrow = [...document.querySelectorAll('th, td')]
        .filter((c) => c.textContent.trim().length > 3 && c.getBoundingClientRect().width < 56)
        .map((c) => `${c.closest('table').id || 'table'}: "${c.textContent.trim().slice(0, 20)}" ${Math.round(c.getBoundingClientRect().width)} px`);
      return { wideButtons, narrow };
    });
    check(phone.wideButtons.length === 0, `${label}: buttons in the bar and in tables are not full-width (${phone.wideButtons.join(', ') || 'none'})`);
    check(phone.narrow.length === 0, `${label}: no table column squeezed below 56 px (${phone.narrow.slice(0, 4).join('; ') || 'none'})`);
  }
  await checkA11y(page, label, check);
  await page.screenshot({ path: `${shots}/admin-${name}-${w.width}.png`, fullPage: true });
}

// Sign-in with the keyboard: type the e-mail, Tab to the password, Enter to send.
async function signIn(w, email = env.ITA_EMAIL, password = env.ITA_PASSWORD) {
  const page = w.page;
  const resp = await page.goto(`${base}/admin/login`);
  check(resp.status() === 200, `login page answers 200 (got ${resp.status()})`);
  await pageChecks(w, 'login');
  await page.locator('label[for="email"]').click();
  check(await page.evaluate(() => document.activeElement.id) === 'email', 'clicking the e-mail label focuses the field');
  await page.keyboard.type(email);
  await page.keyboard.press('Tab');
  check(await page.evaluate(() => document.activeElement.id) === 'password', 'Tab goes from e-mail to password');
  await page.keyboard.type(password);
  const [signed] = await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.keyboard.press('Enter')]);
  if (!check(page.url() === `${base}/admin/`, `signed in, at the home page (${signed && signed.status()} ${page.url()})`))
    throw new Error(`sign-in refused: ${await text(page.locator('[role=alert]'))}`);
  const cookies = await w.ctx.cookies(`${base}/admin/`);
  const session = cookies.find((c) => c.name === 'ita_admin');
  check(session && session.httpOnly && session.secure && session.sameSite === 'Strict',
        'session cookie is HttpOnly, Secure, SameSite=Strict');
}

// From home to the agency's page, by clicking what a clerk would click: the home page's link to
// the own agency, or (viaList) the bar's agency list, which holds this one agency only.
async function toAgency(w, viaList) {
  const page = w.page;
  await pageChecks(w, 'home');
  check((await text(page.locator('#who'))).includes('เทศบาลตำบลท่าข้าวเปลือก'), 'home names the administrator\'s agency');
  const own = page.locator(`main a[href="/admin/agency?id=${agency}"]`);
  check(await own.count() === 1, 'home links to the own agency');
  if (viaList) {
    await Promise.all([page.waitForURL(/\/admin\/agencies/), page.locator('nav a[href="/admin/agencies"]').click()]);
    check(await page.locator('#agencies tbody tr').count() === 1, 'an agency administrator sees exactly one agency');
    await pageChecks(w, 'agencies');
    await Promise.all([page.waitForURL(/\/admin\/agency\?id=/), page.locator('#agencies tbody a').first().click()]);
  } else {
    await Promise.all([page.waitForURL(/\/admin\/agency\?id=/), own.first().click()]);
  }
  check(page.url() === `${base}/admin/agency?id=${agency}`, `the agency page is the own agency (${page.url()})`);
  await pageChecks(w, 'agency');
}

// The link to the year page on the agency page, or (reported as a failure) the address typed in.
async function toYear(w) {
  const page = w.page;
  const link = page.locator('a[href*="/admin/year?"][href*="fy=2566"]');
  if (check(await link.count() > 0, 'the agency page links to setting up fiscal year 2566')) {
    await Promise.all([page.waitForURL(/\/admin\/year\?/), link.first().click()]);
  } else {
    await page.goto(`${base}/admin/year?${scope}`);
  }
}

async function download(page, click) {
  const [dl] = await Promise.all([page.waitForEvent('download'), click()]);
  const path = `${work}/${dl.suggestedFilename()}`;
  await dl.saveAs(path);
  return { name: dl.suggestedFilename(), bytes: readFileSync(path), path };
}

// A tiny RFC 4180 reader for the mail merge (quoted fields, doubled quotes, CRLF).
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

// Every radio group answered with its last option (always a valid answer, as in survey.mjs),
// by clicking its label.
async function answerAll(page) {
  const names = await page.$$eval('input[type=radio]', (els) => [...new Set(els.map((e) => e.name))]);
  for (const name of names) {
    const options = page.locator(`input[type=radio][name="${name}"]`);
    const id = await options.nth((await options.count()) - 1).getAttribute('id');
    await page.locator(`label[for="${id}"]`).click();
  }
  return names.length;
}

const browser = await chromium.launch({
  executablePath: env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
         '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
let links = {}; // name → personal link, from the mail merge
try {
  // ---- 1. On a 360 px phone: from an empty year to live progress ----
  {
    const w = await newWatchedContext(browser, 360, 780);
    const page = w.page;
    await signIn(w);
    await toAgency(w, true);
    check((await text(page.locator('#links'))).length > 0 && await page.locator('#links tbody tr').count() === 0,
          'a new agency has no public links yet');
    // the year's checklist: six steps in the order the work is done, setting up the year first
    const first = await page.$$eval('#checklist > li', (els) => els.map((e) => `${e.id}:${e.className}`));
    check(first.join(' ') === 'step-year:now step-lists: step-links: step-progress: step-oit: step-report:',
          `the checklist of 2566 starts at setting up the year (${first.join(' ')})`);
    check(await page.locator('nav.ym a[aria-current="page"]').count() === 1, 'the year sub-menu marks this page');
    await toYear(w);

    // the empty year
    check(await page.inputValue('#opens_on') === '' && await page.inputValue('#staff_population') === '',
          'the 2566 year starts empty');
    check((await text(page.locator('#min-sample'))).includes('ยังไม่ได้กรอก'), 'minimum samples say "not entered yet"');
    check(await page.locator('#year-links').count() === 0, 'no survey links before the year is saved');
    await pageChecks(w, 'year-empty');

    // a clerk's slip first: the closing day before the opening day is refused in Thai on the
    // same page, beside the field, the typed days kept, nothing saved
    const be = (iso) => { const [y, m, d] = iso.split('-').map(Number); return `${d}/${m}/${y + 543}`; };
    await page.fill('#opens_on', be(env.ITA_CLOSES));
    await page.fill('#closes_on', be(env.ITA_OPENS));
    w.expectStatus(422);
    const [slip] = await Promise.all([page.waitForNavigation({ waitUntil: 'load' }),
                                      page.locator('#year-form button[type=submit]').click()]);
    w.expectStatus(null);
    check(slip.status() === 422 && (await text(page.locator('#closes_on-error'))).includes('วันปิดรับคำตอบต้องไม่ก่อนวันเปิด'),
          `closing before opening: 422 with a Thai message beside the field (${slip.status()})`);
    await pageChecks(w, 'year-error');
    check(await page.inputValue('#opens_on') === be(env.ITA_CLOSES), 'the typed days are kept');
    check((await text(page.locator('#window-state'))).startsWith('ยังไม่ได้ตั้งค่า'), 'after the slip the year is still not saved');

    // the window typed as d/m/Buddhist-Era year, the counts by keyboard, sent with Enter; the
    // window is outside fiscal year 2566, so the page asks to confirm first
    await page.fill('#opens_on', be(env.ITA_OPENS));
    await page.fill('#closes_on', be(env.ITA_CLOSES));
    await page.locator('label[for="staff_population"]').click();
    check(await page.evaluate(() => document.activeElement.id) === 'staff_population',
          'clicking the staff-count label focuses its field');
    await page.keyboard.type('37');
    await page.keyboard.press('Tab');
    check(await page.evaluate(() => document.activeElement.id) === 'eit_population', 'Tab goes on to the stakeholder count');
    await page.keyboard.type('1200');
    await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.keyboard.press('Enter')]);
    check((await text(page.locator('#window-warning'))).includes('ไม่อยู่ในปีงบประมาณ 2566'), 'a window outside 2566 needs a confirmation');
    await page.check('#confirm');
    await page.locator('#eit_population').focus();
    await Promise.all([page.waitForURL(/saved=1/), page.keyboard.press('Enter')]);
    check((await text(page.locator('[role=status]'))).includes('บันทึกแล้ว'), 'the year page says "saved"');
    check(await page.inputValue('#opens_on') === be(env.ITA_OPENS) && await page.inputValue('#closes_on') === be(env.ITA_CLOSES),
          'the window is shown as entered');
    check(await page.inputValue('#staff_population') === '37' && await page.inputValue('#eit_population') === '1200',
          'the counts are shown as entered');
    const mins = await page.$$eval('#min-sample tbody tr', (trs) => trs.map((tr) => [...tr.cells].map((c) => c.textContent.trim())));
    check(JSON.stringify(mins) === JSON.stringify([['IIT', '37', '25'], ['EIT', '1200', '120']]),
          `minimum samples: IIT 25 of 37, EIT 120 of 1,200 (${JSON.stringify(mins)})`);
    check(await page.locator('#year-links li').count() === 2, 'the saved year has an IIT and an EIT link');
    await pageChecks(w, 'year-saved');

    // the A4 poster and the QR code of the IIT link
    const iit = page.locator('#year-links li:has(#yl-IIT)');
    const iitUrl = (await text(iit.locator('a.yl')));
    check(iitUrl.startsWith(`${base}/s/`), `the IIT public link is shown (${iitUrl})`);
    const poster = await download(page, () => iit.locator('a[href*="format=pdf"]').click());
    check(poster.bytes.subarray(0, 5).toString() === '%PDF-' && poster.bytes.length > 10000,
          `the A4 poster is a PDF (${poster.name}, ${poster.bytes.length} bytes)`);
    check(poster.name === 'ita-poster-2566-IIT.pdf', `the poster's file name says year and survey (${poster.name})`);
    if (existsSync('/usr/bin/pdfinfo') && existsSync('/usr/bin/pdftotext')) {
      const info = execFileSync('/usr/bin/pdfinfo', [poster.path]).toString();
      check(/Pages:\s+1\n/.test(info) && /Page size:\s+595(\.\d+)? x 841\.89 pts \(A4\)/.test(info), `the poster is one A4 page (${(info.match(/Page size:.*/) || [''])[0]})`);
      const words = execFileSync('/usr/bin/pdftotext', [poster.path, '-']).toString();
      check(words.includes(iitUrl.replace(/^https:\/\//, '')) || words.includes(iitUrl), 'the poster prints the link under the code');
    }
    const pngHref = await iit.locator('a[href*="format=png"]').getAttribute('href');
    const png = await page.request.get(base + pngHref);
    const pngBytes = await png.body();
    check(png.status() === 200 && png.headers()['content-type'] === 'image/png' &&
          pngBytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])),
          `the QR code is a PNG (${pngBytes.length} bytes)`);
    const svgHref = await iit.locator('a[href*="format=svg"]').getAttribute('href');
    const svg = await page.request.get(base + svgHref);
    check(svg.status() === 200 && svg.headers()['content-type'].startsWith('image/svg+xml') && (await svg.text()).includes('<svg'),
          'the QR code is also an SVG');
    if (existsSync('/usr/bin/zbarimg')) {
      const qrPath = `${work}/iit-qr.png`;
      (await import('node:fs')).writeFileSync(qrPath, pngBytes);
      const decoded = execFileSync('/usr/bin/zbarimg', ['-q', '--raw', qrPath]).toString().trim();
      check(decoded === iitUrl, `the QR code reads back as the IIT link (${decoded})`);
    }

    // the staff list: a bad file first, then the good one
    await Promise.all([page.waitForURL(/\/admin\/contacts\?.*instrument=IIT/),
                       page.locator('nav.ym a[href*="instrument=IIT"]').click()]);
    check((await text(page.locator('#contact-counts'))).includes('มีรายชื่อ 0 รายชื่อ'), 'the staff list starts empty');
    check(await page.locator('#issue-form').count() === 0, 'no link issuing before there is a list');
    await pageChecks(w, 'contacts-empty');
    await page.setInputFiles('#file', env.ITA_BAD_CSV);
    w.expectStatus(422);
    await Promise.all([page.waitForURL(/\/admin\/contacts\/import/), page.locator('#import-form button[type=submit]').click()]);
    w.expectStatus(null);
    const errRows = await page.$$eval('#import-errors tbody tr', (trs) => trs.map((tr) => [...tr.cells].map((c) => c.textContent.trim())));
    check(errRows.length === 2, `the bad list: one error row per bad row (${errRows.length})`);
    check(errRows.some((r) => r[0] === '2' && r[2].includes('อีเมล')) && errRows.some((r) => r[0] === '3' && r[2].includes('0')),
          `errors name line, column and reason in Thai (${JSON.stringify(errRows)})`);
    check((await text(page.locator('#import-errors-summary'))).includes('ยังไม่ได้นำเข้าข้อมูลใด ๆ'), 'the error page says nothing was imported');
    await pageChecks(w, 'import-errors');
    await Promise.all([page.waitForURL(/\/admin\/contacts\?/), page.locator('main a[href*="/admin/contacts?"]').last().click()]);
    check((await text(page.locator('#contact-counts'))).includes('มีรายชื่อ 0 รายชื่อ'), 'after the bad list, still no contacts');
    // the Excel workbook instead of its CSV: a Thai explanation, nothing imported
    await page.setInputFiles('#file', env.ITA_XLSX);
    w.expectStatus(422);
    const [wrong] = await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.locator('#import-form button[type=submit]').click()]);
    w.expectStatus(null);
    const wrongText = await text(page.locator('main [role=alert], main table'));
    check(wrong.status() === 422 && /[\u0E00-\u0E7F]/.test(wrongText), `an .xlsx file: ${wrong.status()}, "${wrongText.slice(0, 160)}"`);
    await pageChecks(w, 'import-xlsx');
    await page.goto(`${base}/admin/contacts?${scope}&instrument=IIT`);
    check((await text(page.locator('#contact-counts'))).includes('มีรายชื่อ 0 รายชื่อ'), 'after the workbook, still no contacts');

    await page.setInputFiles('#file', env.ITA_STAFF_CSV);
    await Promise.all([page.waitForURL(/\/admin\/contacts\/import/), page.locator('#import-form button[type=submit]').click()]);
    const summary = await text(page.locator('#import-summary'));
    check(/อ่านได้ 5 แถว/.test(summary) && /นำเข้าใหม่ 4 รายชื่อ/.test(summary) && /ยังไม่ครบ 1 ปี 1 คน/.test(summary),
          `import summary: 5 rows read, 4 imported, 1 left out for short service ("${summary}")`);
    check(/874|tis|TIS/i.test(summary), `the summary names the Windows-874 encoding ("${summary}")`);
    await pageChecks(w, 'import-summary');
    await Promise.all([page.waitForURL(/\/admin\/contacts\?/), page.locator('main a[href*="/admin/contacts?"][href*="instrument=IIT"]').last().click()]);
    const names = await page.$$eval('#contacts tbody tr td:first-child', (tds) => tds.map((t) => t.textContent.trim()));
    check(names.length === 4 && names.includes('นายสมชาย ใจดี') && names.includes('นางสาวสมหญิง รักงาน') && !names.includes('นายวีระ มาใหม่'),
          `the list shows the four staff with their Thai names intact (${names.join(', ')})`);
    await pageChecks(w, 'contacts-imported');

    // personal links and the mail merge
    const issueButton = page.locator('#issue-form button[type=submit]');
    check((await text(issueButton)).includes('4'), `the issue button says how many (${await text(issueButton)})`);
    await issueButton.focus();
    await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.keyboard.press('Enter')]);
    check((await text(page.locator('#contact-counts'))).includes('ออกลิงก์ส่วนบุคคลแล้ว 4 รายชื่อ'), 'four links issued');
    check(await page.locator('#issue-form').count() === 0, 'nothing left to issue');
    check(await page.locator('#contacts a[href^="/admin/links/reissue?contact="]').count() === 4, 'each contact has a reissue link');
    await pageChecks(w, 'contacts-issued');
    // an IIT list is delivered privately by default (#18): no mail merge; a reissued link is
    // e-mailed by the server and never shown
    check(await page.locator('#mailmerge').count() === 0 && await page.locator('#private-delivery').count() === 1,
          'a private list: the delivery notice, no mail-merge link');
    await Promise.all([page.waitForURL(/\/admin\/links\/reissue\?contact=/),
                       page.locator('#contacts tbody tr', { hasText: 'นางสาวสมหญิง รักงาน' }).locator('a[href*="/admin/links/reissue?"]').click()]);
    await Promise.all([page.waitForURL(/\/admin\/links\/reissue$/), page.locator('#reissue-form button[type=submit]').click()]);
    const sent = await text(page.locator('#reissued-whose'));
    check(sent.includes('นางสาวสมหญิง รักงาน') && sent.includes('ระบบจะส่งลิงก์ใหม่ถึงอีเมลของผู้นี้เอง'), `a private reissue is e-mailed ("${sent}")`);
    check(await page.locator('#new-link').count() === 0 && !/\/t\/[A-Za-z0-9_-]{20}/.test(await page.content()), 'a private reissue shows no link');
    await pageChecks(w, 'reissued-private');
    w.expectStatus(403);
    const refusedMm = await page.goto(`${base}/admin/links/mailmerge?${scope}&instrument=IIT`);
    w.expectStatus(null);
    check(refusedMm.status() === 403 && (await text(page.locator('main'))).includes('รายชื่อนี้ส่งลิงก์แบบส่วนตัว'),
          `the mail merge of a private list: 403 in Thai (${refusedMm.status()})`);
    // the walk below is about the mail merge: the list switched to it, confirmed
    await page.goto(`${base}/admin/mail?${scope}&instrument=IIT`);
    await page.locator('#mode-confirm').check();
    await Promise.all([page.waitForURL(/\/admin\/mail\?/), page.locator('#mode-form button[type=submit]').click()]);
    check((await text(page.locator('#mode'))).includes('ไฟล์จดหมายเวียน'), 'the IIT list now uses the mail merge');
    await page.goto(`${base}/admin/contacts?${scope}&instrument=IIT`);
    const mm = await download(page, () => page.locator('#mailmerge').click());
    check(mm.bytes.subarray(0, 3).equals(Buffer.from([0xef, 0xbb, 0xbf])), `the mail merge starts with a UTF-8 BOM (${mm.name})`);
    const rows = parseCsv(mm.bytes.subarray(3).toString('utf8')).filter((r) => r.length > 1);
    check(rows.length === 5 && rows[0].includes('ชื่อ-นามสกุล') && rows[0].includes('ลิงก์'), `mail merge: Thai header and 4 rows (${rows.length - 1})`);
    const linkCol = rows[0].indexOf('ลิงก์');
    for (const r of rows.slice(1)) links[r[0]] = r[linkCol];
    check(Object.values(links).length === 4 && Object.values(links).every((u) => new RegExp(`^${base}/t/[A-Za-z0-9_-]{20,}$`).test(u)),
          'every row has its own personal /t/ link');
    check(new Set(Object.values(links)).size === 4, 'the four links differ');
    check('นายสมชาย ใจดี' in links && rows.some((r) => r.includes('somying@thakhaopluak.go.th')), 'names and e-mails are intact in the mail merge');

    // one member of staff answers through a personal link, in a browser of their own
    {
      const r = await newWatchedContext(browser, 360, 780);
      const resp = await r.page.goto(links['นายสมชาย ใจดี']);
      check(resp.status() === 200, `the personal IIT form opens (${resp.status()})`);
      const groups = await answerAll(r.page);
      check(groups === 51, `the IIT form has 51 answer fields (${groups})`);
      // wait for the POST's page itself: the form page is already 'load'ed, so waiting for that
      // state alone could read the old page while a slow server still answers
      await Promise.all([r.page.waitForNavigation({ waitUntil: 'load' }), r.page.click('#sb')]);
      check((await text(r.page.locator('h1'))).includes('ขอบคุณ'), 'the respondent is thanked');
      await r.page.screenshot({ path: `${shots}/admin-respondent-thanks-360.png`, fullPage: true });
      checkWatch(r, 'respondent');
      await r.ctx.close();
    }

    // live progress
    await Promise.all([page.waitForURL(/\/admin\/progress\?/), page.locator('nav.ym a[href*="/admin/progress?"]').first().click()]);
    const iitProgress = await text(page.locator('#progress-IIT'));
    // one answer while the window is open: it waits for k (5) and is not counted yet
    check(/นับคำตอบแล้ว 0 จากขั้นต่ำ 25/.test(iitProgress), `progress: no IIT response counted yet, of at least 25 ("${iitProgress.slice(0, 120)}")`);
    check(/มีคำตอบที่ยังรอนับ/.test(iitProgress) && /กลุ่มละอย่างน้อย 5/.test(iitProgress),
          'progress: the page says an IIT answer waits to be counted in a group of at least 5');
    check(/ออกแล้ว 4 ใช้ตอบแล้ว 1/.test(iitProgress), 'progress: 4 personal links issued, 1 spent');
    check(!/\b1<\/td>/.test(await page.locator('#progress-IIT').innerHTML()),
          'progress: no day shows the waiting answer');
    const eitProgress = await text(page.locator('#progress-EIT'));
    check(/นับคำตอบแล้ว 0 จากขั้นต่ำ 120/.test(eitProgress) && !/รอนับ/.test(eitProgress),
          'progress: no EIT response of at least 120, none waiting');
    await pageChecks(w, 'progress');
    checkWatch(w, 'phone walk');
    await w.ctx.close();
  }

  // ---- 2. On a desktop screen: every page again, a re-import, a reissued link, sign-out ----
  {
    const w = await newWatchedContext(browser, 1280, 900);
    const page = w.page;
    await signIn(w);
    await toAgency(w, false);
    check(await page.locator('#links tbody tr').count() === 2, 'the agency page lists the two public links');
    // the checklist now: set up, lists imported, links issued; following the answers is next
    const steps = await page.$$eval('#checklist > li', (els) => els.map((e) => `${e.id}:${e.className}`));
    check(steps.join(' ') === 'step-year:done step-lists:done step-links:done step-progress:now step-oit: step-report:',
          `the checklist: three steps done, following the answers next (${steps.join(' ')})`);
    const following = await text(page.locator('#step-progress'));
    check(/เปิดรับอยู่ เหลือ \d+ วัน \(วันสุดท้าย \d+ [^ ]+ 25\d\d\)/.test(following), `the open window with days left ("${following}")`);
    check((await text(page.locator('#step-oit'))).includes('บันทึกผลแล้ว 0 จาก 43 ข้อ'), 'the OIT step counts 0 of 43 items');
    // each public link is a link, with a button that copies it
    const firstLink = page.locator('#links tbody a[id^="lk-"]').first();
    const copy = page.locator('#links tbody button[data-copy]').first();
    check(await copy.isVisible(), 'a copy button beside each public link');
    await w.ctx.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: base });
    // the clipboard takes writes only from the focused document (the respondent's pages came first)
    await page.bringToFront();
    await copy.click();
    // (waitForFunction would need eval, which the page's Content-Security-Policy refuses)
    for (let i = 0; i < 100 && (await copy.textContent()) !== 'คัดลอกแล้ว'; i++) await page.waitForTimeout(100);
    check((await copy.textContent()) === 'คัดลอกแล้ว', 'the copy button says it copied');
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    check(copied === await firstLink.getAttribute('href') && copied.startsWith(`${base}/s/`),
          `the copy button puts the link on the clipboard (${copied})`);
    await toYear(w);
    check(await page.inputValue('#staff_population') === '37', 'the year keeps its settings');
    await pageChecks(w, 'year');
    // the snippet for the agency's website (OIT item O43): a link and the code, nothing external
    const eit = page.locator('#year-links li:has(#yl-EIT)');
    const eitUrl = await text(eit.locator('a.yl'));
    const snippet = await page.request.get(base + await eit.locator('a[href*="format=html"]').getAttribute('href'));
    const html = await snippet.text();
    check(snippet.status() === 200 && html.includes(`href="${eitUrl}"`) && !/\bsrc(set)?=|<script|<link|<img|url\(/i.test(html),
          `the website snippet links the EIT survey and loads nothing from elsewhere (${html.length} chars)`);
    await Promise.all([page.waitForURL(/instrument=EIT/), page.locator('nav.ym a[href*="instrument=EIT"]').click()]);
    check((await text(page.locator('h1'))).includes('(EIT)') && await page.locator('#import-form input[type=file]').count() === 1,
          'the stakeholder (EIT) list page has its own upload form');
    await pageChecks(w, 'contacts-eit');
    await Promise.all([page.waitForURL(/\/admin\/contacts\?/), page.locator('nav.ym a[href*="instrument=IIT"]').click()]);
    await page.setInputFiles('#file', env.ITA_STAFF_CSV);
    await Promise.all([page.waitForURL(/\/admin\/contacts\/import/), page.locator('#import-form button[type=submit]').click()]);
    const again = await text(page.locator('#import-summary'));
    check(/นำเข้าใหม่ 0 รายชื่อ/.test(again) && /มีอยู่แล้วในระบบ 4 รายชื่อ/.test(again),
          `the same list again adds nobody ("${again}")`);
    await pageChecks(w, 'import-again');
    await page.goto(`${base}/admin/contacts?${scope}&instrument=IIT`);
    check((await text(page.locator('#contact-counts'))).includes('มีรายชื่อ 4 รายชื่อ'), 'still four contacts');
    await pageChecks(w, 'contacts');

    // reissue Malee's link: the old one is refused, the new one opens
    const row = page.locator('#contacts tbody tr', { hasText: 'นางมาลี ศรีสุข' });
    // first a page that says whose link is replaced and asks; nothing changes until confirmed
    await Promise.all([page.waitForURL(/\/admin\/links\/reissue\?contact=/), row.locator('a[href*="/admin/links/reissue?"]').click()]);
    const whose = await text(page.locator('#reissue-whose'));
    check(whose.includes('นางมาลี ศรีสุข') && whose.includes('malee@thakhaopluak.go.th'), `the confirmation names whose link is replaced ("${whose}")`);
    check((await text(page.locator('#reissue-effects'))).includes('ลิงก์เดิมที่ส่งไปแล้วจะใช้ไม่ได้ทันที'), 'the confirmation says the old link stops working');
    await pageChecks(w, 'reissue-confirm');
    await Promise.all([page.waitForURL(/\/admin\/links\/reissue$/), page.locator('#reissue-form button[type=submit]').click()]);
    check((await text(page.locator('#reissued-whose'))).includes('ลิงก์ใหม่ของ นางมาลี ศรีสุข'), 'the new link is said to be Malee\'s');
    const newLink = await text(page.locator('#new-link'));
    check(newLink.startsWith(`${base}/t/`) && newLink !== links['นางมาลี ศรีสุข'], `a new personal link (${newLink})`);
    await pageChecks(w, 'reissued');
    {
      const r = await newWatchedContext(browser, 1280, 900);
      r.expectStatus(410);
      const old = await r.page.goto(links['นางมาลี ศรีสุข']);
      check(old.status() === 410 && (await text(r.page.locator('h1'))).includes('ยกเลิก'), `the old link is refused (${old.status()})`);
      r.expectStatus(null);
      const fresh = await r.page.goto(newLink);
      check(fresh.status() === 200 && await r.page.locator('input[type=radio]').count() > 0, `the new link opens the form (${fresh.status()})`);
      checkWatch(r, 'reissued link');
      await r.ctx.close();
    }
    await page.goto(`${base}/admin/progress?${scope}`);
    check(/ออกแล้ว 4 ใช้ตอบแล้ว 1/.test(await text(page.locator('#progress-IIT'))), 'progress after the reissue: still 4 issued, 1 spent');
    await pageChecks(w, 'progress');

    // scores while the window is open: none, and the page says in Thai why and until when
    await page.goto(`${base}/admin/results?agency=${agency}&year=2566`);
    const why = await text(page.locator('#suppressed-IIT'));
    check(/ยังเปิดรับคำตอบถึงวันที่ \d{1,2} [ก-๙.]+ \d{4}/.test(why) && /หลังปิดรับ/.test(why),
          `results while open: IIT scores withheld until the close, said in Thai ("${why.slice(0, 90)}")`);
    await pageChecks(w, 'results-open');

    // the instrument versions are the system administrators': refused in Thai
    check(await page.locator('nav a[href="/admin/instruments"]').count() === 0, 'an agency administrator\'s bar has no instrument link');
    w.expectStatus(403);
    const refused = await page.goto(`${base}/admin/instruments`);
    w.expectStatus(null);
    check(refused.status() === 403 && (await text(page.locator('[role=alert]'))).includes('เฉพาะผู้ดูแลระบบ'),
          `an agency administrator at /admin/instruments: 403 in Thai (${refused.status()})`);

    // sign out: the session is gone
    await Promise.all([page.waitForURL(/\/admin\/login/), page.locator('#logout button').click()]);
    await page.goto(`${base}/admin/`);
    check(page.url() === `${base}/admin/login`, 'after signing out, the admin pages ask to sign in again');
    checkWatch(w, 'desktop walk');
    await w.ctx.close();
  }

  // ---- 3. A system administrator's instrument versions, on a phone and on a desktop ----
  let draftUrl = null;
  for (const [width, height] of [[360, 780], [1280, 900]]) {
    const w = await newWatchedContext(browser, width, height);
    const page = w.page;
    await signIn(w, env.ITA_SYS_EMAIL, env.ITA_SYS_PASSWORD);
    await Promise.all([page.waitForURL(/\/admin\/instruments$/), page.locator('nav a[href="/admin/instruments"]').click()]);
    const y2566 = await text(page.locator('#fy-2566'));
    check(y2566.includes('ฉบับที่ 1') && y2566.includes('30 ข้อ (51 ช่องคำตอบ)') && y2566.includes('มีข้อมูลที่ยังไม่ยืนยัน 18 รายการ'),
          `the list shows 2566: revision, counts, 18 unconfirmed (e4 answers ไม่เคย/เคย included) items ("${y2566.slice(0, 160)}")`);
    check(/บันทึกเมื่อ \d{1,2} [ก-๙.]+ \d{4}/.test(y2566), 'the list dates the version in Thai');
    await pageChecks(w, 'instruments');
    if (!draftUrl) {
      // a malformed file: every line of the loader's message in a list, nothing stored
      await page.setInputFiles('#file', env.ITA_BAD_INSTRUMENT);
      w.expectStatus(422);
      const [bad] = await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.locator('#upload-form button[type=submit]').click()]);
      w.expectStatus(null);
      const errs = await page.$$eval('#upload-error-list li', (lis) => lis.map((li) => li.textContent.trim()));
      check(bad.status() === 422 && errs.length >= 1 && errs.every((e) => e.startsWith('bad-instrument.json: ')),
            `a malformed file: 422, each error of the loader a list item with the file and JSON path (${errs.join(' | ').slice(0, 200)})`);
      check(await page.locator('#no-drafts').count() === 1, 'after the malformed file there is still no draft');
      await pageChecks(w, 'instruments-error');
      // the six-level fixture: checked and kept as a draft
      await page.setInputFiles('#file', env.ITA_FIXTURE);
      await Promise.all([page.waitForURL(/\/admin\/instruments\/draft\?id=\d+$/), page.locator('#upload-form button[type=submit]').click()]);
      draftUrl = page.url();
    } else {
      // the phone's draft, from the list
      await Promise.all([page.waitForURL(/\/admin\/instruments\/draft\?id=/), page.locator('#drafts a').first().click()]);
      check(page.url() === draftUrl, `the list links the draft (${page.url()})`);
    }
    check(await page.getAttribute('#decision', 'data-outcome') === 'new', 'the draft: publishing would add fiscal year 2567');
    const items = await page.locator('#unverified li').count();
    check(items > 0 && (await text(page.locator('#unverified-h'))).includes(`(${items} รายการ)`),
          `the draft lists its ${items} unconfirmed items`);
    await pageChecks(w, 'instrument-draft');
    for (const inst of ['IIT', 'EIT']) {
      await Promise.all([page.waitForURL(new RegExp(`preview\\?draft=\\d+&instrument=${inst}`)),
                         page.locator(`#draft-actions a[href*="instrument=${inst}"]`).click()]);
      check((await text(page.locator('main .nc'))).startsWith('ตัวอย่าง — คำตอบจะไม่ถูกบันทึก'), `${inst} preview: the Thai banner first`);
      const sizes = await page.$$eval('.r', (rs) => rs.map((r) => r.querySelectorAll('input[type=radio]').length));
      check(sizes.length > 0 && sizes.includes(6), `${inst} preview: the six-level questions have six options (${[...new Set(sizes)].join(', ')})`);
      await pageChecks(w, `instrument-preview-${inst.toLowerCase()}`);
      if (width === 360) {
        // answered and sent: checked like a real submission, shown, not stored
        await answerAll(page);
        await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.click('#sb')]);
        check((await text(page.locator('h1'))).includes('ตัวอย่างเท่านั้น ไม่ได้บันทึก'), `${inst} preview answered: "not stored" page`);
        check(await page.locator('#preview-answers tbody tr').count() > 0, `${inst} preview answered: the chosen levels and points`);
        await pageChecks(w, `instrument-preview-done-${inst.toLowerCase()}`);
      }
      await page.goto(draftUrl);
    }
    if (width === 1280) {
      await Promise.all([page.waitForURL(/\/admin\/instruments\/publish\?id=/), page.locator('#publish-link').click()]);
      check(await page.locator('#publish-form').count() === 1, 'publishing asks for a confirmation first');
      await pageChecks(w, 'instrument-confirm');
      await Promise.all([page.waitForURL(/published=2567/), page.locator('#publish-form button[type=submit]').click()]);
      check((await text(page.locator('#flash'))).includes('เผยแพร่แบบวัดปีงบประมาณ 2567'), 'published: the list says so');
      check(await page.locator('#fy-2567').count() === 1 && await page.locator('#no-drafts').count() === 1,
            'the year is listed and the draft is gone');
      await pageChecks(w, 'instruments-published');
    }
    checkWatch(w, `instrument pages @${width}`);
    await w.ctx.close();
  }
} finally {
  await browser.close();
}
console.log(failures === 0 ? 'admin browser test: all checks passed' : `admin browser test: ${failures} check(s) failed`);
process.exit(failures === 0 ? 0 : 1);
