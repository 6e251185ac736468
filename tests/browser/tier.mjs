// Browser test of a fiscal year rated with the tiers (2568), in Debian's Chromium through
// playwright-core; run_tier_browser_test.sh drives it in two phases.
//   ITA_PHASE=answer: a system administrator sets up the agency's 2568 year on the web admin
//     (window, staff and stakeholder counts), reads its IIT and EIT links; on a 360 px phone
//     three staff answer the six-level IIT form (every answer the best one) and three citizens
//     the EIT form (every six-level answer at its fifth level, 80 points; yes/no and
//     never/ever items at their best).
//   ITA_PHASE=results: after the window has closed, the 33 OIT items are marked as met; with 3
//     answers of 40 staff and 100 stakeholders the results are preliminary (a banner naming the
//     minimums, no tier, block or plan, the JSON export's rating null); once the populations are
//     3 and 3 (everyone answered) the results page and the report show the tier ผ่าน, that EIT
//     (84.44 < 85.00) keeps the agency from ผ่านดี, what each tool must gain for ผ่านดี and
//     ผ่านดีเยี่ยม, and the year's rating rule.
// Every page: lang="th", no horizontal scrolling, axe-core WCAG 2.1 A/AA, a screenshot.
// Environment: ITA_PHASE, ITA_BASE, ITA_AGENCY, ITA_EMAIL, ITA_PASSWORD, ITA_SHOTS_DIR,
// ITA_INSTRUMENT_FILE, ITA_OPENS, ITA_CLOSES, ITA_DB (libpq connection string of the test's
// database: the results phase changes the populations there).
import { chromium } from 'playwright-core';
import { mkdirSync, readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { checkA11y } from './a11y.mjs';

const env = process.env;
const { ITA_BASE: base, ITA_AGENCY: agency, ITA_SHOTS_DIR: shots } = env;
for (const k of ['ITA_PHASE', 'ITA_BASE', 'ITA_AGENCY', 'ITA_EMAIL', 'ITA_PASSWORD', 'ITA_SHOTS_DIR', 'ITA_INSTRUMENT_FILE']) {
  if (!env[k]) { console.error(`tier.mjs: set ${k}`); process.exit(2); }
}
mkdirSync(shots, { recursive: true });
let failures = 0;
function check(ok, what) {
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}`);
  if (!ok) failures++;
  return ok;
}

// The instrument file tells the test each field's scale and polarity, so that it can choose the
// answer worth the points it wants (the form does not reveal polarity, as it should not).
const version = JSON.parse(readFileSync(env.ITA_INSTRUMENT_FILE, 'utf8'));
function fieldsOf(code) {
  const inst = version.instruments.find((i) => i.code === code);
  return inst.questions.flatMap((q) => q.fields.map((f) => ({
    code: f.code, polarity: f.polarity, levels: version.scales[f.scale].labels_th.length,
    labels: version.scales[f.scale].labels_th,
  })));
}
// The level earning the best points, or on six levels the one earning 80 (the second best).
function levelFor(f, secondBest) {
  const best = f.polarity === 'negative' ? 0 : f.levels - 1;
  if (!secondBest || f.levels < 6) return best;
  return f.polarity === 'negative' ? 1 : f.levels - 2;
}

async function pageChecks(page, name, width) {
  const label = `${name} @${width}`;
  check(await page.getAttribute('html', 'lang') === 'th', `${label}: lang="th"`);
  const scroll = await page.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]);
  check(scroll[0] <= scroll[1], `${label}: no horizontal scrolling (${scroll[0]} px in ${scroll[1]} px)`);
  await checkA11y(page, label, check);
  await page.screenshot({ path: `${shots}/tier-${name}-${width}.png`, fullPage: true });
}

async function signIn(page) {
  await page.goto(`${base}/admin/login`);
  await page.fill('#email', env.ITA_EMAIL);
  await page.fill('#password', env.ITA_PASSWORD);
  await Promise.all([page.waitForURL(`${base}/admin/`), page.click('button[type=submit]')]);
}

// Opens `url`, answers every field as chosen, sends, and expects the thank-you page.
async function answer(page, url, fields, secondBest, name, shoot) {
  const resp = await page.goto(url);
  check(resp.status() === 200, `${name}: the form answers 200 (got ${resp.status()})`);
  const groups = await page.$$eval('input[type=radio]', (els) => [...new Set(els.map((e) => e.name))]);
  check(groups.length === fields.length, `${name}: ${fields.length} answer fields (found ${groups.length})`);
  for (const f of fields) {
    const shown = await page.$$eval(`input[type=radio][name="${f.code}"]`, (els) => els.map((e) => e.labels[0].textContent.trim()));
    if (shown.length !== f.levels || shown.some((t, i) => !t.includes(f.labels[i]))) {
      check(false, `${name}: ${f.code} shows the file's ${f.levels} labels in order (${shown.join(' / ')})`);
    }
    const id = await page.locator(`input[type=radio][name="${f.code}"][value="${levelFor(f, secondBest)}"]`).getAttribute('id');
    await page.locator(`label[for="${id}"]`).click();
  }
  if (shoot) await pageChecks(page, `${name}-form`, 360);
  // the POST's own page (the form is already 'load'ed: waiting for that state could read it)
  await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.click('#sb')]);
  const h1 = (await page.textContent('h1')) || '';
  check(h1.includes('ขอบคุณ'), `${name}: thank-you page ("${h1.trim()}")`);
  if (shoot) await pageChecks(page, `${name}-thanks`, 360);
}

const browser = await chromium.launch({
  executablePath: env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
         '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
try {
  if (env.ITA_PHASE === 'answer') {
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 }, ignoreHTTPSErrors: true, locale: 'th-TH' });
    const page = await ctx.newPage();
    await signIn(page);
    await page.goto(`${base}/admin/agency?id=${agency}`);
    check(await page.locator('#years li', { hasText: '2568' }).count() === 1, 'the agency page lists fiscal year 2568');
    await pageChecks(page, 'agency', 1280);
    await page.goto(`${base}/admin/year?agency=${agency}&fy=2568`);
    await page.fill('#opens_on', env.ITA_OPENS);
    await page.fill('#closes_on', env.ITA_CLOSES);
    await page.fill('#staff_population', '40');
    await page.fill('#eit_population', '100');
    // today's window is outside fiscal year 2568: the year page asks to confirm it first
    await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.locator('#year-form button[type=submit]').click()]);
    check(await page.locator('#window-warning').count() === 1, 'a window outside 2568 is saved only once confirmed');
    await page.check('#confirm');
    await Promise.all([page.waitForURL(/saved=1/), page.locator('#year-form button[type=submit]').click()]);
    check(await page.locator('#year-links li').count() === 2, 'the saved 2568 year has an IIT and an EIT link');
    await pageChecks(page, 'year', 1280);
    const iitUrl = (await page.locator('#yl-IIT').textContent()).trim();
    const eitUrl = (await page.locator('#yl-EIT').textContent()).trim();
    await ctx.close();

    const iit = fieldsOf('IIT');
    const eit = fieldsOf('EIT');
    check(iit.length === 15 && eit.length === 9, `2568: IIT 15 and EIT 9 fields (${iit.length}, ${eit.length})`);
    for (let i = 1; i <= 3; i++) {
      const phone = await browser.newContext({ viewport: { width: 360, height: 780 }, ignoreHTTPSErrors: true, locale: 'th-TH' });
      const p = await phone.newPage();
      await answer(p, iitUrl, iit, false, 'iit', i === 1);
      await answer(p, eitUrl, eit, true, 'eit', i === 1);
      await phone.close();
    }
  } else {
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 }, ignoreHTTPSErrors: true, locale: 'th-TH' });
    const page = await ctx.newPage();
    await signIn(page);
    await page.goto(`${base}/admin/results?agency=${agency}&year=2568`);
    const met = page.locator('#oit input[type=radio][value="1"]');
    check(await met.count() === 33, `33 OIT items in the form (${await met.count()})`);
    for (const r of await met.all()) await r.check();
    await Promise.all([page.waitForURL(/\/admin\/results/), page.click('#oit button[type=submit]')]);
    // 3 answers each of 40 staff (minimum 25) and 100 stakeholders (minimum 30): preliminary,
    // every score shown but no tier, block or plan, on the page, the report and the export
    const banner = (await page.locator('#preliminary').innerText()).replace(/\s+/g, ' ');
    check(banner.includes('IIT 3 จาก 25 คำตอบขั้นต่ำ') && banner.includes('EIT 3 จาก 30 คำตอบขั้นต่ำ') && !banner.includes('OIT'),
          `preliminary: the minimums not met ("${banner}")`);
    const pv = (await page.locator('#verdict').innerText()).replace(/\s+/g, ' ');
    check(pv.includes('คะแนนรวมเบื้องต้น 95.33') && !/ระดับ ผ่าน|ผ่านเกณฑ์/.test(pv), `preliminary: the total without a tier ("${pv}")`);
    check(await page.locator('#grade, #blocked, #tool-plans').count() === 0, 'preliminary: no tier, block or plan');
    await pageChecks(page, 'results-prelim', 1280);
    await page.setViewportSize({ width: 360, height: 780 });
    await pageChecks(page, 'results-prelim', 360);
    await page.goto(`${base}/admin/report?agency=${agency}&year=2568`);
    check(await page.locator('#preliminary').count() === 1 && await page.locator('#grade, #blocked, #tool-plans').count() === 0,
          'preliminary report: the banner, no tier, block or plan');
    await pageChecks(page, 'report-prelim', 360);
    await page.setViewportSize({ width: 1280, height: 900 });
    const pj = await (await page.request.get(`${base}/admin/export?year=2568&format=json&agency=${agency}`)).text();
    check(/"preliminary": true/.test(pj) && /"rating": null/.test(pj) && /"minimums_not_met": "IIT 3\/25; EIT 3\/30"/.test(pj),
          'the JSON export: preliminary, rating null, which minimums');
    // a small agency: 3 staff and 3 stakeholders, all of whom answered: every minimum met
    execFileSync('psql', [env.ITA_DB, '-qX', '-v', 'ON_ERROR_STOP=1', '-c',
      'UPDATE agency_year SET staff_population = 3, eit_population = 3 WHERE fiscal_year = 2568']);
    await page.goto(`${base}/admin/results?agency=${agency}&year=2568`);
    check(await page.locator('#preliminary').count() === 0, 'every minimum met: no preliminary banner');
    const verdict = (await page.locator('#verdict').innerText()).replace(/\s+/g, ' ');
    // IIT 100; EIT: (80 + 80 + 100) / 3 = 86.67, 80, 86.67 -> 84.44; OIT 100; total 30 + 25.33
    // + 40 = 95.33: ผ่าน, not ผ่านดี because EIT < 85.
    check(/คะแนนรวม 95\.33 คะแนน ระดับ ผ่าน \(ผ่านเกณฑ์ 85\.00 คะแนน\)/.test(verdict), `verdict: 95.33, ผ่าน ("${verdict}")`);
    const blocked = (await page.locator('#blocked').innerText()).replace(/\s+/g, ' ');
    check(blocked.includes('EIT 84.44 < 85.00') && blocked.includes('ได้ระดับ ผ่าน ไม่ถึงระดับ ผ่านดี'),
          `the blocking tool and by how much ("${blocked}")`);
    const plans = await page.locator('#tool-plans li').allInnerTexts();
    check(plans.length === 2 && plans[0].includes('ผ่านดี:') && plans[0].includes('EIT ต้องเพิ่มอีก 0.56 (เป็น 85.00)')
          && plans[1].includes('ผ่านดีเยี่ยม') && plans[1].includes('EIT ต้องเพิ่มอีก 10.56 (เป็น 95.00)'),
          `the rise per tool for ผ่านดี and ผ่านดีเยี่ยม (${plans.join(' | ')})`);
    check(await page.locator('#rating-rule tbody tr').count() === 5, 'the year\'s five rating levels are shown');
    await pageChecks(page, 'results', 1280);
    await page.setViewportSize({ width: 360, height: 780 });
    await pageChecks(page, 'results', 360);
    await page.setViewportSize({ width: 1280, height: 900 });
    const resp = await page.goto(`${base}/admin/report?agency=${agency}&year=2568`);
    check(resp.status() === 200, 'the report answers 200');
    const rv = (await page.locator('#verdict').innerText()).replace(/\s+/g, ' ');
    check(rv.includes('ระดับ ผ่าน') && (await page.locator('#blocked').count()) === 1, `the report shows the tier and the block ("${rv}")`);
    await pageChecks(page, 'report', 1280);
    await page.setViewportSize({ width: 360, height: 780 });
    await pageChecks(page, 'report', 360);
    await page.setViewportSize({ width: 1280, height: 900 });
    const json = await (await page.request.get(`${base}/admin/export?year=2568&format=json&agency=${agency}`)).text();
    check(/"rating": "ผ่าน"/.test(json) && /"blocked": \{"level": "ผ่านดี", "tools": \["EIT"\]\}/.test(json),
          `the JSON export carries the rating and the block (${json.slice(0, 80).replace(/\n/g, ' ')}…)`);
  }
} finally {
  await browser.close();
}
console.log(failures === 0 ? `tier browser test (${env.ITA_PHASE}): all checks passed` : `tier browser test: ${failures} check(s) failed`);
process.exit(failures === 0 ? 0 : 1);
