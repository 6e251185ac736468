// Browser test of the e-mail page of a contact list (/admin/mail, issue #18) in Debian's Chromium,
// driven by playwright-core, on a server without an SMTP relay (no smtp_url). An agency
// administrator finds the page from the year page and from the contact list (which, for a
// private list, says so and has no mail-merge link); the page shows counts only, never a name or
// a link; sending says in Thai that the server has no relay; switching to the mail merge without
// ticking the confirmation is refused on the same page (422), with it the mode changes, and back;
// reminder days outside the window or out of order are refused with the typed days kept; valid
// days are saved and shown as Thai dates. At 1280 and 360 px; on every page lang="th", every
// field labelled, no horizontal scrolling, axe-core clean; screenshots mail-<name>-<width>.png.
// Environment: ITA_BASE, ITA_AGENCY, ITA_EMAIL, ITA_PASSWORD, ITA_OPENS, ITA_CLOSES (YYYY-MM-DD),
// ITA_SHOTS_DIR.
import { harness } from './harness.mjs';

const env = process.env;
const need = ['ITA_BASE', 'ITA_AGENCY', 'ITA_EMAIL', 'ITA_PASSWORD', 'ITA_OPENS', 'ITA_CLOSES', 'ITA_SHOTS_DIR'];
if (need.some((k) => !env[k])) {
  console.error(`mail.mjs: set ${need.join(', ')}`);
  process.exit(2);
}
const base = env.ITA_BASE, agency = env.ITA_AGENCY;
const h = harness({ base, shots: env.ITA_SHOTS_DIR, prefix: 'mail' });
const { check, text, pageChecks } = h;
const scope = `agency=${agency}&fy=2566&instrument=IIT`;
const mailPath = `/admin/mail?${scope}`;

// Days relative to the opening day, as the date field takes them and as pages show them in Thai.
const opens = new Date(`${env.ITA_OPENS}T00:00:00Z`);
const after = (n) => { const d = new Date(opens); d.setUTCDate(d.getUTCDate() + n); return d; };
const iso = (d) => d.toISOString().slice(0, 10);
const TH_MONTHS = ['ม.ค.', 'ก.พ.', 'มี.ค.', 'เม.ย.', 'พ.ค.', 'มิ.ย.', 'ก.ค.', 'ส.ค.', 'ก.ย.', 'ต.ค.', 'พ.ย.', 'ธ.ค.'];
const thai = (d) => `${d.getUTCDate()} ${TH_MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear() + 543}`;

// Nothing on the page names a contact or holds a personal link.
async function noPersonalData(page, label) {
  const html = await page.content();
  check(!/\/t\/[A-Za-z0-9_-]{20}/.test(html), `${label}: no personal link`);
  check(!/สมชาย|สมหญิง|วีระ|somchai@|somying@/.test(html), `${label}: no contact named`);
}

async function typeDays(page, days) {
  for (let k = 0; k < 3; k++) await page.fill(`#r${k + 1}`, days[k] || '');
}

const browser = await h.launch();
try {
  // ---- on a desktop screen ----
  {
    const w = await h.context(browser, 1280, 900, { allow: [422] });
    const page = w.page;
    await h.signIn(w, env.ITA_EMAIL, env.ITA_PASSWORD);
    // the agency's checklist links the e-mail page of the staff list (step "send the links")
    await h.go(w, `/admin/agency?id=${agency}&fy=2566`);
    check(await page.locator(`#step-links a[href="${mailPath}"]`).count() === 1, 'the checklist links the IIT e-mail page');
    // the contact list of a private list: the notice, a link to the e-mail page, no mail merge
    await h.go(w, `/admin/contacts?${scope}`);
    check((await text(page.locator('#private-delivery'))).includes('ผู้ดูแลไม่เห็นลิงก์ของผู้ใด'), 'the contact list says the server sends the links');
    check(await page.locator('#mailmerge').count() === 0, 'the contact list has no mail-merge link');
    await pageChecks(w, 'contacts');
    await Promise.all([page.waitForURL(/\/admin\/mail\?/), page.locator('#mail-page').click()]);

    // the page: counts only, the relay missing said in Thai, no send form
    check((await text(page.locator('#mode'))).includes('ระบบส่งลิงก์ให้แต่ละคนทางอีเมลเอง'), 'an IIT list is private by default');
    check((await text(page.locator('#count-contacts'))) === '3' && (await text(page.locator('#count-with-email'))) === '2'
          && (await text(page.locator('#count-with-link'))) === '0' && (await text(page.locator('#count-answered'))) === '0',
          'counts: 3 contacts, 2 with an address, no link yet, none used');
    check((await text(page.locator('#no-email'))).includes('ไม่มีอีเมล 1 คน'), 'the page says one contact has no address');
    check((await text(page.locator('#no-smtp'))).includes('ยังไม่ได้ตั้งค่าการส่งอีเมล'), 'the page says the server has no relay');
    check(await page.locator('#send-form').count() === 0, 'no send button without a relay');
    check(await page.locator('#failed').count() === 0, 'no refused addresses');
    await noPersonalData(page, 'the e-mail page');
    await pageChecks(w, 'page');

    // sending anyway (a stale page, or a crafted form): refused in Thai on the same page
    await page.evaluate(() => {
      const f = document.querySelector('#mode-form');
      f.action = '/admin/mail/send';
      f.querySelector('[name=delivery]').remove();
    });
    await h.submit(w, '#mode-form button[type=submit]', 422);
    check((await text(page.locator('#form-error'))).includes('ยังไม่ได้ตั้งค่าการส่งอีเมล (smtp_url)'), 'send without a relay: the Thai reason on the page');
    check(await page.locator('#mail-counts').count() === 1, 'the refused send shows the page again');
    await pageChecks(w, 'send-refused');

    // to the mail merge without the confirmation: refused, still private
    await h.go(w, mailPath);
    check(await page.locator('#mailmerge-warning').count() === 1, 'the switch warns what the mail merge means');
    await h.submit(w, '#mode-form button[type=submit]', 422);
    check((await text(page.locator('#form-error'))).includes('ต้องทำเครื่องหมายยืนยัน'), 'the unconfirmed switch is refused in Thai');
    check(await page.getAttribute('#mode-confirm', 'aria-invalid') === 'true', 'the box is marked invalid');
    check((await text(page.locator('#mode'))).includes('ระบบส่งลิงก์ให้แต่ละคนทางอีเมลเอง'), 'still private after the refusal');
    await pageChecks(w, 'mode-refused');
    // with it: the mail merge; the contact list offers the e-mail page still
    await page.locator('#mode-confirm').check();
    await h.submit(w, '#mode-form button[type=submit]');
    check(page.url().includes('/admin/mail?') && (await text(page.locator('#notice'))) === 'บันทึกแล้ว', 'the switch is saved');
    check((await text(page.locator('#mode'))).includes('ไฟล์จดหมายเวียน'), 'the list now uses the mail merge');
    await pageChecks(w, 'mailmerge');
    await h.go(w, `/admin/contacts?${scope}`);
    check(await page.locator('#private-delivery').count() === 0, 'a mail-merge list: no private-delivery notice');
    // back to private: no confirmation needed
    await h.go(w, mailPath);
    await h.submit(w, '#mode-form button[type=submit]');
    check((await text(page.locator('#mode'))).includes('ระบบส่งลิงก์ให้แต่ละคนทางอีเมลเอง'), 'back to private delivery');

    // reminder days: outside the window, then out of order: refused with the typed days kept
    const early = iso(after(-3)), d2 = iso(after(2)), d9 = iso(after(9));
    await typeDays(page, [early, d9, '']);
    await h.submit(w, '#reminders-form button[type=submit]', 422);
    check((await text(page.locator('#form-error'))).includes('วันส่งคำเตือนครั้งที่ 1 ต้องอยู่ในช่วงรับคำตอบ'), 'a day before the window is refused in Thai');
    check(await page.inputValue('#r1') === early && await page.inputValue('#r2') === d9 && await page.inputValue('#r3') === '',
          `the typed days are kept (${await page.inputValue('#r1')}, ${await page.inputValue('#r2')})`);
    check(await page.getAttribute('#r1', 'aria-describedby') === 'form-error', 'the days point to the message');
    await pageChecks(w, 'reminders-refused');
    await typeDays(page, [d9, d2, '']);
    await h.submit(w, '#reminders-form button[type=submit]', 422);
    check((await text(page.locator('#form-error'))).includes('วันส่งคำเตือนครั้งที่ 2 ต้องอยู่หลังครั้งก่อนหน้า'), 'days out of order are refused in Thai');
    check(await page.inputValue('#r1') === d9 && await page.inputValue('#r2') === d2, 'the typed days are kept again');
    // valid days: saved, shown with their Thai dates
    await typeDays(page, [d2, d9, '']);
    await h.submit(w, '#reminders-form button[type=submit]');
    check((await text(page.locator('#notice'))) === 'บันทึกแล้ว', 'the reminder days are saved');
    check(await page.inputValue('#r1') === d2 && await page.inputValue('#r2') === d9 && await page.inputValue('#r3') === '', 'the saved days are in the form');
    const s1 = await text(page.locator('#round-1-state')), s2 = await text(page.locator('#round-2-state'));
    check(s1.includes(thai(after(2))) && s1.includes('กำหนดไว้') && s2.includes(thai(after(9))),
          `the rounds are shown with Thai dates ("${s1}", "${s2}"; expected ${thai(after(2))}, ${thai(after(9))})`);
    check(await page.locator('#round-3-state').count() === 0, 'no third round');
    await noPersonalData(page, 'the saved page');
    await pageChecks(w, 'reminders-saved');
    // the wording of the invitation: the default with its preview, a refused edit, a saved one
    await Promise.all([page.waitForURL(/\/admin\/mail\/template\?.*kind=invite/), page.locator('#templates a').first().click()]);
    check((await text(page.locator('#template-state'))).includes('มาตรฐานของระบบ'), 'the default wording is in use');
    check((await page.inputValue('#body')).includes('{link}'), 'the default body carries {link}');
    const preview = await text(page.locator('#preview'));
    check(preview.includes('ตัวอย่างลิงก์ส่วนบุคคล') && !preview.includes('{agency}') && preview.includes('2566'),
          'the preview fills the placeholders with an example link');
    await noPersonalData(page, 'the template page');
    await pageChecks(w, 'template');
    await page.fill('#subject', 'เรียน {name} แบบสำรวจ {agency}');
    await h.submit(w, '#template-form button[type=submit]', 422);
    check((await text(page.locator('#form-error'))).includes('{name}'), 'an unknown placeholder is refused, named in Thai');
    check((await page.inputValue('#subject')) === 'เรียน {name} แบบสำรวจ {agency}', 'the typed subject is kept');
    await pageChecks(w, 'template-refused');
    await page.fill('#subject', 'ขอเชิญตอบแบบสำรวจ ITA ของ {agency} ปี {year}');
    await page.fill('#body', 'เรียน บุคลากร\n\nตอบได้ถึง {deadline} ที่ลิงก์ {link}\n\nขอบคุณ');
    await h.submit(w, '#template-form button[type=submit]');
    check((await text(page.locator('#notice'))) === 'บันทึกข้อความแล้ว', 'the wording is saved');
    check((await text(page.locator('#template-state'))).includes('ของหน่วยงาน'), "the agency's wording is in use");
    check((await text(page.locator('#preview'))).includes('ขอเชิญตอบแบบสำรวจ ITA ของ'), 'the preview shows the new subject');
    await pageChecks(w, 'template-saved');
    await h.submit(w, '#reset-form button[type=submit]');
    check((await text(page.locator('#template-state'))).includes('มาตรฐานของระบบ'), 'back to the default wording');
    h.checkWatch(w, 'desktop');
    await w.ctx.close();
  }

  // ---- on a 360 px phone ----
  {
    const w = await h.context(browser, 360, 780, { allow: [422] });
    const page = w.page;
    await h.signIn(w, env.ITA_EMAIL, env.ITA_PASSWORD);
    await h.go(w, mailPath);
    check((await text(page.locator('#round-2-state'))).includes(thai(after(9))), 'the phone shows the saved rounds');
    await pageChecks(w, 'page');
    await h.submit(w, '#mode-form button[type=submit]', 422);
    await pageChecks(w, 'mode-refused');
    await typeDays(page, ['', iso(after(60)), '']);
    await h.submit(w, '#reminders-form button[type=submit]', 422);
    check((await text(page.locator('#form-error'))).includes('วันส่งคำเตือนครั้งที่ 2 ต้องอยู่ในช่วงรับคำตอบ'), 'a day after the close is refused');
    check(await page.inputValue('#r2') === iso(after(60)), 'the typed day is kept');
    await pageChecks(w, 'reminders-refused');
    await h.go(w, `/admin/mail/template?${scope}&kind=reminder`);
    check((await page.inputValue('#subject')).length > 0, 'the reminder wording on a phone');
    await pageChecks(w, 'template');
    await h.go(w, `/admin/contacts?${scope}`);
    await pageChecks(w, 'contacts');
    h.checkWatch(w, 'phone');
    await w.ctx.close();
  }
} finally {
  await browser.close();
}
if (h.failures()) {
  console.error(`mail browser test: ${h.failures()} check(s) failed`);
  process.exit(1);
}
console.log('mail browser test: all checks passed');
