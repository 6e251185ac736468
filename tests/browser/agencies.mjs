// The agency list at 8,300 agencies and the accounts list's filters, in Debian's Chromium at 1280
// and 360 px (run_agencies_browser_test.sh makes the data and computes with SQL what each page
// must show first, in $ITA_EXPECT). A system administrator:
//   - sees "พบ 8,300 หน่วยงาน", 50 rows, numbered pages; page 2 and the last page hold the rows the
//     database puts there;
//   - sorts by each column head both ways: aria-sort says so and the first three codes are the
//     database's (at 360 px: name both ways);
//   - searches by name, filters by type (every row of that type, the count the database gives),
//     by parent code and by "no parent"; the filters stay in the pager's links;
//   - sees an old free-text type marked "(ไม่อยู่ในรายการ — โปรดเลือกใหม่)", and its edit form asks
//     for a type from the list before saving; a bad sort= or page= answers 400 with a Thai message
//     on the list itself; the all-agency CSV link is there;
//   - on /admin/users filters by role, state and a search, goes to page 2, disables one account
//     through its confirmation page and comes back to the same filtered page 2.
// Every page reached: lang, title, labelled fields, no sideways page scroll, axe-core clean, a
// screenshot agencies-NAME-WIDTH.png.
import { readFileSync } from 'node:fs';
import { harness } from './harness.mjs';

const base = process.env.ITA_BASE;
const expect = JSON.parse(readFileSync(process.env.ITA_EXPECT, 'utf8'));
const h = harness({ base, shots: process.env.ITA_SHOTS_DIR, prefix: 'agencies' });
const { check } = h;
const fmt = (n) => n.toLocaleString('en-US');

const codes = async (page, n = 3) => (await page.locator('#agencies tbody tr td:first-child').allInnerTexts())
  .slice(0, n).map((t) => t.trim());
const count = async (page) => h.text(page.locator('#agencies-count'));
const rows = async (page) => page.locator('#agencies tbody tr').count();

async function clickNav(w, locator) {
  await Promise.all([w.page.waitForNavigation({ waitUntil: 'load' }), locator.click()]);
}

async function sortBoth(w, key, label) {
  const page = w.page;
  const head = page.locator(`#agencies thead a[href*="sort=${key}"], #agencies thead th:has(a) a`).filter({ hasText: label }).first();
  await clickNav(w, head);
  const th = page.locator('#agencies thead th[aria-sort]');
  // the default sort (code ascending) is the first click's state only for code: code's head
  // turns it around at once
  const first = key === 'code' ? 'desc' : 'asc';
  const second = first === 'asc' ? 'desc' : 'asc';
  for (const dir of [first, second]) {
    if (dir === second)
      await clickNav(w, page.locator('#agencies thead a').filter({ hasText: label }).first());
    const want = expect.sorts[`${key}_${dir}`];
    const aria = await th.getAttribute('aria-sort');
    check(aria === (dir === 'asc' ? 'ascending' : 'descending') && (await h.text(th)).includes(label),
          `@${w.width} sort by ${key} ${dir}: aria-sort ${aria} on ${label}`);
    const got = await codes(page);
    check(JSON.stringify(got) === JSON.stringify(want), `@${w.width} sort by ${key} ${dir}: first rows ${got} (database: ${want})`);
  }
}

async function agencies(browser, width, height) {
  const w = await h.context(browser, width, height);
  const page = w.page;
  await h.signIn(w, process.env.ITA_SYS_EMAIL, process.env.ITA_SYS_PASSWORD);
  await h.go(w, '/admin/agencies');
  check((await count(page)).startsWith(`พบ ${fmt(expect.total)} หน่วยงาน`), `@${width} the list says พบ ${fmt(expect.total)} หน่วยงาน (${await count(page)})`);
  check(await rows(page) === 50, `@${width} 50 rows a page (${await rows(page)})`);
  check(await page.locator('#agencies-pager a[aria-current=page]').innerText() === '1', `@${width} page 1 is current`);
  check(await page.locator('#all-csv a[href^="/admin/export?year=2566&format=csv"]').count() === 1, `@${width} the all-agency CSV of 2566 is linked`);
  const parentLink = page.locator('#agencies tbody tr').nth(0).locator('td:nth-child(4) a');
  check(await parentLink.count() === 0 || /\/admin\/agency\?id=\d+/.test(await parentLink.getAttribute('href')), `@${width} a parent is a link to its page`);
  check(await page.locator('.lv-scroll[role=region][aria-labelledby=agencies-cap][tabindex="0"]').count() === 1, `@${width} the table is a labelled scrollable region`);
  await h.pageChecks(w, 'list');

  // page 2 and the last page
  await clickNav(w, page.locator('#agencies-pager a').filter({ hasText: /^2$/ }).first());
  check((await codes(page, 1))[0] === expect.page2, `@${width} page 2 starts at ${expect.page2} (${await codes(page, 1)})`);
  check(page.url().endsWith('/admin/agencies?page=2'), `@${width} page 2's address (${page.url()})`);
  await clickNav(w, page.locator('#agencies-pager a[rel=last]'));
  check((await codes(page, 1))[0] === expect.last_first && await rows(page) === expect.last_rows,
        `@${width} the last page starts at ${expect.last_first} with ${expect.last_rows} rows (${await codes(page, 1)}, ${await rows(page)})`);
  check(await page.locator('#agencies-pager a[rel=next]').count() === 0, `@${width} no next page after the last`);
  if (width === 1280) await h.pageChecks(w, 'last-page');

  // sorting by every column both ways (name only on the phone)
  await h.go(w, '/admin/agencies');
  const heads = width === 1280
    ? [['code', 'รหัส'], ['name', 'ชื่อหน่วยงาน'], ['kind', 'ประเภท'], ['parent', 'ต้นสังกัด'], ['created', 'เพิ่มเมื่อ']]
    : [['name', 'ชื่อหน่วยงาน']];
  for (const [key, label] of heads) {
    await h.go(w, '/admin/agencies');
    await sortBoth(w, key, label);
  }
  await h.pageChecks(w, 'sorted');

  // search by name: the agency with an old type, marked
  await h.go(w, '/admin/agencies');
  await page.fill('#f-q', 'หนองค้นหา');
  await h.submit(w, '#agency-filter button[type=submit]');
  check((await count(page)).startsWith(`พบ ${fmt(expect.search)} หน่วยงาน`), `@${width} the search finds ${expect.search} (${await count(page)})`);
  check((await h.text(page.locator('#agencies tbody tr').first())).includes('อบต.เก่า (ไม่อยู่ในรายการ — โปรดเลือกใหม่)'),
        `@${width} an old type is marked (${await h.text(page.locator('#agencies tbody tr').first())})`);
  check(await page.inputValue('#f-q') === 'หนองค้นหา', `@${width} the search stays in its field`);
  await h.pageChecks(w, 'search');

  // a search with many pages: the pager keeps it (a search on a name part with a space)
  await page.fill('#f-q', 'ทดสอบ 82');
  await h.submit(w, '#agency-filter button[type=submit]');
  check((await count(page)).startsWith(`พบ ${fmt(expect.search_tt)} หน่วยงาน`), `@${width} "ทดสอบ 82" finds ${expect.search_tt} (${await count(page)})`);

  // filter by type: every row of it, the database's count; the pager keeps the filter
  await page.fill('#f-q', '');
  await page.selectOption('#f-kind', 'sao');
  await h.submit(w, '#agency-filter button[type=submit]');
  check((await count(page)).startsWith(`พบ ${fmt(expect.sao)} หน่วยงาน`), `@${width} type องค์การบริหารส่วนตำบล: ${expect.sao} (${await count(page)})`);
  const kinds = await page.locator('#agencies tbody tr td:nth-child(3)').allInnerTexts();
  check(kinds.length === 50 && kinds.every((k) => k.trim() === 'องค์การบริหารส่วนตำบล'), `@${width} every row is of that type`);
  const next = await page.locator('#agencies-pager a[rel=next]').getAttribute('href');
  check(next === '/admin/agencies?kind=sao&page=2', `@${width} the next page keeps the type (${next})`);
  check(await page.locator('#f-kind').inputValue() === 'sao', `@${width} the type stays chosen`);
  if (width === 360) await h.pageChecks(w, 'type');

  // filter by parent code, then "no parent"
  await h.go(w, '/admin/agencies?parent=PV01&sort=name&dir=desc');
  check((await count(page)).startsWith(`พบ ${fmt(expect.pv01)} หน่วยงาน`), `@${width} parent PV01: ${expect.pv01} (${await count(page)})`);
  const parents = await page.locator('#agencies tbody tr td:nth-child(4)').allInnerTexts();
  check(parents.every((p) => p.includes('(PV01)')), `@${width} every row's parent is PV01`);
  check(await page.locator('#agencies thead th[aria-sort=descending]').filter({ hasText: 'ชื่อหน่วยงาน' }).count() === 1, `@${width} the sort stays with the filter`);
  await page.fill('#f-parent', '');
  await page.check('#f-noparent');
  await h.submit(w, '#agency-filter button[type=submit]');
  check((await count(page)).startsWith(`พบ ${fmt(expect.noparent)} หน่วยงาน`), `@${width} no parent: ${expect.noparent} (${await count(page)})`);
  check(page.url().includes('sort=name') && page.url().includes('dir=desc'), `@${width} the form keeps the sort (${page.url()})`);
  if (width === 1280) await h.pageChecks(w, 'no-parent');

  // a bad parameter: a Thai message on the list itself
  await h.go(w, '/admin/agencies?sort=bogus&page=x', 400);
  check((await h.text(page.locator('#list-error'))).includes('ไม่รู้จักการเรียงลำดับ') || (await h.text(page.locator('#list-error'))).includes('เลขหน้า'),
        `@${width} a bad sort answers in Thai on the list (${await h.text(page.locator('#list-error'))})`);
  check((await count(page)).startsWith(`พบ ${fmt(expect.total)}`), `@${width} ... and still lists every agency`);
  if (width === 1280) await h.pageChecks(w, 'bad-param');
  h.checkWatch(w, `agencies @${width}`);
  await w.ctx.close();
}

// The old type: the agency page marks it, the edit form requires a type from the list.
async function oldType(browser) {
  const w = await h.context(browser, 1280, 900);
  const page = w.page;
  await h.signIn(w, process.env.ITA_SYS_EMAIL, process.env.ITA_SYS_PASSWORD);
  await h.go(w, '/admin/agencies?q=LA00003');
  await clickNav(w, page.locator('#agencies tbody a').first());
  check((await h.text(page.locator('main'))).includes('อบต.เก่า (ไม่อยู่ในรายการ — โปรดเลือกใหม่)'), 'the agency page marks the old type');
  await page.click('#edit-agency >> xpath=..//summary');
  check(await page.locator('#edit-agency select#kind[required]').count() === 1, 'the edit form requires a type');
  check(await page.locator('#edit-agency select#kind').inputValue() === '', 'no type is chosen for an old one');
  await h.pageChecks(w, 'old-type');
  await page.selectOption('#edit-agency select#kind', 'sao');
  await h.submit(w, '#edit-agency button[type=submit]');
  check((await h.text(page.locator('main'))).includes('ประเภท องค์การบริหารส่วนตำบล') && !(await h.text(page.locator('main'))).includes('ไม่อยู่ในรายการ'),
        'saved with องค์การบริหารส่วนตำบล, no longer marked');
  h.checkWatch(w, 'old type');
  await w.ctx.close();
}

// The accounts list: filters, sort and page survive a disable through its confirmation page.
async function users(browser, width, height, act) {
  const w = await h.context(browser, width, height);
  const page = w.page;
  await h.signIn(w, process.env.ITA_SYS_EMAIL, process.env.ITA_SYS_PASSWORD);
  await h.go(w, '/admin/users');
  await page.fill('#q', 'clerk0');
  await page.selectOption('#f-role', 'agency');
  await page.selectOption('#f-state', 'active');
  await h.submit(w, '#user-search button[type=submit]');
  const cnt = await h.text(page.locator('#users-count'));
  const active = expect.users_filtered - (act ? 0 : 1); // the 1280 run disabled one of them
  check(cnt === `แสดง 1–50 จาก ${fmt(active)} บัญชี`, `@${width} role, state and search filter the accounts to ${active} (${cnt})`);
  const states = await page.locator('#users .state').allInnerTexts();
  check(states.every((s) => s === 'ใช้งาน'), `@${width} only active accounts`);
  await clickNav(w, page.locator('#users-sort a').filter({ hasText: 'หน่วยงาน' }));
  check(await page.locator('#users-sort a[aria-current]').filter({ hasText: 'หน่วยงาน' }).count() === 1, `@${width} sorted by agency`);
  await clickNav(w, page.locator('#users-pager a').filter({ hasText: /^2$/ }).first());
  const listUrl = page.url();
  check(listUrl.includes('page=2') && listUrl.includes('state=active') && listUrl.includes('role=agency') && listUrl.includes('sort=agency'),
        `@${width} page 2 keeps the filters and sort (${listUrl})`);
  await h.pageChecks(w, 'users');
  if (!act) { h.checkWatch(w, `users @${width}`); await w.ctx.close(); return; }
  const card = page.locator('#users .vr').first();
  const email = await h.text(card.locator('h3'));
  await clickNav(w, card.locator('a').filter({ hasText: 'ปิดใช้งาน' }));
  check(page.url().includes('/admin/users/disable?id=') && page.url().includes('state=active'), `@${width} the confirmation page carries the list (${page.url()})`);
  check(await page.locator('#confirm input[name=state][value=active]').count() === 1 && await page.locator('#confirm input[name=page][value="2"]').count() === 1,
        `@${width} the confirm form carries state and page`);
  check((await page.locator('#cancel').getAttribute('href')).includes('page=2'), `@${width} the way back is to page 2`);
  await h.pageChecks(w, 'users-confirm');
  await h.submit(w, '#confirm button[type=submit]');
  const back = page.url();
  check(back.includes('q=clerk0') && back.includes('role=agency') && back.includes('state=active') && back.includes('sort=agency') && back.includes('page=2') && back.includes('done=disabled'),
        `@${width} after disabling, the list as it was (${back})`);
  check(await page.inputValue('#q') === 'clerk0' && await page.locator('#f-state').inputValue() === 'active', `@${width} the filters stay in the form`);
  check((await h.text(page.locator('#notice'))).includes('ปิดใช้งานบัญชีแล้ว'), `@${width} it says the account was disabled`);
  check(!(await h.text(page.locator('#users'))).includes(email), `@${width} ${email} left the active list`);
  await h.pageChecks(w, 'users-after');
  h.checkWatch(w, `users @${width}`);
  await w.ctx.close();
}

const browser = await h.launch();
try {
  await agencies(browser, 1280, 900);
  await agencies(browser, 360, 780);
  await oldType(browser);
  await users(browser, 1280, 900, true);
  await users(browser, 360, 780, false);
} finally {
  await browser.close();
}
if (h.failures()) {
  console.error(`${h.failures()} check(s) failed`);
  process.exit(1);
}
console.log('agencies browser test: all checks passed');
