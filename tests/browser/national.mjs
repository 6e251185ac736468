// Browser test of the national view (/admin/national) in Debian's Chromium, driven by
// playwright-core. The wrapper (run_national_browser_test.sh) generated 300 agencies of fiscal
// year 2570 with known states and computed the expected figures by SQL. The system administrator
// reaches the view from the home page at 1280 px: totals and the distributions' numbers equal the
// expected figures (the charts' data-value and the tables beside them), a search by code, the
// filter "below minimum with 14 days left", a sort by score both ways (aria-sort), page 2; at 360 px
// the filtered view does not scroll sideways (the table scrolls inside its labelled region); a bad
// parameter answers a Thai message on the page with what was typed; an agency administrator is
// refused. Every page: lang="th", fields labelled, axe-core clean, no CSP violation or console
// error; screenshots national-<name>-<width>.png.
import { harness } from './harness.mjs';

const env = process.env;
const need = ['ITA_BASE', 'ITA_SHOTS_DIR', 'ITA_SYS_EMAIL', 'ITA_SYS_PASSWORD', 'ITA_ONE_EMAIL',
              'ITA_ONE_PASSWORD', 'ITA_N_ALL', 'ITA_N_SEARCH', 'ITA_N_LOW14', 'ITA_N_REACHED',
              'ITA_N_BELOW', 'ITA_N_PUBLISHED', 'ITA_N_GOOD', 'ITA_TOP_SCORE', 'ITA_LOW_SCORE',
              'ITA_LOW14_FIRST'];
if (need.some((k) => !env[k])) {
  console.error(`national.mjs: set ${need.join(', ')}`);
  process.exit(2);
}
const base = env.ITA_BASE;
const n = (k) => Number(env[k]);
const h = harness({ base, shots: env.ITA_SHOTS_DIR, prefix: 'national' });
const { check } = h;

const rows = (page) => page.locator('#national tbody tr[data-code]');
const firstCode = (page) => rows(page).first().getAttribute('data-code');
const total = async (page, key) => Number(await h.text(page.locator(`[data-total="${key}"]`)));
// The numbers a distribution draws: its chart's data-value marks when there is a chart, and the
// table of the same figures (each figure once per drawing).
const drawn = (page, id) => page.$$eval(`#${id} svg g.svgc-row[data-value]`, (els) => els.map((e) => Number(e.getAttribute('data-value'))));
const tabled = (page, id) => page.$$eval(`#${id} table td`, (els) => els.map((e) => Number(e.innerText)));
const sum = (a) => a.reduce((x, y) => x + y, 0);

const browser = await h.launch();
try {
  // ---- 1280 px: from the home page, totals and distributions ----
  let w = await h.context(browser, 1280, 900);
  let page = w.page;
  await h.signIn(w, env.ITA_SYS_EMAIL, env.ITA_SYS_PASSWORD);
  check(await page.locator('a[href="/admin/national"]').count() === 1, 'the home page links the national view');
  await h.submit(w, 'a[href="/admin/national"]');
  check(page.url().endsWith('/admin/national'), `the link opens the view (${page.url()})`);
  check((await h.text(page.locator('#national-caption'))).includes(`จาก ${n('ITA_N_ALL')}`),
        `the caption counts ${n('ITA_N_ALL')} agencies (${await h.text(page.locator('#national-caption'))})`);
  check(await rows(page).count() === 50, `50 rows a page (${await rows(page).count()})`);
  check(await total(page, 'agencies') === n('ITA_N_ALL'), 'total agencies');
  check(await total(page, 'reached') === n('ITA_N_REACHED'), `reached both minimums: ${n('ITA_N_REACHED')}`);
  check(await total(page, 'published') === n('ITA_N_PUBLISHED'), `published: ${n('ITA_N_PUBLISHED')}`);
  check(await total(page, 'low14') === n('ITA_N_LOW14'), `below minimum with 14 days left: ${n('ITA_N_LOW14')}`);
  for (const id of ['dist-rating', 'dist-score', 'dist-progress']) {
    const svg = await drawn(page, id), table = await tabled(page, id);
    check(svg.length > 0 && svg.join(' ') === table.join(' '),
          `${id}: the chart's data-value figures are the table's (${svg.join(' ')} / ${table.join(' ')})`);
  }
  const ratings = await drawn(page, 'dist-rating');
  check(sum(ratings) === n('ITA_N_PUBLISHED'), `rating tiers add up to the published agencies (${ratings.join(' ')})`);
  const scores = await drawn(page, 'dist-score');
  check(sum(scores) === n('ITA_N_PUBLISHED'), `score bins add up to the published agencies (${scores.join(' ')})`);
  const progress = await drawn(page, 'dist-progress');
  check(progress.join(' ') === `${n('ITA_N_REACHED')} ${n('ITA_N_BELOW')}`,
        `progress: reached ${n('ITA_N_REACHED')}, not yet ${n('ITA_N_BELOW')} (${progress.join(' ')})`);
  const good = await page.$$eval('#dist-rating table tr', (trs) => trs.map((t) => t.innerText.replace(/\s+/g, ' ')));
  check(good.some((t) => t.startsWith('ผ่านดี ') && t.endsWith(` ${n('ITA_N_GOOD')}`)),
        `ผ่านดี: ${n('ITA_N_GOOD')} agencies (${good.join(' | ')})`);
  check(await page.locator('#national tbody a[href^="/admin/agency?id="][href$="&fy=2570"]').count() === 50,
        'each row links its agency page of the year');
  await h.pageChecks(w, 'first');

  // ---- search by code ----
  await page.fill('#n-q', 'N0012');
  await h.submit(w, '#national-filter button[type=submit]');
  check(await rows(page).count() === n('ITA_N_SEARCH'), `search N0012: ${n('ITA_N_SEARCH')} rows (${await rows(page).count()})`);
  check(page.url().includes('q=N0012'), 'the search is in the address (bookmarkable)');
  await h.pageChecks(w, 'search');

  // ---- below minimum with 14 days left ----
  await page.fill('#n-q', '');
  await page.selectOption('#n-state', 'low14');
  await h.submit(w, '#national-filter button[type=submit]');
  check(await total(page, 'agencies') === n('ITA_N_LOW14'), `filter low14: ${n('ITA_N_LOW14')} agencies`);
  check(await firstCode(page) === env.ITA_LOW14_FIRST, `its first row is ${env.ITA_LOW14_FIRST}`);
  const left = await page.$$eval('#national tbody tr[data-code] td:nth-child(7)', (tds) => tds.map((t) => t.innerText));
  check(left.length > 0 && left.every((t) => /^เหลือ (\d+) วัน$/.test(t) && Number(t.match(/\d+/)[0]) <= 14),
        `every row has 14 days left or fewer (${left.slice(0, 5).join(', ')}…)`);
  await h.pageChecks(w, 'low14');

  // ---- sort by score, both ways ----
  await page.selectOption('#n-state', '');
  await h.submit(w, '#national-filter button[type=submit]');
  await h.submit(w, '#national thead a:text("คะแนน")');
  check(await page.getAttribute('#national thead th[aria-sort]', 'aria-sort') === 'ascending', 'score ascending: aria-sort');
  check(await firstCode(page) === env.ITA_LOW_SCORE, `lowest score first: ${env.ITA_LOW_SCORE} (${await firstCode(page)})`);
  await h.submit(w, '#national thead a:text("คะแนน")');
  check(await page.getAttribute('#national thead th[aria-sort]', 'aria-sort') === 'descending', 'score descending: aria-sort');
  check(await firstCode(page) === env.ITA_TOP_SCORE, `highest score first: ${env.ITA_TOP_SCORE} (${await firstCode(page)})`);
  await h.pageChecks(w, 'score');

  // ---- page 2 ----
  await h.submit(w, '#national-pages a:text-is("2")');
  check((await h.text(page.locator('#national-caption'))).startsWith('หน่วยงาน 51–100'), 'page 2 shows rows 51-100');
  check(await page.locator('#national-pages a[aria-current="page"]').innerText() === '2', 'page 2 is marked current');
  check(page.url().includes('page=2') && page.url().includes('sort=score'), 'the page keeps the sort in the address');
  await h.pageChecks(w, 'page2');

  // ---- a bad parameter: a Thai message, what was typed kept ----
  await h.go(w, '/admin/national?fy=2570&state=bogus&q=N001', 400);
  check((await h.text(page.locator('#national-error'))).includes('ไม่รู้จักสถานะ'), 'an unknown state is named in Thai');
  check(await page.inputValue('#n-q') === 'N001', 'the search typed is kept');
  await h.pageChecks(w, 'error');
  h.checkWatch(w, '1280 px');
  await w.ctx.close();

  // ---- 360 px: the filtered view, no sideways scrolling of the page ----
  w = await h.context(browser, 360, 780);
  page = w.page;
  await h.signIn(w, env.ITA_SYS_EMAIL, env.ITA_SYS_PASSWORD);
  await h.go(w, '/admin/national?fy=2570&state=low14');
  const region = await page.$eval('#national-list ~ .lv-scroll', (e) => ({ sw: e.scrollWidth, cw: e.clientWidth,
                                                  label: e.getAttribute('aria-labelledby'), role: e.getAttribute('role') }));
  check(region.sw > region.cw && region.role === 'region' && region.label === 'national-caption',
        `the table scrolls inside its labelled region (${region.sw} px in ${region.cw} px)`);
  await h.pageChecks(w, 'low14');
  await h.go(w, '/admin/national?fy=2570');
  await h.pageChecks(w, 'first');
  h.checkWatch(w, '360 px');
  await w.ctx.close();

  // ---- an agency administrator is refused ----
  w = await h.context(browser, 1280, 900);
  page = w.page;
  await h.signIn(w, env.ITA_ONE_EMAIL, env.ITA_ONE_PASSWORD);
  check(await page.locator('a[href="/admin/national"]').count() === 0, 'no link for an agency administrator');
  await h.go(w, '/admin/national?fy=2570', 403);
  check((await h.text(page.locator('main'))).includes('เฉพาะผู้ดูแลระบบ'), 'refused in Thai');
  await h.pageChecks(w, 'refused');
  h.checkWatch(w, 'agency administrator');
  await w.ctx.close();
} finally {
  await browser.close();
}
console.log(h.failures() ? `${h.failures()} check(s) failed` : 'all checks passed');
process.exit(h.failures() ? 1 : 0);
