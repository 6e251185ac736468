// Browser test of account recovery in the web admin, in Debian's Chromium driven by
// playwright-core. On a desktop screen (1280 px) a system administrator signs in with the
// keyboard, pages through the ~320 accounts (50 a page, "แสดง 1–50 จาก …", ก่อนหน้า/ถัดไป) and
// searches them by agency code, agency name and characters LIKE would take as wildcards; creates
// an agency administrator with the keyboard (the role an explicit choice: the agency role without
// a code is refused in Thai on the same page with the e-mail kept); tries to create the disabled
// former clerk's address again (told so in Thai, offered re-enabling, re-enables it); disables the
// new account after a confirmation page (cancel first), enables it again; sets a new password
// after a confirmation page (the old one then fails at sign-in, the new one works); and unlocks an
// account this test locked with five wrong passwords (the fifth answer says when the lock ends,
// word for word the same answer as for an address that does not exist). On a 360 px phone the
// account list fits the screen. Then on a phone the new agency administrator changes her own
// password (mismatch and wrong current password refused in Thai; her other session ends), sees
// only her agency's accounts and adds a colleague. On every page: lang="th", every field
// labelled, no horizontal scrolling, no axe-core violation (WCAG 2.1 A/AA), nothing fetched from
// another origin, no CSP violation, no console error; screenshots accounts-<page>-<width>.png.
// Environment: ITA_BASE, ITA_SHOTS_DIR, ITA_TOTAL (accounts in the database), ITA_SYS_EMAIL,
// ITA_SYS_PASSWORD, ITA_LOCKED_EMAIL, ITA_LOCKED_PASSWORD (an agency administrator of TKS).
import { chromium } from 'playwright-core';
import { checkA11y } from './a11y.mjs';
import { mkdirSync } from 'node:fs';

const env = process.env;
const need = ['ITA_BASE', 'ITA_SHOTS_DIR', 'ITA_TOTAL', 'ITA_SYS_EMAIL', 'ITA_SYS_PASSWORD',
              'ITA_LOCKED_EMAIL', 'ITA_LOCKED_PASSWORD'];
if (need.some((k) => !env[k])) {
  console.error(`accounts.mjs: set ${need.join(', ')}`);
  process.exit(2);
}
const base = env.ITA_BASE, shots = env.ITA_SHOTS_DIR, total = Number(env.ITA_TOTAL);
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
  await page.screenshot({ path: `${shots}/accounts-${name}-${w.width}.png`, fullPage: true });
}

// Sign-in with the keyboard: the e-mail, Tab, the password, Enter. Returns the page's alert
// text when refused (expected with ok false).
async function signIn(w, email, password, ok = true, name = null) {
  const page = w.page;
  await page.goto(`${base}/admin/login`);
  await page.locator('label[for="email"]').click();
  await page.keyboard.press('Control+A');
  await page.keyboard.type(email);
  await page.keyboard.press('Tab');
  await page.keyboard.type(password);
  if (!ok) w.expectStatus(401);
  await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.keyboard.press('Enter')]);
  w.expectStatus(null);
  if (ok) {
    if (!check(page.url() === `${base}/admin/`, `${email} signs in (${page.url()})`))
      throw new Error(`sign-in refused: ${await text(page.locator('[role=alert]'))}`);
    return '';
  }
  check(page.url() === `${base}/admin/login`, `${email} is refused at sign-in`);
  if (name) await pageChecks(w, name);
  return text(page.locator('[role=alert]'));
}

async function go(w, path) {
  const resp = await w.page.goto(`${base}${path}`);
  return resp.status();
}

// Submits the form holding `selector` with Enter from the focused field; waits for the page.
async function enter(page) {
  await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.keyboard.press('Enter')]);
}
async function clickNav(page, loc) {
  await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), loc.click()]);
}

// The account list searched for q (typed into the search field, Enter).
async function search(w, q) {
  const page = w.page;
  await page.locator('label[for="q"]').click();
  await page.keyboard.press('Control+A');
  await page.keyboard.type(q);
  await enter(page);
}
const card = (page, email) => page.locator('#users .vr', { has: page.locator('h3', { hasText: email }) });

const browser = await chromium.launch({
  executablePath: env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
         '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const clerk = 'somsri@thakhaopluak.go.th';
let clerkPassword = '';
try {
  // ---- 1. A system administrator at 1280 px ----
  {
    const w = await newWatchedContext(browser, 1280, 900);
    const page = w.page;
    await go(w, '/admin/login');
    await pageChecks(w, 'login');
    await signIn(w, env.ITA_SYS_EMAIL, env.ITA_SYS_PASSWORD);
    await pageChecks(w, 'home');
    await clickNav(page, page.locator('main a[href="/admin/users"]'));
    await pageChecks(w, 'users');
    const fmt = (n) => n.toLocaleString('en-US');
    check(await text(page.locator('#users-count')) === `แสดง 1–50 จาก ${fmt(total)} บัญชี`,
          `the list says "แสดง 1–50 จาก ${fmt(total)} บัญชี" (${await text(page.locator('#users-count'))})`);
    check(await page.locator('#users .vr').count() === 50, 'the first page shows 50 accounts');
    await clickNav(page, page.locator('#users-pager a[rel=next]').first());
    check(await text(page.locator('#users-count')) === `แสดง 51–100 จาก ${fmt(total)} บัญชี`,
          `the next page is 51–100 (${await text(page.locator('#users-count'))})`);
    await pageChecks(w, 'users-page2');
    await clickNav(page, page.locator('#users-pager a[rel=prev]').first());
    check((await text(page.locator('#users-count'))).startsWith('แสดง 1–50'), 'ก่อนหน้า goes back to 1–50');
    // the last page: ถัดไป until there is none
    let pages = 1;
    while (await page.locator('#users-pager a[rel=next]').count() && pages < 20) {
      await clickNav(page, page.locator('#users-pager a[rel=next]').first());
      pages++;
    }
    check(pages === Math.ceil(total / 50), `${pages} pages of 50 for ${total} accounts`);
    check((await text(page.locator('#users-count'))).includes(`–${fmt(total)} จาก`), 'the last page ends at the total');
    // disabled accounts come last, said in Thai
    check((await text(page.locator('#users .vr .state').last())) === 'ปิดใช้งาน', 'disabled accounts are listed last as "ปิดใช้งาน"');

    // search: an agency code, an agency name, LIKE's wildcards taken literally
    await search(w, 'ag0123');
    check(await page.locator('#users .vr').count() === 1 && (await text(page.locator('#users h3'))) === 'clerk0123@ag0123.go.th',
          'searching an agency code finds its one administrator');
    check(await page.inputValue('#q') === 'ag0123', 'the search stays typed');
    await pageChecks(w, 'users-search');
    await search(w, 'หน่วยงานทดสอบที่ 31');
    check((await text(page.locator('#users-count'))) === 'แสดง 1–11 จาก 11 บัญชี',
          `searching an agency name finds 31 and 310–319 (${await text(page.locator('#users-count'))})`);
    await search(w, '_');
    check(await page.locator('#users .vr').count() === 0 && (await text(page.locator('#users-count'))).includes('ไม่พบ'),
          '"_" matches itself, not any character (no account has one)');
    await search(w, '100%');
    check(await page.locator('#users .vr').count() === 0, '"100%" matches itself (no account has it)');

    // create an agency administrator, keyboard only; the agency role without a code is refused
    await go(w, '/admin/users');
    await page.locator('label[for="user-email"]').click();
    await page.keyboard.type(clerk);
    await page.keyboard.press('Tab');
    check(await page.evaluate(() => document.activeElement.id) === 'role-agency', 'Tab goes from the e-mail to the role');
    check(!(await page.isChecked('#role-agency')) && !(await page.isChecked('#role-system')), 'no role is chosen before the person chooses');
    await page.keyboard.press('Space');
    check(await page.isChecked('#role-agency'), 'Space chooses ผู้ดูแลหน่วยงาน');
    await page.keyboard.press('Tab');
    check(await page.evaluate(() => document.activeElement.id) === 'user-agency', 'Tab goes from the role to the agency code');
    w.expectStatus(400);
    await enter(page);
    w.expectStatus(null);
    check((await text(page.locator('#user-error'))).includes('กรุณากรอกรหัสหน่วยงาน'), 'the agency role without a code is refused in Thai');
    check(await page.inputValue('#user-email') === clerk && await page.isChecked('#role-agency'), 'the e-mail and role stay as typed');
    check(await page.locator('#new-password').count() === 0, 'nothing is created');
    await pageChecks(w, 'users-refused');
    await page.locator('label[for="user-agency"]').click();
    await page.keyboard.type('TKS');
    await enter(page);
    clerkPassword = await text(page.locator('#new-password'));
    check(clerkPassword.length === 20, 'the new account\'s password is shown once');
    await pageChecks(w, 'users-created');
    check((await text(card(page, clerk))).includes('ผู้ดูแลหน่วยงาน') && (await text(card(page, clerk))).includes('(TKS)'),
          'the new account is listed at once (the list searched for it) as an administrator of TKS');
    check(await page.inputValue('#q') === clerk && await page.inputValue('#user-email') === '', 'the search holds the new address; the form is empty again');

    // the former clerk's address again: told it is disabled, offered re-enabling
    await page.locator('label[for="user-email"]').click();
    await page.keyboard.type('former@thakhaopluak.go.th');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Space');
    await page.keyboard.press('Tab');
    await page.keyboard.type('TKS');
    w.expectStatus(409);
    await enter(page);
    w.expectStatus(null);
    check((await text(page.locator('#user-error'))).includes('ถูกปิดใช้งานไว้'), 'a disabled address is said to be disabled, in Thai');
    await pageChecks(w, 'users-disabled-exists');
    await clickNav(page, page.locator('#reenable'));
    check((await text(page.locator('#notice'))).includes('เปิดใช้งานบัญชีอีกครั้งแล้ว'), 're-enabled from the create form');
    await search(w, 'former@');
    check((await text(card(page, 'former@thakhaopluak.go.th').locator('.state'))) === 'ใช้งาน', 'the former clerk is ใช้งาน again');

    // disable with confirmation (cancel first), then enable again
    await search(w, clerk);
    await clickNav(page, card(page, clerk).locator('a', { hasText: 'ปิดใช้งาน' }));
    check(page.url().includes('/admin/users/disable?id='), 'ปิดใช้งาน leads to a confirmation page first');
    check((await text(page.locator('#confirm-email'))) === clerk, 'the confirmation names the account');
    await pageChecks(w, 'confirm-disable');
    await clickNav(page, page.locator('#cancel'));
    await search(w, clerk);
    check((await text(card(page, clerk).locator('.state'))) === 'ใช้งาน', 'cancelling leaves the account in use');
    await clickNav(page, card(page, clerk).locator('a', { hasText: 'ปิดใช้งาน' }));
    await clickNav(page, page.locator('#confirm button'));
    check((await text(page.locator('#notice'))).includes('ปิดใช้งานบัญชีแล้ว'), 'disabled after confirming');
    await search(w, clerk);
    check((await text(card(page, clerk).locator('.state'))) === 'ปิดใช้งาน', 'the account is listed as ปิดใช้งาน');
    {
      const other = await newWatchedContext(browser, 1280, 900);
      const msg = await signIn(other, clerk, clerkPassword, false);
      check(msg.includes('อีเมลหรือรหัสผ่านไม่ถูกต้อง'), 'a disabled account cannot sign in');
      checkWatch(other, 'disabled sign-in');
      await other.ctx.close();
    }
    await clickNav(page, card(page, clerk).locator('button', { hasText: 'เปิดใช้งานอีกครั้ง' }));
    check((await text(page.locator('#notice'))).includes('เปิดใช้งานบัญชีอีกครั้งแล้ว'), 'enabled again');

    // a new password after confirmation: the old one fails, the new one works
    await search(w, clerk);
    await clickNav(page, card(page, clerk).locator('a', { hasText: 'ตั้งรหัสผ่านใหม่' }));
    check(page.url().includes('/admin/users/reset?id='), 'ตั้งรหัสผ่านใหม่ leads to a confirmation page first');
    await pageChecks(w, 'confirm-reset');
    await clickNav(page, page.locator('#confirm button'));
    const reset = await text(page.locator('#new-password'));
    check(reset.length === 20 && reset !== clerkPassword, 'a new password is shown once');
    await pageChecks(w, 'reset-done');
    {
      const other = await newWatchedContext(browser, 1280, 900);
      check((await signIn(other, clerk, clerkPassword, false)).includes('ไม่ถูกต้อง'), 'the old password is refused after the reset');
      await signIn(other, clerk, reset);
      checkWatch(other, 'after reset');
      await other.ctx.close();
    }
    clerkPassword = reset;

    // five wrong passwords lock an account; the answer is the one an unknown address gets
    {
      const other = await newWatchedContext(browser, 1280, 900);
      let last = '';
      for (let i = 1; i <= 5; i++) last = await signIn(other, env.ITA_LOCKED_EMAIL, `wrong-${i}-password`, false, i === 5 ? 'login-failed' : null);
      check(/ลองใหม่ได้หลัง \d\d:\d\d น\./.test(last), `the fifth failure says when to try again (${last})`);
      const unknown = await signIn(other, 'nobody@thakhaopluak.go.th', 'wrong-password', false);
      const strip = (s) => s.replace(/\d\d:\d\d/, 'HH:MM');
      check(strip(unknown) === strip(last), 'an unknown address gets the same answer as a locked account');
      const right = await signIn(other, env.ITA_LOCKED_EMAIL, env.ITA_LOCKED_PASSWORD, false);
      check(strip(right) === strip(last), 'the locked account is refused even with its right password, with the same answer');
      checkWatch(other, 'lockout');
      await other.ctx.close();
    }
    await go(w, '/admin/users');
    await search(w, env.ITA_LOCKED_EMAIL);
    const state = await text(card(page, env.ITA_LOCKED_EMAIL).locator('.state'));
    check(/^ถูกล็อกถึง \d{1,2} [ก-๙.]+ 25\d\d เวลา \d\d:\d\d น\.$/.test(state), `the locked account's state is Thai with a Thai date (${state})`);
    await pageChecks(w, 'users-locked');
    await clickNav(page, card(page, env.ITA_LOCKED_EMAIL).locator('button', { hasText: 'ปลดล็อก' }));
    check((await text(page.locator('#notice'))).includes('ปลดล็อกบัญชีแล้ว'), 'unlocked');
    {
      const other = await newWatchedContext(browser, 1280, 900);
      await signIn(other, env.ITA_LOCKED_EMAIL, env.ITA_LOCKED_PASSWORD);
      checkWatch(other, 'after unlock');
      await other.ctx.close();
    }
    // the own API tokens page: a token made with the keyboard, its day in Thai
    await clickNav(page, page.locator('nav a[href="/admin/"]'));
    await clickNav(page, page.locator('main a[href="/admin/tokens"]'));
    await page.locator('label[for="token-name"]').click();
    await page.keyboard.type('เครื่องของฝ่ายแผน');
    await enter(page);
    check((await text(page.locator('#new-token'))).length >= 40, 'a new API token is shown once');
    const made = await text(page.locator('#tokens tbody tr td').nth(1));
    check(/^\d{1,2} [ก-๙.]+ 25\d\d \d\d:\d\d น\.$/.test(made), `the token's creation is a Thai date and time (${made})`);
    check((await text(page.locator('#tokens tbody tr td').nth(2))) === 'ยังไม่เคยใช้', 'a token never used says so in Thai');
    await pageChecks(w, 'tokens');
    checkWatch(w, 'system administrator @1280');
    await w.ctx.close();
  }

  // ---- 2. The same list on a 360 px phone ----
  {
    const w = await newWatchedContext(browser, 360, 780);
    const page = w.page;
    await signIn(w, env.ITA_SYS_EMAIL, env.ITA_SYS_PASSWORD);
    await go(w, '/admin/users');
    await pageChecks(w, 'users');
    await search(w, 'ag0123');
    await pageChecks(w, 'users-search');
    await go(w, `/admin/users/reset?id=${(await page.locator('#users .vr').first().getAttribute('id')).slice(5)}`);
    await pageChecks(w, 'confirm-reset');
    await go(w, '/admin/tokens');
    await pageChecks(w, 'tokens');
    checkWatch(w, 'system administrator @360');
    await w.ctx.close();
  }

  // ---- 3. The new agency administrator on a phone: own password, a colleague ----
  {
    const w = await newWatchedContext(browser, 360, 780);
    const page = w.page;
    const second = await newWatchedContext(browser, 360, 780);
    await signIn(second, clerk, clerkPassword);
    await signIn(w, clerk, clerkPassword);
    await pageChecks(w, 'home-agency');
    await clickNav(page, page.locator('main a[href="/admin/password"]'));
    await pageChecks(w, 'password');
    const fill = async (current, fresh, again) => {
      await page.locator('label[for="pw-current"]').click();
      await page.keyboard.type(current);
      await page.keyboard.press('Tab');
      await page.keyboard.type(fresh);
      await page.keyboard.press('Tab');
      await page.keyboard.type(again);
      await enter(page);
    };
    const newPassword = 'ข้าวเปลือกทองคำ 2570';
    w.expectStatus(400);
    await fill(clerkPassword, newPassword, newPassword + 'x');
    check((await text(page.locator('#password-error'))).includes('ไม่ตรงกัน'), 'two different new passwords are refused in Thai');
    await pageChecks(w, 'password-refused');
    await fill('not-my-password', newPassword, newPassword);
    check((await text(page.locator('#password-error'))).includes('รหัสผ่านปัจจุบันไม่ถูกต้อง'), 'a wrong current password is refused in Thai');
    w.expectStatus(null);
    await fill(clerkPassword, newPassword, newPassword);
    check((await text(page.locator('#notice'))).includes('เปลี่ยนรหัสผ่านแล้ว'), 'the own password is changed');
    await pageChecks(w, 'password-done');
    await second.page.goto(`${base}/admin/`);
    check(second.page.url() === `${base}/admin/login`, 'the other session of the account has ended');
    await second.ctx.close();
    await go(w, '/admin/');
    check(page.url() === `${base}/admin/`, 'the session that changed the password stays signed in');

    // the own agency's accounts only; a colleague added
    await clickNav(page, page.locator('main a[href="/admin/users"]'));
    const emails = await page.locator('#users h3').allInnerTexts();
    check(emails.length >= 3 && emails.every((e) => e.endsWith('@thakhaopluak.go.th')),
          `an agency administrator sees only the own agency's accounts (${emails.join(', ')})`);
    check(await page.locator('#role-system').count() === 0, 'an agency administrator is offered no system role');
    await pageChecks(w, 'users-agency');
    await page.locator('label[for="user-email"]').click();
    await page.keyboard.type('colleague@thakhaopluak.go.th');
    await enter(page);
    check((await text(page.locator('#new-password'))).length === 20, 'the colleague\'s password is shown once');
    check((await text(card(page, 'colleague@thakhaopluak.go.th'))).includes('เทศบาลตำบลท่าข้าวเปลือก'), 'the colleague is of the own agency');
    await pageChecks(w, 'users-colleague');
    await clickNav(page, page.locator('#logout button'));
    await signIn(w, clerk, newPassword);
    checkWatch(w, 'agency administrator @360');
    await w.ctx.close();
  }
} catch (e) {
  console.error(e);
  failures++;
} finally {
  await browser.close();
}
console.log(failures ? `${failures} check(s) failed` : 'all checks passed');
process.exit(failures ? 1 : 0);
