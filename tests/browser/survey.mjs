// Browser test of the respondent pages in Debian's Chromium, driven by playwright-core.
// Environment: ITA_EIT_URL, ITA_PERSONAL_URL (links from `itad --demo`), ITA_SHOTS_DIR.
// Exits non-zero on the first failed check; run_browser_test.sh then checks the database.
import { chromium } from 'playwright-core';
import { checkA11y } from './a11y.mjs';
import { mkdirSync } from 'node:fs';

const eitUrl = process.env.ITA_EIT_URL;
const personalUrl = process.env.ITA_PERSONAL_URL;
const shots = process.env.ITA_SHOTS_DIR;
if (!eitUrl || !personalUrl || !shots) {
  console.error('survey.mjs: set ITA_EIT_URL, ITA_PERSONAL_URL and ITA_SHOTS_DIR');
  process.exit(2);
}
mkdirSync(shots, { recursive: true });

let failures = 0;
function check(ok, what) {
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}`);
  if (!ok) failures++;
}

// Chooses, in every radio group, the option at `pick(levels)`; skips the groups in `skip`.
async function answerAll(page, skip = []) {
  const names = await page.$$eval('input[type=radio]', (els) => [...new Set(els.map((e) => e.name))]);
  for (const name of names) {
    if (skip.includes(name)) continue;
    const options = page.locator(`input[type=radio][name="${name}"]`);
    const n = await options.count();
    // click the label, as a person would; the last option is always a valid answer
    const id = await options.nth(n - 1).getAttribute('id');
    await page.locator(`label[for="${id}"]`).click();
  }
  return names.length;
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
         '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
try {
  // 1. A citizen on a 360 px phone answers every EIT question and submits.
  {
    const ctx = await browser.newContext({ viewport: { width: 360, height: 780 }, ignoreHTTPSErrors: true,
                                           javaScriptEnabled: true, locale: 'th-TH' });
    const page = await ctx.newPage();
    const external = [];
    page.on('request', (r) => { if (!r.url().startsWith(new URL(eitUrl).origin)) external.push(r.url()); });
    const resp = await page.goto(eitUrl);
    check(resp.status() === 200, `EIT form answers 200 (got ${resp.status()})`);
    check(await page.getAttribute('html', 'lang') === 'th', 'page is lang="th"');
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    check(width <= 360, `no horizontal scrolling at 360 px (content width ${width})`);
    await checkA11y(page, 'eit-form-360', check);
    await page.screenshot({ path: `${shots}/eit-form-360.png`, fullPage: true });
    const groups = await answerAll(page);
    check(groups === 19, `EIT has 19 answer fields (found ${groups})`);
    // wait for the POST's own page: the form is already 'load'ed, so waiting for that state
    // alone could read the form while a slow server still answers (here and below)
    await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.click('#sb')]);
    const h1 = (await page.textContent('h1')) || '';
    check(h1.includes('ขอบคุณที่ตอบแบบสำรวจ'), `thank-you page shown ("${h1.trim()}")`);
    await checkA11y(page, 'eit-thanks-360', check);
    await page.screenshot({ path: `${shots}/eit-thanks-360.png`, fullPage: true });
    check(external.length === 0, `no request left the server's origin (${external.join(', ') || 'none'})`);
    await ctx.close();
  }
  // 2. On a 1280 px screen, one question left out: the Thai error comes back, answers kept.
  {
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 }, ignoreHTTPSErrors: true });
    const page = await ctx.newPage();
    await page.goto(eitUrl);
    await checkA11y(page, 'eit-form-1280', check);
    await page.screenshot({ path: `${shots}/eit-form-1280.png`, fullPage: true });
    check(await page.locator('#sf[data-keep]').count() === 0 && await page.locator('#kn').count() === 0,
          'the EIT form (often on a shared device at a counter) keeps nothing in the browser');
    await answerAll(page, ['e7.1']);
    // no native "Please select one of these options." bubble: the form goes to the server,
    // whose Thai message is the first and only one (the click would not submit otherwise)
    await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.click('#sb')]);
    const summary = (await page.textContent('#es')) || '';
    check(summary.includes('ยังตอบไม่ครบ 1 ข้อ'), `error summary in Thai ("${summary.trim().slice(0, 40)}")`);
    const err = (await page.textContent('#er-e7')) || '';
    check(err.includes('กรุณาตอบข้อนี้'), 'message beside the missing question e7');
    const checked = await page.$$eval('input[type=radio]:checked', (els) => els.length);
    check(checked === 18, `the other 18 answers are kept (${checked} checked)`);
    const focused = await page.evaluate(() => document.activeElement && document.activeElement.id);
    check(focused === 'es', `focus moved to the error summary (${focused})`);
    await checkA11y(page, 'eit-error-1280', check);
    await page.screenshot({ path: `${shots}/eit-error-1280.png`, fullPage: true });
    // now answer it and send: stored
    await page.locator('label[for="e7.1-3"]').click();
    await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.click('#sb')]);
    check(((await page.textContent('h1')) || '').includes('ขอบคุณ'), 'after completing it, thank-you page');
    await ctx.close();
  }
  // 3. A staff member uses a personal IIT link, then opens it again.
  {
    const ctx = await browser.newContext({ viewport: { width: 360, height: 780 }, ignoreHTTPSErrors: true });
    const page = await ctx.newPage();
    const r1 = await page.goto(personalUrl);
    check(r1.status() === 200, 'personal IIT form answers 200');
    await checkA11y(page, 'iit-form-360', check);
    await page.screenshot({ path: `${shots}/iit-form-360.png`, fullPage: true });
    // interrupted after three answers: they come back on this device only, until sent or cleared
    const names = await page.$$eval('input[type=radio]', (els) => [...new Set(els.map((e) => e.name))]);
    for (const name of names.slice(0, 3))
      await page.locator(`label[for="${name}-1"]`).click();
    check(await page.isVisible('#kn'), 'the IIT form says unsent answers stay in this browser only');
    await page.goto(personalUrl);
    const restored = await page.$$eval('input[type=radio]:checked', (els) => els.map((e) => `${e.name}=${e.value}`));
    check(restored.join(' ') === names.slice(0, 3).map((n) => `${n}=1`).join(' '),
          `the three unsent answers are restored after reopening the link (${restored.join(' ')})`);
    check(await page.isVisible('#kp') && ((await page.textContent('#pg')) || '').includes('ตอบแล้ว'),
          'a note says the answers were restored from this device');
    await checkA11y(page, 'iit-restored-360', check);
    await page.screenshot({ path: `${shots}/iit-restored-360.png`, fullPage: true });
    await page.click('#kc');
    check(await page.$$eval('input[type=radio]:checked', (els) => els.length) === 0 && !(await page.isVisible('#kp')),
          'clearing them empties the form and the note goes');
    await page.locator(`label[for="${names[0]}-2"]`).click();
    const groups = await answerAll(page);
    check(groups === 51, `IIT has 51 answer fields (found ${groups})`);
    await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.click('#sb')]);
    check(((await page.textContent('h1')) || '').includes('ขอบคุณ'), 'personal link: thank-you page');
    const kept = await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('ita-keep:')));
    check(kept.length === 0, `nothing of the answers is left in the browser after sending (${kept.join(', ') || 'none'})`);
    const r2 = await page.goto(personalUrl);
    const h1 = (await page.textContent('h1')) || '';
    check(r2.status() === 409 && h1.includes('ลิงก์นี้ใช้ตอบแบบสำรวจแล้ว'),
          `second use: "already answered" (${r2.status()} "${h1.trim()}")`);
    await checkA11y(page, 'iit-already-360', check);
    await page.screenshot({ path: `${shots}/iit-already-360.png`, fullPage: true });
    await ctx.close();
  }
  // 4a. The site root and an unknown address: Thai pages, not English plain text.
  {
    const ctx = await browser.newContext({ viewport: { width: 360, height: 780 }, ignoreHTTPSErrors: true, locale: 'th-TH' });
    const page = await ctx.newPage();
    const origin = new URL(eitUrl).origin;
    const home = await page.goto(`${origin}/`);
    check(home.status() === 200 && await page.getAttribute('html', 'lang') === 'th', `/ is a Thai page (${home.status()})`);
    check(await page.locator('a[href="/admin/login"]').count() === 1, '/ leads staff to the sign-in');
    await checkA11y(page, 'home-360', check);
    await page.screenshot({ path: `${shots}/home-360.png`, fullPage: true });
    const missing = await page.goto(`${origin}/s-typo`);
    check(missing.status() === 404 && (await page.textContent('h1')).includes('ไม่พบหน้าที่ต้องการ'), `an unknown address: Thai 404 page (${missing.status()})`);
    await checkA11y(page, 'not-found-360', check);
    await page.screenshot({ path: `${shots}/not-found-360.png`, fullPage: true });
    await ctx.close();
  }
  // 4. With JavaScript off the form still works.
  {
    const ctx = await browser.newContext({ viewport: { width: 360, height: 780 }, ignoreHTTPSErrors: true,
                                           javaScriptEnabled: false });
    const page = await ctx.newPage();
    await page.goto(eitUrl);
    await answerAll(page);
    await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.click('#sb')]);
    check(((await page.textContent('h1')) || '').includes('ขอบคุณ'), 'JavaScript off: submitted and thanked');
    await ctx.close();
  }
} finally {
  await browser.close();
}
console.log(failures === 0 ? 'browser test: all checks passed' : `browser test: ${failures} check(s) failed`);
process.exit(failures === 0 ? 0 : 1);
