// Browser test of copying an earlier year's set-up and of the year's form previews, in Debian's
// Chromium driven by playwright-core. An agency administrator whose fiscal year 2569 is set up
// opens 2570's year page (not set up): it offers "use the settings of fiscal year 2569"; the
// offer pre-fills the form with 2569's window a year later (Thai d/m/BE) and its populations,
// says what was copied, and saves nothing (at 1280 px the clerk leaves, and the year is still not
// set up); at 360 px the clerk copies again and saves (confirming the warning when the shifted
// window has already passed). Then the year's IIT (1280) and EIT (360) previews: the form as
// respondents see it with the agency's own name under the "not stored" banner, not cached, its
// form posting to the administrators' route; one answer sent brings the Thai missing-answers
// summary back, all answers sent show the "not stored" result. Another agency's year cannot be
// previewed. On every page: lang="th", no horizontal scrolling, axe-core WCAG 2.1 A/AA, a
// full-page screenshot yearcopy-<name>-<width>.png. The wrapper checks the database afterwards.
import { harness } from './harness.mjs';

const env = process.env;
const need = ['ITA_BASE', 'ITA_AGENCY', 'ITA_OTHER', 'ITA_EMAIL', 'ITA_PASSWORD', 'ITA_SHOTS_DIR'];
if (need.some((k) => !env[k])) {
  console.error(`yearcopy.mjs: set ${need.join(', ')}`);
  process.exit(2);
}
const base = env.ITA_BASE, agency = env.ITA_AGENCY, shots = env.ITA_SHOTS_DIR;
const h = harness({ base, shots, prefix: 'yearcopy' });
const { check, text, pageChecks } = h;
const yearUrl = `${base}/admin/year?agency=${agency}&fy=2570`;

// A watched context (harness.mjs); the refused forms' statuses are expected.
const newPage = (browser, width, height) => h.context(browser, width, height, { locale: 'en-US', allow: [404, 422] });

async function signIn(w) {
  const page = w.page;
  await page.goto(`${base}/admin/login`);
  await page.locator('label[for="email"]').click();
  await page.keyboard.type(env.ITA_EMAIL);
  await page.keyboard.press('Tab');
  await page.keyboard.type(env.ITA_PASSWORD);
  await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.keyboard.press('Enter')]);
  if (!check(page.url() === `${base}/admin/`, `signed in (${page.url()})`)) throw new Error('sign-in refused');
}

// 2570's page, not set up: the offer, then the form pre-filled by it.
async function copyPrevious(w) {
  const page = w.page;
  await page.goto(yearUrl);
  check(await page.getAttribute('#window-state', 'data-state') === '0', `@${w.width}: 2570 is not set up yet`);
  const offer = page.locator('#copy-previous');
  check((await text(offer)) === 'ใช้การตั้งค่าจากปีงบประมาณ 2569', `@${w.width}: the page offers "${await text(offer)}"`);
  check(await page.inputValue('#opens_on') === '' && await page.inputValue('#staff_population') === '',
        `@${w.width}: before the copy the form is empty`);
  await pageChecks(w, 'offer');
  await Promise.all([page.waitForURL(/copy=2569/), offer.click()]);
  const values = {};
  for (const f of ['opens_on', 'closes_on', 'staff_population', 'eit_population']) values[f] = await page.inputValue(`#${f}`);
  check(values.opens_on === '1/11/2569' && values.closes_on === '31/1/2570',
        `@${w.width}: the window shifted a year, d/m/BE (${values.opens_on} – ${values.closes_on})`);
  check(values.staff_population === '48' && values.eit_population === '1200',
        `@${w.width}: the populations copied (${values.staff_population}, ${values.eit_population})`);
  const note = await text(page.locator('#copy-note'));
  check(note.includes('คัดลอกการตั้งค่าจากปีงบประมาณ 2569') && note.includes('ยังไม่ได้บันทึก') &&
        note.includes('1 พ.ย. 2568') && note.includes('31 ม.ค. 2569') && note.includes('กด "บันทึก"'),
        `@${w.width}: the note says what was copied and that nothing is saved yet`);
  check(await page.getAttribute('#window-state', 'data-state') === '0' && await page.locator('#copy-previous').count() === 0,
        `@${w.width}: still not set up; the offer is not repeated`);
  await pageChecks(w, 'copied');
}

// The year's preview of inst: answered once (missing answers), then fully (not stored).
async function preview(w, inst) {
  const page = w.page;
  await page.goto(yearUrl);
  const link = page.locator(`#year-preview a[href*="instrument=${inst}"]`);
  check((await text(link)) === `ดูตัวอย่างแบบสำรวจ ${inst}`, `@${w.width}: the year page links the ${inst} preview`);
  const [resp] = await Promise.all([page.waitForResponse((r) => r.url().includes('/admin/year/preview')), link.click()]);
  await page.waitForLoadState('load');
  const headers = resp.headers();
  check(resp.status() === 200 && /no-store/.test(headers['cache-control'] || ''), `${inst} preview: 200, not cached (${headers['cache-control']})`);
  check((await text(page.locator('main .nc'))).startsWith('ตัวอย่าง — คำตอบจะไม่ถูกบันทึก'), `${inst} preview: the Thai banner first`);
  check((await page.content()).includes('เทศบาลตำบลหนองแก้ว'), `${inst} preview: the agency's own name`);
  const action = await page.getAttribute('#sf', 'action');
  check(action.startsWith('/admin/year/preview?') && action.includes(`instrument=${inst}`),
        `${inst} preview: the form posts to the administrators' route (${action})`);
  check(await page.locator('#sf[data-keep]').count() === 0, `${inst} preview: keeps no answers in the browser`);
  await pageChecks(w, `preview-${inst.toLowerCase()}`);
  // one answer only
  const names = await page.$$eval('input[type=radio]', (els) => [...new Set(els.map((e) => e.name))]);
  const pick = async (name) => {
    const options = page.locator(`input[type=radio][name="${name}"]`);
    const id = await options.nth((await options.count()) - 1).getAttribute('id');
    await page.locator(`label[for="${id}"]`).click();
  };
  await pick(names[0]);
  const [missing] = await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.click('#sb')]);
  check(missing.status() === 422, `${inst} preview, one answer: 422 (${missing.status()})`);
  const summary = await text(page.locator('#es'));
  check(/ยังตอบไม่ครบ \d+ ข้อ/.test(summary), `${inst} preview, one answer: the Thai summary ("${summary.slice(0, 30)}")`);
  check(await page.$$eval('input[type=radio]:checked', (els) => els.length) === 1, `${inst} preview: the one answer is kept`);
  check((await text(page.locator('main .nc'))).startsWith('ตัวอย่าง — คำตอบจะไม่ถูกบันทึก'), `${inst} preview, one answer: still marked a preview`);
  await pageChecks(w, `preview-missing-${inst.toLowerCase()}`);
  for (const name of names.slice(1)) await pick(name);
  const [done] = await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.click('#sb')]);
  check(done.status() === 200 && (await text(page.locator('h1'))).includes('ตัวอย่างเท่านั้น ไม่ได้บันทึก'),
        `${inst} preview answered: the "not stored" page (${done.status()})`);
  check((await text(page.locator('#preview-done'))).includes('ระบบไม่ได้บันทึกคำตอบนี้'), `${inst} preview answered: says nothing was stored`);
  check(await page.locator('#preview-answers tbody tr').count() === names.length,
        `${inst} preview answered: every answer shown with its points (${names.length})`);
  await pageChecks(w, `preview-done-${inst.toLowerCase()}`);
}

const browser = await h.launch();
try {
  for (const [width, height] of [[1280, 900], [360, 740]]) {
    const w = await newPage(browser, width, height);
    const page = w.page;
    await signIn(w);
    await copyPrevious(w);
    if (width === 1280) {
      // leaving without saving saves nothing
      await page.goto(yearUrl);
      check(await page.getAttribute('#window-state', 'data-state') === '0', 'left without saving: 2570 still not set up');
    } else {
      await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.locator('#year-form button[type=submit]').click()]);
      if (await page.locator('#window-warning').count()) {
        // the shifted window has passed by the day this runs: confirmed, as the form asks
        await pageChecks(w, 'confirm');
        await page.locator('label[for="confirm"]').click();
        await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.locator('#year-form button[type=submit]').click()]);
      }
      check(/saved=1/.test(page.url()) && (await text(page.locator('[role=status]'))).includes('บันทึกแล้ว'), `saved (${page.url()})`);
      check((await text(page.locator('#window-state'))).includes('1 พ.ย. 2569 ถึง 31 ม.ค. 2570'), 'the saved window, in Thai');
      check(await page.inputValue('#opens_on') === '1/11/2569' && await page.inputValue('#eit_population') === '1200',
            'the form shows the saved settings');
      check(await page.locator('#copy-previous').count() === 0, 'a set-up year offers no copy');
      await pageChecks(w, 'saved');
    }
    await preview(w, width === 1280 ? 'IIT' : 'EIT');
    if (width === 360) {
      // another agency's year is out of this clerk's reach
      const other = await page.goto(`${base}/admin/year/preview?agency=${env.ITA_OTHER}&fy=2570&instrument=IIT`);
      check(other.status() === 404, `another agency's preview: 404 (${other.status()})`);
      await pageChecks(w, 'other-agency');
    }
    h.checkWatch(w, `@${width}`);
    await w.ctx.close();
  }
} finally {
  await browser.close();
}
console.log(h.failures() === 0 ? 'yearcopy browser test: all checks passed' : `yearcopy browser test: ${h.failures()} check(s) failed`);
process.exit(h.failures() === 0 ? 0 : 1);
