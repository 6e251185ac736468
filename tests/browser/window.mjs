// Browser test of the survey window on the year page (/admin/year) in Debian's Chromium, driven by
// playwright-core. An agency administrator, on a desktop screen and then on a 360 px phone, with
// the keyboard: finds the year "not set up"; meets a set-up error page that keeps the year's
// navigation and links back to the page it came from; types a closing day before the opening day
// (refused on the same page, 422, the message beside the field, aria-invalid, values kept) and a
// day that does not exist; saves a future window (its opening day in Thai digits) (the state says "not open yet — opens <Thai
// date> (in n days)"), then a current one typed half in CE and half in Buddhist Era (shown back
// as d/m/BE, "open — n days left"); on the phone a window wholly in the past is only saved after
// the warning is confirmed (then "closed"), a window in the next fiscal year is warned about and
// not saved, and the progress page shows the state too. Every date and count the page must show
// comes from the wrapper's own date arithmetic. On every page: lang="th", no horizontal
// scrolling, axe-core WCAG 2.1 A/AA, a full-page screenshot window-<name>-<width>.png.
import { harness } from './harness.mjs';

const env = process.env;
const need = ['ITA_BASE', 'ITA_AGENCY', 'ITA_EMAIL', 'ITA_PASSWORD', 'ITA_SHOTS_DIR', 'ITA_FY',
              'ITA_PAST_OPEN', 'ITA_PAST_CLOSE', 'ITA_PAST_CLOSE_TH', 'ITA_NEXT_OPEN', 'ITA_NEXT_CLOSE',
              'ITA_FUT_OPEN', 'ITA_FUT_CLOSE', 'ITA_FUT_OPEN_TH', 'ITA_FUT_DAYS', 'ITA_CUR_OPEN_CE',
              'ITA_CUR_OPEN', 'ITA_CUR_CLOSE', 'ITA_CUR_CLOSE_TH', 'ITA_CUR_DAYS'];
if (need.some((k) => !env[k])) {
  console.error(`window.mjs: set ${need.join(', ')}`);
  process.exit(2);
}
const base = env.ITA_BASE, agency = env.ITA_AGENCY, fy = env.ITA_FY, shots = env.ITA_SHOTS_DIR;
const h = harness({ base, shots, prefix: 'window' });
const { check, text, pageChecks } = h;
const yearUrl = `${base}/admin/year?agency=${agency}&fy=${fy}`;

// A watched context (harness.mjs); the refused forms' statuses are expected.
const newPage = (browser, width, height) => h.context(browser, width, height, { locale: 'en-US', allow: [409, 422] });

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

const focused = (page) => page.evaluate(() => document.activeElement && document.activeElement.id);

// The window typed with the keyboard: the opening day's label clicked, its text replaced, Tab to
// the closing day, replaced; Enter sends the form. Returns the response.
async function typeWindow(page, open, close) {
  await page.locator('label[for="opens_on"]').click();
  check(await focused(page) === 'opens_on', 'clicking the opening-day label focuses its field');
  await page.keyboard.press('Control+A');
  await page.keyboard.type(open);
  await page.keyboard.press('Tab');
  check(await focused(page) === 'closes_on', 'Tab goes on to the closing day');
  await page.keyboard.press('Control+A');
  await page.keyboard.type(close);
  const [resp] = await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.keyboard.press('Enter')]);
  return resp;
}

// A window that must be saved: when it crosses the fiscal year's end (it depends on today's
// date) the warning is confirmed with the keyboard first.
async function saveWindow(page, open, close, what) {
  let resp = await typeWindow(page, open, close);
  if (await page.locator('#window-warning').count()) {
    console.log(`note ${what}: the page asks to confirm (${await text(page.locator('#window-warning ul'))})`);
    await page.locator('label[for="confirm"]').click();
    await page.locator('#closes_on').focus();
    [resp] = await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.keyboard.press('Enter')]);
  }
  check(/saved=1/.test(page.url()) && resp.status() === 200, `${what}: saved (${resp.status()} ${page.url()})`);
}

const browser = await h.launch();
try {
  // ---- 1. Desktop: an empty year, an error page, refused windows, a future and a current one ----
  {
    const w = await newPage(browser, 1280, 900);
    const page = w.page;
    await signIn(w);
    await page.goto(yearUrl);
    check((await text(page.locator('#window-state'))).startsWith('ยังไม่ได้ตั้งค่า'),
          `the state says "not set up" first (${await text(page.locator('#window-state'))})`);
    for (const id of ['opens_on', 'closes_on']) {
      const attrs = await page.$eval(`#${id}`, (e) => [e.type, e.inputMode, e.placeholder, e.getAttribute('aria-describedby'),
                                                       document.getElementById(`${e.id}-hint`)?.textContent]);
      check(attrs[0] === 'text' && attrs[1] === 'numeric' && attrs[2] === 'วว/ดด/ปปปป',
            `${id}: a text field with a numeric keypad and a Thai placeholder, no date picker (${attrs.slice(0, 3).join(', ')})`);
      check(attrs[3] && attrs[3].includes(`${id}-hint`) && attrs[4] === 'วว/ดด/ปปปป พ.ศ. เช่น 1/11/2569',
            `${id}: the hint "วว/ดด/ปปปป พ.ศ. เช่น 1/11/2569" is tied to it (${attrs[3]}: ${attrs[4]})`);
    }
    const mins = await page.$$eval('#min-sample tbody tr', (trs) => trs.map((tr) => [...tr.cells].map((c) => c.textContent.trim())));
    check(mins.length === 2 && mins[1][0] === 'EIT' && mins[1][1] === 'ยังไม่ได้กรอก' && /^อย่างน้อย \d+$/.test(mins[1][2]),
          `EIT with no population: the minimum that applies meanwhile is named (${JSON.stringify(mins[1])})`);
    check(/เกณฑ์ EIT: .*ไม่น้อยกว่า \d+.*ยังไม่ได้กรอกจำนวนประชากร จึงใช้ขั้นต่ำตามเกณฑ์ \d+ ราย/.test(await text(page.locator('#sample-rules'))), 'the EIT sample rule is spelled out, and which minimum applies until the population is known');
    check((await text(page.locator('#min-sample thead'))).includes('กลุ่มตัวอย่างขั้นต่ำ'), 'the column is named as on the results page');
    await pageChecks(w, 'empty');

    // A set-up error elsewhere (personal links before the year is saved): the year's navigation
    // and a link back to the list page it came from.
    const csrf = await page.getAttribute('#year-form input[name=csrf]', 'value');
    const [failed] = await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.evaluate(({ csrf, agency, fy }) => {
      const f = document.createElement('form');
      f.method = 'post';
      f.action = '/admin/links/issue';
      for (const [k, v] of Object.entries({ csrf, agency, fy, instrument: 'IIT' })) {
        const i = document.createElement('input');
        i.type = 'hidden'; i.name = k; i.value = v; f.append(i);
      }
      document.body.append(f);
      f.submit();
    }, { csrf, agency, fy })]);
    check(failed.status() === 409 && (await text(page.locator('[role=alert]'))).includes('ต้องบันทึกการตั้งค่าปีงบประมาณก่อน'),
          `an error elsewhere: 409 with a Thai message (${failed.status()})`);
    check(await page.locator(`main a[href="/admin/year?agency=${agency}&fy=${fy}"]`).count() > 0,
          'the error page carries the year\'s navigation');
    check((await page.getAttribute('#back', 'href')) === `/admin/contacts?agency=${agency}&fy=${fy}&instrument=IIT`,
          `the error page links back to the page it came from (${await page.getAttribute('#back', 'href')})`);
    await pageChecks(w, 'fail');
    await page.goto(yearUrl);

    // closing before opening: refused on the same page, beside the field, values kept
    await page.locator('label[for="staff_population"]').click();
    await page.keyboard.type('48');
    let resp = await typeWindow(page, env.ITA_CUR_CLOSE, env.ITA_CUR_OPEN);
    check(resp.status() === 422 && page.url() === `${base}/admin/year`, `closing before opening: 422 on the year page (${resp.status()} ${page.url()})`);
    check((await page.title()).startsWith('ตั้งค่าปีงบประมาณ'), 'it is the year page itself');
    const closes = await page.$eval('#closes_on', (e) => [e.getAttribute('aria-invalid'), e.getAttribute('aria-describedby'),
                                                         document.getElementById('closes_on-error')?.textContent]);
    check(closes[0] === 'true' && closes[1].includes('closes_on-error') && closes[2].includes('วันปิดรับคำตอบต้องไม่ก่อนวันเปิด'),
          `the message is beside the closing day, tied to it, the field marked invalid (${closes.join(' | ')})`);
    check(await page.inputValue('#opens_on') === env.ITA_CUR_CLOSE && await page.inputValue('#closes_on') === env.ITA_CUR_OPEN
          && await page.inputValue('#staff_population') === '48', 'the typed values are kept');
    check((await text(page.locator('#window-state'))).startsWith('ยังไม่ได้ตั้งค่า'), 'nothing was saved');
    check(await page.getAttribute('#opens_on', 'aria-invalid') === null, 'the opening day is not marked');
    await pageChecks(w, 'refused');

    // a day that does not exist
    resp = await typeWindow(page, '30/2/2570', env.ITA_CUR_CLOSE);
    check(resp.status() === 422 && (await text(page.locator('#opens_on-error'))).includes('ไม่มีวันนี้ในปฏิทิน')
          && await page.getAttribute('#opens_on', 'aria-invalid') === 'true',
          `30 February: refused beside the opening day (${await text(page.locator('#opens_on-error'))})`);

    // a future window, its opening day typed with Thai digits (๑๑/๑๒/๒๕๖๙)
    const thaiDigits = (v) => v.replace(/\d/g, (d) => String.fromCharCode(0x0E50 + Number(d)));
    await saveWindow(page, thaiDigits(env.ITA_FUT_OPEN), env.ITA_FUT_CLOSE, 'a future window');
    const future = await text(page.locator('#window-state'));
    check(future.startsWith(`ยังไม่เปิด — เปิด ${env.ITA_FUT_OPEN_TH} (อีก ${env.ITA_FUT_DAYS} วัน)`),
          `future: "ยังไม่เปิด — เปิด ${env.ITA_FUT_OPEN_TH} (อีก ${env.ITA_FUT_DAYS} วัน)" (${future})`);
    check(await page.inputValue('#opens_on') === env.ITA_FUT_OPEN && await page.inputValue('#closes_on') === env.ITA_FUT_CLOSE,
          `the window (Thai digits too) is shown back as d/m/BE (${await page.inputValue('#opens_on')} – ${await page.inputValue('#closes_on')})`);
    await pageChecks(w, 'future');

    // a current window, its opening day typed in CE, its closing day in Buddhist Era
    await saveWindow(page, env.ITA_CUR_OPEN_CE, env.ITA_CUR_CLOSE, 'a current window');
    const current = await text(page.locator('#window-state'));
    check(current.startsWith(`เปิดรับอยู่ — เหลือ ${env.ITA_CUR_DAYS} วัน (ปิดหลังวันที่ ${env.ITA_CUR_CLOSE_TH})`),
          `current: "เปิดรับอยู่ — เหลือ ${env.ITA_CUR_DAYS} วัน (ปิดหลังวันที่ ${env.ITA_CUR_CLOSE_TH})" (${current})`);
    check(await page.inputValue('#opens_on') === env.ITA_CUR_OPEN,
          `a CE year typed is shown back in Buddhist Era (${env.ITA_CUR_OPEN_CE} → ${await page.inputValue('#opens_on')})`);
    check(await page.inputValue('#staff_population') === '48', 'the staff count was saved with it');
    await pageChecks(w, 'current');
    h.checkWatch(w, 'desktop');
    await w.ctx.close();
  }

  // ---- 2. Phone: a past window needs a confirmation, the next year's is warned about ----
  {
    const w = await newPage(browser, 360, 780);
    const page = w.page;
    await signIn(w);
    await page.goto(yearUrl);
    check((await text(page.locator('#window-state'))).startsWith('เปิดรับอยู่'), 'the phone sees the window open');
    await pageChecks(w, 'current');

    let resp = await typeWindow(page, env.ITA_PAST_OPEN, env.ITA_PAST_CLOSE);
    const warning = await text(page.locator('#window-warning'));
    check(resp.status() === 200 && warning.includes(`วันปิดรับคำตอบ (${env.ITA_PAST_CLOSE_TH}) ผ่านไปแล้ว`),
          `a past window: a warning naming the closing day (${resp.status()}: ${warning.slice(0, 90)})`);
    check((await text(page.locator('#year-errors'))).includes('ยังไม่ได้บันทึก'), 'the page says nothing was saved yet');
    check((await page.getAttribute('#closes_on', 'aria-describedby')).includes('window-warning'), 'the warning is tied to the closing day');
    check((await text(page.locator('#window-state'))).startsWith('เปิดรับอยู่'), 'the saved window is still the current one');
    check(await page.inputValue('#opens_on') === env.ITA_PAST_OPEN && await page.inputValue('#closes_on') === env.ITA_PAST_CLOSE,
          'the typed values are kept');
    await pageChecks(w, 'past-warning');
    // the confirmation with the keyboard: Tab from the closing day to the checkbox, Space, Enter
    await page.locator('#closes_on').focus();
    await page.keyboard.press('Tab');
    check(await focused(page) === 'confirm', 'Tab goes from the closing day to the confirmation');
    await page.keyboard.press('Space');
    check(await page.isChecked('#confirm'), 'Space ticks it');
    await page.keyboard.press('Tab');
    [resp] = await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.keyboard.press('Enter')]);
    const closed = await text(page.locator('#window-state'));
    check(/saved=1/.test(page.url()) && closed.startsWith(`ปิดแล้ว เมื่อสิ้นวันที่ ${env.ITA_PAST_CLOSE_TH}`),
          `confirmed: saved, "ปิดแล้ว เมื่อสิ้นวันที่ ${env.ITA_PAST_CLOSE_TH}" (${closed})`);
    await pageChecks(w, 'past-saved');

    resp = await typeWindow(page, env.ITA_NEXT_OPEN, env.ITA_NEXT_CLOSE);
    const outside = await text(page.locator('#window-warning'));
    check(resp.status() === 200 && outside.includes(`ไม่อยู่ในปีงบประมาณ ${fy}`) && !outside.includes('ผ่านไปแล้ว'),
          `the next fiscal year's window: warned as outside ${fy}, not as past (${outside.slice(0, 90)})`);
    check((await text(page.locator('#window-state'))).startsWith('ปิดแล้ว'), 'not saved without the confirmation');
    await pageChecks(w, 'outside-fy');

    await saveWindow(page, env.ITA_CUR_OPEN, env.ITA_CUR_CLOSE, 'the current window again');
    check((await text(page.locator('#window-state'))).startsWith(`เปิดรับอยู่ — เหลือ ${env.ITA_CUR_DAYS} วัน`), 'open again');
    await page.goto(`${base}/admin/progress?agency=${agency}&fy=${fy}`);
    check((await text(page.locator('#window-state'))).startsWith(`เปิดรับอยู่ — เหลือ ${env.ITA_CUR_DAYS} วัน`),
          'the progress page shows the state too');
    await pageChecks(w, 'progress');
    h.checkWatch(w, 'phone');
    await w.ctx.close();
  }
} catch (e) {
  check(false, `window test stopped: ${e.stack || e}`);
} finally {
  await browser.close();
}
console.log(h.failures() ? `${h.failures()} check(s) failed` : 'all checks passed');
process.exit(h.failures() ? 1 : 0);
